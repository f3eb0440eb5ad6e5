"""Stopping to look back works at every pace pacer walks: the steps between
look-backs grow to what stopping needs at the pace (about 6 s standing, then 3 s
walking) when the walker did not give them, and steps given are kept as given, or
refused in one line when too few."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from pacer import SettingsError
from pacer.cli import main
from pacer.config import session_from
from pacer.session import DEFAULTS, LIMITS, look_back_stop_minimum

PACES = st.floats(LIMITS["steps_per_minute"].low, LIMITS["steps_per_minute"].high).map(
    lambda v: round(v, 1)
)


@settings(max_examples=200, deadline=None)
@given(pace=PACES, ramp=st.none() | PACES)
def test_stopping_to_look_back_is_never_refused_for_steps_the_walker_did_not_give(
    pace: float, ramp: float | None
) -> None:
    options: dict[str, object] = {"steps_per_minute": pace, "look_back": "stop"}
    if ramp is not None:
        options["ramp_to"] = ramp
    session = session_from("backward", config=False, **options)
    walk = session.phases[session.main_index or 0]
    least = look_back_stop_minimum(pace, ramp)
    assert walk.look_back == "stop"
    assert walk.look_back_every == max(DEFAULTS.look_back_every, least)
    widened = [n for n in session.notes if n.startswith("look-backs every")]
    assert bool(widened) == (least > DEFAULTS.look_back_every)


@settings(max_examples=100, deadline=None)
@given(pace=PACES, every=st.integers(2, 60))
def test_steps_given_are_kept_or_refused_naming_what_is_allowed(pace: float, every: int) -> None:
    least = look_back_stop_minimum(pace)
    if every >= least:
        session = session_from(
            "backward", config=False, steps_per_minute=pace, look_back="stop", look_back_every=every
        )
        assert session.phases[session.main_index or 0].look_back_every == every
    else:
        with pytest.raises(SettingsError) as err:
            session_from(
                "backward",
                config=False,
                steps_per_minute=pace,
                look_back="stop",
                look_back_every=every,
            )
        assert err.value.setting == "look_back_every" and f"{least} or more" in str(err.value)


@pytest.mark.parametrize("pace", ["30", "60", "123", "131", "150", "180"])
def test_pacer_show_stops_to_look_back_at_every_pace(tmp_path: Path, pace: str) -> None:
    env = {"PACER_CONFIG_DIR": str(tmp_path), "PACER_DATA_DIR": str(tmp_path)}
    run = CliRunner().invoke(
        main, ["show", "--look-back", "stop", "--spm", pace, "--minutes", "2"], env=env
    )
    assert run.exit_code == 0, run.output
    assert "Stop." in run.output
