// A snapshot pod's times: RFC 3339 parsing, the snapshot's own "now", times on the run's clock,
// bad times as bad input, and `ksim import` writing them back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { loadScenario } from '../index.js';
import { tempDir } from '../testing/temp-dir.js';
import { pastOf, snapshotTime, snapshotNowUs, withHistory, type PodHistory } from './snapshot-times.js';

const S = 1_000_000;
const T0 = Date.UTC(2024, 4, 1, 12, 0, 0) * 1000; // 2024-05-01T12:00:00Z in µs

const stamp = (offsetS: number) => {
  const us = T0 + offsetS * S;
  return { text: new Date(us / 1000).toISOString().replace('.000Z', 'Z'), us };
};

test("the snapshot's now is its latest pod time or node heartbeat; a pod's times are put before it", () => {
  const times: PodHistory = { creationTimestamp: stamp(-3600), startTime: stamp(-3590), readySince: stamp(-3500), restartCounts: [['a', 2], ['b', 7]] };
  const node = (heartbeat: string): Node => ({ metadata: { name: 'n' }, status: { conditions: [{ type: 'Ready', status: 'True', lastHeartbeatTime: heartbeat, lastTransitionTime: '2024-04-01T00:00:00Z' }] } });
  assert.equal(snapshotNowUs([times], []), T0 - 3500 * S, 'without nodes: the latest pod time');
  assert.equal(snapshotNowUs([times], [node('2024-05-01T12:00:00Z')]), T0);
  assert.equal(snapshotNowUs([], []), null);
  assert.deepEqual(pastOf(times, T0), { creationUs: -3600 * S, startUs: -3590 * S, readySinceUs: -3500 * S, restarts: 7 });
  assert.deepEqual(pastOf({ restartCounts: [] }, T0), { restarts: 0 }, 'what the snapshot lacks stays absent');
  const pod: Pod = { metadata: { name: 'p' } };
  const skipped: Pod = { metadata: { name: 'on-a-missing-node' } };
  const later: PodHistory = { creationTimestamp: stamp(3600), restartCounts: [] };
  const { pasts, nowUs } = snapshotTime([pod], new Map([[pod, times], [skipped, later]]), [node('2024-05-01T12:00:10Z')], []);
  assert.equal(nowUs, T0 + 10 * S);
  assert.equal(pasts.size, 1, 'only the pods kept, and their times alone make the now');
  assert.deepEqual(pasts.get(pod), { creationUs: -3610 * S, startUs: -3600 * S, readySinceUs: -3510 * S, restarts: 7 });
});

test("a deleting pod's deletionTimestamp is the end of its grace period on the run's clock, not a time the now is read from; unknown without a now", () => {
  const deleting: PodHistory = { creationTimestamp: stamp(-3600), restartCounts: [], deletionTimestamp: stamp(10) };
  assert.equal(snapshotNowUs([deleting], []), T0 - 3600 * S, 'the deletionTimestamp is ahead of the snapshot: not its now');
  assert.deepEqual(pastOf(deleting, T0 - 10 * S), { creationUs: -3590 * S, restarts: 0, graceEndsUs: 20 * S });
  assert.deepEqual(pastOf({ restartCounts: [], deletionTimestamp: stamp(-30) }, T0), { restarts: 0, graceEndsUs: -30 * S }, 'ended before the snapshot');
  assert.deepEqual(pastOf({ restartCounts: [], deletionTimestamp: stamp(10) }, null), { restarts: 0 }, 'no now: the whole grace period');
});

test('ksim import writes the times back as the snapshot had them, and nothing else of the status', () => {
  const pod: Pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec: { containers: [] } };
  const times: PodHistory = { creationTimestamp: stamp(-60), startTime: stamp(-59), readySince: stamp(-50), restartCounts: [['c', 3]] };
  assert.deepEqual(withHistory(pod, times), {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'default', creationTimestamp: '2024-05-01T11:59:00Z' },
    spec: { containers: [] },
    status: { startTime: '2024-05-01T11:59:01Z', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2024-05-01T11:59:10Z' }], containerStatuses: [{ name: 'c', restartCount: 3 }] },
  });
  assert.equal(withHistory(pod, undefined), pod);
});

function scenarioWith(podLines: readonly string[]): string {
  const dir = tempDir('ksim-snap-times-');
  const lines = [
    'apiVersion: v1',
    'kind: List',
    'items:',
    '- apiVersion: v1',
    '  kind: Node',
    '  metadata: {name: n-0}',
    '  status:',
    '    allocatable: {cpu: "4", memory: 8Gi, pods: "110"}',
    '    conditions: [{type: Ready, status: "True", lastHeartbeatTime: "2024-05-01T12:00:00Z"}]',
    '- apiVersion: v1',
    '  kind: Pod',
    ...podLines,
    '',
  ];
  writeFileSync(join(dir, 'snapshot.yaml'), lines.join('\n'));
  writeFileSync(join(dir, 's.yaml'), 'apiVersion: ksim/v1alpha1\nkind: Scenario\nmetadata: {name: s}\ncluster:\n  file: snapshot.yaml\n');
  return dir;
}

