"""Per-file results of the check, kept between runs and keyed by each file's bytes.

Reading a province's 35,000 data files (composing YAML with line numbers, validating with
pydantic) and running the text rules over their prose (文字把关, the personal-data guard,
HTML safety) is nearly all of `./column check`, yet between two runs an editor changes a
few files. Each file's results are kept here under the SHA-256 hash of its bytes and
reused while the bytes are the same; a changed file is always read again, whatever its
size or modification time say (those are never trusted). What a result also depends on
is part of its key: the code and rule files (`code_fingerprint`: every file of the
`campaign` package, proofreading_terms.txt and the templates included, the versions of
Python, pydantic, PyYAML, OpenCC and pyahocorasick) for every entry, and per part the settings it was computed with
(limits, the leaders and units the proofreading automaton holds, the outbound allowlist).
Checks across records are not cached: they run on every check.

Records are the bulk of the file (a province's 130,000 pydantic objects): rather than one
pickle per file, which costs a Unpickler, class look-ups and the keys again for each of
35,000 files, they are kept together in one snapshot pickle, read in one go, in a file of
its own beside the index (check-v2-<CRC>-<size>.snapshot, its CRC kept in the index). Files
read again since (an edit) keep their own pickle in the index, so a run after an edit
rewrites the small index only; once enough have accumulated (`_compact`) the snapshot is
rebuilt from freshly unpickled copies (never from the objects a run handed out: later
stages may have changed them), and only then are values of removed files dropped from it.

Where: inside the repository's git folder (`.git/column-cache/`, like the history cache),
else `.cache/column/` in the project (git-ignored). Written atomically (a temporary file
renamed over the old one) once per run, only when something changed; entries of files no
longer read are dropped, so the file stays the size of the project. A missing, damaged,
foreign or outdated cache is ignored and rebuilt.

Why pickle is acceptable here: the file is one we wrote, inside the git folder, which
cannot be committed or pushed (an editor's submission cannot plant one), and whoever can
write there can already write .git/hooks, which git runs. Even so it is not trusted
blindly: a checksum over the payload must match, and the unpickler resolves only
the record, problem and date classes of this package (`_SafeUnpickler`), never a function,
so a crafted file cannot make loading call anything. In a folder that is not a git
repository, `.cache/column/` is git-ignored and only the machine's own runs write it.
"""
from __future__ import annotations

import hashlib
import io
import os
import pickle
import select
import stat
import sys
import tempfile
import threading
import zlib
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

from campaign.records.processes import usable_cpus

FORMAT = 2
_NAME = f"check-v{FORMAT}.pickle"
_MAGIC = b"column-check-cache\n"
MISSING = object()
# In an entry's parts: the value is in the snapshot (never a pickle: those start with \x80).
_IN_SNAPSHOT = b"snapshot"


def digest(raw: bytes) -> bytes:
    # SHA-256: collision-resistant (an editor must not be able to craft a changed file that
    # passes for a checked one) and the fastest such hash here (CPU SHA extensions).
    return hashlib.sha256(raw).digest()


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """Hash of everything that turns a file into its results: the package's own files (code,
    proofreading_terms.txt, templates) and the versions of Python and of the libraries that
    read and judge the files (pydantic, PyYAML, OpenCC's tables, the automaton)."""
    import importlib.util

    import pydantic
    import pydantic_core
    import yaml

    package = Path(__file__).resolve().parent.parent
    h = hashlib.blake2b(digest_size=16)
    h.update(f"{FORMAT} {sys.version} {pydantic.VERSION} {pydantic_core.__version__} {yaml.__version__}".encode())
    # OpenCC and the automaton are imported only when a text is proofread: their installed
    # files stand for their versions (a reinstall changes them), without importing them.
    for library in ("opencc", "ahocorasick"):
        try:
            spec = importlib.util.find_spec(library)
            origin = spec.origin if spec is not None and spec.origin else ""
            info = os.stat(origin) if origin else None
            h.update(f" {library} {origin} {info.st_size if info else ''} {info.st_mtime_ns if info else ''}".encode())
        except (ImportError, ValueError, OSError):
            h.update(f" {library} -".encode())
    for folder, dirnames, filenames in os.walk(package):
        dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
        for name in sorted(filenames):
            if name.endswith((".pyc", ".pyo")):
                continue
            path = Path(folder) / name
            h.update(path.relative_to(package).as_posix().encode() + b"\0")
            try:
                h.update(path.read_bytes())
            except OSError:
                pass
            h.update(b"\0")
    return h.hexdigest()


