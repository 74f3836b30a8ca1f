// Reads a KubeSchedulerConfiguration (kubescheduler.config.k8s.io/v1) — the same file a real
// kube-scheduler accepts — into ksim's profiles. Defaults from
// pkg/scheduler/apis/config/v1/defaults.go; checks from apis/config/validation/validation.go.
// Every error names the file, line, field path and what was expected.
import { US_PER_S } from '../../engine/time.js';
import { closest } from '../../api/suggest.js';
import type { Path, YamlDoc } from '../../api/yaml-source.js';
import { argsTypeProblem, EXTENSION_POINTS, isPercentageOfNodesToScore, isPluginWeight, MAX_WEIGHT, MIN_WEIGHT, type PluginRef, type PluginSet, type ProfileConfig } from '../framework/framework.js';
import { DEFAULT_MULTIPOINT, NO_OP_PLUGINS, OUT_OF_SCOPE_PLUGINS, REMOVED_PLUGINS } from './default-plugins.js';
import { ALL_POINTS, mergePlugins, type PluginsConfig, type PointOrMulti } from './merge.js';
import { canonicalJson, describeValue as describe, isObject as isObj } from '../../api/values.js';

export const API_VERSION = 'kubescheduler.config.k8s.io/v1';
export const DEFAULT_SCHEDULER_NAME = 'default-scheduler';

export interface SchedulerConfig {
  readonly profiles: readonly ProfileConfig[];
  readonly podInitialBackoffUs: number;
  readonly podMaxBackoffUs: number;
  /** Where each profile was read from (parallel to profiles), to locate errors found when the
   * profile's plugins are built; null for the built-in default. */
  readonly sources: readonly (ProfileSource | null)[];
}

export interface ProfileSource {
  /** The profile read from there: a source says nothing of another profile put in its place. */
  readonly profile: ProfileConfig;
  readonly doc: YamlDoc;
  /** Path of the profile inside the document, e.g. ['scheduler', 'config', 'profiles', 0]. */
  readonly path: Path;
  /** pluginConfig index of each plugin name, to point at its args. */
  readonly pluginConfigIndex: ReadonlyMap<string, number>;
}

const TOP_FIELDS = [
  'apiVersion', 'kind', 'parallelism', 'leaderElection', 'clientConnection', 'healthzBindAddress', 'metricsBindAddress',
  'enableProfiling', 'enableContentionProfiling', 'percentageOfNodesToScore', 'podInitialBackoffSeconds',
  'podMaxBackoffSeconds', 'profiles', 'extenders', 'delayCacheUntilActive',
];
const PROFILE_FIELDS = ['schedulerName', 'percentageOfNodesToScore', 'plugins', 'pluginConfig'];

type Obj = Record<string, unknown>;



export function defaultProfileConfig(schedulerName = DEFAULT_SCHEDULER_NAME): ProfileConfig {
  const merged = mergePlugins({ multiPoint: { enabled: DEFAULT_MULTIPOINT, disabled: [] } }, undefined);
  return toProfile(schedulerName, merged, new Map(), 0);
}

export function defaultSchedulerConfig(): SchedulerConfig {
  return { profiles: [defaultProfileConfig()], podInitialBackoffUs: 1 * US_PER_S, podMaxBackoffUs: 10 * US_PER_S, sources: [null] };
}

function toProfile(name: string, plugins: PluginsConfig, args: Map<string, unknown>, pct: number): ProfileConfig {
  const points: Partial<Record<(typeof EXTENSION_POINTS)[number], PluginSet>> = {};
  for (const pt of EXTENSION_POINTS) if (plugins[pt] !== undefined) points[pt] = plugins[pt];
  return { schedulerName: name, plugins: plugins.multiPoint?.enabled ?? [], points, pluginArgs: args, percentageOfNodesToScore: pct };
}

