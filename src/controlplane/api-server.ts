// The API server as the simulation's components see it: every write commits into the state
// store after a latency, and watchers are told of the committed change. Components never change
// the store directly. This is the seam where the etcd/API latency and client rate-limit model
// plugs in; for now a write costs a latency drawn from one configurable distribution.
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import type { Simulation } from '../engine/simulation.js';
import type { ClusterState } from '../cluster/cluster-state.js';
import type { NodeInfo } from '../cluster/node-info.js';
import { PodInfo, type PodPhase } from '../cluster/pod-info.js';
import { keyOf, type WorkloadObject } from '../cluster/workload-object.js';
import { admitPod } from './admission.js';

/** What a component hears about committed changes. All methods optional. */
export interface ClusterWatcher {
  podAdded?(p: PodInfo): void;
  podBound?(p: PodInfo): void;
  podPhaseChanged?(p: PodInfo, from: PodPhase): void;
  podDeleted?(p: PodInfo, reason: string): void;
  nodeAdded?(n: NodeInfo): void;
  objectAdded?(o: WorkloadObject): void;
  /** A write the API server refused (AlreadyExists, admission). */
  writeRejected?(object: string, reason: string): void;
}

export class ApiServer {
  private readonly watchers: ClusterWatcher[] = [];
  writes = 0;

  constructor(
    private readonly sim: Simulation,
    readonly cluster: ClusterState,
    /** Latency of one write, µs (sampled per write). */
    private readonly writeLatencyUs: () => number,
  ) {}

  watch(w: ClusterWatcher): void {
    this.watchers.push(w);
  }

  /** Runs `commit` after one write latency; returns the latency. */
  private write(kind: string, subject: string, commit: () => void): number {
    const latency = this.writeLatencyUs();
    this.writes++;
    this.sim.schedule(latency, kind, subject, commit);
    return latency;
  }

  /** Creates a pod after priority admission (src/controlplane/admission.ts). `done` gets the
   * stored pod, or null and why the create failed (AlreadyExists, or admission's Forbidden). */
  createPod(pod: Pod, done?: (p: PodInfo | null, reason?: string) => void): void {
    const key = `${pod.metadata?.namespace ?? 'default'}/${pod.metadata?.name ?? ''}`;
    this.write('api.create-pod', key, () => {
      if (this.cluster.pods.has(key)) {
        this.reject(key, `pods "${pod.metadata?.name ?? ''}" already exists`, done); // AlreadyExists
        return;
      }
      const admitted = admitPod(this.cluster, pod);
      if (!admitted.allowed) {
        this.reject(key, admitted.reason, done);
        return;
      }
      const p = new PodInfo(admitted.pod, this.sim.now);
      this.cluster.addPod(p);
      for (const w of this.watchers) w.podAdded?.(p);
      done?.(p);
    });
  }

  private reject(key: string, reason: string, done?: (p: PodInfo | null, reason?: string) => void): void {
    for (const w of this.watchers) w.writeRejected?.(key, reason);
    done?.(null, reason);
  }

  /** Writes pod.spec.nodeName; the pod must already be assumed on that node. Returns the latency. */
  bindPod(p: PodInfo, nodeName: string, done: (ok: boolean, reason: string) => void): number {
    return this.write('api.bind', p.key, () => {
      if (p.deleted) return done(false, `pod ${p.key} was deleted`);
      if (!this.cluster.nodeByName.has(nodeName)) return done(false, `node ${nodeName} not found`);
      p.bound = true;
      p.boundUs = this.sim.now;
      if (p.pod.spec !== undefined) p.pod.spec.nodeName = nodeName;
      done(true, '');
      for (const w of this.watchers) w.podBound?.(p);
    });
  }

  setPodPhase(p: PodInfo, phase: PodPhase): void {
    this.write('api.pod-status', p.key, () => {
      if (p.deleted || p.phase === phase) return;
      const from = p.phase;
      const now = this.sim.now;
      if (phase === 'Running') p.startedUs = now;
      if (phase === 'Succeeded' || phase === 'Failed') p.finishedUs = now;
      this.cluster.setPhase(p, phase);
      for (const w of this.watchers) w.podPhaseChanged?.(p, from);
    });
  }

  deletePod(p: PodInfo, reason: string): void {
    this.write('api.delete-pod', p.key, () => {
      if (p.deleted) return;
      this.cluster.deletePod(p);
      for (const w of this.watchers) w.podDeleted?.(p, reason);
    });
  }

  createObject(o: WorkloadObject, done?: (ok: boolean) => void): void {
    this.write('api.create-object', keyOf(o), () => {
      const ok = this.storeObject(o); // not inside done?.(...): that would skip it when done is absent
      done?.(ok);
    });
  }

  /** Stores an object that exists before the simulation starts (no write latency). */
  seedObject(o: WorkloadObject): boolean {
    return this.storeObject(o);
  }

  private storeObject(o: WorkloadObject): boolean {
    const key = keyOf(o);
    if (this.cluster.objects.has(key)) return false;
    this.cluster.objects.set(key, o);
    if (o.kind === 'Namespace') this.cluster.setNamespace(o.metadata.name, o.metadata.labels ?? {});
    for (const w of this.watchers) w.objectAdded?.(o);
    return true;
  }

  addNode(node: Node, pool: string): void {
    this.write('api.create-node', node.metadata?.name ?? '', () => {
      const n = this.cluster.addNode(node, pool);
      for (const w of this.watchers) w.nodeAdded?.(n);
    });
  }
}
