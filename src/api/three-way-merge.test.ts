// kubectl apply's three-way patch and the API server's merge of it, on Node-shaped objects. The
// expectations follow upstream strategicpatch (CreateThreeWayMergePatch: additions and changes
// against the live object, deletions against the last applied configuration; lists without a
// patch strategy replaced whole; a map left out is one null).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyPatch, lastApplied, LAST_APPLIED_ANNOTATION, threeWayPatch, withLastApplied } from './three-way-merge.js';

const live = { metadata: { name: 'n', labels: { role: 'db', tier: 'a' } }, spec: { taints: [{ key: 'x', effect: 'NoSchedule' }], unschedulable: true } };

test('the patch sets what the configuration changes against the live object and nulls what the last one gave and this one leaves out', () => {
  const original = { metadata: { name: 'n', labels: { tier: 'a' } }, spec: { unschedulable: true } };
  const modified = { metadata: { name: 'n', labels: { zone: 'z' } } };
  assert.deepEqual(threeWayPatch(original, modified, live), { metadata: { labels: { tier: null, zone: 'z' } }, spec: null });
  // Merged into the stored object: tier goes, zone comes, role (no configuration's) stays; spec
  // nulled whole (the last configuration gave a spec, this one none): taints and cordon gone.
  assert.deepEqual(applyPatch(live, threeWayPatch(original, modified, live)), { metadata: { name: 'n', labels: { role: 'db', zone: 'z' } } });
});

test('without a last-applied configuration nothing is deleted; what equals the live object is not in the patch; an empty patch is {}', () => {
  assert.deepEqual(threeWayPatch(null, { metadata: { name: 'n', labels: { role: 'db', new: '1' } } }, live), { metadata: { labels: { new: '1' } } });
  assert.deepEqual(threeWayPatch(null, { metadata: { name: 'n' }, spec: { unschedulable: true } }, live), {});
});

test('a list (spec.taints) is replaced whole when it differs, and null given deletes the field', () => {
  const taints = [{ key: 'y', effect: 'NoExecute' }];
  assert.deepEqual(threeWayPatch(null, { spec: { taints } }, live), { spec: { taints } });
  assert.deepEqual(applyPatch(live, { spec: { taints } }).spec, { taints, unschedulable: true });
  assert.deepEqual(applyPatch(live, threeWayPatch(null, { spec: { taints: null } }, live)).spec, { unschedulable: true });
});

test('the patch merges into the object as stored when it lands: changes made since the GET that it does not name stay', () => {
  const patch = threeWayPatch(null, { metadata: { labels: { zone: 'z' } } }, live);
  const since = { ...live, spec: { unschedulable: false }, metadata: { name: 'n', labels: { role: 'web' } } };
  assert.deepEqual(applyPatch(since, patch), { metadata: { name: 'n', labels: { role: 'web', zone: 'z' } }, spec: { unschedulable: false } });
});

test('the configuration sent carries itself, without the annotation, as its last-applied annotation', () => {
  const given = { kind: 'Node', metadata: { name: 'n', annotations: { [LAST_APPLIED_ANNOTATION]: 'stale', a: 'b' } } };
  const m = withLastApplied(given);
  assert.deepEqual(lastApplied(m), { kind: 'Node', metadata: { name: 'n', annotations: { a: 'b' } } });
  assert.equal(m.metadata.annotations.a, 'b');
  assert.equal(lastApplied({ metadata: { annotations: { [LAST_APPLIED_ANNOTATION]: 'not json' } } }), null);
  assert.equal(lastApplied({}), null);
});
