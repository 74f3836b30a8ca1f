// The controllers' shared work queue: events for one object within an instant make one sync
// (client-go's workqueue dedupes a key that is already queued).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Simulation } from '../engine/simulation.js';
import type { WorkloadObject } from '../cluster/workload-object.js';
import { ControllerRateLimiter, namespacedKey, queueSync, queueSyncRateLimited, slowStartBatch } from './work-queue.js';

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

const job = (name: string): WorkloadObject => ({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name, namespace: 'team' } });

test('ControllerRateLimiter: 5 ms doubling per failure, capped at 1000 s, back to 5 ms after forget (client-go DefaultTypedControllerRateLimiter)', () => {
  const limiter = new ControllerRateLimiter();
  const st = { obj: job('a'), syncQueued: false, failures: 0, retry: null };
  // One failure a minute: the shared 10 qps bucket never holds these.
  const delays = Array.from({ length: 20 }, (_, i) => limiter.when(st, i * 60_000_000));
  assert.deepEqual(delays.slice(0, 4), [5_000, 10_000, 20_000, 40_000]);
  assert.equal(delays[17], 655_360_000); // 5 ms · 2^17
  assert.deepEqual(delays.slice(18), [1_000_000_000, 1_000_000_000]); // 5 ms · 2^18 = 1310.72 s, capped
  assert.equal(st.failures, 20);
  limiter.forget(st);
  assert.equal(limiter.when(st, 20 * 60_000_000), 5_000);
});

test('ControllerRateLimiter: the overall bucket (10 qps, burst 100) holds the 101st first failure of an instant 100 ms', () => {
  const limiter = new ControllerRateLimiter();
  const delays = Array.from({ length: 102 }, (_, i) => limiter.when({ obj: job(`j${i}`), syncQueued: false, failures: 0, retry: null }, 0));
  assert.deepEqual([delays[0], delays[99], delays[100], delays[101]], [5_000, 5_000, 100_000, 200_000]);
});

test('queueSyncRateLimited: one pending retry per object, the earlier one wins; a retry merges with a sync already queued', () => {
  const sim = new Simulation();
  const st = { obj: job('a'), syncQueued: false, failures: 0, retry: null };
  const limiter = new ControllerRateLimiter(5_000, 1_000_000_000, null);
  const synced: number[] = [];
  const sync = () => synced.push(sim.now);
  queueSyncRateLimited(sim, 'job.sync', st, limiter, sync); // due at 5 ms
  sim.scheduleAt(1_000, 'test', '', () => queueSyncRateLimited(sim, 'job.sync', st, limiter, sync)); // 1 + 10 ms: later, dropped
  sim.scheduleAt(5_000, 'test', '', () => queueSync(sim, 'job.sync', st, sync)); // an event in the same instant: merged
  sim.run(100_000);
  assert.deepEqual(synced, [5_000]);
  assert.equal(st.failures, 2);
  assert.equal(st.retry, null);
});

test('slowStartBatch: batches of 1, 2, 4, ... (capped), each after the previous one answered; items needing nothing pass; a refusal ends the run', () => {
  // Answers come back by hand, a round at a time: the rounds are the batches that sent creates.
  const run = (count: number, maxBatch: number, needs: (i: number) => boolean, refuse: (i: number) => boolean) => {
    let rounds = 0;
    let pending: (() => void)[] = [];
    let result: [number, boolean] | null = null;
    slowStartBatch(
      count,
      maxBatch,
      (i, done) => {
        if (!needs(i)) return false;
        pending.push(() => done(!refuse(i)));
        return true;
      },
      (created, refused) => void (result = [created, refused]),
    );
    while (pending.length > 0) {
      const answer = pending;
      pending = [];
      rounds++;
      for (const a of answer) a();
    }
    return { result, rounds };
  };
  assert.deepEqual(run(7, Infinity, () => true, () => false), { result: [7, false], rounds: 3 }); // 1, 2, 4
  assert.deepEqual(run(7, 2, () => true, () => false), { result: [7, false], rounds: 4 }); // 1, 2, 2, 2
  assert.deepEqual(run(7, Infinity, (i) => i >= 3, () => false), { result: [4, false], rounds: 1 }); // 0 | 1-2 pass at once; 3-6
  assert.deepEqual(run(7, Infinity, () => true, (i) => i === 2), { result: [2, true], rounds: 2 }); // 0; 1 ok, 2 refused: stop
  assert.deepEqual(run(0, Infinity, () => true, () => false), { result: [0, false], rounds: 0 });
});
