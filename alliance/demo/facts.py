"""The fixed facts of the demo, taken from the seed texts, written idempotently by natural key.

Chambers (by slug), the alliance, competence centres and services, sectors, partners and their
agreements, accreditations, the demo member company and the events the seed texts describe.
Dates that depend on the anchor day are only set when a row is created (`create_defaults`), so
that a later run neither moves an event nor re-dates an agreement.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from chambers.models import (
    Accreditation,
    AccreditationAssessment,
    AccreditationPrinciple,
    Alliance,
    AllianceChamber,
    Chamber,
    Partner,
    PartnerAgreement,
)
from competences.models import CompetenceCentre, Service
from events.models import Event
from members.models import (
    PARTNER_CONSENT_PURPOSE,
    Company,
    ConsentRecord,
    Membership,
    Person,
    Sector,
)

BRUSSELS = ZoneInfo("Europe/Brussels")


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    """A Brussels wall-clock time on `day`, timezone-aware."""
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=BRUSSELS)


def add_years(day: datetime.date, years: int) -> datetime.date:
    """The same calendar day `years` later; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def next_occurrence(today: datetime.date, month: int, day: int) -> datetime.date:
    """The first `day`/`month` after today (this year's, or next year's when it has passed)."""
    this_year = datetime.date(today.year, month, day)
    return this_year if this_year > today else datetime.date(today.year + 1, month, day)


def weekday_on_or_after(day: datetime.date, weekday: int) -> datetime.date:
    return day + datetime.timedelta(days=(weekday - day.weekday()) % 7)


def weekday_on_or_before(day: datetime.date, weekday: int) -> datetime.date:
    return day - datetime.timedelta(days=(day.weekday() - weekday) % 7)


@dataclass(frozen=True)
class Text:
    nl: str
    fr: str
    en: str


# --- Chambers ------------------------------------------------------------------------------

ALLIANCE_CHAMBERS = ("antwerpen-waasland", "kempen", "mechelen")
LOCAL_CHAMBERS = (*ALLIANCE_CHAMBERS, "limburg")

CHAMBERS = [
    {
        "slug": "antwerpen-waasland",
        # The region's postcodes (AREAS below): the chamber the portal suggests there.
        "postcode_prefixes": ["20", "21", "26", "29", "91"],
        "name": "Voka – Kamer van Koophandel Antwerpen-Waasland",
        "short_name": "Antwerpen-Waasland",
        "region": Text(
            "Antwerpen en het Waasland", "Anvers et le pays de Waes", "Antwerp and the Waasland"
        ),
        "email": "info@antwerpen-waasland.voka.example",
        "phone": "+32 3 232 00 00",
        "website": "https://antwerpen-waasland.voka.example",
        # Fictitious seller details (valid check digits) for the demo's invoices.
        "enterprise_number": "0417000030",
        "vat_number": "BE0417000030",
        "street": "Markgravestraat 12",
        "postcode": "2000",
        "municipality": "Antwerpen",
        "iban": "BE33001712345646",
        "bic": "GEBABEBB",
        "accent": Chamber.Accent.BLUE,
    },
    {
        "slug": "kempen",
        "postcode_prefixes": ["22", "23", "24"],
        "name": "Voka – Kamer van Koophandel Kempen",
        "short_name": "Kempen",
        "region": Text(
            "De Kempen: Turnhout, Geel, Mol, Herentals en omgeving",
            "La Campine : Turnhout, Geel, Mol, Herentals et environs",
            "The Kempen: Turnhout, Geel, Mol, Herentals and surroundings",
        ),
        "email": "info@kempen.voka.example",
        "phone": "+32 14 56 00 00",
        "website": "https://kempen.voka.example",
        # Fictitious seller details (valid check digits) for the demo's invoices.
        "enterprise_number": "0417123754",
        "vat_number": "BE0417123754",
        "street": "Kastelsedijk 5",
        "postcode": "2300",
        "municipality": "Turnhout",
        "iban": "BE11091012456748",
        "bic": "GKCCBEBB",
        "accent": Chamber.Accent.ORANGE,
    },
    {
        "slug": "mechelen",
        "postcode_prefixes": ["25", "28"],
        "name": "Voka – Kamer van Koophandel Mechelen",
        "short_name": "Mechelen",
        "region": Text(
            "Mechelen, Lier, Rupelstreek en Klein-Brabant",
            "Malines, Lierre, la région du Rupel et le Petit-Brabant",
            "Mechelen, Lier, the Rupel region and Klein-Brabant",
        ),
        "email": "info@mechelen.voka.example",
        "phone": "+32 15 45 00 00",
        "website": "https://mechelen.voka.example",
        # Fictitious seller details (valid check digits) for the demo's invoices.
        "enterprise_number": "0417247478",
        "vat_number": "BE0417247478",
        "street": "Schaliënhoevedreef 20",
        "postcode": "2800",
        "municipality": "Mechelen",
        "iban": "BE75735012567851",
        "bic": "KREDBEBB",
        "accent": Chamber.Accent.GREEN,
    },
    {
        # Not in the alliance: it cooperates across the border with LIOF (seed 003).
        "slug": "limburg",
        "postcode_prefixes": ["35", "36", "37", "38", "39"],
        "name": "Voka – Kamer van Koophandel Limburg",
        "short_name": "Limburg",
        "region": Text("Belgisch Limburg", "Limbourg belge", "Belgian Limburg"),
        "email": "info@limburg.voka.example",
        "phone": "+32 11 56 00 00",
        "website": "https://limburg.voka.example",
        # Fictitious seller details (valid check digits) for the demo's invoices.
        "enterprise_number": "0417371105",
        "vat_number": "BE0417371105",
        "street": "Gouverneur Roppesingel 51",
        "postcode": "3500",
        "municipality": "Hasselt",
        "iban": "BE86363012678950",
        "bic": "BBRUBEBB",
        "accent": Chamber.Accent.PURPLE,
    },
    {
        "slug": "belgian-chinese",
        "name": "Belgian-Chinese Chamber of Commerce",
        "short_name": "Belgisch-Chinees",
        "kind": Chamber.Kind.BILATERAL,
        "country": "CN",
        "region": Text("China", "Chine", "China"),
        "email": "info@belgian-chinese.chamber.example",
        "phone": "+86 21 5000 0000",
        "website": "https://belgian-chinese.chamber.example",
        "accent": Chamber.Accent.BLUE,
    },
]


@dataclass(frozen=True)
class Area:
    """A real (postcode, municipality) pair in a chamber's region; weight ~ its business weight."""

    postcode: str
    municipality: str
    weight: int = 1


def _areas(*rows: tuple[int, str, int]) -> tuple[Area, ...]:
    return tuple(Area(str(postcode), name, weight) for postcode, name, weight in rows)


