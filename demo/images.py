"""Banner illustrations drawn locally with Pillow, registered as Wagtail images.

No downloads and no text in the pictures: abstract shapes in the bureau's palette (deep blue, red
accents, warm neutrals), 1200×630 like an Open Graph card. Each image is found again by its title,
so running the loader twice does not duplicate it.
"""

import io
import math
import random

from django.core.files.images import ImageFile
from PIL import Image as PILImage
from PIL import ImageChops, ImageDraw

WIDTH, HEIGHT = 1200, 630
SCALE = 2  # drawn at twice the size and reduced, which smooths the edges

BLUE = (11, 79, 156)
NAVY = (6, 42, 92)
SKY = (120, 170, 222)
PALE = (222, 234, 246)
RED = (200, 16, 46)
WARM = (247, 242, 233)
SAND = (232, 219, 196)
GOLD = (222, 170, 64)
WHITE = (255, 255, 255)
INK = (40, 52, 70)


def _gradient(top_left, bottom_right):
    """A diagonal two-colour gradient filling the final canvas (smooth already, no need to
    draw it at the larger size)."""
    size = (WIDTH, HEIGHT)
    vertical = PILImage.linear_gradient("L").resize(size)
    horizontal = PILImage.linear_gradient("L").rotate(90).transpose(PILImage.FLIP_LEFT_RIGHT)
    mask = ImageChops.add(
        horizontal.resize(size).point(lambda p: p * 0.6), vertical.point(lambda p: p * 0.4)
    )
    start = PILImage.new("RGB", size, top_left)
    end = PILImage.new("RGB", size, bottom_right)
    return PILImage.composite(end, start, mask)


def _decorate(draw, seed, light):
    """Soft circles and a dotted grid on the left, so the pictogram on the right stands out."""
    rng = random.Random(seed)
    tint = (255, 255, 255, 26) if light else (11, 79, 156, 22)
    for _ in range(5):
        radius = rng.randint(90, 320)
        x = rng.randint(-120, 1100)
        y = rng.randint(-120, HEIGHT * SCALE + 120)
        draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=tint)
    dot = (255, 255, 255, 60) if light else (11, 79, 156, 55)
    for row in range(6):
        for col in range(8):
            x, y = 140 + col * 56, 860 + row * 56
            draw.ellipse((x - 5, y - 5, x + 5, y + 5), fill=dot)
    # A red accent bar, like the rule under a headline.
    draw.rounded_rectangle((140, 300, 500, 324), radius=12, fill=RED + (235,))
    draw.rounded_rectangle(
        (140, 370, 760, 390), radius=10, fill=(255, 255, 255, 90) if light else INK + (40,)
    )
    draw.rounded_rectangle(
        (140, 420, 660, 440), radius=10, fill=(255, 255, 255, 70) if light else INK + (30,)
    )


def _check(draw, cx, cy, size, fill, width):
    draw.line(
        [(cx - size, cy), (cx - size * 0.3, cy + size * 0.7), (cx + size, cy - size * 0.8)],
        fill=fill,
        width=width,
        joint="curve",
    )


def draw_shield(layer, draw, cx, cy):
    s = 300
    outer = [(-1, -0.85), (0, -1.12), (1, -0.85), (1, 0.1), (0, 1.15), (-1, 0.1)]
    draw.polygon([(cx + x * s, cy + y * s) for x, y in outer], fill=WHITE)
    inner = [(x * 0.78, y * 0.78 + 0.02) for x, y in outer]
    draw.polygon([(cx + x * s, cy + y * s) for x, y in inner], fill=RED)
    _check(draw, cx, cy - 10, 120, WHITE, 44)


def draw_bag(layer, draw, cx, cy):
    draw.arc((cx - 140, cy - 330, cx + 140, cy - 50), 180, 360, fill=NAVY, width=34)
    draw.polygon(
        [(cx - 260, cy - 190), (cx + 260, cy - 190), (cx + 300, cy + 300), (cx - 300, cy + 300)],
        fill=WHITE,
    )
    draw.rectangle((cx - 260, cy - 190, cx + 260, cy - 150), fill=SAND)
    # A circular "return" arrow on the bag.
    r = 120
    box = (cx - r, cy - r + 70, cx + r, cy + r + 70)
    draw.arc(box, 40, 320, fill=RED, width=34)
    tip_x = cx + r * math.cos(math.radians(40))
    tip_y = cy + 70 + r * math.sin(math.radians(40))
    draw.polygon(
        [(tip_x - 55, tip_y - 5), (tip_x + 45, tip_y - 25), (tip_x + 10, tip_y + 70)], fill=RED
    )


