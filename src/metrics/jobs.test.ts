// jobs.csv on its own: the JobsCollector hearing Job objects and pods as a run delivers them,
// checked against the definitions in jobs.ts (times when the writes committed; Jobs by creation
// time, then namespace and name; live counts for Jobs still running at the end).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Simulation } from '../engine/simulation.js';
import type { WorkloadObject } from '../cluster/workload-object.js';
import { makePod, podInfo } from '../testing/builders.js';
import { WORKLOAD_ANNOTATION } from '../cluster/pod-info.js';
import type { TypedRow } from './schema.js';
import { JobsCollector } from './jobs.js';

const S = 1_000_000;

function job(ns: string, name: string, status?: { succeeded?: number; failed?: number; conditions?: { type: string; status: string; reason?: string }[] }): WorkloadObject {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace: ns },
    spec: { template: { metadata: { annotations: { [WORKLOAD_ANNOTATION]: `w-${name}` } } } },
    ...(status === undefined ? {} : { status }),
  };
}

test('jobs.csv: created, started (first pod), finished from the status condition, deleted before finishing, live counts; by creation time, namespace, name', () => {
  const sim = new Simulation();
  const jobs = new JobsCollector(sim);
  const at = (s: number, fn: () => void) => sim.scheduleAt(s * S, 'test', '', fn);
  // Created at 5 s in the order b, a (same µs): listed a, b. c at 1 s comes first; z/d in
  // another namespace at 5 s comes after default's.
  at(1, () => jobs.watcher.objectAdded?.(job('default', 'c')));
  at(5, () => {
    jobs.watcher.objectAdded?.(job('z', 'd'));
    jobs.watcher.objectAdded?.(job('default', 'b'));
    jobs.watcher.objectAdded?.(job('default', 'a'));
  });
  // a's first pod at 6 s starts it (its second pod at 7 s does not); a pod of no Job is ignored.
  at(6, () => jobs.watcher.podAdded?.(podInfo(makePod('a-1').owner('Job', 'a').obj(), sim.now)));
  at(7, () => jobs.watcher.podAdded?.(podInfo(makePod('a-2').owner('Job', 'a').obj(), sim.now)));
  at(7, () => jobs.watcher.podAdded?.(podInfo(makePod('x').owner('ReplicaSet', 'a').obj(), sim.now)));
  at(3, () => jobs.watcher.podAdded?.(podInfo(makePod('c-1').owner('Job', 'c').obj(), sim.now)));
  // a completes at 20 s (a later status write does not move it); c fails at 30 s; b is deleted
  // unfinished at 40 s; c deleted after it finished stays Failed; d runs to the end.
  at(20, () => jobs.watcher.objectUpdated?.(job('default', 'a', { succeeded: 2, conditions: [{ type: 'Complete', status: 'True', reason: 'CompletionsReached' }] }), job('default', 'a')));
  at(25, () => jobs.watcher.objectUpdated?.(job('default', 'a', { succeeded: 3, conditions: [{ type: 'Complete', status: 'True' }] }), job('default', 'a')));
  at(30, () => jobs.watcher.objectUpdated?.(job('default', 'c', { succeeded: 1, failed: 4, conditions: [{ type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded' }] }), job('default', 'c')));
  at(40, () => jobs.watcher.objectDeleted?.(job('default', 'b')));
  at(41, () => jobs.watcher.objectDeleted?.(job('default', 'c')));
  sim.run(100 * S);
  const rows: TypedRow[] = [];
  jobs.finish({ add: (r) => rows.push(r) }, (ns, name) => (ns === 'z' && name === 'd' ? { succeeded: 1, failed: 2 } : undefined));
  const cols = ['namespace', 'name', 'workload', 'created_s', 'started_s', 'finished_s', 'succeeded', 'failed', 'condition', 'reason'];
  assert.deepEqual(rows.map((r) => cols.map((c) => r[c])), [
    ['default', 'c', 'w-c', 1, 3, 30, 1, 4, 'Failed', 'BackoffLimitExceeded'],
    ['default', 'a', 'w-a', 5, 6, 20, 2, 0, 'Complete', 'CompletionsReached'],
    ['default', 'b', 'w-b', 5, null, null, null, null, 'Deleted', ''],
    ['z', 'd', 'w-d', 5, null, null, 1, 2, 'Running', ''],
  ]);
});
