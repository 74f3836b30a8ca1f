import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FieldError } from './field-error.js';
import {
  canonicalQuantity,
  canonicalQuantityText,
  formatBytes,
  formatMilliCpu,
  milliValue,
  parseInteger,
  parseMilli,
  parseNonNegativeInteger,
  parseNonNegativeMilli,
  parseQuantity,
  QuantityRangeError,
  value,
  type QuantityFormat,
} from './quantity.js';

const TOO_BIG = 'a quantity at most 9007199254740991 (in base units)';
const TOO_BIG_MILLI = 'a quantity at most 9007199254740991m (counted in thousandths)';

describe('parseQuantity: values', () => {
  // Expectations from k8s.io/apimachinery pkg/api/resource/quantity_test.go
  // (TestQuantityParse: decQuantity(mantissa, exponent) is the exact value),
  // read through MilliValue() and Value(), which round away from zero.
  // null means the result does not fit a safe integer.
  const cases: Array<[input: string, milli: number | null, units: number | null, format: QuantityFormat]> = [
    ['0', 0, 0, 'DecimalSI'],
    ['0n', 0, 0, 'DecimalSI'],
    ['0Ki', 0, 0, 'BinarySI'],
    ['0T', 0, 0, 'DecimalSI'],
    ['1', 1000, 1, 'DecimalSI'],
    ['1Ki', 1_024_000, 1024, 'BinarySI'],
    ['8Ki', 8_192_000, 8192, 'BinarySI'],
    ['7Mi', 7_340_032_000, 7_340_032, 'BinarySI'],
    ['6Gi', 6_442_450_944_000, 6_442_450_944, 'BinarySI'],
    ['5Ti', 5_497_558_138_880_000, 5_497_558_138_880, 'BinarySI'],
    ['4Pi', null, 4_503_599_627_370_496, 'BinarySI'],
    ['3Ei', null, null, 'BinarySI'],
    ['100Ti', null, 109_951_162_777_600, 'BinarySI'],
    ['5n', 1, 1, 'DecimalSI'],
    ['4u', 1, 1, 'DecimalSI'],
    ['3m', 3, 1, 'DecimalSI'],
    ['9', 9000, 9, 'DecimalSI'],
    ['8k', 8_000_000, 8000, 'DecimalSI'],
    ['50k', 50_000_000, 50_000, 'DecimalSI'],
    ['7M', 7_000_000_000, 7_000_000, 'DecimalSI'],
    ['6G', 6_000_000_000_000, 6_000_000_000, 'DecimalSI'],
    ['5T', 5_000_000_000_000_000, 5_000_000_000_000, 'DecimalSI'],
    ['40T', null, 40_000_000_000_000, 'DecimalSI'],
    ['2P', null, 2_000_000_000_000_000, 'DecimalSI'],
    ['1E', null, null, 'DecimalSI'],
    ['1E-3', 1, 1, 'DecimalExponent'],
    ['1e3', 1_000_000, 1000, 'DecimalExponent'],
    ['1E6', 1_000_000_000, 1_000_000, 'DecimalExponent'],
    ['1e9', 1_000_000_000_000, 1_000_000_000, 'DecimalExponent'],
    ['1e15', null, 1_000_000_000_000_000, 'DecimalExponent'],
    ['1E18', null, null, 'DecimalExponent'],
    ['100.035k', 100_035_000, 100_035, 'DecimalSI'],
    ['0.001', 1, 1, 'DecimalSI'],
    ['0.0005k', 500, 1, 'DecimalSI'],
    ['0.00050k', 500, 1, 'DecimalSI'],
    ['0.5e-1', 50, 1, 'DecimalExponent'],
    ['0.5e-2', 5, 1, 'DecimalExponent'],
    ['10.035M', 10_035_000_000, 10_035_000, 'DecimalSI'],
    ['1.2e3', 1_200_000, 1200, 'DecimalExponent'],
    ['1.3E+6', 1_300_000_000, 1_300_000, 'DecimalExponent'],
    ['1.40e9', 1_400_000_000_000, 1_400_000_000, 'DecimalExponent'],
    ['9.01', 9010, 10, 'DecimalSI'],
    ['8.1k', 8_100_000, 8100, 'DecimalSI'],
    ['7.123456M', 7_123_456_000, 7_123_456, 'DecimalSI'],
    ['6.987654321G', 6_987_654_321_000, 6_987_654_321, 'DecimalSI'],
    ['5.444T', 5_444_000_000_000_000, 5_444_000_000_000, 'DecimalSI'],
    ['2.5P', null, 2_500_000_000_000_000, 'DecimalSI'],
    ['3.001n', 1, 1, 'DecimalSI'],
    ['1.1E-9', 1, 1, 'DecimalExponent'],
    ['0.0000000001', 1, 1, 'DecimalSI'],
    ['0.00000012345', 1, 1, 'DecimalSI'],
    ['100.035Ki', 102_435_840, 102_436, 'BinarySI'],
    ['0.5Mi', 524_288_000, 524_288, 'BinarySI'],
    ['0.05Gi', 53_687_091_200, 53_687_092, 'BinarySI'],
    ['0.025Ti', 27_487_790_694_400, 27_487_790_695, 'BinarySI'],
    ['0.000000000001Ki', 1, 1, 'DecimalSI'], // rounds up to 2n and changes format
    ['.001', 1, 1, 'DecimalSI'],
    ['.0001k', 100, 1, 'DecimalSI'],
    ['1.', 1000, 1, 'DecimalSI'],
    ['1.G', 1_000_000_000_000, 1_000_000_000, 'DecimalSI'],
    ['+1Ki', 1_024_000, 1024, 'BinarySI'],
    ['01Gi', 1_073_741_824_000, 1_073_741_824, 'BinarySI'],
    ['1.5', 1500, 2, 'DecimalSI'],
    ['100m', 100, 1, 'DecimalSI'],
    ['0.1m', 1, 1, 'DecimalSI'],
    ['2Gi', 2_147_483_648_000, 2_147_483_648, 'BinarySI'],
    ['1.5Gi', 1_610_612_736_000, 1_610_612_736, 'BinarySI'],
    ['9007199254740991', null, 9_007_199_254_740_991, 'DecimalSI'],
    ['9007199254740.991', 9_007_199_254_740_991, 9_007_199_254_741, 'DecimalSI'],
  ];
  for (const [input, milli, units, format] of cases) {
    it(`reads ${JSON.stringify(input)} as ${milli ?? 'out of range'} thousandths and ${units ?? 'out of range'} units (${format})`, () => {
      const q = parseQuantity(input);
      assert.equal(q.format, format);
      if (milli === null) assert.throws(() => milliValue(q), { name: 'FieldError', expected: TOO_BIG_MILLI });
      else assert.equal(milliValue(q), milli);
      if (units === null) assert.throws(() => value(q), { name: 'FieldError', expected: TOO_BIG });
      else assert.equal(value(q), units);
    });
  }
});

