// The charting libraries inlined into every report: d3 and Observable Plot, their UMD bundles
// as published (license headers kept), read from the installed packages when a report is made,
// so a report opens with no network. Plot's UMD bundle takes d3 from the global `d3`.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const BUNDLES = [
  { pkg: 'd3', file: 'dist/d3.min.js' },
  { pkg: '@observablehq/plot', file: 'dist/plot.umd.min.js' },
] as const;

let cached: [string, string] | null = null;

/** [d3, Plot] source texts, safe to put inside a <script> element. */
export function chartLibraries(): [string, string] {
  if (cached === null) {
    const [d3, plot] = BUNDLES.map((b) => {
      const text = readFileSync(join(packageRoot(b.pkg), b.file), 'utf8');
      // A literal "</script" would end the element early; the published bundles have none.
      if (/<\/script/i.test(text)) throw new Error(`${b.pkg}/${b.file} contains "</script": cannot inline it`);
      return text;
    }) as [string, string];
    cached = [d3, plot];
  }
  return cached;
}

/** The folder of an installed package: its entry point resolved, then up to its package.json
 * (the packages export no subpath for their UMD files). */
function packageRoot(pkg: string): string {
  const require = createRequire(import.meta.url);
  let dir = dirname(require.resolve(pkg));
  for (;;) {
    try {
      const json = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string };
      if (json.name === pkg) return dir;
    } catch {
      // no package.json here: keep going up
    }
    const up = dirname(dir);
    if (up === dir) throw new Error(`cannot find the folder of the package ${pkg}`);
    dir = up;
  }
}
