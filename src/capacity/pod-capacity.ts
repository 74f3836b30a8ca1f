// `ksim capacity SCENARIO --pod FILE [--at TIME]` and `ksim capacity --cluster SNAPSHOT --pod FILE`
// as library functions: bring a cluster to the moment asked (a scenario run to that time, or a
// snapshot as it is), then count the copies of the pod that still fit (fit.ts) and that the
// namespace's ResourceQuotas let be created.
import { existsSync } from 'node:fs';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { InputError } from '../api/input-error.js';
import { checkSeed } from '../api/seed.js';
import type { Path, YamlDoc } from '../api/yaml-source.js';
import { RandomStreams } from '../engine/random.js';
import { toSeconds } from '../engine/time.js';
import { costPerHourOf, prepareRun } from '../run/run-scenario.js';
import { readPod } from '../run/explain-files.js';
import { DEFAULT_SCHEDULER_NAME } from '../scheduler/config/kube-scheduler-configuration.js';
import { Framework, type ProfileConfig } from '../scheduler/framework/framework.js';
import { ClusterState } from '../cluster/cluster-state.js';
import { GPU_MILLI_RESOURCE } from '../cluster/gpu-devices.js';
import { EPHEMERAL_STORAGE } from '../cluster/resources.js';
import { ephemeralStorageHint } from '../metrics/shortfall.js';
import { pooledGpuWarning, sharesGpuByDevice } from '../scheduler/plugins/gpu-share/pooled-warning.js';
import type { PluginFactory } from '../scheduler/framework/interfaces.js';
import { inTreeRegistry } from '../scheduler/plugins/registry.js';
import { parseScenario, type Scenario } from '../workload/scenario.js';
import { fitCopies, type FitResult } from './fit.js';
import { admitResources, missingNamespace } from '../controlplane/admission.js';
import { checkQuota, quotaRoom } from '../controlplane/resource-quota.js';

export interface PodCapacityOptions {
  /** Simulated time to stop the scenario at (µs; default its end). */
  readonly atUs?: number;
  /** Out-of-tree plugins the scenario's profiles use. */
  readonly plugins?: ReadonlyMap<string, PluginFactory>;
  readonly checkInvariants?: boolean | number;
  /** Receives warnings about the pod file (unknown fields), and the note that GPU shares are
   * counted pooled when the profile does not share GPUs by device. */
  readonly warnings?: string[];
  /** What the profiles came from, in messages (default the scenario's file). */
  readonly configName?: string;
}

export interface PodCapacity extends FitResult {
  /** namespace/name of the pod asked about. */
  readonly pod: string;
  readonly profile: string;
  /** The moment the cluster was taken at, simulated seconds. */
  readonly timeS: number;
  /** Live pods of the scenario not placed on a node at that moment: not counted here, they
   * would take some of the room first. */
  readonly pendingPods: number;
  /** Σ costPerHour of the cluster's nodes (null when no pool has a cost). */
  readonly costPerHour: number | null;
  /** What stops the count: 'quota' when a ResourceQuota of the pod's namespace refuses the next
   * copy while a node would still take it, else 'nodes'. */
  readonly limitedBy: 'nodes' | 'quota';
  /** The ResourceQuota that refuses the next copy (also when the nodes are full as well), the
   * resources it would exceed, and the API server's refusal; null when no quota does. */
  readonly quota: QuotaLimit | null;
}

export interface QuotaLimit {
  readonly namespace: string;
  readonly name: string;
  readonly resources: readonly string[];
  readonly reason: string;
}

