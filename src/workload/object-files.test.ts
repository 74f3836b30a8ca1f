// Reading objects from files and directories as kubectl apply -f does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isListKind, objectFilesOf, readObjectPaths } from './object-files.js';
import { tempDir } from '../testing/temp-dir.js';

function tree(files: Record<string, string>): string {
  const root = tempDir('ksim-object-files-');
  for (const [rel, text] of Object.entries(files)) {
    const p = join(root, rel);
    mkdirSync(join(p, '..'), { recursive: true });
    writeFileSync(p, text);
  }
  return root;
}

const POD = (name: string) => `{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "${name}"}}`;

test('a directory is read in name order, its subdirectories only when recursive, other extensions never', () => {
  const root = tree({ 'b.yaml': POD('b'), 'a.json': POD('a'), 'c.YML': POD('c'), 'notes.txt': 'x', 'sub/d.yaml': POD('d'), 'e.yaml': POD('e') });
  assert.deepEqual(objectFilesOf(root, 'dir').map((f) => f.display), ['dir/a.json', 'dir/b.yaml', 'dir/c.YML', 'dir/e.yaml']);
  assert.deepEqual(objectFilesOf(root, 'dir', true).map((f) => f.display), ['dir/a.json', 'dir/b.yaml', 'dir/c.YML', 'dir/e.yaml', 'dir/sub/d.yaml']);
});

const LIST_CASES: [name: string, text: string, want: [path: string, kind: unknown, apiVersion: unknown][]][] = [
  ['a typed list gives kindless items its kind and apiVersion', 'apiVersion: apps/v1\nkind: DeploymentList\nitems:\n- metadata: { name: a }\n- { kind: Deployment, apiVersion: apps/v1, metadata: { name: b } }\n',
    [['items.0', 'Deployment', 'apps/v1'], ['items.1', 'Deployment', 'apps/v1']]],
  ['an item keeps its own apiVersion', 'apiVersion: v1\nkind: PodList\nitems:\n- { apiVersion: v2, metadata: { name: a } }\n', [['items.0', 'Pod', 'v2']]],
  ['kind: List leaves kindless items alone', 'apiVersion: v1\nkind: List\nitems:\n- metadata: { name: a }\n', [['items.0', undefined, undefined]]],
  ['empty documents and comments are skipped (Helm output)', '---\n# Source: chart/templates/a.yaml\n---\napiVersion: v1\nkind: Pod\nmetadata: { name: a }\n---\n---', [['', 'Pod', 'v1']]],
];

for (const [name, text, want] of LIST_CASES) {
  test(name, () => {
    const root = tree({ 'f.yaml': text });
    const got = readObjectPaths(join(root, 'f.yaml'), 'f.yaml').map((it) => [it.path.join('.'), it.value['kind'], it.value['apiVersion']]);
    assert.deepEqual(got, want);
  });
}

test('a bare JSON array is read as a List only where allowed, with a warning', () => {
  const root = tree({ 'nodes.json': `[${POD('a')}, ${POD('b')}]` });
  const warnings: string[] = [];
  assert.equal(readObjectPaths(join(root, 'nodes.json'), 'nodes.json', { bareArray: true, warnings }).length, 2);
  assert.deepEqual(warnings, ['nodes.json:1:1: a bare JSON array of objects, read as a List (kubectl prints {"kind": "List", "items": [...]})']);
  assert.throws(() => readObjectPaths(join(root, 'nodes.json'), 'nodes.json'), { message: 'nodes.json:1:1: expected a Kubernetes object or a List (a mapping with apiVersion and kind), got a list' });
});

test('list kinds are List and names ending in List after a capital', () => {
  assert.deepEqual(['List', 'PodList', 'NodeList', 'Playlist', 'list', 'MyThingList'].map(isListKind), [true, true, true, false, false, true]);
});
