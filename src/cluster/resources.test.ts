import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { makePod, podInfo } from '../testing/builders.js';
import { computePodLimits, computePodRequests, DEFAULT_MEMORY_REQUEST, DEFAULT_MILLI_CPU_REQUEST, Resource } from './resources.js';

const Ki = 1024;
const Mi = 1024 * Ki;
const Gi = 1024 * Mi;

/** The requests as a plain object: milli-CPU, bytes, and any extended resources (sorted). */
function flat(r: Resource): Record<string, number> {
  const out: Record<string, number> = {};
  if (r.milliCpu !== 0) out['cpu'] = r.milliCpu;
  if (r.memory !== 0) out['memory'] = r.memory;
  if (r.ephemeralStorage !== 0) out['ephemeral-storage'] = r.ephemeralStorage;
  for (const n of r.scalarNames()) if (r.getScalar(n) !== 0) out[n] = r.getScalar(n);
  return out;
}

describe('computePodRequests: PodRequests', () => {
  // Upstream staging/src/k8s.io/component-helpers/resource/helpers_test.go
  // (TestPodRequestsAndLimits, TestPodRequestsAndLimitsWithoutOverhead, TestPodResourceRequests),
  // requests only, with cpu in milli-units. Skipped: in-place resize (status resources), pod-level
  // resources, and the ExcludeOverhead option, none of which ksim models.
  const cases: Array<{ name: string; pod: Pod; want: Record<string, number> }> = [
    {
      // Upstream's PodRequests sees no request here ({}), because its test bypasses API
      // defaulting; ksim applies the defaulting (a limit without a request requests the limit),
      // as the API server would have before the scheduler ever sees the pod.
      name: 'just-limit-no-overhead (API defaulting: the limit becomes the request)',
      pod: makePod().lim({ cpu: '9' }).obj(),
      want: { cpu: 9000 },
    },
    {
      name: 'just-overhead',
      pod: makePod().req({}).overhead({ cpu: '5', memory: '5' }).obj(),
      want: { cpu: 5000, memory: 5 },
    },
    {
      name: 'req-and-overhead',
      pod: makePod().req({ cpu: '1', memory: '10' }).overhead({ cpu: '5', memory: '5' }).obj(),
      want: { cpu: 6000, memory: 15 },
    },
    {
      name: 'all-req-lim-and-overhead',
      pod: makePod().req({ cpu: '1', memory: '10' }, { cpu: '2', memory: '12' }).overhead({ cpu: '5', memory: '5' }).obj(),
      want: { cpu: 6000, memory: 15 },
    },
    {
      name: 'req-some-lim-and-overhead',
      pod: makePod().req({ cpu: '1', memory: '10' }, { cpu: '2' }).overhead({ cpu: '5', memory: '5' }).obj(),
      want: { cpu: 6000, memory: 15 },
    },
    {
      name: 'two container no overhead - should just be sum of containers',
      pod: makePod().req({ cpu: '1', memory: '5' }, { cpu: '2', memory: '10' }).req({ cpu: '4', memory: '12' }, { cpu: '8', memory: '24' }).obj(),
      want: { cpu: 5000, memory: 17 },
    },
    {
      name: 'two container, massive init - should just be the largest init',
      pod: makePod()
        .req({ cpu: '1', memory: '5' }, { cpu: '2', memory: '10' })
        .req({ cpu: '4', memory: '12' }, { cpu: '8', memory: '24' })
        .initReq({ cpu: '1', memory: '5' }, { cpu: '1', memory: '5' })
        .initReq({ cpu: '40', memory: '120' }, { cpu: '80', memory: '240' })
        .obj(),
      want: { cpu: 40000, memory: 120 },
    },
    {
      name: 'nil options, larger init container',
      pod: makePod().initReq({ cpu: '4' }).req({ cpu: '1' }).obj(),
      want: { cpu: 4000 },
    },
    {
      name: 'nil options, larger containers',
      pod: makePod().initReq({ cpu: '2' }).req({ cpu: '2' }).req({ cpu: '3' }).obj(),
      want: { cpu: 5000 },
    },
    {
      name: 'pod overhead included',
      pod: makePod().initReq({ cpu: '2' }, { cpu: '2' }).req({ cpu: '2' }).req({ cpu: '3' }).overhead({ cpu: '1', memory: '1Gi' }).obj(),
      want: { cpu: 6000, memory: Gi },
    },
    {
      name: 'restartable init container',
      pod: makePod().sidecarReq({ cpu: '1' }).req({ cpu: '1' }).obj(),
      want: { cpu: 2000 },
    },
    {
      // max(5, restartable init containers (3+2+1) + regular (1)) = 7
      name: 'multiple restartable init containers',
      pod: makePod().initReq({ cpu: '5' }).sidecarReq({ cpu: '1' }).sidecarReq({ cpu: '2' }).sidecarReq({ cpu: '3' }).req({ cpu: '1' }).obj(),
      want: { cpu: 7000 },
    },
    {
      // init-2 requires 5 + the restartable init containers started before it (1+2) = 8; the
      // one that starts after it does not count.
      name: 'multiple restartable and regular init containers',
      pod: makePod()
        .initReq({ cpu: '5' })
        .sidecarReq({ cpu: '1' })
        .sidecarReq({ cpu: '2' })
        .initReq({ cpu: '5' })
        .sidecarReq({ cpu: '3' })
        .req({ cpu: '1' })
        .obj(),
      want: { cpu: 8000 },
    },
    {
      name: 'restartable-init, init and regular',
      pod: makePod().sidecarReq({ cpu: '10' }).initReq({ cpu: '200' }).req({ cpu: '100' }).obj(),
      want: { cpu: 210000 },
    },
    {
      name: 'ksim case: extended resources and ephemeral storage follow the same max-of-sums rule',
      pod: makePod()
        .req({ 'example.com/gpu': '1', 'ephemeral-storage': '1Gi' })
        .sidecarReq({ 'ephemeral-storage': '1Gi' })
        .initReq({ 'example.com/gpu': '2' })
        .obj(),
      want: { 'ephemeral-storage': 2 * Gi, 'example.com/gpu': 2 },
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual(flat(computePodRequests(c.pod).requests), c.want);
    });
  }
});

