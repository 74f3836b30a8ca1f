// RuntimeClass admission for pod creates (upstream plugin/pkg/admission/runtimeclass/
// admission.go, on by default). A pod naming a RuntimeClass (spec.runtimeClassName; kind
// "RuntimeClass", node.k8s.io/v1, cluster-scoped) that does not exist is refused
// (`pod rejected: RuntimeClass "x" not found`). Otherwise, as upstream's Admit:
//  - setOverhead: the class's overhead.podFixed becomes the pod's spec.overhead; a pod that
//    sets an overhead of its own that differs is refused;
//  - setScheduling: the class's scheduling.nodeSelector is merged into the pod's nodeSelector (a
//    key the pod selects with another value is refused) and its scheduling.tolerations are
//    merged into the pod's (upstream pkg/util/tolerations MergeTolerations: the pod's first, the
//    class's after, a toleration another one covers dropped);
// and as its Validate: a pod that names a class without an overhead but sets one is refused.
//
// ksim shorthand (not upstream): a pod that names no RuntimeClass keeps a spec.overhead of its
// own (upstream refuses it: "Pod Overhead set without corresponding RuntimeClass defined
// Overhead"), so scenarios written before RuntimeClasses were simulated run as they did.
import type { PodSpec, Toleration } from 'kubernetes-types/core/v1.js';
import { compareQuantities, parseQuantity } from '../api/quantity.js';
import type { ClusterState } from '../cluster/cluster-state.js';
import { objectKey, type WorkloadObject } from '../cluster/workload-object.js';
import { sameToleration } from '../api/taints.js';

export const RUNTIME_CLASS_KIND = 'RuntimeClass';

type ResourceList = Record<string, string | number>;

/** node.k8s.io/v1 RuntimeClass: the fields admission reads (top level, no spec). */
export interface RuntimeClassFields {
  readonly handler?: string;
  readonly overhead?: { readonly podFixed?: ResourceList | null } | null;
  readonly scheduling?: { readonly nodeSelector?: Record<string, string> | null; readonly tolerations?: Toleration[] | null } | null;
}

/** The spec fields RuntimeClass admission sets, or why it refuses the pod (without the
 * `pods "<name>" is forbidden: ` prefix). */
export type RuntimeClassResult =
  | { readonly allowed: true; readonly fields: Partial<PodSpec> }
  | { readonly allowed: false; readonly reason: string };

/** Upstream apiequality.Semantic.DeepEqual of two resource lists: the same names, equal amounts. */
export function equalResourceLists(a: ResourceList, b: ResourceList): boolean {
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => Object.hasOwn(b, k) && compareQuantities(parseQuantity(a[k] as string | number), parseQuantity(b[k] as string | number)) === 0);
}

/** The pod's RuntimeClass object; undefined when it names none; null when it names one that
 * does not exist. */
export function runtimeClassOf(cluster: ClusterState, spec: PodSpec): WorkloadObject | null | undefined {
  const name = spec.runtimeClassName;
  if (name === undefined || name === null || name === '') return undefined;
  return cluster.objects.get(objectKey(RUNTIME_CLASS_KIND, '', name)) ?? null;
}

/** Upstream prepareObjects' refusal of a pod naming a class that does not exist. */
export function notFound(name: string): string {
  return `pod rejected: RuntimeClass ${JSON.stringify(name)} not found`;
}

/** Merged results per class object and pod spec part: the pods of one template share their
 * nodeSelector and tolerations, and so share what admission makes of them. */
const memo = new WeakMap<WorkloadObject, { selectors: WeakMap<object, RuntimeClassResult>; tolerations: WeakMap<object, Toleration[]> }>();
const NO_SELECTOR = {};
const NO_TOLERATIONS: Toleration[] = [];

/** Upstream Admit with the class `cls`: setOverhead, then setScheduling. `tolerations` are the
 * pod's as the earlier plugins (DefaultTolerationSeconds) left them. */
