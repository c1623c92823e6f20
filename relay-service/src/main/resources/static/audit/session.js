// One session: its facts, the recording in asciinema-player, chat, tunnel history and timeline.
'use strict';

(function () {
  const id = new URLSearchParams(window.location.search).get('id') || '';
  const base = '/api/audit/sessions/' + encodeURIComponent(id);
  document.getElementById('title').textContent = id;
  document.title = 'tunl audit · ' + id;

  function fact(list, name, value) {
    const dt = document.createElement('dt');
    dt.textContent = name;
    const dd = document.createElement('dd');
    dd.textContent = value === null || value === undefined || value === '' ? '—' : String(value);
    list.append(dt, dd);
  }

  function showFacts(report) {
    const detail = report.detail;
    const session = detail.session;
    const facts = document.getElementById('facts');
    fact(facts, 'State', session.state.toLowerCase() + (session.closeReason ? ' (' + session.closeReason + ')' : ''));
    fact(facts, 'Case', session.caseNumber);
    fact(facts, 'Mode', session.mode);
    fact(facts, 'Created', tunl.time(session.createdAt) + ' by ' + session.createdBy);
    fact(facts, 'Customer connected', tunl.time(session.claimedAt));
    fact(facts, 'Closed', tunl.time(session.closedAt));
    fact(facts, 'Customer host', detail.customerHost);
    fact(facts, 'Customer address', detail.customerAddress);
    fact(facts, 'Customer key', detail.customerKeyFingerprint);
    fact(facts, 'Participants', (detail.participants || []).join(', '));
    fact(facts, 'Note', detail.note);

    const tunnel = document.querySelector('#tunnel tbody');
    for (const event of detail.tunnelHistory) {
      tunl.row(tunnel, [tunl.time(event.occurredAt), event.type, event.actor, event.reason, event.details]);
    }
    if (detail.tunnelHistory.length === 0) {
      tunl.empty(tunnel, 5, 'No tunnel was asked for.');
    }

    const parts = document.querySelector('#parts tbody');
    for (const part of report.recordings) {
      const check = document.createElement('span');
      check.textContent = part.intact ? 'intact' : 'CHANGED since it was closed';
      check.className = part.intact ? 'intact' : 'broken';
      tunl.row(parts, [part.part, part.file, part.storedSha256, check]);
    }
    if (report.recordings.length === 0) {
      tunl.empty(parts, 4, 'No finished recording part yet.');
    }
    return report.recordings.length > 0;
  }

  function showPlayer() {
    const source = base + '/recording';
    document.getElementById('download').href = source;
    AsciinemaPlayer.create(source, document.getElementById('player'), {
      fit: 'width',
      idleTimeLimit: 2,
      controls: true,
    });
  }

  async function showChat() {
    const tbody = document.querySelector('#chat tbody');
    const lines = await tunl.api(base + '/chat');
    for (const line of lines) {
      tunl.row(tbody, [tunl.time(line.sentAt), line.author, line.text]);
    }
    if (lines.length === 0) {
      tunl.empty(tbody, 3, 'Nobody chatted.');
    }
  }

  async function showEvents() {
    const tbody = document.querySelector('#events tbody');
    for (const event of await tunl.api(base + '/events')) {
      tunl.row(tbody, [event.id, tunl.time(event.occurredAt), event.type, event.actor, event.sourceAddress,
        event.reason, event.details]);
    }
  }

  async function show() {
    try {
      const recorded = showFacts(await tunl.api(base));
      if (recorded) {
        showPlayer();
      } else {
        document.getElementById('recording-note').textContent = 'There is no finished recording part yet.';
        document.getElementById('download').hidden = true;
      }
      await Promise.all([showChat(), showEvents()]);
    } catch (error) {
      tunl.showError(error);
    }
  }

  show();
})();
