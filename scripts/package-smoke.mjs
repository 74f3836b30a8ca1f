#!/usr/bin/env node
// The npm package as a user gets it (issue 14 item 6): `npm pack` (its prepack script builds
// dist/), the tarball installed into an empty folder with its runtime dependencies only, then
// `npx ksim --version`, `npx ksim run` of every scenario the package ships and `npx ksim report`
// of one. Exits 1 on the first failure, with what it ran and printed.
//
//   npm run test:package              (.ci/run runs it after npm test)
//
// The install resolves the dependencies as a user's would (from the registry; npm's cache first),
// so it needs the registry unless the cache already holds them; offline with an empty cache it
// fails at the install step and says so. The temporary folder (ksim-pack-*) is removed at the end.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'ksim-pack-'));

function run(cmd, args, cwd) {
  process.stdout.write(`$ ${[cmd, ...args].join(' ')}\n`);
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.status !== 0) {
    process.stdout.write(`${r.stdout}${r.stderr}`);
    throw new Error(`${cmd} ${args.join(' ')} exited ${r.status ?? r.signal}`);
  }
  return r.stdout;
}

let failed = false;
try {
  run('npm', ['pack', '--silent', '--pack-destination', work], REPO);
  const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'));
  if (tarball === undefined) throw new Error('npm pack made no tarball');
  const app = join(work, 'app');
  rmSync(app, { recursive: true, force: true });
  spawnSync('mkdir', [app]);
  writeFileSync(join(app, 'package.json'), '{ "name": "ksim-smoke", "private": true }\n');
  run('npm', ['install', '--prefer-offline', '--omit=dev', '--no-audit', '--no-fund', join(work, tarball)], app);
  const version = run('npx', ['--no-install', 'ksim', '--version'], app).trim();
  process.stdout.write(`  ${version}\n`);
  const scenarios = readdirSync(join(app, 'node_modules/ksim/scenarios')).filter((f) => f.endsWith('.yaml')).sort();
  if (scenarios.length === 0) throw new Error('the package ships no scenarios');
  // Every shipped scenario runs: the replays of the public traces, whose files are not packaged,
  // are left out of the package (package.json files).
  const runnable = scenarios;
  for (const f of runnable) {
    const out = run('npx', ['--no-install', 'ksim', 'run', `node_modules/ksim/scenarios/${f}`, '-q', '--json', '-o', join('out', f)], app);
    const summary = JSON.parse(out);
    process.stdout.write(`  ${f}: ${summary.pods_bound} pods bound, ${summary.events} events\n`);
  }
  // The report inlines d3 and Observable Plot from the installed dependencies.
  run('npx', ['--no-install', 'ksim', 'report', join('out', runnable[0]), '-o', 'report.html'], app);
  const html = readFileSync(join(app, 'report.html'), 'utf8');
  if (!html.includes('@observablehq/plot v') || !html.includes('https://d3js.org')) throw new Error('report.html lacks the inlined Plot and d3');
  process.stdout.write(`  report.html of ${runnable[0]}: ${Math.round(html.length / 1024)} KiB\n`);
  process.stdout.write(`package ok: ${tarball}, ${runnable.length} scenarios run from the installed package\n`);
} catch (e) {
  process.stdout.write(`package check failed: ${e.message}\n`);
  failed = true;
} finally {
  rmSync(work, { recursive: true, force: true });
}
process.exitCode = failed ? 1 : 0;
