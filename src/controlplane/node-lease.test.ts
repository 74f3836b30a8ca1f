import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Simulation } from '../engine/simulation.js';
import { RandomStreams } from '../engine/random.js';
import { ClusterState } from '../cluster/cluster-state.js';
import { ApiServer, fixedLatencyApiConfig, type ApiConfig } from './api-server.js';
import { leaseObject, NodeLease } from './node-lease.js';

const MS = 1000;
const KEY = 'Lease/kube-node-lease/n1';

function harness(config: ApiConfig = fixedLatencyApiConfig(MS)) {
  const sim = new Simulation();
  const cluster = new ClusterState();
  const api = new ApiServer(sim, cluster, config, new RandomStreams(1).stream('api'));
  const heard: string[] = [];
  api.watch({
    objectAdded: (o) => heard.push(`added ${o.metadata.name}@${sim.now / MS}`),
    objectUpdated: (o, old) => heard.push(`updated ${(old.spec as { renewTime: number }).renewTime / MS}->${(o.spec as { renewTime: number }).renewTime / MS}@${sim.now / MS}`),
    objectDeleted: (o) => heard.push(`deleted ${o.metadata.name}@${sim.now / MS}`),
    leaseRenewed: (_o, renewUs) => heard.push(`renewed ${renewUs / MS}@${sim.now / MS}`),
  });
  const renewTime = () => (cluster.objects.get(KEY)?.spec as { renewTime: number } | undefined)?.renewTime;
  return { sim, cluster, api, heard, renewTime };
}

test('node lease: renewals change the stored Lease in place and are told as leaseRenewed with their own time, which the watchers\' cache keeps', () => {
  // Commits 1 ms after sending; watchers hear 5 ms after the commit.
  const h = harness({ ...fixedLatencyApiConfig(MS), watchDelay: { kind: 'constant', value: 5 * MS } });
  const lease = new NodeLease('n1');
  assert.equal(h.api.seedLease(lease, 0), true);
  const stored = h.cluster.objects.get(KEY);
  assert.equal(lease.stored, stored);
  assert.deepEqual(stored, leaseObject('n1', 0));
  // Two renewals committed before the first is heard: each is heard with its own time although
  // the stored object already holds the second's.
  h.api.renewLease(lease, 1 * MS);
  h.sim.scheduleAt(2 * MS, 'test', '', () => h.api.renewLease(lease, 2 * MS));
  h.sim.run(4 * MS);
  assert.equal(h.renewTime(), 2 * MS);
  assert.equal(lease.heardRenewUs, 0, 'committed, not heard yet');
  h.sim.run(6 * MS);
  assert.equal(lease.heardRenewUs, 1 * MS, 'the first renewal heard');
  h.sim.run();
  assert.equal(lease.heardRenewUs, 2 * MS);
  assert.equal(h.api.nodeLease('n1'), lease);
  assert.equal(h.cluster.objects.get(KEY), stored, 'the same object, changed in place');
  assert.deepEqual(h.heard, ['added n1@5', 'renewed 1@6', 'renewed 2@8']);
});

test('node lease: a kubelet registering its node creates the Lease; renewing a Lease that does not exist does nothing (NotFound)', () => {
  const h = harness();
  const lease = new NodeLease('n1');
  h.api.renewLease(lease, 0);
  h.sim.run();
  assert.equal(h.cluster.objects.has(KEY), false);
  h.api.createLease(lease, 5 * MS);
  h.sim.run();
  assert.equal(lease.stored, h.cluster.objects.get(KEY));
  h.api.renewLease(lease, 10 * MS);
  h.sim.run();
  assert.equal(h.renewTime(), 10 * MS);
  assert.deepEqual(h.heard, ['added n1@2', 'renewed 10@3']);
});

test('node lease: a Lease written by another path is replaced at the next renewal (told as an update), then renewed in place', () => {
  const h = harness();
  const lease = new NodeLease('n1');
  h.api.seedLease(lease, 0);
  // Someone replaces the Lease object: the API server no longer changes the object it knew.
  const theirs = leaseObject('n1', 3 * MS);
  h.api.updateObject(theirs);
  h.sim.run();
  assert.equal(lease.stored, null);
  h.api.renewLease(lease, 10 * MS);
  h.sim.run();
  const mine = h.cluster.objects.get(KEY);
  assert.notEqual(mine, theirs);
  assert.equal((theirs.spec as { renewTime: number }).renewTime, 3 * MS, 'their object is left as it was');
  assert.equal(lease.stored, mine);
  h.api.renewLease(lease, 20 * MS);
  h.sim.run();
  assert.equal(h.cluster.objects.get(KEY), mine);
  assert.equal(h.renewTime(), 20 * MS);
  // Deleted: renewals find nothing to renew.
  h.api.deleteObject('Lease', 'kube-node-lease', 'n1');
  h.sim.run();
  h.api.renewLease(lease, 30 * MS);
  h.sim.run();
  assert.equal(h.cluster.objects.has(KEY), false);
  assert.deepEqual(h.heard, ['added n1@0', 'updated 0->3@1', 'updated 3->10@2', 'renewed 20@3', 'deleted n1@4']);
});
