// The bundled out-of-tree plugin example, run from its scenario as a user would.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { loadPluginModules, loadScenario, parseScenario, runScenario, InputError } from '../src/index.js';
import { repoPath } from '../src/testing/repo-paths.js';

async function placements(set: string[] = []): Promise<string[]> {
  const scenario = loadScenario(repoPath('scenarios/gpu-binpack.yaml'), { set });
  const plugins = await loadPluginModules(scenario.pluginModules);
  const result = runScenario(scenario, { plugins });
  return (result.tables.find((t) => t.file === 'placements.csv')?.rows ?? []).filter((r) => r['result'] === 'bound').map((r) => String(r['node']));
}

test('GpuBinPack packs 8 two-GPU pods onto 2 of the 4 nodes', async () => {
  const nodes = await placements();
  assert.equal(nodes.length, 8);
  const counts = new Map<string, number>();
  for (const n of nodes) counts.set(n, (counts.get(n) ?? 0) + 1);
  assert.equal(counts.size, 2, `pods spread over ${[...counts.keys()].join(', ')}`);
  assert.deepEqual([...counts.values()], [4, 4]);
});

test('without the plugin the default profile spreads the same pods over all 4 nodes', async () => {
  const nodes = await placements(['scheduler.config.profiles[0].plugins.multiPoint.enabled=[]']);
  assert.equal(new Set(nodes).size, 4);
});

test('bad plugin args are reported at their line in the scenario, or as the --set that gave them', async () => {
  const file = repoPath('scenarios/gpu-binpack.yaml');
  const bad = readFileSync(file, 'utf8').replace('args: { resource: nvidia.com/gpu }', 'args: { resource: gpu }');
  const inFile = parseScenario(bad, file);
  const inFilePlugins = await loadPluginModules(inFile.pluginModules);
  assert.throws(() => runScenario(inFile, { plugins: inFilePlugins }), (e: unknown) => {
    assert.ok(e instanceof InputError);
    assert.match(e.message, /gpu-binpack\.yaml:24:\d+: scheduler\.config\.profiles\[0\]\.pluginConfig\[0\]\.args\.resource: expected an extended resource name such as nvidia\.com\/gpu, got "gpu"$/);
    return true;
  });
  const set = 'scheduler.config.profiles[0].pluginConfig[0].args.resource=gpu';
  const scenario = loadScenario(file, { set: [set] });
  const plugins = await loadPluginModules(scenario.pluginModules);
  assert.throws(() => runScenario(scenario, { plugins }), (e: unknown) => {
    assert.ok(e instanceof InputError);
    assert.equal(e.message, `--set ${set}: scheduler.config.profiles[0].pluginConfig[0].args.resource: expected an extended resource name such as nvidia.com/gpu, got "gpu"`);
    return true;
  });
});

test('a module that does not export plugins is bad input', async () => {
  await assert.rejects(loadPluginModules([{ display: 'examples/explain/pod.yaml', path: repoPath('package.json') }]), (e: unknown) => {
    assert.ok(e instanceof InputError);
    return true;
  });
});
