import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FieldError } from './field-error.js';
import { formatDuration, parseDuration, parseNonNegativeDuration } from './duration.js';

const IN_RANGE = 'a duration between -2501999h47m34.740991s and 2501999h47m34.740991s';

describe('parseDuration', () => {
  // Expectations from Go's src/time/time_test.go (parseDurationTests), converted
  // from nanoseconds to microseconds (rounded to nearest, halves away from zero).
  const cases: Array<[input: string, micros: number]> = [
    // simple
    ['0', 0],
    ['5s', 5_000_000],
    ['30s', 30_000_000],
    ['1478s', 1_478_000_000],
    // sign
    ['-5s', -5_000_000],
    ['+5s', 5_000_000],
    ['-0', 0],
    ['+0', 0],
    // decimal
    ['5.0s', 5_000_000],
    ['5.6s', 5_600_000],
    ['5.s', 5_000_000],
    ['.5s', 500_000],
    ['1.0s', 1_000_000],
    ['1.00s', 1_000_000],
    ['1.004s', 1_004_000],
    ['1.0040s', 1_004_000],
    ['100.00100s', 100_001_000],
    // different units
    ['10ns', 0],
    ['11us', 11],
    ['12\u00b5s', 12], // U+00B5 MICRO SIGN
    ['12\u03bcs', 12], // U+03BC GREEK SMALL LETTER MU
    ['13ms', 13_000],
    ['14s', 14_000_000],
    ['15m', 900_000_000],
    ['16h', 57_600_000_000],
    // composite durations
    ['3h30m', 12_600_000_000],
    ['10.5s4m', 250_500_000],
    ['-2m3.4s', -123_400_000],
    ['1h2m3s4ms5us6ns', 3_723_004_005],
    ['39h9m14.425s', 140_954_425_000],
    // large value
    ['52763797000ns', 52_763_797],
    // more than 9 digits after decimal point, golang.org/issue/6617
    ['0.3333333333333333333h', 1_200_000_000],
    // 1<<53+1 ns, not exactly a float64
    ['9007199254740993ns', 9_007_199_254_741],
    // huge string, golang.org/issue/15011
    ['0.100000000000000000000h', 360_000_000],
    // the first overflow check in leadingFraction: 49m48.372539827s
    ['0.830103483285477580700h', 2_988_372_540],
  ];
  for (const [input, micros] of cases) {
    it(`reads ${JSON.stringify(input)} as ${micros}µs`, () => {
      assert.equal(parseDuration(input), micros);
    });
  }
});

describe('parseDuration: rounding to microseconds and range', () => {
  // Our own cases: nanoseconds round to the nearest microsecond, halves away
  // from zero, as Go's d.Round(time.Microsecond); the result must be a safe integer.
  const cases: Array<[input: string, micros: number]> = [
    ['1500ns', 2],
    ['1499ns', 1],
    ['500ns', 1],
    ['499ns', 0],
    ['-1500ns', -2],
    ['-499ns', 0],
    ['1.5us', 2],
    ['1h30m', 5_400_000_000],
    ['-1.5h', -5_400_000_000],
    ['2h45m', 9_900_000_000],
    ['90s', 90_000_000],
    ['300ms', 300_000],
    ['9007199254.740991s', 9_007_199_254_740_991],
    ['-9007199254.740991s', -9_007_199_254_740_991],
  ];
  for (const [input, micros] of cases) {
    it(`rounds ${JSON.stringify(input)} to ${micros}µs`, () => {
      assert.ok(Object.is(parseDuration(input), micros));
    });
  }
  // Valid in Go (time_test.go: the int64 extremes) but beyond 2^53-1 µs.
  const outOfRange = [
    '9223372036854775807ns',
    '9223372036854775.807us',
    '9223372036s854ms775us807ns',
    '-9223372036854775808ns',
    '-9223372036854775.808us',
    '-2562047h47m16.854775808s',
    '9007199254.740992s',
  ];
  for (const input of outOfRange) {
    it(`rejects ${JSON.stringify(input)} as beyond the safe microsecond range`, () => {
      assert.throws(() => parseDuration(input, 'spec.timeout'), { name: 'FieldError', path: 'spec.timeout', expected: IN_RANGE });
    });
  }
});

