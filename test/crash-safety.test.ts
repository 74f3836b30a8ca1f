// A killed or interrupted run never leaves a half-written output folder; a scenario too big for
// memory is refused before it starts; a folder that is not ksim's is never replaced.
import { test } from 'node:test';
import { totalmem } from 'node:os';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KSIM_BIN, REPO_ROOT } from '../src/testing/repo-paths.js';
import { tempDir } from '../src/testing/temp-dir.js';

const FILES = ['events.csv', 'jobs.csv', 'nodes.csv', 'placements.csv', 'pods.csv', 'run.json', 'summary.csv', 'timeseries.csv', 'workloads.csv'];

function scenarioFile(dir: string, replicas: number, duration: string, runDuration: string): string {
  const f = join(dir, 'big.yaml');
  writeFileSync(f, `apiVersion: ksim/v1alpha1
kind: Scenario
metadata: { name: big }
duration: ${duration}
cluster:
  nodePools: [{ name: n, count: 300, zones: [a, b, c], allocatable: { cpu: "16", memory: 64Gi } }]
workload:
  - name: web
    runDuration: ${runDuration}
    manifest:
      apiVersion: apps/v1
      kind: Deployment
      metadata: { name: web }
      spec:
        replicas: ${replicas}
        selector: { matchLabels: { app: web } }
        template:
          metadata: { labels: { app: web } }
          spec: { containers: [{ name: c, image: x, resources: { requests: { cpu: 100m, memory: 128Mi } } }] }
`);
  return f;
}

/** The output folder is absent, or holds one complete set of outputs. */
function assertCompleteOrAbsent(out: string): 'absent' | 'complete' {
  if (!existsSync(out)) return 'absent';
  assert.deepEqual(readdirSync(out).sort(), FILES);
  const run = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as { events: number };
  for (const f of FILES.filter((x) => x.endsWith('.csv'))) assert.ok(readFileSync(join(out, f), 'utf8').endsWith('\n'), `${f} is cut`);
  const events = readFileSync(join(out, 'events.csv'), 'utf8').trimEnd().split('\n').length - 1;
  assert.equal(events, run.events, 'events.csv and run.json come from different runs');
  return 'complete';
}

test('SIGINT stops a run, says where, exits 130 and writes nothing', async () => {
  const dir = tempDir('ksim-int-');
  const file = scenarioFile(dir, 3000, '8h', '10m');
  const out = join(dir, 'out');
  // A progress line after every slice of events: the signal is sent once the run is running
  // (on a loaded machine a fixed delay could hit the process while it still loads).
  const child = spawn(process.execPath, [KSIM_BIN, 'run', file, '-o', out], { cwd: REPO_ROOT, env: { ...process.env, KSIM_PROGRESS_INTERVAL_MS: '0' } });
  const exited = new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
  let stderr = '';
  let sent = false;
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
    if (!sent && stderr.includes(' ev/s ')) {
      sent = true;
      child.kill('SIGINT');
    }
  });
  const code = await exited;
  assert.equal(code, 130, stderr);
  const lines = stderr.split('\n');
  assert.match(lines[0] as string, /^ksim big \S+ .* ev\/s /);
  assert.match(stderr, /\nksim: interrupted by SIGINT at simulated time \d+\.\d{3} s after \d+ events; nothing was written to .*out\/\n$/);
  assert.equal(existsSync(out), false);
});

