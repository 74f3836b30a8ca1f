import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { FieldError } from '../../api/field-error.js';
import { buildCluster, makeNode, makePod, nodeInfoWith, podInfo, type PodWrapper, type Resources } from '../../testing/builders.js';
import { CycleState } from '../framework/cycle-state.js';
import type { NodeInfo } from '../../cluster/node-info.js';
import type { PodInfo } from '../../cluster/pod-info.js';
import { MAX_NODE_SCORE, MIN_NODE_SCORE } from '../framework/interfaces.js';
import { Code, CODE_NAMES, type Verdict } from '../framework/status.js';
import { NodeResourcesFitPlugin, parseNodeResourcesFitArgs } from './node-resources-fit.js';
import { BrokenLinearFunction } from './requested-to-capacity-ratio.js';

const EXT_A = 'example.com/aaa';
const EXT_B = 'example.com/bbb';
const K8S_IO_A = 'kubernetes.io/something';
const K8S_IO_B = 'subdomain.kubernetes.io/something';
const HUGEPAGES = 'hugepages-2Mi';

/** One container's requests as upstream's framework.Resource literal: milli-CPU, bytes of
 * memory, ephemeral storage, and extended (scalar) resources. */
interface Usage {
  cpu?: number;
  mem?: number;
  storage?: number;
  scalar?: Record<string, number>;
}

/** Upstream's newResourcePod writes every field, zeros included. */
function requests(u: Usage): Resources {
  return { cpu: `${u.cpu ?? 0}m`, memory: u.mem ?? 0, 'ephemeral-storage': u.storage ?? 0, ...(u.scalar ?? {}) };
}

/** newResourcePod(usage...): one app container per usage. */
function resourcePod(...usages: Usage[]): PodWrapper {
  const w = makePod();
  for (const u of usages) w.req(requests(u));
  return w;
}

/** newResourceInitPod(pod, usage...): one init container per usage. */
function withInit(w: PodWrapper, ...usages: Usage[]): PodWrapper {
  for (const u of usages) w.initReq(requests(u));
  return w;
}

function fit(args?: unknown): NodeResourcesFitPlugin {
  return new NodeResourcesFitPlugin(parseNodeResourcesFitArgs(args));
}

type Want = null | { code: Code; reasons: string[] };

function assertVerdict(got: Verdict, want: Want): void {
  if (want === null) {
    assert.equal(got, null, `want Success, got ${got === null ? 'Success' : `${got.codeName} ${JSON.stringify(got.reasons)}`}`);
    return;
  }
  assert.notEqual(got, null, `want ${CODE_NAMES[want.code]}, got Success`);
  if (got === null) return;
  assert.equal(CODE_NAMES[got.code], CODE_NAMES[want.code]);
  assert.deepEqual(got.reasons, want.reasons);
  assert.equal(got.plugin, 'NodeResourcesFit');
}

const unschedulable = (...reasons: string[]): Want => ({ code: Code.Unschedulable, reasons });
const unresolvable = (...reasons: string[]): Want => ({ code: Code.UnschedulableAndUnresolvable, reasons });
const insufficient = (name: string): string => `Insufficient ${name}`;

interface FilterCase {
  name: string;
  pod: Pod;
  /** Requests of the pod already on the node. */
  existing: Pod;
  args?: unknown;
  want: Want;
}

