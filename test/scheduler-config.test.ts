// KubeSchedulerConfiguration in scenarios: profiles built as upstream merges them, and every
// mistake reported at its line with the field path.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InputError, parseScenario } from '../src/index.js';
import { validateSchedulerConfig } from '../src/scheduler/config/validate.js';
import { Framework } from '../src/scheduler/framework/framework.js';
import { inTreeRegistry } from '../src/scheduler/plugins/registry.js';
import { ClusterState } from '../src/cluster/cluster-state.js';

function scenario(config: string): string {
  return `apiVersion: ksim/v1alpha1
kind: Scenario
cluster:
  nodePools: [{ name: n, count: 2, allocatable: { cpu: "4", memory: 8Gi } }]
scheduler:
  config:
${config.split('\n').map((l) => `    ${l}`).join('\n')}
`;
}

function load(config: string) {
  const s = parseScenario(scenario(config), 'cfg.yaml');
  validateSchedulerConfig(s.scheduler, inTreeRegistry());
  return s;
}

const HEAD = 'apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration';

test('the default profile has upstream default plugins and weights', () => {
  const s = load(HEAD);
  const f = new Framework(s.scheduler.profiles[0]!, inTreeRegistry(), { cluster: new ClusterState(), bindPod: () => {}, deletePod: () => {} });
  assert.equal(f.profileName, 'default-scheduler');
  assert.deepEqual(f.pluginsAt('filter'), ['NodeUnschedulable', 'NodeName', 'TaintToleration', 'NodeAffinity', 'NodePorts', 'NodeResourcesFit', 'PodTopologySpread', 'InterPodAffinity']);
  assert.deepEqual(f.pluginsAt('score'), ['TaintToleration', 'NodeAffinity', 'NodeResourcesFit', 'PodTopologySpread', 'InterPodAffinity', 'NodeResourcesBalancedAllocation', 'ImageLocality']);
  assert.deepEqual(f.scoreWeights, [3, 2, 1, 2, 2, 1, 1]);
  assert.deepEqual(f.pluginsAt('postFilter'), ['DefaultPreemption']);
  assert.deepEqual(f.pluginsAt('preEnqueue').includes('SchedulingGates'), true);
});

test('profiles select by schedulerName, disable plugins and reweigh scores', () => {
  const s = load(`${HEAD}
percentageOfNodesToScore: 30
podInitialBackoffSeconds: 2
podMaxBackoffSeconds: 20
profiles:
  - schedulerName: default-scheduler
  - schedulerName: bin-packing
    percentageOfNodesToScore: 100
    plugins:
      multiPoint:
        disabled: [{ name: NodeResourcesBalancedAllocation }, { name: ImageLocality }]
      score:
        enabled: [{ name: NodeResourcesFit, weight: 5 }]
    pluginConfig:
      - name: NodeResourcesFit
        args:
          scoringStrategy:
            type: MostAllocated
            resources: [{ name: cpu, weight: 1 }, { name: memory, weight: 1 }]`);
  assert.deepEqual(s.scheduler.profiles.map((p) => [p.schedulerName, p.percentageOfNodesToScore]), [['default-scheduler', 30], ['bin-packing', 100]]);
  assert.equal(s.scheduler.podInitialBackoffUs, 2_000_000);
  assert.equal(s.scheduler.podMaxBackoffUs, 20_000_000);
  const f = new Framework(s.scheduler.profiles[1]!, inTreeRegistry(), { cluster: new ClusterState(), bindPod: () => {}, deletePod: () => {} });
  // NodeResourcesFit re-configured at score comes first with weight 5 (upstream expansion order).
  assert.deepEqual(f.pluginsAt('score'), ['NodeResourcesFit', 'TaintToleration', 'NodeAffinity', 'PodTopologySpread', 'InterPodAffinity']);
  assert.deepEqual(f.scoreWeights, [5, 3, 2, 2, 2]);
});

