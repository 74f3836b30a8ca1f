// `ksim capacity` end to end: both questions on scenarios/capacity.yaml (10 replicas of 3 CPUs on
// 4-CPU nodes at 0.2 per node-hour) and on the explain example cluster, worked by hand; its
// outputs and its answers to bad input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { columnNames } from '../src/metrics/schema.js';
import { loadScenario } from '../src/workload/scenario.js';
import { runScenario } from '../src/run/run-scenario.js';
import { poolRunner, sequentialRunner } from '../src/capacity/probe-runner.js';
import { capacityReport } from '../src/report/capacity-report.js';
import { failureTiming, settleUs, type Probe } from '../src/capacity/nodes-for.js';
import { batchProgressText, interruptedText } from '../src/cli/nodes-for-command.js';
import { KSIM_BIN, REPO_ROOT, repoPath } from '../src/testing/repo-paths.js';
import { tempDir } from '../src/testing/temp-dir.js';

function ksim(...args: string[]) {
  return spawnSync(process.execPath, [KSIM_BIN, ...args], { cwd: REPO_ROOT, encoding: 'utf8' });
}

const POD = 'examples/explain/pod.yaml'; // 1 CPU, 1Gi

test('at the end of scenarios/capacity.yaml, 10 nodes with 1 free CPU and 2 empty ones take 10 × 1 + 2 × 4 = 18 copies of a 1-CPU pod', () => {
  const r = ksim('capacity', 'scenarios/capacity.yaml', '--pod', POD, '--json');
  assert.equal(r.status, 0, r.stderr);
  const j = JSON.parse(r.stdout) as { total: number; time_s: number; method: string; pending_pods: number; cost_per_hour: number; nodes: { node: string; fits: number; plugin: string; reason: string }[] };
  assert.equal(j.total, 18);
  assert.equal(j.time_s, 600);
  assert.equal(j.method, 'per-node');
  assert.equal(j.pending_pods, 0);
  assert.equal(j.cost_per_hour, 2.4);
  assert.deepEqual(j.nodes.map((n) => n.fits).sort(), [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 4, 4]);
  assert.ok(j.nodes.every((n) => n.plugin === 'NodeResourcesFit' && n.reason === 'Insufficient cpu'));
});

test('--pod asking ephemeral-storage of pool nodes whose pool lists none: 0 fit, and a warning names the pool and the field to add (no capacity made up)', () => {
  const dir = tempDir('ksim-cap-disk-');
  writeFileSync(join(dir, 's.yaml'), 'apiVersion: ksim/v1alpha1\nkind: Scenario\nduration: 1m\ncluster:\n  nodePools: [{ name: general, count: 2, allocatable: { cpu: "4", memory: 16Gi } }]\nworkload: []\n');
  writeFileSync(join(dir, 'pod.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata: { name: p }\nspec:\n  containers: [{ name: c, image: nginx, resources: { requests: { cpu: 100m, ephemeral-storage: 50Mi } } }]\n');
  const r = ksim('capacity', join(dir, 's.yaml'), '--pod', join(dir, 'pod.yaml'));
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^0 more replicas of default\/p fit/);
  assert.equal(r.stderr, "ksim: warning: Insufficient ephemeral-storage: pool general lists no ephemeral-storage allocatable, so its nodes offer none (real nodes report their root disk's): add allocatable.ephemeral-storage to it\n");
});

test('--at 0s: before the Deployment arrives, 12 empty 4-CPU nodes take 48', () => {
  const r = ksim('capacity', 'scenarios/capacity.yaml', '--pod', POD, '--at', '0s', '--json');
  assert.equal(r.status, 0, r.stderr);
  assert.equal((JSON.parse(r.stdout) as { total: number }).total, 48);
});

test('--cluster: the explain example cluster takes 3 on node-a (4 − 1 CPU), 2 on node-b (4 − 2), none on tainted node-c', () => {
  const r = ksim('capacity', '--cluster', 'examples/explain/cluster.yaml', '--pod', POD);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^5 more replicas of default\/web-0 fit in the cluster of examples\/explain\/cluster\.yaml \(profile default-scheduler\)$/m);
  assert.match(r.stdout, /^node-c +- +zone-c +0 +TaintToleration: node\(s\) had untolerated taint\(s\)$/m);
  assert.match(r.stdout, /^total +5 +0\/3 nodes are available: 1 node\(s\) had untolerated taint\(s\), 2 Insufficient cpu\.$/m);
});

test('--cluster --config: a profile enabling Open-Gpu-Share counts GPU shares device by device (3 of 500 milli, not the 4 the pooled milli-GPUs hold), and without it the answer says it counted them pooled', () => {
  const args = ['capacity', '--cluster', 'test/fixtures/capacity/gpu-cluster.yaml', '--pod', 'test/fixtures/capacity/pod-gpu500.yaml'];
  // Pooled, NodeResourcesFit sees g1's 700 milli-GPU left (4,000 − 3,300): 1; g2's 1,500: 3.
  const pooled = ksim(...args, '--json');
  assert.equal(pooled.status, 0, pooled.stderr);
  assert.deepEqual((JSON.parse(pooled.stdout) as { nodes: { fits: number }[] }).nodes.map((n) => n.fits), [1, 3]);
  assert.equal(pooled.stderr, 'ksim: warning: profile default-scheduler does not enable Open-Gpu-Share: alibaba.com/gpu-milli is counted as one pool per node (NodeResourcesFit), not device by device, so a share may be placed where no single GPU has the room; --config with a KubeSchedulerConfiguration whose profile enables it (at filter and reserve) counts per device\n');
  // By device: no device of g1 has 500 left (300, 0, 0, 400); g2's two take 1 and 2.
  const r = ksim(...args, '--config', 'test/fixtures/capacity/gpu-share-config.yaml', '--json');
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, '');
  const j = JSON.parse(r.stdout) as { total: number; nodes: { node: string; fits: number; plugin: string; reason: string }[] };
  assert.equal(j.total, 3);
  assert.deepEqual(j.nodes.map((n) => [n.node, n.fits, n.plugin, n.reason]), [['g1', 0, 'Open-Gpu-Share', 'node(s) had no GPU device with 500 milli-GPU free'], ['g2', 3, 'NodeResourcesFit', 'Insufficient alibaba.com/gpu-milli']]);
  // --config belongs to --cluster: a scenario has its own scheduler.config; and it is one file.
  const bad = ksim('capacity', 'scenarios/capacity.yaml', '--pod', POD, '--config', 'test/fixtures/capacity/gpu-share-config.yaml');
  assert.deepEqual([bad.status, bad.stderr], [2, 'ksim: --config: expected --cluster SNAPSHOT with it (a SCENARIO schedules with its own scheduler.config; --set changes it), got --config with a SCENARIO\n']);
  const key = ksim(...args, '--config-key', 'cfg');
  assert.deepEqual([key.status, key.stderr], [2, 'ksim: --config-key: expected --config FILE with it (it says which part of that file holds the configuration), got --config-key without --config\n']);
});

