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
