// DefaultPreemption: the PostFilter plugin that makes room for a pod that fits nowhere by
// evicting lower-priority pods. Upstream
// pkg/scheduler/framework/plugins/defaultpreemption/default_preemption.go (PostFilter,
// PodEligibleToPreemptOthers, calculateNumCandidates) and
// pkg/scheduler/framework/preemption/preemption.go (Evaluator.Preempt, findCandidates);
// args defaults from pkg/scheduler/apis/config/v1/defaults.go (SetDefaults_DefaultPreemptionArgs)
// and validation from pkg/scheduler/apis/config/validation/validation_pluginargs.go.
//
// Victims are deleted through handle.deletePod with the reason "preempted by <ns>/<pod> on node
// <node>"; the scheduler applies the deletions when the cycle ends and nominates the pod to the
// node (PostFilterResult.nominatedNodeName).
import { NodeToStatus } from '../../framework/node-to-status.js';
import { FieldError, rejectUnknownFields } from '../../../api/field-error.js';
import { RandomStreams } from '../../../engine/random.js';
import type { NodeInfo } from '../../../cluster/node-info.js';
import { PREEMPTION_REASON, type PodInfo } from '../../../cluster/pod-info.js';
import type { CycleState } from '../../framework/cycle-state.js';
import type { FrameworkHandle, Plugin, PluginFactory, PostFilterPlugin, PostFilterResult } from '../../framework/interfaces.js';
import { Code, Status, type Verdict } from '../../framework/status.js';
import { FilterRunner, PodNominator, type SchedulerContext } from '../../schedule-one.js';
import { DefaultPreemption } from '../names.js';
import {
  aggregateErrors,
  calculateNumCandidates,
  dryRunPreemption,
  LowestPriorityCache,
  noVictimsAnywhere,
  pickOneNodeForPreemption,
  PlacedPriorities,
  preemptionFitError,
  type Candidate,
  type DryRunResult,
} from './candidates.js';
import { listPdbs, type PdbInfo } from './pdb.js';
import { isPreemptionAllowed } from './victims.js';
import { describeValue } from '../../../api/values.js';

export interface DefaultPreemptionArgs {
  /** Minimum number of candidates to shortlist, as a percentage of the potential nodes. */
  readonly minCandidateNodesPercentage: number;
  /** Minimum number of candidates to shortlist, absolute. */
  readonly minCandidateNodesAbsolute: number;
}

export const DEFAULT_PREEMPTION_ARGS: DefaultPreemptionArgs = { minCandidateNodesPercentage: 10, minCandidateNodesAbsolute: 100 };

/** Defaults missing fields and validates (paths relative to the args object). */
export function parseDefaultPreemptionArgs(raw: unknown): DefaultPreemptionArgs {
  if (raw === undefined || raw === null) return DEFAULT_PREEMPTION_ARGS;
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new FieldError('', 'DefaultPreemptionArgs (a mapping)', describeValue(raw));
  const r = raw as Record<string, unknown>;
  rejectUnknownFields(r, ['minCandidateNodesPercentage', 'minCandidateNodesAbsolute'], '', true);
  const pct = readInt32(r, 'minCandidateNodesPercentage', DEFAULT_PREEMPTION_ARGS.minCandidateNodesPercentage);
  const abs = readInt32(r, 'minCandidateNodesAbsolute', DEFAULT_PREEMPTION_ARGS.minCandidateNodesAbsolute);
  if (pct < 0 || pct > 100) throw new FieldError('minCandidateNodesPercentage', 'an integer in the valid range [0, 100]', String(pct));
  if (abs < 0) throw new FieldError('minCandidateNodesAbsolute', 'an integer in the valid range [0, inf)', String(abs));
  if (pct === 0 && abs === 0) {
    throw new FieldError('minCandidateNodesPercentage', 'a value that is not zero at the same time as minCandidateNodesAbsolute', '0');
  }
  return { minCandidateNodesPercentage: pct, minCandidateNodesAbsolute: abs };
}