test('--cluster --plugin-module: --config\'s profile counts with an out-of-tree Filter (SSD only: node-a\'s 3, node-b none); without the module the plugin is unknown (exit 2), and --plugin-module belongs to --cluster', () => {
  const dir = tempDir('ksim-capacity-plugin-');
  const module = join(dir, 'ssd-only.js');
  writeFileSync(module, `import { Status } from ${JSON.stringify(repoPath('dist/src/index.js'))};
export const plugins = {
  SsdOnly: () => ({ name: 'SsdOnly', filter: (_state, _pod, node) => (node.labels.disktype === 'ssd' ? null : Status.unschedulable('node(s) had no SSD')) }),
};
`);
  const config = join(dir, 'scheduler.yaml');
  writeFileSync(config, `apiVersion: kubescheduler.config.k8s.io/v1
kind: KubeSchedulerConfiguration
profiles:
  - schedulerName: default-scheduler
    plugins: { multiPoint: { enabled: [{ name: SsdOnly }] } }
`);
  const args = ['capacity', '--cluster', 'examples/explain/cluster.yaml', '--pod', POD, '--config', config];
  const r = ksim(...args, '--plugin-module', module);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, '');
  assert.equal(r.stdout, `3 more replicas of default/web-0 fit in the cluster of examples/explain/cluster.yaml (profile default-scheduler)

node    pool  zone    fits  limit
node-a  -     zone-a     3  NodeResourcesFit: Insufficient cpu
node-b  -     zone-b     0  SsdOnly: node(s) had no SSD
node-c  -     zone-c     0  TaintToleration: node(s) had untolerated taint(s)
total                    3  0/3 nodes are available: 1 Insufficient cpu, 1 node(s) had no SSD, 1 node(s) had untolerated taint(s).
`);
  const without = ksim(...args);
  assert.equal(without.status, 2);
  assert.match(without.stderr, /^ksim: .*scheduler\.yaml:5:48: profiles\[0\]\.plugins\.multiPoint\.enabled\[0\]\.name: expected a registered plugin \(.*; an out-of-tree plugin is loaded with scheduler\.pluginModules, or --plugin-module of ksim explain and ksim capacity --cluster\), got "SsdOnly"\n$/);
  const scenario = ksim('capacity', 'scenarios/capacity.yaml', '--pod', POD, '--plugin-module', module);
  assert.deepEqual([scenario.status, scenario.stderr], [2, 'ksim: --plugin-module: expected --cluster SNAPSHOT with it (a SCENARIO loads its plugins from its own scheduler.pluginModules; --set changes them), got --plugin-module with a SCENARIO\n']);
  const nodesFor = ksim('capacity', 'scenarios/capacity.yaml', '--nodes-for', 'general', '--plugin-module', module);
  assert.deepEqual([nodesFor.status, nodesFor.stderr], [2, 'ksim: --plugin-module: expected --cluster SNAPSHOT --pod FILE with it (--nodes-for runs the scenario with its own scheduler.pluginModules; --set changes them), got --plugin-module with --nodes-for\n']);
});

// A Filter returning something that is no Status (true, undefined) is the plugin module's
// mistake: `ksim run` turns it into an Error status (a warning; with --check-invariants it stops
// as the plugin's error, exit 1). A count of copies made of Errors is no answer: `ksim capacity`
// stops there as the plugin's error, exit 1, naming the plugin, what it returned, the copy and
// the node (before, "0 more replicas ... fit", exit 0).
test('--cluster --plugin-module: a Filter returning no Status stops the count as the plugin\'s error (exit 1), naming it and what it returned; a SCENARIO\'s module too', () => {
  const dir = tempDir('ksim-capacity-bad-verdict-');
  writeFileSync(join(dir, 'bad.js'), `export const plugins = {
  AlwaysYes: () => ({ name: 'AlwaysYes', filter: () => true }),
  Nothing: () => ({ name: 'Nothing', filter: () => undefined }),
};
`);
  const config = (plugin: string) => {
    const f = join(dir, `${plugin}.yaml`);
    writeFileSync(f, `apiVersion: kubescheduler.config.k8s.io/v1
kind: KubeSchedulerConfiguration
profiles:
  - plugins: { multiPoint: { enabled: [{ name: ${plugin} }] } }
`);
    return f;
  };
  const expected = (plugin: string, got: string) => `ksim: plugin "${plugin}" Filter returned ${got}: expected null or a Status (import { Status } from 'ksim') (pod default/web-0-capacity-0, node node-a)\n`;
  for (const [plugin, got] of [['AlwaysYes', 'true'], ['Nothing', 'undefined']] as const) {
    const r = ksim('capacity', '--cluster', 'examples/explain/cluster.yaml', '--pod', POD, '--config', config(plugin), '--plugin-module', join(dir, 'bad.js'));
    assert.deepEqual([r.status, r.stdout, r.stderr], [1, '', expected(plugin, got)]);
  }
  const base = readFileSync(repoPath('scenarios/capacity.yaml'), 'utf8');
  writeFileSync(join(dir, 's.yaml'), `${base}scheduler:
  pluginModules: [bad.js]
  config:
    apiVersion: kubescheduler.config.k8s.io/v1
    kind: KubeSchedulerConfiguration
    profiles:
      - plugins: { multiPoint: { enabled: [{ name: AlwaysYes }] } }
`);
  const s = ksim('capacity', join(dir, 's.yaml'), '--pod', POD, '--at', '0s');
  assert.equal(s.status, 1, s.stderr);
  assert.equal(s.stdout, '');
  assert.match(s.stderr, /^ksim: plugin "AlwaysYes" Filter returned true: expected null or a Status \(import \{ Status \} from 'ksim'\) \(pod default\/web-0-capacity-0, node [a-z0-9-]+\)\n$/);
});

