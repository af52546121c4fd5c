"""The editors' guide page listing every field of every record, built from the models.

The rest of the guide is hand-written Markdown under content/guide/; this one page is
generated so that it always lists exactly the fields validation accepts (a test checks
that every model field appears). Examples are the drafts `./column new` would write.
"""
from __future__ import annotations

from campaign import routes
from dataclasses import dataclass

from markupsafe import Markup

from campaign.editors import ledger, scaffold
from campaign.records.dates import DEADLINE_RULES, Month
from campaign.records.fielddocs import FieldDoc, field_docs, model_title, nested_models
from campaign.records.kinds import KINDS
from campaign.records.loading import Dataset
from campaign.site.pages.base import GeneratedPage, render_page

SRC = routes.GUIDE_FIELDS_SRC
DRAFTS_SRC = routes.GUIDE_DRAFTS_SRC


@dataclass(frozen=True)
class FieldTable:
    anchor: str
    title: str
    name: str  # the model's class name, for maintainers
    fields: list[FieldDoc]


@dataclass(frozen=True)
class FileKind:
    anchor: str
    title: str
    place: str
    schema: str
    tables: list[FieldTable]
    example: Markup | None


def build(d: Dataset) -> list[GeneratedPage]:
    examples = _examples(d)
    kinds = []
    for kind in KINDS:
        schema_name, model, place = kind.name, kind.model, kind.place
        tables = [FieldTable(schema_name, model_title(model), model.__name__, field_docs(model))]
        for inner in nested_models(model):
            tables.append(FieldTable(f"{schema_name}-{inner.__name__.lower()}", model_title(inner),
                                     inner.__name__, field_docs(inner)))
        kinds.append(FileKind(schema_name, model_title(model), place, f"schemas/{schema_name}.json",
                              tables, examples.get(schema_name)))
    # One page per kind of file: all of them on one page would pass 60 KB.
    return [render_page(d, SRC, "guide_fields.md.j2", kinds=kinds, deadline_rules=DEADLINE_RULES, anchor=_anchor,
                        ledger_rows=ledger.help_rows()[1:len(ledger.COLUMNS) + 1], kind_src=kind_src),
            render_page(d, DRAFTS_SRC, "guide_drafts.md.j2", kinds=kinds, anchor=_anchor),
            *(render_page(d, kind_src(k.anchor), "guide_fields_kind.md.j2", k=k, anchor=_anchor) for k in kinds)]


kind_src = routes.guide_kind_src


def _anchor(name: str) -> Markup:
    """attr_list id for a heading: stable ASCII anchors the hand-written pages link to."""
    return Markup("{#" + name + "}")


def _examples(d: Dataset) -> dict[str, Markup]:
    """Drafts as `./column new` writes them, as indented Markdown code blocks."""
    drafts = {}
    makers = {
        "report": lambda: scaffold.draft_report(d, d.action_list[0].id, str(Month.of(d.as_of)), d.as_of),
        "case": lambda: scaffold.draft_case(d, [d.unit_list[0].id]),
        "policy": lambda: scaffold.draft_policy(d, "zzbf-2018-30", d.unit_list[0].id),
        "survey": lambda: scaffold.draft_survey(d, f"{d.as_of.year}-Q{(d.as_of.month - 1) // 3 + 1}"),
    }
    for kind, make in makers.items():
        if not d.action_list or not d.unit_list:
            break
        try:
            draft = make()
        except scaffold.DraftError:
            continue
        lines = [f"# 文件：{draft.path}", *draft.text.rstrip("\n").split("\n")]
        drafts[kind] = Markup("\n".join("    " + line if line else "" for line in lines))
    return drafts
