// Resource amounts as the scheduler counts them: integers in base units (milli-CPU, bytes, counts).
// Mirrors upstream's framework.Resource (pkg/scheduler/framework/types.go).
import type { Container, Pod, PodSpec, ResourceRequirements } from 'kubernetes-types/core/v1.js';
import { parseMilli, parseInteger } from '../api/quantity.js';

export const CPU = 'cpu';
export const MEMORY = 'memory';
export const EPHEMERAL_STORAGE = 'ephemeral-storage';
export const PODS = 'pods';

/** Requests a container without cpu/memory requests is given for scoring (upstream
 * pkg/scheduler/util/pod_resources.go: DefaultMilliCPURequest, DefaultMemoryRequest). */
export const DEFAULT_MILLI_CPU_REQUEST = 100;
export const DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024;

const NO_NAMES: readonly string[] = [];

export class Resource {
  milliCpu = 0;
  memory = 0;
  ephemeralStorage = 0;
  allowedPodNumber = 0;
  /** Extended resources (nvidia.com/gpu, hugepages-2Mi, ...); null while there are none, to keep
   * the common case allocation-free. */
  scalar: Map<string, number> | null = null;

  getScalar(name: string): number {
    return this.scalar?.get(name) ?? 0;
  }

  /** scalarNames()'s answer, kept until a name is added (Filter asks on every node). */
  private sortedScalarNames: readonly string[] | null = null;

  setScalar(name: string, v: number): void {
    const m = (this.scalar ??= new Map());
    const size = m.size;
    m.set(name, v);
    if (m.size !== size) this.sortedScalarNames = null;
  }

  add(r: Resource, sign: 1 | -1 = 1): void {
    this.milliCpu += sign * r.milliCpu;
    this.memory += sign * r.memory;
    this.ephemeralStorage += sign * r.ephemeralStorage;
    this.allowedPodNumber += sign * r.allowedPodNumber;
    if (r.scalar !== null) {
      for (const [k, v] of r.scalar) this.setScalar(k, this.getScalar(k) + sign * v);
    }
  }

  /** The amount of a named resource (cpu in milli-units). */
  get(name: string): number {
    switch (name) {
      case CPU: return this.milliCpu;
      case MEMORY: return this.memory;
      case EPHEMERAL_STORAGE: return this.ephemeralStorage;
      case PODS: return this.allowedPodNumber;
      default: return this.getScalar(name);
    }
  }

  set(name: string, v: number): void {
    switch (name) {
      case CPU: this.milliCpu = v; break;
      case MEMORY: this.memory = v; break;
      case EPHEMERAL_STORAGE: this.ephemeralStorage = v; break;
      case PODS: this.allowedPodNumber = v; break;
      default: this.setScalar(name, v);
    }
  }

  /** Names of the extended resources present, sorted (for deterministic output). The array is
   * shared between calls: do not change it. */
  scalarNames(): readonly string[] {
    if (this.scalar === null) return NO_NAMES;
    return (this.sortedScalarNames ??= [...this.scalar.keys()].sort());
  }

  clone(): Resource {
    const r = new Resource();
    r.add(this);
    return r;
  }

  static maxInto(into: Resource, other: Resource): void {
    into.milliCpu = Math.max(into.milliCpu, other.milliCpu);
    into.memory = Math.max(into.memory, other.memory);
    into.ephemeralStorage = Math.max(into.ephemeralStorage, other.ephemeralStorage);
    if (other.scalar !== null) {
      for (const [k, v] of other.scalar) into.setScalar(k, Math.max(into.getScalar(k), v));
    }
  }
}

/** Parses a Kubernetes ResourceList (`{cpu: "2", memory: "4Gi"}`) into a Resource; `path` names the
 * field for error messages. */
export function parseResourceList(list: Record<string, string | number> | undefined, path: string): Resource {
  const r = new Resource();
  if (list === undefined) return r;
  try {
    // The amounts do not depend on the order (extended resources are listed sorted anyway).
    for (const name in list) r.set(name, name === CPU ? parseMilli(list[name] as string | number) : parseInteger(list[name] as string | number));
    return r;
  } catch {
    // Again, by name and with each field's path, so that the message names the first bad
    // field in name order (paths are built only now).
    for (const name of Object.keys(list).sort()) {
      const raw = list[name] as string | number;
      r.set(name, name === CPU ? parseMilli(raw, `${path}.${name}`) : parseInteger(raw, `${path}.${name}`));
    }
    return r;
  }
}

