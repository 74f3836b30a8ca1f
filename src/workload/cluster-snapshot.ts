// A cluster as `kubectl get nodes,pods,namespaces -A -o json` prints it (a List, YAML or JSON,
// or several documents): Nodes, bound Pods, Namespaces, and the owners PodTopologySpread reads
// selectors from. Used by `ksim explain --cluster` and built into a ClusterState.
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { InputError } from '../api/input-error.js';
import { readYamlFile, type Path, type YamlDoc } from '../api/yaml-source.js';
import { ClusterState } from '../cluster/cluster-state.js';
import { PodInfo } from '../cluster/pod-info.js';
import type { WorkloadObject } from '../cluster/workload-object.js';
import { readManifest, readNode } from './manifests.js';

export interface ClusterSnapshot {
  readonly nodes: readonly Node[];
  /** Pods bound to nodes (spec.nodeName set) and not terminated. */
  readonly pods: readonly Pod[];
  readonly objects: readonly WorkloadObject[];
}

/** Kinds read into cluster.objects as they are (selectors of owners and services). */
const OWNER_KINDS = new Set(['ReplicaSet', 'StatefulSet', 'ReplicationController', 'Service', 'Deployment', 'DaemonSet', 'Job']);

interface Item {
  readonly doc: YamlDoc;
  readonly path: Path;
  readonly value: Record<string, unknown>;
}

/** Every object of a file: multi-document YAML/JSON, with `kind: List` documents expanded. */
export function readObjects(file: string): Item[] {
  const out: Item[] = [];
  for (const d of readYamlFile(file, file)) {
    const v = d.toJS() as Record<string, unknown> | null;
    if (v === null || typeof v !== 'object' || Array.isArray(v)) throw d.error([], 'a Kubernetes object or a List', Array.isArray(v) ? 'a list' : JSON.stringify(v));
    if (v['kind'] === 'List' || String(v['kind'] ?? '').endsWith('List')) {
      const items = v['items'];
      if (!Array.isArray(items)) throw d.error(['items'], 'a list of objects');
      items.forEach((it, i) => out.push({ doc: d, path: ['items', i], value: it as Record<string, unknown> }));
    } else {
      out.push({ doc: d, path: [], value: v });
    }
  }
  return out;
}

export function readClusterSnapshot(file: string): ClusterSnapshot {
  const nodes: Node[] = [];
  const pods: Pod[] = [];
  const objects: WorkloadObject[] = [];
  const nodeNames = new Set<string>();
  const pending: Item[] = [];
  for (const it of readObjects(file)) {
    const kind = it.value['kind'];
    if (kind === 'Node') {
      const n = readNode(it.doc, it.path, it.value);
      const name = n.metadata?.name as string;
      if (nodeNames.has(name)) throw it.doc.error([...it.path, 'metadata', 'name'], 'a node name not used before', JSON.stringify(name));
      nodeNames.add(name);
      nodes.push(n);
    } else if (kind === 'Pod') {
      pending.push(it);
    } else if (kind === 'Namespace' || (typeof kind === 'string' && OWNER_KINDS.has(kind))) {
      const md = (it.value['metadata'] ?? {}) as Record<string, unknown>;
      if (typeof md['name'] !== 'string') throw it.doc.error([...it.path, 'metadata', 'name'], 'a name');
      objects.push({ ...(it.value as object), kind, metadata: { ...md, name: md['name'], namespace: kind === 'Namespace' ? '' : String(md['namespace'] ?? 'default') } } as WorkloadObject);
    } else {
      throw it.doc.error([...it.path, 'kind'], 'Node, Pod, Namespace, or an owner (ReplicaSet, StatefulSet, Service, ...)', JSON.stringify(kind));
    }
  }
  for (const it of pending) {
    const phase = (it.value['status'] as Record<string, unknown> | undefined)?.['phase'];
    if (phase === 'Succeeded' || phase === 'Failed') continue; // terminated pods hold nothing
    const spec = it.value['spec'] as Record<string, unknown> | undefined;
    const nodeName = spec?.['nodeName'];
    if (nodeName === undefined) continue; // pending pods do not occupy anything
    const pod = readManifest(it.doc, it.path, it.value, { allowNodeName: true }) as Pod;
    if (typeof nodeName !== 'string' || !nodeNames.has(nodeName)) {
      throw it.doc.error([...it.path, 'spec', 'nodeName'], 'the name of a node in the same file', JSON.stringify(nodeName));
    }
    pods.push(pod);
  }
  if (nodes.length === 0) throw new InputError(file, 0, 0, '', 'at least one Node');
  return { nodes, pods, objects };
}

/** A ClusterState holding a snapshot: nodes, bound pods placed on them, objects and namespaces. */
export function clusterFromSnapshot(s: ClusterSnapshot): ClusterState {
  const c = new ClusterState();
  for (const n of s.nodes) c.addNode(n, '');
  for (const o of s.objects) {
    c.objects.set(`${o.kind}/${o.metadata.namespace}/${o.metadata.name}`, o);
    if (o.kind === 'Namespace') c.setNamespace(o.metadata.name, o.metadata.labels ?? {});
  }
  for (const pod of s.pods) {
    const p = new PodInfo(pod, 0);
    c.addPod(p);
    c.assume(p, c.mustNode(pod.spec?.nodeName as string));
    p.bound = true;
    c.setPhase(p, 'Running');
  }
  return c;
}
