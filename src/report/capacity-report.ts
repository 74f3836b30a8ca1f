// The report of a capacity search folder (ksim capacity --nodes-for): capacity.csv has one row
// per probe (a count of the pool) — pool, count, met (true/false), then, as ksim writes it, round
// (the search round), target (METRIC OP VALUE), target_value (the metric's worst value over the
// probe's runs), ..., the headroom per resource (columns named *headroom*: cpu, memory, then after
// cost_per_hour one per extended resource, e.g. nvidia.com/gpu_headroom_ratio), and with several
// --target options one <metric>_target_value per target (target and target_value then name the
// first target the probe failed). A file without target_value gives the metric in the first other
// column after met. It shows each pool's probe curve (the metric per node count, met or not, the
// target line and the answer; one curve per target with several) and the headroom over counts. The answer is the one ksim capacity gave: run.json's count (and its
// inversions, the noise note), else, without run.json, the same rule over the rows — the fewest
// nodes above every count that failed, which is not the smallest count that met when the target
// was noisy (a larger count failed where a smaller one met).
import { join } from 'node:path';
import { InputError } from '../api/input-error.js';
import { isObject } from '../api/values.js';
import { findPlateau, formatCost } from '../capacity/nodes-for.js';
import { meets, targetsText, type Target, type TargetOp } from '../capacity/target.js';
import type { Figure } from './charts.js';
import { readAll, type CsvRow } from './csv-table.js';
import { naturalCompare } from './node-heatmap.js';
import type { Headline, ReportPage, Section } from './page.js';
import { capacityAbout, capacityScenarioFile, readJsonObject } from './provenance.js';
import { short } from './sweep-report.js';

interface Probe {
  /** "round 2", or "#3" (row order) in a file without rounds. */
  readonly label: string;
  readonly pool: string;
  readonly count: number;
  readonly met: boolean;
  readonly row: CsvRow;
}

/** METRIC OP VALUE, as ksim capacity --target takes it: pods_unbound_end=0, sched_latency_p99_ms<5000. */
const TARGET = /^\s*([A-Za-z0-9_][A-Za-z0-9_./-]*)\s*(<=|>=|<|>|=)\s*(-?[0-9.]+(?:e[-+]?\d+)?)\s*$/;

