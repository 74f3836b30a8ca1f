// The report in a real browser (issue 11 item 5): Debian's Chromium, driven by playwright-core
// (no browser download), opens the report of the zone-outage run and of the sweep and capacity
// fixtures with every network request refused, and checks that each chart drew its marks, that
// nothing was logged as an error, that the page fits a laptop screen and that print hides the
// navigation.
// Screenshots go to results/report/ for people to look at. Skipped, saying so, when
// /usr/bin/chromium (or $KSIM_CHROMIUM) is absent; .ci/run installs it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { renderReport } from '../src/report/report.js';
import { REPO_ROOT, repoPath } from '../src/testing/repo-paths.js';
import { loadScenario, parseMatrix, runScenario, runSweep, toCsv, writeOutputsAtomically } from '../src/index.js';
import { tempDir } from '../src/testing/temp-dir.js';

const CHROMIUM = process.env['KSIM_CHROMIUM'] ?? '/usr/bin/chromium';
const SHOTS = join(REPO_ROOT, 'results', 'report');
const skip = existsSync(CHROMIUM) ? false : `no Chromium at ${CHROMIUM} (apt-get install chromium, or set KSIM_CHROMIUM): the browser test is skipped`;
if (skip !== false) process.stderr.write(`report-browser: ${skip}\n`);

interface Opened {
  readonly page: Page;
  readonly errors: string[];
  readonly requests: string[];
}

/** Opens `file` at laptop size with every non-file request refused (and recorded). */
async function open(browser: Browser, file: string): Promise<Opened> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') errors.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  await page.route('**/*', async (route) => {
    const url = route.request().url();
    if (url.startsWith('file:')) return route.continue();
    requests.push(url);
    return route.abort();
  });
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  return { page, errors, requests };
}

/** Per chart: the shapes each of its mark groups drew (Plot labels each mark's <g> with
 * aria-label: "line", "bar", "dot", ...; facets nest the shapes one level deeper). Run in the page
 * as text: this file is compiled without the DOM's types. */
const MARKS_IN_PAGE = `Object.fromEntries(Array.from(document.querySelectorAll('figure.chart')).map((f) => {
  const counts = {};
  for (const g of f.querySelectorAll('svg g[aria-label]')) {
    const label = g.getAttribute('aria-label');
    if (/axis|grid|tip|frame|facet/.test(label)) continue;
    counts[label] = (counts[label] || 0) + g.querySelectorAll('rect, path, circle, line, text').length;
  }
  return [f.id, counts];
}))`;

async function marks(page: Page): Promise<Record<string, Record<string, number>>> {
  return (await page.evaluate(MARKS_IN_PAGE)) as Record<string, Record<string, number>>;
}

/** Per chart, the texts it drew that its SVG cuts (a label past the chart's edge): "id: text". */
const CLIPPED_IN_PAGE = `Array.from(document.querySelectorAll('figure.chart')).flatMap((f) => {
  const svgs = Array.from(f.querySelectorAll('.plot svg')).filter((s) => !s.parentElement.closest('svg'));
  // An SVG whose overflow is visible (Plot's colour legends) cuts nothing.
  return svgs.filter((svg) => getComputedStyle(svg).overflow !== 'visible').flatMap((svg) => {
    const box = svg.getBoundingClientRect();
    return Array.from(svg.querySelectorAll('text')).filter((t) => {
      const r = t.getBoundingClientRect();
      return r.width > 0 && (r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1 || r.bottom > box.bottom + 1);
    }).map((t) => f.id + ': ' + t.textContent);
  });
})`;

async function clipped(page: Page): Promise<string[]> {
  return (await page.evaluate(CLIPPED_IN_PAGE)) as string[];
}

/** The page at `width` pixels, once the charts are drawn again (the page redraws 150 ms after a resize). */
async function atWidth(page: Page, width: number): Promise<void> {
  await page.setViewportSize({ width, height: 800 });
  await page.waitForTimeout(400);
}

