// A sweep resumes a run, and `ksim merge` joins shards, only when every input file is the same
// by content: the scenario, its scheduler configFile, its plugin modules and the modules they
// import by relative path (a plugin author's CI reusing results of the old plugin was the bug).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { runSweep } from '../src/index.js';
import { KSIM_BIN, repoPath } from '../src/testing/repo-paths.js';
import { tempDir } from '../src/testing/temp-dir.js';

function ksim(args: readonly string[], cwd: string) {
  return spawnSync(process.execPath, [KSIM_BIN, ...args], { cwd, encoding: 'utf8' });
}

const SCENARIO = `apiVersion: ksim/v1alpha1
kind: Scenario
metadata: { name: plugin-ci }
duration: 2m
cluster:
  nodePools:
    - { name: small, count: 3, zones: [zone-a], allocatable: { cpu: "4", memory: 16Gi } }
    - { name: big, count: 3, zones: [zone-a], allocatable: { cpu: "16", memory: 64Gi } }
scheduler:
  pluginModules: [../plugins/prefer-pool.js]
  configFile: scheduler.yaml
workload:
  - name: web
    at: 0s
    manifest:
      apiVersion: apps/v1
      kind: Deployment
      metadata: { name: web, namespace: shop }
      spec:
        replicas: 6
        selector: { matchLabels: { app: web } }
        template:
          metadata: { labels: { app: web } }
          spec:
            containers: [{ name: web, image: nginx:1.27, resources: { requests: { cpu: 500m, memory: 1Gi } } }]
`;

const config = (weight: number) => `apiVersion: kubescheduler.config.k8s.io/v1
kind: KubeSchedulerConfiguration
profiles:
  - plugins:
      multiPoint:
        enabled: [{ name: PreferPool, weight: ${weight} }]
`;

/** A plugin module importing its weights from a module of its own (a relative import). */
const PLUGIN = `import { WEIGHTS } from './weights.js';
export const plugins = { PreferPool: () => ({ name: 'PreferPool', score: (_s, _p, node) => WEIGHTS[node.pool] ?? 0 }) };
`;
const weights = (small: number, big: number) => `export const WEIGHTS = { small: ${small}, big: ${big} };\n`;

/** A plugin author's checkout: scen/ (scenario, scheduler config) and plugins/. */
function checkout(): string {
  const root = tempDir('ksim-inputs-');
  mkdirSync(join(root, 'scen'));
  mkdirSync(join(root, 'plugins'));
  writeFileSync(join(root, 'scen', 'ci.yaml'), SCENARIO);
  writeFileSync(join(root, 'scen', 'scheduler.yaml'), config(5));
  writeFileSync(join(root, 'plugins', 'prefer-pool.js'), PLUGIN);
  writeFileSync(join(root, 'plugins', 'weights.js'), weights(100, 0));
  return root;
}

const SWEEP = ['sweep', 'scen/ci.yaml', '--seeds', '1-2', '--workers', '1', '-q'];

/** Runs the sweep into `out` (relative to `cwd`) and returns how many runs it resumed. */
function resumed(cwd: string, out: string, extra: readonly string[] = []): number {
  const r = ksim([...SWEEP, ...extra, '-o', out], cwd);
  assert.equal(r.status, 0, r.stderr);
  const m = / {2}resumed {2}(\d+)\n/.exec(r.stdout);
  assert.ok(m !== null, r.stdout);
  return Number(m[1]);
}

/** A run's pods at the end per node pool (nodes.csv), pools without pods left out. */
function podsPerPool(runDir: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of parse(readFileSync(join(runDir, 'nodes.csv'), 'utf8'), { columns: true }) as Record<string, string>[]) {
    if (Number(r['pods']) > 0) out[r['pool']!] = (out[r['pool']!] ?? 0) + Number(r['pods']);
  }
  return out;
}

function json(path: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
}

test('run.json and sweep.json record every input file by path relative to the scenario, with their digest', () => {
  const root = checkout();
  assert.equal(resumed(root, 'out'), 0);
  const run = json(join(root, 'out', 'r1', 'run.json'));
  const paths = (run['inputs'] as { path: string; sha256: string }[]).map((f) => f.path);
  assert.deepEqual(paths, ['../plugins/prefer-pool.js', '../plugins/weights.js', 'ci.yaml', 'scheduler.yaml']);
  for (const f of run['inputs'] as { sha256: string }[]) assert.match(f.sha256, /^[0-9a-f]{64}$/);
  assert.match(String(run['inputs_sha256']), /^[0-9a-f]{64}$/);
  const sweep = json(join(root, 'out', 'sweep.json'));
  assert.equal(sweep['inputs_sha256'], run['inputs_sha256']);
  assert.deepEqual(sweep['inputs'], run['inputs']);
});

