"""Demo complaint handling: the Changsha units and their staff, the handling policy, the reason
templates, and about thirty complaints in every state.

Every complaint is made through ``complaints.intake.submit`` and moved only through
``complaints.workflow.perform``, at times counted back from the moment of loading, so the
desk shows what the real handling makes: new items, items due within a day, overdue ones,
items awaiting the 回访, with their audit logs, deadlines and cards. Each complaint is keyed
by its submission key: a second run finds it and does nothing. Existing units, templates,
accounts and policy values are kept as an editor left them; blanks are filled in.
"""

import datetime
import re
import secrets
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from complaints import intake, workflow
from complaints.models import Complaint, ComplaintEvent, HandlingPolicy, RefusalTemplate, Unit
from complaints.states import Result
from merchants.models import BusinessDistrict, Merchant, PledgeType, PublicStatus, Region

from .content import complaints as words
from .content.trades import trade_of_shop
from .merchants import QUICK

KEY_PREFIX = "demo-complaint-"


@dataclass
class ComplaintDemoReport:
    units_created: int = 0
    templates_created: int = 0
    complaints_created: int = 0
    accounts: list = field(default_factory=list)  # (username, unit name, new password or None)
    missing_group: str | None = None
    pledge_type_missing: bool = False

    def lines(self):
        """The loader's summary, in Chinese."""
        total = Complaint.objects.filter(submission_key__startswith=KEY_PREFIX).count()
        out = [
            f"投诉办理：承办单位 {Unit.objects.count()} 个（本次新建 {self.units_created} 个），"
            f"理由模板 {RefusalTemplate.objects.count()} 条"
            f"（本次新建 {self.templates_created} 条），演示投诉 {total} 件"
            f"（本次新建 {self.complaints_created} 件）"
        ]
        if self.pledge_type_missing:
            out.append(f"注意：承诺类型“{QUICK}”不存在，快速响应只能由工作人员标记")
        out.append("投诉办理演示账号（密码只在创建或重置时显示这一次）：")
        for username, unit_name, password in self.accounts:
            shown = f"密码 {password}" if password else "已存在，沿用原密码"
            out.append(f"  {unit_name}  {username}  {shown}")
        if self.missing_group:
            out.append(
                f"  注意：用户组“{self.missing_group}”不存在，以上账号未加入该组"
                "（只作为承办单位的工作人员）"
            )
        return out


# --- units, staff, policy, templates -----------------------------------------------------------


def _ensure_units(report):
    units = {}
    districts = {d.name: d for d in BusinessDistrict.objects.all()}
    for key, name, level, region, district, parent in words.UNITS:
        unit, created = Unit.objects.get_or_create(
            name=name,
            defaults={
                "level": level,
                "region_id": region,
                "district": districts.get(district),
                "parent": units.get(parent),
                "email": f"{key}@{words.EMAIL_DOMAIN}",
            },
        )
        report.units_created += created
        units[key] = unit
    return units


def _short_name(unit):
    # 长沙市岳麓区市场监督管理局 -> 岳麓区; a station keeps its own name.
    found = re.match(r"^(?:长沙市)?(.+?[区县市])市场监督管理局$", unit.name)
    return found.group(1) if found else unit.name


def _ensure_staff(units, report, reset_passwords):
    user_model = get_user_model()
    group = Group.objects.filter(name=words.STAFF_GROUP).first()
    if group is None:
        report.missing_group = words.STAFF_GROUP
    staff = {}
    for key, unit in units.items():
        user = user_model.objects.filter(username=key).first()
        password = None
        if user is None or reset_passwords:
            user = user or user_model(
                username=key,
                email=f"{key}.staff@{words.EMAIL_DOMAIN}",
                first_name=words.STAFF_FIRST_NAME,
                last_name=_short_name(unit),
            )
            password = secrets.token_urlsafe(12)
            user.set_password(password)
            user.save()
        if group is not None:
            user.groups.add(group)
        unit.members.add(user)
        staff[key] = user
        report.accounts.append((key, unit.name, password))
    return staff


