"""The walking journal: one row per walk in an SQLite file.

Each walk records when it started, the preset, planned and walked minutes, steps per
minute at the start and end, whether it ended early, and pain before and after (0-10,
either may be unknown). :mod:`pacer.plan` reads it to suggest the next walk.

Reliability: WAL mode and a busy timeout, so two processes writing at once both land;
a schema version (``PRAGMA user_version``) with migrations from every earlier one; a
file that is not a pacer journal (another SQLite database, or not SQLite at all) or
that is damaged is reported and never written to.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sqlite3
import threading
from dataclasses import asdict, dataclass, fields, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from .errors import PacerError
from .session import LIMITS

__all__ = [
    "COLUMNS",
    "Cadence",
    "Entry",
    "Journal",
    "JournalError",
    "SCHEMA_VERSION",
    "check_writable",
    "default_path",
]

SCHEMA_VERSION = 2
_APP = "pacer journal"

# Version 1, the first schema: kept so that migration from it is tested.
SCHEMA_1 = """
CREATE TABLE pacer_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE walks (
    id INTEGER PRIMARY KEY,
    started TEXT NOT NULL,
    preset TEXT NOT NULL,
    minutes REAL NOT NULL,
    spm REAL,
    pain_before INTEGER,
    pain_after INTEGER
);
"""

_SCHEMA_2_WALKS = """
CREATE TABLE walks (
    id INTEGER PRIMARY KEY,
    started TEXT NOT NULL,
    preset TEXT NOT NULL,
    planned_minutes REAL NOT NULL,
    walked_minutes REAL NOT NULL,
    spm_start REAL,
    spm_end REAL,
    ended_early INTEGER NOT NULL DEFAULT 0,
    pain_before INTEGER CHECK (pain_before BETWEEN 0 AND 10),
    pain_after INTEGER CHECK (pain_after BETWEEN 0 AND 10),
    source TEXT NOT NULL DEFAULT 'walk',
    note TEXT NOT NULL DEFAULT ''
);
"""

MIGRATIONS = {
    # 1 -> 2: planned and walked minutes, start and end pace, ended early, source, note.
    1: [
        "ALTER TABLE walks RENAME TO walks_v1",
        _SCHEMA_2_WALKS,
        """INSERT INTO walks (id, started, preset, planned_minutes, walked_minutes,
               spm_start, spm_end, ended_early, pain_before, pain_after, source)
           SELECT id, started, preset, minutes, minutes, spm, spm, 0, pain_before,
               pain_after, 'walk' FROM walks_v1""",
        "DROP TABLE walks_v1",
    ],
}


class JournalError(PacerError):
    """The journal file cannot be used (not a journal, damaged, unwritable)."""


@dataclass(frozen=True)
class Entry:
    """One walk in the journal. Times are local ISO 8601 (``2026-11-22T08:30:00``);
    pain is 0-10 or ``None`` when not given."""

    started: str
    preset: str
    planned_minutes: float
    walked_minutes: float
    spm_start: float | None = None
    spm_end: float | None = None
    ended_early: bool = False
    pain_before: int | None = None
    pain_after: int | None = None
    source: str = "walk"
    note: str = ""
    id: int | None = None

    def __post_init__(self) -> None:
        for name in ("pain_before", "pain_after"):
            value = getattr(self, name)
            if value is not None:
                LIMITS["pain"].check(value)
        try:
            datetime.fromisoformat(self.started)
        except ValueError:
            raise JournalError(
                f"started: {self.started!r} is not a date and time like 2026-11-22T08:30"
            ) from None
        if self.walked_minutes < 0 or self.planned_minutes < 0:
            raise JournalError("minutes cannot be negative")

    @property
    def pain_rose(self) -> bool:
        """True when pain after the walk was higher than before it."""
        return (
            self.pain_before is not None
            and self.pain_after is not None
            and self.pain_after > self.pain_before
        )

    @property
    def day(self) -> str:
        """The date of the walk, ``YYYY-MM-DD``."""
        return self.started[:10]


COLUMNS = tuple(f.name for f in fields(Entry) if f.name != "id")
"""The journal's columns, in the order exports use (after ``id``)."""


def default_path() -> Path:
    """``PACER_JOURNAL`` if set, else ``journal.sqlite3`` in the user's data directory."""
    if os.environ.get("PACER_JOURNAL"):
        return Path(os.environ["PACER_JOURNAL"])
    from .config import data_dir

    return data_dir() / "journal.sqlite3"


_ROOM = 64 * 1024
"""Bytes a walk's record may need: a page in the file, a frame in the -wal file and
the -shm index SQLite keeps beside it."""


