(function () {
  "use strict";
  var source = document.getElementById("findings-data");
  var form = document.getElementById("filters");
  if (!source || !form) { return; }
  var data = JSON.parse(source.textContent);
  var haystack = data.map(function (f) {
    return Object.keys(f).map(function (k) { return f[k] === null ? "" : String(f[k]); }).join(" ").toLowerCase();
  });
  var rows = document.querySelectorAll("#findings-table tbody tr");
  var shown = document.getElementById("shown");
  var el = form.elements;
  function apply() {
    var sev = el.severity.value, code = el.code.value, proc = el.process.value;
    var q = el.q.value.trim().toLowerCase(), n = 0;
    rows.forEach(function (row) {
      var i = Number(row.getAttribute("data-i")), f = data[i];
      var ok = (!sev || f.severity === sev) && (!code || f.code === code) &&
        (!proc || f.process === proc) && (!q || haystack[i].indexOf(q) !== -1);
      row.hidden = !ok;
      if (ok) { n += 1; }
    });
    shown.textContent = String(n);
  }
  form.addEventListener("input", apply);
  form.addEventListener("submit", function (e) { e.preventDefault(); });
}());
