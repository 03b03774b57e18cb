"use strict";
// The owners' appeal page: posts JSON (the server takes nothing else, so no other site can post for a visitor),
// shows each error next to its field, and the receipt; the status form reads the outcome with a receipt.
const FIELDS = ["indicator", "contact", "explanation"];

function showErrors(problem) {
  FIELDS.forEach(f => {
    document.getElementById(f + "-error").textContent = "";
    document.getElementById(f).removeAttribute("aria-invalid");
  });
  document.getElementById("form-error").textContent = "";
  const fieldErrors = (problem && problem.errors) || [];
  fieldErrors.forEach(e => {
    const box = document.getElementById(e.field + "-error");
    if (box) {
      box.textContent = e.message;
      document.getElementById(e.field).setAttribute("aria-invalid", "true");
    }
  });
  if (problem && fieldErrors.length === 0) document.getElementById("form-error").textContent = problem.detail;
}

async function readProblem(response) {
  try { return await response.json(); } catch (e) { return {detail: "Lỗi " + response.status + ", vui lòng thử lại."}; }
}

document.getElementById("appeal-form").addEventListener("submit", async event => {
  event.preventDefault();
  const button = document.getElementById("submit");
  button.disabled = true;
  try {
    const body = {};
    FIELDS.forEach(f => body[f] = document.getElementById(f).value);
    const response = await fetch("/api/v1/appeals", {method: "POST", headers: {"Content-Type": "application/json"},
      body: JSON.stringify(body)});
    if (response.status === 201) {
      const appeal = await response.json();
      showErrors(null);
      document.getElementById("receipt-id").textContent = appeal.receipt;
      document.getElementById("receipt").hidden = false;
      document.getElementById("appeal-form").reset();
      document.getElementById("receipt-input").value = appeal.receipt;
      location.hash = "ma=" + appeal.receipt;
    } else {
      showErrors(await readProblem(response));
    }
  } catch (e) {
    showErrors({detail: "Không kết nối được, vui lòng thử lại."});
  } finally {
    button.disabled = false;
  }
});

async function check(receipt) {
  const error = document.getElementById("receipt-error");
  error.textContent = "";
  document.getElementById("outcome").hidden = true;
  const response = await fetch("/api/v1/appeals/" + encodeURIComponent(receipt.trim()));
  if (!response.ok) {
    error.textContent = (await readProblem(response)).detail;
    return;
  }
  const appeal = await response.json();
  document.getElementById("outcome-indicator").textContent = appeal.display;
  document.getElementById("outcome-status").textContent = appeal.statusText;
  document.getElementById("outcome-reason").textContent = appeal.reason ? "Lý do: " + appeal.reason : "";
  document.getElementById("outcome").hidden = false;
}

document.getElementById("status-form").addEventListener("submit", event => {
  event.preventDefault();
  check(document.getElementById("receipt-input").value);
});

// A receipt in the address's fragment (never sent to the server, so never in a log): checked at once, also when
// the fragment changes (a bookmarked link opened on the page, the receipt just given).
function checkFromHash() {
  const fromHash = new URLSearchParams(location.hash.slice(1)).get("ma");
  if (fromHash) {
    document.getElementById("receipt-input").value = fromHash;
    check(fromHash);
  }
}
window.addEventListener("hashchange", checkFromHash);
checkFromHash();
