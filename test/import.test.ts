// `ksim import`: kubectl output → a scenario and a cleaned snapshot; the round trip keeps the
// cluster: import → run → the placement at t = 0 is the snapshot's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { readYamlFile } from '../src/api/yaml-source.js';
import { importCommand } from '../src/cli/import-command.js';
import { loadScenario } from '../src/index.js';
import { prepareRun } from '../src/run/run-scenario.js';
import { KSIM_BIN, repoPath } from '../src/testing/repo-paths.js';
import { importSnapshot } from '../src/workload/import-snapshot.js';
import { tempDir } from '../src/testing/temp-dir.js';

const SHOP = repoPath('test/snapshots/shop');

/** Each pod at t = 0 as name@node:phase, sorted. */
function placementAtStart(scenarioFile: string): string[] {
  const run = prepareRun(loadScenario(scenarioFile), { checkInvariants: true });
  return [...run.cluster.pods.values()].map((p) => `${p.namespace}/${p.name}@${p.nodeName ?? '-'}:${p.phase}`).sort();
}

test('ksim import writes a scenario whose t = 0 placement is the snapshot\'s, and prints what it imported and notes what it skipped', () => {
  const dir = tempDir('ksim-import-');
  const out = join(dir, 'shop.yaml');
  const r = spawnSync(process.execPath, [KSIM_BIN, 'import', SHOP, '-o', out], { encoding: 'utf8' });
  assert.equal(r.stderr, '');
  assert.equal(r.status, 0);
  assert.deepEqual(r.stdout.split('\n'), [
    'Imported: 2 Node, 1 Namespace, 1 Deployment, 1 ReplicaSet, 1 StatefulSet, 5 Pod (3 bound, 1 pending, 1 finished)',
    `Note: ${SHOP}/workloads.json: skipped 1 ConfigMap: not simulated`,
    'Note: pod shop/ghost is bound to node "node-gone", which is not in the snapshot: skipped',
    `Wrote ${out}, ${join(dir, 'shop.snapshot.yaml')}`,
    '',
  ]);
  const want = ['shop/db-0@node-a:Running', 'shop/waiting@-:Pending', 'shop/web-7d9f8c6b5-abcde@node-a:Running', 'shop/web-7d9f8c6b5-fghij@node-b:Running'];
  assert.deepEqual(placementAtStart(out), want);
  // The same as the snapshot read directly by a scenario.
  assert.deepEqual(placementAtStart(repoPath('test/snapshots/snapshot-start.yaml')), want);
  const snapshot = readFileSync(join(dir, 'shop.snapshot.yaml'), 'utf8');
  assert.equal(snapshot.includes('managedFields'), false);
  assert.equal(snapshot.includes('resourceVersion'), false);
  // The pods' times (creation, start, Ready, restarts) survive the import: the run orders pods by
  // them, against the snapshot's now (its nodes' last heartbeat, 2026-11-30T10:00:00Z).
  assert.deepEqual(podPasts(out), podPasts(repoPath('test/snapshots/snapshot-start.yaml')));
  assert.deepEqual(podPasts(out)['shop/web-7d9f8c6b5-abcde'], { creationUs: -3600e6, restarts: 0 });
  // t = 0 is the snapshot's time: `ksim run` records it in run.json.
  const runDir = join(dir, 'run');
  const run = spawnSync(process.execPath, [KSIM_BIN, 'run', out, '-o', runDir, '-q', '--set', 'duration=1m'], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  assert.equal((JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8')) as Record<string, unknown>)['clock_start'], '2026-11-30T10:00:00Z');
});

/** Each snapshot pod's past (PodInfo.past) by namespace/name. */
function podPasts(scenarioFile: string): Record<string, unknown> {
  const s = loadScenario(scenarioFile);
  return Object.fromEntries([...(s.startPodPasts ?? new Map())].map(([pod, past]) => [`${pod.metadata?.namespace}/${pod.metadata?.name}`, past]));
}

test('ksim import filters namespaces and turns pending pods no owner keeps into a workload entry', () => {
  const cases: [string, Parameters<typeof importSnapshot>[1], string[], string | null][] = [
    ['every namespace', {}, ['2 Node', '1 Namespace', '1 Deployment', '1 ReplicaSet', '1 StatefulSet', '5 Pod (3 bound, 1 pending, 1 finished)'], null],
    ['shop excluded', { excludeNamespaces: ['shop'] }, ['2 Node', '0 Pod (0 bound, 0 pending)'], 'left out by namespace: 1 Deployment, 1 ReplicaSet, 1 StatefulSet, 1 Namespace, 5 Pod'],
    ['only another namespace', { namespaces: ['other'] }, ['2 Node', '0 Pod (0 bound, 0 pending)'], 'left out by namespace: 1 Deployment, 1 ReplicaSet, 1 StatefulSet, 1 Namespace, 5 Pod'],
    ['pending as workload', { pendingAsWorkload: true }, ['2 Node', '1 Namespace', '1 Deployment', '1 ReplicaSet', '1 StatefulSet', '4 Pod (3 bound, 0 pending, 1 finished)', '1 pending Pod as a workload entry'], null],
  ];
  for (const [name, opts, imported, filtered] of cases) {
    const r = importSnapshot([SHOP], opts);
    assert.deepEqual(r.imported, imported, name);
    assert.equal(r.notes.find((s) => s.startsWith('left out by namespace')) ?? null, filtered, name);
    assert.equal(r.pending !== null, opts?.pendingAsWorkload === true, name);
  }
});

test('ksim import refuses a missing input with exit code 2', () => {
  const dir = tempDir('ksim-import-');
  const r = spawnSync(process.execPath, [KSIM_BIN, 'import', join(dir, 'nope.json'), '-o', join(dir, 's.yaml')], { encoding: 'utf8' });
  assert.equal(r.status, 2);
  assert.equal(r.stderr, `ksim: ${join(dir, 'nope.json')}: expected a readable file or directory, got no such file\n`);
});

test('ksim import notes what the run will do differently from the cluster: a node not Ready, a volume claim', () => {
  const dir = tempDir('ksim-import-');
  const dump = join(dir, 'cluster.json');
  const node = (name: string, ready: string) => ({
    apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { 'kubernetes.io/hostname': name } },
    status: { allocatable: { cpu: '4', memory: '16Gi', pods: '110' }, conditions: [{ type: 'Ready', status: ready }] },
  });
  const pod = {
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'db', namespace: 'default' },
    spec: { nodeName: 'node-a', containers: [{ name: 'db', image: 'postgres:16' }], volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data' } }] },
    status: { phase: 'Running' },
  };
  writeFileSync(dump, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [node('node-a', 'True'), node('node-b', 'Unknown'), pod] }));
  const r = spawnSync(process.execPath, [KSIM_BIN, 'import', dump, '-o', join(dir, 's.yaml')], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.split('\n');
  assert.equal(lines[0], 'Imported: 2 Node, 1 Pod (1 bound, 0 pending)');
  assert.deepEqual(lines.filter((l) => l.startsWith('Note: ')).map((l) => l.replace(dump, 'DUMP')), [
    'Note: DUMP: node node-b is not Ready in the snapshot (Ready Unknown): simulated as down for the whole run (its kubelet renews no lease), NotReady from t = 0 (given the taint node.kubernetes.io/unreachable:NoSchedule the node lifecycle controller puts on it at once, which the snapshot lacks); its pods are evicted once they stop tolerating its taints',
    'Note: DUMP:1:698: items[2].spec.volumes[0].persistentVolumeClaim: mounts a PersistentVolumeClaim: volume topology (VolumeBinding, VolumeZone) is not simulated; pods go where their other constraints allow (warned once)',
  ]);
  assert.equal(r.stdout.includes('Skipped'), false);
});

test('ksim import notes pods whose controller the dump lacks (kubectl get nodes,pods): nothing would recreate them after an eviction', () => {
  const dir = tempDir('ksim-import-');
  const node = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-a', labels: { 'kubernetes.io/hostname': 'node-a' } }, status: { allocatable: { cpu: '4', memory: '16Gi', pods: '110' }, conditions: [{ type: 'Ready', status: 'True' }] } };
  const owned = (name: string, kind: string, owner: string) => ({
    apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'shop', ownerReferences: [{ apiVersion: 'apps/v1', kind, name: owner, uid: owner, controller: true }] },
    spec: { nodeName: 'node-a', containers: [{ name: 'c', image: 'x' }] }, status: { phase: 'Running' },
  });
  const rs = { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web-5d8', namespace: 'shop' }, spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'x' }] } } } };
  const pods = [owned('web-5d8-a', 'ReplicaSet', 'web-5d8'), owned('web-5d8-b', 'ReplicaSet', 'web-5d8'), owned('db-0', 'StatefulSet', 'db')];
  const note = (items: unknown[]) => {
    const dump = join(dir, `dump-${items.length}.json`);
    writeFileSync(dump, JSON.stringify({ apiVersion: 'v1', kind: 'List', items }));
    return importSnapshot([dump]).notes.filter((n) => n.includes('controller(s) the snapshot does not hold'));
  };
  assert.deepEqual(note([node, ...pods]), ['3 pod(s) belong to 2 controller(s) the snapshot does not hold (first: ReplicaSet shop/web-5d8): nothing recreates these pods when they are evicted or deleted; add the owners to the dump (kubectl get nodes,pods,deployments,replicasets,statefulsets,daemonsets,jobs -A -o json)']);
  // With the ReplicaSet in the dump only the StatefulSet's pod is noted.
  assert.deepEqual(note([node, rs, ...pods]), ['1 pod(s) belong to 1 controller(s) the snapshot does not hold (first: StatefulSet shop/db): nothing recreates these pods when they are evicted or deleted; add the owners to the dump (kubectl get nodes,pods,deployments,replicasets,statefulsets,daemonsets,jobs -A -o json)']);
});

test('ksim import refuses a dump without a Node (kubectl get pods alone): exit 2, naming the file, nothing written', () => {
  const dir = tempDir('ksim-import-');
  const dump = join(dir, 'pods.json');
  const pod = (name: string, node: string) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'shop' }, spec: { nodeName: node, containers: [{ name: 'c', image: 'x' }] }, status: { phase: 'Running' } });
  writeFileSync(dump, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [pod('a', 'node-a'), pod('b', 'node-b'), pod('c', 'node-b')] }));
  const out = join(dir, 's.yaml');
  const r = spawnSync(process.execPath, [KSIM_BIN, 'import', dump, '-o', out], { encoding: 'utf8' });
  assert.equal(r.status, 2);
  assert.equal(r.stdout, '');
  assert.equal(r.stderr, `ksim: ${dump}: expected a cluster dump with at least one Node object (kubectl get nodes,pods,... -A -o json), got no Node in ${dump} (3 other objects)\n`);
  assert.equal(existsSync(out), false);
});

