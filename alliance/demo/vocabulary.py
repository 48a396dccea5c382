"""Word lists the generator draws from: company names, streets, jobs, event topics, fairs.

Faker (nl_BE, fr_BE, en_GB) supplies people's names; its Belgian street names and phone numbers
do not look Belgian enough, so those come from here.
"""

from __future__ import annotations

from alliance.demo.facts import Text

# What a company in a sector calls itself ("Peeters Logistics", "Transport Geel").
SECTOR_WORDS: dict[str, tuple[str, ...]] = {
    "chemie-en-farma": ("Chemicals", "Coatings", "Polymers", "Pharma", "Chemie", "Lab"),
    "land-en-tuinbouw": ("Tuinbouw", "Kwekerij", "Agri", "Boomkwekerij", "Serres", "Hoeve"),
    "logistiek-en-transport": ("Transport", "Logistics", "Expeditie", "Shipping", "Warehousing"),
    "voeding": ("Foods", "Bakkerij", "Brouwerij", "Chocolaterie", "Vleeswaren", "Groenten"),
    "maakindustrie": ("Metaalbouw", "Machinebouw", "Engineering", "Staalbouw", "Industries"),
    "agritech": ("AgriTech", "Greentech", "Farm Systems", "Hydroponics"),
    "life-sciences-en-gezondheid": ("Biotech", "Medical", "Diagnostics", "Health", "Care"),
    "energie": ("Energy", "Solar", "Elektro", "Installaties", "Warmtepompen"),
    "digitaal": ("Digital", "IT", "Software", "Systems", "Data", "3D", "Automation"),
    "bouw": ("Bouw", "Aannemingen", "Dakwerken", "Renovatie", "Betonbouw"),
    "handel": ("Handel", "Distributie", "Trading", "Groothandel", "Import-Export"),
    "zakelijke-dienstverlening": ("Consult", "Advies", "Partners", "Accountancy", "Interim"),
    "horeca-en-toerisme": ("Hotel", "Catering", "Events", "Brasserie", "Travel"),
    "textiel-hout-en-meubel": ("Textiel", "Meubelen", "Interieur", "Houtbewerking", "Weverij"),
}

# Invented brand stems, many after the region's rivers and landscapes.
BRAND_STEMS = (
    "Schelde",
    "Nete",
    "Dijle",
    "Rupel",
    "Kempen",
    "Waas",
    "Maas",
    "Demer",
    "Durme",
    "Zenne",
    "Noorder",
    "Euro",
    "Flanders",
    "Nova",
    "Proxi",
    "Vita",
    "Prima",
    "Terra",
    "Aqua",
    "Linea",
    "Delta",
    "Orion",
    "Vector",
    "Hexa",
)
BRAND_ENDINGS = ("tec", "plus", "line", "pro", "wise", "gen", "ix", "ia", "on", "ra")

STREETS = (
    "Kerkstraat",
    "Stationsstraat",
    "Dorpsstraat",
    "Molenstraat",
    "Nijverheidsstraat",
    "Industrieweg",
    "Industriepark",
    "Ambachtsweg",
    "Steenweg",
    "Schoolstraat",
    "Kapelstraat",
    "Hoogstraat",
    "Zandstraat",
    "Bosstraat",
    "Veldstraat",
    "Beukenlaan",
    "Lindenlaan",
    "Kasteelstraat",
    "Heidestraat",
    "Kanaalweg",
    "Havenlaan",
    "Bedrijvenlaan",
    "Zoning Zuid",
    "Boomsesteenweg",
    "Liersesteenweg",
    "Turnhoutsebaan",
    "Nieuwstraat",
    "Grote Markt",
    "Kempenlaan",
    "Europalaan",
)

ADMIN_JOBS = (
    "Zaakvoerder",
    "Gedelegeerd bestuurder",
    "CEO",
    "Algemeen directeur",
    "Office manager",
    "HR-manager",
)
EMPLOYEE_JOBS = (
    "Exportmanager",
    "Sales manager",
    "Aankoper",
    "Productieverantwoordelijke",
    "Financieel directeur",
    "Marketingverantwoordelijke",
    "Preventieadviseur",
    "Logistiek manager",
    "Innovatiemanager",
    "Duurzaamheidscoördinator",
    "Boekhouder",
    "Projectingenieur",
    "Energiecoördinator",
    "Customer service",
)

