// The per-cycle (topologyKey, value) counts: shared layers plus the AddPod/RemovePod overlay.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TopologyCounts } from './topology-counts.js';

test('the overlay adds to the layers; isEmpty and toRecord see the totals, a clone copies the overlay', () => {
  const t = new TopologyCounts();
  assert.equal(t.isEmpty(), true);
  t.addLayer('zone', new Map([['a', 2]]));
  t.addLayer('zone', new Map([['b', 1]]));
  assert.deepEqual([t.isEmpty(), t.toRecord()], [false, { 'zone=a': 2, 'zone=b': 1 }]);
  // RemovePod of the three pods: every total 0, although the layers are not empty.
  t.update('zone', 'a', -2);
  t.update('zone', 'b', -1);
  assert.deepEqual([t.isEmpty(), t.toRecord()], [true, {}]);
  // A key only the overlay has.
  t.update('rack', 'r1', 1);
  assert.deepEqual([t.isEmpty(), t.toRecord(), t.get('rack', 'r1')], [false, { 'rack=r1': 1 }, 1]);
  const c = t.clone();
  assert.deepEqual(c.toRecord(), { 'rack=r1': 1 });
  c.update('rack', 'r1', -1);
  assert.deepEqual([c.isEmpty(), t.get('rack', 'r1')], [true, 1]);
  // toRecord sorts by key=value.
  const u = new TopologyCounts();
  u.addLayer('zone', new Map([['b', 1], ['a', 3]]));
  u.addLayer('host', new Map([['n1', 1]]));
  assert.deepEqual(Object.keys(u.toRecord()), ['host=n1', 'zone=a', 'zone=b']);
});
