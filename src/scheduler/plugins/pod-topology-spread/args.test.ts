import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FieldError } from '../../../api/field-error.js';
import { buildCluster, fakeHandle, makePod, podInfo } from '../../../testing/builders.js';
import type { Framework } from '../../framework/framework.js';
import type { FrameworkHandle } from '../../framework/interfaces.js';
import { CycleState } from '../../framework/cycle-state.js';
import { CODE_NAMES } from '../../framework/status.js';
import { newPodTopologySpread, parsePodTopologySpreadArgs, PodTopologySpreadPlugin, validatePodTopologySpreadArgs, type PodTopologySpreadArgs } from './plugin.js';
import { PRE_SCORE_STATE_KEY, type PreScoreState } from './scoring.js';
import { controller, node } from '../../../testing/spread-builders.js';

const DNS = 'DoNotSchedule';
const SA = 'ScheduleAnyway';

interface ValidationCase {
  name: string;
  args: PodTopologySpreadArgs;
  /** Paths of the expected errors, in order. */
  want: string[];
}

describe('PodTopologySpread args: TestValidatePodTopologySpreadArgs', () => {
  // Upstream pkg/scheduler/apis/config/validation/validation_pluginargs_test.go
  // (TestValidatePodTopologySpreadArgs): field paths of the expected errors.
  const list = (defaultConstraints: PodTopologySpreadArgs['defaultConstraints']): PodTopologySpreadArgs => ({ defaultingType: 'List', defaultConstraints });
  const cases: ValidationCase[] = [
    {
      name: 'valid config',
      args: list([
        { maxSkew: 1, topologyKey: 'node', whenUnsatisfiable: DNS },
        { maxSkew: 2, topologyKey: 'zone', whenUnsatisfiable: SA },
      ]),
      want: [],
    },
    { name: 'maxSkew less than zero', args: list([{ maxSkew: -1, topologyKey: 'node', whenUnsatisfiable: DNS }]), want: ['defaultConstraints[0].maxSkew'] },
    { name: 'empty topology key', args: list([{ maxSkew: 1, topologyKey: '', whenUnsatisfiable: DNS }]), want: ['defaultConstraints[0].topologyKey'] },
    { name: 'whenUnsatisfiable is empty', args: list([{ maxSkew: 1, topologyKey: 'node', whenUnsatisfiable: '' }]), want: ['defaultConstraints[0].whenUnsatisfiable'] },
    {
      name: 'whenUnsatisfiable contains unsupported action',
      args: list([{ maxSkew: 1, topologyKey: 'node', whenUnsatisfiable: 'unknown action' }]),
      want: ['defaultConstraints[0].whenUnsatisfiable'],
    },
    {
      name: 'duplicated constraints',
      args: list([
        { maxSkew: 1, topologyKey: 'node', whenUnsatisfiable: DNS },
        { maxSkew: 2, topologyKey: 'node', whenUnsatisfiable: DNS },
      ]),
      want: ['defaultConstraints[1]'],
    },
    {
      name: 'label selector present',
      args: list([{ maxSkew: 1, topologyKey: 'key', whenUnsatisfiable: DNS, labelSelector: { matchLabels: { a: 'b' } } }]),
      want: ['defaultConstraints[0].labelSelector'],
    },
    { name: 'list default constraints, no constraints', args: list([]), want: [] },
    { name: 'system default constraints', args: { defaultingType: 'System', defaultConstraints: [] }, want: [] },
    { name: 'wrong constraints', args: { defaultingType: 'unknown' as 'List', defaultConstraints: [] }, want: ['defaultingType'] },
    {
      name: 'system default constraints, but has constraints',
      args: { defaultingType: 'System', defaultConstraints: [{ maxSkew: 1, topologyKey: 'key', whenUnsatisfiable: DNS }] },
      want: ['defaultingType'],
    },
    // Beyond upstream's table: ValidateLabelName on the key, and every error reported in order.
    { name: 'topology key that is not a label name', args: list([{ maxSkew: 1, topologyKey: 'a/b/c', whenUnsatisfiable: DNS }]), want: ['defaultConstraints[0].topologyKey'] },
    {
      name: 'several errors in one constraint are all reported',
      args: list([{ maxSkew: 0, topologyKey: '', whenUnsatisfiable: 'Later', labelSelector: {} }]),
      want: ['defaultConstraints[0].maxSkew', 'defaultConstraints[0].topologyKey', 'defaultConstraints[0].whenUnsatisfiable', 'defaultConstraints[0].labelSelector'],
    },
    {
      name: 'a repeated {topologyKey, whenUnsatisfiable} pair is reported once per repetition',
      args: list([
        { maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: SA },
        { maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: DNS },
        { maxSkew: 2, topologyKey: 'zone', whenUnsatisfiable: SA },
        { maxSkew: 3, topologyKey: 'zone', whenUnsatisfiable: SA },
      ]),
      want: ['defaultConstraints[2]', 'defaultConstraints[3]'],
    },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      const errs = validatePodTopologySpreadArgs(tc.args);
      assert.deepEqual(
        errs.map((e) => e.path),
        tc.want,
      );
      for (const e of errs) assert.ok(e instanceof FieldError);
    });
  }

  it('error messages name what was expected', () => {
    const msg = (args: PodTopologySpreadArgs): string => validatePodTopologySpreadArgs(args)[0]?.message ?? '';
    assert.equal(
      msg({ defaultingType: 'List', defaultConstraints: [{ maxSkew: -1, topologyKey: 'node', whenUnsatisfiable: DNS }] }),
      'defaultConstraints[0].maxSkew: expected a value in the valid range (0, inf), got -1',
    );
    assert.equal(
      msg({ defaultingType: 'List', defaultConstraints: [{ maxSkew: 1, topologyKey: 'node', whenUnsatisfiable: 'unknown action' }] }),
      'defaultConstraints[0].whenUnsatisfiable: expected one of "DoNotSchedule", "ScheduleAnyway", got "unknown action"',
    );
    assert.equal(
      msg({
        defaultingType: 'List',
        defaultConstraints: [
          { maxSkew: 1, topologyKey: 'node', whenUnsatisfiable: DNS },
          { maxSkew: 2, topologyKey: 'node', whenUnsatisfiable: DNS },
        ],
      }),
      'defaultConstraints[1]: expected no duplicate of an earlier constraint with the same topologyKey and whenUnsatisfiable, got {node, DoNotSchedule}',
    );
    assert.equal(msg({ defaultingType: 'unknown' as 'List', defaultConstraints: [] }), 'defaultingType: expected one of "System", "List", got "unknown"');
    assert.equal(
      msg({ defaultingType: 'System', defaultConstraints: [{ maxSkew: 1, topologyKey: 'key', whenUnsatisfiable: DNS }] }),
      'defaultingType: expected "List" when .defaultConstraints are not empty, got "System"',
    );
  });
});

