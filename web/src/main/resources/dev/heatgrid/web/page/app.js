// heatgrid serve: the live page. The server reads and encodes each frame once (FrameEncoder.java
// describes the bytes); this page decodes it, colours it with the viewer's own colour tables and
// draws it. No libraries, nothing fetched from anywhere but this server.
'use strict';

const token = new URLSearchParams(location.search).get('token');
const $ = (id) => document.getElementById(id);

/** A URL on this server, carrying the token when the page was opened with one. */
function api(path, params = {}) {
  const query = new URLSearchParams(params);
  if (token) query.set('token', token);
  const q = query.toString();
  return path + (q ? '?' + q : '');
}

const state = {
  run: null,            // the "run" message: grid, fields, extent
  maps: new Map(),      // colour map name -> {table, diverging, nan}
  field: null,          // field shown here
  frame: null,          // newest decoded frame {meta, codes}
  fixedRange: null,     // [min, max] typed by the user, or null for the server's automatic range
  history: null,        // {time: [], fields: {name: {min, mean, max, total}}}
  lastHistoryGeneration: 0,
  painted: 0,
  paintTimes: [],
  decodeMillis: 0,      // main-thread time this page spent decoding and painting frames, reported with the count
  paintMillis: 0,
  status: null,
};

// ---- colour -----------------------------------------------------------------------------------

/** The range the picture spans: the user's, or the server's automatic one (zero-centred for diverging maps, as the window does). */
function colourRange(meta) {
  if (state.fixedRange) return state.fixedRange;
  let [min, max] = meta.range;
  const map = state.maps.get($('colormap').value);
  if (map && map.diverging && min < 0 && max > 0) {
    const reach = Math.max(-min, max);
    [min, max] = [-reach, reach];
  }
  return [min, max];
}

/**
 * Code (0..65534, 65535 = NaN) to RGBA for one quantization and the chosen map and range. The server
 * quantizes against its automatic range, which changes only when the data outgrows or long underuses
 * it, so the table is built again only then (or when the map or range here changes), not per frame.
 */
let lut = null;
let lutKey = '';
function lookupTable(meta, range, map) {
  const key = `${meta.lo} ${meta.hi} ${range[0]} ${range[1]} ${$('colormap').value}`;
  if (key === lutKey) return lut;
  lut = lut || new Uint32Array(65536);
  const [min, max] = range;
  const step = meta.hi > meta.lo ? (meta.hi - meta.lo) / 65534 : 0;
  const scale = 256 / (max - min);
  const table = map.table.map(rgba);
  for (let q = 0; q < 65535; q++) {
    const position = (meta.lo + q * step - min) * scale;
    lut[q] = table[position <= 0 ? 0 : position >= 255 ? 255 : Math.floor(position)];
  }
  lut[65535] = rgba(map.nan);
  lutKey = key;
  return lut;
}

/** 0xRRGGBB to a little-endian RGBA word for ImageData. */
function rgba(rgb) {
  return (0xff000000 | ((rgb & 0xff) << 16) | (rgb & 0xff00) | ((rgb >> 16) & 0xff)) >>> 0;
}

function css(rgb) {
  return '#' + rgb.toString(16).padStart(6, '0');
}

// ---- decoding ---------------------------------------------------------------------------------

// Frames are taken as they come but decoded and drawn at most once per animation frame, the newest
// only: a frame superseded before the browser could show it costs nothing but its arrival. Every frame
// message is acknowledged when the page starts drawing it or passes it over; the server sends the next
// frame only then, so it travels while this one is drawn and the server never sends faster than the
// page draws.
let pending = null;
let drawScheduled = false;

function onFrameMessage(buffer) {
  if (pending) acknowledge();
  pending = buffer;
  if (!drawScheduled) {
    drawScheduled = true;
    requestAnimationFrame(drawPending);
  }
}

function acknowledge() {
  if (socket && socket.readyState === WebSocket.OPEN) socket.send('{"ack":1}');
}

function drawPending() {
  drawScheduled = false;
  const buffer = pending;
  pending = null;
  if (!buffer) return;
  acknowledge();
  const started = performance.now();
  const frame = decode(buffer);
  state.decodeMillis += performance.now() - started;
  if (frame && frame.meta.field === state.field) {
    state.frame = frame;
    addHistory(frame.meta);
    paint();
  }
}

const utf8 = new TextDecoder();
/** Two code arrays in turn: the one the shown frame holds (for the cursor) is never written over. */
const codeBuffers = [new Uint16Array(0), new Uint16Array(0)];
let nextCodeBuffer = 0;

