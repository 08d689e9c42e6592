/*
 * Live preview only (python build.py serve adds this script; published pages never have it). When a save breaks the
 * build, the server keeps the last good site and writes the problems to /_problems.json; this shows them over the
 * page, so an editor sees what is wrong and where without looking at the terminal. The next good save replaces the
 * whole site, the file is gone, and the page reloads without the box.
 */
(function () {
  "use strict";

  function show(report) {
    if (!report || !report.problems || !report.problems.length) {
      return;
    }
    var box = document.createElement("section");
    box.className = "build-problems";
    box.setAttribute("role", "alert");
    var heading = document.createElement("h2");
    heading.textContent = "Your last change has problems, so the site was not rebuilt";
    box.appendChild(heading);
    var note = document.createElement("p");
    note.textContent = "The page below is the last good build. Fix these and save again: this page reloads by itself.";
    box.appendChild(note);
    var list = document.createElement("ul");
    report.problems.forEach(function (p) {
      var item = document.createElement("li");
      var where = document.createElement("strong");
      where.textContent = p.file + (p.line ? ":" + p.line : "") + " " + p.severity + " [" + p.rule + "]";
      item.appendChild(where);
      item.appendChild(document.createTextNode(" " + p.message));
      list.appendChild(item);
    });
    box.appendChild(list);
    document.body.insertBefore(box, document.body.firstChild);
  }

  fetch("/_problems.json", { cache: "no-store" })
    .then(function (response) { return response.ok ? response.json() : null; })
    .then(show)
    .catch(function () {});
})();
