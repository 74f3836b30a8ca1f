// explain() against the scheduler's own cycle (ScheduleAlgorithm) on the same framework: the
// Error that ends a cycle reads the same in both, and ties for the top score are named.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RandomStreams } from '../engine/random.js';
import { buildCluster, makeFramework, makeNode, makePod, podInfo } from '../testing/builders.js';
import type { FilterPlugin, PreFilterPlugin, ScorePlugin } from './framework/interfaces.js';
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

describe('explain: ties for the top score', () => {
  const cluster = buildCluster(['n0', 'n1', 'n2', 'n3'].map((n) => makeNode(n).obj()));
  const pod = podInfo(makePod('web').obj());
  const fixed = (scores: Record<string, number>) => ({ name: 'Fixed', score: (_s: unknown, _p: unknown, n: { name: string }) => scores[n.name] ?? 0 }) as unknown as ScorePlugin;

  it('names the other nodes of the top total (upstream selectHost picks one of them at random), in JSON and in the table', () => {
    // n0, n1 and n3 share the top total 50; n2 has 10.
    const r = explain(makeFramework(cluster, [fixed({ n0: 50, n1: 50, n2: 10, n3: 50 })]), cluster, pod, { rng: rng() });
    const top = ['n0', 'n1', 'n3'];
    assert.ok(top.includes(r.selected ?? ''), String(r.selected));
    assert.deepEqual(r.tiedWith, top.filter((n) => n !== r.selected));
    const answer = `selected: ${r.selected} (tied with ${top.filter((n) => n !== r.selected).join(', ')}: kube-scheduler picks one of them at random)`;
    const lines = renderTable(r).split('\n');
    assert.equal(lines[1], answer);
    assert.equal(lines.at(-2), answer);
  });

  it('the table names the first five tied nodes and counts the rest', () => {
    const r = { pod: 'default/web', profile: 'default-scheduler', preFilter: {}, preScore: {}, nodes: {}, selected: 'a', tiedWith: ['b', 'c', 'd', 'e', 'f', 'g', 'h'] };
    assert.equal(renderTable(r).split('\n')[1], 'selected: a (tied with b, c, d, e, f and 2 more: kube-scheduler picks one of them at random)');
  });

  it('a sole top total has no tiedWith field (design §4 shape as before)', () => {
    const r = explain(makeFramework(cluster, [fixed({ n0: 50, n1: 40 })]), cluster, pod, { rng: rng() });
    assert.equal(r.selected, 'n0');
    assert.equal('tiedWith' in r, false);
    assert.equal(renderTable(r).split('\n')[1], 'selected: n0 (scores are normalised × weight)');
  });
});
