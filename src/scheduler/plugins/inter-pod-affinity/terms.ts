// A pod's inter-pod (anti-)affinity terms, compiled once per PodInfo and cached in a WeakMap.
// Upstream: pkg/scheduler/framework/types.go (NewPodInfo / PodInfo.Update, newAffinityTerm,
// getNamespacesFromPodAffinityTerm, AffinityTerm.Matches) and, for matchLabelKeys /
// mismatchLabelKeys, the API server's pod mutation (pkg/registry/core/pod/strategy.go
// applyMatchLabelKeysAndMismatchLabelKeys; MatchLabelKeysInPodAffinity, on by default since
// v1.31, GA in v1.33): ksim has no admission step doing it, so it is done here, for every pod's
// terms, from that pod's own labels.
import type { Pod, PodAffinityTerm, WeightedPodAffinityTerm } from 'kubernetes-types/core/v1.js';
import type { LabelSelector, LabelSelectorRequirement } from 'kubernetes-types/meta/v1.js';
import { FieldError, joinFieldPath } from '../../../api/field-error.js';
import { compileLabelSelector, type LabelMatcher, type Labels } from '../../../api/labels.js';
import type { PodInfo } from '../../../cluster/pod-info.js';

/** A processed v1.PodAffinityTerm (upstream framework.AffinityTerm). */
export interface AffinityTerm {
  /** Namespaces named by the term; the pod's own when both namespaces and namespaceSelector are unset. */
  readonly namespaces: ReadonlySet<string>;
  /** namespaceSelector: null matches no namespace, `{}` every namespace. */
  readonly nsSelector: LabelMatcher;
  /** labelSelector with matchLabelKeys/mismatchLabelKeys merged in; null matches no pod. */
  readonly selector: LabelMatcher;
  readonly topologyKey: string;
  /** Identity of what the term selects: two terms with equal keys match the same pods. */
  readonly key: string;
}

export interface WeightedAffinityTerm {
  readonly term: AffinityTerm;
  readonly weight: number;
}

/** Everything InterPodAffinity needs from one pod's spec.affinity. */
export interface PodTerms {
  readonly requiredAffinity: readonly AffinityTerm[];
  readonly requiredAntiAffinity: readonly AffinityTerm[];
  readonly preferredAffinity: readonly WeightedAffinityTerm[];
  readonly preferredAntiAffinity: readonly WeightedAffinityTerm[];
  /** Upstream PodInfo.ParseError text (utilerrors.NewAggregate of the per-list errors), or null. */
  readonly parseError: string | null;
  /** The pod has any term at all (it can influence other pods' scheduling). */
  readonly any: boolean;
}

const NO_TERMS: readonly never[] = [];
const EMPTY: PodTerms = {
  requiredAffinity: NO_TERMS,
  requiredAntiAffinity: NO_TERMS,
  preferredAffinity: NO_TERMS,
  preferredAntiAffinity: NO_TERMS,
  parseError: null,
  any: false,
};

const cache = new WeakMap<PodInfo, PodTerms>();

/** The compiled terms of a pod (cached per PodInfo). */
export function podTerms(p: PodInfo): PodTerms {
  // Most pods have no inter-pod terms: no cache entry for them (a WeakMap entry per pod was a
  // measurable part of the garbage collector's work in long churn runs), and no read of their
  // spec (PodInfo knows).
  if (!p.hasPodAffinityTerms) return EMPTY;
  let t = cache.get(p);
  if (t === undefined) {
    t = compilePodTerms(p.pod, p.namespace, p.labels);
    cache.set(p, t);
  }
  return t;
}

/**
 * AffinityTerm.Matches: the pod's namespace is one of the term's namespaces or its labels match
 * the namespaceSelector, and the pod's labels match the labelSelector.
 */
export function termMatches(t: AffinityTerm, namespace: string, labels: Labels, nsLabels: Labels): boolean {
  return (t.namespaces.has(namespace) || t.nsSelector.matches(nsLabels)) && t.selector.matches(labels);
}

