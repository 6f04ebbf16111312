"""A respondent's public complaint record (totals and every disclosed complaint), and the page
of one disclosed complaint."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from common import credit_code as credit_codes
from common.dates import chinese_date
from common.query_params import page_number
from merchants.models import Merchant

from ..merchant_record import merchant_record
from ..models import Disclosure
from ..record_sections import render_sections

PAGE_SIZE = 20


def merchant_records(request, credit_code):
    """Totals and every public record of one respondent, found by its credit code."""
    try:
        code = credit_codes.validate(credit_code)
    except credit_codes.CreditCodeError as error:
        raise Http404(str(error)) from error
    record = merchant_record(code, latest=0)
    merchant = _listed_merchant(code)
    records = (
        Disclosure.objects.public()
        .filter(credit_code=code)
        .select_related("category", "problem_type", "result", "region__parent__parent")
        .order_by("-complained_on", "-pk")
    )
    page_obj = Paginator(records, PAGE_SIZE).get_page(page_number(request.GET.get("page")))
    if not record.total and merchant is None:
        raise Http404("no public record for this credit code")
    name = merchant.registered_name if merchant else page_obj.object_list[0].respondent_name
    context = {
        "credit_code": code,
        "name": name,
        "merchant": merchant,
        "merchant_code": merchant.current_code if merchant else None,
        "record": record,
        "page_obj": page_obj,
    }
    return render(request, "disclosures/merchant_records.html", context)


def _listed_merchant(credit_code):
    """The registered pledge merchant of a credit code, if the public may see it listed."""
    if not credit_code:
        return None
    return (
        Merchant.objects.publicly_listed()
        .filter(credit_code=credit_code)
        .prefetch_related("codes")
        .first()
    )


def record_page(request, complaint_number):
    """One public complaint by its number: what the bureau published of it, never the
    complainant (the stored text is scrubbed). Withdrawn, expired, not yet disclosed or still
    being imported: 404, as everywhere else (``Disclosure.objects.public``)."""
    disclosure = get_object_or_404(
        Disclosure.objects.public().select_related(
            "category", "problem_type", "result", "region__parent__parent"
        ),
        complaint_number=complaint_number,
    )
    merchant = _listed_merchant(disclosure.credit_code)
    context = {
        "share_description": _share_description(disclosure),
        "disclosure": disclosure,
        "merchant": merchant,
        "merchant_code": merchant.current_code if merchant else None,
        "record_sections": render_sections(disclosure),
    }
    return render(request, "disclosures/record.html", context)


def _share_description(disclosure):
    """What a link preview says of the record: who, what, how it ended (never the complainant)."""
    return _("%(name)s，%(category)s·%(problem)s，%(date)s公示，处理结果：%(result)s。") % {
        "name": disclosure.respondent_name,
        "category": disclosure.category.name,
        "problem": disclosure.problem_type.name,
        "date": chinese_date(disclosure.disclosed_on),
        "result": disclosure.result.name,
    }
