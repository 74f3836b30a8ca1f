#!/usr/bin/env node
// Mutation testing for one source folder at a time: small deliberate bugs are put into the
// compiled JavaScript of the folder (dist/src/<folder>/*.js, never the TypeScript), and for each
// one the tests that execute the mutated spot are run; a mutant is killed when one of them fails
// (or times out), survives when all pass, and is "not covered" when no test runs that code
// (counted as surviving, as StrykerJS does). The score is killed / all.
//
//   npm run test:mutation -- src/faults              (builds first; or KSIM_MUTATION_DIR=src/faults)
//   node scripts/mutation.mjs src/controllers        (uses the existing dist/)
//   node scripts/mutation.mjs src/faults src/metrics (one coverage baseline for both folders)
//
// Environment:
//   KSIM_MUTATION_JOBS=N        mutants run in parallel (default 1: the machine is shared)
//   KSIM_MUTATION_THRESHOLD=P   exit 1 when the score is below P percent (default: report only)
//   KSIM_MUTATION_TESTS=REGEX   only test files whose dist path matches (default: all)
//   KSIM_MUTATION_SLOW_TESTS=1  also use the property, fuzz and regression suites (slow; excluded
//                               by default: they run hundreds of whole scenarios per mutant)
//   KSIM_MUTATION_FILTER=REGEX  only mutants whose "file:line operator" text matches
//   KSIM_MUTATION_SAMPLE=N      only the first N mutants of each folder in the run's fixed
//                               pseudo-random order: a reproducible random sample, for a folder
//                               too big to run whole (its score estimates the folder's)
//   KSIM_MUTATION_MAX_TEST_S=S  leave out test files whose baseline run took longer (default 30:
//                               the CLI and hostile-input suites, minutes per surviving mutant)
//
// The baseline (which test files execute which code of the folder) is kept per test file in
// results/mutation/<folder>.json and reused while the compiled non-test files and that test
// file are unchanged, so adding a test reruns only that test's baseline. Kills are kept there
// too and reused while the sources and the killing test file are unchanged; survivors are
// always rerun. Survivors are printed as they are found, and again in the report. Interrupted
// (Ctrl-C, SIGTERM), the script prints the score of the mutants run so far and keeps its kills.
//
// Why not StrykerJS: its command runner reruns one fixed command per mutant (here the whole
// suite, minutes each, since ksim's TypeScript must be compiled and mutated sources cannot be
// run without a build), and its TypeScript-aware runners do not apply to node:test. This script
// does what its perTest coverage analysis does: one baseline run of every test file with V8
// coverage (NODE_V8_COVERAGE) decides which test files can see each mutant, and those run,
// fastest first, until one fails.
//
// Everything runs in a sandbox copy of the repository under the OS temp folder (node_modules
// linked), so a crash never leaves a mutated file in dist/ and tests that write files (failed
// property cases write test/regressions/) write into the copy.
//
// Mutators (Stryker's names): EqualityOperator (< <= > >= === !==), ArithmeticOperator
// (+ - * / %; not string concatenation), LogicalOperator (&& || ??), BooleanLiteral (true/false,
// and dropping a `!`), ConditionalExpression (an if/while/ternary condition forced true or
// false), UpdateOperator (++ --, += -=), MethodExpression (Math.min <-> Math.max), and
// StatementRemoval (a call statement deleted). Reported lines are the TypeScript source's (via
// the source maps tsc writes).
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const SLOW_TESTS = ['dist/test/property/scenarios.test.js', 'dist/test/fuzz-scenarios.test.js', 'dist/test/regressions.test.js'];

// ---------------------------------------------------------------- options

// One or more folders: `src/faults src/metrics` share one coverage baseline run and then run
// their mutants folder after folder (in the order given).
const folders = (process.argv.length > 2 ? process.argv.slice(2) : (process.env.KSIM_MUTATION_DIR ?? '').split(/[\s,]+/))
  .map((f) => f.replace(/\/+$/, ''))
  .filter((f) => f !== '');
