import { test } from 'node:test';
import assert from 'node:assert/strict';
import seedrandom from 'seedrandom';
import { parse } from 'yaml';
import { yamlDocument, yamlListItem, yamlString } from './yaml-emit.js';
import { parseYamlFast } from './yaml-fast.js';
import { parseYamlText } from './yaml-source.js';

/** Strings a careless emitter gets wrong: YAML types, indicators, spaces, breaks, unicode. */
const TRICKY = [
  'true', 'True', 'TRUE', 'false', 'null', 'Null', 'NULL', '~', '', '0x1F', '0o17', '1e3', '1E3', '-1e3', '.5', '5.', '+1', '-0', '007', '1_000',
  '12:30', '1:2:3', '0b101', '2026-11-30', '2026-11-30T10:00:00Z', '10.0.0.1', '-', '- a', '-a', 'a: b', 'a:b', 'a:', ':a', '#x', 'a #x', 'a#x',
  ' lead', 'trail ', 'a  b', 'yes', 'Yes', 'no', 'on', 'off', 'y', 'n', 'multi\nline', 'multi\nline\n', '\n', '\ttab', 'cr\r', 'unicode é ✓ 😀',
  '\u2028', '\u0085', '\u007f', '\ufeff', '\ud800', '\u0000', '...', '---', '.', '.inf', '-.inf', '.nan', '.NaN', '<<', '=', '%x', '@x', '`x',
  '!x', '&x', '*x', '|', '>', '?', '? x', '[a]', '{a}', 'a,b', '"q"', "'s'", '\\', 'x'.repeat(2000), 'nginx:1.25', 'http://x:80/y?q=1#f',
  '{"json":"in an annotation"}', 'a b c', '100m', '10Gi',
];
const KEYS = [
  'a.b/c', 'kubernetes.io/hostname', 'a:b', 'a: b', '', '1', '-1', 'true', 'null', '~', '-x', '.x', '...', '<<', 'key with space', 'é', '__x',
  'x'.repeat(1020), 'x'.repeat(1500), 'f:metadata', 'k:{"name":"app"}',
];
const NUMBERS = [0, -0, 1, -1, 1e21, -1e21, 1e-7, 5e-324, Number.MAX_VALUE, 0.1, 2 ** 53 + 2, Infinity, -Infinity, NaN];

/** The value back through the fast reader (null: it gave up), the `yaml` package and ksim's
 * reader (fast or full, whichever takes it). */
function readBack(text: string): { fast: unknown; yaml: unknown; ksim: unknown } {
  const [d] = parseYamlText(text, 'emitted.yaml');
  return { fast: parseYamlFast(text, 100)?.[0]?.value ?? null, yaml: parse(text), ksim: d?.toJS() };
}

function assertRoundTrip(v: unknown, what: string, mustBeFast: boolean): string {
  const text = yamlDocument(v);
  const back = readBack(text);
  const shown = text.length > 2000 ? `${text.slice(0, 2000)}…` : text;
  assert.deepStrictEqual(back.yaml, v, `${what}: the yaml package reads back other data from\n${shown}`);
  assert.deepStrictEqual(back.ksim, v, `${what}: ksim's reader reads back other data from\n${shown}`);
  if (mustBeFast) assert.deepStrictEqual(back.fast, v, `${what}: the fast reader gives up on, or misreads\n${shown}`);
  assert.equal(yamlDocument(v), text, `${what}: not the same text twice`);
  return text;
}

test('every tricky string, key and number reads back as itself, by the yaml package and by ksim\'s readers (fast unless a key is over YAML\'s 1024-character limit)', () => {
  for (const s of TRICKY) assertRoundTrip({ v: s, l: [s, [s]], [s]: { [s]: s } }, JSON.stringify(s).slice(0, 40), s.length < 1000);
  for (const k of KEYS) assertRoundTrip({ [k]: k, m: { [k]: [k, { [k]: {} }] }, l: [{ [k]: [] }, { a: 1, [k]: [[k]] }] }, `key ${JSON.stringify(k).slice(0, 40)}`, k.length < 1000);
  for (const n of NUMBERS) assertRoundTrip({ n, l: [n, [n]] }, `number ${String(n)}`, true);
  // Empty and nested collections, lists of lists, a scalar document.
  const nested = { e: {}, a: [], b: [{}], c: [[]], d: [[1, [2, []]], [{}]], f: [{ a: [], b: {} }], g: { h: { i: {} } }, z: [null, true, false] };
  assertRoundTrip(nested, 'nested', true);
  assertRoundTrip([nested, [nested]], 'a list document', true);
  for (const s of ['...', '---', 'a', '']) assertRoundTrip(s, `the document ${JSON.stringify(s)}`, false);
});

test('the emitted text: kubectl\'s layout, plain where safe, JSON-quoted otherwise, -0 and infinities in YAML\'s words', () => {
  assert.equal(
    yamlListItem({ metadata: { name: 'web', labels: { 'app.kubernetes.io/name': 'web' }, annotations: { note: 'a: b', on: 'yes' } }, spec: { containers: [{ name: 'c', args: ['-x', '1.5', 'true'], env: [] }], n: [[1, 2], []], o: {} }, x: [-0, 1e21, -Infinity, NaN, null] }),
    [
      '- metadata:',
      '    name: web',
      '    labels:',
      '      app.kubernetes.io/name: web',
      '    annotations:',
      '      note: "a: b"',
      '      "on": "yes"',
      '  spec:',
      '    containers:',
      '    - name: c',
      '      args:',
      '      - "-x"',
      '      - "1.5"',
      '      - "true"',
      '      env: []',
      '    "n":',
      '    -',
      '      - 1',
      '      - 2',
      '    - []',
      '    o: {}',
      '  x:',
      '  - -0',
      '  - 1e+21',
      '  - -.inf',
      '  - .nan',
      '  - null',
      '',
    ].join('\n'),
  );
  assert.equal(yamlString('line\u007f\u2028'), '"line\\u007f\\u2028"');
  assert.equal(yamlString('10Gi'), '10Gi');
  assert.equal(yamlString('2026-11-30T10:00:00Z'), '"2026-11-30T10:00:00Z"');
});

test('random values (strings from YAML\'s indicator characters, keys, numbers, nesting) read back as themselves by both readers; the fast reader takes every one', () => {
  const rng = seedrandom('yaml-emit');
  const chars = ['a', 'b', '0', '1', '.', '-', ':', ' ', '#', '"', "'", '\\', '\n', '\t', '{', '}', '[', ']', ',', '&', '*', '!', '|', '>', '%', '@', '`', '?', '~', '/', '=', 'é', '😀', '\u0085', '\u007f'];
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)] as T;
  const str = () => Array.from({ length: Math.floor(rng() * 6) }, () => pick(chars)).join('');
  const value = (depth: number): unknown => {
    const r = rng();
    if (depth > 4 || r < 0.5) {
      const s = rng();
      if (s < 0.6) return str();
      if (s < 0.8) return pick([Math.floor(rng() * 2000) - 1000, rng() * 1e6, -0, 1e300, 0.5]);
      return pick([true, false, null]);
    }
    if (r < 0.75) return Array.from({ length: Math.floor(rng() * 4) }, () => value(depth + 1));
    const o: Record<string, unknown> = {};
    for (let i = Math.floor(rng() * 5); i > 0; i--) o[str()] = value(depth + 1);
    return o;
  };
  for (let i = 0; i < 2000; i++) assertRoundTrip({ v: value(0) }, `random value ${i}`, true);
});