describe('NodeResourcesFit Filter: TestEnoughRequests', () => {
  // Upstream pkg/scheduler/framework/plugins/noderesources/fit_test.go (TestEnoughRequests),
  // v1.34+ expectations: a request larger than the node's whole allocatable is
  // UnschedulableAndUnresolvable. Node: makeAllocatableResources(10, 20, 32, 5, 20, 5), i.e.
  // cpu 10m, memory 20, pods 32, example.com/aaa 5, ephemeral-storage 20, hugepages-2Mi 5.
  // Skipped: pod-level resources (spec.resources) and DRA-backed extended resources, which
  // ksim does not model.
  const node = makeNode('node')
    .capacity({ cpu: '10m', memory: 20, pods: 32, [EXT_A]: 5, 'ephemeral-storage': 20, [HUGEPAGES]: 5 })
    .obj();
  const cases: FilterCase[] = [
    {
      name: 'no resources requested always fits',
      pod: makePod().obj(),
      existing: resourcePod({ cpu: 10, mem: 20 }).obj(),
      want: null,
    },
    {
      name: 'too many resources fails',
      pod: resourcePod({ cpu: 1, mem: 1 }).obj(),
      existing: resourcePod({ cpu: 10, mem: 20 }).obj(),
      want: unschedulable(insufficient('cpu'), insufficient('memory')),
    },
    {
      name: 'too many resources fails due to init container cpu',
      pod: withInit(resourcePod({ cpu: 1, mem: 1 }), { cpu: 3, mem: 1 }).obj(),
      existing: resourcePod({ cpu: 8, mem: 19 }).obj(),
      want: unschedulable(insufficient('cpu')),
    },
    {
      name: 'too many resources fails due to highest init container cpu',
      pod: withInit(resourcePod({ cpu: 1, mem: 1 }), { cpu: 3, mem: 1 }, { cpu: 2, mem: 1 }).obj(),
      existing: resourcePod({ cpu: 8, mem: 19 }).obj(),
      want: unschedulable(insufficient('cpu')),
    },
    {
      name: 'too many resources fails due to init container memory',
      pod: withInit(resourcePod({ cpu: 1, mem: 1 }), { cpu: 1, mem: 3 }).obj(),
      existing: resourcePod({ cpu: 9, mem: 19 }).obj(),
      want: unschedulable(insufficient('memory')),
    },
    {
      name: 'too many resources fails due to highest init container memory',
      pod: withInit(resourcePod({ cpu: 1, mem: 1 }), { cpu: 1, mem: 3 }, { cpu: 1, mem: 2 }).obj(),
      existing: resourcePod({ cpu: 9, mem: 19 }).obj(),
      want: unschedulable(insufficient('memory')),
    },
    {
      name: "init container fits because it's the max, not sum, of containers and init containers",
      pod: withInit(resourcePod({ cpu: 1, mem: 1 }), { cpu: 1, mem: 1 }).obj(),
      existing: resourcePod({ cpu: 9, mem: 19 }).obj(),
      want: null,
    },
    {
      name: "multiple init containers fit because it's the max, not sum, of containers and init containers",
      pod: withInit(resourcePod({ cpu: 1, mem: 1 }), { cpu: 1, mem: 1 }, { cpu: 1, mem: 1 }).obj(),
      existing: resourcePod({ cpu: 9, mem: 19 }).obj(),
      want: null,
    },
    {
      name: 'both resources fit',
      pod: resourcePod({ cpu: 1, mem: 1 }).obj(),
      existing: resourcePod({ cpu: 5, mem: 5 }).obj(),
      want: null,
    },
    {
      name: 'one resource memory fits',
      pod: resourcePod({ cpu: 2, mem: 1 }).obj(),
      existing: resourcePod({ cpu: 9, mem: 5 }).obj(),
      want: unschedulable(insufficient('cpu')),
    },
    {
      name: 'one resource cpu fits',
      pod: resourcePod({ cpu: 1, mem: 2 }).obj(),
      existing: resourcePod({ cpu: 5, mem: 19 }).obj(),
      want: unschedulable(insufficient('memory')),
    },
    {
      name: 'equal edge case',
      pod: resourcePod({ cpu: 5, mem: 1 }).obj(),
      existing: resourcePod({ cpu: 5, mem: 19 }).obj(),
      want: null,
    },
    {
      name: 'equal edge case for init container',
      pod: withInit(resourcePod({ cpu: 4, mem: 1 }), { cpu: 5, mem: 1 }).obj(),
      existing: resourcePod({ cpu: 5, mem: 19 }).obj(),
      want: null,
    },
    {
      name: 'extended resource fits',
      pod: resourcePod({ scalar: { [EXT_A]: 1 } }).obj(),
      existing: resourcePod({}).obj(),
      want: null,
    },
    {
      name: 'extended resource fits for init container',
      pod: withInit(resourcePod({}), { scalar: { [EXT_A]: 1 } }).obj(),
      existing: resourcePod({}).obj(),
      want: null,
    },
    {
      name: 'extended resource capacity enforced',
      pod: resourcePod({ cpu: 1, mem: 1, scalar: { [EXT_A]: 10 } }).obj(),
      existing: resourcePod({ scalar: { [EXT_A]: 0 } }).obj(),
      want: unresolvable(insufficient(EXT_A)),
    },
    {
      name: 'extended resource capacity enforced for init container',
      pod: withInit(resourcePod({}), { cpu: 1, mem: 1, scalar: { [EXT_A]: 10 } }).obj(),
      existing: resourcePod({ scalar: { [EXT_A]: 0 } }).obj(),
      want: unresolvable(insufficient(EXT_A)),
    },
    {
      name: 'extended resource allocatable enforced',
      pod: resourcePod({ cpu: 1, mem: 1, scalar: { [EXT_A]: 1 } }).obj(),
      existing: resourcePod({ scalar: { [EXT_A]: 5 } }).obj(),
      want: unschedulable(insufficient(EXT_A)),
    },
    {
      name: 'extended resource allocatable enforced for init container',
      pod: withInit(resourcePod({}), { cpu: 1, mem: 1, scalar: { [EXT_A]: 1 } }).obj(),
      existing: resourcePod({ scalar: { [EXT_A]: 5 } }).obj(),
      want: unschedulable(insufficient(EXT_A)),
    },
    {
      name: 'extended resource allocatable enforced for multiple containers',
      pod: resourcePod({ cpu: 1, mem: 1, scalar: { [EXT_A]: 3 } }, { cpu: 1, mem: 1, scalar: { [EXT_A]: 3 } }).obj(),
      existing: resourcePod({ scalar: { [EXT_A]: 2 } }).obj(),
      want: unresolvable(insufficient(EXT_A)),
    },
    {
      name: 'extended resource allocatable admits multiple init containers',
      pod: withInit(resourcePod({}), { cpu: 1, mem: 1, scalar: { [EXT_A]: 3 } }, { cpu: 1, mem: 1, scalar: { [EXT_A]: 3 } }).obj(),
      existing: resourcePod({ scalar: { [EXT_A]: 2 } }).obj(),
      want: null,
    },
    {
      name: 'extended resource allocatable enforced for multiple init containers',
      pod: withInit(resourcePod({}), { cpu: 1, mem: 1, scalar: { [EXT_A]: 6 } }, { cpu: 1, mem: 1, scalar: { [EXT_A]: 3 } }).obj(),
      existing: resourcePod({ scalar: { [EXT_A]: 2 } }).obj(),
      want: unresolvable(insufficient(EXT_A)),
    },
    {
      name: 'extended resource allocatable enforced for unknown resource',
      pod: resourcePod({ cpu: 1, mem: 1, scalar: { [EXT_B]: 1 } }).obj(),
      existing: resourcePod({}).obj(),
      want: unresolvable(insufficient(EXT_B)),
    },
    {
      name: 'extended resource allocatable enforced for unknown resource for init container',
      pod: withInit(resourcePod({}), { cpu: 1, mem: 1, scalar: { [EXT_B]: 1 } }).obj(),
      existing: resourcePod({}).obj(),
      want: unresolvable(insufficient(EXT_B)),
    },
    {
      name: 'kubernetes.io resource capacity enforced',
      pod: resourcePod({ cpu: 1, mem: 1, scalar: { [K8S_IO_A]: 10 } }).obj(),
      existing: resourcePod({}).obj(),
      want: unresolvable(insufficient(K8S_IO_A)),
    },
    {
      name: 'kubernetes.io resource capacity enforced for init container',
      pod: withInit(resourcePod({}), { cpu: 1, mem: 1, scalar: { [K8S_IO_B]: 10 } }).obj(),
      existing: resourcePod({}).obj(),
      want: unresolvable(insufficient(K8S_IO_B)),
    },
    {
      name: 'hugepages resource capacity enforced',
      pod: resourcePod({ cpu: 1, mem: 1, scalar: { [HUGEPAGES]: 10 } }).obj(),
      existing: resourcePod({ scalar: { [HUGEPAGES]: 0 } }).obj(),
      want: unresolvable(insufficient(HUGEPAGES)),
    },
    {
      name: 'hugepages resource capacity enforced for init container',
      pod: withInit(resourcePod({}), { cpu: 1, mem: 1, scalar: { [HUGEPAGES]: 10 } }).obj(),
      existing: resourcePod({ scalar: { [HUGEPAGES]: 0 } }).obj(),
      want: unresolvable(insufficient(HUGEPAGES)),
    },
    {
      name: 'hugepages resource allocatable enforced for multiple containers',
      pod: resourcePod({ cpu: 1, mem: 1, scalar: { [HUGEPAGES]: 3 } }, { cpu: 1, mem: 1, scalar: { [HUGEPAGES]: 3 } }).obj(),
      existing: resourcePod({ scalar: { [HUGEPAGES]: 2 } }).obj(),
      want: unresolvable(insufficient(HUGEPAGES)),
    },
    {
      name: 'skip checking ignored extended resource',
      pod: resourcePod({ cpu: 1, mem: 1, scalar: { [EXT_B]: 1 } }).obj(),
      existing: resourcePod({}).obj(),
      args: { ignoredResources: ['example.com/bbb'] },
      want: null,
    },
    {
      name: 'resources + pod overhead fits',
      pod: resourcePod({ cpu: 1, mem: 1 }).overhead({ cpu: '3m', memory: '13' }).obj(),
      existing: resourcePod({ cpu: 5, mem: 5 }).obj(),
      want: null,
    },
    {
      name: 'requests + overhead does not fit for memory',
      pod: resourcePod({ cpu: 1, mem: 1 }).overhead({ cpu: '1m', memory: '15' }).obj(),
      existing: resourcePod({ cpu: 5, mem: 5 }).obj(),
      want: unschedulable(insufficient('memory')),
    },
    {
      name: 'skip checking ignored extended resource via resource groups',
      pod: resourcePod({ cpu: 1, mem: 1, scalar: { [EXT_B]: 1, [K8S_IO_A]: 1 } }).obj(),
      existing: resourcePod({}).obj(),
      args: { ignoredResourceGroups: ['example.com'] },
      want: unresolvable(insufficient(K8S_IO_A)),
    },
    {
      name: 'skip checking extended resource request with quantity zero via resource groups',
      pod: resourcePod({ cpu: 1, mem: 1, scalar: { [EXT_A]: 0 } }).obj(),
      existing: resourcePod({ scalar: { [EXT_A]: 6 } }).obj(),
      want: null,
    },
    {
      name: 'skip checking resource request with quantity zero',
      pod: resourcePod({ scalar: { [EXT_A]: 1 } }).obj(),
      existing: resourcePod({ cpu: 20, mem: 30, scalar: { [EXT_A]: 1 } }).obj(),
      want: null,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const got = fit(c.args).filter(new CycleState(), podInfo(c.pod), nodeInfoWith(node, c.existing));
      assertVerdict(got, c.want);
    });
  }
  it('one plugin filtering every case in turn, twice, gives each its own verdict (the per-pod memo follows the pod)', () => {
    const plugin = fit();
    const plain = cases.filter((c) => c.args === undefined);
    const pods = plain.map((c) => podInfo(c.pod));
    for (let round = 0; round < 2; round++) {
      plain.forEach((c, i) => assertVerdict(plugin.filter(new CycleState(), pods[i]!, nodeInfoWith(node, c.existing)), c.want));
    }
  });
});

describe('NodeResourcesFit Filter: TestNotEnoughRequests (pod count)', () => {
  // Upstream fit_test.go (TestNotEnoughRequests): allocatable cpu 10m, memory 20, pods 1, with
  // one pod already there. A full pod count is always plain Unschedulable.
  const node = makeNode('node').allocatable({ cpu: '10m', memory: 20, pods: 1, [EXT_A]: 0, 'ephemeral-storage': 0, [HUGEPAGES]: 0 }).obj();
  const cases: FilterCase[] = [
    {
      name: "even without specified resources, predicate fails when there's no space for additional pod",
      pod: makePod().obj(),
      existing: resourcePod({ cpu: 10, mem: 20 }).obj(),
      want: unschedulable('Too many pods'),
    },
    {
      name: "even if both resources fit, predicate fails when there's no space for additional pod",
      pod: resourcePod({ cpu: 1, mem: 1 }).obj(),
      existing: resourcePod({ cpu: 5, mem: 5 }).obj(),
      want: unschedulable('Too many pods'),
    },
    {
      name: "even for equal edge case, predicate fails when there's no space for additional pod",
      pod: resourcePod({ cpu: 5, mem: 1 }).obj(),
      existing: resourcePod({ cpu: 5, mem: 19 }).obj(),
      want: unschedulable('Too many pods'),
    },
    {
      name: "even for equal edge case, predicate fails when there's no space for additional pod due to init container",
      pod: withInit(resourcePod({ cpu: 5, mem: 1 }), { cpu: 5, mem: 1 }).obj(),
      existing: resourcePod({ cpu: 5, mem: 19 }).obj(),
      want: unschedulable('Too many pods'),
    },
    {
      // ksim case, from fitsRequest's order: the pod count comes first; an oversized request
      // still makes the whole status unresolvable.
      name: 'Too many pods is listed before the resources and does not hide an unresolvable request',
      pod: resourcePod({ cpu: 11, mem: 1 }).obj(),
      existing: resourcePod({ cpu: 1, mem: 1 }).obj(),
      want: unresolvable('Too many pods', insufficient('cpu')),
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const got = fit().filter(new CycleState(), podInfo(c.pod), nodeInfoWith(node, c.existing));
      assertVerdict(got, c.want);
    });
  }
});