def draw_receipt(layer, draw, cx, cy):
    left, right, top, bottom = cx - 200, cx + 160, cy - 320, cy + 250
    teeth = [(left, top), (right, top), (right, bottom)]
    step = (right - left) / 8
    for i in range(8):
        x = right - step * (i + 0.5)
        teeth += [(x, bottom + 34), (right - step * (i + 1), bottom)]
    draw.polygon(teeth, fill=WHITE)
    for i, length in enumerate([250, 190, 230, 150, 210]):
        y = top + 90 + i * 70
        draw.rounded_rectangle((left + 50, y, left + 50 + length, y + 22), radius=11, fill=PALE)
    draw.rounded_rectangle((left + 50, bottom - 90, right - 50, bottom - 60), radius=12, fill=SKY)
    # A price tag hanging over the corner.
    tag = PILImage.new("RGBA", (360, 220), (0, 0, 0, 0))
    tag_draw = ImageDraw.Draw(tag)
    tag_draw.polygon([(0, 110), (70, 10), (350, 10), (350, 210), (70, 210)], fill=RED)
    tag_draw.ellipse((60, 90, 100, 130), fill=WHITE)
    tag_draw.rounded_rectangle((140, 80, 310, 104), radius=12, fill=WHITE)
    tag_draw.rounded_rectangle((140, 130, 260, 154), radius=12, fill=(255, 255, 255, 170))
    tag = tag.rotate(-28, expand=True, resample=PILImage.BICUBIC)
    layer.paste(tag, (int(cx + 20), int(cy - 40)), tag)


def draw_phone(layer, draw, cx, cy):
    draw.rounded_rectangle((cx - 190, cy - 340, cx + 190, cy + 340), radius=56, fill=NAVY)
    draw.rounded_rectangle((cx - 160, cy - 290, cx + 160, cy + 280), radius=24, fill=WHITE)
    draw.rounded_rectangle((cx - 40, cy - 322, cx + 40, cy - 306), radius=8, fill=SKY)
    # A code-like pattern: three finder squares and a deterministic scatter of modules.
    origin_x, origin_y, cell = cx - 126, cy - 200, 36
    for fx, fy in [(0, 0), (5, 0), (0, 5)]:
        x0, y0 = origin_x + fx * cell, origin_y + fy * cell
        draw.rectangle((x0, y0, x0 + 2 * cell, y0 + 2 * cell), fill=NAVY)
        draw.rectangle((x0 + 14, y0 + 14, x0 + 2 * cell - 14, y0 + 2 * cell - 14), fill=WHITE)
    rng = random.Random(12315)
    for gx in range(7):
        for gy in range(7):
            if (gx < 2 and gy < 2) or (gx > 4 and gy < 2) or (gx < 2 and gy > 4):
                continue
            if rng.random() < 0.5:
                x0, y0 = origin_x + gx * cell, origin_y + gy * cell
                draw.rectangle((x0 + 3, y0 + 3, x0 + cell - 3, y0 + cell - 3), fill=BLUE)
    draw.rounded_rectangle((cx - 120, cy + 140, cx + 120, cy + 200), radius=30, fill=RED)


def draw_card(layer, draw, cx, cy):
    draw.rounded_rectangle((cx - 330, cy - 250, cx + 200, cy + 80), radius=36, fill=SKY)
    draw.rounded_rectangle((cx - 260, cy - 150, cx + 290, cy + 190), radius=36, fill=WHITE)
    draw.rectangle((cx - 260, cy - 80, cx + 290, cy - 30), fill=NAVY)
    draw.rounded_rectangle((cx - 210, cy + 10, cx - 110, cy + 80), radius=12, fill=GOLD)
    draw.rounded_rectangle((cx - 210, cy + 120, cx + 40, cy + 144), radius=12, fill=PALE)
    # A padlock: money paid in advance must stay safe.
    draw.arc((cx + 150, cy + 40, cx + 330, cy + 220), 180, 360, fill=RED, width=30)
    draw.rounded_rectangle((cx + 120, cy + 120, cx + 360, cy + 320), radius=26, fill=RED)
    draw.ellipse((cx + 222, cy + 190, cx + 258, cy + 226), fill=WHITE)
    draw.rectangle((cx + 232, cy + 215, cx + 248, cy + 270), fill=WHITE)


