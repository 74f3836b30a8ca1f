import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Node } from 'kubernetes-types/core/v1.js';
import { RandomStreams, type RandomStream } from '../engine/random.js';
import type { NodeInfo } from '../cluster/node-info.js';
import type { PodInfo } from '../cluster/pod-info.js';
import { buildCluster, makeFramework, makeNode, makePod, podInfo } from '../testing/builders.js';
import type { CycleState } from './framework/cycle-state.js';
import type { Framework } from './framework/framework.js';
import { FROM_PLUGIN_MODULE, type FilterPlugin, type FilterRejections, type PreFilterPlugin, type ScorePlugin } from './framework/interfaces.js';
import { Code, CODE_NAMES, Status, type Verdict } from './framework/status.js';
import { NodeResourcesFitPlugin, defaultNodeResourcesFitArgs } from './plugins/node-resources-fit.js';
import { NodeUnschedulablePlugin } from './plugins/node-unschedulable.js';
import { fitErrorMessage, numFeasibleNodesToFind, pickTopScore, prioritize, ScheduleAlgorithm, ScoreBuffers, type ScheduleResult } from './schedule-one.js';
import { ScriptedStream } from '../testing/scripted-stream.js';

/** Passes every node and records the order it saw them in (upstream's TrueFilter). */
class RecordingFilter implements FilterPlugin {
  readonly name = 'RecordingFilter';
  seen: string[] = [];
  filter(_state: CycleState, _pod: PodInfo, node: NodeInfo): Verdict {
    this.seen.push(node.name);
    return null;
  }
}

/** Scores nodes from a fixed table (0 for nodes not in it). */
class FixedScore implements ScorePlugin {
  constructor(
    readonly name: string,
    private readonly scores: Readonly<Record<string, number>>,
  ) {}
  score(_state: CycleState, _pod: PodInfo, node: NodeInfo): number {
    return this.scores[node.name] ?? 0;
  }
}

class FalsePreFilter implements PreFilterPlugin {
  readonly name = 'FalsePreFilter';
  preFilter(): { status: Verdict } {
    return { status: Status.unschedulable('Node(s) failed PreFilter plugin FalsePreFilter') };
  }
}

const fitPlugin = (): NodeResourcesFitPlugin => new NodeResourcesFitPlugin(defaultNodeResourcesFitArgs());
const sized = (name: string, cpu: string, memory = '8Gi'): Node => makeNode(name).capacity({ cpu, memory, pods: 110 }).obj();
const schedulerStream = (seed: number): RandomStream => new RandomStreams(seed).stream('scheduler');

function run(algo: ScheduleAlgorithm, fwk: Framework, pod: PodInfo): ScheduleResult {
  return algo.schedule(fwk, fwk.newCycleState(), pod);
}

describe('numFeasibleNodesToFind', () => {
  // Upstream pkg/scheduler/schedule_one_test.go (TestNumFeasibleNodesToFind); the cases marked
  // "ksim case" follow the same formula at its edges (minFeasibleNodesToFind = 100,
  // minFeasibleNodesPercentageToFind = 5, adaptive percentage 50 - nodes/125).
  const cases: Array<[name: string, percentage: number, numAllNodes: number, want: number]> = [
    ['not set percentageOfNodesToScore and nodes number not more than 50', 0, 10, 10],
    ['set percentageOfNodesToScore and nodes number not more than 50', 40, 10, 10],
    ['not set percentageOfNodesToScore and nodes number more than 50', 0, 1000, 420],
    ['set percentageOfNodesToScore and nodes number more than 50', 40, 1000, 400],
    ['not set percentageOfNodesToScore and nodes number more than 50*125', 0, 6000, 300],
    ['set percentageOfNodesToScore and nodes number more than 50*125', 40, 6000, 2400],
    ['ksim case: 99 nodes are all searched whatever the percentage', 10, 99, 99],
    ['ksim case: never fewer than 100 nodes once there are 100', 10, 100, 100],
    ['ksim case: adaptive percentage at 5000 nodes is 10%', 0, 5000, 500],
    ['ksim case: adaptive percentage never drops below 5%', 0, 20000, 1000],
    ['ksim case: a configured 100% searches every node', 100, 3000, 3000],
  ];
  for (const [name, percentage, numAllNodes, want] of cases) {
    it(name, () => {
      assert.equal(numFeasibleNodesToFind(percentage, numAllNodes), want);
    });
  }
});

