// alibaba-gpu-2023: Alibaba cluster-trace-gpu-v2023 ("openb", the FGD paper's trace).
// Node list (sn,cpu_milli,memory_mib,gpu,model) → cluster.trace: one node per row, CPU in
// milli-cores, memory in MiB, `gpu` GPUs offered as `gpu × 1000` of the milli-GPU extended
// resource (map.gpuMilliResource, default alibaba.com/gpu-milli), the GPU model as a node label
// (map.modelLabel, default alibaba.com/gpu-model; none on CPU-only nodes), in pool gpu-<model>
// (lowercase), or cpu without GPUs (gpu 0, whatever the model cell says). The model must be a label value (a row error otherwise);
// a GPU node (gpu > 0) whose model is empty gets no model label and pool `gpu` (its GPUs serve
// pods without a gpu_spec, as an unlabelled node would).
// Pod list (name,cpu_milli,memory_mib,num_gpu,gpu_milli[,gpu_spec,qos,pod_phase,creation_time,
// deletion_time,scheduled_time]) → one bare pod per row asking cpu_milli, memory_mib and
// num_gpu × gpu_milli milli-GPUs; gpu_spec ("V100M16|V100M32") → a required node affinity on the
// model label (each model checked as the node list's: a label value, a row error otherwise); qos → label alibaba.com/qos (Guaranteed also sets limits = requests); created at
// creation_time and deleted at deletion_time (map.times: trace). map.times: ignore puts every pod
// at time 0 in file order, never deleted. The 5-column "multigpu" files have no times: ignore is
// implied. Milli-GPUs are one pooled extended resource per node unless a profile enables the
// Open-Gpu-Share plugin, which ties each pod's share to physical devices (src/cluster/gpu-devices.ts).
// pod_phase and scheduled_time are not used (the replay schedules every row, as the paper).
// A pod name repeated while an earlier row's pod holds it (until its deletion_time; for good
// with times: ignore or no deletion_time) is an error at the later row (fields.ts PodNames).
// map.replay: fgd replays as the FGD paper does (fgd-replay.ts); with any replay, the list's
// typical pod shapes go to the GPU-sharing plugins (FGDScore's fragmentation measure).
import { isValidLabelValue } from '../../api/labels.js';
import { openChunks } from './chunk-source.js';
import { CsvRecords } from './csv-records.js';
import { fail, integer, nonNegativeNumber, objectName, PodNames, withinCap, type Cell } from './fields.js';
import { durationOption, enumOption, extendedResourceOption, labelKeyOption, numberOption } from './map-options.js';
import { parseDuration } from '../../api/duration.js';
import { fgdOrder, publishTypicalPods } from './fgd-replay.js';
import { existingGpuDevices } from '../../cluster/gpu-devices.js';
import { traceNode } from './trace-node.js';
import { TraceRowError, type FormatOptions, type TraceCluster, type TimeCell, type TraceFormat, type TraceItem, type TraceReader } from './trace-types.js';

const POD_REQUIRED = ['name', 'cpu_milli', 'memory_mib', 'num_gpu', 'gpu_milli'];
const POD_OPTIONAL = ['gpu_spec', 'qos', 'pod_phase', 'creation_time', 'deletion_time', 'scheduled_time'];
/** What a GPU model (the node list's model, each of a pod's gpu_spec models) must be. */
const MODEL = 'at most 59 characters a-z, A-Z, 0-9, "-", "_", "." starting and ending with a letter or digit: it is the model label, and the pool gpu-<model>';

/** Whether `model` can be a node's GPU model: empty (none), or a label value whose pool
 * gpu-<model> is one too (MODEL). */
function isGpuModel(model: string): boolean {
  return model === '' || (isValidLabelValue(model) && isValidLabelValue(`gpu-${model.toLowerCase()}`));
}

