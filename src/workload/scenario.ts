// The scenario: what `ksim run` simulates. Loaded from YAML, checked against the published JSON
// Schema (schema/scenario.schema.json) and then semantically; every error names file, line,
// column, field path and what was expected.
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { basename, dirname, extname, isAbsolute, join, resolve } from 'node:path';
import type { Node, Pod, PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import { compileNodeSelector, compileNodeSelectorMap } from '../api/labels.js';
import type { WorkloadObject } from '../cluster/workload-object.js';
import { equalIgnoreHash } from '../controllers/deployment.js';
import { dropPodsOnMissingNodes, NO_NODE_EXPECTED, noNodeFound, notReadyPodsWarning, orphanedPodsWarning, readSnapshotDocs, type SnapshotStart } from './start-snapshot.js';
import { snapshotTime } from './snapshot-times.js';
import type { PodPast } from '../cluster/pod-info.js';
import type { Deployment } from 'kubernetes-types/apps/v1.js';
import { isMap, isScalar, isSeq, parse as parseYamlValue } from 'yaml';
import { formatDuration, parseDuration } from '../api/duration.js';
import { MAX_RUN_DURATION_US } from '../engine/time.js';
import { formatPath, InputError } from '../api/input-error.js';
import { checkSeed } from '../api/seed.js';
import { parseInteger, parseMilli } from '../api/quantity.js';
import type { Distribution } from '../engine/distributions.js';
import type { ApiConfig } from '../controlplane/api-server.js';
import { DEFAULT_TOLERATION_SECONDS, PREEMPT_LOWER_PRIORITY } from '../controlplane/admission.js';
import { HOSTNAME_LABEL, ZONE_LABEL } from '../cluster/node-info.js';
import { CPU, PODS } from '../cluster/resources.js';
import { parseDurationDistribution } from './distribution-spec.js';
import { CLAIM_NOT_SIMULATED, DEFAULT_MAX_PODS, firstClaimOf, isSimulatedKind, readManifest, readNode, type WorkloadManifest } from './manifests.js';
import { SharedSpecParts } from './shared-parts.js';
import { expandDocument, isListKind, objectFilesOf, readObjectPaths, type ObjectItem } from './object-files.js';
import { isCustomResource, isSkippedKind, SkipTally } from './skipped-kinds.js';
import { isObject, merged } from '../api/values.js';
import { templateKey } from '../api/template-defaults.js';
import { changedImmutableField } from './immutable-fields.js';
import { validateAgainstSchema } from './schema.js';
import { defaultSchedulerConfig, readSchedulerConfiguration, type SchedulerConfig } from '../scheduler/config/kube-scheduler-configuration.js';
import { readSchedulerConfigFile } from '../scheduler/config/config-file.js';
import type { PluginModule } from '../scheduler/plugin-modules.js';
import { readFaults, type FaultSpec } from '../faults/spec.js';
import { DEFAULT_TERMINATED_POD_GC_THRESHOLD } from '../controllers/podgc.js';
import { NODE_LIFECYCLE_DEFAULTS, type NodeLifecycleOptions } from '../controllers/node-lifecycle.js';
import { LEASE_RENEW_INTERVAL_US } from '../controlplane/node-lease.js';
import { located, parseYamlText, readYamlFile, type Path, type YamlDoc } from '../api/yaml-source.js';
import { readTraceCluster, readTraceWorkload, traceClockWarnings, type TraceSpec } from './traces/trace-entry.js';
import { inputFilesOf, type InputFile } from './scenario-inputs.js';

export const POOL_LABEL = 'ksim.io/pool';

export interface ScenarioNode {
  readonly node: Node;
  /** Pool name, or "" for explicit nodes. */
  readonly pool: string;
  /** When the node joins (µs); 0 for nodes present from the start. */
  readonly joinAtUs?: number;
  /** Its pool's costPerHour (any currency); absent when the pool has none. */
  readonly costPerHour?: number;
}

export type Arrival =
  | { readonly kind: 'at'; readonly atUs: number }
  | { readonly kind: 'rate'; readonly perMinute: number; readonly count: number | null; readonly startUs: number; readonly process: 'poisson' | 'fixed' };

export interface WorkloadEntry {
  readonly name: string;
  readonly manifests: readonly WorkloadManifest[];
  readonly arrival: Arrival;
  /** null: pods run until the end. */
  readonly runDuration: Distribution | null;
  /** Container failures (`failure:`): the probability that a pod's container exits with an
   * error when its run ends (stream `failures/<entry>`); absent: containers never fail. */
  readonly failure?: { readonly probability: number };
  /** A trace replay (`trace:`, src/workload/traces/): the trace gives the pods, their arrivals
   * and run times; `manifests` is empty and `arrival` unused. */
  readonly trace?: TraceSpec;
}

/** A workload DaemonSet (its entry, namespace and name). */
export interface DaemonSetAwaitingNodes {
  readonly entry: string;
  readonly namespace: string;
  readonly name: string;
}

export interface Scenario {
  readonly name: string;
  /** The scenario path as the user gave it. */
  readonly file: string;
  /** The scenario file's SHA-256 (of the text, for parseScenario). */
  readonly sha256: string;
  /** Every file the run reads: the scenario, then the files its fields name (configFile,
   * pluginModules, manifest and cluster files, traces); hashScenarioInputs hashes them. */
  readonly inputFiles: readonly InputFile[];
  /** The --set overrides applied (argument and path): an error found after loading in a value
   * one of them gave (the scheduler configuration's, checked when a run builds its profiles)
   * names the argument (blameSet). */
  readonly overrides?: readonly { readonly arg: string; readonly path: string }[];
  readonly seed: number;
  readonly durationUs: number;
  readonly nodes: readonly ScenarioNode[];
  /** The names of cluster.nodePools, in order (their nodes are those of `nodes` with that pool;
   * a trace's nodes carry a pool too). The loader always sets it; absent: none. */
  readonly nodePools?: readonly string[];
  /** The API server and etcd model (controlPlane). */
  readonly controlPlane: ApiConfig;
  /** controlPlane.terminatedPodGCThreshold: terminated pods kept before the pod garbage
   * collector deletes the oldest (src/controllers/podgc.ts); 0 disables it. The loader always
   * sets it; absent (hand-built scenarios): the default. */
  readonly terminatedPodGCThreshold?: number;
  /** controlPlane.controllerManager: the node lifecycle controller's grace period, eviction rates
   * and zone thresholds. The loader always sets it; absent (hand-built scenarios): upstream's
   * defaults (NODE_LIFECYCLE_DEFAULTS). */
  readonly nodeLifecycle?: NodeLifecycleOptions;
  readonly startupLatency: Distribution;
  /** Time to pull one image a node does not hold (kubelet.imagePull), added to the startup
   * latency; the loader always sets it (default 0s); absent (hand-built scenarios): no pulls. */
  readonly imagePull?: Distribution;
  readonly sampleIntervalUs: number;
  /** metrics.groupBy: timeseries.csv broken down by node pool or zone; absent: not. */
  readonly groupBy?: 'pool' | 'zone';
  readonly workload: readonly WorkloadEntry[];
  /** Profiles and queue settings from scheduler.config / scheduler.configFile (else upstream defaults). */
  readonly scheduler: SchedulerConfig;
  /** Out-of-tree plugin modules (scheduler.pluginModules), resolved against the scenario. */
  readonly pluginModules: readonly PluginModule[];
  /** scheduler.tieBreak: nodeName breaks score ties by the lowest node name; absent: at random. */
  readonly tieBreak?: 'nodeName';
  /** What a cluster snapshot (cluster.file) adds to the start state besides its nodes:
   * objects (Namespaces, owners, ...) and pods, bound (Running at t = 0) or pending. */
  readonly startObjects?: readonly WorkloadObject[];
  readonly startPods?: readonly Pod[];
  /** The snapshot's finished pods (StartState.finishedPods). */
  readonly startFinishedPods?: readonly Pod[];
  /** The snapshot pods' pasts (creation, start and Ready times before t = 0, restarts, preemption), by pod. */
  readonly startPodPasts?: ReadonlyMap<Pod, PodPast>;
  /** The wall-clock time of t = 0 (µs since the Unix epoch): a cluster snapshot's own time;
   * absent: 2026-01-01T00:00:00Z. Kubernetes timestamps and cron schedules read it. */
  readonly clockStartUs?: number;
  /** Scheduled faults (`faults:`, src/faults/spec.ts). */
  readonly faults?: readonly FaultSpec[];
  /** DaemonSets of the workload that none of the scenario's nodes matches, when a ksim-events
   * trace may bring one that does: the run warns at its end about those no node matched. */
  readonly daemonSetsAwaitingNodes?: readonly DaemonSetAwaitingNodes[];
  /** Things worth telling the user that do not stop the run. */
  readonly warnings: readonly string[];
}

export interface LoadOptions {
  /** `PATH=VALUE` overrides applied before validation (VALUE is read as YAML). */
  readonly set?: readonly string[];
  /** Replaces the scenario's seed: an integer 0 … 4294967295, as the file's `seed` (else an
   * InputError `loadScenario: opts.seed: expected an integer >= 0 and <= 4294967295, got 1.5`). */
  readonly seed?: number;
}

export const DEFAULTS = {
  seed: 1,
  duration: '1h',
  apiWriteLatency: '500us',
  watchDelay: { lognormal: { p50: '1ms', p99: '5ms' } },
  etcdFollowerRtt: { lognormal: { p50: '500us', p99: '2ms' } },
  etcdFsync: { lognormal: { p50: '1ms', p99: '8ms' } },
  etcdMembers: 3,
  etcdMaxWritesPerSecond: 20_000,
  etcdElectionTimeout: '1s',
  startupLatency: { lognormal: { p50: '1s', p99: '4s' } },
  imagePull: '0s',
  sampleInterval: '1m',
} as const;

type Obj = Record<string, unknown>;

/** Most timeseries rows (duration / metrics.sampleInterval) a run may produce. */
export const MAX_SAMPLES = 1_000_000;

export function loadScenario(file: string, opts: LoadOptions = {}): Scenario {
  if (opts.seed !== undefined) checkSeed(opts.seed, 'loadScenario', 'opts.seed');
  return scenarioFromDocs(readYamlFile(file, file), file, createHash('sha256').update(readFileSync(file)).digest('hex'), opts);
}

/** A scenario file's document as plain data with the --set overrides applied, unchecked (loading
 * says what is wrong): a look at the effective scenario before loading it (`ksim run` announcing
 * big inputs), or parts of it written back as --set values (ksim capacity's failure runs add
 * their fault to the faults in force). Throws what reading it or applying a --set meets. */
export function scenarioDocument(file: string, set: readonly string[] = []): Obj {
  const doc = readYamlFile(file, file)[0];
  if (doc === undefined) return {};
  for (const s of set) applySet(doc, s);
  return (doc.toJS() ?? {}) as Obj;
}

/** Parses a scenario from text (for tests and library users); `file` names it in errors and
 * anchors relative paths. */
export function parseScenario(text: string, file: string, opts: LoadOptions = {}): Scenario {
  if (opts.seed !== undefined) checkSeed(opts.seed, 'parseScenario', 'opts.seed');
  return scenarioFromDocs(parseYamlText(text, file), file, createHash('sha256').update(text).digest('hex'), opts);
}

function scenarioFromDocs(docs: YamlDoc[], file: string, sha256: string, opts: LoadOptions): Scenario {
  if (docs.length !== 1) {
    throw new InputError(file, 0, 0, '', 'exactly one YAML document (a Scenario)', `${docs.length} documents`);
  }
  const doc = docs[0] as YamlDoc;
  const sets = (opts.set ?? []).flatMap((s) => applySet(doc, s));
  try {
    const raw = doc.toJS();
    validateAgainstSchema(doc, raw);
    const scenario = buildScenario(doc, raw as Obj, file, sha256, opts);
    return sets.length === 0 ? scenario : { ...scenario, overrides: sets, pluginModules: scenario.pluginModules.map((m) => blameSetModule(m, sets)) };
  } catch (e) {
    throw blameSet(e, sets);
  }
}

/** A plugin module a `--set` named: errors met importing it (after loading) name the argument,
 * as blameSet does for errors met loading. */
function blameSetModule<M extends { readonly field?: { readonly path: string } }>(m: M, sets: readonly { readonly arg: string; readonly path: string }[]): M {
  const at = m.field;
  if (at === undefined) return m;
  const set = [...sets].reverse().find((s) => at.path === s.path || at.path.startsWith(`${s.path}.`) || at.path.startsWith(`${s.path}[`));
  return set === undefined ? m : { ...m, field: { file: `--set ${set.arg}`, line: 0, column: 0, path: at.path } };
}

/** An error in a value `--set` put there names the --set argument, not a place in the file. */
export function blameSet(e: unknown, sets: readonly { readonly arg: string; readonly path: string }[]): unknown {
  if (!(e instanceof InputError)) return e;
  // The last --set of a path wins, so it is the one to blame.
  const set = [...sets].reverse().find((s) => e.path === s.path || e.path.startsWith(`${s.path}.`) || e.path.startsWith(`${s.path}[`));
  if (set !== undefined) return new InputError(`--set ${set.arg}`, 0, 0, e.path, e.expected, e.got);
  // A fault that names a node the cluster no longer has because a --set changed the cluster
  // (cluster.nodePools[0].count=0): the file's line is right, but the cause is the --set.
  const cluster = [...sets].reverse().find((s) => s.path === 'cluster' || s.path.startsWith('cluster.'));
  if (cluster !== undefined && e.path.startsWith('faults')) return new InputError(e.file, e.line, e.column, e.path, e.expected, `${e.got ?? 'it'} (the cluster is as --set ${cluster.arg} left it)`);
  return e;
}

/** The path a `--set PATH=VALUE` (or `--matrix PATH=...`) argument writes, as keys and list
 * indexes; null when it has none that parses (loading the scenario says why). */
export function setArgumentPath(arg: string): (string | number)[] | null {
  const eq = arg.indexOf('=');
  if (eq <= 0) return null;
  try {
    return parseSetPath(arg.slice(0, eq), `--set ${arg}`);
  } catch {
    return null;
  }
}

/** A --set path: keys split at dots, `[N]` list items, and `["key"]` (or `['key']`) for a key
 * that holds dots itself (an extended resource: `allocatable["alibaba.com/gpu-milli"]`). */
function parseSetPath(p: string, at: string): (string | number)[] {
  const out: (string | number)[] = [];
  const re = /\[(\d+)\]|\["([^"]*)"\]|\['([^']*)'\]|([^.[\]"']+)|(\.)/gy;
  let end = 0;
  for (let m = re.exec(p); m !== null; m = re.exec(p)) {
    end = re.lastIndex;
    if (m[1] !== undefined) out.push(Number(m[1]));
    else if (m[2] !== undefined || m[3] !== undefined) out.push((m[2] ?? m[3]) as string);
    else if (m[4] !== undefined) out.push(m[4]);
  }
  if (end !== p.length || out.length === 0) {
    throw new InputError(at, 0, 0, '', 'a path such as cluster.nodePools[0].count, with ["key"] for a key holding dots (allocatable["nvidia.com/gpu"])', JSON.stringify(p));
  }
  return out;
}

