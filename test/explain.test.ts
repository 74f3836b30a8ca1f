// `ksim explain` on a small mixed cluster, with the default profile's arithmetic worked by hand.
//
// Pod web-0 requests 1 CPU / 1Gi and prefers disktype=ssd (weight 10) over hdd (weight 5).
// node-c has an untolerated NoSchedule taint: TaintToleration rejects it
// ("node(s) had untolerated taint(s)"). node-a (4 CPU / 8Gi, holds 1 CPU / 2Gi, PreferNoSchedule
// taint spot=true) and node-b (4 CPU / 8Gi, holds 2 CPU / 1Gi) are scored:
//
//   TaintToleration (weight 3): intolerable PreferNoSchedule taints a=1, b=0; reverse-normalised
//     a = 100 − 100·1/1 = 0, b = 100                                   → a 0,   b 300
//   NodeAffinity (weight 2): preferred weights a=10, b=5; normalised to the max
//     a = 100·10/10 = 100, b = 100·5/10 = 50                           → a 200, b 100
//   NodeResourcesFit LeastAllocated (weight 1), with the pod:
//     a: cpu (4000−2000)·100/4000 = 50, memory (8−3)/8 → 62; (50+62)/2 = 56
//     b: cpu (4000−3000)·100/4000 = 25, memory (8−2)/8 = 75; (25+75)/2 = 50 → a 56,  b 50
//   NodeResourcesBalancedAllocation (weight 1), v1.36: S = ⌊(1 − |f_cpu − f_mem|/2)·100⌋,
//     score = 50 + (50 + S_with − S_without)/2:
//     a: with (0.5, 0.375) → 93; without (0.25, 0.25) → 100; 50 + 43/2 = 71
//     b: with (0.75, 0.25) → 75; without (0.5, 0.125) → 81; 50 + 44/2 = 72 → a 71,  b 72
//   ImageLocality (weight 1): no images on the nodes                   → a 0,   b 0
//   PodTopologySpread and InterPodAffinity: PreScore Skip (no constraints, no affinity terms)
//   Totals: a = 0 + 200 + 56 + 71 + 0 = 327; b = 300 + 100 + 50 + 72 + 0 = 522 → node-b.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { explainFiles } from '../src/run/explain-files.js';
import { filterSummary } from '../src/scheduler/explain.js';
import { clip, FILTER_COLUMN_WIDTH, renderTable } from '../src/cli/explain-command.js';
import { KSIM_BIN, REPO_ROOT, repoPath } from '../src/testing/repo-paths.js';
import { tempDir } from '../src/testing/temp-dir.js';

const CLUSTER = repoPath('examples/explain/cluster.yaml');
const POD = repoPath('examples/explain/pod.yaml');

test('the default profile scores the mixed cluster as worked out by hand', async () => {
  const r = await explainFiles({ cluster: CLUSTER, pod: POD });
  assert.equal(r.pod, 'default/web-0');
  assert.equal(r.profile, 'default-scheduler');
  assert.equal(r.selected, 'node-b');
  assert.deepEqual(r.nodes['node-c']?.filter['TaintToleration'], { code: 'UnschedulableAndUnresolvable', reason: "node(s) had untolerated taint(s)" });
  assert.equal(r.nodes['node-c']?.total, undefined);
  const weighted = (n: string) => Object.fromEntries(Object.entries(r.nodes[n]?.score ?? {}).map(([k, v]) => [k, v.weighted]));
  assert.deepEqual(weighted('node-a'), { TaintToleration: 0, NodeAffinity: 200, NodeResourcesFit: 56, NodeResourcesBalancedAllocation: 71, ImageLocality: 0 });
  assert.deepEqual(weighted('node-b'), { TaintToleration: 300, NodeAffinity: 100, NodeResourcesFit: 50, NodeResourcesBalancedAllocation: 72, ImageLocality: 0 });
  assert.equal(r.nodes['node-a']?.total, 327);
  assert.equal(r.nodes['node-b']?.total, 522);
  assert.deepEqual(r.nodes['node-a']?.score?.['TaintToleration'], { raw: 1, normalized: 0, weight: 3, weighted: 0 });
  assert.deepEqual(r.nodes['node-b']?.score?.['NodeAffinity'], { raw: 5, normalized: 50, weight: 2, weighted: 100 });
  assert.deepEqual(r.preScore, { PodTopologySpread: { code: 'Skip' }, InterPodAffinity: { code: 'Skip' } });
});

