// Placement invariants: every placement the scheduler makes must satisfy the pod's hard
// constraints against the cluster as the scheduler saw it when it decided. This is a deliberately
// naive re-implementation (scans of nodes and pods, no indexes) written from upstream's semantics
// and sharing no code with the scheduler plugins, so a bug there cannot hide itself here.
//
// Upstream sources (v1.36) whose semantics are mirrored:
//  - tainttoleration/taint_toleration.go Filter: NoSchedule and NoExecute taints must be tolerated
//    (v1helper.FindMatchingUntoleratedTaint with DoNotScheduleTaintsFilterFunc);
//  - nodeaffinity/node_affinity.go Filter: spec.nodeSelector AND required node affinity
//    (component-helpers nodeaffinity.GetRequiredNodeAffinity; an invalid term matches nothing);
//  - interpodaffinity/filtering.go satisfyPodAffinity / satisfyPodAntiAffinity /
//    satisfyExistingPodsAntiAffinity, framework/types.go AffinityTerm.Matches and
//    getNamespacesFromPodAffinityTerm; matchLabelKeys/mismatchLabelKeys merged into the selector
//    as the API server does at pod creation (pkg/registry/core/pod/strategy.go);
//  - podtopologyspread/filtering.go calPreFilterState + Filter and common.go
//    (filterTopologySpreadConstraints, matchNodeInclusionPolicies, countPodsMatchSelector);
//  - noderesources/fit.go Filter for cpu and memory, with the pod's requests re-derived from its
//    spec (component-helpers resource/helpers.go PodRequests: containers + sidecars, the largest
//    init step, pod-level requests from spec.resources replacing that aggregate, overhead; the
//    API server's defaulting of container and pod-level requests, pkg/apis/core/v1/defaults.go),
//    not read from PodInfo, so a wrong request computation cannot hide itself here either.
//
// Corners deliberately not checked (a false violation is as bad as a missed bug):
//  - topology spread default constraints from PodTopologySpreadArgs (pods without their own
//    constraints): they depend on Services/controllers and the profile's args;
//  - a spread constraint with a null labelSelector and matchLabelKeys the pod has (upstream's
//    mergeLabelSetWithSelector on labels.Nothing() is a corner whose v1.36 behaviour differs
//    between the scheduler-side and API-server-side merges); the pod's spread check is skipped.
//    Scenario files cannot hold one (the v1.36 API server refuses it: workload/manifests.ts
//    readLabelKeys); a library caller's hand-built pod can;
//  - NodeAffinity's addedAffinity args, NodeUnschedulable, NodePorts, NodeName: not checked here;
//  - pods whose affinity terms or spread selectors do not compile (upstream refuses them in
//    PreFilter; the scheduler cannot place them, so there is nothing to re-check).
import type { Affinity, Container, NodeSelector, Pod, PodAffinityTerm, Taint, Toleration, TopologySpreadConstraint } from 'kubernetes-types/core/v1.js';
import type { LabelSelector, LabelSelectorRequirement } from 'kubernetes-types/meta/v1.js';
import { compileLabelSelector, compileNodeSelector, matchesNodeSelectorMap, type LabelMatcher, type Labels, type NodeSelectorMatcher } from '../api/labels.js';
import { tolerationsTolerateTaint } from '../api/taints.js';
import { parseInteger, parseMilli } from '../api/quantity.js';
import type { ClusterState } from '../cluster/cluster-state.js';
import type { NodeInfo } from '../cluster/node-info.js';
import type { PodInfo } from '../cluster/pod-info.js';

/** Filter plugin names whose guarantees are checked; a profile without one is not held to it. */
export const TAINT_TOLERATION = 'TaintToleration';
export const NODE_AFFINITY = 'NodeAffinity';
export const INTER_POD_AFFINITY = 'InterPodAffinity';
export const POD_TOPOLOGY_SPREAD = 'PodTopologySpread';
export const NODE_RESOURCES_FIT = 'NodeResourcesFit';

