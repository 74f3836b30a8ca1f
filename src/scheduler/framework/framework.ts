// One scheduling profile: its plugins instantiated once and slotted into the extension points
// its configuration names (upstream framework/runtime/framework.go).
import type { NodeInfo } from '../../cluster/node-info.js';
import type { PodInfo } from '../../cluster/pod-info.js';
import { CycleState } from './cycle-state.js';
import {
  implementsMethod,
  type BindPlugin,
  type FilterPlugin,
  type FrameworkHandle,
  type SchedulerServices,
  type Plugin,
  type PluginFactory,
  type PermitPlugin,
  type PostBindPlugin,
  type PreBindPlugin,
  type PostFilterPlugin,
  type PreEnqueuePlugin,
  type PreFilterPlugin,
  type PreScorePlugin,
  type QueueSortPlugin,
  type ReservePlugin,
  type SchedulingAudit,
  type ScorePlugin,
} from './interfaces.js';
import { Code, CODE_NAMES, Status, type Verdict } from './status.js';
import { FieldError } from '../../api/field-error.js';
import { closest } from '../../api/suggest.js';

function joinPath(a: string, b: string): string {
  if (b === '') return a;
  return b.startsWith('[') ? `${a}${b}` : `${a}.${b}`;
}

export interface PluginRef {
  readonly name: string;
  /** Score weight; 0 means the default (1), a negative one is used as it is (upstream int32). Ignored for plugins without Score. */
  readonly weight: number;
}

/** Enabled and disabled plugins of one extension point (after merging with the defaults). */
export interface PluginSet {
  readonly enabled: readonly PluginRef[];
  /** Names; "*" disables every default (and multiPoint) plugin at this point. */
  readonly disabled: readonly string[];
}

/** Extension points in upstream order, as named in KubeSchedulerConfiguration. */
export const EXTENSION_POINTS = [
  'preEnqueue', 'queueSort', 'preFilter', 'filter', 'postFilter', 'preScore', 'score',
  'reserve', 'permit', 'preBind', 'bind', 'postBind',
] as const;
export type ExtensionPoint = (typeof EXTENSION_POINTS)[number];

/** The method that marks a plugin as implementing each extension point. */
const POINT_METHOD: Record<ExtensionPoint, string> = {
  preEnqueue: 'preEnqueue', queueSort: 'less', preFilter: 'preFilter', filter: 'filter', postFilter: 'postFilter',
  preScore: 'preScore', score: 'score', reserve: 'reserve', permit: 'permit', preBind: 'preBind', bind: 'bind', postBind: 'postBind',
};

/** Upstream's Go interface names, for error messages. */
const POINT_TYPE: Record<ExtensionPoint, string> = {
  preEnqueue: 'PreEnqueuePlugin', queueSort: 'QueueSortPlugin', preFilter: 'PreFilterPlugin', filter: 'FilterPlugin',
  postFilter: 'PostFilterPlugin', preScore: 'PreScorePlugin', score: 'ScorePlugin', reserve: 'ReservePlugin',
  permit: 'PermitPlugin', preBind: 'PreBindPlugin', bind: 'BindPlugin', postBind: 'PostBindPlugin',
};

/** Every method the framework calls on a plugin (interfaces.ts), with its extension point. */
const METHOD_POINT: Readonly<Record<string, string>> = {
  preEnqueue: 'PreEnqueue', less: 'QueueSort', preFilter: 'PreFilter', addPod: 'PreFilter', removePod: 'PreFilter',
  filter: 'Filter', filterNodes: 'Filter', nodeLocalFilterClass: 'Filter', postFilter: 'PostFilter', preScore: 'PreScore',
  scoredNodesIgnored: 'PreScore', score: 'Score', scoreNodes: 'Score', normalizeScore: 'Score', nodeLocalClass: 'Score',
  constantScore: 'Score', reserve: 'Reserve', unreserve: 'Reserve', permit: 'Permit', preBind: 'PreBind', bind: 'Bind',
  postBind: 'PostBind', eventsToRegister: 'EnqueueExtensions',
};

/** Upstream's Go methods that are no method here: what a plugin has instead. */
const GO_ONLY: Readonly<Record<string, string>> = { scoreextensions: 'normalizeScore', prefilterextensions: 'addPod' };

/** The names of a plugin's methods: its own and its prototypes' (a class's), without calling
 * getters; ksim's guard around a module's plugin (an object inheriting from it) included. */
export function pluginMethods(p: Plugin): string[] {
  const out: string[] = [];
  for (let o: object | null = p; o !== null && o !== Object.prototype; o = Object.getPrototypeOf(o) as object | null) {
    for (const k of Object.getOwnPropertyNames(o)) {
      if (k === 'constructor' || out.includes(k)) continue;
      const d = Object.getOwnPropertyDescriptor(o, k);
      if (typeof d?.value === 'function') out.push(k);
    }
  }
  return out;
}

