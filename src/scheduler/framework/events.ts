// Cluster events and queueing hints: which changes can make a pod that a plugin rejected
// schedulable again. Upstream pkg/scheduler/framework/events.go (event kinds, how node and pod
// updates are classified) and k8s.io/kube-scheduler/framework (ActionType bits, QueueingHint,
// EnqueueExtensions). The scheduling queue asks the plugins that rejected a pod, through the
// hints they register, whether an event is worth a retry (scheduling_queue.go isPodWorthRequeuing).
import type { Taint } from 'kubernetes-types/core/v1.js';
import type { Labels } from '../../api/labels.js';
import type { NodeView } from '../../cluster/node-info.js';
import type { PodInfo } from '../../cluster/pod-info.js';
import type { Plugin } from './interfaces.js';

export type { NodeView } from '../../cluster/node-info.js';
export { snapshotNode } from '../../cluster/node-info.js';

/** Upstream fwk.ActionType bits (a runtime object, so JavaScript plugins can use it). */
export const ActionType = {
  Add: 1 << 0,
  Delete: 1 << 1,
  UpdateNodeAllocatable: 1 << 2,
  UpdateNodeLabel: 1 << 3,
  UpdateNodeTaint: 1 << 4,
  UpdateNodeCondition: 1 << 5,
  UpdateNodeAnnotation: 1 << 6,
  UpdatePodLabel: 1 << 7,
  UpdatePodScaleDown: 1 << 8,
  UpdatePodToleration: 1 << 9,
  UpdatePodSchedulingGatesEliminated: 1 << 10,
  UpdatePodGeneratedResourceClaim: 1 << 11,
  /** Any update (every Update* bit). */
  Update: (1 << 12) - 4,
  All: (1 << 12) - 1,
} as const;

/** What changed. Plugins register `Pod` (matching assigned and unscheduled pods), `Node`, or
 * `*` (every event); the queue fires `AssignedPod`, `UnscheduledPod`, `Node`, or `*` for the
 * unschedulable-timeout flush. */
export type EventResource = 'Pod' | 'AssignedPod' | 'UnscheduledPod' | 'Node' | '*';

export interface ClusterEvent {
  readonly resource: EventResource;
  /** ActionType bits. */
  readonly actionType: number;
}

export type QueueingHint = 'Queue' | 'QueueSkip';

/** Decides whether `event` may make `pod` (rejected by the registering plugin) schedulable.
 * `oldObj`/`newObj` are NodeViews for node events and PodInfos for pod events; an add has no
 * old object, a delete no new one (upstream QueueingHintFn). */
export type QueueingHintFn = (pod: PodInfo, oldObj: NodeView | PodInfo | undefined, newObj: NodeView | PodInfo | undefined) => QueueingHint;

export interface ClusterEventWithHint {
  readonly event: ClusterEvent;
  /** Absent: always Queue. */
  readonly hint?: QueueingHintFn;
}

/** Plugins that reject pods say which events can help (upstream EnqueueExtensions). A plugin
 * without this method is asked about nothing and retried on every event, as upstream treats
 * plugins that do not implement it; one that returns [] is only retried by the periodic flush. */
export interface EnqueueExtensions extends Plugin {
  eventsToRegister(): readonly ClusterEventWithHint[];
}

/** Upstream ClusterEvent.Match: a registered `Pod` event matches assigned and unscheduled pods;
 * a wildcard matches everything. */
export function eventMatches(registered: ClusterEvent, happened: ClusterEvent): boolean {
  if (registered.resource === '*') return true;
  const resourceMatches =
    registered.resource === happened.resource ||
    (registered.resource === 'Pod' && (happened.resource === 'AssignedPod' || happened.resource === 'UnscheduledPod'));
  return resourceMatches && (registered.actionType & happened.actionType) !== 0;
}

export const EVENT_NODE_ADD: ClusterEvent = { resource: 'Node', actionType: ActionType.Add };
/** A Node deleted (upstream deleteNodeFromCache: MoveAllToActiveOrBackoffQueue with Node/Delete,
 * the node as the old object). Of the in-tree plugins only PodTopologySpread registers it. */
export const EVENT_NODE_DELETE: ClusterEvent = { resource: 'Node', actionType: ActionType.Delete };
export const EVENT_ASSIGNED_POD_ADD: ClusterEvent = { resource: 'AssignedPod', actionType: ActionType.Add };
export const EVENT_ASSIGNED_POD_DELETE: ClusterEvent = { resource: 'AssignedPod', actionType: ActionType.Delete };
/** An assigned pod's labels changed (upstream eventhandlers.go updatePodInCache). */
export const EVENT_ASSIGNED_POD_UPDATE_LABEL: ClusterEvent = { resource: 'AssignedPod', actionType: ActionType.UpdatePodLabel };
/** The unschedulable-pods flush (upstream EventUnschedulableTimeout). */
export const EVENT_UNSCHEDULABLE_TIMEOUT: ClusterEvent = { resource: '*', actionType: ActionType.All };

/** The update events a node change makes (upstream NodeSchedulingPropertiesChange). Readiness
 * is a condition change; a node becoming schedulable again counts as UpdateNodeTaint, as
 * upstream's extractNodeSpecUnschedulableChange does. */
export function nodeChangeEvents(oldNode: NodeView, newNode: NodeView): ClusterEvent[] {
  const out: ClusterEvent[] = [];
  const add = (a: number) => out.push({ resource: 'Node', actionType: a });
  if (oldNode.unschedulable !== newNode.unschedulable && !newNode.unschedulable) add(ActionType.UpdateNodeTaint);
  // Allocatable is fixed per NodeInfo in ksim (no node resize yet): a new object means a change.
  if (oldNode.allocatable !== newNode.allocatable) add(ActionType.UpdateNodeAllocatable);
  if (!sameLabels(oldNode.labels, newNode.labels)) add(ActionType.UpdateNodeLabel);
  if (!sameTaints(oldNode.taints, newNode.taints)) add(ActionType.UpdateNodeTaint);
  if (oldNode.ready !== newNode.ready) add(ActionType.UpdateNodeCondition);
  return out;
}

function sameLabels(a: Labels, b: Labels): boolean {
  if (a === b) return true;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) if (a[k] !== b[k]) return false;
  return true;
}

export function sameTaints(a: readonly Taint[], b: readonly Taint[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as Taint;
    const y = b[i] as Taint;
    if (x.key !== y.key || (x.value ?? '') !== (y.value ?? '') || x.effect !== y.effect) return false;
  }
  return true;
}

/** Narrowing helpers for hint functions. */
export function asNode(o: NodeView | PodInfo | undefined): NodeView | undefined {
  return o === undefined || 'allocatable' in o ? (o as NodeView | undefined) : undefined;
}

export function asPod(o: NodeView | PodInfo | undefined): PodInfo | undefined {
  return o === undefined || 'allocatable' in o ? undefined : o;
}
