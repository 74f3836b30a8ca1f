// Helpers for the invariant checker's tests.
import assert from 'node:assert/strict';
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import type { ClusterState } from '../cluster/cluster-state.js';
import type { PodInfo } from '../cluster/pod-info.js';
import type { SimEvent } from '../engine/event-queue.js';
import { Simulation } from '../engine/simulation.js';
import { buildCluster, podInfo } from '../testing/builders.js';
import { InvariantChecker, type InvariantCheckerOptions } from './checker.js';
import { InvariantViolation } from './violation.js';

export interface Setup {
  readonly cluster: ClusterState;
  readonly sim: Simulation;
  readonly checker: InvariantChecker;
}

/** A cluster of `nodes` with `pods` (bound ones placed), and a checker watching it. */
export function setup(nodes: readonly Node[], pods: readonly Pod[] = [], opts: InvariantCheckerOptions = {}): Setup {
  const cluster = buildCluster(nodes, pods);
  const sim = new Simulation();
  return { cluster, sim, checker: new InvariantChecker(sim, cluster, opts) };
}

/** Adds `pod` to the store and places it on `node` the way the scheduler does (assume). */
export function place(cluster: ClusterState, pod: Pod, node: string): PodInfo {
  const p = podInfo(pod);
  cluster.addPod(p);
  cluster.assume(p, cluster.mustNode(node));
  return p;
}

/** Asserts that `fn` throws the InvariantViolation `invariant` whose detail contains `detail`. */
export function assertViolation(fn: () => unknown, invariant: string, detail: string): InvariantViolation {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  assert.ok(caught instanceof InvariantViolation, `expected InvariantViolation ${invariant}, got ${caught === undefined ? 'no error' : String(caught)}`);
  assert.equal(caught.invariant, invariant, caught.message);
  assert.ok(caught.detail.includes(detail), `detail ${JSON.stringify(caught.detail)} lacks ${JSON.stringify(detail)}`);
  return caught;
}

/** A stand-in engine event for calling the checker's hooks directly. */
export function fakeEvent(time: number, seq: number, kind = 'test.event', subject = ''): SimEvent {
  return { time, seq, kind, subject, action: () => {}, target: undefined, cancelled: false };
}