async function checkLayout(o: Opened, name: string): Promise<void> {
  assert.deepEqual(o.errors, [], `${name}: console errors`);
  assert.deepEqual(o.requests, [], `${name}: network requests`);
  // Readable at laptop width: nothing wider than the window.
  assert.equal(await o.page.evaluate('document.documentElement.scrollWidth <= window.innerWidth'), true, `${name}: wider than the window`);
  // No label cut at a chart's edge, at laptop and at phone width.
  assert.deepEqual(await clipped(o.page), [], `${name}: labels cut at 1280 px`);
  await atWidth(o.page, 390);
  assert.deepEqual(await clipped(o.page), [], `${name}: labels cut at 390 px`);
  await atWidth(o.page, 1280);
  await o.page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  await o.page.emulateMedia({ media: 'print' });
  assert.equal(await o.page.evaluate("getComputedStyle(document.querySelector('nav')).display"), 'none', `${name}: print shows the navigation`);
  // On A4 (210 mm less the 12 mm margins: 703 CSS pixels) no table or chart runs off the page.
  await atWidth(o.page, 703);
  assert.deepEqual(await o.page.evaluate(OFF_THE_PAGE), [], `${name}: cut on an A4 page`);
  await atWidth(o.page, 1280);
  await o.page.emulateMedia({ media: 'screen' });
  // On screen a table wider than the column says it scrolls sideways.
  assert.deepEqual(await o.page.evaluate("Array.from(document.querySelectorAll('.table')).filter((t) => t.scrollWidth > t.clientWidth + 1 && !t.classList.contains('wide')).map((t) => t.querySelector('caption').textContent)"), [], `${name}: a wide table without its note`);
}

/** Tables and charts shown that end right of the page (the window's width), as "TAG caption: right". */
const OFF_THE_PAGE = `Array.from(document.querySelectorAll('table, figure.chart svg')).filter((e) => e.getClientRects().length > 0).filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1).map((e) => e.tagName + ' ' + ((e.querySelector('caption') || {}).textContent || e.closest('figure').id) + ': ' + Math.round(e.getBoundingClientRect().right))`;

