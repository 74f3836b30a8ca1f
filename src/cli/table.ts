// Plain-text tables for the terminal.

export function printKeyValues(out: (s: string) => void, title: string, rows: readonly [string, string | number][]): void {
  const width = Math.max(...rows.map(([k]) => k.length));
  out(`${title}\n`);
  for (const [k, v] of rows) out(`  ${k.padEnd(width)}  ${v === '' ? '-' : String(v)}\n`);
}
