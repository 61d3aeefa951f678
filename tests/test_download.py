"""Downloading a release: over HTTP from a local server, resuming, refusing tampered files and unsafe names."""

import hashlib
import http.server
import json
import shutil
import threading
import time
from pathlib import Path

import fsspec
import pytest

from pipeline.release import download as dl
from pipeline.cli import main
from pipeline.release.publish import sha256sums

BIG = bytes(range(256)) * 4096  # 1 MiB: several chunks, so an interrupted transfer has a middle


def _entry(rel: str, content: bytes) -> dict:
    return {"path": rel, "bytes": len(content), "sha256": hashlib.sha256(content).hexdigest()}


def make_release(root: Path, files: dict[str, bytes], extra_entries: list[dict] = ()) -> Path:
    """A release directory as `publish` lays it out: the files, manifest.json and SHA256SUMS."""
    for rel, content in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(content)
    entries = sorted([_entry(rel, c) for rel, c in files.items()] + list(extra_entries), key=lambda f: f["path"])
    manifest = json.dumps({"dataset": "newsclean", "version": "9.9.9", "files": entries}, indent=2).encode()
    (root / "manifest.json").write_bytes(manifest)
    (root / "SHA256SUMS").write_text(sha256sums(sorted(entries + [_entry("manifest.json", manifest)], key=lambda f: f["path"])))
    return root


FILES = {"data/articles.parquet": BIG, "data/articles.csv": b"article_id,text\nx,'=1+1\n", "README.md": "# café ☕\n".encode(), "site/data/articles/00001.js": b"NC.data('a',[]);\n"}


class Server:
    """A static HTTP server on 127.0.0.1 that honours Range and can misbehave on request."""

    def __init__(self, root: Path):
        self.root = root
        self.requests: list[tuple[str, str | None]] = []
        self.cut_after: dict[str, int] = {}  # path -> bytes sent before the connection drops (once)
        self.ignore_range = False
        self.trickle_s: dict[str, float] = {}  # path -> seconds between bytes sent
        self.redirects: dict[str, str] = {}  # path -> Location of a 302
        owner = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                rel = self.path.lstrip("/")
                owner.requests.append((rel, self.headers.get("Range")))
                if rel in owner.redirects:
                    self.send_response(302)
                    self.send_header("Location", owner.redirects[rel])
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                path = owner.root / rel
                if not path.is_file():
                    self.send_error(404)
                    return
                body = path.read_bytes()
                start = 0
                if self.headers.get("Range") and not owner.ignore_range:
                    start = int(self.headers["Range"].removeprefix("bytes=").split("-")[0])
                    if start >= len(body):
                        self.send_error(416)
                        return
                    self.send_response(206)
                    self.send_header("Content-Range", f"bytes {start}-{len(body) - 1}/{len(body)}")
                else:
                    self.send_response(200)
                self.send_header("Content-Length", str(len(body) - start))
                self.end_headers()
                cut = owner.cut_after.pop(rel, None)
                if rel in owner.trickle_s:
                    try:
                        for i in range(start, len(body)):
                            self.wfile.write(body[i:i + 1])
                            self.wfile.flush()
                            time.sleep(owner.trickle_s[rel])
                    except (BrokenPipeError, ConnectionResetError):
                        pass  # the client gave up, as it should
                    return
                self.wfile.write(body[start:cut] if cut is not None else body[start:])
                if cut is not None:
                    self.close_connection = True

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def gets(self, rel: str) -> list[str | None]:
        return [rng for path, rng in self.requests if path == rel]


@pytest.fixture
def server(tmp_path):
    srv = Server(make_release(tmp_path / "release", FILES))
    srv.thread.start()
    yield srv
    srv.httpd.shutdown()
    srv.httpd.server_close()


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_http_download_verifies_everything_and_prints_progress(server, tmp_path):
    lines: list[str] = []
    report = dl.download(server.url, tmp_path / "got", say=lines.append)
    assert _tree(tmp_path / "got") == _tree(server.root)
    assert sorted(report.fetched) == sorted(FILES) and report.bytes == sum(map(len, FILES.values()))
    assert dl.verify(tmp_path / "got") == len(FILES) + 1
    assert any("4 file(s)" in line for line in lines) and any("README.md" in line and "sha256 ok" in line for line in lines)


