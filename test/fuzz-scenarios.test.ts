// Mutation fuzzing of the bundled scenarios (scenarios/*.yaml, test/scenarios/*.yaml) and of
// ksim explain's inputs (examples/explain/, and a KubeSchedulerConfiguration): every mutant
// either loads (a scenario then runs, shortened to at most 2 simulated minutes; explain runs) or
// is refused with an InputError. Any other exception is a reader bug: the failure names the
// iteration and mutations, and saves the mutant to a temporary file to join test/bad-input/.
//
// Mutations (1 to 3 per mutant, from a seeded PRNG): replace a scalar (another type, an extreme
// value, a near-miss spelling), add a field of the right Kubernetes type with odd contents (from
// known-fields.ts), add any field, drop a key, swap a mapping for a list, empty a collection,
// duplicate a key's line, truncate the text, insert garbage characters.
//
// The default run (npm test) is a fixed seed and 200 mutants of each kind, about 2 s;
// `npm run test:fuzz` runs 20,000 of each (about 2 minutes). KSIM_FUZZ_ITERATIONS and
// KSIM_FUZZ_SEED override the count and the seed; KSIM_FUZZ_VERBOSE=1 tallies the refusals.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import seedrandom from 'seedrandom';
import { isMap, isPair, isScalar, isSeq, parseDocument, stringify, visit, YAMLSeq, type Document, type Node as YamlNode } from 'yaml';
import { explainFiles, InputError, loadPluginModules, parseScenario, runScenario, type Scenario } from '../src/index.js';
import { REPO_ROOT } from '../src/testing/repo-paths.js';
import { KNOWN_TYPES } from '../src/workload/known-fields.js';
import { tempDir } from '../src/testing/temp-dir.js';

const ITERATIONS = Number(process.env['KSIM_FUZZ_ITERATIONS'] ?? 200);
const SEED = process.env['KSIM_FUZZ_SEED'] ?? 'ksim-fuzz-1';
const MAX_RUN_US = 2 * 60 * 1_000_000;

/** Every valid scenario shipped with ksim or used by the tests, as [path relative to the repo, text]. */
function sources(): [string, string][] {
  const out: [string, string][] = [];
  for (const dir of ['scenarios', 'test/scenarios']) {
    for (const f of readdirSync(join(REPO_ROOT, dir)).filter((x) => /\.ya?ml$/.test(x)).sort()) {
      out.push([`${dir}/${f}`, readFileSync(join(REPO_ROOT, dir, f), 'utf8')]);
    }
  }
  return out;
}

type Rng = () => number;

function pick<T>(rng: Rng, xs: readonly T[]): T {
  return xs[Math.floor(rng() * xs.length)] as T;
}

/** Values a scalar is replaced with: other types, extremes, near-misses of valid spellings. */
const NUMBERS: readonly number[] = [0, -1, 1, 1.5, -0.5, 0.1, Infinity, -Infinity, NaN, 2 ** 31, 2 ** 32, 2 ** 53 + 2, 1e21, 1e300, -1e300, 5e-324];
const STRINGS: readonly string[] = [
  '', ' ', 'x', 'X_Y', 'x'.repeat(300), 'a.b', 'a/b/c', '0', '-1', '1e400', '99999999999999999999Ei', '0.0000000001n', '1e-400', '100m', '1.5Gi',
  '-5s', '0s', '1ns', '1000000h', '9999999999999999h', '1h-5m', 'NaN', 'Infinity', '*', '100%', '101%', 'kubernetes.io/hostname', 'zone-a',
  'NoSchedule', 'Exists', 'In', 'Gt', 'DoNotSchedule', 'Never', 'fixed', 'poisson', 'forever', 'default-scheduler', 'Pod', 'Deployment', 'v1',
  'apps/v1', 'List', 'constructor', '__proto__', 'toString', 'hasOwnProperty',
];
const REPLACEMENTS: readonly unknown[] = [
  null, true, false, 0, -1, 1.5, -0.5, Infinity, -Infinity, NaN, 2 ** 53 + 2, 1e21, 1e300, 4294967296, 2147483648,
  '', ' ', 'x', 'x'.repeat(300), '\u{1F4A5}', '-1', '1e400', '-1e400', '99999999999999999999Ei', '0.0000000001n',
  '-5s', '0s', '1ns', '1000000h', '9999999999999999h', '1.5.5', 'NaN', 'true', 'null', '~', '*', '-', '100%', '1Qi',
  'default-scheduler', 'Pod', 'v1', 'apps/v1', 'List', 'constructor', '__proto__', 'toString',
  [], {}, ['a'], { a: 1 }, [[[]]], { constant: '1s' }, { lognormal: { p50: '1s' } },
];

