// hospiscope portal: type-ahead suggestions for the search box (ARIA combobox pattern).
// No inline script anywhere (the Content-Security-Policy forbids it); the portal works
// without JavaScript: the form submits to /recherche.
"use strict";
(function () {
  function setUp(input) {
    var box = document.getElementById(input.getAttribute("aria-controls"));
    var url = input.getAttribute("data-suggest");
    var timer = null, current = -1, asked = "";
    function options() { return box.querySelectorAll("[role=option]"); }
    function close() {
      asked = "";  // an answer still on its way is dropped
      box.hidden = true; input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant"); current = -1;
    }
    function select(index) {
      var items = options();
      if (!items.length) { return; }
      current = (index + items.length) % items.length;
      items.forEach(function (item, i) { item.setAttribute("aria-selected", i === current ? "true" : "false"); });
      input.setAttribute("aria-activedescendant", items[current].id);
    }
    function ask() {
      var q = input.value.trim();
      if (q.length < 2) { close(); return; }
      asked = q;
      fetch(url + "?q=" + encodeURIComponent(q), { headers: { "Accept": "text/html" } })
        .then(function (r) { return r.ok ? r.text() : ""; })
        .then(function (html) {
          if (asked !== q) { return; }
          box.innerHTML = html;  // server-rendered and escaped fragment of the same origin
          var any = box.textContent.trim().length > 0;
          box.hidden = !any; input.setAttribute("aria-expanded", any ? "true" : "false"); current = -1;
        })
        .catch(close);
    }
    input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(ask, 120); });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown") { event.preventDefault(); select(current + 1); }
      else if (event.key === "ArrowUp") { event.preventDefault(); select(current - 1); }
      else if (event.key === "Escape") { close(); }
      else if (event.key === "Enter" && current >= 0) { event.preventDefault(); options()[current].click(); }
    });
    input.addEventListener("blur", function () { setTimeout(close, 200); });
  }
  document.querySelectorAll("input[data-suggest]").forEach(setUp);
})();
// "Autour de ma position": the browser's position (asked only when the user clicks), sent as
// lat/lon to the same search; the button is shown only where the browser can locate.
(function () {
  var button = document.querySelector("button[data-locate]");
  if (!button || !navigator.geolocation) { return; }
  button.hidden = false;
  button.addEventListener("click", function () {
    navigator.geolocation.getCurrentPosition(function (position) {
      var form = button.form, params = new URLSearchParams();
      params.set("q", form.elements.q.value);
      params.set("rayon", form.elements.rayon.value);
      params.set("lat", position.coords.latitude.toFixed(5));
      params.set("lon", position.coords.longitude.toFixed(5));
      window.location.assign("/recherche?" + params.toString());
    }, function () { button.textContent = "Position indisponible"; button.disabled = true; });
  });
})();