test('SIGINT or SIGTERM while the scenario loads, before the simulation starts, says so, exits 130/143 and writes nothing', () => {
  // The signal is sent from inside the loading, so it comes at a known moment: from a plugin
  // module's top level (while the modules load) and from its plugin factory (called as the run
  // is prepared: synchronous work, after which the signal is heard before the first event). It
  // ended the process with no message (no handler was installed until the simulation started).
  const dir = tempDir('ksim-int-load-');
  const scenario = (module: string) => {
    const file = join(dir, `${module}.yaml`);
    writeFileSync(file, `apiVersion: ksim/v1alpha1
kind: Scenario
duration: 1m
scheduler:
  pluginModules: [${module}.js]
  config:
    apiVersion: kubescheduler.config.k8s.io/v1
    kind: KubeSchedulerConfiguration
    profiles: [{ plugins: { multiPoint: { enabled: [{ name: Signaller }] } } }]
cluster:
  nodePools: [{ name: n, count: 2, allocatable: { cpu: "4", memory: 16Gi } }]
workload:
  - name: p
    manifest: { apiVersion: v1, kind: Pod, metadata: { name: p }, spec: { containers: [{ name: c, image: x }] } }
`);
    return file;
  };
  const plugin = (atTop: string, inFactory: string) => `${atTop}
export const plugins = {
  Signaller: () => { ${inFactory} return { name: 'Signaller', filter() { return null; } }; },
};
`;
  writeFileSync(join(dir, 'top.js'), plugin("process.kill(process.pid, 'SIGINT');", ''));
  writeFileSync(join(dir, 'factory.js'), plugin('', "process.kill(process.pid, 'SIGINT');"));
  writeFileSync(join(dir, 'term.js'), plugin('', "process.kill(process.pid, 'SIGTERM');"));
  for (const [module, signal, code] of [['top', 'SIGINT', 130], ['factory', 'SIGINT', 130], ['term', 'SIGTERM', 143]] as const) {
    const out = join(dir, `out-${module}`);
    const r = spawnSync(process.execPath, [KSIM_BIN, 'run', scenario(module), '-o', out], { cwd: REPO_ROOT, encoding: 'utf8' });
    assert.deepEqual([r.status, r.signal], [code, null], `${module}: ${r.stderr}`);
    assert.equal(r.stderr.replace(dir, 'DIR'), `ksim: interrupted by ${signal} while loading the scenario, before the simulation started; nothing was written to DIR/out-${module}/\n`);
    assert.equal(existsSync(out), false);
  }
});

test('a run killed at any moment leaves the previous complete output, the new one, or none', async () => {
  const dir = tempDir('ksim-kill-');
  const file = scenarioFile(dir, 600, '30m', '5m');
  const out = join(dir, 'out');
  const first = spawnSync(process.execPath, [KSIM_BIN, 'run', file, '-o', out, '--events'], { cwd: REPO_ROOT, encoding: 'utf8' });
  assert.equal(first.status, 0, first.stderr);
  assertCompleteOrAbsent(out);
  // How long a whole run takes here, then kills spread over the run and its writing.
  const t0 = Date.now();
  spawnSync(process.execPath, [KSIM_BIN, 'run', file, '-o', join(dir, 'timing'), '--events', '--seed', '2'], { cwd: REPO_ROOT });
  const full = Date.now() - t0;
  for (let i = 0; i < 6; i++) {
    const child = spawn(process.execPath, [KSIM_BIN, 'run', file, '-o', out, '--events', '--seed', String(10 + i)], { cwd: REPO_ROOT, stdio: 'ignore' });
    const exited = new Promise((r) => child.on('exit', r)); // listen first: it may finish before the kill
    await new Promise((r) => setTimeout(r, Math.round(full * (0.5 + 0.1 * i))));
    child.kill('SIGKILL');
    await exited;
    assertCompleteOrAbsent(out);
  }
  // The next run cleans up what killed runs left beside the folder.
  const again = spawnSync(process.execPath, [KSIM_BIN, 'run', file, '-o', out, '--events'], { cwd: REPO_ROOT, encoding: 'utf8' });
  assert.equal(again.status, 0, again.stderr);
  assert.deepEqual(readdirSync(dir).filter((e) => e.includes('.ksim-')), []);
  assert.equal(assertCompleteOrAbsent(out), 'complete');
});

test('a scenario that needs far more memory than the machine has is refused at once', () => {
  const dir = tempDir('ksim-mem-');
  const file = scenarioFile(dir, 50_000_000, '1h', 'forever');
  const r = spawnSync(process.execPath, [KSIM_BIN, 'run', file, '-o', join(dir, 'out')], { cwd: REPO_ROOT, encoding: 'utf8' });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /^ksim: .*big\.yaml: workload: expected a workload that fits in memory: this one needs about 191\.1 GiB \(300 nodes, 50,000,000 pods at once, 50,000,000 created\), and a heap of 238\.9 GiB would be more than 75 % of this machine's \d+\.\d GiB\. Simulate a sample/);
  assert.equal(existsSync(join(dir, 'out')), false);
});

// 1,250,000 replicas are estimated at 4.8 GiB, more than 80 % of Node.js's default heap here
// (4 GiB); in 2 simulated seconds the controller-manager's 20 QPS create a few dozen of them.
const REPLICAS_FOR_6119_MIB = 1_250_000;

