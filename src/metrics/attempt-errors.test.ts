import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AttemptErrors } from './attempt-errors.js';
import { loadScenario, runScenario, Status, type FilterPlugin } from '../index.js';
import { makePod, podInfo } from '../testing/builders.js';
import { repoPath } from '../testing/repo-paths.js';
import type { AttemptRecord } from '../scheduler/scheduler.js';

const a = podInfo(makePod('a').obj());
const b = podInfo(makePod('b').obj());

function record(pod: typeof a, timeUs: number, result: AttemptRecord['result'], reason = '', plugin = ''): AttemptRecord {
  return { timeUs, pod, attempt: 1, result, node: result === 'bound' ? 'n1' : '', reason, plugin, queueWaitUs: 0, cycleUs: 0, bindUs: -1 };
}

test('a run whose every scheduling attempt ended in an error says so, with the first error and its plugin; any other run does not', () => {
  const boom = 'running "Gate" filter plugin: cannot reach metrics api';
  const cases: [string, AttemptRecord[], string[]][] = [
    ['no attempt: no warning', [], []],
    ['every attempt erred', [record(a, 1_500_000, 'error', boom, 'Gate'), record(b, 2_000_000, 'error', 'other'), record(a, 3_250_000, 'error', boom, 'Gate')], [
      `3 of 3 scheduling attempts ended in an error, so the scheduler bound no pod; the first (pod default/a, at 1.5s) from plugin Gate: ${boom}`,
    ]],
    ['no plugin known (a node gone during the cycle): none named', [record(b, 7_000_000, 'error', 'node n1 disappeared during the cycle')], [
      '1 of 1 scheduling attempts ended in an error, so the scheduler bound no pod; the first (pod default/b, at 7s): node n1 disappeared during the cycle',
    ]],
    ['one attempt bound: no warning', [record(a, 1_000_000, 'error', boom, 'Gate'), record(b, 2_000_000, 'bound')], []],
    ['one attempt unschedulable: no warning', [record(a, 1_000_000, 'error', boom, 'Gate'), record(b, 2_000_000, 'unschedulable', '0/3 nodes are available')], []],
  ];
  for (const [name, records, want] of cases) {
    const e = new AttemptErrors();
    for (const r of records) e.attempt(r);
    assert.deepEqual(e.warnings(), want, name);
  }
});

test('a run with a Filter plugin that returns an Error for every node warns that every attempt erred, naming the plugin and its message', () => {
  const gate: FilterPlugin = { name: 'MetricsGate', filter: () => Status.error('cannot reach metrics api') };
  const scenario = loadScenario(repoPath('scenarios/quickstart.yaml'));
  const profile = scenario.scheduler.profiles[0]!;
  const r = runScenario({ ...scenario, durationUs: 120_000_000 }, {
    plugins: new Map([['MetricsGate', () => gate]]),
    profiles: [{ ...profile, plugins: [...profile.plugins, { name: 'MetricsGate', weight: 0 }] }],
    // An Error from a plugin a program passes in is a broken invariant (plugin-error).
    checkInvariants: false,
  });
  const rows = r.tables.find((t) => t.file === 'placements.csv')!.rows;
  assert.deepEqual([rows.length, rows.filter((x) => x['result'] === 'error').length], [364, 364]);
  assert.deepEqual(r.warnings.filter((w) => w.includes('scheduling attempts')), [
    '364 of 364 scheduling attempts ended in an error, so the scheduler bound no pod; the first (pod shop/web-5d8dc5b9bd-926cl, at 7.126ms) from plugin MetricsGate: running "MetricsGate" filter plugin: cannot reach metrics api',
  ]);
});
