import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type { Container, ContainerImage, Node, NodeStatus, Pod } from 'kubernetes-types/core/v1.js';
import type { ClusterState } from '../../cluster/cluster-state.js';
import type { NodeInfo } from '../../cluster/node-info.js';
import { buildCluster, fakeHandle, makeNode, makePod, podInfo } from '../../testing/builders.js';
import { CycleState } from '../framework/cycle-state.js';
import { Framework } from '../framework/framework.js';
import { MAX_NODE_SCORE, type PluginFactory } from '../framework/interfaces.js';
import { prioritize } from '../schedule-one.js';
import { newDefaultBinder } from './default-binder.js';
import {
  calculatePriority,
  ImageLocalityPlugin,
  ImageStateIndex,
  MB,
  newImageLocality,
  normalizedImageName,
} from './image-locality.js';
import { newPrioritySort } from './priority-sort.js';

/** Upstream's makeImageNode: a node with only a name and a status. */
function makeImageNode(name: string, status: NodeStatus): Node {
  return { apiVersion: 'v1', kind: 'Node', metadata: { name }, status };
}

const img = (sizeMb: number, ...names: string[]): ContainerImage => ({ names, sizeBytes: sizeMb * MB });

function podSpec(containers: string[], initContainers: string[] = []): Pod {
  const c = (image: string, i: number): Container => ({ name: `c${i}`, image });
  const spec: NonNullable<Pod['spec']> = { containers: containers.map(c) };
  if (initContainers.length > 0) spec.initContainers = initContainers.map(c);
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec };
}

/** The plugin over a cluster of `nodes`, its index registered as the factory does. */
function plugin(cluster: ClusterState): ImageLocalityPlugin {
  const index = new ImageStateIndex();
  cluster.addIndex(index);
  return new ImageLocalityPlugin(cluster, index);
}

function scoreAll(p: ImageLocalityPlugin, cluster: ClusterState, pod: Pod): Record<string, number> {
  const state = new CycleState();
  const pi = podInfo(pod);
  return Object.fromEntries(cluster.nodes.map((n: NodeInfo) => [n.name, p.score(state, pi, n)]));
}

// Upstream image_locality_test.go fixtures.
const test40250 = podSpec(['gcr.io/40', 'gcr.io/250']);
const test40300 = podSpec(['gcr.io/40', 'gcr.io/300']);
const testMinMax = podSpec(['gcr.io/10', 'gcr.io/4000']);
const test300600900 = podSpec(['gcr.io/300', 'gcr.io/600', 'gcr.io/900']);
const test3040 = podSpec(['gcr.io/30', 'gcr.io/40']);
const test30Init300 = podSpec(['gcr.io/30'], ['gcr.io/300']);

const node403002000: NodeStatus = {
  images: [img(40, 'gcr.io/40:latest', 'gcr.io/40:v1', 'gcr.io/40:v1'), img(300, 'gcr.io/300:latest', 'gcr.io/300:v1'), img(2000, 'gcr.io/2000:latest')],
};
const node25010: NodeStatus = { images: [img(250, 'gcr.io/250:latest'), img(10, 'gcr.io/10:latest', 'gcr.io/10:v1')] };
const node60040900: NodeStatus = { images: [img(600, 'gcr.io/600:latest'), img(40, 'gcr.io/40:latest'), img(900, 'gcr.io/900:latest')] };
const node300600900: NodeStatus = { images: [img(300, 'gcr.io/300:latest'), img(600, 'gcr.io/600:latest'), img(900, 'gcr.io/900:latest')] };
const node400030: NodeStatus = { images: [img(4000, 'gcr.io/4000:latest'), img(30, 'gcr.io/30:latest')] };
const node203040: NodeStatus = { images: [img(20, 'gcr.io/20:latest'), img(30, 'gcr.io/30:latest'), img(40, 'gcr.io/40:latest')] };
const nodeWithNoImages: NodeStatus = {};

