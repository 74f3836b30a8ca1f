// The FGD simulator's NormalizeScore (pkg/simulator/plugin/plugin_utils.go): min-max to
// [0, 100] with Go's integer division; all equal → 0.
export function minMaxNormalize(scores: Float64Array): void {
  let hi = -Infinity;
  let lo = Infinity;
  for (const s of scores) {
    if (s > hi) hi = s;
    if (s < lo) lo = s;
  }
  const range = hi - lo;
  for (let i = 0; i < scores.length; i++) scores[i] = range === 0 ? 0 : Math.trunc((((scores[i] as number) - lo) * 100) / range);
}
