// A cluster snapshot's DaemonSet or StatefulSet caught in the middle of a rollout goes on with
// it, as upstream's controllers do (daemon/update.go rollingUpdate with util.IsPodUpdated;
// statefulset updateStatefulSet with getPodRevision against status.updateRevision): the pods of
// the old revision are replaced one at a time. A control plane without latency and a 5 s
// startup, so every step falls on a whole second (times to the centisecond).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { loadScenario } from '../workload/scenario.js';
import { prepareRun, type RunResult } from '../run/run-scenario.js';
import type { ClusterState } from '../cluster/cluster-state.js';
import type { ObjectOf } from '../cluster/workload-object.js';
import { tempDir } from '../testing/temp-dir.js';
import { daemonSetOldRevisions } from './snapshot-revisions.js';

const node = (name: string) => ({
  apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { 'kubernetes.io/hostname': name } },
  status: { allocatable: { cpu: '4', memory: '8Gi', pods: '110' }, conditions: [{ type: 'Ready', status: 'True', lastHeartbeatTime: '2026-03-01T10:00:00Z' }] },
});

function run(items: unknown[]): RunResult & { cluster: ClusterState } {
  const dir = tempDir('ksim-snapshot-rollout-');
  writeFileSync(join(dir, 'cluster.json'), JSON.stringify({ apiVersion: 'v1', kind: 'List', items }));
  writeFileSync(join(dir, 's.yaml'), [
    'apiVersion: ksim/v1alpha1',
    'kind: Scenario',
    'metadata: {name: snapshot-rollout}',
    'seed: 1',
    'duration: 2m',
    'controlPlane: {apiWriteLatency: 0s, watchDelay: 0s, etcd: {followerRtt: 0s, fsync: 0s}}',
    'kubelet: {startupLatency: 5s}',
    'cluster: {file: cluster.json}',
    '',
  ].join('\n'));
  const prepared = prepareRun(loadScenario(join(dir, 's.yaml')), { checkInvariants: true });
  prepared.sim.run(prepared.endUs);
  return { ...prepared.finish(), cluster: prepared.cluster };
}

/** placements.csv rows with `result`, as "time pod node" (time to the centisecond). */
function rows(r: RunResult, result: string, name = (x: Record<string, unknown>) => String(x['pod'])): string[] {
  const placements = r.tables.find((t) => t.file === 'placements.csv')?.rows ?? [];
  return placements.filter((x) => x['result'] === result).map((x) => `${Number(x['time_s']).toFixed(2)} ${name(x)} ${String(x['node'])}`);
}

/** Live pods at the end: node → image. */
function images(c: ClusterState): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of c.pods.values()) if (!p.deleted) out[`${p.name.startsWith('fluent-bit-') ? '' : `${p.name} `}${p.nodeName ?? '?'}`] = p.pod.spec?.containers[0]?.image ?? '?';
  return out;
}

// The DaemonSet of /tmp/h43/snap/cluster.json: RollingUpdate maxUnavailable 1, the template at
// fluent-bit 3.1.9; n1 and n2 still run 3.0.0 with an older controller-revision-hash, n3 runs
// 3.1.9 (status.updatedNumberScheduled 1 of 3). No template-generation annotation.
const daemonSet = (annotations: Record<string, string> = {}) => ({
  apiVersion: 'apps/v1', kind: 'DaemonSet',
  metadata: { name: 'fluent-bit', namespace: 'logging', uid: 'ds-uid-1', generation: 2, annotations },
  spec: {
    selector: { matchLabels: { 'app.kubernetes.io/name': 'fluent-bit' } },
    updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } },
    template: { metadata: { labels: { 'app.kubernetes.io/name': 'fluent-bit' } }, spec: { containers: [{ name: 'fluent-bit', image: 'cr.fluentbit.io/fluent/fluent-bit:3.1.9', resources: { requests: { cpu: '100m', memory: '128Mi' } } }] } },
  },
  status: { desiredNumberScheduled: 3, currentNumberScheduled: 3, numberReady: 3, updatedNumberScheduled: 1, numberAvailable: 3, numberMisscheduled: 0, observedGeneration: 2 },
});

