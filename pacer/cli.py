"""The ``pacer`` command. It parses, calls the library, and prints; nothing else.

Exit codes: 0 done, 1 a runtime failure (disk full, no audio output), 2 a usage
mistake (a value out of range, an unknown sound or format), 130 interrupted.
Every error is one line on stderr, starting ``pacer:``.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import sys
from collections.abc import Callable, Iterator
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click

from . import __version__
from .errors import PacerError, SettingsError
from .keys import KEYS
from .output import ENGINES
from .output.formats import FORMATS
from .presets import BUILT_IN, RECOMMENDED_MINUTES, STEP_LENGTH, Plan
from .session import (
    DEFAULTS,
    FADE_OFF_BEATS,
    FADE_ON_BEATS,
    LIMITS,
    LOOK_BACK_MODES,
    LOOK_BACK_REST_SECONDS,
    SOUNDS,
    VOICES,
    Session,
    count,
    pace_text,
)
from .session import said as _said
from .session import show as _shown

if TYPE_CHECKING:
    from pathlib import Path

    from .voice import Prepared

F = TypeVar("F", bound=Callable[..., Any])

EXIT_RUNTIME = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


_HELD_NOTES: list[str] = []
"""The session's notes, said once the command goes ahead (never beside its error)."""
_SIGNALLED: list[int] = []
"""SIGINT, SIGTERM or SIGHUP received since the command began (the first one first):
a handler's exception can be swallowed where Python cannot raise it, so each
handler records the signal here too, and the command stops at its next check."""


def _say_held_notes() -> None:
    while _HELD_NOTES:
        _note(_HELD_NOTES.pop(0))


def _hold_unsaid(prepared: Prepared) -> Prepared:
    """``prepared``, with one note held for each of the walker's own words that no
    speech engine here could say."""
    from .tts import engine_trouble, engines_for

    trouble = engine_trouble()
    if trouble is not None and prepared.session.voice == "zh":
        # Who says them instead, if anyone: with no engine left, the notes below say so.
        instead = "; eSpeak NG says your words" if "espeak" in engines_for("zh") else ""
        _HELD_NOTES.append(f"Kokoro did not start: {trouble}{instead}")
    from .voice import LANGUAGE_NAMES

    language = LANGUAGE_NAMES.get(prepared.session.voice, "")
    for words in prepared.foreign:
        _HELD_NOTES.append(
            f"{_shown(words)} is not written in {language}, the language of the voice, so "
            "no speech engine is given it; its cue is heard as pacer's own words or its tune"
        )
    for words in prepared.unsaid:
        _HELD_NOTES.append(
            f"no speech engine here could say {_shown(words)}; its cue is heard as pacer's "
            "own words or its tune"
        )
    return prepared


def _fail(message: str, code: int) -> NoReturn:
    _HELD_NOTES.clear()  # an error is the one line: a note about the session is moot
    # If standard error itself cannot be written, the exit code still says it.
    with contextlib.suppress(OSError):
        click.echo(f"pacer: error: {_said(message, width=None)}", err=True)
    sys.exit(code)


def _note(message: str) -> None:
    click.echo(f"pacer: note: {message}", err=True)


class PacerGroup(click.Group):
    """A click group whose errors are one line each, with pacer's exit codes."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        _open_closed_streams()
        with _stopping_on_signals():
            try:
                return self._main(*args, **kwargs)
            except OSError as err:  # while saying something else (the help, a note)
                _output_failed(err)

    def _main(self, *args: Any, **kwargs: Any) -> Any:
        kwargs["standalone_mode"] = False
        _HELD_NOTES.clear()
        try:
            result = super().main(*args, **kwargs)
            _say_held_notes()
            _flush_stdout()
        except click.exceptions.NoArgsIsHelpError as err:  # pragma: no cover - click>=8.2
            click.echo(err.ctx.get_help() if err.ctx else str(err))
            _flush_stdout()
            sys.exit(0)
        except click.UsageError as err:
            command = err.ctx.command_path if err.ctx else "pacer"
            _fail(f"{err.format_message()} (see '{command} --help')", EXIT_USAGE)
        except click.ClickException as err:
            _fail(err.format_message(), err.exit_code)
        except (click.Abort, KeyboardInterrupt) as err:
            # click makes a KeyboardInterrupt an Abort: the signal is on the cause.
            signum = getattr(err, "signum", None) or getattr(err.__context__, "signum", None)
            click.echo("pacer: interrupted", err=True)
            sys.exit(128 + signum if signum else EXIT_INTERRUPTED)
        except SettingsError as err:
            _fail(_in_flags(err, self), EXIT_USAGE)
        except PacerError as err:
            _fail(str(err), EXIT_RUNTIME)
        except OSError as err:
            _output_failed(err)
        except ValueError as err:
            # A NUL character in a file name: no shell can pass one, but a program can.
            if "embedded null" not in str(err):  # "byte" on 3.11, "character" on 3.13
                raise
            _fail("a file name cannot hold a NUL character", EXIT_USAGE)
        sys.exit(result if isinstance(result, int) else 0)


@contextlib.contextmanager
def _stopping_on_signals() -> Iterator[None]:
    """From the start of the command to its end, SIGTERM and SIGHUP stop it as Ctrl-C
    does (:class:`_Stopped`: cleaned up, one line, exit 128 + the signal), whatever
    it is doing; a render and a walk take them over while they write or play."""
    import signal

    def stop(signum: int, _frame: object) -> None:
        _SIGNALLED.append(signum)
        raise _Stopped(signum)

    _SIGNALLED.clear()
    before = {}
    for name in EXIT_SIGNAL:  # the signals that end a walk
        number = getattr(signal, name, None)
        if number is None:  # pragma: no cover - no SIGHUP on Windows
            continue
        try:
            before[number] = signal.signal(number, stop)
        except ValueError:  # not the main thread: leave signals alone
            break
    hook = sys.unraisablehook

    def unraisable(info: Any) -> None:
        # A signal that came while Python ran a callback it cannot raise from (a weak
        # reference's, the import lock's): Python would print "Exception ignored" and a
        # traceback and go on. It is recorded in _SIGNALLED and acted on below instead.
        if not isinstance(info.exc_value, _Stopped):
            hook(info)

    sys.unraisablehook = unraisable
    try:
        yield
    finally:
        sys.unraisablehook = hook
        for number, handler in before.items():
            signal.signal(number, handler)
    if _SIGNALLED:  # came where it could not stop the command: stop now that it is done
        click.echo("pacer: interrupted", err=True)
        sys.exit(128 + _SIGNALLED[0])


def _open_closed_streams() -> None:
    """Standard input, output or error closed when pacer started (``>&-``): give each
    /dev/null, so nothing pacer opens later takes its number and gets written to as
    if it were standard output, and output goes nowhere instead of failing."""
    for fd, name, mode in ((0, "stdin", "r"), (1, "stdout", "w"), (2, "stderr", "w")):
        try:
            os.fstat(fd)
        except OSError:
            try:
                opened = os.open(os.devnull, os.O_RDONLY if fd == 0 else os.O_WRONLY)
            except OSError:  # pragma: no cover - no /dev/null
                continue
            if opened != fd:
                os.dup2(opened, fd)
                os.close(opened)
            if getattr(sys, name) is None:
                setattr(sys, name, open(fd, mode, closefd=False))  # noqa: SIM115


def _flush_stdout() -> None:
    if sys.stdout is not None:  # None when pacer was started with standard output closed
        sys.stdout.flush()


def _output_failed(err: OSError, code: int = EXIT_RUNTIME) -> NoReturn:
    """The library says its own errors, so an OS error here is mostly the command's
    own output: standard output on a full disk, or a closed pipe."""
    _quiet_stdout()
    name = os.fsdecode(err.filename) if err.filename else ""
    if len(name) > 80:
        name = name[:40] + "…" + name[-39:]
    where = f"{name}: " if name else "cannot write the output: "
    _fail(f"{where}{_os_reason(err)}", code)


def _os_reason(err: OSError) -> str:
    import errno

    if err.errno in (errno.ENOSPC, errno.EDQUOT):
        return "the disk is full"
    if err.errno == errno.EPIPE:
        return "the reader closed the pipe"
    return err.strerror or str(err)


def _quiet_stdout() -> None:
    """Send what is left of standard output nowhere, so that exiting does not try
    (and fail) to write it again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):  # not a real file (tests)
        pass


_LIBRARY_NAMES = {"format_name": "format", "captions_path": "captions"}
"""Options whose parameter is named apart from the library's name for it."""


def _flags(group: click.Group) -> dict[str, str]:
    """The library's name of each setting -> the flag that sets it (``--spm``)."""
    found: dict[str, str] = {}
    for command in [group, *group.commands.values()]:
        for param in command.params:
            if isinstance(param, click.Option) and param.name:
                name = _LIBRARY_NAMES.get(param.name, param.name)
                found.setdefault(name, max(param.opts, key=len))
    return found


def _in_flags(err: SettingsError, group: click.Group) -> str:
    """A library error as the command line says it: a setting's name (``sample_rate:``)
    becomes its flag (``--rate:``); an error that names a file stays as it is."""
    message = str(err)
    flag = _flags(group).get(err.setting) if err.setting else None
    if flag is not None and message.startswith(f"{err.setting}: "):
        return f"{flag}: {message[len(err.setting) + 2 :]}"
    return message


