import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { NodeInfo } from '../../../cluster/node-info.js';
import type { PodInfo } from '../../../cluster/pod-info.js';
import { makePod, podInfo } from '../../../testing/builders.js';
import type { CycleState } from '../../framework/cycle-state.js';
import type { Plugin, PreFilterPlugin } from '../../framework/interfaces.js';
import { Status, type Verdict } from '../../framework/status.js';
import { defaultNodeResourcesFitArgs, NodeResourcesFitPlugin } from '../node-resources-fit.js';
import { dryRunPreemption } from './candidates.js';
import { fixedPdb, type PdbInfo } from './pdb.js';
import { capNode, ErrorOnLabelPreFilter, preemptionFixture, preFilteredState } from './testing.js';
import { moreImportantPod, selectVictimsOnNode } from './victims.js';

const fit = (): Plugin => new NodeResourcesFitPlugin(defaultNodeResourcesFitArgs());
const cpu = (m: number): Record<string, string> => ({ cpu: `${m}m` });

/** selectVictimsOnNode on a clone of node1 of a 500m node holding `pods`. */
function victimsOn(pods: ReturnType<typeof makePod>[], preemptor: PodInfo, pdbs: PdbInfo[] = [], startTimeUs: Record<string, number> = {}) {
  const f = preemptionFixture({ nodes: [capNode('node1', cpu(500))], pods: pods.map((p) => p.node('node1').obj()), plugins: [fit()], startTimeUs });
  const node = f.cluster.mustNode('node1');
  const sel = selectVictimsOnNode({ fwk: f.fwk, filters: f.ctx.filters }, preFilteredState(f, preemptor), preemptor, node.clone(), pdbs);
  return { f, node, sel, names: sel.victims.map((v) => v.name) };
}

