// Shared scoring machinery of NodeResourcesFit and NodeResourcesBalancedAllocation: which
// amounts of which resources a scorer sees for a node, with and without the incoming pod.
// Upstream pkg/scheduler/framework/plugins/noderesources/resource_allocation.go
// (resourceAllocationScorer.score, calculateResourceAllocatableRequest,
// calculatePodResourceRequest, isBestEffortPod) and pkg/scheduler/util/utils.go
// (IsScalarResourceName).
//
// Everything name-based is resolved once in the constructor (a kind per configured resource),
// the pod's requests once per pod; the per-node accessors allocate nothing.
import { FieldError, rejectUnknownFields } from '../../api/field-error.js';
import { isValidLabelKey } from '../../api/labels.js';
import type { NodeInfo } from '../../cluster/node-info.js';
import type { PodInfo } from '../../cluster/pod-info.js';
import { CPU, EPHEMERAL_STORAGE, MEMORY } from '../../cluster/resources.js';

export interface ResourceSpec {
  name: string;
  weight: number;
}

export function defaultResourceSpecs(): ResourceSpec[] {
  // Upstream apis/config/v1/defaults.go defaultResourceSpec.
  return [
    { name: CPU, weight: 1 },
    { name: MEMORY, weight: 1 },
  ];
}

/** How a configured resource name is looked up on nodes and pods. */
export const enum ResourceKind {
  Cpu = 0,
  Memory = 1,
  EphemeralStorage = 2,
  /** Extended, hugepages, prefixed native and attachable-volume resources: left out of the
   * score when the pod does not request them. */
  Scalar = 3,
  /** Anything else ("pods", "storage", unprefixed unknown names): upstream's NodeInfo never
   * holds them as scalar resources, so they never take part in a score. */
  Other = 4,
}

const REQUESTS_PREFIX = 'requests.';
const DEFAULT_NAMESPACE_PREFIX = 'kubernetes.io/';

/** v1helper.IsPrefixedNativeResource. */
function isPrefixedNativeResource(name: string): boolean {
  return name.includes(DEFAULT_NAMESPACE_PREFIX);
}

/** v1helper.IsExtendedResourceName: fully qualified, outside *kubernetes.io/, and still a
 * qualified name once prefixed with "requests." (its quota name). */
export function isExtendedResourceName(name: string): boolean {
  if (!name.includes('/') || isPrefixedNativeResource(name) || name.startsWith(REQUESTS_PREFIX)) return false;
  return isValidLabelKey(REQUESTS_PREFIX + name);
}

/** schedutil.IsScalarResourceName. */
export function isScalarResourceName(name: string): boolean {
  return (
    isExtendedResourceName(name) ||
    name.startsWith('hugepages-') ||
    isPrefixedNativeResource(name) ||
    name.startsWith('attachable-volumes-')
  );
}

export function resourceKind(name: string): ResourceKind {
  switch (name) {
    case CPU:
      return ResourceKind.Cpu;
    case MEMORY:
      return ResourceKind.Memory;
    case EPHEMERAL_STORAGE:
      return ResourceKind.EphemeralStorage;
    default:
      return isScalarResourceName(name) ? ResourceKind.Scalar : ResourceKind.Other;
  }
}

/**
 * ⌊a × b / c⌋ for non-negative integers, exact even when a × b exceeds 2^53 (large
 * ephemeral-storage or memory amounts × 100), like Go's int64 arithmetic.
 */
export function mulDiv(a: number, b: number, c: number): number {
  const p = a * b;
  // The exact path is a function of its own so that this one stays small enough to be inlined
  // into the per-node scorers: a call that is not inlined boxes its (non-Smi) arguments, which
  // was most of a scheduling cycle's garbage.
  return p <= Number.MAX_SAFE_INTEGER ? Math.trunc(p / c) : mulDivExact(a, b, c);
}

function mulDivExact(a: number, b: number, c: number): number {
  return Number((BigInt(a) * BigInt(b)) / BigInt(c));
}

/**
 * The resources one plugin scores, with how to read them (upstream
 * calculateResourceAllocatableRequest, split in two so scorers can run one fused pass over
 * the resources without intermediate arrays). For resource i on a node, `capacity` is the
 * allocatable amount, or 0 when the resource is left out of the score (the node lacks it, or it
 * is a scalar resource the pod does not request); `used` is what the pods already on the node
 * request. Upstream's "requested" is used + the pod's request; its "allocated" (the balance
 * without the pod, PR #135573) is used alone. Every scorer skips resources of capacity 0.
 *
 * The pod's request vector (upstream calculatePodResourceRequestList, which upstream keeps in
 * CycleState) is derived from the immutable PodInfo only, so it is memoised by PodInfo identity
 * instead: computed once per pod, then every node of the cycle reuses it without a lookup.
 */
export class ResourceAllocation {
  readonly names: readonly string[];
  readonly weights: Int32Array;
  readonly kinds: Uint8Array;
  readonly size: number;
  /** True for the default resource list (cpu, then memory): scorers may take a direct path. */
  readonly cpuThenMemory: boolean;
  /** The memoised requests of `pod`. */
  private readonly podRequests: Float64Array;
  private pod: PodInfo | null = null;
  private bestEffort = true;
  /** The class of `pod`'s request vector: pods asking the same amounts share it. */
  private requestClass = 0;
  /** Request vectors seen (their text) → class; bounded (see classOf). */
  private readonly classes = new Map<string, number>();
  private lastClass = 0;
  /** The request vector requestClass belongs to (consecutive pods mostly ask the same). */
  private lastVector: Float64Array | null = null;