test('--nodes-for checks the scheduler configuration before any probe, as ksim sweep does: a plugin module refusing its args, or a misspelt plugin, exits 2 with only the error on stderr and nothing written (before, after the plan note and a first round of runs)', () => {
  const dir = tempDir('ksim-capacity-config-');
  writeFileSync(join(dir, 'per-node-cap.js'), `import { FieldError } from ${JSON.stringify(repoPath('dist/src/index.js'))};
export const plugins = {
  PerNodeCap: (args) => {
    const max = args?.maxPerNode;
    if (!Number.isInteger(max) || max < 1) throw new FieldError('maxPerNode', 'a positive integer', JSON.stringify(max));
    return { name: 'PerNodeCap', filter: (_state, _pod, node) => null };
  },
};
`);
  const scheduler = (plugin: string, max: number) => `scheduler:
  pluginModules: [per-node-cap.js]
  config:
    apiVersion: kubescheduler.config.k8s.io/v1
    kind: KubeSchedulerConfiguration
    profiles:
      - plugins: { multiPoint: { enabled: [{ name: ${plugin} }] } }
        pluginConfig: [{ name: PerNodeCap, args: { maxPerNode: ${max} } }]
`;
  const base = readFileSync(repoPath('scenarios/capacity.yaml'), 'utf8');
  writeFileSync(join(dir, 'bad-args.yaml'), base + scheduler('PerNodeCap', 0));
  writeFileSync(join(dir, 'typo.yaml'), base + scheduler('PerNodeCapp', 1));
  writeFileSync(join(dir, 'ok.yaml'), base + scheduler('PerNodeCap', 1));
  const run = (...args: string[]) => spawnSync(process.execPath, [KSIM_BIN, 'capacity', ...args, '--nodes-for', 'general', '-o', join(dir, 'out')], { cwd: dir, encoding: 'utf8' });
  const badArgs = run('bad-args.yaml');
  assert.deepEqual([badArgs.status, badArgs.stderr], [2, 'ksim: bad-args.yaml:44:64: scheduler.config.profiles[0].pluginConfig[0].args.maxPerNode: expected a positive integer, got 0\n']);
  const typo = run('typo.yaml');
  assert.equal(typo.status, 2);
  assert.match(typo.stderr, /^ksim: typo\.yaml:43:52: scheduler\.config\.profiles\[0\]\.plugins\.multiPoint\.enabled\[0\]\.name: expected a registered plugin \(.*PerNodeCap.*\), got "PerNodeCapp" \(did you mean "PerNodeCap"\?\)\n$/);
  // A --set that makes it bad is named.
  const set = run('ok.yaml', '--set', 'scheduler.config.profiles[0].pluginConfig[0].args.maxPerNode=-1');
  assert.deepEqual([set.status, set.stderr], [2, 'ksim: --set scheduler.config.profiles[0].pluginConfig[0].args.maxPerNode=-1: scheduler.config.profiles[0].pluginConfig[0].args.maxPerNode: expected a positive integer, got -1\n']);
  // Built-in plugins alone are checked in this thread, as early.
  writeFileSync(join(dir, 'in-tree.yaml'), base + 'scheduler:\n  config:\n    apiVersion: kubescheduler.config.k8s.io/v1\n    kind: KubeSchedulerConfiguration\n    profiles:\n      - plugins: { multiPoint: { enabled: [{ name: NodeResourcesFitt }] } }\n');
  const inTree = run('in-tree.yaml');
  assert.equal(inTree.status, 2);
  assert.match(inTree.stderr, /^ksim: in-tree\.yaml:42:52: scheduler\.config\.profiles\[0\]\.plugins\.multiPoint\.enabled\[0\]\.name: expected a registered plugin \(.*\), got "NodeResourcesFitt" \(did you mean "NodeResourcesFit"\?\)\n$/);
  assert.equal(existsSync(join(dir, 'out')), false);
});

test('--nodes-for writes capacity.csv (one row per probe, by count: 9 fails, 10 meets) and run.json, and --json gives the same answer', () => {
  const dir = join(tempDir('ksim-capacity-'), 'out');
  const r = ksim('capacity', 'scenarios/capacity.yaml', '--nodes-for', 'general', '-o', dir, '--json', '-q');
  assert.equal(r.status, 0, r.stderr);
  const j = JSON.parse(r.stdout) as { pool: string; count: number; cost_per_hour: number; headroom: { cpu_ratio: number }; probes: { count: number; met: boolean }[] };
  assert.equal(j.pool, 'general');
  assert.equal(j.count, 10);
  assert.equal(j.cost_per_hour, 2);
  assert.equal(j.headroom.cpu_ratio, 0.25);
  const csv = readFileSync(join(dir, 'capacity.csv'), 'utf8');
  assert.equal(csv.split('\n')[0], columnNames('capacity.csv').join(','));
  const rows = parse(csv, { columns: true }) as Record<string, string>[];
  assert.deepEqual(rows.map((x) => [Number(x['count']), x['met']]), j.probes.map((p) => [p.count, String(p.met)]));
  const nine = rows.find((x) => x['count'] === '9');
  assert.deepEqual([nine?.['met'], nine?.['target'], nine?.['target_value'], nine?.['cost_per_hour']], ['false', 'missing=0', '1', '1.8']);
  // run.json times the loading (from the process's start) and the search apart, as ksim run's.
  const runJson = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as Record<string, unknown>;
  assert.equal(runJson['command'], 'capacity --nodes-for');
  assert.deepEqual(['load_time_ms', 'wall_time_ms'].map((k) => typeof runJson[k]), ['number', 'number']);
  assert.ok((runJson['load_time_ms'] as number) > 0, String(runJson['load_time_ms']));
  // Same scenario, same answer, byte for byte.
  const again = join(tempDir('ksim-capacity-'), 'out');
  const loud = ksim('capacity', 'scenarios/capacity.yaml', '--nodes-for', 'general', '-o', again);
  assert.equal(loud.status, 0, loud.stderr);
  assert.equal(readFileSync(join(again, 'capacity.csv'), 'utf8'), csv);
  // Each probe's line: its round, then the runs of the whole search so far (rounds run in turn,
  // so that count only grows).
  const probes = [...loud.stderr.matchAll(/^ksim: probe general=\d+: (?:met|not met) \(\d+\/\d+ runs; missing \S+; round (\d+); (\d+) runs so far, [\d.]+ s\)$/gm)];
  assert.equal(probes.length, rows.length, loud.stderr);
  const soFar = probes.map((m) => Number(m[2]));
  assert.deepEqual(soFar, [...soFar].sort((x, y) => x - y));
});

