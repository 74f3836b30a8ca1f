// The report of a capacity search folder (ksim capacity --nodes-for): capacity.csv has one row
// per probe, in the order they ran — pool, count, met (true/false), the target metric's value,
// then the headroom per resource (columns named *headroom*). It shows each pool's probe curve
// (the metric per node count, met or not, and the answer: the smallest count that met it) and
// the headroom over counts.
import { InputError } from '../api/input-error.js';
import type { Figure } from './charts.js';
import { readAll, type CsvRow } from './csv-table.js';
import { naturalCompare } from './node-heatmap.js';
import type { ReportPage, Section } from './page.js';
import { short } from './sweep-report.js';

interface Probe {
  readonly order: number;
  readonly pool: string;
  readonly count: number;
  readonly met: boolean;
  readonly row: CsvRow;
}

export function capacityReport(dir: string): ReportPage {
  const { header, rows } = readAll(dir, 'capacity.csv', ['pool', 'count', 'met']);
  const after = header.columns.slice(header.index('met') + 1);
  const headroom = after.filter((c) => c.includes('headroom'));
  const metric = after.find((c) => !c.includes('headroom')) ?? null;
  const probes: Probe[] = rows.map((r, i) => {
    const met = r.text('met');
    if (met !== 'true' && met !== 'false') throw r.error('met', 'true or false', JSON.stringify(met));
    return { order: i + 1, pool: r.text('pool'), count: r.number('count'), met: met === 'true', row: r };
  });
  if (probes.length === 0) throw new InputError(header.display, 0, 0, '', 'one probe row after the header', 'none');
  const pools = [...new Set(probes.map((p) => p.pool))].sort(naturalCompare);
  const sections: Section[] = pools.map((pool): Section => {
    const ps = probes.filter((p) => p.pool === pool);
    const metCounts = ps.filter((p) => p.met).map((p) => p.count);
    const answer = metCounts.length > 0 ? Math.min(...metCounts) : null;
    const below = answer === null ? undefined : ps.find((p) => p.count === answer - 1);
    const yLabel = metric ?? 'target met (1) or not (0)';
    const figures: Figure[] = [
      {
        id: `probes-${slug(pool)}`,
        title: `Probe curve: ${pool}`,
        note: `Each dot a probe (#n: the order they ran), ${metric === null ? 'met or not' : `its ${metric}`}; green: target met. ${answer === null ? 'No probe met the target.' : `Answer: ${answer} nodes${below !== undefined ? `; ${answer - 1} did not meet it (probe #${below.order})` : ''}.`}`,
        chart: {
          type: 'probe',
          xLabel: `${pool} nodes`,
          yLabel,
          answer,
          probes: ps.map((p) => ({ order: p.order, count: p.count, met: p.met, value: metric === null ? (p.met ? 1 : 0) : p.row.numberOrNull(metric) ?? 0 })),
        },
      },
    ];
    if (headroom.length > 0) {
      const sorted = [...ps].sort((a, b) => a.count - b.count || a.order - b.order);
      figures.push({
        id: `headroom-${slug(pool)}`,
        title: `Headroom per resource: ${pool}`,
        note: `capacity.csv's ${headroom.join(', ')} at each probed count.`,
        chart: {
          type: 'lines',
          x: sorted.map((p) => p.count),
          xLabel: `${pool} nodes`,
          yLabel: headroom.every((h) => h.endsWith('_ratio')) ? 'headroom (%)' : 'headroom',
          percent: headroom.every((h) => h.endsWith('_ratio')),
          series: headroom.map((h) => ({ name: h, values: sorted.map((p) => p.row.numberOrNull(h)) })),
          bands: [],
        },
      });
    }
    return {
      id: `pool-${slug(pool)}`,
      title: `Pool ${pool}`,
      headlines: [
        { label: 'Answer', value: answer === null ? 'none met' : `${answer} nodes`, hint: 'smallest count that met the target' },
        { label: 'Probes', value: String(ps.length), hint: `counts ${Math.min(...ps.map((p) => p.count))} … ${Math.max(...ps.map((p) => p.count))}` },
        ...(metric !== null && answer !== null ? [{ label: `${metric} at the answer`, value: short(ps.find((p) => p.count === answer)?.row.numberOrNull(metric) ?? Number.NaN) }] : []),
      ],
      figures,
      tables: [{ caption: `Probes of ${pool}, in the order they ran`, columns: ['probe', ...header.columns.filter((c) => c !== 'pool')], rows: ps.map((p) => [`#${p.order}`, ...header.columns.filter((c) => c !== 'pool').map((c) => p.row.text(c))]) }],
    };
  });
  return { kind: 'ksim capacity', title: `${pools.join(', ')}: ${probes.length} probes`, sections };
}

function slug(s: string): string {
  return s.replace(/[^A-Za-z0-9_-]/g, '-');
}