test("a snapshot pod's times reach the scenario on the run's clock; a time that is not RFC 3339 is bad input naming its line and field", () => {
  const good = scenarioWith([
    '  metadata: {name: p, namespace: default, creationTimestamp: "2024-05-01T11:00:00Z"}',
    '  spec: {nodeName: n-0, containers: [{name: c, image: x}]}',
    '  status:',
    '    phase: Running',
    '    startTime: "2024-05-01T11:00:05Z"',
    '    conditions: [{type: PodScheduled, status: "True", lastTransitionTime: "2024-05-01T11:00:00Z"}, {type: Ready, status: "True", lastTransitionTime: "2024-05-01T11:00:20Z"}]',
    '    containerStatuses: [{name: c, restartCount: 4, ready: true}]',
  ]);
  const s = loadScenario(join(good, 's.yaml'));
  const pod = s.startPods?.[0];
  assert.ok(pod !== undefined);
  assert.deepEqual(s.startPodPasts?.get(pod), { creationUs: -3600 * S, startUs: -3595 * S, readySinceUs: -3580 * S, restarts: 4 });

  const bad = scenarioWith([
    '  metadata: {name: p, namespace: default, creationTimestamp: "2024-05-01 11:00:00"}',
    '  spec: {nodeName: n-0, containers: [{name: c, image: x}]}',
  ]);
  assert.throws(() => loadScenario(join(bad, 's.yaml')), {
    message: `${join(bad, 'snapshot.yaml')}:12:62: items[1].metadata.creationTimestamp: expected an RFC 3339 time such as 2024-05-01T12:00:00Z, got "2024-05-01 11:00:00"`,
  });
  const badCount = scenarioWith([
    '  metadata: {name: p, namespace: default}',
    '  spec: {nodeName: n-0, containers: [{name: c, image: x}]}',
    '  status: {containerStatuses: [{name: c, restartCount: -1}]}',
  ]);
  assert.throws(() => loadScenario(join(badCount, 's.yaml')), { message: /snapshot\.yaml:14:\d+: items\[1\]\.status\.containerStatuses\[0\]\.restartCount: expected a whole number >= 0, got -1$/ });
});

test("a snapshot's preemption half-way: a pending pod's nominatedNodeName and a deleting victim's DisruptionTarget (reason PreemptionByScheduler) are read; a bound pod's nomination, or the condition without a deletionTimestamp, is not", () => {
  const pasts = (podLines: readonly string[]) => {
    const s = loadScenario(join(scenarioWith(podLines), 's.yaml'));
    return (s.startPods ?? []).map((p) => s.startPodPasts?.get(p));
  };
  const victim = ['  metadata: {name: v, namespace: default, deletionTimestamp: "2024-05-01T12:00:00Z"}', '  spec: {nodeName: n-0, containers: [{name: c, image: x}]}'];
  const disrupted = '  status: {conditions: [{type: DisruptionTarget, status: "True", reason: PreemptionByScheduler}]}';
  // (Being deleted, each has the end of its grace period on the run's clock: the snapshot's time.)
  assert.deepEqual(pasts([...victim, disrupted]), [{ restarts: 0, preemptedByScheduler: true, graceEndsUs: 0 }]);
  assert.deepEqual(pasts([...victim, '  status: {conditions: [{type: DisruptionTarget, status: "True", reason: EvictionByEvictionAPI}]}']), [{ restarts: 0, graceEndsUs: 0 }], 'an eviction, not a preemption');
  assert.deepEqual(pasts(['  metadata: {name: v, namespace: default}', victim[1]!, disrupted]), [undefined], 'not being deleted');
  assert.deepEqual(pasts(['  metadata: {name: p, namespace: default}', '  spec: {containers: [{name: c, image: x}]}', '  status: {phase: Pending, nominatedNodeName: n-0}']), [{ restarts: 0, nominatedNodeName: 'n-0' }]);
  assert.deepEqual(pasts(['  metadata: {name: p, namespace: default}', '  spec: {nodeName: n-0, containers: [{name: c, image: x}]}', '  status: {nominatedNodeName: n-0}']), [undefined], 'bound already');
  assert.deepEqual(pasts(['  metadata: {name: p, namespace: default}', '  spec: {containers: [{name: c, image: x}]}', '  status: {nominatedNodeName: ""}']), [undefined], 'empty: none');
  assert.throws(() => pasts(['  metadata: {name: p, namespace: default}', '  spec: {containers: [{name: c, image: x}]}', '  status: {nominatedNodeName: [n-0]}']), {
    message: /snapshot\.yaml:14:\d+: items\[1\]\.status\.nominatedNodeName: expected a node name, got a list$/,
  });
});

