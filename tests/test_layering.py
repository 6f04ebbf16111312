"""The layers point one way: every import of the project's own code, read from the source.

Each module outside tests, benchmarks and migrations is parsed, and every import in it (at the
top or inside a function: a lazy import is still a dependency) is checked against the rules of
the README's Layout section. A new import that breaks them fails here with the file and line.
"""

import ast
import functools
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = (
    "common",
    "search",
    "home",
    "editorial",
    "merchants",
    "disclosures",
    "complaints",
    "objections",
    "lists",
    "demo",
    "portal",
)
SKIPPED_FOLDERS = {"tests", "bench", "migrations", ".venv", "node_modules", "staticfiles"}

# app -> the project apps it must not import.
FORBIDDEN = {
    "common": set(APPS) - {"common"},
    "search": set(APPS) - {"search"},
    "home": {
        "editorial",
        "merchants",
        "disclosures",
        "complaints",
        "objections",
        "lists",
        "demo",
        "portal",
    },
    "editorial": {
        "merchants",
        "disclosures",
        "complaints",
        "objections",
        "lists",
        "demo",
        "portal",
    },
    "merchants": {
        "editorial",
        "disclosures",
        "complaints",
        "objections",
        "lists",
        "demo",
        "portal",
    },
    "disclosures": {"editorial", "complaints", "objections", "lists", "demo", "portal"},
    "complaints": {"editorial", "objections", "lists", "demo", "portal"},
    # A merchant's objections and replies: they plug into the record page through a hook.
    "objections": {"editorial", "lists", "demo", "portal"},
    # The red/black list reads the registry, the disclosures and the complaints; nothing reads it.
    "lists": {"editorial", "demo", "portal"},
    "demo": {"portal"},
    "portal": {"demo"},
}


def project_modules():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            relative = path.relative_to(ROOT)
            if not SKIPPED_FOLDERS & set(relative.parts):
                yield relative


def imported_apps(relative):
    """(line, imported module) of every import of a project app in one file."""
    package = list(relative.with_suffix("").parts)
    if package[-1] != "__init__":
        package = package[:-1]
    tree = ast.parse((ROOT / relative).read_text(encoding="utf-8"), str(relative))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against the file's package
                base = package[: len(package) - node.level + 1]
                names = [".".join(base + ([node.module] if node.module else []))]
            else:
                names = [node.module]
        else:
            continue
        for name in names:
            if name.split(".")[0] in APPS:
                yield node.lineno, name


@functools.cache
def import_edges():
    """{(from app, to app): ["file:line module", ...]} between different apps (read once)."""
    edges = defaultdict(list)
    for relative in project_modules():
        source = relative.parts[0]
        for line, name in imported_apps(relative):
            target = name.split(".")[0]
            if target != source:
                edges[(source, target)].append(f"{relative}:{line} imports {name}")
    return edges


def test_the_walk_sees_every_app_and_their_imports():
    # Guards the test itself: a walk that found nothing would pass every rule below.
    edges = import_edges()
    apps_seen = {relative.parts[0] for relative in project_modules()}
    assert apps_seen == set(APPS)
    assert ("disclosures", "merchants") in edges
    assert ("merchants", "common") in edges


@pytest.mark.parametrize("app", APPS)
def test_no_app_imports_a_layer_above_it(app):
    wrong = [
        where
        for (source, target), places in import_edges().items()
        if source == app and target in FORBIDDEN[app]
        for where in places
    ]
    assert wrong == [], "imports against the layering:\n" + "\n".join(wrong)


def test_the_apps_import_each_other_without_cycles():
    graph = defaultdict(set)
    for source, target in import_edges():
        graph[source].add(target)
    done, path = set(), []

    def visit(app):
        if app in path:
            cycle = path[path.index(app) :] + [app]
            pytest.fail("import cycle: " + " -> ".join(cycle))
        if app in done:
            return
        path.append(app)
        for target in sorted(graph[app]):
            visit(target)
        path.pop()
        done.add(app)

    for app in APPS:
        visit(app)
