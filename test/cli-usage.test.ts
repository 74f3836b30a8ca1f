// The ksim command line as yargs users expect it (issue 14 item 4): --version/-v, help COMMAND,
// completion, did-you-mean for unknown options, --seed checked, --set creating fields.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KSIM_BIN, REPO_ROOT, repoPath } from '../src/testing/repo-paths.js';
import { tempDir } from '../src/testing/temp-dir.js';
import { KSIM_VERSION } from '../src/version.js';
import { bareCheckInvariantsLast, longOptionsOnly } from '../src/cli/main.js';

function ksim(...args: string[]) {
  return spawnSync(process.execPath, [KSIM_BIN, ...args], { cwd: REPO_ROOT, encoding: 'utf8' });
}

for (const flag of ['--version', '-v']) {
  test(`ksim ${flag} prints the version`, () => {
    const r = ksim(flag);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, `${KSIM_VERSION}\n`);
  });
}

test('ksim help run prints the run command\'s help, as ksim run --help does', () => {
  const a = ksim('help', 'run');
  const b = ksim('run', '--help');
  assert.equal(a.status, 0, a.stderr);
  assert.match(a.stdout, /^ksim run <scenario>\n/);
  assert.equal(a.stdout, b.stdout);
  const top = ksim('help');
  assert.equal(top.status, 0);
  assert.match(top.stdout, /^ksim <command> \[options\]\n/);
});

test('ksim completion prints a shell completion script, and completes commands', () => {
  const r = ksim('completion');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /###-begin-ksim-completions-###/);
  const words = ksim('--get-yargs-completions', 'ksim', '');
  assert.deepEqual(words.stdout.trim().split('\n').slice(0, 2), ['run', 'explain']);
});

test('completion after -- offers long options only, never a one-letter alias with two dashes (--o); after - it offers -o', () => {
  const words = (...args: string[]) => ksim('--get-yargs-completions', 'ksim', ...args).stdout.trim().split('\n');
  // Before: yargs offered --output and --o, --quiet and --q.
  const long = words('run', '--');
  assert.deepEqual(long.filter((w) => /^--.$/.test(w)), []);
  assert.ok(long.includes('--output') && long.includes('--quiet'), long.join(' '));
  const short = words('run', '-');
  assert.deepEqual(short.filter((w) => ['-o', '-q', '--output', '--quiet'].includes(w)), ['--output', '-o', '--quiet', '-q']);
  // explain's -o table|json and capacity's -o alike.
  assert.equal(words('explain', '--').includes('--o'), false);
  assert.equal(words('capacity', '--').includes('--o'), false);
  assert.deepEqual(longOptionsOnly(['--o:Output folder', '--output:Output folder', '--no-q', '-o', '--quiet', '--q']), ['--output:Output folder', '-o', '--quiet']);
});

const USAGE_ERRORS: [args: string[], stderr: string][] = [
  [['run', 'scenarios/quickstart.yaml', '--seed', 'abc'], 'ksim: --seed: expected an integer in [0, 4294967295], got "abc"\n'],
  [['run', 'scenarios/quickstart.yaml', '--seed', '1.5'], 'ksim: --seed: expected an integer in [0, 4294967295], got "1.5"\n'],
  [['run', 'scenarios/quickstart.yaml', '--seed', '4294967296'], 'ksim: --seed: expected an integer in [0, 4294967295], got "4294967296"\n'],
  [['run', 'scenarios/quickstart.yaml', '--sead', '3', '--quite'], 'ksim: Unknown arguments: sead, quite (--sead: did you mean --seed?; --quite: did you mean --quiet?)\n'],
  [['run', 'scenarios/quickstart.yaml', '--zzzzzz'], 'ksim: Unknown argument: zzzzzz\n'],
  // Suggestions come from the command's own options, never the option typed, and a one-letter
  // option is not guessed from the long names.
  [['merge', 'a', 'b', '-o', 'x', '--seed', '5'], 'ksim: Unknown argument: seed\n'],
  [['report', 'DIR', '--at', '5m'], 'ksim: Unknown argument: at\n'],
  [['sweep', 's.yaml', '--seeds', '1', '--seed', '4', '-o', 'x'], 'ksim: Unknown argument: seed (--seed: did you mean --seeds?)\n'],
  // Without --seeds, yargs says first that it is missing: the hint comes with that.
  [['sweep', 's.yaml', '--seed', '4', '-o', 'x'], 'ksim: Missing required argument: seeds (--seed: did you mean --seeds?)\n'],
  [['sweep', 's.yaml', '-o', 'x'], 'ksim: Missing required argument: seeds\n'],
  // (yargs also lists the camel-case spelling, failOf: one option typed, one named.)
  [['compare', 'a', 'b', '--fail-of', 'x'], 'ksim: Unknown argument: fail-of (--fail-of: did you mean --fail-on?)\n'],
  [['capacity', 'x', '--nodes-fr', 'a', '--sead', '1'], 'ksim: Unknown arguments: nodes-fr, sead (--nodes-fr: did you mean --nodes-for?; --sead: did you mean --seed?)\n'],
  // Hidden options (compare's obsolete --resamples) are not offered.
  [['compare', 'a', 'b', '--resample', '5'], 'ksim: Unknown argument: resample\n'],
  [['merge', 'a', 'b', '-o', 'x', '-q'], 'ksim: Unknown argument: q\n'],
  [['compare', 'a', 'b', '-q'], 'ksim: Unknown argument: q\n'],
  [['report', 'DIR', '-q'], 'ksim: Unknown argument: q\n'],
  [['import', 'a', '-o', 'x', '--namespaces', 'n'], 'ksim: Unknown argument: namespaces (--namespaces: did you mean --namespace?)\n'],
  [['rnu', 'x'], 'ksim: Did you mean run?\n'],
];
for (const [args, stderr] of USAGE_ERRORS) {
  test(`ksim ${args.join(' ')} is a usage error: ${stderr.trim()}`, () => {
    const r = ksim(...args);
    assert.equal(r.status, 2);
    assert.equal(r.stderr, `${stderr}Run 'ksim --help' for usage.\n`);
  });
}

