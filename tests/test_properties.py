"""Property tests: for arbitrary input every stage returns, its spans are exact, nothing is lost
and the output does not depend on input order.

Strategies mix arbitrary Unicode with news-like lines (boilerplate phrases, numbers, dates,
names, abbreviations) so the stages' rules fire, not only their fast paths.
"""

import codecs
import datetime
import hashlib
import re
import unicodedata

import polars as pl
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from pipeline.stages import clean, dates, entities, ingest, quantities, sentences
from pipeline.stages.boilerplate import cleaned, rebuilt_clean, rebuilt_raw, template_line_keys
from pipeline.stages.decode import NotText, decoded, normalised
from schemas.boilerplate import REASONS

_UTF8_MULTIBYTE = re.compile("[^\x00-\x7f\ufffd]")
PROPERTY_SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW_SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

FRAGMENTS = (
    "Officials said on Tuesday that 3,500 troops would leave by Dec. 31, 2021.",
    "The U.S. military's combat mission in Iraq ended, Gen. Frank McKenzie said.",
    "About $2.5 billion (€2.1bn) was spent, up 12% from 2020.",
    "“We are not leaving,” he said. “Not yet.”",
    "Read more: Biden meets Kadhimi at the White House",
    "Share this article",
    "Advertisement",
    "Copyright © 2021 Example News. All rights reserved.",
    "Posted on July 27, 2021 by Staff Reporter",
    "Home | World | Politics | Sport",
    "Comments (12)",
    "Stay tuned to Example TV for the latest news.",
    "Photo: Reuters",
    "- Two thousand soldiers",
    "1. First point",
    "Mr. Smith arrived at 5 p.m. on Monday...",
    "In the 1990s, some 2.5 million people fled; last week, half returned.",
    "卫生部周二表示，新医院将于下个月开业。",
    "قالت وزارة الصحة يوم الثلاثاء إن المستشفى سيفتح.",
    "Министерство заявило во вторник, что больница откроется.",
    "a.a.a.a.a.a.a.a.a.a",
    "........",
    "((((((((((",
    "$$$$ 1,2,3,4,5,6,7,8,9 %%%%",
    "",
    " ",
    "\t",
)

news_lines = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=40)), max_size=14)
separators = st.sampled_from(["\n", "\n\n", " ", "\r\n", "\n \n"])


@st.composite
def news_text(draw) -> str:
    """Raw text the way decoding leaves it: normalised, news-like lines mixed with noise."""
    lines = draw(news_lines)
    sep = draw(separators)
    return normalised(sep.join(lines))


texts = st.one_of(news_text(), st.text(max_size=300).map(normalised))


def _assert_spans(text: str, spans, what: str) -> None:
    for start, end, span_text in spans:
        assert 0 <= start <= end <= len(text), f"{what}: span {start}-{end} out of bounds"
        assert text[start:end] == span_text, f"{what}: span {start}-{end} does not match its text"


# --- decode ---------------------------------------------------------------------------------


@PROPERTY_SETTINGS
@given(st.binary(max_size=2000))
def test_any_bytes_decode_to_clean_text_or_not_text(data):
    try:
        result = decoded(data)
    except NotText as err:
        assert str(err)
        return
    text = result.text
    text.encode("utf-8")  # no lone surrogate survives decoding
    assert "\r" not in text and "\x00" not in text and "\t" not in text
    assert all(ch == "\n" or unicodedata.category(ch) not in ("Cc", "Cs") for ch in text)
    assert unicodedata.is_normalized("NFC", text)
    assert normalised(text) == text, "normalising twice changes nothing"


printable_text = st.text(st.characters(blacklist_categories=("Cc", "Cs")), min_size=1, max_size=300)


@PROPERTY_SETTINGS
@given(printable_text, st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le-bom", "utf-16-be-bom"]))
def test_text_survives_utf8_and_utf16_with_a_bom(text, encoding):
    if encoding == "utf-16-le-bom":
        data = codecs.BOM_UTF16_LE + text.encode("utf-16-le")
    elif encoding == "utf-16-be-bom":
        data = codecs.BOM_UTF16_BE + text.encode("utf-16-be")
    else:
        data = text.encode(encoding)
    expected = normalised(text)
    try:
        assert decoded(data).text == expected
    except NotText:
        # Only a text that itself starts like a PDF may be refused.
        assert encoding == "utf-8" and text.startswith("%PDF-")


@PROPERTY_SETTINGS
@given(st.text(st.characters(codec="cp1252", blacklist_categories=("Cc",)), min_size=1, max_size=300))
@example("í\xa0\xa0")  # ED A0 A0: also a lone surrogate written as UTF-8, which means nothing there
def test_cp1252_text_is_read_back_exactly_unless_it_is_also_utf8(text):
    data = text.encode("cp1252")
    try:
        result = decoded(data)
    except NotText:
        assert text.startswith("%PDF-")
        return
    # Bytes that hold valid UTF-8 multibyte sequences ("Ã©" is also "é") are ambiguous; any other
    # cp1252 file must come back exactly, whichever path decoded it.
    if not _UTF8_MULTIBYTE.search(data.decode("utf-8", errors="replace")):
        assert result.text == normalised(text)


# --- ingest -----------------------------------------------------------------------------------

file_names = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=20)
contents = st.one_of(st.binary(max_size=400), news_text().map(lambda t: t.encode("utf-8")), texts.map(lambda t: t.encode("utf-16")))
html_pages = news_text().map(lambda t: f"<html><body><p>{t}</p><footer>Copyright</footer></body></html>".encode())


