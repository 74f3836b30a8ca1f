import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fitLine, linesPeriodMs, progressMode, progressText, ProgressReporter, runRate, shortDuration, sweepProgressText, type ProgressMode, type SweepSnapshot } from './progress.js';

const MODES: [opts: Parameters<typeof progressMode>[0], mode: ProgressMode][] = [
  [{ isTTY: true }, 'live'],
  [{ isTTY: false }, 'lines'],
  [{ isTTY: false, progress: true }, 'live'],
  [{ isTTY: true, quiet: true }, 'off'],
  [{ isTTY: false, quiet: true, progress: true }, 'off'],
];
for (const [opts, mode] of MODES) {
  test(`progress mode for ${JSON.stringify(opts)} is ${mode}`, () => {
    assert.equal(progressMode(opts), mode);
  });
}

const DURATIONS: [seconds: number, text: string][] = [
  [0, '0s'],
  [59.4, '59s'],
  [65, '1m05s'],
  [3600, '1h00m'],
  [7385, '2h03m'],
];
for (const [seconds, text] of DURATIONS) {
  test(`${seconds} s reads ${text}`, () => assert.equal(shortDuration(seconds), text));
}

test('the progress text gives sim time, percent, events/s, pods and an ETA from the rate so far', () => {
  const snap = { simUs: 300e6, durationUs: 1800e6, events: 120_000, podsBound: 300, podsPending: 13 };
  assert.equal(progressText(snap, 2000), '5m00s/30m00s 16.7% | 60,000 ev/s | pods 300 bound 13 pending | ETA 10s');
  assert.equal(progressText({ ...snap, simUs: 0 }, 0), '0s/30m00s 0.0% | 0 ev/s | pods 300 bound 13 pending | ETA ?');
  // Under 0.1 % (here 0.6 s of 30 minutes after 2 s, mostly start-up) the rate says nothing yet.
  assert.equal(progressText({ ...snap, simUs: 600_000 }, 2000), '1s/30m00s 0.0% | 60,000 ev/s | pods 300 bound 13 pending | ETA ?');
  assert.equal(progressText({ ...snap, simUs: 1_800_000 }, 2000), '2s/30m00s 0.1% | 60,000 ev/s | pods 300 bound 13 pending | ETA 33m18s');
});

test('with an earlier snapshot the ETA follows the pace since it, not since the start (loading and the t = 0 burst)', () => {
  const snap = { simUs: 600e6, durationUs: 1800e6, events: 120_000, podsBound: 300, podsPending: 13 };
  // 600 of 1,800 s after 20 s: 40 s more at the average pace; but the last 5 s moved the clock
  // 100 s, so the remaining 1,200 s take 60 s.
  assert.equal(progressText(snap, 20_000), '10m00s/30m00s 33.3% | 6,000 ev/s | pods 300 bound 13 pending | ETA 40s');
  assert.equal(progressText(snap, 20_000, { snap: { ...snap, simUs: 500e6 }, elapsedMs: 15_000 }), '10m00s/30m00s 33.3% | 6,000 ev/s | pods 300 bound 13 pending | ETA 1m00s');
});

test('the reporter hands the format the newest shown snapshot at least 20 s old, or the first from half the time so far when that is later (else the oldest)', () => {
  const clock = { t: 0 };
  const bases: (number | undefined)[] = [];
  const r = new ProgressReporter<number>({ mode: 'lines', write: () => {}, nowMs: () => clock.t, label: 'q', linesPeriodMs: 10_000, format: (_s, _e, base) => {
    bases.push(base?.snap);
    return '';
  } });
  for (const t of [10_000, 20_000, 30_000, 40_000, 50_000]) {
    clock.t = t;
    r.update(t / 1000);
  }
  // At 30 s: 10 s is 20 s old, but half of 30 s is 15 s: 20. At 40 s: 20 (20 s old, and half).
  assert.deepEqual(bases, [undefined, 10, 20, 20, 30]);
});

