"""Score Python libraries on the classes where they might beat our grammars, with the scoring of
`numbers_eval.py` on both development sources, and time them on news text.

Usage: PYTHONPATH=DIR python benchmarks/numbers_libraries_eval.py [--mb 0.05]

The libraries are not dependencies of the pipeline: install them apart (for example
`pip install --target DIR recognizers-text-suite==1.0.2a2 emoji==1.7.0 price-parser==0.5.1
text2num==3.1.0 number-parser==0.3.2`; recognizers-text needs emoji < 2) and point PYTHONPATH
at them. A library that is missing is skipped.

Classes: currency (recognizers-text's currency model; price-parser, which finds at most one
price per text), day-level dates and no-date cases (recognizers-text's datetime model: where it
lists a past and a future reading, the past one for the Recognizers source, whose scoring
accepts either, and the future one for Duckling, whose convention that is), numbers
(text2num and number-parser rewrite number words as digits; the digits are then read as numbers).
"""

import argparse
import importlib.util
import json
import re
import sys
import time
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import NamedTuple

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numbers_eval as ev  # noqa: E402


class Found(NamedTuple):
    """The fields of `pipeline.stages.quantities.Quantity` that the scorers read."""

    value: float
    low: float | None
    high: float | None
    unit: str | None
    currency: str | None
    qualifier: str
    text: str = ""


class Day(NamedTuple):
    text: str
    value: date | None


