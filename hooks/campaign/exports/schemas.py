"""JSON Schemas derived from the record models: one source of truth for editors' VS Code
completion (schemas/ in the repo) and for the open-data downloads."""
from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from pydantic import BaseModel

from campaign.records.kinds import KINDS

# File kind → the model one file holds: the one registry (records/kinds.py).
FILE_MODELS: dict[str, type[BaseModel]] = {kind.name: kind.model for kind in KINDS}


def json_schema(model: type[BaseModel], mode: str = "validation") -> dict[str, Any]:
    """The model's JSON Schema with Chinese titles and descriptions.

    "validation" describes what editors may write; "serialization" what the open-data
    downloads contain (deadlines as their text, dates as ISO strings).
    """
    return json.loads(_schema_text(model, mode))


@lru_cache(maxsize=None)
def _schema_text(model: type[BaseModel], mode: str) -> str:
    # pydantic builds a schema in milliseconds, and the open-data files ask for the same
    # models' schemas many times; callers get their own copy to change.
    schema = model.model_json_schema(mode=mode)
    schema.setdefault("$schema", "https://json-schema.org/draft/2020-12/schema")
    return json.dumps(schema, ensure_ascii=False)