test('a sweep run again resumes its runs only while the plugin module, its imports and the configFile are unchanged', () => {
  const root = checkout();
  assert.equal(resumed(root, 'out'), 0);
  assert.equal(resumed(root, 'out'), 2);
  const before = podsPerPool(join(root, 'out', 'r1'));
  assert.deepEqual(before, { small: 6 });
  // The plugin module's own bytes (a comment: the results may not even change).
  writeFileSync(join(root, 'plugins', 'prefer-pool.js'), `// v2\n${PLUGIN}`);
  assert.equal(resumed(root, 'out'), 0);
  assert.equal(resumed(root, 'out'), 2);
  // A module the plugin imports: the pods move from the small nodes to the big ones.
  writeFileSync(join(root, 'plugins', 'weights.js'), weights(0, 100));
  assert.equal(resumed(root, 'out'), 0);
  assert.deepEqual(podsPerPool(join(root, 'out', 'r1')), { big: 6 });
  // The scheduler configFile (only a weight).
  writeFileSync(join(root, 'scen', 'scheduler.yaml'), config(6));
  assert.equal(resumed(root, 'out'), 0);
  assert.equal(resumed(root, 'out'), 2);
});

test('the same inputs in another checkout (another absolute path) still resume', () => {
  const a = checkout();
  const out = join(tempDir('ksim-inputs-out-'), 'sweep');
  assert.equal(resumed(a, out), 0);
  const b = join(tempDir('ksim-inputs-copy-'), 'elsewhere');
  cpSync(a, b, { recursive: true });
  assert.equal(resumed(b, out), 2);
  assert.equal(json(join(out, 'r1', 'run.json'))['inputs_sha256'], json(join(out, 'sweep.json'))['inputs_sha256']);
});

test('a run folder written before inputs were recorded (run.json without them) runs again', () => {
  const root = checkout();
  assert.equal(resumed(root, 'out'), 0);
  const path = join(root, 'out', 'r1', 'run.json');
  const { inputs: _i, inputs_sha256: _s, ...old } = json(path);
  writeFileSync(path, `${JSON.stringify(old, null, 2)}\n`);
  assert.equal(resumed(root, 'out'), 1);
  assert.match(String(json(path)['inputs_sha256']), /^[0-9a-f]{64}$/);
});

test('with a matrix over configFile, changing one cell\'s file reruns that cell only', () => {
  const root = checkout();
  writeFileSync(join(root, 'scen', 'other.yaml'), config(1));
  const matrix = ['--matrix', 'scheduler.configFile=scheduler.yaml,other.yaml'];
  assert.equal(resumed(root, 'out', matrix), 0);
  assert.deepEqual((json(join(root, 'out', 'sweep.json'))['inputs'] as { path: string }[]).map((f) => f.path), ['../plugins/prefer-pool.js', '../plugins/weights.js', 'ci.yaml', 'other.yaml', 'scheduler.yaml']);
  assert.deepEqual((json(join(root, 'out', 'r3', 'run.json'))['inputs'] as { path: string }[]).map((f) => f.path), ['../plugins/prefer-pool.js', '../plugins/weights.js', 'ci.yaml', 'other.yaml']);
  writeFileSync(join(root, 'scen', 'other.yaml'), config(2));
  assert.equal(resumed(root, 'out', matrix), 2);
});

test('merge refuses shards made from different plugin modules, naming the file (exit 2)', () => {
  const root = checkout();
  assert.equal(resumed(root, 'shard-1', ['--shard', '1/2']), 0);
  writeFileSync(join(root, 'plugins', 'weights.js'), weights(0, 100));
  assert.equal(resumed(root, 'shard-2', ['--shard', '2/2']), 0);
  const r = ksim(['merge', 'shard-1', 'shard-2', '-o', 'merged'], root);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /^ksim: shard-2: sweep\.json: expected a shard made from the same input files as shard-1 \(the scenario and every file it reads, by SHA-256\), got \.\.\/plugins\/weights\.js with other content \(SHA-256 [0-9a-f]{12}… in shard-1, [0-9a-f]{12}… in shard-2\)\n$/);
  assert.equal(existsSync(join(root, 'merged')), false);
  // The same files again: shard 2 reruns, and the shards merge.
  writeFileSync(join(root, 'plugins', 'weights.js'), weights(100, 0));
  assert.equal(resumed(root, 'shard-2', ['--shard', '2/2']), 0);
  const ok = ksim(['merge', 'shard-1', 'shard-2', '-o', 'merged'], root);
  assert.equal(ok.status, 0, ok.stderr);
  assert.equal(json(join(root, 'merged', 'sweep.json'))['inputs_sha256'], json(join(root, 'shard-1', 'sweep.json'))['inputs_sha256']);
  // A shard written before inputs were recorded cannot be checked: refused, saying what to do.
  const path = join(root, 'shard-2', 'sweep.json');
  const { inputs: _i, inputs_sha256: _s, ...old } = json(path);
  writeFileSync(path, `${JSON.stringify(old, null, 2)}\n`);
  const older = ksim(['merge', 'shard-1', 'shard-2', '-o', 'merged-2'], root);
  assert.equal(older.status, 2);
  assert.equal(older.stderr, 'ksim: shard-2/sweep.json: inputs: expected the SHA-256 of every input file (as ksim sweep now records them), to check that the shards were made from the same files, got none (an older sweep folder: run its ksim sweep command again, which runs its runs again)\n');
});