/** Fields added to a random mapping: those the readers and the scheduler look at most, then
 * every field of every Kubernetes type ksim knows. */
const FIELDS: readonly string[] = [
  'overhead', 'schedulingGates', 'affinity', 'topologySpreadConstraints', 'tolerations', 'nodeSelector', 'priority', 'priorityClassName',
  'preemptionPolicy', 'schedulerName', 'initContainers', 'ports', 'resources', 'requests', 'limits', 'restartPolicy', 'nodeName', 'labels',
  'annotations', 'namespace', 'replicas', 'selector', 'template', 'images', 'taints', 'unschedulable', 'zones', 'runDuration', 'rate', 'at',
  'count', 'status', 'spec', 'metadata', 'nodeAffinity', 'podAffinity', 'podAntiAffinity', 'matchExpressions', 'matchLabels', 'matchLabelKeys',
  'weight', 'minDomains', 'maxSkew', 'topologyKey', 'whenUnsatisfiable', 'nodeAffinityPolicy', 'nodeTaintsPolicy', 'hostPort', 'protocol',
  'allocatable', 'capacity', 'file', 'manifests', 'pluginConfig', 'args', 'profiles', 'plugins', 'multiPoint', 'enabled', 'disabled',
  ...new Set(Object.values(KNOWN_TYPES).flatMap((t) => Object.keys(t))),
];

/** Structured values for added fields, shaped like the real ones (and slightly off). */
const SHAPES: readonly unknown[] = [
  [{ name: 'example.com/gate' }], [{ name: 'g' }, { name: 'g' }], { cpu: '1', memory: '1Gi' }, { cpu: 'x' }, { 'nvidia.com/gpu': 1 },
  [{ key: 'a', operator: 'In', values: ['b'] }], [{ key: 'a', operator: 'Gt', values: ['x'] }], [{ key: 'a', operator: 'Exists', values: ['b'] }],
  [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'web' } } }],
  [{ maxSkew: 0, topologyKey: '', whenUnsatisfiable: 'Maybe', minDomains: -1 }],
  { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'a', operator: 'In', values: ['b'] }] }] } } },
  { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [] } } },
  { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'web' } } }] } },
  { podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: { topologyKey: '', labelSelector: {} } }] } },
  [{ key: 'k', operator: 'Equal', value: 'v', effect: 'NoSchedule' }], [{ operator: 'Exists' }], [{ key: 'k', effect: 'NoExecute', tolerationSeconds: -5 }],
  [{ containerPort: 80, hostPort: 80, protocol: 'TCP' }], [{ hostPort: 70000 }], [{ names: ['nginx'], sizeBytes: 1e12 }], [{ names: 3 }],
  [{ name: 'init', image: 'x', restartPolicy: 'Always', resources: { requests: { cpu: '1' } } }],
];

const QUANTITIES: readonly (string | number)[] = ['1', '100m', '0', '-1', '1e3', '1.5Gi', '99999999999999999999Ei', '0.5', 'x', 2, 1e300];
const MAP_KEYS: readonly string[] = ['cpu', 'memory', 'pods', 'nvidia.com/gpu', 'app', 'example.com/a', 'kubernetes.io/hostname', 'topology.kubernetes.io/zone', 'A b'];

/** A value for a field of Kubernetes type `t` (known-fields.ts codes): usually of the right
 * shape with unusual contents, so that it passes the type checks and reaches the readers'
 * semantic checks and the scheduler; sometimes of a wrong type. */
function genValue(t: string, rng: Rng, depth = 0): unknown {
  if (rng() < 0.15) return pick(rng, REPLACEMENTS);
  if (t === 's') return pick(rng, STRINGS);
  if (t === 'n') return rng() < 0.5 ? pick(rng, [0, 1, 2, 5, 100, -1, -100]) : pick(rng, NUMBERS);
  if (t === 'b') return rng() < 0.5;
  if (t === 'q') return pick(rng, QUANTITIES);
  if (t === 'i') return pick(rng, ['50%', '150%', 1, 0, -1, 'abc', 2.5]);
  if (t === 'x' || depth > 4) return {};
  if (t.startsWith('[]')) return Array.from({ length: Math.floor(rng() * 3) }, () => genValue(t.slice(2), rng, depth + 1));
  if (t.startsWith('{}')) return Object.fromEntries(Array.from({ length: 1 + Math.floor(rng() * 2) }, () => [pick(rng, MAP_KEYS), genValue(t.slice(2), rng, depth + 1)]));
  const fields = Object.entries(KNOWN_TYPES[t] ?? {});
  if (fields.length === 0) return {};
  return Object.fromEntries(Array.from({ length: 1 + Math.floor(rng() * 4) }, () => {
    const [f, ft] = pick(rng, fields);
    return [f, genValue(ft, rng, depth + 1)];
  }));
}

