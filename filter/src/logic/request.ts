/** Read access to one request's headers and cookies, as the pure decision logic sees them. */
export abstract class RequestView {
  /** First value of header `name` (lower-case), or null when absent. */
  abstract header(name: string): string | null;
  /** Value of cookie `name` from the `cookie` header(s), or null when absent. */
  abstract cookie(name: string): string | null;
}
