// Progress of `ksim run` on stderr (issue 14 item 1): a live line on a terminal, plain periodic
// lines in a log, nothing with --quiet.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { KSIM_BIN, REPO_ROOT } from '../src/testing/repo-paths.js';
import { tempDir } from '../src/testing/temp-dir.js';

// The simulated time as the line writes it: 0s, 48s, 1m05s (a loaded machine prints the first
// line before the first simulated minute).
const PROGRESS_LINE = /ksim quickstart (?:\d+m\d\d|\d{1,2})s\/30m00s \d+\.\d% \| [\d,]+ ev\/s \| pods [\d,]+ bound [\d,]+ pending \| ETA \S+/;

function ksim(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [KSIM_BIN, ...args], { cwd: REPO_ROOT, encoding: 'utf8', env: { ...process.env, ...env } });
}

/** `script` (util-linux) runs the command under a pseudo-terminal, as a user's shell does. */
const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;

test('on a terminal ksim run shows a live progress line and erases it before the summary', { skip: !hasScript && 'needs script(1) from util-linux' }, () => {
  const dir = tempDir('ksim-progress-tty-');
  const cmd = [process.execPath, KSIM_BIN, 'run', 'scenarios/quickstart.yaml', '-o', join(dir, 'out')].map((a) => `'${a}'`).join(' ');
  // A wide terminal, so the line is not cut to 80 columns.
  const r = spawnSync('script', ['-q', '-e', '-c', `stty cols 200; ${cmd}`, '/dev/null'], { cwd: REPO_ROOT, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stdout);
  assert.match(r.stdout, new RegExp(`\\r${PROGRESS_LINE.source}[^\\r\\n]*\\x1b\\[K`));
  // Erased: the summary starts on a cleared line.
  assert.match(r.stdout, /\r\x1b\[Kksim run quickstart \(seed 42\)\r\n/);
});

test('without a terminal ksim run prints a plain progress line per period on stderr', () => {
  const dir = tempDir('ksim-progress-log-');
  const r = ksim(['run', 'scenarios/quickstart.yaml', '-o', dir], { KSIM_PROGRESS_INTERVAL_MS: '0' });
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stderr.split('\n').filter((l) => l !== '');
  assert.ok(lines.length >= 2, r.stderr);
  for (const l of lines) assert.match(l, new RegExp(`^${PROGRESS_LINE.source}$`));
  assert.doesNotMatch(r.stderr, /\r|\x1b/);
});

test('--quiet prints only the summary: nothing on stderr', () => {
  const dir = tempDir('ksim-progress-quiet-');
  const r = ksim(['run', 'scenarios/quickstart.yaml', '-o', dir, '--quiet'], { KSIM_PROGRESS_INTERVAL_MS: '0' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, '');
  assert.match(r.stdout, /^ksim run quickstart \(seed 42\)\n/);
});

test('--progress forces the live line when stderr is not a terminal', () => {
  const dir = tempDir('ksim-progress-forced-');
  const r = ksim(['run', 'scenarios/quickstart.yaml', '-o', dir, '--progress']);
  assert.equal(r.status, 0, r.stderr);
  // Not a terminal: 80 columns; a line too wide for them loses the events rate first, so the ETA
  // at its end stays.
  const line = /^\r([^\r\n]*)\x1b\[K/.exec(r.stderr)?.[1] ?? '';
  assert.match(line, /^ksim quickstart (?:\d+m\d\d|\d{1,2})s\/30m00s \d+\.\d% \| .* \| ETA \S+$/);
  assert.ok(line.length <= 79, line);
  assert.match(r.stderr, /\r\x1b\[K$/);
});
