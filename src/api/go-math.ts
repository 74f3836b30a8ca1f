// Go's integer-producing float operations, for code whose upstream converts a float64 (a
// plugin's score, a controller's proportion) to an integer.

/** Go math.Round: the nearest integer, halves rounded away from zero (JavaScript's Math.round
 * rounds -2.5 to -2; Go gives -3). */
export function roundHalfAwayFromZero(x: number): number {
  const r = x < 0 ? -Math.round(-x) : Math.round(x);
  return r === 0 ? 0 : r; // no -0
}