# Each chamber's own postcodes, chosen so that no two chambers share one: Antwerpen-Waasland
# 2000–2199, 2600–2699, 2900–2999 and 9100–9199; Kempen 2200–2499; Mechelen 2500–2599 and
# 2800–2899; Limburg 3500–3999.
AREAS: dict[str, tuple[Area, ...]] = {
    "antwerpen-waasland": _areas(
        (2000, "Antwerpen", 12),
        (2018, "Antwerpen", 8),
        (2020, "Antwerpen", 5),
        (2030, "Antwerpen", 6),
        (2040, "Zandvliet", 2),
        (2050, "Antwerpen", 2),
        (2060, "Antwerpen", 3),
        (2100, "Deurne", 4),
        (2110, "Wijnegem", 2),
        (2140, "Borgerhout", 2),
        (2150, "Borsbeek", 1),
        (2160, "Wommelgem", 2),
        (2170, "Merksem", 2),
        (2180, "Ekeren", 3),
        (2600, "Berchem", 4),
        (2610, "Wilrijk", 3),
        (2620, "Hemiksem", 1),
        (2627, "Schelle", 1),
        (2630, "Aartselaar", 3),
        (2640, "Mortsel", 2),
        (2650, "Edegem", 2),
        (2660, "Hoboken", 2),
        (2900, "Schoten", 2),
        (2910, "Essen", 1),
        (2920, "Kalmthout", 1),
        (2930, "Brasschaat", 2),
        (2940, "Stabroek", 1),
        (2950, "Kapellen", 2),
        (2960, "Brecht", 2),
        (2970, "Schilde", 1),
        (2980, "Zoersel", 1),
        (2990, "Wuustwezel", 1),
        (9100, "Sint-Niklaas", 6),
        (9111, "Belsele", 1),
        (9112, "Sinaai", 1),
        (9120, "Beveren", 4),
        (9130, "Kallo", 1),
        (9140, "Temse", 2),
        (9150, "Kruibeke", 2),
        (9160, "Lokeren", 4),
        (9170, "Sint-Gillis-Waas", 1),
        (9180, "Moerbeke", 1),
        (9190, "Stekene", 1),
    ),
    "kempen": _areas(
        (2200, "Herentals", 5),
        (2230, "Herselt", 1),
        (2235, "Hulshout", 1),
        (2240, "Zandhoven", 1),
        (2250, "Olen", 2),
        (2260, "Westerlo", 2),
        (2270, "Herenthout", 1),
        (2275, "Lille", 1),
        (2280, "Grobbendonk", 1),
        (2290, "Vorselaar", 1),
        (2300, "Turnhout", 7),
        (2310, "Rijkevorsel", 1),
        (2320, "Hoogstraten", 2),
        (2330, "Merksplas", 1),
        (2340, "Beerse", 2),
        (2350, "Vosselaar", 1),
        (2360, "Oud-Turnhout", 1),
        (2370, "Arendonk", 1),
        (2380, "Ravels", 1),
        (2390, "Malle", 2),
        (2400, "Mol", 4),
        (2430, "Laakdal", 1),
        (2440, "Geel", 6),
        (2450, "Meerhout", 1),
        (2460, "Kasterlee", 1),
        (2470, "Retie", 1),
        (2480, "Dessel", 1),
        (2490, "Balen", 2),
    ),
    "mechelen": _areas(
        (2800, "Mechelen", 10),
        (2801, "Heffen", 1),
        (2811, "Hombeek", 1),
        (2812, "Muizen", 1),
        (2820, "Bonheiden", 2),
        (2830, "Willebroek", 3),
        (2840, "Rumst", 2),
        (2845, "Niel", 1),
        (2850, "Boom", 2),
        (2860, "Sint-Katelijne-Waver", 3),
        (2870, "Puurs-Sint-Amands", 3),
        (2880, "Bornem", 2),
        (2890, "Sint-Amands", 1),
        (2500, "Lier", 5),
        (2560, "Nijlen", 2),
        (2570, "Duffel", 2),
        (2580, "Putte", 1),
        (2590, "Berlaar", 1),
    ),
    "limburg": _areas(
        (3500, "Hasselt", 10),
        (3520, "Zonhoven", 2),
        (3530, "Houthalen-Helchteren", 2),
        (3540, "Herk-de-Stad", 1),
        (3550, "Heusden-Zolder", 2),
        (3560, "Lummen", 2),
        (3570, "Alken", 1),
        (3580, "Beringen", 3),
        (3590, "Diepenbeek", 2),
        (3600, "Genk", 7),
        (3620, "Lanaken", 2),
        (3630, "Maasmechelen", 2),
        (3640, "Kinrooi", 1),
        (3650, "Dilsen-Stokkem", 1),
        (3660, "Oudsbergen", 1),
        (3680, "Maaseik", 2),
        (3690, "Zutendaal", 1),
        (3700, "Tongeren", 3),
        (3740, "Bilzen", 2),
        (3800, "Sint-Truiden", 4),
        (3840, "Borgloon", 1),
        (3900, "Pelt", 2),
        (3920, "Lommel", 3),
        (3930, "Hamont-Achel", 1),
        (3940, "Hechtel-Eksel", 1),
        (3960, "Bree", 2),
        (3970, "Leopoldsburg", 1),
        (3980, "Tessenderlo", 2),
        (3990, "Peer", 1),
    ),
}

# --- Sectors -------------------------------------------------------------------------------


@dataclass(frozen=True)
class SectorFact:
    slug: str
    nace_code: str
    nl: str
    fr: str
    en: str
    # How a company description names the sector ("actief in ...").
    phrase: str


SECTORS = [
    SectorFact(
        "chemie-en-farma",
        "C20-C21",
        "Chemie en farma",
        "Chimie et pharmacie",
        "Chemicals and pharmaceuticals",
        "de chemie en farma",
    ),
    SectorFact(
        "land-en-tuinbouw",
        "A01",
        "Land- en tuinbouw",
        "Agriculture et horticulture",
        "Agriculture and horticulture",
        "de land- en tuinbouw",
    ),
    SectorFact(
        "logistiek-en-transport",
        "H49-H52",
        "Logistiek en transport",
        "Logistique et transport",
        "Logistics and transport",
        "logistiek en transport",
    ),
    SectorFact("voeding", "C10-C11", "Voeding", "Alimentation", "Food", "de voedingsindustrie"),
    SectorFact(
        "maakindustrie",
        "C25-C30",
        "Maakindustrie",
        "Industrie manufacturière",
        "Manufacturing",
        "de maakindustrie",
    ),
    SectorFact("agritech", "A01.6", "Agritech", "Agritech", "Agritech", "agritech"),
    SectorFact(
        "life-sciences-en-gezondheid",
        "M72.11",
        "Life sciences en gezondheid",
        "Sciences de la vie et santé",
        "Life sciences and health",
        "life sciences en gezondheid",
    ),
    SectorFact("energie", "D35", "Energie", "Énergie", "Energy", "de energiesector"),
    SectorFact(
        "digitaal",
        "J62",
        "Digitaal (IoT, 3D-printen, Industrie 4.0)",
        "Numérique (IoT, impression 3D, industrie 4.0)",
        "Digital (IoT, 3D printing, Industry 4.0)",
        "digitale technologie",
    ),
    SectorFact("bouw", "F41-F43", "Bouw", "Construction", "Construction", "de bouw"),
    SectorFact(
        "handel", "G46-G47", "Groot- en kleinhandel", "Commerce", "Wholesale and retail", "handel"
    ),
    SectorFact(
        "zakelijke-dienstverlening",
        "M69-M74",
        "Zakelijke dienstverlening",
        "Services aux entreprises",
        "Business services",
        "zakelijke dienstverlening",
    ),
    SectorFact(
        "horeca-en-toerisme",
        "I55-I56",
        "Horeca en toerisme",
        "Horeca et tourisme",
        "Hospitality and tourism",
        "horeca en toerisme",
    ),
    SectorFact(
        "textiel-hout-en-meubel",
        "C13-C16",
        "Textiel, hout en meubel",
        "Textile, bois et ameublement",
        "Textiles, wood and furniture",
        "textiel, hout en meubel",
    ),
]

# --- Competence centres and services -------------------------------------------------------


@dataclass(frozen=True)
class ServiceFact:
    slug: str
    kind: str
    name: Text
    description: Text
    price_note: Text
    audience: str = Service.Audience.MEMBERS


@dataclass(frozen=True)
class CentreFact:
    slug: str
    lead: str
    name: Text
    description: Text
    services: tuple[ServiceFact, ...]


FREE_FOR_MEMBERS = Text("Gratis voor leden", "Gratuit pour les membres", "Free for members")

