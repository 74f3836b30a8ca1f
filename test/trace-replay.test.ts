// Trace entries end to end: the shared options (window, limit, sampling, speed-up, offset,
// as: Job, onError), merging with the rest of the workload, determinism per seed, and the
// bundled replay scenarios.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError, loadScenario, parseScenario, runScenario, toCsv, type RunResult } from '../src/index.js';
import { prepareRun } from '../src/run/run-scenario.js';
import { repoPath } from '../src/testing/repo-paths.js';
import { sharedTrace, skipWithoutTrace } from '../src/testing/shared-traces.js';
import { readAll } from '../src/workload/traces/testing.js';
import { tempDir } from '../src/testing/temp-dir.js';

const TRACE = [
  'time_s,name,cpu,memory,duration_s,delete_s',
  '0,a,1,1Gi,10,',
  '4,b,1,1Gi,,8',
  '10,c,1,1Gi,20,',
  '20,d,1,1Gi,5,',
  '40,e,1,1Gi,5,',
].join('\n');

function scenario(traceOptions: string, csv = TRACE, extra = ''): string {
  return traceScenario('ksim-csv', 't.csv', csv, traceOptions, extra);
}

/** A 2-minute scenario of two 4-CPU nodes replaying `text` as a trace file `file` of `format`. */
function traceScenario(format: string, file: string, text: string, traceOptions = '', extra = ''): string {
  const dir = tempDir('ksim-replay-');
  writeFileSync(join(dir, file), `${text}\n`);
  writeFileSync(join(dir, 's.yaml'), `apiVersion: ksim/v1alpha1
kind: Scenario
duration: 2m
kubelet: { startupLatency: 0s }
controlPlane: { apiWriteLatency: 0s, watchDelay: 0s, etcd: { fsync: 0s, followerRtt: 0s } }
cluster:
  nodePools: [{ name: n, count: 2, allocatable: { cpu: "4", memory: 16Gi } }]
workload:
${extra}- name: t
  trace: { format: ${format}, file: ${file}${traceOptions} }
`);
  return join(dir, 's.yaml');
}

function placements(r: RunResult): string[][] {
  const t = r.tables.find((x) => x.file === 'placements.csv')!;
  return t.rows.map((row) => [String(Math.round(Number(row['time_s']))), String(row['pod']), String(row['result']), String(row['owner_kind'])]);
}

const at = (rows: string[][], pod: string, result: string) => rows.find((r) => r[1] === pod && r[2] === result)?.[0];

test('trace rows arrive at their times, run their duration and are deleted at delete_s', () => {
  const r = runScenario(loadScenario(scenario('')));
  const rows = placements(r);
  assert.deepEqual(rows.filter((x) => x[2] === 'bound').map((x) => [x[0], x[1]]), [['0', 'a'], ['4', 'b'], ['10', 'c'], ['20', 'd'], ['40', 'e']]);
  // Deleted at 8 s and gone then: the trace's deletion time is when the pod left, so it is a
  // forced deletion, Terminating for no time (30 s of grace would be 30 × speedUp trace seconds).
  assert.equal(at(rows, 'b', 'terminated'), '8');
  const b = r.tables.find((x) => x.file === 'pods.csv')!.rows.find((p) => p['name'] === 'b')!;
  assert.equal(Math.round(Number(b['deleted_s'])), 8);
  assert.deepEqual(r.traces, [{ entry: 't', file: r.traces![0]!.file, rows: 5, rows_filtered: 0, rows_alive_at_start: 0, rows_skipped: 0, rows_tuned_down: 0, pods_topped_up: 0, objects_submitted: 5, first_skipped: '', unknown_fields: 0, first_unknown_field: '' }]);
  assert.equal(r.summary['pods_submitted'], 5);
});

test('a row past the run\'s end is counted as filtered and ends the reading: rows = filtered + skipped + submitted', () => {
  // The 2-minute run submits a, b and c; d (at 1000 s) is read ahead and counted, e (at 2000 s)
  // is read to check that the file goes on in time order, and the rest (f) is never read.
  const r = runScenario(loadScenario(scenario('', ['time_s,name,cpu', '0,a,1', '10,b,1', '100,c,1', '1000,d,1', '2000,e,1', '3000,f,1'].join('\n'))));
  assert.deepEqual(r.traces?.map((t) => [t.rows, t.rows_filtered, t.rows_skipped, t.objects_submitted]), [[5, 2, 0, 3]]);
});

test('a row earlier than the first row past the run\'s or the window\'s end is a time-order error, not a silent end (ksim-csv, swf, ksim-events)', () => {
  const order = (line: number, before: number, got: number, at = '1: time_s') => new RegExp(`:${line}:${at}: expected rows in time order \\(this row's time is before line ${before}'s\\), got ${got}$`);
  const refused = (path: string, re: RegExp) => assert.throws(() => runScenario(loadScenario(path)), (e: unknown) => e instanceof InputError && re.test(e.message), path);
  // b is far past the 2-minute run: c and d, earlier, would never be read.
  refused(scenario('', 'time_s,name,cpu\n0,a,1\n1000000000,b,1\n2,c,1\n3,d,1'), order(4, 3, 2));
  // c is past the window's end (100 s); d, earlier, would never be read.
  refused(scenario(', end: 100', 'time_s,name,cpu\n0,a,1\n50,b,1\n200,c,1\n30,d,1'), order(5, 4, 30));
  const job = (id: number, submit: number) => `${id} ${submit} -1 10 1 -1 -1 -1 -1 -1 -1 1 1 -1 -1 -1 -1 -1`;
  refused(traceScenario('swf', 't.swf', ['; a comment', job(1, 0), job(2, 1000000000), job(3, 2), job(4, 3)].join('\n')), order(4, 3, 2, '2: submit_time'));
  const ev = (at: number) => `{"at": ${at}, "op": "delete", "object": {"kind": "Pod", "metadata": {"name": "p"}}}`;
  refused(traceScenario('ksim-events', 'e.jsonl', [ev(0), ev(1000000000), ev(2)].join('\n')), order(3, 2, 2, '8: at'));
  // onError: skip counts the row as skipped and warns; the reading still ends there (d is not read).
  const r = runScenario(loadScenario(scenario(', onError: skip', 'time_s,name,cpu\n0,a,1\n1000000000,b,1\n2,c,1\n3,d,1')));
  assert.deepEqual(r.traces?.map((t) => [t.rows, t.rows_filtered, t.rows_skipped, t.objects_submitted]), [[3, 1, 1, 1]]);
  assert.match(r.warnings.at(-1)!, /^trace t: 1 malformed row\(s\) skipped \(onError: skip\), first: .*t\.csv:4:1: time_s: expected rows in time order \(this row's time is before line 3's\), got 2$/);
});

