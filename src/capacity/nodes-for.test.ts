import { test } from 'node:test';
import assert from 'node:assert/strict';
import { repoPath } from '../testing/repo-paths.js';
import { nextCandidates, nodesFor, parseTolerance, settleUs } from './nodes-for.js';
import { sequentialRunner } from './probe-runner.js';
import { badness, meets, metricValue, parseTarget } from './target.js';

const INF = Number.POSITIVE_INFINITY;

test('targets read METRIC OP VALUE over summary.csv, pending standing for pods_unbound_end', () => {
  const cases: [string, string, number, boolean][] = [
    ['pending=0', 'pods_unbound_end=0', 0, true],
    ['pending == 0', 'pods_unbound_end=0', 1, false],
    ['sched_latency_p99_ms<5000', 'sched_latency_p99_ms<5000', 4999.5, true],
    ['sched_latency_p99_ms<5000', 'sched_latency_p99_ms<5000', 5000, false],
    ['replicas_ready_end>=20', 'replicas_ready_end>=20', 20, true],
    ['sched_latency_p99_ms<=10', 'sched_latency_p99_ms<=10', Number.NaN, false],
  ];
  for (const [text, canonical, v, ok] of cases) {
    const t = parseTarget(text);
    assert.equal(t.text, canonical, text);
    assert.equal(meets(t, v), ok, `${text} with ${v}`);
  }
  assert.ok(badness(parseTarget('pending=0'), 3) > badness(parseTarget('pending=0'), 1));
  assert.throws(() => parseTarget('pendng=0'), /--target: expected a numeric summary.csv column, "missing" or "pending" \(did you mean pending\?\), got "pendng"$/);
  assert.throws(() => parseTarget('pending'), /--target: expected METRIC OP VALUE/);
  assert.throws(() => parseTarget('scenario=0'), /--target: expected a numeric summary.csv column/);
});

test('missing is what the workload lacks at the end: the larger of unbound pods and desired replicas not ready', () => {
  const t = parseTarget('missing=0');
  assert.equal(t.text, 'missing=0');
  const row = (unbound: number, desired: number, ready: number) => ({ pods_unbound_end: unbound, replicas_desired_end: desired, replicas_ready_end: ready });
  assert.equal(metricValue(t, row(0, 10, 10)), 0);
  // 7 replicas stranded on nodes that failed for good, none evicted: nothing is unbound.
  assert.equal(metricValue(t, row(0, 10, 3)), 7);
  // A replica left unbound is also not ready: it counts once.
  assert.equal(metricValue(t, row(1, 10, 9)), 1);
  assert.equal(metricValue(t, row(2, 10, 9)), 2);
  assert.ok(Number.isNaN(metricValue(t, { pods_unbound_end: 0 })));
});

test('tolerances read zone-outage or N nodes', () => {
  assert.deepEqual(parseTolerance('zone-outage'), { kind: 'zone-outage' });
  assert.deepEqual(parseTolerance('2 nodes'), { kind: 'nodes', count: 2 });
  assert.deepEqual(parseTolerance('1 node'), { kind: 'nodes', count: 1 });
  assert.throws(() => parseTolerance('0 nodes'), /--tolerate: expected 'zone-outage' or 'N nodes'/);
  assert.throws(() => parseTolerance('a zone'), /--tolerate/);
});