describe('parseQuantity: rounding', () => {
  // Expectations from quantity_subnano_test.go (TestParseQuantitySubNanoRoundsUp),
  // quantity_test.go (TestQuantityRoundUp) and checked_accessors_test.go
  // (TestScaledValueSaturationAndRounding): parsing keeps nano precision,
  // rounding a finer non-zero value away from zero; Value/MilliValue round
  // away from zero as well.
  const cases: Array<[input: string, milli: number, units: number]> = [
    ['1e-2147483647', 1, 1],
    ['-1e-2147483647', -1, -1],
    ['1e-100', 1, 1],
    ['9e-10', 1, 1],
    ['-9e-10', -1, -1],
    ['15e-10', 1, 1],
    ['1000000000000000000000e-30', 1, 1],
    ['0e-2147483647', 0, 0],
    ['0.0e-100', 0, 0],
    ['0.00000000000000000000001Ki', 1, 1],
    ['-9.01', -9010, -10],
    ['-1.5', -1500, -2],
    ['-0.1m', -1, -1],
    ['-0', 0, 0],
  ];
  for (const [input, milli, units] of cases) {
    it(`rounds ${JSON.stringify(input)} to ${units} units`, () => {
      const q = parseQuantity(input);
      assert.equal(milliValue(q), milli);
      assert.equal(value(q), units);
    });
  }
  it('never returns negative zero', () => {
    assert.ok(Object.is(parseMilli('-0'), 0));
    assert.ok(Object.is(parseInteger('-0.0Gi'), 0));
  });
});

