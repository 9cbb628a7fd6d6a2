/* Suggestion lists for text inputs and one-per-line textareas (ARIA combobox, keyboard usable).
 *
 * Markup: an element with class "suggest-target" and
 *   data-suggest-for   id of the input or textarea to enhance
 *   data-suggest-url   JSON endpoint answering ?q= with [{label, id?, ...}]
 *   data-suggest-lines "1": the textarea holds one value per line; the caret's line is completed
 *   data-suggest-id    id of a hidden input that receives the chosen item's id
 *   data-commute-help  id of an element told the chosen place's default commute
 *   data-commute-template  text with %(km)s and %(region)s
 * Without JavaScript the fields stay plain text and the server resolves what was typed.
 */
(function () {
  "use strict";
  var counter = 0;

  function debounce(fn, ms) {
    var timer = null;
    return function () {
      clearTimeout(timer);
      timer = setTimeout(fn, ms);
    };
  }

  function lineBounds(field) {
    var value = field.value;
    var caret = field.selectionStart || 0;
    var start = value.lastIndexOf("\n", caret - 1) + 1;
    var end = value.indexOf("\n", caret);
    return { start: start, end: end === -1 ? value.length : end };
  }

  function enhance(target) {
    var field = document.getElementById(target.dataset.suggestFor);
    if (!field) { return; }
    var lines = target.dataset.suggestLines === "1";
    var idField = target.dataset.suggestId ? document.getElementById(target.dataset.suggestId) : null;
    var help = target.dataset.commuteHelp ? document.getElementById(target.dataset.commuteHelp) : null;
    var list = document.createElement("ul");
    var items = [];
    var active = -1;
    counter += 1;
    list.id = "suggest-list-" + counter;
    list.className = "autocomplete-list";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    target.appendChild(list);
    field.setAttribute("role", "combobox");
    field.setAttribute("aria-autocomplete", "list");
    field.setAttribute("aria-controls", list.id);
    field.setAttribute("aria-expanded", "false");
    field.setAttribute("autocomplete", "off");

    function query() {
      if (!lines) { return field.value.trim(); }
      var b = lineBounds(field);
      return field.value.slice(b.start, b.end).trim();
    }

    function close() {
      list.hidden = true;
      list.textContent = "";
      items = [];
      active = -1;
      field.setAttribute("aria-expanded", "false");
      field.removeAttribute("aria-activedescendant");
    }

    function highlight(index) {
      var options = list.children;
      for (var i = 0; i < options.length; i += 1) {
        options[i].setAttribute("aria-selected", i === index ? "true" : "false");
      }
      active = index;
      if (index >= 0) {
        field.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({ block: "nearest" });
      }
    }

    function showCommute(item) {
      if (!help || item.default_commute_km === undefined) { return; }
      var text = target.dataset.commuteTemplate || "%(km)s km (%(region)s)";
      help.textContent = text.replace("%(km)s", String(Math.round(item.default_commute_km)))
        .replace("%(region)s", item.fa_region || "");
    }

    function choose(index) {
      var item = items[index];
      if (!item) { return; }
      if (lines) {
        var b = lineBounds(field);
        field.value = field.value.slice(0, b.start) + item.label + field.value.slice(b.end);
        var caret = b.start + item.label.length;
        field.setSelectionRange(caret, caret);
      } else {
        field.value = item.label;
      }
      if (idField) { idField.value = item.id || ""; }
      showCommute(item);
      close();
      field.focus();
    }

    function render(found) {
      list.textContent = "";
      items = found;
      active = -1;
      if (!found.length) { close(); return; }
      found.forEach(function (item, index) {
        var option = document.createElement("li");
        option.id = list.id + "-" + index;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.textContent = item.label;
        option.addEventListener("mousedown", function (event) {
          event.preventDefault();
          choose(index);
        });
        list.appendChild(option);
      });
      list.hidden = false;
      field.setAttribute("aria-expanded", "true");
    }

    var lookup = debounce(function () {
      var q = query();
      if (q.length < 2) { close(); return; }
      var url = target.dataset.suggestUrl + "?q=" + encodeURIComponent(q);
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : []; })
        .then(render)
        .catch(close);
    }, 150);

    field.addEventListener("input", function () {
      if (idField) { idField.value = ""; }
      lookup();
    });
    field.addEventListener("blur", close);
    field.addEventListener("keydown", function (event) {
      if (list.hidden) { return; }
      if (event.key === "ArrowDown") {
        event.preventDefault();
        highlight((active + 1) % items.length);
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        highlight(active <= 0 ? items.length - 1 : active - 1);
      } else if (event.key === "Enter" && active >= 0) {
        event.preventDefault();
        choose(active);
      } else if (event.key === "Escape") {
        event.preventDefault();
        close();
      }
    });
  }

  document.querySelectorAll(".suggest-target").forEach(enhance);
}());
