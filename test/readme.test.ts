// The README is checked against the program (issue 14 item 7): every fenced `ksim ...` command
// runs and succeeds with files that exist, the output samples shown are what ksim prints now,
// every verb the README names exists, and `ksim run --help` names every output file the
// Outputs section documents.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { dirname, join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { KSIM_BIN, REPO_ROOT } from '../src/testing/repo-paths.js';
import { tempDir } from '../src/testing/temp-dir.js';
import { SHARED_TRACES } from '../src/testing/shared-traces.js';

const README = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');

interface Block {
  readonly lang: string;
  readonly lines: string[];
}

/** The fenced blocks of a Markdown text, with their language tag. */
export function fencedBlocks(md: string): Block[] {
  const blocks: Block[] = [];
  let cur: Block | null = null;
  for (const line of md.split('\n')) {
    const fence = /^```(\S*)\s*$/.exec(line);
    if (fence !== null) {
      if (cur === null) cur = { lang: fence[1] as string, lines: [] };
      else {
        blocks.push(cur);
        cur = null;
      }
    } else if (cur !== null) cur.lines.push(line);
  }
  return blocks;
}

/** The `ksim ...` commands of a shell block: continuation lines joined, comments dropped, quoted
 * words ('1 node') kept whole. */
export function ksimCommands(block: Block): string[][] {
  const joined = block.lines.join('\n').replace(/\\\n\s*/g, ' ').split('\n');
  return joined
    .map((l) => l.replace(/\s+#.*$/, '').trim())
    .filter((l) => l.startsWith('ksim '))
    .map((l) => (l.match(/'[^']*'|"[^"]*"|\S+/g) ?? []).map((w) => w.replace(/^(['"])(.*)\1$/, '$2')).slice(1));
}

function ksim(args: readonly string[], cwd = REPO_ROOT) {
  return spawnSync(process.execPath, [KSIM_BIN, ...args], { cwd, encoding: 'utf8' });
}

/** A block that starts from `kubectl get ... -o json > FILE` runs its ksim commands in a
 * temporary folder where FILE (its first) is a stand-in cluster (examples/explain/cluster.yaml as JSON). */
function blockFolder(block: Block): string {
  const m = block.lines.map((l) => /^kubectl get .* -o json > (\S+)$/.exec(l.trim())).find((x) => x !== null);
  if (m === undefined || m === null) return REPO_ROOT;
  const dir = tempDir('ksim-readme-kubectl-');
  mkdirSync(dirname(join(dir, m[1] as string)), { recursive: true }); // a dump into a folder (dump/$k.json)
  writeFileSync(join(dir, m[1] as string), JSON.stringify(parseYaml(readFileSync(join(REPO_ROOT, 'examples/explain/cluster.yaml'), 'utf8'))));
  return dir;
}

/** The folder standing for `results/` in sweep, merge and compare commands, shared by all of
 * them (tests run in order: a merge reads the shards earlier sweeps wrote). */
let resultsDir: string | null = null;

/** A `ksim run` (or `ksim capacity --nodes-for`) writes into a temporary folder instead of the
 * one the README shows (recorded in `outputs`); a later `ksim report` of that folder reads the
 * temporary one, and writes its -o file beside it. Sweep, merge and compare read and write
 * `results/...` in a temporary folder. */
function redirected(args: readonly string[], dir: string, outputs = new Map<string, string>()): string[] {
  if (['sweep', 'merge', 'compare'].includes(args[0] as string)) {
    const results = (resultsDir ??= tempDir('ksim-readme-results-'));
    return args.map((a) => (a.startsWith('results/') ? join(results, a.slice('results/'.length)) : a));
  }
  const out = [...args];
  const o = out.findIndex((a) => a === '-o' || a === '--output');
  if (args[0] === 'report') {
    out[1] = outputs.get(out[1] as string) ?? (out[1] as string);
    if (o >= 0) out[o + 1] = `${dir}.html`;
    return out;
  }
  if (args[0] !== 'run' && !(args[0] === 'capacity' && args.includes('--nodes-for'))) return out;
  if (o >= 0) {
    outputs.set(out[o + 1] as string, dir);
    out[o + 1] = dir;
  } else out.push('-o', dir);
  return out;
}

const SH_BLOCKS = fencedBlocks(README).filter((b) => b.lang === 'sh');
const COMMANDS = SH_BLOCKS.flatMap(ksimCommands);

test('the README shows ksim commands in shell blocks', () => {
  assert.ok(COMMANDS.length >= 10, `${COMMANDS.length} commands`);
});

for (const [b, block] of SH_BLOCKS.entries()) {
  let cwd: string | null = null; // made when the block's first command runs (tests run in order)
  const outputs = new Map<string, string>(); // the block's run folders, README's → temporary
  for (const [i, args] of ksimCommands(block).entries()) {
    // Trace replays need the real traces next to the repository (absent on some machines).
    const needsTraces = args.some((a) => a.endsWith('.yaml') && existsSync(join(REPO_ROOT, a)) && readFileSync(join(REPO_ROOT, a), 'utf8').includes('shared/traces'));
    const skip = needsTraces && !existsSync(SHARED_TRACES) ? `${SHARED_TRACES} is absent: the real traces live in ../shared/traces next to the repository` : false;
    test(`README command runs: ksim ${args.join(' ')}`, { skip }, () => {
      cwd ??= blockFolder(block);
      const r = ksim(redirected(args, join(tempDir('ksim-readme-'), `out-${b}-${i}`), outputs), cwd);
      assert.equal(r.status, 0, r.stderr);
      assert.notEqual(r.stdout, '');
    });
  }
}

/** A sample line matches an output line when they are equal up to runs of spaces, with `...`
 * standing for any text and the wall times (whole, loading, simulating) for any number. */
function sampleMatcher(line: string): RegExp {
  const esc = line.trim().replace(/\s+/g, ' ').replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${esc.replace(/\\\.\\\.\\\./g, '.*').replace(/\d+\\\.\d+ s (?=of wall time|loading|simulating)/g, '\\d+\\.\\d+ s ')}$`);
}