describe('parseQuantity: invalid spellings', () => {
  // Invalid inputs from quantity_test.go (TestQuantityParse `invalid`) and the
  // v1.37.0 decode corpus (testdata/quantity_decode_corpus.json, records "err"),
  // plus digit-less spellings that upstream's scanner lets through as 0 but
  // its documented grammar does not allow (see quantity.ts).
  const invalid = [
    '', ' 1', '1 ', '1.1.M', '1+1.0M', '0.1mi', '0.1am', 'aoeu', '.5i', '1i', '-3.01i', '-3.01e-',
    '1K', '1ki', '1KI', '1KiB', '1Zi', '1Z', '1µ', '1 Ki', '1e', '1e+', '1e-', '1e1.5', '1e.5', '1e3k',
    '1E3Ki', '1e+-3', '1..5', '1-', '++1', '--1', '1,5', '1_000', '0x10', '1/2', '１', '٣', '−1', '1\u0000',
    'Inf', '+Inf', 'NaN', 'Infinity', '1e2147483648', '1e99999999999999999999', '1gi', '1Gb', '1.5.5',
    // accepted by upstream's implementation as zero, rejected here:
    '.', '-', '+', '-.', 'Gi', 'm', 'k', '.m', 'e3',
  ];
  for (const input of invalid) {
    it(`rejects ${JSON.stringify(input)}`, () => {
      assert.throws(() => parseQuantity(input), FieldError);
    });
  }
  it('rejects non-finite numbers', () => {
    assert.throws(() => parseQuantity(Number.NaN), FieldError);
    assert.throws(() => parseQuantity(Number.POSITIVE_INFINITY), FieldError);
  });
});

describe('parseQuantity: error messages', () => {
  it('names the path, the expectation and the input', () => {
    assert.throws(() => parseQuantity('1Gb', 'spec.containers[0].resources.requests.memory'), {
      name: 'FieldError',
      message: 'spec.containers[0].resources.requests.memory: expected a Kubernetes quantity such as 100m, 1.5, 2Gi, 1e3, got "1Gb"',
      path: 'spec.containers[0].resources.requests.memory',
    });
  });
  it('omits the path prefix when there is none', () => {
    assert.throws(() => parseQuantity('1 Gi'), {
      message: 'expected a Kubernetes quantity such as 100m, 1.5, 2Gi, 1e3, got "1 Gi"',
    });
  });
  it('reports results beyond the safe integer range', () => {
    assert.throws(() => parseInteger('9007199254740992', 'limits.memory'), {
      message: 'limits.memory: expected a quantity at most 9007199254740991 (in base units), got "9007199254740992"',
    });
    assert.throws(() => parseInteger('-9Pi'), {
      message: 'expected a quantity at least -9007199254740991 (in base units), got "-9Pi"',
    });
    assert.throws(() => parseMilli('1e100', 'cpu'), { path: 'cpu', expected: TOO_BIG_MILLI });
    // Counted in thousandths, CPU's cap is 9007199254740991m: "1P" (10^15, under the cap in
    // base units) is 10^18m, over it, and the message says which bound.
    assert.throws(() => parseMilli('1P', 'requests.cpu'), {
      message: 'requests.cpu: expected a quantity at most 9007199254740991m (counted in thousandths), got "1P"',
    });
    assert.throws(() => parseNonNegativeMilli('1P'), QuantityRangeError);
    assert.throws(() => parseNonNegativeInteger('8Pi'), QuantityRangeError);
  });
  it('reports negative quantities where they are not allowed', () => {
    assert.throws(() => parseNonNegativeMilli('-100m', 'requests.cpu'), {
      message: 'requests.cpu: expected a non-negative quantity, got "-100m"',
    });
    assert.throws(() => parseNonNegativeInteger(-1, 'requests.pods'), {
      message: 'requests.pods: expected a non-negative quantity, got -1',
    });
  });
});

