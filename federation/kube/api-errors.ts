// What a client-node ApiException says: its HTTP status and the API server's message.

/** The HTTP status of a client-node ApiException (or anything with a numeric `code` in 100..599). */
export function httpStatusOf(err: unknown): number | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === "number" && code >= 100 && code <= 599 ? code : undefined;
}

/** The API server's message from an ApiException body: a Status object, or a JSON string of one. */
export function apiMessage(err: unknown): string {
  const raw = (err as { body?: unknown } | null)?.body;
  let body = raw;
  if (typeof raw === "string") {
    try {
      body = JSON.parse(raw) as unknown;
    } catch {
      return raw.slice(0, 300);
    }
  }
  const message = (body as { message?: unknown } | null | undefined)?.message;
  return typeof message === "string" ? message : "";
}
