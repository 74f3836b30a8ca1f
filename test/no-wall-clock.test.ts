// Determinism lint (issue 16 item 10): simulation code never reads the wall clock or an unseeded
// random source. Every Date.now(, Math.random(, performance.now( or new Date() in src/ (outside
// src/cli and src/report, which time and date what the user sees) must carry a
// `ksim-allow-clock` marker comment on the same line, saying why it cannot reach simulated
// output. bench/ is outside src/ and free to time itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { REPO_ROOT } from '../src/testing/repo-paths.js';

const FORBIDDEN = ['Date.now(', 'Math.random(', 'performance.now(', 'new Date()'] as const;
const MARKER = 'ksim-allow-clock';
const EXEMPT_DIRS = ['src/cli', 'src/report'];

/** The forbidden calls on one line of source that lack the marker. */
function clockUses(line: string): string[] {
  if (line.includes(MARKER)) return [];
  return FORBIDDEN.filter((f) => line.includes(f));
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const path = join(dir, e.name);
    const rel = relative(REPO_ROOT, path).split('\\').join('/');
    if (e.isDirectory()) {
      if (!EXEMPT_DIRS.includes(rel)) out.push(...sourceFiles(path));
    } else if (/\.(ts|js|mjs)$/.test(e.name)) {
      out.push(path);
    }
  }
  return out;
}

const LINES: [line: string, found: string[]][] = [
  ['const t = Date.now();', ['Date.now(']],
  ['const x = Math.random() * 2;', ['Math.random(']],
  ['const t0 = performance.now();', ['performance.now(']],
  ['const stamp = new Date().toISOString();', ['new Date()']],
  ['const a = Date.now() + Math.random();', ['Date.now(', 'Math.random(']],
  ['const started = performance.now(); // ksim-allow-clock: wall time goes to run.json only', []],
  ['const rng = streams.stream("faults"); rng.next();', []],
  ['const d = new Date(0);', []],
  ['sim.now + delayUs', []],
];

for (const [line, found] of LINES) {
  test(`the lint finds ${found.length === 0 ? 'nothing' : found.join(' and ')} in: ${line}`, () => {
    assert.deepEqual(clockUses(line), found);
  });
}

test('src/ reads no wall clock or unseeded randomness without a ksim-allow-clock marker', () => {
  const files = sourceFiles(join(REPO_ROOT, 'src'));
  assert.ok(files.some((f) => f.endsWith('engine/simulation.ts')), 'the scan reaches src/engine');
  assert.ok(!files.some((f) => f.includes('/src/cli/')), 'src/cli is exempt');
  const offences: string[] = [];
  for (const f of files) {
    readFileSync(f, 'utf8').split('\n').forEach((line, i) => {
      for (const use of clockUses(line)) offences.push(`${relative(REPO_ROOT, f)}:${i + 1}: ${use} without a ${MARKER} marker`);
    });
  }
  assert.deepEqual(offences, []);
});
