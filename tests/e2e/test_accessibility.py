"""What axe-core cannot see: where the focus goes after a server-side error, and whether the
figures' chart labels can be read on a phone."""

import pytest

from tests.e2e.conftest import PHONE

pytestmark = pytest.mark.django_db(transaction=True)


def test_after_a_server_side_error_the_focus_is_on_the_error_summary(live_server, new_context):
    page = new_context().new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", "niemand@example.be")
    page.fill("input[name=password]", "fout-wachtwoord")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    focused = page.evaluate("document.activeElement.className")
    assert "message--error" in focused


def test_chart_labels_are_readable_on_a_phone(live_server, new_context, alliance_admin, event):
    page = new_context(PHONE, user=alliance_admin, live_server=live_server).new_page()
    page.goto(f"{live_server.url}/staff/figures/")
    sizes = page.evaluate(
        """[...document.querySelectorAll('svg.chart text')].map(
            text => text.getBoundingClientRect().height)"""
    )
    assert sizes and min(sizes) >= 10, sizes[:10]
