// lagebild dashboard: small enhancements; every page works without them.
(function () {
  "use strict";
  // Keyboard: "/" focuses the first filter field.
  document.addEventListener("keydown", function (ev) {
    if (ev.key !== "/" || ev.target.closest("input, select, textarea")) return;
    var field = document.querySelector("form.filters input:not([type=hidden])");
    if (field) { ev.preventDefault(); field.focus(); }
  });
  // Empty filter fields stay out of the URL, so a shared link shows only the filters in use.
  document.querySelectorAll("form.filters[method=get]").forEach(function (form) {
    form.addEventListener("submit", function () {
      form.querySelectorAll("input, select").forEach(function (el) {
        if (el.name && el.value === "" && el.type !== "hidden") el.disabled = true;
      });
    });
  });
})();
