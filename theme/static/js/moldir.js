/* Moldir: progressive enhancement. Every page works without this file.
 *
 * Modules bind to elements with data-module="<name>". Other scripts (loaded with `defer`
 * after this one) register theirs with `Moldir.modules["name"] = function (element) {…}`;
 * all modules start on DOMContentLoaded. No user-visible string lives here: labels are read
 * from the DOM, where the templates put them through gettext.
 */
(function () {
  "use strict";

  var Moldir = (window.Moldir = window.Moldir || {});
  Moldir.modules = Moldir.modules || {};

  var STORAGE_KEY = "moldir-vi";
  var DEFAULTS = {
    font: "150",
    scheme: "bw",
    images: "on",
    line: "1.5",
    spacing: "normal",
    family: "sans",
    embeds: "on",
  };
  var root = document.documentElement;

  function readSettings() {
    try {
      var saved = JSON.parse(window.localStorage.getItem(STORAGE_KEY) || "null");
      return saved && typeof saved === "object" ? saved : null;
    } catch (error) {
      return null;
    }
  }

  function writeSettings(settings) {
    try {
      if (settings) {
        window.localStorage.setItem(STORAGE_KEY, JSON.stringify(settings));
      } else {
        window.localStorage.removeItem(STORAGE_KEY);
      }
    } catch (error) {
      /* storage blocked: the choice lasts for this page only */
    }
  }

  /* The same attributes the inline <head> script sets before the first paint. */
  function applySettings(settings) {
    Object.keys(DEFAULTS).forEach(function (name) {
      if (settings) {
        root.setAttribute("data-vi-" + name, settings[name] || DEFAULTS[name]);
      } else {
        root.removeAttribute("data-vi-" + name);
      }
    });
    if (settings) {
      root.setAttribute("data-vi", "on");
    } else {
      root.removeAttribute("data-vi");
    }
  }

  /* "Images off" shows each image's text alternative in its place (CSS shows the notes). */
  function addTextAlternatives(panel) {
    var imageLabel = panel.getAttribute("data-image-label") || "";
    var images = document.querySelectorAll("img[alt]:not([alt='']), svg[role='img'][aria-label]");
    Array.prototype.forEach.call(images, function (image) {
      if (image.closest(".moldir-vi-panel") || image.hasAttribute("data-vi-alt-added")) return;
      var text = image.getAttribute("alt") || image.getAttribute("aria-label");
      var note = document.createElement("span");
      note.className = "moldir-vi-alt";
      note.textContent = imageLabel + " " + text;
      image.setAttribute("data-vi-alt-added", "");
      image.insertAdjacentElement("afterend", note);
    });
    var embedLabel = panel.getAttribute("data-embed-hidden") || "";
    var embeds = document.querySelectorAll("iframe, video, embed, object");
    Array.prototype.forEach.call(embeds, function (embed) {
      if (embed.hasAttribute("data-vi-alt-added")) return;
      var note = document.createElement("span");
      note.className = "moldir-vi-embed-note";
      note.textContent = (embedLabel + " " + (embed.getAttribute("title") || "")).trim();
      embed.setAttribute("data-vi-alt-added", "");
      embed.insertAdjacentElement("afterend", note);
    });
  }

  /* Read aloud: the Web Speech API reads the main content in the page's language. The
     read button starts and stops (aria-pressed: reading); the pause button, shown while
     reading, pauses and resumes where it stopped (aria-pressed: paused). */
  function readAloud(button, pause) {
    var synth = window.speechSynthesis;
    if (!synth || typeof window.SpeechSynthesisUtterance !== "function") return;
    button.hidden = false;

    function stopped() {
      button.setAttribute("aria-pressed", "false");
      if (pause) {
        pause.hidden = true;
        pause.setAttribute("aria-pressed", "false");
      }
    }

    if (pause) {
      pause.addEventListener("click", function () {
        if (pause.getAttribute("aria-pressed") === "true") {
          synth.resume();
          pause.setAttribute("aria-pressed", "false");
        } else {
          synth.pause();
          pause.setAttribute("aria-pressed", "true");
        }
      });
    }
    button.addEventListener("click", function () {
      if (button.getAttribute("aria-pressed") === "true") {
        synth.cancel();
        stopped();
        return;
      }
      var main = document.getElementById("main-content");
      if (!main) return;
      var lang = (main.closest("[lang]") || root).getAttribute("lang") || "";
      var voices = synth.getVoices ? synth.getVoices() : [];
      var voice = null;
      for (var i = 0; i < voices.length && !voice; i++) {
        if (voices[i].lang && voices[i].lang.toLowerCase().indexOf(lang.toLowerCase()) === 0) {
          voice = voices[i];
        }
      }
      /* Short utterances: long ones are cut off by some engines. */
      var chunks = (main.innerText || main.textContent || "")
        .split(/\n+/)
        .map(function (line) { return line.trim(); })
        .filter(Boolean);
      synth.cancel();
      button.setAttribute("aria-pressed", "true");
      if (pause) {
        pause.hidden = false;
        pause.setAttribute("aria-pressed", "false");
      }
      chunks.forEach(function (chunk, index) {
        var utterance = new window.SpeechSynthesisUtterance(chunk);
        utterance.lang = lang;
        if (voice) utterance.voice = voice;
        if (index === chunks.length - 1) utterance.onend = stopped;
        synth.speak(utterance);
      });
    });
  }

  Moldir.modules["moldir-vi"] = function (panel) {
    var toggles = document.querySelectorAll("[aria-controls='" + panel.id + "']");
    var inputs = panel.querySelectorAll("input[data-vi-setting]");

    var disclosure = panel.querySelector(".moldir-vi-panel__disclosure");

    /* The panel's settings are open when the reader turns the mode on or opens them; on
       every other page they start folded (the <head> script), so that at 150–200 % the
       panel does not fill the first screen of each page the reader visits. */
    function setOpen(open) {
      root.setAttribute("data-vi-panel", open ? "open" : "closed");
      if (disclosure) disclosure.setAttribute("aria-expanded", open ? "true" : "false");
    }

    function render(settings) {
      if (!settings) root.removeAttribute("data-vi-panel");
      else if (disclosure) setOpen(root.getAttribute("data-vi-panel") === "open");
      Array.prototype.forEach.call(toggles, function (toggle) {
        toggle.setAttribute("aria-pressed", settings ? "true" : "false");
      });
      Array.prototype.forEach.call(inputs, function (input) {
        var name = input.getAttribute("data-vi-setting");
        input.checked = !!settings && (settings[name] || DEFAULTS[name]) === input.value;
      });
    }

    function update(settings) {
      writeSettings(settings);
      applySettings(settings);
      render(settings);
    }

    Array.prototype.forEach.call(toggles, function (toggle) {
      toggle.addEventListener("click", function () {
        var on = !readSettings();
        if (on) root.setAttribute("data-vi-panel", "open");
        else stopReading();
        update(on ? Object.assign({}, DEFAULTS) : null);
      });
    });
    Array.prototype.forEach.call(inputs, function (input) {
      input.addEventListener("change", function () {
        var settings = Object.assign({}, DEFAULTS, readSettings() || {});
        settings[input.getAttribute("data-vi-setting")] = input.value;
        update(settings);
      });
    });
    if (disclosure) {
      disclosure.addEventListener("click", function () {
        setOpen(root.getAttribute("data-vi-panel") !== "open");
      });
    }
    var reset = panel.querySelector("[data-vi-action='reset']");
    if (reset) {
      reset.addEventListener("click", function () {
        stopReading();
        update(null);
        if (toggles[0]) toggles[0].focus();
      });
    }
    var speak = panel.querySelector("[data-vi-action='read-aloud']");
    var pause = panel.querySelector("[data-vi-action='pause']");
    if (speak) readAloud(speak, pause);

    /* Leaving the mode stops reading: nothing speaks on behind a folded panel. */
    function stopReading() {
      if (window.speechSynthesis) window.speechSynthesis.cancel();
      if (speak) speak.setAttribute("aria-pressed", "false");
      if (pause) {
        pause.hidden = true;
        pause.setAttribute("aria-pressed", "false");
      }
    }

    /* Another tab changed the settings: follow it. */
    window.addEventListener("storage", function (event) {
      if (event.key === STORAGE_KEY) {
        var settings = readSettings();
        applySettings(settings);
        render(settings);
      }
    });

    addTextAlternatives(panel);
    var current = readSettings();
    applySettings(current);
    render(current);
  };

  /* On a phone the main navigation folds behind a "Menu" button (CSS decides when: the
     button is shown only on narrow screens, and only when this script runs). */
  Moldir.modules["moldir-nav"] = function (nav) {
    var button = nav.querySelector(".moldir-nav__toggle");
    if (!button) return;
    button.addEventListener("click", function () {
      var open = button.getAttribute("aria-expanded") !== "true";
      button.setAttribute("aria-expanded", open ? "true" : "false");
      nav.classList.toggle("moldir-nav--open", open);
    });
  };

  function start() {
    var elements = document.querySelectorAll("[data-module]");
    Array.prototype.forEach.call(elements, function (element) {
      element.getAttribute("data-module").split(/\s+/).forEach(function (name) {
        var module = Moldir.modules[name];
        var started = (element.getAttribute("data-module-started") || "").split(" ");
        if (typeof module !== "function" || started.indexOf(name) !== -1) return;
        element.setAttribute("data-module-started", started.concat(name).join(" ").trim());
        try {
          module(element);
        } catch (error) {
          if (window.console) window.console.error("Moldir module " + name + " failed", error);
        }
      });
    });
  }
  Moldir.start = start;

  /* Deferred scripts run before DOMContentLoaded: wait for it, so that modules registered by
     later scripts start too (start() is idempotent; "load" covers a late injection). */
  if (document.readyState === "complete") {
    start();
  } else {
    document.addEventListener("DOMContentLoaded", start);
    window.addEventListener("load", start);
  }
})();
