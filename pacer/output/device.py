"""Live playback: engines that pull a :class:`~pacer.live.Walk`'s blocks on the audio
device's own clock.

* ``miniaudio`` (default): one streaming device; the device's thread asks for frames
  and gets exactly that many. The beat is placed by sample count, so it cannot drift.
  When miniaudio finds no real output it silently falls back to its NULL backend;
  pacer checks for that and raises :class:`~pacer.errors.NoAudioOutputError`.
* ``null``: miniaudio's NULL backend on purpose. It pulls at the real-time rate and
  plays nothing: for tests and dry runs.
* ``simpleaudio`` (optional extra): plays consecutive whole buffers. It cannot
  stream, so there is a small gap between buffers and a key waits for the buffer
  playing to finish.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
import time
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass
from enum import Enum
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from ..errors import NoAudioOutputError, SettingsError
from ..live import PRE_ROLL_SECONDS, Status, Walk
from ..session import LIMITS, Session, expect, show
from ..voice import Prepared
from . import ENGINES

__all__ = [
    "ENGINES",
    "NO_OUTPUT_ADVICE",
    "Engine",
    "OutputDevice",
    "Player",
    "PlayerEvent",
    "list_devices",
    "open_engine",
    "play",
    "start",
]

NO_OUTPUT_ADVICE = "to walk with a phone, write the walk to a file: pacer render walk.ogg"
BUFFER_MSEC = 100
"""The device period asked for, chosen by measurement (benchmarks/live.py --buffers,
a 2-core machine with 4 busy processes and one streaming 300 MB through memory, into
a PulseAudio null sink): 40 ms x 3 periods lost a block in 1 of 2 runs, 80 ms x 3 in
2 of 5; 100 ms x 2 and x 3 and 200 ms x 3 kept every beat exact in every run. A key is
heard within about one buffer (200 ms), well inside what a walk needs."""
PERIODS = 2
"""Periods in the device's buffer, asked for explicitly, so that the latency shown is
the period the device asks for times this."""
LOSS_BACKSTOP_SECONDS = 5.0
"""A device that has not asked for sound for this long is taken as lost even when
the audio backend said nothing. PulseAudio can hold a new stream for 1.2-2 s after
its first pull, and a busy machine longer, so the backend's own stop notification
decides a loss; this is only the backstop."""

CATCH_UP_SECONDS = 1.0
"""The most sound (or four buffers, if more) the walk gives a device ahead of the clock.
A device asking for more has not played it: its clock jumped (pacer was stopped with
``kill -STOP`` or Ctrl-Z, and miniaudio's NULL backend catches up at once), and the
extra is silence, so the stopped time is neither played in a burst nor walked."""
CLOCK_TOLERANCE = 1.05
"""A device's clock may run this much faster than the system's and still get the
whole walk (a PulseAudio null sink runs 0.03-0.11 % fast)."""

Block = npt.NDArray[np.float32]
PullInto = Callable[[Block], None]
"""Fills a float32 ``(frames, 2)`` block with the next frames (``Walk.pull_into``)."""


class PlayerEvent(Enum):
    """What just happened to the output, as :meth:`Player.check` reports it."""

    LOST = "lost"
    BACK = "back"
    GAVE_UP = "gave up"


@dataclass(frozen=True)
class OutputDevice:
    """A playback device as miniaudio lists it (``id`` is miniaudio's own handle)."""

    index: int
    name: str
    is_default: bool
    id: Any = None  # miniaudio's ma_device_id (cffi data)


class Engine(Protocol):
    """What the live walk needs from an audio engine."""

    name: str
    description: str

    @property
    def latency(self) -> float: ...
    def start(self, pull: PullInto) -> None: ...
    def alive(self) -> bool: ...
    def error(self) -> BaseException | None: ...
    def close(self) -> None: ...


@contextlib.contextmanager
def _quiet_stderr() -> Iterator[None]:
    """ALSA prints its own complaints straight to file descriptor 2 while miniaudio
    probes it; the walker should see pacer's one line instead."""
    try:
        saved = os.dup(2)
    except OSError:  # pragma: no cover - no fd 2
        yield
        return
    try:
        with open(os.devnull, "wb") as devnull:
            os.dup2(devnull.fileno(), 2)
            yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def list_devices() -> list[OutputDevice]:
    """The playback devices miniaudio can see (empty when there are none)."""
    import miniaudio

    try:
        with _quiet_stderr():
            found = miniaudio.Devices().get_playbacks()
    except Exception:  # miniaudio raises its own error type, or cffi's
        return []
    return [
        OutputDevice(i, str(d.get("name", f"device {i}")), bool(d.get("is_default")), d.get("id"))
        for i, d in enumerate(found)
    ]


def _find_device(wanted: str) -> OutputDevice:
    devices = list_devices()
    if not devices:
        raise NoAudioOutputError(
            f"--device {wanted}: no audio output devices were found; " + NO_OUTPUT_ADVICE
        )
    if wanted.isdigit() and int(wanted) < len(devices):
        return devices[int(wanted)]
    matches = [d for d in devices if wanted.lower() in d.name.lower()]
    if len(matches) == 1:
        return matches[0]
    names = "; ".join(f"{d.index}: {d.name}" for d in devices)
    what = "matches more than one device" if matches else "is not a device"
    raise SettingsError(
        f"--device: {wanted!r} {what}; use a number or a name from: {names}", "device"
    )


class MiniaudioEngine:
    """One long-lived miniaudio playback device fed by a generator.

    The device starts at once, playing silence until :meth:`start` gives it a walk:
    the output is known to work (and earbuds are awake) before the walk begins, and
    the frames it asks for give the latency shown. Its audio thread runs at the
    highest priority the system allows (real-time where permitted). A loss is what
    miniaudio's stop notification says, or no request for
    :data:`LOSS_BACKSTOP_SECONDS`.
    """

    def __init__(
        self,
        rate: int,
        device: str | None = None,
        null: bool = False,
        buffer_msec: int = BUFFER_MSEC,
    ) -> None:
        import miniaudio

        self._miniaudio = miniaudio
        self.name = "null" if null else "miniaudio"
        self.rate = rate
        self.buffer_msec = buffer_msec
        self._pulled_at = time.monotonic()
        self._error: BaseException | None = None
        self._source: PullInto | None = None
        self._buffer: Block = np.zeros((4096, 2), dtype=np.float32)
        self._stopped = threading.Event()  # the backend stopped the device
        self._asked = threading.Event()  # the device has asked for sound
        self._closing = False
        self.period_frames = 0
        self.frames_pulled = 0
        self.frames_skipped = 0
        """Frames given as silence while the device caught up a clock that jumped."""
        self._budget = 0.0  # frames the walk may give the device now
        self._budget_at = time.monotonic()
        chosen = _find_device(device) if device is not None and not null else None
        backends = [miniaudio.Backend.NULL] if null else None
        try:
            with _quiet_stderr():
                self._device = miniaudio.PlaybackDevice(
                    output_format=miniaudio.SampleFormat.FLOAT32,
                    nchannels=2,
                    sample_rate=rate,
                    buffersize_msec=buffer_msec,
                    callback_periods=PERIODS,
                    device_id=chosen.id if chosen else None,
                    backends=backends,
                    # miniaudio asks for SCHED_FIFO and quietly falls back to an
                    # ordinary thread where that is not allowed.
                    thread_prio=miniaudio.ThreadPriority.REALTIME,
                    app_name="pacer",
                )
        except Exception as err:
            raise NoAudioOutputError(
                f"no audio output was found (no sound card or sound server answered); "
                f"{NO_OUTPUT_ADVICE}"
            ) from err
        backend = str(self._device.backend)
        if backend.lower() == "null" and not null:
            self.close()
            raise NoAudioOutputError(
                "no audio output was found (miniaudio fell back to its silent NULL "
                f"backend); {NO_OUTPUT_ADVICE}"
            )
        device_name = chosen.name if chosen else "default output"
        self.description = f"{device_name} ({backend})" if not null else "no sound: NULL backend"
        self._device.stop_callback = self._on_stop
        generator = self._stream()
        next(generator)
        try:
            self._device.start(generator)
        except Exception as err:
            self.close()
            raise NoAudioOutputError(
                f"the audio output could not be started ({err}); {NO_OUTPUT_ADVICE}"
            ) from err

    def _on_stop(self) -> None:
        """miniaudio's stop notification (its own thread): the backend stopped the
        device (earbuds gone, the sound server gone), or we closed it."""
        if not self._closing:
            self._stopped.set()

    def _stream(self) -> Generator[memoryview | bytes, int, None]:
        frames = yield b""
        while True:
            self._pulled_at = time.monotonic()
            if not self._asked.is_set():
                self.period_frames = frames
                self._asked.set()
            if frames > len(self._buffer):  # only if the device changes its period
                self._buffer = np.zeros((frames, 2), dtype=np.float32)
            block = self._buffer[:frames]
            source = self._source
            if source is None or not self._in_time(frames):
                block.fill(0)
            else:
                try:
                    source(block)
                except BaseException as err:  # keep the audio thread alive; report it
                    self._error = err
                    block.fill(0)
            self.frames_pulled += frames
            frames = yield block.data.cast("B")

    def _catch_up_frames(self) -> float:
        return max(CATCH_UP_SECONDS, 4 * self.latency) * self.rate

    def _in_time(self, frames: int) -> bool:
        """Whether the device may have ``frames`` more of the walk now: no more than
        the clock allows (and :data:`CATCH_UP_SECONDS` ahead). A device that asks for
        more is catching up a clock that jumped; it gets silence instead."""
        now = time.monotonic()
        grown = (now - self._budget_at) * self.rate * CLOCK_TOLERANCE
        self._budget = min(self._catch_up_frames(), self._budget + grown)
        self._budget_at = now
        if frames > self._budget:
            self.frames_skipped += frames
            return False
        self._budget -= frames
        return True

    @property
    def latency(self) -> float:
        """Seconds from a block being pulled to it being heard: the period the device
        asks for (once it has asked) times the periods in its buffer."""
        if self.period_frames:
            return self.period_frames * PERIODS / self.rate
        return self.buffer_msec * PERIODS / 1000

    def wait_ready(self, timeout: float = 1.0) -> bool:
        """Wait until the device has asked for sound (so :attr:`latency` is what it
        reports); False if it has not within ``timeout`` seconds."""
        return self._asked.wait(timeout)

    def start(self, pull: PullInto) -> None:
        """Play ``pull``'s frames from the next request on."""
        self._pulled_at = self._budget_at = time.monotonic()
        self._budget = self._catch_up_frames()
        self._source = pull

    def continued(self) -> None:
        """pacer was stopped (Ctrl-Z, ``kill -TSTP``/``-STOP``) and is going on: the
        device asked for nothing while the process was stopped, and that is no loss;
        the backstop counts from now."""
        self._pulled_at = time.monotonic()

    def alive(self) -> bool:
        """False once the backend has stopped the device, or (the backstop) when it
        has not asked for sound for :data:`LOSS_BACKSTOP_SECONDS` or ten buffers."""
        if self._stopped.is_set():
            return False
        backstop = max(LOSS_BACKSTOP_SECONDS, 10 * self.latency)
        return time.monotonic() - self._pulled_at < backstop

    def error(self) -> BaseException | None:
        return self._error

    def close(self) -> None:
        device = getattr(self, "_device", None)
        if device is None:
            return
        self._closing = True
        context = getattr(device, "_context", None)
        with contextlib.suppress(Exception):
            device.close()
        # pyminiaudio 1.71 leaves the audio context open on close (pyminiaudio#86);
        # a sound server refuses new clients after ~64, so free it ourselves.
        if context is not None:
            with contextlib.suppress(Exception):
                self._miniaudio.lib.ma_context_uninit(context)
        self._device = None


class SimpleaudioEngine:
    """Consecutive whole buffers through simpleaudio, from a thread of its own."""

    BUFFER_SECONDS = 0.5

    def __init__(self, rate: int) -> None:
        if sys.version_info >= (3, 12):
            raise NoAudioOutputError(
                "--engine simpleaudio: simpleaudio crashes on Python 3.12 and later; "
                "use the default engine (miniaudio)"
            )
        try:
            import simpleaudio
        except ImportError as err:
            raise NoAudioOutputError(
                "--engine simpleaudio: simpleaudio is not installed; install it with "
                "python -m pip install simpleaudio (on Linux it builds against "
                "libasound2-dev), or use the default engine (miniaudio)"
            ) from err
        try:  # a moment of silence: does simpleaudio have an output at all?
            with _quiet_stderr():
                simpleaudio.play_buffer(bytes(4 * 64), 2, 2, rate).wait_done()
        except Exception as err:
            raise NoAudioOutputError(
                f"no audio output was found (simpleaudio: {err}); {NO_OUTPUT_ADVICE}"
            ) from err
        self._sa = simpleaudio
        self.name = "simpleaudio"
        self.rate = rate
        self.latency = self.BUFFER_SECONDS
        self.description = "default output (simpleaudio, whole buffers)"
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None
        self._pulled_at = time.monotonic()

    def start(self, pull: PullInto) -> None:
        frames = round(self.BUFFER_SECONDS * self.rate)
        block: Block = np.zeros((frames, 2), dtype=np.float32)

        def run() -> None:
            try:
                while not self._stop.is_set():
                    self._pulled_at = time.monotonic()
                    pull(block)
                    pcm = np.rint(np.clip(block, -1, 1) * 32767).astype("<i2")
                    self._sa.play_buffer(pcm.tobytes(), 2, 2, self.rate).wait_done()
            except Exception as err:  # the output went away mid-walk
                self._error = NoAudioOutputError(f"simpleaudio stopped playing: {err}")

        self._thread = threading.Thread(target=run, name="pacer-simpleaudio", daemon=True)
        self._thread.start()

    def continued(self) -> None:
        """As :meth:`MiniaudioEngine.continued`: stopped time is no loss."""
        self._pulled_at = time.monotonic()

    def alive(self) -> bool:
        return time.monotonic() - self._pulled_at < 2 * self.BUFFER_SECONDS + 1

    def error(self) -> BaseException | None:
        return self._error

    def close(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=2 * self.BUFFER_SECONDS + 1)


def _check_engine(name: object, rate: object, device: object, buffer_msec: object) -> None:
    """Every argument of :func:`open_engine` checked against its named range
    (:data:`pacer.session.LIMITS`) before a device is touched."""
    expect(name, str, "engine", f"an engine; use one of {', '.join(ENGINES)}")
    LIMITS["sample_rate"].check(rate)
    if device is not None:
        expect(device, str, "device", "a device's number or name")
    LIMITS["buffer_msec"].check(buffer_msec)


def _check_walk(pre_roll: object, keep_alive: object) -> None:
    LIMITS["pre_roll"].check(pre_roll)
    expect(keep_alive, bool, "keep_alive", "True or False")


def open_engine(
    name: str, rate: int, device: str | None = None, buffer_msec: int = BUFFER_MSEC
) -> Engine:
    """Open the engine ``name`` (one of :data:`ENGINES`) at ``rate`` Hz.

    Raises :class:`NoAudioOutputError` when there is no output to play to.
    """
    _check_engine(name, rate, device, buffer_msec)
    if name == "miniaudio":
        return MiniaudioEngine(rate, device, buffer_msec=buffer_msec)
    if name == "null":
        return MiniaudioEngine(rate, null=True, buffer_msec=buffer_msec)
    if name == "simpleaudio":
        return SimpleaudioEngine(rate)
    raise SettingsError(
        f"engine: {show(name)} is not an engine; use one of {', '.join(ENGINES)}", "engine"
    )


class Player:
    """A walk playing on an engine: steer it, watch it, and recover if the device is
    lost. Made by :func:`play`.

    ``reopen`` makes a new engine after a device loss (by default the same kind, on
    the default device); it is tried every ``retry_every`` seconds for ``give_up_after``
    seconds, during which the walk is paused.
    """

    def __init__(
        self,
        walk: Walk,
        engine: Engine,
        reopen: Callable[[], Engine] | None = None,
        give_up_after: float = 30.0,
        retry_every: float = 1.0,
    ) -> None:
        self.walk = walk
        self.engine = engine
        self._reopen = reopen
        self._give_up_after = give_up_after
        self._retry_every = retry_every
        self._lost_since: float | None = None
        self._last_try = 0.0
        self._paused_by_loss = False
        self.gave_up = False
        engine.start(walk.pull_into)

    @property
    def finished(self) -> bool:
        """True when the walk is over (or the device was lost for good)."""
        return self.walk.finished or self.gave_up

    # The walk's own commands, on the player too: ``with pacer.play(...) as walk``.
    def pause(self) -> None:
        """Pause the walk (:meth:`pacer.live.Walk.pause`)."""
        self.walk.pause()

    def resume(self) -> None:
        """Resume the walk (:meth:`pacer.live.Walk.resume`)."""
        self.walk.resume()

    def set_steps_per_minute(self, steps_per_minute: float) -> None:
        """Walk at this pace from the next beat (:meth:`pacer.live.Walk.set_steps_per_minute`)."""
        self.walk.set_steps_per_minute(steps_per_minute)

    def stop(self) -> None:
        """End the walk early (:meth:`pacer.live.Walk.stop`)."""
        self.walk.stop()

    def dizzy(self) -> None:
        """End the walk at once, calmly (:meth:`pacer.live.Walk.dizzy`)."""
        self.walk.dizzy()

    def status(self) -> Status:
        """The walk's status line (:meth:`pacer.live.Walk.status`)."""
        return self.walk.status()

    def check(self, now: float | None = None) -> PlayerEvent | None:
        """Look after the device and the walk's commands; call a few times a second.
        Returns the :class:`PlayerEvent` that just happened, else ``None``. Raises
        whatever went wrong in the audio thread."""
        err = self.engine.error()
        if err is not None:
            raise err
        self.walk.service()
        now = time.monotonic() if now is None else now
        if self._lost_since is None:
            if self.engine.alive() or self.walk.finished:
                return None
            self._lost_since = now
            self._last_try = now
            # A walk the walker had paused (or asked to pause: the audio thread may not
            # have taken it yet) stays paused when the device comes back.
            self._paused_by_loss = not self.walk.pausing
            self.walk.pause()
            with contextlib.suppress(Exception):
                self.engine.close()
            # Nothing pulls now: the pause takes effect exactly where the sound stopped.
            self.walk.pull(0)
            return PlayerEvent.LOST
        if now - self._lost_since > self._give_up_after:
            self.gave_up = True
            self.walk.stop()
            return PlayerEvent.GAVE_UP
        if self._reopen is None or now - self._last_try < self._retry_every:
            return None
        self._last_try = now
        try:
            engine = self._reopen()
        except NoAudioOutputError:
            return None
        self.engine = engine
        self._lost_since = None
        if self._paused_by_loss:
            self.walk.resume()
        engine.start(self.walk.pull_into)
        return PlayerEvent.BACK

    def continued(self) -> None:
        """The process was stopped and goes on (after ``fg``, ``kill -CONT``): the time
        the device asked for nothing while stopped is not taken for a lost device.
        (An engine without ``continued`` is judged as it is.)"""
        continued = getattr(self.engine, "continued", None)
        if self._lost_since is None and callable(continued):
            continued()

    def close(self) -> None:
        """Stop the sound and free the device: the walk ends where it was heard to."""
        self.engine.close()
        self.walk.silence()

    def __enter__(self) -> Player:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def start(
    session: Session | Prepared,
    sound: Engine,
    engine: str = "miniaudio",
    *,
    pre_roll: float = PRE_ROLL_SECONDS,
    keep_alive: bool = True,
    buffer_msec: int = BUFFER_MSEC,
) -> Player:
    """Start ``session`` on an engine already opened with :func:`open_engine`; after a
    device loss the player reopens an ``engine`` of the same kind on the default
    output. Close the player when done."""
    expect(session, (Session, Prepared), "session", "a Session")
    _check_walk(pre_roll, keep_alive)
    _check_engine(engine, 8000, None, buffer_msec)
    for method in ("start", "alive", "error", "close"):
        if not callable(getattr(sound, method, None)):
            raise SettingsError(f"sound: {show(sound)} is not an engine (see open_engine)", "sound")
    rate = session.sample_rate if isinstance(session, Session) else session.session.sample_rate

    def reopen() -> Engine:
        return open_engine(engine, rate, None, buffer_msec)

    walk = Walk(session, pre_roll=pre_roll, keep_alive=keep_alive)
    return Player(walk, sound, reopen)


@contextlib.contextmanager
def play(
    session: Session,
    engine: str = "miniaudio",
    device: str | None = None,
    *,
    pre_roll: float = PRE_ROLL_SECONDS,
    keep_alive: bool = True,
    buffer_msec: int = BUFFER_MSEC,
) -> Iterator[Player]:
    """Play ``session`` live; the :class:`Player` steers it (pause, tempo, stop).

    The walk runs on the device's clock from the moment this is entered; leaving the
    block stops it. Raises :class:`NoAudioOutputError` when there is no output.

    >>> with play(session, engine="null") as player:   # doctest: +SKIP
    ...     player.walk.set_steps_per_minute(62)
    """
    expect(session, Session, "session", "a Session")
    _check_walk(pre_roll, keep_alive)
    _check_engine(engine, session.sample_rate, device, buffer_msec)
    sound = open_engine(engine, session.sample_rate, device, buffer_msec)
    player = start(
        session, sound, engine, pre_roll=pre_roll, keep_alive=keep_alive, buffer_msec=buffer_msec
    )
    try:
        yield player
    finally:
        player.close()
