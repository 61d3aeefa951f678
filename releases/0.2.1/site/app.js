// The browse page of a newsclean release. Data files are scripts calling NC.data(key, payload):
// browsers block fetch() on file:// URLs, script tags work everywhere. Text is only ever set
// with textContent, never parsed as HTML.
"use strict";

const NC = (() => {
  const cache = {};
  const waiting = {};

  function data(key, payload) {
    cache[key] = payload;
    (waiting[key] || []).forEach((w) => w.resolve(payload));
    delete waiting[key];
  }

  function load(key) {
    if (key in cache) return Promise.resolve(cache[key]);
    return new Promise((resolve, reject) => {
      if (key in waiting) {
        waiting[key].push({ resolve, reject });
        return;
      }
      waiting[key] = [{ resolve, reject }];
      const script = document.createElement("script");
      script.src = "site/data/" + key + ".js";
      script.onerror = () => {
        (waiting[key] || []).forEach((w) => w.reject(new Error("cannot load " + script.src)));
        delete waiting[key];
        script.remove();
      };
      document.head.appendChild(script);
    });
  }

  return { data, load };
})();

const PALETTE = ["#e6194b", "#3cb44b", "#4363d8", "#f58231", "#911eb4", "#42d4f4", "#f032e6", "#9a6324", "#808000", "#469990", "#800000", "#000075"];
const SVG = "http://www.w3.org/2000/svg";

function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "style") el.style.cssText = v;
    else el.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : String(c));
  }
  return el;
}

function pageKey(kind, page) {
  return kind + "/" + String(page).padStart(5, "0");
}

function bytes(n) {
  if (n === undefined) return "";
  const units = ["B", "KiB", "MiB", "GiB"];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
  return i ? n.toFixed(1) + " " + units[i] : n + " B";
}

function reasonColor(meta, reason) {
  return PALETTE[meta.reasons.indexOf(reason) % PALETTE.length];
}

function note(text) {
  return h("p", { class: "note" }, text);
}

function pager(kind, page, pages) {
  return h("p", { class: "pager" },
    page > 1 ? h("a", { href: "#" + kind + "/" + (page - 1) }, "← previous") : "",
    ` page ${page} of ${pages} `,
    page < pages ? h("a", { href: "#" + kind + "/" + (page + 1), class: "next" }, "next →") : "");
}

function cell(v) {
  return v === null || v === undefined ? "" : v;  // a null is an empty cell, as in the CSV
}

function table(columns, rows, attrs) {
  return h("table", attrs || {},
    h("thead", {}, h("tr", {}, columns.map((c) => h("th", {}, c)))),
    h("tbody", {}, rows.map((r) => h("tr", {}, r.map((v) => h("td", {}, cell(v)))))));
}

function wikidataLink(id) {
  return id ? h("a", { href: "https://www.wikidata.org/wiki/" + encodeURIComponent(id), class: "wikidata", rel: "noopener noreferrer", target: "_blank" }, id) : "";
}

function loadScript(src) {
  return new Promise((resolve, reject) => {
    if (document.querySelector(`script[data-lib="${src}"]`)) return resolve();
    const script = h("script", { src, "data-lib": src });
    script.onload = () => resolve();
    script.onerror = () => reject(new Error("cannot load " + src));
    document.head.appendChild(script);
  });
}

function barChart(title, rows, color) {
  const width = 640, bar = 20, gap = 6, labelWidth = 170;
  const max = Math.max(1, ...rows.map((r) => r[1]));
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("viewBox", `0 0 ${width} ${rows.length * (bar + gap) + gap}`);
  svg.setAttribute("class", "chart");
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", title);
  rows.forEach(([label, value], i) => {
    const y = gap + i * (bar + gap);
    const w = Math.max(1, ((width - labelWidth - 70) * value) / max);
    const text = (x, s, anchor) => {
      const t = document.createElementNS(SVG, "text");
      Object.entries({ x, y: y + bar * 0.75, "text-anchor": anchor }).forEach(([k, v]) => t.setAttribute(k, v));
      t.textContent = s;
      return t;
    };
    const rect = document.createElementNS(SVG, "rect");
    Object.entries({ x: labelWidth, y, width: w, height: bar, fill: color(label, i) }).forEach(([k, v]) => rect.setAttribute(k, v));
    svg.append(text(labelWidth - 6, label, "end"), rect, text(labelWidth + w + 6, String(value), "start"));
  });
  return h("figure", {}, h("figcaption", {}, title), rows.length ? svg : note("nothing to show"));
}

