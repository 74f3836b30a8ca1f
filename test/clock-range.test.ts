// Valid scenarios at the edges of the accepted ranges run to their end: times that would run past
// the end of the µs clock (rate-limit queues, etcd queues, 250-year durations, int64
// tolerationSeconds) saturate at MAX_SIM_TIME_US, "never" within a run, instead of crashing the
// engine with an internal error (issue 15 item 5).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseScenario, runScenario, type Scenario } from '../src/index.js';

function scenario(extra: string, pod = '{ containers: [{ name: c, image: x }] }'): string {
  return `apiVersion: ksim/v1alpha1
kind: Scenario
duration: 10m
cluster:
  nodePools: [{ name: n, count: 3, zones: [a, b, c], allocatable: { cpu: "32", memory: 128Gi } }]
kubelet: { startupLatency: 1s }
${extra}
workload:
  - name: web
    manifest:
      apiVersion: apps/v1
      kind: Deployment
      metadata: { name: web }
      spec:
        replicas: 20
        selector: { matchLabels: { app: web } }
        template:
          metadata: { labels: { app: web } }
          spec: ${pod}
`;
}

function run(text: string): Record<string, unknown> {
  return runScenario(parseScenario(text, 'edge.yaml'), { checkInvariants: true }).summary;
}

type Summary = Record<string, unknown>;

// The first two cases are the lower bounds of the accepted rates (they ran before the fix too);
// the others overflowed the clock before it.
const CASES: [what: string, extra: string, check: (s: Summary) => void][] = [
  // Each client gets one write per 1000 s after a burst of 1: the Deployment controller's first
  // write creates the ReplicaSet, the ReplicaSet controller's (a client of its own) creates one
  // pod, and its second waits until 1000 s, after the run's end; the scheduler's one write binds
  // that pod.
  ['every client at the slowest accepted rate (qps 0.001, burst 1)', 'controlPlane: { clients: { scheduler: { qps: 0.001, burst: 1 }, controllerManager: { qps: 0.001, burst: 1 }, kubelet: { qps: 0.001, burst: 1 } } }', (s) => {
    assert.equal(s['pods_submitted'], 1);
    assert.equal(s['pods_bound'], 1);
  }],
  // One proposal per 1000 s: even the Deployment commits only at 1000 s, after the run's end.
  ['etcd at the slowest accepted proposal rate (0.001 writes/s)', 'controlPlane: { etcd: { maxWritesPerSecond: 0.001 } }', (s) => {
    assert.equal(s['pods_submitted'], 0);
  }],
  // Nobody ever hears of a commit: the Deployment controller never sees its Deployment.
  ['a watch delay of 2501999h47m34s (the clock holds 2501999h47m34.740991s)', 'controlPlane: { watchDelay: 2501999h47m34s }', (s) => {
    assert.equal(s['pods_submitted'], 0);
  }],
  // etcd stalls from 1m to the end of the clock; the 20 pods were created and bound before.
  ['an etcd election timeout of 2501999h47m34s and a leader loss at 1m', 'controlPlane: { etcd: { electionTimeout: 2501999h47m34s } }\nfaults: [{ etcdLeaderLoss: { at: 1m } }]', (s) => {
    assert.equal(s['pods_submitted'], 20);
    assert.equal(s['pods_bound'], 20);
  }],
  // The node never comes back: its pods are evicted and replaced on the other two.
  ['a node down at 1m for 2501999h47m34s', 'faults: [{ nodeDown: { nodes: [n-0], at: 1m, for: 2501999h47m34s } }]', (s) => {
    assert.ok(Number(s['pods_evicted']) > 0);
    assert.equal(s['pods_submitted'], 20 + Number(s['pods_evicted']));
    assert.equal(s['pods_bound'], s['pods_submitted']);
  }],
];

for (const [what, extra, check] of CASES) {
  test(`runs to the end with ${what}`, () => {
    check(run(scenario(extra)));
  });
}

test('pods that tolerate an unreachable node for 1e300 s are never evicted', () => {
  const pod = '{ containers: [{ name: c, image: x }], tolerations: [{ key: node.kubernetes.io/unreachable, operator: Exists, effect: NoExecute, tolerationSeconds: 1e300 }, { key: node.kubernetes.io/not-ready, operator: Exists, effect: NoExecute, tolerationSeconds: 1e300 }] }';
  const s = run(scenario('faults: [{ zoneOutage: { zone: a, at: 1m } }]', pod));
  assert.equal(s['pods_evicted'], 0);
  assert.equal(s['pods_bound'], 20);
});

test('a run duration of 2501999h47m34s (past the end of the clock from any time after 0.74 s) never ends the pods', () => {
  const text = scenario('').replace('  - name: web\n', '  - name: web\n    runDuration: 2501999h47m34s\n');
  const s = run(text);
  assert.equal(s['pods_bound'], 20);
});

test('a hand-built scenario (the library, no loader) with a client qps of 1e-12 runs: its writes never commit', () => {
  const loaded = parseScenario(scenario(''), 'edge.yaml');
  const clients = new Map(loaded.controlPlane.clients);
  clients.set('controller-manager', { qps: 1e-12, burst: 1 });
  const s: Scenario = { ...loaded, controlPlane: { ...loaded.controlPlane, clients, etcd: { ...loaded.controlPlane.etcd, maxWritesPerSecond: 5e-324 } } };
  const summary = runScenario(s, { checkInvariants: true }).summary;
  assert.equal(summary['pods_submitted'], 0);
});
