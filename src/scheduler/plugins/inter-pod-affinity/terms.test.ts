// Compiling a pod's affinity terms: matchLabelKeys merged into the selector, and the errors of
// several bad lists aggregated as upstream's utilerrors.NewAggregate prints them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makePod } from '../../../testing/builders.js';
import { compilePodTerms, termMatches } from './terms.js';

test('matchLabelKeys adds the pod\'s value of each key to a matchLabels-only selector', () => {
  const pod = makePod('p').label('tier', 'a').with((p) => {
    p.spec!.affinity = { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'web' } }, matchLabelKeys: ['tier', 'absent'], topologyKey: 'zone' }] } };
  }).obj();
  const terms = compilePodTerms(pod, 'default', { tier: 'a' });
  assert.equal(terms.parseError, null);
  const [t] = terms.requiredAntiAffinity;
  assert.ok(t !== undefined);
  assert.equal(t.topologyKey, 'zone');
  assert.equal(termMatches(t, 'default', { app: 'web', tier: 'a' }, {}), true);
  assert.equal(termMatches(t, 'default', { app: 'web', tier: 'b' }, {}), false);
  assert.equal(termMatches(t, 'other', { app: 'web', tier: 'a' }, {}), false, 'the pod\'s own namespace only');
});

test('a bad term in two lists: both errors, aggregated as [e1, e2]; the lists are empty', () => {
  const bad = { labelSelector: { matchExpressions: [{ key: 'app', operator: 'Bogus' }] }, topologyKey: 'zone' };
  const pod = makePod('p').with((p) => {
    p.spec!.affinity = { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [bad] }, podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [bad] } };
  }).obj();
  const terms = compilePodTerms(pod, 'default', {});
  const e = '[0].labelSelector.matchExpressions[0].operator: expected one of In, NotIn, Exists, DoesNotExist, got "Bogus"';
  assert.equal(terms.parseError, `[requiredAffinityTerms: ${e}, requiredAntiAffinityTerms: ${e}]`);
  assert.deepEqual([terms.requiredAffinity.length, terms.requiredAntiAffinity.length, terms.any], [0, 0, false]);
});
