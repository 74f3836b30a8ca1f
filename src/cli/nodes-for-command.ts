// `ksim capacity SCENARIO --nodes-for POOL`: prints the answer, the probe table and the headroom
// at the answer; writes capacity.csv (and run.json) into the output folder.
import { join } from 'node:path';
import { warningLine } from './warnings.js';
import { cpus } from 'node:os';
import { InputError } from '../api/input-error.js';
import { MAX_SEED } from '../api/seed.js';
import { nodesFor, parseTolerance, toleranceText, type NodesForResult, type Probe, type SearchPlan } from '../capacity/nodes-for.js';
import type { UnplacedWorkload } from '../run/run-scenario.js';
import { meets, parseTargets, targetsText, type Target } from '../capacity/target.js';
import { adaptiveRunner, ProbesInterrupted, type ProbeRunner, type ProbeTask, type RunnerHooks, type RunProgress } from '../capacity/probe-runner.js';
import { checkOutputFolder, formatRow, toCsv, writeOutputsAtomically } from '../metrics/csv-output.js';
import { columnNames, columnsOf, type TypedRow } from '../metrics/schema.js';
import { loadScenario } from '../workload/scenario.js';
import { KSIM_VERSION } from '../version.js';
import { shellQuote } from '../sweep/job.js';
import { checkScenarioConfig } from '../sweep/check-configs.js';
import { fmtCost } from './capacity-command.js';
import { planPoolMemory } from './heap.js';
import { estimateMemory } from '../run/memory-estimate.js';
import { CommandExit, EXIT_SIGINT, EXIT_SIGTERM, exitNow } from './exit.js';
import { linesPeriodMs, ProgressReporter, shortDuration, type ProgressMode } from './progress.js';
import { wrapOnTerminal } from './table.js';

export interface NodesForArgs {
  readonly nodesFor?: string | undefined;
  /** --target, once or several times (all must hold). */
  readonly target?: string | readonly string[] | undefined;
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
  /** How progress within the probes shows on stderr (default off: tests, library callers). */
  readonly progress?: ProgressMode | undefined;
  /** Terminal width for the live progress line. */
  readonly columns?: number | undefined;
  /** performance.now() when the command started (the CLI: 0, the process's start); run.json's
   * load_time_ms counts from it, as `ksim run`'s does. Default: when nodesForCommand is called. */
  readonly startedMs?: number | undefined;
}

/** The probes' simulations: each round's runs at once in worker threads, once runs are slow
 * enough for that to pay. */
function probeRunner(pool: { workers: number; heapMib?: number }, hooks: RunnerHooks): ProbeRunner {
  return adaptiveRunner({ ...pool, ...hooks, nowMs: () => performance.now() }); // ksim-allow-clock: picks where runs go and where slices end, not what they give
}

/** A batch of probe runs under way (one runner call): what the progress line shows. */
export interface BatchProgress {
  readonly round: number;
  readonly kind: 'fault-free' | 'failure';
  readonly tasks: readonly ProbeTask[];
  /** Runs of the batch that ended, by index. */
  readonly done: ReadonlySet<number>;
  /** Where the runs in flight are, by index. */
  readonly running: ReadonlyMap<number, RunProgress>;
  /** Wall time since the batch started. */
  readonly elapsedMs: number;
}

/** "general=5000 zone-a down 1h05m/5h12m | round 1 failure runs 1/3 done 20.8% | ETA 12m": the
 * first run in flight and its simulated clock, then the batch (one round's fault-free or failure
 * runs): runs ended, its share of simulated time done (runs ended count whole), and its ETA at
 * its pace so far. On a narrow terminal the batch's segment goes first (fitLine): the run in
 * flight, which says the probe is alive, and the ETA stay. */
export function batchProgressText(b: BatchProgress): string {
  let total = 0;
  let done = 0;
  b.tasks.forEach((t, i) => {
    const dur = t.durationUs ?? b.running.get(i)?.durationUs ?? 0;
    total += dur;
    done += b.done.has(i) ? dur : Math.min(dur, b.running.get(i)?.simUs ?? 0);
  });
  const f = total > 0 ? done / total : 0;
  const eta = b.done.size === b.tasks.length ? '0s' : f >= 0.001 ? shortDuration(((b.elapsedMs / 1000) * (1 - f)) / f) : '?';
  const run = firstInFlight(b);
  const what = b.kind === 'failure' ? 'failure runs' : 'fault-free runs';
  const head = run === null ? `round ${b.round}` : `${run.label} ${run.at}${run.others > 0 ? ` (+${run.others} more)` : ''}`;
  const batch = `${run === null ? '' : `round ${b.round} `}${what} ${b.done.size}/${b.tasks.length} done ${(f * 100).toFixed(1)}%`;
  return [head, batch, `ETA ${eta}`].join(' | ');
}

