// ResourceQuota object counts for the kinds ksim stores: a create past count/<resource>.<group>
// (or services, resourcequotas, services.nodeports, services.loadbalancers) is refused with
// upstream's message (staging/.../admission/plugin/resourcequota/controller.go; the object-count
// evaluator, apiserver pkg/quota/v1/generic/evaluator.go; pkg/quota/v1/evaluator/core/services.go).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ClusterState } from '../cluster/cluster-state.js';
import { objectKey, type WorkloadObject } from '../cluster/workload-object.js';
import { checkObjectCountQuota } from './object-count-quota.js';
import { loadScenario, parseScenario } from '../workload/scenario.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../testing/temp-dir.js';
import { runScenario } from '../run/run-scenario.js';

function obj(kind: string, name: string, spec: Record<string, unknown> = {}, namespace = 'team'): WorkloadObject {
  return { apiVersion: 'v1', kind, metadata: { name, namespace }, spec };
}

function cluster(objects: WorkloadObject[]): ClusterState {
  const c = new ClusterState();
  for (const o of objects) c.objects.set(objectKey(o.kind, o.metadata.namespace, o.metadata.name), o);
  return c;
}

const quota = (name: string, hard: Record<string, string>, extra: Record<string, unknown> = {}) => obj('ResourceQuota', name, { hard, ...extra });

test('count/deployments.apps: the third Deployment is refused, another namespace and a scoped quota are not limited', () => {
  const c = cluster([quota('compute', { 'count/deployments.apps': '2', pods: '10' }), obj('Deployment', 'api'), obj('Deployment', 'worker')]);
  assert.equal(checkObjectCountQuota(c, obj('Deployment', 'third')),
    'deployments.apps "third" is forbidden: exceeded quota: compute, requested: count/deployments.apps=1, used: count/deployments.apps=2, limited: count/deployments.apps=2');
  assert.equal(checkObjectCountQuota(c, obj('Deployment', 'elsewhere', {}, 'other')), null);
  assert.equal(checkObjectCountQuota(c, obj('StatefulSet', 'db')), null);
  const scoped = cluster([quota('be', { 'count/deployments.apps': '0' }, { scopes: ['BestEffort'] })]);
  assert.equal(checkObjectCountQuota(scoped, obj('Deployment', 'api')), null);
});

test('count/jobs.batch, count/cronjobs.batch, count/resourcequotas and resourcequotas', () => {
  const c = cluster([quota('objects', { 'count/jobs.batch': '0', 'count/cronjobs.batch': '1', resourcequotas: '1' })]);
  assert.equal(checkObjectCountQuota(c, obj('Job', 'report')), 'jobs.batch "report" is forbidden: exceeded quota: objects, requested: count/jobs.batch=1, used: count/jobs.batch=0, limited: count/jobs.batch=0');
  assert.equal(checkObjectCountQuota(c, obj('CronJob', 'nightly')), null);
  assert.equal(checkObjectCountQuota(c, quota('another', { pods: '1' })),
    'resourcequotas "another" is forbidden: exceeded quota: objects, requested: resourcequotas=1, used: resourcequotas=1, limited: resourcequotas=1');
});

test('services, services.nodeports and services.loadbalancers as the service evaluator charges them', () => {
  const c = cluster([
    quota('net', { services: '5', 'services.nodeports': '2', 'services.loadbalancers': '0' }),
    obj('Service', 'np', { type: 'NodePort', ports: [{ port: 80 }] }),
  ]);
  // A ClusterIP Service uses no node port nor load balancer: only services.
  assert.equal(checkObjectCountQuota(c, obj('Service', 'web', { ports: [{ port: 80 }, { port: 443 }] })), null);
  assert.equal(checkObjectCountQuota(c, obj('Service', 'np2', { type: 'NodePort', ports: [{ port: 80 }, { port: 443 }] })),
    'services "np2" is forbidden: exceeded quota: net, requested: services.nodeports=2, used: services.nodeports=1, limited: services.nodeports=2');
  // A LoadBalancer that allocates no node ports charges only the ports naming one.
  assert.equal(checkObjectCountQuota(c, obj('Service', 'lb', { type: 'LoadBalancer', allocateLoadBalancerNodePorts: false, ports: [{ port: 80 }] })),
    'services "lb" is forbidden: exceeded quota: net, requested: services.loadbalancers=1, used: services.loadbalancers=0, limited: services.loadbalancers=0');
});

