// alibaba-2017: Alibaba cluster-trace-v2017, batch tasks and machine events.
// batch_task.csv (task_create_time, task_end_time, job_id, task_id, number_of_instances, status,
// cpus per instance in hundredths of a core, normalised memory per instance) → one row per task,
// its instances as that many pods (bare <name>-<i>, or one Job with parallelism = completions =
// instances via `as: Job`), named task-<job_id>-<task_id>. Instance counts are scaled by
// map.instanceScale (default 1), rounded half up with at least one pod per task (0.01 × 127 →
// 1, × 150 → 2, × 15,740 → 157, × 20 → 1) — the full trace asks 11.9 million instances. All
// instances arrive at task_create_time (negative times, tasks created before the
// trace, arrive at 0) and run for task_end_time − task_create_time, the trace's own run time
// (Terminated and Failed tasks; Failed ones end Succeeded here; an end before the create is a
// row error); Running and Waiting tasks run until the end (their task_end_time, the latest
// state change, is not used). Terminated and Failed tasks that ended at or before the trace's
// start (task_end_time ≤ 0: 117 rows in the published file) were over before it began: they are
// left out like the rows without a request. A task (job_id, task_id) listed twice would make
// pods of the same names (no deletions; a finished pod keeps its name): the later-created row is
// an error naming the earlier one's line. Rows without CPU and
// memory requests (9,017 Waiting tasks in the published file; a row with one and not the other
// is a row error at the empty cell) are left out: the replay counts them as
// filtered and warns once (their create time places them among the rows, for the window).
// The published file is not in time order (rows are grouped by job): the reader reads it once
// into compact typed arrays (about 60 bytes a row: 5 MB for its 80,553 rows), orders them by
// time, and builds each row's pods only when the replay reaches it.
// server_event.csv (timestamp, machine_id, event_type, event_detail, cpus, normalised memory,
// normalised disk; no header) → cluster.trace: `add` rows are nodes m-<machine_id> of `cpus`
// cores and normalised memory × map.memoryUnit bytes, joining at their timestamp; softerror
// rows whose detail is machine_fail are nodeDown faults lasting map.machineFailFor (default
// 30m; a failure while the node is still down is dropped; one of a machine never added, or
// before its add, is counted and warned about). A machine added twice is a row error. The
// events need not be in time order (the published file is grouped by machine). Other softerror details
// (agent_check, daemon_check, disk_full, nc_diskless) are not modelled.
// Memory scale: normalised memory 1.0 = map.memoryUnit (default 512Gi, a choice — the trace
// publishes no absolute size; a machine's 0.69 is then ~353 GiB). Tasks and machines use the
// same scale, so what fits where does not depend on the choice.
import { parseDuration } from '../../api/duration.js';
import { formatMilliCpu, parseInteger } from '../../api/quantity.js';
import { openChunks } from './chunk-source.js';
import { CsvRecords } from './csv-records.js';
import { fail, integer, MAX_PODS_PER_ROW, number, quote, withinCap, withinPodCap, type Cell } from './fields.js';
import { bytesOption, durationOption, numberOption } from './map-options.js';
import { traceNode } from './trace-node.js';
import { TraceRowError, type FormatOptions, type TraceCluster, type TraceFormat, type TraceItem, type TraceReader } from './trace-types.js';

const TASK_COLUMNS = ['task_create_time', 'task_end_time', 'job_id', 'task_id', 'number_of_instances', 'status', 'cpus_per_instance', 'memory_per_instance'];
const STATUSES = ['Terminated', 'Failed', 'Running', 'Waiting'];
const NO_REQUEST = 'task(s) without CPU and memory requests';
const ENDED_BEFORE = 'task(s) that ended at or before the trace\'s start (task_end_time ≤ 0)';
/** What a row is: a task to replay, or one left out (and why). */
const REPLAY = 0;
const LEFT_OUT_NO_REQUEST = 1;
const LEFT_OUT_ENDED_BEFORE = 2;
/** A repeated task, reported among the errors. */
const DUPLICATE = 3;
const EVENT_COLUMNS = ['timestamp', 'machine_id', 'event_type', 'event_detail', 'cpus', 'normalized_memory', 'normalized_disk'];

