"""The Belgian structured communication (OGM-VCS): +++123/4567/89002+++.

Ten digits and two check digits: the ten modulo 97, 97 when that is 0 (python-stdnum's
stdnum.be.ogm_vcs does the arithmetic). The bank transfer carries it, so that a payment on the
bank statement finds its invoice.
"""

from __future__ import annotations

from stdnum.be import ogm_vcs


def structured_communication(base: int) -> str:
    """The twelve digits for a ten-digit base (taken modulo 10¹⁰)."""
    digits = f"{base % 10**10:010d}"
    return digits + ogm_vcs.calc_check_digits(digits)


def display(digits: str) -> str:
    """+++123/4567/89002+++ for the twelve digits."""
    return f"+++{ogm_vcs.format(digits)}+++"


def parse(value: str) -> str | None:
    """The twelve digits of a communication as people and banks write it, or None when it is
    not a valid one (wrong length, wrong check digits)."""
    try:
        return ogm_vcs.validate(value)
    except Exception:  # stdnum's ValidationError family
        return None
