import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Simulation } from '../engine/simulation.js';
import { RandomStreams } from '../engine/random.js';
import { ClusterState } from '../cluster/cluster-state.js';
import type { WorkloadObject } from '../cluster/workload-object.js';
import { ApiServer, fixedLatencyApiConfig } from './api-server.js';
import { ObjectApi } from './object-api.js';

test('apply creates an object, and replaces one that exists keeping its stored status (kubectl apply does not write the status subresource)', () => {
  const sim = new Simulation();
  const cluster = new ClusterState();
  const api = new ApiServer(sim, cluster, fixedLatencyApiConfig(1000), new RandomStreams(1).stream('api'));
  const objects = new ObjectApi(api);
  const heard: string[] = [];
  api.watch({ objectAdded: (o) => heard.push(`added ${o.metadata.name}`), objectUpdated: (o) => heard.push(`updated ${o.metadata.name}`) });
  const job = (parallelism: number, status?: unknown): WorkloadObject =>
    ({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j', namespace: 'default' }, spec: { parallelism }, ...(status === undefined ? {} : { status }) }) as WorkloadObject;
  objects.apply(job(1, { succeeded: 3, conditions: [{ type: 'Complete', status: 'True' }] }));
  sim.run();
  objects.apply(job(2));
  sim.run();
  const stored = cluster.objects.get('Job/default/j');
  assert.deepEqual(stored?.spec, { parallelism: 2 });
  assert.deepEqual(stored?.['status'], { succeeded: 3, conditions: [{ type: 'Complete', status: 'True' }] });
  // A second apply sent before the first create commits (`known`) is an update too.
  objects.apply({ ...job(1), metadata: { name: 'k', namespace: 'default' } } as WorkloadObject);
  objects.apply({ ...job(5), metadata: { name: 'k', namespace: 'default' } } as WorkloadObject, true);
  sim.run();
  assert.deepEqual(cluster.objects.get('Job/default/k')?.spec, { parallelism: 5 });
  assert.deepEqual(heard, ['added j', 'updated j', 'added k', 'updated k']);
});
