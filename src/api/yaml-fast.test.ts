import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import seedrandom from 'seedrandom';
import { parseAllDocuments, stringify, type ToStringOptions } from 'yaml';
import { parseYamlFast, resolvePlain } from './yaml-fast.js';
import { parseYamlText } from './yaml-source.js';
import { InputError } from './input-error.js';

/** What the full reader (src/api/yaml-source.ts: core schema, unique keys, no known tags)
 * makes of `text`: each document's value, or null when it reports an error. */
function fullRead(text: string): unknown[] | null {
  const docs = parseAllDocuments(text, { uniqueKeys: true, schema: 'core', resolveKnownTags: false, prettyErrors: false });
  const list = Array.isArray(docs) ? docs : [docs];
  if (list.some((d) => d.errors.length > 0 || d.warnings.length > 0)) return null;
  return list.filter((d) => d.contents !== null).map((d) => d.toJS());
}

/** The fast reader's values, or null when it gives up. */
function fastRead(text: string): unknown[] | null {
  return parseYamlFast(text, 100)?.map((d) => d.value) ?? null;
}

/** Fast and full readers agree: when the fast one reads the text, the full one reads the same. */
function assertAgrees(text: string, what: string): boolean {
  const fast = fastRead(text);
  if (fast === null) return false;
  const full = fullRead(text);
  assert.notEqual(full, null, `${what}: the fast reader read a text the full reader refuses:\n${text}`);
  assert.deepStrictEqual(fast, full, `${what}:\n${text}`);
  return true;
}

test('plain scalars resolve as the YAML 1.2 core schema resolves them', () => {
  const cases: [string, unknown][] = [
    ['', null], ['~', null], ['null', null], ['Null', null], ['NULL', null], ['nULL', 'nULL'],
    ['true', true], ['True', true], ['TRUE', true], ['false', false], ['FALSE', false], ['yes', 'yes'], ['on', 'on'], ['tRUE', 'tRUE'],
    ['0', 0], ['-0', -0], ['+12', 12], ['012', 12], ['0o17', 15], ['0O17', '0O17'], ['0x1F', 31], ['0X1F', '0X1F'], ['1_000', '1_000'],
    ['1.5', 1.5], ['0.50', 0.5], ['.5', 0.5], ['-.5', -0.5], ['1.', 1], ['1e3', 1000], ['1E-2', 0.01], ['.inf', Infinity], ['-.Inf', -Infinity], ['.NaN', Number.NaN],
    ['2Gi', '2Gi'], ['100m', '100m'], ['1.2.3', '1.2.3'], ['-', '-'], ['.', '.'], ['+', '+'], ['0b101', '0b101'], ['12:30', '12:30'], ['2026-01-01', '2026-01-01'],
  ];
  for (const [s, want] of cases) {
    assert.deepStrictEqual(resolvePlain(s), want, s);
    // The same scalar as a mapping value through the full reader.
    if (s !== '' && s !== '-') assert.deepStrictEqual((fullRead(`v: ${s}\n`)?.[0] as { v: unknown }).v, want, `full reader: ${s}`);
  }
});

test('kubectl-style YAML is read by the fast reader, with the values the full reader gives', () => {
  const text = [
    'apiVersion: v1',
    'items:',
    '- apiVersion: v1',
    '  kind: Pod',
    '  metadata:',
    '    annotations:',
    '      kubectl.kubernetes.io/last-applied-configuration: |',
    '        {"apiVersion":"v1","kind":"Pod"}',
    '    creationTimestamp: "2026-01-01T00:00:00Z"',
    '    labels:',
    '      app: web',
    '      tier: "1"',
    '    managedFields:',
    '    - fieldsType: FieldsV1',
    '      fieldsV1:',
    '        f:spec:',
    "          'k:{\"name\":\"app\"}':",
    '            .: {}',
    '            f:image: {}',
    '    name: web-0',
    '    namespace: shop   # a comment',
    '  spec:',
    '    containers:',
    '    - image: nginx:1.27',
    '      name: app',
    '      ports:',
    '      - containerPort: 80',
    '        protocol: TCP',
    '      resources:',
    '        requests:',
    '          cpu: 100m',
    '          memory: 128Mi',
    "      command: ['sh']".replace("['sh']", '[]'),
    '    nodeName: ""',
    '    priority: 0',
    '    tolerations:',
    '    - effect: NoExecute',
    '      key: node.kubernetes.io/not-ready',
    '      operator: Exists',
    '      tolerationSeconds: 300',
    '  status:',
    '    phase: Running',
    'kind: List',
    'metadata:',
    '  resourceVersion: ""',
    '',
  ].join('\n');
  const docs = parseYamlFast(text, 100);
  assert.ok(docs !== null, 'the fast reader reads kubectl output');
  assert.equal(docs.length, 1);
  const list = docs[0]!.value as { items: Record<string, any>[] };
  const pod = list.items[0]!;
  assert.equal(pod['metadata'].annotations['kubectl.kubernetes.io/last-applied-configuration'], '{"apiVersion":"v1","kind":"Pod"}\n');
  assert.equal(pod['metadata'].labels.tier, '1');
  assert.equal(pod['metadata'].namespace, 'shop');
  assert.deepEqual(pod['metadata'].managedFields[0].fieldsV1['f:spec']['k:{"name":"app"}'], { '.': {}, 'f:image': {} });
  assert.equal(pod['spec'].containers[0].image, 'nginx:1.27');
  assert.equal(pod['spec'].containers[0].ports[0].containerPort, 80);
  assert.deepEqual(pod['spec'].containers[0].command, []);
  assert.equal(pod['spec'].nodeName, '');
  assert.equal(pod['spec'].tolerations[0].tolerationSeconds, 300);
  // The List's one item spans from its "-" line to "kind: List".
  assert.deepEqual(docs[0]!.itemSpans, [{ start: text.indexOf('- apiVersion'), end: text.indexOf('kind: List') }]);
  assert.ok(assertAgrees(text, 'kubectl List'));
});