test('--set reaches a field of a section the scenario does not have (controlPlane.clients)', () => {
  const dir = tempDir('ksim-set-new-');
  const r = ksim('run', 'scenarios/quickstart.yaml', '-q', '-o', dir, '--set', 'controlPlane.clients.scheduler.qps=5000');
  assert.equal(r.status, 0, r.stderr);
  const run = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as { options: { set: string[] } };
  assert.deepEqual(run.options.set, ['controlPlane.clients.scheduler.qps=5000']);
});

test('a --set error names the --set argument and exits 2', () => {
  const r = ksim('run', 'scenarios/quickstart.yaml', '-q', '-o', join(tempDir('ksim-set-bad-'), 'out'), '--set', 'duration=abc');
  assert.equal(r.status, 2);
  assert.equal(r.stderr, 'ksim: --set duration=abc: duration: expected a Go-style duration such as 90s, 15m, 1h30m or 250ms, got "abc"\n');
});

// Issue 14 item 5: outputs are not silently replaced; --json for scripts.
test('a run into the folder of an earlier run says it replaced it; --no-clobber refuses and keeps it', () => {
  const dir = join(tempDir('ksim-clobber-'), 'out');
  const first = ksim('run', 'scenarios/quickstart.yaml', '-o', dir, '--set', 'duration=10m');
  assert.equal(first.status, 0, first.stderr);
  assert.equal(first.stderr, '');
  const before = readFileSync(join(dir, 'summary.csv'), 'utf8');
  const refused = ksim('run', 'scenarios/quickstart.yaml', '-o', dir, '--no-clobber');
  assert.equal(refused.status, 2);
  assert.match(refused.stderr, new RegExp(`^ksim: ${dir}: expected an output folder without an earlier run \\(--no-clobber\\), got the run of \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC\\n$`));
  assert.equal(readFileSync(join(dir, 'summary.csv'), 'utf8'), before);
  const second = ksim('run', 'scenarios/quickstart.yaml', '-o', dir, '--set', 'duration=11m');
  assert.equal(second.status, 0, second.stderr);
  assert.match(second.stderr, new RegExp(`^ksim: replaced ${dir}/ \\(previous run \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC\\)\\n$`));
  assert.notEqual(readFileSync(join(dir, 'summary.csv'), 'utf8'), before);
});

test('--json prints the summary as one JSON object with numbers as numbers and no table', () => {
  const dir = tempDir('ksim-json-');
  const r = ksim('run', 'scenarios/quickstart.yaml', '-o', dir, '--json');
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.split('\n');
  assert.deepEqual(lines.slice(1), ['']);
  const summary = JSON.parse(lines[0] as string) as Record<string, unknown>;
  assert.equal(summary['scenario'], 'quickstart');
  assert.equal(summary['seed'], 42);
  assert.equal(summary['sim_duration_s'], 1800);
  assert.equal(summary['pods_submitted'], 313);
  assert.equal(typeof summary['sched_latency_p50_ms'], 'number');
  assert.equal(summary['reschedule_p50_s'], null);
});

// Issue 14 item 2: many unknown fields are one grouped warning; --verbose lists all; --strict refuses.
const WARN_FILE = 'test/bad-input/warnings/unknown-fields.yaml';

