import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadScenario } from './scenario.js';
import { scenarioWarnings } from './scenario-checks.js';
import { repoPath } from '../testing/repo-paths.js';

const QUICKSTART = repoPath('scenarios/quickstart.yaml');

const CASES: [sets: string[], warnings: string[]][] = [
  [[], []],
  [['workload[0].manifest.spec.template.spec.schedulerName=my-sched'], [
    'workload[0] (web): its pods name schedulerName "my-sched", which no scheduler profile serves (profiles: default-scheduler); they stay Pending, as upstream',
  ]],
  [['workload[0].manifest.spec.template.spec.schedulerName=default-scheduler'], []],
  [['workload[2].at=2h'], ['workload[2] (too-big): arrives at 2h0m0s, at or after the end of the run (duration 30m0s); it is never created']],
  [['workload[2].at=30m'], ['workload[2] (too-big): arrives at 30m0s, at or after the end of the run (duration 30m0s); it is never created']],
  [['workload[2].at=29m'], []],
  [['workload[1].rate.start=45m'], ['workload[1] (batch): arrives at 45m0s, at or after the end of the run (duration 30m0s); it is never created']],
];

for (const [sets, warnings] of CASES) {
  test(`scenario warnings with ${sets.join(' ') || 'the quickstart as is'}: ${warnings.length}`, () => {
    assert.deepEqual(scenarioWarnings(loadScenario(QUICKSTART, { set: sets })), warnings);
  });
}