if (folders.length === 0 || folders.some((f) => !f.startsWith('src/'))) {
  console.error('usage: node scripts/mutation.mjs src/<folder> [src/<folder>...]   (or KSIM_MUTATION_DIR=src/<folder>)');
  process.exit(2);
}
for (const f of folders) {
  if (!existsSync(join(ROOT, 'dist', f))) {
    console.error(`dist/${f} does not exist: build first (npm run build)`);
    process.exit(2);
  }
}
const jobs = Math.max(1, Number(process.env.KSIM_MUTATION_JOBS ?? 1));
const threshold = process.env.KSIM_MUTATION_THRESHOLD === undefined ? null : Number(process.env.KSIM_MUTATION_THRESHOLD);
const testFilter = process.env.KSIM_MUTATION_TESTS ? new RegExp(process.env.KSIM_MUTATION_TESTS) : null;
const mutantFilter = process.env.KSIM_MUTATION_FILTER ? new RegExp(process.env.KSIM_MUTATION_FILTER) : null;
const withSlow = process.env.KSIM_MUTATION_SLOW_TESTS === '1';
const sample = process.env.KSIM_MUTATION_SAMPLE === undefined ? Number.POSITIVE_INFINITY : Number(process.env.KSIM_MUTATION_SAMPLE);
if (!(sample >= 1) || (sample !== Number.POSITIVE_INFINITY && !Number.isInteger(sample))) {
  console.error('KSIM_MUTATION_SAMPLE must be a whole number of mutants, at least 1');
  process.exit(2);
}
const maxTestMs = 1000 * Number(process.env.KSIM_MUTATION_MAX_TEST_S ?? 30);

// ---------------------------------------------------------------- files

function walk(dir, out = []) {
  for (const e of readdirSync(dir).sort()) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}

/** Each folder's own compiled modules (not tests, not subfolders' tests). */
const targetsOf = new Map(folders.map((f) => [f, walk(join(ROOT, 'dist', f)).filter((x) => x.endsWith('.js') && !x.endsWith('.test.js')).map((x) => relative(ROOT, x))]));
const targets = [...new Set([...targetsOf.values()].flat())];
const allTests = walk(join(ROOT, 'dist'))
  .filter((f) => f.endsWith('.test.js'))
  .map((f) => relative(ROOT, f).split(sep).join('/'))
  .filter((f) => withSlow || !SLOW_TESTS.includes(f))
  .filter((f) => testFilter === null || testFilter.test(f));

// ---------------------------------------------------------------- source maps (to name TS lines)

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
function decodeVlq(s) {
  const out = [];
  let value = 0;
  let shift = 0;
  for (const ch of s) {
    const d = B64.indexOf(ch);
    value += (d & 31) << shift;
    if (d & 32) shift += 5;
    else {
      out.push(value & 1 ? -(value >> 1) : value >> 1);
      value = 0;
      shift = 0;
    }
  }
  return out;
}

/** generated line (0-based) → the source line (1-based) of its first mapping. */
function sourceLines(jsFile, root) {
  const mapFile = `${jsFile}.map`;
  const lines = new Map();
  if (!existsSync(mapFile)) return { file: jsFile, lines };
  const map = JSON.parse(readFileSync(mapFile, 'utf8'));
  let srcLine = 0;
  map.mappings.split(';').forEach((group, genLine) => {
    for (const seg of group.split(',')) {
      if (seg === '') continue;
      const v = decodeVlq(seg);
      if (v.length >= 4) {
        srcLine += v[2];
        if (!lines.has(genLine)) lines.set(genLine, srcLine + 1);
      }
    }
  });
  const src = map.sources?.[0] ? relative(root, join(dirname(jsFile), map.sources[0])) : relative(root, jsFile);
  return { file: src, lines };
}

// ---------------------------------------------------------------- mutants

const EQUALITY = { '<': ['<=', '>='], '<=': ['<', '>'], '>': ['>=', '<='], '>=': ['>', '<'], '===': ['!=='], '!==': ['==='], '==': ['!='], '!=': ['=='] };
const ARITHMETIC = { '+': ['-'], '-': ['+'], '*': ['/'], '/': ['*'], '%': ['*'] };
const LOGICAL = { '&&': ['||'], '||': ['&&'], '??': ['&&'] };
const ASSIGN = { '+=': ['-='], '-=': ['+='] };

const isStringy = (n) => ts.isStringLiteral(n) || ts.isTemplateExpression(n) || ts.isNoSubstitutionTemplateLiteral(n);

