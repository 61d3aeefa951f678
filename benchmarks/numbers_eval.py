"""Score `pipeline.stages.quantities` and `pipeline.stages.dates` on the numbers/dates development set, and time them.

Usage: python benchmarks/numbers_eval.py [--benchmarks DIR] [--training DIR] [--corpus DIR] [--mb 2] [--failures]
       [--half tune|held]

`--half` scores one half of every source, split by a hash of the case id: tune on `tune` (its
failures may be listed), report `held` (its failures are never listed).

Two independent sources, scored the same way: the Recognizers-Text half in `--benchmarks`
(`../shared/benchmarks/numbers`) and Duckling's English corpus in `--training`
(`../shared/training/{dates,numbers}`, see `../shared/training/SOURCES.md`).

Scoring follows the set's README. Numbers: the multiset of values of every quantity except
measurements; percent: values with unit "percent"; currency: values with a currency or a minor
unit, whose currency must agree (ISO code, or the last word of the expected unit's name);
dimension: values of measurements. Dates: the day-level subset (every expected entity a
resolved date or datetime) passes when as many dates are found as expected and each matches a
distinct expected one on the calendar day (any listed alternative); the no-date subset passes
when nothing is found.

Duckling, mapped onto the same scoring: numeral -> number, amount_of_money -> currency (the
currency must agree: the ISO code where Duckling gives one, else "Dollar"/"Pound"/"Cent" by name),
distance/volume/quantity/temperature -> dimension (values of measurements; Duckling's grams for
"kg" are compared after converting). A Duckling range "between a and b" expects one quantity with
low a and high b, "under v"/"above v" one at_most/at_least quantity of value v. Latent cases
(Duckling finds them only on request: "five" as money) are left out. Dates: day-level = single
expected values of grain day (holidays counted apart, since most are lunar or religious
calendars); clock = single values of hour/minute grain, matched on the day; no-date = the
negative corpus. The 19 English search cases of dateparser's tests, in the same folder, are
scored as a third, small source (as many dates as expected, each on its day). Duckling resolves to the future ("monday" is the coming one), so its cases are
read with `prefer="future"`. Speed: both stages on news text (Wikinews, else BBC), MB of UTF-8 per second of CPU time.
"""

import argparse
import hashlib
import json
import math
import re
import sys
import time
from datetime import date, datetime
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pipeline.stages.dates import date_spans, detect_all  # noqa: E402
from pipeline.stages.dates.scan import Scan  # noqa: E402
from pipeline.stages.quantities import CURRENCY_UNITS, MEASUREMENT_UNITS, QUANTITY_TRIGGERS, quantity_spans  # noqa: E402

SHARED = Path(__file__).resolve().parents[2] / "shared"
PEERS = {
    "number": "best library 81.5% (97% of plain digit cases), ~0.5 MB/s",
    "percent": "best library 100%",
    "currency": "best library 98.5%, ~0.03 MB/s",
    "dimension": "best library 79.3% (values only)",
    "datetime day-level": "best library 79.4%, ~0.01 MB/s",
    "datetime no-date": "best library 86.4% clean",
}
TRAINING = SHARED / "training"
_DUCKLING_NUMBERS = {
    "number": ("duckling_numeral_en",),
    "currency": ("duckling_amount_of_money_en",),
    "dimension": ("duckling_distance_en", "duckling_volume_en", "duckling_quantity_en", "duckling_temperature_en"),
}
# Duckling normalises some units (a kilogram is 1000 grams); factors from our unit to Duckling's.
_TO_DUCKLING_UNIT = {("kilogram", "gram"): 1000.0, ("milligram", "gram"): 0.001}
_CURRENCY_WORDS = {
    "USD": "dollar", "AUD": "dollar", "CAD": "dollar", "HKD": "dollar", "NZD": "dollar", "SGD": "dollar",
    "TWD": "dollar", "ZWL": "dollar", "JMD": "dollar", "GBP": "pound", "EGP": "pound", "EUR": "euro",
    "JPY": "yen", "CNY": "yuan", "INR": "rupee", "PKR": "rupee", "RUB": "ruble", "ESP": "peseta",
    "SAR": "riyal", "QAR": "riyal", "IRR": "rial", "OMR": "rial", "KWD": "dinar", "IQD": "dinar", "JOD": "dinar",
    "BHD": "dinar", "LYD": "dinar", "TND": "dinar", "DZD": "dinar",
}
_EXPECTED_ISO = {
    "united states dollar": "USD", "australian dollar": "AUD", "canadian dollar": "CAD", "hong kong dollar": "HKD",
    "japanese yen": "JPY", "chinese yuan": "CNY", "euro": "EUR", "swedish krona": "SEK",
}
_PLAIN_DIGITS = re.compile(r"[-+]?[\d., ]*\d[\d., ]*")
HALVES = ("all", "tune", "held")


