"""Writing user files without ever leaving one empty or half-written.

Every file health-lint writes for the user (`links --fix` rewrites, `-o`
reports, baselines, `init`, graph exports, the derived-data cache) goes
through :func:`write_file`:

1. the new content goes to a temporary file in the same folder
   (``.<name>.<random>.tmp``), which is flushed and fsync'ed;
2. it gets the replaced file's permissions (and owner, where allowed), or
   for a new file the usual ``0666 & ~umask``;
3. with ``expected``, the file is read again just before it is replaced: if
   it no longer holds those bytes (someone saved an edit meanwhile),
   :class:`ChangedMeanwhile` is raised and the file is left alone;
4. ``os.replace`` swaps it in (atomic on POSIX), and the folder is fsync'ed.

A kill at any moment leaves either the old file or the new one, never a
mix; at worst a stray ``.<name>.*.tmp`` file. A full disk fails at step 1
with the old file intact. A symlink is followed (the link stays a link). A
target that exists but is not a regular file (``/dev/stdout``, a FIFO) is
written in place: it cannot be replaced, and it holds nothing to lose. A
read-only file is not replaced (``PermissionError``), as an editor would not.
"""
from __future__ import annotations

import errno
import os
import stat
from pathlib import Path


class ChangedMeanwhile(Exception):
    """The file changed after health-lint read it; it was not replaced."""

    def __init__(self, path: str | os.PathLike):
        super().__init__(f"{path} changed since health-lint read it; it was left as it is")
        self.path = path


def _new_file_mode() -> int:
    """0666 minus the umask, as open() would give a new file."""
    try:  # Linux 4.7+: read it without changing it (other threads may create files)
        with open("/proc/self/status", encoding="ascii", errors="replace") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return 0o666 & ~int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)  # elsewhere the only way to read it is to set it; put it straight back
    os.umask(mask)
    return 0o666 & ~mask


def write_file(path: str | os.PathLike, data: bytes | str, expected: bytes | None = None) -> None:
    """Replace ``path`` by ``data`` (``str`` is written as UTF-8, newlines
    unchanged) atomically. With ``expected``, only if the file still holds
    exactly those bytes (else :class:`ChangedMeanwhile`). Raises ``OSError``
    (the old file intact) when the new one cannot be written."""
    if isinstance(data, str):
        data = data.encode("utf-8")  # before touching anything: a bad character fails here
    target = Path(os.path.realpath(path))
    try:
        st = os.stat(target)
    except FileNotFoundError:
        st = None
    if st is not None and stat.S_ISDIR(st.st_mode):
        raise IsADirectoryError(21, "is a folder", str(path))
    if st is not None and not stat.S_ISREG(st.st_mode):
        with open(target, "wb") as fh:  # a device or FIFO: nothing to replace
            fh.write(data)
        return
    if expected is not None and st is None:
        raise ChangedMeanwhile(path)
    if st is not None and not os.access(target, os.W_OK):
        # Renaming over it would work (the folder is writable), but a
        # read-only file says "do not change me", as it does to an editor.
        raise PermissionError(errno.EACCES, "Permission denied (the file is read-only)", str(path))
    import tempfile  # here: most runs write nothing

    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if st is not None:
            os.chmod(tmp, stat.S_IMODE(st.st_mode))
            if (st.st_uid, st.st_gid) != (os.getuid(), os.getgid()):
                try:
                    os.chown(tmp, st.st_uid, st.st_gid)
                except OSError:
                    pass  # only root may give a file away; keep ours
        else:
            os.chmod(tmp, _new_file_mode())
        if expected is not None:
            try:
                current = target.read_bytes()
            except FileNotFoundError:
                current = None
            if current != expected:
                raise ChangedMeanwhile(path)
        os.replace(tmp, target)
    except BaseException:  # KeyboardInterrupt too: never leave the temporary file behind
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    _sync_folder(target.parent)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (a power cut right after it)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
