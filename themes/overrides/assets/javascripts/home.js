// The home page's 本周活动: calendar.js loads the site's month files and draws the upcoming
// activities by the reader's clock into the section (.yp-agenda[data-months]), as on the
// calendar page; this keeps those that start within the section's data-days (today and the
// six days after it) and shows the list. Without JavaScript the section is a link to the
// calendar. Dates here are the activities' own ISO dates ("2027-01-15…"), compared as text.
(function () {
  "use strict";

  function addDays(iso, days) {
    var day = new Date(Date.UTC(+iso.slice(0, 4), +iso.slice(5, 7) - 1, +iso.slice(8, 10)) + days * 86400000);
    return day.toISOString().slice(0, 10);
  }

  function keepWeek(section) {
    var list = section.querySelector(".yp-agenda__list");
    var today = section.querySelector(".yp-agenda__today");
    if (!list || !today || !list.children.length) return;  // calendar.js has not drawn it yet
    var last = addDays(today.getAttribute("datetime"), (+section.getAttribute("data-days") || 7) - 1);
    var shown = 0;
    Array.prototype.forEach.call(list.children, function (item) {
      var time = item.querySelector("time[datetime]");
      if (!time) { item.hidden = true; return; }  // calendar.js's "近期没有活动", or ours below
      item.hidden = time.getAttribute("datetime").slice(0, 10) > last;
      if (!item.hidden) shown += 1;
    });
    var empty = list.querySelector(".yp-week__empty");
    if (!shown && !empty) {
      empty = document.createElement("li");
      empty.className = "yp-week__empty";
      empty.textContent = "这七天没有活动。";
      list.append(empty);  // observed: keepWeek runs once more and changes nothing
    } else if (empty) {
      empty.hidden = shown > 0;
    }
    list.hidden = false;
    section.querySelector(".yp-agenda__note").hidden = false;
  }

  document.querySelectorAll(".yp-agenda[data-days]").forEach(function (section) {
    var list = section.querySelector(".yp-agenda__list");
    if (!list) return;
    new MutationObserver(function () { keepWeek(section); }).observe(list, { childList: true });
    keepWeek(section);
  });
})();