/** How many more copies of the pod in `podFile` fit in the scenario's cluster at `atUs`. */
export function podCapacity(scenario: Scenario, podFile: string, opts: PodCapacityOptions = {}): PodCapacity {
  checkSeed(scenario.seed, 'podCapacity', 'scenario.seed');
  const { pod, doc, path, workload } = readPod(podFile, opts.warnings);
  // A DaemonSet has no replicas to add: one pod per node, pinned there, with the daemon
  // tolerations (ksim explain shows which nodes take it).
  if (workload?.kind === 'DaemonSet') throw doc.error(path, 'a Pod or a Deployment, ReplicaSet, StatefulSet, Job or CronJob: a DaemonSet runs one pod per node, not more replicas (ksim explain --pod FILE shows which nodes take its pod and why the others do not)', `DaemonSet ${workload.metadata.namespace}/${workload.metadata.name}`);
  // A pod copied from the cluster (kubectl get pod -o yaml) names the node it runs on: its
  // copies are counted as new pods the scheduler places, not pinned there.
  const pinned = pod.spec?.nodeName;
  if (typeof pinned === 'string' && pinned !== '') opts.warnings?.push(`${podFile}: spec.nodeName ${JSON.stringify(pinned)} is left out: the copies counted are new pods the scheduler places on any node (ksim explain honours it)`);
  const atUs = opts.atUs ?? scenario.durationUs;
  if (atUs > scenario.durationUs) {
    throw new InputError('--at', 0, 0, '', `a time within the scenario's duration (${toSeconds(scenario.durationUs)} s)`, `${toSeconds(atUs)} s`);
  }
  const profile = profileFor(scenario.scheduler.profiles, pod, doc, path, opts.configName ?? scenario.file);
  const registry = inTreeRegistry();
  for (const [k, f] of opts.plugins ?? []) registry.set(k, f);
  const gpuNote = pooledGpuNote(pod, profile, registry, opts.configName === undefined);
  if (gpuNote !== null) opts.warnings?.push(gpuNote);
  const run = prepareRun(scenario, {
    sinks: 'none',
    ...(opts.plugins !== undefined ? { plugins: opts.plugins } : {}),
    ...(opts.checkInvariants !== undefined ? { checkInvariants: opts.checkInvariants } : {}),
  });
  opts.warnings?.push(...run.configWarnings);
  if (atUs > 0) run.sim.run(atUs);
  let pendingPods = 0;
  for (const p of run.cluster.pods.values()) if (p.nodeName === null && !p.terminal) pendingPods++;
  const costPerHour = costPerHourOf(scenario, run.cluster);
  // Each copy would get what LimitRanger and RuntimeClass give it (default requests, overhead,
  // a node selector): the copies counted are those the API server would store.
  const admitted = admitResources(run.cluster, pod);
  const expected = `a pod the API server admits in this cluster at ${toSeconds(atUs)} s`;
  const noNamespace = missingNamespace(run.cluster, pod);
  if (noNamespace !== null) throw doc.refused(path, expected, noNamespace);
  if (!admitted.allowed) throw doc.refused(path, expected, admitted.reason);
  // And only as many as the namespace's ResourceQuotas let be created: upstream's ResourceQuota
  // admission (staging/src/k8s.io/apiserver/pkg/admission/plugin/resourcequota/controller.go)
  // charges each create, so copies past the quota are refused whatever room the nodes have.
  // A copy the quota constrains (`must specify ...`) is refused from the first: bad input.
  const namespace = pod.metadata?.namespace ?? 'default';
  const name = pod.metadata?.name ?? '';
  const constraint = checkQuota(run.cluster, admitted.pod);
  if (constraint !== null && constraint.startsWith('failed quota:')) throw doc.refused(path, expected, `pods "${name}" is forbidden: ${constraint}`);
  const room = quotaRoom(run.cluster, admitted.pod);
  const fit = fitCopies(run.cluster, profile, registry, admitted.pod, { rng: new RandomStreams(scenario.seed).stream('capacity'), ...(room !== null ? { maxCopies: room.copies } : {}) });
  // The next copy, with every copy counted placed in the namespace: checkQuota's own message.
  const refusal = room !== null && fit.total === room.copies ? checkQuota(run.cluster, admitted.pod) : null;
  const quota = refusal === null || room === null ? null : { namespace, name: room.quota, resources: room.resources, reason: `pods "${name}-capacity-${fit.total}" is forbidden: ${refusal}` };
  // Pool nodes offer no ephemeral-storage unless the pool lists it: say so where it limits.
  if (fit.nodes.some((n) => n.reason.includes(`Insufficient ${EPHEMERAL_STORAGE}`))) {
    const hint = ephemeralStorageHint(scenario.nodes, scenario.nodePools ?? []);
    if (hint !== null) opts.warnings?.push(`Insufficient ${EPHEMERAL_STORAGE}: ${hint}`);
  }
  // fit.reason is empty when some node still takes a copy: the quota alone stopped the count.
  const limitedBy = quota !== null && fit.reason === '' ? 'quota' : 'nodes';
  return {
    ...fit,
    ...(limitedBy === 'quota' && quota !== null ? { reason: quota.reason } : {}),
    pod: `${namespace}/${name}`,
    profile: profile.schedulerName,
    timeS: toSeconds(atUs),
    pendingPods,
    costPerHour,
    limitedBy,
    quota,
  };
}

