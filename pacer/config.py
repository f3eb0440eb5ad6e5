"""Where pacer keeps things, presets as TOML files, the user's defaults, and a session
from all of them in one call (:func:`session_from`).

* Presets: ``presets/NAME.toml`` in the user's config directory (platformdirs), or
  any ``FILE.toml`` given as the preset.
* Defaults: ``config.toml`` in the same directory: a ``[defaults]`` table
  (``steps_per_minute = 62``, ``preset = "back-pain"``), and ``[phrases]`` and
  ``[[reminders]]`` for every walk.
* ``PACER_CONFIG_DIR`` and ``PACER_DATA_DIR`` move the two directories (tests and
  portable installs).

Every file is read against one schema, derived from the :class:`~pacer.session.Session`,
:class:`~pacer.session.Phase` and :class:`~pacer.session.Reminder` dataclasses: a key is
a field's name (a field in seconds may be written in minutes as ``NAME_minutes``, and a
phase's ``seconds`` as ``minutes``), so a field added to them is a key at once. Every
key is used or refused by name; a bad file is one line naming the file, the key and
the problem.
"""

from __future__ import annotations

import os
import stat
import sys
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from .errors import SettingsError
from .places import user_dir
from .presets import (
    BUILT_IN,
    PLANS,
    STEP_LENGTH,
    Plan,
    built_in,
    factory_options,
    minutes_left_for,
    plan_from_table,
)
from .presets import turn_around_steps as _turn_around_steps
from .session import (
    DEFAULTS,
    LIMITS,
    Limit,
    Phase,
    Reminder,
    Session,
    cadence_share,
    default_voice,
    expect_path,
    of_cadence,
    said,
    show,
)

Cadence = float | Callable[[], float | None] | Any | None
"""The walker's recorded cadence in steps/min, for paces given as a share of it
(``"110%"``): a number, a :class:`pacer.journal.Cadence` (its steps/min), a function
that finds it (called only when a share is given), or ``None`` when none is given."""

_PACES = ("steps_per_minute", "ramp_to")
"""Settings that may be a share of the walker's own cadence (``"110%"``)."""


def _paces(values: dict[str, Any], cadence: Cadence, where: str = "") -> dict[str, Any]:
    """``values`` with every share of the cadence made a pace (steps/min); an error
    from a file names it (``where``: the file and phase)."""
    if not where:
        return _shares_made_paces(values, cadence)
    try:
        return _shares_made_paces(values, cadence)
    except PresetError:
        raise
    except SettingsError as err:
        raise PresetError(f"{where}: {err}", err.setting) from None


def _shares_made_paces(values: dict[str, Any], cadence: Cadence, where: str = "") -> dict[str, Any]:
    if not any(cadence_share(values.get(k)) is not None for k in _PACES):
        return values
    if cadence is None:
        # The library reads no journal unasked: say what to pass.
        for key in _PACES:
            if cadence_share(values.get(key), key) is not None:
                what = (
                    f"{key}: {values[key]!r} is a share of your own cadence, and no cadence "
                    "was given: pass cadence= (steps/min, or "
                    "pacer.journal.Journal().latest_cadence())"
                )
                raise (PresetError(f"{where}: {what}", key) if where else SettingsError(what, key))
    known = cadence() if callable(cadence) else cadence
    # A cadence from the journal (pacer.journal.Cadence) gives its steps/min.
    known = getattr(known, "steps_per_minute", known)
    out = dict(values)
    for key in _PACES:
        try:
            out[key] = of_cadence(values.get(key), known, key) if key in values else None
        except SettingsError as err:
            if where:
                raise PresetError(f"{where}: {err}", key) from None
            raise
        if key not in values:
            out.pop(key)
    return out


if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

__all__ = [
    "ASK_PAIN",
    "CONFIG_KEYS",
    "OPTION_KEYS",
    "PHASE_KEYS",
    "REMINDER_KEYS",
    "PresetError",
    "SESSION_KEYS",
    "WALKER_KEYS",
    "Config",
    "Walker",
    "asks_pain",
    "config_dir",
    "customise",
    "data_dir",
    "load_config",
    "load_defaults",
    "load_personal",
    "load_plan",
    "load_preset",
    "preset_file",
    "preset_names",
    "preset_toml",
    "session_from",
    "session_from_toml",
]


class PresetError(SettingsError):
    """A preset or config file that cannot be used."""


# ---------------------------------------------------------------------------------------
# The schema, from the dataclasses


def _file_fields(cls: type) -> dict[str, Any]:
    """The fields of ``cls`` a file may set, name -> type (not the internal ones)."""
    hints = typing.get_type_hints(cls)
    return {f.name: hints[f.name] for f in fields(cls) if not f.metadata.get("internal")}


_MINUTES = {"seconds": "minutes", "every": "every_minutes", "at": "at_minutes"}
"""Fields in seconds, and the key that gives them in minutes in a file."""


