// Pods read from files hold equal spec parts once (a PodList of many pods, a cluster dump).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../testing/temp-dir.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { SharedSpecParts } from './shared-parts.js';
import { loadScenario } from './scenario.js';
import { runScenario } from '../run/run-scenario.js';

function pod(name: string, cpu: string, extra: Record<string, unknown> = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: { containers: [{ name: 'c', image: 'registry.k8s.io/pause:3.10.1', resources: { requests: { cpu, memory: '500Mi' } } }], ...extra },
  } as Pod;
}

/** A scenario of two 1-CPU nodes running the pods of `file` (written with `content`). */
function podListScenario(file: string, content: string): string {
  const dir = tempDir('ksim-shared-');
  writeFileSync(join(dir, file), content);
  writeFileSync(
    join(dir, 's.yaml'),
    `apiVersion: ksim/v1alpha1
kind: Scenario
metadata: { name: shared }
duration: 1m
cluster:
  nodePools: [{ name: n, count: 2, allocatable: { cpu: "1", memory: 4Gi } }]
workload:
  - { name: pods, file: ${file} }
`,
  );
  return join(dir, 's.yaml');
}

/** podListScenario of a YAML PodList whose items are `pods` (YAML text). */
const yamlPodList = (pods: string): string => podListScenario('pods.yaml', `apiVersion: v1\nkind: PodList\nitems:\n${pods}`);

test('equal parts are held once and frozen; different ones stay apart; the spec itself stays the pod\'s', () => {
  const shared = new SharedSpecParts();
  const a = pod('a', '100m', { tolerations: [{ key: 'k', operator: 'Exists' }] }).spec as unknown as Record<string, unknown>;
  const b = pod('b', '100m', { tolerations: [{ key: 'k', operator: 'Exists' }] }).spec as unknown as Record<string, unknown>;
  const c = pod('c', '200m').spec as unknown as Record<string, unknown>;
  const bContainers = b['containers'];
  shared.share(a);
  shared.share(b);
  shared.share(c);
  assert.equal(b['containers'], a['containers'], 'b takes a\'s containers');
  assert.notEqual(b['containers'], bContainers);
  assert.equal(b['tolerations'], a['tolerations']);
  assert.notEqual(c['containers'], a['containers'], '200m is another container list');
  // The same container written with its keys in another order is another JSON text: kept as a
  // part of its own (memory only; pods written from one template have one order).
  const d = { containers: [{ resources: { requests: { memory: '500Mi', cpu: '100m' } }, image: 'registry.k8s.io/pause:3.10.1', name: 'c' }] };
  shared.share(d);
  assert.notEqual(d.containers, a['containers']);
  assert.equal(shared.size, 4); // a's containers, a's tolerations, c's containers, d's containers
  assert.ok(Object.isFrozen(a['containers']));
  assert.ok(Object.isFrozen((a['containers'] as Record<string, unknown>[])[0]?.['resources']));
  assert.ok(!Object.isFrozen(a) && !Object.isFrozen(b), 'specs are not shared: the run writes nodeName and priority into them');
  // Code that changed a shared part in place would change every pod holding it: it fails instead.
  assert.throws(() => {
    ((a['containers'] as Record<string, unknown>[])[0] as Record<string, unknown>)['image'] = 'other';
  }, TypeError);
});

test('a null, NaN or an infinity (all null in JSON) is told apart; with a null, key order does not matter', () => {
  const shared = new SharedSpecParts();
  const spec = (v: unknown, first: 'key' | 'value' = 'key') => ({ tolerations: [first === 'key' ? { key: 'k', value: v } : { value: v, key: 'k' }] }) as Record<string, unknown>;
  const withNull = spec(null);
  const withNaN = spec(Number.NaN);
  const withInf = spec(Number.POSITIVE_INFINITY);
  const withNull2 = spec(null, 'value');
  for (const s of [withNull, withNaN, withInf, withNull2]) shared.share(s);
  assert.notEqual(withNaN['tolerations'], withNull['tolerations']);
  assert.notEqual(withInf['tolerations'], withNull['tolerations']);
  assert.notEqual(withInf['tolerations'], withNaN['tolerations']);
  assert.equal(withNull2['tolerations'], withNull['tolerations'], 'compared by canonicalJson: keys sorted');
  assert.equal(shared.size, 3);
});

