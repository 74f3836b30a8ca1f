// `ksim capacity SCENARIO --nodes-for POOL`: the fewest nodes of one pool for which the scenario's
// workload meets its targets (over summary.csv, or the pool's own peak requested ratios; several
// targets must all hold), also when a tolerated failure strikes at peak load.
//
// A probe is one count of the pool: the scenario run once per seed with the pool at that count
// (fault-free runs); with --tolerate, each seed's run is then repeated once per failure variant
// (every zone for 'zone-outage'; '<pool>-0' … '<pool>-(N-1)' for 'N nodes') with the failure
// injected, for good, at that seed's peak load: 1 µs after the fault-free run's requested_peak_s (the first
// instant at which the larger of the cpu and memory requested ratios was at its highest). Those
// runs last until the lost nodes' pods can have been evicted and replaced (settleUs). The probe is
// met when every run meets every target.
//
// The search assumes that more nodes never hurt. It brackets the answer (doubling up from a
// failing count — after the guess its unbound pods give, unless that count did no better than
// the failing count below it —, or from a met count down to a resource lower bound and the
// count below it),
// then narrows the bracket with several counts per round (they run in parallel; crowded towards
// the lower end when that is the resource bound), until the answer and the count one below it
// (failing) are both probed.
import { InputError } from '../api/input-error.js';
import { checkSeeds } from '../api/seed.js';
import { NodeInfo, ZONE_LABEL } from '../cluster/node-info.js';
import { LABEL_EXCLUDE_DISRUPTION, NODE_LIFECYCLE_DEFAULTS, zoneEvictionRate, zoneState, type NodeLifecycleOptions } from '../controllers/node-lifecycle.js';
import { DEFAULT_TOLERATION_SECONDS } from '../controlplane/admission.js';
import type { FaultSpec } from '../faults/spec.js';
import { loadScenario, scenarioDocument, type ScenarioNode } from '../workload/scenario.js';
import { badness, decidingTarget, isPoolMetric, meets, metricValue, noBetter, poolMetricResource, targetList, targetsText, type Target } from './target.js';
import { gpuPooledProfilesOf, unplacedOf, poolPeakKey, poolPeakResource, type ProbeRunner, type ProbeTask, type SummaryRow } from './probe-runner.js';
import { pooledGpuWarning } from '../scheduler/plugins/gpu-share/pooled-warning.js';
import { WAITED_LONG_US } from '../metrics/collector.js';
import type { UnplacedWorkload } from '../run/run-scenario.js';

export type Tolerance = { readonly kind: 'zone-outage' } | { readonly kind: 'nodes'; readonly count: number };

export function parseTolerance(s: string): Tolerance {
  const t = s.trim();
  if (t === 'zone-outage') return { kind: 'zone-outage' };
  const m = /^(\d+) nodes?$/.exec(t);
  if (m !== null && Number(m[1]) >= 1) return { kind: 'nodes', count: Number(m[1]) };
  throw new InputError('--tolerate', 0, 0, '', "'N nodes' with N a positive integer (e.g. '2 nodes'), or 'zone-outage'", JSON.stringify(s));
}

export function toleranceText(t: Tolerance | undefined): string {
  if (t === undefined) return 'none';
  return t.kind === 'zone-outage' ? 'zone-outage' : `${t.count} node${t.count === 1 ? '' : 's'}`;
}

/** A cost per hour as ksim capacity prints it (and its report shows it): whole numbers as they
 * are, others to 2 decimals. */
export function formatCost(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toFixed(2);
}

export interface NodesForOptions {
  readonly scenario: string;
  readonly pool: string;
  /** What every run of a met probe meets: one target, or several that must all hold. */
  readonly target: Target | readonly Target[];
  readonly tolerate?: Tolerance;
  /** Seeds of every probe (default: the scenario's seed). */
  readonly seeds?: readonly number[];
  /** `--set` overrides applied to every run. */
  readonly set?: readonly string[];
  /** Largest count tried (default 100,000). */
  readonly maxCount?: number;
  /** Counts probed per round (default 2). */
  readonly perRound?: number;
  readonly runner: ProbeRunner;
  /** Told of each probe as it is decided. */
  readonly onProbe?: (p: Probe) => void;
  /** Told, before the search, what it will run (the CLI's note of how long runs are). */
  readonly onPlan?: (p: SearchPlan) => void;
  /** Told before each batch of runs goes to the runner (progress). */
  readonly onBatch?: (b: { readonly round: number; readonly kind: 'fault-free' | 'failure'; readonly tasks: readonly ProbeTask[] }) => void;
}

/** What the search runs, known before it starts: its first count, and at that count how long
 * each run simulates and why. */
export interface SearchPlan {
  readonly pool: string;
  readonly firstCount: number;
  readonly seeds: readonly number[];
  /** A fault-free run's simulated time (the scenario's duration). */
  readonly durationUs: number;
  /** With --tolerate: failure runs per seed at firstCount, and the longest one's timing. */
  readonly failure: { readonly runsPerSeed: number; readonly longest: FailureTiming } | null;
}

/** How long a failure run goes on after the failure (settleUs), part by part. */
export interface FailureTiming {
  /** The nodes tainted: "zone zone-a's 1,667 nodes", "the 9 lost nodes". */
  readonly what: string;
  /** Nodes its slowest zone taints (one at a time) before their pods are evicted. */
  readonly tainted: number;
  readonly ratePerS: number;
  /** Until the node lifecycle controller sees them NotReady: grace period + monitor period. */
  readonly detectS: number;
  readonly taintS: number;
  /** DefaultTolerationSeconds' not-ready/unreachable toleration. */
  readonly tolerationS: number;
  /** For the replacements to be created, scheduled and started. */
  readonly replaceS: number;
  readonly settleUs: number;
}

