"""Validate a UBL document against the EN 16931 and Peppol BIS 3.0 Schematron rules.

Each schema is compiled once into an XSLT validator with SchXslt2 (`transpile.xsl`) and cached
on disk under settings.PEPPOL_CACHE_DIR, named by the hash of the schema and the compiler, so a
new release of the rules compiles itself on first use. Running the validator gives an SVRL
report; its failed asserts with flag="fatal" are the errors.
"""

from __future__ import annotations

import hashlib
import threading
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from saxonche import PySaxonProcessor

HERE = Path(__file__).resolve().parent
SCHEMAS = ("CEN-EN16931-UBL.sch", "PEPPOL-EN16931-UBL.sch")
TRANSPILER = HERE / "transpile.xsl"
SVRL = "{http://purl.oclc.org/dsdl/svrl}"

_lock = threading.Lock()
_processor = None


@dataclass(frozen=True)
class Failure:
    rule: str
    flag: str
    location: str
    text: str


def _saxon() -> PySaxonProcessor:
    global _processor
    if _processor is None:
        _processor = PySaxonProcessor(license=False)
    return _processor


def compiled(schema: str) -> Path:
    """The XSLT validator of one schema, compiled on first use and cached on disk."""
    source = HERE / schema
    digest = hashlib.sha256(source.read_bytes() + TRANSPILER.read_bytes()).hexdigest()[:16]
    cache = Path(settings.PEPPOL_CACHE_DIR)
    target = cache / f"{source.stem}-{digest}.xsl"
    if target.exists():
        return target
    with _lock:
        if target.exists():
            return target
        cache.mkdir(parents=True, exist_ok=True)
        xslt = _saxon().new_xslt30_processor()
        executable = xslt.compile_stylesheet(stylesheet_file=str(TRANSPILER))
        result = executable.transform_to_string(source_file=str(source))
        partial = target.with_suffix(f".{threading.get_ident()}.tmp")
        partial.write_text(result, encoding="utf-8")
        partial.replace(target)  # atomic: another process never reads half a file
    return target


_executables: dict[str, object] = {}


def _executable(schema: str):
    path = compiled(schema)
    key = str(path)
    with _lock:
        if key not in _executables:
            xslt = _saxon().new_xslt30_processor()
            _executables[key] = xslt.compile_stylesheet(stylesheet_file=key)
        return _executables[key]


def failures(xml: bytes) -> list[Failure]:
    """Every failed assert of both schemas (fatal and warnings) for one UBL document."""
    found = []
    for schema in SCHEMAS:
        executable = _executable(schema)
        with _lock:  # one Saxon processor: its calls are not made from two threads at once
            node = _saxon().parse_xml(xml_text=xml.decode("utf-8"))
            report = executable.transform_to_string(xdm_node=node)
        root = ET.fromstring(report.encode("utf-8"))
        for failed in root.iter(f"{SVRL}failed-assert"):
            text = failed.find(f"{SVRL}text")
            found.append(
                Failure(
                    rule=failed.get("id", ""),
                    flag=failed.get("flag", ""),
                    location=failed.get("location", ""),
                    text=" ".join((text.text or "").split()) if text is not None else "",
                )
            )
    return found


def fatal_errors(xml: bytes) -> list[Failure]:
    """The failures that make a document invalid for Peppol."""
    return [failure for failure in failures(xml) if failure.flag == "fatal"]
