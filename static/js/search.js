/*
 * Search on the search page, from the index the build writes in pieces (handout/search.py describes its files):
 * a small manifest first, then only the term shards the reader's words need and the page details of the results
 * shown. Without JavaScript the page shows links to the glossary and the sections instead; with it, that fallback
 * is hidden and results appear as the reader types.
 *
 * words(), stem() and decode() must give exactly what the Python side gives (tests/browser/test_search.py
 * checks it); window.handoutSearch exposes them for that test.
 */
(function () {
  "use strict";

  var form = document.querySelector(".search-page-form");
  if (!form || !window.fetch || !window.URLSearchParams) {
    return;
  }
  var input = form.querySelector("input[name=q]");
  var status = document.querySelector(".search-status");
  var list = document.querySelector(".search-results");
  var more = document.querySelector(".search-more");
  var fallback = document.querySelector(".search-fallback");
  var root = form.getAttribute("data-root");
  var indexUrl = form.getAttribute("data-index");
  var folder = indexUrl.slice(0, indexUrl.lastIndexOf("/") + 1);

  var FORMAT = 1; // the files' format this script reads (handout/search.py VERSION)
  var PER_PAGE = 50; // results shown at once; "Show more results" adds as many again
  var ALL_WORDS = 2; // pages that have every word the reader typed count this many times more
  var PREFIX_MIN = 3; // the last word also finds longer words that start with it, when it has this many letters
  var PREFIX_WORDS = 20; // at most this many of them, the shortest first
  var PREFIX_SHARDS = 2; // and only from this many shards
  var PREFIX_WEIGHT = 0.5; // a longer word counts half as much as the word itself

  var manifest = null;
  var shards = {}; // shard number -> promise of {keys: [...], postings: {key: [...]}}
  var groups = {}; // page-file number -> promise of [[url, title, summary, section], ...]
  var timer = null;
  var latest = 0; // each search's number: a slow answer to an older search is dropped
  var results = [];
  var shown = 0;

  // Words, as handout/search.py makes them.

  var STOP_WORDS = {};
  ("a an and are as at be but by can do for from has have how i if in is it its may of on or so that the their " +
    "them they this to was what when which who will with you your").split(" ").forEach(function (word) {
    STOP_WORDS[word] = true;
  });

  function words(text) {
    var folded = text.toLowerCase().normalize("NFKD").replace(/[\u0300-\u036f]/g, "");
    return (folded.match(/[a-z0-9]+/g) || []).filter(function (word) {
      return !STOP_WORDS[word] && !(word.length === 1 && word >= "a");
    });
  }

  // The Porter stemmer, as in handout/search.py.

  var STEP2 = {
    ational: "ate", tional: "tion", enci: "ence", anci: "ance", izer: "ize", bli: "ble", alli: "al", entli: "ent",
    eli: "e", ousli: "ous", ization: "ize", ation: "ate", ator: "ate", alism: "al", iveness: "ive", fulness: "ful",
    ousness: "ous", aliti: "al", iviti: "ive", biliti: "ble", logi: "log"
  };
  var STEP3 = { icate: "ic", ative: "", alize: "al", iciti: "ic", ical: "ic", ful: "", ness: "" };
  var STEP4 = "al ance ence er ic able ible ant ement ment ent ion ou ism ate iti ous ive ize".split(" ");

  function endsWith(word, suffix) {
    return word.length >= suffix.length && word.slice(word.length - suffix.length) === suffix;
  }

  function consonants(word) {
    var kinds = [];
    for (var i = 0; i < word.length; i++) {
      var letter = word.charAt(i);
      kinds.push("aeiou".indexOf(letter) < 0 && !(letter === "y" && i > 0 && kinds[i - 1]));
    }
    return kinds;
  }

  function measure(stem) {
    var kinds = consonants(stem);
    var m = 0;
    for (var i = 1; i < kinds.length; i++) {
      if (kinds[i] && !kinds[i - 1]) {
        m++;
      }
    }
    return m;
  }

  function hasVowel(stem) {
    return consonants(stem).indexOf(false) >= 0;
  }

  function doubleConsonant(word) {
    var n = word.length;
    return n >= 2 && word.charAt(n - 1) === word.charAt(n - 2) && consonants(word)[n - 1];
  }

  function cvc(stem) {
    var n = stem.length;
    if (n < 3 || "wxy".indexOf(stem.charAt(n - 1)) >= 0) {
      return false;
    }
    var kinds = consonants(stem);
    return kinds[n - 3] && !kinds[n - 2] && kinds[n - 1];
  }

  function longest(word, suffixes) {
    var found = null;
    suffixes.forEach(function (suffix) {
      if (endsWith(word, suffix) && (found === null || suffix.length > found.length)) {
        found = suffix;
      }
    });
    return found;
  }

  function stem(word) {
    if (word.length <= 2) {
      return word;
    }
    var w = word;
    var suffix, rest, m;
    if (endsWith(w, "sses") || endsWith(w, "ies")) {
      w = w.slice(0, -2);
    } else if (endsWith(w, "s") && !endsWith(w, "ss")) {
      w = w.slice(0, -1);
    }
    if (endsWith(w, "eed")) {
      if (measure(w.slice(0, -3)) > 0) {
        w = w.slice(0, -1);
      }
    } else {
      ["ed", "ing"].some(function (ending) {
        if (!endsWith(w, ending) || !hasVowel(w.slice(0, -ending.length))) {
          return false;
        }
        w = w.slice(0, -ending.length);
        if (endsWith(w, "at") || endsWith(w, "bl") || endsWith(w, "iz")) {
          w += "e";
        } else if (doubleConsonant(w) && "lsz".indexOf(w.charAt(w.length - 1)) < 0) {
          w = w.slice(0, -1);
        } else if (measure(w) === 1 && cvc(w)) {
          w += "e";
        }
        return true;
      });
    }
    if (endsWith(w, "y") && hasVowel(w.slice(0, -1))) {
      w = w.slice(0, -1) + "i";
    }
    [STEP2, STEP3].forEach(function (table) {
      var found = longest(w, Object.keys(table));
      if (found && measure(w.slice(0, -found.length)) > 0) {
        w = w.slice(0, -found.length) + table[found];
      }
    });
    suffix = longest(w, STEP4);
    if (suffix) {
      rest = w.slice(0, -suffix.length);
      if (measure(rest) > 1 && (suffix !== "ion" || endsWith(rest, "s") || endsWith(rest, "t"))) {
        w = rest;
      }
    }
    if (endsWith(w, "e")) {
      rest = w.slice(0, -1);
      m = measure(rest);
      if (m > 1 || (m === 1 && !cvc(rest))) {
        w = rest;
      }
    }
    if (endsWith(w, "ll") && measure(w) > 1) {
      w = w.slice(0, -1);
    }
    return w;
  }

  // Postings are numbers written as text (handout/search.py encode): base 32, one character a digit, the first 32
  // characters ending a number and the other 32 saying more digits follow.
  var DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";
  var DIGIT = {};
  DIGITS.split("").forEach(function (character, i) { DIGIT[character] = i; });

  function decode(text) {
    var numbers = [];
    var n = 0;
    for (var i = 0; i < text.length; i++) {
      var digit = DIGIT[text.charAt(i)];
      n = n * 32 + (digit & 31);
      if (digit < 32) {
        numbers.push(n);
        n = 0;
      }
    }
    return numbers;
  }

  window.handoutSearch = { words: words, stem: stem, decode: decode };

  // The index's files.

  function load(path) {
    return fetch(folder + path + "?v=" + manifest.id).then(function (response) {
      if (!response.ok) {
        throw new Error(path + ": " + response.status);
      }
      return response.json();
    });
  }

  function cached(store, number, path, read) {
    if (!store[number]) {
      store[number] = load(path).then(read, function (error) {
        delete store[number]; // try again on the next search
        throw error;
      });
    }
    return store[number];
  }

  function shard(number) {
    return cached(shards, number, "terms/" + number + ".json", function (entries) {
      var found = { keys: [], postings: {} };
      entries.forEach(function (entry) {
        found.keys.push(entry[0]);
        found.postings[entry[0]] = entry[1];
      });
      return found;
    });
  }

  function group(number) {
    return cached(groups, number, "pages/" + number + ".json", function (pages) { return pages; });
  }

  // The shard whose range holds a key: the last one whose first key is not after it.
  function shardOf(key) {
    var low = 0;
    var high = manifest.shards.length - 1;
    while (low < high) {
      var middle = Math.ceil((low + high) / 2);
      if (manifest.shards[middle] <= key) {
        low = middle;
      } else {
        high = middle - 1;
      }
    }
    return low;
  }

  function own(object, key) {
    return Object.prototype.hasOwnProperty.call(object, key);
  }

  // Searching: add up the weights the build ranked, for each word, pair of neighbouring words and longer word.

  function plan(text) {
    var typed = words(text);
    var stems = [];
    typed.forEach(function (word) {
      var s = stem(word);
      if (stems.indexOf(s) < 0) {
        stems.push(s);
      }
    });
    var pairs = [];
    for (var i = 0; i + 1 < typed.length; i++) {
      pairs.push(stem(typed[i]) + " " + stem(typed[i + 1]));
    }
    // The start the last word shares with its stem ("therap" for "therapy", stemmed "therapi").
    var last = typed[typed.length - 1] || "";
    var lastStem = last ? stem(last) : "";
    var prefix = "";
    while (prefix.length < last.length && last.charAt(prefix.length) === lastStem.charAt(prefix.length)) {
      prefix += last.charAt(prefix.length);
    }
    return { stems: stems, pairs: pairs, last: lastStem, prefix: prefix.length >= PREFIX_MIN ? prefix : "" };
  }

  function search(text) {
    var query = plan(text);
    if (!query.stems.length || !manifest.shards.length) {
      return Promise.resolve([]);
    }
    var needed = {};
    query.stems.concat(query.pairs).forEach(function (key) { needed[shardOf(key)] = true; });
    var prefixShards = [];
    if (query.prefix) {
      var first = shardOf(query.prefix);
      var end = Math.min(shardOf(query.prefix + "\uffff"), first + PREFIX_SHARDS - 1);
      for (var n = first; n <= end; n++) {
        prefixShards.push(n);
        needed[n] = true;
      }
    }
    var numbers = Object.keys(needed).map(Number);
    return Promise.all(numbers.map(shard)).then(function (loaded) {
      var byNumber = {};
      numbers.forEach(function (number, i) { byNumber[number] = loaded[i]; });
      return rank(query, byNumber, prefixShards);
    });
  }

  function postingsOf(key, byNumber) {
    var found = byNumber[shardOf(key)];
    if (!found || !own(found.postings, key)) {
      return [];
    }
    if (typeof found.postings[key] === "string") {
      found.postings[key] = decode(found.postings[key]); // once, when first needed
    }
    return found.postings[key];
  }

  // Each page's weight for a key, times factor, kept where it beats what the page has already.
  function best(into, postings, factor) {
    var page = 0;
    for (var i = 0; i < postings.length; i += 2) {
      page += postings[i];
      var weight = postings[i + 1] * factor;
      if (!own(into, page) || into[page] < weight) {
        into[page] = weight;
      }
    }
  }

  function longer(query, byNumber, prefixShards) {
    var found = [];
    prefixShards.forEach(function (number) {
      byNumber[number].keys.forEach(function (key) {
        if (key.indexOf(query.prefix) === 0 && key.indexOf(" ") < 0 && key !== query.last) {
          found.push(key);
        }
      });
    });
    found.sort(function (a, b) { return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0); });
    return found.slice(0, PREFIX_WORDS);
  }

  function rank(query, byNumber, prefixShards) {
    var scores = {};
    var matched = {};
    query.stems.forEach(function (key) {
      var weights = {};
      best(weights, postingsOf(key, byNumber), 1);
      if (key === query.last && query.prefix) {
        longer(query, byNumber, prefixShards).forEach(function (other) {
          best(weights, postingsOf(other, byNumber), PREFIX_WEIGHT);
        });
      }
      Object.keys(weights).forEach(function (page) {
        scores[page] = (scores[page] || 0) + weights[page];
        matched[page] = (matched[page] || 0) + 1;
      });
    });
    query.pairs.forEach(function (key) {
      var weights = {};
      best(weights, postingsOf(key, byNumber), 1);
      Object.keys(weights).forEach(function (page) {
        scores[page] = (scores[page] || 0) + weights[page];
      });
    });
    var found = Object.keys(scores).map(function (page) {
      var all = query.stems.length > 1 && matched[page] === query.stems.length;
      return { page: Number(page), score: scores[page] * (all ? ALL_WORDS : 1) };
    });
    found.sort(function (a, b) { return b.score - a.score || a.page - b.page; });
    return found;
  }

  // Showing results.

  function details(pages) {
    var numbers = [];
    pages.forEach(function (page) {
      var number = Math.floor(page / manifest.group);
      if (numbers.indexOf(number) < 0) {
        numbers.push(number);
      }
    });
    return Promise.all(numbers.map(group)).then(function (loaded) {
      var byNumber = {};
      numbers.forEach(function (number, i) { byNumber[number] = loaded[i]; });
      return pages.map(function (page) {
        return byNumber[Math.floor(page / manifest.group)][page % manifest.group];
      });
    });
  }

  function item(page) {
    var li = document.createElement("li");
    var link = document.createElement("a");
    link.href = root + page[0];
    link.textContent = page[1];
    var summary = document.createElement("p");
    summary.textContent = page[2];
    li.appendChild(link);
    li.appendChild(summary);
    if (page[3] >= 0) {
      var section = document.createElement("p");
      section.className = "search-section";
      section.textContent = "Section: " + manifest.sections[page[3]];
      li.appendChild(section);
    }
    return li;
  }

  // The next PER_PAGE results; then the first of them gets the focus, when asked (after "Show more results").
  function showMore(number, focus) {
    var next = results.slice(shown, shown + PER_PAGE).map(function (result) { return result.page; });
    return details(next).then(function (pages) {
      if (number !== latest) {
        return;
      }
      var first = null;
      pages.forEach(function (page) {
        var li = item(page);
        first = first || li.firstChild;
        list.appendChild(li);
      });
      shown += pages.length;
      more.hidden = shown >= results.length;
      if (focus && first) {
        first.focus();
      }
    });
  }

  function failed() {
    status.textContent = "Search could not start. Use the glossary and the section pages instead.";
    fallback.hidden = false;
    more.hidden = true;
  }

  function show(text) {
    var number = ++latest;
    list.textContent = "";
    more.hidden = true;
    results = [];
    shown = 0;
    if (!words(text).length) {
      status.textContent = "";
      return;
    }
    search(text)
      .then(function (found) {
        if (number !== latest) {
          return null;
        }
        results = found;
        if (!found.length) {
          status.textContent = "No pages match \u201c" + text + "\u201d. Try another word, or look in the glossary.";
          return null;
        }
        return showMore(number, false).then(function () {
          if (number === latest) {
            status.textContent = found.length + (found.length === 1 ? " page matches" : " pages match") +
              " \u201c" + text + "\u201d.";
          }
        });
      })
      .catch(function () {
        if (number === latest) {
          failed();
        }
      });
  }

  function update() {
    var text = input.value.trim();
    var url = new URL(window.location.href);
    if (text) {
      url.searchParams.set("q", text);
    } else {
      url.searchParams.delete("q");
    }
    window.history.replaceState(null, "", url);
    show(text);
  }

  fallback.hidden = true;
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    window.clearTimeout(timer);
    if (manifest) {
      update();
    }
  });
  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    if (manifest) {
      timer = window.setTimeout(update, 200);
    }
  });
  more.addEventListener("click", function () {
    if (more.disabled) {
      return;
    }
    more.disabled = true; // until these results are in, so a second click does not show them twice
    showMore(latest, true)
      .catch(failed)
      .then(function () { more.disabled = false; });
  });

  status.textContent = "Loading the search index\u2026";
  // The manifest is checked with the server each time (it is small), so it always names this build's files.
  fetch(indexUrl, { cache: "no-cache" })
    .then(function (response) {
      if (!response.ok) {
        throw new Error("index: " + response.status);
      }
      return response.json();
    })
    .then(function (data) {
      if (data.version !== FORMAT) {
        throw new Error("index format " + data.version);
      }
      manifest = data;
      status.textContent = "";
      input.value = new URLSearchParams(window.location.search).get("q") || input.value;
      show(input.value.trim());
    })
    .catch(failed);
})();
