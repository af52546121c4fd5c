// The column's search (页面 search/): exact 文号/索引号 lookup, then Pagefind's full text.
// Searches on every change of the box, however the text got there: typing, pasting,
// dictation or an input method (after the composition ends). Only the answer to the latest
// query is shown; "没有找到" is never left over from an earlier query.
(function () {
  var form = document.querySelector("[data-site-search]");
  if (!form) return;
  var input = form.querySelector("input[name=q]");
  var status = document.querySelector("[data-site-search-status]");
  var list = document.querySelector("[data-site-search-results]");
  var script = document.currentScript || document.querySelector("script[src$='assets/search.js']");
  var root = new URL("../", script.src);  // assets/search.js -> the site root
  var pagefind = null, direct = null, latest = 0, timer = null, composing = false;
  var MAX = 20;

  function load() {
    if (!pagefind) {
      // A large site's index comes in parts (pagefind/parts.json lists those beside the first): each is
      // merged into the first, so one query searches them all.
      pagefind = import(new URL("pagefind/pagefind.js", root).href).then(function (pf) {
        return pf.options({ excerptLength: 40 }).then(function () {
          return fetch(new URL("pagefind/parts.json", root).href)
            .then(function (r) { return r.ok ? r.json() : []; }, function () { return []; });
        }).then(function (parts) {
          return Promise.all((Array.isArray(parts) ? parts : []).filter(function (part) {
            return /^parts\/\d+-\d+\/$/.test(part);
          }).map(function (part) {
            return pf.mergeIndex(new URL("pagefind/" + part, root).pathname, { excerptLength: 40 });
          }));
        }).then(function () { return pf; });
      });
      direct = fetch(new URL("search/direct.json", root).href).then(function (r) { return r.json(); })
        .catch(function () { return []; });
    }
    return Promise.all([pagefind, direct]);
  }

  // 文号 in any usual writing: 紫政办发〔2018〕25号, 紫政办发[2018]25号, 2018年第25号, 25号.
  function docKey(text) {
    var m = text.replace(/\s+/g, "").match(/^(.*?)[〔【\[(（]?(\d{4})?[〕】\])）]?年?第?0*(\d+)号$/);
    return m ? { prefix: m[1] || "", year: m[2] || "", num: m[3] } : null;
  }

  function directHits(rows, query) {
    var q = query.replace(/\s+/g, "").toLowerCase(), key = docKey(query), hits = [];
    rows.forEach(function (row) {
      var doc = row[0] ? docKey(row[0]) : null, index = row[1].toLowerCase();
      var byNumber = key && doc && key.num === doc.num && (!key.year || key.year === doc.year) &&
        (!key.prefix || doc.prefix.indexOf(key.prefix) !== -1 || key.prefix.indexOf(doc.prefix) !== -1);
      if (byNumber || (q.length >= 6 && index.indexOf(q) !== -1)) {
        hits.push({ url: new URL(row[3], root).href, title: row[2], note: (row[0] ? "文号 " + row[0] + "　" : "") + "索引号 " + row[1] });
      }
    });
    return hits;
  }

  // Pagefind's excerpt is the page's text, escaped, with <mark> around the matches. It is
  // parsed inert (a <template>: nothing loads or runs) and only its text and the <mark>s are
  // copied, so no page text can become an element here, whatever Pagefind's escaping does.
  function excerpt(into, html) {
    var parsed = document.createElement("template");
    parsed.innerHTML = html;
    Array.prototype.forEach.call(parsed.content.childNodes, function (node) {
      var kept = node.nodeName === "MARK" ? document.createElement("mark") : null;
      if (kept) { kept.textContent = node.textContent; into.appendChild(kept); }
      else { into.appendChild(document.createTextNode(node.textContent)); }
    });
  }

  function show(query, hits, partial) {
    list.textContent = "";
    hits.forEach(function (hit) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = hit.url;
      link.textContent = hit.title;
      item.appendChild(link);
      var text = document.createElement("p");
      if (hit.note) { text.textContent = hit.note; }
      else { excerpt(text, hit.excerpt); }
      item.appendChild(text);
      list.appendChild(item);
    });
    if (!hits.length) status.textContent = "没有找到与“" + query + "”相关的内容。可以换个说法，或只输入关键词的一部分。";
    else if (partial) status.textContent = "没有完全包含“" + query + "”的内容；以下 " + hits.length + " 条只含其中部分字词。";
    else status.textContent = "找到 " + hits.length + " 条结果。";
  }

  function search() {
    var query = input.value.trim();
    var ticket = ++latest;
    if (!query) { list.textContent = ""; status.textContent = ""; return; }
    status.textContent = "正在搜索…";
    load().then(function (loaded) {
      var pf = loaded[0], rows = loaded[1];
      var hits = directHits(rows, query);
      // The query as a whole, and each of its parts when punctuation splits it
      // (互联网+政务服务): the parts find pages the whole misses.
      var plain = query.replace(/[+＋、，,;；“”"‘’'《》〈〉()（）]/g, " ").trim();
      var parts = plain.split(/\s+/).filter(function (w) { return w.length > 1; });
      var queries = [plain].concat(parts.length > 1 ? parts : []);
      return Promise.all(queries.map(function (q, i) {
        return pf.search(q).then(function (found) { return found.results.slice(0, i ? MAX / 2 : MAX); });
      })).then(function (lists) {
        var ids = {}, results = [];
        lists.forEach(function (l) { l.forEach(function (r) { if (!ids[r.id]) { ids[r.id] = true; results.push(r); } }); });
        return Promise.all(results.map(function (r) { return r.data(); }));
      }).then(function (pages) {
        if (ticket !== latest) return;  // a newer query is on its way
        var phrase = query.replace(/\s+/g, "");
        var seen = {};
        hits.forEach(function (h) { seen[new URL(h.url).pathname] = true; });
        // Pages holding the whole query as typed come first, titles before text.
        var scored = pages.map(function (p, i) {
          var rank = p.meta.title.replace(/\s+/g, "").indexOf(phrase) !== -1 ? 0 :
            p.content.replace(/\s+/g, "").indexOf(phrase) !== -1 ? 1 : 2;
          return { rank: rank, order: i, hit: { url: p.url, title: p.meta.title, excerpt: p.excerpt } };
        }).sort(function (a, b) { return a.rank - b.rank || a.order - b.order; });
        var whole = scored.some(function (s) { return s.rank < 2; }) || hits.length > 0;
        scored.forEach(function (s) {
          var path = new URL(s.hit.url, location.href).pathname;
          if (!seen[path]) { seen[path] = true; hits.push(s.hit); }
        });
        show(query, hits, hits.length > 0 && !whole);
      });
    }).catch(function () {
      if (ticket === latest) status.textContent = "搜索暂时无法使用，请稍后再试，或从栏目目录浏览。";
    });
  }

  function soon() {
    if (composing) return;
    latest++;  // whatever is on its way now answers an old query
    status.textContent = input.value.trim() ? "正在搜索…" : "";
    clearTimeout(timer);
    timer = setTimeout(search, 120);
  }

  input.addEventListener("compositionstart", function () { composing = true; });
  input.addEventListener("compositionend", function () { composing = false; soon(); });
  input.addEventListener("input", function (event) { if (!event.isComposing) soon(); });
  input.addEventListener("paste", function () { setTimeout(soon, 0); });
  input.addEventListener("change", soon);
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    clearTimeout(timer);
    var url = new URL(location.href);
    url.searchParams.set("q", input.value.trim());
    history.replaceState(null, "", url.href);
    search();
  });

  var initial = new URL(location.href).searchParams.get("q");
  if (initial) { input.value = initial; search(); }
})();