def in_half(key: str, half: str) -> bool:
    """Whether the case named `key` belongs to `half`: a fixed split of every source by a hash of
    the case's id, so that tuning can look at one half's failures and report the other untouched."""
    if half == "all":
        return True
    return (int(hashlib.sha256(key.encode()).hexdigest()[:8], 16) % 2 == 0) == (half == "tune")


def _values_match(found: list[float], expected: list[float]) -> bool:
    if len(found) != len(expected):
        return False
    remaining = list(expected)
    for value in sorted(found):
        hit = next((e for e in remaining if math.isclose(value, e, rel_tol=1e-6, abs_tol=1e-9)), None)
        if hit is None:
            return False
        remaining.remove(hit)
    return True


def _expected_values(case: dict) -> list[float]:
    return [float(e["resolution"]["value"].rstrip("%")) for e in case["expected"] if e["resolution"].get("value") not in (None, "")]


def _currency_agrees(found_unit: str | None, found_currency: str | None, expected_unit: str) -> bool:
    expected = expected_unit.lower()
    if expected in _EXPECTED_ISO:
        return found_currency == _EXPECTED_ISO[expected]
    last = expected.split()[-1]
    if found_currency:
        return _CURRENCY_WORDS.get(found_currency, found_currency.lower()) == last
    return found_unit is not None and (found_unit == last or (last == "pence" and found_unit == "penny"))


def score_values(kind: str, cases: list[dict]) -> tuple[int, list[tuple[dict, list]]]:
    passed, failures = 0, []
    for case in cases:
        qs = quantity_spans(case["input"])
        if kind == "number":
            chosen = [q for q in qs if q.unit not in MEASUREMENT_UNITS or q.unit == "percent"]
        elif kind == "percent":
            chosen = [q for q in qs if q.unit == "percent"]
        else:
            chosen = _chosen(kind, qs)
        ok = _values_match([q.value for q in chosen], _expected_values(case))
        if ok and kind == "currency":
            with_value = [e for e in case["expected"] if e["resolution"].get("value")]
            for e in with_value:
                target = float(e["resolution"]["value"])
                q = next(q for q in chosen if math.isclose(q.value, target, rel_tol=1e-6))
                ok = ok and _currency_agrees(q.unit, q.currency, e["resolution"]["unit"])
        passed += ok
        if not ok:
            failures.append((case, [(q.text, q.value, q.unit, q.currency) for q in chosen]))
    return passed, failures


def _is_plain_digit(case: dict) -> bool:
    return any(c.isdigit() for c in case["input"]) and all(_PLAIN_DIGITS.fullmatch(e["text"]) for e in case["expected"])


def _day_level(case: dict) -> bool:
    return bool(case["expected"]) and all(
        e["type"].split(".")[-1] in ("date", "datetime")
        and all(v.get("value") not in (None, "not resolved") for v in e["resolution"].get("values", []))
        for e in case["expected"]
    )


def score_dates(cases: list[dict]) -> dict[str, tuple[int, int, list]]:
    day_pass, day_total, no_pass, no_total = 0, 0, 0, 0
    day_fail, no_fail = [], []
    for case in cases:
        published = datetime.fromisoformat(case["reference_datetime"]).date() if case.get("reference_datetime") else None
        found = date_spans(case["input"], published)
        if not case["expected"]:
            no_total += 1
            no_pass += not found
            if found:
                no_fail.append((case, [(d.text, d.value) for d in found]))
            continue
        if not _day_level(case):
            continue
        day_total += 1
        expected = [{date.fromisoformat(v["value"][:10]) for v in e["resolution"]["values"]} for e in case["expected"]]
        ok = len(found) == len(expected) and _assign([d.value for d in found], expected)
        day_pass += ok
        if not ok:
            day_fail.append((case, [(d.text, d.value and d.value.isoformat()) for d in found]))
    return {"day-level": (day_pass, day_total, day_fail), "no-date": (no_pass, no_total, no_fail)}