const NODE_COLUMNS = ['sn', 'cpu_milli', 'memory_mib', 'gpu', 'model'];
const QOS = ['LS', 'BE', 'Burstable', 'Guaranteed'];
const MIB = 1024 * 1024;
export const QOS_LABEL = 'alibaba.com/qos';

function header(fields: readonly string[], line: number, required: readonly string[], optional: readonly string[]): Map<string, number> {
  const ix = new Map<string, number>();
  fields.forEach((f, i) => {
    if (!required.includes(f) && !optional.includes(f)) throw new TraceRowError(line, i + 1, f, `a column of the openb list (${[...required, ...optional].join(', ')})`, JSON.stringify(f));
    ix.set(f, i);
  });
  for (const r of required) if (!ix.has(r)) throw new TraceRowError(line, 0, '', `a column named ${JSON.stringify(r)} in the header`, fields.join(','));
  return ix;
}

function cells(fields: readonly string[], line: number, ix: Map<string, number>, width: number): (name: string) => Cell | null {
  if (fields.length !== width) throw new TraceRowError(line, 0, '', `${width} fields, as in the header`, `${fields.length}`);
  return (name) => {
    const i = ix.get(name);
    return i === undefined ? null : { text: fields[i] as string, line, column: i + 1, field: name };
  };
}

export const alibabaGpu2023: TraceFormat = {
  name: 'alibaba-gpu-2023',
  summary: 'openb node list → nodes (CPU, memory, milli-GPU, GPU model label); pod list → pods created and deleted at their times',
  noRows: 'no rows after the header',
  options: {
    gpuMilliResource: extendedResourceOption('extended resource counting thousandths of a GPU', 'alibaba.com/gpu-milli'),
    modelLabel: labelKeyOption('node label holding the GPU model; gpu_spec is a node affinity on it', 'alibaba.com/gpu-model'),
    times: enumOption('trace: created at creation_time, deleted at deletion_time; ignore: all at 0 s in file order, never deleted', ['trace', 'ignore']),
    replay: enumOption('stream: the rows as `times` says; fgd: the FGD paper\'s replay (seeded shuffle, top-up to topUp × GPU capacity, one pod per podInterval, never deleted, one not placed within its interval deleted)', ['stream', 'fgd']),
    topUp: numberOption('replay: fgd: pods are added (drawn with replacement) or dropped until their GPU request is this × the cluster\'s GPU capacity', 1.3, 0, 100),
    podInterval: durationOption('replay: fgd: time between two pods (each is placed or given up before the next)', '100ms'),
  },
  openPods(path, display, opts, ctx) {
    const resource = opts['gpuMilliResource'] as string;
    const fgd = opts['replay'] === 'fgd';
    // The whole list is read first for the FGD replay, or when GPU-sharing plugins want its shapes.
    if (ctx !== undefined && (fgd || existingGpuDevices(ctx.cluster).some((d) => d.resource === resource))) {
      const all = readAll(path, display, opts, !fgd);
      publishTypicalPods(all, ctx, resource, opts['modelLabel'] as string);
      if (fgd) {
        const { items, counts } = fgdOrder(all, ctx, resource, opts['topUp'] as number, parseDuration(opts['podInterval'] as string) / 1e6);
        return { ...listReader(items), replay: counts };
      }
    }
    return openRows(path, display, opts);
  },
  readCluster: (path, display, opts) => readClusterImpl(path, display, opts),
};

/** Every row of the pod list (`lenient`: malformed rows left out, the streaming pass reports
 * them). */
function readAll(path: string, display: string, opts: FormatOptions, lenient: boolean): TraceItem[] {
  const r = openRows(path, display, { ...opts, times: 'ignore' });
  const out: TraceItem[] = [];
  try {
    for (;;) {
      try {
        const it = r.next();
        if (it === null) break;
        out.push(it);
      } catch (e) {
        if (!(lenient && e instanceof TraceRowError && !e.fatal)) throw e;
      }
    }
  } finally {
    r.close();
  }
  return out;
}

