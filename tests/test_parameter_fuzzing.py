"""No query-string parameter of any public page gives a server error, whatever it holds.

The parameters are found, not listed by hand: the API's from its own OpenAPI document, the
pages' from the forms and links they render (every <form method=get> field, every link's query
keys, gathered by the path they lead to), plus the few a page reads that no link shows (the
disclosure search's ``merchant``, the sitemap's ``p``). A parameter added tomorrow to a form,
a filter row or the OpenAPI document is fuzzed without touching this file.

Each is sent hostile values: numbers beyond any database column (20 digits, 2**63), digits that
``str.isdigit`` and ``int`` accept but a database does not ('²', '١٢', '１２'), NUL (PostgreSQL
refuses it in text), 10,000 characters, markup, dates that do not exist, the parameter twice,
a lone surrogate and broken UTF-8 percent-encoded. No answer may be a 5xx; an API answer is
JSON, with an ``error`` in Chinese when it refuses; markup is never echoed unescaped.
"""

import datetime
import re
from html.parser import HTMLParser
from urllib.parse import parse_qsl, quote, urljoin, urlsplit

import pytest
from django.test import Client
from django.utils import timezone

from common.query_params import InvalidParameter, parse_date, parse_integer
from disclosures.engines.es_queries import build_search
from disclosures.models import Disclosure
from disclosures.params import parse_query
from editorial.models import Audience, NewsPage, ReportPage, SeasonEvent

from .disclosure_factories import days_ago, make_disclosure
from .merchant_factories import credit_code, make_district, make_merchant
from .pages import build_sections, make_alert, make_case, paragraph, publish

pytestmark = pytest.mark.django_db

HUGE = "9" * 20
MARKUP = "<script>alert('fx')</script>"
ATTRIBUTE_BREAK = '"><img src=x onerror=alert(1)>'
# (what the reader sees in a report, the value as it goes into the query string)
HOSTILE = [
    ("20 digits", HUGE),
    ("2**63", str(2**63)),
    ("-2**63-1", str(-(2**63) - 1)),
    ("2**31", str(2**31)),
    ("superscript two", "²"),
    ("Arabic-Indic digits", "١٢"),
    ("full-width digits", "１２"),
    ("hexadecimal", "0x10"),
    ("exponent", "1e9"),
    ("minus one", "-1"),
    ("zero", "0"),
    ("empty", ""),
    ("space", " "),
    ("NUL", "\x00"),
    ("NUL inside", "43\x000104"),
    ("10,000 digits", "1" * 10_000),
    ("10,000 characters", "退货" * 5_000),
    ("SQL", "1' OR '1'='1' --"),
    ("markup", MARKUP),
    ("attribute break", ATTRIBUTE_BREAK),
    ("30 February", "2026-02-30"),
    ("year 99999", "99999-01-01"),
]
# Sent as they are: percent-encodings no Python string round-trips.
RAW_HOSTILE = [
    ("lone surrogate", "%ED%A0%80"),
    ("broken UTF-8", "%FF%FE"),
]
# Also sent to all of a page's parameters at once (the others one parameter at a time).
TOGETHER = {"20 digits", "superscript two", "NUL", "10,000 characters", "lone surrogate"}
# Read by a view though no link or form on the page shows them (the filters and the text-size
# switch are found on the pages themselves).
UNLINKED_PARAMETERS = {
    "/disclosures/": {"merchant", "credit_code", "per_page"},
    "/sitemap.xml": {"p"},
}
# Sent to every page too, found or not: any listing may be paginated (with too few records to
# show its page links here), and a page that reads no page number must ignore it.
PROBES = {"page"}
NOT_PUBLIC = ("/admin/", "/static/", "/documents/", "/media/")
CHINESE = re.compile(r"[\u4e00-\u9fff]")


# --- the site a citizen finds: every kind of public page with something on it ---------------


