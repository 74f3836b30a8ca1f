// ResourceQuota admission: exceeded quotas and missing requests refuse a pod create with
// upstream's Forbidden messages (staging/.../admission/plugin/resourcequota/controller.go
// CheckRequest and prettyPrint; pkg/quota/v1/evaluator/core/pods.go Constraints).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ClusterState } from '../cluster/cluster-state.js';
import { PodInfo } from '../cluster/pod-info.js';
import { objectKey, type WorkloadObject } from '../cluster/workload-object.js';
import { makePod } from '../testing/builders.js';
import { admitPod } from './admission.js';
import { checkQuota, parseQuotaAmount, quotaChargeEndUs, trackQuotaRecounts } from './resource-quota.js';
import { loadScenario, parseScenario } from '../workload/scenario.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../testing/temp-dir.js';
import { runScenario } from '../run/run-scenario.js';

function quota(name: string, hard: Record<string, string>, namespace = 'team'): WorkloadObject {
  return { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name, namespace }, spec: { hard } };
}

function cluster(quotas: WorkloadObject[], existing: PodInfo[] = []): ClusterState {
  const c = new ClusterState();
  for (const q of quotas) c.objects.set(objectKey(q.kind, q.metadata.namespace, q.metadata.name), q);
  for (const p of existing) c.addPod(p);
  return c;
}

const pod = (name: string, ns = 'team') => makePod(name).namespace(ns);
const reason = (c: ClusterState, p: ReturnType<typeof pod>) => {
  const r = admitPod(c, p.obj());
  return r.allowed ? 'allowed' : r.reason;
};

test('a pod within every quota is admitted; the namespace of another quota is not limited', () => {
  const c = cluster([quota('compute', { 'requests.cpu': '2', 'requests.memory': '2Gi', pods: '3' })], [new PodInfo(pod('a').req({ cpu: '1', memory: '1Gi' }).obj(), 0)]);
  assert.equal(reason(c, pod('b').req({ cpu: '1', memory: '1Gi' })), 'allowed');
  assert.equal(reason(c, pod('c', 'other').req({ cpu: '8' })), 'allowed');
});

test('exceeding requests.cpu names only the exceeded resource: requested, used, limited', () => {
  const c = cluster([quota('compute', { 'requests.cpu': '2', 'requests.memory': '2Gi' })], [new PodInfo(pod('a').req({ cpu: '1500m', memory: '1Gi' }).obj(), 0)]);
  assert.equal(reason(c, pod('b').req({ cpu: '1', memory: '512Mi' })),
    'pods "b" is forbidden: exceeded quota: compute, requested: requests.cpu=1, used: requests.cpu=1500m, limited: requests.cpu=2');
});

test('several exceeded resources are listed sorted by name; cpu and memory mean requests', () => {
  const c = cluster([quota('q', { cpu: '1', memory: '1Gi', pods: '1' })], [new PodInfo(pod('a').req({ cpu: '500m', memory: '512Mi' }).obj(), 0)]);
  assert.equal(reason(c, pod('b').req({ cpu: '600m', memory: '768Mi' })),
    'pods "b" is forbidden: exceeded quota: q, requested: cpu=600m,memory=768Mi,pods=1, used: cpu=500m,memory=512Mi,pods=1, limited: cpu=1,memory=1Gi,pods=1');
});

test('limits.cpu counts container limits; terminal pods use nothing', () => {
  const done = new PodInfo(pod('old').req({ cpu: '1' }, { cpu: '4' }).obj(), 0);
  const c = cluster([quota('lim', { 'limits.cpu': '4' })], [done]);
  c.setPhase(done, 'Succeeded');
  assert.equal(reason(c, pod('b').req({ cpu: '1' }, { cpu: '4' })), 'allowed');
  c.addPod(new PodInfo(pod('b').req({ cpu: '1' }, { cpu: '3' }).obj(), 0));
  assert.equal(reason(c, pod('c').req({ cpu: '100m' }, { cpu: '2' })),
    'pods "c" is forbidden: exceeded quota: lim, requested: limits.cpu=2, used: limits.cpu=3, limited: limits.cpu=4');
});

test('a quota on cpu or memory requires every container to set it (upstream Constraints)', () => {
  const c = cluster([quota('compute', { 'requests.cpu': '4', 'limits.memory': '4Gi', pods: '10' })]);
  assert.equal(reason(c, pod('b').req({ cpu: '1' })), 'pods "b" is forbidden: failed quota: compute: must specify limits.memory for: c0');
  assert.equal(reason(c, pod('b').container({ name: 'bare', image: 'x' })), 'pods "b" is forbidden: failed quota: compute: must specify limits.memory for: bare; requests.cpu for: bare');
  assert.equal(reason(c, pod('b').req({ cpu: '1' }, { memory: '1Gi' })), 'allowed');
});