test('speedUp divides arrival times, run times and deletions; offset shifts them', () => {
  const r = runScenario(loadScenario(scenario(', speedUp: 2, offset: 10s')));
  const bound = placements(r).filter((x) => x[2] === 'bound').map((x) => [x[0], x[1]]);
  assert.deepEqual(bound, [['10', 'a'], ['12', 'b'], ['15', 'c'], ['20', 'd'], ['30', 'e']]);
  const ts = r.tables.find((t) => t.file === 'timeseries.csv')!;
  assert.ok(ts.rows.length > 0);
});

test('start, end and limit pick the window of trace time and the rows read', () => {
  const win = runScenario(loadScenario(scenario(', start: 4, end: 20s')));
  const winRows = placements(win);
  // a (created at 0, running 10 s) is alive at 4: created at the window's start, it runs the
  // 6 s it had left (ends at trace time 10, simulated 6 s).
  assert.deepEqual(winRows.filter((x) => x[2] === 'bound').map((x) => [x[0], x[1]]), [['0', 'a'], ['0', 'b'], ['6', 'c']]);
  const a = win.tables.find((x) => x.file === 'pods.csv')!.rows.find((p) => p['name'] === 'a')!;
  assert.equal(Math.round(Number(a['finished_s'])), 6);
  // d (at the window's end) is filtered; e is read after d to check the order.
  assert.deepEqual([win.traces![0]!.rows, win.traces![0]!.rows_filtered, win.traces![0]!.rows_alive_at_start, win.traces![0]!.objects_submitted], [5, 2, 1, 3]);
  // Past its run time at 12: a is over, filtered.
  const late = runScenario(loadScenario(scenario(', start: 12, end: 20s')));
  assert.deepEqual(placements(late).filter((x) => x[2] === 'bound').map((x) => [x[0], x[1]]), [['0', 'c']]);
  assert.deepEqual([late.traces![0]!.rows_filtered, late.traces![0]!.rows_alive_at_start, late.traces![0]!.objects_submitted], [4, 1, 1]);
  const lim = runScenario(loadScenario(scenario(', limit: 2')));
  assert.deepEqual(placements(lim).filter((x) => x[2] === 'bound').map((x) => x[1]), ['a', 'b']);
});

test('a window start keeps the pods alive at it (DLRM: created before, deleted after or never): created at the start, deleted at their own times', () => {
  const H = 'instance_sn,role,app_name,cpu_request,cpu_limit,gpu_request,gpu_limit,rdma_request,rdma_limit,memory_request,memory_limit,disk_request,disk_limit,max_instance_per_node,creation_time,scheduled_time,deletion_time';
  const text = [
    H,
    'instance_0,CN,app_0,1,1,0,0,0,0,1.0,1.0,1,1,-1,,,', // before the trace, never deleted
    'instance_1,CN,app_1,1,1,0,0,0,0,1.0,1.0,1,1,-1,100.0,100.0,500.0', // after the start
    'instance_2,CN,app_1,1,1,0,0,0,0,1.0,1.0,1,1,-1,50.0,50.0,', // created before 60, never deleted
    'instance_3,CN,app_1,1,1,0,0,0,0,1.0,1.0,1,1,-1,10.0,10.0,90.0', // alive at 60, deleted at 90
    'instance_4,CN,app_1,1,1,0,0,0,0,1.0,1.0,1,1,-1,10.0,10.0,60.0', // gone at 60
  ].join('\n');
  const r = runScenario(loadScenario(traceScenario('alibaba-gpu-2025', 'd.csv', text, ', start: 60')));
  const rows = placements(r);
  assert.deepEqual(rows.filter((x) => x[2] === 'bound').map((x) => [x[0], x[1]]), [['0', 'instance-0'], ['0', 'instance-3'], ['0', 'instance-2'], ['40', 'instance-1']]);
  assert.equal(at(rows, 'instance-3', 'terminated'), '30');
  const t = r.traces![0]!;
  assert.deepEqual([t.rows, t.rows_filtered, t.rows_alive_at_start, t.objects_submitted], [5, 1, 3, 4]);
});

test('sampling keeps the same rows for a seed, run after run, and other rows for another seed', () => {
  const rows = ['time_s,name,cpu,duration_s', ...Array.from({ length: 200 }, (_, i) => `${i / 4},p-${i},100m,${(i % 7) + 1}`)].join('\n');
  const file = scenario(', sample: 0.3, speedUp: 3', rows);
  const csv = (seed: number) => toCsv(runScenario(loadScenario(file, { seed })).tables.find((t) => t.file === 'placements.csv')!);
  const one = csv(1);
  assert.equal(csv(1), one);
  assert.notEqual(csv(2), one);
  const kept = runScenario(loadScenario(file, { seed: 1 })).traces![0]!;
  assert.equal(kept.objects_submitted + kept.rows_filtered, 200);
  assert.ok(kept.objects_submitted > 40 && kept.objects_submitted < 80, `${kept.objects_submitted} of 200 kept at 0.3`);
});

test('as: Job wraps each row in a Job whose pods carry the run time', () => {
  const r = runScenario(loadScenario(scenario(', as: Job, limit: 1')));
  const rows = placements(r);
  assert.deepEqual(rows.filter((x) => x[2] === 'bound').map((x) => x[3]), ['Job']);
  assert.match(rows.find((x) => x[2] === 'bound')![1]!, /^a-[a-z0-9]{5}$/);
});

test('trace rows merge in time order with the other workload entries', () => {
  const extra = `- name: other
  at: 5s
  manifest: { apiVersion: v1, kind: Pod, metadata: { name: x }, spec: { containers: [{ name: c, image: i }] } }
`;
  const r = runScenario(loadScenario(scenario('', TRACE, extra)));
  assert.deepEqual(placements(r).filter((x) => x[2] === 'bound').map((x) => x[1]), ['a', 'b', 'x', 'c', 'd', 'e']);
});

test('onError: skip counts malformed rows and warns; stop (the default) names file, row and column', () => {
  const bad = TRACE.replace('10,c,1,1Gi,20,', '10,c,lots,1Gi,20,');
  const r = runScenario(loadScenario(scenario(', onError: skip', bad)));
  assert.deepEqual([r.traces![0]!.rows, r.traces![0]!.rows_skipped, r.traces![0]!.objects_submitted], [5, 1, 4]);
  assert.match(r.warnings.at(-1)!, /^trace t: 1 malformed row\(s\) skipped \(onError: skip\), first: .*t\.csv:4:3: cpu: expected a non-negative Kubernetes quantity such as 500m or 2, got "lots"$/);
  assert.throws(() => runScenario(loadScenario(scenario('', bad))), (e: unknown) => e instanceof InputError && /t\.csv:4:3: cpu: expected a non-negative Kubernetes quantity such as 500m or 2, got "lots"$/.test(e.message));
});

