// The CSV writer: what it writes, read back from the file by a CSV parser, is what it was given.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { toCsv, writeOutputsAtomically } from './csv-output.js';

test('fields with commas, quotes and line breaks are quoted, and read back whole from the written file', () => {
  const rows = [
    { time_s: '1.5', pod: 'web-0', reason: '0/3 nodes are available: 1 Insufficient memory, 2 Insufficient cpu.', node: '' },
    { time_s: '2', pod: 'web-1', reason: 'taint {dedicated: "gpu"}, tolerated for 300s', node: 'n-1' },
    { time_s: '3', pod: 'web-2', reason: 'line one\nline two', node: 'n,2' },
  ];
  const columns = ['time_s', 'pod', 'node', 'reason'];
  const dir = join(mkdtempSync(join(tmpdir(), 'ksim-csv-')), 'out');
  writeOutputsAtomically(dir, [{ file: 'placements.csv', content: toCsv({ file: 'placements.csv', columns, rows }) }], 'test');
  const text = readFileSync(join(dir, 'placements.csv'), 'utf8');
  assert.equal(text.split('\n')[1], '1.5,web-0,,"0/3 nodes are available: 1 Insufficient memory, 2 Insufficient cpu."');
  assert.deepEqual(parse(text, { columns: true }), rows.map((r) => ({ time_s: r.time_s, pod: r.pod, node: r.node, reason: r.reason })));
});

test('the header is the column list in order, numbers are written as given, and the file ends with a newline', () => {
  const text = toCsv({ file: 'x.csv', columns: ['b', 'a'], rows: [{ a: 1, b: 0.25 }, { a: '', b: 'x' }] });
  assert.equal(text, 'b,a\n0.25,1\nx,\n');
});