export const alibaba2017: TraceFormat = {
  name: 'alibaba-2017',
  summary: 'batch tasks → their instances as pods (or Jobs); machine events → nodes and machine_fail node-down faults',
  noRows: 'no rows after the header',
  options: {
    memoryUnit: bytesOption('bytes of normalised memory 1.0 (tasks and machines alike)', '512Gi'),
    instanceScale: numberOption('fraction of each task\'s instances replayed (rounded half up, at least one)', 1, 0, 1),
    machineFailFor: durationOption('how long a machine_fail event takes the node down', '30m'),
  },
  openPods(path, display, opts) {
    return sortedTasks(path, display, opts);
  },
  readCluster(path, display, opts) {
    return machines(path, display, opts);
  },
};

function cell(fields: readonly string[], line: number, i: number, names: readonly string[]): Cell {
  return { text: (fields[i] as string).trim(), line, column: i + 1, field: names[i] as string };
}

/** Reads the task table into typed arrays, orders it by creation time, and replays from them. */
function sortedTasks(path: string, display: string, opts: FormatOptions): TraceReader {
  const memUnit = parseInteger(opts['memoryUnit'] as string);
  const scale = opts['instanceScale'] as number;
  const maxCount = maxInstances(scale);
  const records = new CsvRecords(openChunks(path, display));
  let n = 0;
  let cap = 1024;
  let create = new Float64Array(cap);
  let end = new Float64Array(cap);
  let job = new Float64Array(cap);
  let task = new Float64Array(cap);
  let instances = new Float64Array(cap);
  let cpuCenti = new Float64Array(cap);
  let memNorm = new Float64Array(cap);
  let status = new Uint8Array(cap);
  let kind = new Uint8Array(cap);
  let lines = new Float64Array(cap);
  const errors: TraceRowError[] = [];
  const grow = () => {
    cap *= 2;
    const g = <T extends Float64Array | Uint8Array>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(cap);
      b.set(a);
      return b;
    };
    create = g(create);
    end = g(end);
    job = g(job);
    task = g(task);
    instances = g(instances);
    cpuCenti = g(cpuCenti);
    memNorm = g(memNorm);
    lines = g(lines);
    status = g(status);
    kind = g(kind);
  };
  try {
    const h = records.next();
    if (h === null) throw new TraceRowError(1, 0, '', 'a header row (task_create_time, task_end_time, job_id, task_id, ...)', 'an empty file');
    // The published header's names differ between copies: only the first is checked.
    if (!/^task_create_time$/.test(h.fields[0] ?? '')) throw new TraceRowError(1, 1, 'task_create_time', 'the batch_task.csv header (task_create_time, task_end_time, job_id, task_id, number_of_instances, status, cpus, memory)', JSON.stringify(h.fields[0] ?? ''));
    for (let r = records.next(); r !== null; r = records.next()) {
      try {
        const f = r.fields;
        if (f.length !== 8) throw new TraceRowError(r.line, 0, '', '8 fields (a batch_task.csv row)', `${f.length}`);
        const c = (i: number) => cell(f, r!.line, i, TASK_COLUMNS);
        if (n === cap) grow();
        create[n] = integer(c(0), 'an integer number of seconds', Number.MIN_SAFE_INTEGER);
        if (c(6).text === '' && c(7).text === '') {
          // No request: left out (see above), at its create time.
          kind[n] = LEFT_OUT_NO_REQUEST;
          lines[n] = r.line;
          n++;
          continue;
        }
        kind[n] = REPLAY;
        end[n] = integer(c(1), 'an integer number of seconds', Number.MIN_SAFE_INTEGER);
        job[n] = integer(c(2), 'a non-negative integer job id', 0);
        task[n] = integer(c(3), 'a non-negative integer task id', 0);
        instances[n] = integer(c(4), 'a positive integer number of instances', 1, Infinity);
        withinPodCap(c(4), 'a positive integer number of instances', podCount(instances[n] as number, scale), maxCount, scale === 1 ? '' : `at instanceScale ${scale}`);
        const s = STATUSES.indexOf(c(5).text);
        if (s < 0) fail(c(5), `one of ${STATUSES.join(', ')}`);
        status[n] = s;
        cpuCenti[n] = integer(c(6), 'a non-negative integer number of hundredths of a core', 0, Infinity);
        withinCap(c(6), 'a non-negative integer number of hundredths of a core', (cpuCenti[n] as number) * 10, 10, 'm of CPU', '', 0);
        const m = number(c(7), 'a non-negative normalised memory (a fraction)');
        if (m < 0) fail(c(7), 'a non-negative normalised memory (a fraction)');
        withinCap(c(7), 'a non-negative normalised memory (a fraction)', Math.ceil(m * memUnit), memUnit, ' bytes', `at memoryUnit ${opts['memoryUnit'] as string}`);
        memNorm[n] = m;
        if (s <= 1) {
          if ((end[n] as number) < (create[n] as number)) fail(c(1), `a time at or after task_create_time (${create[n]})`);
          if ((end[n] as number) <= 0) kind[n] = LEFT_OUT_ENDED_BEFORE;
        }
        lines[n] = r.line;
        n++;
      } catch (e) {
        if (!(e instanceof TraceRowError)) throw e;
        errors.push(e);
      }
    }
  } finally {
    records.close();
  }
  const order = Array.from({ length: n }, (_, i) => i);
  const at = (i: number) => Math.max(0, create[i] as number);
  order.sort((a, b) => at(a) - at(b) || (lines[a] as number) - (lines[b] as number));
  // Repeated tasks: the replayed rows by task, then by when they arrive; all but each task's
  // first are errors.
  const rank = new Float64Array(n);
  order.forEach((i, k) => (rank[i] = k));
  const byTask = order.filter((i) => kind[i] === REPLAY).sort((a, b) => (job[a] as number) - (job[b] as number) || (task[a] as number) - (task[b] as number) || (rank[a] as number) - (rank[b] as number));
  let firstOfTask = -1;
  for (const i of byTask) {
    if (firstOfTask >= 0 && job[i] === job[firstOfTask] && task[i] === task[firstOfTask]) {
      kind[i] = DUPLICATE;
      errors.push(new TraceRowError(lines[i] as number, 4, 'task_id', `a task not listed before (job ${job[i]}, task ${task[i]} is also on line ${lines[firstOfTask]})`, quote(String(task[i]))));
    } else firstOfTask = i;
  }
  errors.sort((a, b) => a.line - b.line);
  let next = 0;
  return {
    // Malformed rows come first (the file is read before any row is replayed).
    next(): TraceItem | null {
      const e = errors.shift();
      if (e !== undefined) throw e;
      while (next < n && kind[order[next] as number] === DUPLICATE) next++;
      if (next >= n) return null;
      const i = order[next++] as number;
      const t = at(i);
      if (kind[i] === LEFT_OUT_NO_REQUEST) return { kind: 'leftOut', timeS: t, line: lines[i] as number, column: 7, reason: NO_REQUEST };
      if (kind[i] === LEFT_OUT_ENDED_BEFORE) return { kind: 'leftOut', timeS: t, line: lines[i] as number, column: 2, reason: ENDED_BEFORE };
      const ended = (status[i] as number) <= 1;
      const count = podCount(instances[i] as number, scale);
      return {
        kind: 'pod',
        timeS: t,
        line: lines[i] as number,
        pod: {
          name: `task-${job[i]}-${task[i]}`,
          requests: { cpu: formatMilliCpu((cpuCenti[i] as number) * 10), memory: String(Math.ceil((memNorm[i] as number) * memUnit)) },
          durationS: ended ? (end[i] as number) - (create[i] as number) : null,
          deleteAtS: null,
          labels: { 'alibaba.com/job': String(job[i]), 'alibaba.com/status': STATUSES[status[i] as number] as string },
          ...(count > 1 ? { count } : {}),
        },
      };
    },
    close() {
      next = n;
    },
  };
}

