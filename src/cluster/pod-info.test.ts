// PodInfo's derived fields, and what pods share instead of each holding a copy (a pile of a
// million pending pods is the memory of a large run).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { availableFromUs, isPodAvailable, isPodAvailableAt, microsSince, minReadyUsOf, PodInfo } from './pod-info.js';
import { makePod } from '../testing/builders.js';

test('owner keys: a bare pod keys by its namespace alone (the same keys for every bare pod of it), an owned pod by its owner', () => {
  const a = new PodInfo(makePod('a').obj(), 0);
  const b = new PodInfo(makePod('b').obj(), 0);
  const shop = new PodInfo({ ...makePod('c').obj(), metadata: { name: 'c', namespace: 'shop' } }, 0);
  const owned = new PodInfo({ ...makePod('d').obj(), metadata: { name: 'd', namespace: 'shop', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-1', uid: 'u', controller: true }] } }, 0);
  assert.deepEqual([a.ownerKind, a.ownerName, a.ownerKey, a.ownerObjectKey], ['', '', 'default/', '/default/']);
  assert.deepEqual([shop.ownerKey, shop.ownerObjectKey], ['shop/', '/shop/']);
  assert.deepEqual([owned.ownerKind, owned.ownerName, owned.ownerKey, owned.ownerObjectKey], ['ReplicaSet', 'web-1', 'shop/web-1', 'ReplicaSet/shop/web-1']);
  assert.equal(a.ownerKey, b.ownerKey);
  assert.equal(a.ownerObjectKey, b.ownerObjectKey);
});

test('owner keys of owned pods stay right for owners of every kind, namespace and name, past the bound on the keys kept', () => {
  const owned = (ns: string, kind: string, name: string) =>
    new PodInfo({ ...makePod('p').obj(), metadata: { name: 'p', namespace: ns, ownerReferences: [{ apiVersion: 'v1', kind, name, uid: 'u', controller: true }] } }, 0);
  // 10,000 Jobs (more than the 8,192 keys kept), then pods of owners seen before the keys were dropped.
  for (let i = 0; i < 10_000; i++) {
    const p = owned('batch', 'Job', `job-${i}`);
    assert.equal(p.ownerKey, `batch/job-${i}`);
    assert.equal(p.ownerObjectKey, `Job/batch/job-${i}`);
  }
  const again = owned('batch', 'Job', 'job-3');
  assert.deepEqual([again.ownerKey, again.ownerObjectKey], ['batch/job-3', 'Job/batch/job-3']);
  // Same name, another kind or namespace: other keys.
  assert.deepEqual([owned('batch', 'ReplicaSet', 'job-3').ownerObjectKey, owned('shop', 'Job', 'job-3').ownerKey], ['ReplicaSet/batch/job-3', 'shop/job-3']);
});

test('host ports and labels: none is one shared, frozen value; a pod with some has its own', () => {
  const plain = new PodInfo(makePod('a').obj(), 0);
  const other = new PodInfo(makePod('b').obj(), 0);
  assert.equal(plain.hostPorts, other.hostPorts);
  assert.equal(plain.hostPorts.length, 0);
  assert.ok(Object.isFrozen(plain.hostPorts));
  assert.equal(plain.labels, other.labels);
  assert.deepEqual(plain.labels, {});
  assert.ok(Object.isFrozen(plain.labels));
  const w = new PodInfo({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'w', namespace: 'default', labels: { app: 'web' } },
    spec: { containers: [{ name: 'c', ports: [{ containerPort: 80, hostPort: 8080 }, { containerPort: 81 }] }] },
  }, 0);
  assert.deepEqual(w.labels, { app: 'web' });
  assert.deepEqual(w.hostPorts, [{ hostIP: '0.0.0.0', protocol: 'TCP', port: 8080 }]);
  assert.notEqual(w.hostPorts, plain.hostPorts);
});

test('requests: pods whose only requests are one frozen container list share one Resource; other pods compute their own', () => {
  const containers = Object.freeze([Object.freeze({ name: 'c', resources: Object.freeze({ requests: Object.freeze({ cpu: '250m', memory: '1Gi' }) }) })]);
  const pod = (name: string, spec: Record<string, unknown>) => new PodInfo({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { containers, ...spec } as never }, 0);
  const a = pod('a', {});
  const b = pod('b', {});
  assert.equal(a.requests, b.requests);
  assert.deepEqual([a.requests.milliCpu, a.requests.memory, a.nonZeroMilliCpu, a.nonZeroMemory], [250, 2 ** 30, 250, 2 ** 30]);
  // Overhead, init containers and pod-level resources change the sum: computed per pod.
  const withOverhead = pod('o', { overhead: { cpu: '100m' } });
  assert.notEqual(withOverhead.requests, a.requests);
  assert.equal(withOverhead.requests.milliCpu, 350);
  const withInit = pod('i', { initContainers: [{ name: 'i', resources: { requests: { cpu: '2' } } }] });
  assert.equal(withInit.requests.milliCpu, 2000);
  const podLevel = pod('p', { resources: { requests: { cpu: '1' } } });
  assert.equal(podLevel.requests.milliCpu, 1000);
  // A list that is not frozen may change: never shared.
  const open = [{ name: 'c', resources: { requests: { cpu: '250m' } } }];
  const c = new PodInfo({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'c' }, spec: { containers: open } }, 0);
  const d = new PodInfo({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'd' }, spec: { containers: open } }, 0);
  assert.notEqual(c.requests, d.requests);
  assert.deepEqual(c.requests, d.requests);
});

