"""Typed records of the column: one model per kind of thing editors submit.

Field titles are the Chinese names editors and readers see; error messages and the
JSON Schemas (for editors' VS Code) both come from them. Unknown fields are refused so
that a misspelt key is reported instead of silently ignored.
"""
from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PlainSerializer, WithJsonSchema, model_validator
from pydantic_core import PydanticCustomError

from campaign.records.dates import Deadline, parse_deadline, parse_iso_date
from campaign.records import dates
from campaign.records.yamlsource import DEFAULT_LIMITS


def _zh_error(message: str) -> PydanticCustomError:
    return PydanticCustomError("zh", message)


def _field_error(field: str, message: str) -> PydanticCustomError:
    """An error raised by a whole-record check but reported at one field's line."""
    return PydanticCustomError(f"zh:{field}", message)


def _to_date(value: object) -> date:
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise _zh_error(f"「{value}」不是日期，应写成 2018-04-13 这样的“年-月-日”")
    try:
        return parse_iso_date(value)
    except ValueError as err:
        raise _zh_error(str(err)) from None


def _to_deadline(value: object) -> Deadline:
    if isinstance(value, Deadline):
        return value
    try:
        return parse_deadline(str(value))
    except ValueError as err:
        raise _zh_error(str(err)) from None


def _to_month(value: object) -> str:
    try:
        return str(dates.Month.parse(str(value)))
    except ValueError as err:
        raise _zh_error(str(err)) from None


IsoDate = Annotated[
    date,
    BeforeValidator(_to_date),
    Field(json_schema_extra={"type": "string", "format": "date", "examples": ["2018-04-13"]}),
]
DeadlineText = Annotated[
    Deadline,
    BeforeValidator(_to_deadline),
    PlainSerializer(lambda d: d.text, return_type=str),
    # Editors write text; the parsed Deadline object must not leak into the JSON Schema.
    WithJsonSchema({"type": "string", "examples": ["2018-07-20", "2018年7月中旬", "2018年6月底前"]}),
]
Month = Annotated[str, BeforeValidator(_to_month), Field(json_schema_extra={"examples": ["2018-06"]})]
# Stable ASCII ids used in URLs: defined here once; the field guide, open data and the
# scaffolds read SLUG_PATTERN.
SLUG_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
Slug = Annotated[
    str,
    Field(pattern=SLUG_PATTERN, json_schema_extra={"examples": ["a01", "a01-t1"]}),
]
# A unit named by its id in data/units.yml (editors often write the unit's name instead: the
# message then says so and shows unit ids, not action ids).
UNIT_ID_EXAMPLES = ["scj", "dcs"]
UnitId = Annotated[
    str,
    Field(pattern=SLUG_PATTERN, json_schema_extra={"examples": UNIT_ID_EXAMPLES}),
]
Text = Annotated[str, Field(min_length=1)]


class Record(BaseModel):
    """Base of all records: unknown fields are errors; values are checked on assignment."""

    model_config = ConfigDict(extra="forbid", frozen=False, str_strip_whitespace=True, defer_build=True)

    # Pickled (the check's cache, records/filecache.py) as (fields, fields set): a warm check
    # reads back 130,000 records at a province's scale, and pydantic's own state (a mapping of
    # four, read by a slower __setstate__) took a third of that.
    def __getstate__(self) -> Any:
        if self.__pydantic_extra__ or self.__pydantic_private__:
            return super().__getstate__()
        return (self.__dict__, self.__pydantic_fields_set__)

    def __setstate__(self, state: Any, _set: Any = object.__setattr__) -> None:
        if type(state) is not tuple:
            return super().__setstate__(state)
        _set(self, "__dict__", state[0])
        _set(self, "__pydantic_fields_set__", state[1])
        _set(self, "__pydantic_extra__", None)
        _set(self, "__pydantic_private__", None)


