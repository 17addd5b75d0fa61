(function (root) {
  /* Runs in <head> before the first paint: marks that JavaScript runs and applies the saved
     visually-impaired settings (localStorage works on any host and port, and never expires). */
  root.className = root.className.replace("moldir-no-js", "moldir-js");
  try {
    var saved = JSON.parse(window.localStorage.getItem("moldir-vi") || "null");
    if (saved && typeof saved === "object") {
      root.setAttribute("data-vi", "on");
      /* The settings start folded on each page: open, they would fill the first screen at
         150–200 % (the reader opens them with the panel's heading). */
      root.setAttribute("data-vi-panel", "closed");
      for (var name in saved) {
        if (name !== "panel" && /^[a-z]+$/.test(name) && /^[a-z0-9.]+$/.test(String(saved[name]))) {
          root.setAttribute("data-vi-" + name, String(saved[name]));
        }
      }
    }
  } catch (error) { /* storage blocked (private mode, policy): the normal version is shown */ }
})(document.documentElement);