/**
 * The extension-point method `key` looks like a misspelling of, or null: the same name in
 * another case (`Score`, `NormalizeScore`, Go's spelling), two neighbouring letters swapped
 * (`scroe`, `fitler`), or, for a name of six letters or more, one letter after the first added,
 * dropped or changed (`fiter`, `prefiltr`; not `preserve`). A method's name with more after it, or cut short (`scores`,
 * `filterCache`, `scoreNode`), and anything further off is taken for the plugin's own helper.
 */
export function lookalikeMethod(key: string): string | null {
  if (Object.hasOwn(METHOD_POINT, key)) return null;
  const k = key.toLowerCase();
  const go = GO_ONLY[k];
  if (go !== undefined) return go;
  for (const m of Object.keys(METHOD_POINT)) {
    const l = m.toLowerCase();
    if (k === l) return m;
    if (k.startsWith(l) || l.startsWith(k)) continue;
    if (swapped(k, l) || (l.length >= 6 && k[0] === l[0] && oneEdit(k, l))) return m;
  }
  return null;
}

/** Whether a and b differ only by two neighbouring letters swapped. */
function swapped(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return i + 1 < a.length && a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
}

/** Whether a and b differ by exactly one letter added, dropped or changed. */
function oneEdit(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 1 || a === b) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (a.length === b.length) return a.slice(i + 1) === b.slice(i + 1);
  return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

export interface ProfileConfig {
  readonly schedulerName: string;
  /** multiPoint: enabled at every extension point they implement, in order. */
  readonly plugins: readonly PluginRef[];
  /** Per-extension-point sets (upstream's profile.plugins.<point>); absent points are empty. */
  readonly points?: Partial<Record<ExtensionPoint, PluginSet>>;
  /** Plugin name → raw args (pluginConfig). */
  readonly pluginArgs: ReadonlyMap<string, unknown>;
  /** 0 = adaptive (upstream default). */
  readonly percentageOfNodesToScore: number;
}

/** A profile that cannot be built; `path` is relative to the profile (plugins.score.enabled[0]). */
export class ProfileError extends FieldError {}

// The rules a profile obeys whoever made it. The configuration reader applies them to a file's
// fields (to report them at their lines), checkProfileConfig to a ProfileConfig, and every
// Framework checks its profile with checkProfileConfig: one made in code (runScenario's
// opts.profiles, a Scenario changed in code, `new Framework`, fitCopies) meets the same ones.

/** Upstream Plugin.Weight is an *int32 (k8s.io/kube-scheduler/config/v1 types.go) and nothing
 * more is checked: framework/runtime/framework.go getScoreWeights turns 0 into 1 and multiplies
 * the plugin's normalised scores by it, so a negative weight turns its preference around. */
export const MIN_WEIGHT = -2147483648;
export const MAX_WEIGHT = 2147483647;

export function isPluginWeight(w: unknown): w is number {
  return Number.isInteger(w) && (w as number) >= MIN_WEIGHT && (w as number) <= MAX_WEIGHT;
}

/** validation.go validatePercentageOfNodesToScore: "not in valid range [0-100]". */
export function isPercentageOfNodesToScore(v: unknown): v is number {
  return Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 100;
}

/** The plugins whose args kube-scheduler v1.36 decodes as a type of its own, `<name>Args`
 * (k8s.io/kube-scheduler/config/v1 register.go addKnownTypes). */
export const TYPED_ARGS: ReadonlySet<string> = new Set([
  'DefaultPreemption', 'InterPodAffinity', 'NodeResourcesBalancedAllocation', 'NodeResourcesFit',
  'PodTopologySpread', 'VolumeBinding', 'NodeAffinity', 'DynamicResources',
]);

/** The only version v1.36's scheme registers those args types in (pkg/scheduler/apis/config/
 * scheme/scheme.go adds the internal types and v1 alone). */
export const ARGS_API_VERSION = 'kubescheduler.config.k8s.io/v1';

/** Versions kube-scheduler served once, and the release that removed them (KEP-785). */
const REMOVED_ARGS_VERSIONS: Readonly<Record<string, string>> = {
  'kubescheduler.config.k8s.io/v1beta3': 'v1beta3 was removed in Kubernetes v1.29',
  'kubescheduler.config.k8s.io/v1beta2': 'v1beta2 was removed in Kubernetes v1.28',
  'kubescheduler.config.k8s.io/v1beta1': 'v1beta1 was removed in Kubernetes v1.23',
};

