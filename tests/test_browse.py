"""The release's static browse page, driven in headless Chromium from file:// URLs."""

import json
from pathlib import Path

import polars as pl
import pytest

import schemas
from pipeline.release import publish, site
from pipeline.core.ids import stable_id
from tests.conftest import ROOT

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"]
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed (.ci/run installs it)")


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    pg = browser.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    pg.on("pageerror", lambda err: errors.append(str(err)))
    pg.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    yield pg
    pg.close()
    assert not errors, errors


def _article(aid: str, pieces: list[tuple[str, str | None]], title: str | None = None, source: str | None = None) -> tuple[dict, list[dict]]:
    """An article row and its boilerplate rows from (text, reason-or-None) pieces of the raw text."""
    raw_pos, spans, clean = 0, [], []
    for text, reason in pieces:
        if reason:
            spans.append({"boilerplate_id": stable_id(aid, raw_pos), "article_id": aid, "start": raw_pos, "end": raw_pos + len(text), "text": text, "reason": reason})
        else:
            clean.append(text)
        raw_pos += len(text)
    text = "".join(clean)
    row = {"article_id": aid, "source_file": f"{aid}.txt", "title": title, "published_date": None, "source_name": source, "text": text, "n_chars_raw": raw_pos, "n_chars_clean": len(text)}
    return row, spans


A1, A2, A3 = "a1a1a1a1a1a1a1a1", "b2b2b2b2b2b2b2b2", "c3c3c3c3c3c3c3c3"
G1, G2 = "9191919191919191", "9292929292929292"
# The ship before the name is outside the Basic Multilingual Plane: offsets count code points.
CLEAN_A1 = "🚢 Port news. Mayor Ana Ruiz said Lakeside will spend 40 million dollars.\n"


def _tables(with_extras: bool = True) -> dict[str, pl.DataFrame]:
    rows = [
        _article(A1, [("Harbour budget approved\n\n", "title"), (CLEAN_A1, None), ("Read more: Mayor opens library\n", "related_link"), ("Councillors voted nine to four.\n", None), ("© 2024 Lakeside Tribune\n", "footer")], "Harbour budget approved", "Lakeside Tribune"),
        _article(A2, [("Ana Ruiz backed a 40 million dollar harbour plan.\n", None), ("Share this on social media\n", "call_to_action")], "Harbour plan backed", "Valley Post"),
        _article(A3, [("The harbour will cost 45 million dollars, critics said.\n", None)], None, "Coast Herald"),
    ]
    tables = {
        "articles": pl.DataFrame([r for r, _ in rows]),
        "boilerplate": pl.DataFrame([s for _, spans in rows for s in spans]),
    }
    if with_extras:
        ruiz, lakeside = CLEAN_A1.index("Ana Ruiz"), CLEAN_A1.index("Lakeside")
        mayor = CLEAN_A1.index("Mayor")
        tables["sentences"] = pl.DataFrame(
            {"sentence_id": ["s1", "s2", "s3"], "article_id": [A1, A2, A3], "position": [1, 0, 0],
             "text": [CLEAN_A1[mayor:].strip(), "Ana Ruiz backed a 40 million dollar harbour plan.", "The harbour will cost 45 million dollars, critics said."], "start": [mayor, 0, 0]}
        )
        tables["entities"] = pl.DataFrame(
            {"entity_id": ["e000000000000001", "e000000000000002"], "name": ["Ana Ruiz", "Lakeside"], "type": ["PERSON", "GPE"], "aliases": [["Mayor Ruiz", "A. Ruiz"], []], "n_mentions": [2, 1], "n_articles": [2, 1], "wikidata_id": [None, "Q1025"]}
        )
        tables["mentions"] = pl.DataFrame(
            {"mention_id": ["m1", "m2", "m3"], "entity_id": ["e000000000000001", "e000000000000001", "e000000000000002"], "article_id": [A1, A2, A1], "sentence_id": ["s1", "s2", "s1"], "text": ["Ana Ruiz", "Ana Ruiz", "Lakeside"],
             "start": [ruiz, 0, lakeside], "end": [ruiz + 8, 8, lakeside + 8]}
        )
        tables["claims"] = pl.DataFrame(
            {
                "claim_id": ["c1", "c2", "c3"], "article_id": [A1, A2, A3], "sentence_id": ["s1", "s2", "s3"], "kind": ["quantity"] * 3,
                "text": ["Lakeside will spend 40 million dollars", "a 40 million dollar harbour plan", "The harbour will cost 45 million dollars"],
                "start": [0, 0, 0], "end": [1, 1, 1], "subject_entity_ids": [["e000000000000002"], [], []], "predicate": ["spend", "back", "cost"],
                "object": ["40 million dollars", "40 million dollar", "45 million dollars"], "group_id": [G1, G1, G2], "n_sources": [2, 2, 1],
                "conflicts_with": [[G2], [G2], [G1]],
            }
        )
    return tables


