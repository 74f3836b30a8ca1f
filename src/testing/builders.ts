// Fluent builders for tests, in the style of upstream's pkg/scheduler/testing wrappers
// (st.MakePod().Req(...).Obj(), st.MakeNode().Capacity(...).Obj()):
//
//   const pod = makePod('web').namespace('prod').req({ cpu: '1', memory: '1Gi' }).priority(10).obj();
//   const node = makeNode('n1').capacity({ cpu: '4', memory: '8Gi', pods: '110' }).label('zone', 'a').obj();
//   const cluster = buildCluster([node], [makePod('old').node('n1').req({ cpu: '2' }).obj()]);
//
// Builders never share state: every call of obj() returns a fresh deep copy.
import type { Container, ContainerPort, Node, Pod, Taint, Toleration } from 'kubernetes-types/core/v1.js';
import { ClusterState } from '../cluster/cluster-state.js';
import { HOSTNAME_LABEL, NodeInfo } from '../cluster/node-info.js';
import { PodInfo } from '../cluster/pod-info.js';
import type { PodSpecWithResources } from '../cluster/resources.js';
import { Framework, type ProfileConfig } from '../scheduler/framework/framework.js';
import type {
  BindPlugin,
  SchedulerServices,
  Plugin,
  PluginFactory,
  QueuedPodInfo,
  QueueSortPlugin,
} from '../scheduler/framework/interfaces.js';
import { implementsMethod } from '../scheduler/framework/interfaces.js';
import { DefaultBinderPlugin } from '../scheduler/plugins/default-binder.js';
import { PrioritySortPlugin } from '../scheduler/plugins/priority-sort.js';

/** A ResourceList as tests write it: quantities as strings ('500m', '1Gi') or plain numbers
 * (base units: cores for cpu, bytes for memory, counts otherwise). */
export type Resources = Readonly<Record<string, string | number>>;

function quantities(list: Resources): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(list)) out[k] = String(v);
  return out;
}

export class PodWrapper {
  private readonly p: Pod & { metadata: NonNullable<Pod['metadata']>; spec: NonNullable<Pod['spec']> };

  constructor(name: string) {
    this.p = { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { containers: [] } };
  }

  name(n: string): this {
    this.p.metadata.name = n;
    return this;
  }

  namespace(ns: string): this {
    this.p.metadata.namespace = ns;
    return this;
  }

  uid(uid: string): this {
    (this.p.metadata as { uid?: string }).uid = uid;
    return this;
  }

  label(key: string, value: string): this {
    (this.p.metadata.labels ??= {})[key] = value;
    return this;
  }

  labels(labels: Readonly<Record<string, string>>): this {
    for (const [k, v] of Object.entries(labels)) this.label(k, v);
    return this;
  }

  annotation(key: string, value: string): this {
    (this.p.metadata.annotations ??= {})[key] = value;
    return this;
  }

  /** A controller owner reference (e.g. 'ReplicaSet', 'web-5d8f'). */
  owner(kind: string, name: string): this {
    (this.p.metadata.ownerReferences ??= []).push({ apiVersion: 'apps/v1', kind, name, uid: `${kind}/${name}`, controller: true });
    return this;
  }

  /** Appends an app container requesting `requests` (and limiting to `limits` if given); like
   * upstream's Req, each call adds one more container. */
  req(requests: Resources, limits?: Resources): this {
    return this.container({ resources: resourceRequirements(requests, limits) });
  }

  /** Appends an app container with only limits (API defaulting makes them the requests). */
  lim(limits: Resources): this {
    return this.container({ resources: { limits: quantities(limits) } });
  }

  /** Appends an app container given in full (name defaulted). */
  container(c: Partial<Container> = {}): this {
    const cs = this.p.spec.containers;
    cs.push({ name: `c${cs.length}`, image: 'registry.k8s.io/pause:3.10', ...c });
    return this;
  }

  /** Appends a regular (run-to-completion) init container. */
  initReq(requests: Resources, limits?: Resources): this {
    return this.initContainer({ resources: resourceRequirements(requests, limits) });
  }

