// Resource amounts as the scheduler counts them: integers in base units (milli-CPU, bytes, counts).
// Mirrors upstream's framework.Resource (pkg/scheduler/framework/types.go).
import type { Container, Pod, ResourceRequirements } from 'kubernetes-types/core/v1.js';
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
  for (const name of Object.keys(list).sort()) {
    const raw = list[name] as string | number;
    const p = `${path}.${name}`;
    r.set(name, name === CPU ? parseMilli(raw, p) : parseInteger(raw, p));
  }
  return r;
}

/** Parsed requests by container resources object. Pods created from one manifest or template
 * share their containers, so each distinct requests block is parsed once. Treat as read-only. */
const parsedRequests = new WeakMap<ResourceRequirements, Resource>();
const NO_REQUESTS = new Resource();

function containerRequests(c: Container, path: string): Resource {
  const rr = c.resources;
  if (rr === undefined) return NO_REQUESTS;
  let r = parsedRequests.get(rr);
  if (r === undefined) {
    r = parseResourceList(effectiveRequests(rr), `${path}.resources.requests`);
    parsedRequests.set(rr, r);
  }
  return r;
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

export interface PodResourceRequests {
  /** What the pod requests (filtering and accounting). */
  readonly requests: Resource;
  /** CPU and memory with the non-zero defaults applied per container (scoring). */
  readonly nonZeroMilliCpu: number;
  readonly nonZeroMemory: number;
}

/**
 * The effective requests of a pod, computed like upstream component-helpers
 * resource/helpers.go PodRequests: max(sum of app containers + restartable init (sidecar)
 * containers, the largest init container step) + pod overhead.
 */
export function computePodRequests(pod: Pod, path = 'spec'): PodResourceRequests {
  const spec = pod.spec;
  const reqs = new Resource();
  let nzCpu = 0;
  let nzMem = 0;
  (spec?.containers ?? []).forEach((c, i) => {
    const r = containerRequests(c, `${path}.containers[${i}]`);
    reqs.add(r);
    const explicit = effectiveRequests(c.resources);
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
    const r = containerRequests(c, `${path}.initContainers[${i}]`);
    const explicit = effectiveRequests(c.resources);
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
  const overhead = spec?.overhead as Record<string, string | number> | undefined;
  if (overhead !== undefined) {
    const o = parseResourceList(overhead, `${path}.overhead`);
    reqs.add(o);
    nzCpu += o.milliCpu;
    nzMem += o.memory;
  }
  return { requests: reqs, nonZeroMilliCpu: nzCpu, nonZeroMemory: nzMem };
}
