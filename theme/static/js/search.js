// Moldir search page: an accessible interface on Pagefind's JavaScript API.
//
// Progressive enhancement of search.html: without JavaScript the page keeps its form and
// a link to the catalogue. With it, this module loads (when the reader asks for a search,
// startOnIntent below) the Pagefind bundle written at the
// site root (`data-bundle`, a relative URL, so the site works from any sub-path), reads
// `?q=` (the header form's query), filters and sort from the address, and shows results
// with filter counts. The result count is announced by a polite live region. Every text
// comes from `data-text-*` attributes, translated in the template.

const RESULTS_PER_PAGE = 10;
const DEBOUNCE_MS = 300;

function text(root, name, values = {}) {
  const template = root.dataset[camel(`text-${name}`)] || "";
  return template.replace(/\{(\w+)\}/g, (match, key) => (key in values ? values[key] : match));
}

function camel(name) {
  return name.replace(/-([a-z])/g, (match, letter) => letter.toUpperCase());
}

function pluralText(root, name, count, values) {
  const lang = document.documentElement.lang || "en";
  let category = "other";
  try {
    category = new Intl.PluralRules(lang).select(count);
  } catch (error) {
    // An unknown language code: English-like rules are the least surprising fallback.
    category = count === 1 ? "one" : "other";
  }
  const key = camel(`text-${name}-${category}`);
  const fallback = camel(`text-${name}-${count === 1 ? "one" : "other"}`);
  const template = root.dataset[key] || root.dataset[fallback] || "";
  const number = new Intl.NumberFormat(lang).format(count);
  return template.replace(/\{(\w+)\}/g, (match, field) =>
    field === "count" ? number : field in values ? values[field] : match,
  );
}

class MoldirSearch {
  constructor(root) {
    this.root = root;
    this.form = root.querySelector("form");
    this.input = this.form.querySelector('input[name="q"]');
    this.fallback = root.querySelector("[data-search-fallback]");
    this.ui = root.querySelector("[data-search-ui]");
    this.filtersBox = root.querySelector("[data-search-filters]");
    this.status = root.querySelector("[data-search-status]");
    this.sort = root.querySelector("[data-search-sort]");
    this.list = root.querySelector("[data-search-list]");
    this.more = root.querySelector("[data-search-more]");
    this.filterKeys = (root.dataset.filterKeys || "").split(/\s+/).filter(Boolean);
    this.results = [];
    this.shown = 0;
    this.generation = 0;
    this.timer = null;
  }

  async start() {
    const bundle = new URL(this.root.dataset.bundle, document.baseURI);
    try {
      this.pagefind = await import(bundle.href);
      // Result URLs are site-absolute ("/ru/datasets/x/"): prefix them with the folder
      // the site is served from, which is the folder holding the bundle's folder.
      await this.pagefind.options({ baseUrl: new URL("../", bundle).pathname });
      await this.pagefind.init();
      this.available = await this.pagefind.filters();
    } catch (error) {
      this.fail(error);
      return;
    }
    this.fallback.hidden = true;
    this.ui.hidden = false;
    this.buildFilters();
    this.readAddress();
    this.bind();
    await this.run({ announce: true });
    // Until now the form submits normally (to ?q=), which this page also understands.
    this.root.dataset.searchReady = "";
  }

  fail(error) {
    // Keep the catalogue link visible and say why search is missing.
    const message = document.createElement("p");
    message.className = "moldir-search__error";
    message.setAttribute("role", "alert");
    message.textContent = text(this.root, "error");
    this.fallback.prepend(message);
    if (window.console) console.error("Moldir search:", error);
  }

  buildFilters() {
    for (const key of this.filterKeys) {
      const values = this.available[key];
      if (!values || Object.keys(values).length === 0) continue;
      const fieldset = document.createElement("fieldset");
      fieldset.className = "moldir-search__filter";
      fieldset.dataset.filter = key;
      const legend = document.createElement("legend");
      legend.className = "moldir-search__legend";
      legend.textContent = this.root.dataset[camel(`filter-label-${key}`)] || key;
      fieldset.append(legend);
      const ordered = Object.keys(values).sort((a, b) =>
        key === "year" ? Number(b) - Number(a) : values[b] - values[a] || a.localeCompare(b),
      );
      ordered.forEach((value, index) => {
        const id = `moldir-search-filter-${key}-${index}`;
        const item = document.createElement("div");
        item.className = "moldir-search__option";
        const box = document.createElement("input");
        box.type = "checkbox";
        box.id = id;
        box.name = key;
        box.value = value;
        const label = document.createElement("label");
        label.htmlFor = id;
        const name = document.createElement("span");
        name.textContent = value;
        const count = document.createElement("span");
        count.className = "moldir-search__count";
        count.dataset.count = "";
        label.append(name, " ", count);
        item.append(box, label);
        fieldset.append(item);
      });
      this.filtersBox.append(fieldset);
    }
  }

  readAddress() {
    const params = new URLSearchParams(window.location.search);
    // Words typed while the engine was loading are kept when the address has no query.
    if (params.has("q")) this.input.value = params.get("q");
    for (const box of this.filtersBox.querySelectorAll('input[type="checkbox"]')) {
      box.checked = params.getAll(box.name).includes(box.value);
    }
    const sort = params.get("sort") || "";
    if ([...this.sort.options].some((option) => option.value === sort)) this.sort.value = sort;
  }

  writeAddress() {
    const params = new URLSearchParams();
    const query = this.input.value.trim();
    if (query) params.set("q", query);
    for (const box of this.filtersBox.querySelectorAll("input:checked")) {
      params.append(box.name, box.value);
    }
    if (this.sort.value) params.set("sort", this.sort.value);
    const search = params.toString();
    const address = `${window.location.pathname}${search ? `?${search}` : ""}`;
    window.history.replaceState(null, "", address);
  }

