// The pipeline dashboard: one snapshot of the pipeline arrives every second or two as a
// server-sent event; this script writes its numbers into the page and redraws the charts.
"use strict";

const PALETTE = ["#3f7fd9", "#e0803a", "#3aa57a", "#c44e8a", "#8a63d2", "#d4a21a", "#5bb8c9", "#7c8ba1"];
const LAYER_COLORS = { bronze: "#b7794a", silver: "#7c8ba1", quarantine: "#d0584f", gold_5m: "#d4a21a", gold_1h: "#8a6d10" };
const number = new Intl.NumberFormat("en-US");
let shownTable = "gold_5m";
let latest = null;

Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
Chart.defaults.color = "#667085";
Chart.defaults.animation.duration = 300;

function lineChart(id, stacked, type) {
  return new Chart(document.getElementById(id), {
    type: type || "line",
    data: { labels: [], datasets: [] },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      interaction: { mode: "index", intersect: false },
      plugins: { legend: { position: "bottom", labels: { boxWidth: 12, boxHeight: 12 } } },
      elements: { point: { radius: 0, hoverRadius: 4 }, line: { tension: 0.3, borderWidth: 2 } },
      scales: {
        x: { stacked: !!stacked, grid: { display: false }, ticks: { maxRotation: 0, autoSkipPadding: 12 } },
        y: { stacked: !!stacked, beginAtZero: true, grid: { color: "#eef0f4" } },
      },
    },
  });
}

const charts = {
  category: lineChart("chart-category", true, "bar"),
  segment: lineChart("chart-segment"),
  users: lineChart("chart-users"),
  time: lineChart("chart-time"),
  rates: lineChart("chart-rates"),
};

function setSeries(chart, labels, seriesByName, colors) {
  const names = Object.keys(seriesByName || {});
  chart.data.labels = labels;
  chart.data.datasets = names.map((name, i) => {
    const color = (colors && colors[name]) || PALETTE[i % PALETTE.length];
    const existing = chart.data.datasets.find((d) => d.label === name);
    const dataset = existing || { label: name, borderColor: color, backgroundColor: color + (chart.config.type === "bar" ? "d0" : "22") };
    dataset.data = seriesByName[name];
    return dataset;
  });
  chart.update();
}

function text(id, value) {
  const element = document.getElementById(id);
  if (element) element.textContent = value === undefined || value === null || value === "" ? "–" : value;
  return element;
}

function count(value) {
  return value === undefined || value === null ? "–" : number.format(value);
}

function rate(value) {
  return value === undefined || value === null ? "–" : number.format(Math.round(value));
}

function clock(iso) {
  // Event time, UTC, to the second: the day is in the charts' labels.
  if (!iso) return "–";
  return new Date(iso).toISOString().slice(11, 19);
}

function batch(query) {
  if (!query || query.batchId === undefined) return "–";
  const ms = query.batchDurationMs;
  return "#" + query.batchId + " · " + (ms >= 1000 ? (ms / 1000).toFixed(1) + " s" : ms + " ms");
}

function render(snapshot) {
  latest = snapshot;
  const tables = snapshot.tables || {};
  const queries = snapshot.queries || {};
  const state = snapshot.state || "starting";
  const pill = text("state", state);
  pill.className = "pill state-" + state;
  pill.dataset.state = state;
  text("implementation", snapshot.implementation);
  text("input", snapshot.input);
  text("uptime", snapshot.uptimeSeconds === undefined ? "0 s" : formatSeconds(snapshot.uptimeSeconds));
  text("updated", new Date().toLocaleTimeString());
  text("trigger", snapshot.trigger);

  const banner = document.getElementById("error-banner");
  banner.hidden = !snapshot.error;
  text("error-text", snapshot.error || "");

  const feed = snapshot.feed || {};
  text("feed-written", feed.active ? count(feed.written) : "off");
  text("feed-of", feed.active ? " of " + count(feed.planned) + (feed.finished ? " (done)" : "") : " (the input is read as it is)");
  text("feed-event-time", clock(feed.eventTime));

  for (const name of ["bronze", "silver", "quarantine", "gold_5m", "gold_1h"]) {
    const table = tables[name] || {};
    const query = queries[name] || {};
    const rows = text(name + "-rows", count(table.rows));
    if (rows) rows.dataset.version = table.version === undefined ? -1 : table.version;
    text(name + "-input-rate", rate(query.inputRowsPerSecond));
    text(name + "-processed-rate", rate(query.processedRowsPerSecond));
    text(name + "-batch", batch(query));
    text(name + "-watermark", clock(query.watermark));
    text(name + "-dropped", count(query.droppedByWatermark));
    text(name + "-state", count(query.stateRows));
    const card = document.querySelector('[data-layer="' + name + '"]');
    if (card) card.classList.toggle("failed-query", !!query.exception);
  }
  for (const name of ["gold_5m", "gold_1h"]) {
    const table = tables[name] || {};
    const events = text(name + "-events", count(table.events));
    if (events) {
      events.dataset.version = table.version === undefined ? -1 : table.version;
      events.dataset.value = table.events || 0;
    }
    text(name + "-windows", count(table.windowCount));
  }
  const reasons = document.getElementById("quarantine-reasons");
  const byReason = (tables.quarantine || {}).reasons || {};
  reasons.replaceChildren(...Object.entries(byReason).flatMap(([reason, n]) => {
    const dt = document.createElement("dt");
    dt.textContent = reason;
    const dd = document.createElement("dd");
    dd.textContent = count(n);
    return [dt, dd];
  }));

  drawGold();
  const rates = snapshot.rates || {};
  setSeries(charts.rates, (rates.t || []).map((t) => t + " s"), rates.series || {}, LAYER_COLORS);
}

function drawGold() {
  if (!latest) return;
  const gold = (latest.tables || {})[shownTable] || {};
  const labels = gold.windows || [];
  setSeries(charts.category, labels, gold.eventsByCategory);
  setSeries(charts.segment, labels, gold.eventsBySegment);
  setSeries(charts.users, labels, gold.uniqueUsersByCategory);
  setSeries(charts.time, labels, gold.avgTimeOnPageBySegment);
  for (const id of ["category", "segment", "users", "time"]) {
    document.getElementById("empty-" + id).hidden = labels.length > 0;
  }
}

function formatSeconds(total) {
  const m = Math.floor(total / 60);
  const s = total % 60;
  return m > 0 ? m + " min " + s + " s" : s + " s";
}

document.querySelectorAll(".toggle button").forEach((button) => {
  button.addEventListener("click", () => {
    shownTable = button.dataset.table;
    document.querySelectorAll(".toggle button").forEach((b) => b.classList.toggle("active", b === button));
    drawGold();
  });
});

function connect() {
  const source = new EventSource("events");
  source.addEventListener("snapshot", (event) => {
    document.getElementById("connection-banner").hidden = true;
    render(JSON.parse(event.data));
  });
  source.onerror = () => {
    // EventSource reconnects by itself; say so while it does.
    if (latest && latest.state !== "finished" && latest.state !== "stopped") {
      document.getElementById("connection-banner").hidden = false;
    }
  };
}

connect();
