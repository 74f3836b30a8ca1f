// Test helpers for inter-pod (anti-)affinity, in the style of upstream's st.MakePod()
// .PodAffinityIn(...) / .PodAntiAffinityExists(...) wrappers:
//
//   makePod('web').label('app', 'web').with(requiredAntiAffinity(inTerm('app', HOSTNAME, ['web']))).obj()
//   makePod('x').with(preferredAffinity(weighted(5, inTerm('security', 'region', ['S1'])))).obj()
import type { Affinity, Node, Pod, PodAffinityTerm, WeightedPodAffinityTerm } from 'kubernetes-types/core/v1.js';
import type { LabelSelector } from 'kubernetes-types/meta/v1.js';
import type { ClusterState } from '../cluster/cluster-state.js';
import type { Framework } from '../scheduler/framework/framework.js';
import type { FrameworkHandle } from '../scheduler/framework/interfaces.js';
import { fakeHandle, makeNode } from './builders.js';

/** A term selecting pods whose label `key` is one of `values`, in the domain of `topologyKey`. */
export function inTerm(key: string, topologyKey: string, values: readonly string[], extra: Partial<PodAffinityTerm> = {}): PodAffinityTerm {
  return { labelSelector: { matchExpressions: [{ key, operator: 'In', values: [...values] }] }, topologyKey, ...extra };
}

export function notInTerm(key: string, topologyKey: string, values: readonly string[], extra: Partial<PodAffinityTerm> = {}): PodAffinityTerm {
  return { labelSelector: { matchExpressions: [{ key, operator: 'NotIn', values: [...values] }] }, topologyKey, ...extra };
}

export function existsTerm(key: string, topologyKey: string, extra: Partial<PodAffinityTerm> = {}): PodAffinityTerm {
  return { labelSelector: { matchExpressions: [{ key, operator: 'Exists' }] }, topologyKey, ...extra };
}

/** A term with a literal label selector. */
export function selectorTerm(labelSelector: LabelSelector | undefined, topologyKey: string, extra: Partial<PodAffinityTerm> = {}): PodAffinityTerm {
  const t: PodAffinityTerm = { topologyKey, ...extra };
  if (labelSelector !== undefined) t.labelSelector = labelSelector;
  return t;
}

export function weighted(weight: number, podAffinityTerm: PodAffinityTerm): WeightedPodAffinityTerm {
  return { weight, podAffinityTerm };
}

type Edit = (pod: Pod) => void;

function affinityOf(pod: Pod): Affinity {
  const spec = (pod.spec ??= { containers: [] });
  return (spec.affinity ??= {});
}

/** Appends required pod affinity terms (PodWrapper.with). */
export function requiredAffinity(...terms: PodAffinityTerm[]): Edit {
  return (pod) => {
    const pa = (affinityOf(pod).podAffinity ??= {});
    (pa.requiredDuringSchedulingIgnoredDuringExecution ??= []).push(...structuredClone(terms));
  };
}

/** Appends required pod anti-affinity terms. */
export function requiredAntiAffinity(...terms: PodAffinityTerm[]): Edit {
  return (pod) => {
    const paa = (affinityOf(pod).podAntiAffinity ??= {});
    (paa.requiredDuringSchedulingIgnoredDuringExecution ??= []).push(...structuredClone(terms));
  };
}

/** Appends preferred pod affinity terms. */
export function preferredAffinity(...terms: WeightedPodAffinityTerm[]): Edit {
  return (pod) => {
    const pa = (affinityOf(pod).podAffinity ??= {});
    (pa.preferredDuringSchedulingIgnoredDuringExecution ??= []).push(...structuredClone(terms));
  };
}

/** Appends preferred pod anti-affinity terms. */
export function preferredAntiAffinity(...terms: WeightedPodAffinityTerm[]): Edit {
  return (pod) => {
    const paa = (affinityOf(pod).podAntiAffinity ??= {});
    (paa.preferredDuringSchedulingIgnoredDuringExecution ??= []).push(...structuredClone(terms));
  };
}

/** Sets spec.affinity to a copy of `a` (upstream tests share Affinity literals between pods). */
export function affinity(a: Affinity): Edit {
  return (pod) => {
    (pod.spec ??= { containers: [] }).affinity = structuredClone(a);
  };
}

/** A node with exactly `labels` (no kubernetes.io/hostname label unless given), as upstream's
 * v1.Node{ObjectMeta: {Name, Labels}} literals. */
export function labelledNode(name: string, labels: Readonly<Record<string, string>>): Node {
  return makeNode(name)
    .with((n) => {
      (n.metadata ??= {}).labels = { ...labels };
    })
    .capacity({ pods: 110 })
    .obj();
}

/** A FrameworkHandle over `cluster` for instantiating a plugin outside a Framework (the
 * `framework` member is not available). */
export function clusterHandle(cluster: ClusterState): FrameworkHandle {
  return { ...fakeHandle(cluster), framework: undefined as unknown as Framework };
}
