// Progress of a long command (ksim run, ksim sweep) on stderr.
// On a terminal: one live line, rewritten a few times a second and erased at the end.
// Elsewhere (CI logs, files): one plain line every ~10 s, so a log shows the run is alive.
// Wall-clock reads are fine here: progress goes to stderr, never into simulated output.

/** What a command reports: how far the simulated clock is and what it has done so far. */
export interface ProgressSnapshot {
  readonly simUs: number;
  readonly durationUs: number;
  readonly events: number;
  readonly podsBound: number;
  readonly podsPending: number;
}

/** live: a rewritten line (terminals); lines: a plain line per period (logs); off: nothing. */
export type ProgressMode = 'live' | 'lines' | 'off';

/** --quiet silences, --progress forces the live line; else a terminal gets it and a log the plain lines. */
export function progressMode(opts: { readonly quiet?: boolean | undefined; readonly progress?: boolean | undefined; readonly isTTY: boolean }): ProgressMode {
  if (opts.quiet === true) return 'off';
  if (opts.progress === true || opts.isTTY) return 'live';
  return 'lines';
}

export const LIVE_PERIOD_MS = 250;
export const LINES_PERIOD_MS = 10_000;

/** The plain-line period: KSIM_PROGRESS_INTERVAL_MS (tests shorten it), else 10 s. */
export function linesPeriodMs(env: NodeJS.ProcessEnv = process.env): number {
  const v = Number(env['KSIM_PROGRESS_INTERVAL_MS']);
  return Number.isFinite(v) && v >= 0 && env['KSIM_PROGRESS_INTERVAL_MS'] !== '' ? v : LINES_PERIOD_MS;
}

const int = (n: number) => Math.round(n).toLocaleString('en-US');

/** "1m05s", "2h03m", "12s": a duration short enough for a status line. */
export function shortDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** How far through the simulated time a run must be before its rate gives an ETA. */
const MIN_FRACTION_FOR_ETA = 0.001;

/** The status text, short enough for a terminal line:
 * "5m00s/30m00s 16.7% | 120,000 ev/s | pods 300 bound 13 pending | ETA 12s".
 * `base`: an earlier snapshot of the same run (ProgressReporter keeps one from up to
 * ETA_WINDOW_MS ago): the ETA then follows the simulated clock's pace since it, not since the
 * start, whose loading and t = 0 burst (every initial pod created at once) made early ETAs
 * many times too long. */
export function progressText(snap: ProgressSnapshot, elapsedMs: number, base?: { readonly snap: ProgressSnapshot; readonly elapsedMs: number }): string {
  const fraction = snap.durationUs > 0 ? Math.min(1, snap.simUs / snap.durationUs) : 1;
  const rate = elapsedMs > 0 ? snap.events / (elapsedMs / 1000) : 0;
  // ETA assumes the simulated clock keeps advancing at its pace: not before it is 0.1 % through
  // (the first tick's rate is mostly start-up, and read as "0.0% | ETA 48m").
  const recent = base !== undefined && snap.simUs > base.snap.simUs && elapsedMs > base.elapsedMs;
  const secondsLeft = recent
    ? ((elapsedMs - base.elapsedMs) / 1000) * ((snap.durationUs - snap.simUs) / (snap.simUs - base.snap.simUs))
    : ((elapsedMs / 1000) * (1 - fraction)) / fraction;
  const eta = fraction >= MIN_FRACTION_FOR_ETA && fraction < 1 ? shortDuration(secondsLeft) : fraction >= 1 ? '0s' : '?';
  return (
    `${shortDuration(snap.simUs / 1e6)}/${shortDuration(snap.durationUs / 1e6)} ${(fraction * 100).toFixed(1)}%` +
    ` | ${int(rate)} ev/s | pods ${int(snap.podsBound)} bound ${int(snap.podsPending)} pending | ETA ${eta}`
  );
}

/** A sweep's progress: runs settled (resumed ones included) of the total, failures. */
export interface SweepSnapshot {
  readonly total: number;
  readonly done: number;
  readonly failed: number;
  /** Runs complete before this sweep started (they do not count toward the rate). */
  readonly resumed: number;
}