/** Applies one `--set a.b[0].c=value` override to the document, creating missing maps on the
 * way (a list item must exist); returns the paths it wrote (the maps it made and the field),
 * each with the argument, to blame for errors there. */
function applySet(doc: YamlDoc, s: string): { arg: string; path: string }[] {
  const written: { arg: string; path: string }[] = [];
  const eq = s.indexOf('=');
  if (eq <= 0) throw new InputError('--set', 0, 0, '', 'PATH=VALUE, e.g. cluster.nodePools[0].count=10', JSON.stringify(s));
  const at = `--set ${s}`;
  const path = parseSetPath(s.slice(0, eq), at);
  let value: unknown;
  try {
    value = parseYamlValue(s.slice(eq + 1));
  } catch {
    throw new InputError(at, 0, 0, s.slice(0, eq), 'a YAML value', JSON.stringify(s.slice(eq + 1)));
  }
  for (let i = 1; i < path.length; i++) {
    const parent = doc.doc.getIn(path.slice(0, i), true);
    const key = path[i] as string | number;
    const where = formatPath(path.slice(0, i));
    if (parent === undefined || parent === null || (isScalar(parent) && parent.value === null)) {
      if (typeof key === 'number') throw new InputError(at, 0, 0, formatPath(path), `an existing list item (${where} is not in the scenario)`);
      doc.doc.setIn(path.slice(0, i), doc.doc.createNode({}));
      written.push({ arg: s, path: where });
    } else if (typeof key === 'number' && !(isSeq(parent) && key < parent.items.length)) {
      throw new InputError(at, 0, 0, formatPath(path), isSeq(parent) ? `an existing list item (${where} has ${parent.items.length} items)` : `a path into a map or list (${where} is not a list)`);
    } else if (typeof key === 'string' && !isMap(parent)) {
      throw new InputError(at, 0, 0, formatPath(path), `a path into a map or list (${where} is not a map)`);
    }
  }
  doc.doc.setIn(path, doc.doc.createNode(value));
  written.push({ arg: s, path: formatPath(path) });
  return written;
}

