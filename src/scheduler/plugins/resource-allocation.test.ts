// Resource names and helpers the scoring plugins share (upstream
// pkg/apis/core/v1/helper IsExtendedResourceName, pkg/scheduler/util IsScalarResourceName).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FieldError } from '../../api/field-error.js';
import { isExtendedResourceName, isScalarResourceName, mulDiv, parseResourceSpecs } from './resource-allocation.js';

test('extended and scalar resource names', () => {
  // [name, extended, scalar]
  const cases: [string, boolean, boolean][] = [
    ['example.com/dongle', true, true],
    ['cpu', false, false],
    ['memory', false, false],
    ['kubernetes.io/something', false, true],
    ['subdomain.kubernetes.io/something', false, true],
    ['requests.example.com/x', false, false],
    ['hugepages-2Mi', false, true],
    ['attachable-volumes-aws-ebs', false, true],
    ['example.com/bad name', false, false],
  ];
  for (const [name, ext, scalar] of cases) {
    assert.equal(isExtendedResourceName(name), ext, `${name} extended`);
    assert.equal(isScalarResourceName(name), scalar, `${name} scalar`);
  }
});

test('mulDiv is exact past 2^53, like int64', () => {
  assert.equal(mulDiv(7, 100, 9), 77);
  assert.equal(mulDiv(2 ** 52 + 1, 100, 3), Number((BigInt(2 ** 52 + 1) * 100n) / 3n));
});

test('resource lists: objects with a non-empty name', () => {
  const weight = () => 1;
  assert.deepEqual(parseResourceSpecs([{ name: 'cpu' }], 'r', weight), [{ name: 'cpu', weight: 1 }]);
  const refused = (raw: unknown) => {
    try {
      parseResourceSpecs(raw, 'r', weight);
    } catch (e) {
      if (e instanceof FieldError) return [e.path, e.expected];
    }
    return null;
  };
  assert.deepEqual(refused('cpu'), ['r', 'a list of {name, weight}']);
  assert.deepEqual(refused([5]), ['r[0]', 'an object with name and weight']);
  assert.deepEqual(refused([null]), ['r[0]', 'an object with name and weight']);
  assert.deepEqual(refused([{ name: '' }]), ['r[0].name', 'a resource name']);
});
