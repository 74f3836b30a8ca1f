import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Simulation } from '../engine/simulation.js';
import { RandomStreams } from '../engine/random.js';
import { ClusterState } from '../cluster/cluster-state.js';
import { makePod } from '../testing/builders.js';
import { ApiServer, fixedLatencyApiConfig } from './api-server.js';

test('drainCommitLatencies: the etcd latencies of the writes committed since the last drain, exactly', () => {
  const sim = new Simulation();
  const config = fixedLatencyApiConfig(1000);
  // etcd proposes 1,000 writes a second (1 ms each, one after another), no fsync time, no
  // followers: the k-th of writes that all reach it at 1 ms commits k ms later.
  const api = new ApiServer(sim, new ClusterState(), { ...config, etcd: { ...config.etcd, maxWritesPerSecond: 1000 } }, new RandomStreams(1).stream('api'));
  for (let i = 0; i < 1000; i++) api.createPod(makePod(`p-${i}`).obj());
  sim.run();
  const first = api.drainCommitLatencies();
  assert.equal(first.length, 1000);
  // Nearest rank: the 990th smallest of 1, 2, ..., 1000 ms; the median the 500th.
  assert.deepEqual(first.quantiles([0.5, 0.99, 1]), [500_000, 990_000, 1_000_000]);
  assert.equal(api.drainCommitLatencies().length, 0);
  api.createPod(makePod('late').obj());
  sim.run();
  // The late write reaches an idle etcd: 1 ms to propose.
  assert.deepEqual(api.drainCommitLatencies().quantiles([0.99]), [1000]);
});
