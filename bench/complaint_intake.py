"""Complaint intake under load: no complaint lost or made twice; then the deadline command at scale.

Usage: .venv/bin/python bench/complaint_intake.py [--submissions 2000] [--concurrency 50]
           [--workers 4] [--form-share 0.2] [--open-complaints 100000] [--keep]
           [--json]
       DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_complaints ... (PostgreSQL; the
       database is dropped and created again, so name a throw-away one)

In one run: a throw-away database (SQLite with WAL in a temporary directory, or DATABASE_URL)
is migrated; 200 pledge merchants, a city bureau and a county bureau for each of their
counties are created; gunicorn starts with production settings (phone verification off,
COMPLAINT_PHONE_VERIFICATION=0) and N workers on a free port. Then C concurrent submitters
(threads) make S submissions, each with its own phone number (so the 30-day repeat rule
links none) and its own key: through ``POST /api/v1/complaints`` with an Idempotency-Key, and
a share through the web form ``/m/<code>/complain/`` (its page fetched first for the CSRF
token and the form's one-time submission key). Some submissions are sent twice with the same
key, one after the other (a retry after a lost answer) or at the same moment (a double tap):
each must give one complaint and the same tracking number. Checks: 0 lost (every answered
tracking number is in the database), 0 duplicated (complaints == distinct keys), 0 5xx.
Prints p50/p95/p99 latency and throughput.

The per-address limits would mark (never drop) every submission from 127.0.0.1 after the first
few, and the API's write allowance would answer 429: the bench raises both (the policy's
submissions_per_address_per_hour, API_RATE_LIMIT) so that the figures measure the intake.

Then M open complaints are bulk-created with their open deadlines (``deadlines.due_times``,
the same rules as the workflow), submitted over the last 70 days so that many reminders,
urgings and escalations are due, and ``manage.py complaint_deadlines`` runs twice, timed
(e-mail to the local-memory backend): the second run must issue nothing new.
"""

import argparse
import datetime
import http.client
import http.cookiejar
import json
import os
import random
import re
import shutil
import statistics
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# Helpers of the scan page benchmark: merchants, gunicorn start and stop, free port.
from merchant_page import (  # noqa: E402
    COUNTIES,
    build_merchants,
    environment,
    free_port,
    redis_answers,
    start_gunicorn,
    stop,
    wait_until_up,
)

from bench.report import Report, add_json_option  # noqa: E402

ADDRESS_LIMIT = 30_000  # HandlingPolicy.submissions_per_address_per_hour (a small integer)
API_RATE_LIMIT = 1_000_000
TRACKING_RE = re.compile(r"FX\d{16}")
CONTENTS = [
    ("购买的熟食已过保质期，要求退货被拒。", "要求退货退款", "36.00"),
    ("货架标价与结算价格不一致，多收差价。", "要求退还多收的差价", "12.50"),
    ("新买的床垫有刺鼻气味，要求退货被拒。", "要求退货退款", "2680"),
    ("办理的健身预付卡，门店突然停业，剩余课时无法使用。", "要求退还剩余费用", "3200"),
    ("冰箱使用三个月出现故障，多次维修未解决。", "要求更换或退货", "4599"),
]


# --- the throw-away database -------------------------------------------------------------------


