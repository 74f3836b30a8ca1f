// `ksim explain` as a library function: read the cluster, the pod and the configuration, build
// the profile the pod selects, and explain one scheduling decision.
import type { Pod } from 'kubernetes-types/core/v1.js';
import { InputError } from '../api/input-error.js';
import { readYamlFile, type YamlDoc } from '../api/yaml-source.js';
import { RandomStreams } from '../engine/random.js';
import { PodInfo } from '../cluster/pod-info.js';
import { ClusterState } from '../cluster/cluster-state.js';
import { defaultSchedulerConfig, type SchedulerConfig } from '../scheduler/config/kube-scheduler-configuration.js';
import { readSchedulerConfigFile } from '../scheduler/config/config-file.js';
import { validateSchedulerConfig } from '../scheduler/config/validate.js';
import { explain, type ExplainResult } from '../scheduler/explain.js';
import { Framework, EXTENSION_POINTS, type PluginSet, type ProfileConfig } from '../scheduler/framework/framework.js';
import type { PluginFactory } from '../scheduler/framework/interfaces.js';
import { loadPluginModules } from '../scheduler/plugin-modules.js';
import { inTreeRegistry } from '../scheduler/plugins/registry.js';
import { clusterFromSnapshot, readClusterSnapshot } from '../workload/cluster-snapshot.js';
import { readManifest } from '../workload/manifests.js';

export interface ExplainFilesOptions {
  readonly cluster: string;
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
  /** Seed of the tie-break between equally scored nodes (default 1). */
  readonly seed?: number;
  /** Receives warnings about the input files (unknown fields), when given. */
  readonly warnings?: string[];
}

export async function explainFiles(o: ExplainFilesOptions): Promise<ExplainResult> {
  const registry = new Map(inTreeRegistry());
  const extra = await loadPluginModules((o.pluginModules ?? []).map((m) => ({ display: m, path: m })));
  for (const [k, f] of extra) registry.set(k, f);
  const config = o.config === undefined ? defaultSchedulerConfig() : readConfigFile(o.config, o, o.warnings ?? []);
  validateSchedulerConfig(config, registry);
  const pod = readPod(o.pod, o.warnings);
  const cluster = clusterFromSnapshot(readClusterSnapshot(o.cluster, o.warnings));
  const schedulerName = pod.spec?.schedulerName ?? 'default-scheduler';
  let profile = config.profiles.find((p) => p.schedulerName === schedulerName) ?? (config.profiles[0] as ProfileConfig);
  if (o.plugins !== undefined) profile = restrict(profile, o.plugins, registry);
  for (const n of o.nodes ?? []) {
    if (!cluster.nodeByName.has(n)) throw new InputError('--nodes', 0, 0, '', `names of nodes in ${o.cluster}`, JSON.stringify(n));
  }
  const fwk = new Framework(profile, registry, { cluster, bindPod: () => {}, deletePod: () => {} });
  const info = new PodInfo(pod, 0);
  return explain(fwk, cluster, info, {
    ...(o.nodes !== undefined ? { nodes: o.nodes } : {}),
    scoreAllNodes: o.scoreAllNodes === true,
    rng: new RandomStreams(o.seed ?? 1).stream('scheduler'),
  });
}

function readConfigFile(file: string, o: ExplainFilesOptions, warnings: string[]): SchedulerConfig {
  const opts = {
    ...(o.configDocument !== undefined ? { document: o.configDocument } : {}),
    ...(o.configKey !== undefined ? { key: o.configKey } : {}),
    names: { document: '--config-document', key: '--config-key' },
  };
  return readSchedulerConfigFile(file, file, opts, warnings);
}

function readPod(file: string, warnings: string[] | undefined): Pod {
  const docs = readYamlFile(file, file);
  if (docs.length !== 1) throw new InputError(file, 0, 0, '', 'exactly one Pod', `${docs.length} documents`);
  const d = docs[0] as YamlDoc;
  const m = readManifest(d, [], d.toJS(), { allowNodeName: true, ...(warnings !== undefined ? { warnings } : {}) });
  if (m.kind !== 'Pod') throw d.error(['kind'], '"Pod"', JSON.stringify(m.kind));
  return m as Pod;
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
