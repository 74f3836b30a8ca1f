// recovery.csv: one row per injected fault, and the failure columns of summary.csv.
//
// Definitions (README "Faults"):
// - pods_affected: pods bound to a node the fault hits, not terminated, when it starts (an etcd
//   leader loss hits every node: a long election takes them all NotReady), and pods bound to one
//   of those nodes from its start until its end (a dead node looks Ready to the scheduler until
//   the node lifecycle controller marks it NotReady, 45 to 60 s later: what it binds there is
//   lost with the node). A pod on a node two faults hit is affected by both, as at a start; its
//   eviction is the fault's that took the node NotReady (see evicted).
// - A fault's effects are what happens to its nodes and their pods while it is in force: from its
//   start until it has ended, the node lifecycle controller has seen the leases of those of its
//   nodes that were Ready then renewed since (one can be marked NotReady just after the end, its
//   first renewals not yet committed), and every node it took NotReady is Ready again (a node already NotReady when it
//   starts, from another fault, is not its doing; one that another fault still holds down when
//   it ends is handed to that fault, with its lost pods there). Detections, evictions and
//   availability losses outside that time belong to other faults, or to none.
// - detected_s: first time the node lifecycle controller marks one of its nodes NotReady
//   (Ready=Unknown) while it is in force (the time the update is sent).
// - first_eviction_s: first eviction (taint-eviction controller's delete) of an affected pod
//   while it is in force, from a node it took NotReady.
// - Reschedule time of an evicted pod: from its eviction to the binding (commit) of its
//   replacement; the replacement is the first pod of the same owner (ReplicaSet, ...) created
//   after the eviction, pairing evictions and new pods of an owner first-in first-out.
// - pods_rescheduled: affected pods evicted whose replacement was bound by the end;
//   pods_lost: affected pods evicted with no replacement bound by the end (bare pods always).
// - Affected workloads: the workloads (src/faults/availability.ts: Deployments, unowned
//   ReplicaSets, StatefulSets) of the pods affected at the start that hold a target (the desired
//   count in force, availability.ts) > 0 then (a pod bound to a dead node later never ran there).
// - The ratio: Σ min(available, target) / Σ target over the affected workloads, with each
//   workload's target at that moment (so a scale-up waits until it is met and a scale-down counts
//   at once, as in workloads.csv; available = Running on a Ready node, not deleted, and Ready
//   for the workload's minReadySeconds: availability.ts).
// - A drop is the fault's when an affected pod stops being available while the fault is in force
//   (its node NotReady, evicted, preempted; not a pod that finished its run) and the ratio is
//   then below 1. The pods it so lost are made good when each is available again (its node back)
//   or its replacement (the pod of its owner paired with its eviction, as for reschedule times)
//   is; the drop lasts until they all are, or the affected workloads are whole. A pod of the
//   workload ending its run elsewhere, a rollout, or another fault's losses of a shared workload
//   are not the fault's, so they neither close its window early nor stretch it.
// - min_available_ratio: the lowest ratio at the start and during the fault's drops, counting
//   every unavailable pod of the affected workloads (another fault's losses meanwhile too: the
//   ratio is the workloads' availability, not an attribution; the drops are the fault's).
// - time_to_full_availability_s: from the start to the end of the fault's last drop (0 when it
//   caused none; empty when its last drop lasts past the end, or no workload is affected).
import type { PodInfo } from '../cluster/pod-info.js';
import type { ClusterState } from '../cluster/cluster-state.js';
import type { ClusterWatcher } from '../controlplane/api-server.js';
import { toSeconds } from '../engine/time.js';
import { quantile } from '../metrics/stats.js';
import type { Row } from '../metrics/collector.js';
import { formatRow } from '../metrics/csv-output.js';
import { columnsOf, type TypedRow } from '../metrics/schema.js';
import type { FaultSpec } from './spec.js';
import type { AvailabilityTracker, WorkloadState } from './availability.js';


