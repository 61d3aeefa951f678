"""Near-duplicate sentences and stories: MinHash/LSH building blocks, rules, order independence."""

import datetime as dt
import io
import random
from pathlib import Path

import numpy as np
import polars as pl

from pipeline.core.ids import stable_id
from pipeline.core.similarity import candidate_pairs, estimated_jaccard, jaccard, minhash_signatures, pair_overlaps
from pipeline.core.words import content_words
from pipeline.stages.duplicates import duplicate_sentences, duplicate_sentences_from, sentence_signatures
from pipeline.stages.stories import story_features, story_ids, story_ids_from

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


def sentence_frame(articles: dict[str, list[str]]) -> pl.DataFrame:
    rows = [
        {"sentence_id": stable_id(a, p), "article_id": a, "position": p, "text": t}
        for a, texts in articles.items() for p, t in enumerate(texts)
    ]
    return pl.DataFrame(rows, schema={"sentence_id": pl.Utf8, "article_id": pl.Utf8, "position": pl.Int32, "text": pl.Utf8})


def duplicates_by_text(frame: pl.DataFrame) -> dict[str, str | None]:
    texts = dict(zip(frame["sentence_id"], frame["text"]))
    out = duplicate_sentences(frame)
    return {texts[s]: (texts[d] if d else None) for s, d in out.iter_rows()}


# --- building blocks ---------------------------------------------------------------------------
def test_content_words_normalise_case_plurals_and_stop_words():
    assert content_words("The Troops will LEAVE the country.") == {"troop", "leave", "country"}
    assert content_words("2,500 soldiers") == {"2,500", "soldier"}


def test_minhash_estimates_jaccard_and_lsh_finds_similar_sets():
    rng = random.Random(1)
    vocabulary = [f"w{i}" for i in range(5000)]
    base = rng.sample(vocabulary, 40)
    similar = base[:34] + rng.sample(vocabulary, 6)
    other = rng.sample(vocabulary, 40)
    sets = [base, similar, other, [], base]
    signatures = minhash_signatures(sets)
    assert (signatures[0] == signatures[4]).all()
    estimate = estimated_jaccard(signatures, np.array([[0, 1], [0, 2]]))
    assert abs(estimate[0] - jaccard(frozenset(base), frozenset(similar))) < 0.15
    assert estimate[1] < 0.1
    pairs = {tuple(p) for p in candidate_pairs(signatures, bands=32, rows=4, window=32).tolist()}
    assert (0, 1) in pairs and (0, 4) in pairs
    assert not any(3 in p for p in pairs)  # empty sets are never candidates


def test_pair_overlaps_match_set_arithmetic():
    rng = random.Random(2)
    sets = [frozenset(rng.sample(range(30), rng.randint(0, 12))) for _ in range(40)]
    pairs = np.array([(i, j) for i in range(40) for j in range(i + 1, 40)])
    shared, size_a, size_b = pair_overlaps([[str(x) for x in s] for s in sets], pairs)
    assert shared.tolist() == [len(sets[i] & sets[j]) for i, j in pairs.tolist()]
    assert size_a.tolist() == [len(sets[i]) for i, _ in pairs.tolist()]
    assert size_b.tolist() == [len(sets[j]) for _, j in pairs.tolist()]


def test_candidate_pairs_cap_large_buckets_linearly():
    signatures = minhash_signatures([["same", "words", "here"]] * 500)
    pairs = candidate_pairs(signatures, bands=4, rows=2, window=8)
    assert len(pairs) <= 500 * 8
    assert {0, 1} <= set(pairs[:, 0].tolist())


# --- sentences ---------------------------------------------------------------------------------
def test_seed_restated_paragraph_points_to_the_first():
    seed = " ".join(next(SEEDS.glob("001_*.txt")).read_text(encoding="utf-8").split())
    first = seed.index("President Joe Biden confirmed")
    chunk = seed[first:seed.index('"We are not going')]
    sentences = [s.strip() + "." for s in chunk.split(".") if s.strip()]
    result = duplicates_by_text(sentence_frame({"x": sentences}))
    assert result[sentences[2]] == sentences[0]
    assert result[sentences[3]] == sentences[1]
    assert result[sentences[0]] is None and result[sentences[1]] is None


