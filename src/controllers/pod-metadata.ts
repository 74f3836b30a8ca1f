// The metadata of a pod a controller makes from its template (ReplicaSet, DaemonSet, Job,
// StatefulSet).
import type { ObjectMeta, OwnerReference } from 'kubernetes-types/meta/v1.js';

/**
 * The template's metadata with the pod's own name, namespace, labels, owner reference and a copy
 * of the annotations. The fields every pod has come first, in one object literal, and the
 * template's other fields (rare: generateName, finalizers, ...) after: spreading the template's
 * metadata into the literal (`{ ...tmd, name, ... }`) gave every pod's metadata a hidden class of
 * its own in V8 (a map and descriptors per pod, about 300 bytes, and every site that reads pod
 * metadata megamorphic).
 */
export function ownedPodMetadata(tmd: ObjectMeta, name: string, namespace: string, labels: Record<string, string>, owner: OwnerReference): ObjectMeta {
  const md: ObjectMeta = { labels, annotations: { ...(tmd.annotations ?? {}) }, name, namespace, ownerReferences: [owner] };
  for (const k of Object.keys(tmd)) if (!(k in md)) (md as Record<string, unknown>)[k] = (tmd as Record<string, unknown>)[k];
  return md;
}
