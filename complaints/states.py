"""A complaint's states and the transitions between them: the one table the desk, the
workflow and the tests read.

受理 → 分流 → 处置 → 反馈 → 回访 (DOMAIN.md): 待受理 → 已受理 / 不予受理 → 先行和解 → 调解中 → 办结
→ 已回访, with 退回 (a unit returns it as not its own; the unit above reassigns it) and 合并
(a duplicate joins the complaint it repeats). A transition not in ``TRANSITIONS`` cannot happen.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    RECEIVED = "received", _("待受理")
    ACCEPTED = "accepted", _("已受理")
    REFUSED = "refused", _("不予受理")
    RETURNED = "returned", _("已退回待转办")
    SETTLEMENT = "settlement", _("先行和解")
    MEDIATING = "mediating", _("调解中")
    CLOSED = "closed", _("已办结")
    VISITED = "visited", _("已回访")
    MERGED = "merged", _("已合并")


class Result(models.TextChoices):
    """办结结果. 和解成功 is the merchant's first settlement accepted by the consumer."""

    SETTLED = "settled", _("先行和解成功")
    MEDIATION_SUCCESS = "mediation_success", _("调解成功")
    MEDIATION_FAILED = "mediation_failed", _("调解不成功")
    MEDIATION_TERMINATED = "mediation_terminated", _("终止调解")


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    FAIRLY_SATISFIED = "fairly_satisfied", _("基本满意")
    DISSATISFIED = "dissatisfied", _("不满意")


class Kind(models.TextChoices):
    COMPLAINT = "complaint", _("投诉")
    REPORT = "report", _("举报")


class FastResponseReason(models.TextChoices):
    """The situations of the Changzhi fast-response practice (seed 004) that call for 45/90
    minutes even when the merchant holds no fast-response pledge."""

    PLEDGE = "pledge", _("商家作出快速响应双承诺")
    AT_COUNTER = "at_counter", _("现场纠纷")
    EVIDENCE = "evidence", _("需及时固定证据")
    OUT_OF_TOWN = "out_of_town", _("外地消费者")
    RISK = "risk", _("可能危及人身、财产安全")
    GROUP = "group", _("群体性投诉")


class Action(models.TextChoices):
    ACKNOWLEDGE = "acknowledge", _("签收")
    ACCEPT = "accept", _("受理")
    REFUSE = "refuse", _("不予受理")
    RETURN = "return", _("退回（非本单位管辖）")
    REASSIGN = "reassign", _("转办")
    MERGE = "merge", _("合并（重复投诉）")
    START_SETTLEMENT = "start_settlement", _("转商家先行和解")
    MERCHANT_ANSWER = "merchant_answer", _("商家答复")
    SETTLE = "settle", _("和解成功办结")
    START_MEDIATION = "start_mediation", _("开始调解")
    CLOSE = "close", _("办结")
    VISIT = "visit", _("回访")
    REOPEN = "reopen", _("重新调解")
    MARK_FAST = "mark_fast", _("标记为快速响应")
    RESPOND = "respond", _("快速响应")
    ARRIVE = "arrive", _("到达现场")
    SPLIT = "split", _("拆分举报事项")
    REMOVE_PERSONAL_DATA = "remove_personal_data", _("删除个人信息")
    SUBMIT = "submit", _("提交投诉")


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset
    target: str | None  # None: the state does not change
    needs_reason: bool = False


_OPEN = frozenset(
    {State.RECEIVED, State.ACCEPTED, State.RETURNED, State.SETTLEMENT, State.MEDIATING}
)
_HANDLED = frozenset({State.RECEIVED, State.ACCEPTED, State.SETTLEMENT, State.MEDIATING})

TRANSITIONS = {
    t.action: t
    for t in [
        Transition(Action.ACKNOWLEDGE, frozenset({State.RECEIVED}), None),
        Transition(Action.ACCEPT, frozenset({State.RECEIVED}), State.ACCEPTED),
        Transition(Action.REFUSE, frozenset({State.RECEIVED}), State.REFUSED, needs_reason=True),
        Transition(
            Action.RETURN,
            frozenset({State.RECEIVED, State.ACCEPTED}),
            State.RETURNED,
            needs_reason=True,
        ),
        Transition(Action.REASSIGN, frozenset({State.RETURNED}), State.RECEIVED),
        Transition(Action.MERGE, _HANDLED, State.MERGED),
        Transition(Action.START_SETTLEMENT, frozenset({State.ACCEPTED}), State.SETTLEMENT),
        Transition(Action.MERCHANT_ANSWER, frozenset({State.SETTLEMENT}), None),
        Transition(Action.SETTLE, frozenset({State.SETTLEMENT}), State.CLOSED),
        Transition(
            Action.START_MEDIATION, frozenset({State.ACCEPTED, State.SETTLEMENT}), State.MEDIATING
        ),
        Transition(Action.CLOSE, frozenset({State.MEDIATING}), State.CLOSED),
        Transition(Action.VISIT, frozenset({State.CLOSED}), State.VISITED),
        # Only after a 不满意 回访, and only once (``workflow``).
        Transition(Action.REOPEN, frozenset({State.VISITED}), State.MEDIATING),
        Transition(Action.MARK_FAST, _HANDLED, None),
        Transition(Action.RESPOND, _HANDLED, None),
        Transition(Action.ARRIVE, _HANDLED, None),
        Transition(Action.SPLIT, _OPEN, None),
    ]
}

OPEN_STATES = _OPEN
# Nothing more happens to these but a 回访 of a closed one (``State.CLOSED`` waits for it).
ENDED_STATES = frozenset({State.REFUSED, State.VISITED, State.MERGED})
CLOSING_RESULTS = {
    Action.SETTLE: frozenset({Result.SETTLED}),
    Action.CLOSE: frozenset(
        {Result.MEDIATION_SUCCESS, Result.MEDIATION_FAILED, Result.MEDIATION_TERMINATED}
    ),
}


def allowed_actions(state):
    """The actions staff may take on a complaint in ``state`` (the desk's buttons)."""
    return [action for action, t in TRANSITIONS.items() if state in t.sources]