def test_variants_across_articles_point_to_the_earliest_occurrence():
    frame = sentence_frame({
        "b": ["Officials said the new bridge over the river will open to traffic in June."],
        "a": ["Weather was mild.", "The new bridge over the river will open to traffic in June, officials said."],
        "c": ["THE NEW BRIDGE over the river will open to traffic in June, officials SAID!"],
    })
    result = duplicates_by_text(frame)
    earliest = "The new bridge over the river will open to traffic in June, officials said."
    assert result[earliest] is None
    assert result["Officials said the new bridge over the river will open to traffic in June."] == earliest
    assert result["THE NEW BRIDGE over the river will open to traffic in June, officials SAID!"] == earliest


def test_different_numbers_or_short_lines_are_not_duplicates():
    frame = sentence_frame({
        "a": ["Net profit rose to 23 mln dlrs vs 95 mln dlrs a year ago.", "Reuter", "He said so."],
        "b": ["Net profit rose to 23 mln dlrs vs 24 mln dlrs a year ago.", "Reuter", "He said so."],
        "c": ["Net profit rose to 23 mln dlrs vs 95 mln dlrs a year ago, the company said."],
    })
    result = duplicates_by_text(frame)
    assert result["Net profit rose to 23 mln dlrs vs 24 mln dlrs a year ago."] is None
    assert result["Reuter"] is None and result["He said so."] is None
    assert result["Net profit rose to 23 mln dlrs vs 95 mln dlrs a year ago, the company said."] == \
        "Net profit rose to 23 mln dlrs vs 95 mln dlrs a year ago."


def test_unrelated_sentences_sharing_some_words_are_kept_apart():
    frame = sentence_frame({"a": ["The central bank raised interest rates by half a point on Tuesday."],
                            "b": ["The central bank left interest rates unchanged and warned about inflation."]})
    assert set(duplicates_by_text(frame).values()) == {None}


def test_sentence_result_does_not_depend_on_row_order():
    rng = random.Random(3)
    base = ["Troops will leave the country at the end of the year, the president said.",
            "The president said troops will leave the country at the end of the year.",
            "Floods closed the main road to the northern valley on Sunday.",
            "On Sunday floods closed the main road into the northern valley."]
    frame = sentence_frame({f"art{i}": rng.sample(base, 3) for i in range(6)})
    expected = duplicate_sentences(frame)
    for seed in range(3):
        assert duplicate_sentences(frame.sample(fraction=1.0, shuffle=True, seed=seed)).equals(expected)
    marked = expected.filter(pl.col("duplicate_of").is_not_null())
    order = {r["sentence_id"]: (r["article_id"], r["position"]) for r in frame.iter_rows(named=True)}
    assert marked.height > 0
    assert all(order[d] < order[s] for s, d in marked.iter_rows())


# --- stories -----------------------------------------------------------------------------------
def seed_articles() -> pl.DataFrame:
    files = sorted(SEEDS.glob("*.txt"))
    return pl.DataFrame({"article_id": [f.stem.split("_")[1] for f in files],
                         "text": [f.read_text(encoding="utf-8") for f in files]})


OTHER = {
    "x1": "Flooding in Valencia forced Mayor Ana Ruiz to close 40 schools on Tuesday. The Turia river rose 3 metres, "
          "and Spanish emergency services evacuated 1,200 residents from low-lying districts of Valencia.",
    "x2": "Mayor Ana Ruiz of Valencia reopened 40 schools after the Turia river fell. Spanish emergency services said "
          "the 1,200 residents evacuated from Valencia could return to their districts.",
    "x3": "The Lakers beat the Celtics 112-104 in Los Angeles, with LeBron James scoring 31 points for the Lakers "
          "in front of 18,000 fans at the Crypto.com Arena.",
}


