// Objects other than Pods and Nodes that the simulation stores (Deployments, ReplicaSets,
// PriorityClasses, PodDisruptionBudgets, ...), kept as their manifests.

export interface WorkloadObject {
  readonly apiVersion?: string;
  readonly kind: string;
  readonly metadata: {
    name: string;
    /** "" for cluster-scoped objects (PriorityClass, Namespace). */
    namespace: string;
    uid?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    ownerReferences?: unknown[];
  };
  readonly spec?: unknown;
  /** Top-level fields of kinds without a spec (PriorityClass.value, ...). */
  readonly [field: string]: unknown;
}

export function objectKey(kind: string, namespace: string, name: string): string {
  return `${kind}/${namespace}/${name}`;
}

export function keyOf(o: WorkloadObject): string {
  return objectKey(o.kind, o.metadata.namespace, o.metadata.name);
}