def _keys(cls: type) -> tuple[str, ...]:
    names = list(_file_fields(cls))
    for name in list(names):
        if name in _MINUTES:
            names.append(_MINUTES[name])
    return tuple(names)


SESSION_KEYS = _keys(Session)
"""Keys at the top of a preset file: the Session's fields (``phases`` as
``[[phases]]`` tables, ``phrases`` as a ``[phrases]`` table, ``reminders`` as
``[[reminders]]`` tables)."""

PHASE_KEYS = _keys(Phase)
"""Keys of a ``[[phases]]`` table: the Phase's fields, and ``minutes``."""

REMINDER_KEYS = _keys(Reminder)
"""Keys of a ``[[reminders]]`` table."""

_WHOLE_SESSION = ("phases", "phrases", "reminders")
_PHASE_ITSELF = ("name", "kind", "seconds")
_EACH_STRETCH = ("position",)
"""Phase settings that, as options, change every held stretch (not the main walk)."""

OPTION_KEYS: tuple[str, ...] = (
    "preset",
    *(k for k in SESSION_KEYS if k not in _WHOLE_SESSION),
    *(k for k in PHASE_KEYS if k not in _PHASE_ITSELF and k != "side"),
    "route_metres",
    "step_length",
)
"""What :func:`session_from` takes, and ``config.toml``'s ``[defaults]`` may set: the
preset; any Session setting; any setting of the main walk (``minutes``,
``steps_per_minute``, ``look_back_every``: 0 for none, ...); ``position``, the
seconds to get into position before every held stretch; a route."""

ASK_PAIN = ("always", "back-pain", "never")
"""When ``pacer walk`` asks about pain on a terminal: every walk, only the back-pain
walk, or never."""


@dataclass(frozen=True)
class Walker:
    """How ``pacer walk`` treats its walker, from ``config.toml``'s ``[defaults]``.

    Parameters
    ----------
    engine:
        The sound engine (a name; ``pacer walk`` checks it is one it has).
    ask_pain:
        One of :data:`ASK_PAIN`: ask for pain before and after every walk
        (``"always"``), only in the back-pain walk (``"back-pain"``), or never. Pain
        given with ``--pain-before``/``--pain-after`` is recorded either way.
    """

    engine: str = "miniaudio"
    ask_pain: str = "always"

    def __post_init__(self) -> None:
        if not isinstance(self.engine, str) or not self.engine.strip():
            raise SettingsError(f"engine: {show(self.engine)} is not a name", "engine")
        if not isinstance(self.ask_pain, str) or self.ask_pain not in ASK_PAIN:
            raise SettingsError(
                f"ask_pain: {show(self.ask_pain)} is not a choice; use one of "
                f"{', '.join(ASK_PAIN)}.",
                "ask_pain",
            )


WALKER_KEYS = tuple(f.name for f in fields(Walker))
"""``[defaults]`` keys about the walker rather than the walk (:class:`Walker`)."""

CONFIG_KEYS = (*OPTION_KEYS, *WALKER_KEYS)
"""``[defaults]`` keys: :data:`OPTION_KEYS`, and :data:`WALKER_KEYS` for ``pacer
walk``."""


def asks_pain(ask_pain: str, preset: str, session: Session | None = None) -> bool:
    """Whether ``pacer walk`` asks about pain before and after a walk of ``preset``
    (its name or file) when ``config.toml`` says ``ask_pain`` (one of
    :data:`ASK_PAIN`). ``"back-pain"`` asks for a walk for back pain: the built-in
    back-pain preset, and any ``session`` that stretches (has a ``"stretch"`` phase),
    as the back-pain walk does before and after walking, whatever its title; a walk
    without stretches (the backward walk) is not asked."""
    mode = Walker(ask_pain=ask_pain).ask_pain
    if mode == "back-pain":
        return preset == "back-pain" or (
            session is not None and any(p.kind == "stretch" for p in session.phases)
        )
    return mode == "always"


_SPELLINGS = {"spm": "steps_per_minute", "accent": "accent_every", "rate": "sample_rate"}
"""The command line's short names, also taken in ``[defaults]``."""


# ---------------------------------------------------------------------------------------
# Places


def config_dir() -> Path:
    """The user's pacer config directory (``PACER_CONFIG_DIR`` overrides it)."""
    return user_dir("config")


def data_dir() -> Path:
    """The user's pacer data directory, where the journal lives (``PACER_DATA_DIR``)."""
    return user_dir("data")


def config_path() -> Path:
    """The user's ``config.toml``."""
    return config_dir() / "config.toml"


# ---------------------------------------------------------------------------------------
# Reading a TOML file

_MOST_BYTES = 1 << 20
"""A preset or config file is a few hundred bytes; anything over 1 MB is a mistake."""