export interface Probe {
  readonly count: number;
  readonly met: boolean;
  /** The search round (1, 2, ...) it ran in. */
  readonly round: number;
  /** Simulations run, and how many met every target. */
  readonly runs: number;
  readonly runsMet: number;
  /** Each target's metric, its worst value over the runs (NaN: empty, e.g. no pod bound), in the
   * targets' order. */
  readonly targetValues: readonly number[];
  /** The target the probe is shown by (capacity.csv's target, target_value, worst_run): the first
   * it does not meet, else the first (an index into the targets). */
  readonly deciding: number;
  /** targetValues[deciding]. */
  readonly targetValue: number;
  /** The run that gave it: "seed 1", or "seed 1, zone-outage zone-a at 611.2s". */
  readonly worstRun: string;
  /** That run, to run it again (absent when the probe ran nothing). */
  readonly worstTask?: ProbeTask;
  /** 1 − the highest cpu / memory requested peak ratio over the fault-free runs. */
  readonly cpuHeadroom: number;
  readonly memoryHeadroom: number;
  /** The same per extended resource the pool's nodes offer or its pods request (nvidia.com/gpu,
   * alibaba.com/gpu-milli, ...), by name (NaN: the pool has none of it). */
  readonly extendedHeadroom: Readonly<Record<string, number>>;
  /** Σ costPerHour of the cluster at this count (null: no pool has a cost). */
  readonly costPerHour: number | null;
  /** The most pods left unbound at the end (pods_unbound_end) over its runs, and the first run
   * that left them (NaN, '': none ran). */
  readonly unboundEnd: number;
  readonly unboundRun: string;
  /** The most pods deleted before they were ever placed (pods_deleted_unbound) over its runs,
   * and the first run that lost them (NaN, '': none ran). */
  readonly deletedUnbound: number;
  readonly deletedUnboundRun: string;
  /** The most pods that waited unbound for more than 60 s (summary.csv's pods_waited_over_60s)
   * over its runs, the first run that had them, and that run's longest creation → binding
   * (sched_latency_max_ms; absent, NaN: none ran, or rows without the columns). */
  readonly waitedLong?: number;
  readonly waitedLongRun?: string;
  readonly waitedLongMaxMs?: number;
  /** The workloads its worst run (worstRun) left unplaced at the end, with the pools whose
   * nodes could hold them (RunResult.unplaced; absent: none, or not known). */
  readonly unplaced?: readonly UnplacedWorkload[];
  /** The profiles that counted its runs' GPU shares pooled per node (RunResult.gpuPooledProfiles;
   * absent: none). */
  readonly gpuPooledProfiles?: readonly string[];
}

export interface NodesForResult {
  readonly pool: string;
  /** The answer: the fewest nodes meeting the targets (null: none up to maxCount does). */
  readonly count: number | null;
  /** Every target, in the order given; `target` is the first (one-target callers). */
  readonly targets: readonly Target[];
  readonly target: Target;
  readonly tolerate: Tolerance | undefined;
  readonly seeds: readonly number[];
  /** Every probe, by count. */
  readonly probes: readonly Probe[];
  /** The extended resources of any probe's extendedHeadroom, sorted (capacity.csv's
   * `<resource>_headroom_ratio` columns). */
  readonly extendedResources: readonly string[];
  /** The probe at the answer. */
  readonly answer: Probe | null;
  /** costPerHour of one node of the pool (null: none). */
  readonly poolCostPerHour: number | null;
  readonly maxCount: number;
  /** Set when the search stopped because more nodes did not help: a failing probe, and one with
   * at least PLATEAU_FACTOR times its nodes that did no better. */
  readonly plateau: { readonly from: Probe; readonly to: Probe } | null;
  /** Counts that failed the target above a count that met it (the target is noisy there): the
   * answer is then the fewest nodes above every failing count. */
  readonly inversions: readonly { readonly failed: number; readonly met: number }[];
  /** The fewest nodes at which the scenario's faults have their targets (see PoolFacts). */
  readonly faultFloor: { readonly count: number; readonly why: string } | null;
  /** `--tolerate 'N nodes'`: N, the fewest nodes that can lose N (fewer are not run). */
  readonly tolerateFloor: number | null;
  /** What the answer hides (unboundWarning). */
  readonly warnings: readonly string[];
}

/** A failing count and one this many times larger that does no better (no met count): the
 * search stops, since what keeps the target from being met is not this pool's size (a zone
 * spread constraint during an outage, a pod stuck Terminating on a lost node, ...). Doubling on
 * would run ever larger clusters up to --max-count. */
export const PLATEAU_FACTOR = 4;

/** What the search needs to know of the scenario, read once. */
interface PoolFacts {
  readonly index: number;
  readonly initialCount: number;
  readonly nodeMilliCpu: number;
  readonly nodeMemory: number;
  /** The extended resources one node of the pool offers, sorted. */
  readonly nodeExtended: readonly string[];
  readonly otherMilliCpu: number;
  readonly otherMemory: number;
  /** Nodes outside the pool (0: a count of 0 leaves no cluster to run). */
  readonly otherNodes: number;
  /** Zones of the pool's nodes, round-robin; zones of the other nodes. */
  readonly poolZones: readonly string[];
  readonly otherZones: ReadonlyMap<string, number>;
  readonly poolCost: number | null;
  readonly otherCost: number | null;
  readonly durationUs: number;
  readonly rawFaults: readonly unknown[];
  readonly seed: number;
  /** The fewest nodes of the pool at which the scenario's own faults still have their targets
   * (a nodeDown of general-3 needs 4), and why; counts below it are not run. */
  readonly faultFloor: { readonly count: number; readonly why: string } | null;
  /** The scenario's node lifecycle settings and unreachable toleration (controlPlane). */
  readonly recovery: RecoverySettings;
}

/** What sets a failure run's length: the scenario's controlPlane.controllerManager (grace period,
 * eviction rates, zone thresholds) and controlPlane.apiServer's default unreachable toleration
 * (a node that stops renewing its lease is tainted unreachable). */
export interface RecoverySettings {
  readonly lifecycle: NodeLifecycleOptions;
  readonly tolerationS: number;
}

const DEFAULT_RECOVERY: RecoverySettings = { lifecycle: NODE_LIFECYCLE_DEFAULTS, tolerationS: DEFAULT_TOLERATION_SECONDS };