test('at most maxKept distinct parts are kept: later new ones are neither kept nor frozen, kept ones are still shared', () => {
  const shared = new SharedSpecParts(2);
  const spec = (cpu: string) => pod('x', cpu).spec as unknown as Record<string, unknown>;
  const a = spec('100m');
  const b = spec('200m');
  const c = spec('300m');
  const a2 = spec('100m');
  const c2 = spec('300m');
  for (const s of [a, b, c, a2, c2]) shared.share(s);
  assert.equal(shared.size, 2);
  assert.equal(a2['containers'], a['containers'], 'a part kept before the cap is still shared');
  assert.notEqual(c2['containers'], c['containers'], 'a part first seen after the cap is not shared');
  assert.ok(!Object.isFrozen(c['containers']));
});

test('a PodList file: its pods share one container list, and run as before', () => {
  const items = [pod('p-0', '100m'), pod('p-1', '100m'), pod('p-2', '100m'), pod('q-0', '300m')];
  const file = podListScenario('pods.json', JSON.stringify({ apiVersion: 'v1', kind: 'PodList', items }));
  const s = loadScenario(file);
  const ms = s.workload[0]?.manifests as Pod[];
  assert.equal(ms.length, 4);
  assert.equal(ms[1]?.spec?.containers, ms[0]?.spec?.containers);
  assert.equal(ms[2]?.spec?.containers, ms[0]?.spec?.containers);
  assert.notEqual(ms[3]?.spec?.containers, ms[0]?.spec?.containers);
  assert.ok(Object.isFrozen(ms[0]?.spec?.containers));
  const r = runScenario(s, { checkInvariants: true });
  // 1 CPU per node: three 100m pods and the 300m pod all fit on the two nodes.
  assert.equal(r.summary['pods_bound'], 4);
  const rows = r.tables.find((t) => t.file === 'placements.csv')?.rows ?? [];
  assert.deepEqual(rows.filter((row) => row['result'] === 'bound').map((row) => row['pod']).sort(), ['p-0', 'p-1', 'p-2', 'q-0']);
});

const ITEM = (name: string, spec = '{ containers: [{ name: c, image: x, resources: { requests: { cpu: 100m } } }] }') => `  - { apiVersion: v1, kind: Pod, metadata: { name: ${name} }, spec: ${spec} }\n`;

test('a spec read before is not checked again: each pod gets its own spec object, equal, its parts shared', () => {
  const s = loadScenario(yamlPodList(ITEM('a') + ITEM('b') + ITEM('c')));
  const [a, b, c] = s.workload[0]?.manifests as Pod[];
  assert.notEqual(b?.spec, a?.spec);
  assert.notEqual(c?.spec, b?.spec);
  assert.deepEqual(b?.spec, a?.spec);
  assert.equal(c?.spec?.containers, a?.spec?.containers);
  assert.ok(!Object.isFrozen(b?.spec), 'the run writes into a pod\'s spec');
  assert.deepEqual([a, b, c].map((p) => p?.metadata?.name), ['a', 'b', 'c']);
  assert.deepEqual([a, b, c].map((p) => p?.metadata?.namespace), ['default', 'default', 'default']);
});

test('a pod whose spec was read before still has its metadata and other fields checked', () => {
  assert.throws(() => loadScenario(yamlPodList(ITEM('a') + ITEM('B_ad'))), { message: /pods\.yaml:5:\d+: items\[1\]\.metadata\.name: expected a lowercase RFC 1123 name/ });
  const status = `  - { apiVersion: v1, kind: Pod, metadata: { name: b }, spec: { containers: [{ name: c, image: x, resources: { requests: { cpu: 100m } } }] }, status: { phase: 3 } }\n`;
  assert.throws(() => loadScenario(yamlPodList(ITEM('a') + status)), { message: /pods\.yaml:5:\d+: items\[1\]\.status\.phase: expected a string/ });
});