test('KSIM_PROGRESS_INTERVAL_MS sets the plain-line period; unset or bad gives 10 s', () => {
  assert.equal(linesPeriodMs({ KSIM_PROGRESS_INTERVAL_MS: '50' }), 50);
  assert.equal(linesPeriodMs({}), 10_000);
  assert.equal(linesPeriodMs({ KSIM_PROGRESS_INTERVAL_MS: 'soon' }), 10_000);
});

function reporter(mode: ProgressMode, clock: { t: number }, written: string[], columns?: number) {
  return new ProgressReporter({ mode, write: (s) => written.push(s), nowMs: () => clock.t, label: 'q', linesPeriodMs: 10_000, ...(columns !== undefined ? { columns } : {}) });
}
const SNAP = { simUs: 900e6, durationUs: 1800e6, events: 1000, podsBound: 5, podsPending: 1 };

test('plain lines come once per period, the first one period in, and nothing is erased at the end', () => {
  const clock = { t: 0 };
  const written: string[] = [];
  const r = reporter('lines', clock, written);
  for (const t of [0, 5000, 10_000, 15_000, 19_999, 20_000]) {
    clock.t = t;
    r.update(SNAP);
  }
  r.finish();
  assert.deepEqual(written, [
    'ksim q 15m00s/30m00s 50.0% | 100 ev/s | pods 5 bound 1 pending | ETA 10s\n',
    'ksim q 15m00s/30m00s 50.0% | 50 ev/s | pods 5 bound 1 pending | ETA 20s\n',
  ]);
});

test('the live line is rewritten in place at most every 250 ms, cut to the terminal width and erased at the end', () => {
  const clock = { t: 0 };
  const written: string[] = [];
  const r = reporter('live', clock, written, 31);
  for (const t of [0, 100, 250]) {
    clock.t = t;
    r.update(SNAP);
  }
  r.finish();
  // Too wide for 30 columns even without the rate and pod segments: cut at the width.
  assert.deepEqual(written, ['\rksim q 15m00s/30m00s 50.0% | E\x1b[K', '\rksim q 15m00s/30m00s 50.0% | E\x1b[K', '\r\x1b[K']);
});

test('on an 80-column terminal a long run keeps its ETA: the rate segment goes first, then the name is shortened, then the pod counts go', () => {
  const long = 'ksim churn-bench 1h05m/24h00m 4.5% | 170,234 ev/s | pods 10,000 bound 1,234 pending | ETA 25m13s';
  assert.equal(fitLine(long, 81), 'ksim churn-bench 1h05m/24h00m 4.5% | pods 10,000 bound 1,234 pending | ETA 25m13s');
  assert.equal(fitLine(long, 79), 'ksim churn-bench 1h05m/24h00m 4.5% | ETA 25m13s');
  assert.equal(fitLine(long, 200), long);
  // A long scenario name is shortened before the pod counts go, down to 12 characters; then the
  // counts go, then the name is shortened further, before the ETA or the percentage is cut.
  const named = 'ksim s8-long-random-failures-with-a-rather-long-scenario-name 10h13m/12h00m 85.2% | 30,000 ev/s | pods 420 bound 3 pending | ETA 4s';
  const name = 's8-long-random-failures-with-a-rather-long-scenario-name';
  assert.equal(fitLine(named, 79, name), 'ksim s8-long-random-fa… 10h13m/12h00m 85.2% | pods 420 bound 3 pending | ETA 4s');
  assert.equal(fitLine(named, 79, name).length, 79);
  // Too narrow for the counts beside 12 characters of the name: they go, and the name takes the room.
  assert.equal(fitLine(named, 60, name), 'ksim s8-long-random-failures-w… 10h13m/12h00m 85.2% | ETA 4s');
  assert.equal(fitLine(named, 40, name), 'ksim s8-lo… 10h13m/12h00m 85.2% | ETA 4s');
  // The DLRM replay at 80 columns: the name was kept whole and the counts dropped in 10 of 28 updates.
  const dlrm = 'ksim trace-alibaba-dlrm 21m15s/32m00s 66.4% | 41,093 ev/s | pods 12,345 bound 118 pending | ETA 2s';
  assert.equal(fitLine(dlrm, 79, 'trace-alibaba-dlrm'), 'ksim trace-alibab… 21m15s/32m00s 66.4% | pods 12,345 bound 118 pending | ETA 2s');
  assert.equal(fitLine(dlrm.replace('118', '1'), 79, 'trace-alibaba-dlrm'), 'ksim trace-alibaba-… 21m15s/32m00s 66.4% | pods 12,345 bound 1 pending | ETA 2s');
  const sweep = 'ksim sweep 1,037/10,000 runs 10.4% | 2 failed | 4.1 runs/s | ETA 36m26s';
  assert.equal(fitLine(sweep, 60), 'ksim sweep 1,037/10,000 runs 10.4% | 2 failed | ETA 36m26s');
});

