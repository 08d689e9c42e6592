/*
 * Search on the search page, with the index built at build time (handout/search.py) and loaded from this site.
 * Without JavaScript the page shows links to the glossary and the sections instead; with it, that fallback is
 * hidden and results appear as the reader types.
 */
(function () {
  "use strict";

  var form = document.querySelector(".search-page-form");
  if (!form || typeof lunr === "undefined") {
    return;
  }
  var input = form.querySelector("input[name=q]");
  var status = document.querySelector(".search-status");
  var list = document.querySelector(".search-results");
  var root = form.getAttribute("data-root");
  var fields = ["title", "summary", "points", "headings", "terms", "body"];
  var index = null;
  var pages = null;
  var timer = null;

  document.querySelector(".search-fallback").hidden = true;

  // The same small words handout/search.py leaves out of its word pairs.
  var stopWords = ("a an and are as at be but by can do for from has have how i if in is it its may of on or so " +
    "that the their them they this to was what when which who will with you your").split(" ");

  function words(text) {
    return (text.toLowerCase().match(/[a-z0-9]+/g) || []);
  }

  function pairs(terms) {
    var content = terms.filter(function (term) { return stopWords.indexOf(term) < 0; });
    var out = [];
    for (var i = 0; i + 1 < content.length; i++) {
      out.push(content[i] + "_" + content[i + 1]);
    }
    return out;
  }

  function search(text) {
    var terms = words(text);
    return index.query(function (query) {
      terms.forEach(function (term) {
        query.term(term, { fields: fields });
      });
      // Neighbouring words, matched against the "phrases" field the build wrote: phrases rank first.
      pairs(terms).forEach(function (pair) {
        query.term(pair, { fields: ["phrases"] });
      });
    });
  }

  function show(text) {
    list.textContent = "";
    if (!words(text).length) {
      status.textContent = "";
      return;
    }
    var results = search(text);
    status.textContent = results.length === 0
      ? "No pages match \u201c" + text + "\u201d. Try another word, or look in the glossary."
      : results.length + (results.length === 1 ? " page matches" : " pages match") + " \u201c" + text + "\u201d.";
    results.slice(0, 20).forEach(function (result) {
      var page = pages[result.ref];
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = root + result.ref;
      link.textContent = page.title;
      var summary = document.createElement("p");
      summary.textContent = page.summary;
      item.appendChild(link);
      item.appendChild(summary);
      list.appendChild(item);
    });
  }

  function update() {
    var text = input.value.trim();
    var url = new URL(window.location.href);
    if (text) {
      url.searchParams.set("q", text);
    } else {
      url.searchParams.delete("q");
    }
    window.history.replaceState(null, "", url);
    show(text);
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    update();
  });
  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(update, 200);
  });

  status.textContent = "Loading the search index\u2026";
  fetch(form.getAttribute("data-index"))
    .then(function (response) { return response.json(); })
    .then(function (data) {
      index = lunr.Index.load(data.index);
      pages = data.pages;
      status.textContent = "";
      input.value = new URLSearchParams(window.location.search).get("q") || "";
      show(input.value.trim());
    })
    .catch(function () {
      status.textContent = "Search could not start. Use the glossary and the section pages instead.";
      document.querySelector(".search-fallback").hidden = false;
    });
})();