test('a spec warned about is checked, and warned about, for every pod', () => {
  const spec = '{ containers: [{ name: c, image: x, colour: red }] }';
  const s = loadScenario(yamlPodList(ITEM('a', spec) + ITEM('b', spec)));
  const unknown = s.warnings.filter((w) => w.includes('colour'));
  assert.equal(unknown.length, 2, unknown.join('\n'));
  assert.match(unknown[0] ?? '', /items\[0\]\.spec\.containers\[0\]: unknown field "colour"/);
  assert.match(unknown[1] ?? '', /items\[1\]\.spec\.containers\[0\]: unknown field "colour"/);
});

test('NaN is not taken for the null of a spec read before (JSON writes both as null)', () => {
  const withNull = '{ overhead: null, containers: [{ name: c, image: x }] }';
  const withNaN = '{ overhead: .nan, containers: [{ name: c, image: x }] }';
  assert.equal((loadScenario(yamlPodList(ITEM('a', withNull) + ITEM('b', withNull))).workload[0]?.manifests ?? []).length, 2);
  assert.throws(() => loadScenario(yamlPodList(ITEM('a', withNull) + ITEM('b', withNaN))), { message: /pods\.yaml:5:\d+: items\[1\]\.spec\.overhead: expected a mapping of resource names to quantities/ });
});

test('specs are remembered only while they are found again: not a dump\'s pods that all differ', () => {
  const mode = '-w';
  const spec = (i: number) => ({ nodeName: `node-${i}`, containers: [{ name: 'c', image: 'x' }] });
  const read = (shared: SharedSpecParts, s: Record<string, unknown>) => {
    const key = shared.specKey(s, mode);
    if (key !== undefined && shared.knownSpec(key) === undefined) shared.rememberSpec(key, s);
    return key;
  };
  const differing = new SharedSpecParts();
  const keys = Array.from({ length: 1000 }, (_, i) => read(differing, spec(i)));
  assert.equal(differing.specCount, 256, 'the first 256 are tried');
  assert.equal(keys.filter((k) => k === undefined).length, 1000 - 256, 'then no spec is keyed');
  // Pods written from one template: every spec after the first is found.
  const same = new SharedSpecParts();
  for (let i = 0; i < 1000; i++) assert.notEqual(read(same, spec(0)), undefined);
  assert.equal(same.specCount, 1);
  // One pod in two found again (a DaemonSet's two pods per node, in turn): still worth keying.
  const halves = new SharedSpecParts();
  for (let i = 0; i < 1000; i++) assert.notEqual(read(halves, spec(i >> 1)), undefined);
  assert.equal(halves.specCount, 500);
});

test('a spec equal to the one before gets the same key, as the text would give; one that differs anywhere gets its own', () => {
  const shared = new SharedSpecParts();
  const spec = () => ({ containers: [{ name: 'c', image: 'x', resources: { requests: { cpu: '100m' } } }] });
  const k1 = shared.specKey(spec(), '-w');
  const k2 = shared.specKey(spec(), '-w');
  assert.equal(k2, k1);
  assert.equal(k1, `-w\u0000${JSON.stringify(spec())}`);
  const other = spec();
  (other.containers[0] as { resources: { requests: { cpu: string } } }).resources.requests.cpu = '200m';
  assert.equal(shared.specKey(other, '-w'), `-w\u0000${JSON.stringify(other)}`);
  assert.equal(shared.specKey(other, 'nw'), `nw\u0000${JSON.stringify(other)}`, 'the mode is part of the key');
  // A spec changed after it was keyed does not change what the next equal spec gets.
  const changed = spec();
  const kc = shared.specKey(changed, '-w');
  changed.containers[0]!.image = 'y';
  assert.equal(shared.specKey(spec(), '-w'), kc);
  assert.equal(shared.specKey(changed, '-w'), `-w\u0000${JSON.stringify(changed)}`);
  // A spec whose text holds a null has no key, found again or not.
  assert.equal(shared.specKey({ overhead: null, containers: [] }, '-w'), undefined);
  assert.equal(shared.specKey({ overhead: null, containers: [] }, '-w'), undefined);
});