CENTRES = [
    CentreFact(
        "starters-en-snelle-groeiers",
        "antwerpen-waasland",
        Text(
            "Starters & snelle groeiers",
            "Starters et entreprises en forte croissance",
            "Starters & scale-ups",
        ),
        Text(
            "Voka – Kamer van Koophandel Antwerpen-Waasland begeleidt starters en snelle "
            "groeiers van alle alliantiekamers: van businessplan en financiering tot de eerste "
            "aanwervingen.",
            "La Voka – Chambre de commerce d'Anvers-Waasland accompagne les starters et les "
            "entreprises en forte croissance de toutes les Chambres de l'alliance : du plan "
            "d'affaires et du financement aux premiers recrutements.",
            "Voka – Chamber of Commerce Antwerpen-Waasland guides starters and scale-ups of every "
            "alliance chamber: from business plan and funding to the first hires.",
        ),
        (
            ServiceFact(
                "startersbegeleiding",
                Service.Kind.ADVICE,
                Text("Startersbegeleiding", "Accompagnement des starters", "Starter coaching"),
                Text(
                    "Een adviseur neemt je businessplan, financiering en eerste stappen met je "
                    "door.",
                    "Un conseiller passe en revue votre plan d'affaires, votre financement et vos "
                    "premiers pas.",
                    "An adviser goes through your business plan, funding and first steps with you.",
                ),
                FREE_FOR_MEMBERS,
                Service.Audience.EVERYONE,
            ),
            ServiceFact(
                "groeitraject",
                Service.Kind.TRAINING,
                Text(
                    "Groeitraject voor snelle groeiers", "Parcours de croissance", "Scale-up track"
                ),
                Text(
                    "Zes sessies met peers en coaches over strategie, organisatie en financiering "
                    "van snelle groei.",
                    "Six sessions avec des pairs et des coachs sur la stratégie, l'organisation et "
                    "le financement d'une croissance rapide.",
                    "Six sessions with peers and coaches on the strategy, organisation and funding "
                    "of fast growth.",
                ),
                Text(
                    "€ 1.950 voor leden, € 2.950 voor niet-leden",
                    "1 950 € pour les membres, 2 950 € pour les non-membres",
                    "€1,950 for members, €2,950 for non-members",
                ),
            ),
            ServiceFact(
                "startersnetwerk",
                Service.Kind.NETWORKING,
                Text("Startersnetwerk", "Réseau des starters", "Starters' network"),
                Text(
                    "Viermaal per jaar ontmoeten starters uit de drie regio's elkaar bij een "
                    "gastbedrijf.",
                    "Quatre fois par an, les starters des trois régions se retrouvent chez une "
                    "entreprise hôte.",
                    "Four times a year starters from the three regions meet at a host company.",
                ),
                FREE_FOR_MEMBERS,
            ),
        ),
    ),
    CentreFact(
        "internationaal-ondernemen",
        "antwerpen-waasland",
        Text(
            "Internationaal ondernemen", "Entreprendre à l'international", "International business"
        ),
        Text(
            "Handelsmissies, exportadvies en exportdocumenten voor de leden van de hele alliantie: "
            "de internationale missies van de Antwerps-Wase Kamer zijn een poort naar de wereld.",
            "Missions commerciales, conseil à l'exportation et documents d'exportation pour les "
            "membres de toute l'alliance : les missions internationales de la Chambre d'Anvers-"
            "Waasland sont une porte vers le monde.",
            "Trade missions, export advice and export documents for the members of the whole "
            "alliance: the Antwerpen-Waasland chamber's international missions are a gateway to "
            "the world.",
        ),
        (
            ServiceFact(
                "handelsmissies",
                Service.Kind.TRADE_MISSION,
                Text("Handelsmissies", "Missions commerciales", "Trade missions"),
                Text(
                    "Missies op maat met bedrijfsbezoeken en B2B-gesprekken, samen met Flanders "
                    "Investment & Trade.",
                    "Des missions sur mesure avec visites d'entreprises et rendez-vous B2B, avec "
                    "Flanders Investment & Trade.",
                    "Tailor-made missions with company visits and B2B meetings, together with "
                    "Flanders Investment & Trade.",
                ),
                Text(
                    "Prijs per missie, ledenkorting",
                    "Prix par mission, réduction membres",
                    "Price per mission, member discount",
                ),
            ),
            ServiceFact(
                "exportdocumenten",
                Service.Kind.ADVICE,
                Text(
                    "Exportdocumenten en oorsprongscertificaten",
                    "Documents d'exportation et certificats d'origine",
                    "Export documents and certificates of origin",
                ),
                Text(
                    "Certificaten van oorsprong, ATA-carnets en legalisaties, dezelfde dag klaar.",
                    "Certificats d'origine, carnets ATA et légalisations, prêts le jour même.",
                    "Certificates of origin, ATA carnets and legalisations, ready the same day.",
                ),
                Text(
                    "€ 25 per certificaat voor leden",
                    "25 € par certificat pour les membres",
                    "€25 per certificate for members",
                ),
                Service.Audience.EVERYONE,
            ),
            ServiceFact(
                "douane-en-incoterms",
                Service.Kind.TRAINING,
                Text(
                    "Opleiding douane en incoterms",
                    "Formation douane et Incoterms",
                    "Customs and Incoterms training",
                ),
                Text(
                    "Een dag over douaneprocedures, oorsprongsregels en de juiste incoterm.",
                    "Une journée sur les procédures douanières, les règles d'origine et le bon "
                    "Incoterm.",
                    "A day on customs procedures, rules of origin and choosing the right Incoterm.",
                ),
                Text("€ 395 voor leden", "395 € pour les membres", "€395 for members"),
            ),
        ),
    ),
    CentreFact(
        "duurzaam-ondernemen",
        "mechelen",
        Text("Duurzaam ondernemen", "Entreprendre durablement", "Sustainable business"),
        Text(
            "Voka – Kamer van Koophandel Mechelen stelt zijn expertise in duurzaam ondernemen open "
            "voor alle leden van de alliantie: van duurzaamheidsscan tot CSRD-rapportering.",
            "La Voka – Chambre de commerce de Malines ouvre son expertise en entrepreneuriat "
            "durable à tous les membres de l'alliance : du scan de durabilité au reporting CSRD.",
            "Voka – Chamber of Commerce Mechelen opens its sustainable-business expertise to every "
            "member of the alliance: from sustainability scan to CSRD reporting.",
        ),
        (
            ServiceFact(
                "duurzaamheidsscan",
                Service.Kind.ADVICE,
                Text("Duurzaamheidsscan", "Scan de durabilité", "Sustainability scan"),
                Text(
                    "Een halve dag met een adviseur: waar staat je bedrijf en wat zijn de "
                    "snelste winsten?",
                    "Une demi-journée avec un conseiller : où en est votre entreprise et quels "
                    "sont les gains les plus rapides ?",
                    "Half a day with an adviser: where does your company stand and what are the "
                    "quickest wins?",
                ),
                FREE_FOR_MEMBERS,
            ),
            ServiceFact(
                "lerend-netwerk-circulair",
                Service.Kind.NETWORKING,
                Text(
                    "Lerend netwerk circulaire economie",
                    "Réseau d'apprentissage économie circulaire",
                    "Circular economy learning network",
                ),
                Text(
                    "Tien bedrijven, vijf bijeenkomsten per jaar, telkens bij een van de "
                    "deelnemers.",
                    "Dix entreprises, cinq rencontres par an, chaque fois chez l'un des "
                    "participants.",
                    "Ten companies, five meetings a year, each time at one of the participants.",
                ),
                Text("€ 750 per jaar", "750 € par an", "€750 a year"),
            ),
            ServiceFact(
                "csrd-rapportering",
                Service.Kind.TRAINING,
                Text("CSRD-rapportering", "Reporting CSRD", "CSRD reporting"),
                Text(
                    "Wat de Europese rapporteringsplicht vraagt en hoe je ze stap voor stap "
                    "invult.",
                    "Ce qu'exige l'obligation européenne de reporting et comment la remplir pas à "
                    "pas.",
                    "What the European reporting duty asks and how to meet it step by step.",
                ),
                Text("€ 295 voor leden", "295 € pour les membres", "€295 for members"),
            ),
        ),
    ),
    CentreFact(
        "familiebedrijven",
        "mechelen",
        Text("Familiebedrijven", "Entreprises familiales", "Family businesses"),
        Text(
            "Opvolging, governance en de rol van de familie: het competentiecentrum van de "
            "Mechelse Kamer voor familiebedrijven uit de hele alliantie.",
            "Succession, gouvernance et rôle de la famille : le centre de compétences de la "
            "Chambre de Malines pour les entreprises familiales de toute l'alliance.",
            "Succession, governance and the family's role: the Mechelen chamber's competence "
            "centre for family businesses across the alliance.",
        ),
        (
            ServiceFact(
                "opvolgingstraject",
                Service.Kind.ADVICE,
                Text("Opvolgingstraject", "Parcours de succession", "Succession track"),
                Text(
                    "Begeleiding van de overdracht naar de volgende generatie of een externe "
                    "opvolger.",
                    "Accompagnement de la transmission à la génération suivante ou à un "
                    "repreneur externe.",
                    "Guidance in handing over to the next generation or an outside successor.",
                ),
                Text("Op offerte", "Sur devis", "On quotation"),
            ),
            ServiceFact(
                "bestuurdersopleiding",
                Service.Kind.TRAINING,
                Text(
                    "Opleiding voor bestuurders van familiebedrijven",
                    "Formation des administrateurs d'entreprises familiales",
                    "Board training for family businesses",
                ),
                Text(
                    "Hoe een raad van bestuur met externe leden het familiebedrijf sterker maakt.",
                    "Comment un conseil d'administration avec des membres externes renforce "
                    "l'entreprise familiale.",
                    "How a board with outside directors makes the family business stronger.",
                ),
                Text("€ 495 voor leden", "495 € pour les membres", "€495 for members"),
            ),
        ),
    ),
    CentreFact(
        "integrale-innovatie",
        "kempen",
        Text("Integrale innovatie", "Innovation intégrale", "Integrated innovation"),
        Text(
            "Voka – Kamer van Koophandel Kempen inspireert alle leden met het innovatieforum en "
            "begeleidt innovatie in product, proces en organisatie, van Industrie 4.0 tot AI.",
            "La Voka – Chambre de commerce de Campine inspire tous les membres avec son forum de "
            "l'innovation et accompagne l'innovation de produit, de processus et d'organisation, "
            "de l'industrie 4.0 à l'IA.",
            "Voka – Chamber of Commerce Kempen inspires every member with its innovation forum "
            "and guides innovation in products, processes and organisation, from Industry 4.0 "
            "to AI.",
        ),
        (
            ServiceFact(
                "innovatiescan",
                Service.Kind.ADVICE,
                Text("Innovatiescan", "Scan d'innovation", "Innovation scan"),
                Text(
                    "Een gesprek met een innovatieadviseur en een plan met concrete projecten.",
                    "Un entretien avec un conseiller en innovation et un plan de projets concrets.",
                    "A talk with an innovation adviser and a plan with concrete projects.",
                ),
                FREE_FOR_MEMBERS,
            ),
            ServiceFact(
                "subsidiewijzer",
                Service.Kind.INFORMATION,
                Text(
                    "Subsidiewijzer innovatie",
                    "Guide des subsides à l'innovation",
                    "Innovation grants guide",
                ),
                Text(
                    "Welke steun bestaat er voor jouw innovatieproject en hoe vraag je ze aan?",
                    "Quelles aides existent pour votre projet d'innovation et comment les "
                    "demander ?",
                    "Which support exists for your innovation project and how to apply for it?",
                ),
                FREE_FOR_MEMBERS,
                Service.Audience.EVERYONE,
            ),
            ServiceFact(
                "industrie-4-0-netwerk",
                Service.Kind.NETWORKING,
                Text("Netwerk Industrie 4.0", "Réseau industrie 4.0", "Industry 4.0 network"),
                Text(
                    "Bedrijfsbezoeken en peer learning over IoT, 3D-printen en automatisering.",
                    "Visites d'entreprises et apprentissage entre pairs sur l'IoT, l'impression 3D "
                    "et l'automatisation.",
                    "Company visits and peer learning on IoT, 3D printing and automation.",
                ),
                Text("€ 450 per jaar", "450 € par an", "€450 a year"),
            ),
        ),
    ),
    CentreFact(
        "energie",
        "kempen",
        Text("Energie", "Énergie", "Energy"),
        Text(
            "Energieadvies, groepsaankopen en belangenbehartiging in energiedossiers voor de "
            "leden van de drie Kamers.",
            "Conseil énergétique, achats groupés et défense des intérêts dans les dossiers "
            "énergétiques pour les membres des trois Chambres.",
            "Energy advice, group purchasing and interest representation on energy policy for "
            "the members of the three chambers.",
        ),
        (
            ServiceFact(
                "energieaudit",
                Service.Kind.ADVICE,
                Text(
                    "Energieadvies en -audit",
                    "Conseil et audit énergétiques",
                    "Energy advice and audit",
                ),
                Text(
                    "Een energiedeskundige brengt je verbruik en besparingen in kaart.",
                    "Un expert en énergie cartographie votre consommation et vos économies.",
                    "An energy expert maps your consumption and savings.",
                ),
                Text("€ 650 voor leden", "650 € pour les membres", "€650 for members"),
            ),
            ServiceFact(
                "energiedossiers",
                Service.Kind.INTEREST_REPRESENTATION,
                Text(
                    "Belangenbehartiging energiedossiers",
                    "Défense des intérêts dans les dossiers énergétiques",
                    "Energy policy representation",
                ),
                Text(
                    "Netkosten, vergunningen voor zonne- en windenergie en de energienorm: wij "
                    "brengen de stem van de leden naar de overheid.",
                    "Coûts de réseau, permis solaires et éoliens et norme énergétique : nous "
                    "portons la voix des membres auprès des autorités.",
                    "Grid costs, permits for solar and wind, the energy standard: we bring the "
                    "members' voice to government.",
                ),
                FREE_FOR_MEMBERS,
            ),
        ),
    ),
]