describe('parseMilli / parseInteger', () => {
  // YAML may give plain numbers; they are read as their decimal string.
  const cases: Array<[input: string | number, milli: number, units: number]> = [
    [2, 2000, 2],
    [1.5, 1500, 2],
    [0.1, 100, 1],
    [0.25, 250, 1],
    [1e-7, 1, 1],
    [4096, 4_096_000, 4096],
    ['250m', 250, 1],
    ['2', 2000, 2],
  ];
  for (const [input, milli, units] of cases) {
    it(`reads ${JSON.stringify(input)} as ${milli}m and ${units}`, () => {
      assert.equal(parseMilli(input), milli);
      assert.equal(parseInteger(input), units);
      assert.equal(parseNonNegativeMilli(input), milli);
      assert.equal(parseNonNegativeInteger(input), units);
    });
  }
  it('accepts zero and negative zero as non-negative', () => {
    assert.equal(parseNonNegativeMilli('0'), 0);
    assert.equal(parseNonNegativeInteger('-0'), 0);
  });
  it('passes negative quantities through the plain variants', () => {
    assert.equal(parseMilli('-250m'), -250);
    assert.equal(parseInteger('-1Ki'), -1024);
  });
});

describe('formatMilliCpu', () => {
  // Canonical DecimalSI spellings from quantity_test.go (TestMilliNewSet,
  // TestQuantityString): 1m, 1 (for 1000m), 1080m, 80m.
  const cases: Array<[milli: number, text: string]> = [
    [1, '1m'],
    [80, '80m'],
    [1000, '1'],
    [1080, '1080m'],
    [1500, '1500m'],
    [2000, '2'],
    [0, '0'],
    [-1500, '-1500m'],
  ];
  for (const [m, text] of cases) {
    it(`writes ${m} millicores as ${JSON.stringify(text)}`, () => {
      assert.equal(formatMilliCpu(m), text);
      assert.equal(parseMilli(text), m);
    });
  }
});

describe('formatBytes', () => {
  // BinarySI canonical forms from quantity_test.go (TestQuantityString,
  // TestQuantityParseEmit): 1Gi, 300Mi, 6Ki, 1001Gi, 1Ti, 1025.
  const cases: Array<[bytes: number, text: string]> = [
    [1024 * 1024 * 1024, '1Gi'],
    [300 * 1024 * 1024, '300Mi'],
    [6 * 1024, '6Ki'],
    [1001 * 1024 * 1024 * 1024, '1001Gi'],
    [1024 * 1024 * 1024 * 1024, '1Ti'],
    [1025, '1025'],
    [2_147_483_648, '2Gi'],
    [1536 * 1024 * 1024, '1536Mi'],
    [1500, '1500'],
    [0, '0'],
    [2 ** 50, '1Pi'],
  ];
  for (const [b, text] of cases) {
    it(`writes ${b} bytes as ${JSON.stringify(text)}`, () => {
      assert.equal(formatBytes(b), text);
      assert.equal(parseInteger(text), b);
    });
  }
  it('refuses values that are not safe integers', () => {
    assert.throws(() => formatBytes(1.5), RangeError);
    assert.throws(() => formatMilliCpu(2 ** 53), RangeError);
  });
});

