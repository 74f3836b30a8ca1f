import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { InputError } from '../api/input-error.js';
import { repoPath } from '../testing/repo-paths.js';
import { tempDir } from '../testing/temp-dir.js';
import { loadScenario } from './scenario.js';
import { fileSha256, FILE_FIELDS, hashScenarioInputs, inputDifference, inputsOf, isKsimCode, readInputs, relativeImports, unionInputs } from './scenario-inputs.js';

const SCENARIO = `apiVersion: ksim/v1alpha1
kind: Scenario
duration: 10m
cluster:
  file: [../cluster/nodes.yaml]
  trace: { format: alibaba-gpu-2023, file: ../traces/nodes.csv }
scheduler:
  configFile: sched.yaml
  pluginModules: [../plugins/p.js, ../plugins/q.cjs]
workload:
  - { name: apps, file: ../manifests, recursive: true }
  - { name: stream, trace: { format: ksim-csv, file: ../traces/pods.csv } }
`;

/** A project using every field that names a file; the plugin modules import each other, a
 * JSON file, packages and built-ins. */
function project(): string {
  const root = tempDir('ksim-inputs-unit-');
  const files: Record<string, string> = {
    'scen/s.yaml': SCENARIO,
    'scen/sched.yaml': 'apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\nprofiles: [{ schedulerName: default-scheduler }]\n',
    'cluster/nodes.yaml': 'apiVersion: v1\nkind: Node\nmetadata: { name: snap-0 }\nstatus: { allocatable: { cpu: "4", memory: 8Gi, pods: "110" } }\n',
    'traces/nodes.csv': 'sn,cpu_milli,memory_mib,gpu,model\nopenb-node-0000,64000,262144,2,P100\n',
    'traces/pods.csv': 'time_s,name,namespace,cpu,memory,duration_s\n0.000,web-0,default,1,1Gi,10\n',
    'manifests/a.yaml': 'apiVersion: v1\nkind: Pod\nmetadata: { name: a }\nspec: { containers: [{ name: c, image: x }] }\n',
    'manifests/README.md': 'not read: not a manifest file\n',
    'manifests/sub/b.json': '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"b"},"spec":{"containers":[{"name":"c","image":"x"}]}}\n',
    'plugins/p.js': "import { Status } from 'ksim';\nimport { readFileSync } from 'node:fs';\nimport { a } from './lib/a.js';\nexport * from \"./lib/b.mjs\";\nconst later = () => import('./lib/c.js');\nexport const plugins = {};\n",
    'plugins/lib/a.js': "import '../p.js';\nimport table from './table.json' with { type: 'json' };\nexport const a = table;\n",
    'plugins/lib/b.mjs': 'export const b = 1;\n',
    'plugins/lib/c.js': 'export const c = 1;\n',
    'plugins/lib/table.json': '{"x": 1}\n',
    'plugins/lib/unused.js': 'export const unused = 1;\n',
    'plugins/q.cjs': "const r = require('./r');\nmodule.exports = { plugins: {} };\n",
    'plugins/r.js': 'module.exports = 1;\n',
  };
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, p)), { recursive: true });
    writeFileSync(join(root, p), text);
  }
  return root;
}

const sha = (text: string | Buffer) => createHash('sha256').update(text).digest('hex');

test('a scenario\'s input files are the scenario and every file its fields name, by path relative to the scenario', () => {
  const s = loadScenario(join(project(), 'scen', 's.yaml'));
  assert.deepEqual(s.inputFiles.map((f) => [f.path, f.field]), [
    ['s.yaml', '(the scenario)'],
    ['../cluster/nodes.yaml', 'cluster.file[0]'],
    ['../traces/nodes.csv', 'cluster.trace.file'],
    ['sched.yaml', 'scheduler.configFile'],
    ['../plugins/p.js', 'scheduler.pluginModules[0]'],
    ['../plugins/q.cjs', 'scheduler.pluginModules[1]'],
    // A directory: the files the loader reads from it (kubectl's order; not README.md).
    ['../manifests/a.yaml', 'workload[0].file'],
    ['../manifests/sub/b.json', 'workload[0].file'],
    ['../traces/pods.csv', 'workload[1].trace.file'],
  ]);
});

test('hashing follows the plugin modules\' relative imports (static, re-exports, literal dynamic, require), not packages', () => {
  const root = project();
  const inputs = hashScenarioInputs(loadScenario(join(root, 'scen', 's.yaml')));
  assert.deepEqual(inputs.files.map((f) => f.path), [
    '../cluster/nodes.yaml',
    '../manifests/a.yaml',
    '../manifests/sub/b.json',
    '../plugins/lib/a.js',
    '../plugins/lib/b.mjs',
    '../plugins/lib/c.js',
    '../plugins/lib/table.json',
    '../plugins/p.js',
    '../plugins/q.cjs',
    '../plugins/r.js',
    '../traces/nodes.csv',
    '../traces/pods.csv',
    's.yaml',
    'sched.yaml',
  ]);
  for (const f of inputs.files) assert.equal(f.sha256, sha(readFileSync(join(root, 'scen', f.path))), f.path);
  // The digest is the SHA-256 of the list as sha256sum prints it.
  assert.equal(inputs.sha256, sha(inputs.files.map((f) => `${f.sha256}  ${f.path}\n`).join('')));
});

