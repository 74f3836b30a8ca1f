// Kubernetes objects for trace rows: a bare Pod (default) or a Job wrapping the row's pods
// (`as: Job`). The entry's template (namespace, labels, priorityClassName, schedulerName,
// tolerations) applies to every pod; a row's own namespace, labels and priority win.
import { merged } from '../../api/values.js';
import type { Pod, PodSpec, PodTemplateSpec } from 'kubernetes-types/core/v1.js';
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

export function podTemplate(row: TracePod, entry: string, t: PodTemplateOptions, runDurationUs: number | null): PodTemplateSpec & { spec: PodSpec } {
  const requests = { ...row.requests };
  const limits: Record<string, string> = {};
  for (const [r, q] of Object.entries(requests)) if (row.guaranteed === true || isExtendedResourceName(r)) limits[r] = q;
  const annotations: Record<string, string> = { [WORKLOAD_ANNOTATION]: entry };
  if (runDurationUs !== null) annotations[RUN_DURATION_ANNOTATION] = String(runDurationUs);
  const labels = { ...t.labels, ...row.labels };
  const tolerations = [...(t.tolerations ?? []), ...(row.tolerations ?? [])];
  const priorityClassName = row.priorityClassName ?? t.priorityClassName;
  const spec: PodSpec = {
    containers: [{ name: 'main', image: TRACE_IMAGE, resources: { requests, ...(Object.keys(limits).length > 0 ? { limits } : {}) } }],
    // A row that ends (its run time) ends Succeeded; one that runs on is deleted or stays.
    restartPolicy: runDurationUs !== null || t.as === 'Job' ? 'Never' : 'Always',
    ...(row.nodeSelector !== undefined ? { nodeSelector: { ...row.nodeSelector } } : {}),
    ...(tolerations.length > 0 ? { tolerations } : {}),
    ...(priorityClassName !== undefined ? { priorityClassName } : {}),
    ...(t.schedulerName !== undefined ? { schedulerName: t.schedulerName } : {}),
    ...(row.affinity !== undefined ? { affinity: structuredClone(row.affinity) } : {}),
  };
  return { metadata: { ...(Object.keys(labels).length > 0 ? { labels } : {}), annotations }, spec };
}

/** The objects one row creates: its pods (count of them), or one Job. */
export function objectsForRow(row: TracePod, entry: string, t: PodTemplateOptions, runDurationUs: number | null): { pods: Pod[]; job: WorkloadObject | null } {
  const namespace = row.namespace ?? t.namespace;
  const tpl = podTemplate(row, entry, t, runDurationUs);
  const count = row.count ?? 1;
  if (t.as === 'Job') {
    const job = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: row.name, namespace, ...(tpl.metadata?.labels !== undefined ? { labels: { ...tpl.metadata.labels } } : {}), annotations: { [WORKLOAD_ANNOTATION]: entry } },
      // backoffLimit 0: a trace row ran once; a failed pod is not retried.
      spec: { parallelism: count, completions: count, backoffLimit: 0, template: tpl },
    };
    return { pods: [], job: job as unknown as WorkloadObject };
  }
  const pods: Pod[] = [];
  for (let i = 0; i < count; i++) {
    const name = count === 1 ? row.name : `${row.name}-${i}`;
    // The template is this row's own (podTemplate builds it afresh): the first pod takes it,
    // the others get copies.
    const metadata = i === 0 ? tpl.metadata : structuredClone(tpl.metadata);
    pods.push({ apiVersion: 'v1', kind: 'Pod', metadata: merged(metadata, { name, namespace }), spec: i === 0 ? tpl.spec : structuredClone(tpl.spec) });
  }
  return { pods, job: null };
}
