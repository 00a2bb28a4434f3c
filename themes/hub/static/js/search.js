/*
 * Site search: answers the search form from the static Pagefind index that
 * plugins/search writes into pagefind/ with every build.
 *
 * No framework and no third-party request: Pagefind's own module, index and
 * WebAssembly come from our site (data-pagefind, relative in development and
 * absolute in production). The index is one Pagefind bundle per shard (language and
 * year, pagefind/<shard>/): Pagefind's module is loaded from the first of this page's
 * language (data-shards) and the others are merged into it (mergeIndex), so one search
 * ranks the hits of all of them together, with that language's stemming. Nothing is
 * stored in the browser: no cookie, no localStorage. Runs on load when the address has ?q= (the form
 * works without this script) and while typing, debounced; keeps ?q= in the
 * address so results can be shared and survive the back button.
 */

const form = document.querySelector("form[data-search]");
if (form) {
  start(form);
}

function start(form) {
  const DEBOUNCE_MS = 200;
  const PAGE_SIZE = 10;
  const input = form.querySelector('input[name="q"]');
  const status = document.getElementById("search-status");
  const list = document.getElementById("search-results");
  const more = document.getElementById("search-more");
  const text = form.dataset;
  const lang = document.documentElement.lang || "de";
  const dates = new Intl.DateTimeFormat(lang, { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });

  // import() resolves against this module's address, and merged bundles are fetched by Pagefind's
  // worker: make every address absolute first.
  const bundles = new URL(text.pagefind, document.baseURI);
  const [main, ...merged] = (text.shards || "").split(" ").filter(Boolean);
  const settings = { baseUrl: new URL(text.base, document.baseURI).pathname, excerptLength: 30 };
  const pagefind = (main ? import(new URL(`${main}/pagefind.js`, bundles).href) : Promise.reject(new Error("no index")))
    .then(async (module) => {
      await module.options(settings);
      await Promise.all(merged.map((shard) => module.mergeIndex(new URL(`${shard}/`, bundles).href, settings)));
      return module;
    });
  pagefind.catch(() => {}); // reported by the search that awaits it

  let latest = 0; // number of the newest search: an older, slower answer must not overwrite it
  let timer = 0;
  let pending = [];

  input.value = new URLSearchParams(location.search).get("q") || "";
  if (input.value.trim()) {
    search(input.value);
  }

  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(() => search(input.value), DEBOUNCE_MS);
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    clearTimeout(timer);
    search(input.value);
  });
  more.addEventListener("click", () => {
    const first = list.children.length;
    showNext(latest).then(() => list.children[first]?.querySelector("a")?.focus());
  });

  async function search(raw) {
    const query = raw.trim();
    const ticket = ++latest;
    keepInAddress(query);
    if (!query) {
      show(ticket, "", []);
      return;
    }
    list.setAttribute("aria-busy", "true");
    // Only before the first answer (Pagefind is still loading): a status per keystroke would be read out each time.
    if (!status.textContent) status.textContent = text.textLoading;
    try {
      const found = await (await pagefind).search(query);
      if (ticket !== latest) return;
      const count = found.results.length;
      const template = count === 0 ? text.textNone : count === 1 ? text.textHitsOne : text.textHits;
      await show(ticket, fill(template, { count: String(count), query }), found.results);
    } catch (error) {
      if (ticket !== latest) return;
      console.error("search:", error);
      show(ticket, text.textError, []);
    }
  }

  async function show(ticket, message, results) {
    pending = results.slice();
    list.replaceChildren();
    await showNext(ticket);
    if (ticket !== latest) return;
    status.textContent = message;
  }

  async function showNext(ticket) {
    const batch = pending.splice(0, PAGE_SIZE);
    const items = await Promise.all(batch.map((result) => result.data()));
    if (ticket !== latest) return;
    list.append(...items.map(resultItem));
    list.hidden = list.children.length === 0;
    list.removeAttribute("aria-busy");
    more.hidden = pending.length === 0;
  }

  function resultItem(data) {
    const meta = data.meta || {};
    const item = element("li", "search-result");
    const title = element("h2", "search-result__title");
    const link = element("a", "", meta.title || data.url);
    link.href = data.url;
    title.append(link);
    item.append(title);

    const details = element("p", "search-result__meta");
    if (meta.label) details.append(element("span", "badge badge--sponsored", meta.label));
    if (meta.category) details.append(element("span", "search-result__category", meta.category));
    if (meta.date) {
      const time = element("time", "", dates.format(new Date(meta.date)));
      time.dateTime = meta.date;
      details.append(time);
    }
    if (details.children.length) item.append(details);

    const excerpt = element("p", "search-result__excerpt");
    excerpt.append(...markedText(data.excerpt || ""));
    item.append(excerpt);
    return item;
  }

  function keepInAddress(query) {
    const url = new URL(location.href);
    if (query) url.searchParams.set("q", query);
    else url.searchParams.delete("q");
    history.replaceState(history.state, "", url);
  }
}

// Pagefind's excerpt is page text with <mark> around the hits: keep the marks, show the rest as text only.
function markedText(excerpt) {
  const parsed = new DOMParser().parseFromString(`<body>${excerpt}</body>`, "text/html").body;
  return Array.from(parsed.childNodes, (node) =>
    node.nodeName === "MARK" ? element("mark", "", node.textContent) : document.createTextNode(node.textContent),
  );
}

function element(name, className, content) {
  const node = document.createElement(name);
  if (className) node.className = className;
  if (content !== undefined) node.textContent = content;
  return node;
}

function fill(template, values) {
  return template.replace(/\{(\w+)\}/g, (whole, key) => (key in values ? values[key] : whole));
}