describe('ScheduleAlgorithm: rotating start index', () => {
  it('TestFairEvaluationForNodes: each cycle starts where the previous one stopped', () => {
    // Upstream schedule_one_test.go (TestFairEvaluationForNodes): 500 nodes, percentage 30,
    // so 150 nodes to find; over more than two sweeps every cycle finds exactly 150 and the
    // next start index is (i+1)*150 % 500.
    const numAllNodes = 500;
    const nodes = Array.from({ length: numAllNodes }, (_, i) => makeNode(String(i)).obj());
    const cluster = buildCluster(nodes);
    const filter = new RecordingFilter();
    const fwk = makeFramework(cluster, [filter, new FixedScore('Constant', {})], 30);
    const algo = new ScheduleAlgorithm(cluster, schedulerStream(1));
    const nodesToFind = numFeasibleNodesToFind(30, numAllNodes);
    assert.equal(nodesToFind, 150);
    const starts: number[] = [];
    for (let i = 0; i < 2 * (Math.trunc(numAllNodes / nodesToFind) + 1); i++) {
      filter.seen = [];
      const r = run(algo, fwk, podInfo(makePod().obj()));
      assert.equal(r.nodesFeasible, nodesToFind);
      assert.equal(r.nodesEvaluated, nodesToFind);
      starts.push(Number(filter.seen[0]));
    }
    assert.deepEqual(starts, [0, 150, 300, 450, 100, 250, 400, 50]);
  });

  it('the search goes through the zones in turn (upstream nodeTree), not the order nodes joined', () => {
    // 150 nodes of zone-a joined before 150 of zone-b: with 144 nodes to find (300 nodes, the
    // adaptive percentage 47 %), a search in joining order saw zone-a only; upstream's list is
    // a-0, b-0, a-1, b-1, ... so it sees 72 of each.
    const zone = (z: string) => (i: number) => makeNode(`${z}-${i}`).labels({ 'topology.kubernetes.io/zone': `zone-${z}` }).obj();
    const cluster = buildCluster([...Array.from({ length: 150 }, (_, i) => zone('a')(i)), ...Array.from({ length: 150 }, (_, i) => zone('b')(i))]);
    const filter = new RecordingFilter();
    const fwk = makeFramework(cluster, [filter, new FixedScore('Constant', {})]);
    const algo = new ScheduleAlgorithm(cluster, schedulerStream(1));
    run(algo, fwk, podInfo(makePod().obj()));
    assert.equal(filter.seen.length, 144);
    assert.deepEqual(filter.seen.slice(0, 4), ['a-0', 'b-0', 'a-1', 'b-1']);
    assert.equal(filter.seen.filter((n) => n.startsWith('b-')).length, 72);
  });

  it('without Score plugins one feasible node is enough, and rejected nodes count as processed', () => {
    // Upstream findNodesThatPassFilters: numNodesToFind = 1 when nothing scores, and
    // nextStartNodeIndex advances by the nodes processed (feasible and rejected).
    const cluster = buildCluster([makeNode('n0').unschedulable().obj(), makeNode('n1').obj(), makeNode('n2').obj()]);
    const fwk = makeFramework(cluster, [new NodeUnschedulablePlugin()]);
    const algo = new ScheduleAlgorithm(cluster, schedulerStream(1));
    const got = Array.from({ length: 5 }, () => {
      const r = run(algo, fwk, podInfo(makePod().obj()));
      return `${r.nodeName}/${r.nodesEvaluated}`;
    });
    assert.deepEqual(got, ['n1/2', 'n2/1', 'n1/2', 'n2/1', 'n1/2']);
  });

  it('a PreFilter node subset advances the start index modulo all nodes, not the subset (a DaemonSet pod does not reset it)', () => {
    // Upstream findNodesThatFitPod: nextStartNodeIndex = (next + processed) % len(allNodes),
    // while the search itself walks the subset modulo its own length.
    const numAllNodes = 500;
    const cluster = buildCluster(Array.from({ length: numAllNodes }, (_, i) => makeNode(String(i)).obj()));
    const filter = new RecordingFilter();
    const onlyNode7 = {
      name: 'OneNode',
      preFilter: (_s: CycleState, p: PodInfo) => ({ status: null, result: { nodeNames: p.name === 'ds' ? new Set(['7']) : null } }),
    } as unknown as PreFilterPlugin;
    const fwk = makeFramework(cluster, [onlyNode7, filter, new FixedScore('Constant', {})], 30);
    const algo = new ScheduleAlgorithm(cluster, schedulerStream(1));
    const cycles: Array<[pod: string, firstSeen: number, startAfter: number]> = [];
    for (const name of ['web-1', 'ds', 'web-2', 'ds', 'ds', 'web-3']) {
      filter.seen = [];
      run(algo, fwk, podInfo(makePod(name).obj()));
      cycles.push([name, Number(filter.seen[0]), algo.startNodeIndex]);
    }
    // 150 nodes to find per regular pod; each DaemonSet pod processes its one node.
    assert.deepEqual(cycles, [
      ['web-1', 0, 150],
      ['ds', 7, 151],
      ['web-2', 151, 301],
      ['ds', 7, 302],
      ['ds', 7, 303],
      ['web-3', 303, 453],
    ]);
  });

  it('a filter Error still advances the start index by the nodes processed before it', () => {
    // Upstream: "always try to update the sched.nextStartNodeIndex regardless of whether an
    // error has occurred".
    const cluster = buildCluster(['n0', 'n1', 'n2', 'n3'].map((n) => makeNode(n).obj()));
    const errOnN2 = { name: 'ErrOnN2', filter: (_s: CycleState, _p: PodInfo, n: NodeInfo) => (n.name === 'n2' ? Status.error('boom') : n.name === 'n0' ? Status.unschedulable('no') : null) } as FilterPlugin;
    const algo = new ScheduleAlgorithm(cluster, schedulerStream(1));
    const r = run(algo, makeFramework(cluster, [errOnN2, new FixedScore('Constant', {})]), podInfo(makePod().obj()));
    assert.deepEqual([CODE_NAMES[r.code], r.reason, algo.startNodeIndex], ['Error', 'running "ErrOnN2" filter plugin: boom', 2]);
  });

  it('a nominated node rejected again by the search is one rejected node (upstream NodeToStatus is keyed by node name)', () => {
    // The nominated node n1 fails first on its own, then again in the search over all 4 nodes:
    // the start index advances by 3 feasible + 1 rejected = 4 (back to 0), and when nothing fits
    // the FitError counts n1 once.
    const cluster = buildCluster(['n0', 'n1', 'n2', 'n3'].map((n) => makeNode(n).obj()));
    const rejectN1 = { name: 'RejectN1', filter: (_s: CycleState, _p: PodInfo, n: NodeInfo) => (n.name === 'n1' ? Status.unschedulable('no') : null) } as FilterPlugin;
    const algo = new ScheduleAlgorithm(cluster, schedulerStream(1));
    const pod = podInfo(makePod().obj());
    pod.nominatedNodeName = 'n1';
    const r = run(algo, makeFramework(cluster, [rejectN1, new FixedScore('Constant', {})]), pod);
    assert.deepEqual([r.nodesEvaluated, r.nodesFeasible, algo.startNodeIndex], [5, 3, 0]);
    const rejectAll = { name: 'RejectAll', filter: () => Status.unschedulable('no') } as unknown as FilterPlugin;
    const algo2 = new ScheduleAlgorithm(cluster, schedulerStream(1));
    const r2 = run(algo2, makeFramework(cluster, [rejectAll, new FixedScore('Constant', {})]), pod);
    assert.equal(r2.reason, '0/4 nodes are available: 4 no.');
    assert.equal(algo2.startNodeIndex, 0);
  });

  it('no nodes: fails with upstream\'s ErrNoNodesAvailable text', () => {
    const cluster = buildCluster([]);
    const r = run(new ScheduleAlgorithm(cluster, schedulerStream(1)), makeFramework(cluster, [fitPlugin()]), podInfo(makePod().obj()));
    assert.equal(r.nodeName, null);
    assert.equal(CODE_NAMES[r.code], 'Unschedulable');
    assert.equal(r.reason, 'no nodes available to schedule pods');
  });
});

