// The node lifecycle controller (kube-controller-manager, upstream
// pkg/controller/nodelifecycle/node_lifecycle_controller.go), as client "controller-manager/node-controller":
// every node-monitor-period (5 s) it looks at each node; a node's probe timestamp moves to "now"
// when the controller sees its Lease's renewTime advance (upstream tryUpdateNodeHealth). When
// now > probe + node-monitor-grace-period (50 s since v1.32) the node's Ready condition becomes
// Unknown (NodeInfo.ready = false) with the taint node.kubernetes.io/unreachable:NoSchedule at
// once (TaintNodesByCondition) and, at the next pass, is queued for
// node.kubernetes.io/unreachable:NoExecute, which a per-zone rate limiter lets through
// (doNoExecuteTaintingPass). When leases resume the node is
// Ready again and both taints go.
//
// Zone states and rates (upstream ComputeZoneState / handleDisruption / setLimiterInZone):
// FullDisruption = no Ready node and at least one not Ready; PartialDisruption = more than 2 not
// Ready and notReady/(notReady+ready) >= unhealthy-zone-threshold (0.55); Normal otherwise.
// Normal → --node-eviction-rate 0.1 nodes/s; Partial → --secondary-node-eviction-rate 0.01 if the
// zone has more than --large-cluster-size-threshold (50) nodes, else 0; Full → 0.1. When every
// zone is fully disrupted the controller stops evicting and removes the NoExecute taints; when it
// leaves that mode it resets every probe timestamp to now.
// The limiters (upstream scheduler/rate_limited_queue.go, client-go util/flowcontrol/throttle.go,
// golang.org/x/time/rate v0.14 as client-go v0.36 requires): a zone's first limiter is
// flowcontrol.NewTokenBucketRateLimiter(--node-eviction-rate, burst 1) (addPodEvictorForNewZone),
// full when made. A rate.Limiter starts with its burst of tokens and refills at its rate, so one
// made at rate 0 lets one node through and never another (x/time's TestZeroLimit: the first
// Allow true, the second false; before v0.7 its `lim.limit == 0` branch spent the burst the same
// way, golang/go#39984): at --node-eviction-rate 0 the first node queued in each zone is tainted.
// SwapLimiter(qps) does nothing when the limiter's QPS() is qps already; else it makes
// NewFakeNeverRateLimiter() for qps <= 0 (no token ever, and its QPS() is 1, so a later swap to
// 1 nodes/s keeps it: a zone swapped to rate 0 once taints no more at a rate of exactly 1), or a
// token bucket of qps, burst 1, drained at once when the old limiter had no token.
// A node labelled node.kubernetes.io/exclude-disruption (any value) is left out of its zone's
// health: upstream monitorNodeHealth adds its Ready condition to zoneToNodeConditions only
// `if !isNodeExcludedFromDisruptionChecks(node)`, so the zone's state, its size for
// --large-cluster-size-threshold and master disruption mode count the other nodes only; the
// label changes nothing else there (the node is still marked NotReady, queued in its zone and
// tainted at its zone's rate). A zone of excluded nodes only has no state upstream (its limiter
// is made anew at --node-eviction-rate on the passes that find the zone new again, which Go's map
// order decides): ksim keeps it Normal at --node-eviction-rate and out of master disruption.
// The figures are upstream's defaults; a scenario sets its own under controlPlane.controllerManager
// (nodeMonitorGracePeriod, nodeEvictionRate, secondaryNodeEvictionRate, unhealthyZoneThreshold,
// largeClusterSizeThreshold: the flags' names in camelCase, read by src/workload/scenario.ts).
// Simplifications: the label and the zone are the node's when it joins; the taint pass runs when a token becomes free instead of every 100 ms; the
// node-startup grace period is not used (nodes are Ready at the start, but a snapshot's node
// whose Ready condition is False or Unknown, which starts NotReady).
import type { Taint } from 'kubernetes-types/core/v1.js';
import type { Simulation } from '../engine/simulation.js';
import type { ApiServer } from '../controlplane/api-server.js';
import type { ClusterState } from '../cluster/cluster-state.js';
import type { NodeInfo } from '../cluster/node-info.js';
import { isKind } from '../cluster/workload-object.js';
import { TAINT_NOT_READY, TAINT_UNREACHABLE } from '../controlplane/admission.js';
import { LEASE_KIND, type NodeLease } from '../controlplane/node-lease.js';

