// Autocomplete for the vacancy form: occupations, skills and languages from the vocabulary,
// places from the gazetteer. Fields work as plain text without this script.
(function () {
  "use strict";
  var form = document.querySelector("form.vacancy-form");
  if (!form) { return; }

  function endpoint(kind) {
    if (kind === "place") { return form.dataset.suggestPlaces + "?q="; }
    return form.dataset.suggestTerms + "?kind=" + encodeURIComponent(kind) + "&q=";
  }

  function attach(input) {
    var list = document.createElement("datalist");
    list.id = input.id + "-options";
    input.setAttribute("list", list.id);
    input.after(list);
    var timer = null;
    var labels = [];
    input.addEventListener("input", function () {
      clearTimeout(timer);
      var query = input.value.trim();
      if (input.dataset.appendTo && labels.indexOf(input.value) !== -1) {
        append(input);
        return;
      }
      if (query.length < 2) { return; }
      timer = setTimeout(function () {
        fetch(endpoint(input.dataset.suggest) + encodeURIComponent(query), {credentials: "same-origin"})
          .then(function (response) { return response.ok ? response.json() : {suggestions: []}; })
          .then(function (data) {
            labels = data.suggestions.map(function (s) { return s.label; });
            list.replaceChildren.apply(list, labels.map(function (label) {
              var option = document.createElement("option");
              option.value = label;
              return option;
            }));
          });
      }, 200);
    });
    if (input.dataset.appendTo) {
      input.addEventListener("keydown", function (event) {
        if (event.key === "Enter") { event.preventDefault(); append(input); }
      });
    }
  }

  function append(input) {
    var target = document.getElementById(input.dataset.appendTo);
    var value = input.value.trim();
    if (!target || !value) { return; }
    var lines = target.value.split("\n").map(function (l) { return l.trim(); }).filter(Boolean);
    if (lines.indexOf(value) === -1) { lines.push(value); }
    target.value = lines.join("\n");
    input.value = "";
  }

  form.querySelectorAll("input[data-suggest]").forEach(attach);
})();
