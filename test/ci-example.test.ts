// examples/ci/ksim-regression.yml runs here as GitHub Actions would run its ksim steps: every
// `run:` step that calls ksim, in job order, the sweep job once per matrix cell, with the
// workflow's env, RUNNER_TEMP and GITHUB_STEP_SUMMARY set and `npx ksim` running this checkout.
// Base and candidate are the same commit here, so the gate must pass and post its table.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { KSIM_BIN, REPO_ROOT } from '../src/testing/repo-paths.js';
import { tempDir } from '../src/testing/temp-dir.js';

interface Step { readonly run?: string; readonly uses?: string; readonly with?: Record<string, unknown> }
interface Job { readonly steps: Step[]; readonly needs?: string; readonly strategy?: { matrix: Record<string, (string | number)[]> } }
interface Workflow { readonly env: Record<string, string | number>; readonly jobs: Record<string, Job> }

const WORKFLOW = parseYaml(readFileSync(join(REPO_ROOT, 'examples/ci/ksim-regression.yml'), 'utf8')) as Workflow;

/** The matrix cells of a job (one empty cell without a matrix). */
function cells(job: Job): Record<string, string>[] {
  let out: Record<string, string>[] = [{}];
  for (const [k, vs] of Object.entries(job.strategy?.matrix ?? {})) out = out.flatMap((c) => vs.map((v) => ({ ...c, [k]: String(v) })));
  return out;
}

test('the workflow sweeps base and candidate in shards, merges them and gates on compare', () => {
  assert.deepEqual(Object.keys(WORKFLOW.jobs), ['sweep', 'gate']);
  assert.equal(WORKFLOW.jobs['gate']!.needs, 'sweep');
  assert.deepEqual(cells(WORKFLOW.jobs['sweep']!).map((c) => `${c['variant']}-${c['shard']}`), ['base-1', 'base-2', 'candidate-1', 'candidate-2']);
  const uploads = WORKFLOW.jobs['sweep']!.steps.filter((s) => s.uses?.startsWith('actions/upload-artifact'));
  assert.equal(uploads.length, 1);
});

test('the workflow\'s ksim commands run and the gate passes, posting the markdown table', () => {
  const temp = tempDir('ksim-ci-');
  const bin = join(temp, 'bin');
  spawnSync('mkdir', [bin]);
  // `npx ksim ...` runs this checkout's ksim (in a plugin repository it is the devDependency).
  writeFileSync(join(bin, 'npx'), `#!/bin/sh\n[ "$1" = ksim ] || { echo "npx $1: not ksim" >&2; exit 99; }\nshift\nexec "${process.execPath}" "${KSIM_BIN}" "$@"\n`);
  chmodSync(join(bin, 'npx'), 0o755);
  const summary = join(temp, 'step-summary.md');
  // Fewer seeds than the workflow's 40 keep the test short; the commands are the workflow's.
  const env = { ...process.env, ...Object.fromEntries(Object.entries(WORKFLOW.env).map(([k, v]) => [k, String(v)])), SEEDS: '1-4', RUNNER_TEMP: join(temp, 'runner'), GITHUB_STEP_SUMMARY: summary, PATH: `${bin}:${process.env['PATH'] ?? ''}` };
  let ran = 0;
  for (const job of Object.values(WORKFLOW.jobs)) {
    for (const cell of cells(job)) {
      for (const step of job.steps) {
        if (step.run === undefined || !step.run.includes('npx ksim')) continue;
        const script = step.run.replace(/\$\{\{\s*matrix\.(\w+)\s*\}\}/g, (_, k: string) => cell[k] ?? '');
        assert.doesNotMatch(script, /\$\{\{/, 'every expression is a matrix value');
        const r = spawnSync('bash', ['-e', '-c', script], { cwd: REPO_ROOT, env, encoding: 'utf8' });
        assert.equal(r.status, 0, `${script}\n${r.stderr}`);
        ran++;
      }
    }
  }
  assert.equal(ran, 4 + 2);
  assert.ok(existsSync(join(temp, 'runner', 'base', 'sweep.csv')));
  const md = readFileSync(summary, 'utf8');
  assert.match(md, /^### ksim compare: `.*base` → `.*candidate`\n\n\*\*No regression\.\*\*\n\n- --fail-on sched_latency_p99_ms:\+10%: passed\n- --fail-on pods_unbound_end:\+1: passed\n- --fail-on cpu_requested_mean_ratio:-5%: passed\n/);
  // Base and candidate ran the same seeds: the runs are paired by seed (4 pairs).
  assert.match(md, /\nPaired by seed: /);
  assert.match(md, /\n\| pods_bound \| 4 \| 8 \| 8 \| 0 \| 0\.0% \| \[0, 0\] \| no \|\n/);
});
