// Kubernetes objects for trace rows: a bare Pod (default) or a Job wrapping the row's pods
// (`as: Job`). The entry's template (namespace, labels, priorityClassName, schedulerName,
// tolerations) applies to every pod; a row's own namespace, labels and priority win.
import { copyPlain, deepFreeze, setOwn } from '../../api/values.js';
import { copySpec } from '../shared-parts.js';
import type { Container, Pod, PodSpec, PodTemplateSpec, Toleration } from 'kubernetes-types/core/v1.js';
import type { WorkloadObject } from '../../cluster/workload-object.js';
import { WORKLOAD_ANNOTATION } from '../../cluster/pod-info.js';
import type { TracePod } from './trace-types.js';
import type { PodTemplateOptions } from './trace-entry.js';
import { isExtendedResourceName } from './fields.js';

/** A trace pod's run time (µs, already divided by the speed-up), read by the kubelet model. */
export const RUN_DURATION_ANNOTATION = 'ksim.io/run-duration-us';
/** The image every trace pod runs (traces name no images). */
export const TRACE_IMAGE = 'ksim.io/trace:latest';

/** The run duration a trace gave a pod (annotation), or undefined for other pods. */
export function traceRunDurationUs(pod: Pod): number | undefined {
  const v = pod.metadata?.annotations?.[RUN_DURATION_ANNOTATION];
  return v === undefined ? undefined : Number(v);
}

/** At most this many distinct container lists are kept for sharing (a trace whose rows all ask
 * for different amounts would otherwise keep one per row). */
const MAX_SHARED_CONTAINERS = 4096;

/**
 * The container list of a trace's pods, one frozen list per distinct requests and limits: a pod
 * of a trace lives (and, once finished, waits for the pod garbage collector) long enough to be
 * copied by every young-generation collection and promoted, and its own container, resources
 * and request texts were a fifth of its objects. Frozen, so code that changed one pod's
 * containers in place, changing them all, fails at once.
 */
export class TraceContainers {
  private readonly kept = new Map<string, readonly Container[]>();

  /** The list of the one trace container asking for `requests` and `limits` (given in the
   * order the row's columns give them). */
  of(requests: Readonly<Record<string, string>>, limits: Readonly<Record<string, string>>): Container[] {
    let key = '';
    for (const r in requests) key += `${r}=${requests[r]};`;
    key += '|';
    for (const r in limits) key += `${r}=${limits[r]};`;
    const found = this.kept.get(key);
    if (found !== undefined) return found as Container[];
    const list = containerList(requests, limits);
    if (this.kept.size >= MAX_SHARED_CONTAINERS) return list;
    deepFreeze(list);
    this.kept.set(key, list);
    return list;
  }

  /** Lists kept (for tests). */
  get size(): number {
    return this.kept.size;
  }
}

function containerList(requests: Readonly<Record<string, string>>, limits: Readonly<Record<string, string>>): Container[] {
  return [{ name: 'main', image: TRACE_IMAGE, resources: { requests: { ...requests }, ...(Object.keys(limits).length > 0 ? { limits: { ...limits } } : {}) } }];
}