/** Upstream labelNodeDisruptionExclusion (node_lifecycle_controller.go). */
export const LABEL_EXCLUDE_DISRUPTION = 'node.kubernetes.io/exclude-disruption';

export interface NodeLifecycleOptions {
  readonly monitorPeriodUs: number;
  readonly gracePeriodUs: number;
  readonly evictionRate: number;
  readonly secondaryEvictionRate: number;
  readonly largeClusterThreshold: number;
  readonly unhealthyZoneThreshold: number;
}

/** Upstream kube-controller-manager defaults (reference sheet B1, B4). */
export const NODE_LIFECYCLE_DEFAULTS: NodeLifecycleOptions = {
  monitorPeriodUs: 5_000_000,
  gracePeriodUs: 50_000_000,
  evictionRate: 0.1,
  secondaryEvictionRate: 0.01,
  largeClusterThreshold: 50,
  unhealthyZoneThreshold: 0.55,
};

export type ZoneState = 'Normal' | 'PartialDisruption' | 'FullDisruption';

/** Upstream ComputeZoneState: a zone of `size` nodes with `notReady` of them NotReady. */
export function zoneState(notReady: number, size: number, opts: NodeLifecycleOptions): ZoneState {
  const ready = size - notReady;
  if (ready === 0 && notReady > 0) return 'FullDisruption';
  if (notReady > 2 && notReady / (notReady + ready) >= opts.unhealthyZoneThreshold) return 'PartialDisruption';
  return 'Normal';
}

/** Upstream ReducedQPSFunc / the primary rate: nodes a second the zone's NoExecute tainting may
 * take (0: a small zone partly down; a limiter swapped to 0 takes none, one made at 0 takes one:
 * see the module comment). */
export function zoneEvictionRate(state: ZoneState, size: number, opts: NodeLifecycleOptions): number {
  if (state === 'PartialDisruption') return size > opts.largeClusterThreshold ? opts.secondaryEvictionRate : 0;
  return opts.evictionRate;
}

/** What the recovery metrics hear from the controller (at the time the write is sent). */
export interface NodeLifecycleObserver {
  nodeNotReady?(node: string, timeUs: number): void;
  nodeReady?(node: string, timeUs: number): void;
  /** The controller saw a renewal of the node's lease (its probe timestamp moved to now). */
  leaseSeen?(node: string, timeUs: number): void;
  nodeTainted?(node: string, timeUs: number): void;
}

interface NodeHealth {
  probeUs: number;
  /** Last lease renewTime the controller has seen (informer cache): renewals through the node's
   * NodeLease are read from it on each monitor pass, other Lease updates as they are heard. */
  seenRenew: number;
  /** The node's NodeLease, once its kubelet has one (looked up until then). */
  lease: NodeLease | null;
  /** renewTime at the last probe update. */
  probedRenew: number;
  ready: boolean;
  /** Desired controller taints. */
  noSchedule: boolean;
  noExecute: boolean;
  /** In its zone's taint queue (a flag, since the queue is looked up on every monitor pass). */
  queued: boolean;
  /** The zone it is in (its zone when it joined). */
  readonly zone: Zone;
  /** Counted in its zone's health: not labelled node.kubernetes.io/exclude-disruption when it
   * joined. */
  readonly counted: boolean;
}

