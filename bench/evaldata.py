"""Where the benchmarks find their data: the evaluation sets' folder, and the texts that ship with the project.

The evaluation sets (summaries-dev.jsonl, qa-dev-*.jsonl, xquad-dev-*.jsonl, extraction-dev/) are not in the
repository (some may not be redistributed). Every bench that reads them takes the folder from, in this order:

1. `--eval-dir DIR` on its command line;
2. the environment variable BRIEFBOT_EVAL_DIR;
3. `../shared/data/eval`, beside the project root.

When the folder or a file a run needs is missing, the bench prints one line to stderr (what is missing and how
to point at it) and exits with status 2, before any work starts.

The plain texts that are not evaluation sets (long-article.txt, seed-article.txt) are read by path from
tests/data/, which ships with the repository (see its README for their sources and licences). They are read
as files, not through tests.helpers.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any, NoReturn

ENV_VAR = "BRIEFBOT_EVAL_DIR"
ROOT = Path(__file__).resolve().parents[1]
DEFAULT_EVAL_DIR = ROOT.parent / "shared" / "data" / "eval"
TEST_DATA = ROOT / "tests" / "data"
LONG_ARTICLE = TEST_DATA / "long-article.txt"
SEED_ARTICLE = TEST_DATA / "seed-article.txt"
MISSING_STATUS = 2


def add_eval_dir_argument(parser: argparse.ArgumentParser) -> None:
    """Add `--eval-dir` to a bench's command line."""
    parser.add_argument("--eval-dir", type=Path, default=None, metavar="DIR",
                        help=f"folder of the evaluation sets (default: ${ENV_VAR}, else ../shared/data/eval "
                             "beside the project root)")


def fail(message: str) -> NoReturn:
    """Print one line to stderr and exit with status 2 (no traceback)."""
    print(f"bench: {message}", file=sys.stderr)
    raise SystemExit(MISSING_STATUS)


class EvalData:
    """The evaluation sets' folder, checked before use."""

    def __init__(self, folder: Path, origin: str) -> None:
        self.folder = folder
        self.origin = origin

    @classmethod
    def resolve(cls, flag: Path | None = None) -> EvalData:
        """The folder from `--eval-dir`, else $BRIEFBOT_EVAL_DIR, else ../shared/data/eval."""
        if flag is not None:
            return cls(flag, "--eval-dir")
        value = os.environ.get(ENV_VAR)
        if value:
            return cls(Path(value), ENV_VAR)
        return cls(DEFAULT_EVAL_DIR, "the default")

    def require(self, *names: str) -> EvalData:
        """Exit with the one-line message unless the folder and each of `names` in it exist."""
        how = f"point --eval-dir DIR or {ENV_VAR}=DIR at the folder of the evaluation sets"
        if not self.folder.is_dir():
            fail(f"the evaluation folder {self.folder} (from {self.origin}) is missing: {how}")
        for name in names:
            if not (self.folder / name).exists():
                fail(f"{name} is missing from the evaluation folder {self.folder} (from {self.origin}): {how}")
        return self

    def path(self, name: str) -> Path:
        """A file or folder of the evaluation sets (checked)."""
        self.require(name)
        return self.folder / name

    def jsonl(self, name: str) -> list[dict[str, Any]]:
        """The records of a .jsonl evaluation set (checked)."""
        text = self.path(name).read_text("utf-8")
        return [json.loads(line) for line in text.splitlines() if line.strip()]


def shipped_file(path: Path) -> Path:
    """`path`, a file of tests/data checked to be there (else the one-line message and status 2)."""
    if not path.is_file():
        fail(f"{path} is missing: it ships with the repository in tests/data/ (is the checkout complete?)")
    return path
