// alibaba-gpu-2025: Alibaba cluster-trace-gpu-v2025, the GPU-disaggregated DLRM inference
// instances of the NSDI '25 paper (disaggregated_DLRM_trace.csv). One bare pod per row:
// instance_sn ("instance_12") → pod "instance-12"; cpu_request vCPU, memory_request GiB,
// gpu_request GPUs (map.gpuResource, default nvidia.com/gpu), rdma_request (a share of one RDMA
// NIC, 0-100: map.rdmaResource, default alibaba.com/rdma, "" for none; a node offers 100 per
// NIC), disk_request GiB as ephemeral-storage only with map.disk: ephemeral-storage (default
// ignore: pools rarely declare it). Limits equal to the requests (every row of the published
// file) make the pod Guaranteed; a limit below its request (cpu, memory, gpu, rdma, and disk
// when it is replayed) is a row error at the limit, as the API server refuses a request above
// its limit. Labels: alibaba.com/app (app_name), alibaba.com/role (CN: a
// CPU-node instance, HN: a GPU-node one) and alibaba.com/max-instance-per-node when the row
// caps its app's instances per node (Kubernetes has no such constraint; ksim's
// MaxInstancesPerNode filter keeps it when a profile enables it). With
// map.roleNodeLabel a pod's role is a nodeSelector on that node label (CN instances on CPU
// nodes, HN on GPU nodes, as the paper's disaggregated cluster runs them).
// A row without creation_time was created before the trace: it arrives at 0 s, in row order; a
// row without deletion_time lives to the end. scheduled_time is not used (the replay schedules).
// The published file is not in time order (1,651 rows come before an earlier one): it is read
// once (23,871 rows) and ordered by creation time, then row. In that order, an instance whose pod
// name is held by an earlier-created one (until its deletion_time; for good without one) is an
// error at its row (fields.ts PodNames), reported with the malformed rows, by line.
import { formatMilliCpu } from '../../api/quantity.js';
import { DEFAULT_APP_LABEL, DEFAULT_CAP_LABEL } from '../../scheduler/plugins/max-instances-per-node.js';
import { isValidLabelValue } from '../../api/labels.js';
import { openChunks } from './chunk-source.js';
import { CsvRecords } from './csv-records.js';
import { fail, integer, isObjectName, nonNegativeNumber, PodNames, withinCap, type Cell } from './fields.js';
import { enumOption, extendedResourceOption, labelKeyOption } from './map-options.js';
import { TraceRowError, type FormatOptions, type MapOption, type TraceFormat, type TraceItem, type TracePod, type TraceReader } from './trace-types.js';

const USED = ['instance_sn', 'role', 'app_name', 'cpu_request', 'memory_request', 'gpu_request', 'rdma_request', 'disk_request', 'max_instance_per_node', 'creation_time', 'deletion_time'];
const OTHER = ['cpu_limit', 'memory_limit', 'gpu_limit', 'rdma_limit', 'disk_limit', 'scheduled_time'];
const ROLES = ['CN', 'HN'];
const GIB = 2 ** 30;
// The labels MaxInstancesPerNode reads by default, so that a profile enabling it keeps the caps.
const APP_LABEL = DEFAULT_APP_LABEL;
const MAX_PER_NODE_LABEL = DEFAULT_CAP_LABEL;
const ROLE_LABEL = 'alibaba.com/role';

/** An extended resource name, or "" for none. */
function optionalResourceOption(description: string, dflt: string): MapOption {
  const base = extendedResourceOption(description, dflt);
  return { ...base, check: (v) => (v === '' || base.check(v) === null ? null : 'an extended resource name such as example.com/rdma (a domain, "/", a name), or "" for none') };
}

/** A label key, or "" for none. */
function optionalLabelKeyOption(description: string, dflt: string): MapOption {
  const base = labelKeyOption(description, dflt);
  return { ...base, check: (v) => (v === '' || base.check(v) === null ? null : 'a label key such as example.com/role, or "" for none') };
}

/** GiB as a quantity: whole Gi or Mi when exact, else bytes. */
function gibQuantity(gib: number): string {
  if (Number.isInteger(gib)) return `${gib}Gi`;
  if (Number.isInteger(gib * 1024)) return `${gib * 1024}Mi`;
  return String(Math.round(gib * GIB));
}

