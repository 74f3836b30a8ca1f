import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'csv-parse/sync';
import { CHUNK_BYTES, openChunks } from './chunk-source.js';
import { CsvRecords } from './csv-records.js';
import { tempTrace } from './testing.js';

test('CsvRecords reads ahead one 16 KB chunk of rows, not a megabyte', () => {
  // 18-byte rows: a megabyte holds 58,254 of them, a 16 KB chunk 911.
  const rows = Array.from({ length: 100_000 }, (_, i) => `${String(i).padStart(9, '0')},pod,1,2`);
  const rowBytes = (rows[0] as string).length + 1;
  const records = new CsvRecords(openChunks(tempTrace('t.csv', `${rows.join('\n')}\n`), 't.csv'));
  let most = 0;
  let n = 0;
  for (let r = records.next(); r !== null; r = records.next()) {
    most = Math.max(most, records.buffered);
    assert.equal(r.fields[0], String(n).padStart(9, '0'));
    assert.equal(r.line, n + 1);
    n++;
  }
  assert.equal(n, 100_000);
  assert.ok((1 << 20) / rowBytes > 50_000);
  assert.equal(CHUNK_BYTES, 16_384);
  assert.ok(most <= 911, `read ahead ${most} records`);
});

test('CsvRecords gives the same records as one parse when chunks split quoted fields and UTF-8 characters', () => {
  // Rows of varying length with multi-line quoted cells and 2- and 3-byte characters, so that
  // chunk boundaries fall inside quotes, inside characters and between \r and \n.
  const rows: string[] = [];
  for (let i = 0, length = 0; length < 3 * (1 << 20); i++) {
    const cell = i % 7 === 0 ? `"é ${'ü'.repeat(i % 13)}\r\nline ""${i}"" €"` : `v${'x'.repeat(i % 29)}`;
    rows.push(`${i},${cell},${'€'.repeat(i % 5)}`);
    length += (rows[i] as string).length + 2;
  }
  const text = `${rows.join('\r\n')}\r\n`;
  const options = { relax_column_count: true, trim: true, skip_empty_lines: true, bom: true };
  const expected = parse(text, options) as string[][];
  const expectedLines = (parse(text, { ...options, info: true }) as unknown as { info: { lines: number } }[]).map((r) => r.info.lines);
  const records = new CsvRecords(openChunks(tempTrace('t.csv', text), 't.csv'));
  const got: string[][] = [];
  const lines: number[] = [];
  for (let r = records.next(); r !== null; r = records.next()) {
    got.push([...r.fields]);
    lines.push(r.line);
  }
  assert.equal(got.length, rows.length);
  assert.deepEqual(got, expected);
  assert.deepEqual(lines, expectedLines);
  assert.deepEqual(got[7], ['7', `é ${'ü'.repeat(7)}\r\nline "7" €`, '€€']);
});
