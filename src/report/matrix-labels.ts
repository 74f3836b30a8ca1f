// How the report's charts and tables name a sweep's matrix combinations. sweep.csv's group is
// "PATH=V, PATH=V" with each --matrix path in full; two long paths made labels the charts cut at
// their start ("...nodePools[0].count=3, workload[1].manifest.spec.replicas=6" lost its first
// path). With one path only its values are shown (the path is in the title or intro); with
// several, each path by the fewest of its last fields that tell it from the others
// ("count=3, replicas=6"; two pools' counts: "nodePools[0].count=3, nodePools[1].count=6").

/** The short name of each path: its last field (a trailing [N] dropped), or more of its last
 * fields while another path ends the same. */
export function shortPaths(paths: readonly string[]): string[] {
  const fields = paths.map((p) => p.split('.'));
  const suffix = (f: readonly string[], k: number) => (k === 1 ? (f.at(-1) ?? '').replace(/\[\d+\]$/, '') : f.slice(-k).join('.'));
  return fields.map((f, i) => {
    for (let k = 1; k < f.length; k++) {
      const mine = suffix(f, k);
      if (fields.every((g, j) => j === i || suffix(g, k) !== mine)) return mine;
    }
    return paths[i] as string;
  });
}

/** A label for each group ("" → "all runs"). */
export function groupLabeller(matrix: readonly string[]): (g: string) => string {
  const short = shortPaths(matrix);
  const prefixes = matrix.map((m, i) => [`${m}=`, matrix.length === 1 ? '' : `${short[i]}=`] as const);
  return (g) => {
    if (g === '') return 'all runs';
    // g is "PATH=V, PATH=V" in matrix order (sweep-report.ts).
    let out = g;
    for (const [long, s] of prefixes) out = out.replace(long, s);
    return out;
  };
}

/** A sentence for an intro saying what the labels stand for. */
export function labelsSentence(matrix: readonly string[]): string {
  if (matrix.length === 0) return '';
  if (matrix.length === 1) return ` Labels are the values of ${matrix[0]}.`;
  const short = shortPaths(matrix);
  return ` Labels name each path by its last field: ${matrix.map((m, i) => (short[i] === m ? m : `${short[i]} = ${m}`)).join('; ')}.`;
}
