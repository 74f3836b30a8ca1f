// Deployment controller: level-based, acting only through API writes. Each sync reads the
// Deployment and its ReplicaSets from the store and does one step of upstream's algorithm
// (pkg/controller/deployment/{sync,rolling,recreate}.go):
//  - the new ReplicaSet is <deployment>-<pod-template-hash> (created when missing);
//  - RollingUpdate: reconcileNewReplicaSet (scale the new RS up to replicas + maxSurge minus the
//    replicas of all RSs, never past replicas; down when above replicas), and only when nothing
//    was scaled up, reconcileOldReplicaSets (first old RSs' unavailable replicas, then old
//    available ones, oldest RS first, down to replicas − maxUnavailable available pods);
//  - Recreate: old RSs to 0, and once no old pod is active, the new RS to replicas.
// A pod is available when it is Ready on a Ready node and not Terminating (isPodAvailable: the
// node lifecycle controller marks a NotReady node's pods not Ready; ksim has no readiness probes;
// a deleted node's pods keep the readiness they had until the pod GC fails them:
// ClusterState.lastKnownNodes)
// and has been Ready for the Deployment's minReadySeconds (upstream podutil.IsPodAvailable,
// pkg/api/v1/pod/util.go: since it started Running, or since its node turned Ready again).
// Availability is counted from the pods the controller observes (upstream reads the ReplicaSets'
// status.availableReplicas, which the ReplicaSet controller writes; ksim has no status writes),
// with the Deployment's minReadySeconds for all its ReplicaSets (upstream copies it to the new
// ReplicaSet). A sync that finds a pod Ready but not yet available syncs again when it will be,
// plus a second: upstream's ReplicaSet controller requeues its ReplicaSet minReadySeconds + 1 s
// after a pod turns Ready (replica_set.go updatePod) to count it in availableReplicas, whose
// update syncs the Deployment. With minReadySeconds 0 nothing of this runs.
// A paused Deployment, or one whose replicas changed (a scaling event: an active ReplicaSet's
// desired-replicas annotation differs from spec.replicas), is only scaled (upstream sync.go sync
// and scale): the one active ReplicaSet (or the newest) gets the replicas, and several active ones
// mid-rollout share the change in proportion to their sizes (GetReplicaSetProportion, by the
// max-replicas annotation); a paused one creates no new ReplicaSet. Every ReplicaSet the controller
// creates or scales is annotated with desired-replicas and max-replicas, as upstream's
// SetReplicasAnnotations. While a write of the controller is in flight it does not sync that
// Deployment again (as upstream's expectations and informer cache).
// A new ReplicaSet the API server refuses (a ResourceQuota's count/replicasets.apps) fails the
// sync, as upstream getNewReplicaSet returns the error (after setting Progressing=False, reason
// ReplicaSetCreateError): nothing else of the rollout is done, and handleErr retries the
// Deployment through its queue's rate limiter (DefaultControllerRateLimiter: 5 ms doubling) while
// it has been retried fewer than maxRetries (15) times, then drops it (queue.Forget) until an event
// syncs it again (pkg/controller/deployment/deployment_controller.go). A sync that creates no
// ReplicaSet, or whose create succeeds, forgets the failures. ksim writes no Deployment status:
// upstream's first Progressing=False write is an update event that syncs the Deployment once
// more at once; that attempt is not made. A Deployment still without its new ReplicaSet at the end
// is a run warning (stallWarnings).
import type { PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import type { ApiServer } from '../controlplane/api-server.js';
import { availableFromUs, isPodAvailable, minReadyUsOf, WORKLOAD_ANNOTATION, type PodInfo } from '../cluster/pod-info.js';
import { PodList, PodListKind } from '../cluster/pod-list.js';
import { roundHalfAwayFromZero } from '../api/go-math.js';
import { parseRfc3339Us } from '../api/rfc3339.js';
import { controllerRef, isKind, objectKey, type DeploymentSpec, type ObjectOf, type WorkloadObject } from '../cluster/workload-object.js';

type ReplicaSetObject = ObjectOf<'ReplicaSet'>;
import { withSpec, type ObjectApi } from '../controlplane/object-api.js';
import { podTemplateHash } from './names.js';
import { ControllerRateLimiter, wakeAt } from './work-queue.js';
import { addTimeUs } from '../engine/time.js';
import { templateKey } from '../api/template-defaults.js';

export const POD_TEMPLATE_HASH = 'pod-template-hash';
/** Upstream deploymentutil DesiredReplicasAnnotation / MaxReplicasAnnotation. */
export const DESIRED_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/desired-replicas';
export const MAX_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/max-replicas';
/** Upstream defaults (apps/v1 SetDefaults_Deployment). */
export const DEFAULT_MAX_SURGE = '25%';
export const DEFAULT_MAX_UNAVAILABLE = '25%';

/** Upstream intstr.GetScaledValueFromIntOrPercent: an integer, or a percentage of `total`
 * rounded up or down. */
export function scaledValue(v: number | string, total: number, roundUp: boolean): number {
  if (typeof v === 'number') return v;
  const pct = Number(v.slice(0, -1));
  return roundUp ? Math.ceil((pct * total) / 100) : Math.floor((pct * total) / 100);
}

/** Upstream deploymentutil.ResolveFenceposts: maxSurge rounded up, maxUnavailable rounded down;
 * both 0 (possible through rounding) makes maxUnavailable 1. maxUnavailable is capped at
 * replicas (deploymentutil.MaxUnavailable). */
export function resolveFenceposts(spec: DeploymentSpec): { maxSurge: number; maxUnavailable: number } {
  const replicas = spec.replicas ?? 1;
  const ru = spec.strategy?.rollingUpdate;
  const maxSurge = scaledValue(ru?.maxSurge ?? DEFAULT_MAX_SURGE, replicas, true);
  let maxUnavailable = scaledValue(ru?.maxUnavailable ?? DEFAULT_MAX_UNAVAILABLE, replicas, false);
  if (maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;
  return { maxSurge, maxUnavailable: Math.min(maxUnavailable, replicas) };
}

interface RsPods {
  readonly pods: PodList;
  /** What ownerOf gives for the ReplicaSet's object in the store, while `resolved`: reset when
   * that object changes (as it is committed) or a Deployment comes or goes, so a pod event finds
   * its Deployment with one lookup instead of four (a long churn's pod events spent 3-4 % of its
   * time here). */
  owner: DState | undefined;
  resolved: boolean;
}

interface DState {
  readonly namespace: string;
  readonly name: string;
  /** Names of the ReplicaSets it controls, in the order they were created. */
  readonly replicaSets: string[];
  /** Writes issued and not yet committed. */
  inflight: number;
  /** True when the last sync found one ReplicaSet at the Deployment's replicas: pod changes
   * cannot make it act until the Deployment or one of its ReplicaSets changes. */
  settled: boolean;
  /** spec.minReadySeconds in µs, as the current sync read it. */
  minReadyUs: number;
  /** During a sync: the earliest time a pod counted Ready but not yet available will be (the
   * sync then wakes the controller: wakeUs). */
  nextAvailableUs: number;
  /** When a wake the controller scheduled will sync it (Infinity: none pending). */
  wakeUs: number;
  /** Failed syncs (refused ReplicaSet creates) since the last successful one: the rate limiter's
   * count, upstream NumRequeues. */
  failures: number;
  /** When the pending rate-limited retry syncs it (Infinity: none pending). */
  retryUs: number;
  /** The latest refused create of its new ReplicaSet, while no create of it has succeeded since:
   * the ReplicaSet's name, the refusals, the API server's message. */
  refused: { name: string; count: number; reason: string } | null;
}

/** Upstream deployment_controller.go maxRetries: a Deployment's failed syncs retried before it is
 * dropped from the queue. */
export const DEPLOYMENT_MAX_RETRIES = 15;

/** metadata.creationTimestamp in µs since the epoch (a snapshot's object), or null. */
function createdAtUs(o: WorkloadObject): number | null {
  const t = (o.metadata as { creationTimestamp?: unknown }).creationTimestamp;
  return typeof t === 'string' ? parseRfc3339Us(t) : null;
}

function replicasOf(rs: ReplicaSetObject): number {
  return rs.spec?.replicas ?? 1;
}

/** An integer annotation of a ReplicaSet (upstream getIntFromAnnotation), or null. */
function intAnnotation(rs: ReplicaSetObject, key: string): number | null {
  const v = rs.metadata.annotations?.[key];
  if (v === undefined) return null;
  const n = Number(v);
  return /^-?\d+$/.test(v) && Number.isSafeInteger(n) ? n : null;
}

export class DeploymentController {
  /** Deployments by namespace, then name: a pod's change finds its Deployment from strings it
   * already has, with no key built (a string built and hashed per pod event). */
  private readonly deployments = new Map<string, Map<string, DState>>();
  /** Pods (live, observed) per ReplicaSet "ns/name" of a Deployment, with its Deployment. */
  private readonly rsPods = new Map<string, RsPods>();
  /** Deployments to sync once the start state is committed (ApiServer.startingUp). */
  private readonly waiting = new Set<DState>();
  /** The work queue's rate limiter (upstream DefaultControllerRateLimiter). */
  private readonly limiter = new ControllerRateLimiter();
  /** ReplicaSet creates sent by the current sync (a sync sending none succeeded). */
  private creates = 0;

  constructor(
    private readonly api: ApiServer,
    private readonly objects: ObjectApi,
  ) {
    // The store's ReplicaSet objects as they are committed, for RsPods.owner.
    api.observe({
      objectAdded: (o) => this.replicaSetChanged(o),
      objectUpdated: (o) => this.replicaSetChanged(o),
      objectDeleted: (o) => this.replicaSetChanged(o),
    });
    api.watch({
      objectAdded: (o) => {
        if (o.kind === 'Deployment') {
          const st: DState = { namespace: o.metadata.namespace, name: o.metadata.name, replicaSets: [], inflight: 0, settled: false, minReadyUs: 0, nextAvailableUs: Infinity, wakeUs: Infinity, failures: 0, retryUs: Infinity, refused: null };
          let inNs = this.deployments.get(st.namespace);
          if (inNs === undefined) this.deployments.set(st.namespace, (inNs = new Map()));
          inNs.set(st.name, st);
          this.ownersChanged();
          this.enqueue(st);
        } else if (o.kind === 'ReplicaSet') {
          const st = this.ownerOf(o);
          if (st === undefined) return;
          if (!st.replicaSets.includes(o.metadata.name)) this.insertByAge(st, o);
          const key = `${o.metadata.namespace}/${o.metadata.name}`;
          if (!this.rsPods.has(key)) this.rsPods.set(key, { pods: new PodList(PodListKind.Deployment), owner: undefined, resolved: false });
          this.enqueue(st);
        }
      },
      podAdded: (p) => this.podChanged(p, true),
      podPhaseChanged: (p) => this.podChanged(p, true),
      podTerminating: (p) => this.podChanged(p, true),
      podDeleted: (p) => this.podChanged(p, false),
      // A node turning NotReady marks its pods not Ready (upstream node lifecycle
      // MarkPodsNotReady), its return Ready again: pod updates a rollout syncs on.
      nodeUpdated: (n, before, after) => {
        if (before.ready === after.ready) return;
        for (const p of n.pods) this.podChanged(p, true);
      },
      // Deployments of the start state sync once their ReplicaSets and pods are all known (as
      // upstream's workers start after WaitForCacheSync).
      startStateCommitted: () => {
        const waiting = [...this.waiting];
        this.waiting.clear();
        for (const st of waiting) this.sync(st);
      },
    });
    objects.watch({
      objectUpdated: (o) => {
        if (o.kind === 'Deployment') {
          const st = this.deployments.get(o.metadata.namespace)?.get(o.metadata.name);
          if (st !== undefined) this.enqueue(st);
        } else if (o.kind === 'ReplicaSet') {
          const st = this.ownerOf(o);
          if (st !== undefined) this.enqueue(st);
        }
      },
      objectDeleted: (o) => {
        if (o.kind === 'Deployment') {
          this.deployments.get(o.metadata.namespace)?.delete(o.metadata.name);
          this.ownersChanged();
        }
        else if (o.kind === 'ReplicaSet') {
          this.rsPods.delete(`${o.metadata.namespace}/${o.metadata.name}`);
          const st = this.ownerOf(o);
          if (st === undefined) return;
          const i = st.replicaSets.indexOf(o.metadata.name);
          if (i >= 0) st.replicaSets.splice(i, 1);
          this.enqueue(st);
        }
      },
    });
  }

  /** Adds a ReplicaSet to its Deployment's list, oldest first (upstream sorts old ReplicaSets
   * by ReplicaSetsByCreationTimestamp: creation time, then name). Only a snapshot's ReplicaSets
   * carry a creationTimestamp; one the run creates is newer than all of them and goes last, as
   * does a snapshot's without one (in commit order). */
  private insertByAge(st: DState, rs: WorkloadObject): void {
    const at = createdAtUs(rs);
    let i = st.replicaSets.length;
    if (at !== null) {
      i = st.replicaSets.findIndex((name) => {
        const other = this.objects.get('ReplicaSet', st.namespace, name);
        const t = other === undefined ? null : createdAtUs(other);
        return t === null || t > at || (t === at && name > rs.metadata.name);
      });
      if (i < 0) i = st.replicaSets.length;
    }
    st.replicaSets.splice(i, 0, rs.metadata.name);
  }

  /** A Deployment came or went: every ReplicaSet's owner is looked up again. */
  private ownersChanged(): void {
    for (const e of this.rsPods.values()) e.resolved = false;
  }

  /** A ReplicaSet's object changed in the store (its controllerRef may have). */
  private replicaSetChanged(o: WorkloadObject): void {
    if (o.kind !== 'ReplicaSet') return;
    const e = this.rsPods.get(`${o.metadata.namespace}/${o.metadata.name}`);
    if (e !== undefined) e.resolved = false;
  }

  private ownerOf(rs: WorkloadObject): DState | undefined {
    const c = controllerRef(rs);
    return c?.kind === 'Deployment' ? this.deployments.get(rs.metadata.namespace)?.get(c.name) : undefined;
  }

  private podChanged(p: PodInfo, live: boolean): void {
    if (p.ownerKind !== 'ReplicaSet') return;
    const e = this.rsPods.get(p.ownerKey);
    if (e === undefined) return;
    // Live pods only: a finished pod leaves the list (it stays in the store until the pod
    // garbage collector deletes it), so counting a ReplicaSet's pods does not grow with history.
    if (live && !p.deleted && !p.terminal) e.pods.add(p);
    else e.pods.delete(p);
    if (!e.resolved) {
      // The pod's ReplicaSet by its object key, built once per pod (PodInfo.ownerObjectKey).
      const rs = this.api.cluster.objects.get(p.ownerObjectKey);
      e.owner = rs === undefined ? undefined : this.ownerOf(rs);
      e.resolved = true;
    }
    const st = e.owner;
    if (st !== undefined && !st.settled) this.enqueue(st);
  }

  /** Syncs at once (inside the notification): the controller reads only the committed store,
   * and adds no events of its own, so runs without rollouts are unchanged by it. */
  private enqueue(st: DState): void {
    st.settled = false;
    if (this.api.startingUp) this.waiting.add(st);
    else this.sync(st);
  }

  /** Available pods of a ReplicaSet (isPodAvailable: Ready, not Terminating, on a Ready node;
   * and Ready for the Deployment's minReadySeconds, upstream IsPodAvailable). A pod Ready but
   * not available yet brings st.nextAvailableUs forward. */
  private available(st: DState, rs: ReplicaSetObject): number {
    let n = 0;
    const nodes = this.api.cluster.lastKnownNodes;
    const pods = this.rsPods.get(`${rs.metadata.namespace}/${rs.metadata.name}`)?.pods ?? [];
    if (st.minReadyUs === 0) {
      for (const p of pods) if (isPodAvailable(p, nodes)) n++;
      return n;
    }
    const now = this.api.sim.now;
    for (const p of pods) {
      if (!isPodAvailable(p, nodes)) continue;
      const from = availableFromUs(p, nodes, st.minReadyUs);
      if (from <= now) n++;
      else if (from < st.nextAvailableUs) st.nextAvailableUs = from;
    }
    return n;
  }

  /** Syncs `st` again at `atUs` (a pod becomes available then), unless a wake as early is
   * pending; a later one still pending finds nothing to do when it comes. */
  private wakeAt(st: DState, atUs: number): void {
    wakeAt(this.api.sim, st, atUs, 'deployment.min-ready', st.name, () => this.enqueue(st));
  }

  /** Pods of a ReplicaSet that still exist and are not finished, Terminating ones included:
   * Recreate waits until they are gone (upstream oldPodsRunning). */
  private existing(rs: ReplicaSetObject): number {
    let n = 0;
    for (const p of this.rsPods.get(`${rs.metadata.namespace}/${rs.metadata.name}`)?.pods ?? []) if (!p.terminal && !p.deleted) n++;
    return n;
  }

  /** Active pods of a ReplicaSet: not finished and not Terminating (upstream FilterActivePods,
   * what its status.replicas counts). */
  private active(rs: ReplicaSetObject): number {
    let n = 0;
    for (const p of this.rsPods.get(`${rs.metadata.namespace}/${rs.metadata.name}`)?.pods ?? []) if (!p.terminal && !p.deleted && !p.terminating) n++;
    return n;
  }

  private sync(st: DState): void {
    if (st.inflight > 0) return; // wait for our own writes to be observed
    const d = this.api.cluster.objects.get(objectKey('Deployment', st.namespace, st.name));
    if (d === undefined || !isKind(d, 'Deployment')) return;
    st.minReadyUs = minReadyUsOf(d.spec);
    const creates = this.creates;
    if (st.minReadyUs === 0) this.syncSpec(st, d);
    else {
      st.nextAvailableUs = Infinity;
      this.syncSpec(st, d);
      // upstream replica_set.go updatePod: enqueueRSAfter(rs, minReadySeconds + 1 s).
      if (st.nextAvailableUs !== Infinity) this.wakeAt(st, st.nextAvailableUs + 1_000_000);
    }
    // No ReplicaSet create to wait for: the sync succeeded (handleErr: queue.Forget).
    if (this.creates === creates) {
      if (st.failures > 0) this.limiter.forget(st);
      st.refused = null;
    }
  }

  /** Upstream handleErr for a sync that failed: AddRateLimited while NumRequeues < maxRetries
   * (one waiting entry per key, the earlier time kept), else Forget (dropped). */
  private retry(st: DState): void {
    if (st.failures >= DEPLOYMENT_MAX_RETRIES) {
      this.limiter.forget(st);
      return;
    }
    const sim = this.api.sim;
    const atUs = addTimeUs(sim.now, this.limiter.when(st, sim.now));
    if (atUs >= st.retryUs) return;
    st.retryUs = atUs;
    sim.scheduleAt(atUs, 'deployment.retry', st.name, () => {
      if (st.retryUs !== atUs) return;
      st.retryUs = Infinity;
      this.enqueue(st);
    });
  }

  /** Deployments whose new ReplicaSet the API server refused and that are still without it, by
   * object key ("Deployment/<ns>/<name>"): the rollout (or a new Deployment's first ReplicaSet)
   * is stalled, as upstream's condition Progressing=False, reason ReplicaSetCreateError
   * (sync.go getNewReplicaSet) tells. */
  stalledRollouts(): Map<string, { readonly name: string; readonly count: number; readonly reason: string }> {
    const out = new Map<string, { name: string; count: number; reason: string }>();
    for (const inNs of this.deployments.values()) {
      for (const st of inNs.values()) {
        const r = st.refused;
        if (r !== null && this.objects.get('ReplicaSet', st.namespace, r.name) === undefined) out.set(objectKey('Deployment', st.namespace, st.name), r);
      }
    }
    return out;
  }

  /** A run warning for each stalled rollout (stalledRollouts). */
  stallWarnings(stalled = this.stalledRollouts()): string[] {
    // Sorted by key: output does not follow the order Deployments were first seen in.
    return [...stalled].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([key, r]) => `${key.replace(/^Deployment\//, 'Deployment ')}: its rollout is stalled at the end: the new ReplicaSet ${r.name} was refused ${r.count} time${r.count === 1 ? '' : 's'} `
      + `(condition Progressing=False, reason ReplicaSetCreateError: Failed to create new replica set "${r.name}": ${r.reason}); `
      + `the Deployment controller retries a failed sync ${DEPLOYMENT_MAX_RETRIES} times (5 ms doubling), then only when the Deployment, one of its ReplicaSets or their pods change`);
  }

  private syncSpec(st: DState, d: ObjectOf<'Deployment'>): void {
    const spec = d.spec ?? {};
    const template = spec.template ?? {};
    const hash = podTemplateHash(template);
    const newName = `${st.name}-${hash}`;
    const all: ReplicaSetObject[] = [];
    for (const n of st.replicaSets) {
      const rs = this.objects.get('ReplicaSet', st.namespace, n);
      if (rs !== undefined && isKind(rs, 'ReplicaSet')) all.push(rs);
    }
    const newRS = all.find((rs) => rs.metadata.name === newName) ?? findNewReplicaSet(all, template);
    const old = all.filter((rs) => rs !== newRS);
    const replicas = spec.replicas ?? 1;
    // upstream syncDeployment: paused, or a scaling event, is only scaled (sync → scale).
    if (spec.paused === true || isScalingEvent(all, replicas)) {
      this.scaleOnly(st, spec, all, newRS);
      return;
    }
    if (spec.strategy?.type === 'Recreate') {
      // pkg/controller/deployment/recreate.go rolloutRecreate
      let scaled = false;
      for (const rs of old) if (replicasOf(rs) !== 0) { this.scale(st, rs, 0, spec); scaled = true; }
      if (scaled) return;
      if (old.some((rs) => this.existing(rs) > 0)) return;
      if (newRS === undefined) this.createReplicaSet(st, d, spec, hash, replicas);
      else if (replicasOf(newRS) !== replicas) this.scale(st, newRS, replicas, spec);
      else st.settled = true;
      return;
    }
    const { maxSurge, maxUnavailable } = resolveFenceposts(spec);
    const sum = (rss: readonly ReplicaSetObject[]) => rss.reduce((s, rs) => s + replicasOf(rs), 0);
    // For the surge, a ReplicaSet counts its active pods when they outnumber its replicas (pods
    // of a scale-down whose deletion has not committed yet). Terminating pods do not count, as
    // upstream by default (they may exceed the surge; KEP-3973's TerminationComplete would
    // count them).
    const present = (rss: readonly ReplicaSetObject[]) => rss.reduce((s, rs) => s + Math.max(replicasOf(rs), this.active(rs)), 0);
    if (newRS === undefined) {
      // getNewReplicaSet: a new RS with NewRSNewReplicas (from 0).
      this.createReplicaSet(st, d, spec, hash, Math.max(0, Math.min(replicas, replicas + maxSurge - present(old))));
      return;
    }
    // reconcileNewReplicaSet
    const nr = replicasOf(newRS);
    if (nr > replicas) {
      this.scale(st, newRS, replicas, spec);
      return;
    }
    if (nr < replicas) {
      const target = nr + Math.max(0, Math.min(replicas + maxSurge - present(all), replicas - nr));
      if (target !== nr) {
        this.scale(st, newRS, target, spec);
        return;
      }
    }
    // reconcileOldReplicaSets
    const oldActive = old.filter((rs) => replicasOf(rs) > 0);
    if (sum(oldActive) === 0) {
      st.settled = nr === replicas && old.every((rs) => this.active(rs) === 0);
      return;
    }
    const minAvailable = replicas - maxUnavailable;
    const newUnavailable = replicasOf(newRS) - this.available(st, newRS);
    const maxScaledDown = sum(all) - minAvailable - newUnavailable;
    if (maxScaledDown <= 0) return;
    // cleanupUnhealthyReplicas: old RSs' unavailable replicas first, oldest first.
    const target = new Map<ReplicaSetObject, number>();
    let cleaned = 0;
    for (const rs of oldActive) {
      if (cleaned >= maxScaledDown) break;
      const unhealthy = replicasOf(rs) - this.available(st, rs);
      if (unhealthy <= 0) continue;
      const down = Math.min(maxScaledDown - cleaned, unhealthy);
      target.set(rs, replicasOf(rs) - down);
      cleaned += down;
    }
    // scaleDownOldReplicaSetsForRollingUpdate: then available old replicas, oldest first.
    const cur = (rs: ReplicaSetObject) => target.get(rs) ?? replicasOf(rs);
    let availableAll = this.available(st, newRS);
    for (const rs of old) availableAll += Math.min(this.available(st, rs), cur(rs));
    const toScaleDown = availableAll - minAvailable;
    let scaledDown = 0;
    for (const rs of oldActive) {
      if (scaledDown >= toScaleDown) break;
      if (cur(rs) === 0) continue;
      const down = Math.min(cur(rs), toScaleDown - scaledDown);
      target.set(rs, cur(rs) - down);
      scaledDown += down;
    }
    for (const [rs, n] of target) if (n !== replicasOf(rs)) this.scale(st, rs, n, spec);
  }

  /** Upstream DeploymentController.scale, through scaleTargets. */
  private scaleOnly(st: DState, spec: DeploymentSpec, all: readonly ReplicaSetObject[], newRS: ReplicaSetObject | undefined): void {
    const writes = scaleTargets(spec, all, newRS, (rs) => this.available(st, rs), all.reduce((n, rs) => n + this.active(rs), 0));
    for (const [rs, n] of writes) this.scale(st, rs, n, spec);
    if (writes.length > 0) return;
    // Nothing to write: settled when one ReplicaSet is left with pods.
    const active = all.filter((rs) => replicasOf(rs) > 0);
    st.settled = active.length <= 1 && all.every((rs) => rs === active[0] || this.active(rs) === 0);
  }

  /** Upstream scaleReplicaSet: the new size and the Deployment's replicas annotations. */
  private scale(st: DState, rs: ReplicaSetObject, replicas: number, spec: DeploymentSpec): void {
    const annotations = { ...(rs.metadata.annotations ?? {}), ...replicasAnnotations(spec) };
    const scaled = withSpec(rs, { ...rs.spec, replicas });
    st.inflight++;
    this.objects.updateObject({ ...scaled, metadata: { ...scaled.metadata, annotations } }, () => {
      st.inflight--;
      this.enqueue(st);
    });
  }

  private createReplicaSet(st: DState, d: WorkloadObject, spec: DeploymentSpec, hash: string, replicas: number): void {
    const rs = newReplicaSetObject(d, spec, hash, replicas);
    st.inflight++;
    this.creates++;
    this.api.createObject(rs, (ok, refused) => {
      st.inflight--;
      if (ok) {
        st.refused = null;
        this.limiter.forget(st);
        this.enqueue(st);
        return;
      }
      if (refused === undefined) {
        // AlreadyExists: the store has it (upstream getNewReplicaSet takes the stored one).
        this.enqueue(st);
        return;
      }
      // Refused by admission: the sync failed, retried through the rate limiter, not at once.
      const name = rs.metadata.name;
      st.refused = st.refused?.name === name ? { name, count: st.refused.count + 1, reason: refused } : { name, count: 1, reason: refused };
      this.retry(st);
    });
  }
}

/**
 * Upstream DeploymentController.scale (sync.go) as the ReplicaSet writes it makes, each with its
 * new size (a write also brings the Deployment's replicas annotations). `all` is oldest first;
 * `available` a ReplicaSet's available pods; `statusReplicas` the Deployment's status.replicas
 * (its active pods: the proportion's base for a ReplicaSet without max-replicas).
 *  - One active ReplicaSet, or none (then the new one, else the newest): it gets spec.replicas.
 *  - A saturated new ReplicaSet (its replicas, annotated so, all available): the old ones go to 0.
 *  - Else, in a rolling update, the change to replicas + maxSurge is shared in proportion to the
 *    sizes (GetReplicaSetProportion), larger ReplicaSets first (among equal sizes the newer when
 *    scaling up, the older when down), the leftover to the first; every active one is written.
 */
export function scaleTargets(
  spec: DeploymentSpec,
  all: readonly ReplicaSetObject[],
  newRS: ReplicaSetObject | undefined,
  available: (rs: ReplicaSetObject) => number,
  statusReplicas: number,
): [ReplicaSetObject, number][] {
  const replicas = spec.replicas ?? 1;
  const active = all.filter((rs) => replicasOf(rs) > 0);
  // FindActiveOrLatest
  const latest = active.length === 0 ? (newRS ?? all[all.length - 1]) : undefined;
  const only = active.length === 1 ? active[0] : latest;
  if (only !== undefined) return replicasOf(only) === replicas ? [] : [[only, replicas]];
  if (active.length === 0) return [];
  // IsSaturated
  if (newRS !== undefined && replicasOf(newRS) === replicas && intAnnotation(newRS, DESIRED_REPLICAS_ANNOTATION) === replicas && available(newRS) === replicas) {
    return active.filter((rs) => rs !== newRS).map((rs) => [rs, 0]);
  }
  if (spec.strategy?.type === 'Recreate') return [];
  const allowedSize = replicas > 0 ? replicas + resolveFenceposts(spec).maxSurge : 0;
  const toAdd = allowedSize - active.reduce((n, rs) => n + replicasOf(rs), 0);
  // ReplicaSetsBySizeNewer (up) / BySizeOlder (down); `active` is oldest first.
  const order = active.map((rs, i) => ({ rs, i })).sort((a, b) => replicasOf(b.rs) - replicasOf(a.rs) || (toAdd > 0 ? b.i - a.i : a.i - b.i)).map((x) => x.rs);
  const sizes: number[] = [];
  let added = 0;
  for (const rs of order) {
    let proportion = 0;
    if (toAdd !== 0 && toAdd !== added) {
      // getReplicaSetFraction
      let fraction: number;
      if (replicas === 0) fraction = -replicasOf(rs);
      else {
        const annotated = intAnnotation(rs, MAX_REPLICAS_ANNOTATION) ?? statusReplicas;
        fraction = annotated === 0 ? 0 : roundHalfAwayFromZero((replicasOf(rs) * allowedSize) / annotated) - replicasOf(rs);
      }
      const allowed = toAdd - added;
      proportion = toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
    }
    sizes.push(replicasOf(rs) + proportion);
    added += proportion;
  }
  if (toAdd !== 0) sizes[0] = Math.max(0, (sizes[0] as number) + toAdd - added);
  // scaleReplicaSet writes when the size or the annotations change.
  return order.flatMap((rs, i): [ReplicaSetObject, number][] => {
    const n = sizes[i] as number;
    return n !== replicasOf(rs) || annotationsNeedUpdate(rs, spec) ? [[rs, n]] : [];
  });
}

/** Upstream SetReplicasAnnotations' two annotations for the Deployment's spec: its replicas,
 * and those plus its maxSurge (deploymentutil.MaxSurge: 0 for Recreate). */
function replicasAnnotations(spec: DeploymentSpec): Record<string, string> {
  const desired = spec.replicas ?? 1;
  const maxSurge = spec.strategy?.type === 'Recreate' ? 0 : resolveFenceposts(spec).maxSurge;
  return { [DESIRED_REPLICAS_ANNOTATION]: String(desired), [MAX_REPLICAS_ANNOTATION]: String(desired + maxSurge) };
}

/** Upstream ReplicasAnnotationsNeedUpdate. */
function annotationsNeedUpdate(rs: ReplicaSetObject, spec: DeploymentSpec): boolean {
  const want = replicasAnnotations(spec);
  return Object.entries(want).some(([k, v]) => rs.metadata.annotations?.[k] !== v);
}

/** Upstream isScalingEvent: an active ReplicaSet annotated with other desired replicas than the
 * Deployment's (ReplicaSets without the annotation say nothing). */
function isScalingEvent(all: readonly ReplicaSetObject[], replicas: number): boolean {
  return all.some((rs) => {
    if (replicasOf(rs) <= 0) return false;
    const desired = intAnnotation(rs, DESIRED_REPLICAS_ANNOTATION);
    return desired !== null && desired !== replicas;
  });
}

/** The ReplicaSet the Deployment controller creates for Deployment `d` (its spec `spec`) whose
 * template hashes to `hash` (upstream sync.go getNewReplicaSet): named `<deployment>-<hash>`,
 * its template and selector carrying the pod-template-hash label, owned by the Deployment. */
export function newReplicaSetObject(d: WorkloadObject, spec: DeploymentSpec, hash: string, replicas: number): ReplicaSetObject {
  const template = spec.template ?? {};
  const labels = { ...(template.metadata?.labels ?? {}), [POD_TEMPLATE_HASH]: hash };
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `${d.metadata.name}-${hash}`,
      namespace: d.metadata.namespace,
      labels,
      annotations: replicasAnnotations(spec),
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: d.metadata.name, controller: true, blockOwnerDeletion: true }],
    },
    spec: {
      replicas,
      // Upstream getNewReplicaSet copies it (ksim's controller reads the Deployment's).
      ...(spec.minReadySeconds !== undefined ? { minReadySeconds: spec.minReadySeconds } : {}),
      selector: {
        ...(spec.selector ?? {}),
        matchLabels: { ...(spec.selector?.matchLabels ?? {}), [POD_TEMPLATE_HASH]: hash },
      },
      template: { ...template, metadata: { ...(template.metadata ?? {}), labels } },
    },
  };
}

