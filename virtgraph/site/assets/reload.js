// Reloads the page when `virtgraph site --serve` has rebuilt the site (only pages built for --serve load it).
(function () {
  "use strict";
  var url = "/__virtgraph/build";
  var seen = null;
  function poll() {
    fetch(url, { cache: "no-store" })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (build) {
        if (build === null) return;
        if (seen !== null && build !== seen) window.location.reload();
        seen = build;
      })
      .catch(function () { /* the preview server stopped: keep the page as it is */ })
      .finally(function () { window.setTimeout(poll, 1000); });
  }
  poll();
})();
