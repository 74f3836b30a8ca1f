// Plugin args that are not the right shape are refused with the field path and what was
// expected (upstream's validation in pkg/scheduler/apis/config/validation/validation_pluginargs.go,
// plus ksim's checks of the YAML shape that Go's typed decoding does implicitly).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildCluster, fakeHandle } from '../../testing/builders.js';
import type { Framework } from '../framework/framework.js';
import type { FrameworkHandle } from '../framework/interfaces.js';
import { FieldError } from '../../api/field-error.js';
import { newNodeResourcesFit } from './node-resources-fit.js';
import { newNodeResourcesBalancedAllocation } from './balanced-allocation.js';
import { parseShape } from './requested-to-capacity-ratio.js';
import { newNodeAffinity } from './node-affinity.js';
import { newInterPodAffinity } from './inter-pod-affinity/plugin.js';
import { newDefaultPreemption } from './default-preemption/plugin.js';
import { newOpenGpuShare } from './gpu-share/open-gpu-share.js';

const handle: FrameworkHandle = { ...fakeHandle(buildCluster([])), framework: null as unknown as Framework };

/** The FieldError `make` throws, as [path, expected, got]. */
function refusal(make: () => unknown): [string, string, string | undefined] {
  try {
    make();
  } catch (e) {
    if (e instanceof FieldError) return [e.path, e.expected, e.got];
    throw e;
  }
  assert.fail('no error');
}

test('NodeResourcesFit args: the shape of the object, its lists and its scoring strategy', () => {
  const cases: [unknown, [string, string, string | undefined]][] = [
    [[], ['', 'an object', undefined]],
    [{ ignoredResources: 'example.com/x' }, ['ignoredResources', 'a list of strings', undefined]],
    [{ ignoredResourceGroups: ['example.com', 5] }, ['ignoredResourceGroups', 'a list of strings', undefined]],
    [{ scoringStrategy: [] }, ['scoringStrategy', 'an object', undefined]],
    [{ scoringStrategy: {} }, ['scoringStrategy.type', 'one of LeastAllocated, MostAllocated, RequestedToCapacityRatio', 'nothing']],
    [{ scoringStrategy: { type: 'Fair' } }, ['scoringStrategy.type', 'one of LeastAllocated, MostAllocated, RequestedToCapacityRatio', '"Fair"']],
    [{ scoringStrategy: { type: 'MostAllocated', requestedToCapacityRatio: [] } }, ['scoringStrategy.requestedToCapacityRatio', 'an object with a shape', undefined]],
    [{ scoringStrategy: { type: 'RequestedToCapacityRatio' } }, ['scoringStrategy.requestedToCapacityRatio.shape', 'a shape of at least one point (upstream: "at least one point must be specified")', undefined]],
  ];
  for (const [args, want] of cases) assert.deepEqual(refusal(() => newNodeResourcesFit(args)), want, JSON.stringify(args));
});

test('RequestedToCapacityRatio shapes: points are objects with integer utilization and score', () => {
  assert.deepEqual(refusal(() => parseShape(null, 's')), ['s', 'a shape of at least one point (upstream: "at least one point must be specified")', 'null']);
  assert.deepEqual(refusal(() => parseShape(undefined, 's')), ['s', 'a shape of at least one point (upstream: "at least one point must be specified")', undefined]);
  assert.deepEqual(refusal(() => parseShape([5], 's')), ['s[0]', 'an object with utilization and score', undefined]);
  assert.deepEqual(refusal(() => parseShape([null], 's')), ['s[0]', 'an object with utilization and score', undefined]);
  assert.deepEqual(refusal(() => parseShape([{ utilization: 1.5, score: 1 }], 's')), ['s[0].utilization', 'an integer in [0, 100]', '1.5']);
  assert.deepEqual(refusal(() => parseShape([{ utilization: 10, score: 2.5 }], 's')), ['s[0].score', 'an integer in [0, 10]', '2.5']);
  assert.deepEqual(parseShape([{ utilization: 10 }, { utilization: 90, score: 10 }], 's'), [{ utilization: 10, score: 0 }, { utilization: 90, score: 10 }]);
});

test('NodeAffinity addedAffinity preferred terms: objects with an integer weight; weight 0 or an empty preference dropped', () => {
  const preferred = (terms: unknown) => newNodeAffinity({ addedAffinity: { preferredDuringSchedulingIgnoredDuringExecution: terms } });
  const path = 'addedAffinity.preferredDuringSchedulingIgnoredDuringExecution';
  assert.deepEqual(refusal(() => preferred(5)), [path, 'a list of preferred scheduling terms', '5']);
  assert.deepEqual(refusal(() => preferred([5])), [`${path}[0]`, 'a preferred scheduling term (weight and preference)', '5']);
  assert.deepEqual(refusal(() => preferred([{ weight: 1.5, preference: {} }])), [`${path}[0].weight`, 'an integer weight', '1.5']);
  assert.deepEqual(refusal(() => preferred([{ weight: 1, preference: 'x' }])), [`${path}[0].preference`, 'a node selector term', '"x"']);
  // Dropped, not refused: weight 0 with a bad term, and an empty preference.
  assert.doesNotThrow(() => preferred([{ weight: 0, preference: { matchExpressions: [{ key: 'k', operator: 'Bogus' }] } }, { weight: 3, preference: {} }]));
  assert.deepEqual(refusal(() => newNodeAffinity([])), ['', 'NodeAffinityArgs (an object with addedAffinity)', '[]']);
});

