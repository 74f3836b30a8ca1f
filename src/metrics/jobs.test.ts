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
  const pod = (name: string, kind: string, owner: string) => jobs.watcher.podAdded?.(podInfo(makePod(name).owner(kind, owner).obj(), sim.now));
  // init is already Complete when it arrives at 0 s, with its first pod at 0 s: started,
  // finished at 0; a later status write, a later pod and its deletion change nothing.
  at(0, () => {
    jobs.watcher.objectAdded?.(job('default', 'init', { succeeded: 1, conditions: [{ type: 'Complete', status: 'True', reason: 'CompletionsReached' }] }));
    pod('init-1', 'Job', 'init');
  });
  at(1, () => pod('init-2', 'Job', 'init'));
  at(8, () => jobs.watcher.objectUpdated?.(job('default', 'init', { succeeded: 5, conditions: [{ type: 'Failed', status: 'True' }] }), job('default', 'init')));
  at(9, () => jobs.watcher.objectDeleted?.(job('default', 'init')));
  at(1, () => jobs.watcher.objectAdded?.(job('default', 'c')));
  // Created at the same µs in the order default/b, z/a, default/y, default/a: listed by
  // namespace, then name.
  at(5, () => {
    jobs.watcher.objectAdded?.(job('default', 'b'));
    jobs.watcher.objectAdded?.(job('z', 'a'));
    jobs.watcher.objectAdded?.(job('default', 'y'));
    jobs.watcher.objectAdded?.(job('default', 'a'));
  });
  // A pod of a ReplicaSet named a does not start Job a; a's first pod at 6 s does, its second
  // at 7 s does not.
  at(5.5, () => pod('x', 'ReplicaSet', 'a'));
  at(6, () => pod('a-1', 'Job', 'a'));
  at(7, () => pod('a-2', 'Job', 'a'));
  at(3, () => pod('c-1', 'Job', 'c'));
  // a completes at 20 s (a later status write does not move it); c fails at 30 s; b is deleted
  // unfinished at 40 s; c deleted after it finished stays Failed; z/a and y run to the end.
  at(20, () => jobs.watcher.objectUpdated?.(job('default', 'a', { succeeded: 2, conditions: [{ type: 'Complete', status: 'True', reason: 'CompletionsReached' }] }), job('default', 'a')));
  at(25, () => jobs.watcher.objectUpdated?.(job('default', 'a', { succeeded: 3, conditions: [{ type: 'Complete', status: 'True' }] }), job('default', 'a')));
  at(30, () => jobs.watcher.objectUpdated?.(job('default', 'c', { succeeded: 1, failed: 4, conditions: [{ type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded' }] }), job('default', 'c')));
  at(40, () => jobs.watcher.objectDeleted?.(job('default', 'b')));
  at(41, () => jobs.watcher.objectDeleted?.(job('default', 'c')));
  // Heard after the deletions: a late status write of b, and c deleted again, change nothing.
  at(45, () => jobs.watcher.objectUpdated?.(job('default', 'b', { succeeded: 1, conditions: [{ type: 'Complete', status: 'True' }] }), job('default', 'b')));
  at(46, () => jobs.watcher.objectDeleted?.(job('default', 'c')));
  // A Deployment named like Job y, created and deleted, is not a Job: no row, y stays Running.
  const deploy: WorkloadObject = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'y', namespace: 'default' }, spec: { replicas: 1 } };
  at(2, () => jobs.watcher.objectAdded?.(deploy));
  at(50, () => jobs.watcher.objectDeleted?.(deploy));
  sim.run(100 * S);
  const rows: TypedRow[] = [];
  // The Job controller's live counts: asked only for Jobs still running (y has none).
  jobs.finish({ add: (r) => rows.push(r) }, (ns, name) => (name === 'y' ? undefined : { succeeded: ns === 'z' ? 1 : 9, failed: ns === 'z' ? 2 : 9 }));
  const cols = ['namespace', 'name', 'workload', 'created_s', 'started_s', 'finished_s', 'succeeded', 'failed', 'condition', 'reason'];
  assert.deepEqual(rows.map((r) => cols.map((c) => r[c])), [
    ['default', 'init', 'w-init', 0, 0, 0, 1, 0, 'Complete', 'CompletionsReached'],
    ['default', 'c', 'w-c', 1, 3, 30, 1, 4, 'Failed', 'BackoffLimitExceeded'],
    ['default', 'a', 'w-a', 5, 6, 20, 2, 0, 'Complete', 'CompletionsReached'],
    ['default', 'b', 'w-b', 5, null, null, null, null, 'Deleted', ''],
    ['default', 'y', 'w-y', 5, null, null, null, null, 'Running', ''],
    ['z', 'a', 'w-a', 5, null, null, 1, 2, 'Running', ''],
  ]);
});