interface FaultRecord {
  readonly spec: FaultSpec;
  /** The nodes it hits: its own, or every node of the cluster at its start for an etcd leader
   * loss (its stalled writes hold up every lease renewal and node update). */
  readonly nodes: Set<string>;
  started: boolean;
  endUs: number | null;
  /** In force: its effects are its own (see the module comment). */
  inForce: boolean;
  /** Its nodes it took NotReady that are not Ready again. */
  readonly downNodes: Set<string>;
  /** After its end: its nodes whose lease renewal the node lifecycle controller has not seen
   * since. */
  readonly unseen: Set<string>;
  detectedUs: number | null;
  firstEvictionUs: number | null;
  readonly affected: Set<PodInfo>;
  evicted: number;
  readonly rescheduleUs: number[];
  /** Affected workloads. */
  readonly workloads: Set<WorkloadState>;
  /** Σ target and Σ min(available, target) over them, now. */
  sumTarget: number;
  sumAvailable: number;
  minRatio: number;
  /** One of its drops lasts now. */
  dropOpen: boolean;
  /** The affected pods it made unavailable that are not made good yet (see the module comment). */
  readonly lost: Set<PodInfo>;
  /** Its last drop ended at; null while one lasts. */
  fullUs: number | null;
  /** Its evictions' replacements that the scheduler found unschedulable, by workload (label):
   * how many, the longest wait and its last reason (waitWarnings). */
  readonly unschedulable: Map<string, UnschedulableWait>;
}

interface UnschedulableWait {
  count: number;
  /** The longest time from a replacement's first unschedulable attempt to its binding (or the
   * end of the run: `open`). */
  maxUs: number;
  open: boolean;
  /** The longest waiter's last failure, as placements.csv's reason. */
  reason: string;
  /** What its DoNotSchedule topology spread says about the reason (spreadHint), '' if nothing. */
  hint: string;
}

/** A replacement's first unschedulable attempt and its latest reason. */
interface PendingWait {
  readonly firstUs: number;
  reason: string;
}

/** A replacement's unschedulable wait this long or longer is worth a warning (µs): longer than
 * the scheduler's own queue costs a pod that fits (collector.ts WAITED_LONG_US). */
export const UNSCHEDULABLE_WARN_US = 60_000_000;

interface Eviction {
  readonly timeUs: number;
  readonly faults: FaultRecord[];
  /** The evicted pod. */
  readonly pod: PodInfo;
}

export class RecoveryTracker {
  private readonly faults: FaultRecord[];
  /** Evictions of each owner ("kind/ns/name") waiting for a replacement, oldest first. */
  private readonly waiting = new Map<string, Eviction[]>();
  private readonly replacementOf = new Map<PodInfo, Eviction>();
  /** A replacement → the evicted pod it makes good once available (only while a fault counts
   * that pod as lost). */
  private readonly replaces = new Map<PodInfo, PodInfo>();
  /** Replacements not bound yet that the scheduler found unschedulable (few: only while a
   * fault's evictions wait). */
  private readonly pendingWaits = new Map<PodInfo, PendingWait>();
  /** Every eviction's reschedule time (µs), for summary.csv. */
  readonly allRescheduleUs: number[] = [];
  podsEvicted = 0;
  nodeFailures = 0;

  /** Open availability windows, by workload. */
  private readonly open = new Map<WorkloadState, FaultRecord[]>();
  private readonly byId = new Map<string, FaultRecord>();
  /** Nodes the node lifecycle controller has marked NotReady and not Ready again. */
  private readonly notReady = new Set<string>();
  /** Ended faults waiting to see a node's lease renewed, by node. */
  private readonly unseenBy = new Map<string, Set<FaultRecord>>();
  /** The faults started and not ended, by node they hit (pods bound there are theirs). */
  private readonly hitBy = new Map<string, FaultRecord[]>();

  constructor(specs: readonly FaultSpec[], private readonly cluster: ClusterState, private readonly availability: AvailabilityTracker | null = null) {
    this.faults = specs.map((spec) => ({
      spec, nodes: new Set(spec.nodes), started: false, endUs: null, inForce: false, downNodes: new Set<string>(), unseen: new Set<string>(), detectedUs: null, firstEvictionUs: null,
      affected: new Set<PodInfo>(), evicted: 0, rescheduleUs: [],
      workloads: new Set<WorkloadState>(), sumTarget: 0, sumAvailable: 0, minRatio: 1, dropOpen: false, lost: new Set<PodInfo>(), fullUs: null,
      unschedulable: new Map<string, UnschedulableWait>(),
    }));
    for (const f of this.faults) this.byId.set(f.spec.id, f);
    if (availability !== null) availability.listener = (w, availableBefore, targetBefore, pod) => this.availabilityChanged(w, availableBefore, targetBefore, pod);
  }

