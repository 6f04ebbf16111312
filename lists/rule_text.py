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
            % {"rate": f"{rule.success_rate_below.normalize():f}"}
        )
    if conditions:
        sentences.append(_("上榜条件：%(conditions)s。") % {"conditions": "；".join(conditions)})
    sentences.append(
        _("排列：%(order)s，每榜最多%(n)d家；上榜后展示%(months)d个月。")
        % {
            "order": rule.get_order_display(),
            "n": rule.max_entries,
            "months": rule.display_months,
        }
    )
    return sentences
