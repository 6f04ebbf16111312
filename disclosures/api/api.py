"""The open-data API /api/v1/ on django-ninja: one NinjaAPI, the shape of every answer, the
OpenAPI document it generates and the documentation page that explains it (docs_page.py).

Every answer is JSON, errors included: ``{"error": "<中文说明>", ...}`` with 400 for unreadable
query parameters (and ``invalid_parameters``, the reason by name), 404 for an unknown merchant or
address, 405 for a method the address does not declare (``answering_only``: GET and HEAD for
every read), 429 when throttled and 500 should a bug slip through (logged with its trace).

Later apps add their own operations through ``api_routers`` on their AppConfig
(``mount_app_routers``): this app imports none of them, and only their operations may declare
a method that writes.
"""

import logging
from collections import defaultdict
from functools import cached_property, wraps

from django.apps import apps
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI
from ninja.errors import Throttled, ValidationError
from ninja.openapi.schema import OpenAPISchema
from ninja.renderers import JSONRenderer

from . import docs_page
from .endpoints import READ, router
from .throttling import allowance

logger = logging.getLogger(__name__)


class ChineseJSONRenderer(JSONRenderer):
    # Chinese as it is, not as \uXXXX escapes.
    json_dumps_params = {"ensure_ascii": False}


class OpenAPIWithoutHead(OpenAPISchema):
    """ninja's document without the HEAD operations: HEAD is GET without the body, and listing
    both would give one operationId to two operations."""

    def methods(self, operations):
        listed = super().methods(operations)
        return {method: operation for method, operation in listed.items() if method != "head"}


def without_references(node, schemas):
    """``node`` with each ``$ref`` to a component schema replaced by the schema itself."""
    if isinstance(node, dict):
        if "$ref" in node:
            named = schemas[node["$ref"].rsplit("/", 1)[-1]]
            siblings = {key: value for key, value in node.items() if key != "$ref"}
            return without_references({**named, **siblings}, schemas)
        return {key: without_references(value, schemas) for key, value in node.items()}
    if isinstance(node, list):
        return [without_references(item, schemas) for item in node]
    return node


class OpenDataAPI(NinjaAPI):
    def get_content_type(self):
        # As Django's JsonResponse says it: JSON is UTF-8 by definition (RFC 8259).
        return self.renderer.media_type

    def create_response(self, request, data, *, status=None, temporal_response=None):
        response = super().create_response(
            request, data, status=status, temporal_response=temporal_response
        )
        response["Access-Control-Allow-Origin"] = "*"  # open data: any site may read it
        if counted := allowance(request):
            response["X-RateLimit-Limit"] = str(counted.limit)
            response["X-RateLimit-Remaining"] = str(counted.remaining)
        return response

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        # Paths relative to the server (/disclosures/), which ``document`` names per request.
        return OpenAPIWithoutHead(self, path_prefix="")

    @cached_property
    def _document(self):
        # Self-contained, as v1's document has always been: a script finds a response's fields
        # where it finds the response, without resolving references.
        generated = dict(self.get_openapi_schema())
        components = generated.pop("components")
        document = without_references(generated, components.pop("schemas"))
        if any(components.values()):
            document["components"] = components
        return document

    def document(self, request):
        server = request.build_absolute_uri(reverse(f"{self.urls_namespace}:openapi"))
        return {**self._document, "servers": [{"url": server}]}


api = OpenDataAPI(
    title=gettext_lazy("放心消费公示平台开放数据接口"),
    version="1.0",
    description=gettext_lazy(
        "公示期内的消费投诉信息和放心消费承诺商家。匿名访问，按客户端限流；"
        "所有文本均不含投诉人的个人信息。"
    ),
    urls_namespace="api",
    renderer=ChineseJSONRenderer(),
    # Served by the operations below, which answer like every other address of the API.
    openapi_url=None,
    docs_url=None,
)
api.add_router("", router)


def error(request, message, status, **details):
    return api.create_response(request, {"error": message, **details}, status=status)