test('ksim import notes the pods bound to nodes the dump lacks in one note: their count, the nodes\' count, the first', () => {
  const dir = tempDir('ksim-import-');
  const dump = join(dir, 'cluster.json');
  const node = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-a' }, status: { allocatable: { cpu: '4', memory: '16Gi', pods: '110' } } };
  const pod = (name: string, on: string) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'shop' }, spec: { nodeName: on, containers: [{ name: 'c', image: 'x' }] }, status: { phase: 'Running' } });
  writeFileSync(dump, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [node, pod('a', 'node-a'), pod('b', 'node-b'), pod('c', 'node-c'), pod('d', 'node-b')] }));
  assert.deepEqual(importSnapshot([dump]).notes.filter((n) => n.includes('not in the snapshot')), ['3 pods are bound to 2 nodes not in the snapshot (first: pod shop/b on node "node-b"): skipped']);
});

test('ksim import refuses a kind its API group does not have (apps/v1 Deploymnet), as a workload file does; a real kind it does not simulate, or a custom resource, is a note', () => {
  const dir = tempDir('ksim-import-');
  const node = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-a' }, status: { allocatable: { cpu: '4', memory: '16Gi', pods: '110' } } };
  const dump = (name: string, items: unknown[]) => {
    const f = join(dir, name);
    writeFileSync(f, `${JSON.stringify({ apiVersion: 'v1', kind: 'List', items }, null, 1)}\n`);
    return f;
  };
  const typo = dump('typo.json', [node, { apiVersion: 'apps/v1', kind: 'Deploymnet', metadata: { name: 'web', namespace: 'shop' }, spec: {} }]);
  const r = spawnSync(process.execPath, [KSIM_BIN, 'import', typo, '-o', join(dir, 'typo.yaml')], { encoding: 'utf8' });
  assert.equal(r.status, 2);
  assert.match(r.stderr, new RegExp(`^ksim: ${typo.replace(/[.\\/]/g, '\\$&')}:\\d+:\\d+: items\\[1\\]\\.kind: expected a supported kind: Node \\(v1\\), Pod \\(v1\\), Deployment \\(apps/v1\\), .*, got "Deploymnet"\\n$`));
  assert.equal(existsSync(join(dir, 'typo.yaml')), false);
  const real = dump('real.json', [
    node,
    { apiVersion: 'v1', kind: 'ReplicationController', metadata: { name: 'legacy', namespace: 'shop' }, spec: { replicas: 1 } },
    { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'web', namespace: 'shop' }, spec: {} },
    { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'shop' } },
  ]);
  assert.deepEqual(importSnapshot([real]).notes, [`${real}: skipped 1 ReplicationController (its pods run, but nothing recreates them when they are evicted or deleted), 1 Ingress, 1 Widget: not simulated`]);
});