test('a repeated pod name is a row error at the later row (exit 2 naming file, row, column and the earlier row), or a skipped row', () => {
  const dup = TRACE.replace('4,b,', '4,a,');
  assert.throws(() => runScenario(loadScenario(scenario('', dup))), (e: unknown) => e instanceof InputError && /t\.csv:3:2: name: expected a pod name not in use at this row's time \(line 2's pod has it until 10 s\), got "a"$/.test(e.message));
  const r = runScenario(loadScenario(scenario(', onError: skip', dup)));
  assert.deepEqual([r.traces![0]!.rows, r.traces![0]!.rows_skipped, r.traces![0]!.objects_submitted], [5, 1, 4]);
  assert.equal(r.warnings.filter((w) => /already exists/.test(w)).length, 0);
});

test('rows out of time order are an error naming the row, and its time field and column as every row error does', () => {
  const refused = (path: string, message: string) =>
    assert.throws(() => runScenario(loadScenario(path)), (e: unknown) => {
      assert.ok(e instanceof InputError, String(e));
      assert.equal(e.message.replace(/^.*\//, ''), message);
      return true;
    });
  refused(scenario('', 'time_s,name\n5,a\n3,b'), "t.csv:3:1: time_s: expected rows in time order (this row's time is before line 2's), got 3");
  // /tmp/h22/odd/unsorted2.csv: time_s in column 2 (it said t.csv:3:1 with no field).
  refused(scenario('', 'name,time_s\na,5\nb,3'), "t.csv:3:2: time_s: expected rows in time order (this row's time is before line 2's), got 3");
  // openb by its clock: creation_time is column 9 (ob_unsorted.csv).
  const OB = 'name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,deletion_time,scheduled_time';
  refused(traceScenario('alibaba-gpu-2023', 'p.csv', [OB, 'p0,1000,1024,0,0,,LS,Running,10,,10', 'p1,1000,1024,0,0,,LS,Running,5,,5'].join('\n')), "p.csv:3:9: creation_time: expected rows in time order (this row's time is before line 2's), got 5");
  // SWF: the submit time is field 2.
  const job = (id: number, submit: number) => `${id} ${submit} -1 10 1 -1 -1 -1 -1 -1 -1 1 1 -1 -1 -1 -1 -1`;
  refused(traceScenario('swf', 't.swf', [job(1, 10), job(2, 5)].join('\n')), "t.swf:2:2: submit_time: expected rows in time order (this row's time is before line 1's), got 5");
  // ksim-events: at `at`'s value, in JSON Lines (its column) and YAML (its own line, not the
  // document's first).
  refused(traceScenario('ksim-events', 'e.jsonl', ['{"at": 10, "op": "delete", "object": {"kind": "Pod", "metadata": {"name": "p"}}}', '{"op": "delete", "at": 5, "object": {"kind": "Pod", "metadata": {"name": "p"}}}'].join('\n')), "e.jsonl:2:24: at: expected rows in time order (this row's time is before line 1's), got 5");
  refused(traceScenario('ksim-events', 'e.yaml', ['at: 10', 'op: delete', 'object: {kind: Pod, metadata: {name: p}}', '---', 'op: delete', 'object: {kind: Pod, metadata: {name: p}}', 'at: 5s'].join('\n')), "e.yaml:7:5: at: expected rows in time order (this row's time is before line 1's), got 5");
});

test('a trace with no rows (a header only, comments only, nothing) runs with a warning naming the file', () => {
  const warned = (path: string) => runScenario(loadScenario(path)).warnings.filter((w) => / no (rows|job lines|events)/.test(w)).map((w) => w.replace(/^.*\//, ''));
  assert.deepEqual(warned(scenario('', 'time_s,name,cpu,memory')), ['t.csv: no rows after the header']);
  assert.deepEqual(warned(traceScenario('swf', 't.swf', '; only\n; comments')), ['t.swf: no job lines']);
  assert.deepEqual(warned(traceScenario('ksim-events', 'e.jsonl', '')), ['e.jsonl: no events']);
  assert.deepEqual(warned(traceScenario('alibaba-gpu-2023', 'p.csv', 'name,cpu_milli,memory_mib,num_gpu,gpu_milli')), ['p.csv: no rows after the header']);
  assert.deepEqual(warned(traceScenario('alibaba-2017', 'b.csv', 'task_create_time,task_end_time,job_id,task_id,number_of_instances,status,cpus,mem')), ['b.csv: no rows after the header']);
  // Rows all outside the window are read: no such warning (run.json counts them as filtered).
  assert.deepEqual(warned(scenario(', start: 1000', TRACE)), []);
});

test('swf jobs with an unknown run time (-1) are left out: counted as filtered, one warning with their number and the first', () => {
  const job = (id: number, submit: number, run: number, procs: number) => `${id} ${submit} -1 ${run} ${procs} -1 -1 -1 -1 -1 -1 1 1 -1 -1 -1 -1 -1`;
  const r = runScenario(loadScenario(traceScenario('swf', 't.swf', ['; header', job(1, 0, 10, 1), job(2, 1, -1, -1), job(3, 2, 10, 1), job(4, 3, -1, 2)].join('\n'))));
  assert.deepEqual(r.traces?.map((t) => [t.rows, t.rows_filtered, t.rows_skipped, t.objects_submitted]), [[4, 2, 0, 2]]);
  assert.deepEqual(r.warnings.filter((w) => w.startsWith('trace t:')).map((w) => w.replace(/first: .*\//, 'first: ')), ['trace t: 2 job(s) with an unknown run time (-1) left out, first: t.swf:3:4']);
});

test('alibaba-2017 rows without a request are counted in rows and rows_filtered, with one warning: rows = filtered + skipped + submitted', () => {
  const h = 'task_create_time,task_end_time,job_id,task_id,number_of_instances,status,cpus,mem';
  // Rows 3 and 5 ask nothing (left out); row 6 is malformed (skipped); row 7 is past end: 100.
  const rows = [h, '0,10,1,1,1,Terminated,50,0.001', '5,0,1,2,1,Waiting,,', '10,20,1,3,1,Terminated,50,0.001', '-5,0,1,4,1,Waiting,,', '20,30,1,5,0,Terminated,50,0.001', '200,300,1,6,1,Terminated,50,0.001'];
  const r = runScenario(loadScenario(traceScenario('alibaba-2017', 'b.csv', rows.join('\n'), ', end: 100, onError: skip')));
  const t = r.traces![0]!;
  assert.deepEqual([t.rows, t.rows_filtered, t.rows_skipped, t.objects_submitted], [6, 3, 1, 2]);
  assert.equal(t.rows, t.rows_filtered + t.rows_skipped + t.objects_submitted);
  assert.deepEqual(r.warnings.filter((w) => w.startsWith('trace t:') && / left out/.test(w)).map((w) => w.replace(/first: .*\//, 'first: ')), ['trace t: 2 task(s) without CPU and memory requests left out, first: b.csv:5:7']);
});

test('a cluster.trace and a workload trace on different clocks (speedUp, offset) are warned about at load, as the README asks for the same', () => {
  // /tmp/h52/odd/sc_mismatch.yaml: machines at speedUp 1, tasks at 34.
  const dir = tempDir('ksim-replay-');
  writeFileSync(join(dir, 'ev.csv'), '0,1,add,,64,0.5,1\n');
  writeFileSync(join(dir, 'b.csv'), 'task_create_time,task_end_time,job_id,task_id,number_of_instances,status,cpus,mem\n0,10,1,1,1,Terminated,50,0.001\n');
  const load = (cluster: string, workload: string) => {
    writeFileSync(join(dir, 's.yaml'), `apiVersion: ksim/v1alpha1\nkind: Scenario\nduration: 1m\ncluster:\n  trace: { format: alibaba-2017, file: ev.csv${cluster} }\nworkload:\n- name: t\n  trace: { format: alibaba-2017, file: b.csv${workload} }\n`);
    return loadScenario(join(dir, 's.yaml')).warnings.filter((w) => /cluster\.trace/.test(w));
  };
  assert.deepEqual(load('', ', speedUp: 34'), ['workload entry "t": its trace\'s speedUp 34 (cluster.trace: 1) differs from cluster.trace\'s: the nodes join and fail on another clock than the pods arrive (give both the same offset and speedUp)']);
  assert.deepEqual(load(', speedUp: 34, offset: 10s', ', speedUp: 34'), ['workload entry "t": its trace\'s offset 0 s (cluster.trace: 10 s) differs from cluster.trace\'s: the nodes join and fail on another clock than the pods arrive (give both the same offset and speedUp)']);
  assert.deepEqual(load(', speedUp: 34, offset: 10s', ', speedUp: 34, offset: 10s'), []);
});

test('a row of many instances creates its pods 1,000 to an event at its time (so the heap watch can act between), every one of them', () => {
  const h = 'task_create_time,task_end_time,job_id,task_id,number_of_instances,status,cpus,mem';
  const rows = [h, '10,20,7,1,2500,Running,1,0.0001', '10,20,7,2,1,Running,1,0.0001'];
  const r = runScenario(loadScenario(traceScenario('alibaba-2017', 'b.csv', rows.join('\n'))), { events: true });
  const arrivals = r.tables.find((x) => x.file === 'events.csv')!.rows.filter((e) => e['kind'] === 'trace.arrive');
  // Two rows: the first in three parts (1,000 + 1,000 + 500), all at the row's time.
  assert.deepEqual(arrivals.map((e) => e['time_s']), ['10', '10', '10', '10']);
  assert.equal(r.summary['pods_submitted'], 2501);
  const names = r.tables.find((x) => x.file === 'pods.csv')!.rows.map((p) => String(p['name']));
  assert.equal(new Set(names).size, 2501);
  assert.ok(names.includes('task-7-1-0') && names.includes('task-7-1-2499') && names.includes('task-7-2'));
});

test('trace entries are checked at load: header, options, file', () => {
  const cases: [string, string, RegExp][] = [
    [', map: { times: ignore }', TRACE, /trace\.map\.times: expected no map options \(format ksim-csv has none\), got unknown option "times"$/],
    [', speedUp: 0', TRACE, /trace\.speedUp: expected a number > 0, got 0$/],
    [', sampel: 0.5', TRACE, /trace\.sampel: expected one of the fields format, file, offset, speedUp, start, end, limit, sample, map, onError, namespace, labels, priorityClassName, schedulerName, tolerations, as, got unknown field "sampel" \(did you mean "sample"\?\)$/],
    ['', 'time_s,name,memroy', /t\.csv:1:3: memroy: expected a ksim-csv column .* got unknown column "memroy" \(did you mean "memory"\?\)$/],
    [', end: 0', TRACE, /trace\.end: expected a trace time after start \(0 s\), got 0$/],
    [', tolerations: [{ key: gpu, operator: Maybe }]', TRACE, /trace\.tolerations\[0\]\.operator: expected Exists or Equal, got "Maybe"$/],
    [', tolerations: [{ key: gpu, operator: Exists, tolerationSeconds: 60 }]', TRACE, /trace\.tolerations\[0\]\.effect: expected NoExecute when tolerationSeconds is set, got nothing$/],
    [', tolerations: [{ key: gpu, operator: Exists, effect: NoSchedule, tolerationSeconds: 60 }]', TRACE, /trace\.tolerations\[0\]\.effect: expected NoExecute when tolerationSeconds is set, got "NoSchedule"$/],
  ];
  for (const [opts, csv, re] of cases) assert.throws(() => loadScenario(scenario(opts, csv)), (e: unknown) => e instanceof InputError && re.test(e.message), opts + csv);
});

test('a scenario naming an absent shared trace says where the bundled traces live', () => {
  const text = `apiVersion: ksim/v1alpha1
kind: Scenario
cluster: { nodePools: [{ name: n, count: 1, allocatable: { cpu: "1", memory: 1Gi } }] }
workload:
- name: t
  trace: { format: swf, file: ../../shared/traces/none/absent.swf }
`;
  assert.throws(() => parseScenario(text, '/tmp/nowhere/s.yaml'), (e: unknown) => e instanceof InputError && e.message === '/tmp/nowhere/s.yaml:6:31: workload[0].trace.file: expected an existing trace file (the bundled example traces are not in the repository: they live in ../shared/traces next to it; see "Replaying traces" in the README), got "../../shared/traces/none/absent.swf": no such file');
});

test('the generated ksim-csv example scenario replays every row', () => {
  const r = runScenario(loadScenario(repoPath('scenarios/trace-ksim-csv.yaml')));
  assert.deepEqual([r.traces![0]!.rows, r.traces![0]!.objects_submitted, r.summary['pods_submitted'], r.summary['pods_unbound_end']], [400, 400, 400, 0]);
});

test('the NASA SWF scenario replays its first week', { skip: skipWithoutTrace('pwa-nasa-ipsc-1993/NASA-iPSC-1993-3.1-cln.swf.gz') }, () => {
  const r = runScenario(loadScenario(repoPath('scenarios/trace-nasa-swf.yaml')), { checkInvariants: 50 });
  // 1,070 jobs in the week; the first one after it ends the reading, and the one after that is
  // read to check the order.
  assert.deepEqual([r.traces![0]!.rows, r.traces![0]!.rows_filtered, r.traces![0]!.objects_submitted, r.summary['pods_submitted']], [1072, 2, 1070, 1070]);
});

test('the DLRM scenario replays a tenth of the instances, CPU-node ones on the cpu pool and GPU-node ones on the gpu pool', { skip: skipWithoutTrace('alibaba-gpu-v2025-dlrm/disaggregated_DLRM_trace.csv') }, () => {
  const r = runScenario(loadScenario(repoPath('scenarios/trace-alibaba-dlrm.yaml')));
  const t = r.traces![0]!;
  // One whole-node instance (192 vCPU), created at 1,725.6 s, waits for a node to empty past the
  // run's end (32 min).
  assert.deepEqual([t.rows, t.rows_filtered, t.rows_skipped, t.objects_submitted, r.summary['pods_submitted'], r.summary['pods_unbound_end']], [23871, 21496, 0, 2375, 2375, 1]);
  // Each instance's labels, from the trace itself.
  const labels = new Map<string, Readonly<Record<string, string>>>();
  for (const it of readAll('alibaba-gpu-2025', sharedTrace('alibaba-gpu-v2025-dlrm/disaggregated_DLRM_trace.csv'))) {
    if (it.kind === 'pod') labels.set(it.pod.name, it.pod.labels ?? {});
  }
  const roles = new Map([...labels].map(([name, l]) => [name, l['alibaba.com/role'] ?? '']));
  const placed = r.tables.find((x) => x.file === 'pods.csv')!.rows.filter((p) => p['node'] !== null && p['node'] !== '');
  const where = new Map<string, number>();
  for (const p of placed) {
    const key = `${roles.get(String(p['name']))} on ${String(p['node']).replace(/-\d+$/, '')}`;
    where.set(key, (where.get(key) ?? 0) + 1);
  }
  assert.deepEqual([...where.keys()].sort(), ['CN on cpu', 'HN on gpu']);
  assert.equal((where.get('CN on cpu') ?? 0) + (where.get('HN on gpu') ?? 0), 2361); // 2360 before etcd committed writes in log order: one more pod on a node
  // MaxInstancesPerNode: at no time does a node run more of an app's instances than their cap.
  const changes: [number, number, string, string][] = [];
  for (const p of placed) {
    const key = `${String(p['node'])} ${labels.get(String(p['name']))?.['alibaba.com/app']}`;
    changes.push([Number(p['bound_s']), 1, key, String(p['name'])]);
    if (p['deleted_s'] !== null && p['deleted_s'] !== '') changes.push([Number(p['deleted_s']), -1, key, String(p['name'])]);
  }
  changes.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const running = new Map<string, number>();
  let capped = 0;
  for (const [, d, key, name] of changes) {
    const n = (running.get(key) ?? 0) + d;
    running.set(key, n);
    const cap = labels.get(name)?.['alibaba.com/max-instance-per-node'];
    if (d === 1 && cap !== undefined) {
      capped++;
      assert.ok(n <= Number(cap), `${key}: ${n} running, cap ${cap}`);
    }
  }
  assert.ok(capped > 1000, `${capped} capped instances bound`);
});

test('the openb and 2017 scenarios load their clusters from the traces', { skip: skipWithoutTrace('alibaba-v2017-batch/server_event.csv') || skipWithoutTrace('alibaba-gpu-v2023-openb/openb_node_list_all_node.csv') }, () => {
  const openb = loadScenario(repoPath('scenarios/trace-openb.yaml'));
  assert.equal(openb.nodes.length, 1523);
  const a17 = loadScenario(repoPath('scenarios/trace-alibaba-2017.yaml'));
  assert.equal(a17.nodes.length, 1313);
  // machine_fail events (at trace times / speedUp 34) as node-down faults of 5 minutes.
  assert.deepEqual(a17.faults?.[0], { kind: 'nodeDown', target: 'm-930', nodes: ['m-930'], atUs: Math.round(777e6 / 34), forUs: 300_000_000, id: 'f1' });
});

/** Runs a 2-minute scenario of one 2-CPU node whose workload is these ksim-events lines. */
function replayEvents(lines: readonly string[], strict = false): ReturnType<typeof runScenario> {
  const dir = tempDir('ksim-events-');
  writeFileSync(join(dir, 'e.jsonl'), lines.join('\n'));
  writeFileSync(join(dir, 's.yaml'), `apiVersion: ksim/v1alpha1
kind: Scenario
duration: 2m
cluster:
  nodePools: [{ name: n, count: 1, allocatable: { cpu: "2", memory: 16Gi } }]
workload:
- name: ev
  trace: { format: ksim-events, file: e.jsonl }
`);
  return runScenario(loadScenario(join(dir, 's.yaml')), { strict });
}

test('ksim-events scale a Deployment, add a node and delete the Deployment at their times', () => {
  const dep = (replicas: number) => `{"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"}, "spec": {"replicas": ${replicas}, "selector": {"matchLabels": {"app": "web"}}, "template": {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [{"name": "c", "image": "x", "resources": {"requests": {"cpu": "1"}}}]}}}}`;
  const r = replayEvents([
    `{"at": 0, "op": "apply", "object": ${dep(2)}}`,
    `{"at": "30s", "op": "apply", "object": ${dep(4)}}`,
    '{"at": 40, "op": "apply", "object": {"apiVersion": "v1", "kind": "Node", "metadata": {"name": "late"}, "status": {"allocatable": {"cpu": "8", "memory": "8Gi", "pods": "110"}}}}',
    '{"at": 60, "op": "delete", "object": {"kind": "Deployment", "metadata": {"name": "web"}}}',
  ]);
  assert.equal(r.summary['pods_submitted'], 4);
  const bound = placements(r).filter((x) => x[2] === 'bound');
  // Two pods at 0 s fill node n-0; the two added at 30 s wait for the node joining at 40 s.
  assert.deepEqual(bound.map((x) => Number(x[0]) < 30 ? 'early' : Number(x[0]) >= 40 ? 'after-join' : 'between'), ['early', 'early', 'after-join', 'after-join']);
  const nodes = r.tables.find((t) => t.file === 'nodes.csv')!;
  assert.deepEqual(nodes.rows.map((n) => [n['node'], n['pods']]), [['n-0', 0], ['late', 0]]);
});

test('ksim-events: a warning about an applied object that is not an unknown field (a CronJob timeZone) is a warning once, not an unknown field, and --strict runs on', () => {
  const cron = (schedule: string) => `{"apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": "c"}, "spec": {"schedule": "${schedule}", "timeZone": "Europe/Berlin", "jobTemplate": {"spec": {"template": {"spec": {"restartPolicy": "Never", "containers": [{"name": "c", "image": "x"}]}}}}}}`;
  const lines = [`{"at": 0, "op": "apply", "object": ${cron('*/5 * * * *')}}`, `{"at": 30, "op": "apply", "object": ${cron('*/10 * * * *')}}`];
  for (const strict of [false, true]) {
    const r = replayEvents(lines, strict);
    assert.deepEqual(r.warnings.filter((w) => w.includes('timeZone')).map((w) => w.replace(/: [^ ]*e\.jsonl/, ': e.jsonl')), ['trace ev: e.jsonl:1:157: object.spec.timeZone: "Europe/Berlin" is not simulated: the schedule runs in UTC (t = 0 is 2026-01-01T00:00:00Z) (and 1 more event(s) alike)']);
    assert.equal(r.traces?.[0]?.unknown_fields, 0);
  }
});

test('ksim-events: deletes of objects that do not exist (a Pod, a Deployment) are counted in one warning naming the first, as the API server answers NotFound', () => {
  const r = replayEvents([
    '{"at": 1, "op": "delete", "object": {"kind": "Pod", "metadata": {"name": "ghost"}}}',
    '{"at": 2, "op": "delete", "object": {"kind": "Deployment", "metadata": {"name": "web", "namespace": "shop"}}}',
  ]);
  assert.deepEqual(r.warnings.filter((w) => w.includes('did not exist')).map((w) => w.replace(/: [^ ]*e\.jsonl/, ': e.jsonl')), ['trace ev: 2 delete(s) of objects that did not exist (the API server answers NotFound), first: e.jsonl:1 (Pod default/ghost)']);
});

test('ksim-events: an apply changing a Job\'s template or a Deployment\'s selector is refused as the API server refuses it (Invalid), counted in one warning naming the first; the objects stay as they were', () => {
  const job = (image: string, parallelism: number) => `{"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "j"}, "spec": {"parallelism": ${parallelism}, "template": {"spec": {"restartPolicy": "Never", "containers": [{"name": "c", "image": "${image}", "resources": {"requests": {"cpu": "100m"}}}]}}}}`;
  const dep = (labels: string, replicas: number) => `{"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"}, "spec": {"replicas": ${replicas}, "selector": {"matchLabels": {${labels}}}, "template": {"metadata": {"labels": {"app": "web", "tier": "web"}}, "spec": {"containers": [{"name": "c", "image": "x", "resources": {"requests": {"cpu": "100m"}}}]}}}}`;
  const r = replayEvents([
    `{"at": 0, "op": "apply", "object": ${job('x', 1)}}`,
    `{"at": 0, "op": "apply", "object": ${dep('"app": "web"', 1)}}`,
    `{"at": 10, "op": "apply", "object": ${job('y', 2)}}`,
    `{"at": 20, "op": "apply", "object": ${dep('"app": "web", "tier": "web"', 3)}}`,
    `{"at": 30, "op": "apply", "object": ${job('x', 2)}}`,
  ]);
  assert.deepEqual(r.warnings.filter((w) => w.includes('Invalid')).map((w) => w.replace(/: [^ ]*e\.jsonl/, ': e.jsonl')), ['trace ev: 2 update(s) refused by the API server as Invalid (a field an update may not change was changed; the object stays as it was), first: e.jsonl:3 (Job default/j): spec.template: a Job\'s spec.template is immutable; an update may change parallelism, suspend, activeDeadlineSeconds, backoffLimit, ttlSecondsAfterFinished']);
  const pods = r.tables.find((t) => t.file === 'pods.csv')!.rows;
  // The Deployment stays at 1 replica (its update refused); the Job's parallelism 2 at 30 s,
  // with its template unchanged, is taken: a second pod.
  assert.equal(pods.filter((p) => p['owner_kind'] === 'ReplicaSet').length, 1);
  assert.equal(pods.filter((p) => p['owner_kind'] === 'Job').length, 2);
});

test('ksim-events: a ResourceQuota deleted and another applied in its place limits the pods created after (admission reads the store as it is)', () => {
  const quota = (name: string, pods: number) => `{"apiVersion": "v1", "kind": "ResourceQuota", "metadata": {"name": "${name}"}, "spec": {"hard": {"pods": "${pods}"}}}`;
  const pod = (name: string) => `{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "${name}"}, "spec": {"containers": [{"name": "c", "image": "x"}]}}`;
  const r = replayEvents([
    `{"at": 0, "op": "apply", "object": ${quota('roomy', 10)}}`,
    `{"at": 1, "op": "apply", "object": ${pod('before')}}`,
    '{"at": 10, "op": "delete", "object": {"kind": "ResourceQuota", "metadata": {"name": "roomy"}}}',
    `{"at": 10, "op": "apply", "object": ${quota('tight', 1)}}`,
    `{"at": 20, "op": "apply", "object": ${pod('after')}}`,
  ]);
  assert.equal(r.summary['pods_submitted'], 1);
  assert.match(r.warnings.join('\n'), /default\/after: pods "after" is forbidden: exceeded quota: tight, requested: pods=1, used: pods=1, limited: pods=1/);
});

test('ksim-events: a Node applied again is updated as the API server updates it (labels, taints, unschedulable; status kept; podCIDR set once), and every component hears it', () => {
  // /tmp/h43/s4/scn.yaml: the second apply of a node (a cordon) stopped the run with "internal
  // error ... node ip-10-0-1-23.ec2.internal already exists".
  const node = (spec: string, cpu: string) => `{"apiVersion": "v1", "kind": "Node", "metadata": {"name": "late", "labels": {"pool": "gpu"}}, "spec": {${spec}}, "status": {"allocatable": {"cpu": "${cpu}", "memory": "8Gi", "pods": "110"}}}`;
  const dep = '{"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"}, "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "web"}}, "template": {"metadata": {"labels": {"app": "web"}}, "spec": {"nodeSelector": {"pool": "gpu"}, "containers": [{"name": "c", "image": "x", "resources": {"requests": {"cpu": "1"}}}]}}}}';
  const r = replayEvents([
    `{"at": 0, "op": "apply", "object": ${node('"podCIDR": "10.0.1.0/24"', '4')}}`,
    `{"at": 20, "op": "apply", "object": ${node('"unschedulable": true, "podCIDR": "10.0.1.0/24"', '16')}}`,
    `{"at": 30, "op": "apply", "object": ${dep}}`,
    `{"at": 40, "op": "apply", "object": ${node('"podCIDR": "10.0.2.0/24"', '4')}}`,
    `{"at": 60, "op": "apply", "object": ${node('', '4')}}`,
  ]);
  const bound = placements(r).filter((x) => x[2] === 'bound').map((x) => Math.floor(Number(x[0])));
  // Cordoned at 20 s: the pods created at 30 s wait; the refused update at 40 s leaves the
  // node cordoned; uncordoned at 60 s, both bind then (the scheduler's node-update hint).
  assert.deepEqual(bound, [60, 60]);
  const nodes = r.tables.find((t) => t.file === 'nodes.csv')!;
  // The status of an update is not stored: still 4 CPUs, not 16.
  assert.deepEqual(nodes.rows.map((n) => [n['node'], n['pods'], n['cpu_allocatable_milli']]), [['n-0', 0, 2000], ['late', 2, 4000]]);
  const w = r.warnings.map((x) => x.replace(/: [^ ]*e\.jsonl/, ': e.jsonl'));
  assert.deepEqual(w.filter((x) => x.includes('Node late')), [
    'trace ev: e.jsonl:2 (Node late): status (allocatable, capacity, conditions) not stored: an update of a Node that exists keeps its stored status, as the API server does (the kubelet writes a Node\'s status); labels, taints and unschedulable are updated',
    'trace ev: 1 update(s) refused by the API server as Invalid (a field an update may not change was changed; the object stays as it was), first: e.jsonl:4 (Node late): spec.podCIDR: a Node\'s spec.podCIDR may not change once set (the API server\'s ValidateNodeUpdate)',
  ]);
});

test('ksim-events: a Node update merges as kubectl apply does (fields left out are kept unless this trace applied them before; taints given replace the list); an apply without status.allocatable updates, and refuses only as a create', () => {
  // /tmp/h46/upd-nostatus.yaml, upd2.yaml, upd3.yaml: an update without status.allocatable was
  // refused at read; one without labels dropped the node's labels (its DaemonSet pod deleted);
  // one without spec uncordoned the node and removed its taints.
  const dir = tempDir('ksim-events-node-merge-');
  const node = (name: string, rest: string) => `{"apiVersion": "v1", "kind": "Node", "metadata": {"name": "${name}"${rest}}}`;
  writeFileSync(join(dir, 'e.jsonl'), [
    // 10 s: a cordon with neither labels nor status: labels (role) kept; cordoned.
    `{"at": 10, "op": "apply", "object": ${node('n-0', '}, "spec": {"unschedulable": true')}}`,
    // 20 s: labels (tier added) and a taint; unschedulable left out, applied by the trace at 10 s: cleared.
    `{"at": 20, "op": "apply", "object": ${node('n-0', ', "labels": {"role": "logging", "tier": "a"}}, "spec": {"taints": [{"key": "x", "effect": "NoSchedule"}]')}}`,
    // 30 s: role only, no spec: tier and the taint (both this trace's) go.
    `{"at": 30, "op": "apply", "object": ${node('n-0', ', "labels": {"role": "logging"}')}}`,
    // 40 s: no labels: role, this trace's since 20 s, goes: the DaemonSet pod is deleted.
    `{"at": 40, "op": "apply", "object": ${node('n-0', '}, "spec": {')}}`,
    // 50 s: a Node that does not exist, without status.allocatable: refused (ksim cannot make it).
    `{"at": 50, "op": "apply", "object": ${node('ghost', ', "labels": {"role": "logging"}')}}`,
  ].join('\n'));
  writeFileSync(join(dir, 's.yaml'), `apiVersion: ksim/v1alpha1
kind: Scenario
duration: 2m
kubelet: { startupLatency: 0s }
controlPlane: { apiWriteLatency: 0s, watchDelay: 0s, etcd: { fsync: 0s, followerRtt: 0s } }
cluster:
  nodePools: [{ name: n, count: 1, allocatable: { cpu: "4", memory: 16Gi }, labels: { role: logging } }]
workload:
- name: agent
  manifest: { apiVersion: apps/v1, kind: DaemonSet, metadata: { name: agent }, spec: { selector: { matchLabels: { app: agent } }, template: { metadata: { labels: { app: agent } }, spec: { nodeSelector: { role: logging }, containers: [{ name: c, image: x }] } } } }
- name: ev
  trace: { format: ksim-events, file: e.jsonl }
`);
  const run = prepareRun(loadScenario(join(dir, 's.yaml')));
  const state = () => {
    const n = run.cluster.nodeByName.get('n-0')!;
    const labels = Object.keys(n.labels).filter((k) => k === 'role' || k === 'tier').map((k) => `${k}=${n.labels[k]}`);
    const agents = [...run.cluster.pods.values()].filter((p) => p.ownerName === 'agent' && !p.terminating && !p.deleted).length;
    return { labels, taints: (n.taints ?? []).map((t) => `${t.key}:${t.effect}`), unschedulable: n.unschedulable, agents };
  };
  const seen: Record<number, ReturnType<typeof state>> = {};
  for (const t of [5, 15, 25, 35, 45]) {
    run.sim.run(t * 1_000_000);
    seen[t] = state();
  }
  assert.deepEqual(seen, {
    5: { labels: ['role=logging'], taints: [], unschedulable: false, agents: 1 },
    15: { labels: ['role=logging'], taints: [], unschedulable: true, agents: 1 },
    25: { labels: ['role=logging', 'tier=a'], taints: ['x:NoSchedule'], unschedulable: false, agents: 1 },
    35: { labels: ['role=logging'], taints: [], unschedulable: false, agents: 1 },
    45: { labels: [], taints: [], unschedulable: false, agents: 0 },
  });
  run.sim.run(run.endUs);
  const r = run.finish();
  assert.equal(run.cluster.nodeByName.has('ghost'), false);
  assert.deepEqual(r.warnings.filter((w) => w.includes('ghost')).map((w) => w.replace(/: [^ ]*e\.jsonl/, ': e.jsonl')), [
    'trace ev: 1 apply(s) of a Node that did not exist, without status.allocatable or status.capacity, not replayed (ksim needs a new node\'s allocatable resources, which its kubelet reports when it registers), first: e.jsonl:5 (Node ghost)',
  ]);
});

/** A 1-minute run of one node n-0 (labels role=db), a 10 ms API write latency and the
 * ksim-events traces `traces` (entry name → lines); the run prepared, not run. */
function nodeApplyRun(traces: Record<string, readonly string[]>) {
  const dir = tempDir('ksim-events-node-apply-');
  for (const [name, lines] of Object.entries(traces)) writeFileSync(join(dir, `${name}.jsonl`), lines.join('\n'));
  writeFileSync(join(dir, 's.yaml'), `apiVersion: ksim/v1alpha1
kind: Scenario
duration: 1m
controlPlane: { apiWriteLatency: 10ms, watchDelay: 0s, etcd: { fsync: 0s, followerRtt: 0s } }
cluster:
  nodePools: [{ name: n, count: 1, allocatable: { cpu: "4", memory: 16Gi }, labels: { role: db } }]
workload:
${Object.keys(traces).map((name) => `- name: ${name}\n  trace: { format: ksim-events, file: ${name}.jsonl }`).join('\n')}
`);
  const run = prepareRun(loadScenario(join(dir, 's.yaml')));
  const state = () => {
    const n = run.cluster.nodeByName.get('n-0')!;
    const labels = Object.keys(n.labels).filter((k) => !k.includes('/')).sort().map((k) => `${k}=${n.labels[k]}`);
    return { labels, taints: (n.taints ?? []).map((t) => `${t.key}:${t.effect}`), unschedulable: n.unschedulable };
  };
  return { run, state };
}

const n0 = (rest: string) => `{"apiVersion": "v1", "kind": "Node", "metadata": {"name": "n-0"${rest}}}`;

test('ksim-events: two applies of one Node 1 ms apart under a 10 ms write latency both count: each is a patch merged into the Node as stored when it commits', () => {
  // kubectl apply (patcher.go patchSimple) computes its patch from the Node it GETs and the
  // API server merges it into the Node as stored at the commit. At 10.000 s a cordon, at
  // 10.001 s labels and a taint. The second GET (10.001 s) sees neither the cordon nor the
  // first apply's last-applied annotation (the first commits at 10.010 s): its patch names
  // labels and taints only, so the cordon stays. ksim wrote the second apply's whole
  // result, computed at 10.001 s from its own record of the first: uncordoned at 10.011 s.
  const { run, state } = nodeApplyRun({
    ev: [
      `{"at": 10, "op": "apply", "object": ${n0('}, "spec": {"unschedulable": true')}}`,
      `{"at": 10.001, "op": "apply", "object": ${n0(', "labels": {"tier": "a"}}, "spec": {"taints": [{"key": "x", "effect": "NoSchedule"}]')}}`,
    ],
  });
  const seen: Record<string, ReturnType<typeof state>> = {};
  for (const us of [10_009_000, 10_010_500, 10_011_500, 30_000_000]) {
    run.sim.run(us);
    seen[`${us / 1e6} s`] = state();
  }
  assert.deepEqual(seen, {
    '10.009 s': { labels: ['role=db'], taints: [], unschedulable: false },
    '10.0105 s': { labels: ['role=db'], taints: [], unschedulable: true },
    '10.0115 s': { labels: ['role=db', 'tier=a'], taints: ['x:NoSchedule'], unschedulable: true },
    '30 s': { labels: ['role=db', 'tier=a'], taints: ['x:NoSchedule'], unschedulable: true },
  });
});

test('ksim-events: the last-applied configuration is the Node\'s annotation, shared by every trace that applies it', () => {
  // Trace a labels n-0 tier=a at 10 s; trace b applies zone=z at 20 s: its original is a's
  // configuration (the annotation on the Node), so tier (a's, left out by b) goes. Each trace
  // kept its own record: tier stayed. At 30 s trace a applies a cordon without labels: its
  // original is b's configuration, so zone goes (a's own record had tier, gone already); the
  // pool's role=db, in no applied configuration, stays. (The reader gives every Node the
  // kubelet's kubernetes.io/hostname label, so an applied configuration always has labels.)
  const { run, state } = nodeApplyRun({
    a: [`{"at": 10, "op": "apply", "object": ${n0(', "labels": {"tier": "a"}')}}`, `{"at": 30, "op": "apply", "object": ${n0('}, "spec": {"unschedulable": true')}}`],
    b: [`{"at": 20, "op": "apply", "object": ${n0(', "labels": {"zone": "z"}')}}`],
  });
  const seen: Record<number, ReturnType<typeof state>> = {};
  for (const t of [15, 25, 35]) {
    run.sim.run(t * 1_000_000);
    seen[t] = state();
  }
  assert.deepEqual(seen, {
    15: { labels: ['role=db', 'tier=a'], taints: [], unschedulable: false },
    25: { labels: ['role=db', 'zone=z'], taints: [], unschedulable: false },
    35: { labels: ['role=db'], taints: [], unschedulable: true },
  });
  const n = run.cluster.nodeByName.get('n-0')!;
  assert.deepEqual(JSON.parse(n.node.metadata?.annotations?.['kubectl.kubernetes.io/last-applied-configuration'] ?? '{}'), { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n-0', labels: { 'kubernetes.io/hostname': 'n-0' } }, spec: { unschedulable: true } });
});

test('ksim-events: a DaemonSet matching only a node the trace applies is no "matches no node" warning; one no node matched during the run is warned about at the end', () => {
  // /tmp/h43/s4/scn1.yaml: "DaemonSet ... matches no node ...: it makes no pods" although the
  // node it selects joined at 60 s from the trace and ran its pod.
  const dir = tempDir('ksim-events-ds-');
  writeFileSync(join(dir, 'e.jsonl'), '{"at": 60, "op": "apply", "object": {"apiVersion": "v1", "kind": "Node", "metadata": {"name": "gpu-1", "labels": {"gpu": "true"}}, "status": {"allocatable": {"cpu": "8", "memory": "8Gi", "pods": "110"}}}}\n');
  const ds = (name: string, label: string) => `{ apiVersion: apps/v1, kind: DaemonSet, metadata: { name: ${name} }, spec: { selector: { matchLabels: { a: ${name} } }, template: { metadata: { labels: { a: ${name} } }, spec: { nodeSelector: { ${label}: "true" }, containers: [{ name: c, image: x }] } } } }`;
  writeFileSync(join(dir, 's.yaml'), `apiVersion: ksim/v1alpha1
kind: Scenario
duration: 2m
cluster:
  nodePools: [{ name: n, count: 1, allocatable: { cpu: "2", memory: 16Gi } }]
workload:
- name: agents
  manifest: ${ds('gpu-agent', 'gpu')}
- name: other
  manifest: ${ds('fpga-agent', 'fpga')}
- name: ev
  trace: { format: ksim-events, file: e.jsonl }
`);
  const s = loadScenario(join(dir, 's.yaml'));
  assert.deepEqual(s.warnings.filter((w) => w.includes('DaemonSet')), []);
  const r = runScenario(s);
  assert.deepEqual(r.warnings.filter((w) => w.includes('DaemonSet')), ['workload entry "other": DaemonSet default/fpga-agent matched no node during the run (nodeSelector or required node affinity; neither the node pools\' nodes nor those the ksim-events traces applied): it made no pods']);
  const pods = r.tables.find((t) => t.file === 'pods.csv')!.rows;
  assert.deepEqual(pods.map((p) => [p['owner'], p['node']]), [['gpu-agent', 'gpu-1']]);
});

test('a node a ksim-events trace adds with an extended resource (nvidia.com/gpu) runs under --check-invariants: its resource has no timeseries.csv column (the header is written before the run), as the README says, and the checker does not ask for one', () => {
  const node = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'gpu-1' }, status: { allocatable: { cpu: '8', memory: '32Gi', pods: '110', 'nvidia.com/gpu': '4' } } };
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'train' }, spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'x', resources: { limits: { 'nvidia.com/gpu': '2' } } }] } };
  const events = [JSON.stringify({ at: '30s', op: 'apply', object: node }), JSON.stringify({ at: '40s', op: 'apply', object: pod })].join('\n');
  const r = runScenario(loadScenario(traceScenario('ksim-events', 'e.jsonl', events)), { checkInvariants: 1 });
  const ts = r.tables.find((t) => t.file === 'timeseries.csv')!;
  assert.equal(Object.keys(ts.rows[0]!).some((c) => c.startsWith('nvidia.com/gpu')), false);
  assert.equal(at(placements(r), 'train', 'bound'), '40');
  const nodes = r.tables.find((t) => t.file === 'nodes.csv')!.rows;
  assert.equal(nodes.find((n) => n['node'] === 'gpu-1')?.['nvidia.com/gpu_requested'], 2);
});
