/* Reception schedules: filter the /receptions/ page by body and format.
 *
 * Without JavaScript the page lists every body with anchor links to its section; this module
 * shows the (hidden) filter form and hides what does not match. Labels come from the DOM.
 */
(function () {
  "use strict";

  var Moldir = (window.Moldir = window.Moldir || {});
  Moldir.modules = Moldir.modules || {};

  Moldir.modules["moldir-receptions-filter"] = function (form) {
    var bodySelect = form.querySelector("[data-filter='body']");
    var formatSelect = form.querySelector("[data-filter='format']");
    var status = form.querySelector("[data-filter-status]");
    var sections = document.querySelectorAll("[data-body]");

    function apply() {
      var body = bodySelect.value;
      var format = formatSelect.value;
      var shown = 0;
      var total = 0;
      Array.prototype.forEach.call(sections, function (section) {
        var bodyMatches = !body || section.getAttribute("data-body") === body;
        var items = section.querySelectorAll("[data-format]");
        var visible = 0;
        Array.prototype.forEach.call(items, function (item) {
          var matches = bodyMatches && (!format || item.getAttribute("data-format") === format);
          if (matches) {
            item.removeAttribute("data-filtered-out");
            visible += 1;
          } else {
            item.setAttribute("data-filtered-out", "");
          }
        });
        total += items.length;
        shown += visible;
        if (bodyMatches && (visible > 0 || !format)) {
          section.removeAttribute("data-filtered-out");
        } else {
          section.setAttribute("data-filtered-out", "");
        }
      });
      if (status) {
        status.textContent = (status.getAttribute("data-template") || "")
          .replace("{shown}", shown)
          .replace("{total}", total);
      }
    }

    form.hidden = false;
    form.addEventListener("submit", function (event) {
      event.preventDefault();
    });
    bodySelect.addEventListener("change", apply);
    formatSelect.addEventListener("change", apply);
  };
})();
