// Go's time.ParseDuration and Duration.String (src/time/format.go, time.go),
// with the simulator's microsecond clock.
//
// Parsing follows Go exactly, in int64 nanoseconds (including its float64
// handling of fractions and its overflow rules), then rounds to the nearest
// microsecond, halves away from zero (as Go's d.Round(time.Microsecond)):
// "1500ns" is 2µs, "1499ns" is 1µs, "10ns" is 0. A valid Go duration whose
// microsecond count is not a JavaScript safe integer (beyond about 285 years)
// is rejected.

import { FieldError } from './field-error.js';

const EXPECTED_DURATION = 'a duration such as 90s, 15m, 1h30m';
const EXPECTED_NON_NEGATIVE = 'a non-negative duration';
const TWO_63 = 1n << 63n;
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
// ±(2^53 - 1) µs, as formatDuration spells it.
const EXPECTED_IN_RANGE = 'a duration between -2501999h47m34.740991s and 2501999h47m34.740991s';

// Nanoseconds per unit. A Map, so that e.g. "constructor" is not a unit.
const UNITS: ReadonlyMap<string, bigint> = new Map([
  ['ns', 1n],
  ['us', 1_000n],
  ['\u00b5s', 1_000n], // µs, MICRO SIGN
  ['\u03bcs', 1_000n], // μs, GREEK SMALL LETTER MU
  ['ms', 1_000_000n],
  ['s', 1_000_000_000n],
  ['m', 60_000_000_000n],
  ['h', 3_600_000_000_000n],
]);

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** Go's ParseDuration, returning int64 nanoseconds, or undefined where Go returns an error. */
function parseNanos(orig: string): bigint | undefined {
  let s = orig;
  let neg = false;
  if (s !== '') {
    const c = s.charCodeAt(0);
    if (c === 0x2d /* - */ || c === 0x2b /* + */) {
      neg = c === 0x2d;
      s = s.slice(1);
    }
  }
  if (s === '0') return 0n; // a bare zero needs no unit
  if (s === '') return undefined;
  let d = 0n;
  let i = 0;
  const n = s.length;
  while (i < n) {
    // The next character must be [0-9.].
    const c = s.charCodeAt(i);
    if (!(c === 0x2e || isDigit(c))) return undefined;

    // leadingInt: [0-9]*, an error once the value exceeds 2^63.
    const intStart = i;
    let v = 0n;
    while (i < n && isDigit(s.charCodeAt(i))) {
      v = v * 10n + BigInt(s.charCodeAt(i) - 0x30);
      if (v > TWO_63) return undefined;
      i++;
    }
    const pre = i !== intStart;

    // leadingFraction: (\.[0-9]*)?, digits past int64 precision are ignored.
    let f = 0n;
    let scale = 1; // a float64 in Go, too
    let post = false;
    if (i < n && s.charCodeAt(i) === 0x2e) {
      i++;
      const fracStart = i;
      let overflow = false;
      while (i < n && isDigit(s.charCodeAt(i))) {
        if (!overflow) {
          if (f > (TWO_63 - 1n) / 10n) {
            overflow = true;
          } else {
            const y = f * 10n + BigInt(s.charCodeAt(i) - 0x30);
            if (y > TWO_63) {
              overflow = true;
            } else {
              f = y;
              scale *= 10;
            }
          }
        }
        i++;
      }
      post = i !== fracStart;
    }
    if (!pre && !post) return undefined; // no digits, e.g. ".s" or "-.s"

    // The unit runs up to the next [0-9.].
    const unitStart = i;
    while (i < n) {
      const u = s.charCodeAt(i);
      if (u === 0x2e || isDigit(u)) break;
      i++;
    }
    if (i === unitStart) return undefined; // missing unit
    const unit = UNITS.get(s.slice(unitStart, i));
    if (unit === undefined) return undefined; // unknown unit
    if (v > TWO_63 / unit) return undefined; // overflow
    v *= unit;
    if (f > 0n) {
      // Go: v += uint64(float64(f) * (float64(unit) / scale))
      v += BigInt(Math.trunc(Number(f) * (Number(unit) / scale)));
      if (v > TWO_63) return undefined;
    }
    d += v;
    if (d > TWO_63) return undefined;
  }
  if (neg) return -d;
  if (d > TWO_63 - 1n) return undefined;
  return d;
}

/** Nanoseconds to microseconds, halves away from zero. */
function roundToMicros(ns: bigint): bigint {
  const q = ns / 1000n;
  const r = ns % 1000n;
  if (r >= 500n) return q + 1n;
  if (r <= -500n) return q - 1n;
  return q;
}

function parseMicros(input: string, path: string | undefined, nonNegative: boolean): number {
  const ns = typeof input === 'string' ? parseNanos(input) : undefined;
  const got = JSON.stringify(input) ?? String(input);
  if (ns === undefined) throw new FieldError(path ?? '', EXPECTED_DURATION, got);
  if (nonNegative && ns < 0n) throw new FieldError(path ?? '', EXPECTED_NON_NEGATIVE, got);
  const us = roundToMicros(ns);
  if (us > MAX_SAFE || us < -MAX_SAFE) {
    throw new FieldError(path ?? '', EXPECTED_IN_RANGE, got);
  }
  return Number(us);
}

/** Go's time.ParseDuration, in integer microseconds (see the file comment for rounding). */
export function parseDuration(input: string, path?: string): number {
  return parseMicros(input, path, false);
}

/** parseDuration, rejecting negative durations (even ones that round to 0µs, such as "-1ns"). */
export function parseNonNegativeDuration(input: string, path?: string): number {
  return parseMicros(input, path, true);
}

/** Fractional digits of `frac` (< 10^digits) without trailing zeros, after a '.'; '' if zero. */
function fraction(frac: number, digits: number): string {
  if (frac === 0) return '';
  return `.${String(frac).padStart(digits, '0').replace(/0+$/, '')}`;
}

/**
 * Go's Duration.String, from microseconds: 90_000_000 → "1m30s", 1500 → "1.5ms",
 * 1 → "1µs", 3_600_000_000 → "1h0m0s", 0 → "0s".
 */
export function formatDuration(us: number): string {
  if (!Number.isSafeInteger(us)) throw new RangeError(`formatDuration: microseconds must be a safe integer, got ${us}`);
  const sign = us < 0 ? '-' : '';
  const u = Math.abs(us);
  if (u === 0) return '0s';
  if (u < 1_000) return `${sign}${u}\u00b5s`;
  if (u < 1_000_000) return `${sign}${Math.floor(u / 1_000)}${fraction(u % 1_000, 3)}ms`;
  const seconds = Math.floor(u / 1_000_000);
  const secPart = `${seconds % 60}${fraction(u % 1_000_000, 6)}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes === 0) return `${sign}${secPart}`;
  const hours = Math.floor(minutes / 60);
  if (hours === 0) return `${sign}${minutes}m${secPart}`;
  return `${sign}${hours}h${minutes % 60}m${secPart}`;
}