export async function nodesFor(o: NodesForOptions): Promise<NodesForResult> {
  const targets = targetList(o.target);
  if (targets.length === 0) throw new InputError('--target', 0, 0, '', 'at least one target', 'none');
  const given = o.seeds === undefined ? undefined : checkSeeds(o.seeds, 'nodesFor', 'opts.seeds');
  const facts = poolFacts(o);
  // A pool ratio of a resource the pool's nodes do not offer has no value: no count would meet it.
  for (const t of targets) {
    const r = poolMetricResource(t.metric);
    if (r !== null && r !== 'cpu' && r !== 'memory' && !facts.nodeExtended.includes(r)) {
      throw new InputError('--target', 0, 0, '', `a pool metric of a resource the nodes of pool ${o.pool} offer (cpu, memory${facts.nodeExtended.map((x) => `, ${x}`).join('')}): pool_<resource>_requested_peak_ratio`, `${t.text} (pool ${o.pool} offers no ${r})`);
    }
  }
  const seeds = given ?? [facts.seed];
  const maxCount = o.maxCount ?? 100_000;
  const perRound = Math.max(1, o.perRound ?? 2);
  const probes = new Map<number, Probe>();
  let lo = -1; // the largest count known to fail (-1: none)
  let hi = Number.POSITIVE_INFINITY; // the smallest count known to meet
  let estimate: number | null = null;
  // From the failing probe at lo: how many nodes its unbound pods need (podsGuess), and how many
  // bring a pool ratio target it failed down to its bound (ratioGuess).
  let podsGuess: number | null = null;
  let ratioNeed: number | null = null;
  // Each kind is cleared once a round of its guesses all failed: the unbound pods' share of the
  // nodes underestimates what is missing (fragmentation: the leftover pods are the big ones), and
  // guessing again would creep up a node or two a round; the bracket is split instead.
  let trustGuess = true;
  let trustRatio = true;
  const guessNow = (): { count: number; kind: 'pods' | 'ratio' } | null => {
    const p = trustGuess ? podsGuess : null;
    const r = trustRatio ? ratioNeed : null;
    if (p === null && r === null) return null;
    return r !== null && (p === null || r > p) ? { count: r, kind: 'ratio' } : { count: p as number, kind: 'pods' };
  };
  /** Counts that failed above a count that met (noise at the margin). */
  const inversions: { failed: number; met: number }[] = [];
  let plateau: { from: Probe; to: Probe } | null = null;
  // Fewer nodes than the faults name, or than --tolerate 'N nodes' takes down: the count below is
  // shown as not run, the search starts above.
  const tolerateFloor = o.tolerate?.kind === 'nodes' ? o.tolerate.count : null;
  let floor = facts.faultFloor;
  if (tolerateFloor !== null && tolerateFloor > (floor?.count ?? 0)) floor = { count: tolerateFloor, why: `--tolerate '${tolerateFloor} nodes' takes down ${tolerateFloor} nodes of pool ${o.pool}` };
  if (floor !== null && floor.count > 1) {
    lo = floor.count - 1;
    probes.set(lo, notRunProbe(facts, lo, 1, floor.why));
  }
  const first = Math.max(facts.initialCount, floor?.count ?? 0);
  o.onPlan?.(searchPlan(o, facts, seeds, first));
  for (let round = 1; plateau === null; round++) {
    // The first round probes the scenario's own count (at or above the faults' floor: it loads),
    // or the floor when the tolerance's is higher.
    const g = guessNow();
    const guessing = round > 1 && g !== null && g.count > lo && g.count < hi;
    const candidates = (round === 1 ? nextCandidates(-1, hi, first, estimate, perRound, maxCount) : nextCandidates(lo, hi, first, estimate, perRound, maxCount, g?.count ?? null)).filter((c) => !probes.has(c));
    if (candidates.length === 0) break;
    const results = await probeRound(o, targets, facts, seeds, candidates, round);
    const before = probes.get(lo);
    for (const r of results) {
      probes.set(r.probe.count, r.probe);
      o.onProbe?.(r.probe);
      if (r.probe.met) hi = Math.min(hi, r.probe.count);
      else if (r.probe.count > lo) {
        lo = r.probe.count;
        podsGuess = r.podsGuess;
        ratioNeed = r.ratioGuess;
      }
      if (r.probe.met && r.lowerBound !== null) estimate = Math.max(estimate ?? 0, r.lowerBound);
    }
    if (guessing && results.every((r) => !r.probe.met)) {
      if (g.kind === 'pods') trustGuess = false;
      else trustRatio = false;
    }
    // A failing count that did no better than the failing count below it: what it leaves
    // unbound is not what more nodes of this pool place (a pod whose nodeSelector names another
    // pool), so the guess from it would creep up a node or two a round. Double instead: the
    // plateau rule then ends such a search in a few rounds.
    const now = probes.get(lo);
    if (hi === Number.POSITIVE_INFINITY && before !== undefined && now !== undefined && now !== before && before.runs > 0 && noBetter(targets, now.targetValues, before.targetValues)) {
      podsGuess = null;
      ratioNeed = null;
    }
    if (lo >= hi) {
      // A count failed above one that met (the target is noisy at this margin): the answer is
      // the fewest nodes above every count that failed, searched for as before.
      for (const p of probes.values()) if (p.met && p.count < lo && !inversions.some((x) => x.met === p.count)) inversions.push({ failed: lo, met: p.count });
      hi = Math.min(Number.POSITIVE_INFINITY, ...[...probes.values()].filter((p) => p.met && p.count > lo).map((p) => p.count));
    }
    if (hi === lo + 1 || hi === 0) break;
    if (hi === Number.POSITIVE_INFINITY && lo >= maxCount) break;
    if (hi === Number.POSITIVE_INFINITY) plateau = findPlateau(targets, [...probes.values()]);
  }
  const sorted = [...probes.values()].sort((a, b) => a.count - b.count);
  const count = hi === Number.POSITIVE_INFINITY ? null : hi;
  return {
    pool: o.pool,
    count,
    targets,
    target: targets[0] as Target,
    tolerate: o.tolerate,
    seeds,
    probes: sorted,
    extendedResources: [...new Set(sorted.flatMap((p) => Object.keys(p.extendedHeadroom)))].sort(),
    answer: count === null ? null : (probes.get(count) as Probe),
    poolCostPerHour: facts.poolCost,
    maxCount,
    plateau,
    inversions,
    faultFloor: facts.faultFloor,
    tolerateFloor,
    warnings: [
      // Any probe's runs: the answer's size, or the plateau, counted two shares on one GPU.
      ...[...new Set(sorted.flatMap((p) => p.gpuPooledProfiles ?? []))].sort().map((p) => pooledGpuWarning(p, 'scenario')),
      ...(count === null ? [] : unboundWarning(o.pool, targets, probes.get(count) as Probe)),
      // (Pods left unplaced waited too: said once, by unboundWarning.)
      ...(count === null || unboundWarning(o.pool, targets, probes.get(count) as Probe).length > 0 ? [] : waitedWarning(o.pool, targets, probes.get(count) as Probe)),
    ],
  };
}

/** Targets that count the pods left unbound at the end: any other (a requested ratio, a
 * latency) is met with pods pending, which only count once bound. */
const COUNTS_UNBOUND = ['missing', 'pods_unbound_end'];
/** Targets that count the pods deleted before they were ever placed (`pending` does not: they
 * are gone at the end, not pending). */
const COUNTS_DELETED_UNBOUND = ['missing', 'pods_deleted_unbound'];

/** The answer's runs leave pods unplaced while no target counts them: pods still unbound at the
 * end (a cpu_requested_peak_ratio<=0.8 that 0 nodes of a pool meet, its pods all pending), or
 * pods deleted while they waited (`pending=0` met by a trace whose pods leave at their deletion
 * time whether placed or not): said, since the answer reads as enough nodes. */
