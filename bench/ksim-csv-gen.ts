// Generates a ksim-csv trace (deterministic per seed): pods arriving at a fixed rate, each
// running an exponentially distributed time, so about rate × mean duration are live at once.
// Used by the streaming benchmark (bench/trace.bench.ts) and for the shipped example
// scenarios/traces/ksim-csv-example.csv (`node dist/bench/ksim-csv-gen.js example`).
import { closeSync, openSync, writeSync } from 'node:fs';
import { RandomStreams } from '../src/engine/random.js';

export interface GenOptions {
  readonly rows: number;
  readonly perSecond: number;
  readonly meanDurationS: number;
  readonly seed?: number;
  /** Varied columns (labels, selectors, tolerations, GPUs, deletions) for the example. */
  readonly rich?: boolean;
}

export function generateKsimCsv(path: string, o: GenOptions): void {
  const rng = new RandomStreams(o.seed ?? 1).stream('trace-gen');
  const fd = openSync(path, 'w');
  const header = o.rich === true ? 'time_s,name,namespace,cpu,memory,duration_s,delete_s,labels,node_selector,tolerations,nvidia.com/gpu' : 'time_s,name,cpu,memory,duration_s';
  let buf = `${header}\n`;
  for (let i = 0; i < o.rows; i++) {
    const t = (i / o.perSecond).toFixed(3);
    const d = (-Math.log(1 - rng.next()) * o.meanDurationS).toFixed(1);
    if (o.rich !== true) buf += `${t},p-${i},100m,256Mi,${d}\n`;
    else {
      const kind = rng.int(10);
      const gpu = kind === 0 ? '1' : '';
      const cpu = ['250m', '500m', '1', '2'][rng.int(4)] as string;
      const mem = ['256Mi', '1Gi', '2Gi', '4Gi'][rng.int(4)] as string;
      const ns = kind < 3 ? 'batch' : 'web';
      // A tenth of the web pods run until deleted by the trace; batch pods run their duration.
      const longRunning = ns === 'web' && kind === 9;
      const del = longRunning ? (i / o.perSecond + Number(d) * 3).toFixed(3) : '';
      const dur = longRunning ? '' : d;
      const sel = kind === 0 ? 'accelerator=gpu' : '';
      const tol = kind === 0 ? 'nvidia.com/gpu:NoSchedule' : '';
      buf += `${t},${ns}-${i},${ns},${cpu},${mem},${dur},${del},app=${ns};tier=t${kind % 3},${sel},${tol},${gpu}\n`;
    }
    if (buf.length > 1 << 20) {
      writeSync(fd, buf);
      buf = '';
    }
  }
  writeSync(fd, buf);
  closeSync(fd);
}

if (process.argv[2] === 'example') {
  generateKsimCsv(process.argv[3] ?? 'scenarios/traces/ksim-csv-example.csv', { rows: 400, perSecond: 0.5, meanDurationS: 120, rich: true, seed: 7 });
}
