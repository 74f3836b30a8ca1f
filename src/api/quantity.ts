// Kubernetes resource.Quantity, parsed exactly (k8s.io/apimachinery
// pkg/api/resource/quantity.go). The grammar is the documented one:
//
//   <quantity>        ::= <signedNumber><suffix>
//   <signedNumber>    ::= <number> | <sign><number>
//   <number>          ::= <digits> | <digits>.<digits> | <digits>. | .<digits>
//   <sign>            ::= "+" | "-"
//   <suffix>          ::= <binarySI> | <decimalExponent> | <decimalSI>
//   <binarySI>        ::= Ki | Mi | Gi | Ti | Pi | Ei
//   <decimalSI>       ::= n | u | m | "" | k | M | G | T | P | E
//   <decimalExponent> ::= "e" <sign>?<digits> | "E" <sign>?<digits>
//
// Semantics follow upstream ParseQuantity: the value is exact (a bigint
// mantissa and a power of ten; binary suffixes multiply the mantissa by 2^k),
// and a non-zero value finer than 1n is rounded away from zero to a whole
// number of nano-units ("0.9n" is 1n, "1e-100" is 1n). Value() and MilliValue()
// round away from zero to an integer ("100m" is 1, "-1.5" is -2).
//
// Deliberate differences from upstream's implementation (which is looser than
// its own documented grammar): digit-less spellings such as ".", "-", "Gi" or
// "m" are rejected (upstream parses them as 0), exponents must fit an int32
// (upstream wraps larger ones modulo 2^32), BinarySI values are not silently
// capped at 2^63-1, and a result that does not fit a JavaScript safe integer
// is an error instead of an overflowed int64.

import { FieldError } from './field-error.js';

/** A well-formed quantity beyond the range ksim counts it in (its `expected` names the bound):
 * readers that word their own message for a malformed quantity keep this one. */
export class QuantityRangeError extends FieldError {}

export type QuantityFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

/** An exact quantity: its value is `mantissa × 10^exponent`. */
export interface Quantity {
  readonly mantissa: bigint;
  readonly exponent: number;
  /** The suffix family it was written with (upstream's Quantity.Format). */
  readonly format: QuantityFormat;
  /** What was parsed (a number input as its decimal string). */
  readonly text: string;
}

const EXPECTED_QUANTITY = 'a Kubernetes quantity such as 100m, 1.5, 2Gi, 1e3';
/** The range ksim counts a quantity in: a safe integer of base units (bytes, units) or, for a
 * value taken in thousandths (CPU, and extended resources as the API rules read them), of
 * thousandths: "1P" CPU is 10^18m, over the cap, though 10^15 is not. */
const EXPECTED_AT_MOST = `a quantity at most ${Number.MAX_SAFE_INTEGER} (in base units)`;
const EXPECTED_AT_LEAST = `a quantity at least ${-Number.MAX_SAFE_INTEGER} (in base units)`;
const EXPECTED_AT_MOST_MILLI = `a quantity at most ${Number.MAX_SAFE_INTEGER}m (counted in thousandths)`;
const EXPECTED_AT_LEAST_MILLI = `a quantity at least ${-Number.MAX_SAFE_INTEGER}m (counted in thousandths)`;
const EXPECTED_NON_NEGATIVE = 'a non-negative quantity';
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const INT32_MAX = 2147483647;
const NANO = -9;

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** [base-10 exponent, base-2 exponent, format] of a suffix, or undefined. */
function interpretSuffix(suffix: string): [number, number, QuantityFormat] | undefined {
  switch (suffix) {
    case '':
      return [0, 0, 'DecimalSI'];
    case 'n':
      return [-9, 0, 'DecimalSI'];
    case 'u':
      return [-6, 0, 'DecimalSI'];
    case 'm':
      return [-3, 0, 'DecimalSI'];
    case 'k':
      return [3, 0, 'DecimalSI'];
    case 'M':
      return [6, 0, 'DecimalSI'];
    case 'G':
      return [9, 0, 'DecimalSI'];
    case 'T':
      return [12, 0, 'DecimalSI'];
    case 'P':
      return [15, 0, 'DecimalSI'];
    case 'E':
      return [18, 0, 'DecimalSI'];
    case 'Ki':
      return [0, 10, 'BinarySI'];
    case 'Mi':
      return [0, 20, 'BinarySI'];
    case 'Gi':
      return [0, 30, 'BinarySI'];
    case 'Ti':
      return [0, 40, 'BinarySI'];
    case 'Pi':
      return [0, 50, 'BinarySI'];
    case 'Ei':
      return [0, 60, 'BinarySI'];
  }
  // <decimalExponent>: e or E, an optional sign, then at least one digit.
  const first = suffix.charCodeAt(0);
  if (first !== 0x65 /* e */ && first !== 0x45 /* E */) return undefined;
  let i = 1;
  const sign = suffix.charCodeAt(i);
  if (sign === 0x2b /* + */ || sign === 0x2d /* - */) i++;
  if (i >= suffix.length) return undefined;
  for (let j = i; j < suffix.length; j++) if (!isDigit(suffix.charCodeAt(j))) return undefined;
  const exponent = Number(suffix.slice(1)); // Number accepts a leading sign and leading zeros
  if (!(Math.abs(exponent) <= INT32_MAX)) return undefined;
  return [exponent, 0, 'DecimalExponent'];
}