# Export destinations, roughly by how often Flemish companies export there.
EXPORT_COUNTRIES = (
    ("NL", 30),
    ("DE", 25),
    ("FR", 25),
    ("GB", 10),
    ("LU", 8),
    ("US", 8),
    ("ES", 6),
    ("IT", 6),
    ("PL", 4),
    ("SE", 3),
    ("CN", 4),
    ("IN", 2),
    ("VN", 1),
    ("MA", 1),
    ("CA", 2),
    ("JP", 1),
    ("AE", 2),
    ("BR", 1),
)
COUNTRY_NAMES_NL = {
    "NL": "Nederland",
    "DE": "Duitsland",
    "FR": "Frankrijk",
    "GB": "het Verenigd Koninkrijk",
    "LU": "Luxemburg",
    "US": "de Verenigde Staten",
    "ES": "Spanje",
    "IT": "Italië",
    "PL": "Polen",
    "SE": "Zweden",
    "CN": "China",
    "IN": "India",
    "VN": "Vietnam",
    "MA": "Marokko",
    "CA": "Canada",
    "JP": "Japan",
    "AE": "de Verenigde Arabische Emiraten",
    "BR": "Brazilië",
}

# --- Events --------------------------------------------------------------------------------

# Topics per competence centre (and None: no centre); each becomes a seminar, a training, ...
TOPICS: dict[str | None, tuple[Text, ...]] = {
    "starters-en-snelle-groeiers": (
        Text(
            "Je eerste werknemer aanwerven",
            "Engager son premier salarié",
            "Hiring your first employee",
        ),
        Text(
            "Financiering voor snelle groeiers",
            "Financer une croissance rapide",
            "Funding for scale-ups",
        ),
        Text("Pitchen voor investeerders", "Convaincre des investisseurs", "Pitching to investors"),
        Text(
            "Van idee tot businessplan",
            "De l'idée au plan d'affaires",
            "From idea to business plan",
        ),
        Text(
            "Groeien zonder groeipijnen",
            "Grandir sans douleurs de croissance",
            "Growing without growing pains",
        ),
    ),
    "internationaal-ondernemen": (
        Text("Exporteren naar Duitsland", "Exporter vers l'Allemagne", "Exporting to Germany"),
        Text("Incoterms in de praktijk", "Les Incoterms en pratique", "Incoterms in practice"),
        Text(
            "Douane en oorsprongsregels",
            "Douane et règles d'origine",
            "Customs and rules of origin",
        ),
        Text("Zakendoen in China", "Faire des affaires en Chine", "Doing business in China"),
        Text(
            "Exportkredietverzekering",
            "Assurance-crédit à l'exportation",
            "Export credit insurance",
        ),
        Text("Internationale contracten", "Contrats internationaux", "International contracts"),
    ),
    "duurzaam-ondernemen": (
        Text(
            "CSRD-rapportering voor kmo's",
            "Le reporting CSRD pour les PME",
            "CSRD reporting for SMEs",
        ),
        Text("Circulair ondernemen", "L'économie circulaire en entreprise", "Circular business"),
        Text(
            "Je CO2-voetafdruk berekenen",
            "Calculer son empreinte carbone",
            "Calculating your carbon footprint",
        ),
        Text(
            "Duurzaam woon-werkverkeer",
            "Des déplacements domicile-travail durables",
            "Sustainable commuting",
        ),
        Text(
            "Water hergebruiken in de industrie",
            "Réutiliser l'eau dans l'industrie",
            "Water reuse in industry",
        ),
    ),
    "familiebedrijven": (
        Text(
            "Opvolging in het familiebedrijf",
            "La succession dans l'entreprise familiale",
            "Succession in the family business",
        ),
        Text(
            "Een familiecharter opstellen",
            "Rédiger une charte familiale",
            "Drafting a family charter",
        ),
        Text(
            "Externe bestuurders in de raad van bestuur",
            "Des administrateurs externes au conseil",
            "Outside directors on the board",
        ),
        Text(
            "De volgende generatie aan het roer",
            "La génération suivante aux commandes",
            "The next generation at the helm",
        ),
    ),
    "integrale-innovatie": (
        Text(
            "Industrie 4.0 op de werkvloer",
            "L'industrie 4.0 dans l'atelier",
            "Industry 4.0 on the shop floor",
        ),
        Text(
            "3D-printen in de maakindustrie",
            "L'impression 3D dans l'industrie manufacturière",
            "3D printing in manufacturing",
        ),
        Text(
            "Artificiële intelligentie voor kmo's",
            "L'intelligence artificielle pour les PME",
            "Artificial intelligence for SMEs",
        ),
        Text(
            "IoT-sensoren in de productie",
            "Capteurs IoT en production",
            "IoT sensors in production",
        ),
        Text("Innovatiesubsidies", "Les subsides à l'innovation", "Innovation grants"),
        Text(
            "Cyberveiligheid in de fabriek",
            "La cybersécurité à l'usine",
            "Cyber security in the factory",
        ),
    ),
    "energie": (
        Text(
            "Zonnepanelen en batterijopslag",
            "Panneaux solaires et stockage par batteries",
            "Solar panels and battery storage",
        ),
        Text(
            "Energie delen tussen bedrijven",
            "Partager l'énergie entre entreprises",
            "Energy sharing between companies",
        ),
        Text(
            "Warmtenetten op bedrijventerreinen",
            "Réseaux de chaleur dans les zones d'activités",
            "Heat networks on business parks",
        ),
        Text(
            "De energiefactuur onder controle",
            "Maîtriser la facture énergétique",
            "Getting the energy bill under control",
        ),
        Text("Waterstof in de industrie", "L'hydrogène dans l'industrie", "Hydrogen in industry"),
    ),
    None: (
        Text("Arbeidsmarkt en talent", "Marché du travail et talents", "Labour market and talent"),
        Text("Mobiliteit in de regio", "La mobilité dans la région", "Mobility in the region"),
        Text(
            "Het nieuwe vennootschapsrecht", "Le nouveau droit des sociétés", "The new company law"
        ),
        Text("Welzijn op het werk", "Le bien-être au travail", "Wellbeing at work"),
        Text("Digitale marketing", "Le marketing digital", "Digital marketing"),
        Text(
            "Zakendoen in de Euregio",
            "Faire des affaires dans l'Eurégio",
            "Doing business in the Euregio",
        ),
    ),
}

