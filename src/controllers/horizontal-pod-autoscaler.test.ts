// The HorizontalPodAutoscaler controller without metrics: the target's replicas clamped into
// [minReplicas, maxReplicas] through its /scale subresource, every sync period.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Simulation } from '../engine/simulation.js';
import { RandomStreams } from '../engine/random.js';
import { ClusterState } from '../cluster/cluster-state.js';
import { ApiServer, fixedLatencyApiConfig } from '../controlplane/api-server.js';
import { ObjectApi, withSpec } from '../controlplane/object-api.js';
import { objectKey, type WorkloadObject } from '../cluster/workload-object.js';
import { clampReplicas, HorizontalPodAutoscalerController } from './horizontal-pod-autoscaler.js';

const MS = 1000;
const S = 1_000_000;

describe('clampReplicas (upstream reconcileAutoscaler before the metrics)', () => {
  const cases: Array<[string, number, number | null | undefined, number, ReturnType<typeof clampReplicas>]> = [
    ['below minReplicas: scaled up to it', 1, 5, 20, { replicas: 5, reason: 'Current number of replicas below Spec.MinReplicas' }],
    ['above maxReplicas: scaled down to it', 30, 5, 20, { replicas: 20, reason: 'Current number of replicas above Spec.MaxReplicas' }],
    ['within the range: the metrics would decide (none: no change)', 7, 5, 20, null],
    ['at minReplicas and at maxReplicas: no change', 5, 5, 5, null],
    ['minReplicas defaults to 1', 0 + 1, undefined, 3, null],
    ['replicas 0 on the target disables autoscaling', 0, 5, 20, null],
    ['replicas 0 and minReplicas unset (1): still disabled', 0, null, 20, null],
  ];
  for (const [name, current, min, max, want] of cases) it(name, () => assert.deepEqual(clampReplicas(current, min, max), want));
});

function deployment(name: string, replicas?: number): WorkloadObject {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: 'default' },
    spec: { ...(replicas !== undefined ? { replicas } : {}), selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'x' }] } } },
  };
}

function hpa(name: string, target: { kind: string; name: string; apiVersion?: string }, min: number | undefined, max: number): WorkloadObject {
  return {
    apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name, namespace: 'default' },
    spec: { scaleTargetRef: { apiVersion: 'apps/v1', ...target }, ...(min !== undefined ? { minReplicas: min } : {}), maxReplicas: max },
  };
}

function harness() {
  const turns: string[] = [];
  const sim = new Simulation({ onEvent: (ev) => void (ev.kind === 'hpa.sync' && turns.push(`${ev.time / S}s ${ev.subject}`)) });
  const cluster = new ClusterState();
  const api = new ApiServer(sim, cluster, fixedLatencyApiConfig(MS), new RandomStreams(1).stream('api'));
  const objects = new ObjectApi(api);
  const hpas = new HorizontalPodAutoscalerController(sim, api, objects);
  const replicas = (kind: string, name: string) => (cluster.objects.get(objectKey(kind, 'default', name))?.spec as { replicas?: number } | undefined)?.replicas;
  return { sim, cluster, api, objects, hpas, replicas, turns };
}

describe('HorizontalPodAutoscalerController', () => {
  it('first reconciles an HPA one sync period (15 s) after it is created, then every 15 s', () => {
    const h = harness();
    h.api.createObject(deployment('web'));
    h.api.createObject(hpa('web', { kind: 'Deployment', name: 'web' }, 5, 20));
    h.sim.run(15 * S);
    assert.equal(h.replicas('Deployment', 'web'), undefined, 'not before the first turn (15 s after the HPA was heard of, at 1 ms)');
    h.sim.run(16 * S);
    assert.equal(h.replicas('Deployment', 'web'), 5);
    assert.deepEqual(h.hpas.rescales, [{ timeUs: 15 * S + MS, hpa: 'default/web', target: 'Deployment default/web', from: 1, to: 5, reason: 'Current number of replicas below Spec.MinReplicas' }]);
    // A user scales it above the maximum at 16 s: the next turn (30.001 s) brings it back.
    h.objects.updateObject(withSpec(h.cluster.objects.get(objectKey('Deployment', 'default', 'web'))!, { ...(deployment('web').spec as object), replicas: 50 }));
    h.sim.run(30 * S);
    assert.equal(h.replicas('Deployment', 'web'), 50);
    h.sim.run(31 * S);
    assert.equal(h.replicas('Deployment', 'web'), 20);
    assert.equal(h.hpas.rescales[1]?.reason, 'Current number of replicas above Spec.MaxReplicas');
    assert.equal(h.hpas.rescales[1]?.timeUs, 30 * S + MS);
    assert.deepEqual(h.turns, ['15.001s default/web', '30.001s default/web']);
  });

  it('scales StatefulSets and ReplicaSets too; an HPA whose target appears later scales it at its next turn', () => {
    const h = harness();
    h.api.createObject(hpa('db', { kind: 'StatefulSet', name: 'db' }, 3, 5));
    h.api.createObject({ ...deployment('rs', 9), kind: 'ReplicaSet' });
    h.api.createObject(hpa('rs', { kind: 'ReplicaSet', name: 'rs' }, 1, 4));
    h.sim.run(20 * S);
    assert.equal(h.replicas('ReplicaSet', 'rs'), 4);
    h.api.createObject({ ...deployment('db', 1), kind: 'StatefulSet' });
    h.sim.run(30 * S);
    assert.equal(h.replicas('StatefulSet', 'db'), 1, 'FailedGetScale at 15 s; the next turn is at 30.001 s');
    h.sim.run(31 * S);
    assert.equal(h.replicas('StatefulSet', 'db'), 3);
  });

  it('does nothing for a target at 0 replicas, within the range, of another kind, or after the HPA is deleted', () => {
    const h = harness();
    h.api.createObject(deployment('zero', 0));
    h.api.createObject(hpa('zero', { kind: 'Deployment', name: 'zero' }, 2, 4));
    h.api.createObject(deployment('mid', 3));
    h.api.createObject(hpa('mid', { kind: 'Deployment', name: 'mid' }, 2, 4));
    h.api.createObject(deployment('rc', 1));
    h.api.createObject(hpa('rc', { kind: 'ReplicationController', name: 'rc', apiVersion: 'v1' }, 2, 4));
    h.api.createObject(deployment('gone', 1));
    h.api.createObject(hpa('gone', { kind: 'Deployment', name: 'gone' }, 2, 4));
    h.objects.deleteObject('HorizontalPodAutoscaler', 'default', 'gone');
    h.sim.run(100 * S);
    assert.deepEqual(['zero', 'mid', 'rc', 'gone'].map((n) => h.replicas('Deployment', n)), [0, 3, 1, 1]);
    assert.deepEqual(h.hpas.rescales, []);
    assert.deepEqual(h.turns.filter((t) => t.endsWith('default/gone')), ['15.001s default/gone'], 'the deleted HPA is not queued again');
  });

  it('an update of a queued HPA does not move its turn, and its new range holds from that turn', () => {
    const h = harness();
    h.api.createObject(deployment('web', 1));
    h.api.createObject(hpa('web', { kind: 'Deployment', name: 'web' }, 2, 20));
    h.sim.run(10 * S);
    h.objects.updateObject(hpa('web', { kind: 'Deployment', name: 'web' }, 7, 20));
    h.sim.run(16 * S);
    assert.deepEqual(h.hpas.rescales.map((r) => [r.timeUs, r.to]), [[15 * S + MS, 7]]);
  });
});
