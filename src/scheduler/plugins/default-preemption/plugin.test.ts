import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { FieldError } from '../../../api/field-error.js';
import { objectKey, type WorkloadObject } from '../../../cluster/workload-object.js';
import { buildCluster, makeFramework, makeNode, makePod, podInfo } from '../../../testing/builders.js';
import type { Plugin } from '../../framework/interfaces.js';
import { Code, CODE_NAMES, Status, type Verdict } from '../../framework/status.js';
import { defaultNodeResourcesFitArgs, NodeResourcesFitPlugin } from '../node-resources-fit.js';
import { DefaultPreemptionPlugin, newDefaultPreemption, parseDefaultPreemptionArgs } from './plugin.js';
import { capNode, ErrorOnLabelPreFilter, preemptionFixture, preFilteredState } from './testing.js';

const lowPriority = 0;
const midPriority = 100;
const highPriority = 1000;
const veryHighPriority = 10000;
const smallRes = { cpu: '100m', memory: '100' };
const mediumRes = { cpu: '200m', memory: '200' };
const largeRes = { cpu: '300m', memory: '300' };
const veryLargeRes = { cpu: '500m', memory: '500' };
const onePodRes = { pods: '1' };
const nodeRes = { cpu: '200m', memory: '400' };

const fit = (): Plugin => new NodeResourcesFitPlugin(defaultNodeResourcesFitArgs());
const U = (): Status => new Status(Code.Unschedulable);
const UU = (): Status => new Status(Code.UnschedulableAndUnresolvable);

function pdbObject(name: string, spec: Record<string, unknown>, disruptionsAllowed: number): WorkloadObject {
  return { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name, namespace: 'default' }, spec, status: { disruptionsAllowed } };
}

interface PostFilterCase {
  name: string;
  pod: Pod;
  pods: Pod[];
  nodes: Node[];
  statuses: Record<string, Status>;
  pdbs?: WorkloadObject[];
  running?: string[];
  extraPlugins?: Plugin[];
  /** undefined: no result (the nomination is left as it is). */
  wantNominated: string | undefined;
  wantCode: Code;
  wantReasons: string[];
  wantDeleted: string[];
}

