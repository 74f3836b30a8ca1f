// `ksim capacity --pod` against what the API server admits: a namespace's ResourceQuota bounds
// how many copies can be created, whatever room the nodes have (the copies would be refused on
// create, as `ksim run` refuses them), and a refusal is shown whole. Worked by hand on
// test/fixtures/capacity/quota-cluster.yaml: two 4-CPU nodes, namespace shop with 2 pods of 500m
// (one per node), a quota of 5 pods and 3 CPUs requested, LimitRange defaults 100m / 128Mi
// requested and a 500m / 512Mi limit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KSIM_BIN, REPO_ROOT } from '../src/testing/repo-paths.js';
import { tempDir } from '../src/testing/temp-dir.js';

function ksim(...args: string[]) {
  return spawnSync(process.execPath, [KSIM_BIN, ...args], { cwd: REPO_ROOT, encoding: 'utf8' });
}

const CLUSTER = 'test/fixtures/capacity/quota-cluster.yaml';
const fixture = (f: string) => `test/fixtures/capacity/${f}`;

interface CapacityJson {
  total: number;
  reason: string;
  limited_by: string;
  quota: { namespace: string; name: string; resources: string[]; reason: string } | null;
  nodes: { node: string; fits: number; plugin: string; reason: string }[];
}

test('a 1-CPU pod: the nodes have room for 3 + 3 copies, but requests.cpu of shop-quota leaves 3 − 1 = 2 CPUs, so 2', () => {
  const r = ksim('capacity', '--cluster', CLUSTER, '--pod', fixture('pod-1cpu.yaml'), '--json');
  assert.equal(r.status, 0, r.stderr);
  const j = JSON.parse(r.stdout) as CapacityJson;
  assert.equal(j.total, 2);
  assert.equal(j.limited_by, 'quota');
  assert.deepEqual(j.quota, {
    namespace: 'shop',
    name: 'shop-quota',
    resources: ['requests.cpu'],
    reason: 'pods "probe-capacity-2" is forbidden: exceeded quota: shop-quota, requested: requests.cpu=1, used: requests.cpu=3, limited: requests.cpu=3',
  });
  assert.equal(j.reason, j.quota?.reason);
});

test('a pod without requests gets 100m from the LimitRange: the 2 CPUs left would take 20 copies, but pods: 5 leaves 3', () => {
  const r = ksim('capacity', '--cluster', CLUSTER, '--pod', fixture('pod-noreq.yaml'));
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^3 more replicas of shop\/sidecar fit in the cluster of test\/fixtures\/capacity\/quota-cluster\.yaml \(profile default-scheduler\), limited by ResourceQuota shop\/shop-quota \(pods\)$/m);
  assert.match(r.stdout, /^node-a +- +zone-a +3 +ResourceQuota: exceeded quota: shop-quota$/m);
  assert.match(r.stdout, /^total +3 +pods "sidecar-capacity-3" is forbidden: exceeded quota: shop-quota, requested: pods=1, used: pods=5, limited: pods=5$/m);
});

test('a namespace without a quota: the nodes are the limit (3 + 3 copies of 1 CPU)', () => {
  const r = ksim('capacity', '--cluster', CLUSTER, '--pod', fixture('pod-default-ns.yaml'), '--json');
  assert.equal(r.status, 0, r.stderr);
  const j = JSON.parse(r.stdout) as CapacityJson;
  assert.equal(j.total, 6);
  assert.equal(j.limited_by, 'nodes');
  assert.equal(j.quota, null);
  assert.equal(j.reason, '0/2 nodes are available: 2 Insufficient cpu.');
});

test('a pod the LimitRange makes invalid: the whole refusal, naming the default limit, exit 2', () => {
  const r = ksim('capacity', '--cluster', CLUSTER, '--pod', fixture('pod-over-default-limit.yaml'));
  assert.equal(r.status, 2, r.stderr);
  assert.equal(
    r.stderr,
    'ksim: test/fixtures/capacity/pod-over-default-limit.yaml:5:3: spec: expected a pod the API server admits in this cluster at 1 s, got Pod "big" is invalid: spec.containers[0].resources.requests: Invalid value: "1Gi": must be less than or equal to memory limit of 512Mi\n',
  );
});

test('a dump that lists its Namespaces: a pod in another namespace is refused as upstream NamespaceLifecycle refuses it (capacity --pod and explain), not counted without its quota', () => {
  const dir = tempDir('ksim-ns-');
  try {
    const cluster = join(dir, 'cluster.yaml');
    writeFileSync(cluster, `${readFileSync(join(REPO_ROOT, CLUSTER), 'utf8')}  - { apiVersion: v1, kind: Namespace, metadata: { name: shop } }\n  - { apiVersion: v1, kind: Namespace, metadata: { name: default } }\n`);
    const pod = join(dir, 'pod.yaml');
    writeFileSync(pod, readFileSync(join(REPO_ROOT, fixture('pod-1cpu.yaml')), 'utf8').replace('namespace: shop', 'namespace: shopp'));
    const refusal = `${pod}:5:3: spec: expected a pod the API server admits in this cluster%s, got namespaces "shopp" not found (the cluster's namespaces: default, shop; did you mean "shop"?)\n`;
    const cap = ksim('capacity', '--cluster', cluster, '--pod', pod);
    assert.equal(cap.status, 2, cap.stderr);
    assert.equal(cap.stderr, `ksim: ${refusal.replace('%s', ' at 1 s')}`);
    const ex = ksim('explain', '--cluster', cluster, '--pod', pod);
    assert.equal(ex.status, 2, ex.stderr);
    assert.equal(ex.stderr, `ksim: ${refusal.replace('%s', '')}`);
    // The namespace it names: counted, bounded by its quota (2, as above); kube-system exists in
    // every cluster.
    writeFileSync(pod, readFileSync(join(REPO_ROOT, fixture('pod-1cpu.yaml')), 'utf8'));
    assert.equal((JSON.parse(ksim('capacity', '--cluster', cluster, '--pod', pod, '--json').stdout) as CapacityJson).total, 2);
    writeFileSync(pod, readFileSync(join(REPO_ROOT, fixture('pod-1cpu.yaml')), 'utf8').replace('namespace: shop', 'namespace: kube-system'));
    assert.equal((JSON.parse(ksim('capacity', '--cluster', cluster, '--pod', pod, '--json').stdout) as CapacityJson).total, 6);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
