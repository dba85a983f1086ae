// Loaded between RequireJS and the ipywidgets HTML manager on pages with
// ipywidgets outputs (see nb_ipywidgets_js in _config.yml).  The HTML
// manager (_static/widgets/embed-amd.js, vendored by the Makefile) finds its
// fonts relative to the RequireJS address of its module
// "@jupyter-widgets/html-manager/dist/libembed-amd"; map that address to
// _static/widgets/ next to this file, whatever the depth of the page.
(function () {
  var script = document.currentScript;
  if (!script || !script.src || typeof requirejs === "undefined") {
    return;
  }
  var base = script.src.replace(/[^\/]*$/, "");
  requirejs.config({
    paths: { "@jupyter-widgets/html-manager/dist": base + "widgets" },
  });
})();

// The ipywidgets HTML manager typesets widget labels with the MathJax 2 API
// (MathJax.Hub.Queue); this book serves MathJax 3, which has no Hub, so that
// call would throw.  Give MathJax 3 a Hub whose Queue typesets the element
// with MathJax 3's own API.  MathJax 3 replaces the global MathJax object when
// it starts, so the shim is added again once the page has loaded (before the
// widget manager renders: this listener is registered first).
(function () {
  function addHub() {
    if (window.MathJax && !window.MathJax.Hub) {
      window.MathJax.Hub = {
        Queue: function (job) {
          var el = job && job[2];
          if (el && window.MathJax.typesetPromise) {
            window.MathJax.typesetPromise([el]).catch(function () {});
          }
        },
      };
    }
  }
  addHub();
  window.addEventListener("load", addHub);
})();