function listReader(items: readonly TraceItem[]): TraceReader & { remaining(): number } {
  let i = 0;
  return { next: () => items[i++] ?? null, close: () => {}, remaining: () => Math.max(0, items.length - i) };
}

function openRows(path: string, display: string, opts: FormatOptions): TraceReader {
  const records = new CsvRecords(openChunks(path, display));
  try {
    const h = records.next();
    if (h === null) throw new TraceRowError(1, 0, '', `a header row (${POD_REQUIRED.join(',')},...)`, 'an empty file');
    const ix = header(h.fields, h.line, POD_REQUIRED, POD_OPTIONAL);
    const useTimes = opts['times'] === 'trace' && ix.has('creation_time');
    const names = new PodNames();
    const time = { field: 'creation_time', column: (ix.get('creation_time') ?? 0) + 1 };
    const timeAt = useTimes ? () => time : undefined;
    return {
      next: () => {
        const r = records.next();
        return r === null ? null : podRow(cells(r.fields, r.line, ix, h.fields.length), r.line, opts, useTimes, names, timeAt);
      },
      close: () => records.close(),
    };
  } catch (e) {
    records.close();
    throw e;
  }
}

function readClusterImpl(path: string, display: string, opts: FormatOptions): TraceCluster {
  const records = new CsvRecords(openChunks(path, display));
  const nodes = [];
  // Each name's line: a duplicate is reported here, at its row (the scenario only knows node i).
  const lines = new Map<string, number>();
  try {
    const h = records.next();
    if (h === null) throw new TraceRowError(1, 0, '', `a header row (${NODE_COLUMNS.join(',')})`, 'an empty file');
    const ix = header(h.fields, h.line, NODE_COLUMNS, []);
    for (let r = records.next(); r !== null; r = records.next()) {
      const c = cells(r.fields, r.line, ix, h.fields.length);
      const name = objectName(c('sn') as Cell);
      const first = lines.get(name);
      if (first !== undefined) fail(c('sn') as Cell, `a node name not used before (also on line ${first})`);
      lines.set(name, r.line);
      const cpu = integer(c('cpu_milli') as Cell, 'a non-negative integer number of milli-cores', 0);
      const mem = integer(c('memory_mib') as Cell, 'a non-negative integer number of MiB', 0, Infinity);
      withinCap(c('memory_mib') as Cell, 'a non-negative integer number of MiB', mem * MIB, MIB, ' bytes', '', 0);
      const gpus = integer(c('gpu') as Cell, 'a non-negative integer number of GPUs', 0, Infinity);
      withinCap(c('gpu') as Cell, 'a non-negative integer number of GPUs', gpus * 1e6, 1e6, `m of ${opts['gpuMilliResource'] as string}`, '1000 each', 0);
      const modelCell = c('model') as Cell;
      const model = modelCell.text;
      // A node with no GPU is a CPU node whatever its model cell says (it was pool gpu-<model>,
      // sized and reported with the GPU nodes).
      const pool = gpus === 0 ? 'cpu' : model !== '' ? `gpu-${model.toLowerCase()}` : 'gpu';
      if (!isGpuModel(model)) fail(modelCell, `a GPU model that is a label value (empty, or ${MODEL})`);
      const alloc: Record<string, string> = { cpu: `${cpu}m`, memory: `${mem}Mi` };
      if (gpus > 0) alloc[opts['gpuMilliResource'] as string] = String(gpus * 1000);
      const labels: Record<string, string> = model === '' || gpus === 0 ? {} : { [opts['modelLabel'] as string]: model };
      nodes.push({ node: traceNode(name, pool, alloc, labels), joinAtS: 0 });
    }
    if (nodes.length === 0) throw new TraceRowError(2, 0, '', 'at least one node row', 'none');
  } finally {
    records.close();
  }
  return { nodes, faults: [] };
}

