// Upstream pkg/scheduler/framework/plugins/schedulinggates/scheduling_gates_test.go (TestPreEnqueue).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makePod, podInfo } from '../../testing/builders.js';
import { CODE_NAMES } from '../framework/status.js';
import { SchedulingGatesPlugin } from './scheduling-gates.js';

const CASES: { name: string; gates: string[]; want: null | { code: string; reason: string } }[] = [
  { name: 'pod does not carry scheduling gates', gates: [], want: null },
  { name: 'pod carries scheduling gates', gates: ['foo', 'bar'], want: { code: 'UnschedulableAndUnresolvable', reason: 'waiting for scheduling gates: [foo bar]' } },
  { name: 'pod carries one scheduling gate', gates: ['example.com/quota'], want: { code: 'UnschedulableAndUnresolvable', reason: 'waiting for scheduling gates: [example.com/quota]' } },
];

for (const c of CASES) {
  test(`SchedulingGates: ${c.name}`, () => {
    const pod = makePod('p').with((p) => {
      if (c.gates.length > 0) p.spec!.schedulingGates = c.gates.map((name) => ({ name }));
    }).obj();
    const v = new SchedulingGatesPlugin().preEnqueue(podInfo(pod));
    if (c.want === null) assert.equal(v, null);
    else assert.deepEqual({ code: CODE_NAMES[v!.code], reason: v!.message }, c.want);
  });
}
