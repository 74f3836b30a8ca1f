// The hostile-input corpus for trace readers (test/bad-input/traces/): each broken trace, given
// to a scenario's workload trace entry, is refused with exactly the message below (file:line:
// column, the column, what was expected, what was found) — at load for a bad header, during the
// run for a bad row — and through the CLI with exit code 2, one line on stderr, no output folder.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError, loadScenario, runScenario } from '../src/index.js';
import { KSIM_BIN, REPO_ROOT } from '../src/testing/repo-paths.js';
import { tempDir } from '../src/testing/temp-dir.js';

const DIR = `${REPO_ROOT}test/bad-input/traces`;

const CASES: [file: string, format: string, message: string][] = [
  ['unknown-column.csv', 'ksim-csv', 'unknown-column.csv:1:4: mem: expected a ksim-csv column (time_s, name, namespace, cpu, memory, duration_s, delete_s, priority, labels, node_selector, tolerations) or an extended resource name such as nvidia.com/gpu, got unknown column "mem"'],
  ['unclosed-quote.csv', 'ksim-csv', 'unclosed-quote.csv:3:1: expected well-formed CSV, got Quote Not Closed: the parsing is finished with an opening quote at line 3'],
  ['text-after-quote.csv', 'ksim-csv', 'text-after-quote.csv:3:1: expected well-formed CSV, got "y" at line 3 instead of delimiter, record delimiter, trimable character (if activated) or comment'],
  ['short-row.csv', 'ksim-csv', 'short-row.csv:3:1: expected 3 fields, as in the header, got 2'],
  ['out-of-order.csv', 'ksim-csv', "out-of-order.csv:4:1: time_s: expected rows in time order (this row's time is before line 3's), got 1"],
  ['utf16.csv', 'ksim-csv', 'utf16.csv: expected a text trace in UTF-8, got UTF-16 text (save the file as UTF-8)'],
  ['openb-negative-gpu.csv', 'alibaba-gpu-2023', 'openb-negative-gpu.csv:2:5: gpu_milli: expected an integer number of milli-GPUs from 0 to 1000, got "-5"'],
  ['short-line.swf', 'swf', 'short-line.swf:1:1: expected 18 whitespace-separated fields (a Standard Workload Format job line), got 17'],
  ['not-gzip.swf.gz', 'swf', 'not-gzip.swf.gz: expected a gzip file (the name ends in .gz), got data gunzip cannot read (Z_DATA_ERROR)'],
  ['pod-without-image.jsonl', 'ksim-events', 'pod-without-image.jsonl:1:123: object.spec.containers[0].image: expected an image name, got nothing'],
  ['truncated.jsonl', 'ksim-events', 'truncated.jsonl:1:36: expected valid JSON (a value: an object, array, string, number, true, false or null), got the end of the line'],
];

function scenarioFor(file: string, format: string): string {
  const dir = tempDir('ksim-bad-trace-');
  const path = join(dir, 's.yaml');
  writeFileSync(path, `apiVersion: ksim/v1alpha1
kind: Scenario
duration: 1m
cluster: { nodePools: [{ name: n, count: 1, allocatable: { cpu: "4", memory: 8Gi } }] }
workload:
- name: t
  trace: { format: ${format}, file: ${DIR}/${file} }
`);
  return path;
}

for (const [file, format, message] of CASES) {
  test(`${file} is refused with its row, column and expectation`, () => {
    const path = scenarioFor(file, format);
    assert.throws(() => runScenario(loadScenario(path)), (e: unknown) => {
      assert.ok(e instanceof InputError, String(e));
      assert.equal(e.message.replace(`${DIR}/`, ''), message);
      return true;
    });
  });
}

test('a bad trace row through the CLI: exit 2, one line on stderr, no output folder', () => {
  const path = scenarioFor('out-of-order.csv', 'ksim-csv');
  const out = join(tempDir('ksim-bad-trace-out-'), 'res');
  const r = spawnSync(process.execPath, [KSIM_BIN, 'run', path, '-o', out], { encoding: 'utf8' });
  assert.equal(r.status, 2);
  assert.equal(r.stderr.trim().split('\n').length, 1);
  assert.match(r.stderr, /out-of-order\.csv:4:1: time_s: expected rows in time order/);
  assert.equal(existsSync(out), false);
});

test('a node named twice in a cluster.trace node list is refused at its row of the list, not at the scenario', () => {
  const dir = tempDir('ksim-bad-trace-');
  writeFileSync(join(dir, 'obn.csv'), 'sn,cpu_milli,memory_mib,gpu,model\nopenb-node-0000,64000,262144,2,P100\nopenb-node-0000,64000,262144,2,P100\n');
  writeFileSync(join(dir, 's.yaml'), 'apiVersion: ksim/v1alpha1\nkind: Scenario\ncluster:\n  trace: { format: alibaba-gpu-2023, file: obn.csv }\n');
  assert.throws(() => loadScenario(join(dir, 's.yaml')), (e: unknown) => {
    assert.ok(e instanceof InputError, String(e));
    assert.equal(e.message, `${dir}/obn.csv:3:1: sn: expected a node name not used before (also on line 2), got "openb-node-0000"`);
    return true;
  });
});
