// Shared pieces of PodTopologySpread: the parsed constraint, how a pod's constraints (or the
// default ones) are built, the node inclusion policies, and the default selector.
// Upstream pkg/scheduler/framework/plugins/podtopologyspread/common.go and
// pkg/scheduler/framework/plugins/helper/spread.go (DefaultSelector), v1.36.
import type { NodeSelector, Pod, Taint, Toleration, TopologySpreadConstraint } from 'kubernetes-types/core/v1.js';
import type { LabelSelector, LabelSelectorRequirement, OwnerReference } from 'kubernetes-types/meta/v1.js';
import { compileLabelSelector, compileNodeSelector, matchesNodeSelectorMap, type LabelMatcher, type Labels, type NodeSelectorMatcher } from '../../../api/labels.js';
import { toleratesTaint } from '../../../api/taints.js';
import type { ClusterState } from '../../../cluster/cluster-state.js';
import { HOSTNAME_LABEL, ZONE_LABEL, type NodeInfo } from '../../../cluster/node-info.js';
import type { PodInfo } from '../../../cluster/pod-info.js';
import { isKind, objectKey, type ObjectOf } from '../../../cluster/workload-object.js';
import { SpreadIndex, type NodeInclusion, type PodCounter } from './spread-index.js';

/** Upstream names.PodTopologySpread. */
export const POD_TOPOLOGY_SPREAD = 'PodTopologySpread';

/** Upstream plugin.go ErrReasonConstraintsNotMatch / ErrReasonNodeLabelNotMatch. */
export const ERR_REASON_CONSTRAINTS_NOT_MATCH = "node(s) didn't match pod topology spread constraints";
export const ERR_REASON_NODE_LABEL_NOT_MATCH = `${ERR_REASON_CONSTRAINTS_NOT_MATCH} (missing required label)`;

export const DO_NOT_SCHEDULE = 'DoNotSchedule';
export const SCHEDULE_ANYWAY = 'ScheduleAnyway';
export type UnsatisfiableAction = typeof DO_NOT_SCHEDULE | typeof SCHEDULE_ANYWAY;

export const LABEL_HOSTNAME = HOSTNAME_LABEL;

/** Upstream plugin.go systemDefaultConstraints. */
export const SYSTEM_DEFAULT_CONSTRAINTS: readonly TopologySpreadConstraint[] = Object.freeze([
  { topologyKey: HOSTNAME_LABEL, whenUnsatisfiable: SCHEDULE_ANYWAY, maxSkew: 3 },
  { topologyKey: ZONE_LABEL, whenUnsatisfiable: SCHEDULE_ANYWAY, maxSkew: 5 },
]);

/** Upstream topologySpreadConstraint: a v1.TopologySpreadConstraint with its selector compiled. */
export interface SpreadConstraint {
  readonly maxSkew: number;
  readonly topologyKey: string;
  readonly selector: LabelMatcher;
  /** 1 when nil (upstream: "If MinDomains is nil, we treat MinDomains as 1"). */
  readonly minDomains: number;
  /** nodeAffinityPolicy == Honor (the default). */
  readonly honorNodeAffinity: boolean;
  /** nodeTaintsPolicy == Honor (default Ignore). */
  readonly honorNodeTaints: boolean;
  /** Existing pods matching (namespace, selector), kept by the cluster index. */
  readonly counter: PodCounter;
}

/** The pod's required node affinity: spec.nodeSelector AND requiredDuringScheduling terms
 * (component-helpers nodeaffinity.GetRequiredNodeAffinity; parse errors make a term match nothing). */
export interface RequiredNodeAffinity {
  /** False when the pod has neither a nodeSelector entry nor required node affinity. */
  readonly present: boolean;
  /** Equal keys select equal nodes. */
  readonly key: string;
  matches(node: NodeInfo): boolean;
}

const NO_AFFINITY: RequiredNodeAffinity = { present: false, key: '', matches: () => true };

class CompiledRequiredNodeAffinity implements RequiredNodeAffinity {
  readonly present = true;
  constructor(
    readonly key: string,
    private readonly nodeSelector: Readonly<Record<string, string>> | undefined,
    private readonly required: NodeSelectorMatcher | null,
  ) {}

  matches(node: NodeInfo): boolean {
    if (this.nodeSelector !== undefined && !matchesNodeSelectorMap(this.nodeSelector, node.labels)) return false;
    return this.required === null || this.required.matches(node);
  }
}