  /** Appends a restartable init container (restartPolicy: Always), i.e. a sidecar. */
  sidecarReq(requests: Resources, limits?: Resources): this {
    return this.initContainer({ restartPolicy: 'Always', resources: resourceRequirements(requests, limits) });
  }

  initContainer(c: Partial<Container> = {}): this {
    const cs = (this.p.spec.initContainers ??= []);
    cs.push({ name: `init${cs.length}`, image: 'registry.k8s.io/pause:3.10', ...c });
    return this;
  }

  overhead(list: Resources): this {
    this.p.spec.overhead = quantities(list);
    return this;
  }

  /** Pod-level resources (spec.resources, KEP-2837). */
  podRes(requests: Resources, limits?: Resources): this {
    (this.p.spec as PodSpecWithResources).resources = { requests: quantities(requests), ...(limits !== undefined ? { limits: quantities(limits) } : {}) };
    return this;
  }

  priority(p: number): this {
    this.p.spec.priority = p;
    return this;
  }

  schedulerName(name: string): this {
    this.p.spec.schedulerName = name;
    return this;
  }

  /** spec.nodeName: the pod is bound there (buildCluster places it). */
  node(name: string): this {
    this.p.spec.nodeName = name;
    return this;
  }

  nodeSelector(sel: Readonly<Record<string, string>>): this {
    this.p.spec.nodeSelector = { ...(this.p.spec.nodeSelector ?? {}), ...sel };
    return this;
  }

  toleration(t: Toleration): this {
    (this.p.spec.tolerations ??= []).push({ ...t });
    return this;
  }

  /** Appends a container holding `port` on the host (like upstream's HostPort/ContainerPort). */
  hostPort(port: number, protocol = 'TCP', hostIP?: string): this {
    const p: ContainerPort = { containerPort: port, hostPort: port, protocol };
    if (hostIP !== undefined) p.hostIP = hostIP;
    return this.container({ ports: [p] });
  }

  /** Anything not covered above, applied to the object under construction. */
  with(edit: (pod: Pod) => void): this {
    edit(this.p);
    return this;
  }

  obj(): Pod {
    return structuredClone(this.p);
  }
}

function resourceRequirements(requests: Resources, limits?: Resources): NonNullable<Container['resources']> {
  return limits === undefined ? { requests: quantities(requests) } : { requests: quantities(requests), limits: quantities(limits) };
}

let podSeq = 0;

/** A pod named `name` (default: a unique generated name) in namespace "default", no containers. */
export function makePod(name?: string): PodWrapper {
  return new PodWrapper(name ?? `pod-${++podSeq}`);
}

export class NodeWrapper {
  private readonly n: Node & { metadata: NonNullable<Node['metadata']>; spec: NonNullable<Node['spec']>; status: NonNullable<Node['status']> };

  constructor(name: string) {
    this.n = {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name, labels: { [HOSTNAME_LABEL]: name } },
      spec: {},
      status: { capacity: {}, allocatable: {} },
    };
  }

  /** Sets capacity and allocatable alike (upstream's Capacity); merges with what is set. */
  capacity(list: Resources): this {
    Object.assign((this.n.status.capacity ??= {}), quantities(list));
    Object.assign((this.n.status.allocatable ??= {}), quantities(list));
    return this;
  }

  /** Sets allocatable only (capacity keeps its values). */
  allocatable(list: Resources): this {
    Object.assign((this.n.status.allocatable ??= {}), quantities(list));
    return this;
  }

  label(key: string, value: string): this {
    (this.n.metadata.labels ??= {})[key] = value;
    return this;
  }

  labels(labels: Readonly<Record<string, string>>): this {
    for (const [k, v] of Object.entries(labels)) this.label(k, v);
    return this;
  }

  zone(zone: string): this {
    return this.label('topology.kubernetes.io/zone', zone);
  }

  taint(t: Taint): this;
  taint(key: string, value: string, effect: string): this;
  taint(t: Taint | string, value?: string, effect?: string): this {
    const taint: Taint = typeof t === 'string' ? { key: t, value: value ?? '', effect: effect ?? 'NoSchedule' } : { ...t };
    (this.n.spec.taints ??= []).push(taint);
    return this;
  }

  unschedulable(flag = true): this {
    this.n.spec.unschedulable = flag;
    return this;
  }

  with(edit: (node: Node) => void): this {
    edit(this.n);
    return this;
  }

  obj(): Node {
    return structuredClone(this.n);
  }
}

