"""What /api/v1/ reads and answers, with the field documentation open-data users read.

ninja checks every answer against these classes and writes the OpenAPI document from them
(``api.document``). The query strings are read by the site's own readers, not by pydantic's
parsing: the same values and the same Chinese reasons as the search page and the CSV export.
"""

import dataclasses
import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated, Literal

from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from ninja import Field, Path, Schema
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    WithJsonSchema,
    create_model,
    model_validator,
)
from pydantic_core import PydanticCustomError, ValidationError

from common import credit_code as credit_codes
from common.query_params import QueryParams
from merchants.models import MAX_QUERY_LENGTH as MAX_MERCHANT_QUERY_LENGTH
from merchants.presentation import pledge_text

from ..facets import DATE, FACET_NAMES, FILTERS, ID, REGION
from ..merchant_record import merchant_record
from ..params import MAX_PAGE, REGION_CODE, parse_query, read_paging
from ..search_query import (
    DEFAULT_PER_PAGE,
    MAX_PER_PAGE,
    MAX_RESULTS,
    SORT_DATE,
    SORTS,
    DisclosureQuery,
)

# --- query strings ---------------------------------------------------------------------------


def _invalid(reason):
    return PydanticCustomError("invalid_parameter", "{reason}", {"reason": str(reason)})


class QueryString(BaseModel):
    """A query string read by ``read``, with the readers of ``common.query_params``: ASCII digits
    only, ids and pages bounded, dates that exist. Pydantic only checks what they return.

    An unreadable value fails validation with its reason under the parameter's name, which the
    API answers with 400 (``api.refuse_unreadable``).
    """

    model_config = ConfigDict(validate_by_name=True)

    @classmethod
    def read(cls, params):
        """(values by field name, reasons by parameter name) from a dict of strings."""
        raise NotImplementedError

    @model_validator(mode="before")
    @classmethod
    def _read_with_the_site_readers(cls, params):
        values, errors = cls.read(params)
        if errors:
            raise ValidationError.from_exception_data(
                cls.__name__,
                [
                    {"type": _invalid(reason), "loc": (name,), "input": params.get(name)}
                    for name, reason in errors.items()
                ],
            )
        return values


RequestedPage = Annotated[
    int,
    Field(
        ge=1,
        le=MAX_PAGE,
        description=format_lazy(
            _(
                "页码，从1开始，最大{}；只提供前{}条结果（页码×每页条数不超过该数），超出返回400；"
                "超过最后一页返回404（没有结果时第1页返回空列表）"
            ),
            MAX_PAGE,
            MAX_RESULTS,
        ),
    ),
]
RequestedPerPage = Annotated[
    int,
    Field(
        ge=1,
        le=MAX_PER_PAGE,
        description=format_lazy(_("每页条数，最多{}条；超过返回400"), MAX_PER_PAGE),
    ),
]
# What the document says a filter of each kind (facets.Filter.kind) takes, beyond its type; the
# reading itself is ``params.parse_query``'s.
KIND_SCHEMAS = {
    ID: {"type": "integer", "minimum": 1},
    REGION: {"type": "string", "pattern": "^[0-9]{6}$"},
    DATE: {"type": "string", "format": "date"},
}
RegionCode = Annotated[str, WithJsonSchema(KIND_SCHEMAS[REGION])]


def _filter_field(item):
    """(type, field) of one filter: the DisclosureQuery attribute under the URL parameter."""
    annotation = item.type
    if item.kind in KIND_SCHEMAS:
        annotation = Annotated[annotation, WithJsonSchema(KIND_SCHEMAS[item.kind])]
    return annotation, Field(item.default, alias=item.param, description=item.description)


class _DisclosureSearch(QueryString):
    """Read as the search page and the CSV export read theirs; its fields are added below."""

    @classmethod
    def read(cls, params):
        query, errors = parse_query(params, refuse_beyond=True)
        return dataclasses.asdict(query), errors

    def to_query(self):
        return DisclosureQuery(**self.model_dump())


# The query string of /api/v1/disclosures/: each filter of ``facets.FILTERS``, the order and the
# page, named as the DisclosureQuery attributes they set.
DisclosureSearch = create_model(
    "DisclosureSearch",
    __base__=_DisclosureSearch,
    **{item.field: _filter_field(item) for item in FILTERS},
    sort=(
        Literal[SORTS],
        Field(SORT_DATE, description=_("排序：date（投诉日期倒序）或 relevance（相关度）")),
    ),
    page=(RequestedPage, 1),
    per_page=(RequestedPerPage, DEFAULT_PER_PAGE),
)


