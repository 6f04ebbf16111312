import pytest

from merchants import scan_counter


@pytest.fixture(autouse=True)
def forget_unwritten_scan_counts():
    """Scans counted by a test stay in memory; drop them so none outlive the test database."""
    yield
    scan_counter.reset()