test('the reports of a run with a zone outage, of a sweep and of a capacity search draw every chart in Chromium, offline, without errors', { skip, timeout: 120_000 }, async () => {
  const { chromium } = await import('playwright-core');
  mkdirSync(SHOTS, { recursive: true });
  const dir = tempDir('ksim-report-browser-');
  // The run in-process (ksim run --report is tested in test/report.test.ts): its CSVs, then the report.
  const run = runScenario(loadScenario(repoPath('scenarios/zone-outage.yaml')));
  writeOutputsAtomically(join(dir, 'zone-outage'), run.tables.map((t) => ({ file: t.file, content: toCsv(t) })), 'browser-test');
  writeFileSync(join(dir, 'zone-outage', 'report.html'), renderReport(join(dir, 'zone-outage')).html);
  const sweepHtml = join(dir, 'sweep.html');
  writeFileSync(sweepHtml, renderReport(repoPath('test/fixtures/report/sweep')).html);
  const capacityHtml = join(dir, 'capacity.html');
  writeFileSync(capacityHtml, renderReport(repoPath('test/fixtures/report/capacity')).html);

  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  try {
    const zo = await open(browser, join(dir, 'zone-outage', 'report.html'));
    const m = await marks(zo.page);
    assert.deepEqual(Object.keys(m), ['allocation', 'pods', 'heatmap-cpu', 'heatmap-memory', 'fault-timeline']);
    assert.equal(m['allocation']?.['line'], 2); // cpu, memory
    assert.equal(m['allocation']?.['rect'], 1); // the outage window
    assert.equal(m['allocation']?.['dot'], 1); // the peak summary.csv reports, at requested_peak_s
    const peak = await zo.page.$$eval('#allocation svg text', (ts) => ts.map((t) => t.textContent ?? '').filter((t) => t.includes('peak')));
    assert.equal(peak.length, 2, peak.join(' | ')); // cpu at its time, memory as a level
    assert.equal(m['pods']?.['line'], 3); // pending, running, available
    // 12 nodes × 30 bins, then the 4 zone-a nodes outlined over the outage.
    assert.equal(m['heatmap-cpu']?.['bar'], 12 * 30 + 4);
    assert.equal(m['heatmap-memory']?.['bar'], 12 * 30 + 4);
    assert.equal(m['fault-timeline']?.['bar'], 4);
    assert.equal(m['fault-timeline']?.['dot'], 3);
    const timeline = await zo.page.$eval('#fault-timeline .plot', (p) => p.textContent ?? '');
    for (const t of ['f1 zoneOutage zone=zone-a', 'NotReady 170 s', 'first eviction 485 s', 'whole again 516 s (+396 s from the start)']) assert.ok(timeline.includes(t), t);
    await checkLayout(zo, 'zone-outage');
    // recovery.csv's 15 columns print transposed: a row per column, a column per fault.
    await zo.page.emulateMedia({ media: 'print' });
    const printed = await zo.page.$$eval('#faults .table', (ts) => ts.filter((t) => t.getClientRects().length > 0).map((t) => t.querySelector('caption')?.textContent + ' ' + t.querySelectorAll('tbody tr').length));
    assert.deepEqual(printed, ['recovery.csv (transposed to fit the page) 14']);
    await zo.page.emulateMedia({ media: 'screen' });
    for (const id of ['over-time', 'nodes', 'faults']) await zo.page.locator(`#${id}`).screenshot({ path: join(SHOTS, `zone-outage-${id}.png`) });

    const sw = await open(browser, sweepHtml);
    const s = await marks(sw.page);
    const ids = Object.keys(s);
    assert.equal(ids.length, 12); // 6 key metrics: distribution and by matrix value
    // pods_unbound_end is 0 in every run: said in words, no chart.
    const constant = ['dist-pods_unbound_end', 'matrix-pods_unbound_end'];
    for (const id of constant) assert.deepEqual(s[id], {}, id);
    assert.deepEqual(await sw.page.$$eval('.plot .constant', (ps) => ps.map((p) => p.textContent)), ['all 11 runs: 0', 'all 11 runs: 0, in each of the 2 combinations']);
    for (const id of ids.filter((i) => i.startsWith('dist-') && !constant.includes(i))) assert.ok((s[id]?.['rect'] ?? 0) >= 1, `${id} drew no bars`);
    // Box plots: one box per matrix value (count 9, count 12).
    for (const id of ids.filter((i) => i.startsWith('matrix-') && !constant.includes(i))) assert.equal(s[id]?.['bar'], 2, id);
    await checkLayout(sw, 'sweep');
    await sw.page.locator('#matrix').screenshot({ path: join(SHOTS, 'sweep-matrix.png') });

    const cap = await open(browser, capacityHtml);
    const c = await marks(cap.page);
    assert.deepEqual(Object.keys(c), ['probes-general', 'headroom-general']);
    assert.equal(c['probes-general']?.['dot'], 8); // one per probe
    assert.equal(c['probes-general']?.['line'], 1);
    assert.equal(c['headroom-general']?.['line'], 2); // cpu, memory
    await checkLayout(cap, 'capacity');
    await cap.page.locator('#probes-general').screenshot({ path: join(SHOTS, 'capacity-probes.png') });
  } finally {
    await browser.close();
  }
});