class ProofreadAllow(Record):
    """A reviewed exception to the proofreading rules (rules/proofreading.py), next to the text."""

    model_config = ConfigDict(title="校对例外")

    text: Text = Field(title="允许的写法", description="与正文中完全一致的字符串，如方案原文中的“紫政办发【2018】25号”")
    reason: Text = Field(title="理由", description="为什么这样写是对的，如“方案原文如此”“人名”；审核人据此复核")


def _proofread_allow():
    return Field(default_factory=list, title="校对例外",
                 description="校对提示有误、原文确需如此写时，列出允许的写法和理由（每项 text、reason）；"
                             "只对本文件生效，不能整站关闭某条规则。一般不填")


class SampleMixin(Record):
    sample: bool = Field(False, title="示例数据", description="方案未载明、为演示而编写的内容填 true，页面会标注“示例”")


# --- Site and portal identity -------------------------------------------------------------

SITE_ID_CODE = re.compile(r"^\d{10}$")
ICP_NUMBER = re.compile(r"^[\u4e00-\u9fa5]ICP备\d{8,10}号(-\d+)?$")
POLICE_NUMBER = re.compile(r"^[\u4e00-\u9fa5]公网安备(\d{14})号$")
# 索引号: organisation code / year - serial, as the Ziyang portal writes zyxzfzyxzfbgs/2018-0025.
DEFAULT_INDEX_NO_PATTERN = r"[A-Za-z0-9]+/\d{4}-\d{4,6}"


class Column(Record):
    model_config = ConfigDict(title="栏目")

    id: Slug = Field(title="栏目编号")
    name: Text = Field(title="栏目名称")
    cadence: Literal["动态", "月度", "季度", "通知公告", "政策文件", "不定期"] = Field(
        title="更新周期类别",
        description="动态类两周内须更新，月度类45天内，季度类120天内，通知公告与政策文件类六个月内；不定期类只要求不空白")


class WorkCalendar(Record):
    """Overrides of the official holiday calendar for counting working days (workdays.py)."""

    model_config = ConfigDict(title="工作日历")

    holidays: list[IsoDate] = Field(default_factory=list, title="放假的工作日",
                                    description="落在周一至周五的法定节假日，按国务院办公厅当年节假日安排通知填写")
    workdays: list[IsoDate] = Field(default_factory=list, title="调休上班的周末",
                                    description="因调休上班的周六、周日")

    @model_validator(mode="after")
    def _days_fit_their_list(self) -> "WorkCalendar":
        weekend_holidays = [d for d in self.holidays if d.weekday() >= 5]
        if weekend_holidays:
            listed = "、".join(f"{d.isoformat()}（{_WEEKDAYS[d.weekday()]}）" for d in weekend_holidays)
            raise _field_error("holidays", f"{listed}本来就是周末，不必列为放假日；这里只填落在周一至周五的节假日")
        weekday_workdays = [d for d in self.workdays if d.weekday() < 5]
        if weekday_workdays:
            listed = "、".join(f"{d.isoformat()}（{_WEEKDAYS[d.weekday()]}）" for d in weekday_workdays)
            raise _field_error("workdays", f"{listed}本来就是工作日；这里只填因调休上班的周六、周日")
        return self


_WEEKDAYS = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")


class ScheduleSettings(Record):
    """The numbers the status rules use (rules/schedule.py); printed on the 统计口径 page."""

    model_config = ConfigDict(title="统计口径设置")

    report_due_day: int = Field(10, ge=1, le=28, title="月报截止日（次月几日）",
                                description="某月的进展报告最晚在次月这一天报送（含当天）；过了这一天仍未报送的记为缺报")
    behind_threshold: float = Field(10, ge=0, le=100, title="滞后阈值（百分点）",
                                    description="最新进度比序时进度低出这么多个百分点以上（不含）时为滞后")
    due_soon_days: int = Field(15, ge=0, le=90, title="临期天数",
                               description="距完成时限不超过这么多天（含时限当天）且未完成的任务为临期")
    basis: str = Field("", title="依据", description="这些数值的来源，如方案条款或督查室通知；方案未写明的照实说明")
    sample: bool = Field(True, title="示例/默认值",
                         description="方案未规定、由本专栏设定的示例或默认值填 true，统计口径页会标注“示例/默认”")


