"""The four reads of the open-data API: disclosures with facets, merchants, one merchant with its
complaint totals, and one merchant's records. Each is throttled per client (``throttling``).
"""

import math

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Query, Router

from merchants.models import Merchant

from .. import engines
from ..merchant_record import merchant_record
from ..models import Disclosure
from ..params import MAX_PAGE
from ..search_query import MAX_PER_PAGE
from . import schemas
from .throttling import ClientThrottle

READ = ["GET", "HEAD"]  # HEAD is answered as GET without the body
RECORD_RELATIONS = ("category", "problem_type", "result")
MERCHANT_RELATIONS = ("region__parent__parent", "district")
MERCHANT_PREFETCH = ("pledges__pledge_type", "codes")

# The groups of the documentation page (/api/v1/docs), which ninja would call "default".
DISCLOSURES_TAG = gettext_lazy("投诉公示")
MERCHANTS_TAG = gettext_lazy("承诺商家")

router = Router(throttle=ClientThrottle())


def answers(schema, description, reads_query=True, not_found=None):
    """The documented answers of a read: ``schema`` on 200, and the errors every read shares;
    a read of a query string pages (400 beyond the bounds, 404 past the last page)."""
    response = {200: schema, 429: schemas.Throttled}
    described = {
        200: {"description": description},
        429: {
            "description": format_lazy(
                gettext_lazy("超过限流：每个客户端每{}秒{}次"),
                settings.API_RATE_WINDOW,
                settings.API_RATE_LIMIT,
            )
        },
        "default": {
            "description": gettext_lazy(
                "其他错误（如404找不到商家或接口、405请求方法不支持），均为JSON"
            ),
            "content": {"application/json": {"schema": schemas.Error.json_schema()}},
        },
    }
    if reads_query:
        response[400] = schemas.ParameterError
        described[400] = {
            "description": format_lazy(
                gettext_lazy(
                    "参数有误（如日期不是YYYY-MM-DD、ID不是半角数字的正整数、每页超过{}条、"
                    "页码超过{}），未执行查询；invalid_parameters 列出每个参数的原因"
                ),
                MAX_PER_PAGE,
                MAX_PAGE,
            )
        }
        response[404] = schemas.Error
        described[404] = {
            "description": not_found
            or gettext_lazy(
                "页码超过最后一页（error 中写明共几条、最后一页是第几页）；"
                "没有结果时第1页仍返回200和空列表"
            )
        }
    return {"response": response, "openapi_extra": {"responses": described}}


def past_the_end(page, total, per_page):
    """The 404 of a page after the last one (page 1 is never past the end: an empty result is
    page 1 with no items)."""
    last = max(1, math.ceil(total / per_page))
    if page <= last:
        return None
    return Http404(
        _("没有第%(page)d页：共%(total)d条，每页%(per_page)d条，最后一页是第%(last)d页")
        % {"page": page, "total": total, "per_page": per_page, "last": last}
    )


def one_page(items, paging):
    """The page ``paging`` asks of ``items``, as answers list it; 404 past the last page."""
    paginator = Paginator(items, paging.per_page)
    if missing := past_the_end(paging.page, paginator.count, paging.per_page):
        raise missing
    page = paginator.page(paging.page)
    return {
        "total": paginator.count,
        "page": page.number,
        "per_page": paginator.per_page,
        "results": page.object_list,
    }


@router.api_operation(
    READ,
    "disclosures/",
    url_name="disclosures",
    tags=[DISCLOSURES_TAG],
    summary=gettext_lazy("检索公示投诉，附各筛选项的件数"),
    **answers(schemas.DisclosurePage, gettext_lazy("一页公示投诉和筛选项件数")),
)
def disclosures(request, search: Query[schemas.DisclosureSearch]):
    query = search.to_query()
    results = engines.search(query)
    if missing := past_the_end(query.page, results.total, query.per_page):
        raise missing
    records = Disclosure.objects.select_related(*RECORD_RELATIONS).in_order(results.ids)
    return {
        "total": results.total,
        "page": query.page,
        "per_page": query.per_page,
        "results": records,
        "facets": results.facets,
    }


@router.api_operation(
    READ,
    "merchants/",
    url_name="merchants",
    tags=[MERCHANTS_TAG],
    summary=gettext_lazy("查询放心消费承诺商家"),
    **answers(schemas.MerchantPage, gettext_lazy("一页承诺商家")),
)
def merchants(request, search: Query[schemas.MerchantSearch]):
    items = Merchant.objects.public()
    if search.q:
        items = items.matching(search.q)
    if search.region:
        items = items.in_region(search.region)
    items = items.select_related(*MERCHANT_RELATIONS).prefetch_related(*MERCHANT_PREFETCH)
    answer = one_page(items, search)
    return schemas.MerchantPage.model_validate(answer, context={"today": timezone.localdate()})


@router.api_operation(
    READ,
    "merchants/{credit_code}/",
    url_name="merchant",
    tags=[MERCHANTS_TAG],
    summary=gettext_lazy("一家承诺商家的承诺和投诉汇总"),
    **answers(schemas.MerchantDetail, gettext_lazy("商家信息"), reads_query=False),
)
def merchant(request, credit_code: schemas.CreditCodeInPath):
    found = (
        Merchant.objects.public()
        .filter(credit_code=credit_code)
        .select_related(*MERCHANT_RELATIONS)
        .prefetch_related(*MERCHANT_PREFETCH)
        .first()
    )
    if found is None:
        raise Http404(_("没有这家承诺商家"))
    return schemas.MerchantDetail.model_validate(found, context={"today": timezone.localdate()})


@router.api_operation(
    READ,
    "merchants/{credit_code}/disclosures/",
    url_name="merchant_disclosures",
    tags=[DISCLOSURES_TAG],
    summary=gettext_lazy("一家经营者在公示期内的投诉"),
    **answers(
        schemas.MerchantDisclosurePage,
        gettext_lazy("一页公示投诉"),
        not_found=gettext_lazy(
            "统一社会信用代码有误，或页码超过最后一页；没有公示投诉时第1页仍返回200和空列表"
        ),
    ),
)
def merchant_disclosures(
    request, credit_code: schemas.CreditCodeInPath, paging: Query[schemas.Paging]
):
    records = (
        Disclosure.objects.public()
        .filter(credit_code=credit_code)
        .select_related(*RECORD_RELATIONS)
        .order_by("-complained_on", "-pk")
    )
    return {
        "credit_code": credit_code,
        "totals": merchant_record(credit_code, latest=0),
        **one_page(records, paging),
    }
