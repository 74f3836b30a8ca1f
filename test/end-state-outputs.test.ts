// The output files checked against each other at the end of a run (test/scenarios/
// end-state-outputs.yaml): pods still Terminating (pods.csv deletion_requested_s, timeseries.csv
// pods_terminating), a Deployment deleted during the run (workloads.csv, summary.csv), the last
// sample at the run's end (timeseries.csv), each pod's extended-resource requests (pods.csv,
// nodes.csv); and the files as `ksim run` streams and writes them, byte-identical run to run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { runScenario, type RunResult } from '../src/run/run-scenario.js';
import { runIntoFolder } from '../src/run/run-folder.js';
import { loadScenario } from '../src/workload/scenario.js';
import { repoPath } from '../src/testing/repo-paths.js';
import { tempDir } from '../src/testing/temp-dir.js';
import { toCsv } from '../src/metrics/csv-output.js';

const FILE = repoPath('test/scenarios/end-state-outputs.yaml');

let memo: RunResult | null = null;
function run(): RunResult {
  return (memo ??= runScenario(loadScenario(FILE)));
}

function rows(file: string): Record<string, string | number>[] {
  const t = run().tables.find((x) => x.file === file);
  assert.ok(t, file);
  return t.rows as Record<string, string | number>[];
}

test('pods.csv deletion_requested_s: the old api pods of the 11m rollout (grace 120 s) are Terminating at the end; GC-deleted pods went after their 30 s grace', () => {
  const pods = rows('pods.csv');
  const cols = (r: Record<string, string | number>) => [r['name'], r['phase'], r['deletion_requested_s'], r['deleted_s']];
  // The rollout's new pods ran at 661.13 s and 661.90 s: an old pod deleted after each, its
  // kubelet not done with its 120 s grace period by 720 s.
  assert.deepEqual(pods.filter((r) => r['owner'] === 'api-66dd5f6b44').map(cols), [
    ['api-66dd5f6b44-gc6mm', 'Running', '661.134777', ''],
    ['api-66dd5f6b44-n82fg', 'Running', '661.912477', ''],
  ]);
  // Deployment big deleted at 150 s (the trace): the garbage collector deletes its ReplicaSet's
  // pods, gone after the default 30 s grace period.
  assert.deepEqual(pods.filter((r) => r['owner'] === 'big-6b9984946f').map(cols), [
    ['big-6b9984946f-jpkwn', 'Running', '150.008505', '180.010938'],
    ['big-6b9984946f-6dfqg', 'Running', '150.009467', '180.012911'],
  ]);
  // Never deleted: empty.
  assert.deepEqual(pods.filter((r) => r['owner'] === 'train-85548d5cd6').map((r) => r['deletion_requested_s']), ['', '', '']);
  // Terminating at the end = requested and not gone, as timeseries.csv's last row counts them.
  const ts = rows('timeseries.csv');
  const terminating = pods.filter((r) => r['deletion_requested_s'] !== '' && r['deleted_s'] === '').length;
  assert.equal(terminating, 2);
  assert.equal(ts[ts.length - 1]!['pods_terminating'], terminating);
});

test('pods.csv nvidia.com/gpu_requested: per pod, summing to nodes.csv\'s per node over the pods bound there and not gone', () => {
  const pods = rows('pods.csv');
  assert.deepEqual(pods.filter((r) => r['owner'] === 'train-85548d5cd6').map((r) => [r['node'], r['nvidia.com/gpu_requested']]), [['g-0', 2], ['g-1', 2], ['g-1', 2]]);
  assert.deepEqual(pods.filter((r) => r['namespace'] === 'shop').map((r) => r['nvidia.com/gpu_requested']), [0, 0, 0, 0]);
  const held = new Map<string, number>();
  for (const r of pods) if (r['node'] !== '' && r['deleted_s'] === '' && r['finished_s'] === '') held.set(String(r['node']), (held.get(String(r['node'])) ?? 0) + Number(r['nvidia.com/gpu_requested']));
  assert.deepEqual(rows('nodes.csv').map((n) => [n['node'], n['nvidia.com/gpu_requested'], held.get(String(n['node']))]), [['g-0', 2, 2], ['g-1', 4, 4]]);
});

test('ksim run\'s files (pods.csv streamed) are the in-memory tables, byte for byte, and the same seed twice gives the same bytes', async () => {
  const dir = tempDir('ksim-end-state-');
  try {
    const texts: Record<string, string>[] = [];
    for (let i = 0; i < 2; i++) {
      const out = join(dir, `out${i}`);
      const r = await runIntoFolder(loadScenario(FILE), { dir: out, tag: `t${i}`, set: [], events: false, plugins: new Map(), loadWarnings: [] });
      assert.ok(r);
      texts.push(Object.fromEntries(['pods.csv', 'timeseries.csv', 'nodes.csv', 'workloads.csv', 'summary.csv'].map((f) => [f, readFileSync(join(out, f), 'utf8')])));
    }
    assert.deepEqual(texts[0], texts[1]);
    for (const t of run().tables) if (t.file in texts[0]!) assert.equal(texts[0]![t.file], toCsv(t), t.file);
    assert.match(texts[0]!['pods.csv']!, /^namespace,.*,finished_s,deletion_requested_s,deleted_s,.*,memory_requested_bytes,nvidia\.com\/gpu_requested\n/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('timeseries.csv: a 7 s interval over 12 m samples 0 … 714, then the end, 720, once; its last row is the end state nodes.csv reports', () => {
  const ts = rows('timeseries.csv');
  assert.equal(ts.length, 104); // 0, 7, …, 714 (103 samples) and 720
  assert.deepEqual(ts.slice(-3).map((r) => r['time_s']), ['707', '714', '720']);
  const last = ts[ts.length - 1]!;
  const nodes = rows('nodes.csv');
  const sum = (c: string) => nodes.reduce((s, n) => s + Number(n[c]), 0);
  assert.equal(Number(last['cpu_requested_ratio']), sum('cpu_requested_milli') / sum('cpu_allocatable_milli'));
  assert.equal(Number(last['nvidia.com/gpu_requested_ratio']), sum('nvidia.com/gpu_requested') / sum('nvidia.com/gpu_allocatable'));
  assert.deepEqual([last['nodes_ready'], last['pods_running'], last['pods_terminating'], last['cpu_requested_ratio']], [2, 7, 2, '0.625']);
});

test('workloads.csv: Deployment big, deleted at 150 s by the trace, is no workload at the end: no row, nothing in the summary\'s *_end counts', () => {
  assert.deepEqual(rows('workloads.csv').map((r) => [r['kind'], r['namespace'], r['name'], r['desired'], r['ready']]), [
    ['Deployment', 'ml', 'train', 3, 3],
    ['Deployment', 'shop', 'api', 2, 2],
  ]);
  assert.deepEqual([run().summary.replicas_desired_end, run().summary.replicas_ready_end], [5, 5]);
});
