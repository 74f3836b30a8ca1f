// The run command's progress snapshot: what the live line counts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { prepareRun } from '../run/run-scenario.js';
import { parseScenario } from '../workload/scenario.js';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../testing/temp-dir.js';
import { bigInputs, snapshot, wallTimeText } from './run-command.js';

const SCENARIO = `apiVersion: ksim/v1alpha1
kind: Scenario
duration: 5m
cluster:
  nodePools: [{ name: n, count: 1, allocatable: { cpu: "1", memory: 4Gi } }]
workload:
  - name: short
    rate: { perMinute: 60, count: 3 }
    runDuration: 10s
    manifest: { apiVersion: v1, kind: Pod, metadata: { name: short }, spec: { restartPolicy: Never, containers: [{ name: c, image: x, resources: { requests: { cpu: 400m } } }] } }
  - name: big
    manifest: { apiVersion: v1, kind: Pod, metadata: { name: big }, spec: { containers: [{ name: c, image: x, resources: { requests: { cpu: "2" } } }] } }
`;

test('the progress snapshot counts live pods only: finished pods still in the store are neither bound nor pending', () => {
  const run = prepareRun(parseScenario(SCENARIO, 's.yaml'));
  run.sim.run(2 * 60 * 1_000_000);
  const s = snapshot(run);
  // The three 10-second pods have finished (Succeeded, kept until the pod GC's threshold); the
  // 2-CPU pod fits nowhere.
  assert.equal([...run.cluster.pods.values()].filter((p) => p.phase === 'Succeeded').length, 3);
  assert.equal(s.podsBound, 0);
  assert.equal(s.podsPending, 1);
});

test('the run\'s last line gives the whole wall time and its parts', () => {
  assert.equal(wallTimeText(17_403, 11_097, 6_301), '17.40 s of wall time (11.10 s loading, 6.30 s simulating and writing)');
});

test('files read whole at load are announced when they are big: the snapshot folder\'s size and files; traces are not', () => {
  const dir = tempDir('ksim-big-inputs-');
  mkdirSync(join(dir, 'snap'));
  // Only their sizes are read: three 1 MiB "snapshot" parts, a 512 KiB workload file, a trace.
  for (const i of [0, 1, 2]) writeFileSync(join(dir, 'snap', `part-${i}.json`), ' '.repeat(2 ** 20));
  writeFileSync(join(dir, 'apps.yaml'), ' '.repeat(2 ** 19));
  writeFileSync(join(dir, 'trace.csv'), ' '.repeat(8 * 2 ** 20));
  writeFileSync(join(dir, 's.yaml'), 'apiVersion: ksim/v1alpha1\nkind: Scenario\nduration: 1m\ncluster: { file: snap }\nworkload:\n  - { name: apps, file: apps.yaml }\n  - { name: t, trace: { format: ksim-csv, file: trace.csv } }\n');
  assert.equal(bigInputs(join(dir, 's.yaml'), [], 3 * 2 ** 20), 'cluster snapshot 3.0 MiB in 3 files, workload files 0.5 MiB');
  // Under the threshold (the trace's 8 MiB do not count: it is read as the run goes): nothing.
  assert.equal(bigInputs(join(dir, 's.yaml'), [], 4 * 2 ** 20), null);
  // A scenario that cannot be read: nothing here, loading says why.
  assert.equal(bigInputs(join(dir, 'missing.yaml'), [], 0), null);
});

test('the inputs announced are those of the scenario as --set leaves it: a big cluster.file given by --set is announced, one --set replaces is not', () => {
  const dir = tempDir('ksim-big-inputs-set-');
  writeFileSync(join(dir, 'small.json'), ' '.repeat(2 ** 10));
  writeFileSync(join(dir, 'big.json'), ' '.repeat(2 * 2 ** 20));
  writeFileSync(join(dir, 's.yaml'), 'apiVersion: ksim/v1alpha1\nkind: Scenario\nduration: 1m\ncluster: { file: small.json }\nworkload: []\n');
  const file = join(dir, 's.yaml');
  // Before: the file's own cluster.file (1 KiB) only, whatever --set said.
  assert.equal(bigInputs(file, [], 2 ** 20), null);
  assert.equal(bigInputs(file, ['cluster.file=big.json'], 2 ** 20), 'cluster snapshot 2.0 MiB');
  assert.equal(bigInputs(file, ['cluster.file=[big.json, small.json]'], 2 ** 20), 'cluster snapshot 2.0 MiB in 2 files');
  // A --set that cannot apply: nothing here, loading says why.
  assert.equal(bigInputs(file, ['workload[3].name=x'], 0), null);
});
