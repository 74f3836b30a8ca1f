// ResourceQuota admission for pod creates (upstream staging/src/k8s.io/apiserver/pkg/admission/
// plugin/resourcequota/controller.go CheckRequest, with the pod evaluator of
// pkg/quota/v1/evaluator/core/pods.go). The v1 ResourceQuota objects of the pod's namespace
// (kind "ResourceQuota" in the state store) are checked in name order:
//  - Constraints: when a quota's spec.hard names cpu / requests.cpu / limits.cpu / memory /
//    requests.memory / limits.memory, every container (and init container) must set that
//    request or limit, else `failed quota: <name>: must specify <resource> for: <containers>; ...`
//    (unless the pod sets pod-level resources);
//  - usage: the pod's requests (cpu, requests.cpu, memory, requests.memory, ephemeral-storage,
//    requests.ephemeral-storage, hugepages-<size> and requests.hugepages-<size>,
//    requests.<extended resource>), limits (limits.cpu, limits.memory, limits.ephemeral-storage)
//    — both as upstream PodRequests / PodLimits, with init
//    containers, sidecars, pod-level resources (spec.resources) and overhead — and 1 for pods and count/pods, added to what the
//    namespace's non-terminal pods already use; a resource above spec.hard refuses the create
//    with `exceeded quota: <name>, requested: ..., used: ..., limited: ...` (only the exceeded
//    resources, sorted by name, as upstream's prettyPrint).
// ksim computes `used` from the pods in the store at the moment of the create instead of the
// quota controller's status.used (which admission reads, plus what it charges since). The two
// agree but for pods stuck Terminating: upstream's pod evaluator stops charging a pod once now
// is after its deletionTimestamp + deletionGracePeriodSeconds (pods.go QuotaV1Pod: "if pods are
// stuck terminating (for example, a node is lost)"), and nothing tells the quota controller when
// that moment passes (its pod monitor replenishes on a deletion, or an update that makes
// QuotaV1Pod false, evaluated at the update: pkg/controller/resourcequota/
// resource_quota_monitor.go), so status.used drops only at its next recount of the quota: the
// periodic full resync (resource_quota_controller.go Run: wait.Until(enqueueAll,
// --resource-quota-sync-period, default 5 m), a replenishment (a pod of the namespace deleted or
// finished) or the quota's creation or spec change. QuotaRecounts keeps when those happened. A quota with spec.scopes / spec.scopeSelector charges and constrains only the
// pods its scopes match, all of them (upstream podMatchesScopeFunc): Terminating / NotTerminating
// (spec.activeDeadlineSeconds set or not), BestEffort / NotBestEffort (QoS class: no cpu or memory
// request or limit in any container), PriorityClass (spec.priorityClassName: In, NotIn, Exists,
// DoesNotExist; in spec.scopes, Exists), CrossNamespacePodAffinity (a pod (anti-)affinity term
// naming namespaces or a namespaceSelector); VolumeAttributesClass (a PVC scope) matches no pod,
// and an unknown scope never gets here (src/workload/resource-quota-manifest.ts refuses it).
// count/pods counts every pod stored, finished ones too (PodUsageFunc: "object count quotas
// track all objects that are in storage"); the other resources, pods not finished. Object counts
// of other kinds are object-count-quota.ts's; the rest (storage, PVCs, Secrets, ConfigMaps: kinds
// ksim does not store) is not enforced, with a warning when the quota is read.
// Quantities print as upstream's Quantity.String() prints them, each in the format it was written
// in (src/controlplane/quota-quantities.ts: "1500M", "2G", "1536Mi", "750m").
import type { Container, Pod } from 'kubernetes-types/core/v1.js';
import type { ClusterState } from '../cluster/cluster-state.js';
import { objectKey, type WorkloadObject } from '../cluster/workload-object.js';
import type { PodInfo } from '../cluster/pod-info.js';
import type { ClusterWatcher } from './api-server.js';
import { US_PER_S } from '../engine/time.js';
import { computePodLimits, computePodRequests, effectiveRequests, HUGEPAGES_PREFIX, isPodLevelResourcesSet } from '../cluster/resources.js';
import { isExtendedResourceName } from '../scheduler/plugins/resource-allocation.js';
import { OBJECT_COUNT_RESOURCES } from './object-count-quota.js';
import { isQuotaHugePageResourceName } from './quota-names.js';
import { parseMilli, parseInteger, parseQuantity, QuantityRangeError, type QuantityFormat } from '../api/quantity.js';
import { podUsageFormat, printHard, printQuotaAmount } from './quota-quantities.js';