async function overview(meta) {
  const c = meta.charts;
  return [
    h("h2", {}, `Release ${meta.version}`),
    h("p", {}, `Schema ${meta.schema_version}, pipeline ${meta.pipeline_version}, built from ${meta.inputs} input file(s). License: `,
      meta.license ? h("a", { href: `https://spdx.org/licenses/${encodeURIComponent(meta.license)}.html`, rel: "noopener noreferrer" }, meta.license) : "the publisher stated no licence.",
      meta.conflicts ? [" ", h("a", { href: "#conflicts/1" }, `${meta.conflicts} conflict(s)`), " between claim groups."] : ""),
    searchForm("", "search-overview"),
    table(["table", "rows", "description"], meta.tables.map((t) => [h("a", { href: "#table/" + t.name }, t.name), t.rows, t.description])),
    h("div", { class: "charts" },
      barChart("Boilerplate removed by reason (characters)", c.boilerplate_by_reason.map((r) => [r[0], r[2]]), (label) => reasonColor(meta, label)),
      barChart("Boilerplate spans removed by reason", c.boilerplate_by_reason.map((r) => [r[0], r[1]]).sort((x, y) => y[1] - x[1]), (label) => reasonColor(meta, label)),
      meta.has.entities ? barChart("Entities per type", c.entities_by_type, (_, i) => PALETTE[i % PALETTE.length]) : note("No entities table in this release."),
      meta.has.claims ? barChart("Claim groups by number of sources", c.sources_per_group, () => "#4363d8") : note("No claims table in this release."),
      c.rejects_by_reason.length ? barChart("Rejected input files by reason", c.rejects_by_reason, () => "#808080") : ""),
  ];
}

function downloads(meta) {
  return [
    h("h2", {}, "Downloads"),
    h("p", {}, "Check a download with ", h("code", {}, "sha256sum -c SHA256SUMS"), ", or fetch and verify with ", h("code", {}, "python -m pipeline download URL --to DIR"), "."),
    table(["file", "table", "rows", "size", "sha256"], meta.downloads.map((f) => [
      h("a", { href: f.path, download: "" }, f.path), f.table || "", f.rows === undefined ? "" : f.rows, bytes(f.bytes), h("code", { class: "hash" }, f.sha256 || "")])),
  ];
}

function schemaBlock(t) {
  return [
    h("p", {}, t.description),
    h("p", {}, `${t.rows} rows. Primary key: ${t.primary_key.join(", ") || "none"}.`,
      t.foreign_keys.map((fk) => ` Foreign key: ${fk.fields.join(", ")} → ${fk.reference.resource}.${fk.reference.fields.join(", ")}.`)),
    table(["column", "type", "nullable", "description"], t.fields.map((f) => [h("code", {}, f.name), f.type, f.nullable ? "yes" : "no", f.description])),
  ];
}

function tables(meta) {
  return [h("h2", {}, "Tables"), meta.tables.map((t) => [h("h3", {}, h("a", { href: "#table/" + t.name }, t.name)), schemaBlock(t)])];
}

// --- a table view: every row, sorted and filtered, drawn by Tabulator ---------------------------

const TABULATOR = "site/vendor/tabulator-6.5.3/tabulator.min.js";
const NUMERIC = /^(<=|>=|<|>|=)?\s*(-?\d+(?:\.\d+)?)$/;

