// ResourceQuota manifests: what upstream's API validation refuses (pkg/apis/core/validation/
// validation.go ValidateResourceQuota) stops the run with the file, line, column and field path;
// what it accepts loads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseScenario } from './scenario.js';

/** A scenario whose one workload entry is a ResourceQuota with `spec` (lines indented 8 spaces,
 * the first on line 13). */
function scenario(spec: readonly string[]): string {
  return `apiVersion: ksim/v1alpha1
kind: Scenario
duration: 10m
cluster:
  nodePools: [{ name: n, count: 1, allocatable: { cpu: "4", memory: 16Gi } }]
workload:
  - name: q
    manifest:
      apiVersion: v1
      kind: ResourceQuota
      metadata: { name: q, namespace: t }
      spec:
${spec.map((l) => `        ${l}`).join('\n')}
`;
}

/** "k.yaml:<line>:<col>" of the first `token` on spec line `i`. */
function at(spec: readonly string[], i: number, token: string): string {
  const col = spec[i]!.indexOf(token);
  assert.ok(col >= 0, `${token} on ${spec[i]!}`);
  return `k.yaml:${13 + i}:${col + 9}`;
}

const P = 'workload[0].manifest.spec';

const REFUSED: [string, string[], (s: string[]) => string][] = [
  ['BestEffort cannot track requests.cpu (only pods)', ['hard: { requests.cpu: "1", pods: "5" }', 'scopes: [BestEffort]'],
    (s) => `${at(s, 1, 'BestEffort')}: ${P}.scopes[0]: expected a scope that can track every resource of spec.hard: BestEffort tracks only pods among the standard ones (unsupported scope applied to resource), got BestEffort with spec.hard requests.cpu`],
  ['BestEffort and NotBestEffort conflict', ['hard: { pods: "0" }', 'scopes: [BestEffort, NotBestEffort]'],
    (s) => `${at(s, 1, '[')}: ${P}.scopes: expected not both BestEffort and NotBestEffort (conflicting scopes), got BestEffort and NotBestEffort`],
  ['Terminating and NotTerminating conflict in a scope selector', ['hard: { pods: "0" }', 'scopeSelector:', '  matchExpressions:', '  - { scopeName: Terminating, operator: Exists }', '  - { scopeName: NotTerminating, operator: Exists }'],
    (s) => `${at(s, 3, '- {')}: ${P}.scopeSelector.matchExpressions: expected not both Terminating and NotTerminating (conflicting scopes), got Terminating and NotTerminating`],
  ['PriorityClass In needs values', ['hard: { pods: "0" }', 'scopeSelector:', '  matchExpressions:', '  - { scopeName: PriorityClass, operator: In }'],
    (s) => `${at(s, 3, '{')}: ${P}.scopeSelector.matchExpressions[0]: expected at least one value in values (must be at least one value when \`operator\` is 'In' or 'NotIn' for scope selector)`],
  ['PriorityClass Exists takes no values', ['hard: { pods: "0" }', 'scopeSelector:', '  matchExpressions:', '  - { scopeName: PriorityClass, operator: Exists, values: [high] }'],
    (s) => `${at(s, 3, '[high]')}: ${P}.scopeSelector.matchExpressions[0].values: expected no values (must be no value when \`operator\` is 'Exist' or 'DoesNotExist' for scope selector), got a list`],
  ['BestEffort in a selector must use Exists', ['hard: { pods: "0" }', 'scopeSelector:', '  matchExpressions:', '  - { scopeName: BestEffort, operator: In, values: [x] }'],
    (s) => `${at(s, 3, 'In,')}: ${P}.scopeSelector.matchExpressions[0].operator: expected Exists (the only operator for scope BestEffort: must be 'Exists' when scope is any of Terminating, NotTerminating, BestEffort, NotBestEffort or CrossNamespacePodAffinity), got "In"`],
  ['an operator outside In, NotIn, Exists, DoesNotExist', ['hard: { pods: "0" }', 'scopeSelector:', '  matchExpressions:', '  - { scopeName: PriorityClass, operator: Equals, values: [x] }'],
    (s) => `${at(s, 3, 'Equals')}: ${P}.scopeSelector.matchExpressions[0].operator: expected one of In, NotIn, Exists, DoesNotExist (not a valid selector operator), got "Equals"`],
  ['an unknown scope in spec.scopes', ['hard: { pods: "0" }', 'scopes: [Foo]'],
    (s) => `${at(s, 1, 'Foo')}: ${P}.scopes[0]: expected one of Terminating, NotTerminating, BestEffort, NotBestEffort, PriorityClass, CrossNamespacePodAffinity, VolumeAttributesClass (unsupported scope), got "Foo"`],
  ['an unknown scope in a selector', ['hard: { pods: "0" }', 'scopeSelector: { matchExpressions: [{ scopeName: Priority, operator: Exists }] }'],
    (s) => `${at(s, 1, 'Priority,')}: ${P}.scopeSelector.matchExpressions[0].scopeName: expected one of Terminating, NotTerminating, BestEffort, NotBestEffort, PriorityClass, CrossNamespacePodAffinity, VolumeAttributesClass (unsupported scope), got "Priority"`],
  ['VolumeAttributesClass tracks PVCs, not pods', ['hard: { pods: "1" }', 'scopes: [VolumeAttributesClass]'],
    (s) => `${at(s, 1, 'Volume')}: ${P}.scopes[0]: expected a scope that can track every resource of spec.hard: VolumeAttributesClass tracks only persistentvolumeclaims, requests.storage among the standard ones (unsupported scope applied to resource), got VolumeAttributesClass with spec.hard pods`],
];