export const RESOURCE_QUOTA_KIND = 'ResourceQuota';

/** The resources a pod is charged (pods.go podResources). */
const POD_RESOURCES: ReadonlySet<string> = new Set([
  'pods', 'count/pods', 'cpu', 'requests.cpu', 'limits.cpu', 'memory', 'requests.memory', 'limits.memory',
  'ephemeral-storage', 'requests.ephemeral-storage', 'limits.ephemeral-storage',
]);

const REQUESTS = 'requests.';
const DEVICE_CLASS_PREFIX = 'deviceclass.resource.kubernetes.io/';

/** Whether the pod evaluator tracks a quota resource (pods.go MatchingResources): podResources,
 * hugepages-<size> and requests.hugepages-<size>, and requests.<extended resource>
 * (isExtendedResourceNameForQuota: a name outside kubernetes.io, or a DRA device class's). */
export function isPodQuotaResource(r: string): boolean {
  if (POD_RESOURCES.has(r) || isQuotaHugePageResourceName(r)) return true;
  if (!r.startsWith(REQUESTS)) return false;
  return (r.includes('/') && !r.includes('kubernetes.io/')) || r.startsWith(REQUESTS + DEVICE_CLASS_PREFIX);
}

/** Whether ksim's quota admission enforces a resource: for pods (isPodQuotaResource), or as an
 * object count of a kind ksim stores (object-count-quota.ts). */
export function isEnforcedQuotaResource(r: string): boolean {
  return isPodQuotaResource(r) || OBJECT_COUNT_RESOURCES.has(r);
}

/** Upstream pods.go validationSet: resources every container must set when a quota names them. */
const VALIDATION_SET: ReadonlySet<string> = new Set(['cpu', 'memory', 'requests.cpu', 'requests.memory', 'limits.cpu', 'limits.memory']);

const isCpu = (r: string) => r === 'cpu' || r.endsWith('.cpu');

/** Parses a spec.hard amount: millicores for cpu resources, integers otherwise. Upstream
 * accepts any non-negative quantity (ValidateResourceQuantityValue); one above 2^53 − 1 (1Ei of
 * memory, 1E of cpu in millicores) is clamped to Number.MAX_SAFE_INTEGER, which ksim's sums of
 * safe integers never pass, so it never refuses, as upstream's limit is never reached. Messages
 * print spec.hard as written (printHard). */
export function parseQuotaAmount(resource: string, q: string | number): number {
  const cpu = isCpu(resource);
  const over = cpu ? overCapMilli : overCapUnits;
  if (over.size > 0 && over.has(q)) return Number.MAX_SAFE_INTEGER;
  try {
    return cpu ? parseMilli(q) : parseInteger(q);
  } catch (e) {
    if (!(e instanceof QuantityRangeError) || parseQuantity(q).mantissa < 0n) throw e;
    // Remembered, so that the check on every pod create does not throw again.
    if (over.size >= 256) over.clear();
    over.add(q);
    return Number.MAX_SAFE_INTEGER;
  }
}

/** spec.hard amounts above the safe-integer cap, in millicores and in units. */
const overCapMilli = new Set<string | number>();
const overCapUnits = new Set<string | number>();

/** Quota usage of one pod for the enforced resources (PodRequests / PodLimits with pod-level
 * resources, as pkg/quota/v1/evaluator/core/pods.go PodUsageFunc calls them in v1.36). */