def _read_toml(path: Path) -> dict[str, Any]:
    """The file parsed as TOML (UTF-8, with or without a byte-order mark)."""
    try:
        # Not blocking, so that a named pipe is refused instead of waited on forever.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise PresetError(f"{said(path)}: no such file", "preset") from None
    except IsADirectoryError:
        raise PresetError(f"{said(path)}: is a folder, not a TOML file", "preset") from None
    except ValueError:  # a NUL in the name
        raise PresetError(
            f"{said(path)}: not a file name: it holds a NUL character", "preset"
        ) from None
    except OSError as err:
        raise PresetError(
            f"{said(path)}: cannot read it ({err.strerror or err})", "preset"
        ) from None
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise PresetError(f"{said(path)}: is a folder, not a TOML file", "preset")
        if not stat.S_ISREG(mode):
            raise PresetError(
                f"{said(path)}: not a regular file (a pipe or a device); "
                "a preset or config file is TOML text in a file",
                "preset",
            )
        with open(fd, "rb", closefd=False) as handle:
            raw = handle.read(_MOST_BYTES + 1)
    except OSError as err:
        raise PresetError(
            f"{said(path)}: cannot read it ({err.strerror or err})", "preset"
        ) from None
    finally:
        os.close(fd)
    if len(raw) > _MOST_BYTES:
        raise PresetError(f"{said(path)}: over 1 MB; not a preset or config file", "preset")
    if raw.startswith((b"\xff\xfe\0\0", b"\0\0\xfe\xff")):
        raise PresetError(f"{said(path)}: is UTF-32 text; save it as UTF-8", "preset")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise PresetError(f"{said(path)}: is UTF-16 text; save it as UTF-8", "preset")
    raw = raw.removeprefix(b"\xef\xbb\xbf")
    if b"\0" in raw:
        raise PresetError(f"{said(path)}: not a text file; a preset is TOML text", "preset")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise PresetError(
            f"{said(path)}: not UTF-8 text (byte 0x{raw[err.start]:02x} on line {line}); "
            "save it as UTF-8",
            "preset",
        ) from None
    try:
        data: dict[str, Any] = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        reason = " ".join(str(err).split())
        raise PresetError(f"{said(path)}: not valid TOML ({reason})", "preset") from None
    except RecursionError:
        raise PresetError(
            f"{said(path)}: not valid TOML (arrays or tables nested too deeply)", "preset"
        ) from None
    return data


def _check_keys(where: str, data: Mapping[str, Any], known: tuple[str, ...]) -> None:
    for key in data:
        if key not in known:
            raise PresetError(
                f"{where}: unknown key {show(key)}; known keys: {', '.join(sorted(known))}",
                "preset",
            )


