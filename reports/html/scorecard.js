// decouple scorecard: filters the findings table. It reads its data from the
// JSON island and builds nothing from strings: no innerHTML, no eval.
(function () {
  "use strict";
  var island = document.getElementById("decouple-data");
  var table = document.getElementById("findings-table");
  if (!island) { return; }
  var data = JSON.parse(island.textContent);
  var rows = table ? Array.prototype.slice.call(table.tBodies[0].rows) : [];
  var $ = function (id) { return document.getElementById(id); };
  var controls = {
    rule: $("f-rule"), service: $("f-service"), severity: $("f-severity"), dim: $("f-dim"), only: $("f-new")
  };
  var pairChip = $("f-pair");
  var count = $("f-count");
  var pair = null;

  function matches(f) {
    if (controls.rule.value && f.rule !== controls.rule.value) { return false; }
    if (controls.severity.value && f.severity !== controls.severity.value) { return false; }
    if (controls.dim.value && f.dim !== controls.dim.value) { return false; }
    if (controls.service.value && f.services.indexOf(controls.service.value) < 0) { return false; }
    if (controls.only && controls.only.checked && !f.new) { return false; }
    if (pair && (f.services.indexOf(pair[0]) < 0 || f.services.indexOf(pair[1]) < 0)) { return false; }
    return true;
  }

  function apply() {
    var shown = 0;
    rows.forEach(function (row) {
      var ok = matches(data.findings[Number(row.getAttribute("data-i"))]);
      row.hidden = !ok;
      if (ok) { shown++; }
    });
    var total = data.findings.length;
    count.textContent = shown === total ? total + (total === 1 ? " finding" : " findings") : shown + " of " + total + " findings shown";
    if (pair) {
      pairChip.textContent = pair[0] + " \u2194 " + pair[1] + " \u00d7";
      pairChip.hidden = false;
    } else {
      pairChip.hidden = true;
    }
  }

  function reset() {
    Object.keys(controls).forEach(function (k) {
      var c = controls[k];
      if (!c) { return; }
      if (c.type === "checkbox") { c.checked = false; } else { c.value = ""; }
    });
    pair = null;
  }

  function show(target) {
    apply();
    var el = $(target || "findings");
    if (el && el.scrollIntoView) { el.scrollIntoView({ block: "start" }); }
  }

  Object.keys(controls).forEach(function (k) {
    if (controls[k]) { controls[k].addEventListener("change", apply); }
  });
  $("f-clear").addEventListener("click", function () { reset(); apply(); });
  pairChip.addEventListener("click", function () { pair = null; apply(); });
  $("filters").addEventListener("submit", function (e) { e.preventDefault(); });

  function onPair(a, b, e) {
    if (e) { e.preventDefault(); }
    reset();
    pair = [a, b];
    show();
  }

  document.querySelectorAll(".matrix a[data-a]").forEach(function (a) {
    a.addEventListener("click", function (e) { onPair(a.getAttribute("data-a"), a.getAttribute("data-b"), e); });
  });
  document.querySelectorAll(".graph .edge[data-a]").forEach(function (p) {
    p.addEventListener("click", function (e) {
      var b = p.getAttribute("data-b");
      if (b.indexOf("datastore:") === 0) {
        reset();
        controls.service.value = p.getAttribute("data-a");
        controls.dim.value = "data";
        show();
        return;
      }
      onPair(p.getAttribute("data-a"), b, e);
    });
  });
  document.querySelectorAll(".graph .gnode").forEach(function (g) {
    var s = g.getAttribute("data-s");
    if (!s) { return; }
    g.addEventListener("click", function () {
      reset();
      controls.service.value = s;
      show();
    });
  });
  document.querySelectorAll(".dims tr[data-dim]").forEach(function (tr) {
    var go = function () {
      reset();
      controls.dim.value = tr.getAttribute("data-dim");
      show();
    };
    tr.addEventListener("click", go);
    tr.addEventListener("keydown", function (e) { if (e.key === "Enter") { go(); } });
  });
  var onlyNew = $("only-new-link");
  if (onlyNew && controls.only) {
    onlyNew.addEventListener("click", function () { reset(); controls.only.checked = true; show(); });
  }
  apply();
}());
