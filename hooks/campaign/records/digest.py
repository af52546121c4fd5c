"""Content digests of records, for reusing work between builds of one process (the preview).

Records are read afresh for every build (new objects each time), so what was computed from
a record in the previous build can be reused only when the record's content is the same:
the digest covers its type and every field's value (pydantic's JSON of the model, after
any AS_OF adjustment), never its identity or a file's timestamp.
"""
from __future__ import annotations

import hashlib
from typing import Any


def record_digest(record: Any) -> bytes:
    """SHA-256 of the record's type and field values (a pydantic model); of its repr otherwise."""
    serializer = getattr(type(record), "__pydantic_serializer__", None)  # no pydantic import: rules/ stays light
    data = serializer.to_json(record, warnings=False) if serializer is not None else repr(record).encode("utf-8")
    digest = hashlib.sha256(type(record).__qualname__.encode("utf-8"))
    digest.update(data)
    return digest.digest()


def digest_of(dataset: Any, record: Any) -> bytes:
    """record_digest once per build (the dataset holds the records, so their ids are stable)."""
    return dataset.once(("digest", id(record)), lambda: record_digest(record))


def parts_digest(parts) -> "hashlib._Hash":
    """A SHA-256 over the parts: bytes as they are, everything else by its repr (our records
    and page facts are dataclasses and tuples, whose repr is their value); each part's length
    first, so that parts cannot run into each other."""
    digest = hashlib.sha256()
    for part in parts:
        data = part if isinstance(part, bytes) else repr(part).encode("utf-8")
        digest.update(len(data).to_bytes(8, "little"))
        digest.update(data)
    return digest
