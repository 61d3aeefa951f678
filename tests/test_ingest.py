"""Ingest: every kind of bad input becomes an article with a warning or a reject with a reason."""

import codecs

import pytest

from pipeline.stages.decode import NotText, decoded, normalised
from pipeline.stages.ingest import InputFile, documents, looks_like_html, unique_documents

ARTICLE = "Officials said on Tuesday that the bridge would reopen.\n\nThe repairs cost “about $2 million”, the mayor’s office said.\n"


def _one(data: bytes, name: str = "a.txt"):
    docs, rejects = documents([InputFile(name, data, len(data))])
    return docs.to_dicts(), rejects.to_dicts()


@pytest.mark.parametrize(
    "data, encoding",
    [
        (ARTICLE.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + ARTICLE.encode("utf-8"), "utf-8-sig"),
        (codecs.BOM_UTF16_LE + ARTICLE.encode("utf-16-le"), "utf-16-le"),
        (codecs.BOM_UTF16_BE + ARTICLE.encode("utf-16-be"), "utf-16-be"),
        (ARTICLE.encode("utf-16-le"), "utf-16-le"),
        (ARTICLE.encode("utf-16-be"), "utf-16-be"),
        (ARTICLE.encode("cp1252"), "cp1252"),
    ],
)
def test_encodings_decode_to_the_same_text(data, encoding):
    docs, rejects = _one(data)
    assert rejects == []
    assert docs[0]["encoding"] == encoding
    assert docs[0]["raw_text"] == ARTICLE


def test_a_few_bad_bytes_keep_the_article_with_a_warning():
    data = ARTICLE.encode("utf-8").replace(b"bridge", b"bri\x81dge").replace(b"reopen", b"re\x92open")
    docs, rejects = _one(data)
    assert rejects == []
    text = docs[0]["raw_text"]
    assert "bri\ufffddge" in text and "re’open" in text, "0x81 (undefined in cp1252) is replaced, 0x92 repaired as the cp1252 quote"
    assert "“about $2 million”" in text
    assert docs[0]["warnings"] == ["2 invalid UTF-8 byte sequence(s) repaired or replaced"]


def test_normalisation_drops_invisible_characters_and_unifies_newlines():
    raw = "Cafe\u0301 te\u200bxt\u200f here\r\nnext\rline\x00 and\ttab\u2028end"
    assert normalised(raw) == "Café text here\nnext\nline and tab\nend"


@pytest.mark.parametrize(
    "data, kind",
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01", "JPEG"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG"),
        (bytes(range(256)) * 20, "binary data"),
    ],
)
def test_binary_files_are_rejected_with_what_they_are(data, kind):
    with pytest.raises(NotText, match=kind):
        decoded(data)
    docs, rejects = _one(data)
    assert docs == [] and rejects[0]["reason"] == "binary" and kind in rejects[0]["detail"]


@pytest.mark.parametrize("data", [b"", b"   \n\t\r\n  ", "\u200b\u200b\n".encode("utf-8")])
def test_empty_files_are_rejected(data):
    docs, rejects = _one(data)
    assert docs == [] and rejects[0]["reason"] == "empty"


def test_unreadable_marker_becomes_a_reject():
    docs, rejects = documents([InputFile("x.txt", None, None, "unreadable", "cannot read the file: Permission denied")])
    assert docs.is_empty() and rejects.row(0, named=True)["detail"].endswith("Permission denied")


def test_html_goes_through_the_extractor_even_named_txt():
    body = "".join(f"<p>The council approved the new budget of {n} million after a long debate in the chamber on Tuesday evening.</p>" for n in range(3, 9))
    html = f"<!DOCTYPE html><html><head><title>Budget passes</title></head><body><nav><a href='/'>Home</a></nav><article><h1>Budget passes</h1>{body}</article><footer>© Town Gazette</footer></body></html>"
    docs, rejects = _one(html.encode(), "page.txt")
    assert rejects == []
    doc = docs[0]
    assert doc["encoding"] == "html" and doc["html_title"] == "Budget passes"
    assert "<p>" not in doc["raw_text"] and "approved the new budget of 3 million" in doc["raw_text"]
    assert "Home" not in doc["raw_text"]


def test_plain_text_mentioning_tags_is_not_html():
    assert not looks_like_html("a.txt", "Use the <p> tag for paragraphs, the editor said.\n" * 3)


def test_exact_duplicates_are_kept_once_and_the_other_marked():
    data = ARTICLE.encode()
    docs, _ = documents([InputFile("b/copy.txt", data, len(data)), InputFile("a/orig.txt", data, len(data)), InputFile("c.txt", data.replace(b"Tuesday", b"Monday"), len(data))])
    unique, dupes = unique_documents(docs)
    assert sorted(unique["source_file"]) == ["a/orig.txt", "c.txt"]
    assert dupes.to_dicts()[0]["source_file"] == "b/copy.txt" and "a/orig.txt" in dupes.to_dicts()[0]["detail"]
