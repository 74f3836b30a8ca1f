import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sharedTrace, skipWithoutTrace } from '../../testing/shared-traces.js';
import { alibaba2017 } from './alibaba-2017.js';
import { defaults, readAll, rowError, tempTrace } from './testing.js';
import { TraceRowError } from './trace-types.js';

const TASKS = 'alibaba-v2017-batch/batch_task.csv';
const EVENTS = 'alibaba-v2017-batch/server_event.csv';

test('the 2017 batch tasks come out in time order, every row read, rows without a request and tasks over before the trace left out', { skip: skipWithoutTrace(TASKS) }, () => {
  const all = readAll('alibaba-2017', sharedTrace(TASKS));
  assert.equal(all.length, 80_553);
  for (let i = 1; i < all.length; i++) assert.ok(all[i]!.timeS >= all[i - 1]!.timeS);
  // Left out: 9,017 rows without a request, 117 Terminated ones that ended at or before 0.
  const reasons = new Map<string, number>();
  for (const it of all) if (it.kind === 'leftOut') reasons.set(it.reason, (reasons.get(it.reason) ?? 0) + 1);
  assert.deepEqual([...reasons], [['task(s) that ended at or before the trace\'s start (task_end_time ≤ 0)', 117], ['task(s) without CPU and memory requests', 9_017]]);
  const items = all.filter((it) => it.kind === 'pod');
  // The first row created at or before 0 with a request that ends after 0 is line 5624:
  //   " -60,110,6168,37200,103,Terminated,50,0.008231305" → at 0, runs 110 - (-60) s, 0.5 core,
  //   0.008231305 × 512Gi bytes, 103 instances.
  assert.deepEqual(items[0], {
    kind: 'pod', timeS: 0, line: 5624,
    pod: { name: 'task-6168-37200', requests: { cpu: '500m', memory: '4525207780' }, durationS: 170, deleteAtS: null, labels: { 'alibaba.com/job': '6168', 'alibaba.com/status': 'Terminated' }, count: 103 },
  });
  // Line 9320: "-1078,2898,9741,63359,1,Terminated,100,0.016338364" → at 0, runs 2898 + 1078 s.
  const early = items.find((it) => it.line === 9320);
  assert.deepEqual(early?.kind === 'pod' && [early.timeS, early.pod.durationS], [0, 3976]);
  // Line 2: "6459,6524,3,4,15740,Terminated,50,0.007956928" → at 6459 s for 65 s, 15,740 instances.
  const first = items.find((it) => it.line === 2);
  assert.deepEqual(first?.kind === 'pod' && [first.timeS, first.pod.name, first.pod.durationS, first.pod.count], [6459, 'task-3-4', 65, 15740]);
});

test('instanceScale scales the instances, keeping at least one pod per task', { skip: skipWithoutTrace(TASKS) }, () => {
  const items = readAll('alibaba-2017', sharedTrace(TASKS), { instanceScale: 0.01 });
  const byLine = (l: number) => items.find((it) => it.line === l);
  const a = byLine(2); // 15,740 instances → 157.4 → 157
  const b = byLine(3); // 1 instance → 1 (no count)
  assert.deepEqual([a?.kind === 'pod' && a.pod.count, b?.kind === 'pod' && b.pod.count], [157, undefined]);
});

test('instanceScale rounds half up, with at least one pod per task', () => {
  const h = 'task_create_time,task_end_time,job_id,task_id,number_of_instances,status,cpus,mem';
  const counts = [127, 150, 149, 20, 50, 350, 15_740, 1];
  const path = tempTrace('t.csv', [h, ...counts.map((n, i) => `${i},${i + 10},1,${i},${n},Terminated,50,0.01`)].join('\n'));
  const pods = (scale: number) => readAll('alibaba-2017', path, { instanceScale: scale }).map((it) => (it.kind === 'pod' ? it.pod.count ?? 1 : 0));
  assert.deepEqual(pods(0.01), [1, 2, 1, 1, 1, 4, 157, 1]);
  assert.deepEqual(pods(0.07), [9, 11, 10, 1, 4, 25, 1102, 1]);
  assert.deepEqual(pods(1), counts);
});