  private availabilityChanged(w: WorkloadState, availableBefore: number, targetBefore: number, pod: PodInfo | null): void {
    const list = this.open.get(w);
    if (list === undefined) return;
    const lost = pod !== null && w.available < availableBefore && !pod.terminal;
    // A pod available again, or a replacement of an evicted one: losses made good.
    const gained = pod !== null && w.available > availableBefore;
    const replaced = gained && pod !== null ? this.replaces.get(pod) : undefined;
    if (replaced !== undefined && pod !== null) this.replaces.delete(pod);
    for (const f of [...list]) {
      f.sumTarget += w.target - targetBefore;
      f.sumAvailable += Math.min(w.available, w.target) - Math.min(availableBefore, targetBefore);
      // A loss to a NotReady node is the fault's only when the fault took that node NotReady.
      const hit = lost && pod !== null && f.inForce && f.affected.has(pod) && (!this.notReady.has(pod.nodeName ?? '') || f.downNodes.has(pod.nodeName ?? ''));
      if (hit) f.lost.add(pod as PodInfo);
      if (gained) {
        f.lost.delete(pod as PodInfo);
        if (replaced !== undefined) f.lost.delete(replaced);
      }
      this.update(f, hit);
    }
  }

  /** `hit`: an affected pod stopped being available, by the fault's doing. */
  private update(f: FaultRecord, hit: boolean): void {
    const short = f.sumAvailable < f.sumTarget;
    if (hit && short && !f.dropOpen) {
      f.dropOpen = true;
      f.fullUs = null;
    }
    if (!f.dropOpen) return;
    // The ratio as it is: every unavailable pod of the affected workloads counts, whichever
    // fault (or none) took it, so faults that overlap over shared workloads each see the joint
    // dip during their drops (a zone outage and a nodeDown in another zone: both at the worst).
    if (short) f.minRatio = Math.min(f.minRatio, f.sumAvailable / f.sumTarget);
    // Over when its workloads are whole, or its own losses are made good (another fault may
    // still hold a shared workload short).
    if (!short || f.lost.size === 0) {
      f.lost.clear();
      f.dropOpen = false;
      f.fullUs = (this.availability as AvailabilityTracker).nowUs;
      if (!f.inForce) this.stopWatching(f);
    }
  }

  /** No longer in force (see the module comment); its workloads are watched until its last drop
   * ends. */
  private leaveForce(f: FaultRecord): void {
    f.inForce = false;
    if (!f.dropOpen) this.stopWatching(f);
  }

  private stopWatching(f: FaultRecord): void {
    for (const w of f.workloads) {
      const list = this.open.get(w);
      if (list === undefined || !list.includes(f)) continue;
      list.splice(list.indexOf(f), 1);
      if (list.length === 0) this.open.delete(w);
    }
  }

  readonly watcher: ClusterWatcher = {
    podDeleted: (p) => {
      // A replacement deleted unbound (a scale-down) waits no more.
      if (this.pendingWaits.size !== 0) this.pendingWaits.delete(p);
    },
    podAdded: (p) => {
      // No eviction waits for a replacement (every run without faults, and most pods of one with).
      if (this.waiting.size === 0) return;
      const key = ownerKey(p);
      if (key === null) return;
      const q = this.waiting.get(key);
      const e = q?.shift();
      if (q !== undefined && q.length === 0) this.waiting.delete(key);
      if (e === undefined) return;
      this.replacementOf.set(p, e);
      if (e.faults.some((f) => f.lost.has(e.pod))) this.replaces.set(p, e.pod);
    },
    podBound: (p) => {
      // Bound to a node a fault hits while it lasts (no fault going on: most of every run).
      if (this.hitBy.size !== 0) {
        const faults = this.hitBy.get(p.nodeName ?? '');
        if (faults !== undefined) for (const f of faults) f.affected.add(p);
      }
      if (this.replacementOf.size === 0) return;
      const e = this.replacementOf.get(p);
      if (e === undefined) return;
      this.replacementOf.delete(p);
      const now = p.boundUs;
      const w = this.pendingWaits.get(p);
      if (w !== undefined) {
        this.pendingWaits.delete(p);
        for (const f of e.faults) this.noteWait(f, p, now - w.firstUs, false, w.reason);
      }
      this.allRescheduleUs.push(now - e.timeUs);
      for (const f of e.faults) f.rescheduleUs.push(now - e.timeUs);
    },
  };

