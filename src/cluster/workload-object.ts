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

/** An object's controller: the ownerReference with `controller: true` (upstream
 * metav1.GetControllerOf), or null. */
export function controllerRef(o: { readonly metadata?: { readonly ownerReferences?: readonly unknown[] } }): { kind: string; name: string } | null {
  for (const r of (o.metadata?.ownerReferences ?? []) as { kind?: unknown; name?: unknown; controller?: unknown }[]) {
    if (r.controller === true && typeof r.kind === 'string' && typeof r.name === 'string') return { kind: r.kind, name: r.name };
  }
  return null;
}
