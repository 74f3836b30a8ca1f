// The checker wired into whole runs: every bundled scenario runs clean (and identically with and
// without checking), a run whose state gets corrupted stops with the violation, and the CLI
// reports it as a ksim bug with exit code 1.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { toCsv } from '../metrics/csv-output.js';
import { runScenario } from '../run/run-scenario.js';
import type { ClusterState } from '../cluster/cluster-state.js';
import type { BindPlugin, FilterPlugin, FrameworkHandle, Plugin, PluginFactory, ReservePlugin, ScorePlugin } from '../scheduler/framework/interfaces.js';
import { Status } from '../scheduler/framework/status.js';
import { loadPluginModules } from '../scheduler/plugin-modules.js';
import { KSIM_BIN, REPO_ROOT, repoPath } from '../testing/repo-paths.js';
import { loadScenario } from '../workload/scenario.js';
import { InvariantViolation } from './violation.js';
import { skipWithoutTrace } from '../testing/shared-traces.js';
import { tempDir } from '../testing/temp-dir.js';

const SCENARIOS = readdirSync(repoPath('scenarios')).filter((f) => f.endsWith('.yaml')).sort();

test('the bundled scenarios are found', () => {
  assert.ok(SCENARIOS.includes('quickstart.yaml') && SCENARIOS.includes('gpu-binpack.yaml'), SCENARIOS.join(', '));
});

/** The replays of the real traces run shorter here (their checks every event are slow on 1,500
 * nodes) and are skipped when ../shared/traces is absent. */
const TRACE_REPLAYS: Record<string, string> = { 'trace-openb.yaml': '3s', 'trace-alibaba-2017.yaml': '30s', 'trace-alibaba-dlrm.yaml': '1m', 'trace-nasa-swf.yaml': '10m' };

for (const file of SCENARIOS) {
  const shorter = TRACE_REPLAYS[file];
  test(`scenarios/${file} runs clean under checkInvariants: true, with the same outputs as unchecked`, { skip: shorter === undefined ? false : skipWithoutTrace('') }, async () => {
    const scenario = loadScenario(repoPath(`scenarios/${file}`), shorter === undefined ? {} : { set: [`duration=${shorter}`] });
    const plugins = await loadPluginModules(scenario.pluginModules);
    const checked = runScenario(scenario, { plugins, checkInvariants: true });
    const unchecked = runScenario(scenario, { plugins, checkInvariants: false });
    assert.ok(checked.eventsProcessed > 0);
    assert.equal(checked.eventsProcessed, unchecked.eventsProcessed);
    assert.deepEqual(checked.tables.map(toCsv), unchecked.tables.map(toCsv));
  });
}

test('the engine events the checker keys on exist: scheduler.next starts a cycle, metrics.sample takes a row', () => {
  // The checker reconstructs the state a cycle decided on from the last scheduler.next event and
  // recounts timeseries rows after metrics.sample events: renaming either silently weakens it.
  const scenario = loadScenario(repoPath('scenarios/quickstart.yaml'), { set: ['duration=2m'] });
  const r = runScenario(scenario, { events: true, checkInvariants: true });
  const events = r.tables.find((t) => t.file === 'events.csv')?.rows ?? [];
  const kinds = new Set(events.map((e) => e['kind']));
  assert.ok(kinds.has('scheduler.next') && kinds.has('scheduler.cycle-end') && kinds.has('metrics.sample'), [...kinds].join(', '));
  // Every cycle-end (where pods are assumed) follows a scheduler.next with no other cycle between.
  let open = false;
  for (const e of events) {
    if (e['kind'] === 'scheduler.cycle-end') {
      assert.ok(open, `cycle-end of ${String(e['object'])} at ${String(e['time_s'])} s without a cycle start`);
      open = false;
    }
    if (e['kind'] === 'scheduler.next') open = true;
  }
});

