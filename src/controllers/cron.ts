// CronJob schedules exactly as robfig/cron v3 ParseStandard reads them (the parser Kubernetes
// validates spec.schedule with and its controller runs: vendor/github.com/robfig/cron/v3
// parser.go, spec.go): 5 fields minute (0-59), hour (0-23), day of month (1-31), month (1-12 or
// JAN-DEC) and day of week (0-6 or SUN-SAT; 7 is refused), each a comma-separated list of `*` or
// `?` (the same: the whole range), numbers or names (any case), ranges a-b, with an optional step
// /n (`5/15` runs from 5 to the field's end). Day-of-month and day-of-week: when both are
// restricted, a day matches when either does (cron's OR rule). A field is unrestricted when one
// of its items is `*` or `?` with no step or a step of 1: a step over 1 (`*/3`) restricts it
// (parser.go getRange: `if step > 1 { extra = 0 }` clears the star bit; spec.go dayMatches).
// Descriptors, matched exactly (lower case, no spaces around): @yearly, @annually, @monthly,
// @weekly, @daily, @midnight, @hourly, and @every <Go duration> (parser.go parseDescriptor;
// constantdelay.go: the delay in whole seconds, at least 1 s, counted from the second before —
// the CronJob controller anchors it at status.lastScheduleTime or creationTimestamp, upstream
// issue #104012, PR #109250). A schedule holding "TZ"
// (TZ=... or CRON_TZ=...) is refused, as the API server refuses it on create (pkg/apis/batch/
// validation/validation.go validateScheduleFormat).
//
// Simulated time on a wall clock (WallClock): t = 0 is 2026-01-01T00:00:00Z (a Thursday), or
// a cluster snapshot's own time; schedules are evaluated in UTC.
import { FieldError } from '../api/field-error.js';
import { parseRfc3339Us } from '../api/rfc3339.js';

const US_PER_MIN = 60_000_000;
const US_PER_S = 1_000_000;

/** Simulated time (µs from t = 0) as wall-clock time: what Kubernetes timestamps and cron
 * schedules read. `startUs`: the wall-clock instant of t = 0, µs since the Unix epoch. */
export class WallClock {
  constructor(readonly startUs: number) {}

  /** Simulated time as an RFC 3339 UTC timestamp in whole seconds, e.g. 2026-01-01T00:05:00Z. */
  text(us: number): string {
    return new Date(Math.floor((this.startUs + us) / 1000)).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }

  /** An RFC 3339 timestamp on the simulated clock (µs; negative before t = 0), or null when the
   * text is not one. */
  runUs(text: string): number | null {
    const us = parseRfc3339Us(text);
    return us === null ? null : us - this.startUs;
  }

  /** The start of the wall-clock second holding simulated time `us` (metav1.Time's precision). */
  wholeSecond(us: number): number {
    return Math.floor((this.startUs + us) / US_PER_S) * US_PER_S - this.startUs;
  }

  /** Whole minutes since the Unix epoch at simulated time `us` (a CronJob's Job names). */
  unixMinutes(us: number): number {
    return Math.floor((this.startUs + us) / US_PER_MIN);
  }

  /** A schedule's Next (robfig/cron v3): the first time strictly after `afterUs`; for @every,
   * `afterUs` rounded down to its wall-clock second plus the delay (constantdelay.go Next). */
  next(s: Schedule, afterUs: number): number | null {
    if ('delayUs' in s) return this.wholeSecond(afterUs) + s.delayUs;
    return this.nextCron(s, afterUs);
  }

  /** The first scheduled time strictly after simulated time `afterUs` (µs), or null when none
   * comes within 5 years (e.g. February 30th). */
  nextCron(c: CronSchedule, afterUs: number): number | null {
    let minute = this.unixMinutes(afterUs) + 1;
    const limit = minute + 5 * 366 * 24 * 60;
    for (; minute < limit; minute++) {
      const d = new Date(minute * 60_000);
      if (!c.months.has(d.getUTCMonth() + 1)) {
        // Skip to the start of the next month.
        minute = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) / 60_000 - 1;
        continue;
      }
      if (matches(c, d)) return minute * US_PER_MIN - this.startUs;
    }
    return null;
  }
}

/** t = 0 at 2026-01-01T00:00:00Z (a Thursday): runs without a snapshot's time. */
export const DEFAULT_WALL_CLOCK = new WallClock(Date.UTC(2026, 0, 1) * 1000);

