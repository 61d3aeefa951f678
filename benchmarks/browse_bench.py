"""The browse page on a large synthetic release: how long writing it takes, how big it is, and how
fast its views open in headless Chromium from file://.

    nice -n 10 .venv/bin/python benchmarks/browse_bench.py --articles 100000 --out /tmp/browse-bench

Synthetic tables (seeded, no real text): per article ~1,200 characters from a 20,000-word
vocabulary, BOILERPLATE spans, SENTENCES sentences, MENTIONS mentions and CLAIMS claims; one
entity per ENTITY_EVERY articles. Prints seconds per step and per view (Chromium at /usr/bin/chromium
through Playwright). Also probes what DuckDB-WASM would need from a file:// page (a Worker, fetch).
"""

import argparse
import random
import shutil
import time
from pathlib import Path

import polars as pl

import schemas
from pipeline.release import site

BOILERPLATE, SENTENCES, MENTIONS, CLAIMS, ENTITY_EVERY = 3, 12, 10, 3, 2
VOCABULARY = 20_000
WORDS_PER_ARTICLE = 200
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _words(rng: random.Random) -> list[str]:
    letters = "abcdefghijklmnopqrstuvwxyz"
    return sorted({"".join(rng.choice(letters) for _ in range(rng.randint(3, 10))) for _ in range(VOCABULARY)})