test('the 2017 machine events become nodes and machine_fail node-down faults', { skip: skipWithoutTrace(EVENTS) }, () => {
  const c = alibaba2017.readCluster!(sharedTrace(EVENTS), 'events', defaults('alibaba-2017'));
  assert.equal(c.nodes.length, 1313);
  // Line 933: "0,930,add,,64,0.6899697150104833,1"
  const m930 = c.nodes.find((n) => n.node.metadata?.name === 'm-930');
  assert.deepEqual(m930?.node.status?.allocatable, { cpu: '64', memory: '379314862234', pods: '110' });
  // "777,930,softerror,machine_fail,0,0,0" is the earliest machine_fail.
  assert.deepEqual(c.faults[0], { kind: 'nodeDown', target: 'm-930', nodes: ['m-930'], atUs: 777_000_000, forUs: 1_800_000_000 });
  assert.equal(c.faults.every((f) => f.kind === 'nodeDown'), true);
});

test('a machine_fail while the machine is still down is dropped', () => {
  const path = tempTrace('ev.csv', '0,1,add,,64,0.5,1\n100,1,softerror,machine_fail,0,0,0\n200,1,softerror,machine_fail,0,0,0\n2000,1,softerror,machine_fail,0,0,0\n50,1,softerror,agent_check,0,0,0\n');
  const c = alibaba2017.readCluster!(path, 'ev.csv', defaults('alibaba-2017'));
  assert.deepEqual(c.faults.map((f) => f.atUs / 1e6), [100, 2000]);
});

/** readCluster's row error (message and column), or "no error". */
function clusterError(text: string): string {
  try {
    alibaba2017.readCluster!(tempTrace('ev.csv', text), 'ev.csv', defaults('alibaba-2017'));
  } catch (e) {
    if (e instanceof TraceRowError) return `${e.message} (column ${e.column})`;
    throw e;
  }
  return 'no error';
}

test('a machine added twice is a row error naming the first add (the published file adds each machine once)', () => {
  // /tmp/h52/odd/se_dupadd.csv: the same row twice was one node, silently.
  assert.equal(clusterError('0,1,add,,64,0.69,1\n0,1,add,,64,0.69,1\n'), 'line 2: machine_id: expected a machine not added before (machine 1 is added on line 1), got "1" (column 2)');
  assert.equal(clusterError('0,1,add,,64,0.69,1\n5,2,add,,64,0.69,1\n9,1,add,,32,0.5,1\n'), 'line 3: machine_id: expected a machine not added before (machine 1 is added on line 1), got "1" (column 2)');
});

test('a machine_fail of a machine never added, or before its add, is counted and warned about, not replayed', () => {
  // /tmp/h52/odd/se_failunknown.csv: machine 7 is never added (was dropped without a word).
  const c = alibaba2017.readCluster!(tempTrace('ev.csv', '0,1,add,,64,0.69,1\n100,7,softerror,machine_fail,0,0,0\n200,7,softerror,machine_fail,0,0,0\n50,2,add,,64,0.69,1\n10,2,softerror,machine_fail,0,0,0\n300,1,softerror,machine_fail,0,0,0\n'), 'ev.csv', defaults('alibaba-2017'));
  assert.deepEqual(c.faults.map((f) => `${f.target} ${f.atUs / 1e6}`), ['m-1 300']);
  assert.deepEqual(c.warnings, [
    '2 machine_fail event(s) of a machine the file never adds, not replayed (no such node), first: ev.csv:2 (machine 7)',
    "1 machine_fail event(s) before their machine's add, not replayed (the node had not joined), first: ev.csv:5 (machine 2 at 10 s, added at 50 s on line 4)",
  ]);
});

test('machine events out of time order are read in time order (the published file is grouped by machine)', () => {
  // /tmp/h52/odd/se_ooo.csv; the published file's line 1323 (777 s) follows 59,862 s.
  const c = alibaba2017.readCluster!(tempTrace('ev.csv', '0,1,add,,64,0.69,1\n100,1,softerror,machine_fail,0,0,0\n50,2,add,,64,0.69,1\n60,2,softerror,machine_fail,0,0,0\n'), 'ev.csv', defaults('alibaba-2017'));
  assert.deepEqual(c.nodes.map((n) => `${n.node.metadata?.name} ${n.joinAtS}`), ['m-1 0', 'm-2 50']);
  assert.deepEqual(c.faults.map((f) => `${f.target} ${f.atUs / 1e6}`), ['m-2 60', 'm-1 100']);
  assert.equal(c.warnings, undefined);
});