function decimalDigits(abs: bigint): number {
  return abs.toString().length;
}

/** Divides a non-negative `abs` by 10^shift, rounding any remainder up. */
function divCeilPow10(abs: bigint, shift: number): bigint {
  if (abs === 0n) return 0n;
  if (shift > decimalDigits(abs)) return 1n; // 0 < abs / 10^shift < 1
  const p = 10n ** BigInt(shift);
  const q = abs / p;
  return abs % p === 0n ? q : q + 1n;
}

function tryParse(text: string): Quantity | undefined {
  const n = text.length;
  let i = 0;
  let negative = false;
  const c0 = text.charCodeAt(0);
  if (c0 === 0x2b /* + */ || c0 === 0x2d /* - */) {
    negative = c0 === 0x2d;
    i++;
  }
  const intStart = i;
  while (i < n && isDigit(text.charCodeAt(i))) i++;
  const intDigits = text.slice(intStart, i);
  let fracDigits = '';
  if (i < n && text.charCodeAt(i) === 0x2e /* . */) {
    i++;
    const fracStart = i;
    while (i < n && isDigit(text.charCodeAt(i))) i++;
    fracDigits = text.slice(fracStart, i);
  }
  if (intDigits === '' && fracDigits === '') return undefined;
  const interpreted = interpretSuffix(text.slice(i));
  if (interpreted === undefined) return undefined;
  const [exp10, exp2] = interpreted;
  let format = interpreted[2];

  let abs = BigInt(intDigits + fracDigits);
  let exponent = exp10 - fracDigits.length;
  if (exp2 !== 0) abs <<= BigInt(exp2);
  if (abs === 0n) {
    exponent = 0;
  } else if (exponent < NANO) {
    // Upstream rounds a non-zero value away from zero to the nano scale.
    abs = divCeilPow10(abs, NANO - exponent);
    exponent = NANO;
  }
  // Upstream: a BinarySI amount strictly between 0 and 1 is re-labelled DecimalSI.
  if (format === 'BinarySI' && abs !== 0n && exponent < 0 && decimalDigits(abs) <= -exponent) {
    format = 'DecimalSI';
  }
  return { mantissa: negative ? -abs : abs, exponent, format, text };
}

function showInput(input: string | number): string {
  if (typeof input === 'number' && !Number.isFinite(input)) return String(input);
  return JSON.stringify(input) ?? String(input);
}

function toText(input: string | number): string | undefined {
  if (typeof input === 'string') return input;
  if (typeof input === 'number' && Number.isFinite(input)) return String(input);
  return undefined;
}

/** Parses a quantity (a number is read as its decimal string), or throws a FieldError. */
export function parseQuantity(input: string | number, path?: string): Quantity {
  const text = toText(input);
  if (text === undefined) throw new FieldError(path ?? '', EXPECTED_QUANTITY, showInput(input));
  let q = parsed.get(text);
  if (q !== undefined) return q;
  q = tryParse(text);
  if (q === undefined) throw new FieldError(path ?? '', EXPECTED_QUANTITY, showInput(input));
  if (parsed.size >= PARSED_MAX) parsed.clear();
  parsed.set(text, q);
  return q;
}

