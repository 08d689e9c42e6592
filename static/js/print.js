/*
 * Printing. Without this script pages still print cleanly (the print stylesheet does the work); with it:
 * - "Print this page" buttons appear and open the print dialog,
 * - the printout says when it was printed and, when the site has no configured address, where from,
 * - links in the text print their full address after the link text,
 * - folded end matter prints open in browsers that print.css cannot open it in (without ::details-content).
 */
(function () {
  "use strict";

  function today() {
    // The same form the pages use for their review dates (handout/render.py long_date): "November 21, 2026" for
    // en-US, "21 November 2026" elsewhere.
    var date = new Date();
    var lang = document.documentElement.lang || "en";
    var month = date.toLocaleDateString(lang, { month: "long" });
    if (/-(US|PH|FM|MH|PW)$/i.test(lang)) {
      return month + " " + date.getDate() + ", " + date.getFullYear();
    }
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

  // Every printed sheet names its page, its review date and the day it was printed, in its bottom margin. The
  // rule is added to print.css (the stylesheet linked with media="print", found by its address) through the CSS
  // object model, which the Content-Security-Policy allows (inline styles it does not). Without the script, the box
  // at the end of the article says the same once.
  var printSheet = document.querySelector("link[rel=stylesheet][href$='print.css']");
  var added = null; // the rule added last time, replaced on each print (the date may have changed)
  function footer() {
    var info = document.querySelector(".print-info");
    if (!info || !printSheet || !printSheet.sheet) {
      return;
    }
    // A section's printable page holds several articles, each with its own box: the footer names the whole page.
    var single = document.querySelectorAll(".print-info").length === 1;
    var url = single ? document.querySelector(".print-url").textContent : window.location.href.split("#")[0];
    var checked = single ? "  \u00b7  Checked " + info.getAttribute("data-reviewed") : "";
    var text = url + checked + "  \u00b7  Printed " + today();
    var quoted = '"' + text.replace(/\\/g, "\\\\").replace(/"/g, '\\"') + '"';
    var rules = printSheet.sheet;
    var at = added ? Array.prototype.indexOf.call(rules.cssRules, added) : -1;
    if (at >= 0) {
      rules.deleteRule(at);
    }
    // The page number in a box of its own at the right, so a long address wraps on the left and never splits it.
    var box = "font: 7.5pt sans-serif; color: #333; vertical-align: top; padding-top: 3mm;";
    at = rules.insertRule("@page { @bottom-left { content: " + quoted + "; " + box + " }" +
      " @bottom-right { content: \"Page \" counter(page) \" of \" counter(pages); white-space: nowrap; " + box +
      " } }", rules.cssRules.length);
    added = rules.cssRules[at];
  }

  // Open every fold for printing, and close again afterwards the ones the reader had not opened.
  var unfolded = [];
  function unfold() {
    document.querySelectorAll("main details:not([open])").forEach(function (fold) {
      fold.open = true;
      unfolded.push(fold);
    });
  }
  function refold() {
    unfolded.forEach(function (fold) {
      fold.open = false;
    });
    unfolded = [];
  }

  stamp();
  footer();
  // A stylesheet for print only may still be loading (it does not hold up the page): add the footer when it arrives.
  if (printSheet && !printSheet.sheet) {
    printSheet.addEventListener("load", footer);
  }
  window.addEventListener("beforeprint", function () {
    stamp();
    footer();
    unfold();
  });
  window.addEventListener("afterprint", refold);
})();