test('ksim import never writes over its input, into an input folder, or over a scenario edited since an earlier import (exit 2, nothing written); it rewrites its own files', () => {
  const dir = tempDir('ksim-import-guard-');
  const dump = join(dir, 'cluster.yaml');
  writeFileSync(dump, readFileSync(join(SHOP, readdirSync(SHOP).find((f) => f.endsWith('.yaml') || f.endsWith('.json')) as string), 'utf8'));
  const ksim = (...args: string[]) => spawnSync(process.execPath, [KSIM_BIN, ...args], { encoding: 'utf8', cwd: dir });
  const before = readFileSync(dump, 'utf8');
  const self = ksim('import', 'cluster.yaml', '-o', 'cluster.yaml');
  assert.equal(self.status, 2);
  assert.equal(self.stderr, 'ksim: -o: expected a path other than an input (it would be replaced by the scenario), got "cluster.yaml"\n');
  assert.equal(readFileSync(dump, 'utf8'), before);
  assert.ok(!existsSync(join(dir, 'cluster.snapshot.yaml')));
  // Its own files: written, then rewritten by the same import.
  assert.equal(ksim('import', 'cluster.yaml', '-o', 'prod.yaml').status, 0);
  assert.ok(readFileSync(join(dir, 'prod.snapshot.yaml'), 'utf8').startsWith('# Written by ksim import; each import rewrites this file (edit the scenario instead).\napiVersion: v1\nkind: List\n'));
  assert.equal(ksim('import', 'cluster.yaml', '-o', 'prod.yaml').status, 0);
  // A snapshot an older ksim wrote (no first line) beside its unchanged scenario: rewritten too.
  writeFileSync(join(dir, 'prod.snapshot.yaml'), readFileSync(join(dir, 'prod.snapshot.yaml'), 'utf8').split('\n').slice(1).join('\n'));
  assert.equal(ksim('import', 'cluster.yaml', '-o', 'prod.yaml').status, 0);
  // The scenario edited (the README says to add workload and faults to it): kept.
  writeFileSync(join(dir, 'prod.yaml'), `${readFileSync(join(dir, 'prod.yaml'), 'utf8')}faults: []\n`);
  const edited = ksim('import', 'cluster.yaml', '-o', 'prod.yaml');
  assert.equal(edited.status, 2);
  assert.equal(edited.stderr, 'ksim: prod.yaml: expected no file, or the scenario an earlier ksim import wrote, unchanged (this one was edited: move it, or give another -o), got a file ksim import would replace\n');
  assert.ok(readFileSync(join(dir, 'prod.yaml'), 'utf8').endsWith('faults: []\n'));
  // Someone else's file where the snapshot would go; an output inside an input folder.
  writeFileSync(join(dir, 'other.snapshot.yaml'), 'mine: true\n');
  assert.match(ksim('import', 'cluster.yaml', '-o', 'other.yaml').stderr, /^ksim: other\.snapshot\.yaml: expected a file an earlier ksim import wrote \(it is rewritten\), or no file/);
  assert.equal(readFileSync(join(dir, 'other.snapshot.yaml'), 'utf8'), 'mine: true\n');
  assert.ok(!existsSync(join(dir, 'other.yaml')));
  mkdirSync(join(dir, 'dump'));
  writeFileSync(join(dir, 'dump', 'cluster.yaml'), before);
  const inFolder = ksim('import', 'dump', '-o', 'dump/inside.yaml');
  assert.equal(inFolder.status, 2);
  assert.equal(inFolder.stderr, 'ksim: -o: expected a path outside the input folder dump (its next import would read the scenario as an object), got "dump/inside.snapshot.yaml"\n');
  assert.deepEqual(readdirSync(join(dir, 'dump')), ['cluster.yaml']);
});

