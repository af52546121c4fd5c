"""Write a synthetic but valid project at a chosen scale, for the benchmark.

Two profiles. `short` (the default): scale ×1 is the bundled default county, four months
of one-sentence reports. `long`: the same county along the time axis and with realistic
text lengths: 24 months of reports per action (2018-05 to 2020-04, two more tasks per
action for 2019 and 2020), reports of several paragraphs, a survey every quarter, a bulletin issued every month, and 40
policies and interpretations per county with bodies of 3,000–10,000 characters of Chinese
text (several hundred policies at ×10). Texts are composed from a fixed phrase bank by a
seeded generator, so the same scale always gives the same bytes.

For either profile, scale ×1 is one county. Scale ×N adds N−1 copies of the county's own
records (units, actions with tasks, monthly reports, cases, policies, cleanup entries)
under prefixed ids (k2-…, k3-…), as if a province portal hosted many counties' columns.
The plan, leadership, site, surveys and publicity weeks stay single. Every copy is marked
sample, and the result passes the same validation as editors' data.

    python3 benchmarks/generate.py --scale 10 --out /tmp/bench-x10
    python3 benchmarks/generate.py --scale 10 --profile long --out /tmp/bench-long-x10
"""
from __future__ import annotations

import argparse
import random
import re
import shutil
import tempfile
from datetime import date, timedelta
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent

from campaign.records.problems import Problems
from campaign.records.yamlsource import parse_yaml, split_front_matter

COPIED = ("mkdocs.yml", "column", "hooks", "overrides", "content", "data")


def _read(path: Path):
    source = parse_yaml(path.read_text(encoding="utf-8"), path.name, Problems())
    return source.data


def _index_no(index_no: str, k: int) -> str:
    """zyx…/2018-0025 → zyx…/2018-002025 for copy 2: unique and still the site's 索引号 format."""
    head, _, number = index_no.rpartition("-")
    return f"{head}-{k:03d}{int(number) % 1000:03d}"