describe('FitError message', () => {
  it('0/3 nodes are available: 1 Insufficient cpu, 2 node(s) were unschedulable.', () => {
    const cluster = buildCluster([
      makeNode('n1').capacity({ cpu: '4', memory: '8Gi', pods: 110 }).unschedulable().obj(),
      makeNode('n2').capacity({ cpu: '4', memory: '8Gi', pods: 110 }).unschedulable().obj(),
      sized('n3', '1'),
    ]);
    const fwk = makeFramework(cluster, [new NodeUnschedulablePlugin(), fitPlugin()]);
    const r = run(new ScheduleAlgorithm(cluster, schedulerStream(1)), fwk, podInfo(makePod().req({ cpu: '2' }).obj()));
    assert.equal(r.nodeName, null);
    assert.equal(CODE_NAMES[r.code], 'Unschedulable');
    assert.equal(r.reason, '0/3 nodes are available: 1 Insufficient cpu, 2 node(s) were unschedulable.');
    assert.equal(r.nodesEvaluated, 3);
    assert.deepEqual([...r.unschedulablePlugins].sort(), ['NodeResourcesFit', 'NodeUnschedulable']);
  });

  it('nodes failed Prefilter plugin', () => {
    // Upstream pkg/scheduler/framework/types_test.go (TestFitError_Error): a PreFilter
    // rejection is reported once, not once per node.
    const cluster = buildCluster([makeNode('node1').obj(), makeNode('node2').obj(), makeNode('node3').obj()]);
    const fwk = makeFramework(cluster, [new FalsePreFilter(), new RecordingFilter()]);
    const r = run(new ScheduleAlgorithm(cluster, schedulerStream(1)), fwk, podInfo(makePod().obj()));
    assert.equal(r.reason, '0/3 nodes are available: Node(s) failed PreFilter plugin FalsePreFilter.');
    assert.equal(CODE_NAMES[r.code], 'Unschedulable');
    assert.equal(r.nodesEvaluated, 0);
    assert.deepEqual([...r.unschedulablePlugins], ['FalsePreFilter']);
  });

  // Upstream types_test.go (TestFitError_Error), the cases without PostFilter messages; the
  // "ksim case" entries pin the histogram: every reason of every node counts, and the entries
  // sort as strings (Go's sort.Strings), so "10 ..." sorts before "2 ...".
  const unsched = (...reasons: string[]): Status => Status.unschedulable(...reasons);
  const cases: Array<[name: string, numAllNodes: number, statuses: Record<string, Status>, want: string]> = [
    [
      'nodes failed one Filter plugin with an empty PostFilterMsg',
      3,
      {
        node1: unsched('Node(s) failed Filter plugin FalseFilter-1'),
        node2: unsched('Node(s) failed Filter plugin FalseFilter-1'),
        node3: unsched('Node(s) failed Filter plugin FalseFilter-1'),
      },
      '0/3 nodes are available: 3 Node(s) failed Filter plugin FalseFilter-1.',
    ],
    [
      'nodes failed two Filter plugins with an empty PostFilterMsg',
      3,
      {
        node1: unsched('Node(s) failed Filter plugin FalseFilter-1'),
        node2: unsched('Node(s) failed Filter plugin FalseFilter-1'),
        node3: unsched('Node(s) failed Filter plugin FalseFilter-2'),
      },
      '0/3 nodes are available: 1 Node(s) failed Filter plugin FalseFilter-2, 2 Node(s) failed Filter plugin FalseFilter-1.',
    ],
    ['failed to Permit on node', 1, { node1: unsched('Node failed Permit plugin Permit-1') }, '0/1 nodes are available: 1 Node failed Permit plugin Permit-1.'],
    ['failed to Reserve on node', 1, { node1: unsched('Node failed Reserve plugin Reserve-1') }, '0/1 nodes are available: 1 Node failed Reserve plugin Reserve-1.'],
    [
      'ksim case: each reason of a multi-reason status is counted',
      2,
      { n1: unsched('Insufficient cpu', 'Insufficient memory'), n2: unsched('Insufficient cpu') },
      '0/2 nodes are available: 1 Insufficient memory, 2 Insufficient cpu.',
    ],
    [
      'ksim case: counts sort as strings, like Go\'s sort.Strings',
      12,
      Object.fromEntries(
        Array.from({ length: 12 }, (_, i) => [`n${i}`, i < 10 ? Status.unresolvable('node(s) were unschedulable') : unsched('Insufficient cpu')]),
      ),
      '0/12 nodes are available: 10 node(s) were unschedulable, 2 Insufficient cpu.',
    ],
  ];
  for (const [name, numAllNodes, statuses, want] of cases) {
    it(name, () => {
      assert.equal(fitErrorMessage(numAllNodes, new Map(Object.entries(statuses))), want);
    });
  }
});

