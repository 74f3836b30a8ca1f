// `ksim capacity SCENARIO --nodes-for POOL`: prints the answer, the probe table and the headroom
// at the answer; writes capacity.csv (and run.json) into the output folder.
import { join } from 'node:path';
import { cpus } from 'node:os';
import { InputError } from '../api/input-error.js';
import { nodesFor, parseTolerance, toleranceText, type NodesForResult, type Probe } from '../capacity/nodes-for.js';
import { parseTarget } from '../capacity/target.js';
import { adaptiveRunner, type ProbeRunner } from '../capacity/probe-runner.js';
import { checkOutputFolder, formatRow, toCsv, writeOutputsAtomically } from '../metrics/csv-output.js';
import { columnNames, columnsOf, type TypedRow } from '../metrics/schema.js';
import { loadScenario } from '../workload/scenario.js';
import { KSIM_VERSION } from '../version.js';
import { shellQuote } from '../sweep/job.js';
import { fmtCost } from './capacity-command.js';
import { planPoolMemory } from './heap.js';
import { estimateMemory } from '../run/memory-estimate.js';

export interface NodesForArgs {
  readonly nodesFor?: string | undefined;
  readonly target?: string | undefined;
  readonly tolerate?: string | undefined;
  readonly seeds?: string | undefined;
  /** --seed: the one seed of every probe (when --seeds is absent). */
  readonly seed?: number | undefined;
  readonly maxCount?: number | undefined;
  readonly workers?: number | undefined;
  readonly output?: string | undefined;
  readonly set?: readonly string[] | undefined;
  readonly json?: boolean | undefined;
  readonly quiet?: boolean | undefined;
}

/** The probes' simulations: each round's runs at once in worker threads, once runs are slow
 * enough for that to pay. */
function probeRunner(pool: { workers: number; heapMib?: number }, onRun: () => void): ProbeRunner {
  return adaptiveRunner({ ...pool, onRun, nowMs: () => performance.now() }); // ksim-allow-clock: picks where runs go, not what they give
}

export async function nodesForCommand(a: NodesForArgs & { readonly scenario: string; readonly nodesFor: string }, out: (s: string) => void, err: (s: string) => void): Promise<void> {
  const target = parseTarget(a.target ?? 'missing=0');
  const tolerate = a.tolerate === undefined ? undefined : parseTolerance(a.tolerate);
  if (a.seeds !== undefined && a.seed !== undefined) throw new InputError('--seed', 0, 0, '', 'either --seed or --seeds', `both (--seed ${a.seed}, --seeds ${a.seeds})`);
  const seeds = a.seeds !== undefined ? parseSeeds(a.seeds) : a.seed !== undefined ? [a.seed] : undefined;
  if (a.maxCount !== undefined && !(Number.isSafeInteger(a.maxCount) && a.maxCount >= 1)) throw new InputError('--max-count', 0, 0, '', 'a positive integer', JSON.stringify(a.maxCount));
  if (a.maxCount !== undefined && tolerate?.kind === 'nodes' && a.maxCount < tolerate.count) {
    throw new InputError('--max-count', 0, 0, '', `at least ${tolerate.count}: --tolerate '${tolerate.count} nodes' needs a pool that can lose ${tolerate.count} nodes`, String(a.maxCount));
  }
  const workers = a.workers ?? Math.min(4, Math.max(1, cpus().length));
  if (!(Number.isSafeInteger(workers) && workers >= 1)) throw new InputError('--workers', 0, 0, '', 'a positive integer', JSON.stringify(a.workers));
  const base = loadScenario(a.scenario, a.set !== undefined ? { set: a.set } : {});
  const name = base.name;
  const dir = a.output ?? join('results', `${name}-capacity`);
  checkOutputFolder(dir);
  const started = performance.now(); // ksim-allow-clock: wall time goes to run.json and stderr only
  let runsDone = 0;
  const note = (s: string) => {
    if (a.quiet !== true) err(s);
  };
  // The memory of a run at the scenario's own pool size (nodes weigh little beside pods).
  const pool = planPoolMemory(a.scenario, estimateMemory(base), workers, note);
  const r = await nodesFor({
    scenario: a.scenario,
    pool: a.nodesFor,
    target,
    ...(tolerate !== undefined ? { tolerate } : {}),
    ...(seeds !== undefined ? { seeds } : {}),
    ...(a.set !== undefined ? { set: a.set } : {}),
    ...(a.maxCount !== undefined ? { maxCount: a.maxCount } : {}),
    perRound: Math.max(2, workers),
    runner: probeRunner(pool, () => runsDone++),
    onProbe: (p) => note(`ksim: probe ${a.nodesFor}=${p.count}: ${p.met ? 'met' : 'not met'} (${p.runsMet}/${p.runs} runs; ${target.metric} ${fmtValue(p.targetValue)}; round ${p.round}; ${runsDone} runs so far, ${((performance.now() - started) / 1000).toFixed(1)} s)\n`), // ksim-allow-clock
  });
  const wallMs = performance.now() - started; // ksim-allow-clock
  const dims = { resources: r.extendedResources };
  const rows = r.probes.map((p) => formatRow(capacityRow(r, p), columnsOf('capacity.csv', dims)));
  const runJson = {
    ksim_version: KSIM_VERSION,
    command: 'capacity --nodes-for',
    scenario: a.scenario,
    options: { pool: a.nodesFor, target: target.text, tolerate: toleranceText(tolerate), seeds: r.seeds, set: a.set ?? [], max_count: r.maxCount },
    count: r.count,
    plateau: plateauJson(r),
    inversions: r.inversions,
    wall_time_ms: Math.round(wallMs),
    runs: runsDone,
  };
  const written = writeOutputsAtomically(dir, [
    { file: 'capacity.csv', content: toCsv({ file: 'capacity.csv', columns: columnNames('capacity.csv', dims), rows }) },
    { file: 'run.json', content: `${JSON.stringify(runJson, null, 2)}\n` },
  ], String(process.pid));
  if (a.json === true) {
    out(`${JSON.stringify(nodesForJson(r))}\n`);
  } else {
    out(renderNodesFor(r));
    out(`\nWrote ${written.map((w) => w.slice(w.lastIndexOf('/') + 1)).join(', ')} to ${dir}/ (${runsDone} simulations, ${(wallMs / 1000).toFixed(1)} s of wall time).\n`);
  }
}

