"""JSON Schemas derived from the record models: one source of truth for editors' VS Code
completion (schemas/ in the repo) and for the open-data downloads."""
from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from campaign.records import models as m

# File kind → the model one file holds (as in loading.SINGLE_FILES / DIRECTORIES).
FILE_MODELS: dict[str, type[BaseModel]] = {
    "site": m.Site,
    "units": m.Units,
    "leadership": m.Leadership,
    "plan": m.Plan,
    "action": m.Action,
    "report": m.Report,
    "case": m.Case,
    "policy": m.PolicyDoc,
    "publicity-week": m.PublicityWeek,
    "survey": m.Survey,
    "cleanup": m.Cleanup,
    "bulletin": m.Bulletin,
}


def json_schema(model: type[BaseModel], mode: str = "validation") -> dict[str, Any]:
    """The model's JSON Schema with Chinese titles and descriptions.

    "validation" describes what editors may write; "serialization" what the open-data
    downloads contain (deadlines as their text, dates as ISO strings).
    """
    schema = model.model_json_schema(mode=mode)
    schema.setdefault("$schema", "https://json-schema.org/draft/2020-12/schema")
    return schema
