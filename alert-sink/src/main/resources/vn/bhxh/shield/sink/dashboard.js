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
  CONFIRM: {button: "Xác nhận chặn", done: "Đã xác nhận"},
  REJECT: {button: "Bác bỏ", done: "Đã bác bỏ"},
  DELIST: {button: "Gỡ khỏi danh sách chặn", done: "Đã gỡ khỏi danh sách chặn"},
  ALLOWLIST: {button: "Đưa vào danh sách kênh chính thức", done: "Đã đưa vào danh sách kênh chính thức"},
  UNALLOWLIST: {button: "Bỏ khỏi danh sách kênh chính thức", done: "Đã bỏ khỏi danh sách kênh chính thức"}};
const csrf = document.querySelector('meta[name="csrf-token"]').content;
const scope = document.querySelector('meta[name="scope"]').content;
const national = scope === "national";
const alerts = new Map();

// Vietnam time whatever the office PC's clock settings, to the minute: "09:45 22/11/2026".
const TIME = new Intl.DateTimeFormat("vi-VN", {timeZone: "Asia/Ho_Chi_Minh", hour: "2-digit", minute: "2-digit",
  day: "2-digit", month: "2-digit", year: "numeric"});
function when(iso) { return iso ? TIME.format(new Date(iso)) : "—"; }
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

function decideButton(action, target) {
  const button = el("button", "decide " + action.toLowerCase(), DECISIONS[action].button);
  button.addEventListener("click", () => openDecision(action, target));
  return button;
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
  const target = {indicator: a.indicator, display: a.display, alertId: a.alertId};
  if (a.review) {
    if (a.decision) row.append(el("span", "status outcome", outcome(a.decision)));
    else if (mayDecide(a.provinces)) row.append(decideButton("CONFIRM", target), decideButton("REJECT", target));
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
    }
  }
  return row;
}

function isDecided(a) {
  return a.decision && (a.review || (a.level === "BLOCKED" && a.decision.action === "DELIST"));
}

function render() {
  const level = document.getElementById("level-filter").value;
  const kind = document.getElementById("kind-filter").value;
  const list = document.getElementById("alerts");
  list.replaceChildren();
  [...alerts.values()]
    .filter(a => (!level || a.level === level) && (!kind || a.kind === kind))
    .sort((a, b) => b.raisedAt.localeCompare(a.raisedAt))
    .forEach(a => {
      const card = el("article", "alert " + a.level + (a.acknowledgedBy ? " acknowledged" : "")
        + (isDecided(a) ? " decided" : ""));
      card.dataset.alertId = a.alertId;
      // A decided review item no longer waits: its label says so (the outcome line says how).
      card.append(el("div", "level", a.review && a.decision ? "Đề xuất chặn — đã xử lý" : LEVELS[a.level] || a.level));
      card.append(el("div", "indicator", a.display));
      card.append(el("div", "meta", (KINDS[a.kind] || a.kind) + " — " + a.reason));
      card.append(el("div", "meta", a.distinctReporters + " người báo cáo, " + a.reportCount + " báo cáo; tỉnh: "
        + (a.provinceNames.length ? a.provinceNames.join(", ") : "chưa rõ (tin nhắn fanpage)")));
      if (a.review) evidence(card, a);
      card.append(el("div", "meta", "Lần đầu: " + when(a.firstSeen) + " — lần cuối: " + when(a.lastSeen)));
      const hourly = trend(a.hourlyReports);
      if (hourly) card.append(hourly);
      const notes = el("ul", "notes");
      a.sampleNotes.forEach(n => notes.append(el("li", null, n)));
      card.append(notes);
      card.append(actions(a));
      list.append(card);
    });
}

async function acknowledge(a) {
  const body = new URLSearchParams({alertId: a.alertId, indicator: a.indicator});
  const response = await fetch("/api/v1/dashboard/acknowledge", {method: "POST", body, headers: {"X-CSRF-Token": csrf}});
  if (!response.ok) alert("Chưa xác nhận được, hãy thử lại.");
}