test('a 2017 row without a request is left out at its create time (the replay counts it as filtered)', () => {
  const path = tempTrace('t.csv', 'task_create_time,task_end_time,job_id,task_id,number_of_instances,status,cpus,mem\n30,40,1,1,1,Terminated,50,0.001\n-5,0,1,2,3,Waiting,,\n20,0,1,3,1,Waiting,,\n');
  assert.deepEqual(readAll('alibaba-2017', path).map((it) => [it.kind, it.timeS, it.line, it.kind === 'leftOut' ? `${it.column} ${it.reason}` : '']), [
    ['leftOut', 0, 3, '7 task(s) without CPU and memory requests'],
    ['leftOut', 20, 4, '7 task(s) without CPU and memory requests'],
    ['pod', 30, 2, ''],
  ]);
});

test('a 2017 task runs end − create, also when created before the trace; one that ended at or before 0 is left out', () => {
  const h = 'task_create_time,task_end_time,job_id,task_id,number_of_instances,status,cpus,mem';
  const path = tempTrace('t.csv', `${h}\n-1078,2898,1,1,1,Terminated,100,0.01\n-60,0,1,2,1,Terminated,50,0.01\n-60,-34,1,3,1,Failed,50,0.01\n-60,0,1,4,1,Running,50,0.01\n10,10,1,5,1,Failed,50,0.01\n`);
  assert.deepEqual(readAll('alibaba-2017', path).map((it) => [it.line, it.timeS, it.kind === 'pod' ? it.pod.durationS : it.kind === 'leftOut' ? `${it.column} ${it.reason}` : '']), [
    [2, 0, 3976],
    [3, 0, '2 task(s) that ended at or before the trace\'s start (task_end_time ≤ 0)'],
    [4, 0, '2 task(s) that ended at or before the trace\'s start (task_end_time ≤ 0)'],
    [5, 0, null],
    [6, 10, 0],
  ]);
});

test('a 2017 task listed twice is an error at the later-created row, naming the earlier', () => {
  const h = 'task_create_time,task_end_time,job_id,task_id,number_of_instances,status,cpus,mem';
  // /tmp/h9/bad/a-dup.csv
  assert.equal(rowError('alibaba-2017', 't.csv', `${h}\n10,60,3,4,2,Terminated,50,0.01\n20,60,3,4,2,Terminated,50,0.01\n`), 'line 3: task_id: expected a task not listed before (job 3, task 4 is also on line 2), got "4"');
  // By arrival: line 3's task is created first; a row left out (no request) makes no pod.
  const path = tempTrace('t.csv', `${h}\n30,60,3,4,2,Terminated,50,0.01\n20,60,3,4,1,Running,50,0.01\n5,0,3,4,1,Waiting,,\n25,60,3,5,1,Terminated,50,0.01\n40,60,3,4,1,Failed,50,0.01\n`);
  const r = alibaba2017.openPods!(path, 't.csv', defaults('alibaba-2017'));
  const out: string[] = [];
  for (;;) {
    try {
      const it = r.next();
      if (it === null) break;
      out.push(`${it.line} ${it.kind}`);
    } catch (e) {
      out.push((e as Error).message);
    }
  }
  assert.deepEqual(out, [
    'line 2: task_id: expected a task not listed before (job 3, task 4 is also on line 3), got "4"',
    'line 6: task_id: expected a task not listed before (job 3, task 4 is also on line 3), got "4"',
    '4 leftOut', '3 pod', '5 pod',
  ]);
});

