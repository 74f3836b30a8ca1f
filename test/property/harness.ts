// The scenario property, shared by the property tests (test/property/*.test.ts) and the
// regression guard (test/regressions.test.ts): a scenario parses, runs to its end with the
// invariant checker on and within an event budget, and its output tables satisfy cheap
// properties checked here independently of the simulator (counts add up, every attempt of a pod
// in order, bound nodes satisfy the pod's static constraints, no node over its allocatable).
//
// When a property fails, fast-check shrinks the scenario; writeRegression() writes the shrunk
// scenario to test/regressions/<hash>.yaml with the failure in a header comment.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { parseScenario, type Scenario } from '../../src/workload/scenario.js';
import { prepareRun, runScenario, type RunOptions, type RunResult } from '../../src/run/run-scenario.js';
import { toCsv, type Table } from '../../src/metrics/csv-output.js';
import type { Row } from '../../src/metrics/collector.js';
import { parseInteger, parseMilli } from '../../src/api/quantity.js';
import { repoPath } from '../../src/testing/repo-paths.js';
import { EXTENDED_RESOURCE } from '../../src/testing/arbitraries.js';
import { CHECK_PERIOD_US, CompletenessTracker } from './completeness.js';
import type { ClusterState } from '../../src/cluster/cluster-state.js';

type Obj = Record<string, unknown>;

export const REGRESSIONS_DIR = repoPath('test/regressions');

/** Events a checked run may take (with the invariant checker on, ksim runs some 50,000–500,000
 * events per second on these scenarios). Generated scenarios that need more are skipped, not
 * failed: they are legitimate but pathological (e.g. a preemption ping-pong for 10 minutes). */
export const EVENT_BUDGET = 1_000_000;
/** A slice of this many events that does not advance the clock is a livelock. */
export const LIVELOCK_EVENTS = 100_000;

export class EventBudgetExceeded extends Error {
  constructor(readonly budget: number, readonly nowUs: number, readonly endUs: number) {
    super(`event budget exceeded: ${budget} events processed by simulated time ${nowUs} µs (of ${endUs} µs)`);
    this.name = 'EventBudgetExceeded';
  }
}

/** Run options of every checked run. `checkInvariants` makes runScenario throw an
 * InvariantViolation when a simulation invariant breaks (src/invariants/). */
export const CHECKED: RunOptions = { checkInvariants: true };

/** Runs a parsed scenario like runScenario with the invariant checker on, but throws a
 * livelock error when `LIVELOCK_EVENTS` events pass without the clock advancing, and
 * EventBudgetExceeded after `budget` events. Every CHECK_PERIOD_US of simulated time the
 * completeness property (completeness.ts) looks at the pending pods, unless `completeness` is
 * false. */
export function runChecked(
  scenario: Scenario,
  budget = EVENT_BUDGET,
  completeness = true,
  onCheck?: (cluster: ClusterState, nowUs: number) => void,
  onStart?: (cluster: ClusterState, now: () => number) => void,
): RunResult {
  const run = prepareRun(scenario, CHECKED);
  onStart?.(run.cluster, () => run.sim.now);
  const tracker = completeness ? new CompletenessTracker(run.cluster, new Set(scenario.scheduler.profiles.map((p) => p.schedulerName))) : null;
  for (let stepEnd = Math.min(CHECK_PERIOD_US, run.endUs); ; stepEnd = Math.min(stepEnd + CHECK_PERIOD_US, run.endUs)) {
    for (;;) {
      if (run.sim.eventsProcessed >= budget) throw new EventBudgetExceeded(budget, run.sim.now, run.endUs);
      const before = run.sim.now;
      const eventsBefore = run.sim.eventsProcessed;
      if (run.sim.run(stepEnd, LIVELOCK_EVENTS)) break;
      if (run.sim.now === before && run.sim.eventsProcessed - eventsBefore >= LIVELOCK_EVENTS) throw new Error(`livelock: ${LIVELOCK_EVENTS} events at simulated time ${before} µs without the clock advancing`);
    }
    tracker?.check(run.sim.now);
    onCheck?.(run.cluster, run.sim.now);
    if (stepEnd >= run.endUs) break;
  }
  return run.finish();
}