function buildScenario(doc: YamlDoc, raw: Obj, file: string, sha256: string, opts: LoadOptions): Scenario {
  const md = (raw['metadata'] ?? {}) as Obj;
  const name = (md['name'] as string | undefined) ?? basename(file, extname(file));
  const seed = opts.seed ?? (raw['seed'] as number | undefined) ?? DEFAULTS.seed;
  const durationUs = located(doc, ['duration'], () => parseDuration((raw['duration'] as string | undefined) ?? DEFAULTS.duration));
  if (durationUs <= 0) throw doc.error(['duration'], 'a positive duration');
  if (durationUs > MAX_RUN_DURATION_US) {
    throw doc.error(['duration'], `a duration of at most ${formatDuration(MAX_RUN_DURATION_US)} (100 years)`, JSON.stringify(raw['duration']));
  }
  const cp = (raw['controlPlane'] ?? {}) as Obj;
  const kubelet = (raw['kubelet'] ?? {}) as Obj;
  const metrics = (raw['metrics'] ?? {}) as Obj;
  const sampleIntervalUs = located(doc, ['metrics', 'sampleInterval'], () => parseDuration((metrics['sampleInterval'] as string | undefined) ?? DEFAULTS.sampleInterval));
  if (sampleIntervalUs <= 0) throw doc.error(['metrics', 'sampleInterval'], 'a positive duration');
  if (durationUs / sampleIntervalUs > MAX_SAMPLES) {
    throw doc.error(['metrics', 'sampleInterval'], `an interval of at least duration / ${MAX_SAMPLES} (at most ${MAX_SAMPLES} timeseries rows)`, JSON.stringify(metrics['sampleInterval'] ?? DEFAULTS.sampleInterval));
  }
  // pool or zone (the JSON schema refuses anything else).
  const groupBy = metrics['groupBy'] as 'pool' | 'zone' | undefined;
  const baseDir = dirname(resolve(file));
  const warnings: string[] = [];
  const sched = (raw['scheduler'] ?? {}) as Obj;
  const pluginModules = ((sched['pluginModules'] ?? []) as string[]).map((m, i) => {
    const path = resolve(baseDir, m);
    let missing: string | null = null;
    try {
      if (!statSync(path).isFile()) missing = 'not a file';
    } catch (e) {
      missing = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String((e as NodeJS.ErrnoException).code ?? e);
    }
    const at: Path = ['scheduler', 'pluginModules', i];
    if (missing !== null) throw doc.error(at, 'a readable file (paths are relative to the scenario)', `${JSON.stringify(m)}: ${missing}`);
    // Where the module is named, for errors met when it is imported (after loading; a plugin
    // scenario's document is parsed for positions once, here).
    const { line, column } = doc.position(at);
    return { display: displayPath(file, baseDir, m), path, field: { file: doc.file, line, column, path: formatPath(at) } };
  });
  const traceFaults: FaultSpec[] = [];
  const snapshot: SnapshotStart = { nodes: [], objects: [], pods: [], finished: [], podHistories: new Map() };
  const nodes = readCluster(doc, (raw['cluster'] ?? {}) as Obj, baseDir, file, warnings, traceFaults, snapshot);
  const workload = readWorkload(doc, (raw['workload'] ?? []) as Obj[], baseDir, file, warnings, snapshot.objects);
  const clusterTrace = (raw['cluster'] as Obj | undefined)?.['trace'];
  if (clusterTrace !== undefined) warnings.push(...traceClockWarnings(clusterTrace as Obj, workload));
  const dsCheck = daemonSetsWithoutNodes(workload, nodes);
  warnings.push(...dsCheck.warnings);
  keepSnapshotTemplates(workload, snapshot.objects);
  // The finished pods' times are the snapshot's too (its now is at or after them).
  const start = snapshotTime([...snapshot.pods, ...snapshot.finished], snapshot.podHistories, snapshot.nodes, snapshot.objects);
  warnings.push(...notReadyPodsWarning(snapshot.pods, start.pasts));
  warnings.push(...orphanedPodsWarning(snapshot.pods, snapshot.objects));
  return {
    name,
    file,
    sha256,
    inputFiles: inputFilesOf(raw, file, sha256),
    seed,
    durationUs,
    nodes,
    nodePools: (((raw['cluster'] as Obj | undefined)?.['nodePools'] ?? []) as Obj[]).map((p) => p['name'] as string),
    controlPlane: readControlPlane(doc, cp),
    terminatedPodGCThreshold: (cp['terminatedPodGCThreshold'] as number | undefined) ?? DEFAULT_TERMINATED_POD_GC_THRESHOLD,
    nodeLifecycle: readNodeLifecycle(doc, (cp['controllerManager'] ?? {}) as Obj, warnings),
    startupLatency: located(doc, ['kubelet', 'startupLatency'], () => parseDurationDistribution(kubelet['startupLatency'] ?? DEFAULTS.startupLatency)),
    imagePull: located(doc, ['kubelet', 'imagePull'], () => parseDurationDistribution(kubelet['imagePull'] ?? DEFAULTS.imagePull)),
    sampleIntervalUs,
    ...(groupBy !== undefined ? { groupBy } : {}),
    workload,
    scheduler: readScheduler(doc, sched, baseDir, file, warnings),
    pluginModules,
    ...(sched['tieBreak'] === 'nodeName' ? { tieBreak: 'nodeName' as const } : {}),
    faults: withTraceFaults(readFaults(doc, raw['faults'], nodes, { durationUs, warnings }), traceFaults),
    ...(snapshot.objects.length > 0 ? { startObjects: snapshot.objects } : {}),
    ...(snapshot.pods.length > 0 ? { startPods: snapshot.pods } : {}),
    ...(snapshot.finished.length > 0 ? { startFinishedPods: snapshot.finished } : {}),
    ...(start.pasts.size > 0 ? { startPodPasts: start.pasts } : {}),
    ...(start.nowUs === null ? {} : { clockStartUs: start.nowUs }),
    ...(dsCheck.awaiting.length > 0 ? { daemonSetsAwaitingNodes: dsCheck.awaiting } : {}),
    warnings,
  };
}