# --- Partners and agreements ---------------------------------------------------------------


@dataclass(frozen=True)
class PartnerFact:
    slug: str
    name: str
    kind: str
    country: str
    website: str
    description: str


K = Partner.Kind
PARTNERS = [
    PartnerFact(
        "liof",
        "LIOF",
        K.DEVELOPMENT_AGENCY,
        "NL",
        "https://www.liof.nl",
        "De regionale ontwikkelingsmaatschappij van Nederlands Limburg.",
    ),
    PartnerFact(
        "flanders-investment-trade",
        "Flanders Investment & Trade",
        K.TRADE_AGENCY,
        "BE",
        "https://www.flandersinvestmentandtrade.com",
        "Het Vlaamse agentschap voor internationaal ondernemen, met 21 structurele partners "
        "van 2022 tot 2026.",
    ),
    PartnerFact(
        "essenscia",
        "essenscia Vlaanderen",
        K.SECTOR_FEDERATION,
        "BE",
        "https://www.essenscia.be",
        "Sectorfederatie voor chemie en lifesciences.",
    ),
    PartnerFact(
        "agoria",
        "Agoria",
        K.SECTOR_FEDERATION,
        "BE",
        "https://www.agoria.be",
        "Federatie voor de technologische industrie.",
    ),
    PartnerFact(
        "fevia",
        "Fevia Vlaanderen",
        K.SECTOR_FEDERATION,
        "BE",
        "https://www.fevia.be",
        "Federatie voor de voedingsindustrie.",
    ),
    PartnerFact(
        "vil",
        "VIL",
        K.CLUSTER,
        "BE",
        "https://www.vil.be",
        "De Vlaamse speerpuntcluster voor logistiek.",
    ),
    PartnerFact(
        "flux50",
        "Flux50",
        K.CLUSTER,
        "BE",
        "https://www.flux50.com",
        "De Vlaamse speerpuntcluster voor energie.",
    ),
    PartnerFact(
        "vdab",
        "VDAB",
        K.PUBLIC_BODY,
        "BE",
        "https://www.vdab.be",
        "De Vlaamse dienst voor arbeidsbemiddeling; trekt de werkgroep logistiek en transport "
        "van het Mechelse streekpact.",
    ),
    PartnerFact(
        "boerenbond",
        "Boerenbond",
        K.OTHER,
        "BE",
        "https://www.boerenbond.be",
        "Beroepsorganisatie van land- en tuinbouwers; trekt samen met de Landelijke Gilden de "
        "werkgroep land- en tuinbouw.",
    ),
    PartnerFact(
        "landelijke-gilden",
        "Landelijke Gilden",
        K.OTHER,
        "BE",
        "",
        "Beweging van het platteland; mee trekker van de werkgroep land- en tuinbouw.",
    ),
    PartnerFact(
        "resoc-mechelen",
        "RESOC Mechelen",
        K.PUBLIC_BODY,
        "BE",
        "",
        "Regionaal Sociaaleconomisch Overlegcomité van het arrondissement Mechelen, dat het "
        "streekpact opstelt.",
    ),
    PartnerFact(
        "bcecc",
        "BCECC – Belgian-Chinese Economic & Commercial Council",
        K.BILATERAL_CHAMBER,
        "BE",
        "",
        "Structurele partner van FIT voor de handel met China.",
    ),
    PartnerFact(
        "vckk",
        "VCKK – Vlaams-Chinese Kamer van Koophandel",
        K.BILATERAL_CHAMBER,
        "BE",
        "",
        "Structurele partner van FIT voor de handel met China.",
    ),
    PartnerFact(
        "bicci",
        "BICCI – Belgo-Indian Chamber of Commerce & Industry",
        K.BILATERAL_CHAMBER,
        "BE",
        "",
        "Structurele partner van FIT voor de handel met India.",
    ),
    PartnerFact(
        "bva",
        "BVA – Belgian-Vietnamese Alliance",
        K.BILATERAL_CHAMBER,
        "BE",
        "",
        "Structurele partner van FIT voor de handel met Vietnam.",
    ),
    PartnerFact(
        "flanders-bio",
        "flanders.bio",
        K.CLUSTER,
        "BE",
        "",
        "Clusterorganisatie voor lifesciences.",
    ),
    PartnerFact(
        "the-beacon",
        "The Beacon",
        K.CLUSTER,
        "BE",
        "",
        "Bedrijfsnetwerk voor Internet of Things en artificiële intelligentie.",
    ),
    PartnerFact(
        "unizo-internationaal",
        "UNIZO Internationaal",
        K.EMPLOYERS_ORGANISATION,
        "BE",
        "",
        "Ondernemersorganisatie, structurele partner van FIT.",
    ),
]


