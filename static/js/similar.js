// While the title is typed, show existing submissions that look alike.
// Progressive enhancement: without JavaScript the same list appears before submitting.
(function () {
  "use strict";
  var box = document.getElementById("similar-live");
  var title = document.getElementById("title");
  if (!box || !title || !window.fetch) { return; }
  var timer = null;
  var last = "";

  function render(items) {
    box.textContent = "";
    if (!items.length) { return; }
    var heading = document.createElement("p");
    heading.className = "similar-live__title";
    heading.textContent = box.getAttribute("data-heading") || "Lijkt uw melding op een van deze? Steun dan liever het bestaande knelpunt:";
    box.appendChild(heading);
    var list = document.createElement("ul");
    items.forEach(function (item) {
      var li = document.createElement("li");
      var link = document.createElement("a");
      link.href = item.url + "#support";
      link.textContent = item.title;
      li.appendChild(link);
      li.appendChild(document.createTextNode(" (" + item.status + ", " + item.support + ")"));
      list.appendChild(li);
    });
    box.appendChild(list);
  }

  function lookup() {
    var text = title.value.trim();
    if (text === last) { return; }
    last = text;
    if (text.length < 5) { render([]); return; }
    var url = box.getAttribute("data-url") + "?title=" + encodeURIComponent(text);
    var exclude = box.getAttribute("data-exclude");
    if (exclude) { url += "&exclude=" + encodeURIComponent(exclude); }
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : []; })
      .then(render)
      .catch(function () { render([]); });
  }

  title.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(lookup, 400);
  });
})();
