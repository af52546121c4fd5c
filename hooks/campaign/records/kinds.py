"""The one registry of the kinds of file editors submit.

Each kind names its model, where its files live and how an editor finds it. The loader,
the JSON Schemas (schemas/ and VS Code's mapping), the editors' field guide and the
check pipeline all read this list; a new kind of data file is one line here (and its
model in models.py). Titles come from the models (`model_config["title"]`), so the
published schemas carry them too.
"""
from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel

from campaign.records import models as m


@dataclass(frozen=True)
class FileKind:
    name: str                  # schema name: schemas/<name>.json, guide/fields/<name>/
    model: type[BaseModel]     # what one file holds
    location: str              # under data/: a file ("site.yml") or a folder ("reports"); or content/policies
    place: str                 # where it lives, in the editors' words
    glob: str                  # VS Code's yaml.schemas pattern

    @property
    def title(self) -> str:
        return model_title(self.model)

    @property
    def single_file(self) -> bool:
        return self.location.endswith(".yml")


def model_title(model: type[BaseModel]) -> str:
    return model.model_config.get("title") or model.__name__


POLICY_DIR = "policies"  # inside content/: Markdown pages whose front matter is the record
POLICY_FOLDER = f"content/{POLICY_DIR}"

KINDS: list[FileKind] = [
    FileKind("report", m.Report, "reports", "data/reports/<月份>/<行动编号>.yml，如 data/reports/2018-09/a01.yml",
             "data/reports/*/*.yml"),
    FileKind("case", m.Case, "cases", "data/cases/<年份>/<案例编号>.yml，如 data/cases/2018/c2018-003.yml",
             "data/cases/**/*.yml"),
    FileKind("policy", m.PolicyDoc, POLICY_FOLDER, "content/policies/<文件编号>.md 开头 --- 与 --- 之间的信息区",
             "content/policies/*.md"),
    FileKind("survey", m.Survey, "surveys", "data/surveys/<季度>.yml，如 data/surveys/2018-Q4.yml", "data/surveys/*.yml"),
    FileKind("action", m.Action, "actions", "data/actions/<行动编号>.yml，如 data/actions/a01.yml", "data/actions/*.yml"),
    FileKind("publicity-week", m.PublicityWeek, "publicity", "data/publicity/<年度>.yml", "data/publicity/*.yml"),
    FileKind("cleanup", m.Cleanup, "cleanup", "data/cleanup/<年度>.yml", "data/cleanup/*.yml"),
    FileKind("bulletin", m.Bulletin, "bulletins", "data/bulletins/<月份>.yml，如 data/bulletins/2018-08.yml",
             "data/bulletins/*.yml"),
    FileKind("units", m.Units, "units.yml", "data/units.yml", "data/units.yml"),
    FileKind("leadership", m.Leadership, "leadership.yml", "data/leadership.yml", "data/leadership.yml"),
    FileKind("plan", m.Plan, "plan.yml", "data/plan.yml", "data/plan.yml"),
    FileKind("site", m.Site, "site.yml", "data/site.yml", "data/site.yml"),
]

BY_NAME: dict[str, FileKind] = {kind.name: kind for kind in KINDS}
# The loader's view: data/<file> and data/<folder>/**.yml (policies are Markdown pages).
SINGLE_FILES: dict[str, type[BaseModel]] = {k.location: k.model for k in KINDS if k.single_file}
DIRECTORIES: dict[str, type[BaseModel]] = {k.location: k.model for k in KINDS
                                           if not k.single_file and k.location != POLICY_FOLDER}
