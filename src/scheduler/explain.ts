// One scheduling decision laid open (`ksim explain`): every filter plugin's verdict on every
// candidate node, every score plugin's raw and normalised score, and the node chosen. It calls
// the same plugin code as the scheduler, in the profile's order, but runs every filter on every
// node (the scheduler stops at a node's first rejection) and scores every feasible candidate
// (no percentageOfNodesToScore sampling). A pod a preemption nominated gets its nominated node
// when that node passes, as in the scheduler; the other nodes are still shown.
import type { ClusterState } from '../cluster/cluster-state.js';
import type { NodeInfo } from '../cluster/node-info.js';
import type { PodInfo } from '../cluster/pod-info.js';
import type { RandomStream } from '../engine/random.js';
import type { Framework } from './framework/framework.js';
import type { CycleState } from './framework/cycle-state.js';
import type { ScorePlugin } from './framework/interfaces.js';
import { Code, CODE_NAMES, Status, type Verdict } from './framework/status.js';
import { addNominatedPods, FilterRunner, fitErrorMessage, invalidScore, isValidNodeScore, notANumberScore, pickTopScore, PodNominator, runPostFilterPlugins } from './schedule-one.js';
import { checkedVerdict, filterErrorMessage, preFilterErrorMessage } from './framework/framework.js';
import { NodeToStatus, reasonCounts } from './framework/node-to-status.js';

export interface ExplainStatus {
  readonly code: string;
  readonly reason?: string;
}

export interface ExplainScore {
  readonly raw: number;
  readonly normalized: number;
  readonly weight: number;
  readonly weighted: number;
}

export interface ExplainNode {
  readonly filter: Record<string, ExplainStatus>;
  /** Present for scored nodes. */
  readonly score?: Record<string, ExplainScore>;
  readonly total?: number;
  /** --score-all-nodes, on a candidate that fails a filter: its scores come from a pass of their
   * own over the failing candidates alone (PreScore, Score, NormalizeScore among them), which
   * takes no part in the decision; the feasible nodes' scores and `selected` are as without the
   * flag. */
  readonly scoredApart?: true;
}

export interface ExplainResult {
  readonly pod: string;
  readonly profile: string;
  readonly preFilter: Record<string, ExplainStatus>;
  readonly preScore: Record<string, ExplainStatus>;
  readonly nodes: Record<string, ExplainNode>;
  /** The chosen node; null when no candidate passes every filter. */
  readonly selected: string | null;
  /** The other feasible nodes with the selected node's total, in the scheduler's node order:
   * kube-scheduler picks one of the top-scoring nodes at random (upstream schedule_one.go
   * selectHost), so any of them may be chosen. Absent when the selected node's total is alone at
   * the top (or it was not picked by score). */
  readonly tiedWith?: readonly string[];
  /** kube-scheduler's message when nothing fits ("0/3 nodes are available: ..."). */
  readonly reason?: string;
  /** A plugin's Error, which ends the scheduler's cycle (an `error` row in placements.csv, the pod
   * retried after backoff): a Filter, PreFilter or PreScore returning an Error status or a value
   * that is not a Status, a score that is not an integer or, normalised, not in [0, 100]. The
   * verdicts and scores are shown as the plugins returned them; `selected` is null. */
  readonly error?: string;
  /** When no node fits but preemption would make room: the node it would nominate and the pods
   * it would evict there (namespace/name), as a run's cycle would do. */
  readonly preemption?: { readonly node: string; readonly victims: readonly string[] };
  /** The pod's status.nominatedNodeName when it is a candidate: the scheduler filters that node
   * first and, when it passes, takes it without searching or scoring (upstream
   * evaluateNominatedNode); `selected` is then this node. */
  readonly nominatedNode?: string;
  /** Present when the pod is a DaemonSet's (`--pod` naming a DaemonSet): the DaemonSet
   * controller creates one pod per node it finds eligible, each pinned to its node, and the
   * scheduler places each on that node or nowhere. `nodes` then holds the nodes the controller
   * creates a pod for, each with the filter verdicts of its own pod (no scores: a pod with one
   * feasible node is not scored); `selected` is null. */
  readonly daemonSet?: ExplainDaemonSet;
}

