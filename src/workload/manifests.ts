// Validation of the Kubernetes manifests a scenario carries (Pods, Deployments, DaemonSets, Jobs, ...): the
// checks upstream's API validation makes on the fields ksim uses, each error located in its file.
import type { Node, NodeSelector, NodeSelectorTerm, Pod } from 'kubernetes-types/core/v1.js';
import type { Deployment } from 'kubernetes-types/apps/v1.js';
import { compileLabelSelector, compileNodeSelector, compileNodeSelectorTerm, isDns1123Label, isDns1123Subdomain, isValidLabelKey } from '../api/labels.js';
import type { LabelSelector } from 'kubernetes-types/meta/v1.js';
import { parseNonNegativeInteger, parseNonNegativeMilli } from '../api/quantity.js';
import { CPU, PODS } from '../cluster/resources.js';
import { HOSTNAME_LABEL } from '../cluster/node-info.js';
import { parseInteger, parseMilli } from '../api/quantity.js';
import { located, type Path, type YamlDoc } from '../api/yaml-source.js';
import type { InputError } from '../api/input-error.js';
import { checkObjectFields, typeOfKind } from './object-fields.js';
import { readPodLevelResources } from './pod-level-resources.js';
import { readLabels, readOptionalInt, readStringMap, readToleration, TAINT_EFFECTS } from './field-readers.js';
import { readClaimRetentionPolicy, readDaemonSetUpdateStrategy, readDeploymentStrategy, readMinReadySeconds, readProgressDeadline, readRevisionHistoryLimit, readStatefulSetUpdateStrategy } from './apps-rules.js';
import { readLimitRange, readRuntimeClass } from './admission-manifests.js';
import { checkCronJobName, checkJobName, readPodFailurePolicy, readPodReplacementPolicy, readSuccessPolicy } from './batch-rules.js';
import { readHorizontalPodAutoscaler } from './hpa-manifest.js';
import { readResourceQuota } from './resource-quota-manifest.js';
import { checkExtendedResources, checkPodSpecEnums, checkTemplateNoActiveDeadline, checkTemplateRestartsAlways } from './api-rules.js';
import { defaultEmptyPodSpecFields } from './empty-defaults.js';
import { parseSchedule } from '../controllers/cron.js';
import { POD_TEMPLATE_HASH } from '../controllers/deployment.js';
import type { SharedSpecParts } from './shared-parts.js';

import type { WorkloadObject } from '../cluster/workload-object.js';
import { SYSTEM_PRIORITY_CLASSES } from '../controlplane/admission.js';
import { copyPlain, merged, setOwn, describeValue as describe, isObject as isObj } from '../api/values.js';

export type WorkloadManifest = Pod | Deployment | WorkloadObject;



type Obj = Record<string, unknown>;



/** kubelet maxPods default (kubelet config v1beta1). */
export const DEFAULT_MAX_PODS = 110;

export interface ManifestOptions {
  /** Accept pods already bound with spec.nodeName (cluster snapshots); scenarios schedule every pod. */
  readonly allowNodeName?: boolean;
  /** Receives an "unknown field" warning for each field the object's type does not declare. */
  readonly warnings?: string[];
  /** Pods read with the same one hold equal spec parts (containers, tolerations, ...) once. */
  readonly shared?: SharedSpecParts;
  /** Objects a cluster snapshot holds: stored already, so the checks upstream makes on create
   * only (ValidateCronJobCreate's name length) are not made. */
  readonly stored?: boolean;
}

interface KindReader {
  readonly apiVersion: string;
  /** Other versions the kind is read in (autoscaling/v1 HorizontalPodAutoscaler). */
  readonly otherVersions?: readonly string[];
  readonly namespaced: boolean;
  read(doc: YamlDoc, path: Path, obj: Obj, opts: ManifestOptions): void;
}

/** The kinds a scenario may carry, by kind name. */
const KINDS: Record<string, KindReader> = {
  Pod: { apiVersion: 'v1', namespaced: true, read: (doc, path, obj, opts) => readPodSpec(doc, [...path, 'spec'], obj['spec'], podLabelsOf(obj['metadata']), opts) },
  Deployment: { apiVersion: 'apps/v1', namespaced: true, read: (doc, path, obj) => readDeploymentSpec(doc, [...path, 'spec'], obj['spec']) },
  ReplicaSet: { apiVersion: 'apps/v1', namespaced: true, read: (doc, path, obj) => readReplicaSetSpec(doc, [...path, 'spec'], obj['spec']) },
  Namespace: { apiVersion: 'v1', namespaced: false, read: () => {} },
  PriorityClass: { apiVersion: 'scheduling.k8s.io/v1', namespaced: false, read: readPriorityClass },
  PodDisruptionBudget: { apiVersion: 'policy/v1', namespaced: true, read: (doc, path, obj) => readPdbSpec(doc, [...path, 'spec'], obj['spec']) },
  DaemonSet: { apiVersion: 'apps/v1', namespaced: true, read: (doc, path, obj) => readDaemonSetSpec(doc, [...path, 'spec'], obj['spec']) },
  Job: {
    apiVersion: 'batch/v1', namespaced: true, read: (doc, path, obj, opts) => {
      readJobSpec(doc, [...path, 'spec'], obj['spec'], opts.warnings);
      checkJobName(doc, path, obj);
    },
  },
  CronJob: {
    apiVersion: 'batch/v1', namespaced: true, read: (doc, path, obj, opts) => {
      readCronJobSpec(doc, [...path, 'spec'], obj['spec'], opts.warnings);
      // Upstream ValidateCronJobUpdate skips it: "to allow old cronjobs with names > 52 chars".
      if (opts.stored !== true) checkCronJobName(doc, path, obj);
    },
  },
  StatefulSet: { apiVersion: 'apps/v1', namespaced: true, read: (doc, path, obj) => readStatefulSetSpec(doc, [...path, 'spec'], obj['spec']) },
  ResourceQuota: { apiVersion: 'v1', namespaced: true, read: (doc, path, obj, opts) => readResourceQuota(doc, path, obj, opts.warnings) },
  Service: { apiVersion: 'v1', namespaced: true, read: (doc, path, obj) => readServiceSpec(doc, [...path, 'spec'], obj['spec']) },
  LimitRange: { apiVersion: 'v1', namespaced: true, read: readLimitRange },
  RuntimeClass: { apiVersion: 'node.k8s.io/v1', namespaced: false, read: readRuntimeClass },
  HorizontalPodAutoscaler: { apiVersion: 'autoscaling/v2', otherVersions: ['autoscaling/v1'], namespaced: true, read: (doc, path, obj, opts) => readHorizontalPodAutoscaler(doc, path, obj, opts.warnings) },
};

/** Whether ksim simulates objects of this kind (reads them with readManifest). */
export function isSimulatedKind(kind: string): boolean {
  return Object.hasOwn(KINDS, kind);
}

export const SUPPORTED_KINDS = Object.entries(KINDS).map(([k, r]) => `${k} (${[r.apiVersion, ...(r.otherVersions ?? [])].join(', ')})`).join(', ');

