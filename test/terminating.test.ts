// Graceful deletion: a deleted pod that runs on a node is Terminating until its kubelet has
// stopped it (terminationGracePeriodSeconds, default 30 s) and deleted it for good; on a node
// that is down it stays Terminating until the node is back. A ReplicaSet replaces a Terminating
// pod at once; a StatefulSet waits until it is gone (at most one pod per identity).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseScenario } from '../src/index.js';
import { runScenario } from '../src/run/run-scenario.js';
import type { Row } from '../src/metrics/collector.js';

// Every write takes 1 ms and watchers hear at once, so times below are exact to the ms.
const BASE = `
apiVersion: ksim/v1alpha1
kind: Scenario
metadata: { name: terminating }
seed: 3
duration: 20m
cluster:
  nodePools:
    - { name: n, count: 2, zones: [zone-a], allocatable: { cpu: "4", memory: 16Gi } }
controlPlane:
  apiWriteLatency: 1ms
  watchDelay: 0s
  etcd: { members: 1, fsync: 0s, maxWritesPerSecond: 1e12 }
kubelet:
  startupLatency: 1s
`;

function rows(result: ReturnType<typeof runScenario>, file: string): readonly Row[] {
  const t = result.tables.find((x) => x.file === file);
  assert.ok(t, file);
  return t.rows;
}

function workload(kind: 'Deployment' | 'StatefulSet', extraSpec = ''): string {
  return `
workload:
  - name: db
    at: 0s
    manifest:
      apiVersion: apps/v1
      kind: ${kind}
      metadata: { name: db }
      spec:
        replicas: 1
        ${kind === 'StatefulSet' ? 'serviceName: db' : ''}
        selector: { matchLabels: { app: db } }
        template:
          metadata: { labels: { app: db } }
          spec:
            ${extraSpec}
            containers: [{ name: db, image: postgres, resources: { requests: { cpu: "1", memory: 1Gi } } }]
`;
}

/** The node the only pod was first bound to. */
function firstNode(result: ReturnType<typeof runScenario>): string {
  const b = rows(result, 'placements.csv').find((r) => r['result'] === 'bound');
  assert.ok(b);
  return String(b['node']);
}

test('a StatefulSet pod on a dead node stays Terminating until the node is back; its replacement comes after', () => {
  // Learn which node the pod lands on, then kill that node from 60 s for 10 min.
  const probe = runScenario(parseScenario(BASE + workload('StatefulSet'), 'ss.yaml'));
  const node = firstNode(probe);
  const result = runScenario(parseScenario(BASE + workload('StatefulSet') + `faults:\n  - nodeDown: { nodes: [${node}], at: 60s, for: 10m }\n`, 'ss.yaml'));
  const placements = rows(result, 'placements.csv');
  const evicted = placements.filter((r) => r['result'] === 'evicted');
  assert.equal(evicted.length, 1, 'db-0 evicted from the dead node');
  const evictS = Number(evicted[0]?.['time_s']);
  // NotReady ≈ 110-120 s, eviction 300 s later; the node returns at 660 s.
  assert.ok(evictS > 400 && evictS < 430, `evicted at ${evictS}`);
  const terminated = placements.filter((r) => r['result'] === 'terminated');
  assert.equal(terminated.length, 1);
  const goneS = Number(terminated[0]?.['time_s']);
  assert.ok(goneS >= 660 && goneS < 661, `db-0 gone at ${goneS} s, when its kubelet is back (660 s)`);
  assert.equal(terminated[0]?.['node'], node);
  const binds = placements.filter((r) => r['result'] === 'bound').map((r) => Number(r['time_s']));
  assert.equal(binds.length, 2, 'the original and one replacement');
  assert.ok((binds[1] as number) > goneS, `replacement bound at ${binds[1]} s, after the old pod was gone at ${goneS} s`);
  // While Terminating, the pod shows in the time series (samples every minute).
  const ts = rows(result, 'timeseries.csv');
  const terminatingAt = (s: number) => Number(ts.find((r) => Number(r['time_s']) === s)?.['pods_terminating']);
  assert.equal(terminatingAt(360), 0);
  assert.equal(terminatingAt(480), 1);
  assert.equal(terminatingAt(600), 1);
  assert.equal(terminatingAt(720), 0);
});