/** Every sample line appears in the output, in order, and the output has no line between two
 * sample lines but where the sample elides some with a `...` line (blank lines aside): a line the
 * command prints and the sample leaves out unmarked is a stale sample. */
function assertSampleCurrent(sample: readonly string[], output: string): void {
  const out = output.split('\n').map((l) => l.trim().replace(/\s+/g, ' ')).filter((l) => l !== '');
  let at = 0;
  let elided = false;
  for (const s of sample) {
    if (s.trim() === '') continue;
    if (s.trim() === '...') {
      elided = true;
      continue;
    }
    const re = sampleMatcher(s);
    const found = out.findIndex((l, i) => i >= at && re.test(l));
    assert.ok(found >= 0, `README sample line not in the output (after line ${at}): ${JSON.stringify(s)}\noutput:\n${output}`);
    assert.ok(found === at || elided, `README sample leaves out output lines before ${JSON.stringify(s)} without a "..." line: ${JSON.stringify(out.slice(at, found))}`);
    at = found + 1;
    elided = false;
  }
}

/** Output samples, by their first line, the command that prints them, and whether the sample is
 * its whole output, byte for byte (else: its lines in order, with `...` for what is left out). */
const SAMPLES: [firstLine: string, args: string[], exact: boolean][] = [
  ['ksim run quickstart (seed 42)', ['run', 'scenarios/quickstart.yaml'], false],
  ['pod default/web-0, profile default-scheduler', ['explain', '--cluster', 'examples/explain/cluster.yaml', '--pod', 'examples/explain/pod.yaml'], true],
  ['DaemonSet kube-system/agent, profile default-scheduler: a pod per node, pinned to it', ['explain', '--cluster', 'examples/explain/daemonset/cluster.json', '--pod', 'examples/explain/daemonset/agent.yaml'], true],
  ['5 more replicas of default/web-0 fit in the cluster of examples/explain/cluster.yaml (profile default-scheduler)', ['capacity', '--cluster', 'examples/explain/cluster.yaml', '--pod', 'examples/explain/pod.yaml'], true],
  ['15 nodes of pool general meet missing=0, tolerating zone-outage at peak load, seed 1; the cluster then costs 3 per hour (general: 3).', ['capacity', 'scenarios/capacity.yaml', '--nodes-for', 'general', '--tolerate', 'zone-outage', '-q'], false],
  ['17 nodes of pool general meet missing=0, pool_cpu_requested_peak_ratio<=0.7 and pool_memory_requested_peak_ratio<=0.7, tolerating zone-outage at peak load, seed 1; the cluster then costs 3.40 per hour (general: 3.40).', ['capacity', 'scenarios/capacity.yaml', '--nodes-for', 'general', '--tolerate', 'zone-outage', '--target', 'missing=0', '--target', 'pool_cpu_requested_peak_ratio<=0.7', '--target', 'pool_memory_requested_peak_ratio<=0.7', '-q'], false],
];

