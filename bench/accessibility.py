"""axe-core over every public page type at 390 and 1280 px, in headless Chromium; screenshots.

Usage: .venv/bin/python bench/accessibility.py [--db /tmp/fangxin-a11y.sqlite3] [--fresh]
                                               [--shots /tmp/shots] [--no-shots] [--json]

Needs Chromium (Debian: ``apt install chromium fonts-wqy-microhei``) and Node with npm: axe-core 4
and playwright-core are installed by npm into a folder outside the repository
(``--node-modules``, default /tmp/fangxin-a11y-node), never vendored. Builds the demo database
when it does not exist (or with --fresh: migrate and load_demo), serves it with runserver on a free
port, finds one page of every page type in the tree and every public view (directory, district,
scan page, poster, complaint search and record, merchant record, statistics, site map, API
documentation, search, the 404 pages), runs axe (WCAG 2.1 A/AA and best practices) on each at
both widths and prints the violations per page, and any element that makes a page scroll
sideways. Exits 1 when there is a violation. Screenshots go to --shots: the statistics page, a
poster (with the page count and size of its printed PDF), an article page and the footer.
"""

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.report import Report, add_json_option  # noqa: E402

WIDTHS = [390, 1280]
NODE_PACKAGES = ["axe-core@4", "playwright-core@1"]
CHROMIUM_NAMES = ["chromium", "chromium-browser", "google-chrome"]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def node_modules(folder):
    """The folder holding axe-core and playwright-core, installed by npm when missing."""
    folder = Path(folder)
    if (
        not (folder / "node_modules" / "axe-core").exists()
        or not (folder / "node_modules" / "playwright-core").exists()
    ):
        folder.mkdir(parents=True, exist_ok=True)
        if not (folder / "package.json").exists():
            (folder / "package.json").write_text('{"private": true}\n')
        subprocess.run(
            ["npm", "install", "--no-audit", "--no-fund", *NODE_PACKAGES], cwd=folder, check=True
        )
    return folder / "node_modules"


def build_database(env, fresh):
    path = Path(env["SQLITE_PATH"])
    if fresh or not path.exists():
        manage = [sys.executable, "manage.py"]
        subprocess.run([*manage, "migrate", "-v", "0"], cwd=ROOT, env=env, check=True)
        subprocess.run([*manage, "load_demo"], cwd=ROOT, env=env, check=True)


def page_urls():
    """(name, path) of one public page of each type, and of every public view."""
    import django

    django.setup()
    from django.urls import NoReverseMatch, reverse
    from django.utils import timezone
    from wagtail.models import Page

    from disclosures.models import Disclosure
    from merchants.models import BusinessDistrict, Merchant, MerchantCode, PublicStatus

    found = []
    seen_types = set()
    for page in Page.objects.live().public().filter(depth__gt=1).specific().order_by("path"):
        label = page._meta.label_lower
        if label not in seen_types:
            seen_types.add(label)
            found.append((label, page.url))

    today = timezone.localdate()
    in_force = next(
        m
        for m in Merchant.objects.public().order_by("pk")
        if m.public_status(today) == PublicStatus.IN_FORCE
    )
    code = MerchantCode.objects.filter(merchant=in_force, retired_at__isnull=True).first().code
    retired = MerchantCode.objects.filter(retired_at__isnull=False).first()
    record = Disclosure.objects.public().exclude(credit_code="").order_by("pk").first()
    district = BusinessDistrict.objects.order_by("pk").first()
    found += [
        ("search", reverse("search") + "?q=退货"),
        ("merchant directory", reverse("merchants:directory")),
        ("merchant directory search", reverse("merchants:directory") + "?q=超市"),
        ("scan page", reverse("merchants:scan", args=[code])),
        ("scan page, unknown code", reverse("merchants:scan", args=["ZZZZZZZZ"])),
        ("poster", reverse("merchants:poster", args=[code])),
        ("complaint search", reverse("disclosures:search") + "?q=退货"),
        ("merchant record", reverse("disclosures:merchant", args=[record.credit_code])),
        ("statistics", reverse("disclosures:stats")),
        ("site map", reverse("sitemap_page")),
        ("API documentation", reverse("api:docs")),
        ("page not found", "/no-such-page/"),
    ]
    if district:
        found.append(("district", reverse("merchants:district", args=[district.pk])))
    if retired:
        found.append(("scan page, retired code", reverse("merchants:scan", args=[retired.code])))
    try:  # the complaint's own page, where this version has one
        found.append(
            ("complaint record", reverse("disclosures:record", args=[record.complaint_number]))
        )
    except (NoReverseMatch, AttributeError):
        pass
    return found


def wait_for(url, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except urllib.error.HTTPError:  # an answer all the same
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"the server did not answer at {url}")