def recreate_postgres(url):
    """Drop and create the database DATABASE_URL names: every run starts from nothing."""
    import psycopg

    parts = urllib.parse.urlparse(url)
    name = parts.path.lstrip("/")
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", name) or name in ("postgres", "template1"):
        sys.exit(f"DATABASE_URL must name a throw-away database (got {name!r})")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def setup(env, merchants):
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command

    from complaints.models import HandlingPolicy, Unit
    from merchants.models import Region

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    codes = build_merchants(merchants)
    cities = {}
    for county in COUNTIES:
        region = Region.objects.get(code=county)
        city = region.parent
        if city.code not in cities:
            cities[city.code] = Unit.objects.create(
                name=f"{city.name}市场监督管理局",
                level=Unit.Level.CITY,
                region=city,
                email=f"city{city.code}@example.gov.cn",
            )
        Unit.objects.create(
            name=f"{city.name}{region.name}市场监督管理局",
            level=Unit.Level.COUNTY,
            region=region,
            parent=cities[city.code],
            email=f"county{region.code}@example.gov.cn",
        )
    policy = HandlingPolicy.load()
    policy.submissions_per_address_per_hour = ADDRESS_LIMIT
    policy.save()
    from django.db import connection

    connection.close()
    print(
        f"database: {connection.vendor}; merchants: {len(codes):,}; "
        f"units: {Unit.objects.count()}; set up in {time.perf_counter() - started:.1f} s"
    )
    return codes


# --- the submitters ----------------------------------------------------------------------------


class Results:
    def __init__(self):
        self.lock = threading.Lock()
        self.answers = []  # (kind, key, status, seconds, tracking number or None, error)

    def add(self, *answer):
        with self.lock:
            self.answers.append(answer)


def payload(index, code, today):
    content, demand, amount = CONTENTS[index % len(CONTENTS)]
    return {
        "merchant_code": code,
        "occurred_on": (today - datetime.timedelta(days=index % 5)).isoformat(),
        "content": f"压力测试第{index}件：{content}",
        "demand": demand,
        "amount": amount,
        "name": "压测用户",
        # Distinct numbers, so the 30-day repeat rule links none of them.
        "phone": f"139{index:08d}",
        "consent_contact": index % 2 == 0,
        "consent_publish": index % 3 == 0,
    }