/** Quantities already parsed, by text: manifests and traces repeat a few values ("100m",
 * "500Mi") thousands of times, and a parse does BigInt arithmetic. A Quantity is immutable, so
 * one object serves every use. Bounded: emptied when full. */
const parsed = new Map<string, Quantity>();
const PARSED_MAX = 4_096;

/** ceil-away-from-zero(q × 10^scale) as a safe integer, or a FieldError. */
function scaledValue(q: Quantity, scale: number, path: string, input: string | number): number {
  const m = q.mantissa;
  if (m === 0n) return 0;
  const negative = m < 0n;
  const abs = negative ? -m : m;
  const e = q.exponent + scale;
  let r: bigint;
  if (e >= 0) {
    // abs >= 1, so anything scaled by 10^16 or more is out of range.
    r = e > 16 ? MAX_SAFE + 1n : abs * 10n ** BigInt(e);
  } else {
    r = divCeilPow10(abs, -e);
  }
  if (r > MAX_SAFE) {
    const expected = scale === 3 ? (negative ? EXPECTED_AT_LEAST_MILLI : EXPECTED_AT_MOST_MILLI) : negative ? EXPECTED_AT_LEAST : EXPECTED_AT_MOST;
    throw new QuantityRangeError(path, expected, showInput(input));
  }
  return negative ? -Number(r) : Number(r);
}

/** Like Quantity.MilliValue(): thousandths, rounded away from zero ("0.1m" is 1, "1.5" is 1500). */
export function milliValue(q: Quantity, path?: string): number {
  return scaledValue(q, 3, path ?? '', q.text);
}

/** Like Quantity.Value(): rounded away from zero to an integer ("100m" is 1, "1.5Gi" is 1610612736). */
export function value(q: Quantity, path?: string): number {
  return scaledValue(q, 0, path ?? '', q.text);
}

/** Scaled values already computed, by text and scale (scaledValue does BigInt arithmetic; pod
 * requests repeat a few texts for every pod). Bounded like `parsed`. */
const milliByText = new Map<string, number>();
const unitsByText = new Map<string, number>();

function scaledOf(cache: Map<string, number>, input: string | number, scale: number, path: string | undefined): number {
  if (typeof input === 'string') {
    const v = cache.get(input);
    if (v !== undefined) return v;
  }
  const v = scaledValue(parseQuantity(input, path), scale, path ?? '', input);
  if (typeof input === 'string') {
    if (cache.size >= PARSED_MAX) cache.clear();
    cache.set(input, v);
  }
  return v;
}

/** Parse and take MilliValue (for CPU). */
export function parseMilli(input: string | number, path?: string): number {
  return scaledOf(milliByText, input, 3, path);
}

/** Parse and take Value (for memory, storage, counts, extended resources). */
export function parseInteger(input: string | number, path?: string): number {
  return scaledOf(unitsByText, input, 0, path);
}

/** A non-negative quantity's scaled value; a negative quantity is refused before its range is
 * checked (a cached value's sign is its quantity's: scaling rounds away from zero). */
function nonNegative(input: string | number, scale: number, path?: string): number {
  const cache = scale === 3 ? milliByText : unitsByText;
  const known = typeof input === 'string' ? cache.get(input) : undefined;
  if (known !== undefined && known >= 0) return known;
  if (parseQuantity(input, path).mantissa < 0n) throw new FieldError(path ?? '', EXPECTED_NON_NEGATIVE, showInput(input));
  return scaledOf(cache, input, scale, path);
}

/** parseMilli, rejecting negative quantities. */
export function parseNonNegativeMilli(input: string | number, path?: string): number {
  return nonNegative(input, 3, path);
}

/** parseInteger, rejecting negative quantities. */
export function parseNonNegativeInteger(input: string | number, path?: string): number {
  return nonNegative(input, 0, path);
}

function assertSafeInteger(n: number, what: string): void {
  if (!Number.isSafeInteger(n)) throw new RangeError(`${what} must be a safe integer, got ${n}`);
}

/** Millicores as a quantity: 1500 → "1500m", 2000 → "2", 0 → "0". */
export function formatMilliCpu(m: number): string {
  assertSafeInteger(m, 'formatMilliCpu: millicores');
  return m % 1000 === 0 ? String(m / 1000) : `${m}m`;
}

