// NodeResourcesFit: Filter on free allocatable, Score by a scoring strategy.
// Upstream pkg/scheduler/framework/plugins/noderesources/{fit.go,least_allocated.go,
// resource_allocation.go}; args defaults from pkg/scheduler/apis/config/v1/defaults.go.
import { FieldError } from '../../api/field-error.js';
import type { NodeInfo } from '../../cluster/node-info.js';
import type { PodInfo } from '../../cluster/pod-info.js';
import { CPU, EPHEMERAL_STORAGE, MEMORY } from '../../cluster/resources.js';
import type { CycleState } from '../framework/cycle-state.js';
import { MAX_NODE_SCORE, type FilterPlugin, type Plugin, type ScorePlugin } from '../framework/interfaces.js';
import { Code, Status, type Verdict } from '../framework/status.js';
import { NodeResourcesFit } from './names.js';

export interface ResourceSpec {
  name: string;
  weight: number;
}

export interface NodeResourcesFitArgs {
  ignoredResources: string[];
  ignoredResourceGroups: string[];
  scoringStrategy: { type: 'LeastAllocated'; resources: ResourceSpec[] };
}

export function defaultNodeResourcesFitArgs(): NodeResourcesFitArgs {
  return {
    ignoredResources: [],
    ignoredResourceGroups: [],
    scoringStrategy: { type: 'LeastAllocated', resources: [{ name: CPU, weight: 1 }, { name: MEMORY, weight: 1 }] },
  };
}

/** Defaults missing fields and validates; errors carry the field path below the args object. */
export function parseNodeResourcesFitArgs(raw: unknown): NodeResourcesFitArgs {
  const args = defaultNodeResourcesFitArgs();
  if (raw === undefined || raw === null) return args;
  if (typeof raw !== 'object') throw new FieldError('', 'an object');
  const r = raw as Record<string, unknown>;
  if (r['ignoredResources'] !== undefined) args.ignoredResources = stringList(r['ignoredResources'], 'ignoredResources');
  if (r['ignoredResourceGroups'] !== undefined) {
    args.ignoredResourceGroups = stringList(r['ignoredResourceGroups'], 'ignoredResourceGroups');
  }
  const ss = r['scoringStrategy'] as Record<string, unknown> | undefined;
  if (ss !== undefined) {
    const type = ss['type'] ?? 'LeastAllocated';
    if (type !== 'LeastAllocated') {
      throw new FieldError('scoringStrategy.type', 'LeastAllocated (the only strategy implemented so far)', JSON.stringify(type));
    }
    if (ss['resources'] !== undefined) {
      if (!Array.isArray(ss['resources'])) throw new FieldError('scoringStrategy.resources', 'a list');
      args.scoringStrategy.resources = ss['resources'].map((x: unknown, i: number) => {
        const o = x as Record<string, unknown>;
        const p = `scoringStrategy.resources[${i}]`;
        if (typeof o?.['name'] !== 'string' || o['name'] === '') throw new FieldError(`${p}.name`, 'a resource name');
        const w = o['weight'] ?? 1;
        // Upstream validation: weight in [1, 100] (apis/config/validation/validation_pluginargs.go).
        if (typeof w !== 'number' || !Number.isInteger(w) || w < 1 || w > 100) {
          throw new FieldError(`${p}.weight`, 'an integer in [1, 100]', JSON.stringify(w));
        }
        return { name: o['name'], weight: w };
      });
    }
  }
  return args;
}

function stringList(v: unknown, path: string): string[] {
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw new FieldError(path, 'a list of strings');
  return v as string[];
}

const TOO_MANY_PODS = 'Too many pods';

function isExtendedResourceName(name: string): boolean {
  // Upstream v1helper.IsExtendedResourceName: a fully qualified name outside kubernetes.io/ and
  // not a hugepages/attachable-volumes name.
  return name.includes('/') && !name.includes('kubernetes.io/') && !name.startsWith('requests.');
}

export class NodeResourcesFitPlugin implements FilterPlugin, ScorePlugin {
  readonly name = NodeResourcesFit;
  private readonly ignored: ReadonlySet<string>;
  private readonly ignoredGroups: ReadonlySet<string>;
  private readonly resources: readonly ResourceSpec[];
  private readonly reasons = new Map<string, string>();

