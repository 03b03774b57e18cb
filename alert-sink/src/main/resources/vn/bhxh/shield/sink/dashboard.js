"use strict";
const LEVELS = {WARNING: "Cảnh báo", BLOCKED: "Đã chặn", OFFICIAL_CHANNEL_SPOOFED: "Giả mạo kênh chính thức",
  PROPOSED: "Đề xuất chặn — chờ duyệt", ESCALATED: "Quá 2 giờ chưa duyệt — chuyển cấp quốc gia"};
const KINDS = {PHONE: "Số điện thoại", DOMAIN: "Tên miền", URL: "Trang mạng", BANK_ACCOUNT: "Tài khoản ngân hàng",
  SOCIAL_ACCOUNT: "Tài khoản mạng xã hội", E_WALLET: "Ví điện tử"};
const CHANNELS = {HOTLINE: "Tổng đài", FANPAGE: "Fanpage", POLICE: "Công an"};
const REQUESTS = {OTP: "mã OTP", PASSWORD: "mật khẩu", MONEY_TRANSFER: "chuyển tiền", PERSONAL_DATA: "thông tin cá nhân",
  VISIT_OFFICE: "đến cơ quan", CLICK_LINK: "bấm đường link", SCAN_QR: "quét mã QR", OTHER: "khác"};
const STATUSES = {NOT_LISTED: "Chưa bị chặn", LISTED: "Đang bị chặn", CONFIRMED: "Đang bị chặn (đã xác nhận)",
  DELISTED: "Đã gỡ chặn", OFFICIAL_CHANNEL: "Kênh chính thức của BHXH"};
// What each decision is called on its button, and how its outcome reads on every board.
const DECISIONS = {
  CONFIRM: {button: "Xác nhận chặn", done: "Đã xác nhận", campaign: "Xác nhận chặn cả chiến dịch"},
  REJECT: {button: "Bác bỏ", done: "Đã bác bỏ"},
  DELIST: {button: "Gỡ khỏi danh sách chặn", done: "Đã gỡ khỏi danh sách chặn", campaign: "Gỡ chặn cả chiến dịch"},
  ALLOWLIST: {button: "Đưa vào danh sách kênh chính thức", done: "Đã đưa vào danh sách kênh chính thức"},
  UNALLOWLIST: {button: "Bỏ khỏi danh sách kênh chính thức", done: "Đã bỏ khỏi danh sách kênh chính thức"}};
const csrf = document.querySelector('meta[name="csrf-token"]').content;
const scope = document.querySelector('meta[name="scope"]').content;
const national = scope === "national";

// Vietnam time whatever the office PC's clock settings, to the minute: "09:45 22/11/2026".
const TIME = new Intl.DateTimeFormat("vi-VN", {timeZone: "Asia/Ho_Chi_Minh", hour: "2-digit", minute: "2-digit",
  day: "2-digit", month: "2-digit", year: "numeric"});
function when(iso) { return iso ? TIME.format(new Date(iso)) : "—"; }
const DAY = new Intl.DateTimeFormat("vi-VN", {timeZone: "Asia/Ho_Chi_Minh", day: "2-digit", month: "2-digit",
  year: "numeric"});
const MONEY = new Intl.NumberFormat("vi-VN");

function age(iso) {
  const minutes = Math.max(0, Math.floor((Date.now() - Date.parse(iso)) / 60000));
  if (minutes < 60) return minutes + " phút";
  if (minutes < 48 * 60) return Math.floor(minutes / 60) + " giờ";
  return Math.floor(minutes / 1440) + " ngày";
}

// A province office acts only on indicators reported in its province (the sink and the processor check again).
function mayDecide(provinces) { return national || provinces.includes(scope); }

// Every text from reports goes through textContent, never innerHTML, so a "<script>" in notes stays text.
function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

// Reports per hour over the last 24 h as block characters scaled to the busiest hour; any report at all stands
// above an empty hour. Empty for alerts from before the processor sent the hours.
const BARS = "▁▂▃▄▅▆▇█";
function trend(hourly) {
  if (hourly.length === 0) return null;
  const max = Math.max(...hourly);
  const line = el("span", "sparkline", hourly.map(n => BARS[max ? Math.ceil(n * 7 / max) : 0]).join(""));
  const label = "Số báo cáo mỗi giờ trong 24 giờ qua: " + hourly.join(", ");
  line.setAttribute("role", "img");
  line.setAttribute("title", label);
  line.setAttribute("aria-label", label);
  const row = el("div", "meta trend", "24 giờ qua: ");
  row.append(line);
  return row;
}

