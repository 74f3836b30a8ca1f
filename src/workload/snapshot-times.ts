// What a cluster snapshot says of time: when each pod was created, started and became Ready and
// how often its containers restarted (controllers order pods by these: a ReplicaSet scaling down
// deletes the newest first, a DaemonSet keeps its oldest pod, preemption spares the pods that
// started first), its Jobs' counts and finish conditions, and the snapshot's own time. Also the
// preemption a dump can catch half-way: a pending pod's status.nominatedNodeName and a victim's
// DisruptionTarget condition (the scheduler reads both, src/scheduler/scheduler.ts), and a pod
// Running but not Ready (src/cluster/pod-info.ts isPodReady).
//
// A dump has no field for the moment it was taken; the latest time it holds among the fields
// read here and its Nodes' condition heartbeats (kubelets post them every few seconds to
// minutes) is the closest it says. The run's t = 0 is that time (its wall clock: the Jobs'
// times and the CronJobs' schedules read it), so a pod created an hour before was created at
// t = -3600 s.
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import type { Path, YamlDoc } from '../api/yaml-source.js';
import { describeValue as describe, isObject as isObj, merged } from '../api/values.js';
import type { PodPast } from '../cluster/pod-info.js';
import type { WorkloadObject } from '../cluster/workload-object.js';
import { parseRfc3339Us } from '../api/rfc3339.js';

type Obj = Record<string, unknown>;

/** What a snapshot's pod object says of its history: its times as the snapshot writes them
 * (RFC 3339 text, for `ksim import` to write back) and in µs since the epoch, its restarts, and
 * the preemption it takes part in. */
export interface PodHistory {
  readonly creationTimestamp?: Stamp;
  /** status.startTime: when the kubelet accepted the pod. */
  readonly startTime?: Stamp;
  /** lastTransitionTime of its Ready condition with status True. */
  readonly readySince?: Stamp;
  /** status.containerStatuses as [name, restartCount] pairs (upstream maxContainerRestarts
   * takes their maximum). */
  readonly restartCounts: readonly (readonly [string, number])[];
  /** status.nominatedNodeName of a pod not bound yet: the node a preemption cleared for it. */
  readonly nominatedNodeName?: string;
  /** Being deleted as a preemption victim: a deletionTimestamp and a DisruptionTarget condition
   * True with reason PreemptionByScheduler (upstream podTerminatingByPreemption,
   * pkg/scheduler/framework/plugins/defaultpreemption/default_preemption.go). */
  readonly preemptedByScheduler?: true;
  /** Running but not Ready (its Ready condition False or Unknown: a failing readiness probe, a
   * crash loop). */
  readonly notReady?: true;
  /** metadata.deletionTimestamp of a pod being deleted: when its grace period ends. */
  readonly deletionTimestamp?: Stamp;
}

export interface Stamp {
  readonly text: string;
  readonly us: number;
}

const EXPECTED_TIME = 'an RFC 3339 time such as 2024-05-01T12:00:00Z';

/** The time at `path` (absent: undefined); one that is not RFC 3339 is bad input. */
export function stampAt(doc: YamlDoc, path: Path, v: unknown): Stamp | undefined {
  if (v === undefined || v === null) return undefined;
  const us = typeof v === 'string' ? parseRfc3339Us(v) : null;
  if (us === null) throw doc.error(path, EXPECTED_TIME, describe(v));
  return { text: v as string, us };
}

/** The history of a pod object as the snapshot has it (before its status is dropped); null when
 * it holds none. A time that is not RFC 3339 is bad input, as is a nominatedNodeName that is not
 * a string. */
