import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InputError } from './input-error.js';
import { parseYamlText } from './yaml-source.js';

// A kubectl-style JSON List: read through JSON.parse (the fast path) when the file is .json.
const LIST = JSON.stringify({
  apiVersion: 'v1', kind: 'List',
  items: [
    { apiVersion: 'v1', kind: 'Node', metadata: { name: 'a', labels: { x: '1' } } },
    { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'd' }, spec: { containers: [{ name: 'c', image: 'i' }] } },
    'not an object',
  ],
}, null, 2);

function errorText(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof InputError) return e.message;
    throw e;
  }
  return 'no error';
}

test('a JSON file read fast reports the same positions as the YAML reading of the same text', () => {
  const [fast] = parseYamlText(LIST, 'c.json');
  const [slow] = parseYamlText(LIST, 'c.yaml');
  const cases: [(string | number)[], string?][] = [
    [['items', 0, 'metadata', 'labels', 'x']],
    [['items', 1, 'spec', 'containers', 0, 'image']],
    [['items', 1, 'spec'], 'containers'],
    [['items', 1, 'spec', 'missing', 'deeper']],
    [['items', 2]],
    [['kind']],
    [[]],
  ];
  for (const [path, keyOf] of cases) assert.deepEqual(fast!.position(path, keyOf), slow!.position(path, keyOf), JSON.stringify(path));
  // The Pod's image: line 26 of the pretty-printed text, after `"image": `.
  assert.deepEqual(fast!.position(['items', 1, 'spec', 'containers', 0, 'image']), { line: 26, column: 22 });
  assert.equal(fast!.error(['items', 1, 'spec', 'containers', 0, 'image'], 'an image').message, 'c.json:26:22: items[1].spec.containers[0].image: expected an image');
});

test('a JSON file read fast hands out its value once, then fresh copies', () => {
  const [d] = parseYamlText(LIST, 'c.json');
  const a = d!.toJS() as { kind: string };
  a.kind = 'changed';
  assert.equal((d!.toJS() as { kind: string }).kind, 'List');
});

test('JSON that JSON.parse would read differently from the YAML path gets the YAML path\'s message', () => {
  // A repeated key: JSON.parse keeps the last one silently.
  assert.equal(errorText(() => parseYamlText('{"kind": "Node",\n "kind": "Pod"}', 'd.json')), 'd.json:2:2: kind: expected each field at most once in a mapping, got "kind" again');
  // Escaped and plain spellings of one key are one key.
  assert.match(errorText(() => parseYamlText('{"kind": "Node", "\\u006bind": "Pod"}', 'e.json')), /^e\.json:1:18: .*expected each field at most once in a mapping/);
  // Nesting beyond the limit.
  assert.match(errorText(() => parseYamlText(`${'['.repeat(101)}${']'.repeat(101)}`, 'n.json')), /^n\.json:1:101: .*expected mappings and lists nested at most 100 levels deep, got deeper nesting$/);
});

test('the JSON fast path counts key/value pairs outside strings only', () => {
  // Colons, escaped quotes and backslashes inside strings are not pairs: read fast, as they are.
  const text = '{"a": "x:y", "b\\\\": "q\\":\\\\", "c": [{"d": "::"}, {"__proto__": 1}], "e": {}}';
  assert.deepEqual(parseYamlText(text, 'k.json')[0]!.toJS(), JSON.parse(text));
  // A key repeated deep inside a List item is found.
  assert.match(errorText(() => parseYamlText('{"items": [{"a": 1}, {"b": ":", "b": 2}]}', 'r.json')), /^r\.json:1:33: items\[1\]\.b: expected each field at most once in a mapping/);
});