test('a negative score weight multiplies the normalised scores of its plugin as kube-scheduler does (getScoreWeights keeps it), and a weight at filter is ignored with a warning', async () => {
  // TaintToleration at -3: node-a 0 · -3 = 0, node-b 100 · -3 = -300; totals
  // a = 0 + 200 + 56 + 71 + 0 = 327, b = -300 + 100 + 50 + 72 + 0 = -78 → node-a.
  const config = join(tempDir('ksim-explain-weight-'), 'cfg.yaml');
  writeFileSync(config, `apiVersion: kubescheduler.config.k8s.io/v1
kind: KubeSchedulerConfiguration
profiles:
  - plugins:
      score:
        enabled: [{ name: TaintToleration, weight: -3 }]
      filter:
        enabled: [{ name: NodeName, weight: 7 }]
`);
  const warnings: string[] = [];
  const r = await explainFiles({ cluster: CLUSTER, pod: POD, config, warnings });
  assert.deepEqual(r.nodes['node-b']?.score?.['TaintToleration'], { raw: 0, normalized: 100, weight: -3, weighted: -300 });
  assert.deepEqual(r.nodes['node-a']?.score?.['TaintToleration'], { raw: 1, normalized: 0, weight: -3, weighted: 0 });
  assert.equal(r.nodes['node-a']?.total, 327);
  assert.equal(r.nodes['node-b']?.total, -78);
  assert.equal(r.selected, 'node-a');
  assert.deepEqual(warnings, [`${config}:8:45: profiles[0].plugins.filter.enabled[0].weight: weight 7 does nothing at filter: kube-scheduler reads score weights from score and multiPoint only`]);
});

test('--score-all-nodes scores a node that failed a filter; --nodes restricts the candidates', async () => {
  const all = await explainFiles({ cluster: CLUSTER, pod: POD, scoreAllNodes: true });
  assert.equal(typeof all.nodes['node-c']?.total, 'number');
  assert.equal(all.selected, 'node-b', 'a node that failed a filter is never selected');
  const some = await explainFiles({ cluster: CLUSTER, pod: POD, nodes: ['node-a'] });
  assert.deepEqual(Object.keys(some.nodes), ['node-a']);
  assert.equal(some.selected, 'node-a');
});

test('--plugins keeps only the named plugins', async () => {
  const r = await explainFiles({ cluster: CLUSTER, pod: POD, plugins: ['NodeResourcesFit'] });
  assert.deepEqual(Object.keys(r.nodes['node-a']?.filter ?? {}), ['NodeResourcesFit']);
  assert.deepEqual(Object.keys(r.nodes['node-c']?.score ?? {}), ['NodeResourcesFit']);
  // node-c (8 CPU, empty): cpu (8000−1000)·100/8000 = 87, memory 15/16 → 93; (87+93)/2 = 90.
  assert.equal(r.nodes['node-c']?.total, 90);
  assert.equal(r.selected, 'node-c');
});

