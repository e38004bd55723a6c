// Orders operations page. No framework, no build step: plain DOM over the public HTTP API (/api/...), the same API
// every other client uses. Every text from the API is put into the page as text (never as HTML).
'use strict';

const api = '/api';
const main = document.getElementById('main');
const callerInput = document.getElementById('caller');
callerInput.value = localStorage.getItem('orders.caller') || callerInput.value;
callerInput.addEventListener('change', () => { localStorage.setItem('orders.caller', callerInput.value); route(); });

// ---- tiny DOM helpers ----
function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}
const show = (...nodes) => main.replaceChildren(...nodes);
const link = (href, text, testid) => h('a', { href, 'data-testid': testid }, text);
const orderLink = (id) => link('#/order/' + encodeURIComponent(id), id, 'order-link-' + id);
const when = (t) => (t ? new Date(t).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '—');
const upper = (s) => String(s ?? '').toUpperCase();

function money(m) {
  if (!m) return '—';
  let digits = 2;
  try { digits = new Intl.NumberFormat('en', { style: 'currency', currency: m.currency }).resolvedOptions().maximumFractionDigits; } catch { /* unknown to Intl */ }
  const sign = m.minor < 0 ? '-' : '';
  const abs = Math.abs(m.minor).toString().padStart(digits + 1, '0');
  const whole = digits ? abs.slice(0, -digits) : abs;
  return `${sign}${whole}${digits ? '.' + abs.slice(-digits) : ''} ${m.currency}`;
}

function toast(text, bad) {
  const t = document.getElementById('toast');
  t.textContent = text;
  t.className = 'show' + (bad ? ' bad' : '');
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { t.className = ''; }, 6000);
}

// ---- the API ----
class ApiError extends Error {
  constructor(status, problem) { super(problem?.detail || `HTTP ${status}`); this.status = status; this.problem = problem; }
}

