// ksim-csv: ksim's own pod trace. One row per pod, header-named columns (any order):
//   time_s        arrival, trace seconds (rows in time order)          required
//   name          pod name (RFC 1123)                                 required
//   namespace     empty: the entry's namespace (default "default")
//   cpu, memory   requests as Kubernetes quantities; empty: none
//   duration_s    run time once started; empty: runs until deleted or the end
//   delete_s      trace time at which the pod is deleted; empty: never
//   priority      PriorityClass name (admission sets spec.priority from it, as upstream)
//   labels, node_selector   k=v;k2=v2
//   tolerations   key[=value][:Effect];...
//   <domain>/<name>         any extended resource (e.g. nvidia.com/gpu), an integer quantity
// Any other column is an error (with a did-you-mean). Rows are streamed; out-of-order times
// are an error (the replay names the row). A name (in its namespace column) repeated while an
// earlier row's pod holds it is an error at the later row (fields.ts PodNames): a pod holds its
// name until its delete_s, else until time_s + duration_s (the earliest it can finish; the run
// may still refuse a later create while the finished pod is kept), else for good.
import { closest } from '../../api/suggest.js';
import { openChunks } from './chunk-source.js';
import { CsvRecords } from './csv-records.js';
import { cpuQuantity, integerQuantity, isExtendedResourceName, labelMap, namespaceName, nonNegativeNumber, objectName, PodNames, tolerationList, wholeQuantity, type Cell } from './fields.js';
import { TraceRowError, type TraceFormat, type TracePod } from './trace-types.js';

export const KSIM_CSV_COLUMNS = ['time_s', 'name', 'namespace', 'cpu', 'memory', 'duration_s', 'delete_s', 'priority', 'labels', 'node_selector', 'tolerations'] as const;
const REQUIRED = ['time_s', 'name'];

export const ksimCsv: TraceFormat = {
  name: 'ksim-csv',
  summary: 'one pod per row: arrival, requests, run time, deletion, labels, selectors, tolerations, extended resources',
  noRows: 'no rows after the header',
  options: {},
  openPods(path, display) {
    const records = new CsvRecords(openChunks(path, display));
    try {
      const header = records.next();
      if (header === null) throw new TraceRowError(1, 0, '', `a header row naming the columns (at least ${REQUIRED.join(', ')})`, 'an empty file');
      const index = readHeader(header.fields, header.line);
      const names = new PodNames();
      const time = { field: 'time_s', column: (index.known.get('time_s') as number) + 1 };
      const timeAt = () => time;
      return {
        next: () => {
          const r = records.next();
          if (r === null) return null;
          return { kind: 'pod', timeAt, ...readRow(r.fields, r.line, index, header.fields.length, names) };
        },
        close: () => records.close(),
      };
    } catch (e) {
      records.close();
      throw e;
    }
  },
};

interface ColumnIndex {
  readonly known: ReadonlyMap<string, number>;
  readonly extended: readonly (readonly [string, number])[];
}

function readHeader(fields: readonly string[], line: number): ColumnIndex {
  const known = new Map<string, number>();
  const extended: [string, number][] = [];
  const seen = new Set<string>();
  fields.forEach((f, i) => {
    if (seen.has(f)) throw new TraceRowError(line, i + 1, f, 'each column named once', `a second ${JSON.stringify(f)}`);
    seen.add(f);
    if ((KSIM_CSV_COLUMNS as readonly string[]).includes(f)) known.set(f, i);
    else if (isExtendedResourceName(f)) extended.push([f, i]);
    else {
      const near = closest(f, KSIM_CSV_COLUMNS);
      throw new TraceRowError(line, i + 1, f, `a ksim-csv column (${KSIM_CSV_COLUMNS.join(', ')}) or an extended resource name such as nvidia.com/gpu`, `unknown column ${JSON.stringify(f)}${near === null ? '' : ` (did you mean ${JSON.stringify(near)}?)`}`);
    }
  });
  for (const r of REQUIRED) if (!known.has(r)) throw new TraceRowError(line, 0, '', `a column named ${JSON.stringify(r)} in the header`, fields.join(','));
  return { known, extended };
}

function readRow(fields: readonly string[], line: number, ix: ColumnIndex, width: number, names: PodNames): { timeS: number; line: number; pod: TracePod } {
  if (fields.length !== width) throw new TraceRowError(line, 0, '', `${width} fields, as in the header`, `${fields.length}`);
  const cell = (name: string): Cell | null => {
    const i = ix.known.get(name);
    return i === undefined ? null : { text: fields[i] as string, line, column: i + 1, field: name };
  };
  const set = (name: string): Cell | null => {
    const c = cell(name);
    return c === null || c.text === '' ? null : c;
  };
  const timeS = nonNegativeNumber(cell('time_s') as Cell, 'a non-negative number of seconds');
  const name = objectName(cell('name') as Cell);
  const requests: Record<string, string> = {};
  const cpu = set('cpu');
  if (cpu !== null) requests['cpu'] = cpuQuantity(cpu);
  const memory = set('memory');
  if (memory !== null) requests['memory'] = integerQuantity(memory);
  for (const [r, i] of ix.extended) {
    const c = { text: fields[i] as string, line, column: i + 1, field: r };
    if (c.text !== '') requests[r] = wholeQuantity(c);
  }
  const d = set('duration_s');
  const del = set('delete_s');
  const deleteAtS = del === null ? null : nonNegativeNumber(del, 'a non-negative number of seconds (trace time), or an empty cell');
  if (deleteAtS !== null && deleteAtS < timeS) throw new TraceRowError(line, (del as Cell).column, 'delete_s', `a time at or after time_s (${timeS})`, (del as Cell).text);
  const ns = set('namespace');
  const prio = set('priority');
  const labels = set('labels');
  const sel = set('node_selector');
  const tol = set('tolerations');
  const pod: TracePod = {
    name,
    requests,
    durationS: d === null ? null : nonNegativeNumber(d, 'a non-negative number of seconds, or an empty cell (runs until the end)'),
    deleteAtS,
    ...(ns !== null ? { namespace: namespaceName(ns) } : {}),
    ...(prio !== null ? { priorityClassName: objectName(prio) } : {}),
    ...(labels !== null ? { labels: labelMap(labels) } : {}),
    ...(sel !== null ? { nodeSelector: labelMap(sel) } : {}),
    ...(tol !== null ? { tolerations: tolerationList(tol) } : {}),
  };
  // Last: a row with another error holds no name.
  names.claim(cell('name') as Cell, `${ns === null ? '' : ns.text}/${name}`, timeS, deleteAtS ?? (pod.durationS === null ? null : timeS + pod.durationS));
  return { timeS, line, pod };
}