test('profiles: [] (or null) is one default profile, as upstream defaults.go makes it', () => {
  for (const v of ['[]', 'null']) {
    const s = load(`${HEAD}\nprofiles: ${v}`);
    assert.deepEqual(s.scheduler.profiles.map((p) => p.schedulerName), ['default-scheduler']);
    const f = new Framework(s.scheduler.profiles[0]!, inTreeRegistry(), { cluster: new ClusterState(), bindPod: () => {}, deletePod: () => {} });
    assert.deepEqual(f.scoreWeights, [3, 2, 1, 2, 2, 1, 1]);
  }
});

const BAD: [name: string, config: string, message: string][] = [
  ['a misspelt top-level field', `${HEAD}\npercentageOfNodeToScore: 10`, 'cfg.yaml:9:5: scheduler.config.percentageOfNodeToScore: expected one of the fields apiVersion, kind, parallelism, leaderElection, clientConnection, healthzBindAddress, metricsBindAddress, enableProfiling, enableContentionProfiling, percentageOfNodesToScore, podInitialBackoffSeconds, podMaxBackoffSeconds, profiles, extenders, delayCacheUntilActive, got unknown field "percentageOfNodeToScore" (did you mean "percentageOfNodesToScore"?)'],
  ['a percentage over 100', `${HEAD}\npercentageOfNodesToScore: 120`, 'cfg.yaml:9:31: scheduler.config.percentageOfNodesToScore: expected an integer between 0 and 100, got 120'],
  ['the wrong apiVersion', 'apiVersion: kubescheduler.config.k8s.io/v2\nkind: KubeSchedulerConfiguration', 'cfg.yaml:7:17: scheduler.config.apiVersion: expected "kubescheduler.config.k8s.io/v1", got "kubescheduler.config.k8s.io/v2"'],
  ['a removed apiVersion (v1beta2), with the release that removed it and what changed', 'apiVersion: kubescheduler.config.k8s.io/v1beta2\nkind: KubeSchedulerConfiguration', 'cfg.yaml:7:17: scheduler.config.apiVersion: expected "kubescheduler.config.k8s.io/v1" (v1beta2 was removed in Kubernetes v1.28; in v1 the default score weights are TaintToleration 3, NodeAffinity 2, InterPodAffinity 2 (v1beta2: 1) and the SelectorSpread plugin is gone), got "kubescheduler.config.k8s.io/v1beta2"'],
  ['a duplicate profile name', `${HEAD}\nprofiles:\n  - schedulerName: a\n  - schedulerName: a`, 'cfg.yaml:11:24: scheduler.config.profiles[1].schedulerName: expected a scheduler name not used by profiles[0], got "a"'],
  ['an out-of-scope plugin enabled (gang scheduling)', `${HEAD}\nprofiles:\n  - plugins: { filter: { enabled: [{ name: GangScheduling }] } }`, 'cfg.yaml:10:48: scheduler.config.profiles[0].plugins.filter.enabled[0].name: expected a plugin ksim models (gang scheduling is out of scope), got "GangScheduling"'],
  ['max backoff below initial backoff', `${HEAD}\npodInitialBackoffSeconds: 5\npodMaxBackoffSeconds: 2`, 'cfg.yaml:10:27: scheduler.config.podMaxBackoffSeconds: expected a value >= podInitialBackoffSeconds (5), got 2'],
  ['extenders', `${HEAD}\nextenders: [{ urlPrefix: "http://x" }]`, 'cfg.yaml:9:16: scheduler.config.extenders: expected no extenders (ksim does not model scheduler extenders)'],
  ['a weight beyond int32', `${HEAD}\nprofiles:\n  - plugins: { score: { enabled: [{ name: ImageLocality, weight: -2147483649 }] } }`, 'cfg.yaml:10:70: scheduler.config.profiles[0].plugins.score.enabled[0].weight: expected an integer weight from -2147483648 to 2147483647 (a 32-bit integer; 0 or none: 1), got -2147483649'],
  ['a duplicate pluginConfig', `${HEAD}\nprofiles:\n  - pluginConfig:\n      - { name: NodeResourcesFit, args: {} }\n      - { name: NodeResourcesFit, args: {} }`, 'cfg.yaml:12:21: scheduler.config.profiles[0].pluginConfig[1].name: expected a plugin not configured before (duplicate plugin config for NodeResourcesFit), got "NodeResourcesFit"'],
  ['an unknown plugin', `${HEAD}\nprofiles:\n  - plugins: { multiPoint: { enabled: [{ name: NodeResourcesFitt }] } }`, 'cfg.yaml:10:52: scheduler.config.profiles[0].plugins.multiPoint.enabled[0].name: expected a registered plugin ('],
  ['a plugin at a point it does not extend', `${HEAD}\nprofiles:\n  - plugins: { filter: { enabled: [{ name: ImageLocality }] } }`, 'cfg.yaml:10:48: scheduler.config.profiles[0].plugins.filter.enabled[0].name: expected a plugin that extends FilterPlugin, got plugin "ImageLocality" does not extend FilterPlugin'],
  // Upstream defaults.go names only a single profile; validation.go then requires a name.
  ['a profile without schedulerName among several', `${HEAD}\nprofiles:\n  - pluginConfig: []\n  - schedulerName: bin-packer`, 'cfg.yaml:10:9: scheduler.config.profiles[0].schedulerName: expected a schedulerName (required when there are several profiles: kube-scheduler names only a single profile default-scheduler), got none'],
  // validation_pluginargs.go ValidateNodeResourcesFitArgs: Forbidden.
  ['requestedToCapacityRatio with type MostAllocated', `${HEAD}\nprofiles:\n  - pluginConfig:\n      - name: NodeResourcesFit\n        args:\n          scoringStrategy:\n            type: MostAllocated\n            requestedToCapacityRatio: { shape: [{ utilization: 0, score: 0 }] }`, 'cfg.yaml:15:43: scheduler.config.profiles[0].pluginConfig[0].args.scoringStrategy.requestedToCapacityRatio: expected no requestedToCapacityRatio with type MostAllocated (upstream: "must be nil when type is not RequestedToCapacityRatio"), got a mapping'],
  // The repeated entry is the mistake (line 14), not the first (line 13).
  ['a plugin enabled twice at multiPoint', `${HEAD}\nprofiles:\n  - plugins:\n      multiPoint:\n        enabled:\n          - { name: ImageLocality, weight: 5 }\n          - { name: ImageLocality, weight: 6 }`, 'cfg.yaml:14:25: scheduler.config.profiles[0].plugins.multiPoint.enabled[1].name: expected each plugin once, got plugin "ImageLocality" already registered as "ScorePlugin"'],
  // image_locality.go implements ScorePlugin only; framework.go updatePluginList refuses it
  // at preScore ("does not extend PreScorePlugin plugin").
  ['ImageLocality at preScore', `${HEAD}\nprofiles:\n  - plugins: { preScore: { enabled: [{ name: NodeResourcesFit }, { name: ImageLocality }] } }`, 'cfg.yaml:10:78: scheduler.config.profiles[0].plugins.preScore.enabled[1].name: expected a plugin that extends PreScorePlugin, got plugin "ImageLocality" does not extend PreScorePlugin'],
  ['a plugin enabled twice at score', `${HEAD}\nprofiles:\n  - plugins:\n      score:\n        enabled:\n          - { name: ImageLocality, weight: 2 }\n          - { name: ImageLocality, weight: 3 }`, 'cfg.yaml:14:25: scheduler.config.profiles[0].plugins.score.enabled[1].name: expected each plugin once per extension point, got plugin "ImageLocality" already registered as "ScorePlugin"'],
  // validation.go validateCommonQueueSort compares the queueSort sets as written (after
  // defaulting, which adds nothing there), not the plugin they leave each profile.
  ['queueSort named in one profile only', `${HEAD}\nprofiles:\n  - schedulerName: a\n    plugins: { queueSort: { enabled: [{ name: PrioritySort }] } }\n  - schedulerName: b`, 'cfg.yaml:12:9: scheduler.config.profiles[1].plugins.queueSort: expected queueSort written as profiles[0] writes it (enabled: [PrioritySort]): kube-scheduler compares the lists as written, not the plugin they leave, so repeat them in every profile or leave queueSort out of all ("must be the same for all profiles"), got none'],
  ['queueSort disabled and enabled again in one profile only', `${HEAD}\nprofiles:\n  - schedulerName: a\n    plugins: { queueSort: { enabled: [{ name: PrioritySort }] } }\n  - schedulerName: b\n    plugins: { queueSort: { enabled: [{ name: PrioritySort }], disabled: [{ name: PrioritySort }] } }`, 'cfg.yaml:13:31: scheduler.config.profiles[1].plugins.queueSort: expected queueSort written as profiles[0] writes it (enabled: [PrioritySort])'],
  ['different args for the queueSort plugin profiles[0] names', `${HEAD}\nprofiles:\n  - schedulerName: a\n    plugins: { queueSort: { enabled: [{ name: PrioritySort }] } }\n  - schedulerName: b\n    plugins: { queueSort: { enabled: [{ name: PrioritySort }] } }\n    pluginConfig: [{ name: PrioritySort, args: { x: 1 } }]`, 'cfg.yaml:14:52: scheduler.config.profiles[1].pluginConfig[0].args: expected the args profiles[0] gives PrioritySort (none): "queueSort must be the same for all profiles", got {"x":1}'],
  // profile.go NewMap: the queue sort plugin each profile ends up with, and its args.
  ['different args for the default queue sort plugin', `${HEAD}\nprofiles:\n  - schedulerName: a\n    pluginConfig: [{ name: PrioritySort, args: { x: 1 } }]\n  - schedulerName: b\n    pluginConfig: [{ name: PrioritySort, args: { x: 2 } }]`, 'cfg.yaml:13:52: scheduler.config.profiles[1].pluginConfig[0].args: expected the args profiles[0] gives its queue sort plugin PrioritySort ({"x":1}): kube-scheduler refuses different queue sort plugin args for two profiles, got {"x":2}'],
  // v1 types.go decodeNestedObjects: typed args are decoded by their own kind.
  ['args of another plugin\'s kind', `${HEAD}\nprofiles:\n  - pluginConfig:\n      - name: PodTopologySpread\n        args: { kind: NodeResourcesFitArgs, defaultingType: List }`, 'cfg.yaml:12:27: scheduler.config.profiles[0].pluginConfig[0].args.kind: expected "PodTopologySpreadArgs", or no kind (kube-scheduler decodes PodTopologySpread\'s args by their kind and refuses another type: "args for plugin PodTopologySpread were not of type PodTopologySpreadArgs.kubescheduler.config.k8s.io"), got "NodeResourcesFitArgs"'],
  ['bad plugin args', `${HEAD}\nprofiles:\n  - pluginConfig:\n      - name: NodeResourcesFit\n        args:\n          scoringStrategy:\n            type: LeastAllocated\n            resources: [{ name: cpu, weight: 101 }]`, 'cfg.yaml:15:50: scheduler.config.profiles[0].pluginConfig[0].args.scoringStrategy.resources[0].weight: expected an integer in [1, 100], got 101'],
];

