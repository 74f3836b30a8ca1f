// `ksim explain`: one scheduling decision, as a table for people or JSON for scripts.
import { InputError } from '../api/input-error.js';
import { warningLine } from './warnings.js';
import { explainFiles } from '../run/explain-files.js';
import { filterSummary, type ExplainDaemonSet, type ExplainResult } from '../scheduler/explain.js';

export interface ExplainArgs {
  /** Repeated options arrive as lists. */
  readonly cluster: string | readonly string[];
  readonly pod: string | readonly string[];
  readonly config?: string | readonly string[] | undefined;
  readonly configDocument?: number | undefined;
  readonly configKey?: string | undefined;
  readonly plugins?: readonly string[] | undefined;
  readonly nodes?: readonly string[] | undefined;
  readonly scoreAllNodes?: boolean | undefined;
  readonly pluginModule?: readonly string[] | undefined;
  readonly output: 'table' | 'json';
}

export async function explainCommand(a: ExplainArgs, out: (s: string) => void, err: (s: string) => void): Promise<void> {
  const warnings: string[] = [];
  const r = await explainFiles({
    warnings,
    cluster: typeof a.cluster === 'string' ? [a.cluster] : a.cluster,
    pod: single('--pod', a.pod) as string,
    ...(a.config !== undefined ? { config: single('--config', a.config) as string } : {}),
    ...(a.configDocument !== undefined ? { configDocument: a.configDocument } : {}),
    ...(a.configKey !== undefined ? { configKey: a.configKey } : {}),
    ...(a.plugins !== undefined ? { plugins: a.plugins } : {}),
    ...(a.nodes !== undefined ? { nodes: a.nodes } : {}),
    ...(a.pluginModule !== undefined ? { pluginModules: a.pluginModule } : {}),
    scoreAllNodes: a.scoreAllNodes === true,
  });
  for (const w of warnings) err(warningLine(w));
  out(a.output === 'json' ? `${JSON.stringify(r, null, 2)}\n` : renderTable(r));
}

/** The one file an option names (given twice, it is refused by name). */
function single(option: string, v: string | readonly string[]): string {
  if (typeof v === 'string') return v;
  if (v.length !== 1) throw new InputError(option, 0, 0, '', `one file (${option} is the only one of its kind; --cluster is the option to repeat)`, v.map((x) => JSON.stringify(x)).join(', '));
  return v[0] as string;
}

/** Splits "A,B" option values (and repeated options) into names. */
export function listOption(v: readonly string[] | string | undefined): string[] | undefined {
  if (v === undefined) return undefined;
  return (Array.isArray(v) ? v : [v]).flatMap((x: string) => x.split(',')).map((x) => x.trim()).filter((x) => x !== '');
}

/** The filter column's widest cell: a node failing several plugins made it ~150 characters wide
 * on a real cluster (and every row as wide); -o json has every verdict whole. */
export const FILTER_COLUMN_WIDTH = 60;

/** The answer and the filters' tally first (a 3,000-node table would bury them), then the
 * table, then the answer again under it. */
export function renderTable(r: ExplainResult): string {
  if (r.daemonSet !== undefined) return renderDaemonSet(r, r.daemonSet);
  const lines: string[] = [];
  lines.push(`pod ${r.pod}, profile ${r.profile}`);
  const viaNomination = r.nominatedNode !== undefined && r.selected === r.nominatedNode;
  const answer = r.error !== undefined
    ? `error: ${r.error} (the scheduler ends the cycle with this Error and retries the pod after a backoff)`
    : r.selected === null ? `no node fits: ${r.reason ?? ''}`
    : viaNomination ? `selected: ${r.selected} (the pod's nominated node: it passes every filter, so the scheduler takes it without searching or scoring)`
    : r.tiedWith !== undefined && r.tiedWith.length > 0 ? `selected: ${r.selected} (tied with ${tiedList(r.tiedWith)}: kube-scheduler picks one of them at random)`
    : `selected: ${r.selected} (scores are normalised × weight)`;
  lines.push(answer);
  if (r.nominatedNode !== undefined && !viaNomination) lines.push(`the pod's nominated node ${r.nominatedNode} fails a filter: the scheduler searched every node`);
  // Nothing fits: the answer is kube-scheduler's message already. An Error at PreFilter or
  // Filter ends the cycle there, with no tally (no FitError); one from scoring comes after the
  // filters, whose tally stands.
  if (r.selected !== null || (r.error !== undefined && !filtersErred(r))) lines.push(filterSummary(r));
  const apart = Object.values(r.nodes).filter((n) => n.scoredApart === true).length;
  if (apart > 0) lines.push(apart === 1
    ? '--score-all-nodes: the 1 node that fails a filter is scored apart, normalised among the failing nodes only; its total (in brackets) takes no part in the decision'
    : `--score-all-nodes: the ${apart} nodes that fail a filter are scored apart, normalised among the failing nodes only; their totals (in brackets) take no part in the decision`);
  for (const [k, v] of Object.entries(r.preFilter)) lines.push(`  PreFilter ${k}: ${v.code}${v.reason ? ` (${v.reason})` : ''}`);
  for (const [k, v] of Object.entries(r.preScore)) lines.push(`  PreScore ${k}: ${v.code}${v.reason ? ` (${v.reason})` : ''}`);
  const scorePlugins = [...new Set(Object.values(r.nodes).flatMap((n) => Object.keys(n.score ?? {})))];
  const header = ['node', 'filter', ...scorePlugins.map((p) => `${p} (×${weightOf(r, p)})`), 'total'];
  const rows = Object.entries(r.nodes).map(([name, n]) => {
    const rejected = Object.entries(n.filter).filter(([, s]) => s.code !== 'Success');
    const verdict = rejected.length === 0 ? 'passed' : rejected.map(([p, s]) => `${p}: ${s.reason ?? s.code}`).join('; ');
    const cells = scorePlugins.map((p) => {
      const s = n.score?.[p];
      if (s === undefined) return '-';
      return s.raw === s.normalized ? `${s.weighted}` : `${s.weighted} (raw ${s.raw})`;
    });
    return [name === r.selected ? `${name} *` : name, clip(verdict, FILTER_COLUMN_WIDTH), ...cells, n.total === undefined ? '-' : n.scoredApart === true ? `(${n.total})` : String(n.total)];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] as string).length)));
  const fmtRow = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] as number)).join('  ').trimEnd();
  lines.push('');
  lines.push(fmtRow(header));
  for (const row of rows) lines.push(fmtRow(row));
  lines.push('');
  lines.push(answer);
  return `${lines.join('\n')}\n`;
}

