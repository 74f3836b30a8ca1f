// Open-Gpu-Share: the device-level Filter and the device choice at Reserve (upstream
// hkust-adsl/kubernetes-scheduler-simulator pkg/simulator/plugin/open_gpu_share.go, after
// Alibaba's open-gpu-share scheduler extender). Filter: a GPU pod passes a node only if `count`
// of its devices each have `milli` free. Reserve: picks the device(s) — `gpuSelection` best
// (default, upstream's default "-gpusel best"), worst, random, or FGDScore (FGD's own choice,
// what upstream uses when FGD is the profile's score plugin) — and records them on the pod
// (annotation alibaba.com/gpu-index); Unreserve gives them back.
import { FieldError } from '../../../api/field-error.js';
import { RandomStreams, type RandomStream } from '../../../engine/random.js';
import { bestFitDevices, exclusiveDevices, gpuRequestOf, GPU_INDEX_ANNOTATION, MILLI_PER_GPU, worstFitDevices, type GpuDevices, type GpuNode, type GpuRequest } from '../../../cluster/gpu-devices.js';
import type { NodeInfo } from '../../../cluster/node-info.js';
import type { PodInfo } from '../../../cluster/pod-info.js';
import type { CycleState } from '../../framework/cycle-state.js';
import type { FilterPlugin, FilterRejections, FrameworkHandle, Plugin, PluginFactory, ReservePlugin } from '../../framework/interfaces.js';
import type { SchedulerContext } from '../../schedule-one.js';
import { Code, Status, type Verdict } from '../../framework/status.js';
import { devicesFor, parseGpuArgs, requestOf } from './common.js';
import { fgdDevices, FgdScorePlugin } from './fgd.js';
import { FGDScore, OpenGpuShare } from './names.js';

const SELECTIONS = ['best', 'worst', 'random', FGDScore] as const;
type Selection = (typeof SELECTIONS)[number];

/** Random device choice (upstream allocateGpuIdBasedOnRandomFit: reservoir over the devices
 * with room), from the scheduler's seeded stream (a fixed one outside a Scheduler). */
function randomDevices(g: GpuNode, req: GpuRequest, rng: RandomStream): number[] | null {
  if (req.milli >= MILLI_PER_GPU) return exclusiveDevices(g, req.count);
  let pick = -1;
  let seen = 0;
  for (let i = 0; i < g.devices; i++) {
    if ((g.free[i] as number) < req.milli) continue;
    seen++;
    if (rng.int(seen) === 0) pick = i;
  }
  return pick < 0 ? null : [pick];
}

const NO_DEVICES = new Status(Code.UnschedulableAndUnresolvable, ['node(s) had no GPU devices'], OpenGpuShare);

export class OpenGpuSharePlugin implements FilterPlugin, ReservePlugin {
  readonly name = OpenGpuShare;
  /** Upstream's Open-Gpu-Share is one plugin at Filter and Reserve (pkg/simulator/plugin/
   * open_gpu_share.go): its Filter reads the devices' room that its Reserve books. */
  readonly together = {
    points: ['filter', 'reserve'],
    why: 'its Filter checks each GPU device for room and its Reserve books the device it picks: at filter alone no device is ever booked, so every share fits and devices are over-committed; at reserve alone nodes whose devices are full pass the filter and the cycle ends in an error at Reserve instead of trying another node',
  } as const;
  private fgd: FgdScorePlugin | null = null;
  /** Rejections by request (the message depends on it alone): no allocation per node. */
  private readonly rejections = new Map<number, Status>();

  constructor(
    private readonly handle: FrameworkHandle,
    private readonly resource: string,
    private readonly devices: GpuDevices,
    private readonly selection: Selection,
    private readonly rng: RandomStream,
  ) {}

  /** Filter over a batch of nodes (FilterPlugin.filterNodes). */
  filterNodes(state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[], from: number, to: number, rejected: FilterRejections): number {
    let r = 0;
    for (let i = from; i < to; i++) {
      const v = this.filter(state, pod, nodes[i] as NodeInfo);
      if (v === null) continue;
      rejected.at[r] = i;
      rejected.verdicts[r++] = v;
    }
    return r;
  }

  filter(state: CycleState, pod: PodInfo, node: NodeInfo): Verdict {
    const req = requestOf(state, pod, this.resource);
    if (req.count === 0) {
      const bad = gpuRequestOf(pod, this.resource);
      return typeof bad === 'string' ? Status.unresolvable(`pod's GPU request is not a device request: expected ${bad}`) : null;
    }
    const g = this.devices.node(node);
    if (g === undefined) return NO_DEVICES;
    if (g.fits(req)) return null;
    const key = req.count * 10000 + req.milli;
    let st = this.rejections.get(key);
    if (st === undefined) {
      st = new Status(Code.Unschedulable, [req.milli < MILLI_PER_GPU ? `node(s) had no GPU device with ${req.milli} milli-GPU free` : `node(s) had fewer than ${req.count} free GPU device(s)`], OpenGpuShare);
      this.rejections.set(key, st);
    }
    return st;
  }

  reserve(state: CycleState, pod: PodInfo, nodeName: string): Verdict {
    const req = requestOf(state, pod, this.resource);
    if (req.count === 0) return null;
    const g = this.devices.nodeNamed(nodeName);
    if (g === undefined) return Status.error(`node ${nodeName} has no GPU devices`);
    if (this.devices.devicesOf(pod) !== undefined) return null; // named by its annotation
    const ids = this.choose(g, req, pod);
    if (ids === null) return Status.error(`no GPU device of node ${nodeName} can take ${req.count} × ${req.milli} milli-GPU`);
    this.devices.assign(pod, g, ids, req);
    return null;
  }

  unreserve(_state: CycleState, pod: PodInfo, _nodeName: string): void {
    this.devices.release(pod);
    const md = pod.pod.metadata;
    if (md?.annotations?.[GPU_INDEX_ANNOTATION] !== undefined) {
      // Copied without it, not deleted in place (the object may be shared: GpuDevices.assign).
      const { [GPU_INDEX_ANNOTATION]: _dropped, ...rest } = md.annotations;
      md.annotations = rest;
    }
  }

  private choose(g: GpuNode, req: GpuRequest, pod: PodInfo): number[] | null {
    switch (this.selection) {
      case 'best': return bestFitDevices(g, req);
      case 'worst': return worstFitDevices(g, req);
      case 'random': return randomDevices(g, req, this.rng);
      case FGDScore: {
        this.fgd ??= new FgdScorePlugin(this.handle, this.resource, this.devices);
        return fgdDevices(this.fgd.typicalPods(), g, req, pod.nonZeroMilliCpu);
      }
    }
  }
}

function make(args: unknown, handle: FrameworkHandle, rng: RandomStream): Plugin {
  const a = parseGpuArgs(args, ['gpuSelection']);
  const sel = a.rest['gpuSelection'] ?? 'best';
  if (typeof sel !== 'string' || !(SELECTIONS as readonly string[]).includes(sel)) throw new FieldError('gpuSelection', `one of ${SELECTIONS.join(', ')}`, JSON.stringify(sel));
  return new OpenGpuSharePlugin(handle, a.resource, devicesFor(handle, a), sel as Selection, rng);
}

export function newOpenGpuShare(args: unknown, handle: FrameworkHandle): Plugin {
  return make(args, handle, new RandomStreams(0).stream(OpenGpuShare));
}

newOpenGpuShare.withSchedulerContext = (ctx: SchedulerContext): PluginFactory => (args, handle) => make(args, handle, ctx.rng);
