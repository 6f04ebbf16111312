"""一企一码 on paper: the QR images, the printable poster and the bulk export."""

import csv
import datetime
import io
import re
import zipfile

import numpy as np
import pytest
import qrcode
import zxingcpp
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from merchants import qr, qr_export, qr_symbol
from merchants.models import Merchant

from .merchant_factories import make_district, make_expired_merchant, make_merchant

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
BASE_URL = "https://fxxf.amr.hunan.gov.cn"
PATH_RUN = re.compile(r"M(\d+) (\d+)h(\d+)v1h-(\d+)z")


@pytest.fixture
def portal_url(settings):
    settings.PORTAL_BASE_URL = BASE_URL
    return BASE_URL


def decode(image):
    return [(result.text, result.ec_level) for result in zxingcpp.read_barcodes(image)]


def png_image(response):
    return Image.open(io.BytesIO(b"".join(response)))


def matrix_from_svg(svg):
    """The dark modules the SVG path draws, back as rows of booleans."""
    size = int(re.search(r'viewBox="0 0 (\d+) \1"', svg).group(1))
    matrix = [[False] * size for _ in range(size)]
    path = re.search(r'<path[^>]* d="([^"]+)"', svg).group(1)
    runs = PATH_RUN.findall(path)
    assert "".join(f"M{x} {y}h{w}v1h-{b}z" for x, y, w, b in runs) == path
    for x, y, width, back in runs:
        assert width == back
        for column in range(int(x), int(x) + int(width)):
            matrix[int(y)][column] = True
    return matrix


# --- the images ---------------------------------------------------------------------------


