// Which nodes a constraint counts under its node inclusion policies (upstream
// matchNodeInclusionPolicies): nodeAffinityPolicy Honor keeps the nodes matching the pod's
// required node affinity, nodeTaintsPolicy Honor the nodes whose NoSchedule/NoExecute taints
// the pod tolerates.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildCluster, makeNode, makePod } from '../../../testing/builders.js';
import { nodeInclusion, type SpreadConstraint } from './common.js';

const constraint = (honorNodeAffinity: boolean, honorNodeTaints: boolean): SpreadConstraint => ({ honorNodeAffinity, honorNodeTaints } as unknown as SpreadConstraint);

test('nodeTaintsPolicy Honor: untainted and tolerated nodes count, a node with an untolerated NoSchedule taint does not', () => {
  const cluster = buildCluster([
    makeNode('plain').obj(),
    makeNode('tolerated').taint('gpu', 'true', 'NoSchedule').obj(),
    makeNode('untolerated').taint('other', 'x', 'NoExecute').obj(),
    makeNode('prefer').taint('other', 'x', 'PreferNoSchedule').obj(),
    makeNode('elsewhere').label('zone', 'b').obj(),
  ]);
  const pod = makePod('p').toleration({ key: 'gpu', operator: 'Exists', effect: 'NoSchedule' }).nodeSelector({ zone: 'b' }).obj();
  const counted = (aff: boolean, tnt: boolean) => {
    const inc = nodeInclusion(constraint(aff, tnt), pod);
    return inc === null ? 'all' : cluster.nodes.filter((n) => inc.matches(n)).map((n) => n.name);
  };
  assert.deepEqual(counted(false, true), ['plain', 'tolerated', 'prefer', 'elsewhere']);
  assert.deepEqual(counted(true, false), ['elsewhere']);
  assert.deepEqual(counted(true, true), ['elsewhere']);
  assert.equal(counted(false, false), 'all');
});