test('the search probes the scenario\'s count, doubles up from a failure, comes down to the resource bound, then splits the bracket', () => {
  const cases: [string, number, number, number | null, number[]][] = [
    ['first round: the scenario\'s count', -1, INF, null, [12]],
    ['nothing met yet: double', 12, INF, null, [24, 48]],
    ['met, bound known: the bound and the count below it', -1, 12, 8, [7, 8]],
    ['met, no bound: halve', -1, 12, null, [6, 3]],
    ['bracket wide: split evenly', 9, 24, null, [14, 19]],
    ['bracket narrow: every count inside', 9, 12, null, [10, 11]],
    ['capped at the largest count', 60, INF, null, [100]],
    ['above the resource bound: crowded towards it', 8, 24, 8, [9, 15]],
  ];
  for (const [name, lo, hi, est, want] of cases) assert.deepEqual(nextCandidates(lo, hi, 12, est, 2, 100), want, name);
  // A failing probe's unbound pods suggest a count: it and the count below it end the search if right.
  assert.deepEqual(nextCandidates(938, 1000, 1000, 938, 2, 100000, 953), [952, 953]);
  assert.deepEqual(nextCandidates(938, 1000, 1000, 938, 2, 100000, 939), [939, 940]);
  assert.deepEqual(nextCandidates(12, INF, 12, null, 3, 100, 15), [14, 15, 24], 'nothing met yet: the guess, then doubling');
  assert.deepEqual(nextCandidates(938, 1000, 1000, 938, 2, 100000, 1200), [944, 965], 'a guess outside the bracket: split');
});

test('the failure runs last until the lost nodes\' pods are evicted and replaced: 50 s + 5 s + 10 s per node + 300 s + 300 s', () => {
  assert.equal(settleUs(4), (50 + 5 + 40 + 300 + 300) * 1e6);
});

test('hand arithmetic: 10 pods of 3 CPUs on 4-CPU nodes need 10 nodes, 15 when a zone of three may be lost', async () => {
  const scenario = repoPath('scenarios/capacity.yaml');
  const target = parseTarget('pending=0');
  const plain = await nodesFor({ scenario, pool: 'general', target, runner: sequentialRunner() });
  assert.equal(plain.count, 10);
  const byCount = new Map(plain.probes.map((p) => [p.count, p]));
  assert.equal(byCount.get(9)?.met, false);
  assert.equal(byCount.get(9)?.targetValue, 1);
  assert.equal(plain.answer?.costPerHour, 2); // 10 × 0.2
  assert.equal(plain.answer?.cpuHeadroom, 0.25); // 3 of 4 CPUs requested on every node

  const zone = await nodesFor({ scenario, pool: 'general', target, tolerate: { kind: 'zone-outage' }, runner: sequentialRunner() });
  assert.equal(zone.count, 15);
  const z = new Map(zone.probes.map((p) => [p.count, p]));
  // 14 nodes are 5 + 5 + 4 by zone: losing a zone of 5 leaves 9 nodes for 10 pods.
  assert.equal(z.get(14)?.met, false);
  assert.equal(z.get(14)?.targetValue, 1);
  assert.match(z.get(14)?.worstRun ?? '', /^seed 1, zone-outage zone-[ab] at [0-9.]+s$/);
  assert.equal(z.get(15)?.runs, 4); // fault-free + one outage per zone
  assert.equal(z.get(15)?.runsMet, 4);
  assert.deepEqual(zone.probes.map((p) => p.count), [...zone.probes.map((p) => p.count)].sort((a, b) => a - b));
});

test('tolerating 9 nodes down for good needs 19 (10 survivors), not the 12 at which no pod is left unbound', async () => {
  // With 12 nodes (4 per zone) and 9 down, each zone has 3 of 4 NotReady: partial disruption in a
  // small zone evicts nothing (upstream ReducedQPSFunc), so 7 replicas stay stranded, bound to
  // dead nodes. pending=0 cannot see them; missing=0 (the default) does.
  const scenario = repoPath('scenarios/capacity.yaml');
  const r = await nodesFor({ scenario, pool: 'general', target: parseTarget('missing=0'), tolerate: { kind: 'nodes', count: 9 }, runner: sequentialRunner() });
  assert.equal(r.count, 19);
  const byCount = new Map(r.probes.map((p) => [p.count, p]));
  assert.equal(byCount.get(18)?.met, false);
  const stranded = await nodesFor({ scenario, pool: 'general', target: parseTarget('pending=0'), tolerate: { kind: 'nodes', count: 9 }, runner: sequentialRunner() });
  assert.ok((stranded.count ?? 0) < 19, 'pending=0 alone accepts fewer nodes than survive the loss');
});