class _Stopped(KeyboardInterrupt):
    """SIGTERM or SIGHUP, handled as Ctrl-C is: clean up, then exit 128 + the signal."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


class _Held:
    """Signals caught by :func:`_stop_on_signals`: ``holding`` says whether one is
    only recorded (``first``) for the caller to act on between blocks."""

    def __init__(self) -> None:
        self.holding = False
        self.first = 0

    def check(self) -> None:
        """Stop now (raise :class:`_Stopped`) if a signal came while held, or came
        where raising could not stop the command (see :data:`_SIGNALLED`)."""
        first = self.first or (_SIGNALLED[0] if _SIGNALLED else 0)
        if first:
            raise _Stopped(first)


@contextlib.contextmanager
def _stop_on_signals() -> Iterator[_Held]:
    """While inside: SIGINT, SIGTERM and SIGHUP raise :class:`_Stopped` (so temporary
    files are removed on the way out). While ``holding`` is set they are only recorded:
    an exception raised inside a C library's callback (soundfile's encoders) would be
    lost there, so the caller checks between blocks instead."""
    import signal

    held = _Held()

    def stop(signum: int, _frame: object) -> None:
        if held.holding:
            held.first = held.first or signum
        else:
            _SIGNALLED.append(signum)
            raise _Stopped(signum)

    wanted = [getattr(signal, name) for name in EXIT_SIGNAL if hasattr(signal, name)]
    try:
        before = {signum: signal.signal(signum, stop) for signum in wanted}
    except ValueError:  # not the main thread: leave signals alone
        before = {}
    try:
        yield held
    finally:
        for signum, handler in before.items():
            signal.signal(signum, handler)


if TYPE_CHECKING:
    _ParamType = click.ParamType[Any, Any]
else:  # click before 8.5 has no type parameters here
    _ParamType = click.ParamType


class Bounded(_ParamType):
    """A number within one of :data:`pacer.session.LIMITS`, with plain-words errors."""

    def __init__(
        self, name: str, whole: bool | None = None, share: bool = False, zero: bool = False
    ) -> None:
        self.zero = zero  # 0 also, meaning none (as config.toml's look_back_every = 0)
        self.limit = LIMITS[name]
        self.whole = self.limit.whole if whole is None else whole
        self.name = "integer" if self.whole else "number"
        self.share = share  # also a share of your own cadence: "110%"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        limit = self.limit
        if self.share and isinstance(value, str) and value.strip().endswith("%"):
            from .session import cadence_share

            try:
                cadence_share(value)
            except SettingsError as err:
                self.fail(err.detail.removeprefix(f"{err.setting}: "), param, ctx)
            return value.strip()
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            number: float = value
        else:
            text = str(value).strip()
            digits = text.lstrip("+-")
            if digits.isdigit() and len(digits) > 18:  # beyond every range, however long
                unit = f" {limit.unit}" if limit.unit else ""
                self.fail(
                    f"a {len(digits)}-digit number is not in the range "
                    f"{limit.low:g}<=x<={limit.high:g}{unit}.",
                    param,
                    ctx,
                )
            try:
                number = int(text) if self.whole else float(text)
            except ValueError:
                kind = "a whole number" if self.whole else "a number"
                self.fail(f"{_shown(text)} is not {kind}; use {limit.describe()}.", param, ctx)
        if self.zero and number == 0:
            return 0
        try:
            checked: float = limit.check(number)
        except SettingsError as err:
            self.fail(err.detail.removeprefix(f"{err.setting}: "), param, ctx)
        return checked

    def get_metavar(self, param: click.Parameter, ctx: click.Context | None = None) -> str:
        share = "|N%" if self.share else ""
        return f"{self.limit.low:g}-{self.limit.high:g}{share}"


class WalkId(_ParamType):
    """A walk's id, as ``pacer history`` lists it: a whole number from 1."""

    name = "walk id"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, int) and not isinstance(value, bool):
            text, number = str(value), value
        else:
            text = str(value).strip()
            digits = text.removeprefix("+")
            if digits.isdigit() and len(digits) > 19:  # beyond every id, however long
                self.fail(
                    f"a {len(digits)}-digit number is not in the range of walk ids (the "
                    "numbers pacer history shows in its id column)",
                    param,
                    ctx,
                )
            number = int(digits) if digits.isdigit() else 0
        if not 1 <= number <= LIMITS["walk_id"].high:
            self.fail(
                f"{_shown(text)} is not a walk id; give the number pacer history shows "
                "in its id column (1 or more)",
                param,
                ctx,
            )
        return number

    def get_metavar(self, param: click.Parameter, ctx: click.Context | None = None) -> str:
        return "ID"


def _range(
    name: str, whole: bool | None = None, share: bool = False, zero: bool = False
) -> Bounded:
    return Bounded(name, whole, share, zero)


def _format_rates() -> str:
    """The rate each phone format gets when none is asked for, from the formats
    table: "22050 for .ogg and .mp3, 24000 for .opus"."""
    by_rate: dict[int, list[str]] = {}
    for fmt in FORMATS.values():
        if fmt.suggested_rate is not None:
            by_rate.setdefault(fmt.suggested_rate, []).append(f".{fmt.name}")
    return ", ".join(f"{rate} for {' and '.join(names)}" for rate, names in by_rate.items())


