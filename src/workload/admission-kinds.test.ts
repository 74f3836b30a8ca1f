// Validation and defaulting of the LimitRange, RuntimeClass and HorizontalPodAutoscaler
// manifests a scenario carries: exact messages (file:line:col: field path: expected ..., got ...)
// and the objects as stored.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseScenario } from './scenario.js';

function scenario(manifest: string): string {
  return `apiVersion: ksim/v1alpha1
kind: Scenario
duration: 10m
cluster:
  nodePools: [{ name: n, count: 1, allocatable: { cpu: "4", memory: 16Gi } }]
workload:
  - name: w
    manifest: ${manifest}
`;
}

const LR = (limits: string) => `{ apiVersion: v1, kind: LimitRange, metadata: { name: l }, spec: { limits: ${limits} } }`;
const RC = (fields: string) => `{ apiVersion: node.k8s.io/v1, kind: RuntimeClass, metadata: { name: r }, ${fields} }`;
const HPA = (spec: string, apiVersion = 'autoscaling/v2') => `{ apiVersion: ${apiVersion}, kind: HorizontalPodAutoscaler, metadata: { name: h }, spec: ${spec} }`;
const REF = 'scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: web }';

const CASES: [string, string, string][] = [
  ['a LimitRange needs spec.limits', `{ apiVersion: v1, kind: LimitRange, metadata: { name: l }, spec: {} }`,
    'k.yaml:8:80: workload[0].manifest.spec.limits: expected a list of limit range items ({type, max, min, default, defaultRequest, maxLimitRequestRatio}), got nothing'],
  ['a limit type appears once', LR('[{ type: Container, max: { cpu: "1" } }, { type: Container, min: { cpu: 1m } }]'),
    'k.yaml:8:139: workload[0].manifest.spec.limits[1].type: expected a type no earlier item has (Duplicate value), got "Container"'],
  ['a Pod item has no default', LR('[{ type: Pod, default: { cpu: "1" } }]'),
    `k.yaml:8:113: workload[0].manifest.spec.limits[0].default: expected no default (it may not be specified when type is 'Pod')`],
  ['a Container item names container resources', LR('[{ type: Container, max: { cpus: "1" } }]'),
    'k.yaml:8:117: workload[0].manifest.spec.limits[0].max.cpus: expected a resource for containers: cpu, memory, ephemeral-storage, hugepages-<size> or an extended resource with a domain, got "cpus"'],
  ['a quantity is a quantity', LR('[{ type: Container, max: { memory: 1GB } }]'),
    'k.yaml:8:125: workload[0].manifest.spec.limits[0].max.memory: expected a Kubernetes quantity such as 100m, 1.5, 2Gi, 1e3, got "1GB"'],
  ['the defaultRequest is checked against the default the max gave', LR('[{ type: Container, max: { cpu: "1" }, defaultRequest: { cpu: "2" } }]'),
    'k.yaml:8:152: workload[0].manifest.spec.limits[0].defaultRequest.cpu: expected a default request no greater than the max 1 (default request value 2 is greater than max value 1), got "2"'],
  ['a default request above the default limit (checked before the min against the default, as upstream)', LR('[{ type: Container, min: { memory: 1Gi }, default: { memory: 512Mi }, defaultRequest: { memory: 1Gi } }]'),
    'k.yaml:8:186: workload[0].manifest.spec.limits[0].defaultRequest.memory: expected a default request no greater than the default limit 512Mi (default request value 1Gi is greater than default limit value 512Mi), got "1Gi"'],
  ['a default below the min: the default request it gives is checked first, at its path (upstream\'s order)', LR('[{ type: Container, min: { memory: 1Gi }, default: { memory: 512Mi } }]'),
    'k.yaml:8:91: workload[0].manifest.spec.limits[0].defaultRequest.memory: expected a default request no less than the min 1Gi (min value 1Gi is greater than default request value 512Mi; defaultRequest.memory is not set: the API server defaults it from default.memory), got "512Mi"'],
  ['a ratio is at least 1', LR('[{ type: Container, maxLimitRequestRatio: { cpu: 500m } }]'),
    'k.yaml:8:139: workload[0].manifest.spec.limits[0].maxLimitRequestRatio.cpu: expected a ratio of at least 1 (ratio 500m is less than 1), got "500m"'],
  ['a GPU default and default request are equal', LR('[{ type: Container, default: { nvidia.com/gpu: "2" }, defaultRequest: { nvidia.com/gpu: "1" } }]'),
    'k.yaml:8:178: workload[0].manifest.spec.limits[0].defaultRequest.nvidia.com/gpu: expected a default request equal to the default (default value 2 must equal to defaultRequest value 1 in nvidia.com/gpu), got "1"'],
  ['a RuntimeClass handler is a DNS label', RC('handler: Run_SC'),
    'k.yaml:8:97: workload[0].manifest.handler: expected a runtime handler name: a lowercase RFC 1123 label (e.g. runsc), got "Run_SC"'],
  ['a RuntimeClass node selector holds labels', RC('handler: runsc, scheduling: { nodeSelector: { sandbox: "g visor" } }'),
    'k.yaml:8:143: workload[0].manifest.scheduling.nodeSelector.sandbox: expected a label value: empty, or at most 63 characters (a-z, A-Z, 0-9, "-", "_", ".") that start and end with a letter or digit, got "g visor"'],
  ['a RuntimeClass toleration is a toleration', RC('handler: runsc, scheduling: { tolerations: [{ key: sandbox, operator: Is }] }'),
    'k.yaml:8:158: workload[0].manifest.scheduling.tolerations[0].operator: expected Exists or Equal, got "Is"'],
  ['an HPA names its target', HPA('{ scaleTargetRef: { apiVersion: apps/v1, kind: Deployment }, maxReplicas: 3 }'),
    `k.yaml:8:123: workload[0].manifest.spec.scaleTargetRef.name: expected the target's name (required), got nothing`],
  ['minReplicas is at least 1 (HPAScaleToZero is alpha)', HPA(`{ ${REF}, minReplicas: 0, maxReplicas: 3 }`),
    'k.yaml:8:190: workload[0].manifest.spec.minReplicas: expected an integer >= 1 (must be greater than or equal to 1), got 0'],
  ['a metric type is one of upstream\'s', HPA(`{ ${REF}, maxReplicas: 3, metrics: [{ type: Cpu }] }`),
    'k.yaml:8:211: workload[0].manifest.spec.metrics[0].type: expected one of Object, Pods, Resource, ContainerResource, External, got "Cpu"'],
  ['a v1 target CPU utilization is at least 1', HPA(`{ ${REF}, maxReplicas: 3, targetCPUUtilizationPercentage: 0 }`, 'autoscaling/v1'),
    'k.yaml:8:225: workload[0].manifest.spec.targetCPUUtilizationPercentage: expected an integer >= 1 (must be greater than or equal to 1), got 0'],
  ['an HPA of another version is refused', HPA(`{ ${REF}, maxReplicas: 3 }`, 'autoscaling/v2beta2'),
    'k.yaml:8:29: workload[0].manifest.apiVersion: expected autoscaling/v2 or autoscaling/v1, got "autoscaling/v2beta2"'],
];

