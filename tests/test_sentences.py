"""Tests for pipeline.stages.sentences: golden rules, news variants, hard-wrapped text, speed, the frame."""

from __future__ import annotations

import time
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.core.ids import stable_id
from pipeline.stages.sentences import SentenceRules, sentence_spans, sentences

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


def split(text: str) -> list[str]:
    return [text[a:b] for a, b in sentence_spans(text)]


# The English "Golden Rules" of the pragmatic segmenter (Kevin Dias, MIT licence), as
# used by pySBD's benchmark (benchmarks/english_golden_rules.py, MIT licence), verbatim.
GOLDEN_RULES: list[tuple[str, list[str]]] = [
    ("Hello World. My name is Jonas.", ["Hello World.", "My name is Jonas."]),
    ("What is your name? My name is Jonas.", ["What is your name?", "My name is Jonas."]),
    ("There it is! I found it.", ["There it is!", "I found it."]),
    ("My name is Jonas E. Smith.", ["My name is Jonas E. Smith."]),
    ("Please turn to p. 55.", ["Please turn to p. 55."]),
    ("Were Jane and co. at the party?", ["Were Jane and co. at the party?"]),
    ("They closed the deal with Pitt, Briggs & Co. at noon.",
     ["They closed the deal with Pitt, Briggs & Co. at noon."]),
    ("Let's ask Jane and co. They should know.", ["Let's ask Jane and co.", "They should know."]),
    ("They closed the deal with Pitt, Briggs & Co. It closed yesterday.",
     ["They closed the deal with Pitt, Briggs & Co.", "It closed yesterday."]),
    ("I can see Mt. Fuji from here.", ["I can see Mt. Fuji from here."]),
    ("St. Michael's Church is on 5th st. near the light.",
     ["St. Michael's Church is on 5th st. near the light."]),
    ("That is JFK Jr.'s book.", ["That is JFK Jr.'s book."]),
    ("I visited the U.S.A. last year.", ["I visited the U.S.A. last year."]),
    ("I live in the E.U. How about you?", ["I live in the E.U.", "How about you?"]),
    ("I live in the U.S. How about you?", ["I live in the U.S.", "How about you?"]),
    ("I work for the U.S. Government in Virginia.", ["I work for the U.S. Government in Virginia."]),
    ("I have lived in the U.S. for 20 years.", ["I have lived in the U.S. for 20 years."]),
    ("At 5 a.m. Mr. Smith went to the bank. He left the bank at 6 P.M. Mr. Smith then went to the store.",
     ["At 5 a.m. Mr. Smith went to the bank.", "He left the bank at 6 P.M.",
      "Mr. Smith then went to the store."]),
    ("She has $100.00 in her bag.", ["She has $100.00 in her bag."]),
    ("She has $100.00. It is in her bag.", ["She has $100.00.", "It is in her bag."]),
    ("He teaches science (He previously worked for 5 years as an engineer.) at the local University.",
     ["He teaches science (He previously worked for 5 years as an engineer.) at the local University."]),
    ("Her email is Jane.Doe@example.com. I sent her an email.",
     ["Her email is Jane.Doe@example.com.", "I sent her an email."]),
    ("The site is: https://www.example.50.com/new-site/awesome_content.html. Please check it out.",
     ["The site is: https://www.example.50.com/new-site/awesome_content.html.", "Please check it out."]),
    ("She turned to him, 'This is great.' she said.", ["She turned to him, 'This is great.' she said."]),
    ('She turned to him, "This is great." she said.', ['She turned to him, "This is great." she said.']),
    ('She turned to him, "This is great." She held the book out to show him.',
     ['She turned to him, "This is great."', "She held the book out to show him."]),
    ("Hello!! Long time no see.", ["Hello!!", "Long time no see."]),
    ("Hello?? Who is there?", ["Hello??", "Who is there?"]),
    ("Hello!? Is that you?", ["Hello!?", "Is that you?"]),
    ("Hello?! Is that you?", ["Hello?!", "Is that you?"]),
    ("1.) The first item 2.) The second item", ["1.) The first item", "2.) The second item"]),
    ("1.) The first item. 2.) The second item.", ["1.) The first item.", "2.) The second item."]),
    ("1) The first item 2) The second item", ["1) The first item", "2) The second item"]),
    ("1) The first item. 2) The second item.", ["1) The first item.", "2) The second item."]),
    ("1. The first item 2. The second item", ["1. The first item", "2. The second item"]),
    ("1. The first item. 2. The second item.", ["1. The first item.", "2. The second item."]),
    ("• 9. The first item • 10. The second item", ["• 9. The first item", "• 10. The second item"]),
    ("⁃9. The first item ⁃10. The second item", ["⁃9. The first item", "⁃10. The second item"]),
    ("a. The first item b. The second item c. The third list item",
     ["a. The first item", "b. The second item", "c. The third list item"]),
    ("You can find it at N°. 1026.253.553. That is where the treasure is.",
     ["You can find it at N°. 1026.253.553.", "That is where the treasure is."]),
    ("She works at Yahoo! in the accounting department.",
     ["She works at Yahoo! in the accounting department."]),
    ("We make a good team, you and I. Did you see Albert I. Jones yesterday?",
     ["We make a good team, you and I.", "Did you see Albert I. Jones yesterday?"]),
    ("Thoreau argues that by simplifying one’s life, “the laws of the universe will appear less complex. . . .”",
     ["Thoreau argues that by simplifying one’s life, “the laws of the universe will appear less complex. . . .”"]),
    ('"Bohr [...] used the analogy of parallel stairways [...]" (Smith 55).',
     ['"Bohr [...] used the analogy of parallel stairways [...]" (Smith 55).']),
    ("If words are left off at the end of a sentence, and that is all that is omitted, indicate the omission "
     "with ellipsis marks (preceded and followed by a space) and then indicate the end of the sentence with a "
     "period . . . . Next sentence.",
     ["If words are left off at the end of a sentence, and that is all that is omitted, indicate the omission "
      "with ellipsis marks (preceded and followed by a space) and then indicate the end of the sentence with a "
      "period . . . .", "Next sentence."]),
    ("I never meant that.... She left the store.", ["I never meant that....", "She left the store."]),
    ("I wasn’t really ... well, what I mean...see . . . what I'm saying, the thing is . . . I didn’t mean it.",
     ["I wasn’t really ... well, what I mean...see . . . what I'm saying, the thing is . . . I didn’t mean it."]),
    ("One further habit which was somewhat weakened . . . was that of combining words into self-interpreting "
     "compounds. . . . The practice was not abandoned. . . .",
     ["One further habit which was somewhat weakened . . . was that of combining words into self-interpreting "
      "compounds.", ". . . The practice was not abandoned. . . ."]),
]

