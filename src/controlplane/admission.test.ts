import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { ClusterState } from '../cluster/cluster-state.js';
import { objectKey, type WorkloadObject } from '../cluster/workload-object.js';
import { Simulation } from '../engine/simulation.js';
import { makePod } from '../testing/builders.js';
import type { PodInfo } from '../cluster/pod-info.js';
import { admitPod, missingNamespace, type AdmissionResult } from './admission.js';
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
    // A spec.priority without a class is compared with what admission computes (the default
    // class's value, else 0), as upstream admitPod: ksim once kept it as given.
    ['spec.priority without a class and no default class', [], makePod('p').priority(500).obj(), 'pods "p" is forbidden: the integer value of priority (500) must not be provided in pod spec; priority admission controller computed 0 from the given PriorityClass name'],
    ['spec.priority without a class that differs from the default class', [dflt], makePod('p').priority(500).obj(), 'pods "p" is forbidden: the integer value of priority (500) must not be provided in pod spec; priority admission controller computed 100 from the given PriorityClass name'],
    [
      'spec.preemptionPolicy without a class that differs from the default',
      [],
      makePod('p').priority(0).with((p) => void (p.spec!.preemptionPolicy = 'Never')).obj(),
      'pods "p" is forbidden: the string value of PreemptionPolicy (Never) must not be provided in pod spec; priority admission controller computed PreemptLowerPriority from the given PriorityClass name',
    ],
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

