// InterPodAffinity's queueing hints. Upstream
// pkg/scheduler/framework/plugins/interpodaffinity/plugin.go (EventsToRegister with queueing
// hints on: Pod/Add|UpdatePodLabel|Delete, Node/Add|UpdateNodeLabel; isSchedulableAfterPodChange,
// isSchedulableAfterNodeChange).
import type { ClusterState } from '../../../cluster/cluster-state.js';
import type { PodInfo } from '../../../cluster/pod-info.js';
import { ActionType, asNode, asPod, type ClusterEventWithHint, type NodeView, type QueueingHint } from '../../framework/events.js';
import { podTerms, termMatches, type AffinityTerm } from './terms.js';

export function interPodAffinityEvents(cluster: ClusterState): ClusterEventWithHint[] {
  return [
    {
      event: { resource: 'Pod', actionType: ActionType.Add | ActionType.UpdatePodLabel | ActionType.Delete },
      hint: (pod, o, n) => isSchedulableAfterPodChange(cluster, pod, asPod(o), asPod(n)),
    },
    {
      event: { resource: 'Node', actionType: ActionType.Add | ActionType.UpdateNodeLabel },
      hint: (pod, _o, n) => isSchedulableAfterNodeChange(pod, asNode(n)),
    },
  ];
}

/** Upstream podMatchesAllAffinityTerms: false without terms. */
function matchesAll(cluster: ClusterState, terms: readonly AffinityTerm[], other: PodInfo): boolean {
  if (terms.length === 0) return false;
  const nsLabels = cluster.namespaceLabels(other.namespace);
  for (const t of terms) if (!termMatches(t, other.namespace, other.labels, nsLabels)) return false;
  return true;
}

/** An assigned pod that matches all the pod's required affinity terms arrived, or one that
 * matches all its anti-affinity terms left, or an assigned pod's labels changed so that it
 * matches all the affinity terms or no longer all the anti-affinity terms (upstream's update
 * branch, both pods given). */
function isSchedulableAfterPodChange(cluster: ClusterState, pod: PodInfo, before: PodInfo | undefined, after: PodInfo | undefined): QueueingHint {
  if ((after !== undefined && after.nodeName === null) || (before !== undefined && before.nodeName === null)) return 'QueueSkip';
  const terms = podTerms(pod);
  if (terms.parseError !== null) return 'Queue';
  if (after !== undefined && before !== undefined) {
    if (!matchesAll(cluster, terms.requiredAffinity, before) && matchesAll(cluster, terms.requiredAffinity, after)) return 'Queue';
    return matchesAll(cluster, terms.requiredAntiAffinity, before) && !matchesAll(cluster, terms.requiredAntiAffinity, after) ? 'Queue' : 'QueueSkip';
  }
  if (after !== undefined) return matchesAll(cluster, terms.requiredAffinity, after) ? 'Queue' : 'QueueSkip';
  if (before === undefined) return 'QueueSkip';
  return matchesAll(cluster, terms.requiredAntiAffinity, before) ? 'Queue' : 'QueueSkip';
}

/** A node with one of the topology keys of the pod's required (anti-)affinity terms. */
function isSchedulableAfterNodeChange(pod: PodInfo, after: NodeView | undefined): QueueingHint {
  if (after === undefined) return 'QueueSkip';
  const terms = podTerms(pod);
  if (terms.parseError !== null) return 'Queue';
  for (const t of terms.requiredAffinity) if (typeof after.labels[t.topologyKey] === 'string') return 'Queue';
  for (const t of terms.requiredAntiAffinity) if (typeof after.labels[t.topologyKey] === 'string') return 'Queue';
  return 'QueueSkip';
}
