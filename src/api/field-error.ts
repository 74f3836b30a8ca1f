// A problem with a value at a field path. The path is relative to whatever the
// caller compiled (e.g. "matchExpressions[0].operator"); readers that know the
// file and position prefix it (see `FieldError.under`).
import { closest } from './suggest.js';

export class FieldError extends Error {
  override readonly name = 'FieldError';
  readonly path: string;
  readonly expected: string;
  readonly got: string | undefined;

  constructor(path: string, expected: string, got?: string) {
    super(`${path === '' ? '' : `${path}: `}expected ${expected}${got !== undefined ? `, got ${got}` : ''}`);
    this.path = path;
    this.expected = expected;
    this.got = got;
  }

  /** The same error with `prefix` prepended to its path (see `joinFieldPath`). */
  under(prefix: string): FieldError {
    return new FieldError(joinFieldPath(prefix, this.path), this.expected, this.got);
  }
}

/**
 * Joins two field paths: `joinFieldPath('spec', 'replicas')` is "spec.replicas",
 * `joinFieldPath('items', '[0]')` is "items[0]", and an empty side is dropped.
 */
export function joinFieldPath(base: string, child: string): string {
  if (base === '') return child;
  if (child === '') return base;
  return child.charCodeAt(0) === 0x5b /* [ */ ? base + child : `${base}.${child}`;
}

/** Throws a FieldError at `path`.`k` for the first key of `o` not in `allowed` (upstream decodes
 * plugin args strictly: KubeSchedulerConfiguration's DecodeNestedObjects fails on an unknown
 * field), naming the allowed fields and the nearest one. `apiVersion` and `kind`, which typed
 * args may carry, are allowed where `typed`. */
export function rejectUnknownFields(o: Readonly<Record<string, unknown>>, allowed: readonly string[], path = '', typed = false): void {
  for (const k of Object.keys(o)) {
    if (allowed.includes(k) || (typed && (k === 'apiVersion' || k === 'kind'))) continue;
    const near = k.length > 64 ? null : closest(k, allowed);
    throw new FieldError(joinFieldPath(path, k), `one of the fields ${allowed.join(', ')}`, `unknown field ${JSON.stringify(k)}${near === null ? '' : ` (did you mean ${JSON.stringify(near)}?)`}`);
  }
}
