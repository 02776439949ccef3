"""Where the API key comes from, and where it is kept (DESIGN §4, like ``gh auth``).

Precedence, first hit wins:

1. ``SENDKIT_API_KEY``: read-only; never written, never deleted; the keyring is not touched.
2. The OS keyring: service ``sendkit-tui``, username = profile name, one item per profile.
3. A plaintext key file, only if it exists. It is created only by an explicit
   ``--insecure-storage`` (``store_insecure``), mode 0600 in a 0700 directory, at
   ``user_config_path("sendkit-tui") / "credentials-<profile>"`` by default.
4. Nothing: the app prompts, and a key that cannot be stored is kept for this run only.

The keyring is called through ``keyring_store`` (lazily imported, in a daemon thread, with a
timeout: 3 s by default, like gh). An unavailable keyring never raises out of this module and
never makes a key be stored in plain text on its own. ``lookup`` says why no key was found
(nothing stored, a locked keyring, no keyring here, a keyring that failed), so ``auth status``
can tell them apart. The key never appears in a repr, a message, an exception or a log record.
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sendkit_tui.domain.rules import mask_key
from sendkit_tui.identity import APP_NAME, ENV_API_KEY
from sendkit_tui.storage.files import atomic_write_private

if TYPE_CHECKING:
    from sendkit_tui.storage.keyring_store import KeyringCaller, Outcome

log = logging.getLogger(__name__)

SERVICE = APP_NAME
ENV_VAR = ENV_API_KEY
MAX_KEY_LENGTH = 1_000
DEFAULT_TIMEOUT = 3.0

_SAFE_PROFILE = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9._-]{0,63}")
_RUN_ONLY = (
    "so the key is kept for this run only; set SENDKIT_API_KEY to skip this step next time "
    "(or run `sendkit-tui auth login --insecure-storage`)."
)


class KeySource(StrEnum):
    ENV = "env"
    KEYRING = "keyring"
    FILE = "file"
    SESSION = "session"
    DEMO = "demo"

    def describe(self, detail: str | None = None) -> str:
        """Where a key came from, for people; ``detail`` is the file path for FILE."""
        if self is KeySource.FILE:
            return f"plaintext file {detail}" if detail else "plaintext file"
        return _DESCRIPTIONS[self]


_DESCRIPTIONS = {
    KeySource.ENV: ENV_API_KEY,
    KeySource.KEYRING: "system keyring",
    KeySource.SESSION: "this run only",
    KeySource.DEMO: "demo sandbox",
}


@dataclass(frozen=True)
class Credential:
    key: str = field(repr=False)
    source: KeySource
    profile: str = "default"
    detail: str | None = None  # keyring backend name or key file path

    @property
    def masked(self) -> str:
        return mask_key(self.key)

    def __repr__(self) -> str:
        return (
            f"Credential(key={self.masked!r}, source={self.source.value!r}, "
            f"profile={self.profile!r}, detail={self.detail!r})"
        )


@dataclass(frozen=True)
class StoreResult:
    ok: bool  # True when the key was written and read back equal
    source: KeySource  # KEYRING, FILE, or SESSION when it could not be stored
    message: str  # one user-facing sentence
    locked: bool = False  # not stored because the keyring is locked


@dataclass(frozen=True)
class KeyringStatus:
    available: bool
    backend: str  # e.g. "SecretService Keyring", "fail Keyring", "null Keyring"
    reason: str | None  # one sentence when unavailable
    locked: bool = False  # there is a keyring, but it is locked: a stored key cannot be read
    absent: bool = False  # there is no keyring here at all

    @classmethod
    def of(cls, outcome: Outcome) -> KeyringStatus:
        reason = None if outcome.available else f"{outcome.reason}."
        return cls(outcome.available, outcome.backend, reason, outcome.locked, outcome.absent)


@dataclass(frozen=True)
class Lookup:
    """The key ``resolve`` finds (or None) and what the keyring said while looking."""

    credential: Credential | None
    keyring: KeyringStatus | None  # None when the keyring was not asked (SENDKIT_API_KEY)


def default_key_file(profile: str) -> Path:
    """``<user config dir>/credentials-<profile>``; other profile names are hashed."""
    import platformdirs

    if _SAFE_PROFILE.fullmatch(profile):
        name = profile
    else:
        import hashlib  # rare: not loaded at start for it

        name = hashlib.sha256(profile.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    return platformdirs.user_config_path(SERVICE, appauthor=False) / f"credentials-{name}"


def check_key_length(key: str) -> str:
    """The key, trimmed; ValueError (never quoting it) if it is empty or too long."""
    text = key.strip()
    if not text:
        raise ValueError("The API key is empty.")
    if len(text) > MAX_KEY_LENGTH:
        raise ValueError(
            f"An API key is at most {MAX_KEY_LENGTH:,} characters; this one has {len(text):,}."
        )
    return text


class CredentialStore:
    """The key of one profile: resolve it, store it, delete it."""

    def __init__(
        self,
        profile: str = "default",
        *,
        env: Mapping[str, str] | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        key_file: Path | None = None,
    ) -> None:
        if not profile:
            raise ValueError("A profile name cannot be empty.")
        self.profile = profile
        self.env: Mapping[str, str] = os.environ if env is None else env
        self.timeout = timeout
        self.key_file = Path(key_file) if key_file is not None else default_key_file(profile)
        self.last_error: str | None = None  # a keyring problem met by delete(), for display
        self._caller: KeyringCaller | None = None  # made on the first keyring call

    def __repr__(self) -> str:
        return f"CredentialStore(profile={self.profile!r}, key_file={str(self.key_file)!r})"

    @property
    def env_key_present(self) -> bool:
        return bool(self.env.get(ENV_VAR, "").strip())

    # -- reading -----------------------------------------------------------------------------

    async def resolve(self) -> Credential | None:
        return (await self.lookup()).credential

    async def lookup(self) -> Lookup:
        """The key by precedence, with what the keyring said: a locked keyring is not
        "nothing stored"."""
        env_key = self.env.get(ENV_VAR, "").strip()
        if env_key:
            return Lookup(Credential(env_key, KeySource.ENV, self.profile), None)
        outcome = await self._keyring(lambda kr: kr.get_password(SERVICE, self.profile))
        status = KeyringStatus.of(outcome)
        if outcome.available and isinstance(outcome.value, str) and outcome.value.strip():
            key = outcome.value.strip()
            return Lookup(Credential(key, KeySource.KEYRING, self.profile, outcome.backend), status)
        file_key = self._read_file()
        if file_key:
            credential = Credential(file_key, KeySource.FILE, self.profile, str(self.key_file))
            return Lookup(credential, status)
        return Lookup(None, status)

    async def keyring_status(self) -> KeyringStatus:
        return KeyringStatus.of(await self._keyring(None))

    def _read_file(self) -> str | None:
        try:
            text = self.key_file.read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            return None
        except (OSError, UnicodeError) as error:
            log.warning("cannot read the key file %s: %s", self.key_file, type(error).__name__)
            return None
        return text if text and len(text) <= MAX_KEY_LENGTH else None

    # -- writing -----------------------------------------------------------------------------

    async def store(self, key: str) -> StoreResult:
        """Keep ``key`` in the keyring and check it by reading it back."""
        key = check_key_length(key)

        def write(kr: Any) -> bool:
            kr.set_password(SERVICE, self.profile, key)
            return bool(kr.get_password(SERVICE, self.profile) == key)

        outcome = await self._keyring(write)
        if not outcome.available:
            message = f"{outcome.reason}, {_RUN_ONLY}"
            return StoreResult(False, KeySource.SESSION, message, locked=outcome.locked)
        if outcome.value is not True:
            reason = f"The system keyring ({outcome.backend}) did not keep the key"
            return StoreResult(False, KeySource.SESSION, f"{reason}, {_RUN_ONLY}")
        where = f"the system keyring ({outcome.backend}) for profile {self.profile!r}"
        if self._remove_file():  # like gh: a keyring write retires the plaintext copy
            where += f"; the plaintext copy at {self.key_file} was removed"
        return StoreResult(True, KeySource.KEYRING, f"Key stored in {where}.")

    async def store_insecure(self, key: str) -> StoreResult:
        """Explicit opt-in: keep ``key`` in a 0600 plaintext file (written atomically)."""
        key = check_key_length(key)
        path = self.key_file
        try:
            atomic_write_private(path, key + "\n")
            problem = None if self._read_file() == key else "it did not read back"
        except OSError as error:
            problem = error.strerror or type(error).__name__
        if problem:
            message = f"Could not write the key file {path} ({problem}), so the key is kept "
            return StoreResult(False, KeySource.SESSION, message + "for this run only.")
        # The keyring outranks the file, so an older keyring item would shadow this key.
        removed = await self._keyring(self._delete_item)
        note = ""
        if removed.available and removed.value:
            note = "; the older key in the system keyring was removed"
        return StoreResult(
            True,
            KeySource.FILE,
            f"Key stored in plain text at {path}: anyone who can read that file can use it{note}.",
        )

    async def delete(self) -> list[str]:
        """Remove the keyring item and the plaintext file of this profile; say what went."""
        self.last_error = None
        removed: list[str] = []
        outcome = await self._keyring(self._delete_item)
        if outcome.available and outcome.value:
            removed.append(f"the key of profile {self.profile!r} from the system keyring")
        elif not outcome.available and not outcome.absent:
            self.last_error = f"{outcome.reason}, so a key stored there may remain."
        if self._remove_file():
            removed.append(f"the plaintext key file {self.key_file}")
        return removed

    def _delete_item(self, kr: Any) -> bool:
        if kr.get_password(SERVICE, self.profile) is None:
            return False
        kr.delete_password(SERVICE, self.profile)
        return True

    def _remove_file(self) -> bool:
        try:
            self.key_file.unlink()
        except FileNotFoundError:
            return False
        except OSError as error:
            log.warning("cannot remove the key file %s: %s", self.key_file, type(error).__name__)
            return False
        return True

    # -- the keyring, off the event loop -------------------------------------------------------

    async def _keyring(self, op: Callable[[Any], Any] | None) -> Outcome:
        """Run ``op(backend)`` in a daemon thread, waiting at most ``self.timeout`` seconds."""
        if self._caller is None:
            from sendkit_tui.storage.keyring_store import KeyringCaller

            self._caller = KeyringCaller()
        return await self._caller.call(op, self.timeout)

    # -- for the shell CLI (no running event loop) --------------------------------------------

    def resolve_sync(self) -> Credential | None:
        return asyncio.run(self.resolve())

    def lookup_sync(self) -> Lookup:
        return asyncio.run(self.lookup())

    def store_sync(self, key: str) -> StoreResult:
        return asyncio.run(self.store(key))

    def store_insecure_sync(self, key: str) -> StoreResult:
        return asyncio.run(self.store_insecure(key))

    def delete_sync(self) -> list[str]:
        return asyncio.run(self.delete())

    def keyring_status_sync(self) -> KeyringStatus:
        return asyncio.run(self.keyring_status())