class InputLimits(Record):
    """Bounds on editors' files (yamlsource.Limits): a pasted 50 MB text stops at check."""

    model_config = ConfigDict(title="输入大小上限")

    file_kb: int = Field(DEFAULT_LIMITS.file_kb, ge=1, le=100 * 1024, title="单个文件大小上限（KB）",
                         description="data/ 中的数据文件和 content/ 中的 Markdown 页面，每个文件不超过这么多 KB")
    text_chars: int = Field(DEFAULT_LIMITS.text_chars, ge=100, le=10_000_000, title="单项文字长度上限（字符）",
                            description="数据文件中每一项文字（如进展情况、案例详情）不超过这么多字符")


class Site(Record):
    model_config = ConfigDict(title="门户网站与专栏信息")

    portal_name: Text = Field(title="门户网站名称")
    portal_url: Text = Field(title="门户网站地址", pattern=r"^https?://", json_schema_extra={"examples": ["http://www.zyx.gov.cn/"]})
    portal_domain: Text = Field(title="门户网站域名")
    column_name: Text = Field(title="专栏名称")
    column_description: Text = Field(title="专栏简介")
    column_keywords: list[Text] = Field(title="专栏关键词", min_length=1)
    column_type: Text = Field(title="栏目类型", json_schema_extra={"examples": ["专题专栏"]})
    sponsor: Text = Field(title="主办单位")
    organizer: Text = Field(title="承办单位")
    contact_phone: Text = Field(title="联系电话", pattern=r"^[0-9-]{5,20}$")
    site_id_code: str = Field(title="网站标识码", pattern=SITE_ID_CODE.pattern,
                              description="10 位数字，陕西省以 61 开头")
    icp_number: str = Field(title="ICP备案号", pattern=ICP_NUMBER.pattern, json_schema_extra={"examples": ["陕ICP备12345678号-1"]})
    police_number: str = Field(title="公安机关备案号", pattern=POLICE_NUMBER.pattern,
                               json_schema_extra={"examples": ["陕公网安备61092402000001号"]})
    identity_sample: bool = Field(False, title="备案信息为示例",
                                  description="默认数据中的备案号为示例，县信息中心部署前须替换并改为 false")
    hotline: Text = Field(title="投诉举报热线", json_schema_extra={"examples": ["441111"]})
    hotline_operator: Text = Field(title="热线承办单位")
    hotline_dial: Text | None = Field(None, title="投诉举报热线拨号号码", pattern=r"^\+?[0-9-]{3,20}$",
                                      description="页面上点击专线号码时拨打的号码（tel: 链接）；手机拨打固定电话须加区号，"
                                      "如 0915-441111。不填则直接拨打 hotline",
                                      json_schema_extra={"examples": ["0915-441111"]})
    interaction_url: Text | None = Field(None, title="政民互动栏目地址", pattern=r"^https?://",
                                         description="县政府门户网站政民互动（网上咨询、投诉、建议）栏目的地址；域名须在 outbound_allowlist 中")
    service_hotline_url: Text | None = Field(None, title="12345 热线网上入口地址", pattern=r"^https?://",
                                             description="12345 政务服务便民热线网上留言入口的地址；域名须在 outbound_allowlist 中")
    contact_sample: bool = Field(False, title="联系渠道地址为示例",
                                 description="政民互动和 12345 的地址为示例时填 true，页面标“示例”；县信息中心提供真实地址后改为 false")
    interaction_links: list["OutboundLink"] = Field(default_factory=list, title="其他政民互动渠道")
    outbound_allowlist: list[Text] = Field(default_factory=list, title="允许链接的外部网站域名")
    as_of: IsoDate = Field(title="数据截至日期", description="页面上的状态按这一天计算；可用环境变量 AS_OF 覆盖")
    campaign_start: IsoDate = Field(title="专项行动开始日期")
    archived: bool = Field(False, title="已归档", description="专项行动结束后归档，页面显示归档说明，不再计算更新时效")
    columns: list[Column] = Field(default_factory=list, title="栏目及更新周期")
    index_no_pattern: Text = Field(DEFAULT_INDEX_NO_PATTERN, title="索引号格式",
                                   description="政策文件索引号须完整匹配的正则表达式；各门户写法不同，默认为 机构代码/年份-序号")
    index_no_example: Text = Field("zyxzfzyxzfbgs/2018-0025", title="索引号示例", description="索引号格式不对时，提示编辑的正确写法")
    calendar: WorkCalendar = Field(default_factory=WorkCalendar, title="工作日历",
                                   description="计算政策文件“20 个工作日内公开”时用的补充日历：2004–2026 年的法定节假日和调休"
                                               "已按国务院办公厅通知内置（chinesecalendar），这里填写的日期优先，"
                                               "并用于内置日历没有的年份；两者都没有的年份按周一至周五计算并给出警告")
    schedule: ScheduleSettings = Field(default_factory=ScheduleSettings, title="统计口径设置",
                                       description="月报截止日、滞后阈值和临期天数；统计口径页逐项列出并注明依据")
    proofread_allow: list[ProofreadAllow] = _proofread_allow()
    limits: InputLimits = Field(default_factory=InputLimits, title="输入大小上限",
                                description="防止误粘贴超大内容；一般不用填，默认每个文件 1024 KB、每项文字 10000 个字符")

    @model_validator(mode="after")
    def _site_code_in_shaanxi(self) -> "Site":
        if not self.site_id_code.startswith("61"):
            raise _field_error("site_id_code", f"网站标识码「{self.site_id_code}」不是陕西省的标识码（应以 61 开头）")
        return self

    @model_validator(mode="after")
    def _filings_match_province(self) -> "Site":
        # The 公安 filing's 14 digits start with the administrative code of the province.
        digits = POLICE_NUMBER.match(self.police_number).group(1)
        if not digits.startswith(self.site_id_code[:2]):
            raise _field_error("police_number", f"公安机关备案号「{self.police_number}」中的数字应以本省代码"
                               f"「{self.site_id_code[:2]}」开头（与网站标识码同省），请核对")
        return self

    @model_validator(mode="after")
    def _outbound_links_allowed(self) -> "Site":
        # Every link leaving the column must go to a site on the allowlist (PORTAL-RULES 10).
        contacts = [u for u in (self.interaction_url, self.service_hotline_url) if u]
        for link in [self.portal_url] + contacts + [x.url for x in self.interaction_links]:
            host = re.sub(r"^https?://", "", link).split("/")[0].split(":")[0]
            if host not in self.outbound_allowlist:
                raise _field_error("outbound_allowlist", f"链接「{link}」的域名「{host}」不在 outbound_allowlist（允许链接的外部网站）中，"
                                   "请加入该域名或改用允许的网站")
        return self


