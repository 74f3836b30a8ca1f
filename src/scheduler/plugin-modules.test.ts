// User plugin modules (scheduler.pluginModules): import failures point at the scenario's field;
// a plugin's wrong return values and exceptions are reported as the plugin's, not as ksim bugs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { InputError } from '../api/input-error.js';
import { runScenario } from '../run/run-scenario.js';
import { KSIM_BIN, repoPath } from '../testing/repo-paths.js';
import { tempDir } from '../testing/temp-dir.js';
import { loadScenario } from '../workload/scenario.js';
import { CycleState } from './framework/cycle-state.js';
import type { FrameworkHandle, PluginFactory } from './framework/interfaces.js';
import { Code, Status } from './framework/status.js';
import { loadPluginModules, PluginFailure } from './plugin-modules.js';

/** A folder with plugin.js (the given source) and scenario.yaml enabling `plugin` (multiPoint);
 * scheduler.pluginModules[0] is at line 8, column 19. */
function fixture(source: string, plugin: string): { dir: string; scenario: string; module: string } {
  const dir = tempDir('ksim-plugin-modules-');
  const module = join(dir, 'plugin.js');
  writeFileSync(module, source);
  const scenario = join(dir, 'scenario.yaml');
  writeFileSync(
    scenario,
    `apiVersion: ksim/v1alpha1
kind: Scenario
metadata: {name: t}
duration: 1m
cluster:
  nodePools: [{name: g, count: 3, allocatable: {cpu: "4", memory: 16Gi}}]
scheduler:
  pluginModules: [plugin.js]
  config:
    apiVersion: kubescheduler.config.k8s.io/v1
    kind: KubeSchedulerConfiguration
    profiles:
      - plugins: {multiPoint: {enabled: [{name: ${plugin}}]}}
workload:
- name: web
  manifest:
    apiVersion: apps/v1
    kind: Deployment
    metadata: {name: web}
    spec:
      replicas: 2
      selector: {matchLabels: {app: web}}
      template:
        metadata: {labels: {app: web}}
        spec: {containers: [{name: c, image: nginx, resources: {requests: {cpu: 500m, memory: 1Gi}}}]}
`,
  );
  return { dir, scenario, module };
}

async function refusal(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  assert.fail('expected a rejection');
}

/** placements.csv's reasons of a run with the module's plugins, unchecked (with invariant
 * checks, as npm test turns on, a value that is no verdict stops the run: plugin-verdict). */
async function placementReasons(f: { scenario: string }): Promise<string[]> {
  const scenario = loadScenario(f.scenario);
  const plugins = await loadPluginModules(scenario.pluginModules);
  const t = runScenario(scenario, { plugins, checkInvariants: false }).tables.find((x) => x.file === 'placements.csv')!;
  return t.rows.map((r) => String(r['reason']));
}

test("a module whose own import cannot be resolved is named with Node's message and a hint, at the scenario's field", async () => {
  const f = fixture(`import { Status } from 'ksim';\nexport const plugins = { P: () => ({ name: 'P', filter: () => Status.unschedulable('no') }) };\n`, 'P');
  try {
    const e = await refusal(loadPluginModules(loadScenario(f.scenario).pluginModules));
    assert.ok(e instanceof InputError);
    assert.equal(
      e.message,
      `${f.scenario}:8:19: scheduler.pluginModules[0]: expected a plugin module whose imports Node can resolve, got "${f.module}": ` +
        `Cannot find package 'ksim' imported from ${f.module} (install ksim where the plugin can import it: npm install ksim in its folder or a parent; ` +
        `or import from ksim's dist: '${repoPath('dist/src/index.js')}')`,
    );
  } finally {
    rmSync(f.dir, { recursive: true, force: true });
  }
});

test("a module importing a missing relative file gets Node's message, no install hint", async () => {
  const f = fixture(`import './helper.js';\nexport const plugins = {};\n`, 'P');
  try {
    const e = await refusal(loadPluginModules(loadScenario(f.scenario).pluginModules));
    assert.equal(
      e.message,
      `${f.scenario}:8:19: scheduler.pluginModules[0]: expected a plugin module whose imports Node can resolve, got "${f.module}": Cannot find module '${f.dir}/helper.js' imported from ${f.module}`,
    );
  } finally {
    rmSync(f.dir, { recursive: true, force: true });
  }
});

