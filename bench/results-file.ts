// bench/results.csv across runs: a filtered run (`npm run bench -- --filter NAME`) replaces the
// rows of the workloads it ran and keeps the others' rows from the last run, so running one
// workload again does not throw away the rest of the table.
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';

/** The file's new text: `existing` (the file's text, or null when there is none) with the rows of
 * `fresh`'s workloads replaced in place and new workloads appended. A file with other columns (an
 * older layout) is not merged: the fresh rows alone. */
export function mergeResults(existing: string | null, fresh: readonly Record<string, unknown>[], columns: readonly string[]): string {
  let kept: Record<string, unknown>[] = [];
  if (existing !== null && existing.trim() !== '') {
    const [header] = parse(existing, { to_line: 1 }) as string[][];
    if (header !== undefined && header.join(',') === columns.join(',')) kept = parse(existing, { columns: true }) as Record<string, unknown>[];
  }
  const byWorkload = new Map(fresh.map((r) => [String(r['workload']), r]));
  const out = kept.map((r) => {
    const w = String(r['workload']);
    const replacement = byWorkload.get(w);
    byWorkload.delete(w);
    return replacement ?? r;
  });
  out.push(...byWorkload.values());
  return stringify(out, { header: true, columns: [...columns] });
}