const NAMES = 'cpu, memory, ephemeral-storage, requests.cpu, requests.memory, requests.ephemeral-storage, requests.storage, limits.cpu, limits.memory, limits.ephemeral-storage, '
  + 'pods, services, services.loadbalancers, services.nodeports, configmaps, secrets, persistentvolumeclaims, replicationcontrollers, resourcequotas, hugepages-<size>, requests.hugepages-<size>, '
  + 'or a fully qualified name such as count/deployments.apps or requests.nvidia.com/gpu';

REFUSED.push(
  ['a misspelt resource (request.cpu) is refused, not dropped', ['hard: { request.cpu: "0" }'],
    (s) => `${at(s, 0, 'request.cpu')}: ${P}.hard.request.cpu: expected a resource a quota tracks (must be a standard resource type or fully qualified; did you mean requests.cpu?): ${NAMES}, got "request.cpu"`],
  ['storage is a resource, but not one a quota tracks', ['hard: { storage: 10Gi }'],
    (s) => `${at(s, 0, 'storage')}: ${P}.hard.storage: expected a resource a quota tracks (must be a standard resource for quota): ${NAMES}, got "storage"`],
  ['a name with two slashes is not a qualified name', ['hard: { count/apps/deployments: "1" }'],
    (s) => `${at(s, 0, 'count/')}: ${P}.hard.count/apps/deployments: expected a resource a quota tracks (must be a qualified name: an optional DNS subdomain prefix and "/", then at most 63 characters (alphanumerics, "-", "_", ".") that start and end with an alphanumeric): ${NAMES}, got "count/apps/deployments"`],
  ['an object count is a whole number', ['hard: { count/deployments.apps: "1.5" }'],
    (s) => `${at(s, 0, '"1.5"')}: ${P}.hard.count/deployments.apps: expected a whole number (count/deployments.apps counts objects or devices: must be an integer), got "1.5"`],
);

for (const [name, spec, message] of REFUSED) {
  test(`refused: ${name}`, () => {
    assert.throws(() => parseScenario(scenario(spec), 'k.yaml'), (e: Error) => {
      assert.equal(e.message, message(spec));
      return true;
    });
  });
}

test('quotas the API server accepts load: scoped compute, object counts, extended resources, large storage, VolumeAttributesClass', () => {
  for (const spec of [
    ['hard: { requests.cpu: "3", limits.memory: 6Gi }', 'scopes: [NotBestEffort, NotTerminating]'],
    ['hard: { pods: "2", requests.cpu: "2" }', 'scopeSelector: { matchExpressions: [{ scopeName: PriorityClass, operator: In, values: [tenant-high] }] }'],
    ['hard: { pods: "3", count/pods: "3", count/deployments.apps: "2" }', 'scopes: [BestEffort]'],
    ['hard: { pods: "10" }', 'scopeSelector: { matchExpressions: [{ scopeName: CrossNamespacePodAffinity, operator: Exists }] }'],
    ['hard: { requests.nvidia.com/gpu: "4", requests.storage: 10Ti, persistentvolumeclaims: "5", hugepages-2Mi: 1Gi, requests.ephemeral-storage: 0.5Ti }'],
    ['hard: { requests.storage: 10Ti, persistentvolumeclaims: "5" }', 'scopeSelector: { matchExpressions: [{ scopeName: VolumeAttributesClass, operator: In, values: [gold] }] }'],
  ]) {
    assert.doesNotThrow(() => parseScenario(scenario(spec), 'k.yaml'), spec.join(' '));
  }
});