export function readPodHistory(doc: YamlDoc, path: Path, raw: Obj): PodHistory | null {
  const md = isObj(raw['metadata']) ? raw['metadata'] : {};
  const status = isObj(raw['status']) ? raw['status'] : {};
  const creationTimestamp = stampAt(doc, [...path, 'metadata', 'creationTimestamp'], md['creationTimestamp']);
  const startTime = stampAt(doc, [...path, 'status', 'startTime'], status['startTime']);
  let readySince: Stamp | undefined;
  let readyNotTrue = false;
  let disruptedByScheduler = false;
  const conditions = status['conditions'];
  if (Array.isArray(conditions)) {
    conditions.forEach((c: unknown, i) => {
      if (isObj(c) && c['type'] === 'Ready' && c['status'] === 'True') {
        readySince = stampAt(doc, [...path, 'status', 'conditions', i, 'lastTransitionTime'], c['lastTransitionTime']);
      }
      if (isObj(c) && c['type'] === 'Ready' && c['status'] !== 'True') readyNotTrue = true;
      if (isObj(c) && c['type'] === 'DisruptionTarget' && c['status'] === 'True' && c['reason'] === 'PreemptionByScheduler') disruptedByScheduler = true;
    });
  }
  const deleting = md['deletionTimestamp'] !== undefined && md['deletionTimestamp'] !== null;
  // Upstream's graceful delete sets it to the request's time plus the grace period (the time the
  // object "will be deleted", ObjectMeta; k8s.io/apiserver pkg/registry/rest/delete.go
  // BeforeDelete), not to the request's time. Not a time the snapshot was taken at or after, so
  // it is not among those snapshotNowUs reads.
  const deletionTimestamp = deleting ? stampAt(doc, [...path, 'metadata', 'deletionTimestamp'], md['deletionTimestamp']) : undefined;
  const preemptedByScheduler = deleting && disruptedByScheduler;
  // Only a pod not bound yet is waiting on a nomination (upstream's nominator skips bound pods).
  const spec = isObj(raw['spec']) ? raw['spec'] : {};
  const bound = typeof spec['nodeName'] === 'string' && spec['nodeName'] !== '';
  const nn = status['nominatedNodeName'];
  if (nn !== undefined && nn !== null && typeof nn !== 'string') throw doc.error([...path, 'status', 'nominatedNodeName'], 'a node name', describe(nn));
  const nominatedNodeName = !bound && typeof nn === 'string' && nn !== '' ? nn : undefined;
  // A bound pod still starting (phase Pending) is not Ready yet either; ksim starts it at t = 0.
  const notReady = bound && status['phase'] === 'Running' && readyNotTrue;
  const restartCounts: [string, number][] = [];
  const statuses = status['containerStatuses'];
  if (Array.isArray(statuses)) {
    statuses.forEach((c: unknown, i) => {
      if (!isObj(c)) return;
      const n = c['restartCount'];
      if (n === undefined || n === null) return;
      if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) throw doc.error([...path, 'status', 'containerStatuses', i, 'restartCount'], 'a whole number >= 0', describe(n));
      restartCounts.push([typeof c['name'] === 'string' ? c['name'] : '', n]);
    });
  }
  if (creationTimestamp === undefined && startTime === undefined && readySince === undefined && restartCounts.length === 0 && nominatedNodeName === undefined && !preemptedByScheduler && !notReady && deletionTimestamp === undefined) return null;
  return {
    ...(creationTimestamp === undefined ? {} : { creationTimestamp }),
    ...(startTime === undefined ? {} : { startTime }),
    ...(readySince === undefined ? {} : { readySince }),
    restartCounts,
    ...(nominatedNodeName === undefined ? {} : { nominatedNodeName }),
    ...(preemptedByScheduler ? { preemptedByScheduler: true as const } : {}),
    ...(notReady ? { notReady: true as const } : {}),
    ...(deletionTimestamp === undefined ? {} : { deletionTimestamp }),
  };
}

/** The latest heartbeat or transition time of a Node's conditions (µs since the epoch), or null.
 * The Node reader has checked the Node; a time here that does not parse is left out. */
