// pods.csv and jobs.csv end to end on test/scenarios/pods-and-jobs.yaml, every value worked out
// from the scenario: one node n-0 (zone-a, 1 CPU); each write commits 1 ms after it is sent and
// is heard at once; a pod starts 1 s after its kubelet sees the binding. A scheduling cycle on
// the one node costs 100 µs + 0.1 µs × 8 Filter calls = 101 µs (one feasible node: no scoring,
// src/scheduler/cost-model.ts); a failing cycle whose preemption dry run filters the node again
// costs 100 + 0.1 × 16 = 101.6 → 102 µs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { runScenario } from '../src/run/run-scenario.js';
import { loadScenario } from '../src/workload/scenario.js';
import { repoPath } from '../src/testing/repo-paths.js';
import { tempDir } from '../src/testing/temp-dir.js';
import { OutputFolder, toCsv } from '../src/metrics/csv-output.js';
import { columnsOf } from '../src/metrics/schema.js';

const FILE = repoPath('test/scenarios/pods-and-jobs.yaml');

function csvOf(file: string): string {
  const t = runScenario(loadScenario(FILE)).tables.find((x) => x.file === file);
  assert.ok(t, file);
  return toCsv(t);
}

test('pods.csv: a row per pod with its times, node, zone, phase, attempts, preemption and requests (cpu 500m / 1, no memory asked: 0); pods gone first, in the order they went, then the rest by name', () => {
  assert.equal(csvOf('pods.csv'), [
    'namespace,name,owner_kind,owner,workload,created_s,first_attempt_s,bound_s,started_s,finished_s,deletion_requested_s,deleted_s,node,zone,phase,attempts,restarts,evicted,preempted,cpu_requested_milli,memory_requested_bytes',
    // hog: created 30 s + 1 ms; cycle 101 µs, binding 1 ms → 30.002101; Running reported 1 s
    // later, committed 1 ms after → 31.003101. vip's first cycle (40.001 s + 102 µs) preempts it:
    // the graceful delete commits at 40.002102, the kubelet (grace 0) deletes it for good 1 ms
    // later (deletion_requested_s 40.002102, deleted_s 40.003102). It was Running when it went.
    'default,hog,,,hog,30.001,30.002101,30.002101,31.003101,,40.002102,40.003102,n-0,zone-a,Running,1,0,false,true,1000,0',
    // The Job's pods (names from the seeded name stream): the first is created when the Job's
    // create commits (10.001) plus 1 ms; bound 101 µs + 1 ms later; Running 1 s + 1 ms later;
    // Succeeded 3 s + 1 ms later (14.005101); the Job controller's sync comes 1 s after that pod
    // event (upstream syncJobBatchPeriod; its earlier pod events' syncs, 1 s after the create
    // and after Running, found nothing to do) and creates the second (1 ms): 15.006101.
    'default,batch-9crgw,Job,batch,batch,10.002,10.003101,10.003101,11.004101,14.005101,,,n-0,zone-a,Succeeded,1,0,false,false,500,0',
    'default,batch-fd6hf,Job,batch,batch,15.006101,15.007202,15.007202,16.008202,19.009202,,,n-0,zone-a,Succeeded,1,0,false,false,500,0',
    // short: created 1.001, bound 1.002101, Running 2.003101, Succeeded 5 s + 1 ms later.
    'default,short,,,short,1.001,1.002101,1.002101,2.003101,7.004101,,,n-0,zone-a,Succeeded,1,0,false,false,500,0',
    // vip: attempt 1 fails at 40.001102 (first_attempt_s); hog gone at 40.003102, attempt 2 on
    // its nominated node takes 101 µs, the binding 1 ms → 40.004203; Running 1 s + 1 ms later.
    'default,vip,,,vip,40.001,40.001102,40.004203,41.005203,,,,n-0,zone-a,Running,2,0,false,false,1000,0',
    '',
  ].join('\n'));
});

test('jobs.csv: created, first pod, finished (the Complete status write), counts and condition', () => {
  assert.equal(csvOf('jobs.csv'), [
    'namespace,name,workload,created_s,started_s,finished_s,succeeded,failed,condition,reason',
    // The second pod Succeeded at 19.009202; the Job controller's sync 1 s later (upstream
    // syncJobBatchPeriod) writes the status, which commits 1 ms after: 20.010202.
    'default,batch,batch,10.001,10.002,20.010202,2,0,Complete,CompletionsReached',
    '',
  ].join('\n'));
});

test('pods.csv streamed to a file is byte-identical to the in-memory table, and two runs give the same bytes', () => {
  const dir = join(tempDir('ksim-pods-'), 'out');
  try {
    const texts: string[] = [];
    for (let i = 0; i < 2; i++) {
      const folder = new OutputFolder(dir, `t${i}`);
      const sink = folder.stream('pods.csv', columnsOf('pods.csv'));
      const r = runScenario(loadScenario(FILE), { sinks: { 'pods.csv': sink } });
      assert.equal(r.tables.find((t) => t.file === 'pods.csv'), undefined);
      folder.commit([{ file: 'run.json', content: '{}\n' }]);
      texts.push(readFileSync(join(dir, 'pods.csv'), 'utf8'));
    }
    assert.equal(texts[0], texts[1]);
    assert.equal(texts[0], csvOf('pods.csv'));
  } finally {
    rmSync(join(dir, '..'), { recursive: true, force: true });
  }
});
