// Validation of the Kubernetes manifests a scenario carries (Pods and Deployments so far): the
// checks upstream's API validation makes on the fields ksim uses, each error located in its file.
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import type { Deployment } from 'kubernetes-types/apps/v1.js';
import { compileLabelSelector } from '../api/labels.js';
import { parseNonNegativeInteger, parseNonNegativeMilli } from '../api/quantity.js';
import { CPU, PODS } from '../cluster/resources.js';
import { HOSTNAME_LABEL } from '../cluster/node-info.js';
import { parseInteger, parseMilli } from '../api/quantity.js';
import { located, type Path, type YamlDoc } from '../api/yaml-source.js';

import type { WorkloadObject } from '../cluster/workload-object.js';

export type WorkloadManifest = Pod | Deployment | WorkloadObject;


const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const TOLERATION_OPERATORS = ['Exists', 'Equal'];
const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describe(v: unknown): string {
  if (v === null || v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return JSON.stringify(v);
}

/** kubelet maxPods default (kubelet config v1beta1). */
export const DEFAULT_MAX_PODS = 110;

export interface ManifestOptions {
  /** Accept pods already bound with spec.nodeName (cluster snapshots); scenarios schedule every pod. */
  readonly allowNodeName?: boolean;
}

interface KindReader {
  readonly apiVersion: string;
  readonly namespaced: boolean;
  read(doc: YamlDoc, path: Path, obj: Obj, opts: ManifestOptions): void;
}

/** The kinds a scenario may carry, by kind name. */
const KINDS: Record<string, KindReader> = {
  Pod: { apiVersion: 'v1', namespaced: true, read: (doc, path, obj, opts) => readPodSpec(doc, [...path, 'spec'], obj['spec'], opts) },
  Deployment: { apiVersion: 'apps/v1', namespaced: true, read: (doc, path, obj) => readDeploymentSpec(doc, [...path, 'spec'], obj['spec']) },
  Namespace: { apiVersion: 'v1', namespaced: false, read: () => {} },
  PriorityClass: { apiVersion: 'scheduling.k8s.io/v1', namespaced: false, read: readPriorityClass },
  PodDisruptionBudget: { apiVersion: 'policy/v1', namespaced: true, read: (doc, path, obj) => readPdbSpec(doc, [...path, 'spec'], obj['spec']) },
};

export const SUPPORTED_KINDS = Object.entries(KINDS).map(([k, r]) => `${k} (${r.apiVersion})`).join(', ');

/** Kinds that set the stage rather than run: present from the start when they arrive at 0s. */
export const SETUP_KINDS: ReadonlySet<string> = new Set(['Namespace', 'PriorityClass', 'PodDisruptionBudget']);

/** Validates one manifest found at `path` in `doc`; returns a deep copy with defaults applied. */
export function readManifest(doc: YamlDoc, path: Path, raw: unknown, opts: ManifestOptions = {}): WorkloadManifest {
  if (!isObj(raw)) throw doc.error(path, 'a Kubernetes object (a mapping with apiVersion and kind)', describe(raw));
  const kind = raw['kind'];
  const reader = typeof kind === 'string' && Object.hasOwn(KINDS, kind) ? KINDS[kind] : undefined;
  if (reader === undefined) throw doc.error([...path, 'kind'], `a supported kind: ${SUPPORTED_KINDS}`, describe(kind));
  if (raw['apiVersion'] !== reader.apiVersion) throw doc.error([...path, 'apiVersion'], reader.apiVersion, describe(raw['apiVersion']));
  const obj = structuredClone(raw);
  readMetadata(doc, path, obj, reader.namespaced);
  reader.read(doc, path, obj, opts);
  return obj as unknown as WorkloadManifest;
}

function readPriorityClass(doc: YamlDoc, path: Path, obj: Obj): void {
  const v = obj['value'];
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
  if (typeof name !== 'string' || name.length > 253 || !DNS1123_SUBDOMAIN.test(name)) {
    throw doc.error([...p, 'name'], 'a lowercase RFC 1123 name (a-z, 0-9, "-", "."; at most 253 characters)', describe(name));
  }
  if (!namespaced) {
    if (md['namespace'] !== undefined) throw doc.error([...p, 'namespace'], `no namespace (a ${String(obj['kind'])} is cluster-scoped)`);
    md['namespace'] = '';
  } else {
    const ns = md['namespace'] ?? 'default';
    if (typeof ns !== 'string' || ns.length > 63 || !DNS1123_LABEL.test(ns)) {
      throw doc.error([...p, 'namespace'], 'a lowercase RFC 1123 label (at most 63 characters)', describe(ns));
    }
    md['namespace'] = ns;
  }
  readStringMap(doc, [...p, 'labels'], md['labels']);
  readStringMap(doc, [...p, 'annotations'], md['annotations']);
}

function readStringMap(doc: YamlDoc, path: Path, v: unknown): void {
  if (v === undefined || v === null) return;
  if (!isObj(v)) throw doc.error(path, 'a mapping of strings to strings', describe(v));
  for (const [k, x] of Object.entries(v)) {
    if (typeof x !== 'string') throw doc.error([...path, k], 'a string (quote numbers and booleans)', describe(x));
  }
}

function readPodSpec(doc: YamlDoc, path: Path, spec: unknown, opts: ManifestOptions = {}): void {
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
  const prio = spec['priority'];
  if (prio !== undefined && (typeof prio !== 'number' || !Number.isInteger(prio) || Math.abs(prio) > 2 ** 31)) {
    throw doc.error([...path, 'priority'], 'a 32-bit integer', describe(prio));
  }
  for (const f of ['schedulerName', 'nodeName', 'priorityClassName', 'restartPolicy']) {
    if (spec[f] !== undefined && typeof spec[f] !== 'string') throw doc.error([...path, f], 'a string', describe(spec[f]));
  }
  if (spec['nodeName'] !== undefined && opts.allowNodeName !== true) {
    // Pre-bound pods bypass the scheduler; ksim simulates scheduling, so it asks for nodeSelector instead.
    throw doc.error([...path, 'nodeName'], 'no nodeName (ksim schedules every pod; pin a pod with nodeSelector kubernetes.io/hostname)');
  }
  readStringMap(doc, [...path, 'nodeSelector'], spec['nodeSelector']);
  const tolerations = spec['tolerations'];
  if (tolerations !== undefined) {
    if (!Array.isArray(tolerations)) throw doc.error([...path, 'tolerations'], 'a list of tolerations', describe(tolerations));
    tolerations.forEach((t, i) => readToleration(doc, [...path, 'tolerations', i], t));
  }
}

function readContainer(doc: YamlDoc, path: Path, c: unknown, names: Set<string>): void {
  if (!isObj(c)) throw doc.error(path, 'a container', describe(c));
  const name = c['name'];
  if (typeof name !== 'string' || name.length > 63 || !DNS1123_LABEL.test(name)) {
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
    const p = [...path, 'resources', kind];
    if (!isObj(list)) throw doc.error(p, 'a mapping of resource names to quantities', describe(list));
    const out: Record<string, number> = (parsed[kind] = {});
    for (const [rname, q] of Object.entries(list)) {
      out[rname] = located(doc, [...p, rname], () => (rname === CPU ? parseNonNegativeMilli(q as string | number) : parseNonNegativeInteger(q as string | number)));
    }
  }
  // Upstream ValidateResourceRequirements: a request may not exceed its limit.
  for (const [rname, req] of Object.entries(parsed['requests'] ?? {})) {
    const lim = parsed['limits']?.[rname];
    if (lim !== undefined && req > lim) {
      throw doc.error([...path, 'resources', 'requests', rname], `a request no larger than the ${rname} limit`);
    }
  }
}

function readToleration(doc: YamlDoc, path: Path, t: unknown): void {
  if (!isObj(t)) throw doc.error(path, 'a toleration', describe(t));
  const op = t['operator'];
  if (op !== undefined && !TOLERATION_OPERATORS.includes(op as string)) {
    throw doc.error([...path, 'operator'], 'Exists or Equal', describe(op));
  }
  const effect = t['effect'];
  if (effect !== undefined && effect !== '' && !TAINT_EFFECTS.includes(effect as string)) {
    throw doc.error([...path, 'effect'], 'NoSchedule, PreferNoSchedule or NoExecute', describe(effect));
  }
  if (op === 'Exists' && t['value'] !== undefined && t['value'] !== '') {
    throw doc.error([...path, 'value'], 'no value with operator Exists');
  }
  const secs = t['tolerationSeconds'];
  if (secs !== undefined && (typeof secs !== 'number' || !Number.isInteger(secs))) {
    throw doc.error([...path, 'tolerationSeconds'], 'an integer number of seconds', describe(secs));
  }
}

function readDeploymentSpec(doc: YamlDoc, path: Path, spec: unknown): void {
  if (!isObj(spec)) throw doc.error(path, 'a deployment spec', describe(spec));
  const replicas = spec['replicas'] ?? 1;
  if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
    throw doc.error([...path, 'replicas'], 'an integer >= 0', describe(replicas));
  }
  spec['replicas'] = replicas;
  const selector = spec['selector'];
  if (!isObj(selector)) throw doc.error([...path, 'selector'], 'a label selector (apps/v1 requires one)', describe(selector));
  const matcher = located(doc, [...path, 'selector'], () => compileLabelSelector(selector));
  const template = spec['template'];
  if (!isObj(template)) throw doc.error([...path, 'template'], 'a pod template', describe(template));
  const tmd = template['metadata'];
  if (tmd !== undefined && !isObj(tmd)) throw doc.error([...path, 'template', 'metadata'], 'a mapping', describe(tmd));
  const labels = (tmd as Obj | undefined)?.['labels'];
  readStringMap(doc, [...path, 'template', 'metadata', 'labels'], labels);
  if (matcher.matchesEverything) throw doc.error([...path, 'selector'], 'a non-empty selector');
  if (!matcher.matches((labels ?? {}) as Record<string, string>)) {
    throw doc.error([...path, 'template', 'metadata', 'labels'], 'labels that match spec.selector (selector does not match template labels)');
  }
  readPodSpec(doc, [...path, 'template', 'spec'], template['spec']);
}

