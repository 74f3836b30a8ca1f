// `ksim compare BASE CANDIDATE [--fail-on METRIC:+5% ...] [--output table|csv|json|markdown]`:
// prints the comparison (src/sweep/compare.ts) and exits 3 when the gate fails: a --fail-on bound
// is crossed or cannot be judged (no pairs; a change beyond it without an interval; candidate
// runs with an empty value), or (sweeps) a candidate run failed.
import type { Argv } from 'yargs';
import { stringify } from 'csv-stringify/sync';
import { beyond, compare, droppedText, type CompareResult, type SweepTest, type Crossing, type FailOnBound, type MetricComparison, type NodeChange, type Unjudged } from '../sweep/compare.js';
import { fmt } from '../metrics/stats.js';
import { CommandExit } from './exit.js';
import { positiveIntOption } from './sweep-command.js';
import { fitTable, terminalWidth, wrapText } from './table.js';

export const EXIT_REGRESSION = 3;
export const COMPARE_FORMATS = ['table', 'csv', 'json', 'markdown'] as const;
export type CompareFormat = (typeof COMPARE_FORMATS)[number];

export interface CompareArgs {
  readonly base: string;
  readonly candidate: string;
  readonly failOn?: readonly string[] | undefined;
  readonly output?: CompareFormat | undefined;
  readonly resamples?: number | undefined;
  readonly seed?: number | undefined;
  /** The table's width (default: the terminal's, else 80; src/cli/table.ts). */
  readonly columns?: number | undefined;
}

export function compareCommand(a: CompareArgs, out: (s: string) => void, err: (s: string) => void = (t) => process.stderr.write(t)): void {
  const r = compare(a.base, a.candidate, a.failOn !== undefined ? { failOn: a.failOn } : {});
  // Kept so that scripts passing them still run; the intervals no longer resample.
  for (const [flag, v] of [['--resamples', a.resamples], ['--seed', a.seed]] as const) {
    if (v !== undefined) err(`ksim: warning: ${flag} has no effect: compare no longer resamples: its intervals are exact, not a bootstrap (README, ksim compare)\n`);
  }
  for (const [side, dir] of [['base', r.base], ['candidate', r.candidate]] as const) {
    const failed = droppedText(r.dropped.filter((d) => d.side === side), undefined, 'failed');
    if (failed !== null) err(`ksim: warning: ${failed} and are left out of the comparison: see the status column of ${dir}/sweep.csv\n`);
  }
  if (r.setDifference !== undefined) {
    const side = (name: string, set: readonly string[]) => `${name} ${set.length === 0 ? 'has none of the other\'s' : set.map((v) => `--set ${v}`).join(' ')}`;
    err(`ksim: warning: the sweeps were made with different --set values (their sweep.json): base ${side(r.base, r.setDifference.base)}, candidate ${side(r.candidate, r.setDifference.candidate)}; their runs are compared all the same\n`);
  }
  for (const s of r.shards ?? []) {
    const dir = s.side === 'base' ? r.base : r.candidate;
    err(`ksim: warning: ${s.side} ${dir} is shard ${s.index}/${s.count} of its sweep (its sweep.json): the other shards' runs are missing; merge them first (ksim merge SHARD... -o DIR) and compare the merged sweep\n`);
  }
  const format = a.output ?? 'table';
  out(format === 'json' ? `${JSON.stringify(compareJson(r), null, 2)}\n` : format === 'csv' ? compareCsv(r) : format === 'markdown' ? compareMarkdown(r) : compareTable(r, terminalWidth(a.columns)));
  const candidateFailed = failedCandidateText(r);
  const failures = [
    ...(r.crossings.length > 0 ? [`regression: ${r.crossings.map(crossingText).join('; ')}`] : []),
    ...(candidateFailed !== null ? [`gate failed: ${candidateFailed}: a candidate that fails runs cannot pass`] : []),
    ...r.bounds.filter((b) => r.unjudged.some((u) => u.bound === b)).map((b) => `--fail-on ${b.text} cannot pass: ${r.unjudged.filter((u) => u.bound === b).map((u) => unjudgedText(r, u)).join('; ')}`),
  ];
  if (r.gate === 'failed') throw new CommandExit(EXIT_REGRESSION, failures.join('; '));
}

