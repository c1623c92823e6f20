// Shared by the auditor pages: calls to the relay's auditor API with the page's login, and table
// rows built from text only (never HTML), since case numbers, chat and details come from people.
'use strict';

const tunl = {
  async api(path) {
    const response = await fetch(path, {credentials: 'same-origin', headers: {Accept: 'application/json'}});
    if (response.status === 401) {
      window.location.assign('/login');
      throw new Error('your login has ended; log in again');
    }
    if (!response.ok) {
      let message = response.status + ' ' + response.statusText;
      try {
        const problem = await response.json();
        message = problem.detail || problem.title || message;
      } catch (ignored) {
        // not a problem document; the status says enough
      }
      throw new Error(message);
    }
    return response.json();
  },

  time(instant) {
    return instant ? new Date(instant).toLocaleString() : '';
  },

  row(tbody, cells) {
    const tr = document.createElement('tr');
    for (const cell of cells) {
      const td = document.createElement('td');
      if (cell instanceof Node) {
        td.appendChild(cell);
      } else {
        td.textContent = cell === null || cell === undefined ? '' : String(cell);
      }
      tr.appendChild(td);
    }
    tbody.appendChild(tr);
    return tr;
  },

  empty(tbody, columns, text) {
    const tr = document.createElement('tr');
    const td = document.createElement('td');
    td.colSpan = columns;
    td.className = 'none';
    td.textContent = text;
    tr.appendChild(td);
    tbody.appendChild(tr);
  },

  showError(error) {
    const box = document.getElementById('error');
    box.textContent = error.message;
    box.hidden = false;
  },
};
