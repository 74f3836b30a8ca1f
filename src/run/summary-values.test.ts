// RunResult.summary's type: a field per summary.csv column, typed by the column.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runScenario, SUMMARY_COLUMNS } from './run-scenario.js';
import { loadScenario } from '../workload/scenario.js';
import { columnNames, type SummaryColumn } from '../metrics/schema.js';
import { repoPath } from '../testing/repo-paths.js';

test('RunResult.summary is typed per summary.csv column: the scenario as text, the others as numbers or null, the GPU-sharing ones optional', () => {
  const r = runScenario(loadScenario(repoPath('scenarios/quickstart.yaml'), { set: ['duration=2m'] }));
  // These assignments type-check only with the per-column type: a string-keyed record gives
  // `string | number | null | undefined` for each.
  const name: string = r.summary.scenario;
  const bound: number | null = r.summary.pods_bound;
  const peak: number | null = r.summary['cpu_requested_peak_ratio'];
  const gpu: number | null | undefined = r.summary.gpu_unallocated_at_100_pct;
  assert.deepEqual([name, r.summary.seed, r.summary.sim_duration_s, gpu], ['quickstart', 42, 120, undefined]);
  assert.equal(typeof bound, 'number');
  assert.ok(peak !== null && peak > 0 && peak <= 1, String(peak));
  // A column looked up by a name held in a string still type-checks (as with the record before).
  assert.deepEqual(['pods_submitted', 'pods_bound'].map((c) => typeof r.summary[c]), ['number', 'number']);
  // The fields are the file's columns, in its order.
  assert.deepEqual(Object.keys(r.summary), SUMMARY_COLUMNS);
});

test('SummaryColumn names every summary.csv column, the GPU-sharing ones included, and no other', () => {
  // Record<SummaryColumn, true>: the compiler refuses a missing or an unknown name.
  const all: Record<SummaryColumn, true> = {
    scenario: true, seed: true, sim_duration_s: true, pods_submitted: true, pods_bound: true, pods_unbound_end: true,
    replicas_desired_end: true, replicas_ready_end: true, sched_attempts: true, sched_latency_p50_ms: true,
    sched_latency_p99_ms: true, startup_latency_p50_ms: true, startup_latency_p99_ms: true, cpu_requested_mean_ratio: true,
    memory_requested_mean_ratio: true, events: true, node_failures: true, pods_evicted: true, reschedule_p50_s: true,
    reschedule_p99_s: true, time_to_full_availability_max_s: true, available_min_ratio: true, container_restarts: true,
    cpu_requested_peak_ratio: true, memory_requested_peak_ratio: true,
    requested_peak_s: true, cost_per_hour: true, pods_deleted_unbound: true, sched_latency_max_ms: true, pods_waited_over_60s: true,
    gpu_unallocated_at_100_pct: true, gpu_unallocated_at_130_pct: true, gpu_fragmentation_at_100_pct: true,
  };
  assert.deepEqual(Object.keys(all), columnNames('summary.csv', { gpuSharing: true }));
});
