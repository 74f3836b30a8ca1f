// The controllers' shared work queue: events for one object within an instant make one sync
// (client-go's workqueue dedupes a key that is already queued).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Simulation } from '../engine/simulation.js';
import type { WorkloadObject } from '../cluster/workload-object.js';
import { namespacedKey, queueSync } from './work-queue.js';

test('queueSync: any number of queueings of one object within an instant make one sync; a later one makes another', () => {
  const events: string[] = [];
  const sim = new Simulation({ onEvent: (ev) => events.push(`${ev.time} ${ev.kind} ${ev.subject}`) });
  const obj: WorkloadObject = { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'work', namespace: 'team' } };
  const st = { obj, syncQueued: false };
  const synced: number[] = [];
  const sync = () => synced.push(sim.now);
  for (let i = 0; i < 3; i++) queueSync(sim, 'job.sync', st, sync);
  assert.equal(st.syncQueued, true);
  sim.run(0);
  assert.deepEqual(synced, [0]);
  assert.equal(st.syncQueued, false);
  sim.scheduleAt(5, 'test', '', () => {
    queueSync(sim, 'job.sync', st, sync);
    queueSync(sim, 'job.sync', st, sync);
  });
  sim.run(10);
  assert.deepEqual(synced, [0, 5]);
  assert.deepEqual(events, ['0 job.sync team/work', '5 test ', '5 job.sync team/work']);
  assert.equal(namespacedKey('team', 'work'), 'team/work');
});
