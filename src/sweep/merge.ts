// `ksim merge DIR... -o DIR`: joins the shard folders of one sweep into the folder an unsharded
// sweep writes: every run folder (its run.json naming the merged folder), and a sweep.csv
// byte-identical to the unsharded one (rows in run order). Refuses shards of different sweeps, runs missing or given twice.
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { parse } from 'csv-parse/sync';
import { InputError } from '../api/input-error.js';
import { makeFolder } from '../api/output-path.js';
import { toCsv } from '../metrics/csv-output.js';
import type { Row } from '../metrics/collector.js';
import { inputDifference, readInputs, type ScenarioInputs } from '../workload/scenario-inputs.js';
import { planRuns } from './plan.js';
import { checkSweepFolder, SWEEP_CSV, SWEEP_JSON, type SweepManifest } from './sweep.js';

export interface MergeResult {
  readonly runs: number;
  readonly inputs: number;
  readonly manifest: SweepManifest;
}

interface ShardFolder {
  readonly dir: string;
  readonly manifest: SweepManifest;
  readonly inputs: ScenarioInputs;
  readonly header: string[];
  readonly rows: Row[];
}

/** What must agree between shards of one sweep besides their input files (sweep.json without
 * the shard). */
function sweepIdentity(m: SweepManifest): string {
  return JSON.stringify({ ksim: m.ksim_version, scenario: m.scenario.sha256, seeds: m.seeds, matrix: m.matrix, set: m.set, options: m.options, runs: m.runs });
}

function readShard(dir: string): ShardFolder {
  const jsonPath = join(dir, SWEEP_JSON);
  const csvPath = join(dir, SWEEP_CSV);
  if (!existsSync(jsonPath)) throw new InputError(dir, 0, 0, '', `a sweep folder (with ${SWEEP_JSON} and ${SWEEP_CSV}, as ksim sweep writes)`, `no ${SWEEP_JSON}`);
  if (!existsSync(csvPath)) throw new InputError(dir, 0, 0, '', `a finished sweep (with ${SWEEP_CSV}): run its ksim sweep command again to finish it`, `no ${SWEEP_CSV}`);
  let manifest: SweepManifest;
  try {
    manifest = JSON.parse(readFileSync(jsonPath, 'utf8')) as SweepManifest;
  } catch (e) {
    throw new InputError(jsonPath, 0, 0, '', 'JSON as ksim sweep writes it', (e as Error).message);
  }
  // A shard without its inputs' record (written before ksim recorded them) cannot be shown to
  // come from the same files as the others.
  const inputs = readInputs(manifest as unknown as Record<string, unknown>);
  if (inputs === null) {
    throw new InputError(jsonPath, 0, 0, 'inputs', 'the SHA-256 of every input file (as ksim sweep now records them), to check that the shards were made from the same files', `none (an older sweep folder: run its ksim sweep command again, which runs its runs again)`);
  }
  let records: string[][];
  try {
    records = parse(readFileSync(csvPath, 'utf8'), { relax_column_count: false }) as string[][];
  } catch (e) {
    throw new InputError(csvPath, 0, 0, '', 'CSV as ksim sweep writes it', (e as Error).message.split('\n')[0]);
  }
  const [header = [], ...body] = records;
  const rows = body.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? ''])));
  return { dir, manifest, inputs, header, rows };
}

/** How two shards' scenarios differ (another file, or the same path with other content), or
 * null when they are the same. */
function scenarioDifference(a: { dir: string; manifest: SweepManifest }, b: { dir: string; manifest: SweepManifest }): string | null {
  const x = a.manifest.scenario;
  const y = b.manifest.scenario;
  if (x.path !== y.path) return `the scenario ${y.path} (${x.path} in ${a.dir})`;
  if (x.sha256 !== y.sha256) return `the scenario ${y.path} with other content (SHA-256 ${x.sha256.slice(0, 12)}… in ${a.dir}, ${y.sha256.slice(0, 12)}… in ${b.dir})`;
  return null;
}