export function table(r: RunResult, file: string): Table {
  const t = r.tables.find((x) => x.file === file);
  assert.ok(t !== undefined, `no ${file} in the run's tables`);
  return t;
}

/** Every table of a run as CSV text, by file name. */
export function csvTexts(r: RunResult): Map<string, string> {
  return new Map(r.tables.map((t) => [t.file, toCsv(t)]));
}

export interface CheckOptions {
  /** Also run the scenario a second time, without the invariant checker (which must only
   * read), and compare every table's CSV text. */
  readonly determinism?: boolean;
  /** The scenario has node faults: nodes may be NotReady and pods evicted (the output
   * properties that assume neither are relaxed), and `onCheck` runs at every check period. */
  readonly faults?: boolean;
  readonly onCheck?: (cluster: ClusterState, nowUs: number) => void;
  /** Called before the run with its cluster and simulated clock (to watch changes as they happen). */
  readonly onStart?: (cluster: ClusterState, now: () => number) => void;
}

/** The whole property for one scenario text: throws (an AssertionError, an InputError from
 * parsing, an InvariantViolation, or whatever the simulator threw) when it does not hold. */
export function checkScenarioText(text: string, file: string, opts: CheckOptions = {}): RunResult {
  const scenario = parseScenario(text, file);
  const result = runChecked(scenario, EVENT_BUDGET, true, opts.onCheck, opts.onStart);
  checkTables(parseYaml(text) as Obj, scenario, result, opts.faults === true);
  if (opts.determinism === true) {
    const again = runScenario(parseScenario(text, file), { checkInvariants: false });
    const a = csvTexts(result);
    const b = csvTexts(again);
    assert.deepEqual([...b.keys()], [...a.keys()], 'the two runs wrote different tables');
    for (const [f, csv] of a) assert.equal(b.get(f), csv, `determinism: ${f} differs between two runs of the same scenario`);
  }
  return result;
}

// ---------------------------------------------------------------- output properties

const num = (v: string | number | undefined): number => (typeof v === 'number' ? v : Number(v));

/** The workload entry a pod comes from: entries are named w<i>, and pods are w<i>, w<i>-<n>
 * (rates) or <deployment>-<hash>-<suffix>. */
function entryOf(doc: Obj, pod: string): Obj | undefined {
  const name = pod.split('-')[0];
  return ((doc['workload'] ?? []) as Obj[]).find((e) => e['name'] === name);
}

function podSpecOf(entry: Obj): Obj {
  const m = entry['manifest'] as Obj;
  const spec = m['spec'] as Obj;
  if (m['kind'] === 'CronJob') return ((((spec['jobTemplate'] as Obj)['spec'] as Obj)['template'] as Obj)['spec'] as Obj);
  return m['kind'] === 'Pod' ? spec : ((spec['template'] as Obj)['spec'] as Obj);
}

/** Effective requests (upstream resource.PodRequests without overhead): per resource the max of
 * the containers' sum and any init container; a resource with a limit but no request requests
 * its limit. */
function podRequests(spec: Obj): Map<string, number> {
  const containerReq = (c: Obj): Map<string, number> => {
    const res = (c['resources'] ?? {}) as Obj;
    const merged = { ...((res['limits'] ?? {}) as Obj), ...((res['requests'] ?? {}) as Obj) } as Record<string, string | number>;
    return new Map(Object.entries(merged).map(([r, q]) => [r, r === 'cpu' ? parseMilli(q) : parseInteger(q)]));
  };
  const sum = new Map<string, number>();
  for (const c of (spec['containers'] ?? []) as Obj[]) for (const [r, v] of containerReq(c)) sum.set(r, (sum.get(r) ?? 0) + v);
  for (const c of (spec['initContainers'] ?? []) as Obj[]) for (const [r, v] of containerReq(c)) sum.set(r, Math.max(sum.get(r) ?? 0, v));
  return sum;
}