/** Each API client kind's field under the scenario's controlPlane.clients (messages name it). */
export const CLIENT_FIELDS = { scheduler: 'scheduler', 'controller-manager': 'controllerManager', kubelet: 'kubelet' } as const;

/** controlPlane with upstream defaults: client QPS/burst as client-go's defaults for each component
 * (kube-scheduler 50/100, kube-controller-manager 20/30, kubelet 50/100); etcd's election timeout
 * 1 s; latencies are ksim's choice for a healthy same-datacenter control plane on SSDs (etcd's
 * guidance: round trips of several hundred µs, WAL fsync p99 under 10 ms). */

function readControlPlane(doc: YamlDoc, cp: Obj): ApiConfig {
  const etcd = (cp['etcd'] ?? {}) as Obj;
  const apiServer = (cp['apiServer'] ?? {}) as Obj;
  const clients = (cp['clients'] ?? {}) as Record<string, { qps?: number; burst?: number } | undefined>;
  // A field left out keeps the component's default (--set ...scheduler.qps=5000 alone works).
  const limit = (name: string, qps: number, burst: number) => ({ qps: clients[name]?.qps ?? qps, burst: clients[name]?.burst ?? burst });
  const dist = (path: Path, v: unknown) => located(doc, path, () => parseDurationDistribution(v));
  const members = (etcd['members'] as number | undefined) ?? DEFAULTS.etcdMembers;
  const rtt = dist(['controlPlane', 'etcd', 'followerRtt'], etcd['followerRtt'] ?? DEFAULTS.etcdFollowerRtt);
  return {
    requestLatency: dist(['controlPlane', 'apiWriteLatency'], cp['apiWriteLatency'] ?? DEFAULTS.apiWriteLatency),
    watchDelay: dist(['controlPlane', 'watchDelay'], cp['watchDelay'] ?? DEFAULTS.watchDelay),
    etcd: {
      followerRtt: Array.from({ length: members - 1 }, () => rtt),
      fsync: dist(['controlPlane', 'etcd', 'fsync'], etcd['fsync'] ?? DEFAULTS.etcdFsync),
      maxWritesPerSecond: (etcd['maxWritesPerSecond'] as number | undefined) ?? DEFAULTS.etcdMaxWritesPerSecond,
      electionTimeoutUs: located(doc, ['controlPlane', 'etcd', 'electionTimeout'], () => parseDuration((etcd['electionTimeout'] as string | undefined) ?? DEFAULTS.etcdElectionTimeout)),
    },
    clients: new Map([
      ['scheduler', limit(CLIENT_FIELDS['scheduler'], 50, 100)],
      ['controller-manager', limit(CLIENT_FIELDS['controller-manager'], 20, 30)],
      ['kubelet', limit(CLIENT_FIELDS['kubelet'], 50, 100)],
    ]),
    // The schema keeps them integers of 0 or more (0: evicted as soon as the node is tainted).
    defaultTolerationSeconds: {
      notReady: (apiServer['defaultNotReadyTolerationSeconds'] as number | undefined) ?? DEFAULT_TOLERATION_SECONDS,
      unreachable: (apiServer['defaultUnreachableTolerationSeconds'] as number | undefined) ?? DEFAULT_TOLERATION_SECONDS,
    },
  };
}

/** controlPlane.controllerManager with upstream's defaults for what it leaves out (the schema
 * checks the rates, 0 or more, the threshold, in (0, 1], and the size, an integer). */
function readNodeLifecycle(doc: YamlDoc, cm: Obj, warnings: string[]): NodeLifecycleOptions {
  const d = NODE_LIFECYCLE_DEFAULTS;
  const at: Path = ['controlPlane', 'controllerManager', 'nodeMonitorGracePeriod'];
  const raw = cm['nodeMonitorGracePeriod'] as string | undefined;
  const gracePeriodUs = raw === undefined ? d.gracePeriodUs : located(doc, at, () => parseDuration(raw));
  if (gracePeriodUs <= 0) throw doc.error(at, 'a positive duration', JSON.stringify(raw));
  // Upstream's flag help: the grace period must be several times the kubelet's renewal interval
  // (the lease, every 10 s), or a healthy node goes NotReady between two renewals.
  if (gracePeriodUs <= LEASE_RENEW_INTERVAL_US) {
    warnings.push(`controlPlane.controllerManager.nodeMonitorGracePeriod ${raw} is not longer than the kubelet's lease renewal interval (${formatDuration(LEASE_RENEW_INTERVAL_US)}): healthy nodes will be marked NotReady between renewals`);
  }
  return {
    monitorPeriodUs: d.monitorPeriodUs,
    gracePeriodUs,
    evictionRate: (cm['nodeEvictionRate'] as number | undefined) ?? d.evictionRate,
    secondaryEvictionRate: (cm['secondaryNodeEvictionRate'] as number | undefined) ?? d.secondaryEvictionRate,
    largeClusterThreshold: (cm['largeClusterSizeThreshold'] as number | undefined) ?? d.largeClusterThreshold,
    unhealthyZoneThreshold: (cm['unhealthyZoneThreshold'] as number | undefined) ?? d.unhealthyZoneThreshold,
  };
}

function readScheduler(doc: YamlDoc, sched: Obj, baseDir: string, file: string, warnings: string[]): SchedulerConfig {
  if (sched['config'] !== undefined && sched['configFile'] !== undefined) {
    throw doc.error(['scheduler', 'configFile'], 'either config or configFile, not both');
  }
  if (sched['config'] !== undefined) return readSchedulerConfiguration(doc, ['scheduler', 'config'], sched['config'], warnings);
  for (const f of ['configDocument', 'configKey']) {
    if (sched[f] !== undefined && sched['configFile'] === undefined) throw doc.error(['scheduler', f], `${f} only with configFile`);
  }
  if (sched['configFile'] !== undefined) {
    const rel = sched['configFile'] as string;
    const opts = {
      ...(sched['configDocument'] !== undefined ? { document: sched['configDocument'] as number } : {}),
      ...(sched['configKey'] !== undefined ? { key: sched['configKey'] as string } : {}),
    };
    try {
      return readSchedulerConfigFile(resolve(baseDir, rel), displayPath(file, baseDir, rel), opts, warnings);
    } catch (e) {
      if (e instanceof InputError && e.line === 0 && e.expected === 'a readable file') {
        throw doc.error(['scheduler', 'configFile'], 'a readable file (paths are relative to the scenario)', `${JSON.stringify(rel)}: ${e.got ?? ''}`);
      }
      throw e;
    }
  }
  return defaultSchedulerConfig();
}

/** How to name a file the scenario refers to in messages: next to the scenario as the user named it. */
function displayPath(scenarioFile: string, baseDir: string, rel: string): string {
  if (isAbsolute(rel)) return rel;
  return resolve(dirname(scenarioFile)) === baseDir ? join(dirname(scenarioFile), rel) : rel;
}

