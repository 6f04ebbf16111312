"""The shared StreamField blocks every editorial page body is built from.

A small fixed set keeps pages consistent and every block accessible: images require alt text
through their caption or the image title, tables have a caption and header row.
"""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock


class ImageWithCaptionBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("图片"))
    alt_text = blocks.CharBlock(
        label=_("替代文字"),
        max_length=200,
        required=False,
        help_text=_("为视障读者描述图片内容；留空则使用图片标题"),
    )
    caption = blocks.CharBlock(label=_("图注"), required=False, max_length=250)

    class Meta:
        icon = "image"
        label = _("图片")
        template = "blocks/image_with_caption_block.html"


class CaptionedTableBlock(blocks.StructBlock):
    caption = blocks.CharBlock(label=_("表格标题"), max_length=200)
    table = TableBlock(
        label=_("表格"),
        table_options={"startRows": 3, "startCols": 3, "language": "zh-CN"},
    )
    source = blocks.CharBlock(label=_("数据来源"), required=False, max_length=200)

    class Meta:
        icon = "table"
        label = _("表格")
        template = "blocks/table_block.html"


class KeyFigureBlock(blocks.StructBlock):
    value = blocks.CharBlock(label=_("数值"), max_length=30, help_text=_("如 23.59、98.85"))
    unit = blocks.CharBlock(label=_("单位"), max_length=20, required=False)
    label = blocks.CharBlock(label=_("说明"), max_length=60)

    class Meta:
        icon = "pick"
        label = _("关键数据")


class KeyFiguresBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("标题"), required=False, max_length=100)
    figures = blocks.ListBlock(KeyFigureBlock(), label=_("数据项"), min_num=1, max_num=8)

    class Meta:
        icon = "order"
        label = _("关键数据行")
        template = "blocks/key_figures_block.html"


class DocumentLinkBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("文件"))
    title = blocks.CharBlock(
        label=_("链接文字"), required=False, max_length=200, help_text=_("留空则使用文件标题")
    )
    description = blocks.CharBlock(label=_("简要说明"), required=False, max_length=250)

    class Meta:
        icon = "doc-full"
        label = _("文件下载")
        template = "blocks/document_link_block.html"


class QuestionAnswerBlock(blocks.StructBlock):
    question = blocks.CharBlock(label=_("问题"), max_length=200)
    answer = blocks.RichTextBlock(label=_("解答"), features=["bold", "link", "ol", "ul"])

    class Meta:
        icon = "help"
        label = _("问答")


class FAQBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("标题"), required=False, max_length=100)
    items = blocks.ListBlock(QuestionAnswerBlock(), label=_("问答"), min_num=1)

    class Meta:
        icon = "help"
        label = _("常见问题")
        template = "blocks/faq_block.html"


RICH_TEXT_FEATURES = ["h2", "h3", "h4", "bold", "italic", "ol", "ul", "link", "document-link", "hr"]


class BaseStreamBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(
        label=_("正文"), features=RICH_TEXT_FEATURES, template="blocks/paragraph_block.html"
    )
    image = ImageWithCaptionBlock()
    table = CaptionedTableBlock()
    key_figures = KeyFiguresBlock()
    document = DocumentLinkBlock()
    faq = FAQBlock()

    class Meta:
        label = _("正文内容")