def post_api(port, key, body, results, kind):
    started = time.perf_counter()
    status, number, error = None, None, ""
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        conn.request(
            "POST",
            "/api/v1/complaints",
            body=json.dumps(body, ensure_ascii=False).encode(),
            headers={"Content-Type": "application/json", "Idempotency-Key": key},
        )
        response = conn.getresponse()
        status, text = response.status, response.read().decode("utf-8", "replace")
        conn.close()
        if status == 201:
            number = json.loads(text)["tracking_number"]
        else:
            error = text[:200]
    except Exception as problem:  # noqa: BLE001 (a failed request is a figure, not a crash)
        error = repr(problem)
    results.add(kind, key, status, time.perf_counter() - started, number, error)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def post_form(base, code, index, today, results):
    """The consumer's way: the form page (CSRF cookie, one-time key), then the POST; the POST
    alone is timed. Returns the form's submission key."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect())
    key, status, number, error = None, None, None, ""
    seconds = 0.0
    try:
        with opener.open(f"{base}/m/{code}/complain/", timeout=60) as response:
            page = response.read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        key = re.search(r'name="submission_key" value="([^"]+)"', page).group(1)
        data = payload(index, code, today)
        form = {
            "csrfmiddlewaretoken": token,
            "submission_key": key,
            "content": data["content"],
            "occurred_on": data["occurred_on"],
            "amount": data["amount"],
            "demand": data["demand"],
            "name": data["name"],
            "phone": data["phone"],
            "homepage": "",
        }
        if data["consent_contact"]:
            form["consent_contact"] = "on"
        if data["consent_publish"]:
            form["consent_publish"] = "on"
        request = urllib.request.Request(
            f"{base}/m/{code}/complain/",
            data=urllib.parse.urlencode(form).encode(),
            headers={"Referer": f"{base}/m/{code}/complain/"},
        )
        started = time.perf_counter()
        try:
            with opener.open(request, timeout=60) as response:
                status = response.status
                error = "answered 200 without the redirect: the form was shown again"
        except urllib.error.HTTPError as answer:
            status = answer.code
            if answer.code in (302, 303):
                seconds = time.perf_counter() - started
                with opener.open(base + answer.headers["Location"], timeout=60) as made:
                    found = TRACKING_RE.search(made.read().decode())
                    number = found.group(0) if found else None
                    error = "" if found else "no tracking number on the confirmation"
            else:
                error = answer.read().decode("utf-8", "replace")[:200]
        seconds = seconds or time.perf_counter() - started
    except Exception as problem:  # noqa: BLE001
        error = repr(problem)
    results.add("form", key or f"form-{index}", status, seconds, number, error)


def probe(base, port, code):
    """Which ways in exist: the API answers something other than 404, the form page a form."""
    results = Results()
    post_api(port, "bench-probe", payload(9_999_999, code, datetime.date.today()), results, "api")
    api = results.answers[0][2] not in (None, 404, 405)
    try:
        with urllib.request.urlopen(f"{base}/m/{code}/complain/", timeout=30) as response:
            form = 'name="submission_key"' in response.read().decode()
    except OSError:
        form = False
    return api, form, results.answers[0]


def run_submitters(args, base, port, codes, use_api, use_form):
    today = datetime.date.today()
    tasks = []
    rng = random.Random(12)
    for index in range(args.submissions):
        code = codes[index % len(codes)]
        if use_form and (not use_api or rng.random() < args.form_share):
            tasks.append(("form", index, code, None))
            continue
        key = f"bench-{index:06d}-{rng.getrandbits(48):012x}"
        # Every 10th is sent again after its answer (a retry after a lost answer), every 20th
        # twice at the same moment (a double tap).
        kind = "retry" if index % 10 == 5 else "double" if index % 20 == 0 else "api"
        tasks.append((kind, index, code, key))
    results = Results()

    def run(task):
        kind, index, code, key = task
        if kind == "form":
            post_form(base, code, index, today, results)
            return
        body = payload(index, code, today)
        if kind == "double":
            twin = threading.Thread(target=post_api, args=(port, key, body, results, "double"))
            twin.start()
            post_api(port, key, body, results, "api")
            twin.join()
            return
        post_api(port, key, body, results, "api")
        if kind == "retry":
            post_api(port, key, body, results, "retry")

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=args.concurrency) as pool:
        list(pool.map(run, tasks))
    return results.answers, time.perf_counter() - started


def percentile(ordered, share):
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def check(answers, wall, log_path):
    from complaints.models import Complaint

    statuses = Counter(answer[2] for answer in answers)
    numbers_by_key = {}
    for _kind, key, status, _seconds, number, _error in answers:
        if status in (200, 201, 302, 303) and number:
            numbers_by_key.setdefault(key, set()).add(number)
    keys = {answer[1] for answer in answers}
    stored = dict(
        Complaint.objects.filter(submission_key__in=keys).values_list(
            "submission_key", "tracking_number"
        )
    )
    answered = {number for numbers in numbers_by_key.values() for number in numbers}
    in_database = set(
        Complaint.objects.filter(tracking_number__in=answered).values_list(
            "tracking_number", flat=True
        )
    )
    lost = answered - in_database
    split_keys = [key for key, numbers in numbers_by_key.items() if len(numbers) > 1]
    wrong = [key for key, numbers in numbers_by_key.items() if stored.get(key) not in numbers]
    total = Complaint.objects.exclude(submission_key="bench-probe").count()
    duplicated = total - len(stored)
    server_errors = sum(count for status, count in statuses.items() if status and status >= 500)
    failed = [answer for answer in answers if answer[2] is None]
    flagged = Counter(
        flag for flags in Complaint.objects.values_list("review_flags", flat=True) for flag in flags
    )
    log = log_path.read_text(errors="replace")
    locked = log.count("database is locked")

    print(f"\n{len(answers):,} requests in {wall:.1f} s = {len(answers) / wall:,.1f} requests/s")
    print(
        "answers: "
        + ", ".join(f"{status}: {n:,}" for status, n in sorted(statuses.items(), key=str))
    )
    everything = sorted(answer[3] for answer in answers if answer[2])
    for kind in [*sorted({answer[0] for answer in answers}), "all"]:
        ordered = everything
        if kind != "all":
            ordered = sorted(answer[3] for answer in answers if answer[0] == kind and answer[2])
        if not ordered:
            continue
        print(
            f"  {kind:<7} {len(ordered):>6,} answered"
            f"  p50 {statistics.median(ordered) * 1000:7.1f} ms"
            f"  p95 {percentile(ordered, 0.95) * 1000:7.1f} ms"
            f"  p99 {percentile(ordered, 0.99) * 1000:7.1f} ms  max {ordered[-1] * 1000:7.1f} ms"
        )
    print(
        f"distinct submissions answered: {len(numbers_by_key):,}; complaints stored: {total:,} "
        f"(of which with a bench key: {len(stored):,})"
    )
    print(f"lost (answered, not stored): {len(lost)}")
    print(f"duplicated (stored beyond one per key): {duplicated}")
    print(f"one key, two tracking numbers: {len(split_keys)}; answer != stored: {len(wrong)}")
    print(f"5xx answers: {server_errors}; no answer at all: {len(failed)}")
    print(f"'database is locked' in the server log: {locked}")
    print(
        "review flags: "
        + (", ".join(f"{flag} {n:,}" for flag, n in flagged.items()) or "none")
        + f" (address limit raised to {ADDRESS_LIMIT:,}/h and API_RATE_LIMIT to "
        f"{API_RATE_LIMIT:,}: the figures measure intake, not the abuse marks)"
    )
    for answer in failed[:5] + [a for a in answers if a[2] and a[2] >= 400][:5]:
        print(f"  e.g. {answer[0]} {answer[2]}: {answer[5]}")
    ok = not lost and not duplicated and not server_errors and not failed and not split_keys
    print(
        f"intake: {'OK' if ok else 'MISSED'} (0 lost, 0 duplicated, 0 5xx, every request answered)"
    )
    return {
        "requests": len(answers),
        "seconds": wall,
        "no_answer": len(failed),
        "split_keys": len(split_keys),
        "p50_ms": statistics.median(everything) * 1000,
        "p95_ms": percentile(everything, 0.95) * 1000,
        "p99_ms": percentile(everything, 0.99) * 1000,
        "lost": len(lost),
        "duplicated": duplicated,
        "server_errors": server_errors,
        "locked": locked,
        "ok": ok,
    }


# --- the deadline command over many open complaints --------------------------------------------


def bulk_open_complaints(count, batch=5_000):
    """``count`` open complaints in the states that keep limits running, each with the open
    deadlines its state has, computed by the workflow's own rules."""
    from functools import cache

    from django.db import transaction
    from django.utils import timezone

    from complaints.deadlines import due_times
    from complaints.models import Complaint, Deadline, HandlingPolicy, Unit
    from complaints.states import State
    from complaints.workdays import Calendar
    from merchants.models import Merchant

    policy, calendar = HandlingPolicy.load(), Calendar()
    kinds = Deadline.Kind
    running = {
        State.RECEIVED: [kinds.NOTIFY, kinds.ACCEPTANCE],
        State.ACCEPTED: [],
        State.SETTLEMENT: [kinds.SETTLEMENT],
        State.MEDIATING: [kinds.MEDIATION],
    }
    states = [State.RECEIVED] * 3 + [State.ACCEPTED, State.SETTLEMENT] + [State.MEDIATING] * 3
    units = {unit.region_id: unit for unit in Unit.objects.filter(level=Unit.Level.COUNTY)}
    merchants = list(Merchant.objects.values_list("pk", "registered_name", "region_id"))
    now = timezone.now()
    # Submission times on a grid of 2,000 moments over the last 70 days: every stage of every
    # limit is represented, and the working-day arithmetic is done once per moment and kind.
    moments = [now - datetime.timedelta(days=70 * i / 2_000, minutes=7) for i in range(2_000)]

    @cache
    def times(kind, start):
        return due_times(kind, start, policy, calendar)

    rng = random.Random(70)
    started = time.perf_counter()
    made = 0
    while made < count:
        size = min(batch, count - made)
        rows = []
        for i in range(made, made + size):
            merchant_pk, name, region = merchants[i % len(merchants)]
            state = states[i % len(states)]
            at = moments[rng.randrange(len(moments))]
            if state == State.MEDIATING:  # mediation starts a few days after arrival
                at = min(at, now - datetime.timedelta(days=2))
            rows.append(
                Complaint(
                    tracking_number=f"FXB{i:09d}",
                    submitted_at=at,
                    channel=Complaint.Channel.API,
                    merchant_id=merchant_pk,
                    merchant_name=name,
                    region_id=region,
                    occurred_on=at.date(),
                    content="批量生成的未办结投诉，用于测试时限命令。",
                    demand="要求退货退款",
                    complainant_name="压测用户",
                    complainant_phone=f"137{i:08d}",
                    phone_last4=f"{i:08d}"[-4:],  # bulk_create skips save(), which sets it
                    state=state,
                    unit=units[region],
                    acknowledged_at=None if state == State.RECEIVED else at,
                )
            )
        with transaction.atomic():
            Complaint.objects.bulk_create(rows)
            deadlines = []
            for complaint in rows:
                for kind in running[complaint.state]:
                    due, remind, urge = times(kind, complaint.submitted_at)
                    deadlines.append(
                        Deadline(
                            complaint_id=complaint.pk,
                            kind=kind,
                            unit_id=complaint.unit_id,
                            starts_at=complaint.submitted_at,
                            due_at=due,
                            remind_at=remind,
                            urge_at=urge,
                        )
                    )
            Deadline.objects.bulk_create(deadlines)
        made += size
    open_deadlines = Deadline.objects.filter(met_at=None, cancelled=False)
    due = {
        "reminders due": open_deadlines.filter(remind_at__lte=now).count(),
        "urgings due": open_deadlines.filter(urge_at__lte=now).count(),
        "overdue": open_deadlines.filter(due_at__lte=now).count(),
    }
    print(
        f"\nbulk: {count:,} open complaints, {open_deadlines.count():,} open deadlines in "
        f"{time.perf_counter() - started:.1f} s; "
        + ", ".join(f"{name}: {n:,}" for name, n in due.items())
    )


