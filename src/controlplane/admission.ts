// What the API server does to a pod on create before storing it: admitPod runs the admission
// plugins ksim models in upstream's order (LimitRanger in limit-ranger.ts, Priority and
// DefaultTolerationSeconds here, RuntimeClass in runtime-class.ts, ResourceQuota in
// resource-quota.ts).
//
// Priority admission (upstream plugin/pkg/admission/priority/admission.go). spec.priorityClassName is resolved to
// spec.priority and spec.preemptionPolicy from the PriorityClass objects in the state store
// (kind "PriorityClass", cluster-scoped: namespace ""), plus the two built-in system classes
// (pkg/apis/scheduling/types.go: system-node-critical, system-cluster-critical). A pod without a
// class gets the globalDefault class (the lowest value if several) or priority 0 and
// PreemptLowerPriority. An unknown class, or a priority / preemptionPolicy that contradicts the
// class, rejects the create with upstream's Forbidden message — so does a spec.priority (or
// spec.preemptionPolicy) on a pod without a class that differs from what the default class (or
// 0 and PreemptLowerPriority without one) gives: upstream admitPod computes the priority first
// and compares ("the integer value of priority (500) must not be provided in pod spec; priority
// admission controller computed 0 from the given PriorityClass name"). A pod gets a priority
// only from a PriorityClass.
import { closest } from '../api/suggest.js';
import { merged } from '../api/values.js';
import type { Pod, PodSpec, Toleration } from 'kubernetes-types/core/v1.js';
import type { ClusterState } from '../cluster/cluster-state.js';
import { objectKey, type WorkloadObject } from '../cluster/workload-object.js';
import { checkQuota } from './resource-quota.js';
import { objectCountResource } from './object-count-quota.js';
import { invalidRequests, LIMIT_RANGE_KIND, LIMIT_RANGER_ANNOTATION, mutateWithRanges, validateWithRanges } from './limit-ranger.js';
import { admitWithClass, notFound, runtimeClassOf, validateOverhead } from './runtime-class.js';

export const PRIORITY_CLASS_KIND = 'PriorityClass';
export const PREEMPT_LOWER_PRIORITY = 'PreemptLowerPriority';

/** Upstream scheduling.SystemPriorityClasses(). */
export const SYSTEM_PRIORITY_CLASSES: ReadonlyMap<string, number> = new Map([
  ['system-node-critical', 2_000_001_000],
  ['system-cluster-critical', 2_000_000_000],
]);

/** The outcome of admitting a pod: the pod to store (a copy with the resolved fields), or the
 * reason the create was rejected. */
export type AdmissionResult =
  | { readonly allowed: true; readonly pod: Pod }
  | { readonly allowed: false; readonly reason: string };

interface ResolvedClass {
  readonly name: string;
  readonly value: number;
  readonly preemptionPolicy: string;
}

/** Cache of the globalDefault class per store, fresh while no PriorityClass has been created,
 * updated or deleted (ObjectStore.kindVersion). */
const defaultClassCache = new WeakMap<ClusterState, { version: number; cls: ResolvedClass | null }>();

export interface AdmitOptions {
  /** The pod exists already (a cluster snapshot's): the cluster's own API server admitted it,
   * and upstream never admits a stored object again. LimitRanger and RuntimeClass, which would
   * add to it again or refuse it for an object the snapshot lacks, and ResourceQuota do not run
   * on it; its spec.priority stands (existingPriority). */
  readonly existing?: boolean;
  /** kube-apiserver's --default-not-ready-toleration-seconds and
   * --default-unreachable-toleration-seconds (controlPlane.apiServer); absent: 300 each. */
  readonly tolerationSeconds?: DefaultTolerationSeconds;
}

export interface DefaultTolerationSeconds {
  readonly notReady: number;
  readonly unreachable: number;
}

const NO_OBJECTS: readonly WorkloadObject[] = [];