def settings_key(*parts: Any) -> str:
    """A short stable key for the settings a part was computed with."""
    return hashlib.blake2b(repr(parts).encode("utf-8"), digest_size=12).hexdigest()


def cache_path(root: Path) -> Path:
    """.git/column-cache/ of the project's repository, else .cache/column/ in the project."""
    git = root / ".git"
    try:
        if git.is_dir():
            return git / "column-cache" / _NAME
        if git.is_file():  # a worktree or submodule: "gitdir: <path>"
            line = git.read_text(encoding="utf-8").strip()
            if line.startswith("gitdir:"):
                target = Path(line[len("gitdir:"):].strip())
                target = target if target.is_absolute() else (root / target)
                if target.is_dir():
                    return target / "column-cache" / _NAME
    except OSError:
        pass
    return root / ".cache" / "column" / _NAME


# Classes a cache file may name; anything else (a function such as os.system, a class of
# another package) makes the whole file be ignored.
_ALLOWED_MODULES = frozenset({
    "campaign.records.models", "campaign.records.dates", "campaign.records.problems", "campaign.records.yamlsource",
    "campaign.records.texts", "campaign.rules.proofreading",
})
_ALLOWED_GLOBALS = frozenset({("datetime", "date"), ("builtins", "set"), ("builtins", "frozenset")})


class _SafeUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        found = _FOUND.get((module, name))
        if found is None:
            found = _FOUND[(module, name)] = _allowed_class(module, name)
        return found


_FOUND: dict[tuple[str, str], type] = {}


def _allowed_class(module: str, name: str) -> type:
    if (module, name) in _ALLOWED_GLOBALS:
        return getattr(__import__(module), name)
    if module in _ALLOWED_MODULES and "." not in name:
        found = getattr(sys.modules.get(module) or __import__(module, fromlist=[name]), name, None)
        if isinstance(found, type) and found.__module__ == module:
            return found
    raise pickle.UnpicklingError(f"{module}.{name}")


class _Stopped(Exception):
    pass


class _Stoppable(io.BytesIO):
    """Bytes to unpickle that stop the unpickler (_Stopped) when stop() says so, asked
    every few frames (pickle reads its input by frames of 64 KB)."""

    def __init__(self, blob: bytes, stop: "Callable[[], bool] | None") -> None:
        super().__init__(blob)
        self.stop, self.calls = stop, 0

    def read(self, size: int = -1) -> bytes:
        self.calls += 1
        if self.stop is not None and self.calls % 8 == 0 and self.stop():
            raise _Stopped
        return super().read(size)


def _loads(blob: bytes) -> Any:
    return _SafeUnpickler(io.BytesIO(blob)).load()


