import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NodeInfo } from '../../cluster/node-info.js';
import { makeNode } from '../../testing/builders.js';
import { Code, Status } from './status.js';
import { NodeToStatus } from './node-to-status.js';
import { fitErrorMessage } from '../schedule-one.js';

// In the scheduler's node order (treePos), as ClusterState.schedulingNodes sets it.
const nodes = ['n0', 'n1', 'n2', 'n3', 'n4'].map((n, i) => Object.assign(new NodeInfo(makeNode(n).obj(), 'p', i), { treePos: i }));
const cpu = new Status(Code.Unschedulable, ['Insufficient cpu']);
const taint = new Status(Code.UnschedulableAndUnresolvable, ["node(s) had untolerated taint {a: b}"]);
// A search that started at n3 and wrapped around: n3, n4, n0, n1 (n2 fit).
const searched = [nodes[3], nodes[4], nodes[0], nodes[1]] as NodeInfo[];
const statuses = [cpu, taint, cpu, cpu];

test('NodeToStatus reads as the Map of the rejected nodes, in search order', () => {
  const m = new NodeToStatus(searched, statuses);
  const map = new Map(searched.map((n, i) => [n.name, statuses[i] as Status]));
  assert.equal(m.size, 4);
  assert.deepEqual([...m], [...map]);
  assert.deepEqual([...m.keys()], ['n3', 'n4', 'n0', 'n1']);
  assert.deepEqual([...m.values()], [cpu, taint, cpu, cpu]);
  assert.equal(m.get('n4'), taint);
  assert.equal(m.get('n2'), undefined);
  assert.equal(m.has('n0'), true);
  assert.equal(m.has('n2'), false);
  const seen: string[] = [];
  m.forEach((s, name, self) => seen.push(`${name}:${s.codeName}:${self === m}`));
  assert.deepEqual(seen, ['n3:Unschedulable:true', 'n4:UnschedulableAndUnresolvable:true', 'n0:Unschedulable:true', 'n1:Unschedulable:true']);
});

test('nodesWithCode gives the scheduler\'s node order, whatever the rotation of the search', () => {
  const m = new NodeToStatus(searched, statuses);
  assert.deepEqual(m.nodesWithCode(Code.Unschedulable).map((n) => n.name), ['n0', 'n1', 'n3']);
  assert.deepEqual(m.nodesWithCode(Code.UnschedulableAndUnresolvable).map((n) => n.name), ['n4']);
  assert.deepEqual(m.nodesWithCode(Code.Error), []);
  // A nominated node tried first, then a search from n0: not one rotation, sorted.
  const nominatedFirst = new NodeToStatus([nodes[3], nodes[0], nodes[1], nodes[2], nodes[4]] as NodeInfo[], [cpu, cpu, cpu, cpu, cpu]);
  assert.deepEqual(nominatedFirst.nodesWithCode(Code.Unschedulable).map((n) => n.name), ['n0', 'n1', 'n2', 'n3', 'n4']);
  const inOrder = new NodeToStatus(nodes, [cpu, cpu, taint, cpu, cpu]);
  assert.deepEqual(inOrder.nodesWithCode(Code.Unschedulable).map((n) => n.name), ['n0', 'n1', 'n3', 'n4']);
  const every = NodeToStatus.every(nodes, taint);
  assert.deepEqual([...every.keys()], ['n0', 'n1', 'n2', 'n3', 'n4']);
  assert.equal(every.get('n2'), taint);
});

test('the FitError message is the same from a NodeToStatus as from a Map', () => {
  const m = new NodeToStatus(searched, statuses);
  const map = new Map(searched.map((n, i) => [n.name, statuses[i] as Status]));
  const want = '0/5 nodes are available: 1 node(s) had untolerated taint {a: b}, 3 Insufficient cpu.';
  assert.equal(fitErrorMessage(5, m), want);
  assert.equal(fitErrorMessage(5, map), want);
  assert.deepEqual([...m.countByStatus()], [[cpu, 3], [taint, 1]]);
});
