import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { FieldError } from '../../api/field-error.js';
import { buildCluster, makeFramework, makeNode, makePod, podInfo, type Resources } from '../../testing/builders.js';
import { CycleState } from '../framework/cycle-state.js';
import { Code, CODE_NAMES } from '../framework/status.js';
import { prioritize } from '../schedule-one.js';
import {
  BalancedAllocationPlugin,
  balancedAllocationScore,
  balancedResourceScore,
  newNodeResourcesBalancedAllocation,
  NodeResourcesBalancedAllocation,
  parseNodeResourcesBalancedAllocationArgs,
} from './balanced-allocation.js';

const GPU = 'nvidia.com/gpu';

/** Upstream's makeNode(name, milliCPU, memory, extended) of the noderesources tests. */
function node(name: string, milliCpu: number, memory: number, extended: Resources = {}): Node {
  return makeNode(name).capacity({ cpu: `${milliCpu}m`, memory, pods: 100, ...extended }).obj();
}

// The pod specs of upstream's balanced_allocation_test.go. The NodeName each carries decides
// where it runs when listed as an existing pod.
const cpuOnly = (nodeName = 'node1'): Pod =>
  makePod().node(nodeName).req({ cpu: '1000m', memory: '0' }).req({ cpu: '2000m', memory: '0' }).obj();
const cpuAndMemory = (nodeName = 'node2'): Pod =>
  makePod().node(nodeName).req({ cpu: '1000m', memory: '2000' }).req({ cpu: '2000m', memory: '3000' }).obj();
const cpuAndMemoryAndGPU = (): Pod =>
  makePod().node('node1').req({ cpu: '1000m', memory: '2000' }).req({ cpu: '2000m', memory: '3000', [GPU]: '3' }).obj();
/** The same requests as an incoming (unbound) pod. */
const unbound = (p: Pod): Pod => {
  delete p.spec?.nodeName;
  return p;
};

const WITH_GPU = [
  { name: 'cpu', weight: 1 },
  { name: 'memory', weight: 1 },
  { name: GPU, weight: 1 },
];

interface Case {
  name: string;
  pod: Pod;
  nodes: Node[];
  existing?: Pod[];
  args?: unknown;
  /** false: Score without PreScore (upstream's "if PreScore not called"). */
  runPreScore?: boolean;
  want: Record<string, number> | 'Skip';
}

function run(c: Case): Record<string, number> | 'Skip' {
  const cluster = buildCluster(c.nodes, c.existing ?? []);
  const plugin = new BalancedAllocationPlugin(parseNodeResourcesBalancedAllocationArgs(c.args));
  const pi = podInfo(c.pod);
  const state = new CycleState();
  if (c.runPreScore !== false) {
    const v = plugin.preScore(state, pi);
    if (v !== null) {
      assert.equal(CODE_NAMES[v.code], 'Skip');
      return 'Skip';
    }
  }
  const got: Record<string, number> = {};
  for (const n of cluster.nodes) got[n.name] = plugin.score(state, pi, n);
  // The all-nodes path (what the framework calls) gives the same scores.
  const all = new Float64Array(cluster.nodes.length);
  plugin.scoreNodes(state, pi, cluster.nodes, all);
  assert.deepEqual(Object.fromEntries(cluster.nodes.map((n, i) => [n.name, all[i]])), got, 'scoreNodes');
  return got;
}

