/*
 * Definitions for glossary terms and details for statistics, shown next to the word on hover, keyboard focus
 * and tap. Without this script every term is a plain link to its glossary entry, and screen readers already get
 * the text through aria-describedby, so this only adds a visual layer.
 *
 * A first tap on a phone shows the definition instead of leaving the page; a second tap follows the link.
 * Escape, or a tap elsewhere, closes it. The box stays open while the pointer is over it (WCAG 1.4.13).
 */
(function () {
  "use strict";

  var box = null;
  var owner = null;
  var hideTimer = null;
  var lastPointer = "mouse";
  var openBeforePress = false;

  function text(el) {
    var source = document.getElementById(el.getAttribute("data-popover"));
    return source ? source.textContent.replace(/\s+/g, " ").trim() : "";
  }

  function ensureBox() {
    if (box) {
      return box;
    }
    // Inside <main>, so the box belongs to the page's landmarks like the word it explains. <main> is not
    // positioned, so the box is still placed against the whole document.
    box = document.createElement("div");
    box.className = "popover";
    box.setAttribute("role", "tooltip");
    box.hidden = true;
    box.addEventListener("pointerenter", cancelHide);
    box.addEventListener("pointerleave", scheduleHide);
    (document.querySelector("main") || document.body).appendChild(box);
    return box;
  }

  function show(el) {
    var words = text(el);
    if (!words) {
      return;
    }
    cancelHide();
    var b = ensureBox();
    b.textContent = "";
    var p = document.createElement("p");
    p.textContent = words;
    b.appendChild(p);
    if (el.classList.contains("term")) {
      var more = document.createElement("a");
      more.setAttribute("href", el.getAttribute("href"));
      more.textContent = "More in the glossary";
      b.appendChild(more);
    }
    b.hidden = false;
    owner = el;
    place(el, b);
  }

  function place(el, b) {
    var rect = el.getBoundingClientRect();
    var width = Math.min(22 * 16, document.documentElement.clientWidth - 16);
    var left = Math.max(8, Math.min(rect.left, document.documentElement.clientWidth - width - 8));
    b.style.width = width + "px";
    b.style.left = window.scrollX + left + "px";
    b.style.top = window.scrollY + rect.bottom + 6 + "px";
  }

  function hide() {
    cancelHide();
    if (box) {
      box.hidden = true;
    }
    owner = null;
  }

  function scheduleHide() {
    cancelHide();
    hideTimer = window.setTimeout(hide, 300);
  }

  function cancelHide() {
    if (hideTimer) {
      window.clearTimeout(hideTimer);
      hideTimer = null;
    }
  }

  function trigger(event) {
    var el = event.target.closest ? event.target.closest("[data-popover]") : null;
    return el;
  }

  document.addEventListener("pointerdown", function (event) {
    lastPointer = event.pointerType || "mouse";
    // A tap also focuses the link, which opens the box before the click arrives: remember how things stood.
    openBeforePress = Boolean(box && !box.hidden && owner === trigger(event));
    if (box && !box.hidden && !box.contains(event.target) && !trigger(event)) {
      hide();
    }
  });

  document.addEventListener("pointerover", function (event) {
    var el = trigger(event);
    if (el && event.pointerType === "mouse") {
      show(el);
    }
  });

  document.addEventListener("pointerout", function (event) {
    var el = trigger(event);
    if (el && event.pointerType === "mouse" && el === owner) {
      scheduleHide();
    }
  });

  document.addEventListener("focusin", function (event) {
    var el = trigger(event);
    if (el) {
      show(el);
    } else if (box && !box.contains(event.target)) {
      hide();
    }
  });

  document.addEventListener("click", function (event) {
    var el = trigger(event);
    if (!el || lastPointer === "mouse") {
      return;
    }
    if (!openBeforePress) {
      event.preventDefault();
      show(el);
    }
  });

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && box && !box.hidden) {
      hide();
    }
  });
})();
