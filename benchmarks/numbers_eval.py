"""Score `pipeline.quantities` and `pipeline.dates` on the numbers/dates development set, and time them.

Usage: python benchmarks/numbers_eval.py [--benchmarks DIR] [--corpus DIR] [--mb 2] [--failures]

Scoring follows the set's README. Numbers: the multiset of values of every quantity except
measurements; percent: values with unit "percent"; currency: values with a currency or a minor
unit, whose currency must agree (ISO code, or the last word of the expected unit's name);
dimension: values of measurements. Dates: the day-level subset (every expected entity a
resolved date or datetime) passes when as many dates are found as expected and each matches a
distinct expected one on the calendar day (any listed alternative); the no-date subset passes
when nothing is found. Speed: both stages on news text (Wikinews, else BBC), MB of UTF-8 per second of CPU time.
"""

import argparse
import json
import math
import re
import sys
import time
from datetime import date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pipeline.dates import date_spans  # noqa: E402
from pipeline.quantities import MEASUREMENT_UNITS, quantity_spans  # noqa: E402

SHARED = Path(__file__).resolve().parents[2] / "shared"
PEERS = {
    "number": "best library 81.5% (97% of plain digit cases), ~0.5 MB/s",
    "percent": "best library 100%",
    "currency": "best library 98.5%, ~0.03 MB/s",
    "dimension": "best library 79.3% (values only)",
    "datetime day-level": "best library 79.4%, ~0.01 MB/s",
    "datetime no-date": "best library 86.4% clean",
}
_CURRENCY_WORDS = {
    "USD": "dollar", "AUD": "dollar", "CAD": "dollar", "HKD": "dollar", "NZD": "dollar", "SGD": "dollar",
    "TWD": "dollar", "ZWL": "dollar", "JMD": "dollar", "GBP": "pound", "EGP": "pound", "EUR": "euro",
    "JPY": "yen", "CNY": "yuan", "INR": "rupee", "PKR": "rupee", "RUB": "ruble", "ESP": "peseta",
}
_EXPECTED_ISO = {
    "united states dollar": "USD", "australian dollar": "AUD", "canadian dollar": "CAD", "hong kong dollar": "HKD",
    "japanese yen": "JPY", "chinese yuan": "CNY", "euro": "EUR", "swedish krona": "SEK",
}
_PLAIN_DIGITS = re.compile(r"[-+]?[\d., ]*\d[\d., ]*")


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
        elif kind == "currency":
            chosen = [q for q in qs if q.currency or q.unit in ("cent", "penny")]
        else:
            chosen = [q for q in qs if q.unit in MEASUREMENT_UNITS and q.unit != "percent"]
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


def _news_texts(corpus: Path | None, limit_bytes: int) -> list[tuple[str, date | None]]:
    """Up to `limit_bytes` of distinct articles (no repeats: detection is cached per text)."""
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
    t0 = time.process_time()
    n_quantities = sum(len(quantity_spans(t)) for t, _ in texts)
    t1 = time.process_time()
    n_dates = sum(len(date_spans(t, p)) for t, p in texts)
    t2 = time.process_time()
    mb = size / 1e6
    return (
        f"speed on {mb:.2f} MB of news text (CPU time, one core): quantities {mb / (t1 - t0):.2f} MB/s "
        f"({n_quantities} found; includes the date detection both stages share), then dates "
        f"{mb / (t2 - t1):.2f} MB/s ({n_dates} found); whole stage {mb / (t2 - t0):.2f} MB/s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--benchmarks", type=Path, default=SHARED / "benchmarks" / "numbers")
    parser.add_argument("--corpus", type=Path, default=None, help="folder of JSONL news (fields text, date)")
    parser.add_argument("--mb", type=float, default=2.0, help="MB of news text to time")
    parser.add_argument("--failures", action="store_true", help="print every failing case")
    args = parser.parse_args()
    if not args.benchmarks.is_dir():
        print(f"benchmarks: skipped ({args.benchmarks} not found)")
    else:
        for kind in ("number", "percent", "currency", "dimension"):
            cases = json.loads((args.benchmarks / f"{kind}.json").read_text(encoding="utf-8"))
            passed, failures = score_values(kind, cases)
            line = f"{kind}: {passed}/{len(cases)} = {passed / len(cases):.1%}"
            if kind == "number":
                plain = [c for c in cases if _is_plain_digit(c)]
                plain_passed = len(plain) - sum(1 for c, _ in failures if _is_plain_digit(c))
                line += f" (plain digit cases {plain_passed}/{len(plain)})"
            print(f"{line}   [peer: {PEERS[kind]}]")
            for case, found in failures if args.failures else []:
                print(f"    FAIL {case['id']}: {case['input'][:100]!r} expected {_expected_values(case)} found {found}")
        cases = json.loads((args.benchmarks / "datetime.json").read_text(encoding="utf-8"))
        for subset, (passed, total, failures) in score_dates(cases).items():
            print(f"datetime {subset}: {passed}/{total} = {passed / max(total, 1):.1%}   [peer: {PEERS['datetime ' + subset]}]")
            for case, found in failures if args.failures else []:
                wanted = [(e["text"], [v["value"][:10] for v in e["resolution"]["values"]]) for e in case["expected"]]
                print(f"    FAIL {case['id']} ({case.get('reference_datetime', '')[:10]}): {case['input'][:90]!r} expected {wanted} found {found}")
    print(speed(args.corpus, args.mb))


if __name__ == "__main__":
    main()