def audit_figures(figures, results, failures):
    """The totals, and each page view's problems by name (``page[scan page@390]``)."""
    figures.add("page_views", len(results), "pages")
    figures.add("problems", failures, "problems", 0, "==")
    for result in results:
        overflow = result["overflow"]
        wide = overflow["scrollWidth"] > overflow["width"]
        name = f"page[{result['name']}@{result['width']}]"
        figures.add(f"{name}.problems", len(result["violations"]) + wide, "problems", 0, "==")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="/tmp/fangxin-a11y.sqlite3")
    parser.add_argument("--fresh", action="store_true", help="migrate and load_demo again")
    parser.add_argument("--node-modules", default="/tmp/fangxin-a11y-node")
    parser.add_argument("--shots", default="/tmp/shots")
    parser.add_argument("--no-shots", action="store_true")
    add_json_option(parser)
    args = parser.parse_args()

    chromium = next((shutil.which(name) for name in CHROMIUM_NAMES if shutil.which(name)), None)
    if not chromium or not shutil.which("node"):
        raise SystemExit("needs Chromium and Node (apt install chromium fonts-wqy-microhei nodejs)")
    modules = node_modules(args.node_modules)

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    # The dev settings with DEBUG off: the pages visitors get (the site's own 404, not Django's
    # debug page); WhiteNoise still serves the static files from the app folders.
    settings_dir = Path(tempfile.mkdtemp(prefix="fangxin-a11y-"))
    (settings_dir / "a11y_settings.py").write_text(
        "from portal.settings.dev import *  # noqa: F403\nDEBUG = False\n"
    )
    sys.path.insert(0, str(settings_dir))
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(settings_dir), str(ROOT)]),
        "DJANGO_SETTINGS_MODULE": "a11y_settings",
        "SQLITE_PATH": args.db,
        "PORTAL_BASE_URL": base,
        "LOG_LEVEL": "WARNING",
    }
    env.pop("DATABASE_URL", None)
    build_database(env, args.fresh)
    os.environ.update({k: env[k] for k in ("DJANGO_SETTINGS_MODULE", "SQLITE_PATH")})
    os.environ.pop("DATABASE_URL", None)
    pages = page_urls()

    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(base + "/healthz")
        shots = []
        if not args.no_shots:
            Path(args.shots).mkdir(parents=True, exist_ok=True)
            named = dict(pages)
            article = named.get("editorial.casepage") or named.get("editorial.alertpage")
            for width in WIDTHS:
                shots += [
                    {"name": "statistics", "url": base + named["statistics"], "width": width},
                    {"name": "poster", "url": base + named["poster"], "width": width, "pdf": True},
                    {"name": "article", "url": base + article, "width": width},
                    {"name": "footer", "url": base + "/", "width": width, "selector": "footer"},
                ]
            for shot in shots:
                shot["path"] = f"{args.shots}/{shot['name']}-{shot['width']}.png"
        job = {
            "chromium": chromium,
            "node_modules": str(modules),
            "widths": WIDTHS,
            "pages": [{"name": name, "url": base + path} for name, path in pages],
            "shots": shots,
        }
        runner = ROOT / "bench" / "accessibility_runner.mjs"
        done = subprocess.run(
            ["node", str(runner)], input=json.dumps(job), capture_output=True, text=True
        )
        if done.returncode:
            raise SystemExit(done.stderr)
        report = json.loads(done.stdout)
    finally:
        server.terminate()
        server.wait()
        shutil.rmtree(settings_dir, ignore_errors=True)

    failures = 0
    for result in report["results"]:
        path = result["url"].removeprefix(base)
        overflow = result["overflow"]
        wide = overflow["scrollWidth"] > overflow["width"]
        mark = "ok" if not result["violations"] and not wide else "FAIL"
        print(f"{mark:4} {result['width']:>4}px {result['status']} {result['name']}: {path}")
        for violation in result["violations"]:
            failures += 1
            print(f"       {violation['impact']}: {violation['id']}: {violation['help']}")
            for node in violation["nodes"]:
                print(f"         {node['target']}")
        if wide:
            failures += 1
            print(f"       scrolls sideways: {overflow['scrollWidth']} px > {overflow['width']} px")
            for element in overflow["wide"]:
                print(f"         {element}")
    for shot in report["shots"]:
        extra = ""
        if "pdf_pages" in shot:
            extra = f" (printed: {shot['pdf_pages']} page(s) of {shot['pdf_points']} pt)"
        print(f"screenshot {shot['path']}{extra}")
    pages_checked = len(report["results"])
    print(f"{pages_checked} page views, {failures} problem(s)")
    figures = Report("accessibility", widths=WIDTHS)
    audit_figures(figures, report["results"], failures)
    figures.emit(args.json)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
