/* Charts: progressive enhancement of <figure data-module="moldir-chart">.
 *
 * Without this file every chart is a static SVG with its text alternative, its table and
 * its files. With it:
 *   - the chart and the table become two tabs (WAI-ARIA tabs: arrow keys, Home, End);
 *   - bars and points become reachable with the keyboard (one Tab stop, then arrow keys)
 *     and show a tooltip on focus and hover, dismissed with Escape (WCAG 1.4.13). The
 *     tooltip text is read from the table's cells, so it is in the page's language and
 *     formatted like the table;
 *   - the embed code is selected on focus (easy to copy).
 * No user-visible string lives here: labels come from data-label-* attributes.
 */
(function () {
  "use strict";

  var Moldir = (window.Moldir = window.Moldir || {});
  Moldir.modules = Moldir.modules || {};

  function text(element) {
    return element ? element.textContent.replace(/\s+/g, " ").trim() : "";
  }

  /* "Akimat of Astana — 2021: 22,365" from the table cell a mark shows. */
  function cellText(figure, key) {
    var cell = figure.querySelector('td[data-cell="' + key + '"]');
    if (!cell) return "";
    var row = cell.parentNode;
    var label = text(row.querySelector("th"));
    var headers = figure.querySelectorAll("thead th");
    var column = Array.prototype.indexOf.call(row.children, cell);
    var parts = [label];
    if (headers.length > 2 && headers[column]) parts.push(text(headers[column]));
    return parts.join(" — ") + ": " + text(cell);
  }

  function makeTabs(figure) {
    var chartPanel = figure.querySelector(".moldir-chart__panel--chart");
    var tablePanel = figure.querySelector(".moldir-chart__panel--table");
    if (!chartPanel || !tablePanel) return;
    var list = document.createElement("div");
    list.className = "moldir-chart__tabs";
    list.setAttribute("role", "tablist");
    list.setAttribute("aria-label", figure.getAttribute("data-label-views") || "");
    var panels = [chartPanel, tablePanel];
    var labels = [figure.getAttribute("data-label-chart"), figure.getAttribute("data-label-table")];
    var tabs = panels.map(function (panel, index) {
      var tab = document.createElement("button");
      tab.type = "button";
      tab.className = "moldir-chart__tab";
      tab.id = panel.id + "-tab";
      tab.textContent = labels[index] || "";
      tab.setAttribute("role", "tab");
      tab.setAttribute("aria-controls", panel.id);
      panel.setAttribute("role", "tabpanel");
      panel.setAttribute("aria-labelledby", tab.id);
      list.appendChild(tab);
      return tab;
    });

    function select(index, focus) {
      tabs.forEach(function (tab, i) {
        var selected = i === index;
        tab.setAttribute("aria-selected", selected ? "true" : "false");
        tab.tabIndex = selected ? 0 : -1;
        panels[i].hidden = !selected;
      });
      if (focus) tabs[index].focus();
    }

    tabs.forEach(function (tab, index) {
      tab.addEventListener("click", function () { select(index, false); });
      tab.addEventListener("keydown", function (event) {
        var next = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: tabs.length - 1 }[event.key];
        if (next === undefined) return;
        event.preventDefault();
        select((next + tabs.length) % tabs.length, true);
      });
    });
    chartPanel.parentNode.insertBefore(list, chartPanel);
    select(0, false);
  }

  /* Each drawing of the chart (compact, narrow, wide: CSS shows one) gets its own keyboard
     stop once it is shown — the others have none — and one tooltip serves them all. A
     rotated phone or another VI font size shows another drawing: it is set up then. */
  function makeTooltips(figure) {
    var image = figure.querySelector(".moldir-chart__image");
    if (!image) return;
    var tooltip = null;
    var svgs = Array.prototype.slice.call(image.querySelectorAll("svg"));

    function setUp() {
      svgs.forEach(function (svg) {
        if (svg.hasAttribute("data-marks-ready") || !svg.getClientRects().length) return;
        svg.setAttribute("data-marks-ready", "");
        var marks = Array.prototype.filter.call(svg.querySelectorAll("[data-cell]"), function (mark) {
          return cellText(figure, mark.getAttribute("data-cell")) !== "";
        });
        if (!marks.length) return;
        if (!tooltip) {
          tooltip = document.createElement("div");
          tooltip.className = "moldir-chart__tooltip";
          tooltip.id = figure.id + "-tooltip";
          tooltip.setAttribute("role", "tooltip");
          tooltip.hidden = true;
          image.appendChild(tooltip);
        }
        makeMarks(figure, image, svg, marks, tooltip);
      });
    }

    setUp();
    window.addEventListener("resize", setUp);
    if (typeof window.MutationObserver === "function") {
      new window.MutationObserver(setUp).observe(document.documentElement, {
        attributes: true,
        attributeFilter: ["data-vi-font", "data-vi-images", "data-vi"]
      });
    }
  }

  function makeMarks(figure, image, svg, marks, tooltip) {
    // The SVG becomes a group of named marks; its name is still the text alternative.
    svg.setAttribute("role", "group");
    var current = 0;

    function show(mark) {
      tooltip.textContent = cellText(figure, mark.getAttribute("data-cell"));
      tooltip.hidden = false;
      var box = mark.getBoundingClientRect();
      var frame = image.getBoundingClientRect();
      var left = box.left - frame.left + image.scrollLeft + box.width / 2 - tooltip.offsetWidth / 2;
      left = Math.max(0, Math.min(left, image.scrollWidth - tooltip.offsetWidth));
      var top = box.top - frame.top + image.scrollTop - tooltip.offsetHeight - 6;
      if (top < 0) top = box.bottom - frame.top + image.scrollTop + 6;
      tooltip.style.left = left + "px";
      tooltip.style.top = top + "px";
    }

    function hide() { tooltip.hidden = true; }

    function move(index) {
      marks[current].tabIndex = -1;
      current = (index + marks.length) % marks.length;
      marks[current].tabIndex = 0;
      marks[current].focus();
    }

    marks.forEach(function (mark, index) {
      mark.setAttribute("role", "img");
      mark.setAttribute("aria-label", cellText(figure, mark.getAttribute("data-cell")));
      mark.tabIndex = index === 0 ? 0 : -1;
      mark.addEventListener("focus", function () { current = index; show(mark); });
      mark.addEventListener("blur", hide);
      mark.addEventListener("mouseenter", function () { show(mark); });
      mark.addEventListener("mouseleave", function () {
        if (document.activeElement !== mark) hide();
      });
      mark.addEventListener("keydown", function (event) {
        var step = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 }[event.key];
        if (step) {
          event.preventDefault();
          move(index + step);
        } else if (event.key === "Home" || event.key === "End") {
          event.preventDefault();
          move(event.key === "Home" ? 0 : marks.length - 1);
        } else if (event.key === "Escape") {
          hide();
        }
      });
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape") hide();
    });
  }

  function makeEmbedCopyable(figure) {
    var code = figure.querySelector(".moldir-chart__embed-code");
    if (!code) return;
    code.addEventListener("focus", function () { code.select(); });
  }

  Moldir.modules["moldir-chart"] = function (figure) {
    makeTabs(figure);
    makeTooltips(figure);
    makeEmbedCopyable(figure);
  };
  if (typeof Moldir.start === "function") {
    Moldir.start();
  } else {
    // moldir.js is missing (e.g. an old theme): start the charts on their own.
    document.addEventListener("DOMContentLoaded", function () {
      Array.prototype.forEach.call(document.querySelectorAll('[data-module~="moldir-chart"]'),
        Moldir.modules["moldir-chart"]);
    });
  }
})();
