#!/usr/bin/env node
// Instructions per JavaScript function from a callgrind run of node started with
// --perf-basic-prof (README "Performance"): callgrind sees V8's compiled code as anonymous
// addresses; the perf map node writes (/tmp/perf-PID.map: "address size name") names them.
//
//   node scripts/callgrind-js.mjs run.out /tmp/perf-PID.map [top]
//
// Prints the run's total and the `top` (default 30) costliest functions: JavaScript ones as
// "JS:*name file:line" (* optimised, ^ baseline, ~ interpreted), the rest as callgrind names them.
// Needs callgrind_annotate (valgrind) on the PATH.
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const [out, map, topArg] = process.argv.slice(2);
if (out === undefined || map === undefined) {
  process.stderr.write('usage: node scripts/callgrind-js.mjs CALLGRIND_OUT PERF_MAP [TOP]\n');
  process.exit(2);
}
const entries = readFileSync(map, 'utf8')
  .split('\n')
  .filter((l) => l !== '')
  .map((l) => {
    const [a, size, ...name] = l.split(' ');
    return { start: parseInt(a, 16), end: parseInt(a, 16) + parseInt(size, 16), name: name.join(' ').replace(/file:\/\/\/\S*?\/(dist|node_modules)\//, '') };
  })
  .sort((x, y) => x.start - y.start);

/** The map entry holding `addr` (binary search), or undefined. */
function nameAt(addr) {
  let lo = 0;
  let hi = entries.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const e = entries[mid];
    if (addr < e.start) hi = mid - 1;
    else if (addr >= e.end) lo = mid + 1;
    else return e.name;
  }
  return undefined;
}

const ann = spawnSync('callgrind_annotate', ['--threshold=100', out], { encoding: 'utf8', maxBuffer: 1 << 28 });
if (ann.status !== 0) {
  process.stderr.write(`callgrind_annotate failed: ${ann.stderr || ann.error?.message}\n`);
  process.exit(1);
}
const totals = new Map();
let total = 0;
for (const line of ann.stdout.split('\n')) {
  const m = /^\s*([\d,]+) \(\s*[\d.]+%\)\s+(.*)$/.exec(line);
  if (m === null) continue;
  const ir = Number(m[1].replaceAll(',', ''));
  const fn = m[2];
  if (fn.includes('PROGRAM TOTALS')) {
    total = ir;
    continue;
  }
  const jit = /^\?\?\?:0x([0-9a-f]+) \[\?\?\?\]/.exec(fn);
  const name = jit === null ? fn.split(' [')[0].replace('???:', '') : (nameAt(parseInt(jit[1], 16)) ?? `unnamed code at 0x${jit[1]}`);
  totals.set(name, (totals.get(name) ?? 0) + ir);
}
console.log(`${(total / 1e9).toFixed(3)} G instructions in all`);
for (const [name, ir] of [...totals].sort((a, b) => b[1] - a[1]).slice(0, Number(topArg ?? 30))) {
  console.log(`${(ir / 1e6).toFixed(1).padStart(9)} M ${((100 * ir) / total).toFixed(2).padStart(6)} %  ${name.slice(0, 140)}`);
}