# Sectors a centre's events are usually tagged with.
CENTRE_SECTORS: dict[str | None, tuple[str, ...]] = {
    "starters-en-snelle-groeiers": ("digitaal", "zakelijke-dienstverlening", "handel"),
    "internationaal-ondernemen": ("logistiek-en-transport", "voeding", "chemie-en-farma", "handel"),
    "duurzaam-ondernemen": ("chemie-en-farma", "bouw", "maakindustrie", "energie"),
    "familiebedrijven": ("voeding", "maakindustrie", "bouw", "handel"),
    "integrale-innovatie": ("digitaal", "maakindustrie", "life-sciences-en-gezondheid"),
    "energie": ("energie", "chemie-en-farma", "maakindustrie"),
    None: ("logistiek-en-transport", "voeding", "zakelijke-dienstverlening", "bouw"),
}

# Partners that fit a centre's or a sector's events.
CENTRE_PARTNERS: dict[str | None, tuple[str, ...]] = {
    "starters-en-snelle-groeiers": ("unizo-internationaal",),
    "internationaal-ondernemen": ("flanders-investment-trade",),
    "duurzaam-ondernemen": ("essenscia",),
    "familiebedrijven": (),
    "integrale-innovatie": ("agoria", "the-beacon"),
    "energie": ("flux50",),
    None: ("vdab",),
}
SECTOR_PARTNERS: dict[str, tuple[str, ...]] = {
    "chemie-en-farma": ("essenscia",),
    "voeding": ("fevia",),
    "logistiek-en-transport": ("vil",),
    "energie": ("flux50",),
    "maakindustrie": ("agoria",),
    "life-sciences-en-gezondheid": ("flanders-bio",),
    "land-en-tuinbouw": ("boerenbond",),
    "digitaal": ("the-beacon",),
}