@dataclass(frozen=True)
class AgreementFact:
    partner: str
    title: str
    valid_from: datetime.date
    valid_until: datetime.date | None
    notes: str
    chamber: str | None = None  # None: with the alliance
    sectors: tuple[str, ...] = ()
    centres: tuple[str, ...] = ()
    annual_budget: Decimal | None = None


AGREEMENTS = [
    AgreementFact(
        "liof",
        "Samenwerkingsakkoord Euregio",
        datetime.date(2019, 9, 1),
        None,
        "Bilaterale handel binnen de Euregio stimuleren en elkaars netwerk in contact brengen "
        "waar er kansen zijn voor de ondernemingen: gezamenlijke bezoeken (Anuga in Keulen, "
        "Brightlands Campus Greenport in Venlo), later Chemelot Campus, Smart Services Campus "
        "en Health Campus.",
        chamber="limburg",
        sectors=(
            "logistiek-en-transport",
            "voeding",
            "land-en-tuinbouw",
            "agritech",
            "maakindustrie",
            "digitaal",
        ),
    ),
    AgreementFact(
        "flanders-investment-trade",
        "Structureel partnerschap 2022–2026",
        datetime.date(2022, 1, 1),
        datetime.date(2026, 12, 31),
        "Een van de 21 structurele partners van ‘Vlaanderen Versnelt!’: samen seminaries, "
        "missies en events. Het jaarlijkse totaalbudget van 1 miljoen euro geldt voor de 21 "
        "partners samen.",
        centres=("internationaal-ondernemen",),
    ),
    AgreementFact(
        "resoc-mechelen",
        "Streekpact arrondissement Mechelen 2014–2020",
        datetime.date(2014, 1, 1),
        datetime.date(2020, 12, 31),
        "Inspiratieateliers per speerpuntsector; Voka – Kamer van Koophandel Mechelen trekt de "
        "chemische en farmaceutische sector.",
        chamber="mechelen",
        sectors=("chemie-en-farma", "land-en-tuinbouw", "logistiek-en-transport"),
    ),
]

# --- The demo member company ---------------------------------------------------------------

# A fixed member of the Mechelen chamber whose people are the demo log-ins. Its enterprise number
# starts with 01 so that it can never equal a generated one (those start with 02 to 09).
DEMO_COMPANY = {
    "enterprise_number": "0123456749",
    "name": "Dijleland Verpakkingen NV",
    "slug": "dijleland-verpakkingen",
    "legal_form": Company.LegalForm.NV,
    "size_class": Company.SizeClass.SMALL,
    "street": "Oude Brusselsestraat 12",
    "postcode": "2800",
    "municipality": "Mechelen",
    "website": "https://www.dijleland.example",
    "description": "Familiebedrijf uit Mechelen, actief in de maakindustrie: kartonnen en "
    "duurzame verpakkingen voor de voedingsindustrie. Exporteert naar Nederland en Frankrijk.",
    "is_family_business": True,
    "founded_year": 1987,
    "export_countries": ["NL", "FR"],
    "languages": ["nl", "fr", "en"],
    "directory_consent": True,
}
DEMO_COMPANY_SECTORS = ("maakindustrie", "voeding")


# --- Writing the facts ---------------------------------------------------------------------


@dataclass
class Facts:
    """The fixed rows, by slug, that the generated data refers to."""

    chambers: dict[str, Chamber]
    alliance: Alliance
    centres: dict[str, CompetenceCentre]
    sectors: dict[str, Sector]
    partners: dict[str, Partner]
    demo_company: Company


def translated(prefix: str, text: Text) -> dict[str, str]:
    """The field and its modeltranslation columns: {'name': nl, 'name_nl': nl, 'name_fr': ...}.

    The untranslated column is named too, because update_or_create saves only the fields it is
    given and that column should keep the Dutch text.
    """
    return {
        prefix: text.nl,
        f"{prefix}_nl": text.nl,
        f"{prefix}_fr": text.fr,
        f"{prefix}_en": text.en,
    }


ALLIANCE_NAME = Text(
    "Alliantie Antwerpen-Waasland, Kempen en Mechelen",
    "Alliance Anvers-Waes, Campine et Malines",
    "Alliance of Antwerp-Waasland, Kempen and Mechelen",
)
ALLIANCE_DESCRIPTION = Text(
    "De drie Voka – Kamers van Koophandel bundelen hun krachten in dienstverlening, "
    "belangenbehartiging, netwerking en communicatie voor hun 5.600 leden. Elke Kamer "
    "blijft zelfstandig; na een positieve evaluatie volgt binnen drie jaar één "
    "Kamer-overschrijdende structuur over Antwerpen, Kempen, Mechelen en Waasland.",
    "Les trois Chambres de commerce Voka unissent leurs forces en matière de services, de "
    "défense des intérêts, de réseautage et de communication pour leurs 5 600 membres. Chaque "
    "Chambre reste autonome ; après une évaluation positive, une structure commune aux "
    "Chambres couvrira dans les trois ans Anvers, la Campine, Malines et le pays de Waes.",
    "The three Voka Chambers of Commerce join forces in services, representing their members' "
    "interests, networking and communication for their 5,600 members. Each Chamber stays "
    "independent; after a positive evaluation, one cross-chamber structure will cover "
    "Antwerp, Kempen, Mechelen and Waasland within three years.",
)


def ensure_chambers() -> dict[str, Chamber]:
    chambers = {}
    for row in CHAMBERS:
        values = {"kind": Chamber.Kind.LOCAL, "country": "BE", "is_active": True, **row}
        values.update(translated("region", values.pop("region")))
        slug = values.pop("slug")
        chambers[slug], _ = Chamber.objects.update_or_create(slug=slug, defaults=values)
    return chambers


