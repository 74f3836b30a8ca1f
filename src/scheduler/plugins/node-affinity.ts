// NodeAffinity: Filter on pod.spec.nodeSelector AND required node affinity (AND the profile's
// addedAffinity); Score by the summed weights of the matching preferred terms (the pod's and
// addedAffinity's), normalised to [0, 100].
// Upstream pkg/scheduler/framework/plugins/nodeaffinity/node_affinity.go, matching from
// k8s.io/component-helpers/scheduling/corev1/nodeaffinity (GetRequiredNodeAffinity,
// LazyErrorNodeSelector, PreferredSchedulingTerms), args validation from
// pkg/scheduler/apis/config/validation/validation_pluginargs.go (ValidateNodeAffinityArgs).
import type { NodeAffinity, NodeSelector, NodeSelectorTerm, PreferredSchedulingTerm } from 'kubernetes-types/core/v1.js';
import { FieldError, joinFieldPath, rejectUnknownFields } from '../../api/field-error.js';
import { ClassNumbers } from '../framework/class-numbers.js';
import {
  compileNodeSelector,
  compileNodeSelectorTerm,
  matchesNodeSelectorMap,
  type Labels,
  type NodeSelectorMatcher,
} from '../../api/labels.js';
import type { NodeInfo } from '../../cluster/node-info.js';
import type { PodInfo } from '../../cluster/pod-info.js';
import type { CycleState } from '../framework/cycle-state.js';
import {
  MAX_NODE_SCORE,
  type FilterPlugin,
  type FilterRejections,
  type FrameworkHandle,
  type Plugin,
  type PreFilterPlugin,
  type PreFilterResult,
  type PreScorePlugin,
  type ScorePlugin,
} from '../framework/interfaces.js';
import { Code, Status, type Verdict } from '../framework/status.js';
import { NodeAffinity as NODE_AFFINITY } from './names.js';
import { defaultNormalizeScore } from './helper/normalize-score.js';
import { isObject } from '../../api/values.js';
import { ActionType, asNode, type ClusterEventWithHint, type EnqueueExtensions, type NodeView, type QueueingHint } from '../framework/events.js';

const PRE_FILTER_KEY = `PreFilter${NODE_AFFINITY}`;
const PRE_SCORE_KEY = `PreScore${NODE_AFFINITY}`;

/** Upstream ErrReasonPod. */
export const ERR_REASON_POD = "node(s) didn't match Pod's node affinity/selector";
/** Upstream errReasonEnforced (addedAffinity not matched). */
export const ERR_REASON_ENFORCED = "node(s) didn't match scheduler-enforced node affinity";
/** Upstream errReasonConflict (every required term pins conflicting node names). */
export const ERR_REASON_CONFLICT = 'pod affinity terms conflict';

const REJECT_POD = Status.unresolvable(ERR_REASON_POD).withPlugin(NODE_AFFINITY);
const REJECT_ENFORCED = Status.unresolvable(ERR_REASON_ENFORCED).withPlugin(NODE_AFFINITY);
const REJECT_CONFLICT = Status.unresolvable(ERR_REASON_CONFLICT).withPlugin(NODE_AFFINITY);

// ---------------------------------------------------------------------------
// Args

export interface NodeAffinityArgs {
  /** Affinity every pod of the profile gets on top of its own (ANDed for required, added for preferred). */
  addedAffinity: NodeAffinity | null;
}

function show(v: unknown): string {
  return JSON.stringify(v) ?? String(v);
}

function isEmptyMap(m: Readonly<Record<string, string>> | null | undefined): boolean {
  if (m === undefined || m === null) return true;
  for (const k in m) if (Object.prototype.hasOwnProperty.call(m, k)) return false;
  return true;
}

function isEmptyList(v: unknown): boolean {
  return v === undefined || v === null || (Array.isArray(v) && v.length === 0);
}


/** A compiled list of preferred terms (upstream nodeaffinity.PreferredSchedulingTerms). */
interface WeightedTerm {
  readonly matcher: NodeSelectorMatcher;
  readonly weight: number;
}

