// NodeResourcesFit: Filter on free allocatable, Score by a scoring strategy.
// Upstream pkg/scheduler/framework/plugins/noderesources/{fit.go,least_allocated.go,
// most_allocated.go,requested_to_capacity_ratio.go,resource_allocation.go}; args defaults from
// pkg/scheduler/apis/config/v1/defaults.go (SetDefaults_NodeResourcesFitArgs), validation from
// pkg/scheduler/apis/config/validation/validation_pluginargs.go (ValidateNodeResourcesFitArgs).
import { FieldError, rejectUnknownFields } from '../../api/field-error.js';
import { isValidLabelKey } from '../../api/labels.js';
import { describeValue } from '../../api/values.js';
import type { NodeInfo } from '../../cluster/node-info.js';
import type { ClusterState } from '../../cluster/cluster-state.js';
import type { PodInfo } from '../../cluster/pod-info.js';
import type { Resource } from '../../cluster/resources.js';
import type { CycleState } from '../framework/cycle-state.js';
import { MAX_NODE_SCORE, type FilterPlugin, type FilterRejections, type FrameworkHandle, type Plugin, type PreFilterPlugin, type PreFilterResult, type PreScorePlugin, type ScorePlugin } from '../framework/interfaces.js';
import { Code, Status, type Verdict } from '../framework/status.js';
import { NodeResourcesFit } from './names.js';
import { ActionType, asNode, asPod, type ClusterEventWithHint, type EnqueueExtensions, type NodeView, type QueueingHint } from '../framework/events.js';
import { roundHalfAwayFromZero } from '../../api/go-math.js';
import { NodeScoreCache } from '../framework/node-score-cache.js';
import { ClassNumbers } from '../framework/class-numbers.js';
import { parseShape, RequestedToCapacityRatioScorer, type UtilizationShapePoint } from './requested-to-capacity-ratio.js';
import {
  defaultResourceSpecs,
  mulDiv,
  parseResourceSpecs,
  ResourceAllocation,
  type ResourceSpec,
} from './resource-allocation.js';

export type { ResourceSpec } from './resource-allocation.js';
export type { UtilizationShapePoint } from './requested-to-capacity-ratio.js';

export type ScoringStrategyType = 'LeastAllocated' | 'MostAllocated' | 'RequestedToCapacityRatio';
const SCORING_STRATEGY_TYPES: readonly ScoringStrategyType[] = ['LeastAllocated', 'MostAllocated', 'RequestedToCapacityRatio'];

export interface ScoringStrategy {
  type: ScoringStrategyType;
  resources: ResourceSpec[];
  /** Required for RequestedToCapacityRatio; validated whenever given. */
  requestedToCapacityRatio: { shape: UtilizationShapePoint[] } | null;
}

export interface NodeResourcesFitArgs {
  ignoredResources: string[];
  ignoredResourceGroups: string[];
  scoringStrategy: ScoringStrategy;
}

export function defaultNodeResourcesFitArgs(): NodeResourcesFitArgs {
  return {
    ignoredResources: [],
    ignoredResourceGroups: [],
    scoringStrategy: { type: 'LeastAllocated', resources: defaultResourceSpecs(), requestedToCapacityRatio: null },
  };
}

const RESOURCE_NAME = 'a qualified resource name: an optional DNS subdomain prefix and "/", then at most 63 alphanumerics, "-", "_", "."';

/** Defaults missing fields and validates; errors carry the field path below the args object.
 * The first problem found is thrown, in upstream's validation order. */
