// Profiles given to runScenario in code (RunOptions.profiles, or a hand-built Scenario's
// scheduler.profiles) are checked as a KubeSchedulerConfiguration file is (issue 16 item 6):
// bad ones are InputErrors naming the field, not a raw TypeError deep in the scheduler, a
// ProfileError, or a run that silently schedules nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ClusterState, Framework, InputError, inTreeRegistry, loadScenario, runScenario, type ProfileConfig, type Scenario } from '../src/index.js';
import { ProfileError } from '../src/scheduler/framework/framework.js';
import { repoPath } from '../src/testing/repo-paths.js';
import { tempDir } from '../src/testing/temp-dir.js';

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

// A Scenario read from a file and changed in code keeps the file's `sources`: they describe the
// profiles the file made, not ones put in their place or beside them. Those are checked as
// opts.profiles are (before, a weight beyond int32 or a percentage over 100 ran, and an unknown
// plugin was reported at the line of the file's profile, which names no such plugin).
test('profiles put into a file\'s scenario in code are checked as code (not as the file\'s, whose lines say nothing of them)', () => {
  const dir = tempDir('ksim-code-profiles-');
  const file = join(dir, 's.yaml');
  writeFileSync(file, `apiVersion: ksim/v1alpha1
kind: Scenario
duration: 1m
cluster:
  nodePools: [{ name: n, count: 2, allocatable: { cpu: "4", memory: 8Gi } }]
scheduler:
  config:
    apiVersion: kubescheduler.config.k8s.io/v1
    kind: KubeSchedulerConfiguration
    profiles:
      - schedulerName: default-scheduler
`);
  const s = loadScenario(file);
  const fp = s.scheduler.profiles[0]!;
  const cases: [what: string, profiles: ProfileConfig[], message: string][] = [
    ['a weight beyond int32 in place of the file\'s profile', [{ ...fp, plugins: fp.plugins.map((r) => (r.name === 'ImageLocality' ? { ...r, weight: 2 ** 40 } : r)) }],
      `${file}: scheduler.profiles[0].plugins[12].weight: expected an integer from -2147483648 to 2147483647 (0: the default weight, 1), got 1099511627776`],
    ['a percentage over 100 beside it', [fp, { ...fp, schedulerName: 'second', percentageOfNodesToScore: 150 }],
      `${file}: scheduler.profiles[1].percentageOfNodesToScore: expected an integer between 0 and 100, got 150`],
    ['an unknown plugin in its place', [{ ...fp, plugins: [...fp.plugins, { name: 'Nope', weight: 0 }] }],
      `${file}: scheduler.profiles[0].plugins.multiPoint.enabled[14].name: expected a registered plugin (${REGISTERED}; an out-of-tree plugin is loaded with scheduler.pluginModules, or --plugin-module of ksim explain and ksim capacity --cluster), got "Nope"`],
    ['a plugin twice beside it', [fp, { ...fp, schedulerName: 'second', plugins: [...fp.plugins, { name: 'ImageLocality', weight: 2 }] }],
      `${file}: scheduler.profiles[1].plugins.multiPoint.enabled[14].name: expected each plugin once, got plugin "ImageLocality" already registered as "ScorePlugin"`],
  ];
  for (const [what, profiles, message] of cases) {
    assert.throws(() => runScenario({ ...s, scheduler: { ...s.scheduler, profiles } }), (e: unknown) => {
      assert.ok(e instanceof InputError, `${what}: not an InputError: ${String(e)}`);
      assert.equal(e.message, message, what);
      return true;
    });
  }
  // The file's own profile, untouched, is still reported at its line.
  assert.equal(runScenario(s).summary['scenario'], s.name);
});

test('plugin args given in code are checked for their type as a file\'s are: another plugin\'s kind, or an apiVersion kube-scheduler v1.36 does not serve', () => {
  const cases: [args: unknown, message: string][] = [
    [{ kind: 'NodeResourcesFitArgs', hardPodAffinityWeight: 1 },
      'runScenario: opts.profiles[0].pluginConfig[InterPodAffinity].args.kind: expected "InterPodAffinityArgs", or no kind (kube-scheduler decodes InterPodAffinity\'s args by their kind and refuses another type: "args for plugin InterPodAffinity were not of type InterPodAffinityArgs.kubescheduler.config.k8s.io"), got "NodeResourcesFitArgs"'],
    [{ apiVersion: 'kubescheduler.config.k8s.io/v1beta3', hardPodAffinityWeight: 1 },
      'runScenario: opts.profiles[0].pluginConfig[InterPodAffinity].args.apiVersion: expected "kubescheduler.config.k8s.io/v1", or no apiVersion (kube-scheduler v1.36 serves InterPodAffinityArgs in kubescheduler.config.k8s.io/v1 only and refuses the args otherwise: "no kind \\"InterPodAffinityArgs\\" is registered for version"; v1beta3 was removed in Kubernetes v1.29), got "kubescheduler.config.k8s.io/v1beta3"'],
  ];
  for (const [args, message] of cases) {
    assert.throws(() => runScenario(scenario, { profiles: [{ ...p, pluginArgs: new Map([['InterPodAffinity', args]]) }] }), (e: unknown) => {
      assert.ok(e instanceof InputError, `not an InputError: ${String(e)}`);
      assert.equal(e.message, message);
      return true;
    });
  }
});

test('a Framework built directly from a profile made in code checks it as runScenario does (one check): a weight beyond int32, a percentage over 100', () => {
  const services = { cluster: new ClusterState(), bindPod: () => {}, deletePod: () => {} };
  const cases: [profile: ProfileConfig, message: string][] = [
    [{ ...p, plugins: p.plugins.map((r) => (r.name === 'ImageLocality' ? { ...r, weight: 1.5 } : r)) }, 'plugins[12].weight: expected an integer from -2147483648 to 2147483647 (0: the default weight, 1), got 1.5'],
    [{ ...p, percentageOfNodesToScore: 101 }, 'percentageOfNodesToScore: expected an integer between 0 and 100, got 101'],
    [{ ...p, points: { scroe: { enabled: [], disabled: [] } } } as unknown as ProfileConfig, 'points: expected extension points among preEnqueue, queueSort, preFilter, filter, postFilter, preScore, score, reserve, permit, preBind, bind, postBind, got "scroe"'],
  ];
  for (const [profile, message] of cases) {
    assert.throws(() => new Framework(profile, inTreeRegistry(), services), (e: unknown) => {
      assert.ok(e instanceof ProfileError, `not a ProfileError: ${String(e)}`);
      assert.equal(e.message, message);
      return true;
    });
  }
});

test('a weight on a plugin with no Score extension given in code is warned in the run\'s warnings (it does nothing)', () => {
  const r = runScenario(scenario, { profiles: [{ ...p, plugins: p.plugins.map((x) => (x.name === 'NodePorts' ? { ...x, weight: 4 } : x)) }] });
  assert.deepEqual(r.warnings.filter((w) => w.includes('does nothing')), ['runScenario: opts.profiles[0].plugins[6].weight: weight 4 does nothing: NodePorts has no Score extension: kube-scheduler reads the weights of Score plugins only (framework.go getScoreWeights)']);
});