describe('NodeResourcesBalancedAllocation: TestNodeResourcesBalancedAllocation', () => {
  // Upstream pkg/scheduler/framework/plugins/noderesources/balanced_allocation_test.go
  // (TestNodeResourcesBalancedAllocation), same clusters and pods. The stored upstream table
  // predates PR #135573, so the expectations are re-derived with its formula:
  //   S(fractions) = int((1 − std) × 100), std = |f1 − f2| / 2 for two resources, the
  //   population standard deviation for more; each fraction = used / allocatable, capped at 1;
  //   score = 50 + (50 + S(with pod) − S(without pod)) / 2, integer division.
  // Skipped: the DRA extended-resource cases (ksim does not model DRA).
  const cases: Case[] = [
    {
      name: 'nothing scheduled, nothing requested, skip in PreScore',
      pod: makePod().obj(),
      nodes: [node('node1', 4000, 10000), node('node2', 4000, 10000)],
      want: 'Skip',
    },
    {
      // node1 with: cpu 3000/4000 = .75, memory 5000/10000 = .5 → std .125 → 87;
      //   without: 0, 0 → 100; 50 + (50 + 87 − 100) / 2 = 50 + 37 / 2 = 68.
      // node2 with: 3000/6000 = .5, .5 → 100; without → 100; 50 + 50 / 2 = 75.
      name: 'nothing scheduled, resources requested, differently sized nodes',
      pod: unbound(cpuAndMemory()),
      nodes: [node('node1', 4000, 10000), node('node2', 6000, 10000)],
      want: { node1: 68, node2: 75 },
    },
    {
      // node1 (runs cpuOnly: 3000m, 0) with: 6000/10000 = .6, 5000/20000 = .25 → std .175 → 82;
      //   without: .3, 0 → std .15 → 85; 50 + (50 + 82 − 85) / 2 = 50 + 47 / 2 = 73.
      // node2 (runs cpuAndMemory: 3000m, 5000) with: .6, 10000/20000 = .5 → std .05 → 95;
      //   without: .3, .25 → std .025 → 97; 50 + (50 + 95 − 97) / 2 = 50 + 48 / 2 = 74.
      name: 'resources requested, pods scheduled with resources',
      pod: unbound(cpuAndMemory()),
      nodes: [node('node1', 10000, 20000), node('node2', 10000, 20000)],
      existing: [cpuOnly(), cpuAndMemory()],
      want: { node1: 73, node2: 74 },
    },
    {
      // node1 as above → 73.
      // node2 with: .6, 10000/50000 = .2 → std .2 → 80; without: .3, .1 → std .1 → 90;
      //   50 + (50 + 80 − 90) / 2 = 50 + 20 = 70.
      name: 'resources requested, pods scheduled with resources, differently sized nodes',
      pod: unbound(cpuAndMemory()),
      nodes: [node('node1', 10000, 20000), node('node2', 10000, 50000)],
      existing: [cpuOnly(), cpuAndMemory()],
      want: { node1: 73, node2: 70 },
    },
    {
      // The pod requests cpu only (memory 0 is still scored: only scalar resources are skipped).
      // node1 with: 6000/6000 = 1, 0 → std .5 → 50; without: .5, 0 → std .25 → 75;
      //   50 + (50 + 50 − 75) / 2 = 50 + 25 / 2 = 62.
      // node2 with: 1, 5000/10000 = .5 → std .25 → 75; without: .5, .5 → 100;
      //   50 + (50 + 75 − 100) / 2 = 62.
      name: 'requested resources at node capacity',
      pod: unbound(cpuOnly()),
      nodes: [node('node1', 6000, 10000), node('node2', 6000, 10000)],
      existing: [cpuOnly(), cpuAndMemory()],
      want: { node1: 62, node2: 62 },
    },
    {
      // The pod requests memory 0 and one GPU (no cpu: cpu is still scored, from the node).
      // node1 (runs cpuAndMemoryAndGPU: 3000m, 5000, 3 GPUs):
      //   with: 3000/3500 = .857142, 5000/40000 = .125, 4/8 = .5; mean .494048;
      //     std = sqrt((.363095² + .369048² + .005952²) / 3) = sqrt(.268070 / 3) = .298926 → 70;
      //   without: .857142, .125, 3/8 = .375; mean .452381;
      //     std = sqrt((.404762² + .327381² + .077381²) / 3) = sqrt(.276998 / 3) = .303863 → 69;
      //   50 + (50 + 70 − 69) / 2 = 50 + 51 / 2 = 75.
      // node2 (runs cpuAndMemory: 3000m, 5000):
      //   with: .857142, .125, 1/8 = .125; mean .369048;
      //     std = sqrt((.488095² + .244048² + .244048²) / 3) = sqrt(.357355 / 3) = .345135 → 65;
      //   without: .857142, .125, 0; mean .327381;
      //     std = sqrt((.529762² + .202381² + .327381²) / 3) = sqrt(.428784 / 3) = .378058 → 62;
      //   50 + (50 + 65 − 62) / 2 = 50 + 53 / 2 = 76.
      name: 'include scalar resource on a node for balanced resource allocation',
      pod: makePod().req({ memory: '0', [GPU]: '1' }).obj(),
      nodes: [node('node1', 3500, 40000, { [GPU]: 8 }), node('node2', 3500, 40000, { [GPU]: 8 })],
      existing: [cpuAndMemory(), cpuAndMemoryAndGPU()],
      args: { resources: WITH_GPU },
      want: { node1: 75, node2: 76 },
    },
    {
      // The pod does not request the GPU, so it is left out on both nodes.
      // with: 3000/3500 = .857142, 5000/40000 = .125 → std .366071 → 63; without: 0, 0 → 100;
      // 50 + (50 + 63 − 100) / 2 = 50 + 13 / 2 = 56.
      name: 'node without the scalar resource should skip the scalar resource',
      pod: unbound(cpuAndMemory()),
      nodes: [node('node1', 3500, 40000, { [GPU]: 8 }), node('node2', 3500, 40000)],
      args: { resources: WITH_GPU },
      want: { node1: 56, node2: 56 },
    },
    {
      name: 'resources requested, pods scheduled with resources if PreScore not called',
      pod: unbound(cpuAndMemory()),
      nodes: [node('node1', 10000, 20000), node('node2', 10000, 20000)],
      existing: [cpuOnly(), cpuAndMemory()],
      runPreScore: false,
      want: { node1: 73, node2: 74 },
    },
    {
      // Older upstream case "zero node resources": with the pod requesting something, no
      // resource is scored at all → both balances 100 → 50 + 50 / 2 = 75.
      name: 'zero node resources',
      pod: unbound(cpuAndMemory()),
      nodes: [makeNode('node1').obj(), makeNode('node2').obj()],
      want: { node1: 75, node2: 75 },
    },
    {
      // ksim case: Score without PreScore for a best-effort pod is 0 (upstream fallback).
      name: 'best-effort pod scores 0 if PreScore not called',
      pod: makePod().container().obj(),
      nodes: [node('node1', 4000, 10000)],
      existing: [cpuOnly()],
      runPreScore: false,
      want: { node1: 0 },
    },
    {
      // ksim case: actual requests (useRequested), not the non-zero defaults: the existing
      // request-less pod counts 0, the incoming pod only its memory.
      // with: 0/4000 = 0, 5000/10000 = .5 → std .25 → 75; without: 0, 0 → 100;
      // 50 + (50 + 75 − 100) / 2 = 62.
      name: 'ksim case: requests are actual, without the non-zero defaults',
      pod: makePod().req({ memory: '5000' }).obj(),
      nodes: [node('node1', 4000, 10000)],
      existing: [makePod().node('node1').container().obj()],
      want: { node1: 62 },
    },
    {
      // ksim case: a pod that improves the balance. The node runs 3000m of 4000m and no memory.
      // with: 3000/4000 = .75, 8000/10000 = .8 → std .025 → 97; without: .75, 0 → std .375 → 62;
      // 50 + (50 + 97 − 62) / 2 = 50 + 85 / 2 = 92.
      name: 'ksim case: a pod that balances a lopsided node scores high',
      pod: makePod().req({ memory: '8000' }).obj(),
      nodes: [node('node1', 4000, 10000)],
      existing: [cpuOnly()],
      want: { node1: 92 },
    },
    {
      // ksim case: a pod requesting only a resource outside the configured ones is best-effort.
      name: 'ksim case: requesting only an unscored resource is best-effort',
      pod: makePod().req({ [GPU]: '1' }).obj(),
      nodes: [node('node1', 4000, 10000, { [GPU]: 8 })],
      want: 'Skip',
    },
    {
      // ksim case: ephemeral storage is scored even when the pod does not request it (it is not a
      // scalar resource). with: cpu 1000/4000 = .25, storage 500/1000 = .5 → std .125 → 87;
      // without: 0, .5 → std .25 → 75; 50 + (50 + 87 − 75) / 2 = 50 + 31 = 81.
      name: 'ksim case: ephemeral-storage is scored without being requested',
      pod: makePod().req({ cpu: '1' }).obj(),
      nodes: [node('node1', 4000, 10000, { 'ephemeral-storage': 1000 })],
      existing: [makePod().node('node1').req({ 'ephemeral-storage': '500' }).obj()],
      args: {
        resources: [
          { name: 'cpu', weight: 1 },
          { name: 'ephemeral-storage', weight: 1 },
        ],
      },
      want: { node1: 81 },
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual(run(c), c.want);
    });
  }
});