test('a module gone between reading the scenario and importing it is "no such module", at the field', async () => {
  const f = fixture(`export const plugins = {};\n`, 'P');
  try {
    const scenario = loadScenario(f.scenario);
    rmSync(f.module);
    const e = await refusal(loadPluginModules(scenario.pluginModules));
    assert.equal(e.message, `${f.scenario}:8:19: scheduler.pluginModules[0]: expected an ES module exporting \`plugins\`: an object of plugin name → factory(args, handle), got "${f.module}": no such module`);
  } finally {
    rmSync(f.dir, { recursive: true, force: true });
  }
});

test("a module that fails to load names the line and column of the module where Node gives them (syntax error, missing export, top-level exception), at the scenario's field", async () => {
  const EXPECTED = 'expected an ES module exporting `plugins`: an object of plugin name → factory(args, handle)';
  const cases: [source: string, why: (module: string) => string][] = [
    [`export const plugins = {\n  Broken: () => ({ name: 'Broken', score( { return 1 } }),\n};\n`, (m) => `${m}:2:52: SyntaxError: Unexpected number`],
    [`import { nope } from 'node:fs';\nexport const plugins = {};\n`, (m) => `${m}:1:10: SyntaxError: The requested module 'node:fs' does not provide an export named 'nope'`],
    [`export const plugins = {};\nconst o = null;\no.x = 1;\n`, (m) => `${m}:3:5: TypeError: Cannot set properties of null (setting 'x')`],
  ];
  for (const [source, why] of cases) {
    const f = fixture(source, 'P');
    try {
      const e = await refusal(loadPluginModules(loadScenario(f.scenario).pluginModules));
      assert.ok(e instanceof InputError, String(e));
      assert.equal(e.message, `${f.scenario}:8:19: scheduler.pluginModules[0]: ${EXPECTED}, got "${f.module}": it failed to load: ${why(f.module)}`);
    } finally {
      rmSync(f.dir, { recursive: true, force: true });
    }
  }
});

test('a syntax error or top-level exception in a file the module imports names that file, line and column', async () => {
  const EXPECTED = 'expected an ES module exporting `plugins`: an object of plugin name → factory(args, handle)';
  const cases: [helper: string, why: (helper: string) => string][] = [
    [`export const x = 1;\nconst y = ;\n`, (h) => `${h}:2:11: SyntaxError: Unexpected token ';'`],
    [`export const x = 1;\nnull.y = 2;\n`, (h) => `${h}:2:8: TypeError: Cannot set properties of null (setting 'y')`],
  ];
  for (const [helper, why] of cases) {
    const f = fixture(`import { x } from './lib/helper.js';\nexport const plugins = { P: () => ({ name: 'P', score: () => x }) };\n`, 'P');
    try {
      mkdirSync(join(f.dir, 'lib'));
      writeFileSync(join(f.dir, 'lib', 'helper.js'), helper);
      const e = await refusal(loadPluginModules(loadScenario(f.scenario).pluginModules));
      assert.equal(e.message, `${f.scenario}:8:19: scheduler.pluginModules[0]: ${EXPECTED}, got "${f.module}": it failed to load: ${why(join(f.dir, 'lib', 'helper.js'))}`);
    } finally {
      rmSync(f.dir, { recursive: true, force: true });
    }
  }
});

test("a module's exports that are not plugins are named at the scenario's field, with the path in the module", async () => {
  const EXPECTED = 'an ES module exporting `plugins`: an object of plugin name → factory(args, handle)';
  const cases: [source: string, expected: string, got: string][] = [
    [`export default { Foo: () => ({ name: 'Foo', score: () => 0 }) };\n`, EXPECTED, 'it exports default (without `plugins`)'],
    [`export const plugins = { Foo: 3 };\n`, 'plugins.Foo to be a factory function (args, handle) => plugin', 'plugins.Foo is a number'],
    [`export const plugins = { NodeAffinity: () => ({ name: 'NodeAffinity' }) };\n`, 'plugins.NodeAffinity to be a name that is not a built-in plugin', 'plugins.NodeAffinity is "NodeAffinity"'],
  ];
  for (const [source, expected, got] of cases) {
    const f = fixture(source, 'Foo');
    try {
      const e = await refusal(loadPluginModules(loadScenario(f.scenario).pluginModules));
      assert.ok(e instanceof InputError, String(e));
      assert.equal(e.message, `${f.scenario}:8:19: scheduler.pluginModules[0]: expected ${expected}, got "${f.module}": ${got}`);
    } finally {
      rmSync(f.dir, { recursive: true, force: true });
    }
  }
});