test('a pod keeps its times as µs after its creation: each reads back exactly, -1 before it is set, past 2^31 µs and for a pod living longer than that', () => {
  const late = 3 * 2 ** 31 + 7; // 107 simulated minutes: no small integer to V8
  const p = new PodInfo(makePod('a').obj(), late);
  assert.deepEqual([p.boundUs, p.startedUs, p.finishedUs, p.deletionUs], [-1, -1, -1, -1]);
  p.boundUs = late + 11;
  p.startedUs = late + 2_000_013;
  p.finishedUs = late + 2 ** 33 + 5; // 2.4 hours after its creation
  p.deletionUs = late;
  assert.deepEqual([p.createdUs, p.boundUs, p.startedUs, p.finishedUs, p.deletionUs], [late, late + 11, late + 2_000_013, late + 2 ** 33 + 5, late]);
  assert.equal(p.terminating, true);
  assert.throws(() => (p.boundUs = late - 1), /pod default\/a: a time \(6442450950 µs\) before its creation \(6442450951 µs\)/);
  assert.equal(p.boundUs, late + 11);
});

test('microsSince: the difference as a small integer while it fits in 31 bits, the exact number past that', () => {
  const t = 5 * 2 ** 31;
  assert.equal(microsSince(t + 123, t), 123);
  assert.equal(microsSince(t + 0x7fffffff, t), 0x7fffffff);
  assert.equal(microsSince(t + 2 ** 31, t), 2 ** 31);
  assert.equal(microsSince(t + 2 ** 40 + 1, t), 2 ** 40 + 1);
});

test('hasPodAffinityTerms: set for a spec with inter-pod affinity or anti-affinity, not for node affinity alone', () => {
  const term = { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'web' } } };
  const withAffinity = (affinity: object | undefined) => new PodInfo(makePod('p').with((p) => {
    if (affinity !== undefined) p.spec!.affinity = affinity;
  }).obj(), 0).hasPodAffinityTerms;
  assert.equal(withAffinity(undefined), false);
  assert.equal(withAffinity({ nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [] } } }), false);
  assert.equal(withAffinity({ podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term] } }), true);
  assert.equal(withAffinity({ podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1, podAffinityTerm: term }] } }), true);
  assert.equal(withAffinity({ podAffinity: {} }), true);
});

