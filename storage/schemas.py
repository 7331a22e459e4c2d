"""Throwaway PostgreSQL schemas: a fresh, empty schema for one run of the tests or a benchmark."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import create_engine, text


@contextmanager
def temporary_schema(url: str, prefix: str = "t") -> Iterator[str]:
    """The URL of a fresh schema in the PostgreSQL at `url`, dropped afterwards (OperationalError if unreachable)."""
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    schema = f"{prefix}_{uuid.uuid4().hex[:12]}"
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        try:
            yield f"{url}?options=-csearch_path%3D{schema}"
        finally:
            with admin.connect() as connection:
                connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    finally:
        admin.dispose()