for (const [name, manifest, message] of CASES) {
  test(name, () => {
    assert.throws(() => parseScenario(scenario(manifest), 'k.yaml'), (e: Error) => {
      assert.equal(e.message, message);
      return true;
    });
  });
}

/** The column of `needle`'s first occurrence in a manifest written on line 8 after "    manifest: ". */
function col(manifest: string, needle: string): number {
  const i = manifest.indexOf(needle);
  assert.ok(i >= 0, needle);
  return 15 + i;
}

const BEHAVIOR = (b: string) => HPA(`{ ${REF}, maxReplicas: 3, behavior: ${b} }`);
const METRIC = (m: string) => HPA(`{ ${REF}, maxReplicas: 3, metrics: [${m}] }`);
const CPU_TARGET = 'target: { type: Utilization, averageUtilization: 60 }';

// Upstream pkg/apis/autoscaling/validation validateBehavior (validateScalingRules,
// validateScalingPolicy) and validateMetrics (validateMetricSpec and each source's check,
// validateMetricTarget, validateMetricIdentifier). [name, manifest, the value the error points
// at, the rest of the message]
const HPA_CASES: [string, string, string, string][] = [
  ['a stabilization window is at most an hour', BEHAVIOR('{ scaleDown: { stabilizationWindowSeconds: 4000 } }'), '4000',
    'spec.behavior.scaleDown.stabilizationWindowSeconds: expected an integer from 0 to 3600 (must be less than or equal to 3600), got 4000'],
  ['a stabilization window is not negative', BEHAVIOR('{ scaleUp: { stabilizationWindowSeconds: -5 } }'), '-5',
    'spec.behavior.scaleUp.stabilizationWindowSeconds: expected an integer from 0 to 3600 (must be greater than or equal to zero), got -5'],
  ['a selectPolicy is Max, Min or Disabled', BEHAVIOR('{ scaleUp: { selectPolicy: Maximum } }'), 'Maximum',
    'spec.behavior.scaleUp.selectPolicy: expected Max, Min or Disabled, got "Maximum"'],
  ['an empty list of policies is refused (left out, they are defaulted)', BEHAVIOR('{ scaleDown: { policies: [] } }'), '[]',
    'spec.behavior.scaleDown.policies: expected at least one policy (must specify at least one Policy; leave policies out for the defaults)'],
  ['a policy type is Pods or Percent', BEHAVIOR('{ scaleUp: { policies: [{ type: Pod, value: 4, periodSeconds: 15 }] } }'), 'Pod,',
    'spec.behavior.scaleUp.policies[0].type: expected Pods or Percent, got "Pod"'],
  ['a policy value is greater than zero', BEHAVIOR('{ scaleUp: { policies: [{ type: Percent, value: 0, periodSeconds: 15 }] } }'), '0, period',
    'spec.behavior.scaleUp.policies[0].value: expected an integer > 0 (must be greater than zero), got 0'],
  ['a policy period is at most 1800 s', BEHAVIOR('{ scaleDown: { policies: [{ type: Pods, value: 1, periodSeconds: 1801 }] } }'), '1801',
    'spec.behavior.scaleDown.policies[0].periodSeconds: expected an integer from 1 to 1800 (must be less than or equal to 1800), got 1801'],
  ['a policy needs a period', BEHAVIOR('{ scaleDown: { policies: [{ type: Pods, value: 1 }] } }'), '{ type: Pods',
    'spec.behavior.scaleDown.policies[0].periodSeconds: expected an integer from 1 to 1800 (must be greater than zero), got nothing'],
  ['a tolerance is not negative', BEHAVIOR('{ scaleUp: { tolerance: "-0.05" } }'), '"-0.05"',
    'spec.behavior.scaleUp.tolerance: expected a non-negative quantity such as 0.05 or 50m (must be greater than or equal to 0), got "-0.05"'],
  ['a Resource metric needs its resource source', METRIC('{ type: Resource }'), '{ type: Resource',
    'spec.metrics[0].resource: expected a resource source for type Resource (must populate information for the given metric source)'],
  ['a metric holds only the source of its type', METRIC(`{ type: Resource, resource: { name: cpu, ${CPU_TARGET} }, pods: { metric: { name: rps }, target: { type: AverageValue, averageValue: "10" } } }`), '{ metric',
    'spec.metrics[0].pods: expected no pods source for type Resource (must populate the given metric source only), got a mapping'],
  ['a Resource metric names its resource', METRIC(`{ type: Resource, resource: { ${CPU_TARGET} } }`), '{ target',
    'spec.metrics[0].resource.name: expected a resource name such as cpu (must specify a resource name), got nothing'],
  ['a metric target type is Utilization, Value or AverageValue', METRIC('{ type: Resource, resource: { name: cpu, target: { type: Percent, averageUtilization: 60 } } }'), 'Percent',
    'spec.metrics[0].resource.target.type: expected Utilization, Value or AverageValue (must specify a metric target type), got "Percent"'],
  ['a target utilization is at least 1', METRIC('{ type: Resource, resource: { name: cpu, target: { type: Utilization, averageUtilization: 0 } } }'), '0 }',
    'spec.metrics[0].resource.target.averageUtilization: expected an integer >= 1 (must be greater than 0), got 0'],
  ['a target average value is positive', METRIC('{ type: Resource, resource: { name: memory, target: { type: AverageValue, averageValue: "0" } } }'), '"0"',
    'spec.metrics[0].resource.target.averageValue: expected a positive quantity (must be positive), got "0"'],
  ['a Resource target sets a utilization or an average value', METRIC('{ type: Resource, resource: { name: cpu, target: { type: Utilization } } }'), '{ type: Utilization',
    'spec.metrics[0].resource.target.averageUtilization: expected averageUtilization or averageValue (must set either a target raw value or a target utilization)'],
  ['a Resource target sets not both', METRIC('{ type: Resource, resource: { name: cpu, target: { type: Utilization, averageUtilization: 60, averageValue: 500m } } }'), '500m',
    'spec.metrics[0].resource.target.averageValue: expected no averageValue with averageUtilization (may not set both a target raw value and a target utilization), got "500m"'],
  ['a Pods metric names its metric', METRIC('{ type: Pods, pods: { metric: {}, target: { type: AverageValue, averageValue: "10" } } }'), '{}',
    'spec.metrics[0].pods.metric.name: expected a metric name (must specify a metric name), got nothing'],
  ['a Pods metric target is an average value', METRIC('{ type: Pods, pods: { metric: { name: rps }, target: { type: Value, value: "10" } } }'), '{ type: Value',
    'spec.metrics[0].pods.target.averageValue: expected a target averageValue (must specify a positive target averageValue)'],
  ['an Object metric names its object', METRIC('{ type: Object, object: { describedObject: { apiVersion: networking.k8s.io/v1, name: main }, metric: { name: rps }, target: { type: Value, value: "10" } } }'), '{ apiVersion: networking',
    `spec.metrics[0].object.describedObject.kind: expected the object's kind (required), got nothing`],
  ['an Object metric target sets a value or an average value', METRIC('{ type: Object, object: { describedObject: { kind: Ingress, name: main }, metric: { name: rps }, target: { type: Value } } }'), '{ type: Value',
    'spec.metrics[0].object.target.averageValue: expected a target value or averageValue (must set either a target value or averageValue)'],
  ['an External metric target sets not both', METRIC('{ type: External, external: { metric: { name: queue_depth }, target: { type: Value, value: "30", averageValue: "5" } } }'), '"30"',
    'spec.metrics[0].external.target.value: expected no value with averageValue (may not set both a target value for metric and a per-pod target), got "30"'],
  ['a ContainerResource metric names a container', METRIC(`{ type: ContainerResource, containerResource: { name: cpu, container: Web, ${CPU_TARGET} } }`), 'Web',
    'spec.metrics[0].containerResource.container: expected a container name: a lowercase RFC 1123 label (must specify a container), got "Web"'],
];