test('--nodes-for on a GPU pool gives the GPUs\' headroom (0 % when full) in capacity.csv, --json, the text and the report, and says GPUs limit the answer', () => {
  // 4 trainers of 2 GPUs, 3 CPUs and 12Gi on 16-CPU, 64Gi, 4-GPU nodes: 2 nodes, GPUs full,
  // cpu and memory 1 − 12/32 = 1 − 48/128 = 62.5 % free (they read 25 % headroom of a full pool).
  const dir = join(tempDir('ksim-capacity-gpu-'), 'out');
  const r = ksim('capacity', 'test/fixtures/capacity/gpu-pool.yaml', '--nodes-for', 'gpu', '-o', dir, '-q');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^Headroom of pool gpu at 2 \(1 − its peak requested ratio\): cpu 62\.5 %, memory 62\.5 %, nvidia\.com\/gpu 0\.0 %\.$/m);
  assert.match(r.stdout, /^The answer is limited by nvidia\.com\/gpu: the pool's least headroom at 2 \(0\.0 %\); cpu and memory have more left\.$/m);
  assert.match(r.stdout, /^count +met +round +runs met +missing +worst run +cpu headroom +memory headroom +nvidia\.com\/gpu headroom$/m);
  const csv = readFileSync(join(dir, 'capacity.csv'), 'utf8');
  // The older columns keep their places; the extended resources' come last.
  assert.equal(csv.split('\n')[0], `${columnNames('capacity.csv').join(',')},nvidia.com/gpu_headroom_ratio`);
  const rows = parse(csv, { columns: true }) as Record<string, string>[];
  assert.deepEqual(rows.map((x) => [x['count'], x['met'], x['cpu_headroom_ratio'], x['memory_headroom_ratio'], x['nvidia.com/gpu_headroom_ratio']]), [
    ['1', 'false', '0.625', '0.625', '0'],
    ['2', 'true', '0.625', '0.625', '0'],
    ['3', 'true', '0.75', '0.75', '0.333333'],
  ]);
  const j = JSON.parse(ksim('capacity', 'test/fixtures/capacity/gpu-pool.yaml', '--nodes-for', 'gpu', '-o', join(dir, 'json'), '-q', '--json').stdout) as { headroom: Record<string, number>; probes: Record<string, number>[] };
  assert.deepEqual(j.headroom, { cpu_ratio: 0.625, memory_ratio: 0.625, 'nvidia.com/gpu_ratio': 0 });
  assert.deepEqual(j.probes.map((p) => p['nvidia.com/gpu_headroom_ratio']), [0, 0, 0.333333]);
  const page = capacityReport(dir);
  assert.deepEqual(page.sections[0]?.headlines?.slice(-3), [
    { label: 'cpu_headroom_ratio at the answer', value: '62.5 %' },
    { label: 'memory_headroom_ratio at the answer', value: '62.5 %' },
    { label: 'nvidia.com/gpu_headroom_ratio at the answer', value: '0.0 %', hint: 'the least headroom at the answer: nvidia.com/gpu limits it' },
  ]);
  assert.ok(page.sections[0]?.tables?.[0]?.columns.includes('nvidia.com/gpu_headroom_ratio'));
  // The pool without GPUs has no GPU column.
  const general = ksim('capacity', 'test/fixtures/capacity/gpu-pool.yaml', '--nodes-for', 'general', '-o', join(dir, 'general'), '-q');
  assert.equal(readFileSync(join(dir, 'general', 'capacity.csv'), 'utf8').split('\n')[0], columnNames('capacity.csv').join(','), general.stderr);
});

