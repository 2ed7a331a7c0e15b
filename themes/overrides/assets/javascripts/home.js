// The home page's 本周活动: calendar.js loads the site's month files and draws the activities
// of the section's data-days (today and the six days after it) by the reader's clock, as on
// the calendar page. The list and its note wait hidden until it has (without JavaScript the
// section is a link to the calendar); then they are shown, the empty list saying so for a week.
(function () {
  "use strict";

  function show(section) {
    var list = section.querySelector(".yp-agenda__list");
    if (!list.children.length) return;  // calendar.js has not drawn it yet
    var empty = list.querySelector(".yp-agenda__empty");
    if (empty && empty.textContent !== "这七天没有活动。") empty.textContent = "这七天没有活动。";
    list.hidden = false;
    section.querySelector(".yp-agenda__note").hidden = false;
  }

  document.querySelectorAll(".yp-agenda[data-days]").forEach(function (section) {
    var list = section.querySelector(".yp-agenda__list");
    if (!list || !section.querySelector(".yp-agenda__note")) return;
    new MutationObserver(function () { show(section); }).observe(list, { childList: true });
    show(section);
  });
})();