/** Reads the configuration found at `path` in `doc` (raw is its JS value); appends warnings. */
export function readSchedulerConfiguration(doc: YamlDoc, path: Path, raw: unknown, warnings: string[]): SchedulerConfig {
  if (!isObj(raw)) throw doc.error(path, 'a KubeSchedulerConfiguration mapping', describe(raw));
  const version = readApiVersion(doc, path, raw['apiVersion'], warnings);
  if (raw['kind'] !== 'KubeSchedulerConfiguration') throw doc.error([...path, 'kind'], '"KubeSchedulerConfiguration"', describe(raw['kind']));
  checkFields(doc, path, raw, TOP_FIELDS);
  if (raw['extenders'] !== undefined && (!Array.isArray(raw['extenders']) || raw['extenders'].length > 0)) {
    throw doc.error([...path, 'extenders'], 'no extenders (ksim does not model scheduler extenders)');
  }
  const parallelism = raw['parallelism'];
  if (parallelism !== undefined && !(Number.isInteger(parallelism) && (parallelism as number) > 0)) {
    throw doc.error([...path, 'parallelism'], 'an integer greater than zero', describe(parallelism));
  }
  const globalPct = readPercentage(doc, [...path, 'percentageOfNodesToScore'], raw['percentageOfNodesToScore']) ?? 0;
  const initial = readSeconds(doc, [...path, 'podInitialBackoffSeconds'], raw['podInitialBackoffSeconds'], 1);
  const max = readSeconds(doc, [...path, 'podMaxBackoffSeconds'], raw['podMaxBackoffSeconds'], 10);
  if (max < initial) throw doc.error([...path, 'podMaxBackoffSeconds'], `a value >= podInitialBackoffSeconds (${initial})`, String(max));

  // Upstream SetDefaults_KubeSchedulerConfiguration (pkg/scheduler/apis/config/v1/defaults.go):
  // no profiles (absent, null or []) is one empty profile, defaulted below.
  const given = raw['profiles'] ?? [];
  if (!Array.isArray(given)) throw doc.error([...path, 'profiles'], 'a list of profiles', describe(given));
  const rawProfiles: unknown[] = given.length === 0 ? [{}] : given;
  const profiles: ProfileConfig[] = [];
  const sources: ProfileSource[] = [];
  /** Plugins accepted as no-ops, with where each was first named (for the one warning). */
  const noOps = new Map<string, Path>();
  const names = new Map<string, number>();
  /** Per profile: its queueSort as written (defaulting adds nothing there: v1's defaults are all
   * multiPoint), and its pluginConfig args as written, for the common-queue-sort checks. */
  const queueSorts: (PluginSet | undefined)[] = [];
  const writtenArgs: ReadonlyMap<string, unknown>[] = [];
  const configIndexes: ReadonlyMap<string, number>[] = [];
  rawProfiles.forEach((rp, i) => {
    const pp = [...path, 'profiles', i];
    if (!isObj(rp)) throw doc.error(pp, 'a profile mapping', describe(rp));
    checkFields(doc, pp, rp, PROFILE_FIELDS);
    // defaults.go names only a single profile (default-scheduler); with several, one without a
    // name fails validation (validation.go validateKubeSchedulerProfile: Required schedulerName).
    const absent = rp['schedulerName'] === undefined || rp['schedulerName'] === null;
    if (absent && rawProfiles.length > 1) {
      throw doc.error(pp, `a schedulerName (required when there are several profiles: kube-scheduler names only a single profile ${DEFAULT_SCHEDULER_NAME})`, 'none', 'schedulerName');
    }
    const name = absent ? DEFAULT_SCHEDULER_NAME : rp['schedulerName'];
    if (typeof name !== 'string' || name === '') throw doc.error([...pp, 'schedulerName'], 'a non-empty scheduler name', describe(name));
    if (names.has(name)) throw doc.error([...pp, 'schedulerName'], `a scheduler name not used by profiles[${names.get(name)}]`, JSON.stringify(name));
    names.set(name, i);
    const pct = readPercentage(doc, [...pp, 'percentageOfNodesToScore'], rp['percentageOfNodesToScore']) ?? globalPct;
    const custom = readPlugins(doc, [...pp, 'plugins'], rp['plugins'], noOps, warnings);
    const { args, index, written } = readPluginConfig(doc, [...pp, 'pluginConfig'], rp['pluginConfig'], noOps, version);
    queueSorts.push(custom?.queueSort);
    writtenArgs.push(written);
    configIndexes.push(index);
    const merged = mergePlugins({ multiPoint: { enabled: DEFAULT_MULTIPOINT, disabled: [] } }, custom);
    unusedPluginConfig(doc, [...pp, 'pluginConfig'], index, merged, noOps, warnings);
    const profile = toProfile(name, merged, args, pct);
    profiles.push(profile);
    sources.push({ profile, doc, path: pp, pluginConfigIndex: index });
  });
  checkCommonQueueSort(doc, [...path, 'profiles'], queueSorts, writtenArgs, configIndexes);
  // Upstream profile.NewMap (pkg/scheduler/profile/profile.go cfgValidator): one queue serves
  // every profile, so the queue sort plugin each profile ends up with, and its args, must agree.
  const sorts = profiles.map(queueSortOf);
  sorts.forEach((s, i) => {
    if (s !== sorts[0]) throw doc.error([...path, 'profiles', i, 'plugins', 'queueSort'], `the same queueSort plugin as profiles[0] (${sorts[0] ?? 'none'})`, s ?? 'none');
    if (i === 0 || s === undefined) return;
    const first = canonicalArgs(writtenArgs[0]?.get(s));
    const here = canonicalArgs(writtenArgs[i]?.get(s));
    if (here === first) return;
    const j = configIndexes[i]?.get(s);
    const at = j === undefined ? [...path, 'profiles', i] : [...path, 'profiles', i, 'pluginConfig', j, 'args'];
    throw doc.error(at, `the args profiles[0] gives its queue sort plugin ${s} (${first === undefined ? 'none' : first}): kube-scheduler refuses different queue sort plugin args for two profiles`, here === undefined ? 'none' : here);
  });
  if (noOps.size > 0) {
    const first = [...noOps.values()][0] as Path;
    warnings.push(doc.warning(first, `${[...noOps.keys()].sort().join(', ')}: accepted as no-ops (ksim does not simulate volumes or dynamic resources; pods schedule as if every volume and device were reachable)`));
  }
  return { profiles, podInitialBackoffUs: initial * US_PER_S, podMaxBackoffUs: max * US_PER_S, sources };
}

