// The built package from plain JavaScript (issue 16 item 5): `Code` was a `const enum`, erased
// from the emitted JavaScript, so `(await import('ksim')).Code` was undefined. The fixture
// test/fixtures/readme-library.mjs runs the README's library and custom-plugin examples with node,
// importing 'ksim' by name, and prints what it saw.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { loadScenario, runScenario } from '../src/index.js';
import { REPO_ROOT, repoPath } from '../src/testing/repo-paths.js';

test("the README's examples run from plain JavaScript against the built package", () => {
  const r = spawnSync(process.execPath, ['test/fixtures/readme-library.mjs'], { cwd: REPO_ROOT, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const seen = JSON.parse(r.stdout) as Record<string, unknown>;
  assert.deepEqual(seen['kinds'], {
    loadScenario: 'function', runScenario: 'function', toCsv: 'function', explainFiles: 'function',
    Status: 'function', Code: 'object', FieldError: 'function', MAX_NODE_SCORE: 'number',
  });
  assert.deepEqual(seen['codes'], { Success: 0, Error: 1, Unschedulable: 2, UnschedulableAndUnresolvable: 3, Wait: 4, Skip: 5, Pending: 6 });
  assert.equal(seen['statusCode'], 'Unschedulable');
  assert.equal(seen['codeName'], 'UnschedulableAndUnresolvable');
  assert.equal(seen['maxNodeScore'], 100);
  assert.deepEqual(seen['csvChars'], { 'summary.csv': true, 'placements.csv': true, 'pods.csv': true, 'jobs.csv': true, 'timeseries.csv': true, 'nodes.csv': true, 'workloads.csv': true });
  assert.equal(seen['selected'], 'node-b');
  // scenarios/capacity.yaml: 12 nodes of 4 CPUs, 10 holding a 3-CPU replica: 10 × 1 + 2 × 4 copies of a 1-CPU pod.
  assert.deepEqual(seen['capacity'], { fits: 18, reason: 'Insufficient cpu', nodesFor: 15 });
  assert.deepEqual(seen['customPools'], ['big']);
  assert.equal(seen['argsError'], 'resource: expected an extended resource name such as nvidia.com/gpu, got "gpu"');
  // The same run through the TypeScript sources gives the same result.
  const ts = runScenario(loadScenario(repoPath('scenarios/quickstart.yaml'), { seed: 7, set: ['duration=10m'] }));
  assert.equal(seen['podsBound'], ts.summary['pods_bound']);
  // Issue 14 item 6: the summary holds numbers as numbers (decimals too) and null for an empty cell
  // (no fault, so no reschedule time).
  assert.deepEqual(seen['summaryTypes'], { scenario: 'string', pods_bound: 'number', sched_latency_p99_ms: 'number', cpu_requested_mean_ratio: 'number', reschedule_p50_s: 'null' });
  const file = ts.tables[0]!.rows[0]!;
  assert.equal(String(ts.summary['cpu_requested_mean_ratio']), file['cpu_requested_mean_ratio']);
});
