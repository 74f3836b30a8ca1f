// Parsing of trace fields, each failure a TraceRowError naming the line, column and what was
// expected (messages shared by every format).
import type { Toleration } from 'kubernetes-types/core/v1.js';
import { FieldError } from '../../api/field-error.js';
import { parseNonNegativeInteger, parseNonNegativeMilli, QuantityRangeError } from '../../api/quantity.js';
import { isDns1123Label, isDns1123Subdomain, isValidLabelKey, isValidLabelValue } from '../../api/labels.js';
import { clipQuoted } from '../../api/yaml-source.js';
import { TraceRowError } from './trace-types.js';

/** A cell and where it is, for error messages. */
export interface Cell {
  readonly text: string;
  readonly line: number;
  readonly column: number;
  readonly field: string;
}

export function fail(c: Cell, expected: string, got: string = quote(c.text)): never {
  throw new TraceRowError(c.line, c.column, c.field, expected, got);
}

export function quote(s: string): string {
  return s === '' ? 'an empty cell' : JSON.stringify(clipQuoted(s));
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** A finite decimal number ("12", "1.5", "1e3"). */
export function number(c: Cell, what = 'a number'): number {
  const v = NUMBER.test(c.text) ? Number(c.text) : NaN;
  if (!Number.isFinite(v)) fail(c, what);
  return v;
}

export function nonNegativeNumber(c: Cell, what: string): number {
  const v = number(c, what);
  if (v < 0) fail(c, what);
  return v;
}

/** An integer of at least `min`; one past `max` (at most the largest safe integer) is refused
 * saying so: it is a valid number, too large. */
export function integer(c: Cell, what: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const v = number(c, what);
  if (!Number.isInteger(v) || v < min) fail(c, what);
  if (v > max) fail(c, `${what} at most ${max}`);
  return v;
}

/** The most pods one row may make (2017 instances, SWF processors under podsPerJob:
 * perProcessor): they arrive at once and all sit in the store, 4 GiB at the memory estimate's
 * BYTES_PER_POD (4 KiB) each (src/run/memory-estimate.ts). 16 times the largest row of the
 * bundled traces (the 2017 batch_task.csv's largest task: 64,486 instances). A larger count is refused at its row
 * before the run rather than filling the heap a part at a time (ROW_PART) until the heap watch
 * stops the run without naming the row. */
export const MAX_PODS_PER_ROW = 1_048_576;

/** Checks the `pods` a row's count cell `c` makes (`c` read as `what`); over MAX_PODS_PER_ROW
 * it is refused at the cell, naming `maxCount`, the cell's largest value (`via`: at which
 * option). */
export function withinPodCap(c: Cell, what: string, pods: number, maxCount: number, via = ''): void {
  if (pods <= MAX_PODS_PER_ROW) return;
  fail(c, `${what} at most ${maxCount}${via === '' ? '' : ` ${via}`} (a row makes at most ${MAX_PODS_PER_ROW} pods: 4 GiB of pods at the 4 KiB a pod of ksim's memory estimate)`);
}

/** The largest amount ksim counts a request in (its base units: milli-CPU, bytes, units; a
 * quantity over it is refused, src/api/quantity.ts QuantityRangeError). */
const MAX_AMOUNT = Number.MAX_SAFE_INTEGER;

/** Checks what cell `c` asks: `amount` base units (`unit` follows the number: "m of CPU", "
 * bytes"), `perUnit` (an integer) of them per unit of the cell's number. Over MAX_AMOUNT it is
 * refused at the cell as the manifest readers refuse the quantity (a valid value, too large),
 * naming the cell's own maximum (`decimals`: 0 for an integer cell) and, in `via`, how it
 * converts ("at memoryUnit 512Gi"); it would otherwise fail when the pod is built, as an
 * internal error. An integer cell read with integer(c, what, min, Infinity) comes here however
 * large it is. */
export function withinCap(c: Cell, what: string, amount: number, perUnit: number, unit: string, via = '', decimals = 3): void {
  if (amount <= MAX_AMOUNT) return;
  fail(c, `${what} at most ${maxOf(perUnit, decimals)} (${via === '' ? '' : `${via}; `}${MAX_AMOUNT}${unit} is the largest quantity ksim counts)`);
}

/** MAX_AMOUNT / perUnit rounded down to `decimals`, exactly ("9007199254740.991"). */
function maxOf(perUnit: number, decimals: number): string {
  const scaled = (BigInt(MAX_AMOUNT) * 10n ** BigInt(decimals)) / BigInt(perUnit);
  if (decimals === 0) return String(scaled);
  const s = String(scaled).padStart(decimals + 1, '0');
  return `${s.slice(0, -decimals)}.${s.slice(-decimals)}`.replace(/\.?0+$/, '');
}

/** Parses a quantity cell: a malformed or negative one is refused with `expected`, one over the
 * range ksim counts with the manifest readers' message (QuantityRangeError's). */
function quantityCell<T>(c: Cell, parse: (text: string) => T, expected: string): T {
  try {
    return parse(c.text);
  } catch (e) {
    if (e instanceof QuantityRangeError) fail(c, e.expected);
    if (e instanceof FieldError) fail(c, expected);
    throw e;
  }
}

/** A CPU quantity ("500m", "2"), returned as given after checking it. */
export function cpuQuantity(c: Cell): string {
  quantityCell(c, parseNonNegativeMilli, 'a non-negative Kubernetes quantity such as 500m or 2');
  return c.text;
}

/** A byte or count quantity ("1Gi", "512Mi", "2"). */
export function integerQuantity(c: Cell): string {
  quantityCell(c, parseNonNegativeInteger, 'a non-negative Kubernetes quantity such as 512Mi, 2Gi or 1');
  return c.text;
}

/** An extended resource quantity: a whole number (upstream ValidateResourceRequirements:
 * extended resources "must be an integer"), counted in thousandths as the API rules read a
 * manifest's (src/workload/api-rules.ts). */
export function wholeQuantity(c: Cell): string {
  const what = 'a whole non-negative quantity such as 1 or 2 (extended resources are counted in units)';
  if (quantityCell(c, parseNonNegativeMilli, what) % 1000 !== 0) fail(c, what);
  return c.text;
}

/** `k=v;k2=v2` → a label map (validated as upstream ValidateLabels). */
export function labelMap(c: Cell): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of c.text.split(';')) {
    if (part.trim() === '') continue;
    const eq = part.indexOf('=');
    if (eq < 0) fail(c, 'labels as key=value pairs separated by ";"', quote(part));
    const k = part.slice(0, eq).trim();
    const v = part.slice(eq + 1).trim();
    if (!isValidLabelKey(k)) fail(c, 'a label key (an optional DNS subdomain prefix and "/", then a name of at most 63 characters a-z, A-Z, 0-9, "-", "_", ".")', quote(k));
    if (!isValidLabelValue(v)) fail(c, 'a label value (empty, or at most 63 characters a-z, A-Z, 0-9, "-", "_", "." starting and ending with a letter or digit)', quote(v));
    out[k] = v;
  }
  return out;
}

const EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

/** `key=value:Effect;key:Effect;key` → tolerations (Equal with a value, Exists without). */
export function tolerationList(c: Cell): Toleration[] {
  const out: Toleration[] = [];
  for (const part of c.text.split(';')) {
    if (part.trim() === '') continue;
    const colon = part.lastIndexOf(':');
    const head = (colon >= 0 ? part.slice(0, colon) : part).trim();
    const effect = colon >= 0 ? part.slice(colon + 1).trim() : '';
    if (effect !== '' && !EFFECTS.includes(effect)) fail(c, `a toleration key[=value][:effect] with effect ${EFFECTS.join(', ')}`, quote(part));
    const eq = head.indexOf('=');
    const key = eq < 0 ? head : head.slice(0, eq);
    if (!isValidLabelKey(key)) fail(c, 'a toleration key[=value][:effect] whose key is a label key', quote(part));
    const t: Toleration = eq < 0 ? { key, operator: 'Exists' } : { key, operator: 'Equal', value: head.slice(eq + 1) };
    if (eq >= 0 && !isValidLabelValue(t.value as string)) fail(c, 'a toleration value that is a label value', quote(part));
    if (effect !== '') t.effect = effect;
    out.push(t);
  }
  return out;
}


/** A Kubernetes object name (an RFC 1123 subdomain). */
export function isObjectName(s: string): boolean {
  return isDns1123Subdomain(s);
}

export function objectName(c: Cell): string {
  if (!isObjectName(c.text)) fail(c, 'a lowercase RFC 1123 name (a-z, 0-9, "-", "."; at most 253 characters)');
  return c.text;
}

export function namespaceName(c: Cell): string {
  if (!isDns1123Label(c.text)) fail(c, 'a lowercase RFC 1123 label (a-z, 0-9, "-"; at most 63 characters)');
  return c.text;
}

/** Extended resource names: domain-qualified, outside kubernetes.io (upstream
 * IsExtendedResourceName, pkg/apis/core/helper/helpers.go). */
export function isExtendedResourceName(name: string): boolean {
  const slash = name.indexOf('/');
  if (slash <= 0) return false;
  const domain = name.slice(0, slash);
  if (domain === 'kubernetes.io' || domain.endsWith('.kubernetes.io') || name.startsWith('requests.')) return false;
  return isValidLabelKey(name);
}

/** The pod names one trace file has in use, for rows in time order: a row whose pod name is
 * still held by an earlier row's pod is a row error at its name cell naming that row's line, as
 * upstream refuses a create while the name exists (AlreadyExists). A name is held from its row's
 * time until `releaseAtS` (the row's deletion time, or the earliest its run can end; null: for
 * good). Released names are forgotten as the file goes, so memory follows the pods the trace
 * keeps. */
export class PodNames {
  private readonly held = new Map<string, { readonly line: number; readonly releaseAtS: number | null }>();
  private sweepAt = 1024;

  /** Claims `key` (namespace/name) for the row of `c` at `timeS`; throws if it is held. */
  claim(c: Cell, key: string, timeS: number, releaseAtS: number | null): void {
    const prev = this.held.get(key);
    if (prev !== undefined && (prev.releaseAtS === null || prev.releaseAtS > timeS)) {
      fail(c, `a pod name not in use at this row's time (line ${prev.line}'s pod has it ${prev.releaseAtS === null ? 'for good: the trace never deletes it' : `until ${prev.releaseAtS} s`})`);
    }
    this.held.set(key, { line: c.line, releaseAtS });
    if (this.held.size >= this.sweepAt) {
      for (const [k, v] of this.held) if (v.releaseAtS !== null && v.releaseAtS <= timeS) this.held.delete(k);
      this.sweepAt = Math.max(1024, 2 * this.held.size);
    }
  }
}