test('a sweep that starts removes the earlier sweep.csv: an interrupted sweep leaves none to merge or compare', async () => {
  const root = checkout();
  assert.equal(resumed(root, 'out'), 0);
  assert.ok(existsSync(join(root, 'out', 'sweep.csv')));
  writeFileSync(join(root, 'plugins', 'weights.js'), weights(0, 100));
  const abort = new AbortController();
  abort.abort();
  const r = await runSweep({ scenario: join(root, 'scen', 'ci.yaml'), seeds: [1, 2], output: join(root, 'out'), workers: 1, signal: abort.signal });
  assert.equal(r.interrupted, true);
  assert.equal(existsSync(join(root, 'out', 'sweep.csv')), false);
  const rows = parse(readFileSync(join(root, 'out', 'r1', 'summary.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
  assert.equal(rows.length, 1); // the old run folders stay; the next sweep reruns them
});

test('a plugin importing ksim by path does not make ksim\'s own files inputs; merge of shards of two scenarios names the scenario first', () => {
  const root = checkout();
  // As a plugin author without `npm install ksim` does (README: import ksim's dist/src/index.js by path).
  writeFileSync(join(root, 'plugins', 'prefer-pool.js'), `import { Status } from ${JSON.stringify(repoPath('dist/src/index.js'))};\n${PLUGIN}`);
  assert.equal(resumed(root, 'shard-1', ['--shard', '1/2']), 0);
  const files = (json(join(root, 'shard-1', 'r1', 'run.json'))['inputs'] as { path: string }[]).map((f) => f.path);
  // Before: 200-odd absolute paths of ksim's dist/ too.
  assert.deepEqual(files, ['../plugins/prefer-pool.js', '../plugins/weights.js', 'ci.yaml', 'scheduler.yaml']);
  assert.deepEqual((json(join(root, 'shard-1', 'sweep.json'))['inputs'] as { path: string }[]).map((f) => f.path), files);
  // Shard 2 of another scenario file (and another plugin weight): the scenario is named, not a file it reads.
  writeFileSync(join(root, 'scen', 'ci2.yaml'), SCENARIO);
  writeFileSync(join(root, 'plugins', 'weights.js'), weights(0, 100));
  const r2 = ksim(['sweep', 'scen/ci2.yaml', '--seeds', '1-2', '--workers', '1', '-q', '--shard', '2/2', '-o', 'shard-2'], root);
  assert.equal(r2.status, 0, r2.stderr);
  const r = ksim(['merge', 'shard-1', 'shard-2', '-o', 'merged'], root);
  assert.equal(r.status, 2);
  assert.equal(r.stderr, 'ksim: shard-2: sweep.json: expected a shard made from the same input files as shard-1 (the scenario and every file it reads, by SHA-256), got the scenario scen/ci2.yaml (scen/ci.yaml in shard-1)\n');
  // The same scenario path with other content: named as the scenario too.
  writeFileSync(join(root, 'scen', 'ci.yaml'), `# edited\n${SCENARIO}`);
  const r3 = ksim(['sweep', 'scen/ci.yaml', '--seeds', '1-2', '--workers', '1', '-q', '--shard', '2/2', '-o', 'shard-3'], root);
  assert.equal(r3.status, 0, r3.stderr);
  const m = ksim(['merge', 'shard-1', 'shard-3', '-o', 'merged'], root);
  assert.match(m.stderr, /^ksim: shard-3: sweep\.json: expected a shard made from the same input files as shard-1 \(the scenario and every file it reads, by SHA-256\), got the scenario scen\/ci\.yaml with other content \(SHA-256 [0-9a-f]{12}… in shard-1, [0-9a-f]{12}… in shard-3\)\n$/);
});
