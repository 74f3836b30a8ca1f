// swf: the Parallel Workloads Archive's Standard Workload Format (.swf, .swf.gz). Lines starting
// with ";" are header comments; each job line has 18 whitespace-separated fields, -1 = unknown:
// 1 job id, 2 submit time (s), 4 run time (s), 5 allocated processors, 8 requested processors
// (used when 5 is -1 or 0), the rest unused (11, the status: 1 completed, 0 failed, 5 cancelled). A
// job arrives at its submit time and runs for its run time. A job whose run time is -1 (unknown)
// is left out (counted as filtered, warned about): in real logs these are typically jobs
// cancelled before they started (status 5), which took no processors, and for any other there is
// no run time to replay. A run time of 0 (less than half a second) is replayed. A job id used on
// an earlier job line is an error at the later one (its pods would have the same names: SWF has
// no deletions, and a finished pod keeps its name); the ids seen are kept (tens of bytes each).
// map.podsPerJob: one (default) → one pod asking processors × map.cpuPerProcessor CPU;
// perProcessor → `processors` pods of map.cpuPerProcessor each (as bare pods <name>-<i>, or with
// `as: Job` one Job whose parallelism and completions are the processors; pods start when they
// fit, no gang scheduling). map.memoryPerProcessor (default none) adds a memory request.
// The bundled NASA iPSC/860 log: 128 one-processor nodes, so cpuPerProcessor 1 on one node of
// 128 CPUs (podsPerJob one) or 128 nodes of 1 CPU (perProcessor) keeps the machine's size.
import { parseNonNegativeInteger, parseNonNegativeMilli, formatMilliCpu } from '../../api/quantity.js';
import { LineReader, openChunks } from './chunk-source.js';
import { fail, integer, MAX_PODS_PER_ROW, withinCap, withinPodCap, type Cell } from './fields.js';
import { bytesOption, cpuOption, enumOption } from './map-options.js';
import { TraceRowError, type FormatOptions, type TraceFormat, type TraceItem } from './trace-types.js';

const UNKNOWN_RUN_TIME = 'job(s) with an unknown run time (-1)';
const SUBMIT_TIME = { field: 'submit_time', column: 2 };
const submitTimeAt = () => SUBMIT_TIME;

const FIELDS = ['job_id', 'submit_time', 'wait_time', 'run_time', 'allocated_processors', 'average_cpu_time', 'used_memory', 'requested_processors', 'requested_time', 'requested_memory', 'status', 'user_id', 'group_id', 'executable_id', 'queue', 'partition', 'preceding_job', 'think_time'];

export const swf: TraceFormat = {
  name: 'swf',
  summary: 'Standard Workload Format jobs → pods (or Jobs) asking the allocated processors for the run time, arriving at submit time',
  noRows: 'no job lines',
  options: {
    cpuPerProcessor: cpuOption('CPU per processor', '1'),
    memoryPerProcessor: bytesOption('memory per processor ("0": no memory request)', '0'),
    podsPerJob: enumOption('one: one pod with all the processors; perProcessor: one pod per processor', ['one', 'perProcessor']),
  },
  openPods(path, display, opts) {
    const lines = new LineReader(openChunks(path, display));
    const cpuPerProcMilli = parseNonNegativeMilli(opts['cpuPerProcessor'] as string);
    const memPerProc = parseNonNegativeInteger(opts['memoryPerProcessor'] as string);
    const perProcessor = opts['podsPerJob'] === 'perProcessor';
    /** Job id → its line. */
    const ids = new Map<number, number>();
    return {
      next: (): TraceItem | null => {
        for (let l = lines.next(); l !== null; l = lines.next()) {
          const text = l.text.trim();
          if (text === '' || text.startsWith(';')) continue;
          return jobRow(text.split(/\s+/), l.line, cpuPerProcMilli, memPerProc, perProcessor, ids, opts);
        }
        return null;
      },
      close: () => lines.close(),
    };
  },
};

function jobRow(f: string[], line: number, cpuPerProcMilli: number, memPerProc: number, perProcessor: boolean, ids: Map<number, number>, opts: FormatOptions): TraceItem {
  if (f.length !== 18) throw new TraceRowError(line, 0, '', '18 whitespace-separated fields (a Standard Workload Format job line)', `${f.length}`);
  const cell = (i: number): Cell => ({ text: f[i] as string, line, column: i + 1, field: FIELDS[i] as string });
  const id = integer(cell(0), 'a non-negative integer job id', 0);
  const submit = integer(cell(1), 'a non-negative integer submit time (s)', 0);
  /** The id is taken once the line is known to be good (a skipped line takes none). */
  const take = () => {
    const first = ids.get(id);
    if (first !== undefined) fail(cell(0), `a job id not used before (also on line ${first})`);
    ids.set(id, line);
  };
  if (Number(f[3]) === -1) {
    take();
    return { kind: 'leftOut', timeS: submit, line, timeAt: submitTimeAt, column: 4, reason: UNKNOWN_RUN_TIME };
  }
  const run = integer(cell(3), 'a non-negative integer run time (s), or -1 (unknown)', 0);
  let procs = integer(cell(4), 'an integer number of processors (-1: unknown)', -1, Infinity);
  let procCell = cell(4);
  if (procs <= 0) {
    procCell = cell(7);
    procs = integer(procCell, `a positive number of requested processors (field 5, allocated, is ${procs === 0 ? '0' : 'unknown, -1'})`, 1, Infinity);
  }
  if (perProcessor) withinPodCap(procCell, 'a number of processors', procs, MAX_PODS_PER_ROW, 'under podsPerJob: perProcessor');
  else {
    // One pod asks them all: its requests must stay quantities ksim counts.
    withinCap(procCell, 'a number of processors', cpuPerProcMilli * procs, cpuPerProcMilli, 'm of CPU', `at cpuPerProcessor ${opts['cpuPerProcessor'] as string}`, 0);
    withinCap(procCell, 'a number of processors', memPerProc * procs, memPerProc, ' bytes', `at memoryPerProcessor ${opts['memoryPerProcessor'] as string}`, 0);
  }
  take();
  const pods = perProcessor ? procs : 1;
  const perPod = perProcessor ? 1 : procs;
  const requests: Record<string, string> = { cpu: formatMilliCpu(cpuPerProcMilli * perPod) };
  if (memPerProc > 0) requests['memory'] = String(memPerProc * perPod);
  return { kind: 'pod', timeS: submit, line, timeAt: submitTimeAt, pod: { name: `job-${id}`, requests, durationS: run, deleteAtS: null, labels: { 'swf.ksim.io/processors': String(procs) }, ...(pods > 1 ? { count: pods } : {}) } };
}
