"""`virtgraph lookup`: every synonym finds its concept; cards carry the facts; bad terms get suggestions."""

from __future__ import annotations

import json

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
    ("VT", "vgc:vt-x"),
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


def test_paravirtualization_card_shows_xen_as_example(run):
    result = run("lookup", "准虚拟化")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "半虚拟化  (vgc:paravirtualization)"
    assert lines[1] == "类别: 虚拟化种类"
    assert "示例产品: Citrix Hypervisor, Xen" in lines
    assert "依赖: 修改过的客户机内核" in lines
    assert any(line.startswith("定义: 客户机内核事先被改写") for line in lines)


def test_kvm_card_shows_both_claims_with_sources(run):
    result = run("lookup", "kvm", "--lang", "en")
    lines = result.stdout.splitlines()
    assert lines[0] == "KVM  (vgc:kvm)"
    assert "hypervisor type: Type 1 hypervisor (disputed), Type 2 hypervisor (disputed)" in lines
    assert "Where sources disagree:" in lines
    assert "  hypervisor type = Type 1 hypervisor — Red Hat: What is KVM? [H]" in lines
    assert "  hypervisor type = Type 2 hypervisor — Source document: classification › by architecture" in lines
    assert "  - Fact sheet PR-KVM: KVM and the Type 1 / Type 2 debate [H]" in lines


def test_feature_card_lists_equivalents_and_requirements(kg_fast):
    card = lookup(kg_fast, "EPT", "en")
    by_label = {rel.label: [t.id for t in rel.targets] for rel in card.relations}
    assert by_label["equivalent to"] == ["vgc:arm-stage-2", "vgc:rvi"]
    assert by_label["requires"] == ["vgc:vt-x"]
    assert by_label["replaces"] == ["vgc:shadow-page-tables"]
    requires = next(rel for rel in card.relations if rel.label == "requires")
    assert [e.id for e in requires.targets[0].equivalents] == ["vgc:amd-v"]


def test_type1_card_shows_its_stack_bottom_up(run):
    result = run("lookup", "1型", "--lang", "en")
    assert result.exit_code == 0
    out = result.stdout
    assert (
        "Layer stack (bottom up):\n"
        "  1. Hardware\n"
        "  2. Hypervisor\n"
        "  3. Virtual machine (several side by side) [Guest operating system < Application]\n"
    ) in out
    assert "products of this type: Citrix Hypervisor, Hyper-V, KVM, VMware ESX, Xen" in out


def test_json_card_schema(run):
    result = run("lookup", "KVM", "--format", "json", "--lang", "en")
    card = json.loads(result.stdout)
    assert list(card) == [
        "iri",
        "id",
        "lang",
        "label",
        "kind",
        "labels",
        "alt_labels",
        "definition",
        "definitions",
        "relations",
        "stack",
        "claims",
        "sources",
    ]
    assert card["iri"] == "https://w3id.org/virtgraph/concept/kvm"
    assert card["labels"] == {"en": "KVM", "zh": "KVM"}
    assert card["kind"]["id"] == "vg:HypervisorProduct"
    types = next(r for r in card["relations"] if r["property"].endswith("#hypervisorType"))
    assert types["direction"] == "out"
    assert [(t["id"], t["disputed"]) for t in types["targets"]] == [
        ("vgc:type-1-hypervisor", True),
        ("vgc:type-2-hypervisor", True),
    ]
    assert {c["value"]["id"] for c in card["claims"]} == {"vgc:type-1-hypervisor", "vgc:type-2-hypervisor"}
    assert all(c["sources"] and c["reason"] for c in card["claims"])
    assert {"iri", "id", "label", "confidence"} == set(card["sources"][0])


def test_json_is_stable_between_runs(run):
    assert run("lookup", "xen", "--format", "json").stdout == run("lookup", "xen", "--format", "json").stdout


def test_unknown_term_suggests_nearest_labels(run):
    result = run("lookup", "kvn")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == "Error: no concept is called 'kvn'; did you mean: KVM → KVM (vgc:kvm, Hypervisor 产品)?\n"


def test_partial_term_suggests_concepts_containing_it(kg_fast):
    with pytest.raises(ConceptNotFound) as caught:
        lookup(kg_fast, "虚拟化部署", "zh")
    assert any("vgc:era-virtualized" in s for s in caught.value.suggestions)


def test_ambiguous_term_lists_the_candidates(run):
    result = run("lookup", "two-dimensional paging", "--lang", "en")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: 'two-dimensional paging' names several concepts: "
        "EPT (vgc:ept, Hardware virtualization feature); "
        "Second Level Address Translation (vgc:slat, Mechanism)\n"
    )