test("a bound pod Running with its Ready condition False or Unknown is not ready; one still starting (phase Pending) or without a Ready condition is not marked", () => {
  const pasts = (phase: string, ready: string | null) => {
    const conditions = ready === null ? '' : `, conditions: [{type: Ready, status: "${ready}"}]`;
    const s = loadScenario(join(scenarioWith(['  metadata: {name: p, namespace: default}', '  spec: {nodeName: n-0, containers: [{name: c, image: x}]}', `  status: {phase: ${phase}${conditions}}`]), 's.yaml'));
    return (s.startPods ?? []).map((p) => s.startPodPasts?.get(p));
  };
  assert.deepEqual(pasts('Running', 'False'), [{ restarts: 0, notReady: true }]);
  assert.deepEqual(pasts('Running', 'Unknown'), [{ restarts: 0, notReady: true }]);
  assert.deepEqual(pasts('Pending', 'False'), [undefined]);
  assert.deepEqual(pasts('Running', null), [undefined]);
  const pod: Pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec: { containers: [] } };
  assert.deepEqual(withHistory(pod, { restartCounts: [['c', 9]], notReady: true }).status, {
    phase: 'Running',
    conditions: [{ type: 'Ready', status: 'False' }],
    containerStatuses: [{ name: 'c', restartCount: 9 }],
  });
});

test('ksim import writes a pending pod\'s nomination and a victim\'s DisruptionTarget back', () => {
  const pod: Pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec: { containers: [] } };
  assert.deepEqual(withHistory(pod, { restartCounts: [], nominatedNodeName: 'n-1' }).status, { nominatedNodeName: 'n-1' });
  assert.deepEqual(withHistory(pod, { readySince: stamp(-50), restartCounts: [], preemptedByScheduler: true }).status, {
    conditions: [
      { type: 'Ready', status: 'True', lastTransitionTime: '2024-05-01T11:59:10Z' },
      { type: 'DisruptionTarget', status: 'True', reason: 'PreemptionByScheduler' },
    ],
  });
});

test("a snapshot Job's status: counts with the uncounted pods added in, its conditions and times kept; put on the run's clock; bad values are bad input", () => {
  const dir = scenarioWith(['  metadata: {name: p, namespace: default}', '  spec: {nodeName: n-0, containers: [{name: c, image: x}]}']);
  const withJob = (status: string) => {
    const text = readFileSync(join(dir, 'snapshot.yaml'), 'utf8');
    writeFileSync(join(dir, 'snapshot.yaml'), `${text.split('- apiVersion: batch/v1')[0]!.trimEnd()}\n- apiVersion: batch/v1\n  kind: Job\n  metadata: {name: j, namespace: default}\n  spec: {template: {spec: {restartPolicy: Never, containers: [{name: c, image: x}]}}}\n  status: ${status}\n`);
    return join(dir, 's.yaml');
  };
  const s = loadScenario(withJob('{startTime: "2024-05-01T11:00:00Z", succeeded: 2, failed: 1, active: 1, uncountedTerminatedPods: {succeeded: [a, b], failed: [c]}, conditions: [{type: Suspended, status: "False", lastTransitionTime: "2024-05-01T11:30:00Z", message: m}]}'));
  const job = s.startObjects?.find((o) => o.kind === 'Job');
  // The run's t = 0 is the snapshot's now, n-0's heartbeat at 12:00:00: the times stay as written.
  assert.deepEqual(job?.['status'], { startTime: '2024-05-01T11:00:00Z', succeeded: 4, failed: 2, conditions: [{ type: 'Suspended', status: 'False', lastTransitionTime: '2024-05-01T11:30:00Z' }] });
  assert.equal(s.clockStartUs, T0);
  assert.throws(() => loadScenario(withJob('{succeeded: -1}')), { message: /snapshot\.yaml:\d+:\d+: items\[2\]\.status\.succeeded: expected a whole number >= 0, got -1$/ });
  assert.throws(() => loadScenario(withJob('{startTime: soon}')), { message: /snapshot\.yaml:\d+:\d+: items\[2\]\.status\.startTime: expected an RFC 3339 time such as 2024-05-01T12:00:00Z, got "soon"$/ });
  assert.throws(() => loadScenario(withJob('[]')), { message: /items\[2\]\.status: expected a Job status \(a mapping\), got a list$/ });
});