test('a pod evicted while its node is cut off is stopped when the node is back: after its grace period if it still runs, at once if it ended meanwhile', () => {
  // A StatefulSet pod with a run time: its run's timer must not keep the kubelet from stopping it.
  const text = (run: string, fault: string) => BASE + workload('StatefulSet').replace('    at: 0s\n', `    at: 0s\n    runDuration: ${run}\n`) + `faults:\n  - partition: { nodes: [${fault}], at: 60s, for: 10m }\n`;
  const node = firstNode(runScenario(parseScenario(text('20m', 'nowhere').replace(/faults:[^]*$/, ''), 'ss.yaml')));
  for (const [run, goneFrom] of [['20m', 690], ['8m', 660]] as const) {
    const placements = rows(runScenario(parseScenario(text(run, node), 'ss.yaml')), 'placements.csv');
    const evictS = Number(placements.find((r) => r['result'] === 'evicted')?.['time_s']);
    assert.ok(evictS > 400 && evictS < 430, `evicted at ${evictS}`);
    const gone = placements.filter((r) => r['result'] === 'terminated');
    assert.equal(gone.length, 1, run);
    const goneS = Number(gone[0]?.['time_s']);
    // Healed at 660 s: a pod still running gets its 30 s; one whose 8 min run ended at ~481 s
    // has no containers left to stop.
    assert.ok(goneS >= goneFrom && goneS < goneFrom + 0.1, `${run}: db-0 gone at ${goneS} s, expected ${goneFrom} s`);
    const binds = placements.filter((r) => r['result'] === 'bound').map((r) => Number(r['time_s']));
    assert.ok((binds[1] as number) > goneS && (binds[1] as number) < goneS + 1, `${run}: replacement bound at ${binds[1]} s, just after ${goneS} s`);
  }
});

test('a Deployment pod on a dead node is replaced at once while it is still Terminating', () => {
  const probe = runScenario(parseScenario(BASE + workload('Deployment'), 'dep.yaml'));
  const node = firstNode(probe);
  const result = runScenario(parseScenario(BASE + workload('Deployment') + `faults:\n  - nodeDown: { nodes: [${node}], at: 60s, for: 10m }\n`, 'dep.yaml'));
  const placements = rows(result, 'placements.csv');
  const evictS = Number(placements.find((r) => r['result'] === 'evicted')?.['time_s']);
  const binds = placements.filter((r) => r['result'] === 'bound').map((r) => Number(r['time_s']));
  assert.equal(binds.length, 2);
  assert.ok((binds[1] as number) - evictS < 0.1, `replacement bound ${(binds[1] as number) - evictS} s after the eviction`);
  const goneS = Number(placements.find((r) => r['result'] === 'terminated')?.['time_s']);
  assert.ok(goneS >= 660 && goneS < 661, `old pod gone at ${goneS} s`);
});

test('a scaled-down pod holds its node for its grace period: 30 s by default, as its spec says otherwise', () => {
  for (const [spec, graceS] of [['', 30], ['terminationGracePeriodSeconds: 5', 5]] as const) {
    const shrink = workload('Deployment', spec).replace('workload:\n  - name: db\n    at: 0s', '  - name: shrink\n    at: 2m').replace('replicas: 1', 'replicas: 0');
    const result = runScenario(parseScenario(BASE + workload('Deployment', spec) + shrink, 'scale.yaml'));
    const placements = rows(result, 'placements.csv');
    const t = placements.find((r) => r['result'] === 'terminated');
    assert.ok(t, `a terminated row (${spec})`);
    assert.match(String(t['reason']), new RegExp(`^terminating for ${graceS}\\.\\d{3}s after: scaled down$`));
  }
});