test('ksim explain prints a table, or JSON with -o json', () => {
  const table = spawnSync(process.execPath, [KSIM_BIN, 'explain', '--cluster', 'examples/explain/cluster.yaml', '--pod', 'examples/explain/pod.yaml'], { cwd: REPO_ROOT, encoding: 'utf8' });
  assert.equal(table.status, 0, table.stderr);
  assert.match(table.stdout, /^pod default\/web-0, profile default-scheduler\n/);
  assert.match(table.stdout, /node-b \*\s+passed\s+300/);
  assert.match(table.stdout, /node-c\s+TaintToleration: node\(s\) had untolerated taint\(s\)/);
  assert.match(table.stdout, /selected: node-b/);
  const json = spawnSync(process.execPath, [KSIM_BIN, 'explain', '--cluster', 'examples/explain/cluster.yaml', '--pod', 'examples/explain/pod.yaml', '-o', 'json', '--plugins', 'NodeResourcesFit,TaintToleration'], { cwd: REPO_ROOT, encoding: 'utf8' });
  assert.equal(json.status, 0, json.stderr);
  const r = JSON.parse(json.stdout) as { selected: string; nodes: Record<string, { score?: Record<string, unknown> }> };
  assert.deepEqual(Object.keys(r.nodes['node-a']?.score ?? {}), ['TaintToleration', 'NodeResourcesFit']);
  const bad = spawnSync(process.execPath, [KSIM_BIN, 'explain', '--cluster', 'examples/explain/cluster.yaml', '--pod', 'examples/explain/pod.yaml', '--plugins', 'Nope'], { cwd: REPO_ROOT, encoding: 'utf8' });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /^ksim: --plugins: expected plugins of profile default-scheduler \(.*\), got "Nope"\n$/);
});