/** Validates a v1 Node (status.allocatable or capacity required); adds the hostname label and
 * the kubelet's default pods allocatable (110) when missing. */
export function readNode(doc: YamlDoc, path: Path, raw: unknown): Node {
  const o = raw as Obj;
  if (typeof o !== 'object' || o === null || o['kind'] !== 'Node' || o['apiVersion'] !== 'v1') {
    throw doc.error([...path, 'kind'], 'a v1 Node', JSON.stringify((o as Obj | null)?.['kind'] ?? null));
  }
  const node = structuredClone(o) as { metadata?: Record<string, unknown> & Node['metadata']; status?: Record<string, unknown> } & Node;
  const name = node.metadata?.name;
  if (typeof name !== 'string' || name === '') throw doc.error([...path, 'metadata', 'name'], 'a node name');
  const alloc = (node.status?.allocatable ?? node.status?.capacity) as Record<string, string | number> | undefined;
  if (alloc === undefined || typeof alloc !== 'object') throw doc.error([...path, 'status', 'allocatable'], 'the node allocatable resources (status.allocatable)');
  const field = node.status?.allocatable !== undefined ? 'allocatable' : 'capacity';
  for (const [r, q] of Object.entries(alloc)) {
    const v = located(doc, [...path, 'status', field, r], () => (r === CPU ? parseMilli(q) : parseInteger(q)));
    if (v < 0) throw doc.error([...path, 'status', field, r], 'a non-negative quantity', JSON.stringify(q));
  }
  const labels = { ...(node.metadata?.labels ?? {}) };
  labels[HOSTNAME_LABEL] ??= name;
  return {
    ...node,
    metadata: { ...node.metadata, labels },
    status: { ...node.status, allocatable: { [PODS]: String(DEFAULT_MAX_PODS), ...(alloc as Record<string, string>) } },
  };
}

