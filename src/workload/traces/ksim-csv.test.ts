import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readAll, rowError, tempTrace } from './testing.js';

const HEADER = 'time_s,name,namespace,cpu,memory,duration_s,delete_s,priority,labels,node_selector,tolerations,nvidia.com/gpu';

test('ksim-csv rows map to pods with every column', () => {
  const items = readAll('ksim-csv', tempTrace('t.csv', `${HEADER}\n0,a,team-a,500m,1Gi,10,,high,app=x;tier=web,disk=ssd,dedicated=gpu:NoSchedule;spot,2\n1.5,b,,1,2Gi,,7.5,,,,,\n`));
  assert.deepEqual(items, [
    {
      kind: 'pod', timeS: 0, line: 2,
      pod: {
        name: 'a', requests: { cpu: '500m', memory: '1Gi', 'nvidia.com/gpu': '2' }, durationS: 10, deleteAtS: null, namespace: 'team-a', priorityClassName: 'high',
        labels: { app: 'x', tier: 'web' }, nodeSelector: { disk: 'ssd' },
        tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }, { key: 'spot', operator: 'Exists' }],
      },
    },
    { kind: 'pod', timeS: 1.5, line: 3, pod: { name: 'b', requests: { cpu: '1', memory: '2Gi' }, durationS: null, deleteAtS: 7.5 } },
  ]);
});

test('ksim-csv reads gzip files the same as plain ones', () => {
  const text = 'time_s,name,cpu\n0,a,1\n2,b,2\n';
  assert.deepEqual(readAll('ksim-csv', tempTrace('t.csv.gz', text, true)), readAll('ksim-csv', tempTrace('t.csv', text)));
});

test('ksim-csv streams a trace larger than one read chunk', () => {
  const rows = Array.from({ length: 60_000 }, (_, i) => `${i},pod-${i},100m,256Mi,5`).join('\n');
  const items = readAll('ksim-csv', tempTrace('big.csv', `time_s,name,cpu,memory,duration_s\n${rows}\n`));
  assert.equal(items.length, 60_000);
  assert.deepEqual(items[59_999], { kind: 'pod', timeS: 59_999, line: 60_001, pod: { name: 'pod-59999', requests: { cpu: '100m', memory: '256Mi' }, durationS: 5, deleteAtS: null } });
});

test('malformed ksim-csv rows give exact messages', () => {
  const cases: [string, string][] = [
    ['time_s,name,cpuu\n', 'line 1: cpuu: expected a ksim-csv column (time_s, name, namespace, cpu, memory, duration_s, delete_s, priority, labels, node_selector, tolerations) or an extended resource name such as nvidia.com/gpu, got unknown column "cpuu" (did you mean "cpu"?)'],
    ['name,cpu\n', 'line 1: expected a column named "time_s" in the header, got name,cpu'],
    ['', 'line 1: expected a header row naming the columns (at least time_s, name), got an empty file'],
    ['time_s,name,time_s\n', 'line 1: time_s: expected each column named once, got a second "time_s"'],
    ['time_s,name,cpu\nsoon,a,1\n', 'line 2: time_s: expected a non-negative number of seconds, got "soon"'],
    ['time_s,name,cpu\n-1,a,1\n', 'line 2: time_s: expected a non-negative number of seconds, got "-1"'],
    ['time_s,name,cpu\n0,A_b,1\n', 'line 2: name: expected a lowercase RFC 1123 name (a-z, 0-9, "-", "."; at most 253 characters), got "A_b"'],
    ['time_s,name,cpu\n0,a,lots\n', 'line 2: cpu: expected a non-negative Kubernetes quantity such as 500m or 2, got "lots"'],
    ['time_s,name,memory\n0,a,-1Gi\n', 'line 2: memory: expected a non-negative Kubernetes quantity such as 512Mi, 2Gi or 1, got "-1Gi"'],
    ['time_s,name,cpu\n0,a\n', 'line 2: expected 3 fields, as in the header, got 2'],
    ['time_s,name,delete_s\n5,a,4\n', 'line 2: delete_s: expected a time at or after time_s (5), got 4'],
    ['time_s,name,labels\n0,a,app\n', 'line 2: labels: expected labels as key=value pairs separated by ";", got "app"'],
    ['time_s,name,tolerations\n0,a,k:Sometimes\n', 'line 2: tolerations: expected a toleration key[=value][:effect] with effect NoSchedule, PreferNoSchedule, NoExecute, got "k:Sometimes"'],
    ['time_s,name,duration_s\n0,a,1h\n', 'line 2: duration_s: expected a non-negative number of seconds, or an empty cell (runs until the end), got "1h"'],
    ['time_s,name,example.com/fpga\n0,a,0.5\n', 'line 2: example.com/fpga: expected a whole non-negative quantity such as 1 or 2 (extended resources are counted in units), got "0.5"'],
  ];
  for (const [text, message] of cases) assert.equal(rowError('ksim-csv', 't.csv', text), message, text);
});

test('a ksim-csv pod name repeated while an earlier row\'s pod holds it is an error at the later row, naming the earlier', () => {
  const cases: [string, string][] = [
    // /tmp/h9/bad/dupid.csv
    ['time_s,name,cpu\n0,p1,1\n1,p1,1\n', 'line 3: name: expected a pod name not in use at this row\'s time (line 2\'s pod has it for good: the trace never deletes it), got "p1"'],
    ['time_s,name,delete_s\n0,p1,30\n10,q,\n29.5,p1,\n', 'line 4: name: expected a pod name not in use at this row\'s time (line 2\'s pod has it until 30 s), got "p1"'],
    ['time_s,name,duration_s\n5,p1,20\n10,p1,\n', 'line 3: name: expected a pod name not in use at this row\'s time (line 2\'s pod has it until 25 s), got "p1"'],
    ['time_s,name,namespace\n0,p1,a\n0,p1,a\n', 'line 3: name: expected a pod name not in use at this row\'s time (line 2\'s pod has it for good: the trace never deletes it), got "p1"'],
  ];
  for (const [text, message] of cases) assert.equal(rowError('ksim-csv', 't.csv', text), message, text);
  // Free again once the trace deleted the pod (or its run ended); other namespaces are apart;
  // a malformed row holds no name.
  const ok = 'time_s,name,namespace,cpu,delete_s,duration_s\n0,p1,,1,30,\n30,p1,,1,,5\n35,p1,,1,,\n40,p1,b,1,,\n';
  assert.deepEqual(readAll('ksim-csv', tempTrace('t.csv', ok)).map((it) => it.line), [2, 3, 4, 5]);
});

test('a row error in a record whose quoted field spans lines is reported at the line the record starts on', () => {
  // /tmp/h9/bad/quotednl.csv: the labels cell runs from line 2 to 3.
  assert.equal(rowError('ksim-csv', 't.csv', 'time_s,name,cpu,labels\n0,p1,1,"a=b\nc=d"\n1,p2,xx,\n'), 'line 2: labels: expected a label value (empty, or at most 63 characters a-z, A-Z, 0-9, "-", "_", "." starting and ending with a letter or digit), got "b\\nc=d"');
  assert.equal(rowError('ksim-csv', 't.csv', 'time_s,name,cpu,labels\n0,p1,1,"a=b;\nc=d"\n1,p2,xx,\n'), 'line 4: cpu: expected a non-negative Kubernetes quantity such as 500m or 2, got "xx"');
});

test('broken CSV quoting stops the reader with the line', () => {
  assert.match(rowError('ksim-csv', 't.csv', 'time_s,name\n0,"a\n1,b\n'), /^line \d+: expected well-formed CSV, got /);
});
