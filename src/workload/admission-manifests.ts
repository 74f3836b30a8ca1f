// The objects admission reads, validated as upstream's API validation does and defaulted as its
// API defaulting does (the object ksim stores is the one the API server would store):
//  - v1 LimitRange: pkg/apis/core/validation ValidateLimitRange, after
//    pkg/apis/core/v1/defaults.go SetDefaults_LimitRangeItem (src/controlplane/limit-ranger.ts);
//  - node.k8s.io/v1 RuntimeClass: pkg/apis/node/validation ValidateRuntimeClass (handler a DNS
//    label, overhead.podFixed non-negative quantities, scheduling.nodeSelector labels and
//    scheduling.tolerations valid tolerations).
import { isDns1123Label, isValidLabelKey } from '../api/labels.js';
import { canonicalQuantity, compareQuantities, parseNonNegativeInteger, parseNonNegativeMilli, parseQuantity, type Quantity } from '../api/quantity.js';
import { describeValue as describe, isObject as isObj } from '../api/values.js';
import { located, type Path, type YamlDoc } from '../api/yaml-source.js';
import { CPU } from '../cluster/resources.js';
import { defaultedLimitRangeItem, LIMIT_TYPE_CONTAINER, LIMIT_TYPE_POD, LIMIT_TYPE_PVC, type LimitRangeItem } from '../controlplane/limit-ranger.js';
import { readLabels, readToleration } from './field-readers.js';

type Obj = Record<string, unknown>;

const ITEM_LISTS = ['max', 'min', 'default', 'defaultRequest', 'maxLimitRequestRatio'] as const;
const STANDARD_LIMIT_TYPES = [LIMIT_TYPE_CONTAINER, LIMIT_TYPE_POD, LIMIT_TYPE_PVC];
/** Upstream IsStandardContainerResourceName (and hugepages-<size>). */
const STANDARD_CONTAINER_RESOURCES = ['cpu', 'memory', 'ephemeral-storage'];

function isContainerResourceName(name: string): boolean {
  if (!name.includes('/')) return STANDARD_CONTAINER_RESOURCES.includes(name) || name.startsWith('hugepages-');
  return isValidLabelKey(name);
}

/** Upstream helper.IsOvercommitAllowed: native resources but hugepages. */
function isOvercommitAllowed(name: string): boolean {
  return (!name.includes('/') || name.includes('kubernetes.io/')) && !name.startsWith('hugepages-');
}

/** v1 LimitRange: validates spec.limits and stores each item defaulted. */
export function readLimitRange(doc: YamlDoc, path: Path, obj: Obj): void {
  const sp = [...path, 'spec'];
  const spec = obj['spec'];
  if (!isObj(spec)) throw doc.error(sp, 'a limit range spec (with limits)', describe(spec));
  const limits = spec['limits'];
  if (!Array.isArray(limits)) throw doc.error([...sp, 'limits'], 'a list of limit range items ({type, max, min, default, defaultRequest, maxLimitRequestRatio})', describe(limits));
  const types = new Set<string>();
  spec['limits'] = limits.map((item, i) => readLimitRangeItem(doc, [...sp, 'limits', i], item, types));
}

