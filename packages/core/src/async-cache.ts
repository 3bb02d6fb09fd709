/**
 * One load per key, shared by concurrent callers; a failed load is forgotten so the next caller tries again.
 * (Secrets, caller identities: values that never change during a process.)
 */
export class AsyncCache<K, V> {
  private readonly entries = new Map<K, Promise<V>>();

  get(key: K, load: (key: K) => Promise<V>): Promise<V> {
    let entry = this.entries.get(key);
    if (!entry) {
      entry = load(key);
      this.entries.set(key, entry);
      entry.catch(() => this.entries.delete(key));
    }
    return entry;
  }
}
