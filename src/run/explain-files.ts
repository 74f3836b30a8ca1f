// `ksim explain` as a library function: read the cluster, the pod and the configuration, build
// the profile the pod selects, and explain one scheduling decision.
import type { Pod } from 'kubernetes-types/core/v1.js';
import { InputError } from '../api/input-error.js';
import { checkSeed } from '../api/seed.js';
import { readYamlFile, type Path, type YamlDoc } from '../api/yaml-source.js';
import { isObject } from '../api/values.js';
import { RandomStreams } from '../engine/random.js';
import { PodInfo, podStoreKey } from '../cluster/pod-info.js';
import { admitPod, missingNamespace } from '../controlplane/admission.js';
import { ClusterState } from '../cluster/cluster-state.js';
import { DEFAULT_SCHEDULER_NAME, defaultSchedulerConfig, type SchedulerConfig } from '../scheduler/config/kube-scheduler-configuration.js';
import { readSchedulerConfigFile } from '../scheduler/config/config-file.js';
import { validateSchedulerConfig } from '../scheduler/config/validate.js';
import { explain, type ExplainResult } from '../scheduler/explain.js';
import { Framework, EXTENSION_POINTS, type PluginSet, type ProfileConfig } from '../scheduler/framework/framework.js';
import type { PluginFactory } from '../scheduler/framework/interfaces.js';
import { loadPluginModules } from '../scheduler/plugin-modules.js';
import { inTreeRegistry } from '../scheduler/plugins/registry.js';
import { bindSchedulerContext, FilterRunner, PodNominator, type SchedulerContext } from '../scheduler/schedule-one.js';
import { clusterFromSnapshot, readClusterSnapshot } from '../workload/cluster-snapshot.js';
import { readManifest } from '../workload/manifests.js';
import { readPodHistory } from '../workload/snapshot-times.js';
import { expandDocument, type ObjectItem } from '../workload/object-files.js';
import { controllerRef, objectKey, type ObjectOf, type WorkloadObject } from '../cluster/workload-object.js';
import { findNewReplicaSet, newReplicaSetObject } from '../controllers/deployment.js';
import { podTemplateHash } from '../controllers/names.js';
import { explainDaemonSet } from './explain-daemonset.js';

export interface ExplainFilesOptions {
  /** Files or directories of cluster objects (several are read as one cluster). */
  readonly cluster: string | readonly string[];
  readonly pod: string;
  readonly config?: string;
  /** Which document of a multi-document --config file (0 is the first). */
  readonly configDocument?: number;
  /** The data key of a ConfigMap --config that holds the configuration. */
  readonly configKey?: string;
  /** Restrict the profile to these plugins (at every point they are enabled). */
  readonly plugins?: readonly string[];
  readonly nodes?: readonly string[];
  readonly scoreAllNodes?: boolean;
  /** Out-of-tree plugin modules. */
  readonly pluginModules?: readonly string[];
  /** Seed of the tie-break between equally scored nodes (default 1): an integer 0 … 4294967295. */
  readonly seed?: number;
  /** Receives warnings about the input files (unknown fields), when given. */
  readonly warnings?: string[];
}

