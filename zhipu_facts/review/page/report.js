(function () {
  "use strict";
  var errors = [];
  window.addEventListener("error", function (e) {
    errors.push(String(e.message));
    document.documentElement.dataset.errors = errors.join(" | ");
  });
  var data = JSON.parse(document.getElementById("facts").textContent);
  var fields = data.fields, facts = data.facts;
  function field(i, name) { return facts[i][fields.indexOf(name)]; }
  function fmt(v) {
    if (v === null) return "";
    if (typeof v === "number") return v.toLocaleString("en-US", {maximumFractionDigits: 6});
    return String(v);
  }
  var card = document.getElementById("card");
  function cardHtml(i) {
    var rows = [];
    fields.forEach(function (name, k) {
      var v = facts[i][k];
      if (v === null) return;
      var td = document.createElement("td"); td.textContent = fmt(v);
      rows.push("<tr><td>" + name + "</td>" + td.outerHTML + "</tr>");
    });
    return "<table>" + rows.join("") + "</table>";
  }
  function show(el) {
    var i = Number(el.dataset.i);
    card.innerHTML = cardHtml(i);
    card.dataset.i = String(i);
    var r = el.getBoundingClientRect();
    card.style.display = "block";
    card.style.left = Math.min(r.left, window.innerWidth - 420) + "px";
    var h = card.offsetHeight;  // below the fact if it fits, else above it: never over it
    card.style.top = (r.bottom + 6 + h > window.innerHeight ? Math.max(r.top - h - 6, 4) : r.bottom + 6) + "px";
  }
  function hide() { card.style.display = "none"; }
  document.addEventListener("mouseover", function (e) { var m = e.target.closest && e.target.closest("mark.f"); if (m) show(m); });
  document.addEventListener("mouseout", function (e) { if (e.target.closest && e.target.closest("mark.f")) hide(); });
  document.addEventListener("focusin", function (e) { if (e.target.matches && e.target.matches("mark.f")) show(e.target); });
  document.addEventListener("focusout", hide);
  // An article's text is a string until it is opened: the browser parses one article, not 1,000.
  function render(d) {
    if (d.dataset.body === undefined) return;
    d.insertAdjacentHTML("beforeend", data.bodies[Number(d.dataset.body)]);
    delete d.dataset.body;
    applyFilters(d);
  }
  document.querySelectorAll("details.article").forEach(function (d) {
    d.addEventListener("toggle", function () { if (d.open) render(d); });
  });
  var filters = {};
  function matches(i) {
    for (var name in filters) {
      var want = filters[name];
      if (!want) continue;
      if (name === "flag") { if ((field(i, "flags") || "").split(";").indexOf(want) < 0) return false; }
      else if (String(field(i, name)) !== want) return false;
    }
    return true;
  }
  function applyFilters(root) {
    (root || document).querySelectorAll("mark.f[data-i]").forEach(function (m) {
      m.classList.toggle("dim", !matches(Number(m.dataset.i)));
    });
  }
  document.querySelectorAll("select[data-filter]").forEach(function (s) {
    s.addEventListener("change", function () { filters[s.dataset.filter] = s.value; applyFilters(); });
  });
  // #article=N opens the Nth article, #article=N&fact=K also focuses its Kth fact (a link, a screenshot).
  var want = /^#article=(\d+)(?:&fact=(\d+))?$/.exec(location.hash);
  if (want) {
    var d = document.querySelectorAll("details.article")[Number(want[1])];
    if (d) {
      d.open = true; render(d);
      var m = want[2] && d.querySelectorAll("mark.f[tabindex]")[Number(want[2])];
      if (m) m.focus();
    }
  }
  // #selftest: open every article, focus every fact and check its card, try every filter;
  // the result goes on <html> (tests/test_report.py reads it in headless Chromium).
  if (location.hash === "#selftest") {
    var ok = 0, bad = [];
    document.querySelectorAll("details.article").forEach(function (d) { d.open = true; render(d); });
    document.querySelectorAll("#articles mark.f[tabindex]").forEach(function (m) {
      var i = Number(m.dataset.i);
      m.focus();
      // a page without window focus (a busy headless browser) gets no focus events: send the handler's own
      if (card.dataset.i !== String(i)) m.dispatchEvent(new FocusEvent("focusin", {bubbles: true}));
      var want = fmt(field(i, "text"));
      if (card.style.display === "block" && card.dataset.i === String(i) && card.textContent.indexOf(want) >= 0
          && (field(i, "value") === null || card.textContent.indexOf(fmt(field(i, "value"))) >= 0)) ok++;
      else bad.push(i);
    });
    hide();
    // each filter: choosing a value dims exactly the facts without it
    document.querySelectorAll("select[data-filter]").forEach(function (sel) {
      if (sel.options.length < 2) return;
      sel.value = sel.options[1].value;
      sel.dispatchEvent(new Event("change"));
      document.querySelectorAll("#articles mark.f[data-i]").forEach(function (m) {
        var i = Number(m.dataset.i), name = sel.dataset.filter, want = sel.value;
        var has = name === "kind" ? m.classList.contains("k-" + want)  // checked without matches()
          : name === "flag" ? (field(i, "flags") || "").split(";").indexOf(want) >= 0 : field(i, name) === want;
        if (m.classList.contains("dim") === has) bad.push("filter " + name);
      });
      sel.value = "";
      sel.dispatchEvent(new Event("change"));
    });
    if (document.querySelectorAll("#articles mark.dim").length) bad.push("filters not cleared");
    document.documentElement.dataset.selftest = bad.length ? "fail:" + bad.slice(0, 20).join(",") : "ok:" + ok;
  }
  document.documentElement.dataset.ready = "1";
  document.documentElement.dataset.readyMs = String(Math.round(performance.now()));  // from navigation start
})();