  bind() {
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.run({ announce: true });
    });
    this.input.addEventListener("input", () => {
      this.pagefind.preload(this.input.value);
      window.clearTimeout(this.timer);
      this.timer = window.setTimeout(() => this.run({ announce: true }), DEBOUNCE_MS);
    });
    this.filtersBox.addEventListener("change", () => this.run({ announce: true }));
    this.sort.addEventListener("change", () => this.run({ announce: true }));
    this.more.addEventListener("click", () => this.showMore({ focus: true }));
  }

  selectedFilters() {
    const filters = {};
    for (const box of this.filtersBox.querySelectorAll("input:checked")) {
      (filters[box.name] ||= { any: [] }).any.push(box.value);
    }
    return filters;
  }

  async run({ announce }) {
    window.clearTimeout(this.timer);
    const generation = ++this.generation;
    this.list.setAttribute("aria-busy", "true");
    try {
      await this.search(generation, announce);
    } finally {
      if (generation === this.generation) this.list.setAttribute("aria-busy", "false");
    }
  }

  async search(generation, announce) {
    const query = this.input.value.trim();
    const filters = this.selectedFilters();
    const filtered = Object.keys(filters).length > 0;
    this.writeAddress();
    if (!query && !filtered) {
      this.results = [];
      this.list.replaceChildren();
      this.more.hidden = true;
      this.updateCounts(this.available);
      this.say(text(this.root, "prompt"));
      return;
    }
    const options = { filters };
    if (this.sort.value) {
      const [key, direction] = this.sort.value.split(":");
      options.sort = { [key]: direction };
    }
    const search = await this.pagefind.search(query || null, options);
    if (generation !== this.generation || !search) return; // a newer search has started
    this.results = search.results;
    this.shown = 0;
    this.list.replaceChildren();
    await this.showMore({ focus: false });
    if (generation !== this.generation) return;
    this.updateCounts(search.filters);
    const count = this.results.length;
    let message;
    if (count === 0) message = text(this.root, "no-results", { query });
    else if (query) message = pluralText(this.root, "results", count, { query });
    else message = pluralText(this.root, "filtered", count, {});
    if (announce) this.say(message);
  }

  say(message) {
    this.status.textContent = message;
  }

  updateCounts(counts) {
    for (const fieldset of this.filtersBox.querySelectorAll("fieldset")) {
      const key = fieldset.dataset.filter;
      for (const box of fieldset.querySelectorAll('input[type="checkbox"]')) {
        const count = (counts && counts[key] && counts[key][box.value]) || 0;
        const label = box.nextElementSibling.querySelector("[data-count]");
        label.textContent = text(this.root, "result-count", { count: String(count) });
      }
    }
  }

  async showMore({ focus }) {
    const generation = this.generation;
    const next = this.results.slice(this.shown, this.shown + RESULTS_PER_PAGE);
    const data = await Promise.all(next.map((result) => result.data()));
    if (generation !== this.generation) return;
    let first = null;
    for (const result of data) {
      const item = this.renderResult(result);
      this.list.append(item);
      first ||= item.querySelector("a");
    }
    this.shown += next.length;
    this.more.hidden = this.shown >= this.results.length;
    // Keyboard users continue from the first new result, not from the top of the list.
    if (focus && first) first.focus();
  }

  renderResult(result) {
    const item = document.createElement("li");
    item.className = "moldir-search-result";
    const heading = document.createElement("h3");
    heading.className = "moldir-search-result__title";
    const link = document.createElement("a");
    link.href = result.url;
    const meta = result.meta || {};
    link.textContent = meta.title || result.url;
    heading.append(link);
    item.append(heading);
    const details = [meta.type, meta.publisher, meta.date].filter(Boolean);
    if (details.length) {
      const line = document.createElement("p");
      line.className = "moldir-search-result__meta";
      line.textContent = details.join(" · ");
      item.append(line);
    }
    if (result.excerpt) {
      const excerpt = document.createElement("p");
      excerpt.className = "moldir-search-result__excerpt";
      excerpt.append(...excerptNodes(result.excerpt));
      item.append(excerpt);
    }
    return item;
  }
}

/* Pagefind's excerpt is page text with <mark> around the matches. It is parsed in an inert
   document (nothing loads or runs there) and rebuilt from its text and <mark> elements
   only, so no markup of a page can reach this one through the index. */
function excerptNodes(html) {
  const parsed = new DOMParser().parseFromString(String(html), "text/html");
  const nodes = [];
  for (const node of parsed.body.childNodes) {
    if (node.nodeType === Node.ELEMENT_NODE && node.localName === "mark") {
      const mark = document.createElement("mark");
      mark.textContent = node.textContent;
      nodes.push(mark);
    } else {
      nodes.push(document.createTextNode(node.textContent));
    }
  }
  return nodes;
}

// Pagefind's engine (about 70 KB of WebAssembly and the filter index) is the heaviest
// thing a page of the portal can load, so it is fetched only when the reader asks for a
// search: at once when the address holds a query or filters (the header form, a shared
// link), otherwise at the first sign of intent on the form. Until then the form submits
// to ?q= as it does without JavaScript, so nothing typed is lost.
function startOnIntent(search) {
  let started = false;
  const start = () => {
    if (started) return;
    started = true;
    search.start();
  };
  if (new URLSearchParams(window.location.search).toString()) {
    start();
    return;
  }
  for (const type of ["focusin", "pointerdown", "keydown"]) {
    search.root.addEventListener(type, start, { once: true });
  }
}

for (const root of document.querySelectorAll('[data-module="moldir-search"]')) {
  startOnIntent(new MoldirSearch(root));
}