const NO_REQUESTS = new Resource();

/** A container's (defaulted) requests. Parsed for each pod (quantity texts are memoised in
 * src/api/quantity.ts): a cache by resources object, as there was, meant a WeakMap entry per pod
 * created from a file, dearer for the garbage collector than the parse. The field path is built
 * only for an error. */
function containerRequests(c: Container, path: string, list: string, i: number): Resource {
  const rr = c.resources;
  if (rr === undefined) return NO_REQUESTS;
  const req = effectiveRequests(rr);
  if (req === undefined) return NO_REQUESTS;
  try {
    return parseResourceList(req, '');
  } catch {
    return parseResourceList(req, `${path}.${list}[${i}].resources.requests`); // throws with the path
  }
}

/** Requests with upstream's API defaulting applied: a resource with a limit but no request
 * requests its limit (pkg/apis/core/v1/defaults.go SetDefaults_Container... via
 * SetDefaults_ResourceRequirements). */
export function effectiveRequests(rr: ResourceRequirements | undefined): Record<string, string | number> | undefined {
  if (rr === undefined) return undefined;
  const req = rr.requests as Record<string, string | number> | undefined;
  const lim = rr.limits as Record<string, string | number> | undefined;
  if (lim === undefined) return req;
  const out: Record<string, string | number> = { ...(req ?? {}) };
  for (const [k, v] of Object.entries(lim)) if (!(k in out)) out[k] = v;
  return out;
}

export const HUGEPAGES_PREFIX = 'hugepages-';

/** Whether a resource beyond cpu and memory that nodes offer `total` of gets output columns
 * (nodes.csv, timeseries.csv, the report's series). Hugepages are native resources upstream
 * (pkg/apis/core/v1/helper/helpers.go IsHugePageResourceName, not IsExtendedResourceName), and
 * the kubelet reports every page size the machine supports, mostly as "0": a size no node has
 * any of would only make columns that are always empty. */
export function hasResourceColumns(name: string, total: number): boolean {
  return total > 0 || !name.startsWith(HUGEPAGES_PREFIX);
}

/** Whether a resource may be given at pod level (spec.resources): cpu, memory and hugepages-*
 * (upstream staging/src/k8s.io/component-helpers/resource/helpers.go IsSupportedPodLevelResource). */
export function isSupportedPodLevelResource(name: string): boolean {
  return name === CPU || name === MEMORY || name.startsWith(HUGEPAGES_PREFIX);
}

type ResourceList = Record<string, string | number>;

/** A pod spec with spec.resources (v1.32+), which the kubernetes-types version in use predates. */
export type PodSpecWithResources = PodSpec & { resources?: ResourceRequirements };

/** The pod's spec.resources, if any. */
export function podLevelResources(pod: Pod): ResourceRequirements | undefined {
  return (pod.spec as PodSpecWithResources | undefined)?.resources ?? undefined;
}

/** Whether spec.resources names a supported resource in requests or limits (upstream
 * IsPodLevelResourcesSet: then pod-level limits replace the containers' in PodLimits, and
 * quota admission stops requiring per-container requests). */
export function isPodLevelResourcesSet(pod: Pod): boolean {
  const r = podLevelResources(pod);
  const any = (l: ResourceList | undefined) => l !== undefined && Object.keys(l).some(isSupportedPodLevelResource);
  return r !== undefined && (any(r.requests as ResourceList | undefined) || any(r.limits as ResourceList | undefined));
}

export interface PodResourceRequests {
  /** What the pod requests (filtering and accounting). */
  readonly requests: Resource;
  /** CPU and memory as the node's books count them for scoring (upstream NodeInfo
   * NonZeroRequested, pkg/scheduler/framework/types.go calculateResource): a container missing a
   * cpu or memory request counts the default, except that with pod-level requests the default
   * applies only to a resource that neither the pod level, a container nor the overhead names. */
  readonly nonZeroMilliCpu: number;
  readonly nonZeroMemory: number;
  /** CPU and memory of the pod being scored (upstream noderesources/resource_allocation.go
   * calculatePodResourceRequest): container defaults always apply, then a pod-level value
   * replaces the containers' sum. Equal to the non-zero figures unless pod-level requests are set. */
  readonly scoringMilliCpu: number;
  readonly scoringMemory: number;
}

