// End-to-end: the ksim command as a user runs it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { KSIM_BIN, REPO_ROOT } from '../src/testing/repo-paths.js';
import { tempDir } from '../src/testing/temp-dir.js';

function ksim(...args: string[]) {
  return spawnSync(process.execPath, [KSIM_BIN, ...args], { cwd: REPO_ROOT, encoding: 'utf8' });
}

const CSVS = ['nodes.csv', 'placements.csv', 'summary.csv', 'timeseries.csv'];

function runTo(dir: string, ...extra: string[]): Record<string, string> {
  const r = ksim('run', 'scenarios/quickstart.yaml', '-o', dir, ...extra);
  assert.equal(r.status, 0, r.stderr);
  return Object.fromEntries(CSVS.map((f) => [f, readFileSync(join(dir, f), 'utf8')]));
}

test('ksim run writes every output and prints the summary', () => {
  const dir = tempDir('ksim-run-');
  const r = ksim('run', 'scenarios/quickstart.yaml', '-o', dir);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^ksim run quickstart \(seed 42\)\n/);
  assert.match(r.stdout, /\n {2}pods_bound {2,}\d+\n/);
  assert.deepEqual(readdirSync(dir).sort(), ['jobs.csv', 'nodes.csv', 'placements.csv', 'pods.csv', 'run.json', 'summary.csv', 'timeseries.csv', 'workloads.csv']);
  const summary = readFileSync(join(dir, 'summary.csv'), 'utf8').trim().split('\n');
  assert.equal(summary[0], 'scenario,seed,sim_duration_s,pods_submitted,pods_bound,pods_unbound_end,replicas_desired_end,replicas_ready_end,sched_attempts,sched_latency_p50_ms,sched_latency_p99_ms,startup_latency_p50_ms,startup_latency_p99_ms,cpu_requested_mean_ratio,memory_requested_mean_ratio,events,node_failures,pods_evicted,reschedule_p50_s,reschedule_p99_s,time_to_full_availability_max_s,available_min_ratio,container_restarts,cpu_requested_peak_ratio,memory_requested_peak_ratio,requested_peak_s,cost_per_hour,pods_deleted_unbound,sched_latency_max_ms,pods_waited_over_60s');
  const row = summary[1]?.split(',') ?? [];
  assert.equal(row[0], 'quickstart');
  assert.equal(row[1], '42');
  assert.equal(row[2], '1800');
  // 12 web replicas + 300 batch pods + 1 pod too big for any node.
  assert.equal(row[3], '313');
  const run = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as Record<string, unknown>;
  assert.equal(run['seed'], 42);
  assert.equal(run['clock_start'], '2026-01-01T00:00:00Z', 'no cluster snapshot: the default wall clock');
  assert.equal(typeof run['wall_time_ms'], 'number');
  // Loading (the process's start, reading and hashing the inputs) is its own field, and the last
  // line gives the whole time and both parts.
  assert.equal(typeof run['load_time_ms'], 'number');
  assert.ok((run['load_time_ms'] as number) > 0);
  assert.match(r.stdout, /\nWrote summary\.csv, .*, run\.json to .* in (\d+\.\d\d) s of wall time \((\d+\.\d\d) s loading, (\d+\.\d\d) s simulating and writing\)\.\n$/);
  assert.match(String((run['scenario'] as Record<string, unknown>)['sha256']), /^[0-9a-f]{64}$/);
});

test('a run relaunched with more heap reports the wall time of the whole command, the parent\'s time before the relaunch included', () => {
  // What relaunchWithHeap gives the child: its heap, and the parent's start (here 60 s ago, far
  // more than the run takes even on a loaded machine).
  const dir = tempDir('ksim-relaunched-');
  const r = spawnSync(process.execPath, [KSIM_BIN, 'run', 'scenarios/quickstart.yaml', '-o', dir], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    env: { ...process.env, KSIM_HEAP_MIB: '4096', KSIM_STARTED_AT_MS: String(Date.now() - 60_000) },
  });
  assert.equal(r.status, 0, r.stderr);
  const m = /in (\d+\.\d\d) s of wall time \((\d+\.\d\d) s loading, (\d+\.\d\d) s simulating and writing\)\.\n$/.exec(r.stdout);
  assert.ok(m !== null, r.stdout);
  // Before: counted from the child's start, 0.4 s in all on a quiet machine.
  assert.ok(Number(m[1]) >= 60 && Number(m[2]) >= 60, m[0]);
  const run = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as Record<string, number>;
  assert.ok(run['load_time_ms']! >= 60_000, String(run['load_time_ms']));
  // The parent's time is loading, not simulating.
  assert.ok(run['wall_time_ms']! < 60_000, String(run['wall_time_ms']));
});

