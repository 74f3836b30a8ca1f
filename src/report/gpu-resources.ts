// Which extended resources of a run folder are GPUs, and how many of each its nodes offer per
// pool (nodes.csv's `<resource>_allocatable`, the nodes left at the end): the GPU section says
// which GPUs its curves cover (the shared ones only) and which it does not (whole GPUs of
// another pool), and the heat map draws the GPUs' allocation per node.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { GPU_MILLI_RESOURCE, MILLI_PER_GPU } from '../cluster/gpu-devices.js';
import { isObject } from '../api/values.js';
import { readCsv } from './csv-table.js';
import { readJsonObject } from './provenance.js';

/**
 * A GPU's extended resource by its name: the device plugins' names hold "gpu" — nvidia.com/gpu
 * (NVIDIA's k8s-device-plugin, also nvidia.com/gpu.shared when time-slicing renames it),
 * amd.com/gpu, gpu.intel.com/i915 and gpu.intel.com/xe, the GPU-share resources
 * (alibaba.com/gpu-milli, aliyun.com/gpu-mem) — or are MIG instances of NVIDIA's "mixed"
 * strategy, nvidia.com/mig-<profile> (k8s-device-plugin README, "MIG support"). The run's own
 * GPU-share resource (Open-Gpu-Share's `resource`, from run.json) counts whatever its name.
 */
export function isGpuResource(name: string, shared: string | null = null): boolean {
  return name === shared || /gpu/i.test(name) || /^nvidia\.com\/mig-/.test(name);
}

/** The GPU-share resource of a run folder: run.json's gpu_sharing.resource (ksim run writes it
 * when a profile enables Open-Gpu-Share), else the default alibaba.com/gpu-milli. */
export function sharedGpuResource(dir: string): string {
  const json = readJsonObject(dir, 'run.json', 'the JSON object ksim run writes');
  const g = json?.['gpu_sharing'];
  const r = isObject(g) ? g['resource'] : undefined;
  return typeof r === 'string' && r !== '' ? r : GPU_MILLI_RESOURCE;
}

/** The GPUs of one resource in one pool. */
export interface GpuPool {
  readonly resource: string;
  /** '' for nodes of no pool. */
  readonly pool: string;
  readonly nodes: number;
  /** GPUs: the shared resource's devices (allocatable / 1000, rounded down per node, as the
   * devices are counted), any other GPU resource's allocatable as is (one unit, one GPU or MIG
   * instance). */
  readonly gpus: number;
}

/** Per GPU resource and pool, in the order nodes.csv's columns and rows first name them; none
 * without nodes.csv or without GPU columns. */
export function gpuPools(dir: string, shared: string): GpuPool[] {
  if (!existsSync(join(dir, 'nodes.csv'))) return [];
  const out = new Map<string, { resource: string; pool: string; nodes: number; gpus: number }>();
  let resources: string[] | null = null;
  readCsv(dir, 'nodes.csv', ['node'], (r) => {
    resources ??= r.header.columns.filter((c) => c.endsWith('_allocatable')).map((c) => c.slice(0, -'_allocatable'.length)).filter((c) => isGpuResource(c, shared));
    if (r.header.has('deleted_s') && r.text('deleted_s') !== '') return;
    const pool = r.header.has('pool') ? r.text('pool') : '';
    for (const res of resources) {
      const v = r.numberOrNull(`${res}_allocatable`) ?? 0;
      const gpus = res === shared ? Math.floor(v / MILLI_PER_GPU) : v;
      if (gpus <= 0) continue;
      const key = `${res}\u0000${pool}`;
      const e = out.get(key) ?? { resource: res, pool, nodes: 0, gpus: 0 };
      e.nodes++;
      e.gpus += gpus;
      out.set(key, e);
    }
  });
  return [...out.values()];
}

/** "pool l4" / "pools l4 (20), l4b (16)" / "nodes of no pool". */
export function poolsText(pools: readonly GpuPool[]): string {
  const name = (p: string) => (p === '' ? '(no pool)' : p);
  if (pools.length === 1) return pools[0]!.pool === '' ? 'nodes of no pool' : `pool ${pools[0]!.pool}`;
  return `pools ${pools.map((p) => `${name(p.pool)} (${p.gpus})`).join(', ')}`;
}
