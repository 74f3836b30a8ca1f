// Readers of fields that several kinds share (labels, string maps, tolerations), validated as
// upstream's API validation does (pkg/apis/core/validation/validation.go ValidateLabels,
// ValidateTolerations), each error located in its file.
import { isValidLabelKey, isValidLabelValue } from '../api/labels.js';
import type { Path, YamlDoc } from '../api/yaml-source.js';
import { describeValue as describe, isObject as isObj } from '../api/values.js';

export const TOLERATION_OPERATORS = ['Exists', 'Equal'];
export const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

const EXPECTED_LABEL_KEY = 'a label key: an optional DNS subdomain prefix and "/", then a name of at most 63 characters (a-z, A-Z, 0-9, "-", "_", ".") that starts and ends with a letter or digit';
const EXPECTED_LABEL_VALUE = 'a label value: empty, or at most 63 characters (a-z, A-Z, 0-9, "-", "_", ".") that start and end with a letter or digit';

/** Labels (and node selectors), validated as upstream ValidateLabels does. */
export function readLabels(doc: YamlDoc, path: Path, v: unknown): void {
  readStringMap(doc, path, v);
  if (v === undefined || v === null) return;
  for (const [k, x] of Object.entries(v as Record<string, string>)) {
    if (!isValidLabelKey(k)) throw doc.error(path, EXPECTED_LABEL_KEY, JSON.stringify(k), k);
    if (!isValidLabelValue(x)) throw doc.error([...path, k], EXPECTED_LABEL_VALUE, JSON.stringify(x));
  }
}

export function readStringMap(doc: YamlDoc, path: Path, v: unknown): void {
  if (v === undefined || v === null) return;
  if (!isObj(v)) throw doc.error(path, 'a mapping of strings to strings', describe(v));
  for (const [k, x] of Object.entries(v)) {
    if (typeof x !== 'string') throw doc.error([...path, k], 'a string (quote numbers and booleans)', describe(x));
  }
}

/** The message for a toleration with no key whose operator is not Exists (upstream
 * validateTolerations). */
export const KEYLESS_TOLERATION = 'Exists when the key is empty (operator must be Exists when `key` is empty, which means "match all values and all keys")';

/** A toleration as upstream validateTolerations (pkg/apis/core/validation/validation.go) checks
 * it: operator Exists, Equal or "" (left out or "": "empty operator means Equal", which the
 * server stores as given and the scheduler matches as Equal: src/api/taints.ts), Exists when
 * the key is empty, a known effect or "", no value with Exists. */
export function readToleration(doc: YamlDoc, path: Path, t: unknown): void {
  if (!isObj(t)) throw doc.error(path, 'a toleration', describe(t));
  const op = t['operator'];
  if (op !== undefined && op !== '' && !TOLERATION_OPERATORS.includes(op as string)) {
    throw doc.error([...path, 'operator'], 'Exists or Equal', describe(op));
  }
  if ((t['key'] === undefined || t['key'] === '') && op !== 'Exists') throw doc.error([...path, 'operator'], KEYLESS_TOLERATION, describe(op));
  const effect = t['effect'];
  if (effect !== undefined && effect !== '' && !TAINT_EFFECTS.includes(effect as string)) {
    throw doc.error([...path, 'effect'], 'NoSchedule, PreferNoSchedule or NoExecute', describe(effect));
  }
  if (op === 'Exists' && t['value'] !== undefined && t['value'] !== '') {
    throw doc.error([...path, 'value'], 'no value with operator Exists');
  }
  const secs = t['tolerationSeconds'];
  if (secs !== undefined && (typeof secs !== 'number' || !Number.isInteger(secs))) {
    throw doc.error([...path, 'tolerationSeconds'], 'an integer number of seconds', describe(secs));
  }
  // Upstream ValidateTolerations: "effect must be 'NoExecute' when `tolerationSeconds` is set".
  if (secs !== undefined && effect !== 'NoExecute') {
    throw doc.error([...path, 'effect'], 'NoExecute when tolerationSeconds is set', describe(effect));
  }
}

/** An optional integer field in [min, 2147483647]; returns it or `dflt`. */
export function readOptionalInt(doc: YamlDoc, path: Path, v: unknown, min: number, dflt: number): number {
  if (v === undefined || v === null) return dflt;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > 2147483647) throw doc.error(path, min === 0 ? 'an integer >= 0' : `an integer >= ${min}`, describe(v));
  return v;
}
