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
import stat
import struct
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import numpy as np
import numpy.typing as npt

from ..display import CAPTIONS, CAPTIONS_MARK
from ..display import captions as caption_text
from ..errors import OutputError, SettingsError
from ..mixer import Mixer, blocks
from ..session import Session, expect_path, said, show
from ..timeline import Summary
from ..voice import Prepared, prepare
from .formats import FORMATS, Format, suggested_rate

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
class Rendered:
    """What a render wrote."""

    path: Path
    format: str
    bytes: int
    summary: Summary


def format_for(path: str | os.PathLike[str], format: str | None = None) -> Format:
    """The format for ``path``: ``format`` if given, else from the file extension.

    Raises :class:`SettingsError` for an unknown one, or for a ``format`` that
    contradicts the extension (WAV data in a file named ``.ogg``).
    """
    allowed = ", ".join(f".{name}" for name in FORMATS)
    name = os.fspath(_path(path))
    suffix = Path(name).suffix.lower().lstrip(".")
    if format is not None:
        if not isinstance(format, str):
            raise SettingsError(f"format: {show(format)} is not a format name", "format")
        key = format.lower().lstrip(".")
        if key not in FORMATS:
            raise SettingsError(
                f"format: {show(format)} is not a format pacer writes; "
                f"use one of {', '.join(FORMATS)}.",
                "format",
            )
        # Opus lives in an Ogg container, so an .ogg name may hold it.
        if suffix in FORMATS and suffix != key and (suffix, key) != ("ogg", "opus"):
            raise SettingsError(
                f"format: {key} does not match the file name {said(name)} ({suffix.upper()}); "
                f"name the file .{key}, or leave the format out.",
                "format",
            )
        return FORMATS[key]
    if suffix not in FORMATS:
        what = f"extension '.{suffix}'" if suffix else "no extension"
        raise SettingsError(
            f"{said(name)}: {what} is not a format pacer writes; use {allowed} (or --format).",
            "format",
        )
    return FORMATS[suffix]


NAME_MAX = 255
"""The longest file name (in bytes) most file systems take."""


def _path(path: object) -> Path:
    return expect_path(path, "path")


def check_target(path: str | os.PathLike[str]) -> Path:
    """``path`` as a Path, if a file can be written there: raises
    :class:`SettingsError` for a directory, a missing parent directory or a name too
    long for the file system."""
    target = _path(path)
    name = os.fsencode(target.name)
    if len(name) > NAME_MAX:
        raise SettingsError(
            f"{_short(target)}: the file name is {len(name)} characters long; "
            f"the most a file system takes is {NAME_MAX}",
            "path",
        )
    try:
        mode: int | None = os.stat(target).st_mode
    except OSError as err:
        if err.errno == errno.ENAMETOOLONG:
            raise SettingsError(f"{_short(target)}: the path is too long", "path") from None
        mode = None  # missing (or unreadable): the parent's check below says why
    if mode is not None and stat.S_ISDIR(mode):
        raise SettingsError(
            f"{said(target)}: is a directory; give a file name such as {said(target / 'walk.ogg')}",
            "path",
        )
    try:
        parent_ok = stat.S_ISDIR(os.stat(target.parent).st_mode)
    except OSError:
        parent_ok = False
    if not parent_ok:
        raise SettingsError(
            f"{said(target)}: the directory {said(target.parent)} does not exist", "path"
        )
    return target


_AUDIO_STARTS = (b"RIFF", b"RF64", b"fLaC", b"OggS", b"ID3")
"""How the files pacer writes begin (WAV, FLAC, Ogg Vorbis and Opus, MP3 with tags)."""


def _is_audio(head: bytes) -> bool:
    mp3_frame = len(head) >= 2 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0
    return head.startswith(_AUDIO_STARTS) or mp3_frame


def _is_own_captions(head: bytes) -> bool:
    """Whether ``head`` (a file's start) is captions pacer wrote."""
    text = head.decode("utf-8", "replace").lstrip("\ufeff")
    lines = [line.strip() for line in text.splitlines()]
    if f"[ar:{CAPTIONS_MARK}]" in lines[:4]:
        return True
    return (
        len(lines) >= 3
        and lines[0] == "1"
        and lines[1] == "00:00:00,000 --> 00:00:00,000"
        and lines[2].startswith(f"{CAPTIONS_MARK}:")
    )