export function parseNodeResourcesFitArgs(raw: unknown): NodeResourcesFitArgs {
  const args = defaultNodeResourcesFitArgs();
  if (raw === undefined || raw === null) return args;
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new FieldError('', 'an object');
  const r = raw as Record<string, unknown>;
  rejectUnknownFields(r, ['ignoredResources', 'ignoredResourceGroups', 'scoringStrategy'], '', true);
  if (r['ignoredResources'] !== undefined && r['ignoredResources'] !== null) {
    args.ignoredResources = stringList(r['ignoredResources'], 'ignoredResources');
    args.ignoredResources.forEach((name, i) => {
      if (!isValidLabelKey(name)) throw new FieldError(`ignoredResources[${i}]`, RESOURCE_NAME, JSON.stringify(name));
    });
  }
  if (r['ignoredResourceGroups'] !== undefined && r['ignoredResourceGroups'] !== null) {
    args.ignoredResourceGroups = stringList(r['ignoredResourceGroups'], 'ignoredResourceGroups');
    args.ignoredResourceGroups.forEach((group, i) => {
      if (group.includes('/')) {
        throw new FieldError(`ignoredResourceGroups[${i}]`, "a resource group name (it can't contain '/')", JSON.stringify(group));
      }
      if (!isValidLabelKey(group)) throw new FieldError(`ignoredResourceGroups[${i}]`, RESOURCE_NAME, JSON.stringify(group));
    });
  }
  const ssRaw = r['scoringStrategy'];
  if (ssRaw !== undefined && ssRaw !== null) {
    if (typeof ssRaw !== 'object' || Array.isArray(ssRaw)) throw new FieldError('scoringStrategy', 'an object');
    const ss = ssRaw as Record<string, unknown>;
    rejectUnknownFields(ss, ['type', 'resources', 'requestedToCapacityRatio'], 'scoringStrategy');
    // A scoringStrategy given without a type is not defaulted upstream: validation rejects "".
    const type = ss['type'];
    if (!SCORING_STRATEGY_TYPES.includes(type as ScoringStrategyType)) {
      throw new FieldError('scoringStrategy.type', `one of ${SCORING_STRATEGY_TYPES.join(', ')}`, type === undefined ? 'nothing' : JSON.stringify(type));
    }
    args.scoringStrategy.type = type as ScoringStrategyType;
    const resources = ss['resources'];
    // An absent or empty list gets the default cpu and memory (v1 defaults).
    if (resources !== undefined && resources !== null && !(Array.isArray(resources) && resources.length === 0)) {
      args.scoringStrategy.resources = parseResourceSpecs(resources, 'scoringStrategy.resources', fitWeight);
    }
    const rtcr = ss['requestedToCapacityRatio'];
    const shapePath = 'scoringStrategy.requestedToCapacityRatio.shape';
    if (rtcr !== undefined && rtcr !== null) {
      if (typeof rtcr !== 'object' || Array.isArray(rtcr)) throw new FieldError('scoringStrategy.requestedToCapacityRatio', 'an object with a shape');
      rejectUnknownFields(rtcr as Record<string, unknown>, ['shape'], 'scoringStrategy.requestedToCapacityRatio');
      // Decoded, then validated: upstream ValidateNodeResourcesFitArgs (pkg/scheduler/apis/
      // config/validation/validation_pluginargs.go) forbids it with another type, where its
      // shape would go unused.
      if (args.scoringStrategy.type !== 'RequestedToCapacityRatio') {
        throw new FieldError('scoringStrategy.requestedToCapacityRatio', `no requestedToCapacityRatio with type ${args.scoringStrategy.type} (upstream: "must be nil when type is not RequestedToCapacityRatio")`, describeValue(rtcr));
      }
      args.scoringStrategy.requestedToCapacityRatio = { shape: parseShape((rtcr as Record<string, unknown>)['shape'], shapePath) };
    } else if (args.scoringStrategy.type === 'RequestedToCapacityRatio') {
      // Upstream has no default shape and would dereference nil here.
      throw new FieldError(shapePath, 'a shape of at least one point (upstream: "at least one point must be specified")');
    }
  }
  return args;
}

/** Upstream validateResources: weight in (0, 100]. Absent or 0 means 1, as v1 defaulting does
 * (apis/config/v1/defaults.go SetDefaults_NodeResourcesFitArgs) before validation. */
