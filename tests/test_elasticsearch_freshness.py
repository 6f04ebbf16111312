"""Elasticsearch that is always fresh and operable: what the index says never outlives the
database's answer, rebuilds are safe, and the settings reach a secured cluster.

Runs against the fake cluster of ``test_disclosure_elasticsearch`` (the real client, a fake HTTP
layer), here answering searches from the documents it holds with the visibility rule, as the
real queries do.
"""

import datetime
import logging
from io import StringIO

import pytest
from django.core.checks import run_checks
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone
from elasticsearch import Elasticsearch

from common.process_lock import FileLock
from disclosures import engines, tasks
from disclosures.engines import elastic, es_client, rebuild_lock
from disclosures.engines.es_documents import alias_name
from disclosures.management.commands.reindex_disclosures import Progress, duration
from disclosures.management.commands.sync_disclosures import parse_since
from disclosures.models import Disclosure

from .merchant_factories import credit_code, make_merchant
from .test_disclosure_elasticsearch import FakeCluster, FakeNode, disclose

ALIAS = "fangxin-disclosures"


class VisibleCluster(FakeCluster):
    """A search answers every document of the alias that its own state calls public today."""

    def handle(self, method, path, body):
        if path.endswith("/_search"):
            self.requests.append((method, path, body))
            today = timezone.localdate().isoformat()
            (name,) = self.names_for(ALIAS)
            shown = sorted(
                (int(pk) for pk, doc in self.indices[name]["docs"].items() if _public(doc, today)),
                reverse=True,
            )
            hits = [{"_id": str(pk), "_source": {"pk": pk}} for pk in shown]
            return 200, {
                "timed_out": False,
                "_shards": {"total": 1, "successful": 1, "failed": 0},
                "hits": {"total": {"value": len(hits), "relation": "eq"}, "hits": hits},
            }
        return super().handle(method, path, body)


def _public(doc, today):
    return (
        doc["disclosed_on"] <= today <= doc["display_until"]
        and doc["objection_state"] != "withdrawn"
    )


@pytest.fixture(autouse=True)
def fresh_breaker():
    engines.reset_breaker()
    yield
    engines.reset_breaker()


@pytest.fixture
def cluster(monkeypatch, settings):
    settings.ELASTICSEARCH_URL = "http://es.test:9200"
    fake = VisibleCluster()
    node_class = type("BoundFakeNode", (FakeNode,), {"cluster": fake})
    client = Elasticsearch("http://es.test:9200", node_class=node_class, max_retries=0)
    monkeypatch.setattr(elastic, "client", lambda: client)
    # Retries wait no time in the tests.
    monkeypatch.setattr(elastic, "INITIAL_BACKOFF", 0)
    return fake


@pytest.fixture
def records(db):
    today = timezone.localdate()
    merchant = make_merchant()
    shown = disclose(
        merchant,
        complaint_number="12430104202503080001",
        complained_on=today - datetime.timedelta(days=60),
    )
    other = disclose(
        merchant,
        complaint_number="12430104202503080002",
        summary="购买的电饭煲使用一周后无法加热，要求退货。",
        complained_on=today - datetime.timedelta(days=70),
    )
    expired = disclose(
        merchant,
        complaint_number="12430104202401050003",
        complained_on=today - datetime.timedelta(days=500),
        display_until=today - datetime.timedelta(days=1),
    )
    # Saved long before anything below: a rebuild's re-sync does not pick them up again.
    Disclosure.objects.update(updated_at=timezone.now() - datetime.timedelta(days=2))
    made = {"shown": shown, "other": other, "expired": expired}
    return {name: Disclosure.objects.get(pk=record.pk) for name, record in made.items()}


def live_docs(cluster):
    (name,) = cluster.names_for(ALIAS)
    return cluster.indices[name]["docs"]