describe('NodeResourcesBalancedAllocation: the scoring function', () => {
  // balancedResourceScore on fractions, balancedAllocationScore on the two balances.
  const S = (...fractions: number[]): number => balancedResourceScore(Float64Array.from(fractions), fractions.length);

  it('no change to the balance scores 75', () => {
    // Both perfectly balanced: 100 and 100.
    assert.equal(balancedAllocationScore(S(0.5, 0.5), S(0, 0)), 75);
  });

  it('from perfectly balanced to perfectly imbalanced scores 50', () => {
    // with: 1, 0 → std .5 → 50; without: 0, 0 → 100; 50 + (50 + 50 − 100) / 2 = 50.
    assert.equal(balancedAllocationScore(S(1, 0), S(0, 0)), 50);
  });

  it('from perfectly imbalanced to perfectly balanced scores 100', () => {
    // with: 1, 1 → 100; without: 1, 0 → 50; 50 + (50 + 100 − 50) / 2 = 100.
    assert.equal(balancedAllocationScore(S(1, 1), S(1, 0)), 100);
  });

  it('a slightly worse balance rounds towards 75', () => {
    // 50 + (50 + 99 − 100) / 2 = 50 + 49 / 2 = 74 (Go's integer division truncates).
    assert.equal(balancedAllocationScore(99, 100), 74);
  });

  it('a single fraction has no deviation', () => {
    assert.equal(S(0.9), 100);
  });

  it('three fractions use the population standard deviation', () => {
    // .1, .5, .9: mean .5, std = sqrt((.16 + 0 + .16) / 3) = .326599 → 67.
    assert.equal(S(0.1, 0.5, 0.9), 67);
  });

  it('fractions above 1 are capped when scoring a node', () => {
    // The node runs 6000m on 4000m (over-committed through a bound pod): with: min(7000/4000,
    // 1) = 1, 5000/10000 = .5 → std .25 → 75; without: 1, 0 → 50; 50 + (50 + 75 − 50) / 2 = 87.
    const cluster = buildCluster([node('node1', 4000, 10000)], [cpuOnly(), cpuOnly()]);
    const n1 = cluster.nodes[0];
    assert.ok(n1 !== undefined);
    const plugin = new BalancedAllocationPlugin(parseNodeResourcesBalancedAllocationArgs(undefined));
    assert.equal(plugin.score(new CycleState(), podInfo(makePod().req({ cpu: '1', memory: '5000' }).obj()), n1), 87);
  });
});

