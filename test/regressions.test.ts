// The permanent guard for failures the property tests found (test/property/): every scenario
// under test/regressions/ parses, runs with the invariant checker without a violation, satisfies
// the table properties of test/property/harness.ts, within the harness's event budget; files
// found by the determinism property also give identical tables on a second run, and files found
// by the faults property are held to its eviction deadlines (with evictions allowed).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { checkScenarioText, regressionFiles } from './property/harness.js';
import { EvictionDeadlineTracker } from './property/eviction-deadlines.js';

const files = regressionFiles();

test('test/regressions/ holds the shrunk scenarios', () => {
  assert.ok(files.length > 0, 'no regression files found (is test/regressions/ missing?)');
});

for (const file of files) {
  test(`regression ${basename(file)}`, () => {
    const text = readFileSync(file, 'utf8');
    // Files the faults property found run as it runs them: evictions allowed, deadlines tracked.
    const faults = text.includes('property "faults"');
    const tracker = new EvictionDeadlineTracker();
    checkScenarioText(text, `test/regressions/${basename(file)}`, {
      determinism: text.includes('property "determinism"'),
      ...(faults ? { faults: true, onCheck: tracker.check, onStart: tracker.watch } : {}),
    });
  });
}