/** The error for an object whose kind ksim neither simulates nor skips (src/workload/skipped-kinds.ts
 * isSkippedKind): a typo in a built-in group (`apps/v1` `Deploymnet`). `others`: kinds the
 * reader takes besides these (a snapshot's Node). */
export function unsupportedKind(doc: YamlDoc, path: Path, kind: unknown, others = ''): InputError {
  return doc.error([...path, 'kind'], `a supported kind: ${others}${SUPPORTED_KINDS}`, describe(kind));
}

/** Kinds that set the stage rather than run: present from the start when they arrive at 0s. */
export const SETUP_KINDS: ReadonlySet<string> = new Set(['Namespace', 'PriorityClass', 'PodDisruptionBudget', 'ResourceQuota', 'Service', 'LimitRange', 'RuntimeClass']);

/** Validates one manifest found at `path` in `doc`; returns a deep copy with defaults applied. */
export function readManifest(doc: YamlDoc, path: Path, raw: unknown, opts: ManifestOptions = {}): WorkloadManifest {
  if (!isObj(raw)) throw doc.error(path, 'a Kubernetes object (a mapping with apiVersion and kind)', describe(raw));
  const kind = raw['kind'];
  const reader = typeof kind === 'string' && Object.hasOwn(KINDS, kind) ? KINDS[kind] : undefined;
  if (reader === undefined) throw unsupportedKind(doc, path, kind);
  if (raw['apiVersion'] !== reader.apiVersion && !(reader.otherVersions ?? []).includes(raw['apiVersion'] as string)) {
    throw doc.error([...path, 'apiVersion'], [reader.apiVersion, ...(reader.otherVersions ?? [])].join(' or '), describe(raw['apiVersion']));
  }
  const shared = kind === 'Pod' ? opts.shared : undefined;
  const specKey = shared?.specKey(raw['spec'], `${opts.allowNodeName === true ? 'n' : '-'}${opts.warnings === undefined ? '-' : 'w'}`);
  const known = specKey === undefined ? undefined : shared?.knownSpec(specKey);
  if (known !== undefined) {
    // A spec read before (a pod list written from one template): only the rest is read.
    const obj = copyWithoutBookkeeping(raw, known);
    readMetadata(doc, path, obj, reader.namespaced);
    const { spec: _known, ...rest } = raw;
    checkObjectFields(doc, path, rest, typeOfKind(kind as string, raw['apiVersion']) as string, opts.warnings);
    return obj as unknown as WorkloadManifest;
  }
  const warned = opts.warnings?.length ?? 0;
  const obj = copyWithoutBookkeeping(raw);
  readMetadata(doc, path, obj, reader.namespaced);
  reader.read(doc, path, obj, opts);
  // The checks above give the specific messages; this catches every other field of a wrong
  // type (before the simulation trips over it) and warns about unknown fields.
  checkObjectFields(doc, path, raw, typeOfKind(kind as string, raw['apiVersion']) as string, opts.warnings);
  if (shared !== undefined && isObj(obj['spec'])) {
    shared.share(obj['spec']);
    if (specKey !== undefined && (opts.warnings?.length ?? 0) === warned) shared.rememberSpec(specKey, obj['spec']);
  }
  return obj as unknown as WorkloadManifest;
}

/** A deep copy of an object without metadata.managedFields (the API server's record of who
 * wrote which field, often half of a dumped object, which nothing in ksim reads: it is
 * type-checked on the original), with `spec` instead of a copy of its spec when given, and
 * without fields set to null: the API server decodes a null as "not set" (Helm writes
 * `tolerations:` with nothing after it when a values key holds only comments). */
function copyWithoutBookkeeping(raw: Obj, spec?: Obj): Obj {
  const out: Obj = {};
  for (const k in raw) {
    if (!Object.hasOwn(raw, k)) continue;
    const v = raw[k];
    if (v === null) continue;
    if (k === 'spec' && spec !== undefined) out[k] = spec;
    else if (k === 'metadata' && isObj(v) && v['managedFields'] !== undefined) {
      const { managedFields: _dropped, ...kept } = v;
      out[k] = copyWithoutNulls(kept, k);
    } else setOwn(out, k, copyWithoutNulls(v, k));
  }
  return out;
}

/** Maps of strings, whose null values are kept (and refused as not a string): Go decodes one as
 * "", which a dropped key would not be. */
const STRING_MAPS: ReadonlySet<string> = new Set(['labels', 'annotations', 'nodeSelector', 'matchLabels']);

/** A deep copy of a parsed value (the value of field `key`) without object fields set to null. */
function copyWithoutNulls(v: unknown, key: string): unknown {
  if (typeof v !== 'object' || v === null) return v;
  if (Array.isArray(v)) {
    const out = new Array<unknown>(v.length);
    for (let i = 0; i < v.length; i++) out[i] = copyWithoutNulls(v[i], '');
    return out;
  }
  if (STRING_MAPS.has(key)) return copyPlain(v);
  const out: Obj = {};
  for (const k in v) {
    if (!Object.hasOwn(v, k)) continue;
    const x = (v as Obj)[k];
    if (x !== null) setOwn(out, k, copyWithoutNulls(x, k));
  }
  return out;
}

/** The prefix upstream reserves for the built-in PriorityClasses (scheduling.SystemPriorityClassPrefix). */
export const SYSTEM_PRIORITY_CLASS_PREFIX = 'system-';

/** A PriorityClass manifest as upstream's ValidatePriorityClass checks it
 * (pkg/apis/scheduling/validation/validation.go): a name with the reserved 'system-' prefix
 * must be one of the built-in classes (system-node-critical 2000001000, system-cluster-critical
 * 2000000000, pkg/apis/scheduling/v1 IsKnownSystemPriorityClass) with its value and globalDefault
 * false — a dump's copy of one is that same object, which admission knows already; any other
 * class has a value of at most 1e9 (HighestUserDefinablePriority). */
function readPriorityClass(doc: YamlDoc, path: Path, obj: Obj): void {
  const v = obj['value'];
  const name = (obj['metadata'] as Obj | undefined)?.['name'];
  const system = typeof name === 'string' && name.startsWith(SYSTEM_PRIORITY_CLASS_PREFIX) ? name : null;
  const builtIn = system === null ? undefined : SYSTEM_PRIORITY_CLASSES.get(system);
  if (system !== null && builtIn === undefined) {
    throw doc.error([...path, 'metadata', 'name'], `a name without the '${SYSTEM_PRIORITY_CLASS_PREFIX}' prefix: priority class names with it are reserved for system use only (${system} is not a known system priority class; the built-in ones are ${[...SYSTEM_PRIORITY_CLASSES].map(([n, x]) => `${n} (${x})`).join(' and ')})`, JSON.stringify(system));
  }
  if (builtIn !== undefined) {
    if (v !== builtIn) throw doc.error([...path, 'value'], `${builtIn} (value of ${system as string} PriorityClass must be ${builtIn}: a built-in class)`, describe(v));
    if (obj['globalDefault'] !== undefined && obj['globalDefault'] !== false) throw doc.error([...path, 'globalDefault'], `false (globalDefault of ${system as string} PriorityClass must be false: a built-in class)`, describe(obj['globalDefault']));
    const pp = obj['preemptionPolicy'];
    if (pp !== undefined && pp !== 'PreemptLowerPriority') throw doc.error([...path, 'preemptionPolicy'], `PreemptLowerPriority, the built-in ${system as string}'s (immutable)`, describe(pp));
    return;
  }
  // Upstream scheduling/validation: user classes have value <= 1e9 (HighestUserDefinablePriority).
  if (typeof v !== 'number' || !Number.isInteger(v) || v < -2147483648 || v > 1_000_000_000) {
    throw doc.error([...path, 'value'], 'an integer priority at most 1000000000', describe(v));
  }
  if (obj['globalDefault'] !== undefined && typeof obj['globalDefault'] !== 'boolean') {
    throw doc.error([...path, 'globalDefault'], 'true or false', describe(obj['globalDefault']));
  }
  const pp = obj['preemptionPolicy'];
  if (pp !== undefined && pp !== 'PreemptLowerPriority' && pp !== 'Never') {
    throw doc.error([...path, 'preemptionPolicy'], 'PreemptLowerPriority or Never', describe(pp));
  }
}

