// Merging a profile's plugins with the defaults. Expectations from upstream
// pkg/scheduler/apis/config/v1/default_plugins_test.go (TestMergePlugins).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PluginSet } from '../framework/framework.js';
import { mergePluginSet } from './merge.js';

const set = (enabled: (string | [string, number])[], disabled: string[] = []): PluginSet => ({
  enabled: enabled.map((e) => (typeof e === 'string' ? { name: e, weight: 0 } : { name: e[0], weight: e[1] })),
  disabled,
});

const CASES: { name: string; defaults: PluginSet; custom: PluginSet | undefined; want: PluginSet }[] = [
  { name: 'AppendCustomPlugin', defaults: set(['DefaultPlugin1', 'DefaultPlugin2']), custom: set(['CustomPlugin']), want: set(['DefaultPlugin1', 'DefaultPlugin2', 'CustomPlugin']) },
  {
    name: 'InsertAfterDefaultPlugins2',
    defaults: set(['DefaultPlugin1', 'DefaultPlugin2']),
    custom: set(['CustomPlugin', 'DefaultPlugin2'], ['DefaultPlugin2']),
    want: set(['DefaultPlugin1', 'CustomPlugin', 'DefaultPlugin2'], ['DefaultPlugin2']),
  },
  {
    name: 'InsertBeforeAllPlugins',
    defaults: set(['DefaultPlugin1', 'DefaultPlugin2']),
    custom: set(['CustomPlugin', 'DefaultPlugin1', 'DefaultPlugin2'], ['*']),
    want: set(['CustomPlugin', 'DefaultPlugin1', 'DefaultPlugin2'], ['*']),
  },
  {
    name: 'ReorderDefaultPlugins',
    defaults: set(['DefaultPlugin1', 'DefaultPlugin2']),
    custom: set(['DefaultPlugin2', 'DefaultPlugin1'], ['*']),
    want: set(['DefaultPlugin2', 'DefaultPlugin1'], ['*']),
  },
  { name: 'ApplyNullCustomConfig', defaults: set(['DefaultPlugin1', 'DefaultPlugin2']), custom: undefined, want: set(['DefaultPlugin1', 'DefaultPlugin2']) },
  {
    name: 'CustomPluginOverrideDefaultPlugin',
    defaults: set([['Plugin1', 1], 'Plugin2']),
    custom: set([['Plugin1', 2], 'Plugin3']),
    want: set([['Plugin1', 2], 'Plugin2', 'Plugin3']),
  },
  {
    name: 'OrderPreserveAfterOverride',
    defaults: set(['Plugin1', ['Plugin2', 2], 'Plugin3']),
    custom: set([['Plugin2', 3], 'Plugin4']),
    want: set(['Plugin1', ['Plugin2', 3], 'Plugin3', 'Plugin4']),
  },
  {
    name: 'RepeatedCustomPlugin',
    defaults: set(['Plugin1', ['Plugin2', 2], 'Plugin3']),
    custom: set([['Plugin2', 2], 'Plugin4', ['Plugin2', 4]]),
    want: set(['Plugin1', ['Plugin2', 2], 'Plugin3', 'Plugin4', ['Plugin2', 4]]),
  },
  {
    name: 'Disabling a default plugin removes it and keeps the name for multiPoint expansion',
    defaults: set(['Plugin1', 'Plugin2', 'Plugin3']),
    custom: set([], ['Plugin2']),
    want: set(['Plugin1', 'Plugin3'], ['Plugin2']),
  },
  { name: 'Disabling everything with * drops every default', defaults: set(['Plugin1', 'Plugin2']), custom: set([], ['*']), want: set([], ['*']) },
];

for (const c of CASES) {
  test(`mergePluginSet: ${c.name}`, () => {
    assert.deepEqual(mergePluginSet(c.defaults, c.custom), c.want);
  });
}