// One dialog for every decision, outside the list: live updates redraw the list, never a reason being typed.
const dialog = document.getElementById("decide-dialog");
let deciding = null;

function openDecision(action, target) {
  deciding = {action, target};
  document.getElementById("decide-title").textContent = DECISIONS[action].button;
  document.getElementById("decide-target").textContent = target.display;
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
  const {action, target} = deciding;
  try {
    const response = await fetch("/api/v1/decisions", {method: "POST",
      headers: {"Content-Type": "application/json", "X-CSRF-Token": csrf},
      body: JSON.stringify({indicator: target.indicator, action, reason, alertId: target.alertId})});
    if (response.status === 202) {
      dialog.close();
      document.getElementById("decision-status").textContent = "Đã ghi quyết định \u201c" + DECISIONS[action].button
        + "\u201d cho " + target.display + ".";
      return;
    }
    const problem = await response.json().catch(() => ({}));
    error.textContent = problem.detail || "Chưa ghi được quyết định, hãy thử lại.";
  } catch (err) {
    error.textContent = "Chưa ghi được quyết định, hãy thử lại.";
  }
});

async function load() {
  const response = await fetch("/api/v1/dashboard/alerts");
  (await response.json()).forEach(a => alerts.set(a.alertId, a));
  render();
}

function live() {
  const events = new EventSource("/api/v1/dashboard/events");
  const status = document.getElementById("live-status");
  events.addEventListener("connected", () => { status.textContent = "Đang cập nhật trực tiếp"; load(); });
  events.onerror = () => { status.textContent = "Mất kết nối, đang thử lại…"; };
  events.addEventListener("alert", e => { const a = JSON.parse(e.data); alerts.set(a.alertId, a); render(); });
  events.addEventListener("ack", e => {
    const ack = JSON.parse(e.data);
    const a = alerts.get(ack.alertId);
    if (a) { a.acknowledgedBy = ack.acknowledgedBy; a.acknowledgedAt = ack.acknowledgedAt; render(); }
  });
}

// What may be decided about a searched indicator: delisting a listing (one police confirmed only nationally), and
// for national accounts allowlisting an official channel or removing it.
function lookupActions(s) {
  const provinces = [...(s.provinces || []), ...((s.last24h && s.last24h.provinces) || []),
    ...((s.last7d && s.last7d.provinces) || [])];
  const target = {indicator: s.indicator, display: s.display};
  const buttons = [];
  if (s.status === "LISTED" && mayDecide(provinces) || s.status === "CONFIRMED" && national) {
    buttons.push(decideButton("DELIST", target));
  }
  if (national) buttons.push(decideButton(s.status === "OFFICIAL_CHANNEL" ? "UNALLOWLIST" : "ALLOWLIST", target));
  return buttons;
}

document.getElementById("level-filter").addEventListener("change", render);
document.getElementById("kind-filter").addEventListener("change", render);
document.getElementById("lookup-form").addEventListener("submit", async e => {
  e.preventDefault();
  const out = document.getElementById("lookup-result");
  const buttons = document.getElementById("lookup-actions");
  out.textContent = "Đang tra cứu…";
  buttons.replaceChildren();
  try {
    const q = encodeURIComponent(document.getElementById("lookup-input").value);
    const response = await fetch("/api/v1/dashboard/lookup?indicator=" + q);
    const s = await response.json();
    out.textContent = response.ok
      ? s.display + " — " + (STATUSES[s.status] || s.status) + (s.last7d ? " — 7 ngày: " + s.last7d.reportCount + " báo cáo" : "")
      : (s.error || "không tra cứu được");
    if (response.ok) buttons.append(...lookupActions(s));
  } catch (err) {
    out.textContent = "không tra cứu được";
  }
});
// Ages and "quá hạn" move with the clock, not only with events.
setInterval(render, 60000);
live();
