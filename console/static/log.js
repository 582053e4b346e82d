// Sluice console: an action's log follows its run. The page draws the log so far; this
// script reads the rest from the page's log stream (Server-Sent Events: "line" events, then
// one "end" with the run's final status) and appends it. Lines show when they were written;
// a line the server has no time for shows when it reached the browser.
const log = document.getElementById("log");
const state = document.getElementById("log-state");
const clock = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit", second: "2-digit" });
const exact = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "medium" });

function stamp(el, when) {
  el.textContent = clock.format(when);
  el.title = exact.format(when);
  el.setAttribute("datetime", when.toISOString());
}

// Times drawn by the server are in UTC: show them in the browser's time zone.
function localize() {
  for (const t of log.querySelectorAll("time.ts[datetime]")) {
    const d = new Date(t.getAttribute("datetime"));
    if (!isNaN(d)) stamp(t, d);
  }
}

function append(line) {
  const atBottom = log.scrollTop + log.clientHeight >= log.scrollHeight - 4;
  const row = document.createElement("span");
  row.className = "ln";
  const t = document.createElement("time");
  t.className = "ts";
  const when = line.t ? new Date(line.t) : new Date();
  if (!line.t) t.classList.add("received");
  stamp(t, when);
  row.append(t, document.createTextNode(line.text));
  log.append(row, "\n");
  if (atBottom) log.scrollTop = log.scrollHeight;
}

function end(result) {
  const badge = document.getElementById("run-status");
  if (badge) {
    badge.textContent = result.status;
    badge.className = "status " + result.class;
  }
  if (state) state.textContent = "The run ended: " + result.status + ".";
}

function follow() {
  const url = log.dataset.stream;
  if (!url || !window.EventSource) return;
  const events = new EventSource(url);
  if (state) state.textContent = "Following the log live…";
  events.addEventListener("line", (e) => append(JSON.parse(e.data)));
  events.addEventListener("end", (e) => {
    events.close();
    end(JSON.parse(e.data));
  });
}

if (log) {
  localize();
  follow();
}
