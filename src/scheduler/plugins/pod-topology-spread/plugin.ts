// PodTopologySpread: spreads pods matching a label selector across topology domains.
// Upstream pkg/scheduler/framework/plugins/podtopologyspread/plugin.go (v1.36); args defaulting
// from pkg/scheduler/apis/config/v1/defaults.go (SetDefaults_PodTopologySpreadArgs: defaultingType
// "" → System) and validation from pkg/scheduler/apis/config/validation/validation_pluginargs.go
// (ValidatePodTopologySpreadArgs).
import type { TopologySpreadConstraint } from 'kubernetes-types/core/v1.js';
import { FieldError, rejectUnknownFields } from '../../../api/field-error.js';
import { isValidLabelKey } from '../../../api/labels.js';
import type { NodeInfo } from '../../../cluster/node-info.js';
import type { PodInfo } from '../../../cluster/pod-info.js';
import type { CycleState } from '../../framework/cycle-state.js';
import type {
  FilterPlugin, FilterRejections,
  FrameworkHandle,
  Plugin,
  PreFilterPlugin,
  PreFilterResult,
  PreScorePlugin,
  ScorePlugin,
} from '../../framework/interfaces.js';
import type { Verdict } from '../../framework/status.js';
import {
  DefaultSelectorBuilder,
  DO_NOT_SCHEDULE,
  POD_TOPOLOGY_SPREAD,
  SCHEDULE_ANYWAY,
  SpreadIndex,
  SYSTEM_DEFAULT_CONSTRAINTS,
  type SpreadContext,
} from './common.js';
import { filterBatch, filterWith, PRE_FILTER_STATE_KEY, preFilter, updateWithPod, type PreFilterState } from './filtering.js';
import { hasSoftConstraints, normalizeScore, preScore, score, scoreNodes } from './scoring.js';
import type { ClusterEventWithHint, EnqueueExtensions } from '../../framework/events.js';
import { spreadEvents } from './queueing-hints.js';
import { isObject } from '../../../api/values.js';

export { POD_TOPOLOGY_SPREAD } from './common.js';

export const SYSTEM_DEFAULTING = 'System';
export const LIST_DEFAULTING = 'List';

export interface PodTopologySpreadArgs {
  defaultingType: typeof SYSTEM_DEFAULTING | typeof LIST_DEFAULTING;
  defaultConstraints: TopologySpreadConstraint[];
}

const CONSTRAINT_FIELDS = [
  'maxSkew',
  'topologyKey',
  'whenUnsatisfiable',
  'labelSelector',
  'minDomains',
  'nodeAffinityPolicy',
  'nodeTaintsPolicy',
  'matchLabelKeys',
];

const EXPECTED_LABEL_KEY =
  'a label key: an optional DNS subdomain prefix and "/", then a name of at most 63 characters ' +
  '(alphanumerics, "-", "_", ".") that starts and ends with an alphanumeric';

function show(v: unknown): string {
  return JSON.stringify(v) ?? String(v);
}


/** Decodes the args object (shape and types only; `validatePodTopologySpreadArgs` checks values). */
function decodeArgs(raw: unknown): PodTopologySpreadArgs {
  const args: PodTopologySpreadArgs = { defaultingType: SYSTEM_DEFAULTING, defaultConstraints: [] };
  if (raw === undefined || raw === null) return args;
  if (!isObject(raw)) throw new FieldError('', 'PodTopologySpreadArgs (an object with defaultingType and/or defaultConstraints)', show(raw));
  rejectUnknownFields(raw, ['defaultingType', 'defaultConstraints'], '', true);
  const dt = raw['defaultingType'];
  if (dt !== undefined && dt !== null && dt !== '') {
    if (typeof dt !== 'string') throw new FieldError('defaultingType', 'a string', show(dt));
    args.defaultingType = dt as PodTopologySpreadArgs['defaultingType'];
  }
  const dc = raw['defaultConstraints'];
  if (dc !== undefined && dc !== null) {
    if (!Array.isArray(dc)) throw new FieldError('defaultConstraints', 'a list of topology spread constraints', show(dc));
    args.defaultConstraints = dc.map((c: unknown, i: number) => decodeConstraint(c, `defaultConstraints[${i}]`));
  }
  return args;
}

