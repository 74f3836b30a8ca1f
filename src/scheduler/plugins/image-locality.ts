// ImageLocality: Score favours nodes that already hold the pod's container images, weighting
// each image by its size times the share of nodes that have it (to avoid piling pods onto the
// few nodes with an image), clamped to [23 MiB, 1000 MiB × number of containers].
// Upstream pkg/scheduler/framework/plugins/imagelocality/image_locality.go; the per-image
// summary (size, number of nodes) mirrors the scheduler cache's image states
// (pkg/scheduler/backend/cache/cache.go addNodeImageStates/removeNodeImageStates: an image
// name's size is the one reported by the node that first brought the name in, and the name is
// forgotten when no node has it any more). The node-count index is kept incrementally.
import type { Container, Node } from 'kubernetes-types/core/v1.js';
import type { ClusterIndex, ClusterState } from '../../cluster/cluster-state.js';
import type { NodeInfo } from '../../cluster/node-info.js';
import type { PodInfo } from '../../cluster/pod-info.js';
import type { CycleState } from '../framework/cycle-state.js';
import { MAX_NODE_SCORE, type FrameworkHandle, type Plugin, type ScorePlugin } from '../framework/interfaces.js';
import { normalizedImageName } from '../../api/images.js';
import { ImageLocality } from './names.js';

/** The pod's images resolved once per cycle, at the first Score call (ImageLocality has no
 * PreScore upstream: image_locality.go implements ScorePlugin only). */
const RESOLVED_KEY = `Score${ImageLocality}`;

// Upstream constants (image_locality.go): a reasonable size range for compressed images.
export const MB = 1024 * 1024;
export const MIN_THRESHOLD = 23 * MB;
export const MAX_CONTAINER_THRESHOLD = 1000 * MB;

export { normalizedImageName } from '../../api/images.js';

interface ImageSummary {
  /** Size reported by the node that first brought this name into the cluster. */
  readonly size: number;
  /** Nodes reporting the name. */
  numNodes: number;
}

/** Image names per node and, per name, its size and how many nodes report it. Fed by
 * ClusterState with node additions and removals. */
export class ImageStateIndex implements ClusterIndex {
  readonly byName = new Map<string, ImageSummary>();
  private readonly byNode = new Map<NodeInfo, ReadonlySet<string>>();

  nodeAdded(n: NodeInfo): void {
    const names = imageNames(n.node, (name, size) => {
      const s = this.byName.get(name);
      if (s === undefined) this.byName.set(name, { size, numNodes: 1 });
      else s.numNodes++;
    });
    this.byNode.set(n, names);
  }

  nodeRemoved(n: NodeInfo): void {
    const names = this.byNode.get(n);
    if (names === undefined) return;
    this.byNode.delete(n);
    for (const name of names) {
      const s = this.byName.get(name);
      if (s === undefined) continue;
      if (--s.numNodes <= 0) this.byName.delete(name);
    }
  }

  /** The image names a node reports (computed on the spot for nodes the index has not seen). */
  namesOf(n: NodeInfo): ReadonlySet<string> {
    return this.byNode.get(n) ?? imageNames(n.node, null);
  }
}

/** The distinct names in node.status.images, calling `first` with each name's size once. */
function imageNames(node: Node, first: ((name: string, size: number) => void) | null): Set<string> {
  const names = new Set<string>();
  for (const img of node.status?.images ?? []) {
    for (const name of img.names ?? []) {
      if (names.has(name)) continue;
      names.add(name);
      first?.(name, img.sizeBytes ?? 0);
    }
  }
  return names;
}

interface ResolvedImages {
  /** Normalised image name of each init and app container whose image some node has. */
  readonly names: readonly string[];
  /** Its scaled score: trunc(size × numNodes / totalNodes) (upstream scaledImageScore). */
  readonly scores: readonly number[];
  /** Init plus app containers (upstream calculatePriority's numContainers). */
  readonly numContainers: number;
  /** The score of every node when no node has any of the pod's images. */
  readonly noImageScore: number;
}

/** Upstream calculatePriority. */
export function calculatePriority(sumScores: number, numContainers: number): number {
  const maxThreshold = MAX_CONTAINER_THRESHOLD * numContainers;
  let s = sumScores;
  if (s < MIN_THRESHOLD) s = MIN_THRESHOLD;
  else if (s > maxThreshold) s = maxThreshold;
  // `|| 0` turns the -0 of a pod without containers (0 / negative) into 0.
  return Math.trunc((MAX_NODE_SCORE * (s - MIN_THRESHOLD)) / (maxThreshold - MIN_THRESHOLD)) || 0;
}

const NO_CONTAINERS: readonly Container[] = [];

/** The state of a pod no node holds an image of (or holds only small ones), one per container
 * count: the same for every pod of that count, made once (frozen: read only). */