test('--nodes-for stops when more nodes do not help, and prints the command of its worst run, which shows why', () => {
  const dir = join(tempDir('ksim-capacity-'), 'out');
  const big = 'workload[0].manifest.spec.template.spec.containers[0].resources.requests.cpu=5';
  const r = ksim('capacity', 'scenarios/capacity.yaml', '--nodes-for', 'general', '--set', big, '-o', dir, '-q');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^More nodes of pool general do not help missing=0, seed 1: missing 10 at 12 nodes, 10 at 48; the search stopped\.$/m);
  const cmd = /^ {2}ksim run (.*)$/m.exec(r.stdout)?.[1];
  assert.equal(cmd, `scenarios/capacity.yaml --seed 1 --set '${big}' --set 'cluster.nodePools[0].count=48'`);
  // 5-CPU pods on 4-CPU nodes: no pool's node can hold them, whatever its count.
  assert.match(r.stdout, /^Left unplaced in its worst run \(seed 1\): Deployment shop\/web, 10 pods which no pool's nodes can hold\.$/m);
  assert.deepEqual(JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')).plateau, { from_count: 12, to_count: 48, unplaced: [{ workload: 'Deployment shop/web', pods: 10, pools: [] }] });
  // The printed command runs as printed, and its warning names the cause.
  const again = spawnSync('sh', ['-c', `"${process.execPath}" "${KSIM_BIN}" run ${cmd} -o "${join(dir, 'worst')}" -q`], { cwd: REPO_ROOT, encoding: 'utf8' });
  assert.equal(again.status, 0, again.stderr);
  assert.match(again.stderr, /Deployment shop\/web ends with 0 of 10 replicas ready: 10 unschedulable, by latest reason: 10 "0\/48 nodes are available: 48 Insufficient cpu/);
});

test('a ratio target met with pods left unbound: stderr (with -q too), run.json and --json say how many pods the answer leaves unplaced', () => {
  // 10 pods of 3 CPUs on 4-CPU nodes: 0.75 of the bound pods' nodes requested at any count, so
  // 1 node meets cpu_requested_peak_ratio<=0.8 with 9 pods pending.
  const dir = join(tempDir('ksim-capacity-unbound-'), 'out');
  const r = ksim('capacity', 'scenarios/capacity.yaml', '--nodes-for', 'general', '--target', 'cpu_requested_peak_ratio<=0.8', '-o', dir, '-q', '--json');
  assert.equal(r.status, 0, r.stderr);
  const warning = "the answer, 1 node of pool general, leaves 9 pods unplaced (pods_unbound_end 9 in seed 1): cpu_requested_peak_ratio<=0.8 counts bound pods only; --target missing=0 sizes the pool to place every pod (its table gives the pool's headroom, 1 − its requested ratio, at each count)";
  assert.equal(r.stderr, `ksim: warning: ${warning}\n`);
  assert.deepEqual((JSON.parse(r.stdout) as { count: number; warnings: string[] }).warnings, [warning]);
  assert.deepEqual((JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as { warnings: string[] }).warnings, [warning]);
});

test('pods a trace deletes while they wait count as missing: 4 pods of 3 CPUs deleted at 100–103 s need 3 nodes of pool extra beside base\'s one, not 0 (3 never placed, none pending at the end)', () => {
  // Before, missing read pods_unbound_end (0: the 3 pods were gone, not pending) and the replica
  // shortfall (0: bare pods), so 0 nodes of extra "met missing=0" with 3 of 4 pods never placed.
  const run = runScenario(loadScenario(repoPath('test/fixtures/capacity/trace-deleted.yaml')));
  assert.deepEqual([run.summary.pods_submitted, run.summary.pods_bound, run.summary.pods_unbound_end, run.summary.pods_deleted_unbound], [4, 1, 0, 3]);
  const dir = join(tempDir('ksim-capacity-deleted-'), 'out');
  const r = ksim('capacity', 'test/fixtures/capacity/trace-deleted.yaml', '--nodes-for', 'extra', '-o', dir, '-q', '--json');
  assert.equal(r.status, 0, r.stderr);
  const j = JSON.parse(r.stdout) as { count: number; warnings: string[]; probes: { count: number; met: boolean; target_value: number }[] };
  assert.equal(j.count, 3);
  // 1 node of extra places 2 of 4 (missing 2): its guess, 1 + 2 nodes, meets; 2 below it does not.
  assert.deepEqual(j.probes.map((p) => [p.count, p.met, p.target_value]), [[1, false, 2], [2, false, 1], [3, true, 0]]);
  assert.deepEqual(j.warnings, []);
  // pending (pods_unbound_end) does not count them: 0 nodes meet it, and the answer says what it hides.
  const p = ksim('capacity', 'test/fixtures/capacity/trace-deleted.yaml', '--nodes-for', 'extra', '--target', 'pending=0', '-o', join(dir, 'pending'), '-q', '--json');
  assert.equal(p.status, 0, p.stderr);
  const warning = "the answer, 0 nodes of pool extra, leaves 3 pods unplaced (pods_deleted_unbound 3, deleted before they were ever placed, in seed 1): pods_unbound_end=0 does not count pods deleted while they waited; --target missing=0 sizes the pool to place every pod (its table gives the pool's headroom, 1 − its requested ratio, at each count)";
  assert.equal(p.stderr, `ksim: warning: ${warning}\n`);
  const pj = JSON.parse(p.stdout) as { count: number; warnings: string[] };
  assert.deepEqual([pj.count, pj.warnings], [0, [warning]]);
});

test('several targets: every pod placed and the pool at most 70 % requested at peak, tolerating a zone outage: 17 nodes (11 survivors hold 30 CPUs at 0.68; 16 leave 10 at 0.75)', () => {
  const dir = join(tempDir('ksim-capacity-targets-'), 'out');
  const targets = ['missing=0', 'pool_cpu_requested_peak_ratio<=0.7', 'pool_memory_requested_peak_ratio<=0.7'];
  const r = ksim('capacity', 'scenarios/capacity.yaml', '--nodes-for', 'general', ...targets.flatMap((t) => ['--target', t]), '--tolerate', 'zone-outage', '-o', dir, '-q');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^17 nodes of pool general meet missing=0, pool_cpu_requested_peak_ratio<=0\.7 and pool_memory_requested_peak_ratio<=0\.7, tolerating zone-outage at peak load, seed 1; the cluster then costs 3\.40 per hour \(general: 3\.40\)\.$/m);
  assert.match(r.stdout, /^count {2}met {2}round {2}runs met {2}missing {2}pool_cpu_requested_peak_ratio {2}pool_memory_requested_peak_ratio {2}worst run /m);
  const csv = readFileSync(join(dir, 'capacity.csv'), 'utf8');
  assert.equal(csv.split('\n')[0], [...columnNames('capacity.csv'), 'missing_target_value', 'pool_cpu_requested_peak_ratio_target_value', 'pool_memory_requested_peak_ratio_target_value'].join(','));
  const rows = parse(csv, { columns: true }) as Record<string, string>[];
  const cols = ['count', 'met', 'target', 'target_value', 'runs_met', 'missing_target_value', 'pool_cpu_requested_peak_ratio_target_value', 'cpu_headroom_ratio'];
  assert.deepEqual(rows.map((x) => cols.map((c) => x[c])), [
    // 12: a zone of 4 lost, 8 survivors for 10 pods; 15 and 16: 10 survivors, one pod each (3 of 4 CPUs).
    ['12', 'false', 'missing=0', '2', '1', '2', '0.75', '0.375'],
    ['14', 'false', 'missing=0', '1', '1', '1', '0.75', '0.464286'],
    ['15', 'false', 'pool_cpu_requested_peak_ratio<=0.7', '0.75', '1', '0', '0.75', '0.5'],
    ['16', 'false', 'pool_cpu_requested_peak_ratio<=0.7', '0.75', '3', '0', '0.75', '0.53125'],
    // 17: 6 + 6 + 5, 11 survivors: 30 / 44. Its headroom (fault-free runs): 1 − 30 / 68.
    ['17', 'true', 'missing=0', '0', '4', '0', '0.681818', '0.558824'],
  ]);
  const run = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as { count: number; options: { target: string; targets: string[] } };
  assert.equal(run.count, 17);
  assert.deepEqual(run.options.targets, targets);
  assert.equal(run.options.target, 'missing=0, pool_cpu_requested_peak_ratio<=0.7 and pool_memory_requested_peak_ratio<=0.7');
  // The report: one probe curve per target, and each target's value at the answer.
  const pool = capacityReport(dir).sections[0];
  assert.deepEqual(pool?.figures?.map((f) => f.id), ['probes-general-missing', 'probes-general-pool_cpu_requested_peak_ratio', 'probes-general-pool_memory_requested_peak_ratio', 'headroom-general']);
  const cpu = pool?.figures?.[1]?.chart as unknown as { target: number; probes: { count: number; met: boolean; value: number }[] };
  assert.equal(cpu.target, 0.7);
  assert.deepEqual(cpu.probes.map((p) => [p.count, p.met, p.value]), [[12, false, 0.75], [14, false, 0.75], [15, false, 0.75], [16, false, 0.75], [17, true, 0.681818]]);
  assert.deepEqual(pool?.headlines?.[0], { label: 'Answer', value: '17 nodes', hint: 'fewest nodes meeting missing=0, pool_cpu_requested_peak_ratio<=0.7 and pool_memory_requested_peak_ratio<=0.7, tolerating zone-outage at peak load, above every count that failed them' });
  assert.deepEqual(pool?.headlines?.find((h) => h.label === 'pool_cpu_requested_peak_ratio at the answer')?.value, '0.6818');
});

test('bad input: one line naming the option, exit 2, nothing written', () => {
  const dir = join(tempDir('ksim-capacity-bad-'), 'out');
  const cases: [string[], RegExp][] = [
    [['scenarios/capacity.yaml', '--nodes-for', 'gpu'], /^ksim: --nodes-for: expected the name of a node pool of scenarios\/capacity\.yaml \(general\), got "gpu"\n$/],
    [['scenarios/capacity.yaml', '--nodes-for', 'general', '--target', 'latency<5'], /^ksim: --target: no such metric "latency": expected one of missing, pending, a numeric summary\.csv column \(.*\), or a pool metric pool_<resource>_requested_peak_ratio .*, got "latency<5"\n$/],
    [['scenarios/capacity.yaml', '--nodes-for', 'general', '--tolerate', 'a zone'], /^ksim: --tolerate: expected 'N nodes' with N a positive integer \(e\.g\. '2 nodes'\), or 'zone-outage', got "a zone"\n$/],
    // A value starting with '-' reaches the validation (yargs read '-1 nodes' as flags: "Unknown argument: 1").
    [['scenarios/capacity.yaml', '--nodes-for', 'general', '--tolerate', '-1 nodes'], /^ksim: --tolerate: expected 'N nodes' with N a positive integer \(e\.g\. '2 nodes'\), or 'zone-outage', got "-1 nodes"\n$/],
    [['scenarios/capacity.yaml', '--nodes-for', 'general', '--tolerate=-1'], /^ksim: --tolerate: expected 'N nodes' with N a positive integer \(e\.g\. '2 nodes'\), or 'zone-outage', got "-1"\n$/],
    [['scenarios/capacity.yaml', '--nodes-for', 'general', '--seeds', '-1-3'], /^ksim: --seeds: expected seeds as N, N-M or a comma-separated list of them \(integers 0 … 4294967295\), got "-1-3"\n$/],
    [['scenarios/capacity.yaml', '--nodes-for', 'general', '--tolerate'], /^ksim: --tolerate: expected a value after it, got none\nRun 'ksim --help' for usage\.\n$/],
    [['scenarios/capacity.yaml', '--pod', POD, '--at', '-5m'], /^ksim: --at: expected a Go-style duration from the start of the run, e\.g\. 90s, 15m, 1h30m, got "-5m"\n$/],
    // An empty --target, or one with no value (then followed by -o): yargs gave it its default
    // and the search ran missing=0.
    [['scenarios/capacity.yaml', '--nodes-for', 'general', '--target', ''], /^ksim: --target: expected a value after it, got an empty string\n$/],
    [['scenarios/capacity.yaml', '--nodes-for', 'general', '--target', 'missing<0'], /^ksim: --target: expected a target some run can meet: missing is never below 0, so no count of nodes meets missing<0 \(did you mean missing<=0\?\), got "missing<0"\n$/],
    // (A repeatable option of one value each: yargs' own check, as --tolerate's.)
    [['scenarios/capacity.yaml', '--nodes-for', 'general', '--target'], /^ksim: --target: expected a value after it, got none\nRun 'ksim --help' for usage\.\n$/],
    // Several targets: the same twice, bounds no value meets, two of one metric; a target without a pool to size.
    [['scenarios/capacity.yaml', '--nodes-for', 'general', '--target', 'missing=0', '--target', 'pool_cpu_requested_peak_ratio<=0.8', '--target', 'missing=0'], /^ksim: --target: expected each target once, got missing=0 twice\n$/],
    [['scenarios/capacity.yaml', '--nodes-for', 'general', '--target', 'missing=0', '--target', 'missing>0'], /^ksim: --target: expected targets that can hold together: no value of missing meets both missing=0 and missing>0, got --target "missing=0" --target "missing>0"\n$/],
    [['scenarios/capacity.yaml', '--nodes-for', 'general', '--target', 'pool_cpu_requested_peak_ratio<=0.8', '--target', 'pool_cpu_requested_peak_ratio<0.9'], /^ksim: --target: expected one target per metric \(pool_cpu_requested_peak_ratio<=0\.8 alone says both\), got pool_cpu_requested_peak_ratio<=0\.8 and pool_cpu_requested_peak_ratio<0\.9\n$/],
    [['scenarios/capacity.yaml', '--nodes-for', 'general', '--target', 'missing=0', '--target', ''], /^ksim: --target: expected a value after it, got an empty string\n$/],
    [['scenarios/capacity.yaml', '--pod', POD, '--target', 'pool_cpu_requested_peak_ratio<=0.8'], /^ksim: --target: expected --nodes-for POOL with it: pool_cpu_requested_peak_ratio is the requested ratio of the pool --nodes-for sizes, got --target "pool_cpu_requested_peak_ratio<=0\.8" without --nodes-for\n$/],
    [['scenarios/capacity.yaml', '--pod', POD, '--tolerate', 'zone-outage', '--seeds', '1-3'], /^ksim: --tolerate: expected --nodes-for POOL with it \(--tolerate, --seeds shape the search for a pool's size; --pod counts copies of a pod in one run\), got --tolerate, --seeds without --nodes-for\n$/],
    [['scenarios/capacity.yaml', '--pod', POD, '--workers', '2'], /^ksim: --workers: expected --nodes-for POOL with it \(--workers shapes the search for a pool's size; --pod counts copies of a pod in one run\), got --workers without --nodes-for\n$/],
    [['scenarios/capacity.yaml', '--pod', POD, '--target', 'missing=0'], /^ksim: --target: expected --nodes-for POOL with it \(a target is what the sized pool must meet; --pod counts copies of a pod\), got --target "missing=0" without --nodes-for\n$/],
    [['scenarios/capacity.yaml', '--nodes-for', 'general', '--pod', POD], /^ksim: --nodes-for: expected no --pod, --cluster or --at/],
    [['scenarios/capacity.yaml', '--pod', POD, '--at', '2h'], /^ksim: --at: expected a time within the scenario's duration \(600 s\), got 7200 s\n$/],
    [['--cluster', 'missing.json', '--pod', POD], /^ksim: --cluster: expected a readable file or directory, got "missing\.json": no such file\n$/],
    [['--cluster', 'test/fixtures/capacity/no-nodes.yaml', '--pod', POD], /^ksim: --cluster: expected a cluster dump with at least one Node object \(kubectl get nodes,pods,\.\.\. -A -o json\), got no Node in test\/fixtures\/capacity\/no-nodes\.yaml \(1 other object\)\n$/],
    [['scenarios/capacity.yaml'], /^ksim: ksim capacity: expected --pod FILE/],
    // A DaemonSet has no replicas to add (one pod per node): explain says which nodes take it.
    [['scenarios/capacity.yaml', '--pod', 'examples/explain/daemonset/agent.yaml'], /^ksim: examples\/explain\/daemonset\/agent\.yaml:11:7: spec\.template\.spec: expected a Pod or a Deployment, ReplicaSet, StatefulSet, Job or CronJob: a DaemonSet runs one pod per node, not more replicas \(ksim explain --pod FILE shows which nodes take its pod and why the others do not\), got DaemonSet kube-system\/agent\n$/],
    [['scenarios/capacity.yaml', '--nodes-for', 'general', '--set', 'cluster.nodePools[0].costPerHour=-1'], /^ksim: --set cluster\.nodePools\[0\]\.costPerHour=-1: cluster\.nodePools\[0\]\.costPerHour: expected .*0/],
  ];
  for (const [args, re] of cases) {
    const r = ksim('capacity', ...args, '-o', dir);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, re, args.join(' '));
    assert.equal(existsSync(dir), false, args.join(' '));
  }
});

test('-o \'\' is refused (exit 2): it named the working directory, which the output swap replaced, deleting everything in it', () => {
  const cwd = tempDir('ksim-capacity-cwd-');
  writeFileSync(join(cwd, 'keep.txt'), 'mine\n');
  const r = spawnSync(process.execPath, [KSIM_BIN, 'capacity', repoPath('scenarios/capacity.yaml'), '--nodes-for', 'general', '-o', '', '-q'], { cwd, encoding: 'utf8' });
  assert.equal(r.status, 2, r.stderr);
  assert.equal(r.stderr, 'ksim: --output: expected a value after it, got an empty string\n');
  assert.deepEqual(readdirSync(cwd), ['keep.txt']);
});

test('--cluster naming an empty directory: the directory named, exit 2', () => {
  const empty = tempDir('ksim-capacity-empty-');
  const r = ksim('capacity', '--cluster', empty, '--pod', POD);
  assert.equal(r.status, 2, r.stderr);
  assert.equal(r.stderr, `ksim: --cluster: expected a directory with *.yaml, *.yml or *.json files, got ${JSON.stringify(empty)}: none\n`);
});

test('summary.csv: peak requested ratios, when load peaked, and the cluster\'s cost per hour', () => {
  const r = runScenario(loadScenario(repoPath('scenarios/capacity.yaml')), { sinks: 'none' });
  assert.equal(r.summary['cost_per_hour'], 2.4); // 12 × 0.2
  assert.equal(r.summary['cpu_requested_peak_ratio'], 0.625); // 10 × 3 / (12 × 4)
  assert.equal(r.summary['memory_requested_peak_ratio'], 0.052083); // 10 × 1Gi / (12 × 16Gi)
  assert.ok(Number(r.summary['requested_peak_s']) > 0 && Number(r.summary['requested_peak_s']) < 5, String(r.summary['requested_peak_s']));
  const none = runScenario(loadScenario(repoPath('scenarios/quickstart.yaml'), { set: ['duration=1m'] }), { sinks: 'none' });
  assert.equal(none.summary['cost_per_hour'], null);
});

test('probes give the same rows in worker threads as in this thread', async () => {
  const tasks = [9, 10].map((c) => ({ scenario: repoPath('scenarios/capacity.yaml'), seed: 1, set: [`cluster.nodePools[0].count=${c}`] }));
  assert.deepEqual(await poolRunner({ workers: 2 })(tasks), await sequentialRunner()(tasks));
});

test('--nodes-for says first what each probe runs and how long a failure run simulates, and why', () => {
  const r = ksim('capacity', 'scenarios/capacity.yaml', '--nodes-for', 'general', '--tolerate', 'zone-outage', '-o', join(tempDir('ksim-capacity-'), 'out'));
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stderr.split('\n');
  // 12 nodes in 3 zones: a zone of 4, tainted at 0.1 nodes/s: 40 s; 10m + 55 + 40 + 300 + 300 s.
  assert.deepEqual(lines.slice(0, 3), [
    'ksim: sizing pool general from 12 nodes (1 seed): each probe runs 1 fault-free run of 10m00s simulated, then, if it meets missing=0, 3 failure runs (zone-outage at peak load).',
    "ksim: each failure run simulates up to 21m35s at 12 nodes: the peak load (within the first 10m00s), then 55 s until zone zone-a's 4 nodes are NotReady, 40 s tainting them at 0.1 nodes/s (kube-controller-manager's --node-eviction-rate, one node at a time), 300 s of default toleration and 300 s for the replacements; fewer nodes, shorter runs.",
    // The peak is at 0.032121 s: 0.032122 + 1,295 s, rounded up to whole seconds.
    'ksim: round 1: 3 failure runs (general=12), 11m36s simulated each',
  ]);
  const quiet = ksim('capacity', 'scenarios/capacity.yaml', '--nodes-for', 'general', '--tolerate', 'zone-outage', '-q', '-o', join(tempDir('ksim-capacity-'), 'out'));
  assert.equal(quiet.stderr, '');
});

test('SIGTERM stops --nodes-for within a probe\'s run, says where the search was, exits 143 and writes nothing', async () => {
  const dir = tempDir('ksim-capacity-term-');
  const file = join(dir, 'slow.yaml');
  // 3,000 pods on 400 nodes: a run of a couple of seconds, long enough to be stopped inside.
  writeFileSync(file, `apiVersion: ksim/v1alpha1
kind: Scenario
metadata: { name: slow }
duration: 1h
cluster:
  nodePools:
    - { name: general, count: 400, zones: [zone-a, zone-b], allocatable: { cpu: "4", memory: 16Gi, pods: 110 } }
workload:
  - name: web
    manifest:
      apiVersion: apps/v1
      kind: Deployment
      metadata: { name: web }
      spec:
        replicas: 3000
        selector: { matchLabels: { app: web } }
        template:
          metadata: { labels: { app: web } }
          spec:
            containers: [{ name: web, image: web:1, resources: { requests: { cpu: 500m, memory: 1Gi } } }]
`);
  const out = join(dir, 'out');
  // A plain progress line after every slice: the signal goes once a probe's run is under way.
  const child = spawn(process.execPath, [KSIM_BIN, 'capacity', file, '--nodes-for', 'general', '--tolerate', 'zone-outage', '--workers', '1', '-o', out], { cwd: REPO_ROOT, env: { ...process.env, KSIM_PROGRESS_INTERVAL_MS: '0' } });
  const exited = new Promise<number | null>((res) => child.on('exit', (c) => res(c)));
  let stderr = '';
  let sent = false;
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
    if (!sent && /\nksim capacity slow general=400 \S+\/1h00m \| round 1 fault-free runs 0\/1 done/.test(stderr)) {
      sent = true;
      child.kill('SIGTERM');
    }
  });
  const code = await exited;
  assert.equal(code, 143, stderr);
  assert.match(stderr, /\nksim: capacity --nodes-for interrupted by SIGTERM in round 1 \(fault-free runs: 0 of 1 done; general=400 at \S+\/1h00m\), before any probe was decided, 0 simulations complete; nothing was written to .*out\/\n$/);
  assert.equal(existsSync(out), false);
});

test('a 5,000-node zone outage: the zone\'s 1,667 nodes tainted one at a time at 0.1 nodes/s make a failure run 4h48m45s after the peak', () => {
  const t = failureTiming(1667, undefined, '');
  assert.deepEqual([t.tainted, t.ratePerS, t.detectS, t.taintS, t.tolerationS, t.replaceS], [1667, 0.1, 55, 16_670, 300, 300]);
  assert.equal(t.settleUs, 17_325e6);
  assert.equal(settleUs(1667), t.settleUs);
  // 'N nodes' over a zone of more than 50 nodes left partly down: 0.01 nodes/s, 100 s a node.
  const partly = failureTiming(200, [{ lost: 100, size: 122 }, { lost: 100, size: 122 }], '');
  assert.deepEqual([partly.tainted, partly.ratePerS, partly.taintS], [100, 0.01, 10_000]);
});

test('the progress line within probes: the first run in flight and its simulated clock, the batch done (runs ended count whole) and its ETA', () => {
  const tasks = [
    { scenario: 's.yaml', seed: 1, set: [], label: 'general=5000 zone-a down', durationUs: 18_000e6 },
    { scenario: 's.yaml', seed: 1, set: [], label: 'general=5000 zone-b down', durationUs: 18_000e6 },
    { scenario: 's.yaml', seed: 1, set: [], label: 'general=5000 zone-c down', durationUs: 18_000e6 },
  ];
  const running = new Map([[1, { simUs: 3_900e6, durationUs: 18_000e6, events: 10 }], [2, { simUs: 1_800e6, durationUs: 18_000e6, events: 5 }]]);
  // (18,000 + 3,900 + 1,800) / 54,000 = 43.9 % in 60 s: 60 × 0.561 / 0.439 = 77 s left.
  assert.equal(batchProgressText({ round: 1, kind: 'failure', tasks, done: new Set([0]), running, elapsedMs: 60_000 }),
    'general=5000 zone-b down 1h05m/5h00m (+1 more) | round 1 failure runs 1/3 done 43.9% | ETA 1m17s');
  // Before any run reports: no clock, no ETA yet.
  assert.equal(batchProgressText({ round: 2, kind: 'fault-free', tasks: tasks.slice(0, 1), done: new Set(), running: new Map(), elapsedMs: 100 }),
    'round 2 | fault-free runs 0/1 done 0.0% | ETA ?');
  const probe = { count: 4000, met: false } as Probe;
  assert.equal(interruptedText('SIGTERM', 'general', { round: 2, kind: 'failure', tasks, done: new Set([0]), running }, [{ ...probe, count: 5000, met: true }, probe], 5, 'cap5k'),
    'capacity --nodes-for interrupted by SIGTERM in round 2 (failure runs: 1 of 3 done; general=5000 zone-b down at 1h05m/5h00m), after 2 probes decided (general=5000 met, general=4000 not met), 5 simulations complete; nothing was written to cap5k/');
});