test('labels stay inside the charts: the capacity answer that is the largest count probed, the box plots of two --matrix axes, a fault not whole by the end of the run', { skip, timeout: 120_000 }, async () => {
  const { chromium } = await import('playwright-core');
  mkdirSync(SHOTS, { recursive: true });
  const dir = tempDir('ksim-report-browser-edge-');
  // ksim capacity scenarios/capacity.yaml --nodes-for general --tolerate zone-outage --target
  // missing=0 --target 'pool_cpu_requested_peak_ratio<=0.7' --target 'pool_memory_requested_peak_ratio<=0.7':
  // 17 nodes, the largest count it probed (README "ksim capacity").
  const cap = join(dir, 'cap');
  mkdirSync(cap);
  writeFileSync(join(cap, 'capacity.csv'), `pool,count,met,round,target,target_value,runs,runs_met,worst_run,cpu_headroom_ratio,memory_headroom_ratio,cost_per_hour,missing_target_value,pool_cpu_requested_peak_ratio_target_value,pool_memory_requested_peak_ratio_target_value
general,12,false,1,missing=0,2,4,1,"seed 1, zone-outage zone-a at 0.032121s",0.375,0.947917,2.4,2,0.75,0.0625
general,14,false,2,missing=0,1,4,1,"seed 1, zone-outage zone-a at 0.039998s",0.464286,0.955357,2.8,1,0.75,0.0625
general,15,false,2,pool_cpu_requested_peak_ratio<=0.7,0.75,4,1,"seed 1, zone-outage zone-a at 0.030186s",0.5,0.958333,3,0,0.75,0.0625
general,16,false,3,pool_cpu_requested_peak_ratio<=0.7,0.75,4,3,"seed 1, zone-outage zone-a at 0.026657s",0.53125,0.960938,3.2,0,0.75,0.0625
general,17,true,3,missing=0,0,4,4,seed 1,0.558824,0.963235,3.4,0,0.681818,0.056818
`);
  writeFileSync(join(cap, 'run.json'), JSON.stringify({ ksim_version: '0.1.0', command: 'capacity --nodes-for', scenario: 'scenarios/capacity.yaml', options: { pool: 'general', targets: ['missing=0', 'pool_cpu_requested_peak_ratio<=0.7', 'pool_memory_requested_peak_ratio<=0.7'], tolerate: 'zone-outage', seeds: [1], set: [] }, count: 17, inversions: [], warnings: [] }));
  writeFileSync(join(dir, 'cap.html'), renderReport(cap).html);
  // zone-a down for good on 3 nodes with 30 replicas: the workloads are not whole by the end.
  const set = ['cluster.nodePools[0].count=3', 'workload[1].manifest.spec.replicas=30', 'faults[0].zoneOutage.for=forever'];
  const run = runScenario(loadScenario(repoPath('scenarios/zone-outage.yaml'), { set }));
  writeOutputsAtomically(join(dir, 'zf'), run.tables.map((t) => ({ file: t.file, content: toCsv(t) })), 'browser-test');
  writeFileSync(join(dir, 'zf.html'), renderReport(join(dir, 'zf')).html);

  const sw2 = join(dir, 'sw2');
  mkdirSync(sw2);
  const head = 'run_id,seed,cluster.nodePools[0].count,workload[1].manifest.spec.replicas,status,scenario,pods_unbound_end,sched_latency_p99_ms';
  const rows = [[3, 6, 0, 9.1], [3, 30, 12, 11.5], [6, 6, 0, 8.2], [6, 30, 0, 10.3]].flatMap(([count, replicas, unbound, p99], i) => [1, 2].map((seed) => `r${i}${seed},${seed},${count},${replicas},ok,zone-outage,${unbound},${(p99 as number) + seed}`));
  writeFileSync(join(sw2, 'sweep.csv'), [head, ...rows].join('\n') + '\n');
  writeFileSync(join(dir, 'sw2.html'), renderReport(sw2).html);

  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  try {
    const c = await open(browser, join(dir, 'cap.html'));
    for (const width of [1280, 390]) {
      await atWidth(c.page, width);
      const texts = await c.page.$$eval('#probes-general-missing svg text', (ts) => ts.map((t) => t.textContent));
      assert.ok(texts.includes('answer: 17'), `${width} px: ${texts.join(' | ')}`);
      assert.deepEqual(await clipped(c.page), [], `capacity at ${width} px`);
    }
    await checkLayout(c, 'capacity-largest-answer');
    // Two --matrix axes (ksim sweep scenarios/zone-outage.yaml --matrix
    // 'cluster.nodePools[0].count=3,6' --matrix 'workload[1].manifest.spec.replicas=6,30'): the
    // box plots' labels were the paths in full, cut at their start.
    const w = await open(browser, join(dir, 'sw2.html'));
    const ticks = await w.page.$$eval('#matrix-pods_unbound_end svg [aria-label="y-axis tick label"] text', (ts) => ts.map((t) => t.textContent));
    assert.deepEqual(ticks, ['count=3, replicas=6', 'count=3, replicas=30', 'count=6, replicas=6', 'count=6, replicas=30']);
    await checkLayout(w, 'sweep-two-axes');
    const z = await open(browser, join(dir, 'zf.html'));
    const timeline = await z.page.$eval('#fault-timeline .plot', (p) => p.textContent ?? '');
    assert.ok(timeline.includes('not whole by the end'), timeline);
    await checkLayout(z, 'zone-outage-forever');
  } finally {
    await browser.close();
  }
});

