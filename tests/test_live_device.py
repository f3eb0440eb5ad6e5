"""The live device as a walker depends on it, on miniaudio's NULL backend: a loss is
what the backend says, not a pause in its requests; the latency shown is what the
device asks for."""

from __future__ import annotations

import threading

import miniaudio
import pytest

from pacer.live import Walk
from pacer.output import device as device_module
from pacer.output.device import PERIODS, MiniaudioEngine, Player, PlayerEvent, open_engine
from pacer.presets import backward

RATE = 8000


def test_the_latency_shown_is_the_period_the_device_asks_for() -> None:
    engine = open_engine("null", RATE, buffer_msec=40)
    try:
        assert isinstance(engine, MiniaudioEngine)
        assert engine.wait_ready(10)
        assert engine.period_frames == 320  # what the NULL backend asked for: 40 ms
        assert engine.latency == pytest.approx(320 * PERIODS / RATE)
    finally:
        engine.close()


def test_a_device_the_backend_stops_is_lost_at_once_and_the_walk_pauses_there() -> None:
    walk = Walk(backward(minutes=5, sample_rate=RATE), pre_roll=0, keep_alive=False)
    engine = open_engine("null", RATE)
    assert isinstance(engine, MiniaudioEngine)
    pulled = threading.Event()
    player = Player(walk, engine, reopen=None)
    try:
        tick = threading.Event()
        for _ in range(400):  # until the device has played some of the walk
            if walk.status().elapsed > 0 or walk._out > RATE:
                pulled.set()
                break
            tick.wait(0.01)
        assert pulled.is_set(), "the NULL backend never pulled"
        assert player.check() is None
        # The backend stops the device, as when earbuds disconnect: miniaudio's stop
        # notification says so, with no wait for a gap in its requests.
        assert miniaudio.lib.ma_device_stop(engine._device._device) == miniaudio.lib.MA_SUCCESS
        assert not engine.alive()
        assert player.check() is PlayerEvent.LOST
        assert walk.status().paused
    finally:
        player.close()


def test_a_device_that_holds_its_requests_for_two_seconds_is_not_lost(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # PulseAudio can hold a new stream 1.2-2 s after its first request, and a busy
    # machine longer: only the backend's notification, or 5 s of nothing, is a loss.
    engine = open_engine("null", RATE)
    assert isinstance(engine, MiniaudioEngine)
    try:
        engine.wait_ready(10)
        # The device stops asking and the backend says nothing (its notification is
        # not passed on): only the backstop can tell.
        engine._device.stop_callback = None
        assert miniaudio.lib.ma_device_stop(engine._device._device) == miniaudio.lib.MA_SUCCESS
        last = engine._pulled_at
        monkeypatch.setattr(device_module.time, "monotonic", lambda: last + 2.0)
        assert engine.alive()
        monkeypatch.setattr(device_module.time, "monotonic", lambda: last + 4.9)
        assert engine.alive()
        monkeypatch.setattr(device_module.time, "monotonic", lambda: last + 5.1)
        assert not engine.alive()
    finally:
        engine.close()


def test_the_audio_thread_asks_for_the_highest_priority(monkeypatch: pytest.MonkeyPatch) -> None:
    # Real-time where the system allows it (miniaudio falls back to an ordinary thread
    # where it does not), and a buffer of the periods the latency is counted in.
    asked: dict[str, object] = {}
    real = miniaudio.PlaybackDevice

    def recording(*args: object, **kw: object) -> object:
        asked.update(kw)
        return real(*args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(miniaudio, "PlaybackDevice", recording)
    engine = open_engine("null", RATE)
    engine.close()
    assert asked["thread_prio"] is miniaudio.ThreadPriority.REALTIME
    assert asked["callback_periods"] == PERIODS


def test_what_play_gives_steers_the_walk_and_leaving_the_block_ends_it() -> None:
    import pacer

    session = backward(minutes=5, sample_rate=RATE)
    with pacer.play(session, engine="null", pre_roll=0) as walk:
        walk.set_steps_per_minute(64)
        walk.pause()
        walk.resume()
        walk.stop()
        # Asked to end before its time: said so at once, before the device takes it.
        status = walk.status()
        assert status.ended_early and not status.dizzy
    # Leaving the block at once ends the walk where it was heard to.
    assert walk.walk.finished and walk.status().finished
    assert walk.walk.walked().ended_early


def test_dizzy_is_said_from_the_moment_it_is_asked() -> None:
    walk = Walk(backward(minutes=5, sample_rate=RATE), pre_roll=0, keep_alive=False)
    walk.pull(RATE)
    walk.dizzy()
    walk.stop()  # the first end asked for is the one taken
    status = walk.status()
    assert status.ended_early and status.dizzy and not status.finished
    walk.pull(RATE)
    assert walk.status().dizzy and walk.walked().dizzy
