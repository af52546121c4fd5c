"""The editors' command-line tool: `./column <命令>` from the repository root.

check, new, import, export-template, schemas, publish, rollback. Everything it prints is
Chinese; problems go to stderr with exit status 1, usage mistakes exit with 2. Only
`publish` runs MkDocs, as a subprocess: the rest needs no build and stays fast.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import traceback
from datetime import date
from pathlib import Path

from campaign.editors import ledger, scaffold
from campaign.records.dates import parse_iso_date, zh_date
from campaign.records.fielddocs import FILE_KINDS
from campaign.records.loading import Dataset, as_of_from_environment, load
from campaign.records.problems import DataError
from campaign.exports.schemas import FILE_MODELS, json_schema
from campaign.editors.cli import zh_argparse

PROG = "./column"


class Failure(Exception):
    """Stop the command with this Chinese message (exit status 1)."""


# --- Commands ------------------------------------------------------------------------------------


def cmd_check(args, project: Path) -> int:
    dataset = _load(project)
    clashes = _generated_clashes(dataset, project)
    if clashes:
        raise Failure(clashes)
    warnings = dataset.drafts
    print(f"检查通过（数据截至 {zh_date(dataset.as_of)}）：{len(dataset.actions)} 个专项行动、"
          f"{len(dataset.reports)} 份月度报告、{len(dataset.cases)} 个典型案例、{len(dataset.policies)} 份政策文件与解读、"
          f"{len(dataset.surveys)} 次满意度测评。")
    if warnings:
        print(f"\n注意：有 {len(warnings)} 处待填写的内容，填好之前网站不会发布（生成网站时会作为警告）：", file=sys.stderr)
        for number, problem in enumerate(sorted(warnings), 1):
            print(f"  {number}. {problem.render()}", file=sys.stderr)
        return 1 if args.strict else 0
    return 0


def cmd_new(args, project: Path) -> int:
    dataset = _load(project)
    try:
        if args.kind == "report":
            submitted = _date_option(args.submitted, "--submitted") if args.submitted else None
            draft = scaffold.draft_report(dataset, args.action, args.month, submitted)
        elif args.kind == "case":
            units = [u for value in args.unit for u in value.replace("，", ",").split(",") if u]
            actions = [a for value in args.action for a in value.replace("，", ",").split(",") if a]
            draft = scaffold.draft_case(dataset, units, args.case_kind, args.category, args.source, args.id, actions)
        elif args.kind == "policy":
            draft = scaffold.draft_policy(dataset, args.id, args.publisher)
        elif args.kind == "explainer":
            draft = scaffold.draft_explainer(dataset, args.doc, args.id)
        else:
            draft = scaffold.draft_survey(dataset, args.quarter, args.unit)
    except scaffold.DraftError as err:
        raise Failure(str(err)) from None
    target = project / draft.path
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        with open(target, "x", encoding="utf-8") as handle:
            handle.write(draft.text)
    except FileExistsError:
        raise Failure(f"{draft.path} 已经存在，没有覆盖。要修改它请直接编辑；要新建另一份请换一个编号或月份。") from None
    try:
        load(project / "data", project / "content", as_of_from_environment())
    except DataError as err:  # a draft must pass check; if not, take it back
        target.unlink()
        raise Failure("生成的文件没有通过检查，已删除（这是工具的问题，请告诉维护人员）：\n" + str(err)) from None
    print(f"已生成 {draft.path}")
    print("请打开文件，按每个字段上方的注释填写；带“【待填写】”记号的地方填好后删掉记号，然后运行 ./column check。")
    return 0


def cmd_import(args, project: Path) -> int:
    dataset = _load(project, "现有数据有问题，请先修正后再导入台账：\n")
    path = Path(args.ledger)
    if not path.is_absolute():
        path = Path.cwd() / path
    if not path.is_file():
        raise Failure(f"找不到台账文件 {args.ledger}。")
    try:
        table = ledger.read_table(path)
        items = ledger.parse(table, dataset)
        written = ledger.write_reports(project, items, path.name, args.replace, as_of_from_environment())
    except (ledger.LedgerError, DataError) as err:
        raise Failure("台账没有导入，没有写入任何文件。\n" + str(err)) from None
    print(f"已从 {path.name} 导入 {len(written)} 份月度报告：")
    for name in written:
        print(f"  {name}")
    print("请运行 ./column check，检查无误后提交。")
    return 0


def cmd_export_template(args, project: Path) -> int:
    dataset = _load(project)
    month = None
    if args.month:
        try:
            from campaign.records.dates import parse_month

            year, mon = parse_month(args.month)
        except ValueError as err:
            raise Failure(f"{err}。") from None
        month = f"{year}-{mon:02d}"
    xlsx, csv_path = Path(args.out + ".xlsx"), Path(args.out + ".csv")
    existing = [str(p) for p in (xlsx, csv_path) if p.exists()]
    if existing:
        raise Failure(f"{'、'.join(existing)} 已经存在，没有覆盖。请换一个 --out 名称，或先移走旧文件。")
    ledger.write_template(dataset, xlsx, csv_path, month)
    filled = f"，已按 {month} 预填各行动的任务和上月进度" if month else ""
    print(f"已导出台账模板 {xlsx} 和 {csv_path}{filled}。填写说明见 .xlsx 的“说明”工作表。")
    return 0


def cmd_schemas(args, project: Path) -> int:
    out = Path(args.out) if args.out else project / "schemas"
    wanted = {f"{kind}.json": render_schema(model) for kind, model in FILE_MODELS.items()}
    if args.check:
        stale = [name for name, text in wanted.items()
                 if not (out / name).is_file() or (out / name).read_text(encoding="utf-8") != text]
        extra = sorted(p.name for p in out.glob("*.json") if p.name not in wanted) if out.is_dir() else []
        if stale or extra:
            raise Failure(f"schemas/ 与数据模型不一致（{'、'.join(stale + extra)}）。请运行 ./column schemas 重新生成后提交。")
        print("schemas/ 与数据模型一致。")
        return 0
    out.mkdir(parents=True, exist_ok=True)
    for name, text in wanted.items():
        (out / name).write_text(text, encoding="utf-8")
    if not args.out:
        _write_vscode_settings(project)
    print(f"已生成 {len(wanted)} 个 JSON Schema 到 {out}" + ("，并更新 .vscode/settings.json。" if not args.out else "。"))
    return 0


def render_schema(model) -> str:
    return json.dumps(json_schema(model), ensure_ascii=False, indent=2) + "\n"


def vscode_schema_map() -> dict[str, list[str]]:
    """yaml.schemas for VS Code: schema file → the data files it describes."""
    return {f"./schemas/{kind}.json": [glob] for kind, _, _, glob in FILE_KINDS if glob.endswith(".yml")}


def _write_vscode_settings(project: Path) -> None:
    path = project / ".vscode" / "settings.json"
    settings = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    settings["yaml.schemas"] = vscode_schema_map()
    path.parent.mkdir(exist_ok=True)
    path.write_text(json.dumps(settings, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def cmd_publish(args, project: Path) -> int:
    from campaign.editors.cli import publish

    root = _publish_root(args)
    name = args.release or publish.default_release_name(project)
    if not name:
        raise Failure("请用 --release 指定发布版本名（或设置环境变量 COLUMN_RELEASE），例如提交号或 20181005-1。")
    try:
        name, pruned, _ = publish.publish(project, root, name, args.keep)
    except publish.PublishError as err:
        raise Failure(str(err)) from None
    print(f"已发布版本 {name}：{root / 'current'} → releases/{name}")
    if pruned:
        print(f"已删除旧版本：{'、'.join(pruned)}（保留最近 {args.keep} 个）")
    return 0


def cmd_rollback(args, project: Path) -> int:
    from campaign.editors.cli import publish

    root = _publish_root(args)
    try:
        before, after = publish.rollback(root, args.to)
    except publish.PublishError as err:
        raise Failure(str(err)) from None
    print(f"已回退：{root / 'current'} 由 {before or '无'} 改为 {after}。")
    return 0


# --- Helpers -----------------------------------------------------------------------------------------


def _load(project: Path, lead: str = "") -> Dataset:
    try:
        return load(project / "data", project / "content", as_of_from_environment())
    except DataError as err:
        raise Failure(lead + str(err)) from None


def _generated_clashes(dataset: Dataset, project: Path) -> str:
    """The build's check that no file in content/ has a generated page's name."""
    from campaign.site import pages

    content = project / "content"
    clashes = [p.src_uri for p in [*pages.build_all(dataset), *pages.build_guide(dataset)] if (content / p.src_uri).exists()]
    if not clashes:
        return ""
    listed = "、".join(f"content/{c}" for c in clashes)
    return f"以下文件与自动生成的页面同名，请删除或改名：{listed}（这些页面由 data/ 中的数据生成，不需要手写）。"


def _date_option(value: str, option: str) -> date:
    try:
        return parse_iso_date(value)
    except ValueError as err:
        raise Failure(f"{option}：{err}。") from None


def _publish_root(args) -> Path:
    root = args.root or os.environ.get("COLUMN_PUBLISH_ROOT", "")
    if not root:
        raise Failure("请用 --root 指定发布目录（网站服务器指向其中的 current），或设置环境变量 COLUMN_PUBLISH_ROOT。")
    return Path(root).resolve()


def find_project(start: Path) -> Path | None:
    """The nearest folder upwards holding mkdocs.yml and data/, like git finds its repository."""
    for folder in [start, *start.parents]:
        if (folder / "mkdocs.yml").is_file() and (folder / "data").is_dir():
            return folder
    return None


# --- Parser --------------------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    zh_argparse.install()  # here, not on import: tests import this module into pytest's process
    parser = argparse.ArgumentParser(
        prog=PROG, formatter_class=argparse.RawDescriptionHelpFormatter,
        description="紫阳县优化提升营商环境专项督查专栏：编辑工具。",
        epilog="示例：\n"
               "  ./column check\n"
               "  ./column new report --action a01 --month 2018-09\n"
               "  ./column export-template --month 2018-09\n"
               "  ./column import 台账.xlsx\n"
               "每个命令的详细用法：./column <命令> -h。编辑指南：mkdocs serve -f mkdocs-guide.yml 预览（content/guide/，不在门户网站发布）。",
    )
    parser.add_argument("--project", metavar="目录", help="项目目录（默认：从当前目录向上查找 mkdocs.yml）")
    commands = parser.add_subparsers(dest="command", metavar="命令", required=True)

    check = commands.add_parser("check", help="检查全部数据和内容（不生成网站，几秒内完成）",
                                description="检查 data/ 和 content/ 中的全部数据，提示与生成网站时相同。")
    check.add_argument("--strict", action="store_true", help="还有“待填写”内容时也算不通过（退出码 1）")
    check.set_defaults(run=cmd_check)

    new = commands.add_parser("new", help="新建一份报告、案例、政策文件、解读或测评（带中文注释的草稿）",
                              description="在正确的位置生成一份能通过检查的草稿，每个字段上方有中文说明。不会覆盖已有文件。")
    kinds = new.add_subparsers(dest="kind", metavar="类型", required=True)
    report = kinds.add_parser("report", help="月度进展报告", description="月度进展报告：任务清单取自专项行动，进度初始值取自上月报告。")
    report.add_argument("--action", required=True, metavar="行动编号", help="行动编号，如 a01")
    report.add_argument("--month", required=True, metavar="月份", help="报送月份，如 2018-09")
    report.add_argument("--submitted", metavar="日期", help="报送日期，如 2018-10-05（默认：下月 1 日，但不晚于数据截至日期）")
    case = kinds.add_parser("case", help="典型案例", description="典型案例：先进经验或问题曝光。")
    case.add_argument("--unit", action="append", required=True, metavar="单位编号", help="涉及单位编号，可写多次或用逗号分隔，如 zjj")
    case.add_argument("--kind", dest="case_kind", choices=["先进经验", "问题曝光"], default="先进经验", help="案例类型（默认：先进经验）")
    case.add_argument("--category", choices=["不作为", "乱作为", "慢作为"], help="问题类别（问题曝光类必填）")
    case.add_argument("--source", default="单位报送", choices=list(_case_sources()), help="线索来源（默认：单位报送）")
    case.add_argument("--action", action="append", default=[], metavar="行动编号", help="相关专项行动编号，可写多次")
    case.add_argument("--id", metavar="案例编号", help="案例编号（默认：当年下一个编号，如 c2018-003）")
    policy = kinds.add_parser("policy", help="政策文件", description="政策文件：content/policies/<编号>.md，开头是政务公开信息区。")
    policy.add_argument("--id", required=True, metavar="文件编号", help="文件编号（网址的一部分），如 zzbf-2018-30")
    policy.add_argument("--publisher", required=True, metavar="单位编号", help="发布机构的单位编号，如 zfb")
    explainer = kinds.add_parser("explainer", help="政策解读", description="政策解读：与原文件双向链接。")
    explainer.add_argument("--doc", required=True, metavar="文件编号", help="被解读文件的编号，如 zzbf-2018-25")
    explainer.add_argument("--id", metavar="解读编号", help="解读的编号（默认：<文件编号>-jd）")
    survey = kinds.add_parser("survey", help="满意度测评", description="季度营商环境满意度测评结果。")
    survey.add_argument("--quarter", required=True, metavar="季度", help="季度，如 2018-Q4")
    survey.add_argument("--unit", metavar="单位编号", help="测评单位编号（默认：上一次测评的单位）")
    new.set_defaults(run=cmd_new)

    imp = commands.add_parser("import", help="从台账（.xlsx 或 .csv）导入月度报告",
                              description="读取月度进展台账，生成 data/reports/ 中的报告。有任何错误时一个文件也不写。")
    imp.add_argument("ledger", metavar="台账文件", help="台账文件，如 台账.xlsx 或 台账.csv")
    imp.add_argument("--replace", action="store_true", help="允许覆盖已有的同月报告")
    imp.set_defaults(run=cmd_import)

    export = commands.add_parser("export-template", help="导出台账模板（.xlsx 含“说明”工作表，和 .csv）",
                                 description="导出月度进展台账模板。")
    export.add_argument("--month", metavar="月份", help="按这个月份预填全部行动的任务和上月进度，如 2018-09")
    export.add_argument("--out", default="台账模板", metavar="文件名", help="输出文件名（不含扩展名，默认：台账模板）")
    export.set_defaults(run=cmd_export_template)

    schemas = commands.add_parser("schemas", help="由数据模型生成 schemas/*.json（供 VS Code 补全和检查）",
                                  description="生成 JSON Schema 和 .vscode/settings.json 中的 yaml.schemas。")
    schemas.add_argument("--check", action="store_true", help="只检查 schemas/ 是否与模型一致")
    schemas.add_argument("--out", metavar="目录", help="输出目录（默认：schemas/）")
    schemas.set_defaults(run=cmd_schemas)

    pub = commands.add_parser("publish", help="生成网站并发布为新版本（失败时不影响正在使用的网站）",
                              description="生成网站到 <发布目录>/releases/<版本>/，成功后把 <发布目录>/current 原子地切换过去。")
    pub.add_argument("--root", metavar="发布目录", help="发布目录（也可用环境变量 COLUMN_PUBLISH_ROOT）")
    pub.add_argument("--release", metavar="版本名", help="版本名（默认：环境变量 COLUMN_RELEASE，或当前 git 提交号）")
    pub.add_argument("--keep", type=int, metavar="个数", default=int(os.environ.get("COLUMN_KEEP", "5")), help="保留最近几个版本（默认 5）")
    pub.set_defaults(run=cmd_publish)

    back = commands.add_parser("rollback", help="切换回上一个发布版本", description="把 current 切换回上一个（或指定的）版本。")
    back.add_argument("--root", metavar="发布目录", help="发布目录（也可用环境变量 COLUMN_PUBLISH_ROOT）")
    back.add_argument("--to", metavar="版本名", help="切换到指定版本名")
    back.set_defaults(run=cmd_rollback)
    return parser


def _case_sources():
    from campaign.records.models import CASE_SOURCES

    return CASE_SOURCES


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    project = Path(args.project).resolve() if args.project else find_project(Path.cwd().resolve())
    if project is None:
        print("找不到专栏项目（含 mkdocs.yml 和 data/ 的目录）。请在项目目录中运行，或用 --project 指定。", file=sys.stderr)
        return 1
    try:
        return args.run(args, project)
    except Failure as err:
        print(str(err), file=sys.stderr)
        return 1
    except Exception as err:  # no traceback reaches an editor unless asked for
        if os.environ.get("COLUMN_DEBUG"):
            traceback.print_exc()
        print(f"程序内部错误（{type(err).__name__}：{err}）。请把这段信息发给维护人员；"
              "设置环境变量 COLUMN_DEBUG=1 可看到详细信息。", file=sys.stderr)
        return 1
