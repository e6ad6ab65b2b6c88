/* evidence report: small progressive enhancements, plain JavaScript, nothing from the network.
   Every page works without it: the claim explorer then lists every claim, and a highlighted
   claim in an annotated article is a link to its card. */
(function () {
  "use strict";

  function ready(fn) {
    if (document.readyState !== "loading") fn(); else document.addEventListener("DOMContentLoaded", fn);
  }

  /* ---- the claim explorer: filter by article, verdict, kind of claim and text ---- */
  function explorer() {
    var form = document.getElementById("ev-filters");
    if (!form) return;
    form.hidden = false;
    var cards = Array.prototype.slice.call(document.querySelectorAll("[data-claim]"));
    var sections = Array.prototype.slice.call(document.querySelectorAll("[data-article-section]"));
    var count = document.getElementById("ev-count");
    var controls = Array.prototype.slice.call(form.querySelectorAll("[data-filter]"));
    var clear = document.getElementById("ev-clear");
    if (clear) {
      clear.addEventListener("click", function () {
        controls.forEach(function (el) { el.value = ""; });
        apply();
      });
    }
    var text = cards.map(function (c) { return c.textContent.toLowerCase().replace(/\s+/g, " "); });
    var HOLDS = { "accurate": true, "accurate_missing_context": true };

    function value(name) {
      var el = form.querySelector('[data-filter="' + name + '"]');
      return el ? el.value.trim() : "";
    }

    function apply() {
      var art = value("article"), ver = value("verdict"), typ = value("type");
      var words = value("text").toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      cards.forEach(function (c, i) {
        var v = c.getAttribute("data-verdict");
        var ok = (!art || c.getAttribute("data-article") === art) &&
          (!typ || c.getAttribute("data-type") === typ) &&
          (!ver || (ver === "-holds" ? HOLDS[v] : ver === "-fails" ? !HOLDS[v] : v === ver)) &&
          words.every(function (w) { return text[i].indexOf(w) >= 0; });
        c.hidden = !ok;
        if (ok) shown += 1;
      });
      var filtering = controls.some(function (el) { return el.value.trim() !== ""; });
      sections.forEach(function (s) {
        var all = s.querySelectorAll("[data-claim]").length;
        var visible = s.querySelectorAll("[data-claim]:not([hidden])").length;
        s.hidden = visible === 0;
        var sc = s.querySelector("[data-section-count]");
        if (sc) {
          sc.hidden = !filtering;
          sc.textContent = filtering ? "Showing " + visible + " of " + all + " claims of this article." : "";
        }
      });
      count.textContent = shown === cards.length ? "Showing all " + cards.length + " claims." :
        shown === 0 ? "No claim matches these filters." :
        "Showing " + shown + " of " + cards.length + " claims.";
      if (clear) clear.hidden = !filtering;
      var state = controls.map(function (el) { return el.value ? el.getAttribute("data-filter") + "=" + encodeURIComponent(el.value) : ""; })
        .filter(Boolean).join("&");
      if (window.history && history.replaceState && !/^#claim-/.test(location.hash)) {
        history.replaceState(null, "", state ? "#" + state : location.pathname + location.search);
      }
    }

    // filters can come from the address: #verdict=contradicted&article=000_...
    if (location.hash && !/^#claim-/.test(location.hash)) {
      location.hash.slice(1).split("&").forEach(function (kv) {
        var p = kv.split("=");
        var el = form.querySelector('[data-filter="' + p[0] + '"]');
        if (el && p.length === 2) el.value = decodeURIComponent(p[1]);
      });
    }
    controls.forEach(function (el) {
      el.addEventListener(el.tagName === "INPUT" ? "input" : "change", apply);
    });
    apply();
  }

  /* ---- the annotated article: a highlighted claim shows its card in place ---- */
  function popups() {
    var links = document.querySelectorAll("a.ev-hl[data-claim-ref]");
    if (!links.length) return;
    var open = null;

    function close() {
      if (open) { open.parentNode.removeChild(open); open = null; }
    }

    Array.prototype.forEach.call(links, function (a) {
      a.addEventListener("click", function (ev) {
        var card = document.getElementById("claim-" + a.getAttribute("data-claim-ref"));
        if (!card || ev.metaKey || ev.ctrlKey || ev.shiftKey) return;   // plain link: go to the card
        ev.preventDefault();
        close();
        var pop = card.cloneNode(true);
        pop.removeAttribute("id");
        pop.classList.add("ev-pop");
        pop.setAttribute("role", "dialog");
        pop.setAttribute("aria-label", "Claim " + a.getAttribute("data-claim-ref"));
        var btn = document.createElement("button");
        btn.className = "ev-close";
        btn.type = "button";
        btn.setAttribute("aria-label", "Close");
        btn.textContent = "×";
        btn.addEventListener("click", close);
        pop.insertBefore(btn, pop.firstChild);
        document.body.appendChild(pop);
        var r = a.getBoundingClientRect();
        var w = pop.offsetWidth;
        var left = Math.max(8, Math.min(r.left + window.scrollX, window.scrollX + document.documentElement.clientWidth - w - 8));
        pop.style.left = left + "px";
        pop.style.top = (r.bottom + window.scrollY + 6) + "px";
        open = pop;
        btn.focus();
      });
    });
    document.addEventListener("keydown", function (ev) { if (ev.key === "Escape") close(); });
    document.addEventListener("click", function (ev) {
      if (open && !open.contains(ev.target) && !ev.target.closest("a.ev-hl")) close();
    });
  }

  /* ---- a table or figure wider than the screen scrolls in its own box: say so above it ---- */
  function cues() {
    // every box that scrolls sideways by itself (a table, a chart's frame), whatever made it one
    var boxes = Array.prototype.filter.call(document.querySelectorAll("div, table, figure"), function (el) {
      var o = getComputedStyle(el).overflowX;
      return o === "auto" || o === "scroll";
    });
    boxes.forEach(function (box) {
      var cue = box.previousElementSibling;
      var has = cue && cue.classList && cue.classList.contains("ev-live");
      var wide = box.scrollWidth > box.clientWidth + 2;
      if (wide && !has) {
        cue = document.createElement("p");
        cue.className = "ev-scroll-cue ev-live";
        cue.textContent = "Scroll sideways to see all of it \u2192";
        box.parentNode.insertBefore(cue, box);
      } else if (!wide && has) {
        cue.parentNode.removeChild(cue);
      }
    });
  }

  ready(function () {
    explorer(); popups(); cues();
    var t = null;
    window.addEventListener("resize", function () { clearTimeout(t); t = setTimeout(cues, 150); });
  });
})();