for (const [first, args, exact] of SAMPLES) {
  test(`the README's sample output "${first}" is what ksim ${args.join(' ')} prints`, () => {
    const blocks = fencedBlocks(README).filter((b) => b.lang === '' && b.lines[0] === first);
    assert.equal(blocks.length, 1, `one sample starting ${first}`);
    const r = ksim(redirected(args, join(tempDir('ksim-readme-sample-'), 'out')));
    assert.equal(r.status, 0, r.stderr);
    if (exact) assert.equal(`${(blocks[0] as Block).lines.join('\n')}\n`, r.stdout);
    assertSampleCurrent((blocks[0] as Block).lines, r.stdout.replace(/to \S+\/ in/, 'to results/quickstart/ in'));
  });
}

test('the sample matcher rejects a stale line', () => {
  assert.throws(() => assertSampleCurrent(['  pods_bound 999'], '  pods_bound  312\n'));
  // A line the output has between two sample lines is a stale sample unless "..." marks it.
  assert.throws(() => assertSampleCurrent(['answer', '  PreScore A: Skip'], 'answer\n  PreFilter A: Skip\n  PreScore A: Skip\n'), /leaves out output lines before/);
  assert.doesNotThrow(() => assertSampleCurrent(['answer', '...', '  PreScore A: Skip'], 'answer\n  PreFilter A: Skip\n  PreScore A: Skip\n'));
  assert.doesNotThrow(() => assertSampleCurrent(['answer', '', '  PreScore A: Skip'], 'answer\n\n\n  PreScore A: Skip\n'));
  assert.doesNotThrow(() => assertSampleCurrent(['node-a  passed  0 (raw 1)  ...  327'], 'node-a    passed   0 (raw 1)   71   0   327\n'));
});

test('the quickstart\'s unbound pod reason quoted in the README is the one placements.csv gives', () => {
  const quoted = /`(0\/8 nodes are available: [^`]*)`/.exec(README);
  assert.ok(quoted !== null);
  const dir = tempDir('ksim-readme-reason-');
  const r = ksim(['run', 'scenarios/quickstart.yaml', '-q', '-o', dir]);
  assert.equal(r.status, 0, r.stderr);
  const rows = parse(readFileSync(join(dir, 'placements.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
  const reasons = new Set(rows.filter((row) => row['pod'] === 'too-big').map((row) => row['reason']));
  assert.deepEqual([...reasons], [quoted[1]]);
});

test('every ksim verb the README names exists', () => {
  const help = ksim(['--help']).stdout;
  // A word cut with '…' is a scenario name on a progress line, not a verb.
  const verbs = new Set([...README.matchAll(/`ksim ([a-z][a-z-]*)(?![a-z-]|…)/g)].map((m) => m[1] as string));
  for (const v of [...verbs].sort()) assert.match(help, new RegExp(`\\n  ksim ${v}\\b`), `README names ksim ${v}`);
});

/** The verb that writes an output file (ksim run, unless named here). */
const WRITER: Readonly<Record<string, string>> = { 'capacity.csv': 'capacity', 'sweep.csv': 'sweep' };

test('the --help of the command that writes it names every output file the README documents', () => {
  const outputs = README.slice(README.indexOf('\n## Outputs'), README.indexOf('\n## ', README.indexOf('\n## Outputs') + 1));
  const files = [...outputs.matchAll(/^\*\*`([a-z_]+\.(?:csv|json))`\*\*/gm)].map((m) => m[1] as string);
  assert.ok(files.length >= 7, files.join(', '));
  for (const f of files) {
    const verb = WRITER[f] ?? 'run';
    const help = ksim([verb, '--help']).stdout.replace(/\s+/g, ' ');
    assert.ok(help.includes(f), `ksim ${verb} --help does not name ${f}`);
  }
});

// A plain block that starts with a `ksim` command and shows `ksim: warning:` lines: each warning
// is one the command prints (a pipe gets each warning on one line), so a sample cannot go stale.
// Such blocks sit in list items (indented by two spaces): read with the items' indent taken off.
const DEDENTED = README.split('\n').map((l) => l.replace(/^ {2}/, '')).join('\n');
for (const block of fencedBlocks(DEDENTED).filter((b) => b.lang === '' && b.lines[0]?.startsWith('ksim ') === true && b.lines.some((l) => l.startsWith('ksim: warning: ')))) {
  const [args] = ksimCommands(block);
  test(`the README's warning sample is what ksim ${(args ?? []).join(' ')} prints`, () => {
    assert.ok(args !== undefined);
    const r = ksim([...args, '-q', '-o', join(tempDir('ksim-readme-warning-'), 'out')]);
    assert.equal(r.status, 0, r.stderr);
    const printed = r.stderr.split('\n');
    for (const w of block.lines.filter((l) => l.startsWith('ksim: warning: '))) assert.ok(printed.includes(w), `README warning not printed:\n${w}\nstderr:\n${r.stderr}`);
  });
}
