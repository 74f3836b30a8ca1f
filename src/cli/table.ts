// Plain-text tables for the terminal.

export function printKeyValues(out: (s: string) => void, title: string, rows: readonly [string, string | number][]): void {
  const width = Math.max(...rows.map(([k]) => k.length));
  out(`${title}\n`);
  for (const [k, v] of rows) out(`  ${k.padEnd(width)}  ${v === '' ? '-' : String(v)}\n`);
}

/** The width to fit terminal output to: $COLUMNS when set to a number (as Python's
 * shutil.get_terminal_size reads it: `COLUMNS=200 ksim compare ... > file` for a wide file), else
 * stdout's columns on a terminal, else 80 (as the progress line, src/cli/progress.ts, fits stderr). */
export function terminalWidth(columns: number | undefined = process.stdout.columns, env: string | undefined = process.env['COLUMNS']): number {
  const fromEnv = env !== undefined && /^[1-9]\d*$/.test(env.trim()) ? Number(env.trim()) : undefined;
  if (fromEnv !== undefined) return fromEnv;
  return columns !== undefined && columns > 0 ? columns : 80;
}

/**
 * `text` word-wrapped to `width` columns: its leading spaces kept, continuation lines indented two
 * more. A word longer than a line (a path) is not broken.
 */
export function wrapText(text: string, width: number): string {
  const indent = /^ */.exec(text)![0];
  const words = text.slice(indent.length).split(' ').filter((w) => w !== '');
  const lines: string[] = [];
  let line = indent;
  let empty = true;
  for (const w of words) {
    if (!empty && line.length + 1 + w.length > width) {
      lines.push(line);
      line = `${indent}  `;
      empty = true;
    }
    line += empty ? w : ` ${w}`;
    empty = false;
  }
  lines.push(line);
  return lines.join('\n');
}

/** `text` wrapped (wrapText) to a terminal of `columns` (standard output's, when it is one) less
 * one; unchanged for a pipe or a file (undefined), so a closing "Wrote ..." line stays one line
 * to grep, and broken between words rather than mid-word at a terminal's edge. */
export function wrapOnTerminal(text: string, columns: number | undefined = process.stdout.isTTY === true ? process.stdout.columns : undefined): string {
  return columns === undefined || !(columns > 20) ? text : wrapText(text, columns - 1);
}

/** Rows aligned under one header line: the first column left-aligned, the others right-aligned;
 * two leading spaces, two between columns. */
function aligned(header: readonly (readonly string[])[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(...h.map((l) => l.length), ...rows.map((r) => (r[i] ?? '').length)));
  const headerLines = Math.max(...header.map((h) => h.length));
  const line = (cells: readonly string[]) => `  ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')}`.trimEnd();
  // A header over two lines is bottom-aligned: its last line sits on the values.
  const head = Array.from({ length: headerLines }, (_, l) => line(header.map((h) => h[l - (headerLines - h.length)] ?? '')));
  return [...head, ...rows.map(line)].join('\n') + '\n';
}

/** A header over two lines when that makes it narrower ("candidate mean" → "candidate", "mean"). */
function stacked(h: string): string[] {
  let best = [h];
  let bestWidth = h.length;
  for (let i = h.indexOf(' '); i !== -1; i = h.indexOf(' ', i + 1)) {
    const parts = [h.slice(0, i), h.slice(i + 1)];
    const w = Math.max(parts[0]!.length, parts[1]!.length);
    if (w < bestWidth) [best, bestWidth] = [parts, w];
  }
  return best;
}

/**
 * A table (header and rows of cells; the first column names the row) that fits `width` columns,
 * all cells written as given:
 * - on one line per row when it fits;
 * - else with each header over two lines where that narrows it (and `short` headers, where given:
 *   "significant" → "sig."), the columns after the first split in order into as few stacked
 *   sections as fit, each repeating the first column;
 * - else (a column too wide to fit beside the first) one block per row: its name, then one
 *   "header  value" line per column.
 */
export function fitTable(header: readonly string[], rows: readonly (readonly string[])[], width: number, short: readonly (string | undefined)[] = []): string {
  const full = aligned(header.map((h) => [h]), rows);
  if (Math.max(...full.split('\n').map((l) => l.length)) <= width) return full;
  const heads = header.map((h, i) => stacked(short[i] ?? h));
  const colWidth = (i: number) => Math.max(...heads[i]!.map((l) => l.length), ...rows.map((r) => (r[i] ?? '').length));
  const first = 2 + colWidth(0);
  const sections: number[][] = [];
  for (let i = 1; i < header.length; i++) {
    const w = 2 + colWidth(i);
    if (first + w > width) return records(header, rows);
    const last = sections[sections.length - 1];
    if (last !== undefined && first + last.reduce((a, j) => a + 2 + colWidth(j), 0) + w <= width) last.push(i);
    else sections.push([i]);
  }
  const pick = <T>(cells: readonly T[], cols: readonly number[]) => [cells[0]!, ...cols.map((j) => cells[j]!)];
  return sections.map((cols) => aligned(pick(heads, cols), rows.map((r) => pick(r, cols)))).join('\n');
}

function records(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const labelWidth = Math.max(...header.slice(1).map((h) => h.length));
  return rows.map((r) => [`  ${r[0] ?? ''}`, ...header.slice(1).map((h, i) => `    ${h.padEnd(labelWidth)}  ${r[i + 1] ?? ''}`.trimEnd())].join('\n')).join('\n') + '\n';
}
