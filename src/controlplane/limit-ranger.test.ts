import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Container, Pod, PodSpec } from 'kubernetes-types/core/v1.js';
import type { WorkloadObject } from '../cluster/workload-object.js';
import {
  defaultContainerRequirements,
  defaultedLimitRangeItem,
  invalidRequests,
  mutateContainers,
  validatePodLimits,
  type LimitRangeItem,
} from './limit-ranger.js';

/** Resource lists as the tests write them (quantity strings). */
type ResourceList = Record<string, string>;

// Upstream plugin/pkg/admission/limitranger/admission_test.go: its helpers, tables and
// expectations, for cpu, memory and ephemeral-storage.

/** getComputeResourceList: cpu and memory, "" leaving one out. */
function compute(cpu: string, memory: string): ResourceList {
  const out: ResourceList = {};
  if (cpu !== '') out['cpu'] = cpu;
  if (memory !== '') out['memory'] = memory;
  return out;
}

function storage(q: string): ResourceList {
  return q === '' ? {} : { 'ephemeral-storage': q };
}

interface Req {
  readonly requests: ResourceList;
  readonly limits: ResourceList;
}

const rr = (requests: ResourceList, limits: ResourceList): Req => ({ requests, limits });

/** validPod: `n` containers foo-0 ... with the same resources. */
function validPod(name: string, n: number, r: Req): Pod {
  const containers: Container[] = [];
  for (let i = 0; i < n; i++) containers.push({ name: `foo-${i}`, image: `foo:V${i}`, resources: { requests: { ...r.requests }, limits: { ...r.limits } } });
  return { metadata: { name, namespace: 'test' }, spec: { containers } };
}

/** validPodInit: init containers with these resources appended. */
function validPodInit(pod: Pod, ...rs: Req[]): Pod {
  const inits = rs.map((r, i): Container => ({ name: `foo-${i}`, image: `foo:V${i}`, resources: { requests: { ...r.requests }, limits: { ...r.limits } } }));
  return { ...pod, spec: { ...(pod.spec as PodSpec), initContainers: [...(pod.spec?.initContainers ?? []), ...inits] } };
}

/** withRestartableInitContainer: a sidecar appended. */
function withSidecar(requests: ResourceList, limits: ResourceList, pod: Pod): Pod {
  const inits = pod.spec?.initContainers ?? [];
  const c: Container = { name: `foo-${inits.length}`, image: `foo:V${inits.length}`, restartPolicy: 'Always', resources: { requests, limits } };
  return { ...pod, spec: { ...(pod.spec as PodSpec), initContainers: [...inits, c] } };
}

/** createLimitRange: one item, as the test builds it (not defaulted). */
function createLimitRange(type: string, min: ResourceList, max: ResourceList, dflt: ResourceList, dreq: ResourceList, ratio: ResourceList): WorkloadObject {
  const item: LimitRangeItem = { type, min, max, default: dflt, defaultRequest: dreq, maxLimitRequestRatio: ratio };
  return { apiVersion: 'v1', kind: 'LimitRange', metadata: { name: 'abc', namespace: 'test' }, spec: { limits: [item] } };
}

const NONE: ResourceList = {};

function validLimitRange(): LimitRangeItem[] {
  return [
    { type: 'Pod', max: compute('200m', '4Gi'), min: compute('50m', '2Mi') },
    { type: 'Container', max: compute('100m', '2Gi'), min: compute('25m', '1Mi'), default: compute('75m', '10Mi'), defaultRequest: compute('50m', '5Mi') },
  ];
}

/** PodMutateLimitFunc, then PodValidateLimitFunc, as the test runs them. */
function admit(range: WorkloadObject, pod: Pod): string | null {
  const spec = pod.spec as PodSpec;
  const items = (range.spec as { limits: LimitRangeItem[] }).limits;
  const m = mutateContainers(items, spec.containers, spec.initContainers);
  const mutated: PodSpec = { ...spec, containers: m.containers, ...(m.initContainers !== undefined ? { initContainers: m.initContainers } : {}) };
  return validatePodLimits(range, mutated);
}