def synthetic(n: int, seed: int = 7) -> dict[str, pl.DataFrame]:
    rng = random.Random(seed)
    vocab = _words(rng)
    # Zipf-like: a few words are very common, most are rare, as in news text.
    weights = [1 / (i + 1) for i in range(len(vocab))]
    ids = [f"{i:016x}" for i in range(n)]
    texts = [" ".join(rng.choices(vocab, weights, k=WORDS_PER_ARTICLE)) + "." for _ in range(n)]
    articles = pl.DataFrame({
        "article_id": ids, "source_file": [f"site{i % 50}/{i}.txt" for i in range(n)],
        "title": [None if i % 7 == 0 else " ".join(rng.choices(vocab, weights, k=6)).title() for i in range(n)],
        "published_date": pl.date_range(pl.date(2020, 1, 1), pl.date(2024, 12, 31), eager=True).sample(n, with_replacement=True, seed=seed),
        "source_name": [f"Source {i % 50}" for i in range(n)], "text": texts,
        "raw_sha256": [f"{i:064x}" for i in range(n)], "n_chars_raw": [len(t) + 120 for t in texts], "n_chars_clean": [len(t) for t in texts],
        "encoding": ["utf-8"] * n, "warnings": [[] for _ in range(n)], "story_id": [ids[i - i % 3] for i in range(n)],
    })
    art = pl.Series(ids)
    bp = pl.DataFrame({"boilerplate_id": [f"b{i:015x}" for i in range(n * BOILERPLATE)], "article_id": art.gather([i // BOILERPLATE for i in range(n * BOILERPLATE)]),
                       "start": [0] * (n * BOILERPLATE), "end": [40] * (n * BOILERPLATE), "text": ["Read more: another story on this site\n"] * (n * BOILERPLATE),
                       "reason": [["related_link", "footer", "call_to_action"][i % 3] for i in range(n * BOILERPLATE)]})
    ns = n * SENTENCES
    sentences = pl.DataFrame({"sentence_id": [f"s{i:015x}" for i in range(ns)], "article_id": art.gather([i // SENTENCES for i in range(ns)]),
                              "position": [i % SENTENCES for i in range(ns)], "text": [t[:90] for t in texts for _ in range(SENTENCES)],
                              "start": [0] * ns, "end": [90] * ns, "duplicate_of": [None] * ns})
    n_entities = n // ENTITY_EVERY
    nm = n * MENTIONS
    entity_of = [rng.randrange(n_entities) for _ in range(nm)]
    mentions = pl.DataFrame({"mention_id": [f"m{i:015x}" for i in range(nm)], "entity_id": [f"e{e:015x}" for e in entity_of],
                             "article_id": art.gather([i // MENTIONS for i in range(nm)]), "sentence_id": [f"s{(i // MENTIONS) * SENTENCES:015x}" for i in range(nm)],
                             "text": [t[:5] for t in texts for _ in range(MENTIONS)], "start": [0] * nm, "end": [5] * nm, "type": ["PERSON"] * nm, "role": [None] * nm})
    counts = mentions.group_by("entity_id").agg(pl.len().alias("n_mentions"), pl.col("article_id").n_unique().alias("n_articles"))
    entities = counts.with_columns(pl.col("entity_id").alias("name"), pl.lit("PERSON").alias("type"), pl.col("entity_id").map_elements(lambda e: [e], return_dtype=pl.List(pl.String)).alias("aliases"),
                                   pl.lit(None, dtype=pl.String).alias("wikidata_id")).select("entity_id", "name", "type", "aliases", "n_mentions", "n_articles", "wikidata_id").sort("entity_id")
    nc = n * CLAIMS
    groups = [f"g{rng.randrange(nc // 2):015x}" for _ in range(nc)]
    claims = pl.DataFrame({"claim_id": [f"c{i:015x}" for i in range(nc)], "article_id": art.gather([i // CLAIMS for i in range(nc)]), "sentence_id": [f"s{i:015x}" for i in range(nc)],
                           "kind": ["quantity"] * nc, "text": [t[:60] for t in texts for _ in range(CLAIMS)], "start": [0] * nc, "end": [60] * nc,
                           "subject_entity_ids": [[f"e{rng.randrange(n_entities):015x}"] for _ in range(nc)], "predicate": ["be"] * nc, "object": [f"{rng.randrange(100)} million" for _ in range(nc)],
                           "quantity_id": [None] * nc, "date_id": [None] * nc, "speaker_entity_id": [None] * nc, "group_id": groups, "n_sources": [1] * nc,
                           "conflicts_with": [[f"g{rng.randrange(nc // 2):015x}"] if i % 50 == 0 else [] for i in range(nc)]})
    return {"articles": articles, "boilerplate": bp, "sentences": sentences, "entities": entities, "mentions": mentions, "claims": claims}


def write(tables: dict[str, pl.DataFrame], out: Path) -> tuple[float, int, int]:
    shutil.rmtree(out, ignore_errors=True)
    manifest = {"dataset": "newsclean", "version": "9.9.9", "schema_version": schemas.SCHEMA_VERSION, "pipeline_version": "bench", "license": None, "inputs": []}
    started = time.perf_counter()
    files = size = 0
    for rel, content in site.site_files(tables, {name: schemas.TABLES[name] for name in tables}, manifest, []):
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        data = content.encode("utf-8")
        path.write_bytes(data)
        files, size = files + 1, size + len(data)
    return time.perf_counter() - started, files, size


def browse(out: Path, tables: dict[str, pl.DataFrame]) -> None:
    from playwright.sync_api import sync_playwright

    index = (out / "index.html").as_uri()
    n = tables["articles"].height
    by_length = tables["articles"].with_row_index().sort(["n_chars_raw", "index"])["article_id"]
    first_cell = "document.querySelector('#grid .tabulator-row .tabulator-cell[tabulator-field=article_id]')?.textContent === "
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})

        def timed(label: str, action, ready: str) -> None:
            started = time.perf_counter()
            action()
            page.wait_for_function(ready, timeout=600_000)
            print(f"  {label:<58} {time.perf_counter() - started:6.2f} s")

        def go(route: str) -> None:
            page.evaluate("r => { location.hash = r }", route)

        timed("open the overview (cold)", lambda: page.goto(index + "#overview"), "document.querySelector('main').dataset.route === '#overview'")
        last = -(-n // site.ARTICLES_PER_PAGE)
        timed(f"article list, page {last}", lambda: go(f"#articles/{last}"), f"document.querySelector('main').dataset.route === '#articles/{last}'")
        timed("articles table view, first page of 25 rows", lambda: go("#table/articles"), "document.querySelectorAll('#grid .tabulator-row').length === 25")
        timed("  … to its last page", lambda: page.click(".tabulator-page[data-page='last']"),
              f"(document.querySelector('.tabulator-page-counter')?.textContent || '').includes('of {n} rows') && document.querySelector('.tabulator-page.active')?.textContent === '{-(-n // 25)}'")
        timed("  … sorted by n_chars_raw (loads every chunk)", lambda: page.click(".tabulator-col[tabulator-field='n_chars_raw'] .tabulator-col-title"),
              first_cell + repr(by_length[0]))
        timed("  … sorted the other way (in memory)", lambda: page.click(".tabulator-col[tabulator-field='n_chars_raw'] .tabulator-col-title"),
              first_cell + repr(tables["articles"].with_row_index().sort(["n_chars_raw", "index"], descending=[True, False])["article_id"][0]))
        timed("mentions table view, first page", lambda: go("#table/mentions"), "document.querySelectorAll('#grid .tabulator-row').length === 25")
        timed("entity page 1", lambda: go("#entities/1"), "document.querySelector('main').dataset.route === '#entities/1'")
        entity = page.get_attribute("main tbody a", "href")
        timed("an entity with its mention sentences and claims", lambda: go(entity), f"document.querySelector('main').dataset.route === '{entity}'")
        for query in ("source 12", "zzqx"):
            timed(f"search {query!r}", lambda: go("#search/" + query.replace(" ", "%20")), f"document.querySelector('main').dataset.route === '#search/{query.replace(' ', '%20')}'")
            print(f"    {page.locator('p.found').inner_text() if page.locator('p.found').count() else page.locator('main').inner_text()[:80]}")
        timed("conflicts page 1", lambda: go("#conflicts/1"), "document.querySelector('main').dataset.route === '#conflicts/1'")
        # What DuckDB-WASM needs, from a file:// page: a Web Worker and fetch() of the .wasm and Parquet files.
        probe = page.evaluate("""async () => {
            const out = {};
            try { new Worker('site/app.js'); out.worker = 'allowed'; } catch (e) { out.worker = e.name + ': ' + e.message; }
            try { await fetch('index.html'); out.fetch = 'allowed'; } catch (e) { out.fetch = e.name + ': ' + e.message; }
            return out;
        }""")
        print(f"  file:// Worker: {probe['worker']}\n  file:// fetch: {probe['fetch']}")
        browser.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=100_000)
    ap.add_argument("--out", type=Path, default=Path("/tmp/browse-bench"))
    args = ap.parse_args()
    started = time.perf_counter()
    tables = synthetic(args.articles)
    print(f"synthetic tables in {time.perf_counter() - started:.1f} s: " + ", ".join(f"{k} {v.height:,}" for k, v in tables.items()))
    seconds, files, size = write(tables, args.out)
    print(f"browse page written in {seconds:.1f} s: {files:,} files, {size / 2**20:,.0f} MiB; meta.js {(args.out / 'site/data/meta.js').stat().st_size / 1024:.1f} KiB")
    browse(args.out, tables)


if __name__ == "__main__":
    main()