/** Namespaces every cluster has, whether a snapshot lists them or not: NamespaceLifecycle's
 * immortal ones (default, kube-system, kube-public: its Register) and kube-node-lease, which the
 * API server creates at start too. */
const BUILT_IN_NAMESPACES: ReadonlySet<string> = new Set(['default', 'kube-system', 'kube-public', 'kube-node-lease']);

/** A Namespace's status.phase (upstream v1.NamespacePhase): Active unless it says Terminating. */
export function namespacePhase(ns: WorkloadObject): 'Active' | 'Terminating' {
  const status = ns['status'] as { phase?: unknown } | undefined;
  return status?.phase === 'Terminating' ? 'Terminating' : 'Active';
}

/**
 * NamespaceLifecycle admission (upstream staging/src/k8s.io/apiserver/pkg/admission/plugin/
 * namespace/lifecycle/admission.go Admit) for a create of `kind` named `name` in `namespace`:
 * in a Namespace whose status.phase is Terminating it is Forbidden, `<resource> "<name>" is
 * forbidden: unable to create new content in namespace x because it is being terminated`; in a
 * namespace that does not exist (not stored, not built in, not in `existing`), NotFound,
 * `namespaces "x" not found`. Call it only where Namespaces are declared (a scenario that never
 * declares one creates its objects where they say, README "Admission"). Namespaces themselves
 * and cluster-scoped objects are never refused. Null when the create may go on.
 */
export function namespaceLifecycleRefusal(cluster: ClusterState, kind: string, namespace: string, name: string, existing?: ReadonlySet<string>): string | null {
  if (namespace === '' || kind === 'Namespace') return null;
  const ns = cluster.objects.get(objectKey('Namespace', '', namespace));
  if (ns === undefined) return BUILT_IN_NAMESPACES.has(namespace) || existing?.has(namespace) === true ? null : `namespaces ${JSON.stringify(namespace)} not found`;
  if (namespacePhase(ns) !== 'Terminating') return null;
  return `${resourceOfKind(kind)} ${JSON.stringify(name)} is forbidden: unable to create new content in namespace ${namespace} because it is being terminated`;
}

/**
 * NamespaceLifecycle for the one pod `capacity --pod` and `explain` are asked about, whose
 * namespace's quotas and limits would else be silently none: a namespace being terminated
 * refuses it; one that does not exist too, when the cluster lists its Namespaces (a cluster dump
 * that holds them), with the cluster's namespaces and the nearest name. Null when the pod may
 * be created.
 */
export function missingNamespace(cluster: ClusterState, pod: Pod): string | null {
  const namespace = pod.metadata?.namespace ?? 'default';
  const declared = cluster.objectsOfKind('Namespace').map((o) => o.metadata.name);
  if (declared.length === 0) return null;
  const refused = namespaceLifecycleRefusal(cluster, 'Pod', namespace, pod.metadata?.generateName || (pod.metadata?.name ?? ''));
  if (refused === null || !refused.startsWith('namespaces ')) return refused;
  const near = closest(namespace, declared);
  return `${refused} (the cluster's namespaces: ${declared.join(', ')}${near !== null ? `; did you mean ${JSON.stringify(near)}?` : ''})`;
}

/** The resource a kind's API errors name (GroupResource.String(): `deployments.apps`, `pods`). */
function resourceOfKind(kind: string): string {
  return kind === 'Pod' ? 'pods' : (objectCountResource(kind) ?? `${kind.toLowerCase()}s`);
}

/**
 * Admits `pod` for creation in `cluster`, in upstream's plugin order
 * (pkg/kubeapiserver/options/plugins.go AllOrderedPlugins): the mutating phase (LimitRanger,
 * Priority, DefaultTolerationSeconds, RuntimeClass), the API's validation of what mutation
 * changed (a request above a default limit), then the validating phase (LimitRanger,
 * RuntimeClass, ResourceQuota). Never changes `pod`.
 */