function outcome(d) {
  return DECISIONS[d.action].done + " bởi " + d.actor + " lúc " + when(d.decidedAt) + (d.reason ? " — lý do: " + d.reason : "");
}

// A campaign button decides the indicator and the ones linked to it (target.linked) in one decision.
function decideButton(action, target, campaign) {
  const button = el("button", "decide " + action.toLowerCase() + (campaign ? " campaign" : ""),
    campaign ? DECISIONS[action].campaign + " (" + (target.linked.length + 1) + " chỉ báo)" : DECISIONS[action].button);
  button.addEventListener("click", () => openDecision(action, target, campaign));
  return button;
}

// The indicators named together with this one in reports (a campaign): "0912 345 678 (5 báo cáo, từ 02/12/2026)".
function linkedLine(linked) {
  if (!linked || linked.length === 0) return null;
  return el("div", "meta linked", "Liên quan (cùng chiến dịch): " + linked.map(l => l.display + " (" + l.reports
    + " báo cáo, từ " + (l.since ? DAY.format(new Date(l.since)) : "—") + ")").join(", "));
}

// National board: the reports behind the indicator (or its campaign) as a file for the police. The file is fetched,
// so its SHA-256 (the answer's Repr-Digest) can be shown for the case file, then saved under the sink's file name.
const exported = new Map(); // indicator -> what the last export said, kept across redraws of the card
function evidenceActions(target) {
  const group = el("div", "actions evidence");
  group.setAttribute("role", "group");
  group.setAttribute("aria-label", "Bằng chứng cho công an về " + target.display);
  group.append(el("span", null, "Bằng chứng cho công an:"));
  const formats = [["csv", false, "CSV"], ["json", false, "JSON"]];
  if (target.linked && target.linked.length) formats.push(["csv", true, "CSV cả chiến dịch"], ["json", true, "JSON cả chiến dịch"]);
  const status = el("span", "meta evidence-digest", exported.get(target.indicator) || "");
  status.setAttribute("role", "status");
  status.dataset.indicator = target.indicator;
  formats.forEach(([format, campaign, label]) => {
    const button = el("button", "export-evidence " + format + (campaign ? " campaign" : ""), label);
    button.addEventListener("click", () => exportEvidence(target, format, campaign, status));
    group.append(button);
  });
  group.append(status);
  return group;
}

async function exportEvidence(target, format, campaign, status) {
  status.textContent = "Đang xuất…";
  try {
    const response = await fetch("/api/v1/dashboard/evidence?" + new URLSearchParams({indicator: target.indicator,
      format, campaign: String(campaign)}));
    if (!response.ok) {
      const problem = await response.json().catch(() => ({}));
      status.textContent = problem.detail || "Chưa xuất được, hãy thử lại.";
      return;
    }
    const digest = /sha-256=:([^:]+):/.exec(response.headers.get("Repr-Digest") || "");
    const name = /filename="([^"]+)"/.exec(response.headers.get("Content-Disposition") || "");
    const file = await response.blob();
    const hex = digest ? [...atob(digest[1])].map(c => c.charCodeAt(0).toString(16).padStart(2, "0")).join("") : "";
    const said = "Đã xuất " + (name ? name[1] : "tệp") + " — SHA-256: " + hex;
    exported.set(target.indicator, said);
    // Wherever the indicator is shown (its card, redrawn meanwhile by a live update, and the search answer).
    document.querySelectorAll(".evidence-digest").forEach(shown => {
      if (shown.dataset.indicator === target.indicator) shown.textContent = said;
    });
    const save = el("a");
    save.href = URL.createObjectURL(file);
    save.download = name ? name[1] : "bang-chung." + format;
    document.body.append(save);
    save.click();
    save.remove();
    setTimeout(() => URL.revokeObjectURL(save.href), 60000);
  } catch (err) {
    status.textContent = "Chưa xuất được, hãy thử lại.";
  }
}

