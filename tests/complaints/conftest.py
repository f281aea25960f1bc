import pytest

from tests.complaints.factories import handler_for, parent


@pytest.fixture
def handler(district):
    """A member of the complaints office (监审科) of `district`."""
    return handler_for(district)


@pytest.fixture
def complainant(db):
    return parent(username="zhangsan")