const daemonPod = (name: string, nodeName: string, hash: string, generation: string, image: string, created: string): Pod => ({
  apiVersion: 'v1', kind: 'Pod',
  metadata: {
    name, namespace: 'logging', creationTimestamp: created,
    labels: { 'app.kubernetes.io/name': 'fluent-bit', 'controller-revision-hash': hash, 'pod-template-generation': generation },
    ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'fluent-bit', uid: 'ds-uid-1', controller: true, blockOwnerDeletion: true }],
  },
  spec: {
    nodeName,
    affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [nodeName] }] }] } } },
    tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' }, { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' }],
    containers: [{ name: 'fluent-bit', image, resources: { requests: { cpu: '100m', memory: '128Mi' } } }],
  },
  status: { phase: 'Running', startTime: created, conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: created }] },
});

const DS_PODS = [
  daemonPod('fluent-bit-aaaaa', 'n1', 'old', '1', 'cr.fluentbit.io/fluent/fluent-bit:3.0.0', '2026-02-01T00:00:00Z'),
  daemonPod('fluent-bit-bbbbb', 'n2', 'old', '1', 'cr.fluentbit.io/fluent/fluent-bit:3.0.0', '2026-02-01T00:00:00Z'),
  daemonPod('fluent-bit-ccccc', 'n3', 'new', '2', 'cr.fluentbit.io/fluent/fluent-bit:3.1.9', '2026-03-01T09:59:00Z'),
];
const ALL_NEW = { n1: 'cr.fluentbit.io/fluent/fluent-bit:3.1.9', n2: 'cr.fluentbit.io/fluent/fluent-bit:3.1.9', n3: 'cr.fluentbit.io/fluent/fluent-bit:3.1.9' };

test('a snapshot\'s DaemonSet caught mid-rollout (2 of 3 pods of the old template, maxUnavailable 1) replaces n1\'s old pod at once and n2\'s once the new one runs: gone 30 and 65 s (30 s grace), new pods bound 30 and 65 s', () => {
  const r = run([node('n1'), node('n2'), node('n3'), daemonSet(), ...DS_PODS]);
  // 0: fluent-bit-aaaaa deleted (Terminating 30 s) → gone 30, its replacement bound 30, Running
  // 35 → fluent-bit-bbbbb deleted 35 → gone 65, replacement bound 65. n3's pod stays.
  assert.deepEqual(rows(r, 'terminated'), ['30.00 fluent-bit-aaaaa n1', '65.00 fluent-bit-bbbbb n2']);
  assert.deepEqual(rows(r, 'bound').map((x) => x.replace(/fluent-bit-[a-z0-9]{5}/, 'new')), ['30.00 new n1', '65.00 new n2']);
  assert.deepEqual(images(r.cluster), ALL_NEW);
  assert.deepEqual(r.warnings, []);
});

test('the same with the template generation a real dump has (annotation deprecated.daemonset.template.generation "2", pods labelled pod-template-generation): the same replacements', () => {
  const r = run([node('n1'), node('n2'), node('n3'), daemonSet({ 'deprecated.daemonset.template.generation': '2' }), ...DS_PODS]);
  assert.deepEqual(rows(r, 'terminated'), ['30.00 fluent-bit-aaaaa n1', '65.00 fluent-bit-bbbbb n2']);
  assert.deepEqual(images(r.cluster), ALL_NEW);
});