class OutboundLink(Record):
    model_config = ConfigDict(title="外部链接")

    title: Text = Field(title="链接名称")
    url: Text = Field(title="链接地址", pattern=r"^https?://")


# --- Units and leadership -----------------------------------------------------------------


class Unit(Record):
    model_config = ConfigDict(title="单位")

    id: Slug = Field(title="单位编号")
    name: Text = Field(title="单位全称")
    short: Text = Field(title="单位简称", description="方案中的写法，如“县统计局”")
    kind: Literal["党委部门", "政府部门", "事业单位", "议事协调机构", "其他"] = Field("政府部门", title="单位类别")
    sample: bool = Field(False, title="全称为示例",
                         description="方案只写了简称、全称是为本专栏整理的时填 true，页面上全称旁标注“示例”；经县信息中心核对后改为 false")


class Units(Record):
    model_config = ConfigDict(title="单位名录")

    units: list[Unit] = Field(title="单位名录", min_length=1)


class Person(Record):
    model_config = ConfigDict(title="人员")

    name: Text = Field(title="姓名")
    title: Text = Field(title="职务")


class LeadershipOffice(Record):
    model_config = ConfigDict(title="领导小组办公室")

    name: Text = Field(title="办公室名称")
    co_located_with: str = Field("", title="合署办公机构")
    director: Text = Field(title="办公室主任", description="方案原文，如“由县政府办主任兼任”")
    deputy_director: Text = Field(title="办公室副主任")
    duties: Text = Field(title="主要职责")