interface NodeFacts {
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly taints: readonly Obj[];
  readonly unschedulable: boolean;
  readonly allocatable: Map<string, number>;
}

function nodeFacts(s: Scenario): Map<string, NodeFacts> {
  const out = new Map<string, NodeFacts>();
  for (const { node } of s.nodes) {
    const name = node.metadata?.name ?? '';
    const alloc = (node.status?.allocatable ?? {}) as Record<string, string | number>;
    out.set(name, {
      name,
      labels: (node.metadata?.labels ?? {}) as Record<string, string>,
      taints: (node.spec?.taints ?? []) as unknown as Obj[],
      unschedulable: node.spec?.unschedulable === true,
      allocatable: new Map(Object.entries(alloc).map(([r, q]) => [r, r === 'cpu' ? parseMilli(q) : parseInteger(q)])),
    });
  }
  return out;
}

/** Upstream v1helper.ToleratesTaint. */
function tolerates(t: Obj, taint: Obj): boolean {
  const effect = (t['effect'] ?? '') as string;
  if (effect !== '' && effect !== taint['effect']) return false;
  const key = (t['key'] ?? '') as string;
  if (key !== '' && key !== taint['key']) return false;
  const op = (t['operator'] ?? 'Equal') as string;
  if (op === 'Exists') return true;
  return ((t['value'] ?? '') as string) === ((taint['value'] ?? '') as string);
}

function matchesRequirement(r: Obj, value: string | undefined): boolean {
  const values = (r['values'] ?? []) as string[];
  switch (r['operator']) {
    case 'In':
      return value !== undefined && values.includes(value);
    case 'NotIn':
      return value === undefined || !values.includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    case 'Gt':
    case 'Lt': {
      if (value === undefined || !/^-?\d+$/.test(value)) return false;
      const v = Number(value);
      const lim = Number(values[0]);
      return r['operator'] === 'Gt' ? v > lim : v < lim;
    }
    default:
      throw new Error(`unexpected operator ${String(r['operator'])}`);
  }
}

function matchesTerm(term: Obj, n: NodeFacts): boolean {
  const exprs = (term['matchExpressions'] ?? []) as Obj[];
  const fields = (term['matchFields'] ?? []) as Obj[];
  if (exprs.length === 0 && fields.length === 0) return false;
  return exprs.every((r) => matchesRequirement(r, n.labels[r['key'] as string])) && fields.every((r) => matchesRequirement(r, r['key'] === 'metadata.name' ? n.name : undefined));
}

/** Why `n` cannot hold a pod with `spec` whatever else runs (labels, taints, cordon and size do
 * not change during a run), or null. */
function staticMisfit(spec: Obj, n: NodeFacts): string | null {
  for (const [k, v] of Object.entries((spec['nodeSelector'] ?? {}) as Record<string, string>)) {
    if (n.labels[k] !== v) return `nodeSelector ${k}=${v} but the node has ${String(n.labels[k])}`;
  }
  const required = (((spec['affinity'] as Obj | undefined)?.['nodeAffinity'] as Obj | undefined)?.['requiredDuringSchedulingIgnoredDuringExecution'] as Obj | undefined)?.['nodeSelectorTerms'] as Obj[] | undefined;
  if (required !== undefined && !required.some((t) => matchesTerm(t, n))) return 'no required node affinity term matches';
  const tolerations = (spec['tolerations'] ?? []) as Obj[];
  for (const taint of n.taints) {
    if (taint['effect'] === 'PreferNoSchedule') continue;
    if (!tolerations.some((t) => tolerates(t, taint))) return `untolerated taint ${String(taint['key'])}=${String(taint['value'])}:${String(taint['effect'])}`;
  }
  if (n.unschedulable && !tolerations.some((t) => tolerates(t, { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }))) return 'the node is unschedulable';
  for (const [r, v] of podRequests(spec)) {
    if (v > 0 && v > (n.allocatable.get(r) ?? 0)) return `requests ${v} ${r}, the node has ${n.allocatable.get(r) ?? 0}`;
  }
  return null;
}

