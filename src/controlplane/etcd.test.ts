import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RandomStreams } from '../engine/random.js';
import type { RandomStream } from '../engine/random.js';
import { EtcdModel, type EtcdConfig } from './etcd.js';

const c = (us: number) => ({ kind: 'constant', value: us }) as const;
const rng = () => new RandomStreams(1).stream('etcd');

function etcd(over: Partial<EtcdConfig> = {}): EtcdModel {
  return new EtcdModel({ followerRtt: [c(500), c(2000)], fsync: c(1000), maxWritesPerSecond: 10_000, electionTimeoutUs: 1_000_000, ...over }, rng());
}

test('one write: propose (100 µs) + fsync (1 ms) + the quorum round trip (3 members: the faster follower, 0.5 ms)', () => {
  assert.equal(etcd().commitTime(0), 100 + 1000 + 500);
});

test('five members need the second-fastest follower', () => {
  const e = etcd({ followerRtt: [c(300), c(900), c(5000), c(7000)] });
  assert.equal(e.commitTime(0), 100 + 1000 + 900);
});

test('writes arriving during an fsync share the next one (group commit)', () => {
  const e = etcd();
  // Write 1 proposed at 100, fsync 100–1100. Writes 2 and 3 proposed at 200 and 300 wait for the
  // fsync that starts at 1100 and ends at 2100.
  assert.deepEqual([e.commitTime(0), e.commitTime(0), e.commitTime(0)], [1600, 2600, 2600]);
  // A write after the disk went idle starts its own fsync.
  assert.equal(e.commitTime(10_000), 10_100 + 1000 + 500);
});

test('a slow disk lengthens latency and batches more writes per fsync', () => {
  const e = etcd({ fsync: c(20_000) });
  const times = Array.from({ length: 50 }, () => e.commitTime(0));
  assert.equal(times[0], 100 + 20_000 + 500);
  // The other 49 (proposed by 5 ms) all ride on the second fsync, 20.1–40.1 ms.
  assert.deepEqual(new Set(times.slice(1)), new Set([40_100 + 500]));
});

test('the proposal rate bounds throughput', () => {
  const e = etcd({ maxWritesPerSecond: 1000, fsync: c(0) });
  const last = Array.from({ length: 100 }, () => e.commitTime(0)).at(-1);
  assert.equal(last, 100 * 1000 + 500);
});

test('a lost leader stalls writes for the election timeout', () => {
  const e = etcd();
  e.loseLeader(5_000);
  assert.equal(e.commitTime(6_000), 1_005_000 + 100 + 1000 + 500);
});

const MAX_SIM_TIME_US = 9_007_199_254_740_991;

test('a proposal rate too slow for the clock saturates commits at its end (5e-324 writes/s: never within a run)', () => {
  const e = etcd({ maxWritesPerSecond: 5e-324 });
  assert.deepEqual([e.commitTime(0), e.commitTime(1_000)], [MAX_SIM_TIME_US, MAX_SIM_TIME_US]);
});

test('a queue of writes that outgrows the clock saturates at its end (0.001 writes/s: one per 1e9 µs)', () => {
  const e = etcd({ maxWritesPerSecond: 0.001, fsync: c(0), followerRtt: [] });
  // Write k (from 1) commits at k × 1e9 µs; write 9,007,200 would commit past 2^53 − 1.
  let before = 0;
  let last = 0;
  for (let k = 1; k <= 9_007_201; k++) {
    before = last;
    last = e.commitTime(0);
    if (k === 9_007_199) assert.equal(last, 9_007_199_000_000_000);
  }
  assert.deepEqual([before, last], [MAX_SIM_TIME_US, MAX_SIM_TIME_US]);
});

test('an election timeout past the end of the clock stalls writes until its end', () => {
  const e = etcd({ electionTimeoutUs: MAX_SIM_TIME_US });
  e.loseLeader(5_000);
  assert.equal(e.stalledUntilUs, MAX_SIM_TIME_US);
  assert.equal(e.commitTime(6_000), MAX_SIM_TIME_US);
});

/** A stream that returns the given uniforms in turn (then repeats the last). */
function scripted(values: number[]): RandomStream {
  let i = 0;
  return {
    name: 'scripted',
    next: () => values[Math.min(i++, values.length - 1)] as number,
    int: (n: number) => Math.floor((values[Math.min(i++, values.length - 1)] as number) * n),
  };
}

test('a write whose quorum round trip is shorter still commits after the write proposed before it (raft commits a log prefix)', () => {
  const u = { kind: 'uniform', min: 0, max: 10_000 } as const;
  // Three members: the faster of the two followers counts. Draws per write: one per follower.
  const e = new EtcdModel({ followerRtt: [u, u], fsync: c(1000), maxWritesPerSecond: 10_000, electionTimeoutUs: 1_000_000 }, scripted([0.9, 0.8, 0.1, 0.05, 0.2, 0.3]));
  // Write 1: proposed at 100, fsync 100–1100, round trip min(9000, 8000): commits at 9100.
  // Write 2: proposed at 200, fsync 1100–2100, round trip min(1000, 500): its own quorum has it at
  // 2600, but entry 2 commits only with entry 1, at 9100.
  // Write 3 (at 20 ms): proposed at 20_100, fsync to 21_100, round trip 2000: 23_100.
  assert.deepEqual([e.commitTime(0), e.commitTime(0), e.commitTime(20_000)], [9100, 9100, 23_100]);
});

test('commit times never go backwards in proposal order, with random follower round trips and fsyncs', () => {
  const e = new EtcdModel(
    { followerRtt: [{ kind: 'lognormal', p50: 500, p99: 20_000 }, { kind: 'lognormal', p50: 500, p99: 20_000 }, { kind: 'exponential', mean: 3000 }, { kind: 'uniform', min: 0, max: 50_000 }], fsync: { kind: 'lognormal', p50: 1000, p99: 8000 }, maxWritesPerSecond: 20_000, electionTimeoutUs: 1_000_000 },
    rng(),
  );
  let now = 0;
  let last = 0;
  for (let k = 0; k < 5000; k++) {
    now += k % 7 === 0 ? 3000 : 50;
    if (k === 2500) e.loseLeader(now);
    const t = e.commitTime(now);
    assert.ok(t >= last, `write ${k} commits at ${t}, before write ${k - 1} at ${last}`);
    assert.ok(t > now);
    last = t;
  }
});