describe('NodeResourcesFit Filter: TestStorageRequests', () => {
  // Upstream fit_test.go (TestStorageRequests); node as in TestEnoughRequests.
  const node = makeNode('node')
    .capacity({ cpu: '10m', memory: 20, pods: 32, [EXT_A]: 5, 'ephemeral-storage': 20, [HUGEPAGES]: 5 })
    .obj();
  const cases: FilterCase[] = [
    {
      name: 'empty storage requested, and pod fits',
      pod: resourcePod({ cpu: 1, mem: 1 }).obj(),
      existing: resourcePod({ cpu: 2, mem: 10 }).obj(),
      want: null,
    },
    {
      name: 'storage ephemeral local storage request exceeds allocatable',
      pod: resourcePod({ storage: 25 }).obj(),
      existing: resourcePod({ cpu: 2, mem: 2 }).obj(),
      want: unresolvable(insufficient('ephemeral-storage')),
    },
    {
      name: 'ephemeral local storage is sufficient',
      pod: resourcePod({ storage: 5 }).obj(),
      existing: resourcePod({ cpu: 2, mem: 2, storage: 10 }).obj(),
      want: null,
    },
    {
      name: 'pod fits',
      pod: resourcePod({ storage: 10 }).obj(),
      existing: resourcePod({ cpu: 2, mem: 2 }).obj(),
      want: null,
    },
    {
      // ksim case: memory larger than the whole node's allocatable is unresolvable too.
      name: 'memory request larger than the node allocatable is unresolvable',
      pod: resourcePod({ cpu: 1, mem: 21 }).obj(),
      existing: resourcePod({}).obj(),
      want: unresolvable(insufficient('memory')),
    },
    {
      // ksim case: the same request against what is left rather than the whole node.
      name: 'ephemeral storage request larger than what is left but not than the node is resolvable',
      pod: resourcePod({ storage: 15 }).obj(),
      existing: resourcePod({ storage: 10 }).obj(),
      want: unschedulable(insufficient('ephemeral-storage')),
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const got = fit().filter(new CycleState(), podInfo(c.pod), nodeInfoWith(node, c.existing));
      assertVerdict(got, c.want);
    });
  }
});

describe('NodeResourcesFit Filter: TestRestartableInitContainers (sidecars)', () => {
  // Upstream fit_test.go (TestRestartableInitContainers, SidecarContainers enabled): node
  // allocatable cpu 2m, memory 0, pods 1, no pods on it. A sidecar's request adds to the app
  // containers'.
  const node = makeNode('node').allocatable({ cpu: '2m', memory: 0, pods: 1, [EXT_A]: 0, 'ephemeral-storage': 0, [HUGEPAGES]: 0 }).obj();
  const regular = (): PodWrapper => makePod().container({ name: 'regular' });
  const cases: Array<{ name: string; pod: Pod; want: Want }> = [
    { name: 'allow pod without restartable init containers if sidecar containers is enabled', pod: regular().obj(), want: null },
    {
      name: 'allow pod with restartable init containers if sidecar containers is enabled',
      pod: regular().initContainer({ name: 'restartable-init', restartPolicy: 'Always' }).obj(),
      want: null,
    },
    {
      name: "allow pod if the total requested resources do not exceed the node's allocatable resources",
      pod: makePod().req({ cpu: '1m' }).sidecarReq({ cpu: '1m' }).obj(),
      want: null,
    },
    {
      name: "not allow pod if the total requested resources do exceed the node's allocatable resources",
      pod: makePod().req({ cpu: '1m' }).sidecarReq({ cpu: '2m' }).obj(),
      want: unresolvable(insufficient('cpu')),
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const got = fit().filter(new CycleState(), podInfo(c.pod), nodeInfoWith(node));
      assertVerdict(got, c.want);
    });
  }
});

interface ScoreCase {
  name: string;
  pod: Pod;
  nodes: Node[];
  existing?: Pod[];
  resources?: Array<{ name: string; weight: number }>;
  want: Record<string, number>;
}

const cap = (name: string, list: Resources): Node => makeNode(name).capacity(list).obj();
const DEFAULT_RESOURCES = [
  { name: 'cpu', weight: 1 },
  { name: 'memory', weight: 1 },
];
const EXTENDED_RES = 'abc.com/xyz';
const EXTENDED_RESOURCE_SET = [...DEFAULT_RESOURCES, { name: EXTENDED_RES, weight: 1 }];