// Rows of a table from its chunk files: a page without sort or filter loads only its chunks; a
// sort or filter loads them all once (CHUNK_BATCH at a time), then works in memory.
function rowSource(t, status) {
  const CHUNK_BATCH = 8;
  let all = null;
  const orders = new Map();
  const chunk = (n) => NC.load(pageKey("rows/" + t.name, n));

  async function chunks(first, last) {
    const out = [];
    for (let n = first; n <= last; n += CHUNK_BATCH) {
      const batch = [];
      for (let k = n; k <= Math.min(last, n + CHUNK_BATCH - 1); k++) batch.push(chunk(k));
      if (last - first >= CHUNK_BATCH) status.textContent = `loading rows: ${Math.min(last, n + CHUNK_BATCH - 1)} of ${last} chunk(s)`;
      for (const rows of await Promise.all(batch)) out.push(rows);
    }
    status.textContent = "";
    return out.flat();
  }

  function matcher(value, kind) {
    const m = NUMERIC.exec(value.trim());
    if (m && kind === "number") {
      const x = Number(m[2]);
      const op = m[1] || "=";
      return (v) => v !== null && (op === "=" ? v === x : op === "<" ? v < x : op === ">" ? v > x : op === "<=" ? v <= x : v >= x);
    }
    const needle = value.trim().toLowerCase();
    return (v) => v !== null && String(v).toLowerCase().includes(needle);
  }

  function compare(col, dir) {
    const sign = dir === "desc" ? -1 : 1;
    return (a, b) => {
      const x = all[a][col], y = all[b][col];
      if (x === y) return a - b;
      if (x === null) return 1;  // nulls last, either way
      if (y === null) return -1;
      return (x < y ? -1 : 1) * sign;
    };
  }

  async function order(filters, sorters) {
    const key = JSON.stringify([filters, sorters]);
    if (orders.has(key)) return orders.get(key);
    all = all || await chunks(1, t.chunks);
    let idx = Array.from(all.keys());
    for (const f of filters) {
      const col = t.columns.indexOf(f.field);
      const test = matcher(String(f.value), t.stats[col].kind);
      idx = idx.filter((i) => test(all[i][col]));
    }
    for (const s of sorters.slice().reverse()) idx.sort(compare(t.columns.indexOf(s.field), s.dir));
    orders.set(key, idx);
    return idx;
  }

  function record(row, i) {
    const out = { _row: i + 1 };
    t.columns.forEach((c, k) => { out[c] = row[k]; });
    return out;
  }

  async function query(params) {
    const size = params.size || 25, page = params.page || 1;
    const filters = (params.filter || []).filter((f) => f.value !== "" && f.value !== null && f.value !== undefined);
    const sorters = params.sort || [];
    if (!filters.length && !sorters.length) {
      const start = (page - 1) * size, end = Math.min(t.rows, start + size);
      if (end <= start) return { last_page: Math.max(1, Math.ceil(t.rows / size)), last_row: t.rows, data: [] };
      const first = Math.floor(start / t.chunk_rows) + 1, last = Math.floor((end - 1) / t.chunk_rows) + 1;
      const rows = await chunks(first, last);
      const offset = (first - 1) * t.chunk_rows;
      return { last_page: Math.max(1, Math.ceil(t.rows / size)), last_row: t.rows, data: rows.slice(start - offset, end - offset).map((r, k) => record(r, start + k)) };
    }
    const idx = await order(filters, sorters);
    const shown = idx.slice((page - 1) * size, page * size);
    return { last_page: Math.max(1, Math.ceil(idx.length / size)), last_row: idx.length, data: shown.map((i) => record(all[i], i)) };
  }

  return { query };
}

function textCell(c) {
  const v = c.getValue();
  return document.createTextNode(v === null || v === undefined ? "" : String(v));  // a Node: Tabulator appends it, never parses it
}

function articleIdCell(meta) {
  return (c) => {
    const v = c.getValue();
    const page = Math.floor((c.getRow().getData()._row - 1) / meta.articles_per_page) + 1;
    return h("a", { href: `#article/${page}/${v}` }, v);
  };
}

function grid(meta, t) {
  const el = h("div", { class: "grid", id: "grid" });
  const status = h("p", { class: "status", role: "status" });
  const source = rowSource(t, status);
  loadScript(TABULATOR).then(() => {
    const columns = [{ title: "#", field: "_row", headerSort: false, width: 70, formatter: textCell }].concat(t.columns.map((c, i) => ({
      title: c, field: c, headerFilter: "input", headerFilterPlaceholder: t.stats[i].kind === "number" ? "= < > n" : "contains…",
      formatter: t.name === "articles" && c === "article_id" ? articleIdCell(meta) : textCell,
      headerSortTristate: true, minWidth: 110, maxWidth: 420,
    })));
    const table = new Tabulator(el, {
      ajaxURL: "rows",  // never fetched: ajaxRequestFunc reads the chunk files
      ajaxRequestFunc: (url, config, params) => source.query(params),
      pagination: true, paginationMode: "remote", sortMode: "remote", filterMode: "remote",
      paginationSize: 25, paginationSizeSelector: [25, 50, 100, 500], paginationCounter: "rows",
      headerFilterLiveFilterDelay: 300, layout: "fitDataTable", placeholder: "No rows match.", columns,
    });
    table.on("dataProcessed", () => { el.dataset.ready = "1"; });
  }).catch((err) => { status.textContent = String(err.message || err); });
  return [status, el];
}

