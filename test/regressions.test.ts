// The permanent guard for failures the property tests found (test/property/): every scenario
// under test/regressions/ parses, runs with the invariant checker without a violation, satisfies
// the table properties of test/property/harness.ts, within the harness's event budget; files
// found by the determinism property also give identical tables on a second run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { checkScenarioText, regressionFiles } from './property/harness.js';

const files = regressionFiles();

test('test/regressions/ holds the shrunk scenarios', () => {
  assert.ok(files.length > 0, 'no regression files found (is test/regressions/ missing?)');
});

for (const file of files) {
  test(`regression ${basename(file)}`, () => {
    const text = readFileSync(file, 'utf8');
    checkScenarioText(text, `test/regressions/${basename(file)}`, { determinism: text.includes('property "determinism"') });
  });
}