export function unboundWarning(pool: string, target: Target | readonly Target[], answer: Probe): string[] {
  const targets = targetList(target);
  const live = targets.some((t) => COUNTS_UNBOUND.includes(t.metric)) || !(answer.unboundEnd > 0) ? 0 : answer.unboundEnd;
  const gone = targets.some((t) => COUNTS_DELETED_UNBOUND.includes(t.metric)) || !((answer.deletedUnbound ?? 0) > 0) ? 0 : answer.deletedUnbound;
  if (live === 0 && gone === 0) return [];
  const n = live + gone;
  const where = [
    ...(live > 0 ? [`pods_unbound_end ${live} in ${answer.unboundRun}`] : []),
    ...(gone > 0 ? [`pods_deleted_unbound ${gone}, deleted before they were ever placed, in ${answer.deletedUnboundRun}`] : []),
  ].join('; ');
  const counts = gone > 0 && live === 0 ? 'does not count pods deleted while they waited' : 'counts bound pods only';
  const fix = targets.length === 1 ? '--target missing=0 sizes the pool to place every pod' : 'another --target missing=0 sizes the pool to place every pod too';
  return [`the answer, ${answer.count} node${answer.count === 1 ? '' : 's'} of pool ${pool}, leaves ${n} pod${n === 1 ? '' : 's'} unplaced (${where}): ${targetsText(targets)} ${targets.length === 1 ? counts : counts.replace(/^(does|counts)/, (w) => (w === 'does' ? 'do' : 'count'))}; ${fix} (its table gives the pool's headroom, 1 − its requested ratio, at each count)`];
}

/** Targets that bound how long pods wait to be bound: any other lets the answer keep pods waiting
 * for room most of the run (missing=0 judges the end; a p99 over many pods hides a few). */
const BOUNDS_WAIT = ['pods_waited_over_60s', 'sched_latency_max_ms'];

/** The answer's runs kept pods waiting unbound for more than 60 s (pods_waited_over_60s) while no
 * target bounds the wait: said, as unboundWarning says pods left unplaced, since the answer reads
 * as enough nodes. */
export function waitedWarning(pool: string, target: Target | readonly Target[], answer: Probe): string[] {
  const targets = targetList(target);
  const n = answer.waitedLong ?? Number.NaN;
  if (!(n > 0) || targets.some((t) => BOUNDS_WAIT.includes(t.metric))) return [];
  const longest = !((answer.waitedLongMaxMs ?? Number.NaN) > WAITED_LONG_US / 1000) ? '' : `, the longest bound after ${formatWait((answer.waitedLongMaxMs as number) / 1000)} (sched_latency_max_ms ${answer.waitedLongMaxMs})`;
  const judge = targets.every((t) => COUNTS_UNBOUND.includes(t.metric) || COUNTS_DELETED_UNBOUND.includes(t.metric)) ? 'judges the end of the run' : `does not bound the longest wait`;
  return [`the answer, ${answer.count} node${answer.count === 1 ? '' : 's'} of pool ${pool}, keeps ${n} pod${n === 1 ? '' : 's'} waiting over 60 s to be bound (pods_waited_over_60s ${n} in ${answer.waitedLongRun ?? ''}${longest}): ${targetsText(targets)} ${targets.length === 1 ? judge : judge.replace(/^(judges|does)/, (w) => (w === 'does' ? 'do' : 'judge'))}; --target pods_waited_over_60s=0 sizes the pool so that no pod waits a minute for room (or --target 'sched_latency_max_ms<=N' for another bound)`];
}

/** "20m42s", "42.5s": a wait for the warning. */
function formatWait(s: number): string {
  if (s < 60) return `${Math.round(s * 10) / 10}s`;
  const m = Math.floor(s / 60);
  const h = Math.floor(m / 60);
  const sec = Math.round(s - m * 60);
  return h > 0 ? `${h}h${String(m % 60).padStart(2, '0')}m${String(sec).padStart(2, '0')}s` : `${m}m${String(sec).padStart(2, '0')}s`;
}

function notRunProbe(f: PoolFacts, c: number, round: number, why: string): Probe {
  return { count: c, met: false, round, runs: 0, runsMet: 0, targetValues: [], deciding: 0, targetValue: Number.NaN, worstRun: `${why}: not run`, cpuHeadroom: Number.NaN, memoryHeadroom: Number.NaN, extendedHeadroom: {}, costPerHour: costAt(f, c), unboundEnd: Number.NaN, unboundRun: '', deletedUnbound: Number.NaN, deletedUnboundRun: '' };
}

/** Σ costPerHour of the cluster with `c` nodes in the pool (null: no pool has a cost). */
function costAt(f: PoolFacts, c: number): number | null {
  return f.poolCost === null && f.otherCost === null ? null : (f.otherCost ?? 0) + c * (f.poolCost ?? 0);
}

/** Two failing probes that ran, the larger with at least PLATEAU_FACTOR times the nodes of the
 * smaller and doing no better (noBetter: every target it fails is no nearer being met; the
 * smallest such pair), or null. */
export function findPlateau<P extends PlateauPoint>(target: Target | readonly Target[], probes: readonly P[]): { from: P; to: P } | null {
  const targets = targetList(target);
  const ran = probes.filter((p) => !p.met && p.runs > 0).sort((a, b) => a.count - b.count);
  for (const to of ran) {
    for (const from of ran) {
      if (from.count > 0 && from.count * PLATEAU_FACTOR <= to.count && noBetter(targets, to.targetValues, from.targetValues)) return { from, to };
    }
  }
  return null;
}

/** What findPlateau reads of a probe (also of a capacity.csv row, for the report): each target's
 * worst value, in the targets' order. */
export interface PlateauPoint {
  readonly count: number;
  readonly met: boolean;
  readonly runs: number;
  readonly targetValues: readonly number[];
}

/** The counts to probe next, given the bracket (lo fails, hi meets), the resource lower bound
 * (`estimate`) and what the failing probe at lo suggests (`guess`). */