export interface ExplainDaemonSet {
  /** namespace/name of the DaemonSet. */
  readonly name: string;
  /** The nodes whose daemon pod passes every filter, in the scheduler's node order. */
  readonly placed: readonly string[];
  /** Node → kube-scheduler's message for its daemon pod, which fails a filter there (with
   * preemption's outcome, as `reason`), or `error: ...` for a plugin's Error. */
  readonly unschedulable: Readonly<Record<string, string>>;
  /** Node → why the DaemonSet controller creates no pod for it (upstream NodeShouldRunDaemonPod:
   * the template's nodeSelector or required node affinity, an untolerated taint). */
  readonly notCreated: Readonly<Record<string, string>>;
  /** Node → the pods preemption would evict there for its daemon pod (nothing is deleted);
   * absent when no daemon pod would preempt. */
  readonly preemption?: Readonly<Record<string, readonly string[]>>;
}

export interface ExplainOptions {
  /** Candidate node names (default: every node). Other nodes stay in the cluster. */
  readonly nodes?: readonly string[];
  /** Also score the candidates that fail a filter, apart from the decision (ExplainNode.scoredApart). */
  readonly scoreAllNodes?: boolean;
  /** Breaks ties between top-scoring nodes, as the scheduler does. */
  readonly rng: RandomStream;
  /** The pods the framework's handle was asked to delete (preemption's victims): filled while
   * explaining, read after PostFilter. */
  readonly deleted?: readonly PodInfo[];
  /** Pending pods nominated to nodes by a preemption (a dump's status.nominatedNodeName): those
   * of equal or higher priority count in the filters, as in the scheduler's
   * (RunFilterPluginsWithNominatedPods). */
  readonly nominator?: PodNominator;
  /** Score nothing: a DaemonSet's pod, whose one candidate the scheduler takes unscored
   * (upstream schedulePod: a single feasible node is returned without prioritizing). */
  readonly noScoring?: boolean;
}

function toStatus(v: Verdict): ExplainStatus {
  if (v === null) return { code: 'Success' };
  const reason = v.message;
  return reason === '' ? { code: CODE_NAMES[v.code] as string } : { code: CODE_NAMES[v.code] as string, reason };
}

/** Each explanation's first rejection per failing candidate, as Statuses (their reasons one by
 * one, as kube-scheduler counts them): kept beside the result, whose JSON shape (design §4) has
 * only the joined messages. */
const FIRST_REJECTIONS = new WeakMap<ExplainResult, ReadonlyMap<string, Status>>();

/** "2997/3000 nodes are available: 2 Insufficient cpu, 1 node(s) had untolerated taint(s).":
 * kube-scheduler's message form over the candidates, with the count that passed every filter
 * (0 when none: then it is the message a run gives, without the preemption part). A node counts
 * under its first rejecting plugin's reasons, as the scheduler stops there. For a result made
 * elsewhere (read from JSON), each first rejection's whole message counts as one reason. */
export function filterSummary(r: ExplainResult): string {
  const names = Object.keys(r.nodes);
  let histogram: Map<string, number>;
  const kept = FIRST_REJECTIONS.get(r);
  if (kept !== undefined) histogram = reasonCounts(kept);
  else {
    histogram = new Map();
    for (const n of Object.values(r.nodes)) {
      const first = Object.values(n.filter).find((v) => v.code !== 'Success');
      if (first !== undefined) histogram.set(first.reason ?? first.code, (histogram.get(first.reason ?? first.code) ?? 0) + 1);
    }
  }
  const passed = names.filter((name) => Object.values((r.nodes[name] as ExplainNode).filter).every((v) => v.code === 'Success')).length;
  const parts = [...histogram].map(([reason, k]) => `${k} ${reason}`).sort();
  return `${passed}/${names.length} nodes are available${parts.length > 0 ? `: ${parts.join(', ')}` : ''}.`;
}