function readPdbSpec(doc: YamlDoc, path: Path, spec: unknown): void {
  if (!isObj(spec)) throw doc.error(path, 'a PodDisruptionBudget spec', describe(spec));
  const hasMin = spec['minAvailable'] !== undefined;
  const hasMax = spec['maxUnavailable'] !== undefined;
  if (hasMin === hasMax) throw doc.error(path, 'exactly one of minAvailable or maxUnavailable');
  const field = hasMin ? 'minAvailable' : 'maxUnavailable';
  const v = spec[field];
  const ok = (typeof v === 'number' && Number.isInteger(v) && v >= 0) || (typeof v === 'string' && /^(\d|[1-9]\d|100)%$/.test(v));
  if (!ok) throw doc.error([...path, field], 'a non-negative integer or a percentage such as "50%"', describe(v));
  if (!isObj(spec['selector'])) throw doc.error([...path, 'selector'], 'a label selector', describe(spec['selector']));
  located(doc, [...path, 'selector'], () => compileLabelSelector(spec['selector'] as Obj));
}

function readMetadata(doc: YamlDoc, path: Path, obj: Obj, namespaced: boolean): void {
  const md = obj['metadata'];
  const p = [...path, 'metadata'];
  if (!isObj(md)) throw doc.error(p, 'metadata with a name', describe(md));
  const name = md['name'];
  if (typeof name !== 'string' || !isDns1123Subdomain(name)) {
    throw doc.error([...p, 'name'], 'a lowercase RFC 1123 name (a-z, 0-9, "-", "."; at most 253 characters)', describe(name));
  }
  if (!namespaced) {
    if (md['namespace'] !== undefined) throw doc.error([...p, 'namespace'], `no namespace (a ${String(obj['kind'])} is cluster-scoped)`);
    md['namespace'] = '';
  } else {
    const ns = md['namespace'] ?? 'default';
    if (typeof ns !== 'string' || !isDns1123Label(ns)) {
      throw doc.error([...p, 'namespace'], 'a lowercase RFC 1123 label (at most 63 characters)', describe(ns));
    }
    md['namespace'] = ns;
  }
  readLabels(doc, [...p, 'labels'], md['labels']);
  readStringMap(doc, [...p, 'annotations'], md['annotations']);
}

/** A pod's (or template's) metadata.labels, when they are a mapping (readLabels checks them). */
function podLabelsOf(md: unknown): Readonly<Record<string, unknown>> {
  const l = isObj(md) ? md['labels'] : undefined;
  return isObj(l) ? l : {};
}

/** `labels`: the pod's own (a template's), which matchLabelKeys read. */
function readPodSpec(doc: YamlDoc, path: Path, spec: unknown, labels: Readonly<Record<string, unknown>>, opts: ManifestOptions = {}): void {
  if (!isObj(spec)) throw doc.error(path, 'a pod spec', describe(spec));
  const containers = spec['containers'];
  if (!Array.isArray(containers) || containers.length === 0) {
    throw doc.error([...path, 'containers'], 'a non-empty list of containers', describe(containers));
  }
  const names = new Set<string>();
  containers.forEach((c, i) => readContainer(doc, [...path, 'containers', i], c, names));
  const inits = spec['initContainers'];
  if (inits !== undefined) {
    if (!Array.isArray(inits)) throw doc.error([...path, 'initContainers'], 'a list of containers', describe(inits));
    inits.forEach((c, i) => readContainer(doc, [...path, 'initContainers', i], c, names));
  }
  checkHostNetworkPorts(doc, path, spec);
  const prio = spec['priority'];
  if (prio !== undefined && (typeof prio !== 'number' || !Number.isInteger(prio) || Math.abs(prio) > 2 ** 31)) {
    throw doc.error([...path, 'priority'], 'a 32-bit integer', describe(prio));
  }
  for (const f of ['schedulerName', 'nodeName', 'priorityClassName', 'restartPolicy']) {
    if (spec[f] !== undefined && typeof spec[f] !== 'string') throw doc.error([...path, f], 'a string', describe(spec[f]));
  }
  defaultEmptyPodSpecFields(spec);
  checkPodSpecEnums(doc, path, spec);
  // Upstream ValidatePodSpec: activeDeadlineSeconds in [1, 2^31 - 1].
  readOptionalInt(doc, [...path, 'activeDeadlineSeconds'], spec['activeDeadlineSeconds'], 1, 0);
  if (spec['nodeName'] !== undefined && opts.allowNodeName !== true) {
    // Pre-bound pods bypass the scheduler; ksim simulates scheduling, so it asks for nodeSelector instead.
    throw doc.error([...path, 'nodeName'], 'no nodeName (ksim schedules every pod; pin a pod with nodeSelector kubernetes.io/hostname)');
  }
  readLabels(doc, [...path, 'nodeSelector'], spec['nodeSelector']);
  const tolerations = spec['tolerations'];
  if (tolerations !== undefined) {
    if (!Array.isArray(tolerations)) throw doc.error([...path, 'tolerations'], 'a list of tolerations', describe(tolerations));
    tolerations.forEach((t, i) => readToleration(doc, [...path, 'tolerations', i], t));
  }
  readAffinity(doc, [...path, 'affinity'], spec['affinity'], labels);
  readTopologySpreadConstraints(doc, [...path, 'topologySpreadConstraints'], spec['topologySpreadConstraints'], labels);
  const overhead = spec['overhead'];
  if (overhead !== undefined && overhead !== null) {
    if (!isObj(overhead)) throw doc.error([...path, 'overhead'], 'a mapping of resource names to quantities', describe(overhead));
    for (const [rname, q] of Object.entries(overhead)) {
      located(doc, [...path, 'overhead', rname], () => (rname === CPU ? parseNonNegativeMilli(q as string | number) : parseNonNegativeInteger(q as string | number)));
    }
  }
  readPodLevelResources(doc, path, spec);
  const gates = spec['schedulingGates'];
  if (gates !== undefined && gates !== null) {
    // Upstream validateSchedulingGates: qualified names, no duplicates.
    if (!Array.isArray(gates)) throw doc.error([...path, 'schedulingGates'], 'a list of scheduling gates ({name})', describe(gates));
    const seen = new Set<string>();
    gates.forEach((g, i) => {
      const name = isObj(g) ? g['name'] : undefined;
      if (typeof name !== 'string' || !isValidLabelKey(name)) {
        throw doc.error([...path, 'schedulingGates', i, 'name'], 'a scheduling gate name (a qualified name such as example.com/gate)', describe(name));
      }
      if (seen.has(name)) throw doc.error([...path, 'schedulingGates', i, 'name'], 'a scheduling gate not listed before', JSON.stringify(name));
      seen.add(name);
    });
  }
}