for (const [name, manifest, at, message] of HPA_CASES) {
  test(`HPA: ${name}`, () => {
    assert.throws(() => parseScenario(scenario(manifest), 'k.yaml'), (e: Error) => {
      assert.equal(e.message, `k.yaml:8:${col(manifest, at)}: workload[0].manifest.${message}`);
      return true;
    });
  });
}

test('an HPA with every metric source and a full behavior, as the docs write them, loads with only the not-simulated warning', () => {
  const hpa = HPA(`{ ${REF}, minReplicas: 2, maxReplicas: 10, metrics: [
    { type: Resource, resource: { name: cpu, ${CPU_TARGET} } },
    { type: Resource, resource: { name: memory, target: { type: AverageValue, averageValue: 500Mi } } },
    { type: ContainerResource, containerResource: { name: cpu, container: app, ${CPU_TARGET} } },
    { type: Pods, pods: { metric: { name: packets-per-second }, target: { type: AverageValue, averageValue: 1k } } },
    { type: Object, object: { describedObject: { apiVersion: networking.k8s.io/v1, kind: Ingress, name: main-route }, metric: { name: requests-per-second }, target: { type: Value, value: 10k } } },
    { type: External, external: { metric: { name: queue_messages_ready, selector: { matchLabels: { queue: worker_tasks } } }, target: { type: AverageValue, averageValue: "30" } } } ],
    behavior: { scaleDown: { stabilizationWindowSeconds: 300, policies: [{ type: Percent, value: 100, periodSeconds: 15 }] },
      scaleUp: { stabilizationWindowSeconds: 0, selectPolicy: Max, tolerance: "0.05", policies: [{ type: Percent, value: 100, periodSeconds: 15 }, { type: Pods, value: 4, periodSeconds: 15 }] } } }`);
  const s = parseScenario(scenario(hpa.replace(/\n\s*/g, ' ')), 'k.yaml');
  assert.equal(s.warnings.length, 1, s.warnings.join('\n'));
  assert.match(s.warnings[0]!, /metric-driven scaling is not simulated/);
  // selectPolicy Disabled with no policies given: they are defaulted, so it loads.
  assert.equal(parseScenario(scenario(BEHAVIOR('{ scaleDown: { selectPolicy: Disabled } }')), 'k.yaml').warnings.length, 1);
});

