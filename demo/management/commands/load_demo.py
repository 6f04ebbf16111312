"""``manage.py load_demo``: build a complete demo site after ``migrate``; safe to run again."""

import logging
import time
from contextlib import contextmanager

from django.core.management.base import BaseCommand, CommandError

from demo.loader import DemoError, load_demo

# Loggers that report every page save and background task at INFO: one line per page is noise here.
CHATTY_LOGGERS = ["wagtail", "django_tasks", "modelsearch"]


@contextmanager
def quiet_loggers(names):
    loggers = [logging.getLogger(name) for name in names]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


class Command(BaseCommand):
    help = (
        "生成演示数据：站点设置、栏目、消费提示、典型案例、新闻、报告、3·15专题、"
        "图片、文件、承诺商家、投诉公示和演示账号"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset-passwords",
            action="store_true",
            help="为已存在的演示账号重新生成随机密码并显示",
        )
        parser.add_argument(
            "--update",
            action="store_true",
            help="用演示数据覆盖已存在页面中被改动的内容（默认保留原样）",
        )

    def handle(self, *args, reset_passwords=False, update=False, **options):
        started = time.monotonic()
        self.stdout.write("正在生成演示数据……")
        chatty = CHATTY_LOGGERS if options["verbosity"] < 2 else []
        try:
            with quiet_loggers(chatty):
                load_demo(self.stdout.write, reset_passwords=reset_passwords, update=update)
        except DemoError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(f"演示数据已就绪，用时 {time.monotonic() - started:.1f} 秒")
        )