# Further cases from the pragmatic segmenter's suite (line breaks, lower-case lines, dashes, no spaces).
# Our spans keep the original text, so an errant line break stays inside the sentence.
MORE_RULES: list[tuple[str, list[str]]] = [
    ("This is a sentence\ncut off in the middle because pdf.",
     ["This is a sentence\ncut off in the middle because pdf."]),
    ("It was a cold \nnight in the city.", ["It was a cold \nnight in the city."]),
    ("features\ncontact manager\nevents, activities\n", ["features", "contact manager", "events, activities"]),
    ("Saint Maximus (c. 580 – 13 August 662) was a Christian monk.",
     ["Saint Maximus (c. 580 – 13 August 662) was a Christian monk."]),
    ("Mix it, put it in the oven, and -- voila! -- you have cake.",
     ["Mix it, put it in the oven, and -- voila! -- you have cake."]),
    ("I've got a lot of work to do... so I can't help. Ok?",
     ["I've got a lot of work to do... so I can't help.", "Ok?"]),
    ("Hello world.Today is Tuesday.Mr. Smith went to the store and bought 1,000.That is a lot.",
     ["Hello world.", "Today is Tuesday.", "Mr. Smith went to the store and bought 1,000.", "That is a lot."]),
]


@pytest.mark.parametrize(("text", "expected"), GOLDEN_RULES)
def test_golden_rules(text: str, expected: list[str]) -> None:
    assert split(text) == expected


@pytest.mark.parametrize(("text", "expected"), MORE_RULES)
def test_more_rules(text: str, expected: list[str]) -> None:
    assert split(text) == expected


def test_golden_rule_table_is_complete() -> None:
    assert len(GOLDEN_RULES) == 48


