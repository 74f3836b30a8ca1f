// The report page's own script: draws each figure's spec (charts.ts) with Observable Plot into its
// <figure>, at the column's width, again when the window is resized. Plain browser JavaScript
// kept as text (the build compiles for Node, without the DOM's types); the browser test
// (test/report-browser.test.ts) runs it in Chromium and checks every chart drew its marks.
export const CLIENT_SCRIPT = String.raw`(function () {
  "use strict";
  var figures = JSON.parse(document.getElementById("ksim-figures").textContent);
  var RED = "#d62728";
  var GREY = "#9498a0";
  // Plot's default categorical colours (observable10), for charts that set their own range.
  var PALETTE = ["#4269d0", "#efb118", "#ff725c", "#6cc5b0", "#3ca951", "#ff8ab7", "#a463f2", "#97bbf5", "#9c6b4e"];
  var PHASE_COLOURS = ["#f4a6a6", "#9aa5b1", "#f2c14e", "#e07b39"];

  function fmt(v) {
    if (v === null || v === undefined || isNaN(v)) return "";
    var a = Math.abs(v);
    return a !== 0 && (a < 0.01 || a >= 1e6) ? v.toExponential(2) : String(Math.round(v * 1000) / 1000);
  }
  // Whole-number ticks for an axis of counts (nodes): Plot's own ticks fall on halves.
  function integerTicks(values) {
    var lo = Math.min.apply(null, values), hi = Math.max.apply(null, values);
    var step = Math.max(1, Math.ceil((hi - lo) / 10));
    var out = [];
    for (var t = Math.ceil(lo); t <= hi; t += step) out.push(t);
    return out;
  }
  // Roughly how wide a label of Plot's 10px sans-serif text is.
  function textWidth(label) {
    return String(label).length * 6.2;
  }
  // A label written after a point at px (of a chart width wide) stays in the chart, or it goes
  // before the point (anchored at its end): at the right edge "answer: 17" read "answer: 1".
  function fitsAfter(px, gap, label, width) {
    return px + gap + textWidth(label) <= width - 4;
  }
  // The left margin for a band axis's labels: as wide as the longest, up to a share (40 %) of
  // the chart.
  function labelWidth(labels, width, share) {
    var n = 0;
    labels.forEach(function (l) { n = Math.max(n, String(l).length); });
    return Math.min(Math.max(120, Math.round(width * (share || 0.4))), 14 + n * 6.6);
  }
  // A tick format keeping a label within a margin of px pixels: a longer one loses its middle
  // ("scheduler.con…name=BestFitScore"), not its start as a cut would.
  function fitLabel(px) {
    var max = Math.max(4, Math.floor((px - 14) / 6.6));
    return function (l) {
      l = String(l);
      if (l.length <= max) return l;
      var tail = Math.floor((max - 1) / 2);
      return l.slice(0, max - 1 - tail) + "\u2026" + l.slice(l.length - tail);
    };
  }

  var draw = {
    constant: function (c) {
      var p = document.createElement("p");
      p.className = "constant";
      p.textContent = c.text;
      return p;
    },
    lines: function (c, width) {
      var pts = [];
      c.series.forEach(function (s) {
        s.values.forEach(function (v, i) { if (v !== null || !c.joinGaps) pts.push({ x: c.x[i], v: v, series: s.name }); });
      });
      // Reference series (an ideal line): grey and dashed, beneath the others, which keep
      // Plot's default colours in order.
      var ref = c.reference || [];
      var isRef = function (d) { return ref.indexOf(d.series) >= 0; };
      var names = c.series.map(function (s) { return s.name; });
      var colour = { legend: true, domain: names };
      if (ref.length > 0) {
        var k = 0;
        colour.range = names.map(function (n) { return ref.indexOf(n) >= 0 ? GREY : PALETTE[k++ % PALETTE.length]; });
      }
      var marks = [
        Plot.rect(c.bands, { x1: "x1", x2: "x2", fill: RED, fillOpacity: 0.12, title: "label" }),
        Plot.ruleY([0])
      ];
      if (ref.length > 0) marks.push(Plot.line(pts.filter(isRef), { x: "x", y: "v", z: "series", stroke: "series", strokeWidth: 1.6, strokeDasharray: "5,4" }));
      marks.push(
        Plot.line(ref.length > 0 ? pts.filter(function (d) { return !isRef(d); }) : pts, { x: "x", y: "v", z: "series", stroke: "series", strokeWidth: 1.6 })
      );
      // Peaks between the samples (summary.csv): a dot at the peak's time, else a dashed level.
      var peaks = c.peaks || [];
      var x0 = c.x[0], x1 = c.x[c.x.length - 1];
      var value = function (v) { return c.percent ? Math.round(v * 1000) / 10 + " %" : fmt(v); };
      var at = peaks.filter(function (d) { return d.x !== null; });
      var level = peaks.filter(function (d) { return d.x === null; });
      var peakLabel = function (d) { return d.name + " peak " + value(d.value) + (d.x === null ? "" : " at " + fmt(Math.round(d.x * 10) / 10) + " s"); };
      var peakHalo = { fill: function (d) { return d.name; }, stroke: "white", strokeWidth: 3, paintOrder: "stroke", fontWeight: "bold" };
      var late = function (d) { return x1 > x0 && (d.x - x0) / (x1 - x0) > 0.5; };
      if (level.length > 0) {
        marks.push(
          Plot.ruleY(level, { y: "value", stroke: "name", strokeDasharray: "2,3", strokeOpacity: 0.8 }),
          Plot.text(level, Object.assign({ y: "value", frameAnchor: "right", textAnchor: "end", dx: -2, dy: -7, text: peakLabel }, peakHalo))
        );
      }
      if (at.length > 0) {
        marks.push(
          Plot.dot(at, { x: "x", y: "value", r: 4, fill: "name", stroke: "white" }),
          Plot.text(at.filter(late), Object.assign({ x: "x", y: "value", dx: -7, dy: -9, textAnchor: "end", text: peakLabel }, peakHalo)),
          Plot.text(at.filter(function (d) { return !late(d); }), Object.assign({ x: "x", y: "value", dx: 7, dy: -9, textAnchor: "start", text: peakLabel }, peakHalo))
        );
      }
      marks.push(Plot.tip(pts, Plot.pointerX({ x: "x", y: "v", stroke: "series", channels: { series: "series" } })));
      return Plot.plot({
        width: width, height: 250, marginLeft: 56,
        x: c.integerX ? { label: c.xLabel, domain: [c.x[0], c.x[c.x.length - 1]], ticks: integerTicks(c.x), tickFormat: "d" } : { label: c.xLabel, domain: [c.x[0], c.x[c.x.length - 1]] },
        y: { label: c.yLabel, grid: true, percent: c.percent, zero: true, nice: peaks.length > 0 },
        color: colour,
        marks: marks
      });
    },
    heatmap: function (c, width) {
      var bins = c.edges.length - 1;
      var cells = c.values.map(function (v, i) {
        var k = i % bins;
        return { row: c.rows[Math.floor(i / bins)], x1: c.edges[k], x2: c.edges[k + 1], v: v };
      });
      return Plot.plot({
        width: width, height: 64 + 15 * c.rows.length, marginLeft: labelWidth(c.rows, width),
        x: { label: "time (s)", domain: [0, c.edges[bins]] },
        y: { domain: c.rows, label: null, tickSize: 0, tickFormat: fitLabel(labelWidth(c.rows, width)) },
        color: { type: "linear", scheme: "ylorrd", domain: [0, 1], tickFormat: "%", legend: true, label: c.label, unknown: "#eeeeee" },
        marks: [
          Plot.barX(cells, { x1: "x1", x2: "x2", y: "row", fill: "v", inset: 0, title: function (d) { return d.row + ": " + (d.v === null ? "-" : Math.round(d.v * 100) + " %"); } }),
          Plot.barX(c.faults, { x1: "x1", x2: "x2", y: "row", fill: "none", stroke: "#1d2430", strokeWidth: 1.5, strokeDasharray: "4,2", inset: 0.5 })
        ]
      });
    },
    faults: function (c, width) {
      var faults = [];
      c.segments.forEach(function (s) { if (faults.indexOf(s.fault) < 0) faults.push(s.fault); });
      var ml = labelWidth(c.phases, width, 0.5), mr = 20;
      var after = function (d) { return fitsAfter(ml + (d.x / c.durationS) * (width - ml - mr), 7, d.label, width); };
      var halo = { fill: "#1d2430", stroke: "white", strokeWidth: 3, paintOrder: "stroke" };
      return Plot.plot({
        width: width, height: 50 + faults.length * (28 * c.phases.length + 30), marginLeft: ml, marginRight: mr, marginTop: 24,
        x: { label: "time (s)", domain: [0, c.durationS], grid: true },
        y: { domain: c.phases, label: null, tickFormat: fitLabel(ml) },
        fy: { domain: faults, label: null, axis: null, padding: 0.3 },
        color: { domain: c.phases, range: PHASE_COLOURS, legend: true },
        marks: [
          Plot.frame({ stroke: "#d9dee5" }),
          Plot.text(faults, { fy: function (d) { return d; }, text: function (d) { return d; }, frameAnchor: "top-left", dy: -14, fontWeight: "bold" }),
          Plot.barX(c.segments, { x1: "x1", x2: "x2", y: "phase", fy: "fault", fill: "phase", title: function (d) { return d.phase + ": " + fmt(d.x1) + " s to " + fmt(d.x2) + " s"; } }),
          Plot.dot(c.moments, { x: "x", y: "phase", fy: "fault", fill: "#1d2430", r: 3.5 }),
          Plot.text(c.moments.filter(after), Object.assign({ x: "x", y: "phase", fy: "fault", text: "label", dx: 7, textAnchor: "start" }, halo)),
          Plot.text(c.moments.filter(function (d) { return !after(d); }), Object.assign({ x: "x", y: "phase", fy: "fault", text: "label", dx: -7, textAnchor: "end" }, halo))
        ]
      });
    },
    histogram: function (c, width) {
      var lo = c.bins[0].x1, hi = c.bins[c.bins.length - 1].x2;
      var right = hi > lo && (c.median - lo) / (hi - lo) > 0.6;
      return Plot.plot({
        width: width, height: 200, marginLeft: 46,
        x: { label: c.label },
        y: { label: "runs", grid: true },
        marks: [
          Plot.rectY(c.bins, { x1: "x1", x2: "x2", y: "count", fill: "#4e79a7", insetLeft: 0.5, insetRight: 0.5 }),
          Plot.ruleY([0]),
          Plot.ruleX([c.median], { stroke: RED, strokeWidth: 2 }),
          Plot.text([c.median], { x: function (d) { return d; }, frameAnchor: "top", dy: -2, dx: right ? -4 : 4, textAnchor: right ? "end" : "start", text: function (d) { return "median " + fmt(d); }, fill: RED, stroke: "white", strokeWidth: 3, paintOrder: "stroke" })
        ]
      });
    },
    box: function (c, width) {
      return Plot.plot({
        width: width, height: 60 + 36 * c.groups.length, marginLeft: labelWidth(c.groups, width),
        x: { label: c.label, grid: true },
        y: { domain: c.groups, label: null, tickFormat: fitLabel(labelWidth(c.groups, width)) },
        marks: [
          Plot.boxX(c.points, { x: "v", y: "g", fill: "#a0bcd8" }),
          Plot.dot(c.points, { x: "v", y: "g", r: 2, fill: "#1d2430", fillOpacity: 0.5 })
        ]
      });
    },
    meanSd: function (c, width) {
      var bars = c.stats.filter(function (s) { return s.sd !== null; }).map(function (s) { return { g: s.g, x1: s.mean - s.sd, x2: s.mean + s.sd }; });
      return Plot.plot({
        width: width, height: 60 + 40 * c.groups.length, marginLeft: labelWidth(c.groups, width), marginRight: 30,
        x: { label: c.label, grid: true },
        y: { domain: c.groups, label: null, tickFormat: fitLabel(labelWidth(c.groups, width)) },
        marks: [
          Plot.ruleY(bars, { y: "g", x1: "x1", x2: "x2", stroke: "#4e79a7", strokeWidth: 8, strokeOpacity: 0.35 }),
          Plot.tickX(c.stats, { x: "mean", y: "g", stroke: RED, strokeWidth: 2 }),
          Plot.dot(c.points, { x: "v", y: "g", r: 2.5, fill: "#1d2430", fillOpacity: 0.6, title: function (d) { return "seed " + d.seed + ": " + fmt(d.v); } }),
          Plot.text(c.stats, { x: "mean", y: "g", dy: -14, text: function (d) { return fmt(d.mean) + (d.sd === null ? "" : " ± " + fmt(d.sd)); }, fill: RED, stroke: "white", strokeWidth: 3, paintOrder: "stroke" })
        ]
      });
    },
    probe: function (c, width) {
      var sorted = c.probes.filter(function (d) { return d.value !== null; }).sort(function (a, b) { return a.count - b.count; });
      var marks = [
        Plot.line(sorted, { x: "count", y: "value", stroke: "#9aa5b1" }),
        Plot.dot(sorted, { x: "count", y: "value", r: 5, fill: function (d) { return d.met ? "met" : "not met"; } }),
        Plot.text(sorted, { x: "count", y: "value", text: "label", dy: -11 })
      ];
      if (c.target !== null) {
        marks.unshift(Plot.ruleY([c.target], { stroke: "#2ca02c", strokeOpacity: 0.6 }));
        marks.push(Plot.text([c.target], { y: function (d) { return d; }, frameAnchor: "left", dx: 4, dy: -7, textAnchor: "start", text: function (d) { return "target " + fmt(d); }, fill: "#2ca02c" }));
      }
      var counts = c.probes.map(function (d) { return d.count; });
      var lo = Math.min.apply(null, counts), hi = Math.max.apply(null, counts);
      if (c.answer !== null) {
        // Where the answer's rule falls (margins 56 and 20, inset 36 each side): its label goes
        // before the rule when it would not fit after it (the answer is the largest count probed).
        var px = 56 + 36 + (hi > lo ? (c.answer - lo) / (hi - lo) : 0.5) * (width - 56 - 20 - 72);
        var fits = fitsAfter(px, 5, "answer: " + c.answer, width);
        marks.unshift(Plot.ruleX([c.answer], { stroke: "#2ca02c", strokeDasharray: "5,3" }));
        marks.push(Plot.text([c.answer], { x: function (d) { return d; }, frameAnchor: "top", dx: fits ? 5 : -5, textAnchor: fits ? "start" : "end", text: function (d) { return "answer: " + d; }, fill: "#2ca02c", stroke: "white", strokeWidth: 3, paintOrder: "stroke" }));
      }
      return Plot.plot({
        // Inset: the labels of the first and last probes stay clear of the axes.
        width: width, height: 270, marginLeft: 56, marginRight: 20, marginTop: 34,
        x: { label: c.xLabel, grid: true, inset: 36, domain: [lo, hi], ticks: integerTicks(counts), tickFormat: "d" },
        y: { label: c.yLabel, grid: true, nice: true },
        color: { domain: ["met", "not met"], range: ["#2ca02c", RED], legend: true },
        marks: marks
      });
    }
  };

  function render() {
    figures.forEach(function (f) {
      var host = document.getElementById(f.id).querySelector(".plot");
      var width = Math.max(320, Math.floor(host.getBoundingClientRect().width));
      if (host.getAttribute("data-width") === String(width)) return;
      host.setAttribute("data-width", String(width));
      host.replaceChildren(draw[f.chart.type](f.chart, width));
    });
  }
  // A table wider than its column scrolls: say so in its caption (class "wide", page-style.ts).
  function markWide() {
    // Printing lays tables out for the page (they fit): the screen's marks stay as they were.
    if (window.matchMedia("print").matches) return;
    document.querySelectorAll(".table").forEach(function (t) {
      t.classList.toggle("wide", t.scrollWidth > t.clientWidth + 1);
    });
  }
  render();
  markWide();
  var pending = null;
  window.addEventListener("resize", function () {
    clearTimeout(pending);
    pending = setTimeout(function () { render(); markWide(); }, 150);
  });
  window.addEventListener("afterprint", markWide);
})();
`;
