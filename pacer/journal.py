"""The walking journal: one row per walk in an SQLite file.

Each walk records when it started, the preset, planned and walked minutes, steps per
minute at the start and end, whether it ended early, and pain before and after (0-10,
either may be unknown). :mod:`pacer.plan` reads it to suggest the next walk.

Reliability: a rollback journal (no shared-memory ``-shm`` file, no memory maps) and a
busy timeout, so two processes writing at once both land and a file made unwritable
under pacer is an error line, never a bus error; a schema version (``PRAGMA
user_version``) with migrations from every earlier one; a file that is not a pacer
journal (another SQLite database, not SQLite at all, not a regular file) or that is
damaged (SQLite's ``quick_check``, run before anything is read or written; text that
is not text, found as walks are read and before anything is written) is reported and
never written to. A row with odd values is
reported by its walk id, and until it is corrected or deleted nothing else is written.
A walk id is never given twice. A journal that cannot be written is opened read-only:
it can be read, and writing to it says it is read-only.
"""

from __future__ import annotations

import contextlib
import errno
import json
import math
import numbers
import os
import re
import sqlite3
import stat
import threading
from dataclasses import asdict, dataclass, fields, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from .errors import PacerError, SettingsError
from .session import LIMITS, expect_path, show

__all__ = [
    "record_walk",
    "expect_entries",
    "COLUMNS",
    "EARLIEST_WALK",
    "Cadence",
    "Entry",
    "Journal",
    "JournalError",
    "JournalPathError",
    "KeptWalks",
    "UnknownWalkError",
    "SCHEMA_VERSION",
    "SHORTEST_RECORDED_MINUTES",
    "walker_ended",
    "check_writable",
    "default_path",
    "every_walk",
    "fallback_kept_path",
    "keep_unrecorded",
    "kept_walks",
    "kept_walks_path",
    "worth_recording",
]

SCHEMA_VERSION = 4
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

# Version 3: why a walk ended early (dizziness) and whether its beat faded.
_SCHEMA_3_WALKS = _SCHEMA_2_WALKS.replace(
    "    note TEXT NOT NULL DEFAULT ''\n",
    "    note TEXT NOT NULL DEFAULT '',\n"
    "    dizzy INTEGER NOT NULL DEFAULT 0 CHECK (dizzy IN (0, 1)),\n"
    "    faded INTEGER NOT NULL DEFAULT 0 CHECK (faded IN (0, 1))\n",
)

# Version 4: a walk id is never given again, even after the newest walk was deleted.
_SCHEMA_4_WALKS = _SCHEMA_3_WALKS.replace(
    "id INTEGER PRIMARY KEY,", "id INTEGER PRIMARY KEY AUTOINCREMENT,"
)

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
    # 2 -> 3: ended early because of dizziness; the beat faded.
    2: [
        "ALTER TABLE walks ADD COLUMN dizzy INTEGER NOT NULL DEFAULT 0 CHECK (dizzy IN (0, 1))",
        "ALTER TABLE walks ADD COLUMN faded INTEGER NOT NULL DEFAULT 0 CHECK (faded IN (0, 1))",
    ],
    # 3 -> 4: ids from AUTOINCREMENT (the table is rebuilt; every row is copied as it
    # is, odd values too, with its id, and SQLite starts the next id after the highest).
    3: [
        "ALTER TABLE walks RENAME TO walks_v3",
        _SCHEMA_4_WALKS,
        "INSERT INTO walks SELECT * FROM walks_v3 ORDER BY id",
        "DROP TABLE walks_v3",
    ],
}


class JournalError(PacerError):
    """The journal file cannot be used (not a journal, damaged, read-only, an odd row)."""


class JournalPathError(JournalError, SettingsError):
    """The journal path itself is a mistake: its folder does not exist, or it is a
    folder, a pipe or a device rather than a file."""


class UnknownWalkError(JournalError, SettingsError):
    """There is no walk with this id in the journal (a usage mistake: the id is
    wrong)."""


SHORTEST_RECORDED_MINUTES = 1.0
"""A live walk that the walker ends before this many minutes is not recorded: a walk
started by mistake is not a walk, and must not hold the plan back."""


def walker_ended(walk: Any) -> bool:
    """Whether the walker ended ``walk`` (a player, or its :class:`pacer.live.Walk`)
    early: not for dizziness, and not because the audio device was lost."""
    live = getattr(walk, "walk", walk)
    walked = live.walked()
    return walked.ended_early and not walked.dizzy and not getattr(walk, "gave_up", False)


def worth_recording(walked_minutes: float, ended_by_walker: bool) -> bool:
    """Whether a live walk belongs in the journal: every walk does, except one the
    walker ended before :data:`SHORTEST_RECORDED_MINUTES`."""
    return not (ended_by_walker and walked_minutes < SHORTEST_RECORDED_MINUTES)


_MOST_MINUTES = LIMITS["minutes"].high


def _fail(name: str, value: Any, allowed: str) -> SettingsError:
    return SettingsError(f"{name}: {value!r} is not {allowed}", name)


def _check_minutes(name: str, value: Any) -> None:
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float))
        or not math.isfinite(value)
        or not 0 <= value <= _MOST_MINUTES
    ):
        raise _fail(name, value, f"a number of minutes from 0 to {_MOST_MINUTES:g}")


def _check_pain(name: str, value: Any) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10:
        raise _fail(name, value, "a whole number from 0 to 10 (or unknown)")


def _check_pace(name: str, value: Any) -> None:
    if value is None:
        return
    spm = LIMITS["steps_per_minute"]
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float))
        or not math.isfinite(value)
        or not spm.low <= value <= spm.high
    ):
        raise _fail(name, value, f"a number of steps/min from {spm.low:g} to {spm.high:g}")


def _check_text(name: str, value: Any, empty: bool = True) -> None:
    if not isinstance(value, str) or (not empty and not value.strip()):
        raise _fail(name, value, "text" if empty else "a name")


EARLIEST_WALK = date(2000, 1, 1)
"""No walk in a journal is dated before this: an earlier date is a mistyped year
(``pacer log --date`` goes back two years at most)."""


def _plain_number(value: Any, kind: type) -> Any:
    """A number of another library's type (NumPy's ``int64``, ``float32``) as the
    Python ``int`` or ``float`` it is; anything else as it is, to be checked."""
    if isinstance(value, bool) or type(value) in (int, float):
        return value
    if kind is int and isinstance(value, numbers.Integral):
        return int(value)
    if kind is float and isinstance(value, numbers.Real):
        return int(value) if isinstance(value, numbers.Integral) else float(value)
    return value