describe('LimitRanger: defaults', () => {
  it('TestDefaultContainerResourceRequirements: the Container item gives requests and limits', () => {
    assert.deepEqual(defaultContainerRequirements(validLimitRange()), { requests: compute('50m', '5Mi'), limits: compute('75m', '10Mi') });
  });

  it('TestMergePodResourceRequirements: a pod with no resources gets each default, and the annotation says so', () => {
    const pod = validPod('empty-resources', 1, rr(NONE, NONE));
    const m = mutateContainers(validLimitRange(), pod.spec!.containers, undefined);
    assert.deepEqual(m.containers[0]?.resources, { requests: compute('50m', '5Mi'), limits: compute('75m', '10Mi') });
    assert.equal(m.annotation, 'LimitRanger plugin set: cpu, memory request for container foo-0; cpu, memory limit for container foo-0');
  });

  it('TestMergePodResourceRequirements: a pod with some resources enumerated only gets the missing ones (init containers too)', () => {
    const input = rr(compute('', '512Mi'), NONE);
    const pod = validPodInit(validPod('limit-memory', 1, input), input);
    const m = mutateContainers(validLimitRange(), pod.spec!.containers, pod.spec!.initContainers);
    const expected = { requests: { memory: '512Mi', cpu: '50m' }, limits: compute('75m', '10Mi') };
    assert.deepEqual(m.containers[0]?.resources, expected);
    assert.deepEqual(m.initContainers?.[0]?.resources, expected);
    assert.equal(m.annotation, 'LimitRanger plugin set: cpu request for container foo-0; cpu, memory limit for container foo-0; cpu request for init container foo-0; cpu, memory limit for init container foo-0');
  });

  it('TestMergePodResourceRequirements: a pod with all resources enumerated is not changed and not annotated', () => {
    const pod = validPodInit(validPod('limit-memory', 1, rr(compute('100m', '512Mi'), compute('200m', '1G'))), rr(compute('200m', '1G'), compute('400m', '2G')));
    const m = mutateContainers(validLimitRange(), pod.spec!.containers, pod.spec!.initContainers);
    assert.equal(m.containers, pod.spec!.containers);
    assert.equal(m.initContainers, pod.spec!.initContainers);
    assert.equal(m.annotation, null);
  });

  it('TestPodLimitFuncApplyDefault: containers and init containers without resources get 50m/5Mi requests and 75m/10Mi limits', () => {
    const pod = validPodInit(validPod('foo', 1, rr(NONE, NONE)), rr(NONE, NONE));
    const m = mutateContainers(validLimitRange(), pod.spec!.containers, pod.spec!.initContainers);
    for (const c of [...m.containers, ...(m.initContainers ?? [])]) assert.deepEqual(c.resources, { requests: compute('50m', '5Mi'), limits: compute('75m', '10Mi') });
  });

  it('a container with a limit requests it (API defaulting before admission): no default request is added for it', () => {
    const pod = validPod('limit-only', 1, rr(NONE, compute('1', '')));
    const m = mutateContainers(validLimitRange(), pod.spec!.containers, undefined);
    assert.deepEqual(m.containers[0]?.resources, { requests: { memory: '5Mi' }, limits: { cpu: '1', memory: '10Mi' } });
    assert.equal(m.annotation, 'LimitRanger plugin set: memory request for container foo-0; memory limit for container foo-0');
  });

  it('SetDefaults_LimitRangeItem (pkg/apis/core/v1 TestSetDefaultLimitRangeItem): default from max, defaultRequest from default, then from min', () => {
    const d = defaultedLimitRangeItem({ type: 'Container', max: { cpu: '100m' }, min: { memory: '100Mi' }, default: {}, defaultRequest: {} });
    assert.deepEqual(d.default, { cpu: '100m' });
    assert.deepEqual(d.defaultRequest, { cpu: '100m', memory: '100Mi' });
    // Given values are kept; other item types are not defaulted.
    assert.deepEqual(defaultedLimitRangeItem({ type: 'Container', max: { cpu: '2' }, default: { cpu: '1' }, defaultRequest: { cpu: '500m' }, min: { cpu: '100m' } }).defaultRequest, { cpu: '500m' });
    const pod = { type: 'Pod', max: { cpu: '2' } };
    assert.equal(defaultedLimitRangeItem(pod), pod);
  });
});