/** "37/100 runs 37.0% | 2 failed | 4.1 runs/s | ETA 15s"; runs slower than one a second give
 * seconds per run ("21.1 s/run"), which "0.0 runs/s" hid. */
export function sweepProgressText(snap: SweepSnapshot, elapsedMs: number): string {
  const ran = snap.done - snap.resumed;
  const rate = elapsedMs > 0 ? ran / (elapsedMs / 1000) : 0;
  const left = snap.total - snap.done;
  const eta = left === 0 ? '0s' : rate > 0 ? shortDuration(left / rate) : '?';
  const pct = snap.total > 0 ? (100 * snap.done) / snap.total : 100;
  return `${int(snap.done)}/${int(snap.total)} runs ${pct.toFixed(1)}% | ${int(snap.failed)} failed | ${runRate(ran, elapsedMs / 1000, 1)} | ETA ${eta}`;
}

/** `runs` in `seconds` as "4.1 runs/s", or as "21.1 s/run" under one run a second; "? s/run"
 * before the first run ends. */
export function runRate(runs: number, seconds: number, digits: number): string {
  if (!(runs > 0 && seconds > 0)) return '? s/run';
  const rate = runs / seconds;
  return rate >= 1 ? `${rate.toFixed(digits)} runs/s` : `${(seconds / runs).toFixed(digits)} s/run`;
}

export interface ProgressOptions<S = ProgressSnapshot> {
  readonly mode: ProgressMode;
  readonly write: (s: string) => void;
  /** Milliseconds of wall time (performance.now in the CLI; a fake in tests). */
  readonly nowMs: () => number;
  /** A prefix naming the run, e.g. "quickstart". */
  readonly label: string;
  /** Period of the plain lines (mode 'lines'). */
  readonly linesPeriodMs?: number;
  /** Terminal width: the live line is cut to fit (a wrapped line could not be erased). */
  readonly columns?: number;
  /** The status text of a snapshot (default progressText, a run's), with an earlier one from up
   * to ETA_WINDOW_MS before (none for the first). */
  readonly format?: (snap: S, elapsedMs: number, base?: { readonly snap: S; readonly elapsedMs: number }) => string;
}

/** The status text cut to `width` columns, shortened in this order until it fits: the rate
 * segment ("… ev/s", "… runs/s", "… s/run") goes; `label` (the run's name, after "ksim ") is
 * shortened with "…", down to MIN_LABEL_KEEP characters; the other middle " | " segments (the
 * pod counts) go, from the left; the label is shortened further; a text still too long is cut at
 * the width. So the clock and the ETA, at the ends, stay on an 80-column terminal, and a long
 * name gives way before the pod counts do. */
export function fitLine(text: string, width: number, label = ''): string {
  return fitLineKeeping(text, width, label, FIT_NOTHING).line;
}

/** How far the live line has been shortened: the fewest characters of the label kept, the most
 * middle segments dropped, whether the rate was dropped. The live line never shows more than it
 * once cut (fitLineKeeping): its fit would otherwise move with the widths of the clock, the
 * counts and the ETA, a field coming and going from one update to the next. */
interface FitFloor {
  readonly keep: number;
  readonly dropped: number;
  readonly rateDropped: boolean;
}

const FIT_NOTHING: FitFloor = { keep: Number.POSITIVE_INFINITY, dropped: 0, rateDropped: false };

/** The fewest characters of the label kept before the pod counts are dropped ("trace-…"): the
 * user named the run, the counts are what the line alone tells. */
export const MIN_LABEL_KEEP = 6;