describe('parseDuration: invalid spellings', () => {
  // Go's src/time/time_test.go (parseDurationErrorTests), plus a few of ours.
  const invalid = [
    '', '3', '-', 's', '.', '-.', '.s', '+.s', '1d', '\x85\x85', '\xffff', 'hello \xffff world', '\uFFFD',
    '\uFFFD hello \uFFFD world',
    // overflow of int64 nanoseconds
    '9223372036854775810ns', '9223372036854775808ns', '-9223372036854775809ns', '9223372036854776us',
    '3000000h', '9223372036854775.808us', '9223372036854ms775us808ns',
    // ours
    '1.5', '1h 30m', ' 1s', '1s ', '1H', '1sec', '--1s', '1e3s', '0s0', 'constructor',
  ];
  for (const input of invalid) {
    it(`rejects ${JSON.stringify(input)}`, () => {
      assert.throws(() => parseDuration(input), FieldError);
    });
  }
  it('names the path, the expectation and the input', () => {
    assert.throws(() => parseDuration('1d', 'spec.activeDeadline'), {
      name: 'FieldError',
      message: 'spec.activeDeadline: expected a duration such as 90s, 15m, 1h30m, got "1d"',
    });
    assert.throws(() => parseDuration(''), { message: 'expected a duration such as 90s, 15m, 1h30m, got ""' });
  });
  it('rejects a non-string (YAML number) input', () => {
    assert.throws(() => parseDuration(30 as unknown as string), { message: 'expected a duration such as 90s, 15m, 1h30m, got 30' });
  });
});

describe('parseNonNegativeDuration', () => {
  it('accepts zero and positive durations', () => {
    assert.equal(parseNonNegativeDuration('0'), 0);
    assert.equal(parseNonNegativeDuration('-0'), 0);
    assert.equal(parseNonNegativeDuration('1m'), 60_000_000);
  });
  it('rejects negative durations, even ones that round to zero', () => {
    assert.throws(() => parseNonNegativeDuration('-1s', 'interval'), {
      message: 'interval: expected a non-negative duration, got "-1s"',
    });
    assert.throws(() => parseNonNegativeDuration('-1ns'), { expected: 'a non-negative duration' });
  });
});

describe('formatDuration', () => {
  // Go's src/time/time_test.go (durationTests) where the value is a whole
  // number of microseconds, plus ours; Duration.String uses U+00B5 for µ.
  const cases: Array<[micros: number, text: string]> = [
    [0, '0s'],
    [1, '1\u00b5s'],
    [999, '999\u00b5s'],
    [1100, '1.1ms'],
    [2200, '2.2ms'],
    [1500, '1.5ms'],
    [3_300_000, '3.3s'],
    [245_000_000, '4m5s'],
    [245_001_000, '4m5.001s'],
    [18_367_001_000, '5h6m7.001s'],
    [480_000_001, '8m0.000001s'],
    [90_000_000, '1m30s'],
    [3_600_000_000, '1h0m0s'],
    [-1_500_000, '-1.5s'],
    [-1, '-1\u00b5s'],
    [Number.MAX_SAFE_INTEGER, '2501999h47m34.740991s'],
  ];
  for (const [micros, text] of cases) {
    it(`writes ${micros}µs as ${JSON.stringify(text)}`, () => {
      assert.equal(formatDuration(micros), text);
      assert.equal(parseDuration(text), micros);
    });
  }
  it('refuses values that are not safe integers', () => {
    assert.throws(() => formatDuration(1.5), RangeError);
  });
});