function statCard(s, rows) {
  const facts = [`${s.nulls} null${s.nulls === 1 ? "" : "s"}${rows ? ` (${Math.round((100 * s.nulls) / rows)}%)` : ""}`];
  if (s.distinct !== undefined) facts.push(`${s.distinct} distinct`);
  if (s.kind === "number" || s.kind === "date") facts.push(`${cell(s.min)} … ${cell(s.max)}`);
  if (s.kind === "list") facts.push(`${s.min}–${s.max} items`);
  if (s.kind === "text") facts.push(`${cell(s.min_chars)}–${cell(s.max_chars)} chars`);
  const bars = s.histogram || s.top || [];
  const max = Math.max(1, ...bars.map((b) => b[1]));
  return h("div", { class: "stat", "data-column": s.name },
    h("div", { class: "stat-name" }, h("code", {}, s.name)),
    h("div", { class: "stat-facts" }, facts.join(" · ")),
    bars.length ? h("div", { class: s.histogram ? "histogram" : "top" }, bars.map(([label, n]) =>
      h("div", { class: "bar", title: `${label}: ${n}` }, h("span", { class: "fill", style: `--w:${(100 * n) / max}%` }), h("span", { class: "label" }, `${label}`), h("span", { class: "n" }, String(n))))) : "");
}

async function tableView(meta, name) {
  const t = meta.tables.find((x) => x.name === name);
  if (!t) return note(`No table named ${name}.`);
  return [
    h("h2", {}, t.name), schemaBlock(t),
    h("h3", {}, "Columns"),
    h("div", { class: "stats" }, t.stats.map((s) => statCard(s, t.rows))),
    h("h3", {}, `All ${t.rows} rows`),
    h("p", { class: "note" }, "Click a column header to sort (again for descending); type in the box under it to filter: text matches anywhere, numbers take =, <, >, <=, >=. Long texts are cut at 200 characters here; the files hold them whole."),
    grid(meta, t),
  ];
}

function articleLink(page, id, label) {
  return h("a", { href: `#article/${page}/${id}` }, label || id);
}

async function articleList(meta, page) {
  if (!meta.pages.articles) return note("This release has no articles.");
  const rows = await NC.load(pageKey("articles", page));
  return [
    h("h2", {}, "Articles"), pager("articles", page, meta.pages.articles),
    h("p", { class: "note" }, "In file order. To sort or filter every column, open the ", h("a", { href: "#table/articles" }, "articles table"), "; to find words, search."),
    table(["title", "source", "date", "file", "boilerplate removed"], rows.map((a) => [
      articleLink(page, a.id, a.title || a.id), a.source, a.date, a.file, `${a.raw - a.clean} of ${a.raw} chars`])),
    pager("articles", page, meta.pages.articles),
  ];
}

function cleanText(a) {
  const clean = a.segments.filter((s) => s[0] < 0).map((s) => s[1]).join("");
  if (!a.mentions.length) return [clean];
  const cps = Array.from(clean);  // offsets count code points, JavaScript strings count UTF-16 units
  const out = [];
  let pos = 0;
  for (const [start, end, entity, page] of a.mentions) {
    if (start < pos) continue;
    out.push(cps.slice(pos, start).join(""));
    const label = cps.slice(start, end).join("");
    out.push(page ? h("a", { class: "mention", href: `#entity/${page}/${entity}` }, label) : h("mark", { class: "mention" }, label));
    pos = end;
  }
  out.push(cps.slice(pos).join(""));
  return out;
}

