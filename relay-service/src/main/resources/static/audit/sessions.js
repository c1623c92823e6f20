// The session list: filters live in the page's address, so a filtered list can be linked.
'use strict';

(function () {
  const PAGE_SIZE = 50;
  const query = new URLSearchParams(window.location.search);
  const form = document.getElementById('filters');
  const page = Math.max(0, parseInt(query.get('page') || '0', 10) || 0);

  for (const name of ['case', 'engineer', 'state']) {
    form.elements[name].value = query.get(name) || '';
  }
  for (const name of ['from', 'to']) {
    const value = query.get(name);
    if (value) {
      const local = new Date(new Date(value).getTime() - new Date(value).getTimezoneOffset() * 60000);
      form.elements[name].value = local.toISOString().slice(0, 16);
    }
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const next = new URLSearchParams();
    for (const name of ['case', 'engineer', 'state']) {
      const value = form.elements[name].value.trim();
      if (value) next.set(name, value);
    }
    for (const name of ['from', 'to']) {
      const value = form.elements[name].value;
      if (value) next.set(name, new Date(value).toISOString());
    }
    window.location.search = next.toString();
  });

  function goTo(newPage) {
    query.set('page', String(newPage));
    window.location.search = query.toString();
  }

  async function showChain() {
    const chain = document.getElementById('chain');
    try {
      const verdict = await tunl.api('/api/audit/verify');
      chain.textContent = verdict.intact
          ? 'audit log intact: ' + verdict.verified + ' events verified'
          : 'AUDIT LOG BROKEN at event ' + verdict.brokenAtId + ': ' + verdict.problem;
      chain.classList.add(verdict.intact ? 'intact' : 'broken');
    } catch (error) {
      chain.textContent = 'could not check the audit log: ' + error.message;
    }
  }

  async function showSessions() {
    const api = new URLSearchParams();
    for (const name of ['from', 'to', 'case', 'engineer', 'state']) {
      if (query.get(name)) api.set(name, query.get(name));
    }
    api.set('page', String(page));
    api.set('size', String(PAGE_SIZE));
    const tbody = document.querySelector('#sessions tbody');
    try {
      const result = await tunl.api('/api/audit/sessions?' + api.toString());
      for (const session of result.items) {
        const link = document.createElement('a');
        link.href = 'session.html?id=' + encodeURIComponent(session.id);
        link.textContent = session.id;
        tunl.row(tbody, [link, session.caseNumber, session.state.toLowerCase(), session.createdBy,
          tunl.time(session.createdAt), tunl.time(session.closedAt), session.closeReason, session.mode]);
      }
      if (result.items.length === 0) {
        tunl.empty(tbody, 8, 'No sessions match.');
      }
      const first = result.total === 0 ? 0 : page * PAGE_SIZE + 1;
      document.getElementById('position').textContent =
          first + '–' + (page * PAGE_SIZE + result.items.length) + ' of ' + result.total;
      const previous = document.getElementById('previous');
      const next = document.getElementById('next');
      previous.disabled = page === 0;
      next.disabled = (page + 1) * PAGE_SIZE >= result.total;
      previous.addEventListener('click', () => goTo(page - 1));
      next.addEventListener('click', () => goTo(page + 1));
    } catch (error) {
      tunl.showError(error);
    }
  }

  showChain();
  showSessions();
})();