class Leadership(Record):
    model_config = ConfigDict(title="领导小组")

    name: Text = Field(title="领导小组名称")
    leader: Person = Field(title="组长")
    deputies: list[Person] = Field(title="副组长", min_length=1)
    member_units: list[UnitId] = Field(title="成员单位", min_length=1)
    member_note: Text = Field(title="成员说明")
    office: LeadershipOffice = Field(title="领导小组办公室")
    proofread_allow: list[ProofreadAllow] = _proofread_allow()


# --- The supervision plan -----------------------------------------------------------------


class Measure(Record):
    model_config = ConfigDict(title="工作措施")

    id: Slug = Field(title="措施编号")
    section: Text = Field(title="所属部分", json_schema_extra={"examples": ["（三）全面规范和开展明察暗访"]})
    number: str = Field("", title="序号")
    title: Text = Field(title="措施名称")
    text: Text = Field(title="方案原文")
    start: IsoDate | None = Field(None, title="开始日期")
    deadline: DeadlineText | None = Field(None, title="完成时限", description="照方案原文，如“2018年7月中旬前”")
    lead_units: list[UnitId] = Field(default_factory=list, title="牵头单位")
    cooperating_units: list[UnitId] = Field(default_factory=list, title="配合单位")
    all_action_leads: bool = Field(False, title="各专项行动牵头单位参与")
    done: IsoDate | None = Field(None, title="完成日期", description="实际完成的日期；未完成不填")
    done_sample: bool = Field(False, title="完成情况为示例", description="方案未载明完成情况、为演示而填写时填 true")
    recurring: str = Field("", title="周期性要求", json_schema_extra={"examples": ["每季度一次"]})


class SupervisionMethod(Record):
    model_config = ConfigDict(title="督查方式")

    id: Slug = Field(title="方式编号")
    name: Literal["全面自查", "实地督查", "专项督查", "明查暗访", "随机抽查"] = Field(title="督查方式")
    text: Text = Field(title="方案原文")
    deadline: DeadlineText | None = Field(None, title="时间安排")
    lead_units: list[UnitId] = Field(default_factory=list, title="牵头单位")
    cooperating_units: list[UnitId] = Field(default_factory=list, title="配合单位")
    all_action_leads: bool = Field(False, title="各专项行动牵头单位参与")
    done: IsoDate | None = Field(None, title="完成日期", description="有时限的督查方式实际完成的日期；未完成不填")
    done_sample: bool = Field(False, title="完成情况为示例", description="方案未载明完成情况、为演示而填写时填 true")


class Plan(Record):
    model_config = ConfigDict(title="督查方案")

    title: Text = Field(title="方案名称")
    purpose: Text = Field(title="制定目的")
    goal: Text = Field(title="工作目标")
    start: IsoDate = Field(title="方案开始执行日期")
    measures: list[Measure] = Field(title="工作措施", min_length=1)
    methods: list[SupervisionMethod] = Field(title="督查方式", min_length=1)
    guarantees: list[Text] = Field(title="组织保障", min_length=1)
    proofread_allow: list[ProofreadAllow] = _proofread_allow()


# --- Special actions and monthly reports --------------------------------------------------


class DeadlineChange(Record):
    model_config = ConfigDict(title="时限调整记录")

    date: IsoDate = Field(title="调整日期")
    was: DeadlineText = Field(title="原完成时限", description="已经公开的原时限；deadline 栏写调整后的时限")
    note: str = Field("", title="调整说明")


