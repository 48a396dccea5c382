"""What every page's frame needs: the alliance's name and the language switcher."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _


def portal(request):
    return {
        "portal_name": _("Alliantie van Kamers van Koophandel"),
        "portal_languages": settings.LANGUAGES,
    }
