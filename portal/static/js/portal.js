/* Dienstjaar portal: small progressive enhancements; every page works without them. */
(function () {
  "use strict";

  /* Narrow screens and big zoom: each table cell carries its column's header, so that
     the stylesheet can show rows as stacked cards instead of a sideways-scrolling table. */
  function stackTables() {
    document.querySelectorAll(".table-scroll table").forEach(function (table) {
      var headers = [];
      var head = table.tHead && table.tHead.rows[table.tHead.rows.length - 1];
      if (!head) { return; }
      Array.prototype.forEach.call(head.cells, function (th) {
        for (var i = 0; i < (th.colSpan || 1); i++) { headers.push(th.textContent.trim()); }
      });
      Array.prototype.forEach.call(table.tBodies, function (body) {
        Array.prototype.forEach.call(body.rows, function (row) {
          var column = 0;
          Array.prototype.forEach.call(row.cells, function (cell) {
            if (headers[column] && cell.colSpan === 1) { cell.setAttribute("data-label", headers[column]); }
            column += cell.colSpan || 1;
          });
        });
      });
      table.classList.add("stacked");
    });
    /* A region that still scrolls sideways can be scrolled with the keyboard. */
    document.querySelectorAll(".table-scroll:not([tabindex])").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        var caption = box.querySelector("caption");
        var heading = box.previousElementSibling;
        var name = caption ? caption.textContent : (heading ? heading.textContent : "");
        if (name.trim()) { box.setAttribute("aria-label", name.trim()); }
      }
    });
  }

  /* A letter run in progress: its state comes from a JSON endpoint every few seconds,
     and the page reloads once when the run has ended (to show its batches). */
  function followRun() {
    var box = document.querySelector("[data-progress-url]");
    if (!box || !window.fetch) { return; }
    var url = box.getAttribute("data-progress-url");
    var bar = box.querySelector("progress");
    var text = box.querySelector("[data-progress-text]");
    var counts = document.querySelector("[data-progress-counts]");
    function poll() {
      fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) {
          if (!data) { return; }
          if (bar) { bar.value = data.percent; bar.textContent = data.percent + "%"; }
          if (text) { text.textContent = data.percent + "%"; }
          if (counts) { counts.textContent = data.counts; }
          if (data.active) { window.setTimeout(poll, 3000); } else { window.location.reload(); }
        })
        .catch(function () { window.setTimeout(poll, 10000); });
    }
    window.setTimeout(poll, 3000);
  }

  /* A "copy" button next to a read-only field (the field alone works without script: select
     and copy). The button shows only when it can work; a status line says it was copied. */
  function copyButtons() {
    document.querySelectorAll("button[data-copy]").forEach(function (button) {
      var field = document.getElementById(button.getAttribute("data-copy"));
      if (!field) { return; }
      var status = document.querySelector('[data-copy-status="' + field.id + '"]');
      field.addEventListener("focus", function () { field.select(); });
      button.hidden = false;
      button.addEventListener("click", function () {
        function done() { if (status) { status.textContent = button.getAttribute("data-copied"); } }
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(field.value).then(done, function () {
            field.focus(); field.select();
          });
        } else {
          field.focus();
          field.select();
          try { if (document.execCommand("copy")) { done(); } } catch (e) { /* selected: copy by hand */ }
        }
      });
    });
  }

  /* Before a signed-in session ends for lack of activity: say so some minutes ahead, with
     a button that asks the server to keep the session; once it has ended, say that and
     offer to log in again. Times count down from the clock, so a sleeping tab catches up. */
  function sessionWarning() {
    var box = document.getElementById("session-warning");
    if (!box) { return; }
    var form = box.querySelector("[data-session-stay]");
    var text = box.querySelector("[data-session-text]");
    var ended = box.querySelector("[data-session-ended]");
    var deadline = 0, warn = 0, shown = false, over = false;
    function say(message) {
      /* After the box is shown, so that the live region announces it. */
      window.setTimeout(function () { text.textContent = message; }, 100);
    }
    function schedule(left, warnSeconds) {
      deadline = Date.now() + left * 1000;
      warn = warnSeconds * 1000;
    }
    function show() {
      shown = true;
      box.hidden = false;
      form.hidden = false;
      say(box.getAttribute("data-warn-text"));
      var active = document.activeElement;
      if (!active || active === document.body) { form.querySelector("button").focus(); }
    }
    function end() {
      over = true;
      box.hidden = false;
      form.hidden = true;
      ended.hidden = false;
      say(box.getAttribute("data-ended-text"));
    }
    function tick() {
      if (over) { return; }
      var left = deadline - Date.now();
      if (left <= 0) { end(); } else if (!shown && left <= warn) { show(); }
    }
    form.addEventListener("submit", function (event) {
      if (!window.fetch || !window.FormData) { return; }
      event.preventDefault();
      fetch(form.action, { method: "POST", credentials: "same-origin", body: new FormData(form),
                           headers: { "Accept": "application/json" } })
        .then(function (r) {
          var json = (r.headers.get("Content-Type") || "").indexOf("application/json") === 0;
          return r.ok && json ? r.json() : null;
        })
        .then(function (data) {
          if (!data) { end(); return; }
          schedule(data.left, data.warn);
          shown = false;
          var focused = box.contains(document.activeElement);
          form.hidden = true;
          if (focused) { box.focus(); }
          say(box.getAttribute("data-stayed-text"));
          window.setTimeout(function () {
            if (shown || over) { return; }
            var inside = box.contains(document.activeElement);
            box.hidden = true;
            if (inside) { document.getElementById("main").focus(); }
          }, 5000);
        })
        .catch(function () { form.submit(); });
    });
    schedule(parseInt(box.getAttribute("data-left"), 10) || 0,
             parseInt(box.getAttribute("data-warn"), 10) || 0);
    tick();
    window.setInterval(tick, 1000);
  }

  function ready() { stackTables(); followRun(); copyButtons(); sessionWarning(); }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