KIND_TITLES: dict[str, Text] = {
    "seminar": Text("Seminarie: {t}", "Séminaire : {t}", "Seminar: {t}"),
    "training": Text("Opleiding: {t}", "Formation : {t}", "Training: {t}"),
    "workshop": Text(
        "Inspiratieatelier: {t}", "Atelier d'inspiration : {t}", "Inspiration workshop: {t}"
    ),
    "forum": Text("Forum: {t}", "Forum : {t}", "Forum: {t}"),
}
KIND_DESCRIPTIONS: dict[str, Text] = {
    "seminar": Text(
        "Een seminarie over ‘{t}’: experts en ondernemers delen hun ervaring, met tijd voor "
        "vragen en een netwerkmoment achteraf.",
        "Un séminaire sur « {t} » : experts et entrepreneurs partagent leur expérience, avec "
        "du temps pour les questions et un moment de réseautage.",
        "A seminar on ‘{t}’: experts and business owners share their experience, with time for "
        "questions and networking afterwards.",
    ),
    "training": Text(
        "Een praktijkgerichte opleiding over ‘{t}’ in een kleine groep, met oefeningen op je "
        "eigen bedrijf.",
        "Une formation pratique sur « {t} » en petit groupe, avec des exercices appliqués à "
        "votre entreprise.",
        "A hands-on training on ‘{t}’ in a small group, with exercises based on your own company.",
    ),
    "workshop": Text(
        "Een inspiratieatelier over ‘{t}’ met specialisten, bedrijfsleiders en partners: samen "
        "bepalen we de volgende stappen.",
        "Un atelier d'inspiration sur « {t} » avec des spécialistes, des dirigeants et des "
        "partenaires : ensemble, nous définissons les prochaines étapes.",
        "An inspiration workshop on ‘{t}’ with specialists, business leaders and partners: "
        "together we set the next steps.",
    ),
    "forum": Text(
        "Het forum over ‘{t}’ brengt ondernemers uit de hele alliantie samen rond getuigenissen, "
        "debat en netwerking.",
        "Le forum « {t} » réunit des entrepreneurs de toute l'alliance autour de témoignages, "
        "de débats et de réseautage.",
        "The forum on ‘{t}’ brings business owners from the whole alliance together for "
        "testimonials, debate and networking.",
    ),
    "company_visit": Text(
        "Een kijkje achter de schermen bij {host} in {city}: rondleiding, toelichting door de "
        "bedrijfsleider en een netwerkdrink.",
        "Découvrez les coulisses de {host} à {city} : visite guidée, présentation par le "
        "dirigeant et verre de réseautage.",
        "A look behind the scenes at {host} in {city}: guided tour, a talk by the managing "
        "director and networking drinks.",
    ),
    "networking": Text(
        "Ontmoet andere ondernemers uit de regio in een ontspannen sfeer. Vrije inloop, drankje "
        "en hapje inbegrepen.",
        "Rencontrez d'autres entrepreneurs de la région dans une ambiance détendue. Entrée "
        "libre, boissons et bouchées comprises.",
        "Meet other business owners from the region in a relaxed setting. Walk-in, drinks and "
        "snacks included.",
    ),
    "trade_mission": Text(
        "Een handelsmissie naar {country} met bedrijfsbezoeken, B2B-gesprekken op maat en "
        "ontmoetingen met de Vlaamse economische vertegenwoordigers ter plaatse.",
        "Une mission commerciale {country} avec des visites d'entreprises, des rendez-vous B2B "
        "sur mesure et des rencontres avec les représentants économiques flamands sur place.",
        "A trade mission to {country} with company visits, tailor-made B2B meetings and meetings "
        "with the Flemish economic representatives on site.",
    ),
    "trade_fair_visit": Text(
        "Samen naar {fair} in {city}: gezamenlijk vervoer, toegangsticket en een begeleide "
        "rondgang langs de standen die voor jouw sector tellen.",
        "Ensemble au salon {fair} à {city} : transport commun, billet d'entrée et visite guidée "
        "des stands importants pour votre secteur.",
        "Together to {fair} in {city}: shared transport, entry ticket and a guided tour of the "
        "stands that matter to your sector.",
    ),
}
# Networking titles: (title, is it a breakfast?). No seasonal ones ("Zomerdrink"): a title that
# followed the date would change the slug when the anchor day changes, and duplicate the event.
NETWORKING_TITLES = (
    (
        Text(
            "Netwerkontbijt {city}", "Petit-déjeuner réseau à {city}", "Networking breakfast {city}"
        ),
        True,
    ),
    (
        Text("Ondernemerscafé {city}", "Café des entrepreneurs à {city}", "Business café {city}"),
        False,
    ),
    (
        Text(
            "Afterwork voor leden in {city}",
            "Afterwork des membres à {city}",
            "Members' after-work in {city}",
        ),
        False,
    ),
)
COMPANY_VISIT_TITLE = Text(
    "Bedrijfsbezoek bij {host}", "Visite d'entreprise chez {host}", "Company visit: {host}"
)
TRADE_MISSION_TITLE = Text(
    "Handelsmissie naar {country}", "Mission commerciale {country}", "Trade mission to {country}"
)
TRADE_FAIR_TITLE = Text("Beursbezoek {fair}", "Visite du salon {fair}", "Trade fair visit: {fair}")

