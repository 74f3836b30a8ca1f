// A command that ends with a message and a chosen exit code (a sweep with failed runs, an
// interrupted sweep, a regression found by compare): main.ts prints the message and exits so.
export class CommandExit extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = 'CommandExit';
  }
}