def session_options(command: F) -> F:
    """The options of every command that builds a session, defined once."""
    options = [
        click.option(
            "--spm",
            "steps_per_minute",
            type=_range("steps_per_minute", share=True),
            default=DEFAULTS.steps_per_minute,
            show_default=True,
            help=f"Steps per minute: the beat's rate ({DEFAULTS.steps_per_minute:g} is the "
            "slow pace advised for walking backwards), or a share of your own cadence as "
            "pacer tap recorded it: 110% is 10% faster.",
        ),
        click.option(
            "--minutes",
            type=_range("minutes"),
            default=DEFAULTS.minutes,
            show_default=True,
            help="Length of the walk. {}-{} is advised for backward walking; ".format(
                *RECOMMENDED_MINUTES
            )
            + "outside that pacer notes it but does as asked.",
        ),
        click.option(
            "--ramp-to",
            type=_range("steps_per_minute"),
            default=None,
            metavar="SPM",
            help="Glide the beat linearly to this rate by the end of the walk.",
        ),
        click.option(
            "--sound",
            type=click.Choice(list(SOUNDS)),
            default=DEFAULTS.sound,
            show_default=True,
            help="The beat sound: " + "; ".join(SOUNDS.values()) + ".",
        ),
        click.option(
            "--accent",
            "accent_every",
            type=_range("accent_every", whole=True),
            default=None,
            metavar="N",
            help="Accent every Nth beat (a higher knock). Off by default.",
        ),
        click.option(
            "--alternate-feet",
            is_flag=True,
            help="Lean each beat slightly to its foot's ear, left foot first; with --sound "
            "step each foot has its own footfall, heard only in its own ear.",
        ),
        click.option(
            "--look-back-every",
            type=_range("look_back_every", whole=True, zero=True),
            default=DEFAULTS.look_back_every,
            show_default=True,
            metavar="STEPS",
            help="Steps between look-back cues: left shoulder, then right, "
            "alternating. 20 backward steps are about 7 m; 0 for none (as "
            "look_back_every = 0 in config.toml).",
        ),
        click.option("--no-look-back", is_flag=True, help="No look-back cues."),
        click.option(
            "--look-back",
            type=click.Choice(list(LOOK_BACK_MODES)),
            default=None,
            help="How to look back: 'walk' looks while walking, as the guidance "
            "describes; 'stop' says \"stop\", rests the beat about "
            f"{LOOK_BACK_REST_SECONDS:g} s while you look "
            'back over the shoulder named, then "walk on" (safer if turning your head '
            f"makes you unsteady). [default: {DEFAULTS.look_back}]",
        ),
        click.option(
            "--fade-beat/--steady-beat",
            default=False,
            help="Fade the beat in the walk, to learn to keep the rhythm without it: "
            f"after {FADE_ON_BEATS} beats it drops out for {FADE_OFF_BEATS[0]}, then "
            f"{', '.join(map(str, FADE_OFF_BEATS[1:-1]))} and {FADE_OFF_BEATS[-1]} beats, "
            "and comes back exactly on time; cues still come. [default: steady]",
        ),
        click.option(
            "--rate",
            "sample_rate",
            type=_range("sample_rate", whole=True),
            default=None,
            metavar="HZ",
            help=f"Sample rate. [default: {DEFAULTS.sample_rate}; {_format_rates()}]",
        ),
        click.option(
            "--volume",
            type=_range("volume"),
            default=DEFAULTS.volume,
            show_default=True,
            metavar="PERCENT",
            help="Loudness; at 100 nothing goes above -1 dBFS.",
        ),
        click.option(
            "--voice",
            type=click.Choice(VOICES),
            default=None,
            help="Speak the cues in English or Mandarin Chinese, or 'none' for short tunes "
            "only. [default: from your locale: zh for Chinese, else en]",
        ),
        click.option(
            "--preset",
            default=None,
            metavar="NAME|FILE.toml",
            help=f"The walk to build on: {', '.join(BUILT_IN)}, one of your presets, or a "
            f"preset file (see pacer presets). [default: {DEFAULTS.preset}]",
        ),
        click.option(
            "--route-metres",
            type=_range("route_metres"),
            default=None,
            metavar="M",
            help="Length of your route: 'turn around' each time you have covered it "
            "(steps x step length).",
        ),
        click.option(
            "--step-length",
            type=_range("step_length"),
            default=None,
            metavar="M",
            help="Your step length for --route-metres. [default: "
            f"{STEP_LENGTH['backward']:g} walking backwards, "
            f"{STEP_LENGTH['back-pain']:g} forwards]",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _recorded_cadence(journal: str | None) -> Callable[[], float | None]:
    """A function that finds the cadence recorded last in the journal (``None``: none
    recorded, or no journal yet); it reads the journal only when called."""

    def find() -> float | None:
        from pathlib import Path

        from .journal import Journal, default_path

        path = Path(journal or os.environ.get("PACER_JOURNAL") or default_path())
        if not path.exists():
            return None
        with Journal(path) as book:
            found = book.latest_cadence()
        return None if found is None else found.steps_per_minute

    return find


def build_session(
    params: dict[str, Any],
    sample_rate: int | None = None,
    overrides: dict[str, Any] | None = None,
    journal: str | None = None,
) -> Session:
    """The session the options describe (:func:`pacer.config.session_from`: the chosen
    preset, the user's config.toml under what was typed, the route); prints the
    session's notes.

    ``sample_rate`` is the rate to use when none was asked for (a phone format's)."""
    from .config import session_from

    ctx = click.get_current_context()
    given: dict[str, Any] = {}
    for key in SESSION_KEYS:
        source = ctx.get_parameter_source(key)
        if source is not None and source.name in ("COMMANDLINE", "ENVIRONMENT"):
            given[key] = params[key]
    given.update(overrides or {})
    if given.get("no_look_back") and given.get("look_back") == "stop":
        raise click.UsageError(
            "--look-back stop stops to look back and --no-look-back has no look-backs: "
            "give one, not both"
        )
    if given.pop("no_look_back", False):
        given["look_back_every"] = 0
    fallback = {"sample_rate": sample_rate} if sample_rate is not None else None
    preset = given.pop("preset", None)
    find = _recorded_cadence(journal)
    used: list[float | None] = []

    def cadence() -> float | None:
        used.append(find())
        return used[-1]

    session = session_from(preset, fallback=fallback, cadence=cadence, **given)
    if used and used[-1] is not None:
        session = _within_ceiling(session, preset, used[-1])
    if (session.phrases or session.reminders) and session.voice != "none":
        from .tts import NO_ENGINE_ADVICE, NO_ENGINE_ADVICE_ZH, engine_for

        if engine_for(session.voice) is None:
            _note(NO_ENGINE_ADVICE_ZH if session.voice == "zh" else NO_ENGINE_ADVICE)
        else:
            from .tts import cache_problem

            problem = cache_problem()
            if problem is not None:
                _note(problem)
    _HELD_NOTES.extend(session.notes)  # said when the command has done its work
    return session


def _within_ceiling(session: Session, preset: str | None, cadence: float) -> Session:
    """A pace given as a share of the walker's cadence that comes out above the
    programme's ceiling (its plan's ``max_steps_per_minute``) is capped there, with a
    note: a share of a forward cadence is no pace for walking backwards, and a walker
    who means to go faster gives the number."""
    from dataclasses import replace

    from .config import load_config, load_plan
    from .session import pace_text

    name = preset or str(load_config().defaults.get("preset") or "backward")
    try:
        plan = load_plan(name)
    except SettingsError:
        return session
    if plan is None:  # a preset file without a [plan]: no ceiling of its own
        return session
    ceiling = plan.max_steps_per_minute
    index = session.main_index
    if index is None:
        return session
    main = session.phases[index]
    pace = main.steps_per_minute
    if pace is None or pace <= ceiling:
        return session
    _note(
        f"{pace_text(pace)} steps/min ({pace / cadence:.0%} of your recorded cadence, "
        f"{pace_text(cadence)}) is above the {name} programme's ceiling, "
        f"{pace_text(ceiling)} steps/min: walking at {pace_text(ceiling)}; to walk faster "
        f"on purpose give the number (--spm {pace_text(pace)})"
    )
    ramp = main.ramp_to if main.ramp_to is None else min(main.ramp_to, ceiling)
    phases = list(session.phases)
    phases[index] = replace(main, steps_per_minute=ceiling, ramp_to=ramp)
    return session.with_changes(phases=tuple(phases))


def _option_names(options: Callable[[F], F]) -> tuple[str, ...]:
    probe = click.command()(options(lambda **kwargs: None))  # type: ignore[arg-type]
    return tuple(param.name for param in probe.params if param.name)


SESSION_KEYS = _option_names(session_options)
"""The parameters of :func:`session_options`, as click names them."""


def _pop_session_params(kwargs: dict[str, Any]) -> dict[str, Any]:
    return {key: kwargs.pop(key) for key in SESSION_KEYS}


_MAIN_HELP = f"""pacer paces a walk through earbuds: a steady step beat, and cues on the beat.

    The default walk is backward walking: {DEFAULTS.minutes:g} minutes at
    {DEFAULTS.steps_per_minute:g} steps a minute, told to look back over the left
    shoulder, then the right, in the matching ear, with halfway and minutes-left cues
    and a clear end.

    \b
    pacer walk              walk now, live through earbuds
    pacer render walk.ogg   the same walk as a file for a phone
    pacer show              the walk's timeline, without sound

    pacer gives pacing and reminders, not medical advice. Wear flat shoes and walk
    backwards only on a flat, straight path with no crowds.
    """


@click.group(
    cls=PacerGroup, help=_MAIN_HELP, context_settings={"help_option_names": ["-h", "--help"]}
)
@click.version_option(__version__, prog_name="pacer")
def main() -> None:
    """The command line (its help is :data:`_MAIN_HELP`, from the defaults)."""


def _progress_bar(total: int, enabled: bool) -> Any:
    if not enabled:
        return None
    return click.progressbar(
        length=total, label="Rendering", file=sys.stderr, show_percent=True, show_eta=True, width=30
    )


@main.command()
@click.argument("file", type=click.Path(dir_okay=True, writable=False, allow_dash=False))
@session_options
@click.option(
    "--format",
    "format_name",
    type=click.Choice(list(FORMATS)),
    default=None,
    help="File format, when the extension does not say it.",
)
@click.option(
    "--cues",
    "captions_path",
    type=click.Path(dir_okay=False),
    default=None,
    metavar="FILE.lrc|FILE.srt",
    help="Also write each cue's words at its time, for a phone player to show.",
)
@click.option("-q", "--quiet", is_flag=True, help="No progress bar and no summary.")
def render(
    file: str, format_name: str | None, captions_path: str | None, quiet: bool, **kwargs: Any
) -> None:
    """Write the walk to an audio FILE (.wav, .flac, .ogg, .opus or .mp3).

    For a phone, .ogg is small and quick to make (about 2 MB for 30 minutes).
    The file appears only when complete; an earlier file of the same name is
    replaced only then.
    """
    from .output import file as output_file
    from .voice import prepare

    if file == "-":
        raise SettingsError(
            "FILE: '-' is not a file name here; pacer render writes a file (to send "
            "the walk to standard output, give /dev/stdout with --format wav)"
        )
    if captions_path == "":
        raise SettingsError("--cues: '' is not a file name; give a .lrc or .srt file name")
    target = output_file.check_target(file)
    fmt = output_file.format_for(file, format_name)
    cues = None if captions_path is None else output_file.check_target(captions_path)
    if captions_path is not None and not captions_path.lower().endswith((".lrc", ".srt")):
        raise SettingsError(f"--cues: {captions_path}: use a .lrc or .srt file name")
    params = _pop_session_params(kwargs)
    from .config import config_path, preset_file

    output_file.check_distinct(
        {"FILE": file, "--cues": captions_path} if captions_path else {"FILE": file},
        {"--preset": preset_file(params["preset"]), "config.toml": config_path()},
    )
    output_file.check_replaceable(target)
    if cues is not None:
        output_file.check_replaceable(cues, audio=False)
    session = build_session(params, sample_rate=fmt.suggested_rate)
    done_before = 0
    bar: Any = None
    written = False
    held = _Held()

    def progress(done: int, _total: int) -> None:
        nonlocal done_before
        held.check()  # a signal that came while a block was written
        if bar is not None:
            bar.update(done - done_before)
            done_before = done

    try:
        # SIGINT, SIGTERM and SIGHUP end a render with nothing half-made left; while the
        # file is written they are held and acted on between blocks, up to the moment
        # the finished file replaces an older one.
        with _stop_on_signals() as held:
            prepared = _hold_unsaid(prepare(session))
            bar = _progress_bar(prepared.schedule.length, not quiet and sys.stderr.isatty())
            held.check()  # one that came where it could not be raised
            held.holding = True
            if bar is not None:
                with bar:
                    result = output_file.render(
                        prepared, file, format=format_name, progress=progress, captions=cues
                    )
            else:
                result = output_file.render(
                    prepared, file, format=format_name, progress=progress, captions=cues
                )
            held.holding = False
            written = True
            held.check()  # came after the files were in place: they are complete
    except KeyboardInterrupt as err:
        signum = getattr(err, "signum", 0)
        code = 128 + signum if signum else EXIT_INTERRUPTED
        both = f"{file} and {captions_path} were" if captions_path else f"{file} was"
        if written:
            _fail(f"interrupted; {both} written in full", code)
        unwritten = (
            f"neither {file} nor {captions_path} was" if captions_path else f"{file} was not"
        )
        _fail(f"interrupted; {unwritten} written", code)
    if not quiet:
        info = result.summary
        from .cadence import beats as heard_beats

        heard = sum(1 for _ in heard_beats(prepared.session))
        steps = count(info.beats, "beat")
        if heard != info.beats:  # rests to look back, a fading beat: say what sounds
            steps = f"{count(info.beats, 'step')}, {count(heard, 'beat')} heard"
        click.echo(
            f"Wrote {result.path}: {_clock(info.seconds)} long, {steps}, "
            f"{count(info.cues, 'cue')}, {_size(result.bytes)} "
            f"({fmt.name.upper()}, {session.sample_rate} Hz stereo)."
        )


def _clock(seconds: float) -> str:
    from .display import clock

    return clock(seconds)


def _size(n: int) -> str:
    for unit in ("bytes", "kB", "MB", "GB"):
        if n < 1000 or unit == "GB":
            return f"{n} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1000  # type: ignore[assignment]
    return f"{n}"  # pragma: no cover


@main.command()
@session_options
@click.option("--beats", "with_beats", is_flag=True, help="List every beat too.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
def show(with_beats: bool, as_json: bool, **kwargs: Any) -> None:
    """Print the walk's timeline (phases and cues with their times), without sound."""
    from . import display
    from .voice import prepare

    session = build_session(_pop_session_params(kwargs))
    prepared = _hold_unsaid(prepare(session))
    if as_json:
        click.echo(json.dumps(display.as_json(prepared, with_beats), indent=1))
        return
    info = prepared.schedule.summary()
    click.echo(
        f"{prepared.session.describe()}, {session.sound} beat; {count(info.beats, 'step')}, "
        f"{count(info.cues, 'cue')}, {display.clock(info.seconds)} in all"
    )
    rows = display.as_rows(prepared, with_beats)
    width = max(len(r[0]) for r in rows)
    kind_width = max(len(r[1]) for r in rows)
    click.echo(f"{'time':>{width}}  {'cue':<{kind_width}}  what")
    for time_text, kind, text in rows:
        click.echo(f"{time_text:>{width}}  {kind:<{kind_width}}  {text}")


PRECAUTIONS = "Flat shoes (no heels), and a flat, straight path with no crowds."


def journal_option(command: F) -> F:
    """``--journal PATH``, for every command that reads or writes the journal."""
    return click.option(
        "--journal",
        type=click.Path(dir_okay=False),
        default=None,
        envvar="PACER_JOURNAL",
        help="The journal file. [default: journal.sqlite3 in your data folder; env PACER_JOURNAL]",
    )(command)


def pain_options(asked: str) -> Callable[[F], F]:
    """``--pain-before`` and ``--pain-after`` (0-10), for walk and log."""

    def decorate(command: F) -> F:
        for when in ("after", "before"):
            command = click.option(
                f"--pain-{when}",
                type=_range("pain", whole=True),
                default=None,
                metavar="0-10",
                help=f"Your pain {when} the walk{asked}.",
            )(command)
        return command

    return decorate


def _asks_pain(preset: str, session: Session) -> bool:
    """Whether config.toml's ``ask_pain`` asks about pain in this walk."""
    from .config import asks_pain, load_defaults

    return asks_pain(load_defaults().get("ask_pain", "always"), preset, session)


def _config_engine() -> str:
    """config.toml's ``engine``, checked, else ``miniaudio``."""
    from .config import PresetError, config_path, load_defaults

    engine = load_defaults().get("engine", "miniaudio")
    if engine not in ENGINES:
        raise PresetError(
            f"{config_path()}: [defaults] engine: {engine!r} is not an engine; "
            f"use one of {', '.join(ENGINES)}",
            "engine",
        )
    return str(engine)


def _not_yet_there(path: str | None) -> list[Path]:
    """The journal file at ``path`` (``None``: the default one) and the folders above it
    that are not there yet, deepest first: what opening it makes."""
    from pathlib import Path

    from .journal import default_path

    target = Path(path) if path is not None else default_path()
    if str(path) == ":memory:":
        return []
    missing: list[Path] = []
    for place in [target, *target.parents]:
        if os.path.lexists(place):
            break
        missing.append(place)
    return missing


def _take_back(made: list[Path]) -> None:
    """Remove what opening a journal made (:func:`_not_yet_there`), and the files SQLite
    keeps beside it: a walk cancelled before it began leaves nothing behind."""
    from pathlib import Path

    for place in made:
        with contextlib.suppress(OSError):
            if place is made[0]:
                for side in ("", "-journal", "-wal", "-shm"):
                    Path(f"{place}{side}").unlink(missing_ok=True)
            else:
                place.rmdir()


def _open_journal(path: str | None) -> Any:
    from .journal import Journal

    return Journal(path)


def _preset_name(params: dict[str, Any]) -> str:
    from .config import load_defaults

    name = params.get("preset")  # a blank --preset is refused, not the default
    if name is None:
        name = load_defaults().get("preset") or DEFAULTS.preset
    return str(name)


def _programme(preset: str) -> str:
    """The programme a walk on ``preset`` is recorded under, however it was spelled
    (:func:`pacer.config.preset_identity`)."""
    from .config import preset_identity

    return preset_identity(preset)


def _under_programmes(entries: list[Any]) -> list[Any]:
    """``entries`` each under its programme's name (:func:`_programme`), so walks on
    one preset file recorded under two spellings are drawn and counted as one."""
    from dataclasses import replace

    names = {e.preset: _programme(e.preset) for e in entries}
    return [
        e if names[e.preset] == e.preset else replace(e, preset=names[e.preset]) for e in entries
    ]


def _journal_target(path: str | None) -> Any:
    from pathlib import Path

    from .journal import default_path

    return Path(path) if path is not None else default_path()


def _no_journal_yet(path: str | None) -> bool:
    """Whether there is no journal at ``path`` to read: no file, or an empty one (as
    SQLite leaves a file it was asked to open and never wrote)."""
    if path == ":memory:":
        return False
    target = _journal_target(path)
    if not os.path.lexists(target):
        return True
    try:
        return bool(target.is_file() and target.stat().st_size == 0)
    except OSError:
        return False


@contextlib.contextmanager
def _reading_journal(path: str | None) -> Iterator[Any]:
    """The journal for a command that only reads it, or ``None`` when there is no
    journal yet (no file, or an empty one): reading never creates one (nor its
    folder), nor writes into an empty file."""
    from .journal import Journal

    target = _journal_target(path)
    if _no_journal_yet(path):
        if path is not None or target.parent.is_dir():
            Journal._check_file(target, own_folder=False)  # a mistaken path, said as ever
        yield None
        return
    with _open_journal(path) as book:
        yield book


def _planned(walks: list[Any], preset: str) -> Any:
    """The next ``preset`` walk after ``walks`` (:func:`pacer.plan.planned_walk`): the
    walker's walks on every programme count, kept ones too (:func:`_with_kept`); an
    unknown preset is a usage error."""
    from .plan import planned_walk

    return planned_walk(walks, preset, date.today())


def _with_kept(book: Any, path: str | None) -> tuple[list[Any], list[Any]]:
    """Every walk: the journal's and the walks kept for it that it could not take, in
    the order walked (:func:`pacer.journal.every_walk`), or with no journal yet the
    walks kept for one there; and those kept walks."""
    from .journal import every_walk, kept_walks

    if book is not None:
        return every_walk(book)
    if path == ":memory:":
        return [], []
    kept = kept_walks(_journal_target(path))
    return kept, kept


def _kept_words(kept: list[Any], counted: str) -> str:
    """The line that says walks kept beside the journal are not in it yet."""
    from .journal import fallback_kept_path

    count = len(kept)
    walks = f"{count} walk{'s' if count != 1 else ''}"
    where = "beside the journal or in " + str(fallback_kept_path())
    return (
        f"{walks} kept {where} when the journal could not take "
        f"{'it' if count == 1 else 'them'} {'is' if count == 1 else 'are'} not yet in the "
        f"journal: {counted}; the next pacer log or pacer walk records "
        f"{'it' if count == 1 else 'them'}."
    )


def _on_terminal() -> bool:
    """True when a person can answer a question here."""
    return sys.stdin.isatty() and sys.stdout.isatty()


def _ask_pain(question: str) -> int | None:
    """Ask for a pain score until it is 0-10 or blank (skipped). Ctrl-C or the end of
    input raises :class:`click.Abort`: the caller decides what cancelling means."""
    import re

    try:  # arrow keys move in the line, instead of echoing as ^[[A into the answer
        import readline
    except ImportError:  # pragma: no cover - Python built without it, Windows
        readline = None  # type: ignore[assignment]
    while True:
        answer = click.prompt(question, default="", show_default=False, err=False)
        if readline is not None:
            readline.clear_history()  # up at the next question recalls no answer
        # What readline did not take of an arrow or other special key is no answer.
        text = re.sub(r"\x1b(\[[0-9;?]*[ -/]*[@-~]|O.|.)?", "", str(answer)).strip()
        if not text:
            return None
        if text.isdigit() and 0 <= int(text) <= 10:
            return int(text)
        click.echo(f"{text!r} is not a number from 0 to 10; Enter skips.")


def _paces(walked: Any) -> str:
    """The main walk's pace as walked: ``"60"``, or ``"60→62"`` when keys changed it."""
    a, b = pace_text(walked.steps_per_minute_start), pace_text(walked.steps_per_minute_end)
    return a if a == b else f"{a}→{b}"


def _summary(how: str, session: Session, walked: Any) -> str:
    """The line that sums up a walk: what the journal records of it, in the same
    figures (the main walk's minutes walked of those planned, and its pace at its
    first and last step), and the time and steps of the whole programme."""
    from .display import clock

    steps = count(walked.steps, "step")
    main = f"{clock(walked.main_seconds, 0)} of {clock(walked.main_planned, 0)}"
    pace = ""
    if walked.steps_per_minute_start is not None:
        pace = f" at {_paces(walked)} steps/min"
    if session.main_index is None or len(session.phases) == 1:  # the walk is the main walk
        return f"Walk {how}: {main} walked, {steps}{pace}."
    if not walked.main_seconds:
        main = "not begun"
    return f"Walk {how}: {clock(walked.seconds, 0)} in all; the main walk {main}{pace}; {steps}."


_NUMBER = re.compile(r"\d[\d:.,]*(?: [a-z/]+)*")
"""A number and the words of its unit ("12 s left", "0:12 walked", "60 steps/min"): a
status line cut to fit a narrow terminal never cuts one."""


def _status_line(status: Any, spm: float | None, device: str, width: int) -> str:
    import math

    from .display import clock

    state = "PAUSED " if status.paused else "RESUMING " if status.resuming else ""
    # Walked counts up by whole seconds, and what is left is the rest of the (rounded)
    # whole: the two always add up to the same time.
    walked = math.floor(status.elapsed + 1e-9)
    left = max(0, round(status.elapsed + status.remaining) - walked)
    times = [f"{clock(walked, 0)} walked", f"{clock(left, 0)} left"]
    place = status.place
    stretch: list[str] = []  # a phase with no beat: what the walker does, then its name
    then: list[str] = []
    if spm:
        middle = [f"{pace_text(spm)} steps/min"]
    elif place.phase:  # a phase with no beat: a held stretch, or a pause to drink
        side = f", {place.side} leg" if place.side else ""
        seconds = math.ceil(place.left - 1e-9)  # counted down to 1, as a timer is
        doing, short = {
            "position": (
                f"get into position, the hold begins in {seconds} s",
                f"hold in {seconds} s",
            ),
            "hold": (f"hold, {seconds} s left", f"{seconds} s left"),
            "release": ("release", "release"),
        }.get(place.stretch or "", (f"{seconds} s left", f"{seconds} s left"))
        middle = [f"{place.phase}{side}: {doing}"]
        stretch = [doing, short, f"{place.phase}{side}"]
        if place.next_walk and place.next_steps_per_minute:
            then = [f"then {place.next_walk} at {pace_text(place.next_steps_per_minute)} steps/min"]
    else:
        middle = ["no beat"]
    rest = [count(status.steps, "step")]
    if status.next_cue and status.next_cue_in is not None:
        # Counted down to 1, as a timer is: never "next in 0 s" with the cue yet to come.
        due = max(1, math.ceil(status.next_cue_in - 1e-9))
        rest.append(f"next in {due} s: {status.next_cue}")
    rest.append(device)
    whole = _fitted(state + " | ".join([*times, *middle, *then, *rest]), width)
    if not stretch or middle[0] in whole:
        return whole
    # Too narrow for the stretch's part, where it stands: what the walker does and the
    # seconds left come first (shorter, if need be), then its name, then the rest.
    doing, short, name = stretch
    for first in (doing, short):
        if _columns(state + first) <= width - 2:  # it, and "…" for what follows
            return _fitted(state + " | ".join([first, name, *times, *then, *rest]), width)
    return _fitted(state + short, width)  # it alone


def _columns(text: str) -> int:
    """The terminal columns ``text`` takes: two for a wide character (Chinese), none
    for a combining mark."""
    import unicodedata

    return sum(
        0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1
        for c in text
    )


def _fitted(line: str, width: int) -> str:
    """``line`` cut (with "…") to fewer columns than ``width``: a line as wide as the
    terminal would wrap, and ``\r`` could not draw over it again. A number is never
    cut: the cut comes before it (and its unit), and no separator is left hanging."""
    if _columns(line) < width:
        return line
    kept, used = 0, 0
    for c in line:
        used += _columns(c)
        if used > width - 2:
            break
        kept += 1
    for number in _NUMBER.finditer(line):
        if number.start() < kept < number.end():
            kept = number.start()
            break
    cut = line[:kept]
    if kept < len(line) and cut.endswith(" |"):
        cut = cut[:-2]
    cut = cut.rstrip(" |")
    return cut + "…" if width > 1 else ""


def _rows_above(line: str, width: int) -> int:
    """Rows a status line drawn on one row now takes above its last, once the terminal
    is ``width`` columns wide (a terminal made narrower wraps what it shows)."""
    return max(0, _columns(line) - 1) // max(1, width)


LOST_DEVICE_NOTE = "ended early: the audio device was lost and did not come back"
"""The journal's note on a walk a lost audio device ended."""

EXIT_SIGNAL = {"SIGINT": 130, "SIGTERM": 143, "SIGHUP": 129}
"""Exit codes of a walk ended by a signal (128 + the signal's number)."""


class _Signals:
    """While a walk plays, Ctrl-C (once or many times), SIGTERM and SIGHUP end it
    instead of killing pacer, so the walk is recorded and the terminal restored.
    ``first`` is the name of the first signal that came."""

    def __init__(self) -> None:
        self.first: str | None = None
        self.count = 0
        self.raising = False  # raise KeyboardInterrupt (to end a question)
        self._saved: list[tuple[int, Any]] = []

    def __enter__(self) -> _Signals:
        import signal

        for name in EXIT_SIGNAL:
            number = getattr(signal, name, None)
            if number is None:  # pragma: no cover - no SIGHUP on Windows
                continue
            self._saved.append((number, signal.getsignal(number)))
            signal.signal(number, self._caught)
        return self

    def _caught(self, number: int, frame: object) -> None:
        import signal

        self.count += 1
        if self.first is None:
            self.first = signal.Signals(number).name
        if self.raising:
            raise KeyboardInterrupt

    def __exit__(self, *exc: object) -> None:
        import signal

        for number, handler in self._saved:
            signal.signal(number, handler)


class _Suspension:
    """While a walk plays: Ctrl-Z (SIGTSTP) is ``asked``, and pacer stops itself when
    the walk is paused (:meth:`stop`); SIGCONT (after ``fg``, or a ``kill -STOP``
    pacer cannot catch) sets ``continued``."""

    def __init__(self) -> None:
        self.asked = False
        self.continued = False
        self._saved: list[tuple[int, Any]] = []

    def __enter__(self) -> _Suspension:
        import signal

        for name in ("SIGTSTP", "SIGCONT"):
            number = getattr(signal, name, None)
            if number is None:  # pragma: no cover - Windows
                continue
            self._saved.append((number, signal.getsignal(number)))
            signal.signal(number, self._caught)
        return self

    def _caught(self, number: int, frame: object) -> None:
        import signal

        if number == signal.SIGCONT:
            self.continued = True
        else:
            self.asked = True

    def stop(self) -> None:
        """Stop pacer as Ctrl-Z would have; returns once it is continued."""
        import signal

        self.asked = False
        os.kill(os.getpid(), signal.SIGSTOP)

    def __exit__(self, *exc: object) -> None:
        import signal

        for number, handler in self._saved:
            signal.signal(number, handler)


@contextlib.contextmanager
def _signal_exit_code(signals: _Signals) -> Iterator[None]:
    """A walk a signal ended exits 128 + that signal whatever else goes wrong on the way
    out (the journal cannot take the walk, nor anywhere keep it, the output is
    closed): the failure is said in its one line, and the exit code is the signal's."""
    try:
        yield
    except (PacerError, OSError) as err:
        if signals.first is None:
            raise
        code = EXIT_SIGNAL[signals.first]
        if isinstance(err, OSError):
            _output_failed(err, code)
        _fail(str(err), code)


def _say(message: str, *, err: bool = False, nl: bool = True) -> bool:
    """Print; False when it cannot be written: the terminal is gone (a hang-up closed
    it), and what is left of standard output goes nowhere."""
    try:
        click.echo(message, err=err, nl=nl)
    except OSError:
        if not err:
            _quiet_stdout()
        return False
    return True


class WalkCommand(click.Command):
    """``pacer walk``, whose help lists the keys from :data:`pacer.keys.KEYS`."""

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        super().format_help_text(ctx, formatter)
        with formatter.section("Keys while walking"):
            formatter.write_dl(list(KEYS.items()))


def _keys_line() -> str:
    return "Keys: " + "; ".join(f"{key} {what}" for key, what in KEYS.items()) + "."


@main.command(cls=WalkCommand)
@session_options
@click.option(
    "--engine",
    type=click.Choice(ENGINES),
    default=None,
    help="How sound is played: miniaudio streams on the device's clock; null "
    "plays nothing at the same pace (a dry run); simpleaudio is an "
    "optional extra that plays whole buffers. [default: config.toml's engine, else miniaudio]",
)
@click.option(
    "--device",
    default=None,
    metavar="NAME|NUMBER",
    help="The output device, by number or part of its name (see pacer devices). "
    "[default: the system's default output]",
)
@click.option(
    "--keep-alive/--no-keep-alive",
    default=True,
    show_default=True,
    help="Play an inaudible noise bed so Bluetooth earbuds never fall asleep between beats.",
)
@click.option(
    "-q", "--quiet", is_flag=True, help="No status line, no note on the session and no summary."
)
@click.option(
    "--plan",
    is_flag=True,
    help="Walk the length pacer next suggests from your journal (see pacer next).",
)
@pain_options(" (else asked on a terminal, in the walks config.toml's ask_pain names; Enter skips)")
@click.option("--no-journal", is_flag=True, help="Do not record this walk in the journal.")
@journal_option
def walk(
    engine: str | None,
    device: str | None,
    keep_alive: bool,
    quiet: bool,
    plan: bool,
    pain_before: int | None,
    pain_after: int | None,
    journal: str | None,
    no_journal: bool,
    **kwargs: Any,
) -> None:
    """Walk now: play the beat and cues live through earbuds. Ctrl-C ends the walk
    early too (the end tune still plays).

    With no audio output, pacer says so: write the walk to a file with pacer render
    instead and play it on a phone.
    """
    import shutil
    import threading
    import time

    from .keys import terminal_keys
    from .live import press
    from .output.device import PlayerEvent, open_engine, start
    from .voice import prepare

    params = _pop_session_params(kwargs)
    if plan and no_journal:
        raise click.UsageError(
            "--plan reads your journal and --no-journal leaves it out: pacer cannot plan "
            "without a journal"
        )
    minutes_source = click.get_current_context().get_parameter_source("minutes")
    if plan and minutes_source is not None and minutes_source.name == "COMMANDLINE":
        raise click.UsageError(
            "--plan walks the minutes your journal suggests; give --plan or --minutes, not both"
        )
    spm_source = click.get_current_context().get_parameter_source("steps_per_minute")
    if plan and spm_source is not None and spm_source.name == "COMMANDLINE":
        raise click.UsageError(
            "--plan walks the pace your journal suggests (pacer next); give --plan or "
            "--spm, not both"
        )
    journal_source = click.get_current_context().get_parameter_source("journal")
    if no_journal and journal_source is not None and journal_source.name == "COMMANDLINE":
        raise click.UsageError(
            f"--journal {journal} records the walk there and --no-journal records it "
            "nowhere: give one of them"
        )
    if not no_journal:
        from .journal import check_writable, default_path

        # A walk that could not be recorded is found before it starts, not after.
        check_writable(journal if journal is not None else default_path())
    engine = engine or _config_engine()
    made = [] if no_journal else _not_yet_there(journal)  # what opening it makes

    def opened() -> Any:
        book = _open_journal(journal)
        from .journal import JournalError

        try:
            # A journal that would refuse this walk's record (damaged walk text, an
            # odd value) is found before the walk starts, not after.
            book.check_sound()
        except JournalError as err:
            book.close()
            raise JournalError(f"{err}; or walk with --no-journal, without recording") from None
        _record_kept_walks(book)  # walks an earlier walk could not record (issue 9)
        return book

    # A journal not made yet is made once there is an output to walk with: a walk that
    # cannot start leaves nothing behind.
    later = not no_journal and journal != ":memory:" and _no_journal_yet(journal)
    book = None if no_journal or later else opened()
    overrides: dict[str, Any] = {}
    preset_name = _preset_name(params)
    if plan:
        from .plan import RULES, days_a_week, minutes_words

        # The minutes and pace pacer next suggests: the same journal, kept walks too,
        # the same rules.
        walks, _ = _with_kept(book, journal)
        planned = _planned(walks, preset_name)
        advice, pace, plan_note = planned.advice, planned.pace, planned.note
        overrides.update(planned.options)
        if not quiet:
            # The words pacer next says, each in brackets of its own, none in another.
            _say(
                f"Plan: {minutes_words(advice.minutes)}, {days_a_week(advice.days_per_week)}. "
                f"Rule {advice.rule} ({RULES[advice.rule]}): {advice.reason}."
            )
            if pace.steps_per_minute is not None:
                _say(f"Pace: {pace_text(pace.steps_per_minute)} steps/min ({pace.reason}).")
            if plan_note:
                _note(plan_note)
    session = build_session(params, overrides=overrides, journal=journal)
    if quiet:
        _HELD_NOTES.clear()  # quiet: a note about the session's length is not wanted
    _say_held_notes()  # before the walk, where the walker sees them
    # The walk as it will be walked (its stretches as long as their words): the line
    # that heads it gives the same length as pacer show.
    prepared = _hold_unsaid(prepare(session))
    if quiet:
        _HELD_NOTES.clear()
    _say_held_notes()
    tty = sys.stdout.isatty()
    asking = tty and sys.stdin.isatty() and not quiet
    # A terminal that can draw a status line over itself; TERM=dumb (an editor's shell,
    # a serial console) takes no escape codes: it gets plain lines, as a log does.
    screen = tty and os.environ.get("TERM") != "dumb"
    clear = "\r\x1b[K" if screen else ""  # the status line, cleared before a message
    # config.toml's ask_pain says in which walks a walker on a terminal is asked.
    asking_pain = asking and _asks_pain(preset_name, session)
    # Find the output first: with none, say so before asking the walker anything. It
    # plays silence until the walk starts, and reports its latency meanwhile.
    sound = open_engine(engine, session.sample_rate, device)
    if later:
        try:
            book = opened()
        except BaseException:
            sound.close()
            raise
    try:
        wait_ready = getattr(sound, "wait_ready", None)
        if wait_ready is not None:
            wait_ready(1.0)
        if not quiet:
            # Standard output is only the screen: one nobody reads (a pipe closed
            # already) is no reason not to walk, as when it closes mid-walk.
            _say(
                f"Walking: {prepared.session.describe()}. Output: {sound.description}, "
                f"latency about {sound.latency * 1000:.0f} ms."
            )
            if tty:  # on a terminal; a log gets one line at the start and one at the end
                _say(PRECAUTIONS)
        if pain_before is None and asking_pain and book is not None:
            try:
                pain_before = _ask_pain("Pain now, 0-10 (Enter to skip)")
            except click.Abort:
                click.echo("")
                book.close()
                _take_back(made)  # a journal opened for this walk alone: nothing is left
                click.echo("pacer: cancelled: nothing was played or recorded.", err=True)
                sys.exit(EXIT_INTERRUPTED)
    except BaseException:
        sound.close()
        raise
    # Keys are read (the terminal in cbreak mode) before the walker is told about them:
    # a key pressed the moment the Keys line shows is never echoed or lost.
    keys_mode = contextlib.ExitStack()
    try:
        keys = keys_mode.enter_context(terminal_keys())
        if not quiet and keys is not None:  # keys from a terminal, said once to a log too
            _say(_keys_line())
    except BaseException:
        keys_mode.close()
        sound.close()
        raise
    started = datetime.now().replace(microsecond=0)
    description = sound.description
    idle = threading.Event()
    shown = ""
    gone = False  # the terminal cannot be written (a hang-up closed it): print nothing more
    signals = _Signals()
    with (
        _signal_exit_code(signals),
        keys_mode,
        signals,
        start(prepared, sound, engine, keep_alive=keep_alive) as player,
    ):
        ending_since: float | None = None
        suspension = keys_mode.enter_context(_Suspension())
        while not player.finished:
            key = keys.read(0.25) if keys is not None else None
            if keys is None:
                idle.wait(0.25)
            if suspension.asked and signals.first is None:  # Ctrl-Z
                paused_before = player.walk.pausing  # or a pause just asked
                player.walk.pause()  # the walk waits, paused, while pacer is stopped
                if keys is not None:
                    keys.line_mode()  # the shell gets its terminal as it was
                if tty and not quiet and not gone:
                    gone = not _say(
                        clear + "Suspended: the walk is paused; after fg, space walks on."
                        if keys is not None
                        else clear + "Suspended: the walk is paused; it walks on by itself "
                        "when continued (no keys can be read to resume it)."
                    )
                suspension.stop()  # until fg (or kill -CONT)
                player.continued()  # the device's silence while stopped is no loss
                if keys is None and not paused_before:
                    player.walk.resume()  # no key could resume it
            if suspension.continued:  # after fg, or a kill -STOP and -CONT
                suspension.continued = False
                player.continued()
                if keys is not None:
                    keys.key_mode()  # the shell gave the terminal back in line mode
                shown = ""  # the status line drawn again
            if signals.first is not None:
                if ending_since is None:
                    ending_since = time.monotonic()
                    player.walk.stop()
                # Let the end tune ring out (at most 2 s); another Ctrl-C, or
                # SIGTERM/SIGHUP, stops waiting.
                if (
                    signals.count > 1
                    or signals.first != "SIGINT"
                    or time.monotonic() - ending_since > 2
                ):
                    break
            elif key is not None:
                press(player.walk, key)
            event = player.check()
            message = (
                {
                    PlayerEvent.LOST: "The audio device was lost: paused; waiting for it to "
                    "come back.",
                    PlayerEvent.BACK: "The audio device is back: resuming.",
                    PlayerEvent.GAVE_UP: "The audio device did not come back: the walk ends here.",
                }.get(event)
                if event is not None
                else None
            )
            if message is not None and not gone and (not quiet or event is PlayerEvent.GAVE_UP):
                # Over the status line: clear it first, so nothing of it is left after
                # the message; the status line is then drawn again below it.
                gone = not _say(clear + message, err=True)
                shown = ""
            if screen and not quiet and not gone:
                width = shutil.get_terminal_size().columns
                status = player.walk.status()
                line = _status_line(status, status.steps_per_minute, description, width)
                if line != shown:
                    # Made narrower, the terminal wrapped the line shown: clear all of it.
                    rows = _rows_above(shown, width)
                    up = f"\x1b[{rows}A\r\x1b[J" if rows else ""
                    gone = not _say(up + "\r" + line + "\x1b[K", nl=False)
                    shown = line
        keys_mode.close()  # the terminal reads lines again (the pain question)
        if signals.first is not None or player.gave_up:
            # Ended by a signal, perhaps before the device took the stop, or by a device
            # that is gone (nothing takes the stop): close it, and the walk ends where
            # the sound did, early.
            player.close()
            player.walk.pull(0)
        status = player.walk.status()
        interrupted = signals.first
        if screen and not quiet and shown and not gone:
            # A hang-up with the terminal still open: the walk is summed up on it.
            gone = not _say("\r\x1b[K", nl=False)
        how = "ended early" if status.ended_early else "complete"
        if status.dizzy:
            how = "ended early because you felt dizzy"
        if player.gave_up:
            how = "ended: the audio device was lost"
        # The walk's own session: its stretches last as long as they were said.
        walked_session = player.walk.session
        walked = player.walk.walked()
        summary = _summary(how, walked_session, walked)
        # A walker on a terminal sees the summary, then is asked about pain; a log gets
        # one closing line.
        if asking and not gone:
            gone = not _say(summary)
            if status.dizzy:
                _say("Stand still, and rest until the dizziness passes.")
        from .journal import record_walk, walker_ended, worth_recording

        # A walk the walker ended (q, Ctrl-C) within a minute was started by mistake; one
        # ended because the walker felt dizzy is always worth knowing about.
        by_walker = walker_ended(player) and interrupted in (None, "SIGINT")
        if book is not None and not worth_recording(status.elapsed / 60, by_walker):
            book.close()
            book = None
            summary += " Shorter than a minute and ended by you: not recorded in the journal."
            if asking and not gone:
                _say("Shorter than a minute and ended by you: not recorded in the journal.")
        if book is not None:
            if pain_after is None and asking_pain and interrupted is None:
                signals.raising = True  # a signal here cancels the question, not the record
                try:
                    pain_after = _ask_pain("Pain after the walk, 0-10 (Enter to skip)")
                except click.Abort:  # Ctrl-C, a signal or the end of input: no score
                    _say("")
                finally:
                    signals.raising = False
                interrupted = signals.first
            try:
                entry = record_walk(
                    book,
                    player.walk,
                    preset=preset_name,
                    started=started,
                    pain_before=pain_before,
                    pain_after=pain_after,
                    ended_by_walker=by_walker,
                    # Ended early, and why: not the walker's choice.
                    note=LOST_DEVICE_NOTE if player.gave_up else "",
                )
            except PacerError:
                # A log still gets the walk's closing line, then what went wrong.
                if not quiet and not asking and not gone:
                    _say(summary)
                raise
            finally:
                book.close()
            if entry is not None:  # always: worth recording, as found above
                summary += f" Recorded in the journal as walk {entry.id}."
                if asking and not gone:
                    _say(f"Recorded in the journal as walk {entry.id}.")
        if not quiet and not asking and not gone:
            _say(summary)
    if interrupted is not None:
        sys.exit(EXIT_SIGNAL[interrupted])
    if player.gave_up:
        sys.exit(EXIT_RUNTIME)


@main.command()
def devices() -> None:
    """List the audio output devices pacer can play to (for walk --device)."""
    from .output.device import list_devices

    found = list_devices()
    if not found:
        _fail(
            "no audio output devices were found; to walk with a phone, write the walk "
            "to a file: pacer render walk.ogg",
            EXIT_RUNTIME,
        )
    for device in found:
        mark = "  (default)" if device.is_default else ""
        click.echo(f"{device.index}: {device.name}{mark}")


CALIBRATION_SECONDS = 60
"""A calibration walk: a minute on the spot, tapping each step."""


@main.command()
@click.option(
    "--taps",
    type=click.IntRange(5, 100),
    default=20,
    show_default=True,
    help="How many steps to tap before pacer works out your cadence.",
)
@click.option(
    "--calibrate",
    is_flag=True,
    help="A calibration walk: walk on the spot for a minute, tapping each step, "
    "from the start tune and 'Let's begin' to the stop tune (no beat: it measures "
    "your own pace); the cadence is recorded in the journal.",
)
@click.option(
    "--save",
    is_flag=True,
    help="Record the cadence in the journal, as the base of --spm 110% (on a "
    "terminal pacer asks otherwise).",
)
@journal_option
def tap(taps: int, calibrate: bool, save: bool, journal: str | None) -> None:
    """Find your cadence: tap any key on each step while you walk on the spot.

    Enter or q finishes early. pacer prints your steps per minute (the median, so a
    missed tap does not matter) and the --spm to use. Recorded (--save, --calibrate,
    or when you say yes), it is the base of a pace like --spm 110%. A calibration
    walk is heard: a start tune and "Let's begin", and after the minute a stop tune
    and "Session complete" (config.toml's engine and voice).
    """
    import dataclasses
    import time

    from .keys import terminal_keys
    from .live import tap_cadence

    if save or calibrate:
        from .journal import check_writable, default_path

        check_writable(journal if journal is not None else default_path(), "tapping")
    with contextlib.ExitStack() as stack:
        keys = stack.enter_context(terminal_keys())
        if keys is None:
            _fail("pacer tap needs a terminal to read key presses from", EXIT_USAGE)
        announcer = None
        if calibrate:
            click.echo(
                "Walk on the spot for a minute and tap any key on each step "
                "(Enter or q to finish early)."
            )
            announcer = stack.enter_context(_calibration_sound())
        else:
            click.echo(f"Tap any key on each step ({taps} taps; Enter or q to finish early).")
        times: list[float] = []
        while calibrate or len(times) < taps:
            wait = 30.0
            if calibrate and times:
                wait = CALIBRATION_SECONDS - (time.monotonic() - times[0])
                if wait <= 0:
                    break
            key = keys.read(wait)
            if key is None:
                if calibrate and times:
                    continue  # the minute is up at the top of the loop
                break
            if key in ("enter", "q", "Q"):
                break
            times.append(time.monotonic())
            click.echo(f"\r{count(len(times), 'tap')}\x1b[K", nl=False)
        click.echo("")
        if announcer is not None:
            announcer.stop()
    try:
        result = tap_cadence(times)
    except PacerError as err:
        _fail(str(err), EXIT_USAGE)
    # Shown and recorded to a tenth: every later line (110% of it, pacer show, the
    # report) shows the same number.
    result = dataclasses.replace(result, steps_per_minute=round(result.steps_per_minute, 1))
    spm = LIMITS["steps_per_minute"]
    suggestion = min(spm.high, max(spm.low, result.steps_per_minute))
    click.echo(
        f"Your cadence: {pace_text(result.steps_per_minute)} steps/min "
        f"(middle half of your steps: {pace_text(result.low)}-{pace_text(result.high)}; "
        f"{count(result.taps, 'tap')})."
    )
    if suggestion == result.steps_per_minute:
        click.echo(f"Walk at it with: pacer walk --spm {pace_text(suggestion)}")
    else:  # never a command that walks at another pace than it says
        click.echo(
            f"pacer walks at {pace_text(spm.low)}-{pace_text(spm.high)} steps/min: it cannot "
            f"walk at {pace_text(result.steps_per_minute)}."
        )
    if not (save or calibrate) and sys.stdin.isatty() and sys.stdout.isatty():
        save = click.confirm(
            "Record it in the journal, as the base of paces like --spm 110%?", default=True
        )
    if save or calibrate:
        _record_cadence(journal, result, "calibration" if calibrate else "tap")


class _Calibration:
    """The calibration walk's sound: its start said at once, its stop on :meth:`stop`."""

    def __init__(self, announcer: Any, sounds: Any) -> None:
        import numpy as np

        from .live import PRE_ROLL_SECONDS

        self.announcer = announcer
        self.sounds = sounds
        # A moment of quiet first, so Bluetooth earbuds are awake for the start.
        quiet = round(PRE_ROLL_SECONDS * sounds.sample_rate)
        announcer.say(np.zeros((quiet, 2), dtype=np.float32))
        announcer.say(sounds.start)

    def stop(self) -> None:
        """Say the stop and let it play out (the walker hears it before the result)."""
        self.announcer.say(self.sounds.stop)
        self.announcer.wait(len(self.sounds.stop) / self.sounds.sample_rate + 2.0)


@contextlib.contextmanager
def _calibration_sound() -> Iterator[_Calibration | None]:
    """Open config.toml's engine for a calibration walk's start and stop; with no audio
    output the walk goes on silently, and the screen says so."""
    from .config import load_defaults
    from .errors import NoAudioOutputError
    from .live import Announcer, calibration_sounds
    from .output import device
    from .session import default_voice

    defaults = load_defaults()
    voice = str(defaults.get("voice") or default_voice())
    rate = int(defaults.get("sample_rate", DEFAULTS.sample_rate))
    sounds = calibration_sounds(voice, rate)
    try:
        engine = device.open_engine(_config_engine(), rate, None)
    except NoAudioOutputError:
        click.echo(
            "No audio output found, so no start and stop sounds: start now; pacer stops "
            "counting after a minute."
        )
        yield None
        return
    announcer = Announcer(rate)
    calibration = _Calibration(announcer, sounds)  # queued before the device pulls
    engine.start(announcer.pull_into)
    try:
        yield calibration
    finally:
        engine.close()


def _record_cadence(journal: str | None, result: Any, how: str) -> None:
    from .journal import Cadence

    book = _open_journal(journal)
    try:
        measured = datetime.now().replace(microsecond=0).isoformat()
        book.record_cadence(Cadence(measured, result.steps_per_minute, result.taps, how))
    finally:
        book.close()
    from .presets import PLANS
    from .session import LIMITS as limits

    faster = result.steps_per_minute * 1.1
    said = f"Recorded: your cadence is {pace_text(result.steps_per_minute)} steps/min; "
    spm = limits["steps_per_minute"]
    if not spm.low <= faster <= spm.high:
        click.echo(
            f"{said}110% of it, {pace_text(faster)} steps/min, is outside what pacer walks "
            f"({pace_text(spm.low)}-{pace_text(spm.high)}): --spm 110% would be refused."
        )
        return
    ceilings = ", ".join(
        f"{name} {pace_text(plan.max_steps_per_minute)}"
        for name, plan in PLANS.items()
        if plan.max_steps_per_minute < faster
    )
    click.echo(
        f"{said}--spm 110% is {pace_text(faster)} steps/min"
        + (f", or a programme's lower ceiling ({ceilings})." if ceilings else ".")
    )


@main.group("presets", invoke_without_command=True)
@click.pass_context
def presets_command(ctx: click.Context) -> None:
    """List the presets: built in, and yours (TOML files in your config folder)."""
    if ctx.invoked_subcommand is not None:
        return
    from .config import config_dir, preset_names

    rows = preset_names()
    width = max(len(name) for name, _, _ in rows)
    for name, description, where in rows:
        place = "" if where == "built in" else f"  ({where})"
        click.echo(f"{name:<{width}}  {description}{place}")
    click.echo(
        f"Your presets go in {config_dir() / 'presets'} as NAME.toml; "
        "start from: pacer presets show backward > mine.toml"
    )


@presets_command.command("show")
@click.argument("name")
def presets_show(name: str) -> None:
    """Print preset NAME as TOML, to save, edit and use with --preset FILE.

    Its [plan] table is how pacer next builds the walks up over the weeks; a copy
    keeps it. A preset file without one is planned like backward walking.
    """
    from .config import load_plan, load_preset, preset_toml

    click.echo(preset_toml(load_preset(name), name, plan=load_plan(name)), nl=False)


OLDEST_LOG_YEARS = 2
"""How far back ``pacer log --date`` goes: a mistyped year (2016 for 2026) would
otherwise stretch every chart over ten years."""


def _earliest_log_date(today: date) -> date:
    day = min(today.day, 28) if today.month == 2 else today.day
    return today.replace(year=today.year - OLDEST_LOG_YEARS, day=day)


@contextlib.contextmanager
def _walk_named(flag: str) -> Iterator[None]:
    """A walk id the journal does not have is a usage mistake of ``flag``."""
    from .journal import UnknownWalkError

    try:
        yield
    except UnknownWalkError as err:
        raise click.BadParameter(str(err), param_hint=f"'{flag}'") from None


def _yes_or_no(name: str, yes: str, no: str) -> Callable[[F], F]:
    """``--NAME`` and ``--not-NAME`` as two flags, so that giving both is refused."""
    key = name.replace("-", "_")

    def decorate(command: F) -> F:
        command = click.option(f"--not-{name}", f"not_{key}", is_flag=True, help=no)(command)
        return click.option(f"--{name}", key, is_flag=True, help=yes)(command)

    return decorate


def _either(name: str, yes: bool, no: bool) -> bool | None:
    """True for ``--NAME``, False for ``--not-NAME``, None for neither; both is refused."""
    if yes and no:
        raise click.UsageError(f"--{name} and --not-{name} say opposite things: give one")
    return True if yes else False if no else None


@main.command()
@click.option(
    "--id",
    "entry_id",
    type=WalkId(),
    default=None,
    help="Correct walk ID instead of adding.",
)
@click.option(
    "--delete",
    "delete_id",
    type=WalkId(),
    default=None,
    help="Delete walk ID from the journal (asks first on a terminal).",
)
@click.option("--yes", is_flag=True, help="Delete without asking (for scripts).")
@click.option(
    "--date",
    "when",
    default=None,
    metavar="YYYY-MM-DD[THH:MM]",
    help=f"When the walk started: not in the future, nor more than {OLDEST_LOG_YEARS} years "
    "ago. [default: now]",
)
@click.option(
    "--preset",
    default=None,
    help=f"Which walk it was (a preset pacer knows). [default: {DEFAULTS.preset}]",
)
@click.option("--minutes", type=_range("minutes"), default=None, help="Minutes walked.")
@click.option(
    "--planned",
    type=_range("minutes"),
    default=None,
    help="Minutes planned. [default: the minutes walked]",
)
@click.option("--spm", type=_range("steps_per_minute"), default=None, help="Steps per minute.")
@pain_options("")
@_yes_or_no(
    "ended-early",
    "The walk was cut short (it holds the plan back for its week).",
    "Correcting a walk: it was not cut short because of pain.",
)
@_yes_or_no(
    "dizzy",
    "The walk ended early because you felt dizzy (pacer next then treats it like a "
    "pain rise); implies --ended-early.",
    "Correcting a walk: it did not end because you felt dizzy.",
)
@_yes_or_no(
    "faded",
    "The beat faded during the walk (a file made with --fade-beat).",
    "Correcting a walk: its beat did not fade.",
)
@click.option("--note", default=None, help="A few words about the walk (kept on one line).")
@journal_option
def log(
    entry_id: int | None,
    delete_id: int | None,
    yes: bool,
    when: str | None,
    preset: str | None,
    minutes: float | None,
    planned: float | None,
    spm: float | None,
    pain_before: int | None,
    pain_after: int | None,
    ended_early: bool,
    not_ended_early: bool,
    dizzy: bool,
    not_dizzy: bool,
    faded: bool,
    not_faded: bool,
    note: str | None,
    journal: str | None,
) -> None:
    """Add a walk to the journal by hand (say, one walked with a file on a phone),
    correct one with --id, or delete one with --delete."""
    from .journal import Entry

    # None: not given; True or False: given.
    ended_early_given = _either("ended-early", ended_early, not_ended_early)
    dizzy_given = _either("dizzy", dizzy, not_dizzy)
    faded_given = _either("faded", faded, not_faded)
    started = None if when is None else _walk_date(when)
    note = None if note is None else _one_line(note)
    if dizzy_given and ended_early_given is False:
        raise click.UsageError("--dizzy means the walk ended early: not with --not-ended-early")
    if dizzy_given:
        ended_early_given = True
    values = {
        "started": started,
        "preset": preset,
        "walked_minutes": minutes,
        "planned_minutes": planned,
        "spm_start": spm,
        "spm_end": spm,
        "pain_before": pain_before,
        "pain_after": pain_after,
        "ended_early": ended_early_given,
        "dizzy": dizzy_given,
        "faded": faded_given,
        "note": note,
    }
    if delete_id is not None:
        if entry_id is not None or any(v is not None for v in values.values()):
            raise click.UsageError("--delete ID takes only --yes and --journal")
        _no_walk_without_a_journal(journal, "--delete", delete_id)
        with _open_journal(journal) as book, _walk_named("--delete"):
            _delete(book, delete_id, yes)
        return
    if yes:
        raise click.UsageError("--yes goes with --delete ID")
    if preset is not None:
        from .config import load_plan

        load_plan(preset)  # a preset pacer does not know is refused here
    if entry_id is not None:
        changes = {k: v for k, v in values.items() if v is not None}
        if "preset" in changes:
            changes["preset"] = _programme(str(changes["preset"]))
        if not changes:
            raise click.UsageError(
                "nothing to correct: give what was different, e.g. --id 4 --pain-after 3"
            )
        _no_walk_without_a_journal(journal, "--id", entry_id)
        with _open_journal(journal) as book, _walk_named("--id"):
            _record_kept_walks(book)
            try:
                entry = book.update(entry_id, **changes)
            except SettingsError as err:
                if err.setting != "dizzy":
                    raise
                raise click.UsageError(
                    f"walk {entry_id} ended because you felt dizzy, so it ended early; "
                    "to say it did not end early, add --not-dizzy"
                ) from None
        click.echo(f"Walk {entry.id} corrected: {_entry_line(entry)}")
        return
    if minutes is None:
        raise click.UsageError("give --minutes (the minutes walked), or --id N to correct a walk")
    with _open_journal(journal) as book:
        _record_kept_walks(book)
        entry = book.add(
            Entry(
                started=started or datetime.now().replace(microsecond=0).isoformat(),
                preset=_programme(preset or _preset_name({})),
                planned_minutes=planned or minutes,
                walked_minutes=minutes,
                spm_start=spm,
                spm_end=spm,
                ended_early=bool(ended_early_given),
                pain_before=pain_before,
                pain_after=pain_after,
                source="log",
                note=note or "",
                dizzy=bool(dizzy_given),
                faded=bool(faded_given),
            )
        )
    click.echo(f"Walk {entry.id} recorded: {_entry_line(entry)}")


def _no_walk_without_a_journal(journal: str | None, flag: str, entry_id: int) -> None:
    """A walk to correct or delete in a journal there is not (no file, or an empty
    one) is a usage mistake, said before anything is created."""
    if not _no_journal_yet(journal):
        return
    where = _journal_target(journal)
    what = "is empty" if os.path.lexists(where) else "does not exist"
    raise click.BadParameter(
        f"there is no walk {entry_id}: the journal {_said(where)} {what}",
        param_hint=f"'{flag}'",
    )


def _walk_date(when: str) -> str:
    """``--date`` as an ISO time: a date and time that has passed."""
    try:
        started = datetime.fromisoformat(when).replace(microsecond=0)
    except ValueError:
        raise click.BadParameter(
            f"{when!r} is not a date like 2026-11-22 or 2026-11-22T08:30", param_hint="'--date'"
        ) from None
    if started.tzinfo is not None:
        started = started.astimezone().replace(tzinfo=None)
    now = datetime.now()
    if started > now:
        raise click.BadParameter(
            f"{when} is in the future; log a walk once it is walked", param_hint="'--date'"
        )
    earliest = _earliest_log_date(now.date())
    if started.date() < earliest:
        raise click.BadParameter(
            f"{when} is more than {OLDEST_LOG_YEARS} years ago; give a date from "
            f"{earliest.isoformat()} to now",
            param_hint="'--date'",
        )
    return started.isoformat()


def _one_line(text: str) -> str:
    """A note on one line: line breaks and tabs become single spaces (a note is a few
    words; a table row must stay one row); any other control character is kept as its
    picture (ESC as ␛), never dropped unsaid."""

    def shown(c: str) -> str:
        if c.isprintable() or c.isspace():
            return c
        if ord(c) < 0x20:
            return chr(0x2400 + ord(c))
        return "\u2421" if c == "\x7f" else " "

    return " ".join("".join(shown(c) for c in text).split())


def _record_kept_walks(book: Any) -> None:
    """Record the walks kept beside the journal when it could not take them, and say
    so in one line; a kept-walks file with lines that are not walks is said, not fatal."""
    done = book.record_kept_walks()
    if done.recorded:
        count = len(done.recorded)
        days = sorted({e.date for e in done.recorded})
        shown = [f"{d.day} {d:%b}" for d in days]
        on = shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]
        ids = ", ".join(str(e.id) for e in done.recorded)
        click.echo(
            f"{count} walk{'s' if count != 1 else ''} kept on {on} "
            f"{'was' if count == 1 else 'were'} recorded now "
            f"(walk{'s' if count != 1 else ''} {ids})."
        )
    if done.unreadable:
        lines = f"{done.unreadable} line{'s' if done.unreadable != 1 else ''}"
        _note(
            f"{done.file}: {lines} there {'is' if done.unreadable == 1 else 'are'} not a "
            "walk pacer can read; left there as they are"
        )


def _delete(book: Any, entry_id: int, yes: bool) -> None:
    from .journal import JournalError

    _record_kept_walks(book)
    try:
        shown = _entry_line(book.get(entry_id))
    except JournalError:
        if entry_id not in book:
            raise
        shown = "(its values are odd)"
    if not yes:
        if not _on_terminal():
            _fail(
                f"--delete {entry_id}: there is no terminal to ask on; add --yes to delete it",
                EXIT_USAGE,
            )
        if not click.confirm(f"Delete walk {entry_id}: {shown}?", default=False):
            click.echo(f"Walk {entry_id} kept.")
            return
    book.delete(entry_id)
    click.echo(f"Walk {entry_id} deleted: {shown}")


def _entry_line(entry: Any) -> str:
    from .report import pain

    spm = f" at {pace_text(entry.spm_start)} steps/min" if entry.spm_start else ""
    early = ", ended early" if entry.ended_early else ""
    early += " (dizzy)" if entry.dizzy else ""
    early += ", the beat faded" if entry.faded else ""
    note = f", {_one_line(entry.note)!r}" if entry.note else ""
    return (
        f"{entry.started.replace('T', ' ')[:16]} {entry.preset}, "
        f"{_minutes(entry.walked_minutes)} of {_minutes(entry.planned_minutes)} min{spm}{early}, "
        f"pain {pain(entry)}{note}"
    )


def _minutes(value: float) -> str:
    """Minutes to a tenth, as a walker reads them: ``0.3``, ``12``, ``12.5``; a walk
    shorter than a tenth is ``<0.1``, never ``0``."""
    if 0 < value < 0.05:
        return "<0.1"
    return f"{round(value, 1):g}"


_PRESET_WIDTH = 16
"""The widest preset name the history table shows; a longer one is cut with "…"."""


def _preset_shown(preset: str) -> str:
    """A preset as the history table shows it: a preset file by its name without its
    folder and ``.toml``, cut to :data:`_PRESET_WIDTH` characters."""
    from pathlib import PurePath

    from .presets import BUILT_IN

    name = preset
    if preset.endswith(".toml") or "/" in preset or os.sep in preset:
        name = PurePath(preset).stem or preset
        if name in BUILT_IN:  # a file named like a built-in is not the built-in
            name = PurePath(preset).name
    name = _one_line(name)
    return name if len(name) <= _PRESET_WIDTH else name[: _PRESET_WIDTH - 1] + "…"


def _pain_shown(entry: Any) -> str:
    """Pain before→after with its marks: ▲ pain rose, ✱ ended because of dizziness."""
    from .report import DIZZY, pain

    return pain(entry) + (f" {DIZZY}" if entry.dizzy else "")


def _week_label(day: date) -> str:
    year = f" {day.year}" if day.year != date.today().year else ""
    return f"{day.day} {day:%b}{year}"


@main.command()
@click.option(
    "--limit",
    type=click.IntRange(1, 10000),
    default=20,
    show_default=True,
    help="How many recent walks to list.",
)
@click.option("--preset", default=None, help="Only this programme's walks.")
@click.option("--csv", "as_csv", is_flag=True, help="All walks as CSV (the journal's columns).")
@click.option("--json", "as_json", is_flag=True, help="All walks as JSON.")
@click.option(
    "--plot",
    type=click.Path(dir_okay=False),
    default=None,
    metavar="FILE.png|.pdf|.svg",
    help="Draw minutes per week against the plan and pain before/after each walk on "
    "the same dates, dizzy and early-ended walks marked (needs pacer[plot]).",
)
@journal_option
def history(
    limit: int,
    preset: str | None,
    as_csv: bool,
    as_json: bool,
    plot: str | None,
    journal: str | None,
) -> None:
    """Your recent walks, a weekly summary with pain before and after, and how pain
    has gone. A walk after which pain rose is marked ▲, one ended because you felt
    dizzy ✱; a score not given is a dash."""
    from . import report

    chosen = [name for name, on in (("--csv", as_csv), ("--json", as_json), ("--plot", plot)) if on]
    if len(chosen) > 1:
        raise click.UsageError(f"{' and '.join(chosen)} are different outputs: give one")
    if plot is not None:
        kind = plot.rsplit(".", 1)[-1].lower() if "." in os.path.basename(plot) else ""
        if kind not in report.PLOT_FORMATS:
            # Refused before anything is read or written: no picture in a .txt file.
            raise click.BadParameter(
                f"{plot!r} is not a picture file name; end it in .png, .pdf or .svg",
                param_hint="'--plot'",
            )
    with _reading_journal(journal) as book:  # reading never creates nor writes one
        everything, kept = _with_kept(book, journal)
    entries = everything
    if preset is not None:  # the programme, however its file was spelled
        entries = [e for e in _under_programmes(entries) if e.preset == _programme(preset)]
    if preset is not None and not entries:
        known = sorted({_programme(e.preset) for e in everything})
        raise SettingsError(
            f"--preset: the journal has no walks of {_said(_programme(preset))}; "
            + (f"it has walks of: {', '.join(known)}" if known else "it has no walks yet")
        )
    if kept:
        _note(_kept_words(kept, "shown here without an id"))
    if as_csv:
        click.echo(report.as_csv(entries), nl=False)
        return
    if as_json:
        click.echo(json.dumps(report.as_records(entries), indent=1))
        return
    if plot is not None:
        from .output.file import check_target

        check_target(plot)
        title = f"pacer: your {preset} walks" if preset else "pacer: your walks"
        drawn = _under_programmes(entries)  # one programme, however its file was spelled
        programme = report.programmes(drawn, _programme(preset) if preset else None)[0][0]
        try:
            report.plot(
                drawn,
                plot,
                title,
                preset=programme,
                today=date.today(),
                plan=_plan_of(preset or programme),
            )
        except ImportError:
            _fail(
                "--plot needs matplotlib: python -m pip install matplotlib "
                "(from a checkout: python -m pip install '.[plot]')",
                EXIT_RUNTIME,
            )
        click.echo(f"Wrote {plot}.")
        return
    if not entries:
        click.echo("No walks recorded yet. pacer walk records each walk; pacer log adds one.")
        return
    recent = entries[-limit:]
    rows = []
    for e in recent:
        early = "ended early (dizzy)" if e.dizzy else "ended early" if e.ended_early else ""
        faded = "beat faded" if e.faded else ""
        unrecorded = "not yet in the journal" if e.id is None else ""
        notes = [text for text in (unrecorded, early, faded, _one_line(e.note)) if text]
        rows.append(
            (
                str(e.id) if e.id is not None else report.MISSING,
                e.started.replace("T", " ")[:16],
                _preset_shown(e.preset),
                f"{_minutes(e.walked_minutes)}/{_minutes(e.planned_minutes)}",
                f"{e.spm_start:g}" if e.spm_start else report.MISSING,
                _pain_shown(e),
                "; ".join(notes),
            )
        )
    preset_width = max(6, *(len(r[2]) for r in rows))
    click.echo(
        f"{'id':>4}  {'when':16}  {'preset':{preset_width}}  {'minutes':>9}  {'spm':>4}  "
        f"{'pain':7}  note"
    )
    for r in rows:
        click.echo(
            f"{r[0]:>4}  {r[1]:16}  {r[2]:{preset_width}}  {r[3]:>9}  {r[4]:>4}  {r[5]:7}  "
            f"{r[6]}".rstrip()
        )
    # The weeks as pacer next counts them: a walk dated after today in today's week.
    counted, ahead = report.counted_today(entries, date.today())
    shown = report.weeks(counted)[-8:]
    most = max(w.minutes for w in shown)
    labels = [_week_label(w.start) for w in shown]
    width = max(7, *(len(label) for label in labels))
    click.echo("")
    click.echo(
        f"{'week of':{width}}  {'days':>4}  {'minutes':>7}  {'':30}  "
        f"pain before→after ({report.RISE} rose, {report.DIZZY} dizzy)"
    )
    for week, label in zip(shown, labels, strict=True):
        pains = "  ".join(_pain_shown(e) for e in week.walks)
        click.echo(
            f"{label:>{width}}  {week.days:>4}  {week.minutes:>7g}  "
            f"{report.bar(week.minutes, most):30}  {pains}".rstrip()
        )
    click.echo("")
    click.echo(report.pain_trend(entries))
    if ahead:
        click.echo(report.ahead_words(ahead))
    click.echo(
        f"Pain before→after: {report.MISSING} not given, {report.RISE} pain rose, "
        f"{report.DIZZY} ended because you felt dizzy."
    )


@main.command("next")
@click.option(
    "--preset", default=None, help="Which walk to plan. [default: your config's, else backward]"
)
@journal_option
def next_command(preset: str | None, journal: str | None) -> None:
    """What your next walk should be, from your journal and the preset's plan, and
    the rule that decided it (see the README: the pain guard and the plan)."""
    from .journal import default_path
    from .plan import RULES, days_a_week, minutes_words, walks_ahead

    # A blank --preset is a mistake, not a wish for the default.
    name = preset if preset is not None else _preset_name({})
    with _reading_journal(journal) as book:
        walks, kept = _with_kept(book, journal)
        planned = _planned(walks, name)
        advice, pace, note = planned.advice, planned.pace, planned.note
        ahead = walks_ahead(walks, date.today())
    click.echo(
        f"Next {name} walk: {minutes_words(advice.minutes)}, {days_a_week(advice.days_per_week)}."
    )
    click.echo(f"Rule {advice.rule} ({RULES[advice.rule]}): {advice.reason}.")
    if ahead:
        latest = max(e.date for e in ahead)
        click.echo(
            f"{len(ahead)} walk{'s are' if len(ahead) != 1 else ' is'} dated after today "
            f"(the latest {latest.day} {latest:%b %Y}; a clock set ahead or a change of time "
            "zone?): counted as walked today."
        )
    if kept:
        click.echo(_kept_words(kept, "counted here"))
    if book is None and not kept:
        where = journal if journal is not None else default_path()
        click.echo(
            "No walks recorded yet: "
            + (
                f"the journal at {where} is empty "
                if os.path.lexists(where)
                else f"there is no journal at {where} "
            )
            + "(pacer walk or pacer log starts one)."
        )
    if pace.steps_per_minute is not None:
        click.echo(f"Pace: {pace_text(pace.steps_per_minute)} steps/min ({pace.reason}).")
    if note:
        click.echo(note)
    click.echo(f"Walk it with: pacer walk --preset {name} --plan")


def _plan_of(programme: str) -> Plan:
    """A programme's plan for the pictures: its preset's, else (no [plan], or its
    preset file is gone) the backward plan, as pacer next uses."""
    from .config import load_plan
    from .plan import PLANS

    try:
        return load_plan(programme) or PLANS["backward"]
    except SettingsError:
        return PLANS["backward"]


@main.command("report")
@click.argument("file", type=click.Path(dir_okay=False), metavar="FILE.pdf|.png|.html")
@click.option(
    "--preset",
    default=None,
    help="The programme whose plan, adherence and next walk the report shows "
    "(every walk is listed). [default: your config's, else that of your latest walk]",
)
@journal_option
def report_command(file: str, preset: str | None, journal: str | None) -> None:
    """A one-page report of your walks for your physiotherapist: the plan, minutes
    and days walked against it each week, the cadence used, pain before and after
    each walk by date (rises and dizziness marked), your notes, and what pacer
    suggests next and why. PDF and PNG need pacer[plot] (matplotlib); HTML needs
    nothing more."""
    from datetime import date as _date

    from .output.file import check_target
    from .report import REPORT_FORMATS, clinic_report, visible, write_clinic_report

    kind = file.rsplit(".", 1)[-1].lower() if "." in file else ""
    if kind not in REPORT_FORMATS:
        raise click.BadParameter(
            f"{file!r} is not a report file name; end it in .pdf, .png or .html",
            param_hint="'FILE'",
        )
    check_target(file)
    from .config import PresetError, load_defaults, load_plan
    from .plan import days_a_week, minutes_words
    from .report import programmes

    with _reading_journal(journal) as book:  # reading never creates nor writes one
        walks, kept = _with_kept(book, journal)
        entries = _under_programmes(walks)
        # The programme walked most, as history --plot draws; your config's with no walks.
        fallback = str(load_defaults().get("preset") or DEFAULTS.preset)
        chosen = programmes(entries, _programme(preset) if preset else None, _programme(fallback))
        name = preset or (chosen[0][0] if entries else fallback)
        if not preset and entries:
            try:
                load_plan(name)
            except PresetError:
                # Recorded by name: its file is elsewhere.
                raise click.UsageError(
                    f"the programme you walked most, {name!r}, is not a preset pacer finds "
                    "by name; give --preset with its file (or another preset)"
                ) from None
        note = _planned(entries, name).note
        own = book.latest_cadence() if book is not None else None

    made = clinic_report(
        entries,
        chosen[0][0],
        _date.today(),
        _plan_of(name),
        own_cadence=own,
        plans={other: _plan_of(other) for other, _ in chosen[1:]},
    )
    try:
        write_clinic_report(made, file)
    except ImportError:
        _fail(
            f"a .{kind} report needs matplotlib: python -m pip install matplotlib (or write .html)",
            EXIT_RUNTIME,
        )
    if note:
        _note(note)
    if kept:
        _note(_kept_words(kept, "in this report, without an id"))
    click.echo(
        f"Wrote {file}: {visible(made.period)}. Next {visible(chosen[0][0])} walk: "
        f"{minutes_words(made.advice.minutes)}, {days_a_week(made.advice.days_per_week)}."
    )


if __name__ == "__main__":  # pragma: no cover
    main()