/** The Kubernetes type a mapping most looks like (most fields in common), if any. */
function guessType(keys: readonly string[]): string | null {
  let best: string | null = null;
  let score = 0;
  for (const [t, fields] of Object.entries(KNOWN_TYPES)) {
    const n = keys.filter((k) => Object.hasOwn(fields, k)).length;
    if (n > score || (n === score && best !== null && Object.keys(fields).length < Object.keys(KNOWN_TYPES[best] ?? {}).length)) {
      best = t;
      score = n;
    }
  }
  return score > 0 ? best : null;
}

/** Garbage inserted into the text. */
const GARBAGE: readonly string[] = [
  '\u0000', '\u0001', '\u001b[31m', '\t', '\r', '\n', '\uFFFD', '\uFEFF', '\u2028', '{', '}', '[', ']', ':', ': ', '- ', '&a', '*a',
  '!!binary', '!foo', '%YAML 1.1\n', '---\n', '...\n', '"', "'", '#', '|', '>', '? ', ',', '\\', '@', '`', 'é', '\u{10FFFF}', '\uD800',
];

/** All nodes of `kind` in document order. */
function collect(doc: Document, kind: 'scalar' | 'pair' | 'map' | 'collection'): unknown[] {
  const out: unknown[] = [];
  visit(doc, {
    Scalar: (_k, n) => void (kind === 'scalar' && out.push(n)),
    Pair: (_k, n) => void (kind === 'pair' && out.push(n)),
    Map: (_k, n) => void ((kind === 'map' || kind === 'collection') && out.push(n)),
    Seq: (_k, n) => void (kind === 'collection' && out.push(n)),
  });
  return out;
}

/** Replaces (or removes) the `target` node of the document. */
function replaceNode(doc: Document, target: unknown, by: YamlNode | typeof visit.REMOVE): void {
  // Once only: the replacement may contain the target (a mapping wrapped in a list).
  let done = false;
  const at = (n: unknown) => {
    if (done || n !== target) return undefined;
    done = true;
    return by;
  };
  visit(doc, { Node: (_k, n) => at(n), Pair: (_k, n) => at(n) });
}

interface Mutation {
  readonly name: string;
  apply(text: string, rng: Rng): string;
}

function structural(name: string, fn: (doc: Document, rng: Rng) => boolean): Mutation {
  return {
    name,
    apply(text, rng) {
      const doc = parseDocument(text);
      if (doc.errors.length > 0) return text; // an earlier mutation broke the syntax: nothing to walk
      if (!fn(doc, rng)) return text;
      try {
        return doc.toString({ lineWidth: 0 });
      } catch {
        return text; // the yaml library cannot print what garbage made of it (e.g. an anchor with a space)
      }
    },
  };
}