test('the same scenario and seed give byte-identical CSVs; another seed gives other placements', () => {
  const a = runTo(tempDir('ksim-det-a-'));
  const b = runTo(tempDir('ksim-det-b-'));
  for (const f of CSVS) assert.equal(a[f], b[f], `${f} differs between identical runs`);
  const c = runTo(tempDir('ksim-det-c-'), '--seed', '43');
  assert.notEqual(a['placements.csv'], c['placements.csv']);
});

test('--events writes one events.csv row per simulation event', () => {
  const dir = tempDir('ksim-ev-');
  runTo(dir, '--events');
  const events = readFileSync(join(dir, 'events.csv'), 'utf8').trim().split('\n');
  assert.equal(events[0], 'time_s,seq,kind,object,detail');
  const [header, values] = readFileSync(join(dir, 'summary.csv'), 'utf8').trim().split('\n').map((l) => l.split(','));
  assert.equal(String(events.length - 1), values?.[header?.indexOf('events') ?? -1]);
});

test('--set changes the scenario before it runs', () => {
  const dir = tempDir('ksim-set-');
  const r = ksim('run', 'scenarios/quickstart.yaml', '-o', dir, '--set', 'cluster.nodePools[0].count=2', '--set', 'duration=5m');
  assert.equal(r.status, 0, r.stderr);
  const nodes = readFileSync(join(dir, 'nodes.csv'), 'utf8').trim().split('\n');
  assert.deepEqual(nodes.slice(1).map((l) => l.split(',')[0]), ['general-0', 'general-1', 'big-0', 'big-1']);
  assert.match(readFileSync(join(dir, 'summary.csv'), 'utf8'), /\nquickstart,42,300,/);
});

test('usage errors exit 2 with a hint; --help exits 0', () => {
  const noCmd = ksim();
  assert.equal(noCmd.status, 2);
  assert.match(noCmd.stderr, /Name a command/);
  const badOpt = ksim('run', 'scenarios/quickstart.yaml', '--sead', '3');
  assert.equal(badOpt.status, 2);
  assert.match(badOpt.stderr, /Unknown argument: sead/);
  const badSeed = ksim('run', 'scenarios/quickstart.yaml', '--seed', '-4');
  assert.equal(badSeed.status, 2);
  assert.match(badSeed.stderr, /--seed: expected an integer/);
  const missing = ksim('run', 'nope.yaml');
  assert.equal(missing.status, 2);
  assert.equal(missing.stderr, 'ksim: nope.yaml: expected a readable file, got no such file\n');
  const help = ksim('run', '--help');
  assert.equal(help.status, 0);
  assert.match(help.stdout, /--seed/);
});