def _assign(found: list[date | None], expected: list[set[date]]) -> bool:
    """True when every found date matches a distinct expected entity (small sets: try all orders)."""
    if not found:
        return not expected
    head, rest = found[0], found[1:]
    return any(head in options and _assign(rest, expected[:i] + expected[i + 1:]) for i, options in enumerate(expected))


def _jsonl(path: Path, half: str = "all") -> list[dict]:
    rows = (json.loads(line) for line in path.open(encoding="utf-8") if line.strip())
    return [row for row in rows if in_half(row["id"], half)]


def _chosen(kind: str, qs: list) -> list:
    if kind == "number":
        return [q for q in qs if q.unit not in MEASUREMENT_UNITS or q.unit == "percent"]
    if kind == "currency":
        return [q for q in qs if q.currency or q.unit in CURRENCY_UNITS]
    return [q for q in qs if q.unit in MEASUREMENT_UNITS and q.unit != "percent"]


def _duckling_currency_agrees(q, e: dict) -> bool:
    if e.get("currency"):
        return q.currency == e["currency"]
    unit = e["unit"].lower()
    if unit == "cent":
        return q.unit in ("cent", "penny") and q.currency is None
    if unit in ("dollar", "pound", "dinar", "riyal", "rial"):
        return (q.currency is not None and _CURRENCY_WORDS.get(q.currency, "") == unit) or q.unit == unit
    return q.currency is not None or q.unit is not None


def _duckling_entity_matches(q, e: dict, kind: str) -> bool:
    factor = _TO_DUCKLING_UNIT.get((q.unit, (e.get("unit") or "").lower()), 1.0) if kind == "dimension" else 1.0

    def close(a, b):
        return a is not None and b is not None and math.isclose(a * factor, b, rel_tol=1e-6, abs_tol=1e-9)

    rng = e.get("range")
    if rng == "between":
        ok = close(q.low, e["min"]) and close(q.high, e["max"])
    elif rng == "under":
        ok = q.qualifier == "at_most" and close(q.value, e["max"])
    elif rng == "above":
        ok = q.qualifier == "at_least" and close(q.value, e["min"])
    else:
        ok = close(q.value, e["value"])
    return ok and (kind != "currency" or _duckling_currency_agrees(q, e))


def score_duckling_values(kind: str, rows: list[dict]) -> tuple[int, int, list]:
    """Cases pass when every found quantity of the kind matches a distinct expected entity."""
    passed, total, failures = 0, 0, []
    for row in rows:
        if row.get("latent"):
            continue
        total += 1
        chosen = _chosen(kind, quantity_spans(row["text"]))
        expected = row["expected"]
        ok = len(chosen) == len(expected) and _assign_by(chosen, expected, lambda q, e: _duckling_entity_matches(q, e, kind))
        passed += ok
        if not ok:
            failures.append((row, [(q.text, q.value, q.low, q.high, q.unit, q.currency, q.qualifier) for q in chosen]))
    return passed, total, failures


def _assign_by(found: list, expected: list, match) -> bool:
    if not found:
        return not expected
    head, rest = found[0], found[1:]
    return any(match(head, e) and _assign_by(rest, expected[:i] + expected[i + 1:], match) for i, e in enumerate(expected))


def _duckling_subset(row: dict, clock: bool) -> str | None:
    if row.get("negative") or not row["expected"]:
        return "no-date"
    singles = all("end_value" not in e and "open" not in e for e in row["expected"])
    if not singles:
        return None
    if clock:
        return "clock"
    if all(e["grain"] == "day" for e in row["expected"]):
        return "holidays" if any("holiday" in e for e in row["expected"]) else "day-level"
    return None


