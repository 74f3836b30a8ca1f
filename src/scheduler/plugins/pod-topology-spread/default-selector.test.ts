// helper.DefaultSelector (upstream pkg/scheduler/framework/plugins/helper/spread.go): the union of
// the selectors of the Services selecting the pod and of its controller — a v1
// ReplicationController's label map, an apps/v1 ReplicaSet's or StatefulSet's label selector —
// read through the kind-typed store.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { WorkloadObject } from '../../../cluster/workload-object.js';
import { makePod, podInfo } from '../../../testing/builders.js';
import { controller, service, setup } from '../../../testing/spread-builders.js';
import { DefaultSelectorBuilder } from './common.js';

function rc(name: string, selector: Record<string, string> | null): WorkloadObject {
  return { apiVersion: 'v1', kind: 'ReplicationController', metadata: { name, namespace: 'default' }, spec: { selector } };
}

/** A pod labelled `labels` whose controller is `kind` `name` of `apiVersion`. */
function owned(labels: Record<string, string>, apiVersion: string, kind: string, name: string): Pod {
  const p = makePod('p').labels(labels).obj();
  p.metadata!.ownerReferences = [{ apiVersion, kind, name, uid: `${kind}/${name}`, controller: true }];
  return p;
}

function build(objects: readonly WorkloadObject[], pod: Pod) {
  const { cluster } = setup([], [], undefined, objects);
  return new DefaultSelectorBuilder(cluster).build(podInfo(pod))?.selector ?? null;
}

describe('PodTopologySpread default selector', () => {
  it('a ReplicationController\'s selector and a matching Service\'s, merged as matchLabels', () => {
    const pod = owned({ app: 'web', tier: 'fe', x: '1' }, 'v1', 'ReplicationController', 'web');
    assert.deepEqual(build([rc('web', { app: 'web' }), service('fe', { tier: 'fe' }), service('other', { tier: 'be' })], pod), {
      matchLabels: { app: 'web', tier: 'fe' },
      matchExpressions: [],
    });
  });

  it('a ReplicationController with a nil selector adds nothing; nor does one under another apiVersion', () => {
    assert.equal(build([rc('web', null)], owned({ app: 'web' }, 'v1', 'ReplicationController', 'web')), null);
    assert.equal(build([rc('web', { app: 'web' })], owned({ app: 'web' }, 'apps/v1', 'ReplicationController', 'web')), null);
  });

  it('a Service with a nil selector selects nothing', () => {
    assert.equal(build([service('svc', null)], makePod('p').labels({ app: 'web' }).obj()), null);
  });

  it('a controller that is not in the store, or whose selector does not compile, adds nothing', () => {
    assert.equal(build([], owned({ app: 'web' }, 'v1', 'ReplicationController', 'gone')), null);
    assert.equal(build([], owned({ app: 'web' }, 'apps/v1', 'ReplicaSet', 'gone')), null);
    const bad = controller('ReplicaSet', 'web', { matchExpressions: [{ key: 'app', operator: 'Bogus', values: ['web'] }] });
    assert.equal(build([bad, service('svc', null)], owned({ app: 'web' }, 'apps/v1', 'ReplicaSet', 'web')), null);
  });

  it('a StatefulSet\'s label selector becomes matchExpressions', () => {
    const pod = owned({ app: 'db' }, 'apps/v1', 'StatefulSet', 'db');
    assert.deepEqual(build([controller('StatefulSet', 'db', { matchLabels: { app: 'db' } })], pod), {
      matchLabels: {},
      matchExpressions: [{ key: 'app', operator: 'In', values: ['db'] }],
    });
  });

  it('a Service updated, or deleted and replaced by another, is seen by the next build (not only a change in the number of objects)', () => {
    const { cluster } = setup([], [], undefined, [service('fe', { tier: 'fe' })]);
    const builder = new DefaultSelectorBuilder(cluster);
    const pod = podInfo(makePod('p').labels({ app: 'web', tier: 'fe' }).obj());
    assert.deepEqual(builder.build(pod)?.selector, { matchLabels: { tier: 'fe' }, matchExpressions: [] });
    cluster.objects.set('Service/default/fe', service('fe', { app: 'web' }));
    assert.deepEqual(builder.build(pod)?.selector, { matchLabels: { app: 'web' }, matchExpressions: [] });
    cluster.objects.delete('Service/default/fe');
    cluster.objects.set('Service/default/both', service('both', { app: 'web', tier: 'fe' }));
    assert.deepEqual(builder.build(pod)?.selector, { matchLabels: { app: 'web', tier: 'fe' }, matchExpressions: [] });
  });

  it('pods of one ReplicaSet share one built selector, unless different Services select them', () => {
    const rs = controller('ReplicaSet', 'web', { matchLabels: { app: 'web' } });
    const { cluster } = setup([], [], undefined, [rs, service('canary', { track: 'canary' })]);
    const builder = new DefaultSelectorBuilder(cluster);
    const a = builder.build(podInfo(owned({ app: 'web' }, 'apps/v1', 'ReplicaSet', 'web')));
    const b = builder.build(podInfo(owned({ app: 'web' }, 'apps/v1', 'ReplicaSet', 'web')));
    assert.equal(b, a);
    assert.deepEqual(a?.selector, { matchLabels: {}, matchExpressions: [{ key: 'app', operator: 'In', values: ['web'] }] });
    const canary = builder.build(podInfo(owned({ app: 'web', track: 'canary' }, 'apps/v1', 'ReplicaSet', 'web')));
    assert.deepEqual(canary?.selector, { matchLabels: { track: 'canary' }, matchExpressions: [{ key: 'app', operator: 'In', values: ['web'] }] });
    assert.deepEqual(builder.build(podInfo(owned({ app: 'web' }, 'apps/v1', 'ReplicaSet', 'web')))?.selector, a?.selector);
  });

  it('only a ReplicaSet or StatefulSet of apps/v1 adds its selector: not a Job, nor a Deployment, nor a ReplicaSet of another apiVersion', () => {
    const job: WorkloadObject = { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j', namespace: 'default' }, spec: { selector: { matchLabels: { app: 'web' } } } };
    const dep: WorkloadObject = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'default' }, spec: { selector: { matchLabels: { app: 'web' } } } };
    const oldRs: WorkloadObject = { ...controller('ReplicaSet', 'web', { matchLabels: { app: 'web' } }), apiVersion: 'extensions/v1beta1' };
    assert.equal(build([job], owned({ app: 'web' }, 'batch/v1', 'Job', 'j')), null);
    assert.equal(build([dep], owned({ app: 'web' }, 'apps/v1', 'Deployment', 'd')), null);
    assert.equal(build([oldRs], owned({ app: 'web' }, 'extensions/v1beta1', 'ReplicaSet', 'web')), null);
  });
});