test('pod-level resources (spec.resources) are what quota charges: requests and limits', () => {
  // pods.go PodUsageFunc calls PodRequests / PodLimits with pod-level resources on (v1.36): the
  // pod-level values replace the containers' sums for cpu and memory.
  const c = cluster([quota('compute', { 'requests.cpu': '10', 'limits.cpu': '12', 'requests.memory': '8Gi' })], [
    new PodInfo(pod('a').podRes({ cpu: '8' }, { cpu: '10' }).req({ cpu: '1', memory: '1Gi' }).obj(), 0),
  ]);
  assert.equal(reason(c, pod('b').podRes({ cpu: '3' }).req({ cpu: '1', memory: '1Gi' })),
    'pods "b" is forbidden: exceeded quota: compute, requested: requests.cpu=3, used: requests.cpu=8, limited: requests.cpu=10');
  assert.equal(reason(c, pod('b').podRes({ cpu: '2' }, { cpu: '4' }).req({ cpu: '1', memory: '1Gi' })),
    'pods "b" is forbidden: exceeded quota: compute, requested: limits.cpu=4, used: limits.cpu=10, limited: limits.cpu=12');
  assert.equal(reason(c, pod('b').podRes({ cpu: '2' }, { cpu: '2' }).req({ cpu: '1', memory: '1Gi' })), 'allowed');
});

test('a pod with pod-level resources need not set cpu or memory per container (Constraints skipped)', () => {
  const c = cluster([quota('compute', { 'requests.cpu': '4', 'limits.memory': '4Gi' })]);
  assert.equal(reason(c, pod('b').podRes({ cpu: '1' }, { memory: '1Gi' }).container({ name: 'bare', image: 'x' })), 'allowed');
  assert.equal(reason(c, pod('b').container({ name: 'bare', image: 'x' })), 'pods "b" is forbidden: failed quota: compute: must specify limits.memory for: bare; requests.cpu for: bare');
});

test('must specify names, for each missing resource, the containers (init ones too) that lack it, sorted (pods.go Constraints since v1.24)', () => {
  // An Istio-injected pod: istio-init requests cpu and memory but sets no memory limit, istio-proxy
  // sets nothing, the app sets both.
  const c = cluster([quota('compute', { 'requests.cpu': '4', 'limits.memory': '8Gi' })]);
  const p = pod('app')
    .initContainer({ name: 'istio-init', resources: { requests: { cpu: '10m', memory: '40Mi' } } })
    .container({ name: 'app', resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '128Mi' } } })
    .container({ name: 'istio-proxy' });
  assert.equal(reason(c, p), 'pods "app" is forbidden: failed quota: compute: must specify limits.memory for: istio-init,istio-proxy; requests.cpu for: istio-proxy');
});

test('overhead adds to a limit only where one is set (PodLimits)', () => {
  // Only a pod with pod-level resources may leave a quota'd limit unset (Constraints skipped).
  const c = cluster([quota('lim', { 'limits.memory': '1Gi' })]);
  assert.equal(reason(c, pod('b').podRes({ cpu: '1' }).container({ name: 'bare', image: 'x' }).overhead({ memory: '2Gi' })), 'allowed');
  assert.equal(reason(c, pod('b').podRes({ cpu: '1' }, { memory: '900Mi' }).container({ name: 'bare', image: 'x' }).overhead({ memory: '256Mi' })),
    'pods "b" is forbidden: exceeded quota: lim, requested: limits.memory=1156Mi, used: limits.memory=0, limited: limits.memory=1Gi');
});

test('quotas are checked in name order: the first one exceeded is reported', () => {
  const c = cluster([quota('z-pods', { pods: '0' }), quota('a-pods', { pods: '0' })]);
  assert.equal(reason(c, pod('b').req({ cpu: '1' })), 'pods "b" is forbidden: exceeded quota: a-pods, requested: pods=1, used: pods=0, limited: pods=0');
});