/** A task's pods: its instances × instanceScale, half up, at least one. The epsilon keeps a
 * product such as 0.07 × 50 = 3.5000000000000004 (or one a hair below a half) where the
 * decimal arithmetic puts it. */
function podCount(instances: number, scale: number): number {
  return Math.max(1, Math.floor(instances * scale + 0.5 + 1e-9));
}

/** The most instances a task may have at `scale` (its pods at most MAX_PODS_PER_ROW). */
function maxInstances(scale: number): number {
  let n = Math.floor((MAX_PODS_PER_ROW + 0.5) / scale);
  while (podCount(n, scale) > MAX_PODS_PER_ROW) n--;
  while (podCount(n + 1, scale) <= MAX_PODS_PER_ROW) n++;
  return n;
}

function machines(path: string, display: string, opts: FormatOptions): TraceCluster {
  const records = new CsvRecords(openChunks(path, display));
  const memUnit = parseInteger(opts['memoryUnit'] as string);
  const failForUs = parseDuration(opts['machineFailFor'] as string);
  const adds = new Map<number, { joinAtS: number; cpus: number; mem: number; line: number }>();
  const fails: { atS: number; id: number; line: number }[] = [];
  try {
    for (let r = records.next(); r !== null; r = records.next()) {
      const f = r.fields;
      if (f.length !== 7) throw new TraceRowError(r.line, 0, '', '7 fields (timestamp, machine_id, event_type, event_detail, cpus, normalized_memory, normalized_disk; no header)', `${f.length}`);
      const c = (i: number) => cell(f, r!.line, i, EVENT_COLUMNS);
      const atS = integer(c(0), 'a non-negative integer number of seconds', 0);
      const id = integer(c(1), 'a non-negative integer machine id', 0);
      const type = c(2).text;
      if (type === 'add') {
        // A machine is added once: the published file has one add per machine (1313 adds,
        // 1313 machine ids) and no remove event, so a second add of an id is a mistake (two
        // files joined, a row repeated), refused as the openb node list refuses a repeated name.
        const earlier = adds.get(id);
        if (earlier !== undefined) fail(c(1), `a machine not added before (machine ${id} is added on line ${earlier.line})`);
        {
          const cpus = integer(c(4), 'a positive integer number of cores', 1, Infinity);
          withinCap(c(4), 'a positive integer number of cores', cpus * 1000, 1000, 'm of CPU', '', 0);
          const mem = number(c(5), 'a normalised memory (a fraction)');
          withinCap(c(5), 'a normalised memory (a fraction)', Math.ceil(mem * memUnit), memUnit, ' bytes', `at memoryUnit ${opts['memoryUnit'] as string}`);
          adds.set(id, { joinAtS: atS, cpus, mem, line: r.line });
        }
      } else if (type === 'softerror' || type === 'harderror') {
        if (c(3).text === 'machine_fail') fails.push({ atS, id, line: r.line });
      } else {
        fail(c(2), 'one of add, softerror, harderror');
      }
    }
  } finally {
    records.close();
  }
  if (adds.size === 0) throw new TraceRowError(1, 0, '', 'at least one add event (a machine)', 'none');
  const ids = [...adds.keys()].sort((a, b) => a - b);
  const nodes = ids.map((id) => {
    const a = adds.get(id)!;
    return { node: traceNode(`m-${id}`, 'machine', { cpu: String(a.cpus), memory: String(Math.ceil(a.mem * memUnit)) }), joinAtS: a.joinAtS };
  });
  fails.sort((a, b) => a.atS - b.atS || a.line - b.line);
  const downUntilUs = new Map<number, number>();
  const faults = [];
  // A failure of a machine the file never adds (a file cut to fewer machines keeps other
  // machines' error rows), or before its add, has no node to take down: counted and warned
  // about (the published file has neither: its 39 error rows are of added machines, all added
  // at 0), not an error, so a subset of the machines replays.
  const unknown = { count: 0, first: '' };
  const early = { count: 0, first: '' };
  for (const f of fails) {
    const a = adds.get(f.id);
    const atUs = f.atS * 1_000_000;
    if (a === undefined) {
      if (unknown.count++ === 0) unknown.first = `${display}:${f.line} (machine ${f.id})`;
      continue;
    }
    if (f.atS < a.joinAtS) {
      if (early.count++ === 0) early.first = `${display}:${f.line} (machine ${f.id} at ${f.atS} s, added at ${a.joinAtS} s on line ${a.line})`;
      continue;
    }
    if (atUs < (downUntilUs.get(f.id) ?? -1)) continue;
    downUntilUs.set(f.id, atUs + failForUs);
    faults.push({ kind: 'nodeDown' as const, target: `m-${f.id}`, nodes: [`m-${f.id}`], atUs, forUs: failForUs });
  }
  const warnings: string[] = [];
  if (unknown.count > 0) warnings.push(`${unknown.count} machine_fail event(s) of a machine the file never adds, not replayed (no such node), first: ${unknown.first}`);
  if (early.count > 0) warnings.push(`${early.count} machine_fail event(s) before their machine's add, not replayed (the node had not joined), first: ${early.first}`);
  return { nodes, faults, ...(warnings.length > 0 ? { warnings } : {}) };
}