describe('computePodRequests: non-zero requests (scoring)', () => {
  // Upstream pkg/scheduler/util/pod_resources_test.go (TestGetNonZeroRequest), and
  // pkg/scheduler/framework/types_test.go (TestPodInfoCalculateResources: Non0CPU/Non0Mem);
  // component-helpers helpers_test.go ("non missing container requests applied to init
  // container"). A container missing a cpu or memory request counts 100m / 200Mi.
  it('uses upstream\'s defaults of 100m cpu and 200Mi memory', () => {
    assert.equal(DEFAULT_MILLI_CPU_REQUEST, 100);
    assert.equal(DEFAULT_MEMORY_REQUEST, 200 * Mi);
  });
  const cases: Array<{ name: string; pod: Pod; cpu: number; memory: number; requests?: Record<string, number> }> = [
    { name: 'cpu_and_memory_not_found', pod: makePod().req({}).obj(), cpu: 100, memory: 200 * Mi, requests: {} },
    { name: 'only_cpu_exist', pod: makePod().req({ cpu: '200m' }).obj(), cpu: 200, memory: 200 * Mi, requests: { cpu: 200 } },
    { name: 'only_memory_exist', pod: makePod().req({ memory: '400Mi' }).obj(), cpu: 100, memory: 400 * Mi, requests: { memory: 400 * Mi } },
    { name: 'cpu_memory_exist', pod: makePod().req({ cpu: '200m', memory: '400Mi' }).obj(), cpu: 200, memory: 400 * Mi },
    { name: 'requestless container', pod: makePod().container().obj(), cpu: 100, memory: 200 * Mi, requests: {} },
    { name: '1X container with requests', pod: makePod().req({ cpu: '500m', memory: '500Mi' }).obj(), cpu: 500, memory: 500 * Mi },
    {
      name: '2X container with requests',
      pod: makePod().req({ cpu: '500m', memory: '500Mi' }).req({ cpu: '700m', memory: '800Mi' }).obj(),
      cpu: 1200,
      memory: 1300 * Mi,
    },
    {
      name: 'non missing container requests applied to init container',
      pod: makePod().initReq({ cpu: '1' }).obj(),
      cpu: 1000,
      memory: 200 * Mi,
      requests: { cpu: 1000 },
    },
    {
      name: 'ksim case: an explicit zero request is not missing and stays zero',
      pod: makePod().req({ cpu: '0', memory: '0' }).obj(),
      cpu: 0,
      memory: 0,
      requests: {},
    },
    { name: 'ksim case: a pod without containers has no non-zero requests', pod: makePod().obj(), cpu: 0, memory: 0, requests: {} },
    {
      name: 'ksim case: a request-less sidecar adds the defaults to the app containers\'',
      pod: makePod().container().sidecarReq({}).obj(),
      cpu: 200,
      memory: 400 * Mi,
      requests: {},
    },
    {
      name: 'ksim case: a request-less init container counts the defaults once, at its step',
      pod: makePod().container().container().initContainer().obj(),
      cpu: 200,
      memory: 400 * Mi,
    },
    {
      // Steps: init (1 cpu + default memory) vs app containers (two defaults); max per resource.
      name: 'ksim case: the init step and the app containers are maxed per resource',
      pod: makePod().initReq({ cpu: '1' }).container().container().obj(),
      cpu: 1000,
      memory: 400 * Mi,
      requests: { cpu: 1000 },
    },
    {
      // The init step runs alongside the sidecar started before it: 100m default + 1 cpu.
      name: 'ksim case: a request-less init container after a sidecar counts the default on top of it',
      pod: makePod().sidecarReq({ cpu: '1' }).initContainer().req({ cpu: '10m' }).obj(),
      cpu: 1100,
      memory: 400 * Mi,
      requests: { cpu: 1010 },
    },
    {
      name: 'ksim case: overhead adds to the non-zero requests too',
      pod: makePod().container().overhead({ cpu: '250m', memory: '64Mi' }).obj(),
      cpu: 350,
      memory: 264 * Mi,
      requests: { cpu: 250, memory: 64 * Mi },
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const r = computePodRequests(c.pod);
      assert.deepEqual([r.nonZeroMilliCpu, r.nonZeroMemory], [c.cpu, c.memory]);
      if (c.requests !== undefined) assert.deepEqual(flat(r.requests), c.requests);
      // PodInfo carries the same numbers.
      const pi = podInfo(c.pod);
      assert.deepEqual([pi.nonZeroMilliCpu, pi.nonZeroMemory], [c.cpu, c.memory]);
    });
  }
});