def _local_time(name: str, value: Any) -> str:
    """``value`` as local ISO 8601 without a zone: ``2026-11-22T08:30:00``."""
    if not isinstance(value, str):
        raise _fail(name, value, "a date and time like 2026-11-22T08:30")
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        raise _fail(name, value, "a date and time like 2026-11-22T08:30") from None
    if when.tzinfo is not None:
        when = when.astimezone().replace(tzinfo=None)
    if when.date() < EARLIEST_WALK:
        raise _fail(name, value, f"a date from {EARLIEST_WALK.isoformat()} on (a mistyped year?)")
    return when.isoformat()


@dataclass(frozen=True)
class Entry:
    """One walk in the journal.

    ``started`` is local ISO 8601 (``2026-11-22T08:30:00``; a time with a zone is
    turned into local time); minutes are 0-240 (the main walk's, for a programme);
    steps per minute 30-180 or ``None``; pain a whole number 0-10 or ``None`` when not
    given. Anything else is refused with a :class:`~pacer.errors.SettingsError`
    naming the field.
    """

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
    dizzy: bool = False
    faded: bool = False
    id: int | None = None

    def __post_init__(self) -> None:
        for name, kind in _NUMBERS.items():
            plain = _plain_number(getattr(self, name), kind)
            if plain is not getattr(self, name):
                object.__setattr__(self, name, plain)
        object.__setattr__(self, "started", _local_time("started", self.started))
        _check_text("preset", self.preset, empty=False)
        _check_minutes("planned_minutes", self.planned_minutes)
        _check_minutes("walked_minutes", self.walked_minutes)
        _check_pace("spm_start", self.spm_start)
        _check_pace("spm_end", self.spm_end)
        for flag in ("ended_early", "dizzy", "faded"):
            if not isinstance(getattr(self, flag), bool):
                raise _fail(flag, getattr(self, flag), "True or False")
        if self.dizzy and not self.ended_early:
            raise SettingsError(
                "dizzy: a walk that ended because the walker felt dizzy ended early, so "
                "ended_early must be True when dizzy is (or dizzy False)",
                "dizzy",
            )
        _check_pain("pain_before", self.pain_before)
        _check_pain("pain_after", self.pain_after)
        _check_text("source", self.source)
        _check_text("note", self.note)
        if self.id is not None and (
            isinstance(self.id, bool) or not isinstance(self.id, int) or self.id < 1
        ):
            raise _fail("id", self.id, "a walk number (1 or more)")

    @property
    def scored(self) -> bool:
        """True when both pain scores were given: only then is the walk evidence
        about pain."""
        return self.pain_before is not None and self.pain_after is not None

    @property
    def pain_rose(self) -> bool:
        """True when pain after the walk was higher than before it (both given)."""
        return (
            self.pain_before is not None
            and self.pain_after is not None
            and self.pain_after > self.pain_before
        )

    @property
    def setback(self) -> bool:
        """True when pain rose after the walk, or it ended early because the walker
        felt dizzy: the plan treats both alike (never more after either)."""
        return self.pain_rose or self.dizzy

    @property
    def day(self) -> str:
        """The date of the walk, ``YYYY-MM-DD``."""
        return self.started[:10]

    @property
    def date(self) -> date:
        """The date of the walk."""
        return date.fromisoformat(self.started[:10])


_NUMBERS = {
    "planned_minutes": float,
    "walked_minutes": float,
    "spm_start": float,
    "spm_end": float,
    "pain_before": int,
    "pain_after": int,
    "id": int,
}
"""The fields that take any number of their kind (a NumPy one too), and which kind."""

COLUMNS = tuple(f.name for f in fields(Entry) if f.name != "id")
"""The journal's columns, in the order exports use (after ``id``)."""

_LARGEST_ID = 2**63 - 1  # SQLite's largest rowid
_UNREADABLE = "part of the file cannot be read"
"""Damage as a walker is told of it: what SQLite says of it names its own innards."""
_ROW_PROBLEM = re.compile(r"(CHECK constraint failed in|NULL value in|non-\w+ value in) walks\b")


def default_path() -> Path:
    """``PACER_JOURNAL`` if set, else ``journal.sqlite3`` in the user's data directory."""
    if os.environ.get("PACER_JOURNAL"):
        return Path(os.environ["PACER_JOURNAL"])
    from .config import data_dir

    return data_dir() / "journal.sqlite3"


_NAME_MAX = 255
"""The longest file name (in bytes) common file systems take."""
_SIDE_SUFFIX = "-journal"
"""The longest suffix of the files SQLite keeps beside a journal (-journal, -wal, -shm)."""


