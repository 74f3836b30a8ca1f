// Generated pod names.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RandomStream } from '../engine/random.js';
import { ClusterState } from '../cluster/cluster-state.js';
import { makePod, podInfo } from '../testing/builders.js';
import { PodNames } from './names.js';

/** A stream whose int() returns the given values in turn (then 0). */
function scripted(values: number[]): RandomStream {
  let i = 0;
  return { int: () => values[i++] ?? 0 } as unknown as RandomStream;
}

test('a generated name taken by a pod or by a create in flight is drawn again; a released one is free', () => {
  const cluster = new ClusterState();
  cluster.addPod(podInfo(makePod('web-bbbbb').obj()));
  // Draws: bbbbb (a pod has it), ccccc (free), then ccccc again (in flight), then ddddd.
  const names = new PodNames(cluster, scripted([0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2]));
  assert.equal(names.reserve('default', 'web'), 'web-ccccc');
  assert.equal(names.reserve('default', 'web'), 'web-ddddd');
  const reserved = makePod('web-ddddd').obj();
  assert.equal(names.keyFor(reserved), 'default/web-ddddd', 'the store key of the name reserved last');
  assert.equal(names.keyFor(makePod('web-ccccc').obj()), 'default/web-ccccc', 'another name: made from the pod');
  assert.equal(names.keyFor(makePod('web-ddddd').namespace('other').obj()), 'other/web-ddddd', 'the name in another namespace: made from the pod');
  names.release('default/web-ccccc');
  const again = new PodNames(cluster, scripted([1, 1, 1, 1, 1]));
  assert.equal(again.reserve('default', 'web'), 'web-ccccc', 'another controller\'s reservations are its own');
  const reuse = scripted([1, 1, 1, 1, 1]);
  (names as unknown as { rng: RandomStream }).rng = reuse;
  assert.equal(names.reserve('default', 'web'), 'web-ccccc', 'released: free again');
});