  constructor(args: NodeResourcesFitArgs) {
    this.ignored = new Set(args.ignoredResources);
    this.ignoredGroups = new Set(args.ignoredResourceGroups);
    this.resources = args.scoringStrategy.resources;
  }

  filter(_state: CycleState, pod: PodInfo, node: NodeInfo): Verdict {
    const req = pod.requests;
    const alloc = node.allocatable;
    const used = node.requested;
    let reasons: string[] | null = null;
    let code = Code.Unschedulable;
    if (node.pods.length + 1 > alloc.allowedPodNumber) (reasons ??= []).push(TOO_MANY_PODS);
    if (req.milliCpu > 0 && req.milliCpu > alloc.milliCpu - used.milliCpu) {
      (reasons ??= []).push('Insufficient cpu');
      if (req.milliCpu > alloc.milliCpu) code = Code.UnschedulableAndUnresolvable;
    }
    if (req.memory > 0 && req.memory > alloc.memory - used.memory) {
      (reasons ??= []).push('Insufficient memory');
      if (req.memory > alloc.memory) code = Code.UnschedulableAndUnresolvable;
    }
    if (req.ephemeralStorage > 0 && req.ephemeralStorage > alloc.ephemeralStorage - used.ephemeralStorage) {
      (reasons ??= []).push('Insufficient ephemeral-storage');
      if (req.ephemeralStorage > alloc.ephemeralStorage) code = Code.UnschedulableAndUnresolvable;
    }
    if (req.scalar !== null) {
      for (const name of req.scalarNames()) {
        const q = req.getScalar(name);
        if (q === 0) continue;
        if (isExtendedResourceName(name)) {
          if (this.ignored.has(name) || this.ignoredGroups.has(name.split('/')[0] as string)) continue;
        }
        if (q > alloc.getScalar(name) - used.getScalar(name)) {
          (reasons ??= []).push(this.insufficient(name));
          if (q > alloc.getScalar(name)) code = Code.UnschedulableAndUnresolvable;
        }
      }
    }
    return reasons === null ? null : new Status(code, reasons, NodeResourcesFit);
  }

  private insufficient(name: string): string {
    let r = this.reasons.get(name);
    if (r === undefined) this.reasons.set(name, (r = `Insufficient ${name}`));
    return r;
  }

  /** LeastAllocated: weighted mean over resources of (allocatable − requested) × 100 / allocatable,
   * where requested includes the pod and uses non-zero defaults for cpu and memory. */
  score(_state: CycleState, pod: PodInfo, node: NodeInfo): number {
    let nodeScore = 0;
    let weightSum = 0;
    for (const spec of this.resources) {
      let allocatable: number;
      let requested: number;
      switch (spec.name) {
        case CPU:
          allocatable = node.allocatable.milliCpu;
          requested = node.nonZeroMilliCpu + pod.nonZeroMilliCpu;
          break;
        case MEMORY:
          allocatable = node.allocatable.memory;
          requested = node.nonZeroMemory + pod.nonZeroMemory;
          break;
        case EPHEMERAL_STORAGE:
          allocatable = node.allocatable.ephemeralStorage;
          requested = node.requested.ephemeralStorage + pod.requests.ephemeralStorage;
          break;
        default: {
          const podReq = pod.requests.getScalar(spec.name);
          // An extended resource the pod does not request is left out of the score.
          if (podReq === 0) continue;
          allocatable = node.allocatable.getScalar(spec.name);
          requested = node.requested.getScalar(spec.name) + podReq;
        }
      }
      if (allocatable === 0) continue;
      const s = requested > allocatable ? 0 : Math.trunc(((allocatable - requested) * MAX_NODE_SCORE) / allocatable);
      nodeScore += s * spec.weight;
      weightSum += spec.weight;
    }
    return weightSum === 0 ? 0 : Math.trunc(nodeScore / weightSum);
  }
}

export function newNodeResourcesFit(args: unknown): Plugin {
  return new NodeResourcesFitPlugin(parseNodeResourcesFitArgs(args));
}
