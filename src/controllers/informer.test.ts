import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Simulation } from '../engine/simulation.js';
import { RandomStreams } from '../engine/random.js';
import { ClusterState } from '../cluster/cluster-state.js';
import { ApiServer, fixedLatencyApiConfig } from '../controlplane/api-server.js';
import { ObjectApi, withSpec } from '../controlplane/object-api.js';
import { PodInfo } from '../cluster/pod-info.js';
import type { WorkloadObject } from '../cluster/workload-object.js';
import { makePod } from '../testing/builders.js';
import { KindInformer } from './informer.js';

const rs = (name: string, owner?: string): WorkloadObject => ({
  kind: 'ReplicaSet',
  metadata: { name, namespace: 'default', ...(owner !== undefined ? { ownerReferences: [{ kind: 'Deployment', name: owner, controller: true }] } : {}) },
  spec: { replicas: 1 },
});

function harness(withObjects: boolean) {
  const sim = new Simulation();
  const api = new ApiServer(sim, new ClusterState(), fixedLatencyApiConfig(0), new RandomStreams(1).stream('api'));
  const log: string[] = [];
  const inf = new KindInformer<'ReplicaSet', { name: string; replicas: number }>('ReplicaSet', api, withObjects ? new ObjectApi(api) : undefined, {
    add: (o) => {
      log.push(`add ${o.metadata.name}`);
      return { name: o.metadata.name, replicas: o.spec?.replicas ?? 1 };
    },
    update: (st, o) => {
      st.replicas = o.spec?.replicas ?? 1;
      log.push(`update ${st.name} ${st.replicas}`);
    },
    remove: (st) => log.push(`remove ${st.name}`),
  });
  return { sim, api, log, inf };
}

test('a kind informer keeps state for its kind only, through add, update and delete', () => {
  const { sim, api, log, inf } = harness(true);
  api.createObject(rs('web-1'));
  api.createObject({ kind: 'StatefulSet', metadata: { name: 'db', namespace: 'default' } });
  sim.run(1);
  api.updateObject(withSpec(rs('web-1'), { replicas: 3 }));
  api.updateObject({ kind: 'StatefulSet', metadata: { name: 'db', namespace: 'default' }, spec: { replicas: 2 } });
  sim.run(2);
  assert.equal(inf.get('default', 'web-1')?.replicas, 3);
  api.deleteObject('ReplicaSet', 'default', 'web-1');
  sim.run(3);
  assert.deepEqual(log, ['add web-1', 'update web-1 3', 'remove web-1']);
  assert.equal(inf.get('default', 'web-1'), undefined);
});

test('a kind informer finds the state controlling a pod or an object by its controller ownerReference', () => {
  const { sim, api, inf } = harness(true);
  api.createObject(rs('web-1', 'web'));
  sim.run(1);
  const cases: [string, PodInfo, string | undefined][] = [
    ['controlled pod', new PodInfo(makePod('a').owner('ReplicaSet', 'web-1').obj(), 0), 'web-1'],
    ['pod of another kind of owner', new PodInfo(makePod('b').owner('StatefulSet', 'web-1').obj(), 0), undefined],
    ['pod of an unknown ReplicaSet', new PodInfo(makePod('c').owner('ReplicaSet', 'other').obj(), 0), undefined],
    ['bare pod', new PodInfo(makePod('d').obj(), 0), undefined],
  ];
  for (const [name, p, want] of cases) assert.equal(inf.ownerOfPod(p)?.name, want, name);
  const ownedObject: WorkloadObject = { kind: 'Pod2', metadata: { name: 'x', namespace: 'default', ownerReferences: [{ kind: 'ReplicaSet', name: 'web-1', controller: true }] } };
  const notControlling: WorkloadObject = { kind: 'Pod2', metadata: { name: 'y', namespace: 'default', ownerReferences: [{ kind: 'ReplicaSet', name: 'web-1' }] } };
  assert.equal(inf.ownerOfObject(ownedObject)?.name, 'web-1');
  assert.equal(inf.ownerOfObject(notControlling), undefined);
});

test('without an object API a kind informer does not hear updates (the objects never change)', () => {
  const { sim, api, log } = harness(false);
  api.createObject(rs('web-1'));
  sim.run(1);
  api.updateObject(withSpec(rs('web-1'), { replicas: 3 }));
  sim.run(2);
  assert.deepEqual(log, ['add web-1']);
});

test('a kind informer ignores an update or deletion of another kind of the same name, and of an object it never saw added', () => {
  const { sim, api, log } = harness(true);
  api.createObject(rs('web-1'));
  api.createObject({ kind: 'StatefulSet', metadata: { name: 'web-1', namespace: 'default' } });
  sim.run(1);
  api.updateObject({ kind: 'StatefulSet', metadata: { name: 'web-1', namespace: 'default' }, spec: { replicas: 5 } });
  api.deleteObject('StatefulSet', 'default', 'web-1');
  sim.run(2);
  assert.deepEqual(log, ['add web-1']);
  // Stored before the informer watched: never added, so its update is not one.
  const sim2 = new Simulation();
  const api2 = new ApiServer(sim2, new ClusterState(), fixedLatencyApiConfig(0), new RandomStreams(1).stream('api'));
  api2.seedObject(rs('early'));
  const log2: string[] = [];
  new KindInformer<'ReplicaSet', { name: string }>('ReplicaSet', api2, new ObjectApi(api2), { add: (o) => ({ name: o.metadata.name }), update: (st) => log2.push(`update ${st.name}`), remove: (st) => log2.push(`remove ${st.name}`) });
  api2.updateObject(withSpec(rs('early'), { replicas: 2 }));
  sim2.run(1);
  api2.deleteObject('ReplicaSet', 'default', 'early');
  sim2.run(2);
  assert.deepEqual(log2, []);
});