describe('selectVictimsOnNode (ksim cases on upstream SelectVictimsOnNode)', () => {
  const preemptor = podInfo(makePod('p').priority(100).req(cpu(300)).obj());

  it('reprieves the most important pods first: higher priority, then the earlier start', () => {
    const { names } = victimsOn(
      [makePod('a').priority(10).req(cpu(200)), makePod('b').priority(10).req(cpu(200)), makePod('c').priority(5).req(cpu(100))],
      preemptor,
      [],
      { a: 5, b: 1, c: 0 },
    );
    // b (earlier) is reprieved (200 + 300 = 500 fits); a then no longer fits; c neither.
    assert.deepEqual(names, ['a', 'c']);
  });

  it('reprieves PDB-violating pods before the others, and counts the violations of those evicted anyway', () => {
    const pods = () => [makePod('low').priority(10).req(cpu(200)).label('app', 'foo'), makePod('mid').priority(20).req(cpu(200))];
    // Without a PDB, mid (more important) is reprieved and low is the victim.
    assert.deepEqual(victimsOn(pods(), preemptor).names, ['low']);
    // With a PDB that allows no disruption, low is tried first and kept; mid goes.
    const guarded = victimsOn(pods(), preemptor, [fixedPdb('default', 'foo', { matchLabels: { app: 'foo' } }, 0)]);
    assert.deepEqual([guarded.names, guarded.sel.numPDBViolations], [['mid'], 0]);
    // If both must go, the violating one counts.
    const big = podInfo(makePod('big').priority(100).req(cpu(500)).obj());
    const both = victimsOn(pods(), big, [fixedPdb('default', 'foo', { matchLabels: { app: 'foo' } }, 0)]);
    assert.deepEqual([both.names, both.sel.numPDBViolations], [['mid', 'low'], 1]);
  });

  it('only strictly lower-priority pods are victims; none → UnschedulableAndUnresolvable', () => {
    const { sel } = victimsOn([makePod('same').priority(100).req(cpu(400))], preemptor);
    assert.deepEqual([sel.victims.length, sel.status?.codeName, sel.status?.reasons], [0, 'UnschedulableAndUnresolvable', ['No preemption victims found for incoming pod']]);
  });

  it('when the pod does not fit even without the lower-priority pods, the filter status is returned', () => {
    const { sel } = victimsOn([makePod('keeper').priority(500).req(cpu(300)), makePod('v').priority(1).req(cpu(100))], preemptor);
    assert.deepEqual([sel.victims.length, sel.status?.codeName, sel.status?.reasons], [0, 'Unschedulable', ['Insufficient cpu']]);
  });

  it('works on the clone: the real node keeps its pods and requests', () => {
    const { node, names } = victimsOn([makePod('v1').priority(1).req(cpu(300)), makePod('v2').priority(1).req(cpu(200))], preemptor);
    assert.deepEqual(names, ['v1']);
    assert.deepEqual([node.pods.map((p) => p.name), node.requested.milliCpu], [['v1', 'v2'], 500]);
  });

  it('a nominated pod of higher priority occupies its node during the dry run', () => {
    const f = preemptionFixture({ nodes: [capNode('node1', cpu(500))], pods: [makePod('v').node('node1').priority(1).req(cpu(300)).obj()], plugins: [fit()] });
    const nominated = podInfo(makePod('n').priority(1000).req(cpu(300)).obj());
    f.ctx.nominator.set(nominated, 'node1');
    const node = f.cluster.mustNode('node1');
    const sel = selectVictimsOnNode({ fwk: f.fwk, filters: f.ctx.filters }, preFilteredState(f, preemptor), preemptor, node.clone(), []);
    assert.deepEqual([sel.victims.length, sel.status?.reasons], [0, ['Insufficient cpu']]);
    // A lower-priority nominated pod does not count.
    f.ctx.nominator.set(nominated, null);
    const low = podInfo(makePod('n2').priority(5).req(cpu(300)).obj());
    f.ctx.nominator.set(low, 'node1');
    const sel2 = selectVictimsOnNode({ fwk: f.fwk, filters: f.ctx.filters }, preFilteredState(f, preemptor), preemptor, node.clone(), []);
    assert.deepEqual(sel2.victims.map((v) => v.name), ['v']);
  });

  it('moreImportantPod: priority first, then start time; unstarted pods count as latest', () => {
    const p = (name: string, prio: number, started: number): PodInfo => {
      const x = podInfo(makePod(name).priority(prio).obj());
      x.acceptedUs = started;
      return x;
    };
    assert.equal(moreImportantPod(p('a', 2, 9), p('b', 1, 0)), true);
    assert.equal(moreImportantPod(p('a', 1, 3), p('b', 1, 4)), true);
    assert.equal(moreImportantPod(p('a', 1, 4), p('b', 1, 4)), false);
    assert.equal(moreImportantPod(p('a', 1, 4), p('b', 1, -1)), true);
    assert.equal(moreImportantPod(p('a', 1, 0), p('b', 1, 4)), true, 'a pod started at t = 0 (the start state) has started');
    // A snapshot's pods keep their status.startTime from before t = 0: the earlier one is more
    // important though both were Running at t = 0.
    const snap = (name: string, startUs: number): PodInfo => {
      const x = p(name, 1, 0);
      x.past = { startUs, restarts: 0 };
      return x;
    };
    assert.equal(moreImportantPod(snap('a', -3_600_000_000), snap('b', -60_000_000)), true);
    assert.equal(moreImportantPod(snap('a', -60_000_000), snap('b', -3_600_000_000)), false);
    assert.equal(moreImportantPod(snap('a', -60_000_000), p('b', 1, 0)), true, 'before the run started is before t = 0');
    // status.startTime is when the kubelet accepted the pod, not when it started Running: a pod
    // accepted at 1 s that pulled its image until 61 s is more important than one accepted at 5 s
    // and Running at 6 s.
    const pulled = p('a', 1, 1_000_000);
    pulled.startedUs = 61_000_000;
    const quick = p('b', 1, 5_000_000);
    quick.startedUs = 6_000_000;
    assert.deepEqual([moreImportantPod(pulled, quick), moreImportantPod(quick, pulled)], [true, false]);
    const bound = p('c', 1, -1);
    bound.startedUs = -1;
    assert.equal(moreImportantPod(quick, bound), true, 'a pod its kubelet has not heard of yet has no startTime: "now", the latest');
  });
});

/** A PreFilter whose state counts the pods AddPod/RemovePod saw (with clone()). */
class CountingState {
  constructor(public added = 0, public removed = 0) {}
  clone(): CountingState {
    return new CountingState(this.added, this.removed);
  }
}
class CountingPreFilter implements PreFilterPlugin {
  readonly name = 'Counting';
  removeCalls = 0;
  preFilter(state: CycleState): { status: Verdict } {
    state.write('PreFilterCounting', new CountingState());
    return { status: null };
  }
  addPod(state: CycleState): Verdict {
    (state.read<CountingState>('PreFilterCounting') as CountingState).added++;
    return null;
  }
  removePod(state: CycleState, _p: PodInfo, _r: PodInfo, _n: NodeInfo): Verdict {
    this.removeCalls++;
    (state.read<CountingState>('PreFilterCounting') as CountingState).removed++;
    return null;
  }
}

