import pytest


@pytest.fixture
def home(db):
    from steward.models import HomePage

    return HomePage.objects.get()
