"""The Content-Security-Policy: public pages run only the site's own script files."""

import re

import pytest
from django.urls import reverse

from .disclosure_factories import make_disclosure
from .merchant_factories import make_merchant
from .pages import build_sections, make_alert

pytestmark = pytest.mark.django_db

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"<[^>]+\sstyle\s*=", re.IGNORECASE)


@pytest.fixture
def public_urls():
    alert = make_alert(
        build_sections()["alerts"], "预付式消费警示", "办卡前核实经营者资质，保留合同和票据。"
    )
    merchant = make_merchant(registered_name="长沙市岳麓区麓谷优选超市有限公司")
    make_disclosure(respondent_name="长沙市岳麓区麓谷优选超市有限公司", summary="商家拒绝退货。")
    code = merchant.current_code.code
    return [
        "/",
        alert.url,
        reverse("disclosures:search"),
        reverse("disclosures:stats"),
        reverse("disclosures:merchant", args=[merchant.credit_code]),
        reverse("merchants:directory"),
        reverse("merchants:scan", args=[code]),
        reverse("merchants:poster", args=[code]),
        reverse("search"),
    ]


def directives(response):
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


def test_public_pages_carry_a_policy_without_inline_script_or_other_origins(client, public_urls):
    for url in public_urls:
        response = client.get(url)
        assert response.status_code == 200, url
        policy = directives(response)
        assert policy["default-src"] == ["'self'"], url
        assert policy["script-src"] == ["'self'"], url
        assert policy["style-src"] == ["'self'"], url
        assert policy["img-src"] == ["'self'", "data:"]
        assert policy["object-src"] == ["'none'"]
        assert policy["base-uri"] == ["'self'"]
        assert policy["frame-ancestors"] == ["'self'"]
        assert policy["form-action"] == ["'self'"]
        assert "'unsafe-inline'" not in response["Content-Security-Policy"]


def test_public_pages_have_no_inline_script_handler_or_style_the_policy_would_block(
    client, public_urls
):
    for url in public_urls:
        html = client.get(url).content.decode()
        assert not INLINE_SCRIPT.findall(html), url
        assert not EVENT_HANDLER.findall(html), url
        assert not STYLE_ATTRIBUTE.findall(html), url


def test_the_poster_print_button_works_from_a_script_file(client):
    code = make_merchant().current_code.code
    html = client.get(reverse("merchants:poster", args=[code])).content.decode()
    assert "data-print" in html
    assert re.search(r'<script src="/static/js/poster\.js" defer>', html)
    script = client.get("/static/js/poster.js")
    assert script.status_code == 200
    assert "window.print()" in b"".join(script.streaming_content).decode()


def test_the_admin_is_left_out_of_the_policy_and_still_works(admin_client):
    alert = make_alert(build_sections()["alerts"], "双11网购消费提示", "网购保留聊天记录和订单。")
    merchant = make_merchant(registered_name="株洲市芦淞区服饰城商户", region="430203")
    for url in (
        reverse("wagtailadmin_home"),
        reverse("wagtailadmin_pages:edit", args=[alert.pk]),
        reverse("wagtailsnippets_merchants_merchant:edit", args=[merchant.pk]),
    ):
        response = admin_client.get(url)
        assert response.status_code == 200, url
        assert "Content-Security-Policy" not in response, url
    html = admin_client.get(reverse("wagtailadmin_pages:edit", args=[alert.pk])).content.decode()
    assert "双11网购消费提示" in html


def test_the_admin_login_page_works_without_the_policy(client):
    response = client.get(reverse("wagtailadmin_login"))
    assert response.status_code == 200
    assert "Content-Security-Policy" not in response


def test_the_policy_built_once_is_the_one_django_csp_builds(rf, settings):
    """``portal.csp`` keeps the site's policy per process: the same header django-csp's own
    middleware writes, a view's own policy still honoured, a changed setting seen at once."""
    from csp.decorators import csp_update
    from csp.middleware import CSPMiddleware as DjangoCSPMiddleware
    from django.http import HttpResponse

    from portal.csp import CSPMiddleware

    def plain(request):
        return HttpResponse("放心消费")

    @csp_update({"img-src": ["https://tiles.example.gov.cn"]})
    def with_map(request):
        return HttpResponse("地图")

    for view in (plain, with_map):
        ours = CSPMiddleware(view)(rf.get("/m/C63CY3PW/"))
        theirs = DjangoCSPMiddleware(view)(rf.get("/m/C63CY3PW/"))
        assert ours["Content-Security-Policy"] == theirs["Content-Security-Policy"]
    assert "tiles.example.gov.cn" in CSPMiddleware(with_map)(rf.get("/"))["Content-Security-Policy"]
    assert "Content-Security-Policy" not in CSPMiddleware(plain)(rf.get("/admin/pages/"))

    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'none'"]}}
    assert CSPMiddleware(plain)(rf.get("/"))["Content-Security-Policy"] == "default-src 'none'"
    # A report-only policy beside it: both headers, as django-csp writes them.
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": {"img-src": ["'self'"]}}
    response = CSPMiddleware(plain)(rf.get("/"))
    assert "img-src 'self'" in response["Content-Security-Policy-Report-Only"]
    assert response["Content-Security-Policy"] == "default-src 'none'"