function readLimitRangeItem(doc: YamlDoc, p: Path, item: unknown, types: Set<string>): LimitRangeItem {
  if (!isObj(item)) throw doc.error(p, 'a limit range item ({type, max, min, ...})', describe(item));
  const type = item['type'];
  // Upstream validateLimitRangeTypeName: a standard type, or a qualified name with a domain.
  if (typeof type !== 'string' || !isValidLabelKey(type) || (!type.includes('/') && !STANDARD_LIMIT_TYPES.includes(type))) {
    throw doc.error([...p, 'type'], 'Container, Pod, PersistentVolumeClaim or a fully qualified limit type', describe(type));
  }
  if (types.has(type)) throw doc.error([...p, 'type'], 'a type no earlier item has (Duplicate value)', JSON.stringify(type));
  types.add(type);
  const containerNames = type === LIMIT_TYPE_CONTAINER || type === LIMIT_TYPE_POD;
  for (const f of ITEM_LISTS) {
    const list = item[f];
    if (list === undefined || list === null) continue;
    if (!isObj(list)) throw doc.error([...p, f], 'a mapping of resource names to quantities', describe(list));
    for (const [r, q] of Object.entries(list)) {
      if (containerNames ? !isContainerResourceName(r) : !isValidLabelKey(r)) {
        throw doc.error([...p, f], containerNames ? 'a resource for containers: cpu, memory, ephemeral-storage, hugepages-<size> or an extended resource with a domain' : 'a resource name', JSON.stringify(r), r);
      }
      if (typeof q !== 'string' && typeof q !== 'number') throw doc.error([...p, f, r], 'a quantity', describe(q));
      located(doc, [...p, f, r], () => parseQuantity(q));
    }
  }
  if (type === LIMIT_TYPE_POD) {
    for (const f of ['default', 'defaultRequest'] as const) {
      if (isObj(item[f]) && Object.keys(item[f]).length > 0) throw doc.error([...p, f], `no ${f} (it may not be specified when type is 'Pod')`);
    }
  }
  if (type === LIMIT_TYPE_PVC) {
    const has = (f: string) => isObj(item[f]) && (item[f] as Obj)['storage'] !== undefined;
    if (!has('min') && !has('max')) throw doc.error(p, 'a min or a max storage (either minimum or maximum storage value is required)');
  }
  const d = defaultedLimitRangeItem(item as LimitRangeItem);
  checkLimitRangeItem(doc, p, d, item as LimitRangeItem);
  // Only the known fields of the item are kept (the rest were warned about as unknown).
  const out: Record<string, unknown> = { type };
  for (const f of ITEM_LISTS) if (d[f] !== undefined) out[f] = d[f];
  return out as LimitRangeItem;
}

/** Where a value the API's defaulting gave came from (SetDefaults_LimitRangeItem's order). */
function defaultedFrom(given: LimitRangeItem, f: 'default' | 'defaultRequest', k: string): string {
  if (f === 'default') return 'max';
  return given.default?.[k] !== undefined || given.max?.[k] !== undefined ? (given.default?.[k] !== undefined ? 'default' : 'default (from max)') : 'min';
}

/** Upstream ValidateLimitRange's checks between an item's (defaulted) values; `given` is the
 * item as written (a message says when the value at fault was defaulted). */