for (const [name, config, message] of BAD) {
  test(`scheduler config error: ${name}`, () => {
    assert.throws(() => load(config), (e: unknown) => {
      assert.ok(e instanceof InputError, String(e));
      assert.ok(e.message.startsWith(message), `${e.message}\n  does not start with\n${message}`);
      return true;
    });
  });
}

test('profiles writing queueSort alike, or leaving it out alike, load (their args equal whatever the key order)', () => {
  for (const config of [
    `${HEAD}\nprofiles:\n  - schedulerName: a\n  - schedulerName: b`,
    `${HEAD}\nprofiles:\n  - schedulerName: a\n    plugins: { queueSort: { enabled: [{ name: PrioritySort }] } }\n    pluginConfig: [{ name: PrioritySort, args: { x: 1, y: 2 } }]\n  - schedulerName: b\n    plugins: { queueSort: { enabled: [{ name: PrioritySort, weight: 0 }] } }\n    pluginConfig: [{ name: PrioritySort, args: { y: 2, x: 1 } }]`,
  ]) {
    const s = load(config);
    assert.deepEqual(s.scheduler.profiles.map((p) => p.schedulerName), ['a', 'b']);
  }
});

test('a bad scheduler-configuration value given with --set is blamed on the --set, not on the line of the value it replaced', async () => {
  const { spawnSync } = await import('node:child_process');
  const { KSIM_BIN, REPO_ROOT } = await import('../src/testing/repo-paths.js');
  const { tempDir } = await import('../src/testing/temp-dir.js');
  const { join } = await import('node:path');
  const cases: [set: string, stderr: string][] = [
    // An in-tree plugin's args (checked when the run builds its profiles).
    ['scheduler.config.profiles[0].pluginConfig=[{"name":"NodeResourcesFit","args":{"scoringStrategy":{"type":"Most"}}}]',
      'ksim: --set scheduler.config.profiles[0].pluginConfig=[{"name":"NodeResourcesFit","args":{"scoringStrategy":{"type":"Most"}}}]: scheduler.config.profiles[0].pluginConfig[0].args.scoringStrategy.type: expected one of LeastAllocated, MostAllocated, RequestedToCapacityRatio, got "Most"\n'],
    // A plugin module's args (its FieldError).
    ['scheduler.config.profiles[0].pluginConfig[0].args.resource=7',
      'ksim: --set scheduler.config.profiles[0].pluginConfig[0].args.resource=7: scheduler.config.profiles[0].pluginConfig[0].args.resource: expected an extended resource name such as nvidia.com/gpu, got 7\n'],
  ];
  for (const [set, stderr] of cases) {
    const r = spawnSync(process.execPath, [KSIM_BIN, 'run', 'scenarios/gpu-binpack.yaml', '--set', set, '-o', join(tempDir('ksim-set-config-'), 'out')], { cwd: REPO_ROOT, encoding: 'utf8' });
    assert.equal(r.status, 2, r.stderr);
    assert.equal(r.stderr, stderr);
  }
});

