// RunOptions.sinks: with the `none` sink (sweeps, capacity probes) no table is kept, and the
// summary is exactly the one a run keeping every table gives.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runScenario } from '../src/run/run-scenario.js';
import { loadScenario } from '../src/workload/scenario.js';
import { repoPath } from '../src/testing/repo-paths.js';

for (const name of ['quickstart', 'zone-outage', 'jobs-with-failures']) {
  test(`${name}: the none sink keeps summary.csv alone, and the same summary as in memory`, () => {
    const s = loadScenario(repoPath(`scenarios/${name}.yaml`));
    const kept = runScenario(s, { events: true });
    const none = runScenario(s, { events: true, sinks: 'none' });
    assert.deepEqual(none.tables.map((t) => t.file), ['summary.csv']);
    assert.deepEqual(none.summary, kept.summary);
    assert.deepEqual(none.tables[0], kept.tables[0]);
    assert.deepEqual(kept.tables.map((t) => t.file).filter((f) => f !== 'recovery.csv'), ['summary.csv', 'placements.csv', 'pods.csv', 'jobs.csv', 'timeseries.csv', 'nodes.csv', 'workloads.csv', 'events.csv']);
  });
}