test('ksim import leaves out a pod on no node that is being deleted, with a note, as a run of the snapshot would (it was kept, counted pending, then dropped by the run)', () => {
  const dir = tempDir('ksim-import-deleted-');
  const dump = join(dir, 'cluster.yaml');
  writeFileSync(dump, `apiVersion: v1
kind: List
items:
  - { apiVersion: v1, kind: Node, metadata: { name: n1 }, status: { allocatable: { cpu: "4", memory: 8Gi, pods: "110" } } }
  - apiVersion: v1
    kind: Pod
    metadata: { name: going, namespace: shop, deletionTimestamp: "2026-12-01T10:00:00Z", finalizers: [example.com/hold] }
    spec: { containers: [{ name: c, image: x }] }
    status: { phase: Pending }
  - apiVersion: v1
    kind: Pod
    metadata: { name: waiting, namespace: shop }
    spec: { containers: [{ name: c, image: x }] }
    status: { phase: Pending }
`);
  const r = importSnapshot([dump]);
  assert.ok(r.imported.includes('1 Pod (0 bound, 1 pending)'), r.imported.join('; '));
  assert.ok(r.notes.includes('pod shop/going not on a node and being deleted (deletionTimestamp): left out, as the API server deletes an unscheduled pod at once and the scheduler never places one being deleted'), r.notes.join('\n'));
  assert.ok(!JSON.stringify(r.snapshot).includes('going'));
});

