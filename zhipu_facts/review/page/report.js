(function () {
  "use strict";
  var errors = [];
  window.addEventListener("error", function (e) {
    errors.push(String(e.message));
    document.documentElement.dataset.errors = errors.join(" | ");
  });
  var data = JSON.parse(document.getElementById("facts").textContent);
  // The data are columns: numbers as lists, text as distinct values and a code per fact.
  var fields = data.fields, columns = data.columns, at = {};
  var facts = new Array(data.article.length).fill(0);  // one entry per fact: facts.map((f, i) => ...) visits each
  fields.forEach(function (name, k) { at[name] = k; });
  function field(i, name) { var c = columns[at[name]]; return c.codes ? c.values[c.codes[i]] : c[i]; }
  function quote(i) { return field(i, "quote"); }

  // --- numbers as analysts read them (review/render.py amount_text does the same on the server) ---
  var MAGNITUDES = [[1e8, "亿"], [1e4, "万"]];
  function plain(x, digits) {
    digits = digits || 4;
    var whole = Math.abs(x) >= 1 ? String(Math.trunc(Math.abs(x))).length : 0;
    return whole ? x.toLocaleString("en-US", {maximumFractionDigits: Math.max(digits - whole, 0)})
      : x.toLocaleString("en-US", {maximumSignificantDigits: digits});  // standard notation: never 5e-9
  }
  function magnitude(x) {
    for (var k = 0; k < MAGNITUDES.length; k++) {
      if (Math.abs(x) >= MAGNITUDES[k][0]) return plain(x / MAGNITUDES[k][0]) + MAGNITUDES[k][1];
    }
    return plain(x);
  }
  function amount(v, unit) {
    if (v === null || v === undefined) return "";
    if (unit === "percent") return plain(v) + "%";
    if (unit === "percentage_point") return plain(v) + " pp";
    var n = magnitude(v);
    return unit === "CNY" ? n + "元" : unit ? n + " " + unit : n;
  }
  function fmt(v) {
    if (v === null) return "";
    if (typeof v === "number") return v.toLocaleString("en-US", {maximumFractionDigits: 6});
    return String(v);
  }

  // --- the hover card ---
  var card = document.getElementById("card");
  function cardHtml(i) {
    var rows = [];
    fields.slice(0, data.card).forEach(function (name) {
      var v = field(i, name);
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
    card.style.left = Math.max(4, Math.min(r.left, window.innerWidth - card.offsetWidth - 8)) + "px";
    var h = card.offsetHeight;  // below the fact if it fits, else above it: never over it
    card.style.top = (r.bottom + 6 + h > window.innerHeight ? Math.max(r.top - h - 6, 4) : r.bottom + 6) + "px";
  }
  function hide() { card.style.display = "none"; }
  document.addEventListener("mouseover", function (e) { var m = e.target.closest && e.target.closest("mark.f"); if (m) show(m); });
  document.addEventListener("mouseout", function (e) { if (e.target.closest && e.target.closest("mark.f")) hide(); });
  document.addEventListener("focusin", function (e) { if (e.target.matches && e.target.matches("mark.f")) show(e.target); });
  document.addEventListener("focusout", hide);

  // --- articles: each one's text is a string until it is opened (the browser parses one, not 1,000) ---
  var details = document.querySelectorAll("details.article");
  function render(d) {
    if (d.dataset.body === undefined) return;
    d.insertAdjacentHTML("beforeend", data.bodies[Number(d.dataset.body)]);
    delete d.dataset.body;
    dimMarks(d);
  }
  details.forEach(function (d) {
    d.addEventListener("toggle", function () { if (d.open) render(d); });
  });

  // --- filters: what does not match is hidden (the fact table's rows, articles, groups, summary rows,
  // timelines); inside an open article the facts that do not match are dimmed ---
  var filters = {}, query = "", haystack = null;
  function active() {
    if (query) return true;
    for (var name in filters) if (filters[name]) return true;
    return false;
  }
  function matches(i) {
    for (var name in filters) {
      var want = filters[name];
      if (!want) continue;
      if (name === "flag") { if ((field(i, "flags") || "").split(";").indexOf(want) < 0) return false; }
      else if (String(field(i, name)) !== want) return false;
    }
    if (query) {
      if (!haystack) {  // built on the first search: text, company, metric, source and sentence of each fact
        haystack = facts.map(function (f, i) {
          return [field(i, "text"), field(i, "subject"), field(i, "metric"), field(i, "source"), quote(i)]
            .join("\u0001").toLowerCase();
        });
      }
      if (haystack[i].indexOf(query) < 0) return false;
    }
    return true;
  }
  function dimMarks(root) {
    (root || document).querySelectorAll("mark.f[data-i]").forEach(function (m) {
      m.classList.toggle("dim", !matches(Number(m.dataset.i)));
    });
  }
  var byArticle = null;
  function applyFilters() {
    var on = active(), match = facts.map(function (f, i) { return !on || matches(i); });
    dimMarks();
    if (!byArticle) {
      byArticle = [];
      data.article.forEach(function (a, i) { (byArticle[a] = byArticle[a] || []).push(i); });
    }
    details.forEach(function (d, n) {
      d.hidden = on && !(byArticle[n] || []).some(function (i) { return match[i]; });
    });
    document.querySelectorAll("[data-facts]").forEach(function (el) {
      if (!on) { el.hidden = false; return; }
      var ids = el.dataset.facts ? el.dataset.facts.split(" ") : [];
      el.hidden = !ids.some(function (i) { return match[Number(i)]; });
    });
    table.refresh(match);
  }
  document.querySelectorAll("select[data-filter]").forEach(function (s) {
    s.addEventListener("change", function () { filters[s.dataset.filter] = s.value; applyFilters(); });
  });
  var search = document.getElementById("q"), typing = null;
  search.addEventListener("input", function () {
    clearTimeout(typing);
    typing = setTimeout(function () { query = search.value.trim().toLowerCase(); applyFilters(); }, 150);
  });

  // --- the fact table: every fact, sortable by any column; the matching rows a page at a time ---
  var COLUMNS = ["text", "value", "subject", "metric", "as_of", "kind", "qualifier", "flags", "source", "line"];
  var NUMERIC = {line: true, value: true};
  var collate = new Intl.Collator("zh").compare;  // one collator: localeCompare would build one per call
  var PAGE = 200;
  var table = (function () {
    var head = document.querySelector("#facttable thead"), body = document.querySelector("#facttable tbody");
    var more = document.getElementById("more"), shownText = document.getElementById("shown");
    var rows = facts.map(function (f, i) { return i; }), order = rows.slice(), limit = PAGE, sortBy = null, dir = 1;
    head.innerHTML = "<tr>" + COLUMNS.map(function (c) { return '<th scope="col" data-col="' + c + '">' + c + "</th>"; }).join("") + "</tr>";
    function value(i, c) {
      if (c === "value") {  // a range or a bound sorts by the figure it states
        var v = field(i, "value");
        return v !== null ? v : field(i, "low") !== null ? field(i, "low") : field(i, "high");
      }
      return field(i, c);
    }
    function compare(a, b) {
      var x = value(a, sortBy), y = value(b, sortBy);
      if (x === null || x === undefined) return y === null || y === undefined ? a - b : 1;  // empty cells last
      if (y === null || y === undefined) return -1;
      var d = NUMERIC[sortBy] ? x - y : collate(String(x), String(y));
      return d ? d * dir : a - b;
    }
    function cell(i, c) {
      var td = document.createElement("td");
      if (c === "text") {
        var a = document.createElement("a");
        a.className = "ev"; a.href = "#fact=" + i; a.textContent = field(i, "text");
        td.appendChild(a);
      } else if (c === "value") {
        var v = field(i, "value"), lo = field(i, "low"), hi = field(i, "high"), u = field(i, "unit");
        td.className = "num";
        td.textContent = v !== null ? amount(v, u) : lo !== null && hi !== null ? amount(lo, u) + " – " + amount(hi, u)
          : lo !== null ? "> " + amount(lo, u) : hi !== null ? "< " + amount(hi, u) : "";
      } else {
        td.textContent = fmt(field(i, c));
        if (NUMERIC[c]) td.className = "num";
      }
      return td;
    }
    function draw() {
      var frag = document.createDocumentFragment();
      rows.slice(0, limit).forEach(function (i) {
        var tr = document.createElement("tr");
        tr.dataset.i = String(i);
        COLUMNS.forEach(function (c) { tr.appendChild(cell(i, c)); });
        frag.appendChild(tr);
      });
      body.textContent = "";
      body.appendChild(frag);
      shownText.textContent = (rows.length === facts.length ? facts.length.toLocaleString("en-US") + " facts"
        : rows.length.toLocaleString("en-US") + " of " + facts.length.toLocaleString("en-US") + " facts match")
        + (rows.length > limit ? ", the first " + limit.toLocaleString("en-US") + " shown" : "");
      more.hidden = rows.length <= limit;
    }
    head.addEventListener("click", function (e) {
      var th = e.target.closest("th");
      if (!th) return;
      dir = sortBy === th.dataset.col ? -dir : 1;
      sortBy = th.dataset.col;
      head.querySelectorAll("th").forEach(function (h) {
        if (h === th) h.setAttribute("aria-sort", dir > 0 ? "ascending" : "descending"); else h.removeAttribute("aria-sort");
      });
      order.sort(compare);
      rows = order.filter(function (i) { return current[i]; });
      draw();
    });
    more.addEventListener("click", function () { limit += PAGE * 5; draw(); });
    var current = facts.map(function () { return true; });
    function refresh(match) {
      current = match;
      rows = order.filter(function (i) { return match[i]; });
      limit = PAGE;
      draw();
    }
    function csvCell(v) {
      var s = v === null || v === undefined ? "" : String(v);
      if (/^[=+\-@\t\r']/.test(s) && !/^[-+]?\d+(\.\d+)?%?$/.test(s)) s = "'" + s;  // as extract's CSV: no formulas
      return /[",\n\r]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
    }
    function csv() {  // every matching row, in the table's order, every field the page has and the sentence
      var lines = [fields.join(",")];
      rows.forEach(function (i) {
        lines.push(fields.map(function (name) { return csvCell(field(i, name)); }).join(","));
      });
      return lines.join("\r\n") + "\r\n";
    }
    document.getElementById("csv").addEventListener("click", function () {
      var a = document.createElement("a");
      a.href = URL.createObjectURL(new Blob(["\ufeff" + csv()], {type: "text/csv;charset=utf-8"}));
      a.download = "facts.csv";
      document.body.appendChild(a); a.click(); a.remove();
      setTimeout(function () { URL.revokeObjectURL(a.href); }, 1000);
    });
    draw();
    return {refresh: refresh, csv: csv, rows: function () { return rows; }, sort: function (c) {
      head.querySelector('th[data-col="' + c + '"]').click();
    }};
  })();

  // --- links to the evidence: #fact=I opens fact I's article, highlights it and shows its card ---
  var lit = null;
  function goToFact(i) {
    var d = details[data.article[i]];
    if (!d) return null;
    d.hidden = false;
    d.open = true; render(d);
    var m = d.querySelector('mark.f[data-i="' + i + '"]');
    if (lit) lit.classList.remove("hl");
    lit = m || d;
    lit.classList.add("hl");
    lit.scrollIntoView({block: "center"});
    if (m) { m.focus({preventScroll: true}); if (card.dataset.i !== String(i)) show(m); }
    return m;
  }
  // #subject=智谱&metric=revenue&q=融资 (any of kind, metric, subject, flag, q): a view with those filters,
  // to share or bookmark.
  function applyHashFilters() {
    var params = new URLSearchParams(location.hash.slice(1)), any = false;
    document.querySelectorAll("select[data-filter]").forEach(function (sel) {
      if (!params.has(sel.dataset.filter)) return;
      sel.value = params.get(sel.dataset.filter);
      filters[sel.dataset.filter] = sel.value;
      any = true;
    });
    if (params.has("q")) { search.value = params.get("q"); query = search.value.trim().toLowerCase(); any = true; }
    if (any) applyFilters();
    return any;
  }
  function route() {
    var fact = /^#fact=(\d+)$/.exec(location.hash);
    if (fact) { goToFact(Number(fact[1])); return; }
    if (applyHashFilters()) return;
    // #article=N opens the Nth article, #article=N&fact=K also focuses its Kth fact (a link, a screenshot).
    var want = /^#article=(\d+)(?:&fact=(\d+))?$/.exec(location.hash);
    if (want) {
      var d = details[Number(want[1])];
      if (d) {
        d.open = true; render(d);
        var m = want[2] && d.querySelectorAll("mark.f[tabindex]")[Number(want[2])];
        if (m) m.focus();
      }
    }
  }
  window.addEventListener("hashchange", route);
  route();

  // #selftest: open every article, focus every fact and check its card, try every filter, sort, search,
  // the CSV and every link to the evidence; the result goes on <html> (tests/test_report.py reads it).
  if (location.hash === "#selftest") {
    var ok = 0, bad = [];
    details.forEach(function (d) { d.open = true; render(d); });
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
    function visibleRows() { return document.querySelectorAll("#facttable tbody tr").length; }
    // each filter: choosing a value dims exactly the facts without it, and hides every row, article and
    // block that has none of its facts
    document.querySelectorAll("select[data-filter]").forEach(function (sel) {
      if (sel.options.length < 2) return;
      sel.value = sel.options[1].value;
      sel.dispatchEvent(new Event("change"));
      var name = sel.dataset.filter, want = sel.value;
      function has(i) {  // checked without matches()
        return name === "flag" ? (field(i, "flags") || "").split(";").indexOf(want) >= 0 : String(field(i, name)) === want;
      }
      document.querySelectorAll("#articles mark.f[data-i]").forEach(function (m) {
        if (m.classList.contains("dim") === has(Number(m.dataset.i))) bad.push("filter " + name);
      });
      var expected = facts.filter(function (f, i) { return has(i); }).length;
      if (table.rows().length !== expected || visibleRows() !== Math.min(expected, PAGE)) bad.push("table " + name);
      if (table.rows().some(function (i) { return !has(i); })) bad.push("table rows " + name);
      document.querySelectorAll("[data-facts], details.article").forEach(function (el) {
        var ids = el.matches("details.article") ? facts.map(function (f, i) { return i; })
          .filter(function (i) { return data.article[i] === Array.prototype.indexOf.call(details, el); })
          : el.dataset.facts.split(" ").filter(Boolean).map(Number);
        if (el.hidden === ids.some(has)) bad.push("hide " + name + " " + (el.id || el.className));
      });
      var lines = table.csv().trim().split("\r\n").length - 1;
      if (lines !== expected) bad.push("csv " + name + " " + lines + "/" + expected);
      sel.value = "";
      sel.dispatchEvent(new Event("change"));
    });
    if (document.querySelectorAll("#articles mark.dim, [data-facts][hidden], details.article[hidden]").length)
      bad.push("filters not cleared");
    if (table.rows().length !== facts.length) bad.push("table not cleared");
    // search: a company's name finds its facts (and only facts that mention it somewhere)
    var company = field(0, "subject") || field(0, "text");
    query = String(company).toLowerCase(); applyFilters();
    if (!table.rows().length || table.rows().some(function (i) {
      return [field(i, "text"), field(i, "subject"), field(i, "metric"), field(i, "source"), quote(i)]
        .join(" ").toLowerCase().indexOf(query) < 0;
    })) bad.push("search");
    query = ""; applyFilters();
    // sorting by value: ascending, then descending, empty values last
    table.sort("value");
    var vals = table.rows().map(function (i) { return field(i, "value"); }).filter(function (v) { return v !== null; });
    if (vals.some(function (v, k) { return k && vals[k - 1] > v; })) bad.push("sort ascending");
    table.sort("value");
    vals = table.rows().map(function (i) { return field(i, "value"); }).filter(function (v) { return v !== null; });
    if (vals.some(function (v, k) { return k && vals[k - 1] < v; })) bad.push("sort descending");
    // every link to the evidence opens its fact, highlighted, in its article
    var links = document.querySelectorAll('#summary a[href^="#fact="], #comparisons a[href^="#fact="], #timelines a[href^="#fact="]');
    var followed = 0;
    links.forEach(function (a) {
      var i = Number(a.getAttribute("href").slice(6));
      var m = goToFact(i);
      if (!m || !m.classList.contains("hl") || !details[data.article[i]].open) bad.push("link " + i);
      else followed++;
    });
    document.documentElement.dataset.links = String(followed);
    document.documentElement.dataset.selftest = bad.length ? "fail:" + bad.slice(0, 20).join(",") : "ok:" + ok;
  }
  document.documentElement.dataset.ready = "1";
  document.documentElement.dataset.readyMs = String(Math.round(performance.now()));  // from navigation start
  document.documentElement.dataset.pageWidth = String(document.documentElement.scrollWidth);
})();
