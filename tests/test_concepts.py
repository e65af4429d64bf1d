"""Concept finding and cards (concepts.py): every synonym, normalisation, shared labels, relations, suggestions."""

from __future__ import annotations

import pytest

from virtgraph.concepts import finder, lookup, normalize
from virtgraph.errors import ConceptNotFound

SYNONYMS = [
    ("kvm", "vgc:kvm"),
    ("ＫＶＭ", "vgc:kvm"),
    ("Kernel-based Virtual Machine", "vgc:kvm"),
    ("基于内核的虚拟机", "vgc:kvm"),
    ("全虚拟化", "vgc:full-virtualization"),
    ("完全虚拟化", "vgc:full-virtualization"),
    ("半虚拟化", "vgc:paravirtualization"),
    ("准虚拟化", "vgc:paravirtualization"),
    ("半虛擬化", "vgc:paravirtualization"),
    ("para-virtualization", "vgc:paravirtualization"),
    ("操作系统级虚拟化", "vgc:os-level-virtualization"),
    ("系统虚拟化", "vgc:os-level-virtualization"),
    ("原生虚拟化", "vgc:hardware-assisted-virtualization"),
    ("硬件辅助虚拟化", "vgc:hardware-assisted-virtualization"),
    ("桌面虚拟化", "vgc:desktop-virtualization"),
    ("Type 1", "vgc:type-1-hypervisor"),
    ("type1", "vgc:type-1-hypervisor"),
    ("1型", "vgc:type-1-hypervisor"),
    ("Type II", "vgc:type-2-hypervisor"),
    ("2型", "vgc:type-2-hypervisor"),
    ("hosted hypervisor", "vgc:type-2-hypervisor"),
    ("VT", "vgc:intel-vt"),
    ("vtx", "vgc:vt-x"),
    ("APIC-v", "vgc:apicv"),
    ("Shadow VMCS", "vgc:vmcs-shadowing"),
    ("NPT", "vgc:rvi"),
    ("扩展页表", "vgc:ept"),
    ("ESXi", "vgc:vmware-esx"),
    ("Solaris zone", "vgc:solaris-zones"),
    ("AIX workload partition", "vgc:aix-wpar"),
    ("VMM", "vgc:hypervisor"),
    ("虚拟机", "vgc:virtual-machine"),
    ("vgc:xen", "vgc:xen"),
    ("https://w3id.org/virtgraph/concept/xen", "vgc:xen"),
]


@pytest.mark.parametrize(("term", "expected"), SYNONYMS)
def test_every_synonym_finds_its_concept(kg_fast, term, expected):
    assert lookup(kg_fast, term, "zh").id == expected


def test_normalize_ignores_case_width_spaces_and_hyphens():
    assert normalize("ＶＴ－ｘ") == normalize("vt-x") == normalize("VT x") == "vtx"


def test_no_two_concepts_share_a_label_except_the_known_one(kg_fast):
    shared = {key: sorted(iris) for key, iris in finder(kg_fast).by_key.items() if len(iris) > 1}
    assert shared == {
        "twodimensionalpaging": [
            "https://w3id.org/virtgraph/concept/ept",
            "https://w3id.org/virtgraph/concept/slat",
        ]
    }


def test_feature_card_lists_equivalents_and_requirements(kg_fast):
    card = lookup(kg_fast, "EPT", "en")
    by_label = {rel.label: [t.id for t in rel.targets] for rel in card.relations}
    assert by_label["equivalent to"] == ["vgc:arm-stage-2", "vgc:rvi"]
    assert by_label["requires"] == ["vgc:vt-x"]
    assert by_label["replaces"] == ["vgc:shadow-page-tables"]
    requires = next(rel for rel in card.relations if rel.label == "requires")
    assert [e.id for e in requires.targets[0].equivalents] == ["vgc:amd-v"]


def test_partial_term_suggests_concepts_containing_it(kg_fast):
    with pytest.raises(ConceptNotFound) as caught:
        lookup(kg_fast, "虚拟化部署", "zh")
    assert any("vgc:era-virtualized" in s for s in caught.value.suggestions)
