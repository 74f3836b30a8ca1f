// Every library entry point that takes a seed checks it as a scenario file's `seed` is checked
// (one check, src/api/seed.ts): an InputError worded as the file's. Before, loadScenario(file,
// { seed: 1.5 }) ran and wrote summary.seed 1.5 (-1, 2**40 too); NaN and '7' passed loading and
// then threw a plain Error from RandomStreams inside runScenario; nodesFor({ seeds: [] }) threw
// "Reduce of empty array with no initial value".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  explainFiles,
  InputError,
  loadScenario,
  nodesFor,
  parseScenario,
  parseTarget,
  planRuns,
  podCapacity,
  poolRunner,
  RandomStreams,
  runPool,
  runScenario,
  runSweep,
  sequentialRunner,
} from '../src/index.js';
import { MAX_SEED, SEED_EXPECTED } from '../src/api/seed.js';
import { repoPath } from '../src/testing/repo-paths.js';

const QUICKSTART = repoPath('scenarios/quickstart.yaml');
const CAPACITY = repoPath('scenarios/capacity.yaml');
const RANGE = 'expected an integer >= 0 and <= 4294967295';

/** The InputError `f` throws (or rejects with), as its message. */
async function inputError(f: () => unknown): Promise<string> {
  try {
    await f();
  } catch (e) {
    assert.ok(e instanceof InputError, `not an InputError: ${String(e)}`);
    return e.message;
  }
  assert.fail('no error');
}

test("the library's seed wording is the scenario file's, and the range is the schema's", async () => {
  const schema = JSON.parse(readFileSync(repoPath('schema/scenario.schema.json'), 'utf8')) as { properties: { seed: { type: string; minimum: number; maximum: number } } };
  assert.deepEqual(schema.properties.seed, { ...schema.properties.seed, type: 'integer', minimum: 0, maximum: MAX_SEED });
  assert.equal(SEED_EXPECTED, 'an integer >= 0 and <= 4294967295');
  const text = readFileSync(QUICKSTART, 'utf8');
  const inFile = (seed: string) => inputError(() => parseScenario(text.replace(/^seed: 42$/m, `seed: ${seed}`), 'q.yaml'));
  // A non-integer and an out-of-range seed in a file are told alike (the latter said "a number >= 0" before).
  assert.equal(await inFile('1.5'), `q.yaml:9:7: seed: ${RANGE}, got 1.5`);
  assert.equal(await inFile('-1'), `q.yaml:9:7: seed: ${RANGE}, got -1`);
  assert.equal(await inFile('4294967296'), `q.yaml:9:7: seed: ${RANGE}, got 4294967296`);
  assert.equal(await inputError(() => loadScenario(QUICKSTART, { seed: 1.5 })), `loadScenario: opts.seed: ${RANGE}, got 1.5`);
  assert.equal(await inputError(() => loadScenario(QUICKSTART, { seed: -1 })), `loadScenario: opts.seed: ${RANGE}, got -1`);
});

test('loadScenario and parseScenario refuse a seed out of range, not an integer, or not a number', async () => {
  const bad: [unknown, string][] = [
    [-1, '-1'],
    [1.5, '1.5'],
    [2 ** 40, '1099511627776'],
    [4294967296, '4294967296'],
    [NaN, 'NaN'],
    [Infinity, 'Infinity'],
    ['7', '"7"'],
    [7n, '7n'],
    [null, 'nothing'],
  ];
  for (const [seed, got] of bad) {
    assert.equal(await inputError(() => loadScenario(QUICKSTART, { seed: seed as number })), `loadScenario: opts.seed: ${RANGE}, got ${got}`);
  }
  assert.equal(await inputError(() => parseScenario(readFileSync(QUICKSTART, 'utf8'), 'q.yaml', { seed: 0.5 })), `parseScenario: opts.seed: ${RANGE}, got 0.5`);
  // The bounds themselves are seeds, and the run says so.
  assert.equal(loadScenario(QUICKSTART, { seed: 0 }).seed, 0);
  const top = loadScenario(QUICKSTART, { seed: 4294967295, set: ['duration=1m'] });
  assert.equal(runScenario(top).summary.seed, 4294967295);
});