/** The candidate's failed runs when they fail the gate (there are --fail-on bounds): "2 of 8
 * candidate runs failed (2 error; seeds 3, 7)"; else null. */
function failedCandidateText(r: CompareResult): string | null {
  return r.bounds.length === 0 ? null : droppedText(r.dropped.filter((d) => d.side === 'candidate'), undefined, 'failed');
}

/** The runs left out, both sides: "Failed runs, left out of the comparison: 2 of 8 candidate runs
 * failed (2 error; seeds 3, 7)"; null when every run was ok. */
function failedRunsLine(r: CompareResult): string | null {
  const t = droppedText(r.dropped, undefined, 'failed');
  return t === null ? null : `Failed runs, left out of the comparison: ${t}`;
}

/** A cell where the gate cannot judge a bound, and why: "no pairs could be compared: 4 of 4
 * candidate runs dropped (4 error; seeds 1, 2, 3, 4)", "pods_unbound_end +5 (4 pairs, no interval:
 * ...)". */
function unjudgedText(r: CompareResult, u: Unjudged): string {
  const cell = u.group !== '' ? `${u.group}: ` : '';
  if (u.why === 'no-interval') return `${unsureText(r, u.bound, u.comparison!)}: too few to tell from noise, add seeds`;
  if (u.why === 'empty-candidate') {
    const which = r.kind === 'runs' ? 'the candidate run has' : `${u.seeds?.length} of ${u.runs} candidate runs have`;
    const seeds = r.kind === 'runs' ? '' : ` (${seedWords(u.seeds ?? [])})`;
    const meaning = u.bound.metric === 'time_to_full_availability_max_s' ? ' (not recovered within the run, or nothing to recover)' : '';
    return `${cell}${which} no ${u.bound.metric} value${seeds}: an empty value cannot be judged${meaning}`;
  }
  const why = u.missing !== undefined ? `the ${u.missing} sweep has no runs in this matrix cell` : droppedText(r.dropped, u.group) ?? `no run dropped; no ${u.bound.metric} value to compare`;
  return `${cell}no ${cellTest(r, u.group) === 'paired' ? 'pairs' : 'runs'} could be compared: ${why}`;
}

/** "seed 3", "seeds 3, 7". */
function seedWords(seeds: readonly string[]): string {
  return `seed${seeds.length === 1 ? '' : 's'} ${seeds.join(', ')}`;
}

/** A value for people: '-' for none, up to 6 decimals below 1, 3 above. */
function show(v: number | null | undefined): string {
  if (v === null || v === undefined || Number.isNaN(v)) return '-';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  return fmt(v, Math.abs(v) < 1 ? 6 : 3);
}
function signed(v: number | null | undefined): string {
  const s = show(v);
  return v !== null && v !== undefined && v > 0 ? `+${s}` : s;
}
function percent(r: number | null | undefined): string {
  if (r === null || r === undefined || Number.isNaN(r)) return '-';
  if (!Number.isFinite(r)) return r > 0 ? '+inf%' : '-inf%';
  const p = (r * 100).toFixed(1);
  return r > 0 ? `+${p}%` : `${p}%`;
}
const interval = (c: MetricComparison) => (c.ciLow === null || c.ciLow === undefined ? '-' : `[${signed(c.ciLow)}, ${signed(c.ciHigh)}]`);

/**
 * A change that crosses `b`, written so that it reads beyond the bound: with at least the
 * bound's decimals, and more until the written value is past it (a ratio of 0.0540540… against
 * `+5.4054%` is `+5.40541%`, not `+5.4%`, which read as under the bound).
 */