/** The scenario's faults, then cluster.trace's machine faults (numbered after them). */
function withTraceFaults(faults: FaultSpec[], fromTrace: readonly FaultSpec[]): FaultSpec[] {
  return [...faults, ...fromTrace.map((f, i) => ({ ...f, id: `f${faults.length + i + 1}` }))];
}

/** Reads a file named by `fieldPath`, reporting a missing file at that field. */
function readReferencedFile(doc: YamlDoc, fieldPath: Path, rel: string, baseDir: string, scenarioFile: string): YamlDoc[] {
  try {
    return readYamlFile(resolve(baseDir, rel), displayPath(scenarioFile, baseDir, rel));
  } catch (e) {
    if (e instanceof InputError && e.line === 0 && e.expected === 'a readable file') {
      throw doc.error(fieldPath, 'a readable file (paths are relative to the scenario)', `${JSON.stringify(rel)}: ${e.got ?? ''}`);
    }
    throw e;
  }
}

function readCluster(doc: YamlDoc, cluster: Obj, baseDir: string, file: string, warnings: string[], traceFaults: FaultSpec[], snapshot: SnapshotStart): ScenarioNode[] {
  const out: ScenarioNode[] = [];
  // Where each node name was first seen, described only when a duplicate needs it (finding a
  // line in a large JSON snapshot parses its item again).
  const seen = new Map<string, { d: YamlDoc; path: Path }>();
  const where = ({ d, path }: { d: YamlDoc; path: Path }) => (d === doc ? formatPath(path) : `${d.file}:${d.position(path).line}${path.length > 0 ? ` (${formatPath(path)})` : ''}`);
  const add = (n: ScenarioNode, d: YamlDoc, path: Path) => {
    const name = n.node.metadata?.name as string;
    const first = seen.get(name);
    if (first !== undefined) {
      const prev = where(first);
      // An explicit node is reported at its name; a pool (whose nodes are <pool>-<i>) at the pool.
      if (n.pool === '') throw d.error([...path, 'metadata', 'name'], `a node name not used before (${name} is also ${prev})`, JSON.stringify(name));
      throw d.error([...path], `a node name not used before (${name} is also ${prev})`);
    }
    seen.set(name, { d, path });
    out.push(n);
  };
  ((cluster['nodePools'] ?? []) as Obj[]).forEach((pool, i) => {
    const path = ['cluster', 'nodePools', i];
    for (const n of expandPool(doc, path, pool)) add(n, doc, path);
  });
  ((cluster['nodes'] ?? []) as unknown[]).forEach((n, i) => {
    const path = ['cluster', 'nodes', i];
    add({ node: readNode(doc, path, n, warnings), pool: '' }, doc, path);
  });
  if (cluster['file'] !== undefined) {
    // A cluster snapshot: a file, a directory, or a list of them (src/workload/start-snapshot.ts).
    const entries = Array.isArray(cluster['file']) ? (cluster['file'] as string[]).map((f, i) => ({ rel: f, path: ['cluster', 'file', i] as Path })) : [{ rel: cluster['file'] as string, path: ['cluster', 'file'] as Path }];
    for (const e of entries) {
      let files: string[];
      try {
        files = objectFilesOf(resolve(baseDir, e.rel), e.rel).map((f) => f.path);
      } catch (err) {
        // The scenario's field is where the fix goes: name it, with what was wrong with the path.
        if (!(err instanceof InputError)) throw err;
        const dir = err.expected.startsWith('a directory');
        throw doc.error(e.path, dir ? err.expected : 'a readable file or directory (paths are relative to the scenario)', `${JSON.stringify(e.rel)}: ${err.got ?? ''}`);
      }
      for (const f of files) {
        const rel = f === resolve(baseDir, e.rel) ? e.rel : join(e.rel, basename(f));
        const docs = readReferencedFile(doc, e.path, rel, baseDir, file);
        const display = displayPath(file, baseDir, rel);
        readSnapshotDocs(docs, display, snapshot, warnings, (n, d, path) => add({ node: n, pool: '' }, d, path));
      }
    }
    if (out.length === 0 && cluster['trace'] === undefined) {
      // A dump without its nodes (`kubectl get pods -A -o json`) and no other: say so of the
      // files named.
      throw doc.error(['cluster', 'file'], NO_NODE_EXPECTED, noNodeFound(entries.map((e) => e.rel), snapshot));
    }
    dropPodsOnMissingNodes(snapshot, warnings);
  }
  if (cluster['trace'] !== undefined) {
    const t = readTraceCluster(doc, cluster['trace'] as Obj, baseDir, file);
    t.nodes.forEach((n, i) => {
      const pool = n.node.metadata?.labels?.[POOL_LABEL] ?? '';
      add(n.joinAtS > 0 ? { node: n.node, pool, joinAtUs: Math.round(n.joinAtS * 1e6) } : { node: n.node, pool }, doc, ['cluster', 'trace', `node ${i + 1}`]);
    });
    for (const f of t.faults) traceFaults.push({ ...f, id: '' });
    for (const w of t.warnings ?? []) warnings.push(`cluster.trace: ${w}`);
  }
  if (out.length === 0) throw doc.error(['cluster'], 'at least one node (nodePools, nodes or file)');
  return out;
}

/** The labels a v1.36 kubelet puts on the Node it registers (pkg/kubelet/kubelet_node_status.go
 * initialNode: the hostname, kubernetes.io/os and /arch from the Go runtime, and the beta.
 * labels it still sets beside them), for a linux/amd64 machine. A pool's own labels override
 * them, as --node-labels do; the beta labels follow a pool's stable os/arch. */
export function kubeletLabels(poolLabels: Readonly<Record<string, string>>): Record<string, string> {
  const os = poolLabels[OS_LABEL] ?? 'linux';
  const arch = poolLabels[ARCH_LABEL] ?? 'amd64';
  return { [BETA_ARCH_LABEL]: arch, [BETA_OS_LABEL]: os, [ARCH_LABEL]: arch, [OS_LABEL]: os };
}

export const OS_LABEL = 'kubernetes.io/os';
export const ARCH_LABEL = 'kubernetes.io/arch';
const BETA_OS_LABEL = 'beta.kubernetes.io/os';
const BETA_ARCH_LABEL = 'beta.kubernetes.io/arch';

function expandPool(doc: YamlDoc, path: Path, pool: Obj): ScenarioNode[] {
  const name = pool['name'] as string;
  const joinAtUs = located(doc, [...path, 'joinAt'], () => parseDuration((pool['joinAt'] as string | undefined) ?? '0s'));
  const alloc = { ...(pool['allocatable'] as Record<string, string | number>) };
  // Validate every quantity once, with its position.
  for (const [r, q] of Object.entries(alloc)) {
    const v = located(doc, [...path, 'allocatable', r], () => (r === CPU ? parseMilli(q) : parseInteger(q)));
    if (v < 0) throw doc.error([...path, 'allocatable', r], 'a non-negative quantity', JSON.stringify(q));
  }
  alloc[PODS] ??= String(DEFAULT_MAX_PODS);
  const zones = (pool['zones'] ?? []) as string[];
  const labels = (pool['labels'] ?? {}) as Record<string, string>;
  const taints = (pool['taints'] ?? []) as NonNullable<Node['spec']>['taints'];
  const images = (pool['images'] ?? []) as string[];
  const count = pool['count'] as number;
  const cost = pool['costPerHour'] as number | undefined;
  const out: ScenarioNode[] = [];
  for (let i = 0; i < count; i++) {
    const nodeName = `${name}-${i}`;
    const nodeLabels = merged<Record<string, string>>(kubeletLabels(labels), labels, { [HOSTNAME_LABEL]: nodeName, [POOL_LABEL]: name });
    if (zones.length > 0) nodeLabels[ZONE_LABEL] = zones[i % zones.length] as string;
    const node: Node = {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: nodeName, labels: nodeLabels },
      spec: { ...(taints !== undefined && taints.length > 0 ? { taints: structuredClone(taints) } : {}), ...(pool['unschedulable'] === true ? { unschedulable: true } : {}) },
      status: { allocatable: { ...alloc } as Record<string, string>, capacity: { ...alloc } as Record<string, string>, images: images.map((img) => ({ names: [img] })) },
    };
    out.push({ node, pool: name, ...(joinAtUs > 0 ? { joinAtUs } : {}), ...(cost !== undefined ? { costPerHour: cost } : {}) });
  }
  return out;
}