test('in a run, a quota caps a Deployment at 2 pods and the refusals are a warning', () => {
  const result = runScenario(parseScenario(`
apiVersion: ksim/v1alpha1
kind: Scenario
duration: 1m
cluster:
  nodePools: [{ name: n, count: 1, allocatable: { cpu: "8", memory: 32Gi } }]
workload:
  - name: quota
    manifest: { apiVersion: v1, kind: ResourceQuota, metadata: { name: compute }, spec: { hard: { requests.cpu: "1" } } }
  - name: web
    manifest:
      apiVersion: apps/v1
      kind: Deployment
      metadata: { name: web }
      spec:
        replicas: 3
        selector: { matchLabels: { app: web } }
        template:
          metadata: { labels: { app: web } }
          spec: { containers: [{ name: c, image: x, resources: { requests: { cpu: 500m } } }] }
`, 'quota.yaml'));
  assert.equal(result.summary['pods_bound'], 2);
  assert.equal(result.warnings.length, 2);
  assert.match(result.warnings[0]!, /^\d+ create\(s\) refused by the API server, first default\/web-[a-z0-9]+-[a-z0-9]{5}: pods "web-[a-z0-9]+-[a-z0-9]{5}" is forbidden: exceeded quota: compute, requested: requests\.cpu=500m, used: requests\.cpu=1, limited: requests\.cpu=1$/);
  // The Deployment ends short, and the warning about it names the quota (src/metrics/shortfall.ts).
  assert.match(result.warnings[1]!, /^Deployment default\/web ends with 2 of 3 replicas ready: 1 not created \(\d+ of its pod creates refused by the API server, first: pods "web-[a-z0-9]+-[a-z0-9]{5}" is forbidden: exceeded quota: compute, requested: requests\.cpu=500m, used: requests\.cpu=1, limited: requests\.cpu=1; controller-manager client QPS 20, burst 30; api_queue_depth \d+ at the end\)$/);
  assert.equal(result.summary['replicas_desired_end'], 3);
  assert.equal(result.summary['replicas_ready_end'], 2);
});

test('a quota created after another was deleted is enforced (the quota index follows every change of the store, not its size)', () => {
  const c = cluster([quota('old', { pods: '5' })]);
  assert.equal(reason(c, pod('a')), 'allowed');
  c.objects.delete(objectKey('ResourceQuota', 'team', 'old'));
  const q = quota('new', { pods: '0' });
  c.objects.set(objectKey(q.kind, 'team', 'new'), q);
  assert.equal(reason(c, pod('b')), 'pods "b" is forbidden: exceeded quota: new, requested: pods=1, used: pods=0, limited: pods=0');
});

function scoped(name: string, hard: Record<string, string>, spec: Record<string, unknown>): WorkloadObject {
  return { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name, namespace: 'team' }, spec: { hard, ...spec } };
}

test('a scoped quota charges and constrains only the pods its scopes match (upstream podMatchesScopeFunc)', () => {
  const bestEffort = pod('be0').obj();
  const burstable = pod('bu0').req({ cpu: '500m' }).obj();
  // BestEffort, pods: 1, one BestEffort pod stored: a pod with requests is not charged by it,
  // another BestEffort one is refused.
  const be = cluster([scoped('be-only', { pods: '1' }, { scopes: ['BestEffort'] })], [new PodInfo(bestEffort, 0)]);
  assert.equal(reason(be, pod('b').req({ cpu: '500m' })), 'allowed');
  assert.equal(reason(be, pod('c')), 'pods "c" is forbidden: exceeded quota: be-only, requested: pods=1, used: pods=1, limited: pods=1');
  // NotBestEffort with requests.cpu (a constraint): a BestEffort pod needs no cpu request there.
  const nbe = cluster([scoped('nbe', { pods: '1', 'requests.cpu': '1' }, { scopes: ['NotBestEffort'] })], [new PodInfo(burstable, 0)]);
  assert.equal(reason(nbe, pod('d')), 'allowed');
  assert.equal(reason(nbe, pod('e').req({ cpu: '100m' })), 'pods "e" is forbidden: exceeded quota: nbe, requested: pods=1, used: pods=1, limited: pods=1');
  // PriorityClass In [high] (the shape GKE's system quotas have): only pods naming one.
  const prio = cluster([scoped('crit', { pods: '0' }, { scopeSelector: { matchExpressions: [{ scopeName: 'PriorityClass', operator: 'In', values: ['high'] }] } })]);
  assert.equal(reason(prio, pod('f')), 'allowed');
  const highPod = pod('g').obj();
  highPod.spec = { ...highPod.spec!, priorityClassName: 'high', priority: 1000 };
  assert.equal(checkQuota(prio, highPod), 'exceeded quota: crit, requested: pods=1, used: pods=0, limited: pods=0');
  // Terminating: pods with activeDeadlineSeconds.
  const term = cluster([scoped('batch', { pods: '0' }, { scopes: ['Terminating'] })]);
  assert.equal(checkQuota(term, pod('h').obj()), null);
  const deadline = pod('i').obj();
  deadline.spec = { ...deadline.spec!, activeDeadlineSeconds: 60 };
  assert.equal(checkQuota(term, deadline), 'exceeded quota: batch, requested: pods=1, used: pods=0, limited: pods=0');
});