async function call(method, path, body, headers) {
  const response = await fetch(api + path, {
    method,
    headers: { 'X-Dev-Caller': callerInput.value, ...(body ? { 'Content-Type': 'application/json' } : {}), ...(headers || {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  const json = text ? JSON.parse(text) : null;
  if (!response.ok) throw new ApiError(response.status, json);
  return { json, etag: response.headers.get('ETag') };
}
const get = async (path) => (await call('GET', path)).json;

function newKey() {
  if (crypto.randomUUID) return 'ops-' + crypto.randomUUID();
  return 'ops-' + Date.now().toString(36) + '-' + Math.random().toString(36).slice(2);
}

function problemText(e) {
  return e instanceof ApiError && e.problem ? `${e.status} ${e.problem.code}: ${e.problem.detail}` : String(e.message || e);
}

// ---- pages ----
async function dashboardPage(sellerId) {
  sellerId = sellerId || localStorage.getItem('orders.seller') || 'seller-a';
  localStorage.setItem('orders.seller', sellerId);
  const form = h('form', { onsubmit: (e) => { e.preventDefault(); location.hash = '#/dashboard/' + encodeURIComponent(e.target.seller.value.trim()); } },
    'Seller ', h('input', { name: 'seller', value: sellerId, 'data-testid': 'seller-input' }), ' ', h('button', {}, 'Show'));
  const [dashboard, orders] = await Promise.all([
    get(`/sellers/${encodeURIComponent(sellerId)}/dashboard`),
    get(`/sellers/${encodeURIComponent(sellerId)}/orders?pageSize=20`),
  ]);
  const totalCount = dashboard.byStatus.reduce((n, s) => n + s.count, 0);
  show(
    h('h1', {}, `Seller ${dashboard.sellerId}`), form,
    h('p', { class: 'meta' }, `As of ${when(dashboard.asOf)} (read models follow the order store a moment later; each row says which version it reflects).`),
    h('h2', {}, 'By status'),
    h('div', { class: 'cards', 'data-testid': 'by-status' },
      h('div', { class: 'card' }, h('div', { class: 'n', 'data-testid': 'total-count' }, totalCount), 'orders'),
      dashboard.byStatus.map((s) => h('div', { class: 'card', 'data-testid': 'status-' + upper(s.status) },
        h('div', { class: 'status' }, upper(s.status)),
        h('div', { class: 'n', 'data-testid': 'count-' + upper(s.status) }, s.count),
        h('div', { class: 'meta' }, s.value.map(money).join(' + ') || '—')))),
    h('h2', {}, 'Awaiting shipment'),
    h('p', {}, 'Late shipments: ', h('strong', { 'data-testid': 'late-shipments' }, dashboard.lateShipments)),
    dashboard.awaitingShipment.length === 0 ? h('p', { class: 'meta' }, 'Nothing awaits shipment.')
      : h('table', { 'data-testid': 'awaiting' }, h('tr', {}, h('th', {}, 'order'), h('th', {}, 'ready since'), h('th', {}, 'late'), h('th', { class: 'num' }, 'version')),
        dashboard.awaitingShipment.map((a) => h('tr', {}, h('td', {}, orderLink(a.orderId)), h('td', {}, when(a.readySince)),
          h('td', {}, a.late ? h('span', { class: 'badge bad' }, 'late') : 'no'), h('td', { class: 'num' }, a.version)))),
    h('h2', {}, 'Recent orders'),
    h('table', { 'data-testid': 'seller-orders' },
      h('tr', {}, h('th', {}, 'order'), h('th', {}, 'status'), h('th', {}, 'type'), h('th', { class: 'num' }, 'total'), h('th', {}, 'updated'), h('th', { class: 'num' }, 'version')),
      orders.items.map((o) => h('tr', {}, h('td', {}, orderLink(o.orderId)), h('td', { class: 'status' }, upper(o.status)), h('td', {}, o.type),
        h('td', { class: 'num' }, money(o.total)), h('td', {}, when(o.updatedAt)), h('td', { class: 'num' }, o.version)))));
}

// The state machine the timeline is drawn over: the main line, then the side paths.
const mainLine = ['CREATED', 'CONFIRMED', 'PAID', 'SHIPPED', 'DELIVERED', 'CLOSED'];
const sidePaths = ['CANCELLED', 'REFUNDED', 'SPLIT'];

function machine(order) {
  const visited = new Set(order.history.map((e) => upper(e.to)));
  const current = upper(order.status);
  const state = (s) => h('span', { class: 'state' + (visited.has(s) ? ' visited' : '') + (s === current ? ' current' : ''), 'data-testid': 'state-' + s }, s);
  return h('div', { class: 'machine', 'data-testid': 'state-machine' },
    mainLine.flatMap((s, i) => (i ? [h('span', { class: 'arrow' }, '→'), state(s)] : [state(s)])),
    h('span', { class: 'arrow' }, ' · side paths: '), sidePaths.map(state));
}

function timeline(order) {
  return h('ol', { class: 'timeline', 'data-testid': 'timeline' }, order.history.map((e) => {
    const from = e.from === null ? '—' : upper(e.from);
    const moved = e.from !== null && upper(e.from) !== upper(e.to);
    const operator = e.actor.kind === 'Operator';
    return h('li', { class: (moved || e.from === null ? 'transition' : '') + (operator ? ' operator' : ''), 'data-testid': 'entry-' + e.sequence },
      h('div', {}, h('strong', {}, `#${e.sequence} ${e.type}`), ' ',
        h('span', { class: 'status', 'data-testid': 'entry-transition-' + e.sequence }, moved || e.from === null ? `${from} → ${upper(e.to)}` : `${upper(e.to)} (no change)`)),
      h('div', { 'data-testid': 'entry-reason-' + e.sequence }, e.reason),
      h('div', { class: 'meta' }, `${when(e.at)} · by ${e.actor.kind}:${e.actor.id} · cause ${e.causationId}`),
      h('div', { class: 'hash' }, e.hash));
  }));
}

async function orderPage(orderId) {
  const [{ json: order, etag }, status] = await Promise.all([
    call('GET', `/orders/${encodeURIComponent(orderId)}`),
    get(`/orders/${encodeURIComponent(orderId)}/status`),
  ]);
  const p = order.pricing;
  const shipments = [...(order.lostShipments || []), ...(order.shipment ? [order.shipment] : [])];
  show(
    h('h1', {}, 'Order ', h('span', { 'data-testid': 'order-id' }, order.orderId), ' ',
      h('span', { class: 'status', 'data-testid': 'order-status' }, upper(order.status)), ' ',
      order.historyIntact ? h('span', { class: 'badge ok', 'data-testid': 'chain-badge' }, 'history chain verifies')
        : h('span', { class: 'badge bad', 'data-testid': 'chain-badge' }, 'history chain BROKEN')),
    h('p', { class: 'meta' }, `${order.type} · buyer ${order.buyerId} · sellers ${order.sellers.join(', ')} · created ${when(order.createdAt)} · version `,
      h('span', { 'data-testid': 'order-version' }, order.version), ` (ETag ${etag})`,
      order.splitFrom ? [' · split from ', orderLink(order.splitFrom)] : null),
    order.splitInto.length ? h('p', {}, 'Split into: ', order.splitInto.map((c) => [orderLink(c.orderId), ` (${c.sellerId}, ${money(c.total)}) `])) : null,

    h('h2', {}, 'Items (snapshots)'),
    h('table', { 'data-testid': 'items' },
      h('tr', {}, h('th', {}, 'line'), h('th', {}, 'sku'), h('th', {}, 'title'), h('th', {}, 'seller'), h('th', { class: 'num' }, 'unit price'), h('th', { class: 'num' }, 'qty'), h('th', {}, 'snapshot hash')),
      order.items.map((i) => h('tr', {}, h('td', {}, i.line), h('td', {}, i.sku), h('td', {}, i.title), h('td', {}, i.sellerId),
        h('td', { class: 'num' }, money(i.unitPrice)), h('td', { class: 'num' }, i.quantity), h('td', { class: 'hash' }, i.hash)))),

    h('h2', {}, 'Money'),
    h('table', { 'data-testid': 'money' },
      h('tr', {}, h('th', {}, 'line'), h('th', { class: 'num' }, 'gross'), h('th', { class: 'num' }, 'discount'), h('th', { class: 'num' }, 'shipping'), h('th', { class: 'num' }, 'net')),
      p.lines.map((l) => h('tr', {}, h('td', {}, l.line), h('td', { class: 'num' }, money(l.gross)), h('td', { class: 'num' }, money(l.discount)),
        h('td', { class: 'num' }, money(l.shipping)), h('td', { class: 'num' }, money(l.net)))),
      h('tr', {}, h('th', {}, 'order'), h('th', { class: 'num' }, money(p.subtotal)), h('th', { class: 'num' }, money(p.discount)),
        h('th', { class: 'num' }, money(p.shipping)), h('th', { class: 'num', 'data-testid': 'total' }, money(p.total)))),
    p.promotions.length ? h('p', {}, 'Promotions: ', p.promotions.map((x) => `${x.code} (${money(x.amount)})`).join(', ')) : null,
    h('p', {}, 'Refunded: ', h('strong', { 'data-testid': 'amount-refunded' }, money(order.amountRefunded))),

    h('h2', {}, 'Payment'),
    order.payment ? h('p', { 'data-testid': 'payment' }, `${order.payment.paymentId}: ${money(order.payment.amount)}${order.payment.collectedOnDelivery ? ' (cash on delivery)' : ''}, recorded ${when(order.payment.recordedAt)}`)
      : h('p', { class: 'meta', 'data-testid': 'payment' }, 'Nothing paid yet.'),

    h('h2', {}, 'Shipments'),
    shipments.length === 0 ? h('p', { class: 'meta' }, 'Not shipped.')
      : h('table', { 'data-testid': 'shipments' },
        h('tr', {}, h('th', {}, 'shipment'), h('th', {}, 'carrier'), h('th', {}, 'tracking'), h('th', {}, 'shipped'), h('th', {}, 'delivered'), h('th', {}, 'lost')),
        shipments.map((s) => h('tr', { 'data-testid': 'shipment-' + s.shipmentId }, h('td', {}, s.shipmentId), h('td', {}, s.carrier), h('td', {}, s.trackingNumber),
          h('td', {}, when(s.shippedAt)), h('td', {}, when(s.deliveredAt)),
          h('td', {}, s.lostAt ? h('span', { class: 'badge warn' }, `lost ${when(s.lostAt)} → ${s.lostResolution}`) : '—')))),

    h('h2', {}, 'Refunds'),
    order.refunds.length === 0 ? h('p', { class: 'meta' }, 'No refunds.')
      : h('table', { 'data-testid': 'refunds' },
        h('tr', {}, h('th', {}, 'refund'), h('th', { class: 'num' }, 'amount'), h('th', {}, 'reason'), h('th', {}, 'requested'), h('th', {}, 'completed')),
        order.refunds.map((r) => h('tr', { 'data-testid': 'refund-' + r.refundId }, h('td', {}, r.refundId), h('td', { class: 'num' }, money(r.amount)), h('td', {}, r.reason),
          h('td', {}, when(r.requestedAt)), h('td', {}, r.isCompleted ? when(r.completedAt) : h('span', { class: 'badge warn' }, 'pending'))))),

    h('h2', {}, 'Sagas'),
    status.sagas.length === 0 ? h('p', { class: 'meta' }, 'No saga instance found.')
      : h('table', { 'data-testid': 'sagas' },
        h('tr', {}, h('th', {}, 'saga'), h('th', {}, 'instance'), h('th', {}, 'runtime status'), h('th', {}, 'step'), h('th', {}, 'last updated')),
        status.sagas.map((s) => h('tr', {}, h('td', {}, s.saga), h('td', {}, s.instanceId), h('td', {}, s.runtimeStatus),
          h('td', { 'data-testid': 'saga-step-' + s.saga }, s.step || '—'), h('td', {}, when(s.lastUpdatedAt))))),

    h('h2', {}, 'History'),
    machine(order),
    timeline(order));
}

// What each resolution button sends (decision 0016): ordinary commands with If-Match and an Idempotency-Key.
function resolutionRequest(order, option, reason, reference) {
  const id = encodeURIComponent(order.orderId);
  switch (option.action) {
    case 'retry-saga':
      return option.saga === 'refund'
        ? [`/orders/${id}/refunds/${encodeURIComponent(option.refundId)}/retry`, { reason }]
        : [`/orders/${id}/resolutions/retry-saga`, { saga: option.saga, reason }];
    case 'refund-lost-parcel': return [`/orders/${id}/resolutions/lost-parcel`, { shipmentId: option.shipmentId, resolution: 'refund', reason }];
    case 'replace-lost-parcel': return [`/orders/${id}/resolutions/lost-parcel`, { shipmentId: option.shipmentId, resolution: 'replace', reason }];
    case 'settle-refund': return [`/orders/${id}/refunds/${encodeURIComponent(option.refundId)}/settle`, { reference, reason }];
    case 'cancel-checkout': return [`/orders/${id}/resolutions/cancel-checkout`, { reason }];
    case 'return-late-capture': return [`/orders/${id}/resolutions/return-late-capture`, { reason }];
    case 'acknowledge': return [`/orders/${id}/resolutions/acknowledge`, { note: reason }];
    default: throw new Error('Unknown resolution ' + option.action);
  }
}

const labels = {
  'retry-saga': (o) => `Retry ${o.saga}${o.refundId ? ' ' + o.refundId : ''}`,
  'refund-lost-parcel': () => 'Lost parcel: refund buyer',
  'replace-lost-parcel': () => 'Lost parcel: send replacement',
  'settle-refund': (o) => `Settle ${o.refundId} manually`,
  'cancel-checkout': () => 'Cancel (checkout stuck)',
  'return-late-capture': () => 'Return late capture',
  'acknowledge': () => 'Acknowledge',
};

async function resolve(order, option, row) {
  const reason = row.querySelector('.reason').value.trim();
  const reference = row.querySelector('.reference')?.value.trim();
  if (!reason) { toast('Say why (the reason is recorded in the order history).', true); return; }
  const [path, body] = resolutionRequest(order, option, reason, reference);
  try {
    const { json } = await call('POST', path, body, { 'If-Match': `"${order.version}"`, 'Idempotency-Key': newKey() });
    toast(`${labels[option.action](option)}: recorded, order ${json.orderId} is ${upper(json.status)} at version ${json.version}.`);
  } catch (e) {
    toast(problemText(e), true);
  }
  await route();
}

async function stuckPage() {
  const page = await get('/operations/stuck-orders?pageSize=100');
  const rows = page.orders.map((o) => {
    const needsReference = o.resolutions.some((r) => r.action === 'settle-refund');
    const row = h('tr', { 'data-testid': 'stuck-' + o.orderId },
      h('td', {}, orderLink(o.orderId)),
      h('td', { class: 'status' }, upper(o.status)),
      h('td', {}, h('strong', { 'data-testid': 'stuck-reason-' + o.orderId }, o.reason), h('div', { class: 'meta' }, o.detail)),
      h('td', {}, when(o.since), h('div', { class: 'meta' }, 'flagged ' + when(o.detectedAt))),
      h('td', { 'data-testid': 'stuck-ack-' + o.orderId }, o.acknowledged ? `${o.acknowledged.by.id}: ${o.acknowledged.note}` : '—'),
      h('td', {},
        h('input', { class: 'reason', 'data-testid': 'reason-' + o.orderId, placeholder: 'reason (recorded in the history)', 'aria-label': 'reason' }),
        needsReference ? h('input', { class: 'reference', 'data-testid': 'reference-' + o.orderId, placeholder: 'settlement reference', 'aria-label': 'settlement reference' }) : null,
        h('div', { class: 'actions' })));
    const actions = row.querySelector('.actions');
    for (const option of o.resolutions) {
      const testid = ['resolve', option.action, option.saga, o.orderId].filter(Boolean).join('-');
      actions.append(h('button', { class: option.action === 'acknowledge' ? '' : 'primary', 'data-testid': testid, onclick: () => resolve(o, option, row) },
        labels[option.action](option)));
    }
    return row;
  });
  show(
    h('h1', {}, 'Stuck orders'),
    h('p', { class: 'meta' }, 'What detect-stuck found, longest flagged first. Each button is an ordinary command (If-Match with the version shown, a fresh Idempotency-Key), recorded in the order history with you as actor and your reason.'),
    rows.length === 0 ? h('p', { 'data-testid': 'no-stuck' }, 'No order is stuck.')
      : h('table', { 'data-testid': 'stuck-list' },
        h('tr', {}, h('th', {}, 'order'), h('th', {}, 'status'), h('th', {}, 'why'), h('th', {}, 'since'), h('th', {}, 'acknowledged'), h('th', {}, 'resolve')),
        rows));
}

// ---- routing ----
async function route() {
  const [, page, arg] = (location.hash || '#/dashboard').split('/').map(decodeURIComponent);
  try {
    if (page === 'order' && arg) await orderPage(arg);
    else if (page === 'stuck') await stuckPage();
    else await dashboardPage(arg);
  } catch (e) {
    show(h('h1', {}, 'Could not load this page'), h('p', { class: 'error', 'data-testid': 'load-error' }, problemText(e)));
  }
}

document.getElementById('open-order').addEventListener('submit', (e) => {
  e.preventDefault();
  const id = e.target.orderId.value.trim();
  if (id) location.hash = '#/order/' + encodeURIComponent(id);
});
window.addEventListener('hashchange', route);
route();