def check_replaceable(target: Path, audio: bool = True) -> None:
    """Raise :class:`SettingsError` if ``target`` is a file with something in it that a
    render must not write over: for an ``audio`` file anything but audio (a journal,
    a document); for captions anything but captions pacer wrote (a film's subtitles,
    notes), and a symbolic link to a file (captions are never written through a link
    into what it points to). An empty file, a missing one and a device or pipe are
    fine."""
    if not audio and os.path.islink(target):
        try:
            special = not stat.S_ISREG(os.stat(target).st_mode)
        except OSError:
            special = False  # a link to nothing: writing would make what it names
        if not special:
            raise SettingsError(
                f"{_short(target)}: is a symbolic link; pacer writes captions only to a "
                "file of its own, never through a link: give another name",
                "path",
            )
    try:
        # Never opened unless a regular file: opening a pipe to read waits for a writer.
        if not stat.S_ISREG(os.stat(target).st_mode):
            return
        with open(target, "rb") as handle:
            head = handle.read(4096)
    except (OSError, ValueError):
        return  # missing or unreadable: writing says why, if it cannot
    if not head or (_is_audio(head) if audio else _is_own_captions(head)):
        return
    if head.startswith(b"SQLite format 3\0"):
        what = "a database (perhaps pacer's journal)"
    elif audio:
        what = "not an audio file"
    else:
        what = "not captions pacer wrote"
    raise SettingsError(
        f"{_short(target)}: already exists and is {what}; pacer writes only over an "
        "earlier file of its own kind: give another name",
        "path",
    )


def check_distinct(outputs: dict[str, str | os.PathLike[str]], inputs: dict[str, Any]) -> None:
    """Raise :class:`SettingsError` if two outputs, or an output and an input, are the
    same file (``what -> path``; inputs that are ``None`` are skipped): one would be
    written over the other."""
    seen: list[tuple[str, Path]] = []
    for what, path in [*outputs.items(), *((w, p) for w, p in inputs.items() if p is not None)]:
        here = Path(path)
        for other, there in seen:
            if _same_file(here, there):
                verb = "is written to" if what in outputs else "is read from"
                raise SettingsError(
                    f"{what}: {_short(here)} {verb} the same file as {other}; "
                    "give each its own name",
                    what,
                )
        seen.append((what, here))


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except (OSError, ValueError):
        return os.path.abspath(a) == os.path.abspath(b)


