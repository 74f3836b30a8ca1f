import { test } from 'node:test';
import assert from 'node:assert/strict';
import { objectsForRow, TraceContainers, TRACE_IMAGE } from './trace-objects.js';
import type { TracePod } from './trace-types.js';

const row = (name: string, requests: Record<string, string>, guaranteed?: boolean): TracePod => ({ name, requests, durationS: 10, deleteAtS: null, ...(guaranteed === undefined ? {} : { guaranteed }) });
const template = { namespace: 'default', labels: {}, as: 'Pod' as const };

test('trace pods asking for the same amounts share one frozen container list', () => {
  const shared = new TraceContainers();
  const a = objectsForRow(row('a', { cpu: '500m', memory: '1Gi' }), 'trace', template, 10_000_000, shared).pod(0);
  const b = objectsForRow(row('b', { cpu: '500m', memory: '1Gi' }), 'trace', template, 10_000_000, shared).pod(0);
  const c = objectsForRow(row('c', { cpu: '500m', memory: '2Gi' }), 'trace', template, 10_000_000, shared).pod(0);
  const g = objectsForRow(row('g', { cpu: '500m', memory: '1Gi' }, true), 'trace', template, 10_000_000, shared).pod(0);
  const x = objectsForRow(row('x', { cpu: '1', 'nvidia.com/gpu': '2' }), 'trace', template, 10_000_000, shared).pod(0);
  assert.equal(a.spec!.containers, b.spec!.containers);
  assert.notEqual(a.spec!.containers, c.spec!.containers);
  // Guaranteed: the same requests, and limits too: another list.
  assert.notEqual(a.spec!.containers, g.spec!.containers);
  assert.equal(shared.size, 4);
  assert.deepEqual(a.spec!.containers, [{ name: 'main', image: TRACE_IMAGE, resources: { requests: { cpu: '500m', memory: '1Gi' } } }]);
  assert.deepEqual(g.spec!.containers[0]!.resources, { requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '500m', memory: '1Gi' } });
  // Extended resources get limits equal to their requests (upstream requires them equal).
  assert.deepEqual(x.spec!.containers[0]!.resources, { requests: { cpu: '1', 'nvidia.com/gpu': '2' }, limits: { 'nvidia.com/gpu': '2' } });
  assert.ok(Object.isFrozen(a.spec!.containers) && Object.isFrozen(a.spec!.containers[0]!.resources!.requests));
  assert.throws(() => {
    (a.spec!.containers[0]!.resources!.requests as Record<string, string>)['cpu'] = '2';
  }, TypeError);
  // Each pod keeps its own spec and metadata (the run writes nodeName and priority into them).
  assert.notEqual(a.spec, b.spec);
  assert.notEqual(a.metadata, b.metadata);
});

test('without a TraceContainers each pod gets its own container list, equal to the shared one', () => {
  const own = objectsForRow(row('a', { cpu: '500m', memory: '1Gi' }), 'trace', template, null).pod(0);
  const shared = objectsForRow(row('a', { cpu: '500m', memory: '1Gi' }), 'trace', template, null, new TraceContainers()).pod(0);
  assert.deepEqual(own, shared);
  assert.ok(!Object.isFrozen(own.spec!.containers));
});

test('TraceContainers keeps at most 4,096 lists; later amounts get lists of their own', () => {
  const shared = new TraceContainers();
  for (let i = 0; i < 4100; i++) shared.of({ cpu: `${i + 1}m` }, {});
  assert.equal(shared.size, 4096);
  const late = shared.of({ cpu: '5000m' }, {});
  assert.notEqual(late, shared.of({ cpu: '5000m' }, {}));
  assert.equal(shared.of({ cpu: '1m' }, {}), shared.of({ cpu: '1m' }, {}));
});

test('the pods of a row with a count share its frozen container list; each has its own spec, metadata and name', () => {
  const shared = new TraceContainers();
  const r = { ...row('job', { cpu: '1' }), count: 3, nodeSelector: { disk: 'ssd' }, labels: { app: 'x' } };
  const objects = objectsForRow(r, 'trace', template, 5_000_000, shared);
  assert.equal(objects.count, 3);
  const pods = [0, 1, 2].map((i) => objects.pod(i));
  // Asked again, a pod is made afresh from the template, as the first time.
  assert.deepEqual(objects.pod(1), pods[1]);
  assert.notEqual(objects.pod(1).metadata, pods[1]!.metadata);
  assert.deepEqual(pods.map((p) => p.metadata!.name), ['job-0', 'job-1', 'job-2']);
  assert.deepEqual(pods.map((p) => Object.keys(p.metadata!)), [0, 1, 2].map(() => ['labels', 'annotations', 'name', 'namespace']));
  assert.equal(pods[1]!.spec!.containers, pods[0]!.spec!.containers);
  assert.equal(pods[2]!.spec!.containers, pods[0]!.spec!.containers);
  assert.notEqual(pods[1]!.spec, pods[0]!.spec);
  assert.notEqual(pods[1]!.spec!.nodeSelector, pods[0]!.spec!.nodeSelector);
  assert.notEqual(pods[1]!.metadata!.labels, pods[0]!.metadata!.labels);
  assert.deepEqual(pods[2]!.spec, pods[0]!.spec);
  assert.deepEqual(pods[2]!.metadata!.annotations, { 'ksim.io/workload': 'trace', 'ksim.io/run-duration-us': '5000000' });
});