// Affinity and topology spread, checked as upstream's API validation does
// (pkg/apis/core/validation/validation.go: validateAffinity, validateTopologySpreadConstraints),
// so that the scheduler never meets a term it cannot compile. These run before the generic type
// check (checkObjectFields), so each step checks the shape it relies on.

function list(doc: YamlDoc, path: Path, v: unknown, what: string): unknown[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw doc.error(path, what, describe(v));
  return v;
}

function readWeight(doc: YamlDoc, path: Path, w: unknown): void {
  if (typeof w !== 'number' || !Number.isInteger(w) || w < 1 || w > 100) throw doc.error(path, 'an integer weight in the range 1-100', describe(w));
}

function readAffinity(doc: YamlDoc, path: Path, a: unknown, labels: Readonly<Record<string, unknown>>): void {
  if (a === undefined || a === null) return;
  if (!isObj(a)) throw doc.error(path, 'an Affinity (a mapping)', describe(a));
  const na = a['nodeAffinity'];
  if (isObj(na)) {
    const req = na['requiredDuringSchedulingIgnoredDuringExecution'];
    const rp = [...path, 'nodeAffinity', 'requiredDuringSchedulingIgnoredDuringExecution'];
    if (req !== undefined && req !== null) {
      located(doc, rp, () => compileNodeSelector(req as NodeSelector));
      const terms = (req as Obj)['nodeSelectorTerms'];
      if (!Array.isArray(terms) || terms.length === 0) throw doc.error([...rp, 'nodeSelectorTerms'], 'at least one node selector term', describe(terms));
    }
    const pp = [...path, 'nodeAffinity', 'preferredDuringSchedulingIgnoredDuringExecution'];
    list(doc, pp, na['preferredDuringSchedulingIgnoredDuringExecution'], 'a list of preferred scheduling terms').forEach((t, i) => {
      if (!isObj(t)) throw doc.error([...pp, i], 'a preferred scheduling term (weight and preference)', describe(t));
      readWeight(doc, [...pp, i, 'weight'], t['weight']);
      if (!isObj(t['preference'])) throw doc.error([...pp, i, 'preference'], 'a node selector term', describe(t['preference']));
      located(doc, [...pp, i, 'preference'], () => compileNodeSelectorTerm(t['preference'] as NodeSelectorTerm));
    });
  }
  for (const kind of ['podAffinity', 'podAntiAffinity']) {
    const pa = a[kind];
    if (!isObj(pa)) continue;
    const rp = [...path, kind, 'requiredDuringSchedulingIgnoredDuringExecution'];
    list(doc, rp, pa['requiredDuringSchedulingIgnoredDuringExecution'], 'a list of pod affinity terms').forEach((t, i) => readPodAffinityTerm(doc, [...rp, i], t, labels));
    const pp = [...path, kind, 'preferredDuringSchedulingIgnoredDuringExecution'];
    list(doc, pp, pa['preferredDuringSchedulingIgnoredDuringExecution'], 'a list of weighted pod affinity terms').forEach((t, i) => {
      if (!isObj(t)) throw doc.error([...pp, i], 'a weighted pod affinity term (weight and podAffinityTerm)', describe(t));
      readWeight(doc, [...pp, i, 'weight'], t['weight']);
      readPodAffinityTerm(doc, [...pp, i, 'podAffinityTerm'], t['podAffinityTerm'], labels);
    });
  }
}

function readPodAffinityTerm(doc: YamlDoc, path: Path, t: unknown, labels: Readonly<Record<string, unknown>>): void {
  if (!isObj(t)) throw doc.error(path, 'a pod affinity term (labelSelector and topologyKey)', describe(t));
  const key = t['topologyKey'];
  if (typeof key !== 'string' || !isValidLabelKey(key)) throw doc.error([...path, 'topologyKey'], 'a topology key (a label key such as topology.kubernetes.io/zone)', describe(key));
  for (const f of ['labelSelector', 'namespaceSelector']) {
    if (t[f] !== undefined && t[f] !== null) located(doc, [...path, f], () => compileLabelSelector(t[f] as LabelSelector));
  }
  list(doc, [...path, 'namespaces'], t['namespaces'], 'a list of namespace names').forEach((ns, i) => {
    if (typeof ns !== 'string' || !isDns1123Label(ns)) throw doc.error([...path, 'namespaces', i], 'a namespace name (a lowercase RFC 1123 label)', describe(ns));
  });
  readLabelKeys(doc, path, t['labelSelector'], t['matchLabelKeys'], t['mismatchLabelKeys'], labels);
}

/**
 * matchLabelKeys / mismatchLabelKeys of a pod affinity term or a topology spread constraint, as
 * the v1.36 API server checks them (pkg/apis/core/validation/validation.go
 * ValidateMatchLabelKeysAndMismatchLabelKeys, validateLabelKeys; spread constraints with
 * MatchLabelKeysInPodTopologySpreadSelectorMerge, on by default since v1.34): label keys; none
 * without a labelSelector; no key in both lists; and no key the selector already names that the
 * pod has, since the server merges `key In (the pod's value)` into the selector before checking
 * (pkg/registry/core/pod/strategy.go), which would name it twice ("exists in both matchLabelKeys
 * and labelSelector": a Deployment whose spread selector and matchLabelKeys both name
 * pod-template-hash is refused). `mismatch`: undefined for a spread constraint.
 */
function readLabelKeys(doc: YamlDoc, path: Path, selector: unknown, match: unknown, mismatch: unknown, labels: Readonly<Record<string, unknown>>): void {
  const keys = (field: string, v: unknown): string[] =>
    list(doc, [...path, field], v, 'a list of label keys').map((k, j) => {
      if (typeof k !== 'string' || !isValidLabelKey(k)) throw doc.error([...path, field, j], 'a label key', describe(k));
      return k;
    });
  const m = keys('matchLabelKeys', match);
  const mm = keys('mismatchLabelKeys', mismatch);
  if (selector === undefined || selector === null) {
    if (m.length > 0) throw doc.error([...path, 'matchLabelKeys'], 'no matchLabelKeys without a labelSelector (must not be specified when labelSelector is not set)');
    if (mm.length > 0) throw doc.error([...path, 'mismatchLabelKeys'], 'no mismatchLabelKeys without a labelSelector (must not be specified when labelSelector is not set)');
    return;
  }
  const sel = selector as LabelSelector;
  const named = new Set([...Object.keys(sel.matchLabels ?? {}), ...(sel.matchExpressions ?? []).map((e) => e.key)]);
  m.forEach((k, j) => {
    if (typeof labels[k] === 'string' && named.has(k)) throw doc.error([...path, 'matchLabelKeys', j], 'a key the labelSelector does not name (exists in both matchLabelKeys and labelSelector)', JSON.stringify(k));
    if (mm.includes(k)) throw doc.error([...path, 'matchLabelKeys', j], 'a key not in mismatchLabelKeys too (exists in both matchLabelKeys and mismatchLabelKeys)', JSON.stringify(k));
  });
}

