#!/usr/bin/env node
// The ksim command: dist/ holds the compiled TypeScript. A checkout that was never built has no
// dist/: say how to build it instead of a module-not-found stack trace.
import { existsSync } from 'node:fs';
import v8 from 'node:v8';

// V8 lets the heap grow up to 4× what survived the last full collection. A simulation keeps a
// steady live set while it allocates fast, so that headroom fills with garbage: a 200,000-row
// trace peaked at 420 MB of RSS with about 100 MB live. At most 2× it peaked at 295 MB, with
// about the same collection time (more full collections, which are short here; fewer bytes
// scavenged). Set before anything is allocated; process-wide (sweep workers too).
v8.setFlagsFromString('--heap-growing-percent=100');

const main = new URL('../dist/src/cli/main.js', import.meta.url);
if (!existsSync(main)) {
  process.stderr.write('ksim: dist/ is not built in this checkout: run npm run build (after npm ci)\n');
  process.exit(1);
}
const { runMain } = await import(main.href);
runMain();