/** The pod-level requests the API server stores, parsed (null when spec.resources sets no
 * supported request). Mirrors the v1 defaulting (pkg/apis/core/v1/defaults.go SetDefaults_Pod:
 * defaultHugePagePodLimits, then defaultPodRequests): once pod-level limits exist, a missing
 * cpu/memory request defaults to the containers' aggregate request when some container names it,
 * else to the pod-level limit; a hugepages request defaults to its (possibly defaulted) limit.
 * `aggregate`/`named` are the containers' aggregate requests and the names they mention; for
 * hugepages the containers' aggregate limit is taken as their aggregate request, which
 * validation forces to be equal (hugepages cannot be overcommitted). */
function podLevelRequests(pod: Pod, aggregate: Resource, named: ReadonlySet<string>, path: string): Map<string, number> | null {
  const res = podLevelResources(pod);
  if (res === undefined) return null;
  const explicitReq = (res.requests ?? {}) as ResourceList;
  const explicitLim = (res.limits ?? {}) as ResourceList;
  const parse = (name: string, q: string | number, p: string) => (name === CPU ? parseMilli(q, p) : parseInteger(q, p));
  const out = new Map<string, number>();
  for (const name of Object.keys(explicitReq).sort()) {
    if (isSupportedPodLevelResource(name)) out.set(name, parse(name, explicitReq[name] as string | number, `${path}.resources.requests.${name}`));
  }
  const limits = new Map<string, number>();
  for (const name of Object.keys(explicitLim).sort()) {
    if (isSupportedPodLevelResource(name)) limits.set(name, parse(name, explicitLim[name] as string | number, `${path}.resources.limits.${name}`));
  }
  const anyGiven = Object.keys(explicitReq).length + Object.keys(explicitLim).length > 0;
  if (anyGiven) {
    for (const name of [...named].sort()) {
      if (name.startsWith(HUGEPAGES_PREFIX) && !(name in explicitReq) && !limits.has(name)) limits.set(name, aggregate.get(name));
    }
  }
  if (limits.size > 0 || Object.keys(explicitLim).length > 0) {
    for (const name of [CPU, MEMORY]) if (!out.has(name) && named.has(name)) out.set(name, aggregate.get(name));
    for (const [name, v] of limits) if (!out.has(name)) out.set(name, v);
  }
  return out.size > 0 ? out : null;
}

/**
 * The effective requests of a pod, computed like upstream component-helpers
 * resource/helpers.go PodRequests (PodLevelResources on, as in v1.36): max(sum of app containers +
 * restartable init (sidecar) containers, the largest init container step); then pod-level
 * requests (spec.resources, after API defaulting) replace that aggregate for the resources they
 * name among cpu, memory and hugepages-* (applyPodLevelResources); then + pod overhead.
 */