/**
 * Upstream NewPreferredSchedulingTerms: terms with weight 0 or an empty preference are dropped;
 * any other invalid term is an error (FieldError, path `<path>[i].matchExpressions[j]...`).
 */
function compilePreferredTerms(raw: unknown, path: string): WeightedTerm[] {
  if (!Array.isArray(raw)) throw new FieldError(path, 'a list of preferred scheduling terms', show(raw));
  const out: WeightedTerm[] = [];
  for (let i = 0; i < raw.length; i++) {
    const p = `${path}[${i}]`;
    const term: unknown = raw[i];
    if (!isObject(term)) throw new FieldError(p, 'a preferred scheduling term (weight and preference)', show(term));
    const weight = term['weight'] ?? 0;
    if (typeof weight !== 'number' || !Number.isInteger(weight)) {
      throw new FieldError(joinFieldPath(p, 'weight'), 'an integer weight', show(weight));
    }
    if (weight === 0) continue;
    const pref = term['preference'] ?? {};
    if (!isObject(pref)) throw new FieldError(joinFieldPath(p, 'preference'), 'a node selector term', show(pref));
    if (isEmptyList(pref['matchExpressions']) && isEmptyList(pref['matchFields'])) continue;
    // Upstream reports term errors under "[i].matchExpressions..." (no "preference" segment).
    out.push({ matcher: compileNodeSelectorTerm(pref as NodeSelectorTerm, p), weight });
  }
  return out;
}

interface ParsedArgs {
  readonly addedNodeSelector: NodeSelectorMatcher | null;
  readonly addedPreferred: readonly WeightedTerm[] | null;
}

/** Parses and validates NodeAffinityArgs (upstream getArgs + ValidateNodeAffinityArgs + New). */
export function parseNodeAffinityArgs(raw: unknown): NodeAffinityArgs {
  if (raw === undefined || raw === null) return { addedAffinity: null };
  if (!isObject(raw)) throw new FieldError('', 'NodeAffinityArgs (an object with addedAffinity)', show(raw));
  rejectUnknownFields(raw, ['addedAffinity'], '', true);
  const added = raw['addedAffinity'];
  if (added === undefined || added === null) return { addedAffinity: null };
  if (!isObject(added)) throw new FieldError('addedAffinity', 'a node affinity', show(added));
  compileArgs(added as NodeAffinity);
  return { addedAffinity: added as NodeAffinity };
}

function compileArgs(added: NodeAffinity | null): ParsedArgs {
  if (added === null) return { addedNodeSelector: null, addedPreferred: null };
  let addedNodeSelector: NodeSelectorMatcher | null = null;
  let addedPreferred: WeightedTerm[] | null = null;
  const req: unknown = added.requiredDuringSchedulingIgnoredDuringExecution;
  if (req !== undefined && req !== null) {
    addedNodeSelector = compileNodeSelector(req as NodeSelector, 'addedAffinity.requiredDuringSchedulingIgnoredDuringExecution');
  }
  const pref: unknown = added.preferredDuringSchedulingIgnoredDuringExecution;
  // Upstream only parses a non-empty list.
  if (pref !== undefined && pref !== null && !(Array.isArray(pref) && pref.length === 0)) {
    addedPreferred = compilePreferredTerms(pref, 'addedAffinity.preferredDuringSchedulingIgnoredDuringExecution');
  }
  return { addedNodeSelector, addedPreferred };
}

// ---------------------------------------------------------------------------
// Per-pod state

/** Upstream nodeaffinity.RequiredNodeAffinity: nodeSelector (if non-empty) AND required terms
 * (if set). Filter asks it once per node and pod, and the pods of one template (a Deployment's,
 * a Job's, a trace's) ask it the same question of the same nodes, so it keeps each node's answer
 * (pods find the one an earlier pod made through RequiredAffinities). */
class RequiredNodeAffinity {
  /** Per node index, the labels object the answer in `hits` is for. A label change replaces a
   * node's labels object (ClusterState.updateNode), so an answer is reused only while it is the
   * one matching would give. Kept only when the answer depends on the labels alone. */
  private readonly seen: (Labels | undefined)[] = [];
  private readonly hits: boolean[] = [];

