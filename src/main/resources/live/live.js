// The live page of one StreamNLP instance: polls the JSON documents of LivePage every 2 s and draws
// them with plain SVG (no library, no build step). Every text that comes from a record is put into
// the page with textContent, never as markup.
"use strict";

const REFRESH_MS = 2000;
const SVG = "http://www.w3.org/2000/svg";
const TYPES = ["PER", "ORG", "LOC", "MISC"];
const LABELS = ["NEGATIVE", "NEUTRAL", "POSITIVE"];

const $ = (id) => document.getElementById(id);

function integer(n) {
  return Math.round(n).toLocaleString("en-US");
}

function rate(n) {
  if (n === 0) return "0";
  return n >= 10 ? n.toFixed(0) : n.toFixed(1);
}

function millis(ms) {
  if (ms === null || ms === undefined) return "–";
  return ms >= 1000 ? (ms / 1000).toFixed(2) + " s" : ms.toFixed(0) + " ms";
}

// Shorter, for axis labels: 500 ms, 2.5 s, 10 s.
function axisMillis(ms) {
  if (ms >= 1000) return +(ms / 1000).toFixed(1) + " s";
  return ms.toFixed(0) + " ms";
}

function percent(fraction) {
  return fraction === null || fraction === undefined ? "–" : (100 * fraction).toFixed(1) + " %";
}

function show(id, text, value) {
  const element = $(id);
  element.textContent = text;
  if (value !== undefined) element.dataset.value = value === null ? "" : String(value);
}

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

async function getJson(path) {
  const response = await fetch(path, { cache: "no-store" });
  if (!response.ok) throw new Error(path + ": HTTP " + response.status);
  return response.json();
}

// ---- header and cards ------------------------------------------------------------------------

function renderOverview(o) {
  show("application", o.identity.application);
  show("model", o.identity.model);
  show("model-version", "(" + o.identity.modelVersion + ")");
  show("heads", o.identity.sentimentHead + ", " + o.identity.nerHead);
  const state = $("state");
  state.textContent = o.state;
  state.dataset.state = o.state;
  show("updated", new Date(o.atMs).toLocaleTimeString("en-GB"));

  const t = o.totals;
  const r = o.recent;
  show("records-in", integer(t.recordsIn), t.recordsIn);
  show("records-out", integer(t.recordsOut), t.recordsOut);
  show("dead-lettered", integer(t.deadLettered), t.deadLettered);
  show("in-rate", rate(r.inPerSecond));
  show("out-rate", rate(r.outPerSecond));
  const reasons = $("dead-lettered-reasons");
  reasons.replaceChildren(...Object.entries(t.deadLetteredByReason).map(([reason, count]) => {
    const item = element("li", null, reason + ": " + integer(count));
    item.dataset.reason = reason;
    item.dataset.value = String(count);
    return item;
  }));
  show("cache-hit-rate", percent(t.cacheHitRate), t.cacheHitRate);
  show("cache-hits", integer(t.cacheHits), t.cacheHits);
  show("cache-misses", integer(t.cacheMisses), t.cacheMisses);
  show("cache-hit-rate-recent", percent(r.cacheHitRate));
  show("latency-p50", millis(r.latencyP50Ms), r.latencyP50Ms);
  show("latency-p99", millis(r.latencyP99Ms), r.latencyP99Ms);
  show("latency-count", integer(r.latencyCount));
  show("batch-size", r.batchSize === null ? "–" : r.batchSize.toFixed(1), r.batchSize);
  show("encoder-ms", millis(r.encoderMs), r.encoderMs);
  show("enriched", integer(o.enriched), o.enriched);
}

// ---- charts ----------------------------------------------------------------------------------

const W = 600, H = 160, LEFT = 48, RIGHT = 6, TOP = 8, BOTTOM = 16;

function svgNode(tag, attributes) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  return node;
}

// The charts' time axis: the last 5 minutes, or the whole life of a younger instance (at least 30 s).
function timeWindow(xs) {
  const now = xs.length ? xs[xs.length - 1] : Date.now();
  const first = xs.length ? xs[0] : now;
  const span = Math.min(300000, Math.max(30000, now - first));
  return { start: now - span, span: span };
}

