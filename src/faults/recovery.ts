// recovery.csv: one row per injected fault, and the failure columns of summary.csv.
//
// Definitions (README "Faults"):
// - pods_affected: pods bound to a node the fault hits, not terminated, when it starts.
// - detected_s: first time the node lifecycle controller marks one of its nodes NotReady
//   (Ready=Unknown) at or after the start (the time the update is sent).
// - first_eviction_s: first eviction (taint-eviction controller's delete) of an affected pod.
// - Reschedule time of an evicted pod: from its eviction to the binding (commit) of its
//   replacement; the replacement is the first pod of the same owner (ReplicaSet, ...) created
//   after the eviction, pairing evictions and new pods of an owner first-in first-out.
// - pods_rescheduled: affected pods evicted whose replacement was bound by the end;
//   pods_lost: affected pods evicted with no replacement bound by the end (bare pods always).
// min_available_ratio and time_to_full_availability_s are not measured yet (left empty).
import type { PodInfo } from '../cluster/pod-info.js';
import type { ClusterState } from '../cluster/cluster-state.js';
import type { ClusterWatcher } from '../controlplane/api-server.js';
import { toSeconds } from '../engine/time.js';
import { fmt, quantile } from '../metrics/stats.js';
import type { Row } from '../metrics/collector.js';
import type { FaultSpec } from './spec.js';

export const RECOVERY_COLUMNS = [
  'fault_id', 'kind', 'target', 'start_s', 'end_s', 'detected_s', 'first_eviction_s', 'pods_affected', 'pods_rescheduled',
  'pods_lost', 'reschedule_p50_s', 'reschedule_p99_s', 'reschedule_max_s', 'min_available_ratio', 'time_to_full_availability_s',
];

interface FaultRecord {
  readonly spec: FaultSpec;
  readonly nodes: ReadonlySet<string>;
  started: boolean;
  endUs: number | null;
  detectedUs: number | null;
  firstEvictionUs: number | null;
  readonly affected: Set<PodInfo>;
  evicted: number;
  readonly rescheduleUs: number[];
}

interface Eviction {
  readonly timeUs: number;
  readonly faults: FaultRecord[];
}

export class RecoveryTracker {
  private readonly faults: FaultRecord[];
  /** Evictions of each owner ("kind/ns/name") waiting for a replacement, oldest first. */
  private readonly waiting = new Map<string, Eviction[]>();
  private readonly replacementOf = new Map<PodInfo, Eviction>();
  /** Every eviction's reschedule time (µs), for summary.csv. */
  readonly allRescheduleUs: number[] = [];
  podsEvicted = 0;
  nodeFailures = 0;

  constructor(specs: readonly FaultSpec[], private readonly cluster: ClusterState) {
    this.faults = specs.map((spec) => ({
      spec, nodes: new Set(spec.nodes), started: false, endUs: null, detectedUs: null, firstEvictionUs: null,
      affected: new Set<PodInfo>(), evicted: 0, rescheduleUs: [],
    }));
  }

  readonly watcher: ClusterWatcher = {
    podAdded: (p) => {
      const key = ownerKey(p);
      if (key === null) return;
      const q = this.waiting.get(key);
      const e = q?.shift();
      if (e !== undefined) this.replacementOf.set(p, e);
    },
    podBound: (p) => {
      const e = this.replacementOf.get(p);
      if (e === undefined) return;
      this.replacementOf.delete(p);
      const now = p.boundUs;
      this.allRescheduleUs.push(now - e.timeUs);
      for (const f of e.faults) f.rescheduleUs.push(now - e.timeUs);
    },
  };

  faultStarted(id: string, nowUs: number): void {
    const f = this.find(id);
    f.started = true;
    this.nodeFailures += f.nodes.size;
    for (const name of f.nodes) {
      for (const p of this.cluster.nodeByName.get(name)?.pods ?? []) if (p.bound && !p.terminal) f.affected.add(p);
    }
    void nowUs;
  }

  faultEnded(id: string, nowUs: number): void {
    this.find(id).endUs = nowUs;
  }

  nodeNotReady(node: string, nowUs: number): void {
    for (const f of this.faults) if (f.started && f.detectedUs === null && f.nodes.has(node)) f.detectedUs = nowUs;
  }

  evicted(p: PodInfo, nowUs: number): void {
    this.podsEvicted++;
    const hit: FaultRecord[] = [];
    for (const f of this.faults) {
      if (!f.affected.has(p)) continue;
      f.evicted++;
      f.firstEvictionUs ??= nowUs;
      hit.push(f);
    }
    const key = ownerKey(p);
    if (key === null) return;
    let q = this.waiting.get(key);
    if (q === undefined) this.waiting.set(key, (q = []));
    q.push({ timeUs: nowUs, faults: hit });
  }

  rows(): Row[] {
    return this.faults.filter((f) => f.started).map((f) => {
      const r = f.rescheduleUs;
      const s = (us: number | null) => (us === null ? '' : fmt(toSeconds(us), 6));
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
        reschedule_p50_s: r.length === 0 ? '' : fmt(toSeconds(quantile(r, 0.5)), 6),
        reschedule_p99_s: r.length === 0 ? '' : fmt(toSeconds(quantile(r, 0.99)), 6),
        reschedule_max_s: r.length === 0 ? '' : fmt(toSeconds(Math.max(...r)), 6),
        min_available_ratio: '',
        time_to_full_availability_s: '',
      };
    });
  }

  private find(id: string): FaultRecord {
    return this.faults.find((f) => f.spec.id === id) as FaultRecord;
  }
}

function ownerKey(p: PodInfo): string | null {
  return p.ownerName === '' ? null : `${p.ownerKind}/${p.namespace}/${p.ownerName}`;
}