interface Zone {
  /** Its nodes counted in its health (upstream zoneToNodeConditions: not excluded from
   * disruption checks). */
  size: number;
  /** How many of those are not Ready, kept as their health changes (a pass used to look each
   * node up: 65,000 lookups every 5 s). */
  notReady: number;
  state: ZoneState;
  /** Its limiter's QPS() (upstream RateLimiter.QPS: the token bucket's rate; 1 for the fake
   * never limiter). */
  qps: number;
  /** The rate its tokens come back at (0: none comes back). */
  refill: number;
  /** When it next has a token (Infinity: never). */
  nextTokenUs: number;
  /** Nodes waiting for the NoExecute taint, in order. */
  readonly queue: string[];
  pass: boolean;
  /** Since when NotReady nodes wait in its queue on a limiter that never grants (-1: none do),
   * how long they did so in all, the most that waited at once and why (evictionHoldWarnings). */
  heldSinceUs: number;
  heldUs: number;
  heldNodes: number;
  heldWhy: string;
}

/** NotReady nodes held this long on a zone limiter that never grants are worth a warning (µs). */
export const EVICTION_HOLD_WARN_US = 60_000_000;

/** flowcontrol's fakeNeverRateLimiter.QPS(). */
const NEVER_LIMITER_QPS = 1;

export const UNREACHABLE_NO_SCHEDULE: Taint = { key: TAINT_UNREACHABLE, effect: 'NoSchedule' };
export const UNREACHABLE_NO_EXECUTE: Taint = { key: TAINT_UNREACHABLE, effect: 'NoExecute' };

export class NodeLifecycleController {
  private readonly health = new Map<string, NodeHealth>();
  private readonly zones = new Map<string, Zone>();
  private masterDisruption = false;
  private readonly dirty = new Set<string>();

  constructor(
    private readonly sim: Simulation,
    private readonly api: ApiServer,
    private readonly cluster: ClusterState,
    private readonly opts: NodeLifecycleOptions = NODE_LIFECYCLE_DEFAULTS,
    private readonly observer: NodeLifecycleObserver = {},
  ) {
    api.watch({
      nodeAdded: (n) => this.track(n),
      nodeDeleted: (n) => this.forget(n.name),
      // A Lease written otherwise than by its kubelet's renewals (NodeLease.heardRenewUs).
      objectUpdated: (o) => {
        if (!isKind(o, LEASE_KIND)) return;
        const h = this.health.get(o.metadata.name);
        const renew = o.spec?.renewTime ?? 0;
        if (h !== undefined && renew > h.seenRenew) h.seenRenew = renew;
      },
    });
    this.sim.schedule(opts.monitorPeriodUs, 'node-lifecycle.monitor', '', () => this.monitor());
  }

  zoneState(zone: string): ZoneState | undefined {
    return this.zones.get(zone)?.state;
  }

  private track(n: NodeInfo): void {
    if (this.health.has(n.name)) return;
    // A snapshot's node that is not Ready starts NotReady with the controller's NoSchedule taint;
    // a NoExecute taint it already has is the controller's too, else it is queued for one.
    const tainted = (effect: string) => n.taints.some((t) => (t.key === TAINT_UNREACHABLE || t.key === TAINT_NOT_READY) && t.effect === effect);
    const noExecute = !n.ready && tainted('NoExecute');
    let z = this.zones.get(n.zone);
    if (z === undefined) this.zones.set(n.zone, (z = { size: 0, notReady: 0, state: 'Normal', qps: this.opts.evictionRate, refill: this.opts.evictionRate, nextTokenUs: 0, queue: [], pass: false, heldSinceUs: -1, heldUs: 0, heldNodes: 0, heldWhy: '' }));
    const counted = !(LABEL_EXCLUDE_DISRUPTION in n.labels);
    const h: NodeHealth = { probeUs: this.sim.now, seenRenew: 0, probedRenew: 0, ready: n.ready, noSchedule: !n.ready, noExecute, queued: false, zone: z, counted, lease: null };
    this.health.set(n.name, h);
    if (counted) z.size++;
    if (!n.ready && counted) z.notReady++;
    if (!n.ready && !noExecute) this.enqueue(n.name);
    // The first pass sets its taints to what its readiness says (a Ready node's leftover
    // unreachable or not-ready taints go, as upstream's tainting passes do).
    if (!n.ready || tainted('NoSchedule') || tainted('NoExecute')) this.dirty.add(n.name);
  }