function fitWeight(w: unknown, entryPath: string): number {
  const weight = w === undefined || w === 0 ? 1 : w;
  if (typeof weight !== 'number' || !Number.isInteger(weight) || weight < 1 || weight > MAX_NODE_SCORE) {
    throw new FieldError(`${entryPath}.weight`, 'an integer in [1, 100]', JSON.stringify(weight));
  }
  return weight;
}

function stringList(v: unknown, path: string): string[] {
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw new FieldError(path, 'a list of strings');
  return v as string[];
}

const TOO_MANY_PODS = 'Too many pods';
const TOO_MANY_PODS_BIT = 1;
const CPU_BIT = 2;
const MEMORY_BIT = 4;
const EPHEMERAL_BIT = 8;

/** The reasons of a failure mask, in upstream's order (fitsRequest: pods, cpu, memory,
 * ephemeral-storage). */
function commonReasons(mask: number): string[] {
  const r: string[] = [];
  if ((mask & TOO_MANY_PODS_BIT) !== 0) r.push(TOO_MANY_PODS);
  if ((mask & CPU_BIT) !== 0) r.push('Insufficient cpu');
  if ((mask & MEMORY_BIT) !== 0) r.push('Insufficient memory');
  if ((mask & EPHEMERAL_BIT) !== 0) r.push('Insufficient ephemeral-storage');
  return r;
}

/** One Status per (mask, code), made on first use and shared (statuses are read-only). */
const COMMON_STATUSES: (Status | undefined)[] = new Array<Status | undefined>(32).fill(undefined);

function commonStatus(mask: number, code: Code): Status {
  const i = mask | (code === Code.UnschedulableAndUnresolvable ? 16 : 0);
  let st = COMMON_STATUSES[i];
  if (st === undefined) COMMON_STATUSES[i] = st = new Status(code, commonReasons(mask), NodeResourcesFit);
  return st;
}
const PRE_FILTER_SUCCESS: { status: Verdict } = { status: null };

function isExtendedResourceName(name: string): boolean {
  // Upstream v1helper.IsExtendedResourceName: a fully qualified name outside kubernetes.io/ and
  // not a hugepages/attachable-volumes name.
  return name.includes('/') && !name.includes('kubernetes.io/') && !name.startsWith('requests.');
}

/** Extended resources to check, in parallel arrays (name i needs amounts[i]). */
interface ScalarChecks {
  readonly names: readonly string[];
  readonly amounts: readonly number[];
}

export class NodeResourcesFitPlugin implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin, EnqueueExtensions {
  readonly name = NodeResourcesFit;

  /** Upstream EventsToRegister with queueing hints on (noderesources/fit.go): an assigned pod's
   * deletion, and Node/Add|UpdateNodeAllocatable. (In-place scale-down does not happen in ksim.) */
  eventsToRegister(): readonly ClusterEventWithHint[] {
    return [
      { event: { resource: 'Pod', actionType: ActionType.Delete }, hint: (_pod, o) => isSchedulableAfterPodDeleted(asPod(o)) },
      { event: { resource: 'Node', actionType: ActionType.Add | ActionType.UpdateNodeAllocatable }, hint: (pod, o, n) => isSchedulableAfterNodeChange(pod, asNode(o), asNode(n)) },
    ];
  }
  private readonly ignored: ReadonlySet<string>;
  private readonly ignoredGroups: ReadonlySet<string>;
  /** False in the default configuration: no name is ignored, nothing to look up. */
  private readonly ignoresAny: boolean;
  private readonly ignoredNames = new Map<string, boolean>();
  private lastReq: Resource | null = null;
  private lastChecks: ScalarChecks = { names: [], amounts: [] };
  private readonly reasons = new Map<string, string>();
  private readonly alloc: ResourceAllocation;
  /** Scores by node for scoreNodes: a node's score for a request vector only changes with its books. */
  private readonly cache = new NodeScoreCache();
  private readonly strategy: ScoringStrategyType;
  private readonly rtcr: RequestedToCapacityRatioScorer | null;

