// DefaultBinder: the binding's outcome is the plugin's (upstream defaultbinder: a failed Bind
// returns an Error status with the API error).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildCluster, makePod, podInfo } from '../../testing/builders.js';
import { CycleState } from '../framework/cycle-state.js';
import type { Verdict } from '../framework/status.js';
import { DefaultBinderPlugin } from './default-binder.js';

test('a binding that succeeds is Success; one refused is an Error with the API\'s reason', () => {
  for (const [ok, want] of [[true, null], [false, ['Error', ['pods "p" not found']]]] as const) {
    const binder = new DefaultBinderPlugin({ cluster: buildCluster([]), bindPod: (_p, _n, done) => done(ok, ok ? '' : 'pods "p" not found'), deletePod: () => {} });
    let got: Verdict | undefined;
    assert.equal(binder.bind(new CycleState(), podInfo(makePod('p').obj()), 'n1', (v) => (got = v)), null);
    assert.deepEqual(got === null || got === undefined ? got : [got.codeName, got.reasons], want);
  }
});