class Task(Record):
    model_config = ConfigDict(title="任务")

    id: Slug = Field(title="任务编号")
    name: Text = Field(title="任务名称")
    start: IsoDate = Field(title="开始日期")
    deadline: DeadlineText = Field(title="完成时限")
    weight: float = Field(title="权重", ge=0, le=100, description="任务在本行动中的分量，各任务权重之和一般为 100")
    plan_measure: Slug | None = Field(None, title="对应方案措施",
                                      description="与督查方案中某项工作措施是同一件事时填措施编号（如 m2）；"
                                                  "该措施填写了完成日期的，任务自完成日期起计为已完成，两处状态一致")
    deadline_changes: list[DeadlineChange] = Field(default_factory=list, title="时限调整记录",
                                                   description="公开后调整完成时限时，保留原时限和调整日期，变更记录中列为更正")

    @model_validator(mode="after")
    def _deadline_after_start(self) -> "Task":
        if self.deadline.due < self.start:
            raise _field_error("deadline", f"完成时限（{self.deadline.text}）早于开始日期（{self.start.isoformat()}），请核对这两个日期",
            )
        return self


class Action(SampleMixin):
    model_config = ConfigDict(title="专项行动")

    id: Slug = Field(title="行动编号", json_schema_extra={"examples": ["a01"]})
    name: Text = Field(title="行动名称")
    lead_unit: UnitId = Field(title="牵头单位")
    cooperating_units: list[UnitId] = Field(default_factory=list, title="配合单位")
    goal: Text = Field(title="行动目标")
    start: IsoDate = Field(title="开始日期")
    tasks: list[Task] = Field(title="任务", min_length=1)
    reports_from: Month | None = Field(None, title="首次报送月份", description="从这个月起每月须报送进展；不填则从开始日期所在月起")
    proofread_allow: list[ProofreadAllow] = _proofread_allow()


class Attachment(Record):
    model_config = ConfigDict(title="附件")

    title: Text = Field(title="附件名称")
    path: Text = Field(title="附件路径", description="放在 content/attachments/ 下的文件，写相对路径")


class TaskProgress(Record):
    model_config = ConfigDict(title="任务进度")

    task: Slug = Field(title="任务编号")
    percent: float = Field(title="完成进度（%）", ge=0, le=100)
    note: str = Field("", title="说明")
    correction: str = Field("", title="更正说明",
                            description="完成进度低于上一份报告时必填：说明进度为什么下降（如上月多报、任务调整），"
                                        "与报告一同公开；不填时进度下降会作为警告，网站不能发布")


class Correction(Record):
    model_config = ConfigDict(title="更正记录")

    date: IsoDate = Field(title="更正日期")
    task: Slug = Field(title="任务编号")
    was: float = Field(title="更正前进度（%）", ge=0, le=100, description="已经公开的原进度；任务进度栏写更正后的进度")
    note: str = Field("", title="更正说明")


class Report(SampleMixin):
    model_config = ConfigDict(title="月度进展报告")

    action: Slug = Field(title="行动编号")
    month: Month = Field(title="报送月份")
    submitted: IsoDate = Field(title="报送日期")
    tasks: list[TaskProgress] = Field(title="任务进度", min_length=1)
    progress: Text = Field(title="进展情况")
    problems: str = Field("", title="存在问题")
    next_steps: str = Field("", title="下一步措施")
    attachments: list[Attachment] = Field(default_factory=list, title="附件")
    corrections: list[Correction] = Field(default_factory=list, title="更正记录",
                                          description="报送后改正已公开的进度时，保留原进度和更正日期；更正日期之前印发的通报不变")
    proofread_allow: list[ProofreadAllow] = _proofread_allow()


class Bulletin(SampleMixin):
    model_config = ConfigDict(title="月度通报印发记录")

    month: Month = Field(title="通报月份", description="通报哪个月的进展，如 2018-08")
    issued: IsoDate = Field(title="印发日期", description="只统计这一天及以前报送的进展报告；印发后通报内容不再改变")
    number: Text = Field(title="期号", json_schema_extra={"examples": ["2018年第5期"]})
    office: Slug = Field("dcs", title="印发单位", description="单位编号，一般为县政府督查室（dcs）")
    comment: str = Field("", title="按语", description="督查室对本期通报的点评，可不填")


