import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { makeNode, makePod, nodeInfoWith, podInfo } from '../../testing/builders.js';
import { CycleState } from '../framework/cycle-state.js';
import { implementsMethod, type PreFilterPlugin } from '../framework/interfaces.js';
import { Code, CODE_NAMES } from '../framework/status.js';
import { ERR_REASON_NODE_NAME, newNodeName, NodeNamePlugin } from './node-name.js';

describe('NodeName Filter', () => {
  // Upstream pkg/scheduler/framework/plugins/nodename/node_name_test.go (TestNodeName).
  const cases: Array<{ name: string; pod: Pod; node: Node; rejected: boolean }> = [
    {
      name: 'no host specified',
      pod: { apiVersion: 'v1', kind: 'Pod', metadata: {}, spec: { containers: [] } },
      node: { apiVersion: 'v1', kind: 'Node', metadata: {} },
      rejected: false,
    },
    { name: 'host matches', pod: makePod().node('foo').obj(), node: makeNode('foo').obj(), rejected: false },
    { name: "host doesn't match", pod: makePod().node('bar').obj(), node: makeNode('foo').obj(), rejected: true },
    // ksim cases.
    { name: 'ksim case: an empty nodeName requests nothing', pod: makePod().node('').obj(), node: makeNode('foo').obj(), rejected: false },
    {
      name: 'ksim case: the match is on the node name, not on its hostname label',
      pod: makePod().node('host-a').obj(),
      node: makeNode('foo').label('kubernetes.io/hostname', 'host-a').obj(),
      rejected: true,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const got = new NodeNamePlugin().filter(new CycleState(), podInfo(c.pod), nodeInfoWith(c.node));
      if (!c.rejected) {
        assert.equal(got, null);
        return;
      }
      assert.notEqual(got, null);
      assert.equal(CODE_NAMES[got?.code ?? Code.Success], 'UnschedulableAndUnresolvable');
      assert.deepEqual(got?.reasons, ["node(s) didn't match the requested node name"]);
      assert.equal(got?.reasons[0], ERR_REASON_NODE_NAME);
      assert.equal(got?.plugin, 'NodeName');
    });
  }

  it('ksim case: v1.36 NodeName has no PreFilter (it narrows nodes only from v1.37)', () => {
    const p = newNodeName(undefined);
    assert.equal(p.name, 'NodeName');
    assert.equal(implementsMethod<PreFilterPlugin>(p, 'preFilter'), false);
  });
});