def test_seeds_form_one_story_and_unrelated_articles_their_own():
    articles = pl.concat([seed_articles(), pl.DataFrame({"article_id": list(OTHER), "text": list(OTHER.values())})])
    stories = dict(story_ids(articles).iter_rows())
    seed_stories = {stories[a] for a in seed_articles()["article_id"]}
    assert len(seed_stories) == 1
    assert stories["x1"] == stories["x2"]
    assert len({stories["x1"], stories["x3"]} | seed_stories) == 3


def test_stories_respect_publication_dates_and_row_order():
    articles = pl.DataFrame({
        "article_id": ["x1", "x2", "x3"],
        "text": [OTHER["x1"], OTHER["x2"], OTHER["x1"]],
        "published_date": [dt.date(2024, 3, 1), dt.date(2024, 3, 3), dt.date(2024, 6, 1)],
    })
    stories = story_ids(articles)
    by_id = dict(stories.iter_rows())
    assert by_id["x1"] == by_id["x2"] == stable_id("story", "x1")
    assert by_id["x3"] != by_id["x1"]  # same words three months later: another story
    assert story_ids(articles.reverse()).equals(stories)


def test_a_bridging_article_does_not_chain_two_stories():
    # Two stories of three articles each; b shares half its names with each. Single linkage
    # would put all seven in one story; average linkage puts b with one story only.
    first = ["Alpha Beta Gamma Delta Epsilon met in Oslo on the treaty.", "Alpha Beta Gamma Delta Epsilon signed in Oslo.",
             "In Oslo, Alpha Beta Gamma Delta Epsilon agreed on the treaty."]
    second = ["Theta Iota Kappa Lambda Omicron won in Lima at the final.", "Theta Iota Kappa Lambda Omicron scored in Lima.",
              "In Lima, Theta Iota Kappa Lambda Omicron won the final."]
    bridge = "Alpha Beta Gamma met Theta Iota Kappa in Oslo and Lima."
    texts = {f"a{i}": t for i, t in enumerate(first)} | {f"c{i}": t for i, t in enumerate(second)} | {"b": bridge}
    stories = dict(story_ids(pl.DataFrame({"article_id": list(texts), "text": list(texts.values())})).iter_rows())
    assert len({stories[f"a{i}"] for i in range(3)}) == 1
    assert len({stories[f"c{i}"] for i in range(3)}) == 1
    assert stories["a0"] != stories["c0"]


def test_similar_events_with_different_evidence_stay_apart():
    # Two earthquakes: the same event words, different places, dates and magnitudes.
    quake = ("A magnitude {m} earthquake struck {place} on {day}, killing {n} people, said {agency} spokesman {who}. "
             "Rescuers searched collapsed buildings in {place} after the earthquake.")
    texts = {}
    for i, source in enumerate(["one", "two", "three"]):
        texts[f"p{i}"] = quake.format(m="6.1", place="Pasto", day="Monday", n=12 + i, agency="Colombian", who="Ivan Duque") + f" Report {source}."
        texts[f"k{i}"] = quake.format(m="7.4", place="Kermadec", day="Friday", n=3 + i, agency="Tongan", who="Sione Vuna") + f" Report {source}."
    stories = dict(story_ids(pl.DataFrame({"article_id": list(texts), "text": list(texts.values())})).iter_rows())
    assert len({stories[f"p{i}"] for i in range(3)}) == 1
    assert len({stories[f"k{i}"] for i in range(3)}) == 1
    assert stories["p0"] != stories["k0"]


def test_resolved_entities_count_as_shared_names():
    texts = ["Minister Fuad Hussein visited Berlin on Monday to discuss the pipeline deal worth 400 million dollars.",
             "Minister Fawad Husain travelled to the German capital for pipeline talks on a 400 million dollars deal."]
    articles = pl.DataFrame({"article_id": ["p", "q"], "text": texts})
    apart = dict(story_ids(articles).iter_rows())
    mentions = pl.DataFrame({"article_id": ["p", "q", "p", "q"], "entity_id": ["fh", "fh", "de", "de"]})
    together = dict(story_ids(articles, mentions).iter_rows())
    assert together["p"] == together["q"]
    assert apart["p"] != apart["q"]


