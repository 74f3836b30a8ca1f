// explain() against the scheduler's own cycle (ScheduleAlgorithm) on the same framework: the
// Error that ends a cycle reads the same in both, and ties for the top score are named.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RandomStreams } from '../engine/random.js';
import { buildCluster, makeFramework, makeNode, makePod, podInfo } from '../testing/builders.js';
import type { FilterPlugin, PreFilterPlugin } from './framework/interfaces.js';
import { CODE_NAMES, Status, type Verdict } from './framework/status.js';
import { explain } from './explain.js';
import { ScheduleAlgorithm } from './schedule-one.js';
import { renderTable } from '../cli/explain-command.js';

const rng = () => new RandomStreams(1).stream('scheduler');

describe('explain: a plugin Error reads as the run\'s placements.csv error row', () => {
  const cluster = buildCluster(['n0', 'n1', 'n2'].map((n) => makeNode(n).obj()));
  const pod = podInfo(makePod('web').obj());
  const runReason = (plugins: Parameters<typeof makeFramework>[1]) => {
    const fwk = makeFramework(cluster, plugins);
    const r = new ScheduleAlgorithm(cluster, rng()).schedule(fwk, fwk.newCycleState(), pod);
    assert.equal(CODE_NAMES[r.code], 'Error');
    return r.reason;
  };

  it('a Filter returning an Error: upstream RunFilterPlugins\' `running "X" filter plugin: ...`, and no "0/N nodes are available" tally (the cycle ends at the Error, no FitError)', () => {
    const gate = { name: 'Gate', filter: (): Verdict => Status.error('metrics backend unavailable for web') } as FilterPlugin;
    const r = explain(makeFramework(cluster, [gate]), cluster, pod, { rng: rng() });
    assert.equal(r.error, 'running "Gate" filter plugin: metrics backend unavailable for web');
    assert.equal(r.error, runReason([gate]));
    assert.equal(r.selected, null);
    assert.equal(r.reason, undefined);
    // The verdicts are shown as the plugin returned them.
    assert.deepEqual(r.nodes['n0']?.filter['Gate'], { code: 'Error', reason: 'metrics backend unavailable for web' });
    const lines = renderTable(r).split('\n');
    assert.deepEqual(lines.slice(0, 2), ['pod default/web, profile default-scheduler', 'error: running "Gate" filter plugin: metrics backend unavailable for web (the scheduler ends the cycle with this Error and retries the pod after a backoff)']);
    assert.ok(!lines.some((l) => l.includes('nodes are available')), lines.join('\n'));
  });

  it('a PreFilter returning an Error: `running PreFilter plugin "X": ...`', () => {
    const pre = { name: 'Pre', preFilter: () => ({ status: Status.error('quota service down') }) } as PreFilterPlugin;
    const r = explain(makeFramework(cluster, [pre]), cluster, pod, { rng: rng() });
    assert.equal(r.error, 'running PreFilter plugin "Pre": quota service down');
    assert.equal(r.error, runReason([pre]));
  });
});
