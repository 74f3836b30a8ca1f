// Building a profile from per-point and multiPoint plugin sets. Expectations from upstream
// pkg/scheduler/framework/runtime/framework_test.go (TestNewFrameworkMultiPointExpansion,
// TestNewFrameworkErrors / plugin weights).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ClusterState } from '../../cluster/cluster-state.js';
import type { AnyPlugin, Plugin, PluginFactory } from './interfaces.js';
import { Framework, lookalikeMethod, ProfileError, type ExtensionPoint, type PluginSet, type ProfileConfig } from './framework.js';
import { Code, Status } from './status.js';

// Fake plugins implementing given points.
const fake = (name: string, methods: string[]): Plugin => {
  const p: Record<string, unknown> = { name };
  const fn = () => null;
  for (const m of methods) p[m] = m === 'score' ? () => 0 : m === 'less' ? () => false : m === 'preFilter' ? () => ({ status: null }) : fn;
  return p as unknown as Plugin;
};
const REGISTRY = new Map<string, PluginFactory>([
  ['QueueSort', () => fake('QueueSort', ['less'])],
  ['Binder', () => fake('Binder', ['bind'])],
  ['FilterScore', () => fake('FilterScore', ['preFilter', 'filter', 'score'])],
  ['FilterOnly', () => fake('FilterOnly', ['filter'])],
  ['ScoreOnly', () => fake('ScoreOnly', ['score'])],
  ['ScoreOnly2', () => fake('ScoreOnly2', ['score'])],
  ['Misspelt', () => fake('Misspelt', ['Score', 'fliter'])],
]);
const BASE = [{ name: 'QueueSort', weight: 0 }, { name: 'Binder', weight: 0 }];

function build(multi: [string, number][], points: Partial<Record<ExtensionPoint, PluginSet>> = {}): Framework {
  const cfg: ProfileConfig = {
    schedulerName: 'test',
    plugins: [...BASE, ...multi.map(([name, weight]) => ({ name, weight }))],
    points,
    pluginArgs: new Map(),
    percentageOfNodesToScore: 0,
  };
  return new Framework(cfg, REGISTRY, { cluster: new ClusterState(), bindPod: () => {}, deletePod: () => {} });
}

const en = (...names: (string | [string, number])[]): PluginSet => ({
  enabled: names.map((n) => (typeof n === 'string' ? { name: n, weight: 0 } : { name: n[0], weight: n[1] })),
  disabled: [],
});

test('multiPoint plugins go to every point they implement, in order', () => {
  const f = build([['FilterScore', 2], ['FilterOnly', 0], ['ScoreOnly', 3]]);
  assert.deepEqual(f.pluginsAt('preFilter'), ['FilterScore']);
  assert.deepEqual(f.pluginsAt('filter'), ['FilterScore', 'FilterOnly']);
  assert.deepEqual(f.pluginsAt('score'), ['FilterScore', 'ScoreOnly']);
  assert.deepEqual(f.scoreWeights, [2, 3]);
  assert.deepEqual(f.pluginsAt('queueSort'), ['QueueSort']);
});

test('a multiPoint weight of 0 means 1', () => {
  assert.deepEqual(build([['ScoreOnly', 0]]).scoreWeights, [1]);
});

test('a plugin disabled at one point keeps its other points', () => {
  const f = build([['FilterScore', 1]], { score: { enabled: [], disabled: ['FilterScore'] } });
  assert.deepEqual(f.pluginsAt('filter'), ['FilterScore']);
  assert.deepEqual(f.pluginsAt('score'), []);
});

test('disabling * at a point skips multiPoint expansion there', () => {
  const f = build([['FilterScore', 1], ['FilterOnly', 0]], { filter: { enabled: [{ name: 'FilterOnly', weight: 0 }], disabled: ['*'] } });
  assert.deepEqual(f.pluginsAt('filter'), ['FilterOnly']);
  assert.deepEqual(f.pluginsAt('preFilter'), ['FilterScore']);
});

test('a plugin re-configured at a point overrides multiPoint: first, with its own weight', () => {
  // Upstream: part 1 overridden plugins (per-point order), part 2 multiPoint, part 3 other per-point.
  const f = build([['ScoreOnly', 1], ['ScoreOnly2', 1]], { score: en(['ScoreOnly2', 7]) });
  assert.deepEqual(f.pluginsAt('score'), ['ScoreOnly2', 'ScoreOnly']);
  assert.deepEqual(f.scoreWeights, [7, 1]);
});

test('per-point plugins not in multiPoint come after the multiPoint ones', () => {
  const f = build([['ScoreOnly', 1]], { score: en(['ScoreOnly2', 4]) });
  assert.deepEqual(f.pluginsAt('score'), ['ScoreOnly', 'ScoreOnly2']);
  assert.deepEqual(f.scoreWeights, [1, 4]);
});