export async function explainFiles(o: ExplainFilesOptions): Promise<ExplainResult> {
  const registry = new Map(inTreeRegistry());
  const extra = await loadPluginModules((o.pluginModules ?? []).map((m) => ({ display: m, path: m })));
  for (const [k, f] of extra) registry.set(k, f);
  const config = o.config === undefined ? defaultSchedulerConfig() : readConfigFile(o.config, o, o.warnings ?? []);
  validateSchedulerConfig(config, registry, o.config ?? 'the default configuration', o.warnings);
  const read = readPod(o.pod, o.warnings);
  const { doc, path } = read;
  const cluster = clusterFromSnapshot(readClusterSnapshot(o.cluster, o.warnings));
  const pod = read.workload === null ? read.pod : podOfWorkload(read.workload, read.pod, cluster);
  const daemonSet = read.workload?.kind === 'DaemonSet' ? (read.workload as ObjectOf<'DaemonSet'>) : null;
  if (daemonSet !== null && o.scoreAllNodes === true) throw new InputError('--score-all-nodes', 0, 0, '', 'a --pod other than a DaemonSet (each daemon pod has one candidate, its node, which the scheduler takes unscored)', o.pod);
  // Its pods in the dump are taken out as a pod explained again is: the question is where its
  // pods go, not that the controller would create none beside the ones running.
  if (daemonSet !== null) {
    const owner = objectKey('DaemonSet', daemonSet.metadata.namespace, daemonSet.metadata.name);
    const own = [...cluster.pods.values()].filter((p) => p.ownerObjectKey === owner);
    if (own.length > 0) o.warnings?.push(`${o.pod}: ${own.length} pod(s) of DaemonSet ${daemonSet.metadata.namespace}/${daemonSet.metadata.name} are in the cluster (${own.slice(0, 3).map((p) => p.key).join(', ')}${own.length > 3 ? ', ...' : ''}): explained as if they were not there`);
    for (const p of own) cluster.deletePod(p);
  }
  // A pod of the dump explained again (where would it go now?) is not there while it is
  // scheduled: it must not count for its own spreading and affinity, nor hold its node's room.
  const already = cluster.pods.get(podStoreKey(pod));
  if (already !== undefined) {
    o.warnings?.push(`${o.pod}: pod ${already.key} is in the cluster${already.nodeName === null ? '' : ` on ${already.nodeName}`}: explained as if it were not there`);
    cluster.deletePod(already);
  }
  // The profile the pod's schedulerName selects, as kube-scheduler does (a pod naming no
  // profile of the configuration is not scheduled by it).
  const schedulerName = pod.spec?.schedulerName ?? DEFAULT_SCHEDULER_NAME;
  let profile = config.profiles.find((p) => p.schedulerName === schedulerName) as ProfileConfig | undefined;
  if (profile === undefined) {
    const names = config.profiles.map((p) => p.schedulerName).join(', ');
    const expected = `the schedulerName of a profile of ${o.config ?? 'the default configuration'} (${names})`;
    if (pod.spec?.schedulerName === undefined) throw doc.error(path, `${expected}: the pod has none, so it asks for ${DEFAULT_SCHEDULER_NAME}`);
    throw doc.error([...path, 'schedulerName'], expected, JSON.stringify(schedulerName));
  }
  if (o.plugins !== undefined) profile = restrict(profile, o.plugins, registry);
  for (const n of o.nodes ?? []) {
    if (!cluster.nodeByName.has(n)) throw new InputError('--nodes', 0, 0, '', `names of nodes in ${typeof o.cluster === 'string' ? o.cluster : o.cluster.join(', ')}`, JSON.stringify(n));
  }
  // The pod as the API server would store it, the scheduler's input: LimitRanger's defaults,
  // Priority's spec.priority from its PriorityClass, DefaultTolerationSeconds' tolerations,
  // RuntimeClass's overhead and node selector (a pod it refuses never reaches the scheduler).
  const admit = (p: Pod): Pod => {
    const noNamespace = missingNamespace(cluster, p);
    if (noNamespace !== null) throw doc.refused(path, 'a pod the API server admits in this cluster', noNamespace);
    const admitted = admitPod(cluster, p);
    if (!admitted.allowed) throw doc.refused(path, 'a pod the API server admits in this cluster', admitted.reason);
    return admitted.pod;
  };
  const admitted = admit(pod);
  // Preemption's victims are noted, not deleted: the cluster stays as the dump has it.
  const deleted: PodInfo[] = [];
  // What a run's scheduler gives DefaultPreemption (src/scheduler/scheduler.ts): the dump's
  // pending pods nominated by a preemption (its queue nominates them from
  // status.nominatedNodeName), filters that count them, its random stream, and the dump's
  // pods being deleted as victims.
  const rng = new RandomStreams(o.seed === undefined ? 1 : checkSeed(o.seed, 'explainFiles', 'opts.seed')).stream('scheduler');
  const nominator = new PodNominator();
  for (const p of cluster.pods.values()) {
    const node = p.nodeName === null ? p.past?.nominatedNodeName : undefined;
    if (node !== undefined) nominator.set(p, node);
  }
  const ctx: SchedulerContext = { nominator, filters: new FilterRunner(nominator), rng, isTerminatingVictim: (p) => p.past?.preemptedByScheduler === true };
  const fwk = new Framework(profile, bindSchedulerContext(registry, ctx), { cluster, bindPod: () => {}, deletePod: (p) => void deleted.push(p) });
  if (daemonSet !== null) {
    // Each node's pod with that node its only candidate: the others fail its node-name affinity.
    const explainOn = (p: Pod, node: string) => explain(fwk, cluster, new PodInfo(admit(p), 0), { deleted, nominator, nodes: [node], rng, noScoring: true });
    return explainDaemonSet(daemonSet, pod, fwk.profileName, cluster, o.nodes, explainOn);
  }
  const info = new PodInfo(admitted, 0);
  // Its status.nominatedNodeName (the --pod file's, else the dump's copy's), given to the
  // nominator as a run's queue gives it: the scheduler tries that node first.
  const nominatedNode = read.nominatedNodeName ?? already?.past?.nominatedNodeName;
  if (nominatedNode !== undefined) nominator.set(info, nominatedNode);
  return explain(fwk, cluster, info, {
    deleted,
    nominator,
    ...(o.nodes !== undefined ? { nodes: o.nodes } : {}),
    scoreAllNodes: o.scoreAllNodes === true,
    rng,
  });
}