test('count/pods counts every stored pod, finished ones too; pods counts the unfinished ones', () => {
  const withDone = (hard: Record<string, string>) => {
    const done = new PodInfo(pod('done').obj(), 0);
    const c = cluster([quota('q', hard)], [done, new PodInfo(pod('a').obj(), 0)]);
    c.setPhase(done, 'Succeeded');
    return c;
  };
  assert.equal(reason(withDone({ 'count/pods': '2' }), pod('b')), 'pods "b" is forbidden: exceeded quota: q, requested: count/pods=1, used: count/pods=2, limited: count/pods=2');
  assert.equal(reason(withDone({ pods: '2' }), pod('b')), 'allowed');
});

test('a pod stuck Terminating stops being charged (but for count/pods) at the first recount after deletionTimestamp + grace (upstream QuotaV1Pod, the quota controller\'s 5-minute resync)', () => {
  // Deleted at 420 s with a 30 s grace period: deletionTimestamp 450 s, charge ends after 480 s.
  const stuck = new PodInfo(pod('stuck').req({ cpu: '1' }).obj(), 0);
  const running = new PodInfo(pod('run').req({ cpu: '1' }).obj(), 0);
  const c = cluster([quota('q', { pods: '2', 'requests.cpu': '2', 'count/pods': '3' })], [stuck, running]);
  let now = 420 * 1_000_000;
  const recounts = trackQuotaRecounts(c, () => now);
  c.markTerminating(stuck, now, 'evicted');
  assert.equal(quotaChargeEndUs(stuck), 480 * 1_000_000);
  const refused = 'pods "b" is forbidden: exceeded quota: q, requested: pods=1,requests.cpu=1, used: pods=2,requests.cpu=2, limited: pods=2,requests.cpu=2';
  assert.equal(reason(c, pod('b').req({ cpu: '1' })), refused);
  // Past its end (481 s, 599 s) but no recount since the one at 300 s: still charged.
  now = 481 * 1_000_000;
  assert.equal(reason(c, pod('b').req({ cpu: '1' })), refused);
  now = 599_999_999;
  assert.equal(reason(c, pod('b').req({ cpu: '1' })), refused);
  // The resync at 600 s: only count/pods still counts it.
  now = 600 * 1_000_000;
  assert.equal(recounts.lastUs('team', quota('q', {})), 600 * 1_000_000);
  assert.equal(reason(c, pod('b').req({ cpu: '1' })), 'allowed');
  c.addPod(new PodInfo(pod('b').req({ cpu: '1' }).obj(), now));
  assert.equal(reason(c, pod('d').req({ cpu: '100m' })), 'pods "d" is forbidden: exceeded quota: q, requested: count/pods=1,pods=1,requests.cpu=100m, used: count/pods=3,pods=2,requests.cpu=2, limited: count/pods=3,pods=2,requests.cpu=2');
});

test('a replenishment (a pod of the namespace deleted or finished) recounts its quotas at once: a stuck pod past its end stops being charged then, not at the next resync', () => {
  const stuck = new PodInfo(pod('stuck').req({ cpu: '1' }).obj(), 0);
  stuck.pod.spec = { ...stuck.pod.spec!, terminationGracePeriodSeconds: 10 };
  const other = new PodInfo(pod('other').req({ cpu: '1' }).obj(), 0);
  const c = cluster([quota('q', { 'requests.cpu': '2' })], [stuck, other]);
  let now = 100 * 1_000_000;
  const recounts = trackQuotaRecounts(c, () => now);
  c.markTerminating(stuck, now, 'evicted'); // charge ends after 120 s
  now = 150 * 1_000_000;
  assert.match(reason(c, pod('b').req({ cpu: '1' })), /exceeded quota: q, requested: requests\.cpu=1, used: requests\.cpu=2,/);
  // `other` finishes at 150 s: the pod monitor replenishes, the recount drops both.
  c.setPhase(other, 'Succeeded');
  recounts.watcher.podPhaseChanged?.(other, 'Running');
  assert.equal(reason(c, pod('b').req({ cpu: '2' })), 'allowed');
  // Another namespace's recount does not count: a pod of team2 stuck alike stays charged until 300 s.
  const stuck2 = new PodInfo(pod('s2', 'team2').req({ cpu: '1' }).obj(), 0);
  c.objects.set(objectKey('ResourceQuota', 'team2', 'q2'), quota('q2', { 'requests.cpu': '1' }, 'team2'));
  c.addPod(stuck2);
  c.markTerminating(stuck2, 100 * 1_000_000, 'evicted');
  assert.match(reason(c, pod('x', 'team2').req({ cpu: '1' })), /exceeded quota: q2/);
  now = 300 * 1_000_000;
  assert.equal(reason(c, pod('x', 'team2').req({ cpu: '1' })), 'allowed');
});

