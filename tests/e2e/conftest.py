import pytest


@pytest.fixture(scope="session", autouse=True)
def release_live_server_connections(django_db_setup, django_db_blocker):
    """The session-wide live server's threads may still hold a connection to the test database
    when it is dropped; end those sessions first so the teardown is clean."""
    yield
    from django.db import connection

    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
    connection.close()
