// Activity calendars: "upcoming" is decided here, with the reader's clock, because a static
// page may be read weeks after it was built. The page's own lists (from the build's
// reference date) stay as they are when this script does not run. On the site calendar
// this script also runs the filters (street, theme, month), whose state is the page's URL.
(function () {
  "use strict";

  var TZ = "Asia/Shanghai";
  var WEEKDAYS = "日一二三四五六";

  function todayInChina() {
    var parts = new Intl.DateTimeFormat("en-CA", { timeZone: TZ, year: "numeric", month: "2-digit", day: "2-digit" })
      .formatToParts(new Date());
    var get = function (type) { return parts.filter(function (p) { return p.type === type; })[0].value; };
    return get("year") + "-" + get("month") + "-" + get("day");
  }

  // Not yet over: an all-day event through its last day, a timed one until its end (or start).
  function isUpcoming(o, now, today) {
    if (o.all_day) return (o.end || o.start) >= today;
    return Date.parse(o.end || o.start) >= now;
  }

  // Dates and times are shown as written (wall time of the activity's own time zone).
  function dayOf(iso) {
    var y = +iso.slice(0, 4), m = +iso.slice(5, 7), d = +iso.slice(8, 10);
    return { y: y, m: m, d: d, weekday: new Date(Date.UTC(y, m - 1, d)).getUTCDay() };
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  // As the page template writes it (_calendar.md.j2 ``when``): day, weekday, hours.
  function when(o) {
    var day = dayOf(o.start);
    var time = element("time", "yp-event__when");
    time.setAttribute("datetime", o.start);
    var hours;
    if (!o.all_day) hours = o.start.slice(11, 16) + (o.end ? "–" + o.end.slice(11, 16) : "");
    else if (o.end && o.end !== o.start) hours = "至" + dayOf(o.end).m + "月" + dayOf(o.end).d + "日";
    else hours = "全天";
    time.append(element("span", "yp-event__day", day.m + "月" + day.d + "日"), " ",
      element("span", "yp-event__weekday", "周" + WEEKDAYS[day.weekday]), " ",
      element("span", "yp-event__time", hours));
    return time;
  }

  // One occurrence on one line. ``options``: ics (a link to the activity's .ics on the line),
  // over (it has ended: the site calendar's month lists show whole months).
  function eventItem(o, root, withCase, options) {
    options = options || {};
    var li = element("li", "yp-event" + (o.status === "cancelled" ? " yp-event--cancelled" : "") +
      (options.over ? " yp-event--past" : ""));
    var what = element("span", "yp-event__what");
    what.append(element("span", "yp-event__title", o.title));
    if (o.example) what.append(" ", element("strong", "yp-example", "示例活动"));
    if (o.status === "cancelled") what.append(" ", element("strong", "yp-event__status", "已取消"));
    if (options.over) what.append(" ", element("span", "yp-event__over", "已结束"));
    if (withCase || o.location) {
      var meta = element("span", "yp-event__meta");
      if (withCase) {
        var link = element("a", "yp-event__case", o.brand + " · " + o.community);
        link.href = address(root, o.url);
        meta.append(link);
      }
      if (o.location) meta.append(" ", element("span", "yp-event__place", o.location));
      what.append(" ", meta);
    }
    if (options.ics) {
      var ics = element("a", "yp-event__ics", "添加到日历");
      ics.href = address(root, o.ics);
      ics.setAttribute("download", "");
      what.append(" ", ics);
    }
    li.append(when(o), " ", what);
    return li;
  }

  // Lines grouped by month under a heading each, as the template's ``months_list``.
  function drawMonths(container, occurrences, root, withCase, options, empty) {
    container.replaceChildren();
    var list = null, current = "";
    occurrences.forEach(function (o) {
      var month = o.start.slice(0, 7);
      if (month !== current) {
        current = month;
        container.append(element("h3", "yp-agenda__month", +month.slice(0, 4) + "年" + +month.slice(5, 7) + "月"));
        list = element("ol", "yp-agenda__list");
        container.append(list);
      }
      list.append(eventItem(o, root, withCase, options && options(o)));
    });
    if (!occurrences.length) container.append(element("p", "yp-agenda__empty", empty));
  }

  // This site's addresses are site-relative; a portal's members' are http(s) on their own
  // sites (the build has checked them), and nothing else becomes a link.
  function address(root, url) {
    if (/^https?:\/\//.test(url)) return url;
    return /^[a-z][a-z0-9+.-]*:/i.test(url) || url.slice(0, 2) === "//" ? "#" : root + url;
  }

  function rootOf(node) {
    var root = node.getAttribute("data-root") || "./";
    return root.slice(-1) === "/" ? root : root + "/";
  }

  // ``data-days``: only what starts within that many days from today (the home page's week).
  function withinDays(section, today) {
    var days = +section.getAttribute("data-days");
    if (!days) return function () { return true; };
    var t = dayOf(today);
    var end = new Date(Date.UTC(t.y, t.m - 1, t.d) + days * 86400000).toISOString().slice(0, 10);
    return function (o) { return o.start.slice(0, 10) < end; };
  }

  function drawAgenda(section, occurrences, now, today) {
    var limit = +section.getAttribute("data-limit") || 10;
    var withCase = !section.hasAttribute("data-case-hidden");
    var soon = withinDays(section, today);
    var upcoming = occurrences.filter(function (o) { return isUpcoming(o, now, today) && soon(o); }).slice(0, limit);
    var months = section.querySelector(".yp-agenda__months");
    if (section.hasAttribute("data-grouped") && months) {
      drawMonths(months, upcoming, rootOf(section), withCase, null, "近期没有活动。");
    } else {
      var list = section.querySelector(".yp-agenda__list");
      list.replaceChildren();
      upcoming.forEach(function (o) { list.append(eventItem(o, rootOf(section), withCase, { ics: true })); });
      if (!upcoming.length) list.append(element("li", "yp-agenda__empty", "近期没有活动。"));
    }
    var mark = section.querySelector(".yp-agenda__today");
    var day = dayOf(today);
    mark.setAttribute("datetime", today);
    mark.textContent = "今天（" + day.y + "年" + day.m + "月" + day.d + "日）";
  }

  // "2027-01" plus or minus whole months.
  function addMonths(month, count) {
    var index = +month.slice(0, 4) * 12 + +month.slice(5, 7) - 1 + count;
    var m = index % 12 + 1;
    return Math.floor(index / 12) + "-" + (m < 10 ? "0" : "") + m;
  }

  // The compact form (each activity once, then [activity, start, end]) → occurrences.
  function expand(compact) {
    return compact.at.map(function (row) {
      return Object.assign({ start: row[1], end: row[2] }, compact.series[row[0]]);
    });
  }

  var months = {};
  function loadMonth(node, month) {
    var url = rootOf(node) + node.getAttribute("data-months") + month + ".json";
    if (!months[url]) {
      months[url] = fetch(url).then(function (response) {
        return response.ok ? response.json().then(expand) : [];
      });
    }
    return months[url];
  }

  // The whole site's calendar reads month files from today's month on (and the month before,
  // for activities still running) until it has enough or reaches the end of the window.
  function loadUpcoming(section, now, today) {
    var limit = +section.getAttribute("data-limit") || 10;
    var last = section.getAttribute("data-window-to").slice(0, 7);
    var days = +section.getAttribute("data-days");
    if (days) {   // no further than the month that many days ahead
      var t = dayOf(today);
      var end = new Date(Date.UTC(t.y, t.m - 1, t.d) + days * 86400000).toISOString().slice(0, 7);
      if (end < last) last = end;
    }
    var found = [];
    function from(month) {
      return loadMonth(section, month).then(function (list) {
        found = found.concat(list.filter(function (o) { return isUpcoming(o, now, today); }));
        return found.length >= limit || month >= last ? found : from(addMonths(month, 1));
      });
    }
    return from(addMonths(today.slice(0, 7), -1));
  }

  function drawMonth(box, occurrences, month) {
    var table = box.querySelector("table");
    var year = +month.slice(0, 4), number = +month.slice(5, 7);
    table.querySelector("caption").textContent = year + "年" + number + "月";
    var byDay = {};
    occurrences.forEach(function (o) { (byDay[o.start.slice(0, 10)] = byDay[o.start.slice(0, 10)] || []).push(o); });
    var body = table.querySelector("tbody");
    body.replaceChildren();
    var first = new Date(Date.UTC(year, number - 1, 1));
    var day = new Date(first.getTime() - ((first.getUTCDay() + 6) % 7) * 86400000);
    while (day.getUTCMonth() === first.getUTCMonth() || day < first || day.getUTCDay() !== 1) {
      if (day.getUTCDay() === 1) body.append(element("tr"));
      var cell = element("td", day.getUTCMonth() === first.getUTCMonth() ? "" : "yp-month__out");
      cell.append(element("span", "yp-month__day", String(day.getUTCDate())));
      var events = byDay[day.toISOString().slice(0, 10)] || [];
      events.slice(0, 3).forEach(function (o) {
        var item = element("span", "yp-month__event" + (o.status === "cancelled" ? " yp-event--cancelled" : "") +
          (o.example ? " yp-month__event--example" : ""));
        // An invented example activity is marked as one here too (Activity.example).
        if (o.example) item.append(element("strong", "yp-example", "示例"));
        item.append(o.title);
        cell.append(item);
      });
      if (events.length > 3) cell.append(element("span", "yp-month__more", "另 " + (events.length - 3) + " 项"));
      body.lastChild.append(cell);
      day = new Date(day.getTime() + 86400000);
    }
  }

  // 上个月 and 下个月 before a month grid: [previous, next]. The site calendar has them in
  // its page already (shown from the start, so that nothing moves, and disabled until here).
  function monthButtons(grid) {
    var nav = grid.previousElementSibling;
    if (nav && nav.classList.contains("yp-month__nav")) {
      nav.hidden = false;
      return Array.prototype.slice.call(nav.querySelectorAll("button"));
    }
    nav = element("p", "yp-month__nav");
    var previous = element("button", "md-button", "上个月");
    var next = element("button", "md-button", "下个月");
    previous.type = next.type = "button";
    nav.append(previous, " ", next);
    grid.before(nav);
    return [previous, next];
  }

  // ``load(month)``: a promise of that month's occurrences.
  function monthNavigation(box, today, load) {
    var from = box.getAttribute("data-window-from").slice(0, 7);
    var to = box.getAttribute("data-window-to").slice(0, 7);
    var current = today.slice(0, 7);
    if (current < from) current = from;
    if (current > to) current = to;
    var buttons = monthButtons(box), previous = buttons[0], next = buttons[1];
    function show() {
      previous.disabled = current <= from;
      next.disabled = current >= to;
      var month = current;
      load(month).then(function (list) { if (month === current) drawMonth(box, list, month); });
    }
    previous.addEventListener("click", function () { current = addMonths(current, -1); show(); });
    next.addEventListener("click", function () { current = addMonths(current, 1); show(); });
    show();
  }

  // A case's or a street's grid has no table in the page: it is drawn here from the
  // page's own occurrences (the agenda above it is the view without JavaScript).
  function ownGrid(box) {
    var table = element("table", "yp-month__grid");
    table.append(element("caption"));
    var head = element("tr");
    "一二三四五六日".split("").forEach(function (d) {
      var th = element("th", "", "周" + d);
      th.scope = "col";
      head.append(th);
    });
    var thead = element("thead");
    thead.append(head);
    table.append(thead, element("tbody"));
    box.append(table);
    box.hidden = false;
  }

  // The site calendar: the filters' state is the URL (?street=…&theme=…&month=YYYY-MM), so a
  // link or a reload shows the same, and back and forward step through the choices.
  function sitePage(section, grid, form, now, today) {
    var from = section.getAttribute("data-window-from").slice(0, 7);
    var to = section.getAttribute("data-window-to").slice(0, 7);
    var fields = { street: form.querySelector("[name=street]"), theme: form.querySelector("[name=theme]"),
      month: form.querySelector("[name=month]") };
    var first = today.slice(0, 7) < from ? from : today.slice(0, 7) > to ? to : today.slice(0, 7);
    var state = {};

    function allowed(select, value) {
      return !!select && !!value && Array.prototype.some.call(select.options, function (o) { return o.value === value; });
    }

    function fromAddress() {
      var query = new URLSearchParams(location.search);
      var month = query.get("month") || "";
      return {
        month: /^\d{4}-\d{2}$/.test(month) && month >= from && month <= to ? month : first,
        street: allowed(fields.street, query.get("street")) ? query.get("street") : "",
        theme: allowed(fields.theme, query.get("theme")) ? query.get("theme") : ""
      };
    }

    function address() {
      var query = new URLSearchParams();
      if (state.street) query.set("street", state.street);
      if (state.theme) query.set("theme", state.theme);
      query.set("month", state.month);
      return location.pathname + "?" + query.toString() + location.hash;
    }

    function matches(o) {
      return (!state.street || o.street === state.street) &&
        (!state.theme || (o.themes || []).indexOf(state.theme) >= 0);
    }

    var buttons = monthButtons(grid), previous = buttons[0], next = buttons[1];
    var count = section.querySelector(".yp-agenda__count");
    var months = section.querySelector(".yp-agenda__months");

    function show() {
      ["street", "theme", "month"].forEach(function (name) { if (fields[name]) fields[name].value = state[name]; });
      previous.disabled = state.month <= from;
      next.disabled = state.month >= to;
      var wanted = address();
      loadMonth(grid, state.month).then(function (list) {
        if (wanted !== address()) return;   // a later choice is being drawn
        var shown = list.filter(matches);
        drawMonth(grid, shown, state.month);
        var year = +state.month.slice(0, 4), number = +state.month.slice(5, 7);
        count.textContent = year + "年" + number + "月" + (state.street || state.theme ? "符合条件的" : "") +
          "共 " + shown.length + " 项活动";
        drawMonths(months, shown, rootOf(section), true, function (o) {
          return { over: !isUpcoming(o, now, today) };
        }, state.street || state.theme ? "这个月没有符合条件的活动。" : "这个月没有活动。");
      }, function () {});
    }

    function choose(changes) {
      Object.keys(changes).forEach(function (name) { state[name] = changes[name]; });
      history.pushState(null, "", address());
      show();
    }

    form.addEventListener("change", function (event) {
      var changes = {};
      changes[event.target.name] = event.target.value;
      choose(changes);
    });
    form.addEventListener("reset", function (event) {
      event.preventDefault();
      choose({ street: "", theme: "" });
    });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    previous.addEventListener("click", function () { choose({ month: addMonths(state.month, -1) }); });
    next.addEventListener("click", function () { choose({ month: addMonths(state.month, 1) }); });
    window.addEventListener("popstate", function () { state = fromAddress(); show(); });
    var mark = section.querySelector(".yp-agenda__today");
    var day = dayOf(today);
    mark.setAttribute("datetime", today);
    mark.textContent = "今天（" + day.y + "年" + day.m + "月" + day.d + "日）";
    form.hidden = false;
    state = fromAddress();
    show();
  }

  function init() {
    var now = Date.now(), today = todayInChina(), own = [];
    var site = document.querySelector(".yp-agenda--month[data-months]:not([data-live])");
    var form = document.querySelector(".yp-filters");
    var siteGrid = document.querySelector(".yp-month[data-months]:not([data-live])");
    if (site && form && siteGrid) {
      site.setAttribute("data-live", "");
      siteGrid.setAttribute("data-live", "");
      sitePage(site, siteGrid, form, now, today);
    }
    document.querySelectorAll(".yp-agenda:not(.yp-agenda--month)").forEach(function (section) {
      var embedded = section.querySelector(".yp-agenda__data");
      if (embedded) own = expand(JSON.parse(embedded.textContent));
      var loading = embedded ? Promise.resolve(own) : loadUpcoming(section, now, today);
      // Without the data (a failed request) the build's own list stays.
      loading.then(function (list) { drawAgenda(section, list, now, today); }, function () {});
    });
    document.querySelectorAll(".yp-month:not([data-live])").forEach(function (box) {
      box.setAttribute("data-live", "");
      if (!box.hasAttribute("data-months")) ownGrid(box);
      monthNavigation(box, today, box.hasAttribute("data-months")
        ? function (month) { return loadMonth(box, month); }
        : function (month) {
          return Promise.resolve(own.filter(function (o) { return o.start.slice(0, 7) === month; }));
        });
    });
  }

  if (window.document$) window.document$.subscribe(init);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
