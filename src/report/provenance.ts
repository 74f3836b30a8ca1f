// "What was run", shown under the report's title: the scenario file and name, the seed(s), the
// --set and --matrix overrides, the ksim version, and for a capacity search its pool, targets and
// tolerated failure — read from the run.json (ksim run, ksim capacity) or sweep.json (ksim sweep)
// ksim writes beside the CSVs. The scenario file is named by its base name only: the page holds
// no path of the machine that made it (README, `ksim report`). A folder without that file (made
// by the library, or by hand) says so instead of guessing.
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { InputError } from '../api/input-error.js';
import { isObject } from '../api/values.js';

/** Label and value pairs, in the order shown. */
export type About = readonly (readonly [string, string])[];

/** The JSON object of dir/file, or null when there is no such file; unreadable: InputError. */
export function readJsonObject(dir: string, file: string, what: string): Record<string, unknown> | null {
  const path = join(dir, file);
  if (!existsSync(path)) return null;
  let v: unknown;
  try {
    v = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new InputError(path, 0, 0, '', what, `unreadable JSON (${(e as Error).message})`);
  }
  if (!isObject(v)) throw new InputError(path, 0, 0, '', what, 'not a JSON object');
  return v;
}

/** Seeds as ranges: [1, 2, 3, 7] → "1–3, 7". */
export function seedsText(seeds: readonly number[]): string {
  const sorted = [...new Set(seeds)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && (sorted[j + 1] as number) === (sorted[j] as number) + 1) j++;
    parts.push(j === i ? String(sorted[i]) : `${sorted[i]}–${sorted[j]}`);
    i = j + 1;
  }
  return `${parts.join(', ')}${sorted.length > 1 ? ` (${sorted.length} seeds)` : ''}`;
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const strings = (v: unknown): string[] | null => (Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : null);
const numbers = (v: unknown): number[] | null => (Array.isArray(v) && v.every((x) => typeof x === 'number') ? (v as number[]) : null);

/** "zone-outage.yaml (zone-outage, sha256 d2354ccdac8f…)" from run.json's or sweep.json's
 * scenario object; a capacity run.json's scenario is its path only. */
function scenarioText(v: unknown): string | null {
  if (typeof v === 'string') return basename(v);
  if (!isObject(v)) return null;
  const path = str(v['path']);
  const name = str(v['name']);
  const sha = str(v['sha256']);
  const extra = [name, sha === null ? null : `sha256 ${sha.slice(0, 12)}…`].filter((x): x is string => x !== null);
  return `${path === null ? name ?? '?' : basename(path)}${extra.length > 0 ? ` (${extra.join(', ')})` : ''}`;
}

function setItems(set: string[] | null): [string, string][] {
  if (set === null) return [];
  return set.length === 0 ? [['--set', 'none']] : set.map((s) => ['--set', s]);
}

function versionItem(json: Record<string, unknown> | null, file: string): [string, string] {
  const v = json === null ? null : str(json['ksim_version']);
  return ['ksim', v ?? `not known (no ${file} in the folder)`];
}

/** A run folder: run.json, else the scenario name and seed of summary.csv. */
export function runAbout(dir: string, scenario: string, seed: string): About {
  const json = readJsonObject(dir, 'run.json', 'the JSON object ksim run writes');
  if (json === null) return [['scenario', scenario], ['seed', seed], versionItem(null, 'run.json')];
  const options = isObject(json['options']) ? json['options'] : {};
  return [
    ['scenario', scenarioText(json['scenario']) ?? scenario],
    ['seed', typeof json['seed'] === 'number' ? String(json['seed']) : seed],
    ...setItems(strings(options['set'])),
    versionItem(json, 'run.json'),
  ];
}

/** A sweep folder: sweep.json, else the seeds and matrix columns of sweep.csv. */
export function sweepAbout(dir: string, scenario: string, seeds: readonly string[], matrix: readonly string[]): About {
  const json = readJsonObject(dir, 'sweep.json', 'the JSON object ksim sweep writes');
  if (json === null) {
    const ns = seeds.map(Number);
    return [
      ...(scenario === '' ? [] : [['scenario', scenario] as [string, string]]),
      ['seeds', ns.every(Number.isSafeInteger) ? seedsText(ns) : seeds.join(', ')],
      ...matrix.map((m): [string, string] => ['--matrix', m]),
      versionItem(null, 'sweep.json'),
    ];
  }
  const ns = numbers(json['seeds']);
  const axes = Array.isArray(json['matrix']) ? json['matrix'].filter(isObject) : [];
  const shard = isObject(json['shard']) ? json['shard'] : null;
  return [
    ['scenario', scenarioText(json['scenario']) ?? scenario],
    ['seeds', ns !== null ? seedsText(ns) : seeds.join(', ')],
    ...axes.map((a): [string, string] => ['--matrix', `${str(a['path']) ?? '?'}=${(strings(a['values']) ?? []).join(',')}`]),
    ...setItems(strings(json['set'])),
    ...(shard !== null ? [['shard', `${String(shard['index'])}/${String(shard['count'])} (not merged)`] as [string, string]] : []),
    versionItem(json, 'sweep.json'),
  ];
}

/** A capacity folder: its run.json (already parsed; null without one). */
export function capacityAbout(json: Record<string, unknown> | null): About {
  if (json === null) return [versionItem(null, 'run.json')];
  const options = isObject(json['options']) ? json['options'] : {};
  const targets = strings(options['targets']);
  const target = str(options['target']);
  const seeds = numbers(options['seeds']);
  const out: [string, string][] = [];
  const scenario = scenarioText(json['scenario']);
  if (scenario !== null) out.push(['scenario', scenario]);
  if (str(options['pool']) !== null) out.push(['--nodes-for', options['pool'] as string]);
  if (targets !== null) out.push(['--target', targets.join(' and ')]);
  else if (target !== null) out.push(['--target', target]);
  if (str(options['tolerate']) !== null) out.push(['--tolerate', options['tolerate'] as string]);
  if (seeds !== null) out.push(['seeds', seedsText(seeds)]);
  out.push(...setItems(strings(options['set'])), versionItem(json, 'run.json'));
  return out;
}

/** The scenario file's base name of a capacity run.json, for the page's title. */
export function capacityScenarioFile(json: Record<string, unknown> | null): string | null {
  const s = json === null ? null : str(json['scenario']);
  return s === null ? null : basename(s);
}
