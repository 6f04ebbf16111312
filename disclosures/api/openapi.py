"""The OpenAPI 3.1 description of /api/v1/, the field documentation open-data users read."""

from django.conf import settings

from ..search_query import DEFAULT_PER_PAGE, MAX_PER_PAGE


def _param(name, description, schema=None, location="query"):
    return {
        "name": name,
        "in": location,
        "required": location == "path",
        "description": description,
        "schema": schema or {"type": "string"},
    }


PAGING = [
    _param("page", "页码,从1开始", {"type": "integer", "minimum": 1, "default": 1}),
    _param(
        "per_page",
        f"每页条数,最多{MAX_PER_PAGE}",
        {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE, "default": DEFAULT_PER_PAGE},
    ),
]
DISCLOSURE_FILTERS = [
    _param("q", "关键词(按汉字二元切分检索被投诉人名称、投诉内容摘要和消费者诉求)"),
    _param("category", "商品或服务类别ID(见 facets.category)", {"type": "integer"}),
    _param("problem_type", "投诉问题类型ID(见 facets.problem_type)", {"type": "integer"}),
    _param(
        "region", "6位行政区划代码,可为省、地市或区县", {"type": "string", "pattern": "^\\d{6}$"}
    ),
    _param("result", "处理结果ID(见 facets.result)", {"type": "integer"}),
    _param("from", "投诉日期起(含),YYYY-MM-DD", {"type": "string", "format": "date"}),
    _param("to", "投诉日期止(含),YYYY-MM-DD", {"type": "string", "format": "date"}),
    _param("merchant", "承诺商家ID", {"type": "integer"}),
    _param("credit_code", "被投诉人统一社会信用代码"),
    _param("sort", "排序:date(投诉日期倒序)或 relevance(相关度)", {"enum": ["date", "relevance"]}),
]
CREDIT_CODE = _param("credit_code", "18位统一社会信用代码", location="path")

DISCLOSURE = {
    "type": "object",
    "description": "一条公示的消费投诉。不含投诉人的任何个人信息:摘要和诉求在入库前已脱敏。",
    "properties": {
        "complaint_number": {"type": "string", "description": "投诉编号"},
        "respondent_name": {"type": "string", "description": "被投诉人名称"},
        "credit_code": {"type": ["string", "null"], "description": "被投诉人统一社会信用代码"},
        "region_code": {"type": "string", "description": "被投诉人所在行政区划代码"},
        "respondent_address": {"type": "string", "description": "被投诉人地址"},
        "category": {"type": "string", "description": "商品或服务类别"},
        "problem_type": {"type": "string", "description": "投诉问题类型"},
        "summary": {"type": "string", "description": "投诉内容摘要(已脱敏)"},
        "consumer_request": {"type": "string", "description": "消费者诉求(已脱敏)"},
        "complained_on": {"type": "string", "format": "date", "description": "投诉日期"},
        "handling_department": {"type": "string", "description": "处理部门"},
        "result": {"type": "string", "description": "处理结果"},
        "closed_on": {"type": ["string", "null"], "format": "date", "description": "办结日期"},
        "recovered_amount": {"type": "string", "description": "挽回经济损失(元),两位小数"},
        "disclosed_on": {"type": "string", "format": "date", "description": "公示日期"},
        "display_until": {"type": "string", "format": "date", "description": "公示截止日期"},
        "objection_state": {
            "enum": ["none", "objected", "corrected"],
            "description": "经营者异议状态:无、已提出异议、已更正(已撤回的不公示)",
        },
    },
}
FACET = {
    "type": "array",
    "items": {
        "type": "object",
        "properties": {
            "value": {"type": "string", "description": "筛选参数取值"},
            "label": {"type": "string", "description": "名称"},
            "count": {
                "type": "integer",
                "description": (
                    "选择该取值后的结果件数:按除本项以外的全部条件计数(区县在所选地区所属地市内计数)"
                ),
            },
        },
    },
}
TOTALS = {
    "type": "object",
    "description": "公示期内投诉的汇总",
    "properties": {
        "total": {"type": "integer", "description": "累计公示投诉件数"},
        "last_12_months": {"type": "integer", "description": "近12个月件数"},
        "previous_12_months": {"type": "integer", "description": "此前12个月件数"},
        "growth_percent": {"type": ["integer", "null"], "description": "近12个月同比增减(%)"},
        "mediation_success_percent": {
            "type": ["integer", "null"],
            "description": "调解成功率(%):调解成功件数 ÷ 进入调解程序的件数",
        },
        "recovered_amount": {"type": "string", "description": "挽回经济损失合计(元)"},
    },
}
MERCHANT = {
    "type": "object",
    "description": "放心消费承诺商家的公开信息(不含联系人和联系电话)",
    "properties": {
        "credit_code": {"type": "string", "description": "统一社会信用代码"},
        "registered_name": {"type": "string", "description": "经营者名称"},
        "shop_name": {"type": "string", "description": "门店名称"},
        "region_code": {"type": "string", "description": "行政区划代码"},
        "region_name": {"type": "string", "description": "行政区划全称"},
        "address": {"type": "string", "description": "经营地址"},
        "district": {"type": ["string", "null"], "description": "所属商圈/街区/市场"},
        "is_odr": {"type": "boolean", "description": "是否ODR(在线纠纷解决)企业"},
        "has_service_station": {"type": "boolean", "description": "是否设有消费维权服务站"},
        "status": {
            "enum": ["in_force", "expired", "suspended", "removed"],
            "description": "承诺有效、承诺已过期、已暂停、已摘牌",
        },
        "status_reason": {"type": ["string", "null"], "description": "暂停或摘牌原因"},
        "status_changed_on": {"type": ["string", "null"], "format": "date"},
        "code": {"type": ["string", "null"], "description": "一企一码公示码,扫码页为 /m/{code}/"},
        "pledges": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "type": {"type": "string", "description": "承诺类型"},
                    "text": {"type": "array", "items": {"type": "string"}},
                    "return_days": {"type": ["integer", "null"], "description": "退货期限(天)"},
                    "starts_on": {"type": "string", "format": "date"},
                    "ends_on": {"type": ["string", "null"], "format": "date"},
                    "in_force": {"type": "boolean"},
                },
            },
        },
    },
}