export function crossingChange(b: FailOnBound, c: MetricComparison): string {
  const v = b.relative ? (c.changeRatio === null ? null : c.changeRatio * 100) : c.difference;
  if (v === null || !Number.isFinite(v)) return b.relative ? percent(c.changeRatio) : signed(c.difference);
  const boundDecimals = /\.(\d+)%?$/.exec(b.text)?.[1]?.length ?? 0;
  const write = (d: number) => (b.relative ? v.toFixed(d) : fmt(v, d));
  const past = (t: string) => (b.sign > 0 ? Number(t) > b.amount : Number(t) < -b.amount);
  let d = Math.max(b.relative ? 1 : Math.abs(v) < 1 ? 6 : 3, boundDecimals);
  let t = write(d);
  while (!past(t) && d < 15) t = write(++d);
  return `${v > 0 ? '+' : ''}${t}${b.relative ? '%' : ''}`;
}

function crossingText(x: Crossing): string {
  const c = x.comparison;
  const change = crossingChange(x.bound, c);
  return `${c.group !== '' ? `${c.group}: ` : ''}${c.metric} ${change} crosses ${x.bound.text}${c.significant === true ? ' (significant)' : ''}`;
}

/** A sweep comparison's test in matrix cell `group`. */
function cellTest(r: CompareResult, group: string): SweepTest {
  return r.cellTests?.find((t) => t.group === group)?.test ?? (r.test === 'paired' ? 'paired' : 'unpaired');
}

/** Columns of the metric rows, per kind (and, for sweeps, the cell's test). */
function metricHeader(r: CompareResult, test: SweepTest): string[] {
  if (r.kind === 'runs') return ['metric', 'base', 'candidate', 'change', 'change %'];
  return test === 'paired'
    ? ['metric', 'pairs', 'base mean', 'candidate mean', 'change', 'change %', '95% CI of change', 'significant']
    : ['metric', 'n', 'base mean', 'candidate mean', 'change', 'change %', '95% CI of change', 'significant'];
}
function metricCells(r: CompareResult, c: MetricComparison): string[] {
  const head = [c.metric];
  if (r.kind === 'sweeps') head.push(cellTest(r, c.group) === 'paired' ? `${c.nBase}` : `${c.nBase}/${c.nCandidate}`);
  const cells = [...head, show(c.base), show(c.candidate), signed(c.difference), percent(c.changeRatio)];
  if (r.kind === 'sweeps') cells.push(interval(c), c.significant === true ? 'yes' : 'no');
  return cells;
}

function groups(r: CompareResult): string[] {
  return [...new Set(r.metrics.map((m) => m.group))];
}

/** Shorter headers for a table that does not fit the terminal (fitTable). */
function metricShortHeader(r: CompareResult, test: SweepTest): (string | undefined)[] {
  return metricHeader(r, test).map((h) => (h === 'significant' ? 'sig.' : undefined));
}

