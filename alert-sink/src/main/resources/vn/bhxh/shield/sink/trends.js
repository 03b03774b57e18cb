"use strict";
// The national board's weekly trends: reports per ISO week (Monday to Sunday, Vietnam time), per province, per kind of
// indicator and per what the scammer asked for, as charts (Chart.js, served by the sink) and the same figures as
// tables for screen readers and keyboards. A section of its own, only for national accounts (the API refuses province
// accounts with 403 too); refreshed every minute.
(() => {
  const section = document.getElementById("weekly-trends");
  const KINDS = {PHONE: "Số điện thoại", DOMAIN: "Tên miền", URL: "Trang mạng", BANK_ACCOUNT: "Tài khoản ngân hàng",
    SOCIAL_ACCOUNT: "Tài khoản mạng xã hội", E_WALLET: "Ví điện tử"};
  const REQUESTS = {OTP: "Mã OTP", PASSWORD: "Mật khẩu", MONEY_TRANSFER: "Chuyển tiền",
    PERSONAL_DATA: "Thông tin cá nhân", VISIT_OFFICE: "Đến cơ quan / cập nhật VssID", CLICK_LINK: "Bấm đường link",
    SCAN_QR: "Quét mã QR", OTHER: "Khác"};
  const COLOURS = ["#b00020", "#0d47a1", "#2e7d32", "#6a1b9a", "#e65100", "#00695c", "#5d4037", "#37474f"];
  const TOP_PROVINCES = 10;
  const REFRESH_MS = 60_000;
  const charts = {};

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  }

  // "Tuần 49 (30/11–06/12)" from {week: "2026-W49", start: "2026-11-30"}.
  function weekName(w) {
    const start = new Date(w.start + "T00:00:00Z");
    const end = new Date(start.getTime() + 6 * 86_400_000);
    const day = d => String(d.getUTCDate()).padStart(2, "0") + "/" + String(d.getUTCMonth() + 1).padStart(2, "0");
    return "Tuần " + Number(w.week.slice(6)) + " (" + day(start) + "–" + day(end) + ")";
  }

  function chartBox(id, title) {
    const figure = el("figure", "trend-figure");
    figure.style.margin = "0";
    figure.append(el("figcaption", null, title));
    const box = el("div", "chart-box");
    const canvas = el("canvas");
    canvas.id = id;
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", title);
    box.append(canvas);
    figure.append(box);
    return figure;
  }

  // A table in a scrollable region a keyboard can reach; the header row is fixed, the rows are rebuilt on refresh.
  function table(id, caption, headers) {
    const region = el("div", "table-scroll");
    region.tabIndex = 0;
    region.setAttribute("role", "region");
    region.setAttribute("aria-labelledby", id + "-caption");
    const t = el("table");
    t.id = id;
    const c = el("caption", null, caption);
    c.id = id + "-caption";
    c.style.textAlign = "left";
    c.style.fontWeight = "bold";
    const head = el("tr");
    headers.forEach(h => {
      const th = el("th", null, h);
      th.scope = "col";
      head.append(th);
    });
    const thead = el("thead");
    thead.append(head);
    t.append(c, thead, el("tbody"));
    region.append(t);
    return region;
  }

  function build() {
    section.replaceChildren();
    const title = el("h2", null, "Xu hướng theo tuần");
    title.id = "weekly-trends-title";
    section.setAttribute("aria-labelledby", title.id);
    const note = el("p", "meta", "Số báo cáo mỗi tuần (thứ Hai đến Chủ nhật, giờ Việt Nam). Một báo cáo được tính một "
      + "lần; báo cáo nêu nhiều loại chỉ báo hoặc nhiều yêu cầu được tính ở mỗi loại, mỗi yêu cầu.");
    const status = el("p", "meta");
    status.id = "weekly-trends-status";
    status.setAttribute("role", "status");
    const grid = el("div");
    grid.style.display = "grid";
    grid.style.gridTemplateColumns = "repeat(auto-fit, minmax(min(28rem, 100%), 1fr))";
    grid.style.gap = "1rem";
    grid.append(chartBox("trend-weeks-chart", "Báo cáo mỗi tuần"),
      chartBox("trend-provinces-chart", "Các tỉnh, thành phố nhiều báo cáo nhất"),
      chartBox("trend-kinds-chart", "Theo loại chỉ báo"),
      chartBox("trend-requests-chart", "Theo yêu cầu của kẻ gian"));
    section.append(title, note, status, grid,
      table("trend-weeks-table", "Báo cáo mỗi tuần, theo yêu cầu của kẻ gian",
        ["Tuần", "Báo cáo", ...Object.values(REQUESTS)]),
      table("trend-kinds-table", "Báo cáo mỗi tuần, theo loại chỉ báo", ["Tuần", ...Object.values(KINDS)]),
      table("trend-provinces-table", "Các tỉnh, thành phố nhiều báo cáo nhất",
        ["Tỉnh, thành phố", "Tuần này", "Tuần trước", "Cả giai đoạn"]));
  }

  function fillRows(id, rows) {
    const body = document.querySelector("#" + id + " tbody");
    body.replaceChildren(...rows.map(([name, ...numbers]) => {
      const row = el("tr");
      const th = el("th", null, name);
      th.scope = "row";
      row.append(th, ...numbers.map(n => el("td", "number", n)));
      return row;
    }));
  }

  function draw(id, type, labels, datasets, options) {
    if (typeof Chart === "undefined") return;
    if (charts[id]) {
      charts[id].data.labels = labels;
      charts[id].data.datasets = datasets;
      charts[id].update("none");
      return;
    }
    charts[id] = new Chart(document.getElementById(id), {type, data: {labels, datasets}, options: Object.assign({
      animation: false, responsive: true, maintainAspectRatio: false,
      plugins: {legend: {position: "bottom", display: datasets.length > 1}}}, options)});
  }

  function series(weeks, names, pick) {
    return Object.keys(names).map((code, i) => ({label: names[code], data: weeks.map(w => pick(w)[code] || 0),
      borderColor: COLOURS[i % COLOURS.length], backgroundColor: COLOURS[i % COLOURS.length], tension: 0}));
  }

  function describe(id, text) {
    document.getElementById(id).setAttribute("aria-label", text);
  }

  function show(trends) {
    const weeks = trends.weeks;
    const labels = weeks.map(w => "T" + Number(w.week.slice(6)));
    const newestFirst = [...weeks].reverse();
    const last = weeks.length - 1;
    const top = trends.provinces.slice(0, TOP_PROVINCES);
    const sum = (w, pick) => weeks.reduce((n, week) => n + (pick(week)[w] || 0), 0);
    document.getElementById("weekly-trends-status").textContent = trends.loaded
      ? weeks.length + " tuần gần nhất, đến " + weekName(weeks[last]) + "."
      : "Đang tải số liệu…";

    draw("trend-weeks-chart", "bar", labels, [{label: "Báo cáo", data: weeks.map(w => w.reports),
      backgroundColor: COLOURS[1]}], {scales: {y: {beginAtZero: true, ticks: {precision: 0}}}});
    describe("trend-weeks-chart", "Báo cáo mỗi tuần, " + weeks.length + " tuần gần nhất: "
      + weeks.map(w => weekName(w) + " " + w.reports).join(", ") + ".");
    draw("trend-provinces-chart", "bar", top.map(p => p.name), [{label: "Báo cáo", data: top.map(p => p.total),
      backgroundColor: COLOURS[0]}], {indexAxis: "y", scales: {x: {beginAtZero: true, ticks: {precision: 0}}}});
    describe("trend-provinces-chart", "Các tỉnh, thành phố nhiều báo cáo nhất trong " + weeks.length + " tuần: "
      + (top.length ? top.map(p => p.name + " " + p.total).join(", ") : "chưa có báo cáo") + ".");
    const lines = {scales: {y: {beginAtZero: true, ticks: {precision: 0}}}};
    draw("trend-kinds-chart", "line", labels, series(weeks, KINDS, w => w.byKind), lines);
    describe("trend-kinds-chart", "Báo cáo theo loại chỉ báo trong " + weeks.length + " tuần: "
      + Object.keys(KINDS).map(k => KINDS[k] + " " + sum(k, w => w.byKind)).join(", ") + ".");
    draw("trend-requests-chart", "line", labels, series(weeks, REQUESTS, w => w.byRequest), lines);
    describe("trend-requests-chart", "Báo cáo theo yêu cầu của kẻ gian trong " + weeks.length + " tuần: "
      + Object.keys(REQUESTS).map(r => REQUESTS[r] + " " + sum(r, w => w.byRequest)).join(", ") + ".");

    fillRows("trend-weeks-table", newestFirst.map(w => [weekName(w), w.reports,
      ...Object.keys(REQUESTS).map(r => w.byRequest[r] || 0)]));
    fillRows("trend-kinds-table", newestFirst.map(w => [weekName(w),
      ...Object.keys(KINDS).map(k => w.byKind[k] || 0)]));
    fillRows("trend-provinces-table", top.map(p => [p.name, p.reports[last], p.reports[last - 1], p.total]));
  }

  async function load() {
    let response;
    try {
      response = await fetch("/api/v1/dashboard/trends");
    } catch (offline) {
      return; // the next refresh tries again
    }
    if (!response.ok) {
      // Set once the board knows whether this account sees the trends (what a test waits for).
      section.dataset.state = response.status === 403 ? "not-national" : "unavailable";
      return;
    }
    const trends = await response.json();
    if (section.hidden) {
      build();
      section.hidden = false;
    }
    show(trends);
    section.dataset.state = trends.loaded ? "shown" : "loading";
  }

  // Only national accounts see the trends: a province's board does not ask (the server refuses it anyway).
  if (document.querySelector('meta[name="scope"]').content !== "national") {
    section.dataset.state = "not-national";
    return;
  }
  load();
  setInterval(load, REFRESH_MS);
})();