interface LocatedValue {
  readonly doc: YamlDoc;
  readonly path: Path;
  readonly value: unknown;
}

/** Reads a file or directory of manifests (multi-document YAML/JSON; Lists expanded). */
function readManifestFile(doc: YamlDoc, fieldPath: Path, rel: string, baseDir: string, scenarioFile: string, warnings: string[], recursive = false): LocatedValue[] {
  try {
    return readObjectPaths(resolve(baseDir, rel), displayPath(scenarioFile, baseDir, rel), {
      recursive,
      warnings,
      emptyFile: 'at least one Kubernetes object',
      notAnObject: 'a Kubernetes object (a mapping with apiVersion and kind)',
    });
  } catch (e) {
    if (e instanceof InputError && e.line === 0 && e.expected === 'a readable file or directory' && e.file === displayPath(scenarioFile, baseDir, rel)) {
      throw doc.error(fieldPath, 'a readable file or directory (paths are relative to the scenario)', `${JSON.stringify(rel)}: ${e.got ?? ''}`);
    }
    throw e;
  }
}

/** The manifests of an entry's `manifest` / `manifests` (found at `paths`), an inline
 * `kind: List` expanded as the same List in a file would be. */
function inlineManifests(doc: YamlDoc, located_: readonly LocatedValue[], warnings: string[]): LocatedValue[] {
  const out: LocatedValue[] = [];
  for (const l of located_) {
    const kind = isObject(l.value) ? l.value['kind'] : undefined;
    if (typeof kind === 'string' && isListKind(kind)) {
      const items: ObjectItem[] = [];
      expandDocument(doc, l.value, { warnings }, items, l.path);
      out.push(...items);
    } else {
      out.push(l);
    }
  }
  return out;
}

function readWorkload(doc: YamlDoc, entries: Obj[], baseDir: string, file: string, warnings: string[], snapshotObjects: readonly WorkloadObject[]): WorkloadEntry[] {
  /** The snapshot's objects by kind/namespace/name: a workload Job may not reuse a Job's name;
   * an update of another may change only what upstream lets it (changedImmutableField). */
  const startObjects = new Map(snapshotObjects.map((o) => [`${o.kind}/${o.metadata.namespace}/${o.metadata.name}`, o]));
  const startClasses = snapshotObjects.filter((o) => o.kind === 'PriorityClass');
  const names = new Set<string>();
  /** The PriorityClasses of `at` entries, where they are: checkPriorityClasses reads them in time order. */
  const classes: PriorityClassArrival[] = [];
  /** The one warning about volumes, at the first manifest that mounts a claim. */
  let pvcUser: string | null = null;
  /** Objects created once (`at` entries): which entry, when, and (Deployments) the manifest. */
  // Per object, besides the latest entry, the pod templates its entries brought, in order: an
  // update back to an earlier template takes the name of the entry that brought it first
  // (keepWorkloadOfEarlierTemplate).
  const objectNames = new Map<string, { entry: string; atUs: number; manifest: WorkloadManifest; templates: EarlierTemplate[] }>();
  /** Equal spec parts of the entries' Pods, held once (a PodList of many pods repeats them). */
  const shared = new SharedSpecParts();
  const out = entries.map((e, i) => {
    const path: Path = ['workload', i];
    const name = e['name'] as string;
    if (names.has(name)) throw doc.error([...path, 'name'], 'a workload name not used by an earlier entry', JSON.stringify(name));
    names.add(name);
    if (e['trace'] !== undefined) return { name, manifests: [], arrival: { kind: 'at' as const, atUs: 0 }, runDuration: null, trace: readTraceWorkload(doc, path, e, baseDir, file) };
    const sources = ['manifest', 'manifests', 'file'].filter((k) => e[k] !== undefined);
    if (sources.length !== 1) {
      throw doc.error(path, 'exactly one of manifest, manifests or file', sources.length === 0 ? 'none' : sources.join(' and '));
    }
    if (e['at'] !== undefined && e['rate'] !== undefined) throw doc.error([...path, 'rate'], 'either at or rate, not both');
    if (e['recursive'] !== undefined && e['file'] === undefined) throw doc.error([...path, 'recursive'], 'recursive only with file (a directory)');
    let located_: LocatedValue[];
    if (e['manifest'] !== undefined) located_ = inlineManifests(doc, [{ doc, path: [...path, 'manifest'], value: e['manifest'] }], warnings);
    else if (e['manifests'] !== undefined) located_ = inlineManifests(doc, (e['manifests'] as unknown[]).map((m, j) => ({ doc, path: [...path, 'manifests', j], value: m })), warnings);
    else located_ = readManifestFile(doc, [...path, 'file'], e['file'] as string, baseDir, file, warnings, e['recursive'] === true);
    if (located_.length === 0) {
      throw e['manifests'] !== undefined ? doc.error([...path, 'manifests'], 'at least one manifest', 'an empty list') : e['file'] !== undefined ? doc.error([...path, 'file'], 'a file with at least one manifest', 'an empty List') : doc.error([...path, 'manifest'], 'a List with at least one manifest', 'an empty List');
    }
    located_ = withoutSkippedKinds(located_, warnings, e['file'] !== undefined ? null : { doc, path: [...path, e['manifests'] !== undefined ? 'manifests' : 'manifest'] }, typeof e['file'] === 'string' ? displayPath(file, baseDir, e['file']) : undefined);
    if (located_.length === 0) {
      throw doc.error([...path, e['file'] !== undefined ? 'file' : e['manifests'] !== undefined ? 'manifests' : 'manifest'], 'at least one object ksim simulates (Pods, workloads, Services, PriorityClasses, PDBs, Namespaces, ResourceQuotas, LimitRanges, RuntimeClasses, HorizontalPodAutoscalers)', 'only kinds that are not simulated');
    }
    const arrival = readArrival(doc, path, e);
    const manifests = located_.map((l) => {
      const m = readManifest(l.doc, l.path, l.value, { warnings, shared });
      if (pvcUser === null) {
        const claim = firstClaimOf(m);
        if (claim !== null) pvcUser = l.doc.warning([...l.path, ...claim], CLAIM_NOT_SIMULATED);
      }
      const annotations = (m.metadata!.annotations ??= {});
      annotations['ksim.io/workload'] = name;
      const template = podTemplateOf(m);
      if (template !== undefined) {
        // The pod template carries the entry's name to the pods.
        const tmd = (template.metadata ??= {});
        (tmd.annotations ??= {})['ksim.io/workload'] = name;
      }
      if (arrival.kind === 'at' && m.kind === 'PriorityClass') classes.push({ doc: l.doc, path: l.path, entry: name, atUs: arrival.atUs, object: m as unknown as PriorityClassFields });
      if (arrival.kind === 'at') {
        // Upstream refuses an update of a Job's pod template (immutable) and a create of a name
        // in use (AlreadyExists): a snapshot's Job is neither updated nor replaced.
        const key = `${m.kind}/${m.metadata!.namespace}/${m.metadata!.name}`;
        if (m.kind === 'Job' && startObjects.has(key)) {
          throw l.doc.error([...l.path, 'metadata', 'name'], `a name not used by a Job of the cluster snapshot (a Job's spec is immutable; the snapshot has Job ${m.metadata!.namespace}/${m.metadata!.name})`, JSON.stringify(m.metadata!.name));
        }
        const prev = objectNames.get(key);
        const start = prev === undefined ? startObjects.get(key) : undefined;
        if (start !== undefined) {
          // An update of the snapshot's object: upstream refuses a change of an immutable field.
          const changed = changedImmutableField(m.kind, start.spec, (m as { spec?: unknown }).spec);
          if (changed !== null) throw l.doc.error([...l.path, 'spec', changed.field], `the same ${changed.field} as the cluster snapshot's ${m.kind} ${m.metadata!.namespace}/${m.metadata!.name} (${changed.why})`);
        }
        if (prev !== undefined) {
          // An object arriving later than the one of the same name updates it, as kubectl apply
          // does (a Deployment rolled out or scaled, a StatefulSet scaled, a CronJob's template,
          // a Job suspended or resumed); the same name at the same time, or a Pod's (upstream:
          // its spec is immutable), is an error.
          const immutable = m.kind === 'Pod';
          // A Namespace two charts both bring (their manifests each start with it) is applied
          // twice, which kubectl apply allows: nothing of it is simulated but its name.
          if (m.kind === 'Namespace') {
            objectNames.set(key, { ...prev, entry: name, atUs: Math.max(prev.atUs, arrival.atUs), manifest: m });
            return m;
          }
          if (immutable || prev.atUs >= arrival.atUs) {
            throw l.doc.error([...l.path, 'metadata', 'name'], `a name not already used by workload entry ${JSON.stringify(prev.entry)}${immutable ? '' : ` at the same time or later (a ${m.kind} of the same name arriving later updates it)`}`, JSON.stringify(m.metadata!.name));
          }
          // Every kind with a pod template: an update that leaves the template as it was (a
          // scaling), or brings back one an earlier entry brought (a rollback), keeps that
          // entry's name on it, so its pods stay that entry's.
          if (template !== undefined) keepWorkloadOfEarlierTemplate(template, prev.templates);
          // Upstream refuses an update of an immutable field (a Job's template, a StatefulSet's
          // podManagementPolicy, a Deployment's selector, ...: immutable-fields.ts).
          const changed = changedImmutableField(m.kind, (prev.manifest as { spec?: unknown }).spec, (m as { spec?: unknown }).spec);
          if (changed !== null) throw l.doc.error([...l.path, 'spec', changed.field], `the same ${changed.field} as workload entry ${JSON.stringify(prev.entry)} (${changed.why})`);
        }
        const templates = prev?.templates ?? [];
        if (template !== undefined) templates.push({ template });
        objectNames.set(key, { entry: name, atUs: arrival.atUs, manifest: m, templates });
      }
      return m;
    });
    const rd = e['runDuration'];
    const runDuration = rd === undefined || rd === 'forever' ? null : located(doc, [...path, 'runDuration'], () => parseDurationDistribution(rd));
    const failure = readFailure(doc, path, e['failure'], runDuration !== null);
    return failure === undefined ? { name, manifests, arrival, runDuration } : { name, manifests, arrival, runDuration, failure };
  });
  if (pvcUser !== null) warnings.push(pvcUser);
  checkPriorityClasses(classes, startClasses);
  return out;
}

