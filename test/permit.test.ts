// Permit and PreBind through a whole run, with out-of-tree plugins: a coscheduling-style Permit
// holds pods until their group is complete (or rejects them on timeout), a PreBind can fail.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseScenario, runScenario, Status, type FrameworkHandle, type PermitPlugin, type PreBindPlugin } from '../src/index.js';

function scenario(pods: [name: string, group: string, at: string][]): string {
  const entries = pods.map(([name, group, at]) => `  - name: ${name}
    at: ${at}
    manifest: { apiVersion: v1, kind: Pod, metadata: { name: ${name}, labels: { group: ${group} } }, spec: { containers: [{ name: c, image: x }] } }`);
  return `apiVersion: ksim/v1alpha1
kind: Scenario
duration: 1m
cluster:
  nodePools: [{ name: n, count: 2, allocatable: { cpu: "4", memory: 8Gi } }]
controlPlane: { apiWriteLatency: 1ms, watchDelay: 0s, etcd: { members: 1, fsync: 0s, maxWritesPerSecond: 1e12 } } # a fixed 1 ms per write
workload:
${entries.join('\n')}
`;
}

/** Waits (5 s at most) until two pods of the same group are at Permit, then lets both go. */
const pairs = (_args: unknown, handle: FrameworkHandle): PermitPlugin => ({
  name: 'Pairs',
  permit(_state, pod) {
    const group = pod.labels['group'];
    for (const w of handle.framework.waitingPods.values()) {
      if (w.pod !== pod && w.pod.labels['group'] === group) {
        w.allow('Pairs');
        return { status: null };
      }
    }
    return { status: new Status(4 /* Wait */), waitUs: 5_000_000 };
  },
});

function run(pods: [string, string, string][], plugin: string, factory: (args: unknown, h: FrameworkHandle) => PermitPlugin | PreBindPlugin) {
  const s = parseScenario(scenario(pods), 'permit.yaml');
  const profile = s.scheduler.profiles[0]!;
  const r = runScenario(s, { plugins: new Map([[plugin, factory]]), profiles: [{ ...profile, plugins: [...profile.plugins, { name: plugin, weight: 0 }] }] });
  return (r.tables.find((t) => t.file === 'placements.csv')?.rows ?? []).map((row) => [row['pod'], row['result'], row['time_s'], row['reason']]);
}

test('a waiting pod binds when its partner arrives; a lone pod is rejected at the timeout', () => {
  const rows = run([['a1', 'a', '0s'], ['a2', 'a', '2s'], ['b1', 'b', '3s']], 'Pairs', pairs);
  // Each pod is created after a 1 ms write and scheduled in a 104 µs cycle (default profile on 2
  // nodes: 100 + 0.1·8·2 + 0.2·7·2). a1 waits at Permit from 0.001104 s; a2's Permit (at
  // 2.001104 s) allows it: both bind one 1 ms write later. b1 waits 5 s and is rejected.
  assert.deepEqual(rows.slice(0, 3), [
    ['a1', 'bound', '2.002104', ''],
    ['a2', 'bound', '2.002104', ''],
    ['b1', 'unschedulable', '8.001104', 'rejected due to timeout after waiting 5s at plugin Pairs'],
  ]);
});

test('a failing PreBind unreserves the pod and records an error', () => {
  const failing = (): PreBindPlugin => ({ name: 'NoVolumes', preBind: () => Status.error('volume attach failed') });
  const rows = run([['p', 'x', '0s']], 'NoVolumes', failing);
  assert.deepEqual(rows[0], ['p', 'error', '0.001104', 'volume attach failed']);
});