def _table(where: str, value: Any, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise PresetError(f"{where}: {what} must be a table, not {show(value)}", "preset")
    return value


def _tables(where: str, value: Any, what: str) -> list[dict[str, Any]]:
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise PresetError(
            f"{where}: {what} must be a list of [[{what}]] tables, not {show(value)}", "preset"
        )
    return value


def _key(key: object) -> str:
    """An option's name as the caller gave it, for a message."""
    return said(key) if isinstance(key, str) else show(key)


def _detail(err: SettingsError) -> str:
    """The error's words after its setting's name."""
    prefix = f"{err.setting}: "
    return (
        err.detail[len(prefix) :] if err.setting and err.detail.startswith(prefix) else err.detail
    )


_SECONDS_LIMIT = {"seconds": "phase_seconds", "every": "reminder_every", "at": "reminder_at"}


def _in_seconds(where: str, values: dict[str, Any]) -> dict[str, Any]:
    """``values`` with ``NAME_minutes`` keys turned into their fields in seconds (the
    range checked, and said, in minutes)."""
    out = dict(values)
    for name, alias in _MINUTES.items():
        if alias in out:
            if name in out:
                raise PresetError(f"{where}: give {name} or {alias}, not both", "preset")
            seconds = LIMITS[_SECONDS_LIMIT[name]]
            limit = Limit(alias, seconds.low / 60, seconds.high / 60, "min")
            try:
                out[name] = limit.check(out.pop(alias)) * 60
            except SettingsError as err:
                raise PresetError(f"{where}: {err}", alias) from None
    return out


def _made(where: str, make: Any, values: dict[str, Any]) -> Any:
    """``make(**values)``, an error said as ``where: key: problem``."""
    try:
        return make(**values)
    except SettingsError as err:
        raise PresetError(f"{where}: {err.detail}", err.setting) from None


# ---------------------------------------------------------------------------------------
# Presets


def _phases(source: str, value: Any, cadence: Cadence = None) -> tuple[Phase, ...]:
    items = _tables(source, value, "phases")
    if not items:
        raise PresetError(f"{source}: phases must be a list of [[phases]] tables", "preset")
    phases: list[Phase] = []
    for index, item in enumerate(items):
        name = item.get("name")
        where = f"{source}: phases[{index}]" + (f" ({said(name)})" if isinstance(name, str) else "")
        if "spm" in item:  # the command line's name for a phase's pace, as in [defaults]
            if "steps_per_minute" in item:
                raise PresetError(f"{where}: give spm or steps_per_minute, not both", "preset")
            item = {("steps_per_minute" if k == "spm" else k): v for k, v in item.items()}
        _check_keys(where, item, PHASE_KEYS)
        values = _in_seconds(where, item)
        for needed in ("name", "seconds"):
            if needed not in values:
                raise PresetError(f"{where}: needs 'name' and 'minutes' (or 'seconds')", "preset")
        values.setdefault("steps_per_minute", None)
        values = _paces(values, cadence, where)
        phases.append(_made(where, Phase, values))
    return tuple(phases)


def _personal(
    source: str, data: Mapping[str, Any]
) -> tuple[tuple[tuple[str, str], ...], tuple[Reminder, ...]]:
    """``[phrases]`` (cue kind = "words") and ``[[reminders]]`` (text with every_minutes
    or at_minutes) from a preset or config file."""
    phrases_data = _table(source, data.get("phrases", {}), "phrases")
    phrases = tuple(phrases_data.items())
    check = Phase("check", 60, None)
    _made(source, Session, {"phases": (check,), "phrases": phrases})
    reminders: list[Reminder] = []
    for index, item in enumerate(_tables(source, data.get("reminders", []), "reminders")):
        where = f"{source}: reminders[{index}]"
        _check_keys(where, item, REMINDER_KEYS)
        values = _in_seconds(where, item)
        if ("every" in values) == ("at" in values):
            raise PresetError(f"{where}: give either every_minutes or at_minutes", "reminders")
        reminders.append(_made(where, Reminder, {"text": "", **values}))
    return phrases, tuple(reminders)


def _preset_from_toml(data: Mapping[str, Any], source: str, cadence: Cadence = None) -> Session:
    _check_keys(source, data, (*SESSION_KEYS, "plan"))
    if "phases" not in data:
        raise PresetError(f"{source}: phases must be a list of [[phases]] tables", "preset")
    phases = _phases(source, data["phases"], cadence)
    phrases, reminders = _personal(source, data)
    if "plan" in data:
        _plan_fits(data, _plan(data["plan"], source), source)
    values = {k: v for k, v in data.items() if k not in (*_WHOLE_SESSION, "plan")}
    values.update(phases=phases, phrases=phrases, reminders=reminders)
    return _made(source, Session, values)  # type: ignore[no-any-return]


def session_from_toml(data: dict[str, Any], source: str, cadence: Cadence = None) -> Session:
    """A session from a parsed preset file; ``source`` names it in errors; a pace given
    as a share of your cadence (``steps_per_minute = "110%"``) is of ``cadence``."""
    return _preset_from_toml(data, source, cadence)


def _user_presets() -> dict[str, Path]:
    folder = config_dir() / "presets"
    try:
        return {p.stem: p for p in sorted(folder.glob("*.toml"))} if folder.is_dir() else {}
    except OSError:
        return {}


def preset_names() -> list[tuple[str, str, str]]:
    """Every preset as ``(name, description, where)``: built-ins first, then the
    user's files (one that cannot be used says why)."""
    rows = [(name, text, "built in") for name, text in BUILT_IN.items()]
    for name, path in _user_presets().items():
        try:
            description = load_preset(str(path)).describe()
        except SettingsError as err:
            description = f"cannot be used: {_after(str(err), said(path))}"
        rows.append((name, description, str(path)))
    return rows


def _after(message: str, source: str) -> str:
    return message.removeprefix(f"{source}: ")


def _preset_path(name: str) -> Path | None:
    """The file of preset ``name`` (None for a built-in)."""
    if name in BUILT_IN:
        return None
    user = _user_presets()
    if name in user:
        return user[name]
    if name.endswith(".toml") or os.sep in name or (os.altsep and os.altsep in name):
        return Path(name)
    names = ", ".join([*BUILT_IN, *user])
    raise PresetError(
        f"preset: {show(name)} is not a preset; use one of {names}, or a .toml file", "preset"
    )


def check_preset(name: object) -> str:
    """``name`` if it names a preset as ``--preset`` takes it (a built-in, a user
    preset, or a ``.toml`` file name), else :class:`PresetError` in one line."""
    if not isinstance(name, (str, os.PathLike)) or not isinstance(os.fspath(name), str):
        raise PresetError(f"preset: {show(name)} is not a preset name or file", "preset")
    text = os.fspath(name)
    if not text.strip() or any(ord(c) < 32 or ord(c) == 127 for c in text):
        raise PresetError(f"preset: {show(text)} is not a preset name or file", "preset")
    _preset_path(text)
    return text


def _looks_like_a_file(name: str) -> bool:
    return name.endswith(".toml") or os.sep in name or bool(os.altsep and os.altsep in name)


def preset_identity(name: str) -> str:
    """The programme a walk on preset ``name`` belongs to, however the preset was
    spelled: a built-in's or a user preset's own name; a preset file by its name
    without folder or ``.toml`` (``mine.toml``, ``./mine.toml``, ``/home/me/mine.toml``,
    a link to it, and ``mine`` from the config presets folder are all ``mine``). A
    link is followed when it can be (an old relative spelling is read from the
    current folder, else taken as written). A file named like a built-in
    (``backward.toml``) is a programme of its own, named with its ``.toml``: only
    the built-in's name is the built-in. Never raises."""
    if not isinstance(name, str) or name in BUILT_IN or not _looks_like_a_file(name):
        return str(name)
    path = Path(name).expanduser()
    try:
        if path.is_symlink():
            path = path.resolve()
    except (OSError, RuntimeError, ValueError):
        pass
    stem = path.stem if path.suffix == ".toml" else path.name
    if stem in BUILT_IN:  # a file of its own, not the built-in: never its history
        return path.name if path.suffix == ".toml" else f"{path.name} (file)"
    return stem or name


def preset_file(name: str | None) -> Path | None:
    """The file preset ``name`` is read from (``None`` for a built-in, or no name)."""
    if name is None:
        return None
    return _preset_path(name)


def load_preset(name: str, *, cadence: Cadence = None, **options: Any) -> Session:
    """The preset ``name``: a built-in, a user preset, or a ``.toml`` file path.

    ``options`` go to a built-in's factory (e.g. ``minutes=25``); a pace given as a
    share of your cadence (``"110%"``, in options or the file) is of ``cadence``.
    """
    if not isinstance(name, (str, os.PathLike)):
        raise PresetError(f"preset: {show(name)} is not a preset name or file", "preset")
    path = _preset_path(os.fspath(name))
    if path is None:
        return built_in(os.fspath(name), **_paces(options, cadence))
    if options:
        raise PresetError(f"preset: {said(path)}: options are for built-in presets", "preset")
    return _preset_from_toml(_read_toml(path), said(path), cadence)


def _plan(table: Any, source: str) -> Plan:
    try:
        return plan_from_table(table, source)
    except SettingsError as err:
        raise PresetError(str(err), "plan") from None


def _plan_fits(data: Mapping[str, Any], plan: Plan, source: str) -> Plan:
    """A ``[plan]`` whose pace ceiling is below the preset's own walking pace would have
    ``pacer next`` cut the walk's pace at once: refused, naming both."""
    items = data.get("phases")
    walk = (
        next((i for i in items if isinstance(i, dict) and i.get("kind") == "walk"), None)
        if isinstance(items, list)
        else None
    )
    if walk is None:
        return plan
    pace = walk.get("steps_per_minute", walk.get("spm"))
    if (
        isinstance(pace, (int, float))
        and not isinstance(pace, bool)
        and pace > plan.max_steps_per_minute
    ):
        raise PresetError(
            f"{source}: [plan] max_steps_per_minute = {plan.max_steps_per_minute:g} is "
            f"below the walk's own steps_per_minute = {pace:g}; raise the ceiling to "
            f"{pace:g} or more, or slow the walk",
            "plan",
        )
    return plan


def load_plan(name: str) -> Plan | None:
    """The progression plan of preset ``name``: a built-in's, or a preset file's
    ``[plan]`` table; ``None`` when the file has none (``pacer next`` then uses the
    backward plan and says so)."""
    if not isinstance(name, (str, os.PathLike)):
        raise PresetError(f"preset: {show(name)} is not a preset name or file", "preset")
    path = _preset_path(os.fspath(name))
    if path is None:
        return PLANS[os.fspath(name)]
    data = _read_toml(path)
    _check_keys(said(path), data, (*SESSION_KEYS, "plan"))
    if "plan" not in data:
        return None
    return _plan_fits(data, _plan(data["plan"], said(path)), said(path))


def preset_toml(session: Session, name: str = "", plan: Plan | None = None) -> str:
    """A session (and its progression ``plan``, as a ``[plan]`` table) as a preset file
    that :func:`load_preset` and :func:`load_plan` read back to the same walk and plan."""
    import tomli_w

    if not isinstance(session, Session):
        raise SettingsError(f"session: {show(session)} is not a Session", "session")
    blank_session = Session(phases=(Phase("x", 1, None),))
    blank_phase = Phase("x", 1, None)
    out: dict[str, Any] = {}
    for key in _file_fields(Session):
        value = getattr(session, key)
        if key in _WHOLE_SESSION or value is None:
            continue
        if key == "title" or value != getattr(blank_session, key):
            out[key] = value
    phases = []
    for phase in session.phases:
        item: dict[str, Any] = {"name": phase.name, "kind": phase.kind}
        minutes = phase.seconds / 60
        if float(minutes).is_integer():
            item["minutes"] = int(minutes)
        else:
            item["seconds"] = phase.seconds
        for key in _file_fields(Phase):
            if key in _PHASE_ITSELF:
                continue
            value = getattr(phase, key)
            if value is None or (value == getattr(blank_phase, key) and key != "steps_per_minute"):
                continue
            item[key] = list(value) if isinstance(value, tuple) else value
        phases.append(item)
    out["phases"] = phases
    if session.phrases:
        out["phrases"] = dict(session.phrases)
    if session.reminders:
        out["reminders"] = [
            {
                "text": r.text,
                **(
                    {"every_minutes": r.every / 60}
                    if r.every is not None
                    else {"at_minutes": (r.at or 0) / 60}
                ),
            }
            for r in session.reminders
        ]
    if plan is not None:
        out["plan"] = {f.name: getattr(plan, f.name) for f in fields(Plan)}
    header = f"# pacer preset{': ' + name if name else ''}. Edit and use with --preset FILE.\n"
    return header + tomli_w.dumps(out)


# ---------------------------------------------------------------------------------------
# config.toml


@dataclass(frozen=True)
class Config:
    """What ``config.toml`` says: ``[defaults]`` (checked), ``[phrases]`` and
    ``[[reminders]]``; all empty when there is no file."""

    path: Path | None = None
    defaults: Mapping[str, Any] = field(default_factory=dict)
    phrases: tuple[tuple[str, str], ...] = ()
    reminders: tuple[Reminder, ...] = ()
    spelled: Mapping[str, str] = field(default_factory=dict)
    """How the file spells each ``[defaults]`` key (``spm`` for ``steps_per_minute``),
    so an error can name the key as written."""


def load_config(path: str | os.PathLike[str] | None = None) -> Config:
    """``config.toml`` (the user's when ``path`` is None), checked key by key: every
    key is known, and every value is one its setting takes. A missing user file is
    an empty :class:`Config`; a missing file asked for by name is an error."""
    if path is None:
        file = config_path()
        if not os.path.lexists(file):  # a broken link is said, not taken as no file
            return Config()
    else:
        file = expect_path(path, "config", PresetError)
    source = said(file)
    data = _read_toml(file)
    _check_keys(source, data, ("defaults", "phrases", "reminders"))
    given = _table(source, data.get("defaults", {}), "[defaults]")
    defaults: dict[str, Any] = {}
    spelled: dict[str, str] = {}
    where = f"{source}: [defaults]"
    for key, value in given.items():
        name = _SPELLINGS.get(key, key)
        if name not in CONFIG_KEYS:
            _check_keys(where, {key: value}, (*CONFIG_KEYS, *_SPELLINGS))
        if name in defaults:
            raise PresetError(f"{where}: {key} is given twice (as {name} too)", "config")
        try:
            defaults[name] = check_option(name, value)
        except SettingsError as err:
            raise PresetError(f"{where} {key}: {_detail(err)}", name) from None
        spelled[name] = str(key)
    phrases, reminders = _personal(source, data)
    return Config(file, defaults, phrases, reminders, spelled)


def load_defaults() -> dict[str, Any]:
    """The user's ``[defaults]`` from ``config.toml``, checked (empty when there is
    none). Keys are :data:`CONFIG_KEYS`."""
    return dict(load_config().defaults)


def load_personal() -> tuple[tuple[tuple[str, str], ...], tuple[Reminder, ...]]:
    """Your ``[phrases]`` and ``[[reminders]]`` from ``config.toml``, for every walk."""
    config = load_config()
    return config.phrases, config.reminders


_CHECK_PHASE = Phase("check", LIMITS["phase_seconds"].high, 60)
_CHECK_STRETCH = Phase("check", 20, None, kind="stretch", announce=("stretch",))
_CHECK_SESSION = Session(phases=(_CHECK_PHASE,))


def check_option(key: str, value: Any) -> Any:
    """``value`` if the option ``key`` (one of :data:`CONFIG_KEYS`) can take it, as the
    setting keeps it; else :class:`SettingsError` naming ``key``."""
    if key in _PACES and cadence_share(value, key) is not None:
        return value  # a share of your cadence, made a pace when the walk is made
    if key == "preset":
        if not isinstance(value, str) or not value.strip():
            raise SettingsError(f"{key}: {show(value)} is not a name", key)
        return value
    if key in WALKER_KEYS:
        return getattr(Walker(**{key: value}), key)
    if key in ("minutes", "route_metres", "step_length"):
        return LIMITS[key].check(value, key)
    if key == "look_back_every" and isinstance(value, int) and value == 0:
        return None
    if key in _file_fields(Session) and key not in _WHOLE_SESSION:
        try:
            return getattr(replace(_CHECK_SESSION, **{key: value}), key)
        except SettingsError as err:
            raise SettingsError(err.detail, key) from None
    if key in _EACH_STRETCH:
        try:
            return getattr(replace(_CHECK_STRETCH, **{key: value}), key)
        except SettingsError as err:
            raise SettingsError(err.detail, key) from None
    if key in _file_fields(Phase) and key not in _PHASE_ITSELF:
        try:
            return getattr(replace(_CHECK_PHASE, **{key: value}), key)
        except SettingsError as err:
            raise SettingsError(err.detail, key) from None
    raise SettingsError(f"{_key(key)}: not an option; use {', '.join(OPTION_KEYS)}", str(key))


# ---------------------------------------------------------------------------------------
# A session from all of it


def customise(session: Session, **given: Any) -> Session:
    """``session`` with options applied: the main walk's settings (``minutes``,
    ``steps_per_minute``, ``look_back_every`` with 0 for none, ``turn_around_every``,
    any field of :class:`~pacer.session.Phase`) change the main walk
    (:attr:`Session.main_phase <pacer.session.Session.main_phase>`); ``position``
    changes every held stretch; a Session's fields change the whole session."""
    if not isinstance(session, Session):
        raise SettingsError(f"session: {show(session)} is not a Session", "session")
    phase_keys = [k for k in _file_fields(Phase) if k not in _PHASE_ITSELF]
    session_keys = [k for k in _file_fields(Session) if k not in _WHOLE_SESSION]
    phase_changes: dict[str, Any] = {}
    session_changes: dict[str, Any] = {}
    stretch_changes: dict[str, Any] = {}
    for key, value in given.items():
        if key in _EACH_STRETCH:
            stretch_changes[key] = value
        elif key == "minutes":
            minutes = LIMITS["minutes"].check(value, "minutes")
            phase_changes["seconds"] = minutes * 60
            phase_changes.setdefault("minutes_left", minutes_left_for(minutes))
        elif key in phase_keys:
            if key == "look_back_every" and isinstance(value, int) and value == 0:
                value = None
            phase_changes[key] = value
        elif key in session_keys:
            session_changes[key] = value
        else:
            raise SettingsError(
                f"{_key(key)}: not a setting; use minutes, {', '.join(phase_keys + session_keys)}",
                str(key),
            )
    if "minutes_left" in given:
        phase_changes["minutes_left"] = given["minutes_left"]
    phases = list(session.phases)
    if stretch_changes:
        try:
            phases = [replace(p, **stretch_changes) if p.holds else p for p in phases]
        except SettingsError as err:
            raise SettingsError(err.detail, err.setting) from None
    if phase_changes:
        main = session.main_index
        if main is None:
            first = next(iter(phase_changes))
            raise SettingsError(
                f"{'minutes' if first == 'seconds' else first}: {session.title!r} has no "
                "walk phase to change",
                first,
            )
        widened = _stop_to_look_spacing(phases[main], phase_changes, given)
        try:
            phases[main] = replace(phases[main], **phase_changes)
        except SettingsError as err:
            raise SettingsError(err.detail, err.setting) from None
        if widened:
            session_changes["notes"] = (*session.notes, widened)
    return session.with_changes(phases=tuple(phases), **session_changes)


def _stop_to_look_spacing(phase: Phase, changes: dict[str, Any], given: dict[str, Any]) -> str:
    """Stopping to look back takes time, so steps, at any pace: when the walk stops to
    look (``look_back="stop"``) and its steps between look-backs were not given, they
    grow to the fewest its pace allows (:func:`~pacer.session.look_back_stop_minimum`)
    where the preset's are too few, and the note returned says so (empty when nothing
    changed). Steps given are kept, and refused when too few."""
    from .session import LOOK_BACK_REST_SECONDS, LOOK_BACK_WALK_SECONDS, look_back_stop_minimum

    every = changes.get("look_back_every", phase.look_back_every)
    pace = changes.get("steps_per_minute", phase.steps_per_minute)
    if (
        changes.get("look_back", phase.look_back) != "stop"
        or "look_back_every" in given
        or every is None
        or pace is None
    ):
        return ""
    least = look_back_stop_minimum(pace, changes.get("ramp_to", phase.ramp_to))
    if every >= least:
        return ""
    changes["look_back_every"] = least
    return (
        f"look-backs every {least} steps, not {every}: stopping to look back at "
        f"{pace:g} steps/min takes that many (a rest of about {LOOK_BACK_REST_SECONDS:g} s, "
        f"then {LOOK_BACK_WALK_SECONDS:g} s of walking)"
    )


def session_from(
    preset: str | os.PathLike[str] | None = None,
    *,
    config: bool | str | os.PathLike[str] | Config = True,
    fallback: Mapping[str, Any] | None = None,
    cadence: Cadence = None,
    **options: Any,
) -> Session:
    """The session ``pacer walk``, ``render`` and ``show`` make: a preset, with the
    user's ``config.toml`` defaults, a route, and ``options`` over them.

    Parameters
    ----------
    preset:
        A built-in (``"backward"``, ``"back-pain"``), a preset of yours by name, or a
        ``.toml`` file; by default ``config.toml``'s ``preset``, else ``"backward"``.
    config:
        ``True`` for your ``config.toml`` (if there is one), ``False`` for none, or a
        file (or a :class:`Config` already loaded). Its ``[defaults]`` count where
        ``options`` say nothing; its ``[phrases]`` and ``[[reminders]]`` are added.
    fallback:
        Values used only where neither ``options``, the config nor the preset file set
        one (e.g. the sample rate suited to a file format).
    cadence:
        Your recorded cadence (steps/min), or a function that finds it: a pace given
        as a share of it (``steps_per_minute="110%"``, in options, ``config.toml`` or
        the preset file) is exactly that percentage of it; with none, such a pace is
        refused, saying how to record one.
    options:
        Any of :data:`OPTION_KEYS`: the Session's settings (``sound``, ``volume``,
        ``voice``, ...), the main walk's (``minutes``, ``steps_per_minute``,
        ``ramp_to``, ``look_back_every``, 0 for none, ...), and ``route_metres`` with
        ``step_length``: "turn around" each time the route is covered, for any preset.
        ``voice`` is by default from the locale (``zh`` for Chinese, else ``en``).

    Raises
    ------
    SettingsError
        An option out of range or unknown (named as the library names it), or a bad
        preset or config file (:class:`PresetError`, naming the file and the key).
    """
    for key, value in options.items():
        if key not in OPTION_KEYS:
            raise SettingsError(
                f"{_key(key)}: not an option; use {', '.join(OPTION_KEYS)}", str(key)
            )
        if key != "preset" or value is not None:
            check_option(key, value)  # its type and range, whatever else is given
    if fallback is not None and not isinstance(fallback, Mapping):
        raise SettingsError(f"fallback: {show(fallback)} is not a mapping of options", "fallback")
    if not isinstance(config, (bool, str, os.PathLike, Config)) and config is not None:
        raise SettingsError(
            f"config: {show(config)} is not True, False, a file or a Config", "config"
        )
    if isinstance(config, Config):
        loaded = config
    elif config is True:
        loaded = load_config()
    elif config is False or config is None:
        loaded = Config()
    else:
        loaded = load_config(config)
    given: dict[str, Any] = {
        k: v for k, v in loaded.defaults.items() if k not in (*WALKER_KEYS, "preset")
    }
    given.update({k: v for k, v in options.items() if k != "preset"})
    for key in _PACES:
        if key in given and key not in options:
            # A share from config.toml: an error names the file and the key as written.
            where = f"{said(loaded.path) if loaded.path else 'config.toml'}: [defaults]"
            try:
                given[key] = _paces({key: given[key]}, cadence)[key]
            except SettingsError as err:
                spelling = loaded.spelled.get(key, key)
                raise PresetError(f"{where} {spelling}: {_detail(err)}", key) from None
    given = _paces(given, cadence)
    if isinstance(given.get("look_back_every"), int) and given["look_back_every"] == 0:
        given["look_back_every"] = None  # 0: no look-back cues
    if preset is None:
        preset = options.get("preset") or loaded.defaults.get("preset") or DEFAULTS.preset
    if not isinstance(preset, (str, os.PathLike)):
        raise SettingsError(f"preset: {show(preset)} is not a preset name or file", "preset")
    name = os.fspath(preset)
    path = _preset_path(name)
    file_data: Mapping[str, Any] = {}
    if path is not None:
        file_data = _read_toml(path)
    for key, value in (fallback or {}).items():
        if key not in given and key not in file_data:
            given[key] = value
    route = given.pop("route_metres", None)
    step_length = given.pop("step_length", None)
    voice = given.pop("voice", None)
    if voice is None:
        voice = file_data.get("voice")
    if voice is None:
        voice = default_voice()
    if path is None:
        takes = factory_options(name)
        made = {k: v for k, v in given.items() if k in takes}
        session = built_in(name, **made)
        rest = {k: v for k, v in given.items() if k not in takes}
        if given.get("look_back_every") is not None:
            # Given, so kept as given (and refused if too few to stop and look).
            rest["look_back_every"] = given["look_back_every"]
        kind = name
    else:
        session = _preset_from_toml(file_data, said(path), cadence)
        rest = dict(given)
        kind = "backward"
    if route is not None:
        if step_length is None:
            step_length = STEP_LENGTH.get(kind, STEP_LENGTH["backward"])
        rest["turn_around_every"] = _turn_around_steps(route, step_length)
    session = customise(session, **rest).with_changes(voice=voice)
    if loaded.phrases or loaded.reminders:
        session = session.with_changes(
            phrases=session.phrases + loaded.phrases,
            reminders=session.reminders + loaded.reminders,
        )
    return session
