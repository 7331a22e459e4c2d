"""Build bench/data/trafilatura-eval/ from trafilatura's saved test pages and its evaluation's snippets.

    pip download trafilatura==1.1.0 --no-binary :all: --no-deps      # PyPI; sha256 below
    # tests/evaldata.py of github.com/adbar/trafilatura (the commit is in the folder's README)
    python -m bench.make_trafilatura_eval trafilatura-1.1.0.tar.gz evaldata.py

The source distribution of trafilatura 1.1.0 ships tests/cache/: 110 web pages as saved by
trafilatura's author for its tests and evaluation (later releases leave them out; the repository
keeps them). The truth is that evaluation's own, tests/evaldata.py: for each page, a few
snippets of its main text that an extraction must hold ("with") and a few of its boilerplate
that it must not ("without"), chosen by a person. Its "comments" snippets (reader comments,
which Briefbot does not keep and the other sets' truths leave out) are not taken.

Which pages, fixed before any extractor was scored on them: every page of tests/cache/ that
has an entry in evaldata.py with at least one "with" snippet. `evaldata.py` may be the whole
file or excerpts of it, each a top-level `NAME = {...}` of its entries as they stand there.
"""

from __future__ import annotations

import argparse
import ast
import gzip
import hashlib
import io
import json
import sys
import tarfile
from pathlib import Path
from typing import Any

TARBALL_SHA256 = "650678fe3b3219795ccc72d8d37d2a9dc8c3070529598fddc2809ccd27c55bc4"
OUT = Path(__file__).resolve().parent / "data" / "trafilatura-eval"


def read_entries(source: str) -> dict[str, dict[str, Any]]:
    """The entries of evaldata.py (`EVAL_PAGES = {...}`), or of excerpts of it (several `NAME = {...}`), in order.

    Read without running the file: each top-level assignment of a dict literal is evaluated as a literal.
    """
    entries: dict[str, dict[str, Any]] = {}
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Dict):
            entries.update(ast.literal_eval(node.value))
    if not entries:
        raise SystemExit("no dict literal of evaluation entries found")
    return entries


def build(tarball: Path, evaldata: Path, out: Path = OUT) -> list[str]:
    """Write html/<name>.html.gz and truth.jsonl; the names kept, in evaldata.py's order."""
    data = tarball.read_bytes()
    if hashlib.sha256(data).hexdigest() != TARBALL_SHA256:
        raise SystemExit(f"{tarball} is not trafilatura 1.1.0's source distribution as published (sha256 differs)")
    pages: dict[str, bytes] = {}
    with tarfile.open(fileobj=io.BytesIO(data)) as archive:
        for member in archive.getmembers():
            parts = member.name.split("/")
            if member.isfile() and parts[1:3] == ["tests", "cache"] and len(parts) == 4:
                pages[parts[3]] = archive.extractfile(member).read()  # type: ignore[union-attr]
    entries = read_entries(evaldata.read_text("utf-8"))
    (out / "html").mkdir(parents=True, exist_ok=True)
    records = []
    for url, entry in entries.items():
        name = entry.get("file", "")
        if name not in pages or not entry.get("with"):
            continue
        page_id = name.removesuffix(".html")
        # mtime=0: the same bytes on every run, so a rebuild changes nothing in git
        (out / "html" / f"{page_id}.html.gz").write_bytes(gzip.compress(pages[name], 9, mtime=0))
        records.append({"id": page_id, "url": url, "with": list(entry["with"]),
                        "without": list(entry.get("without", []))})
    with (out / "truth.jsonl").open("w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    return [record["id"] for record in records]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.make_trafilatura_eval", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("tarball", type=Path, help="trafilatura-1.1.0.tar.gz (pip download, see above)")
    parser.add_argument("evaldata", type=Path, help="tests/evaldata.py of adbar/trafilatura, or its entries")
    args = parser.parse_args(argv)
    kept = build(args.tarball, args.evaldata)
    print(f"{len(kept)} pages: {', '.join(kept)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
