"""Responsible units: an index and one page per unit with what it leads and supports,
each with its status as of the data date."""
from __future__ import annotations

from collections import defaultdict

from campaign import routes
from campaign.rules import schedule
from campaign.records.loading import Dataset
from campaign.site.pages.base import GeneratedPage, render_page, unit_src
from campaign.site.pages.lists import summarised
from campaign.site.pages.cases import unit_cases_src
from campaign.site.pages.paginate import TOP, excerpt, paginate

# The statuses a unit index counts for the actions a unit leads: what needs attention.
ATTENTION = (schedule.OVERDUE, schedule.DUE_SOON, schedule.BEHIND)


def _by_unit(records, units_of) -> dict[str, list]:
    """unit id → records naming it, in record order; built once so each unit is a lookup."""
    index: dict[str, list] = defaultdict(list)
    for record in records:
        for uid in dict.fromkeys(units_of(record)):
            index[uid].append(record)
    return index


def build(d: Dataset) -> list[GeneratedPage]:
    x = schedule.derive_once(d)
    leads_of = _by_unit(d.action_list, lambda a: [a.lead_unit])
    supports_of = _by_unit(d.action_list, lambda a: a.cooperating_units)
    cases_of = _by_unit(d.cases, lambda c: c.units)
    measures_of = _by_unit(d.plan.measures, lambda i: [*i.lead_units, *i.cooperating_units])
    methods_of = _by_unit(d.plan.methods, lambda i: [*i.lead_units, *i.cooperating_units])
    rows = []
    for u in d.unit_list:
        leads = leads_of[u.id]
        led_tasks = [t for a in leads for t in x.actions[a.id].tasks]
        counts = schedule.count_statuses(t.status for t in led_tasks)
        missing = sum(len(x.actions[a.id].missing) for a in leads)
        rows.append((u, len(leads), len(supports_of[u.id]),
                     len(led_tasks), {s: counts[s] for s in ATTENTION}, missing))
    any_sample = any(a.sample for a in d.action_list)
    pages = [render_page(d, p.src_uri, "units_index.html.j2", shows_sample=any_sample, any_sample=any_sample,
                         p=p, rows=p.items, attention=ATTENTION)
             for p in paginate("units/index.md", rows)]
    for unit in d.unit_list:
        uid = unit.id
        leads = leads_of[uid]
        # A unit may lead or support many actions at province scale: bounded excerpts.
        more = dict(back=unit_src(uid), back_text=unit.name, x=x)
        leads_ex = summarised(d, pages, routes.unit_list_src(uid, "leads"), f"{unit.short}牵头的专项行动", "unit_leads",
                              leads, **more)
        supports_ex = summarised(d, pages, routes.unit_list_src(uid, "supports"), f"{unit.short}配合的专项行动",
                                 "unit_supports", supports_of[uid], **more)
        mine = cases_of[uid]
        if len(mine) > TOP:  # cut: show the newest, like cases/unit/<id>.md which lists them all
            mine = sorted(mine, key=lambda c: (c.date, c.id), reverse=True)
        cases_ex = excerpt(mine, unit_cases_src(uid))
        pages.append(render_page(
            d, unit_src(uid), "unit.html.j2", record=unit, shows_sample=unit.sample or any(a.sample for a in leads),
            unit=unit, x=x, leads_ex=leads_ex, supports_ex=supports_ex,
            cases_ex=cases_ex,
            leads=leads,
            lead_counts=schedule.count_statuses(t.status for a in leads for t in x.actions[a.id].tasks),
            supports=supports_of[uid],
            measures=measures_of[uid],
            methods=methods_of[uid],
            cases=cases_of[uid],
            member=uid in d.leadership.member_units,
        ))
    return pages
