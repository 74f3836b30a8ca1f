import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { PodInfo } from '../../cluster/pod-info.js';
import { makeNode, makePod, nodeInfoWith, podInfo } from '../../testing/builders.js';
import { tempDir } from '../../testing/temp-dir.js';
import { loadScenario } from '../../workload/scenario.js';
import { runScenario } from '../../run/run-scenario.js';
import { CycleState } from '../framework/cycle-state.js';
import type { ClusterEventWithHint } from '../framework/events.js';
import { Code, CODE_NAMES } from '../framework/status.js';
import { ERR_REASON_MAX_INSTANCES, MaxInstancesPerNodePlugin, newMaxInstancesPerNode } from './max-instances-per-node.js';

const CAP = 'alibaba.com/max-instance-per-node';
const APP = 'alibaba.com/app';
const inst = (app: string, cap?: string, ns = 'default', node?: string): Pod => {
  const w = makePod().namespace(ns).labels({ [APP]: app, ...(cap === undefined ? {} : { [CAP]: cap }) });
  return (node === undefined ? w : w.node(node)).obj();
};

/** The plugin's verdict for `pod` on a node running `running`: skip, fits or rejected. */
function verdict(pod: Pod, running: Pod[]): string {
  const p = newMaxInstancesPerNode() as MaxInstancesPerNodePlugin;
  const state = new CycleState();
  const { status } = p.preFilter(state, podInfo(pod));
  if (status !== null && status.code === Code.Skip) return 'skip';
  const v = p.filter(state, podInfo(pod), nodeInfoWith(makeNode('n1').obj(), ...running));
  return v === null ? 'fits' : `${CODE_NAMES[v.code]}: ${v.message}`;
}

test('MaxInstancesPerNode: a node already running the cap of the pod\'s app is rejected; other apps, other namespaces and pods without a cap do not count', () => {
  const rejected = `Unschedulable: ${ERR_REASON_MAX_INSTANCES}`;
  const on = (app: string, cap?: string, ns = 'default') => inst(app, cap, ns, 'n1');
  const cases: [string, Pod, Pod[], string][] = [
    ['cap 2, one of its app there', inst('a', '2'), [on('a')], 'fits'],
    ['cap 2, two of its app there', inst('a', '2'), [on('a'), on('a', '8')], rejected],
    ['cap 1, one there', inst('a', '1'), [on('a')], rejected],
    ['cap 2, two of another app', inst('a', '2'), [on('b'), on('b')], 'fits'],
    ['cap 2, two of its app in another namespace', inst('a', '2'), [on('a', undefined, 'other'), on('a', undefined, 'other')], 'fits'],
    ['no cap label', inst('a'), [on('a'), on('a')], 'skip'],
    ['cap 0 (not a cap)', inst('a', '0'), [on('a')], 'skip'],
    ['cap "-1" (none)', inst('a', '-1'), [on('a')], 'skip'],
    ['no app label', makePod().labels({ [CAP]: '1' }).obj(), [on('a')], 'skip'],
  ];
  for (const [name, pod, running, want] of cases) assert.equal(verdict(pod, running), want, name);
});

test('MaxInstancesPerNode args: other label keys; unknown args and bad keys are refused', () => {
  const p = newMaxInstancesPerNode({ capLabel: 'example.com/cap', appLabel: 'app' }) as MaxInstancesPerNodePlugin;
  assert.deepEqual(p.capOf(podInfo(makePod().labels({ 'example.com/cap': '3', app: 'web' }).obj())), { namespace: 'default', app: 'web', max: 3 });
  assert.throws(() => newMaxInstancesPerNode({ cap: 'x' }), { message: 'cap: expected capLabel or appLabel (the args MaxInstancesPerNode takes), got "cap"' });
  assert.throws(() => newMaxInstancesPerNode({ appLabel: 'Bad Key' }), { message: 'appLabel: expected a label key such as example.com/app, got "Bad Key"' });
});

test('MaxInstancesPerNode requeues a pod when an assigned pod of its app and namespace is deleted, not for others', () => {
  const p = newMaxInstancesPerNode() as MaxInstancesPerNodePlugin;
  const events = p.eventsToRegister() as readonly ClusterEventWithHint[];
  const hint = events.find((e) => e.event.resource === 'Pod')!.hint!;
  const assigned = (pod: Pod): PodInfo => {
    const pi = podInfo(pod);
    pi.nodeName = 'n1';
    return pi;
  };
  const waiting = podInfo(inst('a', '2'));
  assert.equal(hint(waiting, assigned(inst('a')), undefined), 'Queue');
  assert.equal(hint(waiting, assigned(inst('b')), undefined), 'QueueSkip');
  assert.equal(hint(waiting, assigned(inst('a', undefined, 'other')), undefined), 'QueueSkip');
  assert.equal(hint(waiting, podInfo(inst('a')), undefined), 'QueueSkip'); // never assigned
  assert.equal(hint(podInfo(inst('a')), assigned(inst('a')), undefined), 'QueueSkip'); // no cap
  assert.deepEqual(events.map((e) => e.event.resource), ['Pod', 'Node']);
});

test('MaxInstancesPerNode in a run: with cap 2 on two nodes, the fifth instance waits and binds once one of the first four completes', () => {
  const dir = tempDir('ksim-max-per-node-');
  writeFileSync(join(dir, 's.yaml'), `apiVersion: ksim/v1alpha1
kind: Scenario
metadata: { name: cap }
duration: 3m
cluster:
  nodePools: [{ name: n, count: 2, allocatable: { cpu: "16", memory: 64Gi } }]
workload:
  - name: first
    runDuration: 60s
    manifests:
${[0, 1, 2, 3].map((i) => `      - { apiVersion: v1, kind: Pod, metadata: { name: i-${i}, labels: { ${APP}: a, ${CAP}: "2" } }, spec: { restartPolicy: Never, containers: [{ name: c, image: x }] } }`).join('\n')}
  - name: late
    at: 10s
    manifest: { apiVersion: v1, kind: Pod, metadata: { name: i-4, labels: { ${APP}: a, ${CAP}: "2" } }, spec: { containers: [{ name: c, image: x }] } }
scheduler:
  config:
    apiVersion: kubescheduler.config.k8s.io/v1
    kind: KubeSchedulerConfiguration
    profiles:
    - schedulerName: default-scheduler
      plugins: { multiPoint: { enabled: [{ name: MaxInstancesPerNode }] } }
`);
  const r = runScenario(loadScenario(join(dir, 's.yaml')), { checkInvariants: true });
  const rows = r.tables.find((t) => t.file === 'placements.csv')!.rows;
  const late = rows.filter((x) => x['pod'] === 'i-4').map((x) => `${String(x['result'])} ${Math.floor(Number(x['time_s']))} ${String(x['reason'])}`);
  assert.equal(late[0], `unschedulable 10 0/2 nodes are available: 2 ${ERR_REASON_MAX_INSTANCES}. preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod.`);
  // The first four run 60 s from their start (about 1 s after 0 s): i-4 binds then, not at the
  // 5-minute flush.
  const bound = rows.find((x) => x['pod'] === 'i-4' && x['result'] === 'bound');
  assert.ok(bound !== undefined && Number(bound['time_s']) > 60 && Number(bound['time_s']) < 65, JSON.stringify(bound));
  const nodes = new Map<string, number>();
  for (const x of rows) if (x['result'] === 'bound' && x['pod'] !== 'i-4') nodes.set(String(x['node']), (nodes.get(String(x['node'])) ?? 0) + 1);
  assert.deepEqual([...nodes.values()], [2, 2]);
});