export function explain(fwk: Framework, cluster: ClusterState, pod: PodInfo, opts: ExplainOptions): ExplainResult {
  const done = (r: ExplainResult): ExplainResult => {
    FIRST_REJECTIONS.set(r, failures);
    return r;
  };
  const state = fwk.newCycleState();
  // The scheduler's node order (zones in turn): ties among the best nodes break in it.
  const all = cluster.schedulingNodes();
  const candidates = opts.nodes === undefined ? all : all.filter((n) => opts.nodes?.includes(n.name));

  // The first Error, in the order the scheduler meets them (it ends the cycle there), worded as
  // the run words it (its placements.csv `error` row): `message` gives that from the status's.
  let error: string | null = null;
  const noteError = (v: Verdict, message: (m: string) => string = (m) => m) => {
    if (v !== null && v.code === Code.Error) error ??= message(v.message);
  };
  const preFilter: Record<string, ExplainStatus> = {};
  const skipped = new Set<string>();
  const failed = new Map<string, Status>();
  let allowed: Map<string, ReadonlySet<string>> | null = null;
  for (const p of fwk.preFilter) {
    const { status, result } = p.preFilter(state, pod, all);
    if (status !== null && status.code === Code.Skip) {
      skipped.add(p.name);
      preFilter[p.name] = { code: 'Skip' };
    } else if (status !== null && status.code !== Code.Success) {
      failed.set(p.name, status);
      preFilter[p.name] = toStatus(status);
      noteError(status, (m) => preFilterErrorMessage(p.name, m));
    } else if (result?.nodeNames != null) {
      (allowed ??= new Map()).set(p.name, result.nodeNames);
    }
  }

  // As the scheduler's cycle state records them: preemption's dry run leaves them out too.
  if (skipped.size > 0) state.skipFilterPlugins = skipped;

  // A pod a preemption nominated tries that node first, alone (upstream findNodesThatFitPod →
  // evaluateNominatedNode, after PreFilter, not narrowed by a PreFilter node subset): passing,
  // it is the answer, and the cycle meets nothing else (an Error there is only logged upstream).
  const nominated = pod.nominatedNodeName === null || failed.size > 0 || error !== null ? undefined : candidates.find((n) => n.name === pod.nominatedNodeName);
  let nominatedFits = false;
  if (nominated !== undefined) {
    const v = new FilterRunner(opts.nominator ?? new PodNominator()).run(fwk, state, pod, nominated, skipped);
    nominatedFits = v === null || v.code === Code.Success;
  }

  const nodes: Record<string, ExplainNode> = {};
  const feasible: NodeInfo[] = [];
  const failures = new Map<string, Status>();
  for (const n of candidates) {
    const filter: Record<string, ExplainStatus> = {};
    let first: Status | null = null;
    // Upstream RunFilterPluginsWithNominatedPods: with the nominated pods added first, and when
    // that passes, without them (a nominated pod may never arrive). Per plugin: its verdict with
    // them when it rejects, else its verdict without; a node rejected with them keeps that
    // first rejection, as the scheduler reports it.
    const added = opts.nominator === undefined ? null : addNominatedPods(fwk, state, pod, n, opts.nominator);
    let firstWith: Status | null = null;
    if (added !== null && added.error !== null) {
      firstWith = added.error;
      noteError(added.error);
    }
    for (const f of fwk.filter) {
      let v: Verdict = null;
      const pre = failed.get(f.name);
      const subset = allowed?.get(f.name);
      if (pre !== undefined) v = pre;
      else if (subset !== undefined && !subset.has(n.name)) v = Status.unresolvable(`node(s) didn't satisfy plugin(s) [${f.name}]`);
      else if (added !== null && added.error !== null && added.error.plugin === f.name) v = added.error;
      else if (!skipped.has(f.name)) {
        if (added !== null && added.error === null) {
          v = checkedVerdict(f.filter(added.state, pod, added.node), f.name, 'Filter');
          if (v !== null && v.code !== Code.Success) firstWith ??= v;
          else v = null;
        }
        v ??= checkedVerdict(f.filter(state, pod, n), f.name, 'Filter');
        noteError(v, (m) => filterErrorMessage(f.name, m));
      }
      filter[f.name] = toStatus(v);
      if (v !== null && v.code !== Code.Success && first === null) first = v;
      if (pre !== undefined || (subset !== undefined && !subset.has(n.name))) firstWith ??= v;
    }
    if (added !== null && firstWith !== null) first = firstWith;
    // A PreFilter that failed rejects the pod even when its plugin has no Filter.
    for (const [name, st] of failed) {
      if (!(name in filter)) filter[name] = toStatus(st);
      first ??= st;
    }
    nodes[n.name] = { filter };
    if (first === null) feasible.push(n);
    else failures.set(n.name, first);
  }

  // The decision scores the feasible nodes alone, as the scheduler does (upstream
  // schedule_one.go schedulePod → prioritizeNodes(feasibleNodes)): PreScore, NormalizeScore and
  // the pick see them only. --score-all-nodes scores the failing candidates apart afterwards, on
  // a copy of the cycle state, so that nothing of theirs reaches the decision.
  const apartState = opts.scoreAllNodes === true && opts.noScoring !== true && failures.size > 0 ? state.clone() : null;
  const decision = scoreNodes(fwk, state, pod, opts.noScoring === true ? [] : feasible);
  error ??= decision.error;
  const preScore = decision.preScore;
  for (const n of feasible) {
    const score = decision.scores.get(n.name);
    if (score !== undefined) nodes[n.name] = { ...(nodes[n.name] as ExplainNode), score, total: decision.totals.get(n.name) as number };
  }
  if (apartState !== null) {
    // Among themselves: what each would score were the failing nodes the only candidates. An
    // Error here is not the cycle's (the scheduler never scores them).
    const apart = scoreNodes(fwk, apartState, pod, candidates.filter((n) => failures.has(n.name)));
    for (const [name, score] of apart.scores) nodes[name] = { ...(nodes[name] as ExplainNode), score, total: apart.totals.get(name) as number, scoredApart: true };
  }
  const totals = decision.totals;

  // The nominated node when it passed (the other nodes' verdicts and scores are for reading);
  // else the feasible node of highest total, ties broken as the scheduler breaks them.
  const tried = nominated === undefined ? {} : { nominatedNode: nominated.name };
  if (nominated !== undefined && nominatedFits) return done({ pod: pod.key, profile: fwk.profileName, preFilter, preScore, nodes, selected: nominated.name, ...tried });
  const feasibleTotals = Float64Array.from(feasible, (n) => totals.get(n.name) ?? 0);
  const pick = feasible.length === 0 ? -1 : pickTopScore(feasibleTotals, opts.rng);
  const selected = pick < 0 ? null : (feasible[pick] as NodeInfo).name;
  const result: ExplainResult = { pod: pod.key, profile: fwk.profileName, preFilter, preScore, nodes, selected, ...tried };
  if (error !== null) return done({ ...result, selected: null, error });
  if (selected !== null) {
    // The other nodes of the top total: upstream selectHost picks among them at random.
    const top = feasibleTotals[pick] as number;
    const tiedWith = feasible.filter((_n, i) => i !== pick && feasibleTotals[i] === top).map((n) => n.name);
    return done(tiedWith.length === 0 ? result : { pod: pod.key, profile: fwk.profileName, preFilter, preScore, nodes, selected, tiedWith, ...tried });
  }
  // Nodes left out by --nodes that a PreFilter's node subset excludes count as the scheduler
  // counts them (upstream SetAbsentNodesStatus): a daemon pod pinned to its node gets the run's
  // "0/4 nodes are available: 1 Insufficient cpu, 3 node(s) didn't satisfy plugin(s) [NodeAffinity]."
  let absent: Status | null = null;
  let absentCount = 0;
  if (allowed !== null && candidates.length < all.length) {
    const subsets = [...allowed.values()];
    const isCandidate = new Set(candidates.map((n) => n.name));
    for (const n of all) if (!isCandidate.has(n.name) && !subsets.every((s) => s.has(n.name))) absentCount++;
    absent = Status.unresolvable(`node(s) didn't satisfy plugin(s) [${[...allowed.keys()].sort().join(' ')}]`);
  }
  const fitError = failed.size > 0 ? `0/${all.length} nodes are available: ${[...failed.values()][0]?.message}.` : fitErrorMessage(all.length, failures, absent, absentCount);
  // kube-scheduler's message ends with what PostFilter (preemption) said, as a run's does
  // (ScheduleAlgorithm.postFilter). Its dry run deletes nothing here: explain's handle ignores
  // deletions, and the nomination it may make is not kept.
  if (fwk.postFilter.length === 0) return done({ ...result, reason: fitError });
  const statuses: ReadonlyMap<string, Verdict> = failed.size > 0 ? NodeToStatus.every(candidates, [...failed.values()][0] as Status) : failures;
  const before = opts.deleted?.length ?? 0;
  const { status, result: post } = runPostFilterPlugins(fwk, state, pod, statuses);
  const msg = status === null ? '' : status.message;
  const node = status === null ? (post?.nominatedNodeName ?? null) : null;
  if (node !== null) {
    const victims = (opts.deleted ?? []).slice(before).map((v) => v.key);
    return done({ ...result, reason: `${fitError} preemption: would nominate ${node}, evicting ${victims.length === 0 ? 'no pod' : victims.join(', ')}`, preemption: { node, victims } });
  }
  return done({ ...result, reason: msg === '' ? fitError : `${fitError} ${msg}` });
}