test('the GPU sections of a GPU-sharing run and sweep draw in Chromium: the FGD paper\'s curves, mean ± sd per score plugin', { skip, timeout: 120_000 }, async () => {
  const { chromium } = await import('playwright-core');
  mkdirSync(SHOTS, { recursive: true });
  const dir = tempDir('ksim-report-browser-gpu-');
  const scenario = repoPath('test/fixtures/report/gpu/scenario.yaml');
  const run = runScenario(loadScenario(scenario));
  writeOutputsAtomically(join(dir, 'run'), run.tables.map((t) => ({ file: t.file, content: toCsv(t) })), 'browser-test');
  writeFileSync(join(dir, 'run.html'), renderReport(join(dir, 'run')).html);
  // 3 score plugins × seeds 1-3, each run's folder with its gpu_allocation.csv.
  await runSweep({ scenario, seeds: [1, 2, 3], matrix: [parseMatrix('scheduler.config.profiles[0].plugins.score.enabled[0].name=DotProductScore,GpuClusteringScore,BestFitScore')], output: join(dir, 'sweep'), workers: 1 });
  writeFileSync(join(dir, 'sweep.html'), renderReport(join(dir, 'sweep')).html);

  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  try {
    const r = await open(browser, join(dir, 'run.html'));
    const m = await marks(r.page);
    // A 30 s run has one sample: no time-series charts (their axes read 0.000000 before).
    assert.deepEqual(Object.keys(m), ['gpu-unallocated', 'gpu-unallocated-zoom', 'gpu-frag-ratio', 'heatmap-cpu', 'heatmap-memory', 'heatmap-gpu-0']);
    assert.equal(m['heatmap-cpu']?.['bar'], 12 * 30); // 12 nodes × 30 cells of 1 s
    assert.equal(m['heatmap-gpu-0']?.['bar'], 12 * 30); // alibaba.com/gpu-milli: every node has GPUs
    assert.equal(m['gpu-unallocated']?.['line'], 4); // unallocated, fragmented, fragmented for GPU pods, ideal
    assert.equal(m['gpu-unallocated-zoom']?.['line'], 3);
    assert.equal(m['gpu-frag-ratio']?.['line'], 2); // all typical pods, GPU pods only
    await checkLayout(r, 'gpu-run');
    await r.page.locator('#gpu').screenshot({ path: join(SHOTS, 'gpu-run.png') });

    const sw = await open(browser, join(dir, 'sweep.html'));
    const s = await marks(sw.page);
    const gpu = Object.keys(s).filter((id) => id.startsWith('gpu-'));
    assert.deepEqual(gpu, ['gpu-gpu_unallocated_at_100_pct', 'gpu-gpu_unallocated_at_130_pct', 'gpu-gpu_fragmentation_at_100_pct', 'gpu-curves']);
    const csv = readFileSync(join(dir, 'sweep', 'sweep.csv'), 'utf8').trim().split('\n').map((l) => l.split(','));
    const col = csv[0]!.indexOf('gpu_unallocated_at_100_pct');
    // A dot per run with a value, a red tick per score plugin, and its mean ± sd written beside it.
    assert.equal(s['gpu-gpu_unallocated_at_100_pct']?.['dot'], csv.slice(1).filter((x) => x[col] !== '').length);
    assert.equal(s['gpu-gpu_unallocated_at_100_pct']?.['tick'], 3);
    assert.equal(s['gpu-gpu_unallocated_at_100_pct']?.['text'], 3);
    assert.equal(s['gpu-curves']?.['line'], 4); // 3 score plugins and the ideal
    await checkLayout(sw, 'gpu-sweep');
    await sw.page.locator('#gpu').screenshot({ path: join(SHOTS, 'gpu-sweep.png') });
  } finally {
    await browser.close();
  }
});