const MUTATIONS: readonly Mutation[] = [
  structural('replace a scalar', (doc, rng) => {
    const scalars = collect(doc, 'scalar').filter((n) => !(isScalar(n) && isPairKey(doc, n)));
    if (scalars.length === 0) return false;
    const target = pick(rng, scalars);
    // Half the time a value of the same type, which the schema lets through to deeper readers.
    const v = isScalar(target) ? target.value : undefined;
    const by = rng() < 0.5 && typeof v === 'number' ? pick(rng, NUMBERS) : rng() < 0.5 && typeof v === 'string' ? pick(rng, STRINGS) : pick(rng, REPLACEMENTS);
    replaceNode(doc, target, doc.createNode(by) as YamlNode);
    return true;
  }),
  structural('add a typed field', (doc, rng) => {
    const maps = collect(doc, 'map').filter(isMap);
    if (maps.length === 0) return false;
    const m = pick(rng, maps);
    const type = guessType(m.items.map((p) => String(isScalar(p.key) ? p.key.value : '')));
    if (type === null) return false;
    const [f, ft] = pick(rng, Object.entries(KNOWN_TYPES[type] ?? {}));
    if (m.has(f)) m.delete(f);
    m.set(doc.createNode(f), doc.createNode(genValue(ft, rng)));
    return true;
  }),
  structural('add a field', (doc, rng) => {
    const maps = collect(doc, 'map');
    if (maps.length === 0) return false;
    const m = pick(rng, maps);
    if (!isMap(m)) return false;
    const key = rng() < 0.6 ? pick(rng, FIELDS.slice(0, 70)) : pick(rng, FIELDS);
    if (m.has(key)) m.delete(key);
    m.set(doc.createNode(key), doc.createNode(rng() < 0.5 ? pick(rng, SHAPES) : pick(rng, REPLACEMENTS)));
    return true;
  }),
  structural('drop a key', (doc, rng) => {
    const pairs = collect(doc, 'pair');
    if (pairs.length === 0) return false;
    replaceNode(doc, pick(rng, pairs), visit.REMOVE);
    return true;
  }),
  structural('swap a mapping for a list', (doc, rng) => {
    const maps = collect(doc, 'map');
    if (maps.length === 0) return false;
    const m = pick(rng, maps);
    if (!isMap(m)) return false;
    const seq = new YAMLSeq(doc.schema);
    seq.items = rng() < 0.5 ? m.items.map((p) => (isPair(p) ? p.value : p)) : [m];
    replaceNode(doc, m, seq as unknown as YamlNode);
    return true;
  }),
  structural('empty a collection', (doc, rng) => {
    const cs = collect(doc, 'collection');
    if (cs.length === 0) return false;
    const c = pick(rng, cs);
    if (isMap(c) || isSeq(c)) c.items = [];
    return true;
  }),
  {
    name: 'duplicate a key',
    apply(text, rng) {
      const lines = text.split('\n');
      const keyed = lines.map((l, i) => [l, i] as const).filter(([l]) => /^\s*(- )?[\w./-]+:/.test(l));
      if (keyed.length === 0) return text;
      const [line, i] = pick(rng, keyed);
      lines.splice(i + 1, 0, line.replace(/^(\s*)- /, '$1  '));
      return lines.join('\n');
    },
  },
  {
    name: 'truncate',
    apply: (text, rng) => text.slice(0, Math.floor(rng() * text.length)),
  },
  {
    name: 'insert garbage',
    apply(text, rng) {
      const at = Math.floor(rng() * (text.length + 1));
      let g = '';
      for (let n = 1 + Math.floor(rng() * 3); n > 0; n--) g += rng() < 0.8 ? pick(rng, GARBAGE) : String.fromCharCode(Math.floor(rng() * 0x3000));
      return text.slice(0, at) + g + text.slice(at);
    },
  },
];