describe('ScheduleAlgorithm: selectHost', () => {
  // Upstream schedule_one_test.go (TestSelectHost): the host is one of the highest-scored;
  // ties are broken by reservoir sampling (one draw per further tied node).
  const cases: Array<[name: string, scores: Record<string, number>, possible: string[]]> = [
    ['unique properly ordered scores', { node1: 1, node2: 2 }, ['node2']],
    ['equal scores', { 'node1.1': 1, 'node1.2': 2, 'node1.3': 2, 'node2.1': 2 }, ['node1.2', 'node1.3', 'node2.1']],
    ['out of order scores', { 'node1.1': 3, 'node1.2': 3, 'node2.1': 2, 'node3.1': 1, 'node1.3': 3 }, ['node1.1', 'node1.2', 'node1.3']],
  ];
  for (const [name, scores, possible] of cases) {
    it(name, () => {
      const cluster = buildCluster(Object.keys(scores).map((n) => makeNode(n).obj()));
      const fwk = makeFramework(cluster, [new FixedScore('Fixed', scores)]);
      const algo = new ScheduleAlgorithm(cluster, schedulerStream(3));
      const chosen = new Set<string>();
      for (let i = 0; i < 300; i++) {
        const r = run(algo, fwk, podInfo(makePod().obj()));
        assert.ok(r.nodeName !== null && possible.includes(r.nodeName), `${r.nodeName} is not one of ${possible.join(', ')}`);
        chosen.add(r.nodeName);
      }
      // ksim expectation: uniform tie-breaking reaches every tied node.
      assert.deepEqual([...chosen].sort(), [...possible].sort());
    });
  }

  it('draws from the random stream once when nodes tie for the top score, and never without a tie', () => {
    // Upstream's selectHost draws once per further tied node (reservoir sampling); ksim draws
    // once among the k tied nodes, which gives each the same 1/k chance.
    const cluster = buildCluster(['a', 'b', 'c', 'd'].map((n) => makeNode(n).obj()));
    const pod = podInfo(makePod().obj());
    const unique = new ScriptedStream();
    run(new ScheduleAlgorithm(cluster, unique), makeFramework(cluster, [new FixedScore('Fixed', { a: 1, b: 2, c: 3, d: 4 })]), pod);
    assert.equal(unique.calls, 0);
    const tiedScores = { a: 5, b: 5, c: 5, d: 1 };
    for (const [draw, want] of [[0, 'a'], [1, 'b'], [2, 'c']] as const) {
      const tied = new ScriptedStream([draw]);
      const r = run(new ScheduleAlgorithm(cluster, tied), makeFramework(cluster, [new FixedScore('Fixed', tiedScores)]), pod);
      assert.equal(tied.calls, 1);
      assert.equal(r.nodeName, want, `draw ${draw}`);
    }
  });

  it('the same seed makes the same choices among tied nodes; both tied nodes get chosen', () => {
    const choices = (seed: number): string[] => {
      const cluster = buildCluster([sized('left', '4'), sized('right', '4')]);
      const fwk = makeFramework(cluster, [fitPlugin()]);
      const algo = new ScheduleAlgorithm(cluster, schedulerStream(seed));
      // Nothing is placed, so the two nodes stay tied for every pod.
      return Array.from({ length: 200 }, () => run(algo, fwk, podInfo(makePod().req({ cpu: '100m' }).obj())).nodeName ?? '');
    };
    const a = choices(42);
    assert.deepEqual(choices(42), a);
    const left = a.filter((n) => n === 'left').length;
    const right = a.filter((n) => n === 'right').length;
    assert.equal(left + right, 200);
    assert.ok(left > 50 && right > 50, `left ${left}, right ${right}`);
    assert.notDeepEqual(choices(43), a);
  });

  it('the highest total wins whatever the seed', () => {
    for (const seed of [1, 2, 3]) {
      const cluster = buildCluster([sized('small', '2'), sized('big', '8'), sized('medium', '4')]);
      const fwk = makeFramework(cluster, [fitPlugin()]);
      const r = run(new ScheduleAlgorithm(cluster, schedulerStream(seed)), fwk, podInfo(makePod().req({ cpu: '1', memory: '1Gi' }).obj()));
      assert.equal(r.nodeName, 'big');
      assert.equal(r.nodesScored, 3);
      assert.equal(CODE_NAMES[r.code], 'Success');
    }
  });

  it('weights multiply plugin scores before they are summed', () => {
    const cluster = buildCluster([makeNode('x').obj(), makeNode('y').obj()]);
    // x: 60*1 + 10*3 = 90; y: 20*1 + 30*3 = 110.
    const fwk = makeFramework(cluster, [
      [new FixedScore('A', { x: 60, y: 20 }), 1],
      [new FixedScore('B', { x: 10, y: 30 }), 3],
    ]);
    assert.equal(run(new ScheduleAlgorithm(cluster, new ScriptedStream()), fwk, podInfo(makePod().obj())).nodeName, 'y');
  });

  it('a single feasible node is chosen without scoring', () => {
    const cluster = buildCluster([sized('tiny', '500m'), sized('fits', '4')]);
    const fwk = makeFramework(cluster, [fitPlugin()]);
    const stream = new ScriptedStream();
    const r = run(new ScheduleAlgorithm(cluster, stream), fwk, podInfo(makePod().req({ cpu: '1' }).obj()));
    assert.deepEqual([r.nodeName, r.nodesFeasible, r.nodesScored, stream.calls], ['fits', 1, 0, 0]);
  });

  it('a score outside [0, 100] is an Error with upstream\'s message', () => {
    const cluster = buildCluster([makeNode('x').obj(), makeNode('y').obj()]);
    const fwk = makeFramework(cluster, [new FixedScore('TooHigh', { x: 101, y: 5 })]);
    const r = run(new ScheduleAlgorithm(cluster, new ScriptedStream()), fwk, podInfo(makePod().obj()));
    assert.equal(r.nodeName, null);
    assert.equal(r.code, Code.Error);
    assert.equal(r.reason, 'plugin "TooHigh" returns an invalid score 101, it should in the range of [0, 100] after normalizing');
  });
});

