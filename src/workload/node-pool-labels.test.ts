// Nodes of a node pool carry the labels a kubelet registers its Node with, so that the common
// `nodeSelector: { kubernetes.io/os: linux }` matches them; a DaemonSet that matches no node is
// a warning.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseScenario } from './scenario.js';

function scenario(pool: string, workload = ''): string {
  return `apiVersion: ksim/v1alpha1
kind: Scenario
duration: 5m
cluster:
  nodePools: [${pool}]
${workload}`;
}

const CASES: [name: string, pool: string, labels: Record<string, string>][] = [
  ['a pool node has the hostname, os and arch labels of a linux/amd64 kubelet (stable and beta)',
    '{ name: web, count: 1, zones: [a], allocatable: { cpu: "4", memory: 16Gi } }',
    { 'beta.kubernetes.io/arch': 'amd64', 'beta.kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64', 'kubernetes.io/os': 'linux', 'kubernetes.io/hostname': 'web-0', 'ksim.io/pool': 'web', 'topology.kubernetes.io/zone': 'a' }],
  ['a pool overrides os and arch with its labels, and the beta labels follow',
    '{ name: arm, count: 1, labels: { kubernetes.io/arch: arm64, team: x }, allocatable: { cpu: "4", memory: 16Gi } }',
    { 'beta.kubernetes.io/arch': 'arm64', 'beta.kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'arm64', 'kubernetes.io/os': 'linux', team: 'x', 'kubernetes.io/hostname': 'arm-0', 'ksim.io/pool': 'arm' }],
  ['a pool may set a beta label apart from the stable one',
    '{ name: win, count: 1, labels: { kubernetes.io/os: windows, beta.kubernetes.io/os: legacy }, allocatable: { cpu: "4", memory: 16Gi } }',
    { 'beta.kubernetes.io/arch': 'amd64', 'beta.kubernetes.io/os': 'legacy', 'kubernetes.io/arch': 'amd64', 'kubernetes.io/os': 'windows', 'kubernetes.io/hostname': 'win-0', 'ksim.io/pool': 'win' }],
];

for (const [name, pool, labels] of CASES) {
  test(name, () => {
    const s = parseScenario(scenario(pool), 'k.yaml');
    assert.deepEqual(s.nodes[0]!.node.metadata?.labels, labels);
  });
}

const DS = (selector: string) => `workload:
  - name: agents
    manifest: { apiVersion: apps/v1, kind: DaemonSet, metadata: { name: agent }, spec: { selector: { matchLabels: { a: b } }, template: { metadata: { labels: { a: b } }, spec: { ${selector} containers: [{ name: c, image: x }] } } } }
`;

const DS_CASES: [name: string, selector: string, warnings: string[]][] = [
  ['a DaemonSet selecting linux nodes matches a pool', 'nodeSelector: { kubernetes.io/os: linux },', []],
  ['a DaemonSet selecting windows nodes matches no node: a warning', 'nodeSelector: { kubernetes.io/os: windows },',
    ['workload entry "agents": DaemonSet default/agent matches no node (nodeSelector or required node affinity): it makes no pods']],
  ['a DaemonSet whose required node affinity matches no node: a warning',
    'affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: kubernetes.io/arch, operator: In, values: [arm64] }] }] } } },',
    ['workload entry "agents": DaemonSet default/agent matches no node (nodeSelector or required node affinity): it makes no pods']],
];

for (const [name, selector, warnings] of DS_CASES) {
  test(name, () => {
    const s = parseScenario(scenario('{ name: n, count: 2, allocatable: { cpu: "4", memory: 16Gi } }', DS(selector)), 'k.yaml');
    assert.deepEqual(s.warnings, warnings);
  });
}
