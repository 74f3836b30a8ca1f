// Validation of pod-level resources (spec.resources, KEP-2837; PodLevelResources is on by default
// in v1.36), as the API server does it in pkg/apis/core/validation/validation.go
// validatePodResources:
//  - `claims` may not be set at pod level;
//  - only cpu, memory and hugepages-<size> may be named (IsSupportedPodLevelResource in
//    staging/src/k8s.io/component-helpers/resource/helpers.go), with non-negative quantities;
//  - a request may not exceed its limit, and a hugepages request must equal its limit
//    (validateResourceRequirements; hugepages cannot be overcommitted);
//  - hugepages need cpu or memory at the same level ("HugePages require cpu or memory");
//  - validatePodResourceConsistency: a pod-level request is at least the containers' aggregate
//    request of that resource (PodRequests' sum/max over containers, sidecars and init
//    containers, without overhead), and no app container's limit exceeds the pod-level limit.
// The quantities print as ksim formats them (cpu "500m" / "2", bytes with a binary suffix).
import type { Pod } from 'kubernetes-types/core/v1.js';
import { formatBytes, formatMilliCpu, parseNonNegativeInteger, parseNonNegativeMilli } from '../api/quantity.js';
import { describeValue as describe, isObject as isObj } from '../api/values.js';
import { located, type Path, type YamlDoc } from '../api/yaml-source.js';
import { computePodRequests, CPU, HUGEPAGES_PREFIX, isSupportedPodLevelResource, MEMORY, type PodSpecWithResources } from '../cluster/resources.js';

const SUPPORTED = 'a pod-level resource: cpu, memory or hugepages-<page size> (upstream: supported values: "cpu", "hugepages-", "memory")';

const format = (name: string, v: number): string => (name === CPU ? formatMilliCpu(v) : formatBytes(v));

/** Reads and checks spec.resources of a pod spec whose containers were already read. */
export function readPodLevelResources(doc: YamlDoc, specPath: Path, spec: Record<string, unknown>): void {
  const res = spec['resources'];
  if (res === undefined || res === null) return;
  const path = [...specPath, 'resources'];
  if (!isObj(res)) throw doc.error(path, 'a mapping with requests and/or limits', describe(res));
  if (res['claims'] !== undefined) throw doc.error([...path, 'claims'], 'no claims (claims cannot be set for Resources at pod-level)');
  const parsed: Record<'requests' | 'limits', Map<string, number>> = { requests: new Map(), limits: new Map() };
  for (const kind of ['requests', 'limits'] as const) {
    const list = res[kind];
    if (list === undefined || list === null) continue;
    if (!isObj(list)) throw doc.error([...path, kind], 'a mapping of resource names to quantities', describe(list));
    for (const [name, q] of Object.entries(list)) {
      if (!isSupportedPodLevelResource(name)) throw doc.error([...path, kind], SUPPORTED, JSON.stringify(name), name);
      const v = located(doc, [...path, kind, name], () => (name === CPU ? parseNonNegativeMilli(q as string | number) : parseNonNegativeInteger(q as string | number)));
      parsed[kind].set(name, v);
    }
  }
  for (const [name, req] of parsed.requests) {
    const lim = parsed.limits.get(name);
    if (lim === undefined) {
      if (name.startsWith(HUGEPAGES_PREFIX)) throw doc.error([...path, 'limits'], `a ${name} limit (Limit must be set for non overcommitable resources)`);
      continue;
    }
    if (name.startsWith(HUGEPAGES_PREFIX) && req !== lim) {
      throw doc.error([...path, 'requests', name], `a request equal to the ${name} limit of ${format(name, lim)}`, format(name, req));
    }
    if (req > lim) throw doc.error([...path, 'requests', name], `a request no larger than the ${name} limit of ${format(name, lim)}`, format(name, req));
  }
  const names = [...parsed.requests.keys(), ...parsed.limits.keys()];
  if (names.some((n) => n.startsWith(HUGEPAGES_PREFIX)) && !names.some((n) => n === CPU || n === MEMORY)) {
    throw doc.error(path, 'cpu or memory alongside hugepages (HugePages require cpu or memory)');
  }

  // Consistency with the containers.
  const pod = { spec: { ...(spec as unknown as PodSpecWithResources) } } as Pod;
  const podSpec = pod.spec as PodSpecWithResources;
  delete podSpec.resources;
  delete podSpec.overhead;
  const aggregate = computePodRequests(pod).requests;
  for (const [name, req] of parsed.requests) {
    const agg = aggregate.get(name);
    if (agg > req) {
      throw doc.error([...path, 'requests', name], `a pod-level request of at least the containers' aggregate request of ${format(name, agg)} (must be greater than or equal to aggregate container requests)`, format(name, req));
    }
  }
  const containers = Array.isArray(spec['containers']) ? (spec['containers'] as unknown[]) : [];
  containers.forEach((c, i) => {
    const limits = isObj(c) && isObj(c['resources']) ? c['resources']['limits'] : undefined;
    if (!isObj(limits)) return;
    for (const [name, q] of Object.entries(limits)) {
      const podLim = parsed.limits.get(name);
      if (podLim === undefined) continue;
      const lim = name === CPU ? parseNonNegativeMilli(q as string | number) : parseNonNegativeInteger(q as string | number);
      if (lim > podLim) {
        throw doc.error([...specPath, 'containers', i, 'resources', 'limits', name], `a container limit no larger than the pod-level ${name} limit of ${format(name, podLim)} (must be less than or equal to pod limits)`, format(name, lim));
      }
    }
  });
}
