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
