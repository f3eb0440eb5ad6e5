"""Where pacer keeps things, user presets as TOML files, and the user's defaults.

* Presets: ``presets/NAME.toml`` in the user's config directory (platformdirs), or
  any ``FILE.toml`` given to ``--preset``.
* Defaults: ``config.toml`` in the same directory, a ``[defaults]`` table whose keys
  are the command-line option names (``spm = 62``, ``preset = "back-pain"``).
* ``PACER_CONFIG_DIR`` and ``PACER_DATA_DIR`` move the two directories (tests and
  portable installs).

A bad file is reported in one line naming the file, the key and the problem.
"""

from __future__ import annotations

import os
import sys
from dataclasses import fields, replace
from pathlib import Path
from typing import Any

from .errors import SettingsError
from .presets import BUILT_IN, built_in, minutes_left_for
from .session import Phase, Reminder, Session

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

__all__ = [
    "PresetError",
    "config_dir",
    "data_dir",
    "load_defaults",
    "load_preset",
    "preset_names",
    "preset_toml",
    "session_from_toml",
]

DEFAULT_KEYS = {
    "preset": str,
    "spm": float,
    "minutes": float,
    "sound": str,
    "volume": float,
    "look_back_every": int,
    "accent": int,
    "alternate_feet": bool,
    "rate": int,
    "route_metres": float,
    "step_length": float,
    "engine": str,
    "voice": str,
}
"""What ``config.toml``'s ``[defaults]`` may set."""

_SESSION_KEYS = {
    "phrases",
    "reminders",
    "title",
    "sound",
    "accent_every",
    "alternate_feet",
    "sample_rate",
    "volume",
    "lead_in",
    "phases",
}
_PHASE_KEYS = {
    "name",
    "kind",
    "seconds",
    "minutes",
    "steps_per_minute",
    "ramp_to",
    "look_back_every",
    "halfway",
    "minutes_left",
    "posture_every",
    "turn_around_every",
    "countdown",
    "announce",
}


class PresetError(SettingsError):
    """A preset or config file that cannot be used."""


def config_dir() -> Path:
    """The user's pacer config directory (``PACER_CONFIG_DIR`` overrides it)."""
    if os.environ.get("PACER_CONFIG_DIR"):
        return Path(os.environ["PACER_CONFIG_DIR"])
    import platformdirs

    return Path(platformdirs.user_config_dir("pacer", appauthor=False))


def data_dir() -> Path:
    """The user's pacer data directory, where the journal lives (``PACER_DATA_DIR``)."""
    if os.environ.get("PACER_DATA_DIR"):
        return Path(os.environ["PACER_DATA_DIR"])
    import platformdirs

    return Path(platformdirs.user_data_dir("pacer", appauthor=False))


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with open(path, "rb") as handle:
            data: dict[str, Any] = tomllib.load(handle)
            return data
    except FileNotFoundError:
        raise PresetError(f"{path}: no such file", "preset") from None
    except OSError as err:
        raise PresetError(f"{path}: cannot read it ({err.strerror})", "preset") from None
    except tomllib.TOMLDecodeError as err:
        raise PresetError(f"{path}: not valid TOML ({err})", "preset") from None


def _check_keys(where: str, data: dict[str, Any], known: set[str]) -> None:
    for key in data:
        if key not in known:
            raise PresetError(
                f"{where}: unknown key {key!r}; known keys: {', '.join(sorted(known))}",
                "preset",
            )


def session_from_toml(data: dict[str, Any], source: str) -> Session:
    """A session from a parsed preset file; ``source`` names it in errors."""
    _check_keys(source, data, _SESSION_KEYS)
    phases_data = data.get("phases")
    if not isinstance(phases_data, list) or not phases_data:
        raise PresetError(f"{source}: 'phases' must be a list of [[phases]] tables", "preset")
    phases: list[Phase] = []
    for index, item in enumerate(phases_data):
        where = f"{source}: phases[{index}]"
        if not isinstance(item, dict):
            raise PresetError(f"{where}: must be a table", "preset")
        _check_keys(where, item, _PHASE_KEYS)
        values = dict(item)
        if "minutes" in values:
            values["seconds"] = _number(where, "minutes", values.pop("minutes")) * 60
        if "name" not in values or "seconds" not in values:
            raise PresetError(f"{where}: needs 'name' and 'minutes' (or 'seconds')", "preset")
        values.setdefault("steps_per_minute", None)
        for key in ("minutes_left", "announce"):
            if key in values:
                values[key] = tuple(values[key])
        try:
            phases.append(Phase(**values))
        except SettingsError as err:
            raise PresetError(f"{where} ({values['name']}): {err}", "preset") from None
        except TypeError as err:
            raise PresetError(f"{where}: {err}", "preset") from None
    values = {k: v for k, v in data.items() if k not in ("phases", "phrases", "reminders")}
    phrases, reminders = _personal(source, data)
    try:
        return Session(phases=tuple(phases), phrases=phrases, reminders=reminders, **values)
    except SettingsError as err:
        raise PresetError(f"{source}: {err}", "preset") from None