const WHEN_UNSATISFIABLE = ['DoNotSchedule', 'ScheduleAnyway'];
const INCLUSION_POLICIES = ['Honor', 'Ignore'];

function readTopologySpreadConstraints(doc: YamlDoc, path: Path, v: unknown, labels: Readonly<Record<string, unknown>>): void {
  const seen = new Set<string>();
  list(doc, path, v, 'a list of topology spread constraints').forEach((c, i) => {
    const p = [...path, i];
    if (!isObj(c)) throw doc.error(p, 'a topology spread constraint', describe(c));
    const skew = c['maxSkew'];
    if (typeof skew !== 'number' || !Number.isInteger(skew) || skew <= 0 || skew > 2147483647) throw doc.error([...p, 'maxSkew'], 'an integer greater than zero', describe(skew));
    const key = c['topologyKey'];
    if (typeof key !== 'string' || !isValidLabelKey(key)) throw doc.error([...p, 'topologyKey'], 'a topology key (a label key such as topology.kubernetes.io/zone)', describe(key));
    const when = c['whenUnsatisfiable'];
    if (!WHEN_UNSATISFIABLE.includes(when as string)) throw doc.error([...p, 'whenUnsatisfiable'], 'DoNotSchedule or ScheduleAnyway', describe(when));
    const pair = `${key}\u0000${String(when)}`;
    if (seen.has(pair)) throw doc.error(p, `a constraint whose topologyKey and whenUnsatisfiable differ from the earlier ones'`, `${JSON.stringify(key)} and ${JSON.stringify(when)} again`);
    seen.add(pair);
    const min = c['minDomains'];
    if (min !== undefined && min !== null) {
      if (typeof min !== 'number' || !Number.isInteger(min) || min <= 0 || min > 2147483647) throw doc.error([...p, 'minDomains'], 'an integer greater than zero', describe(min));
      if (when !== 'DoNotSchedule') throw doc.error([...p, 'minDomains'], 'no minDomains unless whenUnsatisfiable is DoNotSchedule', describe(min));
    }
    for (const f of ['nodeAffinityPolicy', 'nodeTaintsPolicy']) {
      if (c[f] !== undefined && c[f] !== null && !INCLUSION_POLICIES.includes(c[f] as string)) throw doc.error([...p, f], 'Honor or Ignore', describe(c[f]));
    }
    if (c['labelSelector'] !== undefined && c['labelSelector'] !== null) located(doc, [...p, 'labelSelector'], () => compileLabelSelector(c['labelSelector'] as LabelSelector));
    readLabelKeys(doc, p, c['labelSelector'], c['matchLabelKeys'], undefined, labels);
  });
}

/** Upstream validateHostNetwork (pkg/apis/core/validation, from ValidatePodSecurityContext, on
 * the app containers): with hostNetwork a port's hostPort, when set, must equal its
 * containerPort (one left out is given it: PodInfo reads it so, as SetDefaults_Pod does). */
function checkHostNetworkPorts(doc: YamlDoc, path: Path, spec: Record<string, unknown>): void {
  if (spec['hostNetwork'] !== true) return;
  const containers = spec['containers'] as unknown[];
  containers.forEach((c, i) => {
    const ports = isObj(c) ? c['ports'] : undefined;
    if (!Array.isArray(ports)) return;
    ports.forEach((p, j) => {
      if (!isObj(p)) return;
      const hp = p['hostPort'];
      if (hp === undefined || hp === null || hp === 0 || hp === p['containerPort']) return;
      throw doc.error([...path, 'containers', i, 'ports', j, 'hostPort'], `a hostPort equal to its containerPort, ${describe(p['containerPort'])} (must match \`containerPort\` when \`hostNetwork\` is true)`, describe(hp));
    });
  });
}

function readContainer(doc: YamlDoc, path: Path, c: unknown, names: Set<string>): void {
  if (!isObj(c)) throw doc.error(path, 'a container', describe(c));
  const name = c['name'];
  if (typeof name !== 'string' || !isDns1123Label(name)) {
    throw doc.error([...path, 'name'], 'a lowercase RFC 1123 label (at most 63 characters)', describe(name));
  }
  if (names.has(name)) throw doc.error([...path, 'name'], 'a container name unique in the pod', JSON.stringify(name));
  names.add(name);
  if (typeof c['image'] !== 'string' || c['image'] === '') throw doc.error([...path, 'image'], 'an image name', describe(c['image']));
  const res = c['resources'];
  if (res === undefined) return;
  if (!isObj(res)) throw doc.error([...path, 'resources'], 'a mapping with requests and/or limits', describe(res));
  const parsed: Record<string, Record<string, number>> = {};
  for (const kind of ['requests', 'limits']) {
    const list = res[kind];
    if (list === undefined) continue;
    if (!isObj(list)) throw doc.error([...path, 'resources', kind], 'a mapping of resource names to quantities', describe(list));
    const out: Record<string, number> = (parsed[kind] = {});
    for (const rname in list) {
      const q = list[rname] as string | number;
      const read = () => (rname === CPU ? parseNonNegativeMilli(q) : parseNonNegativeInteger(q));
      try {
        out[rname] = read();
      } catch {
        // Again, located: the field's path is built only for the message (every pod has these).
        out[rname] = located(doc, [...path, 'resources', kind, rname], read);
      }
    }
  }
  // Upstream ValidateResourceRequirements: a request may not exceed its limit.
  for (const [rname, req] of Object.entries(parsed['requests'] ?? {})) {
    const lim = parsed['limits']?.[rname];
    if (lim !== undefined && req > lim) {
      throw doc.error([...path, 'resources', 'requests', rname], `a request no larger than the ${rname} limit`);
    }
  }
  checkExtendedResources(doc, path, res);
}

/** Specs of the Deployments, ReplicaSets and StatefulSets read whose manifest leaves replicas
 * out (the API defaults it to 1): an apply of such a manifest leaves the live replicas alone
 * when the one applied before left them out too (kubectl apply's three-way merge), so an
 * HPA's count survives a rollout. */
const replicasLeftOut = new WeakSet<object>();

/** Whether `m` (a Deployment, ReplicaSet or StatefulSet as read) leaves spec.replicas out. */
export function leavesReplicasOut(m: WorkloadManifest): boolean {
  const spec = (m as { spec?: unknown }).spec;
  return typeof spec === 'object' && spec !== null && replicasLeftOut.has(spec);
}

