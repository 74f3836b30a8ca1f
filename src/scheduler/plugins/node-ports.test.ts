import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ContainerPort, Pod } from 'kubernetes-types/core/v1.js';
import type { NodeInfo } from '../../cluster/node-info.js';
import { RandomStreams } from '../../engine/random.js';
import { buildCluster, makeFramework, makeNode, makePod, nodeInfoWith, podInfo } from '../../testing/builders.js';
import { CycleState } from '../framework/cycle-state.js';
import { Code, CODE_NAMES } from '../framework/status.js';
import { ScheduleAlgorithm } from '../schedule-one.js';
import { ERR_REASON_NODE_PORTS, newNodePorts, NodePortsPlugin } from './node-ports.js';

/** Upstream's newPod(host, "PROTOCOL/ip/port"...): one container holding the ports. */
function newPod(host: string, ...hostPortInfos: string[]): Pod {
  const ports: ContainerPort[] = hostPortInfos.map((s) => {
    const [protocol, hostIP, port] = s.split('/') as [string, string, string];
    return { containerPort: 0, hostIP, hostPort: Number(port), protocol };
  });
  return makePod().node(host).container({ ports }).obj();
}

/** A NodeInfo holding `pods` (upstream framework.NewNodeInfo(pods...)). */
function nodeWith(...pods: Pod[]): NodeInfo {
  return nodeInfoWith(makeNode('m1').obj(), ...pods);
}

const sidecarPod = (sidecar: boolean): Pod =>
  makePod()
    .initContainer({
      ports: [{ containerPort: 8001, hostPort: 8001, protocol: 'TCP' }],
      ...(sidecar ? { restartPolicy: 'Always' } : {}),
    })
    .obj();

type Want = 'skip' | 'fits' | 'conflict';

