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

function table(columns, rows) {
  return h("table", {},
    h("thead", {}, h("tr", {}, columns.map((c) => h("th", {}, c)))),
    h("tbody", {}, rows.map((r) => h("tr", {}, r.map((v) => h("td", {}, v === null ? h("span", { class: "null" }, "null") : v))))));
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
    h("p", {}, `Schema ${meta.schema_version}, pipeline ${meta.pipeline_version}, license ${meta.license}, built from ${meta.inputs} input file(s).`),
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

async function tableView(meta, name) {
  const t = meta.tables.find((x) => x.name === name);
  if (!t) return note(`No table named ${name}.`);
  const preview = await NC.load("preview/" + name);
  return [
    h("h2", {}, t.name), schemaBlock(t),
    h("h3", {}, `Preview (first ${preview.rows.length} of ${t.rows} rows)`),
    h("div", { class: "scroll" }, table(preview.columns, preview.rows)),
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
    table(["name", "type", "aliases", "mentions", "articles", "wikidata"], rows.map((e) => [
      h("a", { href: `#entity/${page}/${e.id}` }, e.name), e.type, e.aliases.join(", "), e.n_mentions, e.n_articles, e.wikidata])),
  ];
}

async function entityView(meta, page, id) {
  const rows = await NC.load(pageKey("entities", page));
  const e = rows.find((x) => x.id === id);
  if (!e) return note(`Entity ${id} is not on page ${page}.`);
  return [
    h("h2", {}, `${e.name} (${e.type})`),
    h("p", {}, `${e.n_mentions} mention(s) in ${e.n_articles} article(s).`, e.wikidata ? ` Wikidata: ${e.wikidata}.` : ""),
    h("p", {}, "Aliases: ", e.aliases.length ? e.aliases.join(", ") : "none"),
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
    table(["claim", "sources", "conflicts"], rows.map((g) => [
      h("a", { href: `#group/${page}/${g.id}` }, groupLabel(g)), g.n_sources, g.conflicts.length ? h("span", { class: "conflict" }, `conflicts with ${g.conflicts.length}`) : ""])),
  ];
}

async function groupView(meta, page, id) {
  const rows = await NC.load(pageKey("groups", page));
  const g = rows.find((x) => x.id === id);
  if (!g) return note(`Claim group ${id} is not on page ${page}.`);
  return [
    h("h2", {}, "Claim group ", h("code", {}, g.id)),
    h("p", { class: "sources" }, `${g.n_sources} source(s)`),
    g.conflicts.length ? h("p", { class: "conflict" }, "Conflicts with: ", g.conflicts.map(([c, p]) => [p ? h("a", { href: `#group/${p}/${c}` }, c) : c, " "])) : "",
    table(["source", "article", "kind", "claim", "predicate", "object"], g.claims.map((c) => [
      c.source, articleLink(c.article_page, c.article, c.title || c.article), c.kind, c.text, c.predicate, c.object])),
  ];
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
};

async function render() {
  const main = document.getElementById("main");
  const hash = location.hash || "#overview";
  const [route, ...args] = decodeURIComponent(hash.slice(1)).split("/");
  try {
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

window.addEventListener("hashchange", render);
render();
