export const EXIT_OK = 0;
export const EXIT_INTERNAL = 1;
export const EXIT_BAD_INPUT = 2;
/** Interrupted runs exit as shells report a death by that signal (128 + signal number). */
export const EXIT_SIGINT = 130;
export const EXIT_SIGTERM = 143;

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