test('the fast reader gives up on what is outside its subset, and the full reader still reads it', () => {
  const outside = [
    'a: &x 1\nb: *x\n', // anchors and aliases
    'a: !!str 1\n', // tags
    'a: [1, 2]\n', // flow collections with content
    'a: {b: 1}\n',
    'a: one\n  two\n', // a multi-line plain scalar
    'a: "one\n  two"\n', // a multi-line quoted scalar
    'a: >\n  folded\n', // folded block
    'a: |2\n   x\n', // indentation indicator
    'a: |+\n  kept\n\n', // keep chomping
    'a:\n\tb: 1\n', // tabs
    'a: 1\r\nb: 2\r\n', // CR line ends
    '%YAML 1.2\n---\na: 1\n', // a directive
    'a: 1\n...\n', // document end marker
    '--- a: 1\n', // content on the marker line
    '? a\n: 1\n', // explicit key
    '1: a\n', // a key that is not a string
    'true: a\n',
    '- - a\n', // a list in a list on one line
    'a: "\\x41"\n', // a YAML-only escape
    'a: | \n  x', // a block running to the end without a line break
    'a: b\n- c\n',
  ];
  for (const text of outside) {
    assert.equal(fastRead(text), null, JSON.stringify(text));
    assert.doesNotThrow(() => fullRead(text));
  }
  // Errors stay the full reader's, with its positions.
  const dup = 'kind: Pod\nmetadata:\n  name: a\n  name: b\n';
  assert.equal(fastRead(dup), null);
  assert.throws(() => parseYamlText(dup, 'dup.yaml'), (e: unknown) => e instanceof InputError && /^dup\.yaml:4:3: metadata\.name: /.test(e.message));
});

test('documents, comments and literal blocks', () => {
  const cases: [string, unknown[]][] = [
    ['---\na: 1\n---\n# only a comment\n---\nb: 2\n', [{ a: 1 }, null, { b: 2 }]],
    ['# head\n\na: 1 # trailing\nb: x#y\nc: "q" # after a quote\n', [{ a: 1, b: 'x#y', c: 'q' }]],
    ['data: |\n  line1\n\n  line2\n\nnext: 1\n', [{ data: 'line1\n\nline2\n', next: 1 }]],
    ['data: |-\n    indented\n      more\nnext: 1\n', [{ data: 'indented\n  more', next: 1 }]],
    ['list:\n  - a\n  - b: 1\n    c: 2\n  -\n    d: 3\n  -\n', [{ list: ['a', { b: 1, c: 2 }, { d: 3 }, null] }]],
    ["k: 'it''s'\nq: \"tab\\tand \\u00e9\"\nurl: http://x:80/y\n", [{ k: "it's", q: 'tab\tand é', url: 'http://x:80/y' }]],
    ['  indented: root\n  second: 2\n', [{ indented: 'root', second: 2 }]],
    ['- 1\n- two\n', [[1, 'two']]],
    ['', []],
    ['# nothing\n', []],
  ];
  for (const [text, want] of cases) {
    assert.deepStrictEqual(fastRead(text), want, JSON.stringify(text));
    assert.ok(assertAgrees(text, JSON.stringify(text)) || want.length === 0);
  }
});

test('every YAML file in the repository reads the same through the fast reader as through the full one', () => {
  const root = fileURLToPath(new URL('../../../', import.meta.url));
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir)) {
      if (e === 'node_modules' || e === 'dist' || e.startsWith('.')) continue;
      const p = join(dir, e);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.ya?ml$/.test(e)) files.push(p);
    }
  };
  for (const d of ['scenarios', 'examples', 'test', 'bench']) walk(join(root, d));
  let fast = 0;
  for (const f of files) if (assertAgrees(readFileSync(f, 'utf8'), f)) fast++;
  assert.ok(files.length > 100, `${files.length} files`);
  // Block-style files are in the subset; most hand-written scenarios use flow mappings
  // (`{ name: a, count: 3 }`), which give up (45 of 258 files read fast when this was written).
  assert.ok(fast >= 40, `${fast} of ${files.length} read fast`);
  assert.notEqual(fastRead(readFileSync(join(root, 'test/fixtures/scheduler-config/fully-defaulted.yaml'), 'utf8')), null, 'a written-out scheduler config reads fast');
});

