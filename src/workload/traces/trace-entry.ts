// Trace entries of a scenario: `workload[i].trace` (a pod stream) and `cluster.trace` (nodes and
// machine faults). Reads and checks the options every format shares, the format's own `map:`
// options, and opens the file once at load time so that a missing file or a bad header is
// reported before the run starts.
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, normalize, resolve } from 'node:path';
import type { Toleration } from 'kubernetes-types/core/v1.js';
import { parseDuration } from '../../api/duration.js';
import { closest } from '../../api/suggest.js';
import { isValidLabelKey, isValidLabelValue } from '../../api/labels.js';
import { located, type Path, type YamlDoc } from '../../api/yaml-source.js';
import { KEYLESS_TOLERATION } from '../field-readers.js';
import { TRACE_FORMATS } from './registry.js';
import { rowInputError, TraceRowError, type FormatOptions, type TraceCluster, type TraceFormat } from './trace-types.js';

type Obj = Record<string, unknown>;

/** What the pods of a trace entry get, whatever the row says. */
export interface PodTemplateOptions {
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly priorityClassName?: string;
  readonly schedulerName?: string;
  readonly tolerations?: readonly Toleration[];
  /** Bare Pods (default) or one Job per row. */
  readonly as: 'Pod' | 'Job';
}

export interface TraceSpec {
  readonly format: string;
  /** Absolute path, and the path as shown in messages. */
  readonly path: string;
  readonly display: string;
  /** Simulated time of trace time `startS`. */
  readonly offsetUs: number;
  /** Trace seconds per simulated second (durations and deletions are compressed alike). */
  readonly speedUp: number;
  /** Window of trace time [startS, endS) replayed; rows outside it are dropped. */
  readonly startS: number;
  readonly endS: number | null;
  /** Data rows read at most (counted before the window and sampling, as `head`). */
  readonly limit: number | null;
  /** Fraction of rows kept (seeded stream trace/<entry>). */
  readonly sample: number;
  readonly options: FormatOptions;
  readonly onError: 'stop' | 'skip';
  readonly template: PodTemplateOptions;
}

const SHARED_FIELDS = ['format', 'file', 'offset', 'speedUp', 'start', 'end', 'limit', 'sample', 'map', 'onError', 'namespace', 'labels', 'priorityClassName', 'schedulerName', 'tolerations', 'as'];
const NOT_WITH_TRACE = ['manifest', 'manifests', 'file', 'at', 'rate', 'runDuration'];

/** How a referenced file is named in messages: next to the scenario as the user named it. */
function displayPath(scenarioFile: string, rel: string): string {
  if (isAbsolute(rel)) return rel;
  return normalize(join(dirname(scenarioFile), rel));
}

function formatOf(doc: YamlDoc, path: Path, name: unknown, need: 'openPods' | 'readCluster'): TraceFormat {
  const f = typeof name === 'string' && Object.hasOwn(TRACE_FORMATS, name) ? TRACE_FORMATS[name] : undefined;
  const usable = Object.values(TRACE_FORMATS).filter((x) => x[need] !== undefined).map((x) => x.name);
  if (f === undefined || f[need] === undefined) throw doc.error([...path, 'format'], `one of ${usable.join(', ')}`, JSON.stringify(name));
  return f;
}

/** Checks that the trace file exists, with a hint for the bundled traces. */
function tracePath(doc: YamlDoc, path: Path, rel: unknown, baseDir: string, scenarioFile: string): { path: string; display: string } {
  if (typeof rel !== 'string' || rel === '') throw doc.error([...path, 'file'], 'a trace file path (relative to the scenario)', JSON.stringify(rel));
  const abs = resolve(baseDir, rel);
  if (!existsSync(abs)) {
    const shared = /(^|\/)shared\/traces\//.test(rel)
      ? ' (the bundled example traces are not in the repository: they live in ../shared/traces next to it; see "Replaying traces" in the README)'
      : ' (paths are relative to the scenario)';
    throw doc.error([...path, 'file'], `an existing trace file${shared}`, `${JSON.stringify(rel)}: no such file`);
  }
  return { path: abs, display: displayPath(scenarioFile, rel) };
}

/** Seconds of trace time: a number, or a Go-style duration. */
function traceSeconds(doc: YamlDoc, path: Path, v: unknown): number {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string') return located(doc, path, () => parseDuration(v)) / 1e6;
  throw doc.error(path, 'a number of seconds or a duration such as 90s, 15m, 1h30m', JSON.stringify(v));
}

