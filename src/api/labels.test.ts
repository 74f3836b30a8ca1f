import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { LabelSelector } from 'kubernetes-types/meta/v1.js';
import type { NodeSelector, NodeSelectorRequirement, NodeSelectorTerm } from 'kubernetes-types/core/v1.js';
import { FieldError } from './field-error.js';
import {
  compileLabelSelector,
  compileNodeSelector,
  compileNodeSelectorMap,
  compileNodeSelectorTerm,
  isValidLabelKey,
  isValidLabelValue,
  matchesNodeSelectorMap,
  type Labels,
  type NodeLike,
} from './labels.js';

const expr = (key: string, operator: string, values?: string[]): NodeSelectorRequirement =>
  values === undefined ? { key, operator } : { key, operator, values };

describe('compileLabelSelector: LabelSelectorAsSelector', () => {
  // k8s.io/apimachinery pkg/apis/meta/v1/helpers_test.go (TestLabelSelectorAsSelector)
  it('matches nothing for a null or undefined selector', () => {
    for (const sel of [null, undefined]) {
      const m = compileLabelSelector(sel);
      assert.equal(m.matchesNothing, true);
      assert.equal(m.matchesEverything, false);
      assert.equal(m.matches({ foo: 'bar' }), false);
      assert.equal(m.matches({}), false);
    }
  });
  it('matches everything for an empty selector', () => {
    for (const sel of [{}, { matchLabels: {}, matchExpressions: [] }]) {
      const m = compileLabelSelector(sel);
      assert.equal(m.matchesEverything, true);
      assert.equal(m.matchesNothing, false);
      assert.equal(m.matches({ x: 'y' }), true);
      assert.equal(m.matches(undefined), true);
    }
  });
  const matchLabels = { foo: 'bar' };
  const matchExpressions = [{ key: 'baz', operator: 'In', values: ['qux', 'norf'] }];
  const cases: Array<[name: string, sel: LabelSelector, labels: Labels, want: boolean]> = [
    ['matchLabels foo=bar matches foo=bar', { matchLabels }, { foo: 'bar' }, true],
    ['matchLabels foo=bar does not match foo=baz', { matchLabels }, { foo: 'baz' }, false],
    ['baz in (norf,qux) matches baz=norf', { matchExpressions }, { baz: 'norf' }, true],
    ['baz in (norf,qux) does not match a missing baz', { matchExpressions }, { foo: 'bar' }, false],
    ['matchLabels and matchExpressions are ANDed (both hold)', { matchLabels, matchExpressions }, { foo: 'bar', baz: 'qux' }, true],
    ['matchLabels and matchExpressions are ANDed (one fails)', { matchLabels, matchExpressions }, { foo: 'bar', baz: 'x' }, false],
  ];
  for (const [name, sel, labels, want] of cases) {
    it(name, () => {
      const m = compileLabelSelector(sel);
      assert.equal(m.matchesEverything || m.matchesNothing, false);
      assert.equal(m.matches(labels), want);
    });
  }
  it('rejects Exists with values', () => {
    assert.throws(
      () => compileLabelSelector({ matchExpressions: [{ key: 'baz', operator: 'Exists', values: ['qux', 'norf'] }] }),
      { name: 'FieldError', path: 'matchExpressions[0].values' },
    );
  });
});

