// Test helpers for preemption, in the style of upstream's pkg/scheduler/testing/framework fake
// plugins (FakeFilterPlugin, TrueFilter, FalseFilter, MatchFilter) and the TestPlugin of
// default_preemption_test.go.
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import type { ClusterState } from '../../../cluster/cluster-state.js';
import type { NodeInfo } from '../../../cluster/node-info.js';
import type { PodInfo } from '../../../cluster/pod-info.js';
import { ScriptedStream } from '../../../testing/scripted-stream.js';
import { buildCluster, makeNode } from '../../../testing/builders.js';
import type { CycleState } from '../../framework/cycle-state.js';
import { Framework, type ProfileConfig } from '../../framework/framework.js';
import type { FilterPlugin, Plugin, PluginFactory, PreFilterPlugin, SchedulerServices } from '../../framework/interfaces.js';
import { Code, Status, type Verdict } from '../../framework/status.js';
import { PodNominator, ScheduleAlgorithm, type SchedulerContext } from '../../schedule-one.js';
import { DefaultBinderPlugin } from '../default-binder.js';
import { PrioritySortPlugin } from '../priority-sort.js';
import { DefaultPreemptionPlugin, parseDefaultPreemptionArgs } from './plugin.js';

export const ERR_REASON_FAKE = 'Nodes failed the fake plugin';

/** Upstream tf.FakeFilterPlugin: counts its calls; nodes in the map fail with their code. */
export class FakeFilter implements FilterPlugin {
  readonly name = 'FakeFilter';
  calls = 0;
  constructor(private readonly codes: ReadonlyMap<string, Code> = new Map()) {}
  filter(_state: CycleState, pod: PodInfo, node: NodeInfo): Verdict {
    this.calls++;
    const code = this.codes.get(node.name);
    if (code === undefined || code === Code.Success) return null;
    return new Status(code, [`injecting failure for pod ${pod.name}`]);
  }
}

/** tf.TrueFilterPlugin. */
export class TrueFilter implements FilterPlugin {
  readonly name = 'TrueFilter';
  filter(): Verdict {
    return null;
  }
}

/** tf.FalseFilterPlugin. */
export class FalseFilter implements FilterPlugin {
  readonly name = 'FalseFilter';
  filter(): Verdict {
    return Status.unschedulable(ERR_REASON_FAKE);
  }
}

/** tf.MatchFilterPlugin: passes the node named like the pod. */
export class MatchFilter implements FilterPlugin {
  readonly name = 'MatchFilter';
  filter(_state: CycleState, pod: PodInfo, node: NodeInfo): Verdict {
    return pod.name === node.name ? null : Status.unschedulable(ERR_REASON_FAKE);
  }
}

/** default_preemption_test.go TestPlugin: AddPod/RemovePod fail on nodes labelled error=true. */
export class ErrorOnLabelPreFilter implements PreFilterPlugin {
  readonly name = 'test-plugin';
  preFilter(): { status: Verdict } {
    return { status: null };
  }
  addPod(_state: CycleState, pod: PodInfo, _add: PodInfo, node: NodeInfo): Verdict {
    return node.labels['error'] === 'true' ? Status.error(`failed to add pod: ${pod.name}`) : null;
  }
  removePod(_state: CycleState, pod: PodInfo, _rm: PodInfo, node: NodeInfo): Verdict {
    return node.labels['error'] === 'true' ? Status.error(`failed to remove pod: ${pod.name}`) : null;
  }
}


export interface PreemptionFixture {
  readonly cluster: ClusterState;
  readonly fwk: Framework;
  readonly plugin: DefaultPreemptionPlugin;
  readonly ctx: SchedulerContext;
  /** A scheduling algorithm over the cluster sharing the nominator and filter runner. */
  readonly algo: ScheduleAlgorithm;
  /** Deletions the plugin requested, in order. */
  readonly deleted: Array<{ pod: PodInfo; reason: string }>;
  readonly terminating: Set<PodInfo>;
  /** The cluster's PodInfo for a pod name (namespace default unless given as ns/name). */
  pod(name: string): PodInfo;
}

