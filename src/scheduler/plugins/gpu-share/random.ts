// RandomScore (upstream pkg/simulator/plugin/random_score.go): PreScore draws one feasible node
// uniformly (from the scheduler's seeded stream inside a Scheduler, a fixed one elsewhere) and
// Score gives it 100, every other node 0.
import type { NodeInfo } from '../../../cluster/node-info.js';
import type { PodInfo } from '../../../cluster/pod-info.js';
import { RandomStreams, type RandomStream } from '../../../engine/random.js';
import type { CycleState } from '../../framework/cycle-state.js';
import { MAX_NODE_SCORE, MIN_NODE_SCORE, type Plugin, type PluginFactory, type PreScorePlugin, type ScorePlugin } from '../../framework/interfaces.js';
import type { Verdict } from '../../framework/status.js';
import type { SchedulerContext } from '../../schedule-one.js';
import { RandomScore } from './names.js';

const KEY = 'PreScore' + RandomScore;

export class RandomScorePlugin implements PreScorePlugin, ScorePlugin {
  readonly name = RandomScore;
  constructor(private readonly rng: RandomStream) {}

  preScore(state: CycleState, _pod: PodInfo, nodes: readonly NodeInfo[]): Verdict {
    if (nodes.length > 0) state.write(KEY, (nodes[this.rng.int(nodes.length)] as NodeInfo).name);
    return null;
  }

  /** NaN (an invalid score: the cycle ends in an Error naming the plugin) when PreScore did not
   * run — the plugin must be enabled at preScore as well as score (or by multiPoint), as in
   * upstream's experiment config — rather than silently scoring every node alike. */
  score(state: CycleState, _pod: PodInfo, node: NodeInfo): number {
    const picked = state.read<string>(KEY);
    if (picked === undefined) return NaN;
    return picked === node.name ? MAX_NODE_SCORE : MIN_NODE_SCORE;
  }
}

export function newRandomScore(): Plugin {
  return new RandomScorePlugin(new RandomStreams(0).stream(RandomScore));
}

newRandomScore.withSchedulerContext = (ctx: SchedulerContext): PluginFactory => () => new RandomScorePlugin(ctx.rng);
