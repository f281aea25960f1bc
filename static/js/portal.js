/* The portal's one script. Every page works without it (the server validates everything and
   each enhanced control has a plain fallback); it only saves clicks. It is a static file
   because the Content-Security-Policy allows no inline script and no on* attribute: pages
   mark what they want with data attributes instead. */
(function () {
  "use strict";

  function ready(fn) {
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", fn);
    } else {
      fn();
    }
  }

  // <select data-autosubmit>: submit its form on change (a <noscript> button stays for no-JS).
  document.addEventListener("change", function (event) {
    var select = event.target;
    if (select.matches && select.matches("select[data-autosubmit]") && select.form) {
      if (select.form.requestSubmit) { select.form.requestSubmit(); } else { select.form.submit(); }
    }
  });

  // <form data-confirm="question">: ask before it is sent.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });

  // The header's menu collapses behind a button at phone width (CSS decides when the button shows).
  function menu() {
    var header = document.querySelector("[data-menu]");
    var button = header && header.querySelector(".menu-toggle");
    if (!button) { return; }
    header.classList.add("collapsible");
    button.hidden = false;
    button.addEventListener("click", function () {
      var open = header.classList.toggle("open");
      button.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }

  // A form with <select data-role-select> shows only the fields the chosen role uses: each
  // field's wrapper says which roles with data-roles="staff admin". A hidden field is also
  // disabled, so it is not sent: a value the page does not show is not saved by mistake.
  // The server checks and completes every role's fields anyway (bureau.services.user_scope_clean).
  function roleFields() {
    var selects = document.querySelectorAll("select[data-role-select]");
    Array.prototype.forEach.call(selects, function (select) {
      var form = select.form;
      var wrappers = form.querySelectorAll("[data-roles]");
      function apply() {
        var role = select.value;
        Array.prototype.forEach.call(wrappers, function (wrapper) {
          var hide = wrapper.getAttribute("data-roles").split(" ").indexOf(role) === -1;
          wrapper.hidden = hide;
          Array.prototype.forEach.call(wrapper.querySelectorAll("input, select, textarea"), function (input) {
            input.disabled = hide;
          });
        });
      }
      select.addEventListener("change", apply);
      apply();
    });
  }

  // An import job's progress (templates/sheets/import_job.html): poll its status every second
  // and reload the page when the step is over. Without the script a <noscript> refresh does it.
  function jobProgress() {
    var box = document.getElementById("job-progress");
    if (!box || !window.fetch) { return; }
    var bar = box.querySelector("progress");
    var done = box.querySelector("[data-processed]");
    var total = box.querySelector("[data-total]");
    var status = box.getAttribute("data-status");
    // How the background run stood when the page was drawn (stalled, retrying, not sent):
    // when that changes, the page is drawn again to say so (templates/sheets/includes/job_run.html).
    var note = document.querySelector("[data-run-note]");
    function runState(run) {
      if (!run) { return null; }
      return [run.stalled, run.retrying, run.not_sent].map(function (x) { return x ? "True" : "False"; }).join("|");
    }
    function tick() {
      fetch(box.getAttribute("data-status-url"), {credentials: "same-origin", headers: {"Accept": "application/json"}})
        .then(function (r) { return r.json(); })
        .then(function (s) {
          if (bar) { bar.value = s.percent; }
          if (done) { done.textContent = s.processed; }
          if (total) { total.textContent = s.total; }
          var changed = note && s.run && runState(s.run) !== note.getAttribute("data-run-note");
          if (s.running && s.status === status && !changed) { setTimeout(tick, 1000); } else { window.location.reload(); }
        })
        .catch(function () { setTimeout(tick, 3000); });
    }
    setTimeout(tick, 1000);
  }

  // <form data-autosave="key">: a draft saved to the server as it is typed (inspections'
  // visit form). The form posts to its own action with X-Requested-With: fetch and gets JSON
  // back. While the browser is offline (or the server cannot be reached) the draft is kept in
  // localStorage and sent when the connection returns, so nothing typed is lost; a saved
  // draft found on loading the page is put back into the form first. Texts come from the
  // page's data attributes, so they are translated like the rest of it.
  function autosave() {
    var forms = document.querySelectorAll("form[data-autosave]");
    Array.prototype.forEach.call(forms, function (form) {
      var key = "portal-draft:" + form.getAttribute("data-autosave");
      var status = form.querySelector("[data-autosave-status]");
      var timer = null;
      function say(name, extra) {
        if (status) { status.textContent = (form.getAttribute("data-text-" + name) || "") + (extra || ""); }
      }
      function entries() {
        var out = [];
        Array.prototype.forEach.call(form.elements, function (el) {
          if (!el.name || el.name === "csrfmiddlewaretoken" || el.disabled || el.type === "submit" || el.type === "file") { return; }
          if ((el.type === "radio" || el.type === "checkbox") && !el.checked) { return; }
          out.push([el.name, el.value]);
        });
        return out;
      }
      function keep() {
        try { window.localStorage.setItem(key, JSON.stringify(entries())); } catch (e) { /* storage full or off */ }
        say("offline");
      }
      function restore(saved) {
        var values = {};
        saved.forEach(function (pair) { values[pair[0]] = pair[1]; });
        Array.prototype.forEach.call(form.elements, function (el) {
          if (!el.name || !(el.name in values) || el.type === "submit" || el.type === "file") { return; }
          if (el.type === "radio" || el.type === "checkbox") { el.checked = el.value === values[el.name]; } else { el.value = values[el.name]; }
        });
      }
      function send() {
        timer = null;
        if (navigator.onLine === false) { keep(); return; }
        var body = new FormData(form);
        // Files go with the form's own buttons (save, file), not with every keystroke.
        Array.prototype.forEach.call(form.querySelectorAll("input[type=file]"), function (el) { body.delete(el.name); });
        fetch(form.action, {method: "POST", body: body, credentials: "same-origin",
                            headers: {"X-Requested-With": "fetch", "Accept": "application/json"}})
          .then(function (r) { return r.json().then(function (data) { return {ok: r.ok, data: data}; }); })
          .then(function (answer) {
            if (answer.ok && answer.data.saved) {
              try { window.localStorage.removeItem(key); } catch (e) { /* nothing kept */ }
              say("saved", answer.data.at);
            } else {
              // The server's reasons, field by field, in the page's language.
              var reasons = answer.data.error ? [answer.data.error] : [];
              var errors = answer.data.errors || {};
              Object.keys(errors).forEach(function (name) { reasons = reasons.concat(errors[name]); });
              say("error", reasons.length ? " " + reasons.join(" ") : "");
            }
          })
          .catch(keep);
      }
      function later() {
        if (timer) { clearTimeout(timer); }
        timer = setTimeout(send, 1200);
      }
      var stored = null;
      try { stored = JSON.parse(window.localStorage.getItem(key) || "null"); } catch (e) { stored = null; }
      if (stored) { restore(stored); say("restored"); send(); }
      form.addEventListener("input", later);
      form.addEventListener("change", later);
      window.addEventListener("online", function () {
        var pending = null;
        try { pending = window.localStorage.getItem(key); } catch (e) { pending = null; }
        if (pending) { send(); }
      });
      form.addEventListener("submit", function (event) {
        if (navigator.onLine === false) {
          // No connection: keep the draft here rather than lose the page to a network error.
          event.preventDefault();
          event.stopImmediatePropagation();
          keep();
        }
      });
    });
  }

  // <form data-submit-once>: a second click while the first submission is on its way is
  // dropped (the server refuses a second filing anyway, with a message saying why).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute || !form.hasAttribute("data-submit-once") || event.defaultPrevented) { return; }
    if (form.getAttribute("data-sent")) { event.preventDefault(); return; }
    form.setAttribute("data-sent", "1");
    setTimeout(function () {
      Array.prototype.forEach.call(form.querySelectorAll("button[type=submit]"), function (b) { b.disabled = true; });
    }, 0);
  });

  ready(function () {
    menu();
    roleFields();
    jobProgress();
    autosave();
  });
})();
