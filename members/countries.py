"""The countries a company can be registered in: the EU and EEA, the United Kingdom and
Switzerland (the alliance's partners are across those borders). ISO 3166-1 alpha-2 codes.

A small list of our own instead of a library: Django has none, and these 32 names are all the
portal needs; their names are translated like every other text.
"""

from django.utils.translation import gettext_lazy as _

BELGIUM = "BE"
NETHERLANDS = "NL"

# Belgium and its neighbours first (where most companies are), then the rest in code order.
COUNTRIES = [
    ("BE", _("België")),
    ("NL", _("Nederland")),
    ("DE", _("Duitsland")),
    ("FR", _("Frankrijk")),
    ("LU", _("Luxemburg")),
    ("AT", _("Oostenrijk")),
    ("BG", _("Bulgarije")),
    ("CH", _("Zwitserland")),
    ("CY", _("Cyprus")),
    ("CZ", _("Tsjechië")),
    ("DK", _("Denemarken")),
    ("EE", _("Estland")),
    ("ES", _("Spanje")),
    ("FI", _("Finland")),
    ("GB", _("Verenigd Koninkrijk")),
    ("GR", _("Griekenland")),
    ("HR", _("Kroatië")),
    ("HU", _("Hongarije")),
    ("IE", _("Ierland")),
    ("IS", _("IJsland")),
    ("IT", _("Italië")),
    ("LI", _("Liechtenstein")),
    ("LT", _("Litouwen")),
    ("LV", _("Letland")),
    ("MT", _("Malta")),
    ("NO", _("Noorwegen")),
    ("PL", _("Polen")),
    ("PT", _("Portugal")),
    ("RO", _("Roemenië")),
    ("SE", _("Zweden")),
    ("SI", _("Slovenië")),
    ("SK", _("Slowakije")),
]

CODES = frozenset(code for code, _name in COUNTRIES)

# The EU's VAT numbers start with the member state's code, except Greece's (EL). The EEA
# countries, the United Kingdom and Switzerland have no EU VAT number (VIES does not know them):
# their companies are identified by their national registration number.
VAT_PREFIXES = {
    code: ("EL" if code == "GR" else code) for code in CODES - {"CH", "GB", "IS", "LI", "NO"}
}


def name(code: str) -> str:
    return str(dict(COUNTRIES).get(code, code))