const NO_PLUGINS: PluginSet = { enabled: [], disabled: [] };

/**
 * Upstream validateCommonQueueSort (pkg/scheduler/apis/config/validation/validation.go): every
 * profile's queueSort plugin set, after defaulting, must equal profiles[0]'s
 * (Semantic.DeepEqual of the enabled and disabled lists, in order, weights included), and a
 * profile's pluginConfig for the plugin profiles[0] enables at queueSort must carry the same
 * args. v1 defaults only multiPoint, so a queueSort set after defaulting is the one written:
 * naming PrioritySort at queueSort in one profile and not in another is refused, although both
 * would sort by it.
 */
function checkCommonQueueSort(doc: YamlDoc, path: Path, sets: readonly (PluginSet | undefined)[], args: readonly ReadonlyMap<string, unknown>[], indexes: readonly ReadonlyMap<string, number>[]): void {
  const canon = sets[0] ?? NO_PLUGINS;
  const name = canon.enabled[0]?.name;
  for (let i = 1; i < sets.length; i++) {
    const curr = sets[i] ?? NO_PLUGINS;
    if (!samePluginSet(canon, curr)) {
      throw doc.error(
        [...path, i, 'plugins', 'queueSort'],
        `queueSort written as profiles[0] writes it (${describeSet(canon)}): kube-scheduler compares the lists as written, not the plugin they leave, so repeat them in every profile or leave queueSort out of all ("must be the same for all profiles")`,
        describeSet(curr),
      );
    }
    const j = name === undefined ? undefined : indexes[i]?.get(name);
    if (name === undefined || j === undefined) continue;
    const first = canonicalArgs(args[0]?.get(name));
    const here = canonicalArgs(args[i]?.get(name));
    if (here !== first) {
      throw doc.error([...path, i, 'pluginConfig', j, 'args'], `the args profiles[0] gives ${name} (${first ?? 'none'}): "queueSort must be the same for all profiles"`, here ?? 'none');
    }
  }
}