function duration(ms) {
  return ms >= 120000 ? Math.round(ms / 60000) + " min" : Math.round(ms / 1000) + " s";
}

function niceMax(values) {
  const max = Math.max(0, ...values.filter((v) => v !== null && Number.isFinite(v)));
  if (max === 0) return 1;
  const magnitude = Math.pow(10, Math.floor(Math.log10(max)));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * magnitude >= max) return step * magnitude;
  return 10 * magnitude;
}

// Axes and grid; an optional second scale is labelled on the right (its line is drawn scaled to the first).
function frame(svg, xs, yMax, format, right) {
  svg.replaceChildren();
  for (let i = 0; i <= 2; i++) {
    const y = TOP + (H - TOP - BOTTOM) * (i / 2);
    svg.append(svgNode("line", { x1: LEFT, x2: W - RIGHT, y1: y, y2: y, class: "grid" }));
    const label = svgNode("text", { x: LEFT - 4, y: y + 3, "text-anchor": "end" });
    label.textContent = format(yMax * (1 - i / 2));
    svg.append(label);
    if (right && i < 2) {
      const second = svgNode("text", { x: W - RIGHT - 2, y: y + 11, "text-anchor": "end", fill: "var(--" + right.color + ")" });
      second.textContent = right.format(right.max * (1 - i / 2));
      svg.append(second);
    }
  }
  const axis = timeWindow(xs);
  for (const [x, text, anchor] of [[LEFT, "−" + duration(axis.span), "start"], [W - RIGHT, "now", "end"]]) {
    const label = svgNode("text", { x: x, y: H - 3, "text-anchor": anchor });
    label.textContent = text;
    svg.append(label);
  }
  return {
    span: axis.span,
    x: (t) => LEFT + (W - LEFT - RIGHT) * Math.max(0, (t - axis.start) / axis.span),
    y: (v) => TOP + (H - TOP - BOTTOM) * (1 - Math.min(1, v / yMax)),
  };
}

function lineChart(svg, xs, lines, format, right) {
  const scale = frame(svg, xs, niceMax(lines.flatMap((l) => l.values)), format, right);
  for (const line of lines) {
    let d = "";
    line.values.forEach((v, i) => {
      if (v === null || !Number.isFinite(v)) return;
      d += (d === "" || line.values[i - 1] === null ? "M" : "L") + scale.x(xs[i]).toFixed(1) + "," + scale.y(v).toFixed(1);
    });
    const path = svgNode("path", { d: d, class: "line", stroke: "var(--" + line.color + ")" });
    if (line.dash) path.setAttribute("stroke-dasharray", line.dash);
    if (line.title) {
      const title = svgNode("title", {});
      title.textContent = line.title;
      path.append(title);
    }
    svg.append(path);
  }
}

function sentimentChart(svg, xs, mix) {
  const bins = [];
  xs.forEach((t, i) => {
    const bin = Math.floor(t / 10000);
    if (!bins.length || bins[bins.length - 1].bin !== bin) bins.push({ bin: bin, t: bin * 10000 + 5000, counts: [0, 0, 0] });
    LABELS.forEach((label, j) => { bins[bins.length - 1].counts[j] += mix[label][i]; });
  });
  const scale = frame(svg, xs, niceMax(bins.map((b) => b.counts[0] + b.counts[1] + b.counts[2])), integer);
  const width = Math.max(1, (W - LEFT - RIGHT) * 10000 / scale.span - 2);
  for (const b of bins) {
    let base = 0;
    b.counts.forEach((count, j) => {
      if (count <= 0) return;
      const top = scale.y(base + count), bottom = scale.y(base);
      svg.append(svgNode("rect", { x: (scale.x(b.t) - width / 2).toFixed(1), y: top.toFixed(1), width: width.toFixed(1),
        height: Math.max(0.5, bottom - top).toFixed(1), fill: "var(--" + ["neg", "neu", "pos"][j] + ")" }));
      base += count;
    });
  }
}

