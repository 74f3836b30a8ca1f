import { test } from 'node:test';
import assert from 'node:assert/strict';
import { changedUpdatableFields, podSpecUpdateRefusal, POD_UPDATE_FORBIDDEN } from './pod-update.js';

const spec = (extra: Record<string, unknown> = {}, image = 'nginx', cpu = '1') => ({ containers: [{ name: 'c', image, resources: { requests: { cpu } } }], ...extra });
const TOL = { key: 'k', operator: 'Equal', value: 'v', effect: 'NoExecute' };

test('ValidatePodUpdate: the updatable fields pass, anything else is refused with upstream\'s message', () => {
  assert.equal(podSpecUpdateRefusal(spec(), spec()), null);
  assert.equal(podSpecUpdateRefusal(spec(), spec({}, 'nginx:2')), null);
  assert.equal(podSpecUpdateRefusal(spec(), spec({ activeDeadlineSeconds: 30 })), null);
  assert.equal(podSpecUpdateRefusal(spec({ activeDeadlineSeconds: 30 }), spec({ activeDeadlineSeconds: 10 })), null);
  assert.equal(podSpecUpdateRefusal(spec({ tolerations: [TOL] }), spec({ tolerations: [{ ...TOL, tolerationSeconds: 9 }, { key: 'x', operator: 'Exists' }] })), null);
  assert.equal(podSpecUpdateRefusal(spec({ schedulingGates: [{ name: 'g1' }, { name: 'g2' }] }), spec({ schedulingGates: [{ name: 'g2' }] })), null);
  assert.equal(podSpecUpdateRefusal(spec(), spec({}, 'nginx', '2')), POD_UPDATE_FORBIDDEN);
  assert.equal(podSpecUpdateRefusal(spec(), spec({ nodeSelector: { a: 'b' } })), POD_UPDATE_FORBIDDEN);
  assert.equal(podSpecUpdateRefusal(spec(), { containers: [] }), 'spec.containers: Forbidden: pod updates may not add or remove containers');
  assert.equal(podSpecUpdateRefusal(spec({ activeDeadlineSeconds: 10 }), spec({ activeDeadlineSeconds: 30 })), 'spec.activeDeadlineSeconds: Invalid value: 30: must be less than or equal to previous value');
  assert.equal(podSpecUpdateRefusal(spec({ activeDeadlineSeconds: 10 }), spec()), 'spec.activeDeadlineSeconds: Invalid value: "null": must not update from a positive integer to nil value');
  assert.equal(podSpecUpdateRefusal(spec({ tolerations: [TOL] }), spec({ tolerations: [{ ...TOL, value: 'w' }] })), 'spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds');
  assert.equal(podSpecUpdateRefusal(spec({ schedulingGates: [{ name: 'g1' }] }), spec({ schedulingGates: [{ name: 'g1' }, { name: 'g2' }] })), "spec.schedulingGates[1].name: Forbidden: only deletion is allowed, but found new scheduling gate 'g2'");
  assert.equal(podSpecUpdateRefusal(spec({ terminationGracePeriodSeconds: -1 }), spec({ terminationGracePeriodSeconds: 1 })), null);
  assert.equal(podSpecUpdateRefusal(spec({ terminationGracePeriodSeconds: 30 }), spec({ terminationGracePeriodSeconds: 1 })), POD_UPDATE_FORBIDDEN);
  assert.ok(POD_UPDATE_FORBIDDEN.startsWith('spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,'));
});

test('the updatable fields a valid update changes are named', () => {
  assert.deepEqual(changedUpdatableFields(spec(), spec()), []);
  assert.deepEqual(changedUpdatableFields(spec(), spec({ activeDeadlineSeconds: 5, tolerations: [TOL] }, 'nginx:2')), ['spec.containers[*].image', 'spec.activeDeadlineSeconds', 'spec.tolerations']);
});
