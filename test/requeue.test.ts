// Pods rejected while a zone is down are retried when the zone's nodes come back (the node
// update that clears their taints is an event the rejecting plugins' queueing hints accept),
// not at the 5-minute unschedulable flush. Scenario of issue 15 (test/scenarios/spread-outage.yaml).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadScenario } from '../src/index.js';
import { repoPath } from '../src/testing/repo-paths.js';
import { runScenario } from '../src/run/run-scenario.js';
import type { Row } from '../src/metrics/collector.js';


function rows(result: ReturnType<typeof runScenario>, file: string): readonly Row[] {
  const t = result.tables.find((x) => x.file === file);
  assert.ok(t, file);
  return t.rows;
}

test('replacements blocked while a zone is down bind within seconds of its nodes turning Ready again', () => {
  const result = runScenario(loadScenario(repoPath('test/scenarios/spread-outage.yaml')), { events: true });
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