describe('Resource.scalarNames', () => {
  it('answers with one sorted array until a name is added (Filter asks on every node, allocating nothing)', () => {
    const r = new Resource();
    assert.equal(r.scalarNames(), r.scalarNames());
    assert.deepEqual(r.scalarNames(), []);
    r.setScalar('nvidia.com/gpu', 2);
    r.setScalar('example.com/fpga', 1);
    const first = r.scalarNames();
    assert.deepEqual(first, ['example.com/fpga', 'nvidia.com/gpu']);
    r.setScalar('nvidia.com/gpu', 5); // a new amount, not a new name: the same array
    assert.equal(r.scalarNames(), first);
    r.add(r.clone()); // amounts only
    assert.equal(r.scalarNames(), first);
    r.setScalar('amd.com/gpu', 1); // a new name: a new sorted array
    assert.deepEqual(r.scalarNames(), ['amd.com/gpu', 'example.com/fpga', 'nvidia.com/gpu']);
    assert.deepEqual(first, ['example.com/fpga', 'nvidia.com/gpu']);
  });
});

describe('computePodRequests: pod-level resources (spec.resources)', () => {
  // Upstream staging/src/k8s.io/component-helpers/resource/helpers_test.go
  // TestPodLevelResourceRequests, with SkipPodLevelResources false (PodLevelResources is on by
  // default in v1.36); cpu in milli-units, memory and hugepages in bytes. The cases naming an
  // unsupported pod-level resource (storage) are kept: ksim's reader refuses such manifests, but
  // the computation ignores the name as upstream does.
  const cases: Array<{ name: string; pod: Pod; want: Record<string, number> }> = [
    { name: 'nil', pod: makePod().obj(), want: {} },
    { name: 'pod level memory resource', pod: makePod().podRes({ memory: '2Mi' }).obj(), want: { memory: 2 * Mi } },
    {
      name: 'pod level memory and container level cpu resources',
      pod: makePod().podRes({ memory: '2Mi' }).req({ cpu: '2m' }).obj(),
      want: { memory: 2 * Mi, cpu: 2 },
    },
    {
      name: 'pod level unsupported resources set at both pod-level and container-level',
      pod: makePod().podRes({ storage: '2Mi' }).req({ storage: '3Mi' }).obj(),
      want: { storage: 3 * Mi },
    },
    {
      name: 'pod level unsupported resources set at pod-level',
      pod: makePod().podRes({ storage: '2Mi' }).req({ memory: '3Mi' }).obj(),
      want: { memory: 3 * Mi },
    },
    { name: 'only container level resources set', pod: makePod().req({ memory: '3Mi', cpu: '2m' }).obj(), want: { memory: 3 * Mi, cpu: 2 } },
    {
      name: 'both container-level and pod-level resources set',
      pod: makePod().podRes({ memory: '6Mi', cpu: '8m' }).req({ memory: '3Mi', cpu: '2m' }).obj(),
      want: { memory: 6 * Mi, cpu: 8 },
    },
    {
      name: 'container-level resources and init container set',
      pod: makePod().req({ memory: '3Mi', cpu: '2m' }).initReq({ memory: '5Mi', cpu: '4m' }).obj(),
      want: { memory: 5 * Mi, cpu: 4 },
    },
    {
      name: 'container-level resources and sidecar container set',
      pod: makePod().req({ memory: '3Mi', cpu: '2m' }).sidecarReq({ memory: '5Mi', cpu: '4m' }).obj(),
      want: { memory: 8 * Mi, cpu: 6 },
    },
    {
      name: 'container-level resources, init and sidecar container set',
      pod: makePod().req({ memory: '3Mi', cpu: '2m' }).sidecarReq({ memory: '5Mi', cpu: '4m' }).initReq({ memory: '6Mi', cpu: '8m' }).obj(),
      want: { memory: 11 * Mi, cpu: 12 },
    },
    {
      name: 'pod-level resources, container-level resources, init and sidecar container set',
      pod: makePod()
        .podRes({ memory: '15Mi', cpu: '18m' })
        .req({ memory: '3Mi', cpu: '2m' })
        .sidecarReq({ memory: '5Mi', cpu: '4m' })
        .initReq({ memory: '6Mi', cpu: '8m' })
        .obj(),
      want: { memory: 15 * Mi, cpu: 18 },
    },
    {
      name: 'pod-level resources, hugepage request/limit single page size',
      pod: makePod().podRes({ memory: '10Mi', 'hugepages-2Mi': '2Mi' }, { 'hugepages-2Mi': '2Mi' }).obj(),
      want: { memory: 10 * Mi, 'hugepages-2Mi': 2 * Mi },
    },
    {
      name: 'pod-level resources, hugepage request/limit multiple page sizes',
      pod: makePod().podRes({ cpu: '1', 'hugepages-2Mi': '2Mi', 'hugepages-1Gi': '1Gi' }, { 'hugepages-2Mi': '2Mi', 'hugepages-1Gi': '1Gi' }).obj(),
      want: { cpu: 1000, 'hugepages-1Gi': Gi, 'hugepages-2Mi': 2 * Mi },
    },
    {
      name: 'pod-level resources, container-level resources, hugepage request/limit single page size',
      pod: makePod().podRes({ cpu: '1', 'hugepages-2Mi': '10Mi' }, { 'hugepages-2Mi': '10Mi' }).req({ 'hugepages-2Mi': '6Mi' }, { 'hugepages-2Mi': '6Mi' }).obj(),
      want: { cpu: 1000, 'hugepages-2Mi': 10 * Mi },
    },
    {
      name: 'pod-level resources, container-level resources, hugepage request/limit multiple page sizes',
      pod: makePod()
        .podRes({ cpu: '1', 'hugepages-2Mi': '10Mi', 'hugepages-1Gi': '2Gi' }, { 'hugepages-2Mi': '10Mi', 'hugepages-1Gi': '2Gi' })
        .req({ cpu: '1', 'hugepages-1Gi': '2Gi' }, { 'hugepages-1Gi': '2Gi' })
        .obj(),
      want: { cpu: 1000, 'hugepages-1Gi': 2 * Gi, 'hugepages-2Mi': 10 * Mi },
    },
    {
      name: 'pod-level resources, container-level resources, hugepage request/limit multiple page sizes between pod-level and container-level',
      pod: makePod()
        .podRes({ cpu: '1', 'hugepages-2Mi': '10Mi' }, { 'hugepages-2Mi': '10Mi' })
        .req({ memory: '4Mi', 'hugepages-1Gi': '1Gi' }, { 'hugepages-1Gi': '1Gi' })
        .obj(),
      // With API defaulting the pod-level limit map is non-empty, so the pod-level memory request
      // defaults to the containers' 4Mi and the 1Gi hugepages limit defaults from the container:
      // the same totals upstream's test (which skips defaulting) expects.
      want: { cpu: 1000, memory: 4 * Mi, 'hugepages-1Gi': Gi, 'hugepages-2Mi': 10 * Mi },
    },
    // ksim cases: the API server's defaulting of pod-level requests (pkg/apis/core/v1/defaults.go
    // defaultPodRequests), which runs before the scheduler or quota ever see the pod.
    {
      name: 'ksim case: a pod-level limit without a request requests the limit when no container names the resource',
      pod: makePod().podRes({}, { cpu: '8' }).container().obj(),
      want: { cpu: 8000 },
    },
    {
      name: 'ksim case: a pod-level limit without a request requests the containers\' aggregate when they name it',
      pod: makePod().podRes({}, { cpu: '8', memory: '1Gi' }).req({ cpu: '1' }).req({ cpu: '2' }).obj(),
      want: { cpu: 3000, memory: Gi },
    },
    {
      name: 'ksim case: pod-level requests replace the aggregate, overhead still adds on top',
      pod: makePod().podRes({ cpu: '8' }).req({ cpu: '1' }).overhead({ cpu: '250m' }).obj(),
      want: { cpu: 8250 },
    },
    {
      name: 'ksim case: extended resources stay with the containers',
      pod: makePod().podRes({ cpu: '2' }).req({ cpu: '1', 'nvidia.com/gpu': '1' }).obj(),
      want: { cpu: 2000, 'nvidia.com/gpu': 1 },
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual(flat(computePodRequests(c.pod).requests), c.want);
    });
  }
});

