// The hostile-input corpus (test/bad-input/): every reader ksim has, fed broken files. Each
// must be refused with an InputError whose message is exactly the one below (file:line:col,
// field path, what was expected, what was found); through the CLI, with exit code 2, one line on
// stderr, no stack trace, and no output folder. Files too big or too odd to commit (a 20 MB
// line, 10,000 nested lists, random bytes) are written into a temporary folder by the tests.
//
// Readers: the scenario (scenario/), Kubernetes manifests inline in a scenario (manifests/) and
// in files it names (manifest-files/: workload[].file; node-files/: cluster.file), the
// KubeSchedulerConfiguration (scheduler-config/: ksim explain --config, as kube-scheduler
// --config reads it), and ksim explain's --cluster (explain-cluster/) and --pod (explain-pod/).
// Paths in the messages are relative to test/bad-input/. warnings/ holds valid inputs with
// unknown fields.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { explainFiles, InputError, loadScenario, parseScenario, runScenario } from '../src/index.js';
import { readClusterSnapshot } from '../src/workload/cluster-snapshot.js';
import { KSIM_BIN, REPO_ROOT } from '../src/testing/repo-paths.js';
import { tempDir } from '../src/testing/temp-dir.js';

const DIR = 'test/bad-input';
const ROOT = `${REPO_ROOT}${DIR}/`;
const CLUSTER = `${REPO_ROOT}examples/explain/cluster.yaml`;
const POD = `${REPO_ROOT}examples/explain/pod.yaml`;
const POOL = 'nodePools: [{ name: general, count: 3, allocatable: { cpu: "4", memory: 16Gi } }]';

/** A scenario (not on disk) in the folder of the file it names, so that the file is read as
 * that field of a scenario. */
function wrapper(field: string): string {
  return `apiVersion: ksim/v1alpha1\nkind: Scenario\nduration: 10m\n${field}`;
}

type Reader = 'scenario' | 'manifests' | 'manifest-files' | 'node-files' | 'scheduler-config' | 'explain-cluster' | 'explain-pod';

/** How each reader is given a file of the corpus (by its path). */
const READ: Record<Reader, (path: string, name: string) => unknown> = {
  scenario: (path) => loadScenario(path),
  manifests: (path) => loadScenario(path),
  'manifest-files': (_path, name) => parseScenario(wrapper(`cluster:\n  ${POOL}\nworkload:\n  - name: app\n    file: ${name}\n`), `${ROOT}manifest-files/scenario.yaml`),
  'node-files': (_path, name) => parseScenario(wrapper(`cluster:\n  file: ${name}\n`), `${ROOT}node-files/scenario.yaml`),
  'scheduler-config': (path) => explainFiles({ cluster: CLUSTER, pod: POD, config: path }),
  'explain-cluster': (path) => explainFiles({ cluster: path, pod: POD }),
  'explain-pod': (path) => explainFiles({ cluster: CLUSTER, pod: path }),
};