describe('Priority of a stored (snapshot) pod', () => {
  const high = priorityClass('high', 1000);
  const dflt = priorityClass('default-class', 100, { globalDefault: true });
  const existing = (classes: WorkloadObject[], edit: (p: Pod) => void) => outcome(admitPod(clusterWith(...classes), withSpec(edit), { existing: true }));
  it('keeps its spec.priority whatever its class says now, or when the class is missing (upstream never admits a stored pod again)', () => {
    assert.deepEqual(existing([], (p) => Object.assign(p.spec!, { priorityClassName: 'shop-critical', priority: 100000 })), [100000, 'PreemptLowerPriority', 'shop-critical']);
    assert.deepEqual(existing([high], (p) => Object.assign(p.spec!, { priorityClassName: 'high', priority: 7, preemptionPolicy: 'Never' })), [7, 'Never', 'high']);
  });
  it('without spec.priority (a hand-written snapshot): its class or the default class, else 0', () => {
    assert.deepEqual(existing([high], (p) => void (p.spec!.priorityClassName = 'high')), [1000, 'PreemptLowerPriority', 'high']);
    assert.deepEqual(existing([dflt], () => {}), [100, 'PreemptLowerPriority', undefined]);
    assert.deepEqual(existing([], (p) => void (p.spec!.priorityClassName = 'gone')), [0, 'PreemptLowerPriority', 'gone']);
  });
  it('is not refused by a ResourceQuota it exceeds (it is stored already)', () => {
    const quota: WorkloadObject = { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'q', namespace: 'default' }, spec: { hard: { pods: '0' } } };
    const c = clusterWith();
    c.objects.set(objectKey('ResourceQuota', 'default', 'q'), quota);
    assert.ok(admitPod(c, makePod('p').obj(), { existing: true }).allowed);
    assert.equal(admitPod(c, makePod('p').obj()).allowed, false);
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

describe('LimitRanger and RuntimeClass in the admission chain', () => {
  const limitRange = (name: string, namespace: string, ...limits: Record<string, unknown>[]): WorkloadObject =>
    ({ apiVersion: 'v1', kind: 'LimitRange', metadata: { name, namespace }, spec: { limits } });
  const gvisor: WorkloadObject = {
    apiVersion: 'node.k8s.io/v1', kind: 'RuntimeClass', metadata: { name: 'gvisor', namespace: '' }, handler: 'runsc',
    overhead: { podFixed: { cpu: '500m', memory: '256Mi' } },
    scheduling: { nodeSelector: { sandbox: 'gvisor' }, tolerations: [{ key: 'sandbox', operator: 'Equal', value: 'gvisor', effect: 'NoSchedule' }] },
  };
  function cluster(...objects: WorkloadObject[]): ClusterState {
    const c = new ClusterState();
    for (const o of objects) c.objects.set(objectKey(o.kind, o.metadata.namespace, o.metadata.name), o);
    return c;
  }
  const inTeam = (p: Pod): Pod => ({ ...p, metadata: { ...p.metadata, namespace: 'team' } });
  const defaults = limitRange('defaults', 'team', { type: 'Container', defaultRequest: { cpu: '500m', memory: '512Mi' }, default: { cpu: '1', memory: '1Gi' } });

  it('a pod without requests in a namespace with a LimitRange gets its defaults and the annotation; other namespaces are untouched', () => {
    const c = cluster(defaults);
    const r = admitPod(c, inTeam(makePod('p').container({ name: 'c' }).obj()));
    assert.ok(r.allowed);
    assert.deepEqual(r.pod.spec?.containers[0]?.resources, { requests: { cpu: '500m', memory: '512Mi' }, limits: { cpu: '1', memory: '1Gi' } });
    assert.equal(r.pod.metadata?.annotations?.['kubernetes.io/limit-ranger'], 'LimitRanger plugin set: cpu, memory request for container c; cpu, memory limit for container c');
    const other = admitPod(c, makePod('q').container({ name: 'c' }).obj());
    assert.ok(other.allowed);
    assert.equal(other.pod.spec?.containers[0]?.resources, undefined);
    assert.equal(other.pod.metadata?.annotations, undefined);
  });

  it('the pods of one template share the defaulted containers (one copy in memory)', () => {
    const c = cluster(defaults);
    const template = inTeam(makePod('p').container({ name: 'c' }).obj());
    const a = admitPod(c, template);
    const b = admitPod(c, { ...template, metadata: { ...template.metadata, name: 'p2' } });
    assert.ok(a.allowed && b.allowed);
    assert.equal(a.pod.spec?.containers, b.pod.spec?.containers);
  });

  it('LimitRanges apply in name order: a later one only adds what the earlier left unset', () => {
    const c = cluster(limitRange('b-memory', 'team', { type: 'Container', defaultRequest: { cpu: '2', memory: '1Gi' } }), limitRange('a-cpu', 'team', { type: 'Container', defaultRequest: { cpu: '250m' } }));
    const r = admitPod(c, inTeam(makePod('p').container({ name: 'c' }).obj()));
    assert.ok(r.allowed);
    assert.deepEqual(r.pod.spec?.containers[0]?.resources?.requests, { cpu: '250m', memory: '1Gi' });
    assert.equal(r.pod.metadata?.annotations?.['kubernetes.io/limit-ranger'], 'LimitRanger plugin set: memory request for container c');
  });

  it('a min or max violation refuses the create with upstream\'s message; so does a request above a merged default limit', () => {
    const c = cluster(limitRange('caps', 'team', { type: 'Container', max: { cpu: '1' }, default: { cpu: '1' }, defaultRequest: { cpu: '1' } }));
    assert.equal(outcome(admitPod(c, inTeam(makePod('big').req({ cpu: '500m' }, { cpu: '2' }).obj()))), 'pods "big" is forbidden: maximum cpu usage per Container is 1, but limit is 2');
    assert.equal(outcome(admitPod(c, inTeam(makePod('req').req({ cpu: '1500m' }).obj()))), 'Pod "req" is invalid: spec.containers[0].resources.requests: Invalid value: "1500m": must be less than or equal to cpu limit of 1');
  });

  it('a pod naming a RuntimeClass gets its overhead, node selector and toleration; one naming a missing class is refused', () => {
    const c = cluster(gvisor);
    const r = admitPod(c, makePod('s').req({ cpu: '1', memory: '1Gi' }).with((p) => void (p.spec!.runtimeClassName = 'gvisor')).obj());
    assert.ok(r.allowed);
    assert.deepEqual([r.pod.spec?.overhead, r.pod.spec?.nodeSelector], [{ cpu: '500m', memory: '256Mi' }, { sandbox: 'gvisor' }]);
    assert.deepEqual(r.pod.spec?.tolerations?.map((t) => t.key), ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable', 'sandbox']);
    assert.equal(outcome(admitPod(c, makePod('k').with((p) => void (p.spec!.runtimeClassName = 'kata')).obj())), 'pods "k" is forbidden: pod rejected: RuntimeClass "kata" not found');
    assert.equal(outcome(admitPod(c, makePod('n').nodeSelector({ sandbox: 'kata' }).with((p) => void (p.spec!.runtimeClassName = 'gvisor')).obj())),
      'pods "n" is forbidden: conflict: runtimeClass.scheduling.nodeSelector[sandbox] = gvisor; pod.spec.nodeSelector[sandbox] = kata');
  });

  it('a cluster snapshot\'s pods (existing) are not defaulted again nor refused for a class the snapshot lacks', () => {
    const c = cluster(defaults);
    const pod = inTeam(makePod('old').container({ name: 'c' }).with((p) => void (p.spec!.runtimeClassName = 'gone')).obj());
    const r = admitPod(c, pod, { existing: true });
    assert.ok(r.allowed);
    assert.equal(r.pod.spec?.containers, pod.spec?.containers);
  });

  it('ResourceQuota counts the requests LimitRanger gave and the overhead RuntimeClass gave', () => {
    const quota: WorkloadObject = { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'q', namespace: 'team' }, spec: { hard: { 'requests.cpu': '1' } } };
    const c = cluster(defaults, quota, { ...gvisor, overhead: { podFixed: { cpu: '600m' } } });
    assert.equal(outcome(admitPod(c, inTeam(makePod('p').container({ name: 'c' }).with((p) => void (p.spec!.runtimeClassName = 'gvisor')).obj()))),
      'pods "p" is forbidden: exceeded quota: q, requested: requests.cpu=1100m, used: requests.cpu=0, limited: requests.cpu=1');
  });
});

describe('the name a refusal gives a pod a controller made (metadata.generateName set)', () => {
  // Upstream's controllers set only generateName (controller_utils.go GetPodFromTemplate); the
  // API server generates the name in rest.BeforeCreate, after mutating admission and before
  // validating admission, and admission.NewForbidden (extractResourceName) falls back to
  // generateName: the mutating plugins' refusals (Priority, RuntimeClass's Admit) name the pod
  // "web-6949c8bf44-", the validating ones (LimitRanger's and RuntimeClass's Validate,
  // ResourceQuota) and the API's validation the generated name.
  const objects = (...os: WorkloadObject[]): ClusterState => {
    const c = new ClusterState();
    for (const o of os) c.objects.set(objectKey(o.kind, o.metadata.namespace, o.metadata.name), o);
    return c;
  };
  const made = (edit: (p: Pod) => void = () => {}): Pod =>
    makePod('web-6949c8bf44-vnjx9').container({ name: 'web' }).with((p) => {
      p.metadata!.generateName = 'web-6949c8bf44-';
      p.metadata!.namespace = 't';
      edit(p);
    }).obj();
  const gvisor: WorkloadObject = { apiVersion: 'node.k8s.io/v1', kind: 'RuntimeClass', metadata: { name: 'gvisor', namespace: '' }, handler: 'runsc', overhead: { podFixed: { cpu: '500m' } }, scheduling: { nodeSelector: { sandbox: 'gvisor' } } };
  const plain: WorkloadObject = { apiVersion: 'node.k8s.io/v1', kind: 'RuntimeClass', metadata: { name: 'runc', namespace: '' }, handler: 'runc' };

  it('mutating phase: Priority (class not found, a contradicting priority) and RuntimeClass Admit (class not found, overhead mismatch, nodeSelector conflict) give the generateName', () => {
    const c = objects(priorityClass('tenant-high', 100000), gvisor);
    assert.equal(outcome(admitPod(c, made((p) => void (p.spec!.priorityClassName = 'tenant-hihg')))), 'pods "web-6949c8bf44-" is forbidden: no PriorityClass with name tenant-hihg was found');
    assert.equal(outcome(admitPod(c, made((p) => {
      p.spec!.priorityClassName = 'tenant-high';
      p.spec!.priority = 5;
    }))), 'pods "web-6949c8bf44-" is forbidden: the integer value of priority (5) must not be provided in pod spec; priority admission controller computed 100000 from the given PriorityClass name');
    assert.equal(outcome(admitPod(c, made((p) => void (p.spec!.runtimeClassName = 'kata')))), 'pods "web-6949c8bf44-" is forbidden: pod rejected: RuntimeClass "kata" not found');
    assert.equal(outcome(admitPod(c, made((p) => {
      p.spec!.runtimeClassName = 'gvisor';
      p.spec!.overhead = { cpu: '1' };
    }))), 'pods "web-6949c8bf44-" is forbidden: pod rejected: Pod\'s Overhead doesn\'t match RuntimeClass\'s defined Overhead');
    assert.equal(outcome(admitPod(c, made((p) => {
      p.spec!.runtimeClassName = 'gvisor';
      p.spec!.nodeSelector = { sandbox: 'kata' };
    }))), 'pods "web-6949c8bf44-" is forbidden: conflict: runtimeClass.scheduling.nodeSelector[sandbox] = gvisor; pod.spec.nodeSelector[sandbox] = kata');
  });

  it('validating phase: LimitRanger, RuntimeClass Validate (an overhead without a class overhead), ResourceQuota, and the API\'s validation give the generated name', () => {
    const caps: WorkloadObject = { apiVersion: 'v1', kind: 'LimitRange', metadata: { name: 'caps', namespace: 't' }, spec: { limits: [{ type: 'Container', max: { cpu: '1' }, default: { cpu: '1' } }] } };
    assert.equal(outcome(admitPod(objects(caps), made((p) => void (p.spec!.containers[0]!.resources = { requests: { cpu: '500m' }, limits: { cpu: '2' } })))), 'pods "web-6949c8bf44-vnjx9" is forbidden: maximum cpu usage per Container is 1, but limit is 2');
    assert.equal(outcome(admitPod(objects(caps), made((p) => void (p.spec!.containers[0]!.resources = { requests: { cpu: '1500m' } })))), 'Pod "web-6949c8bf44-vnjx9" is invalid: spec.containers[0].resources.requests: Invalid value: "1500m": must be less than or equal to cpu limit of 1');
    assert.equal(outcome(admitPod(objects(plain), made((p) => {
      p.spec!.runtimeClassName = 'runc';
      p.spec!.overhead = { cpu: '1' };
    }))), 'pods "web-6949c8bf44-vnjx9" is forbidden: pod rejected: Pod Overhead set without corresponding RuntimeClass defined Overhead');
    const quota: WorkloadObject = { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'q', namespace: 't' }, spec: { hard: { pods: '0' } } };
    assert.equal(outcome(admitPod(objects(quota), made())), 'pods "web-6949c8bf44-vnjx9" is forbidden: exceeded quota: q, requested: pods=1, used: pods=0, limited: pods=0');
  });

  it('a pod without generateName is named by its name in either phase', () => {
    assert.equal(outcome(admitPod(objects(), makePod('solo').with((p) => void (p.spec!.priorityClassName = 'nope')).obj())), 'pods "solo" is forbidden: no PriorityClass with name nope was found');
  });
});

describe('missingNamespace (NamespaceLifecycle for the pod explain and capacity --pod are asked about)', () => {
  const ns = (name: string, phase?: string) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, namespace: '' }, ...(phase === undefined ? {} : { status: { phase } }) }) as unknown as WorkloadObject;
  const cluster = new ClusterState();
  for (const o of [ns('shop'), ns('old', 'Terminating')]) cluster.objects.set(objectKey('Namespace', '', o.metadata.name), o);
  const cases: Array<[string, string, string | null]> = [
    ['a namespace the cluster lists is fine', 'shop', null],
    ['a built-in namespace is fine', 'kube-system', null],
    ['one the cluster does not list is not found, with the nearest name', 'shopp', 'namespaces "shopp" not found (the cluster\'s namespaces: old, shop; did you mean "shop"?)'],
    ['one being terminated refuses new content', 'old', 'pods "p" is forbidden: unable to create new content in namespace old because it is being terminated'],
  ];
  for (const [name, namespace, want] of cases) it(name, () => assert.equal(missingNamespace(cluster, makePod('p').namespace(namespace).obj()), want));
  it('a cluster that lists no Namespace refuses none', () => assert.equal(missingNamespace(new ClusterState(), makePod('p').namespace('any').obj()), null));
});
