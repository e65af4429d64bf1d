"""Lookup in any script and form (variants.py, ConceptFinder): every Chinese label in Traditional characters and in
Taiwan phrasing, English singular/plural, hyphens and full-width forms, suggestions across scripts."""

from __future__ import annotations

import subprocess
import sys

import pytest

from virtgraph.concepts import CONCEPT, ORGANIZATION, ConceptFinder, finder, lookup
from virtgraph.errors import ConceptNotFound
from virtgraph.labels import LabelIndex
from virtgraph.namespaces import compact
from virtgraph.variants import mainland, simplified, singular, spellings, taiwan, traditional

from .test_cli import import_chains


def zh_labels(kg) -> list[tuple[str, str, str]]:
    """``(iri, tag, label)`` of every Chinese preferred and alternative label of a concept or organisation."""
    labels = kg.labels
    found = []
    for iri in sorted(labels.type_sets):
        if not (labels.is_a(iri, CONCEPT) or labels.is_a(iri, ORGANIZATION)):
            continue
        pairs = [*labels.labels["prefLabel"].get(iri, {}).items(), *labels.alts.get(iri, ())]
        found += [(iri, tag, value) for tag, value in sorted(pairs) if tag == "zh" or tag.startswith("zh-")]
    return found


@pytest.mark.parametrize("convert", [traditional, taiwan], ids=["s2t", "s2twp"])
def test_every_zh_label_resolves_in_traditional_and_taiwan_phrasing(kg_fast, convert):
    labels = zh_labels(kg_fast)
    assert len(labels) > 300  # every tag: zh, zh-hant, zh-tw (352 when this was written)
    find = finder(kg_fast).find
    wrong = []
    for iri, tag, label in labels:
        term = convert(label)
        try:
            got = find(term)
        except ConceptNotFound as error:
            got = str(error)
        if got != iri:
            wrong.append(f"{label}@{tag} -> {term}: {got} (expected {compact(iri)})")
    assert not wrong, f"{len(wrong)} of {len(labels)} do not resolve:\n" + "\n".join(wrong)


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        # the four the issue names (Traditional characters)
        ("系統虛擬化", "vgc:os-level-virtualization"),
        ("1型虛擬化", "vgc:type-1-hypervisor"),
        ("超級調用", "vgc:hypercall"),
        ("陷入並模擬", "vgc:trap-and-emulate"),
        # Taiwan phrasing (vocabulary, not only characters)
        ("虛擬機器", "vgc:virtual-machine"),
        ("作業系統", "vgc:operating-system"),
        ("記憶體", "vgc:resource-memory"),
        ("虛擬機器監視器", "vgc:hypervisor"),
        ("客體作業系統", "vgc:guest-os"),
        ("巢狀虛擬化", "vgc:resource-nested"),
        ("硬體輔助虛擬化", "vgc:hardware-assisted-virtualization"),
        ("作業系統級虛擬化", "vgc:os-level-virtualization"),
        ("二進位轉譯", "vgc:binary-translation"),
        ("輸入輸出記憶體管理單元", "vgc:iommu"),
        # English number and small variants
        ("shadow page table", "vgc:shadow-page-tables"),
        ("shadow page tables", "vgc:shadow-page-tables"),
        ("Shadow-Page-Tables", "vgc:shadow-page-tables"),
        ("VMCS shadowing", "vgc:vmcs-shadowing"),
        ("shadow VMCS", "vgc:vmcs-shadowing"),
        ("hypervisors", "vgc:hypervisor"),
        ("containers", "vgc:container"),
        ("VMs", "vgc:virtual-machine"),
        ("Solaris zones", "vgc:solaris-zones"),
        ("para-virtualization", "vgc:paravirtualization"),
        ("para virtualization", "vgc:paravirtualization"),
        ("paravirtualization", "vgc:paravirtualization"),
        ("ＫＶＭ", "vgc:kvm"),
        ("ｈｙｐｅｒｖｉｓｏｒｓ", "vgc:hypervisor"),
    ],
)
def test_term_in_another_script_or_form_finds_its_concept(kg_fast, term, expected):
    assert lookup(kg_fast, term, "zh").id == expected


def _finder(*labels: tuple[str, str, str, str]) -> ConceptFinder:
    index = LabelIndex()
    for iri, prop, value, tag in labels:
        index.add(iri, "type", CONCEPT)
        index.add(iri, prop, value, tag)
    return ConceptFinder(index)


def test_a_label_as_written_wins_over_a_converted_one():
    # Taiwan 程序 is mainland 进程 (a process); a label written 程序 is still found as written
    found = _finder(("urn:process", "prefLabel", "进程", "zh"), ("urn:program", "prefLabel", "程序", "zh"))
    assert found.find("程序") == "urn:program"
    assert found.find("进程") == "urn:process"
    assert found.find("程式") == "urn:program"  # Taiwan phrasing of 程序 (program)


def test_the_variant_index_is_built_only_when_a_term_needs_it():
    found = _finder(("urn:vm", "prefLabel", "虚拟机", "zh"))
    assert found.find("虚拟机") == "urn:vm"
    assert found._by_variant is None
    assert found.find("虛擬機器") == "urn:vm"
    assert found._by_variant is not None


def test_a_converted_term_naming_two_concepts_is_ambiguous():
    # 後台 and 后台 are both 后台 in Simplified characters
    found = _finder(("urn:a", "prefLabel", "後台", "zh-hant"), ("urn:b", "prefLabel", "后台", "zh"))
    assert found.find("後台") == "urn:a"  # as written: one concept
    with pytest.raises(ConceptNotFound, match="names several concepts"):
        found.find("後臺")  # another Traditional spelling: both


@pytest.mark.parametrize(
    ("term", "first"),
    [
        ("虛擬機器監視", "虛擬機器監視器 → 虚拟机监视器 (vgc:hypervisor, 栈组件)"),  # Taiwan phrasing, cut short
        ("陷入並模", "陷入并模拟 → 陷入并模拟 (vgc:trap-and-emulate, 技术机制)"),  # Traditional characters, cut short
        ("shadow page tabel", "Shadow page tables → 影子页表 (vgc:shadow-page-tables, 技术机制)"),
    ],
)
def test_suggestions_work_across_scripts(kg_fast, term, first):
    with pytest.raises(ConceptNotFound) as caught:
        lookup(kg_fast, term)
    assert caught.value.args[0].startswith(f"no concept is called {term!r}; did you mean: {first}")


def test_conversions():
    assert [simplified("系統虛擬化"), traditional("系统虚拟化"), taiwan("操作系统"), mainland("記憶體")] == [
        "系统虚拟化",
        "系統虛擬化",
        "作業系統",
        "内存",
    ]
    assert simplified("KVM") == "KVM" and taiwan("Type 1") == "Type 1"
    assert singular("Linux namespaces and cgroups") == "Linux namespace and cgroup"
    assert singular("address bus of KVMS") == "address bus of KVMS"
    assert singular("technologies") == "technology"
    assert list(dict.fromkeys(spellings("容器運行時"))) == ["容器运行时"]


def test_exact_lookups_and_help_do_not_load_opencc():
    for args in (["--help"], ["lookup", "kvm"]):
        done = subprocess.run(
            [sys.executable, "-X", "importtime", "-m", "virtgraph", *args], capture_output=True, text=True, check=False
        )
        assert done.returncode == 0, done.stderr[-2000:]
        assert not import_chains(done.stderr, ("opencc",)), f"virtgraph {' '.join(args)} loads OpenCC"