test('a snapshot\'s pod being deleted: charged until its deletionTimestamp + deletionGracePeriodSeconds, as of t = 0 when no run clock (ksim explain); charged for good without deletionGracePeriodSeconds', () => {
  const snap = (name: string, graceEndsUs: number, grace: number | undefined) => {
    const o = pod(name).req({ cpu: '1' }).obj();
    o.metadata = { ...o.metadata, deletionTimestamp: '2026-11-30T08:00:00Z', ...(grace === undefined ? {} : { deletionGracePeriodSeconds: grace }) };
    const p = new PodInfo(o, 0);
    p.past = { restarts: 0, graceEndsUs };
    return p;
  };
  const H = 3600 * 1_000_000;
  // Two hours past, grace 30 s: not charged; 10 s ahead: charged; no deletionGracePeriodSeconds: charged.
  const old = snap('old', -2 * H, 30);
  assert.equal(quotaChargeEndUs(old), -2 * H + 30 * 1_000_000);
  assert.equal(reason(cluster([quota('q', { 'requests.cpu': '1' })], [old]), pod('b').req({ cpu: '1' })), 'allowed');
  assert.match(reason(cluster([quota('q', { 'requests.cpu': '1' })], [snap('soon', 10 * 1_000_000, 30)]), pod('b').req({ cpu: '1' })), /exceeded quota: q, requested: requests\.cpu=1, used: requests\.cpu=1,/);
  const noGrace = snap('nograce', -2 * H, undefined);
  assert.equal(quotaChargeEndUs(noGrace), Number.POSITIVE_INFINITY);
  assert.match(reason(cluster([quota('q', { 'requests.cpu': '1' })], [noGrace]), pod('b').req({ cpu: '1' })), /exceeded quota/);
});

test('in a run, the pods of a lost node stuck Terminating free the quota at the 600 s resync: the Deployment gets its replacements at its next retry (747.7 s) and ends 6 of 6', () => {
  const result = runScenario(parseScenario(`
apiVersion: ksim/v1alpha1
kind: Scenario
seed: 1
duration: 30m
cluster:
  nodePools: [{ name: general, count: 3, zones: [zone-a], allocatable: { cpu: "8", memory: 32Gi, pods: 110 } }]
faults:
- nodeDown: { nodes: [general-0], at: 60s }
workload:
- name: quota
  manifest: { apiVersion: v1, kind: ResourceQuota, metadata: { name: pods, namespace: team-a }, spec: { hard: { pods: "6", requests.cpu: "6" } } }
- name: web
  at: 5s
  manifest:
    apiVersion: apps/v1
    kind: Deployment
    metadata: { name: web, namespace: team-a }
    spec:
      replicas: 6
      selector: { matchLabels: { app: web } }
      template:
        metadata: { labels: { app: web } }
        spec: { containers: [{ name: web, image: nginx, resources: { requests: { cpu: "1", memory: 1Gi } } }] }
`, 'stuck.yaml'), { sinks: 'memory' });
  assert.equal(result.summary['pods_evicted'], 2);
  assert.equal(result.summary['replicas_ready_end'], 6);
  const placements = result.tables.find((t) => t.file === 'placements.csv')!.rows;
  const bound = placements.filter((r) => r['result'] === 'bound').map((r) => Number(r['time_s']));
  // Six at the start, two replacements bound just after the ReplicaSet's retry at 747.7 s.
  assert.equal(bound.length, 8);
  assert.ok(bound.slice(0, 6).every((t) => t < 10));
  assert.ok(bound.slice(6).every((t) => t > 747.7 && t < 749), `replacements bound at ${bound.slice(6).join(', ')}`);
  assert.match(result.warnings[0]!, /^16 create\(s\) refused by the API server, first team-a\/web-[a-z0-9]+-[a-z0-9]{5}: pods "web-[a-z0-9]+-[a-z0-9]{5}" is forbidden: exceeded quota: pods, requested: pods=1,requests\.cpu=1, used: pods=6,requests\.cpu=6, limited: pods=6,requests\.cpu=6$/);
});

