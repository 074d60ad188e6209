/* gazette's search page: reads the index gazette builds with the site (search-index/<lang>/),
   a slice at a time, in the browser, without a server. Words are folded (accents, capitals) and
   stemmed exactly as src/search/words.rs does at build time, so "developpement" finds
   "développement". Kept the same in every built-in theme (themes/ * /static/js/search.js). */
(function () {
  "use strict";
  var root = document.querySelector("[data-search]");
  if (!root) return;
  var link = document.querySelector("link[data-search-index]");
  var metaUrl = link ? link.href : root.getAttribute("data-index");
  var base = metaUrl.replace(/meta\.json(\?.*)?$/, "");
  var form = root.querySelector("form");
  var input = root.querySelector("input[type=search]");
  var kindSelect = root.querySelector("select[name=kind]");
  var tagSelect = root.querySelector("select[name=tag]");
  var status = root.querySelector("[data-search-status]");
  var list = root.querySelector("[data-search-results]");
  var more = root.querySelector("[data-search-more]");
  var labels = {
    one: root.getAttribute("data-one"),
    many: root.getAttribute("data-many"),
    none: root.getAttribute("data-none"),
    error: root.getAttribute("data-error"),
    kinds: {}
  };
  if (kindSelect) {
    Array.prototype.forEach.call(kindSelect.options, function (o) {
      if (o.value) labels.kinds[o.value] = o.textContent;
    });
  }
  var cache = {};
  var meta = null;
  var lang = "fr";
  var shown = 0;
  var results = [];
  var run = 0;
  var PAGE = 10;

  function get(url) {
    if (!cache[url]) {
      cache[url] = fetch(url).then(function (r) {
        if (!r.ok) throw new Error(url + ": " + r.status);
        return r.json();
      });
    }
    return cache[url];
  }

  var STOP = {
    en: "the and of to in is it for on with as at by an be or are this that from",
    fr: "le la les de des du un une et en au aux qu que qui est pour dans par sur se ce il elle ne pas son sa ses a d l"
  };
  var FRENCH = ["issement", "atrice", "ateur", "ation", "ement", "ance", "ence", "euse", "ment", "ique",
    "isme", "iste", "able", "eur", "ite", "ive", "ee", "er", "ez", "e"];
  var ENGLISH = ["ibility", "ability", "ation", "ment", "ness", "ible", "able", "ing", "ity", "ive",
    "ed", "er", "ly", "al", "e"];

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/œ/g, "oe").replace(/æ/g, "ae").replace(/ß/g, "ss").replace(/[^a-z0-9]+/g, " ");
  }

  function stem(w) {
    if (w.length <= 3 || /[0-9]/.test(w)) return w;
    var english = lang === "en";
    if (english && w.length > 4 && /ies$/.test(w)) return w.slice(0, -3) + "y";
    if ((/s$/.test(w) && !/ss$/.test(w) && !(english && /us$/.test(w))) || (!english && /x$/.test(w))) {
      w = w.slice(0, -1);
    }
    var suffixes = english ? ENGLISH : FRENCH;
    for (var i = 0; i < suffixes.length; i++) {
      var s = suffixes[i];
      if (w.length >= s.length + 3 && w.slice(-s.length) === s) return w.slice(0, -s.length);
    }
    return w;
  }

  function words(text) {
    var stop = (STOP[lang] || STOP.fr).split(" ");
    return fold(text).split(" ").filter(function (w) {
      return w.length > 1 && stop.indexOf(w) < 0;
    });
  }

  // The slices that may hold terms from `from` to `to` (inclusive).
  function slicesFor(from, to) {
    var found = [];
    meta.slices.forEach(function (range, n) {
      if (range[1] >= from && range[0] <= to) found.push(n);
    });
    return found;
  }

  // The weight of each document (0: absent) for one typed word: its stem exactly; and, for the
  // word being typed, every term it begins (weighing less). Numbers in a typed array rather than
  // a map: a common word is in every document of a large site.
  function lookup(word, prefix) {
    var term = stem(word);
    var wanted = slicesFor(term, term);
    if (prefix) {
      slicesFor(word, word + "\uffff").slice(0, 2).forEach(function (n) {
        if (wanted.indexOf(n) < 0) wanted.push(n);
      });
    }
    return Promise.all(wanted.map(function (n) { return get(base + "t/" + n + ".json"); }))
      .then(function (slices) {
        var scores = new Float64Array(meta.count);
        function add(list, factor) {
          var d = 0;
          for (var i = 0; i < list.length; i += 2) {
            d += list[i];
            var w = list[i + 1] * factor;
            if (scores[d] < w) scores[d] = w;
          }
        }
        slices.forEach(function (slice) {
          if (slice[term]) add(slice[term], 1);
          if (!prefix) return;
          for (var t in slice) {
            if (t !== term && t.lastIndexOf(word, 0) === 0) add(slice[t], 0.5);
          }
        });
        return scores;
      });
  }

  // The documents kept by `keep`, best first (ties: in the index's order): those with every word
  // first, any word when none has them all; each document's score the sum of its words'.
  function rank(perWord, keep) {
    var n = meta.count;
    var total = new Float64Array(n);
    var found = 0;
    var max = 0;
    [true, false].some(function (all) {
      for (var d = 0; d < n; d++) {
        if (!keep(d)) continue;
        var sum = 0;
        var missing = false;
        for (var i = 0; i < perWord.length; i++) {
          var s = perWord[i][d];
          if (s === 0) missing = true;
          sum += s;
        }
        if (sum === 0 || (all && missing)) continue;
        total[d] = sum;
        if (sum > max) max = sum;
        found++;
      }
      return found > 0;
    });
    // One number per document, (score, document) packed so that a plain numeric sort orders
    // them: scores are multiples of one half, documents fewer than `scale`.
    var scale = 1;
    while (scale <= n) scale *= 2;
    var keys = new Float64Array(found);
    var k = 0;
    for (var d = 0; d < n; d++) {
      if (total[d] > 0) keys[k++] = Math.round((max - total[d]) * 2) * scale + d;
    }
    keys.sort();
    var ranked = new Array(found);
    for (var j = 0; j < found; j++) ranked[j] = keys[j] % scale;
    return ranked;
  }

  function tagDocs(slug) {
    if (!slug) return Promise.resolve(null);
    return get(base + "g/" + encodeURIComponent(slug) + ".json").then(function (gaps) {
      var set = new Set(), d = 0;
      gaps.forEach(function (g) { d += g; set.add(d); });
      return set;
    });
  }

  function search() {
    var mine = ++run;
    var text = input.value;
    var typed = words(text);
    var kind = kindSelect ? kindSelect.value : "";
    var tag = tagSelect ? tagSelect.value : "";
    var params = new URLSearchParams();
    if (text) params.set("q", text);
    if (kind) params.set("kind", kind);
    if (tag) params.set("tag", tag);
    history.replaceState(null, "", location.pathname + (params.toString() ? "?" + params : ""));
    if (!typed.length && !tag) {
      results = [];
      return show(mine, "");
    }
    var partial = !/\s$/.test(text);
    var lookups = typed.map(function (w, i) { return lookup(w, partial && i === typed.length - 1); });
    Promise.all([Promise.all(lookups), tagDocs(tag)]).then(function (found) {
      if (mine !== run) return;
      var perWord = found[0], inTag = found[1];
      var kindCode = kind ? String(meta.kinds.indexOf(kind).toString(36)) : null;
      function keep(d) {
        return (!inTag || inTag.has(d)) && (kindCode === null || meta.kind_of[d] === kindCode);
      }
      if (!perWord.length) {
        results = [];
        inTag.forEach(function (d) { if (keep(d)) results.push(d); });
        results.sort(function (a, b) { return a - b; });
      } else {
        results = rank(perWord, keep);
      }
      shown = 0;
      list.innerHTML = "";
      return show(mine, text);
    }).catch(function (e) {
      status.textContent = labels.error || String(e);
    });
  }

  // Shows the next PAGE results, each as soon as the documents of its group and of those before
  // it have arrived: the first result does not wait for the groups of the tenth.
  function show(mine, text) {
    if (!results.length) {
      list.innerHTML = "";
      status.textContent = text ? (labels.none || "0").replace("{query}", text) : "";
      if (more) more.hidden = true;
      return Promise.resolve();
    }
    var page = results.slice(shown, shown + PAGE);
    var start = shown;
    shown += page.length;
    var loaded = {};
    var next = 0;
    function append() {
      while (next < page.length && loaded[Math.floor(page[next] / meta.group)]) {
        var d = page[next];
        list.appendChild(item(loaded[Math.floor(d / meta.group)][d % meta.group]));
        if (start === 0 && next === 0 && window.performance && performance.mark) {
          performance.mark("gazette-search-first");
        }
        next++;
      }
    }
    var groups = [];
    page.forEach(function (d) {
      var g = Math.floor(d / meta.group);
      if (groups.indexOf(g) < 0) groups.push(g);
    });
    return Promise.all(groups.map(function (g) {
      return get(base + "d/" + g + ".json").then(function (docs) {
        if (mine !== run) return;
        loaded[g] = docs;
        append();
      });
    })).then(function () {
      if (mine !== run) return;
      var count = results.length;
      status.textContent = (count > 1 ? labels.many || "{n}" : labels.one || "{n}").replace("{n}", count);
      if (more) more.hidden = shown >= results.length;
      if (window.performance && performance.mark) performance.mark("gazette-search-shown");
    });
  }

  function item(doc) {
    var li = document.createElement("li");
    li.className = "search-result";
    var title = document.createElement("a");
    title.href = doc[0];
    title.textContent = doc[1];
    var heading = document.createElement("h2");
    heading.className = "search-result__title";
    heading.appendChild(title);
    li.appendChild(heading);
    var info = document.createElement("p");
    info.className = "search-result__meta";
    var kind = (labels.kinds || {})[doc[2]] || doc[2];
    info.textContent = kind + (doc[3] ? " · " + new Date(doc[3] + "T12:00:00").toLocaleDateString(lang, { year: "numeric", month: "long", day: "numeric" }) : "");
    li.appendChild(info);
    if (doc[4]) {
      var excerpt = document.createElement("p");
      excerpt.className = "search-result__excerpt";
      excerpt.textContent = doc[4];
      li.appendChild(excerpt);
    }
    if (doc[5] && doc[5].length) {
      var tags = document.createElement("p");
      tags.className = "search-result__tags";
      tags.textContent = doc[5].join(" · ");
      li.appendChild(tags);
    }
    return li;
  }

  // A search at the first key typed, then at most one every 30 ms while keys follow each other
  // (the last key always searched): a query typed or pasted at once is searched at once.
  var timer = null;
  var last = -Infinity;
  function soon() {
    clearTimeout(timer);
    var wait = last + 30 - performance.now();
    if (wait <= 0) {
      last = performance.now();
      search();
    } else {
      timer = setTimeout(function () { last = performance.now(); search(); }, wait);
    }
  }

  get(metaUrl).then(function (m) {
    meta = m;
    lang = m.lang;
    if (tagSelect) {
      m.tags.forEach(function (t) {
        var option = document.createElement("option");
        option.value = t[1];
        option.textContent = t[0] + " (" + t[2] + ")";
        tagSelect.appendChild(option);
      });
    }
    if (kindSelect) {
      Array.prototype.slice.call(kindSelect.options).forEach(function (o) {
        if (o.value && m.kinds.indexOf(o.value) < 0) o.remove();
      });
    }
    var params = new URLSearchParams(location.search);
    if (params.get("q")) input.value = params.get("q");
    if (kindSelect && params.get("kind")) kindSelect.value = params.get("kind");
    if (tagSelect && params.get("tag")) tagSelect.value = params.get("tag");
    root.setAttribute("data-ready", "");
    input.addEventListener("input", soon);
    if (kindSelect) kindSelect.addEventListener("change", search);
    if (tagSelect) tagSelect.addEventListener("change", search);
    if (more) more.addEventListener("click", function () { show(run, input.value); });
    form.addEventListener("submit", function (e) { e.preventDefault(); search(); });
    if (input.value || (tagSelect && tagSelect.value)) search();
  }).catch(function (e) {
    status.textContent = labels.error || String(e);
  });
})();