/** The objects of the snapshot files a scenario of `ksim import` names, in order, as the yaml
 * package reads them and as ksim's reader does. */
function snapshotObjects(dir: string, files: readonly string[]): { yaml: unknown[]; ksim: unknown[] } {
  const yaml: unknown[] = [];
  const ksim: unknown[] = [];
  for (const f of files) {
    yaml.push(...(parse(readFileSync(join(dir, f), 'utf8')) as { items: unknown[] }).items);
    ksim.push(...((readYamlFile(join(dir, f), f)[0]?.toJS() as { items: unknown[] }).items));
  }
  return { yaml, ksim };
}

test('ksim import writes a snapshot that both YAML readers read back as the objects imported, tricky values included, byte for byte the same each time', () => {
  const dir = tempDir('ksim-import-values-');
  const node = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-a', labels: { 'kubernetes.io/hostname': 'node-a', 'example.com/on': 'yes', 'example.com/hex': '0x1F' }, annotations: { 'example.com/json': '{"a":[1,2],"b":"c: d"}', 'example.com/empty': '', 'example.com/null-word': 'null', 'example.com/unicode': 'é ✓ 😀' } }, status: { allocatable: { cpu: '4', memory: '16Gi', pods: '110' } } };
  const pod = {
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'shop', labels: { app: 'web', version: '1e3' }, annotations: { 'example.com/script': '#!/bin/sh\nset -e\n  echo "a: b" # not a comment\n', 'example.com/lead': ' lead', 'example.com/trail': 'trail ', 'example.com/dash': '- a', 'example.com/tilde': '~' } },
    spec: { nodeName: 'node-a', containers: [{ name: 'c', image: 'nginx:1.27', args: ['-c', 'true', '--flag=on', '1:30'], env: [{ name: 'A', value: 'false' }, { name: 'B', value: '' }], resources: { requests: { cpu: '100m', memory: '128Mi' } } }], tolerations: [] , nodeSelector: {}, priority: 0, terminationGracePeriodSeconds: 30 },
    status: { phase: 'Running' },
  };
  const dump = join(dir, 'cluster.json');
  writeFileSync(dump, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [node, pod] }));
  const r = importSnapshot([dump]);
  importCommand({ inputs: [dump], output: join(dir, 'a.yaml') }, () => {});
  importCommand({ inputs: [dump], output: join(dir, 'b.yaml') }, () => {});
  const back = snapshotObjects(dir, ['a.snapshot.yaml']);
  assert.deepStrictEqual(back.yaml, r.snapshot);
  assert.deepStrictEqual(back.ksim, r.snapshot);
  assert.equal(readFileSync(join(dir, 'a.snapshot.yaml'), 'utf8'), readFileSync(join(dir, 'b.snapshot.yaml'), 'utf8'));
  // So does the shop dump (owners, pods with times and conditions).
  const shop = importSnapshot([SHOP]);
  importCommand({ inputs: [SHOP], output: join(dir, 'shop.yaml') }, () => {});
  assert.deepStrictEqual(snapshotObjects(dir, ['shop.snapshot.yaml']).yaml, shop.snapshot);
});

