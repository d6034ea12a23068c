// Veille workspace: keyboard navigation of the inbox and small helpers. No inline script
// anywhere (strict CSP); everything is bound by delegation on the document, so it keeps
// working after htmx swaps the page body.
(function () {
  "use strict";

  function rows() {
    return Array.prototype.slice.call(document.querySelectorAll("tr.mention-row"));
  }

  function current() {
    return document.querySelector("tr.mention-row.selected");
  }

  function select(row) {
    var old = current();
    if (old) { old.classList.remove("selected"); }
    if (row) {
      row.classList.add("selected");
      row.scrollIntoView({ block: "nearest" });
    }
  }

  function move(step) {
    var all = rows();
    if (!all.length) { return; }
    var at = all.indexOf(current());
    var next = at < 0 ? 0 : Math.min(Math.max(at + step, 0), all.length - 1);
    select(all[next]);
  }

  function follow(id) {
    var link = document.getElementById(id);
    if (link) { link.click(); }
    return !!link;
  }

  function typing(target) {
    var tag = target && target.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (target && target.isContentEditable);
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) { return; }
    if (typing(event.target)) {
      if (event.key === "Escape") { event.target.blur(); }
      return;
    }
    var row = current();
    switch (event.key) {
      // j/k: the next/previous row in the inbox; on a mention's page, the next/previous
      // mention of the inbox view it was opened from; u: back to that view.
      case "j": if (rows().length) { move(1); } else if (!follow("next-mention")) { return; } break;
      case "k": if (rows().length) { move(-1); } else if (!follow("prev-mention")) { return; } break;
      case "u": if (!follow("back-to-inbox")) { return; } break;
      case "Enter":
      case "o":
        if (row) { var link = row.querySelector("a.open"); if (link) { link.click(); } }
        break;
      case "x":
        if (row) { var box = row.querySelector("input[type=checkbox]"); if (box) { box.checked = !box.checked; } }
        break;
      case "/":
        var search = document.getElementById("q");
        if (search) { search.focus(); }
        break;
      case "?":
        var help = document.getElementById("keys");
        if (help) { help.hidden = !help.hidden; }
        break;
      default: return;
    }
    event.preventDefault();
  });

  document.addEventListener("click", function (event) {
    var target = event.target;
    if (target && target.id === "select-all") {
      rows().forEach(function (r) {
        var box = r.querySelector("input[type=checkbox]");
        if (box) { box.checked = target.checked; }
      });
    }
    var row = target && target.closest ? target.closest("tr.mention-row") : null;
    if (row) { select(row); }
    var confirmText = target && target.getAttribute ? target.getAttribute("data-confirm") : null;
    if (confirmText && !window.confirm(confirmText)) { event.preventDefault(); }
  });
})();
