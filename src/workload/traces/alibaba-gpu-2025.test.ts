import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sharedTrace, skipWithoutTrace } from '../../testing/shared-traces.js';
import { alibabaGpu2025 } from './alibaba-gpu-2025.js';
import { readAll, rowError, tempTrace } from './testing.js';

const DLRM = 'alibaba-gpu-v2025-dlrm/disaggregated_DLRM_trace.csv';
const H = 'instance_sn,role,app_name,cpu_request,cpu_limit,gpu_request,gpu_limit,rdma_request,rdma_limit,memory_request,memory_limit,disk_request,disk_limit,max_instance_per_node,creation_time,scheduled_time,deletion_time';

test('the first DLRM instances map to the pods of their rows (created before the trace: at 0 s)', { skip: skipWithoutTrace(DLRM) }, () => {
  // disaggregated_DLRM_trace.csv lines 2-3:
  //   instance_0,HN,app_0,12,12,1,1,25,25,120.0,120.0,640.0,800.0,8,,,
  //   instance_1,HN,app_0,12,12,1,1,25,25,120.0,120.0,680.0,800.0,8,,,
  const pod = (name: string) => ({
    name,
    requests: { cpu: '12', memory: '120Gi', 'nvidia.com/gpu': '1', 'alibaba.com/rdma': '25' },
    durationS: null,
    deleteAtS: null,
    labels: { 'alibaba.com/app': 'app_0', 'alibaba.com/role': 'HN', 'alibaba.com/max-instance-per-node': '8' },
    guaranteed: true,
  });
  assert.deepEqual(readAll('alibaba-gpu-2025', sharedTrace(DLRM), {}, 2), [
    { kind: 'pod', timeS: 0, line: 2, pod: pod('instance-0') },
    { kind: 'pod', timeS: 0, line: 3, pod: pod('instance-1') },
  ]);
});

test('the whole DLRM trace is read in creation-time order (7,280 rows before the trace first, in row order)', { skip: skipWithoutTrace(DLRM) }, () => {
  const items = readAll('alibaba-gpu-2025', sharedTrace(DLRM));
  assert.equal(items.length, 23871);
  assert.equal(items.filter((it) => it.timeS === 0).length, 7280);
  for (let i = 1; i < items.length; i++) {
    const a = items[i - 1]!;
    const b = items[i]!;
    assert.ok(a.timeS < b.timeS || (a.timeS === b.timeS && a.line < b.line), `line ${b.line} after line ${a.line}`);
  }
  // The first created in the trace: line 7282 (and 7284, 7290, ... at the same time, in row order):
  //   instance_7280,CN,app_22,64,64,0,0,1,1,320.0,320.0,544.0,640.0,-1,475.00000000000006,623.0,
  // and a CN row with a deletion time, line 7283:
  //   instance_7281,CN,app_88,64,64,0,0,1,1,320.0,320.0,255.0,300.0,-1,610.0,683.0,91730.0
  assert.deepEqual(items[7280], {
    kind: 'pod', timeS: 475.00000000000006, line: 7282,
    pod: { name: 'instance-7280', requests: { cpu: '64', memory: '320Gi', 'alibaba.com/rdma': '1' }, durationS: null, deleteAtS: null, labels: { 'alibaba.com/app': 'app_22', 'alibaba.com/role': 'CN' }, guaranteed: true },
  });
  const withDeletion = items.find((it) => it.line === 7283);
  assert.deepEqual(withDeletion?.kind === 'pod' && [withDeletion.timeS, withDeletion.pod.deleteAtS], [610, 91730]);
});

test('DLRM options: no RDMA resource, disk as ephemeral storage, the role as a nodeSelector; limits above requests are Burstable', () => {
  const path = tempTrace('dlrm.csv', `${H}\ninstance_9,CN,app_3,48,64,0,0,51,51,937.5,937.5,85.0,300.0,4,10.5,11,20\n`);
  assert.deepEqual(readAll('alibaba-gpu-2025', path, { rdmaResource: '', disk: 'ephemeral-storage', roleNodeLabel: 'example.com/role' }), [
    {
      kind: 'pod', timeS: 10.5, line: 2,
      pod: {
        name: 'instance-9',
        requests: { cpu: '48', memory: '960000Mi', 'ephemeral-storage': '85Gi' },
        durationS: null,
        deleteAtS: 20,
        labels: { 'alibaba.com/app': 'app_3', 'alibaba.com/role': 'CN', 'alibaba.com/max-instance-per-node': '4' },
        nodeSelector: { 'example.com/role': 'CN' },
      },
    },
  ]);
});

test('a gzipped DLRM file reads the same', () => {
  const text = `${H}\ninstance_1,HN,app_0,8,8,1,1,25,25,40.0,40.0,85.0,100.0,-1,5,6,\n`;
  assert.deepEqual(readAll('alibaba-gpu-2025', tempTrace('d.csv.gz', text, true)), readAll('alibaba-gpu-2025', tempTrace('d.csv', text)));
});