describe('dry runs on cloned CycleState', () => {
  it('PreFilter extensions change the clone, never the cycle state', () => {
    const counting = new CountingPreFilter();
    const f = preemptionFixture({
      nodes: [capNode('node1', cpu(500)), capNode('node2', cpu(500))],
      pods: [makePod('a').node('node1').priority(1).req(cpu(300)).obj(), makePod('b').node('node2').priority(1).req(cpu(300)).obj()],
      plugins: [counting, fit()],
    });
    const pod = podInfo(makePod('p').priority(10).req(cpu(300)).obj());
    const state = preFilteredState(f, pod);
    const got = dryRunPreemption({ fwk: f.fwk, filters: f.ctx.filters }, state, pod, f.cluster.nodes, [], 0, 2);
    assert.deepEqual(got.candidates.map((c) => c.nodeName), ['node1', 'node2']);
    // One RemovePod per victim for the first pass and one more after each failed reprieve.
    assert.equal(counting.removeCalls, 4);
    const own = state.read<CountingState>('PreFilterCounting') as CountingState;
    assert.deepEqual([own.added, own.removed], [0, 0]);
  });

  it('CycleState.clone clones values that have clone() and shares the others', () => {
    const f = preemptionFixture({ nodes: [] });
    const state = f.fwk.newCycleState();
    const shared = { n: 1 };
    state.write('a', new CountingState(1, 2));
    state.write('b', shared);
    state.skipFilterPlugins = new Set(['X']);
    const c = state.clone();
    (c.read<CountingState>('a') as CountingState).added = 7;
    assert.equal((state.read<CountingState>('a') as CountingState).added, 1);
    assert.equal(c.read('b'), shared);
    assert.deepEqual([...c.skipFilterPlugins], ['X']);
  });
});

describe('selectVictimsOnNode: errors of the PreFilter extensions (upstream TestPlugin / fail on AddPod)', () => {
  const preemptor = podInfo(makePod('p').priority(100).req(cpu(300)).obj());
  /** Fails every AddPod, as a plugin whose state cannot take a pod back. */
  class FailAdd implements PreFilterPlugin {
    readonly name = 'fail-add';
    preFilter(): { status: Verdict } {
      return { status: null };
    }
    addPod(_s: CycleState, _p: PodInfo, _added: PodInfo): Verdict {
      return Status.error('add failed');
    }
    removePod(): Verdict {
      return null;
    }
  }
  const run = (plugin: Plugin, labels: Record<string, string>, pdbs: PdbInfo[] = []) => {
    const pods = [makePod('low').priority(10).req(cpu(200)).label('app', 'foo'), makePod('mid').priority(20).req(cpu(200))];
    const f = preemptionFixture({ nodes: [capNode('node1', cpu(500), labels)], pods: pods.map((p) => p.node('node1').obj()), plugins: [plugin, fit()] });
    const sel = selectVictimsOnNode({ fwk: f.fwk, filters: f.ctx.filters }, preFilteredState(f, preemptor), preemptor, f.cluster.mustNode('node1').clone(), pdbs);
    return [sel.victims.map((v) => v.name), sel.numPDBViolations, sel.status?.codeName, sel.status?.reasons];
  };

  it('a RemovePod error (node labelled error=true) is returned at once', () => {
    assert.deepEqual(run(new ErrorOnLabelPreFilter(), { error: 'true' }), [[], 0, 'Error', ['running RemovePod on PreFilter plugin "test-plugin": failed to remove pod: p']]);
    assert.deepEqual(run(new ErrorOnLabelPreFilter(), {}), [['low'], 0, undefined, undefined]);
  });

  it('an AddPod error for a PDB-violating pod is returned even when the others could be reprieved', () => {
    class FailAddLow extends FailAdd {
      override addPod(_s: CycleState, _p: PodInfo, added: PodInfo): Verdict {
        return added.name === 'low' ? Status.error('add failed') : null;
      }
    }
    assert.deepEqual(run(new FailAddLow(), {}, [fixedPdb('default', 'foo', { matchLabels: { app: 'foo' } }, 0)]), [[], 0, 'Error', ['running AddPod on PreFilter plugin "fail-add": add failed']]);
  });

  it('an AddPod error while reprieving is returned, for a PDB-violating pod as for another', () => {
    assert.deepEqual(run(new FailAdd(), {}), [[], 0, 'Error', ['running AddPod on PreFilter plugin "fail-add": add failed']]);
    assert.deepEqual(run(new FailAdd(), {}, [fixedPdb('default', 'foo', { matchLabels: { app: 'foo' } }, 0)]), [[], 0, 'Error', ['running AddPod on PreFilter plugin "fail-add": add failed']]);
  });
});