const NOTHING_NODE_SELECTOR: NodeSelectorMatcher = { matches: () => false };

const affinityCache = new WeakMap<Pod, RequiredNodeAffinity>();

function hasAnyKey(o: object): boolean {
  for (const _ in o) return true;
  return false;
}

export function requiredNodeAffinity(pod: Pod): RequiredNodeAffinity {
  const ns = pod.spec?.nodeSelector;
  const hasNs = ns !== undefined && ns !== null && hasAnyKey(ns);
  const req: NodeSelector | undefined = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  // Most pods have neither: answered without the per-pod cache (a WeakMap entry per pod of a
  // churn costs more than these two reads).
  if (!hasNs && (req === undefined || req === null)) return NO_AFFINITY;
  let a = affinityCache.get(pod);
  if (a !== undefined) return a;
  let matcher: NodeSelectorMatcher | null = null;
  if (req !== undefined && req !== null) {
    try {
      matcher = compileNodeSelector(req, '', { invalidTerms: 'matchNothing' });
    } catch {
      matcher = NOTHING_NODE_SELECTOR;
    }
  }
  a = new CompiledRequiredNodeAffinity(JSON.stringify([hasNs ? ns : null, req ?? null]), hasNs ? ns : undefined, matcher);
  affinityCache.set(pod, a);
  return a;
}

/** v1helper.FindMatchingUntoleratedTaint with DoNotScheduleTaintsFilterFunc: a NoSchedule or
 * NoExecute taint none of the tolerations tolerates. */
export function hasUntoleratedDoNotScheduleTaint(taints: readonly Taint[], tolerations: readonly Toleration[] | undefined): boolean {
  for (let i = 0; i < taints.length; i++) {
    const t = taints[i] as Taint;
    if (t.effect !== 'NoSchedule' && t.effect !== 'NoExecute') continue;
    let tolerated = false;
    if (tolerations !== undefined) {
      for (let j = 0; j < tolerations.length; j++) {
        if (toleratesTaint(tolerations[j] as Toleration, t)) {
          tolerated = true;
          break;
        }
      }
    }
    if (!tolerated) return true;
  }
  return false;
}

interface PodInclusions {
  affinity?: NodeInclusion | null;
  taints?: NodeInclusion;
  both?: NodeInclusion | null;
}

const inclusionCache = new WeakMap<Pod, PodInclusions>();

/**
 * The nodes constraint `c` of `pod` counts besides those lacking a topology key (upstream
 * matchNodeInclusionPolicies), as a filter the index can key domain sets by; null when the
 * policies exclude no node.
 */
export function nodeInclusion(c: SpreadConstraint, pod: Pod): NodeInclusion | null {
  const aff = c.honorNodeAffinity;
  const tnt = c.honorNodeTaints;
  if (!aff && !tnt) return null;
  const affinity = requiredNodeAffinity(pod);
  // The default policies (affinity honoured, taints ignored) of a pod without required node
  // affinity exclude no node: no per-pod cache entry needed.
  if (aff && !tnt && !affinity.present) return null;
  let cache = inclusionCache.get(pod);
  if (cache === undefined) inclusionCache.set(pod, (cache = {}));
  if (aff && !tnt) {
    if (cache.affinity === undefined) cache.affinity = affinity.present ? { key: `a:${affinity.key}`, matches: (n) => affinity.matches(n) } : null;
    return cache.affinity;
  }
  const tolerations = pod.spec?.tolerations ?? [];
  const tkey = `t:${JSON.stringify(tolerations)}`;
  const tolerated = (n: NodeInfo): boolean => n.taints.length === 0 || !hasUntoleratedDoNotScheduleTaint(n.taints, tolerations);
  if (!aff) return (cache.taints ??= { key: tkey, matches: tolerated });
  if (cache.both === undefined) {
    cache.both = affinity.present ? { key: `a:${affinity.key}|${tkey}`, matches: (n) => affinity.matches(n) && tolerated(n) } : { key: tkey, matches: tolerated };
  }
  return cache.both;
}

/** Upstream topologySpreadConstraint.matchNodeInclusionPolicies. */
export function matchNodeInclusionPolicies(c: SpreadConstraint, pod: Pod, node: NodeInfo, affinity: RequiredNodeAffinity): boolean {
  if (c.honorNodeAffinity && affinity.present && !affinity.matches(node)) return false;
  if (c.honorNodeTaints && node.taints.length > 0 && hasUntoleratedDoNotScheduleTaint(node.taints, pod.spec?.tolerations)) return false;
  return true;
}