const BINARY_SUFFIXES: ReadonlyArray<readonly [number, string]> = [
  [2 ** 60, 'Ei'],
  [2 ** 50, 'Pi'],
  [2 ** 40, 'Ti'],
  [2 ** 30, 'Gi'],
  [2 ** 20, 'Mi'],
  [2 ** 10, 'Ki'],
];

/** Bytes with the largest exact binary suffix: 2147483648 → "2Gi", 1536 → "1536", 1500 → "1500". */
export function formatBytes(b: number): string {
  assertSafeInteger(b, 'formatBytes: bytes');
  if (b !== 0) {
    for (const [unit, suffix] of BINARY_SUFFIXES) {
      if (b % unit === 0) return `${b / unit}${suffix}`;
    }
  }
  return String(b);
}

const DECIMAL_SI_SUFFIXES: ReadonlyMap<number, string> = new Map([
  [-9, 'n'], [-6, 'u'], [-3, 'm'], [0, ''], [3, 'k'], [6, 'M'], [9, 'G'], [12, 'T'], [15, 'P'], [18, 'E'],
]);
const BINARY_SI_SUFFIXES = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];

/**
 * Quantity.String(): the canonical spelling upstream prints in messages (apimachinery
 * pkg/api/resource/quantity.go CanonicalizeBytes). BinarySI amounts that are whole numbers of at
 * least 1024 (in magnitude) are written with the largest binary suffix that divides them
 * ("1.5Gi" → "1536Mi"); every other amount is written in decimal with the exponent a multiple of
 * three and no trailing zeros, with an SI suffix (DecimalSI: "1000" → "1k", "0.5" → "500m") or as
 * "e<n>" (DecimalExponent: "1e3", "80e-3"; DecimalSI beyond the suffixes too).
 */
export function canonicalQuantity(q: Quantity): string {
  if (q.mantissa === 0n) return '0';
  const negative = q.mantissa < 0n;
  let abs = negative ? -q.mantissa : q.mantissa;
  let format = q.format;
  if (format === 'BinarySI') {
    // Below 1024, or not a whole number, a BinarySI amount is written in decimal.
    const whole = q.exponent >= 0 || abs % 10n ** BigInt(-q.exponent) === 0n;
    const value = q.exponent >= 0 ? abs * 10n ** BigInt(q.exponent) : abs / 10n ** BigInt(-q.exponent);
    if (whole && value >= 1024n) {
      let n = value;
      let i = 0;
      while (n % 1024n === 0n && i < BINARY_SI_SUFFIXES.length - 1) {
        n /= 1024n;
        i++;
      }
      return `${negative ? '-' : ''}${n}${BINARY_SI_SUFFIXES[i]}`;
    }
    format = 'DecimalSI';
  }
  let exponent = q.exponent;
  while (abs % 10n === 0n) {
    abs /= 10n;
    exponent++;
  }
  const r = ((exponent % 3) + 3) % 3;
  if (r !== 0) {
    abs *= 10n ** BigInt(r);
    exponent -= r;
  }
  const si = format === 'DecimalSI' ? DECIMAL_SI_SUFFIXES.get(exponent) : exponent === 0 ? '' : undefined;
  return `${negative ? '-' : ''}${abs}${si ?? `e${exponent}`}`;
}

/** A quantity given as text or a number, in its canonical spelling (canonicalQuantity). */
export function canonicalQuantityText(input: string | number): string {
  return canonicalQuantity(parseQuantity(input));
}

/** Two mantissas on a common exponent (the smaller one). */
function aligned(a: Quantity, b: Quantity): [bigint, bigint, number] {
  const e = Math.min(a.exponent, b.exponent);
  return [a.mantissa * 10n ** BigInt(a.exponent - e), b.mantissa * 10n ** BigInt(b.exponent - e), e];
}

/** Quantity.Cmp: -1, 0 or 1 as `a` is less than, equal to or greater than `b` (exactly). */
export function compareQuantities(a: Quantity, b: Quantity): -1 | 0 | 1 {
  const [x, y] = aligned(a, b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Quantity.Add: the exact sum, in `a`'s format (`b`'s when `a` is zero, as upstream). */
export function addQuantities(a: Quantity, b: Quantity): Quantity {
  const [x, y, exponent] = aligned(a, b);
  const mantissa = x + y;
  return { mantissa, exponent: mantissa === 0n ? 0 : exponent, format: a.mantissa === 0n ? b.format : a.format, text: '' };
}