test('runScenario and podCapacity refuse a hand-built Scenario whose seed is not one', async () => {
  const s = loadScenario(QUICKSTART, { set: ['duration=1m'] });
  assert.equal(await inputError(() => runScenario({ ...s, seed: 1.5 })), `runScenario: scenario.seed: ${RANGE}, got 1.5`);
  assert.equal(await inputError(() => runScenario({ ...s, seed: '7' as unknown as number })), `runScenario: scenario.seed: ${RANGE}, got "7"`);
  const c = loadScenario(CAPACITY);
  assert.equal(await inputError(() => podCapacity({ ...c, seed: -3 }, repoPath('examples/explain/pod.yaml'))), `podCapacity: scenario.seed: ${RANGE}, got -3`);
});

test('RandomStreams, explainFiles, planRuns, runSweep, nodesFor, runPool and the probe runners check their seeds', async () => {
  assert.equal(await inputError(() => new RandomStreams(NaN)), `RandomStreams: seed: ${RANGE}, got NaN`);
  assert.equal(await inputError(() => new RandomStreams(2 ** 32)), `RandomStreams: seed: ${RANGE}, got 4294967296`);
  assert.equal(new RandomStreams(MAX_SEED).seed, MAX_SEED);
  assert.equal(
    await inputError(() => explainFiles({ cluster: repoPath('examples/explain/cluster.yaml'), pod: repoPath('examples/explain/pod.yaml'), seed: -2 })),
    `explainFiles: opts.seed: ${RANGE}, got -2`,
  );
  assert.equal(await inputError(() => planRuns([1, 2.5], [])), `planRuns: seeds[1]: ${RANGE}, got 2.5`);
  assert.deepEqual(planRuns([], []), []);
  // Refused before anything is written.
  const out = repoPath('dist/test-library-seeds-never-written');
  assert.equal(await inputError(() => runSweep({ scenario: QUICKSTART, seeds: [1, -3], output: out })), `runSweep: opts.seeds[1]: ${RANGE}, got -3`);
  assert.equal(await inputError(() => runSweep({ scenario: QUICKSTART, seeds: [], output: out })), `runSweep: opts.seeds: expected a non-empty list of seeds (each ${SEED_EXPECTED}), got an empty list`);
  assert.throws(() => readFileSync(`${out}/sweep.json`), { code: 'ENOENT' });
  const sizing = { scenario: CAPACITY, pool: 'general', target: parseTarget('pending=0'), runner: sequentialRunner() };
  assert.equal(await inputError(() => nodesFor({ ...sizing, seeds: [1, '2' as unknown as number] })), `nodesFor: opts.seeds[1]: ${RANGE}, got "2"`);
  assert.equal(await inputError(() => nodesFor({ ...sizing, seeds: [] })), `nodesFor: opts.seeds: expected a non-empty list of seeds (each ${SEED_EXPECTED}), got an empty list`);
  assert.equal(await inputError(() => runPool([{ scenario: QUICKSTART, seed: 1 }, { scenario: QUICKSTART, seed: NaN }], { workers: 1 })), `runPool: tasks[1].seed: ${RANGE}, got NaN`);
  assert.equal(await inputError(() => sequentialRunner()([{ scenario: QUICKSTART, seed: 2 ** 32, set: [] }])), `sequentialRunner: tasks[0].seed: ${RANGE}, got 4294967296`);
  assert.equal(await inputError(() => poolRunner({ workers: 1 })([{ scenario: QUICKSTART, seed: -1, set: [] }])), `poolRunner: tasks[0].seed: ${RANGE}, got -1`);
});
