// Property-based tests over random small scenarios (src/testing/arbitraries.ts): every generated
// scenario parses, runs with the invariant checker without a violation, and its tables satisfy
// the properties of harness.ts; a few are run twice (the second time without the checker) and
// must give identical tables.
//
// `npm test` runs a bounded number of cases with a fixed seed. More:
//   KSIM_PROPERTY_RUNS=1000 node --test dist/test/property/      (or npm run test:property-long)
// which uses a random seed unless KSIM_PROPERTY_SEED is given. KSIM_PROPERTY_PATH (with the seed)
// replays one failure's shrink path, as printed in a regression file's header.
//
// A failure is shrunk by fast-check and written to test/regressions/<hash>.yaml (the permanent
// guard test/regressions.test.ts runs those files); the test fails naming the file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { scenarioArb, type GeneratedScenario } from '../../src/testing/arbitraries.js';
import type { RunResult } from '../../src/run/run-scenario.js';
import { checkScenarioText, EventBudgetExceeded, table, writeRegression } from './harness.js';

/** The seed of `npm test`'s runs (fixed, so the suite is reproducible). */
const FIXED_SEED = 20261121;
const DEFAULT_RUNS = 60;
const DEFAULT_DETERMINISM_RUNS = 6;

function envInt(name: string): number | undefined {
  const v = process.env[name];
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got ${JSON.stringify(v)}`);
  return n;
}

const longRun = envInt('KSIM_PROPERTY_RUNS');
const runs = longRun ?? DEFAULT_RUNS;
const seed = envInt('KSIM_PROPERTY_SEED') ?? (longRun === undefined ? FIXED_SEED : (Date.now() ^ (Math.random() * 0x100000000)) >>> 0);
const path = process.env['KSIM_PROPERTY_PATH'];

/** What the generated scenarios exercised (a diagnostic line of each property test). */
class Coverage {
  scenarios = 0;
  withBound = 0;
  withFailedAttempts = 0;
  withPreemption = 0;
  withCompletions = 0;
  podsSubmitted = 0;
  podsBound = 0;

  add(r: RunResult): void {
    this.scenarios++;
    const placements = table(r, 'placements.csv').rows;
    const timeseries = table(r, 'timeseries.csv').rows;
    const bound = Number(r.summary['pods_bound']);
    this.podsSubmitted += Number(r.summary['pods_submitted']);
    this.podsBound += bound;
    if (bound > 0) this.withBound++;
    if (placements.some((p) => p['result'] === 'unschedulable' || p['result'] === 'error')) this.withFailedAttempts++;
    if (placements.some((p) => p['result'] === 'preempted')) this.withPreemption++;
    if (timeseries.some((row) => Number(row['pods_succeeded']) > 0)) this.withCompletions++;
  }

  toString(): string {
    return `of ${this.scenarios} scenarios run to the end, ${this.withBound} bound pods, ${this.withFailedAttempts} had failed attempts, ${this.withPreemption} preempted, ${this.withCompletions} completed pods; ${this.podsBound} of ${this.podsSubmitted} pods bound`;
  }
}

/** Runs `check` over generated scenarios; on failure writes the shrunk scenario as a regression
 * file and fails naming it. */
function checkProperty(name: string, testName: string, numRuns: number, check: (g: GeneratedScenario) => RunResult, diagnostic: (s: string) => void): void {
  const coverage = new Coverage();
  const details = fc.check(
    fc.property(scenarioArb(), (g) => {
      try {
        coverage.add(check(g));
      } catch (e) {
        // Too long to check here (see EVENT_BUDGET): skipped, counted in numSkips.
        if (e instanceof EventBudgetExceeded) fc.pre(false);
        throw e;
      }
    }),
    { seed, numRuns, ...(path !== undefined && path !== '' ? { path } : {}) },
  );
  diagnostic(`${name}: seed ${seed}, ${details.numRuns} runs, ${details.numSkips} skipped (over the event budget), ${details.numShrinks} shrinks`);
  diagnostic(`${name}: ${coverage.toString()}`);
  if (!details.failed) return;
  const g = details.counterexample?.[0];
  if (g === undefined) assert.fail(`${name} failed without a counterexample (seed ${seed}): ${String(details.errorInstance)}`);
  const file = writeRegression({ yaml: g.yaml, error: details.errorInstance, seed, path: details.counterexamplePath ?? '', property: name, testName });
  const msg = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
  assert.fail(`${name}: failed after ${details.numRuns} runs and ${details.numShrinks} shrinks (seed ${seed}, path ${details.counterexamplePath}); shrunk scenario written to ${file}\n${msg}`);
}

const INVARIANTS_TEST = 'generated scenarios run without breaking an invariant and their tables add up';
const DETERMINISM_TEST = 'generated scenarios run twice give identical tables';

test(INVARIANTS_TEST, (t) => {
  checkProperty('invariants', INVARIANTS_TEST, runs, (g) => checkScenarioText(g.yaml, 'generated.yaml'), (s) => t.diagnostic(s));
});

test(DETERMINISM_TEST, (t) => {
  checkProperty('determinism', DETERMINISM_TEST, longRun === undefined ? DEFAULT_DETERMINISM_RUNS : Math.max(1, Math.floor(runs / 10)), (g) => checkScenarioText(g.yaml, 'generated.yaml', { determinism: true }), (s) => t.diagnostic(s));
});