async function articleView(meta, page, id) {
  const rows = await NC.load(pageKey("articles", page));
  const a = rows.find((x) => x.id === id);
  if (!a) return note(`Article ${id} is not on page ${page}.`);
  const used = [...new Set(a.segments.filter((s) => s[0] >= 0).map((s) => meta.reasons[s[0]]))];
  const raw = a.segments.map(([reason, text]) => reason < 0 ? text
    : h("del", { class: "bp", "data-reason": meta.reasons[reason], title: meta.reasons[reason], style: `--c:${PALETTE[reason % PALETTE.length]}` }, text));
  return [
    h("h2", {}, a.title || a.id),
    h("p", { class: "meta" }, [a.source, a.date, a.file, `article_id ${a.id}`].filter(Boolean).join(" · ")),
    h("p", { class: "legend" }, "Removed: ", used.length ? used.map((r) => h("span", { class: "swatch", style: `--c:${reasonColor(meta, r)}` }, r)) : "nothing"),
    h("div", { class: "sides" },
      h("section", { class: "raw" }, h("h3", {}, "Raw text (removed boilerplate struck through)"), h("pre", {}, raw)),
      h("section", { class: "clean" }, h("h3", {}, "Clean text"), h("pre", {}, cleanText(a)))),
    h("h3", {}, "Claims"),
    !meta.has.claims ? note("No claims table in this release.") : a.claims.length ? h("ul", { class: "claims" }, a.claims.map((c) =>
      h("li", { class: c.conflicts ? "conflict" : "" }, `[${c.kind}] ${c.text} `,
        h("a", { href: `#group/${c.group_page}/${c.group}` }, `group ${c.group}`), ` · ${c.n_sources} source(s)`, c.conflicts ? " · conflicts" : ""))) : note("No claims in this article."),
    h("p", {}, h("a", { href: "#articles/" + page }, "← all articles")),
  ];
}

async function entityList(meta, page) {
  if (!meta.has.entities) return note("No entities table in this release.");
  if (!meta.pages.entities) return note("No entities.");
  const rows = await NC.load(pageKey("entities", page));
  return [
    h("h2", {}, "Entities"), pager("entities", page, meta.pages.entities),
    h("p", { class: "note" }, "Most mentioned first. To sort or filter every column, open the ", h("a", { href: "#table/entities" }, "entities table"), "."),
    table(["name", "type", "aliases", "mentions", "articles", "wikidata"], rows.map((e) => [
      h("a", { href: `#entity/${page}/${e.id}` }, e.name), e.type, e.aliases.join(", "), e.n_mentions, e.n_articles, wikidataLink(e.wikidata)])),
  ];
}

function highlighted(sentence, start, end) {
  const cps = Array.from(sentence);  // offsets count code points
  return [cps.slice(0, start).join(""), h("mark", { class: "mention" }, cps.slice(start, end).join("")), cps.slice(end).join("")];
}

function claimRows(claims) {
  return table(["claim", "predicate", "value", "source", "article", "group"], claims.map((c) => [
    c.text, c.predicate, c.object, c.source, articleLink(c.article_page, c.article, "article"),
    c.group_page ? h("a", { href: `#group/${c.group_page}/${c.group}` }, `${c.n_sources} source(s)`) : c.group]), { class: "claims-table" });
}

async function entityView(meta, page, id) {
  const rows = await NC.load(pageKey("entities", page));
  const e = rows.find((x) => x.id === id);
  if (!e) return note(`Entity ${id} is not on page ${page}.`);
  return [
    h("h2", {}, `${e.name} (${e.type})`),
    h("p", {}, `${e.n_mentions} mention(s) in ${e.n_articles} article(s).`, e.wikidata ? [" Wikidata: ", wikidataLink(e.wikidata), "."] : ""),
    h("p", {}, "Aliases: ", e.aliases.length ? e.aliases.join(", ") : "none"),
    h("h3", {}, "Where it is mentioned"),
    !meta.has.sentences ? note("No sentences table in this release.") : e.contexts.length ? h("ul", { class: "contexts" }, e.contexts.map(([aid, apage, title, sentence, start, end]) =>
      h("li", {}, h("q", {}, highlighted(sentence, start, end)), " — ", articleLink(apage, aid, title || aid)))) : note("No mention sentences."),
    e.n_articles > e.contexts.length && e.contexts.length ? note(`The first mention in ${e.contexts.length} of its ${e.n_articles} articles.`) : "",
    h("h3", {}, "Claims naming it"),
    !meta.has.claims ? note("No claims table in this release.") : e.claims.length ? [
      claimRows(e.claims), e.n_claims > e.claims.length ? note(`The ${e.claims.length} most-sourced of ${e.n_claims} claims.`) : ""] : note("No claim names it."),
    h("h3", {}, "Articles mentioning it most"),
    h("ul", {}, e.articles.map(([aid, apage, title, n]) => h("li", {}, articleLink(apage, aid, title || aid), ` (${n})`))),
  ];
}

function groupLabel(g) {
  return g.claims.length ? g.claims[0].text : g.id;
}

