import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sharedTrace, skipWithoutTrace } from '../../testing/shared-traces.js';
import { alibabaGpu2023 } from './alibaba-gpu-2023.js';
import { defaults, readAll, rowError, tempTrace } from './testing.js';

const PODS = 'alibaba-gpu-v2023-openb/openb_pod_list_default.csv';
const SPEC = 'alibaba-gpu-v2023-openb/openb_pod_list_gpuspec33.csv';
const NODES = 'alibaba-gpu-v2023-openb/openb_node_list_all_node.csv';

test('the first openb pods map to the pods of their rows', { skip: skipWithoutTrace(PODS) }, () => {
  // openb_pod_list_default.csv lines 2-3:
  //   openb-pod-0000,12000,16384,1,1000,,LS,Running,0,12537496,0
  //   openb-pod-0001,6000,12288,1,460,,LS,Running,427061,12902960,427061
  assert.deepEqual(readAll('alibaba-gpu-2023', sharedTrace(PODS), {}, 2), [
    { kind: 'pod', timeS: 0, line: 2, pod: { name: 'openb-pod-0000', requests: { cpu: '12000m', memory: '16384Mi', 'alibaba.com/gpu-milli': '1000' }, durationS: null, deleteAtS: 12537496, labels: { 'alibaba.com/qos': 'LS' } } },
    { kind: 'pod', timeS: 427061, line: 3, pod: { name: 'openb-pod-0001', requests: { cpu: '6000m', memory: '12288Mi', 'alibaba.com/gpu-milli': '460' }, durationS: null, deleteAtS: 12902960, labels: { 'alibaba.com/qos': 'LS' } } },
  ]);
});

test('the whole openb default pod list is read (8,152 pods)', { skip: skipWithoutTrace(PODS) }, () => {
  assert.equal(readAll('alibaba-gpu-2023', sharedTrace(PODS)).length, 8152);
});

test('openb gpu_spec becomes a required node affinity on the model label', { skip: skipWithoutTrace(SPEC) }, () => {
  // openb_pod_list_gpuspec33.csv line 11: openb-pod-0009,12000,16384,1,1000,V100M16|V100M32,LS,Running,4975773,12902960,4975773
  const items = readAll('alibaba-gpu-2023', sharedTrace(SPEC), {}, 10);
  const it = items[9]!;
  assert.equal(it.kind === 'pod' && it.pod.name, 'openb-pod-0009');
  assert.deepEqual(it.kind === 'pod' && it.pod.affinity, {
    nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'alibaba.com/gpu-model', operator: 'In', values: ['V100M16', 'V100M32'] }] }] } },
  });
});

test('openb times: ignore puts every pod at 0 s, never deleted (the FGD replay)', { skip: skipWithoutTrace(PODS) }, () => {
  const [a, b] = readAll('alibaba-gpu-2023', sharedTrace(PODS), { times: 'ignore' }, 2);
  assert.deepEqual([a?.timeS, b?.timeS, a?.kind === 'pod' && a.pod.deleteAtS], [0, 0, null]);
});

test('the openb node list becomes the cluster', { skip: skipWithoutTrace(NODES) }, () => {
  const c = alibabaGpu2023.readCluster!(sharedTrace(NODES), 'nodes', defaults('alibaba-gpu-2023'));
  assert.equal(c.nodes.length, 1523);
  // line 2: openb-node-0000,32000,262144,0,   line 125: openb-node-0123,64000,262144,2,P100
  assert.deepEqual(c.nodes[0]!.node.status?.allocatable, { cpu: '32000m', memory: '262144Mi', pods: '110' });
  assert.deepEqual(c.nodes[0]!.node.metadata?.labels, { 'kubernetes.io/hostname': 'openb-node-0000', 'ksim.io/pool': 'cpu' });
  assert.deepEqual(c.nodes[123]!.node.status?.allocatable, { cpu: '64000m', memory: '262144Mi', 'alibaba.com/gpu-milli': '2000', pods: '110' });
  assert.deepEqual(c.nodes[123]!.node.metadata?.labels, { 'alibaba.com/gpu-model': 'P100', 'kubernetes.io/hostname': 'openb-node-0123', 'ksim.io/pool': 'gpu-p100' });
});

