// What catches a misspelt plugin method (`Score` for `score`), as the README's "Custom plugins"
// says. TypeScript checks excess properties only of an object literal typed as AnyPlugin where it
// is written (a variable, a function's declared return type, `satisfies AnyPlugin`), not of the
// value an arrow function returns when the arrow is typed only from outside (`PluginFactory`,
// `Record<string, PluginFactory>`: the documented factory form), so that form compiles; ksim
// refuses the plugin when the profile is built (src/scheduler/framework/framework.ts
// lookalikeMethod). The `@ts-expect-error` lines fail the build (`npm test` compiles first) if
// TypeScript stops reporting them; the `loose` lines fail it if TypeScript starts reporting
// them, and the README must then say so.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InputError, loadScenario, runScenario, type AnyPlugin, type PluginFactory } from '../src/index.js';
import { repoPath } from '../src/testing/repo-paths.js';

// @ts-expect-error 'Score' does not exist in type 'AnyPlugin'. Did you mean to write 'score'?
export const typed: AnyPlugin = { name: 'Typed', Score: () => 0 };
// @ts-expect-error the factory's declared return type checks the literal it returns
export const annotated = (): AnyPlugin => ({ name: 'Annotated', Score: () => 0 });
// @ts-expect-error `satisfies` checks the literal where it is written
export const satisfied: PluginFactory = () => ({ name: 'Satisfied', Score: () => 0 }) satisfies AnyPlugin;
// A plugin's own fields then go in its type.
export const withState = (): AnyPlugin & { seen: Set<string> } => ({ name: 'WithState', seen: new Set(), score: () => 0 });

// No excess-property check on what these arrows return: they compile.
const loose: PluginFactory = () => ({ name: 'Loose', Score: () => 0 });
export const plugins: Record<string, PluginFactory> = { LooseToo: () => ({ name: 'LooseToo', Score: () => 0 }) };

test('a factory typed only as PluginFactory compiles with `Score`, and ksim refuses it when the profile is built', () => {
  const scenario = loadScenario(repoPath('scenarios/quickstart.yaml'), { set: ['duration=1m'] });
  const p = scenario.scheduler.profiles[0]!;
  const profiles = [{ ...p, plugins: [...p.plugins, { name: 'Loose', weight: 1 }] }];
  assert.throws(() => runScenario(scenario, { plugins: new Map([['Loose', loose]]), profiles }), (e: unknown) => {
    assert.ok(e instanceof InputError, `not an InputError: ${String(e)}`);
    assert.equal(
      e.message,
      'runScenario: opts.profiles[0].plugins.multiPoint.enabled[14].name: expected extension-point methods spelt as the scheduler calls them (score, of Score): a misspelt one is never called, got plugin "Loose" with "Score"',
    );
    return true;
  });
});
