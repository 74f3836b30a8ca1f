import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { ClusterState } from '../cluster/cluster-state.js';
import { objectKey, type WorkloadObject } from '../cluster/workload-object.js';
import { Simulation } from '../engine/simulation.js';
import { makePod } from '../testing/builders.js';
import type { PodInfo } from '../cluster/pod-info.js';
import { admitPod, type AdmissionResult } from './admission.js';
import { ApiServer } from './api-server.js';
import { fixedLatencyApiConfig } from './api-server.js';
import { RandomStreams } from '../engine/random.js';

function priorityClass(name: string, value: number, extra: Record<string, unknown> = {}): WorkloadObject {
  return { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name, namespace: '' }, value, ...extra };
}

function clusterWith(...classes: WorkloadObject[]): ClusterState {
  const c = new ClusterState();
  for (const o of classes) c.objects.set(objectKey(o.kind, '', o.metadata.name), o);
  return c;
}

/** [priority, preemptionPolicy, priorityClassName] of an admitted pod, or the rejection. */
function outcome(r: AdmissionResult): [number | undefined, string | undefined, string | undefined] | string {
  if (!r.allowed) return r.reason;
  return [r.pod.spec?.priority, r.pod.spec?.preemptionPolicy, r.pod.spec?.priorityClassName];
}

const withSpec = (edit: (p: Pod) => void): Pod => makePod('p').with(edit).obj();

describe('Priority admission', () => {
  // Upstream plugin/pkg/admission/priority/admission_test.go (TestPodAdmission and
  // TestDefaultPriority), the pod-create cases that apply (mirror pods and namespace checks of
  // system classes are out of scope); "ksim case" marks ksim's shorthand.
  const high = priorityClass('high', 1000);
  const never = priorityClass('nopreempt', 500, { preemptionPolicy: 'Never' });
  const dflt = priorityClass('default-class', 100, { globalDefault: true });
  const lowerDefault = priorityClass('lower-default', 10, { globalDefault: true });

  const cases: Array<[name: string, classes: WorkloadObject[], pod: Pod, want: ReturnType<typeof outcome>]> = [
    ['Pod with priority class', [high], withSpec((p) => void (p.spec!.priorityClassName = 'high')), [1000, 'PreemptLowerPriority', 'high']],
    ['pod without priority class and no existing default class', [high], makePod('p').obj(), [0, 'PreemptLowerPriority', undefined]],
    ['pod without priority class and one default class', [high, dflt], makePod('p').obj(), [100, 'PreemptLowerPriority', 'default-class']],
    ['pod without priority class and two default classes: the lowest value wins', [dflt, lowerDefault], makePod('p').obj(), [10, 'PreemptLowerPriority', 'lower-default']],
    ['pod with a non-existing priority class', [high], withSpec((p) => void (p.spec!.priorityClassName = 'foo')), 'pods "p" is forbidden: no PriorityClass with name foo was found'],
    ['pod with priority class with PreemptionPolicy Never', [never], withSpec((p) => void (p.spec!.priorityClassName = 'nopreempt')), [500, 'Never', 'nopreempt']],
    [
      'pod with a priority that contradicts its class',
      [high],
      withSpec((p) => {
        p.spec!.priorityClassName = 'high';
        p.spec!.priority = 5;
      }),
      'pods "p" is forbidden: the integer value of priority (5) must not be provided in pod spec; priority admission controller computed 1000 from the given PriorityClass name',
    ],
    [
      'pod with a preemptionPolicy that contradicts its class',
      [never],
      withSpec((p) => {
        p.spec!.priorityClassName = 'nopreempt';
        p.spec!.preemptionPolicy = 'PreemptLowerPriority';
      }),
      'pods "p" is forbidden: the string value of PreemptionPolicy (PreemptLowerPriority) must not be provided in pod spec; priority admission controller computed Never from the given PriorityClass name',
    ],
    ['pod with system-node-critical priority class', [], withSpec((p) => void (p.spec!.priorityClassName = 'system-node-critical')), [2000001000, 'PreemptLowerPriority', 'system-node-critical']],
    ['pod with priority that matches computed priority', [high], makePod('p').priority(0).obj(), [0, 'PreemptLowerPriority', undefined]],
    ['pod with priority that matches default priority', [dflt], makePod('p').priority(100).obj(), [100, 'PreemptLowerPriority', 'default-class']],
    [
      'pod with integer priority (and a class that does not exist)',
      [],
      withSpec((p) => {
        p.spec!.priorityClassName = 'default1';
        p.spec!.priority = 1000;
      }),
      'pods "p" is forbidden: no PriorityClass with name default1 was found',
    ],
    [
      'pod with nil preemtpion policy',
      [never],
      withSpec((p) => {
        p.spec!.priorityClassName = 'nopreempt';
        p.spec!.priority = 500;
      }),
      [500, 'Never', 'nopreempt'],
    ],
    [
      "pod with preemtpion policy that does't matches resolved preemtpion policy",
      [never],
      withSpec((p) => {
        p.spec!.priorityClassName = 'nopreempt';
        p.spec!.priority = 500;
        p.spec!.preemptionPolicy = 'PreemptLowerPriority';
      }),
      'pods "p" is forbidden: the string value of PreemptionPolicy (PreemptLowerPriority) must not be provided in pod spec; priority admission controller computed Never from the given PriorityClass name',
    ],
    ['pod without priority class and a default class with PreemptionPolicy Never', [priorityClass('bg', -5, { globalDefault: true, preemptionPolicy: 'Never' })], makePod('p').obj(), [-5, 'Never', 'bg']],
    ['ksim case: a spec.priority upstream would reject is kept, without a class', [dflt], makePod('p').priority(7).obj(), [7, 'PreemptLowerPriority', undefined]],
    ['ksim case: spec.priority without a class keeps its preemptionPolicy', [], makePod('p').priority(7).with((p) => void (p.spec!.preemptionPolicy = 'Never')).obj(), [7, 'Never', undefined]],
  ];
  for (const [name, classes, pod, want] of cases) {
    it(name, () => assert.deepEqual(outcome(admitPod(clusterWith(...classes), pod)), want));
  }

  it('never changes the pod it is given', () => {
    const pod = withSpec((p) => void (p.spec!.priorityClassName = 'high'));
    const before = structuredClone(pod);
    admitPod(clusterWith(high), pod);
    assert.deepEqual(pod, before);
  });

  it('a default class added later is seen by later pods', () => {
    const c = clusterWith();
    assert.deepEqual(outcome(admitPod(c, makePod('a').obj())), [0, 'PreemptLowerPriority', undefined]);
    c.objects.set(objectKey('PriorityClass', '', 'default-class'), dflt);
    assert.deepEqual(outcome(admitPod(c, makePod('b').obj())), [100, 'PreemptLowerPriority', 'default-class']);
  });

  it('a class updated to or from globalDefault, or replaced by another, is seen by later pods (not only a change in the number of objects)', () => {
    const c = clusterWith(high);
    assert.deepEqual(outcome(admitPod(c, makePod('a').obj())), [0, 'PreemptLowerPriority', undefined]);
    c.objects.set(objectKey('PriorityClass', '', 'high'), { ...high, globalDefault: true });
    assert.deepEqual(outcome(admitPod(c, makePod('b').obj())), [1000, 'PreemptLowerPriority', 'high']);
    c.objects.delete(objectKey('PriorityClass', '', 'high'));
    c.objects.set(objectKey('PriorityClass', '', 'default-class'), dflt);
    assert.deepEqual(outcome(admitPod(c, makePod('c').obj())), [100, 'PreemptLowerPriority', 'default-class']);
  });
});

