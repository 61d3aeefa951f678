"""The stage interface (`pipeline.core.stage`) and the stage list (`pipeline.stages.order`)."""

import polars as pl
import pytest

from pipeline import build
from pipeline.core import stage
from pipeline.core.stage import Cap, Output, Stage, tally
from pipeline.stages import order

ROWS = pl.DataFrame({"article_id": ["a", "a", "b", "c"], "start": [0, 5, 0, 0], "word": ["x", "y", "z", "w"]})


def kept(rows: pl.DataFrame) -> Output:
    """Drops "z" saying why, and "w" silently."""
    out = rows.filter(~pl.col("word").is_in(["z", "w"]))
    return Output({"kept": out}, removed=tally(rows.filter(pl.col("word") == "z"), "is_z"))


def made(kept: pl.DataFrame) -> Output:
    """Three new rows per kept row."""
    return Output({"made": pl.concat([kept] * 3).sort("article_id", "start")}, counted=tally(kept, "kept_rows_seen"))


STAGES = (
    Stage(kept, ("kept",), "keep", "words", rows_out="kept", rows_in="rows"),
    Stage(made, ("made",), "make", "copies", rows_out="made", cap=Cap("made", "article_id", 4, "over_cap")),
)


def test_every_stage_is_counted_in_its_unit_and_silent_drops_are_named():
    found, counts = stage.run(STAGES, {"rows": ROWS})
    keep, make = stage.reports(counts)
    assert keep.as_dict() == {"stage": "keep", "rows_in": 4, "rows_out": 2, "removed": {"is_z": 1, "unexplained": 1}, "unit": "words", "counted": {}}
    # A stage making new rows: rows in are the rows it made, before the cap dropped two.
    assert make.as_dict() == {"stage": "make", "rows_in": 6, "rows_out": 4, "removed": {"over_cap": 2}, "unit": "copies", "counted": {"kept_rows_seen": 2}}
    assert found["made"].height == 4 and found["rows"] is ROWS


def test_given_tables_are_not_computed_but_still_capped_and_counted():
    calls = []

    def around(s, call):
        calls.append(s.name)
        return call()

    given = pl.concat([ROWS.head(2)] * 4)
    found, counts = stage.run(STAGES, {"rows": ROWS, "made": given}, around=around)
    assert calls == ["kept"]
    assert found["made"].height == 4
    assert stage.reports(counts)[1].as_dict() == {"stage": "make", "rows_in": 8, "rows_out": 4, "removed": {"over_cap": 4}, "unit": "copies", "counted": {}}


def test_a_stage_needing_a_table_no_one_makes_is_refused():
    with pytest.raises(KeyError, match="needs rows"):
        stage.run(STAGES, {})


def test_reports_per_document_add_up_to_the_whole_and_name_every_stage():
    articles = pl.DataFrame({"article_id": ["a", "b", "c"], "source_file": ["a.txt", "b.txt", "c.txt"]})
    _, counts = stage.run(STAGES, {"rows": ROWS})
    each = stage.reports_by_document(counts, articles, ["c.txt", "a.txt", "d.txt", "b.txt"])
    assert [[r.stage for r in reports] for reports in each] == [["keep", "make"]] * 4
    by_file = dict(zip(["c.txt", "a.txt", "d.txt", "b.txt"], each))
    assert by_file["c.txt"][0].removed == {"unexplained": 1} and by_file["b.txt"][0].removed == {"is_z": 1}
    assert by_file["a.txt"][1].as_dict()["removed"] == {"over_cap": 2} and by_file["d.txt"][1].rows_in == 0
    assert [r.as_dict() for r in build.merged_reports(each)] == [r.as_dict() for r in stage.reports(counts)]


PHASE_INPUTS = {
    "INGEST": {"inputs", "ner"},
    "DOCUMENTS": {"documents", "lines", "ner"},
    "SHARD": {"unique_documents", "templates", "gazetteer", "ner"},
    "ANNOTATIONS": {"articles", "gazetteer", "ner"},
    "CORPUS": {"articles", "sentences", "candidates", "quantities", "dates", "sentence_signatures", "gazetteer", "ner"},
}


@pytest.mark.parametrize("phase", sorted(PHASE_INPUTS))
def test_the_stage_list_is_wired_by_name(phase):
    """Each stage reads only its phase's inputs and what earlier stages made; no table is made
    twice; a reporting stage counts rows of tables it makes or reads."""
    known = set(PHASE_INPUTS[phase])
    for s in getattr(order, phase):
        assert set(s.needs) <= known, (s.name, set(s.needs) - known)
        assert not set(s.produces) & known, s.name
        assert s.name in s.produces, "a stage is named after what it produces"
        known |= set(s.produces)
        if s.report:
            assert s.rows_out in s.produces and (s.rows_in is None or s.rows_in in s.needs), s.name


def test_the_corpus_phase_reads_what_the_shard_phase_makes():
    made = {name for s in order.SHARD for name in s.produces}
    needed = {n for s in order.CORPUS for n in s.needs} - {name for s in order.CORPUS for name in s.produces} - {"gazetteer", "ner"}
    assert needed <= made, needed - made
    assert set(order.ANNOTATIONS) <= set(order.SHARD)
