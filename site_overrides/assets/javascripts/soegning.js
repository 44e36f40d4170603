// The search page: Pagefind's interface over the index the build writes to pagefind/.
// Everything is served from this site; Pagefind fetches only the index chunks a query needs.
window.addEventListener("DOMContentLoaded", function () {
  var element = document.getElementById("soegning");
  if (!element || typeof PagefindUI === "undefined") return;
  var ui = new PagefindUI({
    element: "#soegning",
    showSubResults: true,
    showImages: false,
    autofocus: true,
    pageSize: 10,
    // Result URLs are site-relative; the site may live below the host's root.
    baseUrl: new URL("..", document.baseURI).pathname,
  });
  var query = new URLSearchParams(window.location.search).get("q");
  if (query) ui.triggerSearch(query);
});
