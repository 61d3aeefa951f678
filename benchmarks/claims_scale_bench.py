"""Time per claim of stories and claim grouping on synthetic multi-source news, at growing sizes.

    nice -n 10 python benchmarks/claims_scale_bench.py [--articles 1000 10000] [--seed 15]

Synthetic events (an actor, an action, a place, a date, a count) are each reported by one to
five sources in varied wording, so that stories and claim groups of several articles occur at
every size. The stages before claims run first (sentences, entities, quantities, dates); then
claim extraction, `story_ids` and `grouped_claims` are timed apart. Prints, per size, the
seconds and microseconds per claim (wall and CPU) of each timed step: near-linear grouping keeps
the per-claim figures flat as the number of articles grows. Deterministic for a seed.
"""

import argparse
import datetime as dt
import random
import sys
import time
from pathlib import Path

import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pipeline.stages.claims import claims, grouped_claims  # noqa: E402
from pipeline.stages.dates import dates  # noqa: E402
from pipeline.stages.stories import story_ids  # noqa: E402
from pipeline.stages.entities import load_gazetteer, mention_candidates, resolved_entities  # noqa: E402
from pipeline.stages.quantities import quantities  # noqa: E402
from pipeline.stages.sentences import sentences  # noqa: E402

FIRST = "Ana Omar Lena Ivan Grace Tomas Mira Jonas Sara Felix Nadia Pavel Irene Hugo Leila Marco".split()
LAST = "Okafor Lopez Novak Haddad Silva Berg Tanaka Kowalski Moreau Petrov Rahman Costa Weber Nilsen".split()
# (verb phrases of one action, in the words of different sources; a counted noun)
ACTIONS = [
    (["signed a trade deal with", "agreed a trade pact with", "sealed a trade agreement with"], "jobs"),
    (["sent troops to", "deployed soldiers to", "dispatched forces to"], "troops"),
    (["opened a hospital in", "inaugurated a hospital in", "launched a new hospital in"], "beds"),
    (["pulled out of", "withdrew from", "left"], "advisers"),
    (["visited", "travelled to", "toured"], "delegates"),
]
MONTHS = "January February March April May June July August September October November December".split()


def synthetic_articles(n: int, seed: int) -> pl.DataFrame:
    rng = random.Random(seed)
    places = sorted(name for name, entry in load_gazetteer().entries.items() if entry.type == "GPE")
    rows, day0 = [], dt.date(2024, 1, 1)
    while len(rows) < n:
        event = len(rows)
        actor = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        verbs, unit = rng.choice(ACTIONS)
        place, count = rng.choice(places), rng.randrange(20, 5000)
        day = day0 + dt.timedelta(days=rng.randrange(700))
        for source in range(rng.randrange(1, 6)):
            verb = verbs[source % len(verbs)]
            date = f"on {day.day} {MONTHS[day.month - 1]} {day.year}"
            lines = [
                f"{actor} {verb} {place} {date}." if source % 2 else f"{date.capitalize()}, {actor} {verb} {place}.",
                f"Officials said {count:,} {unit} were involved in {place}.",
                f"“This matters for {place},” {actor} said.",
                f"Report {event}-{source} by desk {rng.randrange(50)}.",
            ]
            rows.append({"article_id": f"s{event:07d}-{source}", "text": " ".join(lines),
                         "published_date": day + dt.timedelta(days=rng.randrange(3))})
    return pl.DataFrame(rows[:n], schema={"article_id": pl.Utf8, "text": pl.Utf8, "published_date": pl.Date})


def timed(step):
    wall, cpu = time.perf_counter(), time.process_time()
    result = step()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--seed", type=int, default=15)
    args = parser.parse_args()
    gazetteer = load_gazetteer()
    for n in args.articles:
        articles = synthetic_articles(n, args.seed)
        (sents, mentions, entities, found_quantities, found_dates), prep, _ = timed(lambda: (
            lambda s: (s, *resolved_entities(mention_candidates(articles, s, gazetteer), gazetteer), quantities(articles, s), dates(articles, s))
        )(sentences(articles)))
        extracted, extract_wall, extract_cpu = timed(lambda: claims(articles, sents, mentions, entities, found_quantities, found_dates))
        stories, story_wall, story_cpu = timed(lambda: story_ids(articles, mentions))
        grouped, group_wall, group_cpu = timed(lambda: grouped_claims(extracted, stories))
        k = grouped.height
        multi = grouped.filter(pl.col("n_sources") > 1)["group_id"].n_unique()
        print(f"{n:>7,} articles, {k:,} claims, {stories['story_id'].n_unique():,} stories, {multi:,} multi-source groups "
              f"(earlier stages {prep:.1f} s)")
        for name, wall, cpu in (("claims", extract_wall, extract_cpu), ("story_ids", story_wall, story_cpu),
                                ("grouped_claims", group_wall, group_cpu)):
            print(f"  {name:<15} wall {wall:7.2f} s = {wall / k * 1e6:6.1f} us/claim   CPU {cpu:7.2f} s = {cpu / k * 1e6:6.1f} us/claim")


if __name__ == "__main__":
    main()
