// Finished pods are released: after a churn run, the store holds the live pods plus at most
// the terminated ones the pod garbage collector keeps, and nothing in the simulation (controllers,
// scheduler, kubelets, metrics, invariant checker) still references a pod that finished and was
// deleted: its objects are garbage-collected by the JS engine.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parseScenario } from '../src/workload/scenario.js';
import { prepareRun } from '../src/run/run-scenario.js';
import type { PodInfo } from '../src/cluster/pod-info.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const S = 1_000_000;

// 40 replicas of 10 s pods (a ReplicaSet replaces them), bare pods of 15 s at 120/min, and a
// Job of 200 completions 8 at a time: 30 min creates ~9,000 pods; the collector keeps 100.
const SCENARIO = `apiVersion: ksim/v1alpha1
kind: Scenario
duration: 30m
cluster:
  nodePools: [{ name: n, count: 4, zones: [a, b], allocatable: { cpu: "16", memory: 64Gi, pods: 110 } }]
controlPlane:
  terminatedPodGCThreshold: 100
  clients: { controllerManager: { qps: 1000, burst: 1000 } }
kubelet: { startupLatency: 1s }
workload:
  - name: churn
    runDuration: 10s
    manifest:
      apiVersion: apps/v1
      kind: Deployment
      metadata: { name: churn }
      spec:
        replicas: 40
        selector: { matchLabels: { app: churn } }
        template:
          metadata: { labels: { app: churn } }
          spec: { containers: [{ name: c, image: x, resources: { requests: { cpu: 100m } } }] }
  - name: batch
    rate: { perMinute: 120, process: fixed }
    runDuration: 15s
    manifest: { apiVersion: v1, kind: Pod, metadata: { name: batch }, spec: { restartPolicy: Never, containers: [{ name: c, image: x, resources: { requests: { cpu: 100m } } }] } }
  - name: job
    runDuration: 5s
    manifest:
      apiVersion: batch/v1
      kind: Job
      metadata: { name: work }
      spec:
        completions: 200
        parallelism: 8
        template:
          spec: { restartPolicy: Never, containers: [{ name: c, image: x, resources: { requests: { cpu: 100m } } }] }
`;

test('after a churn run the store holds the live pods and at most the threshold of finished ones', () => {
  const run = prepareRun(parseScenario(SCENARIO, 'churn.yaml'));
  let maxStored = 0;
  for (let t = 60 * S; t <= run.endUs; t += 60 * S) {
    run.sim.run(t);
    maxStored = Math.max(maxStored, run.cluster.pods.size);
  }
  const result = run.finish();
  let finished = 0;
  for (const p of run.cluster.pods.values()) if (p.terminal) finished++;
  // Live: 40 replicas + ~32 bare pods (16 s at 2/s) + 8 Job pods; finished: at most 100 plus
  // what finishes between two 20 s checks (~7 pods/s: 3.6 churn, 2 bare, 1.3 Job).
  assert.ok(Number(result.summary['pods_submitted']) > 8000, String(result.summary['pods_submitted']));
  assert.ok(finished <= 100 + 20 * 8, `finished pods stored: ${finished}`);
  assert.ok(maxStored <= 100 + 20 * 8 + 40 + 32 + 8, `pods stored at once: ${maxStored}`);
  // The time series counts finished pods cumulatively, also those collected since.
  const last = result.tables.find((t) => t.file === 'timeseries.csv')?.rows.at(-1);
  assert.ok(Number(last?.['pods_succeeded']) > 8000, String(last?.['pods_succeeded']));
});

test('nothing holds on to a finished pod once the pod garbage collector deleted it', async () => {
  const run = prepareRun(parseScenario(SCENARIO, 'churn.yaml'));
  run.sim.run(60 * S);
  // Every pod that exists at 1 min will have finished and been collected by 30 min.
  const early: WeakRef<PodInfo>[] = [...run.cluster.pods.values()].map((p) => new WeakRef(p));
  assert.ok(early.length > 50, String(early.length));
  run.sim.run(run.endUs);
  const result = run.finish();
  await new Promise((r) => setImmediate(r)); // WeakRefs are held until the end of the job
  gc();
  const kept = early.filter((w) => w.deref() !== undefined).map((w) => (w.deref() as PodInfo).key);
  assert.deepEqual(kept, []);
  assert.ok(result.summary['pods_submitted'] !== undefined && run.sim.now === run.endUs);
});
