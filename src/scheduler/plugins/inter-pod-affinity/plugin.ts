// InterPodAffinity: required pod (anti-)affinity as a Filter (with the symmetry of existing pods'
// required anti-affinity), preferred terms and existing pods' terms as a Score.
// Upstream pkg/scheduler/framework/plugins/interpodaffinity/plugin.go; args defaults from
// pkg/scheduler/apis/config/v1/defaults.go (hardPodAffinityWeight 1) and validation from
// pkg/scheduler/apis/config/validation/validation_pluginargs.go (ValidateInterPodAffinityArgs:
// hardPodAffinityWeight in [0, 100]).
import { FieldError, rejectUnknownFields } from '../../../api/field-error.js';
import type { ClusterState } from '../../../cluster/cluster-state.js';
import type { NodeInfo } from '../../../cluster/node-info.js';
import type { PodInfo } from '../../../cluster/pod-info.js';
import type { CycleState } from '../../framework/cycle-state.js';
import type {
  FilterPlugin, FilterRejections,
  FrameworkHandle,
  Plugin,
  PreFilterPlugin,
  PreFilterResult,
  PreScorePlugin,
  ScorePlugin,
} from '../../framework/interfaces.js';
import type { Verdict } from '../../framework/status.js';
import { filter, INTER_POD_AFFINITY, preFilter, updateState } from './filtering.js';
import { interPodAffinityIndex, type InterPodAffinityIndex } from './index.js';
import { normalizeScore, preScore, score, type ScoringArgs } from './scoring.js';
import type { ClusterEventWithHint, EnqueueExtensions } from '../../framework/events.js';
import { interPodAffinityEvents } from './queueing-hints.js';

export { INTER_POD_AFFINITY } from './filtering.js';

export interface InterPodAffinityArgs extends ScoringArgs {
  /** Weight of existing pods' required affinity terms that the incoming pod matches, in [0, 100]. */
  readonly hardPodAffinityWeight: number;
  /** Skip scoring existing pods' preferences when the incoming pod has no preferred terms. */
  readonly ignorePreferredTermsOfExistingPods: boolean;
}

export function defaultInterPodAffinityArgs(): InterPodAffinityArgs {
  return { hardPodAffinityWeight: 1, ignorePreferredTermsOfExistingPods: false };
}


/** Defaults missing fields and validates; errors carry the field path below the args object. */
export function parseInterPodAffinityArgs(raw: unknown): InterPodAffinityArgs {
  const d = defaultInterPodAffinityArgs();
  if (raw === undefined || raw === null) return d;
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw new FieldError('', 'InterPodAffinityArgs (an object with hardPodAffinityWeight, ignorePreferredTermsOfExistingPods)', JSON.stringify(raw));
  }
  const r = raw as Record<string, unknown>;
  rejectUnknownFields(r, ['hardPodAffinityWeight', 'ignorePreferredTermsOfExistingPods'], '', true);
  let hardPodAffinityWeight = d.hardPodAffinityWeight;
  const w = r['hardPodAffinityWeight'];
  if (w !== undefined && w !== null) {
    if (typeof w !== 'number' || !Number.isInteger(w) || w < 0 || w > 100) {
      // Upstream: field.Invalid(..., "not in valid range [0-100]").
      throw new FieldError('hardPodAffinityWeight', 'an integer in the valid range [0-100]', JSON.stringify(w));
    }
    hardPodAffinityWeight = w;
  }
  let ignorePreferredTermsOfExistingPods = d.ignorePreferredTermsOfExistingPods;
  const ig = r['ignorePreferredTermsOfExistingPods'];
  if (ig !== undefined && ig !== null) {
    if (typeof ig !== 'boolean') throw new FieldError('ignorePreferredTermsOfExistingPods', 'true or false', JSON.stringify(ig));
    ignorePreferredTermsOfExistingPods = ig;
  }
  return { hardPodAffinityWeight, ignorePreferredTermsOfExistingPods };
}

export class InterPodAffinityPlugin implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin, EnqueueExtensions {
  readonly name = INTER_POD_AFFINITY;
  readonly index: InterPodAffinityIndex;

  constructor(
    readonly args: InterPodAffinityArgs,
    private readonly cluster: ClusterState,
  ) {
    this.index = interPodAffinityIndex(cluster);
  }

  eventsToRegister(): readonly ClusterEventWithHint[] {
    return interPodAffinityEvents(this.cluster);
  }

  preFilter(state: CycleState, pod: PodInfo, _nodes: readonly NodeInfo[]): { status: Verdict; result?: PreFilterResult } {
    return { status: preFilter(this.cluster, this.index, state, pod) };
  }

  addPod(state: CycleState, _podToSchedule: PodInfo, podToAdd: PodInfo, node: NodeInfo): Verdict {
    return updateState(this.cluster, state, podToAdd, node, 1);
  }

  removePod(state: CycleState, _podToSchedule: PodInfo, podToRemove: PodInfo, node: NodeInfo): Verdict {
    return updateState(this.cluster, state, podToRemove, node, -1);
  }

  /** Filter over a batch of nodes (FilterPlugin.filterNodes). */
  filterNodes(state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[], from: number, to: number, rejected: FilterRejections): number {
    let r = 0;
    for (let i = from; i < to; i++) {
      const v = this.filter(state, pod, nodes[i] as NodeInfo);
      if (v === null) continue;
      rejected.at[r] = i;
      rejected.verdicts[r++] = v;
    }
    return r;
  }

  filter(state: CycleState, _pod: PodInfo, node: NodeInfo): Verdict {
    return filter(state, node);
  }

  /** PreScorePlugin.scoredNodesIgnored: PreScore reads the pod and the cluster index, not the nodes. */
  scoredNodesIgnored(_state: CycleState, _pod: PodInfo): boolean {
    return true;
  }

  preScore(state: CycleState, pod: PodInfo, _nodes: readonly NodeInfo[]): Verdict {
    return preScore(this.cluster, this.index, this.args, state, pod);
  }

  score(state: CycleState, _pod: PodInfo, node: NodeInfo): number {
    return score(state, node);
  }

  normalizeScore(state: CycleState, _pod: PodInfo, _nodes: readonly NodeInfo[], scores: Float64Array): Verdict {
    return normalizeScore(state, scores);
  }
}

export function newInterPodAffinity(args: unknown, handle: FrameworkHandle): Plugin {
  return new InterPodAffinityPlugin(parseInterPodAffinityArgs(args), handle.cluster);
}