export function admitPod(cluster: ClusterState, pod: Pod, opts: AdmitOptions = {}): AdmissionResult {
  const existing = opts.existing === true;
  return admit(cluster, pod, { resources: !existing, priority: existing ? 'existing' : true, tolerationSeconds: opts.tolerationSeconds });
}

/**
 * The admission that changes what a pod requests and where it may run, LimitRanger and
 * RuntimeClass, with their validation: what `ksim capacity --pod` applies to the pod whose
 * copies it counts, as the API server would to each copy (priority and default tolerations are
 * not part of that question; the quota, which bounds how many copies, it checks itself with
 * resource-quota.ts quotaRoom and checkQuota). Never changes `pod`.
 */
export function admitResources(cluster: ClusterState, pod: Pod): AdmissionResult {
  return admit(cluster, pod, { resources: true, priority: false });
}

/** The plugins to run: `resources` LimitRanger and RuntimeClass, `priority` Priority,
 * DefaultTolerationSeconds and ResourceQuota ('existing': the priority a stored pod has, the
 * default tolerations, no quota). */
function admit(cluster: ClusterState, pod: Pod, run: { readonly resources: boolean; readonly priority: boolean | 'existing'; readonly tolerationSeconds?: DefaultTolerationSeconds | undefined }): AdmissionResult {
  const name = pod.metadata?.name ?? '';
  // The name a refusal of the mutating phase gives. Upstream's controllers set only
  // metadata.generateName (controller_utils.go GetPodFromTemplate) and the API server generates
  // the name in rest.BeforeCreate, after mutating admission and before validating admission
  // (endpoints/handlers/create.go): admission.NewForbidden's extractResourceName then falls back
  // to generateName, `pods "web-6949c8bf44-" is forbidden`. ksim's controllers draw the name
  // themselves and set both, so the mutating phase names a pod by its generateName when it has
  // one; the validating phase (LimitRanger's and RuntimeClass's Validate, ResourceQuota) and the
  // API's validation, by its name.
  const mutatingName = pod.metadata?.generateName || name;
  const spec: PodSpec = pod.spec ?? { containers: [] };
  // One copy of the pod holds every plugin's fields, built by `merged`, not spreads: every
  // plugin reads the stored pod and spec, and spreads gave them a V8 hidden class of their own
  // per pod.
  const fields: Partial<PodSpec> = {};
  const ranges = run.resources ? cluster.objects.inNamespace(LIMIT_RANGE_KIND, pod.metadata?.namespace ?? 'default') : NO_OBJECTS;
  let limitRanger: string | null = null;
  if (ranges.length > 0) {
    const m = mutateWithRanges(ranges, spec.containers, spec.initContainers);
    if (m.containers !== spec.containers) fields.containers = m.containers;
    if (m.initContainers !== spec.initContainers && m.initContainers !== undefined) fields.initContainers = m.initContainers;
    limitRanger = m.annotation;
  }
  let tolerations = spec.tolerations;
  if (run.priority !== false) {
    const r = run.priority === 'existing' ? { allowed: true as const, fields: existingPriority(cluster, spec) } : admitPriority(cluster, pod, mutatingName);
    if (!r.allowed) return r;
    Object.assign(fields, r.fields);
    tolerations = withDefaultTolerations(spec.tolerations, defaultTolerationsFor(run.tolerationSeconds));
  }
  // RuntimeClass's Admit (mutating, plugin/pkg/admission/runtimeclass/admission.go): the class
  // not found, an overhead other than the class's (setOverhead), a nodeSelector conflict
  // (setScheduling).
  const cls = run.resources ? runtimeClassOf(cluster, spec) : undefined;
  if (cls === null) return forbidden(mutatingName, notFound(spec.runtimeClassName ?? ''));
  if (cls !== undefined) {
    const rc = admitWithClass(cls, spec, tolerations);
    if (!rc.allowed) return forbidden(mutatingName, rc.reason);
    Object.assign(fields, rc.fields);
  }
  if (fields.tolerations === undefined && tolerations !== undefined && tolerations !== spec.tolerations) fields.tolerations = tolerations;
  const admittedSpec: PodSpec = merged(spec, fields);
  const admitted: Pod = limitRanger === null
    ? merged(pod, { spec: admittedSpec })
    : merged(pod, { metadata: merged(pod.metadata, { annotations: merged(pod.metadata?.annotations, { [LIMIT_RANGER_ANNOTATION]: limitRanger }) }), spec: admittedSpec });
  if (fields.containers !== undefined || fields.initContainers !== undefined) {
    const invalid = invalidRequests(name, admittedSpec);
    if (invalid !== null) return { allowed: false, reason: invalid };
  }
  if (ranges.length > 0) {
    const violation = validateWithRanges(ranges, admittedSpec);
    if (violation !== null) return forbidden(name, violation);
  }
  const overhead = validateOverhead(cls, admittedSpec);
  if (overhead !== null) return forbidden(name, overhead);
  if (run.priority === true) {
    const quota = checkQuota(cluster, admitted);
    if (quota !== null) return forbidden(name, quota);
  }
  return { allowed: true, pod: admitted };
}

