"""The figures as staff read them: each a table (header, rows, totals) and its chart, built from
the counting rules in alliance/figures/queries.py. The staff figures page shows them; its CSV
download is the same table."""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from alliance.base.spreadsheets import safe_text
from alliance.figures import charts
from alliance.figures import queries as figures
from members.models import Membership, ServiceRequest

YEARS_SHOWN = 5


@dataclass
class Figure:
    """One figure: what it counts, its table (header, rows, totals) and its chart."""

    name: str
    title: str
    definition: str
    header: list[str]
    rows: list[list]
    # Per column: "text", "number" or "percent" (a rate from 0 to 1, or None).
    kinds: list[str]
    chart: SafeString = SafeString("")
    totals: list | None = None
    note: str = ""
    cells: list[list[str]] = field(default_factory=list)
    total_cells: list[str] = field(default_factory=list)

    def __post_init__(self):
        self.cells = [self._shown(row) for row in self.rows]
        self.total_cells = self._shown(self.totals) if self.totals else []

    def _shown(self, row: list) -> list[str]:
        return [show(value, kind) for value, kind in zip(row, self.kinds, strict=True)]

    def csv_rows(self) -> list[list]:
        rows = [self.header]
        for row in [*self.rows, *([self.totals] if self.totals else [])]:
            rows.append([for_csv(value, kind) for value, kind in zip(row, self.kinds, strict=True)])
        return rows


def show(value, kind: str) -> str:
    """Numbers the Belgian way (1.250; 83,3 %); a rate with nothing to divide by is "–"."""
    if kind == "percent":
        if value is None:
            return "–"
        return f"{100 * value:.1f}".replace(".", ",") + "\u00a0%"
    if kind == "number":
        return f"{value:,}".replace(",", ".")
    return str(value)


def for_csv(value, kind: str):
    """Plain numbers for spreadsheets: rates as percentages with one decimal, empty when none."""
    if kind == "percent":
        return "" if value is None else f"{100 * value:.1f}"
    return safe_text(value)


def _percent(value) -> float | None:
    return None if value is None else round(100 * value, 1)


def members_figure(chamber_ids, year) -> Figure:
    rows = figures.members_by_chamber_and_tier(chamber_ids)
    tiers = Membership.Tier.choices
    chambers = sorted({(row["chamber"], row["chamber_name"]) for row in rows}, key=lambda c: c[1])
    counts = {(row["chamber"], row["tier"]): row["members"] for row in rows}
    table = [
        [name, *(counts.get((slug, tier), 0) for tier, _label in tiers)] for slug, name in chambers
    ]
    for row in table:
        row.append(sum(row[1:]))
    totals = [_("Totaal"), *(sum(row[i] for row in table) for i in range(1, len(tiers) + 2))]
    return Figure(
        name="members",
        title=_("Leden per kamer en formule"),
        definition=_("Ondernemingen met een lopend lidmaatschap vandaag, per thuiskamer."),
        header=[_("Kamer"), *(str(label) for _tier, label in tiers), _("Totaal")],
        rows=table,
        kinds=["text", *["number"] * (len(tiers) + 1)],
        totals=totals if len(table) > 1 else None,
        chart=charts.bar_chart(
            title=_("Leden per kamer en formule"),
            description=_("Staafdiagram: per kamer het aantal leden per formule."),
            categories=[name for _slug, name in chambers],
            series=[
                (str(label), [counts.get((slug, tier), 0) for slug, _name in chambers])
                for tier, label in tiers
            ],
            y_label=_("leden"),
            x_label=_("kamer"),
        ),
    )