test('in a run, count/deployments.apps 2 lets 2 of 4 Deployments be created; count/jobs.batch 0 refuses a Job', () => {
  const result = runScenario(parseScenario(`
apiVersion: ksim/v1alpha1
kind: Scenario
duration: 1m
cluster:
  nodePools: [{ name: n, count: 1, allocatable: { cpu: "8", memory: 32Gi } }]
workload:
  - name: quota
    manifest: { apiVersion: v1, kind: ResourceQuota, metadata: { name: objects }, spec: { hard: { count/deployments.apps: "2", count/jobs.batch: "0" } } }
  - name: apps
    at: 5s
    manifests:
${['a', 'b', 'c', 'd'].map((n) => `      - { apiVersion: apps/v1, kind: Deployment, metadata: { name: ${n} }, spec: { replicas: 1, selector: { matchLabels: { app: ${n} } }, template: { metadata: { labels: { app: ${n} } }, spec: { containers: [{ name: c, image: x }] } } } }`).join('\n')}
      - { apiVersion: batch/v1, kind: Job, metadata: { name: once }, spec: { template: { spec: { restartPolicy: Never, containers: [{ name: c, image: x }] } } } }
`, 'objects.yaml'));
  assert.equal(result.summary['pods_bound'], 2);
  // The four creates are sent together, in file order, and etcd commits them in that order: a and
  // b are created, c and d refused.
  assert.equal(result.warnings.length, 2, result.warnings.join('\n'));
  assert.equal(result.warnings[0], '2 create(s) refused by the API server, first Deployment c: deployments.apps "c" is forbidden: exceeded quota: objects, requested: count/deployments.apps=1, used: count/deployments.apps=2, limited: count/deployments.apps=2');
  assert.equal(result.warnings[1], '1 create(s) refused by the API server, first Job once: jobs.batch "once" is forbidden: exceeded quota: objects, requested: count/jobs.batch=1, used: count/jobs.batch=0, limited: count/jobs.batch=0');
});

test('objects of one entry past a quota: the last of the file is refused, whatever the seed (etcd commits writes in the order they reach it)', () => {
  // kubectl apply creates a file's objects in order and quota admission sees them in arrival
  // order; ksim admits at commit, and etcd's commit index only moves forward (raft), so a later
  // write whose own quorum round trip was drawn shorter does not overtake an earlier one.
  const deployment = (n: string) => `      - { apiVersion: apps/v1, kind: Deployment, metadata: { name: ${n} }, spec: { replicas: 1, selector: { matchLabels: { app: ${n} } }, template: { metadata: { labels: { app: ${n} } }, spec: { containers: [{ name: c, image: x, resources: { requests: { cpu: 100m } } }] } } } }`;
  for (let seed = 1; seed <= 6; seed++) {
    const result = runScenario(parseScenario(`
apiVersion: ksim/v1alpha1
kind: Scenario
seed: ${seed}
duration: 30s
cluster:
  nodePools: [{ name: n, count: 1, allocatable: { cpu: "8", memory: 32Gi } }]
workload:
  - name: quotas
    manifests:
      - { apiVersion: v1, kind: ResourceQuota, metadata: { name: objects }, spec: { hard: { count/deployments.apps: "2", services: "1" } } }
      - { apiVersion: v1, kind: ResourceQuota, metadata: { name: besteffort }, spec: { hard: { pods: "1" }, scopes: [BestEffort] } }
  - name: apps
    at: 5s
    manifests:
${['a', 'b', 'c'].map(deployment).join('\n')}
      - { apiVersion: v1, kind: Service, metadata: { name: a }, spec: { selector: { app: a }, ports: [{ port: 80 }] } }
      - { apiVersion: v1, kind: Service, metadata: { name: b }, spec: { selector: { app: b }, ports: [{ port: 80 }] } }
      - { apiVersion: v1, kind: Pod, metadata: { name: be1 }, spec: { containers: [{ name: c, image: x }] } }
      - { apiVersion: v1, kind: Pod, metadata: { name: be2 }, spec: { containers: [{ name: c, image: x }] } }
`, `order-${seed}.yaml`));
    assert.deepEqual(result.warnings.map((w) => w.slice(0, w.indexOf(':'))), [
      '1 create(s) refused by the API server, first Deployment c',
      '1 create(s) refused by the API server, first Service b',
      '1 create(s) refused by the API server, first default/be2',
    ], `seed ${seed}:\n${result.warnings.join('\n')}`);
  }
});