/** A DaemonSet's explanation (see ExplainResult.daemonSet) from the explanations of its pods, one
 * per node the controller creates a pod for, each explained on its node alone (`perNode`, in the
 * scheduler's node order), and the nodes it creates none for (`notCreated`). */
export function daemonSetExplanation(name: string, profile: string, perNode: ReadonlyMap<string, ExplainResult>, notCreated: Readonly<Record<string, string>>): ExplainResult {
  const nodes: Record<string, ExplainNode> = {};
  const placed: string[] = [];
  const unschedulable: Record<string, string> = {};
  const preFilter: Record<string, ExplainStatus> = {};
  const firsts = new Map<string, Status>();
  const preemption: Record<string, readonly string[]> = {};
  for (const [node, r] of perNode) {
    if (r.preemption !== undefined) preemption[node] = r.preemption.victims;
    nodes[node] = { filter: (r.nodes[node] as ExplainNode).filter };
    // The pods differ only in their node-name affinity: their PreFilter statuses are the same.
    for (const [k, v] of Object.entries(r.preFilter)) preFilter[k] ??= v;
    const first = FIRST_REJECTIONS.get(r)?.get(node);
    if (first !== undefined) firsts.set(node, first);
    if (r.error !== undefined) unschedulable[node] = `error: ${r.error}`;
    else if (r.selected === node) placed.push(node);
    else unschedulable[node] = r.reason ?? '';
  }
  const result: ExplainResult = { pod: name, profile, preFilter, preScore: {}, nodes, selected: null, daemonSet: { name, placed, unschedulable, notCreated, ...(Object.keys(preemption).length > 0 ? { preemption } : {}) } };
  FIRST_REJECTIONS.set(result, firsts);
  return result;
}

