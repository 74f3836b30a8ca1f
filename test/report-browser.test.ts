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

async function checkLayout(o: Opened, name: string): Promise<void> {
  assert.deepEqual(o.errors, [], `${name}: console errors`);
  assert.deepEqual(o.requests, [], `${name}: network requests`);
  // Readable at laptop width: nothing wider than the window.
  assert.equal(await o.page.evaluate('document.documentElement.scrollWidth <= window.innerWidth'), true, `${name}: wider than the window`);
  await o.page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  await o.page.emulateMedia({ media: 'print' });
  assert.equal(await o.page.evaluate("getComputedStyle(document.querySelector('nav')).display"), 'none', `${name}: print shows the navigation`);
  await o.page.emulateMedia({ media: 'screen' });
}

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
    assert.equal(m['pods']?.['line'], 3); // pending, running, available
    // 12 nodes × 30 bins, then the 4 zone-a nodes outlined over the outage.
    assert.equal(m['heatmap-cpu']?.['bar'], 12 * 30 + 4);
    assert.equal(m['heatmap-memory']?.['bar'], 12 * 30 + 4);
    assert.equal(m['fault-timeline']?.['bar'], 4);
    assert.equal(m['fault-timeline']?.['dot'], 3);
    const timeline = await zo.page.$eval('#fault-timeline .plot', (p) => p.textContent ?? '');
    for (const t of ['f1 zoneOutage zone=zone-a', 'NotReady 170 s', 'first eviction 485 s', 'whole again 516 s (+396 s)']) assert.ok(timeline.includes(t), t);
    await checkLayout(zo, 'zone-outage');
    for (const id of ['over-time', 'nodes', 'faults']) await zo.page.locator(`#${id}`).screenshot({ path: join(SHOTS, `zone-outage-${id}.png`) });

    const sw = await open(browser, sweepHtml);
    const s = await marks(sw.page);
    const ids = Object.keys(s);
    assert.equal(ids.length, 12); // 6 key metrics: distribution and by matrix value
    for (const id of ids.filter((i) => i.startsWith('dist-'))) assert.ok((s[id]?.['rect'] ?? 0) >= 1, `${id} drew no bars`);
    // Box plots: one box per matrix value (count 9, count 12).
    for (const id of ids.filter((i) => i.startsWith('matrix-'))) assert.equal(s[id]?.['bar'], 2, id);
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
    assert.deepEqual(Object.keys(m), ['allocation', 'pods', 'gpu-unallocated', 'gpu-unallocated-zoom', 'gpu-frag-ratio', 'heatmap-cpu', 'heatmap-memory']);
    assert.equal(m['gpu-unallocated']?.['line'], 3); // unallocated, fragmented, ideal
    assert.equal(m['gpu-unallocated-zoom']?.['line'], 3);
    assert.equal(m['gpu-frag-ratio']?.['line'], 1);
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
