"""Query rows to each view's DiGraph (build.py), from the shipped ontology: structure, not just existence."""

from __future__ import annotations

import pytest

from virtgraph.build import build_view
from virtgraph.errors import UsageError
from virtgraph.viewspec import get_view

VGC = "https://w3id.org/virtgraph/concept/"


def view(kg, name, lang="en", **params):
    return build_view(kg, get_view(name), lang, **params)


def stack_components(graph, stack_id):
    """Top-level layers of a stack, bottom up, as component ids."""
    layers = [a for _, a in graph.nodes(data=True) if a.get("role") == "layer" and a["stack"] == stack_id]
    return [a["component"] for a in sorted((a for a in layers if not a["parent"]), key=lambda a: a["position"])]


def inside(graph, stack_id, component):
    layer = next(
        nid
        for nid, a in graph.nodes(data=True)
        if a.get("role") == "layer" and a["stack"] == stack_id and a["component"] == component and not a["parent"]
    )
    inner = [a for _, a in graph.nodes(data=True) if a.get("parent") == layer]
    return [a["component"] for a in sorted(inner, key=lambda a: a["position"])]


def test_taxonomy(kg):
    g = view(kg, "taxonomy")
    assert g.graph["title"] == "A taxonomy of virtualization"
    kinds = [n for n, a in g.nodes(data=True) if a["kind"].endswith("#VirtualizationKind")]
    assert sorted(kinds) == [
        "vgc:desktop-virtualization",
        "vgc:full-virtualization",
        "vgc:hardware-assisted-virtualization",
        "vgc:os-level-virtualization",
        "vgc:paravirtualization",
    ]
    assert g.has_edge("vgc:paravirtualization", "vgc:xen")
    assert g.has_edge("vgc:full-virtualization", "vgc:vmware-esx")
    assert not g.has_edge("vgc:hardware-assisted-virtualization", "vgc:vmware-esx")  # first technique only
    assert g.has_edge("vgc:hardware-assisted-virtualization", "vgc:vt-x")
    assert sorted(g.successors("vgc:os-level-virtualization")) == ["vgc:aix-wpar", "vgc:solaris-zones"]
    assert sorted(g.successors("vgc:type-1-hypervisor")) == [
        "vgc:citrix-hypervisor",
        "vgc:hyper-v",
        "vgc:kvm",
        "vgc:vmware-esx",
        "vgc:xen",
    ]
    assert g.edges["vgc:type-1-hypervisor", "vgc:kvm"]["disputed"]
    assert g.edges["vgc:type-2-hypervisor", "vgc:kvm"]["disputed"]
    assert not g.edges["vgc:type-1-hypervisor", "vgc:xen"]["disputed"]
    assert g.nodes["vgc:paravirtualization"]["group"] == "vgc:axis-technique"
    assert g.nodes["vgc:type-2-hypervisor"]["group"] == "vgc:axis-architecture"


def test_taxonomy_shows_synonyms_in_chinese(kg):
    g = view(kg, "taxonomy", "zh")
    assert g.nodes["vgc:paravirtualization"]["details"] == "又称：准虚拟化、超虚拟化"
    assert "完全虚拟化" in g.nodes["vgc:full-virtualization"]["details"]
    assert "系统虚拟化" in g.nodes["vgc:os-level-virtualization"]["details"]
    assert "原生虚拟化" in g.nodes["vgc:hardware-assisted-virtualization"]["details"]


def test_eras_stacks(kg):
    g = view(kg, "eras")
    stacks = sorted((a["order"], n) for n, a in g.nodes(data=True) if a.get("role") == "stack")
    assert [n for _, n in stacks] == ["vgc:era-traditional", "vgc:era-virtualized", "vgc:era-container"]
    assert stack_components(g, "vgc:era-traditional") == ["vgc:hardware", "vgc:operating-system", "vgc:application"]
    assert stack_components(g, "vgc:era-virtualized") == [
        "vgc:hardware",
        "vgc:host-os",
        "vgc:hypervisor",
        "vgc:virtual-machine",
    ]
    assert inside(g, "vgc:era-virtualized", "vgc:virtual-machine") == [
        "vgc:guest-os",
        "vgc:bins-libs",
        "vgc:application",
    ]
    assert stack_components(g, "vgc:era-container") == [
        "vgc:hardware",
        "vgc:host-os",
        "vgc:container-runtime",
        "vgc:container",
    ]
    assert inside(g, "vgc:era-container", "vgc:container") == ["vgc:bins-libs", "vgc:application"]
    assert g.has_edge("vgc:era-virtualized/2", "vgc:era-virtualized/1")  # host OS sits on the hardware


@pytest.mark.parametrize(
    ("name", "stack", "below_vm"),
    [
        ("hypervisor-type1", "vgc:type-1-hypervisor", ["vgc:hardware", "vgc:hypervisor"]),
        ("hypervisor-type2", "vgc:type-2-hypervisor", ["vgc:hardware", "vgc:host-os", "vgc:hypervisor"]),
    ],
)
def test_hypervisor_stacks(kg, name, stack, below_vm):
    g = view(kg, name)
    assert stack_components(g, stack) == [*below_vm, "vgc:virtual-machine"]
    # the full order from the hardware up: ... hypervisor < guest OS < application
    assert inside(g, stack, "vgc:virtual-machine") == ["vgc:guest-os", "vgc:application"]
    assert [n for n, a in g.nodes(data=True) if a.get("role") == "stack"] == [stack]


