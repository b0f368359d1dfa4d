/**
 * The report page's script, as text inlined into the page. It reads the embedded findings
 * (`#custos-data`), renders the findings table a page at a time, filters, sorts, shows a
 * finding's detail, and switches the control-matrix tabs. It builds every node with DOM calls
 * and `textContent`-style appends (never HTML strings) and fetches nothing.
 *
 * Kept as plain ES2020 in a string so the page needs no build step; the browser test runs it.
 */

/**
 * SHA-256 of a string's UTF-8 bytes, as lowercase hex: the page recomputes standard
 * fingerprints (core/fingerprint.ts) instead of carrying 64 bytes per finding.
 */
export const CLIENT_SHA256 = `
var SHA256_K = new Uint32Array([
  0x428a2f98,0x71374491,0xb5c0fbcf,0xe9b5dba5,0x3956c25b,0x59f111f1,0x923f82a4,0xab1c5ed5,
  0xd807aa98,0x12835b01,0x243185be,0x550c7dc3,0x72be5d74,0x80deb1fe,0x9bdc06a7,0xc19bf174,
  0xe49b69c1,0xefbe4786,0x0fc19dc6,0x240ca1cc,0x2de92c6f,0x4a7484aa,0x5cb0a9dc,0x76f988da,
  0x983e5152,0xa831c66d,0xb00327c8,0xbf597fc7,0xc6e00bf3,0xd5a79147,0x06ca6351,0x14292967,
  0x27b70a85,0x2e1b2138,0x4d2c6dfc,0x53380d13,0x650a7354,0x766a0abb,0x81c2c92e,0x92722c85,
  0xa2bfe8a1,0xa81a664b,0xc24b8b70,0xc76c51a3,0xd192e819,0xd6990624,0xf40e3585,0x106aa070,
  0x19a4c116,0x1e376c08,0x2748774c,0x34b0bcb5,0x391c0cb3,0x4ed8aa4a,0x5b9cca4f,0x682e6ff3,
  0x748f82ee,0x78a5636f,0x84c87814,0x8cc70208,0x90befffa,0xa4506ceb,0xbef9a3f7,0xc67178f2
]);
function sha256hex(text) {
  var bytes = new TextEncoder().encode(text);
  var len = bytes.length;
  var words = ((len + 9 + 63) >> 6) << 4;
  var w = new Uint32Array(words);
  for (var i = 0; i < len; i++) w[i >> 2] |= bytes[i] << (24 - (i & 3) * 8);
  w[len >> 2] |= 0x80 << (24 - (len & 3) * 8);
  w[words - 1] = len * 8;
  w[words - 2] = Math.floor(len / 0x20000000);
  var h = new Uint32Array([0x6a09e667,0xbb67ae85,0x3c6ef372,0xa54ff53a,0x510e527f,0x9b05688c,0x1f83d9ab,0x5be0cd19]);
  var m = new Uint32Array(64);
  function rotr(x, n) { return (x >>> n) | (x << (32 - n)); }
  for (var b = 0; b < words; b += 16) {
    for (var t = 0; t < 16; t++) m[t] = w[b + t];
    for (t = 16; t < 64; t++) {
      var x = m[t - 15], y = m[t - 2];
      var s0 = rotr(x, 7) ^ rotr(x, 18) ^ (x >>> 3);
      var s1 = rotr(y, 17) ^ rotr(y, 19) ^ (y >>> 10);
      m[t] = (m[t - 16] + s0 + m[t - 7] + s1) | 0;
    }
    var A = h[0], B = h[1], C = h[2], D = h[3], E = h[4], F = h[5], G = h[6], H = h[7];
    for (t = 0; t < 64; t++) {
      var S1 = rotr(E, 6) ^ rotr(E, 11) ^ rotr(E, 25);
      var ch = (E & F) ^ (~E & G);
      var t1 = (H + S1 + ch + SHA256_K[t] + m[t]) | 0;
      var S0 = rotr(A, 2) ^ rotr(A, 13) ^ rotr(A, 22);
      var maj = (A & B) ^ (A & C) ^ (B & C);
      var t2 = (S0 + maj) | 0;
      H = G; G = F; F = E; E = (D + t1) | 0; D = C; C = B; B = A; A = (t1 + t2) | 0;
    }
    h[0] += A; h[1] += B; h[2] += C; h[3] += D; h[4] += E; h[5] += F; h[6] += G; h[7] += H;
  }
  var out = '';
  for (i = 0; i < 8; i++) out += (h[i] >>> 0).toString(16).padStart(8, '0');
  return out;
}
`;

