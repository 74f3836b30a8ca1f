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
// Half V8's default budget for inlining into one optimized function (920 bytes of bytecode): the
// scheduler's hot functions inline deep trees of plugin code, and compiling them cost as much as
// 20 % of a short run's instructions. Pinned to one core, CPU of `ksim run` (means of 3–5 runs):
// SchedulingBasic with its measured pods 2.92 -> 2.58 s, TopologySpreading 3.01 -> 2.86 s, a
// 20,000-row trace 3.25 -> 3.16 s, a 3-minute churn 4.02 -> 3.85 s; a 20-minute churn 13.4 ->
// 13.1 s (two runs each). Outputs do not depend on it.
v8.setFlagsFromString('--max-inlined-bytecode-size-cumulative=460');

const main = new URL('../dist/src/cli/main.js', import.meta.url);
if (!existsSync(main)) {
  process.stderr.write('ksim: dist/ is not built in this checkout: run npm run build (after npm ci)\n');
  process.exit(1);
}
// A signal while ksim's modules load (a few hundred ms, before any command's own handler): say
// so and exit as a signal during a run does (130/143), nothing written, instead of dying with
// no message. The commands install their handlers as they start.
const early = (signal) => {
  process.stderr.write(`ksim: interrupted by ${signal} while starting, before the command ran; nothing was written\n`);
  process.exit(signal === 'SIGTERM' ? 143 : 130);
};
process.on('SIGINT', early);
process.on('SIGTERM', early);
const { runMain } = await import(main.href);
process.off('SIGINT', early);
process.off('SIGTERM', early);
runMain();