function samePluginSet(a: PluginSet, b: PluginSet): boolean {
  return (
    a.enabled.length === b.enabled.length &&
    a.disabled.length === b.disabled.length &&
    a.enabled.every((r, k) => r.name === b.enabled[k]?.name && r.weight === b.enabled[k]?.weight) &&
    a.disabled.every((d, k) => d === b.disabled[k])
  );
}

function describeSet(s: PluginSet): string {
  const parts: string[] = [];
  if (s.enabled.length > 0) parts.push(`enabled: [${s.enabled.map((r) => (r.weight === 0 ? r.name : `${r.name} weight ${r.weight}`)).join(', ')}]`);
  if (s.disabled.length > 0) parts.push(`disabled: [${s.disabled.join(', ')}]`);
  return parts.length === 0 ? 'none' : parts.join(', ');
}

/** Plugin args as compared between profiles (key order aside); undefined when absent or null,
 * as upstream's decoding leaves no args for both. */
function canonicalArgs(v: unknown): string | undefined {
  return v === undefined || v === null ? undefined : canonicalJson(v);
}

/** Older config versions: when Kubernetes removed them (KEP-785), and what moving to v1 changes. */
const REMOVED_VERSIONS: Record<string, string> = {
  'kubescheduler.config.k8s.io/v1beta2': 'v1beta2 was removed in Kubernetes v1.28; in v1 the default score weights are TaintToleration 3, NodeAffinity 2, InterPodAffinity 2 (v1beta2: 1) and the SelectorSpread plugin is gone',
  'kubescheduler.config.k8s.io/v1beta1': 'v1beta1 was removed in Kubernetes v1.23; in v1 plugins are enabled through multiPoint, the default score weights changed and SelectorSpread is gone',
};
const V1BETA3 = 'kubescheduler.config.k8s.io/v1beta3';

/** v1, or v1beta3 (read as v1 with a warning: its fields are v1's); older versions are refused
 * with the release that removed them. Returns the version. */
function readApiVersion(doc: YamlDoc, path: Path, v: unknown, warnings: string[]): string {
  if (v === API_VERSION) return v;
  if (v === V1BETA3) {
    warnings.push(doc.warning([...path, 'apiVersion'], `${V1BETA3} was removed in Kubernetes v1.29; read as ${API_VERSION}, whose fields are the same (change the apiVersion)`));
    return v;
  }
  const removed = typeof v === 'string' ? REMOVED_VERSIONS[v] : undefined;
  throw doc.error([...path, 'apiVersion'], removed === undefined ? JSON.stringify(API_VERSION) : `${JSON.stringify(API_VERSION)} (${removed})`, describe(v));
}

/** The QueueSort plugin a profile enables (undefined: none). */
export function queueSortOf(p: ProfileConfig): string | undefined {
  const explicit = p.points?.queueSort;
  if (explicit !== undefined && explicit.enabled.length > 0) return explicit.enabled[0]?.name;
  if (explicit?.disabled.includes('*')) return undefined;
  return p.plugins.find((r) => r.name === 'PrioritySort' && !explicit?.disabled.includes(r.name))?.name;
}

function checkFields(doc: YamlDoc, path: Path, o: Obj, allowed: readonly string[]): void {
  for (const k of Object.keys(o)) {
    if (allowed.includes(k)) continue;
    const near = k.length > 64 ? null : closest(k, allowed);
    throw doc.error(path, `one of the fields ${allowed.join(', ')}`, `unknown field ${JSON.stringify(k)}${near === null ? '' : ` (did you mean ${JSON.stringify(near)}?)`}`, k);
  }
}

function readPercentage(doc: YamlDoc, path: Path, v: unknown): number | null {
  if (v === undefined || v === null) return null;
  if (!isPercentageOfNodesToScore(v)) throw doc.error(path, 'an integer between 0 and 100', describe(v));
  return v;
}