  constructor(
    readonly nodeSelector: Readonly<Record<string, string>> | null,
    /** Invalid terms match nothing (LazyErrorNodeSelector; errors ignored by Filter). */
    readonly affinity: NodeSelectorMatcher | null,
    /** False when a term reads the node's name (matchFields). */
    private readonly labelsOnly: boolean,
  ) {}

  matches(node: NodeView): boolean {
    if (this.nodeSelector !== null && !matchesNodeSelectorMap(this.nodeSelector, node.labels)) return false;
    return this.affinity === null || this.affinity.matches(node);
  }

  /** matches() for a node of the cluster (or a copy of one, which has its index and labels). */
  matchesNode(node: NodeInfo): boolean {
    if (!this.labelsOnly) return this.matches(node);
    const i = node.index;
    if (this.seen[i] === node.labels) return this.hits[i] as boolean;
    const m = this.matches(node);
    this.seen[i] = node.labels;
    this.hits[i] = m;
    return m;
  }
}

/** `byLabels`: no term reads the node's name (labelsOnly() of its terms). */
function requiredNodeAffinity(pod: PodInfo, byLabels: boolean): RequiredNodeAffinity {
  const spec = pod.pod.spec;
  const sel = spec?.nodeSelector;
  const nodeSelector = sel !== undefined && sel !== null && Object.keys(sel).length > 0 ? sel : null;
  const req = spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  const affinity = req === undefined || req === null ? null : compileNodeSelector(req, '', { invalidTerms: 'matchNothing' });
  return new RequiredNodeAffinity(nodeSelector, affinity, byLabels);
}

/** True when no term reads the node's name (matchFields). */
function labelsOnly(terms: unknown): boolean {
  return !Array.isArray(terms) || terms.every((t: unknown) => !isObject(t) || isEmptyList(t['matchFields']));
}

/** Most distinct required affinities a plugin keeps; past it, it forgets them all (answers are
 * worked out again, never wrong). */
const MAX_KEPT_AFFINITIES = 64;

/** Each distinct (nodeSelector, required affinity) seen, compiled, by the two's JSON text. */
class RequiredAffinities {
  private readonly byText = new Map<string, RequiredNodeAffinity>();

  /** The pod's required affinity; throws FieldError when it does not compile (nothing kept). */
  of(pod: PodInfo): RequiredNodeAffinity {
    const spec = pod.pod.spec;
    const terms: unknown = spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
    // A term on node names (a DaemonSet pod's) keeps no answers: nothing to share.
    if (!labelsOnly(terms)) return requiredNodeAffinity(pod, false);
    const text = `${JSON.stringify(spec?.nodeSelector ?? null)}\n${JSON.stringify(spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? null)}`;
    let r = this.byText.get(text);
    if (r !== undefined) return r;
    r = requiredNodeAffinity(pod, true);
    if (this.byText.size >= MAX_KEPT_AFFINITIES) this.byText.clear();
    this.byText.set(text, r);
    return r;
  }
}

interface PreScoreState {
  /** The pod's preferred terms; null when it has none (upstream getPodPreferredNodeAffinity). */
  readonly preferred: readonly WeightedTerm[] | null;
}

/** The pod's preferred terms, or null without any: upstream tests the list for nil, and an
 * empty list reaches the scheduler as nil (the field is omitempty). */
function podPreferredTerms(pod: PodInfo): WeightedTerm[] | null {
  const pref: unknown = pod.pod.spec?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution;
  if (pref === undefined || pref === null || (Array.isArray(pref) && pref.length === 0)) return null;
  return compilePreferredTerms(pref as PreferredSchedulingTerm[], '');
}

function sumWeights(terms: readonly WeightedTerm[], node: NodeInfo): number {
  let s = 0;
  for (let i = 0; i < terms.length; i++) {
    const t = terms[i] as WeightedTerm;
    if (t.matcher.matches(node)) s += t.weight;
  }
  return s;
}