/** Priority admission's outcome: the spec fields it sets, or why it refuses the pod. */
type PriorityResult = { readonly allowed: true; readonly fields: Partial<PodSpec> } | { readonly allowed: false; readonly reason: string };

/** Priority admission's Admit (mutating): `name` is the one its refusals give (admit's
 * mutatingName). */
function admitPriority(cluster: ClusterState, pod: Pod, name: string): PriorityResult {
  const spec: PodSpec = pod.spec ?? { containers: [] };
  const className = spec.priorityClassName ?? '';
  let priority: number;
  let policy: string;
  let resolvedName = className;
  if (className === '') {
    const dflt = defaultClass(cluster);
    priority = dflt?.value ?? 0;
    policy = dflt?.preemptionPolicy ?? PREEMPT_LOWER_PRIORITY;
    resolvedName = dflt?.name ?? '';
  } else {
    const cls = lookupClass(cluster, className);
    if (cls === null) return forbidden(name, `no PriorityClass with name ${className} was found`);
    priority = cls.value;
    policy = cls.preemptionPolicy;
  }
  if (spec.priority !== undefined && spec.priority !== null && spec.priority !== priority) {
    return forbidden(name, `the integer value of priority (${spec.priority}) must not be provided in pod spec; priority admission controller computed ${priority} from the given PriorityClass name`);
  }
  if (spec.preemptionPolicy !== undefined && spec.preemptionPolicy !== null && spec.preemptionPolicy !== policy) {
    return forbidden(name, `the string value of PreemptionPolicy (${spec.preemptionPolicy}) must not be provided in pod spec; priority admission controller computed ${policy} from the given PriorityClass name`);
  }
  const fields: Partial<PodSpec> = { priority, preemptionPolicy: policy };
  if (resolvedName !== '') fields.priorityClassName = resolvedName;
  return { allowed: true, fields };
}

/** A stored pod's priority: its spec.priority as the cluster's Priority admission set it (the
 * PriorityClass may be missing from a snapshot, or changed since: upstream never re-resolves
 * it), else what its class or the default class gives now, else 0. */
function existingPriority(cluster: ClusterState, spec: PodSpec): Partial<PodSpec> {
  const policy = spec.preemptionPolicy ?? undefined;
  if (typeof spec.priority === 'number') return { priority: spec.priority, preemptionPolicy: policy ?? PREEMPT_LOWER_PRIORITY };
  const className = spec.priorityClassName ?? '';
  const cls = className === '' ? defaultClass(cluster) : lookupClass(cluster, className);
  return { priority: cls?.value ?? 0, preemptionPolicy: policy ?? cls?.preemptionPolicy ?? PREEMPT_LOWER_PRIORITY };
}