def draw_megaphone(layer, draw, cx, cy):
    draw.polygon(
        [(cx - 240, cy - 70), (cx + 120, cy - 250), (cx + 120, cy + 250), (cx - 240, cy + 70)],
        fill=WHITE,
    )
    draw.rounded_rectangle((cx - 320, cy - 90, cx - 220, cy + 90), radius=20, fill=RED)
    draw.polygon(
        [(cx - 200, cy + 70), (cx - 110, cy + 70), (cx - 60, cy + 250), (cx - 150, cy + 250)],
        fill=SAND,
    )
    for i, radius in enumerate([110, 190, 270]):
        box = (cx + 120 - radius, cy - radius, cx + 120 + radius, cy + radius)
        draw.arc(box, -40, 40, fill=WHITE if i else RED, width=26)


def draw_calendar(layer, draw, cx, cy):
    draw.rounded_rectangle((cx - 290, cy - 260, cx + 290, cy + 300), radius=40, fill=WHITE)
    draw.rounded_rectangle((cx - 290, cy - 260, cx + 290, cy - 120), radius=40, fill=RED)
    draw.rectangle((cx - 290, cy - 160, cx + 290, cy - 120), fill=RED)
    for x in (cx - 150, cx + 150):
        draw.rounded_rectangle((x - 18, cy - 310, x + 18, cy - 210), radius=18, fill=NAVY)
    for row in range(4):
        for col in range(5):
            x0 = cx - 240 + col * 98
            y0 = cy - 80 + row * 92
            highlighted = (row, col) == (2, 2)
            fill = RED if highlighted else PALE
            if highlighted:
                draw.ellipse((x0 - 6, y0 - 10, x0 + 82, y0 + 78), fill=fill)
            else:
                draw.rounded_rectangle((x0, y0, x0 + 70, y0 + 62), radius=10, fill=fill)


def draw_chart(layer, draw, cx, cy):
    draw.rounded_rectangle((cx - 340, cy - 300, cx + 340, cy + 300), radius=36, fill=WHITE)
    base = cy + 220
    heights = [150, 230, 190, 300, 260, 380]
    for i, h in enumerate(heights):
        x0 = cx - 270 + i * 92
        draw.rounded_rectangle(
            (x0, base - h, x0 + 60, base), radius=10, fill=RED if i == 5 else SKY
        )
    draw.line([(cx - 290, base + 6), (cx + 290, base + 6)], fill=INK, width=8)
    points = [(cx - 240 + i * 92, base - h - 50) for i, h in enumerate(heights)]
    draw.line(points, fill=NAVY, width=12, joint="curve")
    for x, y in points:
        draw.ellipse((x - 16, y - 16, x + 16, y + 16), fill=NAVY)


def draw_food(layer, draw, cx, cy):
    draw.ellipse((cx - 330, cy + 40, cx + 330, cy + 170), fill=SAND)
    draw.chord((cx - 280, cy - 200, cx + 280, cy + 180), 0, 180, fill=WHITE)
    draw.rectangle((cx - 280, cy - 12, cx + 280, cy + 12), fill=WHITE)
    draw.chord((cx - 250, cy - 120, cx + 250, cy + 60), 180, 360, fill=GOLD)
    draw.rounded_rectangle((cx - 120, cy + 150, cx + 120, cy + 180), radius=14, fill=WHITE)
    for i in range(3):
        x = cx - 120 + i * 120
        points = [(x + 24 * math.sin(t / 3), cy - 140 - t * 12) for t in range(0, 16)]
        draw.line(points, fill=(255, 255, 255, 200), width=18, joint="curve")
    draw.line([(cx + 150, cy - 330), (cx + 330, cy - 40)], fill=RED, width=22)
    draw.line([(cx + 200, cy - 350), (cx + 370, cy - 70)], fill=RED, width=22)


