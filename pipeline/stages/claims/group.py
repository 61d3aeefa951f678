"""Claim grouping: claims of all shards that assert the same thing share a group, and groups
about the same thing whose values cannot both hold conflict (`grouped_claims`).

Claims of one kind that assert the same thing in any articles share a `group_id`, and
`n_sources` counts the group's distinct articles. Given the stories (`stories.story_ids`), two event
claims of one story are the same event when their actions are the same verb or synonyms
(`NEWS_VERBS`: say/tell/state/announce, enter/check into, kill/murder, ...; killing and dying are
two claims; a framing verb such as "decide" also needs a shared word) and nothing tells them
apart: countries (one story's reports name its places at every scale, so only another country
splits one action) checked against the group's founder; times, polarity and ordinals ("the
sixth round" is not "the 11th") against every member. An undated article speaks of its story's
time; people (across stories) are compared by surname ("Vincent Jackson" is "Jackson"). Every claim has places: the countries and
places it names, by entity or by nationality ("Iraqi Army", "American forces" and "U.S." name
Iraq and the United States), and, for a count that names none ("the 2,500 remaining soldiers in
the Asian country"), those its article names most. Two claims can group only when nothing keeps
them apart: times overlap (a claim with no date speaks of its article's time, within a year;
"in April" and "by the end of the year" differ even with the year unknown), places nest or both
articles name them all ("Canada, Kenya" never joins "Canada, Lithuania"), polarity agrees ("will
not end" never joins "will end"), and different people doing the same thing stay apart.
Quantity claims must also count the same thing (troops, soldiers and forces are military
personnel; the dead are a class of their own; "people" matches protesters but not troops; a
count with no noun takes one named in its clause, "the number of US troops ... around 2,500",
or the previous number's, "2,500 US troops, up from 170,000") with values that can both hold
(2,500 and "around 2,500" do; 2,500 and 3,000 do not; "at least 30" allows 300); counts under
100 also need a shared word beyond the unit ("bomb attack" and "bombing"). Event claims must
share an action class (end/complete/conclude, withdraw/leave/pull out, train/advise/assist,
agree/sign/deal, ...) that is the main verb of each unless that verb only frames another action
("decided to withdraw", "announced the end of", "the withdrawal will be completed"), and 30 % of
the smaller claim's words; statements need the same named speaker and 60 % of words (or the
event rule). Dated claims are visited first, then by article and offset; each joins the best
supported group founder it is compatible with, checked against every member, so a chain of
loose pairs cannot merge claims that disagree. Candidates come from blocks (unit, value bucket
and subject or place; action and place; speaker and word), the latest 200 per key; claims that
share no block with another claim are settled in Polars without a Python comparison, so grouping
is near-linear. A count describes a lasting state: its time may be half a year off ("around 2,500
since late last year" joins "2,500 as of the end of 2021"). `conflicts_with` lists the quantity
groups about the same thing whose values cannot both hold (see `_conflicts`: same story, unit,
places and entities, one total per clause, the same measured thing, the same time), and
`conflict` names what differs ("value: 30 people vs 45 people"); groups sharing an article never
conflict (an article giving two values describes a change).
"""

import re
from collections import defaultdict

import polars as pl

from pipeline.core.ids import stable_id
from pipeline.core.words import content_words
from pipeline.stages.claims.extract import COLUMNS
from pipeline.stages.claims.lexicon import _ACTIONS, _FRAMING, _LIGHT, _NOT_A_TOTAL, _PEOPLE, _SYNONYMS, _UNITS
from pipeline.stages.claims.rules import ClaimRules

# --- Grouping --------------------------------------------------------------------------------
# Words that only say what is counted; two counts sharing nothing else share no context.
_COUNTED_WORDS = frozenset(set(_UNITS) | _PEOPLE | {"troop", "kill", "die", "number"})