export function latestNodeTimeUs(n: Node): number | null {
  let latest: number | null = null;
  for (const c of n.status?.conditions ?? []) {
    for (const t of [c.lastHeartbeatTime, c.lastTransitionTime]) {
      const us = typeof t === 'string' ? parseRfc3339Us(t) : null;
      if (us !== null && (latest === null || us > latest)) latest = us;
    }
  }
  return latest;
}

/** The snapshot's "now" (µs since the epoch): the latest of its pods' times, its Nodes'
 * condition times and `more` (its Jobs' status times); null when it holds no time at all. */
export function snapshotNowUs(pods: Iterable<PodHistory>, nodes: readonly Node[], more: Iterable<number> = []): number | null {
  let now: number | null = null;
  const see = (us: number | undefined | null) => {
    if (us !== undefined && us !== null && (now === null || us > now)) now = us;
  };
  for (const t of pods) {
    see(t.creationTimestamp?.us);
    see(t.startTime?.us);
    see(t.readySince?.us);
  }
  for (const n of nodes) see(latestNodeTimeUs(n));
  for (const us of more) see(us);
  return now;
}

/** A pod's past on the run's clock (t = 0 is the snapshot's `nowUs`; null: the snapshot holds
 * no time, so when its grace period ends is unknown). */
export function pastOf(t: PodHistory, nowUs: number | null): PodPast {
  const rel = (s: Stamp | undefined) => (s === undefined ? undefined : s.us - (nowUs ?? 0));
  let restarts = 0;
  for (const [, n] of t.restartCounts) if (n > restarts) restarts = n;
  const creationUs = rel(t.creationTimestamp);
  const startUs = rel(t.startTime);
  const readySinceUs = rel(t.readySince);
  const graceEndsUs = nowUs === null ? undefined : rel(t.deletionTimestamp);
  return {
    ...(creationUs === undefined ? {} : { creationUs }),
    ...(startUs === undefined ? {} : { startUs }),
    ...(readySinceUs === undefined ? {} : { readySinceUs }),
    restarts,
    ...(t.nominatedNodeName === undefined ? {} : { nominatedNodeName: t.nominatedNodeName }),
    ...(t.preemptedByScheduler === true ? { preemptedByScheduler: true as const } : {}),
    ...(t.notReady === true ? { notReady: true as const } : {}),
    ...(graceEndsUs === undefined ? {} : { graceEndsUs }),
  };
}

/** A snapshot's own time (its "now", µs since the Unix epoch; null when it holds no time) and
 * its pods' pasts against it. The now is the latest time of the pods it keeps (`pods`), its
 * nodes and its Jobs, which is what `ksim import` writes, so an imported snapshot has the same.
 * The run's t = 0 is that time: its Jobs' status times and its CronJobs' schedules read the wall
 * clock as the cluster did. */
export function snapshotTime(
  pods: readonly Pod[],
  times: ReadonlyMap<Pod, PodHistory>,
  nodes: readonly Node[],
  objects: readonly WorkloadObject[],
): { nowUs: number | null; pasts: Map<Pod, PodPast> } {
  const pasts = new Map<Pod, PodPast>();
  const kept: [Pod, PodHistory][] = [];
  for (const p of pods) {
    const t = times.get(p);
    if (t !== undefined) kept.push([p, t]);
  }
  const jobTimes = objects.flatMap((o) => (o.kind === 'Job' && isObj(o['status']) ? jobStatusTimesUs(o['status']) : []));
  const nowUs = snapshotNowUs(kept.map(([, t]) => t), nodes, jobTimes);
  // Without a now the snapshot holds no time at all; its restarts, nominations and readiness
  // still count.
  for (const [pod, t] of kept) pasts.set(pod, pastOf(t, nowUs));
  return { nowUs, pasts };
}

/** The pod object with its history written back as the snapshot had it (for `ksim import`):
 * metadata.creationTimestamp, and a status of only status.startTime, the Ready condition, the
 * containers' restart counts, status.nominatedNodeName and a preemption's DisruptionTarget; a
 * pod Running but not Ready keeps its phase and a Ready condition False. */