  /** A deleted node leaves the controller's books (upstream monitorNodeHealth: a node gone from
   * the lister is deleted from nodeHealthMap and knownNodeSet, and its zone's Ready counts are
   * made from the nodes listed, so it no longer counts in its zone's state or size; a queued
   * taint of a node not found is dropped: processTaintBaseEviction's NotFound). Heard through
   * the informer, as upstream's lister hears it. */
  private forget(name: string): void {
    const h = this.health.get(name);
    if (h === undefined) return;
    this.health.delete(name);
    this.dirty.delete(name);
    const z = h.zone;
    if (h.counted) {
      z.size--;
      if (!h.ready) z.notReady--;
    }
    if (h.queued) z.queue.splice(z.queue.indexOf(name), 1);
  }

  private monitor(): void {
    const now = this.sim.now;
    for (const [name, h] of this.health) {
      const lease = h.lease ?? (h.lease = this.api.nodeLease(name) ?? null);
      if (lease !== null && lease.heardRenewUs > h.seenRenew) h.seenRenew = lease.heardRenewUs;
      if (h.seenRenew > h.probedRenew) {
        h.probedRenew = h.seenRenew;
        h.probeUs = now;
        this.observer.leaseSeen?.(name, now);
      }
      if (h.ready && now > h.probeUs + this.opts.gracePeriodUs) {
        h.ready = false;
        if (h.counted) h.zone.notReady++;
        h.noSchedule = true;
        this.dirty.add(name);
        this.observer.nodeNotReady?.(name, now);
        // Queued for the NoExecute taint on the next pass, not this one: upstream
        // monitorNodeHealth hands processTaintBaseEviction the Ready condition observed before
        // this pass's update (still True), so the node is queued when next seen Unknown.
      } else if (!h.ready && h.probeUs === now) {
        h.ready = true;
        if (h.counted) h.zone.notReady--;
        h.noSchedule = false;
        this.markReachable(name);
        this.dirty.add(name);
        this.observer.nodeReady?.(name, now);
      } else if (!h.ready && !h.noExecute) {
        // Still unreachable and not tainted (its taint was cleared in master disruption mode):
        // queued again on every pass, as upstream processTaintBaseEviction does.
        this.enqueue(name);
      }
    }
    this.handleDisruption();
    for (const z of this.zones.values()) {
      this.taintPass(z);
      this.noteHeld(z, now);
    }
    this.flush();
    this.sim.schedule(this.opts.monitorPeriodUs, 'node-lifecycle.monitor', '', () => this.monitor());
  }

  /** Keeps the record of a zone whose NotReady nodes wait for a NoExecute taint its limiter will
   * never grant (rate 0): what evictionHoldWarnings reports. */
  private noteHeld(z: Zone, now: number): void {
    const held = z.queue.length > 0 && z.nextTokenUs === Infinity;
    if (held) {
      if (z.heldSinceUs < 0) {
        z.heldSinceUs = now;
        z.heldWhy = this.heldReason(z);
      }
      z.heldNodes = Math.max(z.heldNodes, z.queue.length);
    } else if (z.heldSinceUs >= 0) {
      z.heldUs += now - z.heldSinceUs;
      z.heldSinceUs = -1;
    }
  }