function changedNodes(nodes: readonly NodeChange[]): NodeChange[] {
  return nodes.filter((n) => n.basePods !== n.candidatePods || n.baseCpuRatio !== n.candidateCpuRatio || n.baseMemoryRatio !== n.candidateMemoryRatio);
}
const NODE_HEADER = ['node', 'pods', 'cpu requested', 'cpu change', 'memory requested', 'memory change'];
function nodeCells(n: NodeChange): string[] {
  const d = (a: number | null, b: number | null) => (a === null || b === null ? '-' : signed(b - a));
  return [n.node, `${show(n.basePods)} → ${show(n.candidatePods)}`, `${show(n.baseCpuRatio)} → ${show(n.candidateCpuRatio)}`, d(n.baseCpuRatio, n.candidateCpuRatio), `${show(n.baseMemoryRatio)} → ${show(n.candidateMemoryRatio)}`, d(n.baseMemoryRatio, n.candidateMemoryRatio)];
}
function placementLine(r: CompareResult): string {
  const p = r.placement!;
  return `${p.podsInBoth} pods in both runs: ${p.movedNode} on another node, ${p.movedZone} in another zone, ${p.boundInBaseOnly} bound in base only, ${p.boundInCandidateOnly} in candidate only; ${p.onlyInBase} pods only in base, ${p.onlyInCandidate} only in candidate`;
}
function gateLines(r: CompareResult): string[] {
  const lines = r.bounds.map((b) => {
    const x = [...r.crossings.filter((c) => c.bound === b).map(crossingText), ...r.unjudged.filter((u) => u.bound === b).map((u) => unjudgedText(r, u))];
    if (x.length > 0) return `--fail-on ${b.text}: FAILED: ${x.join('; ')}`;
    // A change beyond the bound that is not significant passes: say so, it may need more seeds.
    const unsure = r.metrics.filter((c) => c.metric === b.metric && beyond(b, c)).map((c) => unsureText(r, b, c));
    return unsure.length === 0 ? `--fail-on ${b.text}: passed` : `--fail-on ${b.text}: passed, beyond the bound but not significant: ${unsure.join('; ')}`;
  });
  if (r.bounds.length === 0) return lines;
  const candidate = failedCandidateText(r);
  if (candidate !== null) lines.push(`candidate runs: FAILED: ${candidate}`);
  const base = droppedText(r.dropped.filter((d) => d.side === 'base'), undefined, 'failed');
  if (base !== null) lines.push(`base runs: ${base}: their seeds are left out, not held against the candidate`);
  return lines;
}

/** "pods_unbound_end +5 (4 pairs, 95% CI [-1, +11])"; without an interval, why. */
function unsureText(r: CompareResult, b: FailOnBound, c: MetricComparison): string {
  const change = b.relative ? percent(c.changeRatio) : signed(c.difference);
  const n = cellTest(r, c.group) === 'paired' ? `${c.nBase} pair${c.nBase === 1 ? '' : 's'}` : `n ${c.nBase}/${c.nCandidate}`;
  const why = c.ciLow !== null && c.ciLow !== undefined ? `95% CI ${interval(c)}` : noIntervalText(r, c);
  return `${c.group !== '' ? `${c.group}: ` : ''}${c.metric} ${change} (${n}, ${why})`;
}

/** Why a sweep comparison with a change has no interval (intervals.ts). */
function noIntervalText(r: CompareResult, c: MetricComparison): string {
  if (cellTest(r, c.group) === 'paired') return (c.nBase ?? 0) < 2 ? 'no interval from one pair' : 'no interval: the same change on every pair is significant from 6 pairs';
  if ((c.nBase ?? 0) < 2 || (c.nCandidate ?? 0) < 2) return 'no interval from one run a side';
  return 'no interval: two constant sides differ significantly only from 4 runs a side (or 3 and 5, 2 and 8)';
}

/** The markdown verdict above the gate lines. */
function headline(r: CompareResult): string {
  if (r.crossings.length > 0) return '**Regression found.**';
  const candidate = failedCandidateText(r);
  if (candidate !== null) return `**Gate failed: ${candidate}.**`;
  if (r.unjudged.some((u) => u.why === 'no-pairs')) return '**Gate failed: nothing to compare.**';
  if (r.unjudged.some((u) => u.why === 'empty-candidate')) return '**Gate failed: candidate runs with an empty value cannot be judged.**';
  if (r.unjudged.length > 0) return '**Gate failed: too few seeds to judge a change beyond a bound.**';
  const base = droppedText(r.dropped.filter((d) => d.side === 'base'), undefined, 'failed');
  return base === null ? '**No regression.**' : `**No regression in the seeds compared**; ${base} and were left out.`;
}