# Variants invented for news text: other names, sites, wording and case.
VARIANTS: list[tuple[str, list[str]]] = [
    # initials and titles
    ("Former President George W. Bush ordered it. Troops left.",
     ["Former President George W. Bush ordered it.", "Troops left."]),
    ("Lt. Col. Anna Berg and Gen. Mark Milley spoke. Sgt. Ruiz did not.",
     ["Lt. Col. Anna Berg and Gen. Mark Milley spoke.", "Sgt. Ruiz did not."]),
    ("J. R. R. Tolkien wrote it. Dr. Who did not.", ["J. R. R. Tolkien wrote it.", "Dr. Who did not."]),
    ("The report was by J. Smith of the ministry.", ["The report was by J. Smith of the ministry."]),
    ("Mrs. Okafor met Prof. Lee at St. Paul's. They talked.",
     ["Mrs. Okafor met Prof. Lee at St. Paul's.", "They talked."]),
    ("MR. SMITH WENT HOME. HE SLEPT.", ["MR. SMITH WENT HOME.", "HE SLEPT."]),
    ("Take vitamin C. The doctor said so.", ["Take vitamin C.", "The doctor said so."]),
    # dates and months
    ("The vote is on Jan. 5 in Baghdad. It was delayed.", ["The vote is on Jan. 5 in Baghdad.", "It was delayed."]),
    ("Talks began in Sept. The talks failed.", ["Talks began in Sept.", "The talks failed."]),
    ("He sat. Sat. 4 May is the date.", ["He sat.", "Sat. 4 May is the date."]),
    ("The patient was ill. Doctors said so.", ["The patient was ill.", "Doctors said so."]),
    # multi-period abbreviations
    ("Biden said U.S. soldiers would stay. The U.S. Army agreed.",
     ["Biden said U.S. soldiers would stay.", "The U.S. Army agreed."]),
    ("Troops returned to the U.S. In May they left again.",
     ["Troops returned to the U.S.", "In May they left again."]),
    ("He moved to the U.K. The weather was bad.", ["He moved to the U.K.", "The weather was bad."]),
    ("See e.g. the annex, i.e. page two.", ["See e.g. the annex, i.e. page two."]),
    ("The meeting ended at 6 p.m. Police then cleared the square.",
     ["The meeting ended at 6 p.m.", "Police then cleared the square."]),
    ("By 9 a.m. Ms. Diaz had left.", ["By 9 a.m. Ms. Diaz had left."]),
    # companies
    ("Apple Inc. Chief Executive Tim Cook spoke. Acme Corp. The firm denied it.",
     ["Apple Inc. Chief Executive Tim Cook spoke.", "Acme Corp.", "The firm denied it."]),
    ("Smith & Sons Ltd. said profit rose.", ["Smith & Sons Ltd. said profit rose."]),
    # numbers
    ("There are 2,500 troops, up from 170,000. About 3.5 pct left.",
     ["There are 2,500 troops, up from 170,000.", "About 3.5 pct left."]),
    ("It cost 1.25 billion dlrs. 2,000 jobs went.", ["It cost 1.25 billion dlrs.", "2,000 jobs went."]),
    ("Profit fell to €3.2m. Sales rose.", ["Profit fell to €3.2m.", "Sales rose."]),
    ("He is ranked No. 1 in Iraq. Vol. 3 is out.", ["He is ranked No. 1 in Iraq.", "Vol. 3 is out."]),
    # quotations and parentheses
    ("“Today, our ties are strong.” he said. “We agree,” she added.",
     ["“Today, our ties are strong.” he said.", "“We agree,” she added."]),
    ("“We will leave.” The minister said so.", ["“We will leave.”", "The minister said so."]),
    ("'Is it over?' she asked. 'Yes!' He nodded.", ["'Is it over?' she asked.", "'Yes!'", "He nodded."]),
    ("The group (known as IS.) lost ground. (The army said so.) Fighting went on.",
     ["The group (known as IS.) lost ground.", "(The army said so.)", "Fighting went on."]),
    # ellipses
    ("He paused… Then he spoke.", ["He paused…", "Then he spoke."]),
    ("They said it was … over.", ["They said it was … over."]),
    # addresses
    ("Mail press@ministry.gov.iq. Call us.", ["Mail press@ministry.gov.iq.", "Call us."]),
    ("Read www.news-site.org/iraq/2021/07/27/story.html. It has more.",
     ["Read www.news-site.org/iraq/2021/07/27/story.html.", "It has more."]),
    ("See http://example.org/a?b=1&c=2. Also see ftp.example.net. Done.",
     ["See http://example.org/a?b=1&c=2.", "Also see ftp.example.net.", "Done."]),
    ("Write to jane.Doe@mail.com today.", ["Write to jane.Doe@mail.com today."]),
    # other punctuation and scripts
    ("Who knew?! Nobody did.", ["Who knew?!", "Nobody did."]),
    ("Is it 5? 6? Nobody knows.", ["Is it 5?", "6?", "Nobody knows."]),
    ("It was over. Всё кончено. Done.", ["It was over.", "Всё кончено.", "Done."]),
    ("Sadly . . . no. Fine.", ["Sadly . . . no.", "Fine."]),
    ("Turnout rose 5 %. Analysts were surprised.", ["Turnout rose 5 %.", "Analysts were surprised."]),
    ("He left. — and then came back.", ["He left. — and then came back."]),
    ("„Wir gehen.“ Dann ging er. «C'est fini.» Il part.",
     ["„Wir gehen.“", "Dann ging er.", "«C'est fini.»", "Il part."]),
]