function renderSeries(s) {
  show("chart-span", duration(timeWindow(s.atMs).span));
  // One dead-letter line per reason (dashed differently); the card lists the reasons.
  const dashes = ["", "4 2", "1 2", "6 2 1 2"];
  const dead = Object.entries(s.deadLetteredPerSecond).map(([reason, values], k) =>
    ({ values: values, color: "dlq", dash: dashes[k % dashes.length], title: "dead-lettered: " + reason }));
  lineChart($("chart-rates"), s.atMs, [
    { values: s.inPerSecond, color: "in", title: "records in" }, { values: s.outPerSecond, color: "out", title: "records out" },
    ...dead], rate);
  lineChart($("chart-latency"), s.atMs, [
    { values: s.latencyP50Ms, color: "p50" }, { values: s.latencyP99Ms, color: "p99" }], axisMillis);
  sentimentChart($("chart-sentiment"), s.atMs, s.sentiment);
  // Two units on one chart: encoder time on the left axis, texts per batch on the right one.
  const batchMax = niceMax(s.batchSize), encoderMax = niceMax(s.encoderMs);
  lineChart($("chart-batches"), s.atMs, [
    { values: s.encoderMs, color: "enc" },
    { values: s.batchSize.map((v) => v === null ? null : v * encoderMax / batchMax), color: "batch" }], axisMillis,
    { max: batchMax, color: "batch", format: (v) => v.toFixed(0) + " texts" });
}

// ---- entities and tail -----------------------------------------------------------------------

function renderEntities(e) {
  show("entities-minutes", String(e.minutes));
  for (const type of TYPES) {
    const counts = e.byType[type] || [];
    const most = counts.length ? counts[0].count : 1;
    $("entities-" + type).replaceChildren(...counts.map((c) => {
      const item = element("li");
      item.dataset.entity = c.text;
      item.dataset.count = String(c.count);
      const bar = element("span", "bar " + type);
      bar.style.width = (100 * c.count / most).toFixed(0) + "%";
      item.append(bar, element("span", "name", c.text), element("span", "count", integer(c.count)));
      return item;
    }));
  }
}

function highlighted(text, entities) {
  const nodes = [];
  let at = 0;
  for (const e of [...entities].sort((a, b) => a.start - b.start)) {
    if (e.start < at) continue; // overlapping spans: keep the first
    if (e.start > at) nodes.push(document.createTextNode(text.substring(at, e.start)));
    const mark = element("mark", "entity " + e.type, text.substring(e.start, e.end));
    mark.dataset.type = e.type;
    mark.title = e.type + " " + (100 * e.confidence).toFixed(0) + " %";
    nodes.push(mark);
    at = e.end;
  }
  if (at < text.length) nodes.push(document.createTextNode(text.substring(at)));
  return nodes;
}

function renderTail(t) {
  show("tail-count", String(t.records.length));
  $("tail").replaceChildren(...t.records.map((r) => {
    const item = element("li", "record");
    item.dataset.id = r.id;
    // No label when the sentiment head does not run (outputs=embeddings, say).
    item.dataset.label = r.label || "";
    // No label either for a text in a language the heads were not trained for (language.unsupported.policy=skip).
    const sentiment = r.label
      ? element("span", "sentiment " + r.label, r.label.substring(0, 3) + " " + r.probability.toFixed(2))
      : element("span", "sentiment none", "—");
    const text = element("span", "text");
    text.append(...highlighted(r.excerpt, r.entities));
    if (r.clipped) text.append(document.createTextNode(" …"));
    const meta = element("span", "meta", r.id + (r.language ? " · " + r.language : "") + " · " + millis(r.latencyMs)
      + (r.cached ? " · cached" : ""));
    item.append(sentiment, text, meta);
    return item;
  }));
}

// ---- polling ---------------------------------------------------------------------------------

async function refresh() {
  try {
    const [overview, series, entities, tail] = await Promise.all([
      getJson("api/overview"), getJson("api/series?seconds=300"), getJson("api/entities?minutes=5&k=8"), getJson("api/tail?n=20")]);
    renderOverview(overview);
    renderSeries(series);
    renderEntities(entities);
    renderTail(tail);
    document.body.dataset.loaded = "true";
  } catch (error) {
    const state = $("state");
    state.textContent = "unreachable";
    state.dataset.state = "unreachable";
    state.title = String(error);
  } finally {
    setTimeout(refresh, REFRESH_MS);
  }
}

refresh();