test('a Filter plugin returning a status-shaped plain object ends the cycle with an Error naming it', async () => {
  const f = fixture(`export const plugins = { NotSmall: () => ({ name: 'NotSmall', filter: () => ({ code: 2, reasons: ['node(s) are small'] }) }) };\n`, 'NotSmall');
  try {
    const reasons = await placementReasons(f);
    assert.ok(reasons.length > 0);
    for (const r of reasons) {
      assert.equal(r, `plugin "NotSmall" Filter returned {"code":2,"reasons":["node(s) are small"]}: expected null or a Status (import { Status } from 'ksim')`);
    }
  } finally {
    rmSync(f.dir, { recursive: true, force: true });
  }
});

test('a Reserve plugin returning a plain object is an error attempt, not a crash in the scheduler', async () => {
  const f = fixture(`export const plugins = { R: () => ({ name: 'R', reserve: () => ({ code: 2 }), unreserve() {} }) };\n`, 'R');
  try {
    const reasons = await placementReasons(f);
    assert.ok(reasons.length > 0);
    for (const r of reasons) assert.equal(r, `plugin "R" Reserve returned {"code":2}: expected null or a Status (import { Status } from 'ksim')`);
  } finally {
    rmSync(f.dir, { recursive: true, force: true });
  }
});

test('every extension point that reads a returned status checks a user plugin\'s value', async () => {
  const plain = `({ code: 2, reasons: ['x'] })`;
  const f = fixture(
    `export const plugins = { P: () => ({
      name: 'P',
      count: 0,
      preEnqueue: () => ${plain},
      preFilter: () => ({ status: ${plain} }),
      addPod: () => ${plain},
      filter() { this.count++; return null; },
      postFilter: () => null,
      preScore: () => undefined,
      normalizeScore: () => ${plain},
      reserve: () => ${plain},
      unreserve() {},
      permit: () => ({ status: ${plain}, waitUs: 5 }),
      preBind: () => ${plain},
      bind: (_s, _p, _n, done) => { done(${plain}); return null; },
    }) };\n`,
    'P',
  );
  try {
    const reg = await loadPluginModules(loadScenario(f.scenario).pluginModules);
    const p = (reg.get('P') as PluginFactory)(undefined, {} as FrameworkHandle) as unknown as Record<string, (...a: unknown[]) => unknown> & { count: number };
    const st = new CycleState();
    const bad = (point: string, got = `{"code":2,"reasons":["x"]}`) => new Status(Code.Error, [`plugin "P" ${point} returned ${got}: expected null or a Status (import { Status } from 'ksim')`], 'P');
    assert.deepEqual(p['preEnqueue']!({}), bad('PreEnqueue'));
    assert.deepEqual(p['preFilter']!(st, {}, []), { status: bad('PreFilter') });
    assert.deepEqual(p['addPod']!(st, {}, {}, {}), bad('PreFilter AddPod'));
    assert.deepEqual(p['postFilter']!(st, {}, new Map()), {
      status: new Status(Code.Error, [`plugin "P" PostFilter returned null: expected { status: null or a Status, ... } (import { Status } from 'ksim')`], 'P'),
    });
    assert.deepEqual(p['preScore']!(st, {}, []), bad('PreScore', 'undefined'));
    assert.deepEqual(p['normalizeScore']!(st, {}, [], new Float64Array(0)), bad('NormalizeScore'));
    assert.deepEqual(p['reserve']!(st, {}, 'n'), bad('Reserve'));
    assert.deepEqual(p['permit']!(st, {}, 'n'), { status: bad('Permit'), waitUs: 5 });
    assert.deepEqual(p['preBind']!(st, {}, 'n'), bad('PreBind'));
    let done: unknown = 'not called';
    p['bind']!(st, {}, 'n', (v: unknown) => (done = v));
    assert.deepEqual(done, bad('Bind'));
    // Nulls and Statuses pass as they are; methods run with `this` the plugin; the plugin keeps
    // exactly the extension points it had.
    assert.equal(p['filter']!(st, {}, {}), null);
    p['filter']!(st, {}, {});
    assert.equal(p.count, 2);
    assert.equal(p['score'], undefined);
    assert.equal(p['less'], undefined);
  } finally {
    rmSync(f.dir, { recursive: true, force: true });
  }
});

const THROWING = `// A Score plugin with a bug.
export const plugins = {
  Buggy: () => ({ name: 'Buggy', score() { throw new Error('boom from plugin'); } }),
};
`;