test('amounts print as upstream Quantity.String() prints them, in the format they were written in (prettyPrint)', () => {
  // Decimal memory stays decimal: 1500M, not 1500000000 bytes; a hard of 2G prints 2G, not 1953125Ki.
  const dec = (n: string) => pod(n).req({ cpu: '0.75', memory: '1000M' }, { memory: '1500M' });
  const c = cluster([quota('mem', { 'limits.memory': '2G', 'requests.cpu': '1.5' })], [new PodInfo(dec('web-1').obj(), 0)]);
  assert.equal(reason(c, dec('web-2')), 'pods "web-2" is forbidden: exceeded quota: mem, requested: limits.memory=1500M, used: limits.memory=1500M, limited: limits.memory=2G');
  // A sum is canonical: 1500M + 500M is 2G; cpu 0.75 is 750m and a hard of 1.5 is 1500m.
  const sum = cluster([quota('mem', { 'limits.memory': '2G', 'requests.cpu': '1.5' })], [
    new PodInfo(pod('a').req({ cpu: '0.75' }, { memory: '1500M' }).obj(), 0),
    new PodInfo(pod('b').req({ cpu: '0.5' }, { memory: '500M' }).obj(), 0),
  ]);
  assert.equal(reason(sum, pod('c').req({ cpu: '0.75' }, { memory: '100M' })),
    'pods "c" is forbidden: exceeded quota: mem, requested: limits.memory=100M,requests.cpu=750m, used: limits.memory=2G,requests.cpu=1250m, limited: limits.memory=2G,requests.cpu=1500m');
  // A sum takes its first term's format: 512Mi + 512M is binary, 1048870912 = 1024288Ki.
  const mixed = cluster([quota('mem', { 'requests.memory': '1100M' })], [
    new PodInfo(pod('a').req({ memory: '512Mi' }).obj(), 0),
    new PodInfo(pod('b').req({ memory: '512M' }).obj(), 0),
  ]);
  assert.equal(reason(mixed, pod('c').req({ memory: '100M' })), 'pods "c" is forbidden: exceeded quota: mem, requested: requests.memory=100M, used: requests.memory=1024288Ki, limited: requests.memory=1100M');
  // DecimalExponent stays an exponent: 1500e6, 2e9.
  const exp = cluster([quota('mem', { 'limits.memory': '2e9' })], [new PodInfo(pod('a').req({ cpu: '1' }, { memory: '1.5e9' }).obj(), 0)]);
  assert.equal(reason(exp, pod('b').req({ cpu: '1' }, { memory: '1500e6' })), 'pods "b" is forbidden: exceeded quota: mem, requested: limits.memory=1500e6, used: limits.memory=1500e6, limited: limits.memory=2e9');
});