@pytest.fixture
def site(settings):
    # Enough requests for the fuzzing: the limits are tested elsewhere.
    settings.API_RATE_LIMIT = 10**9
    settings.DISCLOSURE_EXPORT_RATE_LIMIT = 10**9
    sections = build_sections()
    event = SeasonEvent.objects.create(name="双11")
    alert = make_alert(
        sections["alerts"],
        "双11网购消费提示",
        "部分商品不适用七日无理由退货,下单前请看清退货说明。",
        alert_kind="warning",
        season_event=event,
    )
    alert.audiences.add(Audience.objects.create(name="网购消费者"))
    make_case(sections["cases"], "某健身房收取会员费后关门案", "经营者收取预付款后跑路。")
    publish(
        sections["news"],
        NewsPage(
            title="全省放心消费行动推进会召开",
            intro="推进会部署下一阶段工作。",
            date=datetime.date(2026, 4, 2),
            body=paragraph("<p>会议要求扩大线下无理由退货承诺覆盖面。</p>"),
        ),
    )
    publish(
        sections["reports"],
        ReportPage(
            title="2025年湖南省消费者权益保护状况报告",
            intro="报告全面反映全年消费维权状况。",
            date=datetime.date(2026, 3, 14),
            year=2025,
        ),
    )
    fitness_code = credit_code("430102", serial=88001)
    for days, summary in ((30, "健身房办卡后拒绝退款。"), (400, "健身房收取预付卡费用后关门。")):
        make_disclosure(
            summary=summary,
            category="健身服务",
            region="430102",
            credit_code=fitness_code,
            respondent_name="长沙市芙蓉区悦享健身俱乐部",
            complained_on=days_ago(days),
        )
    make_disclosure()
    # Registered after its records, which links them to it (disclosures.signals).
    fitness = make_merchant(
        registered_name="长沙市芙蓉区悦享健身俱乐部",
        shop_name="悦享健身(五一店)",
        region="430102",
        credit_code=fitness_code,
        district=make_district(),
    )
    make_merchant()
    return {"alert": alert, "merchant": fitness}


def seed_pages(site):
    """Where a reader starts: every public page type, with a query that finds something."""
    merchant = site["merchant"]
    code = merchant.current_code.code
    return [
        "/",
        "/disclosures/?q=健身",
        "/disclosures/stats/",
        f"/disclosures/merchants/{merchant.credit_code}/",
        "/merchants/",
        f"/merchants/districts/{merchant.district_id}/",
        f"/m/{code}/",
        f"/m/{code}/poster/",
        f"/m/{code}/qr.png",
        "/alerts/",
        site["alert"].url,
        "/cases/",
        "/news/",
        "/reports/",
        "/search/?q=退货",
        "/feeds/alerts.xml",
        "/feeds/cases.xml",
        "/sitemap.xml",
        "/robots.txt",
    ]


# --- finding the parameters ------------------------------------------------------------------


class _ParameterFinder(HTMLParser):
    """{path: parameter names} from a page's GET forms and links."""

    def __init__(self, page_url):
        super().__init__()
        self.page_url = page_url
        self.found = {}
        self._form_path = None

    def _add(self, url, names):
        parts = urlsplit(urljoin(self.page_url, url))
        if parts.netloc and parts.netloc != "testserver":
            return
        self.found.setdefault(parts.path, set()).update(names)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            get = (attrs.get("method") or "get").lower() == "get"
            self._form_path = (attrs.get("action") or self.page_url) if get else None
            if get:
                self._add(self._form_path, ())
        elif tag in ("input", "select", "textarea") and self._form_path and attrs.get("name"):
            if attrs.get("type") not in ("submit", "button"):
                self._add(self._form_path, {attrs["name"]})
        elif tag == "a" and "?" in (attrs.get("href") or ""):
            href = attrs["href"]
            self._add(href, {name for name, _ in parse_qsl(urlsplit(href).query, True)})

    def handle_endtag(self, tag):
        if tag == "form":
            self._form_path = None


def page_parameters(client, site):
    """{path: parameter names} of every public page, from what the pages render."""
    found = {path: set(names) for path, names in UNLINKED_PARAMETERS.items()}
    for url in seed_pages(site):
        response = client.get(url)
        assert response.status_code == 200, url
        path = urlsplit(url).path
        found.setdefault(path, set())
        if response["Content-Type"].startswith("text/html"):
            finder = _ParameterFinder(url)
            finder.feed(response.content.decode())
            for target, names in finder.found.items():
                found.setdefault(target, set()).update(names)
    # The export reads the search page's parameters (its link carries the current search's).
    found["/disclosures/export.csv"] |= found["/disclosures/"]
    return {
        path: names | PROBES
        for path, names in found.items()
        if path.startswith("/") and not path.startswith(NOT_PUBLIC + ("/api/",))
    }


