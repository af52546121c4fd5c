"""The editors' command-line tool: `./column <命令>` from the repository root.

check, preview, new, import, import-doc, export-template, schemas, publish, rollback. Everything it
prints is Chinese; problems go to stderr with exit status 1, usage mistakes exit with 2. Only
`preview` and `publish` run MkDocs, as a subprocess: the rest needs no build and stays fast.
"""
from __future__ import annotations

import argparse
import gc
import json
import os
import subprocess
import sys
import traceback
from datetime import date
from pathlib import Path

from campaign.editors import ledger, scaffold
from campaign.records.dates import Month, parse_iso_date, zh_date
from campaign.records.kinds import KINDS
from campaign.check import as_of_from_environment, check_project
from campaign.records.loading import Dataset
from campaign.records.problems import ColumnError, Problems
from campaign.exports.schemas import FILE_MODELS, json_schema
from campaign.editors.cli import zh_argparse

PROG = "./column"


class Failure(ColumnError):
    """Stop the command with this Chinese message (exit status 1)."""


# --- Commands ------------------------------------------------------------------------------------


_LAST_CHECK: list = []


def cmd_check(args, project: Path) -> int:
    # The same pipeline as the build: same problems, same verdict (tests compare them).
    # The process ends after printing (./column exits without freeing): the cycle collector,
    # which check_project pauses, stays off; switched back on, its first pass would walk a
    # province's million record objects for nothing (half a second).
    gc.disable()
    # Problems and the summary only (records=False): unchanged inputs give the last report.
    report = check_project(project, as_of_from_environment(), cache=not args.no_cache, records=False)
    # Held to the end: freeing a province's records on return took half a second, and
    # ./column check ends the process without freeing (the last report replaces the one before).
    _LAST_CHECK[:] = [report]
    summary = report.summary
    if report.errors or summary is None:
        print(report.render_errors(), file=sys.stderr)
        _print_warnings(report.warnings)
        return 1
    print(f"检查通过（数据截至 {zh_date(summary.as_of)}）：{summary.actions} 个专项行动、"
          f"{summary.reports} 份月度报告、{summary.cases} 个典型案例、{summary.policies} 份政策文件与解读、"
          f"{summary.surveys} 次满意度测评。")
    if report.warnings:
        _print_warnings(report.warnings)
        return 1 if args.strict else 0
    return 0


def _print_warnings(warnings) -> None:
    if not warnings:
        return
    print(f"\n注意：有 {len(warnings)} 处警告。有警告时网站不会发布（CI 和发布使用 --strict，警告也算不通过）：",
          file=sys.stderr)
    for number, problem in enumerate(warnings, 1):
        print(f"  {number}. {problem.render()}", file=sys.stderr)


def cmd_new(args, project: Path) -> int:
    dataset = _load(project)
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
    target = project / draft.path
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        with open(target, "x", encoding="utf-8") as handle:
            handle.write(draft.text)
    except FileExistsError:
        raise Failure(f"{draft.path} 已经存在，没有覆盖。要修改它请直接编辑；要新建另一份请换一个编号或月份。") from None
    report = check_project(project, as_of_from_environment())
    if report.errors:  # a draft must pass check; if not, take it back
        target.unlink()
        raise Failure("生成的文件没有通过检查，已删除（这是工具的问题，请告诉维护人员）：\n" + report.render_errors())
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
        table = ledger.read_table(path, args.sheet)
        items = ledger.parse(table, dataset)
        written, replaced = ledger.write_reports(project, items, path.name, args.replace, as_of_from_environment(),
                                                 dataset)
    except ColumnError as err:  # reworded here: the editor must know nothing was written
        raise Failure("台账没有导入，没有写入任何文件。\n" + str(err)) from None
    source = f"{path.name} 工作表「{table.sheet}」" if table.sheet else f"{path.name} "
    print(f"已从 {source}导入 {len(written)} 份月度报告：")
    for name in written:
        print(f"  {name}{'（覆盖了原有的报告）' if name in replaced else '（新建）'}")
    if replaced:
        print(f"其中 {len(replaced)} 份覆盖了原有的同月报告（--replace）：{'、'.join(replaced)}。"
              "原来的内容可用 git diff 查看，用 git checkout -- <文件> 恢复。")
    print("请运行 ./column check，检查无误后提交。")
    return 0