def test_second_run_fetches_only_what_is_missing_or_changed(server, tmp_path):
    dest = tmp_path / "got"
    dl.download(server.url + "manifest.json", dest, say=lambda _: None)
    server.requests.clear()
    (dest / "README.md").write_bytes(b"edited locally\n")
    (dest / "site/data/articles/00001.js").unlink()
    report = dl.download(server.url, dest, say=lambda _: None)
    assert sorted(report.fetched) == ["README.md", "site/data/articles/00001.js"]
    assert sorted(report.up_to_date) == ["data/articles.csv", "data/articles.parquet"]
    assert server.gets("data/articles.parquet") == []
    assert _tree(dest) == _tree(server.root)


def test_tampered_file_is_refused_and_not_left_behind(server, tmp_path):
    (server.root / "data/articles.csv").write_bytes(b"article_id,text\nx,=1+1\n")  # same size, other bytes
    dest = tmp_path / "got"
    with pytest.raises(dl.ChecksumMismatch, match=r"data/articles.csv.*sha256.*not kept"):
        dl.download(server.url, dest, say=lambda _: None)
    assert not (dest / "data/articles.csv").exists()
    assert not list(dest.rglob("*.part")) and not (dest / "manifest.json").exists()


def test_truncated_or_oversized_file_is_a_mismatch(server, tmp_path):
    (server.root / "README.md").write_bytes("# café ☕\n".encode() + b"x" * 100)
    with pytest.raises(dl.ChecksumMismatch, match="README.md"):
        dl.download(server.url, tmp_path / "got", say=lambda _: None)
    assert not (tmp_path / "got" / "README.md").exists()


def test_interrupted_transfer_resumes_with_a_range_request(server, tmp_path):
    server.cut_after["data/articles.parquet"] = 300_000
    lines: list[str] = []
    dl.download(server.url, tmp_path / "got", say=lines.append)
    assert (tmp_path / "got/data/articles.parquet").read_bytes() == BIG
    assert server.gets("data/articles.parquet") == [None, "bytes=300000-"]
    assert any("interrupted" in line for line in lines) and any("resuming" in line for line in lines)


def _plant_part(dest: Path, rel: str, content: bytes) -> None:
    """A part file as an interrupted earlier run leaves it in the private folder."""
    (dest / dl.PARTIAL).mkdir(parents=True, mode=0o700)
    (dest / dl.PARTIAL / dl.part_name(_entry(rel, FILES[rel]))).write_bytes(content)


def test_part_file_from_an_earlier_run_is_resumed(server, tmp_path):
    dest = tmp_path / "got"
    _plant_part(dest, "data/articles.parquet", BIG[:123_456])
    report = dl.download(server.url, dest, say=lambda _: None)
    assert server.gets("data/articles.parquet") == ["bytes=123456-"]
    assert (dest / "data/articles.parquet").read_bytes() == BIG
    assert report.bytes == sum(map(len, FILES.values())) - 123_456


def test_stale_part_file_is_discarded_when_it_does_not_verify(server, tmp_path):
    dest = tmp_path / "got"
    _plant_part(dest, "data/articles.parquet", b"\xff" * 1000)
    dl.download(server.url, dest, say=lambda _: None)
    assert server.gets("data/articles.parquet") == ["bytes=1000-", None]
    assert (dest / "data/articles.parquet").read_bytes() == BIG


def test_server_without_range_support_restarts_the_file(server, tmp_path):
    server.ignore_range = True
    dest = tmp_path / "got"
    _plant_part(dest, "data/articles.parquet", BIG[:5000])
    dl.download(server.url, dest, say=lambda _: None)
    assert (dest / "data/articles.parquet").read_bytes() == BIG


@pytest.mark.parametrize("name", ["../evil.txt", "a/../../evil.txt", "/etc/evil", "C:/evil", "a\\..\\evil", "a//b", "./x", "manifest.json", "", "a/\x00b"])
def test_names_escaping_the_directory_are_refused(name, tmp_path):
    with pytest.raises(dl.UnsafePath):
        dl.safe_target(tmp_path / "dest", name)


def test_unsafe_manifest_writes_nothing(tmp_path):
    release = make_release(tmp_path / "release", {"ok.txt": b"fine"}, [_entry("../outside.txt", b"pwned")])
    (tmp_path / "outside.txt").write_bytes(b"pwned")
    with pytest.raises(dl.UnsafePath, match=r"\.\./outside\.txt"):
        dl.download(str(release), tmp_path / "dest", say=lambda _: None)
    assert not (tmp_path / "dest").exists()


def test_symlinked_subdirectory_pointing_outside_is_refused(tmp_path):
    (tmp_path / "dest").mkdir()
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "dest" / "data").symlink_to(tmp_path / "elsewhere")
    with pytest.raises(dl.UnsafePath):
        dl.safe_target(tmp_path / "dest", "data/articles.csv")