test('a pluginConfig entry for no plugin its profile enables is warned at its name, with the enabled plugin it is probably meant for (upstream ignores it: before, silently)', () => {
  const s = load(`${HEAD}
profiles:
  - schedulerName: a
    plugins: { multiPoint: { disabled: [{ name: ImageLocality }] } }
    pluginConfig:
      - { name: NodeResourcesFitt, args: {} }
      - { name: NodeResourcesFit, args: {} }
      - { name: ImageLocality, args: {} }
      - { name: EBSLimits, args: {} }
      - { name: VolumeBinding, args: {} }
  - schedulerName: b
    pluginConfig: [{ name: InterPodAffinity, args: { hardPodAffinityWeight: 2 } }, { name: Zzz }]`);
  const unused = ': its args are unused, as kube-scheduler ignores the pluginConfig of a plugin the profile does not run';
  assert.deepEqual(s.warnings, [
    `cfg.yaml:13:21: scheduler.config.profiles[0].pluginConfig[0].name: "NodeResourcesFitt" is no plugin this profile enables (did you mean "NodeResourcesFit"?)${unused}`,
    `cfg.yaml:15:21: scheduler.config.profiles[0].pluginConfig[2].name: "ImageLocality" is no plugin this profile enables${unused}`,
    `cfg.yaml:16:21: scheduler.config.profiles[0].pluginConfig[3].name: EBSLimits was removed in Kubernetes v1.32, kubernetes/kubernetes#124003; NodeVolumeLimits replaces it${unused}`,
    `cfg.yaml:19:96: scheduler.config.profiles[1].pluginConfig[1].name: "Zzz" is no plugin this profile enables${unused}`,
    'cfg.yaml:17:21: scheduler.config.profiles[0].pluginConfig[4].name: VolumeBinding: accepted as no-ops (ksim does not simulate volumes or dynamic resources; pods schedule as if every volume and device were reachable)',
  ]);
});