describe('NodeResourcesFit Score: TestLeastAllocatedScoringStrategy', () => {
  // Upstream pkg/scheduler/framework/plugins/noderesources/least_allocated_test.go
  // (TestLeastAllocatedScoringStrategy) and fit_test.go (TestFitScore, its LeastAllocated cases).
  // Quantities are upstream's: cpu "4000" is 4000 cores. Skipped: "Resources not set, pods
  // scheduled with error" (ksim's Score returns a number, never an Error status; an empty
  // resource list cannot get past parseNodeResourcesFitArgs' defaulting in practice).
  const cases: ScoreCase[] = [
    {
      name: 'nothing scheduled, nothing requested',
      pod: makePod().obj(),
      nodes: [cap('node1', { cpu: '4000', memory: '10000' }), cap('node2', { cpu: '4000', memory: '10000' })],
      want: { node1: MAX_NODE_SCORE, node2: MAX_NODE_SCORE },
    },
    {
      name: 'nothing scheduled, resources requested, differently sized nodes',
      pod: makePod().req({ cpu: '1000', memory: '2000' }).req({ cpu: '2000', memory: '3000' }).obj(),
      nodes: [cap('node1', { cpu: '4000', memory: '10000' }), cap('node2', { cpu: '6000', memory: '10000' })],
      want: { node1: 37, node2: 50 },
    },
    {
      name: 'no resources requested, pods scheduled',
      pod: makePod().obj(),
      nodes: [cap('node1', { cpu: '4000', memory: '10000' }), cap('node2', { cpu: '4000', memory: '10000' })],
      existing: [makePod().node('node1').obj(), makePod().node('node1').obj(), makePod().node('node2').obj(), makePod().node('node2').obj()],
      want: { node1: MAX_NODE_SCORE, node2: MAX_NODE_SCORE },
    },
    {
      name: 'no resources requested, pods scheduled with resources',
      pod: makePod().obj(),
      nodes: [cap('node1', { cpu: '10000', memory: '20000' }), cap('node2', { cpu: '10000', memory: '20000' })],
      existing: [
        makePod().node('node1').req({ cpu: '3000', memory: '0' }).obj(),
        makePod().node('node1').req({ cpu: '3000', memory: '0' }).obj(),
        makePod().node('node2').req({ cpu: '3000', memory: '0' }).obj(),
        makePod().node('node2').req({ cpu: '3000', memory: '5000' }).obj(),
      ],
      want: { node1: 70, node2: 57 },
    },
    {
      name: 'resources requested, pods scheduled with resources',
      pod: makePod().req({ cpu: '1000', memory: '2000' }).req({ cpu: '2000', memory: '3000' }).obj(),
      nodes: [cap('node1', { cpu: '10000', memory: '20000' }), cap('node2', { cpu: '10000', memory: '20000' })],
      existing: [makePod().node('node1').req({ cpu: '3000', memory: '0' }).obj(), makePod().node('node2').req({ cpu: '3000', memory: '5000' }).obj()],
      want: { node1: 57, node2: 45 },
    },
    {
      name: 'resources requested, pods scheduled with resources, differently sized nodes',
      pod: makePod().req({ cpu: '1000', memory: '2000' }).req({ cpu: '2000', memory: '3000' }).obj(),
      nodes: [cap('node1', { cpu: '10000', memory: '20000' }), cap('node2', { cpu: '10000', memory: '50000' })],
      existing: [makePod().node('node1').req({ cpu: '3000', memory: '0' }).obj(), makePod().node('node2').req({ cpu: '3000', memory: '5000' }).obj()],
      want: { node1: 57, node2: 60 },
    },
    {
      name: 'requested resources exceed node capacity',
      pod: makePod().req({ cpu: '3000', memory: '0' }).obj(),
      nodes: [cap('node1', { cpu: '4000', memory: '10000' }), cap('node2', { cpu: '4000', memory: '10000' })],
      existing: [makePod().node('node1').req({ cpu: '3000', memory: '0' }).obj(), makePod().node('node2').req({ cpu: '3000', memory: '5000' }).obj()],
      want: { node1: 50, node2: 25 },
    },
    {
      name: 'zero node resources, pods scheduled with resources',
      pod: makePod().obj(),
      nodes: [makeNode('node1').obj(), makeNode('node2').obj()],
      existing: [makePod().node('node1').req({ cpu: '3000', memory: '0' }).obj(), makePod().node('node2').req({ cpu: '3000', memory: '5000' }).obj()],
      want: { node1: MIN_NODE_SCORE, node2: MIN_NODE_SCORE },
    },
    {
      name: 'nothing scheduled, resources requested with different weight on CPU and memory, differently sized nodes',
      pod: makePod().req({ cpu: '1000', memory: '2000' }).req({ cpu: '2000', memory: '3000' }).obj(),
      nodes: [cap('node1', { cpu: '4000', memory: '10000' }), cap('node2', { cpu: '6000', memory: '10000' })],
      resources: [
        { name: 'memory', weight: 2 },
        { name: 'cpu', weight: 1 },
      ],
      want: { node1: 41, node2: 50 },
    },
    {
      name: 'bypass extended resource if the pod does not request',
      pod: makePod().req({ cpu: '1000', memory: '2000' }).req({ cpu: '2000', memory: '3000' }).obj(),
      nodes: [cap('node1', { cpu: '6000', memory: '10000' }), cap('node2', { cpu: '6000', memory: '10000', [EXTENDED_RES]: '4' })],
      resources: EXTENDED_RESOURCE_SET,
      want: { node1: 50, node2: 50 },
    },
    {
      name: 'honor extended resource if the pod requests',
      pod: makePod().req({ cpu: '3000', memory: '5000', [EXTENDED_RES]: '2' }).obj(),
      nodes: [
        cap('node1', { cpu: '6000', memory: '10000', [EXTENDED_RES]: '4' }),
        cap('node2', { cpu: '6000', memory: '10000', [EXTENDED_RES]: '10' }),
      ],
      resources: EXTENDED_RESOURCE_SET,
      want: { node1: 50, node2: 60 },
    },
    {
      name: "if the node doesn't have a resource",
      pod: makePod().req({ cpu: '3000', memory: '4000' }).obj(),
      nodes: [cap('node1', { cpu: '6000', memory: '10000' }), cap('node2', { cpu: '6000', memory: '10000', [EXTENDED_RES]: '4' })],
      resources: [{ name: EXTENDED_RES, weight: 2 }, ...DEFAULT_RESOURCES],
      want: { node1: 55, node2: 55 },
    },
    {
      name: 'test case for ScoringStrategy LeastAllocated',
      pod: makePod().req({ cpu: '1000', memory: '2000' }).obj(),
      nodes: [cap('node1', { cpu: '4000', memory: '10000' }), cap('node2', { cpu: '6000', memory: '10000' })],
      existing: [makePod().node('node1').req({ cpu: '2000', memory: '4000' }).obj(), makePod().node('node2').req({ cpu: '1000', memory: '2000' }).obj()],
      want: { node1: 32, node2: 63 },
    },
    {
      name: 'test case for ScoringStrategy LeastAllocated with sidecar container',
      pod: makePod().req({ cpu: '1000', memory: '2000' }).obj(),
      nodes: [cap('node1', { cpu: '4000', memory: '10000' }), cap('node2', { cpu: '4000', memory: '10000' })],
      existing: [
        makePod().node('node1').req({ cpu: '1000', memory: '2000' }).sidecarReq({ cpu: '1000', memory: '2000' }).obj(),
        makePod().node('node2').req({ cpu: '1000', memory: '2000' }).obj(),
      ],
      want: { node1: 32, node2: 55 },
    },
    {
      // ksim case: containers without requests count as 100m cpu and 200Mi memory when scoring
      // (non-zero requests, upstream pkg/scheduler/util/pod_resources.go).
      name: 'request-less containers are scored with the non-zero defaults',
      pod: makePod().container().obj(),
      nodes: [cap('node1', { cpu: '1', memory: '1000Mi' })],
      existing: [makePod().node('node1').container().obj()],
      // cpu (1000 - 200) * 100 / 1000 = 80; memory (1000 - 400) * 100 / 1000 = 60.
      want: { node1: 70 },
    },
    {
      // ksim case: the same with the resources listed memory first, so the general per-resource
      // path (not the cpu-then-memory one) scores it: an over-committed resource scores 0, not less.
      name: 'requested resources exceed node capacity, resources in another order',
      pod: makePod().req({ cpu: '3000', memory: '0' }).obj(),
      nodes: [cap('node1', { cpu: '4000', memory: '10000' }), cap('node2', { cpu: '4000', memory: '10000' })],
      existing: [makePod().node('node1').req({ cpu: '3000', memory: '0' }).obj(), makePod().node('node2').req({ cpu: '3000', memory: '5000' }).obj()],
      resources: [{ name: 'memory', weight: 1 }, { name: 'cpu', weight: 1 }],
      want: { node1: 50, node2: 25 },
    },
    {
      // ksim case: weights other than 1 on the default resources (the cpu-then-memory path):
      // cpu (3000-1000)*100/3000 = 66, memory 75; (66*2 + 75*3) / 5 = 357 / 5 = 71.
      name: 'weighted cpu and memory',
      pod: makePod().req({ cpu: '1', memory: '1Gi' }).obj(),
      nodes: [cap('node1', { cpu: '3', memory: '4Gi' })],
      resources: [{ name: 'cpu', weight: 2 }, { name: 'memory', weight: 3 }],
      want: { node1: 71 },
    },
    {
      // ksim case: upstream's integer arithmetic truncates each resource's score, then the mean.
      name: 'each resource score is truncated before the weighted mean',
      pod: makePod().req({ cpu: '1', memory: '1Gi' }).obj(),
      nodes: [cap('node1', { cpu: '3', memory: '3Gi' }), cap('node2', { cpu: '3', memory: '4Gi' })],
      // node1: 2000*100/3000 = 66.7 → 66 for both → 66; node2: cpu 66, memory 75 → 70.5 → 70.
      want: { node1: 66, node2: 70 },
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const cluster = buildCluster(c.nodes, c.existing ?? []);
      const plugin = fit(c.resources === undefined ? undefined : { scoringStrategy: { type: 'LeastAllocated', resources: c.resources } });
      const pi = podInfo(c.pod);
      const got: Record<string, number> = {};
      for (const n of cluster.nodes) got[n.name] = plugin.score(new CycleState(), pi, n);
      assertScoreNodesAgree(plugin, pi, cluster.nodes, got);
      assert.deepEqual(got, c.want);
    });
  }

  // Upstream's invalid-weight cases fail NewFit with a field error on the weight.
  const invalid: Array<[name: string, resources: Array<{ name: string; weight: number }>, path: string]> = [
    ['resource with negative weight', [{ name: 'memory', weight: -1 }, { name: 'cpu', weight: 1 }], 'scoringStrategy.resources[0].weight'],
    ['resource weight larger than MaxNodeScore', [{ name: 'memory', weight: 1 }, { name: 'cpu', weight: 101 }], 'scoringStrategy.resources[1].weight'],
  ];
  it('resource with zero weight: v1 defaulting turns it into 1 (SetDefaults_NodeResourcesFitArgs)', () => {
    const args = parseNodeResourcesFitArgs({ scoringStrategy: { type: 'LeastAllocated', resources: [{ name: 'memory', weight: 1 }, { name: 'cpu', weight: 0 }] } });
    assert.deepEqual(args.scoringStrategy.resources.map((r) => r.weight), [1, 1]);
  });
  for (const [name, resources, path] of invalid) {
    it(name, () => {
      assert.throws(
        () => parseNodeResourcesFitArgs({ scoringStrategy: { type: 'LeastAllocated', resources } }),
        (e: unknown) => e instanceof FieldError && e.path === path,
      );
    });
  }
});

/** Scores every node of a cluster built from `nodes` and `existing`. ksim's NodeResourcesFit
 * has no PreScore (the pod's request vector is memoised per pod), so upstream's "if PreScore
 * is not called" cases expect the same numbers as the others. */
function scoreAll(args: unknown, pod: Pod, nodes: Node[], existing: Pod[] = []): Record<string, number> {
  const cluster = buildCluster(nodes, existing);
  const plugin = fit(args);
  const pi = podInfo(pod);
  const state = new CycleState();
  const got: Record<string, number> = {};
  for (const n of cluster.nodes) got[n.name] = plugin.score(state, pi, n);
  assertScoreNodesAgree(plugin, pi, cluster.nodes, got);
  return got;
}

/** The all-nodes path (what the framework calls, cached per node) gives Score's numbers, twice
 * in a row (the second from the cache). */
function assertScoreNodesAgree(plugin: ReturnType<typeof fit>, pi: PodInfo, nodes: readonly NodeInfo[], want: Record<string, number>): void {
  for (let round = 0; round < 2; round++) {
    const all = new Float64Array(nodes.length);
    plugin.scoreNodes!(new CycleState(), pi, nodes, all);
    assert.deepEqual(Object.fromEntries(nodes.map((n, i) => [n.name, all[i]])), want, `scoreNodes, round ${round + 1}`);
  }
}

function assertFieldError(fn: () => unknown, path: string): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof FieldError, `want a FieldError, got ${String(e)}`);
    assert.equal(e.path, path);
    return true;
  });
}