def cmd_import_doc(args, project: Path) -> int:
    from campaign.editors import docx_import

    _load(project, "现有数据有问题，请先修正后再导入文件：\n")
    path = Path(args.document)
    if not path.is_absolute():
        path = Path.cwd() / path
    if not path.is_file():
        raise Failure(f"找不到文件 {args.document}。")
    try:
        page = docx_import.import_document(project, path, args.id, args.publisher, as_of_from_environment())
    except ColumnError as err:  # reworded here: the editor must know nothing was written
        raise Failure(f"没有导入 {path.name}，没有写入任何文件。\n{err}") from None
    print(f"已从 {path.name} 导入 {page.draft.path}：{page.parsed.title}（{page.parsed.doc_no}，"
          f"成文日期 {zh_date(page.parsed.written)}）。")
    if page.files:
        folder = page.draft.path[:-len(".md")] + "/"
        print(f"文中的图片和嵌入文件 {len(page.files)} 个已存到 {folder}。")
    for note in page.notes:
        print(f"注意：{note}")
    print("请打开文件核对正文，填写带“【待填写】”记号的主题分类、公开日期和索引号并删掉记号，然后运行 ./column check。")
    return 0


def cmd_export_template(args, project: Path) -> int:
    dataset = _load(project)
    month = None
    if args.month:
        try:
            month = str(Month.parse(args.month))
        except ValueError as err:
            raise Failure(f"{err}。") from None
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
    return {f"./schemas/{kind.name}.json": [kind.glob] for kind in KINDS if kind.glob.endswith(".yml")}


