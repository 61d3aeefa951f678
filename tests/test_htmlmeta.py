"""Titles and metadata of HTML pages (pipeline.stages.htmlmeta)."""

import datetime

import pytest

from pipeline.stages.htmlmeta import choose_title, html_document, without_site_suffix


@pytest.mark.parametrize(
    "title, site, host, expected",
    [
        ("Tram line to reach suburbs - The Paradigm", "The Paradigm", None, "Tram line to reach suburbs"),
        ("The Paradigm | Tram line to reach suburbs", "The Paradigm", None, "Tram line to reach suburbs"),
        ("Tram line to reach suburbs | Example News", None, "www.example.com", "Tram line to reach suburbs"),
        ("Tram line to reach suburbs – example", None, "example.org", "Tram line to reach suburbs"),
        ("Tram line to reach suburbs", "The Paradigm", None, "Tram line to reach suburbs"),
        ("Budget 2025: what changes for renters", None, None, "Budget 2025: what changes for renters"),
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