const CASES: Record<Reader, [file: string, message: string][]> = {
  'scenario': [
    ['alias-bomb.yaml', 'scenario/alias-bomb.yaml:3:8: b[0]: expected YAML whose aliases expand to at most 1000 nodes, got Excessive alias count indicates a resource exhaustion attack'],
    ['at-and-rate.yaml', 'scenario/at-and-rate.yaml:12:11: workload[0].rate: expected either at or rate, not both'],
    ['binary-garbage.yaml', 'scenario/binary-garbage.yaml: expected a YAML or JSON text file, got binary data'],
    ['client-burst-huge.yaml', 'scenario/client-burst-huge.yaml:11:32: controlPlane.clients.kubelet.burst: expected an integer >= 1 and <= 1000000000, got 1000000000000'],
    ['client-qps-tiny.yaml', 'scenario/client-qps-tiny.yaml:11:23: controlPlane.clients.scheduler.qps: expected a number >= 0.001 and <= 1000000000000, got 1e-12'],
    ['comments-only.yaml', 'scenario/comments-only.yaml: expected exactly one YAML document (a Scenario), got 0 documents'],
    ['complex-mapping-key.yaml', 'scenario/complex-mapping-key.yaml:6:3: expected a mapping key that is a plain value (a string), got a list'],
    ['config-and-config-file.yaml', 'scenario/config-and-config-file.yaml:11:15: scheduler.configFile: expected either config or configFile, not both'],
    ['count-huge.yaml', 'scenario/count-huge.yaml:7:14: cluster.nodePools[0].count: expected an integer >= 0 and <= 1000000, got 99999999999'],
    ['count-negative.yaml', 'scenario/count-negative.yaml:7:14: cluster.nodePools[0].count: expected an integer >= 0 and <= 1000000, got -1'],
    ['cpu-1e400.yaml', 'scenario/cpu-1e400.yaml:8:27: cluster.nodePools[0].allocatable.cpu: expected a Kubernetes quantity such as 100m, 1.5, 2Gi or 1e3, got Infinity'],
    ['cpu-not-a-quantity.yaml', 'scenario/cpu-not-a-quantity.yaml:8:27: cluster.nodePools[0].allocatable.cpu: expected a Kubernetes quantity such as 100m, 1.5, 2Gi, 1e3, got "four"'],
    ['distribution-unknown.yaml', 'scenario/distribution-unknown.yaml:10:19: kubelet.startupLatency: expected a duration (constant), or a mapping with one of constant, uniform, exponential, normal, lognormal, got a mapping'],
    ['duplicate-node-name.yaml', 'scenario/duplicate-node-name.yaml:12:25: cluster.nodes[0].metadata.name: expected a node name not used before (general-1 is also cluster.nodePools[0]), got "general-1"'],
    ['duplicate-object-name.yaml', 'scenario/duplicate-object-name.yaml:14:62: workload[1].manifest.metadata.name: expected a name not already used by workload entry "web", got "web"'],
    ['duplicate-pool-name.yaml', 'scenario/duplicate-pool-name.yaml:9:7: cluster.nodePools[1]: expected a node name not used before (general-0 is also cluster.nodePools[0])'],
    ['duration-number.yaml', 'scenario/duration-number.yaml:3:11: duration: expected a Go-style duration such as 90s, 15m, 1h30m or 250ms, got 600'],
    ['duration-over-100-years.yaml', 'scenario/duration-over-100-years.yaml:3:11: duration: expected a duration of at most 876000h0m0s (100 years), got "876001h"'],
    ['duration-overflow.yaml', 'scenario/duration-overflow.yaml:3:11: duration: expected a duration such as 90s, 15m, 1h30m, got "9999999999999h"'],
    ['duration-without-unit.yaml', 'scenario/duration-without-unit.yaml:3:11: duration: expected a Go-style duration such as 90s, 15m, 1h30m or 250ms, got "30"'],
    ['duration-zero.yaml', 'scenario/duration-zero.yaml:3:11: duration: expected a positive duration'],
    ['empty.yaml', 'scenario/empty.yaml: expected exactly one YAML document (a Scenario), got 0 documents'],
    ['etcd-writes-denormal.yaml', 'scenario/etcd-writes-denormal.yaml:11:25: controlPlane.etcd.maxWritesPerSecond: expected a number >= 0.001 and <= 1000000000000, got 5e-324'],
    ['etcd-writes-infinite.yaml', 'scenario/etcd-writes-infinite.yaml:11:25: controlPlane.etcd.maxWritesPerSecond: expected a number >= 0.001 and <= 1000000000000, got Infinity'],
    ['etcd-writes-tiny.yaml', 'scenario/etcd-writes-tiny.yaml:11:25: controlPlane.etcd.maxWritesPerSecond: expected a number >= 0.001 and <= 1000000000000, got 1e-12'],
    ['json-single-quotes.json', "scenario/json-single-quotes.json:3:11: expected valid JSON (a value: an object, array, string, number, true, false or null), got \"'\""],
    ['json-trailing-comma.json', 'scenario/json-trailing-comma.json:6:3: expected valid JSON (a quoted member name after ","), got "}"'],
    ['json-wrong-type.json', 'scenario/json-wrong-type.json:5:49: cluster.nodePools[0].count: expected an integer, got "3"'],
    ['latin1-encoding.yaml', 'scenario/latin1-encoding.yaml:5:19: expected a YAML or JSON text file in UTF-8, got bytes that are not UTF-8 (binary data?)'],
    ['lognormal-p99-below-p50.yaml', 'scenario/lognormal-p99-below-p50.yaml:10:48: kubelet.startupLatency.lognormal.p99: expected a value >= lognormal.p50'],
    ['memory-negative.yaml', 'scenario/memory-negative.yaml:8:40: cluster.nodePools[0].allocatable.memory: expected a non-negative quantity, got "-16Gi"'],
    ['memory-overflow.yaml', 'scenario/memory-overflow.yaml:8:40: cluster.nodePools[0].allocatable.memory: expected a quantity at most 9007199254740991 (in base units), got "99999999999999999999Ei"'],
    ['missing-cluster.yaml', 'scenario/missing-cluster.yaml:1:1: expected the required field "cluster"'],
    ['missing-config-file.yaml', 'scenario/missing-config-file.yaml:10:15: scheduler.configFile: expected a readable file (paths are relative to the scenario), got "scheduler/does-not-exist.yaml": no such file'],
    ['missing-node-file.yaml', 'scenario/missing-node-file.yaml:4:9: cluster.file: expected a readable file or directory (paths are relative to the scenario), got "nodes/does-not-exist.yaml": no such file'],
    ['missing-plugin-module.yaml', 'scenario/missing-plugin-module.yaml:10:19: scheduler.pluginModules[0]: expected a readable file (paths are relative to the scenario), got "plugins/does-not-exist.js": no such file'],
    ['pods-fraction-overflow.yaml', 'scenario/pods-fraction-overflow.yaml:8:52: cluster.nodePools[0].allocatable.pods: expected a quantity at most 9007199254740991 (in base units), got 10000000000000000'],
    ['rate-count-huge.yaml', 'scenario/rate-count-huge.yaml:11:35: workload[0].rate.count: expected an integer >= 1 and <= 1000000000, got 1000000000000'],
    ['rate-per-minute-tiny.yaml', 'scenario/rate-per-minute-tiny.yaml:11:24: workload[0].rate.perMinute: expected a number >= 0.000001 and <= 1000000000, got 1e-9'],
    ['sample-interval-too-fine.yaml', 'scenario/sample-interval-too-fine.yaml:10:19: metrics.sampleInterval: expected an interval of at least duration / 1000000 (at most 1000000 timeseries rows), got "1ms"'],
    ['seed-too-big.yaml', 'scenario/seed-too-big.yaml:4:7: seed: expected an integer >= 0 and <= 4294967295, got 4294967296'],
    ['syntax-bad-indentation.yaml', 'scenario/syntax-bad-indentation.yaml:7:14: expected valid YAML, got BLOCK_AS_IMPLICIT_KEY: Nested mappings are not allowed in compact mappings'],
    ['syntax-duplicate-key-nested.yaml', 'scenario/syntax-duplicate-key-nested.yaml:9:7: cluster.nodePools[0].count: expected each field at most once in a mapping, got "count" again'],
    ['syntax-duplicate-key.yaml', 'scenario/syntax-duplicate-key.yaml:7:1: duration: expected each field at most once in a mapping, got "duration" again'],
    ['syntax-nested-compact-mapping.yaml', 'scenario/syntax-nested-compact-mapping.yaml:4:19: expected valid YAML, got BLOCK_IN_FLOW: Block collections are not allowed within flow collections'],
    ['syntax-tab-indentation.yaml', 'scenario/syntax-tab-indentation.yaml:5:1: expected valid YAML, got TAB_AS_INDENT: Tabs are not allowed as indentation'],
    ['syntax-unclosed-flow-mapping.yaml', 'scenario/syntax-unclosed-flow-mapping.yaml:9:1: expected valid YAML, got BAD_INDENT: Flow map in block collection must be sufficiently indented and end with a }'],
    ['syntax-undefined-alias.yaml', 'scenario/syntax-undefined-alias.yaml:8:20: cluster.nodePools[0].allocatable: expected an alias to an anchor defined before it, got *resources'],
    ['syntax-unterminated-string.yaml', 'scenario/syntax-unterminated-string.yaml:5:16: expected valid YAML, got MISSING_CHAR: Missing closing "quote'],
    ['top-level-list.yaml', 'scenario/top-level-list.yaml:2:1: expected a mapping, got a list'],
    ['top-level-scalar.yaml', 'scenario/top-level-scalar.yaml:2:1: expected a mapping, got "quickstart"'],
    ['two-documents.yaml', 'scenario/two-documents.yaml: expected exactly one YAML document (a Scenario), got 2 documents'],
    ['type-cluster-list.yaml', 'scenario/type-cluster-list.yaml:4:3: cluster: expected a mapping, got a list'],
    ['type-cpu-boolean.yaml', 'scenario/type-cpu-boolean.yaml:8:27: cluster.nodePools[0].allocatable.cpu: expected a Kubernetes quantity such as 100m, 1.5, 2Gi or 1e3, got true'],
    ['type-seed-string.yaml', 'scenario/type-seed-string.yaml:4:7: seed: expected an integer, got "forty-two"'],
    ['type-unschedulable-string.yaml', 'scenario/type-unschedulable-string.yaml:9:22: cluster.nodePools[0].unschedulable: expected true or false, got "yes"'],
    ['type-workload-mapping.yaml', 'scenario/type-workload-mapping.yaml:10:3: workload: expected a list, got a mapping'],
    ['type-zones-string.yaml', 'scenario/type-zones-string.yaml:9:14: cluster.nodePools[0].zones: expected a list, got "zone-a"'],
    ['uniform-max-below-min.yaml', 'scenario/uniform-max-below-min.yaml:10:48: controlPlane.apiWriteLatency.uniform.max: expected a value >= uniform.min'],
    ['unknown-field-pool.yaml', 'scenario/unknown-field-pool.yaml:9:7: cluster.nodePools[0].zone: expected one of the fields name, count, allocatable, zones, labels, taints, unschedulable, images, joinAt, costPerHour, got unknown field "zone" (did you mean "zones"?)'],
    ['unknown-field-rate.yaml', 'scenario/unknown-field-rate.yaml:11:27: workload[0].rate.burst: expected one of the fields perMinute, count, start, process, got unknown field "burst"'],
    ['unknown-field-scheduler.yaml', 'scenario/unknown-field-scheduler.yaml:10:3: scheduler.profile: expected one of the fields config, configFile, configDocument, configKey, tieBreak, pluginModules, got unknown field "profile"'],
    ['unknown-field-top.yaml', 'scenario/unknown-field-top.yaml:9:1: seeed: expected one of the fields apiVersion, kind, metadata, seed, duration, cluster, controlPlane, scheduler, kubelet, metrics, workload, faults, got unknown field "seeed" (did you mean "seed"?)'],
    ['unresolved-tag.yaml', "scenario/unresolved-tag.yaml:4:7: seed: expected no YAML tag, or a tag of JSON's types (!!str, !!int, !!float, !!bool, !!null, !!map, !!seq), got !!binary"],
    ['whitespace-only.yaml', 'scenario/whitespace-only.yaml: expected exactly one YAML document (a Scenario), got 0 documents'],
    ['workload-empty-manifests.yaml', 'scenario/workload-empty-manifests.yaml:11:16: workload[0].manifests: expected at least one manifest, got an empty list'],
    ['workload-without-manifest.yaml', 'scenario/workload-without-manifest.yaml:10:5: workload[0]: expected exactly one of manifest, manifests or file, got none'],
  ],
  'manifests': [
    // Issue 14 item 3: enums ksim reads and the extended-resource rules (upstream validation.go).
    ['deployment-restart-never.yaml', "manifests/deployment-restart-never.yaml:21:28: workload[0].manifest.spec.template.spec.restartPolicy: expected Always (a Deployment's pods always restart), got \"Never\""],
    ['pod-gpu-fraction.yaml', 'manifests/pod-gpu-fraction.yaml:19:52: workload[0].manifest.spec.containers[0].resources.limits.nvidia.com/gpu: expected a whole number of nvidia.com/gpu (an extended resource), got "500m"'],
    ['pod-gpu-request-below-limit.yaml', 'manifests/pod-gpu-request-below-limit.yaml:19:54: workload[0].manifest.spec.containers[0].resources.requests.nvidia.com/gpu: expected a request equal to the nvidia.com/gpu limit of 2, got 1'],
    ['pod-gpu-request-without-limit.yaml', 'manifests/pod-gpu-request-without-limit.yaml:19:65: workload[0].manifest.spec.containers[0].resources.requests.nvidia.com/gpu: expected a limit for nvidia.com/gpu too (it cannot be overcommitted; a limit alone sets the request)'],
    ['pod-image-pull-policy-typo.yaml', 'manifests/pod-image-pull-policy-typo.yaml:19:30: workload[0].manifest.spec.containers[0].imagePullPolicy: expected one of Always, Never, IfNotPresent, got "IfNotPresnt"'],
    ['pod-node-affinity-operator-typo.yaml', 'manifests/pod-node-affinity-operator-typo.yaml:23:65: workload[0].manifest.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].operator: expected one of In, NotIn, Exists, DoesNotExist, Gt, Lt, got "Equals"'],
    ['pod-preemption-policy-typo.yaml', 'manifests/pod-preemption-policy-typo.yaml:16:27: workload[0].manifest.spec.preemptionPolicy: expected one of PreemptLowerPriority, Never, got "PreemptLower"'],
    ['pod-restart-policy-typo.yaml', 'manifests/pod-restart-policy-typo.yaml:16:24: workload[0].manifest.spec.restartPolicy: expected one of Always, OnFailure, Never, got "Sometimes"'],
    ['deployment-replicas-negative.yaml', 'manifests/deployment-replicas-negative.yaml:16:19: workload[0].manifest.spec.replicas: expected an integer >= 0, got -3'],
    ['deployment-replicas-overflow.yaml', 'manifests/deployment-replicas-overflow.yaml:16:19: workload[0].manifest.spec.replicas: expected a 32-bit integer (at most 2147483647), got 1000000000000'],
    ['deployment-replicas-string.yaml', 'manifests/deployment-replicas-string.yaml:16:19: workload[0].manifest.spec.replicas: expected an integer >= 0, got "3"'],
    ['deployment-template-list.yaml', 'manifests/deployment-template-list.yaml:18:19: workload[0].manifest.spec.template: expected a pod template, got a list'],
    ['deployment-without-selector.yaml', 'manifests/deployment-without-selector.yaml:16:9: workload[0].manifest.spec.selector: expected a label selector (apps/v1 requires one), got nothing'],
    ['hpa-max-below-min.yaml', 'manifests/hpa-max-below-min.yaml:18:22: workload[0].manifest.spec.maxReplicas: expected an integer >= minReplicas 5 (must be greater than or equal to `minReplicas`), got 3'],
    ['hpa-without-max.yaml', 'manifests/hpa-without-max.yaml:16:9: workload[0].manifest.spec.maxReplicas: expected maxReplicas (required)'],
    ['limitrange-min-above-max.yaml', 'manifests/limitrange-min-above-max.yaml:18:25: workload[0].manifest.spec.limits[0].min.cpu: expected a min no greater than the max 1 (min value 2 is greater than max value 1), got "2"'],
    ['limitrange-type-typo.yaml', 'manifests/limitrange-type-typo.yaml:17:19: workload[0].manifest.spec.limits[0].type: expected Container, Pod, PersistentVolumeClaim or a fully qualified limit type, got "Containers"'],
    ['namespace-labels-list.yaml', 'manifests/namespace-labels-list.yaml:11:82: workload[0].manifest.metadata.labels: expected a mapping of strings to strings, got a list'],
    ['node-images-mapping.yaml', 'manifests/node-images-mapping.yaml:13:66: cluster.nodes[0].status.images: expected a list, got a mapping'],
    ['node-name-invalid.yaml', 'manifests/node-name-invalid.yaml:12:25: cluster.nodes[0].metadata.name: expected a node name: a lowercase RFC 1123 name (a-z, 0-9, "-", "."; at most 253 characters), got "Big_Node"'],
    ['node-negative-allocatable.yaml', 'manifests/node-negative-allocatable.yaml:13:37: cluster.nodes[0].status.allocatable.cpu: expected a non-negative quantity, got "-8"'],
    ['node-taint-effect.yaml', 'manifests/node-taint-effect.yaml:13:62: cluster.nodes[0].spec.taints[0].effect: expected NoSchedule, PreferNoSchedule or NoExecute, got "NoScheduleAtAll"'],
    ['node-without-allocatable.yaml', 'manifests/node-without-allocatable.yaml:13:15: cluster.nodes[0].status.allocatable: expected the node allocatable resources (status.allocatable), got nothing (neither status.allocatable nor status.capacity)'],
    ['node-wrong-kind.yaml', 'manifests/node-wrong-kind.yaml:11:13: cluster.nodes[0].kind: expected "Node", got "Pod"'],
    ['pdb-percentage-over-100.yaml', 'manifests/pdb-percentage-over-100.yaml:15:29: workload[0].manifest.spec.minAvailable: expected a non-negative integer or a percentage such as "50%", got "150%"'],
    ['pod-affinity-operator.yaml', 'manifests/pod-affinity-operator.yaml:23:65: workload[0].manifest.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].operator: expected one of In, NotIn, Exists, DoesNotExist, Gt, Lt, got "Equals"'],
    ['pod-affinity-string.yaml', 'manifests/pod-affinity-string.yaml:19:19: workload[0].manifest.spec.affinity: expected an Affinity (a mapping), got "zone-a"'],
    ['pod-anti-affinity-no-topology-key.yaml', 'manifests/pod-anti-affinity-no-topology-key.yaml:22:17: workload[0].manifest.spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey: expected a topology key (a label key such as topology.kubernetes.io/zone), got nothing'],
    ['pod-containers-mapping.yaml', 'manifests/pod-containers-mapping.yaml:17:11: workload[0].manifest.spec.containers: expected a non-empty list of containers, got a mapping'],
    ['pod-duplicate-container.yaml', 'manifests/pod-duplicate-container.yaml:19:19: workload[0].manifest.spec.containers[1].name: expected a container name unique in the pod, got "c"'],
    ['deployment-spread-match-label-keys-in-selector.yaml', 'manifests/deployment-spread-match-label-keys-in-selector.yaml:27:34: workload[0].manifest.spec.template.spec.topologySpreadConstraints[0].matchLabelKeys[0]: expected a key the labelSelector does not name (exists in both matchLabelKeys and labelSelector), got "pod-template-hash"'],
    ['pod-affinity-key-in-match-and-mismatch.yaml', 'manifests/pod-affinity-key-in-match-and-mismatch.yaml:24:36: workload[0].manifest.spec.affinity.podAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.matchLabelKeys[0]: expected a key not in mismatchLabelKeys too (exists in both matchLabelKeys and mismatchLabelKeys), got "app"'],
    ['pod-affinity-match-label-keys-without-selector.yaml', 'manifests/pod-affinity-match-label-keys-without-selector.yaml:21:33: workload[0].manifest.spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].matchLabelKeys: expected no matchLabelKeys without a labelSelector (must not be specified when labelSelector is not set)'],
    ['pod-env-value-number.yaml', 'manifests/pod-env-value-number.yaml:19:43: workload[0].manifest.spec.containers[0].env[0].value: expected a string (quote numbers and booleans), got 4'],
    ['pod-host-port-string.yaml', 'manifests/pod-host-port-string.yaml:19:52: workload[0].manifest.spec.containers[0].ports[0].hostPort: expected a number, got "eighty"'],
    ['pod-label-key-invalid.yaml', 'manifests/pod-label-key-invalid.yaml:14:40: workload[0].manifest.metadata.labels.app name: expected a label key: an optional DNS subdomain prefix and "/", then a name of at most 63 characters (a-z, A-Z, 0-9, "-", "_", ".") that starts and ends with a letter or digit, got "app name"'],
    ['pod-max-skew-zero.yaml', 'manifests/pod-max-skew-zero.yaml:20:22: workload[0].manifest.spec.topologySpreadConstraints[0].maxSkew: expected an integer greater than zero, got 0'],
    ['pod-node-selector-value-invalid.yaml', 'manifests/pod-node-selector-value-invalid.yaml:19:35: workload[0].manifest.spec.nodeSelector.disktype: expected a label value: empty, or at most 63 characters (a-z, A-Z, 0-9, "-", "_", ".") that start and end with a letter or digit, got "solid state"'],
    ['pod-overhead-garbage.yaml', 'manifests/pod-overhead-garbage.yaml:19:26: workload[0].manifest.spec.overhead.cpu: expected a Kubernetes quantity such as 100m, 1.5, 2Gi, 1e3, got "lots"'],
    ['pod-preferred-weight-zero.yaml', 'manifests/pod-preferred-weight-zero.yaml:22:25: workload[0].manifest.spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight: expected an integer weight in the range 1-100, got 0'],
    ['pod-priority-overflow.yaml', 'manifests/pod-priority-overflow.yaml:19:19: workload[0].manifest.spec.priority: expected a 32-bit integer, got 99999999999'],
    ['pod-request-1e400.yaml', 'manifests/pod-request-1e400.yaml:19:43: workload[0].manifest.spec.containers[0].resources.requests.cpu: expected a Kubernetes quantity such as 100m, 1.5, 2Gi, 1e3, got Infinity'],
    ['pod-request-over-limit.yaml', 'manifests/pod-request-over-limit.yaml:19:43: workload[0].manifest.spec.containers[0].resources.requests.cpu: expected a request no larger than the cpu limit'],
    ['pod-request-overflow.yaml', 'manifests/pod-request-overflow.yaml:19:46: workload[0].manifest.spec.containers[0].resources.requests.memory: expected a quantity at most 9007199254740991 (in base units), got "99999999999999999999Ei"'],
    ['pod-scheduling-gate-duplicate.yaml', 'manifests/pod-scheduling-gate-duplicate.yaml:19:63: workload[0].manifest.spec.schedulingGates[1].name: expected a scheduling gate not listed before, got "example.com/wait"'],
    ['pod-scheduling-gates-string.yaml', 'manifests/pod-scheduling-gates-string.yaml:19:26: workload[0].manifest.spec.schedulingGates: expected a list of scheduling gates ({name}), got "example.com/wait"'],
    ['pod-spec-list.yaml', 'manifests/pod-spec-list.yaml:16:9: workload[0].manifest.spec: expected a pod spec, got a list'],
    ['pod-toleration-seconds-no-effect.yaml', 'manifests/pod-toleration-seconds-no-effect.yaml:20:13: workload[0].manifest.spec.tolerations[0].effect: expected NoExecute when tolerationSeconds is set, got nothing'],
    ['pod-toleration-seconds-no-schedule.yaml', 'manifests/pod-toleration-seconds-no-schedule.yaml:20:66: workload[0].manifest.spec.tolerations[0].effect: expected NoExecute when tolerationSeconds is set, got "NoSchedule"'],
    ['pod-toleration-seconds-string.yaml', 'manifests/pod-toleration-seconds-string.yaml:20:82: workload[0].manifest.spec.tolerations[0].tolerationSeconds: expected an integer number of seconds, got "300"'],
    ['pod-when-unsatisfiable-typo.yaml', 'manifests/pod-when-unsatisfiable-typo.yaml:22:32: workload[0].manifest.spec.topologySpreadConstraints[0].whenUnsatisfiable: expected DoNotSchedule or ScheduleAnyway, got "DoNotScheduled"'],
    ['pod-without-metadata.yaml', 'manifests/pod-without-metadata.yaml:11:15: workload[0].manifest.metadata: expected metadata with a name, got nothing'],
    ['pod-wrong-api-version.yaml', 'manifests/pod-wrong-api-version.yaml:11:29: workload[0].manifest.apiVersion: expected v1, got "apps/v1"'],
    ['priority-class-value-string.yaml', 'manifests/priority-class-value-string.yaml:11:105: workload[0].manifest.value: expected an integer priority at most 1000000000, got "high"'],
    ['priority-class-value-too-big.yaml', 'manifests/priority-class-value-too-big.yaml:11:105: workload[0].manifest.value: expected an integer priority at most 1000000000, got 2000000000'],
    // Upstream ValidatePriorityClass: 'system-' names are the built-in classes', with their values.
    ['priority-class-system-unknown.yaml', "manifests/priority-class-system-unknown.yaml:11:90: workload[0].manifest.metadata.name: expected a name without the 'system-' prefix: priority class names with it are reserved for system use only (system-important is not a known system priority class; the built-in ones are system-node-critical (2000001000) and system-cluster-critical (2000000000)), got \"system-important\""],
    ['priority-class-system-value.yaml', 'manifests/priority-class-system-value.yaml:11:121: workload[0].manifest.value: expected 2000001000 (value of system-node-critical PriorityClass must be 2000001000: a built-in class), got 1000000'],
    ['runtimeclass-overhead-negative.yaml', 'manifests/runtimeclass-overhead-negative.yaml:16:39: workload[0].manifest.overhead.podFixed.memory: expected a non-negative quantity, got "-256Mi"'],
    ['runtimeclass-without-handler.yaml', 'manifests/runtimeclass-without-handler.yaml:12:7: workload[0].manifest.handler: expected a runtime handler name: a lowercase RFC 1123 label (e.g. runsc), got nothing'],
  ],
  'manifest-files': [
    ['dir-with-bad-file', 'manifest-files/dir-with-bad-file/b-bad.yml:8:77: spec.containers[0].resources.requests.cpu: expected a Kubernetes quantity such as 100m, 1.5, 2Gi, 1e3, got "lots"'],
    ['duplicate-name.yaml', 'manifest-files/duplicate-name.yaml:8:19: metadata.name: expected a name not already used by workload entry "app", got "web"'],
    ['empty-dir', 'manifest-files/empty-dir: expected a directory with *.yaml, *.yml or *.json files, got none'],
    ['list-item-without-kind.yaml', 'manifest-files/list-item-without-kind.yaml:4:3: items[0].kind: expected a supported kind: Pod (v1), Deployment (apps/v1), ReplicaSet (apps/v1), Namespace (v1), PriorityClass (scheduling.k8s.io/v1), PodDisruptionBudget (policy/v1), DaemonSet (apps/v1), Job (batch/v1), CronJob (batch/v1), StatefulSet (apps/v1), ResourceQuota (v1), Service (v1), LimitRange (v1), RuntimeClass (node.k8s.io/v1), HorizontalPodAutoscaler (autoscaling/v2, autoscaling/v1), got nothing'],
    ['podlist-item-bad.json', 'manifest-files/podlist-item-bad.json:6:130: items[1].spec.containers[0].resources.requests.memory: expected a Kubernetes quantity such as 100m, 1.5, 2Gi, 1e3, got "2GB"'],
    ['empty.yaml', 'manifest-files/empty.yaml: expected at least one Kubernetes object, got an empty file'],
    ['list-empty.yaml', 'manifest-files/scenario.yaml:8:11: workload[0].file: expected a file with at least one manifest, got an empty List'],
    ['list-items-mapping.yaml', 'manifest-files/list-items-mapping.yaml:4:3: items: expected a list of objects, got a mapping'],
    ['scalar.yaml', 'manifest-files/scalar.yaml:1:1: expected a Kubernetes object (a mapping with apiVersion and kind), got "nginx:1.27"'],
    ['second-document-bad.yaml', 'manifest-files/second-document-bad.yaml:12:71: spec.containers[0].resources.requests.cpu: expected a Kubernetes quantity such as 100m, 1.5, 2Gi, 1e3, got "500mm"'],
    ['syntax-error.yaml', 'manifest-files/syntax-error.yaml:5:1: expected valid YAML, got BAD_INDENT: All mapping items must start at the same column'],
    ['trailing-comma.json', 'manifest-files/trailing-comma.json:5:62: expected valid JSON (a value after ","), got "]"'],
    ['only-skipped-kinds.yaml', 'manifest-files/scenario.yaml:8:11: workload[0].file: expected at least one object ksim simulates (Pods, workloads, Services, PriorityClasses, PDBs, Namespaces, ResourceQuotas, LimitRanges, RuntimeClasses, HorizontalPodAutoscalers), got only kinds that are not simulated'],
    ['unsupported-kind.yaml', 'manifest-files/unsupported-kind.yaml:2:7: kind: expected a supported kind: Pod (v1), Deployment (apps/v1), ReplicaSet (apps/v1), Namespace (v1), PriorityClass (scheduling.k8s.io/v1), PodDisruptionBudget (policy/v1), DaemonSet (apps/v1), Job (batch/v1), CronJob (batch/v1), StatefulSet (apps/v1), ResourceQuota (v1), Service (v1), LimitRange (v1), RuntimeClass (node.k8s.io/v1), HorizontalPodAutoscaler (autoscaling/v2, autoscaling/v1), got "ReplicationController"'],
  ],
  'node-files': [
    ['allocatable-garbage.json', 'node-files/allocatable-garbage.json:5:39: status.allocatable.cpu: expected a Kubernetes quantity such as 100m, 1.5, 2Gi, 1e3, got "4 cores"'],
    ['duplicate-node.yaml', 'node-files/duplicate-node.yaml:8:19: metadata.name: expected a node name not used before (node-a is also node-files/duplicate-node.yaml:1), got "node-a"'],
    ['empty.yaml', 'node-files/empty.yaml: expected at least one Kubernetes object, got an empty file'],
    // A snapshot's pods are read as workload pods are (cluster.file is a cluster snapshot).
    ['bad-pod-among-nodes.yaml', 'node-files/bad-pod-among-nodes.yaml:11:43: items[1].spec.containers: expected a non-empty list of containers, got "nginx"'],
    ['empty-dir', 'node-files/scenario.yaml:5:9: cluster.file: expected a directory with *.yaml, *.yml or *.json files, got "empty-dir": none'],
    ['typed-list-item.json', 'node-files/typed-list-item.json:5:5: items[0]: expected a Kubernetes object (a mapping with apiVersion and kind), got "node-a"'],
    ['typed-list-no-items.yaml', 'node-files/typed-list-no-items.yaml:1:1: items: expected a list of objects, got nothing'],
    ['system-priority-class-unknown.yaml', "node-files/system-priority-class-unknown.yaml:10:23: items[1].metadata.name: expected a name without the 'system-' prefix: priority class names with it are reserved for system use only (system-tenant-critical is not a known system priority class; the built-in ones are system-node-critical (2000001000) and system-cluster-critical (2000000000)), got \"system-tenant-critical\""],
  ],
  'scheduler-config': [
    ['api-version-v1beta2.yaml', 'scheduler-config/api-version-v1beta2.yaml:1:13: apiVersion: expected "kubescheduler.config.k8s.io/v1" (v1beta2 was removed in Kubernetes v1.28; in v1 the default score weights are TaintToleration 3, NodeAffinity 2, InterPodAffinity 2 (v1beta2: 1) and the SelectorSpread plugin is gone), got "kubescheduler.config.k8s.io/v1beta2"'],
    ['args-kind-mismatch.yaml', 'scheduler-config/args-kind-mismatch.yaml:8:17: profiles[0].pluginConfig[0].args.kind: expected "PodTopologySpreadArgs", or no kind (kube-scheduler decodes PodTopologySpread\'s args by their kind and refuses another type: "args for plugin PodTopologySpread were not of type PodTopologySpreadArgs.kubescheduler.config.k8s.io"), got "NodeResourcesFitArgs"'],
    ['configmap-bad-inner.yaml', 'scheduler-config/configmap-bad-inner.yaml:16:25: profiles[0].plugins.score.enabled[0].weight: expected an integer weight from -2147483648 to 2147483647 (a 32-bit integer; 0 or none: 1), got 1.5'],
    ['configmap-data-not-text.yaml', 'scheduler-config/configmap-data-not-text.yaml:6:5: data.config.yaml: expected the text of a KubeSchedulerConfiguration, got a mapping'],
    ['configmap-two-keys.yaml', 'scheduler-config/configmap-two-keys.yaml:7:3: data: expected one data key, or --config-key naming the one that holds the configuration (keys: config.yaml, policy.cfg), got 2 keys'],
    ['backoff-max-below-initial.yaml', 'scheduler-config/backoff-max-below-initial.yaml:4:23: podMaxBackoffSeconds: expected a value >= podInitialBackoffSeconds (30), got 10'],
    ['backoff-overflow.yaml', 'scheduler-config/backoff-overflow.yaml:3:27: podInitialBackoffSeconds: expected an integer number of seconds at most 9007199254, got 1e+300'],
    ['capacity-ratio-with-most-allocated.yaml', 'scheduler-config/capacity-ratio-with-most-allocated.yaml:11:11: profiles[0].pluginConfig[0].args.scoringStrategy.requestedToCapacityRatio: expected no requestedToCapacityRatio with type MostAllocated (upstream: "must be nil when type is not RequestedToCapacityRatio"), got a mapping'],
    ['bad-plugin-args.yaml', 'scheduler-config/bad-plugin-args.yaml:7:36: profiles[0].pluginConfig[0].args.scoringStrategy.type: expected one of LeastAllocated, MostAllocated, RequestedToCapacityRatio, got "MostUsed"'],
    ['duplicate-plugin-config.yaml', 'scheduler-config/duplicate-plugin-config.yaml:6:17: profiles[0].pluginConfig[1].name: expected a plugin not configured before (duplicate plugin config for NodeResourcesFit), got "NodeResourcesFit"'],
    ['duplicate-profile.yaml', 'scheduler-config/duplicate-profile.yaml:5:20: profiles[1].schedulerName: expected a scheduler name not used by profiles[0], got "bin-packing"'],
    // The repeated entry (line 10), not the first one, which alone was valid.
    ['duplicate-multipoint-plugin.yaml', 'scheduler-config/duplicate-multipoint-plugin.yaml:10:15: profiles[0].plugins.multiPoint.enabled[1].name: expected each plugin once, got plugin "ImageLocality" already registered as "ScorePlugin"'],
    ['duplicate-score-plugin.yaml', 'scheduler-config/duplicate-score-plugin.yaml:10:15: profiles[0].plugins.score.enabled[1].name: expected each plugin once per extension point, got plugin "ImageLocality" already registered as "ScorePlugin"'],
    ['empty.yaml', 'scheduler-config/empty.yaml: expected exactly one YAML document (a KubeSchedulerConfiguration), got 0 documents'],
    ['extenders.yaml', 'scheduler-config/extenders.yaml:4:3: extenders: expected no extenders (ksim does not model scheduler extenders)'],
    ['list.yaml', 'scheduler-config/list.yaml:1:1: expected a KubeSchedulerConfiguration mapping, got a list'],
    ['no-bind-plugin.yaml', 'scheduler-config/no-bind-plugin.yaml:6:9: profiles[0].plugins.bind: expected at least one Bind plugin, got none'],
    ['out-of-scope-plugin.yaml', 'scheduler-config/out-of-scope-plugin.yaml:6:27: profiles[0].plugins.filter.enabled[0].name: expected a plugin ksim models (gang scheduling is out of scope), got "GangScheduling"'],
    ['percentage-over-100.yaml', 'scheduler-config/percentage-over-100.yaml:3:27: percentageOfNodesToScore: expected an integer between 0 and 100, got 150'],
    ['plugin-args-list.yaml', 'scheduler-config/plugin-args-list.yaml:6:15: profiles[0].pluginConfig[0].args: expected a mapping of plugin arguments, got a list'],
    ['plugin-at-wrong-point.yaml', 'scheduler-config/plugin-at-wrong-point.yaml:6:27: profiles[0].plugins.filter.enabled[0].name: expected a plugin that extends FilterPlugin, got plugin "ImageLocality" does not extend FilterPlugin'],
    // Upstream defaults schedulerName only for a single profile (profiles: [] is one default profile).
    ['profile-without-name.yaml', 'scheduler-config/profile-without-name.yaml:4:3: profiles[0].schedulerName: expected a schedulerName (required when there are several profiles: kube-scheduler names only a single profile default-scheduler), got none'],
    ['profiles-mapping.yaml', 'scheduler-config/profiles-mapping.yaml:4:3: profiles: expected a list of profiles, got a mapping'],
    ['queue-sort-mismatch.yaml', 'scheduler-config/queue-sort-mismatch.yaml:8:9: profiles[1].plugins.queueSort: expected queueSort written as profiles[0] writes it (none): kube-scheduler compares the lists as written, not the plugin they leave, so repeat them in every profile or leave queueSort out of all ("must be the same for all profiles"), got disabled: [*]'],
    ['two-documents.yaml', 'scheduler-config/two-documents.yaml: expected exactly one YAML document (a KubeSchedulerConfiguration), or --config-document to choose one, got 2 documents'],
    // At the key (line 7), not its value's first line (8).
    ['unknown-args-field.yaml', 'scheduler-config/unknown-args-field.yaml:7:11: profiles[0].pluginConfig[0].args.defaultConstraint: expected one of the fields defaultingType, defaultConstraints, got unknown field "defaultConstraint" (did you mean "defaultConstraints"?)'],
    ['unknown-plugin-field.yaml', 'scheduler-config/unknown-plugin-field.yaml:6:45: profiles[0].plugins.score.enabled[0].wieght: expected one of the fields name, weight, got unknown field "wieght" (did you mean "weight"?)'],
    ['unknown-plugin.yaml', 'scheduler-config/unknown-plugin.yaml:6:27: profiles[0].plugins.filter.enabled[0].name: expected a registered plugin (BestFitScore, DefaultBinder, DefaultPreemption, DotProductScore, FGDScore, GpuClusteringScore, GpuPackingScore, ImageLocality, InterPodAffinity, MaxInstancesPerNode, NodeAffinity, NodeName, NodePorts, NodeResourcesBalancedAllocation, NodeResourcesFit, NodeUnschedulable, Open-Gpu-Share, PodTopologySpread, PrioritySort, RandomScore, SchedulingGates, TaintToleration; an out-of-tree plugin is loaded with scheduler.pluginModules, or --plugin-module of ksim explain and ksim capacity --cluster), got "NodeResourcesFitt" (did you mean "NodeResourcesFit"?)'],
    ['unknown-profile-field.yaml', 'scheduler-config/unknown-profile-field.yaml:5:5: profiles[0].plugin: expected one of the fields schedulerName, percentageOfNodesToScore, plugins, pluginConfig, got unknown field "plugin" (did you mean "plugins"?)'],
    ['unknown-top-field.yaml', 'scheduler-config/unknown-top-field.yaml:3:1: percentageOfNodeToScore: expected one of the fields apiVersion, kind, parallelism, leaderElection, clientConnection, healthzBindAddress, metricsBindAddress, enableProfiling, enableContentionProfiling, percentageOfNodesToScore, podInitialBackoffSeconds, podMaxBackoffSeconds, profiles, extenders, delayCacheUntilActive, got unknown field "percentageOfNodeToScore" (did you mean "percentageOfNodesToScore"?)'],
    ['weight-not-a-number.yaml', 'scheduler-config/weight-not-a-number.yaml:6:53: profiles[0].plugins.score.enabled[0].weight: expected an integer weight from -2147483648 to 2147483647 (a 32-bit integer; 0 or none: 1), got "high"'],
    ['weight-overflow.yaml', 'scheduler-config/weight-overflow.yaml:6:53: profiles[0].plugins.score.enabled[0].weight: expected an integer weight from -2147483648 to 2147483647 (a 32-bit integer; 0 or none: 1), got 4294967296'],
    ['weight-underflow.yaml', 'scheduler-config/weight-underflow.yaml:6:53: profiles[0].plugins.score.enabled[0].weight: expected an integer weight from -2147483648 to 2147483647 (a 32-bit integer; 0 or none: 1), got -2147483649'],
    ['wrong-kind.yaml', 'scheduler-config/wrong-kind.yaml:2:7: kind: expected "KubeSchedulerConfiguration", got "SchedulerConfiguration"'],
  ],
  'explain-cluster': [
    ['duplicate-node.yaml', 'explain-cluster/duplicate-node.yaml:10:23: items[1].metadata.name: expected a node name not used before (node-a is also line 6 (items[0])), got "node-a"'],
    ['duplicate-owner.yaml', 'explain-cluster/duplicate-owner.yaml:9:64: items[2].metadata.name: expected a ReplicaSet name not used before in namespace shop (web is also line 8 (items[1])), got "web"'],
    ['duplicate-pod.yaml', 'explain-cluster/duplicate-pod.yaml:16:23: items[2].metadata.name: expected a Pod name not used before in namespace default (web-0 is also line 10 (items[1])), got "web-0"'],
    ['empty.yaml', 'explain-cluster/empty.yaml: expected a Kubernetes object or a List, got an empty file'],
    ['item-not-an-object.yaml', 'explain-cluster/item-not-an-object.yaml:8:5: items[1]: expected a Kubernetes object (a mapping with apiVersion and kind), got nothing'],
    ['items-not-a-list.yaml', 'explain-cluster/items-not-a-list.yaml:4:3: items: expected a list of objects, got a mapping'],
    ['kind-missing.yaml', 'explain-cluster/kind-missing.yaml:1:1: kind: expected the kind of the object (e.g. List, Node, Pod), got nothing'],
    ['node-dir', 'explain-cluster/node-dir/node-b.json:1:104: status.allocatable.cpu: expected a Kubernetes quantity such as 100m, 1.5, 2Gi, 1e3, got "four"'],
    ['nodelist-kindless-bad.yaml', 'explain-cluster/nodelist-kindless-bad.yaml:6:21: items[1].metadata.name: expected a node name not used before (node-a is also line 4 (items[0])), got "node-a"'],
    ['namespace-labels-number.yaml', 'explain-cluster/namespace-labels-number.yaml:8:80: items[1].metadata.labels.tier: expected a string (quote numbers and booleans), got 1'],
    ['no-nodes.yaml', 'explain-cluster/no-nodes.yaml: expected at least one Node'],
    ['node-without-allocatable.yaml', 'explain-cluster/node-without-allocatable.yaml:7:13: items[0].status.allocatable: expected the node allocatable resources (status.allocatable), got nothing (neither status.allocatable nor status.capacity)'],
    ['pod-bad-quantity.yaml', 'explain-cluster/pod-bad-quantity.yaml:13:78: items[1].spec.containers[0].resources.requests.memory: expected a Kubernetes quantity such as 100m, 1.5, 2Gi, 1e3, got "2GB"'],
    ['service-selector-list.yaml', 'explain-cluster/service-selector-list.yaml:8:81: items[1].spec.selector: expected a mapping, got a list'],
    ['trailing-comma.json', 'explain-cluster/trailing-comma.json:6:3: expected valid JSON (a value after ","), got "]"'],
  ],
  'explain-pod': [
    ['affinity-list.yaml', 'explain-pod/affinity-list.yaml:7:5: spec.affinity: expected an Affinity (a mapping), got a list'],
    ['service.yaml', 'explain-pod/service.yaml:2:7: kind: expected "Pod", or a Deployment, ReplicaSet, StatefulSet, DaemonSet, Job or CronJob (its pod template), got "Service"'],
    ['empty.yaml', 'explain-pod/empty.yaml: expected exactly one Pod, or one Deployment, ReplicaSet, StatefulSet, DaemonSet, Job or CronJob (its pod template), got no object'],
    ['toleration-operator.yaml', 'explain-pod/toleration-operator.yaml:6:40: spec.tolerations[0].operator: expected Exists or Equal, got "Equals"'],
    ['two-pods.yaml', 'explain-pod/two-pods.yaml: expected exactly one Pod, or one Deployment, ReplicaSet, StatefulSet, DaemonSet, Job or CronJob (its pod template), got 2 objects: 2 Pod; put the one to place in a file of its own'],
    ['utf16.yaml', 'explain-pod/utf16.yaml: expected a YAML or JSON text file in UTF-8, got UTF-16 text (save the file as UTF-8)'],
  ],
};