def ensure_alliance(chambers: dict[str, Chamber], today: datetime.date) -> Alliance:
    """The alliance of the three chambers, signed on a Thursday evening about a year ago."""
    signed_on = weekday_on_or_before(add_years(today, -1), 3)
    values = {
        **translated("name", ALLIANCE_NAME),
        **translated("description", ALLIANCE_DESCRIPTION),
    }
    alliance, _ = Alliance.objects.update_or_create(
        slug="alliantie-antwerpen-waasland-kempen-mechelen",
        defaults=values,
        create_defaults={
            **values,
            "signed_on": signed_on,
            "target_date": add_years(signed_on, 3),
        },
    )
    for slug in ALLIANCE_CHAMBERS:
        AllianceChamber.objects.get_or_create(
            alliance=alliance, chamber=chambers[slug], defaults={"joined_on": alliance.signed_on}
        )
    return alliance


def ensure_sectors() -> dict[str, Sector]:
    sectors = {}
    for fact in SECTORS:
        sectors[fact.slug], _ = Sector.objects.update_or_create(
            slug=fact.slug,
            defaults={
                "nace_code": fact.nace_code,
                **translated("name", Text(fact.nl, fact.fr, fact.en)),
            },
        )
    return sectors


def ensure_centres(chambers: dict[str, Chamber], alliance: Alliance) -> dict[str, CompetenceCentre]:
    centres = {}
    for fact in CENTRES:
        centre, _ = CompetenceCentre.objects.update_or_create(
            slug=fact.slug,
            defaults={
                "alliance": alliance,
                "lead_chamber": chambers[fact.lead],
                "email": f"{fact.slug}@{fact.lead}.voka.example",
                **translated("name", fact.name),
                **translated("description", fact.description),
            },
        )
        for service in fact.services:
            Service.objects.update_or_create(
                centre=centre,
                slug=service.slug,
                defaults={
                    "kind": service.kind,
                    "audience": service.audience,
                    "is_active": True,
                    **translated("name", service.name),
                    **translated("description", service.description),
                    **translated("price_note", service.price_note),
                },
            )
        centres[fact.slug] = centre
    return centres


def ensure_partners(
    chambers: dict[str, Chamber],
    alliance: Alliance,
    centres: dict[str, CompetenceCentre],
    sectors: dict[str, Sector],
) -> dict[str, Partner]:
    partners = {}
    for fact in PARTNERS:
        partners[fact.slug], _ = Partner.objects.update_or_create(
            slug=fact.slug,
            defaults={
                "name": fact.name,
                "kind": fact.kind,
                "country": fact.country,
                "website": fact.website,
                "description": fact.description,
            },
        )
    for fact in AGREEMENTS:
        chamber = chambers[fact.chamber] if fact.chamber else None
        agreement, _ = PartnerAgreement.objects.update_or_create(
            partner=partners[fact.partner],
            title=fact.title,
            defaults={
                "alliance": None if chamber else alliance,
                "chamber": chamber,
                "valid_from": fact.valid_from,
                "valid_until": fact.valid_until,
                "annual_budget": fact.annual_budget,
                "notes": fact.notes,
            },
        )
        # The agreement's themes are declared by the apps above chambers (sectors, centres).
        agreement.sectors.set([sectors[slug] for slug in fact.sectors])
        agreement.competence_centres.set([centres[slug] for slug in fact.centres])
    return partners


def ensure_accreditations(chambers: dict[str, Chamber], today: datetime.date) -> None:
    """A granted accreditation per local chamber, assessed on all twelve principles.

    The principles (and the bilateral chambers' three pillars) come from data migrations; the
    demo's cycle in progress is alliance/demo/logins.py's ensure_accreditation_cycle.
    """
    principles = list(
        AccreditationPrinciple.objects.filter(chamber_kind="local").order_by("number")
    )
    for slug in LOCAL_CHAMBERS:
        accreditation, _ = Accreditation.objects.get_or_create(
            chamber=chambers[slug],
            status=Accreditation.Status.GRANTED,
            defaults={
                "valid_from": datetime.date(today.year - 1, 1, 1),
                "valid_until": datetime.date(today.year + 2, 12, 31),
            },
        )
        existing = set(accreditation.assessments.values_list("principle_id", flat=True))
        AccreditationAssessment.objects.bulk_create(
            [
                AccreditationAssessment(
                    accreditation=accreditation,
                    principle=principle,
                    compliant=True,
                    evidence=f"Jaarverslag {today.year - 1}, statuten en "
                    f"bestuursreglement van {chambers[slug].short_name}.",
                    note="Beoordeeld tijdens het auditbezoek van de Federatie.",
                )
                for principle in principles
                if principle.pk not in existing
            ]
        )


def ensure_demo_company(
    chambers: dict[str, Chamber], sectors: dict[str, Sector], today: datetime.date
) -> Company:
    """The demo log-ins' company, with a membership at Mechelen that is current on `today`."""
    values = dict(DEMO_COMPANY)
    number = values.pop("enterprise_number")
    company, created = Company.objects.update_or_create(
        enterprise_number=number,
        defaults=values,
        create_defaults={
            **values,
            "directory_consent_at": at(today, 9) - datetime.timedelta(days=400),
            # Shown to the partners too: the demo's API directory has the demo log-ins' company.
            "partner_consent": True,
            "partner_consent_at": at(today, 9) - datetime.timedelta(days=400),
            "partner_consent_purpose": str(PARTNER_CONSENT_PURPOSE),
        },
    )
    if created:
        company.sectors.set([sectors[slug] for slug in DEMO_COMPANY_SECTORS])
        ConsentRecord.objects.bulk_create(
            ConsentRecord(
                company=company,
                purpose=purpose,
                given=True,
                text=text,
                source=ConsentRecord.Source.IMPORT,
                recorded_at=company.directory_consent_at,
            )
            for purpose, text in (
                (ConsentRecord.Purpose.DIRECTORY, ""),
                (ConsentRecord.Purpose.PARTNERS, company.partner_consent_purpose),
            )
        )
    mechelen = chambers["mechelen"]
    if not Membership.objects.current(today).filter(company=company).exists():
        # A new year: the old period is over, and only one membership may be active.
        company.memberships.filter(status=Membership.Status.ACTIVE).update(
            status=Membership.Status.ENDED
        )
        Membership.objects.update_or_create(
            company=company,
            chamber=mechelen,
            valid_from=datetime.date(today.year, 1, 1),
            defaults={
                "valid_until": datetime.date(today.year, 12, 31),
                "status": Membership.Status.ACTIVE,
                "tier": Membership.Tier.STANDARD,
                "annual_fee": Decimal("750.00"),
            },
        )
    return company


# A company from Dutch Limburg, in LIOF's network and member of no chamber of the alliance: it
# joins the joint Anuga visit as a non-member (the event is open to everyone). Its KvK number is
# fictitious but of the right form (8 digits; KvK numbers have no check digit); its VAT number
# passes the Dutch check (stdnum.nl.btw).
DUTCH_COMPANY = {
    "country": "NL",
    "registration_number": "90412345",
    "vat_number": "NL861204001B01",
    "name": "Maasvallei Zuivel B.V.",
    "slug": "maasvallei-zuivel",
    "legal_form": Company.LegalForm.BV,
    "size_class": Company.SizeClass.SMALL,
    "street": "Mosae Forum 4",
    "postcode": "6211 DW",
    "municipality": "Maastricht",
    "website": "https://www.maasvallei.example",
    "description": "Zuivelproducent uit Zuid-Limburg, op zoek naar afnemers in Belgisch Limburg.",
    "export_countries": ["BE", "DE"],
    "languages": ["nl", "de", "en"],
}
DUTCH_PERSON = {
    "first_name": "Sanne",
    "last_name": "Hendrikx",
    "email": "sanne.hendrikx@maasvallei.example",
    "job_title": "Exportmanager",
}


