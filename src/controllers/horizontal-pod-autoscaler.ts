// HorizontalPodAutoscaler controller (kube-controller-manager's, client
// "horizontal-pod-autoscaler"), without metrics: upstream pkg/controller/podautoscaler/
// horizontal.go reconcileAutoscaler keeps the target's replicas within [minReplicas (default 1),
// maxReplicas] before it looks at any metric:
//  - the target's spec.replicas is 0 (and minReplicas is not): autoscaling is disabled, nothing
//    is written ("ScalingDisabled");
//  - above maxReplicas: scaled to maxReplicas ("Current number of replicas above
//    Spec.MaxReplicas"); below minReplicas: scaled to minReplicas ("Current number of replicas
//    below Spec.MinReplicas"), through the target's /scale subresource;
//  - within the range: the metrics decide. ksim has no metrics API, so, as upstream's controller
//    does when it gets no metrics (FailedComputeMetricsReplicas), nothing changes.
// Timing as upstream: every HPA is queued with the resync period's delay (FixedItemIntervalRate-
// Limiter of --horizontal-pod-autoscaler-sync-period, 15 s; enqueueHPA and processNextWorkItem
// both AddRateLimited), so an HPA is first reconciled 15 s after the controller hears of it and
// then every 15 s; an update of a queued HPA does not move its turn. A target that does not exist
// yet (FailedGetScale) is looked for again at the next turn. The HPA's status is not written.
import type { Simulation } from '../engine/simulation.js';
import { US_PER_S } from '../engine/time.js';
import type { ApiServer } from '../controlplane/api-server.js';
import type { ObjectApi } from '../controlplane/object-api.js';
import type { HorizontalPodAutoscalerSpec, WorkloadObject } from '../cluster/workload-object.js';
import { namespacedKey } from './work-queue.js';

export const HPA_KIND = 'HorizontalPodAutoscaler';
/** The kinds with a /scale subresource ksim simulates (apps/v1). */
export const SCALABLE_KINDS: readonly string[] = ['Deployment', 'StatefulSet', 'ReplicaSet'];
/** --horizontal-pod-autoscaler-sync-period (kube-controller-manager's default). */
export const HPA_SYNC_PERIOD_US = 15 * US_PER_S;

/** What reconcileAutoscaler decides for a target at `current` replicas: the new size and the
 * reason upstream's SuccessfulRescale event gives, or null (no write). */
export function clampReplicas(current: number, minReplicas: number | null | undefined, maxReplicas: number): { replicas: number; reason: string } | null {
  const min = minReplicas ?? 1;
  if (current === 0 && min !== 0) return null; // autoscaling is disabled for this resource
  if (current > maxReplicas) return { replicas: maxReplicas, reason: 'Current number of replicas above Spec.MaxReplicas' };
  if (current < min) return { replicas: min, reason: 'Current number of replicas below Spec.MinReplicas' };
  return null; // the metrics would decide; there are none
}

export interface RescaleRecord {
  readonly timeUs: number;
  /** namespace/name of the HPA. */
  readonly hpa: string;
  /** "Deployment default/web". */
  readonly target: string;
  readonly from: number;
  readonly to: number;
  readonly reason: string;
}

export class HorizontalPodAutoscalerController {
  /** The HPAs queued, by namespace/name: true while a turn is scheduled. */
  private readonly queued = new Set<string>();
  /** Every rescale written (tests, and what a user would read in the HPA's events). */
  readonly rescales: RescaleRecord[] = [];

  constructor(
    private readonly sim: Simulation,
    api: ApiServer,
    private readonly objects: ObjectApi,
    private readonly syncPeriodUs = HPA_SYNC_PERIOD_US,
  ) {
    api.watch({
      objectAdded: (o) => this.enqueue(o),
      objectUpdated: (o) => this.enqueue(o),
    });
  }

  /** Upstream enqueueHPA: AddRateLimited, a no-op while the HPA is queued. */
  private enqueue(o: WorkloadObject): void {
    if (o.kind !== HPA_KIND) return;
    const key = namespacedKey(o.metadata.namespace, o.metadata.name);
    if (this.queued.has(key)) return;
    this.queued.add(key);
    this.sim.schedule(this.syncPeriodUs, 'hpa.sync', key, () => this.process(o.metadata.namespace, o.metadata.name, key));
  }

  /** Upstream processNextWorkItem: reconcile, then queue again unless the HPA is gone. */
  private process(namespace: string, name: string, key: string): void {
    this.queued.delete(key);
    const hpa = this.objects.get(HPA_KIND, namespace, name);
    if (hpa === undefined) return;
    this.reconcile(hpa);
    this.enqueue(hpa);
  }

  private reconcile(hpa: WorkloadObject): void {
    const spec = (hpa.spec ?? {}) as HorizontalPodAutoscalerSpec;
    const ref = spec.scaleTargetRef;
    const kind = ref?.kind ?? '';
    if (ref?.apiVersion !== 'apps/v1' || !SCALABLE_KINDS.includes(kind)) return; // FailedGetScale
    const namespace = hpa.metadata.namespace;
    const target = this.objects.get(kind, namespace, ref.name ?? '');
    if (target === undefined) return; // FailedGetScale: looked for again next turn
    const current = (target.spec as { replicas?: number } | undefined)?.replicas ?? 1;
    const decision = clampReplicas(current, spec.minReplicas, spec.maxReplicas ?? current);
    if (decision === null) return;
    this.rescales.push({ timeUs: this.sim.now, hpa: `${namespace}/${hpa.metadata.name}`, target: `${kind} ${namespace}/${target.metadata.name}`, from: current, to: decision.replicas, reason: decision.reason });
    this.objects.scale(kind, namespace, target.metadata.name, decision.replicas);
  }
}
