import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { PodInfo } from '../../../cluster/pod-info.js';
import { makePod, podInfo } from '../../../testing/builders.js';
import type { Plugin } from '../../framework/interfaces.js';
import { Code, Status } from '../../framework/status.js';
import { defaultNodeResourcesFitArgs, NodeResourcesFitPlugin } from '../node-resources-fit.js';
import { calculateNumCandidates, dryRunPreemption, LowestPriorityCache, noVictimsAnywhere, pickOneNodeForPreemption, PlacedPriorities, preemptionFitError, type Candidate } from './candidates.js';
import { NO_VICTIMS } from './victims.js';
import { fixedPdb, type PdbInfo } from './pdb.js';
import { capNode, FakeFilter, FalseFilter, MatchFilter, preemptionFixture, preFilteredState, TrueFilter } from './testing.js';

// Upstream default_preemption_test.go vocabulary.
const negPriority = -100;
const lowPriority = 0;
const midPriority = 100;
const highPriority = 1000;
const veryHighPriority = 10000;
const smallRes = { cpu: '100m', memory: '100' };
const mediumRes = { cpu: '200m', memory: '200' };
const largeRes = { cpu: '300m', memory: '300' };
const veryLargeRes = { cpu: '500m', memory: '500' };

const fit = (): Plugin => new NodeResourcesFitPlugin(defaultNodeResourcesFitArgs());
/** st.MakePod().Name(name).UID(name).Node(node).Priority(prio).Req(res) */
const placed = (name: string, node: string, prio: number, res?: Record<string, string>): ReturnType<typeof makePod> => {
  const w = makePod(name).node(node).priority(prio);
  return res === undefined ? w : w.req(res);
};
const incoming = (name: string, prio: number, res?: Record<string, string>): Pod => {
  const w = makePod(name).priority(prio);
  return (res === undefined ? w : w.req(res)).obj();
};
const fooPdb = (allowed: number, disrupted: string[] = []): PdbInfo => fixedPdb('default', 'pdb', { matchLabels: { app: 'foo' } }, allowed, disrupted);

/** A candidate as upstream's test compares it: victims sorted by name. */
interface WantCandidate {
  name: string;
  victims: string[];
  violations?: number;
}