def api_parameters(client, site):
    """{path: parameter names} of every API endpoint, from its OpenAPI document."""
    document = client.get("/api/v1/openapi.json").json()
    base = urlsplit(document["servers"][0]["url"]).path.rstrip("/")
    found = {"/api/v1/openapi.json": set(PROBES), "/api/v1/": set(PROBES)}
    for template, operations in document["paths"].items():
        if "get" not in operations:  # the complaint intake's POST: tests/test_complaints_api.py
            continue
        path = base + template.replace("{credit_code}", site["merchant"].credit_code)
        # No complaint has this number: the hostile values must still get a JSON 4xx.
        path = path.replace("{tracking_number}", "FX2026112600000000")
        names = found.setdefault(path, set(PROBES))
        for parameter in operations["get"].get("parameters", []):
            if parameter["in"] == "query":
                names.add(parameter["name"])
    return found


# --- sending and judging ---------------------------------------------------------------------


def queries(names):
    """(label, query string) for every hostile value of every parameter, alone and together."""
    values = [(label, quote(value, safe="")) for label, value in HOSTILE] + RAW_HOSTILE
    for name in sorted(names):
        key = quote(name, safe="")
        for label, encoded in values:
            yield f"{name}={label}", f"{key}={encoded}"
        yield f"{name} twice", f"{key}=1&{key}={HUGE}"
        yield f"{name} twice, odd digits", f"{key}={HUGE}&{key}=%C2%B2"
    if names:
        for label, encoded in values:
            if label in TOGETHER:
                together = "&".join(f"{quote(name, safe='')}={encoded}" for name in sorted(names))
                yield f"every parameter={label}", together


def problems_with(response, url, is_api):
    """What is wrong with one answer, as sentences for the failure report."""
    problems = []
    status = response.status_code
    content_type = response.get("Content-Type", "")
    if status >= 500:
        problems.append(f"{status} for {url[:300]}")
    if is_api:
        if not content_type.startswith("application/json"):
            problems.append(f"{status} {content_type}, not JSON, for {url[:300]}")
        elif status >= 400:
            data = response.json()
            message = data.get("error") or data.get("detail") or ""
            if not CHINESE.search(str(message)):
                problems.append(f"{status} without a Chinese error for {url[:300]}: {data}")
    elif status >= 400 and url.startswith("/disclosures/export.csv"):
        body = response.content.decode()
        if not content_type.startswith(("text/plain", "application/json")):
            problems.append(f"export {status} as {content_type} for {url[:300]}")
        if not CHINESE.search(body):
            problems.append(f"export {status} without a Chinese message for {url[:300]}")
    if not content_type.startswith("application/json") and not getattr(
        response, "streaming", False
    ):
        body = response.content.decode("utf-8", "replace")
        for markup in (MARKUP, ATTRIBUTE_BREAK):
            if markup in body:
                problems.append(f"{markup!r} echoed unescaped by {url[:300]}")
    return problems


def fuzz(client, parameters, is_api=False):
    problems, sent = [], 0
    for path, names in sorted(parameters.items()):
        for _label, query in queries(names):
            url = f"{path}?{query}"
            response = client.get(url)
            if getattr(response, "streaming", False):
                b"".join(response.streaming_content)  # the 500 of a stream comes late
            problems += problems_with(response, url, is_api)
            sent += 1
    return problems, sent


@pytest.fixture
def client():
    # A server error must come back as a response to judge, not as an exception in the test.
    return Client(raise_request_exception=False)


def test_no_page_parameter_gives_a_server_error(client, site):
    parameters = page_parameters(client, site)
    # The finder sees the filters a reader uses, so the fuzzing covers them.
    assert {"q", "category", "region", "page", "sort"} <= parameters["/disclosures/"]
    assert {"q", "region", "district", "pledge_type", "status"} <= parameters["/merchants/"]
    assert {"kind", "event"} <= parameters["/alerts/"] and "type" in parameters["/cases/"]
    assert {"year", "region"} <= parameters["/disclosures/stats/"]
    assert {"size", "next"} <= parameters["/text-size/"]
    assert "size" in parameters[f"/m/{site['merchant'].current_code.code}/poster/"]
    assert {"/feeds/alerts.xml", "/feeds/cases.xml", site["alert"].url} <= set(parameters)

    problems, sent = fuzz(client, parameters)
    assert sent > 1500
    assert not problems, "\n".join(problems[:40])


