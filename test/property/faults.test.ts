// Property-based tests over random small scenarios with node faults and recovery
// (faultyScenarioArb, src/testing/arbitraries.ts: nodeDown, zoneOutage, partition, kubeletFlap,
// mostly ending): every generated scenario runs with the invariant checker (placements legal,
// accounting, graceful deletion, pending-feasible) without a violation; its tables add up
// (harness.ts, relaxed for NotReady nodes and evictions); no pod stays on a node past the
// eviction deadline of a NoExecute taint it does not tolerate (eviction-deadlines.ts); and no
// pod stays pending for long while some node could take it (completeness.ts: replacements are
// bound once feasible).
//
// `npm test` runs a bounded number of cases with a fixed seed; KSIM_PROPERTY_RUNS (and
// KSIM_PROPERTY_SEED, KSIM_PROPERTY_PATH) as in scenarios.test.ts. A failure is shrunk and
// written to test/regressions/ like the other properties'.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { faultyScenarioArb } from '../../src/testing/arbitraries.js';
import { checkScenarioText, EventBudgetExceeded, table, writeRegression } from './harness.js';
import { EvictionDeadlineTracker } from './eviction-deadlines.js';

const FIXED_SEED = 20261202;
const DEFAULT_RUNS = 30;

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

const NAME = 'generated scenarios with node faults and recovery run without breaking an invariant, evict by the deadlines and bind replacements once feasible';

test(NAME, (t) => {
  let scenarios = 0;
  let evicted = 0;
  let notReadySamples = 0;
  let bound = 0;
  let submitted = 0;
  const details = fc.check(
    fc.property(faultyScenarioArb(), (g) => {
      try {
        const tracker = new EvictionDeadlineTracker();
        const r = checkScenarioText(g.yaml, 'generated-faults.yaml', { faults: true, onCheck: tracker.check, onStart: tracker.watch });
        scenarios++;
        evicted += Number(r.summary['pods_evicted']);
        bound += Number(r.summary['pods_bound']);
        submitted += Number(r.summary['pods_submitted']);
        notReadySamples += table(r, 'timeseries.csv').rows.filter((row) => Number(row['nodes_not_ready']) > 0).length;
      } catch (e) {
        if (e instanceof EventBudgetExceeded) fc.pre(false);
        throw e;
      }
    }),
    { seed, numRuns: runs, ...(path !== undefined && path !== '' ? { path } : {}) },
  );
  t.diagnostic(`faults: seed ${seed}, ${details.numRuns} runs, ${details.numSkips} skipped (over the event budget), ${details.numShrinks} shrinks`);
  t.diagnostic(`faults: of ${scenarios} scenarios run to the end, ${notReadySamples} timeseries samples with a NotReady node, ${evicted} pods evicted; ${bound} of ${submitted} pods bound`);
  if (!details.failed) return;
  const g = details.counterexample?.[0];
  if (g === undefined) assert.fail(`faults property failed without a counterexample (seed ${seed}): ${String(details.errorInstance)}`);
  const file = writeRegression({ yaml: g.yaml, error: details.errorInstance, seed, path: details.counterexamplePath ?? '', property: 'faults', testName: NAME });
  const msg = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
  assert.fail(`faults property: failed after ${details.numRuns} runs and ${details.numShrinks} shrinks (seed ${seed}, path ${details.counterexamplePath}); shrunk scenario written to ${file}\n${msg}`);
});
