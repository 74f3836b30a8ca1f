/** One measured figure from a benchmark suite, with its target when it has one. */
export interface BenchRow {
  name: string;
  metric: string;
  value: number;
  unit: string;
  /** The figure must be at least (`>=`) or at most (`<=`) this value. */
  target?: { readonly op: '>=' | '<='; readonly value: number } | undefined;
}

/** A row as printed: its target ("≥ 15000", "" when none) and whether it is met. */
export interface ShownRow {
  name: string;
  metric: string;
  value: number;
  unit: string;
  target: string;
  met: '' | 'yes' | 'NO';
}

export function shown(r: BenchRow): ShownRow {
  if (r.target === undefined) return { name: r.name, metric: r.metric, value: r.value, unit: r.unit, target: '', met: '' };
  const ok = r.target.op === '>=' ? r.value >= r.target.value : r.value <= r.target.value;
  return { name: r.name, metric: r.metric, value: r.value, unit: r.unit, target: `${r.target.op === '>=' ? '≥' : '≤'} ${r.target.value}`, met: ok ? 'yes' : 'NO' };
}

/** "3 of 4 targets met; missed: X metric 11600 (target ≥ 15000)" — the line after the tables. */
export function targetsLine(rows: readonly BenchRow[]): string {
  const withTarget = rows.map(shown).filter((r) => r.target !== '');
  const missed = withTarget.filter((r) => r.met === 'NO');
  const head = `${withTarget.length - missed.length} of ${withTarget.length} targets met`;
  return missed.length === 0 ? head : `${head}; missed: ${missed.map((r) => `${r.name} ${r.metric} ${r.value} (target ${r.target})`).join('; ')}`;
}