def test_no_api_parameter_gives_a_server_error_or_an_answer_that_is_not_json(client, site):
    parameters = api_parameters(client, site)
    code = site["merchant"].credit_code
    assert {"q", "merchant", "from", "per_page"} <= parameters["/api/v1/disclosures/"]
    assert {"q", "region", "page"} <= parameters["/api/v1/merchants/"]
    assert {"page", "per_page"} <= parameters[f"/api/v1/merchants/{code}/disclosures/"]

    problems, sent = fuzz(client, parameters, is_api=True)
    assert sent > 500
    assert not problems, "\n".join(problems[:40])


def test_hostile_path_segments_are_not_found_rather_than_server_errors(client, site):
    code = site["merchant"].credit_code
    for label, value in HOSTILE + RAW_HOSTILE:
        segment = value if (label, value) in RAW_HOSTILE else quote(value, safe="")
        if not segment:
            continue
        for template, is_api in (
            ("/m/{}/", False),
            ("/m/{}/qr.svg", False),
            ("/m/{}/poster/", False),
            ("/disclosures/merchants/{}/", False),
            ("/api/v1/merchants/{}/", True),
            ("/api/v1/merchants/{}/disclosures/", True),
            (f"/api/v1/merchants/{code}/{{}}/", True),
        ):
            url = template.format(segment)
            response = client.get(url)
            assert response.status_code < 500, (label, url)
            assert not problems_with(response, url, is_api), (label, url)


# --- the defects as they were reported ----------------------------------------------------


@pytest.mark.parametrize("merchant", [HUGE, str(2**63)])
def test_a_merchant_id_beyond_any_record_finds_nothing_on_page_api_and_export(
    client, site, merchant
):
    page = client.get("/disclosures/", {"merchant": merchant})
    assert page.status_code == 200
    html = page.content.decode()
    assert "没有找到符合条件的公示投诉" in html
    assert "健身房办卡后拒绝退款" not in html

    api = client.get("/api/v1/disclosures/", {"merchant": merchant})
    assert api.status_code == 200
    assert api.json()["total"] == 0 and api.json()["results"] == []

    export = client.get("/disclosures/export.csv", {"merchant": merchant})
    assert export.status_code == 200
    assert export["X-Total-Count"] == "0"
    rows = b"".join(export.streaming_content).decode("utf-8-sig").splitlines()
    assert rows[0].startswith("投诉编号") and len(rows) == 1

    # The merchant's own id still finds its records.
    own = client.get("/api/v1/disclosures/", {"merchant": str(site["merchant"].pk)}).json()
    assert own["total"] == Disclosure.objects.public().filter(merchant=site["merchant"]).count()
    assert own["total"] == 2


@pytest.mark.parametrize(("url", "params"), [("/alerts/", "event"), ("/cases/", "type")])
def test_an_editorial_filter_beyond_any_id_lists_nothing(client, site, url, params):
    response = client.get(url, {params: HUGE})
    assert response.status_code == 200
    html = response.content.decode()
    assert "empty-state" in html
    assert "双11网购消费提示" not in html and "某健身房收取会员费后关门案" not in html


@pytest.mark.parametrize("value", ["²", "١٢", "１２"])
def test_an_editorial_filter_in_other_digits_is_ignored(client, site, value):
    alerts = client.get("/alerts/", {"event": value}).content.decode()
    assert "双11网购消费提示" in alerts
    cases = client.get("/cases/", {"type": value}).content.decode()
    assert "某健身房收取会员费后关门案" in cases


@pytest.mark.parametrize(
    ("params", "reasons"),
    [
        ({"problem_type": "1_000"}, {"problem_type": "应为整数"}),
        ({"merchant": "١٢"}, {"merchant": "应为整数"}),
        ({"result": "１２"}, {"result": "应为整数"}),
        ({"region": "４３０１０２"}, {"region": "应为6位行政区划代码"}),
        ({"from": "2026-02-30"}, {"from": "没有这一天"}),
        ({"to": "99999-01-01"}, {"to": "日期格式应为YYYY-MM-DD"}),
        ({"page": "0x10", "per_page": "1e9"}, {"page": "应为整数", "per_page": "应为整数"}),
    ],
)
def test_the_api_refuses_other_digits_and_impossible_dates_in_chinese(
    client, site, params, reasons
):
    response = client.get("/api/v1/disclosures/", params)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"error": "请求参数有误", "invalid_parameters": reasons}