  /** A scheduling attempt (the scheduler's record, as placements.csv's row): a replacement's
   * unschedulable ones are timed (waitWarnings). */
  attempt(p: PodInfo, timeUs: number, unschedulable: boolean, reason: string): void {
    if (!unschedulable || this.replacementOf.size === 0 || !this.replacementOf.has(p)) return;
    const w = this.pendingWaits.get(p);
    if (w === undefined) this.pendingWaits.set(p, { firstUs: timeUs, reason });
    else w.reason = reason;
  }

  private noteWait(f: FaultRecord, p: PodInfo, us: number, open: boolean, reason: string): void {
    const w = this.availability?.workloadOf(p) ?? null;
    const label = w === null ? `${p.ownerKind} ${p.namespace}/${p.ownerName}` : `${w.kind} ${w.namespace}/${w.name}`;
    const u = f.unschedulable.get(label);
    if (u === undefined) {
      f.unschedulable.set(label, { count: 1, maxUs: us, open, reason, hint: spreadHint(p, reason) });
      return;
    }
    u.count++;
    if (us <= u.maxUs) return;
    u.maxUs = us;
    u.open = open;
    u.reason = reason;
    u.hint = spreadHint(p, reason);
  }

  /** One warning per fault and workload whose evicted pods' replacements waited unschedulable
   * at least UNSCHEDULABLE_WARN_US: what stretched its recovery, with the scheduler's dominant
   * reason (the failure shared by the most nodes). Replacements still unbound at `endUs` count
   * up to then. */
  waitWarnings(endUs: number): string[] {
    for (const [p, w] of this.pendingWaits) {
      const e = this.replacementOf.get(p);
      if (e === undefined || p.deleted) continue;
      for (const f of e.faults) this.noteWait(f, p, endUs - w.firstUs, true, w.reason);
    }
    this.pendingWaits.clear();
    const out: string[] = [];
    for (const f of this.faults) {
      for (const [label, u] of [...f.unschedulable].sort((a, b) => b[1].maxUs - a[1].maxUs)) {
        if (u.maxUs < UNSCHEDULABLE_WARN_US) continue;
        const s = Math.round(u.maxUs / 1e6).toLocaleString('en-US');
        const who = u.count === 1 ? `the replacement of an evicted pod of ${label}` : `${u.count} replacements of evicted pods of ${label}`;
        const how = u.open ? `${u.count === 1 ? 'waited' : 'waited up to'} ${s} s unschedulable, still unbound at the end` : `${u.count === 1 ? 'waited' : 'waited up to'} ${s} s unschedulable`;
        out.push(`fault ${f.spec.id} (${f.spec.kind} ${f.spec.target}): ${who} ${how}: ${dominantReason(u.reason)}${u.hint}`);
      }
    }
    return out;
  }

  faultStarted(id: string, nowUs: number): void {
    const f = this.find(id);
    f.started = true;
    f.inForce = true;
    // A control-plane fault fails no node, but a long election holds every lease renewal: the
    // node lifecycle controller then marks every node NotReady (upstream does, after an etcd
    // outage longer than the grace period), and its pods are lost as a node fault's are.
    // A node another fault holds down already is that fault's.
    if (f.spec.kind === 'etcdLeaderLoss') {
      for (const n of this.cluster.nodeByName.keys()) if (!this.heldByAnother(f, n)) f.nodes.add(n);
    } else this.nodeFailures += f.nodes.size;
    for (const name of f.nodes) {
      let faults = this.hitBy.get(name);
      if (faults === undefined) this.hitBy.set(name, (faults = []));
      faults.push(f);
      for (const p of this.cluster.nodeByName.get(name)?.pods ?? []) if (p.bound && !p.terminal) f.affected.add(p);
    }
    if (this.availability === null) return;
    for (const p of f.affected) {
      const w = this.availability.workloadOf(p);
      if (w === null || f.workloads.has(w) || w.target <= 0) continue;
      f.workloads.add(w);
      f.sumTarget += w.target;
      f.sumAvailable += Math.min(w.available, w.target);
      let list = this.open.get(w);
      if (list === undefined) this.open.set(w, (list = []));
      list.push(f);
    }
    if (f.workloads.size === 0) return;
    f.minRatio = f.sumAvailable / f.sumTarget;
    void nowUs;
  }

