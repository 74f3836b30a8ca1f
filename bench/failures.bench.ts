// Whole-run benchmark with failures: 1,000 nodes, 30,000 pods (30 Deployments of 1,000), 24 h of
// simulated time with random node failures (every node: MTBF exponential, mean 200 h → about
// 1,000 × 24 / 200 ≈ 120 failures a day; MTTR lognormal p50 10 m, p99 2 h), the default control
// plane, leases, node lifecycle, taint eviction and replacements. Reports wall seconds for the
// whole run (target: under 60 s on a 2-core machine) and events per second.
// Standalone: `node dist/bench/failures.bench.js` (also part of `npm run bench` if registered).
import { fileURLToPath } from 'node:url';
import { parseScenario } from '../src/workload/scenario.js';
import { runScenario } from '../src/run/run-scenario.js';
import type { BenchRow } from './bench-row.js';

export function failuresScenarioText(nodes = 1000, deployments = 30, replicas = 1000, duration = '24h'): string {
  const deps = Array.from({ length: deployments }, (_, i) => `
  - name: app-${i}
    manifest:
      apiVersion: apps/v1
      kind: Deployment
      metadata: { name: app-${i} }
      spec:
        replicas: ${replicas}
        selector: { matchLabels: { app: app-${i} } }
        template:
          metadata: { labels: { app: app-${i} } }
          spec: { containers: [{ name: c, image: x, resources: { requests: { cpu: 100m, memory: 256Mi } } }] }`).join('');
  return `apiVersion: ksim/v1alpha1
kind: Scenario
metadata: { name: failures-bench }
seed: 1
duration: ${duration}
cluster:
  nodePools:
    - { name: general, count: ${nodes}, zones: [zone-a, zone-b, zone-c], allocatable: { cpu: "16", memory: 64Gi, pods: 110 } }
metrics: { sampleInterval: 10m }
workload:${deps}
faults:
  - random: { pool: general, mtbf: { exponential: { mean: 200h } }, mttr: { lognormal: { p50: 10m, p99: 2h } } }
`;
}

export function failuresBenchmarks(): BenchRow[] {
  const sc = parseScenario(failuresScenarioText(), '<bench failures>');
  const t0 = performance.now();
  const r = runScenario(sc);
  const wallS = (performance.now() - t0) / 1000;
  const name = '1000 nodes, 30000 pods, 24 h, random node failures';
  const rec = r.tables.find((t) => t.file === 'recovery.csv')?.rows.length ?? 0;
  return [
    { name, metric: 'wall_s', value: Number(wallS.toFixed(2)), unit: 's', target: { op: '<=', value: 60 } },
    { name, metric: 'events_per_s', value: Math.round(r.eventsProcessed / wallS), unit: 'events/s' },
    { name, metric: 'events', value: r.eventsProcessed, unit: 'events' },
    { name, metric: 'node_failures', value: rec, unit: 'failures' },
    { name, metric: 'pods_evicted', value: Number(r.summary['pods_evicted']), unit: 'pods' },
  ];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.table(failuresBenchmarks());