describe('NodePorts PreFilter and Filter', () => {
  // Upstream pkg/scheduler/framework/plugins/nodeports/node_ports_test.go (TestNodePorts).
  const cases: Array<{ name: string; pod: Pod; node: NodeInfo; want: Want }> = [
    { name: 'skip filter', pod: makePod().obj(), node: nodeWith(), want: 'skip' },
    { name: 'other port', pod: newPod('m1', 'UDP/127.0.0.1/8080'), node: nodeWith(newPod('m1', 'UDP/127.0.0.1/9090')), want: 'fits' },
    {
      name: 'same udp port',
      pod: newPod('m1', 'UDP/127.0.0.1/8080'),
      node: nodeWith(newPod('m1', 'UDP/127.0.0.1/8080')),
      want: 'conflict',
    },
    {
      name: 'same tcp port',
      pod: newPod('m1', 'TCP/127.0.0.1/8080'),
      node: nodeWith(newPod('m1', 'TCP/127.0.0.1/8080')),
      want: 'conflict',
    },
    {
      name: 'different host ip',
      pod: newPod('m1', 'TCP/127.0.0.1/8080'),
      node: nodeWith(newPod('m1', 'TCP/127.0.0.2/8080')),
      want: 'fits',
    },
    {
      name: 'different protocol',
      pod: newPod('m1', 'UDP/127.0.0.1/8080'),
      node: nodeWith(newPod('m1', 'TCP/127.0.0.1/8080')),
      want: 'fits',
    },
    {
      name: 'second udp port conflict',
      pod: newPod('m1', 'UDP/127.0.0.1/8000', 'UDP/127.0.0.1/8080'),
      node: nodeWith(newPod('m1', 'UDP/127.0.0.1/8080')),
      want: 'conflict',
    },
    {
      name: 'first tcp port conflict',
      pod: newPod('m1', 'TCP/127.0.0.1/8001', 'UDP/127.0.0.1/8080'),
      node: nodeWith(newPod('m1', 'TCP/127.0.0.1/8001', 'UDP/127.0.0.1/8081')),
      want: 'conflict',
    },
    {
      name: 'first tcp port conflict due to 0.0.0.0 hostIP',
      pod: newPod('m1', 'TCP/0.0.0.0/8001'),
      node: nodeWith(newPod('m1', 'TCP/127.0.0.1/8001')),
      want: 'conflict',
    },
    {
      name: 'TCP hostPort conflict due to 0.0.0.0 hostIP',
      pod: newPod('m1', 'TCP/10.0.10.10/8001', 'TCP/0.0.0.0/8001'),
      node: nodeWith(newPod('m1', 'TCP/127.0.0.1/8001')),
      want: 'conflict',
    },
    {
      name: 'second tcp port conflict to 0.0.0.0 hostIP',
      pod: newPod('m1', 'TCP/127.0.0.1/8001'),
      node: nodeWith(newPod('m1', 'TCP/0.0.0.0/8001')),
      want: 'conflict',
    },
    {
      name: 'second different protocol',
      pod: newPod('m1', 'UDP/127.0.0.1/8001'),
      node: nodeWith(newPod('m1', 'TCP/0.0.0.0/8001')),
      want: 'fits',
    },
    {
      name: 'UDP hostPort conflict due to 0.0.0.0 hostIP',
      pod: newPod('m1', 'UDP/127.0.0.1/8001'),
      node: nodeWith(newPod('m1', 'TCP/0.0.0.0/8001', 'UDP/0.0.0.0/8001')),
      want: 'conflict',
    },
    { name: 'non-sidecar initContainer using hostPort', pod: sidecarPod(false), node: nodeWith(newPod('m1', 'TCP/0.0.0.0/8001')), want: 'skip' },
    {
      name: 'TCP hostPort conflict from sidecar initContainer',
      pod: sidecarPod(true),
      node: nodeWith(newPod('m1', 'TCP/0.0.0.0/8001')),
      want: 'conflict',
    },
    // ksim cases: HostPortInfo's sanitising (empty IP is 0.0.0.0, empty protocol is TCP) on
    // both sides, and a wildcard that only conflicts on its own protocol and port.
    {
      name: 'ksim case: an empty hostIP on the node is 0.0.0.0 and conflicts with a specific IP',
      pod: newPod('m1', 'TCP/127.0.0.1/8001'),
      node: nodeWith(newPod('m1', 'TCP//8001')),
      want: 'conflict',
    },
    {
      name: 'ksim case: an empty protocol on the pod is TCP',
      pod: newPod('m1', '/127.0.0.1/8001'),
      node: nodeWith(newPod('m1', 'TCP/127.0.0.1/8001')),
      want: 'conflict',
    },
    {
      name: 'ksim case: an empty hostIP on the pod is 0.0.0.0 and conflicts with any IP',
      pod: newPod('m1', 'TCP//8001'),
      node: nodeWith(newPod('m1', 'TCP/192.168.0.7/8001')),
      want: 'conflict',
    },
    {
      name: 'ksim case: a wildcard pod port fits when only another port is used',
      pod: newPod('m1', 'TCP/0.0.0.0/8001'),
      node: nodeWith(newPod('m1', 'TCP/127.0.0.1/8002', 'UDP/0.0.0.0/8001')),
      want: 'fits',
    },
    {
      name: 'ksim case: SCTP ports conflict like the others',
      pod: newPod('m1', 'SCTP/0.0.0.0/9000'),
      node: nodeWith(newPod('m1', 'SCTP/10.1.1.1/9000')),
      want: 'conflict',
    },
    {
      name: 'ksim case: a container port without hostPort needs nothing on the host',
      pod: makePod().container({ ports: [{ containerPort: 8080 }] }).obj(),
      node: nodeWith(newPod('m1', 'TCP/0.0.0.0/8080')),
      want: 'skip',
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const p = new NodePortsPlugin();
      const state = new CycleState();
      const pi = podInfo(c.pod);
      const { status, result } = p.preFilter(state, pi);
      assert.equal(result, undefined);
      if (c.want === 'skip') {
        assert.equal(CODE_NAMES[status?.code ?? Code.Success], 'Skip');
        return;
      }
      assert.equal(status, null);
      const got = p.filter(state, pi, c.node);
      if (c.want === 'fits') {
        assert.equal(got, null);
        return;
      }
      assert.equal(CODE_NAMES[got?.code ?? Code.Success], 'Unschedulable');
      assert.deepEqual(got?.reasons, ["node(s) didn't have free ports for the requested pod ports"]);
      assert.equal(got?.reasons[0], ERR_REASON_NODE_PORTS);
      assert.equal(got?.plugin, 'NodePorts');
    });
  }

  it('TestPreFilterDisabled: Filter without PreFilter state is an Error', () => {
    const got = new NodePortsPlugin().filter(new CycleState(), podInfo(makePod().obj()), nodeWith());
    assert.equal(CODE_NAMES[got?.code ?? Code.Success], 'Error');
    assert.equal(got?.message, 'reading "PreFilterNodePorts" from cycleState: not found');
  });

  it('ksim case: the per-node view follows pods added to and removed from the node', () => {
    const p = new NodePortsPlugin();
    const state = new CycleState();
    const pi = podInfo(newPod('m1', 'TCP/0.0.0.0/80'));
    assert.equal(p.preFilter(state, pi).status, null);
    const node = nodeWith(newPod('m1', 'TCP/10.0.0.1/81'));
    assert.equal(p.filter(state, pi, node), null);
    const holder = podInfo(newPod('m1', 'TCP/10.0.0.1/80'));
    node.addPodScratch(holder);
    assert.equal(CODE_NAMES[p.filter(state, pi, node)?.code ?? Code.Success], 'Unschedulable');
    node.removePodScratch(holder);
    assert.equal(p.filter(state, pi, node), null);
  });

  it('ksim case: two replicas asking for the same host port land on different nodes', () => {
    const nodes = ['n1', 'n2'].map((n) => makeNode(n).capacity({ cpu: 4, pods: 10 }).obj());
    const cluster = buildCluster(nodes);
    const fwk = makeFramework(cluster, [newNodePorts(undefined)]);
    const algo = new ScheduleAlgorithm(cluster, new RandomStreams(3).stream('scheduler'));
    const placed: string[] = [];
    for (const name of ['a', 'b', 'c']) {
      const pi = podInfo(makePod(name).hostPort(8080).obj());
      const r = algo.schedule(fwk, fwk.newCycleState(), pi);
      if (r.nodeName === null) {
        assert.equal(r.reason, "0/2 nodes are available: 2 node(s) didn't have free ports for the requested pod ports.");
        continue;
      }
      placed.push(r.nodeName);
      cluster.addPod(pi);
      cluster.assume(pi, cluster.mustNode(r.nodeName));
    }
    assert.deepEqual(placed.sort(), ['n1', 'n2']);
  });
});