test('malformed DLRM rows give exact messages', () => {
  const row = (cells: Record<number, string>) => {
    const base = 'instance_1,HN,app_0,8,8,1,1,25,25,40.0,40.0,85.0,100.0,-1,5,6,'.split(',');
    for (const [i, v] of Object.entries(cells)) base[Number(i)] = v;
    return `${H}\n${base.join(',')}\n`;
  };
  const cases: [string, string][] = [
    ['instance_sn,role,app\n', 'line 1: app: expected a column of disaggregated_DLRM_trace.csv (instance_sn, role, app_name, cpu_request, memory_request, gpu_request, rdma_request, disk_request, max_instance_per_node, creation_time, deletion_time, cpu_limit, memory_limit, gpu_limit, rdma_limit, disk_limit, scheduled_time), got "app"'],
    ['instance_sn,role\n', 'line 1: expected a column named "app_name" in the header, got instance_sn,role'],
    ['', 'line 1: expected a header row (instance_sn,role,app_name,cpu_request,...), got an empty file'],
    [row({ 0: 'Instance 1' }), 'line 2: instance_sn: expected an instance id that is a Kubernetes name once "_" becomes "-" (such as instance_12), got "Instance 1"'],
    [row({ 1: 'GN' }), 'line 2: role: expected CN (a CPU-node instance) or HN (a GPU-node instance), got "GN"'],
    [row({ 3: '1.0005' }), 'line 2: cpu_request: expected a number of vCPUs in thousandths (at most 3 decimals), got "1.0005"'],
    [row({ 5: '0.5' }), 'line 2: gpu_request: expected a non-negative integer number of GPUs, got "0.5"'],
    [row({ 7: '101' }), 'line 2: rdma_request: expected an integer share of an RDMA NIC from 0 to 100, got "101"'],
    [row({ 9: '-1' }), 'line 2: memory_request: expected a non-negative number of GiB, got "-1"'],
    [row({ 13: '0' }), 'line 2: max_instance_per_node: expected a positive integer cap of the app\'s instances per node, or -1 (none), got "0"'],
    [row({ 14: 'soon' }), 'line 2: creation_time: expected a non-negative number of seconds, or an empty cell (created before the trace), got "soon"'],
    [row({ 16: '4' }), 'line 2: deletion_time: expected a time at or after creation_time (5), got "4"'],
    [row({ 4: 'eight' }), 'line 2: cpu_limit: expected a non-negative number, got "eight"'],
    // /tmp/h9/bad/d-limitlow.csv: cpu_request 8, cpu_limit 4.
    [row({ 4: '4' }), 'line 2: cpu_limit: expected a limit at or above cpu_request (8): the API server refuses a request above its limit, got "4"'],
    [row({ 6: '0' }), 'line 2: gpu_limit: expected a limit at or above gpu_request (1): the API server refuses a request above its limit, got "0"'],
    [row({ 8: '20' }), 'line 2: rdma_limit: expected a limit at or above rdma_request (25): the API server refuses a request above its limit, got "20"'],
    [row({ 10: '39.5' }), 'line 2: memory_limit: expected a limit at or above memory_request (40): the API server refuses a request above its limit, got "39.5"'],
    [`${H}\ninstance_1,HN\n`, 'line 2: expected 17 fields, as in the header, got 2'],
  ];
  for (const [text, msg] of cases) assert.equal(rowError('alibaba-gpu-2025', 'dlrm.csv', text), msg);
  // The disk limit counts when the disk is replayed (disk_request 85).
  const lowDisk = row({ 12: '80' });
  assert.equal(rowError('alibaba-gpu-2025', 'dlrm.csv', lowDisk, { disk: 'ephemeral-storage' }), 'line 2: disk_limit: expected a limit at or above disk_request (85): the API server refuses a request above its limit, got "80"');
  assert.equal(rowError('alibaba-gpu-2025', 'dlrm.csv', lowDisk), 'no error');
});

test('a DLRM instance whose pod name an earlier-created instance holds is an error at its row, in creation order', () => {
  const r = (sn: string, created: string, deleted: string) => `${sn},CN,app_1,8,8,0,0,0,0,40,40,10,10,-1,${created},,${deleted}`;
  // /tmp/h9/bad/d-dupsn.csv: instance_1 twice, never deleted.
  assert.equal(rowError('alibaba-gpu-2025', 'd.csv', [H, r('instance_1', '100', ''), r('instance_1', '200', '')].join('\n')), 'line 3: instance_sn: expected a pod name not in use at this row\'s time (line 2\'s pod has it for good: the trace never deletes it), got "instance_1"');
  // The file is not in time order: line 3's instance is created first and holds the name until 150.
  assert.equal(rowError('alibaba-gpu-2025', 'd.csv', [H, r('instance_1', '120', ''), r('Instance_1', '100', '150')].join('\n')), 'line 2: instance_sn: expected a pod name not in use at this row\'s time (line 3\'s pod has it until 150 s), got "instance_1"');
  assert.deepEqual(readAll('alibaba-gpu-2025', tempTrace('d.csv', [H, r('instance_1', '150', ''), r('instance_1', '100', '150')].join('\n'))).map((it) => it.line), [3, 2]);
});

test('DLRM map options: "" turns the RDMA resource and the role selector off; other values must be names', () => {
  const o = alibabaGpu2025.options;
  assert.deepEqual([o['rdmaResource']!.check(''), o['rdmaResource']!.check('example.com/nic'), o['roleNodeLabel']!.check(''), o['roleNodeLabel']!.check('example.com/role')], [null, null, null, null]);
  assert.equal(o['rdmaResource']!.check('rdma'), 'an extended resource name such as example.com/rdma (a domain, "/", a name), or "" for none');
  assert.equal(o['roleNodeLabel']!.check('Bad Key'), 'a label key such as example.com/role, or "" for none');
  assert.equal(o['disk']!.check('disk'), 'one of ignore, ephemeral-storage');
});