export function capacityReport(dir: string): ReportPage {
  const { header, rows } = readAll(dir, 'capacity.csv', ['pool', 'count', 'met']);
  const after = header.columns.slice(header.index('met') + 1);
  const headroom = after.filter((c) => c.includes('headroom'));
  // Several targets: one <metric>_target_value column each.
  const perTarget = after.filter((c) => c.endsWith('_target_value') && c !== 'target_value');
  const metric = header.has('target_value') ? 'target_value' : after.find((c) => !c.includes('headroom') && c !== 'round' && c !== 'target') ?? null;
  const probes: Probe[] = rows.map((r, i) => {
    const met = r.text('met');
    if (met !== 'true' && met !== 'false') throw r.error('met', 'true or false', JSON.stringify(met));
    const round = header.has('round') ? r.number('round') : null;
    return { label: round === null ? `#${i + 1}` : `round ${round}`, pool: r.text('pool'), count: r.number('count'), met: met === 'true', row: r };
  });
  if (probes.length === 0) throw new InputError(header.display, 0, 0, '', 'one probe row after the header', 'none');
  const pools = [...new Set(probes.map((p) => p.pool))].sort(naturalCompare);
  const json = readJsonObject(dir, 'run.json', 'the JSON object ksim capacity writes');
  const run = json === null ? null : capacityRun(join(dir, 'run.json'), json);
  const tolerate = run?.tolerate ?? null;
  const sections: Section[] = pools.map((pool): Section => {
    const ps = probes.filter((p) => p.pool === pool);
    // run.json is of one search, of one pool (options.pool).
    const searched = run !== null && run.count !== undefined && (run.pool === undefined || run.pool === pool) ? run : null;
    const answer = searched !== null ? (searched.count as number | null) : answerByRule(ps);
    const inversions = searched?.inversions ?? inversionsOf(ps);
    const atAnswer = ps.find((p) => p.count === answer);
    if (answer !== null && atAnswer?.met !== true) {
      throw new InputError(join(dir, 'run.json'), 0, 0, 'count', `a count capacity.csv has as met (${ps.filter((p) => p.met).map((p) => p.count).join(', ') || 'none'})`, String(answer));
    }
    const noise = answer === null || inversions.length === 0 ? '' : `The target is noisy at this margin (${inversions.map((x) => `${x.failed} failed it while ${x.met} met it`).join('; ')}): ${answer} is the fewest nodes above every count that failed; more --seeds make the answer steadier.`;
    const below = answer === null ? undefined : ps.find((p) => p.count === answer - 1);
    const target = TARGET.exec(header.has('target') ? (ps[0] as Probe).row.text('target') : '');
    const yLabel = metric === null ? 'target met (1) or not (0)' : target !== null ? (target[1] as string) : metric;
    const targets = perTarget.length > 0 ? targetsOf(perTarget, searched?.targets ?? null, ps) : null;
    const answerNote = `${answer === null ? 'No probe met the targets.' : `Answer: ${answer} nodes${below !== undefined ? `; ${answer - 1} did not meet them (${below.label})` : ''}.`}${noise === '' ? '' : ` ${noise}`}`;
    const figures: Figure[] = targets !== null ? targets.map(({ column, metric: m, target: t }): Figure => ({
      // One curve per target: its worst value per count, green where that target held.
      id: `probes-${slug(pool)}-${slug(m)}`,
      title: `Probe curve: ${pool}, ${m}`,
      note: `Each dot a probe, labelled with the search round it ran in; green: met ${t !== null ? t.text : `the ${m} target`} (the worst value over the probe's runs); a count is met when every target is. ${answerNote}`,
      chart: {
        type: 'probe',
        xLabel: `${pool} nodes`,
        yLabel: m,
        answer,
        target: t === null ? null : t.value,
        probes: ps.map((p) => {
          const value = p.row.numberOrNull(column);
          return { label: p.label, count: p.count, met: t === null ? p.met : meets(t, value ?? Number.NaN), value };
        }),
      },
    })) : [
      {
        id: `probes-${slug(pool)}`,
        title: `Probe curve: ${pool}`,
        note: `Each dot a probe, labelled with ${header.has('round') ? 'the search round it ran in' : 'its row'}; green: met${target !== null ? ` ${target[0].trim()}` : ' the target'}${metric === 'target_value' ? ' (the worst value over the probe\'s runs)' : ''}. ${answer === null ? 'No probe met the target.' : `Answer: ${answer} nodes${below !== undefined ? `; ${answer - 1} did not meet it (${below.label})` : ''}.`}${noise === '' ? '' : ` ${noise}`}`,
        chart: {
          type: 'probe',
          xLabel: `${pool} nodes`,
          yLabel,
          answer,
          target: target === null ? null : Number(target[3]),
          probes: ps.map((p) => ({ label: p.label, count: p.count, met: p.met, value: metric === null ? (p.met ? 1 : 0) : p.row.numberOrNull(metric) })),
        },
      },
    ];
    if (headroom.length > 0) {
      const percent = headroom.every((h) => h.endsWith('_ratio'));
      const sorted = [...ps].sort((a, b) => a.count - b.count);
      figures.push({
        id: `headroom-${slug(pool)}`,
        title: `Headroom per resource: ${pool}`,
        note: `capacity.csv's ${headroom.join(', ')} at each probed count.`,
        chart: { type: 'lines', x: sorted.map((p) => p.count), xLabel: `${pool} nodes`, yLabel: percent ? 'headroom (%)' : 'headroom', percent, series: headroom.map((h) => ({ name: h, values: sorted.map((p) => p.row.numberOrNull(h)) })), bands: [], integerX: true },
      });
    }
    const tolerating = tolerate === null || tolerate === 'none' ? '' : `, tolerating ${tolerate} at peak load`;
    const meeting = targets !== null ? (targets.every((x) => x.target !== null) ? targetsText(targets.map((x) => x.target as Target)) : `its ${targets.length} targets`) : target !== null ? target[0].trim() : 'the target';
    const headlines: Headline[] = [
      { label: 'Answer', value: answer === null ? 'none met' : `${answer} nodes`, hint: answer === null ? noAnswerHint(ps, target, metric, targets) : `fewest nodes meeting ${meeting}${tolerating}, above every count that failed ${targets !== null ? 'them' : 'it'}` },
      ...(noise === '' ? [] : [{ label: 'Noisy target', value: `${inversions.length} inversion${inversions.length === 1 ? '' : 's'}`, hint: noise }]),
      probesHeadline(ps),
    ];
    // The failure every met probe survived (run.json's --tolerate; none: fault-free runs only).
    if (tolerate === null) headlines.push({ label: 'Failure tolerated', value: 'unknown', hint: 'no run.json beside capacity.csv says which --tolerate the search had' });
    else if (tolerate === 'none') headlines.push({ label: 'Failure tolerated', value: 'none', hint: 'fault-free runs only (no --tolerate)' });
    else headlines.push({ label: 'Failure tolerated', value: tolerate, hint: answer === null ? 'at peak load (no probe met the target)' : 'at peak load, in every met probe' });
    if (atAnswer !== undefined && targets !== null) for (const x of targets) headlines.push({ label: `${x.metric} at the answer`, value: short(atAnswer.row.numberOrNull(x.column) ?? Number.NaN) });
    else if (atAnswer !== undefined && metric !== null) headlines.push({ label: `${yLabel} at the answer`, value: short(atAnswer.row.numberOrNull(metric) ?? Number.NaN) });
    // An extended resource (GPUs) with less headroom than cpu and memory runs out first: said as
    // ksim capacity says it (the first by name on a tie).
    const at = (h: string) => atAnswer?.row.numberOrNull(h) ?? Number.NaN;
    const basic = ['cpu_headroom_ratio', 'memory_headroom_ratio'];
    let least = Math.min(...basic.filter((h) => headroom.includes(h) && !Number.isNaN(at(h))).map(at));
    let scarce: string | null = null;
    for (const h of headroom) {
      if (!basic.includes(h) && at(h) < least) [least, scarce] = [at(h), h];
    }
    for (const h of headroom) {
      const v = atAnswer?.row.numberOrNull(h) ?? null;
      if (v === null) continue;
      const resource = h.replace(/_headroom_ratio$/, '');
      // The headroom is of the runs without the tolerated failure (README, capacity.csv's
      // cpu_headroom_ratio); beside a pool_*_requested_peak_ratio target, the worst over every
      // run, failure runs included, it reads as a contradiction (55.9 % beside 0.682) unless said.
      const peakTarget = (targets ?? []).find((x) => x.metric === `pool_${resource}_requested_peak_ratio`);
      const faultFree = tolerate === 'none' ? null : tolerate === null
        ? `1 − the pool's peak ${resource} requested ratio in the runs without a --tolerate failure, if the search had one`
        : `1 − the pool's peak ${resource} requested ratio in the runs without the --tolerate failure (${tolerate})${peakTarget !== undefined ? `; ${peakTarget.metric} above is the worst over every run, the failure runs included` : ''}`;
      const limits = h === scarce ? `the least headroom at the answer: ${resource} limits it` : null;
      const hint = [faultFree, limits].filter((x) => x !== null).join('; ');
      // One decimal of a percent, as ksim capacity prints it.
      headlines.push({ label: `${h} at the answer`, value: h.endsWith('_ratio') ? `${(v * 100).toFixed(1)} %` : short(v), ...(hint === '' ? {} : { hint }) });
    }
    // Rounded as ksim capacity prints it (3.00, not short()'s 3.005 of 3.0048).
    if (atAnswer !== undefined && atAnswer.row.text('cost_per_hour') !== '') headlines.push({ label: 'Cost at the answer', value: `${formatCost(atAnswer.row.number('cost_per_hour'))} per hour` });
    const shown = header.columns.filter((c) => c !== 'pool');
    return {
      id: `pool-${slug(pool)}`,
      title: `Pool ${pool}`,
      ...(searched !== null && searched.warnings.length > 0 ? { intro: searched.warnings.map((w) => `Warning: ${w}.`).join(' ') } : {}),
      headlines,
      figures,
      tables: [{ caption: `Probes of ${pool}`, columns: shown, rows: ps.map((p) => shown.map((c) => p.row.text(c))) }],
    };
  });
  const file = capacityScenarioFile(json);
  return { kind: 'ksim capacity', title: `${file === null ? '' : `${file} — `}${pools.join(', ')}: ${probes.length} probes`, about: capacityAbout(json), sections };
}