test('a quota resource ksim does not enforce is a warning naming the quota and the resource', () => {
  const s = parseScenario(`
apiVersion: ksim/v1alpha1
kind: Scenario
duration: 1m
cluster:
  nodePools: [{ name: n, count: 1, allocatable: { cpu: "8", memory: 32Gi } }]
workload:
  - name: quota
    manifest:
      apiVersion: v1
      kind: ResourceQuota
      metadata: { name: storage, namespace: team-a }
      spec:
        hard: { requests.storage: 100Gi, count/secrets: "10", count/deployments.apps: "2", requests.ephemeral-storage: 10Gi, limits.nvidia.com/gpu: "1" }
`, 'q.yaml');
  assert.deepEqual(s.warnings, [
    'q.yaml:14:35: workload[0].manifest.spec.hard.requests.storage: is not enforced (ResourceQuota team-a/storage): ksim simulates no PersistentVolumeClaims; creates it would refuse are admitted',
    'q.yaml:14:57: workload[0].manifest.spec.hard.count/secrets: is not enforced (ResourceQuota team-a/storage): ksim stores no Secrets; creates it would refuse are admitted',
    'q.yaml:14:149: workload[0].manifest.spec.hard.limits.nvidia.com/gpu: is not enforced (ResourceQuota team-a/storage): no quota evaluator charges it, upstream\'s neither (extended resources are charged as requests.<name>); creates it would refuse are admitted',
  ]);
});

test('count/deployments.apps 1E (above 2^53 − 1) never refuses: clamped to the largest safe integer', () => {
  const c = cluster([quota('huge', { 'count/deployments.apps': '1E' }), obj('Deployment', 'api')]);
  assert.equal(checkObjectCountQuota(c, obj('Deployment', 'worker')), null);
});

