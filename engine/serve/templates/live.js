// The script of procedura serve's chair console, delegation view and projector
// (GET /static/live.js; written by hand, no build step). Each page follows the log
// (EventSource on /api/stream), re-reads its case on each of its events and draws it
// again. Every text from the server is written with textContent, never as markup.
"use strict";
(function () {
  var body = document.body;
  var page = body.getAttribute("data-page");
  var caseId = body.getAttribute("data-case");
  var casePath = "/api/cases/" + encodeURIComponent(caseId);
  var $ = function (id) { return document.getElementById(id); };

  // A link carries the token: keep it for this tab only, take it out of the address bar.
  var params = new URLSearchParams(window.location.search);
  var key = "procedura-" + page + "-token:" + caseId;
  var member = params.get("member") || sessionStorage.getItem(key + ":member") || "";
  if (params.has("token")) {
    sessionStorage.setItem(key, params.get("token"));
    sessionStorage.setItem(key + ":member", member);
    params.delete("token");
    window.history.replaceState(null, "", window.location.pathname + "?" + params.toString());
  }
  var token = sessionStorage.getItem(key);

  function text(id, value) { var e = $(id); if (e) { e.textContent = value; } }
  function element(tag, value, cls) {
    var e = document.createElement(tag);
    if (value !== undefined && value !== null) { e.textContent = String(value); }
    if (cls) { e.className = cls; }
    return e;
  }
  function clear(e) { while (e.firstChild) { e.removeChild(e.firstChild); } }

  function getJSON(path) {
    return fetch(path, {cache: "no-store"}).then(function (r) {
      return r.json().then(function (data) {
        if (!r.ok) { throw new Error(data.error || r.statusText); }
        return data;
      });
    });
  }
  // POST a JSON body with the token; resolves to {ok, data} (data.error on a refusal).
  function post(path, data) {
    return fetch(path, {
      method: "POST",
      headers: {"Authorization": "Bearer " + (token || ""), "Content-Type": "application/json"},
      body: JSON.stringify(data)
    }).then(function (r) {
      return r.json().then(function (answer) { return {ok: r.ok, data: answer}; });
    }).catch(function () { return {ok: false, data: {error: "The server did not answer."}}; });
  }

  function tally(ballot) {
    var counts = {yes: 0, no: 0, abstain: 0};
    Object.keys(ballot.votes || {}).forEach(function (m) {
      var v = ballot.votes[m];
      counts[v] = (counts[v] || 0) + 1;
    });
    return counts;
  }
  function members(state) {
    var b = state.bodies && state.body ? state.bodies[state.body] : null;
    return b ? b.members : [];
  }
  function item(state) {
    if (state.ballot) { return state.ballot.on; }
    return state.draft ? state.draft.symbol + ": " + state.draft.title : "nothing yet";
  }

  var current = null;
  function header(state) {
    current = state;
    text("title", state.title || state.case);
    text("state", state.state);
    text("version", state.version);
  }

  // -- the chair's console ---------------------------------------------------------------

  function chairDraw(state) {
    var summary = $("summary");
    clear(summary);
    summary.appendChild(element("li", "Draft: " + (state.draft ?
      state.draft.symbol + ", " + state.draft.title : "none yet")));
    summary.appendChild(element("li", "Amendments: " + Object.keys(state.amendments || {}).length +
      "; motions: " + Object.keys(state.motions || {}).length +
      "; decisions: " + (state.decisions || []).length));
    var last = (state.decisions || [])[state.decisions.length - 1];
    if (last) {
      summary.appendChild(element("li", "Last decision: " + last.on + ", " +
        last.decision.outcome));
    }
    text("state-json", JSON.stringify(state, null, 2));
    var voteOn = $("vote-on");
    if (!voteOn.value && state.draft) { voteOn.value = state.draft.symbol; }
    if (state.ballot) {
      var c = tally(state.ballot);
      text("ballot-count", "Vote open on " + state.ballot.on + ": yes " + c.yes + ", no " + c.no +
        ", abstain " + c.abstain + " (" + Object.keys(state.ballot.votes).length + " of " +
        members(state).length + " cast)");
    } else {
      text("ballot-count", "No vote is open.");
    }
    var select = $("member");
    var names = members(state);
    if (select.options.length !== names.length) {
      clear(select);
      names.forEach(function (m) { select.appendChild(element("option", m)); });
    }
    if (!$("fork-at").value) { $("fork-at").value = state.version || ""; }
    getJSON(casePath + "/in_order").then(function (next) {
      var list = $("in-order"), out = $("out-of-order");
      clear(list);
      clear(out);
      var rules = {};  // each action in order with the rule allowing it; the rest, why not
      next.actions.forEach(function (a) {
        rules[a.action] = a.rule ? " (" + a.rule + ")" : "";
        if (!a.in_order) { out.appendChild(element("li", a.action + ": " + a.reason + rules[a.action])); }
      });
      next.in_order.forEach(function (a) {
        list.appendChild(element("li", a + (rules[a.split(" on ")[0]] || ""), "mono"));
      });
    }).catch(function () {});
  }

  function field(form, name, spec) {
    var label = element("label");
    label.appendChild(element("span", name + (spec.required ? " *" : "")));
    var input = element("input");
    input.name = name;
    input.setAttribute("data-kind", spec.kind);
    input.autocomplete = "off";
    if (spec.kind === "int") { input.type = "number"; }
    else if (spec.kind === "bool") { input.type = "checkbox"; }
    else if (spec.kind === "date") { input.type = "date"; }
    else if (spec.kind === "strings") { input.placeholder = "comma, separated"; }
    if (spec.required) { input.required = true; }
    label.appendChild(input);
    form.appendChild(label);
  }
  function formBody(form, action) {
    var data = {action: action};
    form.querySelectorAll("input[data-kind]").forEach(function (input) {
      var kind = input.getAttribute("data-kind");
      if (kind === "bool") { if (input.checked) { data[input.name] = true; } return; }
      var v = input.value.trim();
      if (v === "") { return; }
      if (kind === "int") { data[input.name] = Number(v); }
      else if (kind === "strings") {
        data[input.name] = v.split(",").map(function (s) { return s.trim(); })
          .filter(function (s) { return s; });
      } else { data[input.name] = v; }
    });
    return data;
  }
  function act(data, reply) {
    reply.classList.remove("ok", "error");
    reply.textContent = "Sending\u2026";
    return post(casePath + "/actions", data).then(function (answer) {
      if (answer.ok) {
        reply.classList.add("ok");
        reply.textContent = "Recorded: " + answer.data.state + " (version " +
          answer.data.version + ")" + (answer.data.decision ?
          ", " + answer.data.decision.outcome : "");
      } else {
        reply.classList.add("error");
        reply.textContent = answer.data.error;
      }
      return answer;
    });
  }
  function chairSetup() {
    if (!token) { text("auth", "This console needs the chair's link (?token=...)."); }
    getJSON("/api/actions").then(function (actions) {
      var holder = $("actions");
      Object.keys(actions).forEach(function (name) {
        var form = element("form");
        form.setAttribute("data-action", name);
        form.noValidate = true;
        var set = element("fieldset");
        set.appendChild(element("legend", name, "mono"));
        Object.keys(actions[name]).forEach(function (k) { field(set, k, actions[name][k]); });
        field(set, "note", {kind: "str", required: false});
        set.appendChild(element("button", name, null)).type = "submit";
        var reply = element("p", "", "reply");
        reply.setAttribute("role", "status");
        set.appendChild(reply);
        form.appendChild(set);
        form.addEventListener("submit", function (event) {
          event.preventDefault();
          act(formBody(form, name), reply);  // the fields stay as they are, either way
        });
        holder.appendChild(form);
      });
    }).catch(function (e) { text("auth", String(e.message)); });
    $("open-vote").addEventListener("click", function () {
      act({action: "open_vote", on: $("vote-on").value.trim()}, $("vote-reply"));
    });
    $("close-vote").addEventListener("click", function () {
      var on = current && current.ballot ? current.ballot.on : $("vote-on").value.trim();
      act({action: "close_vote", on: on}, $("vote-reply"));
    });
    $("issue").addEventListener("click", function () {
      var reply = $("issue-reply");
      reply.textContent = "";
      post(casePath + "/delegations", {member: $("member").value}).then(function (answer) {
        if (!answer.ok) { reply.textContent = answer.data.error; return; }
        var href = answer.data.page;  // the delegation's view, as the server built it
        var li = element("li");
        li.appendChild(element("strong", answer.data.member + ": "));
        var a = element("a", href);
        a.href = href;
        a.setAttribute("data-member", answer.data.member);
        a.className = "link mono";
        li.appendChild(a);
        var qr = element("img", null, "qr");  // to scan from a phone
        qr.src = answer.data.qr;
        qr.alt = "QR code of the link for " + answer.data.member;
        li.appendChild(qr);
        $("links").appendChild(li);
      });
    });
    $("fork").addEventListener("click", function () {
      var reply = $("fork-reply");
      var at = Number($("fork-at").value), id = $("fork-id").value.trim();
      post(casePath + "/fork", {at: at, id: id}).then(function (answer) {
        clear(reply);
        if (!answer.ok) { reply.className = "error"; reply.textContent = answer.data.error; return; }
        reply.className = "ok";
        reply.appendChild(document.createTextNode("Forked as "));
        var a = element("a", answer.data.case);
        a.href = "/chair?case=" + encodeURIComponent(answer.data.case);
        reply.appendChild(a);
        reply.appendChild(document.createTextNode(" (" + answer.data.state + ")"));
      });
    });
  }

  // -- a delegation's view -----------------------------------------------------------------

  function delegationDraw(state) {
    text("member-name", member);
    text("item", item(state));
    var open = Boolean(state.ballot);
    document.querySelectorAll("button[data-vote]").forEach(function (b) {
      b.disabled = !open || !token;
    });
    text("vote-state", open ? "A vote is open on " + state.ballot.on + "." : "No vote is open.");
    var own = open ? state.ballot.votes[member] : undefined;
    text("own", own ? "Your ballot: " + own : "You have not voted" + (open ? " yet." : "."));
  }
  function delegationSetup() {
    if (!token) { text("auth", "This view needs your delegation's link (?token=...)."); }
    document.querySelectorAll("button[data-vote]").forEach(function (button) {
      button.addEventListener("click", function () {
        var vote = button.getAttribute("data-vote");
        text("reply", "Sending\u2026");
        post(casePath + "/ballots", {vote: vote}).then(function (answer) {
          text("reply", answer.ok ? "Your ballot is recorded: " + vote : answer.data.error);
          if (answer.ok) { refresh(); }
        });
      });
    });
  }

  // -- the projector -----------------------------------------------------------------------

  function bars(counts, total) {
    var holder = $("tally");
    clear(holder);
    ["yes", "no", "abstain"].forEach(function (k) {
      var row = element("div", null, "bar " + k);
      row.appendChild(element("span", k));
      var track = element("div");
      var fill = element("div", null, "fill");
      fill.setAttribute("data-count", counts[k] || 0);
      track.appendChild(fill);
      row.appendChild(track);
      row.appendChild(element("span", counts[k] || 0, "count"));
      holder.appendChild(row);
      // sized through the CSSOM, which the style-src policy allows (no style attribute)
      fill.style.width = (100 * (counts[k] || 0) / Math.max(total, 1)) + "%";
    });
  }
  // What is before the body, as the server lists it (GET .../in_order: pending, next_vote).
  function pendingDraw(state) {
    var list = $("pending");
    if (!list) { return; }
    var version = state.version;
    getJSON(casePath + "/in_order").then(function (next) {
      if (!current || current.version !== version) { return; }  // a newer draw follows
      var items = next.pending || [], on = next.next_vote;
      clear(list);
      items.forEach(function (it) {
        var li = element("li", it.label, "badge " + it.kind);
        li.setAttribute("data-kind", it.kind);
        li.setAttribute("data-name", it.name);
        if (on && it.name === on) { li.classList.add("next"); li.setAttribute("aria-current", "true"); }
        list.appendChild(li);
      });
      $("pending-none").hidden = items.length > 0;
      text("next-vote", on ? "Next to be voted: " + on : "");
    }).catch(function () {});
  }
  function projectorDraw(state) {
    pendingDraw(state);
    var last = (state.decisions || [])[state.decisions.length - 1];
    if (state.ballot) {
      var c = tally(state.ballot);
      text("tally-on", "Voting on " + state.ballot.on + " (" + state.ballot.method + ")");
      bars(c, members(state).length);
      text("outcome", "");
      text("needed", Object.keys(state.ballot.votes).length + " of " + members(state).length +
        " have voted; majority " + (state.ballot.majority || "by the rules"));
    } else if (last) {
      text("tally-on", "Last decision: " + last.on);
      text("outcome", last.decision.outcome.charAt(0).toUpperCase() +
        last.decision.outcome.slice(1));
      text("needed", last.decision.needed + " of " + last.decision.present_and_voting +
        " present and voting needed (" + last.decision.majority + " majority, " +
        last.decision.rule + ")");
      getJSON(casePath + "/events?after=" + (last.version - 1)).then(function (events) {
        var p = events.length ? events[0].payload : {};
        if (typeof p.yes === "number") {
          bars(p, (p.yes || 0) + (p.no || 0) + (p.abstain || 0));
        }
      }).catch(function () {});
    }
    fetch(casePath + "/diagram.svg", {cache: "no-store"}).then(function (r) {
      return r.ok ? r.text() : null;
    }).then(function (svg) {
      if (!svg) { return; }
      // the server's own SVG, parsed as XML (no script runs) and put in place of the old
      var doc = new DOMParser().parseFromString(svg, "image/svg+xml");
      if (doc.documentElement.nodeName !== "svg") { return; }
      var holder = $("diagram");
      clear(holder);
      holder.appendChild(document.importNode(doc.documentElement, true));
    }).catch(function () {});
  }

  // -- all three: follow the log -----------------------------------------------------------

  var draw = {chair: chairDraw, delegation: delegationDraw, projector: projectorDraw}[page];
  function refresh() {
    return getJSON(casePath).then(function (state) {
      if (current && state.case === current.case && state.version < current.version) { return; }
      header(state);
      draw(state);
      if (floor) { floor.draw(page, state, helpers); }
    })
      .catch(function (e) { text("status", String(e.message)); });
  }
  // The list of speakers' part (floor.js) draws with these.
  var floor = window.proceduraFloor, helpers = {$: $, text: text, element: element,
    clear: clear, getJSON: getJSON, post: post, casePath: casePath, member: member,
    refresh: refresh};
  if (page === "chair") { chairSetup(); }
  if (page === "delegation") { delegationSetup(); }
  if (floor) { floor.setup(page, helpers); }
  refresh();
  var source = new EventSource("/api/stream?after=" +
    encodeURIComponent(body.getAttribute("data-after")));
  source.onopen = function () { text("status", ""); };
  source.onerror = function () { text("status", "Reconnecting\u2026"); };
  source.onmessage = function (event) {
    var message = JSON.parse(event.data);
    if (message.case !== caseId) { return; }
    text("narration", message.narration);
    refresh();
  };
})();
