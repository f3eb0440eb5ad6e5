"""The audio file formats pacer writes, as a table: no numpy, no audio library, so
the command line can list them (and their sample rates) in its help for free."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["FORMATS", "Format", "suggested_rate"]


@dataclass(frozen=True)
class Format:
    """An output file format."""

    name: str
    description: str
    container: str
    subtype: str
    rates: tuple[int, ...] | None = None
    suggested_rate: int | None = None
    compression: float | None = None
    """libsndfile's compression level, 0 (best quality) to 1 (smallest)."""


_MP3_RATES = (8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000)

FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("wav", "WAV, 16-bit PCM (large; any player)", "WAV", "PCM_16"),
        Format("flac", "FLAC, lossless, about a quarter of WAV", "FLAC", "PCM_16"),
        # Levels chosen by measurement (benchmarks/render.py): Vorbis at 0.6 is about
        # 30 kB a minute and encodes 30 minutes in a few seconds; libsndfile's Opus is
        # constant-bitrate, so it gets a low rate (about 27 kbit/s) to stay small.
        Format(
            "ogg",
            "Ogg Vorbis (small and quick: the phone file)",
            "OGG",
            "VORBIS",
            suggested_rate=22050,
            compression=0.6,
        ),
        Format(
            "opus",
            "Opus in Ogg (slow to make here)",
            "OGG",
            "OPUS",
            rates=(8000, 12000, 16000, 24000, 48000),
            suggested_rate=24000,
            compression=0.9,
        ),
        Format(
            "mp3",
            "MP3 (plays everywhere)",
            "MP3",
            "MPEG_LAYER_III",
            rates=_MP3_RATES,
            suggested_rate=22050,
            compression=0.6,
        ),
    )
}
"""Every format pacer writes, by file extension."""


def suggested_rate(format: str) -> int | None:
    """The sample rate pacer picks for a format when none is asked for: lower for
    compressed phone files (cues stay clear, encoding is faster, files smaller)."""
    return FORMATS[format].suggested_rate