export function withHistory(pod: Pod, t: PodHistory | undefined): Pod {
  if (t === undefined) return pod;
  const status: Obj = {};
  if (t.startTime !== undefined) status['startTime'] = t.startTime.text;
  const conditions: Obj[] = [];
  if (t.notReady === true) {
    status['phase'] = 'Running';
    conditions.push({ type: 'Ready', status: 'False' });
  }
  if (t.readySince !== undefined) conditions.push({ type: 'Ready', status: 'True', lastTransitionTime: t.readySince.text });
  if (t.preemptedByScheduler === true) conditions.push({ type: 'DisruptionTarget', status: 'True', reason: 'PreemptionByScheduler' });
  if (conditions.length > 0) status['conditions'] = conditions;
  if (t.restartCounts.length > 0) status['containerStatuses'] = t.restartCounts.map(([name, restartCount]) => ({ name, restartCount }));
  if (t.nominatedNodeName !== undefined) status['nominatedNodeName'] = t.nominatedNodeName;
  // merged, not spreads: the pod is stored and read for the whole run (see merged).
  const metadata = t.creationTimestamp === undefined ? pod.metadata : merged(pod.metadata, { creationTimestamp: t.creationTimestamp.text });
  return merged<Pod>(pod, metadata === undefined ? undefined : { metadata }, Object.keys(status).length > 0 ? { status } : undefined);
}

/** A snapshot Job's status as the Job, CronJob and TTL-after-finished controllers read it: its
 * counts (the pods it counted are finished and not in the snapshot, so the counts carry them;
 * uncountedTerminatedPods are added in), its finish condition and its times. Without it a
 * finished Job would run again and a half-done one start from nothing. Null when the Job has no
 * status. Times keep the snapshot's text: the run's wall clock is the snapshot's (snapshotTime). */
export function readJobStatus(doc: YamlDoc, path: Path, raw: unknown): Obj | null {
  if (raw === undefined || raw === null) return null;
  const at = [...path, 'status'];
  if (!isObj(raw)) throw doc.error(at, 'a Job status (a mapping)', describe(raw));
  const count = (k: string): number => {
    const v = raw[k];
    if (v === undefined || v === null) return 0;
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw doc.error([...at, k], 'a whole number >= 0', describe(v));
    return v;
  };
  let succeeded = count('succeeded');
  let failed = count('failed');
  const uncounted = raw['uncountedTerminatedPods'];
  if (isObj(uncounted)) {
    if (Array.isArray(uncounted['succeeded'])) succeeded += uncounted['succeeded'].length;
    if (Array.isArray(uncounted['failed'])) failed += uncounted['failed'].length;
  }
  const out: Obj = {};
  for (const k of ['startTime', 'completionTime']) {
    const s = stampAt(doc, [...at, k], raw[k]);
    if (s !== undefined) out[k] = s.text;
  }
  out['succeeded'] = succeeded;
  out['failed'] = failed;
  const conditions = raw['conditions'];
  if (Array.isArray(conditions)) {
    const kept: Obj[] = [];
    conditions.forEach((c: unknown, i) => {
      if (!isObj(c) || typeof c['type'] !== 'string' || typeof c['status'] !== 'string') return;
      const t = stampAt(doc, [...at, 'conditions', i, 'lastTransitionTime'], c['lastTransitionTime']);
      kept.push({ type: c['type'], status: c['status'], ...(typeof c['reason'] === 'string' ? { reason: c['reason'] } : {}), ...(t === undefined ? {} : { lastTransitionTime: t.text }) });
    });
    if (kept.length > 0) out['conditions'] = kept;
  }
  return out;
}

/** A snapshot CronJob's status as its controller reads it: status.lastScheduleTime, from which
 * missed times count (upstream mostRecentScheduleTime). Null when it has none. */