function podRow(c: (name: string) => Cell | null, line: number, opts: FormatOptions, useTimes: boolean, names: PodNames, timeAt?: () => TimeCell): TraceItem {
  const name = objectName(c('name') as Cell);
  const cpu = integer(c('cpu_milli') as Cell, 'a non-negative integer number of milli-cores', 0);
  const mem = integer(c('memory_mib') as Cell, 'a non-negative integer number of MiB', 0, Infinity);
  withinCap(c('memory_mib') as Cell, 'a non-negative integer number of MiB', mem * MIB, MIB, ' bytes', '', 0);
  const numGpu = integer(c('num_gpu') as Cell, 'a non-negative integer number of GPUs', 0, Infinity);
  const gpuMilli = integer(c('gpu_milli') as Cell, 'an integer number of milli-GPUs from 0 to 1000', 0);
  if (gpuMilli > 1000) fail(c('gpu_milli') as Cell, 'an integer number of milli-GPUs from 0 to 1000');
  // The share is per GPU (the trace's README): 0 for CPU-only pods, a share of one GPU or 1000 for
  // one GPU, always 1000 for several. Any other pairing would turn into a different request
  // (2 × 500 asks one whole GPU; 0 × 500 asks none), so it is refused.
  if (numGpu === 0 && gpuMilli !== 0) fail(c('gpu_milli') as Cell, '0 when num_gpu is 0 (a CPU-only pod)');
  if (numGpu === 1 && gpuMilli === 0) fail(c('gpu_milli') as Cell, 'from 1 to 1000 when num_gpu is 1 (a share of the GPU, or all of it)');
  if (numGpu > 1 && gpuMilli !== 1000) fail(c('gpu_milli') as Cell, `1000 when num_gpu is ${numGpu} (pods with several GPUs take them whole)`);
  // An extended resource is counted in thousandths, as the API rules read a manifest's.
  withinCap(c('num_gpu') as Cell, 'a non-negative integer number of GPUs', numGpu * gpuMilli * 1000, gpuMilli * 1000, `m of ${opts['gpuMilliResource'] as string}`, `at gpu_milli ${gpuMilli}`, 0);
  const requests: Record<string, string> = { cpu: `${cpu}m`, memory: `${mem}Mi` };
  if (numGpu * gpuMilli > 0) requests[opts['gpuMilliResource'] as string] = String(numGpu * gpuMilli);
  const spec = c('gpu_spec');
  const models = spec === null || spec.text === '' ? [] : spec.text.split('|');
  // Each a model the node list may give (the same check): a node affinity value no node label
  // can hold would leave the pod pending for good.
  if (models.some((m) => m === '' || !isGpuModel(m))) fail(spec as Cell, `GPU models separated by "|", each a label value (${MODEL})`);
  const qosCell = c('qos');
  const qos = qosCell === null || qosCell.text === '' ? null : qosCell.text;
  if (qos !== null && !QOS.includes(qos)) fail(qosCell as Cell, `one of ${QOS.join(', ')}`);
  let timeS = 0;
  let deleteAtS: number | null = null;
  if (useTimes) {
    timeS = nonNegativeNumber(c('creation_time') as Cell, 'a non-negative number of seconds');
    const del = c('deletion_time');
    if (del !== null && del.text !== '') {
      deleteAtS = nonNegativeNumber(del, 'a non-negative number of seconds, or an empty cell');
      if (deleteAtS < timeS) fail(del, `a time at or after creation_time (${timeS})`);
    }
  }
  names.claim(c('name') as Cell, name, timeS, deleteAtS);
  return {
    kind: 'pod',
    timeS,
    line,
    ...(timeAt !== undefined ? { timeAt } : {}),
    pod: {
      name,
      requests,
      durationS: null,
      deleteAtS,
      ...(qos !== null ? { labels: { [QOS_LABEL]: qos } } : {}),
      ...(qos === 'Guaranteed' ? { guaranteed: true } : {}),
      ...(models.length > 0 ? { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: opts['modelLabel'] as string, operator: 'In', values: models }] }] } } } } : {}),
    },
  };
}
