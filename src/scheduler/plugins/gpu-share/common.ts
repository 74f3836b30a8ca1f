// What every GPU-sharing plugin shares: its args (which extended resource counts milli-GPUs,
// which node label names the GPU model), the cluster's device index, and the pod's device
// request computed once per cycle.
import { FieldError } from '../../../api/field-error.js';
import { isValidLabelKey } from '../../../api/labels.js';
import { gpuDevicesOf, gpuRequestOf, GPU_MILLI_RESOURCE, GPU_MODEL_LABEL, type GpuDevices, type GpuRequest } from '../../../cluster/gpu-devices.js';
import type { PodInfo } from '../../../cluster/pod-info.js';
import type { CycleState } from '../../framework/cycle-state.js';
import type { FrameworkHandle } from '../../framework/interfaces.js';

export interface GpuShareArgs {
  readonly resource: string;
  readonly modelLabel: string;
}

/** Reads `resource` and `modelLabel` (and the names in `extra`, returned raw). */
export function parseGpuArgs(raw: unknown, extra: readonly string[] = []): GpuShareArgs & { readonly rest: Readonly<Record<string, unknown>> } {
  if (raw === undefined || raw === null) return { resource: GPU_MILLI_RESOURCE, modelLabel: GPU_MODEL_LABEL, rest: {} };
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new FieldError('', 'an object');
  const r = raw as Record<string, unknown>;
  const known = ['resource', 'modelLabel', ...extra];
  for (const k of Object.keys(r)) if (!known.includes(k)) throw new FieldError(k, `one of the fields ${known.join(', ')}`, JSON.stringify(k));
  const resource = r['resource'] ?? GPU_MILLI_RESOURCE;
  if (typeof resource !== 'string' || !resource.includes('/') || !isValidLabelKey(resource)) throw new FieldError('resource', 'an extended resource name such as alibaba.com/gpu-milli', JSON.stringify(resource));
  const modelLabel = r['modelLabel'] ?? GPU_MODEL_LABEL;
  if (typeof modelLabel !== 'string' || !isValidLabelKey(modelLabel)) throw new FieldError('modelLabel', 'a label key such as alibaba.com/gpu-model', JSON.stringify(modelLabel));
  const rest: Record<string, unknown> = {};
  for (const k of extra) if (r[k] !== undefined) rest[k] = r[k];
  return { resource, modelLabel, rest };
}

/** The device index the plugin reads (made on first use). */
export function devicesFor(handle: FrameworkHandle, args: GpuShareArgs): GpuDevices {
  return gpuDevicesOf(handle.cluster, args.resource, args.modelLabel);
}

const REQ_KEYS = new Map<string, string>();

/** The pod's device request, computed once per cycle (a malformed one counts as none here: the
 * Open-Gpu-Share filter rejects it). */
export function requestOf(state: CycleState, pod: PodInfo, resource: string): GpuRequest {
  let key = REQ_KEYS.get(resource);
  if (key === undefined) REQ_KEYS.set(resource, (key = `GpuShareRequest/${resource}`));
  let r = state.read<GpuRequest>(key);
  if (r === undefined) {
    const q = gpuRequestOf(pod, resource);
    r = typeof q === 'string' ? { count: 0, milli: 0 } : q;
    state.write(key, r);
  }
  return r;
}

/** Upstream utils.MaxSpecCpu / MaxSpecGpu (pkg/type/open-gpu-share/utils/const.go): the biggest
 * node of the openb cluster, used to normalise BestFit and DotProduct. */
export const MAX_SPEC_CPU_MILLI = 128000;
export const MAX_SPEC_GPU_MILLI = 8000;
