// Generated pod names.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RandomStream } from '../engine/random.js';
import { ClusterState } from '../cluster/cluster-state.js';
import { makePod, podInfo } from '../testing/builders.js';
import { PodNames } from './names.js';
import { runScenario } from '../run/run-scenario.js';
import { parseScenario } from '../workload/scenario.js';

/** A stream whose int() returns the given values in turn (then 0). */
function scripted(values: number[]): RandomStream {
  let i = 0;
  return { int: () => values[i++] ?? 0 } as unknown as RandomStream;
}

test('a generated name taken by a pod or by a create in flight is drawn again; a released one is free', () => {
  const cluster = new ClusterState();
  cluster.addPod(podInfo(makePod('web-bbbbb').obj()));
  // Draws: bbbbb (a pod has it), ccccc (free), then ccccc again (in flight), then ddddd.
  const names = new PodNames(cluster, scripted([0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2]));
  assert.equal(names.reserve('default', 'web'), 'web-ccccc');
  assert.equal(names.reserve('default', 'web'), 'web-ddddd');
  const reserved = makePod('web-ddddd').obj();
  assert.equal(names.keyFor(reserved), 'default/web-ddddd', 'the store key of the name reserved last');
  assert.equal(names.keyFor(makePod('web-ccccc').obj()), 'default/web-ccccc', 'another name: made from the pod');
  assert.equal(names.keyFor(makePod('web-ddddd').namespace('other').obj()), 'other/web-ddddd', 'the name in another namespace: made from the pod');
  names.release('default/web-ccccc');
  const again = new PodNames(cluster, scripted([1, 1, 1, 1, 1]));
  assert.equal(again.reserve('default', 'web'), 'web-ccccc', 'another controller\'s reservations are its own');
  const reuse = scripted([1, 1, 1, 1, 1]);
  (names as unknown as { rng: RandomStream }).rng = reuse;
  assert.equal(names.reserve('default', 'web'), 'web-ccccc', 'released: free again');
});

test('a generateName base longer than 58 characters is cut to 58 before the 5-character suffix (upstream SimpleNameGenerator, maxGeneratedNameLength)', () => {
  const cluster = new ClusterState();
  const names = () => new PodNames(cluster, scripted([]));
  const n57 = 'a'.repeat(57);
  const n58 = 'b'.repeat(58);
  const n60 = 'p'.repeat(60);
  // "<57>-" is 58 characters: not cut, 63 in all.
  assert.equal(names().reserve('default', n57), `${n57}-bbbbb`);
  // "<58>-" and "<60>-" are cut to their first 58 characters: the "-" goes, 63 in all.
  assert.equal(names().reserve('default', n58), `${n58}bbbbb`);
  assert.equal(names().reserve('default', n60), `${'p'.repeat(58)}bbbbb`);
  assert.equal(names().reserve('default', n60).length, 63);
  assert.equal(names().reserve('default', 'web'), 'web-bbbbb');
});

test('ReplicaSet, Job (NonIndexed and Indexed) and DaemonSet pods of 60-character owners have names of 63 characters', () => {
  const long = (c: string) => c.repeat(60);
  const text = `apiVersion: ksim/v1alpha1
kind: Scenario
seed: 1
duration: 5m
cluster:
  nodePools: [{ name: n, count: 1, allocatable: { cpu: "8", memory: 16Gi } }]
workload:
  - name: rs
    manifest:
      apiVersion: apps/v1
      kind: ReplicaSet
      metadata: { name: ${long('r')} }
      spec:
        replicas: 1
        selector: { matchLabels: { app: rs } }
        template: { metadata: { labels: { app: rs } }, spec: { containers: [{ name: c, image: x }] } }
  - name: job
    runDuration: 1m
    manifest:
      apiVersion: batch/v1
      kind: Job
      metadata: { name: ${long('j')} }
      spec: { template: { spec: { restartPolicy: Never, containers: [{ name: c, image: x }] } } }
  - name: indexed
    runDuration: 1m
    manifest:
      apiVersion: batch/v1
      kind: Job
      metadata: { name: ${long('i')} }
      spec: { completionMode: Indexed, completions: 1, template: { spec: { restartPolicy: Never, containers: [{ name: c, image: x }] } } }
  - name: ds
    manifest:
      apiVersion: apps/v1
      kind: DaemonSet
      metadata: { name: ${long('d')} }
      spec:
        selector: { matchLabels: { app: ds } }
        template: { metadata: { labels: { app: ds } }, spec: { containers: [{ name: c, image: x }] } }
`;
  const r = runScenario(parseScenario(text, 'long-names.yaml'));
  const pods = (r.tables.find((t) => t.file === 'pods.csv')?.rows ?? []).map((x) => String(x['name']));
  const of = (c: string) => pods.find((n) => n.startsWith(c)) ?? '';
  // Each generateName "<60 chars>-" is cut to the owner's first 58 characters, then the suffix.
  for (const c of ['r', 'j', 'd']) assert.match(of(c), new RegExp(`^${c}{58}[${'bcdfghjklmnpqrstvwxz2456789'}]{5}$`), `${c}: ${of(c)}`);
  // Indexed: podGenerateNameWithIndex already cut the name so that "<job>-<index>-" is 58.
  assert.match(of('i'), /^i{55}-0-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  assert.ok(pods.every((n) => n.length <= 63), pods.join(' '));
});
