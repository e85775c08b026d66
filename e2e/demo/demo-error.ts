// A failure the demo explains in one message: printed without a stack trace.
export class DemoError extends Error {
  override readonly name = "DemoError";
}