/** Properties of the output tables that must hold for every scenario ksim generates here. */
export function checkTables(doc: Obj, s: Scenario, r: RunResult, faults = false): void {
  const summary = table(r, 'summary.csv').rows[0] as Row;
  const placements = table(r, 'placements.csv').rows;
  const timeseries = table(r, 'timeseries.csv').rows;
  const nodesCsv = table(r, 'nodes.csv').rows;
  const nodes = nodeFacts(s);

  const submitted = num(summary['pods_submitted']);
  const bound = num(summary['pods_bound']);
  const unboundEnd = num(summary['pods_unbound_end']);
  const attemptsRun = num(summary['sched_attempts']);
  assert.ok(bound + unboundEnd <= submitted, `pods_bound ${bound} + pods_unbound_end ${unboundEnd} > pods_submitted ${submitted}`);
  assert.equal(num(summary['events']), r.eventsProcessed, 'summary events = events processed');

  // placements.csv: in time order; per pod, attempts 1, 2, ... until at most one binding; a
  // preemption happens on the node the pod was placed on and is the pod's last row, except that
  // a victim chosen while its binding was in flight (an assumed pod, as upstream's snapshot
  // includes them) gets that binding's row afterwards: the preemption is recorded when the
  // deletion is issued, the binding when it commits.
  const boundRows = new Map<string, number>();
  const preemptedRows = new Map<string, number>();
  const evictedRows = new Map<string, number>();
  let attemptRows = 0;
  let prevTime = -1;
  const perPod = new Map<string, { attempts: number; boundTo: string | null; preemptedOn: string | null; gone: boolean }>();
  for (const row of placements) {
    const t = num(row['time_s']);
    const key = `${String(row['namespace'])}/${String(row['pod'])}`;
    const where = `placements.csv row ${JSON.stringify(row)}`;
    assert.ok(t >= prevTime, `${where}: time goes back from ${prevTime}`);
    prevTime = t;
    const result = row['result'];
    const node = String(row['node']);
    let st = perPod.get(key);
    // A ReplicaSet may give a new pod the name of a deleted one (5 random characters, as
    // upstream): a new pod's rows start with a preemption (of its first, in-flight binding) or
    // with attempt 1.
    const fresh = { attempts: 0, boundTo: null, preemptedOn: null, gone: false };
    if (st === undefined) perPod.set(key, (st = fresh));
    else if (st.gone && (result === 'preempted' || num(row['attempt']) === 1)) perPod.set(key, (st = fresh));
    // A StatefulSet recreates a pod that ended under the same name: its rows start again at attempt 1.
    else if (row['owner_kind'] === 'StatefulSet' && num(row['attempt']) === 1 && st.attempts > 0) perPod.set(key, (st = fresh));
    else if (st.preemptedOn !== null && result !== 'preempted' && num(row['attempt']) === 1 && (st.attempts > 0 || (result === 'bound' && node !== st.preemptedOn))) {
      perPod.set(key, (st = fresh)); // the victim's in-flight binding never committed
    }
    if (result === 'terminated') {
      // A Terminating pod (preempted) is gone: it held the node it was on until now.
      assert.ok(st.preemptedOn === node || st.boundTo === node, `${where}: terminated on a node it was not on`);
      st.gone = true;
      continue;
    }
    if (result === 'evicted') {
      // The taint-eviction controller deleted a pod bound to a failed node.
      assert.ok(faults, `${where}: an eviction without faults`);
      assert.equal(st.boundTo, node, `${where}: evicted from a node it was not bound to`);
      evictedRows.set(node, (evictedRows.get(node) ?? 0) + 1);
      st.gone = true;
      continue;
    }
    assert.ok(!st.gone, `${where}: a row after the pod was preempted`);
    if (result === 'preempted') {
      assert.equal(st.preemptedOn, null, `${where}: preempted twice`);
      st.preemptedOn = node;
      preemptedRows.set(node, (preemptedRows.get(node) ?? 0) + 1);
      if (st.boundTo !== null) {
        assert.equal(node, st.boundTo, `${where}: preempted on another node than it was bound to`);
        st.gone = true;
      }
      continue;
    }
    if (st.preemptedOn !== null) {
      // The binding that was in flight when the pod was chosen as a victim.
      st.gone = true;
      if (result === 'bound') assert.equal(node, st.preemptedOn, `${where}: bound to another node than it was preempted on`);
    }
    attemptRows++;
    assert.ok(st.boundTo === null, `${where}: an attempt after the pod was bound to ${st.boundTo}`);
    st.attempts++;
    assert.equal(num(row['attempt']), st.attempts, `${where}: attempt numbers go 1, 2, ...`);
    if (result === 'bound') {
      const n = nodes.get(node);
      assert.ok(n !== undefined, `${where}: bound to an unknown node`);
      st.boundTo = node;
      boundRows.set(node, (boundRows.get(node) ?? 0) + 1);
      const entry = entryOf(doc, String(row['pod']));
      if (entry !== undefined) {
        const why = staticMisfit(podSpecOf(entry), n);
        assert.equal(why, null, `${where}: pod of workload entry ${String(entry['name'])} bound to ${node} although ${why}`);
      }
    } else {
      assert.ok(result === 'unschedulable' || result === 'error', `${where}: unknown result`);
      assert.equal(node, '', `${where}: a failed attempt names a node`);
      assert.notEqual(row['reason'], '', `${where}: a failed attempt without a reason`);
    }
  }
  const boundTotal = [...boundRows.values()].reduce((a, b) => a + b, 0);
  assert.equal(boundTotal, bound, 'pods_bound = bound rows of placements.csv');
  assert.ok(attemptsRun >= attemptRows, `sched_attempts ${attemptsRun} < attempt rows ${attemptRows}`);
  // Cycles without a row yet: bindings in flight at the end (or pods deleted during their cycle).
  const inFlight = attemptsRun - attemptRows;

  // nodes.csv: every node, none over its allocatable; its pods came from bound rows (or
  // bindings in flight), and without completions every bound pod not preempted is still there.
  // (A CronJob's pods can leave without completing: Replace deletes the running Job.)
  const everyPodRunsForever = ((doc['workload'] ?? []) as Obj[]).every((e) => (e['runDuration'] === undefined || e['runDuration'] === 'forever') && (e['manifest'] as Obj | undefined)?.['kind'] !== 'CronJob');
  assert.deepEqual(nodesCsv.map((x) => x['node']), [...nodes.keys()], 'nodes.csv lists every node once, in order');
  for (const row of nodesCsv) {
    const name = String(row['node']);
    const n = nodes.get(name) as NodeFacts;
    const where = `nodes.csv ${name}`;
    assert.ok(num(row['cpu_requested_milli']) <= num(row['cpu_allocatable_milli']), `${where}: cpu requested ${row['cpu_requested_milli']} > allocatable ${row['cpu_allocatable_milli']}`);
    assert.ok(num(row['memory_requested_bytes']) <= num(row['memory_allocatable_bytes']), `${where}: memory requested > allocatable`);
    if (row[`${EXTENDED_RESOURCE}_requested`] !== undefined) {
      assert.ok(num(row[`${EXTENDED_RESOURCE}_requested`]) <= num(row[`${EXTENDED_RESOURCE}_allocatable`]), `${where}: ${EXTENDED_RESOURCE} requested > allocatable`);
    }
    const pods = num(row['pods']);
    assert.ok(pods <= (n.allocatable.get('pods') ?? 110), `${where}: ${pods} pods > allocatable pods ${n.allocatable.get('pods')}`);
    const b = boundRows.get(name) ?? 0;
    assert.ok(pods <= b + inFlight, `${where}: ${pods} pods but only ${b} bound rows (+${inFlight} in flight)`);
    if (everyPodRunsForever) {
      const lower = b - (preemptedRows.get(name) ?? 0) - (evictedRows.get(name) ?? 0);
      assert.ok(pods >= lower, `${where}: ${pods} pods but ${b} bound and ${preemptedRows.get(name) ?? 0} preempted (nothing completes)`);
    }
  }

  // timeseries.csv: one row per sample interval from 0 and a last one at the run's end (once,
  // also when the interval divides the duration), every node ready (no faults), pod phases
  // never more than the pods created, ratios within [0, 1].
  const interval = s.sampleIntervalUs / 1e6;
  const endS = s.durationUs / 1e6;
  timeseries.forEach((row, i) => {
    const where = `timeseries.csv row ${i}`;
    const want = i === timeseries.length - 1 ? endS : i * interval;
    assert.ok(Math.abs(num(row['time_s']) - want) < 1e-6, `${where}: time_s ${row['time_s']}, expected ${want}`);
    if (i < timeseries.length - 1) assert.ok(i * interval < endS, `${where}: a sample on the grid at or past the end (${i * interval} s) before the end row`);
    if (faults) {
      assert.equal(num(row['nodes_ready']) + num(row['nodes_not_ready']), nodes.size, `${where}: nodes_ready + nodes_not_ready`);
    } else {
      assert.equal(num(row['nodes_ready']), nodes.size, `${where}: nodes_ready`);
      assert.equal(num(row['nodes_not_ready']), 0, `${where}: nodes_not_ready`);
    }
    const phases = num(row['pods_pending']) + num(row['pods_running']) + num(row['pods_succeeded']) + num(row['pods_failed']);
    assert.ok(phases <= submitted, `${where}: ${phases} pods in phases > ${submitted} submitted`);
    for (const c of Object.keys(row)) {
      if (c.endsWith('_ratio')) assert.ok(num(row[c]) >= 0 && num(row[c]) <= 1, `${where}: ${c} = ${row[c]} outside [0, 1]`);
    }
  });
  const onGrid = Math.floor(s.durationUs / s.sampleIntervalUs) + 1;
  const endOnGrid = s.durationUs % s.sampleIntervalUs === 0;
  assert.equal(timeseries.length, onGrid + (endOnGrid ? 0 : 1), 'timeseries.csv has one row per sample interval from 0, and one at the end');
}