test('off prints nothing', () => {
  const written: string[] = [];
  const r = reporter('off', { t: 0 }, written);
  r.update(SNAP);
  r.finish();
  assert.deepEqual(written, []);
});

test('a sweep\'s status line: runs done of the total, failures, rate of the runs made now, ETA', () => {
  assert.equal(sweepProgressText({ total: 100, done: 37, failed: 2, resumed: 0 }, 9_250), '37/100 runs 37.0% | 2 failed | 4.0 runs/s | ETA 16s');
  // Resumed runs count as done but not toward the rate.
  assert.equal(sweepProgressText({ total: 100, done: 60, failed: 0, resumed: 50 }, 5_000), '60/100 runs 60.0% | 0 failed | 2.0 runs/s | ETA 20s');
  assert.equal(sweepProgressText({ total: 10, done: 0, failed: 0, resumed: 0 }, 1_000), '0/10 runs 0.0% | 0 failed | ? s/run | ETA ?');
  assert.equal(sweepProgressText({ total: 4, done: 4, failed: 1, resumed: 0 }, 2_000), '4/4 runs 100.0% | 1 failed | 2.0 runs/s | ETA 0s');
  // Slow runs (a 5,000-node scenario, one worker): seconds per run, not "0.0 runs/s".
  assert.equal(sweepProgressText({ total: 3, done: 1, failed: 0, resumed: 0 }, 21_100), '1/3 runs 33.3% | 0 failed | 21.1 s/run | ETA 42s');
  assert.equal(sweepProgressText({ total: 3, done: 2, failed: 0, resumed: 0 }, 2_000), '2/3 runs 66.7% | 0 failed | 1.0 runs/s | ETA 1s');
  assert.equal(runRate(3, 61.14, 2), '20.38 s/run');
  assert.equal(runRate(20, 3.4, 2), '5.88 runs/s');
  assert.equal(runRate(0, 5, 1), '? s/run');
});

test('the seconds-per-run segment goes first on a narrow terminal, as the rate does', () => {
  assert.equal(fitLine('ksim sweep big5k 1/3 runs 33.3% | 0 failed | 21.1 s/run | ETA 42s', 55), 'ksim sweep big5k 1/3 runs 33.3% | 0 failed | ETA 42s');
});

test('a sweep reporter prints its own status text', () => {
  const lines: string[] = [];
  let now = 0;
  const r = new ProgressReporter<SweepSnapshot>({ mode: 'lines', write: (s) => lines.push(s), nowMs: () => now, label: 'sweep quickstart', linesPeriodMs: 1000, format: sweepProgressText });
  r.update({ total: 10, done: 1, failed: 0, resumed: 0 });
  now = 1000;
  r.update({ total: 10, done: 2, failed: 0, resumed: 0 });
  assert.deepEqual(lines, ['ksim sweep quickstart 2/10 runs 20.0% | 0 failed | 2.0 runs/s | ETA 4s\n']);
});

