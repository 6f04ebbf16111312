"""Build the whole demo site in one transaction and report what was done, in Chinese."""

from django.conf import settings
from django.db import transaction
from wagtail.models import Page, Site

from disclosures.models import Disclosure
from editorial.models import (
    AlertIndexPage,
    AlertPage,
    Audience,
    CampaignPage,
    CaseIndexPage,
    CasePage,
    CaseType,
    NewsIndexPage,
    NewsPage,
    ReportIndexPage,
    ReportPage,
    SeasonEvent,
)
from home.models import HomePage, PortalSettings, StandardPage
from merchants.models import BusinessDistrict, Merchant
from search.models import SearchDocument

from . import content
from .builder import PageBuilder
from .complaints import ensure_demo_complaints
from .disclosures import ensure_demo_disclosures
from .documents import ensure_documents
from .images import ensure_images
from .lists import ensure_demo_lists
from .merchants import ensure_demo_merchants, merchant_specs
from .objections import ensure_demo_objections
from .users import ensure_users

SECTION_MODELS = {
    "alert_index": AlertIndexPage,
    "case_index": CaseIndexPage,
    "news_index": NewsIndexPage,
    "report_index": ReportIndexPage,
}

COUNTED_MODELS = [
    AlertPage,
    CasePage,
    NewsPage,
    ReportPage,
    CampaignPage,
    StandardPage,
    AlertIndexPage,
    CaseIndexPage,
    NewsIndexPage,
    ReportIndexPage,
    HomePage,
]


class DemoError(Exception):
    pass


def _ensure_settings(site, update):
    exists = PortalSettings.objects.filter(site=site).exists()
    portal_settings = PortalSettings.for_site(site)
    changed = []
    for name, value in content.PORTAL_SETTINGS.items():
        current = getattr(portal_settings, name)
        # An existing record keeps what an editor entered; blanks are filled in (an unticked
        # box is a choice, not a blank).
        blank = not current and not isinstance(value, bool)
        if (not exists or update or blank) and current != value:
            setattr(portal_settings, name, value)
            changed.append(name)
    if changed:
        portal_settings.save()
    if not site.site_name:
        site.site_name = content.SITE_NAME
        site.save(update_fields=["site_name"])
    return portal_settings, bool(changed)


def _ensure_reference(model, names):
    created = 0
    objects = {}
    for index, name in enumerate(names):
        obj, was_created = model.objects.get_or_create(
            name=name, defaults={"sort_order": (index + 1) * 10}
        )
        created += was_created
        objects[name] = obj
    return objects, created


def _article_fields(builder, item):
    return {
        "title": item["title"],
        "date": item["date"],
        "intro": item["intro"],
        "listing_image": builder.image(item.get("listing_image")),
        "body": builder.stream(item["slug"], item["body"]),
    }


def _ensure_home(builder, home):
    data = content.HOME_PAGE
    fields = {
        "title": data["title"],
        "seo_title": data["seo_title"],
        "hero_title": data["hero_title"],
        "hero_intro": data["hero_intro"],
        "body": builder.stream("home", data["body"]),
    }
    # The home page comes from a migration without any revision: fill it on the first run.
    return builder.refresh(home, fields, force=home.live_revision_id is None)


def _ensure_standard(builder, home, data):
    return builder.ensure(
        home,
        StandardPage,
        data["slug"],
        {
            "title": data["title"],
            "intro": data["intro"],
            # Plain pages are linked from the footer, keeping the main menu to the sections.
            "show_in_menus": False,
            "body": builder.stream(data["slug"], data["body"]),
        },
    )


def _ensure_pages(builder, home, audiences, events, case_types):
    sections = {}
    for section in content.SECTIONS:
        sections[section["kind"]] = builder.ensure(
            home,
            SECTION_MODELS[section["kind"]],
            section["slug"],
            {"title": section["title"], "intro": section["intro"], "show_in_menus": True},
        )

    campaigns = []
    for item in content.CAMPAIGNS:
        fields = _article_fields(builder, item)
        fields.update(
            year=item["year"],
            theme=item["theme"],
            show_in_menus=item["show_in_menus"],
            seo_title=item.get("seo_title", ""),
        )
        clash = CampaignPage.objects.filter(year=item["year"]).exclude(slug=item["slug"])
        if clash.exists():
            builder.warnings.append(
                f"{item['year']}年的3·15专题已存在（{clash.first().url_path}），未新建"
            )
            continue
        campaigns.append(
            builder.ensure(
                home,
                CampaignPage,
                item["slug"],
                fields,
            )
        )

    about = _ensure_standard(builder, home, content.ABOUT_PAGE)
    privacy = _ensure_standard(builder, home, content.PRIVACY_PAGE)
    builder.order_children(home, [*sections.values(), *campaigns, about, privacy])

    if parent := sections.get("alert_index"):
        for item in content.ALERTS:
            fields = _article_fields(builder, item)
            fields.update(alert_kind=item["kind"], season_event=events[item["season_event"]])
            builder.ensure(
                parent,
                AlertPage,
                item["slug"],
                fields,
                relations={"audiences": [audiences[name] for name in item["audiences"]]},
            )

    if parent := sections.get("case_index"):
        for item in content.CASES:
            fields = _article_fields(builder, item)
            fields.update(
                case_type=case_types[item["case_type"]],
                merchant_name=item["merchant_name"],
                region=item["region"],
                facts=item["facts"],
                legal_basis=item["legal_basis"],
                outcome=item["outcome"],
                fine_amount=item["fine_amount"],
                refund_amount=item["refund_amount"],
            )
            builder.ensure(
                parent,
                CasePage,
                item["slug"],
                fields,
            )

    if parent := sections.get("news_index"):
        for item in content.NEWS:
            fields = _article_fields(builder, item)
            fields.update(news_kind=item["kind"], source=item["source"])
            builder.ensure(
                parent,
                NewsPage,
                item["slug"],
                fields,
            )

    if parent := sections.get("report_index"):
        for item in content.REPORTS:
            fields = _article_fields(builder, item)
            fields.update(
                report_kind=item["kind"],
                year=item["year"],
                document=builder.documents[item["document"]] if item["document"] else None,
            )
            builder.ensure(
                parent,
                ReportPage,
                item["slug"],
                fields,
            )


