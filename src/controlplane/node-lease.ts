// A node's Lease (coordination.k8s.io/v1, namespace kube-node-lease), the heartbeat its kubelet
// renews every 10 s and the node lifecycle controller reads (upstream pkg/kubelet/nodelease,
// component-helpers/apimachinery/lease).
import { objectKey, type WorkloadObject } from '../cluster/workload-object.js';

export const LEASE_KIND = 'Lease' as const;
export const LEASE_NAMESPACE = 'kube-node-lease';
/** Upstream kubelet nodeLeaseDurationSeconds default. */
export const LEASE_DURATION_S = 40;
/** Renew interval: 1/4 of the lease duration (upstream nodelease.NewController: 10 s). */
export const LEASE_RENEW_INTERVAL_US = 10_000_000;

/** A node's Lease metadata. The kubelet makes its Node the Lease's owner (upstream
 * pkg/kubelet/util/nodelease.go SetNodeOwnerFunc, the lease controller's newLeasePostProcessFunc:
 * an ownerReference to the Node, not a controller one; ksim keeps no UIDs), so the garbage
 * collector deletes the Lease once the Node is deleted (garbage-collector.ts). */
export function leaseMetadata(node: string): WorkloadObject['metadata'] {
  return { name: node, namespace: LEASE_NAMESPACE, ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: node }] };
}

/** Whether Lease `o` is owned by the Node `node` (an ownerReference of kind Node and that name). */
export function ownedByNode(o: WorkloadObject, node: string): boolean {
  for (const r of (o.metadata.ownerReferences ?? []) as { kind?: unknown; name?: unknown }[]) if (r.kind === 'Node' && r.name === node) return true;
  return false;
}

/** The Lease object of a node, renewed at `renewUs` (simulated µs; upstream spec.renewTime is a
 * MicroTime, ksim keeps the simulated clock). `metadata`: the node's Lease metadata, when the
 * caller keeps it (one object for all of a node's Lease objects: nothing changes it). */
export function leaseObject(node: string, renewUs: number, metadata: WorkloadObject['metadata'] = leaseMetadata(node)): WorkloadObject {
  return {
    apiVersion: 'coordination.k8s.io/v1',
    kind: LEASE_KIND,
    metadata,
    spec: { holderIdentity: node, leaseDurationSeconds: LEASE_DURATION_S, renewTime: renewUs },
  };
}

/**
 * What the API server and a node's kubelet share about the node's Lease, made once per node.
 * 65,000 kubelets renew every 10 s, and most of an idle large cluster's time went to the
 * renewals' cache misses: a lookup of the stored Lease in the store's map and a write into it,
 * a new Lease object that lived until the next renewal (and so was promoted and collected by the
 * old generation's collector), and the node lifecycle controller's lookup of the renewal's node.
 * The API server therefore keeps the stored Lease here (`stored`, the object the store holds for
 * `key`), a renewal's commit changes its renewTime in place, and its delivery records the time
 * heard (`heardRenewUs`), which the node lifecycle controller reads on its monitor pass
 * (ApiServer.renewLease). `stored` is null when the API server does not know the stored object
 * (not created yet, or written by another path): the next renewal looks it up.
 * Renewals do not change the store's kindVersion('Lease'): nothing derives a cache from Leases.
 */
export class NodeLease {
  /** The store key, the same string object for every write (the store compares it by identity). */
  readonly key: string;
  readonly metadata: WorkloadObject['metadata'];
  stored: WorkloadObject | null = null;
  /** The latest renewTime the API server's watchers have heard of (renewals are delivered after
   * the watch delay; 0 until the first renewal is): what a controller's informer cache holds,
   * read where it is needed instead of matching every renewal to a node as it is delivered. */
  heardRenewUs = 0;

  constructor(readonly node: string) {
    this.key = objectKey(LEASE_KIND, LEASE_NAMESPACE, node);
    this.metadata = leaseMetadata(node);
  }

  /** A new Lease object of this node renewed at `renewUs`. */
  object(renewUs: number): WorkloadObject {
    return leaseObject(this.node, renewUs, this.metadata);
  }
}