/** Upstream nodeLabelsMatchSpreadConstraints: every constraint's topology key is a node label. */
export function nodeHasAllKeys(labels: Labels, constraints: readonly SpreadConstraint[]): boolean {
  for (let i = 0; i < constraints.length; i++) {
    if (typeof labels[(constraints[i] as SpreadConstraint).topologyKey] !== 'string') return false;
  }
  return true;
}

/** Raised when a pod's constraints cannot be built (an invalid label selector). */
export class ConstraintError extends Error {}

function policyHonored(v: unknown, dflt: boolean): boolean {
  if (v === undefined || v === null) return dflt;
  return v === 'Honor';
}

/**
 * Upstream filterTopologySpreadConstraints: the constraints with whenUnsatisfiable == action,
 * selectors compiled; matchLabelKeys (MatchLabelKeysInPodTopologySpread, on in v1.36) are ANDed
 * into the selector as key In (pod's value) unless the selector is nil (mergeLabelSetWithSelector
 * keeps labels.Nothing()). `defaultSelector`, when given, replaces every selector (default
 * constraints).
 */
export function filterConstraints(
  index: SpreadIndex,
  constraints: readonly TopologySpreadConstraint[],
  pod: PodInfo,
  action: UnsatisfiableAction,
  defaultSelector: BuiltSelector | null,
): SpreadConstraint[] {
  const out: SpreadConstraint[] = [];
  for (let i = 0; i < constraints.length; i++) {
    const c = constraints[i] as TopologySpreadConstraint;
    if (c.whenUnsatisfiable !== action) continue;
    const built = defaultSelector ?? podConstraintSelector(c, pod.labels);
    let counter: PodCounter;
    try {
      counter = index.counter(pod.namespace, built.key, built.selector);
    } catch (e) {
      throw new ConstraintError(e instanceof Error ? e.message : String(e));
    }
    const md = c.minDomains;
    out.push({
      maxSkew: c.maxSkew,
      topologyKey: c.topologyKey,
      selector: counter.matcher,
      minDomains: md === undefined || md === null ? 1 : md,
      honorNodeAffinity: policyHonored(c.nodeAffinityPolicy, true),
      honorNodeTaints: policyHonored(c.nodeTaintsPolicy, false),
      counter,
    });
  }
  return out;
}

/** A selector to compile (once per counter) with the key the index files it under. */
export interface BuiltSelector {
  readonly key: string;
  readonly selector: LabelSelector | null;
}

function podConstraintSelector(c: TopologySpreadConstraint, podLabels: Labels): BuiltSelector {
  const ls = c.labelSelector;
  if (ls === undefined || ls === null) return { key: 'null', selector: null };
  const keys = c.matchLabelKeys;
  let extra: LabelSelectorRequirement[] | null = null;
  if (keys !== undefined && keys !== null) {
    for (const k of keys) {
      const v = podLabels[k];
      if (typeof v === 'string') (extra ??= []).push({ key: k, operator: 'In', values: [v] });
    }
  }
  const base = JSON.stringify(ls);
  if (extra === null) return { key: base, selector: ls };
  const merged: LabelSelector = { matchExpressions: [...extra, ...(ls.matchExpressions ?? [])] };
  if (ls.matchLabels !== undefined) merged.matchLabels = ls.matchLabels;
  return { key: `${base}+${JSON.stringify(extra)}`, selector: merged };
}

// ---------------------------------------------------------------------------
// helper.DefaultSelector


/**
 * helper.DefaultSelector: the union of the selectors of the Services selecting the pod and of its
 * controller (ReplicationController v1, ReplicaSet apps/v1, StatefulSet apps/v1, looked up by the
 * controller owner reference in the pod's namespace). Returns null when the result is empty.
 */
export class DefaultSelectorBuilder {
  private readonly controllerRequirements = new WeakMap<ObjectOf<'ReplicaSet' | 'StatefulSet'>, LabelSelectorRequirement[]>();
  /** The last selector built per controller object, with the Services it was built from. */
  private readonly memo = new WeakMap<object, { readonly services: readonly object[]; readonly built: BuiltSelector | null }>();

  constructor(private readonly cluster: ClusterState) {}