test('ephemeral-storage, hugepages and extended resources are charged as upstream podComputeUsageHelper charges them', () => {
  // requests.ephemeral-storage: 0 refuses a pod requesting any; limits.ephemeral-storage counts limits.
  const eph = cluster([quota('q', { 'requests.ephemeral-storage': '0' })]);
  assert.equal(reason(eph, pod('a').req({ 'ephemeral-storage': '1Gi' }, { 'ephemeral-storage': '1Gi' })),
    'pods "a" is forbidden: exceeded quota: q, requested: requests.ephemeral-storage=1Gi, used: requests.ephemeral-storage=0, limited: requests.ephemeral-storage=0');
  assert.equal(reason(eph, pod('b').req({ cpu: '1' })), 'allowed');
  const lim = cluster([quota('q', { 'limits.ephemeral-storage': '3Gi', 'ephemeral-storage': '10Gi' })], [new PodInfo(pod('a').req({ 'ephemeral-storage': '1Gi' }, { 'ephemeral-storage': '2Gi' }).obj(), 0)]);
  assert.equal(reason(lim, pod('b').req({ 'ephemeral-storage': '1Gi' }, { 'ephemeral-storage': '2Gi' })),
    'pods "b" is forbidden: exceeded quota: q, requested: limits.ephemeral-storage=2Gi, used: limits.ephemeral-storage=2Gi, limited: limits.ephemeral-storage=3Gi');
  // An extended resource is charged as requests.<name>: 2 GPUs used of 3, 2 more refused.
  const gpu = cluster([quota('gpu', { 'requests.nvidia.com/gpu': '3' })], [new PodInfo(pod('a').req({ 'nvidia.com/gpu': '2' }, { 'nvidia.com/gpu': '2' }).obj(), 0)]);
  assert.equal(reason(gpu, pod('b').req({ 'nvidia.com/gpu': '2' }, { 'nvidia.com/gpu': '2' })),
    'pods "b" is forbidden: exceeded quota: gpu, requested: requests.nvidia.com/gpu=2, used: requests.nvidia.com/gpu=2, limited: requests.nvidia.com/gpu=3');
  assert.equal(reason(gpu, pod('c').req({ 'nvidia.com/gpu': '1' }, { 'nvidia.com/gpu': '1' })), 'allowed');
  // Hugepages by their own name and as requests.hugepages-<size>.
  const huge = cluster([quota('hp', { 'hugepages-2Mi': '4Mi', 'requests.hugepages-2Mi': '4Mi' })]);
  assert.equal(reason(huge, pod('a').req({ cpu: '1', 'hugepages-2Mi': '6Mi' }, { 'hugepages-2Mi': '6Mi' })),
    'pods "a" is forbidden: exceeded quota: hp, requested: hugepages-2Mi=6Mi,requests.hugepages-2Mi=6Mi, used: hugepages-2Mi=0,requests.hugepages-2Mi=0, limited: hugepages-2Mi=4Mi,requests.hugepages-2Mi=4Mi');
});

test('spec.hard above 2^53 − 1 (requests.memory 1Ei, count/deployments.apps 1E) loads, as upstream accepts any non-negative quantity: the limit is clamped for the check and printed as written', () => {
  const sc = parseScenario(`apiVersion: ksim/v1alpha1
kind: Scenario
duration: 1m
cluster:
  nodePools: [{ name: n, count: 1, allocatable: { cpu: "8", memory: 32Gi } }]
workload:
  - name: q
    manifest:
      apiVersion: v1
      kind: ResourceQuota
      metadata: { name: huge, namespace: team }
      spec: { hard: { requests.memory: 1Ei, requests.cpu: 1G, pods: 1T, count/deployments.apps: 1E } }
`, 'q.yaml');
  assert.equal(sc.workload.length, 1);
  const c = cluster([quota('huge', { 'requests.memory': '1Ei', 'requests.cpu': '1', 'limits.memory': '2Ei' })]);
  assert.equal(reason(c, pod('a').req({ cpu: '500m', memory: '30Gi' }, { memory: '30Gi' })), 'allowed');
  assert.equal(reason(c, pod('b').req({ cpu: '2', memory: '1Gi' }, { memory: '1Gi' })),
    'pods "b" is forbidden: exceeded quota: huge, requested: requests.cpu=2, used: requests.cpu=0, limited: requests.cpu=1');
  assert.equal(parseQuotaAmount('requests.memory', '1Ei'), Number.MAX_SAFE_INTEGER);
  assert.equal(parseQuotaAmount('requests.memory', '1Ei'), Number.MAX_SAFE_INTEGER); // known now
  assert.equal(parseQuotaAmount('requests.cpu', '1E'), Number.MAX_SAFE_INTEGER); // 10^21 millicores
  assert.equal(parseQuotaAmount('requests.cpu', '1G'), 1e12);
  assert.throws(() => parseQuotaAmount('requests.memory', '-1Ei'));
});

