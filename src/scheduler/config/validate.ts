// Building every profile once against an empty cluster, before a run starts, so that plugin
// names, extension points and plugin args are checked with the position of the offending field.
import { InputError } from '../../api/input-error.js';
import { ClusterState } from '../../cluster/cluster-state.js';
import { parseRelativePath, type Path } from '../../api/yaml-source.js';
import { checkProfileConfig, describeShape as describe, Framework, ProfileError, type ProfileConfig } from '../framework/framework.js';
import { implementsMethod, type PluginFactory, type ScorePlugin } from '../framework/interfaces.js';
import { queueSortOf, type ProfileSource, type SchedulerConfig } from './kube-scheduler-configuration.js';

/**
 * Checks a configuration's profiles and builds each once. A profile read from a file (its
 * source names it) was checked field by field as it was read, and a Framework's errors are
 * located at its lines; one made in code (a hand-made Scenario's, or one put into a file's
 * Scenario in its place or beside it) is checked as runScenario's opts.profiles are, named
 * `file` and scheduler.profiles[i]. Appends warnings (a weight that does nothing).
 */
export function validateSchedulerConfig(config: SchedulerConfig, registry: ReadonlyMap<string, PluginFactory>, file = 'scenario', warnings: string[] = []): void {
  // A source describes the very profile the reader made from it: not one put in its place.
  const sourceOf = (profile: unknown, i: number): ProfileSource | null => {
    const s = config.sources[i];
    return s !== null && s !== undefined && s.profile === profile ? s : null;
  };
  checkProfiles(config.profiles, registry, { file, path: 'scheduler.profiles' }, sourceOf, warnings);
}

/**
 * Checks the profiles a library caller passes in RunOptions.profiles as the configuration reader
 * checks a file's: a non-empty list, well-formed, distinct scheduler names, one queue sort, and
 * every profile buildable (registered plugins at the right extension points, valid args). Bad
 * ones are InputErrors naming `opts.profiles[i]` and the field. Appends warnings.
 */
export function validateProfiles(profiles: unknown, registry: ReadonlyMap<string, PluginFactory>, warnings: string[] = []): asserts profiles is readonly ProfileConfig[] {
  checkProfiles(profiles, registry, { file: 'runScenario', path: 'opts.profiles' }, () => null, warnings);
}

/** The one check of a list of profiles, wherever they come from: `at` names the list in errors
 * about profiles without a source. */
function checkProfiles(
  profiles: unknown,
  registry: ReadonlyMap<string, PluginFactory>,
  at: { readonly file: string; readonly path: string },
  sourceOf: (profile: unknown, i: number) => ProfileSource | null,
  warnings: string[],
): asserts profiles is readonly ProfileConfig[] {
  checkProfileList(profiles, at.file, at.path);
  profiles.forEach((profile, i) => {
    const source = sourceOf(profile, i);
    let fwk: Framework;
    try {
      fwk = new Framework(profile, registry, { cluster: new ClusterState(), bindPod: () => {}, deletePod: () => {} });
    } catch (e) {
      if (!(e instanceof ProfileError)) throw e;
      if (source !== null) throw locate(e, source);
      throw new InputError(at.file, 0, 0, `${at.path}[${i}].${e.path}`, e.expected, e.got);
    }
    warnings.push(...unusedWeights(profile, fwk, source, `${at.file}: ${at.path}[${i}]`));
  });
}

/**
 * A multiPoint weight on a plugin with no Score extension does nothing: upstream
 * framework/runtime/framework.go getScoreWeights skips every plugin that does not implement
 * ScorePlugin, silently (no validation refuses it). Warned at the weight. (A weight at another
 * extension point than score or multiPoint is warned as the file is read.)
 */
function unusedWeights(profile: ProfileConfig, fwk: Framework, source: ProfileSource | null, where: string): string[] {
  const out: string[] = [];
  profile.plugins.forEach((r, i) => {
    if (r.weight === 0) return;
    const p = fwk.plugins.get(r.name);
    if (p === undefined || implementsMethod<ScorePlugin>(p, 'score')) return;
    const message = `weight ${r.weight} does nothing: ${r.name} has no Score extension: kube-scheduler reads the weights of Score plugins only (framework.go getScoreWeights)`;
    if (source === null) {
      out.push(`${where}.plugins[${i}].weight: ${message}`);
      return;
    }
    // The merged list's index is not the file's: find the user's entry by name.
    const written = source.doc.doc.getIn([...source.path, 'plugins', 'multiPoint', 'enabled']) as { toJSON?: () => unknown } | undefined;
    const list = (written?.toJSON?.() ?? []) as { name?: unknown }[];
    const j = Array.isArray(list) ? list.findIndex((e) => e?.name === r.name) : -1;
    const path: Path = j >= 0 ? [...source.path, 'plugins', 'multiPoint', 'enabled', j, 'weight'] : source.path;
    out.push(source.doc.warning(path, message));
  });
  return out;
}

/** The list of profiles made in code (`file` and `path` name it in errors): a non-empty list of
 * well-formed profiles (checkProfileConfig, which every Framework applies too) with distinct
 * names and one queue sort. */
function checkProfileList(profiles: unknown, file: string, path: string): asserts profiles is readonly ProfileConfig[] {
  const fail = (where: string, expected: string, got?: string) => new InputError(file, 0, 0, `${path}${where}`, expected, got);
  if (!Array.isArray(profiles)) throw fail('', 'a list of profiles (ProfileConfig)', describe(profiles));
  if (profiles.length === 0) throw fail('', 'at least one profile (kube-scheduler needs one)', 'an empty list');
  const names = new Map<string, number>();
  (profiles as unknown[]).forEach((p, i) => {
    try {
      checkProfileConfig(p);
    } catch (e) {
      if (!(e instanceof ProfileError)) throw e;
      throw fail(`[${i}]${e.path === '' ? '' : `.${e.path}`}`, e.expected, e.got);
    }
    const name = p.schedulerName;
    if (names.has(name)) throw fail(`[${i}].schedulerName`, `a scheduler name not used by ${path}[${names.get(name)}]`, describe(name));
    names.set(name, i);
  });
  // Upstream: one queue serves every profile, so they must sort it the same way.
  const sorts = (profiles as ProfileConfig[]).map(queueSortOf);
  sorts.forEach((s, i) => {
    if (s !== sorts[0]) throw fail(`[${i}]`, `the same queueSort plugin as ${path}[0] (${sorts[0] ?? 'none'})`, s ?? 'none');
  });
}

/** Points a ProfileError at the user's own words: the plugin's entry in the profile, or its args. */
function locate(e: ProfileError, source: ProfileSource): InputError {
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
