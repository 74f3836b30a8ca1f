// Writes a run's output folder as a whole: every file goes into a temporary sibling folder,
// which then replaces the output folder by two renames. A run killed at any moment (SIGKILL,
// out of memory) leaves the previous complete output, the new complete output, or (between the
// two renames) none — never a mix or a half-written file.
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { InputError } from '../api/input-error.js';
import type { Row } from './collector.js';

export interface Table {
  readonly file: string;
  readonly columns: readonly string[];
  readonly rows: readonly Row[];
}

export function toCsv(t: Table): string {
  return stringify(t.rows as Row[], { header: true, columns: [...t.columns], eof: true });
}

export interface OutputFile {
  readonly file: string;
  readonly content: string;
}

/** The file every ksim output folder holds; its presence marks a folder ksim may replace. */
export const MARKER_FILE = 'run.json';
const TMP_TAG = '.ksim-tmp-';
const OLD_TAG = '.ksim-old-';

/**
 * Checks, before a run, that `dir` can receive outputs: absent, empty, or a previous ksim output
 * folder (holding run.json). Anything else is refused rather than replaced.
 */
export function checkOutputFolder(dir: string): void {
  if (!existsSync(dir)) return;
  if (!statSync(dir).isDirectory()) throw new InputError(dir, 0, 0, '', 'an output folder', 'an existing file');
  const entries = readdirSync(dir);
  if (entries.length > 0 && !entries.includes(MARKER_FILE)) {
    throw new InputError(dir, 0, 0, '', `an empty or previous ksim output folder (with ${MARKER_FILE}); ksim replaces the whole folder`, `a folder with ${entries.length} other entries`);
  }
}

/** Writes `files` as the complete content of `dir` (see the module comment); returns the paths. */
export function writeOutputsAtomically(dir: string, files: readonly OutputFile[], tag: string): string[] {
  checkOutputFolder(dir);
  const abs = resolve(dir);
  const parent = dirname(abs);
  mkdirSync(parent, { recursive: true });
  removeLeftovers(parent, basename(abs));
  const tmp = join(parent, `${basename(abs)}${TMP_TAG}${tag}`);
  const old = join(parent, `${basename(abs)}${OLD_TAG}${tag}`);
  mkdirSync(tmp);
  try {
    for (const f of files) writeFileSync(join(tmp, f.file), f.content);
    if (existsSync(abs)) renameSync(abs, old);
    renameSync(tmp, abs);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
    rmSync(old, { recursive: true, force: true });
  }
  return files.map((f) => join(dir, f.file));
}

/** Temporary and replaced folders that a killed run left next to the output folder. */
function removeLeftovers(parent: string, name: string): void {
  for (const e of readdirSync(parent)) {
    if (e.startsWith(`${name}${TMP_TAG}`) || e.startsWith(`${name}${OLD_TAG}`)) rmSync(join(parent, e), { recursive: true, force: true });
  }
}
