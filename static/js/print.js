/*
 * Printing. Without this script pages still print cleanly (the print stylesheet does the work); with it:
 * - "Print this page" buttons appear and open the print dialog,
 * - the printout says when it was printed and, when the site has no configured address, where from,
 * - links in the text print their full address after the link text.
 */
(function () {
  "use strict";

  function today() {
    // The same "21 November 2026" form the pages use for their review dates.
    var date = new Date();
    var month = date.toLocaleDateString(document.documentElement.lang || undefined, { month: "long" });
    return date.getDate() + " " + month + " " + date.getFullYear();
  }

  function stamp() {
    document.querySelectorAll(".printed-on").forEach(function (el) {
      el.textContent = today();
    });
  }

  document.querySelectorAll(".print-button").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      window.print();
    });
  });

  if (!document.querySelector(".print-qr")) {
    // The build did not know the site's address (no base_url), so the printout names the one in the browser.
    document.querySelectorAll(".print-url").forEach(function (el) {
      el.textContent = window.location.href.split("#")[0];
    });
  }

  document.querySelectorAll(".article-body a[href]").forEach(function (link) {
    var kind = link.className;
    var href = link.getAttribute("href");
    if (/\b(term|stat|cite-link|footnote-ref|footnote-backref)\b/.test(kind) || /^(#|tel:|mailto:)/.test(href)) {
      return;
    }
    link.setAttribute("data-print-href", link.href);
  });

  stamp();
  window.addEventListener("beforeprint", stamp);
})();