async function groupList(meta, page) {
  if (!meta.has.claims) return note("No claims table in this release.");
  if (!meta.pages.groups) return note("No claims.");
  const rows = await NC.load(pageKey("groups", page));
  return [
    h("h2", {}, "Claims grouped across sources"), pager("groups", page, meta.pages.groups),
    h("p", { class: "note" }, "Most-sourced first. To sort or filter every claim, open the ", h("a", { href: "#table/claims" }, "claims table"), "."),
    meta.conflicts ? h("p", {}, h("a", { href: "#conflicts/1" }, `${meta.conflicts} conflict(s)`), " between groups whose values disagree.") : "",
    table(["claim", "sources", "conflicts"], rows.map((g) => [
      h("a", { href: `#group/${page}/${g.id}` }, groupLabel(g)), g.n_sources, g.conflicts.length ? h("span", { class: "conflict" }, `conflicts with ${g.conflicts.length}`) : ""])),
  ];
}

// One side of a conflict: the group's claims with their sources and values.
function side(title, g, claims, more) {
  return h("section", { class: "side" },
    h("h4", {}, title, " ", g.page ? h("a", { href: `#group/${g.page}/${g.id}` }, `group ${g.id}`) : g.id, ` · ${g.n_sources} source(s)`),
    h("ul", {}, claims.map((c) => h("li", {},
      h("span", { class: "value" }, c.object), " ", h("span", { class: "source" }, c.source || "unknown source"), h("br"),
      h("q", {}, c.text), " — ", articleLink(c.article_page, c.article, c.title || c.article)))),
    more ? note(`and ${more} more claim(s)`) : "");
}

async function groupView(meta, page, id) {
  const rows = await NC.load(pageKey("groups", page));
  const g = rows.find((x) => x.id === id);
  if (!g) return note(`Claim group ${id} is not on page ${page}.`);
  const others = await Promise.all(g.conflicts.map(async ([c, p]) => p ? (await NC.load(pageKey("groups", p))).find((x) => x.id === c) : null));
  return [
    h("h2", {}, "Claim group ", h("code", {}, g.id)),
    h("p", { class: "sources" }, `${g.n_sources} source(s)`),
    g.conflicts.length ? h("p", { class: "conflict" }, "Conflicts with: ", g.conflicts.map(([c, p], i) => [p ? h("a", { href: `#group/${p}/${c}`, title: c }, others[i] ? `“${groupLabel(others[i])}”` : c) : c, " "])) : "",
    table(["source", "article", "kind", "claim", "predicate", "object"], g.claims.map((c) => [
      c.source, articleLink(c.article_page, c.article, c.title || c.article), c.kind, c.text, c.predicate, c.object])),
    others.map((o, i) => o ? [
      h("h3", {}, "Side by side with the conflicting group ", h("code", {}, o.id)),
      h("div", { class: "versus" }, side("This group", { id: g.id, page, n_sources: g.n_sources }, g.claims), side("Conflicting", { id: o.id, page: g.conflicts[i][1], n_sources: o.n_sources }, o.claims)),
    ] : ""),
  ];
}

async function conflictList(meta, page) {
  if (!meta.has.claims) return note("No claims table in this release.");
  if (!meta.pages.conflicts) return note("No conflicting claims in this release.");
  const pairs = await NC.load(pageKey("conflicts", page));
  return [
    h("h2", {}, `Conflicts (${meta.conflicts})`),
    h("p", { class: "note" }, "Claim groups about the same subjects, unit and time whose values disagree, each with its sources and values."),
    pager("conflicts", page, meta.pages.conflicts),
    pairs.map(([a, b]) => h("div", { class: "versus pair" }, side("", a, a.claims, a.n_claims - a.claims.length), side("versus", b, b.claims, b.n_claims - b.claims.length))),
    pager("conflicts", page, meta.pages.conflicts),
  ];
}

// --- search: a word index split by the words' first two letters --------------------------------

function words(text) {
  return (text.toLowerCase().match(/[\p{L}\p{N}_]+/gu) || []);
}

function termKey(word, n) {
  return Array.from(word).slice(0, n).map((c) => c.codePointAt(0).toString(16)).join("-");
}

async function matches(meta, word) {
  const key = termKey(word, meta.search.min_chars);
  if (!(await NC.load("search/keys")).includes(key)) return new Set();  // no word starts that way
  const shard = await NC.load("search/terms/" + key);
  const found = new Set();
  for (const [term, docs] of Object.entries(shard)) if (term.startsWith(word)) docs.forEach((d) => found.add(d));
  return found;
}