function decode(buffer) {
  const bytes = new Uint8Array(buffer);
  if (bytes.length < 8 || bytes[0] !== 0x48 || bytes[1] !== 0x47 || bytes[2] !== 0x46 || bytes[3] !== 0x32) {
    return null; // not "HGF2"
  }
  const metaLength = new DataView(buffer).getUint32(4, true);
  const meta = JSON.parse(utf8.decode(bytes.subarray(8, 8 + metaLength)));
  const count = meta.width * meta.height;
  if (codeBuffers[nextCodeBuffer].length !== count) codeBuffers[nextCodeBuffer] = new Uint16Array(count);
  const codes = codeBuffers[nextCodeBuffer];
  nextCodeBuffer ^= 1;
  decodeRows(bytes, 8 + metaLength, meta.width, meta.height, codes);
  return {meta, codes};
}

/**
 * The codes from bytes[at..], image rows from the top, as CodeRows.java lays them out: per row a
 * symbol width w (2, 4, 8 or 16), the row's w-bit symbols at fixed places (symbol x in the bits from
 * (x * w) mod 8 up of byte (x * w) / 8), then, for w < 16, the differences of the escaped symbols
 * (2^w - 1), two bytes each. A symbol is the difference itself (w = 16) or its zigzag; the difference
 * is from left + up - up-left (0 outside the image), mod 2^16.
 */
function decodeRows(bytes, at, width, height, codes) {
  for (let row = 0, i = 0; row < height; row++) {
    const w = bytes[at++];
    const above = row === 0 ? -1 : i - width;
    let left = 0;
    let upLeft = 0;
    if (w === 16) {
      for (let x = 0; x < width; x++, i++, at += 2) {
        const up = above < 0 ? 0 : codes[above + x];
        left = ((bytes[at] | (bytes[at + 1] << 8)) + left + up - upLeft) & 0xffff;
        codes[i] = left;
        upLeft = up;
      }
      continue;
    }
    const escape = (1 << w) - 1;
    const perByte = w === 2 ? 2 : w === 4 ? 1 : 0; // log2 of the symbols in a byte
    const lane = (1 << perByte) - 1;
    let escaped = at + ((width * w + 7) >> 3);
    for (let x = 0; x < width; x++, i++) {
      const s = (bytes[at + (x >> perByte)] >> ((x & lane) * w)) & escape;
      let d;
      if (s !== escape) {
        d = (s >>> 1) ^ -(s & 1);
      } else {
        d = bytes[escaped] | (bytes[escaped + 1] << 8);
        escaped += 2;
      }
      const up = above < 0 ? 0 : codes[above + x];
      left = (d + left + up - upLeft) & 0xffff;
      codes[i] = left;
      upLeft = up;
    }
    at = escaped;
  }
}

// ---- drawing ----------------------------------------------------------------------------------

const MARGIN = {left: 64, right: 96, top: 26, bottom: 42};

function sizeCanvas(canvas) {
  const ratio = window.devicePixelRatio || 1;
  const w = Math.max(1, Math.round(canvas.clientWidth * ratio));
  const h = Math.max(1, Math.round(canvas.clientHeight * ratio));
  if (canvas.width !== w || canvas.height !== h) {
    canvas.width = w;
    canvas.height = h;
  }
  const g = canvas.getContext('2d');
  g.setTransform(ratio, 0, 0, ratio, 0, 0);
  return {g, width: canvas.clientWidth, height: canvas.clientHeight};
}

/** Where the grid lies on the canvas: the largest area with the grid's physical aspect ratio. */
function plotArea(width, height) {
  const run = state.run;
  const w = Math.max(10, width - MARGIN.left - MARGIN.right);
  const h = Math.max(10, height - MARGIN.top - MARGIN.bottom);
  const aspect = run.width / run.height;
  const pw = Math.max(1, Math.floor(Math.min(w, h * aspect)));
  const ph = Math.max(1, Math.floor(pw / aspect));
  // Whole pixels: each frame's picture then covers the last one exactly, with no blended edge.
  return {x: MARGIN.left + Math.floor((w - pw) / 2), y: MARGIN.top + Math.floor((h - ph) / 2), w: pw, h: ph};
}

let pixels = null;   // the ImageData the frame is coloured into, reused while the size stays
let chromeKey = '';  // what the axes, colour bar and the picture's place were last laid out for