describe('NodeResourcesBalancedAllocation: in a framework', () => {
  it('a best-effort pod is skipped at PreScore and adds nothing to the totals', () => {
    const cluster = buildCluster([node('node1', 4000, 10000), node('node2', 4000, 10000)], [cpuOnly()]);
    const fwk = makeFramework(cluster, [newNodeResourcesBalancedAllocation(undefined)]);
    const totals = prioritize(fwk, fwk.newCycleState(), podInfo(makePod().obj()), cluster.nodes);
    assert.ok(totals instanceof Float64Array);
    assert.deepEqual([...totals], [0, 0]);
  });

  it('scores are weighted into the totals', () => {
    // Weight 2. node1 runs cpuOnly (3000m of 4000m), node2 nothing.
    // node1 with: (3000 + 1000)/4000 = 1, 5000/10000 = .5 → std .25 → 75; without: .75, 0 →
    //   std .375 → 62; 50 + (50 + 75 − 62) / 2 = 50 + 31 = 81 → × 2 = 162.
    // node2 with: .25, .5 → std .125 → 87; without → 100; 50 + 37 / 2 = 68 → × 2 = 136.
    const cluster = buildCluster([node('node1', 4000, 10000), node('node2', 4000, 10000)], [cpuOnly()]);
    const fwk = makeFramework(cluster, [[newNodeResourcesBalancedAllocation(undefined), 2]]);
    const totals = prioritize(fwk, fwk.newCycleState(), podInfo(makePod().req({ cpu: '1', memory: '5000' }).obj()), cluster.nodes);
    assert.ok(totals instanceof Float64Array);
    assert.deepEqual([...totals], [162, 136]);
  });

  it('the plugin name is upstream’s', () => {
    const plugin = new BalancedAllocationPlugin(parseNodeResourcesBalancedAllocationArgs(undefined));
    assert.equal(plugin.name, 'NodeResourcesBalancedAllocation');
    assert.equal(NodeResourcesBalancedAllocation, 'NodeResourcesBalancedAllocation');
  });

  it('ksim case: the memoised pod requests follow the pod being scored', () => {
    // One instance, pods in turn on a 4000m / 10000 node running cpuOnly (3000m, 0).
    // cpu 1000m: with 1, 0 → 50; without .75, 0 → 62; 50 + (50 + 50 − 62) / 2 = 69.
    // memory 8000: with .75, .8 → 97; without → 62; 50 + 85 / 2 = 92 (as above).
    // best-effort: Skip at PreScore, 0 at Score.
    const cluster = buildCluster([node('node1', 4000, 10000)], [cpuOnly()]);
    const n1 = cluster.nodes[0];
    assert.ok(n1 !== undefined);
    const plugin = new BalancedAllocationPlugin(parseNodeResourcesBalancedAllocationArgs(undefined));
    const cpuPod = podInfo(makePod().req({ cpu: '1' }).obj());
    const memPod = podInfo(makePod().req({ memory: '8000' }).obj());
    const bePod = podInfo(makePod().container().obj());
    const state = new CycleState();
    assert.equal(plugin.score(state, cpuPod, n1), 69);
    assert.equal(plugin.score(state, memPod, n1), 92);
    assert.equal(plugin.preScore(state, bePod)?.code, Code.Skip);
    assert.equal(plugin.score(state, bePod, n1), 0);
    assert.equal(plugin.preScore(state, cpuPod), null);
    assert.equal(plugin.score(state, cpuPod, n1), 69);
  });

  it('Skip is upstream’s code', () => {
    const plugin = new BalancedAllocationPlugin(parseNodeResourcesBalancedAllocationArgs(undefined));
    const v = plugin.preScore(new CycleState(), podInfo(makePod().container().obj()));
    assert.equal(v?.code, Code.Skip);
  });
});

