// The run pool: results in task order whatever the worker count, failures as results, a dying
// worker replaced and its task retried once, abort leaving queued tasks unrun.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoPath } from '../testing/repo-paths.js';
import { tempDir } from '../testing/temp-dir.js';
import { runPool, type RunTask, type RunTaskResult } from './pool.js';

const QUICKSTART = repoPath('scenarios/quickstart.yaml');
const SHORT = ['duration=5m'];

const tasks: RunTask[] = [1, 2, 3, 4].map((seed) => ({ scenario: QUICKSTART, seed, set: SHORT }));

/** A scenario whose scheduler loads a plugin module with `body` as its factory's first lines. */
function scenarioWithPlugin(dir: string, body: string): string {
  writeFileSync(join(dir, 'plugin.js'), `import { existsSync, writeFileSync } from 'node:fs';
export const plugins = { Probe: (args) => { ${body}; return { name: 'Probe', score: () => 0 }; } };
`);
  const file = join(dir, 'scenario.yaml');
  writeFileSync(file, `apiVersion: ksim/v1alpha1
kind: Scenario
duration: 2m
cluster: { nodePools: [{ name: p, count: 2, allocatable: { cpu: "4", memory: 16Gi, pods: 110 } }] }
scheduler:
  pluginModules: [plugin.js]
  config:
    apiVersion: kubescheduler.config.k8s.io/v1
    kind: KubeSchedulerConfiguration
    profiles:
      - plugins: { score: { enabled: [{ name: Probe }] } }
        pluginConfig: [{ name: Probe, args: { marker: ${JSON.stringify(join(dir, 'crashed-once'))} } }]
workload:
  - name: w
    at: 0s
    manifest: { apiVersion: v1, kind: Pod, metadata: { name: p0 }, spec: { containers: [{ name: c, image: x, resources: { requests: { cpu: "1" } } }] } }
`);
  return file;
}

test('one worker and two workers give the same results, delivered in task order', async () => {
  const order: number[][] = [[], []];
  const one = await runPool(tasks, { workers: 1, onResult: (i) => order[0]!.push(i) });
  const two = await runPool(tasks, { workers: 2, onResult: (i) => order[1]!.push(i) });
  assert.deepEqual(order, [[0, 1, 2, 3], [0, 1, 2, 3]]);
  const summaries = (rs: RunTaskResult[]) => rs.map((r) => (r.status === 'ok' ? r.summary : r));
  assert.deepEqual(summaries(two), summaries(one));
  assert.deepEqual(one.map((r) => r.status === 'ok' && r.summary['seed']), [1, 2, 3, 4]);
  assert.equal(one[0]!.status === 'ok' && one[0]!.summary['sim_duration_s'], 300);
});

test('a task that fails is an error result naming the cause; the others run', async () => {
  const rs = await runPool([tasks[0]!, { scenario: QUICKSTART, set: ['cluster.nodePools[0].count=-1'] }, tasks[1]!], { workers: 2 });
  assert.deepEqual(rs.map((r) => r.status), ['ok', 'error', 'ok']);
  const e = rs[1]!;
  assert.ok(e.status === 'error' && e.inputError);
  assert.match(e.error, /nodePools\[0\]\.count/);
});

test('a task with an output folder writes the usual outputs there', async () => {
  const dir = join(tempDir('ksim-pool-out-'), 'run');
  const [r] = await runPool([{ ...tasks[0]!, output: dir, runJson: { run_id: 'r1' } }], { workers: 1 });
  assert.equal(r!.status, 'ok');
  assert.deepEqual(readdirSync(dir).sort(), ['jobs.csv', 'nodes.csv', 'placements.csv', 'pods.csv', 'run.json', 'summary.csv', 'timeseries.csv', 'workloads.csv']);
});

test('a worker that dies is replaced and its task retried once; dying twice is a crash result', async () => {
  const once = tempDir('ksim-pool-once-');
  const always = tempDir('ksim-pool-always-');
  const crashOnce = scenarioWithPlugin(once, 'if (!existsSync(args.marker)) { writeFileSync(args.marker, ""); process.exit(7); }');
  const crashAlways = scenarioWithPlugin(always, 'process.exit(7)');
  const rs = await runPool([{ scenario: crashOnce }, { scenario: crashAlways }, tasks[0]!], { workers: 2 });
  assert.deepEqual(rs.map((r) => r.status), ['ok', 'crashed', 'ok']);
  assert.ok(existsSync(join(once, 'crashed-once')));
  assert.equal(rs[1]!.status === 'crashed' && rs[1]!.error, 'process.exit(7) was called during the run (by a plugin module?), twice: retried once');
});

test('an aborted pool leaves the tasks not yet finished interrupted', async () => {
  const ac = new AbortController();
  const rs = await runPool(tasks, {
    workers: 1,
    signal: ac.signal,
    onSettled: () => ac.abort(),
  });
  assert.equal(rs[0]!.status, 'ok');
  assert.deepEqual(rs.slice(1).map((r) => r.status), ['interrupted', 'interrupted', 'interrupted']);
});

test('a callback that throws rejects the pool and stops it', async () => {
  const started: number[] = [];
  await assert.rejects(
    runPool(tasks, { workers: 1, onSettled: (i) => { started.push(i); throw new Error('callback failed'); } }),
    /callback failed/,
  );
  assert.deepEqual(started, [0]);
});