/** A node named `name`, labelled kubernetes.io/hostname=name, with no resources. */
export function makeNode(name: string): NodeWrapper {
  return new NodeWrapper(name);
}

/** The scheduler's view of a pod (created at `createdUs`). */
export function podInfo(pod: Pod, createdUs = 0): PodInfo {
  return new PodInfo(pod, createdUs);
}

/** A QueuedPodInfo for queue-sort tests. */
export function queuedPodInfo(pod: Pod | PodInfo, timestampUs = 0, attempts = 0): QueuedPodInfo {
  const pi = pod instanceof PodInfo ? pod : podInfo(pod);
  return { pod: pi, timestampUs, initialTimestampUs: timestampUs, attempts, unschedulablePlugins: new Set() };
}

/**
 * A ClusterState holding `nodes` (pool "default") and `pods`. Pods with spec.nodeName are
 * placed on that node as bound (cluster.assume); the others are only added, pending.
 */
export function buildCluster(nodes: readonly Node[], pods: readonly Pod[] = []): ClusterState {
  const cluster = new ClusterState();
  for (const n of nodes) cluster.addNode(n, 'default');
  for (const p of pods) {
    const pi = podInfo(p);
    cluster.addPod(pi);
    const nodeName = p.spec?.nodeName;
    if (nodeName !== undefined && nodeName !== '') {
      cluster.assume(pi, cluster.mustNode(nodeName));
      pi.bound = true;
    }
  }
  return cluster;
}

/** A standalone NodeInfo for `node` with `pods` placed on it whatever their spec.nodeName
 * (upstream's framework.NewNodeInfo(pods...) followed by SetNode(node)). */
export function nodeInfoWith(node: Node, ...pods: Pod[]): NodeInfo {
  const ni = new NodeInfo(node, 'default', 0);
  for (const p of pods) {
    const pi = podInfo(p);
    pi.nodeName = ni.name;
    ni.addPod(pi);
  }
  return ni;
}

/** Scheduler services whose bindings succeed at once without touching the cluster, and whose
 * deletions only record the pod. */
export function fakeHandle(cluster: ClusterState, deleted: PodInfo[] = []): SchedulerServices {
  return { cluster, bindPod: (_pod, _node, done) => done(true, ''), deletePod: (pod) => void deleted.push(pod) };
}

/**
 * A Framework running exactly `plugins` (instances, or [instance, score weight]; weight
 * defaults to 1), plus PrioritySort and a binder when the list has no QueueSort or Bind plugin.
 */
export function makeFramework(
  cluster: ClusterState,
  plugins: ReadonlyArray<Plugin | readonly [Plugin, number]>,
  percentageOfNodesToScore = 0,
): Framework {
  const services = fakeHandle(cluster);
  const entries = plugins.map((x): readonly [Plugin, number] => (Array.isArray(x) ? (x as readonly [Plugin, number]) : [x as Plugin, 1]));
  if (!entries.some(([p]) => implementsMethod<QueueSortPlugin>(p, 'less'))) entries.unshift([new PrioritySortPlugin(), 0]);
  if (!entries.some(([p]) => implementsMethod<BindPlugin>(p, 'bind'))) entries.push([new DefaultBinderPlugin(services), 0]);
  const registry = new Map<string, PluginFactory>();
  for (const [p] of entries) {
    if (registry.has(p.name)) throw new Error(`makeFramework: plugin ${p.name} given twice`);
    registry.set(p.name, () => p);
  }
  const config: ProfileConfig = {
    schedulerName: 'default-scheduler',
    plugins: entries.map(([p, weight]) => ({ name: p.name, weight })),
    pluginArgs: new Map(),
    percentageOfNodesToScore,
  };
  return new Framework(config, registry, services);
}