/** A pod asking milli-GPUs counted under a profile without Open-Gpu-Share at filter: NodeResourcesFit
 * sums the node's devices as one pool, so a share of one device fits where no device has the
 * room (two devices with 300 left each take a 500). Said, since the answer reads as per device. */
function pooledGpuNote(pod: Pod, profile: ProfileConfig, registry: ReadonlyMap<string, PluginFactory>, scenario: boolean): string | null {
  const asks = (pod.spec?.containers ?? []).some((c) => c.resources?.requests?.[GPU_MILLI_RESOURCE] !== undefined || c.resources?.limits?.[GPU_MILLI_RESOURCE] !== undefined);
  if (!asks) return null;
  const fwk = new Framework(profile, registry, { cluster: new ClusterState(), bindPod: () => {}, deletePod: () => {} });
  if (sharesGpuByDevice(fwk.pluginsAt('filter'))) return null;
  return pooledGpuWarning(profile.schedulerName, scenario ? 'scenario' : 'config');
}

/** The scenario of a cluster snapshot alone (`--cluster`), as `ksim import` would write it: the
 * snapshot is the start state (src/workload/start-snapshot.ts), nothing else happens. */
export function snapshotScenario(files: readonly string[]): Scenario {
  for (const f of files) {
    if (!existsSync(f)) throw new InputError('--cluster', 0, 0, '', 'a readable file or directory', `${JSON.stringify(f)}: no such file`);
  }
  const text = JSON.stringify({ apiVersion: 'ksim/v1alpha1', kind: 'Scenario', metadata: { name: 'snapshot' }, duration: '1s', cluster: { file: [...files] } });
  // Anchored at the working directory: paths resolve, and show in messages, as the user gave them.
  try {
    return parseScenario(text, SNAPSHOT_SCENARIO);
  } catch (e) {
    // An error about the scenario made here (an empty directory, a dump without nodes) is about
    // what --cluster named: no position in a file the user never wrote.
    if (e instanceof InputError && e.file === SNAPSHOT_SCENARIO) throw new InputError('--cluster', 0, 0, '', e.expected, e.got);
    throw e;
  }
}

/** The name of the scenario snapshotScenario makes (never a file). */
const SNAPSHOT_SCENARIO = '(--cluster)';

/** The profile the pod's schedulerName selects, as kube-scheduler does. */
export function profileFor(profiles: readonly ProfileConfig[], pod: Pod, doc: YamlDoc, path: Path, configName: string): ProfileConfig {
  const schedulerName = pod.spec?.schedulerName ?? DEFAULT_SCHEDULER_NAME;
  const profile = profiles.find((p) => p.schedulerName === schedulerName);
  if (profile !== undefined) return profile;
  const expected = `the schedulerName of a profile of ${configName} (${profiles.map((p) => p.schedulerName).join(', ')})`;
  if (pod.spec?.schedulerName === undefined) throw doc.error(path, `${expected}: the pod has none, so it asks for ${DEFAULT_SCHEDULER_NAME}`);
  throw doc.error([...path, 'schedulerName'], expected, JSON.stringify(schedulerName));
}