const MODEL_RULE = 'at most 59 characters a-z, A-Z, 0-9, "-", "_", "." starting and ending with a letter or digit: it is the model label, and the pool gpu-<model>';

test('malformed openb rows give exact messages', () => {
  const h = 'name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,deletion_time,scheduled_time';
  const cases: [string, string][] = [
    ['name,cpu,memory_mib\n', 'line 1: cpu: expected a column of the openb list (name, cpu_milli, memory_mib, num_gpu, gpu_milli, gpu_spec, qos, pod_phase, creation_time, deletion_time, scheduled_time), got "cpu"'],
    [`${h}\np,1.5,1,0,0,,LS,Running,0,1,0\n`, 'line 2: cpu_milli: expected a non-negative integer number of milli-cores, got "1.5"'],
    [`${h}\np,1,1,1,1200,,LS,Running,0,1,0\n`, 'line 2: gpu_milli: expected an integer number of milli-GPUs from 0 to 1000, got "1200"'],
    [`${h}\np,1,1,2,500,,LS,Running,0,1,0\n`, 'line 2: gpu_milli: expected 1000 when num_gpu is 2 (pods with several GPUs take them whole), got "500"'],
    [`${h}\np,1,1,0,500,,LS,Running,0,1,0\n`, 'line 2: gpu_milli: expected 0 when num_gpu is 0 (a CPU-only pod), got "500"'],
    [`${h}\np,1,1,1,0,,LS,Running,0,1,0\n`, 'line 2: gpu_milli: expected from 1 to 1000 when num_gpu is 1 (a share of the GPU, or all of it), got "0"'],
    [`${h}\np,1,1,0,0,,Gold,Running,0,1,0\n`, 'line 2: qos: expected one of LS, BE, Burstable, Guaranteed, got "Gold"'],
    [`${h}\np,1,1,0,0,,LS,Running,9,1,0\n`, 'line 2: deletion_time: expected a time at or after creation_time (9), got "1"'],
    // /tmp/h9/bad/ob-dup.csv: p0 created again before its deletion; with times: ignore, ever.
    [`${h}\np0,1000,100,0,0,,LS,Running,0,100,0\np0,1000,100,0,0,,LS,Running,1,100,0\n`, 'line 3: name: expected a pod name not in use at this row\'s time (line 2\'s pod has it until 100 s), got "p0"'],
    [`${h}\np0,1000,100,0,0,,LS,Running,0,,0\np0,1000,100,0,0,,LS,Running,1,,0\n`, 'line 3: name: expected a pod name not in use at this row\'s time (line 2\'s pod has it for good: the trace never deletes it), got "p0"'],
    // /tmp/h52/odd/ob_spec.csv, ob_quoted.csv: a gpu_spec model no node label can hold (the
    // node list refuses the same model at its row): refused, not a pod pending for good.
    [`${h}\np0,4000,8192,1,500,V100 M16,LS,Running,0,500,0\n`, `line 2: gpu_spec: expected GPU models separated by "|", each a label value (${MODEL_RULE}), got "V100 M16"`],
    [`${h}\n"p0",4000,8192,1,500,"V100M16,G2",LS,Running,0,100,0\n`, `line 2: gpu_spec: expected GPU models separated by "|", each a label value (${MODEL_RULE}), got "V100M16,G2"`],
    [`${h}\np0,4000,8192,1,500,V100M16||G2,LS,Running,0,100,0\n`, `line 2: gpu_spec: expected GPU models separated by "|", each a label value (${MODEL_RULE}), got "V100M16||G2"`],
    [`${h}\np0,4000,8192,1,500,${'A'.repeat(60)},LS,Running,0,100,0\n`, `line 2: gpu_spec: expected GPU models separated by "|", each a label value (${MODEL_RULE}), got "${'A'.repeat(60)}"`],
  ];
  for (const [text, message] of cases) assert.equal(rowError('alibaba-gpu-2023', 'p.csv', text), message, text);
  assert.equal(rowError('alibaba-gpu-2023', 'p.csv', `${h}\np0,4000,8192,1,500,V100M16|G2,LS,Running,0,100,0\n`), 'no error');
  // A name may come back once the trace deleted its pod, but not with times: ignore (no deletions).
  const again = `${h}\np0,1000,100,0,0,,LS,Running,0,100,0\np0,1000,100,0,0,,LS,Running,100,200,0\n`;
  assert.deepEqual(readAll('alibaba-gpu-2023', tempTrace('p.csv', again)).map((it) => it.line), [2, 3]);
  assert.equal(rowError('alibaba-gpu-2023', 'p.csv', again, { times: 'ignore' }), 'line 3: name: expected a pod name not in use at this row\'s time (line 2\'s pod has it for good: the trace never deletes it), got "p0"');
});