/** The cluster as the scheduler saw it when it made the decision being checked. */
export interface PlacementView {
  readonly nodes: readonly NodeInfo[];
  /** Pods placed on `n` at decision time. May include the pod being checked: callers skip it. */
  podsOn(n: NodeInfo): readonly PodInfo[];
  /** Placed pods with required anti-affinity terms, with their nodes (may include the pod). */
  antiAffinityPods(): Iterable<readonly [PodInfo, NodeInfo]>;
  /** Nodes whose labels or taints changed between the decision and the placement: what they
   * looked like is gone, so checks that read them are skipped for this placement. */
  readonly staleNodes: ReadonlySet<NodeInfo>;
  /** Namespace labels changed between the decision and the placement (namespaceSelector). */
  readonly namespacesChanged: boolean;
}

export interface PlacementFailure {
  readonly invariant: string;
  readonly detail: string;
}

/** A compiled required (anti-)affinity term (upstream framework.AffinityTerm). */
export interface CheckTerm {
  readonly namespaces: ReadonlySet<string>;
  readonly nsSelector: LabelMatcher;
  readonly selector: LabelMatcher;
  readonly topologyKey: string;
  /** For messages. */
  readonly text: string;
}

interface CheckConstraint {
  readonly maxSkew: number;
  readonly topologyKey: string;
  readonly selector: LabelMatcher;
  readonly minDomains: number;
  readonly honorNodeAffinity: boolean;
  readonly honorNodeTaints: boolean;
  readonly text: string;
}

/** What the checks need from one pod's spec, compiled once. */
interface PodChecks {
  /** null: required node affinity could not be compiled (skip that check). */
  readonly nodeAffinity: NodeSelectorMatcher | null | 'none';
  readonly nodeSelector: Readonly<Record<string, string>> | undefined;
  /** null: a term did not compile (skip the pod's own inter-pod checks). */
  readonly affinity: readonly CheckTerm[] | null;
  readonly antiAffinity: readonly CheckTerm[] | null;
  /** null: not checked (see the corners above). */
  readonly spread: readonly CheckConstraint[] | null;
}

const compiled = new WeakMap<PodInfo, PodChecks>();

function podChecks(p: PodInfo): PodChecks {
  let c = compiled.get(p);
  if (c === undefined) {
    c = compilePodChecks(p);
    compiled.set(p, c);
  }
  return c;
}

function compilePodChecks(p: PodInfo): PodChecks {
  const spec = p.pod.spec;
  const ns = spec?.nodeSelector;
  return {
    nodeSelector: ns !== undefined && ns !== null && Object.keys(ns).length > 0 ? ns : undefined,
    nodeAffinity: compileRequiredNodeAffinity(spec?.affinity),
    affinity: compileTerms(spec?.affinity?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution, p),
    antiAffinity: compileTerms(spec?.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution, p),
    spread: compileSpread(spec?.topologySpreadConstraints, p),
  };
}

function compileRequiredNodeAffinity(a: Affinity | undefined): NodeSelectorMatcher | null | 'none' {
  const req: NodeSelector | undefined = a?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (req === undefined || req === null) return 'none';
  try {
    return compileNodeSelector(req, '', { invalidTerms: 'matchNothing' });
  } catch {
    return null;
  }
}

/** Required (anti-)affinity terms with the API server's matchLabelKeys/mismatchLabelKeys merge;
 * null when one does not compile. */
export function compileTerms(terms: readonly PodAffinityTerm[] | undefined | null, p: PodInfo): CheckTerm[] | null {
  const out: CheckTerm[] = [];
  for (const t of terms ?? []) {
    try {
      out.push(compileTerm(t, p));
    } catch {
      return null;
    }
  }
  return out;
}

function compileTerm(t: PodAffinityTerm, p: PodInfo): CheckTerm {
  let sel: LabelSelector | null | undefined = t.labelSelector;
  // applyMatchLabelKeysAndMismatchLabelKeys: nothing when the selector is nil (it matches none).
  if (sel !== undefined && sel !== null) {
    const extra: LabelSelectorRequirement[] = [];
    for (const k of t.matchLabelKeys ?? []) {
      const v = p.labels[k];
      if (typeof v === 'string') extra.push({ key: k, operator: 'In', values: [v] });
    }
    for (const k of t.mismatchLabelKeys ?? []) {
      const v = p.labels[k];
      if (typeof v === 'string') extra.push({ key: k, operator: 'NotIn', values: [v] });
    }
    if (extra.length > 0) sel = { ...sel, matchExpressions: [...(sel.matchExpressions ?? []), ...extra] };
  }
  const nsSel = t.namespaceSelector;
  // getNamespacesFromPodAffinityTerm: the pod's own namespace only when both are unset.
  const names = (t.namespaces ?? []).length === 0 && (nsSel === undefined || nsSel === null) ? [p.namespace] : (t.namespaces ?? []);
  return {
    namespaces: new Set(names),
    nsSelector: compileLabelSelector(nsSel),
    selector: compileLabelSelector(sel),
    topologyKey: t.topologyKey ?? '',
    text: `topologyKey ${t.topologyKey ?? ''}, labelSelector ${JSON.stringify(sel ?? null)}${names.length > 0 ? `, namespaces ${JSON.stringify(names)}` : ''}${nsSel != null ? `, namespaceSelector ${JSON.stringify(nsSel)}` : ''}`,
  };
}