# --- the document and the page that shows it (not throttled) ---------------------------------


@api.api_operation(READ, "", url_name="openapi", include_in_schema=False)
@api.api_operation(READ, "openapi.json", url_name="openapi_json", include_in_schema=False)
def openapi(request):
    """The document, at /api/v1/ itself too, where v1 has always served it."""
    return api.document(request)


@api.api_operation(READ, "docs", url_name="docs", include_in_schema=False)
def docs(request):
    # A page of the site in Chinese, read from the document (docs_page.py).
    return docs_page.render_page(request, api)


# --- errors ------------------------------------------------------------------------------------


def refuse_unreadable(request, exception):
    """400 for query parameters that cannot be read, with each reason by name; 404, with the
    reason, for a path that cannot name anything (a malformed credit code)."""
    for problem in exception.errors:
        if problem["loc"][0] == "path":
            return error(request, problem["msg"], 404)
    reasons = {str(problem["loc"][-1]): problem["msg"] for problem in exception.errors}
    # A filter silently dropped would hand a script the unfiltered data with a 200: refuse.
    return error(request, _("请求参数有误"), 400, invalid_parameters=reasons)


def not_found(request, exception):
    return error(request, str(exception) or _("没有找到请求的数据"), 404)


def throttled(request, exception):
    retry_after = allowance(request).retry_after
    response = error(request, _("请求过于频繁，请稍后再试"), 429, retry_after=retry_after)
    response["Retry-After"] = str(retry_after)
    return response


def server_error(request, exception):
    # A script must get JSON even from a bug; the log keeps the trace.
    logger.exception("开放数据接口出错：%s", request.get_full_path())
    return error(request, _("服务器内部错误，请稍后再试"), 500)


api.add_exception_handler(ValidationError, refuse_unreadable)
api.add_exception_handler(Http404, not_found)
api.add_exception_handler(Throttled, throttled)
api.add_exception_handler(Exception, server_error)


# --- around ninja's views ----------------------------------------------------------------------


def answering_only(view, methods):
    """The methods an address declares: anything else is refused in JSON before ninja (whose
    405 is text)."""
    allowed = list(methods)
    if set(allowed) <= set(READ):
        message = _("开放数据接口只支持GET请求")
    else:
        named = "、".join(method for method in allowed if method != "HEAD")
        message = _("该接口只支持%(methods)s请求") % {"methods": named}

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in allowed:
            response = error(request, message, 405)
            response["Allow"] = ", ".join(allowed)
            return response
        return view(request, *args, **kwargs)

    return wrapper


def reading_only(view):
    """GET and HEAD only."""
    return answering_only(view, READ)


def mount_app_routers():
    """Mount the routers later apps declare, once, before the addresses are built: an app's
    AppConfig names them as ``api_routers = {"<prefix>": "<dotted path of a ninja Router>"}``."""
    if getattr(api, "_app_routers_mounted", False):
        return
    api._app_routers_mounted = True
    for config in apps.get_app_configs():
        for prefix, router_path in getattr(config, "api_routers", {}).items():
            api.add_router(prefix, router_path)


def declared_methods():
    """{route: the methods its operations declare}, for ``answering_only``, once ninja's
    addresses are built. ninja yields one address per operation, in the order of its routers'
    operations, which is how the two are paired here."""
    declared = defaultdict(list)
    for bound in api._get_bound_routers():
        operations = [op for view in bound.path_operations.values() for op in view.operations]
        for pattern, operation in zip(bound.urls_paths(bound.prefix), operations, strict=True):
            declared[str(pattern.pattern)] += operation.methods
    return declared


@csrf_exempt  # as ninja's views are: a POST is refused with 405, not a CSRF page
def unknown_address(request, path=""):
    """Any other address under /api/v1/: a 404 a script can read, not the site's HTML page."""
    return error(request, _("没有这个接口，请查阅 /api/v1/openapi.json"), 404)