def _available(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


def recognizers_currency() -> Callable[[str], list[Found]]:
    from recognizers_suite import Culture, recognize_currency

    def run(text: str) -> list[Found]:
        out = []
        for r in recognize_currency(text, Culture.English):
            res = r.resolution or {}
            try:
                value = float(res.get("value"))
            except (TypeError, ValueError):
                continue
            unit = (res.get("unit") or "").lower()
            last = unit.split()[-1] if unit else ""
            if last in ("cent", "cents", "penny", "pence"):
                out.append(Found(value, None, None, "penny" if last in ("penny", "pence") else "cent", None, "exact", r.text))
                continue
            # The currency model names units ("Dollar", "Australian dollar") and gives no ISO code.
            iso = res.get("isoCurrency") or ev._EXPECTED_ISO.get(unit) or _WORD_ISO.get(last)
            out.append(Found(value, None, None, None if iso else last or None, iso, "exact", r.text))
        return out
    return run


_WORD_ISO = {"dollar": "USD", "pound": "GBP", "euro": "EUR", "yen": "JPY", "yuan": "CNY", "rupee": "INR", "ruble": "RUB",
             "peseta": "ESP", "franc": "CHF", "won": "KRW", "real": "BRL", "peso": "MXN"}
_PRICE_SYMBOLS = {"$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR", "us$": "USD"}


def price_parser_currency() -> Callable[[str], list[Found]]:
    from price_parser import Price

    def run(text: str) -> list[Found]:
        price = Price.fromstring(text)
        if price.amount is None or not price.currency:
            return []
        code = _PRICE_SYMBOLS.get(price.currency.lower(), price.currency.upper() if re.fullmatch(r"[A-Za-z]{3}", price.currency) else None)
        return [Found(float(price.amount), None, None, None if code else price.currency.lower(), code, "exact", price.amount_text or "")]
    return run


def recognizers_dates(prefer: str) -> Callable[[str, date | None], list[Day]]:
    from recognizers_suite import Culture, recognize_datetime

    def run(text: str, published: date | None) -> list[Day]:
        reference = datetime.combine(published, datetime.min.time()) if published else datetime.now()
        out = []
        for r in recognize_datetime(text, Culture.English, reference=reference):
            values = [v for v in (r.resolution or {}).get("values", []) if v.get("type") in ("date", "datetime") and v.get("value")]
            if not values:
                continue
            pick = values[-1] if prefer == "future" else values[0]
            try:
                out.append(Day(r.text, date.fromisoformat(pick["value"][:10])))
            except ValueError:
                continue
        return out
    return run


def digit_numbers(rewrite: Callable[[str], str]) -> Callable[[str], list[Found]]:
    """Numbers as digits after a number-word library rewrote the text."""
    def run(text: str) -> list[Found]:
        out = []
        for m in re.finditer(r"-?\d[\d,]*(?:\.\d+)?", rewrite(text)):
            try:
                out.append(Found(float(m.group().replace(",", "")), None, None, None, None, "exact", m.group()))
            except ValueError:
                continue
        return out
    return run


def score_currency(find: Callable[[str], list[Found]], benchmarks: Path, training: Path) -> str:
    ev_quantities = ev.quantity_spans
    try:
        ev.quantity_spans = lambda text, detected=None: find(text)  # the scorers call this name
        cases = json.loads((benchmarks / "currency.json").read_text(encoding="utf-8"))
        rec_pass, _ = ev.score_values("currency", cases)
        rows = [r for r in ev._jsonl(training / "numbers" / "duckling_amount_of_money_en.jsonl")]
        d_pass, d_total, _ = ev.score_duckling_values("currency", rows)
    finally:
        ev.quantity_spans = ev_quantities
    return f"recognizers source {rec_pass}/{len(cases)} = {rec_pass / len(cases):.1%}; duckling {d_pass}/{d_total} = {d_pass / d_total:.1%}"


def score_numbers(find: Callable[[str], list[Found]], benchmarks: Path, training: Path) -> str:
    ev_quantities = ev.quantity_spans
    try:
        ev.quantity_spans = lambda text, detected=None: find(text)
        cases = json.loads((benchmarks / "number.json").read_text(encoding="utf-8"))
        rec_pass, _ = ev.score_values("number", cases)
        rows = ev._jsonl(training / "numbers" / "duckling_numeral_en.jsonl")
        d_pass, d_total, _ = ev.score_duckling_values("number", rows)
    finally:
        ev.quantity_spans = ev_quantities
    return f"recognizers source {rec_pass}/{len(cases)} = {rec_pass / len(cases):.1%}; duckling {d_pass}/{d_total} = {d_pass / d_total:.1%}"


def score_dates(benchmarks: Path, training: Path) -> str:
    ev_dates = ev.date_spans
    try:
        past = recognizers_dates("past")
        ev.date_spans = lambda text, published=None, **_: past(text, published)
        rec = ev.score_dates(json.loads((benchmarks / "datetime.json").read_text(encoding="utf-8")))
        future = recognizers_dates("future")
        ev.date_spans = lambda text, published=None, **_: future(text, published)
        duck = ev.score_duckling_dates(ev._jsonl(training / "dates" / "duckling_time_en.jsonl"), clock=False, prefer="future")
    finally:
        ev.date_spans = ev_dates
    parts = [f"recognizers source {k} {p}/{t} = {p / max(t, 1):.1%}" for k, (p, t, _) in rec.items()]
    parts += [f"duckling {k} {p}/{t} = {p / max(t, 1):.1%}" for k, (p, t, _) in duck.items() if k in ("day-level", "holidays", "no-date")]
    return "; ".join(parts)


def speed(run: Callable[[str], object], texts: list[str]) -> str:
    size = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    t0 = time.process_time()
    for t in texts:
        run(t)
    return f"{size / (time.process_time() - t0):.3f} MB/s on {size:.2f} MB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--benchmarks", type=Path, default=ev.SHARED / "benchmarks" / "numbers")
    parser.add_argument("--training", type=Path, default=ev.TRAINING)
    parser.add_argument("--mb", type=float, default=0.05, help="MB of news text to time each library on")
    parser.add_argument("--only", default="", help="comma-separated: recognizers,price-parser,text2num,number-parser")
    args = parser.parse_args()
    if not args.benchmarks.is_dir() or not (args.training / "numbers").is_dir():
        print("skipped: development sources not found")
        return
    texts = [t for t, _ in ev._news_texts(None, int(args.mb * 1e6))]
    only = set(args.only.split(",")) if args.only else None
    if only and "recognizers" not in only:
        pass
    elif _available("recognizers_suite"):
        find = recognizers_currency()
        print(f"recognizers-text currency: {score_currency(find, args.benchmarks, args.training)}; speed {speed(find, texts)}")
        print(f"recognizers-text dates: {score_dates(args.benchmarks, args.training)}; speed {speed(lambda t: recognizers_dates('past')(t, date(2020, 1, 1)), texts)}")
    else:
        print("recognizers-text: not installed, skipped")
    if only and "price-parser" not in only:
        pass
    elif _available("price_parser"):
        find = price_parser_currency()
        print(f"price-parser currency: {score_currency(find, args.benchmarks, args.training)}; speed {speed(find, texts)}")
    else:
        print("price-parser: not installed, skipped")
    if only and "text2num" not in only:
        pass
    elif _available("text_to_num"):
        from text_to_num import alpha2digit
        find = digit_numbers(lambda t: alpha2digit(t, "en"))
        print(f"text2num numbers: {score_numbers(find, args.benchmarks, args.training)}; speed {speed(find, texts)}")
    else:
        print("text2num: not installed, skipped")
    if only and "number-parser" not in only:
        pass
    elif _available("number_parser"):
        from number_parser import parse
        find = digit_numbers(parse)
        print(f"number-parser numbers: {score_numbers(find, args.benchmarks, args.training)}; speed {speed(find, texts)}")
    else:
        print("number-parser: not installed, skipped")


if __name__ == "__main__":
    main()