const PAIRED_TEXT = 'paired: means over the seeds ok in both sweeps (pairs), change = the mean per-seed difference, with the 95% interval of the exact sign-flip test (Student t below 6 pairs)';
const UNPAIRED_TEXT = 'unpaired: means over the ok runs (n = base/candidate), change = the difference of the means, with its 95% Welch t interval';

/** A matrix cell's title: its values, and its test when the cells' tests differ. */
function cellTitle(r: CompareResult, g: string): string {
  if (r.test !== 'mixed') return g;
  const t = r.cellTests?.find((x) => x.group === g);
  return t?.test === 'paired' ? `${g}: paired by seed` : `${g}: unpaired (${t?.unpairedBecause ?? 'seeds not paired'})`;
}

/** Which test compared two sweeps, and how to read the columns. */
function testLine(r: CompareResult): string {
  if (r.test === 'mixed') return `paired by seed in the matrix cells whose runs pair (the same seeds on both sides), unpaired in the others; each cell says which. ${PAIRED_TEXT}; ${UNPAIRED_TEXT}; significant when the interval excludes 0`;
  if (r.test === 'paired') return 'paired by seed: means over the seeds ok in both sweeps (pairs); change = the mean per-seed difference, with the 95% interval of the exact sign-flip test (Student t below 6 pairs); significant when it excludes 0';
  return `unpaired (${r.unpairedBecause ?? 'seeds not paired'}): means over the ok runs (n = base/candidate); change = the difference of the means, with its 95% Welch t interval; significant when it excludes 0`;
}

/** The comparison for people, fitted to `width` columns: prose word-wrapped, tables stacked in
 * sections or abbreviated where they would not fit (src/cli/table.ts fitTable); -o csv and -o json
 * hold every figure unabridged. */
export function compareTable(r: CompareResult, width = 80): string {
  const line = (text: string) => `${wrapText(text, width)}\n`;
  let s = line(`ksim compare (${r.kind}): ${r.base} → ${r.candidate}`);
  if (r.kind === 'sweeps') s += line(`  ${testLine(r)}`);
  const failed = failedRunsLine(r);
  if (failed !== null) s += line(`  ${failed}`);
  for (const g of groups(r)) {
    if (g !== '') s += `\n${line(cellTitle(r, g))}`;
    else s += '\n';
    const test = cellTest(r, g);
    s += fitTable(metricHeader(r, test), r.metrics.filter((m) => m.group === g).map((m) => metricCells(r, m)), width, metricShortHeader(r, test));
  }
  if (r.placement !== null) {
    s += `\n${line(`Placement: ${placementLine(r)}`)}`;
    const changed = changedNodes(r.placement.nodes);
    s += changed.length === 0 ? 'Nodes: no utilisation change at the end\n' : `${line('Nodes whose load changed (at the end, requested / allocatable):')}${fitTable(NODE_HEADER, changed.map(nodeCells), width)}`;
  }
  const gate = gateLines(r);
  if (gate.length > 0) s += `\n${gate.map(line).join('')}`;
  return s;
}

export function compareMarkdown(r: CompareResult): string {
  const row = (cells: readonly string[]) => `| ${cells.map((c) => c.replaceAll('|', '\\|')).join(' | ')} |`;
  const table = (header: string[], rows: string[][]) => [row(header), `|${header.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`, ...rows.map(row)].join('\n');
  let s = `### ksim compare: \`${r.base}\` → \`${r.candidate}\`\n\n`;
  const gate = gateLines(r);
  if (gate.length > 0) s += `${headline(r)}\n\n${gate.map((g) => `- ${g}`).join('\n')}\n\n`;
  if (r.kind === 'sweeps') s += `${testLine(r).replace(/^./, (x) => x.toUpperCase())}.\n\n`;
  const failed = failedRunsLine(r);
  if (failed !== null) s += `**${failed}.**\n\n`;
  for (const g of groups(r)) {
    if (g !== '') s += `**${cellTitle(r, g)}**\n\n`;
    s += `${table(metricHeader(r, cellTest(r, g)), r.metrics.filter((m) => m.group === g).map((m) => metricCells(r, m)))}\n\n`;
  }
  if (r.placement !== null) {
    s += `**Placement:** ${placementLine(r)}.\n\n`;
    const changed = changedNodes(r.placement.nodes);
    if (changed.length > 0) s += `${table(NODE_HEADER, changed.map(nodeCells))}\n\n`;
  }
  return s.replace(/\n+$/, '\n');
}