def check_writable(path: str | os.PathLike[str] | None = None) -> None:
    """Raise :class:`JournalError`, in one line saying which, unless a walk could be
    recorded in the journal at ``path`` (``None``: :func:`default_path`).

    Four different conditions: the journal file is read-only; its folder is read-only
    (SQLite in WAL mode creates ``-wal`` and ``-shm`` files beside the journal, even
    to read it); the disk is full (less than 64 KiB free); the file system is mounted
    read-only. Nothing is left behind.
    """
    target = Path(path) if path is not None else default_path()
    if str(path) == ":memory:":
        return
    advice = "use --journal PATH for another file, or --no-journal to walk without recording"
    if target.is_file():
        try:
            with open(target, "r+b"):
                pass
        except OSError as err:
            if err.errno == errno.EROFS:
                raise JournalError(
                    f"{target}: is on a read-only file system, so this walk could not be "
                    f"recorded; {advice}"
                ) from None
            raise JournalError(
                f"{target}: the journal file is read-only ({err.strerror}), so this walk "
                f"could not be recorded; make it writable, or {advice}"
            ) from None
    folder = target.parent
    while not folder.exists() and folder != folder.parent:  # the journal makes the rest
        folder = folder.parent
    probe = folder / f".{target.name}.{os.getpid()}.probe"
    try:
        handle = os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            written = 0
            while written < _ROOM:
                written += os.write(handle, bytes(_ROOM - written))
            os.fsync(handle)
        finally:
            os.close(handle)
    except OSError as err:
        if err.errno in (errno.ENOSPC, errno.EDQUOT):
            what = "the disk is full (less than 64 KiB free)"
        elif err.errno == errno.EROFS:
            what = "it is on a read-only file system"
        elif err.errno in (errno.EACCES, errno.EPERM):
            what = (
                f"its folder {folder} is read-only (SQLite must create {target.name}-wal "
                f"and {target.name}-shm beside the journal)"
            )
        else:
            what = f"nothing can be written in {folder} ({err.strerror})"
        message = f"{target}: {what}, so this walk could not be recorded; {advice}"
        raise JournalError(message) from None
    finally:
        with contextlib.suppress(OSError):
            probe.unlink()


@dataclass(frozen=True)
class Cadence:
    """A cadence the walker measured: when (local time, ISO), steps per minute, from
    how many taps, and how (``"tap"``, or ``"calibration"``: a minute on the spot)."""

    measured: str
    steps_per_minute: float
    taps: int
    how: str = "tap"

    def __post_init__(self) -> None:
        LIMITS["cadence"].check(self.steps_per_minute, "cadence")
        if self.how not in ("tap", "calibration"):
            raise JournalError(f"how: {self.how!r} is not tap or calibration")


_CADENCES = """CREATE TABLE IF NOT EXISTS cadences (
    id INTEGER PRIMARY KEY,
    measured TEXT NOT NULL,
    steps_per_minute REAL NOT NULL,
    taps INTEGER NOT NULL,
    how TEXT NOT NULL
)"""


