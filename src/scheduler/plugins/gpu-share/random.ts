// RandomScore (upstream pkg/simulator/plugin/random_score.go): upstream's PreScore draws one
// feasible node uniformly and scores it 100, the others 0. Here every node scores the same, and
// the scheduler's tie-break (a uniform draw from the run's seeded `scheduler` stream) picks:
// the same distribution, reproducible from the run seed. Use with percentageOfNodesToScore: 100
// so that every feasible node is a candidate, as upstream's experiment does.
import type { Plugin, ScorePlugin } from '../../framework/interfaces.js';
import { RandomScore } from './names.js';

export class RandomScorePlugin implements ScorePlugin {
  readonly name = RandomScore;
  score(): number {
    return 0;
  }
}

export function newRandomScore(): Plugin {
  return new RandomScorePlugin();
}
