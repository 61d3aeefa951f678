"""Titles and metadata of HTML pages (pipeline.stages.htmlmeta)."""

import datetime

import pytest

import dataclasses

from pipeline.stages.htmlmeta import HtmlMetaRules, choose_title, html_document, without_site_suffix


@pytest.mark.parametrize(
    "title, site, host, expected",
    [
        ("Tram line to reach suburbs - The Paradigm", "The Paradigm", None, "Tram line to reach suburbs"),
        ("The Paradigm | Tram line to reach suburbs", "The Paradigm", None, "Tram line to reach suburbs"),
        ("Tram line to reach suburbs | Example News", None, "www.example.com", "Tram line to reach suburbs"),
        ("Tram line to reach suburbs – example", None, "example.org", "Tram line to reach suburbs"),
        ("Tram line to reach suburbs", "The Paradigm", None, "Tram line to reach suburbs"),
        ("Budget 2025: what changes for renters", None, None, "Budget 2025: what changes for renters"),
        # the site's name with a word more or less, as the last part
        ("Tram line to reach suburbs | Paradigm News", "Paradigm", None, "Tram line to reach suburbs"),
        ("Tram line to reach suburbs | Paradigm", "Paradigm News Ltd", None, "Tram line to reach suburbs"),
        # ... but not a first part that merely starts with it
        ("Paradigm shift in transport | Example", "Paradigm", None, "Paradigm shift in transport"),
        # an extractor's site name that is the headline itself: only the host's part goes
        ("Tram line to reach suburbs • Paradigm", "Tram line to reach suburbs", "paradigm.com", "Tram line to reach suburbs"),
    ],
)
def test_site_suffix_removed(title: str, site: str | None, host: str | None, expected: str) -> None:
    assert without_site_suffix(title, site, host) == expected


def test_main_heading_over_title_tag() -> None:
    assert choose_title(["Tram line to reach suburbs"], None, "Home", None, "Example", None) == "Tram line to reach suburbs"
    # a logo heading is no headline; og:title is used, without its suffix
    assert choose_title(["Example"], "Tram line to reach suburbs | Example", "Home", None, "Example", None) == "Tram line to reach suburbs"
    # repeated headings count once; anchor marks go
    assert choose_title(["Advanced Usage¶", "Advanced Usage¶"], None, None, None, None, None) == "Advanced Usage"
    assert choose_title([], None, "Tram line to reach suburbs - Example", None, "Example", None) == "Tram line to reach suburbs"
    assert choose_title([], None, None, None, None, None) is None


def test_heading_repeated_by_the_titles() -> None:
    # a one-word heading counts when the title repeats it, in the title's wording
    assert choose_title(["Economy"], "Economy | Today's latest from Example", None, None, "Example", None) == "Economy"
    assert choose_title(["RemoteFull Stack Jobs"], None, "Remote Full Stack Jobs | Example", None, "Example", None) == "Remote Full Stack Jobs"
    # a heading that is a title's last part names the site (a book's name over its chapters)
    assert choose_title(["The Example Book"], None, "What is Ownership? - The Example Book", None, None, None) == "What is Ownership?"


def test_tagline_heading_gives_way_to_the_title() -> None:
    og = "Online therapy with a licensed therapist | Example"
    for tagline in ("You deserve to be happy.", "SPACE TO FIGURE THINGS OUT", "Space to figure things out"):
        assert choose_title([tagline], og, None, None, "Example", None) == "Online therapy with a licensed therapist"
    # a headline that shares the title's words, or ends in an abbreviation, stays
    assert choose_title(["Therapy costs rise"], og, None, None, "Example", None) == "Therapy costs rise"
    assert choose_title(["Therapy costs rise in the U.S."], og, None, None, "Example", None) == "Therapy costs rise in the U.S."
    # a one-word title is a label, no evidence against the heading
    assert choose_title(["Space to figure things out"], None, "Home", None, None, None) == "Space to figure things out"


def test_rules_change_the_choice() -> None:
    one_word = dataclasses.replace(HtmlMetaRules(), heading_words=1)
    assert choose_title(["Quickstart"], None, None, None, None, None) is None
    assert choose_title(["Quickstart"], None, None, None, None, None, one_word) == "Quickstart"
    long_suffix = dataclasses.replace(HtmlMetaRules(), suffix_words=6)
    title = "Tram line to reach suburbs | The Best News In The North"
    assert without_site_suffix(title, None, None) == title
    assert without_site_suffix(title, None, None, long_suffix) == "Tram line to reach suburbs"


def test_html_document_metadata() -> None:
    body = " ".join(["The council voted on Tuesday to extend the tram line to the northern suburbs."] * 6)
    html = f"""<html><head><title>Tram line to reach suburbs - The Paradigm</title>
    <meta property="og:site_name" content="The Paradigm">
    <meta name="author" content="Jane Doe">
    <meta property="article:published_time" content="2023-03-12T08:15:00Z"></head>
    <body><nav><a href="/">Home</a></nav><article><h1>Tram line to reach suburbs</h1>
    <p>{body}</p><p>{body}</p></article><footer>© 2023 The Paradigm</footer></body></html>"""
    doc = html_document(html)
    assert doc.title == "Tram line to reach suburbs"
    assert doc.date == datetime.date(2023, 3, 12)
    assert doc.author == "Jane Doe"
    assert doc.site == "The Paradigm"
    assert "extend the tram line" in doc.text and "Home" not in doc.text
