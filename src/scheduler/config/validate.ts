// Building every profile once against an empty cluster, before a run starts, so that plugin
// names, extension points and plugin args are checked with the position of the offending field.
import { InputError } from '../../api/input-error.js';
import { ClusterState } from '../../cluster/cluster-state.js';
import { parseRelativePath } from '../../api/yaml-source.js';
import { EXTENSION_POINTS, Framework, ProfileError, type ProfileConfig } from '../framework/framework.js';
import type { PluginFactory } from '../framework/interfaces.js';
import { queueSortOf, type ProfileSource, type SchedulerConfig } from './kube-scheduler-configuration.js';

/** `file` names a configuration built in code (a hand-made Scenario's) in errors. */
export function validateSchedulerConfig(config: SchedulerConfig, registry: ReadonlyMap<string, PluginFactory>, file = 'scenario'): void {
  // A configuration read from a file is already checked field by field; one built in code
  // (a hand-made Scenario) gets the same checks here.
  if (config.sources.every((s) => s === null || s === undefined)) {
    checkProfileList(config.profiles, file, 'scheduler.profiles');
  }
  config.profiles.forEach((profile, i) => {
    try {
      new Framework(profile, registry, { cluster: new ClusterState(), bindPod: () => {}, deletePod: () => {} });
    } catch (e) {
      if (!(e instanceof ProfileError)) throw e;
      throw locate(e, config.sources[i] ?? null, profile.schedulerName);
    }
  });
}

/**
 * Checks the profiles a library caller passes in RunOptions.profiles as the configuration reader
 * checks a file's: a non-empty list, well-formed, distinct scheduler names, one queue sort, and
 * every profile buildable (registered plugins at the right extension points, valid args). Bad
 * ones are InputErrors naming `opts.profiles[i]` and the field.
 */
export function validateProfiles(profiles: unknown, registry: ReadonlyMap<string, PluginFactory>): asserts profiles is readonly ProfileConfig[] {
  const WHERE = 'runScenario';
  checkProfileList(profiles, WHERE, 'opts.profiles');
  profiles.forEach((profile, i) => {
    try {
      new Framework(profile, registry, { cluster: new ClusterState(), bindPod: () => {}, deletePod: () => {} });
    } catch (e) {
      if (!(e instanceof ProfileError)) throw e;
      throw new InputError(WHERE, 0, 0, `opts.profiles[${i}].${e.path}`, e.expected, e.got);
    }
  });
}

/** The shape of a list of profiles made in code (`file` and `path` name it in errors). */
function checkProfileList(profiles: unknown, file: string, path: string): asserts profiles is readonly ProfileConfig[] {
  const fail = (at: string, expected: string, got?: string) => new InputError(file, 0, 0, `${path}${at}`, expected, got);
  if (!Array.isArray(profiles)) throw fail('', 'a list of profiles (ProfileConfig)', describe(profiles));
  if (profiles.length === 0) throw fail('', 'at least one profile (kube-scheduler needs one)', 'an empty list');
  const names = new Map<string, number>();
  (profiles as unknown[]).forEach((p, i) => {
    if (p === null || typeof p !== 'object' || Array.isArray(p)) throw fail(`[${i}]`, 'a profile (ProfileConfig)', describe(p));
    const o = p as Record<string, unknown>;
    const name = o['schedulerName'];
    if (typeof name !== 'string' || name === '') throw fail(`[${i}].schedulerName`, 'a non-empty scheduler name', describe(name));
    if (names.has(name)) throw fail(`[${i}].schedulerName`, `a scheduler name not used by ${path}[${names.get(name)}]`, describe(name));
    names.set(name, i);
    checkRefs(o['plugins'], `[${i}].plugins`, fail);
    const points = o['points'];
    if (points !== undefined) {
      if (points === null || typeof points !== 'object' || Array.isArray(points)) throw fail(`[${i}].points`, 'a mapping of extension point to { enabled, disabled }', describe(points));
      for (const [pt, set] of Object.entries(points as Record<string, unknown>)) {
        if (!(EXTENSION_POINTS as readonly string[]).includes(pt)) throw fail(`[${i}].points`, `extension points among ${EXTENSION_POINTS.join(', ')}`, JSON.stringify(pt));
        const ps = set as Record<string, unknown> | null;
        if (ps === null || typeof ps !== 'object') throw fail(`[${i}].points.${pt}`, 'a plugin set { enabled, disabled }', describe(set));
        checkRefs(ps['enabled'], `[${i}].points.${pt}.enabled`, fail);
        const disabled = ps['disabled'];
        if (!Array.isArray(disabled) || !disabled.every((d) => typeof d === 'string')) throw fail(`[${i}].points.${pt}.disabled`, 'a list of plugin names', describe(disabled));
      }
    }
    if (!(o['pluginArgs'] instanceof Map)) throw fail(`[${i}].pluginArgs`, 'a Map of plugin name to args', describe(o['pluginArgs']));
    const pct = o['percentageOfNodesToScore'];
    if (!Number.isInteger(pct) || (pct as number) < 0 || (pct as number) > 100) throw fail(`[${i}].percentageOfNodesToScore`, 'an integer between 0 and 100', describe(pct));
  });
  // Upstream: one queue serves every profile, so they must sort it the same way.
  const sorts = (profiles as ProfileConfig[]).map(queueSortOf);
  sorts.forEach((s, i) => {
    if (s !== sorts[0]) throw fail(`[${i}]`, `the same queueSort plugin as ${path}[0] (${sorts[0] ?? 'none'})`, s ?? 'none');
  });
}

