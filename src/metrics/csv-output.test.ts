// Streamed CSV files are byte-identical to the ones written whole.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CsvFileSink, csvLine, toCsv } from './csv-output.js';
import type { Row } from './collector.js';

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