  /** `cluster`: the nodes' cluster (the plugin made by its factory), whose node order the batch
   * filter reads figures in (ClusterState.booksInOrder); without it, through each NodeInfo. */
  constructor(args: NodeResourcesFitArgs, private readonly cluster: ClusterState | null = null) {
    this.ignored = new Set(args.ignoredResources);
    this.ignoredGroups = new Set(args.ignoredResourceGroups);
    this.ignoresAny = this.ignored.size > 0 || this.ignoredGroups.size > 0;
    const ss = args.scoringStrategy;
    // Scoring counts cpu and memory with the non-zero defaults (useRequested false).
    this.alloc = new ResourceAllocation(ss.resources, false);
    this.strategy = ss.type;
    if (ss.type === 'RequestedToCapacityRatio') {
      if (ss.requestedToCapacityRatio === null) throw new FieldError('scoringStrategy.requestedToCapacityRatio.shape', 'a shape of at least one point (upstream: "at least one point must be specified")');
      this.rtcr = new RequestedToCapacityRatioScorer(ss.requestedToCapacityRatio.shape);
    } else {
      this.rtcr = null;
    }
  }

  /** Upstream Fit is a PreFilter plugin (fit.go PreFilter: it computes the pod's request once
   * and always succeeds). ksim's PodInfo holds the request already, so there is nothing to do;
   * the method is here so that configs naming NodeResourcesFit under preFilter load. */
  preFilter(_state: CycleState, _pod: PodInfo, _nodes: readonly NodeInfo[]): { status: Verdict; result?: PreFilterResult } {
    return PRE_FILTER_SUCCESS;
  }

  /** PreScorePlugin.scoredNodesIgnored: PreScore does nothing. */
  scoredNodesIgnored(_state: CycleState, _pod: PodInfo): boolean {
    return true;
  }

  /** Upstream Fit.PreScore computes the request vector of the scored resources and succeeds;
   * ksim memoises that vector per pod (ResourceAllocation.requestsOf) instead. */
  preScore(_state: CycleState, _pod: PodInfo, _nodes: readonly NodeInfo[]): Verdict {
    return null;
  }

  filter(_state: CycleState, pod: PodInfo, node: NodeInfo): Verdict {
    const req = pod.requests;
    // The pods / cpu / memory / ephemeral-storage failures as bits, in upstream's reason order:
    // their Status objects are shared (a pod that fits nowhere fails every node, and a new
    // Status per node was most of what such a cycle allocated). Extended resources add reasons.
    // The node's own copies of its figures (NodeInfo.allocMilliCpu, ...): one object to read.
    let mask = 0;
    let code: Code = Code.Unschedulable;
    if (node.podCount + 1 > node.allowedPods) mask |= TOO_MANY_PODS_BIT;
    if (req.milliCpu > 0 && req.milliCpu > node.allocMilliCpu - node.reqMilliCpu) {
      mask |= CPU_BIT;
      if (req.milliCpu > node.allocMilliCpu) code = Code.UnschedulableAndUnresolvable;
    }
    if (req.memory > 0 && req.memory > node.allocMemory - node.reqMemory) {
      mask |= MEMORY_BIT;
      if (req.memory > node.allocMemory) code = Code.UnschedulableAndUnresolvable;
    }
    if (req.ephemeralStorage > 0 && req.ephemeralStorage > node.allocEphemeral - node.reqEphemeral) {
      mask |= EPHEMERAL_BIT;
      if (req.ephemeralStorage > node.allocEphemeral) code = Code.UnschedulableAndUnresolvable;
    }
    let scalarReasons: string[] | null = null;
    if (req.scalar !== null) {
      const alloc = node.allocatable;
      const used = node.requested;
      // Runs for every node of every cycle: no allocation, no sorting, no string work.
      const checks = this.scalarChecks(req);
      const names = checks.names;
      for (let i = 0; i < names.length; i++) {
        const name = names[i] as string;
        const q = checks.amounts[i] as number;
        const a = alloc.getScalar(name);
        if (q > a - used.getScalar(name)) {
          (scalarReasons ??= []).push(this.insufficient(name));
          if (q > a) code = Code.UnschedulableAndUnresolvable;
        }
      }
    }
    if (scalarReasons === null) return mask === 0 ? null : commonStatus(mask, code);
    return new Status(code, [...commonReasons(mask), ...scalarReasons], NodeResourcesFit);
  }

