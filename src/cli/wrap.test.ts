import assert from 'node:assert/strict';
import test from 'node:test';
import { wrapForTerminal } from './wrap.js';

const WROTE = 'Wrote summary.csv, placements.csv, pods.csv, jobs.csv, timeseries.csv, nodes.csv, workloads.csv, recovery.csv, run.json to L2/ in 10.36 s of wall time (0.65 s loading, 9.57 s simulating and writing).';

test('a closing line is broken between words to fit an 80-column terminal, and left whole for a pipe', () => {
  assert.equal(
    wrapForTerminal(WROTE, 80),
    'Wrote summary.csv, placements.csv, pods.csv, jobs.csv, timeseries.csv,\n' +
      'nodes.csv, workloads.csv, recovery.csv, run.json to L2/ in 10.36 s of wall time\n' +
      '(0.65 s loading, 9.57 s simulating and writing).',
  );
  assert.ok(wrapForTerminal(WROTE, 80).split('\n').every((l) => l.length <= 79));
  assert.equal(wrapForTerminal(WROTE, undefined), WROTE);
  assert.equal(wrapForTerminal(WROTE, 250), WROTE);
  // A word longer than the line stands alone rather than being cut.
  assert.equal(wrapForTerminal(`Wrote to ${'x'.repeat(30)}/ now`, 25), `Wrote to\n${'x'.repeat(30)}/\nnow`);
});