function checkRefs(refs: unknown, at: string, fail: (at: string, expected: string, got?: string) => InputError): void {
  if (!Array.isArray(refs)) throw fail(at, 'a list of plugins ({ name, weight })', describe(refs));
  refs.forEach((r: unknown, j) => {
    const o = r as Record<string, unknown> | null;
    if (o === null || typeof o !== 'object' || typeof o['name'] !== 'string') throw fail(`${at}[${j}]`, 'a plugin { name, weight }', describe(r));
    const w = o['weight'];
    // Upstream Plugin.Weight: an int32; 0 means 1, a negative one is used as it is.
    if (!Number.isInteger(w) || (w as number) < -2147483648 || (w as number) > 2147483647) throw fail(`${at}[${j}].weight`, 'an integer from -2147483648 to 2147483647 (0: the default weight, 1)', describe(w));
  });
}

function describe(v: unknown): string {
  if (v === undefined || v === null) return 'nothing';
  if (Array.isArray(v)) return 'a list';
  if (v instanceof Map) return 'a Map';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
  return JSON.stringify(v) ?? String(v);
}

/** Points a ProfileError at the user's own words: the plugin's entry in the profile, or its args. */
function locate(e: ProfileError, source: ProfileSource | null, profileName: string): InputError {
  if (source === null) return new InputError(`profile ${profileName}`, 0, 0, e.path, e.expected, e.got);
  const argsMatch = /^pluginConfig\[([^\]]+)\]\.args(.*)$/.exec(e.path);
  if (argsMatch !== null) {
    const name = argsMatch[1] as string;
    const idx = source.pluginConfigIndex.get(name);
    if (idx !== undefined) {
      return errorAt(source, [...source.path, 'pluginConfig', idx, 'args', ...parseRelativePath(argsMatch[2] ?? '')], e);
    }
    return source.doc.error(source.path, `valid default args for ${name}: ${e.expected}`, e.got);
  }
  const pluginMatch = /^plugins\.(\w+)\.enabled\[\d+\]\.name$/.exec(e.path);
  const name = e.got !== undefined ? /"([^"]+)"/.exec(e.got)?.[1] : undefined;
  if (pluginMatch !== null && name !== undefined) {
    const node = source.doc.doc.getIn([...source.path, 'plugins']) as { toJSON?: () => unknown } | undefined;
    const json = node?.toJSON?.() as Record<string, { enabled?: { name?: string }[] }> | undefined;
    // The error's index counts the merged list (defaults first), not the user's: find the entry
    // by name. A plugin enabled twice is the second entry's fault (the first alone was valid).
    const duplicate = e.expected.startsWith('each plugin once');
    for (const pt of [pluginMatch[1] as string, 'multiPoint']) {
      const list = json?.[pt]?.enabled ?? [];
      const first = list.findIndex((p) => p.name === name);
      if (first < 0) continue;
      const second = duplicate ? list.findIndex((p, k) => k > first && p.name === name) : -1;
      return source.doc.error([...source.path, 'plugins', pt, 'enabled', second >= 0 ? second : first, 'name'], e.expected, e.got);
    }
  }
  return errorAt(source, [...source.path, ...parseRelativePath(e.path)], e);
}

/** The error at `path`; an unknown field's at its key (its value may be lines below). */
function errorAt(source: ProfileSource, path: (string | number)[], e: ProfileError): InputError {
  const key = path[path.length - 1];
  if (e.got?.startsWith('unknown field ') === true && typeof key === 'string') return source.doc.error(path.slice(0, -1), e.expected, e.got, key);
  return source.doc.error(path, e.expected, e.got);
}