def test_api_errors_outside_the_parameters_are_json_in_chinese(client, site):
    unknown = client.get("/api/v1/complaints/")
    assert unknown.status_code == 404
    assert unknown["Content-Type"] == "application/json"
    assert "没有这个接口" in unknown.json()["error"]

    posted = client.post("/api/v1/disclosures/", {"q": "退货"})
    assert posted.status_code == 405
    assert posted.json()["error"] == "开放数据接口只支持GET请求"
    assert posted["Allow"] == "GET, HEAD"

    missing = client.get(f"/api/v1/merchants/{credit_code('430104', serial=99001)}/")
    assert missing.status_code == 404
    assert missing.json()["error"] == "没有这家承诺商家"


def test_an_api_bug_still_answers_json(client, site, monkeypatch):
    def broken(query):
        raise RuntimeError("engine broke")

    monkeypatch.setattr("disclosures.engines.search", broken)
    response = client.get("/api/v1/disclosures/")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"] == "服务器内部错误，请稍后再试"


def test_a_page_number_in_other_digits_is_the_first_page(client, site):
    alerts = site["alert"].get_parent().specific
    for number in range(1, 13):  # with the first alert, 13: ten on page 1, three on page 2
        make_alert(alerts, f"理性消费提示第{number}期", "保留购物凭证。")
    for value in ("١٢", "２", "²", "0", "-1"):
        html = client.get("/alerts/", {"page": value}).content.decode()
        assert "理性消费提示第12期" in html, value  # the newest: page 1
        assert "双11网购消费提示" not in html, value
    past_the_end = client.get("/alerts/", {"page": HUGE}).content.decode()
    assert "双11网购消费提示" in past_the_end  # the oldest: the last page
    assert "理性消费提示第12期" not in past_the_end


def test_nul_in_a_code_or_region_is_not_found_on_postgresql_too(client, site):
    assert client.get("/m/%00/").status_code == 404
    assert client.get("/m/%00/qr.svg").status_code == 404
    assert client.get("/disclosures/", {"credit_code": "\x00"}).status_code == 200
    stats = client.get("/disclosures/stats/", {"region": "430102\x00"})
    assert stats.status_code == 200


def test_ids_beyond_the_search_index_never_reach_elasticsearch():
    """The index keeps category, result and merchant as 32-bit integers; some Elasticsearch
    versions refuse a larger term, which would send every reader's search to the database."""
    params = {name: HUGE for name in ("category", "problem_type", "result", "merchant")}
    query, errors = parse_query(params)
    assert errors == {}
    body = str(build_search(query, timezone.localdate()).to_dict())
    numbers = [int(number) for number in re.findall(r"\d+", body)]
    assert max(numbers) <= 2**31 - 1


# --- the shared reader -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [("42", 42), (" 7 ", 7), ("007", 7), ("+3", 3), (HUGE, 2**63 - 1), ("1" * 10_000, 2**63 - 1)],
)
def test_integers_are_ascii_digits_bounded_by_the_database(value, expected):
    assert parse_integer(value) == expected


@pytest.mark.parametrize("value", ["²", "١٢", "１２", "0x10", "1e9", "1_000", "1.0", "\x00", "一"])
def test_other_digits_are_not_integers(value):
    with pytest.raises(InvalidParameter, match="应为整数"):
        parse_integer(value)


@pytest.mark.parametrize("value", ["0", "-1", str(-(2**63) - 1)])
def test_zero_and_negatives_are_not_positive(value):
    with pytest.raises(InvalidParameter, match="应为正整数"):
        parse_integer(value)


def test_dates_are_iso_days_that_exist():
    assert parse_date("2026-02-28") == datetime.date(2026, 2, 28)
    for value, reason in (
        ("2026-02-30", "没有这一天"),
        ("99999-01-01", "日期格式应为YYYY-MM-DD"),
        ("２０２６-01-01", "日期格式应为YYYY-MM-DD"),
        ("20260101", "日期格式应为YYYY-MM-DD"),
    ):
        with pytest.raises(InvalidParameter, match=reason):
            parse_date(value)