function checkLimitRangeItem(doc: YamlDoc, p: Path, d: LimitRangeItem, given: LimitRangeItem): void {
  const note = (f: 'default' | 'defaultRequest', k: string) => (given[f]?.[k] !== undefined ? '' : `; ${f}.${k} is not set: the API server defaults it from ${defaultedFrom(given, f, k)}.${k}`);
  const q = (f: (typeof ITEM_LISTS)[number], k: string): Quantity | undefined => {
    const v = d[f]?.[k];
    return v === undefined ? undefined : parseQuantity(v);
  };
  const keys = new Set<string>();
  for (const f of ITEM_LISTS) for (const k of Object.keys(d[f] ?? {})) keys.add(k);
  const s = (x: Quantity) => canonicalQuantity(x);
  for (const k of [...keys].sort()) {
    const min = q('min', k);
    const max = q('max', k);
    const dflt = q('default', k);
    const dreq = q('defaultRequest', k);
    const ratio = q('maxLimitRequestRatio', k);
    if (min !== undefined && max !== undefined && compareQuantities(min, max) > 0) {
      throw doc.error([...p, 'min', k], `a min no greater than the max ${s(max)} (min value ${s(min)} is greater than max value ${s(max)})`, JSON.stringify(s(min)));
    }
    if (dreq !== undefined && min !== undefined && compareQuantities(min, dreq) > 0) {
      throw doc.error([...p, 'defaultRequest', k], `a default request no less than the min ${s(min)} (min value ${s(min)} is greater than default request value ${s(dreq)}${note('defaultRequest', k)})`, JSON.stringify(s(dreq)));
    }
    if (dreq !== undefined && max !== undefined && compareQuantities(dreq, max) > 0) {
      throw doc.error([...p, 'defaultRequest', k], `a default request no greater than the max ${s(max)} (default request value ${s(dreq)} is greater than max value ${s(max)}${note('defaultRequest', k)})`, JSON.stringify(s(dreq)));
    }
    if (dreq !== undefined && dflt !== undefined && compareQuantities(dreq, dflt) > 0) {
      throw doc.error([...p, 'defaultRequest', k], `a default request no greater than the default limit ${s(dflt)} (default request value ${s(dreq)} is greater than default limit value ${s(dflt)}${note('defaultRequest', k)})`, JSON.stringify(s(dreq)));
    }
    if (dflt !== undefined && min !== undefined && compareQuantities(min, dflt) > 0) {
      throw doc.error([...p, 'default', k], `a default no less than the min ${s(min)} (min value ${s(min)} is greater than default value ${s(dflt)}${note('default', k)})`, JSON.stringify(s(dflt)));
    }
    if (dflt !== undefined && max !== undefined && compareQuantities(dflt, max) > 0) {
      throw doc.error([...p, 'default', k], `a default no greater than the max ${s(max)} (default value ${s(dflt)} is greater than max value ${s(max)}${note('default', k)})`, JSON.stringify(s(dflt)));
    }
    if (ratio !== undefined && compareQuantities(ratio, parseQuantity(1)) < 0) {
      throw doc.error([...p, 'maxLimitRequestRatio', k], `a ratio of at least 1 (ratio ${s(ratio)} is less than 1)`, JSON.stringify(s(ratio)));
    }
    if (ratio !== undefined && min !== undefined && max !== undefined && min.mantissa !== 0n) {
      // ratio > max / min, i.e. ratio × min > max.
      const product: Quantity = { mantissa: ratio.mantissa * min.mantissa, exponent: ratio.exponent + min.exponent, format: 'DecimalSI', text: '' };
      if (compareQuantities(product, max) > 0) {
        throw doc.error([...p, 'maxLimitRequestRatio', k], `a ratio no greater than max/min (ratio ${s(ratio)} is greater than max/min)`, JSON.stringify(s(ratio)));
      }
    }
    if (!isOvercommitAllowed(k) && dflt !== undefined && dreq !== undefined && compareQuantities(dflt, dreq) !== 0) {
      throw doc.error([...p, 'defaultRequest', k], `a default request equal to the default (default value ${s(dflt)} must equal to defaultRequest value ${s(dreq)} in ${k}${note('defaultRequest', k)})`, JSON.stringify(s(dreq)));
    }
  }
}

/** node.k8s.io/v1 RuntimeClass (its fields are top level: handler, overhead, scheduling). */
export function readRuntimeClass(doc: YamlDoc, path: Path, obj: Obj): void {
  const handler = obj['handler'];
  if (typeof handler !== 'string' || !isDns1123Label(handler)) {
    throw doc.error([...path, 'handler'], 'a runtime handler name: a lowercase RFC 1123 label (e.g. runsc)', describe(handler));
  }
  const overhead = obj['overhead'];
  if (overhead !== undefined && overhead !== null) {
    if (!isObj(overhead)) throw doc.error([...path, 'overhead'], 'an overhead ({podFixed: {cpu, memory}})', describe(overhead));
    const fixed = overhead['podFixed'];
    if (fixed !== undefined && fixed !== null) {
      const fp = [...path, 'overhead', 'podFixed'];
      if (!isObj(fixed)) throw doc.error(fp, 'a mapping of resource names to quantities', describe(fixed));
      for (const [r, q] of Object.entries(fixed)) {
        if (typeof q !== 'string' && typeof q !== 'number') throw doc.error([...fp, r], 'a quantity', describe(q));
        located(doc, [...fp, r], () => (r === CPU ? parseNonNegativeMilli(q) : parseNonNegativeInteger(q)));
      }
    }
  }
  const scheduling = obj['scheduling'];
  if (scheduling === undefined || scheduling === null) return;
  const sp = [...path, 'scheduling'];
  if (!isObj(scheduling)) throw doc.error(sp, 'a scheduling section ({nodeSelector, tolerations})', describe(scheduling));
  readLabels(doc, [...sp, 'nodeSelector'], scheduling['nodeSelector']);
  const tolerations = scheduling['tolerations'];
  if (tolerations !== undefined && tolerations !== null) {
    if (!Array.isArray(tolerations)) throw doc.error([...sp, 'tolerations'], 'a list of tolerations', describe(tolerations));
    tolerations.forEach((t, i) => readToleration(doc, [...sp, 'tolerations', i], t));
  }
}