const mostAllocated = (resources?: Array<{ name: string; weight: number }>): unknown => ({
  scoringStrategy: resources === undefined ? { type: 'MostAllocated' } : { type: 'MostAllocated', resources },
});

describe('NodeResourcesFit Score: TestMostAllocatedScoringStrategy', () => {
  // Upstream pkg/scheduler/framework/plugins/noderesources/most_allocated_test.go
  // (TestMostAllocatedScoringStrategy). Quantities are upstream's: cpu "4000" is 4000 cores.
  // Skipped: "Resources not set, pods scheduled with error" (an empty list is defaulted to cpu
  // and memory before the plugin is built); the invalid-weight cases are in the args tests below.
  const cases: ScoreCase[] = [
    {
      // cpu 0 * 100 / 4000 = 0; memory 0 * 100 / 10000 = 0.
      name: 'nothing scheduled, nothing requested',
      pod: makePod().obj(),
      nodes: [cap('node1', { cpu: '4000', memory: '10000' }), cap('node2', { cpu: '4000', memory: '10000' })],
      want: { node1: MIN_NODE_SCORE, node2: MIN_NODE_SCORE },
    },
    {
      // node1: cpu 3000*100/4000 = 75, memory 5000*100/10000 = 50 → 62; node2: 50, 50 → 50.
      name: 'nothing scheduled, resources requested, differently sized nodes',
      pod: makePod().req({ cpu: '1000', memory: '2000' }).req({ cpu: '2000', memory: '3000' }).obj(),
      nodes: [cap('node1', { cpu: '4000', memory: '10000' }), cap('node2', { cpu: '6000', memory: '10000' })],
      want: { node1: 62, node2: 50 },
    },
    {
      // node1: cpu 6000/10000 = 60, memory 0 → 30; node2: 60, 5000/20000 = 25 → 42.
      name: 'no resources requested, pods scheduled with resources',
      pod: makePod().obj(),
      nodes: [cap('node1', { cpu: '10000', memory: '20000' }), cap('node2', { cpu: '10000', memory: '20000' })],
      existing: [
        makePod().node('node1').req({ cpu: '3000', memory: '0' }).obj(),
        makePod().node('node1').req({ cpu: '3000', memory: '0' }).obj(),
        makePod().node('node2').req({ cpu: '3000', memory: '0' }).obj(),
        makePod().node('node2').req({ cpu: '3000', memory: '5000' }).obj(),
      ],
      want: { node1: 30, node2: 42 },
    },
    {
      // node1: 60, 25 → 42; node2: 60, 10000/20000 = 50 → 55.
      name: 'resources requested, pods scheduled with resources',
      pod: makePod().req({ cpu: '1000', memory: '2000' }).req({ cpu: '2000', memory: '3000' }).obj(),
      nodes: [cap('node1', { cpu: '10000', memory: '20000' }), cap('node2', { cpu: '10000', memory: '20000' })],
      existing: [makePod().node('node1').req({ cpu: '3000', memory: '0' }).obj(), makePod().node('node2').req({ cpu: '3000', memory: '5000' }).obj()],
      want: { node1: 42, node2: 55 },
    },
    {
      // node1: cpu 5000/5000 = 100, memory 9000/10000 = 90 → 95; node2: 50, 9000/9000 = 100 → 75.
      name: 'resources requested equal node capacity',
      pod: makePod().req({ cpu: '2000', memory: '4000' }).req({ cpu: '3000', memory: '5000' }).obj(),
      nodes: [cap('node1', { cpu: '5000', memory: '10000' }), cap('node2', { cpu: '10000', memory: '9000' })],
      want: { node1: 95, node2: 75 },
    },
    {
      // node1: (75 * 1 + 50 * 2) / 3 = 58; node2: (50 + 100) / 3 = 50.
      name: 'nothing scheduled, resources requested with different weight on CPU and memory, differently sized nodes',
      pod: makePod().req({ cpu: '1000', memory: '2000' }).req({ cpu: '2000', memory: '3000' }).obj(),
      nodes: [cap('node1', { cpu: '4000', memory: '10000' }), cap('node2', { cpu: '6000', memory: '10000' })],
      resources: [
        { name: 'memory', weight: 2 },
        { name: 'cpu', weight: 1 },
      ],
      want: { node1: 58, node2: 50 },
    },
    {
      // Request-less containers count 100m / 200Mi. node1: cpu 300m of 250m → capped at 100,
      // memory 600Mi of 1000Mi = 60 → 80; node2: 100m/250m = 40, 200Mi/1000Mi = 20 → 30.
      name: 'no resources requested, pods scheduled, nonzero request for resource',
      pod: makePod().container({ name: 'container' }).obj(),
      nodes: [cap('node1', { cpu: '250m', memory: '1000Mi' }), cap('node2', { cpu: '250m', memory: '1000Mi' })],
      existing: [makePod().node('node1').container({ name: 'container' }).obj(), makePod().node('node1').container({ name: 'container' }).obj()],
      want: { node1: 80, node2: 30 },
    },
    {
      // cpu and memory 50 on both nodes; the extended resource is bypassed → 50.
      name: 'bypass extended resource if the pod does not request',
      pod: makePod().req({ cpu: '1000', memory: '2000' }).req({ cpu: '2000', memory: '3000' }).obj(),
      nodes: [cap('node1', { cpu: '6000', memory: '10000' }), cap('node2', { cpu: '6000', memory: '10000', [EXTENDED_RES]: '4' })],
      resources: EXTENDED_RESOURCE_SET,
      want: { node1: 50, node2: 50 },
    },
    {
      // node1: (50 + 50 + 2/4 = 50) / 3 = 50; node2: (50 + 50 + 2/10 = 20) / 3 = 40.
      name: 'honor extended resource if the pod request',
      pod: makePod().req({ cpu: '3000', memory: '5000', [EXTENDED_RES]: '2' }).obj(),
      nodes: [
        cap('node1', { cpu: '6000', memory: '10000', [EXTENDED_RES]: '4' }),
        cap('node2', { cpu: '6000', memory: '10000', [EXTENDED_RES]: '10' }),
      ],
      resources: EXTENDED_RESOURCE_SET,
      want: { node1: 50, node2: 40 },
    },
    {
      // The pod does not request the extended resource: (50 + 40) / 2 = 45 on both nodes.
      name: "if the node doesn't have a resource",
      pod: makePod().req({ cpu: '3000', memory: '4000' }).obj(),
      nodes: [cap('node1', { cpu: '6000', memory: '10000' }), cap('node2', { cpu: '6000', memory: '10000', [EXTENDED_RES]: '4' })],
      resources: [{ name: EXTENDED_RES, weight: 2 }, ...DEFAULT_RESOURCES],
      want: { node1: 45, node2: 45 },
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual(scoreAll(mostAllocated(c.resources), c.pod, c.nodes, c.existing), c.want);
    });
  }
});