/**
 * Draws the newest frame. The picture is a canvas of one pixel per block that the browser's compositor
 * scales onto the plot area; the axes and colour bar lie on a canvas of their own beneath it, drawn
 * again only when the size, run, range or map changes. So a frame costs one putImageData of the
 * block image and a line of text, not a redraw of the whole plot.
 */
function paint() {
  const started = performance.now();
  const frame = state.frame;
  const map = state.maps.get($('colormap').value);
  if (!frame || !map || !state.run) return;
  const meta = frame.meta;
  const range = colourRange(meta);
  const lut = lookupTable(meta, range, map);
  const picture = $('heatmap');
  if (!pixels || pixels.width !== meta.width || pixels.height !== meta.height) {
    picture.width = meta.width;
    picture.height = meta.height;
    pixels = new ImageData(meta.width, meta.height);
  }
  const out = new Uint32Array(pixels.data.buffer);
  const codes = frame.codes;
  for (let i = 0; i < codes.length; i++) out[i] = lut[codes[i]];
  picture.getContext('2d').putImageData(pixels, 0, 0);

  const axesCanvas = $('axes');
  const run = state.run;
  const key = [axesCanvas.clientWidth, axesCanvas.clientHeight, window.devicePixelRatio, run.x0, run.y0, run.width,
    run.height, range[0], range[1], map.name].join(' ');
  if (key !== chromeKey) {
    chromeKey = key;
    const {g, width, height} = sizeCanvas(axesCanvas);
    const area = plotArea(width, height);
    g.clearRect(0, 0, width, height);
    g.strokeStyle = '#444';
    g.strokeRect(area.x - 0.5, area.y - 0.5, area.w + 1, area.h + 1);
    axes(g, area);
    colourBar(g, area, range, map);
    Object.assign(picture.style, {left: area.x + 'px', top: area.y + 'px', width: area.w + 'px', height: area.h + 'px'});
  }
  const blocks = meta.blockX > 1 || meta.blockY > 1
    ? ` · ${state.run.nx} × ${state.run.ny} shown as ${meta.width} × ${meta.height} block ${meta.reduction}s` : '';
  $('title').textContent = `${meta.field} · generation ${meta.generation} · step ${meta.step} · t = ${num(meta.time)}${blocks}`;

  showFrameStatus(meta);
  const now = performance.now();
  state.painted++;
  state.paintTimes.push(now);
  state.paintMillis += now - started;
}

function axes(g, area) {
  const run = state.run;
  g.fillStyle = '#1b1b1b';
  g.strokeStyle = '#444';
  g.font = '11px system-ui, sans-serif';
  g.textAlign = 'center';
  g.textBaseline = 'top';
  for (const v of ticks(run.x0, run.x0 + run.width, Math.max(2, Math.floor(area.w / 90)))) {
    const x = area.x + (v - run.x0) / run.width * area.w;
    g.beginPath(); g.moveTo(x, area.y + area.h); g.lineTo(x, area.y + area.h + 5); g.stroke();
    g.fillText(num(v), x, area.y + area.h + 7);
  }
  g.fillText('x', area.x + area.w / 2, area.y + area.h + 24);
  g.textAlign = 'right';
  g.textBaseline = 'middle';
  for (const v of ticks(run.y0, run.y0 + run.height, Math.max(2, Math.floor(area.h / 60)))) {
    const y = area.y + area.h - (v - run.y0) / run.height * area.h;
    g.beginPath(); g.moveTo(area.x, y); g.lineTo(area.x - 5, y); g.stroke();
    g.fillText(num(v), area.x - 7, y);
  }
  g.save();
  g.translate(Math.max(14, area.x - 50), area.y + area.h / 2);
  g.rotate(-Math.PI / 2);
  g.textAlign = 'center';
  g.fillText('y', 0, 0);
  g.restore();
}

function colourBar(g, area, range, map) {
  const x = area.x + area.w + 18;
  const w = 16;
  for (let i = 0; i < 256; i++) {
    const y0 = area.y + area.h - (i + 1) / 256 * area.h;
    g.fillStyle = css(map.table[i]);
    g.fillRect(x, y0, w, area.h / 256 + 0.5);
  }
  g.strokeStyle = '#444';
  g.strokeRect(x - 0.5, area.y - 0.5, w + 1, area.h + 1);
  g.fillStyle = '#1b1b1b';
  g.textAlign = 'left';
  g.textBaseline = 'middle';
  g.font = '11px system-ui, sans-serif';
  const [min, max] = range;
  for (const v of ticks(min, max, Math.max(2, Math.floor(area.h / 50)))) {
    const y = area.y + area.h - (v - min) / (max - min) * area.h;
    g.fillText(num(v), x + w + 5, y);
  }
}