def _windows(claims: pl.DataFrame, rules: ClaimRules) -> pl.DataFrame:
    """Adds the time windows used to group (_gfrom, _gto) and to find conflicts (_cfrom, _cto):
    the claim's own date, else a window around its article's publication, else null (unknown)."""
    # An undated article's time is its story's (the latest publication date in it): "at the end of
    # the year" in an undated report of a July 2021 story is then not 2011.
    published = pl.coalesce("_published", pl.col("_published").max().over("_story"))
    # "around 2,500 since late last year": from then until the article's time.
    since = pl.col("text").str.slice(0, pl.max_horizontal(pl.col("_dstart") - pl.col("start"), 0)).str.contains(r"\bsince\s*$")
    # A count describes a state that lasts: "around 2,500 since late last year" and "2,500 as of the
    # end of 2021" can group; events need their own times to overlap.
    slack = pl.when(pl.col("kind") == "quantity").then(pl.duration(days=rules.count_slack_days)).otherwise(pl.duration(days=0))
    claims = claims.with_columns(pl.when(since & published.is_not_null()).then(pl.max_horizontal("_to", published))
                                 .otherwise(pl.col("_to")).alias("_to"))
    return claims.with_columns(
        pl.coalesce(pl.col("_from") - slack, published - pl.duration(days=rules.undated_group_days)).alias("_gfrom"),
        pl.coalesce(pl.col("_to") + slack, published + pl.duration(days=rules.undated_group_days)).alias("_gto"),
        pl.coalesce("_from", published - pl.duration(days=rules.undated_conflict_days)).alias("_cfrom"),
        pl.coalesce("_to", published + pl.duration(days=rules.undated_conflict_days)).alias("_cto"),
    )


def _overlap(a_from: int | None, a_to: int | None, b_from: int | None, b_to: int | None) -> bool:
    """Overlapping intervals, or either unknown."""
    return a_from is None or b_from is None or (a_from <= b_to and b_from <= a_to)


def _units_agree(a: str | None, b: str | None) -> bool:
    return a is not None and (a == b or (a == "people" and b in _PEOPLE) or (b == "people" and a in _PEOPLE))


def _prepared(row: dict) -> dict:
    """The row with the sets grouping compares, built once."""
    row["_words"] = frozenset(row["_words"].split()) - _FRAMING
    row["_actions"] = frozenset(row["_actions"].split())
    row["_places"] = frozenset(filter(None, row["_places"].split("|")))
    row["_context"] = frozenset(filter(None, (row["_context"] or "").split("|")))
    row["_persons"] = frozenset(filter(None, row["_persons"].split("|")))
    row["_ordinals"] = frozenset(filter(None, map(_ordinal, row["_words"])))
    row["_countries"] = frozenset(filter(None, row["_countries"].split("|")))
    row["_context_countries"] = frozenset(filter(None, row["_context_countries"].split("|")))
    row["_subjects"] = frozenset(row["subject_entity_ids"])
    row["_class"] = _SYNONYMS.get(row["predicate"], row["predicate"])
    # The quantity's own words ("five miles") say what is counted, not what it is about.
    row["_counted"] = content_words(row["object"]) if row["kind"] == "quantity" else frozenset()
    return row