def test_png_decodes_to_exactly_the_merchant_url_also_at_a_quarter_size(client, portal_url):
    merchant = make_merchant()
    code = merchant.current_code.code
    expected = f"{BASE_URL}/m/{code}/"

    response = client.get(reverse("merchants:qr_png", args=[code]))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    image = png_image(response)
    assert decode(image) == [(expected, "Q")]
    for resample in (Image.Resampling.LANCZOS, Image.Resampling.BOX):
        quarter = image.convert("L").resize((image.width // 4, image.height // 4), resample)
        assert decode(quarter) == [(expected, "Q")]


def test_the_url_follows_the_portal_base_url_setting(client, settings):
    merchant = make_merchant()
    code = merchant.current_code.code
    settings.PORTAL_BASE_URL = "https://315.example.gov.cn"

    response = client.get(reverse("merchants:qr_png", args=[code]))

    assert decode(png_image(response)) == [(f"https://315.example.gov.cn/m/{code}/", "Q")]


def test_svg_draws_the_same_code_as_the_png(client, portal_url):
    code = make_merchant().current_code.code
    expected = f"{BASE_URL}/m/{code}/"

    response = client.get(reverse("merchants:qr_svg", args=[code]))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    svg = response.content.decode()
    assert svg.startswith("<svg ") and 'shape-rendering="crispEdges"' in svg
    assert svg.count("<path") == 1
    matrix = matrix_from_svg(svg)
    assert matrix == qr.qr_matrix(expected)
    assert decode(qr.matrix_image(matrix, module_px=6)) == [(expected, "Q")]


def test_the_code_has_a_quiet_zone_of_four_modules(portal_url):
    matrix = qr.qr_matrix(f"{BASE_URL}/m/AC34FGHJ/")
    size = len(matrix)
    border = [(x, y) for y in range(size) for x in range(size) if min(x, y, size - 1 - x) < 4]
    border += [(x, y) for y in range(size - 4, size) for x in range(size)]
    assert not any(matrix[y][x] for x, y in border)
    # The finder pattern starts right after the quiet zone.
    assert matrix[4][4] and matrix[4][size - 5] and matrix[size - 5][4]

    image = qr.matrix_image(matrix)
    quiet_px = 4 * qr.MODULE_PX
    assert image.crop((0, 0, image.width, quiet_px)).getextrema() == (255, 255)
    assert image.crop((0, 0, quiet_px, image.height)).getextrema() == (255, 255)
    assert image.getpixel((quiet_px, quiet_px)) == 0


@pytest.mark.parametrize(
    "base", ["https://fxxf.amr.hunan.gov.cn", "http://127.0.0.1:8000", "https://a.cn"]
)
def test_the_fast_mask_choice_draws_what_qrcode_itself_would(base):
    # qr_mask replaces qrcode's eight-fold mask search; the symbols must stay identical.
    for code in ["AC34FGHJ", "YYYYYYYY", "33333333", "MNPQRTWX", "9X7W6T4R", "HJKMNPQR"]:
        url = f"{base}/m/{code}/"
        assert qr.qr_matrix(url) == reference_matrix(url), url


def reference_matrix(text, error_correction=qrcode.constants.ERROR_CORRECT_Q):
    """The symbol as qrcode itself draws it, all loops, quiet zone of four."""
    reference = qrcode.QRCode(error_correction=error_correction, border=4)
    reference.add_data(text)
    reference.make(fit=True)
    return reference.get_matrix()


@pytest.mark.parametrize(
    "error_correction",
    [
        qrcode.constants.ERROR_CORRECT_L,
        qrcode.constants.ERROR_CORRECT_M,
        qrcode.constants.ERROR_CORRECT_Q,
        qrcode.constants.ERROR_CORRECT_H,
    ],
)
def test_the_fast_symbol_is_module_for_module_what_qrcode_draws(error_correction):
    # Small and large versions (7 and up carry version bits, 10 and up longer length fields),
    # and every kind of segment: bytes, digits, upper-case letters, Chinese text.
    texts = [
        "https://fxxf.amr.hunan.gov.cn/m/AC34FGHJ/",
        "HTTP://FXXF.AMR.HUNAN.GOV.CN/M/9X7W6T4R/",
        "12315",
        "430104" * 30,
        "长沙市岳麓区麓谷优选超市有限公司",
        "长沙市岳麓区麓谷优选超市有限公司，地址：麓谷大道627号；" * 6,
        "https://fxxf.amr.hunan.gov.cn/m/MNPQRTWX/?from=poster&ref=" + "A1" * 80,
    ]
    for text in texts:
        assert qr_symbol.modules(text, error_correction, 4).tolist() == reference_matrix(
            text, error_correction
        ), text


def test_the_png_holds_exactly_the_modules_ten_pixels_each(portal_url):
    for code in ["AC34FGHJ", "YYYYYYYY", "HJKMNPQR"]:
        url = f"{BASE_URL}/m/{code}/"
        matrix = reference_matrix(url)

        image = Image.open(io.BytesIO(qr.qr_png_bytes(url)))

        assert (image.format, image.mode) == ("PNG", "1")
        assert image.size == (len(matrix) * qr.MODULE_PX, len(matrix) * qr.MODULE_PX) == (410, 410)
        dark = np.asarray(image) == 0
        modules = np.kron(np.array(matrix), np.ones((qr.MODULE_PX, qr.MODULE_PX), dtype=bool))
        assert (dark == modules).all()
        assert decode(image) == [(url, "Q")]


def test_many_scan_urls_at_once_are_the_same_as_one_by_one(portal_url):
    scan_url = qr.scan_url_maker()

    for code in ["AC34FGHJ", "9X7W6T4R", "33333333"]:
        assert scan_url(code) == qr.scan_url(code) == f"{BASE_URL}/m/{code}/"


def test_images_are_cacheable_and_answer_304_to_a_matching_etag(client, portal_url):
    code = make_merchant().current_code.code
    for name in ("merchants:qr_png", "merchants:qr_svg"):
        url = reverse(name, args=[code])
        first = client.get(url)
        assert first["Cache-Control"] == "public, max-age=86400"
        assert first["ETag"]

        again = client.get(url, headers={"if-none-match": first["ETag"]})

        assert again.status_code == 304
        assert again.content == b""
        assert again["ETag"] == first["ETag"]
        assert again["Cache-Control"] == "public, max-age=86400"


def test_the_etag_changes_with_the_portal_address(client, settings):
    code = make_merchant().current_code.code
    url = reverse("merchants:qr_png", args=[code])
    settings.PORTAL_BASE_URL = "http://127.0.0.1:8000"
    old = client.get(url)["ETag"]
    settings.PORTAL_BASE_URL = BASE_URL

    response = client.get(url, headers={"if-none-match": old})

    assert response.status_code == 200
    assert response["ETag"] != old


def test_codes_are_found_in_any_letter_case(client, portal_url):
    code = make_merchant().current_code.code

    response = client.get(reverse("merchants:qr_png", args=[code.lower()]))

    assert decode(png_image(response)) == [(f"{BASE_URL}/m/{code}/", "Q")]


def test_unknown_and_retired_codes_get_no_image_and_no_poster(client):
    merchant = make_merchant()
    old = merchant.current_code
    new = old.retire("二维码被冒用于其他门店")
    for name in ("merchants:qr_png", "merchants:qr_svg", "merchants:poster"):
        assert client.get(reverse(name, args=["XXXXXXXX"])).status_code == 404
        assert client.get(reverse(name, args=[old.code])).status_code == 404
        assert client.get(reverse(name, args=[new.code])).status_code == 200


# --- the poster ---------------------------------------------------------------------------


def test_the_poster_shows_the_merchant_its_pledges_and_how_to_check(client, portal_url):
    merchant = make_merchant(
        registered_name="长沙市天心区坡子街湘味食府有限公司",
        shop_name="湘味食府(坡子街店)",
        region="430103",
        pledges=[
            {
                "pledge_type": "放心消费承诺",
                "content": "质量安全放心、交易公平放心、经营管理放心、服务承诺放心、消费维权放心",
                "starts_on": TODAY - datetime.timedelta(days=10),
                "ends_on": datetime.date(TODAY.year + 1, 6, 30),
            },
            {
                "pledge_type": "线下无理由退货承诺",
                "return_days": 15,
                "return_scope": "预包装食品礼盒",
                "return_conditions": "包装未拆封,凭购物小票",
                "starts_on": TODAY - datetime.timedelta(days=10),
                "ends_on": datetime.date(TODAY.year + 1, 6, 30),
            },
        ],
    )
    code = merchant.current_code.code

    response = client.get(reverse("merchants:poster", args=[code]))

    assert response.status_code == 200
    page = response.content.decode()
    for text in (
        "湖南省市场监督管理局",
        "放心消费承诺单位",
        "湘味食府(坡子街店)",
        "长沙市天心区坡子街湘味食府有限公司",
        "我们承诺：放心消费承诺",
        "质量安全放心、交易公平放心",
        "自购买之日起15天内，商品完好即可无理由退货",
        "适用商品：预包装食品礼盒",
        "扫码查看承诺和投诉公示",
        "12315",
        f"承诺有效期至{TODAY.year + 1}年6月30日",
        f"公示码：{code}",
        "fxxf.amr.hunan.gov.cn",
        "css/poster.css",
    ):
        assert text in page, text
    # The QR code is inline and encodes the scan address.
    svg = re.search(r"<svg .*?</svg>", page, re.S).group(0)
    assert decode(qr.matrix_image(matrix_from_svg(svg), 6)) == [(f"{BASE_URL}/m/{code}/", "Q")]
    assert "王建国" not in page and "13807311234" not in page


def test_an_open_ended_pledge_is_printed_as_long_term(client):
    merchant = make_merchant(
        pledges=[
            {
                "pledge_type": "线下无理由退货承诺",
                "return_days": 7,
                "return_scope": "服装、鞋帽",
                "starts_on": TODAY - datetime.timedelta(days=3),
                "ends_on": None,
            }
        ]
    )

    response = client.get(reverse("merchants:poster", args=[merchant.current_code.code]))

    page = response.content.decode()
    assert "承诺长期有效" in page
    assert "无理由退货承诺店" in page


def test_the_a5_poster_uses_the_a5_page(client):
    code = make_merchant().current_code.code

    page = client.get(reverse("merchants:poster", args=[code]), {"size": "a5"}).content.decode()

    assert '<body class="size-a5">' in page
    assert 'href="?size=a4"' in page


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (
            lambda: make_merchant(registry_status=Merchant.RegistryStatus.REMOVED),
            "已摘牌，不再是放心消费承诺单位",
        ),
        (lambda: make_expired_merchant(), "承诺已过期"),
        (
            lambda: make_merchant(registry_status=Merchant.RegistryStatus.SUSPENDED),
            "承诺已暂停",
        ),
        (lambda: make_merchant(registry_status=Merchant.RegistryStatus.PENDING), "承诺尚未生效"),
    ],
)
def test_a_merchant_not_in_force_gets_a_notice_instead_of_a_poster(client, make, reason):
    merchant = make()
    code = merchant.current_code.code

    response = client.get(reverse("merchants:poster", args=[code]))

    assert response.status_code == 409
    page = response.content.decode()
    assert "此商家目前不能打印承诺海报" in page
    assert reason in page
    assert "<svg" not in page and "toolbar__print" not in page
    assert "王建国" not in page and "13807311234" not in page


