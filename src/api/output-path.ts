// Where ksim writes is the user's input as much as what it reads: a folder that cannot be made
// (a file in the way, no permission, a read-only file system) is a clear error naming the path
// the user gave (exit 2), not an internal error with a stack trace.
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { InputError } from './input-error.js';

const EXPECTED = 'a place ksim can write to';

/** The nearest existing file (not a folder) on `path` or above it: what a folder cannot be
 * made through (Node names the whole path in some of these errors). */
function fileInTheWay(path: string): string {
  for (let p = path; ; p = dirname(p)) {
    if (existsSync(p) && !statSync(p).isDirectory()) return p;
    if (dirname(p) === p) return path;
  }
}

/** Why the file system refused, in words; null for errors that are not the path's fault. */
function refusal(e: unknown): string | null {
  const err = e as NodeJS.ErrnoException;
  const at = err.path === undefined ? '' : ` at ${err.path}`;
  switch (err.code) {
    case 'EEXIST':
    case 'ENOTDIR':
      return `a file in the way at ${err.path === undefined ? '?' : fileInTheWay(err.path)}`;
    case 'EISDIR':
      // A rename names its source in `path`, the folder in the way in `dest`.
      return `a folder in the way at ${(err as { dest?: string }).dest ?? err.path ?? '?'}`;
    case 'EACCES':
    case 'EPERM':
      return `no permission to write${at}`;
    case 'EROFS':
      return `a read-only file system${at}`;
    case 'ENOSPC':
      return 'no space left on the device';
    default:
      return null;
  }
}

/** `e` as an InputError naming `display` (the path as the user gave it) when the file system
 * refused the path; otherwise `e` itself. */
export function outputPathError(display: string, e: unknown): unknown {
  const why = refusal(e);
  return why === null ? e : new InputError(display, 0, 0, '', EXPECTED, why);
}

/** `mkdir -p dir`, refusals reported against `display`. */
export function makeFolder(dir: string, display: string): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw outputPathError(display, e);
  }
}

/** Runs `write` (file writes under `display`), refusals reported against `display`. */
export function writingTo<T>(display: string, write: () => T): T {
  try {
    return write();
  } catch (e) {
    throw outputPathError(display, e);
  }
}