describe('NodeResourcesFit Score: TestFitScore (strategies side by side)', () => {
  // Upstream fit_test.go (TestFitScore): the same cluster under each strategy. Skipped: the DRA
  // extended-resource cases (ksim does not model DRA).
  const nodes = [cap('node1', { cpu: '4000', memory: '10000' }), cap('node2', { cpu: '6000', memory: '10000' })];
  const existing = [
    makePod().node('node1').req({ cpu: '2000', memory: '4000' }).obj(),
    makePod().node('node2').req({ cpu: '1000', memory: '2000' }).obj(),
  ];
  const big = makePod().req({ cpu: '3000', memory: '5000' }).obj();
  const small = makePod().req({ cpu: '1000', memory: '2000' }).obj();
  const rtcr = (shape: Array<{ utilization: number; score: number }>): unknown => ({
    scoringStrategy: { type: 'RequestedToCapacityRatio', resources: DEFAULT_RESOURCES, requestedToCapacityRatio: { shape } },
  });
  const leastShape = [
    { utilization: 0, score: 10 },
    { utilization: 100, score: 0 },
  ];
  const mostShape = [
    { utilization: 0, score: 0 },
    { utilization: 100, score: 10 },
  ];
  const cases: Array<{ name: string; args: unknown; pod: Pod; want: Record<string, number> }> = [
    {
      // Shape ×10: (0, 100) → (100, 0). node1: cpu 5000 > 4000 → f(100) = 0, which is left out
      // of the mean (neither score nor weight); memory 9000/10000 → 90 → 10. Mean: 10 / 1 = 10.
      // node2: cpu 4000*100/6000 = 66 → 34; memory 70 → 30; (34 + 30) / 2 = 32.
      name: 'test case for ScoringStrategy RequestedToCapacityRatio case1',
      args: rtcr(leastShape),
      pod: big,
      want: { node1: 10, node2: 32 },
    },
    {
      // Shape (0, 0) → (100, 100). node1: cpu over capacity → f(100) = 100, memory 90 → 95;
      // node2: 66, 70 → 68.
      name: 'test case for ScoringStrategy RequestedToCapacityRatio case2',
      args: rtcr(mostShape),
      pod: big,
      want: { node1: 95, node2: 68 },
    },
    {
      // node1: cpu 3000/4000 = 75, memory 6000/10000 = 60 → 67; node2: 33, 40 → 36.
      name: 'test case for ScoringStrategy MostAllocated',
      args: mostAllocated(DEFAULT_RESOURCES),
      pod: small,
      want: { node1: 67, node2: 36 },
    },
    {
      name: 'test case for ScoringStrategy RequestedToCapacityRatio case1 if PreScore is not called',
      args: rtcr(leastShape),
      pod: big,
      want: { node1: 10, node2: 32 },
    },
    {
      name: 'test case for ScoringStrategy MostAllocated if PreScore is not called',
      args: mostAllocated(DEFAULT_RESOURCES),
      pod: small,
      want: { node1: 67, node2: 36 },
    },
    {
      name: 'test case for ScoringStrategy LeastAllocated if PreScore is not called',
      args: { scoringStrategy: { type: 'LeastAllocated', resources: DEFAULT_RESOURCES } },
      pod: small,
      want: { node1: 32, node2: 63 },
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual(scoreAll(c.args, c.pod, nodes, existing), c.want);
    });
  }

  it('test case for ScoringStrategy MostAllocated with sidecar container', () => {
    // node1: 1000 + sidecar 1000 + pod 1000 = 3000 of 4000 → 75, memory 6000 → 60 → 67;
    // node2: 2000 → 50, 4000 → 40 → 45.
    const got = scoreAll(
      mostAllocated(DEFAULT_RESOURCES),
      small,
      [cap('node1', { cpu: '4000', memory: '10000' }), cap('node2', { cpu: '4000', memory: '10000' })],
      [
        makePod().node('node1').req({ cpu: '1000', memory: '2000' }).sidecarReq({ cpu: '1000', memory: '2000' }).obj(),
        makePod().node('node2').req({ cpu: '1000', memory: '2000' }).obj(),
      ],
    );
    assert.deepEqual(got, { node1: 67, node2: 45 });
  });

  it('ksim case: the memoised pod requests follow the pod being scored', () => {
    // One plugin instance scores two pods in turn on the same nodes, as across cycles.
    const cluster = buildCluster(nodes, existing);
    const plugin = fit(mostAllocated(DEFAULT_RESOURCES));
    const scores = (pod: Pod): number[] => {
      const pi = podInfo(pod);
      return cluster.nodes.map((n) => plugin.score(new CycleState(), pi, n));
    };
    // small: 67, 36 (above). big: node1 cpu 5000 > 4000 → 100, memory 90 → 95;
    // node2 cpu 4000/6000 = 66, memory 70 → 68.
    assert.deepEqual(scores(small), [67, 36]);
    assert.deepEqual(scores(big), [95, 68]);
    assert.deepEqual(scores(small), [67, 36]);
  });

  it('ksim case: LeastAllocated stays exact for amounts whose product with 100 exceeds 2^53', () => {
    // Go's int64: (1125899906842695 − 11258999068427) × 100 / 1125899906842695 = 98.999… → 98;
    // float arithmetic would round the quotient up to 99.
    const got = scoreAll(
      { scoringStrategy: { type: 'LeastAllocated', resources: [{ name: 'ephemeral-storage', weight: 1 }] } },
      makePod().req({ 'ephemeral-storage': '11258999068427' }).obj(),
      [cap('node1', { cpu: '1', 'ephemeral-storage': '1125899906842695' })],
    );
    assert.deepEqual(got, { node1: 98 });
  });
});

describe('NodeResourcesFit Score: TestRequestedToCapacityRatioScoringStrategy', () => {
  // Upstream requested_to_capacity_ratio_test.go (TestRequestedToCapacityRatioScoringStrategy):
  // shape (0, 10) → (100, 0), i.e. least requested first, on cpu and memory.
  const args = {
    scoringStrategy: {
      type: 'RequestedToCapacityRatio',
      resources: DEFAULT_RESOURCES,
      requestedToCapacityRatio: {
        shape: [
          { utilization: 0, score: 10 },
          { utilization: 100, score: 0 },
        ],
      },
    },
  };
  const cases: ScoreCase[] = [
    {
      // Pods without containers request nothing, not even the non-zero defaults: f(0) = 100.
      name: 'nothing scheduled, nothing requested (default - least requested nodes have priority)',
      pod: makePod().obj(),
      nodes: [cap('node1', { cpu: '4000', memory: '10000' }), cap('node2', { cpu: '4000', memory: '10000' })],
      existing: [makePod().node('node1').obj(), makePod().node('node1').obj()],
      want: { node1: MAX_NODE_SCORE, node2: MAX_NODE_SCORE },
    },
    {
      // node1: cpu 75 → 25, memory 50 → 50; (25 + 50) / 2 = 37.5, rounded → 38.
      // node2: 50, 50 → 50.
      name: 'nothing scheduled, resources requested, differently sized nodes (default - least requested nodes have priority)',
      pod: makePod().req({ cpu: '1000', memory: '2000' }).req({ cpu: '2000', memory: '3000' }).obj(),
      nodes: [cap('node1', { cpu: '4000', memory: '10000' }), cap('node2', { cpu: '6000', memory: '10000' })],
      existing: [makePod().node('node1').obj(), makePod().node('node1').obj()],
      want: { node1: 38, node2: 50 },
    },
    {
      name: 'no resources requested, pods scheduled with resources (default - least requested nodes have priority)',
      pod: makePod().obj(),
      nodes: [cap('node1', { cpu: '4000', memory: '10000' }), cap('node2', { cpu: '6000', memory: '10000' })],
      existing: [
        makePod().node('node1').req({ cpu: '3000', memory: '5000' }).obj(),
        makePod().node('node2').req({ cpu: '3000', memory: '5000' }).obj(),
      ],
      want: { node1: 38, node2: 50 },
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual(scoreAll(args, c.pod, c.nodes, c.existing), c.want);
    });
  }
});

describe('NodeResourcesFit Score: TestBrokenLinearFunction', () => {
  // Upstream requested_to_capacity_ratio_test.go (TestBrokenLinearFunction), on the unscaled
  // function (helper.BuildBrokenLinearFunction): points → [p, f(p)].
  const cases: Array<[points: Array<[number, number]>, assertions: Array<[number, number]>]> = [
    [
      [
        [10, 1],
        [90, 9],
      ],
      [[-10, 1], [0, 1], [9, 1], [10, 1], [15, 1], [19, 1], [20, 2], [89, 8], [90, 9], [99, 9], [100, 9], [110, 9]],
    ],
    [
      [
        [0, 2],
        [40, 10],
        [100, 0],
      ],
      [[-10, 2], [0, 2], [20, 6], [30, 8], [40, 10], [70, 5], [100, 0], [110, 0]],
    ],
    [
      [
        [0, 2],
        [40, 2],
        [100, 2],
      ],
      [[-10, 2], [0, 2], [20, 2], [30, 2], [40, 2], [70, 2], [100, 2], [110, 2]],
    ],
  ];
  cases.forEach(([points, assertions], i) => {
    it(`case_${i}`, () => {
      const f = new BrokenLinearFunction(points.map(([utilization, score]) => ({ utilization, score })));
      assert.deepEqual(
        assertions.map(([p]) => [p, f.at(p)]),
        assertions,
      );
    });
  });

  it('ksim case: a falling segment truncates towards zero like Go', () => {
    // (0, 10) → (30, 0) at 10: 10 + (0 − 10) × 10 / 30 = 10 + trunc(−3.33) = 7 (floor would give 6).
    const f = new BrokenLinearFunction([
      { utilization: 0, score: 10 },
      { utilization: 30, score: 0 },
    ]);
    assert.equal(f.at(10), 7);
  });
});

