import { CLIENT_FIELDS } from '../workload/scenario.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { etcdCapacityWarnings, rateLimitWarnings, type ClientHolds } from './bottlenecks.js';
import { EtcdModel } from '../controlplane/etcd.js';
import { RandomStreams } from '../engine/random.js';
import { parseScenario } from '../workload/scenario.js';
import { loadScenario, runScenario } from '../index.js';
import { repoPath } from '../testing/repo-paths.js';

const LIMITS = new Map([['scheduler', { qps: 50, burst: 100 }], ['controller-manager', { qps: 20, burst: 30 }]]);

test('a client rate limit that held a write 10 s or more is named, with the setting to raise', () => {
  const cases: [string, ClientHolds[], string[]][] = [
    ['held under 10 s: no warning', [{ client: 'scheduler', writes: 5000, held: 4900, maxWaitUs: 9_999_999, queued: 0, maxQueuedWaitUs: 0 }], []],
    ['held 10 s', [{ client: 'scheduler', writes: 200_000, held: 199_900, maxWaitUs: 10_000_000, queued: 0, maxQueuedWaitUs: 0 }], [
      'the scheduler client\'s rate limit (controlPlane.clients.scheduler: qps 50, burst 100) held 199,900 of its 200,000 writes (the longest for 10s): it, not the cluster, set the pace; raise controlPlane.clients.scheduler.qps to see the cluster\'s own',
    ]],
    ['a client without a limit is never named', [{ client: 'kubelet', writes: 10, held: 10, maxWaitUs: 60_000_000, queued: 0, maxQueuedWaitUs: 0 }], []],
    ['one warning per client, in the order given', [
      { client: 'controller-manager', writes: 1000, held: 970, maxWaitUs: 48_500_000, queued: 0, maxQueuedWaitUs: 0 },
      { client: 'scheduler', writes: 1000, held: 0, maxWaitUs: 0, queued: 0, maxQueuedWaitUs: 0 },
    ], [
      'the controller-manager client\'s rate limit (controlPlane.clients.controllerManager: qps 20, burst 30) held 970 of its 1,000 writes (the longest for 48.5s): it, not the cluster, set the pace; raise controlPlane.clients.controllerManager.qps to see the cluster\'s own',
    ]],
    // The tester's 5-minute trace replay: its writes queued for the whole run, so the waits
    // reported are those that happened, at most the run's 300 s (not 9m35.97402s, a wait ending
    // after the run), and the writes never sent are said to be waiting.
    ['writes still waiting at the end', [{ client: 'controller-manager', writes: 6031, held: 5999, maxWaitUs: 201_206_839, queued: 11_518, maxQueuedWaitUs: 201_226_069 }], [
      'the controller-manager client\'s rate limit (controlPlane.clients.controllerManager: qps 20, burst 30) held 5,999 of the 6,031 writes it sent (the longest for 3m21.206839s), and 11,518 more were still waiting at the end (the longest for 3m21.226069s by then): it, not the cluster, set the pace; raise controlPlane.clients.controllerManager.qps to see the cluster\'s own',
    ]],
    ['only a write still waiting waited 10 s', [{ client: 'scheduler', writes: 100, held: 0, maxWaitUs: 0, queued: 1, maxQueuedWaitUs: 12_000_000 }], [
      'the scheduler client\'s rate limit (controlPlane.clients.scheduler: qps 50, burst 100) held 0 of the 100 writes it sent, and 1 more was still waiting at the end (the longest for 12s by then): it, not the cluster, set the pace; raise controlPlane.clients.scheduler.qps to see the cluster\'s own',
    ]],
  ];
  for (const [name, holds, want] of cases) assert.deepEqual(rateLimitWarnings(holds, LIMITS, CLIENT_FIELDS), want, name);
});

