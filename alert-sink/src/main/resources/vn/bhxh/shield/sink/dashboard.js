"use strict";
const LEVELS = {WARNING: "Cảnh báo", BLOCKED: "Đã chặn", OFFICIAL_CHANNEL_SPOOFED: "Giả mạo kênh chính thức"};
const KINDS = {PHONE: "Số điện thoại", DOMAIN: "Tên miền", URL: "Trang mạng", BANK_ACCOUNT: "Tài khoản ngân hàng"};
const csrf = document.querySelector('meta[name="csrf-token"]').content;
const alerts = new Map();

// Vietnam time whatever the office PC's clock settings, to the minute: "09:45 22/11/2026".
const TIME = new Intl.DateTimeFormat("vi-VN", {timeZone: "Asia/Ho_Chi_Minh", hour: "2-digit", minute: "2-digit",
  day: "2-digit", month: "2-digit", year: "numeric"});
function when(iso) { return iso ? TIME.format(new Date(iso)) : "—"; }

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

function render() {
  const level = document.getElementById("level-filter").value;
  const kind = document.getElementById("kind-filter").value;
  const list = document.getElementById("alerts");
  list.replaceChildren();
  [...alerts.values()]
    .filter(a => (!level || a.level === level) && (!kind || a.kind === kind))
    .sort((a, b) => b.raisedAt.localeCompare(a.raisedAt))
    .forEach(a => {
      const card = el("article", "alert " + a.level + (a.acknowledgedBy ? " acknowledged" : ""));
      card.dataset.alertId = a.alertId;
      card.append(el("div", "level", LEVELS[a.level] || a.level));
      card.append(el("div", "indicator", a.display));
      card.append(el("div", "meta", (KINDS[a.kind] || a.kind) + " — " + a.reason));
      card.append(el("div", "meta", a.distinctReporters + " người báo cáo, " + a.reportCount + " báo cáo; tỉnh: "
        + a.provinceNames.join(", ")));
      card.append(el("div", "meta", "Lần đầu: " + when(a.firstSeen) + " — lần cuối: " + when(a.lastSeen)));
      const hourly = trend(a.hourlyReports);
      if (hourly) card.append(hourly);
      const notes = el("ul", "notes");
      a.sampleNotes.forEach(n => notes.append(el("li", null, n)));
      card.append(notes);
      const actions = el("div", "actions");
      if (a.acknowledgedBy) {
        actions.append(el("span", "status", "Đã xác nhận bởi " + a.acknowledgedBy + " lúc " + when(a.acknowledgedAt)));
      } else {
        const ack = el("button", "ack", "Xác nhận đã xem");
        ack.addEventListener("click", () => acknowledge(a));
        actions.append(el("span", "status", "Chưa xác nhận"), ack);
      }
      card.append(actions);
      list.append(card);
    });
}

async function acknowledge(a) {
  const body = new URLSearchParams({alertId: a.alertId, indicator: a.indicator});
  const response = await fetch("/api/v1/dashboard/acknowledge", {method: "POST", body, headers: {"X-CSRF-Token": csrf}});
  if (!response.ok) alert("Chưa xác nhận được, hãy thử lại.");
}

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

document.getElementById("level-filter").addEventListener("change", render);
document.getElementById("kind-filter").addEventListener("change", render);
document.getElementById("lookup-form").addEventListener("submit", async e => {
  e.preventDefault();
  const out = document.getElementById("lookup-result");
  out.textContent = "Đang tra cứu…";
  try {
    const q = encodeURIComponent(document.getElementById("lookup-input").value);
    const response = await fetch("/api/v1/dashboard/lookup?indicator=" + q);
    const s = await response.json();
    out.textContent = response.ok
      ? s.display + " — " + s.status + (s.last7d ? " — 7 ngày: " + s.last7d.reportCount + " báo cáo" : "")
      : (s.error || "không tra cứu được");
  } catch (err) {
    out.textContent = "không tra cứu được";
  }
});
live();
