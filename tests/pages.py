"""Building a small, realistic page tree for tests, the way the editorial team would."""

import datetime

from wagtail.rich_text import RichText

from editorial.models import (
    AlertIndexPage,
    AlertPage,
    CaseIndexPage,
    CasePage,
    CaseType,
    NewsIndexPage,
    ReportIndexPage,
)
from home.models import HomePage


def home_page():
    return HomePage.objects.get()


def publish(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def paragraph(html):
    return [("paragraph", RichText(html))]


def build_sections(home=None):
    home = home or home_page()
    return {
        "alerts": publish(
            home, AlertIndexPage(title="消费提示", slug="alerts", show_in_menus=True)
        ),
        "cases": publish(home, CaseIndexPage(title="典型案例", slug="cases", show_in_menus=True)),
        "news": publish(home, NewsIndexPage(title="新闻动态", slug="news", show_in_menus=True)),
        "reports": publish(home, ReportIndexPage(title="报告发布", slug="reports")),
    }


def make_alert(parent, title, text, date=datetime.date(2026, 11, 1), **kwargs):
    kwargs.setdefault("intro", text[:60])
    return publish(
        parent,
        AlertPage(title=title, date=date, body=paragraph(f"<p>{text}</p>"), **kwargs),
    )


def make_case(parent, title, facts, date=datetime.date(2026, 3, 10), **kwargs):
    case_type, _ = CaseType.objects.get_or_create(name=kwargs.pop("case_type_name", "预付式消费"))
    defaults = {
        "intro": facts[:60],
        "merchant_name": "长沙市某健身服务有限公司",
        "region": "长沙市岳麓区",
        "legal_basis": "<p>《中华人民共和国消费者权益保护法》第五十三条</p>",
        "outcome": "责令退还预付款,罚款5万元",
        "fine_amount": "50000.00",
        "refund_amount": "128600.00",
    }
    defaults.update(kwargs)
    return publish(
        parent,
        CasePage(title=title, date=date, case_type=case_type, facts=f"<p>{facts}</p>", **defaults),
    )


def preview_post_data(test_case, page):
    """The edit form of ``page`` as the browser would post it for a preview.

    Wagtail renders StreamField editors in JavaScript, so the HTML form has no block fields;
    they are rebuilt here from the page's paragraph blocks (the only kind these tests use).
    """
    from django.urls import reverse
    from wagtail.fields import StreamField
    from wagtail.test.utils.form_data import (
        nested_form_data,
        querydict_from_html,
        rich_text,
        streamfield,
    )

    html = test_case.client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content
    data = querydict_from_html(html.decode(), form_id="page-edit-form")
    for field in page.specific._meta.get_fields():
        if isinstance(field, StreamField):
            blocks = [
                ("paragraph", rich_text(block.value.source))
                for block in getattr(page.specific, field.name)
                if block.block_type == "paragraph"
            ]
            data.update(nested_form_data({field.name: streamfield(blocks)}))
    return data