test('a run that needs more heap than Node.js gives by default runs again with enough, when the machine has it', { skip: totalmem() < 8.2 * 2 ** 30 ? 'this machine has less than 8.2 GiB' : false }, () => {
  const dir = tempDir('ksim-heap-');
  const file = scenarioFile(dir, REPLICAS_FOR_6119_MIB, '2s', 'forever');
  const env = { ...process.env, NODE_OPTIONS: '' };
  const r = spawnSync(process.execPath, [KSIM_BIN, 'run', file, '-o', join(dir, 'out')], { cwd: REPO_ROOT, encoding: 'utf8', env });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /^ksim: this run needs about 4\.8 GiB: running it again with --max-old-space-size=6119\n/);
  // The child prints the rest once: the warnings and the summary.
  assert.equal(r.stderr.match(/ends with \d+ of 1250000 replicas ready/g)?.length, 1, r.stderr);
  assert.match(r.stdout, /^ {2}replicas_desired_end +1250000$/m);
  assert.equal(readFileSync(join(dir, 'out', 'summary.csv'), 'utf8').split('\n')[1]?.split(',')[0], 'big');
  // --quiet: no note.
  const q = spawnSync(process.execPath, [KSIM_BIN, 'run', file, '-o', join(dir, 'out'), '-q'], { cwd: REPO_ROOT, encoding: 'utf8', env });
  assert.equal(q.status, 0, q.stderr);
  assert.doesNotMatch(q.stderr, /running it again/);
  // A heap size the user chose is kept: the run is refused instead.
  for (const [args, options] of [[['--max-old-space-size=4096'], ''], [[], '--max-old-space-size=4096']] as const) {
    const u = spawnSync(process.execPath, [...args, KSIM_BIN, 'run', file, '-o', join(dir, 'refused')], { cwd: REPO_ROOT, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: options } });
    assert.equal(u.status, 2, u.stderr);
    assert.match(u.stderr, /this one needs about 4\.8 GiB \(300 nodes, 1,250,000 pods at once, 1,250,000 created\), and the heap size given to Node\.js \(4\.0 GiB\) is too small\./);
    assert.equal(existsSync(join(dir, 'refused')), false);
  }
});

// A plugin module that does nothing but note the heap limit of the worker thread loading it.
const HEAP_SPY = `import { getHeapStatistics } from 'node:v8';
import { appendFileSync } from 'node:fs';
appendFileSync(new URL('./heap.txt', import.meta.url), Math.round(getHeapStatistics().heap_size_limit / 2 ** 20) + '\\n');
export const plugins = {};
`;