describe('ImageLocality Score', () => {
  // Upstream pkg/scheduler/framework/plugins/imagelocality/image_locality_test.go
  // (TestImageLocalityPriority), including init containers (v1.29+).
  const cases: Array<{ name: string; pod: Pod; nodes: Node[]; want: Record<string, number> }> = [
    {
      // node2: 100 * (250M/2 - 23M) / (1000M * 2 - 23M) = 5
      name: 'two images spread on two nodes, prefer the larger image one',
      pod: test40250,
      nodes: [makeImageNode('node1', node403002000), makeImageNode('node2', node25010)],
      want: { node1: 0, node2: 5 },
    },
    {
      // node1: 100 * ((40M + 300M)/2 - 23M) / (1000M * 2 - 23M) = 7
      name: 'two images on one node, prefer this node',
      pod: test40300,
      nodes: [makeImageNode('node1', node403002000), makeImageNode('node2', node25010)],
      want: { node1: 7, node2: 0 },
    },
    {
      name: 'if exceed limit, use limit',
      pod: testMinMax,
      nodes: [makeImageNode('node1', node400030), makeImageNode('node2', node25010)],
      want: { node1: MAX_NODE_SCORE, node2: 0 },
    },
    {
      // node1: 100 * (4000M/3 - 23M) / (1000M * 2 - 23M) = 66
      name: 'if exceed limit, use limit (with node which has no images present)',
      pod: testMinMax,
      nodes: [makeImageNode('node1', node400030), makeImageNode('node2', node25010), makeImageNode('node3', nodeWithNoImages)],
      want: { node1: 66, node2: 0, node3: 0 },
    },
    {
      name: 'pod with multiple large images, node2 is preferred',
      pod: test300600900,
      nodes: [makeImageNode('node1', node60040900), makeImageNode('node2', node300600900), makeImageNode('node3', nodeWithNoImages)],
      want: { node1: 32, node2: 36, node3: 0 },
    },
    {
      name: 'pod with multiple small images',
      pod: test3040,
      nodes: [makeImageNode('node1', node203040), makeImageNode('node2', node400030)],
      want: { node1: 1, node2: 0 },
    },
    {
      name: 'include InitContainers: two images spread on two nodes, prefer the larger image one',
      pod: test30Init300,
      nodes: [makeImageNode('node1', node403002000), makeImageNode('node2', node203040)],
      want: { node1: 6, node2: 0 },
    },
    // ksim cases.
    {
      // 2 × trunc(300M × 1/2) = 300M over 2 containers: 100 * (300M - 23M) / (2000M - 23M) = 14.
      name: 'ksim case: two containers with the same image count it twice',
      pod: podSpec(['gcr.io/300', 'gcr.io/300:latest']),
      nodes: [makeImageNode('node1', node403002000), makeImageNode('node2', node25010)],
      want: { node1: 14, node2: 0 },
    },
    {
      // Only ":latest" is added: "nginx" is not "docker.io/library/nginx:latest".
      name: 'ksim case: names are matched after appending :latest only',
      pod: podSpec(['nginx']),
      nodes: [
        makeImageNode('node1', { images: [img(900, 'docker.io/library/nginx:latest')] }),
        makeImageNode('node2', { images: [img(900, 'nginx:latest')] }),
      ],
      // 100 * (450M - 23M) / (1000M - 23M) = 43
      want: { node1: 0, node2: 43 },
    },
    {
      name: 'ksim case: a pod without containers scores 0 everywhere',
      pod: podSpec([]),
      nodes: [makeImageNode('node1', node403002000)],
      want: { node1: 0 },
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const cluster = buildCluster(c.nodes);
      assert.deepEqual(scoreAll(plugin(cluster), cluster, c.pod), c.want);
    });
  }

  it('ksim case: no PreScore, as upstream (image_locality.go implements ScorePlugin only): the images are resolved at the first Score of a cycle', () => {
    const cluster = buildCluster([makeImageNode('node1', node60040900), makeImageNode('node2', node300600900), makeImageNode('node3', nodeWithNoImages)]);
    const p = plugin(cluster);
    assert.equal('preScore' in p, false);
    assert.deepEqual(scoreAll(p, cluster, test300600900), { node1: 32, node2: 36, node3: 0 });
  });

  it('ksim case: images too small to reach the threshold on any node score 0 everywhere, by Score and by scoreNodes', () => {
    // 20 MB + 2 MB on every node: 22 MB < 23 MB, so even a node with both scores as one with none.
    const both: NodeStatus = { images: [img(20, 'small:v1'), img(2, 'tiny:v1')] };
    const cluster = buildCluster([makeImageNode('node1', both), makeImageNode('node2', both), makeImageNode('node3', nodeWithNoImages)]);
    const p = plugin(cluster);
    const pod = podSpec(['small:v1', 'tiny:v1']);
    assert.deepEqual(scoreAll(p, cluster, pod), { node1: 0, node2: 0, node3: 0 });
    const state = new CycleState();
    const pi = podInfo(pod);
    const out = new Float64Array(3).fill(-1);
    p.scoreNodes(state, pi, cluster.nodes, out);
    assert.deepEqual([...out], [0, 0, 0]);
    // Past the threshold the node holding the image is scored: 60 MB on 1 of 2 nodes gives 30 MB,
    // 100 × (30 − 23) / (1000 − 23) = 0.7, truncated to 0; 600 MB gives 300 MB, 100 × 277 / 977 = 28.
    const bigger = buildCluster([makeImageNode('node1', { images: [img(60, 'small:v1')] }), makeImageNode('node2', nodeWithNoImages)]);
    assert.deepEqual(scoreAll(plugin(bigger), bigger, podSpec(['small:v1'])), { node1: 0, node2: 0 });
    const big = buildCluster([makeImageNode('node1', { images: [img(600, 'big:v1')] }), makeImageNode('node2', nodeWithNoImages)]);
    assert.deepEqual(scoreAll(plugin(big), big, podSpec(['big:v1'])), { node1: 28, node2: 0 });
  });

  it('ksim case: the spread follows nodes joining and leaving the cluster', () => {
    const cluster = buildCluster([makeImageNode('node1', node400030), makeImageNode('node2', node25010)]);
    const p = plugin(cluster);
    // 4000M × 1/2 = 2000M over 2 containers: the max threshold.
    assert.deepEqual(scoreAll(p, cluster, testMinMax), { node1: 100, node2: 0 });
    cluster.addNode(makeImageNode('node3', nodeWithNoImages), 'default');
    // 4000M × 1/3: 100 * (1333.33M - 23M) / 1977M = 66.
    assert.deepEqual(scoreAll(p, cluster, testMinMax), { node1: 66, node2: 0, node3: 0 });
    cluster.addNode(makeImageNode('node4', node400030), 'default');
    // 4000M × 2/4 = 2000M again on node1 and node4.
    assert.deepEqual(scoreAll(p, cluster, testMinMax), { node1: 100, node2: 0, node3: 0, node4: 100 });
    cluster.removeNode('node1');
    cluster.removeNode('node2');
    // gcr.io/4000 on 1 of 2 nodes; gcr.io/10 is on no node any more.
    assert.deepEqual(scoreAll(p, cluster, testMinMax), { node3: 0, node4: 100 });
  });

  it('ksim case: a name keeps the size of the node that brought it in (scheduler cache imageStates)', () => {
    const cluster = buildCluster([
      makeImageNode('node1', { images: [img(500, 'app:v1')] }),
      makeImageNode('node2', { images: [img(100, 'app:v1')] }),
    ]);
    const p = plugin(cluster);
    // 500M × 2/2 on both nodes: 100 * (500M - 23M) / 977M = 48 (node2's own 100M would give 7).
    assert.deepEqual(scoreAll(p, cluster, podSpec(['app:v1'])), { node1: 48, node2: 48 });
    cluster.removeNode('node1');
    // node1 left; the name keeps its first size while node2 still has it: 500M × 1/1.
    assert.deepEqual(scoreAll(p, cluster, podSpec(['app:v1'])), { node2: 48 });
  });

  it('ksim case: the factory registers its index and the profile weights the score', () => {
    const nodes = [
      makeNode('n1').capacity({ cpu: 4, pods: 10 }).with((n) => ((n.status as NodeStatus).images = [img(600, 'web:1')])).obj(),
      makeNode('n2').capacity({ cpu: 4, pods: 10 }).obj(),
    ];
    const cluster = buildCluster(nodes);
    const registry = new Map<string, PluginFactory>([
      ['PrioritySort', newPrioritySort],
      ['ImageLocality', newImageLocality],
      ['DefaultBinder', newDefaultBinder],
    ]);
    const fwk = new Framework(
      {
        schedulerName: 'default-scheduler',
        plugins: [
          { name: 'PrioritySort', weight: 0 },
          { name: 'ImageLocality', weight: 1 },
          { name: 'DefaultBinder', weight: 0 },
        ],
        pluginArgs: new Map(),
        percentageOfNodesToScore: 0,
      },
      registry,
      fakeHandle(cluster),
    );
    const pod = makePod('p').container({ image: 'web:1' }).obj();
    const totals = prioritize(fwk, fwk.newCycleState(), podInfo(pod), cluster.nodes);
    assert.ok(totals instanceof Float64Array);
    // 600M × 1/2 = 300M: 100 * (300M - 23M) / 977M = 28.
    assert.deepEqual([...totals], [28, 0]);
  });
});