// The evidence an officer weighs before confirming: who entered it (submitting accounts, never the reporters),
// through which channels, what was asked, what was lost.
function evidence(card, a) {
  const channels = Object.entries(a.channelCounts).map(([c, n]) => (CHANNELS[c] || c) + " " + n);
  card.append(el("div", "meta channels", "Kênh: " + channels.join(", ")));
  if (a.requested.length) card.append(el("div", "meta requested", "Đối tượng yêu cầu: "
    + a.requested.map(r => REQUESTS[r] || r).join(", ")));
  if (a.amountLostVnd > 0) card.append(el("div", "meta lost", "Tiền bị mất: " + MONEY.format(a.amountLostVnd) + " đ"));
  const accounts = Object.entries(a.submittingAccounts).sort((x, y) => y[1] - x[1])
    .map(([account, n]) => account + " (" + n + " người báo cáo)");
  card.append(el("div", "meta submitting", "Tài khoản gửi: " + accounts.join(", ")));
  if (a.burstAccount) {
    card.append(el("div", "burst", "Chú ý: tài khoản " + a.burstAccount + " đã nhập phần lớn người báo cáo trong vài"
      + " phút — bằng chứng có thể bị dựng, hãy kiểm tra kỹ trước khi xác nhận."));
  }
  const overdue = Date.now() > Date.parse(a.overdueAt);
  const since = el("div", "meta age", "Đề xuất cách đây " + age(a.raisedAt));
  if (overdue && !a.decision) since.append(" — ", el("span", "overdue", "quá hạn"));
  card.append(since);
}

function actions(a) {
  const row = el("div", "actions");
  const target = {indicator: a.indicator, display: a.display, alertId: a.alertId, linked: a.linked || []};
  const campaign = target.linked.length > 0;
  if (a.review) {
    if (a.decision) row.append(el("span", "status outcome", outcome(a.decision)));
    else if (mayDecide(a.provinces)) {
      row.append(decideButton("CONFIRM", target), decideButton("REJECT", target));
      if (campaign) row.append(decideButton("CONFIRM", target, true));
    }
    return row;
  }
  if (a.acknowledgedBy) {
    row.append(el("span", "status", "Đã xác nhận bởi " + a.acknowledgedBy + " lúc " + when(a.acknowledgedAt)));
  } else {
    const ack = el("button", "ack", "Xác nhận đã xem");
    ack.addEventListener("click", () => acknowledge(a));
    row.append(el("span", "status", "Chưa xác nhận"), ack);
  }
  if (a.level === "BLOCKED") {
    if (a.decision) row.append(el("span", "status outcome", outcome(a.decision)));
    if ((!a.decision || a.decision.action === "CONFIRM") && mayDecide(a.provinces)) {
      row.append(decideButton("DELIST", target));
      if (campaign) row.append(decideButton("DELIST", target, true));
    }
  }
  return row;
}

function isDecided(a) {
  return a.decision && (a.review || (a.level === "BLOCKED" && a.decision.action === "DELIST"));
}

// A card's element, from its latest alert; its level history lists every alert of the indicator with its time.
function cardElement(card) {
  const a = card.latest;
  const element = el("article", "alert " + a.level + (a.acknowledgedBy ? " acknowledged" : "")
    + (isDecided(a) ? " decided" : ""));
  element.dataset.indicator = card.indicator;
  element.dataset.alertIds = card.history.map(step => step.alertId).join(" ");
  // A decided review item no longer waits: its label says so (the outcome line says how).
  element.append(el("div", "level", a.review && a.decision ? "Đề xuất chặn — đã xử lý" : LEVELS[a.level] || a.level));
  element.append(el("h2", "indicator", a.display));
  const history = el("ol", "history");
  history.setAttribute("aria-label", "Lịch sử mức cảnh báo");
  card.history.forEach(step => history.append(el("li", null, (LEVELS[step.level] || step.level) + " " + when(step.raisedAt))));
  element.append(history);
  element.append(el("div", "meta", (KINDS[a.kind] || a.kind) + " — " + a.reason));
  element.append(el("div", "meta", a.distinctReporters + " người báo cáo, " + a.reportCount + " báo cáo; tỉnh: "
    + (card.provinceNames.length ? card.provinceNames.join(", ") : "chưa rõ (tin nhắn fanpage)")));
  const linked = linkedLine(a.linked);
  if (linked) element.append(linked);
  if (a.review) evidence(element, a);
  element.append(el("div", "meta", "Lần đầu: " + when(a.firstSeen) + " — lần cuối: " + when(a.lastSeen)));
  const hourly = trend(a.hourlyReports);
  if (hourly) element.append(hourly);
  const notes = el("ul", "notes");
  a.sampleNotes.forEach(n => notes.append(el("li", null, n)));
  element.append(notes);
  element.append(actions(a));
  if (national) element.append(evidenceActions({indicator: a.indicator, display: a.display, linked: a.linked || []}));
  return element;
}