def withdraw(record, django_capture_on_commit_callbacks):
    """An editor withdraws the record in the admin: the save commits, then its sync is queued."""
    with django_capture_on_commit_callbacks(execute=True):
        record.objection_state = Disclosure.ObjectionState.WITHDRAWN
        record.save()


# --- Never show what the database hides ---------------------------------------------------


def test_a_withdrawal_while_the_cluster_is_down_is_never_shown_and_the_catch_up_repairs_it(
    cluster, records, client, django_capture_on_commit_callbacks, caplog
):
    elastic.rebuild()
    shown = records["shown"]
    cluster.down = True
    with caplog.at_level(logging.ERROR, logger="disclosures.tasks"):
        withdraw(shown, django_capture_on_commit_callbacks)
    assert "sync_disclosures" in caplog.text  # the failed sync is left to the catch-up
    cluster.down = False
    assert live_docs(cluster)[str(shown.pk)]["objection_state"] == "none"  # the index is stale

    # The catch-up writes the withdrawal; the index stops answering it.
    out = StringIO()
    call_command("sync_disclosures", "--since", "2h", stdout=out)
    assert "写入 1 条" in out.getvalue()
    assert live_docs(cluster)[str(shown.pk)]["objection_state"] == "withdrawn"
    page = client.get("/disclosures/", {"q": "预付卡"}).content.decode()
    assert shown.complaint_number not in page
    assert records["other"].complaint_number in page


def test_pages_and_the_api_recheck_what_a_stale_index_answers(
    cluster, records, client, django_capture_on_commit_callbacks
):
    elastic.rebuild()
    shown, other = records["shown"], records["other"]
    cluster.down = True
    withdraw(shown, django_capture_on_commit_callbacks)
    cluster.down = False
    assert live_docs(cluster)[str(shown.pk)]["objection_state"] == "none"

    page = client.get("/disclosures/").content.decode()
    assert shown.complaint_number not in page
    assert other.complaint_number in page
    # Dropping it queued its sync again: the index has caught up.
    assert live_docs(cluster)[str(shown.pk)]["objection_state"] == "withdrawn"

    cluster.down = True
    withdraw(other, django_capture_on_commit_callbacks)
    cluster.down = False
    answer = client.get("/api/v1/disclosures/").json()
    assert [item["complaint_number"] for item in answer["results"]] == []
    assert live_docs(cluster)[str(other.pk)]["objection_state"] == "withdrawn"


def test_the_site_search_rechecks_what_a_stale_index_answers(
    cluster, records, django_capture_on_commit_callbacks
):
    from disclosures.site_search import complaint_group

    elastic.rebuild()
    shown, other = records["shown"], records["other"]
    cluster.down = True
    withdraw(shown, django_capture_on_commit_callbacks)
    cluster.down = False
    assert live_docs(cluster)[str(shown.pk)]["objection_state"] == "none"
    urls = [item.url for item in complaint_group("要求退货", limit=10).items]
    assert not any(shown.complaint_number in url for url in urls)
    assert any(other.complaint_number in url for url in urls)


def test_a_failed_sync_is_retried_later_then_left_to_the_catch_up(
    cluster, records, monkeypatch, caplog
):
    from django_tasks.backends.immediate import ImmediateBackend

    elastic.rebuild()
    # A backend that can run a task later (the database worker's); this one runs it at once.
    monkeypatch.setattr(ImmediateBackend, "supports_defer", True)
    cluster.down = True
    with caplog.at_level(logging.WARNING, logger="disclosures.tasks"):
        tasks.queue_index_sync([records["shown"].pk])
    messages = [record.getMessage() for record in caplog.records]
    assert len([m for m in messages if "稍后重试" in m]) == len(tasks.SYNC_RETRY_DELAYS)
    assert "sync_disclosures" in messages[-1]