test('the same files in another folder give the same record; one changed byte in an imported module changes it', () => {
  const a = project();
  const b = join(tempDir('ksim-inputs-copy-'), 'deeper', 'checkout');
  cpSync(a, b, { recursive: true });
  const ia = hashScenarioInputs(loadScenario(join(a, 'scen', 's.yaml')));
  assert.deepEqual(hashScenarioInputs(loadScenario(join(b, 'scen', 's.yaml'))), ia);
  writeFileSync(join(b, 'plugins', 'lib', 'table.json'), '{"x": 2}\n');
  const ib = hashScenarioInputs(loadScenario(join(b, 'scen', 's.yaml')));
  assert.notEqual(ib.sha256, ia.sha256);
  assert.match(inputDifference(ia.files, ib.files, 'a', 'b')!, /^\.\.\/plugins\/lib\/table\.json with other content \(SHA-256 [0-9a-f]{12}… in a, [0-9a-f]{12}… in b\)$/);
});

test('a file the scenario names by an absolute path is recorded by that path', () => {
  const root = project();
  const abs = join(root, 'scen', 'sched.yaml');
  const inputs = hashScenarioInputs(loadScenario(join(root, 'scen', 's.yaml'), { set: [`scheduler.configFile=${abs}`] }));
  assert.ok(inputs.files.some((f) => f.path === abs));
  assert.ok(!inputs.files.some((f) => f.path === 'sched.yaml'));
});

test('an input gone since the scenario was loaded is bad input naming it and the field', () => {
  const root = project();
  const s = loadScenario(join(root, 'scen', 's.yaml'));
  rmSync(join(root, 'traces', 'pods.csv'));
  assert.throws(
    () => hashScenarioInputs(s),
    (e: unknown) => e instanceof InputError && e.message === `${join(root, 'traces', 'pods.csv')}: expected a readable file (named by the scenario's workload[1].trace.file), got no such file`,
  );
});

test('fileSha256 streams: a file of several chunks hashes as its whole bytes do', () => {
  const path = join(tempDir('ksim-inputs-big-'), 'big.bin');
  const bytes = Buffer.alloc(2.5 * 1024 * 1024 + 7);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 31 + (i >> 11)) & 0xff;
  writeFileSync(path, bytes);
  assert.equal(fileSha256(path), sha(bytes));
  assert.equal(fileSha256(repoPath('scenarios/quickstart.yaml')), sha(readFileSync(repoPath('scenarios/quickstart.yaml'))));
});

test('relativeImports resolves require() without an extension and index files, and skips what does not exist', () => {
  const root = project();
  mkdirSync(join(root, 'plugins', 'dir'));
  writeFileSync(join(root, 'plugins', 'dir', 'index.js'), '');
  const src = "require('./r'); import x from './dir'; import './missing.js'; import 'lodash'; import fs from 'node:fs';";
  assert.deepEqual(relativeImports(src, join(root, 'plugins', 'm.js')).map((d) => d.file), [join(root, 'plugins', 'r.js'), join(root, 'plugins', 'dir', 'index.js')]);
});

test('records: union over matrix cells, differences named, old records (without inputs) read as null', () => {
  const one = inputsOf([{ path: 's.yaml', sha256: 'a'.repeat(64) }, { path: 'x.yaml', sha256: 'b'.repeat(64) }]);
  const two = inputsOf([{ path: 's.yaml', sha256: 'a'.repeat(64) }, { path: 'y.yaml', sha256: 'c'.repeat(64) }]);
  assert.deepEqual(unionInputs([one, two]).files.map((f) => f.path), ['s.yaml', 'x.yaml', 'y.yaml']);
  assert.equal(inputDifference(one.files, two.files, 'A', 'B'), 'x.yaml read by A only');
  assert.equal(inputDifference(one.files, one.files, 'A', 'B'), null);
  assert.equal(readInputs({ ksim_version: '0.1.0', scenario: {} }), null);
  assert.equal(readInputs({ inputs_sha256: one.sha256, inputs: [{ path: 1 }] }), null);
  assert.deepEqual(readInputs({ inputs_sha256: one.sha256, inputs: one.files }), one);
});

test('every scenario field the schema says is relative to the scenario is an input field', () => {
  const schema = JSON.parse(readFileSync(repoPath('schema/scenario.schema.json'), 'utf8')) as unknown;
  const found: string[] = [];
  const walk = (v: unknown, path: string[]): void => {
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...path, String(i)]));
    else if (typeof v === 'object' && v !== null) {
      const d = (v as Record<string, unknown>)['description'];
      if (typeof d === 'string' && d.includes('relative to the scenario')) found.push(path.join('.'));
      for (const [k, x] of Object.entries(v)) walk(x, [...path, k]);
    }
  };
  walk(schema, []);
  const asField: Record<string, string> = {
    'properties.cluster.properties.file': 'cluster.file',
    'definitions.clusterTrace.properties.file': 'cluster.trace.file',
    'properties.scheduler.properties.configFile': 'scheduler.configFile',
    'properties.scheduler.properties.pluginModules': 'scheduler.pluginModules',
    'definitions.workloadEntry.properties.file': 'workload[].file',
    'definitions.traceEntry.properties.file': 'workload[].trace.file',
  };
  assert.deepEqual(found.map((p) => asField[p] ?? `unknown: ${p}`).sort(), [...FILE_FIELDS].sort());
});

test('isKsimCode: files in the dist/ of a package named ksim (this one or another install), not another package\'s dist/', () => {
  const root = tempDir('ksim-inputs-ksim-code-');
  for (const [p, text] of Object.entries({ 'k/package.json': '{"name":"ksim"}', 'k/dist/src/index.js': '', 'o/package.json': '{"name":"other"}', 'o/dist/index.js': '', 'k/lib/x.js': '' })) {
    mkdirSync(dirname(join(root, p)), { recursive: true });
    writeFileSync(join(root, p), text);
  }
  assert.deepEqual(
    [repoPath('dist/src/index.js'), join(root, 'k/dist/src/index.js'), join(root, 'o/dist/index.js'), join(root, 'k/lib/x.js')].map(isKsimCode),
    [true, true, false, false],
  );
});