test('the live line keeps the shortest cut of a long name it has shown: the name does not jitter as the clock and ETA change width', () => {
  const writes: string[] = [];
  let now = 0;
  const label = 'production-multi-zone-recovery-drill-with-a-long-name';
  const texts = ['2s/24h00m 0.0% | ETA ?', '4m17s/24h00m 0.3% | ETA 1m30s', '1h05m/24h00m 4.5% | ETA 25m13s', '10h13m/24h00m 42.6% | ETA 4s'];
  let i = 0;
  const r = new ProgressReporter<number>({ mode: 'live', write: (s) => writes.push(s), nowMs: () => now, label, columns: 80, format: () => texts[i] as string });
  for (i = 0; i < texts.length; i++) {
    now += 1000;
    r.update(0);
  }
  const lines = writes.map((w) => w.replace(/^\r/, '').replace(/\x1b\[K$/, ''));
  // Before: the name kept 50 characters, then 45, 44 and 46: the cut moved with the clock and the ETA.
  assert.deepEqual(lines, [
    'ksim production-multi-zone-recovery-drill-with-a-long-n… 2s/24h00m 0.0% | ETA ?',
    'ksim production-multi-zone-recovery-drill-with-a… 4m17s/24h00m 0.3% | ETA 1m30s',
    'ksim production-multi-zone-recovery-drill-with-… 1h05m/24h00m 4.5% | ETA 25m13s',
    'ksim production-multi-zone-recovery-drill-with-… 10h13m/24h00m 42.6% | ETA 4s',
  ]);
  assert.ok(lines.every((l) => l.length <= 79), lines.join('\n'));
});

test('a live replay with a long name at 80 columns keeps its pod counts in every update, the name cut once and no more as the counts and the ETA change width', () => {
  const writes: string[] = [];
  let now = 0;
  const texts = [
    '20m45s/32m00s 64.8% | 41,093 ev/s | pods 12,001 bound 9 pending | ETA 3s',
    '21m00s/32m00s 65.6% | 40,877 ev/s | pods 12,210 bound 1,118 pending | ETA 1m02s',
    '21m15s/32m00s 66.4% | 39,514 ev/s | pods 12,345 bound 18 pending | ETA 2s',
    '21m30s/32m00s 67.2% | 41,200 ev/s | pods 12,400 bound 5 pending | ETA 2s',
  ];
  let i = 0;
  const r = new ProgressReporter<number>({ mode: 'live', write: (s) => writes.push(s), nowMs: () => now, label: 'trace-alibaba-dlrm', columns: 80, format: () => texts[i] as string });
  for (i = 0; i < texts.length; i++) {
    now += 1000;
    r.update(0);
  }
  const lines = writes.map((w) => w.replace(/^\r/, '').replace(/\x1b\[K$/, ''));
  // Before: 'ksim trace-alibaba-dlrm 21m15s/32m00s 66.4% | ETA 2s' whenever the line reached 80.
  assert.deepEqual(lines, [
    'ksim trace-alibaba-… 20m45s/32m00s 64.8% | pods 12,001 bound 9 pending | ETA 3s',
    'ksim trace-a… 21m00s/32m00s 65.6% | pods 12,210 bound 1,118 pending | ETA 1m02s',
    'ksim trace-a… 21m15s/32m00s 66.4% | pods 12,345 bound 18 pending | ETA 2s',
    'ksim trace-a… 21m30s/32m00s 67.2% | pods 12,400 bound 5 pending | ETA 2s',
  ]);
  assert.ok(lines.every((l) => l.length <= 79), lines.join('\n'));
});

test('pod counts a narrow live line had to drop stay dropped: they do not come and go with the ETA\'s width', () => {
  const writes: string[] = [];
  let now = 0;
  const texts = ['1m00s/30m00s 3.3% | pods 40 bound 20 pending | ETA 1m05s', '2m00s/30m00s 6.7% | pods 60 bound 0 pending | ETA 9s'];
  let i = 0;
  const r = new ProgressReporter<number>({ mode: 'live', write: (s) => writes.push(s), nowMs: () => now, label: 'q', columns: 60, format: () => texts[i] as string });
  for (i = 0; i < texts.length; i++) {
    now += 1000;
    r.update(0);
  }
  assert.deepEqual(writes.map((w) => w.replace(/^\r/, '').replace(/\x1b\[K$/, '')), ['ksim q 1m00s/30m00s 3.3% | ETA 1m05s', 'ksim q 2m00s/30m00s 6.7% | ETA 9s']);
});
