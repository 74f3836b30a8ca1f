import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { FieldError } from '../../api/field-error.js';
import { buildCluster, makeNode, makePod, nodeInfoWith, podInfo, type PodWrapper, type Resources } from '../../testing/builders.js';
import { CycleState } from '../framework/cycle-state.js';
import { MAX_NODE_SCORE, MIN_NODE_SCORE } from '../framework/interfaces.js';
import { Code, CODE_NAMES, type Verdict } from '../framework/status.js';
import { NodeResourcesFitPlugin, parseNodeResourcesFitArgs } from './node-resources-fit.js';

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
      assert.deepEqual(got, c.want);
    });
  }

  // Upstream's invalid-weight cases fail NewFit with a field error on the weight.
  const invalid: Array<[name: string, resources: Array<{ name: string; weight: number }>, path: string]> = [
    ['resource with negative weight', [{ name: 'memory', weight: -1 }, { name: 'cpu', weight: 1 }], 'scoringStrategy.resources[0].weight'],
    ['resource with zero weight', [{ name: 'memory', weight: 1 }, { name: 'cpu', weight: 0 }], 'scoringStrategy.resources[1].weight'],
    ['resource weight larger than MaxNodeScore', [{ name: 'memory', weight: 1 }, { name: 'cpu', weight: 101 }], 'scoringStrategy.resources[1].weight'],
  ];
  for (const [name, resources, path] of invalid) {
    it(name, () => {
      assert.throws(
        () => parseNodeResourcesFitArgs({ scoringStrategy: { type: 'LeastAllocated', resources } }),
        (e: unknown) => e instanceof FieldError && e.path === path,
      );
    });
  }
});