/**
 * What is wrong with the type a plugin's args declare, or null. Upstream PluginConfig
 * .decodeNestedObjects (k8s.io/kube-scheduler/config/v1 types.go) decodes the args of a plugin
 * with a registered args type by their own apiVersion and kind (defaulting to
 * kubescheduler.config.k8s.io/v1 and `<name>Args`): a kind of another type is refused ("args
 * for plugin X were not of type XArgs.kubescheduler.config.k8s.io, got YArgs..."), and so is a
 * version the scheme does not register ("no kind ... is registered for version ..."). Other
 * plugins' args are not decoded, so their apiVersion and kind are not looked at. `alsoServed`:
 * one more version to accept (a v1beta3 file, which ksim reads as v1, may write its args so).
 */
export function argsTypeProblem(name: string, args: unknown, alsoServed?: string): { readonly field: 'kind' | 'apiVersion'; readonly expected: string; readonly got: string } | null {
  if (!TYPED_ARGS.has(name) || typeof args !== 'object' || args === null || Array.isArray(args)) return null;
  const a = args as Readonly<Record<string, unknown>>;
  const want = `${name}Args`;
  const kind = a['kind'];
  if (kind !== undefined && kind !== null && kind !== '' && kind !== want) {
    return {
      field: 'kind',
      expected: `${JSON.stringify(want)}, or no kind (kube-scheduler decodes ${name}'s args by their kind and refuses another type: "args for plugin ${name} were not of type ${want}.kubescheduler.config.k8s.io")`,
      got: describeValue(kind),
    };
  }
  const v = a['apiVersion'];
  if (v === undefined || v === null || v === '' || v === ARGS_API_VERSION || (alsoServed !== undefined && v === alsoServed)) return null;
  const removed = typeof v === 'string' ? REMOVED_ARGS_VERSIONS[v] : undefined;
  return {
    field: 'apiVersion',
    expected: `${JSON.stringify(ARGS_API_VERSION)}, or no apiVersion (kube-scheduler v1.36 serves ${want} in ${ARGS_API_VERSION} only and refuses the args otherwise: "no kind \\"${want}\\" is registered for version"${removed === undefined ? '' : `; ${removed}`})`,
    got: describeValue(v),
  };
}

/**
 * Checks a profile's shape and values as the configuration reader checks a file's fields: a
 * scheduler name, plugin lists of { name, weight } with int32 weights, known extension points,
 * pluginArgs a Map whose typed args are of their plugin's type, a percentage in [0, 100].
 * Throws a ProfileError at the field (a path relative to the profile). Which plugins exist and
 * where they may go is the Framework's to check, as it builds them.
 */
export function checkProfileConfig(p: unknown): asserts p is ProfileConfig {
  if (p === null || typeof p !== 'object' || Array.isArray(p)) throw new ProfileError('', 'a profile (ProfileConfig)', describeShape(p));
  const o = p as Record<string, unknown>;
  const name = o['schedulerName'];
  if (typeof name !== 'string' || name === '') throw new ProfileError('schedulerName', 'a non-empty scheduler name', describeShape(name));
  checkRefs(o['plugins'], 'plugins');
  const points = o['points'];
  if (points !== undefined) {
    if (points === null || typeof points !== 'object' || Array.isArray(points)) throw new ProfileError('points', 'a mapping of extension point to { enabled, disabled }', describeShape(points));
    for (const [pt, set] of Object.entries(points as Record<string, unknown>)) {
      if (!(EXTENSION_POINTS as readonly string[]).includes(pt)) throw new ProfileError('points', `extension points among ${EXTENSION_POINTS.join(', ')}`, JSON.stringify(pt));
      if (set === null || typeof set !== 'object' || Array.isArray(set)) throw new ProfileError(`points.${pt}`, 'a plugin set { enabled, disabled }', describeShape(set));
      const ps = set as Record<string, unknown>;
      checkRefs(ps['enabled'], `points.${pt}.enabled`);
      const disabled = ps['disabled'];
      if (!Array.isArray(disabled) || !disabled.every((d) => typeof d === 'string')) throw new ProfileError(`points.${pt}.disabled`, 'a list of plugin names', describeShape(disabled));
    }
  }
  const args = o['pluginArgs'];
  if (!(args instanceof Map)) throw new ProfileError('pluginArgs', 'a Map of plugin name to args', describeShape(args));
  for (const [plugin, a] of args as Map<unknown, unknown>) {
    const problem = typeof plugin === 'string' ? argsTypeProblem(plugin, a) : null;
    // The path the Framework gives args errors (pluginConfig[X].args...), located in a file.
    if (problem !== null) throw new ProfileError(`pluginConfig[${plugin as string}].args.${problem.field}`, problem.expected, problem.got);
  }
  const pct = o['percentageOfNodesToScore'];
  if (!isPercentageOfNodesToScore(pct)) throw new ProfileError('percentageOfNodesToScore', 'an integer between 0 and 100', describeShape(pct));
}