/** Each target of a file with several (its <metric>_target_value columns, in order): the target
 * itself from run.json's options.targets, else from the rows' target column (a target no probe
 * failed first may not be there: null). */
interface TargetColumn {
  readonly column: string;
  readonly metric: string;
  readonly target: Target | null;
}

function targetsOf(columns: readonly string[], fromRun: readonly string[] | null, ps: readonly Probe[]): TargetColumn[] {
  const texts = fromRun ?? [...new Set(ps.map((p) => p.row.text('target')))];
  const parsed = texts.map((x) => TARGET.exec(x)).filter((m): m is RegExpExecArray => m !== null).map((m): Target => ({ metric: m[1] as string, op: m[2] as TargetOp, value: Number(m[3]), text: m[0].trim() }));
  return columns.map((column) => {
    const metric = column.slice(0, -'_target_value'.length);
    return { column, metric, target: parsed.find((t) => t.metric === metric) ?? null };
  });
}

/** Why no count met the target, when ksim capacity stopped because more nodes did not help (its
 * rule, findPlateau, over the file's rows). */
function noAnswerHint(ps: readonly Probe[], target: RegExpExecArray | null, metric: string | null, targets: readonly TargetColumn[] | null): string {
  const v = (x: number) => (Number.isNaN(x) ? '(empty)' : short(x));
  if (targets !== null) {
    if (targets.some((x) => x.target === null)) return 'no probed count met the targets';
    const ts = targets.map((x) => x.target as Target);
    const points = ps.map((p) => ({ count: p.count, met: p.met, runs: p.row.numberOrNull('runs') ?? 1, targetValues: targets.map((x) => p.row.numberOrNull(x.column) ?? Number.NaN) }));
    const plateau = findPlateau(ts, points);
    if (plateau === null) return `no probed count met ${targetsText(ts)}`;
    const { from, to } = plateau;
    return `more nodes did not help: ${ts.flatMap((t, k) => (meets(t, to.targetValues[k] as number) ? [] : [`${t.metric} ${v(from.targetValues[k] as number)} at ${from.count} nodes, ${v(to.targetValues[k] as number)} at ${to.count}`])).join('; ')}`;
  }
  if (target === null || metric === null) return 'no probed count met the target';
  const t: Target = { metric: target[1] as string, op: target[2] as TargetOp, value: Number(target[3]), text: target[0].trim() };
  const points = ps.map((p) => ({ count: p.count, met: p.met, runs: p.row.numberOrNull('runs') ?? 1, targetValues: [p.row.numberOrNull(metric) ?? Number.NaN] }));
  const plateau = findPlateau(t, points);
  if (plateau === null) return `no probed count met ${t.text}`;
  return `more nodes did not help: ${t.metric} ${v(plateau.from.targetValues[0] as number)} at ${plateau.from.count} nodes, ${v(plateau.to.targetValues[0] as number)} at ${plateau.to.count}`;
}