interface PriorityClassFields {
  readonly metadata: { readonly name: string };
  readonly value: number;
  readonly globalDefault?: boolean;
  readonly preemptionPolicy?: string;
}

interface PriorityClassArrival {
  readonly doc: YamlDoc;
  readonly path: Path;
  readonly entry: string;
  readonly atUs: number;
  readonly object: PriorityClassFields;
}

/**
 * What the API server would refuse of the scenario's PriorityClasses, in the order they arrive
 * (ties in file order), after the cluster snapshot's: an update (the same name again) that
 * changes `value` or `preemptionPolicy` (upstream pkg/apis/scheduling/validation
 * ValidatePriorityClassUpdate: "may not be changed in an update", "field is immutable"), and a
 * class made globalDefault while another is (upstream plugin/pkg/admission/priority
 * validatePriorityClass: "PriorityClass d1 is already marked as default. Only one default can
 * exist"). A snapshot may hold two defaults (upstream admits that race; the lowest value wins).
 * Classes a rate entry makes are checked by the API server at run time.
 */
function checkPriorityClasses(arrivals: readonly PriorityClassArrival[], startClasses: readonly WorkloadObject[]): void {
  const current = new Map<string, { readonly object: PriorityClassFields; readonly from: string }>();
  for (const o of startClasses) current.set(o.metadata.name, { object: o as unknown as PriorityClassFields, from: 'the cluster snapshot' });
  const ordered = arrivals.map((a, i) => ({ a, i })).sort((x, y) => x.a.atUs - y.a.atUs || x.i - y.i);
  for (const { a } of ordered) {
    const name = a.object.metadata.name;
    const old = current.get(name);
    if (old !== undefined) {
      if (a.object.value !== old.object.value) {
        throw a.doc.error([...a.path, 'value'], `${old.object.value}, the value PriorityClass ${name} has from ${old.from} (a PriorityClass's value may not be changed in an update, as upstream's API server refuses it; give the new value a new class)`, String(a.object.value));
      }
      const policy = a.object.preemptionPolicy ?? PREEMPT_LOWER_PRIORITY;
      const oldPolicy = old.object.preemptionPolicy ?? PREEMPT_LOWER_PRIORITY;
      if (policy !== oldPolicy) {
        throw a.doc.error([...a.path, 'preemptionPolicy'], `${oldPolicy}, the preemptionPolicy PriorityClass ${name} has from ${old.from} (immutable, as upstream's API server keeps it)`, policy);
      }
    }
    if (a.object.globalDefault === true) {
      for (const [other, c] of current) {
        if (other !== name && c.object.globalDefault === true) {
          throw a.doc.error([...a.path, 'globalDefault'], `false or absent: PriorityClass ${other} (from ${c.from}) is already marked as default, and only one default can exist (upstream's Priority admission refuses a second one)`, 'true');
        }
      }
    }
    current.set(name, { object: a.object, from: `workload entry ${JSON.stringify(a.entry)}` });
  }
}

/** The values of kinds ksim simulates; the others are counted into one warning per file (or,
 * for inline manifests, one at `inline`) and dropped. */
function withoutSkippedKinds(values: readonly LocatedValue[], warnings: string[], inline: { doc: YamlDoc; path: Path } | null, entryFile?: string): LocatedValue[] {
  const out: LocatedValue[] = [];
  const tallies = new Map<string, SkipTally>();
  for (const l of values) {
    const v = l.value;
    const kind = isObject(v) ? v['kind'] : undefined;
    if (!isObject(v) || typeof kind !== 'string' || isSimulatedKind(kind) || !isSkippedKind(v['apiVersion'], kind)) {
      out.push(l);
      continue;
    }
    let t = tallies.get(l.doc.file);
    if (t === undefined) tallies.set(l.doc.file, (t = new SkipTally()));
    t.add(kind, isCustomResource(v['apiVersion']));
  }
  if (tallies.size > 1 && inline === null && entryFile !== undefined) {
    // A directory of manifests (kube-prometheus: 70 files, most of them RBAC and custom
    // resources): one warning for the entry, not one per file.
    const all = new SkipTally();
    for (const t of tallies.values()) all.addAll(t);
    warnings.push(`${entryFile}: ${all.message(tallies.size) as string}`);
    return out;
  }
  for (const [file, tally] of tallies) {
    const msg = tally.message() as string;
    warnings.push(inline !== null ? inline.doc.warning(inline.path, msg) : `${file}: ${msg}`);
  }
  return out;
}