function readMap(doc: YamlDoc, path: Path, format: TraceFormat, v: unknown): FormatOptions {
  const raw = (v ?? {}) as Obj;
  const out: Record<string, unknown> = {};
  const names = Object.keys(format.options);
  for (const [k, x] of Object.entries(raw)) {
    const opt = format.options[k];
    if (opt === undefined) {
      const near = closest(k, names);
      throw doc.error([...path, 'map'], names.length === 0 ? `no map options (format ${format.name} has none)` : `one of the ${format.name} map options ${names.join(', ')}`, `unknown option ${JSON.stringify(k)}${near === null ? '' : ` (did you mean ${JSON.stringify(near)}?)`}`, k);
    }
    const bad = opt.check(x);
    if (bad !== null) throw doc.error([...path, 'map', k], bad, JSON.stringify(x));
    out[k] = x;
  }
  for (const [k, opt] of Object.entries(format.options)) if (!(k in out)) out[k] = opt.default;
  return out;
}

/** A row error met at load time (header), as an InputError on the trace file. */
function atLoad<T>(display: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof TraceRowError) throw rowInputError(display, e);
    throw e;
  }
}

/** `workload[i]` with a `trace:` (the hook scenario.ts calls). */
export function readTraceWorkload(doc: YamlDoc, path: Path, e: Obj, baseDir: string, scenarioFile: string): TraceSpec {
  for (const k of NOT_WITH_TRACE) if (e[k] !== undefined) throw doc.error([...path, k], `no ${k} in an entry with a trace (the trace gives the pods, their arrivals and run times)`);
  const t = e['trace'] as Obj;
  const p: Path = [...path, 'trace'];
  for (const k of Object.keys(t)) {
    if (!SHARED_FIELDS.includes(k)) {
      const near = closest(k, SHARED_FIELDS);
      throw doc.error(p, `one of the fields ${SHARED_FIELDS.join(', ')}`, `unknown field ${JSON.stringify(k)}${near === null ? '' : ` (did you mean ${JSON.stringify(near)}?)`}`, k);
    }
  }
  const format = formatOf(doc, p, t['format'], 'openPods');
  const file = tracePath(doc, p, t['file'], baseDir, scenarioFile);
  const offsetUs = t['offset'] === undefined ? 0 : located(doc, [...p, 'offset'], () => parseDuration(t['offset'] as string));
  if (offsetUs < 0) throw doc.error([...p, 'offset'], 'a non-negative duration', JSON.stringify(t['offset']));
  const speedUp = (t['speedUp'] as number | undefined) ?? 1;
  if (!(typeof speedUp === 'number' && Number.isFinite(speedUp) && speedUp > 0)) throw doc.error([...p, 'speedUp'], 'a positive number', JSON.stringify(speedUp));
  const startS = t['start'] === undefined ? 0 : traceSeconds(doc, [...p, 'start'], t['start']);
  const endS = t['end'] === undefined ? null : traceSeconds(doc, [...p, 'end'], t['end']);
  if (endS !== null && endS <= startS) throw doc.error([...p, 'end'], `a trace time after start (${startS} s)`, JSON.stringify(t['end']));
  const limit = (t['limit'] as number | undefined) ?? null;
  if (limit !== null && !(Number.isSafeInteger(limit) && limit >= 1)) throw doc.error([...p, 'limit'], 'a positive integer number of rows', JSON.stringify(limit));
  const sample = (t['sample'] as number | undefined) ?? 1;
  if (!(typeof sample === 'number' && sample > 0 && sample <= 1)) throw doc.error([...p, 'sample'], 'a fraction of rows in (0, 1]', JSON.stringify(sample));
  const labels = (t['labels'] ?? {}) as Record<string, string>;
  for (const [k, v] of Object.entries(labels)) {
    if (!isValidLabelKey(k)) throw doc.error([...p, 'labels'], 'label keys (an optional DNS subdomain prefix and "/", then a name of at most 63 characters)', JSON.stringify(k), k);
    if (typeof v !== 'string' || !isValidLabelValue(v)) throw doc.error([...p, 'labels', k], 'a label value (at most 63 characters a-z, A-Z, 0-9, "-", "_", ".")', JSON.stringify(v));
  }
  ((t['tolerations'] ?? []) as Obj[]).forEach((tol, i) => checkToleration(doc, [...p, 'tolerations', i], tol));
  const template: PodTemplateOptions = {
    namespace: (t['namespace'] as string | undefined) ?? 'default',
    labels,
    as: (t['as'] as 'Pod' | 'Job' | undefined) ?? 'Pod',
    ...(t['priorityClassName'] !== undefined ? { priorityClassName: t['priorityClassName'] as string } : {}),
    // "" is default-scheduler, as the API server defaults a pod's (SetDefaults_PodSpec).
    ...(t['schedulerName'] !== undefined && t['schedulerName'] !== '' ? { schedulerName: t['schedulerName'] as string } : {}),
    ...(t['tolerations'] !== undefined ? { tolerations: structuredClone(t['tolerations']) as Toleration[] } : {}),
  };
  const options = readMap(doc, p, format, t['map']);
  // Open once: a bad header (or an unreadable file) stops the load, not the run.
  atLoad(file.display, () => format.openPods!(file.path, file.display, options).close());
  return { format: format.name, ...file, offsetUs, speedUp, startS, endS, limit, sample, options, onError: (t['onError'] as 'stop' | 'skip' | undefined) ?? 'stop', template };
}

