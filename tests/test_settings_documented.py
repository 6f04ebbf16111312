"""Settings live in one place and the README's configuration table lists every one an operator sets.

The variables are read from the source of ``portal/settings/`` (``os.environ``, ``env_bool``,
``env_list``), the table from the README, so a new variable without a row, or a row for a
variable nothing reads any more, fails here. Modules read settings as ``settings.NAME`` only:
a ``getattr(settings, NAME, default)`` would hide a second default from the settings files.
"""

import ast
import re
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
SETTINGS_FILES = sorted((ROOT / "portal" / "settings").glob("*.py"))
# DJANGO_SETTINGS_MODULE is read before any settings file: by manage.py and the WSGI module.
ENTRY_POINTS = [ROOT / "manage.py", ROOT / "portal" / "wsgi.py"]
ENV_HELPERS = {"env_bool", "env_list"}
VARIABLE = re.compile(r"`([A-Z][A-Z0-9_]*)`")


def _is_os_environ(node):
    return (
        isinstance(node, ast.Attribute)
        and node.attr == "environ"
        and isinstance(node.value, ast.Name)
        and node.value.id == "os"
    )


def _first_string(call):
    if call.args and isinstance(call.args[0], ast.Constant) and isinstance(call.args[0].value, str):
        return call.args[0].value
    return None


def environment_reads(path):
    """Names of the environment variables one file reads."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Call):
            func = node.func
            environ_method = isinstance(func, ast.Attribute) and (
                _is_os_environ(func.value)  # os.environ.get / setdefault
                or (func.attr == "getenv" and isinstance(func.value, ast.Name))  # os.getenv
            )
            helper = isinstance(func, ast.Name) and func.id in ENV_HELPERS
            if (environ_method or helper) and _first_string(node):
                names.add(_first_string(node))
        elif isinstance(node, ast.Subscript) and _is_os_environ(node.value):
            if isinstance(node.slice, ast.Constant):
                names.add(node.slice.value)
    return names


def documented_variables():
    """The variables named in the first column of the README's configuration table."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Configuration\n", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("|")]
    assert rows[0].startswith("| variable |"), "the configuration table has moved"
    return {name for row in rows[2:] for name in VARIABLE.findall(row.split("|")[1])}


def project_modules():
    """Every module of the project's packages but tests, benchmarks, migrations and settings."""
    packages = [path.parent for path in ROOT.glob("*/__init__.py")]
    for package in sorted(set(packages) - {ROOT / "tests", ROOT / "bench"}):
        for path in sorted(package.rglob("*.py")):
            relative = path.relative_to(ROOT)
            if "migrations" not in relative.parts and relative.parts[:2] != ("portal", "settings"):
                yield path


def settings_reads(path):
    """(line, how) of each setting a module reads: ``settings.NAME`` or ``getattr(settings…``."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id == "settings"
            and node.attr.isupper()
        ):
            yield node.lineno, node.attr
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "getattr"
            and node.args
            and isinstance(node.args[0], ast.Name)
            and node.args[0].id == "settings"
        ):
            yield node.lineno, "getattr"


def test_every_environment_variable_is_in_the_readme_table():
    read = set().union(*(environment_reads(path) for path in SETTINGS_FILES + ENTRY_POINTS))
    assert "SECRET_KEY" in read and "SECURE_HSTS_SECONDS" in read  # the parser sees both files
    missing = sorted(read - documented_variables())
    assert not missing, f"read in portal/settings, missing from README's table: {missing}"


def test_every_variable_in_the_readme_table_is_read():
    read = set().union(*(environment_reads(path) for path in SETTINGS_FILES + ENTRY_POINTS))
    stale = sorted(documented_variables() - read)
    assert not stale, f"in README's configuration table but read nowhere: {stale}"


def test_modules_read_only_settings_that_exist_and_never_with_a_default():
    problems = []
    for path in project_modules():
        for line, name in settings_reads(path):
            where = f"{path.relative_to(ROOT)}:{line}"
            if name == "getattr":
                problems.append(f"{where}: getattr(settings, …): declare it in portal/settings")
            elif not hasattr(settings, name):
                problems.append(f"{where}: settings.{name} is not declared in portal/settings")
    assert not problems, "\n".join(problems)
