import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RandomStreams } from '../engine/random.js';
import { defaultProfileConfig } from '../scheduler/config/kube-scheduler-configuration.js';
import { inTreeRegistry } from '../scheduler/plugins/registry.js';
import { buildCluster, makeNode, makePod } from '../testing/builders.js';
import { existsTerm, requiredAntiAffinity } from '../testing/affinity-builders.js';
import { fitCopies, type FitResult } from './fit.js';

const ZONE = 'topology.kubernetes.io/zone';

function fit(nodes: Parameters<typeof buildCluster>[0], pods: Parameters<typeof buildCluster>[1], pod: ReturnType<ReturnType<typeof makePod>['obj']>): FitResult {
  const cluster = buildCluster(nodes, pods);
  return fitCopies(cluster, defaultProfileConfig(), inTreeRegistry(), pod, { rng: new RandomStreams(1).stream('capacity') });
}

const perNode = (r: FitResult) => Object.fromEntries(r.nodes.map((n) => [n.node, n.fits]));
const limits = (r: FitResult) => Object.fromEntries(r.nodes.map((n) => [n.node, `${n.plugin}: ${n.reason}`]));

test('each node takes copies until its free CPU runs out: (4−1)/1 + (4−2)/1 + 8/1 = 13', () => {
  const r = fit(
    [makeNode('a').capacity({ cpu: '4', memory: '8Gi', pods: 110 }).obj(), makeNode('b').capacity({ cpu: '4', memory: '8Gi', pods: 110 }).obj(), makeNode('c').capacity({ cpu: '8', memory: '16Gi', pods: 110 }).obj()],
    [makePod('x').req({ cpu: '1' }).obj(), makePod('y').req({ cpu: '2' }).obj()].map((p, i) => ({ ...p, spec: { ...p.spec!, nodeName: i === 0 ? 'a' : 'b' } })),
    makePod('web').req({ cpu: '1', memory: '1Gi' }).obj(),
  );
  assert.equal(r.method, 'per-node');
  assert.deepEqual(perNode(r), { a: 3, b: 2, c: 8 });
  assert.equal(r.total, 13);
  assert.deepEqual(limits(r), { a: 'NodeResourcesFit: Insufficient cpu', b: 'NodeResourcesFit: Insufficient cpu', c: 'NodeResourcesFit: Insufficient cpu' });
  assert.equal(r.reason, '0/3 nodes are available: 3 Insufficient cpu.');
});

test('the limit is whichever filter rejects the next copy: memory, the pod count, an untolerated taint, a cordon', () => {
  const r = fit(
    [
      makeNode('mem').capacity({ cpu: '16', memory: '2Gi', pods: 110 }).obj(),
      makeNode('few').capacity({ cpu: '16', memory: '16Gi', pods: 2 }).obj(),
      makeNode('gpu').capacity({ cpu: '16', memory: '16Gi', pods: 110 }).taint('dedicated', 'gpu', 'NoSchedule').obj(),
      makeNode('cordoned').capacity({ cpu: '16', memory: '16Gi', pods: 110 }).unschedulable().obj(),
    ],
    [],
    makePod('web').req({ cpu: '1', memory: '1Gi' }).obj(),
  );
  assert.deepEqual(perNode(r), { mem: 2, few: 2, gpu: 0, cordoned: 0 });
  assert.deepEqual(limits(r), {
    mem: 'NodeResourcesFit: Insufficient memory',
    few: 'NodeResourcesFit: Too many pods',
    gpu: "TaintToleration: node(s) had untolerated taint(s)",
    cordoned: 'NodeUnschedulable: node(s) were unschedulable',
  });
});

test('a host port fits once per node (NodePorts)', () => {
  const r = fit([makeNode('a').capacity({ cpu: '8', pods: 110 }).obj(), makeNode('b').capacity({ cpu: '8', pods: 110 }).obj()], [], makePod('p').req({ cpu: '100m' }).hostPort(8080).obj());
  assert.deepEqual(perNode(r), { a: 1, b: 1 });
  assert.equal(r.nodes[0]?.plugin, 'NodePorts');
});

test('copies with required anti-affinity to each other by zone go one per zone, by scheduling one at a time', () => {
  const nodes = ['a1', 'a2', 'b1', 'c1'].map((n) => makeNode(n).capacity({ cpu: '8', pods: 110 }).zone(`zone-${n[0]}`).obj());
  const r = fit(nodes, [], makePod('p').label('app', 'db').req({ cpu: '1' }).with(requiredAntiAffinity(existsTerm('app', ZONE))).obj());
  assert.equal(r.method, 'scheduling');
  assert.equal(r.total, 3);
  assert.equal(r.nodes.filter((n) => n.fits === 1).length, 3);
  for (const n of r.nodes) assert.equal(n.plugin, 'InterPodAffinity', n.node);
  assert.match(r.reason, /^0\/4 nodes are available: 4 node\(s\) didn't match pod anti-affinity rules\.$/);
});

test('a pod that fits nowhere gets 0 and kube-scheduler\'s message', () => {
  const r = fit([makeNode('a').capacity({ cpu: '2', pods: 110 }).obj()], [], makePod('big').req({ cpu: '3' }).obj());
  assert.equal(r.total, 0);
  assert.equal(r.reason, '0/1 nodes are available: 1 Insufficient cpu.');
});