describe('DefaultPreemption PostFilter: TestPostFilter', () => {
  // Upstream default_preemption_test.go (TestPostFilter): NodeResourcesFit filters, "test-plugin"
  // fails AddPod/RemovePod on nodes labelled error=true; the filtered node statuses are given.
  // Not ported: the extender and pod-group (SchedulingGroup, TAS/WAP feature) cases.
  const cases: PostFilterCase[] = [
    {
      name: 'pod with higher priority can be made schedulable',
      pod: makePod('p').priority(highPriority).obj(),
      pods: [makePod('p1').node('node1').obj()],
      nodes: [capNode('node1', onePodRes)],
      statuses: { node1: U() },
      wantNominated: 'node1',
      wantCode: Code.Success,
      wantReasons: [],
      wantDeleted: ['p1'],
    },
    {
      name: 'pod with tied priority is still unschedulable',
      pod: makePod('p').obj(),
      pods: [makePod('p1').node('node1').obj()],
      nodes: [capNode('node1', onePodRes)],
      statuses: { node1: U() },
      wantNominated: '',
      wantCode: Code.Unschedulable,
      wantReasons: ['preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.'],
      wantDeleted: [],
    },
    {
      name: 'preemption should respect filteredNodesStatuses',
      pod: makePod('p').priority(highPriority).obj(),
      pods: [makePod('p1').node('node1').obj()],
      nodes: [capNode('node1', onePodRes)],
      statuses: { node1: UU() },
      wantNominated: '',
      wantCode: Code.Unschedulable,
      wantReasons: ['preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.'],
      wantDeleted: [],
    },
    {
      name: 'preemption should respect absent NodeToStatusReader entry meaning UnschedulableAndUnresolvable',
      pod: makePod('p').priority(highPriority).obj(),
      pods: [makePod('p1').node('node1').obj()],
      nodes: [capNode('node1', onePodRes)],
      statuses: {},
      wantNominated: '',
      wantCode: Code.Unschedulable,
      wantReasons: ['preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.'],
      wantDeleted: [],
    },
    {
      name: 'pod can be made schedulable on one node',
      pod: makePod('p').priority(midPriority).obj(),
      pods: [makePod('p1').priority(highPriority).node('node1').obj(), makePod('p2').priority(lowPriority).node('node2').obj()],
      nodes: [capNode('node1', onePodRes), capNode('node2', onePodRes)],
      statuses: { node1: U(), node2: U() },
      wantNominated: 'node2',
      wantCode: Code.Success,
      wantReasons: [],
      wantDeleted: ['p2'],
    },
    {
      // Upstream gives the non-violating PDB DisruptionsAllowed MaxInt32 and the violating one 0:
      // preemption reads the status, whatever the pods would give.
      name: 'pod can be made schedulable on minHighestPriority node',
      pod: makePod('p').priority(veryHighPriority).obj(),
      pods: [
        makePod('p1').label('test.kubernetes.io/is-violating-pdb', 'non-violating').priority(highPriority).node('node1').obj(),
        makePod('p2').label('test.kubernetes.io/is-violating-pdb', 'violating').priority(lowPriority).node('node1').obj(),
        makePod('p3').label('test.kubernetes.io/is-violating-pdb', 'violating').priority(midPriority).node('node2').obj(),
      ],
      pdbs: [
        pdbObject('violating-pdb', { selector: { matchLabels: { 'test.kubernetes.io/is-violating-pdb': 'violating' } }, minAvailable: '100%' }, 0),
        pdbObject('non-violating-pdb', { selector: { matchLabels: { 'test.kubernetes.io/is-violating-pdb': 'non-violating' } }, minAvailable: 0 }, 2147483647),
      ],
      running: ['p1', 'p2', 'p3'],
      nodes: [capNode('node1', onePodRes), capNode('node2', onePodRes)],
      statuses: { node1: U(), node2: U() },
      wantNominated: 'node2',
      wantCode: Code.Success,
      wantReasons: [],
      wantDeleted: ['p3'],
    },
    {
      name: 'no candidate nodes found, no enough resource after removing low priority pods',
      pod: makePod('p').priority(highPriority).req(largeRes).obj(),
      pods: [makePod('p1').node('node1').obj(), makePod('p2').node('node2').obj()],
      nodes: [capNode('node1', nodeRes), capNode('node2', nodeRes)],
      statuses: { node1: U(), node2: U() },
      wantNominated: '',
      wantCode: Code.Unschedulable,
      wantReasons: ['preemption: 0/2 nodes are available: 2 Insufficient cpu.'],
      wantDeleted: [],
    },
    {
      name: 'no candidate nodes found with mixed reasons, no lower priority pod and no enough CPU resource',
      pod: makePod('p').priority(highPriority).req(largeRes).obj(),
      pods: [
        makePod('p1').node('node1').priority(highPriority).obj(),
        makePod('p2').node('node2').obj(),
        makePod('p3').node('node3').priority(highPriority).obj(),
      ],
      nodes: [capNode('node1', onePodRes), capNode('node2', nodeRes), capNode('node3', onePodRes)],
      statuses: { node1: U(), node2: U(), node3: U() },
      wantNominated: '',
      wantCode: Code.Unschedulable,
      wantReasons: ['preemption: 0/3 nodes are available: 1 Insufficient cpu, 2 No preemption victims found for incoming pod.'],
      wantDeleted: [],
    },
    {
      name: "no candidate nodes found with mixed reason, 2 UnschedulableAndUnresolvable nodes and 2 nodes don't have enough CPU resource",
      pod: makePod('p').priority(highPriority).req(largeRes).obj(),
      pods: [makePod('p1').node('node1').obj(), makePod('p2').node('node2').obj()],
      nodes: ['node1', 'node2', 'node3', 'node4'].map((n) => capNode(n, nodeRes)),
      statuses: { node1: U(), node2: U(), node4: UU() },
      wantNominated: '',
      wantCode: Code.Unschedulable,
      wantReasons: ['preemption: 0/4 nodes are available: 2 Insufficient cpu, 2 Preemption is not helpful for scheduling.'],
      wantDeleted: [],
    },
    {
      name: 'only one node but failed with TestPlugin',
      pod: makePod('p').priority(highPriority).req(largeRes).obj(),
      pods: [makePod('p1').node('node1').obj()],
      nodes: [capNode('node1', largeRes, { error: 'true' })],
      statuses: { node1: U() },
      extraPlugins: [new ErrorOnLabelPreFilter()],
      wantNominated: undefined,
      wantCode: Code.Error,
      wantReasons: ['preemption: running RemovePod on PreFilter plugin "test-plugin": failed to remove pod: p'],
      wantDeleted: [],
    },
    {
      name: 'one failed with TestPlugin and the other pass',
      pod: makePod('p').priority(highPriority).req(largeRes).obj(),
      pods: [makePod('p1').node('node1').obj(), makePod('p2').node('node2').req(mediumRes).obj()],
      nodes: [capNode('node1', largeRes, { error: 'true' }), capNode('node2', largeRes)],
      statuses: { node1: U(), node2: U() },
      extraPlugins: [new ErrorOnLabelPreFilter()],
      wantNominated: 'node2',
      wantCode: Code.Success,
      wantReasons: [],
      wantDeleted: ['p2'],
    },
  ];

  for (const tc of cases) {
    it(tc.name, () => {
      const f = preemptionFixture({ nodes: tc.nodes, pods: tc.pods, plugins: [fit(), ...(tc.extraPlugins ?? [])], running: tc.running ?? [] });
      for (const o of tc.pdbs ?? []) f.cluster.objects.set(objectKey(o.kind, o.metadata.namespace, o.metadata.name), o);
      const pod = podInfo(tc.pod);
      const state = preFilteredState(f, pod);
      const { status, result } = f.plugin.postFilter(state, pod, new Map(Object.entries(tc.statuses)));
      assert.equal(status === null ? 'Success' : status.codeName, CODE_NAMES[tc.wantCode]);
      assert.deepEqual(status === null ? [] : status.reasons, tc.wantReasons);
      assert.equal(result?.nominatedNodeName, tc.wantNominated);
      assert.deepEqual(f.deleted.map((d) => d.pod.name), tc.wantDeleted);
      for (const d of f.deleted) assert.equal(d.reason, `preempted by default/p on node ${tc.wantNominated}`);
    });
  }
});