# Trade missions: (country code, name in nl / fr phrase / en, city, partners besides FIT).
MISSIONS = (
    ("VN", Text("Vietnam", "au Vietnam", "Vietnam"), "Ho Chi Minhstad", ("bva",)),
    ("IN", Text("India", "en Inde", "India"), "Mumbai", ("bicci",)),
    ("CN", Text("China", "en Chine", "China"), "Shanghai", ("bcecc", "vckk")),
    ("MA", Text("Marokko", "au Maroc", "Morocco"), "Casablanca", ()),
    ("CA", Text("Canada", "au Canada", "Canada"), "Montreal", ()),
    ("US", Text("de Verenigde Staten", "aux États-Unis", "the United States"), "Chicago", ()),
    ("SE", Text("Zweden", "en Suède", "Sweden"), "Stockholm", ()),
    ("PL", Text("Polen", "en Pologne", "Poland"), "Warschau", ()),
    ("JP", Text("Japan", "au Japon", "Japan"), "Osaka", ()),
    (
        "AE",
        Text(
            "de Verenigde Arabische Emiraten", "aux Émirats arabes unis", "the United Arab Emirates"
        ),
        "Dubai",
        (),
    ),
)

# Trade fairs: (name, city nl / fr / en, country, sector).
FAIRS = (
    ("Hannover Messe", Text("Hannover", "Hanovre", "Hanover"), "DE", "maakindustrie"),
    ("SIAL Paris", Text("Parijs", "Paris", "Paris"), "FR", "voeding"),
    ("Fruit Logistica", Text("Berlijn", "Berlin", "Berlin"), "DE", "land-en-tuinbouw"),
    ("transport logistic", Text("München", "Munich", "Munich"), "DE", "logistiek-en-transport"),
    ("interpack", Text("Düsseldorf", "Düsseldorf", "Düsseldorf"), "DE", "voeding"),
    ("MEDICA", Text("Düsseldorf", "Düsseldorf", "Düsseldorf"), "DE", "life-sciences-en-gezondheid"),
    ("E-world energy & water", Text("Essen", "Essen", "Essen"), "DE", "energie"),
    ("ACHEMA", Text("Frankfurt", "Francfort", "Frankfurt"), "DE", "chemie-en-farma"),
    ("GreenTech Amsterdam", Text("Amsterdam", "Amsterdam", "Amsterdam"), "NL", "agritech"),
    ("Intersolar Europe", Text("München", "Munich", "Munich"), "DE", "energie"),
    ("Formnext", Text("Frankfurt", "Francfort", "Frankfurt"), "DE", "digitaal"),
)

# Where a chamber holds its own events.
VENUES = (
    "Cultuurcentrum",
    "Ondernemerscentrum",
    "Hotel Van der Valk",
    "Congrescentrum",
    "Campus Hogeschool",
    "Zaal De Schakel",
)

ALLIANCE_TERMS = Text(
    "Leden van de Kamers Antwerpen-Waasland, Kempen en Mechelen nemen deel aan de ledenprijs.",
    "Les membres des Chambres d'Anvers-Waasland, de Campine et de Malines participent au tarif "
    "membre.",
    "Members of the Antwerpen-Waasland, Kempen and Mechelen chambers take part at the member "
    "price.",
)
LIMBURG_TERMS = Text(
    "Leden van Voka – KvK Limburg nemen deel aan de ledenprijs.",
    "Les membres de la Voka – CCI Limbourg participent au tarif membre.",
    "Members of Voka – Chamber of Commerce Limburg take part at the member price.",
)
