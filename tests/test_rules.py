"""Stage rules: frozen, hashable, digested into the cache keys, and reaching the stages they tune."""

import dataclasses
import subprocess
import sys
from collections import Counter
from functools import partial

import polars as pl
import pytest

from pipeline import build
from pipeline.orchestration import flows
from pipeline.stages import clean, duplicates, ingest, stories
from pipeline.stages.entities import EntityRules
from pipeline.stages.ingest import InputFile, IngestRules
from pipeline.stages.rules import CapRules, Rules, rules_digest
from pipeline.stages.sentences import SentenceRules
from tests.conftest import ROOT
from tests.test_incremental import _inputs


def _leaves(rules, path=()):
    """(path of field names, value) of every field of a rules dataclass that is not itself rules."""
    for f in dataclasses.fields(rules):
        value = getattr(rules, f.name)
        if dataclasses.is_dataclass(value):
            yield from _leaves(value, (*path, f.name))
        else:
            yield (*path, f.name), value


def _replaced(rules, path, value):
    """`rules` with the field at `path` (nested names) set to `value`."""
    head, *rest = path
    inner = _replaced(getattr(rules, head), rest, value) if rest else value
    return dataclasses.replace(rules, **{head: inner})


def _other(value):
    """A value of the same type, different from `value`."""
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + 1
    if isinstance(value, float):
        return value / 2 if value else 0.5
    if isinstance(value, (str, tuple)):
        return value + value[:1] if value else type(value)("x")
    raise TypeError(f"no variant for {value!r}")


def _stage_rules(rules=Rules()):
    """Every rules dataclass in the bundle, nested ones included."""
    for f in dataclasses.fields(rules):
        value = getattr(rules, f.name)
        if dataclasses.is_dataclass(value):
            yield value
            yield from _stage_rules(value)


def test_every_stage_rules_is_frozen_hashable_and_all_fields_are_json_values():
    found = list(_stage_rules())
    assert {type(r).__name__ for r in found} >= {"IngestRules", "DecodeRules", "CleanRules", "SentenceRules", "EntityRules",
                                                 "TaggerRules", "NameRules", "StoryRules", "DuplicateRules", "CapRules",
                                                 "QuantityRules", "DateRules"}
    for rules in [Rules(), *found]:
        assert hash(rules) == hash(type(rules)())
        name = dataclasses.fields(rules)[0].name
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(rules, name, getattr(rules, name))
    for path, value in _leaves(Rules()):
        assert isinstance(value, (bool, int, float, str, tuple)), path  # what the digest's JSON spells one way


def test_the_digest_is_stable_and_changes_with_every_field():
    base = rules_digest(Rules())
    assert base == rules_digest(Rules()) and len(base) == 16
    digests = {base}
    for path, value in _leaves(Rules()):
        changed = _replaced(Rules(), path, _other(value))
        assert changed != Rules()
        digests.add(rules_digest(changed))
    assert len(digests) == 1 + len(list(_leaves(Rules()))), "every field changes the digest, each differently"


def test_the_digest_is_the_same_in_another_process():
    code = "from pipeline.stages.rules import Rules, rules_digest; print(rules_digest(Rules()))"
    other = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True, env={"PYTHONHASHSEED": "1"})
    assert other.stdout.strip() == rules_digest(Rules())


ARTICLES = pl.DataFrame({
    "article_id": ["a", "b"],
    "text": ["Farm prices rose. The council met on Monday. Mr. Kovalenko said 40 percent.", "One line only."],
})


def _options(**stages) -> build.BuildOptions:
    return build.BuildOptions(rules=dataclasses.replace(Rules(), **stages))


