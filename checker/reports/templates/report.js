(function () {
  "use strict";
  // every table.sortable sorts by a column when its header is clicked (numbers by data-sort)
  function key(cell) {
    var raw = cell.getAttribute("data-sort");
    if (raw !== null && raw !== "" && !isNaN(Number(raw))) { return Number(raw); }
    return cell.textContent.trim();
  }
  document.querySelectorAll("table.sortable").forEach(function (table) {
    var heads = table.querySelectorAll("thead th");
    heads.forEach(function (th, col) {
      th.addEventListener("click", function () {
        var down = th.getAttribute("aria-sort") === "ascending";
        heads.forEach(function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", down ? "descending" : "ascending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = key(a.cells[col]), y = key(b.cells[col]);
          var c = (typeof x === "number" && typeof y === "number") ? x - y : String(x).localeCompare(String(y));
          return down ? -c : c;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  });
  // an input.table-filter hides the rows of its table that do not contain its text
  document.querySelectorAll("input.table-filter").forEach(function (input) {
    var table = document.getElementById(input.getAttribute("data-table"));
    input.addEventListener("input", function () {
      var q = input.value.trim().toLowerCase();
      Array.prototype.forEach.call(table.tBodies[0].rows, function (r) {
        r.hidden = q !== "" && r.textContent.toLowerCase().indexOf(q) === -1;
      });
    });
  });
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