export interface FixtureOptions {
  readonly nodes: readonly Node[];
  readonly pods?: readonly Pod[];
  /** Filter and PreFilter plugins, in order (PrioritySort, DefaultBinder and DefaultPreemption
   * are added). */
  readonly plugins?: readonly Plugin[];
  readonly args?: unknown;
  readonly offsets?: readonly number[];
  /** status.startTime (µs) by pod name (upstream StartTime(epochTimeN)). */
  readonly startTimeUs?: Readonly<Record<string, number>>;
  /** Pods set Running (healthy for PDBs). */
  readonly running?: readonly string[];
}

/** A cluster, a framework running `plugins` plus DefaultPreemption, with recorded deletions. */
export function preemptionFixture(o: FixtureOptions): PreemptionFixture {
  const cluster = buildCluster(o.nodes, o.pods ?? []);
  const byName = (name: string): PodInfo => {
    const key = name.includes('/') ? name : `default/${name}`;
    const p = cluster.pods.get(key);
    if (p === undefined) throw new Error(`no pod ${key}`);
    return p;
  };
  for (const [name, us] of Object.entries(o.startTimeUs ?? {})) byName(name).acceptedUs = us;
  for (const name of o.running ?? []) cluster.setPhase(byName(name), 'Running');
  const deleted: Array<{ pod: PodInfo; reason: string }> = [];
  const terminating = new Set<PodInfo>();
  const nominator = new PodNominator();
  const algo = new ScheduleAlgorithm(cluster, new ScriptedStream(), nominator);
  const ctx: SchedulerContext = {
    nominator,
    filters: algo.filters,
    rng: new ScriptedStream(o.offsets ?? []),
    isTerminatingVictim: (p) => terminating.has(p),
  };
  const services: SchedulerServices = {
    cluster,
    bindPod: (_p, _n, done) => done(true, ''),
    deletePod: (pod, reason) => void deleted.push({ pod, reason }),
  };
  let plugin: DefaultPreemptionPlugin | null = null;
  const instances: Plugin[] = [new PrioritySortPlugin(), ...(o.plugins ?? [])];
  const registry = new Map<string, PluginFactory>();
  for (const p of instances) registry.set(p.name, () => p);
  registry.set('DefaultPreemption', (args, handle) => (plugin = new DefaultPreemptionPlugin(parseDefaultPreemptionArgs(args), handle, ctx)));
  registry.set('DefaultBinder', () => new DefaultBinderPlugin(services));
  const config: ProfileConfig = {
    schedulerName: 'default-scheduler',
    plugins: [...instances.map((p) => ({ name: p.name, weight: 1 })), { name: 'DefaultPreemption', weight: 0 }, { name: 'DefaultBinder', weight: 0 }],
    pluginArgs: new Map(o.args === undefined ? [] : [['DefaultPreemption', o.args]]),
    percentageOfNodesToScore: 0,
  };
  const fwk = new Framework(config, registry, services);
  return { cluster, fwk, plugin: plugin as unknown as DefaultPreemptionPlugin, ctx, algo, deleted, terminating, pod: byName };
}

/** Runs the profile's PreFilter plugins into a fresh CycleState (as upstream's tests do first). */
export function preFilteredState(f: PreemptionFixture, pod: PodInfo): CycleState {
  const state = f.fwk.newCycleState();
  for (const p of f.fwk.preFilter) {
    const { status } = p.preFilter(state, pod, f.cluster.nodes);
    if (status !== null && status.code !== Code.Success && status.code !== Code.Skip) throw new Error(`PreFilter ${p.name}: ${status.message}`);
  }
  return state;
}

/** A node with upstream st.MakeNode().Capacity(res): pods default to 32. */
export function capNode(name: string, res: Readonly<Record<string, string>>, labels: Readonly<Record<string, string>> = {}): Node {
  return makeNode(name).capacity({ pods: '32', ...res }).labels(labels).obj();
}