export const alibabaGpu2025: TraceFormat = {
  name: 'alibaba-gpu-2025',
  summary: 'DLRM inference instances → Guaranteed pods (CPU, memory, GPU, RDMA share) created and deleted at their times; no node list (choose the cluster)',
  noRows: 'no rows after the header',
  options: {
    gpuResource: extendedResourceOption('extended resource counting GPUs', 'nvidia.com/gpu'),
    rdmaResource: optionalResourceOption('extended resource counting percent of an RDMA NIC ("": none)', 'alibaba.com/rdma'),
    disk: enumOption('ignore: no disk request; ephemeral-storage: disk_request GiB of ephemeral storage', ['ignore', 'ephemeral-storage']),
    roleNodeLabel: optionalLabelKeyOption('node label whose value (CN or HN) a pod\'s role must match: a nodeSelector ("": none)', ''),
  },
  openPods(path, display, opts) {
    return sortedRows(path, display, opts);
  },
};

/** Reads every row, then replays them by creation time (malformed rows first, as read). */
function sortedRows(path: string, display: string, opts: FormatOptions): TraceReader {
  const records = new CsvRecords(openChunks(path, display));
  /** Each good row's pod and its instance_sn cell (for a repeated name). */
  const rows: { readonly item: TraceItem & { kind: 'pod' }; readonly sn: Cell }[] = [];
  const errors: TraceRowError[] = [];
  try {
    const h = records.next();
    if (h === null) throw new TraceRowError(1, 0, '', `a header row (${USED.slice(0, 4).join(',')},...)`, 'an empty file');
    const ix = new Map<string, number>();
    h.fields.forEach((f, i) => {
      if (!USED.includes(f) && !OTHER.includes(f)) throw new TraceRowError(h.line, i + 1, f, `a column of disaggregated_DLRM_trace.csv (${[...USED, ...OTHER].join(', ')})`, JSON.stringify(f));
      ix.set(f, i);
    });
    for (const u of USED) if (!ix.has(u)) throw new TraceRowError(h.line, 0, '', `a column named ${JSON.stringify(u)} in the header`, h.fields.join(','));
    for (let r = records.next(); r !== null; r = records.next()) {
      const fields = r.fields;
      const line = r.line;
      try {
        if (fields.length !== h.fields.length) throw new TraceRowError(line, 0, '', `${h.fields.length} fields, as in the header`, `${fields.length}`);
        const c = (name: string): Cell | null => {
          const i = ix.get(name);
          return i === undefined ? null : { text: fields[i] as string, line, column: i + 1, field: name };
        };
        rows.push({ item: row(c, line, opts), sn: c('instance_sn') as Cell });
      } catch (e) {
        if (!(e instanceof TraceRowError)) throw e;
        errors.push(e);
      }
    }
  } finally {
    records.close();
  }
  // Stable: rows created at the same time (the 7,280 created before the trace) keep row order.
  rows.sort((a, b) => a.item.timeS - b.item.timeS || a.item.line - b.item.line);
  const names = new PodNames();
  const items: TraceItem[] = [];
  for (const r of rows) {
    try {
      names.claim(r.sn, r.item.pod.name, r.item.timeS, r.item.pod.deleteAtS);
      items.push(r.item);
    } catch (e) {
      if (!(e instanceof TraceRowError)) throw e;
      errors.push(e);
    }
  }
  errors.sort((a, b) => a.line - b.line);
  let next = 0;
  return {
    next(): TraceItem | null {
      const e = errors.shift();
      if (e !== undefined) throw e;
      return items[next++] ?? null;
    },
    close: () => {},
  };
}