def _ensure_policy(report):
    policy = HandlingPolicy.load()
    quick = PledgeType.objects.filter(name=QUICK).first()
    if quick is None:
        report.pledge_type_missing = True
    elif not policy.fast_response_pledge_types.exists():
        # An empty list is a blank to fill in, as the loader treats the portal settings.
        policy.fast_response_pledge_types.add(quick)
    return policy


def _ensure_templates(report):
    templates = {}
    for use, title, text, sort_order in words.REFUSAL_TEMPLATES:
        template, created = RefusalTemplate.objects.get_or_create(
            use=use, title=title, defaults={"text": text, "sort_order": sort_order}
        )
        report.templates_created += created
        templates[title] = template
    return templates


# --- complaints --------------------------------------------------------------------------------


class _Context:
    """What making the demo complaints needs: units, staff, templates, candidate merchants."""

    def __init__(self, units, staff, templates, now):
        self.units, self.staff, self.templates, self.now = units, staff, templates, now
        self.today = timezone.localdate(now)
        self.made = {}  # key: Complaint
        self.phones = {}  # key: phone
        in_force = Merchant.objects.with_status(PublicStatus.IN_FORCE, self.today).filter(
            region__parent_id=units[words.CITY].region_id
        )
        self.merchants = list(in_force.select_related("region").order_by("credit_code"))
        quick = PledgeType.objects.filter(name=QUICK).first()
        self.quick = [
            merchant
            for merchant in self.merchants
            if quick and merchant.pledges.in_force(self.today).filter(pledge_type=quick).exists()
        ]

    def candidates(self, where):
        if where == "quick":
            return self.quick
        unit = self.units[where]
        if unit.level == Unit.Level.STATION:
            return [m for m in self.merchants if m.district_id == unit.district_id]
        return [m for m in self.merchants if m.region_id == unit.region_id and not m.district_id]


def _submitted_at(ago, now):
    if isinstance(ago, str):
        amount, unit = int(ago[1:-1]), ago[-1]
        return now - datetime.timedelta(**{"hours" if unit == "h" else "minutes": amount})
    days, clock = ago
    day = timezone.localdate(now) - datetime.timedelta(days=days)
    return _at_day(day, clock)


def _at_day(day, clock):
    hour, minute = map(int, clock.split(":"))
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _step_time(when, submitted_at):
    if isinstance(when, str):
        amount, unit = int(when[1:-1]), when[-1]
        return submitted_at + datetime.timedelta(**{"hours" if unit == "h" else "minutes": amount})
    days, clock = when
    return _at_day(timezone.localdate(submitted_at) + datetime.timedelta(days=days), clock)


def _amount(trade):
    figures = [Decimal(str(value)) for value in (trade.amounts if trade else ()) if value]
    return max(figures) if figures else Decimal("100")


def _registered(merchant, index, occurred_on):
    trade = trade_of_shop(merchant.shop_name)
    if trade is not None:
        complaint = trade.complaints[index % len(trade.complaints)]
        what, demand = complaint.text, complaint.request
    else:  # a merchant the demo did not make: a plain goods complaint
        what, demand = "购买的商品存在质量问题，要求退货被拒", "要求退货退款"
    content = (
        f"{occurred_on.month}月{occurred_on.day}日在该店消费，{what}。"
        f"{words.CLOSINGS[index % len(words.CLOSINGS)]}"
    )
    return content, demand, _amount(trade)