  private readonly filterClasses = new ClassNumbers();
  private classCpu = -1;
  private classMemory = -1;
  private classEphemeral = -1;
  private reqClass = -1;

  /** FilterPlugin.nodeLocalFilterClass: the verdict reads the node's books and the pod's
   * requests (extended resources left out: -1); pods asking the same amounts share a class. */
  nodeLocalFilterClass(pod: PodInfo): number {
    const req = pod.requests;
    if (req.scalar !== null) return -1;
    if (req.milliCpu !== this.classCpu || req.memory !== this.classMemory || req.ephemeralStorage !== this.classEphemeral) {
      this.classCpu = req.milliCpu;
      this.classMemory = req.memory;
      this.classEphemeral = req.ephemeralStorage;
      this.reqClass = this.filterClasses.of(`${req.milliCpu}/${req.memory}/${req.ephemeralStorage}`);
    }
    return this.reqClass;
  }

  /** Filter over a batch of nodes: the pods / cpu / memory / ephemeral-storage comparisons of
   * each node inline, and the full Filter (its Status) only for the nodes they fail, or for
   * every node when the pod asks for extended resources. */
  filterNodes(state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[], from: number, to: number, rejected: FilterRejections): number {
    const req = pod.requests;
    const scalar = req.scalar !== null;
    const cpu = req.milliCpu;
    const memory = req.memory;
    const ephemeral = req.ephemeralStorage;
    let r = 0;
    // The cluster's node order: the figures read from the rows, the NodeInfo only for nodes
    // that fail there.
    const order = scalar || this.cluster === null ? null : this.cluster.booksInOrder(nodes);
    if (order !== null) {
      for (let i = order.nextWithoutRoom(from, to, cpu, memory, ephemeral); i < to; i = order.nextWithoutRoom(i + 1, to, cpu, memory, ephemeral)) {
        const v = this.filter(state, pod, nodes[i] as NodeInfo);
        if (v === null) continue;
        rejected.at[r] = i;
        rejected.verdicts[r++] = v;
      }
      return r;
    }
    for (let i = from; i < to; i++) {
      const node = nodes[i] as NodeInfo;
      if (!scalar && node.hasRoomFor(cpu, memory, ephemeral)) continue;
      const v = this.filter(state, pod, node);
      if (v === null) continue;
      rejected.at[r] = i;
      rejected.verdicts[r++] = v;
    }
    return r;
  }

  /** The extended resources Filter checks for a pod's requests `req`: non-zero and not ignored,
   * sorted by name. Filter runs for one pod over many nodes in a row, so the answer for the last
   * `req` is kept (upstream computes the pod's request once per cycle, in PreFilter); pod
   * requests are read-only. */
  private scalarChecks(req: Resource): ScalarChecks {
    if (this.lastReq === req) return this.lastChecks;
    const names: string[] = [];
    const amounts: number[] = [];
    for (const name of req.scalarNames()) {
      const q = req.getScalar(name);
      if (q === 0 || (this.ignoresAny && this.isIgnored(name))) continue;
      names.push(name);
      amounts.push(q);
    }
    this.lastReq = req;
    this.lastChecks = { names, amounts };
    return this.lastChecks;
  }

  /** Whether Filter skips an extended resource: named in ignoredResources, or its group (the
   * part before "/") in ignoredResourceGroups. Memoised per name. */
  private isIgnored(name: string): boolean {
    let v = this.ignoredNames.get(name);
    if (v === undefined) {
      v = isExtendedResourceName(name) && (this.ignored.has(name) || this.ignoredGroups.has(name.split('/')[0] as string));
      this.ignoredNames.set(name, v);
    }
    return v;
  }