test('ksim sweep and ksim capacity --nodes-for give their workers the heap a run needs, and run no more at once than the machine holds', { skip: totalmem() < 8.2 * 2 ** 30 ? 'this machine has less than 8.2 GiB' : false }, () => {
  const dir = tempDir('ksim-pool-heap-');
  const file = scenarioFile(dir, REPLICAS_FOR_6119_MIB, '2s', 'forever');
  writeFileSync(file, `${readFileSync(file, 'utf8')}scheduler: { pluginModules: [heap-spy.js] }\n`);
  writeFileSync(join(dir, 'heap-spy.js'), HEAP_SPY);
  const env = { ...process.env, NODE_OPTIONS: '' };
  const heaps = () => readFileSync(join(dir, 'heap.txt'), 'utf8').trim().split('\n').map(Number);
  // 6119 MiB of old space a run; 75 % of this machine holds this many of them.
  const fit = Math.floor((0.75 * totalmem()) / (6119 * 2 ** 20));
  const sweep = spawnSync(process.execPath, [KSIM_BIN, 'sweep', file, '--seeds', '1-2', '--workers', '8', '-o', join(dir, 'sweep')], { cwd: REPO_ROOT, encoding: 'utf8', env });
  assert.equal(sweep.status, 0, sweep.stderr);
  const fewer = fit < 8 ? `; ${fit} run${fit === 1 ? '' : 's'} at a time, not 8, so that they fit in this machine's ${(totalmem() / 2 ** 30).toFixed(1)} GiB` : '';
  assert.equal(sweep.stderr, `ksim: each run needs about 4.8 GiB: its worker gets a heap of 6119 MiB${fewer}\n`);
  assert.match(sweep.stdout, new RegExp(`^ksim sweep big: 2 runs, ${Math.min(2, fit)} workers?$`, 'm'));
  // Each worker's limit: the old space asked for and V8's young generation (16–64 MiB).
  for (const h of heaps()) assert.ok(h >= 6119 + 16 && h <= 6119 + 64, `a worker's heap limit of ${h} MiB`);
  // --quiet: nothing on stderr.
  const q = spawnSync(process.execPath, [KSIM_BIN, 'sweep', file, '--seeds', '3', '-q', '-o', join(dir, 'sweep-q')], { cwd: REPO_ROOT, encoding: 'utf8', env });
  assert.equal(q.status, 0, q.stderr);
  assert.equal(q.stderr, '');

  writeFileSync(join(dir, 'heap.txt'), '');
  const cap = spawnSync(process.execPath, [KSIM_BIN, 'capacity', file, '--nodes-for', 'n', '--workers', '2', '-o', join(dir, 'cap')], { cwd: REPO_ROOT, encoding: 'utf8', env });
  assert.equal(cap.status, 0, cap.stderr);
  assert.match(cap.stderr, /^ksim: each run needs about 4\.8 GiB: its worker gets a heap of 6119 MiB\n/);
  // At 20 QPS the controller-manager creates a few dozen replicas in 2 s, at any pool size.
  assert.match(cap.stdout, /^More nodes of pool n do not help missing=0/m);
  // Every probe ran in a worker with the heap, none in the CLI's own thread (its default heap),
  // and so did the check of the scheduler configuration before any probe (its plugin module
  // loaded once more, in a worker with the runs' heap: src/sweep/check-configs.ts).
  const probes = Number(/\((\d+) simulations,/.exec(cap.stdout)?.[1]);
  assert.ok(probes >= 2, cap.stdout);
  assert.equal(heaps().length, probes + 1);
  for (const h of heaps()) assert.ok(h >= 6119 + 16 && h <= 6119 + 64, `a worker's heap limit of ${h} MiB`);

  // A heap given to Node.js is kept, and too small for a run: refused, nothing written.
  const u = spawnSync(process.execPath, [KSIM_BIN, 'sweep', file, '--seeds', '1-2', '-o', join(dir, 'refused')], { cwd: REPO_ROOT, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '--max-old-space-size=4096' } });
  assert.equal(u.status, 2, u.stderr);
  assert.match(u.stderr, /^ksim: .*big\.yaml: workload: expected a workload that fits in memory: each run needs about 4\.8 GiB \(300 nodes, 1,250,000 pods at once, 1,250,000 created\), and the heap size given to Node\.js \(4\.0 GiB\) is too small\./);
  assert.equal(existsSync(join(dir, 'refused')), false);
});

test('a plugin module that calls process.exit(0) mid-run makes ksim run exit 1, saying so, with nothing written (exit 0 read as success)', () => {
  const dir = tempDir('ksim-plugin-exit-');
  writeFileSync(join(dir, 'quitter.js'), `export const plugins = {
  Quitter: () => ({ name: 'Quitter', filter() { process.exit(0); } }),
};
`);
  const file = join(dir, 'quit.yaml');
  writeFileSync(file, `apiVersion: ksim/v1alpha1
kind: Scenario
duration: 1m
scheduler:
  pluginModules: [quitter.js]
  config:
    apiVersion: kubescheduler.config.k8s.io/v1
    kind: KubeSchedulerConfiguration
    profiles: [{ plugins: { multiPoint: { enabled: [{ name: Quitter }] } } }]
cluster:
  nodePools: [{ name: n, count: 2, allocatable: { cpu: "4", memory: 16Gi } }]
workload:
  - name: p
    manifest: { apiVersion: v1, kind: Pod, metadata: { name: p }, spec: { containers: [{ name: c, image: x }] } }
`);
  const r = spawnSync(process.execPath, [KSIM_BIN, 'run', file, '-o', join(dir, 'out')], { cwd: REPO_ROOT, encoding: 'utf8' });
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /^ksim: error: process\.exit\(0\) was called during the run \(by a plugin module\?\): the run did not finish, nothing was written to .*out\/\n$/);
  assert.equal(existsSync(join(dir, 'out')), false);
});

test('an output folder that is not a ksim output folder is never replaced', () => {
  const dir = tempDir('ksim-own-');
  const mine = join(dir, 'mine');
  mkdirSync(mine);
  writeFileSync(join(mine, 'notes.txt'), 'keep me');
  const r = spawnSync(process.execPath, [KSIM_BIN, 'run', 'scenarios/quickstart.yaml', '-o', mine], { cwd: REPO_ROOT, encoding: 'utf8' });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /expected an empty or previous ksim output folder/);
  assert.equal(readFileSync(join(mine, 'notes.txt'), 'utf8'), 'keep me');
});
