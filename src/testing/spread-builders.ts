// Test helpers for topology spread constraints, in the style of upstream's
// pkg/scheduler/testing wrappers (PodWrapper.SpreadConstraint, MakeLabelSelector,
// NodeAffinityIn/NotIn, Terminating):
//
//   const pod = spreadPod(makePod('p').label('foo', ''), spread(1, 'zone', 'DoNotSchedule', exists('foo'))).obj();
import type { Node, NodeSelectorRequirement, Pod, Taint, Toleration, TopologySpreadConstraint } from 'kubernetes-types/core/v1.js';
import type { LabelSelector } from 'kubernetes-types/meta/v1.js';
import type { ClusterState } from '../cluster/cluster-state.js';
import { keyOf, type WorkloadObject } from '../cluster/workload-object.js';
import { parsePodTopologySpreadArgs, PodTopologySpreadPlugin } from '../scheduler/plugins/pod-topology-spread/plugin.js';
import { buildCluster, makeNode, makePod, type PodWrapper } from './builders.js';

export interface SpreadOptions {
  minDomains?: number;
  nodeAffinityPolicy?: 'Honor' | 'Ignore';
  nodeTaintsPolicy?: 'Honor' | 'Ignore';
  matchLabelKeys?: string[];
}

/** st.SpreadConstraint(maxSkew, tpKey, mode, selector, minDomains, nodeAffinityPolicy, nodeTaintsPolicy, matchLabelKeys).
 * `selector` null/undefined leaves labelSelector unset (a null selector). */
export function spread(
  maxSkew: number,
  topologyKey: string,
  whenUnsatisfiable: 'DoNotSchedule' | 'ScheduleAnyway',
  selector?: LabelSelector | null,
  opts: SpreadOptions = {},
): TopologySpreadConstraint {
  const c: TopologySpreadConstraint = { maxSkew, topologyKey, whenUnsatisfiable };
  if (selector !== undefined && selector !== null) c.labelSelector = structuredClone(selector);
  if (opts.minDomains !== undefined) c.minDomains = opts.minDomains;
  if (opts.nodeAffinityPolicy !== undefined) c.nodeAffinityPolicy = opts.nodeAffinityPolicy;
  if (opts.nodeTaintsPolicy !== undefined) c.nodeTaintsPolicy = opts.nodeTaintsPolicy;
  if (opts.matchLabelKeys !== undefined) c.matchLabelKeys = [...opts.matchLabelKeys];
  return c;
}

/** Appends topology spread constraints to the pod under construction. */
export function spreadPod(w: PodWrapper, ...constraints: TopologySpreadConstraint[]): PodWrapper {
  return w.with((p: Pod) => {
    const spec = (p.spec ??= { containers: [] });
    (spec.topologySpreadConstraints ??= []).push(...constraints);
  });
}

/** st.MakeLabelSelector().Exists(key). */
export function exists(key: string): LabelSelector {
  return { matchExpressions: [{ key, operator: 'Exists' }] };
}

/** st.MakeLabelSelector().Label(k, v)... */
export function matchLabels(labels: Readonly<Record<string, string>>): LabelSelector {
  return { matchLabels: { ...labels } };
}

function addRequiredTerm(w: PodWrapper, req: NodeSelectorRequirement): PodWrapper {
  return w.with((p: Pod) => {
    const spec = (p.spec ??= { containers: [] });
    const aff = (spec.affinity ??= {});
    const na = (aff.nodeAffinity ??= {});
    const sel = (na.requiredDuringSchedulingIgnoredDuringExecution ??= { nodeSelectorTerms: [] });
    const terms = sel.nodeSelectorTerms;
    if (terms.length === 0) terms.push({ matchExpressions: [] });
    ((terms[0] as { matchExpressions?: NodeSelectorRequirement[] }).matchExpressions ??= []).push(req);
  });
}

/** st.PodWrapper.NodeAffinityIn(key, values, MatchExpressions). */
export function nodeAffinityIn(w: PodWrapper, key: string, values: string[]): PodWrapper {
  return addRequiredTerm(w, { key, operator: 'In', values: [...values] });
}

/** st.PodWrapper.NodeAffinityNotIn(key, values). */
export function nodeAffinityNotIn(w: PodWrapper, key: string, values: string[]): PodWrapper {
  return addRequiredTerm(w, { key, operator: 'NotIn', values: [...values] });
}

/** st.PodWrapper.Terminating(): a deletionTimestamp is set. */
export function terminating(w: PodWrapper): PodWrapper {
  return w.with((p: Pod) => {
    ((p.metadata ??= {}) as { deletionTimestamp?: string }).deletionTimestamp = '2025-01-01T00:00:00Z';
  });
}

// ---------------------------------------------------------------------------
// Fixtures of the PodTopologySpread tests (nodes and pods with exactly upstream's labels).

/** upstream's `taints` fixture: node.kubernetes.io/unschedulable:NoSchedule. */
export const UNSCHEDULABLE_TAINT: Taint = { key: 'node.kubernetes.io/unschedulable', value: '', effect: 'NoSchedule' };

/** st.PodWrapper.Toleration(key): Exists, NoSchedule. */
export const TOLERATE_UNSCHEDULABLE: Toleration = { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' };

/** st.MakeNode().Name(name).Label(...)...: exactly these labels (no default hostname label). */
export function node(name: string, labels: Readonly<Record<string, string>>, taints: readonly Taint[] = []): Node {
  return makeNode(name)
    .with((n) => {
      (n.metadata ??= {}).labels = { ...labels };
      if (taints.length > 0) (n.spec ??= {}).taints = taints.map((t) => ({ ...t }));
    })
    .obj();
}

/** node-<x> in zone <zone> with label node=<name> (upstream's usual fixture). */
export function zoneNode(name: string, zone: string, extra: Readonly<Record<string, string>> = {}, taints: readonly Taint[] = []): Node {
  return node(name, { zone, node: name, ...extra }, taints);
}

/** st.MakePod().Name(name).Node(nodeName).Label(k, v)... */
export function placed(name: string, nodeName: string, labels: Readonly<Record<string, string>>, namespace?: string): Pod {
  const w = makePod(name).node(nodeName).labels(labels);
  if (namespace !== undefined) w.namespace(namespace);
  return w.obj();
}

/** An incoming pod with labels. */
export function incoming(labels: Readonly<Record<string, string>>, name = 'p'): PodWrapper {
  return makePod(name).labels(labels);
}

export interface Setup {
  readonly cluster: ClusterState;
  readonly plugin: PodTopologySpreadPlugin;
}

/** A cluster with `nodes` and placed `pods`, stored `objects`, and the plugin with `args`
 * (default: List defaulting with no default constraints, as most upstream tests). */
export function setup(nodes: readonly Node[], pods: readonly Pod[] = [], args: unknown = { defaultingType: 'List' }, objects: readonly WorkloadObject[] = []): Setup {
  const cluster = buildCluster(nodes, pods);
  for (const o of objects) cluster.objects.set(keyOf(o), o);
  return { cluster, plugin: new PodTopologySpreadPlugin(parsePodTopologySpreadArgs(args), { cluster }) };
}

/** A Service selecting `selector` in `namespace`. */
export function service(name: string, selector: Record<string, string> | null, namespace = 'default'): WorkloadObject {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace }, spec: { selector } };
}

/** A ReplicaSet (or StatefulSet) with a label selector. */
export function controller(kind: 'ReplicaSet' | 'StatefulSet', name: string, selector: unknown, namespace = 'default'): WorkloadObject {
  return { apiVersion: 'apps/v1', kind, metadata: { name, namespace }, spec: { selector } };
}
