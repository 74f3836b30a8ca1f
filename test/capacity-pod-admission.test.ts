// `ksim capacity --pod` against what the API server admits: a namespace's ResourceQuota bounds
// how many copies can be created, whatever room the nodes have (the copies would be refused on
// create, as `ksim run` refuses them), and a refusal is shown whole. Worked by hand on
// test/fixtures/capacity/quota-cluster.yaml: two 4-CPU nodes, namespace shop with 2 pods of 500m
// (one per node), a quota of 5 pods and 3 CPUs requested, LimitRange defaults 100m / 128Mi
// requested and a 500m / 512Mi limit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { KSIM_BIN, REPO_ROOT } from '../src/testing/repo-paths.js';

function ksim(...args: string[]) {
  return spawnSync(process.execPath, [KSIM_BIN, ...args], { cwd: REPO_ROOT, encoding: 'utf8' });
}

const CLUSTER = 'test/fixtures/capacity/quota-cluster.yaml';
const fixture = (f: string) => `test/fixtures/capacity/${f}`;

test('a pod the LimitRange makes invalid: the whole refusal, naming the default limit, exit 2', () => {
  const r = ksim('capacity', '--cluster', CLUSTER, '--pod', fixture('pod-over-default-limit.yaml'));
  assert.equal(r.status, 2, r.stderr);
  assert.equal(
    r.stderr,
    'ksim: test/fixtures/capacity/pod-over-default-limit.yaml:5:3: spec: expected a pod the API server admits in this cluster at 1 s, got Pod "big" is invalid: spec.containers[0].resources.requests: Invalid value: "1Gi": must be less than or equal to memory limit of 512Mi\n',
  );
});