/** `--config FILE` (with `--config-document`, `--config-key`): the KubeSchedulerConfiguration
 * `ksim explain` and `ksim capacity --cluster` schedule with. */
export function readConfigFile(file: string, o: Pick<ExplainFilesOptions, 'configDocument' | 'configKey'>, warnings: string[]): SchedulerConfig {
  const opts = {
    ...(o.configDocument !== undefined ? { document: o.configDocument } : {}),
    ...(o.configKey !== undefined ? { key: o.configKey } : {}),
    names: { document: '--config-document', key: '--config-key' },
  };
  return readSchedulerConfigFile(file, file, opts, warnings);
}

/** Kinds whose pod template --pod may name instead of a Pod. */
const TEMPLATE_KINDS = new Set(['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob']);

/** The pod to explain: a Pod, or the pod a workload's template makes (named after the workload,
 * owned by it; `workload` is then the workload: podOfWorkload places it in the cluster).
 * `nodeName: ""` counts as unbound. */
export function readPod(file: string, warnings: string[] | undefined): { pod: Pod; doc: YamlDoc; path: Path; workload: WorkloadObject | null; nominatedNodeName?: string } {
  // The objects of the file as kubectl reads it (empty documents skipped, Lists expanded); the
  // one that makes a pod is explained, whatever else a chart's rendered file holds beside it.
  const items: ObjectItem[] = [];
  const docs = readYamlFile(file, file);
  for (const d of docs) {
    const v = d.toJS();
    if (v !== null) expandDocument(d, v, {}, items);
  }
  const makesPod = (it: ObjectItem) => it.value['kind'] === 'Pod' || TEMPLATE_KINDS.has(String(it.value['kind']));
  const candidates = items.filter(makesPod);
  if (candidates.length !== 1) {
    const only = items.length === 1 ? items[0]! : undefined;
    if (only !== undefined) throw only.doc.error([...only.path, 'kind'], '"Pod", or a Deployment, ReplicaSet, StatefulSet, DaemonSet, Job or CronJob (its pod template)', JSON.stringify(only.value['kind']));
    // Name what the file holds: a chart's rendered file may have several workloads to choose from.
    const kinds = new Map<string, number>();
    for (const it of items) kinds.set(String(it.value['kind']), (kinds.get(String(it.value['kind'])) ?? 0) + 1);
    const listed = [...kinds].map(([k, n]) => `${n} ${k}`).join(', ');
    const held = items.length === 0 ? 'no object' : candidates.length === 0 ? `${items.length} objects, none of them a pod or a workload: ${listed}` : `${items.length} objects: ${listed}; put the one to place in a file of its own`;
    throw new InputError(file, 0, 0, '', 'exactly one Pod, or one Deployment, ReplicaSet, StatefulSet, DaemonSet, Job or CronJob (its pod template)', held);
  }
  const { doc: d, path: at, value: raw } = candidates[0]!;
  const spec = raw['spec'];
  if (raw['kind'] === 'Pod' && isObject(spec) && spec['nodeName'] === '') {
    const { nodeName: _unbound, ...rest } = spec;
    raw['spec'] = rest;
  }
  const m = readManifest(d, at, raw, { allowNodeName: true, ...(warnings !== undefined ? { warnings } : {}) });
  if (m.kind === 'Pod') {
    // A pending pod a preemption nominated (a bound pod's nomination is stale: not read).
    const nominatedNodeName = readPodHistory(d, at, raw)?.nominatedNodeName;
    return { pod: m as Pod, doc: d, path: [...at, 'spec'], workload: null, ...(nominatedNodeName === undefined ? {} : { nominatedNodeName }) };
  }
  const templatePath: Path = m.kind === 'CronJob' ? ['spec', 'jobTemplate', 'spec', 'template'] : ['spec', 'template'];
  let template: unknown = m;
  for (const k of templatePath) template = (template as Record<string, unknown>)[k as string];
  const t = template as { metadata?: Pod['metadata']; spec: Pod['spec'] };
  const md = m.metadata!;
  const pod: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      ...t.metadata,
      name: md.name!,
      namespace: md.namespace!,
      ownerReferences: [{ apiVersion: m.apiVersion ?? '', kind: m.kind ?? '', name: md.name!, uid: md.name!, controller: true }],
    },
    spec: structuredClone(t.spec) as NonNullable<Pod["spec"]>,
  };
  return { pod, doc: d, path: [...at, ...templatePath, 'spec'], workload: m as WorkloadObject };
}

