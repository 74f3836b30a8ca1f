// A KubeSchedulerConfiguration file as people keep it: on its own, one document of several
// (`configDocument` / --config-document, 0 is the first), or inside a ConfigMap (the way
// kube-scheduler is usually deployed: the data key named by `configKey` / --config-key, or the
// only one). Errors inside a ConfigMap's literal block (`key: |`) point at the file's own lines.
import { readFileSync } from 'node:fs';
import { isScalar } from 'yaml';
import { InputError } from '../../api/input-error.js';
import { parseYamlText, readYamlFile, type YamlDoc } from '../../api/yaml-source.js';
import { describeValue as describe, isObject as isObj } from '../../api/values.js';
import { readSchedulerConfiguration, type SchedulerConfig } from './kube-scheduler-configuration.js';

export interface ConfigFileOptions {
  /** Which document of a multi-document file (0 is the first). */
  readonly document?: number;
  /** The data key of a ConfigMap that holds the configuration. */
  readonly key?: string;
  /** How the options are named in messages (scenario fields or CLI flags). */
  readonly names?: { readonly document: string; readonly key: string };
}

const DEFAULT_NAMES = { document: 'configDocument', key: 'configKey' };

/** Reads the configuration of `path` (named `display` in messages); appends warnings. */
export function readSchedulerConfigFile(path: string, display: string, opts: ConfigFileOptions, warnings: string[]): SchedulerConfig {
  const names = opts.names ?? DEFAULT_NAMES;
  const docs = readYamlFile(path, display);
  let d: YamlDoc;
  if (opts.document !== undefined) {
    if (opts.document >= docs.length) {
      throw new InputError(display, 0, 0, '', `a file with a document ${opts.document} (${names.document} counts from 0)`, `${docs.length} documents`);
    }
    d = docs[opts.document] as YamlDoc;
  } else {
    if (docs.length !== 1) {
      throw new InputError(display, 0, 0, '', `exactly one YAML document (a KubeSchedulerConfiguration)${docs.length > 1 ? `, or ${names.document} to choose one` : ''}`, `${docs.length} documents`);
    }
    d = docs[0] as YamlDoc;
  }
  const raw = d.toJS();
  if (isObj(raw) && raw['kind'] === 'ConfigMap') return fromConfigMap(path, display, d, raw, opts.key, names.key, warnings);
  if (opts.key !== undefined) throw d.error(['kind'], `a ConfigMap (${names.key} names one of its data keys)`, describe(raw === null || typeof raw !== 'object' ? raw : (raw as Record<string, unknown>)['kind']));
  return readSchedulerConfiguration(d, [], raw, warnings);
}

function fromConfigMap(path: string, display: string, d: YamlDoc, cm: Record<string, unknown>, key: string | undefined, keyName: string, warnings: string[]): SchedulerConfig {
  const data = cm['data'];
  if (!isObj(data)) throw d.error(['data'], 'a ConfigMap with data holding a KubeSchedulerConfiguration', describe(data));
  const keys = Object.keys(data);
  let k: string;
  if (key !== undefined) {
    if (!Object.hasOwn(data, key)) throw d.error(['data'], `a data key ${JSON.stringify(key)} (keys: ${keys.join(', ')})`, `no ${JSON.stringify(key)}`);
    k = key;
  } else {
    if (keys.length !== 1) throw d.error(['data'], `one data key, or ${keyName} naming the one that holds the configuration (keys: ${keys.join(', ')})`, `${keys.length} keys`);
    k = keys[0] as string;
  }
  const text = data[k];
  if (typeof text !== 'string') throw d.error(['data', k], 'the text of a KubeSchedulerConfiguration', describe(text));
  const inner = parseEmbedded(path, display, d, k, text);
  if (inner.length !== 1) throw d.error(['data', k], 'exactly one YAML document (a KubeSchedulerConfiguration)', `${inner.length} documents`);
  const id = inner[0] as YamlDoc;
  return readSchedulerConfiguration(id, [], id.toJS(), warnings);
}

/** Parses the YAML text held in data[key]. A literal block (`key: |`) is parsed in place, as
 * the same lines padded back to the file's line numbers and indentation, so that positions in
 * messages are the file's; any other string is parsed on its own and named "FILE data.KEY". */
function parseEmbedded(path: string, display: string, d: YamlDoc, key: string, text: string): YamlDoc[] {
  const node = d.doc.getIn(['data', key], true);
  if (isScalar(node) && node.type === 'BLOCK_LITERAL' && node.range !== undefined && node.range !== null) {
    const fileLines = readFileSync(path, 'utf8').split('\n');
    const indicatorLine = d.position(['data', key]).line; // 1-based line of the "|"
    const first = fileLines.slice(indicatorLine).find((l) => l.trim() !== '');
    const indent = first === undefined ? 0 : first.length - first.trimStart().length;
    const padded = '\n'.repeat(indicatorLine) + text.split('\n').map((l) => (l === '' ? l : ' '.repeat(indent) + l)).join('\n');
    return parseYamlText(padded, display);
  }
  return parseYamlText(text, `${display} data.${key}`);
}