test('a run whose scheduler client limit sets the pace says so', () => {
  const r = runScenario(loadScenario(repoPath('test/scenarios/rate-limited.yaml')));
  const w = r.warnings.filter((x) => x.includes('rate limit'));
  // 300 binds at 5/s with a burst of 10: the first 10 pass at once, the other 290 wait.
  assert.equal(w.length, 1, r.warnings.join('\n'));
  assert.match(w[0] as string, /^the scheduler client's rate limit \(controlPlane\.clients\.scheduler: qps 5, burst 10\) held 290 of its 300 writes \(the longest for (\d+(\.\d+)?)s\)/);
  // The last of 290 held binds waits 290/5 = 58 s after the burst, less the ~15 s over which the
  // ReplicaSet controller created the pods: between 40 and 58 s.
  const s = Number(/the longest for ([\d.]+)s/.exec(w[0] as string)?.[1]);
  assert.ok(s > 40 && s <= 58, String(s));
});

test("etcd's proposal queue: the model counts the writes it held and for how long; a hold of 1 s or more is named with controlPlane.etcd.maxWritesPerSecond", () => {
  // 4 writes a second: 10 writes arriving together at 0 each wait 250 ms more than the one before.
  const etcd = new EtcdModel({ followerRtt: [], fsync: { kind: 'constant', value: 0 }, maxWritesPerSecond: 4, electionTimeoutUs: 0 }, new RandomStreams(1).stream('etcd'));
  for (let i = 0; i < 10; i++) etcd.commitTime(0);
  assert.deepEqual([etcd.writes, etcd.queuedWrites, etcd.queueUs, etcd.maxQueueUs], [10, 9, 11_250_000, 2_250_000]);
  assert.deepEqual(etcdCapacityWarnings(etcd, 4), [
    "etcd's write capacity (controlPlane.etcd.maxWritesPerSecond: 4) held 9 of its 10 writes behind the leader's proposal queue (the longest for 2.25s, 1.25s on average): it, not the cluster, set the pace of every write (creates, bindings, status updates, lease renewals); raise controlPlane.etcd.maxWritesPerSecond to see the cluster's own",
  ]);
  assert.deepEqual(etcdCapacityWarnings({ writes: 10, queuedWrites: 9, queueUs: 8_000_000, maxQueueUs: 999_999 }, 4), []);
});

const zoneOutageAt = (etcd: string) => parseScenario(`apiVersion: ksim/v1alpha1
kind: Scenario
seed: 1
duration: 15m
cluster:
  nodePools:
    - { name: general, count: 6, zones: [zone-a, zone-b, zone-c], allocatable: { cpu: "8", memory: 32Gi, pods: 110 } }
${etcd}
workload:
  - name: web
    at: 0s
    manifest:
      apiVersion: apps/v1
      kind: Deployment
      metadata: { name: web }
      spec:
        replicas: 6
        selector: { matchLabels: { app: web } }
        template:
          metadata: { labels: { app: web } }
          spec:
            containers:
              - { name: web, image: nginx, resources: { requests: { cpu: 500m, memory: 1Gi } } }
faults:
  - zoneOutage: { zone: zone-b, at: 60s, for: 10m }
`, 'etcd.yaml');

test("a run whose etcd holds writes 1 s or more (maxWritesPerSecond 4) warns of it; at the default 20,000 it does not", () => {
  const slow = runScenario(zoneOutageAt('controlPlane: { etcd: { maxWritesPerSecond: 4 } }'));
  assert.deepEqual(slow.warnings.filter((w) => w.startsWith('etcd')), [
    // 250 ms a proposal: the run's bursts of writes queue behind each other, the longest 1.247 s.
    "etcd's write capacity (controlPlane.etcd.maxWritesPerSecond: 4) held 65 of its 459 writes behind the leader's proposal queue (the longest for 1.247s, 312ms on average): it, not the cluster, set the pace of every write (creates, bindings, status updates, lease renewals); raise controlPlane.etcd.maxWritesPerSecond to see the cluster's own",
  ]);
  assert.deepEqual(runScenario(zoneOutageAt('')).warnings.filter((w) => w.startsWith('etcd')), []);
});