test('random values written by a YAML library in several styles read the same fast and in full', () => {
  const rng = seedrandom('yaml-fast');
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)] as T;
  const keys = ['a', 'name', 'k:{"name":"x"}', 'f:metadata', 'with space', '1', 'true', 'null', '-x', 'a#b', 'a #b', 'x: y', "it's", '"q"', '.', '~', 'é', 'key:', '<<'];
  const strings = ['', ' ', 'plain', 'two words', ' lead', 'trail ', 'a: b', 'a #b', '#c', 'x:', '- x', '[x]', '{x}', '*x', '&x', '!x', '|', '>', '%x', '@x', '`x`', "it's", 'say "hi"', 'back\\slash',
    'line1\nline2', 'line1\nline2\n', 'ends\n\n', '\nlead', 'tab\there', '123', '0x1F', '1e3', 'true', 'null', '~', '2Gi', 'é ü', 'a'.repeat(100), 'word '.repeat(30)];
  const value = (depth: number): unknown => {
    const r = rng();
    if (depth > 3 || r < 0.45) {
      const s = rng();
      if (s < 0.55) return pick(strings);
      if (s < 0.7) return Math.floor(rng() * 2000) - 1000;
      if (s < 0.78) return pick([0.5, -1.25, 1e21, 3.0, Number.POSITIVE_INFINITY, Number.NaN]);
      if (s < 0.9) return rng() < 0.5;
      return null;
    }
    if (r < 0.7) return Array.from({ length: Math.floor(rng() * 4) }, () => value(depth + 1));
    const o: Record<string, unknown> = {};
    for (let i = Math.floor(rng() * 5); i > 0; i--) o[pick(keys)] = value(depth + 1);
    return o;
  };
  const styles: ToStringOptions[] = [{}, { indentSeq: false }, { lineWidth: 0 }, { defaultStringType: 'QUOTE_DOUBLE', defaultKeyType: 'PLAIN' }, { singleQuote: true, indent: 4 }];
  let compared = 0;
  let fast = 0;
  for (let i = 0; i < 300; i++) {
    const v = { root: value(0), kind: 'X' };
    for (const style of styles) {
      const text = stringify(v, style);
      compared++;
      if (assertAgrees(text, `value ${i} style ${JSON.stringify(style)}`)) fast++;
    }
  }
  assert.equal(compared, 1500);
  // The subset covers most of what a YAML writer produces.
  assert.ok(fast > compared / 2, `${fast} of ${compared} read fast`);
});

test('positions of a YAML List read fast are found by parsing the one item concerned', () => {
  const text = [
    'apiVersion: v1',
    'kind: List',
    'items:',
    '- apiVersion: v1',
    '  kind: Node',
    '  metadata:',
    '    name: a',
    '- apiVersion: v1',
    '  kind: Pod',
    '  metadata:',
    '    name: p',
    '  spec:',
    '    containers:',
    '    - name: c',
    '      image: i',
    '',
  ].join('\n');
  const [doc] = parseYamlText(text, 'dump.yaml');
  assert.deepEqual(doc!.toJS(), fullRead(text)![0]);
  assert.deepEqual(doc!.position(['items', 1, 'spec', 'containers', 0, 'image']), { line: 15, column: 14 });
  assert.deepEqual(doc!.position(['items', 0, 'metadata'], 'name'), { line: 7, column: 5 });
  assert.deepEqual(doc!.position(['kind']), { line: 2, column: 7 });
  assert.equal(doc!.warning(['items', 1, 'spec'], 'checked'), 'dump.yaml:13:5: items[1].spec: checked');
  // The same as the full reader's positions (a document end marker after the List keeps the
  // fast reader out and moves nothing).
  const [slow] = parseYamlText(`${text}...\n`, 'dump.yaml');
  for (const [path, keyOf] of [[['items', 1, 'spec', 'containers', 0, 'image']], [['items', 0, 'metadata'], 'name'], [['items', 1, 'spec']], [['items', 1, 'missing']], [['items', 7]], [['kind']], [[]]] as [(string | number)[], string?][]) {
    assert.deepEqual(doc!.position(path, keyOf), slow!.position(path, keyOf), JSON.stringify(path));
  }
  // A second document of a file: its own positions.
  const [, second] = parseYamlText('a: 1\n---\n# c\nb:\n  c: 2\n', 'two.yaml');
  assert.deepEqual(second!.position(['b', 'c']), { line: 5, column: 6 });
});
