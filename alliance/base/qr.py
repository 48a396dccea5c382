"""QR codes drawn here, as inline SVG: no outside service sees what they carry (ticket codes)."""

import qrcode
from django.utils.html import escape
from django.utils.safestring import mark_safe
from qrcode.image.svg import SvgPathImage


def qr_svg(text: str, label: str) -> str:
    """`text` as a QR code in inline SVG, with `label` for screen readers."""
    svg = qrcode.make(text, image_factory=SvgPathImage, border=2).to_string(encoding="unicode")
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" ', 1)
    # Our own drawing of a URL-safe code, and an escaped label: safe to inline.
    return mark_safe(svg)
