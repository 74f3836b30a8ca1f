// The fault injector (src/faults/injector.ts) end to end: what each fault kind does to a run,
// with expected values worked out from the scenario's timings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseScenario, runScenario } from '../src/index.js';
import type { Row } from '../src/metrics/collector.js';

function scenario(extra: string): string {
  return `apiVersion: ksim/v1alpha1
kind: Scenario
duration: 2m
cluster:
  nodePools: [{ name: n, count: 2, allocatable: { cpu: "32", memory: 128Gi } }]
kubelet: { startupLatency: 1s }
${extra}
workload:
  - name: web
    manifest:
      apiVersion: apps/v1
      kind: Deployment
      metadata: { name: web }
      spec:
        replicas: 2
        selector: { matchLabels: { app: web } }
        template:
          metadata: { labels: { app: web } }
          spec: { containers: [{ name: c, image: x }] }
`;
}

function recoveryRows(text: string): readonly Row[] {
  const r = runScenario(parseScenario(text, 'faults.yaml'), { checkInvariants: true });
  const t = r.tables.find((x) => x.file === 'recovery.csv');
  assert.ok(t !== undefined);
  return t.rows;
}

test('an etcd leader loss ends when the election does: at + electionTimeout (1 s by default, 7 s here)', () => {
  for (const [extra, end] of [
    ['faults: [{ etcdLeaderLoss: { at: 30s } }]', '31'],
    ['controlPlane: { etcd: { electionTimeout: 7s } }\nfaults: [{ etcdLeaderLoss: { at: 30s } }]', '37'],
  ] as const) {
    const [row] = recoveryRows(scenario(extra));
    assert.deepEqual([row?.['fault_id'], row?.['kind'], row?.['target'], row?.['start_s'], row?.['end_s'], row?.['pods_affected']], ['f1', 'etcdLeaderLoss', 'etcd', '30', end, 0], extra);
  }
});
