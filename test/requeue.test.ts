// Pods rejected while a zone is down are retried when the zone's nodes come back (the node
// update that clears their taints is an event the rejecting plugins' queueing hints accept),
// not at the 5-minute unschedulable flush. Scenario of issue 15: 27 nodes in three zones, a
// Deployment with a hard zone spread, zone eu-west-1b dark from 5 m to 15 m.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseScenario } from '../src/index.js';
import { runScenario } from '../src/run/run-scenario.js';
import type { Row } from '../src/metrics/collector.js';

const SCENARIO = `
apiVersion: ksim/v1alpha1
kind: Scenario
metadata: { name: zone-return }
seed: 4
duration: 30m
cluster:
  nodePools:
    - name: general
      count: 27
      zones: [eu-west-1a, eu-west-1b, eu-west-1c]
      allocatable: { cpu: 7910m, memory: 30Gi, pods: 58 }
workload:
  - name: web
    at: 0s
    manifest:
      apiVersion: apps/v1
      kind: Deployment
      metadata: { name: web, namespace: shop }
      spec:
        replicas: 30
        selector: { matchLabels: { app: web } }
        template:
          metadata: { labels: { app: web } }
          spec:
            topologySpreadConstraints:
              - { maxSkew: 1, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: DoNotSchedule, labelSelector: { matchLabels: { app: web } } }
            containers:
              - { name: web, image: nginx, resources: { requests: { cpu: "1", memory: 2Gi } } }
faults:
  - zoneOutage: { zone: eu-west-1b, at: 5m, for: 10m }
`;

function rows(result: ReturnType<typeof runScenario>, file: string): readonly Row[] {
  const t = result.tables.find((x) => x.file === file);
  assert.ok(t, file);
  return t.rows;
}

test('replacements blocked while a zone is down bind within seconds of its nodes turning Ready again', () => {
  const result = runScenario(parseScenario(SCENARIO, 'zone-return.yaml'), { events: true });
  // The zone's nodes are updated (Ready, taints removed) at the lifecycle controller's first
  // monitor tick after their first renewal at 900 s or later.
  const readyUpdates = rows(result, 'events.csv')
    .filter((r) => r['kind'] === 'api.update-node' && Number(r['time_s']) >= 900)
    .map((r) => Number(r['time_s']));
  assert.ok(readyUpdates.length >= 9, `node updates after the zone returned: ${readyUpdates.length}`);
  const lastReady = Math.max(...readyUpdates.slice(0, 9));
  assert.ok(lastReady < 930, `zone Ready again by ${lastReady}`);
  const placements = rows(result, 'placements.csv');
  const evicted = placements.filter((r) => r['result'] === 'evicted');
  assert.ok(evicted.length >= 9, `pods evicted from the dark zone: ${evicted.length}`);
  // Every replacement pending across the outage binds after the zone is back, and soon.
  const lateBinds = placements.filter((r) => r['result'] === 'bound' && Number(r['time_s']) >= 900).map((r) => Number(r['time_s']));
  assert.ok(lateBinds.length > 0, 'some replacements waited for the zone');
  const lastBind = Math.max(...lateBinds);
  assert.ok(lastBind <= lastReady + 5, `last replacement bound at ${lastBind} s, zone Ready by ${lastReady} s (the 5-minute flush would be 1,050 s or later)`);
  assert.equal(result.summary['pods_unbound_end'], 0);
  assert.equal(placements.filter((r) => r['result'] === 'error').length, 0);
});
