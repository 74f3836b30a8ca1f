// The metadata of a pod a controller makes from its template (ReplicaSet, DaemonSet, Job,
// StatefulSet).
import type { ObjectMeta, OwnerReference } from 'kubernetes-types/meta/v1.js';
import { merged } from '../api/values.js';

/**
 * The template's metadata with the pod's own name, namespace, labels, owner reference and a copy
 * of the annotations: `{ ...tmd, name, namespace, labels, annotations, ownerReferences }`, built
 * by `merged` (the spread gave every pod's metadata a V8 hidden class of its own).
 */
export function ownedPodMetadata(tmd: ObjectMeta, name: string, namespace: string, labels: Record<string, string>, owner: OwnerReference): ObjectMeta {
  return merged<ObjectMeta>(tmd, { name, namespace, labels, annotations: { ...(tmd.annotations ?? {}) }, ownerReferences: [owner] });
}
