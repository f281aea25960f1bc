/* The survey answer page: hide a question whose condition ("asked only if …") is not met.
   The server applies the same conditions whatever is posted; this only spares the respondent
   questions that do not concern it. Without the script every question stays visible. */
(function () {
  "use strict";
  var form = document.querySelector("[data-survey-form]");
  if (!form) { return; }
  var blocks = Array.prototype.slice.call(form.querySelectorAll("[data-question]"));
  var byCode = {};
  blocks.forEach(function (block) { byCode[block.getAttribute("data-question")] = block; });

  function chosen(code) {
    var block = byCode[code];
    if (!block || block.hidden) { return []; }
    return Array.prototype.slice.call(block.querySelectorAll("input:checked")).map(function (i) { return i.value; });
  }

  function update() {
    blocks.forEach(function (block) {
      var on = block.getAttribute("data-if");
      if (!on) { return; }
      var wanted = block.getAttribute("data-if-values").split(",");
      var asked = chosen(on).some(function (v) { return wanted.indexOf(v) !== -1; });
      block.hidden = !asked;
      Array.prototype.forEach.call(block.querySelectorAll("input, textarea, select"), function (el) {
        el.disabled = !asked;
      });
    });
  }

  form.addEventListener("change", update);
  update();
}());