def test_local_path_and_fsspec_url_sources(tmp_path):
    release = make_release(tmp_path / "release", FILES)
    dl.download(str(release), tmp_path / "a", say=lambda _: None)
    assert _tree(tmp_path / "a") == _tree(release)
    mem = fsspec.filesystem("memory")
    for rel, content in _tree(release).items():
        mem.pipe(f"/rel-test/{rel}", content)
    try:
        dl.download("memory://rel-test", tmp_path / "b", say=lambda _: None)
    finally:
        mem.rm("/rel-test", recursive=True)
    assert _tree(tmp_path / "b") == _tree(release)


def test_missing_release_is_a_clear_error_and_missing_sums_are_refused(tmp_path):
    with pytest.raises(dl.NotFound, match="manifest.json: no such file"):
        dl.download(str(tmp_path / "nowhere"), tmp_path / "dest", say=lambda _: None)
    release = make_release(tmp_path / "release", {"a.txt": b"a"})
    (release / "SHA256SUMS").unlink()
    with pytest.raises(dl.DownloadError, match="has no SHA256SUMS: refusing"):
        dl.download(str(release), tmp_path / "dest", say=lambda _: None)
    assert not (tmp_path / "dest").exists()


def test_sums_disagreeing_with_manifest_are_refused(tmp_path):
    release = make_release(tmp_path / "release", {"a.txt": b"a"})
    (release / "SHA256SUMS").write_text(f"{'0' * 64}  a.txt\n")
    with pytest.raises(dl.ChecksumMismatch, match="SHA256SUMS disagrees"):
        dl.download(str(release), tmp_path / "dest", say=lambda _: None)


def test_verify_names_the_bad_files(tmp_path):
    release = make_release(tmp_path / "release", {"a.txt": b"a", "b/c.txt": b"c"})
    assert dl.verify(release) == 3
    (release / "b/c.txt").write_bytes(b"C")
    with pytest.raises(dl.ChecksumMismatch, match="b/c.txt"):
        dl.verify(release)


def test_cli_download_and_clear_error(server, tmp_path, capsys):
    assert main(["download", server.url, "--to", str(tmp_path / "got")]) == 0
    assert "all verified" in capsys.readouterr().out
    (server.root / "README.md").write_bytes(b"tampered\n")
    with pytest.raises(SystemExit, match="download: .*README.md.*expected"):
        main(["download", server.url, "--to", str(tmp_path / "again")])
    with pytest.raises(SystemExit, match="download: .*HTTP 404"):
        main(["download", server.url + "nope/", "--to", str(tmp_path / "x")])


# --- hardening (issue 11): links, caps, deadlines, redirects, incomplete releases --------------


@pytest.mark.parametrize("planted", ["data/.articles.csv.part", "data/articles.csv.part", "data/articles.csv", ".newsclean-download"])
def test_planted_symlinks_never_redirect_a_write_outside_the_target(server, tmp_path, planted):
    outside = tmp_path / "victim.txt"
    outside.write_bytes(b"precious")
    dest = tmp_path / "got"
    (dest / "data").mkdir(parents=True)
    (dest / planted).symlink_to(outside if planted != ".newsclean-download" else tmp_path)
    refused = {".newsclean-download": "not a link", "data/articles.csv": "resolves outside"}
    try:
        dl.download(server.url, dest, say=lambda _: None)
    except dl.DownloadError as err:
        assert refused.get(planted, "not refused") in str(err)
    else:
        assert planted not in refused
    assert outside.read_bytes() == b"precious" and sorted(p.name for p in tmp_path.iterdir()) == ["got", "release", "victim.txt"]
    if planted not in refused:
        assert (dest / "data/articles.csv").read_bytes() == FILES["data/articles.csv"] and not (dest / "data/articles.csv").is_symlink()


@pytest.mark.parametrize("name, cap", [("manifest.json", "MAX_MANIFEST_BYTES"), ("SHA256SUMS", "MAX_SUMS_BYTES")])
def test_manifest_and_sums_are_read_up_to_a_cap(server, tmp_path, monkeypatch, name, cap):
    path = server.root / name
    path.write_bytes(path.read_bytes() + (b" " if name == "manifest.json" else b"\n") * 300_000)  # still a valid release
    if name == "manifest.json":
        entries = json.loads(path.read_bytes())["files"]
        (server.root / "SHA256SUMS").write_text(sha256sums(sorted(entries + [_entry("manifest.json", path.read_bytes())], key=lambda f: f["path"])))
    monkeypatch.setattr(dl, cap, 100_000, raising=False)
    with pytest.raises(dl.DownloadError, match=f"{name} is over"):
        dl.download(server.url, tmp_path / "got", say=lambda _: None)
    assert not (tmp_path / "got").exists()