/** ksim capacity's rule over the rows: the fewest met count above every count that failed
 * (null: none). Counts below a floor, not run, are failed rows below every count run. */
export function answerByRule(ps: readonly { readonly count: number; readonly met: boolean }[]): number | null {
  const failed = Math.max(-1, ...ps.filter((p) => !p.met).map((p) => p.count));
  const above = ps.filter((p) => p.met && p.count > failed).map((p) => p.count);
  return above.length === 0 ? null : Math.min(...above);
}

/** Each met count below a failed one, with the smallest failed count above it (as ksim capacity
 * pairs them when it finds them). */
function inversionsOf(ps: readonly Probe[]): { failed: number; met: number }[] {
  const out: { failed: number; met: number }[] = [];
  for (const m of ps.filter((p) => p.met).sort((a, b) => a.count - b.count)) {
    const failedAbove = ps.filter((p) => !p.met && p.count > m.count).map((p) => p.count);
    if (failedAbove.length > 0) out.push({ failed: Math.min(...failedAbove), met: m.count });
  }
  return out;
}

/** What the report reads of the run.json ksim capacity writes beside capacity.csv: the failure
 * tolerated (options.tolerate: 'zone-outage', '2 nodes', 'none'), the pool, and the search's
 * answer (count, null when none met) and inversions; null without run.json. */