describe('ScheduleAlgorithm: scores are integers (upstream int64)', () => {
  /** Raw scores from a table, then an optional NormalizeScore that maps each score. */
  function scored(name: string, raw: Readonly<Record<string, number>>, normalize?: (s: number) => number): ScorePlugin {
    const p: ScorePlugin = { name, score: (_state, _pod, node) => raw[node.name] ?? 0 };
    if (normalize === undefined) return p;
    return {
      ...p,
      normalizeScore: (_state, _pod, _nodes, scores) => {
        for (let i = 0; i < scores.length; i++) scores[i] = normalize(scores[i] as number);
        return null;
      },
    };
  }
  const cases: Array<{ name: string; plugin: ScorePlugin; want: string }> = [
    {
      name: 'a fractional score without NormalizeScore is an Error',
      plugin: scored('Half', { x: 12.5, y: 3 }),
      want: 'plugin "Half" returns a non-integer score 12.5: scores are integers (int64 upstream)',
    },
    {
      name: 'a fractional raw score is refused before NormalizeScore sees it',
      plugin: scored('RawHalf', { x: 0.5, y: 3 }, (s) => s * 10),
      want: 'plugin "RawHalf" returns a non-integer score 0.5: scores are integers (int64 upstream)',
    },
    {
      name: 'NaN is not an integer',
      plugin: scored('NotANumber', { x: Number.NaN, y: 3 }),
      want: 'plugin "NotANumber" returns a non-integer score NaN: scores are integers (int64 upstream)',
    },
    {
      name: 'a raw score beyond the safe integers is an Error (int64 arithmetic would be inexact in a double)',
      plugin: scored('Huge', { x: 2 ** 60, y: 3 }, () => 50),
      want: `plugin "Huge" returns an invalid score ${2 ** 60}, it should be a safe integer (|score| <= 9007199254740991)`,
    },
    {
      name: 'a fractional score after NormalizeScore is an Error',
      plugin: scored('NormHalf', { x: 1, y: 3 }, (s) => (100 * s) / 3),
      want: 'plugin "NormHalf" returns a non-integer score 33.333333333333336: scores are integers (int64 upstream)',
    },
    {
      name: 'a negative score after NormalizeScore is an Error with upstream\'s message',
      plugin: scored('Negative', { x: 1, y: 3 }, (s) => 34 - 33 * s),
      want: 'plugin "Negative" returns an invalid score -65, it should in the range of [0, 100] after normalizing',
    },
  ];
  /** The same plugin scoring all nodes in one call (ScorePlugin.scoreNodes), as in-tree ones do. */
  function batched(p: ScorePlugin): ScorePlugin {
    return { ...p, scoreNodes: (state, pod, nodes, out) => nodes.forEach((n, i) => (out[i] = p.score(state, pod, n))) };
  }
  for (const tc of cases) {
    it(tc.name, () => {
      for (const plugin of [tc.plugin, batched(tc.plugin)]) {
        const cluster = buildCluster([makeNode('x').obj(), makeNode('y').obj()]);
        const r = run(new ScheduleAlgorithm(cluster, new ScriptedStream()), makeFramework(cluster, [plugin]), podInfo(makePod().obj()));
        assert.deepEqual([r.nodeName, CODE_NAMES[r.code], r.reason], [null, 'Error', tc.want], plugin.scoreNodes === undefined ? 'score' : 'scoreNodes');
      }
    });
  }
  it('a plugin module\'s Score that returns a string or null is an Error (a typed array would have taken "50" as 50 and null as 0)', () => {
    const cases: [unknown, string][] = [
      ['50', 'plugin "Typed" returns a score of type string ("50"): scores are integers (int64 upstream)'],
      [null, 'plugin "Typed" returns a score of type null (null): scores are integers (int64 upstream)'],
      [undefined, 'plugin "Typed" returns a score of type undefined (undefined): scores are integers (int64 upstream)'],
    ];
    for (const [value, want] of cases) {
      // As plugin-modules.ts hands a module's plugin to the framework (built-in ones are trusted).
      const plugin = { name: 'Typed', score: () => value, [FROM_PLUGIN_MODULE]: true } as unknown as ScorePlugin;
      const cluster = buildCluster([makeNode('x').obj(), makeNode('y').obj()]);
      const r = run(new ScheduleAlgorithm(cluster, new ScriptedStream()), makeFramework(cluster, [plugin]), podInfo(makePod().obj()));
      assert.deepEqual([r.nodeName, CODE_NAMES[r.code], r.reason], [null, 'Error', want]);
    }
  });
  it('the first plugin with an invalid final score is the one reported, whatever the plugins after it do', () => {
    // Final scores are weighed in one pass at the end (four plugins at a time); a cycle still
    // reports what it did when it stopped at the first invalid plugin.
    const failing: ScorePlugin = { ...scored('Failing', { x: 1, y: 3 }), normalizeScore: () => Status.error('normalize broke') };
    const ok = (name: string) => scored(name, { x: 10, y: 20 });
    const want = 'plugin "TooHigh" returns an invalid score 120, it should in the range of [0, 100] after normalizing';
    const layouts: ScorePlugin[][] = [
      [scored('TooHigh', { x: 120, y: 3 }), failing],
      [ok('A'), ok('B'), scored('TooHigh', { x: 120, y: 3 }), ok('C'), ok('D')],
      [ok('A'), ok('B'), ok('C'), scored('TooHigh', { x: 120, y: 3 }), ok('D'), failing],
    ];
    for (const plugins of layouts) {
      const cluster = buildCluster([makeNode('x').obj(), makeNode('y').obj()]);
      const r = run(new ScheduleAlgorithm(cluster, new ScriptedStream()), makeFramework(cluster, plugins), podInfo(makePod().obj()));
      assert.deepEqual([r.nodeName, CODE_NAMES[r.code], r.reason], [null, 'Error', want], plugins.map((p) => p.name).join(','));
    }
  });
  it('five weighted plugins give the sums a pass per plugin gives', () => {
    // x: 1*10 + 2*20 + 3*30 + 4*40 + 5*50 = 550; y: 1*50 + 2*40 + 3*30 + 4*20 + 5*10 = 350.
    const cluster = buildCluster([makeNode('x').obj(), makeNode('y').obj()]);
    const fwk = makeFramework(cluster, [10, 20, 30, 40, 50].map((v, i) => [scored(`P${i}`, { x: v, y: 60 - v }), i + 1] as [ScorePlugin, number]));
    const totals = prioritize(fwk, fwk.newCycleState(), podInfo(makePod().obj()), cluster.nodes);
    assert.ok(!(totals instanceof Status));
    assert.deepEqual([...totals], [550, 350]);
  });
  it('a raw score past the 32-bit integers but safe is accepted, and NormalizeScore brings it into range', () => {
    for (const plugin of [scored('Big', { x: 2 ** 40, y: 2 ** 31 }, (s) => (s === 2 ** 40 ? 100 : 0)), batched(scored('Big', { x: 2 ** 40, y: 2 ** 31 }, (s) => (s === 2 ** 40 ? 100 : 0)))]) {
      const cluster = buildCluster([makeNode('x').obj(), makeNode('y').obj()]);
      const r = run(new ScheduleAlgorithm(cluster, new ScriptedStream()), makeFramework(cluster, [plugin]), podInfo(makePod().obj()));
      assert.deepEqual([r.nodeName, CODE_NAMES[r.code], r.reason], ['x', 'Success', '']);
    }
  });

  it('integer scores at the bounds 0 and 100 are accepted', () => {
    const cluster = buildCluster([makeNode('x').obj(), makeNode('y').obj()]);
    const r = run(new ScheduleAlgorithm(cluster, new ScriptedStream()), makeFramework(cluster, [scored('Bounds', { x: 0, y: 100 })]), podInfo(makePod().obj()));
    assert.deepEqual([r.nodeName, CODE_NAMES[r.code]], ['y', 'Success']);
  });
});

describe('ScheduleAlgorithm: the profile\'s audit', () => {
  class Recorder {
    readonly seen: string[] = [];
    scores(plugin: string, pod: PodInfo, nodes: readonly NodeInfo[], scores: ArrayLike<number>): void {
      this.seen.push(`${plugin} ${pod.name}: ${nodes.map((n, i) => `${n.name}=${scores[i]}`).join(' ')}`);
    }
    notANumber(plugin: string, pod: PodInfo, node: NodeInfo, message: string): void {
      this.seen.push(`not a number ${plugin} ${pod.name} ${node.name}: ${message}`);
    }
    pluginError(plugin: string, pod: PodInfo, message: string): void {
      this.seen.push(`error ${plugin} ${pod.name}: ${message}`);
    }
    badVerdict(plugin: string, pod: PodInfo | null, node: string | null, message: string): void {
      this.seen.push(`not a verdict ${plugin} ${pod?.name ?? '-'} ${node ?? '-'}: ${message}`);
    }
  }

  it('hears every plugin\'s final scores, out-of-range ones included, before the framework refuses them', () => {
    const cluster = buildCluster([makeNode('x').obj(), makeNode('y').obj()]);
    const fwk = makeFramework(cluster, [new FixedScore('A', { x: 60, y: 20 }), new FixedScore('Bad', { x: 7, y: -66 })]);
    const audit = new Recorder();
    fwk.audit = audit;
    const r = run(new ScheduleAlgorithm(cluster, new ScriptedStream()), fwk, podInfo(makePod('p').obj()));
    assert.equal(CODE_NAMES[r.code], 'Error');
    assert.deepEqual(audit.seen, [
      'A p: x=60 y=20',
      'Bad p: x=7 y=-66',
      'error Bad p: plugin "Bad" returns an invalid score -66, it should in the range of [0, 100] after normalizing',
    ]);
  });

  it('hears a Filter Error with the plugin that returned it, and nothing of a plain rejection', () => {
    const cluster = buildCluster([makeNode('x').obj(), makeNode('y').obj()]);
    const filter = { name: 'Flaky', filter: (_s: CycleState, p: PodInfo) => (p.name === 'err' ? Status.error('boom') : Status.unschedulable('no')) } as FilterPlugin;
    const fwk = makeFramework(cluster, [filter]);
    const audit = new Recorder();
    fwk.audit = audit;
    const algo = new ScheduleAlgorithm(cluster, new ScriptedStream());
    run(algo, fwk, podInfo(makePod('rejected').obj()));
    run(algo, fwk, podInfo(makePod('err').obj()));
    assert.deepEqual(audit.seen, ['error Flaky err: running "Flaky" filter plugin: boom']);
  });
});