export function podTemplate(row: TracePod, entry: string, t: PodTemplateOptions, runDurationUs: number | null, containers?: TraceContainers): PodTemplateSpec & { spec: PodSpec } {
  // Built by assignment, with nothing made that the pod does not keep: a row's pod is made
  // hundreds of times a simulated second, and every object made here counts.
  const requests = row.requests;
  let limits: Record<string, string> | null = null;
  for (const r in requests) if (row.guaranteed === true || isExtendedResourceName(r)) (limits ??= {})[r] = requests[r] as string;
  const annotations: Record<string, string> = { [WORKLOAD_ANNOTATION]: entry };
  if (runDurationUs !== null) annotations[RUN_DURATION_ANNOTATION] = String(runDurationUs);
  const list = containers === undefined ? containerList(requests, limits ?? NO_LIMITS) : containers.of(requests, limits ?? NO_LIMITS);
  // A row that ends (its run time) ends Succeeded; one that runs on is deleted or stays.
  const spec: PodSpec = { containers: list, restartPolicy: runDurationUs !== null || t.as === 'Job' ? 'Never' : 'Always' };
  if (row.nodeSelector !== undefined) spec.nodeSelector = { ...row.nodeSelector };
  const tTolerations = t.tolerations ?? NO_TOLERATIONS;
  const rowTolerations = row.tolerations ?? NO_TOLERATIONS;
  if (tTolerations.length + rowTolerations.length > 0) spec.tolerations = [...tTolerations, ...rowTolerations];
  const priorityClassName = row.priorityClassName ?? t.priorityClassName;
  if (priorityClassName !== undefined) spec.priorityClassName = priorityClassName;
  if (t.schedulerName !== undefined) spec.schedulerName = t.schedulerName;
  if (row.affinity !== undefined) spec.affinity = structuredClone(row.affinity);
  const metadata: Record<string, unknown> = {};
  if (!isEmpty(t.labels) || (row.labels !== undefined && !isEmpty(row.labels))) metadata['labels'] = { ...t.labels, ...row.labels };
  metadata['annotations'] = annotations;
  return { metadata, spec };
}

const NO_LIMITS: Readonly<Record<string, string>> = Object.freeze({});
const NO_TOLERATIONS: readonly Toleration[] = Object.freeze([]);

function isEmpty(o: object): boolean {
  for (const k in o) if (Object.hasOwn(o, k)) return false;
  return true;
}

/** The objects one row creates: one Job, or its pods (count of them), each made when asked for,
 * so that a row of many instances is created a part at a time (TraceReplay) instead of holding
 * them all in one array. */
export interface RowObjects {
  readonly job: WorkloadObject | null;
  /** Pods (0 with a Job). */
  readonly count: number;
  /** The i-th pod (0 ≤ i < count). */
  pod(i: number): Pod;
  /** The i-th pod's name. */
  podName(i: number): string;
}

export function objectsForRow(row: TracePod, entry: string, t: PodTemplateOptions, runDurationUs: number | null, containers?: TraceContainers): RowObjects {
  const namespace = row.namespace ?? t.namespace;
  const tpl = podTemplate(row, entry, t, runDurationUs, containers);
  const count = row.count ?? 1;
  if (t.as === 'Job') {
    const job = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: row.name, namespace, ...(tpl.metadata?.labels !== undefined ? { labels: { ...tpl.metadata.labels } } : {}), annotations: { [WORKLOAD_ANNOTATION]: entry } },
      // backoffLimit 0: a trace row ran once; a failed pod is not retried.
      spec: { parallelism: count, completions: count, backoffLimit: 0, template: tpl },
    };
    return { job: job as unknown as WorkloadObject, count: 0, pod: noPod, podName: noPod };
  }
  const podName = (i: number) => (count === 1 ? row.name : `${row.name}-${i}`);
  return {
    job: null,
    count,
    podName,
    pod(i) {
      // The template is this row's own (podTemplate builds it afresh): a single pod takes it, its
      // name and namespace added last (as merged would put them); pods of a row of several get
      // copies, made as they are asked for (the template stays as built), the shared frozen
      // container list by reference.
      const metadata = (count === 1 ? tpl.metadata : copyPlain(tpl.metadata)) as Record<string, unknown>;
      setOwn(metadata, 'name', podName(i));
      setOwn(metadata, 'namespace', namespace);
      return { apiVersion: 'v1', kind: 'Pod', metadata, spec: count === 1 ? tpl.spec : (copySpec(tpl.spec as unknown as Record<string, unknown>) as unknown as PodSpec) };
    },
  };
}

function noPod(): never {
  throw new Error('objectsForRow: a Job row has no pods of its own');
}
