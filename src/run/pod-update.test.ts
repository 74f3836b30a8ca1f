// ksim-events apply of a Pod that exists: kubectl apply's patch, validated as upstream's
// ValidatePodUpdate validates it (/tmp/h52/odd/e_podsame.jsonl, e_podupd.jsonl).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../testing/temp-dir.js';
import { loadScenario } from '../workload/scenario.js';
import { runScenario, type RunResult } from './run-scenario.js';

function run(events: string): RunResult {
  const dir = tempDir('ksim-podupd-');
  writeFileSync(join(dir, 'events.jsonl'), events);
  const file = join(dir, 's.yaml');
  writeFileSync(file, `apiVersion: ksim/v1alpha1
kind: Scenario
metadata: { name: podupd }
seed: 3
duration: 10m
cluster:
  nodePools:
    - name: n
      count: 2
      allocatable: { cpu: "4", memory: 16Gi, pods: 110 }
workload:
  - name: ev
    trace: { format: ksim-events, file: events.jsonl }
`);
  return runScenario(loadScenario(file), { checkInvariants: true });
}

function rows(r: RunResult, file: string): Record<string, unknown>[] {
  return [...(r.tables.find((t) => t.file === file)?.rows ?? [])];
}

/** A pod event: `name` on node `node` (by hostname) with labels, cpu and image. */
function pod(at: number, name: string, labels: Record<string, string>, extra: { node?: string; cpu?: string; image?: string; antiAffinity?: boolean } = {}): string {
  const spec: Record<string, unknown> = { containers: [{ name: 'c', image: extra.image ?? 'nginx', resources: { requests: { cpu: extra.cpu ?? '100m' } } }] };
  if (extra.node !== undefined) spec['nodeSelector'] = { 'kubernetes.io/hostname': extra.node };
  if (extra.antiAffinity === true) spec['affinity'] = { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'x' } }, topologyKey: 'kubernetes.io/hostname' }] } };
  return JSON.stringify({ at, op: 'apply', object: { apiVersion: 'v1', kind: 'Pod', metadata: { name, labels }, spec } }) + '\n';
}

test('an identical apply of a Pod that exists is "unchanged": no write, no warning (was: a create refused, "pods \\"a\\" already exists")', () => {
  const once = run(pod(0, 'a', { v: '1' }));
  const twice = run(pod(0, 'a', { v: '1' }) + pod(100, 'a', { v: '1' }));
  assert.deepEqual(twice.warnings, []);
  // The same figures, but for the simulation's event count (the event read at 100 s).
  const figures = (r: RunResult) => rows(r, 'summary.csv').map((x) => ({ ...x, events: undefined }));
  assert.deepEqual(figures(twice), figures(once));
  assert.equal(Number(rows(twice, 'summary.csv')[0]?.['events']), Number(rows(once, 'summary.csv')[0]?.['events']) + 1);
  assert.deepEqual(rows(twice, 'pods.csv'), rows(once, 'pods.csv'));
});

test('a label change is stored and heard: the inter-pod affinity index and the scheduler follow it, so a pod kept out by anti-affinity binds once a pod no longer matches', () => {
  // a and b (app=x) on n-0 and n-1; c's required anti-affinity against app=x fits nowhere until
  // a is relabelled app=y at 100 s (AssignedPod/UpdatePodLabel requeues c; it binds on n-0).
  const events = pod(0, 'a', { app: 'x' }, { node: 'n-0' }) + pod(0, 'b', { app: 'x' }, { node: 'n-1' }) + pod(10, 'c', { app: 'z' }, { antiAffinity: true }) + pod(100, 'a', { app: 'y' }, { node: 'n-0' });
  const r = run(events);
  assert.deepEqual(r.warnings, []);
  const c = rows(r, 'pods.csv').find((p) => p['pod'] === 'default/c' || p['name'] === 'c');
  assert.equal(c?.['node'], 'n-0', JSON.stringify(c));
  assert.ok(Number(c?.['bound_s']) >= 100 && Number(c?.['bound_s']) < 101, String(c?.['bound_s']));
  // Without the relabel c stays pending.
  const pending = rows(run(events.split('\n').slice(0, 3).join('\n') + '\n'), 'pods.csv').find((p) => p['pod'] === 'default/c' || p['name'] === 'c');
  assert.equal(pending?.['node'], '');
});

test('an apply changing a field a pod update may not change is refused as upstream refuses it (counted, the pod stays as it was); an image change is allowed but not carried (noted)', () => {
  const r = run(pod(0, 'a', { v: '1' }) + pod(100, 'a', { v: '2' }, { cpu: '200m' }) + pod(200, 'a', { v: '3' }, { cpu: '300m' }) + pod(300, 'a', { v: '1' }, { image: 'nginx:2' }));
  assert.deepEqual(r.warnings.map((w) => w.replace(/\/\S*\/events\.jsonl/g, 'events.jsonl')), [
    'trace ev: events.jsonl:4 (Pod default/a): spec.containers[*].image changed by an update of a Pod that exists: not carried (ksim stores a pod update\'s labels and annotations only)',
    'trace ev: 2 update(s) refused by the API server as Invalid (a field an update may not change was changed; the object stays as it was), first: events.jsonl:2 (Pod default/a): The Pod "a" is invalid: spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
  ]);
});