test('isPodAvailable: Running and Ready on a node that is Ready, not Terminating; a NotReady node\'s pods are not available (MarkPodsNotReady), nor a pod on a node the store lacks', () => {
  const nodes = new Map([['up', { ready: true }], ['down', { ready: false }]]);
  const pod = (node: string | null, phase: 'Pending' | 'Running' = 'Running') => {
    const p = new PodInfo(makePod('p').obj(), 0);
    p.nodeName = node;
    p.phase = phase;
    return p;
  };
  assert.equal(isPodAvailable(pod('up'), nodes), true);
  assert.equal(isPodAvailable(pod('down'), nodes), false);
  assert.equal(isPodAvailable(pod('gone'), nodes), false);
  assert.equal(isPodAvailable(pod(null), nodes), false);
  assert.equal(isPodAvailable(pod('up', 'Pending'), nodes), false);
  const leaving = pod('up');
  leaving.deletionUs = 5;
  assert.equal(isPodAvailable(leaving, nodes), false);
});

test('minReadySeconds (upstream IsPodAvailable): available once Ready that long, counted from when it started Running or, later, from when its node turned Ready again (its Ready condition set True again)', () => {
  const p = new PodInfo(makePod('a').obj(), 0);
  p.phase = 'Running';
  p.nodeName = 'n';
  p.startedUs = 5_000_000;
  const nodes = new Map([['n', { ready: true, readySinceUs: Number.NEGATIVE_INFINITY }]]);
  assert.equal(availableFromUs(p, nodes, 30_000_000), 35_000_000);
  assert.deepEqual([34_999_999, 35_000_000].map((t) => isPodAvailableAt(p, nodes, 30_000_000, t)), [false, true]);
  assert.equal(isPodAvailableAt(p, nodes, 0, 5_000_000), true, 'minReadySeconds 0: Ready is available');
  nodes.set('n', { ready: true, readySinceUs: 100_000_000 });
  assert.equal(availableFromUs(p, nodes, 30_000_000), 130_000_000);
  assert.equal(isPodAvailableAt(p, nodes, 30_000_000, 129_000_000), false);
  nodes.set('n', { ready: false, readySinceUs: 100_000_000 });
  assert.equal(isPodAvailableAt(p, nodes, 30_000_000, 200_000_000), false, 'not Ready on a NotReady node');
  assert.deepEqual([{ minReadySeconds: 30 }, {}, { minReadySeconds: 0 }, { minReadySeconds: -1 }, undefined].map(minReadyUsOf), [30_000_000, 0, 0, 0, 0]);
});

test('a hostNetwork pod holds each container port without a hostPort as its host port (upstream SetDefaults_Pod defaultHostNetworkPorts); a pod network pod does not', () => {
  const spec = (hostNetwork: boolean) => ({
    ...(hostNetwork ? { hostNetwork: true } : {}),
    containers: [{ name: 'c', ports: [{ containerPort: 80 }, { containerPort: 443, hostPort: 443 }, { containerPort: 53, protocol: 'UDP', hostPort: 0 }] }],
    initContainers: [
      { name: 'sidecar', restartPolicy: 'Always', ports: [{ containerPort: 9000 }] },
      // A plain init container's ports are defaulted too, but it holds none (node_ports.go).
      { name: 'init', ports: [{ containerPort: 9001 }] },
    ],
  });
  const pod = (name: string, hostNetwork: boolean) => new PodInfo({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: spec(hostNetwork) } as never, 0);
  const ports = (p: PodInfo) => p.hostPorts.map((h) => `${h.protocol}/${h.port}`);
  assert.deepEqual(ports(pod('host', true)), ['TCP/80', 'TCP/443', 'UDP/53', 'TCP/9000']);
  assert.deepEqual(ports(pod('overlay', false)), ['TCP/443']);
});