export interface CronSchedule {
  readonly minutes: ReadonlySet<number>;
  readonly hours: ReadonlySet<number>;
  readonly daysOfMonth: ReadonlySet<number>;
  readonly months: ReadonlySet<number>;
  readonly daysOfWeek: ReadonlySet<number>;
  /** robfig/cron's star bit of the day-of-month and day-of-week fields (spec.go dayMatches). */
  readonly domStar: boolean;
  readonly dowStar: boolean;
}

interface Bounds {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  /** robfig/cron parser.go's names for the field's numbers (spec.go months, dow), lower case. */
  readonly names?: readonly string[];
  readonly namesText?: string;
}

/** robfig/cron v3 spec.go bounds: minutes 0-59, hours 0-23, dom 1-31, months 1-12 (jan-dec),
 * dow 0-6 (sun-sat; 7 is out of range, as ParseStandard and so the API server say). */
const FIELDS: readonly Bounds[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: ['', 'jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'], namesText: 'JAN-DEC' },
  { name: 'day of week', min: 0, max: 6, names: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'], namesText: 'SUN-SAT' },
];

/** robfig/cron parser.go parseDescriptor: the descriptors, matched exactly (case and spaces
 * count), as the 5 fields they stand for. */
const DESCRIPTORS: ReadonlyMap<string, string> = new Map([
  ['@yearly', '0 0 1 1 *'],
  ['@annually', '0 0 1 1 *'],
  ['@monthly', '0 0 1 * *'],
  ['@weekly', '0 0 * * 0'],
  ['@daily', '0 0 * * *'],
  ['@midnight', '0 0 * * *'],
  ['@hourly', '0 * * * *'],
]);

const SHAPE = 'a cron schedule of 5 fields (minute hour day-of-month month day-of-week) or one of @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly, @every <duration>';

/** `@every <duration>` (robfig/cron v3 parser.go parseDescriptor → constantdelay.go Every): a
 * ConstantDelaySchedule, its delay the duration rounded down to whole seconds and at least 1 s;
 * Next(t) is t rounded down to its second plus the delay. */
export interface EverySchedule {
  readonly delayUs: number;
}

/** A CronJob's spec.schedule: cron fields or a constant delay. */
export type Schedule = CronSchedule | EverySchedule;

/** Parses spec.schedule as parseCron does, and `@every <duration>` too (a Go duration after
 * exactly one space: parser.go parseDescriptor, time.ParseDuration). */
export function parseSchedule(text: string): Schedule {
  const every = '@every ';
  if (!text.includes('TZ') && text.startsWith(every)) {
    const ns = parseGoDurationNs(text.slice(every.length));
    if (ns === null) throw new FieldError('', '@every and a Go duration such as 5m, 1h30m or 90s (time.ParseDuration)', JSON.stringify(text));
    // constantdelay.go Every: under 1 s is 1 s; sub-second parts dropped.
    const wholeS = ns < 1e9 ? 1 : Math.floor(ns / 1e9);
    return { delayUs: wholeS * US_PER_S };
  }
  return parseCron(text);
}

/** Go time.ParseDuration in ns (a float: whole seconds are all the schedule keeps), or null
 * when Go refuses the text: an optional sign, then one or more decimal numbers (digits, an
 * optional fraction, at least one digit) each with a unit ns, us, µs, μs, ms, s, m or h; "0"
 * alone needs no unit; above about 292 years overflows. */
export function parseGoDurationNs(text: string): number | null {
  let s = text;
  let neg = false;
  if (s.startsWith('-') || s.startsWith('+')) {
    neg = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '0') return 0;
  if (s === '') return null;
  const units: Readonly<Record<string, number>> = { ns: 1, us: 1e3, '\u00b5s': 1e3, '\u03bcs': 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };
  let total = 0;
  while (s !== '') {
    const num = /^(\d*)(?:\.(\d*))?/.exec(s)!;
    const whole = num[1]!;
    const frac = num[2];
    if (whole === '' && (frac === undefined || frac === '')) return null;
    s = s.slice(num[0].length);
    const unit = /^[^\d.]*/.exec(s)![0];
    const scale = units[unit];
    if (unit === '' || scale === undefined || !Object.hasOwn(units, unit)) return null;
    s = s.slice(unit.length);
    total += (Number(whole === '' ? '0' : whole) + (frac === undefined || frac === '' ? 0 : Number(`0.${frac}`))) * scale;
    if (total > 9_223_372_036_854_775_807) return null; // Go: invalid duration (overflow)
  }
  return neg ? -total : total;
}

/** Parses spec.schedule as the API server validates it (upstream pkg/apis/batch/validation
 * validation.go validateScheduleFormat: robfig/cron v3 ParseStandard, and no "TZ" anywhere in it
 * on create) and as the controller reads it; throws a FieldError naming the bad part. */
