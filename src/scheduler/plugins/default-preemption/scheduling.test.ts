// The scheduling cycle around preemption (src/scheduler/schedule-one.ts): PostFilter after a
// FitError, the nominated node tried first, and nominated pods occupying their node.
// Upstream pkg/scheduler/schedule_one.go (schedulingCycle, findNodesThatFitPod,
// evaluateNominatedNode), framework/runtime/framework.go (RunPostFilterPlugins,
// RunFilterPluginsWithNominatedPods) and framework/types.go (FitError.Error).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { PodInfo } from '../../../cluster/pod-info.js';
import { buildCluster, makeFramework, makePod, podInfo } from '../../../testing/builders.js';
import type { Plugin } from '../../framework/interfaces.js';
import { ScheduleAlgorithm, type ScheduleResult } from '../../schedule-one.js';
import { defaultNodeResourcesFitArgs, NodeResourcesFitPlugin } from '../node-resources-fit.js';
import { capNode, FakeFilter, preemptionFixture } from './testing.js';
import { ScriptedStream } from '../../../testing/scripted-stream.js';

const fit = (): Plugin => new NodeResourcesFitPlugin(defaultNodeResourcesFitArgs());
const cpu = (m: number): Record<string, string> => ({ cpu: `${m}m` });
const pending = (name: string, prio: number, m: number): PodInfo => podInfo(makePod(name).priority(prio).req(cpu(m)).obj());

function summary(r: ScheduleResult): [string | null, string, string, string | undefined] {
  return [r.nodeName, r.code === 0 ? 'Success' : String(r.code), r.reason, r.nominatedNodeName];
}

describe('scheduling cycle with DefaultPreemption', () => {
  it('a successful preemption: the FitError alone, the node nominated, dry-run filter runs counted', () => {
    const fake = new FakeFilter();
    const f = preemptionFixture({
      nodes: [capNode('n1', cpu(1000)), capNode('n2', cpu(1000))],
      pods: [makePod('a').node('n1').priority(1).req(cpu(800)).obj(), makePod('b').node('n2').priority(5).req(cpu(800)).obj()],
      plugins: [fake, fit()],
    });
    const pod = pending('high', 100, 500);
    const r = f.algo.schedule(f.fwk, f.fwk.newCycleState(), pod);
    assert.deepEqual(summary(r), [null, '2', '0/2 nodes are available: 2 Insufficient cpu.', 'n1']);
    assert.deepEqual(f.deleted.map((d) => [d.pod.name, d.reason]), [['a', 'preempted by default/high on node n1']]);
    // 2 nodes filtered, then 2 per node in the dry run (without the victim, then its reprieve).
    assert.equal(fake.calls, 6);
    assert.equal(r.nodesEvaluated, 6);
  });

  it('a failed preemption appends the PostFilter message and clears the nomination', () => {
    const f = preemptionFixture({
      nodes: [capNode('n1', cpu(1000))],
      pods: [makePod('a').node('n1').priority(500).req(cpu(800)).obj()],
      plugins: [fit()],
    });
    const pod = pending('p', 100, 500);
    pod.nominatedNodeName = 'gone';
    const r = f.algo.schedule(f.fwk, f.fwk.newCycleState(), pod);
    assert.deepEqual(summary(r), [
      null,
      '2',
      '0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.',
      '',
    ]);
  });

  it('a pod that may not preempt keeps its nomination (no PostFilter result)', () => {
    const f = preemptionFixture({ nodes: [capNode('n1', cpu(1000))], pods: [makePod('a').node('n1').priority(1).req(cpu(800)).obj()], plugins: [fit()] });
    const pod = podInfo(makePod('p').priority(100).req(cpu(500)).with((p) => void (p.spec!.preemptionPolicy = 'Never')).obj());
    const r = f.algo.schedule(f.fwk, f.fwk.newCycleState(), pod);
    assert.deepEqual(summary(r), [null, '2', '0/1 nodes are available: 1 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never.', undefined]);
    assert.deepEqual(f.deleted, []);
  });

  it('without PostFilter plugins a FitError clears the nomination', () => {
    const cluster = buildCluster([capNode('n1', cpu(100))]);
    const fwk = makeFramework(cluster, [fit()]);
    const r = new ScheduleAlgorithm(cluster, new ScriptedStream()).schedule(fwk, fwk.newCycleState(), pending('p', 1, 500));
    assert.deepEqual(summary(r), [null, '2', '0/1 nodes are available: 1 Insufficient cpu.', '']);
  });
});

