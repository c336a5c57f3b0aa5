/* Page-wide behaviour: the thin progress bar at the top while a request is under way, and
 * submit buttons that turn into "正在处理…" so long forms are not sent twice.
 *
 * The bar follows htmx requests (counted, so overlapping requests keep it shown) and full
 * page loads started by a form or a link. The bell's periodic badge refresh is left out:
 * a bar flashing every minute would only distract.
 */
(function () {
  "use strict";

  var root = document.documentElement;
  var inFlight = 0;
  var shownAt = 0;

  function quiet(evt) {
    var elt = evt && evt.detail && evt.detail.elt;
    return !!(elt && elt.closest && elt.closest("[data-wm-quiet], .wm-bell-badge"));
  }

  function start() {
    inFlight += 1;
    if (inFlight === 1) {
      shownAt = Date.now();
      root.classList.add("wm-loading");
    }
  }

  function stop() {
    inFlight = Math.max(0, inFlight - 1);
    if (inFlight === 0) {
      // Keep it long enough to be seen, so a fast answer does not look like a flicker.
      var wait = Math.max(0, 200 - (Date.now() - shownAt));
      window.setTimeout(function () {
        if (inFlight === 0) root.classList.remove("wm-loading");
      }, wait);
    }
  }

  document.addEventListener("htmx:beforeRequest", function (evt) {
    if (!quiet(evt)) {
      evt.detail.elt._wmCounted = true;
      start();
    }
  });
  document.addEventListener("htmx:afterRequest", function (evt) {
    if (evt.detail.elt && evt.detail.elt._wmCounted) {
      evt.detail.elt._wmCounted = false;
      stop();
    }
  });

  // Busy buttons: for forms that upload files or are marked data-wm-long. The button is
  // disabled after the browser has read the form, so its own name and value still go.
  var BUSY_TEXT = "正在处理…";

  function markBusy(form, button) {
    if (!button || button.disabled) return;
    button.dataset.wmLabel = button.innerHTML;
    button.disabled = true;
    button.classList.add("wm-busy");
    button.innerHTML =
      '<span class="spinner-border spinner-border-sm me-1" aria-hidden="true"></span>' +
      (button.dataset.wmBusy || form.dataset.wmBusy || BUSY_TEXT);
  }

  function restore(scope) {
    (scope || document).querySelectorAll("button.wm-busy").forEach(function (button) {
      button.disabled = false;
      button.classList.remove("wm-busy");
      if (button.dataset.wmLabel !== undefined) button.innerHTML = button.dataset.wmLabel;
    });
  }

  function isLong(form) {
    if (form.hasAttribute("data-wm-long")) return true;
    if (form.hasAttribute("data-uploader") || form.hasAttribute("hx-post")) return false;
    return (form.getAttribute("enctype") || "").toLowerCase() === "multipart/form-data";
  }

  document.addEventListener("submit", function (evt) {
    var form = evt.target;
    if (!(form instanceof HTMLFormElement)) return;
    var submitter = evt.submitter || form.querySelector("button[type=submit], button:not([type])");
    window.setTimeout(function () {
      // Another handler (a confirmation, the uploader, htmx) took over the submission.
      if (evt.defaultPrevented) return;
      if (!form.target || form.target === "_self") {
        start();
        // A download answers without leaving the page: do not leave the bar running.
        window.setTimeout(stop, 15000);
      }
      if (isLong(form)) markBusy(form, submitter);
    }, 0);
  });

  // Screen readers announce which menu entry is the current section.
  document.querySelectorAll(".wm-navbar .nav-link.active").forEach(function (link) {
    link.setAttribute("aria-current", "page");
  });

  // Coming back with the browser's back button shows the page as it was left.
  window.addEventListener("pageshow", function (evt) {
    if (evt.persisted) {
      inFlight = 0;
      root.classList.remove("wm-loading");
      restore();
    }
  });

  // A form answered by htmx (or refused) gets its buttons back.
  document.addEventListener("htmx:afterRequest", function (evt) {
    var elt = evt.detail.elt;
    var form = elt && elt.closest ? elt.closest("form") : null;
    if (form) restore(form);
  });
})();