/** One CSV row per metric (and matrix cell): numbers as written in ksim's files. */
export function compareCsv(r: CompareResult): string {
  const n = (v: number | null | undefined) => (v === null || v === undefined || !Number.isFinite(v) ? (v === Infinity ? 'inf' : v === -Infinity ? '-inf' : '') : fmt(v, 6));
  const columns = [...(r.matrix.length > 0 ? ['group'] : []), 'metric', 'base', 'candidate', 'difference', 'change_ratio', ...(r.kind === 'sweeps' ? ['n_base', 'n_candidate', 'ci_low', 'ci_high', 'significant', 'test', 'interval', 'failed_base', 'failed_candidate'] : [])];
  // The runs not ok in the row's matrix cell, per side (the same on every metric row of a cell).
  const failed = (group: string, side: 'base' | 'candidate') => r.dropped.filter((d) => d.group === group && d.side === side).reduce((a, d) => a + d.seeds.length, 0);
  const rows = r.metrics.map((m) => {
    const row: Record<string, string | number> = { group: m.group, metric: m.metric, base: n(m.base), candidate: n(m.candidate), difference: n(m.difference), change_ratio: n(m.changeRatio) };
    if (r.kind === 'sweeps') Object.assign(row, { n_base: m.nBase ?? 0, n_candidate: m.nCandidate ?? 0, ci_low: n(m.ciLow), ci_high: n(m.ciHigh), significant: m.significant === true ? 'true' : 'false', test: m.test ?? '', interval: m.interval ?? '', failed_base: failed(m.group, 'base'), failed_candidate: failed(m.group, 'candidate') });
    return row;
  });
  return stringify(rows, { header: true, columns });
}