  build(pod: PodInfo): BuiltSelector | null {
    let matched: ObjectOf<'Service'>[] | null = null;
    const inNamespace = this.servicesIn(pod.namespace);
    for (let i = 0; i < inNamespace.length; i++) {
      const svc = inNamespace[i] as ObjectOf<'Service'>;
      const sel = svc.spec?.selector;
      // Services with nil selectors match nothing, not everything.
      if (sel === undefined || sel === null) continue;
      if (!matchesNodeSelectorMap(sel, pod.labels)) continue;
      (matched ??= []).push(svc);
    }
    const services = matched ?? NO_SERVICES;
    // The selector is a function of the matching Services and the controller object alone:
    // the pods of one ReplicaSet reuse it (no map, sort and JSON text per pod).
    const controller = this.controllerObject(pod);
    const memo = this.memo.get(controller);
    if (memo !== undefined && sameObjects(memo.services, services)) return memo.built;
    const built = this.compute(services, controller);
    this.memo.set(controller, { services, built });
    return built;
  }

  private compute(services: readonly ObjectOf<'Service'>[], controller: object): BuiltSelector | null {
    const labelSet = new Map<string, string>();
    for (const svc of services) for (const [k, v] of Object.entries(svc.spec?.selector ?? {})) labelSet.set(k, v);
    let exprs: LabelSelectorRequirement[] = [];
    if (controller !== NO_CONTROLLER) {
      const o = controller as ObjectOf<'ReplicationController' | 'ReplicaSet' | 'StatefulSet'>;
      if (o.kind === 'ReplicationController') {
        const sel = (o as ObjectOf<'ReplicationController'>).spec?.selector;
        if (sel !== undefined && sel !== null) for (const [k, v] of Object.entries(sel)) labelSet.set(k, v);
      } else exprs = this.requirementsOfController(o as ObjectOf<'ReplicaSet' | 'StatefulSet'>);
    }
    if (labelSet.size === 0 && exprs.length === 0) return null;
    const matchLabels: Record<string, string> = {};
    for (const k of [...labelSet.keys()].sort()) matchLabels[k] = labelSet.get(k) as string;
    const selector: LabelSelector = { matchLabels, matchExpressions: exprs };
    return { key: `default:${JSON.stringify(selector)}`, selector };
  }

  /** The pod's controller whose selector joins the default one (ReplicationController v1,
   * ReplicaSet or StatefulSet apps/v1, in the pod's namespace), or NO_CONTROLLER. */
  private controllerObject(pod: PodInfo): object {
    const owner = controllerOf(pod.pod);
    if (owner === null) return NO_CONTROLLER;
    const kind = owner.kind ?? '';
    const apiVersion = owner.apiVersion ?? '';
    const rc = apiVersion === 'v1' && kind === 'ReplicationController';
    if (!rc && !(apiVersion === 'apps/v1' && (kind === 'ReplicaSet' || kind === 'StatefulSet'))) return NO_CONTROLLER;
    // PodInfo's owner is its controller reference when it has one: its key is built once.
    const key = kind === pod.ownerKind && owner.name === pod.ownerName ? pod.ownerObjectKey : objectKey(kind, pod.namespace, owner.name ?? '');
    const o = this.cluster.objects.get(key);
    return o !== undefined && isKind(o, kind as 'ReplicationController' | 'ReplicaSet' | 'StatefulSet') ? o : NO_CONTROLLER;
  }

  /** The requirements of a ReplicaSet's/StatefulSet's spec.selector (none when it is nil or does
   * not compile: LabelSelectorAsSelector failed, or labels.Nothing() has no requirements). */
  private requirementsOfController(o: ObjectOf<'ReplicaSet' | 'StatefulSet'>): LabelSelectorRequirement[] {
    let r = this.controllerRequirements.get(o);
    if (r === undefined) {
      const sel = o.spec?.selector;
      r = [];
      if (sel !== undefined && sel !== null) {
        try {
          compileLabelSelector(sel);
          r = requirementsOf(sel);
        } catch {
          r = [];
        }
      }
      this.controllerRequirements.set(o, r);
    }
    return r;
  }

  /** The Services of a namespace (the store's Service index holds only Services). */
  private servicesIn(namespace: string): readonly ObjectOf<'Service'>[] {
    return this.cluster.objects.inNamespace('Service', namespace) as readonly ObjectOf<'Service'>[];
  }
}

const NO_SERVICES: readonly ObjectOf<'Service'>[] = [];
/** The memo key of pods without a controller that contributes a selector. */
const NO_CONTROLLER = {};

