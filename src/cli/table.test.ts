// Terminal tables fitted to a width: one line per row when it fits, else headers over two lines
// and stacked sections, else one block per row; prose word-wrapped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fitTable, terminalWidth, wrapText, wrapOnTerminal } from './table.js';

const HEADER = ['node', 'pods', 'cpu requested', 'memory requested'];
const ROWS = [
  ['big-0', '11 → 14', '0.625 → 0.8125', '0.3125 → 0.40625'],
  ['general-4', '3 → 5', '0.625 → 1', '0.3125 → 0.5'],
];

test('a table that fits is one line per row, whatever the width beyond', () => {
  const t = `  node          pods   cpu requested  memory requested
  big-0      11 → 14  0.625 → 0.8125  0.3125 → 0.40625
  general-4    3 → 5       0.625 → 1      0.3125 → 0.5
`;
  assert.equal(fitTable(HEADER, ROWS, 54), t);
  assert.equal(fitTable(HEADER, ROWS, 200), t);
});

test('narrower: headers over two lines first, then the columns stacked in sections that repeat the first', () => {
  const narrow = [['big-0', '11 → 14', '0.625', '0.3125'], ['general-4', '3 → 5', '1', '0.5']];
  assert.equal(fitTable(HEADER, narrow, 44), `                            cpu     memory
  node          pods  requested  requested
  big-0      11 → 14      0.625     0.3125
  general-4    3 → 5          1        0.5
`);
  assert.equal(fitTable(HEADER, ROWS, 53), `                                 cpu
  node          pods       requested
  big-0      11 → 14  0.625 → 0.8125
  general-4    3 → 5       0.625 → 1

                       memory
  node              requested
  big-0      0.3125 → 0.40625
  general-4      0.3125 → 0.5
`);
});

test('a column too wide to fit beside the first: one block per row', () => {
  assert.equal(fitTable(HEADER, ROWS, 28), `  big-0
    pods              11 → 14
    cpu requested     0.625 → 0.8125
    memory requested  0.3125 → 0.40625
  general-4
    pods              3 → 5
    cpu requested     0.625 → 1
    memory requested  0.3125 → 0.5
`);
});

test('short headers are used only when the table does not fit', () => {
  const h = ['metric', 'change', 'significant'];
  const rows = [['pods_bound', '-0.333333', 'no']];
  assert.equal(fitTable(h, rows, 80, [undefined, undefined, 'sig.']), '  metric         change  significant\n  pods_bound  -0.333333           no\n');
  assert.equal(fitTable(h, rows, 30, [undefined, undefined, 'sig.']), '  metric         change  sig.\n  pods_bound  -0.333333    no\n');
});

test('prose wraps at words, continuation lines indented two more; a word longer than the line stays whole', () => {
  assert.equal(wrapText('  Failed runs, left out of the comparison: 2 of 8 candidate runs failed', 30), '  Failed runs, left out of the\n    comparison: 2 of 8\n    candidate runs failed');
  assert.equal(wrapText('ksim compare (runs): results/a-very-long-folder-name/r1 → b', 20), 'ksim compare (runs):\n  results/a-very-long-folder-name/r1\n  → b');
});

test('the width: $COLUMNS when a number, else the terminal\'s, else 80', () => {
  assert.equal(terminalWidth(120, undefined), 120);
  assert.equal(terminalWidth(undefined, undefined), 80);
  assert.equal(terminalWidth(0, undefined), 80);
  assert.equal(terminalWidth(120, '200'), 200);
  assert.equal(terminalWidth(undefined, 'wide'), 80);
  assert.equal(terminalWidth(undefined, '0'), 80);
});

test('a closing "Wrote ..." line is broken between words on an 80-column terminal, and left whole for a pipe', () => {
  const wrote = 'Wrote summary.csv, placements.csv, pods.csv, jobs.csv, timeseries.csv, nodes.csv, workloads.csv, recovery.csv, run.json to L2/ in 10.36 s of wall time (0.65 s loading, 9.57 s simulating and writing).';
  // Before: one line of 193 characters, broken mid-word by the terminal.
  assert.equal(
    wrapOnTerminal(wrote, 80),
    'Wrote summary.csv, placements.csv, pods.csv, jobs.csv, timeseries.csv,\n' +
      '  nodes.csv, workloads.csv, recovery.csv, run.json to L2/ in 10.36 s of wall\n' +
      '  time (0.65 s loading, 9.57 s simulating and writing).',
  );
  assert.equal(wrapOnTerminal(wrote, undefined), wrote);
  assert.equal(wrapOnTerminal(wrote, 250), wrote);
});