test('a LimitRange is stored as the API server stores it: Container items defaulted (default from max, defaultRequest from default, then min)', () => {
  const s = parseScenario(scenario(LR('[{ type: Container, max: { cpu: "2" }, min: { memory: 64Mi } }, { type: Pod, max: { cpu: "4" } }]')), 'k.yaml');
  const m = s.workload[0]!.manifests[0] as unknown as { metadata: { namespace: string }; spec: { limits: unknown[] } };
  assert.equal(m.metadata.namespace, 'default');
  assert.deepEqual(m.spec.limits, [
    { type: 'Container', max: { cpu: '2' }, min: { memory: '64Mi' }, default: { cpu: '2' }, defaultRequest: { cpu: '2', memory: '64Mi' } },
    { type: 'Pod', max: { cpu: '4' } },
  ]);
});

test('a RuntimeClass is cluster-scoped', () => {
  assert.throws(() => parseScenario(scenario('{ apiVersion: node.k8s.io/v1, kind: RuntimeClass, metadata: { name: r, namespace: x }, handler: runsc }'), 'k.yaml'),
    /workload\[0\]\.manifest\.metadata\.namespace: expected no namespace \(a RuntimeClass is cluster-scoped\)/);
});

test('every HPA is warned about once: metrics are not simulated; a target ksim cannot scale is named', () => {
  const s = parseScenario(scenario(HPA(`{ ${REF}, minReplicas: 2, maxReplicas: 8, metrics: [{ type: Resource, resource: { name: cpu, target: { type: Utilization, averageUtilization: 60 } } }] }`)), 'k.yaml');
  assert.deepEqual(s.warnings, ["k.yaml:8:99: workload[0].manifest: HorizontalPodAutoscaler default/h: metric-driven scaling is not simulated (ksim has no metrics): it keeps Deployment web's replicas within [2, 8] only, every 15 s"]);
  const ds = parseScenario(scenario(HPA('{ scaleTargetRef: { apiVersion: apps/v1, kind: DaemonSet, name: agent }, maxReplicas: 3 }', 'autoscaling/v1')), 'k.yaml');
  assert.deepEqual(ds.warnings, ['k.yaml:8:107: workload[0].manifest.spec: HorizontalPodAutoscaler default/h: its target apps/v1 DaemonSet agent is not a kind ksim can scale (apps/v1 Deployment, StatefulSet, ReplicaSet): the HPA does nothing']);
});

test('a LimitRange item field with a typo is an unknown field warning with a suggestion', () => {
  const s = parseScenario(scenario(LR('[{ type: Container, defaultRequests: { cpu: 100m } }]')), 'k.yaml');
  assert.deepEqual(s.warnings, ['k.yaml:8:110: workload[0].manifest.spec.limits[0]: unknown field "defaultRequests" (did you mean "defaultRequest"?)']);
});
