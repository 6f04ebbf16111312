"""``manage.py complaint_deadlines``: issue the due 提醒卡, 催办卡 and 逾期升级 (cron, every few
minutes); each card once per deadline (``complaints.cards``)."""

import datetime
import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from complaints.cards import issue_due_cards
from complaints.models import Card
from complaints.publishing import publish_pending


def parse_now(text):
    moment = parse_datetime(text)
    if moment is None:
        try:
            moment = datetime.datetime.combine(datetime.date.fromisoformat(text), datetime.time())
        except ValueError:
            raise CommandError(f"无法识别的时间：{text}（示例：2026-10-08T09:30）") from None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


class Command(BaseCommand):
    help = (
        "发出到期的提醒卡、催办卡，并将逾期事项升级到上级单位（每张卡只发一次），邮件通知承办单位"
    )

    def add_arguments(self, parser):
        parser.add_argument("--now", help="按此时间计算（补发或测试用，如 2026-10-08T09:30）")
        parser.add_argument("--dry-run", action="store_true", help="只统计将发出的卡，不发出")
        parser.add_argument("--no-email", action="store_true", help="只在办理台发卡，不发邮件")

    def handle(self, *args, now=None, dry_run=False, no_email=False, **options):
        now = parse_now(now) if now else timezone.now()
        started = time.monotonic()
        summary = issue_due_cards(now, dry_run=dry_run, email=not no_email)
        seconds = time.monotonic() - started
        labels = dict(Card.Kind.choices)
        counts = "，".join(f"{labels[kind]} {n} 张" for kind, n in summary.issued.items())
        at = timezone.localtime(now).strftime("%Y-%m-%d %H:%M")
        if dry_run:
            self.stdout.write(f"试运行（{at}）：将发出 {counts}；未写入，未发邮件。")
            return
        self.stdout.write(f"{at}：已发出 {counts}。")
        if not no_email and summary.total:
            self.stdout.write(f"已发送邮件 {summary.emails_sent} 封。")
        if summary.units_without_email:
            names = "、".join(summary.units_without_email)
            self.stdout.write(f"未设提醒邮箱（仅在办理台显示）：{names}")
        if summary.email_failures:
            names = "、".join(summary.email_failures)
            self.stderr.write(f"邮件发送失败（卡已在办理台显示）：{names}")
        # A closing whose disclosure failed at the time (logged) is disclosed on a later run.
        made, failed = publish_pending()
        if made:
            self.stdout.write(f"补充公示已办结投诉 {made} 件。")
        for number, reason in failed:
            self.stderr.write(f"投诉 {number} 未能公示：{reason}")
        seconds = time.monotonic() - started
        self.stdout.write(self.style.SUCCESS(f"完成，用时 {seconds:.2f} 秒"))
