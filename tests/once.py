"""Data built once per module (or class) for tests that only read it (issue 12:
page trees are slow to build, and most read-only modules built the same tree for
every test).

    @built_once                      # in the test module
    def world():
        return make_service(...), ...

    def test_something(client, world): ...

`build()` runs once, inside one transaction that stays open around the module's
tests and is rolled back when they are done. Each test's own transaction nests in
it as a savepoint (pytest-django's `db` skips Django's class-level atomic so that
tests can be wrapped like this), so a test that writes still leaves the next one
the data as built. It works the same on SQLite and PostgreSQL and in each xdist
worker (each has its own test database). Tests using such a fixture must not ask
for `transactional_db` or `live_server`: their flush would end the outer
transaction.
"""

import contextlib

import pytest


@contextlib.contextmanager
def kept_for_scope(django_db_blocker):
    """A transaction held open until the block ends, then rolled back."""
    from django.db import transaction

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
    try:
        yield
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def built_once(build=None, *, scope="module"):
    """`build` as a `scope`-scoped fixture of the same name: what it returns, built
    once. `@built_once` or `@built_once(scope="class")`."""
    if build is None:
        return lambda build: built_once(build, scope=scope)

    @pytest.fixture(scope=scope, name=build.__name__)
    def fixture(django_db_setup, django_db_blocker):
        with kept_for_scope(django_db_blocker):
            with django_db_blocker.unblock():
                built = build()
            yield built

    fixture.__doc__ = build.__doc__
    return fixture