test('ksim explain warns about unknown fields in its inputs and still explains', async () => {
  const { readFileSync, writeFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const dir = tempDir('ksim-explain-warn-');
  const pod = join(dir, 'pod.yaml');
  writeFileSync(pod, readFileSync(POD, 'utf8').replace('spec:\n', 'spec:\n  priorityClass: high\n'));
  const r = spawnSync(process.execPath, [KSIM_BIN, 'explain', '--cluster', 'examples/explain/cluster.yaml', '--pod', pod, '-o', 'json'], { cwd: REPO_ROOT, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /^ksim: warning: .*pod\.yaml:\d+:\d+: spec: unknown field "priorityClass" \(did you mean "priorityClassName"\?\)\n$/);
  assert.equal((JSON.parse(r.stdout) as { selected: string }).selected, 'node-b');
});

test('an unschedulable pod\'s reason ends with what preemption said, as kube-scheduler\'s (and a run\'s) does', async () => {
  const dir = tempDir('ksim-explain-preemption-');
  const node = (name: string, cpu: string) => `- {apiVersion: v1, kind: Node, metadata: {name: ${name}}, status: {allocatable: {cpu: "${cpu}", memory: 8Gi, pods: "110"}}}`;
  writeFileSync(join(dir, 'cluster.yaml'), ['apiVersion: v1', 'kind: List', 'items:', node('n1', '2'), node('n2', '4'), node('n3', '4'),
    '- {apiVersion: v1, kind: Pod, metadata: {name: e1, namespace: default}, spec: {nodeName: n1, containers: [{name: c, image: x, resources: {requests: {cpu: 1500m}}}]}}', ''].join('\n'));
  // Only n1 is allowed (matchFields), and its 1500m of 2 CPUs leaves no room for 1 CPU; the pod
  // there has the same priority, so preemption finds no victim.
  writeFileSync(join(dir, 'pod.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata: {name: p1}\nspec:\n  containers: [{name: c, image: x, resources: {requests: {cpu: "1"}}}]\n  affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [{matchFields: [{key: metadata.name, operator: In, values: [n1]}]}]}}}\n');
  const r = await explainFiles({ cluster: join(dir, 'cluster.yaml'), pod: join(dir, 'pod.yaml') });
  assert.equal(r.selected, null);
  assert.equal(r.reason, "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't satisfy plugin(s) [NodeAffinity]. preemption: 0/3 nodes are available: 1 No preemption victims found for incoming pod, 2 Preemption is not helpful for scheduling.");
});

test('a plugin mistake the scheduler ends its cycle with is an error in explain too: a score out of range or not a number, an Error status, a verdict that is not a Status', async () => {
  const dir = tempDir('ksim-explain-bad-');
  const module = join(dir, 'edge.js');
  writeFileSync(module, `import { Status } from ${JSON.stringify(repoPath('dist/src/index.js'))};
export const plugins = {
  Edge: (args) => ({
    name: 'Edge',
    filter() {
      if (args.mode === 'errorStatus') return Status.error('edge internal failure');
      if (args.mode === 'shaped') return { code: 2, reasons: ['nope'] };
      return null;
    },
    score() {
      return { score101: 101, negative: -1, string: '50', nan: NaN }[args.mode] ?? 50;
    },
  }),
};
`);
  const cases: [mode: string, error: string][] = [
    ['score101', 'plugin "Edge" returns an invalid score 101, it should in the range of [0, 100] after normalizing'],
    ['negative', 'plugin "Edge" returns an invalid score -1, it should in the range of [0, 100] after normalizing'],
    ['string', 'plugin "Edge" returns a score of type string ("50"): scores are integers (int64 upstream)'],
    ['nan', 'plugin "Edge" returns a non-integer score NaN: scores are integers (int64 upstream)'],
    ['errorStatus', 'running "Edge" filter plugin: edge internal failure'],
    ['shaped', 'plugin "Edge" Filter returned {"code":2,"reasons":["nope"]}: expected null or a Status (import { Status } from \'ksim\')'],
    ['ok', ''],
  ];
  for (const [mode, error] of cases) {
    const config = join(dir, `${mode}.yaml`);
    writeFileSync(config, `apiVersion: kubescheduler.config.k8s.io/v1
kind: KubeSchedulerConfiguration
profiles:
  - plugins: { multiPoint: { enabled: [{ name: Edge }] } }
    pluginConfig: [{ name: Edge, args: { mode: ${mode} } }]
`);
    const r = await explainFiles({ cluster: CLUSTER, pod: POD, config, pluginModules: [module], plugins: ['Edge'] });
    if (error === '') {
      assert.equal(r.error, undefined);
      assert.ok(r.selected !== null);
      continue;
    }
    assert.equal(r.error, error, mode);
    assert.equal(r.selected, null, mode);
  }
  // The table says so.
  const cli = spawnSync(process.execPath, [KSIM_BIN, 'explain', '--cluster', CLUSTER, '--pod', POD, '--config', join(dir, 'score101.yaml'), '--plugin-module', module, '--plugins', 'Edge'], { cwd: REPO_ROOT, encoding: 'utf8' });
  assert.equal(cli.status, 0, cli.stderr);
  assert.match(cli.stdout, /\nerror: plugin "Edge" returns an invalid score 101, it should in the range of \[0, 100\] after normalizing \(the scheduler ends the cycle with this Error and retries the pod after a backoff\)\n$/);
});

test('the table starts with the answer and the filters\' tally, as kube-scheduler counts reasons; long filter cells are cut, -o json keeps them whole', async () => {
  const dir = tempDir('ksim-explain-summary-');
  const node = (name: string, cpu: string, memory: string, taint = '') => `- {apiVersion: v1, kind: Node, metadata: {name: ${name}}, spec: {${taint}}, status: {allocatable: {cpu: "${cpu}", memory: ${memory}, pods: "110"}}}`;
  writeFileSync(join(dir, 'cluster.yaml'), ['apiVersion: v1', 'kind: List', 'items:',
    node('n1', '4', '8Gi'),
    node('n2', '1', '8Gi'), // Insufficient cpu
    node('n3', '1', '8Gi', 'taints: [{key: dedicated, value: gpu, effect: NoSchedule}]'), // TaintToleration first, then cpu
    node('n4', '1', '1Gi'), // Insufficient cpu, Insufficient memory: two reasons, counted apart
    ''].join('\n'));
  writeFileSync(join(dir, 'pod.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata: {name: p1}\nspec:\n  containers: [{name: c, image: x, resources: {requests: {cpu: "2", memory: 2Gi}}}]\n');
  const r = await explainFiles({ cluster: join(dir, 'cluster.yaml'), pod: join(dir, 'pod.yaml') });
  assert.equal(filterSummary(r), '1/4 nodes are available: 1 Insufficient memory, 1 node(s) had untolerated taint(s), 2 Insufficient cpu.');
  const lines = renderTable(r).split('\n');
  assert.deepEqual(lines.slice(0, 3), [
    'pod default/p1, profile default-scheduler',
    'selected: n1 (scores are normalised × weight)',
    '1/4 nodes are available: 1 Insufficient memory, 1 node(s) had untolerated taint(s), 2 Insufficient cpu.',
  ]);
  // The answer is also the last line, under the table.
  assert.deepEqual(lines.slice(-2), ['selected: n1 (scores are normalised × weight)', '']);
  // n3's verdict is 84 characters: cut to FILTER_COLUMN_WIDTH, the last one "…".
  const n3 = lines.find((l) => l.startsWith('n3 '));
  assert.match(n3 ?? '', /^n3 +TaintToleration: node\(s\) had untolerated taint\(s\); NodeReso… +- /);
  assert.equal(clip('TaintToleration: node(s) had untolerated taint(s); NodeResourcesFit: Insufficient cpu', FILTER_COLUMN_WIDTH).length, 60);
  // JSON (design §4): every verdict whole, no summary field added.
  assert.deepEqual(r.nodes['n3']?.filter['NodeResourcesFit'], { code: 'UnschedulableAndUnresolvable', reason: 'Insufficient cpu' });
  assert.deepEqual(r.nodes['n4']?.filter['NodeResourcesFit'], { code: 'UnschedulableAndUnresolvable', reason: 'Insufficient cpu, Insufficient memory' });
  assert.deepEqual(Object.keys(JSON.parse(JSON.stringify(r)) as object), ['pod', 'profile', 'preFilter', 'preScore', 'nodes', 'selected']);
  // A result read back from JSON has no Statuses: each first rejection counts as one reason.
  assert.equal(filterSummary(JSON.parse(JSON.stringify(r)) as typeof r), '1/4 nodes are available: 1 Insufficient cpu, 1 Insufficient cpu, Insufficient memory, 1 node(s) had untolerated taint(s).');
  // Nothing fits: the answer is kube-scheduler's message, at the top too.
  writeFileSync(join(dir, 'big.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata: {name: p2}\nspec:\n  containers: [{name: c, image: x, resources: {requests: {cpu: "8"}}}]\n');
  const none = renderTable(await explainFiles({ cluster: join(dir, 'cluster.yaml'), pod: join(dir, 'big.yaml') })).split('\n');
  assert.match(none[1] ?? '', /^no node fits: 0\/4 nodes are available: 1 node\(s\) had untolerated taint\(s\), 3 Insufficient cpu\. preemption: /);
  assert.match(none[2] ?? '', /^$|^ {2}Pre/);
});

test('explain warns of a pluginConfig entry for no plugin the profile enables, with a did-you-mean (upstream ignores it; before, silently)', () => {
  const dir = tempDir('ksim-explain-unused-args-');
  const config = join(dir, 'cfg.yaml');
  writeFileSync(config, 'apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\nprofiles:\n  - pluginConfig:\n      - name: NodeResourcesFitt\n        args: {}\n');
  const r = spawnSync(process.execPath, [KSIM_BIN, 'explain', '--cluster', 'examples/explain/cluster.yaml', '--pod', 'examples/explain/pod.yaml', '--config', config], { cwd: REPO_ROOT, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, `ksim: warning: ${config}:5:15: profiles[0].pluginConfig[0].name: "NodeResourcesFitt" is no plugin this profile enables (did you mean "NodeResourcesFit"?): its args are unused, as kube-scheduler ignores the pluginConfig of a plugin the profile does not run\n`);
});

/** A cluster of tiered nodes and a module of two plugins: Tier scores a node's
 * example.com/tier label and normalises by the highest (as DefaultNormalizeScore), Gate rejects
 * nodes annotated example.com/maintenance (or ends the cycle with an Error for pods named
 * "err-..."), Plain scores example.com/plain as it is. */
function tieredCluster(prefix: string, nodes: readonly { name: string; tier: number; plain?: number; maintenance?: boolean }[]): { dir: string; cluster: string; config: string; module: string } {
  const dir = tempDir(prefix);
  const module = join(dir, 'tier.js');
  writeFileSync(module, `import { Status, Code } from ${JSON.stringify(repoPath('dist/src/index.js'))};
export const plugins = {
  Tier: () => ({
    name: 'Tier',
    score: (_s, _p, node) => Number(node.labels['example.com/tier'] ?? 0),
    normalizeScore(_s, _p, nodes, scores) {
      let max = 0;
      for (let i = 0; i < nodes.length; i++) if (scores[i] > max) max = scores[i];
      if (max > 0) for (let i = 0; i < nodes.length; i++) scores[i] = Math.trunc((100 * scores[i]) / max);
      return null;
    },
  }),
  Plain: () => ({ name: 'Plain', score: (_s, _p, node) => Number(node.labels['example.com/plain'] ?? 0) }),
  Gate: () => ({
    name: 'Gate',
    filter(_s, pod, node) {
      if (pod.name.startsWith('err-')) return Status.error('metrics backend unavailable for ' + pod.name);
      return node.node?.metadata?.annotations?.['example.com/maintenance'] === 'true' ? new Status(Code.UnschedulableAndUnresolvable, ['node(s) are under maintenance']) : null;
    },
  }),
};
`);
  const node = (n: (typeof nodes)[number]) => `- {apiVersion: v1, kind: Node, metadata: {name: ${n.name}, labels: {example.com/tier: "${n.tier}", example.com/plain: "${n.plain ?? 0}"}${n.maintenance === true ? ', annotations: {example.com/maintenance: "true"}' : ''}}, status: {allocatable: {cpu: "8", memory: 32Gi, pods: "110"}}}`;
  const cluster = join(dir, 'cluster.yaml');
  writeFileSync(cluster, ['apiVersion: v1', 'kind: List', 'items:', ...nodes.map(node), ''].join('\n'));
  const config = join(dir, 'config.yaml');
  writeFileSync(config, 'apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\nprofiles:\n  - plugins: { multiPoint: { enabled: [{ name: Tier }, { name: Plain }, { name: Gate }] } }\n');
  return { dir, cluster, config, module };
}

test('--score-all-nodes leaves the decision as it is: the feasible nodes are normalised and selected among themselves (upstream schedulePod scores feasibleNodes only); failing nodes are scored apart', async () => {
  // a: Tier raw 2, Plain 60; b: Tier raw 7, Plain 0; m (under maintenance): Tier raw 9.
  // Feasible a, b: Tier normalised by 7 → a ⌊200/7⌋ = 28, b 100; totals a 88, b 100 → b.
  // Normalised with m among them (max 9) a would get 22 + 60 = 82 against b's 77 and win.
  const t = tieredCluster('ksim-explain-apart-', [{ name: 'a', tier: 2, plain: 60 }, { name: 'b', tier: 7 }, { name: 'm', tier: 9, maintenance: true }]);
  writeFileSync(join(t.dir, 'pod.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, image: x}]\n');
  const opts = { cluster: t.cluster, pod: join(t.dir, 'pod.yaml'), config: t.config, pluginModules: [t.module], plugins: ['Tier', 'Plain', 'Gate'] };
  const plain = await explainFiles(opts);
  const all = await explainFiles({ ...opts, scoreAllNodes: true });
  for (const r of [plain, all]) {
    assert.equal(r.selected, 'b');
    assert.equal(r.nodes['a']?.total, 88);
    assert.equal(r.nodes['b']?.total, 100);
    assert.deepEqual(r.nodes['a']?.score?.['Tier'], { raw: 2, normalized: 28, weight: 1, weighted: 28 });
    assert.equal(r.nodes['a']?.scoredApart, undefined);
  }
  assert.equal(plain.nodes['m']?.total, undefined);
  // m, alone among the failing nodes: Tier 100 (9 of 9), Plain 0.
  assert.deepEqual(all.nodes['m']?.score?.['Tier'], { raw: 9, normalized: 100, weight: 1, weighted: 100 });
  assert.equal(all.nodes['m']?.total, 100);
  assert.equal(all.nodes['m']?.scoredApart, true);
  const lines = renderTable(all).split('\n');
  assert.equal(lines[2], '2/3 nodes are available: 1 node(s) are under maintenance.');
  assert.equal(lines[3], '--score-all-nodes: the 1 node that fails a filter is scored apart, normalised among the failing nodes only; its total (in brackets) takes no part in the decision');
  assert.match(lines.find((l) => l.startsWith('m ')) ?? '', /^m +Gate: node\(s\) are under maintenance +100 \(raw 9\) +0 +\(100\)$/);
});
