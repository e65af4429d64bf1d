"""Where each page of the site lives, and its HTML from its template.

Every path is relative to the site's root and the same on every host: ``<lang>/index.html``,
``<lang>/concept/<slug>.html``, ``<lang>/view/<name>.html``, ``<lang>/concepts.html``, ``<lang>/cookbook.html``,
and, beside a language-neutral ``concept/<slug>.html``, the concept's ``.ttl`` and ``.jsonld``. A concept's
slug is the local name of its IRI, so ``https://w3id.org/virtgraph/concept/kvm`` can redirect to
``concept/kvm.html`` (see docs/site.md). Links between pages are relative, so the site works from ``file://``
and from any folder of any static host.

>>> concept_slug("https://w3id.org/virtgraph/concept/kvm"), path_of("concept", "zh", "kvm")
('kvm', 'zh/concept/kvm.html')
>>> relative("en/concept/kvm.html", "zh/concept/kvm.html"), relative("assets/site.css", "zh/index.html")
('../../en/concept/kvm.html', '../assets/site.css')
"""

from __future__ import annotations

import hashlib
import posixpath
import re
import tomllib
from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

from ..namespaces import VGC

#: The ``lang`` attribute of each language's pages.
LANG_TAG = {"zh": "zh-Hans", "en": "en"}
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,80}$")


def concept_slug(iri: str) -> str:
    """The file name (without extension) of a concept's pages: its local name when that is a plain lower-case
    name under virtgraph's namespace, else a hash of the IRI (never a path: ``..`` or ``/`` cannot get in)."""
    local = iri[len(VGC) :] if iri.startswith(VGC) else ""
    if _SLUG.match(local):
        return local
    return "_" + hashlib.sha256(iri.encode("utf-8")).hexdigest()[:16]


def path_of(kind: str, lang: str | None = None, name: str = "") -> str:
    """The site-relative path of a page (``home``, ``concept``, ``view``, ``concepts``, ``cookbook``) or of a
    concept's language-neutral files (``data`` with ``name`` = ``<slug>.<ext>``)."""
    if kind == "data":
        return f"concept/{name}"
    if kind == "root":
        return "index.html"
    return {
        "home": f"{lang}/index.html",
        "concept": f"{lang}/concept/{name}.html",
        "view": f"{lang}/view/{name}.html",
        "concepts": f"{lang}/concepts.html",
        "cookbook": f"{lang}/cookbook.html",
    }[kind]


def relative(target: str, page: str) -> str:
    """The link from ``page`` to ``target`` (both site-relative paths)."""
    return posixpath.relpath(target, posixpath.dirname(page) or ".")


@cache
def words() -> dict[str, dict[str, str]]:
    """The site's own words (``words.toml``), by language."""
    text = resources.files("virtgraph.site").joinpath("words.toml").read_text(encoding="utf-8")
    return {lang: dict(table) for lang, table in tomllib.loads(text).items()}


@cache
def environment() -> Environment:
    """The Jinja environment of the site's templates: HTML-escaped, strict about missing names."""
    env = Environment(
        loader=PackageLoader("virtgraph.site", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    return env


def render_page(template: str, page: str, lang: str, context: Mapping[str, Any]) -> bytes:
    """The HTML of the site page at ``page`` from ``template``; ``context`` adds to what every page gets:
    its language and the other, the site's words, ``rel(path)`` for links, and the same page in the other
    language (``other`` in ``context``, a site-relative path)."""
    other_lang = "en" if lang == "zh" else "zh"
    base = {
        "lang": lang,
        "lang_tag": LANG_TAG[lang],
        "other_lang": other_lang,
        "other_tag": LANG_TAG[other_lang],
        "w": words()[lang],
        "page": page,
        "root": relative("index.html", page).removesuffix("index.html"),
        "rel": lambda target: relative(target, page),
        "path_of": path_of,
        "big_search": False,
    }
    html = environment().get_template(template).render({**base, **context})
    return html.encode("utf-8")
