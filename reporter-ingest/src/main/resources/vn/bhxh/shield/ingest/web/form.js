// The operator form: the server decides what is valid (POST /api/v1/validate and the 400 list of the submit);
// this script only collects the fields, shows the answers with textContent (never innerHTML) and moves focus.
'use strict';
(function () {
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const operator = document.querySelector('meta[name="operator"]').content;
  const form = document.getElementById('report');
  const receipt = document.getElementById('receipt');
  let idempotencyKey = newKey();

  function newKey() {
    return (crypto.randomUUID ? crypto.randomUUID() : Date.now() + '-' + Math.random().toString(16).slice(2));
  }

  function api(method, path, body) {
    return fetch(path, {
      method, credentials: 'same-origin',
      headers: Object.assign({ 'Content-Type': 'application/json', 'X-CSRF-Token': csrf },
        method === 'POST' && path === '/api/v1/reports' ? { 'Idempotency-Key': idempotencyKey } : {}),
      body: body === undefined ? undefined : JSON.stringify(body)
    });
  }

  function values(name) {
    return Array.from(form.querySelectorAll('input[name="' + name + '"]')).map(i => i.value);
  }

  function collect() {
    const amount = form.amountLostVnd.value.replace(/[^0-9]/g, '');
    return {
      channel: 'HOTLINE', reporterId: form.reporterId.value, province: form.province.value,
      contactMethod: form.contactMethod.value, phoneNumbers: values('phoneNumbers'), urls: values('urls'),
      accounts: values('accounts'),
      requested: Array.from(form.querySelectorAll('input[name="requested"]:checked')).map(c => c.value),
      amountLostVnd: amount === '' ? 0 : Number(amount), notes: form.notes.value,
      // datetime-local is the operator's wall clock; Date reads it as local time and the server takes the instant.
      occurredAt: form.occurredAt.value === '' ? null : new Date(form.occurredAt.value).toISOString()
    };
  }

  function showErrors(errors) {
    form.querySelectorAll('[data-error-for]').forEach(p => { p.textContent = ''; });
    form.querySelectorAll('[aria-invalid]').forEach(i => i.removeAttribute('aria-invalid'));
    errors.forEach(e => {
      const slot = form.querySelector('[data-error-for="' + CSS.escape(e.field) + '"]');
      if (slot) {
        slot.textContent = e.message;
        // The field that names this slot in its aria-describedby is the one a screen reader reads it with.
        const input = form.querySelector('[aria-describedby~="' + CSS.escape(slot.id) + '"]');
        if (input) { input.setAttribute('aria-invalid', 'true'); }
      } else {
        document.getElementById('form-error').textContent = e.message;
      }
    });
  }

  // The server's answer for the form as it is: field errors (only those of fields already filled in, unless
  // asked: an empty form is not yet wrong) and the identifiers the notes name that the report does not yet hold.
  async function check(fieldErrors) {
    const response = await api('POST', '/api/v1/validate', collect());
    if (response.ok) {
      const answer = await response.json();
      if (fieldErrors) {
        showErrors(answer.errors.filter(e => e.code !== 'REQUIRED' && e.code !== 'NO_IDENTIFIER'));
      }
      showNotesFound(answer.notAdded);
    }
  }

  let timer;
  function validateSoon() {
    clearTimeout(timer);
    timer = setTimeout(() => check(true), 400);
  }

  form.addEventListener('change', validateSoon);
  form.notes.addEventListener('input', validateSoon);

  // A number the notes mention is only offered: it becomes an indicator when the operator adds it, because it may
  // be the citizen's own. One the notes call the writer's own is shown without the button.
  function showNotesFound(found) {
    const list = document.getElementById('notes-found-list');
    list.replaceChildren();
    for (const identifier of found) {
      const item = document.createElement('li');
      item.textContent = identifier.display;
      if (identifier.writersOwn) {
        item.append(' — số của người báo, không đưa vào báo cáo');
      } else {
        const add = document.createElement('button');
        add.type = 'button';
        add.className = 'add-found';
        add.textContent = 'Thêm';
        add.setAttribute('aria-label', 'Thêm ' + identifier.display + ' vào báo cáo');
        add.addEventListener('click', () => addEntry(identifier.field, identifier.entry));
        item.append(add);
      }
      list.append(item);
    }
    document.getElementById('notes-found').hidden = found.length === 0;
  }

  function addEntry(field, entry) {
    const set = form.querySelector('fieldset[data-list="' + field + '"]');
    let input = Array.from(set.querySelectorAll('input')).find(i => i.value.trim() === '');
    if (!input) {
      set.querySelector('button.add').click();
      input = Array.from(set.querySelectorAll('.rows input')).pop();
    }
    input.value = entry;
    input.dispatchEvent(new Event('input'));
    validateSoon();
  }

  form.province.addEventListener('input', () => {
    clearTimeout(form.province.timer);
    form.province.timer = setTimeout(async () => {
      const out = document.getElementById('province-match');
      const q = form.province.value.trim();
      if (q === '') { out.textContent = ''; return; }
      const response = await api('GET', '/api/v1/provinces?q=' + encodeURIComponent(q));
      const found = response.ok ? await response.json() : [];
      out.textContent = found.length === 0 ? 'Không tìm thấy tỉnh, thành phố này'
        : '→ ' + found.slice(0, 3).map(p => p.name).join(', ');
    }, 200);
  });

  form.querySelectorAll('fieldset[data-list]').forEach(set => {
    set.querySelector('button.add').addEventListener('click', () => {
      const rows = set.querySelector('.rows');
      const index = rows.querySelectorAll('input').length;
      const field = set.dataset.list;
      const row = rows.querySelector('.row').cloneNode(true);
      const input = row.querySelector('input');
      const lookupOut = row.querySelector('output');
      const error = row.querySelector('.error');
      input.value = '';
      input.removeAttribute('aria-invalid');
      input.setAttribute('aria-label', input.getAttribute('aria-label').replace(/\d+$/, String(index + 1)));
      lookupOut.id = 'lookup-' + field + '-' + index;
      lookupOut.textContent = '';
      lookupOut.className = 'lookup';
      error.id = 'error-' + field + '-' + index;
      error.textContent = '';
      error.dataset.errorFor = field + '[' + index + ']';
      input.setAttribute('aria-describedby', lookupOut.id + ' ' + error.id);
      watchLookup(input, field, lookupOut);
      rows.append(row);
      input.focus();
    });
  });

  form.addEventListener('submit', async event => {
    event.preventDefault();
    document.getElementById('form-error').textContent = '';
    const button = document.getElementById('submit');
    button.disabled = true;
    try {
      const response = await api('POST', '/api/v1/reports', collect());
      const answer = await response.json();
      if (response.status === 202) {
        showReceipt(answer);
        rememberInShift(answer);
      } else {
        showErrors(answer.errors && answer.errors.length ? answer.errors : [{ field: '', message: answer.detail }]);
        const first = form.querySelector('[aria-invalid="true"]');
        if (first) { first.focus(); }
        check(false);
      }
    } catch (e) {
      document.getElementById('form-error').textContent = 'Không kết nối được máy chủ. Hãy thử gửi lại.';
    } finally {
      button.disabled = false;
    }
  });

  async function showReceipt(answer) {
    document.getElementById('receipt-id').textContent = answer.reportId;
    const rows = document.getElementById('receipt-rows');
    rows.replaceChildren();
    for (const identifier of answer.identifiers) {
      const tr = document.createElement('tr');
      const known = document.createElement('td');
      known.textContent = 'Đang tra cứu…';
      [identifier.display, identifier.key].forEach(text => {
        const td = document.createElement('td');
        td.textContent = text;
        tr.append(td);
      });
      tr.append(known);
      rows.append(tr);
      lookup(identifier.key).then(text => { known.textContent = text; });
    }
    // The receipt says how many, never which: it is kept for retries, and they may be the citizen's.
    const left = answer.notAddedFromNotes.length;
    document.getElementById('receipt-not-added').textContent = left === 0 ? ''
      : left + ' số/đường link trong ghi chú không được đưa vào báo cáo; số điện thoại, tài khoản trong ghi chú đã được ẩn.';
    form.hidden = true;
    receipt.hidden = false;
    document.getElementById('again').focus();
  }

  async function lookup(key) {
    try {
      const response = await api('GET', '/api/v1/indicators/' + encodeURIComponent(key));
      const answer = await response.json();
      if (!response.ok) { return 'Chưa tra cứu được'; }
      return explanationText(answer.explanation);
    } catch (e) {
      return 'Chưa tra cứu được';
    }
  }

  document.getElementById('again').addEventListener('click', () => {
    form.reset();
    form.querySelectorAll('output.lookup').forEach(o => { o.textContent = ''; o.className = 'lookup'; });
    callTimeNow();
    showNotesFound([]);
    idempotencyKey = newKey();
    receipt.hidden = true;
    form.hidden = false;
    form.reporterId.focus();
  });

  function explanationText(explanation) {
    return explanation.headline + (explanation.advice ? ' ' + explanation.advice : '');
  }

  // What is known about an identifier, shown under its field while the operator types (debounced); an answer that
  // arrives after the field changed again is dropped, so the text always belongs to what is in the field.
  function watchLookup(input, field, out) {
    let timer;
    let asked = 0;
    input.addEventListener('input', () => {
      clearTimeout(timer);
      // An error shown for this field was about what it held before: the answer below replaces it.
      const error = document.getElementById(input.getAttribute('aria-describedby').split(' ')[1]);
      if (error) { error.textContent = ''; }
      input.removeAttribute('aria-invalid');
      const q = input.value.trim();
      const ask = ++asked;
      if (q === '') { out.textContent = ''; out.className = 'lookup'; return; }
      timer = setTimeout(async () => {
        let text = 'Chưa tra cứu được';
        let tone = 'unavailable';
        try {
          const response = await api('GET', '/api/v1/indicators?field=' + encodeURIComponent(field)
            + '&q=' + encodeURIComponent(q));
          const answer = await response.json();
          if (response.ok && answer.accepted) {
            text = answer.display + ': ' + explanationText(answer.explanation);
            tone = answer.explanation.tone;
          } else if (response.ok) {
            text = answer.message;
            tone = 'invalid';
          }
        } catch (e) { /* the text says it could not be looked up */ }
        if (ask === asked) {
          out.textContent = text;
          out.className = 'lookup tone-' + tone;
        }
      }, 300);
    });
  }

  form.querySelectorAll('fieldset[data-list]').forEach(set => {
    const row = set.querySelector('.row');
    watchLookup(row.querySelector('input'), set.dataset.list, row.querySelector('output'));
  });

  // The time of the call defaults to when the operator opened the form: the call is usually still going on.
  function callTimeNow() {
    const now = new Date();
    now.setSeconds(0, 0);
    form.occurredAt.value = new Date(now.getTime() - now.getTimezoneOffset() * 60000).toISOString().slice(0, 16);
  }
  callTimeNow();

  // This shift's receipts, kept in the tab's session storage (gone with the tab or at sign-out): the receipt id and
  // the scammer's identifiers only, never the caller's number or the notes.
  const shiftKey = 'bhxh-shift:' + operator;
  function shiftReports() {
    try { return JSON.parse(sessionStorage.getItem(shiftKey) || '[]'); } catch (e) { return []; }
  }
  function rememberInShift(answer) {
    const reports = shiftReports();
    reports.unshift({ at: new Date().toISOString(), reportId: answer.reportId,
      identifiers: answer.identifiers.map(i => i.display) });
    sessionStorage.setItem(shiftKey, JSON.stringify(reports.slice(0, 200)));
    showShift();
  }
  function showShift() {
    const reports = shiftReports();
    const rows = document.getElementById('shift-rows');
    rows.replaceChildren();
    for (const report of reports) {
      const tr = document.createElement('tr');
      [new Date(report.at).toLocaleTimeString('vi-VN', { hour: '2-digit', minute: '2-digit' }), report.reportId,
        report.identifiers.join(', ')].forEach(text => {
        const td = document.createElement('td');
        td.textContent = text;
        tr.append(td);
      });
      rows.append(tr);
    }
    document.getElementById('shift-table').hidden = reports.length === 0;
    document.getElementById('shift-empty').hidden = reports.length > 0;
  }
  showShift();
  document.querySelector('form.signout').addEventListener('submit', () => sessionStorage.removeItem(shiftKey));
})();