/** Longest backoff ksim's microsecond clock can hold (about 285 years). */
const MAX_SECONDS = Math.floor(Number.MAX_SAFE_INTEGER / US_PER_S);

function readSeconds(doc: YamlDoc, path: Path, v: unknown, dflt: number): number {
  if (v === undefined || v === null) return dflt;
  if (!Number.isInteger(v) || (v as number) <= 0) throw doc.error(path, 'an integer number of seconds greater than zero', describe(v));
  if ((v as number) > MAX_SECONDS) throw doc.error(path, `an integer number of seconds at most ${MAX_SECONDS}`, describe(v));
  return v as number;
}

function readPlugins(doc: YamlDoc, path: Path, v: unknown, noOps: Map<string, Path>, warnings: string[]): PluginsConfig | undefined {
  if (v === undefined || v === null) return undefined;
  if (!isObj(v)) throw doc.error(path, 'a mapping of extension points', describe(v));
  checkFields(doc, path, v, ALL_POINTS);
  const out: PluginsConfig = {};
  for (const pt of ALL_POINTS) {
    const set = v[pt];
    if (set === undefined || set === null) continue;
    out[pt] = readPluginSet(doc, [...path, pt], set, pt, noOps, warnings);
  }
  return out;
}

function readPluginSet(doc: YamlDoc, path: Path, v: unknown, point: PointOrMulti, noOps: Map<string, Path>, warnings: string[]): PluginSet {
  if (!isObj(v)) throw doc.error(path, 'a mapping with enabled and/or disabled', describe(v));
  checkFields(doc, path, v, ['enabled', 'disabled']);
  const enabled: PluginRef[] = [];
  const list = (key: string): unknown[] => {
    const l = v[key] ?? [];
    if (!Array.isArray(l)) throw doc.error([...path, key], 'a list of plugins', describe(l));
    return l;
  };
  list('enabled').forEach((p, i) => {
    const pp = [...path, 'enabled', i];
    if (!isObj(p)) throw doc.error(pp, 'a plugin ({name, weight})', describe(p));
    checkFields(doc, pp, p, ['name', 'weight']);
    if (typeof p['name'] !== 'string' || p['name'] === '') throw doc.error([...pp, 'name'], 'a plugin name', describe(p['name']));
    const removed = REMOVED_PLUGINS.get(p['name']);
    if (removed !== undefined) {
      // As kube-scheduler v1.36, whose registry has no such plugin (NewFramework: "does not exist").
      throw doc.error([...pp, 'name'], `a plugin kube-scheduler v1.36 has (${p['name']} was ${removed}, and ksim accepts NodeVolumeLimits as a no-op like the other volume plugins)`, JSON.stringify(p['name']));
    }
    if (NO_OP_PLUGINS.has(p['name'])) {
      // In the default profile upstream: a written-out config names them. Left out here.
      if (!noOps.has(p['name'])) noOps.set(p['name'], [...pp, 'name']);
      return;
    }
    if (OUT_OF_SCOPE_PLUGINS.has(p['name'])) {
      throw doc.error([...pp, 'name'], 'a plugin ksim models (gang scheduling is out of scope)', JSON.stringify(p['name']));
    }
    // Upstream Plugin.Weight is an *int32 (isPluginWeight); a multiPoint weight on a plugin
    // without Score is warned when the profile is built (validate.ts), as only then is the
    // plugin known.
    const w = p['weight'] ?? 0;
    if (!isPluginWeight(w)) {
      throw doc.error([...pp, 'weight'], `an integer weight from ${MIN_WEIGHT} to ${MAX_WEIGHT} (a 32-bit integer; 0 or none: 1)`, describe(w));
    }
    // getScoreWeights reads weights from score and multiPoint only: elsewhere one does nothing.
    if (w !== 0 && point !== 'score' && point !== 'multiPoint') {
      warnings.push(doc.warning([...pp, 'weight'], `weight ${w} does nothing at ${point}: kube-scheduler reads score weights from score and multiPoint only`));
    }
    enabled.push({ name: p['name'], weight: w as number });
  });
  const disabled = list('disabled').map((p, i) => {
    const pp = [...path, 'disabled', i];
    if (!isObj(p) || typeof p['name'] !== 'string' || p['name'] === '') throw doc.error(pp, 'a plugin ({name}) or {name: "*"}', describe(p));
    return p['name'];
  });
  return { enabled, disabled };
}