test('count/replicasets.apps 1: a Deployment\'s rollout to a new template cannot create its new ReplicaSet; the rollout stalls with a warning naming the quota, after upstream\'s 15 rate-limited retries', () => {
  // The generic object-count evaluator charges every ReplicaSet create, the Deployment
  // controller's own too (admission sees its request like any other): upstream getNewReplicaSet
  // gets the refusal, sets Progressing=False (ReplicaSetCreateError) and returns the error, so
  // the old ReplicaSet keeps its pods; handleErr retries it through the rate limiter (5 ms
  // doubling) 15 times, then drops it (pkg/controller/deployment/deployment_controller.go).
  const deployment = (image: string) => `{ apiVersion: apps/v1, kind: Deployment, metadata: { name: web, namespace: team }, spec: { replicas: 2, selector: { matchLabels: { app: web } }, template: { metadata: { labels: { app: web } }, spec: { containers: [{ name: c, image: ${image} }] } } } }`;
  const result = runScenario(parseScenario(`
apiVersion: ksim/v1alpha1
kind: Scenario
duration: 10m
cluster:
  nodePools: [{ name: n, count: 1, allocatable: { cpu: "8", memory: 32Gi } }]
workload:
  - name: quota
    manifest: { apiVersion: v1, kind: ResourceQuota, metadata: { name: objects, namespace: team }, spec: { hard: { count/replicasets.apps: "1" } } }
  - name: web
    manifest: ${deployment('v1')}
  - name: web-v2
    at: 30s
    manifest: ${deployment('v2')}
`, 'rs-quota.yaml'));
  // The first ReplicaSet fits the quota; the second never exists: the two v1 pods stay.
  assert.equal(result.summary['pods_submitted'], 2);
  assert.equal(result.summary['replicas_ready_end'], 2);
  const rs = /^(\d+) create\(s\) refused by the API server, first ReplicaSet (web-[a-z0-9]+): replicasets\.apps "(web-[a-z0-9]+)" is forbidden: exceeded quota: objects, requested: count\/replicasets\.apps=1, used: count\/replicasets\.apps=1, limited: count\/replicasets\.apps=1$/;
  const refused = result.warnings.find((w) => rs.test(w));
  assert.ok(refused !== undefined, result.warnings.join('\n'));
  const [, count, name] = rs.exec(refused)!;
  // The first attempt and 15 retries, then dropped: nothing else syncs the Deployment.
  assert.equal(count, '16');
  assert.ok(result.warnings.includes(`Deployment team/web: its rollout is stalled at the end: the new ReplicaSet ${name} was refused 16 times (condition Progressing=False, reason ReplicaSetCreateError: Failed to create new replica set "${name}": replicasets.apps "${name}" is forbidden: exceeded quota: objects, requested: count/replicasets.apps=1, used: count/replicasets.apps=1, limited: count/replicasets.apps=1); the Deployment controller retries a failed sync 15 times (5 ms doubling), then only when the Deployment, one of its ReplicaSets or their pods change`), result.warnings.join('\n'));
});

test('count/replicasets.apps 0: a new Deployment gets no ReplicaSet; its shortfall names the refused ReplicaSet, not the client rate limit', () => {
  const result = runScenario(parseScenario(`
apiVersion: ksim/v1alpha1
kind: Scenario
duration: 5m
cluster:
  nodePools: [{ name: n, count: 1, allocatable: { cpu: "8", memory: 32Gi } }]
workload:
  - name: quota
    manifest: { apiVersion: v1, kind: ResourceQuota, metadata: { name: objects, namespace: team }, spec: { hard: { count/replicasets.apps: "0" } } }
  - name: web
    at: 1s
    manifest: { apiVersion: apps/v1, kind: Deployment, metadata: { name: web, namespace: team }, spec: { replicas: 2, selector: { matchLabels: { app: web } }, template: { metadata: { labels: { app: web } }, spec: { containers: [{ name: c, image: x }] } } } }
`, 'rs-quota-0.yaml'));
  assert.equal(result.summary['pods_submitted'], 0);
  assert.equal(result.warnings.length, 3, result.warnings.join('\n'));
  assert.match(result.warnings[0]!, /^16 create\(s\) refused by the API server, first ReplicaSet web-[a-z0-9]+: /);
  assert.match(result.warnings[1]!, /^Deployment team\/web: its rollout is stalled at the end: the new ReplicaSet web-[a-z0-9]+ was refused 16 times /);
  assert.match(result.warnings[2]!, /^Deployment team\/web ends with 0 of 2 replicas ready: 2 not created \(its new ReplicaSet (web-[a-z0-9]+) refused by the API server: replicasets\.apps "\1" is forbidden: exceeded quota: objects, requested: count\/replicasets\.apps=1, used: count\/replicasets\.apps=0, limited: count\/replicasets\.apps=0\)$/);
});

