"""The layering is checked, not hoped for: import-linter's contracts (pyproject.toml) hold."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_import_contracts_are_kept() -> None:
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint_imports), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "0 broken" in result.stdout


SHARED_PATH = re.compile(r"""\.\./shared|/\s*["']shared["']|["']shared["']\s*/""")


def test_nothing_but_bench_reads_the_shared_folder() -> None:
    """The project stands alone: tests ship their data in tests/data; only bench/ reads ../shared."""
    offenders = [
        str(path.relative_to(ROOT))
        for folder in ("bot", "handlers", "storage", "support", "tests")
        for path in (ROOT / folder).rglob("*.py")
        if path != Path(__file__).resolve() and SHARED_PATH.search(path.read_text("utf-8"))
    ]
    assert offenders == []