test('many unknown fields are one warning with the first five; --verbose prints each', () => {
  const grouped = ksim('run', WARN_FILE, '-q', '-o', tempDir('ksim-warn-'));
  assert.equal(grouped.status, 0, grouped.stderr);
  const lines = grouped.stderr.split('\n');
  assert.equal(lines[0], 'ksim: warning: 19 unknown fields in 8 objects (--verbose shows all; --strict refuses them); first 5:');
  assert.equal(lines[1], `  ${WARN_FILE}:14:32: cluster.nodes[0].metadata: unknown field "label" (did you mean "labels"?)`);
  assert.equal(lines.filter((l) => l.startsWith('  ')).length, 5);
  const all = ksim('run', WARN_FILE, '-q', '--verbose', '-o', tempDir('ksim-warn-verbose-'));
  assert.equal(all.status, 0, all.stderr);
  assert.equal(all.stderr.split('\n').filter((l) => / unknown field "/.test(l) && l.startsWith('ksim: warning: ')).length, 19);
});

test('--strict makes unknown fields errors: exit 2, nothing written', () => {
  const out = join(tempDir('ksim-strict-'), 'out');
  const r = ksim('run', WARN_FILE, '--strict', '-o', out);
  assert.equal(r.status, 2);
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 6);
  assert.equal(lines[0], `ksim: error: ${WARN_FILE}:14:32: cluster.nodes[0].metadata: unknown field "label" (did you mean "labels"?)`);
  assert.equal(lines[5], `ksim: ${WARN_FILE}: expected no unknown fields (--strict), got 19 unknown fields (first 5 above; --verbose lists all)`);
  assert.equal(r.stdout, '');
  const clean = ksim('run', 'scenarios/quickstart.yaml', '--strict', '-q', '-o', out);
  assert.equal(clean.status, 0, clean.stderr);
});

test('--strict covers the objects a ksim-events trace applies during the run: exit 2 at the field, nothing written; without it, a warning and the count in run.json; a sweep\'s runs fail with the same message', () => {
  const dir = tempDir('ksim-strict-events-');
  writeFileSync(join(dir, 'events.jsonl'), [
    '{"at": 0, "op": "apply", "object": {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "a"}, "spec": {"containers": [{"name": "c", "image": "x"}]}}}',
    '{"at": 5, "op": "apply", "object": {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "b"}, "spec": {"nodeSelectr": {"disk": "ssd"}, "containers": [{"name": "c", "image": "x"}]}}}',
    '',
  ].join('\n'));
  writeFileSync(join(dir, 's.yaml'), [
    'apiVersion: ksim/v1alpha1',
    'kind: Scenario',
    'metadata: { name: strict-events }',
    'duration: 1m',
    'cluster: { nodePools: [{ name: p, count: 1, allocatable: { cpu: "4", memory: 8Gi, pods: "110" } }] }',
    'workload:',
    '  - { name: ev, trace: { format: ksim-events, file: events.jsonl } }',
    '',
  ].join('\n'));
  const out = join(dir, 'out');
  const r = ksim('run', join(dir, 's.yaml'), '--strict', '-q', '-o', out);
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /^ksim: .*events\.jsonl:2:\d+: object\.spec: expected a known field \(--strict refuses unknown fields\), got unknown field "nodeSelectr" \(did you mean "nodeSelector"\?\)\n$/);
  assert.equal(existsSync(out), false, 'nothing written');
  const lax = ksim('run', join(dir, 's.yaml'), '-q', '-o', out);
  assert.equal(lax.status, 0, lax.stderr);
  const runJson = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as { traces: { unknown_fields: number }[] };
  assert.equal(runJson.traces[0]?.unknown_fields, 1);
  // A sweep's runs read the stream in their workers: under --strict each fails with the message,
  // also when the same sweep without --strict completed them before (it is not resumed from them).
  const sweepOut = join(dir, 'sweep');
  const laxSweep = ksim('sweep', join(dir, 's.yaml'), '--seeds', '1-2', '-q', '-o', sweepOut);
  assert.equal(laxSweep.status, 0, laxSweep.stderr);
  assert.match(laxSweep.stdout, / {2}ok {7}2\n/);
  const sweep = ksim('sweep', join(dir, 's.yaml'), '--seeds', '1-2', '--strict', '-q', '-o', sweepOut);
  assert.equal(sweep.status, 1, sweep.stderr);
  assert.match(sweep.stdout, / {2}resumed {2}0\n/);
  assert.deepEqual(readFileSync(join(sweepOut, 'sweep.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',').slice(0, 3).join(',')), ['r1,1,error', 'r2,2,error']);
  assert.match(readFileSync(join(sweepOut, 'r1', 'error.txt'), 'utf8'), /events\.jsonl:2:\d+: object\.spec: expected a known field \(--strict refuses unknown fields\), got unknown field "nodeSelectr"/);
});

test('an option that takes one value given twice is refused naming it (exit 2, nothing written), where it was an internal error; list options (--set, --matrix) take several', () => {
  const out = join(tempDir('ksim-twice-'), 'out');
  const cases: [string[], string][] = [
    [['run', 'scenarios/capacity.yaml', '-o', out, '-o', `${out}2`], `--output: expected one value (the option is given once), got 2 values: "${out}", "${out}2"`],
    [['capacity', 'scenarios/capacity.yaml', '--nodes-for', 'general', '--seeds', '1', '--seeds', '2', '-o', out], '--seeds: expected one value (the option is given once), got 2 values: "1", "2"'],
    [['capacity', 'scenarios/capacity.yaml', '--nodes-for', 'general', '--tolerate', 'zone-outage', '--tolerate', '1 node', '-o', out], '--tolerate: expected one value (the option is given once), got 2 values: "zone-outage", "1 node"'],
  ];
  for (const [args, message] of cases) {
    const r = ksim(...args);
    assert.equal(r.status, 2, r.stderr);
    assert.equal(r.stderr, `ksim: ${message}\n`);
    assert.equal(existsSync(out), false);
  }
  const ok = ksim('run', 'scenarios/capacity.yaml', '--set', 'duration=1m', '--set', 'seed=3', '-o', out, '-q');
  assert.equal(ok.status, 0, ok.stderr);
});

test('an option or argument given empty, or an option with no value, is refused naming it (exit 2, nothing written): -o \'\' was the working folder or an internal error, a bare --workers was ignored', () => {
  const cwd = tempDir('ksim-empty-');
  writeFileSync(join(cwd, 'keep.txt'), 'mine\n');
  const scenario = repoPath('scenarios/quickstart.yaml');
  const cases: [string[], string][] = [
    [['run', scenario, '-o', ''], "--output: expected a value after it, got an empty string"],
    [['sweep', scenario, '--seeds', '1-2', '-o', ''], "--output: expected a value after it, got an empty string"],
    [['import', scenario, '-o', ''], "--output: expected a value after it, got an empty string"],
    [['run', scenario, '--output='], "--output: expected a value after it, got an empty string"],
    [['capacity', scenario, '--pod', ''], "--pod: expected a value after it, got an empty string"],
    [['capacity', repoPath('scenarios/capacity.yaml'), '--nodes-for', 'general', '--workers'], "--workers: expected a value after it, got none"],
    [['sweep', scenario, '--seeds', '1-2', '--workers', '-o', 'out'], "--workers: expected a value after it, got none"],
    [['run', ''], "<scenario>: expected a value, got an empty string"],
    [['report', ''], "<dir>: expected a value, got an empty string"],
  ];
  for (const [args, message] of cases) {
    const r = spawnSync(process.execPath, [KSIM_BIN, ...args], { cwd, encoding: 'utf8' });
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.equal(r.stderr, `ksim: ${message}\n`, args.join(' '));
    assert.deepEqual(readdirSync(cwd), ['keep.txt'], args.join(' '));
  }
});

test('capacity --nodes-for refuses --tolerate \'N nodes\' above --max-count, and --seed with --seeds (both were run quietly: 15 nodes down for a 20-node tolerance, seeds 1-3 for --seed 5)', () => {
  const out = join(tempDir('ksim-cap-opts-'), 'out');
  const cases: [string[], string][] = [
    [['--tolerate', '20 nodes', '--max-count', '15'], "--max-count: expected at least 20: --tolerate '20 nodes' needs a pool that can lose 20 nodes, got 15"],
    [['--seeds', '1-3', '--seed', '5'], '--seed: expected either --seed or --seeds, got both (--seed 5, --seeds 1-3)'],
  ];
  for (const [args, message] of cases) {
    const r = ksim('capacity', 'scenarios/capacity.yaml', '--nodes-for', 'general', ...args, '-o', out);
    assert.equal(r.status, 2, r.stderr);
    assert.equal(r.stderr, `ksim: ${message}\n`);
    assert.equal(existsSync(out), false);
  }
});

test('a bare --check-invariants before the scenario does not swallow it ("Not enough non-option arguments" before); a count after it is still its value', () => {
  assert.deepEqual(bareCheckInvariantsLast(['run', '--check-invariants', 's.yaml', '-o', 'out']), ['run', 's.yaml', '-o', 'out', '--check-invariants']);
  assert.deepEqual(bareCheckInvariantsLast(['run', 's.yaml', '--check-invariants', '100']), ['run', 's.yaml', '--check-invariants', '100']);
  assert.deepEqual(bareCheckInvariantsLast(['run', 's.yaml', '--check-invariants', '-q']), ['run', 's.yaml', '--check-invariants', '-q']);
  const out = join(tempDir('ksim-ci-first-'), 'out');
  const r = ksim('run', '--check-invariants', 'scenarios/capacity.yaml', '-o', out, '-q');
  assert.equal(r.status, 0, r.stderr);
  assert.equal((JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as { options: { check_invariants: unknown } }).options.check_invariants, true);
});