def score_duckling_dates(rows: list[dict], clock: bool, **options) -> dict[str, tuple[int, int, list]]:
    out: dict[str, tuple[int, int, list]] = {}
    for row in rows:
        subset = _duckling_subset(row, clock)
        if subset is None or (clock and subset == "no-date"):
            continue
        published = date.fromisoformat(row["reference_date"])
        found = date_spans(row["text"], published, **options)
        if subset == "no-date":
            ok = not found
        else:
            expected = [{date.fromisoformat(e["value"][:10])} for e in row["expected"]]
            ok = len(found) == len(expected) and _assign([d.value for d in found], expected)
        passed, total, failures = out.get(subset, (0, 0, []))
        if not ok:
            failures.append((row, [(d.text, d.value and d.value.isoformat()) for d in found]))
        out[subset] = (passed + ok, total + 1, failures)
    return out


def score_dateparser(rows: list[dict]) -> tuple[int, int, list]:
    """dateparser's search cases: as many dates found as expected, each on its day (any order)."""
    passed, failures = 0, []
    for row in rows:
        published = date.fromisoformat(row["reference_date"]) if row.get("reference_date") else None
        found = date_spans(row["text"], published)
        expected = [{date.fromisoformat(e["value"][:10])} for e in row["expected"]]
        ok = len(found) == len(expected) and _assign([d.value for d in found], expected)
        passed += ok
        if not ok:
            failures.append((row, [(d.text, d.value and d.value.isoformat()) for d in found]))
    return passed, len(rows), failures


def duckling_report(training: Path, show_failures: bool, half: str = "all") -> None:
    numbers, dates_dir = training / "numbers", training / "dates"
    if not numbers.is_dir() or not dates_dir.is_dir():
        print(f"duckling: skipped ({training} has no numbers/ and dates/)")
        return
    for kind, files in _DUCKLING_NUMBERS.items():
        rows = [r for name in files for r in _jsonl(numbers / f"{name}.jsonl", half)]
        passed, total, failures = score_duckling_values(kind, rows)
        print(f"duckling {kind}: {passed}/{total} = {passed / max(total, 1):.1%}")
        for row, found in failures if show_failures else []:
            print(f"    FAIL {row['id']}: {row['text'][:90]!r} expected {row['expected']} found {found}")
    results = score_duckling_dates(_jsonl(dates_dir / "duckling_time_en.jsonl", half), clock=False, prefer="future")
    results.update(score_duckling_dates(_jsonl(dates_dir / "duckling_time_en_clock.jsonl", half), clock=True, prefer="future"))
    for subset in ("day-level", "holidays", "clock", "no-date"):
        passed, total, failures = results.get(subset, (0, 0, []))
        print(f"duckling datetime {subset}: {passed}/{total} = {passed / max(total, 1):.1%}")
        for row, found in failures if show_failures else []:
            print(f"    FAIL {row['id']} ({row['reference_date']}): {row['text'][:90]!r} expected {[e['value'] for e in row['expected']]} found {found}")
    dateparser = dates_dir / "dateparser_search_en.jsonl"
    if dateparser.is_file():
        passed, total, failures = score_dateparser(_jsonl(dateparser, half))
        print(f"dateparser search cases (third source, never tuned on): {passed}/{total} = {passed / max(total, 1):.1%}")
        for row, found in failures if show_failures else []:
            print(f"    FAIL {row['id']} ({row.get('reference_date')}): {row['text'][:90]!r} expected {[e['value'] for e in row['expected']]} found {found}")


def _news_texts(corpus: Path | None, limit_bytes: int) -> list[tuple[str, date | None]]:
    """Up to `limit_bytes` of articles from the first corpus folder found."""
    candidates = [corpus] if corpus else [SHARED / "corpora" / "wikinews", SHARED / "corpora" / "bbc-news"]
    for folder in candidates:
        files = sorted(folder.glob("*.jsonl")) if folder and folder.is_dir() else []
        texts, size = [], 0
        for path in files:
            for line in path.open(encoding="utf-8"):
                row = json.loads(line)
                published = row.get("date") or row.get("published")
                texts.append((row["text"], date.fromisoformat(published[:10]) if published else None))
                size += len(row["text"].encode("utf-8"))
                if size >= limit_bytes:
                    return texts
        if texts:
            return texts
    return []


