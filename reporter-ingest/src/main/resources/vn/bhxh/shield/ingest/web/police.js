// The police upload page: sends the chosen CSV file as is to POST /api/v1/police/referrals (the same API units'
// systems call) and shows the server's result for every row with textContent (never innerHTML).
'use strict';
(function () {
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const form = document.getElementById('upload');
  const error = document.getElementById('upload-error');
  // One key per file chosen: sending the same file again after a lost answer is recognised, not entered twice.
  let idempotencyKey = null;
  form.file.addEventListener('change', () => { idempotencyKey = crypto.randomUUID(); });

  form.addEventListener('submit', async event => {
    event.preventDefault();
    error.textContent = '';
    const file = form.file.files[0];
    if (!file) {
      error.textContent = 'Chưa chọn tệp CSV.';
      form.file.setAttribute('aria-invalid', 'true');
      form.file.focus();
      return;
    }
    form.file.removeAttribute('aria-invalid');
    const button = document.getElementById('send');
    button.disabled = true;
    try {
      const response = await fetch('/api/v1/police/referrals', {
        method: 'POST', credentials: 'same-origin',
        headers: { 'Content-Type': 'text/csv; charset=utf-8', 'X-CSRF-Token': csrf,
          'Idempotency-Key': idempotencyKey || crypto.randomUUID() },
        body: await file.text()
      });
      const answer = await response.json();
      if (answer.rows) {
        show(answer);
      } else {
        error.textContent = (answer.errors && answer.errors.length ? answer.errors[0].message : null)
          || answer.detail || answer.message || 'Không gửi được danh sách.';
      }
    } catch (e) {
      error.textContent = 'Không kết nối được máy chủ. Hãy gửi lại tệp.';
    } finally {
      button.disabled = false;
    }
  });

  function show(answer) {
    const rows = document.getElementById('result-rows');
    rows.replaceChildren();
    for (const row of answer.rows) {
      const tr = document.createElement('tr');
      tr.className = row.status === 'ACCEPTED' ? 'accepted' : 'rejected';
      const details = row.status === 'ACCEPTED' ? 'Mã biên nhận ' + row.reportId
        : row.errors.map(e => e.message).join(' ');
      [String(row.row), row.status === 'ACCEPTED' ? 'Đã nhận' : 'Có lỗi',
        row.indicator ? row.indicator.display : '', details].forEach(text => {
        const td = document.createElement('td');
        td.textContent = text;
        tr.append(td);
      });
      rows.append(tr);
    }
    const title = document.getElementById('result-title');
    title.textContent = 'Đã nhận ' + answer.accepted + ' dòng, ' + answer.rejected + ' dòng có lỗi'
      + (answer.accepted === 0 ? ' (không dòng nào được gửi)' : '') + '.';
    document.getElementById('result').hidden = false;
    title.focus();
  }
})();