const NO_IMAGE_STATES: ResolvedImages[] = [];

function noImageState(numContainers: number, noImageScore: number): ResolvedImages {
  let st = NO_IMAGE_STATES[numContainers];
  if (st === undefined) {
    st = Object.freeze({ names: Object.freeze([]) as readonly string[], scores: Object.freeze([]) as readonly number[], numContainers, noImageScore });
    if (numContainers < 64) NO_IMAGE_STATES[numContainers] = st;
  }
  return st;
}

export class ImageLocalityPlugin implements ScorePlugin {
  readonly name = ImageLocality;

  constructor(
    private readonly cluster: ClusterState,
    private readonly index: ImageStateIndex,
  ) {}

  /** The pod's images resolved against the cluster-wide summary, once per cycle (upstream does
   * it per node in Score; the result is the same): kept in the cycle state by the first call.
   * Not a PreScore, which upstream's ImageLocality does not have: a configuration enabling it at
   * preScore is refused as kube-scheduler refuses it. */
  private resolved(state: CycleState, pod: PodInfo): ResolvedImages {
    let s = state.read<ResolvedImages>(RESOLVED_KEY);
    if (s === undefined) {
      s = this.resolve(pod);
      state.write(RESOLVED_KEY, s);
    }
    return s;
  }

  private resolve(pod: PodInfo): ResolvedImages {
    const spec = pod.pod.spec;
    const init = spec?.initContainers ?? NO_CONTAINERS;
    const app = spec?.containers ?? NO_CONTAINERS;
    const total = this.cluster.nodes.length;
    const numContainers = init.length + app.length;
    const noImageScore = calculatePriority(0, numContainers);
    // No node has any image (a cluster without image lists): nothing to resolve.
    if (this.index.byName.size === 0) return noImageState(numContainers, noImageScore);
    const found: { names: string[]; scores: number[] } = { names: [], scores: [] };
    if (total > 0) {
      this.resolveList(init, total, found);
      this.resolveList(app, total, found);
    }
    // calculatePriority never falls as the sum grows: when a node holding every image would still
    // score what a node holding none does (small images, below the 23 MB threshold, like a pause
    // container), every node does, and no node needs to be looked at.
    let most = 0;
    for (let i = 0; i < found.scores.length; i++) most += found.scores[i] as number;
    if (calculatePriority(most, numContainers) === noImageScore) return noImageState(numContainers, noImageScore);
    return { names: found.names, scores: found.scores, numContainers, noImageScore };
  }

  /** Adds the containers' images some node has, with their scaled scores, to `found`. */
  private resolveList(list: readonly Container[], total: number, found: { names: string[]; scores: number[] }): void {
    for (let i = 0; i < list.length; i++) {
      const name = normalizedImageName((list[i] as Container).image ?? '');
      const s = this.index.byName.get(name);
      if (s === undefined) continue;
      found.names.push(name);
      // float64(size) * (float64(numNodes) / float64(total)), truncated to int64.
      found.scores.push(Math.trunc(s.size * (s.numNodes / total)));
    }
  }


  /** ScorePlugin.scoredNodesIgnored: constantScore reads the cluster-wide image summary, not the nodes. */
  scoredNodesIgnored(_state: CycleState, _pod: PodInfo): boolean {
    return true;
  }

  /** No node has an image of the pod that could move its score: every node scores alike. */
  constantScore(state: CycleState, pod: PodInfo): number {
    const s = this.resolved(state, pod);
    return s.names.length === 0 ? s.noImageScore : -1;
  }

  /** score for every node (ScorePlugin.scoreNodes): the pod's images resolved once. */
  scoreNodes(state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[], out: Float64Array): void {
    const s = this.resolved(state, pod);
    const n = nodes.length;
    if (s.names.length === 0) {
      out.fill(s.noImageScore, 0, n);
      return;
    }
    for (let i = 0; i < n; i++) out[i] = this.nodeScore(s, nodes[i] as NodeInfo);
  }

  score(state: CycleState, pod: PodInfo, node: NodeInfo): number {
    return this.nodeScore(this.resolved(state, pod), node);
  }

  private nodeScore(s: ResolvedImages, node: NodeInfo): number {
    const names = s.names;
    if (names.length === 0) return s.noImageScore;
    let sum = 0;
    const have = this.index.namesOf(node);
    for (let i = 0; i < names.length; i++) if (have.has(names[i] as string)) sum += s.scores[i] as number;
    return calculatePriority(sum, s.numContainers);
  }
}

/** ImageLocality takes no args (upstream New ignores them); it registers its image index with the cluster. */
export function newImageLocality(_args: unknown, handle: FrameworkHandle): Plugin {
  const index = new ImageStateIndex();
  handle.cluster.addIndex(index);
  return new ImageLocalityPlugin(handle.cluster, index);
}