def _page_of(item_schema, extra=None):
    properties = {
        "total": {"type": "integer"},
        "page": {"type": "integer"},
        "per_page": {"type": "integer"},
        "results": {"type": "array", "items": item_schema},
    }
    properties.update(extra or {})
    return {"type": "object", "properties": properties}


BAD_REQUEST = {
    "description": "参数格式有误(如日期不是YYYY-MM-DD、ID不是半角数字的正整数),未执行查询",
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "properties": {
                    "error": {"type": "string"},
                    "invalid_parameters": {
                        "type": "object",
                        "additionalProperties": {"type": "string"},
                        "description": "有误的参数及原因",
                    },
                },
            }
        }
    },
}

# Every other error (404 unknown merchant or address, 405, 500) has the same JSON shape.
OTHER_ERRORS = {
    "description": "其他错误(如404找不到商家或接口、405请求方法不支持),均为JSON",
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "properties": {"error": {"type": "string", "description": "中文说明"}},
            }
        }
    },
}


def _ok(schema, description, has_query_parameters=True):
    responses = {
        "200": {"description": description, "content": {"application/json": {"schema": schema}}},
        "429": {
            "description": (
                f"超过限流:每个客户端每{settings.API_RATE_WINDOW}秒{settings.API_RATE_LIMIT}次"
            )
        },
    }
    if has_query_parameters:
        responses["400"] = BAD_REQUEST
    responses["default"] = OTHER_ERRORS
    return responses


def openapi_document(server_url):
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "放心消费公示平台开放数据接口",
            "version": "1.0",
            "description": (
                "公示期内的消费投诉信息和放心消费承诺商家。匿名访问,按客户端限流;"
                "所有文本均不含投诉人的个人信息。"
            ),
        },
        "servers": [{"url": server_url}],
        "paths": {
            "/disclosures/": {
                "get": {
                    "summary": "检索公示投诉,附各筛选项的件数",
                    "parameters": DISCLOSURE_FILTERS + PAGING,
                    "responses": _ok(
                        _page_of(
                            DISCLOSURE,
                            {
                                "facets": {
                                    "type": "object",
                                    "additionalProperties": FACET,
                                    "description": "category、problem_type、city、county、"
                                    "result、year 各项的件数",
                                },
                            },
                        ),
                        "一页公示投诉和筛选项件数",
                    ),
                }
            },
            "/merchants/": {
                "get": {
                    "summary": "查询放心消费承诺商家",
                    "parameters": [
                        _param("q", "商家名称、门店名称或统一社会信用代码"),
                        _param("region", "6位行政区划代码"),
                    ]
                    + PAGING,
                    "responses": _ok(_page_of(MERCHANT), "一页承诺商家"),
                }
            },
            "/merchants/{credit_code}/": {
                "get": {
                    "summary": "一家承诺商家的承诺和投诉汇总",
                    "parameters": [CREDIT_CODE],
                    "responses": _ok(
                        {"allOf": [MERCHANT, {"properties": {"disclosures": TOTALS}}]},
                        "商家信息",
                        has_query_parameters=False,
                    ),
                }
            },
            "/merchants/{credit_code}/disclosures/": {
                "get": {
                    "summary": "一家经营者在公示期内的投诉",
                    "parameters": [CREDIT_CODE] + PAGING,
                    "responses": _ok(
                        _page_of(DISCLOSURE, {"credit_code": {"type": "string"}, "totals": TOTALS}),
                        "一页公示投诉",
                    ),
                }
            },
        },
    }