export function nextCandidates(lo: number, hi: number, initial: number, estimate: number | null, perRound: number, maxCount: number, guess: number | null = null): number[] {
  const out: number[] = [];
  const add = (c: number) => {
    const v = Math.min(maxCount, Math.max(0, Math.round(c)));
    if (v > lo && v < hi && !out.includes(v)) out.push(v);
  };
  if (lo === -1 && hi === Number.POSITIVE_INFINITY) {
    add(initial);
    return out;
  }
  if (hi === Number.POSITIVE_INFINITY) {
    if (lo >= maxCount) return [];
    // Up: the guess and the count below it, then doubling from the failing count.
    if (guess !== null && guess > lo) for (let k = -1; k <= 0 && out.length < perRound; k++) add(guess + k);
    for (let k = 1; out.length < perRound && k < 64; k++) {
      add(Math.max(lo + 1, lo * 2 ** k));
      if (lo * 2 ** k >= maxCount) break;
    }
    return out;
  }
  if (lo === -1) {
    // Down from a met count: the resource lower bound and the count below it, else halve.
    if (estimate !== null && estimate < hi) {
      add(estimate - 1);
      add(estimate);
      for (let k = 1; out.length < perRound; k++) add(estimate + k);
    } else {
      for (let k = 1; out.length < perRound && hi / 2 ** k >= 1; k++) add(Math.floor(hi / 2 ** k));
      if (out.length === 0) add(hi - 1);
    }
    return out;
  }
  // Both ends known: the guess and the count below it (the pair that ends the search when the
  // guess is right), else split (lo, hi) evenly.
  const gap = hi - lo;
  if (gap - 1 <= perRound) {
    for (let c = lo + 1; c < hi; c++) add(c);
    return out;
  }
  if (guess !== null && guess > lo && guess < hi) {
    for (let k = -1; out.length < perRound && guess + k < hi; k++) add(guess + k);
    return out;
  }
  // When lo is the resource lower bound (or above it), the answer is most likely a little above
  // it (what bin packing wastes): the points crowd towards lo, quadratically.
  const nearLo = estimate !== null && lo >= estimate - 1;
  for (let k = 1; k <= perRound; k++) {
    const f = k / (perRound + 1);
    add(Math.max(lo + k, lo + Math.floor(gap * (nearLo ? f * f : f))));
  }
  return out;
}

interface RoundResult {
  readonly probe: Probe;
  /** From a met probe: the fewest nodes whose allocatable could hold its peak requests. */
  readonly lowerBound: number | null;
  /** From a failing probe: its count plus the nodes its unbound pods would fill, at the mean
   * request of the bound pods (a guess: the pods left over may be the bigger ones). */
  readonly podsGuess: number | null;
  /** From a failing probe: the fewest nodes that bring the pool ratio targets it failed under
   * their bound, the pool's requests alike (ratioGuess). */
  readonly ratioGuess: number | null;
}

async function probeRound(o: NodesForOptions, targets: readonly Target[], f: PoolFacts, seeds: readonly number[], all: readonly number[], round: number): Promise<RoundResult[]> {
  // No pool node and no other node: no cluster to run, the target cannot be met. (Counts below
  // the faults' floor are never candidates: the search starts above it.)
  const empty = all.filter((c) => c === 0 && f.otherNodes === 0);
  const counts = all.filter((c) => !empty.includes(c));
  const none = empty.map((c): RoundResult => ({
    probe: notRunProbe(f, c, round, 'no nodes'),
    lowerBound: null,
    podsGuess: null,
    ratioGuess: null,
  }));
  return [...none, ...(await probeCounts(o, targets, f, seeds, counts, round))];
}