# --- Cases ----------------------------------------------------------------------------------

CASE_SOURCES = ("441111热线", "明察暗访", "媒体报道", "领导批示", "单位报送", "群众来信", "实地督查", "专项督查")


class Rectification(Record):
    model_config = ConfigDict(title="整改情况")

    status: Literal["已整改", "整改中", "未整改"] = Field(title="整改状态")
    deadline: IsoDate | None = Field(None, title="整改时限")
    completed: IsoDate | None = Field(None, title="整改完成日期")
    measures: str = Field("", title="整改措施")
    result: str = Field("", title="整改结果")


class Case(SampleMixin):
    model_config = ConfigDict(title="典型案例")

    id: Slug = Field(title="案例编号", json_schema_extra={"examples": ["c2018-001"]})
    title: Text = Field(title="标题")
    kind: Literal["先进经验", "问题曝光"] = Field(title="案例类型")
    category: Literal["不作为", "乱作为", "慢作为"] | None = Field(None, title="问题类别", description="问题曝光类必填")
    date: IsoDate = Field(title="发布日期")
    units: list[UnitId] = Field(title="涉及单位", min_length=1)
    actions: list[Slug] = Field(default_factory=list, title="相关专项行动")
    source: Literal[CASE_SOURCES] = Field(title="线索来源")  # type: ignore[valid-type]
    summary: Text = Field(title="案例摘要")
    body: str = Field("", title="详细情况")
    handling: str = Field("", title="处理情况")
    rectification: Rectification | None = Field(None, title="整改情况", description="问题曝光类必填")
    allow_personal_data: list[str] = Field(default_factory=list, title="允许出现个人信息的字段",
                                           description="确需公开身份证号、手机号等时，列出字段名；一般不填")
    proofread_allow: list[ProofreadAllow] = _proofread_allow()

    @model_validator(mode="after")
    def _exposure_needs_category(self) -> "Case":
        if self.kind == "问题曝光" and self.category is None:
            raise _field_error("category", "问题曝光类案例必须填写 category（不作为、乱作为 或 慢作为）")
        if self.kind == "问题曝光" and self.rectification is None:
            raise _field_error("rectification", "问题曝光类案例必须填写 rectification（整改情况）")
        if self.kind == "先进经验" and self.category is not None:
            raise _field_error("category", "先进经验类案例不填 category（问题类别）")
        return self


# --- Policy documents and explainers (Markdown front matter) ------------------------------

VALIDITY = ("有效", "失效", "废止", "已修订")


class PolicyDoc(SampleMixin):
    model_config = ConfigDict(title="政策文件与解读")

    id: Slug = Field(title="文件编号", description="本专栏内的稳定编号，用作网址")
    doc_type: Literal["文件", "解读"] = Field(title="类型")
    title: Text = Field(title="文件名称")
    index_no: Text = Field(title="索引号", json_schema_extra={"examples": ["zyxzfzyxzfbgs/2018-0025"]})
    doc_no: str = Field("", title="文号", json_schema_extra={"examples": ["紫政办发〔2018〕25号"]})
    publisher: UnitId = Field(title="发布机构", description="单位编号，页面显示单位全称")
    topic: Text = Field(title="主题分类", json_schema_extra={"examples": ["综合政务"]})
    written: IsoDate = Field(title="成文日期")
    published: IsoDate = Field(title="公开日期")
    validity: Literal[VALIDITY] = Field("有效", title="有效性")  # type: ignore[valid-type]
    form: str = Field("主动公开", title="公开形式")
    interprets: Slug | None = Field(None, title="解读的文件", description="解读类必填：被解读文件的编号")
    replaced_by: Slug | None = Field(None, title="替代文件", description="失效、废止或已修订时，填新文件编号")
    actions: list[Slug] = Field(default_factory=list, title="相关专项行动")
    keywords: list[str] = Field(default_factory=list, title="关键词")
    description: str = Field("", title="摘要")
    proofread_allow: list[ProofreadAllow] = _proofread_allow()

    @model_validator(mode="after")
    def _dates_and_links(self) -> "PolicyDoc":
        if self.written > self.published:
            raise _field_error("written", f"成文日期（{self.written}）晚于公开日期（{self.published}），成文日期应不晚于公开日期")
        if self.doc_type == "解读" and not self.interprets:
            raise _field_error("interprets", "解读类文件必须填写 interprets（被解读文件的编号）")
        if self.doc_type == "文件" and self.interprets:
            raise _field_error("interprets", "只有解读才填写 interprets；文件类请删除这一项")
        return self