def speed(corpus: Path | None, megabytes: float) -> str:
    texts = _news_texts(corpus, int(megabytes * 1e6))
    if not texts:
        return "speed: skipped (no corpus found)"
    size = sum(len(t.encode("utf-8")) for t, _ in texts)
    bodies = [t for t, _ in texts]
    # As the stages run in the build: each finds its triggers in all the texts with one `Scan`.
    t0 = time.process_time()
    detected = detect_all(bodies)
    t1 = time.process_time()
    scan = Scan(bodies, QUANTITY_TRIGGERS)
    n_quantities = sum(len(quantity_spans(t, d, hits=partial(scan.hits, k))) for k, (t, d) in enumerate(zip(bodies, detected)))
    t2 = time.process_time()
    n_dates = sum(len(date_spans(t, p, detected=d)) for (t, p), d in zip(texts, detected))
    t3 = time.process_time()
    mb = size / 1e6
    return (
        f"speed on {mb:.2f} MB of news text (CPU time, one core): date detection {mb / (t1 - t0):.2f} MB/s, "
        f"quantities {mb / (t2 - t1):.2f} MB/s ({n_quantities} found), dates {mb / (t3 - t2):.2f} MB/s "
        f"({n_dates} found); both stages together (one detection) {mb / (t3 - t0):.2f} MB/s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--benchmarks", type=Path, default=SHARED / "benchmarks" / "numbers")
    parser.add_argument("--training", type=Path, default=TRAINING, help="folder with Duckling's dates/ and numbers/")
    parser.add_argument("--source", choices=("both", "recognizers", "duckling"), default="both")
    parser.add_argument("--corpus", type=Path, default=None, help="folder of JSONL news (fields text, date)")
    parser.add_argument("--mb", type=float, default=2.0, help="MB of news text to time")
    parser.add_argument("--failures", action="store_true", help="print every failing case")
    parser.add_argument("--half", choices=HALVES, default="all",
                        help="score only the tuning or the held-out half of every source (fixed split by case id)")
    args = parser.parse_args()
    if args.failures and args.half == "held":
        parser.error("the held-out half is scored, never shown: --failures needs --half tune or all")
    if args.source != "duckling":
        recognizers_report(args)
    if args.source != "recognizers":
        duckling_report(args.training, args.failures, args.half)
    print(speed(args.corpus, args.mb))


def _recognizers_cases(folder: Path, kind: str, half: str) -> list[dict]:
    cases = json.loads((folder / f"{kind}.json").read_text(encoding="utf-8"))
    return [case for case in cases if in_half(f"{kind}:{case['id']}", half)]


def recognizers_report(args: argparse.Namespace) -> None:
    if not args.benchmarks.is_dir():
        print(f"benchmarks: skipped ({args.benchmarks} not found)")
    else:
        for kind in ("number", "percent", "currency", "dimension"):
            cases = _recognizers_cases(args.benchmarks, kind, args.half)
            passed, failures = score_values(kind, cases)
            line = f"{kind}: {passed}/{len(cases)} = {passed / len(cases):.1%}"
            if kind == "number":
                plain = [c for c in cases if _is_plain_digit(c)]
                plain_passed = len(plain) - sum(1 for c, _ in failures if _is_plain_digit(c))
                line += f" (plain digit cases {plain_passed}/{len(plain)})"
            print(f"{line}   [peer: {PEERS[kind]}]")
            for case, found in failures if args.failures else []:
                print(f"    FAIL {case['id']}: {case['input'][:100]!r} expected {_expected_values(case)} found {found}")
        cases = _recognizers_cases(args.benchmarks, "datetime", args.half)
        for subset, (passed, total, failures) in score_dates(cases).items():
            print(f"datetime {subset}: {passed}/{total} = {passed / max(total, 1):.1%}   [peer: {PEERS['datetime ' + subset]}]")
            for case, found in failures if args.failures else []:
                wanted = [(e["text"], [v["value"][:10] for v in e["resolution"]["values"]]) for e in case["expected"]]
                print(f"    FAIL {case['id']} ({case.get('reference_datetime', '')[:10]}): {case['input'][:90]!r} expected {wanted} found {found}")


if __name__ == "__main__":
    main()
