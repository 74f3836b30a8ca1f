// Bad user input: which file, where in it, which field, and what was expected. Raised only by
// readers; the CLI prints the message and exits 2, without a stack trace.
export class InputError extends Error {
  constructor(
    /** File (as the user named it), or an option such as "--set". */
    readonly file: string,
    /** 1-based line and column, 0 when unknown. */
    readonly line: number,
    readonly column: number,
    /** Field path, e.g. cluster.nodePools[0].count; "" for the whole file. */
    readonly path: string,
    readonly expected: string,
    readonly got?: string,
  ) {
    super(formatInputError(file, line, column, path, expected, got));
    this.name = 'InputError';
  }
}

function formatInputError(file: string, line: number, column: number, path: string, expected: string, got?: string): string {
  const where = line > 0 ? `${file}:${line}:${column}` : file;
  const field = path === '' ? '' : `${path}: `;
  const tail = got === undefined ? '' : `, got ${got}`;
  return `${where}: ${field}expected ${expected}${tail}`;
}

/** Renders a path of keys and indexes as `a.b[0].c`. */
export function formatPath(path: readonly (string | number)[]): string {
  let s = '';
  for (const k of path) {
    if (typeof k === 'number') s += `[${k}]`;
    else s += s === '' ? k : `.${k}`;
  }
  return s;
}
