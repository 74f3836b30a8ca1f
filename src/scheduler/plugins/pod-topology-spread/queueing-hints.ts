// PodTopologySpread's queueing hints: which pod and node events may make a pod it rejected
// schedulable. Upstream pkg/scheduler/framework/plugins/podtopologyspread/plugin.go
// (EventsToRegister, isSchedulableAfterPodChange, isSchedulableAfterNodeChange).
import type { PodInfo } from '../../../cluster/pod-info.js';
import {
  ActionType,
  asNode,
  asPod,
  sameTaints,
  type ClusterEventWithHint,
  type NodeView,
  type QueueingHint,
} from '../../framework/events.js';
import { ConstraintError, nodeHasAllKeys, podConstraints, type SpreadConstraint, type SpreadContext } from './common.js';

/** The hard constraints of a pod, built once per pod for its hints. */
const hardConstraints = new WeakMap<PodInfo, SpreadConstraint[]>();

function constraintsOf(ctx: SpreadContext, pod: PodInfo): SpreadConstraint[] | null {
  let c = hardConstraints.get(pod);
  if (c === undefined) {
    try {
      c = podConstraints(ctx.index, pod, 'DoNotSchedule', ctx.defaultConstraints, ctx.defaultSelector);
    } catch (e) {
      if (e instanceof ConstraintError) return null; // upstream: an error means Queue
      throw e;
    }
    hardConstraints.set(pod, c);
  }
  return c;
}

/** Pod/Add|UpdatePodLabel|Delete and Node/Add|Delete|UpdateNodeLabel|UpdateNodeTaint. */
export function spreadEvents(ctx: SpreadContext): ClusterEventWithHint[] {
  return [
    {
      event: { resource: 'Pod', actionType: ActionType.Add | ActionType.UpdatePodLabel | ActionType.UpdatePodToleration | ActionType.Delete },
      hint: (pod, o, n) => isSchedulableAfterPodChange(ctx, pod, asPod(o), asPod(n)),
    },
    {
      event: { resource: 'Node', actionType: ActionType.Add | ActionType.Delete | ActionType.UpdateNodeLabel | ActionType.UpdateNodeTaint },
      hint: (pod, o, n) => isSchedulableAfterNodeChange(ctx, pod, asNode(o), asNode(n)),
    },
  ];
}

/** Only assigned pods of the same namespace take part in the pod's spreading. */
function involved(other: PodInfo, pod: PodInfo): boolean {
  return other === pod || (other.nodeName !== null && other.namespace === pod.namespace);
}

function anySelectorMatches(constraints: readonly SpreadConstraint[], other: PodInfo): boolean {
  for (const c of constraints) if (c.selector.matches(other.labels)) return true;
  return false;
}

/** An added or deleted assigned pod of the namespace that some constraint selects may change
 * the skew; so may an assigned pod whose labels changed so that a constraint's selector
 * matches it and did not, or the other way (upstream's update branch, both pods given). */
function isSchedulableAfterPodChange(ctx: SpreadContext, pod: PodInfo, before: PodInfo | undefined, after: PodInfo | undefined): QueueingHint {
  const other = after ?? before;
  if (other === undefined || !involved(other, pod) || (before !== undefined && !involved(before, pod))) return 'QueueSkip';
  const constraints = constraintsOf(ctx, pod);
  if (constraints === null) return 'Queue';
  if (before !== undefined && after !== undefined) {
    for (const c of constraints) if (c.selector.matches(before.labels) !== c.selector.matches(after.labels)) return 'Queue';
    return 'QueueSkip';
  }
  return anySelectorMatches(constraints, other) ? 'Queue' : 'QueueSkip';
}

/** A node that has every topology key (or had, for a deletion), when it is added or deleted, or
 * gains or loses the keys, or changes a key's value or its taints. */
function isSchedulableAfterNodeChange(ctx: SpreadContext, pod: PodInfo, before: NodeView | undefined, after: NodeView | undefined): QueueingHint {
  const constraints = constraintsOf(ctx, pod);
  if (constraints === null) return 'Queue';
  const wasMatching = before !== undefined && nodeHasAllKeys(before.labels, constraints);
  const isMatching = after !== undefined && nodeHasAllKeys(after.labels, constraints);
  if (before !== undefined && after !== undefined) {
    if (wasMatching !== isMatching) return 'Queue';
    if (!isMatching) return 'QueueSkip';
    for (const c of constraints) if (before.labels[c.topologyKey] !== after.labels[c.topologyKey]) return 'Queue';
    return sameTaints(before.taints, after.taints) ? 'QueueSkip' : 'Queue';
  }
  return (after !== undefined ? isMatching : wasMatching) ? 'Queue' : 'QueueSkip';
}