// Upstream framework/runtime/framework.go getScoreWeights reads the weight of a multiPoint
// entry only when its plugin implements ScorePlugin; for any other it is skipped, silently.
test('a multiPoint weight on a plugin with no Score extension is warned at the weight (kube-scheduler ignores it), not one on a Score plugin', () => {
  const s = parseScenario(scenario(`${HEAD}
profiles:
  - plugins:
      multiPoint:
        enabled:
          - { name: NodePorts, weight: 5 }
          - { name: ImageLocality, weight: 4 }
          - { name: OnlyBig, weight: 3 }
          - { name: Quiet }`), 'cfg.yaml');
  const registry = inTreeRegistry();
  registry.set('OnlyBig', () => ({ name: 'OnlyBig', filter: () => null }));
  registry.set('Quiet', () => ({ name: 'Quiet', filter: () => null }));
  const warnings: string[] = [];
  validateSchedulerConfig(s.scheduler, registry, s.file, warnings);
  const none = 'has no Score extension: kube-scheduler reads the weights of Score plugins only (framework.go getScoreWeights)';
  assert.deepEqual(warnings, [
    `cfg.yaml:13:44: scheduler.config.profiles[0].plugins.multiPoint.enabled[0].weight: weight 5 does nothing: NodePorts ${none}`,
    `cfg.yaml:15:42: scheduler.config.profiles[0].plugins.multiPoint.enabled[2].weight: weight 3 does nothing: OnlyBig ${none}`,
  ]);
});