export function admitWithClass(cls: WorkloadObject, spec: PodSpec, tolerations: Toleration[] | undefined): RuntimeClassResult {
  const c = cls as unknown as RuntimeClassFields;
  const fields: Partial<PodSpec> = {};
  const podFixed = c.overhead?.podFixed ?? undefined;
  const own = (spec.overhead ?? undefined) as ResourceList | undefined;
  if (podFixed !== undefined) {
    if (own !== undefined && !equalResourceLists(podFixed, own)) return { allowed: false, reason: OVERHEAD_MISMATCH };
    if (own === undefined) fields.overhead = podFixed as NonNullable<PodSpec['overhead']>;
  }
  const scheduling = c.scheduling ?? undefined;
  if (scheduling === undefined) return { allowed: true, fields };
  let m = memo.get(cls);
  if (m === undefined) memo.set(cls, (m = { selectors: new WeakMap(), tolerations: new WeakMap() }));
  const runtimeSelector = scheduling.nodeSelector ?? undefined;
  if (runtimeSelector !== undefined) {
    const podSelector = spec.nodeSelector ?? undefined;
    const key = podSelector ?? NO_SELECTOR;
    let r = m.selectors.get(key);
    if (r === undefined) {
      r = mergeNodeSelector(podSelector, runtimeSelector);
      m.selectors.set(key, r);
    }
    if (!r.allowed) return r;
    Object.assign(fields, r.fields);
  }
  // Upstream merges whenever the class has a scheduling section (its tolerations may be none).
  const key = tolerations ?? NO_TOLERATIONS;
  let t = m.tolerations.get(key);
  if (t === undefined) {
    t = mergeTolerations(tolerations ?? [], scheduling.tolerations ?? []);
    m.tolerations.set(key, t);
  }
  fields.tolerations = t;
  return { allowed: true, fields };
}

const OVERHEAD_MISMATCH = "pod rejected: Pod's Overhead doesn't match RuntimeClass's defined Overhead";

/** Upstream Validate (validateOverhead) of the admitted spec, with the pod's class (undefined:
 * none): why it is refused, or null. A pod without a class keeps its own overhead (the ksim
 * shorthand of the header). */
export function validateOverhead(cls: WorkloadObject | undefined, spec: PodSpec): string | null {
  if (cls === undefined) return null;
  const podFixed = (cls as unknown as RuntimeClassFields).overhead?.podFixed ?? undefined;
  const own = (spec.overhead ?? undefined) as ResourceList | undefined;
  if (podFixed !== undefined) return own !== undefined && equalResourceLists(podFixed, own) ? null : OVERHEAD_MISMATCH;
  return own === undefined ? null : 'pod rejected: Pod Overhead set without corresponding RuntimeClass defined Overhead';
}

/** Upstream setScheduling's node selector merge. */
function mergeNodeSelector(pod: Record<string, string> | undefined, runtime: Record<string, string>): RuntimeClassResult {
  if (pod === undefined) return { allowed: true, fields: { nodeSelector: { ...runtime } } };
  const out = { ...pod };
  for (const key of Object.keys(runtime).sort()) {
    const value = runtime[key] as string;
    const podValue = pod[key];
    if (podValue !== undefined && podValue !== value) {
      return { allowed: false, reason: `conflict: runtimeClass.scheduling.nodeSelector[${key}] = ${value}; pod.spec.nodeSelector[${key}] = ${podValue}` };
    }
    out[key] = value;
  }
  return { allowed: true, fields: { nodeSelector: out } };
}

/** Upstream pkg/util/tolerations isSuperset: whether `ss` tolerates everything `t` does. */
export function isSuperset(ss: Toleration, t: Toleration): boolean {
  if (sameToleration(ss, t)) return true;
  if ((t.key ?? '') !== (ss.key ?? '') && ((ss.key ?? '') !== '' || ss.operator !== 'Exists')) return false;
  // An empty effect matches every effect.
  if ((t.effect ?? '') !== (ss.effect ?? '') && (ss.effect ?? '') !== '') return false;
  if (ss.effect === 'NoExecute' && ss.tolerationSeconds !== undefined && ss.tolerationSeconds !== null) {
    if (t.tolerationSeconds === undefined || t.tolerationSeconds === null || t.tolerationSeconds > ss.tolerationSeconds) return false;
  }
  switch (ss.operator ?? '') {
    case 'Equal':
    case '':
      return t.operator === 'Equal' && (t.value ?? '') === (ss.value ?? '');
    case 'Exists':
      return true;
    default:
      return false;
  }
}

/** Upstream pkg/util/tolerations MergeTolerations: `first` then `second`, without a toleration
 * that another kept one covers (of two equal ones, the first is kept). */
export function mergeTolerations(first: readonly Toleration[], second: readonly Toleration[]): Toleration[] {
  const all = [...first, ...second];
  const merged: Toleration[] = [];
  next: for (let i = 0; i < all.length; i++) {
    const t = all[i] as Toleration;
    for (const t2 of merged) if (isSuperset(t2, t)) continue next;
    for (let j = i + 1; j < all.length; j++) {
      const t2 = all[j] as Toleration;
      if (!sameToleration(t, t2) && isSuperset(t2, t)) continue next;
    }
    merged.push(t);
  }
  return merged;
}