test('a node named twice in the openb node list is an error at its row of the list', () => {
  const path = tempTrace('nodes.csv', 'model,sn,cpu_milli,memory_mib,gpu\nP100,n-0,64000,262144,2\nP100,n-1,64000,262144,2\n,n-0,32000,262144,0\n');
  assert.throws(() => alibabaGpu2023.readCluster!(path, 'nodes.csv', defaults('alibaba-gpu-2023')), (e: unknown) => {
    assert.equal((e as Error).message, 'line 4: sn: expected a node name not used before (also on line 2), got "n-0"');
    return true;
  });
});

test('an openb node model that is not a label value is an error at its row; a GPU node without a model is in pool gpu, unlabelled; a node without GPUs is in pool cpu', () => {
  const read = (rows: string) => alibabaGpu2023.readCluster!(tempTrace('nodes.csv', `sn,cpu_milli,memory_mib,gpu,model\n${rows}`), 'nodes.csv', defaults('alibaba-gpu-2023'));
  const error = (rows: string) => {
    try {
      read(rows);
    } catch (e) {
      return (e as Error).message;
    }
    return 'no error';
  };
  const expected = 'a GPU model that is a label value (empty, or at most 59 characters a-z, A-Z, 0-9, "-", "_", "." starting and ending with a letter or digit: it is the model label, and the pool gpu-<model>)';
  // /tmp/h9/bad/n-badmodel.csv
  assert.equal(error('n0,32000,262144,1,V100 M16\n'), `line 2: model: expected ${expected}, got "V100 M16"`);
  assert.equal(error(`n0,32000,262144,1,${'A'.repeat(60)}\n`), `line 2: model: expected ${expected}, got "${'A'.repeat(60)}"`);
  // /tmp/h9/bad/n-gpunomodel.csv: 2 GPUs, no model.
  const [gpu, cpu] = read('n0,32000,262144,2,\nn1,32000,262144,0,\n').nodes.map((n) => n.node);
  assert.deepEqual([gpu?.metadata?.labels, gpu?.status?.allocatable?.['alibaba.com/gpu-milli']], [{ 'kubernetes.io/hostname': 'n0', 'ksim.io/pool': 'gpu' }, '2000']);
  assert.deepEqual(cpu?.metadata?.labels, { 'kubernetes.io/hostname': 'n1', 'ksim.io/pool': 'cpu' });
  // 0 GPUs with a model: a CPU node like the others (it was pool gpu-v100m16, labelled V100M16).
  const [none] = read('n2,32000,262144,0,V100M16\n').nodes.map((n) => n.node);
  assert.deepEqual([none?.metadata?.labels, none?.status?.allocatable?.['alibaba.com/gpu-milli']], [{ 'kubernetes.io/hostname': 'n2', 'ksim.io/pool': 'cpu' }, undefined]);
});