def ensure_dutch_company() -> Company:
    """The company from abroad, with one person (no log-in: they could join with the KvK
    number)."""
    values = dict(DUTCH_COMPANY)
    company, _created = Company.objects.update_or_create(
        country=values.pop("country"),
        registration_number=values.pop("registration_number"),
        defaults=values,
    )
    Person.objects.get_or_create(
        company=company, email=DUTCH_PERSON["email"], defaults=DUTCH_PERSON
    )
    return company


def ensure_facts(today: datetime.date) -> Facts:
    """Create or update every fixed fact; cheap enough to run on every seed."""
    chambers = ensure_chambers()
    alliance = ensure_alliance(chambers, today)
    sectors = ensure_sectors()
    centres = ensure_centres(chambers, alliance)
    partners = ensure_partners(chambers, alliance, centres, sectors)
    ensure_accreditations(chambers, today)
    demo_company = ensure_demo_company(chambers, sectors, today)
    ensure_dutch_company()
    return Facts(chambers, alliance, centres, sectors, partners, demo_company)


# --- Events from the seed texts ------------------------------------------------------------


@dataclass
class SeedEvent:
    """An event of the seed texts, how full it gets, and which demo log-ins register for it."""

    event: Event
    created: bool
    fill: float
    demo_people: tuple[str, ...] = ()


@dataclass(frozen=True)
class SeedEventFact:
    slug: str
    title: Text
    description: Text
    kind: str
    organiser: str
    starts: datetime.datetime
    ends: datetime.datetime
    city: str
    venue: str
    country: str = "BE"
    capacity: int | None = None
    has_waiting_list: bool = True
    member_price: Decimal = Decimal("0.00")
    non_member_price: Decimal = Decimal("0.00")
    centre: str | None = None
    co_organisers: tuple[str, ...] = ()
    partners: tuple[str, ...] = ()
    sectors: tuple[str, ...] = ()
    # Share of the capacity (or head count when unlimited) that registers.
    fill: float = 0.6
    demo_people: tuple[str, ...] = ()


