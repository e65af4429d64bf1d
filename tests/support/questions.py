"""Competency questions: what a reader of the source document and the fact sheets asks, with the exact answer the graph
must give (each answer checked by hand against the fact sheets, not copied from what a query returned).

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
    # The concepts readers look up next (issue 12): theory, CPU, I/O, memory, containers, migration, history,
    # ownership over time and the two /proc/cpuinfo lines; conflicts between sources are asked about as claims.
    (
        "When and where were the Popek–Goldberg requirements published?",
        """SELECT ?y ?venue WHERE { vgc:popek-goldberg-requirements vg:firstDescribedIn ?p .
               ?p vg:year ?y ; vg:venue ?venue }""",
        [("1974", "Communications of the ACM 17(7), July 1974")],
    ),
    (
        "Which three properties do Popek and Goldberg demand of a virtual machine monitor?",
        """SELECT ?name WHERE { ?p vg:partOf vgc:popek-goldberg-requirements ; skos:prefLabel ?name
               FILTER NOT EXISTS { ?p vg:conditionStrength ?s } FILTER(LANG(?name) = "en") } ORDER BY ?name""",
        ["Efficiency", "Equivalence", "Resource control"],
    ),
    (
        "Is Popek–Goldberg Theorem 1 a sufficient condition or an 'if and only if', and which sources say which?",
        """SELECT ?strength ?src WHERE { ?c rdf:subject vgc:popek-goldberg-theorem ;
               rdf:predicate vg:conditionStrength ; rdf:object ?strength ; dct:source ?src } ORDER BY ?strength ?src""",
        [
            ("necessary and sufficient", "TX-4"),
            ("necessary and sufficient", "X-1"),
            ("sufficient", "TH-2"),
            ("sufficient", "TH-5"),
        ],
    ),
    (
        "Which theorem did classic x86 violate, and which instruction class, a kind of what, was to blame?",
        """SELECT ?theorem ?culprit ?kind WHERE { vgc:x86-virtualization-problem vg:violates ?theorem ;
               skos:related ?culprit . ?culprit a vg:TheoryConcept ; skos:broader ?kind }""",
        [("popek-goldberg-theorem", "critical-instruction", "sensitive-instruction")],
    ),
    (
        "Which hardware extensions made binary translation unnecessary, and when did each first ship?",
        "SELECT ?f ?y WHERE { ?f vg:replaces vgc:binary-translation ; vg:firstShippedYear ?y } ORDER BY ?y ?f",
        [("vt-x", "2005"), ("amd-v", "2006")],
    ),
    (
        "Where do the names Type I and Type II come from: which publications are credited, and from which year?",
        """SELECT ?t ?pub ?y WHERE { ?t a vg:HypervisorType ; vg:firstDescribedIn ?pub . ?pub vg:year ?y }
           ORDER BY ?t ?y""",
        [
            ("type-1-hypervisor", "goldberg-thesis-1973", "1973"),
            ("type-1-hypervisor", "popek-goldberg-1974", "1974"),
            ("type-2-hypervisor", "goldberg-thesis-1973", "1973"),
            ("type-2-hypervisor", "popek-goldberg-1974", "1974"),
        ],
    ),
    (
        "Which sources credit the Type 1 name to Goldberg's 1973 thesis, and which to the 1974 paper?",
        """SELECT ?pub ?src WHERE { ?c rdf:subject vgc:type-1-hypervisor ; rdf:predicate vg:firstDescribedIn ;
               rdf:object ?pub ; dct:source ?src } ORDER BY ?pub ?src""",
        [
            ("goldberg-thesis-1973", "TH-7"),
            ("goldberg-thesis-1973", "TH-8"),
            ("goldberg-thesis-1973", "TX-3"),
            ("popek-goldberg-1974", "C-2"),
            ("popek-goldberg-1974", "TX-3"),
        ],
    ),
    (
        "Which processor modes, transitions and control structures does Intel VT-x define?",
        "SELECT ?c WHERE { ?c a vg:ProcessorConstruct ; vg:partOf vgc:vt-x } ORDER BY ?c",
        ["vm-entry", "vm-exit", "vmcs", "vmx-non-root-operation", "vmx-root-operation"],
    ),
    (
        "Which VMX mode does the hypervisor run in, and which mode lets x86 meet the Popek–Goldberg condition?",
        """SELECT ?mode ?x WHERE { VALUES ?x { vgc:hypervisor vgc:popek-goldberg-theorem }
               ?mode a vg:ProcessorConstruct ; vg:partOf vgc:vt-x ; skos:related ?x } ORDER BY ?mode""",
        [("vmx-non-root-operation", "popek-goldberg-theorem"), ("vmx-root-operation", "hypervisor")],
    ),
    (
        "What is AMD's counterpart of Intel's VMCS, and which extension is it part of?",
        "SELECT ?amd ?ext WHERE { vgc:vmcs vg:equivalentTo|^vg:equivalentTo ?amd . ?amd vg:partOf ?ext }",
        [("vmcb", "amd-v")],
    ),
    (
        "Where was virtio first described, and in which Linux kernel did it arrive?",
        "SELECT ?pub ?y ?v WHERE { vgc:virtio vg:firstDescribedIn ?pub ; vg:firstKernelVersion ?v . ?pub vg:year ?y }",
        [("virtio-paper-2008", "2008", "2.6.24")],
    ),
    (
        "Who standardizes virtio, and in which year was its first specification approved?",
        "SELECT ?spec ?org ?y WHERE { ?spec skos:related vgc:virtio ; vg:standardizedBy ?org ; vg:year ?y }",
        [("virtio-specification", "org-oasis", "2014")],
    ),
    (
        "What needs an IOMMU outright, and what needs one only to be assigned to a VM safely?",
        """SELECT ?how ?x WHERE {
             { ?x vg:requires vgc:iommu BIND("always" AS ?how) }
             UNION { ?x vg:safeAssignmentRequires vgc:iommu BIND("for safe assignment" AS ?how) }
           } ORDER BY ?how ?x""",
        [
            ("always", "device-passthrough"),
            ("always", "iommu-group"),
            ("always", "vfio"),
            ("for safe assignment", "sr-iov"),
        ],
    ),
    (
        "When was the SR-IOV specification published (a publication year, not a first-shipped one)?",
        """SELECT ?y WHERE { vgc:sr-iov vg:specPublishedYear ?y
               FILTER NOT EXISTS { vgc:sr-iov vg:firstShippedYear ?shipped } }""",
        ["2007"],
    ),
    (
        "What do mediated devices (mdev) build on?",
        "SELECT ?x WHERE { vgc:mediated-device vg:requires ?x }",
        ["vfio"],
    ),
    (
        "Which kernel features' first Linux version do the sources disagree on?",
        "SELECT DISTINCT ?f WHERE { ?f vg:firstKernelVersion ?a , ?b FILTER(?a != ?b) } ORDER BY ?f",
        ["time-namespace", "vfio"],
    ),
    (
        "In which Linux kernel did VFIO first appear, according to which source?",
        """SELECT ?v ?src WHERE { ?c rdf:subject vgc:vfio ; rdf:predicate vg:firstKernelVersion ; rdf:object ?v ;
               dct:source ?src } ORDER BY ?v ?src""",
        [("3.6", "IO-10"), ("4.1", "X-6")],
    ),
    (
        "Which second-level address translation features replace shadow page tables?",
        "SELECT ?f WHERE { ?f vg:replaces vgc:shadow-page-tables ; skos:broader vgc:slat } ORDER BY ?f",
        ["arm-stage-2", "ept", "rvi"],
    ),
    (
        "What lets a host overcommit memory?",
        "SELECT ?m WHERE { ?m vg:enables vgc:memory-overcommit } ORDER BY ?m",
        ["content-based-page-sharing", "ksm", "memory-ballooning"],
    ),
    (
        "Which memory techniques go back to Waldspurger's ESX Server paper at OSDI 2002 (made to support overcommit)?",
        """SELECT ?c WHERE { ?c vg:firstDescribedIn ?paper . ?paper vg:year 2002 ; skos:related vgc:vmware-esx }
           ORDER BY ?c""",
        ["content-based-page-sharing", "memory-ballooning"],
    ),
    (
        "In which Linux kernel did KSM arrive, and what is it a form of?",
        "SELECT ?v ?kind WHERE { vgc:ksm vg:firstKernelVersion ?v ; skos:broader ?kind }",
        [("2.6.32", "content-based-page-sharing")],
    ),
    (
        "Which Linux namespace types are there, and in which kernel did each first appear?",
        "SELECT ?ns ?v WHERE { ?ns skos:broader vgc:linux-namespaces ; vg:firstKernelVersion ?v } ORDER BY ?v ?ns",
        [
            ("mount-namespace", "2.4.19"),
            ("ipc-namespace", "2.6.19"),
            ("uts-namespace", "2.6.19"),
            ("user-namespace", "2.6.23"),
            ("network-namespace", "2.6.24"),
            ("pid-namespace", "2.6.24"),
            ("cgroup-namespace", "4.6"),
            ("time-namespace", "5.6"),
            ("time-namespace", "5.8"),
        ],
    ),
    (
        "In which Linux kernels did cgroup v1 and cgroup v2 arrive?",
        "SELECT ?c ?v WHERE { ?c skos:broader vgc:cgroups ; vg:firstKernelVersion ?v } ORDER BY ?c",
        [("cgroup-v1", "2.6.24"), ("cgroup-v2", "4.5")],
    ),
    (
        "What builds on both Linux namespaces and cgroups?",
        "SELECT ?x WHERE { ?x vg:usesMechanism vgc:linux-namespaces , vgc:cgroups } ORDER BY ?x",
        ["docker", "lxc", "os-level-virtualization", "runc"],
    ),
    (
        "Which specifications does the OCI publish, and in which year did each reach version 1.0?",
        """SELECT ?spec ?y WHERE { ?spec skos:broader vgc:oci-specifications ; vg:standardizedBy vgc:org-oci ;
               vg:year ?y } ORDER BY ?y ?spec""",
        [("oci-image-spec", "2017"), ("oci-runtime-spec", "2017"), ("oci-distribution-spec", "2021")],
    ),
    (
        "What implements the OCI runtime specification?",
        "SELECT ?x WHERE { ?x vg:implements vgc:oci-runtime-spec }",
        ["runc"],
    ),
    (
        "Which kinds of live migration are there, and when was each first described?",
        "SELECT ?m ?y WHERE { ?m skos:broader vgc:live-migration ; vg:year ?y } ORDER BY ?y",
        [("pre-copy-migration", "2005"), ("post-copy-migration", "2009")],
    ),
    (
        "What do live migration and VM snapshots both rely on?",
        "SELECT ?x WHERE { vgc:live-migration vg:requires ?x . vgc:vm-snapshot vg:requires ?x }",
        ["dirty-page-tracking"],
    ),
    (
        "What are the mainframe roots of virtualization, in year order?",
        "SELECT ?s ?y WHERE { ?s a vg:HistoricalSystem ; vg:year ?y } ORDER BY ?y ?s",
        [("ibm-m44-44x", "1965"), ("cp-40", "1967"), ("cp-67", "1968"), ("cp-cms", "1968"), ("vm-370", "1972")],
    ),
    (
        "Which line of systems leads from IBM M44/44X to VM/370?",
        """SELECT DISTINCT ?s WHERE { vgc:ibm-m44-44x vg:precursorOf+ ?s . ?s vg:year ?y } ORDER BY ?y ?s""",
        ["cp-40", "cp-67", "vm-370"],
    ),
    (
        "Roughly when did the words 'virtual machine' and 'hypervisor' appear?",
        "SELECT ?e ?y WHERE { ?e a vg:HistoricalEvent ; vg:year ?y ; vg:approximate true } ORDER BY ?y",
        [("term-virtual-machine-origin", "1965"), ("term-hypervisor-origin", "1970")],
    ),
    (
        "Who owned KVM in 2007?",
        """SELECT ?owner WHERE { ?o vg:owned vgc:kvm ; vg:owner ?owner ; vg:fromYear ?from OPTIONAL { ?o vg:toYear ?to }
               FILTER(?from <= 2007 && (!BOUND(?to) || ?to > 2007)) }""",
        ["org-qumranet"],
    ),
    (
        "Who owns KVM today, and who owns that owner?",
        """SELECT ?owner ?parent WHERE { ?o vg:owned vgc:kvm ; vg:owner ?owner FILTER NOT EXISTS { ?o vg:toYear ?to }
               ?p vg:owned ?owner ; vg:owner ?parent FILTER NOT EXISTS { ?p vg:toYear ?end } }""",
        [("org-red-hat", "org-ibm")],
    ),
    (
        "Who has owned VMware, in order?",
        "SELECT ?owner ?from WHERE { ?o vg:owned vgc:org-vmware ; vg:owner ?owner ; vg:fromYear ?from } ORDER BY ?from",
        [("org-emc", "2004"), ("org-broadcom", "2023")],
    ),
    (
        "Who has owned VirtualBox, in order?",
        "SELECT ?owner ?from WHERE { ?o vg:owned vgc:virtualbox ; vg:owner ?owner ; vg:fromYear ?from } ORDER BY ?from",
        [("org-innotek", "2007"), ("org-sun", "2008"), ("org-oracle", "2010")],
    ),
    (
        "Which flags does /proc/cpuinfo show on its main flags line for the virtualization features?",
        "SELECT ?flag WHERE { ?f vg:cpuFlag ?flag } ORDER BY ?flag",
        ["avic", "ept", "ept_ad", "npt", "svm", "vmx", "vpid"],
    ),
    (
        "Which features appear only on the vmx flags line of /proc/cpuinfo, and under which name?",
        "SELECT ?f ?flag WHERE { ?f vg:vmxFlag ?flag FILTER NOT EXISTS { ?f vg:cpuFlag ?main } } ORDER BY ?f",
        [("apicv", "apicv"), ("vmcs-shadowing", "shadow_vmcs")],
    ),
]
