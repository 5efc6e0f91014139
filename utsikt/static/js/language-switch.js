// The language switch returns to the page as it is now, with what the person has typed:
// a GET form marked data-keep-on-language-switch (the grant page) goes along in `next`,
// and so does an address htmx has changed since the page was served.
document.addEventListener("submit", function (event) {
  var switcher = event.target;
  if (!switcher.matches || !switcher.matches("form.language-switch")) return;
  var next = switcher.querySelector("input[name=next]");
  if (!next) return;
  var kept = document.querySelector("form[data-keep-on-language-switch]");
  var query = kept ? new URLSearchParams(new FormData(kept)).toString() : location.search.slice(1);
  next.value = location.pathname + (query ? "?" + query : "");
});
