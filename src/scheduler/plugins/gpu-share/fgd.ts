// FGDScore: Fragmentation Gradient Descent (Weng et al., ATC '23, §4). A pod goes where the
// node's expected GPU fragmentation (gpu-fragmentation.ts, over the workload's typical pods)
// grows least: score = sigmoid((F(node) − F(node with the pod)) / 1000) × 100, truncated; a
// share-of-a-GPU pod is tried on every device with room and the best device counts.
// Follows hkust-adsl/kubernetes-scheduler-simulator pkg/simulator/plugin/fgd_score.go
// (calculateGpuShareFragExtendScore, allocateGpuIdBasedOnFGDScore).
//
// Speed: F depends only on the node's CPU left, its devices' room (as a multiset) and its model,
// so scores are memoised per such state and pod shape; a node's state is re-read only when the
// node changed. Identical nodes (hundreds of empty 8-GPU nodes) share one entry.
import type { NodeInfo } from '../../../cluster/node-info.js';
import type { PodInfo } from '../../../cluster/pod-info.js';
import { exclusiveDevices, MILLI_PER_GPU, type GpuDevices, type GpuNode, type GpuRequest } from '../../../cluster/gpu-devices.js';
import { fgdScore, packDevices, type TypicalPods } from '../../../cluster/gpu-fragmentation.js';
import type { CycleState } from '../../framework/cycle-state.js';
import { MAX_NODE_SCORE, type FrameworkHandle, type Plugin, type PreScorePlugin, type ScorePlugin } from '../../framework/interfaces.js';
import type { Verdict } from '../../framework/status.js';
import { devicesFor, parseGpuArgs, requestOf } from './common.js';
import { FGDScore } from './names.js';

/** F(node) and the best score of each pod shape met on one node state. */
interface StateEntry {
  readonly cpuLeft: number;
  /** Devices' room, sorted descending. */
  readonly free: Int32Array;
  readonly model: string;
  readonly f0: number;
  readonly scores: Map<number, number>;
}

interface NodeCache {
  gen: number;
  version: number;
  entry: StateEntry;
}

interface PodFacts {
  readonly req: GpuRequest;
  readonly cpu: number;
  readonly shape: number;
  /** No request at all: upstream gives every node the top score. */
  readonly empty: boolean;
}

const STATE_KEY = 'PreScore' + FGDScore;
/** Node-state memo entries kept before the memo is cleared (bounds memory on long runs). */
const MAX_STATES = 200_000;

/** F(after) for a pod on a node state: device `d` loses `milli` (d < 0: the pod packs its
 * devices as upstream NodeResource.Sub does). */
function fragAfter(typ: TypicalPods, cpuLeft: number, free: Int32Array, model: string, req: GpuRequest, cpu: number, d: number, scratch: Int32Array, ids: number[]): number {
  scratch.set(free);
  if (req.count > 0) {
    if (d >= 0) scratch[d] = (scratch[d] as number) - req.milli;
    else {
      packDevices(free, req.milli, req.count, ids);
      for (const i of ids) scratch[i] = (scratch[i] as number) - req.milli;
    }
  }
  return typ.frag(cpuLeft - cpu, scratch.subarray(0, free.length), model);
}

/** The best FGD score of a pod on a node state. */
function bestScore(typ: TypicalPods, e: StateEntry, req: GpuRequest, cpu: number, scratch: Int32Array, ids: number[]): number {
  if (req.count === 1 && req.milli < MILLI_PER_GPU) {
    let best = 0;
    let prev = -1;
    for (let d = 0; d < e.free.length; d++) {
      const x = e.free[d] as number;
      if (x < req.milli || x === prev) continue; // equal room, equal score
      prev = x;
      const s = fgdScore(e.f0, fragAfter(typ, e.cpuLeft, e.free, e.model, req, cpu, d, scratch, ids));
      if (s > best) best = s;
    }
    return best;
  }
  return fgdScore(e.f0, fragAfter(typ, e.cpuLeft, e.free, e.model, req, cpu, -1, scratch, ids));
}

/** The device(s) FGD picks on a node (upstream allocateGpuIdBasedOnFGDScore): for a share, the
 * first device by index with the best score; whole devices as AllocateExclusiveGpuId. */