// Live updates change the list in place, keyed by indicator: an unchanged card keeps its element, a changed one is
// swapped alone, so keyboard focus survives; and the card the officer is reading stays where it was on the screen
// when cards are added or removed above it (done here, the same in every browser: the page turns the browser's own
// scroll anchoring off).
const shown = new Map();
function renderCards(cards) {
  const list = document.getElementById("alerts");
  const reading = cardInView(list);
  const minute = Math.floor(Date.now() / 60000);
  const keep = new Set();
  let previous = null;
  for (const card of cards) {
    // Ages and "quá hạn" of review items move with the clock, so those cards are redrawn once a minute.
    const version = JSON.stringify(card) + (card.latest.review ? minute : "");
    let entry = shown.get(card.indicator);
    if (!entry || entry.version !== version) {
      const element = cardElement(card);
      if (entry) replaceKeepingFocus(entry.element, element);
      entry = {version, element};
      shown.set(card.indicator, entry);
    }
    keep.add(card.indicator);
    const expected = previous ? previous.nextSibling : list.firstChild;
    if (expected !== entry.element) list.insertBefore(entry.element, expected);
    previous = entry.element;
  }
  for (const [indicator, entry] of shown) {
    if (!keep.has(indicator)) { entry.element.remove(); shown.delete(indicator); }
  }
  const still = reading && shown.get(reading.indicator);
  if (still) window.scrollBy(0, still.element.getBoundingClientRect().top - reading.top);
}

// The first card below the sticky filter bar, where the officer's eyes are; none while the page is at its top.
function cardInView(list) {
  if (window.scrollY === 0) return null;
  const bar = document.getElementById("filters");
  const below = getComputedStyle(bar).position === "sticky" ? Math.max(0, bar.getBoundingClientRect().bottom) : 0;
  for (const card of list.children) {
    const box = card.getBoundingClientRect();
    if (box.bottom > below) return {indicator: card.dataset.indicator, top: box.top};
  }
  return null;
}

// A button that had focus in the old card gets it back in the new one (same classes), so a keyboard user stays put.
function replaceKeepingFocus(old, replacement) {
  const focused = document.activeElement;
  const selector = old.contains(focused) && focused !== old && focused.className
    ? "." + focused.className.trim().split(/\s+/).join(".") : null;
  old.replaceWith(replacement);
  if (selector) { const again = replacement.querySelector(selector); if (again) again.focus(); }
}

const BASE_TITLE = document.title;
function showFigures(figures) {
  document.getElementById("figure-new").textContent = figures.newToday;
  document.getElementById("figure-review").textContent = figures.awaitingReview;
  document.getElementById("figure-listed").textContent = figures.listed;
  document.getElementById("figure-unacknowledged").textContent = figures.unacknowledged;
  document.title = (figures.newToday > 0 ? "(" + figures.newToday + ") " : "") + BASE_TITLE;
}

// The 30-day trend, stacked by kind, drawn by Chart.js (served by the sink itself). Updated in place, no animation.
const KIND_COLOURS = {PHONE: "#b00020", DOMAIN: "#0d47a1", URL: "#2e7d32", BANK_ACCOUNT: "#6a1b9a",
  SOCIAL_ACCOUNT: "#e65100", E_WALLET: "#00695c"};
let chart = null;
function drawTrend(trend) {
  const canvas = document.getElementById("trend-chart");
  const labels = trend.days.map(d => d.slice(8, 10) + "/" + d.slice(5, 7));
  const datasets = Object.entries(trend.byKind).map(([kind, counts]) => ({label: KINDS[kind] || kind, data: counts,
    backgroundColor: KIND_COLOURS[kind] || "#555"}));
  const totals = datasets.map(d => d.label + " " + d.data.reduce((x, y) => x + y, 0));
  canvas.setAttribute("aria-label", "Số cảnh báo mỗi ngày trong " + labels.length + " ngày qua, từ " + labels[0]
    + " đến " + labels[labels.length - 1] + ". Tổng: " + totals.join(", ") + ".");
  if (typeof Chart === "undefined") return;
  if (chart) {
    chart.data.labels = labels;
    datasets.forEach((d, i) => { chart.data.datasets[i].data = d.data; });
    chart.update("none");
    return;
  }
  chart = new Chart(canvas, {type: "bar", data: {labels, datasets}, options: {animation: false, responsive: true,
    maintainAspectRatio: false, scales: {x: {stacked: true}, y: {stacked: true, beginAtZero: true,
      ticks: {precision: 0}}}, plugins: {legend: {position: "bottom"}}}});
}

