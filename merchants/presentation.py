"""A merchant's record in the plain words a consumer reads on the scan page and the poster."""

from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from common.dates import chinese_date

from .models import PublicStatus


@dataclass
class PledgeText:
    title: str
    lines: list = field(default_factory=list)
    period: str = ""
    in_force: bool = True


@dataclass
class StatusBanner:
    status: str
    tone: str  # "ok" (green) or "alert" (red) or "wait" (amber)
    headline: str
    detail: str = ""


def pledge_text(pledge, on=None):
    """One pledge as a title, a few plain sentences and its period."""
    on = on or timezone.localdate()
    lines = []
    if pledge.pledge_type.is_return_pledge and pledge.return_days:
        lines.append(
            _("在本店购买的商品，自购买之日起%(days)s天内，商品完好即可无理由退货。")
            % {"days": pledge.return_days}
        )
        if pledge.return_scope:
            lines.append(_("适用商品：%(scope)s") % {"scope": pledge.return_scope})
        if pledge.return_conditions:
            lines.append(_("退货条件：%(conditions)s") % {"conditions": pledge.return_conditions})
    if pledge.content:
        lines.append(pledge.content)
    elif not lines and pledge.pledge_type.description:
        lines.append(pledge.pledge_type.description)
    if pledge.ends_on:
        period = _("%(start)s至%(end)s") % {
            "start": chinese_date(pledge.starts_on),
            "end": chinese_date(pledge.ends_on),
        }
    else:
        period = _("%(start)s起长期有效") % {"start": chinese_date(pledge.starts_on)}
    return PledgeText(
        title=pledge.pledge_type.name, lines=lines, period=period, in_force=pledge.is_in_force(on)
    )


def status_banner(merchant, on=None):
    """What the top of the scan page says, loudly when the pledge no longer holds."""
    on = on or timezone.localdate()
    status = merchant.public_status(on)
    if status == PublicStatus.IN_FORCE:
        until = merchant.valid_until(on)
        detail = (
            _("承诺有效期至%(date)s") % {"date": chinese_date(until)}
            if until
            else _("承诺长期有效")
        )
        return StatusBanner(status, "ok", _("放心消费承诺单位 · 承诺有效"), detail)
    if status == PublicStatus.EXPIRED:
        ended = merchant.expired_on(on)
        detail = (
            _("承诺已于%(date)s到期，目前不是有效的承诺商家。") % {"date": chinese_date(ended)}
            if ended
            else _("该商家目前没有有效的承诺。")
        )
        return StatusBanner(status, "alert", _("承诺已过期"), detail)
    if status in (PublicStatus.SUSPENDED, PublicStatus.REMOVED):
        verb = _("暂停") if status == PublicStatus.SUSPENDED else _("摘牌")
        detail = _("%(date)s起%(verb)s。原因：%(reason)s") % {
            "date": chinese_date(merchant.status_changed_on),
            "verb": verb,
            "reason": merchant.status_reason or _("未说明"),
        }
        headline = (
            _("承诺已暂停，请谨慎消费")
            if status == PublicStatus.SUSPENDED
            else _("已摘牌，不再是放心消费承诺单位")
        )
        return StatusBanner(status, "alert", headline, detail)
    return StatusBanner(
        status, "wait", _("承诺尚未生效"), _("该商家的承诺正在审核或尚未开始，暂不能作为承诺商家。")
    )