/** Whether a DaemonSet's node selector and required node affinity take a node (its name and
 * labels). */
export function daemonSetNodeMatcher(m: WorkloadManifest): (node: { readonly name: string; readonly labels: Readonly<Record<string, string>> }) => boolean {
  const spec = (m as unknown as { spec: { template: { spec?: Pod['spec'] } } }).spec.template.spec;
  const selector = compileNodeSelectorMap(spec?.nodeSelector ?? {});
  const required = spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  const affinity = required === undefined || required === null ? null : compileNodeSelector(required, '', { invalidTerms: 'matchNothing' });
  return (v) => selector.matches(v.labels) && (affinity === null || affinity.matches(v));
}

/** The run's warning about a DaemonSet no node matched during the run (DaemonSetsAwaiting). */
export function daemonSetWithoutNodesWarning(d: DaemonSetAwaitingNodes): string {
  return `workload entry ${JSON.stringify(d.entry)}: DaemonSet ${d.namespace}/${d.name} matched no node during the run (nodeSelector or required node affinity; neither the node pools' nodes nor those the ksim-events traces applied): it made no pods`;
}

/** A warning for each DaemonSet whose node selector and required node affinity match none of
 * the scenario's nodes (those joining later included): it would make no pods, silently. With a
 * ksim-events trace, which may apply Nodes (or change their labels) as the run goes, those are
 * not warned about here but returned in `awaiting`: the run warns at its end about those no node
 * matched by then. */
function daemonSetsWithoutNodes(entries: readonly WorkloadEntry[], nodes: readonly ScenarioNode[]): { warnings: string[]; awaiting: DaemonSetAwaitingNodes[] } {
  const warnings: string[] = [];
  const awaiting: DaemonSetAwaitingNodes[] = [];
  const nodeEvents = entries.some((e) => e.trace?.format === 'ksim-events');
  const views = nodes.map((n) => ({ name: n.node.metadata?.name as string, labels: n.node.metadata?.labels ?? {} }));
  for (const e of entries) {
    for (const m of e.manifests) {
      if (m.kind !== 'DaemonSet') continue;
      const matches = daemonSetNodeMatcher(m);
      if (views.some(matches)) continue;
      const d = { entry: e.name, namespace: m.metadata!.namespace as string, name: m.metadata!.name as string };
      if (nodeEvents) awaiting.push(d);
      else warnings.push(`workload entry ${JSON.stringify(e.name)}: DaemonSet ${d.namespace}/${d.name} matches no node (nodeSelector or required node affinity): it makes no pods`);
    }
  }
  return { warnings, awaiting };
}

/** A workload Deployment that updates one of the cluster snapshot with the same pod template
 * (a scaling) leaves the template as the snapshot has it, without the ksim.io/workload
 * annotation, so that it scales the existing ReplicaSet instead of rolling out a new one. */
function keepSnapshotTemplates(workload: readonly WorkloadEntry[], snapshotObjects: readonly WorkloadObject[]): void {
  const deployments = new Map(snapshotObjects.filter((o) => o.kind === 'Deployment').map((o) => [`${o.metadata.namespace}/${o.metadata.name}`, o.spec as Deployment['spec']]));
  if (deployments.size === 0) return;
  for (const e of workload) {
    for (const m of e.manifests) {
      const prev = m.kind === 'Deployment' ? deployments.get(`${m.metadata?.namespace}/${m.metadata?.name}`) : undefined;
      if (prev === undefined) continue;
      const nt = (m as Deployment).spec!.template;
      const annotations = { ...nt.metadata?.annotations };
      delete annotations['ksim.io/workload'];
      const { annotations: _a, ...md } = nt.metadata ?? {};
      const candidate = { ...nt, metadata: Object.keys(annotations).length > 0 ? { ...md, annotations } : md };
      if (equalIgnoreHash(candidate, prev!.template)) nt.metadata = candidate.metadata;
    }
  }
}

interface EarlierTemplate {
  readonly template: PodTemplateSpec;
  /** Its templateKey, once an update needed it (an object applied once costs nothing). */
  key?: string;
}

/** An update whose pod template differs from one an earlier entry of the object brought only by
 * the ksim.io/workload annotation takes the name of the entry that brought that template first:
 * changing replicas does not start a rollout, re-applying an earlier template (a rollback) is the
 * template of the ReplicaSet the Deployment controller scales back up (upstream
 * deploymentutil.FindNewReplicaSet, EqualIgnoreHash), and the pods keep the run duration of the
 * entry that defined the template. Compared as the API server stores them (comparableTemplate),
 * as the controllers compare them: one entry writing the defaults out and the next leaving them
 * is the same template. `earlier` is in the entries' order. */
function keepWorkloadOfEarlierTemplate(nt: PodTemplateSpec, earlier: EarlierTemplate[]): void {
  const key = templateKey(nt, WITHOUT_WORKLOAD);
  for (const e of earlier) {
    if ((e.key ??= templateKey(e.template, WITHOUT_WORKLOAD)) !== key) continue;
    const first = e.template.metadata?.annotations?.['ksim.io/workload'];
    if (first !== undefined) nt.metadata!.annotations!['ksim.io/workload'] = first;
    return;
  }
}

/** Templates compared as the controllers compare them, without ksim's own ksim.io/workload. */
const WITHOUT_WORKLOAD = { annotations: ['ksim.io/workload'] };

/** The pod template of a workload kind (a CronJob's is in its jobTemplate), or undefined. */
function podTemplateOf(m: WorkloadManifest): PodTemplateSpec | undefined {
  if (m.kind === 'CronJob') return (m as { spec: { jobTemplate: { spec: { template: PodTemplateSpec } } } }).spec.jobTemplate.spec.template;
  if (m.kind === 'Deployment' || m.kind === 'ReplicaSet' || m.kind === 'DaemonSet' || m.kind === 'Job' || m.kind === 'StatefulSet') return (m as Deployment).spec!.template;
  return undefined;
}

/** `failure: { probability: P }`, 0 ≤ P ≤ 1 (the schema checks the shape; this the meaning). */
function readFailure(doc: YamlDoc, path: Path, v: unknown, hasRunDuration: boolean): { probability: number } | undefined {
  if (v === undefined) return undefined;
  const probability = (v as Obj)['probability'];
  if (typeof probability !== 'number' || !Number.isFinite(probability) || probability < 0 || probability > 1) {
    throw doc.error([...path, 'failure', 'probability'], 'a probability between 0 and 1', JSON.stringify(probability));
  }
  if (!hasRunDuration) {
    throw doc.error([...path, 'failure'], 'a runDuration on the entry (a container can only fail when its run ends; with runDuration forever it never does)');
  }
  return { probability };
}

function readArrival(doc: YamlDoc, path: Path, e: Obj): Arrival {
  const rate = e['rate'] as Obj | undefined;
  if (rate === undefined) {
    return { kind: 'at', atUs: located(doc, [...path, 'at'], () => parseDuration((e['at'] as string | undefined) ?? '0s')) };
  }
  return {
    kind: 'rate',
    perMinute: rate['perMinute'] as number,
    count: (rate['count'] as number | undefined) ?? null,
    startUs: located(doc, [...path, 'rate', 'start'], () => parseDuration((rate['start'] as string | undefined) ?? '0s')),
    process: (rate['process'] as 'poisson' | 'fixed' | undefined) ?? 'poisson',
  };
}

