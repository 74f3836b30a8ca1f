// The memory estimate follows the pods in the store at once (live ones plus the finished ones
// the pod garbage collector keeps), not every pod a run creates.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseScenario } from '../workload/scenario.js';
import { estimateMemory } from './memory-estimate.js';

function scenario(workload: string, extra = ''): string {
  return `apiVersion: ksim/v1alpha1
kind: Scenario
duration: 24h
cluster:
  nodePools: [{ name: n, count: 200, allocatable: { cpu: "16", memory: 64Gi, pods: 110 } }]
${extra}
workload:
${workload}`;
}

const CHURN = `  - name: churn
    runDuration: { exponential: { mean: 1m } }
    manifest:
      apiVersion: apps/v1
      kind: Deployment
      metadata: { name: churn }
      spec:
        replicas: 10000
        selector: { matchLabels: { app: churn } }
        template:
          metadata: { labels: { app: churn } }
          spec: { containers: [{ name: c, image: x }] }
`;

const BATCH = `  - name: batch
    rate: { perMinute: 600 }
    runDuration: 2m
    manifest: { apiVersion: v1, kind: Pod, metadata: { name: b }, spec: { containers: [{ name: c, image: x }] } }
`;

const GiB = 2 ** 30;

test('a 24 h steady churn of 10,000 live pods (14.4 M created) fits in well under a GiB', () => {
  const cases: { name: string; text: string; pods: number; podsCreated: number; maxGiB: number }[] = [
    // 10,000 live + 12,500 finished kept (upstream's threshold); 1 + 1,440 generations of 10,000.
    { name: 'Deployment churn, default threshold', text: scenario(CHURN), pods: 22_500, podsCreated: 14_410_000, maxGiB: 0.6 },
    { name: 'Deployment churn, threshold 1000', text: scenario(CHURN, 'controlPlane: { terminatedPodGCThreshold: 1000 }'), pods: 11_000, podsCreated: 14_410_000, maxGiB: 0.5 },
    // Little's law: 600/min × 2 min ≈ 1,201 live; 864,001 arrivals.
    { name: 'bare pods at a rate', text: scenario(BATCH), pods: 13_701, podsCreated: 864_001, maxGiB: 0.1 },
    // Without the collector every finished pod stays: the estimate says so.
    { name: 'bare pods, collector disabled', text: scenario(BATCH, 'controlPlane: { terminatedPodGCThreshold: 0 }'), pods: 864_001, podsCreated: 864_001, maxGiB: 3.4 },
  ];
  for (const c of cases) {
    const e = estimateMemory(parseScenario(c.text, 'churn.yaml'));
    assert.equal(e.pods, c.pods, c.name);
    assert.equal(e.podsCreated, c.podsCreated, c.name);
    assert.ok(e.bytes < c.maxGiB * GiB, `${c.name}: ${(e.bytes / GiB).toFixed(2)} GiB`);
  }
});

test('the estimate is 8 KiB a node, 4 KiB a pod in the store and 8 bytes a pod created (its two latency samples)', () => {
  const e = estimateMemory(parseScenario(scenario(CHURN), 'churn.yaml'));
  assert.equal(e.bytes, 200 * 8192 + 22_500 * 4096 + 14_410_000 * 8);
});