@pytest.mark.parametrize(("text", "expected"), VARIANTS)
def test_variants(text: str, expected: list[str]) -> None:
    assert split(text) == expected


# -- line breaks ---------------------------------------------------------------------------

WIRE = (
    "OIL PRICES FIRM ON SUPPLY WORRIES\n"
    "\n"
    "OSLO, March 3 - Oil prices firmed on Tuesday as traders weighed\n"
    "reports that Norwegian output would fall short of the targets set\n"
    "by the ministry in January, analysts said.\n"
    "    Brent crude for April delivery rose 25 cts to 18.40 dlrs a\n"
    "barrel, its highest level since the Organisation of Petroleum\n"
    "Exporting Countries met in Geneva.\n"
    "    Output figures for the quarter were:\n"
    "    Field A 120,000 barrels per day\n"
    "    Field B 95,000 bpd\n"
    "    The ministry declined to comment on the figures, which several\n"
    "Oslo brokers described as conservative given the strength of\n"
    "production at the new fields\n"
    "    Trading was thin.\n"
)


def test_hard_wrapped_paragraphs_are_not_split_at_every_line() -> None:
    assert split(WIRE) == [
        "OIL PRICES FIRM ON SUPPLY WORRIES",
        "OSLO, March 3 - Oil prices firmed on Tuesday as traders weighed\nreports that Norwegian output would "
        "fall short of the targets set\nby the ministry in January, analysts said.",
        "Brent crude for April delivery rose 25 cts to 18.40 dlrs a\nbarrel, its highest level since the "
        "Organisation of Petroleum\nExporting Countries met in Geneva.",
        "Output figures for the quarter were:",
        "Field A 120,000 barrels per day",
        "Field B 95,000 bpd",
        "The ministry declined to comment on the figures, which several\nOslo brokers described as "
        "conservative given the strength of\nproduction at the new fields",
        "Trading was thin.",
    ]


def test_wrapped_line_starting_with_a_capital_or_number_continues() -> None:
    text = (
        "The Iraqi prime minister met the president at the White House on\n"
        "Monday to discuss the future of the coalition and said the troops\n"
        "2,500 in all would shift to an advisory role by the end of the year.\n"
    )
    assert len(split(text)) == 1


def test_heading_and_byline_lines_are_their_own_sentences() -> None:
    text = (
        "Troop Withdrawal: Biden Ends Combat Mission\n"
        "By Amal Haddad, Staff Reporter\n"
        "US President Joe Biden has announced the end of the combat mission in Iraq, officials said "
        "on Monday after a long meeting at the White House with the visiting prime minister.\n"
        "Read more: Taliban advance in the north\n"
        "Most troops will stay as advisers."
    )
    assert split(text) == [
        "Troop Withdrawal: Biden Ends Combat Mission",
        "By Amal Haddad, Staff Reporter",
        "US President Joe Biden has announced the end of the combat mission in Iraq, officials said "
        "on Monday after a long meeting at the White House with the visiting prime minister.",
        "Read more: Taliban advance in the north",
        "Most troops will stay as advisers.",
    ]


def test_a_blank_line_always_ends_a_sentence() -> None:
    assert split("Biden said the mission\n\nwill end this year") == ["Biden said the mission", "will end this year"]
    assert split("Ends with Gen.\n \n\tMilley spoke") == ["Ends with Gen.", "Milley spoke"]


def test_list_lines_after_an_introduction() -> None:
    text = ("The agreement covers:\n- training of Iraqi forces\n- intelligence sharing\n• air support\n"
            "1. first\n2. second")
    assert split(text) == [
        "The agreement covers:", "- training of Iraqi forces", "- intelligence sharing", "• air support",
        "1. first", "2. second",
    ]


