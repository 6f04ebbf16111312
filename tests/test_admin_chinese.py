"""The admin in Chinese, and asking no other site for anything: an editor of the bureau reads
every screen of the Wagtail admin in simplified Chinese (the project's catalogue in locale/ fills
what Wagtail's zh-hans one lacks and rewords a few of its phrases), and no screen loads anything
from Gravatar or any other host."""

import html
import json
import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from .pages import build_sections, make_alert

pytestmark = pytest.mark.django_db

# English that Wagtail 8 showed on these screens before the project's catalogue (issue 11).
ENGLISH = [
    "Pages",
    "Search all pages…",
    "editor guide",
    "Edit account avatar",
    "Shortcuts",
    "Page types usage",
    "Date updated",
    "Edited by",
    "Has child pages",
    "Page type",
    "Content metrics",
    "Reading time",
    "Readability",
    "Toggle checks",
    "Autosave is paused",
    "Go to the first error",
    "Grid layout",
    "List layout",
    "Usage count",
    "By task",
    "By workflow",
    "Show disabled",
    "Locked by",
    "Theme preferences",
    "More contrast",
    "matching pages",
    "To be created by",
    "Actions",
]
# Still English, and not a catalogue's to say: labels Wagtail writes without translation (the
# sites list's columns, a yes/no read out by screen readers in the users list). The root page,
# the root collection and Wagtail's own workflow are renamed by home/0007.
NOT_CATALOGUE = {"Port", "Site name", "Root page", "True", "None"}


@pytest.fixture
def screens():
    sections = build_sections()
    alert = make_alert(
        sections["alerts"], "关于预付式消费的消费提示", "办理预付卡前请查看营业执照。"
    )
    alerts = sections["alerts"]
    return {
        "dashboard": reverse("wagtailadmin_home"),
        "explorer": reverse("wagtailadmin_explore_root"),
        "section": reverse("wagtailadmin_explore", args=[alerts.pk]),
        "edit": reverse("wagtailadmin_pages:edit", args=[alert.pk]),
        "add": reverse("wagtailadmin_pages:add", args=["editorial", "alertpage", alerts.pk]),
        "add_subpage": reverse("wagtailadmin_pages:add_subpage", args=[alerts.get_parent().pk]),
        "history": reverse("wagtailadmin_pages:history", args=[alert.pk]),
        "page_search": reverse("wagtailadmin_pages:search"),
        "snippets": reverse("wagtailsnippets:index"),
        "images": reverse("wagtailimages:index"),
        "documents": reverse("wagtaildocs:index"),
        "locked": reverse("wagtailadmin_reports:locked_pages"),
        "workflow_report": reverse("wagtailadmin_reports:workflow"),
        "workflow_tasks_report": reverse("wagtailadmin_reports:workflow_tasks"),
        "site_history": reverse("wagtailadmin_reports:site_history"),
        "aging_pages": reverse("wagtailadmin_reports:aging_pages"),
        "page_types": reverse("wagtailadmin_reports:page_types_usage"),
        "workflows": reverse("wagtailadmin_workflows:index"),
        "tasks": reverse("wagtailadmin_workflows:task_index"),
        "users": reverse("wagtailusers_users:index"),
        "groups": reverse("wagtailusers_groups:index"),
        "account": reverse("wagtailadmin_account"),
        "redirects": reverse("wagtailredirects:index"),
        "sites": reverse("wagtailsites:index"),
        "collections": reverse("wagtailadmin_collections:index"),
        "settings": reverse("wagtailsettings:edit", args=["home", "portalsettings"]),
    }