test('ksim import splits a snapshot over the reader\'s per-file limit into files the scenario lists, each within it, and the run starts from the same cluster; a later import rewrites them and removes the parts it no longer writes', () => {
  const dir = tempDir('ksim-import-split-');
  const out = join(dir, 'shop.yaml');
  const lines: string[] = [];
  importCommand({ inputs: [SHOP], output: out, maxFileBytes: 2000 }, (s) => lines.push(s));
  const parts = ['shop.snapshot.yaml', 'shop.snapshot-2.yaml', 'shop.snapshot-3.yaml', 'shop.snapshot-4.yaml', 'shop.snapshot-5.yaml'];
  assert.deepEqual(readdirSync(dir).sort(), [...parts, 'shop.yaml'].sort());
  for (const f of parts) {
    assert.ok(statSync(join(dir, f)).size <= 2000, f);
    assert.ok(readFileSync(join(dir, f), 'utf8').startsWith('# Written by ksim import; each import rewrites this file (edit the scenario instead).\napiVersion: v1\nkind: List\nitems:\n- '), f);
  }
  assert.equal(readFileSync(out, 'utf8'), [
    `# Written by ksim import: the cluster of ${parts.join(', ')} is the start state (README, Cluster snapshots).`,
    'apiVersion: ksim/v1alpha1', 'kind: Scenario', 'metadata:', '  name: "shop"', 'duration: 1h', 'cluster:', '  file:',
    ...parts.map((f) => `    - "${f}"`), '',
  ].join('\n'));
  assert.ok(lines.includes('Note: the snapshot is split into 5 files of at most 2000 bytes each, the most ksim reads from one file\n'), lines.join(''));
  assert.deepStrictEqual(snapshotObjects(dir, parts).yaml, importSnapshot([SHOP]).snapshot);
  const want = ['shop/db-0@node-a:Running', 'shop/waiting@-:Pending', 'shop/web-7d9f8c6b5-abcde@node-a:Running', 'shop/web-7d9f8c6b5-fghij@node-b:Running'];
  assert.deepEqual(placementAtStart(out), want);
  assert.deepEqual(podPasts(out), podPasts(repoPath('test/snapshots/snapshot-start.yaml')));
  // Imported again within the limit: one file, the parts removed, the scenario rewritten.
  importCommand({ inputs: [SHOP], output: out }, () => {});
  assert.deepEqual(readdirSync(dir).sort(), ['shop.snapshot.yaml', 'shop.yaml']);
  assert.ok(readFileSync(out, 'utf8').includes('  file: "shop.snapshot.yaml"\n'));
  // A file of someone else's where a part would go: refused (exit 2), nothing changed, no
  // temporary file left.
  writeFileSync(join(dir, 'shop.snapshot-4.yaml'), 'mine: true\n');
  const before = readdirSync(dir).sort().map((f) => [f, readFileSync(join(dir, f), 'utf8')]);
  assert.throws(() => importCommand({ inputs: [SHOP], output: out, maxFileBytes: 2000 }, () => {}), {
    name: 'InputError',
    message: `${join(dir, 'shop.snapshot-4.yaml')}: expected a file an earlier ksim import wrote (it is rewritten), or no file, got a file ksim import would replace`,
  });
  assert.deepEqual(readdirSync(dir).sort().map((f) => [f, readFileSync(join(dir, f), 'utf8')]), before);
  // One object larger than a file may be: no split helps (exit 2).
  assert.throws(() => importCommand({ inputs: [SHOP], output: join(dir, 'tiny.yaml'), maxFileBytes: 500 }, () => {}), {
    name: 'InputError',
    message: /^ksim import: expected objects of at most 500 bytes as YAML \(the most ksim reads from one file\), got Node node-a of \d+ bytes$/,
  });
  assert.deepEqual(readdirSync(dir).filter((f) => f.startsWith('tiny')), []);
});