def test_hypervisors_side_by_side_with_examples(kg):
    g = view(kg, "hypervisors", "en")
    one, two = g.nodes["vgc:type-1-hypervisor"], g.nodes["vgc:type-2-hypervisor"]
    assert one["examples"].split("|") == ["Citrix Hypervisor", "Hyper-V", "KVM", "VMware ESX", "Xen"]
    assert one["examples_disputed"] == "KVM" == two["examples_disputed"]
    assert "VirtualBox" in two["examples"].split("|")


def test_hardware(kg):
    g = view(kg, "hardware")
    assert g.edges["vgc:ept", "vgc:vt-x"]["relation_key"] == "requires"
    equivalent = {tuple(sorted((u, v))) for u, v, a in g.edges(data=True) if a["relation_key"] == "equivalentTo"}
    assert ("vgc:ept", "vgc:rvi") in equivalent
    assert ("vgc:amd-v", "vgc:vt-x") in equivalent
    assert g.nodes["vgc:ept"]["group"] == "vgc:resource-memory"
    assert g.nodes["vgc:vt-d"]["group"] == "vgc:resource-io"  # first of I/O and interrupts
    assert g.nodes["vgc:vmcs-shadowing"]["group"] == "vgc:resource-nested"
    assert g.nodes["vgc:apicv"]["group"] == "vgc:resource-interrupts"
    assert g.nodes["vgc:ept"]["category"] == VGC + "org-intel"
    assert g.nodes["vgc:rvi"]["category_label"] == "AMD"
    assert {a["group"] for n, a in g.nodes(data=True) if a["kind"].endswith("#HardwareFeature")} == {
        "vgc:resource-cpu",
        "vgc:resource-memory",
        "vgc:resource-io",
        "vgc:resource-interrupts",
        "vgc:resource-nested",
    }


def test_products(kg):
    g = view(kg, "products")
    assert g.nodes["vgc:xen"]["group"] == "vgc:type-1-hypervisor"
    assert g.nodes["vgc:virtualbox"]["group"] == "vgc:type-2-hypervisor"
    assert g.nodes["vgc:docker"]["group"] == "vg:ContainerProduct"
    kvm = g.nodes["vgc:kvm"]
    assert kvm["group"] == ""  # disputed: stands apart with an edge to each claimed type
    assert g.edges["vgc:kvm", "vgc:type-1-hypervisor"]["disputed"]
    assert g.edges["vgc:kvm", "vgc:type-2-hypervisor"]["disputed"]
    assert g.nodes["vgc:type-1-hypervisor"]["is_group"]
    assert kvm["category"] == "true" and kvm["category_label"] == "open source (at least in part)"
    assert g.nodes["vgc:hyper-v"]["category_label"] == "proprietary"
    assert "licence: GPL-2.0-only" in kvm["details"].replace("license", "licence")
    assert "first release year: 2007" in kvm["details"]
    products = [
        n
        for n, a in g.nodes(data=True)
        if "Product" in a["classes"] or "Orchestrator" in a["classes"] or "Platform" in a["classes"]
    ]
    assert len(products) == 23


def test_scenarios(kg):
    g = view(kg, "scenarios", "en")
    suited = sorted(a["order"] for _, a in g.nodes(data=True) if a["group"] == "vgc:suited")
    not_suited = sorted(a["order"] for _, a in g.nodes(data=True) if a["group"] == "vgc:not-suited")
    assert suited == [1, 2, 3, 4, 5, 6]
    assert not_suited == [7, 8, 9, 10, 11]
    db = g.nodes["vgc:scenario-io-bound-databases"]
    assert db["disputed"]
    assert "Not suited to virtualization: Red Hat: RHEL Virtualization Guide" in db["details"]
    assert db["details"].startswith("reason: ")
    assert not g.nodes["vgc:scenario-internet-web-servers"]["disputed"]


def test_benefits_in_document_order(kg):
    g = view(kg, "benefits", "zh")
    assert sorted(g.successors("vgc:era-container"), key=lambda n: g.nodes[n]["order"])[0] == (
        "vgc:benefit-agile-deployment"
    )
    assert g.out_degree("vgc:era-container") == 10
    assert g.nodes["vgc:benefit-resource-isolation"]["label"] == "资源隔离"


def test_concept_neighbourhood(kg):
    g = view(kg, "concept", "en", concept_iri=VGC + "ept")
    assert g.graph["title"] == "EPT and its neighbours"
    assert set(g.successors("vgc:ept")) >= {"vgc:vt-x", "vgc:shadow-page-tables", "vgc:org-intel"}
    assert g.has_edge("vgc:unrestricted-guest", "vgc:ept")  # incoming links too
    deeper = view(kg, "concept", "en", concept_iri=VGC + "ept", depth=2)
    assert deeper.number_of_nodes() > g.number_of_nodes()
    assert deeper.has_edge("vgc:vpid", "vgc:vt-x")  # reached through VT-x


def test_concept_view_needs_a_concept(kg):
    with pytest.raises(UsageError, match="needs --concept"):
        view(kg, "concept")
