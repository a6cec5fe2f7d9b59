// ClusterPro's web view: renders the cluster document that the node streams as server-sent events (GET /events), and
// sends the operator's operations (POST /api/...) with the token typed into the page. No framework, no build step;
// every text is set with textContent, never parsed as HTML.
'use strict';

(() => {
  const $ = (id) => document.getElementById(id);
  const STALE_MS = 5000;
  const nodeCards = new Map();
  const groupCards = new Map();
  let doc = null;
  let lastUpdate = 0;
  let timelineKey = '';

  function el(tag, props, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(props || {})) {
      if (v === undefined || v === null) continue;
      if (k === 'class') e.className = v;
      else if (k === 'text') e.textContent = v;
      else if (k.startsWith('data-') || k.startsWith('aria-') || k === 'id' || k === 'for' || k === 'scope' || k === 'datetime' || k === 'role') e.setAttribute(k, v);
      else e[k] = v;
    }
    for (const c of children) if (c !== null && c !== undefined) e.append(c);
    return e;
  }

  // replaceChildren without the parts that are absent (null would be written as the text "null").
  const fill = (parent, ...children) => parent.replaceChildren(...children.filter((c) => c !== null && c !== undefined));
  const time = (iso) => iso ? new Date(iso).toLocaleTimeString([], { hour12: false }) : '';
  const stamp = (iso) => el('time', { datetime: iso, text: time(iso) });
  function ms(value) {
    if (value === null || value === undefined) return '';
    return value >= 10000 ? `${(value / 1000).toFixed(1)} s` : value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${Math.round(value)} ms`;
  }

  function tone(state) {
    switch (state) {
      case 'up': case 'ok': case 'Normal': case 'Active': return 'good';
      case 'starting': case 'leaving': case 'unreachable': case 'minority': case 'drift': case 'Warning': case 'Activating': case 'Deactivating': return 'warn';
      case 'down': case 'no answer': case 'unknown': case 'Error': case 'Stuck': return 'bad';
      case 'standby': case 'maintenance': case 'Suspended': return 'info';
      default: return '';
    }
  }

  const badge = (text, extra) => el('span', { class: `badge ${tone(text)}`, text, ...(extra || {}) });

  // ---- rendering ------------------------------------------------------------------------------------------------

  function render(d) {
    doc = d;
    lastUpdate = Date.now();
    const s = d.status;
    const state = $('cluster-state');
    state.textContent = s.cluster.maintenance ? `${s.cluster.state} · maintenance` : s.cluster.state;
    state.className = `badge ${tone(s.cluster.maintenance ? 'maintenance' : s.cluster.state)}`;
    state.dataset.clusterState = s.cluster.state;
    $('served').textContent = `Served by ${d.servedBy} · ${s.nodes.length} node(s), ${s.cluster.nodesAnswering} answering`;
    $('summary').textContent = s.cluster.summary;
    live('live', `Live · updated ${time(d.at)}`);
    renderNodes(d);
    renderGroups(d);
    renderTimeline(d);
    renderMonitors(s);
    renderEvents(s);
    renderOperations(d);
  }

  function renderNodes(d) {
    const host = $('nodes');
    for (const n of d.status.nodes) {
      let card = nodeCards.get(n.name);
      if (!card) {
        const button = el('button', { type: 'button', class: 'standby' });
        button.addEventListener('click', () => {
          const on = card.dataset.state !== 'standby';
          operate('api/standby', { node: n.name, on },
            on ? `Put ${n.name} on standby? Its groups move to the next node, and it takes none until unstandby.` : `Take ${n.name} off standby? It may take groups again.`);
        });
        card = el('article', { class: 'card node', 'data-node': n.name });
        card.append(el('h3'), el('div', { class: 'facts' }), el('div', { class: 'control' }, button));
        card.standby = button;
        nodeCards.set(n.name, card);
        host.append(card);
      }

      card.dataset.state = n.state;
      card.dataset.answered = String(n.answered);
      const heading = card.querySelector('h3');
      fill(heading, n.name + ' ', badge(n.state), n.name === d.servedBy ? el('span', { class: 'this', text: ' this node, serving the page' }) : null);
      const heard = n.answered ? 'answering now' : n.lastHeardSeconds !== null && n.lastHeardSeconds !== undefined ? `not answering; last heard by a peer ${n.lastHeardSeconds} s ago` : 'not answering';
      fill(card.querySelector('.facts'), 
        el('p', { text: heard }),
        el('p', { text: `Holds: ${n.groups.length ? n.groups.join(', ') : 'nothing'}` }),
        n.startedAt ? el('p', { class: 'muted', text: `Running since ${time(n.startedAt)}` }) : null);
      const standby = n.state === 'standby';
      card.standby.textContent = standby ? 'Unstandby' : 'Standby';
      card.standby.setAttribute('aria-label', standby ? `Take ${n.name} off standby` : `Put ${n.name} on standby`);
      card.standby.disabled = !d.operationsEnabled || !n.answered;
    }
  }

  function renderGroups(d) {
    const host = $('groups');
    for (const g of d.status.groups) {
      let card = groupCards.get(g.name);
      if (!card) {
        const id = `move-${g.name}`;
        const select = el('select', { id });
        const button = el('button', { type: 'button', text: 'Move', 'aria-label': `Move ${g.name}` });
        button.addEventListener('click', () => {
          const target = select.value;
          const owner = card.dataset.owner || 'its holder';
          operate('api/move', { group: g.name, target: target || null },
            `Move ${g.name} from ${owner} to ${target || 'the next node by priority'}? A planned hand-off: no fencing, no heartbeat timeout.`);
        });
        card = el('article', { class: 'card group', 'data-group': g.name });
        card.append(el('h3'), el('div', { class: 'body' }),
          el('div', { class: 'control' }, el('label', { for: id, text: `Move ${g.name} to` }), select, button));
        card.select = select;
        card.move = button;
        groupCards.set(g.name, card);
        host.append(card);
      }

      card.dataset.owner = g.owner || '';
      card.dataset.awsOwner = g.awsOwner || '';
      card.dataset.verdict = g.verdict;
      fill(card.querySelector('h3'), g.name + ' ', badge(g.verdict));
      const facts = el('dl', { class: 'facts' },
        el('dt', { text: 'Owner (nodes)' }), el('dd', { class: 'owner', text: g.owner || 'none' }),
        el('dt', { text: 'AWS points at' }), el('dd', { class: 'aws-owner', text: g.awsOwner || 'none' }),
        el('dt', { text: 'Epoch' }), el('dd', { text: String(g.epoch) }),
        el('dt', { text: 'On each node' }), el('dd', { text: Object.entries(g.states).map(([n, st]) => `${n}: ${st}`).join(' · ') }));
      const resources = el('table', {},
        el('caption', { text: `${g.name}: AWS ground truth` }),
        el('thead', {}, el('tr', {}, ...['Resource', 'Kind', 'Points at', 'What AWS holds'].map((h) => el('th', { scope: 'col', text: h })))),
        el('tbody', {}, ...g.resources.map((r) => el('tr', { 'data-resource': r.resource },
          el('td', { text: r.resource }),
          el('td', { text: r.kind }),
          el('td', {}, badge(r.state === 'Node' ? r.node : r.state.toLowerCase(), { class: `badge ${r.state === 'Node' ? (r.node === g.owner ? 'good' : 'warn') : tone(r.state === 'Unknown' ? 'unknown' : 'drift')}` })),
          el('td', { class: 'detail', text: r.detail }))),
          ...(g.lease ? [leaseRow(g.lease, d.status.witness)] : [])));
      fill(card.querySelector('.body'), facts,
        g.problems.length ? el('p', { class: 'problems', text: g.problems.join(' ') }) : null, resources);

      const options = [['', 'next node by priority'], ...d.status.nodes.map((n) => [n.name, n.name])];
      if (card.select.options.length !== options.length) {
        const keep = card.select.value;
        card.select.replaceChildren(...options.map(([value, text]) => el('option', { value, text })));
        card.select.value = keep;
      }
      card.select.disabled = !d.operationsEnabled;
      card.move.disabled = !d.operationsEnabled;
    }
  }

  function leaseRow(l, witness) {
    const says = !l.answered ? l.detail
      : !l.owner && (l.epoch === null || l.epoch === undefined) ? 'no lease'
      : `epoch ${l.epoch}${l.ageSeconds !== null && l.ageSeconds !== undefined ? `, written ${l.ageSeconds} s ago` : ''}${l.updatedBy ? ` by ${l.updatedBy}` : ''}${witness ? ` (table ${witness.table})` : ''}`;
    return el('tr', { 'data-resource': 'lease' },
      el('td', { text: 'witness lease' }), el('td', { text: 'dynamodb' }),
      el('td', {}, badge(l.answered ? (l.owner || 'released') : 'unknown')), el('td', { class: 'detail', text: says }));
  }

  const PHASES = {
    LastHeartbeat: 'detect', HeartbeatLost: 'detect', Started: 'detect', PartitionVerdict: 'verdict', LeaseAcquired: 'verdict',
    FenceStarted: 'fence', FenceCompleted: 'fence', GroupHandedOff: 'release', ResourceDeactivated: 'release',
    GroupDeactivated: 'release', PeerLeft: 'release', ResourceActivated: 'resource', GroupActivated: 'active',
  };

  function renderTimeline(d) {
    const key = JSON.stringify(d.timeline.map((e) => [e.kind, e.group, e.node, e.endedAt, e.steps.length]));
    if (key === timelineKey) return;
    timelineKey = key;
    const host = $('timeline');
    if (!d.timeline.length) {
      host.replaceChildren(el('p', { class: 'muted', text: 'No group has come up yet in the events the nodes keep.' }));
      return;
    }

    const longest = Math.max(...d.timeline.map((e) => e.recoveryMs), 1);
    host.replaceChildren(...d.timeline.map((e) => {
      const what = e.kind === 'failover' ? `failover from ${e.from} to ${e.node}`
        : e.kind === 'move' || e.kind === 'hand-off' ? `${e.kind}${e.from ? ` from ${e.from}` : ''} to ${e.node}`
        : e.kind === 'switchover' ? `switchover: ${e.from} left, ${e.node} took it`
        : e.kind === 'start' ? `started on ${e.node}`
        : `${e.kind} to ${e.node}`;
      const track = el('div', { class: 'track', role: 'img', 'aria-label': `${e.group}: ${what}, ${ms(e.recoveryMs)} from start to active` });
      const bar = el('div', { class: 'bar' }, track);
      bar.style.width = `${Math.max(4, (100 * e.recoveryMs) / longest)}%`;
      e.steps.forEach((step, i) => {
        if (step.durationMs <= 0 && step.kind !== 'GroupActivated') return;
        // The time before a step is coloured by that step (probing before the verdict, fencing before "fenced"), except
        // after a node's start, which is its start-up wait.
        const phase = i > 0 && e.steps[i - 1].kind === 'Started' ? 'detect' : PHASES[step.kind] || 'resource';
        const part = el('span', { class: `phase-${phase}`, title: `${step.label} ${step.subject}: +${ms(step.offsetMs)}` });
        part.style.flexGrow = String(Math.max(step.durationMs, e.recoveryMs / 200));
        track.append(part);
      });

      return el('article', {
        class: 'episode', 'data-timeline-kind': e.kind, 'data-timeline-group': e.group, 'data-timeline-node': e.node,
        'data-recovery-ms': String(e.recoveryMs),
      },
      el('h3', {}, el('span', { class: 'recovery', text: ms(e.recoveryMs) }),
        el('span', { class: 'what', text: `${e.group}: ${what}${e.succeeded ? '' : ' (failed)'}` }),
        el('span', { class: 'muted' }, 'active at ', stamp(e.endedAt))),
      bar,
      el('ol', { class: 'steps', 'aria-label': `Steps of ${e.group}'s ${e.kind}` }, ...e.steps.map((step) => el('li', { class: step.succeeded ? '' : 'failed' },
        el('span', { class: 'at', text: `+${ms(step.offsetMs)}` }),
        el('span', { class: 'took', text: step.offsetMs === 0 ? '' : `(${ms(step.durationMs)})` }),
        el('span', { text: `${step.label} · ${step.subject} on ${step.node}: ${step.detail}` })))));
    }));
  }

  function renderMonitors(s) {
    const rows = s.monitors.map((m) => el('tr', { 'data-monitor': m.name, 'data-monitor-node': m.node, 'data-status': m.status },
      el('td', { text: m.node }), el('td', { text: m.name }), el('td', {}, badge(m.status)),
      el('td', { text: String(m.failures) }),
      el('td', { text: `${m.reactivations} reactivation(s), ${m.failovers} failover(s)${m.finalActionTaken ? ', final action' : ''}` }),
      el('td', { text: m.lastError ? `${m.lastError} at ${time(m.lastErrorAt)}` : '' })));
    $('monitors').tBodies[0].replaceChildren(...(rows.length ? rows : [el('tr', {}, el('td', { colSpan: 6, class: 'muted', text: 'No monitor reported.' }))]));
  }

  function renderEvents(s) {
    $('events').replaceChildren(...[...s.events].reverse().map((e) => el('li', { class: e.succeeded ? '' : 'failed' },
      stamp(e.at), `${e.node} ${e.kind} ${e.subject}: ${e.detail}`)));
  }

  function renderOperations(d) {
    $('maintenance-on').disabled = !d.operationsEnabled;
    $('maintenance-off').disabled = !d.operationsEnabled;
    $('token').disabled = !d.operationsEnabled;
    $('ops-note').textContent = d.operationsEnabled
      ? 'Moves, standby and maintenance go to the node that must act, as the clusterpro commands do; each asks for confirmation, and needs the operator token.'
      : `Read-only: ${d.servedBy} has no operator token (ClusterPro:Web:Token or CLUSTERPRO_WEB_TOKEN), so it accepts no operation.`;
  }

  function live(id, text, state) {
    const e = $(id);
    e.textContent = text;
    e.dataset.live = state || 'live';
  }

  // ---- operations -----------------------------------------------------------------------------------------------

  function confirmDialog(question) {
    const dialog = $('confirm');
    $('confirm-text').textContent = question;
    return new Promise((resolve) => {
      const done = (answer) => {
        $('confirm-ok').removeEventListener('click', ok);
        $('confirm-cancel').removeEventListener('click', cancel);
        dialog.removeEventListener('close', cancel);
        if (dialog.open) dialog.close();
        resolve(answer);
      };
      const ok = () => done(true);
      const cancel = () => done(false);
      $('confirm-ok').addEventListener('click', ok);
      $('confirm-cancel').addEventListener('click', cancel);
      dialog.addEventListener('close', cancel);
      dialog.showModal();
    });
  }

  async function operate(path, body, question) {
    const opener = document.activeElement;
    const confirmed = await confirmDialog(question);
    if (opener && opener.focus) opener.focus();
    if (!confirmed) {
      outcome('Cancelled; nothing was sent.', 'cancelled');
      return;
    }

    const token = $('token').value.trim();
    const headers = { 'Content-Type': 'application/json' };
    if (token) headers.Authorization = `Bearer ${token}`;
    outcome('Sending…', 'pending');
    try {
      const response = await fetch(path, { method: 'POST', headers, body: JSON.stringify(body) });
      const answer = await response.json().catch(() => ({ message: response.statusText }));
      if (response.ok) outcome(`${answer.node || doc?.servedBy}: ${answer.message}`, 'ok', response.status);
      else if (response.status === 401) outcome(`Refused (401): ${answer.message} Type the operator token above.`, 'refused', 401);
      else outcome(`Refused (${response.status}): ${answer.message}`, 'refused', response.status);
    } catch (error) {
      outcome(`The node did not answer: ${error.message}`, 'refused', 0);
    }
  }

  function outcome(text, state, status) {
    const e = $('outcome');
    e.textContent = text;
    e.dataset.outcome = state;
    e.dataset.status = status === undefined ? '' : String(status);
  }

  $('maintenance-on').addEventListener('click', () => operate('api/maintenance', { on: true },
    'Turn maintenance on for the whole cluster? Every monitor pauses and nothing fails over until it is off.'));
  $('maintenance-off').addEventListener('click', () => operate('api/maintenance', { on: false },
    'Turn maintenance off? Monitors resume and repair what changed meanwhile.'));

  // ---- the stream -----------------------------------------------------------------------------------------------

  const source = new EventSource('events');
  source.addEventListener('cluster', (e) => render(JSON.parse(e.data)));
  source.addEventListener('error', () => live('live', doc ? `Connection to ${doc.servedBy} lost at ${new Date().toLocaleTimeString([], { hour12: false })}; retrying…` : 'Cannot reach the node; retrying…', 'error'));
  setInterval(() => {
    if (doc && Date.now() - lastUpdate > STALE_MS && $('live').dataset.live === 'live') {
      live('live', `Stale: no update since ${time(doc.at)}`, 'stale');
    }
  }, 1000);
})();