function readInt32(r: Record<string, unknown>, key: string, dflt: number): number {
  const v = r[key];
  if (v === undefined || v === null) return dflt;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < -(2 ** 31) || v >= 2 ** 31) throw new FieldError(key, 'a 32-bit integer', describeValue(v));
  return v;
}


/** Status of nodes that the dry run did not report on (upstream SetAbsentNodesStatus). */
export const PREEMPTION_NOT_HELPFUL = 'Preemption is not helpful for scheduling';

/** What the preemption of one PostFilter call decided (for tests and explain). */
export interface PreemptionOutcome {
  readonly status: Verdict;
  readonly result?: PostFilterResult;
  /** The chosen candidate (its victims are being deleted). */
  readonly chosen?: Candidate;
}

export class DefaultPreemptionPlugin implements PostFilterPlugin {
  readonly name = DefaultPreemption;
  /** Derived from the nodes (not per-cycle data): lets dry runs skip nodes without victims. */
  private readonly lowest = new LowestPriorityCache();
  /** The placed pods' priorities, counted from the first preemption on (PlacedPriorities). */
  private placed: PlacedPriorities | null = null;

  constructor(
    readonly args: DefaultPreemptionArgs,
    private readonly handle: FrameworkHandle,
    private readonly ctx: SchedulerContext,
  ) {}

  postFilter(state: CycleState, pod: PodInfo, nodeStatuses: ReadonlyMap<string, Verdict>): { status: Verdict; result?: PostFilterResult } {
    const out = this.preempt(state, pod, nodeStatuses);
    const status = out.status;
    // Upstream prefixes every message with "preemption: " (one reason).
    const wrapped = status !== null && status.message !== '' ? new Status(status.code, [`preemption: ${status.message}`]) : status;
    return out.result === undefined ? { status: wrapped } : { status: wrapped, result: out.result };
  }

  /** Upstream Evaluator.Preempt, without the "preemption: " prefix. */
  preempt(state: CycleState, pod: PodInfo, m: ReadonlyMap<string, Verdict>): PreemptionOutcome {
    // 1) Is the pod allowed to preempt?
    const nominatedStatus = pod.nominatedNodeName === null ? undefined : m.get(pod.nominatedNodeName);
    const eligible = this.podEligibleToPreemptOthers(pod, nominatedStatus);
    if (eligible !== null) return { status: Status.unschedulable(eligible) };

    // 2) Candidates.
    const allNodes = this.handle.cluster.nodes;
    if (allNodes.length === 0) return { status: Status.error('no nodes available') };
    const dry = this.findCandidates(state, pod, m);
    if (dry.errors.length > 0 && dry.candidates.length === 0) return { status: Status.error(aggregateErrors(dry.errors)) };
    if (dry.candidates.length === 0) {
      // A FitError over the dry run; clears the pod's nomination.
      return {
        status: Status.unschedulable(preemptionFitError(allNodes.length, dry.statuses, PREEMPTION_NOT_HELPFUL)),
        result: { nominatedNodeName: '' },
      };
    }

    // 3) Extenders: ksim has none. 4) The best candidate.
    const best = pickOneNodeForPreemption(dry.candidates) as Candidate;

    // 5) Evict the victims (upstream prepareCandidate; the scheduler skips victims whose
    // deletion is already in flight and clears lower-priority nominations on the node).
    for (const v of best.victims) this.handle.deletePod(v, `${PREEMPTION_REASON}${pod.key} on node ${best.nodeName}`);
    return { status: null, result: { nominatedNodeName: best.nodeName }, chosen: best };
  }

