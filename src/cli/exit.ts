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

/** ksim's own early exits (a closed stdout) set this first: an exit without it during a run was
 * asked for by someone else — a plugin module calling process.exit (see guardRunExit). */
export const exiting = { byKsim: false };

/** Ends the process now, as ksim's own decision. */
export function exitNow(code: number): never {
  exiting.byKsim = true;
  process.exit(code);
}

/** While a run is in progress, a process.exit that ksim did not ask for (a plugin module's) makes
 * the process exit 1 with a message naming the folder not written, instead of its code (0 would
 * read as success in a CI script). Returns the function that ends the watch. */
export function guardRunExit(dir: string, write: (s: string) => void): () => void {
  const onExit = (code: number) => {
    if (exiting.byKsim) return;
    write(`ksim: error: process.exit(${code}) was called during the run (by a plugin module?): the run did not finish, nothing was written to ${dir}/\n`);
    process.exitCode = EXIT_INTERNAL;
  };
  process.on('exit', onExit);
  return () => process.off('exit', onExit);
}