describe('compileLabelSelector: matching', () => {
  // k8s.io/apimachinery pkg/labels/selector_test.go (TestSelectorMatches,
  // TestSetMatches, TestRequirementSelectorMatching), with the string selectors
  // spelled as LabelSelector objects.
  const cases: Array<[name: string, sel: LabelSelector, labels: Labels, want: boolean]> = [
    ['x=y matches x=y', { matchLabels: { x: 'y' } }, { x: 'y' }, true],
    ['x=y,z=w matches x=y,z=w', { matchLabels: { x: 'y', z: 'w' } }, { x: 'y', z: 'w' }, true],
    ['x notin (y), z notin (w) matches x=z,z=a', { matchExpressions: [expr('x', 'NotIn', ['y']), expr('z', 'NotIn', ['w'])] }, { x: 'z', z: 'a' }, true],
    ['notin=in is an ordinary key and value', { matchLabels: { notin: 'in' } }, { notin: 'in' }, true],
    ['x (exists) matches x=z', { matchExpressions: [expr('x', 'Exists')] }, { x: 'z' }, true],
    ['!x (does not exist) matches y=z', { matchExpressions: [expr('x', 'DoesNotExist')] }, { y: 'z' }, true],
    ['x=z does not match an empty set', { matchLabels: { x: 'z' } }, {}, false],
    ['x=y does not match x=z', { matchLabels: { x: 'y' } }, { x: 'z' }, false],
    ['x=y,z=w does not match x=w,z=w', { matchLabels: { x: 'y', z: 'w' } }, { x: 'w', z: 'w' }, false],
    ['x notin (y), z notin (w) does not match x=z,z=w', { matchExpressions: [expr('x', 'NotIn', ['y']), expr('z', 'NotIn', ['w'])] }, { x: 'z', z: 'w' }, false],
    ['x (exists) does not match y=z', { matchExpressions: [expr('x', 'Exists')] }, { y: 'z' }, false],
    ['!x does not match x=z', { matchExpressions: [expr('x', 'DoesNotExist')] }, { x: 'z' }, false],
    ['foo=bar matches foo=bar,baz=blah', { matchLabels: { foo: 'bar' } }, { foo: 'bar', baz: 'blah' }, true],
    ['foo=bar,baz=blah matches foo=bar,baz=blah', { matchLabels: { foo: 'bar', baz: 'blah' } }, { foo: 'bar', baz: 'blah' }, true],
    ['foo=blah does not match foo=bar,baz=blah', { matchLabels: { foo: 'blah' } }, { foo: 'bar', baz: 'blah' }, false],
    ['foo=bar,foobar=bar,baz=blah does not match foo=bar,baz=blah', { matchLabels: { foo: 'bar', foobar: 'bar', baz: 'blah' } }, { foo: 'bar', baz: 'blah' }, false],
    ['x in (foo), y notin (alpha) matches x=foo,y=baz', { matchExpressions: [expr('x', 'In', ['foo']), expr('y', 'NotIn', ['alpha'])] }, { x: 'foo', y: 'baz' }, true],
    ['x in (foo), y in (alpha) does not match x=foo,y=baz', { matchExpressions: [expr('x', 'In', ['foo']), expr('y', 'In', ['alpha'])] }, { x: 'foo', y: 'baz' }, false],
    ['x notin (""), y (exists) matches y=""', { matchExpressions: [expr('x', 'NotIn', ['']), expr('y', 'Exists')] }, { y: '' }, true],
    ['!x, y (exists) matches y=""', { matchExpressions: [expr('x', 'DoesNotExist'), expr('y', 'Exists')] }, { y: '' }, true],
    ['x notin (""), !y does not match y=""', { matchExpressions: [expr('x', 'NotIn', ['']), expr('y', 'DoesNotExist')] }, { y: '' }, false],
    ['x in ("") does not match y=baz (x is absent)', { matchExpressions: [expr('x', 'In', [''])] }, { y: 'baz' }, false],
    ['x in ("") matches x=""', { matchExpressions: [expr('x', 'In', [''])] }, { x: '' }, true],
    ['an In with many values uses them all', { matchExpressions: [expr('n', 'In', ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'])] }, { n: '9' }, true],
    ['a NotIn with many values excludes them all', { matchExpressions: [expr('n', 'NotIn', ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'])] }, { n: '9' }, false],
    ['a key named like an Object.prototype member is an ordinary key', { matchExpressions: [expr('constructor', 'Exists')] }, { app: 'web' }, false],
  ];
  for (const [name, sel, labels, want] of cases) {
    it(name, () => {
      assert.equal(compileLabelSelector(sel).matches(labels), want);
    });
  }
  it('treats undefined labels as an empty set', () => {
    assert.equal(compileLabelSelector({ matchExpressions: [expr('x', 'DoesNotExist')] }).matches(undefined), true);
    assert.equal(compileLabelSelector({ matchLabels: { x: 'y' } }).matches(undefined), false);
  });
});

describe('compileLabelSelector: validation', () => {
  // k8s.io/apimachinery pkg/labels/selector_test.go (TestRequirementConstructor)
  const accepted: Array<[name: string, sel: LabelSelector]> = [
    ['x in (foo)', { matchExpressions: [expr('x', 'In', ['foo'])] }],
    ['x notin (foo)', { matchExpressions: [expr('x', 'NotIn', ['foo'])] }],
    ['x exists', { matchExpressions: [expr('x', 'Exists')] }],
    ['x does not exist (empty values list)', { matchExpressions: [expr('x', 'DoesNotExist', [])] }],
    ['key 1foo', { matchExpressions: [expr('1foo', 'In', ['bar'])] }],
    ['key 1234', { matchExpressions: [expr('1234', 'In', ['bar'])] }],
  ];
  for (const [name, sel] of accepted) {
    it(`accepts ${name}`, () => {
      assert.doesNotThrow(() => compileLabelSelector(sel));
    });
  }
  const rejected: Array<[name: string, sel: LabelSelector, path: string]> = [
    ['In without values', { matchExpressions: [expr('x', 'In')] }, 'matchExpressions[0].values'],
    ['NotIn with an empty values list', { matchExpressions: [expr('x', 'NotIn', [])] }, 'matchExpressions[0].values'],
    ['a 254-character key', { matchExpressions: [expr('a'.repeat(254), 'Exists')] }, 'matchExpressions[0].key'],
    ['Gt, which label selectors do not support', { matchExpressions: [expr('y', 'Gt', ['1'])] }, 'matchExpressions[0].operator'],
    ['an invalid value', { matchExpressions: [expr('x', 'In', ['ok', 'not ok'])] }, 'matchExpressions[0].values[1]'],
    ['an invalid matchLabels key', { matchLabels: { 'bad key': 'v' } }, 'matchLabels[bad key]'],
    ['an invalid matchLabels value', { matchLabels: { k: '-v' } }, 'matchLabels[k]'],
  ];
  for (const [name, sel, path] of rejected) {
    it(`rejects ${name}`, () => {
      assert.throws(() => compileLabelSelector(sel), (e: unknown) => e instanceof FieldError && e.path === path);
    });
  }
  it('reports an unknown operator with its path', () => {
    assert.throws(
      () => compileLabelSelector({ matchExpressions: [expr('a', 'In', ['b']), expr('x', 'Equals', ['y'])] }, 'spec.selector'),
      {
        name: 'FieldError',
        message: 'spec.selector.matchExpressions[1].operator: expected one of In, NotIn, Exists, DoesNotExist, got "Equals"',
      },
    );
  });
  it('reports an invalid key with its path', () => {
    assert.throws(() => compileLabelSelector({ matchExpressions: [expr('invalid key', 'Exists')] }, 'sel'), {
      path: 'sel.matchExpressions[0].key',
      got: '"invalid key"',
    });
  });
  it('reports a non-string matchLabels value (YAML number)', () => {
    assert.throws(() => compileLabelSelector({ matchLabels: { version: 1 as unknown as string } }), {
      message: 'matchLabels[version]: expected a string label value, got 1',
    });
  });
});

describe('isValidLabelKey / isValidLabelValue', () => {
  // k8s.io/apimachinery pkg/util/validation/validation_test.go
  // (TestIsQualifiedName, TestIsValidLabelValue)
  const goodKeys = [
    'simple', 'now-with-dashes', '1-starts-with-num', '1234', 'simple/simple', 'now-with-dashes/simple',
    'now-with-dashes/now-with-dashes', 'now.with.dots/simple', 'now-with.dashes-and.dots/simple',
    '1-num.2-num/3-num', '1234/5678', '1.2.3.4/5678', 'Uppercase_Is_OK_123', 'example.com/Uppercase_Is_OK_123',
    'requests.storage-foo', 'a'.repeat(63), `${'a'.repeat(253)}/${'b'.repeat(63)}`,
  ];
  const badKeys = [
    'nospecialchars%^=@', 'cantendwithadash-', '-cantstartwithadash-', 'only/one/slash', 'Example.com/abc',
    'example_com/abc', 'example.com/', '/simple', 'a'.repeat(64), `${'a'.repeat(254)}/abc`, '',
  ];
  const goodValues = ['simple', 'now-with-dashes', '1-starts-with-num', 'end-with-num-1', '1234', 'a'.repeat(63), ''];
  const badValues = [
    'nospecialchars%^=@', 'Tama-nui-te-rā.is.Māori.sun', '\\backslashes\\are\\bad', '-starts-with-dash',
    'ends-with-dash-', '.starts.with.dot', 'ends.with.dot.', 'a'.repeat(64),
  ];
  for (const k of goodKeys) it(`accepts the key ${JSON.stringify(k.length > 40 ? `${k.slice(0, 20)}…(${k.length})` : k)}`, () => assert.equal(isValidLabelKey(k), true));
  for (const k of badKeys) it(`rejects the key ${JSON.stringify(k.length > 40 ? `${k.slice(0, 20)}…(${k.length})` : k)}`, () => assert.equal(isValidLabelKey(k), false));
  for (const v of goodValues) it(`accepts the value ${JSON.stringify(v.length > 40 ? `${v.slice(0, 20)}…(${v.length})` : v)}`, () => assert.equal(isValidLabelValue(v), true));
  for (const v of badValues) it(`rejects the value ${JSON.stringify(v.length > 40 ? `${v.slice(0, 20)}…(${v.length})` : v)}`, () => assert.equal(isValidLabelValue(v), false));
});

describe('matchesNodeSelectorMap / compileNodeSelectorMap', () => {
  // k8s.io/component-helpers scheduling/corev1/nodeaffinity/nodeaffinity_test.go
  // (TestPodMatchesNodeSelectorAndAffinityTerms, the nodeSelector cases) and
  // k8s.io/apimachinery pkg/labels/selector_test.go (TestSetMatches).
  const cases: Array<[name: string, selector: Record<string, string> | undefined, labels: Labels, want: boolean]> = [
    ['no selector', undefined, {}, true],
    ['an empty selector', {}, { foo: 'bar' }, true],
    ['missing labels', { foo: 'bar' }, {}, false],
    ['same labels', { foo: 'bar' }, { foo: 'bar' }, true],
    ['node labels are a superset', { foo: 'bar' }, { foo: 'bar', baz: 'blah' }, true],
    ['node labels are a subset', { foo: 'bar', baz: 'blah' }, { foo: 'bar' }, false],
    ['a different value', { foo: 'bar' }, { foo: 'barrrrrr' }, false],
    ['an empty required value needs the key present', { foo: '' }, {}, false],
    ['an empty required value matches an empty label', { foo: '' }, { foo: '' }, true],
  ];
  for (const [name, selector, labels, want] of cases) {
    it(`${name}: ${want ? 'matches' : 'does not match'}`, () => {
      assert.equal(matchesNodeSelectorMap(selector, labels), want);
      assert.equal(compileNodeSelectorMap(selector).matches(labels), want);
    });
  }
  it('validates keys and values when compiled', () => {
    assert.throws(() => compileNodeSelectorMap({ 'bad key': 'x' }, 'spec.nodeSelector'), { path: 'spec.nodeSelector[bad key]' });
  });
});

const node = (name: string, labels: Labels = {}): NodeLike => ({ name, labels });

describe('compileNodeSelector: NodeSelector.Match', () => {
  // k8s.io/component-helpers scheduling/corev1/nodeaffinity/nodeaffinity_test.go
  // (TestNodeSelectorMatch and TestPodMatchesNodeSelectorAndAffinityTerms, the
  // required-affinity cases).
  const cases: Array<[name: string, sel: NodeSelector, n: NodeLike, want: boolean]> = [
    [
      'node matches field selector, but not labels',
      { nodeSelectorTerms: [{ matchExpressions: [expr('label_1', 'In', ['label_1_val'])], matchFields: [expr('metadata.name', 'In', ['host_1'])] }] },
      node('host_1'),
      false,
    ],
    [
      'node matches field selector and label selector',
      { nodeSelectorTerms: [{ matchExpressions: [expr('label_1', 'In', ['label_1_val'])], matchFields: [expr('metadata.name', 'In', ['host_1'])] }] },
      node('host_1', { label_1: 'label_1_val' }),
      true,
    ],
    [
      'second term matches',
      { nodeSelectorTerms: [{ matchExpressions: [expr('label_1', 'In', ['label_1_val'])] }, { matchFields: [expr('metadata.name', 'In', ['host_1'])] }] },
      node('host_1'),
      true,
    ],
    [
      'matchExpressions using In that matches the node',
      { nodeSelectorTerms: [{ matchExpressions: [expr('foo', 'In', ['bar', 'value2'])] }] },
      node('n', { foo: 'bar' }),
      true,
    ],
    [
      'matchExpressions using Gt that matches the node (0206 > 0204)',
      { nodeSelectorTerms: [{ matchExpressions: [expr('kernel-version', 'Gt', ['0204'])] }] },
      node('n', { 'kernel-version': '0206' }),
      true,
    ],
    [
      'matchExpressions using NotIn that matches the node',
      { nodeSelectorTerms: [{ matchExpressions: [expr('mem-type', 'NotIn', ['DDR', 'DDR2'])] }] },
      node('n', { 'mem-type': 'DDR3' }),
      true,
    ],
    [
      'matchExpressions using Exists that matches the node',
      { nodeSelectorTerms: [{ matchExpressions: [expr('GPU', 'Exists')] }] },
      node('n', { GPU: 'NVIDIA-GRID-K1' }),
      true,
    ],
    [
      'affinity that does not match the node labels',
      { nodeSelectorTerms: [{ matchExpressions: [expr('foo', 'In', ['value1', 'value2'])] }] },
      node('n', { foo: 'bar' }),
      false,
    ],
    ['a nil term list matches nothing', { nodeSelectorTerms: null as unknown as NodeSelectorTerm[] }, node('n', { foo: 'bar' }), false],
    ['an empty term list matches nothing', { nodeSelectorTerms: [] }, node('n', { foo: 'bar' }), false],
    ['a term with empty matchExpressions matches nothing', { nodeSelectorTerms: [{ matchExpressions: [] }] }, node('n', { foo: 'bar' }), false],
    [
      'multiple matchExpressions ANDed that match the node',
      { nodeSelectorTerms: [{ matchExpressions: [expr('GPU', 'Exists'), expr('GPU', 'NotIn', ['AMD', 'INTER'])] }] },
      node('n', { GPU: 'NVIDIA-GRID-K1' }),
      true,
    ],
    [
      'multiple matchExpressions ANDed that do not match the node',
      { nodeSelectorTerms: [{ matchExpressions: [expr('GPU', 'Exists'), expr('GPU', 'In', ['AMD', 'INTER'])] }] },
      node('n', { GPU: 'NVIDIA-GRID-K1' }),
      false,
    ],
    [
      'multiple terms ORed, one matching',
      { nodeSelectorTerms: [{ matchExpressions: [expr('foo', 'In', ['bar', 'value2'])] }, { matchExpressions: [expr('diffkey', 'In', ['wrong', 'value2'])] }] },
      node('n', { foo: 'bar' }),
      true,
    ],
    ['matchFields using In that matches the node', { nodeSelectorTerms: [{ matchFields: [expr('metadata.name', 'In', ['node_1'])] }] }, node('node_1'), true],
    ['matchFields using In that does not match the node', { nodeSelectorTerms: [{ matchFields: [expr('metadata.name', 'In', ['node_1'])] }] }, node('node_2'), false],
    [
      'two terms: matchFields does not match, but matchExpressions matches',
      { nodeSelectorTerms: [{ matchFields: [expr('metadata.name', 'In', ['node_1'])] }, { matchExpressions: [expr('foo', 'In', ['bar'])] }] },
      node('node_2', { foo: 'bar' }),
      true,
    ],
    [
      'one term: matchFields does not match, but matchExpressions matches',
      { nodeSelectorTerms: [{ matchFields: [expr('metadata.name', 'In', ['node_1'])], matchExpressions: [expr('foo', 'In', ['bar'])] }] },
      node('node_2', { foo: 'bar' }),
      false,
    ],
    [
      'one term: both matchFields and matchExpressions match',
      { nodeSelectorTerms: [{ matchFields: [expr('metadata.name', 'In', ['node_1'])], matchExpressions: [expr('foo', 'In', ['bar'])] }] },
      node('node_1', { foo: 'bar' }),
      true,
    ],
    [
      'two terms: neither matchFields nor matchExpressions match',
      { nodeSelectorTerms: [{ matchFields: [expr('metadata.name', 'In', ['node_1'])] }, { matchExpressions: [expr('foo', 'In', ['not-match-to-bar'])] }] },
      node('node_2', { foo: 'bar' }),
      false,
    ],
    ['matchFields using NotIn excludes the named node', { nodeSelectorTerms: [{ matchFields: [expr('metadata.name', 'NotIn', ['node_1'])] }] }, node('node_1'), false],
    ['matchFields using NotIn allows other nodes', { nodeSelectorTerms: [{ matchFields: [expr('metadata.name', 'NotIn', ['node_1'])] }] }, node('node_2'), true],
    // nodeaffinity.go only evaluates matchFields when the node has a name.
    ['matchFields are skipped for a node without a name', { nodeSelectorTerms: [{ matchFields: [expr('metadata.name', 'In', ['node_1'])] }] }, node(''), true],
  ];
  for (const [name, sel, n, want] of cases) {
    it(`${name}: ${want ? 'matches' : 'does not match'}`, () => {
      assert.equal(compileNodeSelector(sel).matches(n), want);
    });
  }
});

describe('compileNodeSelector: Gt and Lt', () => {
  // k8s.io/apimachinery pkg/labels/selector_test.go (x>1, x<1 cases of
  // TestSelectorMatches; z>1 of TestRequirementSelectorMatching) and
  // strconv.ParseInt semantics (sign, leading zeros, int64 range).
  const cases: Array<[op: 'Gt' | 'Lt', bound: string, label: string | undefined, want: boolean]> = [
    ['Gt', '1', '2', true],
    ['Lt', '1', '0', true],
    ['Gt', '1', '0', false],
    ['Lt', '1', '2', false],
    ['Gt', '1', '1', false],
    ['Gt', '1', 'v2', false],
    ['Gt', '1', undefined, false],
    ['Lt', '1', undefined, false],
    ['Gt', '1', '', false],
    ['Gt', '1', '+2', true],
    ['Lt', '1', '-5', true],
    ['Gt', '1', '1.5', false],
    ['Gt', '1', ' 2', false],
    ['Gt', '0', '9223372036854775807', true],
    ['Gt', '0', '9223372036854775808', false], // beyond int64: not an integer for ParseInt
    ['Lt', '0', '-9223372036854775808', true],
    ['Gt', '9007199254740992', '9007199254740993', true], // beyond 2^53, compared exactly
    ['Lt', '9007199254740993', '9007199254740992', true],
    ['Gt', '9007199254740993', '9007199254740993', false],
    ['Gt', '000000000000000000000001', '2', true],
  ];
  for (const [op, bound, label, want] of cases) {
    it(`${label === undefined ? 'a missing label' : JSON.stringify(label)} ${want ? 'is' : 'is not'} ${op} ${bound}`, () => {
      const m = compileNodeSelector({ nodeSelectorTerms: [{ matchExpressions: [expr('x', op, [bound])] }] });
      assert.equal(m.matches(node('n', label === undefined ? {} : { x: label })), want);
    });
  }
});

describe('compileNodeSelector: validation', () => {
  // nodeaffinity_test.go (TestNodeSelectorMatch "invalid field selector and
  // label selector", TestNodeSelectorRequirementsAsSelector) and
  // selector_test.go (TestRequirementConstructor: foo>bar, barz<blah).
  const rejected: Array<[name: string, sel: NodeSelector, path: string]> = [
    [
      'matchFields In with two values',
      { nodeSelectorTerms: [{ matchFields: [expr('metadata.name', 'In', ['host_1', 'host_2'])] }] },
      'nodeSelectorTerms[0].matchFields[0].values',
    ],
    ['an invalid key', { nodeSelectorTerms: [{ matchExpressions: [expr('invalid key', 'In', ['label_value'])] }] }, 'nodeSelectorTerms[0].matchExpressions[0].key'],
    ['Exists with values', { nodeSelectorTerms: [{ matchExpressions: [expr('foo', 'Exists', ['bar', 'baz'])] }] }, 'nodeSelectorTerms[0].matchExpressions[0].values'],
    ['Gt with a non-integer value', { nodeSelectorTerms: [{ matchExpressions: [expr('foo', 'Gt', ['bar'])] }] }, 'nodeSelectorTerms[0].matchExpressions[0].values[0]'],
    ['Lt with a non-integer value', { nodeSelectorTerms: [{ matchExpressions: [expr('barz', 'Lt', ['blah'])] }] }, 'nodeSelectorTerms[0].matchExpressions[0].values[0]'],
    ['Gt with two values', { nodeSelectorTerms: [{ matchExpressions: [expr('foo', 'Gt', ['1', '2'])] }] }, 'nodeSelectorTerms[0].matchExpressions[0].values'],
    // labels.NewRequirement also validates Gt/Lt values as label values, so a negative bound is rejected.
    ['Lt with a negative bound', { nodeSelectorTerms: [{ matchExpressions: [expr('foo', 'Lt', ['-1'])] }] }, 'nodeSelectorTerms[0].matchExpressions[0].values[0]'],
    ['an invalid NotIn value', { nodeSelectorTerms: [{ matchExpressions: [expr('foo', 'NotIn', ['invalid value: ___@#$%^'])] }] }, 'nodeSelectorTerms[0].matchExpressions[0].values[0]'],
    ['an unknown operator', { nodeSelectorTerms: [{ matchExpressions: [expr('foo', 'Equals', ['bar'])] }] }, 'nodeSelectorTerms[0].matchExpressions[0].operator'],
    ['a field operator other than In/NotIn', { nodeSelectorTerms: [{ matchFields: [expr('metadata.name', 'Exists')] }] }, 'nodeSelectorTerms[0].matchFields[0].operator'],
    ['a field other than metadata.name', { nodeSelectorTerms: [{ matchFields: [expr('metadata.namespace', 'In', ['x'])] }] }, 'nodeSelectorTerms[0].matchFields[0].key'],
  ];
  for (const [name, sel, path] of rejected) {
    it(`rejects ${name}`, () => {
      assert.throws(() => compileNodeSelector(sel), (e: unknown) => e instanceof FieldError && e.path === path);
    });
  }
  it('reports the operator error with the full path', () => {
    const sel = { nodeSelectorTerms: [{ matchExpressions: [expr('a', 'Exists'), expr('b', 'Like', ['x'])] }] };
    assert.throws(() => compileNodeSelector(sel, 'spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution'), {
      message:
        'spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[1].operator: ' +
        'expected one of In, NotIn, Exists, DoesNotExist, Gt, Lt, got "Like"',
    });
  });
  it('accepts Gt 1 and Lt 7 (TestNodeSelectorRequirementsAsSelector)', () => {
    const sel = { nodeSelectorTerms: [{ matchExpressions: [expr('foo', 'Gt', ['1']), expr('bar', 'Lt', ['7'])] }] };
    assert.equal(compileNodeSelector(sel).matches(node('n', { foo: '2', bar: '6' })), true);
  });
  it("with invalidTerms 'matchNothing', an invalid term matches no node and the others still apply", () => {
    // TestPodMatchesNodeSelectorAndAffinityTerms: "Pod with an invalid value in
    // Affinity term won't be scheduled onto the node" (LazyErrorNodeSelector).
    const invalid = { matchExpressions: [expr('foo', 'NotIn', ['invalid value: ___@#$%^'])] };
    const valid = { matchExpressions: [expr('foo', 'In', ['bar'])] };
    const lazy = { invalidTerms: 'matchNothing' } as const;
    assert.equal(compileNodeSelector({ nodeSelectorTerms: [invalid] }, '', lazy).matches(node('n', { foo: 'bar' })), false);
    assert.equal(compileNodeSelector({ nodeSelectorTerms: [invalid, valid] }, '', lazy).matches(node('n', { foo: 'bar' })), true);
    assert.throws(() => compileNodeSelector({ nodeSelectorTerms: [invalid, valid] }), FieldError);
  });
});

describe('compileNodeSelectorTerm: preferred scheduling terms', () => {
  // nodeaffinity_test.go (TestPreferredSchedulingTermsScore "first and third
  // term match": weights 5 + 11 = 16).
  it('scores the sum of the weights of the matching terms', () => {
    const terms: Array<[weight: number, preference: NodeSelectorTerm]> = [
      [5, { matchFields: [expr('metadata.name', 'In', ['host_1'])] }],
      [7, { matchExpressions: [expr('unknown_label', 'In', ['unknown_label_val'])] }],
      [11, { matchExpressions: [expr('label_1', 'In', ['label_1_val'])] }],
    ];
    const compiled = terms.map(([w, t], i) => [w, compileNodeSelectorTerm(t, `[${i}].preference`)] as const);
    const n = node('host_1', { label_1: 'label_1_val' });
    let score = 0;
    for (const [w, m] of compiled) if (m.matches(n)) score += w;
    assert.equal(score, 16);
  });
  it('lets an empty term match nothing', () => {
    assert.equal(compileNodeSelectorTerm({}).matches(node('n', { a: 'b' })), false);
    assert.equal(compileNodeSelectorTerm({ matchExpressions: [], matchFields: [] }).matches(node('n')), false);
  });
  it('reports errors under the given path', () => {
    assert.throws(() => compileNodeSelectorTerm({ matchFields: [expr('metadata.name', 'In', ['a', 'b'])] }, '[0].preference'), {
      path: '[0].preference.matchFields[0].values',
    });
  });
});