def readable_texts(page):
    """What an editor reads or hears: text, title/aria-label/placeholder/alt, sidebar labels."""
    texts = []
    for props in re.findall(r'<script[^>]*type="application/json"[^>]*>(.*?)</script>', page, re.S):
        texts += [json.loads(f'"{label}"') for label in re.findall(r'"label": "([^"]*)"', props)]
    page = re.sub(r"<(script|style|template)\b.*?</\1>|<!--.*?-->", " ", page, flags=re.S)
    # The account's time zones are places' names (Asia/Shanghai, Cuba), not sentences.
    page = re.sub(r"<select[^>]*time_zone.*?</select>", " ", page, flags=re.S)
    texts += re.findall(r'\s(?:title|aria-label|placeholder|alt)="([^"]*)"', page)
    texts += re.split(r"<(?:\"[^\"]*\"|'[^']*'|[^'\">])*>", page)
    return [html.unescape(text).strip() for text in texts if text.strip()]


def is_english(text):
    if text in NOT_CATALOGUE or re.search(r"[\u4e00-\u9fff]", text):
        return False
    # Abbreviations, slugs, app.model names.
    if re.fullmatch(r"[A-Z]{2,}[\w+-]*|[a-z_-]+|[a-z]+\.[a-z]+", text):
        return False
    return bool(re.search(r"[A-Za-z]{3,}", text))


def test_every_admin_screen_reads_in_chinese(admin_client, screens):
    for name, url in screens.items():
        response = admin_client.get(url, follow=True)
        assert response.status_code == 200, name
        page = response.content.decode()
        assert '<html lang="zh-hans"' in page, name
        texts = readable_texts(page)
        for english in ENGLISH:
            assert not [t for t in texts if english in t], (name, english)
        assert [t for t in texts if is_english(t)] == [], name


def test_the_dashboard_and_explorer_say_it_in_chinese(admin_client, screens):
    dashboard = admin_client.get(screens["dashboard"]).content.decode()
    assert "搜索所有页面……" in dashboard
    assert re.search(r"\d+个页面", dashboard)
    assert re.search(r"Wagtail [\d.]+编辑指南", dashboard)
    explorer = admin_client.get(screens["section"]).content.decode()
    assert "更新日期" in explorer and "页面类型" in explorer


def test_an_editor_submits_for_review_in_plain_words(client, screens, django_user_model):
    editor = django_user_model.objects.create_user("bianji", password="编辑口令-123")
    editor.groups.add(Group.objects.get(name="编辑"))
    client.force_login(editor)
    page = client.get(screens["edit"]).content.decode()
    # The workflow is called 编辑提交 → 审核发布: "提交给编辑提交 → 审核发布" read badly.
    assert ">提交审核<" in re.sub(r"\s+", "", page).replace("</span>", "<")
    assert "提交给" not in page
    dashboard = client.get(screens["dashboard"]).content.decode()
    assert "Pages" not in readable_texts(dashboard)


def test_no_admin_screen_loads_anything_from_another_host(admin_client, screens):
    for name, url in screens.items():
        page = admin_client.get(url, follow=True).content.decode()
        assert "gravatar" not in page.lower(), name
        assert "releases.wagtail.org" not in page, name
        loaded = re.findall(
            r"<(?:img|script|link|iframe|source|video|audio)\b[^>]*?\s(?:src|href|srcset)=\"([^\"]*)\"",
            page,
        )
        loaded += re.findall(r'\sdata-[\w-]*url[\w-]*="([^"]*)"', page)
        loaded += re.findall(r"url\(['\"]?([^'\")]+)", page)
        remote = [u for u in loaded if re.match(r"(https?:)?//", u) and "//testserver" not in u]
        assert remote == [], name
    account = admin_client.get(screens["account"]).content.decode()
    assert "wagtailadmin/images/default-user-avatar" in account


def test_the_admin_scripts_speak_chinese_too(admin_client):
    """Messages the admin's scripts write (autosave, the block editor) come from djangojs."""
    catalogue = admin_client.get(reverse("wagtailadmin_javascript_catalog")).content.decode()
    for message in ("正在自动保存……", "更改已自动保存。", "插入块"):
        # Django writes the catalogue's strings as JSON, non-ASCII escaped.
        assert json.dumps(message)[1:-1] in catalogue or message in catalogue