// The national account's table of provinces, built once and then updated cell by cell.
function showProvinces(provinces) {
  const section = document.getElementById("provinces-section");
  const body = document.querySelector("#provinces-table tbody");
  section.hidden = false;
  const filter = document.getElementById("province-filter");
  if (filter.options.length === 1) {
    provinces.forEach(p => filter.append(new Option(p.name, p.slug)));
    document.getElementById("province-filter-label").hidden = false;
  }
  provinces.forEach(p => {
    let row = body.querySelector("tr[data-province='" + p.slug + "']");
    if (!row) {
      row = el("tr");
      row.dataset.province = p.slug;
      row.append(el("th", null, p.name));
      row.firstChild.setAttribute("scope", "row");
      for (let i = 0; i < 6; i++) row.append(el("td", i < 5 ? "number" : "sparkline"));
    }
    body.append(row); // in the sink's order, busiest first: an existing row moves
    const cells = row.querySelectorAll("td");
    [p.indicators, p.newToday, p.awaitingReview, p.listed, p.unacknowledged].forEach((n, i) => {
      cells[i].textContent = n;
    });
    const max = Math.max(...p.trend);
    cells[5].textContent = p.trend.map(n => BARS[max ? Math.ceil(n * 7 / max) : 0]).join("");
    cells[5].setAttribute("aria-label", "Cảnh báo mỗi ngày, 30 ngày qua: " + p.trend.join(", "));
    cells[5].setAttribute("role", "img");
  });
}

function filterQuery() {
  const query = new URLSearchParams(new FormData(document.getElementById("filters")));
  [...query.keys()].forEach(key => { if (!query.get(key)) query.delete(key); });
  return query.toString();
}

// One request at a time; events arriving meanwhile ask for one more.
let loading = false;
let loadAgain = false;
async function load() {
  if (loading) { loadAgain = true; return; }
  loading = true;
  try {
    const query = filterQuery();
    const response = await fetch("/api/v1/dashboard/board" + (query ? "?" + query : ""));
    if (response.status === 401) { location.reload(); return; } // signed out or expired: the sign-in form
    if (!response.ok) {
      document.getElementById("live-status").textContent = "Chưa tải được danh sách, sẽ thử lại.";
      return;
    }
    const board = await response.json();
    showFigures(board.figures);
    drawTrend(board.trend);
    if (board.provinces) showProvinces(board.provinces);
    renderCards(board.cards);
    document.getElementById("export").href = "/api/v1/dashboard/board.csv" + (query ? "?" + query : "");
    document.getElementById("shown-count").textContent = "Đang hiển thị " + board.cards.length + " chỉ báo";
  } finally {
    loading = false;
    if (loadAgain) { loadAgain = false; load(); }
  }
}

let pending = null;
function loadSoon() {
  clearTimeout(pending);
  pending = setTimeout(load, 150);
}

async function acknowledge(a) {
  const body = new URLSearchParams({alertId: a.alertId, indicator: a.indicator});
  const response = await fetch("/api/v1/dashboard/acknowledge", {method: "POST", body, headers: {"X-CSRF-Token": csrf}});
  if (!response.ok) alert("Chưa xác nhận được, hãy thử lại.");
}

// One dialog for every decision, outside the list: live updates redraw the list, never a reason being typed.
const dialog = document.getElementById("decide-dialog");
let deciding = null;

function openDecision(action, target, campaign) {
  deciding = {action, target, campaign};
  document.getElementById("decide-title").textContent = campaign ? DECISIONS[action].campaign : DECISIONS[action].button;
  document.getElementById("decide-target").textContent = target.display;
  // A campaign: every linked indicator is ticked; the officer may untick those outside their authority.
  const members = document.getElementById("decide-members");
  members.replaceChildren(...(campaign ? target.linked : []).map(l => {
    const box = el("input");
    box.type = "checkbox";
    box.checked = true;
    box.value = l.indicator;
    const label = el("label", null, " " + l.display + " (" + l.reports + " báo cáo)");
    label.prepend(box);
    const item = el("li");
    item.append(label);
    return item;
  }));
  document.getElementById("decide-campaign").hidden = !campaign;
  document.getElementById("decide-reason").value = "";
  document.getElementById("decide-error").textContent = "";
  dialog.showModal();
}