class FileCache:
    """The per-file results of the last run, and those of this run (saved by `save`).

    An entry is (hash of the file's bytes, {part: (settings key, pickled value)}); a part
    ("load", "texts", "html" …) is reused only for the same bytes and the same settings."""

    def __init__(self, path: Path | None, entries: dict[str, tuple[bytes, dict]] | None = None,
                 snapshot: tuple[str, bytes, int] | None = None):
        self.path = path
        self.old: dict[str, tuple[bytes, dict]] = entries or {}
        # The snapshot: (its file's name beside the cache, the CRC of its bytes, its number of
        # values); its bytes when read (or just written), and its values once unpickled:
        # (file, part) -> (hash, settings, value).
        self.snapshot = snapshot
        self._snapshot_bytes: bytes | None = None
        self._snapshot: dict | None = None
        self.new: dict[str, tuple[bytes, dict]] = {}
        self.changed = False
        self.hits = 0
        self.misses = 0
        # Bytes already read by `inputs_key` (path -> (hash, bytes)): each file is read once
        # per run, and the records are those of the very bytes the run's key was made of.
        self.prefetched: dict[str, tuple[bytes, bytes]] = {}
        self.listed: dict[str, tuple[list[str], list[str]]] = {}  # folder -> walk_names, by inputs_key
        self.computed: dict[str, bytes] = {}  # display -> hash of the files whose parts were computed
        # A file read after being hashed apart had other bytes: the run's report is not kept.
        self.tainted = False

    @classmethod
    def disabled(cls) -> "FileCache":
        return cls(None)

    @classmethod
    def open(cls, root: Path, snapshot: bool = True) -> "FileCache":
        path = cache_path(Path(root))
        try:
            blob = path.read_bytes()
        except OSError:
            return cls(path)
        cache = cls(path, *_decode_all(blob))
        if snapshot:
            cache._snapshot_blob()  # now, with the index: a parallel run may replace both later
        return cache

    def walk(self, folder: Path) -> tuple[list[str], list[str]]:
        """walk_names(folder), as `inputs_key` listed it when this run began (once)."""
        from campaign.records.yamlsource import walk_names

        listed = self.listed.pop(str(folder), None)
        return listed if listed is not None else walk_names(folder)

    @property
    def enabled(self) -> bool:
        return self.path is not None

    def read(self, path: Path | str, display: str, max_bytes: int) -> tuple[bytes | None, bytes] | None:
        """(hash, bytes) of a regular file within max_bytes, remembered as read this run
        (no hash when the cache is off); None for anything the normal reader must report
        (symlink, too large, unreadable)."""
        early = self.prefetched.get(str(path)) if self.prefetched else None
        if early is not None and isinstance(early[1], int):  # hashed apart: no bytes yet
            if early[0] and early[1] <= max_bytes:
                del self.prefetched[str(path)]
                key = early[0]
                old = self.old.get(display)
                if old is not None and old[0] == key:  # as last run: read only if a part is missing
                    if display not in self.new:
                        self.new[display] = (key, dict(old[1]))
                    return key, None
                raw = _read_regular(path, max_bytes)  # changed: read (and hashed) here
                if raw is None:
                    return None
                key = self._verified(display, key, raw)
                if display not in self.new:
                    self.new[display] = (key, {})
                    self.changed = True
                return key, raw
            early = None
        if early is not None and early[0] and len(early[1]) <= max_bytes:
            del self.prefetched[str(path)]  # taken: what is left is checked again (check.py)
            key, raw = early
        else:
            raw = _read_regular(path, max_bytes)
            if raw is None:
                return None
            if self.path is None:
                return None, raw
            key = digest(raw)
        if display not in self.new:
            old = self.old.get(display)
            self.new[display] = (key, dict(old[1]) if old is not None and old[0] == key else {})
            if old is None or old[0] != key:
                self.changed = True
        return key, raw

    def _verified(self, display: str, key: bytes, raw: bytes) -> bytes:
        """The hash of bytes read after `inputs_key` hashed the file apart; a difference (an
        editor saved it meanwhile) taints the run: its report is not kept under the key."""
        mine = digest(raw)
        if mine != key:
            self.tainted = True
        return mine

    def fetch(self, path: Path | str, display: str, key: bytes | None, max_bytes: int) -> bytes | None:
        """The bytes of a file `read` answered without them (key, None): read now for a part
        to compute. Bytes other than those hashed taint the run, and nothing of the file is
        kept (its entry holds results of the hashed bytes)."""
        raw = _read_regular(path, max_bytes)
        if key is not None and (raw is None or self._verified(display, key, raw) != key):
            self.tainted = True
            self.new.pop(display, None)
            self.changed = True
        return raw

    def get(self, display: str, key: bytes | None, part: str, settings: str = "") -> Any:
        """The value stored for this file's bytes and settings, or MISSING."""
        if key is None:
            return MISSING
        entry = self.new.get(display)
        if entry is None or entry[0] != key:
            return MISSING
        stored = entry[1].get(part)
        if stored is None or stored[0] != settings:
            self.misses += 1
            return MISSING
        if not stored[1]:  # nothing found in this file (most files): nothing to unpickle
            self.hits += 1
            return ()
        try:
            if stored[1] == _IN_SNAPSHOT:
                value = self._from_snapshot(display, part, key, settings)
            else:
                value = _loads(stored[1])
        except Exception:  # a damaged entry: compute it again
            del entry[1][part]
            self.changed = True
            self.misses += 1
            return MISSING
        self.hits += 1
        return value

    def empty_parts(self, part: str, settings: str = "") -> set[str]:
        """The files read this run whose part is stored as nothing found, for these settings:
        what `get` would answer () for (and counts so), in one pass, for the stages that
        look at every file (most files have no finding)."""
        empty = {display for display, (_, parts) in self.new.items()
                 if (stored := parts.get(part)) is not None and not stored[1] and stored[0] == settings}
        self.hits += len(empty)
        return empty

    def _from_snapshot(self, display: str, part: str, key: bytes, settings: str) -> Any:
        """A snapshot value, handed out once (a second caller gets its own by computing it)."""
        if self._snapshot is None:
            self._snapshot = {}
            blob = self._snapshot_blob()
            snapshot = _loads(blob) if blob else {}
            if isinstance(snapshot, dict):
                self._snapshot = snapshot
        stored = self._snapshot.pop((display, part), None)
        if not (isinstance(stored, tuple) and len(stored) == 3 and stored[0] == key and stored[1] == settings):
            raise KeyError(display)
        return stored[2]

    def preload(self, stop: "Callable[[], bool] | None" = None) -> bool:
        """Unpickle the snapshot now (while another process hashes the inputs); left for
        later (False) as soon as stop() says it will not be needed (the last report is)."""
        if self._snapshot is not None or self.snapshot is None:
            return True
        blob = self._snapshot_blob()
        try:
            snapshot = _SafeUnpickler(_Stoppable(blob, stop)).load() if blob else {}
        except _Stopped:
            return False
        except Exception:  # damaged: every value computed again
            snapshot = {}
        self._snapshot = snapshot if isinstance(snapshot, dict) else {}
        return True

    def _snapshot_blob(self) -> bytes:
        """The snapshot's pickle, read once; nothing when it is missing or damaged."""
        if self._snapshot_bytes is None:
            self._snapshot_bytes = b""
            if self.snapshot is not None and self.path is not None:
                name, crc, _ = self.snapshot
                try:
                    blob = (self.path.parent / name).read_bytes()
                except OSError:
                    blob = b""
                if _checksum(blob) == crc:
                    self._snapshot_bytes = blob
        return self._snapshot_bytes

    def put(self, display: str, key: bytes | None, part: str, settings: str, value: Any) -> None:
        """Store a part, pickled now: later stages may change the objects (AS_OF). An empty
        list or tuple is stored as nothing and read back as ()."""
        if key is None or not self.enabled:
            return
        entry = self.new.get(display)
        if entry is None or entry[0] != key:
            return
        try:
            blob = b"" if value == () or value == [] else pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:
            return
        entry[1][part] = (settings, blob)
        self.computed[display] = key
        self.changed = True

    @classmethod
    def add_parts(cls, root: Path, parts: dict[str, tuple[bytes, dict]]) -> None:
        """Add parts computed apart from the run that saved the cache (the build's text
        rules, in a forked process): the saved entries are kept as they are (snapshot
        included), each given part joins its file's entry when the file's bytes are the same."""
        # Without the snapshot: the parts are written in the index as their own values, and
        # the next check folds them in (a build at its end holds every page's data already).
        cache = cls.open(root, snapshot=False)
        if not cache.enabled or not cache.old:
            return
        cache.new = {display: (key, dict(stored)) for display, (key, stored) in cache.old.items()}
        for display, (key, stored) in parts.items():
            entry = cache.new.get(display)
            if entry is None:
                cache.new[display] = (key, dict(stored))
            elif entry[0] == key:
                entry[1].update(stored)
            else:
                continue
            cache.changed = True
        cache.save(compact=False)

    def join_parts(self, parts: dict[str, tuple[bytes, dict]]) -> None:
        """Parts computed in a forked process this run (the text rules) join their files'
        entries before `save`, where the file's bytes are the same (files only that process
        read, hand-written pages, join as they are)."""
        for display, (key, stored) in parts.items():
            entry = self.new.get(display)
            if entry is None:
                self.new[display] = (key, dict(stored))
            elif entry[0] == key and stored:
                entry[1].update(stored)
            else:
                continue
            self.changed = True

    def key_of(self, display: str) -> bytes | None:
        """The hash of a file read this run."""
        entry = self.new.get(display)
        return entry[0] if entry is not None else None

    def save(self, compact: bool = True) -> None:
        """Write this run's entries (files not read this run are dropped), atomically, and
        let go of them: a build keeps its dataset (and this object) for minutes. With
        `compact`, many values of their own are folded into a new snapshot."""
        try:
            self._write(compact)
        finally:
            self.path, self.old, self.new, self.prefetched, self.listed = None, {}, {}, {}, {}
            self.snapshot, self._snapshot, self._snapshot_bytes = None, None, None

    def _write(self, compact: bool = True) -> None:
        if not self.enabled or not (self.changed or set(self.old) != set(self.new)):
            return
        in_snapshot = own = 0
        for _, parts in self.new.values():
            for _, blob in parts.values():
                if blob == _IN_SNAPSHOT:
                    in_snapshot += 1
                elif blob:
                    own += 1
        # Values of files changed or removed since the snapshot was made, and values of their own.
        stale = (self.snapshot[2] if self.snapshot else 0) - in_snapshot
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            if compact and own + stale > max(32, (in_snapshot + own) // 32):
                self._compact()
            payload = pickle.dumps((code_fingerprint(), _shared_parts(self.new), self.snapshot),
                                   protocol=pickle.HIGHEST_PROTOCOL)
            _write_atomically(self.path, _MAGIC + _checksum(payload) + payload)
        except OSError:
            return  # a read-only project: no cache, the same results
        # Snapshots no entry names any more, and caches of earlier formats.
        keep = self.snapshot[0] if self.snapshot else None
        for old in self.path.parent.glob(f"check-v{FORMAT}-*.snapshot"):
            if old.name != keep:
                old.unlink(missing_ok=True)
        for earlier in range(1, FORMAT):
            (self.path.parent / f"check-v{earlier}.pickle").unlink(missing_ok=True)

    def _compact(self) -> None:
        """One snapshot of every value of this run's entries, from fresh copies: the old
        snapshot unpickled again and the files' own pickles (the objects handed out this run
        may have been changed by later stages). A value that cannot be read is dropped."""
        try:
            old = _loads(self._snapshot_blob()) if self.snapshot else {}
        except Exception:
            old = {}
        old = old if isinstance(old, dict) else {}
        values: dict[tuple[str, str], tuple] = {}
        for display, (key, parts) in self.new.items():
            for part, (settings, blob) in list(parts.items()):
                if not blob:
                    continue
                if blob == _IN_SNAPSHOT:
                    stored = old.get((display, part))
                    if not (isinstance(stored, tuple) and len(stored) == 3 and stored[0] == key and stored[1] == settings):
                        del parts[part]
                        continue
                else:
                    try:
                        stored = (key, settings, _loads(blob))
                    except Exception:
                        del parts[part]
                        continue
                values[(display, part)] = stored
                parts[part] = (settings, _IN_SNAPSHOT)
        blob = pickle.dumps(values, protocol=pickle.HIGHEST_PROTOCOL)
        crc = _checksum(blob)
        # Its own file, named by its checksum and size: a run after an edit rewrites the
        # small index only; a parallel run still reading the old index finds its snapshot
        # (or, once removed, computes those files again).
        name = f"check-v{FORMAT}-{crc.hex()}-{len(blob):x}.snapshot"
        _write_atomically(self.path.parent / name, blob)
        self.snapshot, self._snapshot_bytes = (name, crc, len(values)), blob


def _shared_parts(entries: dict[str, tuple[bytes, dict]]) -> dict[str, tuple[bytes, dict]]:
    """The entries with equal parts as one object: nearly every file's parts are the same
    (the same settings, values in the snapshot or empty), and pickle writes a shared object
    once, so reading the index makes a few dictionaries instead of 35,000. (`read` copies
    an entry's parts before changing them.)"""
    shared: dict[tuple, dict] = {}
    out: dict[str, tuple[bytes, dict]] = {}
    for display, (key, parts) in entries.items():
        try:
            signature = tuple(parts.items())
            parts = shared.setdefault(signature, parts)
        except TypeError:
            pass
        out[display] = (key, parts)
    return out


def _write_atomically(path: Path, blob: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".check-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(blob)
        os.replace(tmp, path)  # a parallel run reads the old file or the new one
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
# O_NONBLOCK: opening a named pipe must not wait for a writer (fstat then refuses it).
_OPEN_FLAGS = os.O_RDONLY | _NOFOLLOW | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0)


def _read_regular(path: Path | str, max_bytes: int) -> bytes | None:
    """The bytes of a regular file of at most max_bytes; None for a symlink, a folder, a
    larger file or any error. One open (refusing symlinks), one fstat, one read."""
    if not _NOFOLLOW and os.path.islink(path):
        return None
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        size = info.st_size
        if not stat.S_ISREG(info.st_mode) or size > max_bytes:
            return None
        # The file's size and one byte more: one read gets it all and sees its end, without
        # the 64 KB buffer per file a fixed chunk would allocate (35,000 files).
        chunk = os.read(fd, size + 1)
        if len(chunk) == size:
            return chunk
        chunks, total = [chunk], len(chunk)
        while chunk and total <= max_bytes:  # a short read, or the file grew since fstat
            chunk = os.read(fd, 65536)
            chunks.append(chunk)
            total += len(chunk)
        return b"".join(chunks) if total <= max_bytes else None
    except OSError:
        return None
    finally:
        os.close(fd)


def _checksum(payload: bytes) -> bytes:
    # Against a damaged file (a disk error, a truncated copy), not an attacker: whoever can
    # write the git folder can run code anyway. CRC-32 reads the 80 MB of a province's cache
    # several times faster than a cryptographic hash.
    return zlib.crc32(payload).to_bytes(4, "big")


def _decode(blob: bytes) -> dict[str, tuple[bytes, dict]]:
    """The entries of a cache file, or none when it is damaged, foreign or outdated."""
    return _decode_all(blob)[0]


def _decode_all(blob: bytes) -> tuple[dict[str, tuple[bytes, dict]], tuple[str, bytes, int] | None]:
    """(entries, snapshot) of a cache file (FileCache's arguments); nothing when it is
    damaged, foreign or outdated. The snapshot is read when a value is first asked for."""
    nothing: tuple[dict, None] = ({}, None)
    head = len(_MAGIC) + 4
    view = memoryview(blob)[head:]
    if not blob.startswith(_MAGIC) or len(blob) < head or _checksum(view) != blob[len(_MAGIC):head]:
        return nothing
    try:
        fingerprint, entries, snapshot = _SafeUnpickler(io.BytesIO(view)).load()
    except Exception:
        return nothing
    if fingerprint != code_fingerprint() or not isinstance(entries, dict):
        return nothing
    if not (snapshot is None or isinstance(snapshot, tuple) and len(snapshot) == 3 and isinstance(snapshot[0], str)
            and snapshot[0].startswith(f"check-v{FORMAT}-") and "/" not in snapshot[0] and "\\" not in snapshot[0]
            and isinstance(snapshot[1], bytes) and isinstance(snapshot[2], int)):
        return nothing
    for name, entry in entries.items():
        if not (isinstance(name, str) and isinstance(entry, tuple) and len(entry) == 2
                and isinstance(entry[0], bytes) and isinstance(entry[1], dict)):
            return nothing
    return entries, snapshot


# --- The last run's whole report -------------------------------------------------------------
#
# Between two checks with nothing changed (a check after a build, a second look, CI again on
# the same commit) every file's results come from the cache, yet the checks across records
# ran again over 130,000 records. The last run's report is kept with a hash of everything
# the run read (`inputs_key`): every file's bytes in the editors' folders, mkdocs.yml, the
# code and the libraries' versions, AS_OF; with the same hash the same report is printed
# without reading a record. Any difference, a single byte of any file, a file added, removed
# or turned into a symlink, gives another hash: the checks run, and the report is replaced.

# Reports of the last few runs, one file each, named by their key: an edit undone, or a
# branch checked out again, finds its report again.
_REPORTS_KEPT = 8


def _report_file(root: Path, key: str) -> Path:
    return cache_path(Path(root)).parent / f"check-v{FORMAT}-{key[:32]}.report"


# Libraries whose code decides a check across records too (workdays, page names …).
_LIBRARIES = ("pydantic", "pydantic_core", "yaml", "opencc", "ahocorasick", "chinese_calendar", "jinja2",
              "markupsafe", "pymdownx", "markdown", "annotated_types", "typing_extensions")
# A file larger than this is never hashed whole for the report's key (the run reports it).
_KEY_MAX_BYTES = 32 * 1024 * 1024
# Files no check opens (images, attachments, fonts: the checks go by their names): in the
# key by name, not read (a column's attachments can be hundreds of megabytes).
_NAMES_ONLY = frozenset({".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".bmp", ".ico", ".tif", ".tiff",
                         ".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".wps", ".ofd", ".zip",
                         ".rar", ".7z", ".gz", ".woff", ".woff2", ".ttf", ".otf", ".mp3", ".mp4", ".webm"})


def inputs_key(folders: list[Path], files: list[Path], settings: Any,
               keep_bytes: bool = True) -> tuple[str, dict, dict] | None:
    """(hash of everything a check reads, the bytes read: path -> (hash, bytes), the folders'
    listings: folder -> walk_names), from every file under `folders` (symlinks by name: the
    run refuses them) and the `files` (missing ones by name); None when a file cannot be read
    whole (the run reports it). Without `keep_bytes`: path -> (hash, size) (`FileCache.read`
    reads the bytes of a file only when it changed since the last run)."""
    from campaign.records.yamlsource import walk_names

    h = hashlib.sha256()
    h.update(f"{FORMAT} {code_fingerprint()} {_library_versions()} {settings!r}\0".encode())
    read: dict[str, tuple[bytes, bytes]] = {}
    listed: dict[str, tuple[list[str], list[str]]] = {}
    for folder in folders:
        names, links = listed[str(folder)] = walk_names(Path(folder))
        h.update(b"\1" + str(folder).encode() + b"\0")
        for name in names:
            if os.path.splitext(name)[1].lower() in _NAMES_ONLY:
                h.update(b"\4" + name.encode("utf-8", "surrogateescape") + b"\0")
                continue
            raw = _read_regular(name, _KEY_MAX_BYTES)
            if raw is None:
                return None
            key = digest(raw)
            read[name] = (key, raw if keep_bytes else len(raw))
            h.update(name.encode("utf-8", "surrogateescape") + b"\0" + key)
        for name in links:
            h.update(b"\2" + name.encode("utf-8", "surrogateescape") + b"\0")
    for path in files:
        h.update(b"\3" + str(path).encode("utf-8", "surrogateescape") + b"\0")
        if os.path.lexists(path):
            raw = _read_regular(path, _KEY_MAX_BYTES)
            if raw is None:
                return None
            read[str(path)] = (digest(raw), raw if keep_bytes else len(raw))
            h.update(read[str(path)][0])
        else:
            read[str(path)] = (b"", b"" if keep_bytes else 0)  # absent
    return h.hexdigest(), read, listed


class InputsApart:
    """`inputs_key` (reading and hashing every input: a third of a check after an edit) in a
    forked process, while the caller reads the cache and unpickles the records' snapshot:
    only names, hashes and sizes come back through a pipe, and `FileCache.read` reads (and
    hashes again) the files that changed since the last run. A fork is taken only where it
    exists and without other threads (their locks would be copied held); `start` gives None
    otherwise, and `result` None when the process failed: the caller hashes serially."""

    def __init__(self, pid: int, reader) -> None:
        self.pid, self.reader = pid, reader
        self.saved: bool | None = None  # whether a report is saved under the key (its first byte)

    @classmethod
    def start(cls, folders: list[Path], files: list[Path], settings: Any,
              root: Path | None = None) -> "InputsApart | None":
        if not hasattr(os, "fork") or threading.active_count() > 1 or usable_cpus() < 2:
            return None
        code_fingerprint(), _library_versions()  # computed once, here: the caller needs them too
        read_fd, write_fd = os.pipe()
        try:
            pid = os.fork()
        except OSError:
            os.close(read_fd)
            os.close(write_fd)
            return None
        if pid == 0:  # pragma: no cover (runs in the child, which never returns)
            os.close(read_fd)
            code = 1
            try:
                inputs = inputs_key(folders, files, settings, keep_bytes=False)
                saved = root is not None and inputs is not None and _report_file(root, inputs[0]).is_file()
                with os.fdopen(write_fd, "wb") as out:
                    out.write(b"R" if saved else b"-")  # first: the caller may stop unpickling
                    out.flush()
                    pickle.dump(inputs, out, protocol=pickle.HIGHEST_PROTOCOL)
                code = 0
            finally:
                os._exit(code)
        os.close(write_fd)
        return cls(pid, os.fdopen(read_fd, "rb"))

    def report_saved(self) -> bool:
        """Whether the process found a report saved under the key (once it has said so:
        False until then, never waiting)."""
        if self.saved is None:
            ready, _, _ = select.select([self.reader], [], [], 0)
            if not ready:
                return False
            self.saved = self.reader.read(1) == b"R"
        return self.saved

    def result(self) -> tuple[bool, Any]:
        """(True, what inputs_key gave, sizes for bytes), or (False, None) when the process failed."""
        try:
            if self.saved is None:
                self.saved = self.reader.read(1) == b"R"
            data = self.reader.read()
        finally:
            self.reader.close()
            _, status = os.waitpid(self.pid, 0)
        if status != 0 or not data:
            return False, None
        try:
            return True, pickle.loads(data)  # from our own fork, through our own pipe
        except Exception:
            return False, None


def unchanged(hashes: dict[str, bytes]) -> bool:
    """Whether each file still has its hash (b"": still absent): the files a run read again
    on its own after `inputs_key` (pages, mkdocs.yml, files checked anew), before its report
    is kept under the key of the bytes read first."""
    for path, key in hashes.items():
        if not key:
            if os.path.lexists(path):
                return False
            continue
        raw = _read_regular(path, _KEY_MAX_BYTES)
        if raw is None or digest(raw) != key:
            return False
    return True


@lru_cache(maxsize=1)
def _library_versions() -> str:
    import importlib.util

    out = []
    for library in _LIBRARIES:
        try:
            spec = importlib.util.find_spec(library)
            origin = spec.origin if spec is not None and spec.origin else ""
            info = os.stat(origin) if origin else None
            out.append(f"{library} {origin} {info.st_size if info else ''} {info.st_mtime_ns if info else ''}")
        except (ImportError, ValueError, OSError):
            out.append(f"{library} -")
    return ";".join(out)


def load_report(root: Path, key: str) -> Any:
    """The report saved with this inputs key, or MISSING."""
    path = _report_file(root, key)
    try:
        blob = path.read_bytes()
    except OSError:
        return MISSING
    head = len(_MAGIC) + 4
    view = memoryview(blob)[head:]
    if not blob.startswith(_MAGIC) or len(blob) < head or _checksum(view) != blob[len(_MAGIC):head]:
        return MISSING
    try:
        saved_key, value = _SafeUnpickler(io.BytesIO(view)).load()
    except Exception:
        return MISSING
    if saved_key != key:
        return MISSING
    try:
        os.utime(path)  # used: among the last kept
    except OSError:
        pass
    return value


def save_report(root: Path, key: str, value: Any) -> None:
    """Keep a run's report under its inputs key, with those of the last few runs."""
    path = _report_file(root, key)
    try:
        payload = pickle.dumps((key, value), protocol=pickle.HIGHEST_PROTOCOL)
        path.parent.mkdir(parents=True, exist_ok=True)
        _write_atomically(path, _MAGIC + _checksum(payload) + payload)
        saved = sorted(path.parent.glob(f"check-v{FORMAT}-*.report"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
        for old in saved[_REPORTS_KEPT:]:
            old.unlink(missing_ok=True)
    except (OSError, pickle.PicklingError):
        pass