def test_an_editors_save_only_queues_the_sync(
    records, cluster, monkeypatch, django_capture_on_commit_callbacks
):
    elastic.rebuild()
    queued = []
    monkeypatch.setattr(
        tasks, "sync_to_index", type("Queue", (), {"enqueue": staticmethod(queued.append)})
    )
    cluster.requests.clear()
    with django_capture_on_commit_callbacks(execute=True):
        records["shown"].summary = "办理预付卡后门店停业，要求退还剩余费用。"
        records["shown"].save()
    assert queued == [[records["shown"].pk]]
    assert cluster.requests == []  # nothing was asked of the cluster during the save


# --- Versions -----------------------------------------------------------------------------


def test_an_older_write_after_a_newer_one_is_ignored(
    cluster, records, django_capture_on_commit_callbacks
):
    elastic.rebuild()
    shown = records["shown"]
    read_before = Disclosure.objects.get(pk=shown.pk)  # a slow sync read it here
    withdraw(shown, django_capture_on_commit_callbacks)
    assert live_docs(cluster)[str(shown.pk)]["objection_state"] == "withdrawn"

    late = elastic.SyncReport()
    actions = elastic._index_actions([read_before], ALIAS)
    elastic._bulk(elastic.admin_client(), actions, 10, late)

    assert (late.indexed, late.conflicts) == (0, 1)
    assert live_docs(cluster)[str(shown.pk)]["objection_state"] == "withdrawn"


def test_the_version_is_updated_at_in_microseconds():
    moment = datetime.datetime(2026, 11, 26, 8, 0, 0, 123456, tzinfo=datetime.UTC)
    assert elastic.version_of(moment) == 1795680000123456


def test_a_merchant_registered_later_moves_its_records_version(records):
    code = credit_code("430104", serial=77002)
    record = disclose(credit_code=code, complained_on=timezone.localdate())
    Disclosure.objects.filter(pk=record.pk).update(
        updated_at=timezone.now() - datetime.timedelta(days=1)
    )
    merchant = make_merchant(registered_name="长沙市岳麓区新开张健身馆", credit_code=code)
    record.refresh_from_db()
    # The link is a change like any other: the index takes it over the older document.
    assert record.merchant == merchant
    assert record.updated_at > timezone.now() - datetime.timedelta(minutes=1)


# --- Rebuilds -----------------------------------------------------------------------------


def test_a_write_during_a_rebuild_is_present_after_the_swap(cluster, records):
    old = "fangxin-disclosures-20250101000000000000"
    elastic.rebuild(now=datetime.datetime(2025, 1, 1))
    shown, other = records["shown"], records["other"]
    written = []

    def during_the_load(done, total):
        if done == 1 and not written:
            # An editor withdraws a record the load has already copied; its sync runs.
            shown.objection_state = Disclosure.ObjectionState.WITHDRAWN
            shown.save()
            tasks.queue_index_sync([shown.pk])
            # Another change whose sync never ran (a worker restarted, say).
            other.summary = "电饭煲无法加热，商家同意退货退款。"
            other.save()
            written.append(True)

    cluster.requests.clear()
    report = elastic.rebuild(chunk=1, progress=during_the_load)

    assert written and report.previous == [old]
    docs = live_docs(cluster)
    assert docs[str(shown.pk)]["objection_state"] == "withdrawn"
    assert docs[str(other.pk)]["summary"] == "电饭煲无法加热，商家同意退货退款。"
    # The sync wrote to the index being built as well as to the live one (and the re-sync after
    # the swap through the alias).
    bulk_targets = {
        action["index"]["_index"]
        for method, path, body in cluster.requests
        if path == "/_bulk"
        for action, _source in body
        if "index" in action and action["index"]["_id"] == str(shown.pk)
    }
    assert bulk_targets == {old, report.index, ALIAS}


def test_a_failed_swap_leaves_no_orphan_index(cluster, records):
    old_report = elastic.rebuild(now=datetime.datetime(2025, 1, 1))
    cluster.fail("POST", "/_aliases", 500, times=1)

    with pytest.raises(elastic.ENGINE_ERRORS):
        elastic.rebuild()

    assert list(cluster.indices) == [old_report.index]
    assert cluster.indices[old_report.index]["aliases"] == {ALIAS}