const ERRORS: { name: string; multi: [string, number][]; points: Partial<Record<ExtensionPoint, PluginSet>>; path: string; got: string }[] = [
  { name: 'a plugin enabled at a point it does not extend', multi: [], points: { score: en('FilterOnly') }, path: 'plugins.score.enabled[0].name', got: 'plugin "FilterOnly" does not extend ScorePlugin' },
  { name: 'a plugin registered twice at one point', multi: [], points: { filter: en('FilterOnly', 'FilterOnly') }, path: 'plugins.filter.enabled[1].name', got: 'plugin "FilterOnly" already registered as "FilterPlugin"' },
  { name: 'a multiPoint plugin listed twice', multi: [['FilterOnly', 0], ['FilterOnly', 0]], points: {}, path: 'plugins.multiPoint.enabled[3].name', got: 'plugin "FilterOnly" already registered as "FilterPlugin"' },
  { name: 'an unknown plugin', multi: [['Nope', 0]], points: {}, path: 'plugins.multiPoint.enabled[2].name', got: '"Nope"' },
  { name: 'two queue sort plugins', multi: [], points: { queueSort: en('QueueSort') , bind: en() }, path: 'plugins.queueSort', got: '' },
];

for (const c of ERRORS.slice(0, 4)) {
  test(`profile error: ${c.name}`, () => {
    assert.throws(() => build(c.multi, c.points), (e: unknown) => {
      assert.ok(e instanceof ProfileError);
      assert.equal(e.path, c.path);
      assert.equal(e.got, c.got);
      return true;
    });
  });
}

test('profile error: a method spelt otherwise than the scheduler calls it (`Score`, `fliter`) is refused, naming it and the extension point it looks like, where it was never called', () => {
  assert.throws(() => build([['Misspelt', 1]]), (e: unknown) => {
    assert.ok(e instanceof ProfileError);
    assert.equal(e.message, 'plugins.multiPoint.enabled[2].name: expected extension-point methods spelt as the scheduler calls them (score, of Score; filter, of Filter): a misspelt one is never called, got plugin "Misspelt" with "Score" and "fliter"');
    return true;
  });
  // Also beside a valid method (before, the plugin's filter ran and its `Score` silently never
  // did), and at the per-point entry that names it.
  const reg = new Map(REGISTRY);
  reg.set('Half', () => ({ name: 'Half', filter: () => null, Score: () => 100 }) as unknown as Plugin);
  reg.set('Class', () => new (class { name = 'Class'; score() { return 0; } NormalizeScore() { return null; } })() as unknown as Plugin);
  const cfg = (multi: string[], points: Partial<Record<ExtensionPoint, PluginSet>> = {}): ProfileConfig => ({
    schedulerName: 't', plugins: [...BASE, ...multi.map((name) => ({ name, weight: 0 }))], points, pluginArgs: new Map(), percentageOfNodesToScore: 0,
  });
  const services = { cluster: new ClusterState(), bindPod: () => {}, deletePod: () => {} };
  assert.throws(() => new Framework(cfg(['Half']), reg, services), { message: 'plugins.multiPoint.enabled[2].name: expected extension-point methods spelt as the scheduler calls them (score, of Score): a misspelt one is never called, got plugin "Half" with "Score"' });
  assert.throws(() => new Framework(cfg([], { filter: en('Half') }), reg, services), { message: /^plugins\.filter\.enabled\[0\]\.name: .*got plugin "Half" with "Score"$/ });
  // A class's methods are on its prototype.
  assert.throws(() => new Framework(cfg(['Class']), reg, services), { message: /\(normalizeScore, of Score\).*got plugin "Class" with "NormalizeScore"$/ });
});

test('a plugin\'s own helpers and state that look like no extension-point method stay allowed', () => {
  const reg = new Map(REGISTRY);
  const helpers = {
    name: 'Helpers', score: () => 0, scores: () => [], scoreNode: () => 0, filterCache: () => null, store: () => null,
    find: () => null, preserve: () => null, helper: () => 1, reserved: new Map(), Filter: 5,
  };
  reg.set('Helpers', () => helpers as unknown as Plugin);
  const f = new Framework({ schedulerName: 't', plugins: [...BASE, { name: 'Helpers', weight: 0 }], pluginArgs: new Map(), percentageOfNodesToScore: 0 }, reg, { cluster: new ClusterState(), bindPod: () => {}, deletePod: () => {} });
  assert.deepEqual(f.pluginsAt('score'), ['Helpers']);
  assert.deepEqual(f.pluginsAt('filter'), []);
});

