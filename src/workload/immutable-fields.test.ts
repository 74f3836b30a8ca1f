// A later workload entry (or a trace's apply) that changes a field the API server does not let
// an update change is refused: a StatefulSet's fields but replicas, ordinals, template,
// updateStrategy, persistentVolumeClaimRetentionPolicy and minReadySeconds; a Deployment's,
// ReplicaSet's or DaemonSet's selector; a Job's fields but its five mutable ones.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseScenario, loadScenario } from './scenario.js';
import { changedImmutableField } from './immutable-fields.js';
import { tempDir } from '../testing/temp-dir.js';

const HEAD = 'apiVersion: ksim/v1alpha1\nkind: Scenario\nduration: 10m\ncluster:\n  nodePools: [{name: p, count: 3, allocatable: {cpu: "8", memory: 16Gi}}]\nworkload:\n';
const TEMPLATE = (labels: string) => `{metadata: {labels: {${labels}}}, spec: {containers: [{name: c, image: x}]}}`;
const sts = (fields: string) => `{apiVersion: apps/v1, kind: StatefulSet, metadata: {name: db}, spec: {${fields}, selector: {matchLabels: {app: db}}, template: ${TEMPLATE('app: db')}}}`;

function load(first: string, second: string): () => unknown {
  return () => parseScenario(`${HEAD}  - {name: first, manifest: ${first}}\n  - {name: second, at: 5m, manifest: ${second}}\n`, 's.yaml');
}