/** Round tick values between a and b, about n of them. */
function ticks(a, b, n) {
  const span = b - a;
  if (!(span > 0) || !isFinite(span)) return [a];
  const raw = span / n;
  const power = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= raw) || raw;
  const out = [];
  for (let v = Math.ceil(a / step) * step; v <= b + step * 1e-9; v += step) out.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  return out;
}

/** A number in at most 4 significant digits, exponent when large or small. */
function num(v) {
  if (v === null || v === undefined || Number.isNaN(v)) return '–';
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a >= 1e5 || a < 1e-3 ? v.toExponential(2) : String(Number(v.toPrecision(4)));
}

// ---- history ----------------------------------------------------------------------------------

const HISTORY_CAPACITY = 2000;
let lastHistoryDraw = 0;

function addHistory(meta) {
  const h = state.history;
  if (!h || meta.generation <= state.lastHistoryGeneration) return;
  state.lastHistoryGeneration = meta.generation;
  if (h.time.length >= HISTORY_CAPACITY) {
    // Keep the whole run at half the detail, as the server does.
    h.time = h.time.filter((_, i) => i % 2 === 1);
    for (const s of Object.values(h.fields)) for (const k of Object.keys(s)) s[k] = s[k].filter((_, i) => i % 2 === 1);
  }
  h.time.push(meta.time);
  for (const s of meta.stats) {
    const series = h.fields[s.field];
    if (!series) continue;
    series.min.push(s.min); series.mean.push(s.mean); series.max.push(s.max); series.total.push(s.total);
  }
  // Redrawn twice a second, not per frame: a history of thousands of points moves little between frames.
  const now = performance.now();
  if (now - lastHistoryDraw >= 500) {
    lastHistoryDraw = now;
    drawHistory();
  }
}

function drawHistory() {
  const h = state.history;
  const {g, width, height} = sizeCanvas($('stats'));
  g.clearRect(0, 0, width, height);
  if (!h || !state.field || !h.fields[state.field] || h.time.length < 2) return;
  const s = h.fields[state.field];
  const area = {x: 64, y: 10, w: Math.max(10, width - 64 - 80), h: Math.max(10, height - 10 - 30)};
  const t0 = h.time[0], t1 = h.time[h.time.length - 1];
  const finite = (list) => list.filter((v) => v !== null && isFinite(v));
  const values = finite([...s.min, ...s.max, ...s.mean]);
  let lo = Math.min(...values), hi = Math.max(...values);
  if (!(hi > lo)) { lo -= 1; hi += 1; }
  const totals = finite(s.total);
  let tlo = Math.min(...totals), thi = Math.max(...totals);
  if (!(thi > tlo)) { tlo -= Math.abs(tlo) * 1e-3 + 1e-12; thi += Math.abs(thi) * 1e-3 + 1e-12; }
  const xOf = (t) => area.x + (t1 > t0 ? (t - t0) / (t1 - t0) : 0) * area.w;
  const line = (list, colour, low, high) => {
    g.strokeStyle = colour;
    g.lineWidth = 1.5;
    g.beginPath();
    let started = false;
    list.forEach((v, i) => {
      if (v === null || !isFinite(v)) { started = false; return; }
      const x = xOf(h.time[i]);
      const y = area.y + area.h - (v - low) / (high - low) * area.h;
      if (started) g.lineTo(x, y); else g.moveTo(x, y);
      started = true;
    });
    g.stroke();
  };
  g.strokeStyle = '#444';
  g.lineWidth = 1;
  g.strokeRect(area.x - 0.5, area.y - 0.5, area.w + 1, area.h + 1);
  g.fillStyle = '#1b1b1b';
  g.font = '11px system-ui, sans-serif';
  g.textAlign = 'right';
  g.textBaseline = 'middle';
  for (const v of ticks(lo, hi, 3)) g.fillText(num(v), area.x - 6, area.y + area.h - (v - lo) / (hi - lo) * area.h);
  g.textAlign = 'left';
  for (const v of ticks(tlo, thi, 3)) g.fillText(num(v), area.x + area.w + 6, area.y + area.h - (v - tlo) / (thi - tlo) * area.h);
  g.textAlign = 'center';
  g.textBaseline = 'top';
  for (const v of ticks(t0, t1, Math.max(2, Math.floor(area.w / 110)))) g.fillText(num(v), xOf(v), area.y + area.h + 4);
  g.fillText('simulated time', area.x + area.w / 2, area.y + area.h + 17);
  line(s.min, '#3b4cc0', lo, hi);
  line(s.mean, '#1b1b1b', lo, hi);
  line(s.max, '#b40426', lo, hi);
  line(s.total, '#e08a00', tlo, thi);
  g.textAlign = 'left';
  g.textBaseline = 'top';
  [['min', '#3b4cc0'], ['mean', '#1b1b1b'], ['max', '#b40426'], ['total (right axis)', '#e08a00']].forEach(([name, c], i) => {
    g.fillStyle = c;
    g.fillText(name, area.x + 8 + i * 70, area.y + 4);
  });
}

