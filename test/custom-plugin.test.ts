// The README's custom-plugin example, run for real: an out-of-tree Filter/Score plugin
// registered by name and enabled in the profile changes placements as it should.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadScenario, runScenario, Status, type FilterPlugin, type ScorePlugin } from '../src/index.js';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NodeInfo } from '../src/cluster/node-info.js';
import type { PodInfo } from '../src/cluster/pod-info.js';
import { CycleState } from '../src/scheduler/framework/cycle-state.js';
import type { FrameworkHandle } from '../src/scheduler/framework/interfaces.js';
import { loadPluginModules } from '../src/scheduler/plugin-modules.js';
import { repoPath } from '../src/testing/repo-paths.js';
import { tempDir } from '../src/testing/temp-dir.js';

test('an out-of-tree plugin filters and scores through the same framework as built-ins', () => {
  const NAME = 'OnlyBigNodes';
  const plugin: FilterPlugin & ScorePlugin = {
    name: NAME,
    filter: (_state, _pod, node) => (node.pool === 'big' ? null : Status.unschedulable('node(s) are not big')),
    score: (_state, _pod, node) => Math.max(0, 100 - 2 * node.pods.length),
  };
  const scenario = loadScenario(repoPath('scenarios/quickstart.yaml'), { set: ['duration=3m'] });
  const profile = scenario.scheduler.profiles[0]!;
  const result = runScenario(scenario, {
    plugins: new Map([[NAME, () => plugin]]),
    profiles: [{ ...profile, plugins: [...profile.plugins, { name: NAME, weight: 2 }] }],
  });
  const placements = result.tables.find((t) => t.file === 'placements.csv')?.rows ?? [];
  const bound = placements.filter((r) => r['result'] === 'bound');
  assert.ok(bound.length >= 12, `only ${bound.length} pods bound`);
  assert.deepEqual([...new Set(bound.map((r) => String(r['node']).replace(/-\d+$/, '')))], ['big']);
  // 32 big CPUs cannot hold 6 CPUs of web plus a batch pod per 4 s for long: failures name both
  // plugins, and DefaultPreemption finds no lower-priority victims (every pod has priority 0).
  const failures = placements.filter((r) => r['result'] === 'unschedulable');
  assert.ok(failures.length > 0);
  for (const f of failures) {
    assert.equal(f['reason'], '0/8 nodes are available: 2 Insufficient cpu, 6 node(s) are not big. preemption: 0/8 nodes are available: 8 No preemption victims found for incoming pod.');
  }
});

test("the README's normalizeScore example runs with the documented signature: (state, pod, nodes, scores), scores rewritten in place", async () => {
  const readme = readFileSync(repoPath('README.md'), 'utf8');
  const block = /```js\n((?:(?!```)[\s\S])*?FewestPods(?:(?!```)[\s\S])*?)```/.exec(readme)?.[1];
  assert.ok(block !== undefined, 'the README has a ```js block with the FewestPods plugin');
  const dir = tempDir('ksim-readme-normalize-');
  try {
    const file = join(dir, 'fewest-pods.js');
    writeFileSync(file, block);
    const factories = await loadPluginModules([{ display: 'fewest-pods.js', path: file }]);
    const plugin = factories.get('FewestPods')!({}, {} as FrameworkHandle) as ScorePlugin;
    const nodes = [0, 2, 4, 1].map((n, i) => ({ name: `n-${i}`, pods: Array.from({ length: n }) })) as unknown as NodeInfo[];
    const state = new CycleState();
    const scores = Float64Array.from(nodes, (node) => plugin.score(state, {} as PodInfo, node));
    assert.deepEqual([...scores], [0, 2, 4, 1]);
    assert.equal(plugin.normalizeScore!(state, {} as PodInfo, nodes, scores), null);
    assert.deepEqual([...scores], [100, 50, 0, 75]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a library run of a scenario naming pluginModules asks for its plugins to be loaded first (it read the config\'s plugin names as unregistered), and runs with them', async () => {
  const scenario = loadScenario(repoPath('scenarios/gpu-binpack.yaml'), { set: ['duration=2m'] });
  assert.throws(
    () => runScenario(scenario),
    (e: Error) => e.message === `${repoPath('scenarios/gpu-binpack.yaml')}:18:19: scheduler.pluginModules[0]: expected its plugins loaded before the run: runScenario(scenario, { plugins: await loadPluginModules(scenario.pluginModules) }), as ksim run does, got runScenario without opts.plugins (1 module named)`,
  );
  const r = runScenario(scenario, { plugins: await loadPluginModules(scenario.pluginModules), sinks: 'none' });
  assert.ok(Number(r.summary['pods_bound']) > 0);
});
