import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { InputError } from '../api/input-error.js';
import { parseScenario } from './scenario.js';

/** A scenario whose one workload is a Pod with the given spec (flow-style YAML). */
function scenarioWith(spec: string): string {
  return [
    'apiVersion: ksim/v1alpha1',
    'kind: Scenario',
    'duration: 10m',
    'cluster:',
    '  nodePools: [{ name: general, count: 1, allocatable: { cpu: "4", memory: 16Gi } }]',
    'workload:',
    '  - name: app',
    '    manifest:',
    '      apiVersion: v1',
    '      kind: Pod',
    '      metadata: { name: p }',
    `      spec: ${spec}`,
    '',
  ].join('\n');
}

/** The InputError message for the spec, or 'ok' when the scenario is accepted. */
function verdict(spec: string): string {
  try {
    parseScenario(scenarioWith(spec), '/virtual/s.yaml');
    return 'ok';
  } catch (e) {
    if (e instanceof InputError) return e.message.replace(/^.*?s\.yaml:/, '');
    throw e;
  }
}

describe('spec.resources: validated as the API server does (validatePodResources)', () => {
  // Upstream pkg/apis/core/validation/validation.go validatePodResources /
  // validatePodResourceConsistency and its validation_test.go pod-level cases; messages are ksim's
  // (file:line:col, field path, expected, got), each naming upstream's wording in brackets.
  const C = '{ name: c, image: nginx';
  const cases: Array<{ name: string; spec: string; want: string }> = [
    { name: 'pod-level cpu and memory with request-less containers are accepted', spec: `{ resources: { requests: { cpu: "8", memory: 1Gi }, limits: { cpu: "8" } }, containers: [${C} }] }`, want: 'ok' },
    { name: 'a pod-level request equal to the containers\' aggregate is accepted', spec: `{ resources: { requests: { cpu: "2" } }, containers: [${C}, resources: { requests: { cpu: "1" } } }, { name: d, image: x, resources: { requests: { cpu: "1" } } }] }`, want: 'ok' },
    { name: 'a container naming a resource the pod level leaves out is accepted', spec: `{ resources: { requests: { cpu: "1" } }, containers: [${C}, resources: { requests: { memory: 1Gi, nvidia.com/gpu: "1" }, limits: { nvidia.com/gpu: "1" } } }] }`, want: 'ok' },
    { name: 'hugepages with memory at pod level are accepted', spec: `{ resources: { requests: { memory: 1Gi, hugepages-2Mi: 4Mi }, limits: { hugepages-2Mi: 4Mi } }, containers: [${C} }] }`, want: 'ok' },
    {
      name: 'an extended resource at pod level is refused',
      spec: `{ resources: { requests: { nvidia.com/gpu: "1" } }, containers: [${C} }] }`,
      want: '12:40: workload[0].manifest.spec.resources.requests.nvidia.com/gpu: expected a pod-level resource: cpu, memory or hugepages-<page size> (upstream: supported values: "cpu", "hugepages-", "memory"), got "nvidia.com/gpu"',
    },
    {
      name: 'ephemeral-storage at pod level is refused',
      spec: `{ resources: { limits: { ephemeral-storage: 1Gi } }, containers: [${C} }] }`,
      want: '12:38: workload[0].manifest.spec.resources.limits.ephemeral-storage: expected a pod-level resource: cpu, memory or hugepages-<page size> (upstream: supported values: "cpu", "hugepages-", "memory"), got "ephemeral-storage"',
    },
    {
      name: 'claims at pod level are refused',
      spec: `{ resources: { claims: [{ name: x }] }, containers: [${C} }] }`,
      want: '12:36: workload[0].manifest.spec.resources.claims: expected no claims (claims cannot be set for Resources at pod-level)',
    },
    {
      name: 'a pod-level request above its limit is refused',
      spec: `{ resources: { requests: { cpu: "2" }, limits: { cpu: "1" } }, containers: [${C} }] }`,
      want: '12:45: workload[0].manifest.spec.resources.requests.cpu: expected a request no larger than the cpu limit of 1, got 2',
    },
    {
      name: 'a negative pod-level quantity is refused',
      spec: `{ resources: { requests: { memory: "-1Gi" } }, containers: [${C} }] }`,
      want: '12:48: workload[0].manifest.spec.resources.requests.memory: expected a non-negative quantity, got "-1Gi"',
    },
    {
      name: 'a pod-level request below the containers\' aggregate is refused',
      spec: `{ resources: { requests: { cpu: "1" } }, containers: [${C}, resources: { requests: { cpu: "1" } } }, { name: d, image: x, resources: { requests: { cpu: 500m } } }] }`,
      want: '12:45: workload[0].manifest.spec.resources.requests.cpu: expected a pod-level request of at least the containers\' aggregate request of 1500m (must be greater than or equal to aggregate container requests), got 1',
    },
    {
      name: 'the aggregate counts a sidecar and the largest init step',
      spec: `{ resources: { requests: { memory: 1Gi } }, initContainers: [{ name: i, image: x, resources: { requests: { memory: 2Gi } } }], containers: [${C} }] }`,
      want: '12:48: workload[0].manifest.spec.resources.requests.memory: expected a pod-level request of at least the containers\' aggregate request of 2Gi (must be greater than or equal to aggregate container requests), got 1Gi',
    },
    {
      name: 'a container limit above the pod-level limit is refused',
      spec: `{ resources: { limits: { cpu: "1" } }, containers: [${C}, resources: { limits: { cpu: "2" } } }] }`,
      want: '12:118: workload[0].manifest.spec.containers[0].resources.limits.cpu: expected a container limit no larger than the pod-level cpu limit of 1 (must be less than or equal to pod limits), got 2',
    },
    {
      name: 'a hugepages request without a limit is refused',
      spec: `{ resources: { requests: { memory: 1Gi, hugepages-2Mi: 4Mi } }, containers: [${C} }] }`,
      want: '12:26: workload[0].manifest.spec.resources.limits: expected a hugepages-2Mi limit (Limit must be set for non overcommitable resources)',
    },
    {
      name: 'hugepages alone at pod level are refused',
      spec: `{ resources: { requests: { hugepages-2Mi: 4Mi }, limits: { hugepages-2Mi: 4Mi } }, containers: [${C} }] }`,
      want: '12:26: workload[0].manifest.spec.resources: expected cpu or memory alongside hugepages (HugePages require cpu or memory)',
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.equal(verdict(c.spec), c.want);
    });
  }
});