describe('computePodRequests: non-zero requests with pod-level resources', () => {
  // nonZero*: the node's books (pkg/scheduler/framework/types.go calculateResource with
  // getNonMissingContainerRequests: with pod-level requests set, the 100m / 200Mi defaults apply
  // only to a resource missing from the pod's whole request list). scoring*: the pod being scored
  // (noderesources/resource_allocation.go calculatePodResourceRequest: defaults per container,
  // then the pod-level value replaces the sum).
  const cases: Array<{ name: string; pod: Pod; nonZero: [number, number]; scoring: [number, number] }> = [
    {
      name: 'pod-level cpu and memory: both figures are the pod-level values',
      pod: makePod().podRes({ cpu: '8', memory: '1Gi' }).container().container().obj(),
      nonZero: [8000, Gi],
      scoring: [8000, Gi],
    },
    {
      name: 'pod-level cpu only, no container names memory: memory counts one default per container',
      pod: makePod().podRes({ cpu: '8' }).container().container().obj(),
      nonZero: [8000, 400 * Mi],
      scoring: [8000, 400 * Mi],
    },
    {
      name: 'pod-level memory only, one of two containers names cpu: the books take the sum as is, scoring adds the default',
      pod: makePod().podRes({ memory: '1Gi' }).req({ cpu: '300m' }).container().obj(),
      nonZero: [300, Gi],
      scoring: [400, Gi],
    },
    {
      name: 'pod-level cpu with overhead: overhead adds to both',
      pod: makePod().podRes({ cpu: '2' }).container().overhead({ cpu: '100m', memory: '10Mi' }).obj(),
      nonZero: [2100, 10 * Mi],
      scoring: [2100, 210 * Mi],
    },
    {
      name: 'no pod-level resources: both figures are the per-container defaults',
      pod: makePod().req({ cpu: '300m' }).container().obj(),
      nonZero: [400, 400 * Mi],
      scoring: [400, 400 * Mi],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const r = computePodRequests(c.pod);
      assert.deepEqual({ nonZero: [r.nonZeroMilliCpu, r.nonZeroMemory], scoring: [r.scoringMilliCpu, r.scoringMemory] }, { nonZero: c.nonZero, scoring: c.scoring });
      const pi = podInfo(c.pod);
      assert.deepEqual([pi.nonZeroMilliCpu, pi.nonZeroMemory, pi.scoringMilliCpu, pi.scoringMemory], [...c.nonZero, ...c.scoring]);
    });
  }
});