describe('canonicalQuantity (Quantity.String)', () => {
  // Upstream apimachinery pkg/api/resource/quantity_test.go TestQuantityString: the amount as
  // mantissa × 10^exponent in a format, its canonical spelling, and an alternate spelling that
  // parses to the same canonical one.
  const q = (mantissa: number, exponent: number, format: QuantityFormat) => ({ mantissa: BigInt(mantissa), exponent, format, text: '' });
  const cases: Array<[ReturnType<typeof q>, string, string]> = [
    [q(1024 * 1024 * 1024, 0, 'BinarySI'), '1Gi', '1024Mi'],
    [q(300 * 1024 * 1024, 0, 'BinarySI'), '300Mi', '307200Ki'],
    [q(6 * 1024, 0, 'BinarySI'), '6Ki', ''],
    [q(1001 * 1024 * 1024 * 1024, 0, 'BinarySI'), '1001Gi', '1025024Mi'],
    [q(1024 * 1024 * 1024 * 1024, 0, 'BinarySI'), '1Ti', '1024Gi'],
    [q(5, 0, 'BinarySI'), '5', '5000m'],
    [q(500, -3, 'BinarySI'), '500m', '0.5'],
    [q(1, 9, 'DecimalSI'), '1G', '1000M'],
    [q(1000, 6, 'DecimalSI'), '1G', '0.001T'],
    [q(1000000, 3, 'DecimalSI'), '1G', ''],
    [q(1000000000, 0, 'DecimalSI'), '1G', ''],
    [q(1, -3, 'DecimalSI'), '1m', '1000u'],
    [q(80, -3, 'DecimalSI'), '80m', ''],
    [q(1080, -3, 'DecimalSI'), '1080m', '1.08'],
    [q(108, -2, 'DecimalSI'), '1080m', '1080000000n'],
    [q(10800, -4, 'DecimalSI'), '1080m', ''],
    [q(300, 6, 'DecimalSI'), '300M', ''],
    [q(1, 12, 'DecimalSI'), '1T', ''],
    [q(1234567, 6, 'DecimalSI'), '1234567M', ''],
    [q(1234567, -3, 'BinarySI'), '1234567m', ''],
    [q(3, 3, 'DecimalSI'), '3k', ''],
    [q(1025, 0, 'BinarySI'), '1025', ''],
    [q(0, 0, 'DecimalSI'), '0', ''],
    [q(0, 0, 'BinarySI'), '0', ''],
    [q(1, 9, 'DecimalExponent'), '1e9', '.001e12'],
    [q(1, -3, 'DecimalExponent'), '1e-3', '0.001e0'],
    [q(1, -9, 'DecimalExponent'), '1e-9', '1000e-12'],
    [q(80, -3, 'DecimalExponent'), '80e-3', ''],
    [q(300, 6, 'DecimalExponent'), '300e6', ''],
    [q(1, 12, 'DecimalExponent'), '1e12', ''],
    [q(1, 3, 'DecimalExponent'), '1e3', ''],
    [q(3, 3, 'DecimalExponent'), '3e3', ''],
    [q(0, 0, 'DecimalExponent'), '0', '00'],
    [q(1, -9, 'DecimalSI'), '1n', ''],
    [q(80, -9, 'DecimalSI'), '80n', ''],
    [q(1080, -9, 'DecimalSI'), '1080n', ''],
    [q(108, -8, 'DecimalSI'), '1080n', ''],
    [q(10800, -10, 'DecimalSI'), '1080n', ''],
    [q(1, -6, 'DecimalSI'), '1u', ''],
    [q(80, -6, 'DecimalSI'), '80u', ''],
    [q(1080, -6, 'DecimalSI'), '1080u', ''],
  ];
  for (const [amount, want, alternate] of cases) {
    it(`${amount.mantissa}e${amount.exponent} ${amount.format} is ${want}${alternate === '' ? '' : `, as is ${alternate}`}`, () => {
      assert.equal(canonicalQuantity(amount), want);
      assert.equal(canonicalQuantityText(want), want);
      if (alternate !== '') assert.equal(canonicalQuantityText(alternate), want);
      if (amount.mantissa !== 0n) assert.equal(canonicalQuantity({ ...amount, mantissa: -amount.mantissa }), `-${want}`);
    });
  }
  // TestQuantityParseEmit.
  const emit: Array<[string, string]> = [
    ['1Ki', '1Ki'], ['1Mi', '1Mi'], ['1Gi', '1Gi'], ['1024Mi', '1Gi'], ['1000M', '1G'],
    ['.001Ki', '1024m'], ['.000001Ki', '1024u'], ['.000000001Ki', '1024n'], ['.000000000001Ki', '2n'],
  ];
  for (const [input, want] of emit) {
    it(`${input} is written ${want}`, () => assert.equal(canonicalQuantityText(input), want));
  }
  it('writes what manifests commonly say as upstream prints it', () => {
    assert.deepEqual(['1.5Gi', '0.5Gi', '512Mi', '1000', '1024', '2', '2000m', '0.25', 1.5, 1073741824].map(canonicalQuantityText),
      ['1536Mi', '512Mi', '512Mi', '1k', '1024', '2', '2', '250m', '1500m', '1073741824']);
  });
});