function readDeploymentSpec(doc: YamlDoc, path: Path, spec: unknown): void {
  if (!isObj(spec)) throw doc.error(path, 'a deployment spec', describe(spec));
  if (spec['replicas'] === undefined || spec['replicas'] === null) replicasLeftOut.add(spec);
  const replicas = spec['replicas'] ?? 1;
  if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
    throw doc.error([...path, 'replicas'], 'an integer >= 0', describe(replicas));
  }
  if (replicas > 2147483647) throw doc.error([...path, 'replicas'], 'a 32-bit integer (at most 2147483647)', describe(replicas));
  spec['replicas'] = replicas;
  checkTemplateNoActiveDeadline(doc, path, spec, 'Deployment');
  // Its pods carry pod-template-hash (a spread constraint naming it in both its selector and
  // matchLabelKeys has every pod refused upstream: a common mistake).
  const podSpec = readSelectorAndTemplate(doc, path, spec, false, { [POD_TEMPLATE_HASH]: '' });
  checkTemplateRestartsAlways(doc, [...path, 'template', 'spec'], podSpec, 'Deployment');
  readDeploymentStrategy(doc, [...path, 'strategy'], spec['strategy']);
  readProgressDeadline(doc, path, spec, readMinReadySeconds(doc, path, spec));
  readRevisionHistoryLimit(doc, path, spec);
}

/** apps/v1 ReplicaSet (upstream apps validation ValidateReplicaSetSpec, the fields ksim uses):
 * replicas >= 0, a selector that matches the template labels, restartPolicy Always. */
function readReplicaSetSpec(doc: YamlDoc, path: Path, spec: unknown): void {
  if (!isObj(spec)) throw doc.error(path, 'a replicaset spec', describe(spec));
  if (spec['replicas'] === undefined || spec['replicas'] === null) replicasLeftOut.add(spec);
  spec['replicas'] = readOptionalInt(doc, [...path, 'replicas'], spec['replicas'], 0, 1);
  checkTemplateNoActiveDeadline(doc, path, spec, 'ReplicaSet');
  const podSpec = readSelectorAndTemplate(doc, path, spec, false);
  const rp = podSpec['restartPolicy'];
  if (rp !== undefined && rp !== 'Always') throw doc.error([...path, 'template', 'spec', 'restartPolicy'], 'Always (a ReplicaSet\'s pods always restart)', describe(rp));
  readMinReadySeconds(doc, path, spec);
}

/** v1 Service: only its selector matters to ksim (PodTopologySpread's default constraints,
 * upstream helper.DefaultSelector); it is validated as labels (ValidateService). */
function readServiceSpec(doc: YamlDoc, path: Path, spec: unknown): void {
  if (spec === undefined || spec === null) return;
  if (!isObj(spec)) throw doc.error(path, 'a service spec', describe(spec));
  readLabels(doc, [...path, 'selector'], spec['selector']);
}

/** selector (required unless `selectorOptional`) and a template whose labels it matches. */
/** `controllerLabels`: labels the controller adds to every pod it makes (matchLabelKeys read
 * the pod's labels). */
function readSelectorAndTemplate(doc: YamlDoc, path: Path, spec: Obj, selectorOptional: boolean, controllerLabels: Readonly<Record<string, string>> = {}, templateOpts: ManifestOptions = {}): Obj {
  const selector = spec['selector'];
  const template = spec['template'];
  if (!isObj(template)) throw doc.error([...path, 'template'], 'a pod template', describe(template));
  const tmd = template['metadata'];
  if (tmd !== undefined && !isObj(tmd)) throw doc.error([...path, 'template', 'metadata'], 'a mapping', describe(tmd));
  const labels = (tmd as Obj | undefined)?.['labels'];
  readLabels(doc, [...path, 'template', 'metadata', 'labels'], labels);
  if (selector !== undefined || !selectorOptional) {
    if (!isObj(selector)) throw doc.error([...path, 'selector'], 'a label selector (apps/v1 requires one)', describe(selector));
    const matcher = located(doc, [...path, 'selector'], () => compileLabelSelector(selector));
    if (matcher.matchesEverything) throw doc.error([...path, 'selector'], 'a non-empty selector');
    if (!matcher.matches((labels ?? {}) as Record<string, string>)) {
      throw doc.error([...path, 'template', 'metadata', 'labels'], 'labels that match spec.selector (selector does not match template labels)');
    }
  }
  readPodSpec(doc, [...path, 'template', 'spec'], template['spec'], { ...(isObj(labels) ? labels : {}), ...controllerLabels }, templateOpts);
  return template['spec'] as Obj;
}

/** apps/v1 DaemonSet (upstream ValidateDaemonSetSpec): selector, template; restartPolicy Always;
 * updateStrategy (apps-rules.ts). */
function readDaemonSetSpec(doc: YamlDoc, path: Path, spec: unknown): void {
  if (!isObj(spec)) throw doc.error(path, 'a daemonset spec', describe(spec));
  checkTemplateNoActiveDeadline(doc, path, spec, 'DaemonSet');
  // A template's nodeName is accepted here: the controller then runs its pod on that node only
  // (upstream NodeShouldRunDaemonPod), created bound there, past the scheduler (ApiServer.createPod).
  // Other kinds' templates keep ksim's rule (every pod they make is scheduled).
  const podSpec = readSelectorAndTemplate(doc, path, spec, false, {}, { allowNodeName: true });
  const rp = podSpec['restartPolicy'];
  if (rp !== undefined && rp !== 'Always') throw doc.error([...path, 'template', 'spec', 'restartPolicy'], 'Always (a DaemonSet\'s pods always restart)', describe(rp));
  readDaemonSetUpdateStrategy(doc, [...path, 'updateStrategy'], spec['updateStrategy']);
  readMinReadySeconds(doc, path, spec);
  readRevisionHistoryLimit(doc, path, spec);
}

/** apps/v1 StatefulSet (upstream apps validation ValidateStatefulSetSpec, the fields ksim uses):
 * replicas ≥ 0, ordinals.start ≥ 0, podManagementPolicy OrderedReady or Parallel, updateStrategy
 * (apps-rules.ts), selector matching the template labels, restartPolicy Always. */
function readStatefulSetSpec(doc: YamlDoc, path: Path, spec: unknown): void {
  if (!isObj(spec)) throw doc.error(path, 'a statefulset spec', describe(spec));
  if (spec['replicas'] === undefined || spec['replicas'] === null) replicasLeftOut.add(spec);
  readOptionalInt(doc, [...path, 'replicas'], spec['replicas'], 0, 1);
  // Upstream ValidateStatefulSetSpec: ordinals.start is a non-negative field.
  const ordinals = spec['ordinals'];
  if (isObj(ordinals)) readOptionalInt(doc, [...path, 'ordinals', 'start'], ordinals['start'], 0, 0);
  // SetDefaults_StatefulSet (pkg/apis/apps/v1/defaults.go): "" is OrderedReady.
  if (spec['podManagementPolicy'] === '') spec['podManagementPolicy'] = 'OrderedReady';
  const pmp = spec['podManagementPolicy'];
  if (pmp !== undefined && pmp !== null && pmp !== 'OrderedReady' && pmp !== 'Parallel') throw doc.error([...path, 'podManagementPolicy'], 'OrderedReady or Parallel', describe(pmp));
  readStatefulSetUpdateStrategy(doc, [...path, 'updateStrategy'], spec['updateStrategy']);
  readClaimRetentionPolicy(doc, [...path, 'persistentVolumeClaimRetentionPolicy'], spec['persistentVolumeClaimRetentionPolicy']);
  readMinReadySeconds(doc, path, spec);
  checkTemplateNoActiveDeadline(doc, path, spec, 'StatefulSet');
  const podSpec = readSelectorAndTemplate(doc, path, spec, false);
  const rp = podSpec['restartPolicy'];
  if (rp !== undefined && rp !== 'Always') throw doc.error([...path, 'template', 'spec', 'restartPolicy'], 'Always (a StatefulSet\'s pods always restart)', describe(rp));
}

