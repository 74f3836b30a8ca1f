// The report as one HTML file: headline figures and tables written here as HTML, charts drawn
// in the browser by Observable Plot from the specs in a JSON block, Plot and d3 inlined so the
// file opens offline. Nothing here depends on when or where it is made: the same run gives the
// same bytes.
import type { Figure } from './charts.js';
import type { About } from './provenance.js';
import { CLIENT_SCRIPT } from './client-script.js';
import { chartLibraries } from './libraries.js';
import { PAGE_STYLE } from './page-style.js';

export interface Headline {
  readonly label: string;
  readonly value: string;
  readonly hint?: string;
}

export interface Table {
  readonly caption: string;
  readonly columns: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

export interface Section {
  readonly id: string;
  readonly title: string;
  /** Sentences shown under the title (plain text). */
  readonly intro?: string;
  readonly headlines?: readonly Headline[];
  /** Name/value pairs shown in a compact grid (e.g. the whole summary.csv row). */
  readonly pairs?: { readonly caption: string; readonly items: readonly (readonly [string, string])[] };
  readonly figures?: readonly Figure[];
  /** Figures side by side, two to a row on a wide screen (small multiples). */
  readonly compact?: boolean;
  readonly tables?: readonly Table[];
}

export interface ReportPage {
  /** e.g. "zone-outage (seed 7)". */
  readonly title: string;
  /** What the folder holds: "ksim run", "ksim sweep", "ksim capacity". */
  readonly kind: string;
  /** What was run (provenance.ts): scenario, seeds, overrides, ksim version, under the title. */
  readonly about?: About;
  readonly sections: readonly Section[];
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

/** JSON safe inside a <script> element: no "</script>", no "<!--". */
function scriptJson(v: unknown): string {
  return JSON.stringify(v).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

export function renderPage(page: ReportPage): string {
  const figures = page.sections.flatMap((s) => s.figures ?? []);
  const nav = page.sections.map((s) => `<a href="#${escapeHtml(s.id)}">${escapeHtml(s.title)}</a>`).join('\n');
  const body = page.sections.map(renderSection).join('\n');
  const [d3, plot] = chartLibraries();
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="ksim report">
<title>${escapeHtml(`${page.kind}: ${page.title}`)}</title>
<link rel="icon" href="data:,">
<style>
${PAGE_STYLE}</style>
</head>
<body>
<header>
<p class="kind">${escapeHtml(page.kind)}</p>
<h1>${escapeHtml(page.title)}</h1>
${renderAbout(page.about)}<nav>
${nav}
</nav>
</header>
<main>
${body}
</main>
<script type="application/json" id="ksim-figures">${scriptJson(figures.map((f) => ({ id: f.id, chart: f.chart })))}</script>
<script>
${d3}
</script>
<script>
${plot}
</script>
<script>
${CLIENT_SCRIPT}</script>
</body>
</html>
`;
}

function renderAbout(about: About | undefined): string {
  if (about === undefined || about.length === 0) return '';
  const items = about.map(([k, v]) => `<div><dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd></div>`).join('\n');
  return `<dl class="about" aria-label="what was run">\n${items}\n</dl>\n`;
}

function renderSection(s: Section): string {
  const parts = [`<section id="${escapeHtml(s.id)}">`, `<h2>${escapeHtml(s.title)}</h2>`];
  if (s.intro !== undefined) parts.push(`<p class="intro">${escapeHtml(s.intro)}</p>`);
  if (s.headlines !== undefined && s.headlines.length > 0) {
    parts.push('<dl class="headlines">');
    for (const h of s.headlines) {
      parts.push(`<div><dt>${escapeHtml(h.label)}</dt><dd>${escapeHtml(h.value)}</dd>${h.hint === undefined ? '' : `<dd class="hint">${escapeHtml(h.hint)}</dd>`}</div>`);
    }
    parts.push('</dl>');
  }
  if (s.pairs !== undefined) {
    parts.push(`<p class="pairs-caption">${escapeHtml(s.pairs.caption)}</p>`, '<dl class="pairs">');
    for (const [k, v] of s.pairs.items) parts.push(`<div><dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd></div>`);
    parts.push('</dl>');
  }
  if (s.compact === true) parts.push('<div class="compact">');
  for (const f of s.figures ?? []) {
    parts.push(
      `<figure class="chart" id="${escapeHtml(f.id)}" data-chart="${escapeHtml(f.chart.type)}">`,
      `<figcaption>${escapeHtml(f.title)}</figcaption>`,
      '<div class="plot"></div>',
      `<p class="note">${escapeHtml(f.note)}</p>`,
      '</figure>',
    );
  }
  if (s.compact === true) parts.push('</div>');
  for (const t of s.tables ?? []) parts.push(renderTable(t));
  parts.push('</section>');
  return parts.join('\n');
}

/** A table of more columns than this, with no more rows than TRANSPOSE_ROWS, prints transposed
 * (a column per row: recovery.csv's 15 columns of one fault did not fit an A4 page). */
const TRANSPOSE_COLUMNS = 7;
const TRANSPOSE_ROWS = 6;

/** A column name that may wrap after each _ or . (pool_cpu_requested_peak_ratio_target_value). */
function headerHtml(c: string): string {
  return escapeHtml(c).replace(/([_.])/g, '$1<wbr>');
}

function renderTable(t: Table): string {
  const html = (caption: string, columns: readonly string[], rows: readonly (readonly string[])[], cls: string) => {
    const head = columns.map((c) => `<th>${headerHtml(c)}</th>`).join('');
    const body = rows.map((r) => `<tr>${r.map((c, i) => (i === 0 && cls.includes('transposed') ? `<th scope="row">${headerHtml(c)}</th>` : `<td>${escapeHtml(c)}</td>`)).join('')}</tr>`).join('\n');
    return `<div class="${cls}"><table>\n<caption>${escapeHtml(caption)}</caption>\n<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody>\n</table></div>`;
  };
  if (t.columns.length <= TRANSPOSE_COLUMNS || t.rows.length > TRANSPOSE_ROWS) return html(t.caption, t.columns, t.rows, 'table');
  // On paper: one row per column, one column per row, the first column's values heading them.
  const columns = [t.columns[0] ?? '', ...t.rows.map((r) => r[0] ?? '')];
  const rows = t.columns.slice(1).map((c, k) => [c, ...t.rows.map((r) => r[k + 1] ?? '')]);
  return `${html(t.caption, t.columns, t.rows, 'table screen-only')}\n${html(`${t.caption} (transposed to fit the page)`, columns, rows, 'table print-only transposed')}`;
}