describe('DefaultPreemption: TestPodEligibleToPreemptOthers', () => {
  // Upstream default_preemption_test.go (TestPodEligibleToPreemptOthers). ksim's "terminating by
  // preemption" is a victim whose deletion the scheduler has requested; other pods never linger
  // terminating. A null status is upstream's nil (Success); an absent one is undefined.
  const cases: Array<{ name: string; pod: Pod; nominated: boolean; pods: Pod[]; terminatingVictims: string[]; nominatedStatus: Verdict | undefined; want: boolean; reason?: string }> = [
    {
      name: 'Pod with nominated node',
      pod: makePod('p_with_nominated_node').priority(highPriority).obj(),
      nominated: true,
      pods: [makePod('p1').priority(lowPriority).node('node1').obj()],
      terminatingVictims: ['p1'],
      nominatedStatus: new Status(Code.UnschedulableAndUnresolvable, ["node(s) had untolerated taint {foo: bar}"]),
      want: true,
    },
    {
      name: 'Pod without nominated node',
      pod: makePod('p_without_nominated_node').priority(highPriority).obj(),
      nominated: false,
      pods: [],
      terminatingVictims: [],
      nominatedStatus: null,
      want: true,
    },
    {
      name: "Pod with 'PreemptNever' preemption policy",
      pod: makePod('p_with_preempt_never_policy').priority(highPriority).with((p) => void (p.spec!.preemptionPolicy = 'Never')).obj(),
      nominated: false,
      pods: [],
      terminatingVictims: [],
      nominatedStatus: null,
      want: false,
      reason: 'not eligible due to preemptionPolicy=Never.',
    },
    {
      name: 'preemption victim pod terminating, as indicated by the dedicated DisruptionTarget condition',
      pod: makePod('p_with_nominated_node').priority(highPriority).obj(),
      nominated: true,
      pods: [makePod('p1').priority(lowPriority).node('node1').obj()],
      terminatingVictims: ['p1'],
      nominatedStatus: null,
      want: false,
      reason: 'not eligible due to a terminating pod on the nominated node.',
    },
    {
      name: 'non-victim Pods terminating',
      pod: makePod('p_with_nominated_node').priority(highPriority).obj(),
      nominated: true,
      pods: [makePod('p1').priority(lowPriority).node('node1').obj()],
      terminatingVictims: [],
      nominatedStatus: null,
      want: true,
    },
    {
      name: 'ksim case: a terminating victim of equal priority does not block',
      pod: makePod('p_with_nominated_node').priority(highPriority).obj(),
      nominated: true,
      pods: [makePod('p1').priority(highPriority).node('node1').obj()],
      terminatingVictims: ['p1'],
      nominatedStatus: null,
      want: true,
    },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      const f = preemptionFixture({ nodes: [makeNode('node1').obj()], pods: tc.pods });
      for (const n of tc.terminatingVictims) f.terminating.add(f.pod(n));
      const pod = podInfo(tc.pod);
      if (tc.nominated) pod.nominatedNodeName = 'node1';
      const got = f.plugin.podEligibleToPreemptOthers(pod, tc.nominatedStatus);
      assert.equal(got === null, tc.want);
      if (tc.reason !== undefined) assert.equal(got, tc.reason);
    });
  }
});

