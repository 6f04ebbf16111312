"""New pages get addresses in pinyin, word by word; a page that has an address keeps it."""

from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from common.slugs import pinyin_slug
from editorial.models import AlertIndexPage, AlertPage
from home.models import StandardPage

from .pages import home_page, paragraph, publish


def test_words_are_read_in_pinyin_with_their_phrase_readings():
    assert pinyin_slug("消费提示") == "xiaofei-tishi"
    # 重 and 行 read as in the words 重庆 and 银行, not zhong and xing.
    assert pinyin_slug("重庆银行预付卡") == "chongqing-yinhang-yufuka"
    assert pinyin_slug("双11网购消费提示") == "shuang-11-wanggou-xiaofei-tishi"
    assert pinyin_slug("关于本站") == "guanyu-benzhan"


def test_punctuation_and_latin_letters_are_kept_readable():
    assert pinyin_slug("“3·15”国际消费者权益日") == "3-15-guoji-xiaofeizhe-quanyiri"
    assert pinyin_slug("ODR在线纠纷解决") == "odr-zaixian-jiufen-jiejue"
    # Full-width digits, as a Chinese keyboard types them, read as the numbers they are.
    assert pinyin_slug("２０２６年“双１１”消费提示") == "2026-nian-shuang-11-xiaofei-tishi"


class PageAddressTests(WagtailPageTestCase):
    def setUp(self):
        self.home = home_page()

    def test_a_new_page_titled_in_chinese_is_served_at_its_pinyin_address(self):
        page = publish(
            self.home,
            StandardPage(title="关于本站", body=paragraph("<p>本站由市场监管局主办。</p>")),
        )
        self.assertEqual(page.slug, "guanyu-benzhan")
        response = self.client.get("/guanyu-benzhan/")
        self.assertContains(response, "本站由市场监管局主办。")

    def test_siblings_with_the_same_title_get_numbered_addresses(self):
        first = publish(self.home, StandardPage(title="使用帮助", body=paragraph("<p>一</p>")))
        second = publish(self.home, StandardPage(title="使用帮助", body=paragraph("<p>二</p>")))
        self.assertEqual((first.slug, second.slug), ("shiyong-bangzhu", "shiyong-bangzhu-2"))

    def test_an_ascii_slug_chosen_by_the_editor_is_kept(self):
        page = publish(
            self.home, StandardPage(title="隐私政策", slug="privacy", body=paragraph("<p>隐私</p>"))
        )
        self.assertEqual(page.slug, "privacy")

    def test_a_published_page_keeps_its_chinese_address_when_edited(self):
        page = publish(self.home, StandardPage(title="旧栏目", body=paragraph("<p>旧</p>")))
        # As a page published before pinyin slugs: its address is in links and on posters.
        StandardPage.objects.filter(pk=page.pk).update(slug="旧栏目", url_path="/home/旧栏目/")
        page.refresh_from_db()
        page.title = "旧栏目(更新)"
        page.save_revision().publish()
        page.refresh_from_db()
        self.assertEqual(page.slug, "旧栏目")
        self.assertEqual(self.client.get(page.url).status_code, 200)

    def test_an_editor_creating_a_page_in_the_admin_gets_a_pinyin_address(self):
        alerts = publish(self.home, AlertIndexPage(title="消费提示", slug="alerts"))
        editor = self.create_user("bianji", password="编辑口令-123")
        editor.groups.add(Group.objects.get(name="编辑"))
        self.client.login(username="bianji", password="编辑口令-123")
        # The admin's script fills the slug from the title, in Chinese characters.
        form = nested_form_data(
            {
                "title": "预付卡消费提示",
                "slug": "预付卡消费提示",
                "date": "2026-11-01",
                "intro": "办卡前请查看经营者的资质和预付卡合同。",
                "alert_kind": "tip",
                "body": streamfield([("paragraph", rich_text("<p>谨慎办理大额预付卡。</p>"))]),
            }
        )
        add_url = reverse("wagtailadmin_pages:add", args=["editorial", "alertpage", alerts.pk])
        response = self.client.post(add_url, form)
        self.assertEqual(response.status_code, 302, response.content[:2000])
        page = AlertPage.objects.get(title="预付卡消费提示")
        self.assertEqual(page.slug, "yufuka-xiaofei-tishi")