export function fgdDevices(typ: TypicalPods, g: GpuNode, req: GpuRequest, cpu: number): number[] | null {
  if (!(req.count === 1 && req.milli < MILLI_PER_GPU)) return exclusiveDevices(g, req.count);
  const cpuLeft = g.cpuLeft;
  const f0 = typ.frag(cpuLeft, g.free, g.model);
  const scratch = new Int32Array(g.devices);
  let best = -1;
  let bestScoreSeen = 0;
  for (let d = 0; d < g.devices; d++) {
    if ((g.free[d] as number) < req.milli) continue;
    scratch.set(g.free);
    scratch[d] = (scratch[d] as number) - req.milli;
    const s = fgdScore(f0, typ.frag(cpuLeft - cpu, scratch, g.model));
    if (best < 0 || s > bestScoreSeen) {
      best = d;
      bestScoreSeen = s;
    }
  }
  return best < 0 ? null : [best];
}

export class FgdScorePlugin implements PreScorePlugin, ScorePlugin {
  readonly name = FGDScore;
  private readonly devices: GpuDevices;
  private typ: TypicalPods | null = null;
  private readonly states = new Map<string, StateEntry>();
  private readonly nodes = new Map<GpuNode, NodeCache>();
  private readonly shapes = new Map<string, number>();
  private readonly scratch = new Int32Array(64);
  private readonly ids: number[] = [];
  private readonly neutral = fgdScore(0, 0);

  constructor(private readonly handle: FrameworkHandle, private readonly resource: string, devices: GpuDevices) {
    this.devices = devices;
  }

  /** The typical pods in use (GpuDevices.typical); the memo is dropped when they change. */
  typicalPods(): TypicalPods {
    const t = this.devices.typical(this.handle.cluster);
    if (t !== this.typ) {
      this.typ = t;
      this.states.clear();
      this.nodes.clear();
    }
    return t;
  }

  preScore(state: CycleState, pod: PodInfo): Verdict {
    this.typicalPods();
    const req = requestOf(state, pod, this.resource);
    const cpu = pod.nonZeroMilliCpu;
    const key = `${cpu}/${req.milli}/${req.count}`;
    let shape = this.shapes.get(key);
    if (shape === undefined) this.shapes.set(key, (shape = this.shapes.size));
    const empty = req.count === 0 && pod.requests.milliCpu === 0 && pod.requests.memory === 0;
    state.write(STATE_KEY, { req, cpu, shape, empty } satisfies PodFacts);
    return null;
  }

  score(state: CycleState, pod: PodInfo, node: NodeInfo): number {
    let f = state.read<PodFacts>(STATE_KEY);
    if (f === undefined) {
      this.preScore(state, pod);
      f = state.read<PodFacts>(STATE_KEY) as PodFacts;
    }
    if (f.empty) return MAX_NODE_SCORE;
    const g = this.devices.node(node);
    if (g === undefined) return this.neutral; // no GPUs: no fragmentation before or after
    const e = this.entryOf(g);
    let s = e.scores.get(f.shape);
    if (s === undefined) {
      s = bestScore(this.typ as TypicalPods, e, f.req, f.cpu, this.scratch, this.ids);
      e.scores.set(f.shape, s);
    }
    return s;
  }

  /** The memo entry of a node's current state. */
  private entryOf(g: GpuNode): StateEntry {
    const c = this.nodes.get(g);
    if (c !== undefined && c.gen === g.info.generation && c.version === g.version) return c.entry;
    const free = Int32Array.from(g.free).sort().reverse();
    const cpuLeft = g.cpuLeft;
    const key = `${g.model}|${cpuLeft}|${free.join(',')}`;
    let entry = this.states.get(key);
    if (entry === undefined) {
      if (this.states.size >= MAX_STATES) {
        this.states.clear();
        this.nodes.clear();
      }
      entry = { cpuLeft, free, model: g.model, f0: (this.typ as TypicalPods).frag(cpuLeft, free, g.model), scores: new Map() };
      this.states.set(key, entry);
    }
    if (c !== undefined) {
      c.gen = g.info.generation;
      c.version = g.version;
      c.entry = entry;
    } else this.nodes.set(g, { gen: g.info.generation, version: g.version, entry });
    return entry;
  }
}

export function newFgdScore(args: unknown, handle: FrameworkHandle): Plugin {
  const a = parseGpuArgs(args);
  return new FgdScorePlugin(handle, a.resource, devicesFor(handle, a));
}
