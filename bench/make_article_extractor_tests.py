"""Build bench/data/article-extractor-tests/ from the page fixtures of the article-extractor package.

    pip download article-extractor==0.5.9 --no-deps --no-binary :all:   # PyPI; sha256 below
    python -m bench.make_article_extractor_tests article_extractor-0.5.9.tar.gz

(pip refuses the download on Python 3.11, the package asks for 3.12; the same file is on PyPI's
download page.) The source distribution of article-extractor (MIT, github.com/pankaj28843/article-extractor)
ships tests/fixtures/fullpage_to_article_html/<host>/<case>/: raw.html (a whole page as a browser
rendered it, fetched in 2026), expected.html (the article's part of it, cut out by a person with a
CSS selector and cleaned of what did not belong: meta.json's "manually curated selector + node
cleanup") and meta.json (the page's address). The package's own tests hold its extractor to them.

Which pages, fixed before any extractor was scored on them: all of them (every case with the three
files). The truth is expected.html as text, as readability-tests' (bench/make_readability_tests.html_text).
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import sys
import tarfile
from pathlib import Path

from bench.make_readability_tests import html_text, run_converter, write_truth

TARBALL_SHA256 = "adf12c7a385034f3defe01d2b5f16d15360ef71c08ec5a543fc301f78d07beb0"
FIXTURES = "tests/fixtures/fullpage_to_article_html"
OUT = Path(__file__).resolve().parent / "data" / "article-extractor-tests"


def build(tarball: Path, out: Path = OUT) -> list[str]:
    """Write html/<host>.<case>.html.gz, truth.jsonl and LICENSE; the names kept, in order."""
    data = tarball.read_bytes()
    if hashlib.sha256(data).hexdigest() != TARBALL_SHA256:
        raise SystemExit(f"{tarball} is not article-extractor 0.5.9 as published (sha256 differs)")
    cases: dict[str, dict[str, bytes]] = {}
    licence = b""
    with tarfile.open(fileobj=io.BytesIO(data)) as archive:
        for member in archive.getmembers():
            parts = member.name.split("/")
            if not member.isfile():
                continue
            if parts[1:] == ["LICENSE"]:
                licence = archive.extractfile(member).read()  # type: ignore[union-attr]
            if "/".join(parts[1:4]) == FIXTURES and len(parts) == 7:
                name = f"{parts[4]}.{parts[5]}"
                cases.setdefault(name, {})[parts[6]] = archive.extractfile(member).read()  # type: ignore[union-attr]
    kept = [name for name in sorted(cases) if {"raw.html", "expected.html", "meta.json"} <= cases[name].keys()]
    (out / "html").mkdir(parents=True, exist_ok=True)
    records = []
    for name in kept:
        # mtime=0: the same bytes on every run, so a rebuild changes nothing in git
        (out / "html" / f"{name}.html.gz").write_bytes(gzip.compress(cases[name]["raw.html"], 9, mtime=0))
        url = json.loads(cases[name]["meta.json"])["url"]
        records.append({"id": name, "url": url, "body": html_text(cases[name]["expected.html"].decode("utf-8"))})
    write_truth(out, records)
    (out / "LICENSE").write_bytes(licence)
    return kept


def main(argv: list[str] | None = None) -> int:
    return run_converter(argv, prog="python -m bench.make_article_extractor_tests", description=__doc__,
                         tarball_help="article_extractor-0.5.9.tar.gz (from PyPI)", build_set=build)


if __name__ == "__main__":
    sys.exit(main())
