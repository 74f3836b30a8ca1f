// What stretched a recovery, said as a run warning (README "What stretches recovery"): the
// replacements' unschedulable wait with the scheduler's dominant reason.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseScenario } from '../workload/scenario.js';
import { runScenario } from '../run/run-scenario.js';
import { dominantReason } from './recovery.js';

const scenario = (o: { zones: string; count: number; spread: string; faults: string }) => parseScenario(`apiVersion: ksim/v1alpha1
kind: Scenario
seed: 1
duration: 15m
cluster:
  nodePools:
    - { name: general, count: ${o.count}, zones: ${o.zones}, allocatable: { cpu: "8", memory: 32Gi, pods: 110 } }
workload:
  - name: web
    at: 0s
    manifest:
      apiVersion: apps/v1
      kind: Deployment
      metadata: { name: web }
      spec:
        replicas: 6
        selector: { matchLabels: { app: web } }
        template:
          metadata: { labels: { app: web } }
          spec:
            tolerations:
              - { key: node.kubernetes.io/unreachable, operator: Exists, effect: NoExecute, tolerationSeconds: 30 }
            topologySpreadConstraints:
              - { maxSkew: 1, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: ${o.spread}, labelSelector: { matchLabels: { app: web } } }
            containers:
              - { name: web, image: nginx, resources: { requests: { cpu: 500m, memory: 1Gi } } }
faults:
${o.faults}
`, 'why.yaml');

test('dominantReason: the failure the most nodes share, the first of equals; a message of another shape as it is', () => {
  assert.equal(dominantReason("0/30 nodes are available: 10 node(s) had untolerated taint(s), 20 node(s) didn't match pod topology spread constraints. preemption: 0/30 nodes are available: 10 Preemption is not helpful for scheduling, 20 node(s) didn't match pod topology spread constraints."), "20 node(s) didn't match pod topology spread constraints");
  assert.equal(dominantReason('0/4 nodes are available: 2 Insufficient cpu, 2 node(s) had untolerated taint(s).'), '2 Insufficient cpu');
  assert.equal(dominantReason('plugin "X" failed'), 'plugin "X" failed');
});

const zoneOutage = '  - zoneOutage: { zone: zone-b, at: 60s, for: 10m }';

test('a zone outage whose replacements a DoNotSchedule zone spread holds unschedulable until the zone is back: the warning names the wait and why', () => {
  const r = runScenario(scenario({ zones: '[zone-a, zone-b, zone-c]', count: 6, spread: 'DoNotSchedule', faults: zoneOutage }));
  assert.deepEqual(r.warnings.filter((w) => w.startsWith('fault ')), [
    // Evicted 30 s after their nodes' NoExecute taints (145 and 155 s), first attempts 5 ms
    // later; zone-b back at 660 s and Ready at its next monitor tick: both bound at 665.005 s,
    // the first 519.996 s after its first attempt.
    "fault f1 (zoneOutage zone=zone-b): 2 replacements of evicted pods of Deployment default/web waited up to 520 s unschedulable: 4 node(s) didn't match pod topology spread constraints (whenUnsatisfiable DoNotSchedule over topology.kubernetes.io/zone (maxSkew 1); a lost domain's tainted nodes still count as a domain, with its pods gone, under nodeTaintsPolicy Ignore, the default: nodeTaintsPolicy Honor leaves them out)",
  ]);
  // ScheduleAnyway: the replacements go to the other zones at once, nothing to say.
  const anyway = runScenario(scenario({ zones: '[zone-a, zone-b, zone-c]', count: 6, spread: 'ScheduleAnyway', faults: zoneOutage }));
  assert.deepEqual(anyway.warnings.filter((w) => w.startsWith('fault ')), []);
});