/** PreScore, Score, NormalizeScore and weighting over `scored`, each score kept for reading, as
 * the scheduler's prioritize does them; the first Error met (the message a run's placements.csv
 * `error` row has) is returned, not thrown. */
function scoreNodes(fwk: Framework, state: CycleState, pod: PodInfo, scored: readonly NodeInfo[]): { preScore: Record<string, ExplainStatus>; scores: Map<string, Record<string, ExplainScore>>; totals: Map<string, number>; error: string | null } {
  let error: string | null = null;
  const preScore: Record<string, ExplainStatus> = {};
  const scoreSkipped = new Set<string>();
  const scores = new Map<string, Record<string, ExplainScore>>();
  const totals = new Map<string, number>();
  if (scored.length === 0) return { preScore, scores, totals, error };
  for (const p of fwk.preScore) {
    const v = checkedVerdict(p.preScore(state, pod, scored), p.name, 'PreScore');
    if (v === null || v.code === Code.Success) continue;
    preScore[p.name] = toStatus(v);
    scoreSkipped.add(p.name);
    if (v.code === Code.Error) error ??= `running PreScore plugin "${p.name}": ${v.message}`;
  }
  for (const n of scored) {
    scores.set(n.name, {});
    totals.set(n.name, 0);
  }
  fwk.score.forEach((plugin: ScorePlugin, j) => {
    if (scoreSkipped.has(plugin.name)) return;
    const raw = new Float64Array(scored.length);
    scored.forEach((n, i) => {
      const s: unknown = plugin.score(state, pod, n);
      if (typeof s !== 'number') error ??= notANumberScore(plugin.name, s).message;
      else if (plugin.normalizeScore !== undefined && !Number.isSafeInteger(s)) error ??= invalidScore(plugin.name, s, true).message;
      raw[i] = s as number;
    });
    const norm = Float64Array.from(raw);
    if (plugin.normalizeScore !== undefined) {
      const v = checkedVerdict(plugin.normalizeScore(state, pod, scored, norm), plugin.name, 'NormalizeScore');
      if (v !== null && v.code === Code.Error) error ??= v.message;
    }
    const bad = norm.findIndex((s) => !isValidNodeScore(s));
    if (bad >= 0) error ??= invalidScore(plugin.name, norm[bad] as number, false).message;
    const weight = fwk.scoreWeights[j] as number;
    scored.forEach((n, i) => {
      const normalized = norm[i] as number;
      // `+ 0`: a score of 0 times a negative weight is -0, shown as 0.
      const weighted = normalized * weight + 0;
      (scores.get(n.name) as Record<string, ExplainScore>)[plugin.name] = { raw: raw[i] as number, normalized, weight, weighted };
      totals.set(n.name, (totals.get(n.name) as number) + weighted);
    });
  });
  return { preScore, scores, totals, error };
}