function intersection(a: ReadonlySet<string>, b: ReadonlySet<string>): Set<string> {
  const out = new Set<string>();
  for (const x of a) if (b.has(x)) out.add(x);
  return out;
}

/** Upstream PreFilter's node-name narrowing: per term, the intersection of its
 * `metadata.name In` matchFields; across terms (ORed), the union. A term without such a
 * requirement lets every node through (null). */
function nodeNamesFromTerms(terms: readonly NodeSelectorTerm[]): Set<string> | null {
  let nodeNames: Set<string> | null = null;
  for (const t of terms) {
    let termNames: Set<string> | null = null;
    for (const r of t?.matchFields ?? []) {
      if (r?.key !== 'metadata.name' || r.operator !== 'In') continue;
      const s = new Set<string>(r.values ?? []);
      termNames = termNames === null ? s : intersection(termNames, s);
    }
    if (termNames === null) return null;
    nodeNames ??= new Set();
    for (const n of termNames) nodeNames.add(n);
  }
  return nodeNames;
}


// ---------------------------------------------------------------------------
// Plugin

export class NodeAffinityPlugin implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin, EnqueueExtensions {
  readonly name = NODE_AFFINITY;
  private readonly addedNodeSelector: NodeSelectorMatcher | null;
  private readonly addedPreferred: readonly WeightedTerm[] | null;
  private readonly required = new RequiredAffinities();

  constructor(args: NodeAffinityArgs = { addedAffinity: null }) {
    const parsed = compileArgs(args.addedAffinity);
    this.addedNodeSelector = parsed.addedNodeSelector;
    this.addedPreferred = parsed.addedPreferred;
  }

  /** Upstream EventsToRegister with queueing hints on: Node/Add|UpdateNodeLabel. */
  eventsToRegister(): readonly ClusterEventWithHint[] {
    return [{ event: { resource: 'Node', actionType: ActionType.Add | ActionType.UpdateNodeLabel }, hint: (pod, o, n) => this.isSchedulableAfterNodeChange(pod, asNode(o), asNode(n)) }];
  }

  /** Queue when the node now matches the pod's required affinity (and the profile's
   * addedAffinity) and did not before, or was just added (upstream isSchedulableAfterNodeChange). */
  private isSchedulableAfterNodeChange(pod: PodInfo, before: NodeView | undefined, after: NodeView | undefined): QueueingHint {
    if (after === undefined) return 'QueueSkip';
    if (this.addedNodeSelector !== null && !this.addedNodeSelector.matches(after)) return 'QueueSkip';
    let r: RequiredNodeAffinity;
    try {
      r = this.required.of(pod);
    } catch (e) {
      if (e instanceof FieldError) return 'Queue'; // upstream: an error means Queue
      throw e;
    }
    if (!r.matches(after)) return 'QueueSkip';
    if (before === undefined) return 'Queue';
    return r.matches(before) ? 'QueueSkip' : 'Queue';
  }

  preFilter(state: CycleState, pod: PodInfo): { status: Verdict; result?: PreFilterResult } {
    const spec = pod.pod.spec;
    const required = spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
    const noNodeAffinity = required === undefined || required === null;
    // Upstream tests the nodeSelector map for nil; an empty map never reaches the scheduler
    // as non-nil (the field is omitempty), so empty counts as absent here.
    if (noNodeAffinity && this.addedNodeSelector === null && isEmptyMap(spec?.nodeSelector)) {
      return { status: Status.skip() };
    }
    let r: RequiredNodeAffinity;
    try {
      r = this.required.of(pod);
    } catch (e) {
      if (e instanceof FieldError) return { status: Status.error(`spec.affinity.nodeAffinity: ${e.message}`).withPlugin(NODE_AFFINITY) };
      throw e;
    }
    state.write(PRE_FILTER_KEY, r);
    const terms = required?.nodeSelectorTerms;
    if (noNodeAffinity || terms === undefined || terms === null || terms.length === 0) return { status: null };
    const nodeNames = nodeNamesFromTerms(terms);
    if (nodeNames === null) return { status: null };
    if (nodeNames.size === 0) return { status: REJECT_CONFLICT };
    return { status: null, result: { nodeNames } };
  }

