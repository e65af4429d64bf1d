"""All escaping of text that goes into DOT: one place, tested with hostile input.

Labels, definitions and query text are treated as hostile. Node labels are Graphviz HTML-like labels, built
only through :func:`html_text` (escapes ``& < > " '``, drops control characters, turns newlines into
``<BR/>``, never returns an empty string); plain DOT strings (tooltips, titles) go through :func:`dot_text`,
which also disables Graphviz's backslash escapes such as ``\\N``.

>>> html_text('a < b & "c"')
'a &lt; b &amp; &quot;c&quot;'
>>> html_text("line 1\\nline 2")
'line 1<BR/>line 2'
>>> dot_text("C:\\\\temp \\\\N")
'C:\\\\\\\\\\\\\\\\temp \\\\\\\\\\\\\\\\N'
"""

from __future__ import annotations

import html
import re

import graphviz

from .namespaces import PREFIXES

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def clean(text: str) -> str:
    """``text`` without control characters, with ``\\r\\n``/``\\r`` as ``\\n``."""
    return _CONTROL.sub("", str(text).replace("\r\n", "\n").replace("\r", "\n"))


#: Graphviz refuses a DOT string over 16,384 bytes; text is cut well below that (a label that long is unreadable).
MAX_HTML_TEXT, MAX_DOT_TEXT, MAX_TITLE = 500, 2000, 200


def shorten(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters, ending in ``…`` when it was cut.

    >>> shorten("virtualization", 8), shorten("KVM", 8)
    ('virtual…', 'KVM')
    """
    return text if len(text) <= limit else text[: limit - 1] + "…"


def html_text(text: str) -> str:
    r"""``text`` safe inside a Graphviz HTML-like label (newlines become line breaks).

    Graphviz expands ``\N``, ``\G``, ``\L``... even in HTML-like labels (after decoding entities), so every
    backslash is doubled: it then shows as one.

    >>> html_text(r"C:\Node \N")
    'C:\\\\Node \\\\N'
    """
    lines = shorten(clean(text), MAX_HTML_TEXT).replace("\\", "\\\\").split("\n")
    # "]" as a character reference: Graphviz's HTML-label parser rejects a "]" right before a tag ("x]</B>")
    escaped = "<BR/>".join(html.escape(line, quote=True).replace("]", "&#93;") for line in lines)
    return escaped if escaped.replace("<BR/>", "").strip() else "&#160;"  # Graphviz rejects empty <B></B>


def dot_text(text: str) -> str:
    r"""``text`` as a plain DOT string value (tooltips): shown literally, on one line.

    Graphviz reads a tooltip twice: once expanding ``\G``, ``\N``, ``\L``, ``\E``, ``\T``, ``\H`` (with
    ``\\`` for one backslash), then decoding entities and backslash escapes again. So every backslash is
    written four times and ``&`` as ``&amp;``; the result is marked not-HTML (``graphviz.escape``, the second
    doubling), so ``<...>`` is quoted, not markup.

    >>> print(dot_text(r"\N & <b>"))
    \\\\N &amp; <b>
    """
    one_line = shorten(clean(text).replace("\n", " "), MAX_DOT_TEXT)
    # graphviz.escape returns a str subclass that the graphviz package passes to dot as is
    escaped: str = graphviz.escape(one_line.replace("&", "&amp;").replace("\\", "\\\\"))
    return escaped


def slug(text: str) -> str:
    """An XML/SVG-safe id fragment from trusted ``text`` (view names): ASCII letters, digits and ``-``.

    Lossy (``a-b`` and ``a.b`` give the same slug): never use it for ids of nodes, which come from data; use
    :func:`node_id` for those.

    >>> slug("vgc:type-1-hypervisor"), slug("<http://example.org/a b>")
    ('vgc-type-1-hypervisor', 'http-example-org-a-b')
    """
    out = re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-")
    return out or "x"


#: A node id with a readable DOT/SVG id: ``prefix:local`` with a known prefix, a local name of ASCII words joined
#: by single hyphens, and for stack layers ``/position`` steps and a ``#replica`` (or the ``/+more`` of a budget).
_READABLE = re.compile(
    r"(?P<prefix>[a-z]+):(?P<local>[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*)"
    r"(?:(?P<more>/\+more)|(?P<steps>(?:/[0-9]+)+)(?:#(?P<copy>[0-9]+))?)?"
)
_ASCII_WORD = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")


def node_id(nid: str) -> str:
    """The DOT/SVG id of the graph node ``nid``: injective, ASCII, a valid XML id, stable for the shipped IRIs.

    Two forms that can never meet. A readable one for ``prefix:local`` names (known prefix, local name of ASCII
    words joined by single ``-``), optionally with stack-layer steps: ``:`` becomes ``-``, the steps follow an
    ``_``. It starts with a letter and decodes uniquely: the prefix holds no ``-``, the steps sit after the
    only ``_``. Every other text is escaped: ``_``, then each ASCII letter or digit as itself and every other
    character as ``_hh``, ``_uhhhh`` or ``_Uhhhhhh`` (lowercase hex of the code point): a prefix-free code, so it
    decodes uniquely too, and it starts with ``_``. Neither form holds ``--`` or ends in ``-``, so
    :func:`edge_id` can join two of them.

    >>> node_id("vgc:kvm"), node_id("vgc:arm-stage-2"), node_id("vgc:era-container/4/1#2")
    ('vgc-kvm', 'vgc-arm-stage-2', 'vgc-era-container_4-1_2')
    >>> node_id("vgc:a_b"), node_id("vgc:a.b"), node_id("vgc:虚拟化")
    ('_vgc_3aa_5fb', '_vgc_3aa_2eb', '_vgc_3a_u865a_u62df_u5316')
    """
    match = _READABLE.fullmatch(nid)
    if match and match["prefix"] in PREFIXES:
        out = f"{match['prefix']}-{match['local']}"
        if match["more"]:
            return out + "_more"
        if match["steps"]:
            out += "_" + match["steps"][1:].replace("/", "-")
            return out + (f"_{match['copy']}" if match["copy"] is not None else "")
        return out
    return "_" + "".join(ch if ch in _ASCII_WORD else _escape(ch) for ch in nid)


def _escape(ch: str) -> str:
    """One character of an escaped :func:`node_id`.

    >>> _escape("-"), _escape("中"), _escape("\U0001f600")
    ('_2d', '_u4e2d', '_U01f600')
    """
    code = ord(ch)
    if code < 0x100:
        return f"_{code:02x}"
    return f"_u{code:04x}" if code < 0x10000 else f"_U{code:06x}"


def edge_id(source: str, target: str) -> str:
    """The DOT/SVG id of the edge ``source`` → ``target`` (node ids joined by ``--``, which no node id holds).

    >>> edge_id("vgc:kvm", "vgc:type-1-hypervisor")
    'vgc-kvm--vgc-type-1-hypervisor'
    """
    return f"{node_id(source)}--{node_id(target)}"


def group_id(group: str) -> str:
    """The SVG id of the cluster drawn for node ``group``.

    >>> group_id("vgc:suited")
    'group-vgc-suited'
    """
    return f"group-{node_id(group)}"