describe('computePodLimits: PodLimits', () => {
  // Upstream helpers.go PodLimits: aggregated like requests, pod-level limits replace the
  // aggregate, overhead adds only to a non-zero limit (helpers_test.go TestPodRequestsAndLimits
  // "limits-and-overhead" style cases; the pod-level ones are ksim's).
  const cases: Array<{ name: string; pod: Pod; want: Record<string, number> }> = [
    { name: 'container limits sum', pod: makePod().req({}, { cpu: '1' }).req({}, { cpu: '2', memory: '1Gi' }).obj(), want: { cpu: 3000, memory: Gi } },
    { name: 'overhead adds to a set limit only', pod: makePod().req({}, { cpu: '1' }).overhead({ cpu: '250m', memory: '64Mi' }).obj(), want: { cpu: 1250 } },
    { name: 'pod-level limits replace the aggregate', pod: makePod().podRes({ cpu: '1' }, { cpu: '4', memory: '2Gi' }).req({}, { cpu: '1' }).obj(), want: { cpu: 4000, memory: 2 * Gi } },
    { name: 'pod-level requests alone keep the containers\' limits', pod: makePod().podRes({ cpu: '1' }).req({}, { cpu: '1' }).obj(), want: { cpu: 1000 } },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual(flat(computePodLimits(c.pod)), c.want);
    });
  }
});
