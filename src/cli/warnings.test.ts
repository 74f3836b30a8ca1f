import { test } from 'node:test';
import assert from 'node:assert/strict';
import { warningLine } from './warnings.js';

test('warningLine: one line with its newline when stderr is not a terminal (the tests\' pipe), broken between words on a terminal of 40 columns', () => {
  const w = 'Deployment default/churn ends with 9821 of 10000 replicas ready: 179 bound, not Running yet';
  assert.equal(process.stderr.isTTY === true, false);
  assert.equal(warningLine(w), `ksim: warning: ${w}\n`);
  const stderr = process.stderr as { isTTY: boolean | undefined; columns: number | undefined };
  const was = { isTTY: stderr.isTTY, columns: stderr.columns };
  stderr.isTTY = true;
  stderr.columns = 40;
  try {
    const lines = warningLine(w).trimEnd().split('\n');
    assert.ok(lines.length > 1);
    for (const l of lines) assert.ok(l.length <= 39, l);
    assert.equal(lines.join(' ').replace(/\s+/g, ' '), `ksim: warning: ${w}`);
  } finally {
    stderr.isTTY = was.isTTY;
    stderr.columns = was.columns;
  }
});