export function computePodRequests(pod: Pod, path = 'spec'): PodResourceRequests {
  const spec = pod.spec;
  const reqs = new Resource();
  /** Resource names any container's (defaulted) requests mention, even at zero: upstream's
   * ResourceList has the key, which decides where non-zero defaults apply. Only pod-level
   * resources make it matter, so it is not tracked without them. */
  const named: Set<string> | null = podLevelResources(pod) !== undefined ? new Set<string>() : null;
  let nzCpu = 0;
  let nzMem = 0;
  (spec?.containers ?? []).forEach((c, i) => {
    const r = containerRequests(c, path, 'containers', i);
    reqs.add(r);
    const explicit = effectiveRequests(c.resources);
    if (named !== null && explicit !== undefined) for (const k of Object.keys(explicit)) named.add(k);
    nzCpu += explicit?.[CPU] === undefined ? DEFAULT_MILLI_CPU_REQUEST : r.milliCpu;
    nzMem += explicit?.[MEMORY] === undefined ? DEFAULT_MEMORY_REQUEST : r.memory;
  });
  const restartable = new Resource();
  const initMax = new Resource();
  let nzRestartableCpu = 0;
  let nzRestartableMem = 0;
  let nzInitCpu = 0;
  let nzInitMem = 0;
  (spec?.initContainers ?? []).forEach((c, i) => {
    const r = containerRequests(c, path, 'initContainers', i);
    const explicit = effectiveRequests(c.resources);
    if (named !== null && explicit !== undefined) for (const k of Object.keys(explicit)) named.add(k);
    const cpu = explicit?.[CPU] === undefined ? DEFAULT_MILLI_CPU_REQUEST : r.milliCpu;
    const mem = explicit?.[MEMORY] === undefined ? DEFAULT_MEMORY_REQUEST : r.memory;
    let step: Resource;
    if (c.restartPolicy === 'Always') {
      // A sidecar runs for the pod's whole life: it adds to the total and to every later step.
      reqs.add(r);
      nzCpu += cpu;
      nzMem += mem;
      restartable.add(r);
      nzRestartableCpu += cpu;
      nzRestartableMem += mem;
      step = restartable;
      nzInitCpu = Math.max(nzInitCpu, nzRestartableCpu);
      nzInitMem = Math.max(nzInitMem, nzRestartableMem);
    } else {
      step = r.clone();
      step.add(restartable);
      nzInitCpu = Math.max(nzInitCpu, cpu + nzRestartableCpu);
      nzInitMem = Math.max(nzInitMem, mem + nzRestartableMem);
    }
    Resource.maxInto(initMax, step);
  });
  Resource.maxInto(reqs, initMax);
  nzCpu = Math.max(nzCpu, nzInitCpu);
  nzMem = Math.max(nzMem, nzInitMem);
  const podLevel = named === null ? null : podLevelRequests(pod, reqs, named, path);
  if (podLevel !== null) {
    for (const [name, v] of podLevel) {
      reqs.set(name, v);
      named?.add(name);
    }
  }
  let ovCpu = 0;
  let ovMem = 0;
  const overhead = spec?.overhead as ResourceList | undefined;
  if (overhead !== undefined) {
    const o = parseResourceList(overhead, `${path}.overhead`);
    reqs.add(o);
    ovCpu = o.milliCpu;
    ovMem = o.memory;
    if (named !== null) for (const k of Object.keys(overhead)) named.add(k);
  }
  nzCpu += ovCpu;
  nzMem += ovMem;
  if (podLevel === null || named === null) return { requests: reqs, nonZeroMilliCpu: nzCpu, nonZeroMemory: nzMem, scoringMilliCpu: nzCpu, scoringMemory: nzMem };
  return {
    requests: reqs,
    // getNonMissingContainerRequests with pod-level requests set: defaults only where the
    // resource is missing from the pod's whole request list.
    nonZeroMilliCpu: named.has(CPU) ? reqs.milliCpu : nzCpu,
    nonZeroMemory: named.has(MEMORY) ? reqs.memory : nzMem,
    scoringMilliCpu: podLevel.has(CPU) ? (podLevel.get(CPU) ?? 0) + ovCpu : nzCpu,
    scoringMemory: podLevel.has(MEMORY) ? (podLevel.get(MEMORY) ?? 0) + ovMem : nzMem,
  };
}

/**
 * The limits of a pod for quota (upstream helpers.go PodLimits): containers' limits aggregated like
 * requests; pod-level limits replace the aggregate for supported resources when pod-level
 * resources are set; overhead is added only to a limit that is non-zero.
 */
export function computePodLimits(pod: Pod, path = 'spec'): Resource {
  const spec = pod.spec;
  const lims = new Resource();
  const restartable = new Resource();
  const initMax = new Resource();
  const parse = (c: Container, p: string) => parseResourceList(c.resources?.limits as ResourceList | undefined, `${p}.resources.limits`);
  (spec?.containers ?? []).forEach((c, i) => lims.add(parse(c, `${path}.containers[${i}]`)));
  (spec?.initContainers ?? []).forEach((c, i) => {
    const l = parse(c, `${path}.initContainers[${i}]`);
    if (c.restartPolicy === 'Always') {
      lims.add(l);
      restartable.add(l);
      Resource.maxInto(initMax, restartable);
    } else {
      l.add(restartable);
      Resource.maxInto(initMax, l);
    }
  });
  Resource.maxInto(lims, initMax);
  if (isPodLevelResourcesSet(pod)) {
    const podLims = (podLevelResources(pod)?.limits ?? {}) as ResourceList;
    for (const name of Object.keys(podLims).sort()) {
      if (!isSupportedPodLevelResource(name)) continue;
      const q = podLims[name] as string | number;
      lims.set(name, name === CPU ? parseMilli(q, `${path}.resources.limits.${name}`) : parseInteger(q, `${path}.resources.limits.${name}`));
    }
  }
  const overhead = spec?.overhead as ResourceList | undefined;
  if (overhead !== undefined) {
    const o = parseResourceList(overhead, `${path}.overhead`);
    for (const name of Object.keys(overhead)) if (lims.get(name) !== 0) lims.set(name, lims.get(name) + o.get(name));
  }
  return lims;
}