function sortedCandidates(got: readonly Candidate[]): WantCandidate[] {
  return [...got]
    .map((c) => ({ name: c.nodeName, victims: c.victims.map((v) => v.name).sort(), violations: c.numPDBViolations }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

interface DryRunCase {
  name: string;
  args?: unknown;
  nodeNames: string[];
  testPods: Pod[];
  initPods: Pod[];
  plugins: Plugin[];
  pdbs?: PdbInfo[];
  fakeFilterRC?: Code;
  /** Upstream seeds getOffsetRand with 4: Int31n(5) draws 4, 1, 3. */
  offsets?: number[];
  expected: WantCandidate[][];
  expectedNumFilterCalled: number[];
}

describe('DefaultPreemption dry run: TestDryRunPreemption', () => {
  // Upstream pkg/scheduler/framework/plugins/defaultpreemption/default_preemption_test.go
  // (TestDryRunPreemption): nodes have capacity veryLargeRes (and 32 pods); a FakeFilter that
  // counts its calls runs first; candidates and their victims are compared sorted by name.
  // Not ported: the anti-affinity and topology-spread cases (InterPodAffinity and
  // PodTopologySpread are separate plugins) — see the report.
  const cases: DryRunCase[] = [
    {
      name: 'a pod that does not fit on any node',
      plugins: [new FalseFilter()],
      nodeNames: ['node1', 'node2'],
      testPods: [incoming('p', highPriority)],
      initPods: [placed('p1', 'node1', midPriority).obj(), placed('p2', 'node2', midPriority).obj()],
      expected: [[]],
      expectedNumFilterCalled: [2],
    },
    {
      name: 'a pod that fits with no preemption',
      plugins: [new TrueFilter()],
      nodeNames: ['node1', 'node2'],
      testPods: [incoming('p', highPriority)],
      initPods: [placed('p1', 'node1', midPriority).obj(), placed('p2', 'node2', midPriority).obj()],
      fakeFilterRC: Code.Unschedulable,
      expected: [[]],
      expectedNumFilterCalled: [2],
    },
    {
      name: 'a pod that fits on one node with no preemption',
      plugins: [new MatchFilter()],
      nodeNames: ['node1', 'node2'],
      // Named "node1" to fit MatchFilter.
      testPods: [incoming('node1', highPriority)],
      initPods: [placed('p1', 'node1', midPriority).obj(), placed('p2', 'node2', midPriority).obj()],
      fakeFilterRC: Code.Unschedulable,
      expected: [[]],
      expectedNumFilterCalled: [2],
    },
    {
      name: 'a pod that fits on both nodes when lower priority pods are preempted',
      plugins: [fit()],
      nodeNames: ['node1', 'node2'],
      testPods: [incoming('p', highPriority, largeRes)],
      initPods: [placed('p1', 'node1', midPriority, largeRes).obj(), placed('p2', 'node2', midPriority, largeRes).obj()],
      expected: [[{ name: 'node1', victims: ['p1'] }, { name: 'node2', victims: ['p2'] }]],
      expectedNumFilterCalled: [4],
    },
    {
      name: 'a pod that would fit on the nodes, but other pods running are higher priority, no preemption would happen',
      plugins: [fit()],
      nodeNames: ['node1', 'node2'],
      testPods: [incoming('p', lowPriority, largeRes)],
      initPods: [placed('p1', 'node1', midPriority, largeRes).obj(), placed('p2', 'node2', midPriority, largeRes).obj()],
      expected: [[]],
      expectedNumFilterCalled: [0],
    },
    {
      name: 'medium priority pod is preempted, but lower priority one stays as it is small',
      plugins: [fit()],
      nodeNames: ['node1', 'node2'],
      testPods: [incoming('p', highPriority, largeRes)],
      initPods: [
        placed('p1.1', 'node1', lowPriority, smallRes).obj(),
        placed('p1.2', 'node1', midPriority, largeRes).obj(),
        placed('p2', 'node2', midPriority, largeRes).obj(),
      ],
      expected: [[{ name: 'node1', victims: ['p1.2'] }, { name: 'node2', victims: ['p2'] }]],
      expectedNumFilterCalled: [5],
    },
    {
      name: 'mixed priority pods are preempted',
      plugins: [fit()],
      nodeNames: ['node1', 'node2'],
      testPods: [incoming('p', highPriority, largeRes)],
      initPods: [
        placed('p1.1', 'node1', midPriority, smallRes).obj(),
        placed('p1.2', 'node1', lowPriority, smallRes).obj(),
        placed('p1.3', 'node1', midPriority, mediumRes).obj(),
        placed('p1.4', 'node1', highPriority, smallRes).obj(),
        placed('p2', 'node2', highPriority, largeRes).obj(),
      ],
      expected: [[{ name: 'node1', victims: ['p1.2', 'p1.3'] }]],
      expectedNumFilterCalled: [4],
    },
    {
      name: 'get Unschedulable in the preemption phase when the filter plugins filtering the nodes',
      plugins: [fit()],
      nodeNames: ['node1', 'node2'],
      testPods: [incoming('p', highPriority, largeRes)],
      initPods: [placed('p1', 'node1', midPriority, largeRes).obj(), placed('p2', 'node2', midPriority, largeRes).obj()],
      fakeFilterRC: Code.Unschedulable,
      expected: [[]],
      expectedNumFilterCalled: [2],
    },
    {
      name: 'preemption with violation of same pdb',
      plugins: [fit()],
      nodeNames: ['node1'],
      testPods: [incoming('p', highPriority, veryLargeRes)],
      initPods: [
        placed('p1.1', 'node1', midPriority, mediumRes).label('app', 'foo').obj(),
        placed('p1.2', 'node1', midPriority, mediumRes).label('app', 'foo').obj(),
      ],
      pdbs: [fooPdb(1)],
      expected: [[{ name: 'node1', victims: ['p1.1', 'p1.2'], violations: 1 }]],
      expectedNumFilterCalled: [3],
    },
    {
      name: "preemption with violation of the pdb with pod whose eviction was processed, the victim doesn't belong to DisruptedPods",
      plugins: [fit()],
      nodeNames: ['node1'],
      testPods: [incoming('p', highPriority, veryLargeRes)],
      initPods: [
        placed('p1.1', 'node1', midPriority, mediumRes).label('app', 'foo').obj(),
        placed('p1.2', 'node1', midPriority, mediumRes).label('app', 'foo').obj(),
      ],
      pdbs: [fooPdb(1, ['p2'])],
      expected: [[{ name: 'node1', victims: ['p1.1', 'p1.2'], violations: 1 }]],
      expectedNumFilterCalled: [3],
    },
    {
      name: 'preemption with violation of the pdb with pod whose eviction was processed, the victim belongs to DisruptedPods',
      plugins: [fit()],
      nodeNames: ['node1'],
      testPods: [incoming('p', highPriority, veryLargeRes)],
      initPods: [
        placed('p1.1', 'node1', midPriority, mediumRes).label('app', 'foo').obj(),
        placed('p1.2', 'node1', midPriority, mediumRes).label('app', 'foo').obj(),
      ],
      pdbs: [fooPdb(1, ['p1.2'])],
      expected: [[{ name: 'node1', victims: ['p1.1', 'p1.2'], violations: 0 }]],
      expectedNumFilterCalled: [3],
    },
    {
      name: "preemption with violation of the pdb with pod whose eviction was processed, the victim which belongs to DisruptedPods is treated as 'nonViolating'",
      plugins: [fit()],
      nodeNames: ['node1'],
      testPods: [incoming('p', highPriority, veryLargeRes)],
      initPods: [
        placed('p1.1', 'node1', midPriority, mediumRes).label('app', 'foo').obj(),
        placed('p1.2', 'node1', midPriority, mediumRes).label('app', 'foo').obj(),
        placed('p1.3', 'node1', midPriority, mediumRes).label('app', 'foo').obj(),
      ],
      pdbs: [fooPdb(1, ['p1.3'])],
      expected: [[{ name: 'node1', victims: ['p1.1', 'p1.2', 'p1.3'], violations: 1 }]],
      expectedNumFilterCalled: [4],
    },
    {
      name: 'all nodes are possible candidates, but DefaultPreemptionArgs limits to 2',
      args: { minCandidateNodesPercentage: 40, minCandidateNodesAbsolute: 1 },
      plugins: [fit()],
      nodeNames: ['node1', 'node2', 'node3', 'node4', 'node5'],
      testPods: [incoming('p', highPriority, largeRes)],
      initPods: ['1', '2', '3', '4', '5'].map((i) => placed(`p${i}`, `node${i}`, midPriority, largeRes).obj()),
      offsets: [4],
      // cycle=0 => offset=4 => node5 (yes), node1 (yes)
      expected: [[{ name: 'node1', victims: ['p1'] }, { name: 'node5', victims: ['p5'] }]],
      expectedNumFilterCalled: [4],
    },
    {
      name: 'some nodes are not possible candidates, DefaultPreemptionArgs limits to 2',
      args: { minCandidateNodesPercentage: 40, minCandidateNodesAbsolute: 1 },
      plugins: [fit()],
      nodeNames: ['node1', 'node2', 'node3', 'node4', 'node5'],
      testPods: [incoming('p', highPriority, largeRes)],
      initPods: [
        placed('p1', 'node1', midPriority, largeRes).obj(),
        placed('p2', 'node2', veryHighPriority, largeRes).obj(),
        placed('p3', 'node3', midPriority, largeRes).obj(),
        placed('p4', 'node4', midPriority, largeRes).obj(),
        placed('p5', 'node5', veryHighPriority, largeRes).obj(),
      ],
      offsets: [4],
      // cycle=0 => offset=4 => node5 (no), node1 (yes), node2 (no), node3 (yes)
      expected: [[{ name: 'node1', victims: ['p1'] }, { name: 'node3', victims: ['p3'] }]],
      expectedNumFilterCalled: [4],
    },
    {
      name: 'preemption offset across multiple scheduling cycles and wrap around',
      args: { minCandidateNodesPercentage: 40, minCandidateNodesAbsolute: 1 },
      plugins: [fit()],
      nodeNames: ['node1', 'node2', 'node3', 'node4', 'node5'],
      testPods: [incoming('tp1', highPriority, largeRes), incoming('tp2', highPriority, largeRes), incoming('tp3', highPriority, largeRes)],
      initPods: ['1', '2', '3', '4', '5'].map((i) => placed(`p${i}`, `node${i}`, midPriority, largeRes).obj()),
      offsets: [4, 1, 3],
      expected: [
        // cycle=0 => offset=4 => node5 (yes), node1 (yes)
        [{ name: 'node1', victims: ['p1'] }, { name: 'node5', victims: ['p5'] }],
        // cycle=1 => offset=1 => node2 (yes), node3 (yes)
        [{ name: 'node2', victims: ['p2'] }, { name: 'node3', victims: ['p3'] }],
        // cycle=2 => offset=3 => node4 (yes), node5 (yes)
        [{ name: 'node4', victims: ['p4'] }, { name: 'node5', victims: ['p5'] }],
      ],
      expectedNumFilterCalled: [4, 4, 4],
    },
    {
      name: 'preemption looks past numCandidates until a non-PDB violating node is found',
      args: { minCandidateNodesPercentage: 40, minCandidateNodesAbsolute: 2 },
      plugins: [fit()],
      nodeNames: ['node1', 'node2', 'node3', 'node4', 'node5'],
      testPods: [incoming('p', highPriority, largeRes)],
      initPods: [
        placed('p1', 'node1', midPriority, largeRes).label('app', 'foo').obj(),
        placed('p2', 'node2', midPriority, largeRes).label('app', 'foo').obj(),
        placed('p3', 'node3', midPriority, largeRes).obj(),
        placed('p4', 'node4', midPriority, largeRes).obj(),
        placed('p5', 'node5', midPriority, largeRes).label('app', 'foo').obj(),
      ],
      pdbs: [fooPdb(0)],
      offsets: [4],
      // cycle=0 => offset=4 => node5 (yes, pdb), node1 (yes, pdb), node2 (no, pdb: the violating
      // list is full), node3 (yes)
      expected: [
        [
          { name: 'node1', victims: ['p1'], violations: 1 },
          { name: 'node3', victims: ['p3'] },
          { name: 'node5', victims: ['p5'], violations: 1 },
        ],
      ],
      expectedNumFilterCalled: [8],
    },
  ];

  for (const tc of cases) {
    it(tc.name, () => {
      const rc = tc.fakeFilterRC ?? Code.Success;
      const fake = new FakeFilter(new Map(tc.nodeNames.map((n) => [n, rc])));
      const f = preemptionFixture({
        nodes: tc.nodeNames.map((n) => capNode(n, veryLargeRes)),
        pods: tc.initPods,
        plugins: [fake, ...tc.plugins],
        args: tc.args,
        offsets: tc.offsets ?? [],
      });
      let prev = 0;
      tc.testPods.forEach((p, cycle) => {
        const pod = podInfo(p);
        const state = preFilteredState(f, pod);
        const [offset, num] = f.plugin.getOffsetAndNumCandidates(f.cluster.nodes.length);
        const got = dryRunPreemption({ fwk: f.fwk, filters: f.ctx.filters }, state, pod, f.cluster.nodes, tc.pdbs ?? [], offset, num);
        const want = (tc.expected[cycle] as WantCandidate[]).map((c) => ({ ...c, violations: c.violations ?? 0 }));
        assert.deepEqual(sortedCandidates(got.candidates), want, `cycle ${cycle}`);
        assert.equal(fake.calls - prev, tc.expectedNumFilterCalled[cycle], `cycle ${cycle}: filter calls`);
        prev = fake.calls;
      });
    });
  }
});

describe('DefaultPreemption dry run: order, lists and statuses (ksim cases)', () => {
  it('candidates come in dry-run order from the offset, non-violating ones first', () => {
    const f = preemptionFixture({
      nodes: ['node1', 'node2', 'node3'].map((n) => capNode(n, veryLargeRes)),
      pods: [
        placed('p1', 'node1', midPriority, largeRes).label('app', 'foo').obj(),
        placed('p2', 'node2', midPriority, largeRes).obj(),
        placed('p3', 'node3', midPriority, largeRes).obj(),
      ],
      plugins: [fit()],
    });
    const pod = podInfo(incoming('p', highPriority, largeRes));
    const got = dryRunPreemption({ fwk: f.fwk, filters: f.ctx.filters }, preFilteredState(f, pod), pod, f.cluster.nodes, [fooPdb(0)], 2, 3);
    assert.deepEqual(got.candidates.map((c) => [c.nodeName, c.numPDBViolations]), [['node3', 0], ['node2', 0], ['node1', 1]]);
    assert.equal(got.statuses.size, 0);
  });

  it('records each failed node\'s status, and the dry run leaves the real nodes untouched', () => {
    const f = preemptionFixture({
      nodes: [capNode('node1', veryLargeRes), capNode('node2', smallRes)],
      pods: [placed('p1', 'node1', highPriority, largeRes).obj(), placed('p2', 'node2', lowPriority, smallRes).obj()],
      plugins: [fit()],
    });
    const pod = podInfo(incoming('p', highPriority, largeRes));
    const got = dryRunPreemption({ fwk: f.fwk, filters: f.ctx.filters }, preFilteredState(f, pod), pod, f.cluster.nodes, [], 0, 2);
    assert.deepEqual(got.candidates, []);
    assert.deepEqual(
      [...got.statuses].map(([n, s]) => [n, s.codeName, s.reasons]),
      [
        ['node1', 'UnschedulableAndUnresolvable', ['No preemption victims found for incoming pod']],
        ['node2', 'UnschedulableAndUnresolvable', ['Insufficient cpu', 'Insufficient memory']],
      ],
    );
    assert.deepEqual(f.cluster.nodes.map((n) => [n.name, n.pods.length, n.requested.milliCpu]), [['node1', 1, 300], ['node2', 1, 100]]);
  });
});

describe('DefaultPreemption: calculateNumCandidates', () => {
  // Upstream default_preemption_test.go (TestCalculateNumCandidates / TestGetOffsetAndNumCandidates).
  const cases: Array<[name: string, numNodes: number, pct: number, abs: number, want: number]> = [
    ['no nodes', 0, 10, 100, 0],
    ['nodes < minCandidateNodesAbsolute', 50, 10, 100, 50],
    ['nodes > minCandidateNodesAbsolute', 1000, 10, 100, 100],
    ['nodes > minCandidateNodesAbsolute, minCandidateNodesPercentage dominates', 10000, 10, 100, 1000],
    ['ksim case: integer division of the percentage', 999, 10, 1, 99],
    ['ksim case: absolute 0 and percentage 40 of 5 nodes', 5, 40, 0, 2],
  ];
  for (const [name, n, pct, abs, want] of cases) {
    it(name, () => assert.equal(calculateNumCandidates(n, pct, abs), want));
  }
});

interface BestCase {
  name: string;
  nodeNames: string[];
  pod: Pod;
  pods: Pod[];
  startTimeUs?: Record<string, number>;
  /** Any of these is valid (upstream); ksim's deterministic pick is `ksim`. */
  expected: string[];
  ksim: string;
}

describe('DefaultPreemption: choosing the node (TestSelectBestCandidate)', () => {
  // Upstream default_preemption_test.go (TestSelectBestCandidate): nodes have capacity
  // veryLargeRes, NodeResourcesFit filters; start times epochTimeN are N ns (here N µs).
  const at = (entries: Array<[string, number]>): Record<string, number> => Object.fromEntries(entries);
  const epoch = (names: string[]): Record<string, number> => at(names.map((n) => [n, 0]));
  const cases: BestCase[] = [
    {
      name: 'a pod that fits on both nodes when lower priority pods are preempted',
      nodeNames: ['node1', 'node2'],
      pod: incoming('p', highPriority, largeRes),
      pods: [placed('p1', 'node1', midPriority, largeRes).obj(), placed('p2', 'node2', midPriority, largeRes).obj()],
      startTimeUs: epoch(['p1', 'p2']),
      expected: ['node1', 'node2'],
      ksim: 'node1',
    },
    {
      name: 'node with min highest priority pod is picked',
      nodeNames: ['node1', 'node2', 'node3'],
      pod: incoming('p', highPriority, veryLargeRes),
      pods: [
        placed('p1.1', 'node1', midPriority, mediumRes).obj(),
        placed('p1.2', 'node1', midPriority, largeRes).obj(),
        placed('p2.1', 'node2', midPriority, mediumRes).obj(),
        placed('p2.2', 'node2', lowPriority, mediumRes).obj(),
        placed('p3.1', 'node3', lowPriority, mediumRes).obj(),
        placed('p3.2', 'node3', lowPriority, mediumRes).obj(),
      ],
      startTimeUs: epoch(['p1.1', 'p1.2', 'p2.1', 'p2.2', 'p3.1', 'p3.2']),
      expected: ['node3'],
      ksim: 'node3',
    },
    {
      name: 'when highest priorities are the same, minimum sum of priorities is picked',
      nodeNames: ['node1', 'node2', 'node3'],
      pod: incoming('p', highPriority, veryLargeRes),
      pods: [
        placed('p1.1', 'node1', midPriority, mediumRes).obj(),
        placed('p1.2', 'node1', midPriority, largeRes).obj(),
        placed('p2.1', 'node2', midPriority, largeRes).obj(),
        placed('p2.2', 'node2', lowPriority, mediumRes).obj(),
        placed('p3.1', 'node3', midPriority, mediumRes).obj(),
        placed('p3.2', 'node3', midPriority, mediumRes).obj(),
      ],
      startTimeUs: epoch(['p1.1', 'p1.2', 'p2.1', 'p2.2', 'p3.1', 'p3.2']),
      expected: ['node2'],
      ksim: 'node2',
    },
    {
      name: 'when highest priority and sum are the same, minimum number of pods is picked',
      nodeNames: ['node1', 'node2', 'node3'],
      pod: incoming('p', highPriority, veryLargeRes),
      pods: [
        placed('p1.1', 'node1', midPriority, smallRes).obj(),
        placed('p1.2', 'node1', negPriority, smallRes).obj(),
        placed('p1.3', 'node1', midPriority, smallRes).obj(),
        placed('p1.4', 'node1', negPriority, smallRes).obj(),
        placed('p2.1', 'node2', midPriority, largeRes).obj(),
        placed('p2.2', 'node2', negPriority, mediumRes).obj(),
        placed('p3.1', 'node3', midPriority, mediumRes).obj(),
        placed('p3.2', 'node3', negPriority, smallRes).obj(),
        placed('p3.3', 'node3', lowPriority, smallRes).obj(),
      ],
      startTimeUs: epoch(['p1.1', 'p1.2', 'p1.3', 'p1.4', 'p2.1', 'p2.2', 'p3.1', 'p3.2', 'p3.3']),
      expected: ['node2'],
      ksim: 'node2',
    },
    {
      name: 'sum of adjusted priorities is considered',
      nodeNames: ['node1', 'node2', 'node3'],
      pod: incoming('p', highPriority, veryLargeRes),
      pods: [
        placed('p1.1', 'node1', midPriority, smallRes).obj(),
        placed('p1.2', 'node1', negPriority, smallRes).obj(),
        placed('p1.3', 'node1', negPriority, smallRes).obj(),
        placed('p2.1', 'node2', midPriority, largeRes).obj(),
        placed('p2.2', 'node2', negPriority, mediumRes).obj(),
        placed('p3.1', 'node3', midPriority, mediumRes).obj(),
        placed('p3.2', 'node3', negPriority, smallRes).obj(),
        placed('p3.3', 'node3', lowPriority, smallRes).obj(),
      ],
      startTimeUs: epoch(['p1.1', 'p1.2', 'p1.3', 'p2.1', 'p2.2', 'p3.1', 'p3.2', 'p3.3']),
      expected: ['node2'],
      ksim: 'node2',
    },
    {
      name: 'non-overlapping lowest high priority, sum priorities, and number of pods',
      nodeNames: ['node1', 'node2', 'node3', 'node4'],
      pod: incoming('p', veryHighPriority, veryLargeRes),
      pods: [
        placed('p1.1', 'node1', midPriority, smallRes).obj(),
        placed('p1.2', 'node1', lowPriority, smallRes).obj(),
        placed('p1.3', 'node1', lowPriority, smallRes).obj(),
        placed('p2.1', 'node2', highPriority, largeRes).obj(),
        placed('p3.1', 'node3', midPriority, mediumRes).obj(),
        placed('p3.2', 'node3', lowPriority, smallRes).obj(),
        placed('p3.3', 'node3', lowPriority, smallRes).obj(),
        placed('p3.4', 'node3', lowPriority, mediumRes).obj(),
        placed('p4.1', 'node4', midPriority, mediumRes).obj(),
        placed('p4.2', 'node4', midPriority, smallRes).obj(),
        placed('p4.3', 'node4', midPriority, smallRes).obj(),
        placed('p4.4', 'node4', negPriority, smallRes).obj(),
      ],
      startTimeUs: epoch(['p1.1', 'p1.2', 'p1.3', 'p2.1', 'p3.1', 'p3.2', 'p3.3', 'p3.4', 'p4.1', 'p4.2', 'p4.3', 'p4.4']),
      expected: ['node1'],
      ksim: 'node1',
    },
    {
      name: "same priority, same number of victims, different start time for each node's pod",
      nodeNames: ['node1', 'node2', 'node3'],
      pod: incoming('p', highPriority, veryLargeRes),
      pods: [
        placed('p1.1', 'node1', midPriority, mediumRes).obj(),
        placed('p1.2', 'node1', midPriority, mediumRes).obj(),
        placed('p2.1', 'node2', midPriority, mediumRes).obj(),
        placed('p2.2', 'node2', midPriority, mediumRes).obj(),
        placed('p3.1', 'node3', midPriority, mediumRes).obj(),
        placed('p3.2', 'node3', midPriority, mediumRes).obj(),
      ],
      startTimeUs: at([['p1.1', 2], ['p1.2', 2], ['p2.1', 3], ['p2.2', 3], ['p3.1', 1], ['p3.2', 1]]),
      expected: ['node2'],
      ksim: 'node2',
    },
    {
      name: 'same priority, same number of victims, different start time for all pods',
      nodeNames: ['node1', 'node2', 'node3'],
      pod: incoming('p', highPriority, veryLargeRes),
      pods: [
        placed('p1.1', 'node1', midPriority, mediumRes).obj(),
        placed('p1.2', 'node1', midPriority, mediumRes).obj(),
        placed('p2.1', 'node2', midPriority, mediumRes).obj(),
        placed('p2.2', 'node2', midPriority, mediumRes).obj(),
        placed('p3.1', 'node3', midPriority, mediumRes).obj(),
        placed('p3.2', 'node3', midPriority, mediumRes).obj(),
      ],
      startTimeUs: at([['p1.1', 4], ['p1.2', 2], ['p2.1', 5], ['p2.2', 1], ['p3.1', 3], ['p3.2', 6]]),
      expected: ['node3'],
      ksim: 'node3',
    },
    {
      name: 'different priority, same number of victims, different start time for all pods',
      nodeNames: ['node1', 'node2', 'node3'],
      pod: incoming('p', highPriority, veryLargeRes),
      pods: [
        placed('p1.1', 'node1', lowPriority, mediumRes).obj(),
        placed('p1.2', 'node1', midPriority, mediumRes).obj(),
        placed('p2.1', 'node2', midPriority, mediumRes).obj(),
        placed('p2.2', 'node2', lowPriority, mediumRes).obj(),
        placed('p3.1', 'node3', lowPriority, mediumRes).obj(),
        placed('p3.2', 'node3', midPriority, mediumRes).obj(),
      ],
      startTimeUs: at([['p1.1', 4], ['p1.2', 2], ['p2.1', 6], ['p2.2', 1], ['p3.1', 3], ['p3.2', 5]]),
      expected: ['node2'],
      ksim: 'node2',
    },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      const f = preemptionFixture({
        nodes: tc.nodeNames.map((n) => capNode(n, veryLargeRes)),
        pods: tc.pods,
        plugins: [fit()],
        ...(tc.startTimeUs === undefined ? {} : { startTimeUs: tc.startTimeUs }),
      });
      const pod = podInfo(tc.pod);
      const [offset, num] = f.plugin.getOffsetAndNumCandidates(f.cluster.nodes.length);
      const { candidates } = dryRunPreemption({ fwk: f.fwk, filters: f.ctx.filters }, preFilteredState(f, pod), pod, f.cluster.nodes, [], offset, num);
      const chosen = pickOneNodeForPreemption(candidates);
      assert.ok(chosen !== null);
      assert.ok(tc.expected.includes(chosen.nodeName), `${chosen.nodeName} is not one of ${tc.expected.join(', ')}`);
      assert.equal(chosen.nodeName, tc.ksim);
    });
  }
});

describe('DefaultPreemption: pickOneNodeForPreemption criteria in isolation', () => {
  const v = (name: string, priority: number, startedUs = 0): PodInfo => {
    const p = podInfo(makePod(name).priority(priority).obj());
    p.acceptedUs = startedUs;
    return p;
  };
  const c = (nodeName: string, victims: PodInfo[], numPDBViolations = 0): Candidate => ({ nodeName, victims, numPDBViolations });

  it('fewest PDB violations wins before anything else', () => {
    const got = pickOneNodeForPreemption([c('a', [v('a1', 0)], 1), c('b', [v('b1', 500), v('b2', 500)], 0)]);
    assert.equal(got?.nodeName, 'b');
  });

  it('priorities are shifted by 2^31 before summing, so more negative-priority victims cost more', () => {
    // Unshifted sums would be -200 (a) < -100 (b); shifted, a sums 2 × (2^31 − 100) > b's 2^31 − 100.
    const got = pickOneNodeForPreemption([c('a', [v('a1', -100), v('a2', -100)]), c('b', [v('b1', -100)])]);
    assert.equal(got?.nodeName, 'b');
  });

  it('the latest earliest start among the highest-priority victims wins; a full tie keeps the first', () => {
    const got = pickOneNodeForPreemption([c('a', [v('a1', 5, 10), v('a2', 1, 99)]), c('b', [v('b1', 5, 20), v('b2', 1, 1)])]);
    assert.equal(got?.nodeName, 'b');
    const tie = pickOneNodeForPreemption([c('x', [v('x1', 5, 7)]), c('y', [v('y1', 5, 7)])]);
    assert.equal(tie?.nodeName, 'x');
    assert.equal(pickOneNodeForPreemption([]), null);
  });

  it('victims that have not started count as the latest', () => {
    const notStarted = v('n1', 5);
    notStarted.acceptedUs = -1;
    const got = pickOneNodeForPreemption([c('a', [v('a1', 5, 1_000_000)]), c('b', [notStarted])]);
    assert.equal(got?.nodeName, 'b');
  });
});

describe('LowestPriorityCache', () => {
  it('skips nodes without lower-priority pods, and sees pods placed after it was filled', () => {
    const f = preemptionFixture({
      nodes: [capNode('node1', veryLargeRes), capNode('node2', veryLargeRes)],
      pods: [placed('p1', 'node1', highPriority, veryLargeRes).obj(), placed('p2', 'node2', highPriority, veryLargeRes).obj()],
      plugins: [fit()],
    });
    const cache = new LowestPriorityCache();
    const pod = podInfo(incoming('p', highPriority, largeRes));
    const env = { fwk: f.fwk, filters: f.ctx.filters };
    const first = dryRunPreemption(env, preFilteredState(f, pod), pod, f.cluster.nodes, [], 0, 2, cache);
    assert.deepEqual([first.candidates.length, [...first.statuses.values()].map((s) => s.reasons[0])], [0, [NO_VICTIMS, NO_VICTIMS]]);
    // Replace p2 by a low-priority pod: node2's generation changes and the cache recomputes.
    const p2 = f.pod('p2');
    f.cluster.deletePod(p2);
    const low = podInfo(placed('low', 'node2', lowPriority, veryLargeRes).obj());
    f.cluster.addPod(low);
    f.cluster.assume(low, f.cluster.mustNode('node2'));
    const second = dryRunPreemption(env, preFilteredState(f, pod), pod, f.cluster.nodes, [], 0, 2, cache);
    assert.deepEqual(second.candidates.map((c) => [c.nodeName, c.victims.map((v) => v.name)]), [['node2', ['low']]]);
    assert.equal(cache.get(f.cluster.mustNode('node1')), highPriority);
    assert.equal(cache.get(f.cluster.mustNode('node2')), lowPriority);
  });
});

describe('PlacedPriorities and noVictimsAnywhere', () => {
  it('follows the lowest priority of the placed pods as pods come and go', () => {
    const f = preemptionFixture({
      nodes: [capNode('node1', veryLargeRes), capNode('node2', veryLargeRes)],
      pods: [placed('p1', 'node1', midPriority, smallRes).obj(), placed('p2', 'node2', highPriority, smallRes).obj()],
      plugins: [fit()],
    });
    const placedPriorities = new PlacedPriorities();
    f.cluster.addIndex(placedPriorities);
    assert.equal(placedPriorities.lowest(), midPriority);
    const low = podInfo(placed('low', 'node2', negPriority, smallRes).obj());
    f.cluster.addPod(low);
    f.cluster.assume(low, f.cluster.mustNode('node2'));
    assert.equal(placedPriorities.lowest(), negPriority);
    f.cluster.deletePod(low);
    assert.equal(placedPriorities.lowest(), midPriority);
    f.cluster.deletePod(f.pod('p1'));
    assert.equal(placedPriorities.lowest(), highPriority);
    f.cluster.deletePod(f.pod('p2'));
    assert.equal(placedPriorities.lowest(), Number.POSITIVE_INFINITY);
  });

  it('gives what the dry run gives when no placed pod has a lower priority: every node "no victims", from the offset', () => {
    const f = preemptionFixture({
      nodes: ['node1', 'node2', 'node3'].map((n) => capNode(n, veryLargeRes)),
      pods: [placed('p1', 'node1', highPriority, veryLargeRes).obj(), placed('p2', 'node2', veryHighPriority, veryLargeRes).obj(), placed('p3', 'node3', highPriority, veryLargeRes).obj()],
      plugins: [fit()],
    });
    const pod = podInfo(incoming('p', highPriority, largeRes));
    const env = { fwk: f.fwk, filters: f.ctx.filters };
    const dry = dryRunPreemption(env, preFilteredState(f, pod), pod, f.cluster.nodes, [], 1, 3);
    const quick = noVictimsAnywhere(f.cluster.nodes, 1);
    const shape = (r: typeof dry) => [r.candidates.length, [...r.statuses].map(([n, s]) => [n, s.code, s.reasons.join()]), r.errors];
    assert.deepEqual(shape(quick), shape(dry));
    assert.deepEqual([...quick.statuses.keys()], ['node2', 'node3', 'node1']);
  });
});

describe('preemptionFitError (upstream FitError.Error over the dry run\'s statuses)', () => {
  it('counts each reason over the nodes, the absent ones with their own reason, sorted', () => {
    const cpu = new Status(Code.Unschedulable, ['Insufficient cpu']);
    const statuses = new Map([['n1', cpu], ['n2', cpu], ['n3', new Status(Code.UnschedulableAndUnresolvable, [NO_VICTIMS])]]);
    assert.equal(preemptionFitError(5, statuses, 'Preemption is not helpful for scheduling'), `0/5 nodes are available: 1 ${NO_VICTIMS}, 2 Insufficient cpu, 2 Preemption is not helpful for scheduling.`);
  });
  it('with no node at all: no colon, no list', () => {
    assert.equal(preemptionFitError(0, new Map(), 'x'), '0/0 nodes are available.');
  });
});