describe('ImageLocality helpers', () => {
  // Upstream image_locality_test.go (TestNormalizedImageName).
  const digest = `sha256:${createHash('sha256').update('root').digest('hex')}`;
  const cases: Array<{ name: string; input: string; output: string }> = [
    { name: 'add :latest postfix 1', input: 'root', output: 'root:latest' },
    { name: 'add :latest postfix 2', input: 'gcr.io:5000/root', output: 'gcr.io:5000/root:latest' },
    { name: 'keep it as is 1', input: 'root:tag', output: 'root:tag' },
    { name: 'keep it as is 2', input: `root@${digest}`, output: `root@${digest}` },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.equal(normalizedImageName(c.input), c.output);
    });
  }

  it('ksim case: calculatePriority clamps to [23 MiB, 1000 MiB × containers]', () => {
    assert.equal(calculatePriority(0, 1), 0);
    assert.equal(calculatePriority(23 * MB, 1), 0);
    assert.equal(calculatePriority(1000 * MB, 1), 100);
    assert.equal(calculatePriority(5000 * MB, 3), 100);
    assert.equal(calculatePriority(1500 * MB, 3), 49); // 100 * 1477 / 2977
  });
});

describe('ImageLocality constantScore', () => {
  it('the no-image score when no node has an image that could move it, -1 when one has', () => {
    const small: NodeStatus = { images: [img(20, 'small:v1')] };
    const cases: [NodeStatus, Pod, number][] = [
      [nodeWithNoImages, podSpec(['small:v1']), 0],
      [small, podSpec(['small:v1']), 0],
      [{ images: [img(600, 'big:v1')] }, podSpec(['big:v1']), -1],
    ];
    for (const [status, pod, want] of cases) {
      const cluster = buildCluster([makeImageNode('node1', status), makeImageNode('node2', nodeWithNoImages)]);
      const p = plugin(cluster);
      const state = new CycleState();
      const pi = podInfo(pod);
      assert.equal(p.constantScore(state, pi), want);
      // Again, from what the first call kept in the cycle state.
      assert.equal(p.constantScore(state, pi), want);
      if (want >= 0) assert.deepEqual(scoreAll(p, cluster, pod), { node1: want, node2: want });
    }
  });
});