describe('ScheduleAlgorithm: PreFilter statuses (upstream framework.go RunPreFilterPlugins)', () => {
  /** Returns `status` and records each call. */
  class ScriptedPreFilter implements PreFilterPlugin {
    calls = 0;
    constructor(readonly name: string, private readonly status: Verdict) {}
    preFilter(): { status: Verdict } {
      this.calls++;
      return { status: this.status };
    }
  }
  const cluster = buildCluster([makeNode('node1').obj(), makeNode('node2').obj()]);
  const pod = podInfo(makePod('p').obj());

  it('an Unschedulable status lets the later PreFilters run (their state is there for preemption, kubernetes#119770); the last one is the answer', () => {
    const a = new ScriptedPreFilter('A', Status.unschedulable('a says no'));
    const b = new ScriptedPreFilter('B', null);
    const c = new ScriptedPreFilter('C', Status.unschedulable('c says no'));
    const r = run(new ScheduleAlgorithm(cluster, new ScriptedStream()), makeFramework(cluster, [a, b, c]), pod);
    assert.deepEqual([a.calls, b.calls, c.calls], [1, 1, 1]);
    assert.equal(CODE_NAMES[r.code], 'Unschedulable');
    assert.equal(r.reason, '0/2 nodes are available: c says no.');
    assert.deepEqual([...r.unschedulablePlugins].sort(), ['A', 'C']);
  });

  it('UnschedulableAndUnresolvable ends the PreFilters at once', () => {
    const a = new ScriptedPreFilter('A', new Status(Code.UnschedulableAndUnresolvable, ['a never']));
    const b = new ScriptedPreFilter('B', null);
    const r = run(new ScheduleAlgorithm(cluster, new ScriptedStream()), makeFramework(cluster, [a, b]), pod);
    assert.deepEqual([a.calls, b.calls], [1, 0]);
    assert.equal(r.reason, '0/2 nodes are available: a never.');
  });

  it('an Error is `running PreFilter plugin "X": ...`, also after an Unschedulable one', () => {
    const a = new ScriptedPreFilter('A', Status.unschedulable('a says no'));
    const b = new ScriptedPreFilter('B', Status.error('boom'));
    const r = run(new ScheduleAlgorithm(cluster, new ScriptedStream()), makeFramework(cluster, [a, b]), pod);
    assert.equal(CODE_NAMES[r.code], 'Error');
    assert.equal(r.reason, 'running PreFilter plugin "B": boom');
  });
});

describe('ScheduleAlgorithm: PreFilter node subsets', () => {
  // Upstream schedule_one_test.go (TestSchedulerSchedulePod "test prefilter plugin returning
  // non-intersecting nodes", "test some nodes are filtered out by prefilter plugin") and
  // framework.go RunPreFilterPlugins.
  class SubsetPreFilter implements PreFilterPlugin, FilterPlugin {
    constructor(readonly name: string, private readonly nodes: readonly string[]) {}
    preFilter(): { status: Verdict; result: { nodeNames: ReadonlySet<string> } } {
      return { status: null, result: { nodeNames: new Set(this.nodes) } };
    }
    filter(): Verdict {
      return null;
    }
  }
  const cluster = buildCluster(['node1', 'node2', 'node3'].map((n) => makeNode(n).obj()));
  const pod = podInfo(makePod('p').obj());

  it('non-intersecting subsets reject the pod naming both plugins', () => {
    const r = run(new ScheduleAlgorithm(cluster, new RandomStreams(1).stream('s')), makeFramework(cluster, [new SubsetPreFilter('FakePreFilter2', ['node2']), new SubsetPreFilter('FakePreFilter3', ['node1'])]), pod);
    assert.equal(r.nodeName, null);
    assert.equal(r.reason, "0/3 nodes are available: node(s) didn't satisfy plugin(s) [FakePreFilter2 FakePreFilter3] simultaneously.");
    assert.deepEqual([...r.unschedulablePlugins].sort(), ['FakePreFilter2', 'FakePreFilter3']);
  });

  it('one plugin with an empty subset is named alone', () => {
    const r = run(new ScheduleAlgorithm(cluster, new RandomStreams(1).stream('s')), makeFramework(cluster, [new SubsetPreFilter('FakePreFilter1', [])]), pod);
    assert.equal(r.reason, "0/3 nodes are available: node(s) didn't satisfy plugin FakePreFilter1.");
  });

  it('only the subset is examined; the other nodes count as not satisfying the plugin', () => {
    const reject = { name: 'RejectAll', filter: () => Status.unschedulable('rejected') } as FilterPlugin;
    const r = run(new ScheduleAlgorithm(cluster, new RandomStreams(1).stream('s')), makeFramework(cluster, [new SubsetPreFilter('FakePreFilter', ['node2']), reject]), pod);
    assert.equal(r.nodesEvaluated, 1);
    assert.equal(r.reason, "0/3 nodes are available: 1 rejected, 2 node(s) didn't satisfy plugin(s) [FakePreFilter].");
    const ok = run(new ScheduleAlgorithm(cluster, new RandomStreams(1).stream('s')), makeFramework(cluster, [new SubsetPreFilter('FakePreFilter', ['node3'])]), pod);
    assert.equal(ok.nodeName, 'node3');
  });

  it('a failure with no reasons ends the message with a colon, as upstream', () => {
    assert.equal(fitErrorMessage(3, new Map()), '0/3 nodes are available:');
  });
});