function decodeConstraint(raw: unknown, path: string): TopologySpreadConstraint {
  if (!isObject(raw)) throw new FieldError(path, 'a topology spread constraint (maxSkew, topologyKey, whenUnsatisfiable)', show(raw));
  rejectUnknownFields(raw, CONSTRAINT_FIELDS, path);
  const int = (k: string, dflt: number | undefined): number | undefined => {
    const v = raw[k];
    if (v === undefined || v === null) return dflt;
    if (typeof v !== 'number' || !Number.isInteger(v)) throw new FieldError(`${path}.${k}`, 'an integer', show(v));
    return v;
  };
  const str = (k: string): string | undefined => {
    const v = raw[k];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string') throw new FieldError(`${path}.${k}`, 'a string', show(v));
    return v;
  };
  const c: TopologySpreadConstraint = {
    maxSkew: int('maxSkew', 0) as number,
    topologyKey: str('topologyKey') ?? '',
    whenUnsatisfiable: str('whenUnsatisfiable') ?? '',
  };
  const minDomains = int('minDomains', undefined);
  if (minDomains !== undefined) c.minDomains = minDomains;
  const nap = str('nodeAffinityPolicy');
  if (nap !== undefined) c.nodeAffinityPolicy = nap;
  const ntp = str('nodeTaintsPolicy');
  if (ntp !== undefined) c.nodeTaintsPolicy = ntp;
  const mlk = raw['matchLabelKeys'];
  if (mlk !== undefined && mlk !== null) {
    if (!Array.isArray(mlk) || mlk.some((x) => typeof x !== 'string')) throw new FieldError(`${path}.matchLabelKeys`, 'a list of label keys', show(mlk));
    c.matchLabelKeys = mlk as string[];
  }
  if (raw['labelSelector'] !== undefined && raw['labelSelector'] !== null) c.labelSelector = raw['labelSelector'] as NonNullable<TopologySpreadConstraint['labelSelector']>;
  return c;
}

/** ValidatePodTopologySpreadArgs: every error, in upstream's order. */
export function validatePodTopologySpreadArgs(args: PodTopologySpreadArgs): FieldError[] {
  const errs: FieldError[] = [];
  const dt: string = args.defaultingType;
  if (dt !== SYSTEM_DEFAULTING && dt !== LIST_DEFAULTING) {
    errs.push(new FieldError('defaultingType', 'one of "System", "List"', show(dt)));
  } else if (dt === SYSTEM_DEFAULTING && args.defaultConstraints.length > 0) {
    errs.push(new FieldError('defaultingType', '"List" when .defaultConstraints are not empty', show(dt)));
  }
  const cs = args.defaultConstraints;
  for (let i = 0; i < cs.length; i++) {
    const c = cs[i] as TopologySpreadConstraint;
    const p = `defaultConstraints[${i}]`;
    if (c.maxSkew <= 0) errs.push(new FieldError(`${p}.maxSkew`, 'a value in the valid range (0, inf)', show(c.maxSkew)));
    if (c.topologyKey.length === 0) errs.push(new FieldError(`${p}.topologyKey`, 'a topology key (it can not be empty)', '""'));
    else if (!isValidLabelKey(c.topologyKey)) errs.push(new FieldError(`${p}.topologyKey`, EXPECTED_LABEL_KEY, show(c.topologyKey)));
    if (c.whenUnsatisfiable.length === 0) {
      errs.push(new FieldError(`${p}.whenUnsatisfiable`, 'one of "DoNotSchedule", "ScheduleAnyway" (it can not be empty)', '""'));
    } else if (c.whenUnsatisfiable !== DO_NOT_SCHEDULE && c.whenUnsatisfiable !== SCHEDULE_ANYWAY) {
      errs.push(new FieldError(`${p}.whenUnsatisfiable`, 'one of "DoNotSchedule", "ScheduleAnyway"', show(c.whenUnsatisfiable)));
    }
    if (c.labelSelector !== undefined && c.labelSelector !== null) {
      errs.push(new FieldError(`${p}.labelSelector`, 'no labelSelector: a default constraint must not define a selector, as it is deduced for each pod', show(c.labelSelector)));
    }
    for (let j = 0; j < i; j++) {
      const o = cs[j] as TopologySpreadConstraint;
      if (o.topologyKey === c.topologyKey && o.whenUnsatisfiable === c.whenUnsatisfiable) {
        errs.push(new FieldError(p, 'no duplicate of an earlier constraint with the same topologyKey and whenUnsatisfiable', `{${c.topologyKey}, ${c.whenUnsatisfiable}}`));
        break;
      }
    }
  }
  return errs;
}

