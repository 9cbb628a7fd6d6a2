"""A worker forked from a process that used the database (gunicorn --preload) opens its own
connections instead of sharing the parent's sockets."""

from __future__ import annotations

import multiprocessing

from sqlalchemy import text

from hansyn.db import Databases


def _child_query(databases: Databases, results: multiprocessing.Queue) -> None:
    checkedin = getattr(databases.control_engine.pool, "checkedin", None)  # 0 when forgotten
    pooled_before = checkedin() if checkedin else 0
    with databases.control_engine.connect() as connection:
        value = connection.execute(text("SELECT 1")).scalar()
    results.put((pooled_before, value))


def test_forked_child_does_not_reuse_the_parents_pooled_connection(app, databases):
    with databases.control_engine.connect() as connection:
        connection.execute(text("SELECT 1"))
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    child = context.Process(target=_child_query, args=(databases, results))
    child.start()
    child.join(timeout=60)
    assert child.exitcode == 0
    assert results.get(timeout=5) == (0, 1)
    # The parent's own connection is still usable after the child exited.
    with databases.control_engine.connect() as connection:
        assert connection.execute(text("SELECT 1")).scalar() == 1
