// LimitRanger admission for pod creates (upstream plugin/pkg/admission/limitranger/admission.go,
// on by default), against the v1 LimitRange objects of the pod's namespace (kind "LimitRange" in
// the state store, in name order):
//  - mutate (PodMutateLimitFunc): every container and init container gets, for each resource it
//    does not request, the LimitRange's `defaultRequest`, and for each it does not limit, its
//    `default` (items of type Container); the pod is annotated
//    `kubernetes.io/limit-ranger: LimitRanger plugin set: cpu, memory request for container c; ...`.
//    A container's requests are those after the API's defaulting (a limit without a request
//    requests the limit, pkg/apis/core/v1/defaults.go), which runs before admission upstream;
//  - validate (PodValidateLimitFunc): items of type Container check `min`, `max` and
//    `maxLimitRequestRatio` on every container and init container, items of type Pod on the pod's
//    requests and limits (upstream's podRequests / podLimits: containers summed, init containers
//    as steps, sidecars, pod-level resources; no overhead). A violation refuses the create with
//    upstream's Forbidden message, all of one LimitRange's violations together.
// The LimitRange objects themselves are stored defaulted as the API server stores them
// (defaultedLimitRangeItem: `default` from `max`, `defaultRequest` from `default` then `min`).
// Messages list resources in name order (upstream ranges over Go maps, in no fixed order) and
// quantities in upstream's canonical spelling.
import type { Container, PodSpec } from 'kubernetes-types/core/v1.js';
import { addQuantities, canonicalQuantity, compareQuantities, parseQuantity, type Quantity } from '../api/quantity.js';
import { effectiveRequests, isSupportedPodLevelResource, podLevelResources } from '../cluster/resources.js';
import type { WorkloadObject } from '../cluster/workload-object.js';

export const LIMIT_RANGE_KIND = 'LimitRange';
export const LIMIT_RANGER_ANNOTATION = 'kubernetes.io/limit-ranger';
export const LIMIT_TYPE_CONTAINER = 'Container';
export const LIMIT_TYPE_POD = 'Pod';
export const LIMIT_TYPE_PVC = 'PersistentVolumeClaim';

export type ResourceList = Record<string, string | number>;

/** v1 LimitRangeItem. */
export interface LimitRangeItem {
  readonly type?: string;
  readonly max?: ResourceList;
  readonly min?: ResourceList;
  readonly default?: ResourceList;
  readonly defaultRequest?: ResourceList;
  readonly maxLimitRequestRatio?: ResourceList;
}

/**
 * Upstream SetDefaults_LimitRangeItem (pkg/apis/core/v1/defaults.go), for items of type
 * Container: a resource with a `max` but no `default` gets the max as its default; one with a
 * `default` but no `defaultRequest` gets the default as its default request; then one with a
 * `min` and still no `defaultRequest` gets the min. Other items are returned as they are.
 */
export function defaultedLimitRangeItem(item: LimitRangeItem): LimitRangeItem {
  if (item.type !== LIMIT_TYPE_CONTAINER) return item;
  const dflt: ResourceList = { ...(item.default ?? {}) };
  const dreq: ResourceList = { ...(item.defaultRequest ?? {}) };
  for (const [k, v] of Object.entries(item.max ?? {})) if (!Object.hasOwn(dflt, k)) dflt[k] = v;
  for (const [k, v] of Object.entries(dflt)) if (!Object.hasOwn(dreq, k)) dreq[k] = v;
  for (const [k, v] of Object.entries(item.min ?? {})) if (!Object.hasOwn(dreq, k)) dreq[k] = v;
  return { ...item, default: dflt, defaultRequest: dreq };
}

/** spec.limits of a LimitRange object (as stored: defaulted when it was read). */
export function limitRangeItems(o: WorkloadObject): readonly LimitRangeItem[] {
  return ((o.spec as { limits?: LimitRangeItem[] } | undefined)?.limits ?? []);
}

// ---- mutation ----------------------------------------------------------------------------------

/** Upstream defaultContainerResourceRequirements: the requests and limits a container without
 * them gets (the Container items' defaultRequest and default; a later item's value wins). */
export function defaultContainerRequirements(items: readonly LimitRangeItem[]): { requests: ResourceList; limits: ResourceList } {
  const requests: ResourceList = {};
  const limits: ResourceList = {};
  for (const item of items) {
    if (item.type !== LIMIT_TYPE_CONTAINER) continue;
    Object.assign(requests, item.defaultRequest ?? {});
    Object.assign(limits, item.default ?? {});
  }
  return { requests, limits };
}

/** What one LimitRange's mutation makes of a pod's containers. */
export interface MutatedContainers {
  readonly containers: Container[];
  readonly initContainers: Container[] | undefined;
  /** The value of the kubernetes.io/limit-ranger annotation, or null when nothing was set. */
  readonly annotation: string | null;
}