export function mergeSweeps(inputs: readonly string[], output: string): MergeResult {
  if (inputs.length === 0) throw new InputError('ksim merge', 0, 0, '', 'one or more shard folders');
  const shards = inputs.map(readShard);
  const first = shards[0]!;
  for (const s of shards.slice(1)) {
    if (s.inputs.sha256 !== first.inputs.sha256) {
      // The scenario first: shards of two scenarios differ there before any file they read.
      const diff = scenarioDifference(first, s) ?? inputDifference(first.inputs.files, s.inputs.files, first.dir, s.dir) ?? 'a different inputs_sha256 for the same files';
      throw new InputError(s.dir, 0, 0, SWEEP_JSON, `a shard made from the same input files as ${first.dir} (the scenario and every file it reads, by SHA-256)`, diff);
    }
    if (sweepIdentity(s.manifest) !== sweepIdentity(first.manifest)) {
      throw new InputError(s.dir, 0, 0, SWEEP_JSON, `a shard of the same sweep as ${first.dir} (same ksim version, scenario SHA-256, seeds, matrix, --set and options)`, 'a different sweep');
    }
    if (s.header.join(',') !== first.header.join(',')) throw new InputError(join(s.dir, SWEEP_CSV), 1, 1, '', `the header of ${join(first.dir, SWEEP_CSV)}`, s.header.join(','));
  }
  const plan = planRuns(first.manifest.seeds, first.manifest.matrix, first.manifest.set);
  const found = new Map<string, { row: Row; dir: string }>();
  for (const s of shards) {
    for (const [i, row] of s.rows.entries()) {
      const id = row['run_id'] as string;
      const prev = found.get(id);
      if (prev !== undefined) throw new InputError(join(s.dir, SWEEP_CSV), i + 2, 1, 'run_id', `each run in one shard only`, `${id}, also in ${prev.dir}`);
      found.set(id, { row, dir: s.dir });
    }
  }
  const missing = plan.filter((r) => !found.has(r.id)).map((r) => r.id);
  if (missing.length > 0) {
    throw new InputError('ksim merge', 0, 0, '', `every run of the sweep (${plan.length}) in the shards given`, `${missing.length} missing: ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', ...' : ''}`);
  }
  const extra = [...found.keys()].filter((id) => !plan.some((r) => r.id === id));
  if (extra.length > 0) throw new InputError('ksim merge', 0, 0, '', 'only runs of the sweep', `unknown run ids ${extra.slice(0, 5).join(', ')}`);

  // Built in a temporary sibling folder, swapped in at the end (nothing half-merged is left).
  checkSweepFolder(output);
  const abs = resolve(output);
  makeFolder(dirname(abs), output);
  const tmp = join(dirname(abs), `${basename(abs)}.ksim-tmp-${process.pid}`);
  const old = join(dirname(abs), `${basename(abs)}.ksim-old-${process.pid}`);
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp);
  try {
    for (const r of plan) {
      const src = join(found.get(r.id)!.dir, r.id);
      if (!existsSync(src)) continue;
      cpSync(src, join(tmp, r.id), { recursive: true });
      relocateRunJson(join(tmp, r.id, 'run.json'), join(output, r.id));
    }
    const manifest: SweepManifest = { ...first.manifest, shard: null };
    writeFileSync(join(tmp, SWEEP_JSON), `${JSON.stringify(manifest, null, 2)}\n`);
    writeFileSync(join(tmp, SWEEP_CSV), toCsv({ file: SWEEP_CSV, columns: first.header, rows: plan.map((r) => found.get(r.id)!.row) }));
    if (existsSync(abs)) renameSync(abs, old);
    renameSync(tmp, abs);
    return { runs: plan.length, inputs: shards.length, manifest };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
    rmSync(old, { recursive: true, force: true });
  }
}

/** A copied run's run.json naming the folder it now lives in (`dir`, as an unsharded sweep to
 * the merge's -o names it), not the shard's: options.output is the one field that differs. */
function relocateRunJson(path: string, dir: string): void {
  let json: { options?: { output?: unknown } };
  try {
    json = JSON.parse(readFileSync(path, 'utf8')) as typeof json;
  } catch {
    return; // none (a run that failed before writing it) or not ksim's: copied as it was
  }
  if (typeof json.options?.output !== 'string' || json.options.output === dir) return;
  json.options.output = dir;
  // As run-folder.ts writes it, so the file is byte-identical to the unsharded sweep's.
  writeFileSync(path, `${JSON.stringify(json, null, 2)}\n`);
}

/** The run folders of a sweep folder (for tests and reports). */
export function runFolders(dir: string): string[] {
  return readdirSync(dir).filter((e) => /^r\d+$/.test(e)).sort();
}