function row(c: (name: string) => Cell | null, line: number, opts: FormatOptions): TraceItem & { kind: 'pod' } {
  const cell = (n: string) => c(n) as Cell;
  const sn = cell('instance_sn');
  const name = sn.text.toLowerCase().replaceAll('_', '-');
  if (!isObjectName(name)) fail(sn, 'an instance id that is a Kubernetes name once "_" becomes "-" (such as instance_12)');
  const role = cell('role');
  if (!ROLES.includes(role.text)) fail(role, 'CN (a CPU-node instance) or HN (a GPU-node instance)');
  const app = cell('app_name');
  if (app.text === '' || !isValidLabelValue(app.text)) fail(app, 'an application name that is a label value (such as app_12)');
  const cpu = nonNegativeNumber(cell('cpu_request'), 'a non-negative number of vCPUs');
  const milli = Math.round(cpu * 1000);
  withinCap(cell('cpu_request'), 'a non-negative number of vCPUs', milli, 1000, 'm of CPU');
  if (Math.abs(milli - cpu * 1000) > 1e-6) fail(cell('cpu_request'), 'a number of vCPUs in thousandths (at most 3 decimals)');
  const memGiB = nonNegativeNumber(cell('memory_request'), 'a non-negative number of GiB');
  withinCap(cell('memory_request'), 'a non-negative number of GiB', Math.ceil(memGiB * GIB), GIB, ' bytes');
  const gpus = integer(cell('gpu_request'), 'a non-negative integer number of GPUs', 0, Infinity);
  // An extended resource is counted in thousandths, as the API rules read a manifest's.
  withinCap(cell('gpu_request'), 'a non-negative integer number of GPUs', gpus * 1000, 1000, `m of ${opts['gpuResource'] as string}`, '', 0);
  const rdma = integer(cell('rdma_request'), 'an integer share of an RDMA NIC from 0 to 100', 0);
  if (rdma > 100) fail(cell('rdma_request'), 'an integer share of an RDMA NIC from 0 to 100');
  const diskGiB = nonNegativeNumber(cell('disk_request'), 'a non-negative number of GiB');
  if (opts['disk'] === 'ephemeral-storage') withinCap(cell('disk_request'), 'a non-negative number of GiB', Math.ceil(diskGiB * GIB), GIB, ' bytes');
  const cap = integer(cell('max_instance_per_node'), 'a positive integer cap of the app\'s instances per node, or -1 (none)', -1);
  if (cap === 0) fail(cell('max_instance_per_node'), 'a positive integer cap of the app\'s instances per node, or -1 (none)');
  const created = cell('creation_time');
  const timeS = created.text === '' ? 0 : nonNegativeNumber(created, 'a non-negative number of seconds, or an empty cell (created before the trace)');
  const deleted = cell('deletion_time');
  let deleteAtS: number | null = null;
  if (deleted.text !== '') {
    deleteAtS = nonNegativeNumber(deleted, 'a non-negative number of seconds, or an empty cell (alive at the end)');
    if (deleteAtS < timeS) fail(deleted, `a time at or after creation_time (${timeS})`);
  }
  const requests: Record<string, string> = { cpu: formatMilliCpu(milli), memory: gibQuantity(memGiB) };
  if (gpus > 0) requests[opts['gpuResource'] as string] = String(gpus);
  const rdmaResource = opts['rdmaResource'] as string;
  if (rdma > 0 && rdmaResource !== '') requests[rdmaResource] = String(rdma);
  if (opts['disk'] === 'ephemeral-storage' && diskGiB > 0) requests['ephemeral-storage'] = gibQuantity(diskGiB);
  const labels: Record<string, string> = { [APP_LABEL]: app.text, [ROLE_LABEL]: role.text };
  if (cap > 0) labels[MAX_PER_NODE_LABEL] = String(cap);
  const roleKey = opts['roleNodeLabel'] as string;
  const pod: TracePod = {
    name,
    requests,
    durationS: null,
    deleteAtS,
    labels,
    ...(roleKey !== '' ? { nodeSelector: { [roleKey]: role.text } } : {}),
    ...(limitsEqualRequests(c, opts['disk'] === 'ephemeral-storage') ? { guaranteed: true } : {}),
  };
  return { kind: 'pod', timeS, line, pod };
}

/** Whether the cpu, memory, GPU and RDMA limits are all given and equal their requests (then
 * the pod is Guaranteed). A limit column present must hold a number at or above its request
 * (upstream ValidateResourceRequirements: a request must not exceed its limit); the disk limit
 * is checked only when the disk is replayed (`disk`). */
function limitsEqualRequests(c: (name: string) => Cell | null, disk: boolean): boolean {
  let equal = true;
  for (const r of ['cpu', 'memory', 'gpu', 'rdma', ...(disk ? ['disk'] : [])]) {
    const limit = c(`${r}_limit`);
    if (limit === null) {
      equal = false;
      continue;
    }
    const v = nonNegativeNumber(limit, 'a non-negative number');
    const request = Number((c(`${r}_request`) as Cell).text);
    if (v < request) fail(limit, `a limit at or above ${r}_request (${request}): the API server refuses a request above its limit`);
    if (v !== request && r !== 'disk') equal = false;
  }
  return equal;
}