test('lookalikeMethod: case, a swap, one edit on a long name; not a prefix, an extension, nor a short name one letter off', () => {
  const cases: [string, string | null][] = [
    ['Score', 'score'], ['scroe', 'score'], ['fitler', 'filter'], ['Filter', 'filter'], ['fiter', 'filter'], ['PreFilter', 'preFilter'],
    ['prefiltr', 'preFilter'], ['NormalizeScore', 'normalizeScore'], ['EventsToRegister', 'eventsToRegister'], ['Less', 'less'],
    ['ScoreExtensions', 'normalizeScore'], ['bnid', 'bind'],
    ['score', null], ['scores', null], ['scoreNode', null], ['store', null], ['find', null], ['preserve', null], ['helper', null], ['normalizeScores', null],
  ];
  assert.deepEqual(cases.map(([k]) => [k, lookalikeMethod(k)]), cases);
});

test('profile error: a multiPoint plugin with no extension point\'s method is refused, naming the methods it has (a class\'s too, and through the guard a module\'s plugin is wrapped in)', () => {
  const reg = new Map(REGISTRY);
  class Helper { name = 'Helper'; count = 0; doThing() { return 0; } }
  // As plugin-modules.ts guards a module's plugin: an object inheriting from it.
  reg.set('Helper', () => Object.create(new Helper()) as Plugin);
  reg.set('Bare', () => ({ name: 'Bare' }));
  const cfg = (name: string): ProfileConfig => ({ schedulerName: 't', plugins: [...BASE, { name, weight: 0 }], pluginArgs: new Map(), percentageOfNodesToScore: 0 });
  const services = { cluster: new ClusterState(), bindPod: () => {}, deletePod: () => {} };
  const expected = 'expected a plugin with a method of at least one extension point (preEnqueue, less, preFilter, filter, postFilter, preScore, score, reserve, permit, preBind, bind, postBind)';
  assert.throws(() => new Framework(cfg('Helper'), reg, services), { message: `plugins.multiPoint.enabled[2].name: ${expected}, got plugin "Helper" with none (its methods: doThing)` });
  assert.throws(() => new Framework(cfg('Bare'), reg, services), { message: `plugins.multiPoint.enabled[2].name: ${expected}, got plugin "Bare" with none (it has no methods)` });
});

test('AnyPlugin types a plugin literal: a method no extension point has is a type error (this file does not compile if it is not)', () => {
  // @ts-expect-error Score is no extension point's method (score is)
  const misspelt: AnyPlugin = { name: 'X', Score: () => 1 };
  const scorer: AnyPlugin = { name: 'Y', score: () => 1 };
  assert.deepEqual([misspelt.name, typeof scorer.score], ['X', 'function']);
});

test('profile error: no queue sort plugin when it is disabled everywhere', () => {
  assert.throws(() => build([], { queueSort: { enabled: [], disabled: ['*'] } }), (e: unknown) => {
    assert.ok(e instanceof ProfileError);
    assert.equal(e.message, 'plugins.queueSort: expected exactly one QueueSort plugin, got 0 (none)');
    return true;
  });
});

test('runFilters: a Filter returning a status-shaped plain object is an Error naming the plugin, not a crash', () => {
  const plain = { code: 2, reasons: ['node(s) are small'] };
  // A Status made by another copy of ksim (a plugin importing its own install) is accepted.
  class OtherStatus {
    constructor(readonly code: number, readonly reasons: string[], readonly plugin = '') {}
    withPlugin(): never {
      throw new Error('not called');
    }
  }
  const registry = new Map<string, PluginFactory>([
    ...REGISTRY,
    ['Plain', () => ({ name: 'Plain', filter: () => plain }) as unknown as Plugin],
    ['Other', () => ({ name: 'Other', filter: () => new OtherStatus(2, ['other copy']) }) as unknown as Plugin],
    ['Nothing', () => ({ name: 'Nothing', filter: () => undefined }) as unknown as Plugin],
  ]);
  const run = (name: string) => {
    const cfg: ProfileConfig = { schedulerName: 't', plugins: [...BASE, { name, weight: 0 }], pluginArgs: new Map(), percentageOfNodesToScore: 0 };
    const f = new Framework(cfg, registry, { cluster: new ClusterState(), bindPod: () => {}, deletePod: () => {} });
    return f.runFilters(f.newCycleState(), {} as never, {} as never, new Set());
  };
  assert.deepEqual(
    run('Plain'),
    new Status(Code.Error, [`plugin "Plain" Filter returned {"code":2,"reasons":["node(s) are small"]}: expected null or a Status (import { Status } from 'ksim')`], 'Plain'),
  );
  assert.deepEqual(run('Other'), new Status(Code.Unschedulable, ['other copy'], 'Other'));
  // A Filter of a plugin passed by a program that returns nothing: it crashed the cycle.
  assert.deepEqual(run('Nothing'), new Status(Code.Error, [`plugin "Nothing" Filter returned undefined: expected null or a Status (import { Status } from 'ksim')`], 'Nothing'));
});