export function readCronJobStatus(doc: YamlDoc, path: Path, raw: unknown): Obj | null {
  if (raw === undefined || raw === null) return null;
  const at = [...path, 'status'];
  if (!isObj(raw)) throw doc.error(at, 'a CronJob status (a mapping)', describe(raw));
  const last = stampAt(doc, [...at, 'lastScheduleTime'], raw['lastScheduleTime']);
  return last === undefined ? null : { lastScheduleTime: last.text };
}

/** A snapshot StatefulSet's status revisions: status.currentRevision and status.updateRevision
 * (the names of its ControllerRevisions, which its pods carry as their controller-revision-hash
 * label) and status.currentReplicas, for a set caught mid-rollout to go on with it
 * (src/controllers/statefulset.ts). Null when it has neither revision. */
export function readStatefulSetStatus(doc: YamlDoc, path: Path, raw: unknown): Obj | null {
  if (raw === undefined || raw === null) return null;
  const at = [...path, 'status'];
  if (!isObj(raw)) throw doc.error(at, 'a StatefulSet status (a mapping)', describe(raw));
  const out: Obj = {};
  for (const k of ['currentRevision', 'updateRevision']) {
    const v = raw[k];
    if (v === undefined || v === null || v === '') continue;
    if (typeof v !== 'string') throw doc.error([...at, k], 'a ControllerRevision name', describe(v));
    out[k] = v;
  }
  if (Object.keys(out).length === 0) return null;
  const n = raw['currentReplicas'];
  if (n !== undefined && n !== null) {
    if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) throw doc.error([...at, 'currentReplicas'], 'a whole number >= 0', describe(n));
    out['currentReplicas'] = n;
  }
  return out;
}

/** A snapshot PodDisruptionBudget's status as the disruption controller last wrote it: what
 * preemption reads (upstream filterPodsWithPDBViolation reads status.disruptionsAllowed and
 * status.disruptedPods, pkg/scheduler/framework/plugins/defaultpreemption/
 * default_preemption.go), and what the controller compares its next write with (in a run it
 * ages disruptedPods out as upstream's does: src/controllers/disruption.ts). Counts are whole
 * numbers >= 0 (upstream ValidatePodDisruptionBudgetStatusUpdate); disruptedPods maps pod names
 * to RFC 3339 times. Null when the PDB has no status (a hand-written file) or a status without
 * disruptionsAllowed. */
export function readPdbStatus(doc: YamlDoc, path: Path, raw: unknown): Obj | null {
  if (raw === undefined || raw === null) return null;
  const at = [...path, 'status'];
  if (!isObj(raw)) throw doc.error(at, 'a PodDisruptionBudget status (a mapping)', describe(raw));
  const out: Obj = {};
  for (const k of ['currentHealthy', 'desiredHealthy', 'disruptionsAllowed', 'expectedPods']) {
    const v = raw[k];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw doc.error([...at, k], 'a whole number >= 0', describe(v));
    out[k] = v;
  }
  if (out['disruptionsAllowed'] === undefined) return null;
  const pods = raw['disruptedPods'];
  if (pods !== undefined && pods !== null) {
    if (!isObj(pods)) throw doc.error([...at, 'disruptedPods'], 'a mapping of pod names to times', describe(pods));
    const kept: Obj = {};
    for (const [name, t] of Object.entries(pods)) {
      const s = stampAt(doc, [...at, 'disruptedPods', name], t);
      if (s !== undefined) kept[name] = s.text;
    }
    if (Object.keys(kept).length > 0) out['disruptedPods'] = kept;
  }
  return out;
}

/** The times of a Job status from readJobStatus (µs since the epoch). */
export function jobStatusTimesUs(status: Obj): number[] {
  const out: number[] = [];
  const see = (v: unknown) => {
    const us = typeof v === 'string' ? parseRfc3339Us(v) : null;
    if (us !== null) out.push(us);
  };
  see(status['startTime']);
  see(status['completionTime']);
  for (const c of (status['conditions'] as Obj[] | undefined) ?? []) see(c['lastTransitionTime']);
  return out;
}