describe('LimitRanger: TestPodLimitFunc', () => {
  const C = 'Container';
  const P = 'Pod';
  const success: Array<[Pod, WorkloadObject]> = [
    [validPod('ctr-min-cpu-request', 1, rr(compute('100m', ''), NONE)), createLimitRange(C, compute('50m', ''), NONE, NONE, NONE, NONE)],
    [validPod('ctr-min-cpu-request-limit', 1, rr(compute('100m', ''), compute('200m', ''))), createLimitRange(C, compute('50m', ''), NONE, NONE, NONE, NONE)],
    [validPod('ctr-min-memory-request', 1, rr(compute('', '60Mi'), NONE)), createLimitRange(C, compute('', '50Mi'), NONE, NONE, NONE, NONE)],
    [validPod('ctr-min-memory-request-limit', 1, rr(compute('', '60Mi'), compute('', '100Mi'))), createLimitRange(C, compute('', '50Mi'), NONE, NONE, NONE, NONE)],
    [validPod('ctr-max-cpu-request-limit', 1, rr(compute('500m', ''), compute('1', ''))), createLimitRange(C, NONE, compute('2', ''), NONE, NONE, NONE)],
    [validPod('ctr-max-cpu-limit', 1, rr(NONE, compute('1', ''))), createLimitRange(C, NONE, compute('2', ''), NONE, NONE, NONE)],
    [validPod('ctr-max-mem-request-limit', 1, rr(compute('', '250Mi'), compute('', '500Mi'))), createLimitRange(C, NONE, compute('', '1Gi'), NONE, NONE, NONE)],
    [validPod('ctr-max-cpu-ratio', 1, rr(compute('500m', ''), compute('750m', ''))), createLimitRange(C, NONE, NONE, NONE, NONE, compute('1.5', ''))],
    [validPod('ctr-max-mem-limit', 1, rr(NONE, compute('', '500Mi'))), createLimitRange(C, NONE, compute('', '1Gi'), NONE, NONE, NONE)],
    [validPod('pod-min-cpu-request', 2, rr(compute('75m', ''), NONE)), createLimitRange(P, compute('100m', ''), NONE, NONE, NONE, NONE)],
    [validPod('pod-min-cpu-request-limit', 2, rr(compute('75m', ''), compute('200m', ''))), createLimitRange(P, compute('100m', ''), NONE, NONE, NONE, NONE)],
    [validPod('pod-min-memory-request', 2, rr(compute('', '60Mi'), NONE)), createLimitRange(P, compute('', '100Mi'), NONE, NONE, NONE, NONE)],
    [validPod('pod-min-memory-request-limit', 2, rr(compute('', '60Mi'), compute('', '100Mi'))), createLimitRange(P, compute('', '100Mi'), NONE, NONE, NONE, NONE)],
    [validPodInit(validPod('pod-init-min-memory-request', 2, rr(compute('', '60Mi'), NONE)), rr(compute('', '100Mi'), NONE)), createLimitRange(P, compute('', '100Mi'), NONE, NONE, NONE, NONE)],
    [validPodInit(validPod('pod-init-min-memory-request-limit', 2, rr(compute('', '60Mi'), compute('', '100Mi'))), rr(compute('', '80Mi'), compute('', '100Mi'))), createLimitRange(P, compute('', '100Mi'), NONE, NONE, NONE, NONE)],
    [validPod('pod-max-cpu-request-limit', 2, rr(compute('500m', ''), compute('1', ''))), createLimitRange(P, NONE, compute('2', ''), NONE, NONE, NONE)],
    [validPod('pod-max-cpu-limit', 2, rr(NONE, compute('1', ''))), createLimitRange(P, NONE, compute('2', ''), NONE, NONE, NONE)],
    [validPodInit(validPod('pod-init-max-cpu-request-limit', 2, rr(compute('500m', ''), compute('1', ''))), rr(compute('1', ''), compute('2', '')), rr(compute('1', ''), compute('1', ''))), createLimitRange(P, NONE, compute('2', ''), NONE, NONE, NONE)],
    [validPodInit(validPod('pod-init-max-cpu-limit', 2, rr(NONE, compute('1', ''))), rr(NONE, compute('2', '')), rr(NONE, compute('2', ''))), createLimitRange(P, NONE, compute('2', ''), NONE, NONE, NONE)],
    [validPod('pod-max-mem-request-limit', 2, rr(compute('', '250Mi'), compute('', '500Mi'))), createLimitRange(P, NONE, compute('', '1Gi'), NONE, NONE, NONE)],
    [validPod('pod-max-mem-limit', 2, rr(NONE, compute('', '500Mi'))), createLimitRange(P, NONE, compute('', '1Gi'), NONE, NONE, NONE)],
    [validPod('pod-max-mem-ratio', 3, rr(compute('', '300Mi'), compute('', '450Mi'))), createLimitRange(P, NONE, compute('', '2Gi'), NONE, NONE, compute('', '1.5'))],
    [validPod('ctr-1-min-local-ephemeral-storage-request', 1, rr(storage('60Mi'), NONE)), createLimitRange(C, storage('50Mi'), NONE, NONE, NONE, NONE)],
    [validPod('ctr-1-max-local-ephemeral-storage-limit', 1, rr(NONE, storage('500Mi'))), createLimitRange(C, NONE, storage('1Gi'), NONE, NONE, NONE)],
    [validPod('pod-max-local-ephemeral-storage-ratio', 3, rr(storage('300Mi'), storage('450Mi'))), createLimitRange(P, NONE, storage('2Gi'), NONE, NONE, storage('1.5'))],
  ];
  for (const [pod, range] of success) {
    it(`admits ${pod.metadata!.name}`, () => assert.equal(admit(range, pod), null));
  }

  const errors: Array<[Pod, WorkloadObject, string]> = [
    [validPod('ctr-min-cpu-request', 1, rr(compute('40m', ''), NONE)), createLimitRange(C, compute('50m', ''), NONE, NONE, NONE, NONE), 'minimum cpu usage per Container is 50m, but request is 40m'],
    [validPod('ctr-min-cpu-request-limit', 1, rr(compute('40m', ''), compute('200m', ''))), createLimitRange(C, compute('50m', ''), NONE, NONE, NONE, NONE), 'minimum cpu usage per Container is 50m, but request is 40m'],
    [validPod('ctr-min-cpu-no-request-limit', 1, rr(NONE, NONE)), createLimitRange(C, compute('50m', ''), NONE, NONE, NONE, NONE), 'minimum cpu usage per Container is 50m.  No request is specified'],
    [validPod('ctr-min-memory-request', 1, rr(compute('', '40Mi'), NONE)), createLimitRange(C, compute('', '50Mi'), NONE, NONE, NONE, NONE), 'minimum memory usage per Container is 50Mi, but request is 40Mi'],
    [validPod('ctr-min-memory-request-limit', 1, rr(compute('', '40Mi'), compute('', '100Mi'))), createLimitRange(C, compute('', '50Mi'), NONE, NONE, NONE, NONE), 'minimum memory usage per Container is 50Mi, but request is 40Mi'],
    [validPod('ctr-min-memory-no-request-limit', 1, rr(NONE, NONE)), createLimitRange(C, compute('', '50Mi'), NONE, NONE, NONE, NONE), 'minimum memory usage per Container is 50Mi.  No request is specified'],
    [validPod('ctr-max-cpu-request-limit', 1, rr(compute('500m', ''), compute('2500m', ''))), createLimitRange(C, NONE, compute('2', ''), NONE, NONE, NONE), 'maximum cpu usage per Container is 2, but limit is 2500m'],
    [validPod('ctr-max-cpu-limit', 1, rr(NONE, compute('2500m', ''))), createLimitRange(C, NONE, compute('2', ''), NONE, NONE, NONE), 'maximum cpu usage per Container is 2, but limit is 2500m'],
    [validPod('ctr-max-cpu-no-request-limit', 1, rr(NONE, NONE)), createLimitRange(C, NONE, compute('2', ''), NONE, NONE, NONE), 'maximum cpu usage per Container is 2.  No limit is specified'],
    [validPod('ctr-max-cpu-ratio', 1, rr(compute('1250m', ''), compute('2500m', ''))), createLimitRange(C, NONE, NONE, NONE, NONE, compute('1', '')), 'cpu max limit to request ratio per Container is 1, but provided ratio is 2.000000'],
    [validPod('ctr-max-mem-request-limit', 1, rr(compute('', '250Mi'), compute('', '2Gi'))), createLimitRange(C, NONE, compute('', '1Gi'), NONE, NONE, NONE), 'maximum memory usage per Container is 1Gi, but limit is 2Gi'],
    [validPod('ctr-max-mem-limit', 1, rr(NONE, compute('', '2Gi'))), createLimitRange(C, NONE, compute('', '1Gi'), NONE, NONE, NONE), 'maximum memory usage per Container is 1Gi, but limit is 2Gi'],
    [validPod('ctr-max-mem-no-request-limit', 1, rr(NONE, NONE)), createLimitRange(C, NONE, compute('', '1Gi'), NONE, NONE, NONE), 'maximum memory usage per Container is 1Gi.  No limit is specified'],
    [validPod('pod-min-cpu-request', 1, rr(compute('75m', ''), NONE)), createLimitRange(P, compute('100m', ''), NONE, NONE, NONE, NONE), 'minimum cpu usage per Pod is 100m, but request is 75m'],
    [validPod('pod-min-cpu-request-limit', 1, rr(compute('75m', ''), compute('200m', ''))), createLimitRange(P, compute('100m', ''), NONE, NONE, NONE, NONE), 'minimum cpu usage per Pod is 100m, but request is 75m'],
    [validPod('pod-min-memory-request', 1, rr(compute('', '60Mi'), NONE)), createLimitRange(P, compute('', '100Mi'), NONE, NONE, NONE, NONE), 'minimum memory usage per Pod is 100Mi, but request is 60Mi'],
    [validPod('pod-min-memory-request-limit', 1, rr(compute('', '60Mi'), compute('', '100Mi'))), createLimitRange(P, compute('', '100Mi'), NONE, NONE, NONE, NONE), 'minimum memory usage per Pod is 100Mi, but request is 60Mi'],
    [validPod('pod-max-cpu-request-limit', 3, rr(compute('500m', ''), compute('1', ''))), createLimitRange(P, NONE, compute('2', ''), NONE, NONE, NONE), 'maximum cpu usage per Pod is 2, but limit is 3'],
    [validPod('pod-max-cpu-limit', 3, rr(NONE, compute('1', ''))), createLimitRange(P, NONE, compute('2', ''), NONE, NONE, NONE), 'maximum cpu usage per Pod is 2, but limit is 3'],
    [validPod('pod-max-mem-request-limit', 3, rr(compute('', '250Mi'), compute('', '500Mi'))), createLimitRange(P, NONE, compute('', '1Gi'), NONE, NONE, NONE), 'maximum memory usage per Pod is 1Gi, but limit is 1500Mi'],
    [validPod('pod-max-mem-limit', 3, rr(NONE, compute('', '500Mi'))), createLimitRange(P, NONE, compute('', '1Gi'), NONE, NONE, NONE), 'maximum memory usage per Pod is 1Gi, but limit is 1500Mi'],
    [validPodInit(validPod('pod-init-max-mem-limit', 1, rr(NONE, compute('', '500Mi'))), rr(NONE, compute('', '1.5Gi'))), createLimitRange(P, NONE, compute('', '1Gi'), NONE, NONE, NONE), 'maximum memory usage per Pod is 1Gi, but limit is 1536Mi'],
    [validPod('pod-max-mem-ratio', 3, rr(compute('', '250Mi'), compute('', '500Mi'))), createLimitRange(P, NONE, compute('', '2Gi'), NONE, NONE, compute('', '1.5')), 'memory max limit to request ratio per Pod is 1500m, but provided ratio is 2.000000'],
    [validPod('ctr-1-min-local-ephemeral-storage-no-request-limit', 1, rr(NONE, NONE)), createLimitRange(C, storage('50Mi'), NONE, NONE, NONE, NONE), 'minimum ephemeral-storage usage per Container is 50Mi.  No request is specified'],
    [validPod('ctr-2-max-local-ephemeral-storage-limit', 2, rr(NONE, storage('2Gi'))), createLimitRange(C, NONE, storage('1Gi'), NONE, NONE, NONE), 'maximum ephemeral-storage usage per Container is 1Gi, but limit is 2Gi'],
    [validPodInit(validPod('pod-init-max-local-ephemeral-storage-limit', 1, rr(NONE, storage('500Mi'))), rr(NONE, storage('1.5Gi'))), createLimitRange(P, NONE, storage('1Gi'), NONE, NONE, NONE), 'maximum ephemeral-storage usage per Pod is 1Gi, but limit is 1536Mi'],
    [withSidecar(compute('1500m', ''), NONE, validPod('ctr-max-cpu-limit-restartable-init-container', 1, rr(compute('1000m', ''), compute('1500m', '')))), createLimitRange(P, NONE, compute('2', ''), NONE, NONE, NONE), 'maximum cpu usage per Pod is 2, but request is 2500m'],
  ];
  for (const [pod, range, reason] of errors) {
    it(`refuses ${pod.metadata!.name}: ${reason}`, () => assert.equal(admit(range, pod), reason));
  }
});