async function searchView(meta, query) {
  const common = new Set(meta.search.common);
  const all = words(query);
  const used = all.filter((w) => Array.from(w).length >= meta.search.min_chars && !common.has(w));
  const form = searchForm(query, "search-main");
  if (!used.length) return [h("h2", {}, "Search"), form, note(all.length ? "Those words are too short or too common to search for." : "Search article titles, publishers and texts, entity names and aliases, and claims.")];
  const sets = await Promise.all(used.map((w) => matches(meta, w)));
  sets.sort((x, y) => x.size - y.size);
  const hits = [...sets[0]].filter((d) => sets.every((s) => s.has(d))).sort((x, y) => x - y);
  const LIMIT = 200;
  const shown = hits.slice(0, LIMIT);
  const per = meta.search.docs_per_file;
  const files = await Promise.all([...new Set(shown.map((d) => Math.floor(d / per) + 1))].map(async (n) => [n, await NC.load(pageKey("search/docs", n))]));
  const byFile = new Map(files);
  const docs = shown.map((d) => byFile.get(Math.floor(d / per) + 1)[d % per]);
  const kinds = {};
  docs.forEach(([kind]) => { kinds[kind] = (kinds[kind] || 0) + 1; });
  const skipped = all.filter((w) => !used.includes(w));
  return [
    h("h2", {}, "Search"), form,
    h("p", { class: "found" }, `${hits.length} result(s)`, hits.length > LIMIT ? `, the first ${LIMIT} shown` : "", ": ",
      Object.entries(kinds).map(([k, n]) => `${n} ${k}(s)`).join(", ") || "nothing", skipped.length ? ` (ignored: ${skipped.join(", ")})` : ""),
    h("ul", { class: "results" }, docs.map(([kind, label, detail, route]) =>
      h("li", { class: "result", "data-kind": kind }, h("span", { class: "kind" }, kind), " ", h("a", { href: "#" + route }, label || "(untitled)"), detail ? h("span", { class: "detail" }, " " + detail) : ""))),
    note(`Words match from their start, in any case; an article is found by its title, publisher, file name and the first ${meta.search.text_chars} characters of its text.`),
  ];
}

function searchForm(value, id) {
  const input = h("input", { type: "search", name: "q", id, placeholder: "search articles, entities, claims", "aria-label": "search" });
  input.value = value || "";
  const form = h("form", { class: "search", role: "search" }, input, h("button", { type: "submit" }, "Search"));
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    location.hash = "#search/" + encodeURIComponent(input.value);
  });
  return form;
}

const ROUTES = {
  overview: (meta) => overview(meta),
  downloads: (meta) => downloads(meta),
  tables: (meta) => tables(meta),
  table: (meta, name) => tableView(meta, name),
  articles: (meta, page) => articleList(meta, Number(page) || 1),
  article: (meta, page, id) => articleView(meta, Number(page), id),
  entities: (meta, page) => entityList(meta, Number(page) || 1),
  entity: (meta, page, id) => entityView(meta, Number(page), id),
  groups: (meta, page) => groupList(meta, Number(page) || 1),
  group: (meta, page, id) => groupView(meta, Number(page), id),
  conflicts: (meta, page) => conflictList(meta, Number(page) || 1),
  search: (meta, ...query) => searchView(meta, query.join("/")),
};

async function render() {
  const main = document.getElementById("main");
  const hash = location.hash || "#overview";
  let route = "";
  try {
    const [name, ...args] = hash.slice(1).split("/").map((part) => decodeURIComponent(part));
    route = name;
    const meta = await NC.load("meta");
    document.getElementById("title").textContent = `${meta.dataset} ${meta.version}`;
    const view = ROUTES[route] || ROUTES.overview;
    main.replaceChildren(...[await view(meta, ...args)].flat(Infinity).filter((x) => x !== null && x !== undefined && x !== ""));
    main.dataset.view = route in ROUTES ? route : "overview";
    main.dataset.route = hash;  // lets tests and scripts wait for a rendered view
  } catch (err) {
    main.replaceChildren(h("p", { class: "error" }, String(err.message || err)));
    main.dataset.view = "error";
    main.dataset.route = hash;
  }
}

document.getElementById("search").replaceWith(searchForm("", "search"));
window.addEventListener("hashchange", render);
render();