def test_a_failed_load_leaves_no_orphan_index_and_the_command_says_so(cluster, records):
    old_report = elastic.rebuild(now=datetime.datetime(2025, 1, 1))
    cluster.fail("PUT", "/_bulk", 400, times=1)
    with pytest.raises(CommandError, match="新索引已删除，检索仍使用原索引"):
        call_command("reindex_disclosures", stdout=StringIO())
    assert list(cluster.indices) == [old_report.index]


def test_a_rebuild_killed_midway_is_cleaned_up_by_the_next(cluster, records):
    stale = "fangxin-disclosures-20250101000000000000"
    cluster.add_index(stale, aliases={ALIAS + "-building"})
    report = elastic.rebuild()
    assert list(cluster.indices) == [report.index]


def test_a_second_rebuild_is_refused_while_one_holds_the_lock(cluster, records):
    with rebuild_lock.rebuild_lock(alias_name()):
        with pytest.raises(rebuild_lock.RebuildBusy):
            elastic.rebuild()
        with pytest.raises(CommandError, match="另一个索引重建正在进行"):
            call_command("reindex_disclosures", stdout=StringIO())
    assert not cluster.indices  # nothing was created while refused
    elastic.rebuild()  # released: the next one runs
    assert len(cluster.indices) == 1


@pytest.mark.django_db
def test_the_lock_is_held_in_the_database_against_another_process():
    """Another process (here: another connection or open file) cannot take it either."""
    if connection.vendor == "postgresql":
        from django.db import connections

        other = connections.create_connection("default")
        try:
            with rebuild_lock.rebuild_lock(alias_name()):
                with other.cursor() as cursor:
                    cursor.execute(
                        "SELECT pg_try_advisory_lock(%s)", [rebuild_lock.ADVISORY_LOCK_KEY]
                    )
                    assert cursor.fetchone()[0] is False
        finally:
            other.close()
    else:
        with rebuild_lock.rebuild_lock(alias_name()):
            assert FileLock(rebuild_lock.LOCK_NAME).acquire() is False
        second = FileLock(rebuild_lock.LOCK_NAME)
        assert second.acquire() is True
        second.release()


@pytest.mark.parametrize("status", [429, 503])
def test_a_bulk_answered_429_or_503_is_retried(cluster, records, status):
    cluster.fail("PUT", "/_bulk", status, times=2)
    report = elastic.rebuild()
    assert report.indexed == 2
    bulks = [path for method, path, _body in cluster.requests if path == "/_bulk"]
    assert len(bulks) >= 3


def test_rebuild_reports_progress_and_an_estimate(cluster, records):
    out = StringIO()
    call_command("reindex_disclosures", "--chunk", "1", stdout=out)
    text = out.getvalue()
    assert "已写入 2/2 条（100.0%），每秒" in text
    assert "预计还需 0秒" in text


def test_progress_lines_give_the_rate_and_the_time_left():
    lines, now = [], [0.0]
    progress = Progress(lines.append, every=10, clock=lambda: now[0])
    now[0] = 5
    progress(500, 10_000)  # too soon for a line
    now[0] = 20
    progress(2_000, 10_000)
    now[0] = 25
    progress(2_500, 10_000)  # too soon after the last line
    now[0] = 100
    progress(10_000, 10_000)
    assert lines == [
        "已写入 2,000/10,000 条（20.0%），每秒 100 条，预计还需 1分20秒",
        "已写入 10,000/10,000 条（100.0%），每秒 100 条，预计还需 0秒",
    ]
    assert duration(3_900) == "1小时5分"


# --- The catch-up ---------------------------------------------------------------------------


