// The report of a sweep folder (ksim sweep): sweep.csv has one row per run — run id, seed, the
// matrix values (one column per --matrix PATH), status, then every summary.csv column. It shows
// the runs by status, each key metric's distribution over the runs, and, with a matrix, each key
// metric per matrix value, and, for GPU-sharing runs, the gpu_* columns per matrix value
// (gpu-report.ts).
import { InputError } from '../api/input-error.js';
import { constantOf, histogram, median, type Figure } from './charts.js';
import { readAll, type CsvRow } from './csv-table.js';
import { gpuSweepSection } from './gpu-report.js';
import { naturalCompare } from './node-heatmap.js';
import { groupLabeller, labelsSentence } from './matrix-labels.js';
import type { Headline, ReportPage, Section, Table } from './page.js';
import { sweepAbout } from './provenance.js';

/** The metrics shown, in this order, when the file has them. */
export const KEY_METRICS = [
  'sched_latency_p99_ms',
  'startup_latency_p99_ms',
  'pods_unbound_end',
  'cpu_requested_mean_ratio',
  'memory_requested_mean_ratio',
  'reschedule_p99_s',
  'time_to_full_availability_max_s',
  'available_min_ratio',
] as const;

/** A run with this status finished; any other status is a failed run. */
const OK = 'ok';

interface SweepRun {
  readonly id: string;
  readonly seed: string;
  /** Matrix values joined as "PATH=V, PATH=V". */
  readonly group: string;
  readonly status: string;
  readonly row: CsvRow;
}

export function sweepReport(dir: string): ReportPage {
  const { header, rows } = readAll(dir, 'sweep.csv', ['seed', 'status']);
  const cols = header.columns;
  const seedAt = header.index('seed');
  const statusAt = header.index('status');
  if (statusAt < seedAt) throw new InputError(rows[0]?.header.display ?? 'sweep.csv', 1, statusAt + 1, 'status', 'the columns run id, seed, matrix values, status, then the summary.csv columns', 'status before seed');
  const idColumn = cols[0] as string;
  const matrix = cols.slice(seedAt + 1, statusAt);
  const runs: SweepRun[] = rows.map((r) => ({
    id: r.text(idColumn),
    seed: r.text('seed'),
    group: matrix.map((m) => `${m}=${r.text(m)}`).join(', '),
    status: r.text('status'),
    row: r,
  }));
  const ok = runs.filter((r) => r.status === OK);
  const metrics = KEY_METRICS.filter((m) => header.has(m) && ok.some((r) => r.row.numberOrNull(m) !== null));
  const scenario = header.has('scenario') ? (ok[0] ?? runs[0])?.row.text('scenario') ?? '' : '';
  const groups = [...new Set(runs.map((r) => r.group))].sort(naturalCompare);

  const sections: Section[] = [
    { id: 'summary', title: 'Runs', intro: `From sweep.csv: ${runs.length} runs${matrix.length > 0 ? ` over ${groups.length} matrix combinations` : ''}.`, headlines: headlines(runs, ok, matrix, groups, metrics), tables: failedTable(runs, idColumn) },
    {
      id: 'distributions',
      title: 'Distributions over the runs',
      compact: true,
      intro: `Each key metric over the ${ok.length} runs with status ${OK}${matrix.length > 0 ? `, the ${groups.length} matrix combinations pooled (each apart: By matrix value)` : ''}: how many runs fall in each range; red, the median.`,
      figures: metrics.map((m): Figure => {
        const values = numbers(ok, m);
        const only = constantOf(values);
        if (only !== null) return { id: `dist-${m}`, title: m, note: `The same in every run${matrix.length > 0 ? ' of every combination' : ''}: no distribution to draw.`, chart: { type: 'constant', text: `all ${values.length} runs: ${short(only)}` } };
        return { id: `dist-${m}`, title: m, note: `${values.length} runs${matrix.length > 0 ? ', combinations pooled' : ''}; min ${short(Math.min(...values))}, median ${short(median(values))}, max ${short(Math.max(...values))}.`, chart: { type: 'histogram', label: m, bins: histogram(values), median: median(values) } };
      }),
    },
  ];
  if (matrix.length > 0) {
    const label = groupLabeller(matrix);
    sections.push({
      id: 'matrix',
      title: 'By matrix value',
      compact: true,
      intro: `Each key metric per combination of ${matrix.join(', ')}: box = quartiles, whiskers = the range without outliers, dots = runs.${labelsSentence(matrix)}`,
      figures: metrics.map((m): Figure => {
        const values = numbers(ok, m);
        const only = constantOf(values);
        const withValue = groups.filter((g) => ok.some((r) => r.group === g && r.row.numberOrNull(m) !== null)).length;
        return {
          id: `matrix-${m}`,
          title: `${m} by ${matrix.join(', ')}`,
          note: groups.map((g) => `${label(g)}: median ${short(median(numbers(ok.filter((r) => r.group === g), m)))}`).join('; '),
          chart: only !== null
            ? { type: 'constant', text: `all ${values.length} runs: ${short(only)}${withValue > 1 ? `, in each of the ${withValue} combinations` : ''}` }
            : { type: 'box', label: m, groups: groups.map(label), points: ok.flatMap((r) => { const v = r.row.numberOrNull(m); return v === null ? [] : [{ g: label(r.group), v }]; }) },
        };
      }),
      tables: [mediansTable(ok, groups, metrics, matrix, label)],
    });
  }
  const gpu = gpuSweepSection(dir, header, matrix, ok, groups);
  if (gpu !== null) sections.push(gpu);
  const about = sweepAbout(dir, scenario, [...new Set(runs.map((r) => r.seed))], matrix);
  return { kind: 'ksim sweep', title: scenario === '' ? `${runs.length} runs` : `${scenario}: ${runs.length} runs`, about, sections };
}