describe('NodeResourcesBalancedAllocation args', () => {
  // Upstream pkg/scheduler/apis/config/validation/validation_pluginargs_test.go
  // (TestValidateNodeResourcesBalancedAllocationArgs) and v1 defaults.go
  // (SetDefaults_NodeResourcesBalancedAllocationArgs).
  const expectError = (args: unknown, path: string): void => {
    assert.throws(
      () => parseNodeResourcesBalancedAllocationArgs(args),
      (e: unknown) => {
        assert.ok(e instanceof FieldError, `want a FieldError, got ${String(e)}`);
        assert.equal(e.path, path);
        return true;
      },
    );
  };

  it('valid config', () => {
    assert.deepEqual(
      parseNodeResourcesBalancedAllocationArgs({
        resources: [
          { name: 'cpu', weight: 1 },
          { name: 'memory', weight: 1 },
        ],
      }).resources,
      [
        { name: 'cpu', weight: 1 },
        { name: 'memory', weight: 1 },
      ],
    );
  });

  it('invalid config', () => {
    expectError(
      {
        resources: [
          { name: 'cpu', weight: 2 },
          { name: 'memory', weight: 1 },
        ],
      },
      'resources[0].weight',
    );
  });

  it('repeated resources', () => {
    expectError(
      {
        resources: [
          { name: 'cpu', weight: 1 },
          { name: 'cpu', weight: 1 },
        ],
      },
      'resources[1].name',
    );
  });

  it('ksim case: no args or an empty list default to cpu and memory', () => {
    const want = [
      { name: 'cpu', weight: 1 },
      { name: 'memory', weight: 1 },
    ];
    assert.deepEqual(parseNodeResourcesBalancedAllocationArgs(undefined).resources, want);
    assert.deepEqual(parseNodeResourcesBalancedAllocationArgs({ resources: [] }).resources, want);
  });

  it('ksim case: an absent or zero weight defaults to 1', () => {
    assert.deepEqual(parseNodeResourcesBalancedAllocationArgs({ resources: [{ name: 'cpu' }, { name: GPU, weight: 0 }] }).resources, [
      { name: 'cpu', weight: 1 },
      { name: GPU, weight: 1 },
    ]);
  });

  it('ksim case: a resource without a name', () => {
    expectError({ resources: [{ weight: 1 }] }, 'resources[0].name');
  });

  it('ksim case: resources must be a list', () => {
    expectError({ resources: 'cpu' }, 'resources');
  });
});

describe('NodeResourcesBalancedAllocation: ksim cases worked by hand', () => {
  it('a node with no CPU allocatable balances memory alone: one fraction, no deviation, no change: 75', () => {
    assert.deepEqual(run({ name: 'zero cpu', pod: makePod().req({ cpu: '0', memory: '1000' }).obj(), nodes: [node('node1', 0, 4000)], want: {} }), { node1: 75 });
  });
});
