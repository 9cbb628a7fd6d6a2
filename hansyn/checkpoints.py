"""WAL checkpoints of the SQLite files, off the request path.

SQLite's automatic checkpoint runs inside the commit that takes the write-ahead log past 1,000
pages: that commit copies the pages into the database file and syncs both files while its request
waits. Measured on the supplier's ranked page at 100,000 candidates (in process): commits took
0.02 ms at the median and up to 100 ms when they checkpointed, once every few hundred requests —
and a one-thread gunicorn worker serves nobody meanwhile, so the requests queued behind it make
the slow tail of the latency.

So each process runs one daemon thread that, every `INTERVAL_S`, checkpoints the files this
process wrote since its last round (PASSIVE: it never waits for a reader or a writer, and copies
what it can), and connections raise SQLite's automatic threshold to `BACKSTOP_PAGES`: a commit
checkpoints only when the thread has fallen far behind or is not running (a command that ends
before its first round). The thread starts with the first write of a process — after a fork too.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from contextlib import closing
from pathlib import Path
from urllib.parse import quote

#: Seconds between two rounds of the checkpoint thread.
INTERVAL_S = 0.5
#: SQLite's own checkpoint (`wal_autocheckpoint`, in pages of 4 KB) as a backstop only.
BACKSTOP_PAGES = 20_000


class Checkpointer:
    """The files a process wrote, checkpointed by its own thread."""

    def __init__(self, interval: float = INTERVAL_S) -> None:
        self.interval = interval
        self._written: set[Path] = set()
        self._lock = threading.Lock()
        self._thread_pid: int | None = None

    def wrote(self, path: Path) -> None:
        """`path` was written by this process: checkpoint it in the next round."""
        with self._lock:
            self._written.add(path)
            if self._thread_pid != os.getpid():  # none yet, or the parent's before a fork
                self._thread_pid = os.getpid()
                thread = threading.Thread(
                    target=self._run, name="hansyn-wal-checkpoints", daemon=True
                )
                thread.start()

    def _run(self) -> None:
        pid = os.getpid()
        while self._thread_pid == pid:
            time.sleep(self.interval)
            self.run_round()

    def run_round(self) -> int:
        """Checkpoint the files written since the last round; returns how many were."""
        with self._lock:
            written, self._written = self._written, set()
        return sum(checkpoint(path) is not None for path in sorted(written))


def checkpoint(path: Path) -> tuple[int, int, int] | None:
    """PASSIVE checkpoint of one file: (busy, frames in the log, frames checkpointed), or None
    when the file cannot be opened for writing now (removed, read-only, or not a database).
    The connection is opened for the round only: a file replaced meanwhile (a restore) is never
    reached through an old descriptor."""
    uri = f"file:{quote(str(path))}?mode=rw"
    try:
        with closing(sqlite3.connect(uri, uri=True, timeout=0, isolation_level=None)) as db:
            found = db.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
    except sqlite3.Error:
        return None
    return (int(found[0]), int(found[1]), int(found[2])) if found else None


#: The process's checkpointer (`db._configure_sqlite` reports every write transaction to it).
checkpointer = Checkpointer()
