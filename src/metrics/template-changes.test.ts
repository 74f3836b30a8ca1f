// A StatefulSet's pod template changed during the run is not rolled out by ksim: one run
// warning per object names it (not for OnDelete, which upstream does not roll out either, nor
// for a change of replicas only). A DaemonSet's change is rolled out (controllers/daemonset.ts):
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

test('a StatefulSet and a DaemonSet applied again at 2m with a new image: one warning, for the StatefulSet (the DaemonSet is rolled out), naming it and the time', () => {
  const w = warningsOf([
    `{name: db, manifest: ${sts(2, 'x:1')}}`,
    `{name: db2, at: 2m, manifest: ${sts(2, 'x:2')}}`,
    `{name: db3, at: 4m, manifest: ${sts(2, 'x:3')}}`,
    `{name: agent, manifest: ${ds('a:1')}}`,
    `{name: agent2, at: 2m, manifest: ${ds('a:2', 'updateStrategy: {type: RollingUpdate, rollingUpdate: {maxUnavailable: 1}}, ')}}`,
  ]);
  assert.equal(w.length, 1);
  assert.match(w[0]!, /^StatefulSet default\/db: its pod template changed at 120\.\d+ s \(and 1 more time\(s\)\), and ksim does not roll out a StatefulSet's template change \(upstream's default updateStrategy RollingUpdate would replace its pods\): its pods keep the old template, and only pods created after the change \(replacements, scale-ups\) get the new one$/);
});

test('no template warning for a change of replicas only, nor for updateStrategy OnDelete (upstream does not roll it out either)', () => {
  assert.deepEqual(warningsOf([`{name: db, manifest: ${sts(1, 'x:1')}}`, `{name: db2, at: 2m, manifest: ${sts(3, 'x:1')}}`]), []);
  const onDelete = 'updateStrategy: {type: OnDelete}, ';
  assert.deepEqual(warningsOf([`{name: db, manifest: ${sts(1, 'x:1', onDelete)}}`, `{name: db2, at: 2m, manifest: ${sts(1, 'x:2', onDelete)}}`, `{name: agent, manifest: ${ds('a:1', onDelete)}}`, `{name: agent2, at: 2m, manifest: ${ds('a:2', onDelete)}}`]), []);
});

test('a StatefulSet with rollingUpdate.partition: no warning while the partition is at least the replicas (upstream replaces none); partition 1 of 3 names ordinals 1 to 2; a staged rollout warns when the partition is lowered', () => {
  const part = (p: number) => `updateStrategy: {type: RollingUpdate, rollingUpdate: {partition: ${p}}}, `;
  assert.deepEqual(warningsOf([`{name: db, manifest: ${sts(3, 'x:1')}}`, `{name: db2, at: 2m, manifest: ${sts(3, 'x:2', part(3))}}`]), []);
  // Scaled up with the change: the new ordinals 3 and 4 are made from the new template.
  assert.deepEqual(warningsOf([`{name: db, manifest: ${sts(3, 'x:1')}}`, `{name: db2, at: 2m, manifest: ${sts(5, 'x:2', part(3))}}`]), []);
  const w = warningsOf([`{name: db, manifest: ${sts(3, 'x:1')}}`, `{name: db2, at: 2m, manifest: ${sts(3, 'x:2', part(1))}}`]);
  assert.equal(w.length, 1);
  assert.match(w[0]!, /^StatefulSet default\/db: its pod template changed at 120\.\d+ s, and ksim does not roll out a StatefulSet's template change \(upstream's updateStrategy RollingUpdate with partition 1 would replace its pods of ordinals 1 to 2, highest first\): they keep the old template, and only pods created after the change at ordinals 1 and above \(replacements, scale-ups\) get the new one; below the partition, pods are made from the old template, as upstream's$/);
  const staged = warningsOf([`{name: db, manifest: ${sts(3, 'x:1')}}`, `{name: db2, at: 2m, manifest: ${sts(3, 'x:2', part(3))}}`, `{name: db3, at: 4m, manifest: ${sts(3, 'x:2', part(0))}}`]);
  assert.equal(staged.length, 1);
  assert.match(staged[0]!, /^StatefulSet default\/db: its rollingUpdate\.partition was lowered to 0 at 240\.\d+ s after a pod template change, and ksim does not roll out .*\(upstream's default updateStrategy RollingUpdate would replace its pods\)/);
  // Back to the first template before the partition is lowered: nothing to replace.
  assert.deepEqual(warningsOf([`{name: db, manifest: ${sts(3, 'x:1')}}`, `{name: db2, at: 2m, manifest: ${sts(3, 'x:2', part(3))}}`, `{name: db3, at: 3m, manifest: ${sts(3, 'x:1', part(3))}}`, `{name: db4, at: 4m, manifest: ${sts(3, 'x:1', part(0))}}`]), []);
});
