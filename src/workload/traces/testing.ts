// Helpers for the trace reader tests: write a trace to a temporary file, read all its items.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { TRACE_FORMATS } from './registry.js';
import { TraceRowError, type FormatOptions, type TraceItem } from './trace-types.js';
import { tempDir } from '../../testing/temp-dir.js';

export function tempTrace(name: string, text: string, gzip = false): string {
  const dir = tempDir('ksim-trace-');
  const path = join(dir, name);
  writeFileSync(path, gzip ? gzipSync(text) : text);
  return path;
}

/** Every item of a trace (the format's default options unless given), or the first error.
 * Items are compared as data: `timeAt` (a function saying where the row's time is, for the
 * replay's out-of-order error; test/trace-replay.test.ts checks what it says) is left out. */
export function readAll(format: string, path: string, opts: FormatOptions = {}, limit = Infinity): TraceItem[] {
  const f = TRACE_FORMATS[format]!;
  const full = { ...Object.fromEntries(Object.entries(f.options).map(([k, o]) => [k, o.default])), ...opts };
  const r = f.openPods!(path, 'trace', full);
  const out: TraceItem[] = [];
  try {
    for (let it = r.next(); it !== null && out.length < limit; it = r.next()) {
      const { timeAt: _, ...data } = it;
      out.push(data as TraceItem);
    }
  } finally {
    r.close();
  }
  return out;
}

/** The message of the TraceRowError reading `text` raises. */
export function rowError(format: string, name: string, text: string, opts: FormatOptions = {}): string {
  try {
    readAll(format, tempTrace(name, text), opts);
  } catch (e) {
    if (e instanceof TraceRowError) return e.message;
    throw e;
  }
  return 'no error';
}

export function defaults(format: string): Record<string, unknown> {
  return Object.fromEntries(Object.entries(TRACE_FORMATS[format]!.options).map(([k, o]) => [k, o.default]));
}