describe('ScheduleAlgorithm: PreFilter Skip', () => {
  // Upstream framework.go RunPreFilterPlugins: a plugin whose PreFilter returns Skip is left out
  // of Filter (state.SkipFilterPlugins).
  /** Skips when its `skipping` flag is set; its Filter rejects every node it is asked about. */
  class SkippingRejecter implements PreFilterPlugin, FilterPlugin {
    skipping = true;
    constructor(readonly name: string) {}
    preFilter(): { status: Verdict } {
      return { status: this.skipping ? new Status(Code.Skip, [], this.name) : null };
    }
    filter(): Verdict {
      return Status.unschedulable(`${this.name} rejects`);
    }
  }
  const cluster = buildCluster(['node1', 'node2'].map((n) => makeNode(n).obj()));
  const pod = podInfo(makePod('p').obj());

  it('cycles that skip the same plugins share one set; another mix gets its own, with the right names', () => {
    const a = new SkippingRejecter('SkipA');
    const b = new SkippingRejecter('SkipB');
    const fwk = makeFramework(cluster, [a, b]);
    const algo = new ScheduleAlgorithm(cluster, new RandomStreams(1).stream('s'));
    const cycle = (): { result: ScheduleResult; skipped: ReadonlySet<string> } => {
      const state = fwk.newCycleState();
      const result = algo.schedule(fwk, state, pod);
      return { result, skipped: state.skipFilterPlugins };
    };
    const first = cycle();
    assert.equal(first.result.nodeName, 'node1');
    assert.deepEqual([...first.skipped], ['SkipA', 'SkipB']);
    assert.equal(cycle().skipped, first.skipped);
    b.skipping = false;
    const onlyA = cycle();
    assert.deepEqual([...onlyA.skipped], ['SkipA']);
    assert.equal(onlyA.result.nodeName, null);
    assert.equal(onlyA.result.reason, '0/2 nodes are available: 2 SkipB rejects.');
    a.skipping = false;
    const none = cycle();
    assert.equal(none.skipped.size, 0);
    assert.equal(none.result.reason, '0/2 nodes are available: 2 SkipA rejects.');
    a.skipping = true;
    b.skipping = true;
    const both = cycle();
    assert.deepEqual([...both.skipped], ['SkipA', 'SkipB']);
    assert.equal(both.result.nodeName, 'node1');
  });
});

describe('ScheduleAlgorithm: filtering in batches', () => {
  /** Rejects the nodes whose name ends in one of `digits`, in batches or node by node. */
  class RejectDigits implements FilterPlugin {
    calls = 0;
    constructor(
      readonly name: string,
      private readonly digits: string,
      private readonly code: Code = Code.Unschedulable,
    ) {}
    filter(_state: CycleState, _pod: PodInfo, node: NodeInfo): Verdict {
      this.calls++;
      return this.digits.includes(node.name.slice(-1)) ? new Status(this.code, [`${this.name} says no`]) : null;
    }
    filterNodes(state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[], from: number, to: number, rejected: FilterRejections): number {
      let r = 0;
      for (let i = from; i < to; i++) {
        const v = this.filter(state, pod, nodes[i] as NodeInfo);
        if (v === null) continue;
        rejected.at[r] = i;
        rejected.verdicts[r++] = v;
      }
      return r;
    }
  }
  /** The same plugins, but without their batch form: the search goes node by node. */
  const nodeByNode = (p: RejectDigits): RejectDigits => Object.assign(Object.create(p) as RejectDigits, { filterNodes: undefined });

  /** Runs pods of growing cpu requests through both searches; each cycle's outcome, in words. */
  function compare(plugins: () => RejectDigits[], numNodes: number, pods: number): { batch: string[]; perNode: string[] } {
    const cluster = buildCluster(Array.from({ length: numNodes }, (_, i) => sized(`n${String(i).padStart(3, '0')}`, i % 7 === 0 ? '1' : '8')));
    const outcomes = (wrap: (p: RejectDigits) => RejectDigits): string[] => {
      const algo = new ScheduleAlgorithm(cluster, schedulerStream(3));
      const fwk = makeFramework(cluster, [...plugins().map(wrap), fitPlugin(), new FixedScore('Constant', {})], 20);
      return Array.from({ length: pods }, (_, i) => {
        const r = run(algo, fwk, podInfo(makePod(`p${i}`).req({ cpu: `${500 + 300 * i}m` }).obj()));
        return `${r.nodeName}/${CODE_NAMES[r.code]}/${r.nodesEvaluated}/${r.nodesFeasible}/${[...r.unschedulablePlugins].sort().join(',')}/${algo.startNodeIndex}/${r.reason}`;
      });
    };
    return { batch: outcomes((p) => p), perNode: outcomes(nodeByNode) };
  }

  it('finds the nodes, statuses and next start index a node-by-node search finds', () => {
    // 150 nodes, 20 %: 30 to find. Three plugins reject 3 + 2 + 2 of every 10 names, and
    // NodeResourcesFit rejects the 1-CPU nodes as requests grow: batches shrink plugin by plugin,
    // and the pods that fit nowhere report every node's first rejection.
    const { batch, perNode } = compare(() => [new RejectDigits('A', '137'), new RejectDigits('B', '24'), new RejectDigits('C', '05')], 150, 30);
    assert.deepEqual(batch, perNode);
    assert.ok(batch.some((o) => o.startsWith('null/Unschedulable/150/0/')), 'some pod fits nowhere');
    assert.ok(batch.some((o) => o.includes('/A,B,C,NodeResourcesFit/')), 'some cycle is rejected by every plugin');
  });

  it('stops at the node where a plugin returns an Error, as a node-by-node search does', () => {
    // B errs on names ending in 9: n009, the tenth node searched, ends the first cycle, with the
    // start index advanced by the nine before it; every later cycle starts at n009 and ends there.
    const { batch, perNode } = compare(() => [new RejectDigits('A', '13'), new RejectDigits('B', '9', Code.Error)], 60, 4);
    assert.deepEqual(batch, perNode);
    const fields = (o: string) => o.split('/').filter((_, i) => [1, 2, 5].includes(i)).join('/');
    assert.deepEqual(batch.map(fields), ['Error/10/9', 'Error/1/9', 'Error/1/9', 'Error/1/9']);
  });

  it('asks each plugin about the nodes the plugins before it passed, once each', () => {
    const cluster = buildCluster(Array.from({ length: 10 }, (_, i) => sized(`n${i}`, '8')));
    const a = new RejectDigits('A', '0123');
    const b = new RejectDigits('B', '45');
    const fwk = makeFramework(cluster, [a, b, new FixedScore('Constant', {})]);
    const r = run(new ScheduleAlgorithm(cluster, schedulerStream(1)), fwk, podInfo(makePod('p').obj()));
    assert.deepEqual([r.nodesEvaluated, r.nodesFeasible, a.calls, b.calls], [10, 4, 10, 6]);
  });
});

describe('pickTopScore', () => {
  it('returns the k-th of the nodes tied for the top, in node order, drawing only when several tie', () => {
    const t = new Float64Array([5, 9, 3, 9, 9, 1]);
    const pick = (k: number) => {
      const rng = new ScriptedStream([k]);
      return [pickTopScore(t, rng), rng.calls];
    };
    assert.deepEqual(pick(0), [1, 1]);
    assert.deepEqual(pick(1), [3, 1]);
    assert.deepEqual(pick(2), [4, 1]);
    // A single top: no draw.
    const one = new ScriptedStream([2]);
    assert.equal(pickTopScore(new Float64Array([1, 7, 3]), one), 1);
    assert.equal(one.calls, 0);
    // A later, higher total restarts the ties.
    assert.equal(pickTopScore(new Float64Array([4, 4, 4, 6, 2, 6]), new ScriptedStream([1])), 5);
  });

  it('counts -Infinity totals as tied, never picks NaN (0 when all are), and keeps working past its buffer', () => {
    assert.equal(pickTopScore(new Float64Array([-Infinity, -Infinity]), new ScriptedStream([1])), 1);
    assert.equal(pickTopScore(new Float64Array([Number.NaN, 2, Number.NaN, 2]), new ScriptedStream([1])), 3);
    assert.equal(pickTopScore(new Float64Array([Number.NaN, Number.NaN]), new ScriptedStream([1])), 0);
    assert.equal(pickTopScore(new Float64Array(0), new ScriptedStream([1])), 0);
    // 5,000 tied nodes (more than the first buffer holds): the 4,321st.
    assert.equal(pickTopScore(new Float64Array(5000).fill(50), new ScriptedStream([4320])), 4320);
  });
});

