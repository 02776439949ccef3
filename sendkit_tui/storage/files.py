"""Private, atomic file writes shared by the config, the drafts and the plaintext key file.

``atomic_write_private`` never truncates the target in place: it writes a temporary file in
the same directory (mode 0600), flushes and fsyncs it, renames it over the target with
``os.replace`` and fsyncs the directory. A crash at any point leaves either the old file or the
new one, never a half-written file.

Directories: every directory this module creates is made 0700 (as the XDG base-directory spec
asks). An *existing* parent directory is tightened to 0700 only when it is one of ours, that is
when it is owned by the current user and sits at or under a directory named ``sendkit-tui``
(the platformdirs app directories). Other existing directories (``/tmp``, a directory a user
chose) are left as they are.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

from sendkit_tui.identity import APP_NAME

APP_DIR_NAME = APP_NAME
PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600


def ensure_private_dir(directory: Path) -> None:
    """Create ``directory`` (and any missing parents) with mode 0700; tighten it if it is ours."""
    directory = Path(directory)
    missing: list[Path] = []
    current = directory
    while not current.exists():
        missing.append(current)
        if current.parent == current:
            break
        current = current.parent
    for path in reversed(missing):
        try:
            path.mkdir(mode=PRIVATE_DIR_MODE)
        except FileExistsError:
            continue  # created concurrently: treat it like an existing directory below
        _chmod(path, PRIVATE_DIR_MODE)  # mkdir's mode is filtered by the umask
    if not directory.is_dir():
        raise NotADirectoryError(f"{directory} is not a directory")
    if directory not in missing and _is_ours(directory):
        mode = stat.S_IMODE(directory.stat().st_mode)
        if mode & 0o077:
            _chmod(directory, PRIVATE_DIR_MODE)


def atomic_write_private(path: Path, data: bytes | str) -> None:
    """Replace ``path`` with ``data`` atomically; the file is 0600 in a private directory.

    ``str`` data is written as UTF-8. On any failure the temporary file is removed and the
    exception is re-raised; the previous content of ``path`` is untouched.
    """
    path = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else bytes(data)
    directory = path.parent
    ensure_private_dir(directory)
    fd, temp_name = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            if hasattr(os, "fchmod"):
                os.fchmod(handle.fileno(), PRIVATE_FILE_MODE)  # mkstemp already uses 0600
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp_name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        raise
    fsync_directory(directory)


def fsync_directory(directory: Path) -> None:
    """Make a rename in ``directory`` durable (POSIX); failures are ignored."""
    if os.name != "posix":
        return
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def is_private_file(path: Path) -> bool:
    """True when ``path`` grants nothing to group or others."""
    return stat.S_IMODE(Path(path).stat().st_mode) & 0o077 == 0


def _is_ours(directory: Path) -> bool:
    getuid = getattr(os, "getuid", None)
    if getuid is None:
        return False
    try:
        if directory.stat().st_uid != getuid():
            return False
    except OSError:
        return False
    return APP_DIR_NAME in directory.resolve().parts


def _chmod(path: Path, mode: int) -> None:
    with contextlib.suppress(OSError):
        os.chmod(path, mode)