export const CLIENT_SCRIPT = String.raw`
(function () {
'use strict';
${CLIENT_SHA256}
var SEV = ['critical', 'high', 'medium', 'low', 'info'];
var STATUS = ['FAIL', 'ERROR', 'PASS'];
var HIST = ['', 'new', 'persisting', 'regressed'];
var STATUS_ORDER = [0, 1, 2];

function $(id) { return document.getElementById(id); }
function el(tag, cls) {
  var node = document.createElement(tag);
  if (cls) node.className = cls;
  for (var i = 2; i < arguments.length; i++) {
    var child = arguments[i];
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}
function fmt(n) { return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ','); }
function when(iso) {
  var m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(iso || '');
  return m ? m[1] + ' ' + m[2] + ' UTC' : String(iso || '');
}

// Framework tabs work even if the findings data cannot be read.
(function tabs() {
  var list = document.querySelector('[role="tablist"]');
  if (!list) return;
  var buttons = Array.prototype.slice.call(list.querySelectorAll('[role="tab"]'));
  function select(button, focus) {
    buttons.forEach(function (b) {
      var on = b === button;
      b.setAttribute('aria-selected', on ? 'true' : 'false');
      b.tabIndex = on ? 0 : -1;
      var panel = $(b.getAttribute('aria-controls'));
      if (panel) panel.hidden = !on;
    });
    if (focus) button.focus();
  }
  buttons.forEach(function (b, i) {
    b.addEventListener('click', function () { select(b, false); });
    b.addEventListener('keydown', function (e) {
      var next = e.key === 'ArrowRight' ? i + 1 : e.key === 'ArrowLeft' ? i - 1 : -2;
      if (next === -2) return;
      e.preventDefault();
      select(buttons[(next + buttons.length) % buttons.length], true);
    });
  });
  if (buttons[0]) select(buttons[0], false);
})();

window.addEventListener('beforeprint', function () {
  document.querySelectorAll('details').forEach(function (d) { d.open = true; });
});

var dataNode = $('custos-data');
if (!dataNode) return;
var DATA = JSON.parse(dataNode.textContent || '{}');
var S = DATA.s, M = DATA.m, ROWS = DATA.f;
var N = ROWS.length;

function metaOf(i) { return M[ROWS[i][0]]; }
function sevOf(i) { return M[ROWS[i][0]].v; }
function statusOf(i) { return ROWS[i][1] % 3; }
function histOf(i) { return (ROWS[i][1] / 3) | 0; }
function accountOf(i) { return S[DATA.t[ROWS[i][2]][0]]; }
function regionOf(i) { return S[DATA.t[ROWS[i][2]][1]]; }
function typeOf(i) { return M[ROWS[i][0]].k; }
function ridOf(i) { return S[ROWS[i][3]] + ROWS[i][4]; }
function firstSeenOf(i) { var r = ROWS[i]; return r.length > 7 && r[7] >= 0 ? S[r[7]] : null; }
function extraOf(i) { var r = ROWS[i]; return r.length > 8 ? r[8] : null; }
function suppressionOf(i) { var x = extraOf(i); return x && x.s !== undefined ? DATA.u[x.s] : null; }
function messageOf(i) {
  var r = ROWS[i], t = S[r[5]];
  if (t.indexOf('\u0003') >= 0) {
    var args = r.length > 6 ? r[6] : 0;
    args = typeof args === 'string' ? args.split(' ') : [];
    var parts = t.split('\u0003'), out = parts[0];
    for (var p = 1; p < parts.length; p++) out += (args[p - 1] === undefined ? '' : args[p - 1]) + parts[p];
    t = out;
  }
  if (t.indexOf('\u0001') < 0 && t.indexOf('\u0002') < 0) return t;
  return t.split('\u0001').join(ridOf(i)).split('\u0002').join(r[4]);
}
var fingerprints = null;
function fingerprintOf(i) {
  var x = extraOf(i);
  if (x && x.p) return x.p;
  if (fingerprints && fingerprints[i]) return fingerprints[i];
  return sha256hex([metaOf(i).c, accountOf(i), regionOf(i), ridOf(i)].join('\u001f'));
}
function allFingerprints() {
  if (!fingerprints) {
    fingerprints = new Array(N);
    for (var i = 0; i < N; i++) fingerprints[i] = fingerprintOf(i);
  }
  return fingerprints;
}

var haystacks = null;
function haystack(i) {
  if (!haystacks) haystacks = new Array(N);
  var h = haystacks[i];
  if (h === undefined) {
    var m = metaOf(i);
    h = [m.c, m.t, SEV[m.v], STATUS[statusOf(i)], HIST[histOf(i)], accountOf(i), DATA.a[accountOf(i)] || '',
      regionOf(i), typeOf(i), ridOf(i), messageOf(i)].join('\u0000').toLowerCase();
    haystacks[i] = h;
  }
  return h;
}

var state = { q: '', status: 'open', sev: '', check: '', account: '', region: '', change: '',
  key: 'sev', dir: 1, page: 0, size: 50, open: -1 };
var view = [];
var DEFAULT_STATUS = $('f-status').value;
state.status = DEFAULT_STATUS;

var q = $('f-q'), fStatus = $('f-status'), fSev = $('f-sev'), fCheck = $('f-check'), fAccount = $('f-account'),
  fRegion = $('f-region'), fChange = $('f-change'), pageSize = $('page-size'), tbody = $('rows');

function option(select, value, label) {
  var o = document.createElement('option');
  o.value = value; o.textContent = label;
  select.append(o);
}
(function fillSelects() {
  var checks = {}, accounts = {}, regions = {};
  for (var i = 0; i < N; i++) {
    checks[metaOf(i).c] = true; accounts[accountOf(i)] = true; regions[regionOf(i)] = true;
  }
  Object.keys(checks).sort().forEach(function (c) { option(fCheck, c, c); });
  Object.keys(accounts).sort().forEach(function (a) {
    option(fAccount, a, DATA.a[a] ? a + ' · ' + DATA.a[a] : a);
  });
  Object.keys(regions).sort().forEach(function (r) { option(fRegion, r, r); });
})();

function matches(i, terms, hexTerm) {
  var st = statusOf(i);
  var suppressed = st === 0 && suppressionOf(i) !== null;
  switch (state.status) {
    case 'open': if (st === 2 || suppressed) return false; break;
    case 'FAIL': if (st !== 0 || suppressed) return false; break;
    case 'ERROR': if (st !== 1) return false; break;
    case 'PASS': if (st !== 2) return false; break;
    case 'suppressed': if (suppressionOf(i) === null) return false; break;
    default: break;
  }
  if (state.sev !== '' && SEV[sevOf(i)] !== state.sev) return false;
  if (state.check !== '' && metaOf(i).c !== state.check) return false;
  if (state.account !== '' && accountOf(i) !== state.account) return false;
  if (state.region !== '' && regionOf(i) !== state.region) return false;
  if (state.change !== '' && HIST[histOf(i)] !== state.change) return false;
  if (terms.length > 0) {
    var h = haystack(i);
    for (var t = 0; t < terms.length; t++) {
      if (h.indexOf(terms[t]) < 0) {
        if (hexTerm && terms.length === 1 && fingerprints[i].indexOf(terms[0]) === 0) continue;
        return false;
      }
    }
  }
  return true;
}

function sortKeyArray() {
  var keys = new Array(N);
  for (var i = 0; i < N; i++) {
    switch (state.key) {
      case 'sev': keys[i] = sevOf(i); break;
      case 'status': keys[i] = STATUS_ORDER[statusOf(i)] * 4 + histOf(i); break;
      case 'check': keys[i] = metaOf(i).c; break;
      case 'account': keys[i] = accountOf(i); break;
      case 'region': keys[i] = regionOf(i); break;
      case 'resource': keys[i] = ridOf(i); break;
      default: keys[i] = messageOf(i); break;
    }
  }
  return keys;
}
function tieBreak(a, b) {
  return sevOf(a) - sevOf(b) || statusOf(a) - statusOf(b) ||
    (metaOf(a).c < metaOf(b).c ? -1 : metaOf(a).c > metaOf(b).c ? 1 : 0) ||
    (accountOf(a) < accountOf(b) ? -1 : accountOf(a) > accountOf(b) ? 1 : 0) ||
    (regionOf(a) < regionOf(b) ? -1 : regionOf(a) > regionOf(b) ? 1 : 0) || a - b;
}
function sortView() {
  var keys = sortKeyArray();
  var dir = state.dir;
  view.sort(function (a, b) {
    var ka = keys[a], kb = keys[b];
    if (ka < kb) return -dir;
    if (ka > kb) return dir;
    return tieBreak(a, b);
  });
}

function applyFilters() {
  var query = state.q.trim().toLowerCase();
  var terms = query === '' ? [] : query.split(/\s+/);
  var hexTerm = terms.length === 1 && /^[0-9a-f]{8,64}$/.test(terms[0]);
  if (hexTerm) allFingerprints();
  view = [];
  for (var i = 0; i < N; i++) if (matches(i, terms, hexTerm)) view.push(i);
  sortView();
  state.page = 0;
  state.open = -1;
  render();
}

function badge(cls, text) { return el('span', 'badge ' + cls, text); }

function row(i) {
  var m = metaOf(i), st = statusOf(i), hist = histOf(i), sup = suppressionOf(i);
  var tr = el('tr', 'row' + (sup ? ' suppressed' : '') + (state.open === i ? ' open' : ''));
  tr.dataset.i = String(i);
  tr.dataset.sev = SEV[m.v];
  tr.tabIndex = 0;
  tr.setAttribute('aria-expanded', state.open === i ? 'true' : 'false');
  var statusCell = el('td', null, badge('b-' + STATUS[st], STATUS[st]));
  if (sup) statusCell.append(' ', badge('b-SUPPRESSED', 'SUPPRESSED'));
  if (hist > 0) statusCell.append(el('span', 'tag t-' + HIST[hist], HIST[hist]));
  var account = accountOf(i), name = DATA.a[account];
  tr.append(
    el('td', null, badge('b-' + SEV[m.v], SEV[m.v])),
    statusCell,
    el('td', 'check', el('span', 'check-id', m.c), el('span', 'sub', m.t)),
    el('td', 'mono', account, name ? el('span', 'sub', name) : null),
    el('td', null, regionOf(i)),
    resourceCell(i),
    el('td', 'msg', el('span', 'clamp', messageOf(i)))
  );
  return tr;
}

function resourceCell(i) {
  var rid = ridOf(i), name = ROWS[i][4];
  if (name === '' || name === '*') name = rid;
  var span = el('span', 'res', name);
  span.setAttribute('title', rid);
  return el('td', null, span, el('span', 'sub', typeOf(i)));
}

function pretty(text) {
  try { return JSON.stringify(JSON.parse(text), null, 2); } catch (e) { return text; }
}
function kv(pairs) {
  var dl = el('dl', 'kv');
  pairs.forEach(function (p) {
    if (p[1] === null || p[1] === undefined || p[1] === '') return;
    dl.append(el('dt', null, p[0]), el('dd', p[2] || null, p[1]));
  });
  return dl;
}
function section(title) {
  var div = el('div', null, el('h4', null, title));
  for (var i = 1; i < arguments.length; i++) if (arguments[i]) div.append(arguments[i]);
  return div;
}

function detail(i) {
  var m = metaOf(i), x = extraOf(i) || {}, sup = suppressionOf(i), hist = histOf(i);
  var account = accountOf(i);
  var grid = el('div', 'detail-grid');
  grid.append(el('div', 'full', el('h4', null, m.t), el('p', null, messageOf(i))));
  grid.append(section('Resource', kv([
    ['Resource', ridOf(i), 'mono'],
    ['Type', typeOf(i)],
    ['Account', DATA.a[account] ? account + ' (' + DATA.a[account] + ')' : account],
    ['Region', regionOf(i)],
    ['Check', m.c, 'mono'],
    ['Severity', SEV[m.v]],
    ['Status', STATUS[statusOf(i)]],
    ['Fingerprint', fingerprintOf(i), 'mono fingerprint'],
    ['Change', hist > 0 ? HIST[hist] : null],
    ['First failed', firstSeenOf(i) ? when(firstSeenOf(i)) : null],
    ['Suppressed', sup ? sup[0] + ' (until ' + sup[1] + ')' : null]
  ])));
  var fix = section('Remediation', el('p', null, m.r.x));
  if (m.r.o) fix.append(el('h4', null, 'Console'), el('p', null, m.r.o));
  if (m.r.l) fix.append(el('h4', null, 'CLI'), el('pre', null, m.r.l));
  grid.append(fix);
  var evidence;
  if (x.e !== undefined) {
    evidence = section('Evidence', el('pre', null, pretty(x.e)));
    if (x.g !== undefined) evidence.append(el('h4', null, 'Tags'), el('pre', null, pretty(x.g)));
    if (x.t) evidence.append(el('p', 'muted', 'Cut to keep this file small; report.json has it in full.'));
  } else {
    evidence = section('Evidence', el('p', 'muted',
      'Not embedded in this file (kept under its size limit); report.json has it in full.'));
  }
  grid.append(evidence);
  var fw = el('ul');
  Object.keys(m.f).forEach(function (id) {
    var info = DATA.w[id] || { k: id, c: {} };
    (m.f[id] || []).forEach(function (control) {
      var title = info.c[control];
      fw.append(el('li', null, el('strong', null, info.k + ' ' + control), title ? ' ' + title : ''));
    });
  });
  grid.append(section('Frameworks', fw.childNodes.length ? fw : el('p', 'muted', 'None mapped.')));
  var td = el('td', null, grid);
  td.colSpan = 7;
  var tr = el('tr', 'detail', td);
  return tr;
}

function render() {
  var total = view.length;
  var pages = Math.max(1, Math.ceil(total / state.size));
  if (state.page >= pages) state.page = pages - 1;
  var start = state.page * state.size;
  var end = Math.min(total, start + state.size);
  var nodes = [];
  for (var p = start; p < end; p++) {
    nodes.push(row(view[p]));
    if (state.open === view[p]) nodes.push(detail(view[p]));
  }
  if (nodes.length === 0) {
    var td = el('td', null, N === 0 ? 'This run produced no findings.' : 'No findings match these filters.');
    td.colSpan = 7;
    nodes.push(el('tr', 'empty', td));
  }
  tbody.replaceChildren.apply(tbody, nodes);
  $('count').textContent = total === 0 ? 'No matching findings' :
    'Showing ' + fmt(start + 1) + '–' + fmt(end) + ' of ' + fmt(total) + ' matching findings' +
    (total !== N ? ' (' + fmt(N) + ' in the run)' : '') +
    (DATA.po > 0 ? '; ' + fmt(DATA.po) + ' PASS findings not embedded (report.json has them)' : '');
  $('page-info').textContent = 'Page ' + fmt(state.page + 1) + ' of ' + fmt(pages);
  $('first').disabled = $('prev').disabled = state.page === 0;
  $('next').disabled = $('last').disabled = state.page >= pages - 1;
  document.querySelectorAll('th[data-key]').forEach(function (th) {
    var key = th.getAttribute('data-key');
    if (key === state.key) th.setAttribute('aria-sort', state.dir === 1 ? 'ascending' : 'descending');
    else th.removeAttribute('aria-sort');
  });
}

function toggle(i) {
  state.open = state.open === i ? -1 : i;
  render();
  var rowNode = tbody.querySelector('tr.row[data-i="' + i + '"]');
  if (rowNode) rowNode.focus();
}

tbody.addEventListener('click', function (e) {
  if (window.getSelection && String(window.getSelection()).length > 0) return;
  var tr = e.target.closest('tr.row');
  if (tr) toggle(Number(tr.dataset.i));
});
tbody.addEventListener('keydown', function (e) {
  if (e.key !== 'Enter' && e.key !== ' ') return;
  var tr = e.target.closest('tr.row');
  if (!tr || e.target !== tr) return;
  e.preventDefault();
  toggle(Number(tr.dataset.i));
});

document.querySelectorAll('th[data-key] button').forEach(function (button) {
  button.addEventListener('click', function () {
    var key = button.parentElement.getAttribute('data-key');
    if (state.key === key) state.dir = -state.dir;
    else { state.key = key; state.dir = 1; }
    sortView();
    state.page = 0;
    render();
  });
});

var timer = 0;
q.addEventListener('input', function () {
  clearTimeout(timer);
  timer = setTimeout(function () { state.q = q.value; applyFilters(); }, 120);
});
function bindSelect(select, key) {
  if (!select) return;
  select.addEventListener('change', function () { state[key] = select.value; applyFilters(); });
}
bindSelect(fStatus, 'status'); bindSelect(fSev, 'sev'); bindSelect(fCheck, 'check');
bindSelect(fAccount, 'account'); bindSelect(fRegion, 'region'); bindSelect(fChange, 'change');
pageSize.addEventListener('change', function () {
  var first = state.page * state.size;
  state.size = Number(pageSize.value) || 50;
  state.page = Math.floor(first / state.size);
  render();
});
function go(page) { state.page = page; state.open = -1; render(); }
$('first').addEventListener('click', function () { go(0); });
$('prev').addEventListener('click', function () { go(Math.max(0, state.page - 1)); });
$('next').addEventListener('click', function () { go(state.page + 1); });
$('last').addEventListener('click', function () { go(Math.ceil(view.length / state.size) - 1); });

var SELECTS = { status: fStatus, sev: fSev, check: fCheck, account: fAccount, region: fRegion, change: fChange };
function setFilters(pairs) {
  state.q = ''; q.value = '';
  state.status = DEFAULT_STATUS; state.sev = ''; state.check = ''; state.account = ''; state.region = ''; state.change = '';
  pairs.forEach(function (pair) {
    var cut = pair.indexOf(':');
    var key = pair.slice(0, cut), value = pair.slice(cut + 1);
    if (key === 'q') { state.q = value; q.value = value; } else if (key in SELECTS) state[key] = value;
  });
  Object.keys(SELECTS).forEach(function (key) { if (SELECTS[key]) SELECTS[key].value = state[key]; });
  applyFilters();
}
$('reset').addEventListener('click', function () {
  state.key = 'sev'; state.dir = 1;
  setFilters([]);
});
function follow(target) {
  var node = target.closest('[data-filter]');
  if (!node) return false;
  setFilters(node.getAttribute('data-filter').split('|'));
  $('findings').scrollIntoView({ block: 'start' });
  return true;
}
document.addEventListener('click', function (e) { follow(e.target); });
document.addEventListener('keydown', function (e) {
  if ((e.key === 'Enter' || e.key === ' ') && e.target.closest && e.target.closest('svg [data-filter]')) {
    e.preventDefault();
    follow(e.target);
  }
});

applyFilters();
document.documentElement.setAttribute('data-ready', 'true');
})();
`;
