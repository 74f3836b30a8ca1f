// Objects other than Pods and Nodes that the simulation stores (Deployments, ReplicaSets,
// PriorityClasses, PodDisruptionBudgets, ...), kept as their manifests. The spec fields ksim
// reads are typed per kind (SpecByKind): manifests are checked against them when loaded
// (src/workload/manifests.ts), so a controller's informer hands out typed objects, not casts.
import type { PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import type { LabelSelector } from 'kubernetes-types/meta/v1.js';

export interface ObjectMetadata {
  name: string;
  /** "" for cluster-scoped objects (PriorityClass, Namespace). */
  namespace: string;
  uid?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: unknown[];
}

export interface WorkloadObject {
  readonly apiVersion?: string;
  readonly kind: string;
  readonly metadata: ObjectMetadata;
  readonly spec?: unknown;
  /** Top-level fields of kinds without a spec (PriorityClass.value, ...). */
  readonly [field: string]: unknown;
}

/** apps/v1 DeploymentSpec: the fields ksim reads. */
export interface DeploymentSpec {
  replicas?: number;
  selector?: LabelSelector;
  template?: PodTemplateSpec;
  strategy?: { type?: string; rollingUpdate?: { maxSurge?: number | string; maxUnavailable?: number | string } };
  /** Only scaled while true: no new ReplicaSet, no rollout (upstream sync.go). */
  paused?: boolean;
  /** A pod counts as available once Ready this long (upstream IsPodAvailable). */
  minReadySeconds?: number;
}

/** apps/v1 ReplicaSetSpec: the fields ksim reads. */
export interface ReplicaSetSpec {
  replicas?: number;
  minReadySeconds?: number;
  selector?: LabelSelector;
  template?: PodTemplateSpec;
}

/** apps/v1 StatefulSetSpec: the fields ksim reads. */
export interface StatefulSetSpec {
  replicas?: number;
  selector?: LabelSelector;
  template?: PodTemplateSpec;
  serviceName?: string;
  podManagementPolicy?: 'OrderedReady' | 'Parallel';
  /** OrderedReady creates the next ordinal once the previous ones are available: Ready this
   * long (upstream isRunningAndAvailable). */
  minReadySeconds?: number;
}

/** apps/v1 DaemonSetSpec: the fields ksim reads. */
export interface DaemonSetSpec {
  selector?: LabelSelector;
  template?: PodTemplateSpec;
  minReadySeconds?: number;
  updateStrategy?: { type?: string; rollingUpdate?: { maxUnavailable?: number | string; maxSurge?: number | string } | null };
}

/** batch/v1 JobSpec: the fields ksim reads. */
export interface JobSpec {
  parallelism?: number;
  completions?: number;
  backoffLimit?: number;
  ttlSecondsAfterFinished?: number;
  template?: PodTemplateSpec;
}

/** batch/v1 CronJobSpec: the fields ksim reads (`schedule` is required when loaded). */
export interface CronJobSpec {
  schedule: string;
  concurrencyPolicy?: 'Allow' | 'Forbid' | 'Replace';
  suspend?: boolean;
  /** A late start (a missed time) is skipped once this many seconds have passed since it. */
  startingDeadlineSeconds?: number;
  successfulJobsHistoryLimit?: number;
  failedJobsHistoryLimit?: number;
  jobTemplate?: { metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> }; spec?: JobSpec };
}

/** policy/v1 PodDisruptionBudgetSpec: the fields ksim reads. */
export interface PdbSpec {
  selector?: LabelSelector | null;
  minAvailable?: number | string;
  maxUnavailable?: number | string;
}

/** coordination.k8s.io/v1 LeaseSpec as ksim's kubelets write it: renewTime in simulated µs. */
export interface LeaseSpec {
  renewTime?: number;
}

/** v1 ServiceSpec: the selector, which PodTopologySpread's default constraints read (a map of
 * labels; nil selects nothing). */
export interface ServiceSpec {
  selector?: Record<string, string> | null;
}

/** v1 ReplicationControllerSpec: the selector (a map of labels), read by PodTopologySpread's
 * default constraints for the pods it owns. ksim runs no ReplicationController controller: these
 * come from cluster snapshots only. */
export interface ReplicationControllerSpec {
  selector?: Record<string, string> | null;
}

/** autoscaling/v2 (and v1) HorizontalPodAutoscalerSpec: the fields ksim reads. */
export interface HorizontalPodAutoscalerSpec {
  scaleTargetRef?: { apiVersion?: string; kind?: string; name?: string };
  minReplicas?: number | null;
  maxReplicas?: number;
}

/** The spec type of each kind whose spec ksim reads. */
export interface SpecByKind {
  Deployment: DeploymentSpec;
  ReplicaSet: ReplicaSetSpec;
  StatefulSet: StatefulSetSpec;
  DaemonSet: DaemonSetSpec;
  Job: JobSpec;
  CronJob: CronJobSpec;
  PodDisruptionBudget: PdbSpec;
  Lease: LeaseSpec;
  Service: ServiceSpec;
  ReplicationController: ReplicationControllerSpec;
  HorizontalPodAutoscaler: HorizontalPodAutoscalerSpec;
}

export type TypedKind = keyof SpecByKind;

/** A stored object of kind K, its spec typed. */
export interface ObjectOf<K extends TypedKind> extends WorkloadObject {
  readonly kind: K;
  readonly spec?: SpecByKind[K];
}

/** Whether `o` is of kind `kind` (and so has that kind's spec type: the loader checked it). */
export function isKind<K extends TypedKind>(o: WorkloadObject, kind: K): o is ObjectOf<K> {
  return o.kind === kind;
}

export function objectKey(kind: string, namespace: string, name: string): string {
  return `${kind}/${namespace}/${name}`;
}

export function keyOf(o: WorkloadObject): string {
  return objectKey(o.kind, o.metadata.namespace, o.metadata.name);
}

/** An object's controller: the ownerReference with `controller: true` (upstream
 * metav1.GetControllerOf), or null. */
export function controllerRef(o: { readonly metadata?: { readonly ownerReferences?: readonly unknown[] } }): { kind: string; name: string } | null {
  for (const r of (o.metadata?.ownerReferences ?? []) as { kind?: unknown; name?: unknown; controller?: unknown }[]) {
    if (r.controller === true && typeof r.kind === 'string' && typeof r.name === 'string') return { kind: r.kind, name: r.name };
  }
  return null;
}
