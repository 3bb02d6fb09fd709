/** An HTTP error with the vendor's error body shape: `{"message": "..."}` (the spec defines no error schema). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}