/** --seeds: "1-5", "1,4,9" or a mix ("1-3,7"). */
export function parseSeeds(s: string): number[] {
  const out: number[] = [];
  for (const part of s.split(',')) {
    const m = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(part);
    const a = m === null ? NaN : Number(m[1]);
    const b = m === null ? NaN : m[2] === undefined ? a : Number(m[2]);
    if (!(a <= b && b <= 4294967295) || b - a > 10_000) throw new InputError('--seeds', 0, 0, '', 'seeds as N, N-M or a comma-separated list of them (integers 0 … 4294967295)', JSON.stringify(s));
    for (let x = a; x <= b; x++) if (!out.includes(x)) out.push(x);
  }
  return out;
}

function capacityRow(r: NodesForResult, p: Probe): TypedRow {
  const extended = Object.fromEntries(r.extendedResources.map((k) => [`${k}_headroom_ratio`, p.extendedHeadroom[k] ?? Number.NaN]));
  return {
    pool: r.pool,
    count: p.count,
    met: p.met,
    round: p.round,
    target: r.target.text,
    target_value: p.targetValue,
    runs: p.runs,
    runs_met: p.runsMet,
    worst_run: p.worstRun,
    cpu_headroom_ratio: p.cpuHeadroom,
    memory_headroom_ratio: p.memoryHeadroom,
    cost_per_hour: p.costPerHour,
    ...extended,
  };
}

/** The plateau the search stopped at, as --json and run.json give it. */
function plateauJson(r: NodesForResult): { from_count: number; to_count: number } | null {
  return r.plateau === null ? null : { from_count: r.plateau.from.count, to_count: r.plateau.to.count };
}

/** A number for JSON: NaN as null, rounded to 6 decimals (as the CSV writes it). */
function nullable(v: number | null): number | null {
  return v === null || Number.isNaN(v) ? null : Math.round(v * 1e6) / 1e6;
}

export function nodesForJson(r: NodesForResult): Record<string, unknown> {
  const probe = (p: Probe) => ({
    count: p.count,
    met: p.met,
    round: p.round,
    target_value: nullable(p.targetValue),
    runs: p.runs,
    runs_met: p.runsMet,
    worst_run: p.worstRun,
    cpu_headroom_ratio: nullable(p.cpuHeadroom),
    memory_headroom_ratio: nullable(p.memoryHeadroom),
    cost_per_hour: nullable(p.costPerHour),
    ...Object.fromEntries(r.extendedResources.map((k) => [`${k}_headroom_ratio`, nullable(p.extendedHeadroom[k] ?? null)])),
  });
  return {
    pool: r.pool,
    count: r.count,
    target: r.target.text,
    tolerate: toleranceText(r.tolerate),
    seeds: r.seeds,
    pool_cost_per_hour: nullable(r.poolCostPerHour),
    cost_per_hour: nullable(r.answer?.costPerHour ?? null),
    headroom: r.answer === null ? null : { cpu_ratio: nullable(r.answer.cpuHeadroom), memory_ratio: nullable(r.answer.memoryHeadroom), ...Object.fromEntries(r.extendedResources.map((k) => [`${k}_ratio`, nullable(r.answer?.extendedHeadroom[k] ?? null)])) },
    probes: r.probes.map(probe),
    plateau: plateauJson(r),
    inversions: r.inversions,
  };
}

function fmtValue(v: number): string {
  return Number.isNaN(v) ? '(empty)' : String(Math.round(v * 1000) / 1000);
}

function pct(v: number): string {
  return Number.isNaN(v) ? '-' : `${(v * 100).toFixed(1)} %`;
}

