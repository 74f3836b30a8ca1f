// Node deletion by a ksim-events trace: races with the scheduler's binding and the DaemonSet
// controller, and the time series' groups of the nodes a trace adds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadScenario } from '../workload/scenario.js';
import { runScenario, type RunResult } from './run-scenario.js';

/** Runs `scenario` (YAML) with the trace `events` (JSON Lines) as events.jsonl beside it. */
function run(scenario: string, events: string, set: readonly string[] = []): RunResult {
  const dir = mkdtempSync(join(tmpdir(), 'ksim-nodedel-'));
  writeFileSync(join(dir, 'events.jsonl'), events);
  const file = join(dir, 's.yaml');
  writeFileSync(file, scenario);
  return runScenario(loadScenario(file, { set }), { checkInvariants: true });
}

function rows(r: RunResult, file: string): Record<string, unknown>[] {
  return [...(r.tables.find((t) => t.file === file)?.rows ?? [])];
}

const GHOST_RACE = `apiVersion: ksim/v1alpha1
kind: Scenario
metadata: { name: ghost }
seed: 5
duration: 4m
cluster:
  nodePools:
    - name: np
      count: 2
      allocatable: { cpu: "4", memory: 16Gi, pods: 110 }
workload:
  - name: web
    at: 60s
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
            containers: [{ name: web, image: nginx, resources: { requests: { cpu: 100m, memory: 128Mi } } }]
  - name: ev
    trace: { format: ksim-events, file: events.jsonl }
`;

test('a binding that commits after its node was deleted binds the pod to the missing node (upstream BindingREST checks no node): the pod GC fails and deletes it at 120 s, then it is replaced', () => {
  const r = run(GHOST_RACE, '{"at": 60.0125, "op": "delete", "object": {"apiVersion": "v1", "kind": "Node", "metadata": {"name": "np-0"}}}\n');
  const placements = rows(r, 'placements.csv');
  // Was: 60.015286 error "node np-0 not found", then bound on np-1 at 62.002226.
  assert.deepEqual(placements.filter((p) => p['result'] !== 'bound'), []);
  assert.deepEqual(placements.filter((p) => p['node'] === 'np-0').map((p) => [Number(p['time_s']), p['attempt']]), [[60.012154, 1], [60.015286, 1]]);
  const onNp0 = rows(r, 'pods.csv').filter((p) => p['node'] === 'np-0');
  // Never started (no kubelet); Failed (DeletionByPodGC) and deleted by gcOrphaned at 120 s.
  assert.deepEqual(onNp0.map((p) => [Number(p['bound_s']), p['started_s'], p['phase'], Number(p['deleted_s'])]).sort(), [
    [60.012154, '', 'Failed', 120.004719],
    [60.015286, '', 'Failed', 120.004601],
  ]);
  // Their two replacements bind on np-1 once they are gone.
  assert.deepEqual(placements.filter((p) => Number(p['time_s']) > 100).map((p) => [Number(p['time_s']), p['node']]), [[120.009288, 'np-1'], [120.013363, 'np-1']]);
});