function checkRefs(refs: unknown, at: string): void {
  if (!Array.isArray(refs)) throw new ProfileError(at, 'a list of plugins ({ name, weight })', describeShape(refs));
  refs.forEach((r: unknown, j) => {
    const o = r as Record<string, unknown> | null;
    if (o === null || typeof o !== 'object' || typeof o['name'] !== 'string') throw new ProfileError(`${at}[${j}]`, 'a plugin { name, weight }', describeShape(r));
    if (!isPluginWeight(o['weight'])) throw new ProfileError(`${at}[${j}].weight`, `an integer from ${MIN_WEIGHT} to ${MAX_WEIGHT} (0: the default weight, 1)`, describeShape(o['weight']));
  });
}

/** A value in a shape error: its kind for containers, else itself. */
export function describeShape(v: unknown): string {
  if (v === undefined || v === null) return 'nothing';
  if (Array.isArray(v)) return 'a list';
  if (v instanceof Map) return 'a Map';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
  return JSON.stringify(v) ?? String(v);
}

/** A pod held at Permit (upstream framework.WaitingPod): each plugin that said Wait must allow
 * it before its timeout; any rejection ends the wait. */
export class WaitingPod {
  private readonly pending: Set<string>;
  private done = false;

  constructor(
    readonly pod: PodInfo,
    plugins: readonly string[],
    private readonly finish: (v: Verdict) => void,
  ) {
    this.pending = new Set(plugins);
  }

  /** Plugins still to allow the pod. */
  get pendingPlugins(): string[] {
    return [...this.pending].sort();
  }

  allow(plugin: string): void {
    if (this.done || !this.pending.delete(plugin) || this.pending.size > 0) return;
    this.done = true;
    this.finish(null);
  }

  reject(plugin: string, message: string): void {
    if (this.done) return;
    this.done = true;
    this.finish(new Status(Code.Unschedulable, [message], plugin));
  }
}

export class Framework {
  readonly profileName: string;
  readonly percentageOfNodesToScore: number;
  readonly queueSort: QueueSortPlugin;
  readonly preEnqueue: PreEnqueuePlugin[] = [];
  readonly preFilter: PreFilterPlugin[] = [];
  readonly filter: FilterPlugin[] = [];
  readonly postFilter: PostFilterPlugin[] = [];
  readonly preScore: PreScorePlugin[] = [];
  readonly score: ScorePlugin[] = [];
  readonly scoreWeights: number[] = [];
  /** Per Score plugin, the index of the same plugin in preScore (-1: none), so that a PreScore
   * Skip can be looked up without a set of names per cycle. */
  readonly preScoreOfScore: number[] = [];
  readonly reserve: ReservePlugin[] = [];
  readonly permit: PermitPlugin[] = [];
  readonly preBind: PreBindPlugin[] = [];
  readonly bind: BindPlugin[] = [];
  readonly postBind: PostBindPlugin[] = [];
  /** Every instantiated plugin by name. */
  readonly plugins = new Map<string, Plugin>();
  /** Pods waiting at Permit, by pod key (upstream Handle.GetWaitingPod). */
  readonly waitingPods = new Map<string, WaitingPod>();
  /** Told every plugin's final scores and every plugin Error of a cycle (null: nobody). */
  audit: SchedulingAudit | null = null;

  readonly handle: FrameworkHandle;

