"""`virtgraph lookup`: cards as text and JSON, suggestions for unknown terms, ambiguous terms."""

from __future__ import annotations

import json


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
    assert "  - Fact sheet PR-KVM: KVM and the Type 1 / Type 2 debate [H/M]" in lines


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
    assert "products of this type: Citrix Hypervisor, Hyper-V, KVM (disputed), VMware ESX, Xen" in out


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
        "values",
        "ownership",
        "document_usage",
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


def test_ambiguous_term_lists_the_candidates(run):
    result = run("lookup", "two-dimensional paging", "--lang", "en")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: 'two-dimensional paging' names several concepts: "
        "EPT (vgc:ept, Hardware virtualization feature); "
        "Second Level Address Translation (vgc:slat, Mechanism)\n"
    )


def test_traditional_and_taiwan_terms_find_their_cards(run):
    for term, first in [
        ("系統虛擬化", "操作系统级虚拟化  (vgc:os-level-virtualization)"),
        ("陷入並模擬", "陷入并模拟  (vgc:trap-and-emulate)"),
        ("虛擬機器", "虚拟机  (vgc:virtual-machine)"),
        ("hypervisors", "虚拟机监视器  (vgc:hypervisor)"),
    ]:
        result = run("lookup", term)
        assert result.exit_code == 0, result.stderr
        assert result.stdout.splitlines()[0] == first


def test_taiwan_usage_labels_show_under_their_tag(run):
    card = json.loads(run("lookup", "客體作業系統", "--format", "json").stdout)
    assert card["id"] == "vgc:guest-os"
    assert card["alt_labels"]["zh-tw"] == ["客體作業系統"]


def test_suggestions_for_a_traditional_term(run):
    result = run("lookup", "虛擬機器監視")
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "Error: no concept is called '虛擬機器監視'; did you mean: "
        "虛擬機器監視器 → 虚拟机监视器 (vgc:hypervisor, 栈组件)"
    )