test('a snapshot\'s DaemonSet whose pods are all of its template (one label, as a dump shows them: API defaults, admission\'s token volume, priority, every daemon toleration) replaces nothing', () => {
  const real = (name: string, nodeName: string): Pod => {
    const p = daemonPod(name, nodeName, '6d5b8c7f9', '2', 'cr.fluentbit.io/fluent/fluent-bit:3.1.9', '2026-02-01T00:00:00Z');
    const c = p.spec!.containers[0]!;
    return {
      ...p,
      spec: {
        ...p.spec!,
        containers: [{ ...c, imagePullPolicy: 'IfNotPresent', terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File', volumeMounts: [{ name: 'kube-api-access-x7k2p', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true }] }],
        volumes: [{ name: 'kube-api-access-x7k2p', projected: { defaultMode: 420, sources: [{ serviceAccountToken: { expirationSeconds: 3607, path: 'token' } }] } }],
        tolerations: ['not-ready', 'unreachable', 'disk-pressure', 'memory-pressure', 'pid-pressure', 'unschedulable'].map((k) => ({ key: `node.kubernetes.io/${k}`, operator: 'Exists', effect: k === 'not-ready' || k === 'unreachable' ? 'NoExecute' : 'NoSchedule' })),
        dnsPolicy: 'ClusterFirst', restartPolicy: 'Always', schedulerName: 'default-scheduler', securityContext: {}, serviceAccount: 'default', serviceAccountName: 'default',
        terminationGracePeriodSeconds: 30, enableServiceLinks: true, priority: 0, preemptionPolicy: 'PreemptLowerPriority',
      },
    };
  };
  const pods = [real('fluent-bit-aaaaa', 'n1'), real('fluent-bit-bbbbb', 'n2'), real('fluent-bit-ccccc', 'n3')];
  const ds = daemonSet() as unknown as ObjectOf<'DaemonSet'>;
  assert.equal(daemonSetOldRevisions(ds, pods), null);
  // Two labels, one of them on pods like the template: the other is old.
  assert.deepEqual(daemonSetOldRevisions(ds, [...pods, { ...DS_PODS[0]!, metadata: { ...DS_PODS[0]!.metadata, labels: { 'controller-revision-hash': 'x' } } }]), new Set(['x']));
  const r = run([node('n1'), node('n2'), node('n3'), daemonSet(), ...pods]);
  assert.deepEqual(rows(r, 'terminated'), []);
  assert.deepEqual(rows(r, 'bound'), []);
});

test('daemonSetOldRevisions: the template generation decides first (pods alike in spec); without it or a match, nothing to replace; with generations and none current, every pod is old', () => {
  const ds = (gen?: string) => daemonSet(gen === undefined ? {} : { 'deprecated.daemonset.template.generation': gen }) as unknown as ObjectOf<'DaemonSet'>;
  const image = 'cr.fluentbit.io/fluent/fluent-bit:3.1.9';
  const same = [daemonPod('a', 'n1', 'h1', '1', image, '2026-02-01T00:00:00Z'), daemonPod('b', 'n2', 'h2', '2', image, '2026-02-01T00:00:00Z')];
  // A rollout of a change the pods do not show (an env the spec comparison would see; here the
  // specs are alike): generation 2 is current, h1 is old.
  assert.deepEqual(daemonSetOldRevisions(ds('2'), same), new Set(['h1']));
  // Without the annotation both are like the template: nothing to replace.
  assert.equal(daemonSetOldRevisions(ds(), same), null);
  const other = [daemonPod('a', 'n1', 'h1', '1', 'other:1', '2026-02-01T00:00:00Z'), daemonPod('b', 'n2', 'h2', '1', 'other:2', '2026-02-01T00:00:00Z')];
  assert.equal(daemonSetOldRevisions(ds(), other), null, 'no pod like the template, no generation: nothing tells');
  assert.deepEqual(daemonSetOldRevisions(ds('2'), other), new Set(['h1', 'h2']), 'generation 2 and no pod of it, nor like the template: all old');
});

// A 3-replica StatefulSet caught mid-rollout: db-2 of the update revision (postgres 16.4), db-0
// and db-1 of the current one (16.3); the pods as a dump shows them (hostname, subdomain,
// priority, the token volume).
const sts = (extra: Record<string, unknown> = {}) => ({
  apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db', namespace: 'data', uid: 'uid-db', generation: 2 },
  spec: { replicas: 3, serviceName: 'db', selector: { matchLabels: { app: 'db' } }, ...extra, template: { metadata: { labels: { app: 'db' } }, spec: { terminationGracePeriodSeconds: 10, containers: [{ name: 'pg', image: 'postgres:16.4', resources: { requests: { cpu: '500m', memory: '1Gi' } } }] } } },
  status: { replicas: 3, readyReplicas: 3, currentReplicas: 2, updatedReplicas: 1, currentRevision: 'db-5d8f9c7b6', updateRevision: 'db-7c9d8b5f4', observedGeneration: 2 },
});
const stsPod = (i: number, rev: string, image: string) => ({
  apiVersion: 'v1', kind: 'Pod',
  metadata: {
    name: `db-${i}`, namespace: 'data', creationTimestamp: '2026-03-01T09:00:00Z',
    labels: { app: 'db', 'controller-revision-hash': rev, 'statefulset.kubernetes.io/pod-name': `db-${i}`, 'apps.kubernetes.io/pod-index': String(i) },
    ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'db', uid: 'uid-db', controller: true, blockOwnerDeletion: true }],
  },
  spec: {
    terminationGracePeriodSeconds: 10, nodeName: `n${i}`, hostname: `db-${i}`, subdomain: 'db', priority: 0, preemptionPolicy: 'PreemptLowerPriority',
    containers: [{ name: 'pg', image, resources: { requests: { cpu: '500m', memory: '1Gi' } }, volumeMounts: [{ name: 'kube-api-access-x7k2p', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' }] }],
    volumes: [{ name: 'kube-api-access-x7k2p', projected: { sources: [{ serviceAccountToken: { path: 'token' } }] } }],
  },
  status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] },
});
const STS_PODS = [stsPod(0, 'db-5d8f9c7b6', 'postgres:16.3'), stsPod(1, 'db-5d8f9c7b6', 'postgres:16.3'), stsPod(2, 'db-7c9d8b5f4', 'postgres:16.4')];

test('a snapshot\'s StatefulSet caught mid-rollout (db-2 of status.updateRevision, db-0 and db-1 not) replaces db-1, then db-0 once db-1 runs again: deleted at 0 and 15 s, made again at 10 and 25 s (10 s grace, 5 s start)', () => {
  const r = run([node('n0'), node('n1'), node('n2'), sts(), ...STS_PODS]);
  assert.deepEqual(rows(r, 'terminated'), ['10.00 db-1 n1', '25.00 db-0 n0']);
  assert.deepEqual(rows(r, 'bound'), ['10.00 db-1 n1', '25.00 db-0 n0']);
  assert.deepEqual(images(r.cluster), { 'db-0 n0': 'postgres:16.4', 'db-1 n1': 'postgres:16.4', 'db-2 n2': 'postgres:16.4' });
  assert.deepEqual(r.warnings, []);
});

test('the same StatefulSet with rollingUpdate.partition 1 and db-0 missing from the dump: db-0, below the partition, is made from the current revision (postgres 16.3, read from db-1), then db-1 alone is replaced once db-0 runs', () => {
  const r = run([node('n0'), node('n1'), node('n2'), sts({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 1 } } }), ...STS_PODS.slice(1)]);
  // 0: db-0 made (OrderedReady), Running 5 → db-1 deleted 5, gone 15, made again 15.
  assert.deepEqual(rows(r, 'terminated'), ['15.00 db-1 n1']);
  assert.deepEqual(rows(r, 'bound').map((x) => x.replace(/ n\d$/, '')), ['0.00 db-0', '15.00 db-1']);
  const byName = new Map([...r.cluster.pods.values()].filter((p) => !p.deleted).map((p) => [p.name, p.pod]));
  assert.deepEqual([...byName.keys()].sort().map((n) => `${n} ${byName.get(n)!.spec!.containers[0]!.image}`), ['db-0 postgres:16.3', 'db-1 postgres:16.4', 'db-2 postgres:16.4']);
  // Made from the current revision's template as its pod shows it, without what the pod got
  // besides (its node, hostname, priority, token volume): the controller sets its own.
  const db0 = byName.get('db-0')!;
  assert.equal(db0.spec!.hostname, 'db-0');
  assert.equal(db0.spec!.volumes, undefined);
  // Labelled with the revision it is of, by the snapshot's name for it (status.currentRevision);
  // db-1, made again, with status.updateRevision (upstream setPodRevision).
  assert.deepEqual(db0.metadata!.labels, { app: 'db', 'statefulset.kubernetes.io/pod-name': 'db-0', 'apps.kubernetes.io/pod-index': '0', 'controller-revision-hash': 'db-5d8f9c7b6' });
  assert.equal(byName.get('db-1')!.metadata!.labels!['controller-revision-hash'], 'db-7c9d8b5f4');
});