def _write_site(root: Path, tables: dict[str, pl.DataFrame]) -> Path:
    manifest = {"dataset": "newsclean", "version": "0.0.1", "schema_version": schemas.SCHEMA_VERSION, "pipeline_version": "test", "license": None, "inputs": []}
    models = {name: schemas.TABLES[name] for name in tables}
    downloads = [{"path": "data/articles.parquet", "table": "articles", "format": "parquet", "rows": 3, "bytes": 1234, "sha256": "ab" * 32}]
    for rel, content in site.site_files(tables, models, manifest, downloads):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(content, encoding="utf-8")
    return root / "index.html"


def _open(page, index: Path, route: str = "overview") -> None:
    page.goto(f"{index.as_uri()}#{route}")
    page.wait_for_selector(f"main[data-route='#{route}']")


def _click(page, selector: str, view: str) -> None:
    """Click a link and wait until the page has rendered its target view."""
    href = page.get_attribute(selector, "href")
    page.click(selector)
    page.wait_for_selector(f"main[data-route='{href}'][data-view='{view}']")


def test_click_through_overview_article_and_claim_group(page, tmp_path):
    index = _write_site(tmp_path, _tables())
    _open(page, index)
    captions = page.locator("figcaption").all_inner_texts()
    assert "Entities per type" in captions and "Claim groups by number of sources" in captions and "Boilerplate removed by reason (characters)" in captions
    assert page.locator("svg.chart").count() == 4  # rejects chart absent: no rejects table
    assert page.locator("svg.chart rect").count() >= 3 + 2 + 2

    _click(page, "nav >> text=Articles", "articles")
    _click(page, "main >> text=Harbour budget approved", "article")
    struck = page.locator("del.bp")
    assert struck.all_text_contents() == ["Harbour budget approved\n\n", "Read more: Mayor opens library\n", "© 2024 Lakeside Tribune\n"]
    assert [struck.nth(i).get_attribute("data-reason") for i in range(3)] == ["title", "related_link", "footer"]
    assert "line-through" in struck.first.evaluate("el => getComputedStyle(el).textDecorationLine")
    colours = {struck.nth(i).evaluate("el => getComputedStyle(el).backgroundColor") for i in range(3)}
    assert len(colours) == 3  # one colour per reason
    assert page.locator(".clean pre").text_content() == CLEAN_A1 + "Councillors voted nine to four.\n"
    assert page.locator(".clean a.mention").all_inner_texts() == ["Ana Ruiz", "Lakeside"]
    page.screenshot(path=tmp_path / "article.png", full_page=True)

    _click(page, "ul.claims a", "group")
    assert page.locator(".sources").inner_text() == "2 source(s)"
    assert page.locator("main table tbody tr").count() == 2
    assert set(page.locator("main table tbody tr td:first-child").all_inner_texts()) == {"Lakeside Tribune", "Valley Post"}
    conflict = page.locator("p.conflict")
    assert "Conflicts with: “The harbour will cost 45 million dollars”" in conflict.inner_text()
    page.screenshot(path=tmp_path / "group.png", full_page=True)
    _click(page, f"p.conflict a[title='{G2}']", "group")
    assert page.locator(".sources").inner_text() == "1 source(s)" and "45 million" in page.locator("main").inner_text()
    assert (tmp_path / "article.png").stat().st_size > 10_000 and (tmp_path / "group.png").stat().st_size > 5_000