def _personal(
    source: str, data: dict[str, Any]
) -> tuple[tuple[tuple[str, str], ...], tuple[Reminder, ...]]:
    """``[phrases]`` (cue kind = "words") and ``[[reminders]]`` (text with every_minutes
    or at_minutes) from a preset or config file."""
    phrases_data = data.get("phrases", {})
    if not isinstance(phrases_data, dict):
        raise PresetError(f'{source}: [phrases] must be a table of cue = "words"', "phrases")
    phrases = tuple((str(k), v) for k, v in phrases_data.items())
    reminders: list[Reminder] = []
    for index, item in enumerate(data.get("reminders", [])):
        where = f"{source}: reminders[{index}]"
        if not isinstance(item, dict):
            raise PresetError(f"{where}: must be a table", "reminders")
        _check_keys(where, item, {"text", "every_minutes", "at_minutes"})
        every = item.get("every_minutes")
        at = item.get("at_minutes")
        try:
            reminders.append(
                Reminder(
                    str(item.get("text", "")),
                    every=None if every is None else _number(where, "every_minutes", every) * 60,
                    at=None if at is None else _number(where, "at_minutes", at) * 60,
                )
            )
        except SettingsError as err:
            raise PresetError(f"{where}: {err}", "reminders") from None
    try:
        Session(phases=(Phase("check", 60, None),), phrases=phrases)
    except SettingsError as err:
        raise PresetError(f"{source}: {err}", "phrases") from None
    return phrases, tuple(reminders)


def load_personal() -> tuple[tuple[tuple[str, str], ...], tuple[Reminder, ...]]:
    """Your ``[phrases]`` and ``[[reminders]]`` from ``config.toml``, for every walk."""
    path = config_dir() / "config.toml"
    if not path.exists():
        return (), ()
    return _personal(str(path), _read_toml(path))


def _number(where: str, key: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise PresetError(f"{where}: {key} = {value!r} is not a number", "preset")
    return float(value)


def _user_presets() -> dict[str, Path]:
    folder = config_dir() / "presets"
    return {p.stem: p for p in sorted(folder.glob("*.toml"))} if folder.is_dir() else {}


def preset_names() -> list[tuple[str, str, str]]:
    """Every preset as ``(name, description, where)``: built-ins first, then the
    user's files."""
    rows = [(name, text, "built in") for name, text in BUILT_IN.items()]
    for name, path in _user_presets().items():
        try:
            description = load_preset(str(path)).describe()
        except SettingsError as err:
            description = f"cannot be used: {err}"
        rows.append((name, description, str(path)))
    return rows


def load_preset(name: str, **options: Any) -> Session:
    """The preset ``name``: a built-in, a user preset, or a ``.toml`` file path.

    ``options`` go to a built-in's factory (e.g. ``minutes=25``).
    """
    if name in BUILT_IN:
        return built_in(name, **options)
    user = _user_presets()
    if name in user:
        path = user[name]
    elif name.endswith(".toml") or os.sep in name:
        path = Path(name)
    else:
        names = ", ".join([*BUILT_IN, *user])
        raise PresetError(
            f"--preset: {name!r} is not a preset; use one of {names}, or a .toml file",
            "preset",
        )
    return session_from_toml(_read_toml(path), str(path))


def load_defaults() -> dict[str, Any]:
    """The user's ``[defaults]`` from ``config.toml`` (empty when there is none)."""
    path = config_dir() / "config.toml"
    if not path.exists():
        return {}
    data = _read_toml(path)
    _check_keys(str(path), data, {"defaults", "phrases", "reminders"})
    defaults = data.get("defaults", {})
    _check_keys(f"{path}: [defaults]", defaults, set(DEFAULT_KEYS))
    for key, value in defaults.items():
        kind = DEFAULT_KEYS[key]
        ok = isinstance(value, kind) or (kind is float and isinstance(value, int))
        if not ok or (kind is not bool and isinstance(value, bool)):
            raise PresetError(
                f"{path}: [defaults] {key} = {value!r} should be a {kind.__name__}", "config"
            )
    return dict(defaults)


def preset_toml(session: Session, name: str = "") -> str:
    """A session as a preset file that :func:`load_preset` reads back to the same walk."""
    import tomli_w

    defaults = Phase("x", 1, None)
    out: dict[str, Any] = {"title": session.title}
    for key in ("sound", "accent_every", "alternate_feet", "sample_rate", "volume", "lead_in"):
        value = getattr(session, key)
        if value is not None:
            out[key] = value
    phases = []
    for phase in session.phases:
        item: dict[str, Any] = {"name": phase.name, "kind": phase.kind}
        minutes = phase.seconds / 60
        if float(minutes).is_integer():
            item["minutes"] = int(minutes)
        else:
            item["seconds"] = phase.seconds
        for f in fields(Phase):
            if f.name in ("name", "kind", "seconds") or f.name not in _PHASE_KEYS:
                continue
            value = getattr(phase, f.name)
            if value != getattr(defaults, f.name) or f.name == "steps_per_minute":
                if value is None:
                    continue
                item[f.name] = list(value) if isinstance(value, tuple) else value
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
    header = f"# pacer preset{': ' + name if name else ''}. Edit and use with --preset FILE.\n"
    return header + tomli_w.dumps(out)


def customise(session: Session, **given: Any) -> Session:
    """``session`` with command-line choices applied: ``minutes``, ``steps_per_minute``,
    ``ramp_to``, ``look_back_every`` (0 for none) and ``turn_around_every`` change the
    main walk (the first ``walk`` phase); the rest change the whole session."""
    main = next((i for i, p in enumerate(session.phases) if p.kind == "walk"), None)
    phases = list(session.phases)
    if main is not None:
        phase = phases[main]
        changes: dict[str, Any] = {}
        if "minutes" in given:
            changes["seconds"] = given["minutes"] * 60
            changes["minutes_left"] = minutes_left_for(given["minutes"])
        for key in ("steps_per_minute", "ramp_to", "turn_around_every"):
            if key in given:
                changes[key] = given[key]
        if "look_back_every" in given:
            changes["look_back_every"] = given["look_back_every"] or None
        if changes:
            phases[main] = replace(phase, **changes)
    session_changes = {
        key: given[key]
        for key in ("sound", "accent_every", "alternate_feet", "sample_rate", "volume")
        if key in given
    }
    return replace(session, phases=tuple(phases), **session_changes)