/** Upstream deploymentutil.FindNewReplicaSet: the oldest ReplicaSet whose pod template equals
 * the Deployment's, ignoring the pod-template-hash label (EqualIgnoreHash) and ksim's own
 * ksim.io/workload annotation (which entry the pods are counted to, no part of the template
 * upstream sees). ksim names the ReplicaSets it creates after its own hash (found by name
 * first); this finds those of a cluster snapshot, whose hash upstream computed, and an old
 * ReplicaSet a rollback brings back whose template another entry's name is on (a rollback to
 * one of a snapshot's old ReplicaSets: upstream getNewReplicaSet scales it up again, no new
 * ReplicaSet). */
export function findNewReplicaSet(rss: readonly ReplicaSetObject[], template: PodTemplateSpec): ReplicaSetObject | undefined {
  const want = hashlessKey(template);
  return rss.find((rs) => hashlessKey(rs.spec?.template ?? {}) === want);
}

/** Upstream EqualIgnoreHash: two pod templates equal but for the pod-template-hash label (and
 * ksim.io/workload). */
export function equalIgnoreHash(a: PodTemplateSpec, b: PodTemplateSpec): boolean {
  return hashlessKey(a) === hashlessKey(b);
}

/** A template without the pod-template-hash label, as the API server stores it (defaults filled
 * in, empty and null fields dropped: comparableTemplate), so that a snapshot's ReplicaSet, whose
 * template a dump shows defaulted, equals the same template written without them; without
 * ksim.io/workload: its canonical JSON (templateKey). */
function hashlessKey(t: PodTemplateSpec): string {
  // kubectl prints a template's unset creationTimestamp as null: comparableTemplate drops nulls.
  return templateKey(t, TEMPLATE_KEYS_IGNORED);
}

const TEMPLATE_KEYS_IGNORED = { labels: [POD_TEMPLATE_HASH], annotations: [WORKLOAD_ANNOTATION] };