async function probeCounts(o: NodesForOptions, targets: readonly Target[], f: PoolFacts, seeds: readonly number[], counts: readonly number[], round: number): Promise<RoundResult[]> {
  if (counts.length === 0) return [];
  const countSet = (c: number) => `cluster.nodePools[${f.index}].count=${c}`;
  // Fault-free runs: every count × seed.
  const tasks: ProbeTask[] = counts.flatMap((c) => seeds.map((seed) => ({ scenario: o.scenario, seed, set: [...(o.set ?? []), countSet(c)], label: `${o.pool}=${c}${seeds.length > 1 ? ` seed ${seed}` : ''}`, durationUs: f.durationUs })));
  o.onBatch?.({ round, kind: 'fault-free', tasks });
  const rows = await o.runner(tasks);
  /** unbound: the pods the run left unplaced, pending at the end or deleted while they waited
   * (the guess places them all); deletedUnbound: the latter alone. */
  interface RunOutcome { readonly values: readonly number[]; readonly met: boolean; readonly label: string; readonly task: ProbeTask; readonly unbound: number; readonly deletedUnbound: number; readonly lostShare: number; readonly gpuPooled: readonly string[]; readonly waitedLong: number; readonly maxWaitMs: number; readonly unplaced: readonly UnplacedWorkload[] }
  const perCount = new Map<number, { outcomes: RunOutcome[]; rows: SummaryRow[] }>();
  counts.forEach((c, i) => {
    const rs = seeds.map((_, j) => rows[i * seeds.length + j] as SummaryRow);
    perCount.set(c, { rows: rs, outcomes: rs.map((r, j) => outcome(r, `seed ${seeds[j]}`, tasks[i * seeds.length + j]!, 0)) });
  });
  // Failure runs, for the counts whose fault-free runs all met the target.
  if (o.tolerate !== undefined) {
    const failTasks: { count: number; label: string; task: ProbeTask; lostShare: number }[] = [];
    for (const c of counts) {
      const pc = perCount.get(c)!;
      if (!pc.outcomes.every((x) => x.met)) continue;
      seeds.forEach((seed, j) => {
        // 1 µs after the peak: the peak is the instant a binding committed, and a fault at that
        // instant (scheduled first) would strike before it, missing that pod. As a Go duration
        // (seconds, µs precision, no exponent).
        const peakS = ((Math.round((num(pc.rows[j]?.['requested_peak_s']) || 0) * 1e6) + 1) / 1e6).toFixed(6).replace(/\.?0+$/, '');
        for (const v of failureVariants(o.tolerate!, f, o.pool, c)) {
          const fault = v.kind === 'zone' ? { zoneOutage: { zone: v.zone, at: `${peakS}s` } } : { nodeDown: { nodes: v.nodes, at: `${peakS}s` } };
          const endUs = Math.max(f.durationUs, Math.round(Number(peakS) * 1e6) + settleUs(v.hit, v.zones, f.recovery));
          const set = [...(o.set ?? []), countSet(c), `faults=${JSON.stringify([...f.rawFaults, fault])}`, `duration=${Math.ceil(endUs / 1e6)}s`];
          const label = `seed ${seed}, ${v.label} at ${peakS}s`;
          failTasks.push({ count: c, label, task: { scenario: o.scenario, seed, set, label: `${o.pool}=${c}${seeds.length > 1 ? ` seed ${seed}` : ''} ${v.kind === 'zone' ? `${v.zone} down` : `${v.hit} node${v.hit === 1 ? '' : 's'} down`}`, durationUs: Math.ceil(endUs / 1e6) * 1e6 }, lostShare: Math.min(0.9, v.hit / Math.max(1, c)) });
        }
      });
    }
    if (failTasks.length > 0) o.onBatch?.({ round, kind: 'failure', tasks: failTasks.map((t) => t.task) });
    const failRows = await o.runner(failTasks.map((t) => t.task));
    failTasks.forEach((t, i) => perCount.get(t.count)!.outcomes.push(outcome(failRows[i] as SummaryRow, t.label, t.task, t.lostShare)));
  }
  return counts.map((c) => {
    const { outcomes, rows: rs } = perCount.get(c)!;
    const met = outcomes.every((x) => x.met);
    // Each target's worst run; the probe is shown by the first target it fails (else the first).
    const worsts = targets.map((t, k) => outcomes.reduce((w, x) => (badness(t, x.values[k] as number) > badness(t, w.values[k] as number) ? x : w)));
    const targetValues = worsts.map((w, k) => w.values[k] as number);
    const deciding = decidingTarget(targets, targetValues);
    const worst = worsts[deciding] as RunOutcome;
    const most = outcomes.reduce((w, x) => (x.unbound - x.deletedUnbound > w.unbound - w.deletedUnbound ? x : w));
    const mostGone = outcomes.reduce((w, x) => (x.deletedUnbound > w.deletedUnbound ? x : w));
    const mostWaited = outcomes.reduce((w, x) => (x.waitedLong > w.waitedLong ? x : w));
    // The sized pool's own peaks: the cluster's would count other pools' idle capacity.
    const cpuPeak = Math.max(...rs.map((r) => num(r[poolPeakKey(o.pool, 'cpu')])));
    const memPeak = Math.max(...rs.map((r) => num(r[poolPeakKey(o.pool, 'memory')])));
    const extendedHeadroom: Record<string, number> = {};
    for (const k of extendedPeakNames(o.pool, rs)) {
      // A resource only one seed's pods requested is missing from the others' rows: not a peak.
      const peaks = rs.map((r) => num(r[poolPeakKey(o.pool, k)])).filter((v) => !Number.isNaN(v));
      extendedHeadroom[k] = peaks.length === 0 ? Number.NaN : 1 - Math.max(...peaks);
    }
    const probe: Probe = {
      count: c,
      met,
      round,
      runs: outcomes.length,
      runsMet: outcomes.filter((x) => x.met).length,
      targetValues,
      deciding,
      targetValue: targetValues[deciding] as number,
      worstRun: worst.label,
      worstTask: worst.task,
      ...(worst.unplaced.length > 0 ? { unplaced: worst.unplaced } : {}),
      unboundEnd: most.unbound - most.deletedUnbound,
      unboundRun: most.label,
      deletedUnbound: mostGone.deletedUnbound,
      deletedUnboundRun: mostGone.label,
      waitedLong: mostWaited.waitedLong,
      waitedLongRun: mostWaited.label,
      waitedLongMaxMs: mostWaited.maxWaitMs,
      cpuHeadroom: 1 - cpuPeak,
      memoryHeadroom: 1 - memPeak,
      extendedHeadroom,
      costPerHour: costAt(f, c),
      ...(outcomes.some((x) => x.gpuPooled.length > 0) ? { gpuPooledProfiles: [...new Set(outcomes.flatMap((x) => x.gpuPooled))].sort() } : {}),
    };
    const perPod = meanPodRequests(f, c, rs);
    const failing = outcomes.filter((x) => !x.met && x.unbound > 0);
    const extra = Math.max(0, ...failing.map((x) => nodesFor_(x.unbound, perPod) / (1 - x.lostShare)));
    return {
      probe,
      lowerBound: met ? lowerBound(f, c, cpuPeak, memPeak, o.tolerate, targets) : null,
      podsGuess: failing.length > 0 && extra > 0 ? c + Math.ceil(extra - 1e-9) : null,
      ratioGuess: met ? null : ratioGuess(targets, c, targetValues),
    };
  });

  function outcome(row: SummaryRow, label: string, task: ProbeTask, lostShare: number): RunOutcome {
    const values = targets.map((t) => metricValue(t, row, o.pool));
    // The run to run again: its scenario, seed and --sets (not its progress label).
    const deletedUnbound = num(row['pods_deleted_unbound']) || 0;
    return { values, met: targets.every((t, k) => meets(t, values[k] as number)), label, task: { scenario: task.scenario, seed: task.seed, set: task.set }, unbound: (num(row['pods_unbound_end']) || 0) + deletedUnbound, deletedUnbound, lostShare, gpuPooled: gpuPooledProfilesOf(row), waitedLong: num(row['pods_waited_over_60s']) || 0, maxWaitMs: num(row['sched_latency_max_ms']), unplaced: unplacedOf(row) };
  }

  /** Pool nodes that `pods` pods of the mean request fill. */
  function nodesFor_(pods: number, perPod: { cpu: number; memory: number }): number {
    const cpu = f.nodeMilliCpu > 0 ? (pods * perPod.cpu) / f.nodeMilliCpu : 0;
    const memory = f.nodeMemory > 0 ? (pods * perPod.memory) / f.nodeMemory : 0;
    return Math.max(cpu, memory);
  }
}

/** A pool ratio target at most L that a probe of `count` nodes failed at ratio r: the same requests
 * over n nodes give r·count/n, so n ≥ count·r/L (the pool's pods only; in a failure run the
 * survivors' share is lost from both sides). Null when no such target failed. */
export function ratioGuess(targets: readonly Target[], count: number, values: readonly number[]): number | null {
  let need: number | null = null;
  for (const [k, t] of targets.entries()) {
    const r = values[k] as number;
    if (!isPoolMetric(t.metric) || (t.op !== '<' && t.op !== '<=') || !(t.value > 0) || !(r > 0) || meets(t, r)) continue;
    need = Math.max(need ?? 0, fewestUnder(t, count * r));
  }
  return need;
}

/** The fewest nodes n with `nodesWorth` / n meeting t (t: < or <= a positive value). */
function fewestUnder(t: Target, nodesWorth: number): number {
  const x = nodesWorth / t.value;
  return t.op === '<' ? Math.floor(x + 1e-9) + 1 : Math.ceil(x - 1e-9);
}

/** The mean cpu (millicores) and memory request of a bound pod at peak in the fault-free runs:
 * peak requested ratio × allocatable / pods bound. */
function meanPodRequests(f: PoolFacts, count: number, rows: readonly SummaryRow[]): { cpu: number; memory: number } {
  let cpu = 0;
  let memory = 0;
  for (const r of rows) {
    const bound = num(r['pods_bound']);
    if (!(bound > 0)) continue;
    cpu = Math.max(cpu, ((num(r['cpu_requested_peak_ratio']) || 0) * (f.otherMilliCpu + count * f.nodeMilliCpu)) / bound);
    memory = Math.max(memory, ((num(r['memory_requested_peak_ratio']) || 0) * (f.otherMemory + count * f.nodeMemory)) / bound);
  }
  return { cpu, memory };
}

/** The extended resources of the pool's peaks in the rows (probeRow's keys), sorted. */
function extendedPeakNames(pool: string, rows: readonly SummaryRow[]): string[] {
  const names = new Set<string>();
  for (const r of rows) {
    for (const k of Object.keys(r)) {
      const name = poolPeakResource(pool, k);
      if (name !== null && name !== 'cpu' && name !== 'memory') names.add(name);
    }
  }
  return [...names].sort();
}