  private insufficient(name: string): string {
    let r = this.reasons.get(name);
    if (r === undefined) this.reasons.set(name, (r = `Insufficient ${name}`));
    return r;
  }

  /** The strategy's score of one node; the requested amounts include the pod and use the
   * non-zero defaults for cpu and memory. Upstream computes the pod's request vector in
   * PreScore (or here when PreScore did not run); ksim memoises it per pod instead (see
   * ResourceAllocation), which gives the same numbers with or without PreScore. */
  score(_state: CycleState, pod: PodInfo, node: NodeInfo): number {
    return this.strategyScore(node, this.alloc.requestsOf(pod));
  }

  private strategyScore(node: NodeInfo, podRequests: Float64Array): number {
    switch (this.strategy) {
      case 'LeastAllocated':
        return this.leastAllocated(node, podRequests);
      case 'MostAllocated':
        return this.mostAllocated(node, podRequests);
      default:
        return this.requestedToCapacityRatio(node, podRequests);
    }
  }

  /** Every strategy scores from the node's books and the pod's request vector alone. */
  nodeLocalClass(pod: PodInfo): number {
    return this.alloc.classOf(pod);
  }

  /** score for every node (ScorePlugin.scoreNodes): the pod's requests looked up once. */
  scoreNodes(_state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[], out: Float64Array): void {
    const podRequests = this.alloc.requestsOf(pod);
    const cls = this.alloc.classOf(pod);
    const cache = this.cache;
    const n = nodes.length;
    for (let i = 0; i < n; i++) {
      const node = nodes[i] as NodeInfo;
      let s = cache.get(node, cls);
      if (s < 0) cache.set(node, cls, (s = this.strategyScore(node, podRequests)));
      out[i] = s;
    }
  }

  /** Upstream leastResourceScorer: Σ weight × ⌊(capacity − requested) × 100 / capacity⌋ (0 when
   * over-committed) / Σ weight, over the resources the node has; integer division throughout. */
  private leastAllocated(node: NodeInfo, podRequests: Float64Array): number {
    const a = this.alloc;
    if (a.cpuThenMemory) {
      // The default resources, without the per-resource dispatch: the same arithmetic.
      const capCpu = node.allocMilliCpu;
      const capMem = node.allocMemory;
      if (capCpu !== 0 && capMem !== 0) {
        const reqCpu = node.nonZeroMilliCpu + (podRequests[0] as number);
        const reqMem = node.nonZeroMemory + (podRequests[1] as number);
        const wCpu = a.weights[0] as number;
        const wMem = a.weights[1] as number;
        const sCpu = reqCpu > capCpu ? 0 : mulDiv(capCpu - reqCpu, MAX_NODE_SCORE, capCpu);
        const sMem = reqMem > capMem ? 0 : mulDiv(capMem - reqMem, MAX_NODE_SCORE, capMem);
        return Math.trunc((sCpu * wCpu + sMem * wMem) / (wCpu + wMem));
      }
    }
    let nodeScore = 0;
    let weightSum = 0;
    for (let i = 0; i < a.size; i++) {
      const podReq = podRequests[i] as number;
      const cap = a.capacity(i, node, podReq);
      if (cap === 0) continue;
      const req = a.used(i, node) + podReq;
      const w = a.weights[i] as number;
      nodeScore += (req > cap ? 0 : mulDiv(cap - req, MAX_NODE_SCORE, cap)) * w;
      weightSum += w;
    }
    return weightSum === 0 ? 0 : Math.trunc(nodeScore / weightSum);
  }

