// The CSV writer: what it writes, read back from the file by a CSV parser, is what it was given;
// streamed files are byte-identical to the ones written whole.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { checkOutputFolder, CsvFileSink, csvLine, formatRow, MemorySink, NULL_SINK, OutputFolder, rowValues, toCsv, writeOutputsAtomically } from './csv-output.js';
import type { Column } from './schema.js';
import type { Row } from './collector.js';
import { tempDir } from '../testing/temp-dir.js';

test('fields with commas, quotes and line breaks are quoted, and read back whole from the written file', () => {
  const rows = [
    { time_s: '1.5', pod: 'web-0', reason: '0/3 nodes are available: 1 Insufficient memory, 2 Insufficient cpu.', node: '' },
    { time_s: '2', pod: 'web-1', reason: 'taint {dedicated: "gpu"}, tolerated for 300s', node: 'n-1' },
    { time_s: '3', pod: 'web-2', reason: 'line one\nline two', node: 'n,2' },
  ];
  const columns = ['time_s', 'pod', 'node', 'reason'];
  const dir = join(tempDir('ksim-csv-'), 'out');
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
  const dir = tempDir('ksim-sink-');
  const many: Row[] = [];
  for (let i = 0; i < 3000; i++) many.push(...ROWS.map((r) => ({ ...r, time_s: `${i}` })));
  for (const [name, rows] of [['empty', []], ['tricky', ROWS], ['many', many]] as const) {
    const sink = new CsvFileSink(join(dir, `${name}.csv`), COLUMNS.map((c) => ({ name: c, type: 'string' as const, unit: '', description: '' })));
    for (const r of rows) sink.add(r);
    sink.close();
    assert.equal(readFileSync(join(dir, `${name}.csv`), 'utf8'), toCsv({ file: 'x.csv', columns: COLUMNS, rows }), name);
    assert.equal(sink.rows, rows.length, name);
  }
});

test('the writer formats typed rows by column type: decimals to their digits without trailing zeros, NaN and null empty, integers as numbers, booleans true/false', () => {
  const cols: Column[] = [
    { name: 't_s', type: 'decimal', unit: 's', digits: 6, description: '' },
    { name: 'w_ms', type: 'decimal', unit: 'ms', digits: 3, description: '' },
    { name: 'n', type: 'integer', unit: 'count', description: '' },
    { name: 'ok', type: 'boolean', unit: '', description: '' },
    { name: 's', type: 'string', unit: '', description: '' },
  ];
  const cases: [Record<string, string | number | boolean | null>, Row][] = [
    // 1.5 s; 0.0004 ms rounds to 0 at 3 digits; 12 stays a number.
    [{ t_s: 1.5, w_ms: 0.0004, n: 12, ok: true, s: 'a,b' }, { t_s: '1.5', w_ms: '0', n: 12, ok: 'true', s: 'a,b' }],
    // 1/3 s to 6 digits; 2.25 ms keeps its 2 digits; null and NaN empty.
    [{ t_s: 1 / 3, w_ms: 2.25, n: null, ok: false, s: null }, { t_s: '0.333333', w_ms: '2.25', n: '', ok: 'false', s: '' }],
    [{ t_s: Number.NaN, w_ms: null, n: 0, ok: null, s: '' }, { t_s: '', w_ms: '', n: 0, ok: '', s: '' }],
  ];
  for (const [typed, want] of cases) assert.deepEqual(formatRow(typed, cols), want);
  const m = new MemorySink(cols);
  for (const [typed] of cases) m.add(typed);
  NULL_SINK.add(cases[0]![0]);
  assert.equal(toCsv({ file: 'x.csv', columns: cols.map((c) => c.name), rows: m.rows }), 't_s,w_ms,n,ok,s\n1.5,0,12,true,"a,b"\n0.333333,2.25,,false,\n,,0,,\n');
});

test('an output folder may be absent, empty or a previous ksim output (run.json); anything else is refused', () => {
  const root = tempDir('ksim-out-');
  checkOutputFolder(join(root, 'absent'));
  mkdirSync(join(root, 'empty'));
  checkOutputFolder(join(root, 'empty'));
  mkdirSync(join(root, 'previous'));
  writeFileSync(join(root, 'previous', 'run.json'), '{}');
  writeFileSync(join(root, 'previous', 'summary.csv'), 'x\n');
  checkOutputFolder(join(root, 'previous'));
  mkdirSync(join(root, 'mine'));
  writeFileSync(join(root, 'mine', 'notes.txt'), 'keep me');
  writeFileSync(join(root, 'mine', 'todo.txt'), 'keep me');
  assert.throws(() => checkOutputFolder(join(root, 'mine')), /expected an empty or previous ksim output folder \(with run\.json\); ksim replaces the whole folder, got a folder with 2 other entries/);
  writeFileSync(join(root, 'file'), 'x');
  assert.throws(() => checkOutputFolder(join(root, 'file')), /expected an output folder, got an existing file/);
  assert.throws(() => new OutputFolder(join(root, 'mine'), 't'), /ksim replaces the whole folder/);
  assert.equal(readFileSync(join(root, 'mine', 'notes.txt'), 'utf8'), 'keep me');
});

