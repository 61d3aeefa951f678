"""`python -m pipeline train boilerplate`: a small training run end to end, on pages written here."""

import json
from pathlib import Path

from pipeline.stages.boilerplate import cleaned
from pipeline.cli import main
from pipeline.stages.linemodel import MODEL_PATH, LineModel

STORIES = [
    ("Tram line to reach northern suburbs", "tram", "council", "suburbs"),
    ("Harbour ferry strike enters its third week", "ferry", "union", "island"),
    ("New library opens in the old town hall", "library", "mayor", "books"),
    ("River flood defences to be raised", "river", "engineers", "banks"),
    ("School meals to become free for all pupils", "meals", "schools", "parents"),
    ("Airport expansion plan rejected by judges", "airport", "judges", "runway"),
]
NAV = ["Home", "* News", "* Sport", "* Weather", "Search", "Log In"]
FOOTER = ["Related Stories", "* Mayor opens new park", "Comments", "Share this", "© 2024 Example News", "Privacy Policy"]


def _body(a: str, b: str, c: str, n: int) -> list[str]:
    return [f"The {b} said on day {k} that the {a} plan for the {c} would go ahead, after months of debate "
            f"about its cost and about who would pay for the {a} works in the end." for k in range(n)]


def _shared(root: Path) -> Path:
    zyte, wcxb, wiki = [], [], []
    for k, (title, a, b, c) in enumerate(STORIES):
        body = _body(a, b, c, 3 + k % 3)
        raw = "\n".join([*NAV, title, f"By Writer {k}", "March 3, 2021", *body, *FOOTER])
        page = {"id": f"{k:04d}", "url": f"https://site{k}.example/news/{a}", "raw_text": raw, "gold_text": "\n".join(body)}
        zyte.append(page)
        wcxb.append(page | {"page_type": "article", "domain": f"other{k}.example", "title": title})
        wiki.append({"id": f"2020-{k:04d}", "title": title, "date": "2020-05-0" + str(k + 1),
                     "text": f"Friday, May {k + 1}, 2020\n\n" + "\n\n".join(body)})
    for rel, rows in (("benchmarks/boilerplate/dev.jsonl", zyte), ("benchmarks/boilerplate/wcxb/dev.jsonl", wcxb),
                      ("corpora/wikinews/wikinews-2019-2020.jsonl", wiki)):
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return root


def test_train_boilerplate_end_to_end(tmp_path: Path) -> None:
    shared = _shared(tmp_path / "shared")
    outs = [tmp_path / "a", tmp_path / "b"]
    for out in outs:
        assert main(["train", "boilerplate", "--shared", str(shared), "--out", str(out)]) == 0
    first, second = (out / MODEL_PATH.name for out in outs)
    assert first.read_bytes() == second.read_bytes()  # reproducible byte for byte
    model = LineModel.from_json(json.loads(first.read_text(encoding="utf-8")))
    assert model.title is not None
    # a page it has not seen, laid out the same way
    body = _body("bridge", "ministry", "valley", 4)
    raw = "\n".join([*NAV, "Bridge over the valley to be rebuilt", "By Ann Other", *body, *FOOTER])
    c = cleaned(raw, model=model)
    assert c.text == "\n".join(body)
    assert c.title == "Bridge over the valley to be rebuilt"


def test_shipped_model_is_plain_json() -> None:
    data = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    assert LineModel.from_json(data).title is not None
    assert MODEL_PATH.stat().st_size < 1_000_000