def test_a_dash_inside_wrapped_prose_is_not_a_list() -> None:
    text = (
        "The offer valued the company at about 120 mln dlrs, a premium\n"
        "- analysts said - of roughly a third over the market price.\n"
    )
    assert len(split(text)) == 1


def test_one_long_line_does_not_make_wrapped_lines_look_short() -> None:
    table_row = "Wheat    2.55    2.40    4.65    4.65    3.15    3.15    5.36    5.36    2.34    3.25    5.54"
    text = (
        f"{table_row}\n"
        "The reserve prices were set by the department after a review of\n"
        "Agriculture Department data covering the five previous crop years,\n"
        "officials said.\n"
    )
    assert split(text) == [text.strip()]


def test_list_item_continued_on_an_indented_line() -> None:
    text = "- The first item is long enough that it wraps onto\n  a second line\n- The second item"
    assert split(text) == ["- The first item is long enough that it wraps onto\n  a second line", "- The second item"]


def test_windows_line_endings() -> None:
    assert split("First line.\r\nSecond line.\r\n\r\nThird.") == ["First line.", "Second line.", "Third."]


def test_web_menu_block_is_split_per_line() -> None:
    assert split("Home\nworld news\nsport\n\nThe article starts here.") == [
        "Home", "world news", "sport", "The article starts here.",
    ]


# -- real text -----------------------------------------------------------------------------

# Excerpts from Wikinews, CC BY 2.5, by the Wikinews contributors:
# "Nancy Pelosi again elected Speaker as 116th U.S. Congress sworn in" (2019-01-04),
# https://en.wikinews.org/wiki/Nancy_Pelosi_again_elected_Speaker_as_116th_U.S._Congress_sworn_in
# "Arrest made as mayor of Gdańsk, Poland stabbed on stage" (2019-01-14),
# https://en.wikinews.org/wiki/Arrest_made_as_mayor_of_Gda%C5%84sk,_Poland_stabbed_on_stage
WIKINEWS = [
    ("Nancy Pelosi became the first woman to serve as Speaker of the House in 2007 and held the post until "
     "2011. The Speaker of the House is the third-highest ranking person in the U.S. Federal government and "
     "automatically assumes the presidency if the President and Vice President are both killed or incapacitated.",
     2),
    ("Adamowicz was taken to the Medical University of Gdańsk, where Dr. Tomasz Stefaniak was met with applause "
     "early today upon announcing to journalists Adamowicz remained alive. \"The next hours will decide "
     "everything,\" Stefaniak said.",
     2),
]


@pytest.mark.parametrize(("text", "count"), WIKINEWS)
def test_wikinews_excerpts(text: str, count: int) -> None:
    assert len(split(text)) == count


def test_seed_articles() -> None:
    texts = {p.name: p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))}
    assert texts, "seed articles are missing"
    first = split(texts["000_f497f5fc9ee5aba9.txt"])
    assert first[0] == "US to Withdraw Troops from Iraq by End of 2021"
    assert "Prime Minister Imran Khan thanks people of AJK for support in polls" in first
    assert any("former President George W. Bush." in s for s in first)
    third = split(texts["002_b933cbef612dbe1c.txt"])
    assert "Read more: Withdraw US troops from Afghanistan" in third
    assert "Biden said U.S. soldiers would stay in Iraq to train and assist Iraqis." in third
    assert "However, the Biden government recognizes that IS still poses a significant threat." in third
    for text in texts.values():
        for sentence in split(text):
            assert "\n\n" not in sentence


# -- invariants ----------------------------------------------------------------------------

TRICKY = st.lists(
    st.sampled_from(list("aZ .!?…\"'”“()[]\n\t 12,$@/-•") + ["Mr", "U.S", "I", "e.g", "...", " . . ."]),
    max_size=80,
).map("".join)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(TRICKY, st.sampled_from([v[0] for v in VARIANTS])), max_size=4).map("".join))
def test_spans_are_ordered_stripped_and_cover_all_text(text: str) -> None:
    spans = sentence_spans(text)
    previous_end = 0
    for start, end in spans:
        assert previous_end <= start < end <= len(text)
        piece = text[start:end]
        assert piece == piece.strip() and piece
        assert text[previous_end:start].strip() == ""
        previous_end = end
    assert text[previous_end:].strip() == ""
    assert sentence_spans(text) == spans


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_any_unicode_text_gives_valid_spans(text: str) -> None:
    spans = sentence_spans(text)
    assert all(text[a:b] == text[a:b].strip() != "" for a, b in spans)
    assert [a for a, _ in spans] == sorted({a for a, _ in spans})