test('a cluster dump\'s objects count as used from t = 0 and are never refused themselves: pods over a lowered quota stay (the pending one is scheduled), new pods, Deployments and LoadBalancers past it are refused', () => {
  // Upstream's quota controller recounts status.used from every stored object (a quota lowered
  // below its usage leaves the objects alone: admission only judges new requests), so a new
  // pod is refused when the existing ones already use the quota; the dump's own objects were
  // admitted by the cluster's API server and are never admitted again.
  const dir = tempDir('ksim-quota-dump-');
  const managedFields = [{ manager: 'kube-controller-manager', operation: 'Update', apiVersion: 'v1', time: '2025-05-01T09:00:00Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:status': {} } }];
  const pod = (name: string, node: string | null, cpu: string) => ({
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name, namespace: 'shop', uid: `uid-${name}`, resourceVersion: '100', creationTimestamp: '2025-05-01T08:00:00Z', labels: { app: 'api' }, managedFields },
    spec: {
      ...(node === null ? {} : { nodeName: node }),
      containers: [{ name: 'c', image: 'nginx:1.27', resources: { requests: { cpu, memory: '128Mi' } }, imagePullPolicy: 'IfNotPresent', terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File' }],
      restartPolicy: 'Always', terminationGracePeriodSeconds: 30, dnsPolicy: 'ClusterFirst', schedulerName: 'default-scheduler', priority: 0, enableServiceLinks: true, preemptionPolicy: 'PreemptLowerPriority',
    },
    status: node === null
      ? { phase: 'Pending', qosClass: 'Burstable', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable' }] }
      : { phase: 'Running', qosClass: 'Burstable', conditions: [{ type: 'Ready', status: 'True' }] },
  });
  const hard = { pods: '3', 'requests.cpu': '2', 'count/deployments.apps': '1', 'services.loadbalancers': '1' };
  writeFileSync(join(dir, 'cluster.json'), JSON.stringify({
    apiVersion: 'v1', kind: 'List', metadata: { resourceVersion: '' },
    items: [
      { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-a', labels: { 'kubernetes.io/hostname': 'node-a' } }, status: { allocatable: { cpu: '8', memory: '16Gi', pods: '110' }, conditions: [{ type: 'Ready', status: 'True', lastHeartbeatTime: '2025-05-01T09:00:00Z' }] } },
      // Lowered to 3 pods after the fourth was created: status.used shows 4.
      { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'shop-quota', namespace: 'shop', resourceVersion: '50', managedFields }, spec: { hard }, status: { hard, used: { pods: '4', 'requests.cpu': '1500m', 'count/deployments.apps': '1', 'services.loadbalancers': '1' } } },
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'idle', namespace: 'shop', generation: 1 }, spec: { replicas: 0, selector: { matchLabels: { app: 'idle' } }, template: { metadata: { labels: { app: 'idle' } }, spec: { containers: [{ name: 'c', image: 'x', resources: { requests: { cpu: '100m' } } }] } } }, status: {} },
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'front', namespace: 'shop' }, spec: { type: 'LoadBalancer', selector: { app: 'api' }, clusterIP: '10.0.0.10', ports: [{ port: 80, targetPort: 80, protocol: 'TCP', nodePort: 30080 }] }, status: { loadBalancer: { ingress: [{ ip: '203.0.113.7' }] } } },
      pod('api-1', 'node-a', '500m'), pod('api-2', 'node-a', '500m'), pod('api-3', 'node-a', '500m'), pod('late', null, '0'),
    ],
  }));
  writeFileSync(join(dir, 's.yaml'), `
apiVersion: ksim/v1alpha1
kind: Scenario
duration: 1m
cluster:
  file: cluster.json
workload:
  - name: new
    at: 10s
    manifests:
      - { apiVersion: v1, kind: Pod, metadata: { name: extra, namespace: shop }, spec: { containers: [{ name: c, image: x, resources: { requests: { cpu: 100m } } }] } }
      - { apiVersion: apps/v1, kind: Deployment, metadata: { name: second, namespace: shop }, spec: { replicas: 1, selector: { matchLabels: { app: s } }, template: { metadata: { labels: { app: s } }, spec: { containers: [{ name: c, image: x, resources: { requests: { cpu: 100m } } }] } } } }
      - { apiVersion: v1, kind: Service, metadata: { name: lb2, namespace: shop }, spec: { type: LoadBalancer, ports: [{ port: 80 }] } }
`);
  const result = runScenario(loadScenario(join(dir, 's.yaml')));
  assert.deepEqual(result.warnings, [
    '1 create(s) refused by the API server, first shop/extra: pods "extra" is forbidden: exceeded quota: shop-quota, requested: pods=1, used: pods=4, limited: pods=3',
    '1 create(s) refused by the API server, first Deployment second: deployments.apps "second" is forbidden: exceeded quota: shop-quota, requested: count/deployments.apps=1, used: count/deployments.apps=1, limited: count/deployments.apps=1',
    '1 create(s) refused by the API server, first Service lb2: services "lb2" is forbidden: exceeded quota: shop-quota, requested: services.loadbalancers=1, used: services.loadbalancers=1, limited: services.loadbalancers=1',
  ]);
  // The dump's four pods all run, the pending one scheduled at the start.
  const pods = result.tables.find((t) => t.file === 'pods.csv')!.rows;
  assert.deepEqual(pods.map((r) => `${r['name']}:${r['phase']}`), ['api-1:Running', 'api-2:Running', 'api-3:Running', 'late:Running']);
  assert.equal(result.summary['pods_bound'], 1);
});