/** The nodes tied with the selected one, the first TIED_SHOWN by name and how many more (a
 * 3,000-node cluster can have hundreds tied); -o json lists them all. */
function tiedList(tied: readonly string[]): string {
  return tied.length <= TIED_SHOWN ? tied.join(', ') : `${tied.slice(0, TIED_SHOWN).join(', ')} and ${tied.length - TIED_SHOWN} more`;
}
export const TIED_SHOWN = 5;

/** Whether a PreFilter or Filter verdict is an Error (the cycle ended while filtering). */
function filtersErred(r: ExplainResult): boolean {
  return Object.values(r.preFilter).some((v) => v.code === 'Error') || Object.values(r.nodes).some((n) => Object.values(n.filter).some((v) => v.code === 'Error'));
}

/** The DaemonSet table's last column: a taint the controller does not tolerate, the common
 * reason (66 characters for node-role.kubernetes.io/control-plane:NoSchedule), fits whole. */
export const DAEMON_COLUMN_WIDTH = 70;

/** A DaemonSet: per node, whether its daemon pod is placed, fails a filter, or is not created
 * by the controller, and why; grouped so (each group in the scheduler's node order), the answer
 * first and last. */
function renderDaemonSet(r: ExplainResult, ds: ExplainDaemonSet): string {
  const unschedulable = Object.keys(ds.unschedulable);
  const notCreated = Object.keys(ds.notCreated);
  const total = ds.placed.length + unschedulable.length + notCreated.length;
  const others = [
    ...(unschedulable.length > 0 ? [`${unschedulable.length} unschedulable`] : []),
    ...(notCreated.length > 0 ? [`${notCreated.length} not created by the DaemonSet controller`] : []),
  ];
  const answer = `daemon pods placed on ${ds.placed.length} of ${total} node(s)${others.length > 0 ? ` (${others.join(', ')})` : ''}`;
  const lines = [`DaemonSet ${ds.name}, profile ${r.profile}: a pod per node, pinned to it`, answer];
  for (const [k, v] of Object.entries(r.preFilter)) lines.push(`  PreFilter ${k}: ${v.code}${v.reason ? ` (${v.reason})` : ''}`);
  const rows: string[][] = ds.placed.map((n) => [n, 'placed', '']);
  for (const n of unschedulable) {
    const msg = ds.unschedulable[n] as string;
    const rejected = Object.entries(r.nodes[n]?.filter ?? {}).filter(([, s]) => s.code !== 'Success');
    const why = msg.startsWith('error: ') ? msg : rejected.map(([p, s]) => `${p}: ${s.reason ?? s.code}`).join('; ');
    const victims = ds.preemption?.[n];
    rows.push([n, 'unschedulable', victims === undefined ? why : `preemption would evict ${victims.join(', ')}; ${why}`]);
  }
  for (const n of notCreated) rows.push([n, 'not created', ds.notCreated[n] as string]);
  const header = ['node', 'daemon pod', 'why not'];
  const cells = rows.map((row) => [row[0] as string, row[1] as string, clip(row[2] as string, DAEMON_COLUMN_WIDTH)]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] as string).length)));
  const fmtRow = (c: string[]) => c.map((x, i) => x.padEnd(widths[i] as number)).join('  ').trimEnd();
  lines.push('', fmtRow(header), ...cells.map(fmtRow), '', answer);
  return `${lines.join('\n')}\n`;
}

/** `s` cut to `width` characters, the last one "…" when cut. */
export function clip(s: string, width: number): string {
  return s.length <= width ? s : `${s.slice(0, width - 1)}…`;
}

function weightOf(r: ExplainResult, plugin: string): number {
  for (const n of Object.values(r.nodes)) {
    const s = n.score?.[plugin];
    if (s !== undefined) return s.weight;
  }
  return 1;
}