/** Every mutant of one compiled file: { file, start, end, replacement, operator, original }. */
function mutantsOf(file, root) {
  const text = readFileSync(join(root, file), 'utf8');
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.JS);
  const out = [];
  const add = (node, start, end, replacement, operator) => {
    out.push({ file, start, end, replacement, operator, original: text.slice(start, end), at: node.getStart(sf) });
  };
  const visit = (node) => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) return;
    if (ts.isBinaryExpression(node)) {
      const op = node.operatorToken.getText(sf);
      const s = node.operatorToken.getStart(sf);
      const e = node.operatorToken.end;
      for (const r of EQUALITY[op] ?? []) add(node, s, e, r, 'EqualityOperator');
      if (ARITHMETIC[op] && !(op === '+' && (isStringy(node.left) || isStringy(node.right)))) for (const r of ARITHMETIC[op]) add(node, s, e, r, 'ArithmeticOperator');
      for (const r of LOGICAL[op] ?? []) add(node, s, e, r, 'LogicalOperator');
      for (const r of ASSIGN[op] ?? []) add(node, s, e, r, 'AssignmentOperator');
    } else if (ts.isPrefixUnaryExpression(node)) {
      if (node.operator === ts.SyntaxKind.ExclamationToken) add(node, node.getStart(sf), node.operand.getStart(sf), '', 'BooleanLiteral');
      if (node.operator === ts.SyntaxKind.PlusPlusToken) add(node, node.getStart(sf), node.getStart(sf) + 2, '--', 'UpdateOperator');
      if (node.operator === ts.SyntaxKind.MinusMinusToken) add(node, node.getStart(sf), node.getStart(sf) + 2, '++', 'UpdateOperator');
    } else if (ts.isPostfixUnaryExpression(node)) {
      if (node.operator === ts.SyntaxKind.PlusPlusToken) add(node, node.end - 2, node.end, '--', 'UpdateOperator');
      if (node.operator === ts.SyntaxKind.MinusMinusToken) add(node, node.end - 2, node.end, '++', 'UpdateOperator');
    } else if (node.kind === ts.SyntaxKind.TrueKeyword) {
      add(node, node.getStart(sf), node.end, 'false', 'BooleanLiteral');
    } else if (node.kind === ts.SyntaxKind.FalseKeyword) {
      add(node, node.getStart(sf), node.end, 'true', 'BooleanLiteral');
    } else if (ts.isPropertyAccessExpression(node) && node.expression.getText(sf) === 'Math' && (node.name.text === 'min' || node.name.text === 'max')) {
      add(node, node.name.getStart(sf), node.name.end, node.name.text === 'min' ? 'max' : 'min', 'MethodExpression');
    } else if (ts.isExpressionStatement(node) && ts.isCallExpression(node.expression) && node.expression.expression.kind !== ts.SyntaxKind.SuperKeyword) {
      add(node, node.getStart(sf), node.end, ';', 'StatementRemoval');
    }
    const condition = ts.isIfStatement(node) || ts.isWhileStatement(node) || ts.isDoStatement(node) ? node.expression : ts.isConditionalExpression(node) ? node.condition : ts.isForStatement(node) ? node.condition : undefined;
    if (condition !== undefined && condition.kind !== ts.SyntaxKind.TrueKeyword && condition.kind !== ts.SyntaxKind.FalseKeyword) {
      const s = condition.getStart(sf);
      if (!ts.isWhileStatement(node) && !ts.isForStatement(node) && !ts.isDoStatement(node)) add(condition, s, condition.end, 'true', 'ConditionalExpression');
      add(condition, s, condition.end, 'false', 'ConditionalExpression');
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  const map = sourceLines(join(root, file), root);
  for (const m of out) {
    const genLine = text.slice(0, m.start).split('\n').length - 1;
    m.label = `${map.file}:${map.lines.get(genLine) ?? `js${genLine + 1}`} ${m.operator}: ${JSON.stringify(m.original.length > 60 ? `${m.original.slice(0, 57)}...` : m.original)} -> ${JSON.stringify(m.replacement)}`;
  }
  return out;
}

// ---------------------------------------------------------------- sandboxes

function makeSandbox() {
  const dir = mkdtempSync(join(tmpdir(), 'ksim-mutation-'));
  for (const e of readdirSync(ROOT)) {
    if (e === 'node_modules' || e === '.git' || e === 'results') continue;
    cpSync(join(ROOT, e), join(dir, e), { recursive: true });
  }
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  mkdirSync(join(dir, 'results'), { recursive: true });
  return dir;
}