/** fitLine, shortened at least as far as `floor`; also how far it was. */
function fitLineKeeping(text: string, width: number, label: string, floor: FitFloor): { line: string; floor: FitFloor } {
  const prefix = `ksim ${label} `;
  const hasLabel = label.length > 1 && text.startsWith(prefix);
  const segments = text.split(' | ');
  const rate = segments.findIndex((s, i) => i > 0 && i < segments.length - 1 && (s.endsWith('/s') || s.endsWith(' s/run')));
  const rateDropped = rate > 0 && (floor.rateDropped || text.length > width);
  if (rateDropped) segments.splice(rate, 1);
  let keep = label.length;
  // The length with the label cut to `keep` characters and "…".
  const length = () => segments.join(' | ').length - (keep < label.length ? label.length - keep - 1 : 0);
  const cutLabel = (k: number) => {
    if (hasLabel && k + 1 < label.length && k < keep) keep = k;
  };
  const over = () => length() - width;
  // 1. The label, down to MIN_LABEL_KEEP characters (or the fewest shown).
  cutLabel(Math.min(floor.keep, over() > 0 ? Math.max(MIN_LABEL_KEEP, label.length - over() - 1) : label.length));
  // 2. The middle segments from the left (the pod counts), at least as many as before.
  let dropped = 0;
  while (segments.length > 2 && (over() > 0 || dropped < floor.dropped)) {
    segments.splice(1, 1);
    dropped++;
  }
  // 3. With segments dropped, the label as long as fits now (at most as long as shown before),
  // down to one character.
  if (dropped > 0 && hasLabel) {
    keep = label.length;
    const whole = over();
    cutLabel(Math.min(floor.keep, whole > 0 ? Math.max(1, label.length - whole - 1) : label.length));
  }
  let line = segments.join(' | ');
  if (keep < label.length) line = `ksim ${label.slice(0, keep)}… ${line.slice(prefix.length)}`;
  return { line: line.length > width ? line.slice(0, width) : line, floor: { keep, dropped, rateDropped } };
}

/** How far back the ETA's pace looks (ProgressReporter keeps its shown snapshots this long). */
export const ETA_WINDOW_MS = 20_000;

export class ProgressReporter<S = ProgressSnapshot> {
  private readonly startMs: number;
  /** Snapshots shown in the last ETA_WINDOW_MS (the oldest is the ETA's base), oldest first. */
  private readonly shownSnaps: { snap: S; elapsedMs: number }[] = [];
  private lastMs = Number.NEGATIVE_INFINITY;
  private shown = false;
  /** How far the live line has been shortened (it never shows more again). */
  private fitFloor: FitFloor = FIT_NOTHING;

  constructor(private readonly opts: ProgressOptions<S>) {
    this.startMs = opts.nowMs();
    // The first plain line comes one period in: short runs print none.
    if (opts.mode === 'lines') this.lastMs = this.startMs;
  }

  /** Called often (between slices of events); prints only when a period has passed. */
  update(snap: S | (() => S)): void {
    if (this.opts.mode === 'off') return;
    const now = this.opts.nowMs();
    const period = this.opts.mode === 'live' ? LIVE_PERIOD_MS : (this.opts.linesPeriodMs ?? LINES_PERIOD_MS);
    if (now - this.lastMs < period) return;
    this.lastMs = now;
    const s = typeof snap === 'function' ? (snap as () => S)() : snap;
    const format = this.opts.format ?? (progressText as unknown as NonNullable<ProgressOptions<S>['format']>);
    const elapsedMs = now - this.startMs;
    while (this.shownSnaps.length > 1 && elapsedMs - this.shownSnaps[1]!.elapsedMs >= ETA_WINDOW_MS) this.shownSnaps.shift();
    // The pace since the later of ETA_WINDOW_MS ago and half the time so far: a short run's
    // start (loading, the t = 0 burst) is slower than the rest of it.
    const base = this.shownSnaps.find((x) => x.elapsedMs >= elapsedMs / 2) ?? this.shownSnaps[this.shownSnaps.length - 1];
    const text = `ksim ${this.opts.label} ${format(s, elapsedMs, base)}`;
    this.shownSnaps.push({ snap: s, elapsedMs });
    if (this.opts.mode === 'lines') {
      this.opts.write(`${text}\n`);
      return;
    }
    const columns = this.opts.columns !== undefined && this.opts.columns > 0 ? this.opts.columns : 80;
    const width = Math.max(20, columns - 1);
    // \r back to column 0, the text, then erase what a longer earlier line left to the right.
    const fitted = fitLineKeeping(text, width, this.opts.label, this.fitFloor);
    this.fitFloor = fitted.floor;
    this.opts.write(`\r${fitted.line}\x1b[K`);
    this.shown = true;
  }

  /** Erases the live line (the summary follows on a clean terminal). */
  finish(): void {
    if (this.shown) this.opts.write('\r\x1b[K');
    this.shown = false;
  }
}