describe('PodTopologySpread args: decoding and defaulting', () => {
  // SetDefaults_PodTopologySpreadArgs (apis/config/v1/defaults.go): defaultingType "" → System.
  it('no args: System defaulting', () => {
    assert.deepEqual(parsePodTopologySpreadArgs(undefined), { defaultingType: 'System', defaultConstraints: [] });
    assert.deepEqual(parsePodTopologySpreadArgs({}), { defaultingType: 'System', defaultConstraints: [] });
  });

  it('List with constraints is kept as given', () => {
    const args = parsePodTopologySpreadArgs({
      defaultingType: 'List',
      defaultConstraints: [{ maxSkew: 2, topologyKey: 'zone', whenUnsatisfiable: SA, nodeTaintsPolicy: 'Honor', minDomains: 2 }],
    });
    assert.deepEqual(args, {
      defaultingType: 'List',
      defaultConstraints: [{ maxSkew: 2, topologyKey: 'zone', whenUnsatisfiable: SA, nodeTaintsPolicy: 'Honor', minDomains: 2 }],
    });
  });

  it('constraints without defaultingType default to System, which then rejects them', () => {
    assert.throws(
      () => parsePodTopologySpreadArgs({ defaultConstraints: [{ maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: SA }] }),
      (e: unknown) => e instanceof FieldError && e.path === 'defaultingType',
    );
  });

  it('shape errors carry the field path', () => {
    const path = (raw: unknown): string => {
      try {
        parsePodTopologySpreadArgs(raw);
      } catch (e) {
        if (e instanceof FieldError) return e.path;
        throw e;
      }
      return '(no error)';
    };
    assert.equal(path('System'), '');
    assert.equal(path({ defaultingType: 'List', defaultConstraints: {} }), 'defaultConstraints');
    assert.equal(path({ defaultingType: 'List', defaultConstraints: [{ maxSkew: '1', topologyKey: 'zone', whenUnsatisfiable: SA }] }), 'defaultConstraints[0].maxSkew');
    assert.equal(path({ defaultingType: 'List', defaultConstraints: [{ maxSkew: 1.5, topologyKey: 'zone', whenUnsatisfiable: SA }] }), 'defaultConstraints[0].maxSkew');
    assert.equal(path({ defaultingType: 'List', defaultConstraints: [{ maxSkew: 1, topologyKey: 7, whenUnsatisfiable: SA }] }), 'defaultConstraints[0].topologyKey');
    assert.equal(path({ defaultingType: 'List', defaultConstraints: [{ maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: SA, maxskew: 1 }] }), 'defaultConstraints[0].maxskew');
    assert.equal(path({ defaultingtype: 'List' }), 'defaultingtype');
    assert.equal(path({ defaultingType: 3 }), 'defaultingType');
  });

  it('newPodTopologySpread throws the first FieldError', () => {
    const handle = { ...fakeHandle(buildCluster([])), framework: null as unknown as Framework } satisfies FrameworkHandle;
    assert.throws(
      () => newPodTopologySpread({ defaultingType: 'List', defaultConstraints: [{ maxSkew: 0, topologyKey: '', whenUnsatisfiable: DNS }] }, handle),
      (e: unknown) => e instanceof FieldError && e.path === 'defaultConstraints[0].maxSkew',
    );
    const p = newPodTopologySpread(undefined, handle);
    assert.ok(p instanceof PodTopologySpreadPlugin);
    assert.equal(p.name, 'PodTopologySpread');
  });

  it('System defaulting spreads by hostname (maxSkew 3) and zone (maxSkew 5), ScheduleAnyway only', () => {
    const cluster = buildCluster([node('n1', { 'kubernetes.io/hostname': 'n1', 'topology.kubernetes.io/zone': 'z1' })]);
    cluster.objects.set('ReplicaSet/default/rs', controller('ReplicaSet', 'rs', { matchLabels: { app: 'x' } }));
    const plugin = new PodTopologySpreadPlugin(parsePodTopologySpreadArgs(undefined), { cluster });
    const pod = podInfo(makePod('p').label('app', 'x').owner('ReplicaSet', 'rs').obj());
    const pre = plugin.preFilter(new CycleState(), pod, cluster.nodes);
    assert.equal(pre.status === null ? 'Success' : CODE_NAMES[pre.status.code], 'Skip');
    const state = new CycleState();
    assert.equal(plugin.preScore(state, pod, cluster.nodes), null);
    const s = state.read<PreScoreState>(PRE_SCORE_STATE_KEY);
    assert.deepEqual(
      s?.constraints.map((c) => [c.topologyKey, c.maxSkew]),
      [
        ['kubernetes.io/hostname', 3],
        ['topology.kubernetes.io/zone', 5],
      ],
    );
  });
});
