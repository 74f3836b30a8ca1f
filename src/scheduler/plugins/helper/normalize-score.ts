// Shared NormalizeScore helper (upstream pkg/scheduler/framework/plugins/helper/normalize_score.go).

/** DefaultNormalizeScore: scales [0, max] to [0, maxPriority] with integer division, optionally
 * reversed; all-zero scores become maxPriority when reversed (and stay 0 otherwise). */
export function defaultNormalizeScore(maxPriority: number, reverse: boolean, scores: Float64Array): void {
  let maxCount = 0;
  for (let i = 0; i < scores.length; i++) if ((scores[i] as number) > maxCount) maxCount = scores[i] as number;
  if (maxCount === 0) {
    if (reverse) scores.fill(maxPriority);
    return;
  }
  for (let i = 0; i < scores.length; i++) {
    let s = Math.trunc((maxPriority * (scores[i] as number)) / maxCount);
    if (reverse) s = maxPriority - s;
    scores[i] = s;
  }
}