def test_entity_pages_show_mention_sentences_claims_and_wikidata(page, tmp_path):
    index = _write_site(tmp_path, _tables())
    _open(page, index, f"article/1/{A1}")
    _click(page, ".clean a.mention >> text=Ana Ruiz", "entity")
    text = page.locator("main").inner_text()
    assert "Ana Ruiz (PERSON)" in text and "Mayor Ruiz, A. Ruiz" in text and "2 mention(s) in 2 article(s)" in text
    contexts = page.locator("ul.contexts li")
    assert contexts.count() == 2 and contexts.locator("mark").all_inner_texts() == ["Ana Ruiz", "Ana Ruiz"]
    assert "Mayor Ana Ruiz said Lakeside will spend 40 million dollars." in contexts.nth(0).inner_text()
    assert contexts.locator("a").all_inner_texts() == ["Harbour budget approved", "Harbour plan backed"]
    assert "No claim names it." in text and "Wikidata" not in text
    page.screenshot(path=tmp_path / "entity.png", full_page=True)
    _click(page, "ul.contexts a >> nth=1", "article")
    assert page.locator("main h2").inner_text() == "Harbour plan backed"

    _open(page, index, "entities/1")
    assert page.locator("main tbody tr").count() == 2 and page.locator("main tbody tr").first.inner_text().startswith("Ana Ruiz")
    assert page.get_attribute("main a.wikidata", "href") == "https://www.wikidata.org/wiki/Q1025"
    _click(page, "main tbody a >> text=Lakeside", "entity")
    named = page.locator("table.claims-table tbody tr")
    assert named.count() == 1 and "Lakeside will spend 40 million dollars" in named.inner_text() and "Lakeside Tribune" in named.inner_text()
    assert page.locator("main a.wikidata").inner_text() == "Q1025"


def test_pages_without_entity_and_claim_tables_say_so(page, tmp_path):
    index = _write_site(tmp_path, _tables(with_extras=False))
    _open(page, index)
    assert "No entities table in this release." in page.locator("main").inner_text()
    for route, note in (("entities/1", "No entities table in this release."), ("groups/1", "No claims table in this release.")):
        _open(page, index, route)
        assert page.locator("main").inner_text().strip() == note
    _open(page, index, f"article/1/{A2}")
    assert page.locator("del.bp").all_text_contents() == ["Share this on social media\n"]
    assert "No claims table in this release." in page.locator("main").inner_text()


def test_articles_are_paged_and_loaded_on_demand(page, tmp_path):
    rows = [_article(f"{i:016x}", [(f"Story number {i}.\n", None), ("Advertisement\n", "advertisement")], f"Story {i}") for i in range(site.ARTICLES_PER_PAGE * 2 + 7)]
    index = _write_site(tmp_path, {"articles": pl.DataFrame([r for r, _ in rows]), "boilerplate": pl.DataFrame([s for _, spans in rows for s in spans])})
    _open(page, index, "articles/1")
    assert "page 1 of 3" in page.locator(".pager").first.inner_text()
    assert page.locator("main tbody tr").count() == site.ARTICLES_PER_PAGE

    def loaded() -> list[str]:
        return [s.split("site/data/")[1] for s in page.eval_on_selector_all("head script[src]", "els => els.map(e => e.src)")]

    assert sorted(loaded()) == ["articles/00001.js", "meta.js"]
    _click(page, ".pager >> nth=0 >> a.next", "articles")
    _click(page, ".pager >> nth=0 >> a.next", "articles")
    assert page.locator("main tbody tr").count() == 7 and "Story 106" in page.locator("main").inner_text()
    assert sorted(loaded()) == ["articles/00001.js", "articles/00002.js", "articles/00003.js", "meta.js"]


def test_hostile_text_is_shown_as_text(page, tmp_path):
    evil = '<img src=x onerror="document.title=\'pwned\'"><script>document.title="pwned"</script>'
    row, spans = _article(A1, [(evil + "\n", "title"), (f"Body {evil}\n", None)], evil, "</td><b>x</b>")
    index = _write_site(tmp_path, {"articles": pl.DataFrame([row]), "boilerplate": pl.DataFrame(spans)})
    _open(page, index, "articles/1")
    _click(page, "main tbody a", "article")
    assert page.locator("main img, main script, main b").count() == 0
    assert evil in page.locator(".clean pre").inner_text() and page.title() != "pwned"