def run_deadline_command():
    from io import StringIO

    from django.core import mail
    from django.core.management import call_command
    from django.test.utils import override_settings

    from complaints.models import Card

    command = ROOT / "complaints" / "management" / "commands" / "complaint_deadlines.py"
    if not command.exists():
        print(
            "\nmanage.py complaint_deadlines is not there yet "
            "(complaints/management/commands/complaint_deadlines.py): not timed"
        )
        return None
    figures = {}
    mail.outbox = []
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        for run in ("first", "second"):
            before = Card.objects.count()
            out = StringIO()
            started = time.perf_counter()
            call_command("complaint_deadlines", stdout=out, stderr=out)
            seconds = time.perf_counter() - started
            issued = Card.objects.count() - before
            figures[run] = {"seconds": seconds, "cards": issued, "emails": len(mail.outbox)}
            last = out.getvalue().strip().splitlines()
            print(
                f"complaint_deadlines, {run} run: {seconds:.1f} s, {issued:,} new cards, "
                f"e-mails so far {len(mail.outbox):,}; says: {' / '.join(last[:3])}"
            )
    kinds = Counter(Card.objects.values_list("kind", flat=True))
    print("cards: " + ", ".join(f"{kind} {n:,}" for kind, n in sorted(kinds.items())))
    ok = figures["second"]["cards"] == 0
    print(f"second run issued nothing new: {'OK' if ok else 'MISSED'}")
    return figures


