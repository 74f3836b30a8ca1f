import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { PodSpec, Toleration } from 'kubernetes-types/core/v1.js';
import type { WorkloadObject } from '../cluster/workload-object.js';
import { admitWithClass, isSuperset, mergeTolerations, validateOverhead } from './runtime-class.js';

function runtimeClass(extra: Record<string, unknown>): WorkloadObject {
  return { apiVersion: 'node.k8s.io/v1', kind: 'RuntimeClass', metadata: { name: 'foo', namespace: '' }, handler: 'bar', ...extra };
}

/** newOverheadValidPod / getGuaranteedRequirements of upstream's test. */
function overheadPod(guaranteed: boolean, setOverhead: boolean): PodSpec {
  const resources = guaranteed ? { requests: { cpu: '1', memory: '10' }, limits: { cpu: '1', memory: '10' } } : {};
  return { containers: [{ name: 'foo-0', image: 'foo:V0', resources }], ...(setOverhead ? { overhead: { cpu: '100m', memory: '1' } } : {}) };
}

const SMALL = { overhead: { podFixed: { cpu: '100m', memory: '1' } } };
const BIG = { overhead: { podFixed: { cpu: '10', memory: '10G' } } };

describe('RuntimeClass admission', () => {
  // Upstream plugin/pkg/admission/runtimeclass/admission_test.go TestSetOverhead.
  const setOverhead: Array<[string, WorkloadObject, PodSpec, string | Record<string, string> | undefined]> = [
    ['overhead, no container requirements', runtimeClass(SMALL), overheadPod(false, false), { cpu: '100m', memory: '1' }],
    ['overhead, guaranteed pod', runtimeClass(SMALL), overheadPod(true, false), { cpu: '100m', memory: '1' }],
    ['overhead, pod with differing overhead already set', runtimeClass(BIG), overheadPod(false, true), "pod rejected: Pod's Overhead doesn't match RuntimeClass's defined Overhead"],
    ['overhead, pod with same overhead already set', runtimeClass(SMALL), overheadPod(false, true), undefined],
  ];
  for (const [name, cls, spec, want] of setOverhead) {
    it(`TestSetOverhead: ${name}`, () => {
      const r = admitWithClass(cls, spec, undefined);
      if (typeof want === 'string') assert.deepEqual(r, { allowed: false, reason: want });
      else assert.deepEqual(r.allowed ? r.fields.overhead : r.reason, want);
    });
  }

  // TestSetScheduling (the pod's nodeSelector and tolerations after admission).
  const t = (key: string, value: string): Toleration => ({ key, operator: 'Equal', value, effect: 'NoSchedule' });
  const setScheduling: Array<[string, Record<string, unknown> | null, Record<string, string> | undefined, Toleration[] | undefined, string | [Record<string, string> | undefined, Toleration[] | undefined]]> = [
    ['nil scheduling', null, { foo: 'bar' }, [], [{ foo: 'bar' }, []]],
    ['conflict node selector', { nodeSelector: { foo: 'conflict' } }, { foo: 'bar' }, [], 'conflict: runtimeClass.scheduling.nodeSelector[foo] = conflict; pod.spec.nodeSelector[foo] = bar'],
    ['nil node selector', { nodeSelector: { foo: 'bar' } }, undefined, undefined, [{ foo: 'bar' }, []]],
    ['node selector with the same key value', { nodeSelector: { foo: 'bar' } }, { foo: 'bar' }, undefined, [{ foo: 'bar' }, []]],
    ['node selector with different key value', { nodeSelector: { foo: 'bar', fizz: 'buzz' } }, { foo: 'bar' }, undefined, [{ foo: 'bar', fizz: 'buzz' }, []]],
    ['multiple tolerations', { tolerations: [t('foo', 'bar'), t('fizz', 'buzz')] }, { foo: 'bar' }, [t('foo', 'bar')], [{ foo: 'bar' }, [t('foo', 'bar'), t('fizz', 'buzz')]]],
  ];
  for (const [name, scheduling, nodeSelector, tolerations, want] of setScheduling) {
    it(`TestSetScheduling: ${name}`, () => {
      const spec: PodSpec = { containers: [], ...(nodeSelector !== undefined ? { nodeSelector } : {}), ...(tolerations !== undefined ? { tolerations } : {}) };
      const r = admitWithClass(runtimeClass(scheduling === null ? {} : { scheduling }), spec, tolerations);
      if (typeof want === 'string') {
        assert.deepEqual(r, { allowed: false, reason: want });
        return;
      }
      assert.ok(r.allowed);
      const admitted = { ...spec, ...r.fields };
      assert.deepEqual([admitted.nodeSelector, admitted.tolerations ?? []], want);
    });
  }

  // TestValidate.
  const validate: Array<[string, WorkloadObject | undefined, PodSpec, string | null]> = [
    ['No Overhead in RuntimeClass, Overhead set in pod', runtimeClass({}), overheadPod(true, true), 'pod rejected: Pod Overhead set without corresponding RuntimeClass defined Overhead'],
    ['Non-matching Overheads', runtimeClass(BIG), overheadPod(false, true), "pod rejected: Pod's Overhead doesn't match RuntimeClass's defined Overhead"],
    ['Matching Overheads', runtimeClass(SMALL), overheadPod(false, true), null],
    ['ksim shorthand: no RuntimeClass, the pod keeps its own overhead', undefined, overheadPod(false, true), null],
  ];
  for (const [name, cls, spec, want] of validate) {
    it(`TestValidate: ${name}`, () => assert.equal(validateOverhead(cls, spec), want));
  }

  it('equal overheads are compared as quantities (1000m is 1)', () => {
    const r = admitWithClass(runtimeClass({ overhead: { podFixed: { cpu: '1', memory: '1Gi' } } }), { containers: [], overhead: { cpu: '1000m', memory: '1024Mi' } }, undefined);
    assert.deepEqual(r, { allowed: true, fields: {} });
  });
});

