// The metadata of a pod a controller makes from its template (ReplicaSet, DaemonSet, Job,
// StatefulSet).
import type { ObjectMeta, OwnerReference } from 'kubernetes-types/meta/v1.js';
import { deepFreeze, merged } from '../api/values.js';

/** The fields of a pod's metadata a controller sets besides its name and namespace. */
export interface PodMetadataParts {
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
  readonly ownerReferences: OwnerReference[];
  /** metadata.generateName, `<owner>-` (upstream controller_utils.go GetPodFromTemplate sets
   * GenerateName to getPodsPrefix(owner name) and leaves the name to the API server, which
   * generates it in rest.BeforeCreate, after mutating admission: that phase's refusals name the
   * pod by it). ksim draws the name itself (PodNames) and sets both. Absent for a StatefulSet's
   * pods, which are named. One string per owner, not per pod. */
  readonly generateName?: string;
}

/**
 * The template's metadata with the pod's own name, namespace, labels, owner reference and a copy
 * of the annotations: `{ ...tmd, name, namespace, labels, annotations, ownerReferences }`, built
 * by `merged` (the spread gave every pod's metadata a V8 hidden class of its own); with
 * `generateName`, that field too (after the name).
 */
export function ownedPodMetadata(tmd: ObjectMeta, name: string, namespace: string, labels: Record<string, string>, owner: OwnerReference, generateName?: string): ObjectMeta {
  const annotations = { ...(tmd.annotations ?? {}) };
  return podMetadataWith(tmd, name, namespace, generateName === undefined ? { labels, annotations, ownerReferences: [owner] } : { labels, annotations, ownerReferences: [owner], generateName });
}

/** The parts of ownedPodMetadata that are the same for every pod of a controller whose pods
 * differ only in name (a ReplicaSet), made once per template and frozen, for its pods
 * to share: a churn's pods each held their own copies of them (about 240 bytes, copied by every
 * young-generation collection that promoted the pod). Nothing writes into a stored pod's labels,
 * annotations or owner references: a change replaces the object (GpuDevices.assign). */
export function sharedPodMetadataParts(tmd: ObjectMeta, owner: OwnerReference, generateName: string): PodMetadataParts {
  return deepFreeze({ labels: { ...(tmd.labels ?? {}) }, annotations: { ...(tmd.annotations ?? {}) }, ownerReferences: [owner], generateName });
}

/** ownedPodMetadata with its parts given. */
export function podMetadataWith(tmd: ObjectMeta, name: string, namespace: string, parts: PodMetadataParts): ObjectMeta {
  if (parts.generateName === undefined) return merged<ObjectMeta>(tmd, { name, namespace, labels: parts.labels, annotations: parts.annotations, ownerReferences: parts.ownerReferences });
  return merged<ObjectMeta>(tmd, { name, generateName: parts.generateName, namespace, labels: parts.labels, annotations: parts.annotations, ownerReferences: parts.ownerReferences });
}