test('an input file over the reader\'s limit is refused (exit 2) with what to do: split it into files in a folder', () => {
  const dir = tempDir('ksim-import-big-');
  const big = join(dir, 'big.json');
  writeFileSync(big, '');
  truncateSync(big, 604064606); // sparse: nothing is written
  const r = spawnSync(process.execPath, [KSIM_BIN, 'import', big, '-o', join(dir, 's.yaml')], { encoding: 'utf8' });
  assert.equal(r.status, 2);
  assert.equal(r.stderr, `ksim: ${big}: expected a file of at most 256 MiB (split it into several files in a folder and pass the folder: a cluster dump as one \`kubectl get KIND -A -o json\` per kind or per namespace), got 604064606 bytes (576.1 MiB)\n`);
});

test('ksim import keeps a Terminating Namespace\'s phase, with a note; in the run its ReplicaSet\'s new pods are refused (NamespaceLifecycle), the pods it has stay', () => {
  const dir = tempDir('ksim-import-');
  const dump = join(dir, 'cluster.json');
  const node = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-a', labels: { 'kubernetes.io/hostname': 'node-a' } }, status: { allocatable: { cpu: '4', memory: '16Gi', pods: '110' }, conditions: [{ type: 'Ready', status: 'True' }] } };
  const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'gone', deletionTimestamp: '2026-11-30T09:59:00Z' }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Terminating' } };
  const rs = { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web-5d8', namespace: 'gone' }, spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'x' }] } } } };
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web-5d8-a', namespace: 'gone', labels: { app: 'web' }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-5d8', uid: 'u', controller: true }] }, spec: { nodeName: 'node-a', containers: [{ name: 'c', image: 'x' }] }, status: { phase: 'Running' } };
  writeFileSync(dump, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [node, ns, rs, pod] }));
  const out = join(dir, 's.yaml');
  const r = spawnSync(process.execPath, [KSIM_BIN, 'import', dump, '-o', out], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(r.stdout.split('\n').filter((l) => l.startsWith('Note: ')).map((l) => l.replace(dump, 'DUMP')), [
    'Note: DUMP: namespace gone is being deleted in the snapshot (status.phase Terminating): creates in it are refused, as NamespaceLifecycle admission refuses them (`unable to create new content in namespace gone because it is being terminated`), so its workloads replace no pod; its objects and pods stay, as ksim does not model the namespace controller that deletes them',
  ]);
  assert.match(readFileSync(join(dir, 's.snapshot.yaml'), 'utf8'), /  kind: Namespace\n(?:    .*\n|  [a-z].*\n)*?  status:\n    phase: Terminating\n/);
  const run = spawnSync(process.execPath, [KSIM_BIN, 'run', out, '-o', join(dir, 'run'), '-q', '--set', 'duration=1m'], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  const warnings = run.stderr.split('\n').filter((l) => l.includes('create(s) refused by the API server'));
  assert.equal(warnings.length, 1, run.stderr);
  assert.match(warnings[0]!, /create\(s\) refused by the API server, first gone\/web-5d8-\w+: pods "web-5d8-" is forbidden: unable to create new content in namespace gone because it is being terminated$/);
  const pods = readFileSync(join(dir, 'run', 'pods.csv'), 'utf8').split('\n').filter((l) => l.startsWith('gone,'));
  assert.deepEqual(pods.map((l) => l.split(',')[1]), ['web-5d8-a']);
});