/**
 * A pluginConfig entry for a plugin the profile does not enable is ignored, as upstream's
 * NewFramework ignores it (framework/runtime/framework.go: args are looked up only for the
 * plugins the profile enables): a misspelt name (`PreferLabell`) would leave the plugin on its
 * default args, silently. Warned, with the enabled plugin it is probably meant for. Plugins
 * accepted as no-ops have their own warning.
 */
function unusedPluginConfig(doc: YamlDoc, path: Path, index: ReadonlyMap<string, number>, merged: PluginsConfig, noOps: ReadonlyMap<string, Path>, warnings: string[]): void {
  const enabled = new Set<string>();
  for (const pt of ALL_POINTS) for (const r of merged[pt]?.enabled ?? []) enabled.add(r.name);
  for (const [name, i] of index) {
    if (enabled.has(name) || noOps.has(name)) continue;
    const removed = REMOVED_PLUGINS.get(name);
    const near = closest(name, [...enabled].sort());
    const why =
      removed !== undefined
        ? `${name} was ${removed}`
        : `${JSON.stringify(name)} is no plugin this profile enables${near === null ? '' : ` (did you mean ${JSON.stringify(near)}?)`}`;
    warnings.push(doc.warning([...path, i, 'name'], `${why}: its args are unused, as kube-scheduler ignores the pluginConfig of a plugin the profile does not run`));
  }
}

/** Typed args of another type, or of a version kube-scheduler v1.36 does not serve, are refused
 * at their kind or apiVersion (argsTypeProblem, as for profiles made in code). A v1beta3 file,
 * read as v1 with a warning, may write its args in v1beta3 too. */
function checkArgsType(doc: YamlDoc, path: Path, name: string, a: unknown, version: string): void {
  const problem = argsTypeProblem(name, a, version === V1BETA3 ? V1BETA3 : undefined);
  if (problem !== null) throw doc.error([...path, problem.field], problem.expected, problem.got);
}

function readPluginConfig(doc: YamlDoc, path: Path, v: unknown, noOps: Map<string, Path>, version: string): { args: Map<string, unknown>; index: Map<string, number>; written: Map<string, unknown> } {
  const args = new Map<string, unknown>();
  const index = new Map<string, number>();
  /** The args as written (apiVersion and kind included), to compare between profiles. */
  const written = new Map<string, unknown>();
  if (v === undefined || v === null) return { args, index, written };
  if (!Array.isArray(v)) throw doc.error(path, 'a list of {name, args}', describe(v));
  v.forEach((pc, i) => {
    const pp = [...path, i];
    if (!isObj(pc)) throw doc.error(pp, 'a plugin config ({name, args})', describe(pc));
    checkFields(doc, pp, pc, ['name', 'args']);
    const name = pc['name'];
    if (typeof name !== 'string' || name === '') throw doc.error([...pp, 'name'], 'a plugin name', describe(name));
    if (index.has(name)) throw doc.error([...pp, 'name'], `a plugin not configured before (duplicate plugin config for ${name})`, JSON.stringify(name));
    index.set(name, i);
    checkArgsType(doc, [...pp, 'args'], name, pc['args'], version);
    if (OUT_OF_SCOPE_PLUGINS.has(name)) {
      if (!noOps.has(name)) noOps.set(name, [...pp, 'name']);
      return;
    }
    const a = pc['args'];
    written.set(name, a);
    if (a !== undefined && a !== null && !isObj(a)) throw doc.error([...pp, 'args'], 'a mapping of plugin arguments', describe(a));
    // Args carry apiVersion/kind in real files (e.g. NodeResourcesFitArgs); plugins ignore them.
    if (isObj(a)) {
      const { apiVersion: _v, kind: _k, ...rest } = a;
      args.set(name, rest);
    }
  });
  return { args, index, written };
}