test('OutputFolder: streamed and final files replace the previous output whole; leftovers of a killed run go; abort writes nothing', () => {
  const root = tempDir('ksim-out-');
  const dir = join(root, 'out');
  writeOutputsAtomically(dir, [{ file: 'run.json', content: '{"n":1}' }, { file: 'old.csv', content: 'a\n' }], 'one');
  // A run killed earlier left its temporary and replaced folders beside the output.
  mkdirSync(join(root, 'out.ksim-tmp-dead'));
  mkdirSync(join(root, 'out.ksim-old-dead'));
  mkdirSync(join(root, 'other.ksim-tmp-x')); // not this output's: kept
  const f = new OutputFolder(dir, 'two');
  assert.deepEqual(readdirSync(root).sort(), ['other.ksim-tmp-x', 'out', 'out.ksim-tmp-two']);
  const cols: Column[] = [{ name: 'v', type: 'integer', unit: 'count', description: '' }];
  const sink = f.stream('rows.csv', cols);
  sink.add({ v: 7 });
  // write: the streamed file is complete in the working folder before the swap (the report
  // reads it there).
  f.write([{ file: 'extra.txt', content: 'x' }]);
  assert.equal(readFileSync(join(f.workingDir, 'rows.csv'), 'utf8'), 'v\n7\n');
  const paths = f.commit([{ file: 'run.json', content: '{"n":2}' }]);
  assert.deepEqual(paths, [join(dir, 'rows.csv'), join(dir, 'run.json')]);
  assert.deepEqual(readdirSync(root).sort(), ['other.ksim-tmp-x', 'out']);
  assert.deepEqual(readdirSync(dir).sort(), ['extra.txt', 'rows.csv', 'run.json']); // old.csv went with the old output
  assert.equal(readFileSync(join(dir, 'rows.csv'), 'utf8'), 'v\n7\n');
  assert.equal(readFileSync(join(dir, 'run.json'), 'utf8'), '{"n":2}');
  // An interrupted run: nothing of it is left, the previous output stays.
  const g = new OutputFolder(dir, 'three');
  g.stream('rows.csv', cols).add({ v: 8 });
  g.abort();
  g.abort();
  assert.deepEqual(readdirSync(root).sort(), ['other.ksim-tmp-x', 'out']);
  assert.equal(readFileSync(join(dir, 'rows.csv'), 'utf8'), 'v\n7\n');
  // A folder in a parent that does not exist yet.
  writeOutputsAtomically(join(root, 'a', 'b'), [{ file: 'run.json', content: '{}' }], 'four');
  assert.deepEqual(readdirSync(join(root, 'a', 'b')), ['run.json']);
});

test('rowValues: numbers of decimal and integer columns as numbers, empty cells as null, text as text', () => {
  const cols: Column[] = [
    { name: 'r', type: 'decimal', unit: 'ratio', digits: 6, description: '' },
    { name: 'e', type: 'decimal', unit: 'ratio', digits: 6, description: '' },
    { name: 'n', type: 'integer', unit: 'count', description: '' },
    { name: 'z', type: 'integer', unit: 'count', description: '' },
    { name: 's', type: 'string', unit: '', description: '' },
    { name: 'd', type: 'string', unit: '', description: '' },
    { name: 'x', type: 'decimal', unit: 'ratio', digits: 6, description: '' },
  ];
  // '' in a decimal column is null, not Number('') = 0; a digit string in a string column stays
  // text; a decimal column holding text that is no number stays text; absent columns are left out.
  assert.deepEqual(rowValues({ r: '0.25', e: '', n: 12, z: '', s: 'a', d: '42', x: 'n/a' }, cols), { r: 0.25, e: null, n: 12, z: null, s: 'a', d: '42', x: 'n/a' });
  assert.deepEqual(rowValues({ s: '' }, cols), { s: null });
});

test('a CsvFileSink reads each named value, whatever characters the name has, and leaves a missing one empty', () => {
  const names = ['plain', 'with space', 'quote"d', "apo'strophe", 'back\\slash', 'line\nbreak', '__proto__x', 'missing'];
  const row = { plain: 1, 'with space': 'a,b', 'quote"d': true, "apo'strophe": null, 'back\\slash': 2.5, 'line\nbreak': 'x', __proto__x: 'p' };
  const dir = tempDir('ksim-extract-');
  const sink = new CsvFileSink(join(dir, 'x.csv'), names.map((n) => ({ name: n, type: 'string' as const, unit: '', description: '' })));
  sink.add(row);
  sink.close();
  assert.equal(readFileSync(join(dir, 'x.csv'), 'utf8'), 'plain,with space,"quote""d",apo\'strophe,back\\slash,"line\nbreak",__proto__x,missing\n1,"a,b",true,,2.5,x,p,\n');
});
