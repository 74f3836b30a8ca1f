// The report's CSS: one column that fits a laptop screen (charts take the column's width), and a
// print layout (A4/Letter, no navigation, charts kept whole on a page, colours printed).
export const PAGE_STYLE = `:root { color-scheme: light; --ink: #1d2430; --muted: #5b6573; --line: #d9dee5; --accent: #2f5d9b; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--ink); background: #fff; }
header, main { max-width: 1080px; margin: 0 auto; padding: 0 20px; }
header { padding-top: 18px; border-bottom: 1px solid var(--line); }
.kind { margin: 0; color: var(--muted); font-size: 13px; text-transform: uppercase; letter-spacing: .06em; }
h1 { margin: 2px 0 8px; font-size: 26px; }
.about { display: flex; flex-wrap: wrap; gap: 2px 18px; margin: 0 0 10px; font-size: 13px; }
.about div { display: flex; gap: 6px; min-width: 0; }
.about dt { color: var(--muted); }
.about dd { margin: 0; overflow-wrap: anywhere; font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px; }
nav { display: flex; flex-wrap: wrap; gap: 4px 16px; padding-bottom: 10px; font-size: 14px; }
nav a { color: var(--accent); text-decoration: none; }
section { padding: 10px 0 6px; border-bottom: 1px solid var(--line); }
h2 { font-size: 19px; margin: 10px 0 6px; }
.intro { color: var(--muted); margin: 0 0 10px; max-width: 75ch; }
.headlines { display: grid; grid-template-columns: repeat(auto-fill, minmax(165px, 1fr)); gap: 10px; margin: 8px 0 14px; }
.headlines div { border: 1px solid var(--line); border-radius: 6px; padding: 8px 10px; }
.headlines dt { font-size: 12px; color: var(--muted); overflow-wrap: anywhere; }
.headlines dd { margin: 2px 0 0; font-size: 20px; font-weight: 600; font-variant-numeric: tabular-nums; }
.headlines dd.hint { font-size: 12px; font-weight: 400; color: var(--muted); overflow-wrap: anywhere; }
.pairs-caption { font-weight: 600; margin: 4px 0; }
.pairs { display: grid; grid-template-columns: repeat(auto-fill, minmax(300px, 1fr)); gap: 0 24px; margin: 0 0 12px; font-size: 13px; font-variant-numeric: tabular-nums; }
.pairs div { display: flex; justify-content: space-between; border-bottom: 1px solid var(--line); padding: 2px 0; }
.pairs dt { color: var(--muted); }
.pairs dd { margin: 0 0 0 12px; }
figure.chart { margin: 14px 0 18px; }
figcaption { font-weight: 600; margin-bottom: 4px; }
.compact { display: grid; grid-template-columns: repeat(auto-fill, minmax(440px, 1fr)); gap: 0 24px; }
.compact figure.chart { min-width: 0; }
.plot { min-height: 60px; overflow-x: auto; }
.plot svg { max-width: 100%; height: auto; }
.plot .constant { margin: 6px 0; font-size: 17px; font-weight: 600; font-variant-numeric: tabular-nums; }
.note { color: var(--muted); font-size: 13px; margin: 4px 0 0; max-width: 90ch; }
/* A table wider than the column scrolls sideways, with a scroll bar always shown and, set by the
   page script, a note in its caption. Column names wrap after _ (page.ts puts a <wbr> there). */
.table { overflow-x: auto; margin: 10px 0 16px; scrollbar-width: thin; scrollbar-color: #aab3bf #eef1f4; }
.table.wide { border-right: 3px solid var(--line); }
.table.wide caption::after { content: " — wider than the page: scroll sideways for every column →"; font-weight: 400; color: var(--muted); }
.print-only { display: none; }
table { border-collapse: collapse; font-size: 13px; font-variant-numeric: tabular-nums; }
caption { text-align: left; font-weight: 600; padding-bottom: 4px; }
th, td { border-bottom: 1px solid var(--line); padding: 3px 10px 3px 0; text-align: left; white-space: nowrap; }
th { color: var(--muted); font-weight: 600; white-space: normal; vertical-align: bottom; min-width: 3.5em; }
.transposed tbody th { vertical-align: top; }
@media (max-width: 640px) { header, main { padding: 0 10px; } .compact { display: block; } .headlines dd { font-size: 17px; } }
@media print {
  @page { margin: 12mm; }
  body { font-size: 11pt; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  header, main { max-width: none; padding: 0; }
  .about { display: flex; flex-wrap: wrap; gap: 2px 18px; margin: 0 0 10px; font-size: 13px; }
.about div { display: flex; gap: 6px; min-width: 0; }
.about dt { color: var(--muted); }
.about dd { margin: 0; overflow-wrap: anywhere; font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px; }
nav { display: none; }
  section { border: none; break-before: auto; }
  figure.chart, .headlines, tr { break-inside: avoid; }
  .plot, .table { overflow: visible; }
  /* Wide tables fit the page: a smaller type, every cell free to wrap, and the tables of a few
     rows and many columns transposed (page.ts). */
  .screen-only { display: none; }
  .print-only { display: block; }
  .table.wide { border-right: none; }
  .table.wide caption::after { content: none; }
  table { font-size: 8pt; }
  th, td { white-space: normal; overflow-wrap: anywhere; padding: 2px 6px 2px 0; min-width: 0; }
  h2 { break-after: avoid; }
}
`;