# --- features computed per item, as incremental builds cache them ------------------------------
def varied_articles(seed: int, n: int) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """Articles (some undated), their sentences (restatements, copies, short lines, changed numbers)
    and mentions, drawn from a small vocabulary so that duplicates and stories occur."""
    rng = random.Random(seed)
    names = ["Oslo", "Kabul", "Reuters", "Ana Ruiz", "Turia", "Lakers", "Shell", "Basra", "Nairobi", "Fuad Hussein"]
    words = "troops river school talks deal pipeline flood market shares oil price vote court minister road".split()
    pool = [" ".join(rng.sample(words, rng.randrange(3, 9))) + f", {rng.choice(names)} said on {rng.randrange(10, 99)} days." for _ in range(25)]
    articles, sentences, mentions = [], [], []
    for a in range(n):
        article_id = stable_id("art", seed, a)
        lines = [rng.choice(pool) for _ in range(rng.randrange(0, 8))]
        lines = [" ".join(reversed(t.split())) if rng.random() < 0.2 else t for t in lines] + ["Ends."] * rng.randrange(2)
        articles.append((article_id, " ".join(lines), dt.date(2024, 1, 1) + dt.timedelta(days=rng.randrange(30)) if rng.random() < 0.7 else None))
        sentences += [(stable_id(article_id, p), article_id, p, t) for p, t in enumerate(lines)]
        mentions += [(article_id, rng.choice(["e1", "e2", "e3"])) for _ in range(rng.randrange(3))]
    return (
        pl.DataFrame(articles, schema={"article_id": pl.Utf8, "text": pl.Utf8, "published_date": pl.Date}, orient="row"),
        pl.DataFrame(sentences, schema={"sentence_id": pl.Utf8, "article_id": pl.Utf8, "position": pl.Int32, "text": pl.Utf8}, orient="row"),
        pl.DataFrame(mentions, schema={"article_id": pl.Utf8, "entity_id": pl.Utf8}, orient="row"),
    )


def through_parquet(frame: pl.DataFrame) -> pl.DataFrame:
    buffer = io.BytesIO()
    frame.write_parquet(buffer)
    buffer.seek(0)
    return pl.read_parquet(buffer)


def per_article(frame: pl.DataFrame, features, *extra: pl.DataFrame) -> pl.DataFrame:
    """`features` computed one article at a time, stored and reloaded, concatenated in shuffled order."""
    parts = [
        through_parquet(features(part, *(e.filter(pl.col("article_id") == key[0]) for e in extra)))
        for key, part in frame.group_by("article_id")
    ]
    random.Random(len(parts)).shuffle(parts)
    return pl.concat(parts, how="vertical_relaxed")


def test_duplicates_from_cached_per_article_signatures_equal_the_whole_run():
    for seed in range(3):
        _, sentences, _ = varied_articles(seed, 40)
        expected = duplicate_sentences(sentences)
        assert expected["duplicate_of"].is_not_null().sum() > 0
        assert duplicate_sentences_from(per_article(sentences, sentence_signatures)).equals(expected)
    assert duplicate_sentences_from(sentence_signatures(sentences.clear())).height == 0


def test_stories_from_cached_per_article_features_equal_the_whole_run():
    for seed in range(3):
        articles, _, mentions = varied_articles(seed, 40)
        for frame in (articles, articles.drop("published_date")):
            expected = story_ids(frame, mentions)
            assert expected["story_id"].n_unique() < frame.height
            assert story_ids_from(per_article(frame, story_features, mentions)).equals(expected)
    assert story_ids_from(story_features(articles.clear(), mentions.clear())).height == 0


def test_a_story_does_not_spread_over_weeks_through_a_chain_of_dates():
    # Each report is 5 days after the previous one: neighbours may share a story, but not all four.
    text = OTHER["x1"]
    articles = pl.DataFrame({"article_id": [f"d{i}" for i in range(4)], "text": [text] * 4,
                             "published_date": [dt.date(2024, 3, 1) + dt.timedelta(days=5 * i) for i in range(4)]})
    stories = dict(story_ids(articles).iter_rows())
    assert stories["d0"] != stories["d3"]
    assert len(set(stories.values())) == 2