def draw_storefront(layer, draw, cx, cy):
    draw.rectangle((cx - 300, cy - 120, cx + 300, cy + 300), fill=WHITE)
    stripes = 6
    width = 600 / stripes
    for i in range(stripes):
        x0 = cx - 300 + i * width
        draw.polygon(
            [(x0, cy - 120), (x0 + width, cy - 120), (x0 + width, cy - 60), (x0, cy - 60)],
            fill=RED if i % 2 == 0 else WARM,
        )
        draw.chord((x0, cy - 100, x0 + width, cy - 20), 0, 180, fill=RED if i % 2 == 0 else WARM)
    draw.polygon(
        [(cx - 330, cy - 120), (cx - 300, cy - 230), (cx + 300, cy - 230), (cx + 330, cy - 120)],
        fill=NAVY,
    )
    draw.rectangle((cx - 60, cy + 80, cx + 60, cy + 300), fill=SKY)
    for x in (cx - 240, cx + 110):
        draw.rectangle((x, cy + 40, x + 130, cy + 170), fill=PALE)
    draw.rectangle((cx - 360, cy + 300, cx + 360, cy + 330), fill=SAND)
    # A round badge: this shop made the 放心消费 pledge.
    draw.ellipse((cx + 180, cy - 340, cx + 340, cy - 180), fill=RED)
    _check(draw, cx + 260, cy - 262, 40, WHITE, 18)


def draw_pills(layer, draw, cx, cy):
    draw.rounded_rectangle((cx - 260, cy - 170, cx - 20, cy + 300), radius=40, fill=WHITE)
    draw.rounded_rectangle((cx - 240, cy - 250, cx - 40, cy - 160), radius=20, fill=NAVY)
    draw.rounded_rectangle((cx - 220, cy - 20, cx - 60, cy + 150), radius=16, fill=PALE)
    draw.rectangle((cx - 155, cy + 20, cx - 125, cy + 110), fill=RED)
    draw.rectangle((cx - 185, cy + 50, cx - 95, cy + 80), fill=RED)
    capsule = PILImage.new("RGBA", (420, 160), (0, 0, 0, 0))
    cap_draw = ImageDraw.Draw(capsule)
    cap_draw.rounded_rectangle((0, 0, 420, 160), radius=80, fill=WHITE)
    cap_draw.rounded_rectangle((210, 0, 420, 160), radius=80, fill=RED)
    cap_draw.rectangle((210, 0, 290, 160), fill=RED)
    capsule = capsule.rotate(35, expand=True, resample=PILImage.BICUBIC)
    layer.paste(capsule, (int(cx + 10), int(cy - 120)), capsule)
    # A warning sign: beware of "cures" sold at free health talks.
    draw.polygon([(cx + 240, cy + 110), (cx + 370, cy + 330), (cx + 110, cy + 330)], fill=GOLD)
    draw.rounded_rectangle((cx + 228, cy + 175, cx + 252, cy + 270), radius=10, fill=INK)
    draw.ellipse((cx + 226, cy + 286, cx + 254, cy + 314), fill=INK)


def draw_parcel(layer, draw, cx, cy):
    top = [(cx, cy - 300), (cx + 300, cy - 160), (cx, cy - 20), (cx - 300, cy - 160)]
    left = [(cx - 300, cy - 160), (cx, cy - 20), (cx, cy + 320), (cx - 300, cy + 180)]
    right = [(cx + 300, cy - 160), (cx, cy - 20), (cx, cy + 320), (cx + 300, cy + 180)]
    draw.polygon(top, fill=WARM)
    draw.polygon(left, fill=SAND)
    draw.polygon(right, fill=(214, 196, 166))
    draw.polygon(
        [(cx - 150, cy - 230), (cx - 90, cy - 258), (cx + 210, cy - 118), (cx + 150, cy - 90)],
        fill=RED,
    )
    draw.polygon(
        [(cx + 150, cy - 90), (cx + 210, cy - 118), (cx + 210, cy + 40), (cx + 150, cy + 68)],
        fill=RED,
    )
    draw.ellipse((cx + 160, cy + 120, cx + 380, cy + 340), fill=BLUE)
    _check(draw, cx + 270, cy + 230, 52, WHITE, 22)