interface CapacityRun {
  readonly tolerate: string | null;
  readonly pool: string | undefined;
  readonly count: number | null | undefined;
  readonly inversions: readonly { readonly failed: number; readonly met: number }[] | undefined;
  /** What ksim capacity warned of its answer (pods it leaves unplaced). */
  readonly warnings: readonly string[];
  /** options.targets: each --target as METRIC OP VALUE (absent before several were allowed). */
  readonly targets: readonly string[] | null;
}

function capacityRun(file: string, v: Record<string, unknown>): CapacityRun {
  const bad = (path: string, expected: string, got: unknown) => new InputError(file, 0, 0, path, expected, JSON.stringify(got));
  const options = isObject(v) && isObject(v['options']) ? v['options'] : {};
  const t = options['tolerate'];
  if (t !== undefined && typeof t !== 'string') throw bad('options.tolerate', "'none', 'zone-outage' or 'N nodes'", t);
  const pool = options['pool'];
  if (pool !== undefined && typeof pool !== 'string') throw bad('options.pool', 'a pool name', pool);
  const count = isObject(v) ? v['count'] : undefined;
  if (count !== undefined && count !== null && !Number.isSafeInteger(count)) throw bad('count', 'a count of nodes or null', count);
  const inv = isObject(v) ? v['inversions'] : undefined;
  const pair = (x: unknown) => isObject(x) && Number.isSafeInteger(x['failed']) && Number.isSafeInteger(x['met']);
  if (inv !== undefined && !(Array.isArray(inv) && inv.every(pair))) throw bad('inversions', 'a list of {"failed": N, "met": M}', inv);
  const targets = options['targets'];
  if (targets !== undefined && !(Array.isArray(targets) && targets.every((x) => typeof x === 'string' && TARGET.test(x)))) throw bad('options.targets', 'a list of targets, METRIC OP VALUE each', targets);
  const warnings = isObject(v) ? v['warnings'] ?? [] : [];
  if (!(Array.isArray(warnings) && warnings.every((w) => typeof w === 'string'))) throw bad('warnings', 'a list of strings', warnings);
  return {
    tolerate: (t as string | undefined) ?? null,
    pool: pool as string | undefined,
    count: count as number | null | undefined,
    inversions: (inv as { failed: number; met: number }[] | undefined)?.map((x) => ({ failed: x.failed, met: x.met })),
    warnings: warnings as string[],
    targets: (targets as string[] | undefined) ?? null,
  };
}

function slug(s: string): string {
  return s.replace(/[^A-Za-z0-9_-]/g, '-');
}

/** How many counts were run, and their range; counts shown but not run (below the faults' or
 * the tolerance's floor) are said apart. */
function probesHeadline(ps: readonly { readonly count: number; readonly row: { number(c: string): number } }[]): Headline {
  const ran = ps.filter((p) => p.row.number('runs') > 0);
  const notRun = ps.length - ran.length;
  const range = ran.length === 0 ? 'none run' : `counts ${Math.min(...ran.map((p) => p.count))} … ${Math.max(...ran.map((p) => p.count))}`;
  return { label: 'Probes', value: String(ran.length), hint: `${range}${notRun > 0 ? ` (+${notRun} below a floor, not run)` : ''}` };
}