function isPairKey(doc: Document, n: unknown): boolean {
  let found = false;
  visit(doc, {
    Pair: (_k, p) => {
      if (p.key === n) {
        found = true;
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return found;
}

/** Small enough to run in a unit test: mutations may ask for a million nodes or pods. */
function smallEnough(s: Scenario): boolean {
  if (s.nodes.length > 2000) return false;
  let pods = 0;
  for (const e of s.workload) {
    if (e.trace !== undefined && !e.trace.path.startsWith(REPO_ROOT)) return false; // the real traces are large
    const perArrival = e.manifests.reduce((n, m) => n + (m.kind === 'Deployment' ? Number((m.spec as { replicas?: number }).replicas ?? 1) : m.kind === 'Pod' ? 1 : 0), 0);
    const arrivals = e.arrival.kind === 'at' ? 1 : Math.min(e.arrival.count ?? Infinity, (e.arrival.perMinute * MAX_RUN_US) / 60e6 + 1);
    pods += perArrival * arrivals;
  }
  return pods <= 5000;
}

type Outcome = 'ran' | 'loaded' | 'refused';

/** With KSIM_FUZZ_VERBOSE=1: how often each expectation refused a mutant (to see what is reached). */
const refusals = new Map<string, number>();

function refused(e: InputError): Outcome {
  const key = e.expected.slice(0, 70);
  refusals.set(key, (refusals.get(key) ?? 0) + 1);
  return 'refused';
}

async function loadAndRun(text: string, file: string): Promise<Outcome> {
  let s: Scenario;
  try {
    s = parseScenario(text, file);
  } catch (e) {
    if (e instanceof InputError) return refused(e);
    throw e;
  }
  if (!smallEnough(s)) return 'loaded';
  try {
    const plugins = await loadPluginModules(s.pluginModules);
    const short: Scenario = { ...s, durationUs: Math.min(s.durationUs, MAX_RUN_US) };
    runScenario(short, { plugins });
    return 'ran';
  } catch (e) {
    if (e instanceof InputError) return refused(e);
    throw e;
  }
}

test(`${ITERATIONS} mutated scenarios load and run, or are refused with an InputError (seed ${SEED})`, async (t) => {
  const rng = seedrandom(SEED);
  const srcs = sources();
  assert.ok(srcs.length >= 3, 'the bundled scenarios are found');
  const counts: Record<Outcome, number> = { ran: 0, loaded: 0, refused: 0 };
  for (let i = 0; i < ITERATIONS; i++) {
    const [path, original] = pick(rng, srcs);
    let text = original;
    const applied: string[] = [];
    for (let n = rng() < 0.6 ? 1 : 2 + Math.floor(rng() * 2); n > 0; n--) {
      const m = pick(rng, MUTATIONS);
      text = m.apply(text, rng);
      applied.push(m.name);
    }
    // A name in the scenario's folder, so that its relative paths (manifests, plugin modules) resolve.
    const file = join(REPO_ROOT, path.replace(/[^/]+$/, 'fuzzed.yaml'));
    try {
      counts[await loadAndRun(text, file)]++;
    } catch (e) {
      const saved = join(tempDir('ksim-fuzz-'), 'fuzzed.yaml');
      writeFileSync(saved, text);
      assert.fail(`iteration ${i} (${path}; ${applied.join(', ')}): not an InputError: ${(e as Error).stack ?? String(e)}\nmutated scenario saved to ${saved}`);
    }
  }
  // The mutations must exercise both sides: some scenarios survive them, many do not.
  assert.equal(counts.ran + counts.loaded + counts.refused, ITERATIONS);
  if (ITERATIONS >= 100) {
    assert.ok(counts.ran > 0, `no mutated scenario ran: ${JSON.stringify(counts)}`);
    assert.ok(counts.refused > 0, `no mutated scenario was refused: ${JSON.stringify(counts)}`);
  }
  t.diagnostic(`outcomes: ${JSON.stringify(counts)}`);
  if (process.env['KSIM_FUZZ_VERBOSE'] === '1') {
    for (const [k, n] of [...refusals].sort((a, b) => b[1] - a[1])) t.diagnostic(`${String(n).padStart(6)}  ${k}`);
  }
});

test(`${ITERATIONS} mutated explain inputs (cluster, pod, configuration) are explained or refused with an InputError (seed ${SEED})`, async (t) => {
  const rng = seedrandom(`${SEED}/explain`);
  const dir = tempDir('ksim-fuzz-explain-');
  const cluster = readFileSync(join(REPO_ROOT, 'examples/explain/cluster.yaml'), 'utf8');
  const pod = readFileSync(join(REPO_ROOT, 'examples/explain/pod.yaml'), 'utf8');
  // The configuration of test/scenarios/known-placements.yaml, as a file of its own.
  const known = parseDocument(readFileSync(join(REPO_ROOT, 'test/scenarios/known-placements.yaml'), 'utf8')).toJS() as { scheduler: { config: unknown } };
  const config = stringify(known.scheduler.config);
  const files = { cluster: join(dir, 'cluster.yaml'), pod: join(dir, 'pod.yaml'), config: join(dir, 'config.yaml') };
  const counts = { explained: 0, refused: 0 };
  for (let i = 0; i < ITERATIONS; i++) {
    const texts = { cluster, pod, config };
    const which = pick(rng, ['cluster', 'pod', 'config'] as const);
    const applied: string[] = [];
    for (let n = rng() < 0.6 ? 1 : 2; n > 0; n--) {
      const m = pick(rng, MUTATIONS);
      texts[which] = m.apply(texts[which], rng);
      applied.push(m.name);
    }
    for (const k of ['cluster', 'pod', 'config'] as const) writeFileSync(files[k], texts[k]);
    try {
      await explainFiles({ ...files, scoreAllNodes: rng() < 0.5 });
      counts.explained++;
    } catch (e) {
      if (e instanceof InputError) {
        counts.refused++;
        continue;
      }
      const saved = join(tempDir('ksim-fuzz-'), `${which}.yaml`);
      writeFileSync(saved, texts[which]);
      assert.fail(`iteration ${i} (${which}; ${applied.join(', ')}): not an InputError: ${(e as Error).stack ?? String(e)}\nmutated ${which} saved to ${saved}`);
    }
  }
  if (ITERATIONS >= 100) {
    assert.ok(counts.explained > 0 && counts.refused > 0, JSON.stringify(counts));
  }
  t.diagnostic(`outcomes: ${JSON.stringify(counts)}`);
});