def test_empty_and_blank_text() -> None:
    assert sentence_spans("") == []
    assert sentence_spans(" \n\n\t ") == []


# -- speed and pathological input -----------------------------------------------------------

def _fast(text: str, limit: float = 2.0) -> list[tuple[int, int]]:
    # CPU time of this process: the machine is shared, wall time would measure the neighbours.
    start = time.process_time()
    spans = sentence_spans(text)
    assert time.process_time() - start < limit
    return spans


def test_five_megabyte_single_line_is_fast() -> None:
    paragraph = " ".join(text for text, _ in WIKINEWS)
    text = (paragraph + " ") * (5_000_000 // (len(paragraph) + 1))
    spans = _fast(text)
    assert len(spans) == 4 * (5_000_000 // (len(paragraph) + 1))


@pytest.mark.parametrize(
    "text",
    ["a." * 10**6, "...." * 10**6, "x" * 5_000_000, "\n" * 10**6, ". " * 10**6, "." * 10**6 + "x",
     ". " * 10**6 + "x", "[" + "." * 10**6 + "]", "A. " * 100_000, "1. " * 100_000, "1) " * 100_000,
     "a\n" * 100_000, "A\n" * 100_000, "\u2022 " * 100_000, "at 5 a.m. Mr " * 50_000],
    ids=["a-dot", "dots", "no-spaces", "newlines", "dot-space", "dots-then-letter", "spaced-dots-then-letter",
         "bracketed-dots", "initials", "numbered", "parenthesised", "short-lines", "capital-lines", "bullets",
         "times"],
)
def test_pathological_input_is_fast(text: str) -> None:
    spans = _fast(text)
    assert all(a < b for a, b in spans)


# -- the frame -----------------------------------------------------------------------------

def test_sentences_frame() -> None:
    articles = pl.DataFrame({
        "article_id": ["b", "a", "c"],
        "text": ["Second article. It has two.", "  First one!  ", None],
    })
    out = sentences(articles)
    assert out.columns == ["sentence_id", "article_id", "position", "text", "start", "end"]
    assert out.schema["position"] == pl.Int32 and out.schema["start"] == pl.Int32 and out.schema["end"] == pl.Int32
    assert out["article_id"].to_list() == ["a", "b", "b"]
    assert out["position"].to_list() == [0, 0, 1]
    assert out["text"].to_list() == ["First one!", "Second article.", "It has two."]
    assert out["start"].to_list() == [2, 0, 16]
    assert out.row(2, named=True)["sentence_id"] == stable_id("b", 16, 27)
    assert sentences(articles).equals(out)


def test_sentences_cap_keeps_the_first() -> None:
    articles = pl.DataFrame({"article_id": ["x"], "text": ["One. Two. Three. Four."]})
    out = sentences(articles, SentenceRules(max_sentences_per_article=2))
    assert out["text"].to_list() == ["One.", "Two."]
    assert SentenceRules().max_sentences_per_article == 20_000


def test_sentences_cap_must_be_positive() -> None:
    with pytest.raises(ValueError):
        SentenceRules(max_sentences_per_article=0)


def test_sentences_of_no_articles() -> None:
    empty = pl.DataFrame(schema={"article_id": pl.String, "text": pl.String})
    out = sentences(empty)
    assert out.height == 0
    assert out.schema["sentence_id"] == pl.String and out.schema["end"] == pl.Int32


@pytest.mark.parametrize(
    "text, expected",
    [
        ("great food. the staff was friendly.", ["great food.", "the staff was friendly."]),
        ("uh, where? just in the water?", ["uh, where?", "just in the water?"]),
        ("It costs approx. five dollars.", ["It costs approx. five dollars."]),
        ("We met Dr. smith at 5 p.m. today.", ["We met Dr. smith at 5 p.m. today."]),
        ("She works at Yahoo! in sales.", ["She works at Yahoo! in sales."]),
        ("He left (for good.) and never came back.", ["He left (for good.) and never came back."]),
        ("i loved it. highly recommended!", ["i loved it.", "highly recommended!"]),
    ],
)
def test_lower_case_sentence_starts_in_web_text(text: str, expected: list[str]) -> None:
    assert [text[a:b] for a, b in sentence_spans(text)] == expected