describe('MergeTolerations (upstream pkg/util/tolerations/tolerations_test.go)', () => {
  const tolerations: Record<string, Toleration> = {
    'all': { operator: 'Exists' },
    'all-nosched': { operator: 'Exists', effect: 'NoSchedule' },
    'all-noexec': { operator: 'Exists', effect: 'NoExecute' },
    'foo': { key: 'foo', operator: 'Exists' },
    'foo-bar': { key: 'foo', operator: 'Equal', value: 'bar' },
    'foo-nosched': { key: 'foo', operator: 'Exists', effect: 'NoSchedule' },
    'foo-bar-nosched': { key: 'foo', operator: 'Equal', value: 'bar', effect: 'NoSchedule' },
    'foo-baz-nosched': { key: 'foo', operator: 'Equal', value: 'baz', effect: 'NoSchedule' },
    'faz-nosched': { key: 'faz', operator: 'Exists', effect: 'NoSchedule' },
    'faz-baz-nosched': { key: 'faz', operator: 'Equal', value: 'baz', effect: 'NoSchedule' },
    'foo-prefnosched': { key: 'foo', operator: 'Exists', effect: 'PreferNoSchedule' },
    'foo-noexec': { key: 'foo', operator: 'Exists', effect: 'NoExecute' },
    'foo-bar-noexec': { key: 'foo', operator: 'Equal', value: 'bar', effect: 'NoExecute' },
    'foo-noexec-10': { key: 'foo', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 10 },
    'foo-noexec-0': { key: 'foo', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 0 },
    'foo-bar-noexec-10': { key: 'foo', operator: 'Equal', value: 'bar', effect: 'NoExecute', tolerationSeconds: 10 },
  };
  const get = (names: readonly string[]) => names.map((n) => tolerations[n] as Toleration);

  // TestIsSuperset: each toleration is a superset of itself and of these, of no other.
  const supersets: Array<[string, string[]]> = [
    ['all', ['all-nosched', 'all-noexec', 'foo', 'foo-bar', 'foo-nosched', 'foo-bar-nosched', 'foo-baz-nosched', 'faz-nosched', 'faz-baz-nosched', 'foo-prefnosched', 'foo-noexec', 'foo-bar-noexec', 'foo-noexec-10', 'foo-noexec-0', 'foo-bar-noexec-10']],
    ['all-nosched', ['foo-nosched', 'foo-bar-nosched', 'foo-baz-nosched', 'faz-nosched', 'faz-baz-nosched']],
    ['all-noexec', ['foo-noexec', 'foo-bar-noexec', 'foo-noexec-10', 'foo-noexec-0', 'foo-bar-noexec-10']],
    ['foo', ['foo-bar', 'foo-nosched', 'foo-bar-nosched', 'foo-baz-nosched', 'foo-prefnosched', 'foo-noexec', 'foo-bar-noexec', 'foo-noexec-10', 'foo-noexec-0', 'foo-bar-noexec-10']],
    ['foo-bar', ['foo-bar-nosched', 'foo-bar-noexec', 'foo-bar-noexec-10']],
    ['foo-nosched', ['foo-bar-nosched', 'foo-baz-nosched']],
    ['foo-bar-nosched', []],
    ['faz-nosched', ['faz-baz-nosched']],
    ['faz-baz-nosched', []],
    ['foo-noexec', ['foo-noexec', 'foo-bar-noexec', 'foo-noexec-10', 'foo-noexec-0', 'foo-bar-noexec-10']],
    ['foo-bar-noexec', ['foo-bar-noexec-10']],
    ['foo-noexec-10', ['foo-noexec-0', 'foo-bar-noexec-10']],
    ['foo-noexec-0', []],
    ['foo-bar-noexec-10', []],
  ];
  for (const [ss, subs] of supersets) {
    it(`TestIsSuperset: ${ss}`, () => {
      for (const name of Object.keys(tolerations)) {
        assert.equal(isSuperset(tolerations[ss] as Toleration, tolerations[name] as Toleration), name === ss || subs.includes(name), `${ss} ⊇ ${name}`);
      }
    });
  }

  const merges: Array<[string, string[], string[], string[]]> = [
    ['disjoint', ['foo-bar-nosched', 'faz-baz-nosched', 'foo-noexec-10'], ['foo-prefnosched', 'foo-baz-nosched'], ['foo-bar-nosched', 'faz-baz-nosched', 'foo-noexec-10', 'foo-prefnosched', 'foo-baz-nosched']],
    ['duplicate', ['foo-bar-nosched', 'faz-baz-nosched', 'foo-noexec-10'], ['foo-bar-nosched', 'faz-baz-nosched', 'foo-noexec-10'], ['foo-bar-nosched', 'faz-baz-nosched', 'foo-noexec-10']],
    ['merge redundant', ['foo-bar-nosched', 'foo-baz-nosched'], ['foo-nosched', 'faz-baz-nosched'], ['foo-nosched', 'faz-baz-nosched']],
    ['merge all', ['foo-bar-nosched', 'foo-baz-nosched', 'foo-noexec-10'], ['all'], ['all']],
    ['merge into all', ['all'], ['foo-bar-nosched', 'foo-baz-nosched', 'foo-noexec-10'], ['all']],
  ];
  for (const [name, a, b, want] of merges) {
    it(`TestMergeTolerations: ${name}`, () => assert.deepEqual(mergeTolerations(get(a), get(b)), get(want)));
  }
});