describe('ApiServer.createPod runs priority admission', () => {
  it('stores the resolved priority, and rejects an unknown class with the reason for the caller', () => {
    const sim = new Simulation();
    const cluster = clusterWith(priorityClass('high', 1000));
    const api = new ApiServer(sim, cluster, fixedLatencyApiConfig(1000), new RandomStreams(1).stream('api'));
    const seen: Array<[string, string | undefined]> = [];
    const created: PodInfo[] = [];
    api.watch({ podAdded: (p) => void created.push(p) });
    api.createPod(withSpec((p) => void (p.spec!.priorityClassName = 'high')), (p, why) => void seen.push([p === null ? 'null' : `${p.key}:${p.priority}`, why]));
    api.createPod(makePod('bad').with((p) => void (p.spec!.priorityClassName = 'nope')).obj(), (p, why) => void seen.push([p === null ? 'null' : p.key, why]));
    api.createPod(withSpec((p) => void (p.spec!.priorityClassName = 'high')), (p, why) => void seen.push([p === null ? 'null' : p.key, why]));
    sim.run(1_000_000);
    assert.deepEqual(seen, [
      ['default/p:1000', undefined],
      ['null', 'pods "bad" is forbidden: no PriorityClass with name nope was found'],
      ['null', 'pods "p" already exists'],
    ]);
    assert.deepEqual(created.map((p) => [p.key, p.priority, p.pod.spec?.preemptionPolicy]), [['default/p', 1000, 'PreemptLowerPriority']]);
    assert.equal(cluster.pods.has('default/bad'), false);
  });
});

describe('DefaultTolerationSeconds admission', () => {
  it('adds not-ready and unreachable NoExecute tolerations of 300 s after priority admission', () => {
    const r = admitPod(clusterWith(), makePod('a').obj());
    assert.ok(r.allowed);
    assert.deepEqual(r.pod.spec?.tolerations, [
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    ]);
  });
  it('keeps a pod\'s own toleration for a key (NoExecute or empty effect) and adds only the other', () => {
    const own = { key: 'node.kubernetes.io/unreachable', operator: 'Exists' };
    const pod = makePod('b').obj();
    const r = admitPod(clusterWith(), { ...pod, spec: { ...pod.spec, containers: pod.spec?.containers ?? [], tolerations: [own] } });
    assert.ok(r.allowed);
    assert.deepEqual(r.pod.spec?.tolerations, [own, { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }]);
  });
});