def _shortened(path: Path, width: int = 80) -> str:
    text = str(path)
    return text if len(text) <= width else text[: width // 2] + "…" + text[-(width // 2) :]


_ROOM = 64 * 1024
"""Bytes a walk's record may need: pages in the file and in the rollback journal
(``-journal``) SQLite keeps beside it while it writes."""


def _read_only_words(reason: str) -> str:
    """Why a journal cannot be written, said once: "the journal is read-only
    (Operation not permitted)", never "read-only (the journal file is read-only (...))"."""
    own = "the journal file is read-only"
    if reason.startswith(own):
        return "the journal is read-only" + reason[len(own) :]
    return f"the journal is read-only: {reason}"


def _unwritable(target: Path, room: int = _ROOM) -> str | None:
    """Why nothing could be recorded in the journal at ``target``, or ``None``.

    Four different conditions: the journal file is read-only; its folder is read-only
    (SQLite creates a ``-journal`` file beside the journal while it writes); the disk
    is full (less than ``room`` bytes free; ``0`` does not look);
    the file system is mounted read-only. Nothing is left behind.
    """
    if target.is_file():
        try:
            with open(target, "r+b"):
                pass
        except OSError as err:
            if err.errno == errno.EROFS:
                return "it is on a read-only file system"
            return f"the journal file is read-only ({err.strerror})"
    folder = target.parent
    while not folder.exists() and folder != folder.parent:  # the journal makes the rest
        folder = folder.parent
    # A short name of its own: a journal's name may already be as long as names go.
    probe = folder / f".pacer-{os.getpid()}-{threading.get_ident()}.probe"
    try:
        handle = os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            written = 0
            while written < room:
                written += os.write(handle, bytes(room - written))
            if room:
                os.fsync(handle)
        finally:
            os.close(handle)
    except OSError as err:
        if err.errno in (errno.ENOSPC, errno.EDQUOT):
            return f"the disk is full (less than {room // 1024} KiB free)"
        if err.errno == errno.EROFS:
            return "it is on a read-only file system"
        if err.errno in (errno.EACCES, errno.EPERM):
            return (
                f"its folder {folder} is read-only (SQLite must create {target.name}-journal "
                "beside the journal while it writes)"
            )
        return f"nothing can be written in {folder} ({err.strerror})"
    finally:
        with contextlib.suppress(OSError):
            probe.unlink()
    return None


def check_writable(path: str | os.PathLike[str] | None = None, doing: str = "walk") -> None:
    """Raise :class:`JournalError`, in one line saying which, unless a walk could be
    recorded in the journal at ``path`` (``None``: :func:`default_path`): the file or
    its folder is read-only, the disk is full (less than 64 KiB free), or the file
    system is mounted read-only. Checked before anything starts: the line says the
    ``doing`` (``"walk"``, ``"tapping"``) was not started."""
    target = Path(path) if path is not None else default_path()
    if str(path) == ":memory:":
        return
    what = _unwritable(target)
    if what is not None:
        fix = "make it writable, or " if what.startswith("the journal file") else ""
        raise JournalError(
            f"{target}: {what}, so the {doing} was not started; {fix}use --journal PATH "
            "for another file"
            + (", or --no-journal to walk without recording" if doing == "walk" else "")
        )


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
    that lives only as long as the object).

    Only the default location's folders are created; another path's folder must
    exist. A journal that cannot be written is opened read-only (:attr:`read_only`):
    reading works, and writing raises :class:`JournalError` saying so.
    """

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self.read_only: str | None = None
        self._sound_at: int | None = None
        """``PRAGMA data_version`` when every walk was last found readable."""
        """Why the journal cannot be written, or ``None`` when it can."""
        text = None if path is None else str(expect_path(path, "journal"))
        if text == ":memory:":
            self.path: Path | None = None
        else:
            self.path = default_path() if text is None else Path(text)
            own_folder = text is None and not os.environ.get("PACER_JOURNAL")
            self._check_file(self.path, own_folder)
            # Looks for a read-only file, folder or disk; a full disk is found on writing.
            self.read_only = _unwritable(self.path, room=0)
            if self.read_only and not self.path.exists():
                raise JournalError(
                    f"{self.path}: cannot create the journal: {self.read_only}; "
                    "use --journal PATH for one that can be written"
                )
        try:
            self._db = self._connect()
            self._check_integrity()
            self._prepare_patiently()
        except sqlite3.DatabaseError as err:
            if "locked" in str(err):
                raise JournalError(
                    f"{self.path}: another program has held the journal for over 10 s; "
                    "try again once it is done"
                ) from None
            raise JournalError(
                f"{self.path}: the journal is damaged or unreadable ({_UNREADABLE}); pacer "
                "leaves it as it is: move it away to start a new one, or use --journal PATH"
            ) from None

    def _connect(self) -> sqlite3.Connection:
        db = self._open_connection()
        db.create_function("pacer_not_text", -1, _any_not_text, deterministic=True)
        return db

    def _open_connection(self) -> sqlite3.Connection:
        if self.path is None:
            return sqlite3.connect(":memory:", isolation_level=None)
        if self.read_only is None:
            db = sqlite3.connect(str(self.path), timeout=10, isolation_level=None)
            db.execute("PRAGMA busy_timeout = 10000")
            # No memory-mapped reads: a file that turns unwritable or vanishes under a
            # map ends the process with a bus error; without one it is an error line.
            db.execute("PRAGMA mmap_size = 0")
            return db
        # Read-only: SQLite reads a WAL journal only where it may create the -shm file;
        # where it may not, the file is read as it is on disk (immutable).
        uri = "file:" + quote(str(self.path.resolve()))
        try:
            db = sqlite3.connect(uri + "?mode=ro", uri=True, isolation_level=None)
            db.execute("PRAGMA mmap_size = 0")
            db.execute("SELECT count(*) FROM sqlite_master").fetchone()
            return db
        except sqlite3.OperationalError:
            return sqlite3.connect(uri + "?immutable=1", uri=True, isolation_level=None)

    def _check_integrity(self) -> None:
        """SQLite's quick check: a damaged page anywhere is found before anything is
        read or written."""
        problems = [str(row[0]) for row in self._db.execute("PRAGMA quick_check").fetchall()]
        # A value that breaks a column's rule is an odd row, named by its walk id when
        # read (and correctable); anything else is damage.
        problems = [p for p in problems if not _ROW_PROBLEM.match(p)] or ["ok"]
        if problems != ["ok"]:
            self._db.close()
            # In plain words: SQLite's own (page numbers, btree codes) help nobody.
            raise self._damaged(_UNREADABLE)

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
    def _check_file(path: Path, own_folder: bool) -> None:
        """Refuse a path that is not a journal file, before opening anything; create
        the folder only when it is pacer's own data folder."""
        most = _NAME_MAX - len(_SIDE_SUFFIX)
        if len(os.fsencode(path.name)) > most:
            raise JournalPathError(
                f"{_shortened(path)}: the name is too long: at most {most} characters for a "
                f"journal, since SQLite keeps a file named like it plus '{_SIDE_SUFFIX}' "
                "beside it",
                "journal",
            )
        try:
            info = os.stat(path)
        except FileNotFoundError:
            folder = path.parent
            if folder.is_dir():
                return
            if folder.exists():
                raise JournalPathError(f"{path}: {folder} is not a folder", "journal") from None
            if not own_folder:
                raise JournalPathError(
                    f"{path}: the folder {folder} does not exist; create it first, or "
                    "choose a journal in a folder that exists",
                    "journal",
                ) from None
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as err:
                raise JournalError(f"{path}: cannot create its folder ({err.strerror})") from None
            return
        except NotADirectoryError:
            raise JournalPathError(f"{path}: {path.parent} is not a folder", "journal") from None
        except OSError as err:
            if err.errno == errno.ENAMETOOLONG:
                raise JournalPathError(
                    f"{_shortened(path)}: the path is too long", "journal"
                ) from None
            raise JournalError(f"{path}: cannot be read ({err.strerror})") from None
        if stat.S_ISDIR(info.st_mode):
            raise JournalPathError(f"{path}: is a folder, not a journal file", "journal")
        if not stat.S_ISREG(info.st_mode):
            raise JournalPathError(
                f"{path}: is not a regular file (a pipe, a device or a socket); "
                "give the path of a journal file",
                "journal",
            )
        try:
            with open(path, "rb") as handle:
                head = handle.read(16)
        except OSError as err:
            raise JournalError(f"{path}: cannot be read ({err.strerror})") from None
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
            if self.read_only:
                raise JournalError(
                    f"{self.path}: is empty and read-only ({self.read_only}); "
                    "use --journal PATH for one that can be written"
                )
            # IF NOT EXISTS / OR IGNORE: two processes may create it at the same moment.
            create = (SCHEMA_1.split("CREATE TABLE walks")[0] + _SCHEMA_4_WALKS).replace(
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
        if "walks" not in tables:
            raise JournalError(
                f"{self.path}: the journal has lost its walks table; pacer leaves it as it "
                "is: move it away to start a new one, or use --journal PATH"
            )
        if version > SCHEMA_VERSION:
            raise JournalError(
                f"{self.path}: was written by a newer pacer (journal version {version}); "
                "upgrade pacer to use it"
            )
        damage = self._damage() if version < SCHEMA_VERSION else None
        if damage is not None:  # a migration writes: never into a damaged file
            raise damage
        if self.read_only:
            if version < SCHEMA_VERSION:
                raise JournalError(
                    f"{self.path}: was written by an older pacer and is read-only "
                    f"({self.read_only}), so it cannot be brought up to date"
                )
            return
        _leave_wal(db)
        while version < SCHEMA_VERSION:
            db.execute("BEGIN IMMEDIATE")
            # A row with odd values is copied as it is, to be named and corrected later.
            db.execute("PRAGMA ignore_check_constraints = ON")
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
            finally:
                db.execute("PRAGMA ignore_check_constraints = OFF")
            version = db.execute("PRAGMA user_version").fetchone()[0]

    def _damage(self) -> JournalError | None:
        """Damage that SQLite's quick check does not see: a walk whose text is not
        text (bytes that are not UTF-8, or a blob where pacer writes text or numbers),
        found by walk id in one pass over the file; ``None`` when there is none."""
        db = self._db
        names = [str(row[1]) for row in db.execute("PRAGMA table_info(walks)")]
        # Every text value of the table in one string, each ended by a control
        # character that no UTF-8 sequence spans: decoded once, cheap on a long journal.
        texts = " || ".join(
            f"CASE typeof({n}) WHEN 'text' THEN {n} ELSE '' END || char(31)" for n in names
        )
        blobs = " OR ".join(f"typeof({n}) = 'blob'" for n in names)
        try:
            blob, whole = db.execute(
                f"SELECT max({blobs}), CAST(group_concat({texts}, '') AS BLOB) FROM walks"
            ).fetchone()
            row = None
            if whole is not None and _not_text(whole):
                row = db.execute(
                    f"SELECT id FROM walks WHERE pacer_not_text(CAST({texts} AS BLOB)) LIMIT 1"
                ).fetchone()
            if blob:
                row = row or db.execute(f"SELECT id FROM walks WHERE {blobs} LIMIT 1").fetchone()
        except sqlite3.DatabaseError:
            return self._damaged(_UNREADABLE)
        if row is None:
            return None
        entry_id = row[0]
        values = db.execute(
            f"SELECT {', '.join(f'typeof({n}), CAST({n} AS BLOB)' for n in names)} "
            "FROM walks WHERE id = ?",
            (entry_id,),
        ).fetchone()
        for name, kind, raw in zip(names, values[::2], values[1::2], strict=True):
            if kind == "blob" or (kind == "text" and _not_text(raw)):
                return self._damaged(f"walk {entry_id}: its {name} is not readable text")
        return self._damaged(f"walk {entry_id}")  # pragma: no cover - found above

    def _damaged(self, what: str) -> JournalError:
        return JournalError(
            f"{self.path}: the journal is damaged ({what}); pacer leaves it as it is: "
            "restore a copy, move it away to start a new one, or use --journal PATH"
        )

    def check_sound(self) -> None:
        """Raise :class:`JournalError`, naming the walk, unless a walk could be recorded
        now: a walk whose text is not text, or with an odd value, stops every write
        (:meth:`add` would refuse), so a live walk is refused before it starts."""
        self._check_rows()

    def _check_rows(self, repairing: int | None = None) -> None:
        """Refuse to write while a walk cannot be read: the one check :meth:`entries`
        makes on every row it reads, here for every row there is. Only correcting or
        deleting a walk with odd values (``repairing``) goes ahead, whatever other walks
        have odd values too (each is named to be repaired in turn: two odd walks must
        not each stop the other's repair); never while bytes are where text belongs
        (damage), and a walk without odd values is not corrected while others have them.
        Done again only when another connection has written since (``PRAGMA
        data_version``): pacer's own writes are checked entries."""
        seen = self._db.execute("PRAGMA data_version").fetchone()[0]
        if seen == self._sound_at:
            return
        damage = self._damage()
        if damage is not None:
            raise damage
        sound = True
        odd_walks: list[JournalError] = []
        repairs_an_odd_walk = False
        for row in self._rows(f"WHERE NOT ({_PLAIN}) ORDER BY id", ()):
            try:
                _entry(row)
            except SettingsError as err:
                odd = self._odd(row["id"], err)
                if repairing is None or "has an odd value" not in str(odd):
                    raise odd from None
                sound = False
                repairs_an_odd_walk = repairs_an_odd_walk or row["id"] == repairing
                odd_walks.append(odd)
        if odd_walks and not repairs_an_odd_walk:
            raise odd_walks[0] from None
        self._sound_at = seen if sound else None

    def _write(self, what: str, sql: str, values: dict[str, Any]) -> sqlite3.Cursor:
        if self.read_only:
            raise JournalError(
                f"{self.path}: pacer cannot {what}: "
                f"{_read_only_words(self.read_only)}; it can still be shown"
            )
        try:
            return self._db.execute(sql, values)
        except sqlite3.DatabaseError as err:
            text = str(err)
            if "readonly" in text:
                reason = "the journal is read-only"
            elif "full" in text:
                reason = "the disk is full"
            else:
                reason = text
            raise JournalError(f"{self.path}: could not {what} ({reason})") from None

    def add(self, entry: Entry) -> Entry:
        """Record a walk; returns it with its ``id``."""
        if not isinstance(entry, Entry):
            raise SettingsError(f"journal: {entry!r} is not an Entry", "entry")
        self._check_rows()
        return self._insert("record the walk", entry)

    def _insert(self, what: str, entry: Entry) -> Entry:
        """Add a walk under an id never given before: past the highest walk, SQLite's
        own count and pacer's mark of the highest id it ever gave (kept in
        ``pacer_meta``), so an edited ``sqlite_sequence`` cannot bring an id back."""
        values = {k: v for k, v in asdict(entry).items() if k != "id"}
        names = ", ".join(["id", *values])
        marks = ", ".join(f":{k}" for k in ["id", *values])
        with self._transaction(what):
            highest = self._highest_id()
            if highest >= _LARGEST_ID:
                raise JournalError(
                    f"{self.path}: pacer cannot {what}: the journal has used up its walk "
                    f"ids (the last one given is {highest}, the largest SQLite keeps); it "
                    "can still be shown: start a new journal with --journal PATH"
                )
            new = highest + 1
            self._write(
                what, f"INSERT INTO walks ({names}) VALUES ({marks})", {**values, "id": new}
            )
            self._mark_id(what, new)
        return replace(entry, id=new)

    def _highest_id(self) -> int:
        """The highest walk id the journal has ever given, by every count it keeps."""
        sequence = self._db.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_sequence'"
        ).fetchone()
        counts = [
            "(SELECT max(id) FROM walks)",
            "(SELECT max(CAST(value AS INTEGER)) FROM pacer_meta WHERE key = 'last_id' "
            "AND typeof(value) IN ('text', 'integer'))",
        ]
        if sequence is not None:
            counts.append("(SELECT max(seq) FROM sqlite_sequence WHERE name = 'walks')")
        row = self._db.execute(
            f"SELECT max({', '.join(f'coalesce({c}, 0)' for c in counts)})"
        ).fetchone()
        value = row[0]
        return int(value) if isinstance(value, int) else 0

    def _mark_id(self, what: str, entry_id: int) -> None:
        """Keep ``entry_id`` as the highest given, if it is."""
        self._write(
            what,
            "INSERT OR REPLACE INTO pacer_meta (key, value) VALUES ('last_id', :id)",
            {"id": str(max(entry_id, self._highest_id()))},
        )

    @contextlib.contextmanager
    def _transaction(self, what: str) -> Any:
        """One transaction for the writes inside (or the one already begun)."""
        if self._db.in_transaction:
            yield
            return
        self._write(what, "BEGIN IMMEDIATE", {})
        try:
            yield
        except BaseException:
            if self._db.in_transaction:
                with contextlib.suppress(sqlite3.DatabaseError):
                    self._db.execute("ROLLBACK")
            raise
        self._write(what, "COMMIT", {})

    def update(self, entry_id: int, **changes: Any) -> Entry:
        """Correct a recorded walk (any of :data:`COLUMNS`); returns it as it is now.

        A correction may replace an odd value that makes the walk unreadable."""
        for key in changes:
            if key not in COLUMNS:
                raise SettingsError(
                    f"{key!r} is not a journal column; use one of {', '.join(COLUMNS)}", key
                )
        row = self._row(entry_id)
        self._check_rows(repairing=entry_id)
        row.pop("_plain", None)  # changed values are checked
        row.update(changes)
        try:
            new = _entry(row)
        except SettingsError as err:
            if err.setting in changes or (err.setting == "dizzy" and "ended_early" in changes):
                raise
            raise self._odd(entry_id, err) from None
        values = {k: v for k, v in asdict(new).items() if k != "id"}
        assignments = ", ".join(f"{k} = :{k}" for k in values)
        self._write(
            f"correct walk {entry_id}",
            f"UPDATE walks SET {assignments} WHERE id = :id",
            {**values, "id": entry_id},
        )
        return new

    def delete(self, entry_id: int) -> None:
        """Remove a walk from the journal."""
        self._row(entry_id)
        self._check_rows(repairing=entry_id)
        what = f"delete walk {entry_id}"
        with self._transaction(what):
            self._mark_id(what, entry_id)  # never given again, whatever else is edited
            self._write(what, "DELETE FROM walks WHERE id = :id", {"id": entry_id})

    def get(self, entry_id: int) -> Entry:
        """The walk with this ``id``."""
        row = self._row(entry_id)
        try:
            return _entry(row)
        except SettingsError as err:
            raise self._odd(entry_id, err) from None

    def __contains__(self, entry_id: object) -> bool:
        """Whether there is a walk with this ``id`` (readable or not)."""
        if isinstance(entry_id, bool) or not isinstance(entry_id, int):
            return False
        return 1 <= entry_id <= _LARGEST_ID and bool(self._rows("WHERE id = ?", (entry_id,)))

    def _row(self, entry_id: int) -> dict[str, Any]:
        if isinstance(entry_id, bool) or not isinstance(entry_id, int):
            raise SettingsError(f"walk id: {entry_id!r} is not a whole number", "id")
        rows = []
        if 1 <= entry_id <= _LARGEST_ID:
            rows = self._rows("WHERE id = ?", (entry_id,))
        if not rows:
            raise UnknownWalkError(
                f"there is no walk {entry_id} in the journal (pacer history lists each walk's id)",
                "id",
            )
        return rows[0]

    def entries(self, limit: int | None = None, preset: str | None = None) -> list[Entry]:
        """Walks, oldest first (all presets, or only ``preset``'s); the most recent
        ``limit`` when given."""
        if preset is not None and not isinstance(preset, str):
            raise SettingsError(f"preset: {show(preset)} is not a preset name", "preset")
        where, args = ("", ()) if preset is None else ("WHERE preset = ?", (preset,))
        if limit is None:
            rows = self._rows(f"{where} ORDER BY started, id", args)
        else:
            if isinstance(limit, bool) or not isinstance(limit, int) or limit < 0:
                raise SettingsError(f"limit: {limit!r} is not a whole number of walks", "limit")
            limit = min(limit, _LARGEST_ID)
            rows = self._rows(f"{where} ORDER BY started DESC, id DESC LIMIT ?", (*args, limit))
            rows.reverse()
        out = []
        for row in rows:
            try:
                out.append(_entry(row))
            except SettingsError as err:
                raise self._odd(row["id"], err) from None
        return out

    def _rows(self, clause: str, args: tuple[Any, ...]) -> list[dict[str, Any]]:
        """Rows as dicts; a row SQLite finds plain (:data:`_PLAIN`) carries ``_plain``."""
        names = ["id", *COLUMNS, "_plain"]
        try:
            rows = self._db.execute(
                f"SELECT {', '.join(names[:-1])}, {_PLAIN} FROM walks {clause}", args
            )
            return [dict(zip(names, row, strict=True)) for row in rows.fetchall()]
        except sqlite3.DatabaseError:
            # Damaged since it was opened (by another program): named by walk id.
            raise self._damage() or self._damaged(_UNREADABLE) from None

    def _odd(self, entry_id: Any, err: SettingsError) -> JournalError:
        if err.setting and re.match(rf"{re.escape(err.setting)}: b['\"]", str(err)):
            # Bytes where pacer writes text or numbers: damage, not an odd value.
            return self._damage() or self._damaged(f"walk {entry_id}")
        return JournalError(
            f"{self.path}: walk {entry_id} has an odd value ({err}); correct it with "
            f"pacer log --id {entry_id}, or delete it with pacer log --delete {entry_id}"
        )

    def record_kept_walks(self) -> KeptWalks:
        """Record the walks kept when the journal could not take them (beside it,
        :func:`kept_walks_path`, and in the temporary folder, :func:`fallback_kept_path`,
        those kept for this journal), and remove them from there once committed.

        A line that is not a walk is left in the file (and counted); a kept walk the
        journal already has (same start, preset and minutes) is not recorded twice, so
        an import cut short is simply done again."""
        if self.path is None or self.read_only:  # a write then says it is read-only
            return KeptWalks()
        done = self._record_kept_beside()
        more = self._record_kept_in_temp()
        if not more:
            return done
        return KeptWalks(done.recorded + more, done.unreadable, done.file)

    def _record_kept_beside(self) -> KeptWalks:
        assert self.path is not None
        kept = kept_walks_path(self.path)
        taking = kept.with_name(kept.name + ".recording")
        try:
            if not kept.exists() and not taking.exists():
                return KeptWalks()
        except OSError:  # a name too long for one more suffix: nothing was kept there
            return KeptWalks()
        try:
            if not taking.exists():  # else an import cut short: finish it first
                os.replace(kept, taking)
            data = taking.read_bytes()
        except FileNotFoundError:
            return KeptWalks()
        except OSError as err:
            raise JournalError(
                f"{kept}: the walks kept there cannot be read ({err.strerror}); they stay there"
            ) from None
        walks, unreadable = _kept_lines(data)
        recorded: tuple[Entry, ...] = ()
        if walks:
            try:
                recorded = self._record_all(walks)
            except BaseException:
                _put_back(taking, kept)
                raise
        if unreadable:  # kept, never lost: back in the file, to be looked at
            with open(kept, "ab") as out:
                out.write(b"".join(line + b"\n" for line in unreadable))
        taking.unlink()
        return KeptWalks(recorded, len(unreadable), kept)

    def _record_kept_in_temp(self) -> tuple[Entry, ...]:
        """Record the walks kept for this journal in the temporary folder (kept there
        when not even a file beside the journal could be written), and leave the
        others there; the file is locked meanwhile, so no walk kept at that moment is
        lost."""
        assert self.path is not None
        fallback = fallback_kept_path()
        try:
            fd = os.open(fallback, os.O_RDWR)
        except OSError:  # none kept there (or not ours to read)
            return ()
        with open(fd, "r+b") as handle, _locked(handle):
            lines = handle.read().splitlines()
            ours = [line for line in lines if _kept_for(line, self.path)]
            if not ours:
                return ()
            walks, odd = _kept_lines(b"\n".join(ours))
            recorded = self._record_all(walks) if walks else ()
            left = [line for line in lines if line.strip() and not _kept_for(line, self.path)]
            left += odd  # ours but not walks: left there to be seen
            handle.seek(0)
            handle.truncate()
            handle.write(b"".join(line + b"\n" for line in left))
        if not left:
            with contextlib.suppress(OSError):
                fallback.unlink()
        return recorded

    def _record_all(self, walks: list[Entry]) -> tuple[Entry, ...]:
        """Record ``walks`` in one transaction, each one the journal does not have yet
        (:meth:`_has`); returns them with their ids."""
        recorded: list[Entry] = []
        self._check_rows()
        with self._transaction("record the kept walks"):
            for entry in walks:
                if not self._has(entry):
                    recorded.append(self._insert("record the kept walks", entry))
        return tuple(recorded)

    def _has(self, entry: Entry) -> bool:
        return (
            self._db.execute(
                "SELECT 1 FROM walks WHERE started = ? AND preset = ? AND walked_minutes = ? "
                "AND planned_minutes = ? LIMIT 1",
                (entry.started, entry.preset, entry.walked_minutes, entry.planned_minutes),
            ).fetchone()
            is not None
        )

    def record_cadence(self, cadence: Cadence) -> Cadence:
        """Keep a measured cadence (the base of paces like ``"110%"``)."""
        self._check_rows()
        self._write("record the cadence", _CADENCES, {})
        self._write(
            "record the cadence",
            "INSERT INTO cadences (measured, steps_per_minute, taps, how) "
            "VALUES (:measured, :spm, :taps, :how)",
            {
                "measured": cadence.measured,
                "spm": float(cadence.steps_per_minute),
                "taps": cadence.taps,
                "how": cadence.how,
            },
        )
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