def test_a_server_that_trickles_is_given_up_on_at_the_deadline(server, tmp_path, monkeypatch):
    server.trickle_s["README.md"] = 0.3  # 12 bytes: 3.6 s at this pace
    monkeypatch.setattr(dl, "DEADLINE_BASE_S", 1.0, raising=False)
    started = time.monotonic()
    with pytest.raises(dl.DownloadError, match="deadline"):
        dl.download(server.url, tmp_path / "got", say=lambda _: None)
    assert time.monotonic() - started < 3.0
    assert not (tmp_path / "got" / "README.md").exists() and not (tmp_path / "got" / "manifest.json").exists()


def test_a_redirect_to_another_origin_is_refused(server, tmp_path):
    other = server.url.replace("127.0.0.1", "localhost")
    server.redirects["README.md"] = other + "README.md"
    with pytest.raises(dl.DownloadError, match="another origin"):
        dl.download(server.url, tmp_path / "got", say=lambda _: None)
    assert not (tmp_path / "got").exists()
    assert server.gets("README.md") == [None], "the other origin was never asked"


def test_a_redirect_within_the_origin_is_followed(server, tmp_path):
    (server.root / "moved").mkdir()
    shutil.copy(server.root / "README.md", server.root / "moved" / "README.md")
    server.redirects["README.md"] = "/moved/README.md"
    dl.download(server.url, tmp_path / "got", say=lambda _: None)
    assert (tmp_path / "got" / "README.md").read_bytes() == FILES["README.md"]


def test_a_release_whose_sums_miss_a_manifest_file_is_refused(tmp_path):
    release = make_release(tmp_path / "release", {"a.txt": b"a", "b.txt": b"b"})
    sums = (release / "SHA256SUMS").read_text().splitlines()
    (release / "SHA256SUMS").write_text("\n".join(line for line in sums if not line.endswith("  b.txt")) + "\n")
    with pytest.raises(dl.DownloadError, match="does not list 'b.txt'"):
        dl.download(str(release), tmp_path / "dest", say=lambda _: None)
    assert not (tmp_path / "dest").exists()


def test_a_refused_release_leaves_the_target_as_it_was(server, tmp_path):
    dest = tmp_path / "got"
    dl.download(server.url, dest, say=lambda _: None)
    (dest / "notes.txt").write_text("mine")
    before = _tree(dest)
    # Version 2: every file changes, and the last one to arrive is tampered with.
    new = {rel: content + b"v2" for rel, content in FILES.items()}
    make_release(server.root, new)
    (server.root / "site/data/articles/00001.js").write_bytes(b"tampered!" + b"x" * (len(new["site/data/articles/00001.js"]) - 9))
    with pytest.raises(dl.ChecksumMismatch, match="00001.js"):
        dl.download(server.url, dest, say=lambda _: None)
    assert _tree(dest) == before, "files verified before the refusal must not have replaced the old ones"
    assert not (dest / dl.PARTIAL).exists()


def test_a_release_whose_sums_list_a_file_the_manifest_does_not_is_refused(tmp_path):
    release = make_release(tmp_path / "release", {"a.txt": b"a"})
    (release / "extra.sh").write_bytes(b"rm -rf ~\n")
    with open(release / "SHA256SUMS", "a") as fh:
        fh.write(f"{hashlib.sha256(b'rm -rf ~').hexdigest()}  extra.sh\n")
    with pytest.raises(dl.DownloadError, match="lists 'extra.sh', which manifest.json does not"):
        dl.download(str(release), tmp_path / "dest", say=lambda _: None)
    assert not (tmp_path / "dest").exists()


def test_a_users_file_at_a_release_name_is_never_replaced(server, tmp_path):
    """`--to` may be a folder of the user's: a file there that no earlier download wrote, at a name
    the release lists, refuses the download and stays as it was."""
    to = tmp_path / "mine"
    to.mkdir()
    (to / "README.md").write_text("my own notes\n")
    with pytest.raises(dl.UnsafePath, match="README.md"):
        dl.download(server.url, to, say=lambda _: None)
    assert (to / "README.md").read_text() == "my own notes\n"
    assert sorted(p.name for p in to.iterdir()) == ["README.md"]