  /**
   * Builds the profile as upstream NewFramework does (framework/runtime/framework.go): plugins
   * named at any point are instantiated once with their pluginConfig args; per-point lists come
   * first, then multiPoint plugins are expanded into every point they implement unless disabled
   * there ("*" skips the expansion), with explicitly re-configured plugins keeping their
   * per-point position; score weights come from the score list, then multiPoint (0 means 1).
   */
  constructor(config: ProfileConfig, registry: ReadonlyMap<string, PluginFactory>, services: SchedulerServices) {
    checkProfileConfig(config);
    this.profileName = config.schedulerName;
    this.percentageOfNodesToScore = config.percentageOfNodesToScore;
    const handle: FrameworkHandle = { ...bindServices(services), framework: this };
    this.handle = handle;
    const points = config.points ?? {};

    // Instantiate every plugin any point names, once.
    const needed: string[] = [];
    /** Where each plugin is first named, for errors about the plugin itself. */
    const namedAt = new Map<string, string>();
    const need = (name: string, path: string) => {
      if (this.plugins.has(name) || needed.includes(name)) return;
      namedAt.set(name, path);
      if (!registry.has(name)) {
        const known = [...registry.keys()].sort();
        const near = closest(name, known);
        throw new ProfileError(path, `a registered plugin (${known.join(', ')}; an out-of-tree plugin is loaded with scheduler.pluginModules, or --plugin-module of ksim explain and ksim capacity --cluster)`, `${JSON.stringify(name)}${near === null ? '' : ` (did you mean ${JSON.stringify(near)}?)`}`);
      }
      needed.push(name);
    };
    config.plugins.forEach((r, i) => need(r.name, `plugins.multiPoint.enabled[${i}].name`));
    for (const pt of EXTENSION_POINTS) (points[pt]?.enabled ?? []).forEach((r, i) => need(r.name, `plugins.${pt}.enabled[${i}].name`));
    for (const name of needed) {
      const factory = registry.get(name) as PluginFactory;
      try {
        this.plugins.set(name, factory(config.pluginArgs.get(name), handle));
      } catch (e) {
        if (e instanceof FieldError) throw new ProfileError(joinPath(`pluginConfig[${name}].args`, e.path), e.expected, e.got);
        throw e;
      }
    }

    // A method spelt otherwise than the framework calls it (`Score`, `scroe`, `fitler`: a plugin
    // module's mistake Go would not compile) is never called, so the plugin would silently do
    // less than its author wrote: refused, as a plugin with no extension point's method is below.
    for (const name of needed) {
      const p = this.plugins.get(name) as Plugin;
      const wrong = pluginMethods(p).flatMap((key) => {
        const m = lookalikeMethod(key);
        return m === null ? [] : [{ key, m }];
      });
      if (wrong.length === 0) continue;
      const and = (l: string[]) => (l.length === 1 ? (l[0] as string) : `${l.slice(0, -1).join(', ')} and ${l[l.length - 1]}`);
      // The message's `got` is cut at 120 characters: the plugin and its keys there, what they
      // should be in `expected`.
      throw new ProfileError(
        namedAt.get(name) as string,
        `extension-point methods spelt as the scheduler calls them (${wrong.map((w) => `${w.m}, of ${METHOD_POINT[w.m]}`).join('; ')}): a misspelt one is never called`,
        `plugin ${JSON.stringify(name)} with ${and(wrong.map((w) => JSON.stringify(w.key)))}`,
      );
    }

    // A multiPoint plugin with none of the extension points' methods would do nothing, silently:
    // with a plugin module that is a misspelt method (`Score`), which Go would not compile.
    config.plugins.forEach((r, i) => {
      const p = this.plugins.get(r.name) as Plugin;
      if (EXTENSION_POINTS.some((pt) => implementsMethod(p, POINT_METHOD[pt] as never))) return;
      const own = pluginMethods(p);
      throw new ProfileError(`plugins.multiPoint.enabled[${i}].name`, `a plugin with a method of at least one extension point (${EXTENSION_POINTS.map((pt) => POINT_METHOD[pt]).join(', ')})`, `plugin ${JSON.stringify(r.name)} with none${own.length > 0 ? ` (its methods: ${own.join(', ')})` : ' (it has no methods)'}`);
    });

    const lists = {} as Record<ExtensionPoint, string[]>;
    for (const pt of EXTENSION_POINTS) {
      const set = points[pt];
      const enabled: string[] = [];
      (set?.enabled ?? []).forEach((r, i) => {
        const p = this.plugins.get(r.name) as Plugin;
        if (!implementsMethod(p, POINT_METHOD[pt] as never)) {
          throw new ProfileError(`plugins.${pt}.enabled[${i}].name`, `a plugin that extends ${POINT_TYPE[pt]}`, `plugin ${JSON.stringify(r.name)} does not extend ${POINT_TYPE[pt]}`);
        }
        if (enabled.includes(r.name)) {
          throw new ProfileError(`plugins.${pt}.enabled[${i}].name`, 'each plugin once per extension point', `plugin ${JSON.stringify(r.name)} already registered as ${JSON.stringify(POINT_TYPE[pt])}`);
        }
        enabled.push(r.name);
      });
      const disabled = new Set(set?.disabled ?? []);
      if (disabled.has('*')) {
        lists[pt] = enabled;
        continue;
      }
      const overrides = new Set<string>();
      const multi: string[] = [];
      config.plugins.forEach((r, i) => {
        const p = this.plugins.get(r.name) as Plugin;
        if (!implementsMethod(p, POINT_METHOD[pt] as never) || disabled.has(r.name)) return;
        if (enabled.includes(r.name)) {
          overrides.add(r.name);
          return;
        }
        if (multi.includes(r.name)) {
          throw new ProfileError(`plugins.multiPoint.enabled[${i}].name`, 'each plugin once', `plugin ${JSON.stringify(r.name)} already registered as ${JSON.stringify(POINT_TYPE[pt])}`);
        }
        multi.push(r.name);
      });
      // Upstream order: overridden plugins (in their per-point order), multiPoint, the rest.
      lists[pt] = [...enabled.filter((n) => overrides.has(n)), ...multi, ...enabled.filter((n) => !overrides.has(n))];
    }

    const get = <T extends Plugin>(n: string) => this.plugins.get(n) as T;
    for (const n of lists.preEnqueue) this.preEnqueue.push(get(n));
    for (const n of lists.preFilter) this.preFilter.push(get(n));
    for (const n of lists.filter) this.filter.push(get(n));
    for (const n of lists.postFilter) this.postFilter.push(get(n));
    for (const n of lists.preScore) this.preScore.push(get(n));
    for (const n of lists.reserve) this.reserve.push(get(n));
    for (const n of lists.permit) this.permit.push(get(n));
    for (const n of lists.preBind) this.preBind.push(get(n));
    for (const n of lists.bind) this.bind.push(get(n));
    for (const n of lists.postBind) this.postBind.push(get(n));
    const weights = new Map<string, number>();
    for (const r of [...(points.score?.enabled ?? []), ...config.plugins]) {
      if (!weights.has(r.name)) weights.set(r.name, r.weight === 0 ? 1 : r.weight);
    }
    for (const n of lists.score) {
      this.score.push(get(n));
      this.scoreWeights.push(weights.get(n) ?? 1);
      this.preScoreOfScore.push(lists.preScore.indexOf(n));
    }
    // A plugin that works only at several points together (Open-Gpu-Share: Filter and Reserve),
    // enabled at some but not all: it would do half its work silently.
    for (const [name, p] of this.plugins) {
      const together = p.together;
      if (together === undefined) continue;
      const at = together.points.filter((pt) => lists[pt as ExtensionPoint]?.includes(name) === true);
      if (at.length === 0 || at.length === together.points.length) continue;
      const missing = together.points.filter((pt) => !at.includes(pt));
      const first = at[0] as ExtensionPoint;
      const i = (points[first]?.enabled ?? []).findIndex((r) => r.name === name);
      const path = i >= 0 ? `plugins.${first}.enabled[${i}].name` : `plugins.multiPoint.enabled[${config.plugins.findIndex((r) => r.name === name)}].name`;
      throw new ProfileError(path, `${name} enabled at ${together.points.join(' and ')} alike: ${together.why}`, `plugin ${JSON.stringify(name)} enabled at ${at.join(', ')} but not at ${missing.join(', ')}`);
    }
    if (lists.queueSort.length !== 1) {
      throw new ProfileError('plugins.queueSort', 'exactly one QueueSort plugin', `${lists.queueSort.length} (${lists.queueSort.join(', ') || 'none'})`);
    }
    if (this.bind.length === 0) throw new ProfileError('plugins.bind', 'at least one Bind plugin', 'none');
    this.queueSort = get(lists.queueSort[0] as string);
  }

