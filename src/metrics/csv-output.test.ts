// The CSV writer: what it writes, read back from the file by a CSV parser, is what it was given;
// streamed files are byte-identical to the ones written whole.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { CsvFileSink, csvLine, toCsv, writeOutputsAtomically } from './csv-output.js';
import type { Row } from './collector.js';

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

const COLUMNS = ['time_s', 'pod', 'reason', 'n'];
const ROWS: Row[] = [
  { time_s: '0.5', pod: 'web-1', reason: '', n: 0 },
  { time_s: '1', pod: 'web-2', reason: '0/3 nodes are available: 1 Insufficient cpu, 2 node(s) had untolerated taint {dedicated: gpu}.', n: 12 },
  { time_s: '2', pod: 'q"uote', reason: 'say "hi"', n: -1.25 },
  { time_s: '3', pod: 'lines', reason: 'a\nb\rc', n: 1e21 },
  { time_s: '4', pod: 'missing' },
];

test('csvLine quotes as csv-stringify does, row by row', () => {
  const whole = toCsv({ file: 'x.csv', columns: COLUMNS, rows: ROWS });
  const header = csvLine(Object.fromEntries(COLUMNS.map((c) => [c, c])), COLUMNS);
  assert.equal(header + ROWS.map((r) => csvLine(r, COLUMNS)).join(''), whole);
});

test('a CsvFileSink writes the same file as toCsv, also past its buffer size', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ksim-sink-'));
  const many: Row[] = [];
  for (let i = 0; i < 3000; i++) many.push(...ROWS.map((r) => ({ ...r, time_s: `${i}` })));
  for (const [name, rows] of [['empty', []], ['tricky', ROWS], ['many', many]] as const) {
    const sink = new CsvFileSink(join(dir, `${name}.csv`), COLUMNS);
    for (const r of rows) sink.add(r);
    sink.close();
    assert.equal(readFileSync(join(dir, `${name}.csv`), 'utf8'), toCsv({ file: 'x.csv', columns: COLUMNS, rows }), name);
    assert.equal(sink.rows, rows.length, name);
  }
});