test('a Service update is charged what it adds (services.go Handles Create and Update; controller.go checkRequest charges new − old, never below 0)', () => {
  const q = quota('net', { services: '2', 'services.nodeports': '2', 'services.loadbalancers': '1' });
  const web = obj('Service', 'web', { ports: [{ port: 80 }, { port: 443 }] });
  const lb = obj('Service', 'lb', { type: 'LoadBalancer', ports: [{ port: 80 }] });
  const c = cluster([q, web, lb]);
  // ClusterIP → LoadBalancer: one more load balancer and two node ports; services is unchanged.
  assert.equal(checkObjectCountQuota(c, obj('Service', 'web', { type: 'LoadBalancer', ports: [{ port: 80 }, { port: 443 }] }), web),
    'services "web" is forbidden: exceeded quota: net, requested: services.loadbalancers=1,services.nodeports=2, used: services.loadbalancers=1,services.nodeports=1, limited: services.loadbalancers=1,services.nodeports=2');
  // ClusterIP → NodePort with one port: within services.nodeports (1 used + 1 ≤ 2).
  assert.equal(checkObjectCountQuota(c, obj('Service', 'web', { type: 'NodePort', ports: [{ port: 80 }] }), web), null);
  // LoadBalancer → ClusterIP frees what it used: never refused.
  assert.equal(checkObjectCountQuota(cluster([quota('zero', { 'services.loadbalancers': '0', 'services.nodeports': '0' }), lb]), obj('Service', 'lb', { ports: [{ port: 80 }] }), lb), null);
  // An update of another kind is not charged (the object-count evaluator handles creates only).
  const d = obj('Deployment', 'api');
  assert.equal(checkObjectCountQuota(cluster([quota('o', { 'count/deployments.apps': '0' }), d]), obj('Deployment', 'api', { replicas: 2 }), d), null);
});

test('in a run, a Service re-applied as LoadBalancer past services.loadbalancers is refused; one re-applied as NodePort within services.nodeports is admitted', () => {
  const service = (name: string, type: string) => `{ apiVersion: v1, kind: Service, metadata: { name: ${name}, namespace: team }, spec: { type: ${type}, selector: { app: ${name} }, ports: [{ port: 80 }] } }`;
  const result = runScenario(parseScenario(`
apiVersion: ksim/v1alpha1
kind: Scenario
duration: 1m
cluster:
  nodePools: [{ name: n, count: 1, allocatable: { cpu: "8", memory: 32Gi } }]
workload:
  - name: setup
    manifests:
      - { apiVersion: v1, kind: ResourceQuota, metadata: { name: net, namespace: team }, spec: { hard: { services.loadbalancers: "0", services.nodeports: "1" } } }
      - ${service('front', 'ClusterIP')}
      - ${service('admin', 'ClusterIP')}
  - name: expose
    at: 10s
    manifests:
      - ${service('front', 'LoadBalancer')}
      - ${service('admin', 'NodePort')}
`, 'service-update.yaml'));
  assert.deepEqual(result.warnings, [
    // Only the exceeded resource is named (its node port fitted: 0 + 1 ≤ 1).
    '1 update(s) refused by the API server, first Service front: services "front" is forbidden: exceeded quota: net, requested: services.loadbalancers=1, used: services.loadbalancers=0, limited: services.loadbalancers=0',
  ]);
});

test('a ksim-events trace apply that turns a Service into a LoadBalancer past services.loadbalancers is refused as an update', () => {
  const dir = tempDir('ksim-service-update-');
  const svc = (at: number, type: string) => JSON.stringify({ at, op: 'apply', object: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'front', namespace: 'team' }, spec: { type, selector: { app: 'front' }, ports: [{ port: 80 }] } } });
  writeFileSync(join(dir, 'e.jsonl'), `${[svc(5, 'ClusterIP'), svc(20, 'LoadBalancer')].join('\n')}\n`);
  writeFileSync(join(dir, 's.yaml'), `apiVersion: ksim/v1alpha1
kind: Scenario
duration: 1m
cluster:
  nodePools: [{ name: n, count: 1, allocatable: { cpu: "8", memory: 32Gi } }]
workload:
- name: quota
  manifest: { apiVersion: v1, kind: ResourceQuota, metadata: { name: net, namespace: team }, spec: { hard: { services.loadbalancers: "0" } } }
- name: ev
  trace: { format: ksim-events, file: e.jsonl }
`);
  const result = runScenario(loadScenario(join(dir, 's.yaml')));
  assert.deepEqual(result.warnings, [
    '1 update(s) refused by the API server, first Service front: services "front" is forbidden: exceeded quota: net, requested: services.loadbalancers=1, used: services.loadbalancers=0, limited: services.loadbalancers=0',
  ]);
});
