// The TTL-after-finished controller: a finished Job with spec.ttlSecondsAfterFinished is
// deleted, with its pods, that many seconds after its finish condition's (whole-second) time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Simulation } from '../engine/simulation.js';
import { RandomStreams } from '../engine/random.js';
import { ClusterState } from '../cluster/cluster-state.js';
import { ApiServer, fixedLatencyApiConfig } from '../controlplane/api-server.js';
import { ObjectApi } from '../controlplane/object-api.js';
import { makeNode } from '../testing/builders.js';
import type { WorkloadObject } from '../cluster/workload-object.js';
import { JobController } from './job.js';
import { GarbageCollector } from './garbage-collector.js';
import { TtlAfterFinishedController, jobFinishUs } from './ttl-after-finished.js';

const S = 1_000_000;

function harness(podRunsUs: number, phase: 'Succeeded' | 'Failed' = 'Succeeded') {
  const sim = new Simulation();
  const cluster = new ClusterState();
  cluster.addNode(makeNode('a').obj(), 'p');
  const api = new ApiServer(sim, cluster, fixedLatencyApiConfig(1000), new RandomStreams(1).stream('api'));
  const objects = new ObjectApi(api);
  new JobController(sim, api, new RandomStreams(2).stream('names'), objects);
  new TtlAfterFinishedController(sim, api, objects);
  new GarbageCollector(api);
  api.watch({ podAdded: (p) => void sim.schedule(podRunsUs, 'test.end', '', () => api.setPodPhase(p, phase)) });
  const deleted: string[] = [];
  api.watch({ objectDeleted: (o) => { if (o.kind === 'Job') deleted.push(`${o.metadata.name}@${sim.now / S}s`); } });
  const livePods = () => [...cluster.pods.values()].filter((p) => !p.deleted).map((p) => p.ownerName).sort();
  return { sim, cluster, api, objects, deleted, livePods };
}

function job(name: string, spec: Record<string, unknown> = {}): WorkloadObject {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace: 'default' },
    spec: { backoffLimit: 0, ...spec, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'x' }] } } },
  };
}

test('a Complete Job with ttlSecondsAfterFinished 100 goes, with its pod, 100 s after its finish second', () => {
  const h = harness(61.5 * S);
  h.api.createObject(job('ttl', { ttlSecondsAfterFinished: 100 }));
  h.api.createObject(job('keep'));
  h.sim.run(100 * S);
  const finished = h.api.cluster.objects.get('Job/default/ttl');
  // The pod is created at ~2 ms, ends at ~61.5 s; the Job's sync 1 s later (upstream
  // syncJobBatchPeriod) writes its condition at ~62.5 s: 62 s (whole seconds).
  assert.equal(jobFinishUs(finished!), 62 * S);
  h.sim.run(162 * S - 1);
  assert.equal(h.deleted.length, 0);
  h.sim.run(170 * S);
  assert.deepEqual(h.deleted.map((d) => d.split('@')[0]), ['ttl']);
  assert.ok(Number(h.deleted[0]!.split('@')[1]!.replace('s', '')) >= 162, h.deleted[0]);
  assert.deepEqual(h.livePods(), ['keep'], 'the Job without a TTL stays, with its finished pod');
});

test('ttlSecondsAfterFinished 0 deletes a Failed Job as soon as it finishes', () => {
  const h = harness(10 * S, 'Failed');
  h.api.createObject(job('now', { ttlSecondsAfterFinished: 0 }));
  // The pod Fails at ~10 s; the Job's sync 1 s later (upstream syncJobBatchPeriod) fails it at
  // ~11 s, and it goes then.
  h.sim.run(11 * S);
  assert.equal(h.deleted.length, 0);
  h.sim.run(12 * S);
  assert.equal(h.deleted.length, 1);
  assert.ok(h.deleted[0]!.startsWith('now@11.'), h.deleted[0]);
  assert.deepEqual(h.livePods(), []);
});

test('a TTL raised before expiry counts from the same finish time; one set on a long-finished Job expires at once', () => {
  const h = harness(5 * S);
  h.api.createObject(job('raised', { ttlSecondsAfterFinished: 30 }));
  h.api.createObject(job('late'));
  h.sim.run(20 * S);
  const raised = h.api.cluster.objects.get('Job/default/raised')!;
  const late = h.api.cluster.objects.get('Job/default/late')!;
  h.api.updateObject({ ...raised, spec: { ...(raised.spec as object), ttlSecondsAfterFinished: 60 } });
  h.api.updateObject({ ...late, spec: { ...(late.spec as object), ttlSecondsAfterFinished: 3 } });
  h.sim.run(120 * S);
  assert.deepEqual(h.deleted.map((d) => d.split('@')[0]), ['late', 'raised']);
  assert.ok(h.deleted[0]!.startsWith('late@20.'), h.deleted[0]);
  // raised: its pod ends at ~5 s, the Job's sync 1 s later (upstream syncJobBatchPeriod)
  // completes it at ~6 s: 6 + 60 = 66 s.
  assert.ok(h.deleted[1]!.startsWith('raised@66'), h.deleted[1]);
});