describe('prioritize: the weighted sum of plugins with a node-local class (ScorePlugin.nodeLocalClass)', () => {
  // Two plugins scoring from a node's books (its pod count), one that does not say so.
  function setup(classA: () => number = () => 1) {
    const calls = { A: 0, B: 0, C: 0 };
    const count = (node: NodeInfo) => node.pods.length;
    const a: ScorePlugin = { name: 'A', score: (_s, _p, node) => (calls.A++, 100 - 10 * count(node)), nodeLocalClass: () => classA() };
    const b: ScorePlugin = { name: 'B', score: (_s, _p, node) => (calls.B++, 5 * count(node)), nodeLocalClass: () => 7 };
    const c: ScorePlugin = { name: 'C', score: (_s, _p, node) => (calls.C++, node.name === 'y' ? 50 : 0) };
    const cluster = buildCluster(['x', 'y', 'z'].map((n) => makeNode(n).obj()));
    const fwk = makeFramework(cluster, [[a, 2], [b, 3], [c, 1]]);
    const buffers = new ScoreBuffers();
    const pod = podInfo(makePod().obj());
    const totals = (withMemo: boolean): number[] => {
      const t = prioritize(fwk, fwk.newCycleState(), pod, cluster.nodes, withMemo ? buffers : undefined);
      assert.ok(!(t instanceof Status));
      return [...t];
    };
    const place = (node: string) => cluster.assume(podInfo(makePod().obj()), cluster.mustNode(node));
    return { calls, totals, place, fwk, cluster, buffers, pod };
  }

  it('gives the totals scoring every plugin gives, and calls the node-local ones only for nodes whose books changed', () => {
    const { calls, totals, place } = setup();
    // x, y, z empty: 2*100 + 3*0 + C.
    assert.deepEqual(totals(true), [200, 250, 200]);
    assert.deepEqual(calls, { A: 3, B: 3, C: 3 });
    assert.deepEqual(totals(true), [200, 250, 200]);
    assert.deepEqual(calls, { A: 3, B: 3, C: 6 }, 'nothing changed: A and B looked up');
    place('z');
    place('z');
    // z holds 2 pods: 2*80 + 3*10 = 190.
    assert.deepEqual(totals(true), [200, 250, 190]);
    assert.deepEqual(calls, { A: 4, B: 4, C: 9 }, 'only z recomputed');
    assert.deepEqual(totals(false), [200, 250, 190], 'the same without the sums');
  });

  it('a new class recomputes every node; a plugin without a class for the pod leaves fewer than two and no sums', () => {
    let cls = 1;
    const { calls, totals } = setup(() => cls);
    totals(true);
    cls = 2;
    assert.deepEqual(totals(true), [200, 250, 200]);
    assert.deepEqual(calls, { A: 6, B: 6, C: 6 });
    cls = -1;
    totals(true);
    totals(true);
    assert.deepEqual(calls, { A: 12, B: 12, C: 12 }, 'scored every cycle');
  });

  it('an invalid score from a node-local plugin is reported as without the sums', () => {
    const cluster = buildCluster([makeNode('x').obj(), makeNode('y').obj()]);
    const bad: ScorePlugin = { name: 'Bad', score: (_s, _p, node) => (node.name === 'y' ? 120 : 10), nodeLocalClass: () => 1 };
    const good: ScorePlugin = { name: 'Good', score: () => 50, nodeLocalClass: () => 1 };
    const fwk = makeFramework(cluster, [good, bad]);
    const pod = podInfo(makePod().obj());
    const withSums = prioritize(fwk, fwk.newCycleState(), pod, cluster.nodes, new ScoreBuffers());
    const without = prioritize(fwk, fwk.newCycleState(), pod, cluster.nodes);
    assert.ok(withSums instanceof Status && without instanceof Status);
    assert.equal(withSums.message, without.message);
    assert.equal(withSums.message, 'plugin "Bad" returns an invalid score 120, it should in the range of [0, 100] after normalizing');
  });
});

describe('prioritize: plugins whose final scores are one value for every node (ScorePlugin.constantScore)', () => {
  it('adds the weighted constant to every total without scoring, giving the totals scoring gives', () => {
    const calls = { K: 0, V: 0 };
    const constant = (c: number): ScorePlugin => ({ name: 'K', score: () => (calls.K++, c), constantScore: () => c });
    const varying: ScorePlugin = { name: 'V', score: (_s, _p, node) => (calls.V++, node.name === 'y' ? 30 : 10) };
    const cluster = buildCluster([makeNode('x').obj(), makeNode('y').obj()]);
    const fwk = makeFramework(cluster, [[constant(40), 3], [varying, 2]]);
    const pod = podInfo(makePod().obj());
    const t = prioritize(fwk, fwk.newCycleState(), pod, cluster.nodes, new ScoreBuffers());
    assert.ok(!(t instanceof Status));
    assert.deepEqual([...t], [140, 180]);
    assert.deepEqual(calls, { K: 0, V: 2 });
    const plain = prioritize(fwk, fwk.newCycleState(), pod, cluster.nodes);
    assert.ok(!(plain instanceof Status));
    assert.deepEqual([...plain], [140, 180], 'the same scoring it');
  });

  it('a value that is not a final score (-1: not constant, or out of range) is scored as usual', () => {
    for (const c of [-1, 120, 2.5]) {
      let scoredCalls = 0;
      const p: ScorePlugin = { name: 'K', score: (_s, _p, node) => (scoredCalls++, node.name === 'y' ? 60 : 20), constantScore: () => c };
      const cluster = buildCluster([makeNode('x').obj(), makeNode('y').obj()]);
      const fwk = makeFramework(cluster, [p]);
      const t = prioritize(fwk, fwk.newCycleState(), podInfo(makePod().obj()), cluster.nodes, new ScoreBuffers());
      assert.ok(!(t instanceof Status));
      assert.deepEqual([...t], [20, 60], String(c));
      assert.equal(scoredCalls, 2, String(c));
    }
  });
});
