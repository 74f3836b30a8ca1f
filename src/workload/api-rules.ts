// Checks the API server makes on a pod spec that ksim's readers did not: the enum fields ksim
// reads (restartPolicy, preemptionPolicy, imagePullPolicy) and the rules for extended resources
// (nvidia.com/gpu and any other non-native resource). Upstream: pkg/apis/core/validation/
// validation.go (validateRestartPolicy, validatePullPolicy, validatePreemptionPolicy,
// ValidateResourceRequirements with IsOvercommitAllowed, validateResourceQuantityValue with
// IsIntegerResourceName) and pkg/apis/apps/validation (ValidatePodTemplateSpecForReplicaSet:
// a Deployment's or ReplicaSet's pods restart Always and set no activeDeadlineSeconds, as a
// StatefulSet's and a DaemonSet's).
import { parseMilli } from '../api/quantity.js';
import { describeValue as describe, isObject as isObj } from '../api/values.js';
import { located, type Path, type YamlDoc } from '../api/yaml-source.js';

const RESTART_POLICIES = ['Always', 'OnFailure', 'Never'];
const PULL_POLICIES = ['Always', 'Never', 'IfNotPresent'];
const PREEMPTION_POLICIES = ['PreemptLowerPriority', 'Never'];

function oneOf(doc: YamlDoc, path: Path, v: unknown, allowed: readonly string[]): void {
  if (v === undefined || v === null) return;
  if (typeof v !== 'string' || !allowed.includes(v)) throw doc.error(path, `one of ${allowed.join(', ')}`, describe(v));
}

/** restartPolicy, preemptionPolicy and each container's imagePullPolicy. */
export function checkPodSpecEnums(doc: YamlDoc, path: Path, spec: Readonly<Record<string, unknown>>): void {
  oneOf(doc, [...path, 'restartPolicy'], spec['restartPolicy'], RESTART_POLICIES);
  oneOf(doc, [...path, 'preemptionPolicy'], spec['preemptionPolicy'], PREEMPTION_POLICIES);
  for (const list of ['containers', 'initContainers']) {
    const cs = spec[list];
    if (!Array.isArray(cs)) continue;
    cs.forEach((c, i) => {
      if (isObj(c)) oneOf(doc, [...path, list, i, 'imagePullPolicy'], c['imagePullPolicy'], PULL_POLICIES);
    });
  }
}

/** A Deployment's or ReplicaSet's pods restart Always (the default when left out). */
export function checkTemplateRestartsAlways(doc: YamlDoc, templateSpecPath: Path, podSpec: Readonly<Record<string, unknown>>, kind: string): void {
  const rp = podSpec['restartPolicy'];
  if (rp !== undefined && rp !== null && rp !== 'Always') throw doc.error([...templateSpecPath, 'restartPolicy'], `Always (a ${kind}'s pods always restart)`, describe(rp));
}

/** The kind whose message upstream gives for a template of `kind` (a Deployment's template is
 * validated as a ReplicaSet's: ValidatePodTemplateSpecForReplicaSet). */
const TEMPLATE_OWNER: Readonly<Record<string, string>> = { Deployment: 'ReplicaSet', ReplicaSet: 'ReplicaSet', StatefulSet: 'StatefulSet', DaemonSet: 'DaemonSet' };

/**
 * A Deployment's, ReplicaSet's, StatefulSet's or DaemonSet's pod template sets no
 * activeDeadlineSeconds (upstream ValidatePodTemplateSpecForReplicaSet, ValidateStatefulSetSpec,
 * ValidateDaemonSetSpec: Forbidden "activeDeadlineSeconds in ReplicaSet is not Supported"): the
 * kubelet would fail each pod at the deadline and the controller replace it, forever. Checked
 * before the pod spec (whose range check would refuse a 0 as out of range instead). `spec`: the
 * object's spec.
 */
export function checkTemplateNoActiveDeadline(doc: YamlDoc, specPath: Path, spec: Readonly<Record<string, unknown>>, kind: string): void {
  const template = spec['template'];
  const podSpec = isObj(template) ? template['spec'] : undefined;
  const v = isObj(podSpec) ? podSpec['activeDeadlineSeconds'] : undefined;
  if (v === undefined || v === null) return;
  throw doc.error([...specPath, 'template', 'spec', 'activeDeadlineSeconds'], `no activeDeadlineSeconds (activeDeadlineSeconds in ${TEMPLATE_OWNER[kind] ?? kind} is not Supported: a ${kind}'s pods run until it replaces them)`, describe(v));
}

/** Native resources have no domain or one in kubernetes.io (upstream IsNativeResource). */
function isNative(name: string): boolean {
  return !name.includes('/') || name.includes('kubernetes.io/');
}

/** Extended and hugepages resources cannot be overcommitted (upstream IsOvercommitAllowed). */
function overcommitAllowed(name: string): boolean {
  return isNative(name) && !name.startsWith('hugepages-');
}

/**
 * The rules for resources that cannot be overcommitted: an extended resource is a whole number,
 * and a request needs a limit equal to it. `resources` is the container's resources mapping
 * (already checked to be mappings of quantities).
 */
export function checkExtendedResources(doc: YamlDoc, containerPath: Path, resources: Readonly<Record<string, unknown>>): void {
  const req = isObj(resources['requests']) ? resources['requests'] : {};
  const lim = isObj(resources['limits']) ? resources['limits'] : {};
  const milli: Record<'requests' | 'limits', Record<string, number>> = { requests: {}, limits: {} };
  for (const [kind, list] of [['requests', req], ['limits', lim]] as const) {
    for (const [name, q] of Object.entries(list)) {
      if (isNative(name)) continue;
      const p = [...containerPath, 'resources', kind, name];
      const m = located(doc, p, () => parseMilli(q as string | number));
      if (m % 1000 !== 0) throw doc.error(p, `a whole number of ${name} (an extended resource)`, describe(q));
      milli[kind][name] = m;
    }
  }
  for (const name of Object.keys(req)) {
    if (overcommitAllowed(name)) continue;
    const p = [...containerPath, 'resources', 'requests', name];
    const limit = lim[name];
    if (limit === undefined) throw doc.error(p, `a limit for ${name} too (it cannot be overcommitted; a limit alone sets the request)`);
    if (isNative(name)) continue; // hugepages: request ≤ limit, checked with the native ones
    if (milli.requests[name] !== milli.limits[name]) throw doc.error(p, `a request equal to the ${name} limit of ${describe(limit)}`, describe(req[name]));
  }
}