export function podQuotaUsage(pod: Pod): Map<string, number> {
  const req = computePodRequests(pod).requests;
  const lim = computePodLimits(pod);
  const usage = new Map([
    ['pods', 1], ['count/pods', 1],
    ['cpu', req.milliCpu], ['requests.cpu', req.milliCpu], ['limits.cpu', lim.milliCpu],
    ['memory', req.memory], ['requests.memory', req.memory], ['limits.memory', lim.memory],
    ['ephemeral-storage', req.ephemeralStorage], ['requests.ephemeral-storage', req.ephemeralStorage], ['limits.ephemeral-storage', lim.ephemeralStorage],
  ]);
  // podComputeUsageHelper: hugepages by their name and requests.<name>; extended resources (and
  // DRA device classes' implicit ones, schedutil.IsDRAExtendedResourceName) as requests.<name>.
  for (const name of req.scalarNames()) {
    const v = req.getScalar(name);
    if (name.startsWith(HUGEPAGES_PREFIX)) usage.set(name, v).set(REQUESTS + name, v);
    else if (isExtendedResourceName(name) || name.startsWith(DEVICE_CLASS_PREFIX)) usage.set(REQUESTS + name, v);
  }
  return usage;
}

/** What a container sets, as upstream podComputeUsageHelper names it. */
function containerSet(c: Container): Set<string> {
  const s = new Set<string>();
  const req = effectiveRequests(c.resources) ?? {};
  const lim = (c.resources?.limits ?? {}) as Record<string, unknown>;
  if (req['cpu'] !== undefined) s.add('cpu').add('requests.cpu');
  if (req['memory'] !== undefined) s.add('memory').add('requests.memory');
  if (lim['cpu'] !== undefined) s.add('limits.cpu');
  if (lim['memory'] !== undefined) s.add('limits.memory');
  return s;
}

/** The quota objects of a namespace that apply to `pod` (their scopes match it), by name. */
function quotasOf(cluster: ClusterState, namespace: string, pod: Pod): readonly WorkloadObject[] {
  const all = cluster.objects.inNamespace(RESOURCE_QUOTA_KIND, namespace);
  return all.every((q) => scopesOf(q).length === 0) ? all : all.filter((q) => quotaMatches(q, pod));
}

interface ScopeRequirement {
  readonly scopeName: string;
  readonly operator: string;
  readonly values: readonly string[];
}

/** spec.scopes (each as operator Exists) and spec.scopeSelector's matchExpressions. */
function scopesOf(q: WorkloadObject): ScopeRequirement[] {
  const spec = (q.spec ?? {}) as { scopes?: string[]; scopeSelector?: { matchExpressions?: { scopeName?: string; operator?: string; values?: string[] }[] } };
  return [
    ...(spec.scopes ?? []).map((scopeName) => ({ scopeName, operator: 'Exists', values: [] })),
    ...(spec.scopeSelector?.matchExpressions ?? []).map((e) => ({ scopeName: e.scopeName ?? '', operator: e.operator ?? '', values: e.values ?? [] })),
  ];
}

/** Whether every scope of the quota matches the pod (upstream pods.go podMatchesScopeFunc). */
export function quotaMatches(q: WorkloadObject, pod: Pod): boolean {
  return scopesOf(q).every((s) => scopeMatches(s, pod));
}

function scopeMatches(s: ScopeRequirement, pod: Pod): boolean {
  const spec = pod.spec;
  switch (s.scopeName) {
    case 'Terminating':
      return typeof spec?.activeDeadlineSeconds === 'number' && spec.activeDeadlineSeconds >= 0;
    case 'NotTerminating':
      return spec?.activeDeadlineSeconds === undefined || spec.activeDeadlineSeconds === null;
    case 'BestEffort':
      return isBestEffort(pod);
    case 'NotBestEffort':
      return !isBestEffort(pod);
    case 'PriorityClass': {
      const cls = spec?.priorityClassName ?? '';
      if (s.operator === 'Exists') return cls !== '';
      if (s.operator === 'DoesNotExist') return cls === '';
      if (s.operator === 'In') return s.values.includes(cls);
      if (s.operator === 'NotIn') return !s.values.includes(cls);
      return false;
    }
    case 'CrossNamespacePodAffinity': {
      const a = spec?.affinity;
      const terms = [
        ...(a?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []),
        ...(a?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []),
        ...(a?.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((w) => w.podAffinityTerm),
        ...(a?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((w) => w.podAffinityTerm),
      ];
      return terms.some((t) => (t.namespaces ?? []).length > 0 || (t.namespaceSelector !== undefined && t.namespaceSelector !== null));
    }
    default:
      return false;
  }
}

/** QoS class BestEffort (upstream qos.GetPodQOS): no container, init container included, sets a
 * cpu or memory request or limit. */
function isBestEffort(pod: Pod): boolean {
  const containers = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])];
  const named = (m: Record<string, unknown> | undefined) => m !== undefined && (m['cpu'] !== undefined || m['memory'] !== undefined);
  if (isPodLevelResourcesSet(pod)) return false;
  return containers.every((c) => !named(c.resources?.requests as Record<string, unknown> | undefined) && !named(c.resources?.limits as Record<string, unknown> | undefined));
}

