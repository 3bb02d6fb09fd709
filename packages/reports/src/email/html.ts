const HTML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/**
 * Escape text for HTML content and attribute values. Account names, tags, OU names and tenant names are chosen by
 * account owners, so every value from them goes through this before it lands in a message body.
 */
export function escapeHtml(value: string | number): string {
  return String(value).replace(/[&<>"']/g, (char) => HTML_ESCAPES[char] ?? char);
}

/** A table: header cells and body rows are escaped here; `boldLastRow` marks a totals line. */
export function htmlTable(
  headers: readonly string[],
  rows: readonly (readonly (string | number)[])[],
  boldLastRow = false,
): string {
  const cell = (tag: "th" | "td", value: string | number): string =>
    `<${tag} style="border:1px solid #ccc;padding:4px 8px;text-align:${typeof value === "number" ? "right" : "left"}">${escapeHtml(value)}</${tag}>`;
  const head = `<tr>${headers.map((h) => cell("th", h)).join("")}</tr>`;
  const body = rows
    .map((row, index) => {
      const cells = row.map((value) => cell("td", value)).join("");
      return boldLastRow && index === rows.length - 1
        ? `<tr style="font-weight:bold">${cells}</tr>`
        : `<tr>${cells}</tr>`;
    })
    .join("");
  return `<table style="border-collapse:collapse">${head}${body}</table>`;
}

export function htmlDocument(title: string, body: string): string {
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body style="font-family:Arial,Helvetica,sans-serif;font-size:14px">${body}</body></html>`;
}
