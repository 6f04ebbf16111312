import importlib

import pytest

from merchants import scan_counter


@pytest.fixture(autouse=True)
def forget_unwritten_scan_counts():
    """Scans counted by a test stay in memory; drop them so none outlive the test database."""
    yield
    scan_counter.reset()


@pytest.fixture(autouse=True)
def one_rate_window(monkeypatch):
    """Every throttle counts in one fixed window, whatever the clock says: a test that makes
    its eleventh lookup just after a window ends (the tracking page's is ten minutes, the API's
    a minute) would otherwise be answered instead of refused."""
    from types import SimpleNamespace

    from common import rate_limit

    start_of_a_window = 1_800_000_000.0  # a multiple of every window in use
    monkeypatch.setattr(rate_limit, "time", SimpleNamespace(time=lambda: start_of_a_window))


@pytest.fixture(autouse=True)
def empty_cache():
    """Every test starts with an empty cache: cached scan pages, statistics and throttle counts
    from one test must not decide another's outcome."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture
def reference_data(transactional_db):
    """A transactional test starts after another one emptied every table: the reference data
    the migrations load (regions, categories, results) comes back first."""
    from django.apps import apps

    for module in (
        "merchants.migrations.0002_reference_data",
        "disclosures.migrations.0002_reference_data",
    ):
        importlib.import_module(module).load(apps, None)