// ---- status -----------------------------------------------------------------------------------

function setValue(id, value, text) {
  const el = $(id);
  el.dataset.value = value === null || value === undefined ? '' : String(value);
  el.textContent = text;
}

function showFrameStatus(meta) {
  setValue('generation', meta.generation, String(meta.generation));
  setValue('step', meta.step, String(meta.step));
  setValue('time', meta.time, num(meta.time));
  const s = meta.stats[meta.fieldIndex];
  $('field-name').textContent = meta.field;
  setValue('stat-min', s.min, num(s.min));
  setValue('stat-mean', s.mean, num(s.mean));
  setValue('stat-max', s.max, num(s.max));
  $('age').textContent = meta.ageMillis === null ? '–' : Math.round(meta.ageMillis) + ' ms';
}

function showStatus(status) {
  state.status = status;
  $('steps-per-second').textContent = status.stepsPerSecond ? num(status.stepsPerSecond) : '0';
  $('fps-server').textContent = (status.framesPerSecond || 0).toFixed(1);
  $('skipped').textContent = status.skipped;
  $('checksum').textContent = status.checksum;
  $('checksum').className = status.checksumFailing ? 'error' : '';
  $('writer-state').textContent = status.writer.state;
  $('writer-pid').textContent = status.writer.pid ? ` (pid ${status.writer.pid})` : '';
  $('alert').textContent = status.alert || '';
  $('commands').textContent = status.commands ? 'steering: ' + status.commands : '';
}

/** Frames this page painted per second over the last 2 s. */
setInterval(() => {
  const now = performance.now();
  state.paintTimes = state.paintTimes.filter((t) => now - t <= 2000);
  $('fps-browser').textContent = (state.paintTimes.length / 2).toFixed(1);
  if (socket && socket.readyState === WebSocket.OPEN) {
    socket.send(JSON.stringify({painted: state.painted, decodeMillis: state.decodeMillis, paintMillis: state.paintMillis}));
  }
}, 1000);

// ---- the live socket --------------------------------------------------------------------------

let socket = null;
let retry = 500;

function connect() {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const params = state.field ? {field: state.field} : {};
  socket = new WebSocket(scheme + '//' + location.host + api('/live', params));
  socket.binaryType = 'arraybuffer';
  socket.onopen = () => { retry = 500; };
  socket.onmessage = (event) => {
    if (typeof event.data !== 'string') {
      onFrameMessage(event.data);
      return;
    }
    const message = JSON.parse(event.data);
    if (message.type === 'run') onRun(message);
    else if (message.type === 'history') { state.history = message; state.lastHistoryGeneration = 0; drawHistory(); }
    else if (message.type === 'status') showStatus(message);
    else if (message.type === 'error') $('alert').textContent = message.message;
  };
  socket.onclose = () => {
    $('alert').textContent = 'lost the connection to heatgrid serve; trying again…';
    setTimeout(connect, retry);
    retry = Math.min(retry * 2, 5000);
  };
}

function onRun(run) {
  const first = state.run === null;
  state.run = run;
  $('segment').textContent = `${run.segment} (${run.nx} × ${run.ny}, ${run.kernel})`;
  const select = $('field');
  select.replaceChildren(...run.fields.map((f) => new Option(f, f)));
  if (!state.field || !run.fields.includes(state.field)) state.field = run.field;
  select.value = state.field;
  select.disabled = run.fields.length < 2;
  if (first) $('colormap').value = run.colormap;
  $('steer').hidden = !run.steering;
  state.frame = null;
  updateDownloads();
}

// ---- controls ---------------------------------------------------------------------------------