def _short(path: Path, width: int = 80) -> str:
    text = said(path)
    return text if len(text) <= width else text[: width // 2] + "…" + text[-(width // 2) :]


def _to_pcm16(
    piece: npt.NDArray[np.float32], out: npt.NDArray[np.int16] | None = None
) -> npt.NDArray[np.int16]:
    """``piece`` as 16-bit PCM (``round(clip(x) * 32767)``), in ``out`` if given; a
    writable piece is used as scratch space, so its values are lost."""
    scratch = piece if piece.flags.writeable else piece.copy()
    np.clip(scratch, -1.0, 1.0, out=scratch)
    scratch *= np.float32(32767.0)
    np.rint(scratch, out=scratch)
    if out is None:
        pcm: npt.NDArray[np.int16] = scratch.astype("<i2")
        return pcm
    np.copyto(out, scratch, casting="unsafe")  # whole numbers in range: exact
    return out


def pcm16_pieces(
    prepared: Prepared, window: int = RENDER_BLOCK_FRAMES
) -> Iterator[tuple[int, npt.NDArray[np.int16]]]:
    """Where the walk sounds, as ``(first_frame, pcm)`` pieces in order, ``pcm``
    16-bit of shape ``(n, 2)``; between pieces is silence. Silence is never computed.

    A piece where sounds overlap is mixed and converted in two buffers made once
    (no new arrays per piece): use or copy each ``pcm`` before taking the next."""
    stop = prepared.schedule.length
    frames = max(1, min(window, stop))
    pcm = np.empty((frames, 2), dtype="<i2")
    mixer = Mixer(prepared, scratch=np.empty((frames, 2), dtype=np.float32))
    shared: dict[int, tuple[npt.NDArray[np.float32], npt.NDArray[np.int16]]] = {}
    for b0 in range(0, stop, window):
        for offset, piece in mixer.spans(b0, min(b0 + window, stop)):
            if piece.flags.writeable:
                yield b0 + offset, _to_pcm16(piece, pcm[offset : offset + len(piece)])
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
    """Header first (the length is known), then the sounding pieces. With ``holes`` (a
    regular file) silence is not written at all: each piece goes to its place with
    one ``pwrite``, and the file system keeps the silence between as holes, which read
    as zeros. Otherwise (a pipe) silence is written from one shared buffer of zeros."""
    session = prepared.session
    total = prepared.schedule.length
    header = _wav_header(total, session.sample_rate, 2, _info_chunk(session.describe(), "pacer"))
    out.write(header)
    pieces = pcm16_pieces(prepared)
    if holes:
        out.flush()
        fd, base = out.fileno(), len(header)
        reported = 0
        for at, pcm in pieces:
            _pwrite_all(fd, pcm, base + at * 4)
            done = at + len(pcm)
            if progress is not None and done - reported >= _ZERO_FRAMES and done < total:
                progress(done, total)
                reported = done
        os.ftruncate(fd, base + total * 4)  # a hole at the end still counts
        return
    zeros = memoryview(bytes(_ZERO_FRAMES * 4))
    written = 0
    reported = 0

    def silence_until(frame: int) -> None:
        nonlocal written
        while written < frame:
            n = min(frame - written, _ZERO_FRAMES)
            out.write(zeros[: n * 4])
            written += n

    for at, pcm in pieces:
        silence_until(at)
        out.write(pcm.data)
        written += len(pcm)
        if progress is not None and written - reported >= _ZERO_FRAMES and written < total:
            progress(written, total)
            reported = written
    silence_until(total)


def _pwrite_all(fd: int, data: npt.NDArray[np.int16], offset: int) -> None:
    """All of ``data`` at ``offset`` in the file (a write may take only part)."""
    view = data.data.cast("B")
    while view:
        n = os.pwrite(fd, view, offset)
        view, offset = view[n:], offset + n


def _write_soundfile(prepared: Prepared, fmt: Format, path: Any, progress: Progress | None) -> None:
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
                if progress is not None and done < total:
                    progress(done, total)
        else:
            for block in blocks(prepared, RENDER_BLOCK_FRAMES):
                sf.write(block)
                done += len(block)
                if progress is not None and done < total:
                    progress(done, total)


def _check_rate(session: Session, fmt: Format) -> None:
    if fmt.rates is not None and session.sample_rate not in fmt.rates:
        allowed = ", ".join(str(r) for r in fmt.rates)
        raise SettingsError(
            f"sample_rate: {session.sample_rate} Hz is not allowed for .{fmt.name}; "
            f"use one of {allowed}.",
            "sample_rate",
        )


def _check_size(prepared: Prepared, fmt: Format) -> None:
    if fmt.name == "wav" and prepared.schedule.length * 4 + 36 + 256 > 0xFFFFFFFF:
        raise SettingsError(
            "minutes: this session is over 4 GB as WAV, more than a WAV "
            "file can hold; write .flac or .ogg instead.",
            "minutes",
        )


def _reason(err: OSError) -> str:
    """An OS error in the walker's words."""
    if err.errno in (errno.ENOSPC, errno.EDQUOT):
        return "the disk is full"
    if err.errno in (errno.EACCES, errno.EPERM):
        return "no permission to write there"
    if err.errno == errno.EROFS:
        return "the disk is read-only"
    if err.errno == errno.ENAMETOOLONG:
        return "the name is too long"
    return err.strerror or str(err)


def _output_error(err: OSError, target: Path) -> OutputError:
    reason = _reason(err)
    if err.errno in (errno.EACCES, errno.EPERM):
        reason = f"no permission to write in {said(target.parent)}"
    return OutputError(f"cannot write {_short(target)}: {reason}")


class _Recorded:
    """A binary file for libsndfile's virtual I/O that keeps the first OS error
    (libsndfile itself only says "System error.") and never lets one escape into
    its C callbacks."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.error: OSError | None = None

    def write(self, data: bytes) -> int:
        if self.error is not None:
            return 0
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(self.fd, view) :]
        except OSError as err:
            self.error = err
            return 0
        return len(data)

    def seek(self, offset: int, whence: int = 0) -> int:
        try:
            return os.lseek(self.fd, offset, whence)
        except OSError as err:
            self.error = self.error or err
            return -1

    def tell(self) -> int:
        return self.seek(0, os.SEEK_CUR)

    def read(self, size: int = -1) -> bytes:
        try:
            return os.read(self.fd, size if size >= 0 else 1 << 20)
        except OSError as err:
            self.error = self.error or err
            return b""


_STALE_SECONDS = 24 * 3600
"""A temporary file untouched this long is left over, whatever its process id says
(the id may have been given to another process since)."""


def _pid_alive(pid: int) -> bool:
    if os.name == "nt":  # os.kill there ends the process; never probe
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def _temp_prefix(target: Path) -> str:
    """The start of the hidden temporary name for ``target``: its own name where that
    fits in :data:`NAME_MAX`, else a digest of it."""
    prefix = f".{target.name}."
    if len(os.fsencode(prefix)) + 32 > NAME_MAX:
        import hashlib  # only for a name too long to keep

        digest = hashlib.sha256(os.fsencode(target.name)).hexdigest()[:16]
        prefix = f".pacer-{digest}."
    return prefix


def _remove_stale(target: Path) -> None:
    """Temporary files of earlier renders of ``target`` whose process is gone (killed
    before it could clean up)."""
    prefix = _temp_prefix(target)
    try:
        names = os.listdir(target.parent)
    except OSError:
        return
    for name in names:
        if not (name.startswith(prefix) and name.endswith(".part")):
            continue
        pid_text = name[len(prefix) :].split("-", 1)[0]
        path = target.parent / name
        with contextlib.suppress(OSError):
            old = time.time() - path.stat().st_mtime > _STALE_SECONDS
            if pid_text.isdigit() and (old or not _pid_alive(int(pid_text))):
                path.unlink()


def _tmpfile_works() -> bool:
    return hasattr(os, "O_TMPFILE") and os.path.isdir("/proc/self/fd")


def _open_special(target: Path, mode: int) -> int:
    """Open a device or a pipe to write it. A pipe no program reads yet is refused at
    once (writing it would wait for a reader for ever)."""
    if not stat.S_ISFIFO(mode):
        return os.open(target, os.O_WRONLY)
    try:
        fd = os.open(target, os.O_WRONLY | os.O_NONBLOCK)
    except OSError as err:
        if err.errno != errno.ENXIO:
            raise
        raise SettingsError(
            f"{_short(target)}: is a pipe that no program reads; start the program that "
            "reads it first (or give a file name)",
            "path",
        ) from None
    os.set_blocking(fd, True)
    return fd


class _Atomic:
    """A file that appears at ``target`` only when :meth:`commit` is called.

    On Linux it is an unnamed file (``O_TMPFILE``) in the target's directory, linked
    into place at the end: if the process is killed, even by SIGKILL, nothing is
    left. Elsewhere it is a hidden ``.NAME.PID-TOKEN.part`` beside the target, removed
    on any error or interrupt; one left by a killed render is removed by the next
    render of the same target. A target that exists but is not a regular file
    (``/dev/null``, a pipe) is written directly.
    """

    use_tmpfile = _tmpfile_works()

    def __init__(self, target: Path) -> None:
        try:
            mode: int | None = os.stat(target).st_mode
        except OSError:
            mode = None
        self.special = mode is not None and not stat.S_ISREG(mode)
        if not self.special and os.path.islink(target):
            # Write the file a link points to (/dev/stdout to a file, a link in a music
            # folder), never a new file over the link itself.
            target = Path(os.path.realpath(target))
        self.target = target
        self.temp: Path | None = None
        self.fd = -1
        if self.special:
            self.fd = _open_special(target, mode or 0)
            return
        if self.use_tmpfile:
            try:
                self.fd = os.open(target.parent, os.O_TMPFILE | os.O_RDWR, 0o666)
                return
            except OSError as err:
                if err.errno not in (errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL, errno.ENOENT):
                    raise
        _remove_stale(target)
        self.temp = target.parent / (
            f"{_temp_prefix(target)}{os.getpid()}-{os.urandom(4).hex()}.part"
        )
        self.fd = os.open(self.temp, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o666)

    @property
    def seekable(self) -> bool:
        """Whether the file can seek (a pipe cannot)."""
        try:
            os.lseek(self.fd, 0, os.SEEK_CUR)
        except OSError:
            return False
        return True

    def commit(self, last_word: Callable[[], None] | None = None) -> None:
        """Put the finished file in place (atomically replacing an older one).

        ``last_word`` is called once the file has its final name beside the target,
        just before the rename: if it raises, nothing is replaced and the temporary
        goes (the caller's way to abandon the file up to the very last moment)."""
        if last_word is None:
            last_word = _nothing
        if self.special:
            last_word()
        elif self.temp is None:
            # Link the unnamed file under a hidden name, then rename it over the target.
            _remove_stale(self.target)
            self.temp = self.target.parent / (
                f"{_temp_prefix(self.target)}{os.getpid()}-{os.urandom(4).hex()}.part"
            )
            # os.link follows the /proc symlink only when given a directory fd.
            procfd = os.open("/proc/self/fd", os.O_RDONLY)
            try:
                os.link(str(self.fd), self.temp, src_dir_fd=procfd, follow_symlinks=True)
            finally:
                os.close(procfd)
            last_word()
            os.replace(self.temp, self.target)
            self.temp = None
        else:
            last_word()
            os.replace(self.temp, self.target)
            self.temp = None
        self.close()

    def close(self) -> None:
        """Close, and remove the temporary file if it was not committed."""
        if self.fd >= 0:
            with contextlib.suppress(OSError):
                os.close(self.fd)
            self.fd = -1
        if self.temp is not None:
            with contextlib.suppress(OSError):
                os.unlink(self.temp)
            self.temp = None


def _nothing() -> None:
    pass


def _check_arguments(session: object, progress: object) -> None:
    if not isinstance(session, (Session, Prepared)):
        raise SettingsError(f"session: {show(session)} is not a Session", "session")
    if progress is not None and not callable(progress):
        raise SettingsError(f"progress: {show(progress)} is not a function", "progress")


def _captions_target(path: str | os.PathLike[str]) -> tuple[Path, str]:
    target = check_target(path)
    kind = target.suffix.lower().lstrip(".")
    if kind not in CAPTIONS:
        allowed = " or ".join(f".{name}" for name in CAPTIONS)
        raise SettingsError(f"captions: {_short(target)}: use a {allowed} file name", "captions")
    check_replaceable(target, audio=False)
    return target, kind


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _keep_old(target: Path) -> Path | None:
    """A hidden second name for the regular file at ``target`` (to put it back if what
    replaces it must be undone), or ``None`` when there is none."""
    try:
        if not stat.S_ISREG(os.lstat(target).st_mode):
            return None
    except OSError:
        return None
    kept = target.parent / f"{_temp_prefix(target)}{os.getpid()}-{os.urandom(4).hex()}.old.part"
    try:
        os.link(target, kept)
    except OSError:
        import shutil

        shutil.copy2(target, kept)
    return kept


def render(
    session: Session | Prepared,
    path: str | os.PathLike[str],
    *,
    format: str | None = None,
    progress: Progress | None = None,
    captions: str | os.PathLike[str] | None = None,
) -> Rendered:
    """Write the whole session to an audio file (and, if asked, its captions).

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
        Called as ``progress(frames_done, frames_total)`` after each block, and a
        last time as ``progress(total, total)`` when the file is complete, just
        before it replaces an earlier one. An exception it raises abandons the
        render: nothing is written and an earlier file is untouched (a command
        line's way to stop on a signal between blocks).
    captions:
        Also write the cues' words at their times to this ``.lrc`` or ``.srt`` file
        (see :func:`write_captions`). All or nothing: both files appear, or neither
        does and earlier files of those names stay as they were.

    Raises
    ------
    SettingsError
        Unknown format, a format the file name contradicts, a rate the format does not
        allow, a missing directory, a name too long, a path that is a directory, or
        an existing file that is not audio (a journal, a document), or for captions
        not captions pacer wrote. Nothing is written.
    OutputError
        A file could not be written (disk full, no permission). No partial file is
        left, and earlier files at ``path`` and ``captions`` are untouched.
    """
    _check_arguments(session, progress)
    target = check_target(path)
    fmt = format_for(target, format)
    check_replaceable(target)
    caption_target: tuple[Path, str] | None = None
    if captions is not None:
        caption_target = _captions_target(captions)
        check_distinct({"path": target, "captions": caption_target[0]}, {})
    _check_rate(session.session if isinstance(session, Prepared) else session, fmt)
    prepared = session if isinstance(session, Prepared) else prepare(session)
    _check_size(prepared, fmt)
    words: _Atomic | None = None
    if caption_target is not None:
        # The captions are made and written first, unnamed: a place that cannot take
        # them fails the render before any audio is written.
        data = caption_text(prepared, caption_target[1]).encode("utf-8")
        try:
            words = _Atomic(caption_target[0])
            _write_all(words.fd, data)
        except OSError as err:
            if words is not None:
                words.close()
            raise _output_error(err, caption_target[0]) from err
    out: _Atomic | None = None
    sink: _Recorded | None = None
    kept: Path | None = None
    committed = False
    try:
        out = _Atomic(target)
        if fmt.name == "wav":
            with os.fdopen(out.fd, "wb", closefd=False) as handle:
                _write_wav(prepared, handle, progress, holes=not out.special)
        else:
            if out.special and not out.seekable:
                # A pipe: libsndfile writes it itself, where the format can stream.
                _write_soundfile(prepared, fmt, f"/dev/fd/{out.fd}", progress)
            else:
                sink = _Recorded(out.fd)
                _write_soundfile(prepared, fmt, sink, progress)
                if sink.error is not None:  # some encoders do not report a failed write
                    raise sink.error
        total = prepared.schedule.length
        audio = out

        def last_word() -> None:
            nonlocal kept
            if progress is not None:
                progress(total, total)
            if words is not None and not audio.special:
                kept = _keep_old(audio.target)

        out.commit(last_word)
        committed = True
    except OSError as err:
        raise _output_error(err, target) from err
    except Exception as err:
        # libsndfile says "System error." (or soundfile fails an assertion) where the
        # file system said why: say that.
        if sink is not None and sink.error is not None:
            raise _output_error(sink.error, target) from err
        if isinstance(err, RuntimeError):
            raise OutputError(f"cannot write {_short(target)}: {err}") from err
        raise
    finally:
        if out is not None:
            out.close()
        if words is not None and not committed:
            words.close()
    if words is not None and caption_target is not None:
        try:
            words.commit()
        except OSError as err:
            # Undo the audio: the earlier file comes back as it was, or none is left.
            with contextlib.suppress(OSError):
                if kept is not None:
                    os.replace(kept, out.target)
                    kept = None
                elif not out.special:
                    os.unlink(out.target)
            raise _output_error(err, caption_target[0]) from err
        finally:
            words.close()
            if kept is not None:
                with contextlib.suppress(OSError):
                    os.unlink(kept)
    size = target.stat().st_size if not out.special else 0
    return Rendered(target, fmt.name, size, prepared.schedule.summary())


def write_captions(session: Session | Prepared, path: str | os.PathLike[str]) -> Path:
    """Write the cues' words at their times beside a rendered file: ``.lrc`` (lyrics,
    shown by most phone players) or ``.srt`` (subtitles). Atomic, like :func:`render`;
    an existing file is written over only if it is captions pacer wrote (see
    :data:`CAPTIONS_MARK`), and never through a symbolic link."""
    _check_arguments(session, None)
    target, kind = _captions_target(path)
    prepared = session if isinstance(session, Prepared) else prepare(session)
    data = caption_text(prepared, kind).encode("utf-8")
    out: _Atomic | None = None
    try:
        out = _Atomic(target)
        _write_all(out.fd, data)
        out.commit()
    except OSError as err:
        raise _output_error(err, target) from err
    finally:
        if out is not None:
            out.close()
    return target