  faultEnded(id: string, nowUs: number): void {
    const f = this.find(id);
    f.endUs = nowUs;
    for (const n of f.nodes) {
      const faults = this.hitBy.get(n);
      if (faults === undefined) continue;
      faults.splice(faults.indexOf(f), 1);
      if (faults.length === 0) this.hitBy.delete(n);
    }
    // A node it took NotReady that another fault, still going, holds down too is that fault's
    // from now on: its coming back, its evictions and its pods' losses (which this one's end
    // would have ended) are not this one's.
    let handed = false;
    for (const n of [...f.downNodes]) {
      const holder = this.faults.find((g) => g !== f && g.started && g.endUs === null && g.nodes.has(n));
      if (holder === undefined) continue;
      f.downNodes.delete(n);
      holder.downNodes.add(n);
      for (const p of [...f.lost]) {
        if (p.nodeName !== n) continue;
        f.lost.delete(p);
        handed = true;
        if (!holder.affected.has(p)) continue;
        holder.lost.add(p);
        this.update(holder, true);
      }
    }
    if (handed && f.dropOpen) this.update(f, false);
    for (const n of f.nodes) {
      // A node NotReady now is back when it is Ready (its own, in downNodes) or another fault's.
      if (!this.cluster.nodeByName.has(n) || this.notReady.has(n)) continue;
      // An etcd leader loss does not wait for the renewals of a node another fault took down
      // meanwhile (it may never renew again).
      if (f.spec.kind === 'etcdLeaderLoss' && this.heldByAnother(f, n)) continue;
      f.unseen.add(n);
      let waiting = this.unseenBy.get(n);
      if (waiting === undefined) this.unseenBy.set(n, (waiting = new Set()));
      waiting.add(f);
    }
    this.maybeLeaveForce(f);
  }

  /** Whether a node fault other than `f`, started and not ended, hits `node`. */
  private heldByAnother(f: FaultRecord, node: string): boolean {
    return this.faults.some((g) => g !== f && g.spec.kind !== 'etcdLeaderLoss' && g.started && g.endUs === null && g.nodes.has(node));
  }

  /** The node lifecycle controller saw `node`'s lease renewed. */
  leaseSeen(node: string): void {
    // Every renewal of every node comes here: most runs have no ended fault waiting.
    if (this.unseenBy.size === 0) return;
    const waiting = this.unseenBy.get(node);
    if (waiting === undefined) return;
    this.unseenBy.delete(node);
    for (const f of waiting) {
      f.unseen.delete(node);
      this.maybeLeaveForce(f);
    }
  }

  private maybeLeaveForce(f: FaultRecord): void {
    if (f.inForce && f.endUs !== null && f.unseen.size === 0 && f.downNodes.size === 0) this.leaveForce(f);
  }

  nodeNotReady(node: string, nowUs: number): void {
    this.notReady.add(node);
    for (const f of this.faults) {
      // After its end, only a node whose lease it has not seen renewed since is its doing.
      if (!f.inForce || !f.nodes.has(node) || (f.endUs !== null && !f.unseen.has(node))) continue;
      f.detectedUs ??= nowUs;
      f.downNodes.add(node);
    }
  }

  nodeReady(node: string): void {
    this.notReady.delete(node);
    for (const f of this.faults) if (f.downNodes.delete(node)) this.maybeLeaveForce(f);
  }

  evicted(p: PodInfo, nowUs: number): void {
    this.podsEvicted++;
    const hit: FaultRecord[] = [];
    for (const f of this.faults) {
      // Its eviction, of a pod it affected on a node it took NotReady (two faults on one node:
      // the NotReady, and so the evictions, are the one's that was in force first).
      if (!f.inForce || !f.affected.has(p) || !f.downNodes.has(p.nodeName ?? '')) continue;
      f.evicted++;
      f.firstEvictionUs ??= nowUs;
      hit.push(f);
    }
    const key = ownerKey(p);
    if (key === null) return;
    let q = this.waiting.get(key);
    if (q === undefined) this.waiting.set(key, (q = []));
    q.push({ timeUs: nowUs, faults: hit, pod: p });
  }