function num(v: string | number | null | undefined): number {
  if (v === undefined || v === null || v === '') return Number.NaN;
  return Number(v);
}

/** The fewest pool nodes whose allocatable (with the other nodes') covers the peak requests
 * seen at `count` — at most a pool ratio target's share of it (ratioGuess) — with the tolerated
 * loss taken off. A starting point for the search only. */
function lowerBound(f: PoolFacts, count: number, cpuPeak: number, memPeak: number, tolerate: Tolerance | undefined, targets: readonly Target[]): number | null {
  let need = 0;
  for (const [peak, node, other] of [[cpuPeak, f.nodeMilliCpu, f.otherMilliCpu], [memPeak, f.nodeMemory, f.otherMemory]] as const) {
    if (!(peak > 0) || !(node > 0)) continue;
    const demand = peak * (other + count * node);
    need = Math.max(need, Math.ceil((demand - other) / node - 1e-9));
  }
  for (const t of targets) {
    if (!isPoolMetric(t.metric) || (t.op !== '<' && t.op !== '<=') || !(t.value > 0)) continue;
    // (An extended resource's target guesses from its failing probes alone: ratioGuess.)
    const resource = poolMetricResource(t.metric);
    if (resource !== 'cpu' && resource !== 'memory') continue;
    const peak = resource === 'cpu' ? cpuPeak : memPeak;
    if (!(peak > 0)) continue;
    need = Math.max(need, fewestUnder(t, count * peak));
  }
  if (need <= 0) return null;
  if (tolerate === undefined) return need;
  if (tolerate.kind === 'nodes') return need + tolerate.count;
  const zones = Math.max(1, f.poolZones.length);
  if (zones === 1) return null;
  // Losing the largest zone (ceil(n / zones) nodes of the pool) must leave `need`.
  let n = need;
  while (n - Math.ceil(n / zones) < need) n++;
  return n;
}

interface FailureVariant {
  readonly kind: 'zone' | 'nodes';
  readonly zone: string;
  readonly nodes: readonly string[];
  /** Nodes it takes down. */
  readonly hit: number;
  readonly label: string;
  /** Per zone it hits: nodes down of the zone's nodes (all pools), for settleUs. */
  readonly zones?: readonly { readonly lost: number; readonly size: number }[];
}

/** The failures a probe at `count` must survive. */
function failureVariants(t: Tolerance, f: PoolFacts, pool: string, count: number): FailureVariant[] {
  if (t.kind === 'nodes') {
    const n = Math.min(t.count, count);
    if (n === 0) return [];
    const nodes = Array.from({ length: n }, (_, i) => `${pool}-${i}`);
    const named = nodes.length <= 3 ? nodes.join(', ') : `${nodes[0]}, ${nodes[1]}, ..., ${nodes[nodes.length - 1]}`;
    const perZone = zoneSizes(f, count, n);
    return [{ kind: 'nodes', zone: '', nodes, hit: n, label: `${n} node${n === 1 ? '' : 's'} down (${named})`, ...(f.poolZones.length > 0 ? { zones: [...perZone.values()] } : {}) }];
  }
  const zones = new Map([...zoneSizes(f, count, 0)].map(([z, e]) => [z, e.size]));
  return [...zones].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([zone, hit]) => ({ kind: 'zone', zone, nodes: [], hit, label: `zone-outage ${zone}` }));
}

/** Each zone's nodes with the pool at `count` (the pool's node i is in zone i mod Z, nodePools'
 * zones in turn; other pools' nodes count too), and how many of the pool's first `lost` are in
 * it. */
function zoneSizes(f: PoolFacts, count: number, lost: number): Map<string, { lost: number; size: number }> {
  const out = new Map<string, { lost: number; size: number }>([...f.otherZones].map(([z, n]) => [z, { lost: 0, size: n }]));
  for (let i = 0; i < count && f.poolZones.length > 0; i++) {
    const z = f.poolZones[i % f.poolZones.length] as string;
    const e = out.get(z) ?? { lost: 0, size: 0 };
    e.size++;
    if (i < lost) e.lost++;
    out.set(z, e);
  }
  return out;
}

/** How long a failure run goes on after the failure: the node lifecycle controller's grace
 * period and monitor period, its NoExecute tainting at --node-eviction-rate (default 0.1 nodes/s,
 * one token per node, in a fully disrupted zone as in a healthy one), the unreachable toleration
 * (DefaultTolerationSeconds admission, default 300 s), then 5 min for the replacements to be
 * created, scheduled and started: with `s`, the scenario's settings (default: upstream's). At an
 * eviction rate of 0 a zone's first limiter still lets its burst of 1 through (the first node
 * queued is tainted at once, no other ever): no tainting time, but the toleration. */
export function settleUs(nodesHit: number, zones?: readonly { readonly lost: number; readonly size: number }[], s: RecoverySettings = DEFAULT_RECOVERY): number {
  return failureTiming(nodesHit, zones, '', s).settleUs;
}

/** settleUs, part by part. */
export function failureTiming(nodesHit: number, zones: readonly { readonly lost: number; readonly size: number }[] | undefined, what: string, s: RecoverySettings = DEFAULT_RECOVERY): FailureTiming {
  const d = s.lifecycle;
  const taintS = (lost: number, rate: number) => (rate > 0 ? Math.ceil(lost / rate) : 0);
  // Zones taint in parallel, each at the rate its state gives (the node lifecycle controller's
  // own rule: a zone of more than 50 nodes left partly down at 0.01 nodes/s, 100 s a node); a
  // small zone partly down never taints (its pods stay on the dead nodes): nothing to wait for
  // beyond the primary rate's time.
  const timing = (lost: number, size: number) => {
    const rate = zoneEvictionRate(zoneState(lost, size, d), size, d);
    const r = rate > 0 ? rate : d.evictionRate;
    return { tainted: lost, ratePerS: r, taintS: taintS(lost, r) };
  };
  const slowest = zones === undefined
    ? { tainted: nodesHit, ratePerS: d.evictionRate, taintS: taintS(nodesHit, d.evictionRate) }
    // (the most nodes among equally slow zones: at rate 0 every zone's time is 0)
    : zones.map((z) => timing(z.lost, z.size)).reduce((a, b) => (b.taintS > a.taintS || (b.taintS === a.taintS && b.tainted > a.tainted) ? b : a), { tainted: 0, ratePerS: d.evictionRate, taintS: 0 });
  const detectS = (d.gracePeriodUs + d.monitorPeriodUs) / 1e6;
  const tolerationS = s.tolerationS;
  const replaceS = 300;
  return { what, ...slowest, detectS, tolerationS, replaceS, settleUs: (detectS + slowest.taintS + tolerationS + replaceS) * 1e6 };
}

