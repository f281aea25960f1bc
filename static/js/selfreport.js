/* Live rule flags on the term self-report form. Each checked input carries its rule in data
   attributes (inspections/selfreport_rules.py field_rule_attrs, rendered by the server from
   bureau/rules.py): data-rule-cmp (">=", "<=", "=="), data-rule-limit (a number or HH:MM), or
   data-rule-limit-from (the id of the input holding the limit: a subject's national plan).
   The server checks every value again on save and on submit; this only shows the flag early. */
(function () {
  "use strict";

  function parse(value) {
    if (value === "" || value === null || value === undefined) { return null; }
    var time = /^(\d{1,2}):(\d{2})/.exec(value);
    if (time) { return Number(time[1]) * 60 + Number(time[2]); }
    var number = Number(value);
    return isNaN(number) ? null : number;
  }

  function valueOf(input) {
    if (input.type === "checkbox") { return input.checked ? 1 : 0; }
    return parse(input.value);
  }

  function breaks(input) {
    var value = valueOf(input);
    var from = input.getAttribute("data-rule-limit-from");
    var limit = from ? parse((document.getElementById(from) || {}).value) : parse(input.getAttribute("data-rule-limit"));
    if (value === null || limit === null) { return false; }
    var cmp = input.getAttribute("data-rule-cmp");
    if (cmp === ">=") { return !(value >= limit); }
    if (cmp === "==") { return value !== limit; }
    return !(value <= limit);
  }

  function update(input) {
    var flag = document.querySelector('[data-flag-for="' + input.id + '"]');
    if (!flag) { return; }
    var broken = breaks(input);
    flag.hidden = !broken;
    if (broken) {
      flag.querySelector("[data-flag-title]").textContent = input.getAttribute("data-rule-title");
      flag.querySelector("[data-flag-text]").textContent = input.getAttribute("data-rule-text");
      flag.querySelector("[data-flag-source]").textContent = input.getAttribute("data-rule-source");
    }
    input.setAttribute("aria-invalid", broken ? "true" : "false");
  }

  function start() {
    var form = document.querySelector("form[data-selfreport]");
    if (!form) { return; }
    var inputs = form.querySelectorAll("input[data-rule]");
    Array.prototype.forEach.call(inputs, function (input) {
      input.addEventListener("input", function () { update(input); });
      input.addEventListener("change", function () { update(input); });
      var from = input.getAttribute("data-rule-limit-from");
      var source = from && document.getElementById(from);
      if (source) { source.addEventListener("input", function () { update(input); }); }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