/** The enforced spec.hard amounts of each quota. */
function hardsOf(quotas: readonly WorkloadObject[]): Map<string, number>[] {
  return quotas.map((q) => {
    const hard = (((q.spec ?? {}) as { hard?: Record<string, string | number> }).hard ?? {});
    return new Map(Object.entries(hard).filter(([r]) => isPodQuotaResource(r)).map(([r, v]) => [r, parseQuotaAmount(r, v)]));
  });
}

/** The reason `pod` may not be created under the namespace's quotas (without the
 * `pods "<name>" is forbidden: ` prefix), or null when it may. */
export function checkQuota(cluster: ClusterState, pod: Pod): string | null {
  const namespace = pod.metadata?.namespace ?? 'default';
  const quotas = quotasOf(cluster, namespace, pod);
  if (quotas.length === 0) return null;
  const hards = hardsOf(quotas);
  // Constraints first, for every quota (upstream checks them while collecting the quotas). A pod
  // with pod-level resources is exempt: its containers need not name cpu or memory (pods.go
  // Constraints returns early when IsPodLevelResourcesSet).
  const containers = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])];
  for (let i = 0; i < quotas.length; i++) {
    const required = [...hards[i]!.keys()].filter((r) => VALIDATION_SET.has(r));
    if (required.length === 0 || isPodLevelResourcesSet(pod)) continue;
    // The containers missing each resource (upstream enforcePodContainerConstraints), told as
    // Constraints has since v1.24 (kubernetes PR #107210): resources sorted, each with its
    // containers sorted ("must specify limits.memory for: a,b; requests.cpu for: b").
    const missing = new Map<string, string[]>();
    for (const c of containers) {
      const set = containerSet(c);
      for (const r of required) if (!set.has(r)) missing.set(r, [...(missing.get(r) ?? []), c.name]);
    }
    if (missing.size > 0) {
      const parts = [...missing.keys()].sort().map((r) => `${r} for: ${[...new Set(missing.get(r))].sort().join(',')}`);
      return `failed quota: ${quotas[i]!.metadata.name}: must specify ${parts.join('; ')}`;
    }
  }
  const usage = podQuotaUsage(pod);
  for (let i = 0; i < quotas.length; i++) {
    const used = quotaUsage(cluster, namespace, quotas[i]!);
    const exceeded = [...hards[i]!.entries()].filter(([r, h]) => (usage.get(r) ?? 0) > 0 && (used.get(r) ?? 0) + (usage.get(r) ?? 0) > h).map(([r]) => r).sort();
    if (exceeded.length === 0) continue;
    // Each amount spelt as upstream's Quantity.String() spells it, in the format it was written
    // in (src/controlplane/quota-quantities.ts): requests of 1500M print "1500M", a hard of 2G "2G".
    const q = quotas[i]!;
    const list = (f: (r: string) => string) => exceeded.map((r) => `${r}=${f(r)}`).join(',');
    const hard = ((q.spec ?? {}) as { hard?: Record<string, string | number> }).hard ?? {};
    return `exceeded quota: ${q.metadata.name}, requested: ${list((r) => printQuotaAmount(r, usage.get(r) ?? 0, podUsageFormat(pod, r)))}, `
      + `used: ${list((r) => printQuotaAmount(r, used.get(r) ?? 0, usedFormat(cluster, namespace, q, r)))}, limited: ${list((r) => printHard(hard[r] ?? 0))}`;
  }
  return null;
}

/** The format of the quota's status.used for `resource`: its first non-zero term's, the pods
 * taken in creation order (quota-quantities.ts). */