def retention_figure(chamber_ids, year) -> Figure:
    rows = figures.retention("year", chamber_ids, periods=YEARS_SHOWN)
    return Figure(
        name="retention",
        title=_("Retentie en verloop"),
        definition=_(
            "Per jaar de lidmaatschappen waarvan de periode afliep, en hoeveel daarvan binnen drie "
            "maanden bij dezelfde kamer verlengd werden. Verloop = niet verlengd."
        ),
        header=[
            _("Jaar"),
            _("Af te lopen"),
            _("Verlengd"),
            _("Niet verlengd"),
            _("Retentie"),
            _("Verloop"),
        ],
        rows=[
            [
                row["label"],
                row["due"],
                row["renewed"],
                row["churned"],
                row["retention_rate"],
                row["churn_rate"],
            ]
            for row in rows
        ],
        kinds=["text", "number", "number", "number", "percent", "percent"],
        chart=charts.line_chart(
            title=_("Retentie en verloop per jaar"),
            description=_("Lijndiagram: per jaar het deel verlengde en niet-verlengde leden."),
            categories=[row["label"] for row in rows],
            series=[
                (_("retentie"), [_percent(row["retention_rate"]) for row in rows]),
                (_("verloop"), [_percent(row["churn_rate"]) for row in rows]),
            ],
            y_label=_("procent"),
            x_label=_("jaar"),
            unit="%",
            top=100,
        ),
    )


def registrations_figure(chamber_ids, year) -> Figure:
    rows = figures.registrations_over_time(chamber_ids, period="month", periods=12)
    return Figure(
        name="registrations",
        title=_("Inschrijvingen per maand"),
        definition=_(
            "Inschrijvingen voor de activiteiten van de kamer die een plaats kregen (bevestigd, "
            "aanwezig of niet opgedaagd), per maand waarin ze gemaakt werden; de laatste twaalf "
            "maanden."
        ),
        header=[
            _("Maand"),
            _("Inschrijvingen"),
            _("Op ledenvoorwaarden"),
            _("Gratis plaatsen van een formule"),
        ],
        rows=[[row["label"], row["count"], row["member_terms"], row["free_seats"]] for row in rows],
        kinds=["text", "number", "number", "number"],
        totals=[
            _("Totaal"),
            sum(row["count"] for row in rows),
            sum(row["member_terms"] for row in rows),
            sum(row["free_seats"] for row in rows),
        ],
        chart=charts.line_chart(
            title=_("Inschrijvingen per maand"),
            description=_("Lijndiagram: inschrijvingen per maand, en hoeveel op ledenvoorwaarden."),
            categories=[row["label"] for row in rows],
            series=[
                (_("inschrijvingen"), [row["count"] for row in rows]),
                (_("op ledenvoorwaarden"), [row["member_terms"] for row in rows]),
            ],
            y_label=_("inschrijvingen"),
            x_label=_("maand"),
        ),
    )


def matrix_figure(chamber_ids, year) -> Figure:
    grid = figures.pivot_matrix(figures.cross_chamber_matrix(chamber_ids, year=year))
    no_home = _("geen ledenvoorwaarden")
    row_names = [name or no_home for _slug, name in grid["rows"]]
    column_names = [name for _slug, name in grid["columns"]]
    table = [
        [name, *values, total]
        for name, values, total in zip(row_names, grid["grid"], grid["row_totals"], strict=True)
    ]
    # The alliance's promise in one number: of the registrations on member terms, how many were
    # at another chamber's events than the member's own.
    member_rows = [
        (home, values)
        for (home, _name), values in zip(grid["rows"], grid["grid"], strict=True)
        if home is not None
    ]
    on_member_terms = sum(sum(values) for _home, values in member_rows)
    elsewhere = sum(
        value
        for home, values in member_rows
        for (organiser, _name), value in zip(grid["columns"], values, strict=True)
        if organiser != home
    )
    note = ""
    if on_member_terms:
        note = _(
            "%(share)s van de inschrijvingen op ledenvoorwaarden (%(elsewhere)s van %(all)s) was "
            "bij een andere kamer dan de eigen thuiskamer."
        ) % {
            "share": show(elsewhere / on_member_terms, "percent"),
            "elsewhere": show(elsewhere, "number"),
            "all": show(on_member_terms, "number"),
        }
    return Figure(
        name="matrix",
        title=_("Deelname over de kamers heen"),
        definition=_(
            "Inschrijvingen die een plaats kregen (bevestigd, aanwezig of niet opgedaagd) voor "
            "activiteiten die in de gekozen periode beginnen. Rijen: de thuiskamer via wiens "
            "lidmaatschap de onderneming ledenvoorwaarden kreeg bij het inschrijven. Kolommen: de "
            "organiserende kamer."
        ),
        header=[_("Thuiskamer ↓ / organisator →"), *column_names, _("Totaal")],
        rows=table,
        kinds=["text", *["number"] * (len(column_names) + 1)],
        totals=[_("Totaal"), *grid["column_totals"], grid["total"]] if table else None,
        note=note,
        chart=charts.heatmap(
            title=_("Deelname over de kamers heen"),
            description=_(
                "Raster: per thuiskamer (rij) het aantal inschrijvingen bij de activiteiten van "
                "elke organiserende kamer (kolom)."
            ),
            rows=row_names,
            columns=column_names,
            values=grid["grid"],
            row_label=_("thuiskamer"),
            column_label=_("organiserende kamer"),
        ),
    )


