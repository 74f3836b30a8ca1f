// A trace value that is well formed but asks more than the largest quantity ksim counts
// (Number.MAX_SAFE_INTEGER base units: milli-CPU, bytes, thousandths of an extended resource) is
// a row error saying so, in every format, as a manifest's quantity is refused (src/api/quantity.ts
// QuantityRangeError): not "malformed", and not an internal error when the pod is built.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TRACE_FORMATS } from './registry.js';
import { defaults, rowError, tempTrace } from './testing.js';
import { TraceRowError } from './trace-types.js';

const MAX = 'the largest quantity ksim counts';

test('ksim-csv quantities over the cap say so, as a manifest\'s do (not "a non-negative Kubernetes quantity")', () => {
  const cases: [string, string][] = [
    // /tmp/h22/odd/bigcpu.csv, q.csv: CPU is counted in thousandths, so "1P" (10^15) is over.
    ['time_s,name,cpu\n0,a,99999999999999\n', 'line 2: cpu: expected a quantity at most 9007199254740991m (counted in thousandths), got "99999999999999"'],
    ['time_s,name,cpu\n0,a,1P\n', 'line 2: cpu: expected a quantity at most 9007199254740991m (counted in thousandths), got "1P"'],
    ['time_s,name,cpu\n0,a,1e15\n', 'line 2: cpu: expected a quantity at most 9007199254740991m (counted in thousandths), got "1e15"'],
    ['time_s,name,memory\n0,a,8Pi\n', 'line 2: memory: expected a quantity at most 9007199254740991 (in base units), got "8Pi"'],
    ['time_s,name,example.com/fpga\n0,a,1e13\n', 'line 2: example.com/fpga: expected a quantity at most 9007199254740991m (counted in thousandths), got "1e13"'],
    // Malformed and negative quantities keep their own message.
    ['time_s,name,cpu\n0,a,-1P\n', 'line 2: cpu: expected a non-negative Kubernetes quantity such as 500m or 2, got "-1P"'],
  ];
  for (const [text, message] of cases) assert.equal(rowError('ksim-csv', 't.csv', text), message, text);
  // Just under the caps: accepted.
  assert.equal(rowError('ksim-csv', 't.csv', 'time_s,name,cpu,memory\n0,a,9007199254740991m,9007199254740991\n'), 'no error');
});

test('openb, DLRM, 2017 and SWF amounts over the cap are row errors naming the cell\'s maximum', () => {
  const OB = 'name,cpu_milli,memory_mib,num_gpu,gpu_milli\n';
  assert.equal(rowError('alibaba-gpu-2023', 'p.csv', `${OB}a,1000,9000000000000,0,0\n`), `line 2: memory_mib: expected a non-negative integer number of MiB at most 8589934591 (9007199254740991 bytes is ${MAX}), got "9000000000000"`);
  // Beyond the safe integers too (it said "a non-negative integer number of MiB").
  assert.equal(rowError('alibaba-gpu-2023', 'p.csv', `${OB}a,1000,99999999999999999,0,0\n`), `line 2: memory_mib: expected a non-negative integer number of MiB at most 8589934591 (9007199254740991 bytes is ${MAX}), got "99999999999999999"`);
  assert.equal(rowError('alibaba-gpu-2023', 'p.csv', `${OB}a,1000,1,99999999999999,1000\n`), `line 2: num_gpu: expected a non-negative integer number of GPUs at most 9007199254 (at gpu_milli 1000; 9007199254740991m of alibaba.com/gpu-milli is ${MAX}), got "99999999999999"`);
  assert.equal(rowError('alibaba-gpu-2023', 'p.csv', `${OB}a,99999999999999999,1,0,0\n`), 'line 2: cpu_milli: expected a non-negative integer number of milli-cores at most 9007199254740991, got "99999999999999999"');

  const DL = 'instance_sn,role,app_name,cpu_request,cpu_limit,gpu_request,gpu_limit,rdma_request,rdma_limit,memory_request,memory_limit,disk_request,disk_limit,max_instance_per_node,creation_time,scheduled_time,deletion_time\n';
  assert.equal(rowError('alibaba-gpu-2025', 'd.csv', `${DL}instance_0,HN,app_0,9999999999999,9999999999999,1,1,25,25,120,120,640,800,8,,,\n`), `line 2: cpu_request: expected a non-negative number of vCPUs at most 9007199254740.991 (9007199254740991m of CPU is ${MAX}), got "9999999999999"`);
  assert.equal(rowError('alibaba-gpu-2025', 'd.csv', `${DL}instance_0,HN,app_0,12,12,1,1,25,25,9999999999,9999999999,640,800,8,,,\n`), `line 2: memory_request: expected a non-negative number of GiB at most 8388607.999 (9007199254740991 bytes is ${MAX}), got "9999999999"`);

  const BT = 'task_create_time,task_end_time,job_id,task_id,number_of_instances,status,cpus,memory\n';
  assert.equal(rowError('alibaba-2017', 'b.csv', `${BT}6459,6524,3,4,1,Terminated,100,99999999\n`), `line 2: memory_per_instance: expected a non-negative normalised memory (a fraction) at most 16383.999 (at memoryUnit 512Gi; 9007199254740991 bytes is ${MAX}), got "99999999"`);
  assert.equal(rowError('alibaba-2017', 'b.csv', `${BT}6459,6524,3,4,1,Terminated,999999999999999,0.1\n`), `line 2: cpus_per_instance: expected a non-negative integer number of hundredths of a core at most 900719925474099 (9007199254740991m of CPU is ${MAX}), got "999999999999999"`);

  const job = '1 0 -1 5 128 -1 -1 -1 -1 -1 1 1 1 -1 -1 -1 -1 -1\n';
  assert.equal(rowError('swf', 'j.swf', job, { cpuPerProcessor: '1T' }), `line 1: allocated_processors: expected a number of processors at most 9 (at cpuPerProcessor 1T; 9007199254740991m of CPU is ${MAX}), got "128"`);
  assert.equal(rowError('swf', 'j.swf', job, { memoryPerProcessor: '1Pi' }), `line 1: allocated_processors: expected a number of processors at most 7 (at memoryPerProcessor 1Pi; 9007199254740991 bytes is ${MAX}), got "128"`);
});

test('cluster.trace node lists over the cap are row errors too', () => {
  const clusterError = (format: string, name: string, text: string): string => {
    try {
      TRACE_FORMATS[format]!.readCluster!(tempTrace(name, text), 'trace', defaults(format));
    } catch (e) {
      if (e instanceof TraceRowError) return e.message;
      throw e;
    }
    return 'no error';
  };
  assert.equal(clusterError('alibaba-gpu-2023', 'n.csv', 'sn,cpu_milli,memory_mib,gpu,model\nn1,1000,9000000000000,0,\n'), `line 2: memory_mib: expected a non-negative integer number of MiB at most 8589934591 (9007199254740991 bytes is ${MAX}), got "9000000000000"`);
  assert.equal(clusterError('alibaba-2017', 's.csv', '0,1,add,,99999999999999,0.5,1\n'), `line 1: cpus: expected a positive integer number of cores at most 9007199254740 (9007199254740991m of CPU is ${MAX}), got "99999999999999"`);
});
