// The floor on procedura serve's pages: the list of speakers and the speaker's time (the
// projector, a delegation's view), and what a delegation asks for itself: to speak, to
// explain its vote, to move a motion. Served before live.js as GET /static/live.js;
// live.js calls window.proceduraFloor.setup once and .draw after each read of the case.
// Every text from the server is written with textContent, never as markup.
"use strict";
window.proceduraFloor = (function () {
  var shown = {speaker: null, version: -1, since: null};
  var timer = null;

  function clock(seconds) {
    var m = Math.floor(seconds / 60), s = Math.floor(seconds % 60);
    return m + ":" + (s < 10 ? "0" : "") + s;
  }
  // The time the one speaking has had, and whether it is past the time the body allowed.
  function tick(h, floor) {
    if (!shown.since || !floor.speaking) { h.text("speaker-time", ""); return; }
    var seconds = Math.max(0, (Date.now() - shown.since) / 1000);
    var limit = floor.minutes ? " of " + floor.minutes + ":00" : "";
    h.text("speaker-time", clock(seconds) + limit);
    var el = h.$("speaker-time");
    if (el) { el.classList.toggle("over", Boolean(floor.minutes) && seconds > floor.minutes * 60); }
  }
  // When the floor changes hands, read when: the recorded time of the last SpeakerCalled.
  function findSince(h, state) {
    var after = Math.max(0, state.version - 50);
    return h.getJSON(h.casePath + "/events?after=" + after).then(function (events) {
      for (var i = events.length - 1; i >= 0; i--) {
        if (events[i].type === "SpeakerCalled") { return Date.parse(events[i].recorded_at); }
      }
      return null;
    }).catch(function () { return null; });
  }

  function draw(page, state, h) {
    var floor = state.floor || {waiting: [], heard: [], closed: false};
    var list = h.$("speakers");
    if (!list) { return; }
    h.clear(list);
    (floor.waiting || []).forEach(function (m) { list.appendChild(h.element("li", m)); });
    h.text("speakers-none", (floor.waiting || []).length ? "" : "No one is waiting to speak.");
    h.text("speakers-closed", floor.closed ? "The list of speakers is closed."
      : "The list of speakers is open.");
    h.text("speaking", floor.speaking ? floor.speaking +
      (floor.reply ? " has the floor in right of reply" : " has the floor") : "No one has the floor.");
    h.text("time-limit", floor.minutes ? "Each speaker has " + floor.minutes + " min." : "");
    if (page === "delegation") {
      var place = (floor.waiting || []).indexOf(h.member);
      h.text("place", place >= 0 ? "You are number " + (place + 1) + " on the list." : "");
    }
    if (floor.speaking !== shown.speaker || state.version < shown.version) {
      shown.speaker = floor.speaking;
      shown.since = null;
      if (floor.speaking) {
        findSince(h, state).then(function (since) { shown.since = since; tick(h, floor); });
      }
    }
    shown.version = state.version;
    if (timer) { clearInterval(timer); }
    timer = setInterval(function () { tick(h, floor); }, 1000);
    tick(h, floor);
  }

  // A delegation's requests, in its own name (POST /api/cases/ID/requests).
  function ask(h, data) {
    h.text("floor-reply", "Sending\u2026");
    return h.post(h.casePath + "/requests", data).then(function (answer) {
      h.text("floor-reply", answer.ok ? "Recorded." : answer.data.error);
      if (answer.ok) { h.refresh(); }
    });
  }
  function setup(page, h) {
    if (page !== "delegation") { return; }
    var speak = h.$("ask-to-speak");
    if (speak) { speak.addEventListener("click", function () { ask(h, {action: "inscribe"}); }); }
    var explain = h.$("explain");
    if (explain) {
      explain.addEventListener("submit", function (event) {
        event.preventDefault();
        ask(h, {action: "explain_vote", on: explain.elements.on.value.trim(),
                when: explain.elements.when.value});
      });
    }
    document.querySelectorAll("button[data-motion]").forEach(function (button) {
      button.addEventListener("click", function () {
        ask(h, {action: "move", motion: button.getAttribute("data-motion")});
      });
    });
  }
  return {draw: draw, setup: setup};
})();
