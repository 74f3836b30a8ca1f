// runScenarioInSlices: a stop asked during the last slice still stops the run, and slices end by
// wall time when events are slow, without changing the run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseScenario } from '../workload/scenario.js';
import { runScenario, runScenarioInSlices, SLICE_MS } from './run-scenario.js';

const SCENARIO = `apiVersion: ksim/v1alpha1
kind: Scenario
duration: 2m
cluster:
  nodePools: [{ name: n, count: 3, allocatable: { cpu: "8", memory: 32Gi } }]
workload:
  - name: web
    manifest:
      apiVersion: apps/v1
      kind: Deployment
      metadata: { name: web }
      spec:
        replicas: 5
        selector: { matchLabels: { app: web } }
        template:
          metadata: { labels: { app: web } }
          spec: { containers: [{ name: c, image: x, resources: { requests: { cpu: 100m } } }] }
`;

test('a stop asked while the last slice ran ends the run with no result (it used to finish and write)', async () => {
  const scenario = parseScenario(SCENARIO, 'slices.yaml');
  let asked = 0;
  // One slice holds the whole run: shouldStop is asked once, after it.
  const r = await runScenarioInSlices(scenario, {}, () => ++asked > 0, 1e9);
  assert.equal(r, null);
  assert.equal(asked, 1);
});

test('a signal that came while the run was prepared is heard before its first event (stopBeforeStart)', async () => {
  const scenario = parseScenario(SCENARIO, 'slices.yaml');
  let heard: NodeJS.Signals | null = null;
  const onSignal = (s: NodeJS.Signals) => {
    heard = s;
  };
  process.on('SIGUSR2', onSignal);
  try {
    // Sent before the synchronous preparation, as a Ctrl-C during the loading: its handler runs
    // only when the event loop turns.
    process.kill(process.pid, 'SIGUSR2');
    let slices = 0;
    const r = await runScenarioInSlices(scenario, {}, () => (slices++, false), 1e9, undefined, () => heard !== null);
    assert.equal(r, null);
    assert.equal(slices, 0);
    // Without a signal the run goes on, and stopBeforeStart is not asked again.
    heard = null;
    let asked = 0;
    const done = await runScenarioInSlices(scenario, {}, () => false, 1e9, undefined, () => (asked++, false));
    assert.ok(done !== null);
    assert.equal(asked, 1);
  } finally {
    process.off('SIGUSR2', onSignal);
  }
});

test('slices end after SLICE_MS of wall time: with every event taking 40 ms of a fake clock, a slice holds 3 events; the run is the same', async () => {
  const scenario = parseScenario(SCENARIO, 'slices.yaml');
  let now = 0;
  const nowMs = () => (now += 40);
  let slices = 0;
  const r = await runScenarioInSlices(scenario, {}, () => (slices++, false), 1e9, nowMs);
  assert.ok(r !== null);
  const events = Number(r.summary['events']);
  // The clock is read at a slice's start and after each event (events are slow: the stride stays
  // 1): 40, 80, 120 ms after the start the deadline of 100 ms has passed, after 3 events.
  assert.equal(SLICE_MS, 100);
  assert.equal(slices, Math.ceil(events / 3));
  assert.deepEqual(r.summary, runScenario(scenario).summary);
});

test('quick events: the clock is read every 1, 2, 4, ... up to 256 events', async () => {
  const scenario = parseScenario(SCENARIO.replace('duration: 2m', 'duration: 30m'), 'slices.yaml');
  let reads = 0;
  const r = await runScenarioInSlices(scenario, {}, () => false, 1e9, () => (reads++, 0));
  assert.ok(r !== null);
  const events = Number(r.summary['events']);
  // One slice (the clock never moves): one read at its start, then after events 1, 3, 7, ...,
  // 255, then every 256 (511, 767, ...).
  let expected = 1;
  for (let at = 0, stride = 1; at + stride <= events; stride = Math.min(2 * stride, 256)) {
    at += stride;
    expected++;
  }
  assert.ok(events > 1000, String(events));
  assert.equal(reads, expected);
});