def test_tables_view_shows_schema_statistics_and_rows(page, tmp_path):
    index = _write_site(tmp_path, _tables())
    _open(page, index, "tables")
    assert page.locator("main h3").all_inner_texts() == ["articles", "boilerplate", "sentences", "entities", "mentions", "claims"]
    _click(page, "main h3 >> text=boilerplate", "table")
    page.wait_for_selector("#grid .tabulator-row")
    text = page.locator("main").inner_text()
    assert "All 4 rows" in text and "Read more: Mayor opens library" in text and "boilerplate_id" in text
    reason = page.locator(".stat[data-column='reason']")
    assert "0 nulls" in reason.inner_text() and "4 distinct" in reason.inner_text()
    _open(page, index, "table/articles")
    page.wait_for_selector("#grid .tabulator-row")
    assert "1 null (33%)" in page.locator(".stat[data-column='title']").inner_text()
    # A null is an empty cell, never the word "null".
    titles = page.locator("#grid .tabulator-cell[tabulator-field='title']").all_inner_texts()
    assert sorted(titles) == ["", "Harbour budget approved", "Harbour plan backed"] and "null" not in page.locator("#grid").inner_text()
    _open(page, index, "downloads")
    assert "1.2 KiB" in page.locator("main").inner_text() and page.locator("main a[href='manifest.json']").count() == 1


def test_committed_release_page_shows_every_article(page):
    versions = publish.released_versions(ROOT / "releases")
    assert versions, "no release committed under releases/"
    root = ROOT / "releases" / versions[-1]
    manifest = json.loads((root / "manifest.json").read_text())
    boilerplate = pl.read_parquet(root / "data/boilerplate.parquet")
    _open(page, root / "index.html", "articles/1")
    assert page.locator("main tbody tr").count() == min(manifest["tables"]["articles"], site.ARTICLES_PER_PAGE)
    _click(page, "main tbody a >> nth=0", "article")
    aid = page.url.rsplit("/", 1)[1]
    assert page.locator("del.bp").count() == boilerplate.filter(pl.col("article_id") == aid).height


def _search(page, query: str) -> None:
    page.fill("header input[type=search]", query)
    page.press("header input[type=search]", "Enter")
    page.wait_for_selector("main[data-view='search']")
    page.wait_for_function("q => document.querySelector('main').dataset.route === '#search/' + encodeURIComponent(q)", arg=query)


def test_search_finds_articles_entities_and_claims(page, tmp_path):
    index = _write_site(tmp_path, _tables())
    _open(page, index)
    _search(page, "ruiz")
    results = page.locator("li.result")
    found = [(results.nth(i).get_attribute("data-kind"), results.nth(i).locator("a").inner_text()) for i in range(results.count())]
    assert found == [("entity", "Ana Ruiz"), ("article", "Harbour budget approved"), ("article", "Harbour plan backed")]
    # Words match from their start, every word must match, case does not matter.
    _search(page, "HARB 40")
    found = {(r.get_attribute("data-kind"), r.locator("a").inner_text()) for r in results.all()}
    assert found == {("claim", "Lakeside will spend 40 million dollars"), ("article", "Harbour budget approved"), ("article", "Harbour plan backed")}
    _search(page, "45 harbour")
    assert [r.locator("a").inner_text() for r in results.all()] == ["The harbour will cost 45 million dollars", "c3c3c3c3c3c3c3c3.txt"]  # untitled: its file name
    page.screenshot(path=tmp_path / "search.png", full_page=True)
    _click(page, "li.result[data-kind=claim] a", "group")
    assert "45 million" in page.locator("main").inner_text()
    _search(page, "zebra")
    assert results.count() == 0 and "0 result(s)" in page.locator("main").inner_text()
    _search(page, "ünïcode 🚢")
    assert "ignored: 🚢" not in page.locator("main").inner_text() or results.count() == 0


def _filter(page, column: str, text: str) -> None:
    box = page.locator(f".tabulator-col[tabulator-field='{column}'] input")
    box.fill(text)
    box.press("End")  # Tabulator filters on key-up


