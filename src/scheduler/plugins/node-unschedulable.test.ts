import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { makeNode, makePod, nodeInfoWith, podInfo } from '../../testing/builders.js';
import { CycleState } from '../framework/cycle-state.js';
import { Code, CODE_NAMES } from '../framework/status.js';
import { ERR_REASON_UNSCHEDULABLE, NodeUnschedulablePlugin } from './node-unschedulable.js';

const UNSCHEDULABLE_TAINT_KEY = 'node.kubernetes.io/unschedulable';

describe('NodeUnschedulable Filter', () => {
  // Upstream pkg/scheduler/framework/plugins/nodeunschedulable/node_unschedulable_test.go
  // (TestNodeUnschedulable); the cases marked "ksim case" pin the toleration matching
  // (v1helper.TolerationsTolerateTaint against node.kubernetes.io/unschedulable:NoSchedule).
  const cases: Array<{ name: string; pod: Pod; node: Node; wantRejected: boolean }> = [
    {
      name: 'Does not schedule pod to unschedulable node (node.Spec.Unschedulable==true)',
      pod: makePod().obj(),
      node: makeNode('n').unschedulable().obj(),
      wantRejected: true,
    },
    {
      name: 'Schedule pod to normal node',
      pod: makePod().obj(),
      node: makeNode('n').unschedulable(false).obj(),
      wantRejected: false,
    },
    {
      name: 'Schedule pod with toleration to unschedulable node (node.Spec.Unschedulable==true)',
      pod: makePod().toleration({ key: UNSCHEDULABLE_TAINT_KEY, effect: 'NoSchedule' }).obj(),
      node: makeNode('n').unschedulable().obj(),
      wantRejected: false,
    },
    {
      name: 'ksim case: an Exists toleration without key tolerates the unschedulable node',
      pod: makePod().toleration({ operator: 'Exists' }).obj(),
      node: makeNode('n').unschedulable().obj(),
      wantRejected: false,
    },
    {
      name: 'ksim case: an Exists toleration for the key with any effect tolerates it',
      pod: makePod().toleration({ key: UNSCHEDULABLE_TAINT_KEY, operator: 'Exists' }).obj(),
      node: makeNode('n').unschedulable().obj(),
      wantRejected: false,
    },
    {
      name: 'ksim case: a toleration for the key with effect NoExecute does not tolerate it',
      pod: makePod().toleration({ key: UNSCHEDULABLE_TAINT_KEY, operator: 'Exists', effect: 'NoExecute' }).obj(),
      node: makeNode('n').unschedulable().obj(),
      wantRejected: true,
    },
    {
      name: 'ksim case: an Equal toleration with a value does not tolerate the value-less taint',
      pod: makePod().toleration({ key: UNSCHEDULABLE_TAINT_KEY, operator: 'Equal', value: 'true', effect: 'NoSchedule' }).obj(),
      node: makeNode('n').unschedulable().obj(),
      wantRejected: true,
    },
    {
      name: 'ksim case: a toleration for another key does not tolerate it',
      pod: makePod().toleration({ key: 'node.kubernetes.io/not-ready', operator: 'Exists' }).obj(),
      node: makeNode('n').unschedulable().obj(),
      wantRejected: true,
    },
    {
      name: 'ksim case: the node.kubernetes.io/unschedulable taint alone is not this plugin\'s business',
      pod: makePod().obj(),
      node: makeNode('n').taint(UNSCHEDULABLE_TAINT_KEY, '', 'NoSchedule').obj(),
      wantRejected: false,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const got = new NodeUnschedulablePlugin().filter(new CycleState(), podInfo(c.pod), nodeInfoWith(c.node));
      if (!c.wantRejected) {
        assert.equal(got, null);
        return;
      }
      assert.notEqual(got, null);
      assert.equal(CODE_NAMES[got?.code ?? Code.Success], 'UnschedulableAndUnresolvable');
      assert.deepEqual(got?.reasons, ['node(s) were unschedulable']);
      assert.equal(got?.plugin, 'NodeUnschedulable');
    });
  }

  it('exports upstream\'s ErrReasonUnschedulable text', () => {
    assert.equal(ERR_REASON_UNSCHEDULABLE, 'node(s) were unschedulable');
  });
});
