"""Saving and loading an index's arrays: a directory of ``.npy`` files (memory-mapped when
loaded, so every process that loads them shares them), the candidate ids and a ``meta.json``
written last, whose presence and fingerprint vouch for the arrays.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from hansyn.matching.profiles import StaleIndexError
from hansyn.matching.store import MainSegment

__all__ = ["FORMAT_VERSION", "load_index", "save_index"]

FORMAT_VERSION = 3
_ARRAYS = ("lat", "lon", "commute", "job", "tier_start", "post_ptr", "post_rows",
           "offer_ptr", "offer_key", "offer_text")


def save_index(path: Path, main: MainSegment, meta: dict[str, Any]) -> None:
    """Write ``main`` and ``meta`` (with the format version and the count added)."""
    path.mkdir(parents=True, exist_ok=True)
    for name in _ARRAYS:
        _atomic(path / f"{name}.npy", _array_writer(getattr(main, name)))
    _atomic(path / "ids.bin", lambda f: f.write("\0".join(main.ids).encode()))
    meta = {"format": FORMAT_VERSION, **meta, "count": len(main.ids)}
    # meta.json is written last: its presence and fingerprint vouch for the arrays
    _atomic(path / "meta.json", lambda f: f.write(json.dumps(meta, ensure_ascii=False).encode()))


def _array_writer(array: npt.NDArray[Any]) -> Callable[[Any], object]:
    return lambda f: np.save(f, array)


def _atomic(target: Path, write: Callable[[Any], object]) -> None:
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    try:
        with os.fdopen(fd, "wb") as f:
            write(f)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise



def load_index(path: Path, fingerprint: str | None, vocabulary: str | None,
               mmap: bool) -> tuple[MainSegment, dict[str, Any]]:
    """The main segment and the meta data saved at ``path``; ``StaleIndexError`` when it is
    missing, unreadable, of another format, fingerprint or vocabulary version."""
    try:
        meta = json.loads((path / "meta.json").read_text())
        # plain ndarray views of the maps: a np.memmap slice costs a Python-level
        # __array_finalize__, and a ranking slices the arrays many times
        arrays = {n: np.load(path / f"{n}.npy", mmap_mode="r" if mmap else None)
                  .view(np.ndarray) for n in _ARRAYS}
        raw = (path / "ids.bin").read_bytes().decode()
    except (OSError, ValueError) as exc:
        raise StaleIndexError(f"no readable index at {path}: {exc}") from exc
    if meta.get("format") != FORMAT_VERSION:
        raise StaleIndexError("index written by another format version")
    if fingerprint is not None and meta.get("fingerprint") != fingerprint:
        raise StaleIndexError("index fingerprint differs")
    if meta.get("vocabulary") != vocabulary:
        raise StaleIndexError("index built with another vocabulary")
    ids = raw.split("\0") if meta["count"] else []
    if len(ids) != meta["count"] or len(arrays["lat"]) != len(ids):
        raise StaleIndexError("index files disagree")
    return MainSegment(ids=ids, alive=np.ones(len(ids), bool), **arrays), meta