/** The PriorityClass names `spec` gives that the store lacks (and are not system classes): a
 * snapshot's pods keep their priority, but new pods naming the class are refused. */
export function missingPriorityClass(cluster: ClusterState, spec: PodSpec | undefined): string | null {
  const name = spec?.priorityClassName ?? '';
  return name !== '' && lookupClass(cluster, name) === null ? name : null;
}

/** Taint keys the node lifecycle controller sets (k8s.io/api core/v1 well_known_taints.go). */
export const TAINT_NOT_READY = 'node.kubernetes.io/not-ready';
export const TAINT_UNREACHABLE = 'node.kubernetes.io/unreachable';
/** --default-not-ready-toleration-seconds / --default-unreachable-toleration-seconds' default
 * (upstream plugin/pkg/admission/defaulttolerationseconds/admission.go); the scenario's
 * controlPlane.apiServer may set others (AdmitOptions.tolerationSeconds). */
export const DEFAULT_TOLERATION_SECONDS = 300;

/** DefaultTolerationSeconds admission (upstream plugin/pkg/admission/defaulttolerationseconds/
 * admission.go), run after priority admission: a pod without a toleration for not-ready
 * (resp. unreachable) with effect NoExecute or empty gets {key, Exists, NoExecute, 300 s} (the
 * flags' defaults).
 * Returns `pod` itself when nothing is added. */
export function addDefaultTolerations(pod: Pod): Pod {
  const spec = pod.spec;
  if (spec === undefined) return pod;
  const tolerations = withDefaultTolerations(spec.tolerations, DEFAULT_TOLERATIONS);
  return tolerations === spec.tolerations ? pod : { ...pod, spec: { ...spec, tolerations } };
}

/** The two tolerations DefaultTolerationSeconds adds, shared by every pod, and the list a pod
 * without tolerations gets: nothing changes a stored pod's spec in place. (Not frozen: frozen
 * objects and arrays have their own shapes, which made the toleration loops on the per-node
 * path polymorphic: a 20,000-row trace replay ran 3–6 % slower.) */
const NOT_READY_TOLERATION: Toleration = { key: TAINT_NOT_READY, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: DEFAULT_TOLERATION_SECONDS };
const UNREACHABLE_TOLERATION: Toleration = { key: TAINT_UNREACHABLE, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: DEFAULT_TOLERATION_SECONDS };
const DEFAULT_TOLERATIONS: Toleration[] = [NOT_READY_TOLERATION, UNREACHABLE_TOLERATION];
/** The pair for other seconds, made once per pair (shared by every pod, as the defaults). */
const otherTolerations = new Map<string, Toleration[]>();

/** The [not-ready, unreachable] tolerations DefaultTolerationSeconds adds with `s`. */
function defaultTolerationsFor(s: DefaultTolerationSeconds | undefined): Toleration[] {
  if (s === undefined || (s.notReady === DEFAULT_TOLERATION_SECONDS && s.unreachable === DEFAULT_TOLERATION_SECONDS)) return DEFAULT_TOLERATIONS;
  const key = `${s.notReady}/${s.unreachable}`;
  let pair = otherTolerations.get(key);
  if (pair === undefined) {
    pair = [{ ...NOT_READY_TOLERATION, tolerationSeconds: s.notReady }, { ...UNREACHABLE_TOLERATION, tolerationSeconds: s.unreachable }];
    otherTolerations.set(key, pair);
  }
  return pair;
}

/** `tols` with the default tolerations (`defaults`, [not-ready, unreachable]) it lacks; `tols`
 * itself when it lacks none. */