_ORDINAL_WORDS = {w: n for n, w in enumerate(
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth".split(), 1)}
_ORDINAL_NUMBER = re.compile(r"(\d+)(?:st|nd|rd|th)")


def _ordinal(word: str) -> int | None:
    """The number an ordinal word names ("sixth", "6th" -> 6), else None."""
    if word in _ORDINAL_WORDS:
        return _ORDINAL_WORDS[word]
    match = _ORDINAL_NUMBER.fullmatch(word)
    return int(match.group(1)) if match else None


def _quantity_places(row: dict) -> frozenset[str]:
    """A count's places: its clause's, else its article's ("the soldiers in the Asian country")."""
    return row["_places"] or row["_context"]


def _places_agree(a: dict, b: dict) -> bool:
    """Places that can describe one thing: one claim's places are all named by the other claim
    or its article. "Iraq" and "United States, Iraq" can; "Canada, Kenya" and "Canada,
    Lithuania" cannot. Else each claim's article must name the other's places too: "US
    soldiers in the country" can join "troops in Iraq" when both articles are about both."""
    return _places_nest(a["_places"], b["_places"], a["_context"], b["_context"])


def _places_nest(own_a: frozenset[str], own_b: frozenset[str], context_a: frozenset[str], context_b: frozenset[str]) -> bool:
    if own_a <= own_b or own_b <= own_a:
        return True
    both = own_a | own_b
    return both <= own_a | context_a and both <= own_b | context_b


def _coexist(a: dict, b: dict) -> bool:
    """The cheap half of `_compatible`: times, polarity, and for counts unit and value, agree."""
    if not _overlap(a["_gfrom"], a["_gto"], b["_gfrom"], b["_gto"]) or a["_negated"] != b["_negated"]:
        return False
    # Ordinals tell repeated events apart: "the sixth round" is not "the fifth round", nor a
    # "second arrest" the first.
    if a["_ordinals"] and b["_ordinals"] and not a["_ordinals"] & b["_ordinals"]:
        return False
    if (a["_from"] is None or b["_from"] is None) and None not in (a["_month"], b["_month"]) and a["_month"] != b["_month"]:
        return False
    return a["kind"] != "quantity" or (
        _units_agree(a["_unit"], b["_unit"]) and a["_low"] is not None and b["_low"] is not None
        and a["_low"] <= b["_high"] and b["_low"] <= a["_high"])


def _compatible(a: dict, b: dict) -> bool:
    """Nothing keeps the two claims apart: times, places, speaker, unit and value all agree."""
    if not _coexist(a, b):
        return False
    if a["kind"] == "quantity":
        return _places_agree(a, b)
    # Unattributed words ("one resident told ...") are nobody's in particular.
    if a["kind"] == "statement" and (a["speaker_entity_id"] is None or a["speaker_entity_id"] != b["speaker_entity_id"]):
        return False
    # Different people doing the same thing are different events: "Parker spoke with ..." vs "Patel spoke with ...".
    # (Within a story, the people named around one action are its actor, its object or its
    # reporter: "Reid checked in, her rep Ketsoyan said" and "Reid entered rehab" are one event.)
    if a["kind"] == "event" and a["_persons"] and b["_persons"] and not a["_persons"] & b["_persons"] and not _same_story(a, b):
        return False
    if a["kind"] == "event" and _same_story(a, b) and a["_main"] and a["_main"] == b["_main"]:
        # One story's reports of one action name its places at every scale ("Brooklyn", "East
        # Flatbush", "117th Street"): only different countries tell its events apart (a withdrawal
        # from Iraq is not one from Afghanistan).
        return _places_nest(a["_countries"], b["_countries"], a["_context_countries"], b["_context_countries"])
    return _places_agree(a, b)


def _same_story(a: dict, b: dict) -> bool:
    return a["_story"] is not None and a["_story"] == b["_story"]


def _support(a: dict, b: dict, rules: ClaimRules) -> float:
    """How much says the two claims assert the same thing (0: nothing does); compatibility apart."""
    words_a, words_b = a["_words"], b["_words"]
    shared = words_a & words_b
    if a["kind"] == "event" and _same_story(a, b) and a["_main"] and a["_main"] == b["_main"] and (
            a["_main"] not in _LIGHT or shared - {a["_main"]}):
        # One story, one action (the same verb or a synonym; a framing verb such as "decide" with
        # a shared word): the same event unless its arguments disagree, which `_compatible`
        # checks. Matches on most of the wording (below) weigh more.
        return 0.5 + len(shared) / max(1, min(len(words_a), len(words_b)))
    same_subject = bool(a["_subjects"] & b["_subjects"])
    if a["kind"] == "quantity":
        if not (same_subject or _quantity_places(a) & _quantity_places(b)):
            return 0.0
        # Shares, sums and distances ("20% of the vote", "US$1 million") are about someone in particular.
        if not same_subject and a["_unit"] not in _PEOPLE and a["_unit"] not in ("military", "death"):
            return 0.0
        context = {w for w in shared - _COUNTED_WORDS - a["_counted"] - b["_counted"] if not w[0].isdigit()}
        if min(abs(a["_low"]), abs(b["_low"])) < rules.distinct_value and not context:
            return 0.0
        return 1.0 + len(context) / (1 + min(len(words_a), len(words_b)))
    overlap = len(shared) / max(1, min(len(words_a), len(words_b)))
    if len(shared) < rules.min_shared_words:
        return 0.0
    if a["kind"] == "statement" and overlap >= (rules.min_overlap if _same_story(a, b) else rules.min_word_overlap):
        # One speaker in one story: less of the wording need be the same.
        return overlap
    actions = a["_actions"] & b["_actions"]
    if not actions or (a["_main"] and a["_main"] not in actions) or (b["_main"] and b["_main"] not in actions):
        return 0.0
    if not (same_subject or a["_places"] & b["_places"]):
        return 0.0
    # A verb outside the action classes ("tweeted", "served") needs the rest of the wording too.
    if overlap < (rules.min_overlap if actions & _ACTIONS else rules.min_word_overlap):
        return 0.0
    # Between groups, prefer the one doing the same things: "will train" joins "will continue to
    # train" before "agreed in April to train".
    return overlap * (1 + len(actions) / len(a["_actions"] | b["_actions"]))


def _block_keys(claims: pl.DataFrame) -> pl.DataFrame:
    """(_i, _key): keys under which a claim's possible matches are found; claims sharing none never
    group. Counts: unit class, log-scale value bucket (factor 1.25, with the neighbours, so values
    within 20 % share one) and a subject, or for people a place too (_support needs one in common);
    no keys for counts of one or less ("one thing" asserts no number worth matching). Events: an
    action and a place (else a subject). Statements: the speaker and a word."""
    low, high = pl.col("_low"), pl.col("_high")
    first = low.log(1.25).floor().cast(pl.Int64)
    last = pl.min_horizontal(pl.max_horizontal(high, low).log(1.25).floor().cast(pl.Int64), first + 8)
    block = pl.when(pl.col("_unit").is_in(list(_PEOPLE))).then(pl.lit("people")).otherwise(pl.col("_unit"))
    places = pl.when(pl.col("_places") != "").then(pl.col("_places")).otherwise(pl.col("_context"))
    quantity = (
        claims.filter((pl.col("kind") == "quantity") & pl.col("_unit").is_not_null() & (low > 1) & low.is_finite() & high.is_finite())
        .select(
            "_i", block.alias("_block"), pl.int_ranges(first - 1, last + 2).alias("_bucket"),
            pl.concat_list(
                pl.col("subject_entity_ids"),
                pl.when(block.is_in(["people", "military", "death"]))
                .then(places.fill_null("").str.split("|").list.eval(pl.lit("P:") + pl.element().filter(pl.element() != "")))
                .otherwise(pl.lit([], dtype=pl.List(pl.Utf8))),
            ).alias("_anchor"),
        )
        .explode("_bucket").explode("_anchor").drop_nulls("_anchor")
        .select("_i", pl.concat_str(pl.lit("q"), "_block", pl.col("_bucket").cast(pl.Utf8), "_anchor", separator="\x1f").alias("_key"))
    )
    event = (
        claims.filter((pl.col("kind") == "event") & (pl.col("_actions") != ""))
        .select(
            "_i", pl.col("_actions").str.split(" ").alias("_action"),
            pl.when(pl.col("_places") != "").then(pl.col("_places").str.split("|"))
            .otherwise(pl.col("subject_entity_ids").list.eval(pl.lit("E:") + pl.element())).alias("_anchor"),
        )
        .explode("_action").explode("_anchor").drop_nulls("_anchor")
        .select("_i", pl.concat_str(pl.lit("e"), "_action", "_anchor", separator="\x1f").alias("_key"))
    )
    in_story = (
        claims.filter((pl.col("kind") == "event") & pl.col("_story").is_not_null())
        .select("_i", pl.concat_str(pl.lit("t"), "_story", pl.col("predicate").replace(_SYNONYMS), separator="\x1f").alias("_key"))
    )
    statement = (
        claims.filter((pl.col("kind") == "statement") & pl.col("speaker_entity_id").is_not_null())
        .select("_i", "speaker_entity_id", pl.col("_words").str.split(" ").alias("_word"))
        .explode("_word").filter(pl.col("_word").is_not_null() & (pl.col("_word") != "") & ~pl.col("_word").is_in(list(_FRAMING)))
        .select("_i", pl.concat_str(pl.lit("s"), "speaker_entity_id", "_word", separator="\x1f").alias("_key"))
    )
    return pl.concat([quantity, event, in_story, statement]).unique()


def _anchors(ordered: pl.DataFrame, rules: ClaimRules) -> list[int]:
    """Per claim (by position in `ordered`), the position of its group's founder.

    Claims, in order, join the group they are best supported by, provided they are compatible with
    every member (so a chain of loose pairs cannot merge claims that disagree); else they found a
    group. Candidate founders come from blocks, the latest `max_block` per key; only keys that two
    claims share are kept, so claims with no possible match cost no Python work at all."""
    keys = _block_keys(ordered).filter(pl.len().over("_key") > 1)
    per_claim = keys.group_by("_i").agg("_key").sort("_i")
    active = per_claim["_i"].to_list()
    # Only what the comparisons read; dates as day numbers, which convert and compare faster.
    needed = ordered[active].select(
        "kind", "speaker_entity_id", "subject_entity_ids", "object", "predicate", "_words", "_actions", "_main", "_negated", "_places",
        "_context", "_persons", "_countries", "_context_countries", "_story", "_unit", "_low", "_high", "_month", pl.col("_from", "_gfrom", "_gto").cast(pl.Int32))
    found = dict(zip(active, map(_prepared, needed.to_dicts())))
    anchor = list(range(ordered.height))
    members: dict[int, list[int]] = {}
    blocks: dict[str, list[int]] = defaultdict(list)
    for i, row_keys in zip(active, per_claim["_key"].to_list()):
        row = found[i]
        scores: dict[int, float] = {}
        for j in sorted({j for key in row_keys for j in blocks.get(key, ())[-rules.max_block:]}):
            # A founder the claim cannot coexist with is never joined: skip weighing its support.
            score = _coexist(row, found[j]) and _support(row, found[j], rules)
            if score:
                scores[j] = score
        for founder, _ in sorted(scores.items(), key=lambda fs: (-fs[1], fs[0])):
            # In one story, an event is checked in full against the group's founder only: its
            # members are reports of one event whose wording (places named, people quoted)
            # varies; but no member may tell another time, polarity or ordinal.
            group = members[founder][:rules.max_block]
            if _same_story(row, found[founder]) and row["kind"] == "event":
                ok = _compatible(row, found[founder]) and all(_coexist(row, found[m]) for m in group)
            else:
                ok = all(_compatible(row, found[m]) for m in group)
            if ok:
                anchor[i] = founder
                members[founder].append(i)
                break
        else:
            members[i] = [i]
            for key in row_keys:
                blocks[key].append(i)
    return anchor


def _conflicts(ordered: pl.DataFrame, rules: ClaimRules) -> pl.DataFrame:
    """(group_id, conflicts_with, conflict): the quantity groups each group disagrees with, and
    what differs ("value: 30 vs 45"). Two claims conflict only when they are about the same thing
    at the same place and time and their values cannot both hold: the same story (when stories
    are known), unit and places, the same entities named (who or what the number is about: the
    "two boats" of INS Mysore are not the "three boats" of INS Sukanya); one number in each clause,
    a total rather than a rate or a change (`_NOT_A_TOTAL`); unless the unit names who is counted
    (troops, the dead, people), at least `min_conflict_context` of the smaller claim's other words
    in common (what is measured: "37% of the pollution that reaches Ohio" is not "57 percent of
    the public"); the same time (known and overlapping, or unknown in
    both). Groups sharing an article are skipped: an article giving two values ("2,500 now, up
    from 170,000") describes a change, not a dispute. The first `max_conflict_block` claims of a
    story, unit and places are compared."""
    places = pl.when(pl.col("_places") != "").then(pl.col("_places")).otherwise(pl.col("_context"))
    quantity = ordered.filter(pl.col("kind") == "quantity")
    counts = (
        quantity.filter(pl.col("_unit").is_not_null() & pl.col("_min").is_not_null() & (pl.col("subject_entity_ids").list.len() > 0)
                        # One number in its clause ("12 of the state's 41 delegates" is two things), and
                        # a total, not a rate or a change ("1,000 deaths per day", "32,000 more deaths").
                        & (pl.len().over("sentence_id", "start", "end") == 1) & ~pl.col("text").str.contains(_NOT_A_TOTAL))
        .select("_i", "group_id", "_unit", places.alias("_where"), pl.col("_story").fill_null(""),
                pl.col("subject_entity_ids").list.join("|").alias("_about"), "_min", "_max", "_cfrom", "_cto",
                pl.col("_cfrom").is_null().alias("_undated"), "object",
                pl.col("_words").str.split(" ").list.set_difference(list(_COUNTED_WORDS))
                .list.eval(pl.element().filter(~pl.element().str.contains(r"^\d"))).alias("_measured"))
        .filter(pl.col("_where").is_not_null() & (pl.col("_where") != ""))
        .sort("_i").filter(pl.int_range(pl.len()).over("_story", "_unit", "_where") < rules.max_conflict_block)
    )
    # Undated claims meet only undated ones; dated ones must overlap.
    same_time = pl.col("_undated") | ((pl.col("_cfrom") <= pl.col("_cto_b")) & (pl.col("_cfrom_b") <= pl.col("_cto")))
    shared = pl.col("_measured").list.set_intersection("_measured_b").list.len()
    smaller = pl.min_horizontal(pl.col("_measured").list.len(), pl.col("_measured_b").list.len())
    pairs = (
        counts.join(counts, on=["_story", "_unit", "_where", "_about", "_undated"], suffix="_b")
        .filter(pl.col("_i") < pl.col("_i_b"), pl.col("group_id") != pl.col("group_id_b"), same_time,
                (pl.col("_max") < pl.col("_min_b")) | (pl.col("_max_b") < pl.col("_min")),
                pl.col("_unit").is_in(list(_PEOPLE | {"military", "death"})) | (shared >= rules.min_conflict_context * pl.max_horizontal(smaller, 1)))
        .select("group_id", "group_id_b", "object", "object_b")
    )
    articles = ordered.select("group_id", "article_id").unique()
    sharing = pairs.join(articles, on="group_id").join(
        articles.rename({"group_id": "group_id_b"}), on=["group_id_b", "article_id"], how="semi")
    pairs = pairs.join(sharing, on=["group_id", "group_id_b"], how="anti")
    both_ways = pl.concat([pairs, pairs.select(pl.col("group_id_b").alias("group_id"), pl.col("group_id").alias("group_id_b"),
                                               pl.col("object_b").alias("object"), pl.col("object").alias("object_b"))])
    return (
        both_ways.with_columns(pl.concat_str(pl.lit("value: "), "object", pl.lit(" vs "), "object_b").alias("conflict"))
        .group_by("group_id").agg(pl.col("group_id_b").unique().sort().alias("conflicts_with"),
                                  pl.col("conflict").unique().sort().head(rules.max_conflict_names).str.join("; "))
    )


def grouped_claims(claims: pl.DataFrame, stories: pl.DataFrame | None = None, rules: ClaimRules = ClaimRules()) -> pl.DataFrame:
    """All shards' claims with group_id, n_sources and conflicts_with; working columns dropped.

    `stories` (article_id, story_id; `stories.story_ids`) lets event claims of one story group on
    their action alone. Deterministic and independent of row order and sharding; sorted by
    article_id, start, end, claim_id.
    """
    if stories is None:
        claims = claims.with_columns(pl.lit(None, dtype=pl.Utf8).alias("_story"))
    else:
        claims = claims.join(stories.select("article_id", pl.col("story_id").alias("_story")), on="article_id", how="left")
    # Dated claims found groups first, so that an undated claim cannot tie together claims
    # about different years by coming first.
    ordered = _windows(claims, rules).sort(pl.col("_from").is_null(), "article_id", "start", "end", "kind", "claim_id").with_row_index("_i")
    founder = ordered["claim_id"].gather(_anchors(ordered, rules))
    group_of = {c: stable_id("claim-group", c) for c in founder.unique().to_list()}
    ordered = ordered.with_columns(founder.replace_strict(group_of, return_dtype=pl.Utf8).alias("group_id"))
    grouped = ordered.join(_conflicts(ordered, rules), on="group_id", how="left").with_columns(
        pl.col("conflicts_with").fill_null(pl.lit([], dtype=pl.List(pl.Utf8))),
        pl.col("article_id").n_unique().over("group_id").cast(pl.Int32).alias("n_sources"),
    )
    return grouped.select(COLUMNS).sort("article_id", "start", "end", "claim_id")
