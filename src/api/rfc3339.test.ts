import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRfc3339Us } from './rfc3339.js';

const T0 = Date.UTC(2024, 4, 1, 12, 0, 0) * 1000; // 2024-05-01T12:00:00Z in µs

test('RFC 3339 times as metav1.Time and MicroTime write them; anything else is refused', () => {
  assert.equal(parseRfc3339Us('2024-05-01T12:00:00Z'), T0);
  assert.equal(parseRfc3339Us('2024-05-01T12:00:00.123456Z'), T0 + 123_456);
  assert.equal(parseRfc3339Us('2024-05-01T12:00:00.5Z'), T0 + 500_000);
  assert.equal(parseRfc3339Us('2024-05-01T14:00:00+02:00'), T0);
  assert.equal(parseRfc3339Us('2024-05-01T09:30:00-02:30'), T0);
  for (const bad of ['2024-05-01 12:00:00Z', '2024-05-01T12:00:00', '2024-02-30T12:00:00Z', '2024-13-01T12:00:00Z', '2024-05-01T24:00:00Z', 'yesterday', '']) {
    assert.equal(parseRfc3339Us(bad), null, bad);
  }
  assert.equal(parseRfc3339Us('2024-02-29T00:00:00Z'), Date.UTC(2024, 1, 29) * 1000, 'a leap day');
});