function sameObjects(a: readonly object[], b: readonly object[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** metav1.GetControllerOfNoCopy: the owner reference with controller: true (not copied). */
function controllerOf(pod: Pod): OwnerReference | null {
  const refs = pod.metadata?.ownerReferences;
  if (refs === undefined) return null;
  for (let i = 0; i < refs.length; i++) if ((refs[i] as OwnerReference).controller === true) return refs[i] as OwnerReference;
  return null;
}

/** A LabelSelector's requirements as matchExpressions (matchLabels become key In [value]). */
function requirementsOf(sel: LabelSelector): LabelSelectorRequirement[] {
  const out: LabelSelectorRequirement[] = [];
  const ml = sel.matchLabels ?? {};
  for (const k of Object.keys(ml)) out.push({ key: k, operator: 'In', values: [ml[k] as string] });
  for (const e of sel.matchExpressions ?? []) out.push(e);
  return out;
}

/**
 * The pod's constraints for one action (upstream getConstraints / initPreScoreState): its own
 * topologySpreadConstraints if it has any, else the default constraints with the default
 * selector (none when that selector is empty). Throws ConstraintError on an invalid selector.
 */
export function podConstraints(
  index: SpreadIndex,
  pod: PodInfo,
  action: UnsatisfiableAction,
  defaults: readonly TopologySpreadConstraint[],
  defaultSelector: DefaultSelectorBuilder,
): SpreadConstraint[] {
  const own = pod.pod.spec?.topologySpreadConstraints;
  if (own !== undefined && own !== null && own.length > 0) {
    // matchLabelKeys read the pod's labels; without them the pods sharing a template's
    // constraint list (a ReplicaSet's) share the result.
    if (own.some((c) => c.matchLabelKeys !== undefined && c.matchLabelKeys !== null && c.matchLabelKeys.length > 0)) return filterConstraints(index, own, pod, action, null);
    return cachedConstraints(own, index, own, pod, action, null);
  }
  // buildDefaultConstraints: nothing to do if no default constraint has this action.
  // An index loop: for-of over the (frozen) defaults made an iterator per pod.
  let any = false;
  for (let i = 0; i < defaults.length; i++) if ((defaults[i] as TopologySpreadConstraint).whenUnsatisfiable === action) any = true;
  if (!any) return [];
  const sel = defaultSelector.build(pod);
  if (sel === null) return [];
  // The pods of one controller share their default selector object, and so these constraints.
  return cachedConstraints(sel, index, defaults, pod, action, sel);
}

/** filterConstraints, remembered per `owner` object (a constraint list or a default selector)
 * while the counters the constraints hold are still the index's. */
function cachedConstraints(
  owner: object,
  index: SpreadIndex,
  list: readonly TopologySpreadConstraint[],
  pod: PodInfo,
  action: UnsatisfiableAction,
  sel: BuiltSelector | null,
): SpreadConstraint[] {
  let cached = constraintCache.get(owner);
  if (cached === undefined) constraintCache.set(owner, (cached = []));
  for (const e of cached) {
    if (e.index === index && e.list === list && e.action === action && e.namespace === pod.namespace && index.holdsAll(e.constraints)) return e.constraints;
  }
  const constraints = filterConstraints(index, list, pod, action, sel);
  if (cached.length >= 4) cached.shift();
  cached.push({ index, list, action, namespace: pod.namespace, constraints });
  return constraints;
}

/** Built constraints by constraint list or default selector object (cachedConstraints). */
const constraintCache = new WeakMap<object, {
  readonly index: SpreadIndex;
  readonly list: readonly TopologySpreadConstraint[];
  readonly action: UnsatisfiableAction;
  readonly namespace: string;
  readonly constraints: SpreadConstraint[];
}[]>();

export { SpreadIndex };

/** What the extension points share: the cluster index and the plugin's default constraints. */
export interface SpreadContext {
  readonly index: SpreadIndex;
  readonly defaultConstraints: readonly TopologySpreadConstraint[];
  /** defaultingType System (upstream pl.systemDefaulted). */
  readonly systemDefaulted: boolean;
  readonly defaultSelector: DefaultSelectorBuilder;
}

/** The distinct topology keys of `constraints`, sorted (the key set a domain aggregate requires). */
export function sortedKeys(constraints: readonly SpreadConstraint[]): string[] {
  const ks = [...new Set(constraints.map((c) => c.topologyKey))];
  ks.sort();
  return ks;
}