test('malformed 2017 rows give exact messages', () => {
  const h = 'task_create_time, task_end_time, job_id, task_id,number_of_instances, status, cpus,mem';
  const cases: [string, string][] = [
    [`${h}\n1,2,3,4,0,Terminated,50,0.1\n`, 'line 2: number_of_instances: expected a positive integer number of instances, got "0"'],
    [`${h}\n1,2,3,4,1,Done,50,0.1\n`, 'line 2: status: expected one of Terminated, Failed, Running, Waiting, got "Done"'],
    [`${h}\n1,2,3,4,1\n`, 'line 2: expected 8 fields (a batch_task.csv row), got 5'],
    // /tmp/h9/bad/a-endbefore.csv: a finished task cannot end before it was created.
    [`${h}\n100,60,3,4,2,Terminated,50,0.01\n`, 'line 2: task_end_time: expected a time at or after task_create_time (100), got "60"'],
    [`${h}\n-5,-6,3,4,2,Failed,50,0.01\n`, 'line 2: task_end_time: expected a time at or after task_create_time (-5), got "-6"'],
    ['time,end\n', 'line 1: task_create_time: expected the batch_task.csv header (task_create_time, task_end_time, job_id, task_id, number_of_instances, status, cpus, memory), got "time"'],
  ];
  for (const [text, message] of cases) assert.equal(rowError('alibaba-2017', 't.csv', text), message, text);
});

test('a 2017 task row with an extra field is reported at its own line with its field count (LF, CRLF, the field after the CR)', () => {
  const header = 'task_create_time, task_end_time, job_id, task_id,number_of_instances, status, number_of_cpus_requested_per_instance_in_the_task,normalized_memory_requested_per_instance_in_the_task';
  const rows = [header, ...Array.from({ length: 10 }, (_, i) => `${6000 + i},${6100 + i},3,${i},1,Terminated,50,0.004395206`)];
  // The published file ends its lines in CRLF; `sed 'Ns/$/,extra/'` puts the field after the CR.
  const edits: [string, (l: string) => string][] = [['LF', (l) => `${l},extra\n`], ['CRLF', (l) => `${l},extra\r\n`], ['after the CR', (l) => `${l}\r,extra\n`]];
  for (const [ending, extra] of edits) {
    for (const line of [2, 3, 7, 11]) {
      const text = rows.map((l, i) => (i + 1 === line ? extra(l) : ending === 'LF' ? `${l}\n` : `${l}\r\n`)).join('');
      assert.equal(rowError('alibaba-2017', 't.csv', text), `line ${line}: expected 8 fields (a batch_task.csv row), got 9`, `${ending}, line ${line}`);
    }
  }
});

test('a 2017 task of more instances than a row may make pods (1,048,576) is refused at its row before the run', () => {
  const h = 'task_create_time,task_end_time,job_id,task_id,number_of_instances,status,cpus,mem';
  // /tmp/h52/odd/a_hugeinst.csv: ran 91 s and 3.8 GB before a heap error naming no row.
  const cap = '(a row makes at most 1048576 pods: 4 GiB of pods at the 4 KiB a pod of ksim\'s memory estimate)';
  assert.equal(rowError('alibaba-2017', 't.csv', `${h}\n10,70,1,1,99999999999,Terminated,50,0.01\n`), `line 2: number_of_instances: expected a positive integer number of instances at most 1048576 ${cap}, got "99999999999"`);
  assert.equal(rowError('alibaba-2017', 't.csv', `${h}\n10,70,1,1,1048577,Terminated,50,0.01\n`), `line 2: number_of_instances: expected a positive integer number of instances at most 1048576 ${cap}, got "1048577"`);
  assert.equal(rowError('alibaba-2017', 't.csv', `${h}\n10,70,1,1,1048576,Terminated,50,0.01\n`, {}), 'no error');
  // Scaled: the pods count (half up), so the largest count is the cap / instanceScale.
  assert.equal(rowError('alibaba-2017', 't.csv', `${h}\n10,70,1,1,99999999999,Terminated,50,0.01\n`, { instanceScale: 0.01 }), `line 2: number_of_instances: expected a positive integer number of instances at most 104857649 at instanceScale 0.01 ${cap}, got "99999999999"`);
  assert.equal(rowError('alibaba-2017', 't.csv', `${h}\n10,70,1,1,104857649,Terminated,50,0.01\n`, { instanceScale: 0.01 }), 'no error');
});