function numbers(runs: readonly SweepRun[], metric: string): number[] {
  return runs.flatMap((r) => {
    const v = r.row.numberOrNull(metric);
    return v === null ? [] : [v];
  });
}

function headlines(runs: readonly SweepRun[], ok: readonly SweepRun[], matrix: readonly string[], groups: readonly string[], metrics: readonly string[]): Headline[] {
  const byStatus = new Map<string, number>();
  for (const r of runs) byStatus.set(r.status, (byStatus.get(r.status) ?? 0) + 1);
  const seeds = [...new Set(runs.map((r) => r.seed))].sort(naturalCompare);
  const out: Headline[] = [
    { label: 'Runs', value: String(runs.length), hint: [...byStatus].sort(([a], [b]) => naturalCompare(a, b)).map(([s, n]) => `${s} ${n}`).join(', ') },
    { label: 'Seeds', value: String(seeds.length), hint: seeds.length > 0 ? `${seeds[0]} … ${seeds[seeds.length - 1]}` : '' },
  ];
  if (matrix.length > 0) out.push({ label: 'Matrix combinations', value: String(groups.length), hint: matrix.join(', ') });
  // With a matrix, per combination: a median pooled over layouts (pods_unbound_end 1.5 where
  // one layout leaves 0 and the other 3) describes none of them.
  for (const m of metrics) {
    if (matrix.length === 0) {
      out.push({ label: `${m} (median)`, value: short(median(numbers(ok, m))) });
      continue;
    }
    const medians = groups.map((g) => median(numbers(ok.filter((r) => r.group === g), m)));
    const shown = medians.filter((v) => Number.isFinite(v));
    const value = groups.length <= 4 || shown.length === 0 ? medians.map(short).join(' / ') : `${short(Math.min(...shown))} … ${short(Math.max(...shown))}`;
    out.push({ label: `${m} (median per combination)`, value, hint: groups.map((g, i) => `${g}: ${short(medians[i] as number)}`).join('; ') });
  }
  return out;
}

function failedTable(runs: readonly SweepRun[], idColumn: string): Table[] {
  const failed = runs.filter((r) => r.status !== OK);
  if (failed.length === 0) return [];
  return [{ caption: `Runs without status ${OK}`, columns: [idColumn, 'seed', 'status'], rows: failed.map((r) => [r.id, r.seed, r.status]) }];
}

function mediansTable(ok: readonly SweepRun[], groups: readonly string[], metrics: readonly string[], matrix: readonly string[], label: (g: string) => string): Table {
  return {
    caption: `Medians per ${matrix.join(', ')}`,
    columns: ['matrix values', 'runs', ...metrics],
    rows: groups.map((g) => {
      const rs = ok.filter((r) => r.group === g);
      return [label(g), String(rs.length), ...metrics.map((m) => short(median(numbers(rs, m))))];
    }),
  };
}

/** A figure for people: up to 4 significant digits. */
export function short(v: number): string {
  if (!Number.isFinite(v)) return '–';
  return String(Number(v.toPrecision(4)));
}