test("a user plugin's exception is reported as the plugin's: point, pod, node, message and its frame", async () => {
  const f = fixture(THROWING, 'Buggy');
  try {
    const e = await refusal(placementReasons(f));
    assert.ok(e instanceof PluginFailure);
    assert.match(e.message, /^plugin "Buggy" Score threw Error: boom from plugin \(pod default\/web-[a-z0-9]+-[a-z0-9]+, node g-\d\)\n {4}at Object\.score \((.*)\)$/);
    assert.equal(/\((.*)\)$/.exec(e.message)?.[1], `${f.module}:3:50`);
  } finally {
    rmSync(f.dir, { recursive: true, force: true });
  }
});

test('the CLI reports a user plugin exception without calling it a ksim bug (exit 1)', () => {
  const f = fixture(THROWING, 'Buggy');
  try {
    const r = spawnSync(process.execPath, [KSIM_BIN, 'run', f.scenario, '-o', join(f.dir, 'out'), '-q'], { encoding: 'utf8' });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /^ksim: plugin "Buggy" Score threw Error: boom from plugin \(pod default\/web-\S+, node g-\d\)\n {4}at Object\.score \(.*plugin\.js:3:50\)\n$/);
    assert.doesNotMatch(r.stderr, /internal error|this is a bug/);
  } finally {
    rmSync(f.dir, { recursive: true, force: true });
  }
});

test("a plugin not loaded from a module (built-in or library-given) still throws as it is: ksim's error", () => {
  const f = fixture(THROWING, 'Buggy');
  try {
    const scenario = loadScenario(f.scenario);
    const boom = new Error('boom');
    const plugins = new Map<string, PluginFactory>([['Buggy', () => ({ name: 'Buggy', score: () => { throw boom; } }) as never]]);
    assert.throws(() => runScenario(scenario, { plugins }), (e) => e === boom);
  } finally {
    rmSync(f.dir, { recursive: true, force: true });
  }
});

test("a factory's own mistakes are the plugin's, not ksim's bugs: an exception (other than FieldError) and a value that is not a plugin object (exit 1, no stack)", () => {
  const cases: [source: string, stderr: RegExp][] = [
    [`export const plugins = {\n  Picky: (args) => { if (args === undefined) throw new Error('bad args, plain Error'); return { name: 'Picky' }; },\n};\n`, /^ksim: plugin "Picky" factory threw Error: bad args, plain Error\n {4}at Picky \(.*plugin\.js:2:52\)\n$/],
    [`export const plugins = {\n  Picky: () => undefined,\n};\n`, /^ksim: plugin "Picky" factory returned undefined: expected a plugin object \(\{ name: "Picky", \.\.\.its extension-point methods \}\) \(.*plugin\.js\)\n$/],
  ];
  for (const [source, stderr] of cases) {
    const f = fixture(source, 'Picky');
    try {
      const r = spawnSync(process.execPath, [KSIM_BIN, 'run', f.scenario, '-o', join(f.dir, 'out'), '-q'], { encoding: 'utf8' });
      assert.equal(r.status, 1, r.stderr);
      assert.match(r.stderr, stderr);
      assert.doesNotMatch(r.stderr, /internal error|this is a bug/);
    } finally {
      rmSync(f.dir, { recursive: true, force: true });
    }
  }
});

test("with invariant checks on, a plugin module's score out of range or not an integer stops the run as the plugin's error (plugin-score), naming the pod and node", async () => {
  const nonInteger = 'returns a non-integer score 62.5: scores are integers (int64 upstream)';
  const cases: [name: string, methods: string, message: string][] = [
    ['TooHigh', 'score() { return 101; }', 'returns an invalid score 101, it should in the range of [0, 100] after normalizing'],
    ['Frac', 'score() { return 62.5; }', nonInteger],
    ['FracNodes', 'score() { return 62.5; }, scoreNodes(s, p, nodes, out) { out.fill(62.5, 0, nodes.length); }', nonInteger],
    ['FracRaw', 'score() { return 62.5; }, normalizeScore() { return null; }', nonInteger],
    ['Negative', 'score() { return 1; }, normalizeScore(s, p, nodes, scores) { scores.fill(-3, 0, nodes.length); return null; }', 'returns an invalid score -3, it should in the range of [0, 100] after normalizing'],
    ['Str', 'score() { return "50"; }', 'returns a score of type string ("50"): scores are integers (int64 upstream)'],
  ];
  for (const [name, methods, message] of cases) {
    const f = fixture(`export const plugins = {\n  ${name}: () => ({ name: '${name}', ${methods} }),\n};\n`, name);
    try {
      const scenario = loadScenario(f.scenario);
      const plugins = await loadPluginModules(scenario.pluginModules);
      const e = await refusal(Promise.resolve().then(() => runScenario(scenario, { plugins, checkInvariants: true })));
      assert.ok(e instanceof PluginFailure, `${name}: ${String(e)}`);
      assert.match(e.message, new RegExp(`^plugin "${name}" ${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(pod default/web-[a-z0-9]+-[a-z0-9]+, node g-[0-2]; --check-invariants: plugin-score\\)$`), name);
      // Unchecked, the same score is an error row (upstream's Error status).
      const rows = runScenario(scenario, { plugins, checkInvariants: false }).tables.find((x) => x.file === 'placements.csv')!.rows;
      assert.ok(rows.length >= 2, name);
      for (const r of rows) assert.deepEqual([r['result'], r['reason']], ['error', `plugin "${name}" ${message}`], name);
    } finally {
      rmSync(f.dir, { recursive: true, force: true });
    }
  }
});