export function compareJson(r: CompareResult): Record<string, unknown> {
  const fin = (v: number | null | undefined) => (v === null || v === undefined || !Number.isFinite(v) ? null : v);
  return {
    kind: r.kind,
    base: r.base,
    candidate: r.candidate,
    // test: paired, unpaired or mixed (cell_tests: each matrix cell's, and why not paired).
    ...(r.kind === 'sweeps' ? {
      matrix: r.matrix, test: r.test, interval: r.test === 'paired' ? 'sign-flip' : r.test === 'mixed' ? 'mixed' : 'welch-t', ...(r.unpairedBecause !== undefined ? { unpaired_because: r.unpairedBecause } : {}),
      cell_tests: (r.cellTests ?? []).map((t) => ({ group: t.group, test: t.test, ...(t.unpairedBecause !== undefined ? { unpaired_because: t.unpairedBecause } : {}) })),
    } : {}),
    metrics: r.metrics.map((m) => ({
      ...(r.matrix.length > 0 ? { group: m.group } : {}),
      metric: m.metric,
      base: fin(m.base),
      candidate: fin(m.candidate),
      difference: fin(m.difference),
      // null, not the string "Infinity", for a change from a base of 0: JSON has no infinity,
      // and the field is a number otherwise (base 0 and the difference's sign say which way).
      change_ratio: fin(m.changeRatio),
      ...(r.kind === 'sweeps' ? { test: m.test ?? null, n_base: m.nBase, n_candidate: m.nCandidate, ci_low: fin(m.ciLow), ci_high: fin(m.ciHigh), significant: m.significant === true, interval: m.interval ?? null } : {}),
    })),
    ...(r.placement !== null ? {
      placement: {
        pods_in_both: r.placement.podsInBoth, moved_node: r.placement.movedNode, moved_zone: r.placement.movedZone,
        bound_in_base_only: r.placement.boundInBaseOnly, bound_in_candidate_only: r.placement.boundInCandidateOnly,
        only_in_base: r.placement.onlyInBase, only_in_candidate: r.placement.onlyInCandidate,
        nodes: r.placement.nodes.map((x) => ({ node: x.node, base_pods: x.basePods, candidate_pods: x.candidatePods, base_cpu_ratio: x.baseCpuRatio, candidate_cpu_ratio: x.candidateCpuRatio, base_memory_ratio: x.baseMemoryRatio, candidate_memory_ratio: x.candidateMemoryRatio })),
      },
    } : {}),
    ...(r.kind === 'sweeps' ? { dropped_runs: r.dropped.map((d) => ({ ...(r.matrix.length > 0 ? { group: d.group } : {}), side: d.side, runs: d.runs, by_status: d.byStatus, seeds: d.seeds })) } : {}),
    // no_pairs: the bound had nothing to judge in some cell; no_interval: a change beyond it had
    // no interval (too few pairs); empty_candidate: candidate runs had no value of its metric;
    // either way the gate failed.
    fail_on: r.bounds.map((b) => ({ bound: b.text, crossed: r.crossings.some((c) => c.bound === b), ...(r.unjudged.some((u) => u.bound === b && u.why === 'no-pairs') ? { no_pairs: true } : {}), ...(r.unjudged.some((u) => u.bound === b && u.why === 'no-interval') ? { no_interval: true } : {}), ...(r.unjudged.some((u) => u.bound === b && u.why === 'empty-candidate') ? { empty_candidate: true } : {}) })),
    regression: r.crossings.length > 0,
    // passed / failed (a bound crossed or with nothing to judge, or a candidate run failed); null without --fail-on.
    gate: r.gate,
  };
}

/** Registers `ksim compare` (src/cli/main.ts). */
export function registerCompareCommand<T>(y: Argv<T>, out: (s: string) => void, err: (s: string) => void = (t) => process.stderr.write(t)): Argv<T> {
  return y.command(
    'compare <base> <candidate>',
    'Compare two runs or two sweeps metric by metric; exit 3 when the CI regression gate fails: a --fail-on bound crossed or that cannot be judged, or a candidate run failed',
    (c) =>
      c
        .positional('base', { type: 'string', demandOption: true, describe: 'Run folder (summary.csv) or sweep folder (sweep.csv)' })
        .positional('candidate', { type: 'string', demandOption: true, describe: 'Of the same kind as base' })
        .option('fail-on', { type: 'string', array: true, describe: 'METRIC:+5% (a rise beyond 5%), METRIC:-5% (a fall), METRIC:+2 (absolute); for sweeps, the mean change, counted only when significant; a failed candidate run fails the gate too; repeatable' })
        .option('output', { alias: 'o', choices: COMPARE_FORMATS, default: 'table' as const, describe: 'table for people; csv, json for scripts; markdown for a pull request or job summary' })
        .option('resamples', { type: 'string', hidden: true, describe: 'No effect (compare used a bootstrap before its exact intervals); accepted for old scripts' })
        .option('seed', { type: 'string', hidden: true, describe: 'No effect, as --resamples' })
        .example('$0 compare results/base results/candidate', 'Two runs: every metric and what moved')
        .example('$0 compare base-sweep cand-sweep --fail-on sched_latency_p99_ms:+5% -o markdown', 'The CI gate'),
    (a) =>
      compareCommand(
        {
          base: a.base,
          candidate: a.candidate,
          failOn: a['fail-on'],
          output: a.output,
          resamples: positiveIntOption('--resamples', a.resamples, 100, 1_000_000),
          seed: positiveIntOption('--seed', a.seed, 0, 4294967295),
          columns: process.stdout.columns,
        },
        out,
        err,
      ),
  );
}