class Journal:
    """The journal at ``path`` (``None``: :func:`default_path`; ``":memory:"`` for one
    that lives only as long as the object)."""

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self.path = Path(path) if path is not None and str(path) != ":memory:" else None
        if path is None:
            self.path = default_path()
        target = ":memory:" if self.path is None else str(self.path)
        if self.path is not None:
            self._check_file(self.path)
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as err:
                raise JournalError(
                    f"{self.path}: cannot create its folder ({err.strerror})"
                ) from None
        try:
            self._db = sqlite3.connect(target, timeout=10, isolation_level=None)
            self._db.execute("PRAGMA busy_timeout = 10000")
            self._prepare_patiently()
        except sqlite3.DatabaseError as err:
            raise JournalError(
                f"{self.path}: the journal is damaged or unreadable ({err}); pacer leaves "
                "it as it is: move it away to start a new one, or use --journal PATH"
            ) from None

    def _prepare_patiently(self) -> None:
        """Set up or migrate; when another process holds the file while creating or
        migrating it (switching to WAL cannot wait on SQLite's own busy timeout),
        wait for it, for up to about 10 s."""
        waited = threading.Event()
        for attempt in range(50):
            try:
                self._prepare()
                return
            except sqlite3.OperationalError as err:
                if "locked" not in str(err) or attempt == 49:
                    raise
                waited.wait(0.2)

    @staticmethod
    def _check_file(path: Path) -> None:
        if not path.exists():
            return
        if path.is_dir():
            raise JournalError(f"{path}: is a directory, not a journal file")
        with open(path, "rb") as handle:
            head = handle.read(16)
        if head and head != b"SQLite format 3\x00":
            raise JournalError(
                f"{path}: is not a pacer journal (not an SQLite file); pacer leaves it as "
                "it is: move it away, or use --journal PATH"
            )

    def _prepare(self) -> None:
        db = self._db
        version = db.execute("PRAGMA user_version").fetchone()[0]
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if not tables:
            db.execute("PRAGMA journal_mode = WAL")
            # IF NOT EXISTS / OR IGNORE: two processes may create it at the same moment.
            create = (SCHEMA_1.split("CREATE TABLE walks")[0] + _SCHEMA_2_WALKS).replace(
                "CREATE TABLE", "CREATE TABLE IF NOT EXISTS"
            )
            db.executescript(
                "BEGIN IMMEDIATE;"
                + create
                + f"INSERT OR IGNORE INTO pacer_meta VALUES ('app', '{_APP}');"
                + f"PRAGMA user_version = {SCHEMA_VERSION};COMMIT;"
            )
            return
        app = None
        if "pacer_meta" in tables:
            row = db.execute("SELECT value FROM pacer_meta WHERE key = 'app'").fetchone()
            app = row[0] if row else None
        if app != _APP:
            raise JournalError(
                f"{self.path}: is an SQLite file but not a pacer journal; pacer leaves it as "
                "it is: use --journal PATH for the journal"
            )
        if version > SCHEMA_VERSION:
            raise JournalError(
                f"{self.path}: was written by a newer pacer (journal version {version}); "
                "upgrade pacer to use it"
            )
        db.execute("PRAGMA journal_mode = WAL")
        while version < SCHEMA_VERSION:
            db.execute("BEGIN IMMEDIATE")
            try:
                current = db.execute("PRAGMA user_version").fetchone()[0]
                if current == version:  # another process may have migrated meanwhile
                    for statement in MIGRATIONS[version]:
                        db.execute(statement)
                    db.execute(f"PRAGMA user_version = {version + 1}")
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
            version = db.execute("PRAGMA user_version").fetchone()[0]

    def add(self, entry: Entry) -> Entry:
        """Record a walk; returns it with its ``id``."""
        values = asdict(entry)
        values.pop("id")
        names = ", ".join(values)
        marks = ", ".join(f":{k}" for k in values)
        try:
            cursor = self._db.execute(f"INSERT INTO walks ({names}) VALUES ({marks})", values)
        except sqlite3.DatabaseError as err:
            raise JournalError(f"{self.path}: could not record the walk ({err})") from None
        return replace(entry, id=cursor.lastrowid)

    def update(self, entry_id: int, **changes: Any) -> Entry:
        """Correct a recorded walk; returns it as it is now."""
        old = self.get(entry_id)
        new = replace(old, **changes)  # validates
        values = {k: v for k, v in asdict(new).items() if k != "id"}
        assignments = ", ".join(f"{k} = :{k}" for k in values)
        self._db.execute(
            f"UPDATE walks SET {assignments} WHERE id = :id", {**values, "id": entry_id}
        )
        return new

    def get(self, entry_id: int) -> Entry:
        """The walk with this ``id``."""
        rows = self._select("WHERE id = ?", (entry_id,))
        if not rows:
            raise JournalError(f"--id: there is no walk {entry_id} in the journal")
        return rows[0]

    def entries(self, limit: int | None = None) -> list[Entry]:
        """Walks, oldest first; the most recent ``limit`` when given."""
        if limit is None:
            return self._select("ORDER BY started, id", ())
        recent = self._select("ORDER BY started DESC, id DESC LIMIT ?", (limit,))
        return recent[::-1]

    def _select(self, clause: str, args: tuple[Any, ...]) -> list[Entry]:
        names = ", ".join(["id", *COLUMNS])
        rows = self._db.execute(f"SELECT {names} FROM walks {clause}", args).fetchall()
        out = []
        for row in rows:
            data = dict(zip(["id", *COLUMNS], row, strict=True))
            data["ended_early"] = bool(data["ended_early"])
            out.append(Entry(**data))
        return out

    def record_cadence(self, cadence: Cadence) -> Cadence:
        """Keep a measured cadence (the base of paces like ``"110%"``)."""
        try:
            self._db.execute(_CADENCES)
            self._db.execute(
                "INSERT INTO cadences (measured, steps_per_minute, taps, how) VALUES (?, ?, ?, ?)",
                (cadence.measured, float(cadence.steps_per_minute), cadence.taps, cadence.how),
            )
        except sqlite3.DatabaseError as err:
            raise JournalError(f"{self.path}: could not record the cadence ({err})") from None
        return cadence

    def cadences(self) -> list[Cadence]:
        """Every recorded cadence, oldest first."""
        known = self._db.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'cadences'"
        ).fetchone()
        if known is None:
            return []
        rows = self._db.execute(
            "SELECT measured, steps_per_minute, taps, how FROM cadences ORDER BY measured, id"
        ).fetchall()
        return [Cadence(*row) for row in rows]

    def latest_cadence(self) -> Cadence | None:
        """The cadence recorded last, or ``None``."""
        found = self.cadences()
        return found[-1] if found else None

    def close(self) -> None:
        """Close the file."""
        self._db.close()

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