test('ksim run --check-invariants with a plugin module scoring 62.5 exits 1 naming the plugin, not as a ksim bug', () => {
  const f = fixture(`export const plugins = {\n  Frac: () => ({ name: 'Frac', score: () => 62.5 }),\n};\n`, 'Frac');
  try {
    const r = spawnSync(process.execPath, [KSIM_BIN, 'run', f.scenario, '-o', join(f.dir, 'out'), '-q', '--check-invariants'], { encoding: 'utf8' });
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /^ksim: plugin "Frac" returns a non-integer score 62\.5: scores are integers \(int64 upstream\) \(pod default\/web-\S+, node g-[0-2]; --check-invariants: plugin-score\)\n$/);
  } finally {
    rmSync(f.dir, { recursive: true, force: true });
  }
});

test("with invariant checks on, a plugin module's value that is not a verdict (true, a string, undefined, a status-shaped object), at any extension point, stops the run as the plugin's error (plugin-verdict), as a bad score does", async () => {
  const expected = "expected null or a Status (import { Status } from 'ksim')";
  // [plugin, methods, message, whether the point has a node]
  const cases: [name: string, methods: string, message: string, node: boolean][] = [
    ['Yes', 'filter: () => true', `Filter returned true: ${expected}`, true],
    ['Str', "filter: () => 'ok'", `Filter returned "ok": ${expected}`, true],
    ['Undef', 'filter() {}', `Filter returned undefined: ${expected}`, true],
    ['Shaped', "filter: () => ({ code: 2, reasons: ['not big'] })", `Filter returned {"code":2,"reasons":["not big"]}: ${expected}`, true],
    ['Batch', "filter: () => null, filterNodes(s, p, nodes, from, to, rej) { for (let i = from; i < to; i++) { rej.at[i - from] = i; rej.verdicts[i - from] = 'no'; } return to - from; }", `Filter returned "no": ${expected}`, true],
    ['Pre', "preFilter: () => ({ status: 'fine' }), filter: () => null", `PreFilter returned "fine": ${expected}`, false],
    ['PreNum', 'preFilter: () => 7, filter: () => null', "PreFilter returned 7: expected { status: null or a Status, ... } (import { Status } from 'ksim')", false],
    ['PreSc', 'preScore: () => false, score: () => 1', `PreScore returned false: ${expected}`, false],
    ['Norm', 'score: () => 1, normalizeScore: () => 0', `NormalizeScore returned 0: ${expected}`, false],
    ['Res', 'reserve: () => true, unreserve() {}', `Reserve returned true: ${expected}`, true],
    ['Perm', 'permit: () => ({ status: 1 })', `Permit returned 1: ${expected}`, true],
    ['PreB', "preBind: () => 'bound'", `PreBind returned "bound": ${expected}`, true],
  ];
  const quote = (t: string) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  for (const [name, methods, message, node] of cases) {
    const f = fixture(`export const plugins = {\n  ${name}: () => ({ name: '${name}', ${methods} }),\n};\n`, name);
    try {
      const scenario = loadScenario(f.scenario);
      const plugins = await loadPluginModules(scenario.pluginModules);
      const e = await refusal(Promise.resolve().then(() => runScenario(scenario, { plugins, checkInvariants: true })));
      assert.ok(e instanceof PluginFailure, `${name}: ${String(e)}`);
      assert.match(e.message, new RegExp(`^plugin "${name}" ${quote(message)} \\(pod default/web-[a-z0-9]+-[a-z0-9]+${node ? ', node g-[0-2]' : ''}; --check-invariants: plugin-verdict\\)$`), name);
      // Unchecked, the same value is an Error status: no pod is bound.
      const rows = runScenario(scenario, { plugins, checkInvariants: false }).tables.find((x) => x.file === 'placements.csv')!.rows;
      assert.ok(rows.length >= 2, name);
      for (const r of rows) assert.notEqual(r['result'], 'scheduled', name);
    } finally {
      rmSync(f.dir, { recursive: true, force: true });
    }
  }
});