def _paging(reader):
    """page and per_page from a QueryParams; beyond their bounds refused, the bound stated."""
    page, per_page = read_paging(reader, refuse_beyond=True)
    return {"page": page, "per_page": per_page}


class MerchantSearch(QueryString):
    q: str = Field("", description=_("商家名称、门店名称或统一社会信用代码"))
    region: RegionCode = Field("", description=_("6位行政区划代码"))
    page: RequestedPage = 1
    per_page: RequestedPerPage = DEFAULT_PER_PAGE

    @classmethod
    def read(cls, params):
        reader = QueryParams(params)
        paging = _paging(reader)  # read first: the reasons come in the order v1 gave them
        region = reader.matching("region", REGION_CODE, gettext("应为6位行政区划代码"))
        values = {"q": reader.text("q", MAX_MERCHANT_QUERY_LENGTH), "region": region, **paging}
        return values, reader.errors


class Paging(QueryString):
    page: RequestedPage = 1
    per_page: RequestedPerPage = DEFAULT_PER_PAGE

    @classmethod
    def read(cls, params):
        reader = QueryParams(params)
        return _paging(reader), reader.errors


def _known_credit_code(value):
    try:
        return credit_codes.validate(value)
    except credit_codes.CreditCodeError as error:
        raise _invalid(error) from error


# A code that cannot be one names no merchant: the API answers 404 with the reason.
CreditCodeInPath = Annotated[
    str, AfterValidator(_known_credit_code), Path(description=_("18位统一社会信用代码"))
]


# --- answers ---------------------------------------------------------------------------------


# Money, in every answer alike: yuan as a string with two decimals ("1280.00", "0.00"), so that
# a merchant's total and its records' amounts read the same and add up exactly (no float).
CENT = Decimal("0.01")


def yuan(amount):
    """An amount of money as the API writes it: yuan, two decimals, a string."""
    return str(Decimal(str(amount or 0)).quantize(CENT, rounding=ROUND_HALF_UP))


Yuan = Annotated[str, Field(pattern=r"^[0-9]+\.[0-9]{2}$")]

# The numbers every page of results carries.
Total = Annotated[int, Field(description=_("符合条件的件数"))]
PageNumber = Annotated[int, Field(description=_("页码"))]
PageSize = Annotated[int, Field(description=_("每页条数"))]


def _described(text):
    return ConfigDict(json_schema_extra={"description": text})


def _today(context):
    """The day an answer is about: one for the whole answer, chosen by the view."""
    return context["today"]


class Disclosure(Schema):
    model_config = _described(
        _("一条公示的消费投诉。不含投诉人的任何个人信息：摘要和诉求在入库前已脱敏。")
    )

    complaint_number: str = Field(description=_("投诉编号"))
    respondent_name: str = Field(description=_("被投诉人名称"))
    credit_code: str | None = Field(description=_("被投诉人统一社会信用代码"))
    region_code: str = Field(
        validation_alias="region_id", description=_("被投诉人所在行政区划代码")
    )
    respondent_address: str = Field(description=_("被投诉人地址"))
    category: str = Field(validation_alias="category.name", description=_("商品或服务类别"))
    problem_type: str = Field(validation_alias="problem_type.name", description=_("投诉问题类型"))
    summary: str = Field(description=_("投诉内容摘要（已脱敏）"))
    consumer_request: str = Field(description=_("消费者诉求（已脱敏）"))
    complained_on: datetime.date = Field(description=_("投诉日期"))
    handling_department: str = Field(description=_("处理部门"))
    result: str = Field(validation_alias="result.name", description=_("处理结果"))
    closed_on: datetime.date | None = Field(description=_("办结日期"))
    recovered_amount: Yuan = Field(
        description=_("挽回经济损失（元），两位小数的字符串，如“1280.00”")
    )
    disclosed_on: datetime.date = Field(description=_("公示日期"))
    display_until: datetime.date = Field(description=_("公示截止日期"))
    objection_state: str = Field(
        description=_("经营者异议状态：无、已提出异议、已更正（已撤回的不公示）"),
        json_schema_extra={"enum": ["none", "objected", "corrected"]},
    )

    @staticmethod
    def resolve_credit_code(record):
        return record.credit_code or None

    @staticmethod
    def resolve_recovered_amount(record):
        return yuan(record.recovered_amount)


class FacetCount(Schema):
    value: str = Field(description=_("筛选参数取值"))
    label: str = Field(description=_("名称"))
    count: int = Field(
        description=_(
            "选择该取值后的结果件数：按除本项以外的全部条件计数（区县在所选地区所属地市内计数）"
        )
    )