test('runScenario throws the InvariantViolation when a component corrupts a node\'s books', () => {
  const scenario = loadScenario(repoPath('scenarios/quickstart.yaml'), { set: ['duration=2m'] });
  // A Reserve plugin that corrupts the books of the node its first batch pod goes to: the kind
  // of bug the checker is for.
  let cluster: ClusterState | null = null;
  let corrupted = '';
  const plugin: ReservePlugin = {
    name: 'CorruptBooks',
    reserve: (_state, pod, nodeName) => {
      if (corrupted === '' && pod.name.startsWith('batch') && cluster !== null) {
        corrupted = nodeName;
        cluster.mustNode(nodeName).requested.milliCpu++;
      }
      return null;
    },
    unreserve: () => {},
  };
  const factory: PluginFactory = (_args, handle) => {
    cluster = handle.cluster;
    return plugin;
  };
  const profile = scenario.scheduler.profiles[0]!;
  const opts = {
    plugins: new Map([['CorruptBooks', factory]]),
    profiles: [{ ...profile, plugins: [...profile.plugins, { name: 'CorruptBooks', weight: 0 }] }],
  };
  let caught: unknown;
  try {
    runScenario(scenario, { ...opts, checkInvariants: true });
  } catch (e) {
    caught = e;
  }
  assert.ok(caught instanceof InvariantViolation, String(caught));
  assert.equal(caught.invariant, 'node-accounting');
  const m = /^node (\S+) requested cpu (\d+)m vs (\d+)m \(recorded vs sum over its \d+ pod\(s\)\)$/.exec(caught.detail);
  assert.ok(m !== null, caught.detail);
  assert.equal(m[1], corrupted);
  assert.equal(Number(m[2]), Number(m[3]) + 1);
  assert.match(caught.event, /^scheduler\.cycle-end jobs\/batch-\d+ #\d+$/);
  // Unchecked, the same run completes with the corruption unnoticed.
  corrupted = '';
  const r = runScenario(scenario, { ...opts, checkInvariants: false });
  assert.notEqual(corrupted, '');
  assert.ok(r.eventsProcessed > 0);
});

test('ksim run --check-invariants reports a broken invariant as a ksim bug, exit 1, without a stack trace', () => {
  const dir = tempDir('ksim-invariant-');
  writeFileSync(
    join(dir, 'corrupt.mjs'),
    `export const plugins = {
  CorruptBooks: (_args, handle) => ({
    name: 'CorruptBooks',
    reserve: (_state, _pod, nodeName) => { handle.cluster.nodeByName.get(nodeName).requested.memory += 1; return null; },
    unreserve: () => {},
  }),
};
`,
  );
  writeFileSync(
    join(dir, 'scenario.yaml'),
    `apiVersion: ksim/v1alpha1
kind: Scenario
metadata: { name: corrupt }
duration: 1m
metrics: { sampleInterval: 1m }
cluster:
  nodePools: [{ name: n, count: 1, allocatable: { cpu: "4", memory: 8Gi } }]
scheduler:
  pluginModules: [./corrupt.mjs]
  config:
    apiVersion: kubescheduler.config.k8s.io/v1
    kind: KubeSchedulerConfiguration
    profiles:
      - plugins: { multiPoint: { enabled: [{ name: CorruptBooks }] } }
workload:
  - name: p
    at: 1s
    manifest: { apiVersion: v1, kind: Pod, metadata: { name: p }, spec: { containers: [{ name: c, image: x, resources: { requests: { cpu: 100m } } }] } }
`,
  );
  const ksim = (...args: string[]) => spawnSync(process.execPath, [KSIM_BIN, 'run', join(dir, 'scenario.yaml'), '-o', join(dir, 'out'), ...args], { cwd: REPO_ROOT, encoding: 'utf8', env: { ...process.env, KSIM_CHECK_INVARIANTS: '' } });
  const r = ksim('--check-invariants');
  assert.equal(r.status, 1, r.stderr);
  // The exact time and event sequence depend on the API latency model; the shape does not.
  assert.match(
    r.stderr,
    new RegExp(
      '^ksim: internal error: a simulation invariant broke \\(this is a bug in ksim; please report it with the command and scenario\\):\n' +
        '  invariant: node-accounting\n' +
        '  time: {6}1\\.\\d{6} s\n' +
        '  event: {5}scheduler\\.cycle-end default/p #\\d+\n' +
        '  detail: {4}node n-0 requested memory 1 vs 0 \\(recorded vs sum over its 1 pod\\(s\\)\\)\n$',
    ),
  );
  assert.equal(r.stdout, '');
  // Every 1,000 events, and no timeseries sample after the start: caught by the full check at the
  // end of the run instead.
  const every = ksim('--check-invariants=1000', '--set', 'metrics.sampleInterval=10m');
  assert.equal(every.status, 1, every.stderr);
  assert.match(every.stderr, /\n {2}invariant: node-accounting\n {2}time: {6}60\.000000 s\n {2}event: {5}\(end of run\)\n/);
  // Unchecked (and KSIM_CHECK_INVARIANTS unset), the run succeeds.
  const off = ksim();
  assert.equal(off.status, 0, off.stderr);
});

/** Runs quickstart (2 min) with `plugin` added to the profile; returns the violation or null. */
function runWithPlugin(plugin: Plugin, checkInvariants: boolean): { caught: unknown; placements: readonly Record<string, unknown>[] } {
  const scenario = loadScenario(repoPath('scenarios/quickstart.yaml'), { set: ['duration=2m'] });
  const profile = scenario.scheduler.profiles[0]!;
  const opts = {
    plugins: new Map<string, PluginFactory>([[plugin.name, () => plugin]]),
    profiles: [{ ...profile, plugins: [...profile.plugins, { name: plugin.name, weight: 1 }] }],
  };
  try {
    const r = runScenario(scenario, { ...opts, checkInvariants });
    return { caught: null, placements: r.tables.find((t) => t.file === 'placements.csv')?.rows ?? [] };
  } catch (e) {
    return { caught: e, placements: [] };
  }
}

test('a Score plugin whose NormalizeScore goes negative (issue 15\'s PodTopologySpread -66) stops the run at that cycle: plugin-score', () => {
  // Deliberately broken like the PodTopologySpread of issue 15: a node whose raw score exceeds
  // the maximum the normalisation used ends up at 100 × (max + min − s) / max < 0.
  const plugin: ScorePlugin = {
    name: 'BrokenSpread',
    score: (_state, _pod, node) => (node.name.endsWith('-0') ? 6 : 1),
    normalizeScore: (_state, _pod, nodes, scores) => {
      const max = 3; // the broken part: the maximum of a subset of the nodes
      for (let i = 0; i < nodes.length; i++) scores[i] = Math.trunc((100 * (max + 1 - (scores[i] as number))) / max);
      return null;
    },
  };
  const { caught } = runWithPlugin(plugin, true);
  assert.ok(caught instanceof InvariantViolation, String(caught));
  assert.equal(caught.invariant, 'plugin-score');
  assert.match(caught.detail, /^plugin BrokenSpread scored node \S+-0 -66 for pod \S+; a score after NormalizeScore is an integer in \[0, 100\]$/);
  assert.match(caught.event, /^scheduler\.next /);
  // Unchecked, the framework turns the same score into `error` rows with upstream's message.
  const { caught: none, placements } = runWithPlugin(plugin, false);
  assert.equal(none, null);
  const errors = placements.filter((r) => r['result'] === 'error');
  assert.ok(errors.length > 0);
  assert.equal(errors[0]?.['reason'], 'plugin "BrokenSpread" returns an invalid score -66, it should in the range of [0, 100] after normalizing');
});

test('a Score plugin returning a fraction stops the run at that cycle: plugin-score, raw (before its NormalizeScore) or final', () => {
  const cases: [label: string, plugin: ScorePlugin, detail: RegExp][] = [
    ['score, no NormalizeScore', { name: 'Half', score: (_s, _p, node) => (node.name.endsWith('-0') ? 62.5 : 1) }, /^plugin Half scored node \S+-0 62\.5 for pod \S+; a score after NormalizeScore is an integer in \[0, 100\]$/],
    ['scoreNodes, no NormalizeScore', { name: 'HalfNodes', score: () => 1, scoreNodes: (_s, _p, nodes, out) => { for (let i = 0; i < nodes.length; i++) out[i] = nodes[i]!.name.endsWith('-0') ? 62.5 : 1; } }, /^plugin HalfNodes scored node \S+-0 62\.5 for pod \S+; a score after NormalizeScore is an integer in \[0, 100\]$/],
    ['raw score before NormalizeScore', { name: 'HalfRaw', score: (_s, _p, node) => (node.name.endsWith('-0') ? 7.5 : 1), normalizeScore: () => null }, /^plugin HalfRaw scored node \S+-0 7\.5 for pod \S+ before its NormalizeScore; a Score is an integer \(int64 upstream\)$/],
  ];
  for (const [label, plugin, detail] of cases) {
    const { caught } = runWithPlugin(plugin, true);
    assert.ok(caught instanceof InvariantViolation, `${label}: ${String(caught)}`);
    assert.equal(caught.invariant, 'plugin-score', label);
    assert.match(caught.detail, detail, label);
  }
});

test('a Filter plugin returning an Error stops the run: plugin-error', () => {
  const plugin: FilterPlugin = { name: 'BrokenFilter', filter: (_state, pod) => (pod.name.startsWith('batch') ? Status.error('lost my state') : null) };
  const { caught } = runWithPlugin(plugin, true);
  assert.ok(caught instanceof InvariantViolation, String(caught));
  assert.equal(caught.invariant, 'plugin-error');
  assert.match(caught.detail, /^scheduling pod jobs\/batch-\S+ ended in an Error from plugin BrokenFilter: running "BrokenFilter" filter plugin: lost my state$/);
});

test('a binding that fails as the API fails it (the node went away) is an `error` row, not a violation', () => {
  // Bind failures come from the API server (pod or node deleted meanwhile, injected faults):
  // the checker leaves them alone. This binder fails its first binding the way the API does.
  let failed = false;
  let handle: FrameworkHandle | null = null;
  const binder: BindPlugin = {
    name: 'FlakyBinder',
    bind: (_state, pod, nodeName, done) => {
      if (!failed) {
        failed = true;
        done(Status.error(`node ${nodeName} not found`));
        return null;
      }
      handle?.bindPod(pod, nodeName, (ok, reason) => done(ok ? null : Status.error(reason)));
      return null;
    },
  };
  const scenario = loadScenario(repoPath('scenarios/quickstart.yaml'), { set: ['duration=2m'] });
  const profile = scenario.scheduler.profiles[0]!;
  const r = runScenario(scenario, {
    checkInvariants: true,
    plugins: new Map<string, PluginFactory>([['FlakyBinder', (_args, h) => ((handle = h), binder)]]),
    profiles: [{ ...profile, plugins: [...profile.plugins.filter((p) => p.name !== 'DefaultBinder'), { name: 'FlakyBinder', weight: 0 }] }],
  });
  const placements = r.tables.find((t) => t.file === 'placements.csv')?.rows ?? [];
  const errors = placements.filter((p) => p['result'] === 'error');
  assert.equal(errors.length, 1);
  assert.match(String(errors[0]?.['reason']), /^node \S+ not found$/);
  assert.ok(placements.filter((p) => p['result'] === 'bound').length > 10);
});