describe('DefaultPreemption: TestPreempt', () => {
  // Upstream default_preemption_test.go (TestPreempt), the cases without extenders or topology
  // spread: nodes of capacity veryLargeRes, every node Unschedulable.
  const nodes = (): Node[] => ['node1', 'node2', 'node3'].map((n) => capNode(n, veryLargeRes));
  const pods = (): Pod[] => [
    makePod('p1.1').node('node1').priority(lowPriority).req(smallRes).obj(),
    makePod('p1.2').node('node1').priority(lowPriority).req(smallRes).obj(),
    makePod('p2.1').node('node2').priority(highPriority).req(largeRes).obj(),
    makePod('p3.1').node('node3').priority(midPriority).req(mediumRes).obj(),
  ];
  const allUnschedulable = (): Map<string, Verdict> => new Map(['node1', 'node2', 'node3'].map((n) => [n, U()]));
  const preemptor = (policy?: string): Pod =>
    makePod('p').priority(highPriority).req(veryLargeRes).with((p) => {
      if (policy !== undefined) p.spec!.preemptionPolicy = policy;
    }).obj();

  it('basic preemption logic; a second attempt while the victims terminate preempts nothing more', () => {
    const f = preemptionFixture({ nodes: nodes(), pods: pods(), plugins: [fit()] });
    const pod = podInfo(preemptor('PreemptLowerPriority'));
    const out = f.plugin.postFilter(preFilteredState(f, pod), pod, allUnschedulable());
    assert.equal(out.status, null);
    assert.equal(out.result?.nominatedNodeName, 'node1');
    assert.deepEqual(f.deleted.map((d) => d.pod.name), ['p1.1', 'p1.2']);
    // The scheduler marks the victims terminating and nominates the pod.
    for (const d of f.deleted) f.terminating.add(d.pod);
    pod.nominatedNodeName = 'node1';
    const again = f.plugin.postFilter(preFilteredState(f, pod), pod, allUnschedulable());
    assert.deepEqual(again.status?.reasons, ['preemption: not eligible due to a terminating pod on the nominated node.']);
    assert.equal(again.result, undefined);
    // Upstream's second call passes an empty status map: nothing is Unschedulable, no preemption.
    const absent = f.plugin.postFilter(preFilteredState(f, pod), pod, new Map());
    assert.deepEqual(absent.status?.reasons, ['preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.']);
    assert.equal(f.deleted.length, 2);
  });

  it('no preempting in pod', () => {
    const f = preemptionFixture({ nodes: nodes(), pods: pods(), plugins: [fit()] });
    const pod = podInfo(preemptor('Never'));
    const out = f.plugin.postFilter(preFilteredState(f, pod), pod, allUnschedulable());
    assert.equal(out.status?.codeName, 'Unschedulable');
    assert.deepEqual(out.status?.reasons, ['preemption: not eligible due to preemptionPolicy=Never.']);
    assert.equal(out.result, undefined);
    assert.deepEqual(f.deleted, []);
  });

  it('PreemptionPolicy is nil', () => {
    const f = preemptionFixture({ nodes: nodes(), pods: pods(), plugins: [fit()] });
    const pod = podInfo(preemptor());
    const out = f.plugin.postFilter(preFilteredState(f, pod), pod, allUnschedulable());
    assert.equal(out.result?.nominatedNodeName, 'node1');
    assert.deepEqual(f.deleted.map((d) => d.pod.name), ['p1.1', 'p1.2']);
  });

  it('ksim case: the dry-run offset comes from the scheduler stream, once per preemption', () => {
    const f = preemptionFixture({ nodes: nodes(), pods: pods(), plugins: [fit()], offsets: [2] });
    const pod = podInfo(preemptor());
    f.plugin.postFilter(preFilteredState(f, pod), pod, allUnschedulable());
    assert.equal((f.ctx.rng as unknown as { calls: number }).calls, 1);
  });
});

