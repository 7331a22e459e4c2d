"""Schema upgrades: a current schema is recognised without Alembic; the head revision is Alembic's."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from storage.db import HEAD_REVISION, head_revision, make_engine, stored_revision, upgrade


def test_head_revision_is_alembics() -> None:
    assert head_revision() == HEAD_REVISION


def test_stored_revision_on_both_backends(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        assert stored_revision(engine) is None  # a new database
        upgrade(engine)
        assert stored_revision(engine) == HEAD_REVISION
    finally:
        engine.dispose()


def test_a_current_schema_is_left_alone_without_importing_alembic(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        upgrade(engine)
    finally:
        engine.dispose()
    code = textwrap.dedent(f"""
        import sys
        from storage.db import make_engine, upgrade
        engine = make_engine({database_url!r})
        upgrade(engine)
        print(sorted(m for m in sys.modules if m.split(".")[0] == "alembic"))
    """)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