/** Upstream mergeContainerResources for one container: `c` itself when it lacks nothing. */
function mergeContainer(c: Container, defaults: { requests: ResourceList; limits: ResourceList }, prefix: string, notes: string[]): Container {
  const requested = effectiveRequests(c.resources) ?? {};
  const limits = (c.resources?.limits ?? {}) as ResourceList;
  const setLimits = Object.keys(defaults.limits).filter((k) => !Object.hasOwn(limits, k)).sort();
  const setRequests = Object.keys(defaults.requests).filter((k) => !Object.hasOwn(requested, k)).sort();
  if (setRequests.length > 0) notes.push(`${setRequests.join(', ')} request for ${prefix} ${c.name}`);
  if (setLimits.length > 0) notes.push(`${setLimits.join(', ')} limit for ${prefix} ${c.name}`);
  if (setRequests.length === 0 && setLimits.length === 0) return c;
  const resources: Record<string, ResourceList> = { ...(c.resources as Record<string, ResourceList> | undefined) };
  if (setRequests.length > 0) {
    const r: ResourceList = { ...((c.resources?.requests ?? {}) as ResourceList) };
    for (const k of setRequests) r[k] = defaults.requests[k] as string | number;
    resources['requests'] = r;
  }
  if (setLimits.length > 0) {
    const l: ResourceList = { ...limits };
    for (const k of setLimits) l[k] = defaults.limits[k] as string | number;
    resources['limits'] = l;
  }
  return { ...c, resources };
}

/**
 * Upstream PodMutateLimitFunc for one LimitRange: the containers with the defaults merged in.
 * Returns the same arrays when nothing changes.
 */
export function mutateContainers(items: readonly LimitRangeItem[], containers: Container[], initContainers: Container[] | undefined): MutatedContainers {
  const defaults = defaultContainerRequirements(items);
  const notes: string[] = [];
  const cs = containers.map((c) => mergeContainer(c, defaults, 'container', notes));
  const ics = initContainers?.map((c) => mergeContainer(c, defaults, 'init container', notes));
  const same = (a: readonly Container[] | undefined, b: readonly Container[] | undefined) => a === b || (a !== undefined && b !== undefined && a.every((c, i) => c === b[i]));
  return {
    containers: same(cs, containers) ? containers : cs,
    initContainers: same(ics, initContainers) ? initContainers : ics,
    annotation: notes.length === 0 ? null : `LimitRanger plugin set: ${notes.join('; ')}`,
  };
}

// ---- validation --------------------------------------------------------------------------------

type QuantityList = Map<string, Quantity>;

function quantities(list: ResourceList | undefined): QuantityList {
  const out: QuantityList = new Map();
  for (const k of Object.keys(list ?? {}).sort()) out.set(k, parseQuantity((list as ResourceList)[k] as string | number));
  return out;
}

/** Upstream minConstraint. */
function minConstraint(limitType: string, name: string, enforced: Quantity, request: QuantityList, limit: QuantityList): string | null {
  const req = request.get(name);
  const lim = limit.get(name);
  const e = canonicalQuantity(enforced);
  if (req === undefined) return `minimum ${name} usage per ${limitType} is ${e}.  No request is specified`;
  if (compareQuantities(enforced, req) > 0) return `minimum ${name} usage per ${limitType} is ${e}, but request is ${canonicalQuantity(req)}`;
  if (lim !== undefined && compareQuantities(enforced, lim) > 0) return `minimum ${name} usage per ${limitType} is ${e}, but limit is ${canonicalQuantity(lim)}`;
  return null;
}

/** Upstream maxConstraint. */
function maxConstraint(limitType: string, name: string, enforced: Quantity, request: QuantityList, limit: QuantityList): string | null {
  const req = request.get(name);
  const lim = limit.get(name);
  const e = canonicalQuantity(enforced);
  if (lim === undefined) return `maximum ${name} usage per ${limitType} is ${e}.  No limit is specified`;
  if (compareQuantities(lim, enforced) > 0) return `maximum ${name} usage per ${limitType} is ${e}, but limit is ${canonicalQuantity(lim)}`;
  if (req !== undefined && compareQuantities(req, enforced) > 0) return `maximum ${name} usage per ${limitType} is ${e}, but request is ${canonicalQuantity(req)}`;
  return null;
}

/** limit / request to six decimals, rounded half to even (upstream's "%f" of the ratio). */
function ratioText(lim: Quantity, req: Quantity): string {
  const e = Math.min(lim.exponent, req.exponent);
  const l = (lim.mantissa < 0n ? -lim.mantissa : lim.mantissa) * 10n ** BigInt(lim.exponent - e);
  const r = (req.mantissa < 0n ? -req.mantissa : req.mantissa) * 10n ** BigInt(req.exponent - e);
  const scaled = l * 1_000_000n;
  let q = scaled / r;
  const rem = scaled % r;
  if (rem * 2n > r || (rem * 2n === r && q % 2n === 1n)) q++;
  const s = q.toString().padStart(7, '0');
  return `${s.slice(0, -6)}.${s.slice(-6)}`;
}

