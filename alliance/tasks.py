"""Tasks of the ground floor, imported here so that autodiscovery registers them."""

from alliance.base.mail import deliver

__all__ = ["deliver"]
