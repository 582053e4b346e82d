// Sluice console: what JavaScript adds to pages that work without it. Times are shown in
// the browser's time zone, and a page marked data-live follows the server: on a change it
// refetches its own content (the server renders it) and swaps it in.
const main = document.getElementById("main");

function localTimes(root) {
  const fmt = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "medium" });
  for (const t of root.querySelectorAll("time[datetime]")) {
    const d = new Date(t.getAttribute("datetime"));
    if (!isNaN(d)) t.title = fmt.format(d);
  }
}

function follow() {
  const scope = main && main.dataset.live;
  if (!scope || !window.EventSource) return;
  const url = scope === "*" ? "/live" : "/live?pipeline=" + encodeURIComponent(scope);
  const events = new EventSource(url);
  let pending = false;
  const refresh = async () => {
    if (pending) return;
    pending = true;
    await new Promise((r) => setTimeout(r, 250)); // one refetch for a burst of changes
    pending = false;
    // Keep what the user is typing or has open: skip while a field in the page has focus.
    const active = document.activeElement;
    if (active && main.contains(active) && active.matches("input, textarea, select")) return;
    try {
      const resp = await fetch(location.href, { headers: { "X-Sluice-Fragment": "1" }, credentials: "same-origin" });
      if (!resp.ok) return;
      const html = await resp.text();
      const open = [...main.querySelectorAll("details[open][id]")].map((d) => d.id);
      main.innerHTML = html;
      for (const id of open) document.getElementById(id)?.setAttribute("open", "");
      localTimes(main);
      document.dispatchEvent(new CustomEvent("sluice:refreshed"));
    } catch (_) { /* the next change or reconnect tries again */ }
  };
  let connected = false; // the first hello is this page's own load: nothing was missed
  events.addEventListener("hello", () => { if (connected) refresh(); connected = true; });
  events.addEventListener("change", refresh);
}

localTimes(document);
follow();