  /** Plugin names per extension point, in run order (for explain and tests). */
  pluginsAt(point: ExtensionPoint): string[] {
    const byPoint: Record<ExtensionPoint, readonly Plugin[]> = {
      preEnqueue: this.preEnqueue, queueSort: [this.queueSort], preFilter: this.preFilter, filter: this.filter,
      postFilter: this.postFilter, preScore: this.preScore, score: this.score, reserve: this.reserve,
      permit: this.permit, preBind: this.preBind, bind: this.bind, postBind: this.postBind,
    };
    return byPoint[point].map((p) => p.name);
  }

  newCycleState(): CycleState {
    return new CycleState();
  }

  private activeFor: ReadonlySet<string> | null = null;
  private active: readonly FilterPlugin[] = [];

  /** The filters not skipped by PreFilter; computed once per skip set (one per cycle), so the
   * per-node loop does no set lookups. */
  private activeFilters(skip: ReadonlySet<string>): readonly FilterPlugin[] {
    // No closure here: one capturing `skip` would make V8 allocate a context on every call,
    // which was most of a scheduling cycle's garbage (this runs once per node).
    if (skip !== this.activeFor) this.setActiveFilters(skip);
    return this.active;
  }

  private setActiveFilters(skip: ReadonlySet<string>): void {
    const before = this.activeFor;
    this.activeFor = skip;
    // Each cycle brings a new skip set, mostly with the same plugins as the last one.
    if (before !== null && before.size === skip.size && containsAll(before, skip)) return;
    this.active = skip.size === 0 ? this.filter : this.filter.filter((f) => !skip.has(f.name));
    this.activeInBatches = this.active.every((f) => typeof f.filterNodes === 'function');
  }

  /** Whether every filter of `active` filters in batches (FilterPlugin.filterNodes). */
  private activeInBatches = false;

