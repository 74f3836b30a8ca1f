// ksim-events: timed object operations, for what a pod row cannot say (Deployments scaled over
// time, node pools joining, objects deleted). Each event is {at, op, object}: `at` in trace
// seconds (a number or a duration such as 90s), `op` apply (create; an existing object of the
// same kind/namespace/name is updated, e.g. a Deployment's replicas, a Pod's labels: TraceReplay.updatePod) or delete (object needs
// only kind and metadata.name/namespace), `object` a Kubernetes manifest of a kind a scenario
// accepts, or a v1 Node (apply: the node joins, or an existing one is updated; delete: the Node
// object is deleted, ApiServer.deleteNode: a node scaled down or replaced, its pods failed and
// deleted by the pod garbage collector 40-60 s later, src/controllers/podgc.ts). Events must be
// in time order.
// Files: JSON Lines (.jsonl, .ndjson: one event per line, streamed) or YAML (.yaml, .yml: one
// event per document; the file is parsed whole, so keep YAML event files small).
import type { Node } from 'kubernetes-types/core/v1.js';
import { parseDuration } from '../../api/duration.js';
import { FieldError } from '../../api/field-error.js';
import { InputError } from '../../api/input-error.js';
import { parseYamlText, readYamlFile, type YamlDoc } from '../../api/yaml-source.js';
import { describeValue, isObject } from '../../api/values.js';
import { isDns1123Subdomain } from '../../api/labels.js';
import type { WorkloadObject } from '../../cluster/workload-object.js';
import { readManifest, readNode } from '../manifests.js';
import { LineReader, openChunks } from './chunk-source.js';
import { TraceRowError, type TraceFormat, type TraceItem } from './trace-types.js';


export const ksimEvents: TraceFormat = {
  name: 'ksim-events',
  summary: 'timed apply/delete of any object a scenario accepts, and Nodes joining and leaving',
  noRows: 'no events',
  options: {},
  openPods(path, display) {
    if (/\.ya?ml$/i.test(path)) {
      let docs: YamlDoc[] | null;
      try {
        docs = readYamlFile(path, display);
      } catch (e) {
        if (e instanceof InputError) throw new TraceRowError(e.line, e.column, e.path, e.expected, e.got, true);
        throw e;
      }
      let i = 0;
      return {
        next: () => {
          if (docs === null || i >= docs.length) return null;
          const d = docs[i++] as YamlDoc;
          return event(d, d.position([]).line);
        },
        close: () => {
          docs = null;
        },
      };
    }
    const lines = new LineReader(openChunks(path, display));
    return {
      next: () => {
        for (let l = lines.next(); l !== null; l = lines.next()) {
          if (l.text.trim() === '') continue;
          let docs: YamlDoc[];
          try {
            // Named .json: each line is read as strict JSON (no YAML leniencies).
            docs = parseYamlText(l.text, `${display}.json`, 'line');
          } catch (e) {
            if (e instanceof InputError) throw new TraceRowError(l.line, e.column, '', e.expected, e.got);
            throw e;
          }
          return event(docs[0] as YamlDoc, l.line, true);
        }
        return null;
      },
      close: () => lines.close(),
    };
  },
};

/** One event document; `line` is where it starts (JSON Lines: its line, errors' lines are 1). */
function event(d: YamlDoc, line: number, oneLine = false): TraceItem {
  try {
    const v = d.toJS() as unknown;
    if (!isObject(v)) throw d.error([], 'an event {at, op, object}', describeValue(v));
    for (const k of Object.keys(v)) if (!['at', 'op', 'object'].includes(k)) throw d.error([], 'the fields at, op, object', `unknown field ${JSON.stringify(k)}`, k);
    const at = v['at'];
    let timeS: number;
    if (typeof at === 'number' && Number.isFinite(at) && at >= 0) timeS = at;
    else if (typeof at === 'string') {
      try {
        timeS = parseDuration(at) / 1e6;
      } catch (e) {
        if (e instanceof FieldError) throw d.error(['at'], 'a non-negative number of seconds or a duration such as 90s', JSON.stringify(at));
        throw e;
      }
      if (timeS < 0) throw d.error(['at'], 'a non-negative number of seconds or a duration such as 90s', JSON.stringify(at));
    } else throw d.error(['at'], 'a non-negative number of seconds or a duration such as 90s', describeValue(at));
    // Where `at` is, for an out-of-order error (the document is parsed with positions only then).
    const timeAt = () => {
      const p = d.position(['at']);
      return oneLine ? { field: 'at', column: p.column } : { field: 'at', column: p.column, line: p.line };
    };
    const op = v['op'];
    if (op !== 'apply' && op !== 'delete') throw d.error(['op'], 'apply or delete', describeValue(op));
    const obj = v['object'];
    if (!isObject(obj)) throw d.error(['object'], 'a Kubernetes object', describeValue(obj));
    if (op === 'delete') {
      const md = obj['metadata'];
      const name = isObject(md) ? md['name'] : undefined;
      if (typeof obj['kind'] !== 'string') throw d.error(['object', 'kind'], 'the kind of the object to delete', describeValue(obj['kind']));
      if (typeof name !== 'string' || !isDns1123Subdomain(name)) throw d.error(['object', 'metadata', 'name'], 'the name of the object to delete', describeValue(name));
      const ns = isObject(md) && typeof md['namespace'] === 'string' ? md['namespace'] : obj['kind'] === 'Node' ? '' : 'default';
      return { kind: 'delete', timeS, line, timeAt, object: { kind: obj['kind'], namespace: ns, name } };
    }
    // Unknown fields are warned about, as in a scenario's manifests (one warning per event
    // with its first field; the replay counts them for the run's warnings).
    const warnings: string[] = [];
    const object = obj['kind'] === 'Node' ? readNode(d, ['object'], obj, warnings, true) : readManifest(d, ['object'], obj, { warnings });
    if (warnings.length === 0) return { kind: 'apply', timeS, line, timeAt, object: object as WorkloadObject | Node };
    // A JSON Lines event is parsed alone (as "<file>.json", line 1): name its line in the file.
    const located = oneLine ? warnings.map((w) => w.replace(/^.*?\.json:1:/, `${d.file.replace(/\.json$/, '')}:${line}:`)) : warnings;
    // Unknown fields (what --strict refuses) apart from the reader's other warnings (a CronJob's
    // timeZone, onExitCodes rules not simulated), which only warn.
    const unknown = located.filter(isUnknownField);
    const notes = located.filter((w) => !isUnknownField(w));
    return { kind: 'apply', timeS, line, timeAt, object: object as WorkloadObject | Node, ...(unknown.length > 0 ? { warnings: unknown } : {}), ...(notes.length > 0 ? { notes } : {}) };
  } catch (e) {
    if (e instanceof InputError) throw new TraceRowError(oneLine ? line : e.line, e.column, e.path, e.expected, e.got);
    throw e;
  }
}

/** A warning of checkObjectFields about a field its type does not declare. */
function isUnknownField(w: string): boolean {
  return /: unknown field "/.test(w);
}
