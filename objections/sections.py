"""The objections section of a disclosed complaint's page (``disclosure_record_sections``):
the decision on the latest decided objection, the correction log, the merchant's approved
replies, and the merchant's way in. Never who filed, nor any evidence."""

from django.template.loader import render_to_string

from .models import MerchantReply, RecordCorrection, RecordObjection


def record_section(disclosure):
    objections = disclosure.objections.all()
    pending = objections.filter(state=RecordObjection.State.PENDING, identity_verified=True)
    rejected = None
    if not pending.exists():
        rejected = (
            objections.filter(state=RecordObjection.State.REJECTED)
            .order_by("-decided_at", "-pk")
            .first()
        )
    context = {
        "disclosure": disclosure,
        "rejected": rejected,
        "corrections": disclosure.corrections.filter(action=RecordCorrection.Action.CORRECTED),
        "replies": disclosure.replies.filter(state=MerchantReply.State.APPROVED).order_by(
            "reviewed_at", "pk"
        ),
    }
    return render_to_string("objections/record_section.html", context)