/** Test processes running (process group ids), killed if the script is interrupted. */
const running = new Set();

/** Runs one test file in `sandbox`; resolves { ok, ms, timedOut }. */
function runTest(sandbox, test, timeoutMs, env = {}) {
  return new Promise((resolve) => {
    const started = process.hrtime.bigint();
    // Run directly (node:test runs a file's tests and exits 1 if one fails): one process, not two.
    const child = spawn(process.execPath, ['--test-reporter=dot', test], {
      cwd: sandbox,
      env: { ...process.env, KSIM_CHECK_INVARIANTS: '1', ...env },
      stdio: 'ignore',
      detached: true,
    });
    running.add(child.pid);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }, timeoutMs);
    child.on('exit', (code) => {
      running.delete(child.pid);
      clearTimeout(timer);
      resolve({ ok: code === 0 && !timedOut, ms: Number(process.hrtime.bigint() - started) / 1e6, timedOut });
    });
  });
}

// ---------------------------------------------------------------- coverage

/** Per target file: per process that loaded it, the V8 block-coverage ranges of its functions. */
function readCoverage(covDir, sandbox) {
  const byFile = new Map();
  if (!existsSync(covDir)) return byFile;
  const wanted = new Map(targets.map((t) => [pathToFileURL(join(sandbox, t)).href, t]));
  for (const f of readdirSync(covDir).sort()) {
    const data = JSON.parse(readFileSync(join(covDir, f), 'utf8'));
    for (const script of data.result ?? []) {
      const t = wanted.get(script.url);
      if (t === undefined) continue;
      const perProcess = byFile.get(t) ?? [];
      perProcess.push(script.functions.flatMap((fn) => fn.ranges));
      byFile.set(t, perProcess);
    }
  }
  return byFile;
}

/** Was `offset` executed in some process: the innermost range containing it has count > 0
 * (V8 reports blocks not run as nested ranges with count 0). */
function executed(perProcess, offset) {
  return perProcess.some((ranges) => {
    let best = null;
    for (const r of ranges) {
      if (r.startOffset <= offset && offset < r.endOffset && (best === null || r.endOffset - r.startOffset < best.endOffset - best.startOffset)) best = r;
    }
    return best !== null && best.count > 0;
  });
}

// ---------------------------------------------------------------- main

/** Prints one folder's survivors, its score per file and the folder's score. */
function report(folder, results, partial, total, all = total) {
  const mine = results.filter((r) => targetsOf.get(folder).includes(r.m.file));
  if (mine.length === 0 && partial) {
    console.log(`mutation score ${folder} (interrupted: 0 of ${total} mutants run)`);
    return;
  }
  mine.sort((a, b) => (a.m.file < b.m.file ? -1 : a.m.file > b.m.file ? 1 : a.m.start - b.m.start || (a.m.replacement < b.m.replacement ? -1 : 1)));
  const killed = mine.filter((r) => r.status.startsWith('killed')).length;
  const uncovered = mine.filter((r) => r.status === 'no coverage').length;
  const survivors = mine.filter((r) => !r.status.startsWith('killed'));
  for (const r of survivors) console.log(`  ${r.status === 'survived' ? 'SURVIVED   ' : 'NO COVERAGE'} ${r.m.label}`);
  console.log('  per file:');
  for (const t of targetsOf.get(folder)) {
    const rs = mine.filter((r) => r.m.file === t);
    if (rs.length === 0) continue;
    const k = rs.filter((r) => r.status.startsWith('killed')).length;
    console.log(`    ${t.replace(/^dist\//, '').replace(/\.js$/, '.ts')}: ${k}/${rs.length} killed (${((100 * k) / rs.length).toFixed(1)} %)`);
  }
  const score = mine.length === 0 ? 100 : (100 * killed) / mine.length;
  const reused = mine.filter((r) => r.reused).length;
  console.log(
    `mutation score ${folder}${total < all ? ` (sample of ${total} of its ${all} mutants)` : ''}${partial ? ` (interrupted: ${mine.length} of ${total} mutants run)` : ''}: ${score.toFixed(1)} % (${killed} killed, ${mine.length - killed - uncovered} survived, ${uncovered} not covered, of ${mine.length}${reused > 0 ? `; ${reused} kills reused from results/mutation` : ''})`,
  );
  if (!partial && threshold !== null && score < threshold) {
    console.log(`below the threshold of ${threshold} %`);
    process.exitCode = 1;
  }
}