@st.composite
def input_files(draw) -> list[ingest.InputFile]:
    names = draw(st.lists(file_names, unique=True, max_size=6))
    files = []
    for name in names:
        kind = draw(st.sampled_from(["content", "content", "html", "unreadable", "too_large"]))
        if kind == "unreadable":
            files.append(ingest.InputFile(name, None, None, "unreadable", "cannot read the file: Permission denied"))
        elif kind == "too_large":
            files.append(ingest.InputFile(name, None, ingest.MAX_FILE_BYTES + 1, "too_large", "over the limit"))
        else:
            data = draw(html_pages if kind == "html" else contents)
            files.append(ingest.InputFile(name, data, len(data)))
    return files


@SLOW_SETTINGS
@given(input_files(), st.randoms(use_true_random=False))
def test_ingest_accounts_for_every_file_whatever_the_order(files, rnd):
    docs, rejects = ingest.documents(files)
    assert sorted(docs["source_file"].to_list() + rejects["source_file"].to_list()) == sorted(ingest.printable_path(f.source_file) for f in files)
    assert rejects["detail"].str.len_chars().min() is None or rejects["detail"].str.len_chars().min() > 0
    shuffled = files[:]
    rnd.shuffle(shuffled)
    docs2, rejects2 = ingest.documents(shuffled)
    assert docs2.sort("source_file").equals(docs.sort("source_file"))
    assert rejects2.sort("source_file").equals(rejects.sort("source_file"))
    unique, dupes = ingest.unique_documents(docs)
    unique2, dupes2 = ingest.unique_documents(docs2)
    assert unique.equals(unique2) and dupes.sort("source_file").equals(dupes2.sort("source_file"))
    assert unique.height + dupes.height == docs.height and unique["text_sha256"].n_unique() == unique.height


# --- boilerplate and clean ----------------------------------------------------------------------


@PROPERTY_SETTINGS
@given(texts)
def test_cleaning_loses_nothing_and_its_spans_are_exact(raw):
    result = cleaned(raw)
    removals = result.removals
    _assert_spans(raw, [(r.start, r.end, r.text) for r in removals], "boilerplate")
    assert all(r.reason in REASONS and r.end > r.start for r in removals)
    assert all(a.end <= b.start for a, b in zip(removals, removals[1:])), "removals are ordered and disjoint"
    assert rebuilt_clean(raw, removals) == result.text
    assert rebuilt_raw(result.text, removals) == raw


@SLOW_SETTINGS
@given(st.lists(texts, min_size=1, max_size=8), st.randoms(use_true_random=False))
def test_template_lines_and_articles_do_not_depend_on_document_order(raws, rnd):
    docs = pl.DataFrame(
        {
            "source_file": [f"f{i}.txt" for i in range(len(raws))],
            "raw_sha256": [hashlib.sha256(str(i).encode()).hexdigest() for i in range(len(raws))],
            "n_bytes": [len(r) for r in raws],
            "raw_text": raws,
            "encoding": ["utf-8"] * len(raws),
            "warnings": [[] for _ in raws],
            "html_title": [None] * len(raws),
            "html_date": [None] * len(raws),
            "html_site": [None] * len(raws),
        },
        schema_overrides={"html_date": pl.Date, "warnings": pl.List(pl.Utf8), "html_title": pl.Utf8, "html_site": pl.Utf8},
    )
    shuffled = raws[:]
    rnd.shuffle(shuffled)
    keys = template_line_keys(raws, min_docs=2)
    assert template_line_keys(shuffled, min_docs=2) == keys
    arts, spans, rejects = clean.articles(docs, keys)
    arts2, spans2, rejects2 = clean.articles(docs.sample(fraction=1.0, shuffle=True, seed=rnd.randint(0, 2**32)), keys)
    assert arts.sort("article_id").equals(arts2.sort("article_id"))
    assert spans.sort("boilerplate_id").equals(spans2.sort("boilerplate_id"))
    assert rejects.sort("source_file").equals(rejects2.sort("source_file"))
    assert arts.height + rejects.height == docs.height
    raw_by_id = {clean.article_id(s): r for s, r in zip(docs["raw_sha256"], raws)}
    for art in arts.iter_rows(named=True):
        own = spans.filter(pl.col("article_id") == art["article_id"])
        _assert_spans(raw_by_id[art["article_id"]], own.select("start", "end", "text").iter_rows(), "boilerplate table")
        assert clean.has_prose(art["text"])