function usedFormat(cluster: ClusterState, namespace: string, quota: WorkloadObject, resource: string): QuantityFormat {
  if (resource === 'pods' || resource.startsWith('count/')) return 'DecimalSI';
  const scoped = scopesOf(quota).length > 0;
  const recountUs = lastRecountUs(cluster, namespace, quota);
  for (const p of cluster.pods.values()) {
    // The pods quotaUsage charges.
    if (p.namespace !== namespace || p.deleted || p.terminal || (p.terminating && quotaChargeEndUs(p) < recountUs)) continue;
    if (scoped && !quotaMatches(quota, p.pod)) continue;
    if ((podQuotaUsage(p.pod).get(resource) ?? 0) > 0) return podUsageFormat(p.pod, resource);
  }
  return 'DecimalSI';
}

/** How many pods like `pod` (its usage as checkQuota charges it) the namespace's quotas let be
 * created one after the other from now, and the quota that refuses the next one with the
 * resources it exceeds (the first such quota in name order, as checkQuota reports it); null when
 * no quota charges a resource the pod uses. Usage adds up pod by pod, so the count is the
 * smallest ⌊(hard − used) / usage⌋ over the quotas' resources the pod uses. The pod must pass
 * checkQuota's constraints (`must specify`), which do not depend on the count. */
export function quotaRoom(cluster: ClusterState, pod: Pod): { readonly copies: number; readonly quota: string; readonly resources: readonly string[] } | null {
  const namespace = pod.metadata?.namespace ?? 'default';
  const quotas = quotasOf(cluster, namespace, pod);
  if (quotas.length === 0) return null;
  const hards = hardsOf(quotas);
  const usage = podQuotaUsage(pod);
  let best: { copies: number; quota: string; resources: string[] } | null = null;
  hards.forEach((hard, i) => {
    const used = quotaUsage(cluster, namespace, quotas[i]!);
    for (const [r, h] of [...hard].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const u = usage.get(r) ?? 0;
      if (u <= 0) continue;
      const copies = Math.max(0, Math.floor((h - (used.get(r) ?? 0)) / u));
      const name = quotas[i]!.metadata.name;
      if (best === null || copies < best.copies) best = { copies, quota: name, resources: [r] };
      else if (copies === best.copies && best.quota === name) best.resources.push(r);
    }
  });
  return best;
}

/** What the namespace's stored pods that the quota's scopes match use: count/pods every one of
 * them, the other resources those not finished and not stuck Terminating past their charge's
 * end as of the quota's last recount (upstream PodUsageFunc: QuotaV1Pod excludes them from all
 * but the object count). */
function quotaUsage(cluster: ClusterState, namespace: string, quota: WorkloadObject): Map<string, number> {
  const used = new Map<string, number>();
  const scoped = scopesOf(quota).length > 0;
  // A pod whose charge ended before the quota's last recount counts only in count/pods.
  const recountUs = lastRecountUs(cluster, namespace, quota);
  for (const p of cluster.pods.values()) {
    if (p.namespace !== namespace || p.deleted) continue;
    if (scoped && !quotaMatches(quota, p.pod)) continue;
    if (p.terminal || (p.terminating && quotaChargeEndUs(p) < recountUs)) {
      used.set('count/pods', (used.get('count/pods') ?? 0) + 1);
      continue;
    }
    for (const [r, v] of podQuotaUsage(p.pod)) used.set(r, (used.get(r) ?? 0) + v);
  }
  // A snapshot's finished pods are stored too (ClusterState.finishedAtStart): count/pods only.
  for (const p of cluster.finishedAtStart.values()) {
    if (p.namespace !== namespace || (scoped && !quotaMatches(quota, p.pod))) continue;
    used.set('count/pods', (used.get('count/pods') ?? 0) + 1);
  }
  return used;
}

/** kube-controller-manager's --resource-quota-sync-period default (ResourceQuotaControllerConfiguration
 * ResourceQuotaSyncPeriod, 5 m): how often the quota controller recounts every quota in full. */
export const RESOURCE_QUOTA_SYNC_PERIOD_US = 300 * US_PER_S;

/**
 * When upstream's quota stops charging pod `p` for anything but count/pods (pods.go QuotaV1Pod:
 * once now is after metadata.deletionTimestamp + metadata.deletionGracePeriodSeconds), on the
 * run's clock; +∞ while it is not being deleted or the time is unknown. A graceful deletion sets
 * deletionTimestamp to the request's time plus the grace period (staging/src/k8s.io/apiserver/
 * pkg/registry/rest/delete.go BeforeDelete), so a pod the run deletes stops being charged two
 * grace periods after the request. A snapshot's pod has its deletionTimestamp on the run's clock
 * (PodPast.graceEndsUs) and its deletionGracePeriodSeconds; without the latter upstream charges it
 * for good, and so does ksim without the former (a snapshot holding no time).
 */