const sha = (text) => createHash('sha256').update(text).digest('hex');
const cacheFileOf = (folder) => join(ROOT, 'results', 'mutation', `${folder.replace(/\//g, '_')}.json`);
/** A mutant's identity within one build of the sources. */
const keyOf = (m) => `${m.file}:${m.start}:${m.end}:${m.replacement}`;

async function main() {
  // Everything is read from the sandbox copy, so a rebuild of dist/ meanwhile changes nothing.
  const base = makeSandbox();
  // Run in a fixed pseudo-random order (by a hash of each mutant), so that an interrupted run's
  // score is a fair sample of the whole folder rather than of its first files.
  const mutantsOf2 = (folder) =>
    targetsOf
      .get(folder)
      .flatMap((t) => mutantsOf(t, base))
      .filter((m) => mutantFilter === null || mutantFilter.test(m.label))
      .map((m) => ({ m, k: sha(`${m.file}:${m.start}:${m.replacement}`) }))
      .sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0))
      .map(({ m }) => m);
  const allMutantsBy = new Map(folders.map((f) => [f, mutantsOf2(f)]));
  const mutantsBy = new Map(folders.map((f) => [f, allMutantsBy.get(f).slice(0, sample)]));
  const mutants = folders.flatMap((f) => mutantsBy.get(f));
  for (const f of folders) {
    const all = allMutantsBy.get(f).length;
    const n = mutantsBy.get(f).length;
    console.log(`mutation: ${f}: ${targetsOf.get(f).length} file(s), ${all} mutant(s)${n < all ? `; a sample of the first ${n} in the run's pseudo-random order (KSIM_MUTATION_SAMPLE)` : ''}`);
  }
  console.log(`  ${allTests.length} test file(s) as candidates${withSlow ? '' : ' (property/fuzz/regression suites left out)'}`);

  const sandboxes = [base];
  const cleanup = () => {
    for (const s of sandboxes) rmSync(s, { recursive: true, force: true });
  };
  const results = [];

  // The cache, per folder: the compiled non-test files' digest (`sources`); per test file, its
  // hash and its baseline (passed, time, coverage of the folder); per mutant, the test that
  // killed it. A test file's baseline is reused while the sources and that file are unchanged
  // (adding a test reruns only that test); a kill is reused while the sources and the killing
  // test file are unchanged (a kill by a deterministic test is a fact about those two).
  // Survivors are always rerun: a new test may kill them.
  const sourceKey = sha(
    walk(join(base, 'dist'))
      .filter((x) => x.endsWith('.js') && !x.endsWith('.test.js'))
      .sort()
      .map((x) => `${relative(base, x)}\0${sha(readFileSync(x))}`)
      .join('\n'),
  );
  const testHash = new Map(allTests.map((t) => [t, sha(readFileSync(join(base, t)))]));
  const caches = new Map();
  for (const f of folders) {
    let c = existsSync(cacheFileOf(f)) ? JSON.parse(readFileSync(cacheFileOf(f), 'utf8')) : null;
    if (c === null || c.sources !== sourceKey || c.version !== 2) c = { version: 2, sources: sourceKey, tests: {}, kills: {} };
    caches.set(f, c);
  }
  const save = () => {
    mkdirSync(join(ROOT, 'results', 'mutation'), { recursive: true });
    for (const [f, c] of caches) writeFileSync(cacheFileOf(f), JSON.stringify(c));
  };

  const stop = () => {
    for (const pid of running) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
    for (const f of folders) report(f, results, true, mutantsBy.get(f).length, allMutantsBy.get(f).length);
    save();
    cleanup();
    process.exit(130);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  try {
    // Baseline: every candidate test file once, unmutated, with coverage (unless cached).
    const fresh = (f, t) => caches.get(f).tests[t]?.hash === testHash.get(t);
    const toRun = allTests.filter((t) => folders.some((f) => !fresh(f, t)));
    if (toRun.length < allTests.length) console.log(`  baseline: ${allTests.length - toRun.length} test file(s) reused from results/mutation`);
    const t0 = Date.now();
    for (const test of toRun) {
      const covDir = join(base, '.coverage', test.replace(/[\\/]/g, '_'));
      const r = await runTest(base, test, 15 * 60_000, { NODE_V8_COVERAGE: covDir });
      if (!r.ok) console.log(`  baseline: ${test} fails without any mutant: left out`);
      const cov = r.ok ? readCoverage(covDir, base) : new Map();
      rmSync(covDir, { recursive: true, force: true });
      for (const f of folders) {
        const mine = [...cov].filter(([t]) => targetsOf.get(f).includes(t));
        caches.get(f).tests[test] = { hash: testHash.get(test), ok: r.ok, ms: r.ms, cov: mine };
      }
      save();
    }
    if (toRun.length > 0) console.log(`  baseline: ${toRun.length} test file(s) run in ${((Date.now() - t0) / 1000).toFixed(0)} s`);

    const baselineOf = new Map();
    for (const f of folders) {
      const all = allTests
        .map((test) => ({ test, ...caches.get(f).tests[test] }))
        .filter((b) => b.ok && b.cov.length > 0)
        .map((b) => ({ test: b.test, ms: b.ms, cov: new Map(b.cov) }));
      const slow = all.filter((b) => b.ms > maxTestMs);
      const fast = all.filter((b) => b.ms <= maxTestMs).sort((a, b) => a.ms - b.ms);
      baselineOf.set(f, fast);
      console.log(`  baseline: ${fast.length} test file(s) execute ${f}: ${fast.map((b) => `${b.test.replace(/^dist\//, '')} ${(b.ms / 1000).toFixed(1)}s`).join(', ')}`);
      if (slow.length > 0) console.log(`  left out as slower than ${maxTestMs / 1000} s (KSIM_MUTATION_MAX_TEST_S): ${slow.map((b) => `${b.test.replace(/^dist\//, '')} ${(b.ms / 1000).toFixed(0)}s`).join(', ')}`);
    }
    const folderOf = new Map(folders.flatMap((f) => mutantsBy.get(f).map((m) => [m, f])));

    for (let i = 1; i < jobs; i++) sandboxes.push(makeSandbox());
    const originals = new Map(targets.map((t) => [t, readFileSync(join(base, t), 'utf8')]));
    let next = 0;
    let done = 0;
    const worker = async (sandbox) => {
      while (next < mutants.length) {
        const m = mutants[next++];
        const f = folderOf.get(m);
        const cache = caches.get(f);
        const tests = baselineOf.get(f).filter((b) => executed(b.cov.get(m.file) ?? [], m.at));
        const prior = cache.kills[keyOf(m)];
        let status = 'no coverage';
        let by = '';
        let reused = false;
        if (prior !== undefined && prior.hash === testHash.get(prior.by) && tests.some((b) => b.test === prior.by)) {
          ({ status } = prior);
          by = prior.by.replace(/^dist\//, '');
          reused = true;
        } else if (tests.length > 0) {
          const src = originals.get(m.file);
          writeFileSync(join(sandbox, m.file), src.slice(0, m.start) + m.replacement + src.slice(m.end));
          status = 'survived';
          try {
            for (const b of tests) {
              const r = await runTest(sandbox, b.test, Math.max(20_000, 3 * b.ms + 10_000));
              if (!r.ok) {
                status = r.timedOut ? 'killed (timeout)' : 'killed';
                by = b.test.replace(/^dist\//, '');
                cache.kills[keyOf(m)] = { status, by: b.test, hash: testHash.get(b.test) };
                break;
              }
            }
          } finally {
            writeFileSync(join(sandbox, m.file), src);
          }
        }
        results.push({ m, status, by, reused });
        // Survivors as they are found, so tests can be written while the run goes on.
        if (!status.startsWith('killed')) console.log(`  ${status === 'survived' ? 'SURVIVED   ' : 'NO COVERAGE'} ${m.label}`);
        done++;
        if (done % 10 === 0 || done === mutants.length) {
          console.log(`  ${done}/${mutants.length} mutants run`);
          save();
        }
      }
    };
    await Promise.all(sandboxes.map((s) => worker(s)));
    save();

    for (const f of folders) report(f, results, false, mutantsBy.get(f).length, allMutantsBy.get(f).length);
  } finally {
    cleanup();
  }
}

await main();