function updateDownloads() {
  const params = {field: state.field || '', colormap: $('colormap').value};
  if (state.fixedRange) params.range = state.fixedRange.join(':');
  $('download-png').href = api('/api/frame.png', params);
  $('download-npy').href = api('/api/frame.npy', {field: state.field || ''});
}

$('field').addEventListener('change', () => {
  state.field = $('field').value;
  state.frame = null;
  drawHistory();
  updateDownloads();
  if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify({field: state.field}));
});

$('colormap').addEventListener('change', () => { updateDownloads(); paint(); });

// A hidden page draws nothing (no animation frames), so it acknowledges nothing and the server stops
// sending it frames. Shown again, it asks to be greeted afresh: the history it missed meanwhile.
document.addEventListener('visibilitychange', () => {
  if (!document.hidden && socket && socket.readyState === WebSocket.OPEN && state.field) {
    socket.send(JSON.stringify({field: state.field}));
  }
});

$('range').addEventListener('change', () => {
  const text = $('range').value.trim();
  $('range-error').textContent = '';
  if (text === '') {
    state.fixedRange = null;
  } else {
    const parts = text.split(':');
    const [min, max] = parts.map((p) => Number(p.trim()));
    if (parts.length !== 2 || parts.some((p) => p.trim() === '') || !isFinite(min) || !isFinite(max) || !(min < max)) {
      $('range-error').textContent = `range '${text}': expected MIN:MAX with two finite numbers and MIN < MAX, e.g. 0:100`;
      return;
    }
    state.fixedRange = [min, max];
  }
  updateDownloads();
  paint();
});

for (const button of document.querySelectorAll('#steer button')) {
  button.addEventListener('click', () => steer(button.dataset.action));
}

async function steer(action) {
  const argument = action === 'set' ? $('steer-set').value.trim() : action === 'heat' ? $('steer-heat').value.trim() : '';
  const result = $('steer-result');
  result.textContent = `${action} ${argument}…`;
  result.className = '';
  try {
    const response = await fetch(api('/api/steer'), {
      method: 'POST', headers: {'Content-Type': 'application/json'}, body: JSON.stringify({action, argument}),
    });
    const answer = await response.json();
    if (!response.ok) {
      result.textContent = answer.error;
      result.className = 'refused';
    } else if (answer.applied) {
      result.textContent = `applied at step ${answer.step}${answer.message ? ': ' + answer.message : ''}`;
    } else {
      result.textContent = `refused by the solver${answer.message ? ': ' + answer.message : ''}`;
      result.className = 'refused';
    }
  } catch (e) {
    result.textContent = 'could not reach the server: ' + e;
    result.className = 'refused';
  }
}

$('heatmap').addEventListener('mousemove', (event) => {
  const frame = state.frame;
  if (!frame || !state.run) return;
  const rect = $('heatmap').getBoundingClientRect(); // the picture is the plot area
  const u = (event.clientX - rect.left) / rect.width;
  const v = (event.clientY - rect.top) / rect.height;
  if (u < 0 || u >= 1 || v < 0 || v >= 1) { $('cursor').textContent = ' '; return; }
  const meta = frame.meta;
  const px = Math.floor(u * meta.width), py = Math.floor(v * meta.height);
  const code = frame.codes[py * meta.width + px];
  const value = code === 65535 ? NaN : meta.lo + code * (meta.hi > meta.lo ? (meta.hi - meta.lo) / 65534 : 0);
  const cx = Math.min(state.run.nx - 1, Math.floor(u * state.run.nx));
  const cy = Math.min(state.run.ny - 1, Math.floor((1 - v) * state.run.ny));
  const x = state.run.x0 + u * state.run.width, y = state.run.y0 + (1 - v) * state.run.height;
  const block = meta.blockX > 1 || meta.blockY > 1 ? ` (block ${meta.reduction})` : '';
  $('cursor').textContent = `cell ${cx},${cy} · x ${num(x)} y ${num(y)} · ${meta.field} ≈ ${num(value)}${block}`;
});
$('heatmap').addEventListener('mouseleave', () => { $('cursor').textContent = ' '; });

window.addEventListener('resize', () => { paint(); drawHistory(); });

async function start() {
  const maps = await (await fetch(api('/api/colormaps'))).json();
  const select = $('colormap');
  for (const m of maps) {
    state.maps.set(m.name, m);
    const option = new Option(m.name, m.name);
    option.title = m.description;
    select.add(option);
  }
  updateDownloads();
  connect();
}

start();
