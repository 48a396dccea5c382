"""The request id of a page follows the tasks it enqueues into a real worker's log."""

import pytest

from tests.background.worker import drained, wait_until


@pytest.mark.broker
@pytest.mark.django_db(transaction=True)
def test_the_request_id_follows_the_request_into_the_workers_log(
    start_worker, celery_broker, member_client, member_user, event, mailbox
):
    """A member registers; the confirmation goes out from a real worker, whose log line for it
    carries the id of the member's request."""
    worker = start_worker()
    response = member_client.post(
        f"/events/{event.slug}/inschrijven/", headers={"X-Request-ID": "req-registers-01"}
    )
    assert response.status_code == 302
    wait_until(lambda: mailbox.messages(to=member_user.email), timeout=30, what="the e-mail")
    drained(celery_broker)
    sent = [
        line for line in worker.log_text().splitlines() if "sent (registration_confirmed)" in line
    ]
    assert len(sent) == 1
    assert "[req-registers-01]" in sent[0]