def _write_vscode_settings(project: Path) -> None:
    path = project / ".vscode" / "settings.json"
    settings = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    settings["yaml.schemas"] = vscode_schema_map()
    path.parent.mkdir(exist_ok=True)
    path.write_text(json.dumps(settings, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def cmd_preview(args, project: Path) -> int:
    # `mkdocs serve --dirty`: the adapter then rebuilds only what a saved file changes
    # (campaign/site/preview.py), in seconds instead of a whole-site build. Warnings are
    # listed but do not stop the preview (--no-strict); publishing stays strict.
    command = [sys.executable, "-m", "mkdocs", "serve", "--dirty", "--no-strict", "-f", args.config]
    if args.dev_addr:
        command += ["-a", args.dev_addr]
    if args.open:
        command.append("--open")
    print("正在生成预览（第一次需要完整生成一遍网站；之后每次保存只更新受影响的页面）。按 Ctrl+C 停止。", flush=True)
    try:
        return subprocess.call(command, cwd=project, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    except KeyboardInterrupt:
        return 0


def cmd_publish(args, project: Path) -> int:
    from campaign.editors.cli import publish

    root = _publish_root(args)
    # The pipeline first, strict as the build will be: a clear list instead of build output.
    # (A project without data/ is a bare MkDocs site: its build decides alone.)
    report = check_project(project, as_of_from_environment()) if (project / "data" / "site.yml").is_file() else None
    if report is not None and not report.passed(strict=True):
        listed = Problems(report.errors + report.warnings).render()
        raise Failure("检查没有通过（发布时警告也算不通过），没有发布，正在使用的网站没有改动。\n" + listed)
    name = args.release or publish.default_release_name(project)
    if not name:
        raise Failure("请用 --release 指定发布版本名（或设置环境变量 COLUMN_RELEASE），例如提交号或 20181005-1。")
    name, pruned, _ = publish.publish(project, root, name, args.keep)
    print(f"已发布版本 {name}：{root / 'current'} → releases/{name}")
    if pruned:
        print(f"已删除旧版本：{'、'.join(pruned)}（保留最近 {args.keep} 个）")
    return 0


def cmd_rollback(args, project: Path) -> int:
    from campaign.editors.cli import publish

    root = _publish_root(args)
    before, after = publish.rollback(root, args.to)
    print(f"已回退：{root / 'current'} 由 {before or '无'} 改为 {after}。")
    return 0


# --- Helpers -----------------------------------------------------------------------------------------


def _load(project: Path, lead: str = "") -> Dataset:
    report = check_project(project, as_of_from_environment())
    if report.errors or report.dataset is None:
        raise Failure(lead + report.render_errors())
    return report.dataset


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
               "  ./column preview\n"
               "  ./column new report --action a01 --month 2018-09\n"
               "  ./column export-template --month 2018-09\n"
               "  ./column import 台账.xlsx\n"
               "  ./column import-doc 紫政办发〔2018〕30号.docx --id zzbf-2018-30\n"
               "每个命令的详细用法：./column <命令> -h。编辑指南：./column preview -f mkdocs-guide.yml 预览（content/guide/，不在门户网站发布）。",
    )
    parser.add_argument("--project", metavar="目录", help="项目目录（默认：从当前目录向上查找 mkdocs.yml）")
    commands = parser.add_subparsers(dest="command", metavar="命令", required=True)

    check = commands.add_parser("check", help="检查全部数据和内容（不生成网站，几秒内完成）",
                                description="检查 data/ 和 content/ 中的全部数据，提示与生成网站时相同。")
    check.add_argument("--strict", action="store_true", help="还有“待填写”内容或文字把关警告时也算不通过（退出码 1）")
    check.add_argument("--no-cache", action="store_true",
                       help="不使用上次检查的结果，每个文件都重新读取和检查（结果相同，只是更慢）")
    check.set_defaults(run=cmd_check)

    prev = commands.add_parser("preview", help="在浏览器里预览网站，保存文件后几秒内自动刷新",
                               description="在本机启动预览网站（默认 http://127.0.0.1:8000/，地址见输出）。改 data/ 或 content/ "
                                           "中的文件并保存后，只重新生成受影响的页面，页面自动刷新。")
    prev.add_argument("-a", "--dev-addr", metavar="地址:端口", help="预览地址，如 127.0.0.1:8001（默认：mkdocs.yml 的 dev_addr，即 127.0.0.1:8000）")
    prev.add_argument("-f", "--config-file", dest="config", default="mkdocs.yml", metavar="配置文件",
                      help="配置文件（默认 mkdocs.yml；编辑指南用 mkdocs-guide.yml）")
    prev.add_argument("--open", action="store_true", help="生成后自动在浏览器中打开")
    prev.set_defaults(run=cmd_preview)

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
    imp.add_argument("--replace", action="store_true", help="允许覆盖已有的同一行动同一月份的报告（会列出覆盖了哪些文件）")
    imp.add_argument("--sheet", metavar="工作表", help="要导入的工作表名（默认：台账）")
    imp.set_defaults(run=cmd_import)

    doc = commands.add_parser("import-doc", help="从 Word 公文（.docx）导入政策文件",
                              description="读取按 GB/T 9704-2012 排版的公文（Word 或 WPS 保存的 .docx），生成 "
                                          "content/policies/<文件编号>.md：信息区由文件的文号、标题、发文机关和成文日期填好，"
                                          "正文转为 Markdown，图片存在旁边。结果通不过检查时一个文件也不写。")
    doc.add_argument("document", metavar="文件", help="公文文件，如 紫政办发〔2018〕30号.docx（.doc、.wps 请先另存为 .docx）")
    doc.add_argument("--id", metavar="文件编号", help="文件编号（网址的一部分），如 zzbf-2018-30（默认：按同一机关代字的已有文件推算）")
    doc.add_argument("--publisher", metavar="单位编号", help="发布机构的单位编号，如 zfb（默认：按发文机关名称在单位名录中查找）")
    doc.set_defaults(run=cmd_import_doc)

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
    except ColumnError as err:  # the one place an error becomes a message (the adapter has the other)
        print(str(err), file=sys.stderr)
        return 1
    except Exception as err:  # no traceback reaches an editor unless asked for
        if os.environ.get("COLUMN_DEBUG"):
            traceback.print_exc()
        print(f"程序内部错误（{type(err).__name__}：{err}）。请把这段信息发给维护人员；"
              "设置环境变量 COLUMN_DEBUG=1 可看到详细信息。", file=sys.stderr)
        return 1