# --- the figures by name (--json) -------------------------------------------------------------


def intake_figures(figures, intake):
    figures.add("intake.requests", intake["requests"], "requests")
    figures.add("intake.rate", intake["requests"] / intake["seconds"], "requests/s")
    for share in ("p50", "p95", "p99"):
        figures.add(f"intake.{share}", intake[f"{share}_ms"], "ms")
    # The intake's verdict: nothing lost, nothing twice, no 5xx, every request answered.
    for name in ("lost", "duplicated", "server_errors", "no_answer", "split_keys"):
        figures.add(f"intake.{name}", intake[name], "", 0, "==")
    figures.add("intake.database_locked", intake["locked"], "log lines")


def deadline_figures(figures, runs):
    """Nothing when the command is not there (``run_deadline_command`` said so)."""
    if runs is None:
        return
    figures.add("deadlines.first_run", runs["first"]["seconds"], "s")
    figures.add("deadlines.first_run_cards", runs["first"]["cards"], "cards")
    figures.add("deadlines.second_run", runs["second"]["seconds"], "s")
    # A second run straight after the first issues nothing new.
    figures.add("deadlines.second_run_cards", runs["second"]["cards"], "cards", 0, "==")


# --- the run -----------------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submissions", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=50, help="concurrent submitters")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--worker-class", default="sync", choices=["sync", "gthread"])
    parser.add_argument("--threads", type=int, default=1, help="threads per gthread worker")
    parser.add_argument("--merchants", type=int, default=200)
    parser.add_argument(
        "--form-share", type=float, default=0.2, help="share of submissions by the web form"
    )
    parser.add_argument("--open-complaints", type=int, default=100_000)
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    add_json_option(parser)
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="bench-complaints-"))
    url = os.environ.get("DATABASE_URL", "")
    if url:
        recreate_postgres(url)
    env = environment(workdir, use_redis=redis_answers())
    env.update(
        {
            "COMPLAINT_PHONE_VERIFICATION": "0",
            "API_RATE_LIMIT": str(API_RATE_LIMIT),
            "PRIVATE_MEDIA_ROOT": str(workdir / "private"),
        }
    )
    if env.get("REDIS_URL"):
        import redis

        redis.Redis.from_url(env["REDIS_URL"]).flushdb()  # db 5 is the benchmarks' own
    codes = setup(env, args.merchants)

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log_path = workdir / "gunicorn.log"
    intake = None
    with open(log_path, "w") as log:
        server = start_gunicorn(env, port, args.workers, args.worker_class, args.threads, log)
        try:
            wait_until_up(f"{base}/m/{codes[0]}/", server)
            use_api, use_form, first = probe(base, port, codes[0])
            print(
                f"gunicorn: {args.workers} {args.worker_class} workers on {os.cpu_count()} cores, "
                f"cache: {'redis' if env.get('REDIS_URL') else 'local memory'}; "
                f"API: {'yes' if use_api else 'NOT THERE'} (probe answered {first[2]}), "
                f"web form: {'yes' if use_form else 'NOT THERE'}"
            )
            if use_api or use_form:
                print(
                    f"{args.submissions:,} submissions by {args.concurrency} submitters"
                    + (
                        f", about {args.form_share:.0%} by the web form"
                        if use_api and use_form
                        else ""
                    )
                    + "; every 10th sent again after its answer, every 20th twice at once"
                )
                answers, wall = run_submitters(args, base, port, codes, use_api, use_form)
            else:
                print("neither POST /api/v1/complaints nor the form answers: no intake to measure")
        finally:
            stop(server)
    from django.db import connection

    figures = Report(
        "complaint_intake",
        database=connection.vendor,
        submissions=args.submissions,
        concurrency=args.concurrency,
        workers=args.workers,
        open_complaints=args.open_complaints,
    )
    if use_api or use_form:
        intake = check(answers, wall, log_path)
        intake_figures(figures, intake)
    if args.open_complaints:
        bulk_open_complaints(args.open_complaints)
        deadline_figures(figures, run_deadline_command())
    if args.keep:
        print(f"kept {workdir}")
    else:
        shutil.rmtree(workdir, ignore_errors=True)
    figures.emit(args.json)
    sys.exit(0 if intake is None or intake["ok"] else 1)


if __name__ == "__main__":
    main()