/** AffinityTerm.Matches. */
function termMatches(t: CheckTerm, p: PodInfo, nsLabels: Labels): boolean {
  return (t.namespaces.has(p.namespace) || t.nsSelector.matches(nsLabels)) && t.selector.matches(p.labels);
}

function compileSpread(cs: readonly TopologySpreadConstraint[] | undefined | null, p: PodInfo): CheckConstraint[] | null {
  const out: CheckConstraint[] = [];
  if (cs === undefined || cs === null) return out;
  for (const c of cs) {
    if (c.whenUnsatisfiable !== 'DoNotSchedule') continue;
    const ls = c.labelSelector;
    const extra: LabelSelectorRequirement[] = [];
    for (const k of c.matchLabelKeys ?? []) {
      const v = p.labels[k];
      if (typeof v === 'string') extra.push({ key: k, operator: 'In', values: [v] });
    }
    if ((ls === undefined || ls === null) && extra.length > 0) return null; // corner, see the header
    const sel: LabelSelector | null = ls === undefined || ls === null ? null : extra.length === 0 ? ls : { ...ls, matchExpressions: [...(ls.matchExpressions ?? []), ...extra] };
    let selector: LabelMatcher;
    try {
      selector = compileLabelSelector(sel);
    } catch {
      return null;
    }
    out.push({
      maxSkew: c.maxSkew,
      topologyKey: c.topologyKey,
      selector,
      minDomains: c.minDomains ?? 1,
      honorNodeAffinity: (c.nodeAffinityPolicy ?? 'Honor') === 'Honor',
      honorNodeTaints: (c.nodeTaintsPolicy ?? 'Ignore') === 'Honor',
      text: `topologyKey ${c.topologyKey}, maxSkew ${c.maxSkew}, labelSelector ${JSON.stringify(sel)}`,
    });
  }
  return out;
}

function isDoNotScheduleTaint(t: Taint): boolean {
  return t.effect === 'NoSchedule' || t.effect === 'NoExecute';
}

function untoleratedTaint(taints: readonly Taint[], tolerations: readonly Toleration[] | undefined): Taint | undefined {
  for (const t of taints) if (isDoNotScheduleTaint(t) && !tolerationsTolerateTaint(tolerations, t)) return t;
  return undefined;
}

function showTaint(t: Taint): string {
  return `${t.key}${t.value === undefined || t.value === '' ? '' : `=${t.value}`}:${t.effect}`;
}

/** GetRequiredNodeAffinity(pod).Match(node): nodeSelector and required affinity. */
function matchesRequiredNodeAffinity(c: PodChecks, n: NodeInfo): boolean {
  if (c.nodeSelector !== undefined && !matchesNodeSelectorMap(c.nodeSelector, n.labels)) return false;
  if (c.nodeAffinity === 'none') return true;
  return c.nodeAffinity !== null && c.nodeAffinity.matches(n);
}

function isTerminating(p: PodInfo): boolean {
  return p.deletionUs >= 0 || (p.pod.metadata?.deletionTimestamp ?? null) !== null;
}

/**
 * Checks one placement of `pod` on `node` against `view`. `filters` are the filter plugins of the
 * pod's profile (null: all): a constraint is only a guarantee when its plugin filters.
 */