  /**
   * Upstream PodEligibleToPreemptOthers: null when the pod may preempt, else the reason. A pod
   * with preemptionPolicy Never may not; nor may a pod whose nominated node still has
   * lower-priority victims being deleted, unless the filters found that node
   * UnschedulableAndUnresolvable (an absent status counts as that).
   */
  podEligibleToPreemptOthers(pod: PodInfo, nominatedNodeStatus: Verdict | undefined): string | null {
    if (pod.pod.spec?.preemptionPolicy === 'Never') return 'not eligible due to preemptionPolicy=Never.';
    const nom = pod.nominatedNodeName;
    if (nom !== null) {
      if (nominatedNodeStatus === undefined || (nominatedNodeStatus !== null && nominatedNodeStatus.code === Code.UnschedulableAndUnresolvable)) return null;
      const node = this.handle.cluster.nodeByName.get(nom);
      if (node !== undefined) {
        for (const p of node.pods) {
          if (isPreemptionAllowed(p, pod) && this.ctx.isTerminatingVictim(p)) return 'not eligible due to a terminating pod on the nominated node.';
        }
      }
    }
    return null;
  }

  /** Upstream calculateNumCandidates. */
  calculateNumCandidates(numNodes: number): number {
    return calculateNumCandidates(numNodes, this.args.minCandidateNodesPercentage, this.args.minCandidateNodesAbsolute);
  }

  /** Upstream GetOffsetAndNumCandidates: a random offset into the potential nodes (from the
   * scheduler's seeded stream) and the number of candidates to look for. */
  getOffsetAndNumCandidates(numNodes: number): [offset: number, numCandidates: number] {
    return [this.ctx.rng.int(numNodes), this.calculateNumCandidates(numNodes)];
  }

  /** Upstream findCandidates: the nodes whose filter status was Unschedulable (never
   * UnschedulableAndUnresolvable, nor absent), in the scheduler's node order, dry-run from a random offset. */
  findCandidates(state: CycleState, pod: PodInfo, m: ReadonlyMap<string, Verdict>): DryRunResult {
    let potential: NodeInfo[];
    if (m instanceof NodeToStatus) potential = m.nodesWithCode(Code.Unschedulable);
    else {
      potential = [];
      for (const n of this.handle.cluster.schedulingNodes()) {
        const s = m.get(n.name);
        if (s !== undefined && s !== null && s.code === Code.Unschedulable) potential.push(n);
      }
    }
    if (potential.length === 0) return { candidates: [], statuses: new Map(), errors: [] };
    const [offset, numCandidates] = this.getOffsetAndNumCandidates(potential.length);
    if (this.placedPriorities().lowest() >= pod.priority) return noVictimsAnywhere(potential, offset);
    const pdbs = this.pdbs();
    return dryRunPreemption({ fwk: this.handle.framework, filters: this.ctx.filters }, state, pod, potential, pdbs, offset, numCandidates, this.lowest);
  }

  /** Registered with the cluster at the first dry run (which counts the pods already placed), so
   * that runs without preemption pay nothing per pod. */
  private placedPriorities(): PlacedPriorities {
    if (this.placed === null) this.handle.cluster.addIndex((this.placed = new PlacedPriorities()));
    return this.placed;
  }

  private pdbs(): PdbInfo[] {
    return listPdbs(this.handle.cluster);
  }
}

/** A context for use outside a Scheduler (tests, library callers): no nominated pods, no victims
 * in flight, and a fixed-seed random stream. */
export function standaloneContext(rngSeed = 0): SchedulerContext {
  const nominator = new PodNominator();
  return {
    nominator,
    filters: new FilterRunner(nominator),
    rng: new RandomStreams(rngSeed).stream('DefaultPreemption'),
    isTerminatingVictim: () => false,
  };
}

/** The factory. Inside a Scheduler, withSchedulerContext gives the plugin the scheduler's
 * nominator, filter runner, random stream and in-flight victims. */
export function newDefaultPreemption(args: unknown, handle: FrameworkHandle): Plugin {
  return new DefaultPreemptionPlugin(parseDefaultPreemptionArgs(args), handle, standaloneContext());
}

newDefaultPreemption.withSchedulerContext = (ctx: SchedulerContext): PluginFactory =>
  (args: unknown, handle: FrameworkHandle): Plugin => new DefaultPreemptionPlugin(parseDefaultPreemptionArgs(args), handle, ctx);