# --- sentences ------------------------------------------------------------------------------------


@PROPERTY_SETTINGS
@given(texts)
def test_sentence_spans_cover_every_visible_character_exactly_once(text):
    spans = sentences.sentence_spans(text)
    assert all(0 <= s < e <= len(text) for s, e in spans)
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:])), "ordered, disjoint"
    assert all(not text[s].isspace() and not text[e - 1].isspace() for s, e in spans), "stripped"
    covered = bytearray(len(text))
    for s, e in spans:
        covered[s:e] = b"\x01" * (e - s)
    lost = [i for i, ch in enumerate(text) if not ch.isspace() and not covered[i]]
    assert not lost, f"characters outside every sentence: {[text[i] for i in lost][:10]}"


def _articles(texts_: list[str]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "article_id": [f"{i:016x}" for i in range(len(texts_))],
            "text": texts_,
            "published_date": [datetime.date(2021, 7, 27) if i % 2 else None for i in range(len(texts_))],
        },
        schema={"article_id": pl.Utf8, "text": pl.Utf8, "published_date": pl.Date},
    )


def _shuffled(frame: pl.DataFrame, rnd) -> pl.DataFrame:
    return frame.sample(fraction=1.0, shuffle=True, seed=rnd.randint(0, 2**32))


def _assert_frame_spans(frame: pl.DataFrame, arts: pl.DataFrame, what: str) -> None:
    joined = frame.join(arts.select("article_id", pl.col("text").alias("_article")), on="article_id", how="left")
    assert joined["_article"].null_count() == 0, f"{what}: unknown article"
    for start, end, text, article in joined.select("start", "end", "text", "_article").iter_rows():
        _assert_spans(article, [(start, end, text)], what)


@SLOW_SETTINGS
@given(st.lists(texts, min_size=1, max_size=6), st.randoms(use_true_random=False))
def test_sentence_rows_are_exact_and_do_not_depend_on_article_order(texts_, rnd):
    arts = _articles(texts_)
    sents = sentences.sentences(arts)
    assert sents.equals(sentences.sentences(_shuffled(arts, rnd)))
    _assert_frame_spans(sents, arts, "sentences")
    assert sents["sentence_id"].n_unique() == sents.height


# --- analysis stages ----------------------------------------------------------------------


@SLOW_SETTINGS
@pytest.mark.parametrize("stage, table", [(quantities.quantities, "quantities"), (dates.dates, "dates")])
@given(texts_=st.lists(texts, min_size=1, max_size=5), rnd=st.randoms(use_true_random=False))
def test_number_and_date_spans_are_exact_and_order_free(stage, table, texts_, rnd):
    arts = _articles(texts_)
    sents = sentences.sentences(arts)
    found = stage(arts, sents)
    assert found.equals(stage(_shuffled(arts, rnd), _shuffled(sents, rnd)))
    _assert_frame_spans(found, arts, table)
    _assert_in_sentences(found, sents)


@pytest.fixture(scope="module")
def gazetteer():
    return entities.load_gazetteer()


@SLOW_SETTINGS
@given(texts_=st.lists(texts, min_size=1, max_size=5), rnd=st.randoms(use_true_random=False))
def test_entity_mentions_are_exact_and_order_free(gazetteer, texts_, rnd):
    arts = _articles(texts_)
    sents = sentences.sentences(arts)
    found = entities.mention_candidates(arts, sents, gazetteer)
    assert found.equals(entities.mention_candidates(_shuffled(arts, rnd), _shuffled(sents, rnd), gazetteer))
    _assert_frame_spans(found, arts, "mentions")
    _assert_in_sentences(found, sents)
    mentions, ents = entities.resolved_entities(found, gazetteer)
    shuffled_mentions, shuffled_ents = entities.resolved_entities(_shuffled(found, rnd), gazetteer)
    assert mentions.equals(shuffled_mentions) and ents.equals(shuffled_ents)


def _assert_in_sentences(found: pl.DataFrame, sents: pl.DataFrame) -> None:
    """Every span lies inside the sentence it names."""
    joined = found.join(sents.select("sentence_id", pl.col("start").alias("s_start"), pl.col("end").alias("s_end")), on="sentence_id", how="left")
    outside = joined.filter(pl.col("s_start").is_null() | (pl.col("start") < pl.col("s_start")) | (pl.col("end") > pl.col("s_end")))
    assert outside.is_empty(), outside.head(3)