# --- bulk export --------------------------------------------------------------------------


def read_index(path):
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs for Chinese
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))


def test_export_qr_writes_png_and_svg_per_merchant_of_the_region_only(tmp_path, portal_url):
    yuelu = make_merchant(registered_name="长沙市岳麓区麓谷优选超市有限公司", region="430104")
    kaifu = make_merchant(
        registered_name="长沙市开福区湘江源服装店",
        shop_name="",
        region="430105",
        registry_status=Merchant.RegistryStatus.REMOVED,
    )
    retired = make_merchant(registered_name="长沙市雨花区旧码商行", region="430111")
    retired_old = retired.current_code
    retired_new = retired_old.retire("海报被复制到其他门店")
    zhuzhou = make_merchant(registered_name="株洲市芦淞区服饰城商户", region="430203")
    out = tmp_path / "changsha"
    stdout = io.StringIO()

    call_command("export_qr", "--region", "430100", "--out", str(out), stdout=stdout)

    codes = {m.current_code.code for m in (yuelu, kaifu)} | {retired_new.code}
    assert {p.name for p in out.iterdir()} == (
        {f"{c}.png" for c in codes} | {f"{c}.svg" for c in codes} | {"index.csv"}
    )
    assert zhuzhou.current_code.code not in "".join(p.name for p in out.iterdir())
    assert not (out / f"{retired_old.code}.png").exists()
    rows = {row["公示码"]: row for row in read_index(out / "index.csv")}
    assert rows.keys() == codes
    row = rows[yuelu.current_code.code]
    assert row["统一社会信用代码"] == yuelu.credit_code
    assert row["经营者名称"] == "长沙市岳麓区麓谷优选超市有限公司"
    assert row["门店名称"] == "麓谷优选超市(麓谷店)"
    assert row["行政区划"] == "湖南省长沙市岳麓区"
    assert row["扫码网址"] == f"{BASE_URL}/m/{yuelu.current_code.code}/"
    assert row["状态"] == "承诺有效"
    assert rows[kaifu.current_code.code]["状态"] == "已摘牌"
    image = Image.open(out / row["PNG文件"])
    assert decode(image) == [(row["扫码网址"], "Q")]
    svg = (out / row["SVG文件"]).read_text(encoding="utf-8")
    assert matrix_from_svg(svg) == qr.qr_matrix(row["扫码网址"])
    index_text = (out / "index.csv").read_text(encoding="utf-8-sig")
    assert "王建国" not in index_text and "13807311234" not in index_text
    assert "已导出 3 户商家的二维码" in stdout.getvalue()


