// The README's "Outputs" tables document every column of every output file, in order, and no
// column the schema (schema.ts) does not have; the schema's own entries are complete.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { repoPath } from '../testing/repo-paths.js';
import { columnNames, columnsOf, SCHEMAS, type OutputFileName } from './schema.js';

/** The column names of each file's table in the README's Outputs section: the first cell of each
 * row, split at commas, backticks removed. */
function readmeColumns(): Map<string, string[]> {
  const text = readFileSync(repoPath('README.md'), 'utf8');
  const start = text.indexOf('\n## Outputs\n');
  const section = text.slice(start, text.indexOf('\n## ', start + 1));
  const out = new Map<string, string[]>();
  let file: string | null = null;
  for (const line of section.split('\n')) {
    const heading = /^\*\*`([a-z_]+\.csv)`\*\*/.exec(line);
    if (heading !== null) {
      file = heading[1] as string;
      out.set(file, []);
      continue;
    }
    if (file === null || !line.startsWith('| ') || line.startsWith('| column |')) continue;
    const cell = line.split('|')[1] as string;
    for (const name of cell.split(',')) out.get(file)!.push(name.trim().replaceAll('`', ''));
  }
  return out;
}

test('the README documents every column of every output file, in order, and none the files do not have', () => {
  const readme = readmeColumns();
  assert.deepEqual([...readme.keys()].sort(), Object.keys(SCHEMAS).sort());
  for (const file of Object.keys(SCHEMAS) as OutputFileName[]) {
    assert.deepEqual(readme.get(file), SCHEMAS[file].map((c) => c.name), file);
  }
});

test('every column has a type, a unit matching its name suffix, and a one-line description', () => {
  // The first matching suffix decides (`_gpu_milli` is milli-GPU, other `_milli` millicores).
  const suffixUnit: [RegExp, string][] = [[/_s$/, 's'], [/_ms$/, 'ms'], [/_ratio$/, 'ratio'], [/_gpu_milli$/, 'milli-GPU'], [/_milli$/, 'millicores'], [/_bytes$/, 'bytes'], [/_pct$/, 'percent']];
  for (const [file, cols] of Object.entries(SCHEMAS)) {
    for (const c of cols) {
      const match = suffixUnit.find(([re]) => re.test(c.name));
      if (match !== undefined) assert.equal(c.unit, match[1], `${file} ${c.name}`);
      if (c.type === 'decimal') assert.ok(c.digits !== undefined, `${file} ${c.name}`);
      assert.ok(c.description.length > 0 && !c.description.includes('\n'), `${file} ${c.name}`);
    }
  }
});

test('templated columns expand per extended resource and per group, in the order given', () => {
  assert.deepEqual(columnNames('nodes.csv', { resources: ['example.com/a', 'nvidia.com/gpu'] }).slice(10), [
    'example.com/a_requested', 'example.com/a_allocatable', 'nvidia.com/gpu_requested', 'nvidia.com/gpu_allocatable',
  ]);
  const ts = columnNames('timeseries.csv', { resources: ['nvidia.com/gpu'], groups: ['a', 'b'], groupKey: 'pool' });
  assert.deepEqual(ts.slice(11, 12), ['nvidia.com/gpu_requested_ratio']);
  assert.deepEqual(ts.slice(16), [
    'pool=a:nodes_ready', 'pool=a:nodes_not_ready', 'pool=a:pods_running', 'pool=a:pods_available', 'pool=a:cpu_requested_ratio', 'pool=a:memory_requested_ratio', 'pool=a:nvidia.com/gpu_requested_ratio',
    'pool=b:nodes_ready', 'pool=b:nodes_not_ready', 'pool=b:pods_running', 'pool=b:pods_available', 'pool=b:cpu_requested_ratio', 'pool=b:memory_requested_ratio', 'pool=b:nvidia.com/gpu_requested_ratio',
  ]);
  // pods.csv: a <resource>_requested per extended resource at its end, none without.
  assert.deepEqual(columnNames('pods.csv', { resources: ['example.com/a', 'nvidia.com/gpu'] }).slice(21), ['example.com/a_requested', 'nvidia.com/gpu_requested']);
  assert.equal(columnNames('pods.csv').at(-1), 'memory_requested_bytes');
  // No extended resource, no group: the 15 cluster columns.
  assert.equal(columnsOf('timeseries.csv').length, 15);
});

test('summary.csv has the three GPU-sharing columns only for runs that share GPUs, at its end', () => {
  const plain = columnNames('summary.csv');
  const gpu = columnNames('summary.csv', { gpuSharing: true });
  assert.equal(plain.some((c) => c.startsWith('gpu_')), false);
  assert.deepEqual(gpu.slice(0, plain.length), plain);
  assert.deepEqual(gpu.slice(plain.length), ['gpu_unallocated_at_100_pct', 'gpu_unallocated_at_130_pct', 'gpu_fragmentation_at_100_pct']);
});
