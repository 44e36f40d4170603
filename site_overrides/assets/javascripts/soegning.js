// The search page. Pagefind's index is built into pagefind/ with the site; this script asks it
// through Pagefind's JavaScript API, which fetches only the index chunks and result fragments a
// query needs. Our own small interface instead of Pagefind's (30 KB gzipped) keeps a first
// query within budget and lets the page speak Danish and look like the rest of the site.
(function () {
  "use strict";

  var form = document.getElementById("soegning");
  if (!form) return;
  var field = document.getElementById("soegefelt");
  var filterBox = document.getElementById("soegefiltre");
  var status = document.getElementById("soegestatus");
  var list = document.getElementById("soegeresultater");
  var more = document.getElementById("flere-resultater");
  var root = new URL("..", document.baseURI); // the site's root, wherever the site is served
  var FILTERS = ["Helhedsplan", "Indsatsområde", "Kommune", "Sidetype"];
  var PAGE_SIZE = 3; // each result fetches its text (~8 KB gzipped): a few at a time
  var pagefind = null;
  var selects = [];
  var results = [];
  var shown = 0;
  var generation = 0; // a newer search makes the answers of older ones stale

  function element(tag, className, content) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (content) node.textContent = content;
    return node;
  }

  // Pagefind marks matches with <mark>; everything else is taken as text, never as HTML.
  function excerpt(html) {
    var parsed = new DOMParser().parseFromString("<p>" + (html || "") + "</p>", "text/html");
    var out = document.createDocumentFragment();
    parsed.body.firstChild.childNodes.forEach(function (node) {
      out.appendChild(node.nodeName === "MARK" ? element("mark", "", node.textContent)
                                               : document.createTextNode(node.textContent));
    });
    return out;
  }

  // The class of a status word, as the templates write it (generator.model.models.suggest_id).
  function slug(text) {
    return text.toLowerCase().replace(/æ/g, "ae").replace(/ø/g, "oe").replace(/å/g, "aa")
               .replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
  }

  function address(url) {
    return new URL(url.replace(/^\//, ""), root).href;
  }

  function chosenFilters() {
    var chosen = {};
    selects.forEach(function (select) {
      if (select.value) chosen[select.name] = select.value;
    });
    return chosen;
  }

  function remember(query, chosen) {
    var params = new URLSearchParams();
    if (query) params.set("q", query);
    Object.keys(chosen).forEach(function (name) { params.set(name, chosen[name]); });
    var search = params.toString();
    history.replaceState(null, "", search ? "?" + search : window.location.pathname);
  }

  function result(data) {
    var item = element("li", "soegeresultat");
    var kind = (data.filters && data.filters.Sidetype || [])[0];
    if (kind && kind !== "Delaftale") item.appendChild(element("span", "soegeresultat__type", kind + ": "));
    var title = element("a", "soegeresultat__titel", data.meta.title || data.url);
    title.href = address(data.url);
    item.appendChild(title);
    if (data.meta.status) { // the agreement's (or plan's) status, as on its page
      item.appendChild(document.createTextNode(" "));
      item.appendChild(element("span", "status status-" + slug(data.meta.status), data.meta.status));
    }
    if (data.meta.resume) item.appendChild(element("p", "soegeresultat__resume", data.meta.resume));
    item.appendChild(element("p", "soegeresultat__uddrag")).appendChild(excerpt(data.excerpt));
    var sections = (data.sub_results || []).filter(function (sub) {
      return sub.url !== data.url && !(sub.anchor && sub.anchor.element === "h1"); // the page itself
    }).slice(0, 3);
    if (sections.length) {
      var sub = item.appendChild(element("ul", "soegeresultat__afsnit"));
      sections.forEach(function (section) {
        var entry = sub.appendChild(element("li"));
        var link = entry.appendChild(element("a", "", section.title));
        link.href = address(section.url);
        entry.appendChild(document.createTextNode(" — "));
        entry.appendChild(excerpt(section.excerpt));
      });
    }
    return item;
  }

  async function showMore(current) {
    var batch = results.slice(shown, shown + PAGE_SIZE);
    shown += batch.length;
    var data = await Promise.all(batch.map(function (r) { return r.data(); }));
    if (current !== generation) return;
    data.forEach(function (d) { list.appendChild(result(d)); });
    more.hidden = shown >= results.length;
  }

  async function search() {
    var current = ++generation;
    var query = field.value.trim();
    var chosen = chosenFilters();
    remember(query, chosen);
    if (!query && !Object.keys(chosen).length) {
      status.textContent = "";
      list.replaceChildren();
      more.hidden = true;
      return;
    }
    status.textContent = "Søger …";
    var found = await pagefind.search(query || null, { filters: chosen });
    if (current !== generation || !found) return;
    results = found.results;
    shown = 0;
    list.replaceChildren();
    await showMore(current);
    if (current !== generation) return;
    var count = results.length === 1 ? "1 resultat" : results.length + " resultater";
    status.textContent = results.length ? count + (query ? " for »" + query + "«" : "")
                                        : "Ingen resultater" + (query ? " for »" + query + "«" : "") + ".";
  }

  async function filters(params) {
    var available = await pagefind.filters();
    FILTERS.forEach(function (name) {
      var values = Object.keys(available[name] || {}).sort(function (a, b) { return a.localeCompare(b, "da"); });
      if (!values.length) return;
      // The label names the select alone (wrapped around it, it would also read out every option).
      var box = filterBox.appendChild(element("div", "soegning__filter"));
      var label = box.appendChild(element("label", "", name));
      var select = box.appendChild(element("select"));
      select.name = name;
      select.id = label.htmlFor = "filter-" + FILTERS.indexOf(name);
      select.appendChild(element("option", "", "Alle")).value = "";
      values.forEach(function (value) {
        var option = select.appendChild(element("option", "", value + " (" + available[name][value] + ")"));
        option.value = value;
      });
      select.value = params.get(name) || "";
      select.addEventListener("change", search);
      selects.push(select);
    });
  }

  var timer = null;
  field.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(search, 250);
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    search();
  });
  more.addEventListener("click", function () { showMore(generation); });

  (async function start() {
    var params = new URLSearchParams(window.location.search);
    field.value = params.get("q") || "";
    try {
      pagefind = await import(new URL("pagefind/pagefind.js", root).href);
      // No web worker: one file less to fetch (12 KB), and a query is quick on the page's thread.
      await pagefind.options({ excerptLength: 24, noWorker: true });
      // A large site is indexed in parts (generator/publish/search.py): the first names the others.
      var parts = await fetch(new URL("pagefind/dele.json", root).href).then(function (r) { return r.json(); });
      for (var i = 0; i < parts.length; i++) {
        await pagefind.mergeIndex(new URL(parts[i], new URL("pagefind/", root)).href);
      }
      await pagefind.init();
    } catch (error) {
      status.textContent = "Søgningen kunne ikke starte. Prøv at genindlæse siden.";
      return;
    }
    form.classList.add("soegning--klar");
    // The filters' values are fetched when a reader opens them (or a link chose one already).
    var box = document.getElementById("soegeafgraensning");
    var loaded = false;
    async function openFilters() {
      if (loaded) return;
      loaded = true;
      await filters(params);
    }
    box.addEventListener("toggle", function () { if (box.open) openFilters(); });
    if (FILTERS.some(function (name) { return params.get(name); })) {
      box.open = true;
      await openFilters();
    }
    search();
  })();
})();
