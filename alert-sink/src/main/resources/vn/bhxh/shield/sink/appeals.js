"use strict";
// Owners' appeals on the national board: a section of its own, shown only to national accounts (the API refuses
// province accounts with 403 too). Live by server-sent events.
(() => {
  const section = document.getElementById("appeals");
  const token = document.querySelector('meta[name="csrf-token"]').content;
  const KINDS = {PHONE: "Số điện thoại", DOMAIN: "Tên miền", URL: "Trang mạng", BANK_ACCOUNT: "Tài khoản ngân hàng",
    SOCIAL_ACCOUNT: "Tài khoản mạng xã hội", E_WALLET: "Ví điện tử"};
  const STATUSES = {LISTED: "Đang chặn (phản ánh của người dân)", CONFIRMED: "Đang chặn (đã xác nhận)"};
  const TIME = new Intl.DateTimeFormat("vi-VN", {timeZone: "Asia/Ho_Chi_Minh", hour: "2-digit", minute: "2-digit",
    day: "2-digit", month: "2-digit", year: "numeric"});
  const when = iso => iso ? TIME.format(new Date(iso)) : "—";
  // Owners' words go through textContent only, never innerHTML.
  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  }

  function listing(l) {
    if (!l) return "Không còn trong danh sách chặn.";
    return (STATUSES[l.status] || l.status) + " từ " + when(l.listedAt) + " — " + l.reasonCode + ": " + l.reason
      + (l.expiresAt ? " — hết hạn " + when(l.expiresAt) : "");
  }

  async function decide(appeal, action, reasonBox, error) {
    error.textContent = "";
    const response = await fetch("/api/v1/dashboard/appeals/" + encodeURIComponent(appeal.appealId) + "/decision", {
      method: "POST", headers: {"Content-Type": "application/json", "X-CSRF-Token": token},
      body: JSON.stringify({action: action, reason: reasonBox.value})});
    if (response.status !== 202) {
      let problem = {};
      try { problem = await response.json(); } catch (e) { problem = {detail: "Lỗi " + response.status}; }
      error.textContent = problem.detail;
    }
  }

  function render(appeals) {
    section.replaceChildren(el("h2", null, "Khiếu nại của chủ số/trang (" + appeals.length + ")"));
    if (appeals.length === 0) section.append(el("p", "meta", "Không có khiếu nại nào đang chờ."));
    appeals.forEach(a => {
      const card = el("article", "alert appeal");
      card.dataset.appealId = a.appealId;
      card.append(el("div", "level", "Khiếu nại"));
      card.append(el("div", "indicator", a.display));
      card.append(el("div", "meta", (KINDS[a.kind] || a.kind) + " — " + listing(a.listing)));
      card.append(el("div", "meta", "Gửi lúc " + when(a.submittedAt) + " — liên hệ: "
        + (a.contact === null ? "(không giải mã được)" : a.contact)));
      card.append(el("blockquote", "explanation", a.explanation === null ? "(không giải mã được)" : a.explanation));
      const reason = el("textarea", "appeal-reason");
      reason.placeholder = "Lý do (người khiếu nại sẽ đọc)";
      reason.setAttribute("aria-label", "Lý do quyết định");
      const error = el("div", "error");
      error.setAttribute("role", "alert");
      const delist = el("button", "delist", "Gỡ khỏi danh sách");
      delist.addEventListener("click", () => decide(a, "DELIST", reason, error));
      const keep = el("button", "keep", "Giữ nguyên");
      keep.addEventListener("click", () => decide(a, "KEEP", reason, error));
      const actions = el("div", "actions");
      actions.append(reason, delist, keep);
      card.append(actions, error);
      section.append(card);
    });
  }

  // Only national accounts see appeals: a province's board does not ask (the server refuses it anyway).
  if (document.querySelector('meta[name="scope"]').content !== "national") {
    section.dataset.state = "not-national";
    return;
  }
  fetch("/api/v1/dashboard/appeals").then(response => {
    // Set once the board knows whether this account sees appeals (what a test waits for).
    section.dataset.state = response.ok ? "shown" : "not-national";
    if (!response.ok) return;
    section.hidden = false;
    response.json().then(render);
    new EventSource("/api/v1/dashboard/appeals/events")
      .addEventListener("appeals", event => render(JSON.parse(event.data)));
  });
})();