async function refusal(fn: () => unknown): Promise<InputError> {
  try {
    await fn();
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  assert.fail('accepted');
}

for (const [reader, cases] of Object.entries(CASES) as [Reader, [string, string][]][]) {
  for (const [file, message] of cases) {
    test(`${reader}: ${file} is refused with its location and expectation`, async () => {
      const e = await refusal(() => READ[reader](`${ROOT}${reader}/${file}`, file));
      assert.equal(e.message.replaceAll(ROOT, ''), message);
    });
  }
}

test('the corpus has at least 60 broken files, and every one of them is in the table', () => {
  let n = 0;
  for (const [reader, cases] of Object.entries(CASES)) {
    assert.deepEqual(readdirSync(`${ROOT}${reader}`).sort(), cases.map(([f]) => f).sort(), reader);
    n += cases.length;
  }
  assert.ok(n >= 60, `${n} files`);
});

// Files written by the tests: too big, too deep or too random to commit.

function tempFile(name: string, content: string | Uint8Array): string {
  const path = join(tempDir('ksim-bad-input-'), name);
  writeFileSync(path, content);
  return path;
}

const HEADER = `apiVersion: ksim/v1alpha1\nkind: Scenario\ncluster:\n  ${POOL}\n`;
const HUGE = 20 * 1024 * 1024;

const GENERATED: [name: string, content: () => string | Uint8Array, message: (file: string) => string][] = [
  [
    'gigantic-line.yaml',
    () => `${HEADER}metadata: { name: ${'a'.repeat(HUGE)} }\n`,
    (f) => `${f}:5:19: metadata.name: expected a string of at most 253 characters, got "${'a'.repeat(99)}… (${HUGE + 2} characters)`,
  ],
  [
    'gigantic-scalar.yaml',
    () => `${'x'.repeat(HUGE)}\n`,
    (f) => `${f}:1:1: expected a mapping, got "${'x'.repeat(99)}… (${HUGE + 2} characters)`,
  ],
  [
    'nested-10000-lists.yaml',
    () => `${HEADER}workload: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n`,
    (f) => `${f}:5:110: workload[0][0][0][0][0][0][0].…: expected mappings and lists nested at most 100 levels deep, got deeper nesting`,
  ],
  [
    'nested-10000-mappings.json',
    () => `{"apiVersion": "ksim/v1alpha1", "kind": "Scenario", "metadata": ${'{"a": '.repeat(10_000)}1${'}'.repeat(10_000)}}`,
    (f) => `${f}:1:659: metadata.a.a.a.a.a.a.a.…: expected mappings and lists nested at most 100 levels deep, got deeper nesting`,
  ],
  [
    'nested-block-lists.yaml',
    () => `${HEADER}workload:\n${Array.from({ length: 2000 }, (_, i) => `${' '.repeat(i)}-`).join('\n')} x\n`,
    (f) => `${f}:105:100: workload[0][0][0][0][0][0][0].…: expected mappings and lists nested at most 100 levels deep, got deeper nesting`,
  ],
  [
    'random-bytes.yaml',
    () => {
      // A fixed pseudo-random sequence (it contains NUL bytes).
      const b = new Uint8Array(4096);
      let x = 12345;
      for (let i = 0; i < b.length; i++) b[i] = (x = (x * 1103515245 + 12345) >>> 0) >>> 24;
      return b;
    },
    (f) => `${f}: expected a YAML or JSON text file, got binary data`,
  ],
];

for (const [name, content, message] of GENERATED) {
  test(`scenario: ${name} (written by the test) is refused with its location and expectation`, async () => {
    const file = tempFile(name, content());
    const e = await refusal(() => loadScenario(file));
    assert.equal(e.message, message(file));
  });
}

// The command line: exit 2, one line on stderr naming the file, no stack trace, nothing written.

function ksim(...args: string[]) {
  return spawnSync(process.execPath, [KSIM_BIN, ...args], { cwd: REPO_ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}

function assertRefused(r: ReturnType<typeof ksim>, message: string, what: string): void {
  assert.equal(r.status, 2, `${what}: ${r.stderr}`);
  assert.equal(r.stdout, '', what);
  assert.doesNotMatch(r.stderr, /\n\s+at /, `${what}: a stack trace`);
  assert.equal(r.stderr, `ksim: ${message}\n`, what);
}

const CLI_RUN: [Reader, string][] = [
  ['scenario', 'syntax-duplicate-key.yaml'],
  ['scenario', 'alias-bomb.yaml'],
  ['scenario', 'binary-garbage.yaml'],
  ['scenario', 'json-trailing-comma.json'],
  ['scenario', 'missing-plugin-module.yaml'],
  // These were internal errors (exit 1) or ran out of memory before the readers were fixed.
  ['scenario', 'cpu-1e400.yaml'],
  ['scenario', 'sample-interval-too-fine.yaml'],
  ['manifests', 'pod-overhead-garbage.yaml'],
  ['manifests', 'pod-scheduling-gates-string.yaml'],
  ['manifests', 'node-images-mapping.yaml'],
  ['manifests', 'node-without-allocatable.yaml'],
  ['manifests', 'limitrange-min-above-max.yaml'],
  ['manifests', 'runtimeclass-without-handler.yaml'],
  ['manifests', 'hpa-max-below-min.yaml'],
];

test('ksim run refuses the corpus with exit 2, one line, no stack trace and no output folder', () => {
  const out = join(tempDir('ksim-bad-input-cli-'), 'out');
  for (const [reader, file] of CLI_RUN) {
    const message = (CASES[reader].find(([f]) => f === file) as [string, string])[1];
    assertRefused(ksim('run', `${DIR}/${reader}/${file}`, '-o', out), `${DIR}/${message}`, file);
    assert.equal(existsSync(out), false, `${file} left output behind`);
  }
  for (const name of ['gigantic-line.yaml', 'nested-10000-lists.yaml']) {
    const [, content, message] = GENERATED.find(([n]) => n === name) as (typeof GENERATED)[number];
    const file = tempFile(name, content());
    assertRefused(ksim('run', file, '-o', out), message(file), name);
    assert.equal(existsSync(out), false, `${name} left output behind`);
  }
});

test('ksim explain refuses a bad --cluster, --pod or --config with exit 2 and one line', () => {
  const cases: [Reader, string, string[]][] = [
    ['explain-cluster', 'node-dir', ['--pod', 'examples/explain/pod.yaml']],
    // These two were internal errors before the snapshot reader was fixed.
    ['explain-cluster', 'duplicate-pod.yaml', ['--pod', 'examples/explain/pod.yaml']],
    ['explain-cluster', 'item-not-an-object.yaml', ['--pod', 'examples/explain/pod.yaml']],
    ['explain-pod', 'utf16.yaml', ['--cluster', 'examples/explain/cluster.yaml']],
    ['scheduler-config', 'unknown-plugin.yaml', ['--cluster', 'examples/explain/cluster.yaml', '--pod', 'examples/explain/pod.yaml']],
  ];
  const option: Record<string, string> = { 'explain-cluster': '--cluster', 'explain-pod': '--pod', 'scheduler-config': '--config' };
  for (const [reader, file, rest] of cases) {
    const message = (CASES[reader].find(([f]) => f === file) as [string, string])[1];
    const path = `${DIR}/${reader}/${file}`;
    assertRefused(ksim('explain', option[reader] as string, path, ...rest), `${DIR}/${message}`, path);
  }
});

// Unknown fields in Kubernetes objects are warnings, as kubectl apply --validate=warn gives them.
// The scenario's own fields stay errors (scenario/unknown-field-*.yaml above).

const SCENARIO_WARNINGS = [
  'warnings/unknown-fields.yaml:14:32: cluster.nodes[0].metadata: unknown field "label" (did you mean "labels"?)',
  'warnings/unknown-fields.yaml:15:15: cluster.nodes[0].spec: unknown field "taint" (did you mean "taints"?)',
  'warnings/unknown-fields.yaml:16:59: cluster.nodes[0].status: unknown field "capacityy" (did you mean "capacity"?)',
  'warnings/nodes-with-unknown-fields.yaml:4:1: unknown field "kindd"',
  'warnings/nodes-with-unknown-fields.yaml:9:13: items[0].spec: unknown field "unschedulabel" (did you mean "unschedulable"?)',
  'warnings/nodes-with-unknown-fields.yaml:12:44: items[0].status.nodeInfo: unknown field "kernelVersio" (did you mean "kernelVersion"?)',
  'warnings/unknown-fields.yaml:21:105: workload[0].manifests[0]: unknown field "descripton" (did you mean "description"?)',
  'warnings/unknown-fields.yaml:22:78: workload[0].manifests[1].spec: unknown field "finalizer" (did you mean "finalizers"?)',
  'warnings/unknown-fields.yaml:29:9: workload[1].manifest.spec: unknown field "replica" (did you mean "replicas"?)',
  'warnings/unknown-fields.yaml:30:21: workload[1].manifest.spec.selector: unknown field "matchLabel" (did you mean "matchLabels"?)',
  'warnings/unknown-fields.yaml:32:11: workload[1].manifest.spec.template: unknown field "meta"',
  'warnings/unknown-fields.yaml:39:17: workload[1].manifest.spec.template.spec.containers[0]: unknown field "imagePullPolicyy" (did you mean "imagePullPolicy"?)',
  'warnings/unknown-fields.yaml:40:30: workload[1].manifest.spec.template.spec.containers[0].resources: unknown field "request" (did you mean "requests"?)',
  'warnings/unknown-fields.yaml:41:58: workload[1].manifest.spec.template.spec.tolerations[0]: unknown field "tolerationSecond" (did you mean "tolerationSeconds"?)',
  'warnings/unknown-fields.yaml:44:17: workload[1].manifest.spec.template.spec.affinity.nodeAffinity: unknown field "required"',
  'warnings/unknown-fields.yaml:46:103: workload[1].manifest.spec.template.spec.topologySpreadConstraints[0]: unknown field "labelSelecter" (did you mean "labelSelector"?)',
  'warnings/unknown-fields.yaml:52:73: workload[2].manifest.spec: unknown field "maxUnavailble" (did you mean "maxUnavailable"?)',
  'warnings/unknown-fields.yaml:58:30: workload[3].manifest.metadata: unknown field "lables" (did you mean "labels"?)',
  'warnings/unknown-fields.yaml:60:9: workload[3].manifest.spec: unknown field "nodeSelecter" (did you mean "nodeSelector"?)',
];

test('unknown fields of Kubernetes objects in a scenario are warnings with their path, and the run goes on', () => {
  const s = loadScenario(`${ROOT}warnings/unknown-fields.yaml`);
  assert.deepEqual(s.warnings, SCENARIO_WARNINGS.map((w) => `${ROOT}${w}`));
  // replica: 3 was not read: the Deployment has the default single replica, beside the pod "one".
  assert.equal(runScenario(s).summary['pods_bound'], 2);
});

test('unknown fields of the objects of a cluster snapshot (ksim explain --cluster) are warnings', () => {
  const warnings: string[] = [];
  const snap = readClusterSnapshot(`${ROOT}warnings/cluster-with-unknown-fields.yaml`, warnings);
  assert.equal(snap.pods.length, 1);
  assert.deepEqual(warnings, [
    'warnings/cluster-with-unknown-fields.yaml:7:56: items[0].status: unknown field "imagez" (did you mean "images"?)',
    'warnings/cluster-with-unknown-fields.yaml:13:84: items[1].spec.containers[0]: unknown field "portz" (did you mean "ports"?)',
    'warnings/cluster-with-unknown-fields.yaml:14:31: items[1].status: unknown field "podIPP" (did you mean "podIP"?)',
    'warnings/cluster-with-unknown-fields.yaml:18:37: items[2].spec: unknown field "portss" (did you mean "ports"?)',
    'warnings/cluster-with-unknown-fields.yaml:21:32: items[3].metadata: unknown field "labelz" (did you mean "labels"?)',
  ].map((w) => `${ROOT}${w}`));
});

test('a cluster snapshot for ksim explain may hold any other kind (a kubectl get all dump): skipped, one warning per file naming them', () => {
  const warnings: string[] = [];
  const snap = readClusterSnapshot(`${ROOT}warnings/cluster-with-other-kinds.yaml`, warnings);
  assert.equal(snap.nodes.length, 1);
  assert.deepEqual(warnings, [
    `${ROOT}warnings/cluster-with-other-kinds.yaml: skipped 2 ConfigMap, 1 CronJob, 1 HorizontalPodAutoscaler: not read by ksim explain (it reads Nodes, Pods, Namespaces, the owners and Services whose selectors spreading uses, the PriorityClasses, RuntimeClasses, LimitRanges and ResourceQuotas admission uses, and the PodDisruptionBudgets preemption uses)`,
  ]);
});

test('fields added to Kubernetes after kubernetes-types 1.30, up to v1.36, are not warned about', () => {
  const s = parseScenario(
    `${HEADER}workload:\n  - name: p\n    manifest:\n      apiVersion: v1\n      kind: Pod\n      metadata: { name: p }\n      spec:\n` +
      '        resources: { requests: { cpu: 100m } }\n        hostnameOverride: p.example\n' +
      '        containers: [{ name: c, image: x, lifecycle: { stopSignal: SIGTERM } }]\n',
    `${ROOT}warnings/inline.yaml`,
  );
  assert.deepEqual(s.warnings, []);
});

test('ksim run --verbose prints each warning as "ksim: warning: file:line:col: path: unknown field" and runs', () => {
  const out = join(tempDir('ksim-warn-'), 'out');
  // More than five unknown fields are grouped unless --verbose (test/cli-usage.test.ts).
  const r = ksim('run', `${DIR}/warnings/unknown-fields.yaml`, '--verbose', '-o', out);
  assert.equal(r.status, 0, r.stderr);
  const printed = r.stderr.split('\n').filter((l) => l.includes('unknown field'));
  assert.deepEqual(printed, SCENARIO_WARNINGS.map((w) => `ksim: warning: ${DIR}/${w}`));
  assert.ok(existsSync(join(out, 'summary.csv')));
});

test('src/workload/known-fields.ts is what scripts/gen-known-fields.mjs generates from kubernetes-types', () => {
  const r = spawnSync(process.execPath, [`${REPO_ROOT}scripts/gen-known-fields.mjs`, '--check'], { cwd: REPO_ROOT, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
});