describe('NodeResourcesFit Score: TestResourceBinPacking (RequestedToCapacityRatio on extended resources)', () => {
  // Upstream requested_to_capacity_ratio_test.go (TestResourceBinPackingSingleExtended and
  // TestResourceBinPackingMultipleExtended): shape (0, 0) → (100, 1), scaled to (0, 0) → (100, 10).
  const FOO = 'intel.com/foo';
  const BAR = 'intel.com/bar';
  const shape = [
    { utilization: 0, score: 0 },
    { utilization: 100, score: 1 },
  ];
  const node = (name: string, ext: Resources): Node => cap(name, { cpu: '4', memory: 10000 * 1024 * 1024, ...ext });
  const single = { scoringStrategy: { type: 'RequestedToCapacityRatio', resources: [{ name: FOO, weight: 1 }], requestedToCapacityRatio: { shape } } };
  const singleNodes = [node('node1', { [FOO]: 8 }), node('node2', { [FOO]: 4 })];
  const multi = {
    scoringStrategy: {
      type: 'RequestedToCapacityRatio',
      resources: [
        { name: FOO, weight: 3 },
        { name: BAR, weight: 5 },
      ],
      requestedToCapacityRatio: { shape },
    },
  };
  const multiNodes = [node('node1', { [FOO]: 8, [BAR]: 4 }), node('node2', { [FOO]: 4, [BAR]: 8 })];
  const cases: Array<ScoreCase & { args: unknown }> = [
    {
      // The pod does not request the only scored resource: nothing is scored → 0.
      name: 'single extended: nothing scheduled, nothing requested',
      args: single,
      pod: makePod().obj(),
      nodes: singleNodes,
      want: { node1: 0, node2: 0 },
    },
    {
      // node1: 2/8 → 25 → 10 × 25 / 100 = 2; node2: 2/4 → 50 → 5.
      name: 'single extended: resources requested, pods scheduled with less resources',
      args: single,
      pod: makePod().req({ [FOO]: '2' }).obj(),
      nodes: singleNodes,
      existing: [makePod().obj()],
      want: { node1: 2, node2: 5 },
    },
    {
      // node2: (2 + 2) / 4 → 100 → 10.
      name: 'single extended: resources requested, pods scheduled with resources, on node with existing pod running',
      args: single,
      pod: makePod().req({ [FOO]: '2' }).obj(),
      nodes: singleNodes,
      existing: [makePod().node('node2').req({ [FOO]: '2' }).obj()],
      want: { node1: 2, node2: 10 },
    },
    {
      // node1: 4/8 → 5; node2: 4/4 → 10.
      name: 'single extended: resources requested, pods scheduled with more resources',
      args: single,
      pod: makePod().req({ [FOO]: '4' }).obj(),
      nodes: singleNodes,
      existing: [makePod().obj()],
      want: { node1: 5, node2: 10 },
    },
    {
      name: 'multiple extended: nothing scheduled, nothing requested',
      args: multi,
      pod: makePod().obj(),
      nodes: multiNodes,
      want: { node1: 0, node2: 0 },
    },
    {
      // node1: foo 2/8 → 2, bar 2/4 → 5: (2×3 + 5×5) / 8 = 3.875 → 4;
      // node2: foo 2/4 → 5, bar 2/8 → 2: (5×3 + 2×5) / 8 = 3.125 → 3.
      name: 'multiple extended: resources requested, pods scheduled with less resources',
      args: multi,
      pod: makePod().req({ [FOO]: '2', [BAR]: '2' }).obj(),
      nodes: multiNodes,
      existing: [makePod().obj()],
      want: { node1: 4, node2: 3 },
    },
    {
      // node2 already runs foo 4, bar 2: foo (4 + 2) > 4 → f(100) = 10, bar 4/8 → 5:
      // (10×3 + 5×5) / 8 = 6.875 → 7.
      name: 'multiple extended: resources requested, pods scheduled with resources, on node with existing pod running',
      args: multi,
      pod: makePod().req({ [FOO]: '2', [BAR]: '2' }).obj(),
      nodes: multiNodes,
      existing: [makePod().node('node2').req({ [FOO]: '4', [BAR]: '2' }).obj()],
      want: { node1: 4, node2: 7 },
    },
    {
      // node1: foo 4/8 → 5, bar 2/4 → 5 → 5; node2: foo 4/4 → 10, bar 2/8 → 2: 40 / 8 = 5.
      name: 'multiple extended: resources requested, pods scheduled with more resources',
      args: multi,
      pod: makePod().req({ [FOO]: '4', [BAR]: '2' }).obj(),
      nodes: multiNodes,
      existing: [makePod().obj()],
      want: { node1: 5, node2: 5 },
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual(scoreAll(c.args, c.pod, c.nodes, c.existing), c.want);
    });
  }
});

describe('NodeResourcesFit args: validation_pluginargs_test.go', () => {
  // Upstream pkg/scheduler/apis/config/validation/validation_pluginargs_test.go
  // (TestValidateFitArgs, TestValidateLeastAllocatedScoringStrategy,
  // TestValidateMostAllocatedScoringStrategy, TestValidateRequestedToCapacityRatioScoringStrategy).
  // ksim throws the first error upstream would list; shape errors point at where the shape is
  // written (scoringStrategy.requestedToCapacityRatio.shape), where upstream says
  // "scoringStrategy.shape".
  const strategy = (type: string, resources?: unknown, shape?: unknown): unknown => ({
    scoringStrategy: {
      type,
      ...(resources === undefined ? {} : { resources }),
      ...(shape === undefined ? {} : { requestedToCapacityRatio: { shape } }),
    },
  });
  const defaultShape = [{ utilization: 30, score: 3 }];
  const invalid: Array<[name: string, args: unknown, path: string]> = [
    ['IgnoredResources: too long value', { ignoredResources: [`longvalue${'a'.repeat(64)}`] }, 'ignoredResources[0]'],
    ['IgnoredResources: name is empty', { ignoredResources: ['example.com/'] }, 'ignoredResources[0]'],
    ['IgnoredResources: name has too many slash', { ignoredResources: ['example.com/aaa/bbb'] }, 'ignoredResources[0]'],
    ['IgnoredResourceGroups: illegal args', { ignoredResourceGroups: ['example.com/'] }, 'ignoredResourceGroups[0]'],
    ['IgnoredResourceGroups: name is too long', { ignoredResourceGroups: ['a'.repeat(64)] }, 'ignoredResourceGroups[0]'],
    ['IgnoredResourceGroups: name cannot be contain slash', { ignoredResourceGroups: ['example.com/aa'] }, 'ignoredResourceGroups[0]'],
    ['ScoringStrategy: type is unsupported', { scoringStrategy: { type: 'Invalid' } }, 'scoringStrategy.type'],
    ['ksim case: ScoringStrategy: a strategy without a type is not defaulted', { scoringStrategy: { resources: DEFAULT_RESOURCES } }, 'scoringStrategy.type'],
    ['LeastAllocated: weight less than min', strategy('LeastAllocated', [{ name: 'cpu', weight: -1 }]), 'scoringStrategy.resources[0].weight'],
    ['LeastAllocated: weight greater than max', strategy('LeastAllocated', [{ name: 'cpu', weight: 101 }]), 'scoringStrategy.resources[0].weight'],
    [
      'LeastAllocated: multi invalid resources',
      strategy('LeastAllocated', [
        { name: 'cpu', weight: -1 },
        { name: 'memory', weight: 101 },
      ]),
      'scoringStrategy.resources[0].weight',
    ],
    ['MostAllocated: weight less than min', strategy('MostAllocated', [{ name: 'cpu', weight: -1 }]), 'scoringStrategy.resources[0].weight'],
    ['MostAllocated: weight greater than max', strategy('MostAllocated', [{ name: 'cpu', weight: 101 }]), 'scoringStrategy.resources[0].weight'],
    [
      'MostAllocated: multi invalid resources',
      strategy('MostAllocated', [
        { name: 'cpu', weight: -1 },
        { name: 'memory', weight: 101 },
      ]),
      'scoringStrategy.resources[0].weight',
    ],
    ['RequestedToCapacityRatio: no shapes', strategy('RequestedToCapacityRatio', undefined, null), 'scoringStrategy.requestedToCapacityRatio.shape'],
    ['ksim case: RequestedToCapacityRatio: an empty shape', strategy('RequestedToCapacityRatio', undefined, []), 'scoringStrategy.requestedToCapacityRatio.shape'],
    ['ksim case: RequestedToCapacityRatio without requestedToCapacityRatio', strategy('RequestedToCapacityRatio'), 'scoringStrategy.requestedToCapacityRatio.shape'],
    [
      'RequestedToCapacityRatio: weight greater than max',
      strategy('RequestedToCapacityRatio', [{ name: 'cpu', weight: 101 }], defaultShape),
      'scoringStrategy.resources[0].weight',
    ],
    [
      'RequestedToCapacityRatio: weight less than min',
      strategy('RequestedToCapacityRatio', [{ name: 'cpu', weight: -1 }], defaultShape),
      'scoringStrategy.resources[0].weight',
    ],
    [
      'RequestedToCapacityRatio: utilization less than min',
      strategy('RequestedToCapacityRatio', undefined, [{ utilization: -1, score: 3 }]),
      'scoringStrategy.requestedToCapacityRatio.shape[0].utilization',
    ],
    [
      'RequestedToCapacityRatio: utilization greater than max',
      strategy('RequestedToCapacityRatio', undefined, [{ utilization: 101, score: 3 }]),
      'scoringStrategy.requestedToCapacityRatio.shape[0].utilization',
    ],
    [
      'RequestedToCapacityRatio: duplicated utilization values',
      strategy('RequestedToCapacityRatio', undefined, [
        { utilization: 10, score: 3 },
        { utilization: 10, score: 3 },
      ]),
      'scoringStrategy.requestedToCapacityRatio.shape[1].utilization',
    ],
    [
      'RequestedToCapacityRatio: non-increasing utilization values',
      strategy('RequestedToCapacityRatio', undefined, [
        { utilization: 10, score: 3 },
        { utilization: 20, score: 3 },
        { utilization: 15, score: 3 },
      ]),
      'scoringStrategy.requestedToCapacityRatio.shape[2].utilization',
    ],
    [
      'RequestedToCapacityRatio: score less than min',
      strategy('RequestedToCapacityRatio', undefined, [{ utilization: 10, score: -1 }]),
      'scoringStrategy.requestedToCapacityRatio.shape[0].score',
    ],
    [
      'RequestedToCapacityRatio: score greater than max',
      strategy('RequestedToCapacityRatio', undefined, [{ utilization: 10, score: 11 }]),
      'scoringStrategy.requestedToCapacityRatio.shape[0].score',
    ],
    [
      // The order check comes first and stops at the first offending point; range checks follow.
      'ksim case: the first invalid point of [-1, 3 (score 11), 2] is the unsorted one',
      strategy('RequestedToCapacityRatio', undefined, [
        { utilization: -1, score: 1 },
        { utilization: 3, score: 11 },
        { utilization: 2, score: 1 },
      ]),
      'scoringStrategy.requestedToCapacityRatio.shape[2].utilization',
    ],
    // ValidateNodeResourcesFitArgs: requestedToCapacityRatio is Forbidden unless the type is
    // RequestedToCapacityRatio (its shape, valid or not, is not looked at).
    ['ksim case: requestedToCapacityRatio with LeastAllocated', strategy('LeastAllocated', undefined, [{ utilization: 10, score: 11 }]), 'scoringStrategy.requestedToCapacityRatio'],
    ['ksim case: requestedToCapacityRatio with MostAllocated', strategy('MostAllocated', undefined, defaultShape), 'scoringStrategy.requestedToCapacityRatio'],
  ];
  for (const [name, args, path] of invalid) {
    it(name, () => assertFieldError(() => parseNodeResourcesFitArgs(args), path));
  }

  const valid: Array<[name: string, args: unknown]> = [
    ['IgnoredResources: valid args', { ignoredResources: ['example.com'] }],
    ['IgnoredResourceGroups: valid args', { ignoredResourceGroups: ['example.com'] }],
    ['LeastAllocated: default config', strategy('LeastAllocated')],
    [
      'MostAllocated: multi valid resources',
      strategy('MostAllocated', [
        { name: 'cpu', weight: 1 },
        { name: 'memory', weight: 10 },
      ]),
    ],
    ['RequestedToCapacityRatio: valid shapes', strategy('RequestedToCapacityRatio', undefined, defaultShape)],
    [
      'RequestedToCapacityRatio: increasing utilization values',
      strategy('RequestedToCapacityRatio', undefined, [
        { utilization: 10, score: 3 },
        { utilization: 20, score: 3 },
        { utilization: 30, score: 3 },
      ]),
    ],
  ];
  for (const [name, args] of valid) {
    it(name, () => assert.doesNotThrow(() => fit(args)));
  }

  it('ksim case: defaults follow SetDefaults_NodeResourcesFitArgs', () => {
    // No strategy → LeastAllocated on cpu and memory; an empty resource list → cpu and memory;
    // an absent weight → 1.
    assert.deepEqual(parseNodeResourcesFitArgs({}).scoringStrategy, {
      type: 'LeastAllocated',
      resources: DEFAULT_RESOURCES,
      requestedToCapacityRatio: null,
    });
    assert.deepEqual(parseNodeResourcesFitArgs(mostAllocated([])).scoringStrategy.resources, DEFAULT_RESOURCES);
    assert.deepEqual(parseNodeResourcesFitArgs(mostAllocated([{ name: 'nvidia.com/gpu' } as { name: string; weight: number }])).scoringStrategy.resources, [
      { name: 'nvidia.com/gpu', weight: 1 },
    ]);
  });
});

