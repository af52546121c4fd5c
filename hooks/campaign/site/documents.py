"""The official documents the column publishes as Word files (GB/T 9704 .docx): each monthly
bulletin and each year-end report, beside its page. The adapter adds them as virtual files
and lists them in the open-data manifest with their SHA-256."""
from __future__ import annotations

from campaign.exports.docx_export import OfficialDocument, to_docx
from campaign.records.loading import Dataset
from campaign.rules import schedule
from campaign.site.pages import bulletins, yearend


# The .docx of each document as last exported, keyed by the document itself (a frozen
# dataclass of its whole text and layout facts): `mkdocs serve` rebuilds after every save
# and most bulletins have not changed. Only the latest build's documents are kept.
_exported: dict[OfficialDocument, bytes] = {}


def document_files(d: Dataset) -> dict[str, bytes]:
    """{path under the site: .docx bytes}, computed once per build."""
    return d.once("documents.files", lambda: _files(d))


def _docx(doc: OfficialDocument, exported: dict[OfficialDocument, bytes]) -> bytes:
    data = _exported.get(doc)
    if data is None:
        data = to_docx(doc)
    exported[doc] = data
    return data


def _files(d: Dataset) -> dict[str, bytes]:
    files, exported = {}, {}
    # Only what has been issued: a bulletin with its issue record, a year-end report once
    # the year's 专项督查 is over (the same rules as their pages).
    for b in schedule.bulletins(d):
        files[bulletins.docx_src(b.month)] = _docx(bulletins.bulletin_document(d, b.month), exported)
    for year in range(d.site.campaign_start.year, d.as_of.year + 1):
        if schedule.year_end_due(d, year):
            files[yearend.docx_src(year)] = _docx(yearend.yearend_document(d, year), exported)
    _exported.clear()
    _exported.update(exported)
    return dict(sorted(files.items()))