def test_the_catch_up_purges_expired_documents(cluster, records):
    elastic.rebuild()
    expired = records["expired"]
    expired.summary = "预付卡余额未退，已过公示期。"
    expired.save()
    engines.sync_after_import([expired.pk])
    assert str(expired.pk) in live_docs(cluster)  # written with its dates, never shown

    out = StringIO()
    call_command("sync_disclosures", "--since", "30m", stdout=out)

    assert str(expired.pk) not in live_docs(cluster)
    assert "删除已过公示期的文档 1 条" in out.getvalue()


def test_since_takes_a_span_or_a_time():
    now = timezone.make_aware(datetime.datetime(2026, 11, 26, 10, 0))
    assert parse_since("2h", now) == now - datetime.timedelta(hours=2)
    assert parse_since("30m", now) == now - datetime.timedelta(minutes=30)
    assert parse_since("1d", now) == now - datetime.timedelta(days=1)
    assert parse_since("2026-11-26T08:00") == timezone.make_aware(
        datetime.datetime(2026, 11, 26, 8, 0)
    )
    assert parse_since("2026-11-25") == timezone.make_aware(datetime.datetime(2026, 11, 25))
    with pytest.raises(CommandError, match="无法识别“两小时”"):
        parse_since("两小时")


def test_the_catch_up_before_the_first_rebuild_says_what_to_do(cluster, records):
    with pytest.raises(CommandError, match="请先运行 reindex_disclosures"):
        call_command("sync_disclosures", "--since", "2h", stdout=StringIO())


def test_the_catch_up_without_elasticsearch_explains(settings, db):
    settings.ELASTICSEARCH_URL = ""
    with pytest.raises(CommandError, match="未配置 ELASTICSEARCH_URL"):
        call_command("sync_disclosures", "--since", "2h")


# --- Settings -------------------------------------------------------------------------------


def test_several_hosts_a_ca_certificate_and_an_api_key_reach_the_client(settings, tmp_path):
    ca = tmp_path / "http_ca.crt"
    ca.write_text("-----BEGIN CERTIFICATE-----\n")
    values = {
        "ELASTICSEARCH_CA_CERTS": str(ca),
        "ELASTICSEARCH_API_KEY": "VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw==",
        "ELASTICSEARCH_USERNAME": "fangxin",
        "ELASTICSEARCH_PASSWORD": "s3cret",
    }
    assert es_client.hosts(" https://es1:9200, https://es2:9200 ,") == [
        "https://es1:9200",
        "https://es2:9200",
    ]
    options = es_client.connection_options(values)
    assert options == {"ca_certs": str(ca), "api_key": values["ELASTICSEARCH_API_KEY"]}
    values["ELASTICSEARCH_API_KEY"] = ""
    assert es_client.connection_options(values)["basic_auth"] == ("fangxin", "s3cret")


def test_a_bad_index_prefix_or_host_is_refused_with_a_clear_error(settings, tmp_path):
    settings.ELASTICSEARCH_URL = "https://es1:9200,es2:9200"
    settings.ELASTICSEARCH_INDEX_PREFIX = "Fangxin"
    settings.ELASTICSEARCH_CA_CERTS = str(tmp_path / "missing.crt")
    settings.ELASTICSEARCH_USERNAME = "fangxin"
    settings.ELASTICSEARCH_PASSWORD = ""
    errors = {error.id: error for error in run_checks(tags=["elasticsearch"])}
    assert set(errors) == {"home.E003", "home.E004", "home.E005", "home.E006"}
    assert "“Fangxin”" in errors["home.E003"].msg and "小写字母" in errors["home.E003"].hint
    assert "“es2:9200”" in errors["home.E004"].msg

    settings.ELASTICSEARCH_INDEX_PREFIX = "hunan-fx"
    settings.ELASTICSEARCH_URL = "https://es1:9200"
    settings.ELASTICSEARCH_CA_CERTS = ""
    settings.ELASTICSEARCH_PASSWORD = "s3cret"
    assert run_checks(tags=["elasticsearch"]) == []
