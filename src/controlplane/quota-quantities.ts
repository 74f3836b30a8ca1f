// How upstream's quota refusals print amounts (staging/src/k8s.io/apiserver/pkg/admission/plugin/
// resourcequota/controller.go prettyPrint: each quantity's String()). A resource.Quantity keeps
// the format it was written in (DecimalSI for "1500M" or "2", BinarySI for "1Gi", DecimalExponent
// for "1e9"), and String() spells its value canonically in that format (canonicalQuantity), so
// a limit of 1500M prints "1500M", not ksim's bytes, and a hard of 2G prints "2G". A sum keeps
// the format of its first non-zero term (Quantity.Add takes the other's format while it is zero):
//  - requested: the pod's usage, PodRequests / PodLimits as upstream aggregates them
//    (component-helpers resource/helpers.go addResourceList, maxResourceList);
//  - used: status.used, the quota controller's sum over the pods it matches (CalculateUsageStats,
//    starting from a DecimalSI zero): upstream lists the pods in no set order, ksim adds them in
//    creation order, so with pods written in different formats the first created sets it;
//  - limited: status.hard, spec.hard as written, canonical.
// The amounts are ksim's own (what the check decided on); only their spelling comes from here.
// Called only for a refusal: nothing here is on a hot path.
import type { Container, Pod } from 'kubernetes-types/core/v1.js';
import { addQuantities, canonicalQuantity, compareQuantities, parseQuantity, type Quantity, type QuantityFormat } from '../api/quantity.js';
import { effectiveRequests, isPodLevelResourcesSet, isSupportedPodLevelResource, podLevelResources } from '../cluster/resources.js';

type List = Record<string, string | number> | undefined;

/** `v` (millicores for cpu resources, base units otherwise) as upstream prints it in `format`. */
export function printQuotaAmount(resource: string, v: number, format: QuantityFormat): string {
  const cpu = resource === 'cpu' || resource.endsWith('.cpu');
  return canonicalQuantity({ mantissa: BigInt(v), exponent: cpu ? -3 : 0, format, text: '' });
}

/** A spec.hard amount as upstream prints status.hard. */
export function printHard(raw: string | number): string {
  return canonicalQuantity(parseQuantity(raw));
}

/** The container resource and the list (requests or limits) a quota resource charges, or null
 * for an object count. */
function podResourceOf(resource: string): { name: string; limits: boolean } | null {
  if (resource === 'pods' || resource.startsWith('count/')) return null;
  if (resource.startsWith('limits.')) return { name: resource.slice('limits.'.length), limits: true };
  if (resource.startsWith('requests.')) return { name: resource.slice('requests.'.length), limits: false };
  return { name: resource, limits: false };
}

/** The format of `pod`'s usage of a quota resource (DecimalSI for counts and absent amounts). */
export function podUsageFormat(pod: Pod, resource: string): QuantityFormat {
  const of = podResourceOf(resource);
  if (of === null) return 'DecimalSI';
  return podAmount(pod, of.name, of.limits)?.format ?? 'DecimalSI';
}

function parsed(list: List, name: string): Quantity | null {
  const v = list?.[name];
  return v === undefined ? null : parseQuantity(v);
}

/** addResourceList for one resource: a copy where absent, else Quantity.Add. */
function add(acc: Quantity | null, q: Quantity | null): Quantity | null {
  if (q === null) return acc;
  return acc === null ? q : addQuantities(acc, q);
}

/** maxResourceList for one resource: the other when absent or larger. */
function max(acc: Quantity | null, q: Quantity | null): Quantity | null {
  if (q === null) return acc;
  return acc === null || compareQuantities(q, acc) > 0 ? q : acc;
}

/** PodRequests / PodLimits of one resource, as a Quantity with upstream's format (null when
 * nothing names it). */
function podAmount(pod: Pod, name: string, limits: boolean): Quantity | null {
  const spec = pod.spec;
  const of = (c: Container): List => (limits ? (c.resources?.limits as List) : effectiveRequests(c.resources));
  let total: Quantity | null = null;
  for (const c of spec?.containers ?? []) total = add(total, parsed(of(c), name));
  let restartable: Quantity | null = null;
  let initMax: Quantity | null = null;
  for (const c of spec?.initContainers ?? []) {
    const q = parsed(of(c), name);
    let step: Quantity | null;
    if (c.restartPolicy === 'Always') {
      total = add(total, q);
      restartable = add(restartable, q);
      step = restartable;
    } else {
      step = add(add(null, q), restartable);
    }
    initMax = max(initMax, step);
  }
  total = max(total, initMax);
  const podLevel = podLevelResources(pod);
  if (podLevel !== undefined && isSupportedPodLevelResource(name)) {
    const lim = parsed(podLevel.limits as List, name);
    if (limits) {
      if (isPodLevelResourcesSet(pod) && lim !== null) total = lim;
    } else {
      // The API server's defaulting (SetDefaults_Pod): a request left out of spec.resources
      // beside a limit there is the containers' aggregate, else the limit.
      total = parsed(podLevel.requests as List, name) ?? (lim === null ? total : name.startsWith('hugepages-') ? lim : total ?? lim);
    }
  }
  const overhead = parsed(spec?.overhead as List, name);
  // PodLimits adds the overhead only to a limit that is there; PodRequests always.
  return limits ? (total === null ? null : add(total, overhead)) : add(total, overhead);
}