/** Upstream limitRequestRatioConstraint: limit ≤ request × ratio, compared exactly. */
function ratioConstraint(limitType: string, name: string, enforced: Quantity, request: QuantityList, limit: QuantityList): string | null {
  const req = request.get(name);
  const lim = limit.get(name);
  const e = canonicalQuantity(enforced);
  if (req === undefined || req.mantissa === 0n) return `${name} max limit to request ratio per ${limitType} is ${e}, but no request is specified or request is 0`;
  if (lim === undefined || lim.mantissa === 0n) return `${name} max limit to request ratio per ${limitType} is ${e}, but no limit is specified or limit is 0`;
  // limit > request × ratio
  const product: Quantity = { mantissa: req.mantissa * enforced.mantissa, exponent: req.exponent + enforced.exponent, format: 'DecimalSI', text: '' };
  if (compareQuantities(lim, product) > 0) return `${name} max limit to request ratio per ${limitType} is ${e}, but provided ratio is ${ratioText(lim, req)}`;
  return null;
}

/** One item's min, max and ratio checks on one set of requests and limits. */
function checkItem(item: ParsedItem, request: QuantityList, limit: QuantityList, errs: string[]): void {
  const push = (m: string | null) => void (m !== null && errs.push(m));
  for (const [k, v] of item.min) push(minConstraint(item.type, k, v, request, limit));
  for (const [k, v] of item.max) push(maxConstraint(item.type, k, v, request, limit));
  for (const [k, v] of item.ratio) push(ratioConstraint(item.type, k, v, request, limit));
}

interface ParsedItem {
  readonly type: string;
  readonly min: QuantityList;
  readonly max: QuantityList;
  readonly ratio: QuantityList;
}

/** Parsed items per stored LimitRange object (stored objects are never changed in place). */
const parsedItems = new WeakMap<WorkloadObject, readonly ParsedItem[]>();

function parsedItemsOf(o: WorkloadObject): readonly ParsedItem[] {
  let p = parsedItems.get(o);
  if (p === undefined) {
    p = limitRangeItems(o).map((i) => ({ type: i.type ?? '', min: quantities(i.min), max: quantities(i.max), ratio: quantities(i.maxLimitRequestRatio) }));
    parsedItems.set(o, p);
  }
  return p;
}

/** A container's requests (after the API's defaulting from limits) and limits. */
function containerLists(c: Container): [QuantityList, QuantityList] {
  return [quantities(effectiveRequests(c.resources)), quantities(c.resources?.limits as ResourceList | undefined)];
}

function addInto(into: QuantityList, from: QuantityList): void {
  for (const [k, v] of from) {
    const cur = into.get(k);
    into.set(k, cur === undefined ? v : addQuantities(cur, v));
  }
}

function maxInto(into: QuantityList, from: QuantityList): void {
  for (const [k, v] of from) {
    const cur = into.get(k);
    if (cur === undefined || compareQuantities(v, cur) > 0) into.set(k, v);
  }
}

/** Upstream limitranger podRequests / podLimits (which: 0 requests, 1 limits): app containers
 * and sidecars summed, the largest init step, then pod-level values of supported resources
 * (PodLevelResources, on in v1.36; a pod-level limit without a request gives the request the
 * API defaulting gives it: the containers' aggregate when they name it, else the limit). */
function podList(spec: PodSpec, which: 0 | 1): QuantityList {
  const total: QuantityList = new Map();
  for (const c of spec.containers ?? []) addInto(total, containerLists(c)[which]);
  const restartable: QuantityList = new Map();
  const initMax: QuantityList = new Map();
  for (const c of spec.initContainers ?? []) {
    const own = containerLists(c)[which];
    if (c.restartPolicy === 'Always') {
      addInto(total, own);
      addInto(restartable, own);
      maxInto(initMax, restartable);
    } else {
      const step: QuantityList = new Map(own);
      addInto(step, restartable);
      maxInto(initMax, step);
    }
  }
  maxInto(total, initMax);
  const podLevel = podLevelResources({ spec });
  if (podLevel !== undefined) {
    const reqs = quantities(podLevel.requests as ResourceList | undefined);
    const lims = quantities(podLevel.limits as ResourceList | undefined);
    const own = which === 0 ? reqs : lims;
    for (const [k, v] of own) if (isSupportedPodLevelResource(k)) total.set(k, v);
    if (which === 0) for (const [k, v] of lims) if (isSupportedPodLevelResource(k) && !reqs.has(k) && !total.has(k)) total.set(k, v);
  }
  return total;
}