test('StatefulSet: a later entry changing podManagementPolicy, serviceName or volumeClaimTemplates is refused naming the field and what may change (upstream ValidateStatefulSetUpdate)', () => {
  const allowed = 'an update may change replicas, ordinals, template, updateStrategy, persistentVolumeClaimRetentionPolicy and minReadySeconds';
  assert.throws(load(sts('replicas: 3, serviceName: db'), sts('replicas: 5, serviceName: db, podManagementPolicy: Parallel')), (e: Error) => {
    assert.match(e.message, /s\.yaml:\d+:\d+: workload\[1\]\.manifest\.spec\.podManagementPolicy: expected the same podManagementPolicy as workload entry "first" \(a StatefulSet's spec\.podManagementPolicy is immutable; /);
    assert.ok(e.message.includes(allowed), e.message);
    return true;
  });
  assert.throws(load(sts('serviceName: db'), sts('serviceName: db-headless')), /spec\.serviceName: expected the same serviceName as workload entry "first"/);
  const vct = (size: string) => `serviceName: db, volumeClaimTemplates: [{metadata: {name: data}, spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: ${size}}}}}]`;
  assert.throws(load(sts(vct('8Gi')), sts(vct('16Gi'))), /spec\.volumeClaimTemplates: expected the same volumeClaimTemplates/);
  // What may change does; a default written out (OrderedReady, revisionHistoryLimit 10, a claim
  // template's apiVersion/kind and volumeMode Filesystem) is no change.
  assert.doesNotThrow(load(sts(`replicas: 1, ${vct('8Gi')}`), sts(`replicas: 4, minReadySeconds: 5, ordinals: {start: 1}, updateStrategy: {rollingUpdate: {partition: 2}}, persistentVolumeClaimRetentionPolicy: {whenScaled: Delete}, podManagementPolicy: OrderedReady, revisionHistoryLimit: 10, serviceName: db, volumeClaimTemplates: [{apiVersion: v1, kind: PersistentVolumeClaim, metadata: {name: data}, spec: {accessModes: [ReadWriteOnce], volumeMode: Filesystem, resources: {requests: {storage: 8Gi}}}}]`)));
});

test('Deployment, ReplicaSet and DaemonSet: a later entry with another selector is refused (apps/v1: field is immutable); the same selector with another template is an update', () => {
  for (const kind of ['Deployment', 'ReplicaSet', 'DaemonSet']) {
    const m = (sel: string) => `{apiVersion: apps/v1, kind: ${kind}, metadata: {name: web}, spec: {selector: {matchLabels: {${sel}}}, template: ${TEMPLATE('app: web, tier: web')}}}`;
    assert.throws(load(m('app: web'), m('app: web, tier: web')), new RegExp(`workload\\[1\\]\\.manifest\\.spec\\.selector: expected the same selector as workload entry "first" \\(a ${kind}'s spec\\.selector is immutable in apps/v1 \\(field is immutable\\)`), kind);
    assert.doesNotThrow(load(m('app: web'), m('app: web').replace('image: x', 'image: y')), kind);
  }
});

test('a Job brought again may still change only its mutable fields, whatever ksim.io/workload its template carries', () => {
  const job = (extra: string, image = 'x') => `{apiVersion: batch/v1, kind: Job, metadata: {name: j}, spec: {${extra}template: {spec: {restartPolicy: Never, containers: [{name: c, image: ${image}}]}}}}`;
  assert.doesNotThrow(load(job(''), job('suspend: true, parallelism: 3, ')));
  assert.throws(load(job(''), job('completions: 4, ')), /spec\.completions: expected the same completions as workload entry "first" \(a Job's spec\.completions is immutable; an update may change parallelism, suspend, activeDeadlineSeconds, backoffLimit, ttlSecondsAfterFinished\)/);
  const withWorkload = { template: { metadata: { annotations: { 'ksim.io/workload': 'a' } }, spec: {} } };
  assert.equal(changedImmutableField('Job', withWorkload, { template: { metadata: { annotations: { 'ksim.io/workload': 'b' } }, spec: {} } }), null);
});

test("an entry updating a cluster snapshot's StatefulSet or Deployment may not change an immutable field either; the snapshot's defaults are no change", () => {
  const dir = tempDir('ksim-immutable-');
  writeFileSync(join(dir, 'snapshot.yaml'), [
    'apiVersion: v1',
    'kind: List',
    'items:',
    '- {apiVersion: v1, kind: Node, metadata: {name: n-0}, status: {allocatable: {cpu: "4", memory: 8Gi, pods: "110"}, conditions: [{type: Ready, status: "True"}]}}',
    `- {apiVersion: apps/v1, kind: StatefulSet, metadata: {name: db, namespace: default}, spec: {replicas: 1, serviceName: db, podManagementPolicy: OrderedReady, revisionHistoryLimit: 10, updateStrategy: {type: RollingUpdate, rollingUpdate: {partition: 0}}, selector: {matchLabels: {app: db}}, template: ${TEMPLATE('app: db')}}}`,
    `- {apiVersion: apps/v1, kind: Deployment, metadata: {name: web, namespace: default}, spec: {replicas: 1, selector: {matchLabels: {app: web}}, template: ${TEMPLATE('app: web')}}}`,
    '',
  ].join('\n'));
  const scenario = (entry: string) => {
    writeFileSync(join(dir, 's.yaml'), `apiVersion: ksim/v1alpha1\nkind: Scenario\nmetadata: {name: s}\ncluster:\n  file: snapshot.yaml\nworkload:\n  - {name: up, at: 1m, manifest: ${entry}}\n`);
    return () => loadScenario(join(dir, 's.yaml'));
  };
  assert.doesNotThrow(scenario(sts('replicas: 3, serviceName: db')));
  assert.throws(scenario(sts('replicas: 3, serviceName: db, podManagementPolicy: Parallel')), /spec\.podManagementPolicy: expected the same podManagementPolicy as the cluster snapshot's StatefulSet default\/db \(a StatefulSet's spec\.podManagementPolicy is immutable/);
  assert.throws(scenario(`{apiVersion: apps/v1, kind: Deployment, metadata: {name: web}, spec: {selector: {matchLabels: {app: web, tier: web}}, template: ${TEMPLATE('app: web, tier: web')}}}`), /spec\.selector: expected the same selector as the cluster snapshot's Deployment default\/web/);
});
