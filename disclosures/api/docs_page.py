"""/api/v1/docs: the open-data API explained on a page of the site, in Chinese.

Read from the OpenAPI document ninja generates (``api.document``), so the page never says
something the API does not do: every operation with its parameters, the fields of its answer and
its error answers. A page of the site (its header, footer and styles), readable on a phone and
with a screen reader, with no script; tools take the same document from /api/v1/openapi.json.
"""

import re

from django.conf import settings
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.credit_code import with_check_character

TYPE_NAMES = {
    "string": gettext_lazy("文本"),
    "integer": gettext_lazy("整数"),
    "number": gettext_lazy("数值"),
    "boolean": gettext_lazy("是或否"),
    "array": gettext_lazy("列表"),
    "object": gettext_lazy("对象"),
}
FORMAT_NAMES = {"date": gettext_lazy("日期（YYYY-MM-DD）"), "date-time": gettext_lazy("时间")}
# A well-formed code for the examples (its check character right), naming no real company.
EXAMPLE_CREDIT_CODE = with_check_character("91430100MA4L00001")
PLACES = {"query": gettext_lazy("查询参数"), "path": gettext_lazy("路径参数")}


def type_label(schema):
    """文本, 整数, 日期（YYYY-MM-DD）…; "或空" when the value may be null."""
    variants = schema.get("anyOf") or schema.get("oneOf") or [schema]
    nullable = any(variant.get("type") == "null" for variant in variants)
    names = []
    for variant in variants:
        kind = variant.get("type")
        if kind == "null" or kind is None:
            continue
        name = FORMAT_NAMES.get(variant.get("format")) or TYPE_NAMES.get(kind, kind)
        if variant.get("enum"):
            name = _("%(type)s：%(values)s") % {"type": name, "values": "、".join(variant["enum"])}
        names.append(str(name))
    label = _("或").join(names) or str(TYPE_NAMES["object"])
    return _("%(type)s，可为空") % {"type": label} if nullable else label


def fields(schema, prefix=""):
    """(name, type, description) of every field of an answer, nested ones as results[].name."""
    rows = []
    for name, field in schema.get("properties", {}).items():
        path = f"{prefix}{name}"
        rows.append((path, type_label(field), field.get("description", "")))
        items = field.get("items", {})
        if items.get("properties"):
            rows += fields(items, f"{path}[].")
        elif field.get("properties"):
            rows += fields(field, f"{path}.")
        elif isinstance(field.get("additionalProperties"), dict):
            inner = field["additionalProperties"]
            rows += fields(inner.get("items", inner), f"{path}.<{_('名称')}>[].")
    return rows


def _answer_schema(answer):
    return answer.get("content", {}).get("application/json", {}).get("schema", {})


def operations(document, base):
    """The document's operations grouped by tag: [(tag, [operation, …])], in document order."""
    groups = {}
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            # Status codes are numbers in the document as generated, strings once read as JSON.
            answers = {str(status): answer for status, answer in operation["responses"].items()}
            # The first 2xx: 200 for a read, 201 for an operation that creates something.
            success_status = next((status for status in answers if status.startswith("2")), "200")
            success = answers.get(success_status, {})
            # A link to follow only where a browser's GET can show something.
            example = ""
            if method == "get" and "{" not in path.replace("{credit_code}", ""):
                example = base + path.replace("{credit_code}", EXAMPLE_CREDIT_CODE)
            body = operation.get("requestBody", {})
            entry = {
                "method": method.upper(),
                "path": base + path,
                "example": example,
                "summary": operation.get("summary", ""),
                "description": operation.get("description", ""),
                "parameters": [
                    {
                        "name": parameter["name"],
                        "place": PLACES.get(parameter["in"], parameter["in"]),
                        "type": type_label(parameter.get("schema", {})),
                        "required": parameter.get("required", False),
                        "description": parameter.get("description", ""),
                    }
                    for parameter in operation.get("parameters", [])
                ],
                "success": success.get("description", ""),
                "body_fields": [
                    {"parts": re.split(r"(?<=\.)", name), "type": kind, "description": text}
                    for name, kind, text in fields(_answer_schema(body))
                ],
                "fields": [
                    # The name in pieces ending at each dot: a phone's narrow column breaks
                    # results[].complaint_number there, not letter by letter.
                    {"parts": re.split(r"(?<=\.)", name), "type": kind, "description": text}
                    for name, kind, text in fields(_answer_schema(success))
                ],
                "errors": [
                    {"status": status, "description": answer.get("description", "")}
                    for status, answer in answers.items()
                    if status != success_status
                ],
            }
            # An anchor for the table of contents: op-merchants-credit_code-disclosures.
            entry["id"] = "op-" + path.strip("/").replace("/", "-").translate(
                {123: None, 125: None}
            )
            for tag in operation.get("tags") or [_("其他")]:
                groups.setdefault(tag, []).append(entry)
    return list(groups.items())


def render_page(request, api):
    document = api.document(request)
    # The public address, as in the QR codes and feeds, not whatever host the request named.
    base = settings.PORTAL_BASE_URL.rstrip("/") + reverse(f"{api.urls_namespace}:openapi")
    base = base.rstrip("/")
    context = {
        "info": document["info"],
        "base": base + "/",
        "groups": operations(document, base),
        "document_url": reverse(f"{api.urls_namespace}:openapi_json"),
        "rate_limit": settings.API_RATE_LIMIT,
        "rate_window": settings.API_RATE_WINDOW,
        "title": _("开放数据接口说明"),
    }
    return render(request, "disclosures/api_docs.html", context)