describe('LimitRanger: messages and the API validation after mutation', () => {
  it('several violations of one LimitRange are one message in brackets, each once', () => {
    const range = createLimitRange('Container', compute('50m', '50Mi'), NONE, NONE, NONE, NONE);
    assert.equal(admit(range, validPod('two', 2, rr(compute('40m', '40Mi'), NONE))), '[minimum cpu usage per Container is 50m, but request is 40m, minimum memory usage per Container is 50Mi, but request is 40Mi]');
  });

  it('pod-level resources replace the containers\' aggregate for a Pod item (PodLevelResources)', () => {
    const range = createLimitRange('Pod', NONE, compute('2', ''), NONE, NONE, NONE);
    const pod = validPod('pod-level', 3, rr(compute('1', ''), NONE));
    assert.equal(admit(range, pod), 'maximum cpu usage per Pod is 2.  No limit is specified');
    const withPodLevel = { ...pod, spec: { ...(pod.spec as PodSpec), resources: { requests: { cpu: '1500m' }, limits: { cpu: '2' } } } } as Pod;
    assert.equal(admit(range, withPodLevel), null);
  });

  it('a request above the default limit merged into its container makes the pod invalid, as the API server says', () => {
    const items = [defaultedLimitRangeItem({ type: 'Container', default: { cpu: '1' } })];
    const pod = validPod('big', 1, rr(compute('2', ''), NONE));
    const m = mutateContainers(items, pod.spec!.containers, undefined);
    assert.equal(invalidRequests('big', { containers: m.containers }), 'Pod "big" is invalid: spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1');
    assert.equal(invalidRequests('ok', { containers: mutateContainers(items, validPod('ok', 1, rr(NONE, NONE)).spec!.containers, undefined).containers }), null);
  });
});