def seed_event_facts(today: datetime.date) -> list[SeedEventFact]:
    """The events of the seed texts, dated around `today`: a few past, most in the coming months."""
    forum = next_occurrence(today, 10, 5)
    anuga = next_occurrence(today, 10, 7)
    greenport = weekday_on_or_after(next_occurrence(today, 4, 16), 3)
    chemistry = weekday_on_or_before(today - datetime.timedelta(days=21), 4)
    agriculture = weekday_on_or_after(today + datetime.timedelta(days=10), 4)
    logistics = weekday_on_or_after(today + datetime.timedelta(days=24), 4)
    fit_seminar = weekday_on_or_after(today + datetime.timedelta(days=40), 1)
    alliance_terms = Text(
        "Leden van de Kamers Antwerpen-Waasland, Kempen en Mechelen nemen deel aan de ledenprijs.",
        "Les membres des Chambres d'Anvers-Waasland, de Campine et de Malines participent au "
        "tarif membre.",
        "Members of the Antwerpen-Waasland, Kempen and Mechelen chambers take part at the member "
        "price.",
    )
    resoc = Text(
        "RESOC Mechelen betrekt de speerpuntsectoren bij het nieuwe streekpact, met "
        "duurzaamheid als gezamenlijk fundament. ",
        "Le RESOC de Malines associe les secteurs phares au nouveau pacte régional, avec la "
        "durabilité comme fondement commun. ",
        "RESOC Mechelen involves the focus sectors in the new regional pact, with "
        "sustainability as the common foundation. ",
    )
    return [
        SeedEventFact(
            slug="innovatieforum-kempen",
            title=Text(
                "Innovatieforum Kempen",
                "Forum de l'innovation de la Campine",
                "Kempen Innovation Forum",
            ),
            description=Text(
                "Voka – Kamer van Koophandel Kempen inspireert alle leden van de alliantie met "
                "het innovatieforum: ondernemers en specialisten over integrale innovatie, van "
                "Industrie 4.0 en IoT tot nieuwe businessmodellen. " + alliance_terms.nl,
                "La Voka – Chambre de commerce de Campine inspire tous les membres de l'alliance "
                "avec le forum de l'innovation : entrepreneurs et spécialistes parlent "
                "d'innovation intégrale, de l'industrie 4.0 et de l'IoT aux nouveaux modèles "
                "d'affaires. " + alliance_terms.fr,
                "Voka – Chamber of Commerce Kempen inspires every member of the alliance with the "
                "innovation forum: entrepreneurs and specialists on integrated innovation, from "
                "Industry 4.0 and IoT to new business models. " + alliance_terms.en,
            ),
            kind=Event.Kind.FORUM,
            organiser="kempen",
            starts=at(forum, 13, 30),
            ends=at(forum, 19, 0),
            city="Geel",
            venue="Thomas More, campus Geel",
            capacity=250,
            member_price=Decimal("95.00"),
            non_member_price=Decimal("195.00"),
            centre="integrale-innovatie",
            sectors=("maakindustrie", "digitaal"),
            fill=0.7,
            demo_people=("admin", "employee"),
        ),
        SeedEventFact(
            slug="gezamenlijk-bezoek-anuga-keulen",
            title=Text(
                "Gezamenlijk bezoek aan Anuga in Keulen",
                "Visite commune du salon Anuga à Cologne",
                "Joint visit to Anuga in Cologne",
            ),
            description=Text(
                "Voka – KvK Limburg en LIOF bezoeken samen Anuga, de internationale "
                "voedingsbeurs in Keulen. Ondernemers uit beide Limburgen leren elkaar kennen en "
                "ontdekken kansen voor bilaterale handel binnen de Euregio. Busvervoer vanuit "
                "Hasselt, overnachting en toegangsticket inbegrepen.",
                "La Voka – CCI Limbourg et LIOF visitent ensemble Anuga, le salon international "
                "de l'alimentation à Cologne. Les entrepreneurs des deux Limbourg font "
                "connaissance et découvrent les opportunités de commerce bilatéral dans "
                "l'Eurégio. Transport en car depuis Hasselt, nuitée et billet d'entrée compris.",
                "Voka – Chamber of Commerce Limburg and LIOF visit Anuga, the international food "
                "fair in Cologne, together. Business owners from both Limburgs meet and discover "
                "opportunities for bilateral trade within the Euregio. Coach from Hasselt, hotel "
                "night and entry ticket included.",
            ),
            kind=Event.Kind.TRADE_FAIR_VISIT,
            organiser="limburg",
            starts=at(anuga, 7, 0),
            ends=at(anuga + datetime.timedelta(days=1), 20, 0),
            city="Keulen",
            venue="Koelnmesse",
            country="DE",
            capacity=40,
            member_price=Decimal("245.00"),
            non_member_price=Decimal("345.00"),
            partners=("liof",),
            sectors=("voeding",),
            fill=1.35,
            demo_people=("admin",),
        ),
        SeedEventFact(
            slug="bezoek-brightlands-campus-greenport-venlo",
            title=Text(
                "Bezoek aan Brightlands Campus Greenport Venlo",
                "Visite du Brightlands Campus Greenport à Venlo",
                "Visit to Brightlands Campus Greenport Venlo",
            ),
            description=Text(
                "Samen met LIOF bezoekt Voka – KvK Limburg de Brightlands Campus Greenport in "
                "Venlo, waar bedrijven en kennisinstellingen werken aan gezonde voeding en "
                "agritech. Rondleiding, pitches van start-ups en een netwerkmoment met "
                "Nederlands-Limburgse ondernemers.",
                "Avec LIOF, la Voka – CCI Limbourg visite le Brightlands Campus Greenport à "
                "Venlo, où entreprises et instituts de recherche travaillent sur l'alimentation "
                "saine et l'agritech. Visite guidée, pitchs de start-up et moment de réseautage "
                "avec des entrepreneurs du Limbourg néerlandais.",
                "Together with LIOF, Voka – Chamber of Commerce Limburg visits Brightlands Campus "
                "Greenport in Venlo, where companies and research institutes work on healthy "
                "food and agritech. Guided tour, start-up pitches and networking with business "
                "owners from Dutch Limburg.",
            ),
            kind=Event.Kind.COMPANY_VISIT,
            organiser="limburg",
            starts=at(greenport, 13, 0),
            ends=at(greenport, 18, 0),
            city="Venlo",
            venue="Brightlands Campus Greenport",
            country="NL",
            capacity=30,
            member_price=Decimal("45.00"),
            non_member_price=Decimal("75.00"),
            partners=("liof",),
            sectors=("agritech", "voeding"),
            fill=0.5,
        ),
        SeedEventFact(
            slug="inspiratieatelier-chemie-en-farma",
            title=Text(
                "Inspiratieatelier chemie en farma",
                "Atelier d'inspiration chimie et pharmacie",
                "Inspiration workshop: chemicals and pharmaceuticals",
            ),
            description=Text(
                resoc.nl + "Voka – Kamer van Koophandel Mechelen neemt het voortouw voor de "
                "chemische en farmaceutische sector: met essenscia, specialisten, bedrijfsleiders "
                "en stakeholders over de afstemming tussen bedrijfsleven en onderwijs, het imago "
                "van de sector en innovatie.",
                resoc.fr + "La Voka – Chambre de commerce de Malines mène le secteur de la chimie "
                "et de la pharmacie : avec essenscia, des spécialistes, des dirigeants et des "
                "parties prenantes, sur l'adéquation entre entreprises et enseignement, l'image "
                "du secteur et l'innovation.",
                resoc.en + "Voka – Chamber of Commerce Mechelen leads for the chemical and "
                "pharmaceutical sector: with essenscia, specialists, business leaders and "
                "stakeholders on matching business and education, the sector's image and "
                "innovation.",
            ),
            kind=Event.Kind.WORKSHOP,
            organiser="mechelen",
            starts=at(chemistry, 14, 0),
            ends=at(chemistry, 17, 0),
            city="Mechelen",
            venue="Lamot Mechelen",
            capacity=40,
            partners=("resoc-mechelen", "essenscia"),
            sectors=("chemie-en-farma", "life-sciences-en-gezondheid"),
            fill=0.8,
            demo_people=("employee",),
        ),
        SeedEventFact(
            slug="inspiratieatelier-land-en-tuinbouw",
            title=Text(
                "Inspiratieatelier land- en tuinbouw",
                "Atelier d'inspiration agriculture et horticulture",
                "Inspiration workshop: agriculture and horticulture",
            ),
            description=Text(
                resoc.nl + "Boerenbond en de Landelijke Gilden trekken de werkgroep land- en "
                "tuinbouw; Voka – Kamer van Koophandel Mechelen brengt de bedrijfsleiders samen.",
                resoc.fr + "Le Boerenbond et les Landelijke Gilden mènent le groupe de travail "
                "agriculture et horticulture ; la Voka – Chambre de commerce de Malines réunit "
                "les dirigeants d'entreprise.",
                resoc.en + "Boerenbond and the Landelijke Gilden lead the agriculture and "
                "horticulture working group; Voka – Chamber of Commerce Mechelen brings the "
                "business leaders together.",
            ),
            kind=Event.Kind.WORKSHOP,
            organiser="mechelen",
            starts=at(agriculture, 14, 0),
            ends=at(agriculture, 17, 0),
            city="Sint-Katelijne-Waver",
            venue="Proefstation voor de Groenteteelt",
            capacity=40,
            partners=("resoc-mechelen", "boerenbond", "landelijke-gilden"),
            sectors=("land-en-tuinbouw", "agritech"),
            fill=0.5,
        ),
        SeedEventFact(
            slug="inspiratieatelier-logistiek-en-transport",
            title=Text(
                "Inspiratieatelier logistiek en transport",
                "Atelier d'inspiration logistique et transport",
                "Inspiration workshop: logistics and transport",
            ),
            description=Text(
                resoc.nl + "VDAB leidt de werkgroep logistiek en transport: talent, opleiding en "
                "de afstemming tussen onderwijs en arbeidsmarkt.",
                resoc.fr + "Le VDAB mène le groupe de travail logistique et transport : talents, "
                "formation et adéquation entre enseignement et marché du travail.",
                resoc.en + "VDAB leads the logistics and transport working group: talent, "
                "training and matching education with the labour market.",
            ),
            kind=Event.Kind.WORKSHOP,
            organiser="mechelen",
            starts=at(logistics, 9, 30),
            ends=at(logistics, 12, 30),
            city="Willebroek",
            venue="De Schorre, zaal Rupel",
            capacity=40,
            partners=("resoc-mechelen", "vdab"),
            sectors=("logistiek-en-transport",),
            fill=0.3,
        ),
        SeedEventFact(
            slug="seminarie-vlaanderen-versnelt-met-fit",
            title=Text(
                "Vlaanderen Versnelt!: internationaal groeien met FIT en Voka",
                "Vlaanderen Versnelt! : grandir à l'international avec FIT et Voka",
                "Vlaanderen Versnelt!: growing internationally with FIT and Voka",
            ),
            description=Text(
                "Flanders Investment & Trade en de alliantie stellen hun programma voor "
                "internationalisering voor: missies, beurzen en het netwerk van 21 structurele "
                "partners. " + alliance_terms.nl,
                "Flanders Investment & Trade et l'alliance présentent leur programme "
                "d'internationalisation : missions, salons et le réseau des 21 partenaires "
                "structurels. " + alliance_terms.fr,
                "Flanders Investment & Trade and the alliance present their internationalisation "
                "programme: missions, fairs and the network of 21 structural partners. "
                + alliance_terms.en,
            ),
            kind=Event.Kind.SEMINAR,
            organiser="antwerpen-waasland",
            starts=at(fit_seminar, 16, 0),
            ends=at(fit_seminar, 19, 0),
            city="Antwerpen",
            venue="Voka – Kamer van Koophandel Antwerpen-Waasland",
            capacity=120,
            member_price=Decimal("0.00"),
            non_member_price=Decimal("50.00"),
            centre="internationaal-ondernemen",
            co_organisers=("kempen", "mechelen"),
            partners=("flanders-investment-trade", "bcecc", "vckk"),
            fill=0.45,
        ),
    ]


def ensure_seed_events(facts: Facts, today: datetime.date) -> list[SeedEvent]:
    """Create or update the seed texts' events; their dates are fixed when first created."""
    seeds = []
    for fact in seed_event_facts(today):
        # Registration opened at least ten days ago, so that the coming ones already fill up.
        opens = at(
            min(
                fact.starts.date() - datetime.timedelta(days=60),
                today - datetime.timedelta(days=10),
            ),
            9,
        )
        values = {
            **translated("title", fact.title),
            **translated("description", fact.description),
            "kind": fact.kind,
            "organiser": facts.chambers[fact.organiser],
            "centre": facts.centres[fact.centre] if fact.centre else None,
            "city": fact.city,
            "venue": fact.venue,
            "country": fact.country,
            "capacity": fact.capacity,
            "has_waiting_list": fact.has_waiting_list,
            "member_price": fact.member_price,
            "non_member_price": fact.non_member_price,
            "status": Event.Status.PUBLISHED,
        }
        event, created = Event.objects.update_or_create(
            slug=fact.slug,
            defaults=values,
            create_defaults={
                **values,
                "starts_at": fact.starts,
                "ends_at": fact.ends,
                "registration_opens_at": opens,
                "registration_closes_at": fact.starts - datetime.timedelta(days=2),
            },
        )
        event.co_organisers.set([facts.chambers[slug] for slug in fact.co_organisers])
        event.partners.set([facts.partners[slug] for slug in fact.partners])
        event.sectors.set([facts.sectors[slug] for slug in fact.sectors])
        seeds.append(SeedEvent(event, created, fact.fill, fact.demo_people))
    return seeds