def test_every_exported_code_scans_to_its_merchant_on_two_workers(tmp_path, portal_url):
    names = [
        "长沙市岳麓区麓谷优选超市有限公司",
        "长沙市天心区坡子街湘味食府有限公司",
        "长沙市开福区湘江源服装店",
        "长沙市雨花区高桥家电城",
        "长沙市芙蓉区五一广场眼镜店",
    ]
    merchants = [make_merchant(registered_name=name, region="430104") for name in names]

    result = qr_export.export(tmp_path, region="430104", workers=2, chunk=2)

    assert result.count == len(merchants)
    rows = read_index(tmp_path / "index.csv")
    assert [row["经营者名称"] for row in rows] == [
        m.registered_name for m in sorted(merchants, key=lambda m: m.credit_code)
    ]
    for row in rows:
        url = row["扫码网址"]
        assert url == f"{BASE_URL}/m/{row['公示码']}/"
        assert decode(Image.open(tmp_path / row["PNG文件"])) == [(url, "Q")]
        svg = (tmp_path / row["SVG文件"]).read_text(encoding="utf-8")
        assert f"<title>{url}</title>" in svg
        assert matrix_from_svg(svg) == reference_matrix(url)


def test_export_qr_by_district_in_one_process(tmp_path):
    wuyi = make_district("五一商圈", region="430102")
    inside = make_merchant(
        registered_name="长沙市芙蓉区五一广场百货", region="430102", district=wuyi
    )
    make_merchant(registered_name="长沙市芙蓉区商圈外小店", region="430102")

    call_command(
        "export_qr",
        "--district",
        str(wuyi.pk),
        "--out",
        str(tmp_path),
        "--workers",
        "1",
        stdout=io.StringIO(),
    )

    code = inside.current_code.code
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [f"{code}.png", f"{code}.svg", "index.csv"]
    )