/** Upstream utilerrors.NewAggregate(errs).Error(): one message, or several (duplicates dropped)
 * in brackets. */
export function aggregateMessage(errs: readonly string[]): string | null {
  const unique = [...new Set(errs)];
  if (unique.length === 0) return null;
  return unique.length === 1 ? (unique[0] as string) : `[${unique.join(', ')}]`;
}

/**
 * Upstream PodValidateLimitFunc for one LimitRange: why `spec` violates it (the aggregated
 * message), or null.
 */
export function validatePodLimits(range: WorkloadObject, spec: PodSpec): string | null {
  const errs: string[] = [];
  for (const item of parsedItemsOf(range)) {
    if (item.type === LIMIT_TYPE_CONTAINER) {
      for (const c of spec.containers ?? []) checkItem(item, ...containerLists(c), errs);
      for (const c of spec.initContainers ?? []) checkItem(item, ...containerLists(c), errs);
    } else if (item.type === LIMIT_TYPE_POD) {
      checkItem(item, podList(spec, 0), podList(spec, 1), errs);
    }
  }
  return aggregateMessage(errs);
}

/**
 * The API server's validation of a pod's containers after mutating admission (upstream
 * ValidateResourceRequirements): a request above its limit, now that a default limit was merged
 * in, makes the pod invalid. Returns the `Pod "<name>" is invalid: ...` reason, or null.
 */
export function invalidRequests(name: string, spec: PodSpec): string | null {
  const errs: string[] = [];
  const check = (list: 'containers' | 'initContainers') => {
    (spec[list] ?? []).forEach((c, i) => {
      const [req, lim] = [quantities(c.resources?.requests as ResourceList | undefined), quantities(c.resources?.limits as ResourceList | undefined)];
      for (const [k, q] of req) {
        const l = lim.get(k);
        if (l === undefined) continue;
        const overcommit = isOvercommitAllowed(k);
        if (!overcommit && compareQuantities(q, l) !== 0) errs.push(`spec.${list}[${i}].resources.requests: Invalid value: "${canonicalQuantity(q)}": must be equal to ${k} limit of ${canonicalQuantity(l)}`);
        else if (compareQuantities(q, l) > 0) errs.push(`spec.${list}[${i}].resources.requests: Invalid value: "${canonicalQuantity(q)}": must be less than or equal to ${k} limit of ${canonicalQuantity(l)}`);
      }
    });
  };
  check('containers');
  check('initContainers');
  const m = aggregateMessage(errs);
  return m === null ? null : `Pod "${name}" is invalid: ${m}`;
}

/** Upstream helper.IsOvercommitAllowed: native resources (no domain, or kubernetes.io/) other
 * than hugepages. */
function isOvercommitAllowed(name: string): boolean {
  const slash = name.indexOf('/');
  const native = slash < 0 || name.slice(0, slash).endsWith('kubernetes.io');
  return native && !name.startsWith('hugepages-');
}

// ---- the plugin --------------------------------------------------------------------------------

/** The mutated containers per LimitRange list and container arrays: the pods of one template
 * share their containers (one stored copy, not one per pod). The lists are the store's
 * inNamespace answers, new whenever a LimitRange changes. */
const mutations = new WeakMap<readonly WorkloadObject[], WeakMap<Container[], Map<Container[] | null, MutatedContainers>>>();

/** LimitRanger's mutation with every LimitRange of the namespace, in order (a later one only
 * adds what the earlier ones left unset; its annotation replaces theirs when it sets anything). */
export function mutateWithRanges(ranges: readonly WorkloadObject[], containers: Container[], initContainers: Container[] | undefined): MutatedContainers {
  let byContainers = mutations.get(ranges);
  if (byContainers === undefined) mutations.set(ranges, (byContainers = new WeakMap()));
  let byInit = byContainers.get(containers);
  if (byInit === undefined) byContainers.set(containers, (byInit = new Map()));
  const known = byInit.get(initContainers ?? null);
  if (known !== undefined) return known;
  let out: MutatedContainers = { containers, initContainers, annotation: null };
  for (const r of ranges) {
    const m = mutateContainers(limitRangeItems(r), out.containers, out.initContainers);
    out = { containers: m.containers, initContainers: m.initContainers, annotation: m.annotation ?? out.annotation };
  }
  byInit.set(initContainers ?? null, out);
  return out;
}

/** LimitRanger's validation: the first LimitRange the pod violates, as the reason (without the
 * `pods "<name>" is forbidden: ` prefix), or null. */
export function validateWithRanges(ranges: readonly WorkloadObject[], spec: PodSpec): string | null {
  for (const r of ranges) {
    const m = validatePodLimits(r, spec);
    if (m !== null) return m;
  }
  return null;
}