  /** The Filter plugins a cycle whose PreFilter skipped `skip` runs, when every one of them
   * filters in batches (FilterPlugin.filterNodes); null when one of them does not. */
  batchFilters(skip: ReadonlySet<string>): readonly FilterPlugin[] | null {
    const fs = this.activeFilters(skip);
    return this.activeInBatches ? fs : null;
  }

  /** Nodes still in a batch after the plugins so far and their positions in it (reused: one
   * batch at a time), and where the current plugin writes its rejections. */
  private batchAlive: NodeInfo[] = [];
  private batchPos = new Int32Array(0);
  private batchRejected: { at: Int32Array; verdicts: Verdict[] } = { at: new Int32Array(0), verdicts: [] };

  /**
   * Runs the filters `fs` (batchFilters) on `nodes[from]` to `nodes[to - 1]`, a plugin at a time
   * over the nodes the ones before it passed: each node meets the plugins in order until the
   * first that rejects it, as in runFilters. Returns how many nodes were rejected; when some
   * were, `verdicts[i]` holds the rejection of `nodes[from + i]` (named after its plugin) or null.
   */
  runFiltersOnBatch(state: CycleState, pod: PodInfo, fs: readonly FilterPlugin[], nodes: readonly NodeInfo[], from: number, to: number, verdicts: Verdict[]): number {
    const count = to - from;
    const rej = this.batchRejected;
    if (rej.at.length < count) rej.at = new Int32Array(Math.max(count, 2 * rej.at.length));
    // The nodes still in: list[lo] to list[hi - 1]; until a plugin rejects one, the batch itself.
    let list: readonly NodeInfo[] = nodes;
    let lo = from;
    let hi = to;
    let compacted = false;
    for (let j = 0; j < fs.length && hi > lo; j++) {
      const f = fs[j] as FilterPlugin;
      const r = (f.filterNodes as NonNullable<FilterPlugin['filterNodes']>)(state, pod, list, lo, hi, rej);
      if (r === 0) continue;
      if (!compacted) {
        if (this.batchAlive.length < count) this.batchAlive.length = count;
        if (this.batchPos.length < count) this.batchPos = new Int32Array(Math.max(count, 2 * this.batchPos.length));
        for (let k = 0; k < count; k++) verdicts[k] = null;
      }
      // Keep the nodes the plugin passed, in order (in place once compacted: m never passes i).
      const alive = this.batchAlive;
      const pos = this.batchPos;
      const at = rej.at;
      let q = 0;
      let m = 0;
      for (let i = lo; i < hi; i++) {
        const p = compacted ? (pos[i] as number) : i - from;
        if (q < r && at[q] === i) {
          const v = rej.verdicts[q] as Verdict;
          q++;
          if (v !== null && v.code !== Code.Success) {
            verdicts[p] = rejection(f, v);
            continue;
          }
        }
        alive[m] = list[i] as NodeInfo;
        pos[m] = p;
        m++;
      }
      list = alive;
      lo = 0;
      hi = m;
      compacted = true;
    }
    return count - (hi - lo);
  }

  /** Runs every Filter plugin on one node; the first rejection wins (upstream RunFilterPlugins).
   * The first eight filters are called from a call site each: a position holds mostly one
   * plugin from cycle to cycle, so V8 sees one class there and can inline its Filter. One
   * shared site in a loop saw every plugin class, went megamorphic, and its method lookup per
   * node and plugin was an eighth of the instructions a TopologySpreading pod cost. */
  runFilters(state: CycleState, pod: PodInfo, node: NodeInfo, skip: ReadonlySet<string>): Verdict {
    const fs = this.activeFilters(skip);
    const n = fs.length;
    let f: FilterPlugin;
    let v: Verdict;
    if (n === 0) return null;
    if (!passed((v = (f = fs[0] as FilterPlugin).filter(state, pod, node)))) return rejection(f, v);
    if (n === 1) return null;
    if (!passed((v = (f = fs[1] as FilterPlugin).filter(state, pod, node)))) return rejection(f, v);
    if (n === 2) return null;
    if (!passed((v = (f = fs[2] as FilterPlugin).filter(state, pod, node)))) return rejection(f, v);
    if (n === 3) return null;
    if (!passed((v = (f = fs[3] as FilterPlugin).filter(state, pod, node)))) return rejection(f, v);
    if (n === 4) return null;
    if (!passed((v = (f = fs[4] as FilterPlugin).filter(state, pod, node)))) return rejection(f, v);
    if (n === 5) return null;
    if (!passed((v = (f = fs[5] as FilterPlugin).filter(state, pod, node)))) return rejection(f, v);
    if (n === 6) return null;
    if (!passed((v = (f = fs[6] as FilterPlugin).filter(state, pod, node)))) return rejection(f, v);
    if (n === 7) return null;
    if (!passed((v = (f = fs[7] as FilterPlugin).filter(state, pod, node)))) return rejection(f, v);
    for (let i = 8; i < n; i++) {
      if (!passed((v = (f = fs[i] as FilterPlugin).filter(state, pod, node)))) return rejection(f, v);
    }
    return null;
  }
}

