// Profiles given to runScenario in code (RunOptions.profiles, or a hand-built Scenario's
// scheduler.profiles) are checked as a KubeSchedulerConfiguration file is (issue 16 item 6):
// bad ones are InputErrors naming the field, not a raw TypeError deep in the scheduler, a
// ProfileError, or a run that silently schedules nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InputError, loadScenario, runScenario, type ProfileConfig, type Scenario } from '../src/index.js';
import { repoPath } from '../src/testing/repo-paths.js';

const scenario = loadScenario(repoPath('scenarios/quickstart.yaml'), { set: ['duration=1m'] });
const p = scenario.scheduler.profiles[0]!;
const REGISTERED = 'BestFitScore, DefaultBinder, DefaultPreemption, DotProductScore, FGDScore, GpuClusteringScore, GpuPackingScore, ImageLocality, InterPodAffinity, MaxInstancesPerNode, NodeAffinity, NodeName, NodePorts, NodeResourcesBalancedAllocation, NodeResourcesFit, NodeUnschedulable, Open-Gpu-Share, PodTopologySpread, PrioritySort, RandomScore, SchedulingGates, TaintToleration';

const OPTS_CASES: [what: string, profiles: unknown, message: string][] = [
  ['an empty list', [], 'runScenario: opts.profiles: expected at least one profile (kube-scheduler needs one), got an empty list'],
  ['not a list', {}, 'runScenario: opts.profiles: expected a list of profiles (ProfileConfig), got a mapping'],
  ['a missing profile', [undefined], 'runScenario: opts.profiles[0]: expected a profile (ProfileConfig), got nothing'],
  ['a profile without plugins', [{ schedulerName: 'default-scheduler' }], 'runScenario: opts.profiles[0].plugins: expected a list of plugins ({ name, weight }), got nothing'],
  ['a weight beyond int32', [{ ...p, plugins: [...p.plugins, { name: 'NodeAffinity', weight: -2147483649 }] }], 'runScenario: opts.profiles[0].plugins[14].weight: expected an integer from -2147483648 to 2147483647 (0: the default weight, 1), got -2147483649'],
  ['plugin args that are not a Map', [{ ...p, pluginArgs: {} }], 'runScenario: opts.profiles[0].pluginArgs: expected a Map of plugin name to args, got a mapping'],
  ['a percentage over 100', [{ ...p, percentageOfNodesToScore: 101 }], 'runScenario: opts.profiles[0].percentageOfNodesToScore: expected an integer between 0 and 100, got 101'],
  ['two profiles of one name', [p, p], 'runScenario: opts.profiles[1].schedulerName: expected a scheduler name not used by opts.profiles[0], got "default-scheduler"'],
  ['profiles sorting the queue differently', [p, { ...p, schedulerName: 'b', points: { queueSort: { enabled: [], disabled: ['*'] } } }], 'runScenario: opts.profiles[1]: expected the same queueSort plugin as opts.profiles[0] (PrioritySort), got none'],
  ['an unregistered plugin', [{ ...p, plugins: [...p.plugins, { name: 'Nope', weight: 1 }] }], `runScenario: opts.profiles[0].plugins.multiPoint.enabled[14].name: expected a registered plugin (${REGISTERED}; an out-of-tree plugin is loaded with scheduler.pluginModules, or --plugin-module of ksim explain and ksim capacity --cluster), got "Nope"`],
  ['invalid plugin args', [{ ...p, pluginArgs: new Map([['NodeResourcesFit', { scoringStrategy: { type: 'Bogus' } }]]) }], 'runScenario: opts.profiles[0].pluginConfig[NodeResourcesFit].args.scoringStrategy.type: expected one of LeastAllocated, MostAllocated, RequestedToCapacityRatio, got "Bogus"'],
  ['no QueueSort plugin', [{ ...p, plugins: [] }], 'runScenario: opts.profiles[0].plugins.queueSort: expected exactly one QueueSort plugin, got 0 (none)'],
];

for (const [what, profiles, message] of OPTS_CASES) {
  test(`opts.profiles with ${what} is an InputError`, () => {
    assert.throws(() => runScenario(scenario, { profiles: profiles as ProfileConfig[] }), (e: unknown) => {
      assert.ok(e instanceof InputError, `not an InputError: ${String(e)}`);
      assert.equal(e.message, message);
      return true;
    });
  });
}

test('a hand-built scenario without profiles is an InputError naming its file', () => {
  const s: Scenario = { ...scenario, scheduler: { ...scenario.scheduler, profiles: [], sources: [] } };
  assert.throws(() => runScenario(s), (e: unknown) => {
    assert.ok(e instanceof InputError, `not an InputError: ${String(e)}`);
    assert.equal(e.message, `${scenario.file}: scheduler.profiles: expected at least one profile (kube-scheduler needs one), got an empty list`);
    return true;
  });
});

test('valid opts.profiles run as before (the scenario profile, and a second one under another name)', () => {
  const base = runScenario(scenario).summary;
  const same = runScenario(scenario, { profiles: [p, { ...p, schedulerName: 'other' }] }).summary;
  assert.equal(same['pods_bound'], base['pods_bound']);
  assert.ok(Number(base['pods_bound']) > 0);
});
