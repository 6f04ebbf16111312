"""A list rule version in plain words, as the list page and the README state it."""

from django.utils.translation import gettext as _


def rule_in_words(rule):
    """The rule version's conditions as sentences a reader understands."""
    scope = {1: _("按省"), 2: _("按地市"), 3: _("按县（市、区）")}.get(rule.scope_level, "")
    category = rule.category.name if rule.category_id else _("全部商品和服务类别")
    sentences = [
        _("统计范围：%(scope)s分别排名，%(category)s。") % {"scope": scope, "category": category},
        _("统计窗口：截至本季度最后一天的%(months)d个月，按投诉日期计算。")
        % {"months": rule.window_months},
    ]
    conditions = []
    if rule.pledge_whole_period:
        conditions.append(_("本季度每一天都有有效的放心消费承诺"))
    if rule.no_suspension:
        conditions.append(_("未被暂停或摘牌"))
    if rule.min_complaints:
        conditions.append(_("公示投诉至少%(n)d件") % {"n": rule.min_complaints})
    if rule.max_complaints is not None:
        conditions.append(_("公示投诉不超过%(n)d件") % {"n": rule.max_complaints})
    if rule.all_mediated_successfully:
        conditions.append(_("公示投诉全部调解成功"))
    if rule.success_rate_below is not None:
        conditions.append(
            _("调解成功率（调解成功件数÷进入调解的件数）低于%(rate)s％")
            % {"rate": _percent(rule.success_rate_below)}
        )
    # “高于” on purpose: in Chinese rules “以上” includes the number itself, and exactly at the
    # threshold does not qualify.
    if rule.growth_above is not None:
        conditions.append(
            _("公示投诉较上一统计窗口的增长率（本窗口件数÷上一窗口件数－1）高于%(rate)s％")
            % {"rate": _percent(rule.growth_above)}
        )
    if rule.settlement_failure_rate_above is not None:
        conditions.append(
            _(
                "扫码投诉转先行和解后经营者拒绝或逾期未答复的比例"
                "（拒绝或未答复件数÷转先行和解件数）高于%(rate)s％"
            )
            % {"rate": _percent(rule.settlement_failure_rate_above)}
        )
    if rule.overdue_rate_above is not None:
        conditions.append(
            _("办结的扫码投诉中有办理时限超期的比例（超期办理件数÷办结件数）高于%(rate)s％")
            % {"rate": _percent(rule.overdue_rate_above)}
        )
    if conditions:
        sentences.append(_("上榜条件：%(conditions)s。") % {"conditions": "；".join(conditions)})
    sentences += _measure_notes(rule)
    sentences.append(
        _("排列：%(order)s，每榜最多%(n)d家；上榜后展示%(months)d个月。")
        % {
            "order": rule.get_order_display(),
            "n": rule.max_entries,
            "months": rule.display_months,
        }
    )
    return sentences


def _percent(value):
    """30.0 → “30”, 12.5 → “12.5”."""
    return f"{value.normalize():f}"


def _measure_notes(rule):
    """How the growth and desk figures are counted, and that a missing one does not qualify."""
    notes = []
    desk = rule.settlement_failure_rate_above is not None or rule.overdue_rate_above is not None
    if desk:
        notes.append(
            _(
                "扫码投诉按提交日期计入统计窗口，按本季度最后一天结束时的办理情况计算："
                "届时仍在答复期内的先行和解不计入，答复期限届满后才答复的视为未答复，"
                "被撤销的办理时限不计入。"
            )
        )
    if desk or rule.growth_above is not None:
        notes.append(
            _(
                "无法计算增长率（上一窗口没有公示投诉）或比例（没有转先行和解或办结的扫码投诉）的，"
                "不符合相应条件。"
            )
        )
    return notes