  constructor(
    resources: readonly ResourceSpec[],
    /** true: actual requests (BalancedAllocation); false: cpu/memory with the non-zero
     * defaults for containers that request nothing (NodeResourcesFit). */
    readonly useRequested: boolean,
  ) {
    const n = resources.length;
    this.size = n;
    this.names = resources.map((r) => r.name);
    this.weights = Int32Array.from(resources, (r) => r.weight);
    this.kinds = Uint8Array.from(resources, (r) => resourceKind(r.name));
    this.cpuThenMemory = n === 2 && this.kinds[0] === ResourceKind.Cpu && this.kinds[1] === ResourceKind.Memory;
    this.podRequests = new Float64Array(n);
  }

  /** Upstream calculatePodResourceRequestList: the pod's request of each configured resource
   * (PodRequests with the non-zero container defaults unless useRequested, and pod-level
   * requests replacing the containers' sum: PodInfo.scoring*). The array is shared and overwritten for the next pod: read it, do not keep it. */
  requestsOf(pod: PodInfo): Float64Array {
    if (pod !== this.pod) this.prepare(pod);
    return this.podRequests;
  }

  /** A number that equals another pod's exactly when their request vectors (requestsOf) are
   * equal: a score computed from a node's books and the vector can be reused for every pod of
   * the class while the node's generation is unchanged (NodeScoreCache). */
  classOf(pod: PodInfo): number {
    if (pod !== this.pod) this.prepare(pod);
    return this.requestClass;
  }

  /** Upstream isBestEffortPod: the pod requests none of the configured resources. */
  isBestEffort(pod: PodInfo): boolean {
    if (pod !== this.pod) this.prepare(pod);
    return this.bestEffort;
  }

  private prepare(pod: PodInfo): void {
    const out = this.podRequests;
    const r = pod.requests;
    let bestEffort = true;
    for (let i = 0; i < this.size; i++) {
      let v: number;
      switch (this.kinds[i] as ResourceKind) {
        case ResourceKind.Cpu:
          v = this.useRequested ? r.milliCpu : pod.scoringMilliCpu;
          break;
        case ResourceKind.Memory:
          v = this.useRequested ? r.memory : pod.scoringMemory;
          break;
        case ResourceKind.EphemeralStorage:
          v = r.ephemeralStorage;
          break;
        default:
          v = r.get(this.names[i] as string);
      }
      out[i] = v;
      if (v !== 0) bestEffort = false;
    }
    this.bestEffort = bestEffort;
    this.pod = pod;
    if (this.lastVector !== null && sameVector(out, this.lastVector)) return; // the class is kept
    this.lastVector ??= new Float64Array(out.length);
    this.lastVector.set(out);
    const key = out.join(',');
    let c = this.classes.get(key);
    if (c === undefined) {
      // A run with ever new request shapes (a trace) must not grow the map without bound: start
      // over; classes keep counting up, so no number is given to two vectors.
      if (this.classes.size >= 4096) this.classes.clear();
      this.classes.set(key, (c = ++this.lastClass));
    }
    this.requestClass = c;
  }

  /** Allocatable amount of resource i on `node`, 0 when it is left out of the score. */
  capacity(i: number, node: NodeInfo, podRequest: number): number {
    switch (this.kinds[i] as ResourceKind) {
      case ResourceKind.Cpu:
        return node.allocatable.milliCpu;
      case ResourceKind.Memory:
        return node.allocatable.memory;
      case ResourceKind.EphemeralStorage:
        return node.allocatable.ephemeralStorage;
      case ResourceKind.Scalar:
        // An extended resource the pod does not request is bypassed (upstream returns (0, 0)).
        return podRequest === 0 ? 0 : node.allocatable.getScalar(this.names[i] as string);
      default:
        return 0;
    }
  }

  /** What the pods on `node` already request of resource i (non-zero defaults for cpu and
   * memory unless useRequested; ephemeral storage and scalars always as requested). */
  used(i: number, node: NodeInfo): number {
    switch (this.kinds[i] as ResourceKind) {
      case ResourceKind.Cpu:
        return this.useRequested ? node.requested.milliCpu : node.nonZeroMilliCpu;
      case ResourceKind.Memory:
        return this.useRequested ? node.requested.memory : node.nonZeroMemory;
      case ResourceKind.EphemeralStorage:
        return node.requested.ephemeralStorage;
      case ResourceKind.Scalar:
        return node.requested.getScalar(this.names[i] as string);
      default:
        return 0;
    }
  }
}

/**
 * Parses a `resources` list ({name, weight}) at `path`; `weight` checks/defaults the weight
 * (undefined when absent) of the entry at `entryPath` (e.g. "resources[1]") named `name`.
 */
export function parseResourceSpecs(
  raw: unknown,
  path: string,
  weight: (w: unknown, entryPath: string, name: string) => number,
): ResourceSpec[] {
  if (!Array.isArray(raw)) throw new FieldError(path, 'a list of {name, weight}');
  return raw.map((x: unknown, i: number) => {
    const p = `${path}[${i}]`;
    if (typeof x !== 'object' || x === null) throw new FieldError(p, 'an object with name and weight');
    const o = x as Record<string, unknown>;
    rejectUnknownFields(o, ['name', 'weight'], p);
    const name = o['name'];
    if (typeof name !== 'string' || name === '') {
      throw new FieldError(`${p}.name`, 'a resource name', name === undefined ? undefined : JSON.stringify(name));
    }
    return { name, weight: weight(o['weight'], p, name) };
  });
}

function sameVector(a: Float64Array, b: Float64Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

