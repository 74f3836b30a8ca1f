// ResourceQuota admission for the creates of objects other than pods (staging/src/k8s.io/
// apiserver/pkg/admission/plugin/resourcequota/controller.go checkRequest): the object-count
// evaluator (apiserver pkg/quota/v1/generic/evaluator.go NewObjectCountEvaluator, made on the fly
// for any resource: count/<resource>.<group>, count/<resource> for the core group, and the legacy
// name resourcequotas), and the service evaluator (pkg/quota/v1/evaluator/core/services.go:
// services, count/services, services.nodeports, services.loadbalancers). A create that would take
// the namespace's stored objects above a quota's spec.hard is refused with upstream's message
// (`deployments.apps "third" is forbidden: exceeded quota: compute, requested:
// count/deployments.apps=1, used: count/deployments.apps=2, limited: count/deployments.apps=2`),
// the quotas taken in name order. Neither evaluator matches a scoped quota (MatchesNoScopeFunc).
// Creates are charged, and a Service's updates what they add (a type changed to NodePort or
// LoadBalancer); `used` is counted from the store at the write, exact where upstream's
// status.used can lag.
import type { ClusterState } from '../cluster/cluster-state.js';
import type { WorkloadObject } from '../cluster/workload-object.js';
import { parseQuotaAmount } from './resource-quota.js';
import { printHard } from './quota-quantities.js';

/** The kinds ksim stores whose creates a quota counts: their resource (as the API names it,
 * with its group) and the quota resources they are charged to. */
const COUNTED: ReadonlyMap<string, { readonly resource: string; readonly names: readonly string[] }> = new Map([
  ['Deployment', { resource: 'deployments.apps', names: ['count/deployments.apps'] }],
  ['ReplicaSet', { resource: 'replicasets.apps', names: ['count/replicasets.apps'] }],
  ['StatefulSet', { resource: 'statefulsets.apps', names: ['count/statefulsets.apps'] }],
  ['DaemonSet', { resource: 'daemonsets.apps', names: ['count/daemonsets.apps'] }],
  ['Job', { resource: 'jobs.batch', names: ['count/jobs.batch'] }],
  ['CronJob', { resource: 'cronjobs.batch', names: ['count/cronjobs.batch'] }],
  ['PodDisruptionBudget', { resource: 'poddisruptionbudgets.policy', names: ['count/poddisruptionbudgets.policy'] }],
  ['HorizontalPodAutoscaler', { resource: 'horizontalpodautoscalers.autoscaling', names: ['count/horizontalpodautoscalers.autoscaling'] }],
  ['Service', { resource: 'services', names: ['count/services', 'services', 'services.nodeports', 'services.loadbalancers'] }],
  ['ResourceQuota', { resource: 'resourcequotas', names: ['count/resourcequotas', 'resourcequotas'] }],
  ['LimitRange', { resource: 'limitranges', names: ['count/limitranges'] }],
]);

/** The resource the API names `kind` by, with its group (`deployments.apps`), for the kinds a
 * quota counts; undefined for others. */
export function objectCountResource(kind: string): string | undefined {
  return COUNTED.get(kind)?.resource;
}

/** The object-count resources ksim enforces. */
export const OBJECT_COUNT_RESOURCES: ReadonlySet<string> = new Set([...COUNTED.values()].flatMap((c) => c.names));

interface ServiceSpecLike {
  readonly type?: string;
  readonly ports?: readonly { readonly nodePort?: number }[];
  readonly allocateLoadBalancerNodePorts?: boolean;
}

/** What one object of `kind` uses of `resource` (services.go Usage for a Service: node ports for
 * NodePort and LoadBalancer Services, those with an explicit nodePort when a LoadBalancer
 * allocates none; one load balancer for a LoadBalancer). */
function usageOf(o: WorkloadObject, resource: string): number {
  if (resource === 'services.nodeports' || resource === 'services.loadbalancers') {
    const spec = (o.spec ?? {}) as ServiceSpecLike;
    const ports = spec.ports ?? [];
    if (resource === 'services.loadbalancers') return spec.type === 'LoadBalancer' ? 1 : 0;
    if (spec.type === 'NodePort') return ports.length;
    if (spec.type !== 'LoadBalancer') return 0;
    return spec.allocateLoadBalancerNodePorts === false ? ports.filter((p) => (p.nodePort ?? 0) !== 0).length : ports.length;
  }
  return 1;
}

/** Why the API server refuses to create `o` — or, with `old`, to update `old` to `o` — under its
 * namespace's quotas (the whole message), or null when it may. Cheap when the namespace has no
 * quota naming the kind. An update is charged only for a Service (services.go Handles: "We
 * handle create and update because a service type can change"; the object-count evaluator
 * handles creates only), and only what it adds: checkRequest's deltaUsage is the new object's
 * usage less the old one's, never below 0 (SubtractWithNonNegativeResult), zeros removed; `used`
 * still holds the old object's. */
export function checkObjectCountQuota(cluster: ClusterState, o: WorkloadObject, old?: WorkloadObject): string | null {
  const counted = COUNTED.get(o.kind);
  if (counted === undefined) return null;
  if (old !== undefined && o.kind !== 'Service') return null;
  const namespace = o.metadata.namespace ?? 'default';
  // Every create is charged, a controller's too (a Deployment's own ReplicaSets: upstream's
  // admission plugin sees the Deployment controller's request like any other).
  const quotas = cluster.objects.inNamespace('ResourceQuota', namespace);
  if (quotas.length === 0) return null;
  let stored: readonly WorkloadObject[] | null = null;
  for (const q of quotas) {
    const spec = (q.spec ?? {}) as { hard?: Record<string, string | number>; scopes?: unknown[]; scopeSelector?: { matchExpressions?: unknown[] } };
    if ((spec.scopes ?? []).length > 0 || (spec.scopeSelector?.matchExpressions ?? []).length > 0) continue;
    const hard = spec.hard ?? {};
    const exceeded: { name: string; requested: number; used: number }[] = [];
    for (const name of counted.names) {
      const raw = hard[name];
      if (raw === undefined) continue;
      const requested = old === undefined ? usageOf(o, name) : usageOf(o, name) - usageOf(old, name);
      if (requested <= 0) continue; // upstream RemoveZeros: what the object does not use (or add) is not checked
      stored ??= cluster.objects.inNamespace(o.kind, namespace);
      let used = 0;
      for (const s of stored) used += usageOf(s, name);
      // Object counts are whole numbers (validation), so comparing the value is exact.
      if (used + requested > parseQuotaAmount(name, raw)) exceeded.push({ name, requested, used });
    }
    if (exceeded.length === 0) continue;
    exceeded.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const list = (f: (e: (typeof exceeded)[number]) => string) => exceeded.map((e) => `${e.name}=${f(e)}`).join(',');
    const why = `exceeded quota: ${q.metadata.name}, requested: ${list((e) => count(e.requested))}, used: ${list((e) => count(e.used))}, limited: ${list((e) => printHard(hard[e.name]!))}`;
    return `${counted.resource} "${o.metadata.name}" is forbidden: ${why}`;
  }
  return null;
}

/** A count as upstream prints a DecimalSI quantity (1000 is "1k"). */
function count(n: number): string {
  return printHard(n);
}
