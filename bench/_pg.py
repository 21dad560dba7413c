"""What the PostgreSQL benchmarks share (search_bench.py, cycle_bench.py): a scratch database,
Django set up on it, and the pieces of the bulk loader (secondary indexes to rebuild, NOT NULL
columns the loader must fill, folded names). Imported as `_pg` (the scripts' folder is first on
sys.path when they run)."""

from __future__ import annotations

import atexit
import os
import resource
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def admin_conn(pg: str):  # type: ignore[no-untyped-def]
    import psycopg

    return psycopg.connect(f"{pg.rstrip('/')}/postgres", autocommit=True)


def database_exists(pg: str, db: str) -> bool:
    with admin_conn(pg) as conn:
        return (
            conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (db,)).fetchone()
            is not None
        )


def drop_db(pg: str, db: str) -> None:
    from psycopg import sql

    with admin_conn(pg) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(db)))


def recreate_db(pg: str, db: str) -> None:
    from psycopg import sql

    drop_db(pg, db)
    with admin_conn(pg) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(db)))


def setup_django(pg: str, db: str, prefix: str) -> Path:
    """Django on `db`, with a temporary CHITRA_VAR_DIR (removed at exit), which it returns."""
    os.environ["DATABASE_URL"] = f"{pg.rstrip('/')}/{db}"
    os.environ["CHITRA_DEBUG"] = "1"
    var_dir = tempfile.mkdtemp(prefix=prefix)
    atexit.register(shutil.rmtree, var_dir, True)
    os.environ["CHITRA_VAR_DIR"] = var_dir
    os.environ["DJANGO_SETTINGS_MODULE"] = "chitra.settings"
    os.environ.setdefault("CHITRA_LOG_LEVEL", "WARNING")
    # A whole province's results file (millions of lines) is larger than a page upload: the
    # operator raises the read limits for such a run, as here (docs/operations.md).
    os.environ.setdefault("CHITRA_UPLOAD_MAX_BYTES", str(16 << 30))
    os.environ.setdefault("CHITRA_IMPORT_MAX_ROWS", str(50_000_000))
    import django

    django.setup()
    from django.conf import settings

    # DEBUG=1 only to start without production secrets; no per-query logging while timing.
    settings.DEBUG = False
    return Path(var_dir)


def secondary_indexes(cur, table: str) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    """(name, definition) of `table`'s indexes that back no constraint (dropped before a bulk
    COPY, rebuilt from their definitions afterwards)."""
    cur.execute(
        """
        SELECT i.relname, pg_get_indexdef(x.indexrelid)
        FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
        WHERE x.indrelid = %s::regclass
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)
        ORDER BY i.relname""",
        [table],
    )
    return list(cur.fetchall())


def check_columns(cur, table: str, columns: Iterable[str], where: str) -> None:  # type: ignore[no-untyped-def]
    """Stop when `table` has a NOT NULL column without default that the loader (`where`)
    does not fill: the schema moved on."""
    cur.execute(
        """
        SELECT column_name FROM information_schema.columns
        WHERE table_name = %s AND is_nullable = 'NO' AND column_default IS NULL
          AND is_identity = 'NO' AND column_name <> 'id'""",
        [table],
    )
    missing = sorted({r[0] for r in cur.fetchall()} - set(columns))
    if missing:
        raise SystemExit(
            f"{table} has NOT NULL columns the loader does not fill: {missing}; update {where}"
        )


def fold_column(names):  # type: ignore[no-untyped-def]
    """fold_name over a string column, once per distinct name."""
    import pyarrow as pa

    from chitra.kernel.names import fold_name

    enc = names.dictionary_encode()
    if isinstance(enc, pa.ChunkedArray):
        enc = enc.combine_chunks()
    folded = pa.array([fold_name(s) for s in enc.dictionary.to_pylist()], pa.string())
    return folded.take(enc.indices)