document.getElementById("decide-cancel").addEventListener("click", () => dialog.close());
document.getElementById("decide-form").addEventListener("submit", async e => {
  e.preventDefault();
  const error = document.getElementById("decide-error");
  const reason = document.getElementById("decide-reason").value.trim();
  if (!reason) { error.textContent = "Cần ghi lý do."; return; }
  const {action, target, campaign} = deciding;
  const decision = {indicator: target.indicator, action, reason, alertId: target.alertId};
  const chosen = [...document.querySelectorAll("#decide-members input:checked")].map(box => box.value);
  if (campaign && chosen.length) decision.campaign = chosen;
  try {
    const response = await fetch("/api/v1/decisions", {method: "POST",
      headers: {"Content-Type": "application/json", "X-CSRF-Token": csrf},
      body: JSON.stringify(decision)});
    if (response.status === 202) {
      dialog.close();
      document.getElementById("decision-status").textContent = "Đã ghi quyết định \u201c" + DECISIONS[action].button
        + "\u201d cho " + target.display + (decision.campaign ? " và " + chosen.length + " chỉ báo liên quan" : "")
        + ".";
      return;
    }
    const problem = await response.json().catch(() => ({}));
    error.textContent = problem.detail || "Chưa ghi được quyết định, hãy thử lại.";
  } catch (err) {
    error.textContent = "Chưa ghi được quyết định, hãy thử lại.";
  }
});

function live() {
  const events = new EventSource("/api/v1/dashboard/events");
  const status = document.getElementById("live-status");
  events.addEventListener("connected", () => { status.textContent = "Đang cập nhật trực tiếp"; load(); });
  events.onerror = () => { status.textContent = "Mất kết nối, đang thử lại…"; };
  events.addEventListener("alert", loadSoon);
  events.addEventListener("ack", loadSoon);
}

// What may be decided about a searched indicator: delisting a listing (one police confirmed only nationally), and
// for national accounts allowlisting an official channel or removing it.
function lookupActions(s) {
  const provinces = [...(s.provinces || []), ...((s.last24h && s.last24h.provinces) || []),
    ...((s.last7d && s.last7d.provinces) || [])];
  const target = {indicator: s.indicator, display: s.display, linked: s.linked || []};
  const buttons = [];
  if (s.status === "LISTED" && mayDecide(provinces) || s.status === "CONFIRMED" && national) {
    buttons.push(decideButton("DELIST", target));
    if (target.linked.length) buttons.push(decideButton("DELIST", target, true));
  }
  if (national) buttons.push(decideButton(s.status === "OFFICIAL_CHANNEL" ? "UNALLOWLIST" : "ALLOWLIST", target));
  return buttons;
}

document.getElementById("filters").addEventListener("change", load);
document.getElementById("filters").addEventListener("submit", e => e.preventDefault());
document.getElementById("lookup-form").addEventListener("submit", async e => {
  e.preventDefault();
  const out = document.getElementById("lookup-result");
  const buttons = document.getElementById("lookup-actions");
  const forPolice = document.getElementById("lookup-evidence");
  out.textContent = "Đang tra cứu…";
  buttons.replaceChildren();
  forPolice.replaceChildren();
  try {
    const q = encodeURIComponent(document.getElementById("lookup-input").value);
    const response = await fetch("/api/v1/dashboard/lookup?indicator=" + q);
    const s = await response.json();
    out.textContent = response.ok
      ? s.display + " — " + (STATUSES[s.status] || s.status) + (s.last7d ? " — 7 ngày: " + s.last7d.reportCount + " báo cáo" : "")
      : (s.detail || "không tra cứu được");
    if (response.ok) {
      const linked = linkedLine(s.linked);
      if (linked) out.append("\n", linked);
      buttons.append(...lookupActions(s));
      if (national) forPolice.append(evidenceActions({indicator: s.indicator, display: s.display, linked: s.linked || []}));
    }
  } catch (err) {
    out.textContent = "không tra cứu được";
  }
});
// Ages and "quá hạn" move with the clock, and "today" turns at midnight, not only with events.
setInterval(load, 60000);
live();