def test_export_qr_needs_a_scope(tmp_path):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="--region 或 --district"):
        call_command("export_qr", "--out", str(tmp_path))


def test_admin_downloads_a_zip_of_the_region(admin_client, portal_url):
    merchant = make_merchant(region="430104")
    make_merchant(registered_name="株洲市芦淞区服饰城商户", region="430203")
    url = reverse("merchants_qr_export")
    page = admin_client.get(url).content.decode()
    assert "批量导出二维码" in page and "长沙市（全市）" in page and "岳麓区" in page

    response = admin_client.post(url, {"region": "430104"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert 'filename="qr-430104.zip"' in response["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    code = merchant.current_code.code
    assert sorted(archive.namelist()) == sorted([f"{code}.png", f"{code}.svg", "index.csv"])
    assert archive.read("index.csv").startswith(b"\xef\xbb\xbf")
    image = Image.open(io.BytesIO(archive.read(f"{code}.png")))
    assert decode(image) == [(f"{BASE_URL}/m/{code}/", "Q")]


def test_admin_export_explains_an_empty_or_missing_choice(admin_client):
    url = reverse("merchants_qr_export")

    assert "请在行政区划和商圈中选择一项" in admin_client.post(url, {}).content.decode()
    assert (
        "所选范围内没有可导出二维码的商家"
        in admin_client.post(url, {"region": "431300"}).content.decode()
    )


def test_admin_export_is_refused_to_the_public_and_to_staff_without_permission(
    client, django_user_model
):
    url = reverse("merchants_qr_export")
    assert client.post(url, {"region": "430104"}).status_code == 302  # to the admin login

    viewer = django_user_model.objects.create_user("reader", password="pw-for-tests-only")
    viewer.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(viewer)
    refused = client.get(url)
    assert refused.status_code == 403
    assert "你没有导出商家二维码的权限" in refused.content.decode()
    assert client.post(url, {"region": "430104"}).status_code == 403

    editors = Group.objects.create(name="商家登记员")
    editors.permissions.add(Permission.objects.get(codename="change_merchant"))
    viewer.groups.add(editors)
    assert client.get(url).status_code == 200
