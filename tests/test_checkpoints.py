"""WAL checkpoints run in each process's own thread, not inside a request's commit."""

from __future__ import annotations

import time
from pathlib import Path

from sqlalchemy import text

from hansyn import checkpoints
from hansyn.db import Databases, make_session


def _engine(tmp_path: Path):
    databases = Databases(None, tmp_path)
    engine = databases.control_engine
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE note (id INTEGER PRIMARY KEY, body TEXT)"))
    return databases, engine, tmp_path / "hansyn.sqlite"


def _write(engine, rows: int) -> None:
    session = make_session(engine, write=True)
    for _ in range(rows):
        session.execute(text("INSERT INTO note (body) VALUES (:body)"), {"body": "x" * 2000})
    session.commit()
    session.close()


def test_a_commit_leaves_the_checkpoint_to_the_thread(tmp_path):
    databases, engine, path = _engine(tmp_path)
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == (
            checkpoints.BACKSTOP_PAGES
        )
    mine = checkpoints.Checkpointer(interval=3600)  # no round on its own during the test
    checkpoints.checkpointer, shared = mine, checkpoints.checkpointer
    try:
        _write(engine, 3000)  # ~1,500 pages: past SQLite's default threshold of 1,000
        assert path in mine._written
        assert mine.run_round() == 1
        with engine.connect() as connection:
            busy, frames, done = connection.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)").one()
        assert (busy, frames) == (0, done)  # everything was copied already
        assert mine.run_round() == 0  # nothing written since
    finally:
        checkpoints.checkpointer = shared
        databases.dispose()


def test_the_thread_takes_what_was_written(tmp_path):
    databases, engine, path = _engine(tmp_path)
    mine = checkpoints.Checkpointer(interval=0.05)
    checkpoints.checkpointer, shared = mine, checkpoints.checkpointer
    try:
        _write(engine, 10)
        deadline = time.monotonic() + 10
        while path in mine._written and time.monotonic() < deadline:
            time.sleep(0.02)
        assert path not in mine._written
    finally:
        checkpoints.checkpointer = shared
        databases.dispose()


def test_a_missing_or_foreign_file_is_left_alone(tmp_path):
    missing = tmp_path / "gone.sqlite"
    assert checkpoints.checkpoint(missing) is None
    assert not missing.exists()  # never created by a checkpoint
    other = tmp_path / "notes.txt"
    other.write_text("not a database")
    assert checkpoints.checkpoint(other) is None
    assert other.read_text() == "not a database"