/** Whether a Filter's value lets the node through (null or Success). */
function passed(v: Verdict): boolean {
  // `?.`: a library plugin's Filter that returns nothing (undefined) is an Error naming it
  // (rejection), not a TypeError here.
  return v === null || v?.code === Code.Success;
}

/** A Filter's rejection as the framework reports it: named after the plugin. A value that is not
 * a Status (a status-shaped object from a plugin that did not import ksim) becomes an Error
 * naming it instead of crashing the cycle. */
function rejection(f: FilterPlugin, v: Verdict): Verdict {
  if (!(v instanceof Status)) return (checkedVerdict(v, f.name, 'Filter') as Status).withPlugin(f.name);
  if (v.code === Code.Error) {
    const message = filterErrorMessage(f.name, v.message);
    if (message !== v.message) return new Status(Code.Error, [message], f.name);
  }
  return v.plugin === f.name ? v : v.withPlugin(f.name);
}

/** The message of the Error a Filter plugin's Error status ends the cycle with, as a run's
 * placements.csv `error` row and `ksim explain` give it: upstream framework.go RunFilterPlugins,
 * `fmt.Errorf("running %q filter plugin: %w", pl.Name(), status.AsError())` — not wrapped when it
 * names the plugin already (a module plugin's verdict that was no Status: checkedVerdict). */
export function filterErrorMessage(plugin: string, message: string): string {
  return message.startsWith(`plugin "${plugin}" `) ? message : `running "${plugin}" filter plugin: ${message}`;
}

/** The same for a PreFilter plugin's Error: upstream RunPreFilterPlugins,
 * `fmt.Errorf("running PreFilter plugin %q: %w", pl.Name(), s.AsError())`. */
export function preFilterErrorMessage(plugin: string, message: string): string {
  return message.startsWith(`plugin "${plugin}" `) ? message : `running PreFilter plugin "${plugin}": ${message}`;
}

/**
 * A plugin's return value where a Verdict belongs, as a Verdict: null and Statuses pass (a Status
 * of another copy of ksim, which a plugin importing its own install makes, is copied into this
 * one's); anything else (a status-shaped plain object, undefined) is an Error naming the plugin
 * and extension point, which ends the cycle as an invalid score does. Called only where the
 * value is not already known to be fine, so built-in plugins pay nothing.
 */
export function checkedVerdict(v: unknown, plugin: string, point: string): Verdict {
  if (v === null) return null;
  return ownStatus(v) ?? new Status(Code.Error, [notAVerdict(v, plugin, point)], plugin);
}

/** `v` as a Status of this ksim: itself, or a copy of a Status of another copy of ksim (same
 * shape, its own class); undefined when it is no Status at all. */
export function ownStatus(v: unknown): Status | undefined {
  if (v instanceof Status) return v;
  const o = v as Partial<Status> | undefined;
  if (typeof o === 'object' && o !== null && typeof o.withPlugin === 'function' && Number.isInteger(o.code) && (o.code as number) >= 0 && (o.code as number) < CODE_NAMES.length && Array.isArray(o.reasons)) {
    return new Status(o.code as Code, o.reasons.map(String), typeof o.plugin === 'string' ? o.plugin : '');
  }
  return undefined;
}

/** What is wrong with a value returned where a verdict belongs: the plugin, the extension
 * point, the value and what was expected. */
export function notAVerdict(v: unknown, plugin: string, point: string): string {
  return `plugin "${plugin}" ${point} returned ${describeValue(v)}: expected null or a Status (import { Status } from 'ksim')`;
}

/** A value for a message: JSON where it has one, clipped. */
export function describeValue(v: unknown): string {
  let s: string;
  try {
    s = typeof v === 'function' ? 'a function' : (JSON.stringify(v) ?? String(v));
  } catch {
    s = String(v);
  }
  return s.length > 120 ? `${s.slice(0, 117)}...` : s;
}

function containsAll(set: ReadonlySet<string>, items: ReadonlySet<string>): boolean {
  for (const n of items) if (!set.has(n)) return false;
  return true;
}

function bindServices(s: SchedulerServices): SchedulerServices {
  return {
    cluster: s.cluster,
    bindPod: (pod, nodeName, done) => s.bindPod(pod, nodeName, done),
    deletePod: (pod, reason) => s.deletePod(pod, reason),
  };
}