def events_figure(chamber_ids, year) -> Figure:
    rows = figures.fill_and_no_show_rates_by_kind(chamber_ids, year=year)
    return Figure(
        name="events",
        title=_("Vullingsgraad en no-shows per soort activiteit"),
        definition=_(
            "Gepubliceerde activiteiten die al voorbij zijn. Vullingsgraad: bezette plaatsen "
            "(bevestigd, aanwezig of niet opgedaagd) gedeeld door de capaciteit, over de "
            "activiteiten met een capaciteit. No-showgraad: niet opgedaagd gedeeld door aanwezig "
            "plus niet opgedaagd."
        ),
        header=[
            _("Soort"),
            _("Activiteiten"),
            _("Capaciteit"),
            _("Bezette plaatsen"),
            _("Vullingsgraad"),
            _("Aanwezig"),
            _("Niet opgedaagd"),
            _("No-showgraad"),
        ],
        rows=[
            [
                row["kind_name"],
                row["events"],
                row["capacity"],
                row["places_taken"],
                row["fill_rate"],
                row["attended"],
                row["no_shows"],
                row["no_show_rate"],
            ]
            for row in rows
        ],
        kinds=["text", "number", "number", "number", "percent", "number", "number", "percent"],
        chart=charts.bar_chart(
            title=_("Vullingsgraad en no-showgraad per soort activiteit"),
            description=_("Staafdiagram: per soort activiteit de vullingsgraad en no-showgraad."),
            categories=[row["kind_name"] for row in rows],
            series=[
                (_("vullingsgraad"), [_percent(row["fill_rate"]) or 0 for row in rows]),
                (_("no-showgraad"), [_percent(row["no_show_rate"]) or 0 for row in rows]),
            ],
            y_label=_("procent"),
            x_label=_("soort activiteit"),
            unit="%",
        ),
    )


def requests_figure(chamber_ids, year) -> Figure:
    rows = figures.service_requests_by_centre_and_status(chamber_ids, year=year)
    statuses = ServiceRequest.Status.choices
    centres = []
    for row in rows:
        if (row["centre"], row["centre_name"]) not in centres:
            centres.append((row["centre"], row["centre_name"]))
    counts = {(row["centre"], row["status"]): row["count"] for row in rows}
    table = [
        [name, *(counts.get((slug, status), 0) for status, _label in statuses)]
        for slug, name in centres
    ]
    for row in table:
        row.append(sum(row[1:]))
    return Figure(
        name="requests",
        title=_("Vragen per competentiecentrum en status"),
        definition=_(
            "Vragen aan de competentiecentra die de kamer trekt, gesteld in de gekozen periode, "
            "volgens hun status vandaag."
        ),
        header=[_("Competentiecentrum"), *(str(label) for _status, label in statuses), _("Totaal")],
        rows=table,
        kinds=["text", *["number"] * (len(statuses) + 1)],
        totals=(
            [_("Totaal"), *(sum(row[i] for row in table) for i in range(1, len(statuses) + 2))]
            if len(table) > 1
            else None
        ),
        chart=charts.bar_chart(
            title=_("Vragen per competentiecentrum en status"),
            description=_("Staafdiagram: per competentiecentrum het aantal vragen per status."),
            categories=[name for _slug, name in centres],
            series=[
                (str(label), [counts.get((slug, status), 0) for slug, _name in centres])
                for status, label in statuses
            ],
            y_label=_("vragen"),
            x_label=_("competentiecentrum"),
        ),
    )


FIGURES: dict[str, Callable] = {
    "members": members_figure,
    "retention": retention_figure,
    "registrations": registrations_figure,
    "matrix": matrix_figure,
    "events": events_figure,
    "requests": requests_figure,
}
