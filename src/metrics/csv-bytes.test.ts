// The byte writer against the string formatters it replaces: every column type, every kind of
// cell, the same bytes as formatRow → csvLine → UTF-8, whatever the buffer size.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CsvByteWriter, rowWriter } from './csv-bytes.js';
import { csvLine, formatRow } from './csv-output.js';
import type { Column, TypedRow } from './schema.js';
import { fmt } from './stats.js';

const COLUMNS: Column[] = [
  { name: 'd6', type: 'decimal', unit: 's', digits: 6, description: '' },
  { name: 'd3', type: 'decimal', unit: 'ms', digits: 3, description: '' },
  { name: 'd0', type: 'decimal', unit: '', digits: 0, description: '' },
  { name: 'i', type: 'integer', unit: 'count', description: '' },
  { name: 'b', type: 'boolean', unit: '', description: '' },
  { name: 's', type: 'string', unit: '', description: '' },
];

const CELLS: (string | number | boolean | null | undefined)[] = [
  null, undefined, 0, -0, 7, 10, 100, 1_000_000, -42, -1.25, 0.5, 0.1234567, 0.000001, 0.0000005, 1.1, 12.000001,
  999_999_999.999999, 1e9, 1e15, 2 ** 53 - 1, 2 ** 53, 1e21, -1e21, 1e-7, Number.NaN, Infinity, -Infinity,
  86_400.5, 3_599.999999, 40.003148, 1.01186,
  // Either side of 2^31, where digits switch from floating-point to integer division.
  2 ** 31 - 1, 2 ** 31, 2 ** 31 + 1, 2 ** 32 + 5, 8 * 2 ** 30, 2147483647.5, 2147483648.25, 10_000_000_000,
  true, false, '', 'text', 'a,b', 'say "hi"', 'a\nb', 'a\rb', '42', 'zone-a', 'é', 'naïve,café', '日本', '😀', 'x\uD800y', '"',
];

function expectedBytes(rows: TypedRow[]): Buffer {
  return Buffer.from(rows.map((r) => csvLine(formatRow(r, COLUMNS), COLUMNS.map((c) => c.name))).join(''), 'utf8');
}

function written(rows: TypedRow[], size: number): Buffer {
  const parts: Buffer[] = [];
  const w = new CsvByteWriter((bytes) => parts.push(Buffer.from(bytes)), size);
  const line = rowWriter(COLUMNS);
  for (const r of rows) line(w, r);
  w.flush();
  return Buffer.concat(parts);
}

test('CsvByteWriter writes what formatCell, csvLine and UTF-8 give, for every column type and kind of cell', () => {
  const rows = CELLS.map((v) => ({ d6: v, d3: v, d0: v, i: v, b: v, s: v }) as unknown as TypedRow);
  assert.deepEqual(written(rows, 1 << 16).toString('utf8'), expectedBytes(rows).toString('utf8'));
  assert.ok(written(rows, 1 << 16).equals(expectedBytes(rows)));
  // A few written out in full, so that the expectation does not rest on the formatters alone.
  const one = (v: unknown) => written([{ d6: v, d3: v, d0: v, i: v, b: v, s: v } as unknown as TypedRow], 64).toString('utf8');
  assert.equal(one(0.000001), '0.000001,0,0,0.000001,0.000001,0.000001\n');
  assert.equal(one(12.000001), '12.000001,12,12,12.000001,12.000001,12.000001\n');
  assert.equal(one(-0), '0,0,0,0,0,0\n');
  assert.equal(one(-42), '-42,-42,-42,-42,-42,-42\n');
  assert.equal(one(2 ** 53), '9007199254740992,9007199254740992,9007199254740992,9007199254740992,9007199254740992,9007199254740992\n');
  assert.equal(one(2 ** 31), '2147483648,2147483648,2147483648,2147483648,2147483648,2147483648\n');
  assert.equal(one(8 * 2 ** 30), '8589934592,8589934592,8589934592,8589934592,8589934592,8589934592\n');
  assert.equal(one(Number.NaN), ',,,NaN,NaN,NaN\n');
  assert.equal(one('say "hi"'), '"say ""hi""","say ""hi""","say ""hi""","say ""hi""","say ""hi""","say ""hi"""\n');
  assert.equal(one(null), ',,,,,\n');
});

test('CsvByteWriter gives the same bytes with any buffer size, a field longer than the buffer included', () => {
  const long = `${'x'.repeat(300)},${'é'.repeat(200)}"`;
  const rows: TypedRow[] = [];
  for (let k = 0; k < 400; k++) {
    const v = CELLS[k % CELLS.length];
    rows.push({ d6: k / 1e6 + 1_000, d3: v, d0: k, i: k % 7 === 0 ? long : k, b: k % 2 === 0, s: k % 13 === 0 ? long : `pod-${k}` } as unknown as TypedRow);
  }
  const expected = expectedBytes(rows);
  for (const size of [1, 7, 64, 1000, 1 << 16]) assert.ok(written(rows, size).equals(expected), `buffer of ${size} bytes`);
});

test('CsvByteWriter.decimal writes what fmt writes over a sweep of seconds and milliseconds', () => {
  const parts: Buffer[] = [];
  const w = new CsvByteWriter((bytes) => parts.push(Buffer.from(bytes)), 4096);
  const expected: string[] = [];
  for (let us = 0; us < 3_000_000_000; us = us * 3 + 7) {
    for (const digits of [6, 3]) {
      const v = us / (digits === 6 ? 1e6 : 1e3);
      w.decimal(v, digits);
      w.newline();
      expected.push(`${fmt(v, digits)}\n`);
    }
  }
  w.flush();
  assert.equal(Buffer.concat(parts).toString('utf8'), expected.join(''));
});