export function checkPlacement(cluster: ClusterState, pod: PodInfo, node: NodeInfo, view: PlacementView, filters: ReadonlySet<string> | null): PlacementFailure | null {
  const spec: Pod['spec'] = pod.pod.spec;
  const c = podChecks(pod);
  const on = (plugin: string) => filters === null || filters.has(plugin);

  const stale = view.staleNodes.size > 0;
  const nodeStale = stale && view.staleNodes.has(node);

  if (on(TAINT_TOLERATION) && !nodeStale) {
    const t = untoleratedTaint(node.taints, spec?.tolerations);
    if (t !== undefined) {
      return {
        invariant: 'placement-taints',
        detail: `pod ${pod.key} placed on node ${node.name}, whose taint ${showTaint(t)} it does not tolerate (tolerations ${JSON.stringify(spec?.tolerations ?? [])})`,
      };
    }
  }

  if (on(NODE_AFFINITY) && !nodeStale) {
    if (c.nodeSelector !== undefined && !matchesNodeSelectorMap(c.nodeSelector, node.labels)) {
      return {
        invariant: 'placement-node-affinity',
        detail: `pod ${pod.key} placed on node ${node.name} (labels ${JSON.stringify(node.labels)}), which does not match its nodeSelector ${JSON.stringify(c.nodeSelector)}`,
      };
    }
    if (c.nodeAffinity !== 'none' && c.nodeAffinity !== null && !c.nodeAffinity.matches(node)) {
      return {
        invariant: 'placement-node-affinity',
        detail: `pod ${pod.key} placed on node ${node.name} (labels ${JSON.stringify(node.labels)}), which does not match its required node affinity ${JSON.stringify(spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution)}`,
      };
    }
  }

  if (on(NODE_RESOURCES_FIT) && !nodeStale) {
    const f = checkCpuMemoryFit(pod, node, view);
    if (f !== null) return f;
  }

  if (on(INTER_POD_AFFINITY) && !stale && !view.namespacesChanged) {
    const f = checkInterPod(cluster, pod, node, view, c);
    if (f !== null) return f;
  }

  if (on(POD_TOPOLOGY_SPREAD) && !stale && c.spread !== null && c.spread.length > 0) {
    const f = checkSpread(pod, node, view, c, c.spread);
    if (f !== null) return f;
  }
  return null;
}

function checkInterPod(cluster: ClusterState, pod: PodInfo, node: NodeInfo, view: PlacementView, c: PodChecks): PlacementFailure | null {
  const nodeLabels = node.labels;
  const aff = c.affinity;
  if (aff !== null && aff.length > 0) {
    // Every term's topology key must be on the node.
    for (let i = 0; i < aff.length; i++) {
      const t = aff[i] as CheckTerm;
      if (typeof nodeLabels[t.topologyKey] !== 'string') {
        return { invariant: 'placement-pod-affinity', detail: `pod ${pod.key} placed on node ${node.name}, which lacks the topology key of its required pod affinity term [${i}] (${t.text})` };
      }
    }
    // Existing pods matching ALL terms; a term is satisfied when one of them sits in the node's
    // domain of that term's key. The counts are "non-empty" when such a pod sits on a node with
    // any of the keys (upstream affinityCounts).
    const found = new Array<boolean>(aff.length).fill(false);
    let anyCounted = false;
    for (const n of view.nodes) {
      for (const p of view.podsOn(n)) {
        if (p === pod) continue;
        const nsl = cluster.namespaceLabels(p.namespace);
        let all = true;
        for (const t of aff) if (!termMatches(t, p, nsl)) { all = false; break; }
        if (!all) continue;
        for (let i = 0; i < aff.length; i++) {
          const k = (aff[i] as CheckTerm).topologyKey;
          const v = n.labels[k];
          if (typeof v !== 'string') continue;
          anyCounted = true;
          if (v === nodeLabels[k]) found[i] = true;
        }
      }
    }
    const missing = found.indexOf(false);
    if (missing >= 0) {
      // First pod of a group: no pod anywhere matches and the pod matches its own terms.
      const selfNs = cluster.namespaceLabels(pod.namespace);
      let selfMatch = true;
      for (const t of aff) if (!termMatches(t, pod, selfNs)) { selfMatch = false; break; }
      if (anyCounted || !selfMatch) {
        const t = aff[missing] as CheckTerm;
        const why = anyCounted ? 'other pods match all its terms elsewhere' : 'the pod does not match its own terms';
        return {
          invariant: 'placement-pod-affinity',
          detail: `pod ${pod.key} placed on node ${node.name}: no pod matching all its required affinity terms is in the domain ${t.topologyKey}=${nodeLabels[t.topologyKey] ?? ''} of term [${missing}] (${t.text}), and it is not the first of its group (${why})`,
        };
      }
    }
  }

  const anti = c.antiAffinity;
  if (anti !== null && anti.length > 0) {
    for (const n of view.nodes) {
      for (const p of view.podsOn(n)) {
        if (p === pod) continue;
        const nsl = cluster.namespaceLabels(p.namespace);
        for (let i = 0; i < anti.length; i++) {
          const t = anti[i] as CheckTerm;
          const v = nodeLabels[t.topologyKey];
          if (typeof v !== 'string' || n.labels[t.topologyKey] !== v) continue;
          if (termMatches(t, p, nsl)) {
            return {
              invariant: 'placement-pod-anti-affinity',
              detail: `pod ${pod.key} placed on node ${node.name}, but its required anti-affinity term [${i}] (${t.text}) matches pod ${p.key} on node ${n.name} in the same domain ${t.topologyKey}=${v}`,
            };
          }
        }
      }
    }
  }

  // Existing pods' required anti-affinity terms must not match the incoming pod in their domain.
  const selfNs = cluster.namespaceLabels(pod.namespace);
  for (const [e, n] of view.antiAffinityPods()) {
    if (e === pod) continue;
    const terms = existingAntiTerms(e);
    for (let i = 0; i < terms.length; i++) {
      const t = terms[i] as CheckTerm;
      const v = n.labels[t.topologyKey];
      if (typeof v !== 'string' || nodeLabels[t.topologyKey] !== v) continue;
      if (termMatches(t, pod, selfNs)) {
        return {
          invariant: 'placement-existing-anti-affinity',
          detail: `pod ${pod.key} placed on node ${node.name}, but pod ${e.key} on node ${n.name} has a required anti-affinity term [${i}] (${t.text}) matching it in the same domain ${t.topologyKey}=${v}`,
        };
      }
    }
  }
  return null;
}