  /** The cycle state Filter read last, at which version, and what it read: Filter runs once per
   * node and would otherwise look the same object up in the state's map on every node. */
  private filterState: CycleState | null = null;
  private filterStateVersion = -1;
  private filterPre: RequiredNodeAffinity | undefined = undefined;

  /** Filter over a batch of nodes (FilterPlugin.filterNodes). */
  filterNodes(state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[], from: number, to: number, rejected: FilterRejections): number {
    let r = 0;
    for (let i = from; i < to; i++) {
      const v = this.filter(state, pod, nodes[i] as NodeInfo);
      if (v === null) continue;
      rejected.at[r] = i;
      rejected.verdicts[r++] = v;
    }
    return r;
  }

  private readonly selectorClasses = new ClassNumbers();
  private classPod: PodInfo | null = null;
  private podClass = -1;

  /** FilterPlugin.nodeLocalFilterClass: the verdict reads the node's labels (and name) and the
   * pod's nodeSelector and required node affinity; one class per pair of them. */
  nodeLocalFilterClass(pod: PodInfo): number {
    if (pod !== this.classPod) {
      const spec = pod.pod.spec;
      this.classPod = pod;
      this.podClass = this.selectorClasses.of(JSON.stringify([spec?.nodeSelector ?? null, spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? null]));
    }
    return this.podClass;
  }

  filter(state: CycleState, pod: PodInfo, node: NodeInfo): Verdict {
    if (this.addedNodeSelector !== null && !this.addedNodeSelector.matches(node)) return REJECT_ENFORCED;
    if (state !== this.filterState || state.version !== this.filterStateVersion) {
      this.filterState = state;
      this.filterStateVersion = state.version;
      this.filterPre = state.read<RequiredNodeAffinity>(PRE_FILTER_KEY);
    }
    let r = this.filterPre;
    // Without PreFilter state (PreFilter disabled), upstream computes it here.
    if (r === undefined) {
      try {
        r = this.required.of(pod);
      } catch (e) {
        if (e instanceof FieldError) return REJECT_POD;
        throw e;
      }
    }
    return r.matchesNode(node) ? null : REJECT_POD;
  }

  /** PreScorePlugin.scoredNodesIgnored: PreScore reads the pod and the profile's args only. */
  scoredNodesIgnored(_state: CycleState, _pod: PodInfo): boolean {
    return true;
  }

  /** Skips pods without preferred terms when the profile adds none; a broken preferred term is an Error. */
  preScore(state: CycleState, pod: PodInfo): Verdict {
    let preferred: WeightedTerm[] | null;
    try {
      preferred = podPreferredTerms(pod);
    } catch (e) {
      if (e instanceof FieldError) return new Status(Code.Error, [e.message], NODE_AFFINITY);
      throw e;
    }
    if (preferred === null && this.addedPreferred === null) return Status.skip();
    const s: PreScoreState = { preferred };
    state.write(PRE_SCORE_KEY, s);
    return null;
  }

  score(state: CycleState, pod: PodInfo, node: NodeInfo): number {
    let count = 0;
    if (this.addedPreferred !== null) count += sumWeights(this.addedPreferred, node);
    let s = state.read<PreScoreState>(PRE_SCORE_KEY);
    if (s === undefined) {
      // Without PreScore (disabled), upstream computes the terms here; broken terms score nothing.
      try {
        s = { preferred: podPreferredTerms(pod) };
      } catch (e) {
        if (e instanceof FieldError) return count;
        throw e;
      }
    }
    if (s.preferred !== null) count += sumWeights(s.preferred, node);
    return count;
  }

  normalizeScore(_state: CycleState, _pod: PodInfo, _nodes: readonly NodeInfo[], scores: Float64Array): Verdict {
    defaultNormalizeScore(MAX_NODE_SCORE, false, scores);
    return null;
  }
}

export function newNodeAffinity(args: unknown, _handle?: FrameworkHandle): Plugin {
  return new NodeAffinityPlugin(parseNodeAffinityArgs(args));
}