# --- Publicity week, surveys, cleanup -----------------------------------------------------


class PublicityEvent(SampleMixin):
    model_config = ConfigDict(title="宣传周日程")

    date: IsoDate = Field(title="日期")
    channel: Text = Field(title="渠道", json_schema_extra={"examples": ["紫阳电视台", "县政府门户网站"]})
    title: Text = Field(title="活动或报道标题")
    units: list[UnitId] = Field(default_factory=list, title="参与单位")
    report: str = Field("", title="相关报道", description="本专栏内页面：policy:编号、case:编号；或留空")
    description: str = Field("", title="内容简介")


class PublicityWeek(SampleMixin):
    model_config = ConfigDict(title="政策宣传周")

    year: int = Field(title="年度", ge=2000, le=2100)
    title: Text = Field(title="活动名称")
    start: IsoDate = Field(title="开始日期")
    end: IsoDate = Field(title="结束日期")
    channels: list[Text] = Field(title="宣传渠道", min_length=1)
    units: list[UnitId] = Field(default_factory=list, title="参与单位")
    all_action_leads: bool = Field(False, title="各专项行动牵头单位参与")
    intro: Text = Field(title="活动说明")
    events: list[PublicityEvent] = Field(default_factory=list, title="日程")
    proofread_allow: list[ProofreadAllow] = _proofread_allow()

    @model_validator(mode="after")
    def _range(self) -> "PublicityWeek":
        if self.end < self.start:
            raise _field_error("end", f"结束日期（{self.end}）早于开始日期（{self.start}）")
        return self


class SurveyDimension(Record):
    model_config = ConfigDict(title="分项得分")

    name: Text = Field(title="测评维度")
    score: float = Field(title="得分", ge=0, le=100)


class Survey(SampleMixin):
    model_config = ConfigDict(title="满意度测评")

    quarter: str = Field(title="季度", pattern=r"^\d{4}-Q[1-4]$", json_schema_extra={"examples": ["2018-Q2"]})
    unit: UnitId = Field(title="测评单位")
    published: IsoDate = Field(title="发布日期")
    overall: float = Field(title="总体满意度（分）", ge=0, le=100)
    sample_size: int = Field(title="样本量", ge=1)
    method: Text = Field(title="测评方法")
    dimensions: list[SurveyDimension] = Field(default_factory=list, title="分项得分")
    notes: str = Field("", title="测评说明")
    proofread_allow: list[ProofreadAllow] = _proofread_allow()


class CleanupEntry(SampleMixin):
    model_config = ConfigDict(title="清理条目")

    document: Text = Field(title="文件名称")
    doc_no: str = Field("", title="文号")
    decision: Literal["保留", "修改", "废止"] = Field(title="清理结果")
    date: IsoDate = Field(title="清理日期")
    unit: UnitId = Field(title="制定单位")
    reason: str = Field("", title="理由")
    proofread_allow: list[ProofreadAllow] = _proofread_allow()


class Cleanup(Record):
    model_config = ConfigDict(title="规范性文件清理")

    entries: list[CleanupEntry] = Field(title="清理清单", min_length=1)


Site.model_rebuild()
