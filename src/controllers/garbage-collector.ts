// Garbage collector (upstream pkg/controller/garbagecollector, foreground details not modelled):
// when an object is deleted, its dependents — objects and pods whose controller ownerReference
// (controller: true) names it — are deleted through the API, which cascades (Deployment →
// ReplicaSets → Pods, CronJob → Jobs → Pods). A dependent created after its owner was deleted
// (a create that was in flight) is deleted when it appears, as upstream deletes dependents
// whose owner is gone. A cluster snapshot's finished pods (ClusterState.finishedAtStart, told to
// no watcher) are dependents too: deleted with their owner (a Job its TTL or its CronJob's history
// limit deletes), so they leave the quota's count/pods as upstream's do.
// A deleted Node's Lease (kube-node-lease/<node>), which its kubelet made the Node the owner of
// (upstream pkg/kubelet/util/nodelease.go SetNodeOwnerFunc; node-lease.ts), is deleted when the
// collector hears of the Node's deletion, as upstream's deletes a dependent whose owners are all
// gone (a Node-owned object's only owner). Other objects naming a Node as owner are not
// collected (ksim's kubelets make no others).
import type { ApiServer } from '../controlplane/api-server.js';
import { LEASE_KIND, LEASE_NAMESPACE, ownedByNode } from '../controlplane/node-lease.js';
import type { OwnerReference } from 'kubernetes-types/meta/v1.js';
import type { PodInfo } from '../cluster/pod-info.js';
import { controllerRef, objectKey, type WorkloadObject } from '../cluster/workload-object.js';

/** The dependents an owner has had, in the order the collector heard of them (the order it
 * deletes them in). Deleted pods are dropped now and then, once they are half of the list, not
 * one by one: a Set's insert and delete per pod, each a cold probe of a table of thousands of
 * pods, was 2 % of a long churn (dropping them once they were a fifth, 0.6 %: each drop reads
 * every pod listed). */
interface Dependents {
  pods: PodInfo[];
  /** Pods heard added and not heard deleted. */
  live: number;
}

export class GarbageCollector {
  /** Live pods by their controller owner's object key. */
  private readonly podsByOwner = new Map<string, Dependents>();
  /** Owners seen deleted (object keys). */
  private readonly gone = new Set<string>();
  /** A cluster snapshot's finished pods by their controller owner's object key. */
  private readonly finishedByOwner = new Map<string, PodInfo[]>();

  constructor(private readonly api: ApiServer) {
    api.watch({
      startStateCommitted: () => {
        for (const p of api.cluster.finishedAtStart.values()) {
          if (p.ownerKind === '' || !isControlled(p)) continue;
          const list = this.finishedByOwner.get(p.ownerObjectKey);
          if (list === undefined) this.finishedByOwner.set(p.ownerObjectKey, [p]);
          else list.push(p);
        }
      },
      podAdded: (p) => {
        if (p.ownerKind === '' || !isControlled(p)) return;
        const k = p.ownerObjectKey;
        if (this.gone.has(k) && !api.cluster.objects.has(k)) {
          api.deletePod(p, `owner ${k} deleted`);
          return;
        }
        let d = this.podsByOwner.get(k);
        if (d === undefined) this.podsByOwner.set(k, (d = { pods: [], live: 0 }));
        d.pods.push(p);
        d.live++;
        p.dependent = true;
      },
      podDeleted: (p) => {
        // Every pod heard added was deleted through the API, so it is deleted by the time the
        // watch says so: the list keeps its order and drops those now and then.
        if (!p.dependent) return;
        p.dependent = false;
        const k = p.ownerObjectKey;
        const d = this.podsByOwner.get(k) as Dependents;
        if (--d.live === 0) this.podsByOwner.delete(k);
        else if (d.pods.length > 2 * d.live + 64) d.pods = d.pods.filter(notDeleted);
      },
      objectAdded: (o) => {
        this.gone.delete(objectKey(o.kind, o.metadata.namespace, o.metadata.name));
        const ref = controllerRef(o);
        if (ref === null) return;
        const k = objectKey(ref.kind, o.metadata.namespace, ref.name);
        if (this.gone.has(k) && !api.cluster.objects.has(k)) api.deleteObject(o.kind, o.metadata.namespace, o.metadata.name);
      },
      objectDeleted: (o) => this.collect(o),
      nodeDeleted: (n) => {
        const lease = api.cluster.objects.get(objectKey(LEASE_KIND, LEASE_NAMESPACE, n.name));
        if (lease !== undefined && ownedByNode(lease, n.name)) api.deleteObject(LEASE_KIND, LEASE_NAMESPACE, n.name);
      },
    });
  }

  private collect(owner: WorkloadObject): void {
    const ns = owner.metadata.namespace;
    const k = objectKey(owner.kind, ns, owner.metadata.name);
    this.gone.add(k);
    for (const p of this.podsByOwner.get(k)?.pods ?? []) if (!p.deleted) this.api.deletePod(p, `owner ${k} deleted`);
    const finished = this.finishedByOwner.get(k);
    if (finished !== undefined) {
      this.finishedByOwner.delete(k);
      for (const p of finished) if (!p.deleted) this.api.deletePod(p, `owner ${k} deleted`);
    }
    for (const o of this.api.cluster.objects.values()) {
      if (o.metadata.namespace !== ns) continue;
      const ref = controllerRef(o);
      if (ref !== null && ref.kind === owner.kind && ref.name === owner.metadata.name) this.api.deleteObject(o.kind, ns, o.metadata.name);
    }
  }
}

function notDeleted(p: PodInfo): boolean {
  return !p.deleted;
}

function isControlled(p: PodInfo): boolean {
  // A loop, not some(): a closure per pod added.
  const refs = p.pod.metadata?.ownerReferences;
  if (refs === undefined || refs === null) return false;
  for (let i = 0; i < refs.length; i++) {
    const r = refs[i] as OwnerReference;
    if (r.controller === true && r.kind === p.ownerKind && r.name === p.ownerName) return true;
  }
  return false;
}