/** batch/v1 Job (upstream ValidateJobSpec, the fields ksim uses): parallelism, completions,
 * backoffLimit, ttlSecondsAfterFinished, activeDeadlineSeconds (non-negative), suspend, restartPolicy Never or OnFailure;
 * completionMode NonIndexed or Indexed (with completions); podFailurePolicy, successPolicy and
 * podReplacementPolicy (batch-rules.ts). The Job's and CronJob's names: checkJobName,
 * checkCronJobName (batch-rules.ts). */
function readJobSpec(doc: YamlDoc, path: Path, spec: unknown, warnings?: string[]): void {
  if (!isObj(spec)) throw doc.error(path, 'a job spec', describe(spec));
  readOptionalInt(doc, [...path, 'parallelism'], spec['parallelism'], 0, 1);
  readOptionalInt(doc, [...path, 'completions'], spec['completions'], 0, 1);
  readOptionalInt(doc, [...path, 'backoffLimit'], spec['backoffLimit'], 0, 6);
  readOptionalInt(doc, [...path, 'ttlSecondsAfterFinished'], spec['ttlSecondsAfterFinished'], 0, 0);
  if (spec['suspend'] !== undefined && typeof spec['suspend'] !== 'boolean') throw doc.error([...path, 'suspend'], 'true or false', describe(spec['suspend']));
  // Upstream ValidateJobSpec: ValidateNonnegativeField(activeDeadlineSeconds).
  readOptionalInt(doc, [...path, 'activeDeadlineSeconds'], spec['activeDeadlineSeconds'], 0, 0);
  // Upstream validateJobSpec (pkg/apis/batch/validation/validation.go): completionMode
  // NonIndexed or Indexed; Indexed needs completions and at most 100000 parallelism
  // (maxParallelismForIndexedJob); backoffLimitPerIndex and maxFailedIndexes need Indexed,
  // maxFailedIndexes needs backoffLimitPerIndex and is at most completions.
  const mode = spec['completionMode'];
  if (mode !== undefined && mode !== null && mode !== 'NonIndexed' && mode !== 'Indexed') throw doc.error([...path, 'completionMode'], 'NonIndexed or Indexed', describe(mode));
  const indexed = mode === 'Indexed';
  if (indexed && (spec['completions'] === undefined || spec['completions'] === null)) throw doc.error([...path, 'completions'], 'completions (required when completionMode is Indexed)');
  if (indexed && typeof spec['parallelism'] === 'number' && spec['parallelism'] > 100000) throw doc.error([...path, 'parallelism'], 'at most 100000 when completionMode is Indexed', describe(spec['parallelism']));
  const blpi = spec['backoffLimitPerIndex'];
  const mfi = spec['maxFailedIndexes'];
  readOptionalInt(doc, [...path, 'backoffLimitPerIndex'], blpi, 0, 0);
  readOptionalInt(doc, [...path, 'maxFailedIndexes'], mfi, 0, 0);
  const has = (v: unknown) => v !== undefined && v !== null;
  if (!indexed && has(blpi)) throw doc.error([...path, 'backoffLimitPerIndex'], 'no backoffLimitPerIndex (it requires completionMode Indexed)', describe(blpi));
  if (!indexed && has(mfi)) throw doc.error([...path, 'maxFailedIndexes'], 'no maxFailedIndexes (it requires completionMode Indexed)', describe(mfi));
  if (has(mfi) && !has(blpi)) throw doc.error([...path, 'backoffLimitPerIndex'], 'backoffLimitPerIndex (required when maxFailedIndexes is set)');
  if (has(mfi) && typeof spec['completions'] === 'number' && (mfi as number) > spec['completions']) throw doc.error([...path, 'maxFailedIndexes'], 'at most completions', describe(mfi));
  if (has(blpi)) {
    warnings?.push(doc.warning([...path, 'backoffLimitPerIndex'], `is not simulated: an index is retried until it succeeds, failures counting against backoffLimit (${has(spec['backoffLimit']) ? 'as set' : 'which then defaults to 2147483647, as the API server sets it'})${has(mfi) ? '; maxFailedIndexes is not enforced' : ''}`));
  }
  const template = spec['template'];
  const given = isObj(template) && isObj(template['spec']) ? template['spec']['restartPolicy'] : undefined;
  const podSpec = readSelectorAndTemplate(doc, path, spec, true);
  const rp = podSpec['restartPolicy'];
  if (rp !== 'Never' && rp !== 'OnFailure') {
    // "" is stored as Always (SetDefaults_PodSpec), which upstream's ValidateJobSpec then refuses.
    const expected = given === '' ? `OnFailure or Never ("" is defaulted to Always, which a Job's pods may not use)` : 'OnFailure or Never';
    throw doc.error([...path, 'template', 'spec', 'restartPolicy'], expected, describe(given));
  }
  // Upstream validateJobSpec: podFailurePolicy, successPolicy, podReplacementPolicy
  // (batch-rules.ts).
  readPodFailurePolicy(doc, [...path, 'podFailurePolicy'], spec['podFailurePolicy'], podSpec, warnings, has(blpi));
  readSuccessPolicy(doc, path, spec, warnings);
  readPodReplacementPolicy(doc, path, spec);
}

/** batch/v1 CronJob: schedule (5-field cron or a descriptor, @every included: cron.ts), concurrencyPolicy, startingDeadlineSeconds,
 * successfulJobsHistoryLimit, failedJobsHistoryLimit, suspend, jobTemplate.spec (a Job spec). */