// k8s.io/kube-scheduler/config/v1 types.go decodeNestedObjects decodes a typed plugin's args by
// their apiVersion and kind: v1.36's scheme registers the args types in
// kubescheduler.config.k8s.io/v1 only, so another version is "no kind ... is registered".
const ARGS_VERSION: [name: string, config: string, message: string][] = [
  ['v1beta3 args in a v1 file', `${HEAD}\nprofiles:\n  - pluginConfig:\n      - name: NodeResourcesFit\n        args:\n          apiVersion: kubescheduler.config.k8s.io/v1beta3\n          kind: NodeResourcesFitArgs\n          scoringStrategy: { type: MostAllocated }`,
    'cfg.yaml:13:27: scheduler.config.profiles[0].pluginConfig[0].args.apiVersion: expected "kubescheduler.config.k8s.io/v1", or no apiVersion (kube-scheduler v1.36 serves NodeResourcesFitArgs in kubescheduler.config.k8s.io/v1 only and refuses the args otherwise: "no kind \\"NodeResourcesFitArgs\\" is registered for version"; v1beta3 was removed in Kubernetes v1.29), got "kubescheduler.config.k8s.io/v1beta3"'],
  ['args of the core group', `${HEAD}\nprofiles:\n  - pluginConfig:\n      - name: InterPodAffinity\n        args: { apiVersion: v1, hardPodAffinityWeight: 2 }`,
    'cfg.yaml:12:33: scheduler.config.profiles[0].pluginConfig[0].args.apiVersion: expected "kubescheduler.config.k8s.io/v1", or no apiVersion (kube-scheduler v1.36 serves InterPodAffinityArgs in kubescheduler.config.k8s.io/v1 only and refuses the args otherwise: "no kind \\"InterPodAffinityArgs\\" is registered for version"), got "v1"'],
];

for (const [name, config, message] of ARGS_VERSION) {
  test(`scheduler config error: ${name}`, () => {
    assert.throws(() => load(config), (e: unknown) => {
      assert.ok(e instanceof InputError, String(e));
      assert.equal(e.message, message);
      return true;
    });
  });
}

test('a v1beta3 file (read as v1, with its warning) may give its args in v1beta3 too', () => {
  const s = load(`apiVersion: kubescheduler.config.k8s.io/v1beta3
kind: KubeSchedulerConfiguration
profiles:
  - pluginConfig:
      - name: NodeResourcesFit
        args: { apiVersion: kubescheduler.config.k8s.io/v1beta3, kind: NodeResourcesFitArgs, scoringStrategy: { type: MostAllocated } }`);
  assert.deepEqual(s.scheduler.profiles[0]?.pluginArgs.get('NodeResourcesFit'), { scoringStrategy: { type: 'MostAllocated' } });
  assert.equal(s.warnings.length, 1);
  assert.match(s.warnings[0] ?? '', /v1beta3 was removed in Kubernetes v1\.29; read as kubescheduler\.config\.k8s\.io\/v1/);
});