  /** Upstream mostResourceScorer: Σ weight × ⌊min(requested, capacity) × 100 / capacity⌋ /
   * Σ weight, over the resources the node has. Requests above capacity (possible through the
   * non-zero defaults) count as full. */
  private mostAllocated(node: NodeInfo, podRequests: Float64Array): number {
    const a = this.alloc;
    let nodeScore = 0;
    let weightSum = 0;
    for (let i = 0; i < a.size; i++) {
      const podReq = podRequests[i] as number;
      const cap = a.capacity(i, node, podReq);
      if (cap === 0) continue;
      const req = Math.min(a.used(i, node) + podReq, cap);
      const w = a.weights[i] as number;
      nodeScore += mulDiv(req, MAX_NODE_SCORE, cap) * w;
      weightSum += w;
    }
    return weightSum === 0 ? 0 : Math.trunc(nodeScore / weightSum);
  }

  /** Upstream buildRequestedToCapacityRatioScorerFunction: the weighted mean of the shape's
   * values, rounded half away from zero. Resources whose value is 0 count neither in the sum
   * nor in the weights. */
  private requestedToCapacityRatio(node: NodeInfo, podRequests: Float64Array): number {
    const a = this.alloc;
    const fn = this.rtcr as RequestedToCapacityRatioScorer;
    let nodeScore = 0;
    let weightSum = 0;
    for (let i = 0; i < a.size; i++) {
      const podReq = podRequests[i] as number;
      const cap = a.capacity(i, node, podReq);
      if (cap === 0) continue;
      const s = fn.resourceScore(a.used(i, node) + podReq, cap);
      if (s > 0) {
        const w = a.weights[i] as number;
        nodeScore += s * w;
        weightSum += w;
      }
    }
    return weightSum === 0 ? 0 : roundHalfAwayFromZero(nodeScore / weightSum);
  }
}

/** Any deletion of a pod that was assigned (or nominated) may free what the pod needs
 * (upstream isSchedulableAfterPodEvent). */
function isSchedulableAfterPodDeleted(deleted: PodInfo | undefined): QueueingHint {
  if (deleted === undefined) return 'Queue';
  return deleted.nodeName === null && deleted.nominatedNodeName === null ? 'QueueSkip' : 'Queue';
}

/** Queue when the pod would fit the node empty, and the node is new or gained some resource the
 * pod requests (upstream isSchedulableAfterNodeChange, isFit, haveAnyRequestedResourcesIncreased). */
function isSchedulableAfterNodeChange(pod: PodInfo, before: NodeView | undefined, after: NodeView | undefined): QueueingHint {
  if (after === undefined || !fitsEmptyNode(pod.requests, after.allocatable)) return 'QueueSkip';
  if (before === undefined) return 'Queue';
  return anyRequestedIncreased(pod.requests, before.allocatable, after.allocatable) ? 'Queue' : 'QueueSkip';
}

/** Upstream isFit: Fits against a NodeInfo with the node's allocatable and no pods. */
function fitsEmptyNode(req: Resource, alloc: Resource): boolean {
  if (alloc.allowedPodNumber < 1) return false;
  if (req.milliCpu > alloc.milliCpu || req.memory > alloc.memory || req.ephemeralStorage > alloc.ephemeralStorage) return false;
  if (req.scalar !== null) for (const name of req.scalarNames()) if (req.getScalar(name) > alloc.getScalar(name)) return false;
  return true;
}

function anyRequestedIncreased(req: Resource, before: Resource, after: Resource): boolean {
  if (after.allowedPodNumber > before.allowedPodNumber) return true;
  if (req.milliCpu > 0 && after.milliCpu > before.milliCpu) return true;
  if (req.memory > 0 && after.memory > before.memory) return true;
  if (req.ephemeralStorage > 0 && after.ephemeralStorage > before.ephemeralStorage) return true;
  if (req.scalar !== null) {
    for (const name of req.scalarNames()) if (req.getScalar(name) > 0 && after.getScalar(name) > before.getScalar(name)) return true;
  }
  return false;
}

export function newNodeResourcesFit(args: unknown, handle?: FrameworkHandle): Plugin {
  return new NodeResourcesFitPlugin(parseNodeResourcesFitArgs(args), handle?.cluster ?? null);
}