test('ksim run warns about a workload ending short, on stderr and in run.json; placements.csv reasons read back intact', () => {
  const dir = tempDir('ksim-short-');
  const r = ksim('run', 'test/scenarios/short-deployment.yaml', '-o', dir);
  assert.equal(r.status, 0, r.stderr);
  const warning =
    'Deployment default/web ends with 1 of 3 replicas ready: 2 unschedulable, by latest reason: 2 "0/3 nodes are available: 1 Insufficient memory, 2 Insufficient cpu. ' +
    'preemption: 0/3 nodes are available: 1 No preemption victims found for incoming pod, 2 Preemption is not helpful for scheduling."';
  assert.equal(r.stderr, `ksim: warning: ${warning}\n`);
  const run = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as Record<string, unknown>;
  assert.deepEqual(run['warnings'], [warning]);
  // The reason holds commas: the file must quote it so that a CSV reader gets it back whole.
  const rows = parse(readFileSync(join(dir, 'placements.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
  const failed = rows.filter((x) => x['result'] === 'unschedulable');
  assert.equal(failed.length, 2);
  for (const x of failed) {
    assert.equal(x['reason'], '0/3 nodes are available: 1 Insufficient memory, 2 Insufficient cpu. preemption: 0/3 nodes are available: 1 No preemption victims found for incoming pod, 2 Preemption is not helpful for scheduling.');
    assert.equal(x['queue_wait_ms'], '0');
  }
  const summary = parse(readFileSync(join(dir, 'summary.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
  assert.deepEqual([summary[0]?.['pods_unbound_end'], summary[0]?.['replicas_desired_end'], summary[0]?.['replicas_ready_end']], ['2', '3', '1']);
});

test('the placements.csv ksim run streams holds every row the library run keeps: evictions and Terminating pods gone', async () => {
  const { loadScenario, runScenario, toCsv } = await import('../src/index.js');
  const dir = tempDir('ksim-cli-');
  const r = ksim('run', 'scenarios/zone-outage.yaml', '-o', dir);
  assert.equal(r.status, 0, r.stderr);
  const streamed = readFileSync(join(dir, 'placements.csv'), 'utf8');
  const lib = runScenario(loadScenario(join(REPO_ROOT, 'scenarios/zone-outage.yaml')));
  const table = lib.tables.find((t) => t.file === 'placements.csv');
  assert.ok(table);
  assert.equal(streamed, toCsv(table));
  const rows = parse(streamed, { columns: true }) as Array<Record<string, string>>;
  // zone-a's 6 evicted pods stay Terminating on its dead nodes until they return at 1020 s.
  assert.equal(rows.filter((x) => x['result'] === 'evicted').length, 6);
  const gone = rows.filter((x) => x['result'] === 'terminated');
  assert.equal(gone.length, 6);
  for (const g of gone) assert.ok(Number(g['time_s']) >= 1020 && Number(g['time_s']) < 1021, String(g['time_s']));
});

test('an output path ksim cannot write to (a file or folder in the way) exits 2 naming it, for run, sweep, import and report, and writes nothing; import makes a missing folder as run -o does', () => {
  const dir = tempDir('ksim-out-path-');
  const file = join(dir, 'a-file');
  writeFileSync(file, 'not a folder\n');
  const cases: [string[], string][] = [
    [['run', 'scenarios/quickstart.yaml', '-o', join(file, 'out'), '-q'], join(file, 'out')],
    [['sweep', 'scenarios/quickstart.yaml', '--seeds', '1', '-o', join(file, 'sweep'), '-q'], join(file, 'sweep')],
    [['import', 'test/snapshots/shop', '-o', join(file, 'prod.yaml')], join(file, 'prod.yaml')],
  ];
  for (const [args, shown] of cases) {
    const r = ksim(...args);
    assert.equal(r.status, 2, `${args[0]}: ${r.stderr}`);
    assert.match(r.stderr, new RegExp(`^ksim: ${shown.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: expected a place ksim can write to, got a file in the way at .*a-file\\n$`), args[0]);
  }
  assert.deepEqual(readdirSync(dir), ['a-file']);
  const run = tempDir('ksim-out-path-run-');
  runTo(run, '-q');
  const report = ksim('report', run, '-o', join(file, 'r.html'));
  assert.equal(report.status, 2, report.stderr);
  assert.equal(report.stderr, `ksim: ${join(file, 'r.html')}: expected a place ksim can write to, got a file in the way at ${file}\n`);
  const onFolder = ksim('report', run, '-o', run);
  assert.equal(onFolder.stderr, `ksim: ${run}: expected a place ksim can write to, got a folder in the way at ${run}\n`);
  const nested = join(dir, 'new', 'deeper', 'prod.yaml');
  const ok = ksim('import', 'test/snapshots/shop', '-o', nested);
  assert.equal(ok.status, 0, ok.stderr);
  assert.deepEqual(readdirSync(join(dir, 'new', 'deeper')).sort(), ['prod.snapshot.yaml', 'prod.yaml']);
});