test('ksim run --check-invariants with a plugin module whose Filter returns a status-shaped object exits 1 naming the plugin, the point, the value and what was expected', () => {
  const f = fixture(`export const plugins = {\n  OnlyBig: () => ({ name: 'OnlyBig', filter: () => ({ code: 2, reasons: ['not big'] }) }),\n};\n`, 'OnlyBig');
  try {
    const r = spawnSync(process.execPath, [KSIM_BIN, 'run', f.scenario, '-o', join(f.dir, 'out'), '-q', '--check-invariants'], { encoding: 'utf8' });
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /^ksim: plugin "OnlyBig" Filter returned \{"code":2,"reasons":\["not big"\]\}: expected null or a Status \(import \{ Status \} from 'ksim'\) \(pod default\/web-\S+, node g-[0-2]; --check-invariants: plugin-verdict\)\n$/);
    assert.doesNotMatch(r.stderr, /internal error|this is a bug/);
    // Unchecked it is the cycle's Error: an error row, exit 0.
    const u = spawnSync(process.execPath, [KSIM_BIN, 'run', f.scenario, '-o', join(f.dir, 'out'), '-q'], { encoding: 'utf8', env: { ...process.env, KSIM_CHECK_INVARIANTS: '' } });
    assert.equal(u.status, 0, u.stderr);
  } finally {
    rmSync(f.dir, { recursive: true, force: true });
  }
});