/** Decodes, defaults and validates; throws the first FieldError. */
export function parsePodTopologySpreadArgs(raw: unknown): PodTopologySpreadArgs {
  const args = decodeArgs(raw);
  const errs = validatePodTopologySpreadArgs(args);
  if (errs.length > 0) throw errs[0] as FieldError;
  return args;
}

export class PodTopologySpreadPlugin implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin, EnqueueExtensions {
  readonly name = POD_TOPOLOGY_SPREAD;
  private readonly ctx: SpreadContext;

  constructor(args: PodTopologySpreadArgs, handle: Pick<FrameworkHandle, 'cluster'>) {
    const system = args.defaultingType === SYSTEM_DEFAULTING;
    this.ctx = {
      index: SpreadIndex.of(handle.cluster),
      defaultConstraints: system ? SYSTEM_DEFAULT_CONSTRAINTS : args.defaultConstraints,
      systemDefaulted: system,
      defaultSelector: new DefaultSelectorBuilder(handle.cluster),
    };
  }

  eventsToRegister(): readonly ClusterEventWithHint[] {
    return spreadEvents(this.ctx);
  }

  /** Upstream reads all nodes; the cluster index holds their counts, so `nodes` is not scanned. */
  preFilter(state: CycleState, pod: PodInfo, _nodes: readonly NodeInfo[]): { status: Verdict; result?: PreFilterResult } {
    return preFilter(this.ctx, state, pod);
  }

  addPod(state: CycleState, podToSchedule: PodInfo, podToAdd: PodInfo, node: NodeInfo): Verdict {
    return updateWithPod(state, podToSchedule, podToAdd, node, 1);
  }

  removePod(state: CycleState, podToSchedule: PodInfo, podToRemove: PodInfo, node: NodeInfo): Verdict {
    return updateWithPod(state, podToSchedule, podToRemove, node, -1);
  }

  /** The cycle state Filter read last, at which version, and what it read: Filter runs once per
   * node and would otherwise look the same object up in the state's map on every node. */
  private filterState: CycleState | null = null;
  private filterStateVersion = -1;
  private filterPre: PreFilterState | undefined = undefined;

  /** Filter over a batch of nodes (FilterPlugin.filterNodes). */
  filterNodes(state: CycleState, _pod: PodInfo, nodes: readonly NodeInfo[], from: number, to: number, rejected: FilterRejections): number {
    return filterBatch(this.preFilterState(state), nodes, from, to, rejected);
  }

  filter(state: CycleState, _pod: PodInfo, node: NodeInfo): Verdict {
    return filterWith(this.preFilterState(state), node);
  }

  private preFilterState(state: CycleState): PreFilterState | undefined {
    if (state !== this.filterState || state.version !== this.filterStateVersion) {
      this.filterState = state;
      this.filterStateVersion = state.version;
      this.filterPre = state.read<PreFilterState>(PRE_FILTER_STATE_KEY);
    }
    return this.filterPre;
  }

  preScore(state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[]): Verdict {
    return preScore(this.ctx, state, pod, nodes);
  }

  /** PreScorePlugin.scoredNodesIgnored: PreScore reads the nodes (the normalising weights)
   * only for a pod with soft constraints, its own or the system defaults. */
  scoredNodesIgnored(_state: CycleState, pod: PodInfo): boolean {
    return !hasSoftConstraints(this.ctx, pod);
  }

  score(state: CycleState, _pod: PodInfo, node: NodeInfo): number {
    return score(state, node);
  }

  scoreNodes(state: CycleState, _pod: PodInfo, nodes: readonly NodeInfo[], out: Float64Array): void {
    scoreNodes(state, nodes, out);
  }

  normalizeScore(state: CycleState, _pod: PodInfo, nodes: readonly NodeInfo[], scores: Float64Array): Verdict {
    return normalizeScore(state, nodes, scores);
  }
}

export function newPodTopologySpread(args: unknown, handle: FrameworkHandle): Plugin {
  return new PodTopologySpreadPlugin(parsePodTopologySpreadArgs(args), handle);
}
