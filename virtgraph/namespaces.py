"""IRIs and prefixes of virtgraph, as plain strings (importing this module costs nothing).

>>> compact("https://w3id.org/virtgraph/concept/kvm")
'vgc:kvm'
>>> compact("http://example.org/x")
'<http://example.org/x>'
"""

from __future__ import annotations

BASE = "https://w3id.org/virtgraph/"
VG = BASE + "ontology#"
VGC = BASE + "concept/"
VGS = BASE + "source/"

#: Prefixes bound in every query and every Turtle output (sorted by name).
PREFIXES: dict[str, str] = {
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "owl": "http://www.w3.org/2002/07/owl#",
    "prov": "http://www.w3.org/ns/prov#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "sh": "http://www.w3.org/ns/shacl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "vg": VG,
    "vgc": VGC,
    "vgs": VGS,
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}

RDF_TYPE = PREFIXES["rdf"] + "type"
SKOS = PREFIXES["skos"]
XSD = PREFIXES["xsd"]


def compact(iri: str) -> str:
    """Shorten ``iri`` to ``prefix:local`` with the known prefixes, else ``<iri>``."""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace):
            local = iri[len(namespace) :]
            if local and all(ch.isalnum() or ch in "-_." for ch in local):
                return f"{prefix}:{local}"
    return f"<{iri}>"


def local_name(iri: str) -> str:
    """The last segment of ``iri`` (after ``#`` or ``/``).

    >>> local_name("https://w3id.org/virtgraph/concept/type-1-hypervisor")
    'type-1-hypervisor'
    """
    for sep in ("#", "/"):
        if sep in iri:
            tail = iri.rsplit(sep, 1)[1]
            if tail:
                return tail
    return iri
