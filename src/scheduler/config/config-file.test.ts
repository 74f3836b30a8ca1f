// KubeSchedulerConfiguration files as people write them: fully defaulted (every default plugin
// at every extension point, as `kube-scheduler --write-config-to` prints it), inside a
// ConfigMap, or one document of several.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ClusterState } from '../../cluster/cluster-state.js';
import { repoPath } from '../../testing/repo-paths.js';
import { EXTENSION_POINTS, Framework, type ProfileConfig } from '../framework/framework.js';
import { inTreeRegistry } from '../plugins/registry.js';
import { readSchedulerConfigFile, type ConfigFileOptions } from './config-file.js';
import { defaultProfileConfig } from './kube-scheduler-configuration.js';

const DIR = 'test/fixtures/scheduler-config';

function build(p: ProfileConfig): Framework {
  return new Framework(p, inTreeRegistry(), { cluster: new ClusterState(), bindPod: () => {}, deletePod: () => {} });
}

/** What a profile runs: its plugins at each point, in order, and the score weights. */
function layout(f: Framework): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const pt of EXTENSION_POINTS) out[pt] = f.pluginsAt(pt);
  out['scoreWeights'] = f.scoreWeights.map(String);
  return out;
}

function read(file: string, opts: ConfigFileOptions = {}) {
  const warnings: string[] = [];
  const config = readSchedulerConfigFile(repoPath(`${DIR}/${file}`), file, opts, warnings);
  return { config, warnings };
}

const NO_OPS = 'DynamicResources, NodeVolumeLimits, VolumeBinding, VolumeRestrictions, VolumeZone: accepted as no-ops (ksim does not simulate volumes or dynamic resources; pods schedule as if every volume and device were reachable)';

test('the default profile runs NodeResourcesFit at PreFilter and PreScore, as upstream Fit does', () => {
  const f = build(defaultProfileConfig());
  assert.deepEqual(f.pluginsAt('preFilter'), ['NodeAffinity', 'NodePorts', 'NodeResourcesFit', 'PodTopologySpread', 'InterPodAffinity']);
  // ImageLocality has no PreScore upstream (the file's preScore list leaves it out too).
  assert.deepEqual(f.pluginsAt('preScore'), ['TaintToleration', 'NodeAffinity', 'NodeResourcesFit', 'PodTopologySpread', 'InterPodAffinity', 'NodeResourcesBalancedAllocation']);
});

const CASES: [name: string, file: string, opts: ConfigFileOptions, warnings: string[]][] = [
  ['a fully defaulted v1 config (every default plugin at every point) runs as the default profile, the volume and DRA plugins as no-ops with one warning',
    'fully-defaulted.yaml', {}, [`fully-defaulted.yaml:105:15: profiles[0].plugins.multiPoint.enabled[8].name: ${NO_OPS}`]],
  ['the same config inside a ConfigMap (its only data key) reads the same, located in the ConfigMap file',
    'configmap.yaml', {}, [`configmap.yaml:110:19: profiles[0].plugins.multiPoint.enabled[8].name: ${NO_OPS}`]],
  ['the same config inside a ConfigMap, its data key named', 'configmap.yaml', { key: 'kube-scheduler-config.yaml' }, [`configmap.yaml:110:19: profiles[0].plugins.multiPoint.enabled[8].name: ${NO_OPS}`]],
];

for (const [name, file, opts, warnings] of CASES) {
  test(name, () => {
    const r = read(file, opts);
    assert.equal(r.config.profiles.length, 1);
    assert.deepEqual(layout(build(r.config.profiles[0]!)), layout(build(defaultProfileConfig())));
    assert.deepEqual(r.warnings, warnings);
  });
}

test('configDocument picks one document of several', () => {
  const r = read('two-documents.yaml', { document: 1 });
  assert.deepEqual(r.config.profiles.map((p) => p.schedulerName), ['bin-packing']);
});

const ERRORS: [name: string, file: string, opts: ConfigFileOptions, message: string][] = [
  ['several documents and none chosen', 'two-documents.yaml', {}, 'two-documents.yaml: expected exactly one YAML document (a KubeSchedulerConfiguration), or configDocument to choose one, got 2 documents'],
  ['a document index past the end', 'two-documents.yaml', { document: 2 }, 'two-documents.yaml: expected a file with a document 2 (configDocument counts from 0), got 2 documents'],
  ['the chosen document is not a configuration', 'two-documents.yaml', { document: 0 }, 'two-documents.yaml:2:13: apiVersion: expected "kubescheduler.config.k8s.io/v1", got "v1"'],
  ['a ConfigMap data key that is not there', 'configmap.yaml', { key: 'config.yaml' }, 'configmap.yaml:7:3: data: expected a data key "config.yaml" (keys: kube-scheduler-config.yaml), got no "config.yaml"'],
  ['a data key given for a file that is not a ConfigMap', 'fully-defaulted.yaml', { key: 'config.yaml' }, 'fully-defaulted.yaml:4:7: kind: expected a ConfigMap (configKey names one of its data keys), got "KubeSchedulerConfiguration"'],
];

for (const [name, file, opts, message] of ERRORS) {
  test(`refused: ${name}`, () => {
    assert.throws(() => read(file, opts), { message });
  });
}

test('a v1beta3 config is read as v1 with a warning naming the release that removed it', () => {
  const r = read('v1beta3.yaml');
  assert.deepEqual(r.config.profiles.map((p) => p.schedulerName), ['default-scheduler']);
  assert.deepEqual(r.warnings, ['v1beta3.yaml:1:13: apiVersion: kubescheduler.config.k8s.io/v1beta3 was removed in Kubernetes v1.29; read as kubescheduler.config.k8s.io/v1, whose fields are the same (change the apiVersion)']);
});

test('a config enabling a plugin kube-scheduler removed (EBSLimits, v1.32) is refused as v1.36 refuses it, naming the removal and NodeVolumeLimits; before, it loaded as a no-op', () => {
  assert.throws(() => read('removed-plugins.yaml'), {
    message: 'removed-plugins.yaml:9:19: profiles[0].plugins.filter.enabled[1].name: expected a plugin kube-scheduler v1.36 has (EBSLimits was removed in Kubernetes v1.32, kubernetes/kubernetes#124003; NodeVolumeLimits replaces it, and ksim accepts NodeVolumeLimits as a no-op like the other volume plugins), got "EBSLimits"',
  });
});