def load_demo(out, reset_passwords=False, update=False):
    """Build or complete the demo site; ``out(line)`` receives the report, line by line."""
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    home = HomePage.objects.filter(depth=2).first()
    if home is None:
        raise DemoError("找不到首页：请先运行 manage.py migrate")
    if site is None:
        raise DemoError("找不到默认站点：请先运行 manage.py migrate")

    with transaction.atomic():
        _portal_settings, settings_changed = _ensure_settings(site, update)
        audiences, created_audiences = _ensure_reference(Audience, content.AUDIENCES)
        events, created_events = _ensure_reference(SeasonEvent, content.SEASON_EVENTS)
        case_types, created_types = _ensure_reference(CaseType, content.CASE_TYPES)
        users, accounts = ensure_users(reset_passwords=reset_passwords)
        images, created_images = ensure_images()
        documents, written_documents = ensure_documents(update=update)

        builder = PageBuilder(
            images,
            documents,
            editor=users.get("bianji"),
            publisher=users.get("shenhe"),
            update=update,
        )
        _ensure_home(builder, home)
        _ensure_pages(builder, home, audiences, events, case_types)
        # Worked out once, from the reference data only: the merchants and their complaints.
        specs = merchant_specs()
        merchant_stats = ensure_demo_merchants(specs=specs)
        # After the merchants, so that the importer links the records to them.
        disclosure_report = ensure_demo_disclosures(specs=specs)
        if disclosure_report is not None and disclosure_report.refused:
            raise DemoError(
                "演示投诉公示导入失败：" + ";".join(disclosure_report.error_lines(limit=5))
            )
        # After the merchants: the demo complaints name them and go to the units serving them.
        complaint_report = ensure_demo_complaints(reset_passwords=reset_passwords)
        # After the disclosures: the lists are computed from them.
        list_report = ensure_demo_lists(users)
        # After the lists: the listed merchants' objections and replies on their records.
        objection_report = ensure_demo_objections(users)

    out("站点设置：" + ("已写入" if settings_changed else "已存在，未改动"))
    created_reference = created_audiences + created_events + created_types
    out(
        f"内容分类：提示对象 {len(audiences)} 项、消费节点 {len(events)} 项、"
        f"案例类型 {len(case_types)} 项（本次新建 {created_reference} 项）"
    )
    out(f"图片：{len(images)} 张（本次新建 {created_images} 张）")
    out(f"文件：{len(documents)} 个（本次{'写入' if update else '新建'} {written_documents} 个）")
    stats = builder.stats
    out(
        f"页面：新建 {stats['created']} 个，更新 {stats['updated']} 个，"
        f"保留原样 {stats['kept']} 个"
        + (f"，跳过 {stats['skipped']} 个" if stats["skipped"] else "")
    )
    counts = "、".join(
        f"{model._meta.verbose_name} {model.objects.live().count()}" for model in COUNTED_MODELS
    )
    out(f"已发布页面：{counts}（共 {Page.objects.live().exclude(depth=1).count()} 个）")
    out(
        f"承诺商家：{Merchant.objects.count()} 家（本次新建 {merchant_stats.created} 家），"
        f"商圈/街区/市场 {BusinessDistrict.objects.count()} 个"
        f"（本次新建 {merchant_stats.districts_created} 个）"
    )
    created_disclosures = disclosure_report.created if disclosure_report else 0
    out(
        f"投诉公示：{Disclosure.objects.count()} 条，其中涉及承诺商家 "
        f"{Disclosure.objects.filter(merchant__isnull=False).count()} 条"
        f"（本次新增 {created_disclosures} 条，已有的不改动）"
    )
    for line in complaint_report.lines():
        out(line)
    for line in list_report.lines() + objection_report.lines():
        out(line)
    # Publishing indexed every page as it went live (search/signal_handlers.py).
    out(f"站内搜索索引：共 {SearchDocument.objects.count()} 个页面")
    for warning in builder.warnings:
        out(f"注意：{warning}")

    out("演示账号（密码只在创建或重置时显示这一次，请妥善保存）：")
    for account in accounts:
        if account.password:
            out(f"  {account.role}  {account.username}  密码 {account.password}")
        else:
            out(
                f"  {account.role}  {account.username}  已存在，沿用原密码"
                "（如需重置请加 --reset-passwords）"
            )
        if account.missing_group:
            out(f"  注意：用户组“{account.missing_group}”不存在，{account.username} 未加入该组")
    base_url = settings.PORTAL_BASE_URL
    out(f"网站首页：{base_url}/")
    out(f"管理后台：{base_url}/admin/")
