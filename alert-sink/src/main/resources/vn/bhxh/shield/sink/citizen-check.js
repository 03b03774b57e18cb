"use strict";
// The citizens' check: asks /api/v1/check and shows its answer (or the problem's Vietnamese detail) as text only.
const VERDICTS = {
  LISTED: "Cảnh báo: lừa đảo",
  OFFICIAL: "Kênh chính thức của BHXH",
  NO_REPORTS: "Chưa có báo cáo"
};

function show(verdict, title, message) {
  const answer = document.getElementById("answer");
  answer.textContent = "";
  const heading = document.createElement("p");
  heading.id = "verdict";
  heading.textContent = title;
  const text = document.createElement("p");
  text.id = "message";
  text.textContent = message;
  answer.append(heading, text);
  answer.dataset.verdict = verdict;
}

async function readProblem(response) {
  try { return await response.json(); } catch (e) { return {detail: "Lỗi " + response.status + ", vui lòng thử lại."}; }
}

document.getElementById("check-form").addEventListener("submit", async event => {
  event.preventDefault();
  const button = document.getElementById("check");
  button.disabled = true;
  try {
    const response = await fetch("/api/v1/check?q=" + encodeURIComponent(document.getElementById("q").value));
    if (response.ok) {
      const answer = await response.json();
      const what = answer.indicator ? " (" + answer.indicator.display + ")" : "";
      show(answer.verdict, (VERDICTS[answer.verdict] || answer.verdict) + what, answer.message);
    } else {
      show("ERROR", "Chưa kiểm tra được", (await readProblem(response)).detail);
    }
  } catch (e) {
    show("ERROR", "Chưa kiểm tra được", "Không kết nối được, vui lòng thử lại.");
  } finally {
    button.disabled = false;
  }
});