/** The search's plan at its first count (SearchPlan). */
function searchPlan(o: NodesForOptions, f: PoolFacts, seeds: readonly number[], firstCount: number): SearchPlan {
  let failure: SearchPlan['failure'] = null;
  if (o.tolerate !== undefined) {
    const variants = failureVariants(o.tolerate, f, o.pool, firstCount);
    const timings = variants.map((v) => {
      const t = failureTiming(v.hit, v.zones, '', f.recovery);
      const n = t.tainted.toLocaleString('en-US');
      const nodes = `node${t.tainted === 1 ? '' : 's'}`;
      return { ...t, what: v.kind === 'zone' ? `zone ${v.zone}'s ${n} ${nodes}` : `the ${n} lost ${nodes}${v.zones !== undefined && v.zones.filter((z) => z.lost > 0).length > 1 ? ' of the slowest zone' : ''}` };
    });
    const longest = timings.reduce<FailureTiming | null>((a, b) => (a === null || b.settleUs > a.settleUs ? b : a), null);
    if (longest !== null) failure = { runsPerSeed: variants.length, longest };
  }
  return { pool: o.pool, firstCount, seeds, durationUs: f.durationUs, failure };
}

function poolFacts(o: NodesForOptions): PoolFacts {
  const base = loadScenario(o.scenario, o.set !== undefined ? { set: o.set } : {});
  // As --set left it: the failure runs set faults= to these plus their own, so a --set of the
  // faults (faults=[] to size without the scenario's outage) holds in them too.
  const raw = (scenarioDocument(o.scenario, o.set ?? []) ?? {}) as { cluster?: { nodePools?: { name?: string; count?: number; zones?: string[]; costPerHour?: number }[] }; faults?: unknown[] };
  const pools = raw.cluster?.nodePools ?? [];
  const index = pools.findIndex((p) => p.name === o.pool);
  if (index < 0) {
    const names = pools.map((p) => p.name).join(', ');
    throw new InputError('--nodes-for', 0, 0, '', names === '' ? `a node pool of ${o.scenario} (it has none under cluster.nodePools)` : `the name of a node pool of ${o.scenario} (${names})`, JSON.stringify(o.pool));
  }
  // The pool as the user's --set left it (its count may be 0: read one node's shape; without the
  // faults, which may name nodes past the first).
  const one = loadScenario(o.scenario, { set: [...(o.set ?? []), `cluster.nodePools[${index}].count=1`, 'faults=[]'] });
  const poolNode = one.nodes.find((n) => n.pool === o.pool);
  const shape = poolNode === undefined ? null : new NodeInfo(poolNode.node, o.pool, 0).allocatable;
  let otherMilliCpu = 0;
  let otherMemory = 0;
  let otherNodes = 0;
  let otherCost: number | null = null;
  const otherZones = new Map<string, number>();
  for (const n of base.nodes) {
    if (n.pool === o.pool) continue;
    const a = new NodeInfo(n.node, n.pool, 0).allocatable;
    otherNodes++;
    otherMilliCpu += a.milliCpu;
    otherMemory += a.memory;
    if (n.costPerHour !== undefined) otherCost = (otherCost ?? 0) + n.costPerHour;
    const labels = n.node.metadata?.labels ?? {};
    const z = labels[ZONE_LABEL];
    // A node labelled node.kubernetes.io/exclude-disruption is no part of its zone's health.
    if (z !== undefined && !(LABEL_EXCLUDE_DISRUPTION in labels)) otherZones.set(z, (otherZones.get(z) ?? 0) + 1);
  }
  const pool = pools[index]!;
  const poolZones = pool.zones ?? [];
  if (o.tolerate?.kind === 'zone-outage' && poolZones.length < 2) {
    throw new InputError('--tolerate', 0, 0, '', `a pool spread over two zones or more (cluster.nodePools[${index}].zones of ${o.scenario})`, poolZones.length === 0 ? 'no zones' : `one zone (${poolZones[0]})`);
  }
  return {
    index,
    initialCount: Math.max(1, base.nodes.filter((n) => n.pool === o.pool).length),
    nodeMilliCpu: shape?.milliCpu ?? 0,
    nodeMemory: shape?.memory ?? 0,
    nodeExtended: shape === null ? [] : [...shape.scalarNames()].filter((r) => shape.getScalar(r) > 0).sort(),
    otherMilliCpu,
    otherMemory,
    otherNodes,
    poolZones,
    otherZones,
    poolCost: poolNode?.costPerHour ?? null,
    otherCost,
    durationUs: base.durationUs,
    rawFaults: raw.faults ?? [],
    seed: base.seed,
    faultFloor: faultFloor(base.faults ?? [], base.nodes, o.pool),
    recovery: { lifecycle: base.nodeLifecycle ?? NODE_LIFECYCLE_DEFAULTS, tolerationS: base.controlPlane.defaultTolerationSeconds?.unreachable ?? DEFAULT_TOLERATION_SECONDS },
  };
}

/** The fewest nodes of `pool` whose names (`<pool>-0`, `<pool>-1`, ... in order) include every
 * node a fault targets only in this pool: a node it names, or the first of the pool in an outage's
 * zone that no other node is in (null: any count will do). */
export function faultFloor(faults: readonly FaultSpec[], nodes: readonly ScenarioNode[], pool: string): { count: number; why: string } | null {
  const indexInPool = new Map<string, number>();
  const poolOf = new Map<string, string>();
  let k = 0;
  for (const n of nodes) {
    const name = n.node.metadata?.name as string;
    poolOf.set(name, n.pool);
    if (n.pool === pool) indexInPool.set(name, k++);
  }
  let floor: { count: number; why: string } | null = null;
  const need = (count: number, why: string): void => {
    if (floor === null || count > floor.count) floor = { count, why };
  };
  for (const f of faults) {
    if (f.target.startsWith('pool=')) {
      if (f.target === `pool=${pool}`) need(1, `fault ${f.id} (${f.kind}) needs a node of pool ${pool}`);
    } else if (f.target.startsWith('zone=')) {
      if (f.nodes.some((n) => poolOf.get(n) !== pool)) continue; // the zone has other nodes
      const first = Math.min(...f.nodes.map((n) => indexInPool.get(n) ?? Number.POSITIVE_INFINITY));
      if (Number.isFinite(first)) need(first + 1, `fault ${f.id} (${f.kind}) needs a node in ${f.target.slice(5)}`);
    } else {
      for (const n of f.nodes) {
        const i = indexInPool.get(n);
        if (i !== undefined) need(i + 1, `fault ${f.id} (${f.kind}) names ${n}`);
      }
    }
  }
  return floor;
}