  /** summary.csv's failure columns: node_failures, pods_evicted, the nearest-rank p50 / p99
   * of every eviction's reschedule time (empty when none was replaced), and recovery.csv's
   * figures over the faults: the longest time_to_full_availability_s (empty when no fault
   * affected a workload, or one's workloads were not whole by the end: a sweep or gate must not
   * read a run that never recovered as a quick one) and the lowest min_available_ratio. */
  summaryValues(): TypedRow {
    const r = this.allRescheduleUs;
    const rows = this.typedRows().filter((x) => x.min_available_ratio !== null);
    const full = rows.map((x) => x.time_to_full_availability_s as number | null);
    return {
      node_failures: this.nodeFailures,
      pods_evicted: this.podsEvicted,
      reschedule_p50_s: r.length === 0 ? null : toSeconds(quantile(r, 0.5)),
      reschedule_p99_s: r.length === 0 ? null : toSeconds(quantile(r, 0.99)),
      time_to_full_availability_max_s: full.length === 0 || full.includes(null) ? null : Math.max(...(full as number[])),
      available_min_ratio: rows.length === 0 ? null : Math.min(...rows.map((x) => x.min_available_ratio as number)),
    };
  }

  /** summaryValues as written. */
  summaryColumns(): Row {
    return formatRow(this.summaryValues(), columnsOf('summary.csv'));
  }

  /** recovery.csv's rows as written. */
  rows(): Row[] {
    const columns = columnsOf('recovery.csv');
    return this.typedRows().map((r) => formatRow(r, columns));
  }

  /** recovery.csv's rows: one per fault that started, in scenario order. */
  typedRows(): TypedRow[] {
    return this.faults.filter((f) => f.started).map((f) => {
      const r = f.rescheduleUs;
      const s = (us: number | null) => (us === null ? null : toSeconds(us));
      return {
        fault_id: f.spec.id,
        kind: f.spec.kind,
        target: f.spec.target,
        start_s: s(f.spec.atUs),
        end_s: s(f.endUs),
        detected_s: s(f.detectedUs),
        first_eviction_s: s(f.firstEvictionUs),
        pods_affected: f.affected.size,
        pods_rescheduled: r.length,
        pods_lost: f.evicted - r.length,
        reschedule_p50_s: r.length === 0 ? null : toSeconds(quantile(r, 0.5)),
        reschedule_p99_s: r.length === 0 ? null : toSeconds(quantile(r, 0.99)),
        reschedule_max_s: r.length === 0 ? null : toSeconds(Math.max(...r)),
        min_available_ratio: f.workloads.size === 0 ? null : f.minRatio,
        // No drop open and none ended (fullUs null): it caused none.
        time_to_full_availability_s: f.workloads.size === 0 || f.dropOpen ? null : f.fullUs === null ? 0 : toSeconds(f.fullUs - f.spec.atUs),
      };
    });
  }

  private find(id: string): FaultRecord {
    return this.byId.get(id) as FaultRecord;
  }
}

function ownerKey(p: PodInfo): string | null {
  return p.ownerName === '' ? null : `${p.ownerKind}/${p.namespace}/${p.ownerName}`;
}

/** The failure the most nodes share in a scheduler's "0/N nodes are available: A, B." message (the
 * first of equals: upstream sorts them), with its count; the message as it is when it has none. */
export function dominantReason(reason: string): string {
  const head = /^0\/\d+ nodes are available: (.*?)\.?(?: preemption: .*)?$/s.exec(reason);
  if (head === null) return reason;
  let best = '';
  let bestN = -1;
  for (const clause of (head[1] as string).split(/, (?=\d+ )/)) {
    const n = Number.parseInt(clause, 10);
    if (n > bestN) {
      bestN = n;
      best = clause;
    }
  }
  return best;
}

/** Why "didn't match pod topology spread constraints" may hold while a domain is lost: upstream
 * PodTopologySpread counts a domain's nodes whatever their taints unless the constraint's
 * nodeTaintsPolicy is Honor (default Ignore, pkg/scheduler/framework/plugins/podtopologyspread/
 * common.go), and not the pods being deleted there, so a zone whose nodes are down and whose pods
 * were evicted is a domain of 0 pods that maxSkew holds the others to. */
export function spreadHint(p: PodInfo, reason: string): string {
  if (!dominantReason(reason).includes("didn't match pod topology spread constraints")) return '';
  const keys: string[] = [];
  for (const c of p.pod.spec?.topologySpreadConstraints ?? []) {
    if (c.whenUnsatisfiable !== 'DoNotSchedule' || c.nodeTaintsPolicy === 'Honor') continue;
    keys.push(`${c.topologyKey} (maxSkew ${c.maxSkew})`);
  }
  if (keys.length === 0) return '';
  return ` (whenUnsatisfiable DoNotSchedule over ${keys.join(', ')}; a lost domain's tainted nodes still count as a domain, with its pods gone, under nodeTaintsPolicy Ignore, the default: nodeTaintsPolicy Honor leaves them out)`;
}