describe('the nominated node is tried first (evaluateNominatedNode)', () => {
  it('is taken without a search when it passes the filters, even if another node would score higher', () => {
    const f = preemptionFixture({ nodes: [capNode('n1', cpu(4000)), capNode('n2', cpu(1000))], plugins: [fit()] });
    const pod = pending('p', 1, 500);
    const free = f.algo.schedule(f.fwk, f.fwk.newCycleState(), pending('q', 1, 500));
    assert.equal(free.nodeName, 'n1');
    pod.nominatedNodeName = 'n2';
    const r = f.algo.schedule(f.fwk, f.fwk.newCycleState(), pod);
    assert.deepEqual([r.nodeName, r.nodesEvaluated, r.nodesFeasible, r.nodesScored], ['n2', 1, 1, 0]);
  });

  it('when it fails, the full search runs and its status counts in the FitError and the rotation', () => {
    const f = preemptionFixture({ nodes: [capNode('n1', cpu(1000)), capNode('n2', cpu(100)), capNode('n3', cpu(1000))], plugins: [fit()] });
    const pod = pending('p', 1, 500);
    pod.nominatedNodeName = 'n2';
    const r = f.algo.schedule(f.fwk, f.fwk.newCycleState(), pod);
    assert.equal(r.nodesEvaluated, 4);
    assert.ok(r.nodeName === 'n1' || r.nodeName === 'n3');
  });
});

describe('nominated pods occupy their node for pods of lower or equal priority', () => {
  // Upstream RunFilterPluginsWithNominatedPods / addGENominatedPods.
  function setup() {
    const f = preemptionFixture({ nodes: [capNode('n1', cpu(1000)), capNode('n2', cpu(1000))], pods: [makePod('busy').node('n2').priority(0).req(cpu(600)).obj()], plugins: [fit()] });
    const nominated = pending('nominated', 100, 700);
    f.ctx.nominator.set(nominated, 'n1');
    return { f, nominated };
  }

  it('a lower-priority pod cannot take the space on n1, so it preempts on n2', () => {
    const { f } = setup();
    const r = f.algo.schedule(f.fwk, f.fwk.newCycleState(), pending('low', 50, 500));
    // n1: 700 nominated + 500 > 1000; n2: 600 + 500 > 1000, but busy (priority 0) can go.
    assert.deepEqual(summary(r), [null, '2', '0/2 nodes are available: 2 Insufficient cpu.', 'n2']);
    assert.deepEqual(f.deleted.map((d) => d.pod.name), ['busy']);
  });

  it('a pod of equal priority also yields; a higher-priority one ignores the nomination', () => {
    const { f } = setup();
    assert.equal(f.algo.schedule(f.fwk, f.fwk.newCycleState(), pending('same', 100, 500)).nodeName, null);
    assert.equal(f.algo.schedule(f.fwk, f.fwk.newCycleState(), pending('higher', 101, 500)).nodeName, 'n1');
  });

  it('the nominated pod itself does not count against itself', () => {
    const { f, nominated } = setup();
    assert.equal(f.algo.schedule(f.fwk, f.fwk.newCycleState(), nominated).nodeName, 'n1');
  });

  it('the nominator keeps pod.nominatedNodeName and its per-node index in step', () => {
    const { f, nominated } = setup();
    const other = pending('other', 5, 1);
    f.ctx.nominator.set(other, 'n1');
    assert.deepEqual(f.ctx.nominator.forNode('n1')?.map((p) => p.name), ['nominated', 'other']);
    f.ctx.nominator.set(nominated, 'n2');
    assert.deepEqual([nominated.nominatedNodeName, f.ctx.nominator.forNode('n1')?.map((p) => p.name), f.ctx.nominator.forNode('n2')?.map((p) => p.name)], ['n2', ['other'], ['nominated']]);
    f.ctx.nominator.remove(other);
    f.ctx.nominator.set(nominated, '');
    assert.deepEqual([nominated.nominatedNodeName, f.ctx.nominator.forNode('n1'), f.ctx.nominator.size], [null, undefined, 0]);
  });
});