export function compilePodTerms(pod: Pod, namespace: string, labels: Labels): PodTerms {
  const a = pod.spec?.affinity;
  const pa = a?.podAffinity;
  const paa = a?.podAntiAffinity;
  if (pa == null && paa == null) return EMPTY;
  const errors: string[] = [];
  const list = <T>(what: string, compile: () => T[]): T[] => {
    try {
      return compile();
    } catch (e) {
      // Upstream GetAffinityTerms stops at the first bad term and returns no terms for the list.
      if (!(e instanceof FieldError)) throw e;
      errors.push(`${what}: ${e.message}`);
      return [];
    }
  };
  const requiredAffinity = list('requiredAffinityTerms', () =>
    (pa?.requiredDuringSchedulingIgnoredDuringExecution ?? []).map((t, i) => compileTerm(t, namespace, labels, `[${i}]`)),
  );
  const requiredAntiAffinity = list('requiredAntiAffinityTerms', () =>
    (paa?.requiredDuringSchedulingIgnoredDuringExecution ?? []).map((t, i) => compileTerm(t, namespace, labels, `[${i}]`)),
  );
  const preferredAffinity = list('preferredAffinityTerms', () =>
    (pa?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((w, i) => compileWeighted(w, namespace, labels, i)),
  );
  const preferredAntiAffinity = list('preferredAntiAffinityTerms', () =>
    (paa?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((w, i) => compileWeighted(w, namespace, labels, i)),
  );
  // utilerrors.NewAggregate: one error prints as itself, several as "[e1, e2]".
  const parseError = errors.length === 0 ? null : errors.length === 1 ? (errors[0] as string) : `[${errors.join(', ')}]`;
  return {
    requiredAffinity,
    requiredAntiAffinity,
    preferredAffinity,
    preferredAntiAffinity,
    parseError,
    any: requiredAffinity.length + requiredAntiAffinity.length + preferredAffinity.length + preferredAntiAffinity.length > 0,
  };
}

function compileWeighted(w: WeightedPodAffinityTerm, namespace: string, labels: Labels, i: number): WeightedAffinityTerm {
  return { term: compileTerm(w.podAffinityTerm, namespace, labels, `[${i}].podAffinityTerm`), weight: w.weight };
}

/** newAffinityTerm, with matchLabelKeys/mismatchLabelKeys applied as the API server does. */
export function compileTerm(term: PodAffinityTerm, namespace: string, labels: Labels, path = ''): AffinityTerm {
  const sel = mergeLabelKeys(term, labels);
  const selector = compileLabelSelector(sel, joinFieldPath(path, 'labelSelector'));
  const nsSel = term.namespaceSelector;
  const nsSelector = compileLabelSelector(nsSel, joinFieldPath(path, 'namespaceSelector'));
  // getNamespacesFromPodAffinityTerm: the pod's own namespace only when both fields are unset.
  const names = (term.namespaces ?? []).length === 0 && nsSel == null ? [namespace] : [...new Set(term.namespaces ?? [])].sort();
  const topologyKey = term.topologyKey ?? '';
  const key = `${topologyKey}\u0001${names.join('\u0002')}\u0001${JSON.stringify(nsSel ?? null)}\u0001${JSON.stringify(sel ?? null)}`;
  return { namespaces: new Set(names), nsSelector, selector, topologyKey, key };
}

/**
 * applyMatchLabelKeysAndMismatchLabelKeys: for each key of matchLabelKeys (mismatchLabelKeys) the
 * pod has, `key In (value)` (`key NotIn (value)`) is appended to the labelSelector's
 * matchExpressions. Nothing happens when the labelSelector is null (it matches nothing anyway).
 */
function mergeLabelKeys(term: PodAffinityTerm, labels: Labels): LabelSelector | undefined {
  const sel = term.labelSelector;
  const match = term.matchLabelKeys ?? [];
  const mismatch = term.mismatchLabelKeys ?? [];
  if (sel == null || (match.length === 0 && mismatch.length === 0)) return sel ?? undefined;
  const extra: LabelSelectorRequirement[] = [];
  for (const key of match) {
    const v = labels[key];
    if (typeof v === 'string') extra.push({ key, operator: 'In', values: [v] });
  }
  for (const key of mismatch) {
    const v = labels[key];
    if (typeof v === 'string') extra.push({ key, operator: 'NotIn', values: [v] });
  }
  if (extra.length === 0) return sel;
  return { ...sel, matchExpressions: [...(sel.matchExpressions ?? []), ...extra] };
}

/** Raw spec check used by PreScore before parsing (upstream hasPreferred(Anti)AffinityConstraints). */
export function hasPreferredTerms(pod: Pod): boolean {
  const a = pod.spec?.affinity;
  return (
    (a?.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution?.length ?? 0) > 0 ||
    (a?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution?.length ?? 0) > 0
  );
}
