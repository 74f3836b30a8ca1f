import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sharedTrace, skipWithoutTrace } from '../../testing/shared-traces.js';
import { readAll, rowError, tempTrace } from './testing.js';

const NASA = 'pwa-nasa-ipsc-1993/NASA-iPSC-1993-3.1-cln.swf.gz';

test('the first NASA iPSC jobs map to pods of their allocated processors (gzip read)', { skip: skipWithoutTrace(NASA) }, () => {
  // The first job lines after the ";" header:
  //   1        0     -1   1451  128     -1 ...   → job-1 at 0 s, 128 processors, 1451 s
  //   2     1460     -1   3726  128     -1 ...   → job-2 at 1460 s, 128 processors, 3726 s
  const [a, b] = readAll('swf', sharedTrace(NASA), {}, 2);
  assert.deepEqual(a, { kind: 'pod', timeS: 0, line: a!.line, pod: { name: 'job-1', requests: { cpu: '128' }, durationS: 1451, deleteAtS: null, labels: { 'swf.ksim.io/processors': '128' } } });
  assert.deepEqual(b?.kind === 'pod' && [b.timeS, b.pod.name, b.pod.durationS, b.pod.requests], [1460, 'job-2', 3726, { cpu: '128' }]);
});

test('the whole NASA log is read: 18,239 jobs', { skip: skipWithoutTrace(NASA) }, () => {
  assert.equal(readAll('swf', sharedTrace(NASA)).length, 18_239);
});

test('swf podsPerJob perProcessor makes one pod per processor', () => {
  const path = tempTrace('j.swf', '; comment\n  7  10 -1 60 4 -1 -1 -1 -1 -1 -1 1 1 -1 -1 -1 -1 -1\n');
  assert.deepEqual(readAll('swf', path, { podsPerJob: 'perProcessor', cpuPerProcessor: '500m', memoryPerProcessor: '1Gi' }), [
    { kind: 'pod', timeS: 10, line: 2, pod: { name: 'job-7', requests: { cpu: '500m', memory: '1073741824' }, durationS: 60, deleteAtS: null, labels: { 'swf.ksim.io/processors': '4' }, count: 4 } },
  ]);
});

test('swf uses the requested processors when the allocated ones are unknown', () => {
  const path = tempTrace('j.swf', '1 0 -1 5 -1 -1 -1 8 -1 -1 -1 1 1 -1 -1 -1 -1 -1\n');
  const [a] = readAll('swf', path);
  assert.deepEqual(a?.kind === 'pod' && a.pod.requests, { cpu: '8' });
});

test('swf jobs whose run time is -1 (unknown: cancelled before they ran) are left out, whatever their processors', () => {
  // Job 3 was cancelled before it started (status 5): no run time, no processors.
  const path = tempTrace('j.swf', ['1 0 -1 5 4 -1 -1 -1 -1 -1 1 1 1 -1 -1 -1 -1 -1', '3 7 -1 -1 -1 -1 -1 -1 -1 -1 5 1 1 -1 -1 -1 -1 -1', '4 9 -1 0 2 -1 -1 -1 -1 -1 5 1 1 -1 -1 -1 -1 -1'].join('\n'));
  assert.deepEqual(readAll('swf', path).map((i) => (i.kind === 'pod' ? [i.kind, i.timeS, i.line, i.pod.name, i.pod.durationS] : i)), [
    ['pod', 0, 1, 'job-1', 5],
    { kind: 'leftOut', timeS: 7, line: 2, column: 4, reason: 'job(s) with an unknown run time (-1)' },
    // A run time of 0 is a job that ran for less than half a second: replayed.
    ['pod', 9, 3, 'job-4', 0],
  ]);
});

test('malformed swf lines give exact messages', () => {
  const cases: [string, string][] = [
    ['1 0 -1 5 4\n', 'line 1: expected 18 whitespace-separated fields (a Standard Workload Format job line), got 5'],
    ['1 0 -1 -2 4 -1 -1 -1 -1 -1 -1 1 1 -1 -1 -1 -1 -1\n', 'line 1: run_time: expected a non-negative integer run time (s), or -1 (unknown), got "-2"'],
    ['1 0 -1 5 -1 -1 -1 -1 -1 -1 -1 1 1 -1 -1 -1 -1 -1\n', 'line 1: requested_processors: expected a positive number of requested processors (field 5, allocated, is unknown, -1), got "-1"'],
    // /tmp/h9/bad/s-procs0.swf: field 5 is 0, not unknown.
    ['1 0 -1 100 0 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1\n', 'line 1: requested_processors: expected a positive number of requested processors (field 5, allocated, is 0), got "-1"'],
    ['x 0 -1 5 4 -1 -1 -1 -1 -1 -1 1 1 -1 -1 -1 -1 -1\n', 'line 1: job_id: expected a non-negative integer job id, got "x"'],
    // /tmp/h9/bad/s-dupid.swf: job 1 twice (a left-out job's id counts too).
    ['; Version: 2.2\n1 0 -1 100 4 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1\n1 5 -1 100 4 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1\n', 'line 3: job_id: expected a job id not used before (also on line 2), got "1"'],
    ['2 0 -1 -1 -1 -1 -1 -1 -1 -1 5 1 1 -1 -1 -1 -1 -1\n3 1 -1 5 4 -1 -1 -1 -1 -1 1 1 1 -1 -1 -1 -1 -1\n2 9 -1 5 4 -1 -1 -1 -1 -1 1 1 1 -1 -1 -1 -1 -1\n', 'line 3: job_id: expected a job id not used before (also on line 1), got "2"'],
  ];
  for (const [text, message] of cases) assert.equal(rowError('swf', 'j.swf', text), message, text);
});

test('swf podsPerJob perProcessor: a job of more processors than a row may make pods (1,048,576) is refused at its row', () => {
  // /tmp/h52/odd/hugeproc_pp.swf: ran until the heap watch stopped it, naming no row.
  const text = '1 0 -1 100 4 -1 -1 -1 -1 -1 1 1 1 -1 -1 -1 -1 -1\n2 10 -1 50 999999999 -1 -1 -1 -1 -1 1 1 1 -1 -1 -1 -1 -1\n';
  assert.equal(rowError('swf', 'j.swf', text, { podsPerJob: 'perProcessor' }), 'line 2: allocated_processors: expected a number of processors at most 1048576 under podsPerJob: perProcessor (a row makes at most 1048576 pods: 4 GiB of pods at the 4 KiB a pod of ksim\'s memory estimate), got "999999999"');
  // One pod per job: the processors are one pod's request, not pods.
  assert.equal(rowError('swf', 'j.swf', text), 'no error');
});
