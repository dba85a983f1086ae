/* The sidebar buttons (☰ "Site navigation" and "On this page") on every screen width.
 *
 * pydata-sphinx-theme 0.17 binds its handlers to the *first* element of class
 * .primary-toggle / .secondary-toggle (document.querySelector), but sphinx-book-theme's
 * page has two of each: the hidden one in the navbar gets the handler and the visible
 * one in the article header does nothing (pydata/pydata-sphinx-theme#2451).  Here:
 *   - on a narrow screen, where the sidebar is a drawer, a click on any such button is
 *     passed on to the button the theme listens to, which opens the drawer;
 *   - on a wide screen, where the sidebar is shown beside the text, the button hides
 *     or shows it (as sphinx-book-theme's ☰ did before).
 */
(function () {
  "use strict";
  var KINDS = {
    "primary-toggle": { wide: "(min-width: 960px)", hide: "companion-hide-primary" },
    "secondary-toggle": { wide: "(min-width: 1200px)", hide: "companion-hide-secondary" },
  };
  document.addEventListener(
    "click",
    function (event) {
      var button = event.target.closest && event.target.closest(".primary-toggle, .secondary-toggle");
      if (!button) return;
      var kind = button.classList.contains("primary-toggle") ? "primary-toggle" : "secondary-toggle";
      var bound = document.querySelector("." + kind);
      if (window.matchMedia(KINDS[kind].wide).matches) {
        event.preventDefault();
        event.stopImmediatePropagation();
        document.documentElement.classList.toggle(KINDS[kind].hide);
        return;
      }
      if (button === bound) return; // the theme's own handler opens the drawer
      event.preventDefault();
      event.stopImmediatePropagation();
      bound.click();
    },
    true
  );
})();
