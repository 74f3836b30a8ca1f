import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Simulation } from '../engine/simulation.js';
import { RandomStreams } from '../engine/random.js';
import { ClusterState } from '../cluster/cluster-state.js';
import { ApiServer, fixedLatencyApiConfig, type ClusterWatcher } from './api-server.js';
import { makeNode, makePod } from '../testing/builders.js';
import type { WorkloadObject } from '../cluster/workload-object.js';
import { commitOrder } from './start-state.js';

const obj = (kind: string, name: string, namespace = 'default'): WorkloadObject => ({ kind, metadata: { name, namespace } });

/** A watcher that logs what it hears, and whether the API was still starting up. */
function logger(api: ApiServer, log: string[], who: string): ClusterWatcher {
  return {
    nodeAdded: (n, atStart) => log.push(`${who} node ${n.name}${atStart ? ' (start)' : ''}`),
    objectAdded: (o) => log.push(`${who} ${o.kind} ${o.metadata.name}`),
    podAdded: (p) => log.push(`${who} pod ${p.key} on ${p.nodeName ?? '-'} ${p.phase}${p.bound ? ' bound' : ''}`),
    startStateCommitted: () => log.push(`${who} committed${api.startingUp ? ' (still starting)' : ''}`),
  };
}

test('the start state is stored and told to observers and watchers at once, owners before what they own, with no event and no write', () => {
  const sim = new Simulation();
  const cluster = new ClusterState();
  // A watch delay of 1 s: a normal write's watchers would hear only after it.
  const api = new ApiServer(sim, cluster, { ...fixedLatencyApiConfig(1000), watchDelay: { kind: 'constant', value: 1_000_000 } }, new RandomStreams(1).stream('api'));
  const log: string[] = [];
  api.observe(logger(api, log, 'observer'));
  api.watch(logger(api, log, 'watcher'));
  const warnings = api.commitStartState({
    nodes: [{ node: makeNode('n1').capacity({ cpu: '4', pods: 110 }).obj(), pool: '' }],
    objects: [obj('ReplicaSet', 'web-abc'), obj('Deployment', 'web'), obj('Namespace', 'default', '')],
    pods: [
      makePod('web-abc-1').owner('ReplicaSet', 'web-abc').node('n1').req({ cpu: '1' }).obj(),
      makePod('lost').node('gone').obj(),
    ],
  });
  assert.deepEqual(log, [
    'observer Namespace default', 'watcher Namespace default',
    'observer Deployment web', 'watcher Deployment web',
    'observer ReplicaSet web-abc', 'watcher ReplicaSet web-abc',
    'observer node n1 (start)', 'watcher node n1 (start)',
    'observer pod default/web-abc-1 on n1 Running bound', 'watcher pod default/web-abc-1 on n1 Running bound',
    'observer committed', 'watcher committed',
  ]);
  assert.deepEqual(warnings, ['pod default/lost: not started, its node "gone" is not in the cluster']);
  assert.equal(sim.pending, 0);
  assert.equal(api.writes, 0);
  assert.equal(cluster.podsCreated, 0, 'start-state pods are not submitted pods');
  assert.equal(cluster.mustNode('n1').requested.milliCpu, 1000);
  assert.equal(cluster.pods.get('default/web-abc-1')?.startedUs, 0);
});

test('commitOrder puts setup kinds first and owners before what they own, keeping the given order within a kind', () => {
  const order = commitOrder([obj('Job', 'j'), obj('Pod2', 'x'), obj('ReplicaSet', 'a'), obj('CronJob', 'c'), obj('ReplicaSet', 'b'), obj('Deployment', 'd'), obj('PriorityClass', 'p', ''), obj('Namespace', 'ns', '')]);
  assert.deepEqual(order.map((o) => `${o.kind}/${o.metadata.name}`), ['Namespace/ns', 'PriorityClass/p', 'Pod2/x', 'Deployment/d', 'CronJob/c', 'ReplicaSet/a', 'ReplicaSet/b', 'Job/j']);
});
