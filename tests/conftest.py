import importlib

import pytest

from merchants import scan_counter


@pytest.fixture(autouse=True)
def forget_unwritten_scan_counts():
    """Scans counted by a test stay in memory; drop them so none outlive the test database."""
    yield
    scan_counter.reset()


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