def test_table_view_sorts_filters_and_pages_through_every_row(page, tmp_path):
    n = site.ROW_CHUNK * 2 + 345  # three chunk files
    rows = [_article(f"{i:016x}", [(f"Story number {i} " + "x" * (i % 97) + ".\n", None), ("Advertisement\n", "advertisement")], f"Story {i}" if i % 10 else None) for i in range(n)]
    frame = pl.DataFrame([r for r, _ in rows])
    index = _write_site(tmp_path, {"articles": frame, "boilerplate": pl.DataFrame([s for _, spans in rows for s in spans])})
    _open(page, index, "table/articles")
    counter = page.locator(".tabulator-page-counter")
    page.wait_for_function("() => /of 2345 rows/.test(document.querySelector('.tabulator-page-counter')?.textContent || '')")
    assert "Showing 1-25 of 2345 rows" in counter.inner_text()
    assert f"{frame['title'].null_count()} nulls (10%) · {frame['title'].drop_nulls().n_unique()} distinct" in page.locator(".stat[data-column='title']").inner_text()
    assert page.locator(".stat[data-column='n_chars_raw'] .histogram .bar").count() == site.HISTOGRAM_BINS

    def column(name: str) -> list[str]:
        return page.locator(f"#grid .tabulator-row .tabulator-cell[tabulator-field='{name}']").all_inner_texts()

    def settled(text: str) -> None:
        page.wait_for_function("t => (document.querySelector('.tabulator-page-counter')?.textContent || '').includes(t)", arg=text)

    # Paging to the last page loads only the last chunk.
    page.click(".tabulator-page[data-page='last']")
    settled("Showing 2326-2345 of 2345")
    assert column("_row")[-1] == "2345" and column("title")[-1] == "Story 2344"
    # Sort by a number, descending: the longest raw texts first, ties in table order.
    header = page.locator(".tabulator-col[tabulator-field='n_chars_raw'] .tabulator-col-title")
    header.click()
    header.click()
    page.wait_for_function("() => document.querySelector('.tabulator-col[tabulator-field=n_chars_raw]').getAttribute('aria-sort') === 'descending'")
    settled("Showing 1-25 of 2345")
    expected = frame.with_row_index().sort(["n_chars_raw", "index"], descending=[True, False]).head(25)
    page.wait_for_function("want => document.querySelector('#grid .tabulator-row .tabulator-cell[tabulator-field=article_id]')?.textContent === want", arg=expected["article_id"][0])
    assert column("article_id") == expected["article_id"].to_list()
    # Filter a text column (anywhere, any case) together with the sort.
    _filter(page, "title", "story 12")
    matching = frame.filter(pl.col("title").str.to_lowercase().str.contains("story 12", literal=True))
    settled(f"of {matching.height} rows")
    assert set(column("title")) <= set(matching["title"]) and len(column("title")) == min(25, matching.height)
    page.screenshot(path=tmp_path / "table.png", full_page=True)
    # A number filter compares.
    _filter(page, "title", "")
    _filter(page, "n_chars_clean", ">= 110")
    settled(f"of {frame.filter(pl.col('n_chars_clean') >= 110).height} rows")
    # The article id links to the article's page.
    first = page.locator("#grid .tabulator-cell[tabulator-field='article_id'] a").first
    _click(page, f"#grid a[href='{first.get_attribute('href')}']", "article")
    assert page.locator("main h2").inner_text().startswith("Story")


def test_conflicts_are_shown_side_by_side_with_sources_and_values(page, tmp_path):
    index = _write_site(tmp_path, _tables())
    _open(page, index, "conflicts/1")
    pairs = page.locator(".versus.pair")
    assert pairs.count() == 1
    left, right = pairs.locator(".side").nth(0), pairs.locator(".side").nth(1)
    assert left.locator(".value").all_inner_texts() == ["40 million dollars", "40 million dollar"]
    assert left.locator(".source").all_inner_texts() == ["Lakeside Tribune", "Valley Post"]
    assert right.locator(".value").all_inner_texts() == ["45 million dollars"] and right.locator(".source").all_inner_texts() == ["Coast Herald"]
    assert "2 source(s)" in left.inner_text() and "1 source(s)" in right.inner_text()
    page.screenshot(path=tmp_path / "conflicts.png", full_page=True)
    _click(page, ".versus.pair .side >> nth=1 >> h4 a", "group")
    versus = page.locator(".versus")
    assert versus.count() == 1 and "45 million dollars" in versus.locator(".side").nth(0).inner_text() and "40 million dollars" in versus.locator(".side").nth(1).inner_text()


def test_hostile_text_stays_text_in_table_views_and_search(page, tmp_path):
    evil = '<img src=x onerror="document.title=\'pwned\'">'
    row, spans = _article(A1, [(f"Body {evil}\n", None), (f"{evil}\n", "footer")], evil, evil)
    index = _write_site(tmp_path, {"articles": pl.DataFrame([row]), "boilerplate": pl.DataFrame(spans)})
    _open(page, index, "table/articles")
    page.wait_for_selector("#grid .tabulator-row")
    assert page.locator("main img").count() == 0 and evil in page.locator("#grid").inner_text()
    _search(page, "img onerror")
    assert page.locator("main img").count() == 0 and page.locator("li.result").count() == 1
    _search(page, evil)
    assert page.locator("main img").count() == 0 and page.title() != "pwned"