/** A toleration as upstream validation accepts it (operator Exists or Equal, a known effect). */
function checkToleration(doc: YamlDoc, path: Path, t: Obj): void {
  for (const k of Object.keys(t)) {
    if (!['key', 'operator', 'value', 'effect', 'tolerationSeconds'].includes(k)) throw doc.error(path, 'the toleration fields key, operator, value, effect, tolerationSeconds', `unknown field ${JSON.stringify(k)}`, k);
  }
  // "" (or left out) is Equal, as upstream validateTolerations reads it.
  const op = t['operator'] ?? '';
  if (op !== 'Exists' && op !== 'Equal' && op !== '') throw doc.error([...path, 'operator'], 'Exists or Equal', JSON.stringify(op));
  if ((t['key'] === undefined || t['key'] === '') && op !== 'Exists') throw doc.error([...path, 'operator'], KEYLESS_TOLERATION, t['operator'] === undefined ? 'nothing' : JSON.stringify(op));
  if (t['key'] !== undefined && (typeof t['key'] !== 'string' || (t['key'] !== '' && !isValidLabelKey(t['key'])))) throw doc.error([...path, 'key'], 'a taint key (a label key)', JSON.stringify(t['key']));
  if (op === 'Exists' && t['value'] !== undefined && t['value'] !== '') throw doc.error([...path, 'value'], 'no value with operator Exists', JSON.stringify(t['value']));
  if (t['effect'] !== undefined && !['NoSchedule', 'PreferNoSchedule', 'NoExecute'].includes(t['effect'] as string)) throw doc.error([...path, 'effect'], 'NoSchedule, PreferNoSchedule or NoExecute', JSON.stringify(t['effect']));
  if (t['tolerationSeconds'] !== undefined && t['effect'] !== 'NoExecute') throw doc.error([...path, 'effect'], 'NoExecute when tolerationSeconds is set', t['effect'] === undefined ? 'nothing' : JSON.stringify(t['effect']));
}

/** `cluster.trace`: the nodes (and machine-event faults) a trace describes. */
export function readTraceCluster(doc: YamlDoc, c: Obj, baseDir: string, scenarioFile: string): TraceCluster & { readonly display: string } {
  const p: Path = ['cluster', 'trace'];
  const format = formatOf(doc, p, c['format'], 'readCluster');
  const file = tracePath(doc, p, c['file'], baseDir, scenarioFile);
  const options = readMap(doc, p, format, c['map']);
  // The same time transform as the workload's trace entry (give both the same offset and
  // speedUp): node joins and fault starts move with the pods; fault lengths do not.
  const offsetUs = c['offset'] === undefined ? 0 : located(doc, [...p, 'offset'], () => parseDuration(c['offset'] as string));
  if (offsetUs < 0) throw doc.error([...p, 'offset'], 'a non-negative duration', JSON.stringify(c['offset']));
  const speedUp = (c['speedUp'] as number | undefined) ?? 1;
  const t = atLoad(file.display, () => format.readCluster!(file.path, file.display, options));
  const simUs = (traceUs: number) => offsetUs + Math.round(traceUs / speedUp);
  return {
    nodes: t.nodes.map((n) => ({ node: n.node, joinAtS: n.joinAtS === 0 ? 0 : simUs(n.joinAtS * 1e6) / 1e6 })),
    faults: t.faults.map((f) => ({ ...f, atUs: simUs(f.atUs) })),
    ...(t.warnings !== undefined && t.warnings.length > 0 ? { warnings: t.warnings } : {}),
    display: file.display,
  };
}

/** A warning for each workload trace entry whose offset or speedUp differs from cluster.trace's
 * (`c`, read by readTraceCluster): its node joins and machine faults would move on another
 * clock than the pods (the README asks for the same offset and speedUp). */
export function traceClockWarnings(c: Obj, entries: readonly { readonly name: string; readonly trace?: TraceSpec }[]): string[] {
  const offsetUs = c['offset'] === undefined ? 0 : parseDuration(c['offset'] as string);
  const speedUp = (c['speedUp'] as number | undefined) ?? 1;
  const out: string[] = [];
  for (const e of entries) {
    const t = e.trace;
    if (t === undefined || (t.speedUp === speedUp && t.offsetUs === offsetUs)) continue;
    const diff = [t.speedUp !== speedUp ? `speedUp ${t.speedUp} (cluster.trace: ${speedUp})` : '', t.offsetUs !== offsetUs ? `offset ${t.offsetUs / 1e6} s (cluster.trace: ${offsetUs / 1e6} s)` : ''].filter((x) => x !== '').join(' and ');
    out.push(`workload entry ${JSON.stringify(e.name)}: its trace's ${diff} differs from cluster.trace's: the nodes join and fail on another clock than the pods arrive (give both the same offset and speedUp)`);
  }
  return out;
}