/** An existing pod's required anti-affinity terms; a list that does not compile counts as no
 * terms (upstream GetAffinityTerms returns none for that list). */
export function existingAntiTerms(p: PodInfo): readonly CheckTerm[] {
  return podChecks(p).antiAffinity ?? [];
}

/** True when the pod has required anti-affinity terms (the checker keeps such placed pods). */
export function hasRequiredAntiAffinity(p: PodInfo): boolean {
  const terms = p.pod.spec?.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  return terms !== undefined && terms !== null && terms.length > 0;
}

function checkSpread(pod: PodInfo, node: NodeInfo, view: PlacementView, c: PodChecks, cs: readonly CheckConstraint[]): PlacementFailure | null {
  for (let i = 0; i < cs.length; i++) {
    const k = (cs[i] as CheckConstraint).topologyKey;
    if (typeof node.labels[k] !== 'string') {
      return { invariant: 'placement-topology-spread', detail: `pod ${pod.key} placed on node ${node.name}, which lacks the topology key ${k} of its DoNotSchedule constraint [${i}]` };
    }
  }
  const tolerations = pod.pod.spec?.tolerations;
  for (let i = 0; i < cs.length; i++) {
    const sc = cs[i] as CheckConstraint;
    // Counts before the placement, per domain, over eligible nodes: nodes with every
    // constraint's key that pass this constraint's inclusion policies.
    const counts = new Map<string, number>();
    for (const n of view.nodes) {
      let allKeys = true;
      for (const o of cs) if (typeof n.labels[o.topologyKey] !== 'string') { allKeys = false; break; }
      if (!allKeys) continue;
      if (sc.honorNodeAffinity && !matchesRequiredNodeAffinity(c, n)) continue;
      if (sc.honorNodeTaints && untoleratedTaint(n.taints, tolerations) !== undefined) continue;
      let k = 0;
      for (const p of view.podsOn(n)) {
        if (p === pod || p.namespace !== pod.namespace || isTerminating(p)) continue;
        if (sc.selector.matches(p.labels)) k++;
      }
      const v = n.labels[sc.topologyKey] as string;
      counts.set(v, (counts.get(v) ?? 0) + k);
    }
    let min = Number.POSITIVE_INFINITY;
    for (const x of counts.values()) if (x < min) min = x;
    if (counts.size < sc.minDomains) min = 0;
    const domain = node.labels[sc.topologyKey] as string;
    const matchNum = counts.get(domain) ?? 0;
    const self = sc.selector.matches(pod.labels) ? 1 : 0;
    const skew = matchNum + self - min;
    if (skew > sc.maxSkew) {
      return {
        invariant: 'placement-topology-spread',
        detail: `pod ${pod.key} placed on node ${node.name}: constraint [${i}] (${sc.text}): domain ${sc.topologyKey}=${domain} had ${matchNum} matching pod(s) + ${self} (itself) − minimum ${min} over ${counts.size} eligible domain(s)${counts.size < sc.minDomains ? ` (fewer than minDomains ${sc.minDomains})` : ''} = skew ${skew} > maxSkew ${sc.maxSkew}`,
      };
    }
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Resources (cpu and memory only: what every pod is sized by, and what pod-level resources set)

type Quantities = Readonly<Record<string, string | number>> | undefined;

const demands = new WeakMap<PodInfo, readonly [cpuMilli: number, memoryBytes: number]>();

/** cpu (millicores) and memory (bytes) the pod requests, re-derived from its spec (see the
 * header). */
export function cpuMemoryDemand(p: PodInfo): readonly [number, number] {
  let d = demands.get(p);
  if (d === undefined) {
    const spec = p.pod.spec;
    d = [demandOf(spec, 'cpu', (q) => parseMilli(q)), demandOf(spec, 'memory', (q) => parseInteger(q))];
    demands.set(p, d);
  }
  return d;
}

function demandOf(spec: Pod['spec'], resource: string, parse: (q: string | number) => number): number {
  let named = false;
  // A container's request, or its limit when it sets no request (API defaulting).
  const request = (c: Container): number => {
    const req = c.resources?.requests as Quantities;
    const lim = c.resources?.limits as Quantities;
    const q = req?.[resource] ?? lim?.[resource];
    if (q === undefined) return 0;
    named = true;
    return parse(q);
  };
  let running = 0; // app containers and the sidecars started so far
  let sidecars = 0;
  let initPeak = 0;
  for (const c of spec?.containers ?? []) running += request(c);
  for (const c of spec?.initContainers ?? []) {
    const r = request(c);
    if (c.restartPolicy === 'Always') {
      sidecars += r;
      running += r;
      initPeak = Math.max(initPeak, sidecars);
    } else {
      initPeak = Math.max(initPeak, sidecars + r);
    }
  }
  let total = Math.max(running, initPeak);
  const podLevel = (spec as { resources?: { requests?: Quantities; limits?: Quantities } } | undefined)?.resources;
  const podReq = podLevel?.requests?.[resource];
  const podLimits = podLevel?.limits ?? {};
  if (podReq !== undefined) {
    total = parse(podReq);
  } else if (Object.keys(podLimits).length > 0 && !named && podLimits[resource] !== undefined) {
    // Pod-level limits present: a resource no container names requests its pod-level limit.
    total = parse(podLimits[resource] as string | number);
  }
  const overhead = (spec?.overhead as Quantities)?.[resource];
  return overhead === undefined ? total : total + parse(overhead);
}

function checkCpuMemoryFit(pod: PodInfo, node: NodeInfo, view: PlacementView): PlacementFailure | null {
  const [cpu, memory] = cpuMemoryDemand(pod);
  let usedCpu = 0;
  let usedMemory = 0;
  for (const p of view.podsOn(node)) {
    if (p === pod) continue;
    const [c, m] = cpuMemoryDemand(p);
    usedCpu += c;
    usedMemory += m;
  }
  const a = node.allocatable;
  const over: string[] = [];
  if (cpu > 0 && usedCpu + cpu > a.milliCpu) over.push(`cpu ${usedCpu}m + ${cpu}m > ${a.milliCpu}m allocatable`);
  if (memory > 0 && usedMemory + memory > a.memory) over.push(`memory ${usedMemory} + ${memory} > ${a.memory} allocatable`);
  if (over.length === 0) return null;
  return { invariant: 'placement-resources', detail: `pod ${pod.key} placed on node ${node.name}, which lacks room for it: ${over.join(', ')}` };
}