export function parseCron(text: string): CronSchedule {
  if (text.includes('TZ')) throw new FieldError('', 'a schedule without TZ= or CRON_TZ= (the API server refuses them: "cannot use TZ or CRON_TZ in schedule, use timeZone field instead")', JSON.stringify(text));
  if (text === '') throw new FieldError('', SHAPE, '""');
  let spec = text;
  if (text.startsWith('@')) {
    const d = DESCRIPTORS.get(text);
    if (d === undefined) throw new FieldError('', SHAPE, JSON.stringify(text));
    spec = d;
  }
  // strings.Fields: runs of white space separate the fields.
  const parts = spec.split(/\s+/).filter((p) => p !== '');
  if (parts.length !== 5) throw new FieldError('', SHAPE, JSON.stringify(text));
  const sets = parts.map((p, i) => parseField(p, FIELDS[i]!, text));
  return {
    minutes: sets[0]!.values, hours: sets[1]!.values, daysOfMonth: sets[2]!.values, months: sets[3]!.values, daysOfWeek: sets[4]!.values,
    domStar: sets[2]!.star, dowStar: sets[4]!.star,
  };
}

/** robfig/cron parser.go getField and getRange: a comma-separated list (empty items dropped, as
 * strings.FieldsFunc drops them) of `*` or `?` (the whole range, with the star bit), a number or
 * name, or a range a-b; each with an optional step /n, a lone start with a step running to the
 * field's end; a step over 1 clears the star bit. */
function parseField(field: string, f: Bounds, whole: string): { values: Set<number>; star: boolean } {
  const values = new Set<number>();
  let star = false;
  const bad = () => new FieldError('', `a cron schedule whose ${f.name} field is *, ?, a number ${f.min}-${f.max}${f.namesText === undefined ? '' : ` or a name ${f.namesText}`}, a range, a list or a step`, JSON.stringify(whole));
  for (const expr of field.split(',')) {
    if (expr === '') continue;
    const rangeAndStep = expr.split('/');
    const lowAndHigh = rangeAndStep[0]!.split('-');
    let start: number;
    let end: number;
    let extra = false;
    if (lowAndHigh[0] === '*' || lowAndHigh[0] === '?') {
      start = f.min;
      end = f.max;
      extra = true;
    } else {
      start = intOrName(lowAndHigh[0]!, f.names, bad);
      if (lowAndHigh.length === 1) end = start;
      else if (lowAndHigh.length === 2) end = intOrName(lowAndHigh[1]!, f.names, bad);
      else throw bad(); // too many hyphens
    }
    let step = 1;
    if (rangeAndStep.length === 2) {
      step = atoi(rangeAndStep[1]!, bad);
      if (lowAndHigh.length === 1) end = f.max; // "N/step" means "N-max/step"
      if (step > 1) extra = false;
    } else if (rangeAndStep.length > 2) throw bad(); // too many slashes
    if (start < f.min || end > f.max || start > end || step === 0) throw bad();
    for (let v = start; v <= end; v += step) values.add(v);
    star ||= extra;
  }
  return { values, star };
}

/** robfig/cron parser.go parseIntOrName: a name of the field (any case), else mustParseInt. */
function intOrName(expr: string, names: readonly string[] | undefined, bad: () => FieldError): number {
  const n = names?.indexOf(expr.toLowerCase()) ?? -1;
  if (n >= 0 && names![n] !== '') return n;
  return atoi(expr, bad);
}

/** robfig/cron parser.go mustParseInt: Go strconv.Atoi (an optional +, decimal digits), not
 * negative. */
function atoi(expr: string, bad: () => FieldError): number {
  if (!/^\+?\d+$/.test(expr)) throw bad();
  const n = Number(expr);
  if (!Number.isSafeInteger(n)) throw bad(); // Atoi's range error, or past any bound anyway
  return n;
}

/** robfig/cron spec.go Next's match of one minute, with dayMatches: when either day field has
 * the star bit, both must match; else either. */
function matches(c: CronSchedule, d: Date): boolean {
  if (!c.minutes.has(d.getUTCMinutes()) || !c.hours.has(d.getUTCHours()) || !c.months.has(d.getUTCMonth() + 1)) return false;
  const dom = c.daysOfMonth.has(d.getUTCDate());
  const dow = c.daysOfWeek.has(d.getUTCDay());
  if (c.domStar || c.dowStar) return dom && dow;
  return dom || dow;
}