def test_sentence_rules_reach_the_stage_through_annotated():
    default = build.annotated(ARTICLES)[0]["sentences"]
    assert default.filter(pl.col("article_id") == "a").height == 3
    found, reports = build.annotated(ARTICLES, _options(sentences=SentenceRules(max_sentences_per_article=2)))
    capped = found["sentences"]
    assert capped.filter(pl.col("article_id") == "a")["text"].to_list() == ["Farm prices rose.", "The council met on Monday."]
    assert capped.filter(pl.col("article_id") == "b").height == 1
    assert reports[0].as_dict() == {"stage": "sentences", "rows_in": 4, "rows_out": 3, "removed": {"sentences_over_article_cap": 1}, "unit": "sentences", "counted": {}}


def test_caps_reach_the_annotations_and_are_counted():
    text = "Mr. Kovalenko and Ana Lind said the counts were " + ", ".join(str(i) for i in range(1, 30)) + " troops."
    articles = pl.DataFrame({"article_id": ["n"], "text": [text]})
    default, _ = build.annotated(articles)
    assert default["quantities"].height > 5 and default["candidates"].height >= 2
    tables, reports = build.annotated(articles, _options(caps=CapRules(max_quantities_per_sentence=5), entities=EntityRules(max_mentions_per_article=1)))
    assert tables["quantities"].height == 5 and tables["candidates"].height == 1
    caps = sum((r.removed for r in reports), Counter())
    assert caps == Counter({"quantities_over_sentence_cap": default["quantities"].height - 5, "mentions_over_article_cap": default["candidates"].height - 1})


def test_ingest_clean_story_and_duplicate_rules_reach_their_stages():
    page = "Note: " + "<p>a</p>" * 3 + "<br> plain words"  # 7 tags, 3 closing
    assert not ingest.looks_like_html("x.txt", page)
    assert ingest.looks_like_html("x.txt", page, IngestRules(min_page_tags=6, min_page_closing_tags=3))
    data = b"Some words\x00 and more words here.\n" * 3  # 3 % NUL bytes
    docs, rejects = ingest.documents([InputFile("nul.txt", data, len(data))])
    assert rejects["reason"].to_list() == ["binary"]
    lenient = dataclasses.replace(IngestRules().decode, binary_nul_share=0.05)
    docs, rejects = ingest.documents([InputFile("nul.txt", data, len(data))], IngestRules(decode=lenient))
    assert docs.height == 1 and rejects.is_empty()

    assert not clean.has_prose("Home World Sport Business")
    assert clean.has_prose("Home World Sport Business", clean.CleanRules(min_words_without_sentence=4))

    texts = ["Council approves new harbour bridge budget for coastal district residents today",
             "Council approves new harbour bridge budget for coastal district residents",
             "Storm closes mountain passes while farmers gather the late harvest"]
    sents = pl.DataFrame({"sentence_id": ["s0", "s1", "s2"], "article_id": ["a", "b", "c"], "position": [0, 0, 0], "text": texts})
    assert duplicates.duplicate_sentences(sents)["duplicate_of"].to_list() == [None, "s0", None]
    strict = duplicates.DuplicateRules(jaccard=0.99)
    assert duplicates.duplicate_sentences(sents, strict)["duplicate_of"].to_list() == [None, None, None]

    # Two articles sharing their names and numbers: one story by default, two when three times the names are needed.
    story = "Mayor Ana Lind of Port Vale opened the Vale Harbour Bridge on Monday at a cost of 45 million, Ana Lind said."
    arts = pl.DataFrame({"article_id": ["x", "y"], "text": [story, story.replace("opened", "inaugurated")]})
    assert stories.story_ids(arts)["story_id"].n_unique() == 1
    assert stories.story_ids(arts, rules=stories.StoryRules(min_shared_names=30))["story_id"].n_unique() == 2