/** The pod `workload`'s controller creates, as the cluster holds things when it is scheduled:
 * the workload exists (added to `cluster` when the dump lacks it), and a Deployment's pod comes
 * from its current ReplicaSet — the cluster's (named after the template's hash, else found as
 * upstream's FindNewReplicaSet does), else the one the Deployment controller would create (added
 * too) — with its pod-template-hash label, owned by that ReplicaSet. PodTopologySpread's default
 * constraints select the pods of the pod's controller (helper.DefaultSelector), so a template pod
 * owned by the Deployment itself was scored with no default spreading. */
export function podOfWorkload(workload: WorkloadObject, templatePod: Pod, cluster: ClusterState): Pod {
  const { kind, metadata: md } = workload;
  const add = (o: WorkloadObject) => {
    const key = objectKey(o.kind, o.metadata.namespace, o.metadata.name);
    if (!cluster.objects.has(key)) cluster.objects.set(key, o);
  };
  add(workload);
  if (kind !== 'Deployment') return templatePod;
  const d = workload as ObjectOf<'Deployment'>;
  const spec = d.spec ?? {};
  const template = spec.template ?? {};
  const hash = podTemplateHash(template);
  const owned = cluster.objectsOfKind('ReplicaSet').filter((rs) => {
    const ref = controllerRef(rs);
    return rs.metadata.namespace === md.namespace && ref?.kind === 'Deployment' && ref.name === md.name;
  });
  const rs = owned.find((r) => r.metadata.name === `${md.name}-${hash}`) ?? findNewReplicaSet(owned, template) ?? newReplicaSetObject(d, spec, hash, spec.replicas ?? 1);
  add(rs);
  const rsTemplate = rs.spec?.template ?? {};
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      ...rsTemplate.metadata,
      name: templatePod.metadata?.name ?? md.name,
      namespace: md.namespace,
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rs.metadata.name, uid: rs.metadata.name, controller: true }],
    },
    spec: templatePod.spec ?? { containers: [] },
  };
}

/** The profile with only the named plugins at its filter/score points; the queue sort and binder stay. */
function restrict(p: ProfileConfig, keep: readonly string[], registry: ReadonlyMap<string, PluginFactory>): ProfileConfig {
  const fwk = new Framework(p, registry, { cluster: new ClusterState(), bindPod: () => {}, deletePod: () => {} });
  const present = new Set(EXTENSION_POINTS.flatMap((pt) => fwk.pluginsAt(pt)));
  for (const k of keep) {
    if (!present.has(k)) throw new InputError('--plugins', 0, 0, '', `plugins of profile ${p.schedulerName} (${[...present].sort().join(', ')})`, JSON.stringify(k));
  }
  const always = new Set([...fwk.pluginsAt('queueSort'), ...fwk.pluginsAt('bind')]);
  const ok = (n: string) => keep.includes(n) || always.has(n);
  const points: Partial<Record<(typeof EXTENSION_POINTS)[number], PluginSet>> = {};
  for (const pt of EXTENSION_POINTS) {
    const set = p.points?.[pt];
    if (set !== undefined) points[pt] = { enabled: set.enabled.filter((r) => ok(r.name)), disabled: set.disabled };
  }
  return { ...p, plugins: p.plugins.filter((r) => ok(r.name)), points };
}