def _not_text(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False


def _any_not_text(*raws: bytes | None) -> bool:
    """SQL ``pacer_not_text(...)``: whether any of these text values (as bytes) is not
    UTF-8, which SQLite stores as it is given and Python cannot read."""
    return any(raw is not None and _not_text(raw) for raw in raws)


def _leave_wal(db: sqlite3.Connection) -> None:
    """Use a rollback journal, not WAL: WAL maps a ``-shm`` file into memory, and a
    write to that map after the file turned unwritable (``chattr +i``) or its disk
    filled ends the process with a bus error. A journal another pacer holds open in
    WAL mode stays in it until that one closes it."""
    try:
        db.execute("PRAGMA journal_mode = DELETE")
    except sqlite3.OperationalError as err:
        if "locked" not in str(err):
            raise


KEPT_SUFFIX = ".unrecorded.jsonl"
"""A walk the journal could not take is kept as a line of JSON in a file named like
the journal plus this, beside it."""


def kept_walks_path(journal: str | os.PathLike[str]) -> Path:
    """The file beside the journal where walks it could not take are kept."""
    path = Path(journal)
    return path.with_name(path.name + KEPT_SUFFIX)


FALLBACK_NAME = "pacer-unrecorded-walks.jsonl"
"""The file in the temporary folder where a walk is kept when not even a file beside
the journal could be written; each line names its journal."""


def fallback_kept_path() -> Path:
    """The file in the temporary folder where walks are kept when nothing could be
    written beside their journal (:data:`FALLBACK_NAME`)."""
    import tempfile

    return Path(tempfile.gettempdir()) / FALLBACK_NAME


def _journal_key(journal: str | os.PathLike[str] | None) -> str:
    """How a kept walk in the temporary folder names its journal."""
    if journal is None or os.fspath(journal) == ":memory:":
        return ":memory:"
    return os.path.realpath(os.fspath(journal))


def _kept_for(line: bytes, journal: str | os.PathLike[str]) -> bool:
    """Whether a line of the temporary folder's kept walks belongs to ``journal``: it
    names it, or (kept by an older pacer, naming none) ``journal`` is the default
    journal."""
    try:
        named = json.loads(line.decode("utf-8")).get("journal")
    except (ValueError, AttributeError):
        return False
    if named is None:  # the default journal's, and only the walker's own file
        return _journal_key(journal) == _journal_key(default_path()) and _own(fallback_kept_path())
    return bool(named == _journal_key(journal))


def _own(path: Path) -> bool:
    """Whether the file at ``path`` belongs to this user (a temporary folder is
    shared)."""
    try:
        return not hasattr(os, "getuid") or path.stat().st_uid == os.getuid()
    except OSError:
        return False


@contextlib.contextmanager
def _locked(handle: Any) -> Any:
    """An exclusive lock on an open file (where the system has them)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not on POSIX
        yield
        return
    fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
    try:
        yield
    finally:
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def keep_unrecorded(entry: Entry, journal: str | os.PathLike[str] | None) -> Path | None:
    """Keep a walk the journal at ``journal`` could not take, as a line of JSON in a
    file beside it (:func:`kept_walks_path`), else in the temporary folder
    (:func:`fallback_kept_path`, only the walker may read it); returns where, or
    ``None`` when neither could be written. The next write to the journal records it;
    until then :func:`kept_walks` reads it."""
    values = {k: v for k, v in asdict(entry).items() if k != "id"}
    places = [fallback_kept_path()]
    if journal is not None and os.fspath(journal) != ":memory:":
        places.insert(0, kept_walks_path(journal))
    for place in places:
        line = dict(values)
        if place == places[-1]:
            line["journal"] = _journal_key(journal)
        data = (json.dumps(line) + "\n").encode("utf-8")
        made = not os.path.lexists(place)
        try:
            handle = os.open(place, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        except OSError:
            continue
        size: int | None = None
        try:
            with open(handle, "ab", buffering=0) as out, _locked(out):
                size = os.fstat(out.fileno()).st_size
                written = out.write(data)
                if written != len(data):
                    raise OSError(errno.ENOSPC, "the disk is full")
                os.fsync(out.fileno())
        except OSError:
            # A full disk: nothing is left of the line, and no file made for it (an
            # empty one was left beside the journal).
            with contextlib.suppress(OSError):
                if made:
                    os.unlink(place)
                elif size is not None:
                    os.truncate(place, size)
            continue
        return place
    return None


def kept_walks(journal: str | os.PathLike[str] | None = None) -> list[Entry]:
    """The walks kept for the journal at ``journal`` (``None``: :func:`default_path`)
    and not yet recorded in it, read only: beside it and in the temporary folder. They
    have no id; a line that is not a walk is left out."""
    target = Path(journal) if journal is not None else default_path()
    lines: list[bytes] = []
    beside = kept_walks_path(target)
    for path in (beside, beside.with_name(beside.name + ".recording")):
        with contextlib.suppress(OSError):
            lines += path.read_bytes().splitlines()
    with contextlib.suppress(OSError):
        lines += [
            line
            for line in fallback_kept_path().read_bytes().splitlines()
            if _kept_for(line, target)
        ]
    walks, _ = _kept_lines(b"\n".join(lines))
    out: list[Entry] = []
    for entry in walks:
        if entry not in out:  # in two places while being recorded
            out.append(entry)
    return out


def expect_entries(entries: Any, name: str = "entries") -> list[Entry]:
    """``entries`` (a list or tuple of :class:`Entry`) as a list, else a
    :class:`SettingsError` naming ``name``: what every function of walks takes."""
    if not isinstance(entries, (list, tuple)) or not all(isinstance(e, Entry) for e in entries):
        raise SettingsError(f"{name}: {show(entries)} is not a list of journal entries", name)
    return list(entries)


def every_walk(journal: Journal) -> tuple[list[Entry], list[Entry]]:
    """Every walk of ``journal``: its own, and the walks kept for it that it could not
    take yet (:func:`kept_walks`, without ids, none it already has), in the order
    walked; and those kept walks. What ``pacer next``, ``history`` and ``report``
    count, and what :func:`pacer.plan.planned_walk` reads from a :class:`Journal`."""
    from .session import expect

    expect(journal, Journal, "journal", "a Journal")
    walks = journal.entries()
    if journal.path is None:  # in memory: nothing is kept for it
        return walks, []
    have = {_same_walk(e) for e in walks}
    kept = [e for e in kept_walks(journal.path) if _same_walk(e) not in have]
    if not kept:
        return walks, []
    return sorted([*walks, *kept], key=lambda e: (e.started, e.id or 0)), kept


def _same_walk(entry: Entry) -> tuple[str, str, float, float]:
    """What makes a kept walk one the journal already has."""
    return (entry.started, entry.preset, entry.walked_minutes, entry.planned_minutes)


def _kept_lines(data: bytes) -> tuple[list[Entry], list[bytes]]:
    """The walks in kept-walks ``data``, and the lines that are not walks."""
    walks, unreadable = [], []
    for line in data.splitlines():
        if line.strip():
            try:
                walks.append(_kept_entry(line))
            except (ValueError, TypeError, SettingsError):
                unreadable.append(line)
    return walks, unreadable


@dataclass(frozen=True)
class KeptWalks:
    """What :meth:`Journal.record_kept_walks` did: the walks recorded now (with their
    ids), and how many lines of the kept-walks ``file`` are not walks (left in it)."""

    recorded: tuple[Entry, ...] = ()
    unreadable: int = 0
    file: Path | None = None


def _kept_entry(line: bytes) -> Entry:
    values = json.loads(line.decode("utf-8"))
    if not isinstance(values, dict):
        raise ValueError("not a walk")
    values.pop("id", None)
    values.pop("journal", None)  # which journal a walk in the temporary folder is for
    return Entry(**values)


def _put_back(taking: Path, kept: Path) -> None:
    """Walks being recorded when that failed go back to the kept-walks file."""
    with contextlib.suppress(OSError):
        data = taking.read_bytes()
        with open(kept, "ab") as out:
            out.write(data)
        taking.unlink()


_SPM = LIMITS["steps_per_minute"]


def _number_in(column: str, low: float, high: float, null: bool = False) -> str:
    test = f"(typeof({column}) IN ('integer', 'real') AND {column} BETWEEN {low!r} AND {high!r})"
    return f"({column} IS NULL OR {test})" if null else test


_FLAGS = ("ended_early", "dizzy", "faded")
"""The yes-or-no columns: 0 or 1 in the file, ``bool`` in an :class:`Entry`."""

_PLAIN = " AND ".join(
    [
        "typeof(started) = 'text'",
        "strftime('%Y-%m-%dT%H:%M:%S', started) IS started",
        f"started >= '{EARLIEST_WALK.isoformat()}'",
        "typeof(preset) = 'text' AND length(trim(preset)) > 0",
        _number_in("planned_minutes", 0, _MOST_MINUTES),
        _number_in("walked_minutes", 0, _MOST_MINUTES),
        _number_in("spm_start", _SPM.low, _SPM.high, null=True),
        _number_in("spm_end", _SPM.low, _SPM.high, null=True),
        *(f"typeof({flag}) = 'integer' AND {flag} IN (0, 1)" for flag in _FLAGS),
        *(
            f"({pain} IS NULL OR (typeof({pain}) = 'integer' AND {pain} BETWEEN 0 AND 10))"
            for pain in ("pain_before", "pain_after")
        ),
        "typeof(source) = 'text' AND typeof(note) = 'text'",
    ]
)
"""SQL true for a row whose values :class:`Entry` would take as they are (a canonical
local time, numbers in range): such rows skip the checks in Python, which made reading
a ten-year journal slow; any other row goes through them and is named if odd."""


def _entry(row: dict[str, Any]) -> Entry:
    """An :class:`Entry` from a row as SQLite returns it (``ended_early`` 0 or 1)."""
    values = dict(row)
    if values.pop("_plain", None):
        # Filled in place, as a frozen dataclass's own __init__ does, minus the checks.
        entry = object.__new__(Entry)
        entry.__dict__.update(values, **{flag: values[flag] == 1 for flag in _FLAGS})
        return entry
    for flag in _FLAGS:
        value = values[flag]
        if value in (0, 1) and not isinstance(value, float):
            values[flag] = bool(value)
        elif not isinstance(value, bool):
            raise _fail(flag, value, "0 or 1")
    return Entry(**values)


def record_walk(
    journal: Journal,
    walk: Any,
    *,
    preset: str = "backward",
    started: datetime | str | None = None,
    pain_before: int | None = None,
    pain_after: int | None = None,
    ended_by_walker: bool | None = None,
    note: str = "",
) -> Entry | None:
    """Record a live walk in ``journal`` as ``pacer walk`` does, in one call: the main
    walk's minutes walked of those planned, its pace at its first and last step as
    heard, whether it ended early (or for dizziness) and whether its beat faded.

    ``walk`` is what :func:`pacer.play` gives (a player), or its
    :class:`pacer.live.Walk`; ``preset`` the programme it belongs to (a preset file by
    however it is spelled is one programme); ``started`` when it began (default: now,
    less the time walked). ``preset`` is checked as ``pacer walk --preset`` checks it
    (:class:`SettingsError` for an unknown one). A walk the walker ended within its
    first minute is not recorded, as ``pacer walk`` does not record it
    (:func:`worth_recording`): ``None`` is returned. Whether the walker ended it
    (``ended_by_walker``) is by default found from the walk (:func:`walker_ended`).
    ``note`` says why it ended, when not as the walker chose (``pacer walk`` notes a
    lost audio device). Returns the entry with its id. When the journal cannot take
    it (a full disk), the walk is kept beside the journal (:func:`kept_walks_path`,
    recorded by the next :meth:`Journal.record_kept_walks`) and the error says where.

    >>> with pacer.play(session, engine="null") as player:   # doctest: +SKIP
    ...     ...
    >>> with pacer.Journal() as book:                          # doctest: +SKIP
    ...     pacer.journal.record_walk(book, player, preset="backward", pain_after=2)
    """
    from datetime import timedelta

    from .config import preset_identity
    from .live import Walk
    from .session import expect

    expect(journal, Journal, "journal", "a Journal")
    live = getattr(walk, "walk", walk)
    expect(live, Walk, "walk", "a live walk (pacer.play()'s player, or a pacer.live.Walk)")
    from .config import check_preset

    identity = preset_identity(check_preset(preset))
    if ended_by_walker is None:
        ended_by_walker = walker_ended(walk)
    expect(ended_by_walker, bool, "ended_by_walker", "True or False")
    walked = live.walked()
    if not worth_recording(walked.seconds / 60, ended_by_walker):
        return None
    if started is None:
        started = datetime.now().replace(microsecond=0) - timedelta(seconds=round(walked.seconds))
    if isinstance(started, datetime):
        started = started.isoformat()
    entry = Entry(
        started=started,
        preset=identity,
        planned_minutes=round(walked.main_planned / 60, 2),
        walked_minutes=round(walked.main_seconds / 60, 2),
        spm_start=walked.steps_per_minute_start,
        spm_end=walked.steps_per_minute_end,
        ended_early=walked.ended_early,
        pain_before=pain_before,
        pain_after=pain_after,
        dizzy=walked.dizzy,
        faded=any(phase.fade_beat for phase in live.session.phases),
        note=note,
    )
    try:
        return journal.add(entry)
    except PacerError as err:
        kept = keep_unrecorded(entry, journal.path)
        if kept is None:
            raise
        raise type(err)(f"{err}; the walk is kept in {kept}") from None
