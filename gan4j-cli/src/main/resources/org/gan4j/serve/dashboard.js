// Live view of gan4j runs: listens to /events (Server-Sent Events) and draws with Chart.js.
'use strict';

const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#17becf', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22'];
// the fixed charts; every other numeric field of metrics.jsonl gets a chart of its own
const FIXED = [
  {id: 'losses', title: 'losses', series: [['loss_d', 'D loss'], ['loss_g', 'G loss']]},
  {id: 'outputs', title: 'discriminator outputs: D(x), D(G(z))', series: [['d_real', 'D(x)'], ['d_fake', 'D(G(z))']]},
];
const FIXED_KEYS = new Set(['step', ...FIXED.flatMap(c => c.series.map(s => s[0]))]);
const TITLES = {images_per_s: 'images per second', sample_diversity: 'sample diversity (mean pairwise distance of the fixed-noise samples)',
  ada_p: 'ADA: probability p of each augmentation',
  d_logit_seen: "D's mean logit on 512 images it trains on", d_logit_unseen: "D's mean logit on 512 images left out (below the trained ones: D memorises)"};
// logged on every step, so drawn as lines; the others (evaluations) are sparse and show their points
const EVERY_STEP = new Set(['images_per_s', 'ada_p']);

const runs = new Map();     // name -> {color, config, last, visible, row}
const charts = new Map();   // chart id -> {chart, series}
let dirty = false;

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  for (const c of children) e.append(c);
  return e;
}

function chartFor(id, title, series, pointRadius = 0) {
  if (charts.has(id)) return charts.get(id);
  const canvas = el('canvas', {id: 'chart-' + id});
  document.getElementById('charts').append(el('div', {class: 'chart'}, canvas));
  const chart = new Chart(canvas, {
    type: 'line',
    data: {datasets: []},
    options: {
      animation: false, parsing: false, normalized: true, maintainAspectRatio: false,
      interaction: {mode: 'nearest', intersect: false},
      elements: {point: {radius: pointRadius}, line: {borderWidth: 1.5}},
      scales: {x: {type: 'linear', title: {display: true, text: 'step'}}},
      plugins: {title: {display: true, text: title}, decimation: {enabled: true, algorithm: 'lttb', samples: 600},
                legend: {labels: {boxWidth: 12}}},
    },
  });
  const entry = {chart, series};
  charts.set(id, entry);
  return entry;
}

function dataset(entry, run, key, label, dashed) {
  const name = run + ' · ' + label;
  let ds = entry.chart.data.datasets.find(d => d.label === name);
  if (!ds) {
    const r = runs.get(run);
    ds = {label: name, data: [], borderColor: r.color, backgroundColor: r.color, borderDash: dashed ? [6, 3] : [],
          hidden: !r.visible, run};
    entry.chart.data.datasets.push(ds);
  }
  return ds;
}

function addRun(name, config) {
  if (runs.has(name)) {   // the stream reconnected and starts over: forget what it sent before
    for (const {chart} of charts.values()) chart.data.datasets.forEach(d => { if (d.run === name) d.data.length = 0; });
    document.querySelectorAll(`#alarms li[data-run="${CSS.escape(name)}"]`).forEach(li => li.remove());
    return;
  }
  const color = PALETTE[runs.size % PALETTE.length];
  const checkbox = el('input', {type: 'checkbox', checked: ''});
  const cells = {};
  const row = el('tr', {'data-run': name}, el('td', {}, checkbox), el('td', {}, el('span', {class: 'swatch', style: 'background:' + color}), name));
  for (const k of ['model', 'data', 'loss', 'step', 'ips', 'eta', 'loss_d', 'loss_g', 'd_real', 'd_fake']) {
    cells[k] = el('td');
    row.append(cells[k]);
  }
  cells.model.textContent = config?.model ?? '?';
  cells.data.textContent = config?.data ?? '?';
  cells.loss.textContent = config?.loss ?? '?';
  document.getElementById('runs').append(row);
  document.getElementById('no-runs').hidden = true;
  runs.set(name, {color, config, last: null, visible: true, cells});
  checkbox.addEventListener('change', () => {
    runs.get(name).visible = checkbox.checked;
    for (const {chart} of charts.values()) chart.data.datasets.forEach(d => { if (d.run === name) d.hidden = !checkbox.checked; });
    dirty = true;
  });
  document.getElementById('configs').append(
    el('details', {}, el('summary', {}, name), el('pre', {}, JSON.stringify(config, null, 2))));
}

