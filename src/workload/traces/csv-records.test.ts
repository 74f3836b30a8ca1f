import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'csv-parse/sync';
import { CHUNK_BYTES, LineReader, openChunks } from './chunk-source.js';
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
  // The line each row starts on (csv-parse's own `info.lines` counts a CRLF inside a quoted cell
  // as two lines).
  const expectedLines: number[] = [];
  for (let i = 0, line = 1; i < rows.length; i++) {
    expectedLines.push(line);
    line += i % 7 === 0 ? 2 : 1;
  }
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

/** Every record of `text` as [...fields, line]. */
function recordsOf(text: string): (string | number)[][] {
  const records = new CsvRecords(openChunks(tempTrace('t.csv', text), 't.csv'));
  const out: (string | number)[][] = [];
  for (let r = records.next(); r !== null; r = records.next()) out.push([...r.fields, r.line]);
  records.close();
  return out;
}

test('CsvRecords ends rows at LF and CRLF alike, and numbers lines as sed and wc do: a CR inside a line does not start one', () => {
  // A CRLF file edited by `sed '3s/$/,x/'` (the field lands after the CR, the line ends in LF) and
  // a line left with LF only: neither joins the next row, nor shifts the line numbers after it.
  assert.deepEqual(recordsOf('h1,h2\r\n1,2\r\n3,4\r,x\n5,6\n7,8\r\n'), [['h1', 'h2', 1], ['1', '2', 2], ['3', '4', 'x', 3], ['5', '6', 4], ['7', '8', 5]]);
  // An LF file with a CRLF line, and a last line without its end.
  assert.deepEqual(recordsOf('a,b\nc,d\r\ne,f'), [['a', 'b', 1], ['c', 'd', 2], ['e', 'f', 3]]);
  // A quoted cell spanning lines: the record is numbered by the line it starts on (after blank
  // lines too; a CR file's cells span lines by CRs).
  assert.deepEqual(recordsOf('a,"b\r\nc"\r\nd,e\r\n'), [['a', 'b\r\nc', 1], ['d', 'e', 3]]);
  assert.deepEqual(recordsOf('h\n\n\nx,"1\n2\n3"\n\ny,"4\n5"\nz\n'), [['h', 1], ['x', '1\n2\n3', 4], ['y', '4\n5', 8], ['z', 10]]);
  assert.deepEqual(recordsOf('a,b\rc,"d\re"\rf,g\r'), [['a', 'b', 1], ['c', 'd\re', 2], ['f', 'g', 4]]);
  // A file whose first line ends in CR alone (classic Mac OS) is read by CRs.
  assert.deepEqual(recordsOf('\ufeffa,b\rc,d\re,f\r'), [['a', 'b', 1], ['c', 'd', 2], ['e', 'f', 3]]);
});

test('CsvRecords reads a file converted to CRLF twice (lines ending \\r\\r\\n) by its LFs: sed -n numbers, no CR left in the last field', () => {
  // /tmp/h22/odd/bt_crlf.csv: its first line's end (a CR, then a CR and an LF) made it a CR file,
  // every line counted twice (the row `sed -n 4p` shows was reported at line 7).
  assert.deepEqual(recordsOf('h1,h2\r\r\n1,2\r\r\n3,\r\r\n"5",x=y\r\r\n'), [['h1', 'h2', 1], ['1', '2', 2], ['3', '', 3], ['5', 'x=y', 4]]);
  // Mixed with CRLF and LF lines after it.
  assert.deepEqual(recordsOf('a,b\r\r\nc,d\r\ne,f\n'), [['a', 'b', 1], ['c', 'd', 2], ['e', 'f', 3]]);
  // A first line with a stray CR inside it, then CRs and an LF, is still read by CRs (its first
  // line ends in a CR alone).
  assert.deepEqual(recordsOf('a,b\rc\r\r\n'), [['a', 'b', 1], ['c', 2]]);
});

test('The line readers (SWF, JSON Lines) take every CR before an LF off the line', () => {
  const lines = new LineReader(openChunks(tempTrace('t.jsonl', '{"a": 1}\r\r\n{"b": 2}\r\n3\n'), 't.jsonl'));
  const got: [string, number][] = [];
  for (let l = lines.next(); l !== null; l = lines.next()) got.push([l.text, l.line]);
  assert.deepEqual(got, [['{"a": 1}', 1], ['{"b": 2}', 2], ['3', 3]]);
});

test('CsvRecords numbers lines across chunks when CRs inside lines and CRLF pairs fall on chunk boundaries', () => {
  // 3 MiB of LF and CRLF rows, every third after the first with a field appended after its CR
  // (the first line's end decides: a CR alone there would make it a CR file).
  const rows: string[] = [];
  for (let i = 0, length = 0; length < 3 * (1 << 20); i++) {
    rows.push(i % 3 === 1 ? `${i},v${'x'.repeat(i % 17)}\r,y\n` : `${i},w${'é'.repeat(i % 11)}${i % 2 === 0 ? '\r\n' : '\n'}`);
    length += Buffer.byteLength(rows[i] as string);
  }
  const records = new CsvRecords(openChunks(tempTrace('t.csv', rows.join('')), 't.csv'));
  let n = 0;
  for (let r = records.next(); r !== null; r = records.next(), n++) {
    assert.equal(r.line, n + 1);
    assert.deepEqual([r.fields[0], r.fields.length], [String(n), n % 3 === 1 ? 3 : 2]);
  }
  assert.equal(n, rows.length);
});