# key: (title, description used as alt text, drawing, background from, background to, light)
IMAGES = {
    "shield": (
        "盾牌与对勾",
        "深蓝色背景上的白色盾牌，盾牌中央是红底白色对勾，象征守护消费者权益",
        draw_shield,
        NAVY,
        BLUE,
        True,
    ),
    "bag": (
        "购物袋与退货箭头",
        "暖白色背景上的白色购物袋，袋身印有红色环形箭头，寓意无理由退货",
        draw_bag,
        WARM,
        SAND,
        False,
    ),
    "receipt": (
        "购物小票与价签",
        "浅蓝色背景上的一张购物小票和一枚红色价签，寓意明码标价",
        draw_receipt,
        BLUE,
        SKY,
        True,
    ),
    "phone": (
        "手机扫码",
        "深蓝色背景上的一部手机，屏幕显示二维码图案，寓意一企一码扫码查询",
        draw_phone,
        BLUE,
        NAVY,
        True,
    ),
    "card": (
        "预付卡与锁",
        "浅米色背景上的两张会员卡和一把红色挂锁，寓意守护预付资金安全",
        draw_card,
        WARM,
        PALE,
        False,
    ),
    "megaphone": (
        "宣传喇叭",
        "蓝色背景上的白色喇叭和声波弧线，寓意发布消费提示",
        draw_megaphone,
        BLUE,
        (24, 104, 186),
        True,
    ),
    "calendar": (
        "日历上的15日",
        "深蓝色背景上的一页日历，其中一格用红色圆点标出，寓意3·15国际消费者权益日",
        draw_calendar,
        NAVY,
        (18, 66, 130),
        True,
    ),
    "chart": (
        "数据柱状图",
        "浅灰蓝背景上的柱状图和折线，最后一根柱子为红色，寓意投诉举报数据分析",
        draw_chart,
        PALE,
        (196, 214, 236),
        False,
    ),
    "food": (
        "碗筷与热气",
        "暖色背景上的一只碗、升起的热气和一双红色筷子，寓意餐饮和食品安全",
        draw_food,
        (246, 236, 220),
        SAND,
        False,
    ),
    "storefront": (
        "挂着承诺标志的店铺",
        "蓝色背景上的一间店铺，红白条纹遮阳篷，右上角有红色对勾徽章，寓意放心消费承诺单位",
        draw_storefront,
        (24, 92, 170),
        NAVY,
        True,
    ),
    "pills": (
        "药瓶胶囊与警示标志",
        "浅米色背景上的药瓶、胶囊和黄色警示三角，寓意警惕保健品虚假宣传",
        draw_pills,
        WARM,
        (238, 226, 206),
        False,
    ),
    "parcel": (
        "快递包裹",
        "浅蓝色背景上的快递纸箱，红色封箱胶带，右下角蓝色对勾徽章，寓意网购放心",
        draw_parcel,
        PALE,
        SKY,
        False,
    ),
}


def render(key):
    """The JPEG bytes of one illustration."""
    _title, _description, pictogram, start, end, light = IMAGES[key]
    overlay = PILImage.new("RGBA", (WIDTH * SCALE, HEIGHT * SCALE), (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    _decorate(draw, key, light)
    pictogram(overlay, draw, WIDTH * SCALE * 0.7, HEIGHT * SCALE * 0.52)
    overlay = overlay.resize((WIDTH, HEIGHT), PILImage.LANCZOS)
    canvas = _gradient(start, end).convert("RGBA")
    canvas = PILImage.alpha_composite(canvas, overlay).convert("RGB")
    buffer = io.BytesIO()
    canvas.save(buffer, "JPEG", quality=86, optimize=True, progressive=True)
    return buffer.getvalue()


def ensure_images(collection=None):
    """Create the missing illustrations; returns ``({key: Image}, number created)``."""
    from wagtail.images import get_image_model

    image_model = get_image_model()
    result, created = {}, 0
    for key, (title, description, *_rest) in IMAGES.items():
        existing = image_model.objects.filter(title=title).order_by("pk").first()
        if existing is None:
            file = ImageFile(io.BytesIO(render(key)), name=f"fangxin-demo-{key}.jpg")
            existing = image_model(title=title, description=description, file=file)
            if collection is not None:
                existing.collection = collection
            existing._set_image_file_metadata()
            existing.save()
            created += 1
        result[key] = existing
    return result, created