/** The extended resource with less headroom than cpu, memory and the others (the first by name
 * on a tie), or null when cpu or memory has as little: what runs out first (GPUs on a GPU pool
 * whose CPUs idle). */
function scarcestExtended(p: Probe): string | null {
  let best: string | null = null;
  let least = Math.min(...[p.cpuHeadroom, p.memoryHeadroom].filter((v) => !Number.isNaN(v)));
  for (const [k, v] of Object.entries(p.extendedHeadroom).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (v < least) {
      least = v;
      best = k;
    }
  }
  return best;
}

export function renderNodesFor(r: NodesForResult): string {
  const lines: string[] = [];
  const what = `${r.target.text}${r.tolerate === undefined ? '' : `, tolerating ${toleranceText(r.tolerate)} at peak load`}, seed${r.seeds.length === 1 ? '' : 's'} ${r.seeds.join(',')}`;
  if (r.plateau !== null) {
    const { from, to } = r.plateau;
    const m = r.target.metric;
    lines.push(`More nodes of pool ${r.pool} do not help ${what}: ${m} ${fmtValue(from.targetValue)} at ${from.count} nodes, ${fmtValue(to.targetValue)} at ${to.count}; the search stopped.`);
    lines.push(`What keeps the target from being met is not the pool's size (a topology spread constraint during an outage, a pod stuck Terminating on a lost node, a pod no node of the pool can hold, ...).`);
    if (to.worstTask !== undefined) {
      const t = to.worstTask;
      lines.push(`See why in its worst run (${to.worstRun}): its warnings and placements.csv name what stays pending:`);
      lines.push(`  ksim run ${shellQuote(t.scenario)} --seed ${t.seed}${t.set.map((x) => ` --set ${shellQuote(x)}`).join('')}`);
    }
  } else if (r.count === null || r.answer === null) {
    lines.push(`No count of pool ${r.pool} up to ${r.maxCount} meets ${what}.`);
  } else {
    const cost = r.answer.costPerHour === null ? '' : `; the cluster then costs ${fmtCost(r.answer.costPerHour)} per hour${r.poolCostPerHour !== null ? ` (${r.pool}: ${fmtCost(r.count * r.poolCostPerHour)})` : ''}`;
    lines.push(`${r.count} node${r.count === 1 ? ' of pool ' + r.pool + ' meets' : 's of pool ' + r.pool + ' meet'} ${what}${cost}.`);
    const a = r.answer;
    lines.push(`Headroom of pool ${r.pool} at ${r.count} (1 − its peak requested ratio): cpu ${pct(a.cpuHeadroom)}, memory ${pct(a.memoryHeadroom)}${r.extendedResources.map((k) => `, ${k} ${pct(a.extendedHeadroom[k] ?? Number.NaN)}`).join('')}.`);
    const scarce = scarcestExtended(a);
    if (scarce !== null) lines.push(`The answer is limited by ${scarce}: the pool's least headroom at ${r.count} (${pct(a.extendedHeadroom[scarce] as number)}); cpu and memory have more left.`);
    if (r.inversions.length > 0) {
      const pairs = r.inversions.map((x) => `${x.failed} failed it while ${x.met} met it`).join('; ');
      lines.push(`The target is noisy at this margin (${pairs}): ${r.count} is the fewest nodes above every count that failed; more --seeds make the answer steadier.`);
    }
    if (r.faultFloor !== null && r.count === r.faultFloor.count && r.count > 1 && (r.tolerateFloor ?? 0) <= r.faultFloor.count) {
      lines.push(`Fewer nodes were not tried: the scenario's ${r.faultFloor.why} (remove or change that fault to probe below ${r.count}).`);
    } else if (r.tolerateFloor !== null && r.count === r.tolerateFloor && r.count > 1) {
      lines.push(`Fewer nodes were not tried: a pool of fewer than ${r.count} nodes cannot lose ${r.count} (at ${r.count}, the failure runs take them all down).`);
    }
  }
  lines.push('');
  const withCost = r.poolCostPerHour !== null || r.probes.some((p) => p.costPerHour !== null);
  const header = ['count', 'met', 'round', 'runs met', r.target.metric, 'worst run', 'cpu headroom', 'memory headroom', ...r.extendedResources.map((k) => `${k} headroom`), ...(withCost ? ['cost/h'] : [])];
  const rows = r.probes.map((p) => [String(p.count), p.met ? 'yes' : 'no', String(p.round), `${p.runsMet}/${p.runs}`, fmtValue(p.targetValue), p.worstRun, pct(p.cpuHeadroom), pct(p.memoryHeadroom), ...r.extendedResources.map((k) => pct(p.extendedHeadroom[k] ?? Number.NaN)), ...(withCost ? [p.costPerHour === null ? '-' : fmtCost(p.costPerHour)] : [])]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] as string).length)));
  const fmtRow = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] as number)).join('  ').trimEnd();
  lines.push(fmtRow(header));
  for (const row of rows) lines.push(fmtRow(row));
  return `${lines.join('\n')}\n`;
}