def test_a_changed_rule_changes_the_build_key_and_recomputes(prefect_harness, tmp_path, monkeypatch):
    inp = _inputs(tmp_path / "in", n_synthetic=1)
    out = tmp_path / "data"
    first = flows.build_dataset(input=str(inp), out=str(out))
    assert pl.read_parquet(out / "sentences.parquet").group_by("article_id").len()["len"].max() > 2
    assert flows.build_dataset(input=str(inp), out=str(out))["nothing_to_do"]
    two = dataclasses.replace(Rules(), sentences=SentenceRules(max_sentences_per_article=2))
    monkeypatch.setattr(flows, "BuildOptions", partial(build.BuildOptions, rules=two))
    second = flows.build_dataset(input=str(inp), out=str(out))
    assert not second.get("nothing_to_do") and second["incremental"]["documents_analysed"] == first["incremental"]["documents_analysed"]
    assert pl.read_parquet(out / "sentences.parquet").group_by("article_id").len()["len"].max() == 2
    # The ingest rules are part of the ingest cache keys: changing them decodes every file again.
    monkeypatch.setattr(flows, "BuildOptions", partial(build.BuildOptions, rules=dataclasses.replace(two, ingest=IngestRules(min_page_tags=9))))
    third = flows.build_dataset(input=str(inp), out=str(out))
    assert third["incremental"]["files_decoded"] == third["input_files"]


def test_quantity_and_date_rules_reach_their_stages_through_annotated():
    from pipeline.stages.dates import DateRules
    from pipeline.stages.quantities import QuantityRules

    articles = pl.DataFrame({"article_id": ["q"], "text": ["Hundreds of rockets fell on Fri, Jul 18."]})
    articles = articles.with_columns(pl.lit("2020-01-01").str.to_date().alias("published_date"))
    default, _ = build.annotated(articles)
    assert default["quantities"]["value"].to_list() == [200.0]
    assert default["dates"]["value"].cast(pl.Utf8).to_list() == ["2014-07-18"]
    tuned, _ = build.annotated(articles, _options(quantities=QuantityRules(vague_factor=3), dates=DateRules(weekday_year_span=1)))
    assert tuned["quantities"]["value"].to_list() == [300.0]
    assert tuned["dates"]["value"].cast(pl.Utf8).to_list() == ["2019-07-18"]


def test_boilerplate_and_html_rules_reach_cleaning_and_ingest_through_the_build():
    """The boilerplate rules ride in `Rules.clean` (the clean stage runs them) and the HTML title
    rules in `Rules.ingest` (HTML is read at ingest): a changed field changes what the build makes."""
    from pipeline.stages.boilerplate import BoilerplateRules
    from pipeline.stages.htmlmeta import HtmlMetaRules

    paragraph = "The council approved the harbour bridge budget on Monday after a long debate. " * 3
    page = "\n\n".join(["Tram line to reach northern suburbs", "By Jane Doe", paragraph, paragraph.replace("council", "board")])
    html = ("<html><head><title>Tram line to reach suburbs | Daily</title></head><body>"
            f"<article><p>{paragraph}</p><p>{paragraph.replace('council', 'board')}</p></article></body></html>").encode()
    inputs = [InputFile("page.txt", page.encode(), len(page.encode())), InputFile("doc.html", html, len(html))]

    def built(options: build.BuildOptions) -> pl.DataFrame:
        tables, _ = build.run(build.order.INGEST + build.order.DOCUMENTS + build.order.SHARD[:1], {"inputs": inputs}, options)
        return tables["articles"].sort("source_file")

    default = built(build.BuildOptions())
    assert default["author"].to_list() == [None, "Jane Doe"]
    assert default["title"].to_list()[0] == "Tram line to reach suburbs"
    no_byline = dataclasses.replace(BoilerplateRules(), byline_reach=0)
    short_titles = dataclasses.replace(HtmlMetaRules(), max_title_chars=10)
    tuned = built(_options(clean=clean.CleanRules(boilerplate=no_byline), ingest=IngestRules(html=short_titles)))
    assert tuned["author"].to_list() == [None, None] and tuned["title"].to_list()[0] != "Tram line to reach suburbs"
