"""Writing a session to an audio file, block by block, atomically.

The file is written to a hidden temporary file beside the target and renamed over
it only when complete: an interrupted or failed render leaves no half file and never
damages a file that was already there. A target that exists but is not a regular
file (``/dev/null``, a pipe) is written to directly.

WAV is written with the standard library (16-bit PCM, header first, so it can go to
a pipe); FLAC, Ogg Vorbis, Opus and MP3 through soundfile (libsndfile).
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
import struct
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import numpy as np
import numpy.typing as npt

from ..display import CAPTIONS, captions
from ..errors import OutputError, SettingsError
from ..mixer import Mixer, blocks
from ..session import Session
from ..timeline import Summary
from ..voice import Prepared, prepare

__all__ = [
    "FORMATS",
    "pcm16_pieces",
    "Format",
    "Rendered",
    "check_target",
    "write_captions",
    "render",
    "format_for",
    "suggested_rate",
    "pcm16_blocks",
]

RENDER_BLOCK_FRAMES = 1 << 16
"""Frames per write. Large enough to be fast, small enough to keep memory flat
(and libsndfile has crashed on one huge Ogg write)."""


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


@dataclass(frozen=True)
class Rendered:
    """What a render wrote."""

    path: Path
    format: str
    bytes: int
    summary: Summary


def format_for(path: str | os.PathLike[str], format: str | None = None) -> Format:
    """The format for ``path``: ``format`` if given, else from the file extension.

    Raises :class:`SettingsError` for an unknown one.
    """
    allowed = ", ".join(f".{name}" for name in FORMATS)
    if format is not None:
        key = format.lower().lstrip(".")
        if key not in FORMATS:
            raise SettingsError(
                f"--format: {format!r} is not a format pacer writes; "
                f"use one of {', '.join(FORMATS)}.",
                "format",
            )
        return FORMATS[key]
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        what = f"extension '.{suffix}'" if suffix else "no extension"
        raise SettingsError(
            f"{os.fspath(path)}: {what} is not a format pacer writes; use {allowed} (or --format).",
            "format",
        )
    return FORMATS[suffix]


def check_target(path: str | os.PathLike[str]) -> Path:
    """``path`` as a Path, if a file can be written there: raises
    :class:`SettingsError` for a directory or a missing parent directory."""
    target = Path(path)
    if target.is_dir():
        raise SettingsError(
            f"{target}: is a directory; give a file name such as {target / 'walk.ogg'}", "path"
        )
    if not target.parent.is_dir():
        raise SettingsError(f"{target}: the directory {target.parent} does not exist", "path")
    return target


def suggested_rate(format: str) -> int | None:
    """The sample rate pacer picks for a format when none is asked for: lower for
    compressed phone files (cues stay clear, encoding is faster, files smaller)."""
    return FORMATS[format].suggested_rate


def _to_pcm16(piece: npt.NDArray[np.float32]) -> npt.NDArray[np.int16]:
    """``piece`` as 16-bit PCM (``round(clip(x) * 32767)``); a writable piece is used
    as scratch space, so its values are lost."""
    scratch = piece if piece.flags.writeable else piece.copy()
    np.clip(scratch, -1.0, 1.0, out=scratch)
    scratch *= np.float32(32767.0)
    np.rint(scratch, out=scratch)
    pcm: npt.NDArray[np.int16] = scratch.astype("<i2")
    return pcm


def pcm16_pieces(
    prepared: Prepared, window: int = RENDER_BLOCK_FRAMES
) -> Iterator[tuple[int, npt.NDArray[np.int16]]]:
    """Where the walk sounds, as ``(first_frame, pcm)`` pieces in order, ``pcm``
    16-bit of shape ``(n, 2)``; between pieces is silence. Silence is never computed."""
    stop = prepared.schedule.length
    mixer = Mixer(prepared)
    shared: dict[int, tuple[npt.NDArray[np.float32], npt.NDArray[np.int16]]] = {}
    for b0 in range(0, stop, window):
        for offset, piece in mixer.spans(b0, min(b0 + window, stop)):
            if piece.flags.writeable:
                yield b0 + offset, _to_pcm16(piece)
                continue
            # A read-only piece is one the mixer reuses: convert it once.
            known = shared.get(id(piece))
            if known is None:
                known = shared[id(piece)] = (piece, _to_pcm16(piece))
            yield b0 + offset, known[1]


def pcm16_blocks(
    prepared: Prepared, frames: int = RENDER_BLOCK_FRAMES
) -> Iterator[npt.NDArray[np.int16]]:
    """The walk as 16-bit PCM blocks of shape ``(frames, 2)`` (the last shorter)."""
    stop = prepared.schedule.length
    pieces = pcm16_pieces(prepared, frames)
    pending = next(pieces, None)
    for b0 in range(0, stop, frames):
        b1 = min(b0 + frames, stop)
        out = np.zeros((b1 - b0, 2), dtype=np.int16)
        while pending is not None and pending[0] < b1:
            at, pcm = pending
            out[at - b0 : at - b0 + len(pcm)] = pcm
            pending = next(pieces, None)
        yield out


def _info_chunk(title: str, artist: str) -> bytes:
    """A LIST/INFO chunk: the title (INAM) and artist (IART) players show."""

    def field(tag: bytes, text: str) -> bytes:
        raw = text.encode("utf-8") + b"\0"
        if len(raw) % 2:
            raw += b"\0"
        return tag + struct.pack("<I", len(raw)) + raw

    body = b"INFO" + field(b"INAM", title) + field(b"IART", artist)
    return b"LIST" + struct.pack("<I", len(body)) + body


def _wav_header(frames: int, rate: int, channels: int = 2, info: bytes = b"") -> bytes:
    data = frames * channels * 2
    return (
        b"RIFF"
        + struct.pack("<I", 36 + len(info) + data)
        + b"WAVE"
        + b"fmt "
        + struct.pack("<IHHIIHH", 16, 1, channels, rate, rate * channels * 2, channels * 2, 16)
        + info
        + b"data"
        + struct.pack("<I", data)
    )


Progress = Callable[[int, int], None]


_ZERO_FRAMES = 1 << 18


def _write_wav(
    prepared: Prepared, out: IO[bytes], progress: Progress | None, holes: bool = False
) -> None:
    """Header first (the length is known), then the sounding pieces. Silence is
    written from one shared buffer of zeros, or with ``holes`` (a regular file) not
    written at all: the file system keeps it as a hole, which reads as zeros."""
    session = prepared.session
    total = prepared.schedule.length
    header = _wav_header(total, session.sample_rate, 2, _info_chunk(session.describe(), "pacer"))
    out.write(header)
    zeros = memoryview(bytes(_ZERO_FRAMES * 4))
    written = 0
    reported = 0

    def silence_until(frame: int) -> None:
        nonlocal written
        if holes and written < frame:
            out.seek((frame - written) * 4, os.SEEK_CUR)
            written = frame
        while written < frame:
            n = min(frame - written, _ZERO_FRAMES)
            out.write(zeros[: n * 4])
            written += n

    for at, pcm in pcm16_pieces(prepared):
        silence_until(at)
        out.write(pcm.data)
        written += len(pcm)
        if progress is not None and written - reported >= _ZERO_FRAMES:
            progress(written, total)
            reported = written
    silence_until(total)
    if holes:
        out.truncate(len(header) + total * 4)  # a hole at the end still counts
    if progress is not None:
        progress(total, total)


def _write_soundfile(prepared: Prepared, fmt: Format, path: str, progress: Progress | None) -> None:
    import soundfile

    session = prepared.session
    total = prepared.schedule.length
    extra: dict[str, Any] = {}
    if fmt.compression is not None:
        extra["compression_level"] = fmt.compression
    with soundfile.SoundFile(
        path,
        "w",
        samplerate=session.sample_rate,
        channels=2,
        format=fmt.container,
        subtype=fmt.subtype,
        **extra,
    ) as sf:
        try:
            sf.title = session.describe()
            sf.artist = "pacer"
        except (RuntimeError, AttributeError):  # pragma: no cover - format without tags
            pass
        done = 0
        if fmt.subtype == "PCM_16":
            for pcm in pcm16_blocks(prepared):
                sf.write(pcm)
                done += len(pcm)
                if progress is not None:
                    progress(done, total)
        else:
            for block in blocks(prepared, RENDER_BLOCK_FRAMES):
                sf.write(block)
                done += len(block)
                if progress is not None:
                    progress(done, total)


def _check_rate(session: Session, fmt: Format) -> None:
    if fmt.rates is not None and session.sample_rate not in fmt.rates:
        allowed = ", ".join(str(r) for r in fmt.rates)
        raise SettingsError(
            f"--rate: {session.sample_rate} Hz is not allowed for .{fmt.name}; "
            f"use one of {allowed}.",
            "sample_rate",
        )


def _check_size(prepared: Prepared, fmt: Format) -> None:
    if fmt.name == "wav" and prepared.schedule.length * 4 + 36 + 256 > 0xFFFFFFFF:
        raise SettingsError(
            "--minutes: this session is over 4 GB as WAV, more than a WAV "
            "file can hold; write .flac or .ogg instead.",
            "minutes",
        )


def _output_error(err: OSError, target: Path) -> OutputError:
    reason = err.strerror or str(err)
    if err.errno == errno.ENOSPC:
        reason = "no space left on the disk"
    elif err.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        reason = f"no permission to write in {target.parent}"
    return OutputError(f"cannot write {target}: {reason}")


def _runtime_error(err: RuntimeError, target: Path) -> OutputError:
    """libsndfile reports write failures as RuntimeError/LibsndfileError."""
    return OutputError(f"cannot write {target}: {err}")


def render(
    session: Session | Prepared,
    path: str | os.PathLike[str],
    *,
    format: str | None = None,
    progress: Progress | None = None,
) -> Rendered:
    """Write the whole session to an audio file.

    Parameters
    ----------
    session:
        What to render. Its ``sample_rate`` is used as it is (see :func:`suggested_rate`
        for what suits a phone file). A session is prepared first
        (:func:`pacer.voice.prepare`); pass a prepared one to reuse it.
    path:
        The file to write. The format comes from its extension (.wav, .flac, .ogg,
        .opus, .mp3) unless ``format`` is given.
    progress:
        Called as ``progress(frames_done, frames_total)`` after each block.

    Raises
    ------
    SettingsError
        Unknown format, a rate the format does not allow, a missing directory, or a
        path that is a directory. Nothing is written.
    OutputError
        The file could not be written (disk full, no permission). No partial file is
        left, and an earlier file at ``path`` is untouched.
    """
    target = check_target(path)
    fmt = format_for(target, format)
    _check_rate(session.session if isinstance(session, Prepared) else session, fmt)
    prepared = session if isinstance(session, Prepared) else prepare(session)
    _check_size(prepared, fmt)
    parent = target.parent

    special = target.exists() and not stat.S_ISREG(target.stat().st_mode)
    # /dev/null or a pipe is written directly: nothing to protect, nothing to rename.
    temp = target if special else parent / f".{target.name}.{secrets.token_hex(4)}.part"
    try:
        if fmt.name == "wav":
            flags = os.O_WRONLY | (0 if special else os.O_CREAT | os.O_EXCL)
            with os.fdopen(os.open(temp, flags, 0o666), "wb") as out:
                _write_wav(prepared, out, progress, holes=not special)
        else:
            if not special:
                os.close(os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
            _write_soundfile(prepared, fmt, os.fspath(temp), progress)
        if not special:
            os.replace(temp, target)
    except BaseException as err:
        if not special:
            with contextlib.suppress(OSError):
                os.unlink(temp)
        if isinstance(err, OSError):
            raise _output_error(err, target) from err
        if isinstance(err, RuntimeError):
            raise _runtime_error(err, target) from err
        raise
    size = target.stat().st_size if not special else 0
    return Rendered(target, fmt.name, size, prepared.schedule.summary())


def write_captions(session: Session | Prepared, path: str | os.PathLike[str]) -> Path:
    """Write the cues' words at their times beside a rendered file: ``.lrc`` (lyrics,
    shown by most phone players) or ``.srt`` (subtitles). Atomic, like :func:`render`."""
    target = check_target(path)
    kind = target.suffix.lower().lstrip(".")
    if kind not in CAPTIONS:
        allowed = " or ".join(f".{name}" for name in CAPTIONS)
        raise SettingsError(f"--cues: {os.fspath(path)}: use a {allowed} file name", "captions")
    prepared = session if isinstance(session, Prepared) else prepare(session)
    temp = target.parent / f".{target.name}.{secrets.token_hex(4)}.part"
    try:
        temp.write_text(captions(prepared, kind), encoding="utf-8")
        os.replace(temp, target)
    except OSError as err:
        temp.unlink(missing_ok=True)
        raise _output_error(err, target) from err
    return target
