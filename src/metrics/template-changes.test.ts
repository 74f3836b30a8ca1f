// A DaemonSet's pod template changed during the run is not rolled out by ksim: one run warning
// per DaemonSet names it (not for OnDelete, which upstream does not roll out either, nor for a
// change of replicas only). A StatefulSet's change is rolled out (statefulset-rollout.test.ts):
// no warning.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseScenario } from '../workload/scenario.js';
import { runScenario } from '../run/run-scenario.js';

const HEAD = 'apiVersion: ksim/v1alpha1\nkind: Scenario\nduration: 10m\ncluster:\n  nodePools: [{name: p, count: 2, allocatable: {cpu: "4", memory: 8Gi}}]\nworkload:\n';
const sts = (replicas: number, image: string, strategy = '') =>
  `{apiVersion: apps/v1, kind: StatefulSet, metadata: {name: db}, spec: {replicas: ${replicas}, serviceName: db, ${strategy}selector: {matchLabels: {app: db}}, template: {metadata: {labels: {app: db}}, spec: {containers: [{name: c, image: ${image}}]}}}}`;
const ds = (image: string, strategy = '') =>
  `{apiVersion: apps/v1, kind: DaemonSet, metadata: {name: agent}, spec: {${strategy}selector: {matchLabels: {app: agent}}, template: {metadata: {labels: {app: agent}}, spec: {containers: [{name: c, image: ${image}}]}}}}`;

function warningsOf(entries: string[]): string[] {
  const r = runScenario(parseScenario(HEAD + entries.map((e) => `  - ${e}\n`).join(''), 's.yaml'));
  return r.warnings.filter((w) => w.includes('template'));
}

test('a DaemonSet applied again at 2m with a new image: one warning, naming it and the time; a StatefulSet changed so (rolled out now), with any partition: none', () => {
  const w = warningsOf([
    `{name: db, manifest: ${sts(2, 'x:1')}}`,
    `{name: db2, at: 2m, manifest: ${sts(2, 'x:2')}}`,
    `{name: db3, at: 4m, manifest: ${sts(2, 'x:3')}}`,
    `{name: agent, manifest: ${ds('a:1')}}`,
    `{name: agent2, at: 2m, manifest: ${ds('a:2', 'updateStrategy: {type: RollingUpdate, rollingUpdate: {maxUnavailable: 1}}, ')}}`,
    `{name: agent3, at: 4m, manifest: ${ds('a:3')}}`,
  ]);
  assert.equal(w.length, 1);
  assert.match(w[0]!, /^DaemonSet default\/agent: its pod template changed at 120\.\d+ s \(and 1 more time\(s\)\), and ksim does not roll out a DaemonSet's template change \(upstream's default updateStrategy RollingUpdate would replace its pods\): its pods keep the old template, and only pods created after the change \(replacements, new nodes\) get the new one$/);
  const part = (p: number) => `updateStrategy: {type: RollingUpdate, rollingUpdate: {partition: ${p}}}, `;
  assert.deepEqual(warningsOf([`{name: db, manifest: ${sts(3, 'x:1')}}`, `{name: db2, at: 2m, manifest: ${sts(3, 'x:2', part(1))}}`, `{name: db3, at: 4m, manifest: ${sts(3, 'x:2', part(0))}}`]), []);
});

test('no template warning for a change that keeps the template (the updateStrategy only), nor for updateStrategy OnDelete (upstream does not roll it out either)', () => {
  assert.deepEqual(warningsOf([`{name: agent, manifest: ${ds('a:1')}}`, `{name: agent2, at: 2m, manifest: ${ds('a:1', 'updateStrategy: {type: RollingUpdate, rollingUpdate: {maxUnavailable: 2}}, ')}}`]), []);
  const onDelete = 'updateStrategy: {type: OnDelete}, ';
  assert.deepEqual(warningsOf([`{name: agent, manifest: ${ds('a:1', onDelete)}}`, `{name: agent2, at: 2m, manifest: ${ds('a:2', onDelete)}}`]), []);
});