  /** Why a zone's limiter grants no token, and the settings that decide it (the module comment;
   * upstream handleDisruption, ReducedQPSFunc and SwapLimiter, pkg/controller/nodelifecycle/). */
  private heldReason(z: Zone): string {
    const o = this.opts;
    const f = 'controlPlane.controllerManager';
    if (this.masterDisruption) return 'every zone is FullDisruption (no Ready node anywhere): the controller stops evicting until one is Ready again (upstream handleDisruption)';
    const set = (names: string) => ` (set by ${f}.${names})`;
    if (z.state === 'PartialDisruption') {
      const partial = `zone state PartialDisruption (${z.notReady} of ${z.size} nodes NotReady: more than 2 and at least ${f}.unhealthyZoneThreshold ${o.unhealthyZoneThreshold})`;
      if (z.size <= o.largeClusterThreshold) return `${partial} in a zone of at most ${f}.largeClusterSizeThreshold ${o.largeClusterThreshold} nodes: eviction rate 0 (upstream ReducedQPSFunc; ${f}.secondaryNodeEvictionRate ${o.secondaryEvictionRate} applies only to larger zones)${set('unhealthyZoneThreshold, largeClusterSizeThreshold, secondaryNodeEvictionRate')}`;
      return `${partial}: eviction rate ${f}.secondaryNodeEvictionRate ${o.secondaryEvictionRate}${set('secondaryNodeEvictionRate, unhealthyZoneThreshold')}`;
    }
    if (z.qps === NEVER_LIMITER_QPS && z.refill === 0) return `its limiter, swapped to rate 0 while the zone was PartialDisruption, is upstream's never limiter, whose QPS() reads 1, so the swap to ${f}.nodeEvictionRate ${o.evictionRate} kept it (SwapLimiter)${set('nodeEvictionRate, unhealthyZoneThreshold, largeClusterSizeThreshold')}`;
    return `eviction rate ${f}.nodeEvictionRate ${o.evictionRate}: the zone's first limiter let one node through and no other${set('nodeEvictionRate')}`;
  }

  /** One warning per zone whose NotReady nodes waited at least EVICTION_HOLD_WARN_US for their
   * NoExecute taint on a limiter that never grants one: their pods are not evicted, so not
   * replaced, until the nodes are back (or never). `endUs`: the end of the run. */
  evictionHoldWarnings(endUs: number): string[] {
    const out: string[] = [];
    for (const [name, z] of [...this.zones].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
      const open = z.heldSinceUs >= 0;
      const us = z.heldUs + (open ? endUs - z.heldSinceUs : 0);
      // A zone that passes through PartialDisruption for a pass or two on its way to
      // FullDisruption (a zone outage's nodes seen NotReady a tick apart) is not worth one.
      if (us < EVICTION_HOLD_WARN_US) continue;
      const s = Math.round(us / 1e6).toLocaleString('en-US');
      const until = open ? ' (to the end of the run)' : '';
      out.push(`the node lifecycle controller did not evict in zone ${name}: ${z.heldNodes} NotReady node(s) waited ${s} s${until} for the NoExecute taint that evicts their pods, so their pods were neither evicted nor replaced meanwhile: ${z.heldWhy}`);
    }
    return out;
  }

  /** The zone a node was counted in when it joined (its health record: a node deleted and
   * not yet heard of as such is no longer in the cluster). */
  private zoneOf(node: string): Zone {
    return (this.health.get(node) as NodeHealth).zone;
  }

  private enqueue(node: string): void {
    const h = this.health.get(node) as NodeHealth;
    if (h.queued) return;
    h.queued = true;
    this.zoneOf(node).queue.push(node);
  }

  /** Upstream markNodeAsReachable: NoExecute taint off, out of the tainting queue. */
  private markReachable(node: string): void {
    const h = this.health.get(node) as NodeHealth;
    if (h.noExecute) this.dirty.add(node);
    h.noExecute = false;
    if (!h.queued) return;
    h.queued = false;
    const z = this.zoneOf(node);
    z.queue.splice(z.queue.indexOf(node), 1);
  }

  private computeZoneState(z: Zone): ZoneState {
    return zoneState(z.notReady, z.size, this.opts);
  }

  private rateFor(z: Zone, state: ZoneState): number {
    return zoneEvictionRate(state, z.size, this.opts);
  }