test('InterPodAffinity, DefaultPreemption and the GPU plugins refuse args that are not a mapping', () => {
  assert.deepEqual(refusal(() => newInterPodAffinity([], handle)), ['', 'InterPodAffinityArgs (an object with hardPodAffinityWeight, ignorePreferredTermsOfExistingPods)', '[]']);
  assert.deepEqual(refusal(() => newDefaultPreemption([], handle)).slice(0, 2), ['', 'DefaultPreemptionArgs (a mapping)']);
  assert.deepEqual(refusal(() => newDefaultPreemption({ minCandidateNodesAbsolute: 2 ** 31 }, handle)).slice(0, 2), ['minCandidateNodesAbsolute', 'a 32-bit integer']);
  assert.doesNotThrow(() => newDefaultPreemption({ minCandidateNodesAbsolute: 2 ** 31 - 1 }, handle));
  const gpu = (args: unknown) => refusal(() => newOpenGpuShare(args, handle));
  const resource = 'an extended resource name such as alibaba.com/gpu-milli';
  assert.deepEqual(gpu([]), ['', 'an object', undefined]);
  assert.deepEqual(gpu({ resource: 'gpu-milli' }), ['resource', resource, '"gpu-milli"']);
  assert.deepEqual(gpu({ resource: 5 }), ['resource', resource, '5']);
  assert.deepEqual(gpu({ resource: 'example.com/bad name' }), ['resource', resource, '"example.com/bad name"']);
  assert.deepEqual(gpu({ modelLabel: 5 }), ['modelLabel', 'a label key such as alibaba.com/gpu-model', '5']);
  assert.deepEqual(gpu({ modelLabel: 'bad key' }), ['modelLabel', 'a label key such as alibaba.com/gpu-model', '"bad key"']);
});

test('unknown fields in plugin args are refused at their path, naming the fields and the nearest (upstream decodes args strictly); apiVersion and kind of typed args are fine', () => {
  const fields = (list: string) => `one of the fields ${list}`;
  const cases: [() => unknown, [string, string, string | undefined]][] = [
    [() => newNodeResourcesFit({ scoringStrategy: { type: 'MostAllocated', resource: [{ name: 'cpu', weight: 5 }] } }), ['scoringStrategy.resource', fields('type, resources, requestedToCapacityRatio'), 'unknown field "resource" (did you mean "resources"?)']],
    [() => newNodeResourcesFit({ scoringStrategy: { type: 'MostAllocated', resources: [{ name: 'cpu', wieght: 5 }] } }), ['scoringStrategy.resources[0].wieght', fields('name, weight'), 'unknown field "wieght" (did you mean "weight"?)']],
    [() => newNodeResourcesFit({ ignoredResource: ['example.com/x'] }), ['ignoredResource', fields('ignoredResources, ignoredResourceGroups, scoringStrategy'), 'unknown field "ignoredResource" (did you mean "ignoredResources"?)']],
    [() => newNodeResourcesFit({ scoringStrategy: { type: 'RequestedToCapacityRatio', requestedToCapacityRatio: { shapes: [] } } }), ['scoringStrategy.requestedToCapacityRatio.shapes', fields('shape'), 'unknown field "shapes" (did you mean "shape"?)']],
    [() => newNodeResourcesFit({ scoringStrategy: { type: 'RequestedToCapacityRatio', requestedToCapacityRatio: { shape: [{ utilisation: 0, score: 10 }] } } }), ['scoringStrategy.requestedToCapacityRatio.shape[0].utilisation', fields('utilization, score'), 'unknown field "utilisation" (did you mean "utilization"?)']],
    [() => newNodeResourcesBalancedAllocation({ resource: [{ name: 'cpu', weight: 1 }] }), ['resource', fields('resources'), 'unknown field "resource" (did you mean "resources"?)']],
    [() => newInterPodAffinity({ hardPodAffinityWeigth: 5 }, handle), ['hardPodAffinityWeigth', fields('hardPodAffinityWeight, ignorePreferredTermsOfExistingPods'), 'unknown field "hardPodAffinityWeigth" (did you mean "hardPodAffinityWeight"?)']],
    [() => newNodeAffinity({ addedAfinity: {} }), ['addedAfinity', fields('addedAffinity'), 'unknown field "addedAfinity" (did you mean "addedAffinity"?)']],
  ];
  for (const [make, want] of cases) assert.deepEqual(refusal(make), want);
  newNodeResourcesFit({ apiVersion: 'kubescheduler.config.k8s.io/v1', kind: 'NodeResourcesFitArgs', scoringStrategy: { type: 'MostAllocated' } });
  newNodeResourcesBalancedAllocation({ kind: 'NodeResourcesBalancedAllocationArgs', resources: [{ name: 'cpu', weight: 1 }] });
});
