"""A respondent's public complaint record: totals and every disclosed complaint."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from common import credit_code as credit_codes
from common.query_params import page_number
from merchants.models import Merchant

from ..merchant_record import merchant_record
from ..models import Disclosure

PAGE_SIZE = 20


def merchant_records(request, credit_code):
    """Totals and every public record of one respondent, found by its credit code."""
    try:
        code = credit_codes.validate(credit_code)
    except credit_codes.CreditCodeError as error:
        raise Http404(str(error)) from error
    record = merchant_record(code, latest=0)
    merchant = (
        Merchant.objects.publicly_listed()
        .filter(credit_code=code)
        .prefetch_related("codes")
        .first()
    )
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