def _dump(data, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


class _Renamer:
    """Maps the default county's ids to copy k's ids (units, actions, tasks, cases, docs)."""

    def __init__(self, k: int, unit_ids: set[str], action_ids: set[str], doc_ids: set[str]):
        self.prefix = f"k{k}-"
        self.units, self.actions, self.docs = unit_ids, action_ids, doc_ids

    def unit(self, uid: str) -> str:
        return self.prefix + uid if uid in self.units else uid

    def action(self, aid: str) -> str:
        return self.prefix + aid

    def task(self, tid: str) -> str:
        return self.prefix + tid

    def doc(self, did: str) -> str:
        return self.prefix + did if did in self.docs else did


def _copy_county(k: int, src: Path, out: Path, ren: _Renamer) -> None:
    data_out = out / "data"
    units = _read(src / "data/units.yml")["units"]
    extra_units = [{**u, "id": ren.unit(u["id"]), "name": f"{u['name']}（第{k}县示例）",
                    "short": f"{u['short']}（{k}）"} for u in units]
    merged = _read(data_out / "units.yml")
    merged["units"].extend(extra_units)
    _dump(merged, data_out / "units.yml")

    for path in sorted((src / "data/actions").glob("*.yml")):
        a = _read(path)
        a.update(id=ren.action(a["id"]), name=f"{a['name']}（第{k}县）", sample=True,
                 lead_unit=ren.unit(a["lead_unit"]),
                 cooperating_units=[ren.unit(u) for u in a.get("cooperating_units", [])])
        for t in a["tasks"]:
            t["id"] = ren.task(t["id"])
        _dump(a, data_out / "actions" / f"{a['id']}.yml")

    for path in sorted((src / "data/reports").rglob("*.yml")):
        r = _read(path)
        r.update(action=ren.action(r["action"]), sample=True)
        for item in r["tasks"]:
            item["task"] = ren.task(item["task"])
        for item in r.get("corrections") or []:
            item["task"] = ren.task(item["task"])
        _dump(r, data_out / "reports" / r["month"] / f"{r['action']}.yml")

    for path in sorted((src / "data/cases").rglob("*.yml")):
        c = _read(path)
        c.update(id=ren.prefix + c["id"], sample=True, units=[ren.unit(u) for u in c["units"]],
                 actions=[ren.action(a) for a in c.get("actions", [])])
        _dump(c, data_out / "cases" / f"{c['id']}.yml")

    for path in sorted((src / "data/cleanup").glob("*.yml")):
        block = _read(path)
        for e in block["entries"]:
            e.update(unit=ren.unit(e["unit"]), sample=True, document=f"{e['document']}（第{k}县）")
        _dump(block, data_out / "cleanup" / f"{path.stem}-k{k}.yml")

    for path in sorted((src / "content/policies").glob("*.md")):
        if path.name == "index.md":
            continue
        parts = split_front_matter(path.read_text(encoding="utf-8"))
        if parts is None:
            continue
        meta = parse_yaml(parts[0], path.name, Problems()).data
        meta.update(id=ren.doc(meta["id"]), sample=True, index_no=_index_no(meta["index_no"], k),
                    publisher=ren.unit(meta["publisher"]),
                    actions=[ren.action(a) for a in meta.get("actions", [])])
        for key in ("interprets", "replaced_by"):
            if meta.get(key):
                meta[key] = ren.doc(meta[key])
        if meta.get("doc_no"):
            meta["doc_no"] = re.sub(r"(\d+)号$", lambda m: f"{int(m[1]) + 1000 * k}号", meta["doc_no"])
        text = "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) + "---\n" + parts[1]
        (out / "content/policies" / f"{meta['id']}.md").write_text(text, encoding="utf-8")


# --- The long-text profile ----------------------------------------------------------------

LONG_MONTHS = 24
LONG_FIRST_MONTH = (2018, 5)
# The data date: the end of the month after the last report month (2020-05-31 for 24 months).
LONG_POLICIES = 40            # per county: 30 documents and 10 interpretations

_SUBJECTS = ["县政务服务中心", "县市场监管局", "县税务局", "县自然资源局", "县住建局", "县人社局", "各镇人民政府",
             "县发改局", "县不动产登记中心", "县公共资源交易中心", "县行政审批服务局", "县数据资源管理局"]
_OBJECTS = ["企业开办", "工程建设项目审批", "不动产登记", "纳税服务", "获得电力", "获得用水用气", "政府采购",
            "招标投标", "跨境贸易", "办理破产", "市场准入", "信用监管", "中小投资者保护", "劳动力市场监管"]
_MEASURES = ["推行“一窗受理、集成服务”", "实行告知承诺制", "压减审批环节和申请材料", "推进“互联网+政务服务”",
             "落实首问负责和限时办结制度", "建立容缺受理机制", "开展“双随机、一公开”抽查", "推广电子证照共享应用",
             "实行联合验收和区域评估", "建立企业诉求快速响应机制", "完善涉企收费目录清单", "推进证明事项清理"]
_RESULTS = ["办理时限压缩至3个工作日以内", "申请材料平均减少三分之一", "群众满意率保持在95%以上",
            "实现全程网上办理", "企业跑动次数减少到最多一次", "审批环节由原来的8个减少到4个",
            "按时办结率达到100%", "投诉举报办结率达到98%以上"]
_SENTENCES = [
    "{s}牵头，围绕{o}领域，{m}，力争{r}。",
    "各有关单位要按照职责分工，主动对接{s}，认真梳理{o}事项清单，{m}。",
    "对{o}中发现的推诿扯皮、吃拿卡要等问题，由{s}建立台账，逐项督促整改，确保{r}。",
    "{s}要将{o}工作纳入年度目标责任考核，定期通报进展情况，对工作滞后的单位进行约谈。",
    "坚持问题导向，聚焦企业和群众反映强烈的{o}难点堵点，{m}，切实提升办事便利度。",
    "依托县政府门户网站和441111热线，畅通{o}意见建议收集渠道，{s}每月汇总分析并反馈办理结果。",
    "加强部门协同，{s}会同相关单位{m}，推动{o}由“多头跑”向“一站办”转变。",
    "建立健全{o}工作长效机制，{m}，做到{r}，持续优化提升营商环境。",
    "各镇、各部门要高度重视，明确分管领导和具体责任人，确保{o}各项措施落地见效。",
    "对照省、市关于{o}的部署要求，{s}要逐条对标，查找差距，{m}。",
]
_REPORT_PROBLEMS = ["部分事项涉及多个部门，协调衔接仍需加强", "基层窗口人员业务能力有待提升",
                    "个别单位数据共享不及时，影响并联审批效率", "企业对新政策知晓率不高，宣传解读需要加强",
                    "信息化系统对接进度慢于计划", "少数事项办理时限仍高于全省平均水平"]


def _paragraph(rng: random.Random, sentences: int) -> str:
    return "".join(rng.choice(_SENTENCES).format(s=rng.choice(_SUBJECTS), o=rng.choice(_OBJECTS),
                                                 m=rng.choice(_MEASURES), r=rng.choice(_RESULTS))
                   for _ in range(sentences))


def _policy_body(rng: random.Random, target_chars: int) -> str:
    """A policy body of about target_chars characters: chapters of numbered articles."""
    chapters = ["总则", "主要任务", "工作措施", "职责分工", "保障措施", "监督考核", "附则"]
    parts, length, article = [], 0, 0
    for chapter_no, chapter in enumerate(chapters, 1):
        parts.append(f"## 第{_zh_number(chapter_no)}章 {chapter}\n")
        for _ in range(rng.randint(2, 5)):
            article += 1
            text = f"**第{_zh_number(article)}条** " + _paragraph(rng, rng.randint(3, 6))
            parts.append(text + "\n")
            length += len(text)
        if length >= target_chars * (chapter_no / len(chapters)):
            continue
    while length < target_chars:          # top up the last chapter
        article += 1
        text = f"**第{_zh_number(article)}条** " + _paragraph(rng, rng.randint(3, 6))
        parts.append(text + "\n")
        length += len(text)
    return "\n".join(parts)


def _zh_number(n: int) -> str:
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")


def _months(first: tuple[int, int], count: int) -> list[tuple[int, int]]:
    year, month = first
    out = []
    for _ in range(count):
        out.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def _month_end(year: int, month: int) -> date:
    following = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return following - timedelta(days=1)


def _due(text) -> date:
    try:
        return date.fromisoformat(str(text))
    except ValueError:
        return date(2018, 12, 31)


def _copy_project_files(src: Path, out: Path) -> None:
    """The project's own files (COPIED) from src into out."""
    for name in COPIED:
        if (src / name).is_dir():
            shutil.copytree(src / name, out / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(src / name, out / name)


def _long_county(src: Path, out: Path, months: int = LONG_MONTHS) -> Path:
    """The default county along `months` months (24), with long reports and long policies."""
    out.mkdir(parents=True)
    _copy_project_files(src, out)
    rng = random.Random(20180413)
    site = out / "data/site.yml"
    as_of = _month_end(*_months(LONG_FIRST_MONTH, months + 1)[-1])
    site.write_text(re.sub(r"(?m)^as_of: .*$", f"as_of: {as_of.isoformat()}", site.read_text(encoding="utf-8")),
                    encoding="utf-8")
    # Actions: two more tasks each, for 2019 and 2020, so the time axis has work to report.
    actions = []
    for path in sorted((out / "data/actions").glob("*.yml")):
        a = _read(path)
        n = len(a["tasks"])
        a["tasks"] += [
            {"id": f"{a['id']}-t{n + 1}", "name": f"{a['name'].removeprefix('示例：')}2019年深化提升",
             "start": "2019-01-01", "deadline": "2019-12-31", "weight": 20},
            {"id": f"{a['id']}-t{n + 2}", "name": f"{a['name'].removeprefix('示例：')}2020年巩固提升",
             "start": "2020-01-01", "deadline": "2020-12-31", "weight": 20},
        ]
        _dump(a, path)
        actions.append(a)
    # Reports: every month of 24, several paragraphs each, percent rising to each deadline.
    shutil.rmtree(out / "data/reports")
    for a in actions:
        for year, month in _months(LONG_FIRST_MONTH, months):
            end = _month_end(year, month)
            items = []
            for t in a["tasks"]:
                start, due = date.fromisoformat(str(t["start"])), _due(t["deadline"])
                if start > end:
                    continue
                share = (end - start).days / max(1, (due - start).days)
                percent = min(100, int(share * 100) // 5 * 5)
                items.append({"task": t["id"], "percent": percent,
                              "note": "" if percent >= 100 else _paragraph(rng, 1)})
            report = {"action": a["id"], "month": f"{year}-{month:02d}",
                      "submitted": (end + timedelta(days=rng.randint(2, 8))).isoformat(), "sample": True,
                      "tasks": items, "progress": "示例：" + _paragraph(rng, rng.randint(4, 7)),
                      "problems": "示例：" + "；".join(rng.sample(_REPORT_PROBLEMS, 2)) + "。",
                      "next_steps": "示例：" + _paragraph(rng, 2)}
            _dump(report, out / "data/reports" / report["month"] / f"{a['id']}.yml")
    # Cases: rectification finished (two years on, an open one would be overdue).
    for path in sorted((out / "data/cases").rglob("*.yml")):
        c = _read(path)
        if isinstance(c.get("rectification"), dict):
            c["rectification"]["status"] = "已整改"
            c["rectification"].setdefault("completed", c["rectification"].get("deadline") or c["date"])
            _dump(c, path)
    # Surveys: one a quarter up to the data date.
    template = _read(sorted((out / "data/surveys").glob("*.yml"))[-1])
    for year, quarter in [(2018, 4)] + [(y, q) for y in (2019,) for q in (1, 2, 3, 4)] + [(2020, 1)]:
        survey = {**template, "quarter": f"{year}-Q{quarter}",
                  "published": (_month_end(year, quarter * 3) + timedelta(days=10)).isoformat(),
                  "overall": round(80 + rng.random() * 15, 1)}
        survey["dimensions"] = [{**d, "score": round(78 + rng.random() * 18, 1)} for d in template["dimensions"]]
        _dump(survey, out / "data/surveys" / f"{survey['quarter']}.yml")
    # Bulletins: one issued every month, the 12th of the next, numbered within the year.
    bulletins = out / "data/bulletins"
    if bulletins.is_dir():
        template = _read(sorted(bulletins.glob("*.yml"))[-1])
        for year, month in _months(LONG_FIRST_MONTH, months):
            path = bulletins / f"{year}-{month:02d}.yml"
            if path.exists():
                continue
            issued = _month_end(year, month) + timedelta(days=12)
            first = 4 if year == 2018 else 1
            _dump({**template, "month": f"{year}-{month:02d}", "issued": issued.isoformat(),
                   "number": f"{year}年第{month - first + 1}期"}, path)
    # Policies: 30 documents and 10 interpretations, 3,000–10,000 characters each.
    action_ids = [a["id"] for a in actions]
    for i in range(1, LONG_POLICIES + 1):
        published = date(2018, 5, 10) + timedelta(days=(i - 1) * 18)
        is_reading = i > LONG_POLICIES * 3 // 4
        target = i - LONG_POLICIES * 3 // 4 if is_reading else i
        meta = {"id": f"lp-{i:03d}", "doc_type": "解读" if is_reading else "文件",
                "title": f"示例：紫阳县{rng.choice(_OBJECTS)}{'政策解读' if is_reading else '优化提升实施办法'}（{i}）",
                "index_no": f"zyxzfzyxzfbgs/{published.year}-{500 + i:04d}",
                "publisher": "zfb", "topic": "综合政务",
                "written": (published - timedelta(days=5)).isoformat(), "published": published.isoformat(),
                "validity": "有效", "actions": sorted(rng.sample(action_ids, 2)), "sample": True}
        if is_reading:
            meta["interprets"] = f"lp-{target:03d}"
        else:
            meta["doc_no"] = f"紫政办发〔{published.year}〕{100 + i}号"
        body = "本页为示例，正文由基准测试生成器编写。\n\n" + _policy_body(rng, rng.randint(3000, 10000))
        text = "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) + "---\n\n" + body
        (out / "content/policies" / f"{meta['id']}.md").write_text(text, encoding="utf-8")
    return out


PROFILES = ("short", "long")


def generate(scale: int, out: Path, src: Path = ROOT, profile: str = "short", months: int = LONG_MONTHS) -> Path:
    """Write a project at `scale` into `out` (replaced if it exists) and return it; `months`
    is the long profile's number of report months."""
    if profile not in PROFILES:
        raise ValueError(f"unknown profile {profile!r}")
    if profile == "long":
        with tempfile.TemporaryDirectory(prefix="column-long-base-") as tmp:
            base = _long_county(src, Path(tmp) / "base", months)
            return generate(scale, out, base, "short")
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    _copy_project_files(src, out)
    unit_ids = {u["id"] for u in _read(src / "data/units.yml")["units"]}
    action_ids = {p.stem for p in (src / "data/actions").glob("*.yml")}
    doc_ids = set()
    for path in (src / "content/policies").glob("*.md"):
        parts = split_front_matter(path.read_text(encoding="utf-8"))
        if parts:
            doc_ids.add(parse_yaml(parts[0], path.name, Problems()).data["id"])
    for k in range(2, scale + 1):
        _copy_county(k, src, out, _Renamer(k, unit_ids, action_ids, doc_ids))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description="生成指定规模的合成数据（用于性能基准）")
    parser.add_argument("--scale", type=int, default=10, help="规模倍数：1 为默认县的数据量")
    parser.add_argument("--profile", choices=PROFILES, default="short",
                        help="short：默认县的 4 个月数据；long：24 个月报告、长篇政策文件")
    parser.add_argument("--months", type=int, default=LONG_MONTHS,
                        help=f"long：报告月数（默认 {LONG_MONTHS}，自 2018年5月起；30 即两年半）")
    parser.add_argument("--out", type=Path, required=True, help="输出目录（已存在则覆盖）")
    args = parser.parse_args()
    generate(args.scale, args.out, profile=args.profile, months=args.months)
    print(f"已生成 ×{args.scale}（{args.profile}）数据：{args.out}")


if __name__ == "__main__":
    main()