function readCronJobSpec(doc: YamlDoc, path: Path, spec: unknown, warnings?: string[]): void {
  if (!isObj(spec)) throw doc.error(path, 'a cronjob spec', describe(spec));
  const schedule = spec['schedule'];
  if (typeof schedule !== 'string') throw doc.error([...path, 'schedule'], 'a cron schedule such as "*/5 * * * *"', describe(schedule));
  located(doc, [...path, 'schedule'], () => parseSchedule(schedule));
  // SetDefaults_CronJob (pkg/apis/batch/v1/defaults.go): "" is Allow.
  if (spec['concurrencyPolicy'] === '') spec['concurrencyPolicy'] = 'Allow';
  const cp = spec['concurrencyPolicy'];
  if (cp !== undefined && cp !== 'Allow' && cp !== 'Forbid' && cp !== 'Replace') throw doc.error([...path, 'concurrencyPolicy'], 'Allow, Forbid or Replace', describe(cp));
  readOptionalInt(doc, [...path, 'startingDeadlineSeconds'], spec['startingDeadlineSeconds'], 0, 0);
  // Upstream ValidateCronJobSpec: ValidateNonnegativeField for both history limits.
  readOptionalInt(doc, [...path, 'successfulJobsHistoryLimit'], spec['successfulJobsHistoryLimit'], 0, 0);
  readOptionalInt(doc, [...path, 'failedJobsHistoryLimit'], spec['failedJobsHistoryLimit'], 0, 0);
  if (spec['suspend'] !== undefined && typeof spec['suspend'] !== 'boolean') throw doc.error([...path, 'suspend'], 'true or false', describe(spec['suspend']));
  // Schedules run on the simulated clock in UTC; a zone that is not UTC would shift them.
  const tz = spec['timeZone'];
  // Upstream validateTimeZone (pkg/apis/batch/validation): a name of the time zone database,
  // not "Local".
  if (typeof tz === 'string' && (tz.toLowerCase() === 'local' || !isTimeZoneName(tz))) {
    throw doc.error([...path, 'timeZone'], 'a time zone name of the IANA database, such as Europe/Berlin or UTC', JSON.stringify(tz));
  }
  if (typeof tz === 'string' && tz !== 'UTC' && tz !== 'Etc/UTC') {
    warnings?.push(doc.warning([...path, 'timeZone'], `${JSON.stringify(tz)} is not simulated: the schedule runs in UTC (t = 0 is 2026-01-01T00:00:00Z)`));
  }
  const jt = spec['jobTemplate'];
  if (!isObj(jt)) throw doc.error([...path, 'jobTemplate'], 'a job template (metadata and spec)', describe(jt));
  readJobSpec(doc, [...path, 'jobTemplate', 'spec'], jt['spec'], warnings);
}

/** Validates a v1 Node (status.allocatable or capacity required); adds the hostname label and
 * the kubelet's default pods allocatable (110) when missing. Unknown fields are warned about in
 * `warnings` (when given). `statusOptional` (a ksim-events apply, which may update a Node that
 * exists: an update keeps the stored status) accepts a Node without allocatable or capacity, its
 * status left as given (the replay refuses it if it turns out to be a create). */
export function readNode(doc: YamlDoc, path: Path, raw: unknown, warnings?: string[], statusOptional = false): Node {
  if (!isObj(raw)) throw doc.error(path, 'a v1 Node (a mapping with apiVersion and kind)', describe(raw));
  if (raw['kind'] !== 'Node') throw doc.error([...path, 'kind'], '"Node"', describe(raw['kind']));
  if (raw['apiVersion'] !== 'v1') throw doc.error([...path, 'apiVersion'], '"v1"', describe(raw['apiVersion']));
  const md = raw['metadata'];
  if (!isObj(md)) throw doc.error([...path, 'metadata'], 'metadata with a name', describe(md));
  const name = md['name'];
  if (typeof name !== 'string' || !isDns1123Subdomain(name)) {
    throw doc.error([...path, 'metadata', 'name'], 'a node name: a lowercase RFC 1123 name (a-z, 0-9, "-", "."; at most 253 characters)', describe(name));
  }
  readLabels(doc, [...path, 'metadata', 'labels'], md['labels']);
  const status = raw['status'];
  if (status !== undefined && status !== null && !isObj(status)) throw doc.error([...path, 'status'], 'a NodeStatus (a mapping)', describe(status));
  const field = isObj(status) && status['allocatable'] !== undefined && status['allocatable'] !== null ? 'allocatable' : 'capacity';
  const alloc = isObj(status) ? status[field] : undefined;
  const noAlloc = alloc === undefined || alloc === null;
  if (noAlloc && !statusOptional) throw doc.error([...path, 'status', 'allocatable'], 'the node allocatable resources (status.allocatable)', 'nothing (neither status.allocatable nor status.capacity)');
  if (!noAlloc && !isObj(alloc)) throw doc.error([...path, 'status', field], 'a mapping of resource names to quantities', describe(alloc));
  for (const [r, q] of Object.entries(noAlloc ? {} : alloc)) {
    const v = located(doc, [...path, 'status', field, r], () => (r === CPU ? parseMilli(q as string | number) : parseInteger(q as string | number)));
    if (v < 0) throw doc.error([...path, 'status', field, r], 'a non-negative quantity', JSON.stringify(q));
  }
  const spec = raw['spec'];
  const taints = isObj(spec) ? spec['taints'] : undefined;
  if (Array.isArray(taints)) {
    taints.forEach((t, i) => {
      const tp = [...path, 'spec', 'taints', i];
      if (!isObj(t)) throw doc.error(tp, 'a taint ({key, value, effect})', describe(t));
      if (typeof t['key'] !== 'string' || !isValidLabelKey(t['key'])) throw doc.error([...tp, 'key'], 'a taint key (a qualified name such as example.com/dedicated)', describe(t['key']));
      if (!TAINT_EFFECTS.includes(t['effect'] as string)) throw doc.error([...tp, 'effect'], 'NoSchedule, PreferNoSchedule or NoExecute', describe(t['effect']));
    });
  }
  checkObjectFields(doc, path, raw, 'Node', warnings);
  const node = copyWithoutBookkeeping(raw) as unknown as Node;
  // merged, not a spread: one hidden class for every node's labels (src/api/values.ts).
  const labels = merged<Record<string, string>>(node.metadata?.labels);
  labels[HOSTNAME_LABEL] ??= name;
  return {
    ...node,
    metadata: merged(node.metadata, { labels }),
    ...(noAlloc ? {} : { status: { ...node.status, allocatable: { [PODS]: String(DEFAULT_MAX_PODS), ...(alloc as Record<string, string>) } } }),
  };
}

/** The path (within the manifest) of the first PersistentVolumeClaim a manifest's pods mount (a volume's
 * persistentVolumeClaim, or a StatefulSet's volumeClaimTemplates), or null. */
export function firstClaimOf(m: WorkloadManifest): Path | null {
  const o = m as unknown as Obj;
  const spec = o['spec'] as Obj | undefined;
  if (m.kind === 'StatefulSet' && Array.isArray(spec?.['volumeClaimTemplates']) && spec['volumeClaimTemplates'].length > 0) return ['spec', 'volumeClaimTemplates'];
  let podPath: Path;
  if (m.kind === 'Pod') podPath = ['spec'];
  else if (m.kind === 'CronJob') podPath = ['spec', 'jobTemplate', 'spec', 'template', 'spec'];
  else podPath = ['spec', 'template', 'spec'];
  let podSpec: unknown = o;
  for (const k of podPath) podSpec = isObj(podSpec) ? podSpec[k as string] : undefined;
  const volumes = isObj(podSpec) ? podSpec['volumes'] : undefined;
  if (!Array.isArray(volumes)) return null;
  const i = volumes.findIndex((v) => isObj(v) && v['persistentVolumeClaim'] !== undefined && v['persistentVolumeClaim'] !== null);
  return i < 0 ? null : [...podPath, 'volumes', i, 'persistentVolumeClaim'];
}

/** The warning (once per scenario or snapshot file) for pods mounting claims. */
export const CLAIM_NOT_SIMULATED = 'mounts a PersistentVolumeClaim: volume topology (VolumeBinding, VolumeZone) is not simulated; pods go where their other constraints allow (warned once)';

/** Whether the time zone database (ICU's, as Node ships it) knows `name`. */
function isTimeZoneName(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
