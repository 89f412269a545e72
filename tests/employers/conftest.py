import pytest

from portal.employers import periods
from tests.employers.helpers import MemoryPeriods


@pytest.fixture
def calendar():
    """The training calendar the employer pages read, for this test only."""
    source = MemoryPeriods()
    previous = periods.use_source(source)
    yield source
    periods.use_source(previous)
