// Parsing of Kubernetes quantities, which every manifest and node goes through.
import { Bench } from 'tinybench';
import { parseInteger, parseMilli } from '../src/api/quantity.js';
import type { BenchRow } from './bench-row.js';

const SAMPLES = ['100m', '1.5', '2Gi', '500Mi', '1e3', '250m', '16Gi', '4', '0.5', '128974848'];

export async function apiBenchmarks(timeMs = 1000): Promise<BenchRow[]> {
  let sink = 0;
  const name = 'quantity parsing';
  const bench = new Bench({ name: 'api', time: timeMs, throws: true });
  bench.add(name, () => {
    for (const s of SAMPLES) sink += s.endsWith('m') || !s.includes('i') ? parseMilli(s) : parseInteger(s);
  });
  await bench.run();
  if (sink === 0) throw new Error('no work');
  const r = bench.getTask(name)?.result;
  if (r === undefined || !('latency' in r)) throw new Error(`${name} did not complete`);
  return [{ name, metric: 'parses_per_s', value: Math.round((SAMPLES.length * 1000) / r.latency.mean), unit: 'parses/s' }];
}