describe('NodeResourcesFit: ksim edge cases worked by hand', () => {
  const node = makeNode('node').capacity({ cpu: '10m', memory: 20, pods: 32, [EXT_A]: 5, 'ephemeral-storage': 20 }).obj();
  const filterCases: FilterCase[] = [
    // A request equal to the node's allocatable could fit an empty node: Unschedulable (preemption
    // may help), not UnschedulableAndUnresolvable (upstream: unresolvable only when request > allocatable).
    { name: 'ephemeral storage equal to the allocatable, some used', pod: resourcePod({ storage: 20 }).obj(), existing: resourcePod({ storage: 1 }).obj(), want: unschedulable(insufficient('ephemeral-storage')) },
    { name: 'an extended resource equal to the allocatable, some used', pod: resourcePod({ scalar: { [EXT_A]: 5 } }).obj(), existing: resourcePod({ scalar: { [EXT_A]: 1 } }).obj(), want: unschedulable(insufficient(EXT_A)) },
    { name: 'an extended resource above the allocatable', pod: resourcePod({ scalar: { [EXT_A]: 6 } }).obj(), existing: resourcePod({}).obj(), want: unresolvable(insufficient(EXT_A)) },
  ];
  for (const c of filterCases) {
    it(c.name, () => assertVerdict(fit().filter(new CycleState(), podInfo(c.pod), nodeInfoWith(node, c.existing)), c.want));
  }

  it('LeastAllocated on a node with no CPU allocatable scores memory only: (4000 - 1000) × 100 / 4000 = 75', () => {
    assert.deepEqual(scoreAll(undefined, makePod().req({ memory: '1000' }).obj(), [cap('node1', { cpu: '0', memory: '4000' })]), { node1: 75 });
  });

  it('RequestedToCapacityRatio where every resource scores 0 gives 0 (no weight counted)', () => {
    const args = { scoringStrategy: { type: 'RequestedToCapacityRatio', resources: DEFAULT_RESOURCES, requestedToCapacityRatio: { shape: [{ utilization: 0, score: 0 }, { utilization: 100, score: 10 }] } } };
    assert.deepEqual(scoreAll(args, makePod().obj(), [cap('node1', { cpu: '4000', memory: '10000' })]), { node1: 0 });
  });
});

describe('NodeResourcesFit: weight and empty-node boundaries', () => {
  it('accepts a resource weight of 100 (upstream validateResources: (0, 100]) and refuses 101', () => {
    const args = parseNodeResourcesFitArgs({ scoringStrategy: { type: 'LeastAllocated', resources: [{ name: 'cpu', weight: 100 }, { name: 'memory', weight: 1 }] } });
    assert.deepEqual(args.scoringStrategy.resources.map((r) => r.weight), [100, 1]);
    assert.throws(
      () => parseNodeResourcesFitArgs({ scoringStrategy: { type: 'LeastAllocated', resources: [{ name: 'cpu', weight: 101 }] } }),
      (e: unknown) => e instanceof FieldError && e.message.includes('an integer in [1, 100]'),
    );
  });

  it('MostAllocated scores 0 on a node offering none of the scored resources (upstream: weightSum 0 gives 0)', () => {
    // A node whose allocatable names neither cpu nor memory: every resource is left out.
    const node = nodeInfoWith(makeNode('bare').capacity({ pods: 10 }).obj());
    const p = fit({ scoringStrategy: { type: 'MostAllocated' } });
    const pod = podInfo(makePod('p').req({ cpu: '1', memory: '1Gi' }).obj());
    assert.equal(p.score(new CycleState(), pod, node), 0);
    const out = new Float64Array(1);
    p.scoreNodes(new CycleState(), pod, [node], out);
    assert.equal(out[0], 0);
  });
});

describe('NodeResourcesFit Filter: shared statuses', () => {
  it('nodes that fail on the same resources get one shared Status; extended resources follow the common reasons', () => {
    const n1 = nodeInfoWith(makeNode('n1').capacity({ cpu: '1', memory: '1Gi', pods: 10, [EXT_A]: 1 }).obj());
    const n2 = nodeInfoWith(makeNode('n2').capacity({ cpu: '1', memory: '1Gi', pods: 10, [EXT_A]: 1 }).obj());
    const plugin = fit();
    const big = podInfo(makePod().req({ cpu: '2', memory: '2Gi' }).obj());
    const a = plugin.filter(new CycleState(), big, n1);
    const b = plugin.filter(new CycleState(), big, n2);
    assertVerdict(a, unresolvable(insufficient('cpu'), insufficient('memory')));
    assert.equal(b, a);
    const half = podInfo(makePod().req({ cpu: '500m' }).obj());
    assert.equal(plugin.filter(new CycleState(), half, n1), null);
    const withExt = podInfo(makePod().req({ cpu: '2', [EXT_A]: 2 }).obj());
    assertVerdict(plugin.filter(new CycleState(), withExt, n1), unresolvable(insufficient('cpu'), insufficient(EXT_A)));
  });
});
