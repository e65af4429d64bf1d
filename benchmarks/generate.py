"""Synthetic knowledge graphs shaped like virtgraph's, for benchmarks (deterministic by seed).

The shipped schema and taxonomy are kept as they are; on top come generated vendors, products and hardware
features in the same proportions as the real graph: every product has labels, alternative labels and
definitions in both languages, a vendor, one or two techniques, a licence, a first-release year, sources, and
some a hypervisor type (a few of them disputed, with claims); every feature a vendor, what it virtualizes,
equivalents and requirements.

    python benchmarks/generate.py --triples 100000 --seed 1 -o /tmp/kg-100k.nt
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

VG = "https://w3id.org/virtgraph/ontology#"
VGC = "https://w3id.org/virtgraph/concept/"
VGS = "https://w3id.org/virtgraph/source/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCT = "http://purl.org/dc/terms/"
XSD = "http://www.w3.org/2001/XMLSchema#"

KINDS = ["full-virtualization", "paravirtualization", "os-level-virtualization", "hardware-assisted-virtualization"]
TYPES = ["type-1-hypervisor", "type-2-hypervisor"]
RESOURCES = ["resource-cpu", "resource-memory", "resource-io", "resource-interrupts", "resource-nested"]
LICENSES = ["license-gpl-2.0", "license-apache-2.0", "license-proprietary", "license-bsd"]
CLASSES = ["HypervisorProduct", "ContainerProduct", "SandboxProduct", "Orchestrator", "VirtualizationPlatform"]
SOURCES = ["PR-KVM", "PR-XEN", "TX-2", "TX-6", "HW-EPT", "doc-kinds"]
SYLLABLES_EN = ["vir", "tu", "al", "hy", "per", "con", "tain", "er", "nim", "bus", "zen", "kor", "plex", "io"]
SYLLABLES_ZH = list("虚拟化容器云核心平台引擎系统网络安全数据计算存储调度")


def iri(local: str, ns: str = VGC) -> str:
    return f"<{ns}{local}>"


def lit(text: str, lang: str | None = None, datatype: str | None = None) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    if lang:
        return f'"{escaped}"@{lang}'
    if datatype:
        return f'"{escaped}"^^<{datatype}>'
    return f'"{escaped}"'


def name(rng: random.Random, syllables: list[str], count: int, sep: str = "") -> str:
    return sep.join(rng.choice(syllables) for _ in range(count))


def generate(triples: int, seed: int, out: Path, shipped: Path) -> int:
    """Write an N-Triples graph of about ``triples`` triples; return the number written."""
    import rdflib

    rng = random.Random(seed)
    base = rdflib.Graph()
    for file in sorted(shipped.glob("*.ttl")):
        if not file.name.endswith("shapes.ttl"):
            base.parse(file)
    lines = sorted(line for line in base.serialize(format="nt").splitlines() if line.strip())
    written = len(lines)
    with out.open("w", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")
        vendors = max(10, triples // 2000)
        for v in range(vendors):
            org = iri(f"org-synthetic-{v}")
            handle.write(f"{org} <{RDF}type> <{VG}Organization> .\n")
            handle.write(f"{org} <{SKOS}prefLabel> {lit(name(rng, SYLLABLES_EN, 3).title() + ' Inc.', 'en')} .\n")
            handle.write(f"{org} <{SKOS}prefLabel> {lit(name(rng, SYLLABLES_ZH, 3) + '公司', 'zh')} .\n")
            written += 3
        features = max(20, triples // 200)
        for f in range(features):
            feat = iri(f"feature-synthetic-{f}")
            block = [
                f"{feat} <{RDF}type> <{VG}HardwareFeature> .",
                f"{feat} <{SKOS}prefLabel> {lit('HW-' + name(rng, SYLLABLES_EN, 2).upper() + str(f), 'en')} .",
                f"{feat} <{SKOS}prefLabel> {lit('硬件特性' + name(rng, SYLLABLES_ZH, 2) + str(f), 'zh')} .",
                f"{feat} <{SKOS}definition> {lit('A synthetic hardware feature number ' + str(f) + '.', 'en')} .",
                f"{feat} <{SKOS}definition> {lit('第 ' + str(f) + ' 个合成的硬件特性。', 'zh')} .",
                f"{feat} <{VG}vendor> {iri(f'org-synthetic-{rng.randrange(vendors)}')} .",
                f"{feat} <{VG}virtualizes> {iri(rng.choice(RESOURCES))} .",
                f"{feat} <{DCT}source> {iri(rng.choice(SOURCES), VGS)} .",
            ]
            if f > 0 and rng.random() < 0.5:
                block.append(f"{feat} <{VG}requires> {iri(f'feature-synthetic-{rng.randrange(f)}')} .")
            if f > 0 and rng.random() < 0.3:
                block.append(f"{feat} <{VG}equivalentTo> {iri(f'feature-synthetic-{rng.randrange(f)}')} .")
            handle.write("\n".join(block) + "\n")
            written += len(block)
        p = 0
        while written < triples:
            prod = iri(f"product-synthetic-{p}")
            label_en = name(rng, SYLLABLES_EN, 3).title() + f" {p}"
            block = [
                f"{prod} <{RDF}type> <{VG}{rng.choice(CLASSES)}> .",
                f"{prod} <{SKOS}prefLabel> {lit(label_en, 'en')} .",
                f"{prod} <{SKOS}prefLabel> {lit(name(rng, SYLLABLES_ZH, 3) + str(p), 'zh')} .",
                f"{prod} <{SKOS}altLabel> {lit(label_en.upper().replace(' ', '-'), 'en')} .",
                f"{prod} <{SKOS}altLabel> {lit(name(rng, SYLLABLES_ZH, 2) + '版' + str(p), 'zh')} .",
                f"{prod} <{SKOS}definition> {lit('A synthetic product used to measure virtgraph at scale.', 'en')} .",
                f"{prod} <{SKOS}definition> {lit('用于测量 virtgraph 规模表现的合成产品。', 'zh')} .",
                f"{prod} <{VG}vendor> {iri(f'org-synthetic-{rng.randrange(vendors)}')} .",
                f"{prod} <{VG}technique> {iri(rng.choice(KINDS))} .",
                f"{prod} <{VG}license> {iri(rng.choice(LICENSES))} .",
                f"{prod} <{VG}firstReleaseYear> {lit(str(rng.randint(1995, 2026)), datatype=XSD + 'integer')} .",
                f"{prod} <{DCT}source> {iri(rng.choice(SOURCES), VGS)} .",
            ]
            if rng.random() < 0.5:
                kind = rng.choice(TYPES)
                block.append(f"{prod} <{VG}hypervisorType> {iri(kind)} .")
                if rng.random() < 0.02:  # a disputed one: both types, each backed by a claim
                    other = TYPES[1 - TYPES.index(kind)]
                    block.append(f"{prod} <{VG}hypervisorType> {iri(other)} .")
                    for t, src in ((kind, "PR-KVM"), (other, "TX-2")):
                        claim = iri(f"claim-synthetic-{p}-{t}")
                        block += [
                            f"{claim} <{RDF}type> <{RDF}Statement> .",
                            f"{claim} <{RDF}subject> {prod} .",
                            f"{claim} <{RDF}predicate> <{VG}hypervisorType> .",
                            f"{claim} <{RDF}object> {iri(t)} .",
                            f"{claim} <{DCT}source> {iri(src, VGS)} .",
                        ]
            if rng.random() < 0.1:
                block.append(f"{prod} <{VG}requires> {iri(f'feature-synthetic-{rng.randrange(features)}')} .")
            handle.write("\n".join(block) + "\n")
            written += len(block)
            p += 1
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", type=int, required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("-o", "--output", type=Path, required=True)
    args = parser.parse_args()
    shipped = Path(__file__).resolve().parent.parent / "ontology"
    count = generate(args.triples, args.seed, args.output, shipped)
    print(f"wrote {count} triples to {args.output}")


if __name__ == "__main__":
    main()
