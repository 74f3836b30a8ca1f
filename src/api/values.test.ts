import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalJson, merged, sameJsonValue } from './values.js';

test('merged: { ...a, ...b } — own keys in spread order, later parts winning, null and undefined parts skipped', () => {
  const a = { labels: { app: 'web' }, name: 'old', annotations: {} };
  const m = merged<Record<string, unknown>>(a, undefined, { name: 'new', namespace: 'shop' }, null);
  assert.deepEqual(m, { labels: { app: 'web' }, name: 'new', annotations: {}, namespace: 'shop' });
  assert.deepEqual(Object.keys(m), ['labels', 'name', 'annotations', 'namespace']);
  assert.deepEqual(Object.keys(m), Object.keys({ ...a, ...{ name: 'new', namespace: 'shop' } }));
  // Shallow, like a spread: nested objects are shared.
  assert.equal(m['labels'], a.labels);
});

test('merged: a parsed "__proto__" key stays a data property, as a spread keeps it (no prototype change)', () => {
  const parsed = JSON.parse('{"__proto__": {"polluted": true}, "a": 1}') as object;
  const m = merged<Record<string, unknown>>(parsed, { b: 2 });
  assert.equal(Object.getPrototypeOf(m), Object.prototype);
  assert.equal((m as { polluted?: boolean }).polluted, undefined);
  assert.deepEqual(Object.keys(m), ['__proto__', 'a', 'b']);
});

test('canonical JSON sorts keys at every depth and drops undefined fields', () => {
  assert.equal(canonicalJson({ b: 1, a: [1, { d: undefined, c: 'x' }], e: null }), '{"a":[1,{"c":"x"}],"b":1,"e":null}');
  assert.equal(canonicalJson(undefined), 'null');
});

test('canonical JSON: equal exactly when the parsed values are equal, whatever the key order', () => {
  assert.equal(canonicalJson({ a: [1, 'x', true, null] }), canonicalJson({ a: [1, 'x', true, null] }));
  assert.equal(canonicalJson({ a: 1, b: 2 }), canonicalJson({ b: 2, a: 1 }));
  assert.notEqual(canonicalJson({ a: 1 }), canonicalJson({ a: '1' }));
  assert.notEqual(canonicalJson({ a: null }), canonicalJson({ a: Number.NaN }), 'YAML .nan is not null');
  assert.notEqual(canonicalJson({ a: Number.POSITIVE_INFINITY }), canonicalJson({ a: null }));
  assert.notEqual(canonicalJson({ a: Number.POSITIVE_INFINITY }), canonicalJson({ a: Number.NEGATIVE_INFINITY }));
  assert.notEqual(canonicalJson([[1, 2]]), canonicalJson([1, 2]));
  assert.equal(canonicalJson({ s: 'a"b' }), '{"s":"a\\"b"}');
});

test('sameJsonValue: true exactly when JSON.stringify writes the same text, unequal values written alike excepted', () => {
  const cases: [unknown, unknown, boolean][] = [
    [{ a: 1, b: [1, 'x', null, true] }, { a: 1, b: [1, 'x', null, true] }, true],
    [{ a: 1, b: 2 }, { b: 2, a: 1 }, false], // key order is part of the text
    [{ a: 1 }, { a: 1, b: 2 }, false],
    [{ a: 1, b: 2 }, { a: 1 }, false],
    [[1, 2], [1, 2, 3], false],
    [[1, [2]], [1, [2]], true],
    [{ a: [] }, { a: {} }, false],
    [{ a: '1' }, { a: 1 }, false],
    [{ a: 0 }, { a: -0 }, true], // both written 0
    [{ a: NaN }, { a: NaN }, false], // written null: never taken for the same
    [{ a: NaN }, { a: null }, false],
    [{ a: null }, { a: null }, true],
    [{ ['__proto__']: 1 }, JSON.parse('{"__proto__":1}'), true],
  ];
  for (const [a, b, want] of cases) {
    assert.equal(sameJsonValue(a, b), want, `${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
    if (want) assert.equal(JSON.stringify(a), JSON.stringify(b));
  }
  const proto = JSON.parse('{"__proto__":1}') as object;
  assert.equal(sameJsonValue({ x: 1 }, Object.assign(Object.create({ inherited: 1 }) as object, { x: 1 })), true, 'only own keys are written');
  assert.equal(sameJsonValue(proto, {}), false);
});