describe('DefaultPreemption args', () => {
  // Upstream pkg/scheduler/apis/config/v1/defaults.go (10%, 100) and
  // validation_pluginargs_test.go (TestValidateDefaultPreemptionArgs).
  it('defaults to 10% and 100', () => {
    assert.deepEqual(parseDefaultPreemptionArgs(undefined), { minCandidateNodesPercentage: 10, minCandidateNodesAbsolute: 100 });
    assert.deepEqual(parseDefaultPreemptionArgs({ minCandidateNodesPercentage: 40 }), { minCandidateNodesPercentage: 40, minCandidateNodesAbsolute: 100 });
    assert.deepEqual(parseDefaultPreemptionArgs({ minCandidateNodesPercentage: 0, minCandidateNodesAbsolute: 1 }), { minCandidateNodesPercentage: 0, minCandidateNodesAbsolute: 1 });
  });
  const bad: Array<[name: string, args: unknown, path: string, message: string]> = [
    ['negative minCandidateNodesPercentage', { minCandidateNodesPercentage: -1, minCandidateNodesAbsolute: 100 }, 'minCandidateNodesPercentage', 'minCandidateNodesPercentage: expected an integer in the valid range [0, 100], got -1'],
    ['minCandidateNodesPercentage over 100', { minCandidateNodesPercentage: 900, minCandidateNodesAbsolute: 100 }, 'minCandidateNodesPercentage', 'minCandidateNodesPercentage: expected an integer in the valid range [0, 100], got 900'],
    ['negative minCandidateNodesAbsolute', { minCandidateNodesPercentage: 20, minCandidateNodesAbsolute: -1 }, 'minCandidateNodesAbsolute', 'minCandidateNodesAbsolute: expected an integer in the valid range [0, inf), got -1'],
    ['all zero', { minCandidateNodesPercentage: 0, minCandidateNodesAbsolute: 0 }, 'minCandidateNodesPercentage', 'minCandidateNodesPercentage: expected a value that is not zero at the same time as minCandidateNodesAbsolute, got 0'],
    ['ksim case: not an integer', { minCandidateNodesAbsolute: 1.5 }, 'minCandidateNodesAbsolute', 'minCandidateNodesAbsolute: expected a 32-bit integer, got 1.5'],
    ['ksim case: unknown field', { minCandidateNodes: 3 }, 'minCandidateNodes', 'minCandidateNodes: expected one of the fields minCandidateNodesPercentage, minCandidateNodesAbsolute, got unknown field "minCandidateNodes"'],
  ];
  for (const [name, args, path, message] of bad) {
    it(name, () => {
      assert.throws(() => parseDefaultPreemptionArgs(args), (e: unknown) => e instanceof FieldError && e.path === path && e.message === message);
    });
  }

  it('the factory validates its args and yields the upstream plugin name', () => {
    const cluster = buildCluster([]);
    const fwk = makeFramework(cluster, []);
    assert.equal(newDefaultPreemption(undefined, fwk.handle).name, 'DefaultPreemption');
    assert.ok(newDefaultPreemption({}, fwk.handle) instanceof DefaultPreemptionPlugin);
    assert.throws(() => newDefaultPreemption({ minCandidateNodesPercentage: 101 }, fwk.handle), FieldError);
  });
});