test('ksim run with a plugin module whose Filter errs on every node warns on stderr that every scheduling attempt erred, naming the plugin and its first error', () => {
  const f = fixture(`import { Status } from ${JSON.stringify(new URL('../index.js', import.meta.url).pathname)};
export const plugins = { MetricsGate: () => ({ name: 'MetricsGate', filter: () => Status.error('cannot reach metrics api') }) };
`, 'MetricsGate');
  try {
    const r = spawnSync(process.execPath, [KSIM_BIN, 'run', f.scenario, '-o', join(f.dir, 'out'), '-q'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const warnings = r.stderr.split('\n').filter((l) => l.includes('scheduling attempts'));
    assert.deepEqual(warnings, ['ksim: warning: 16 of 16 scheduling attempts ended in an error, so the scheduler bound no pod; the first (pod default/web-5478794fb5-vnjx9, at 10.465ms) from plugin MetricsGate: running "MetricsGate" filter plugin: cannot reach metrics api']);
  } finally {
    rmSync(f.dir, { recursive: true, force: true });
  }
});

test('a PreFilter (or Permit) returning a bare Status, not { status }, is told so, not that its status is undefined', async () => {
  const f = fixture(`import { Status } from ${JSON.stringify(new URL('../index.js', import.meta.url).pathname)};
export const plugins = { P: () => ({
  name: 'P',
  preFilter: () => Status.unschedulable('no'),
  permit: () => ({ code: 2, reasons: ['x'] }),
}) };
`, 'P');
  try {
    const reg = await loadPluginModules(loadScenario(f.scenario).pluginModules);
    const p = (reg.get('P') as PluginFactory)(undefined, {} as FrameworkHandle) as unknown as Record<string, (...a: unknown[]) => unknown>;
    const st = new CycleState();
    const wrapped = (point: string) => ({ status: new Status(Code.Error, [`plugin "P" ${point} returned a Status: expected { status: null or a Status, ... } (wrap it: { status })`], 'P') });
    assert.deepEqual(p['preFilter']!(st, {}, []), wrapped('PreFilter'));
    assert.deepEqual(p['permit']!(st, {}, 'n'), wrapped('Permit'));
  } finally {
    rmSync(f.dir, { recursive: true, force: true });
  }
});

test("a plugin whose name is not the key it is registered under is a configuration error at the scenario's pluginModules entry (exit 2), naming both", async () => {
  const f = fixture(`export const plugins = {\n  KeyName: () => ({ name: 'OtherName', filter: () => null }),\n};\n`, 'KeyName');
  try {
    const message =
      `${f.scenario}:8:19: scheduler.pluginModules[0]: expected plugins.KeyName to make a plugin named "KeyName", the key it is registered under in \`plugins\`, ` +
      `got "${f.module}": its plugin is named "OtherName"`;
    const r = spawnSync(process.execPath, [KSIM_BIN, 'run', f.scenario, '-o', join(f.dir, 'out'), '-q'], { encoding: 'utf8' });
    assert.equal(r.status, 2, r.stderr);
    assert.equal(r.stderr, `ksim: ${message}\n`);
    // From the library, the same InputError; without a scenario (explain --plugin-module), at the module.
    const scenario = loadScenario(f.scenario);
    const e = await refusal(loadPluginModules(scenario.pluginModules).then((plugins) => runScenario(scenario, { plugins })));
    assert.ok(e instanceof InputError, String(e));
    assert.equal(e.message, message);
    const bare = await loadPluginModules([{ display: 'plugin.js', path: f.module }]);
    assert.throws(() => bare.get('KeyName')!({}, {} as FrameworkHandle), {
      name: 'InputError',
      message: 'plugin.js: plugins.KeyName: expected a plugin named "KeyName", the key it is registered under in `plugins`, got "OtherName"',
    });
  } finally {
    rmSync(f.dir, { recursive: true, force: true });
  }
});

test('a plugin\'s eventsToRegister entries and queueing hint results are checked: a wrong shape is the plugin\'s mistake, named, not a crash of ksim nor a pod silently never requeued', async () => {
  // A Filter that rejects every pod until general-2 exists (it never does): each entry's shape
  // is checked when the scheduler starts, each hint's answer when a node event asks it.
  const ksim = new URL('../index.js', import.meta.url).href;
  const plugin = (events: string, hint = "() => 'Queue'") =>
    `import { Status } from '${ksim}';\nexport const plugins = { P: () => ({ name: 'P', filter: () => Status.unschedulable('no'), eventsToRegister: () => ${events.replace('HINT', hint)} }) };\n`;
  const cases: [source: string, message: string][] = [
    [plugin("[{ resource: 'Pod', actionType: 2 }]"), 'plugin "P" eventsToRegister()[0]: expected { event: { resource, actionType }, hint? }, got resource and actionType outside `event`'],
    [plugin("[{ event: { resource: 'pod', actionType: 2 } }]"), 'plugin "P" eventsToRegister()[0]: event.resource: expected one of Pod, Node, AssignedPod, UnscheduledPod, *, got "pod"'],
    [plugin("[{ event: { resource: 'Node', actionType: 0 } }]"), 'plugin "P" eventsToRegister()[0]: event.actionType: expected ActionType bits (import { ActionType } from \'ksim\'), got 0'],
    [plugin("[{ event: { resource: 'Node', actionType: 1 }, hint: 'Queue' }]"), 'plugin "P" eventsToRegister()[0]: hint: expected a function (pod, oldObj, newObj) => \'Queue\' | \'QueueSkip\', got "Queue"'],
    [plugin('({})'), 'plugin "P" eventsToRegister returned {}: expected a list of { event: { resource, actionType }, hint? }'],
    [plugin("[{ event: { resource: 'Node', actionType: 1 }, hint: HINT }]", '() => true'), 'plugin "P" QueueingHint returned true: expected \'Queue\' or \'QueueSkip\''],
  ];
  for (const [source, message] of cases) {
    const f = fixture(source, 'P');
    try {
      const scenario = loadScenario(f.scenario);
      const plugins = await loadPluginModules(scenario.pluginModules);
      // The last case's hint is asked when a node joins: one is added 30 s in.
      const withNode = { ...scenario, nodes: [...scenario.nodes, { ...scenario.nodes[0]!, node: { ...scenario.nodes[0]!.node, metadata: { ...scenario.nodes[0]!.node.metadata, name: 'late' } }, joinAtUs: 30_000_000 }] };
      assert.throws(() => runScenario(withNode, { plugins }), (e: unknown) => e instanceof PluginFailure && e.message === `${message} (${f.module})`, message);
    } finally {
      rmSync(f.dir, { recursive: true, force: true });
    }
  }
});

test('a factory returning a Promise (an async factory), a plugin without a name, and `plugins` exported as a list are named for what they are', async () => {
  const asyncF = fixture(`export const plugins = { P: async () => ({ name: 'P', score: () => 1 }) };\n`, 'P');
  const nameless = fixture(`export const plugins = { P: () => ({ score: () => 1 }) };\n`, 'P');
  const list = fixture(`export const plugins = [() => ({ name: 'P', score: () => 1 })];\n`, 'P');
  try {
    let scenario = loadScenario(asyncF.scenario);
    let plugins = await loadPluginModules(scenario.pluginModules);
    assert.throws(() => runScenario(scenario, { plugins }), (e: unknown) => e instanceof PluginFailure && e.message === `plugin "P" factory returned a Promise: expected a plugin object ({ name: "P", ...its extension-point methods }); a factory is called synchronously, so it cannot be async (${asyncF.module})`);
    scenario = loadScenario(nameless.scenario);
    plugins = await loadPluginModules(scenario.pluginModules);
    assert.throws(() => runScenario(scenario, { plugins }), (e: unknown) => e instanceof InputError && e.message.endsWith(`expected plugins.P to make a plugin named "P", the key it is registered under in \`plugins\`, got "${nameless.module}": its plugin is named undefined`));
    const e = await refusal(loadPluginModules(loadScenario(list.scenario).pluginModules));
    assert.ok(e.message.endsWith(`got "${list.module}": it exports plugins as a list, not an object`), e.message);
  } finally {
    for (const f of [asyncF, nameless, list]) rmSync(f.dir, { recursive: true, force: true });
  }
});

test('a module a --set named is blamed on the --set argument when it fails to import, not on the file\'s pluginModules line', async () => {
  const f = fixture(`export const plugins = { P: () => ({ name: 'P', score: () => 1 }) };\n`, 'P');
  try {
    writeFileSync(join(f.dir, 'other.js'), 'export default {};\n');
    const scenario = loadScenario(f.scenario, { set: ['scheduler.pluginModules[0]=other.js'] });
    const e = await refusal(loadPluginModules(scenario.pluginModules));
    assert.equal(e.message, `--set scheduler.pluginModules[0]=other.js: scheduler.pluginModules[0]: expected an ES module exporting \`plugins\`: an object of plugin name → factory(args, handle), got "${join(f.dir, 'other.js')}": it exports default (without \`plugins\`)`);
  } finally {
    rmSync(f.dir, { recursive: true, force: true });
  }
});

test('an exception thrown in a file the plugin imports shows that frame, then the plugin\'s own', async () => {
  const f = fixture(`import { ratio } from './lib/h.js';\nexport const plugins = {\n  Buggy: () => ({ name: 'Buggy', score: () => ratio(1, 0) }),\n};\n`, 'Buggy');
  try {
    mkdirSync(join(f.dir, 'lib'));
    writeFileSync(join(f.dir, 'lib', 'h.js'), 'export function ratio(a, b) {\n  if (b === 0) throw new RangeError(\'division by zero\');\n  return a / b;\n}\n');
    const e = await refusal(placementReasons(f));
    assert.ok(e instanceof PluginFailure);
    const lines = e.message.split('\n');
    assert.match(lines[0] ?? '', /^plugin "Buggy" Score threw RangeError: division by zero \(pod default\/web-\S+, node g-\d\)$/);
    assert.equal(lines[1], `    at ratio (${relative(process.cwd(), join(f.dir, 'lib', 'h.js'))}:2:22)`);
    assert.equal(lines[2], `    at Object.score (${f.module}:3:47)`);
    assert.equal(lines.length, 3);
  } finally {
    rmSync(f.dir, { recursive: true, force: true });
  }
});

test("a module's plugin with a misspelt method beside a valid one is refused at its profile entry (exit 2), naming the key and the extension point; one with no extension point's method names the methods it has", () => {
  for (const [source, got] of [
    [`export const plugins = {\n  Half: () => ({ name: 'Half', filter: () => null, Score: (_s, _p, node) => (node.name === 'g-2' ? 100 : 0) }),\n};\n`, 'expected extension-point methods spelt as the scheduler calls them (score, of Score): a misspelt one is never called, got plugin "Half" with "Score"'],
    // Before, the guard the module's plugin is wrapped in hid its methods: "with none".
    [`export const plugins = {\n  Half: () => ({ name: 'Half', pick: () => 0, state: 1 }),\n};\n`, 'expected a plugin with a method of at least one extension point (preEnqueue, less, preFilter, filter, postFilter, preScore, score, reserve, permit, preBind, bind, postBind), got plugin "Half" with none (its methods: pick)'],
  ] as const) {
    const f = fixture(source, 'Half');
    try {
      const r = spawnSync(process.execPath, [KSIM_BIN, 'run', f.scenario, '-o', join(f.dir, 'out'), '-q'], { encoding: 'utf8' });
      assert.equal(r.status, 2, r.stderr);
      assert.equal(r.stderr, `ksim: ${f.scenario}:13:49: scheduler.config.profiles[0].plugins.multiPoint.enabled[0].name: ${got}\n`);
    } finally {
      rmSync(f.dir, { recursive: true, force: true });
    }
  }
});