class DisclosurePage(Schema):
    total: Total
    page: PageNumber
    per_page: PageSize
    results: list[Disclosure] = Field(description=_("本页的公示投诉"))
    facets: dict[str, list[FacetCount]] = Field(
        description=format_lazy(_("{} 各项的件数"), "、".join(FACET_NAMES))
    )


class RecordTotals(Schema):
    model_config = _described(_("公示期内投诉的汇总"))

    total: int = Field(description=_("累计公示投诉件数"))
    last_12_months: int = Field(description=_("近12个月件数"))
    previous_12_months: int = Field(description=_("此前12个月件数"))
    growth_percent: int | None = Field(description=_("近12个月同比增减（%）"))
    mediation_success_percent: int | None = Field(
        description=_("调解成功率（%）：调解成功件数 ÷ 进入调解程序的件数")
    )
    recovered_amount: Yuan = Field(
        description=_(
            "挽回经济损失合计（元），两位小数的字符串：等于这些公示投诉各条 recovered_amount 之和"
        )
    )

    @staticmethod
    def resolve_recovered_amount(record):
        return yuan(record.recovered)


class MerchantDisclosurePage(Schema):
    credit_code: str = Field(description=_("统一社会信用代码"))
    totals: RecordTotals
    total: Total
    page: PageNumber
    per_page: PageSize
    results: list[Disclosure] = Field(description=_("本页的公示投诉，投诉日期新的在前"))


class Pledge(Schema):
    type: str = Field(validation_alias="pledge_type.name", description=_("承诺类型"))
    text: list[str] = Field(description=_("承诺内容，每项一句"))
    return_days: int | None = Field(description=_("退货期限（天）"))
    starts_on: datetime.date = Field(description=_("承诺起始日期"))
    ends_on: datetime.date | None = Field(description=_("承诺截止日期（空为长期）"))
    in_force: bool = Field(description=_("当天是否有效（商家已暂停或摘牌的，其承诺均无效）"))

    @staticmethod
    def resolve_text(pledge, context):
        return pledge_text(pledge, _today(context)).lines

    @staticmethod
    def resolve_in_force(pledge, context):
        return pledge.holds(_today(context))


class Merchant(Schema):
    model_config = _described(_("放心消费承诺商家的公开信息（不含联系人和联系电话）"))

    credit_code: str = Field(description=_("统一社会信用代码"))
    registered_name: str = Field(description=_("经营者名称"))
    shop_name: str = Field(description=_("门店名称"))
    region_code: str = Field(validation_alias="region_id", description=_("行政区划代码"))
    region_name: str = Field(validation_alias="region.full_name", description=_("行政区划全称"))
    address: str = Field(description=_("经营地址"))
    district: str | None = Field(description=_("所属商圈/街区/市场"))
    is_odr: bool = Field(description=_("是否ODR（在线纠纷解决）企业"))
    has_service_station: bool = Field(description=_("是否设有消费维权服务站"))
    status: str = Field(
        description=_("承诺有效、承诺已过期、已暂停、已摘牌"),
        json_schema_extra={"enum": ["in_force", "expired", "suspended", "removed"]},
    )
    status_reason: str | None = Field(description=_("暂停或摘牌原因"))
    status_changed_on: datetime.date | None = Field(description=_("状态变更日期"))
    code: str | None = Field(description=_("一企一码公示码，扫码页为 /m/{code}/"))
    pledges: list[Pledge] = Field(description=_("承诺"))

    @staticmethod
    def resolve_district(merchant):
        return merchant.district.name if merchant.district else None

    @staticmethod
    def resolve_status(merchant, context):
        return merchant.public_status(_today(context))

    @staticmethod
    def resolve_status_reason(merchant):
        return merchant.status_reason or None

    @staticmethod
    def resolve_code(merchant):
        code = merchant.current_code
        return code.code if code else None


class MerchantDetail(Merchant):
    disclosures: RecordTotals

    @staticmethod
    def resolve_disclosures(merchant):
        return merchant_record(merchant.credit_code, latest=0)


class MerchantPage(Schema):
    total: Total
    page: PageNumber
    per_page: PageSize
    results: list[Merchant] = Field(description=_("本页的承诺商家"))


class Error(Schema):
    error: str = Field(description=_("中文说明"))


class ParameterError(Error):
    invalid_parameters: dict[str, str] = Field(description=_("有误的参数及原因"))


class Throttled(Error):
    retry_after: int = Field(description=_("距可以再次请求的秒数"))
