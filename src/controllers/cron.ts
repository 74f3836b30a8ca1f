// Standard 5-field cron schedules (minute hour day-of-month month day-of-week), as CronJob's
// robfig/cron parser reads them: `*`, numbers, ranges a-b, lists a,b and steps */n or a-b/n.
// Day-of-month and day-of-week: when both are restricted, a day matches when either does (cron's
// OR rule). A field is unrestricted when one of its items is `*` with no step or a step of 1: a
// step over 1 (`*/3`) restricts it (robfig/cron v3 parser.go getRange: `if step > 1 { extra = 0 }`
// clears the star bit; spec.go dayMatches). Day-of-week 0 and 7 are Sunday. Month and day names
// (JAN-DEC, SUN-SAT, any case) and the macros @yearly, @annually, @monthly, @weekly, @daily,
// @midnight and @hourly are read as robfig/cron's ParseStandard reads them (parser.go: months,
// dow, parseDescriptor); @every is not (Kubernetes refuses it).
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

  /** The latest scheduled time strictly after `afterUs` and at or before `atUs` (upstream
   * mostRecentScheduleTime's most recent time: the one a late sync starts), or null when there
   * is none. Scans back minute by minute from `atUs`. */
  lastCronBetween(c: CronSchedule, afterUs: number, atUs: number): number | null {
    const first = this.unixMinutes(afterUs) + 1;
    for (let minute = this.unixMinutes(atUs); minute >= first; minute--) {
      if (matches(c, new Date(minute * 60_000))) return minute * US_PER_MIN - this.startUs;
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
  readonly domStar: boolean;
  readonly dowStar: boolean;
}

const FIELDS: readonly { name: string; min: number; max: number; names?: string }[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: 'JAN-DEC' },
  { name: 'day of week', min: 0, max: 7, names: 'SUN-SAT' },
];

/** robfig/cron's descriptors (parser.go parseDescriptor) as the 5 fields they stand for. */
const MACROS: ReadonlyMap<string, string> = new Map([
  ['@yearly', '0 0 1 1 *'],
  ['@annually', '0 0 1 1 *'],
  ['@monthly', '0 0 1 * *'],
  ['@weekly', '0 0 * * 0'],
  ['@daily', '0 0 * * *'],
  ['@midnight', '0 0 * * *'],
  ['@hourly', '0 * * * *'],
]);

/** Names a field may use for its numbers (robfig/cron parser.go months, dow), by field index. */
const NAMES: Readonly<Record<number, readonly string[]>> = {
  3: ['', 'jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'],
  4: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'],
};

/** Parses a 5-field schedule or a macro; throws a FieldError naming the bad field. */
export function parseCron(text: string): CronSchedule {
  const s = MACROS.get(text.trim().toLowerCase()) ?? text;
  const parts = s.trim().split(/\s+/).map((p, i) => {
    const names = NAMES[i];
    if (names === undefined) return p;
    return p.replace(/[a-z]+/gi, (w) => {
      const n = names.indexOf(w.toLowerCase());
      return n >= 0 && names[n] !== '' ? String(n) : w;
    });
  });
  if (parts.length !== 5 || parts[0] === '') throw new FieldError('', 'a cron schedule of 5 fields (minute hour day-of-month month day-of-week) or @yearly, @monthly, @weekly, @daily or @hourly', JSON.stringify(text));
  const sets = parts.map((p, i) => parseField(p, FIELDS[i]!, text));
  const dow = sets[4]!;
  if (dow.has(7)) {
    dow.delete(7);
    dow.add(0);
  }
  return { minutes: sets[0]!, hours: sets[1]!, daysOfMonth: sets[2]!, months: sets[3]!, daysOfWeek: dow, domStar: isStar(parts[2]!), dowStar: isStar(parts[4]!) };
}

/** Whether a (valid) field is unrestricted for the OR rule: it has an item `*`, bare or with a step of 1. */
function isStar(field: string): boolean {
  return field.split(',').some((item) => item === '*' || /^\*\/0*1$/.test(item));
}

function parseField(field: string, f: { name: string; min: number; max: number; names?: string }, whole: string): Set<number> {
  const out = new Set<number>();
  const bad = () => new FieldError('', `a cron schedule whose ${f.name} field is *, a number ${f.min}-${f.max}${f.names === undefined ? '' : ` or a name ${f.names}`}, a range, a list or a step`, JSON.stringify(whole));
  for (const item of field.split(',')) {
    const m = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(item);
    if (m === null) throw bad();
    let lo = f.min;
    let hi = f.max;
    if (m[1] !== '*') {
      lo = Number(m[2]);
      hi = m[3] !== undefined ? Number(m[3]) : m[4] !== undefined ? f.max : lo;
    }
    const step = m[4] !== undefined ? Number(m[4]) : 1;
    if (lo < f.min || hi > f.max || lo > hi || step < 1) throw bad();
    for (let v = lo; v <= hi; v += step) out.add(v);
  }
  return out;
}

function matches(c: CronSchedule, d: Date): boolean {
  if (!c.minutes.has(d.getUTCMinutes()) || !c.hours.has(d.getUTCHours()) || !c.months.has(d.getUTCMonth() + 1)) return false;
  const dom = c.daysOfMonth.has(d.getUTCDate());
  const dow = c.daysOfWeek.has(d.getUTCDay());
  if (c.domStar || c.dowStar) return dom && dow;
  return dom || dow;
}