function withDefaultTolerations(tols: Toleration[] | undefined, defaults: Toleration[]): Toleration[] {
  if (tols === undefined || tols.length === 0) return defaults;
  let notReady = false;
  let unreachable = false;
  for (const t of tols) {
    if (t.effect !== undefined && t.effect !== '' && t.effect !== 'NoExecute') continue;
    if (t.key === TAINT_NOT_READY) notReady = true;
    if (t.key === TAINT_UNREACHABLE) unreachable = true;
  }
  if (notReady && unreachable) return tols;
  const added = [...tols];
  if (!notReady) added.push(defaults[0] as Toleration);
  if (!unreachable) added.push(defaults[1] as Toleration);
  return added;
}

/** admission.NewForbidden for pods: `pods "<name>" is forbidden: <why>`. */
function forbidden(name: string, why: string): { readonly allowed: false; readonly reason: string } {
  return { allowed: false, reason: `pods "${name}" is forbidden: ${why}` };
}

function resolve(o: WorkloadObject): ResolvedClass {
  const value = typeof o['value'] === 'number' ? (o['value'] as number) : 0;
  const pp = typeof o['preemptionPolicy'] === 'string' ? (o['preemptionPolicy'] as string) : PREEMPT_LOWER_PRIORITY;
  return { name: o.metadata.name, value, preemptionPolicy: pp };
}

/**
 * Why the API server refuses a create (`old` undefined) or an update of PriorityClass `o`, or
 * null: its validation first (upstream pkg/apis/scheduling/validation ValidatePriorityClassUpdate:
 * value and preemptionPolicy are immutable), then Priority admission's validatePriorityClass
 * (plugin/pkg/admission/priority/admission.go): a class marked globalDefault while another one
 * is (created, or updated under another name) is refused. Messages as upstream's.
 */
export function refusedPriorityClassWrite(cluster: ClusterState, o: WorkloadObject, old: WorkloadObject | undefined): string | null {
  const name = o.metadata.name;
  if (old !== undefined) {
    const errors: string[] = [];
    const now = resolve(o);
    const before = resolve(old);
    if (now.value !== before.value) errors.push('value: Forbidden: may not be changed in an update.');
    if (now.preemptionPolicy !== before.preemptionPolicy) errors.push(`preemptionPolicy: Invalid value: ${JSON.stringify(now.preemptionPolicy)}: field is immutable`);
    if (errors.length > 0) return `PriorityClass.scheduling.k8s.io ${JSON.stringify(name)} is invalid: ${errors.length === 1 ? errors[0]! : `[${errors.join(', ')}]`}`;
  }
  if (o['globalDefault'] === true) {
    const dflt = defaultClass(cluster);
    if (dflt !== null && (old === undefined || dflt.name !== name)) {
      return `priorityclasses.scheduling.k8s.io ${JSON.stringify(name)} is forbidden: PriorityClass ${dflt.name} is already marked as default. Only one default can exist`;
    }
  }
  return null;
}

function lookupClass(cluster: ClusterState, name: string): ResolvedClass | null {
  const o = cluster.objects.get(objectKey(PRIORITY_CLASS_KIND, '', name));
  if (o !== undefined) return resolve(o);
  const sys = SYSTEM_PRIORITY_CLASSES.get(name);
  return sys === undefined ? null : { name, value: sys, preemptionPolicy: PREEMPT_LOWER_PRIORITY };
}

/** The globalDefault class with the lowest value (upstream getDefaultPriorityClass), or null. */
function defaultClass(cluster: ClusterState): ResolvedClass | null {
  const version = cluster.objects.kindVersion(PRIORITY_CLASS_KIND);
  const cached = defaultClassCache.get(cluster);
  if (cached !== undefined && cached.version === version) return cached.cls;
  let best: ResolvedClass | null = null;
  for (const o of cluster.objects.ofKind(PRIORITY_CLASS_KIND).values()) {
    if (o['globalDefault'] !== true) continue;
    const c = resolve(o);
    if (best === null || c.value < best.value) best = c;
  }
  defaultClassCache.set(cluster, { version, cls: best });
  return best;
}