  /** Upstream RateLimitedTimedQueue.SwapLimiter (pkg/controller/nodelifecycle/scheduler/
   * rate_limited_queue.go): nothing when the limiter's QPS() is `qps` already (compared as
   * float32); for qps <= 0 flowcontrol's fake never limiter (no token, QPS() 1); else a new token
   * bucket, full, but drained at once when the old limiter had no token ("if we're currently
   * waiting on limiter, we drain the new one"). */
  private setRate(z: Zone, qps: number): void {
    if (Math.fround(z.qps) === Math.fround(qps)) return;
    const now = this.sim.now;
    const oldHadToken = now >= z.nextTokenUs;
    if (qps <= 0) {
      z.qps = NEVER_LIMITER_QPS;
      z.refill = 0;
      z.nextTokenUs = Infinity;
      return;
    }
    z.qps = qps;
    z.refill = qps;
    z.nextTokenUs = oldHadToken ? now : now + Math.round(1e6 / qps);
  }

  private handleDisruption(): void {
    const states = new Map<Zone, ZoneState>();
    // Only zones with a node counted in their health (upstream zoneToNodeConditions' keys): with
    // none, upstream's allAreFullyDisrupted and allWasFullyDisrupted are both true, which changes
    // nothing.
    let allFull = false;
    let counted = false;
    for (const z of this.zones.values()) {
      if (z.size === 0) continue;
      if (!counted) allFull = counted = true;
      const s = this.computeZoneState(z);
      states.set(z, s);
      if (s !== 'FullDisruption') allFull = false;
    }
    if (allFull) {
      if (!this.masterDisruption) {
        this.masterDisruption = true;
        for (const name of this.health.keys()) this.markReachable(name);
      }
      for (const [z, s] of states) {
        z.state = s;
        this.setRate(z, 0);
      }
      return;
    }
    if (this.masterDisruption) {
      this.masterDisruption = false;
      const now = this.sim.now;
      for (const h of this.health.values()) h.probeUs = now;
      for (const [z, s] of states) {
        z.state = s;
        this.setRate(z, this.rateFor(z, s));
      }
      return;
    }
    for (const [z, s] of states) {
      if (s === z.state) continue;
      z.state = s;
      this.setRate(z, this.rateFor(z, s));
    }
  }

  /** Taints queued nodes while the zone's limiter has a token; comes back when the next is free. */
  private taintPass(z: Zone): void {
    const now = this.sim.now;
    while (z.queue.length > 0 && now >= z.nextTokenUs) {
      const node = z.queue.shift() as string;
      const h = this.health.get(node) as NodeHealth;
      h.queued = false;
      if (h.ready) continue;
      z.nextTokenUs = z.refill > 0 ? now + Math.round(1e6 / z.refill) : Infinity;
      h.noExecute = true;
      this.dirty.add(node);
      this.observer.nodeTainted?.(node, now);
    }
    if (z.queue.length > 0 && z.nextTokenUs !== Infinity && !z.pass) {
      z.pass = true;
      this.sim.scheduleAt(Math.max(z.nextTokenUs, now + 1), 'node-lifecycle.taint-pass', '', () => {
        z.pass = false;
        this.taintPass(z);
        this.flush();
      });
    }
  }

  /** One node update per changed node: readiness and the controller's taints on top of the
   * node's other taints. */
  private flush(): void {
    for (const name of this.dirty) {
      const n = this.cluster.nodeByName.get(name);
      const h = this.health.get(name);
      if (n === undefined || h === undefined) continue;
      const taints = n.taints.filter((t) => t.key !== TAINT_UNREACHABLE && t.key !== TAINT_NOT_READY);
      if (h.noSchedule) taints.push(UNREACHABLE_NO_SCHEDULE);
      if (h.noExecute) taints.push(UNREACHABLE_NO_EXECUTE);
      this.api.updateNode(name, { ready: h.ready, taints });
    }
    this.dirty.clear();
  }
}