def _submission(spec, index, context, submitted_at):
    occurred_on = timezone.localdate(submitted_at) - datetime.timedelta(days=index % 3)
    phone = f"{words.PHONE_PREFIX}{index + 1:04d}"
    merchant = None
    if same := spec.get("repeat_of") or spec.get("same_matter_as"):
        first = context.made[same]
        merchant, region = first.merchant, first.region
        name, address = first.merchant_name, first.merchant_address
        content, demand, amount = first.content, first.demand, first.amount
        if "repeat_of" in spec:
            phone = context.phones[same]
            content = "上次投诉后店家一直没有联系我，再次反映：" + content
        else:
            content = "和家人一起买的，家人已经投诉过，我再反映一次：" + content
    elif spec["where"].startswith("typed:"):
        name, address, region_code, content, demand, amount = words.TYPED[spec["where"][6:]]
        region, amount = Region.objects.get(code=region_code), Decimal(amount)
    else:
        candidates = context.candidates(spec["where"]) or context.merchants
        if not candidates:
            return None
        merchant = candidates[spec.get("pick", 0) % len(candidates)]
        region, name, address = merchant.region, merchant.shop_name, merchant.address
        content, demand, amount = _registered(merchant, index, occurred_on)
    settles = any(step[0] == "start_settlement" for step in spec["steps"])
    return intake.Submission(
        region=region,
        merchant_name=name,
        merchant=merchant,
        merchant_address=address,
        occurred_on=occurred_on,
        content=content,
        demand=demand,
        amount=amount,
        name=words.NAMES[index % len(words.NAMES)],
        phone=phone,
        phone_verified=True,
        consent_contact=settles or index % 4 != 3,
        consent_publish=index % 2 == 0,
        submission_key=f"{KEY_PREFIX}{spec['key']}",
    )


def _details(action, options, complaint, context):
    details = {"note": ""}
    if "template" in options:
        details["reason"] = context.templates[options["template"]].text
    if "unit" in options:
        details["unit"] = context.units[options["unit"]]
    if "target" in options:
        details["target"] = context.made[options["target"]]
    if "result" in options:
        details["result"] = Result(options["result"])
        share = {"full": 1, "half": Decimal("0.5")}.get(options.get("amount"))
        if share and complaint.amount:
            details["amount_recovered"] = complaint.amount * share
    for name in ("satisfaction", "fast_reason", "answer"):
        if name in options:
            details[name] = options[name]
    if action == "merchant_answer":
        details["text"] = words.SETTLEMENT_TEXTS[options["answer"]]
    return details


def _handle(complaint, steps, submitted_at, context):
    for step in steps:
        action, when = step[0], step[1]
        options = step[2] if len(step) > 2 else {}
        at = min(_step_time(when, submitted_at), context.now)
        details = _details(action, options, complaint, context)
        if action == "merchant_answer":
            who = {"actor": ComplaintEvent.Actor.MERCHANT}
        elif action == "reassign":  # the unit above a returned complaint reassigns it
            who = {"user": context.staff[_key_of(complaint.unit.parent, context)]}
        else:
            who = {"user": context.staff[_key_of(complaint.unit, context)]}
        complaint = workflow.perform(complaint, action, at=at, **who, **details)
    return complaint


def _key_of(unit, context):
    return next(key for key, candidate in context.units.items() if candidate.pk == unit.pk)


def _ensure_complaints(context, report):
    for index, spec in enumerate(words.COMPLAINTS):
        key = f"{KEY_PREFIX}{spec['key']}"
        existing = Complaint.objects.filter(submission_key=key).first()
        if existing is not None:
            context.made[spec["key"]] = existing
            context.phones[spec["key"]] = existing.complainant_phone
            continue
        submitted_at = _submitted_at(spec["ago"], context.now)
        submission = _submission(spec, index, context, submitted_at)
        if submission is None:
            continue
        outcome = intake.submit(submission, channel=Complaint.Channel.WEB, now=submitted_at)
        complaint = _handle(outcome.complaint, spec["steps"], submitted_at, context)
        context.made[spec["key"]] = complaint
        context.phones[spec["key"]] = submission.phone
        report.complaints_created += 1


def ensure_demo_complaints(now=None, reset_passwords=False):
    """Create what is missing of the demo's complaint handling; returns a report."""
    report = ComplaintDemoReport()
    now = now or timezone.now()
    units = _ensure_units(report)
    staff = _ensure_staff(units, report, reset_passwords)
    _ensure_policy(report)
    templates = _ensure_templates(report)
    _ensure_complaints(_Context(units, staff, templates, now), report)
    return report