function fmt(v, digits = 3) {
  return typeof v === 'number' ? v.toFixed(digits) : '–';
}

function duration(seconds) {
  if (!isFinite(seconds)) return '–';
  const s = Math.round(seconds), h = Math.floor(s / 3600), m = Math.floor(s / 60) % 60;
  return h > 0 ? `${h}h${String(m).padStart(2, '0')}m` : `${m}m${String(s % 60).padStart(2, '0')}s`;
}

// a resumed run logs again from its last checkpoint: its new points replace those at the same steps or later
function push(ds, x, y) {
  while (ds.data.length && ds.data[ds.data.length - 1].x >= x) ds.data.pop();
  ds.data.push({x, y});
}

function addMetrics(run, lines) {
  const r = runs.get(run);
  for (const entry of FIXED.map(c => chartFor(c.id, c.title, c.series))) {
    entry.series.forEach(([key, label], i) => {
      const ds = dataset(entry, run, key, label, i === 1);
      for (const m of lines) if (typeof m[key] === 'number') push(ds, m.step, m[key]);
    });
  }
  const extra = new Set();
  for (const m of lines) for (const [k, v] of Object.entries(m)) if (!FIXED_KEYS.has(k) && typeof v === 'number') extra.add(k);
  for (const key of extra) {
    const entry = chartFor('metric-' + key, TITLES[key] ?? key, [[key, key]], EVERY_STEP.has(key) ? 0 : 2);
    const ds = dataset(entry, run, key, key, false);
    for (const m of lines) if (typeof m[key] === 'number') push(ds, m.step, m[key]);
  }
  r.last = lines[lines.length - 1];
  const c = r.cells, last = r.last, total = r.config?.steps;
  c.step.textContent = total ? `${last.step} / ${total}` : String(last.step);
  c.ips.textContent = fmt(last.images_per_s, 0);
  const stepsPerSecond = (last.images_per_s ?? 0) / (r.config?.batchSize ?? 1);
  c.eta.textContent = total && last.step >= total ? 'done' : duration((total - last.step) / stepsPerSecond);
  for (const k of ['loss_d', 'loss_g', 'd_real', 'd_fake']) if (typeof last[k] === 'number') c[k].textContent = fmt(last[k]);
  dirty = true;
}

function showSample(run, sample) {
  let fig = document.querySelector(`figure[data-run="${CSS.escape(run)}"]`);
  if (!fig) {
    fig = el('figure', {'data-run': run}, el('img', {alt: 'samples of ' + run}), el('figcaption'));
    document.getElementById('samples').append(fig);
  }
  fig.querySelector('img').src = sample.url;
  fig.querySelector('figcaption').textContent = `${run}, step ${sample.step}`;
}

function showAlarms(run, alarms) {
  document.getElementById('alarms-box').hidden = false;
  for (const a of alarms) {
    document.getElementById('alarms').append(el('li', {'data-kind': a.kind, 'data-run': run}, `${run}, step ${a.step}: ${a.message}`));
  }
}

function connect() {
  const source = new EventSource('events');
  const status = document.getElementById('connection');
  source.onopen = () => { status.textContent = 'live'; };
  source.onerror = () => { status.textContent = 'disconnected, retrying…'; };
  source.addEventListener('run', e => { const d = JSON.parse(e.data); addRun(d.run, d.config); });
  source.addEventListener('metrics', e => { const d = JSON.parse(e.data); addMetrics(d.run, d.lines); });
  source.addEventListener('sample', e => { const d = JSON.parse(e.data); showSample(d.run, d); });
  source.addEventListener('alarm', e => { const d = JSON.parse(e.data); showAlarms(d.run, d.lines); });
}

function redraw() {
  if (dirty) {
    dirty = false;
    for (const {chart} of charts.values()) chart.update('none');
  }
  requestAnimationFrame(redraw);
}

connect();
requestAnimationFrame(redraw);
