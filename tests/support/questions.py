"""Competency questions: what a reader of the source document asks, with the exact answer the graph must give.

Shared by the embedded-store tests (``tests/test_competency.py``), the real-server tests
(``tests/test_endpoint.py``) and the benchmarks.
"""

from __future__ import annotations

VGC = "https://w3id.org/virtgraph/concept/"
VGS = "https://w3id.org/virtgraph/source/"


def ids(rows, *names):
    """The rows as tuples of local ids (IRIs shortened to the part after vgc:/vgs:, literals as text)."""

    def short(term):
        text = str(term)
        for ns in (VGC, VGS):
            if text.startswith(ns):
                return text[len(ns) :]
        return text

    return [tuple(short(row[n]) for n in names) if len(names) > 1 else short(row[names[0]]) for row in rows]


QUESTIONS = [
    (
        "Which products are Type 1 (bare-metal) hypervisors?",
        "SELECT ?p WHERE { ?p vg:hypervisorType vgc:type-1-hypervisor } ORDER BY ?p",
        ["citrix-hypervisor", "hyper-v", "kvm", "vmware-esx", "xen"],
    ),
    (
        "Which products are Type 2 (hosted) hypervisors?",
        "SELECT ?p WHERE { ?p vg:hypervisorType vgc:type-2-hypervisor } ORDER BY ?p",
        ["kvm", "parallels-desktop", "qemu", "virtual-pc", "virtualbox", "vmware-workstation"],
    ),
    (
        "Whose hypervisor type do the sources disagree on?",
        "SELECT DISTINCT ?p WHERE { ?p vg:hypervisorType ?a , ?b FILTER(?a != ?b) }",
        ["kvm"],
    ),
    (
        "Which sources call KVM a Type 1 hypervisor, and which a Type 2?",
        """SELECT ?type ?src WHERE { ?c rdf:subject vgc:kvm ; rdf:predicate vg:hypervisorType ;
               rdf:object ?type ; dct:source ?src } ORDER BY ?type ?src""",
        [
            ("type-1-hypervisor", "redhat-what-is-kvm"),
            ("type-1-hypervisor", "wikipedia-hypervisor"),
            ("type-2-hypervisor", "doc-classification-architecture"),
            ("type-2-hypervisor", "techtarget-kvm"),
            ("type-2-hypervisor", "wikipedia-hypervisor"),
        ],
    ),
    (
        "Which Intel feature replaces shadow page tables, and what does AMD call it?",
        """SELECT ?intel ?amd WHERE { ?intel vg:replaces vgc:shadow-page-tables ; vg:vendor vgc:org-intel .
               ?intel vg:equivalentTo|^vg:equivalentTo ?amd . ?amd vg:vendor vgc:org-amd }""",
        [("ept", "rvi")],
    ),
    (
        "Which kind of virtualization needs a modified guest kernel?",
        "SELECT ?k WHERE { ?k a vg:VirtualizationKind ; vg:requires vgc:modified-guest-kernel }",
        ["paravirtualization"],
    ),
    (
        "What layer do containers share?",
        "SELECT ?x WHERE { vgc:container vg:shares ?x }",
        ["host-os"],
    ),
    (
        "What does every virtual machine carry its own copy of?",
        "SELECT ?x WHERE { vgc:virtual-machine vg:includes ?x }",
        ["guest-os"],
    ),
    (
        "Which concept do the document's synonyms 完全虚拟化, 准虚拟化, 系统虚拟化 and 原生虚拟化 name?",
        """SELECT ?name ?k WHERE { VALUES ?name { "完全虚拟化"@zh "准虚拟化"@zh "系统虚拟化"@zh "原生虚拟化"@zh }
               ?k skos:altLabel ?name } ORDER BY ?k""",
        [
            ("完全虚拟化", "full-virtualization"),
            ("原生虚拟化", "hardware-assisted-virtualization"),
            ("系统虚拟化", "os-level-virtualization"),
            ("准虚拟化", "paravirtualization"),
        ],
    ),
    (
        "Which product does the document's 种类 list give as the example of paravirtualization?",
        "SELECT ?p WHERE { ?p vg:technique vgc:paravirtualization ; dct:source vgs:doc-kinds }",
        ["xen"],
    ),
    (
        "Which products does the document give as examples of OS-level virtualization?",
        "SELECT ?p WHERE { ?p vg:technique vgc:os-level-virtualization ; dct:source vgs:doc-kinds } ORDER BY ?p",
        ["aix-wpar", "solaris-zones"],
    ),
    (
        "Which features need Intel VT-x to work?",
        "SELECT ?f WHERE { ?f vg:requires vgc:vt-x } ORDER BY ?f",
        ["apicv", "ept", "unrestricted-guest", "vmcs-shadowing", "vpid"],
    ),
    (
        "What is AMD's counterpart of each Intel feature?",
        """SELECT ?intel ?amd WHERE { ?intel vg:vendor vgc:org-intel ; vg:equivalentTo|^vg:equivalentTo ?amd .
               ?amd vg:vendor vgc:org-amd } ORDER BY ?intel""",
        [("apicv", "avic"), ("ept", "rvi"), ("vpid", "asid"), ("vt-d", "amd-vi"), ("vt-x", "amd-v")],
    ),
    (
        "Which hardware features have no counterpart from another vendor?",
        """SELECT ?f WHERE { ?f a vg:HardwareFeature FILTER NOT EXISTS { ?f vg:equivalentTo|^vg:equivalentTo ?x } }
           ORDER BY ?f""",
        ["sr-iov", "unrestricted-guest", "vmcs-shadowing"],
    ),
    (
        "Which feature is a PCI-SIG standard rather than a CPU vendor's?",
        "SELECT ?f WHERE { ?f vg:vendor vgc:org-pci-sig }",
        ["sr-iov"],
    ),
    (
        "Which features virtualize interrupts?",
        "SELECT ?f WHERE { ?f vg:virtualizes vgc:resource-interrupts } ORDER BY ?f",
        ["amd-vi", "apicv", "avic", "vt-d"],
    ),
    (
        "What speeds up nested virtualization?",
        "SELECT ?f WHERE { ?f vg:virtualizes vgc:resource-nested }",
        ["vmcs-shadowing"],
    ),
    (
        "What are the three deployment eras, in order?",
        "SELECT ?e WHERE { ?e a vg:DeploymentEra ; vg:order ?o } ORDER BY ?o",
        ["era-traditional", "era-virtualized", "era-container"],
    ),
    (
        "What is the virtualized era's stack, from the hardware up?",
        "SELECT ?c WHERE { vgc:era-virtualized vg:hasLayer ?l . ?l vg:position ?p ; vg:component ?c } ORDER BY ?p",
        ["hardware", "host-os", "hypervisor", "virtual-machine"],
    ),
    (
        "What runs inside each container of the container era, bottom up?",
        """SELECT ?c WHERE { vgc:era-container vg:hasLayer ?l . ?l vg:component vgc:container .
               ?n vg:inside ?l ; vg:position ?p ; vg:component ?c } ORDER BY ?p""",
        ["bins-libs", "application"],
    ),
    (
        "What sits directly on the hardware in each hypervisor architecture?",
        """SELECT ?t ?c WHERE { ?t a vg:HypervisorType ; vg:hasLayer ?l . ?l vg:position 2 ; vg:component ?c }
           ORDER BY ?t""",
        [("type-1-hypervisor", "hypervisor"), ("type-2-hypervisor", "host-os")],
    ),
    (
        "Which layers repeat side by side on one machine?",
        "SELECT DISTINCT ?c WHERE { ?l vg:repeated true ; vg:component ?c } ORDER BY ?c",
        ["application", "container", "virtual-machine"],
    ),
    (
        "How many benefits of containers does the document list, and which comes first?",
        """SELECT (COUNT(?b) AS ?n) (MIN(?o) AS ?first) WHERE { vgc:era-container vg:benefit ?b . ?b vg:order ?o }""",
        [("10", "1")],
    ),
    (
        "Which benefit of containers is listed first?",
        "SELECT ?b WHERE { vgc:era-container vg:benefit ?b . ?b vg:order 1 }",
        ["benefit-agile-deployment"],
    ),
    (
        "Which scenarios does the source document list as suited to virtualization?",
        """SELECT ?s WHERE { ?c rdf:subject ?s ; rdf:predicate vg:suitability ; rdf:object vgc:suited ;
               dct:source vgs:doc-scenarios . ?s vg:order ?o } ORDER BY ?o""",
        [
            "scenario-highly-utilized-servers",
            "scenario-backup-and-log-hosts",
            "scenario-high-bandwidth-apps",
            "scenario-io-bound-databases",
            "scenario-hardware-copy-protection",
            "scenario-special-hardware",
        ],
    ),
    (
        "Which scenarios does the source document list as not suited?",
        """SELECT ?s WHERE { ?c rdf:subject ?s ; rdf:predicate vg:suitability ; rdf:object vgc:not-suited ;
               dct:source vgs:doc-scenarios . ?s vg:order ?o } ORDER BY ?o""",
        [
            "scenario-internet-web-servers",
            "scenario-underused-app-servers",
            "scenario-developer-systems",
            "scenario-qa-and-staging",
            "scenario-core-infrastructure",
        ],
    ),
    (
        "Where do other sources contradict the document's verdict on a scenario?",
        """SELECT DISTINCT ?s WHERE { ?s vg:suitability vgc:suited , vgc:not-suited . ?s vg:order ?o } ORDER BY ?s""",
        [
            "scenario-backup-and-log-hosts",
            "scenario-developer-systems",
            "scenario-hardware-copy-protection",
            "scenario-high-bandwidth-apps",
            "scenario-highly-utilized-servers",
            "scenario-io-bound-databases",
            "scenario-qa-and-staging",
            "scenario-special-hardware",
            "scenario-underused-app-servers",
        ],
    ),
    (
        "Which open-source products are Type 1 hypervisors?",
        """SELECT DISTINCT ?p WHERE { ?p vg:hypervisorType vgc:type-1-hypervisor ; vg:license ?l .
               ?l vg:openSource true } ORDER BY ?p""",
        ["citrix-hypervisor", "kvm", "xen"],
    ),
    (
        "Which products does Proxmox VE run its VMs and containers with?",
        "SELECT ?p WHERE { vgc:proxmox-ve vg:uses ?p } ORDER BY ?p",
        ["kvm", "lxc"],
    ),
    (
        "What does Firecracker build its microVMs on?",
        "SELECT ?p WHERE { vgc:firecracker vg:uses ?p }",
        ["kvm"],
    ),
    (
        "Which kinds appear in both of the document's technique lists?",
        """SELECT ?k WHERE { vgc:list-kinds skos:member ?k . vgc:list-levels skos:member ?k . ?k vg:order ?o }
           ORDER BY ?o""",
        ["full-virtualization", "paravirtualization", "os-level-virtualization"],
    ),
    (
        "Which kind is only in the 分类 list, and which only in the 种类 list?",
        """SELECT ?only ?k WHERE {
             { vgc:list-levels skos:member ?k FILTER NOT EXISTS { vgc:list-kinds skos:member ?k }
               BIND("levels" AS ?only) }
             UNION
             { vgc:list-kinds skos:member ?k FILTER NOT EXISTS { vgc:list-levels skos:member ?k }
               BIND("kinds" AS ?only) }
           } ORDER BY ?only""",
        [("kinds", "hardware-assisted-virtualization"), ("levels", "desktop-virtualization")],
    ),
    (
        "On which axis are Type 1 and Type 2 told apart?",
        "SELECT DISTINCT ?a WHERE { ?t a vg:HypervisorType ; vg:classifiesOn ?a }",
        ["axis-architecture"],
    ),
    (
        "What makes hardware-assisted virtualization possible?",
        "SELECT ?f WHERE { ?f vg:enables vgc:hardware-assisted-virtualization } ORDER BY ?f",
        ["amd-v", "vt-x"],
    ),
    (
        "Which Intel features first shipped with Nehalem in 2008?",
        "SELECT ?f WHERE { ?f vg:vendor vgc:org-intel ; vg:firstShippedYear 2008 } ORDER BY ?f",
        ["ept", "vpid"],
    ),
    (
        "Which is the oldest product in the graph, and when was Xen first released?",
        """SELECT ?p ?y WHERE { { SELECT ?p ?y WHERE { ?p vg:firstReleaseYear ?y } ORDER BY ?y LIMIT 1 }
             UNION { vgc:xen vg:firstReleaseYear ?y BIND(vgc:xen AS ?p) } } ORDER BY ?y""",
        [("virtual-pc", "1997"), ("xen", "2003")],
    ),
]