type BatchState = Pick<BatchProgress, 'round' | 'kind' | 'tasks' | 'done' | 'running'>;

/** The batch's first run in flight (lowest index): its label, where its simulated clock is
 * ("1h05m/5h12m"), and how many other runs are in flight; null when none is. */
function firstInFlight(b: BatchState): { label: string; at: string; others: number } | null {
  const inFlight = [...b.running.keys()].filter((i) => !b.done.has(i)).sort((x, y) => x - y);
  const first = inFlight[0];
  const p = first === undefined ? undefined : b.running.get(first);
  if (first === undefined || p === undefined) return null;
  return { label: b.tasks[first]?.label ?? `run ${first + 1}`, at: `${shortDuration(p.simUs / 1e6)}/${shortDuration(p.durationUs / 1e6)}`, others: inFlight.length - 1 };
}

/** What the search will run and why its failure runs are long, before it starts: a 5,000-node
 * zone outage simulates hours (its nodes tainted one at a time), which took minutes of wall time
 * with nothing printed. */
export function planNote(p: SearchPlan, target: string, tolerate: string): string {
  const int = (n: number) => n.toLocaleString('en-US');
  const seconds = (x: number) => `${int(x)} s${x >= 3600 ? ` (${shortDuration(x)})` : ''}`;
  const seeds = `${p.seeds.length} seed${p.seeds.length === 1 ? '' : 's'}`;
  const runs = `${p.seeds.length} fault-free run${p.seeds.length === 1 ? '' : 's'} of ${shortDuration(p.durationUs / 1e6)} simulated`;
  let out = `ksim: sizing pool ${p.pool} from ${int(p.firstCount)} nodes (${seeds}): each probe runs ${runs}`;
  const fail = p.failure;
  if (fail === null) return `${out}.\n`;
  const n = fail.runsPerSeed * p.seeds.length;
  out += `, then, if ${p.seeds.length === 1 ? 'it meets' : 'they meet'} ${target}, ${n} failure run${n === 1 ? '' : 's'} (${tolerate} at peak load).\n`;
  const t = fail.longest;
  const most = p.durationUs + t.settleUs;
  out += `ksim: each failure run simulates up to ${shortDuration(most / 1e6)} at ${int(p.firstCount)} nodes: the peak load (within the first ${shortDuration(p.durationUs / 1e6)}), then ${t.detectS} s until ${t.what} ${t.tainted === 1 ? 'is' : 'are'} NotReady, ${t.ratePerS === 0 ? `the first of each zone tainted at once and no other (kube-controller-manager's --node-eviction-rate 0: a zone's limiter has its burst of 1 and no more), ${t.tolerationS} s of default toleration and` : `${seconds(t.taintS)} tainting ${t.tainted === 1 ? 'it' : 'them'} at ${t.ratePerS} nodes/s (kube-controller-manager's --node-eviction-rate, one node at a time), ${t.tolerationS} s of default toleration and`} ${t.replaceS} s for the replacements; fewer nodes, shorter runs.\n`;
  return out;
}

/** "interrupted by SIGTERM in round 2 (failure runs: 1 of 3 done; general=5000 zone-a down at
 * 1h05m/5h12m), after 2 probes decided (general=5000 met, general=4999 not met), 5 simulations
 * complete; nothing was written to DIR/". */
export function interruptedText(signal: string, pool: string, batch: BatchState | null, decided: readonly Probe[], runs: number, dir: string): string {
  let where = '';
  if (batch !== null) {
    const run = firstInFlight(batch);
    const at = run === null ? '' : `; ${run.label} at ${run.at}`;
    where = ` in round ${batch.round} (${batch.kind === 'failure' ? 'failure runs' : 'fault-free runs'}: ${batch.done.size} of ${batch.tasks.length} done${at})`;
  }
  const list = decided.length === 0 ? 'before any probe was decided' : `after ${decided.length} probe${decided.length === 1 ? '' : 's'} decided (${decided.slice(0, 8).map((p) => `${pool}=${p.count} ${p.met ? 'met' : 'not met'}`).join(', ')}${decided.length > 8 ? ', ...' : ''})`;
  return `capacity --nodes-for interrupted by ${signal}${where}, ${list}, ${runs} simulation${runs === 1 ? '' : 's'} complete; nothing was written to ${dir}/`;
}

export async function nodesForCommand(a: NodesForArgs & { readonly scenario: string; readonly nodesFor: string }, out: (s: string) => void, err: (s: string) => void): Promise<void> {
  const commandStarted = a.startedMs ?? performance.now(); // ksim-allow-clock: run.json's load_time_ms only
  const targets = parseTargetOption(a.target);
  const targetText = targetsText(targets);
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
    if (a.quiet !== true) {
      progress.finish(); // a note starts on a clean line; the live line comes back at its next update
      err(s);
    }
  };
  const progress = new ProgressReporter<BatchProgress>({
    mode: a.quiet === true ? 'off' : (a.progress ?? 'off'),
    write: err,
    nowMs: () => performance.now(), // ksim-allow-clock: progress goes to stderr only
    label: `capacity ${name}`,
    linesPeriodMs: linesPeriodMs(),
    format: batchProgressText,
    ...(a.columns !== undefined ? { columns: a.columns } : {}),
  });
  // The batch under way (one runner call), for the progress line and an interruption's message.
  let batch: { round: number; kind: 'fault-free' | 'failure'; tasks: readonly ProbeTask[]; done: Set<number>; running: Map<number, RunProgress>; startMs: number } | null = null;
  const show = () => {
    if (batch === null) return;
    const b = batch;
    progress.update(() => ({ ...b, elapsedMs: performance.now() - b.startMs })); // ksim-allow-clock: progress only
  };
  const decided: Probe[] = [];
  // SIGINT/SIGTERM stop the runs between slices of events; nothing is written. A second one
  // exits at once (as ksim sweep's).
  let signal: NodeJS.Signals | null = null;
  const onSignal = (sig: NodeJS.Signals) => {
    if (signal !== null) exitNow(sig === 'SIGTERM' ? EXIT_SIGTERM : EXIT_SIGINT);
    signal = sig;
  };
  // The memory of a run at the scenario's own pool size (nodes weigh little beside pods).
  const pool = planPoolMemory(a.scenario, estimateMemory(base), workers, note);
  // Its scheduler configuration is checked before any probe, as ksim sweep checks its
  // combinations' (a probe only adds nodes and faults: the configuration is the --set one), so a
  // bad one is bad input (exit 2) before the plan note and the first round's runs.
  await checkScenarioConfig(base, a.scenario, a.set ?? [], pool.heapMib);
  const runner = probeRunner(pool, {
    onRun: (i) => {
      runsDone++;
      batch?.done.add(i);
      show();
    },
    onProgress: (i, p) => {
      batch?.running.set(i, p);
      show();
    },
    shouldStop: () => signal !== null,
  });
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let r: NodesForResult;
  try {
    r = await nodesFor({
      scenario: a.scenario,
      pool: a.nodesFor,
      target: targets,
      ...(tolerate !== undefined ? { tolerate } : {}),
      ...(seeds !== undefined ? { seeds } : {}),
      ...(a.set !== undefined ? { set: a.set } : {}),
      ...(a.maxCount !== undefined ? { maxCount: a.maxCount } : {}),
      perRound: Math.max(2, workers),
      runner,
      onPlan: (p) => note(planNote(p, targetText, toleranceText(tolerate))),
      onBatch: (b) => {
        if (b.kind === 'failure') {
          const durs = b.tasks.map((t) => t.durationUs ?? 0);
          const lo = shortDuration(Math.min(...durs) / 1e6);
          const hi = shortDuration(Math.max(...durs) / 1e6);
          note(`ksim: round ${b.round}: ${b.tasks.length} failure run${b.tasks.length === 1 ? '' : 's'} (${[...new Set(b.tasks.map((t) => (t.label ?? '').split(' ')[0]))].join(', ')}), ${lo === hi ? lo : `${lo} to ${hi}`} simulated each\n`);
        }
        batch = { ...b, done: new Set(), running: new Map(), startMs: performance.now() }; // ksim-allow-clock: progress only
      },
      onProbe: (p) => {
        decided.push(p);
        note(`ksim: probe ${a.nodesFor}=${p.count}: ${p.met ? 'met' : 'not met'} (${p.runsMet}/${p.runs} runs; ${targets.map((t, k) => `${t.metric} ${fmtValue(p.targetValues[k] ?? Number.NaN)}`).join(', ')}; round ${p.round}; ${runsDone} runs so far, ${((performance.now() - started) / 1000).toFixed(1)} s)\n`); // ksim-allow-clock
      },
    });
  } catch (e) {
    if (!(e instanceof ProbesInterrupted)) throw e;
    const sig = (signal as NodeJS.Signals | null) ?? 'SIGINT';
    throw new CommandExit(sig === 'SIGTERM' ? EXIT_SIGTERM : EXIT_SIGINT, interruptedText(sig, a.nodesFor, batch, decided, runsDone, dir));
  } finally {
    progress.finish();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  const wallMs = performance.now() - started; // ksim-allow-clock
  // As ksim run's warnings: shown with -q too.
  for (const w of r.warnings) err(warningLine(w));
  const dims = { resources: r.extendedResources, ...(targets.length > 1 ? { targets: targets.map((t) => t.metric) } : {}) };
  const rows = r.probes.map((p) => formatRow(capacityRow(r, p), columnsOf('capacity.csv', dims)));
  const runJson = {
    ksim_version: KSIM_VERSION,
    command: 'capacity --nodes-for',
    scenario: a.scenario,
    options: { pool: a.nodesFor, target: targetText, targets: targets.map((t) => t.text), tolerate: toleranceText(tolerate), seeds: r.seeds, set: a.set ?? [], max_count: r.maxCount },
    count: r.count,
    plateau: plateauJson(r),
    inversions: r.inversions,
    warnings: r.warnings,
    // As ksim run's run.json: loading (the process's start, reading the scenario) before the
    // search, then the search itself.
    load_time_ms: Math.round(started - commandStarted),
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
    out(`\n${wrapOnTerminal(`Wrote ${written.map((w) => w.slice(w.lastIndexOf('/') + 1)).join(', ')} to ${dir}/ (${runsDone} simulations, ${(wallMs / 1000).toFixed(1)} s of wall time).`)}\n`);
  }
}

/** --target, absent (missing=0), once or several times: each METRIC OP VALUE, all to hold. */
export function parseTargetOption(v: string | readonly string[] | undefined): Target[] {
  const list = v === undefined ? ['missing=0'] : typeof v === 'string' ? [v] : v;
  // A list option: the CLI's check of empty values sees [''], not ''.
  if (list.some((x) => x.trim() === '')) throw new InputError('--target', 0, 0, '', 'a value after it', 'an empty string');
  return parseTargets(list);
}

/** --seeds: "1-5", "1,4,9" or a mix ("1-3,7"). */
export function parseSeeds(s: string): number[] {
  const out: number[] = [];
  for (const part of s.split(',')) {
    const m = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(part);
    const a = m === null ? NaN : Number(m[1]);
    const b = m === null ? NaN : m[2] === undefined ? a : Number(m[2]);
    if (!(a <= b && b <= MAX_SEED) || b - a > 10_000) throw new InputError('--seeds', 0, 0, '', `seeds as N, N-M or a comma-separated list of them (integers 0 … ${MAX_SEED})`, JSON.stringify(s));
    for (let x = a; x <= b; x++) if (!out.includes(x)) out.push(x);
  }
  return out;
}

function capacityRow(r: NodesForResult, p: Probe): TypedRow {
  const extended = Object.fromEntries(r.extendedResources.map((k) => [`${k}_headroom_ratio`, p.extendedHeadroom[k] ?? Number.NaN]));
  // With several targets, each one's worst value after the older columns; target and
  // target_value give the one the probe is shown by (the first it fails, else the first).
  const perTarget = r.targets.length > 1 ? Object.fromEntries(r.targets.map((t, k) => [`${t.metric}_target_value`, p.targetValues[k] ?? Number.NaN])) : {};
  return {
    pool: r.pool,
    count: p.count,
    met: p.met,
    round: p.round,
    target: (r.targets[p.deciding] ?? r.target).text,
    target_value: p.targetValue,
    runs: p.runs,
    runs_met: p.runsMet,
    worst_run: p.worstRun,
    cpu_headroom_ratio: p.cpuHeadroom,
    memory_headroom_ratio: p.memoryHeadroom,
    cost_per_hour: p.costPerHour,
    ...extended,
    ...perTarget,
  };
}

/** The plateau the search stopped at, as --json and run.json give it. */
function plateauJson(r: NodesForResult): { from_count: number; to_count: number; unplaced: readonly UnplacedWorkload[] } | null {
  return r.plateau === null ? null : { from_count: r.plateau.from.count, to_count: r.plateau.to.count, unplaced: r.plateau.to.unplaced ?? [] };
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
    target: (r.targets[p.deciding] ?? r.target).text,
    target_value: nullable(p.targetValue),
    target_values: Object.fromEntries(r.targets.map((t, k) => [t.metric, nullable(p.targetValues[k] ?? null)])),
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
    target: targetsText(r.targets),
    targets: r.targets.map((t) => t.text),
    tolerate: toleranceText(r.tolerate),
    seeds: r.seeds,
    pool_cost_per_hour: nullable(r.poolCostPerHour),
    cost_per_hour: nullable(r.answer?.costPerHour ?? null),
    headroom: r.answer === null ? null : { cpu_ratio: nullable(r.answer.cpuHeadroom), memory_ratio: nullable(r.answer.memoryHeadroom), ...Object.fromEntries(r.extendedResources.map((k) => [`${k}_ratio`, nullable(r.answer?.extendedHeadroom[k] ?? null)])) },
    probes: r.probes.map(probe),
    plateau: plateauJson(r),
    inversions: r.inversions,
    warnings: r.warnings,
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
  const what = `${targetsText(r.targets)}${r.tolerate === undefined ? '' : `, tolerating ${toleranceText(r.tolerate)} at peak load`}, seed${r.seeds.length === 1 ? '' : 's'} ${r.seeds.join(',')}`;
  if (r.plateau !== null) {
    const { from, to } = r.plateau;
    // The targets the larger count still fails, each no nearer being met.
    const stuck = r.targets.flatMap((t, k) => (meets(t, to.targetValues[k] ?? Number.NaN) ? [] : [`${t.metric} ${fmtValue(from.targetValues[k] ?? Number.NaN)} at ${from.count} nodes, ${fmtValue(to.targetValues[k] ?? Number.NaN)} at ${to.count}`]));
    lines.push(`More nodes of pool ${r.pool} do not help ${what}: ${stuck.join('; ')}; the search stopped.`);
    // The worst run's pods left unbound, by workload, with the pools whose nodes could hold them
    // (RunResult.unplaced): which pool to enlarge, when it is another.
    const left = to.unplaced ?? [];
    const pools = (u: UnplacedWorkload) => (u.pools.length === 0 ? 'which no pool\'s nodes can hold' : `which nodes of pool${u.pools.length === 1 ? '' : 's'} ${u.pools.join(', ')} can hold${u.pools.includes(r.pool) ? '' : ` (not of pool ${r.pool})`}`);
    if (left.length > 0) lines.push(`Left unplaced in its worst run (${to.worstRun}): ${left.map((u) => `${u.workload}, ${u.pods} pod${u.pods === 1 ? '' : 's'} ${pools(u)}`).join('; ')}.`);
    const elsewhere = [...new Set(left.flatMap((u) => u.pools))].filter((p) => p !== r.pool);
    if (left.length > 0 && left.every((u) => !u.pools.includes(r.pool)) && elsewhere.length > 0) {
      lines.push(`No node of pool ${r.pool} can hold them: enlarge ${elsewhere.length === 1 ? `pool ${elsewhere[0]}` : `pools ${elsewhere.join(', ')}`} instead (${elsewhere.length === 1 ? `--nodes-for ${elsewhere[0]}` : '--nodes-for one of them at a time'}).`);
    } else {
      lines.push(`What keeps the target from being met is not the pool's size (a topology spread constraint during an outage, a pod stuck Terminating on a lost node, a pod no node of the pool can hold, ...).`);
    }
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
  const header = ['count', 'met', 'round', 'runs met', ...r.targets.map((t) => t.metric), 'worst run', 'cpu headroom', 'memory headroom', ...r.extendedResources.map((k) => `${k} headroom`), ...(withCost ? ['cost/h'] : [])];
  const rows = r.probes.map((p) => [String(p.count), p.met ? 'yes' : 'no', String(p.round), `${p.runsMet}/${p.runs}`, ...r.targets.map((_, k) => fmtValue(p.targetValues[k] ?? Number.NaN)), p.worstRun, pct(p.cpuHeadroom), pct(p.memoryHeadroom), ...r.extendedResources.map((k) => pct(p.extendedHeadroom[k] ?? Number.NaN)), ...(withCost ? [p.costPerHour === null ? '-' : fmtCost(p.costPerHour)] : [])]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] as string).length)));
  const fmtRow = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] as number)).join('  ').trimEnd();
  lines.push(fmtRow(header));
  for (const row of rows) lines.push(fmtRow(row));
  return `${lines.join('\n')}\n`;
}