// ---------------------------------------------------------------- regressions

export interface FailureInfo {
  readonly yaml: string;
  readonly error: unknown;
  readonly seed: number;
  readonly path: string;
  readonly property: string;
  /** The node:test name of the property's test (for --test-name-pattern). */
  readonly testName: string;
}

function errorText(e: unknown): string {
  if (e instanceof Error) return `${e.name}: ${e.message}`;
  return String(e);
}

/** Writes the shrunk scenario to test/regressions/<hash>.yaml with the failure, the property and
 * how to replay it in a header comment; returns the file's path. */
export function writeRegression(f: FailureInfo): string {
  const hash = createHash('sha256').update(f.yaml).digest('hex').slice(0, 12);
  mkdirSync(REGRESSIONS_DIR, { recursive: true });
  const file = join(REGRESSIONS_DIR, `${hash}.yaml`);
  const comment = (s: string) => s.split('\n').map((l) => `#   ${l}`.trimEnd()).join('\n');
  const header = [
    `# Regression found by the property "${f.property}" (test/property/), shrunk by fast-check.`,
    '# Failure:',
    comment(errorText(f.error)),
    `# fast-check seed ${f.seed}, path ${f.path}; replay the search with`,
    `#   KSIM_PROPERTY_SEED=${f.seed} KSIM_PROPERTY_PATH=${f.path} node --test --test-name-pattern='${f.testName}' dist/test/property/scenarios.test.js`,
    `# test/regressions.test.ts runs this file with the invariant checker and expects success.`,
    '',
  ].join('\n');
  if (!existsSync(file)) writeFileSync(file, header + f.yaml);
  return file;
}

/** The regression files, sorted. */
export function regressionFiles(): string[] {
  if (!existsSync(REGRESSIONS_DIR)) return [];
  return readdirSync(REGRESSIONS_DIR).filter((f) => f.endsWith('.yaml')).sort().map((f) => join(REGRESSIONS_DIR, f));
}