export function quotaChargeEndUs(p: PodInfo): number {
  const md = p.pod.metadata;
  if (md?.deletionTimestamp !== undefined && md.deletionTimestamp !== null) {
    const grace = md.deletionGracePeriodSeconds;
    const at = p.past?.graceEndsUs;
    return at === undefined || grace === undefined || grace === null ? Number.POSITIVE_INFINITY : at + Math.max(grace, 0) * US_PER_S;
  }
  if (p.deletionUs < 0) return Number.POSITIVE_INFINITY;
  return p.deletionUs + 2 * p.terminationGracePeriodUs;
}

/**
 * When upstream's resource quota controller recounts the quotas (syncResourceQuota computes
 * status.used afresh, QuotaV1Pod evaluated then): every RESOURCE_QUOTA_SYNC_PERIOD_US from its
 * start, t = 0 (Run: wait.Until(enqueueAll, resyncPeriod), which runs at once — for a cluster
 * snapshot, t = 0 stands for the recounts the cluster made before it); the quotas of a namespace
 * when one of its pods is deleted or finishes (the pod monitor's replenishQuota; ksim charges a
 * finished pod no more at once, as that recount does); a quota when it is created or its
 * spec.hard changes (addQuota). Kept per cluster (quotaRecountsOf); heard as a watcher, after
 * the watch delay, as the controller's informers hear.
 */
export class QuotaRecounts {
  private readonly namespaces = new Map<string, number>();
  private readonly quotas = new Map<string, number>();

  constructor(private readonly clock: () => number, readonly periodUs = RESOURCE_QUOTA_SYNC_PERIOD_US) {}

  get nowUs(): number {
    return this.clock();
  }

  /** The latest recount of `quota` (of `namespace`) at or before now. */
  lastUs(namespace: string, quota: WorkloadObject): number {
    const now = this.clock();
    let last = Math.floor(now / this.periodUs) * this.periodUs;
    const ns = this.namespaces.get(namespace);
    if (ns !== undefined && ns > last) last = ns;
    const q = this.quotas.get(objectKey(RESOURCE_QUOTA_KIND, namespace, quota.metadata.name));
    if (q !== undefined && q > last) last = q;
    return last;
  }

  readonly watcher: ClusterWatcher = {
    podDeleted: (p) => this.namespaces.set(p.namespace, this.clock()),
    finishedAtStartDeleted: (p) => this.namespaces.set(p.namespace, this.clock()),
    podPhaseChanged: (p) => {
      if (p.terminal) this.namespaces.set(p.namespace, this.clock());
    },
    objectAdded: (o) => {
      if (o.kind === RESOURCE_QUOTA_KIND) this.quotas.set(objectKey(o.kind, o.metadata.namespace, o.metadata.name), this.clock());
    },
    objectUpdated: (o, old) => {
      if (o.kind !== RESOURCE_QUOTA_KIND) return;
      const hard = (x: WorkloadObject) => JSON.stringify(((x.spec ?? {}) as { hard?: unknown }).hard ?? {});
      if (hard(o) !== hard(old)) this.quotas.set(objectKey(o.kind, o.metadata.namespace, o.metadata.name), this.clock());
    },
  };
}

const RECOUNTS = new WeakMap<ClusterState, QuotaRecounts>();

/** Gives `cluster` a quota controller's recounts on `clock` (a run's: src/run/run-scenario.ts);
 * the caller has the API server tell its watcher. */
export function trackQuotaRecounts(cluster: ClusterState, clock: () => number): QuotaRecounts {
  const r = new QuotaRecounts(clock);
  RECOUNTS.set(cluster, r);
  return r;
}

/** The latest recount of `quota`: a run's (trackQuotaRecounts); for a cluster with no clock (a
 * snapshot read by `ksim explain`), t = 0, the snapshot's own time. */
function lastRecountUs(cluster: ClusterState, namespace: string, quota: WorkloadObject): number {
  return RECOUNTS.get(cluster)?.lastUs(namespace, quota) ?? 0;
}
