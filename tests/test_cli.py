"""The command line: annotate output fields, and one-line errors a user can act on."""

import json

import pytest

from pipeline.cli import main


def _write_jsonl(path, records):
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records), encoding="utf-8")


def test_annotate_writes_every_stage_per_line(tmp_path):
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    _write_jsonl(src, [
        {"id": "a", "text": "President Joe Biden said on Monday that about 2,500 US troops remain in Iraq.", "published_date": "2021-07-27"},
        {"id": "b", "text": "Biden met Iraqi Prime Minister Mustafa al-Kazemi at the White House."},
    ])
    assert main(["annotate", "--input", str(src), "--output", str(out)]) == 0
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [line["id"] for line in lines] == ["a", "b"]
    first = lines[0]
    assert set(first) == {"id", "sentences", "mentions", "quantities", "dates", "claims"}
    assert {m["entity"] for m in first["mentions"]} >= {"Joe Biden", "Iraq"}
    assert [(q["value"], q["qualifier"], q["unit"]) for q in first["quantities"]] == [(2500.0, "approximate", "troop")]
    assert [d["value"] for d in first["dates"]] == ["2021-07-26"]
    assert "Joe Biden" in {m["entity"] for m in lines[1]["mentions"]}, "resolution runs across the lines of one file"


@pytest.mark.parametrize(
    "record, message",
    [
        ({"id": "x", "text": 5}, "record 1: must be an object with a string 'text'"),
        ('["not", "an", "object"]', "record 1: must be an object with a string 'text'"),
        ({"id": "x", "text": "Hello.", "published_date": "27/07/2021"}, "published_date '27/07/2021' is not an ISO date"),
        ("{broken", "in.jsonl:1: not a JSON object"),
    ],
)
def test_bad_annotate_input_is_one_clear_line(tmp_path, capsys, record, message):
    src = tmp_path / "in.jsonl"
    _write_jsonl(src, [record])
    try:
        code = main(["annotate", "--input", str(src), "--output", str(tmp_path / "out.jsonl")])
    except SystemExit as exit_:
        code, err = 1, str(exit_.code)
    else:
        err = capsys.readouterr().err
    assert code == 1 and message in err and "Traceback" not in err


def test_bad_gazetteer_stops_the_build_before_it_starts(tmp_path, capsys):
    gazetteer = tmp_path / "extra.csv"
    gazetteer.write_text("name,type\nAcme,COMPANY\n", encoding="utf-8")
    assert main(["build", "--input", str(tmp_path), "--out", str(tmp_path / "data"), "--gazetteer", str(gazetteer)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"error: gazetteer {gazetteer}:") and "COMPANY" in err
    assert not (tmp_path / "data").exists()
