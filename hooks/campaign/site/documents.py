"""The official documents the column publishes as Word files (GB/T 9704 .docx): each monthly
bulletin and each year-end report, beside its page. The adapter adds them as virtual files
and lists them in the open-data manifest with their SHA-256."""
from __future__ import annotations

from campaign.exports.docx_export import to_docx
from campaign.records.loading import Dataset
from campaign.rules import schedule
from campaign.site.pages import bulletins, yearend


def document_files(d: Dataset) -> dict[str, bytes]:
    """{path under the site: .docx bytes}, computed once per build."""
    return d.once("documents.files", lambda: _files(d))


def _files(d: Dataset) -> dict[str, bytes]:
    files = {}
    for month, _ in schedule.period_ends(d):
        files[bulletins.docx_src(month)] = to_docx(bulletins.bulletin_document(d, month))
    for year in range(d.site.campaign_start.year, d.as_of.year + 1):
        files[yearend.docx_src(year)] = to_docx(yearend.yearend_document(d, year))
    return dict(sorted(files.items()))
