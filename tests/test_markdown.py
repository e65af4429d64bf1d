"""markdown.scan_images: every image-link form, with its line, alt text and target; code is not a link."""

from __future__ import annotations

from virtgraph.markdown import scan_images

from .support.notes import NOTES


def test_scanner_finds_every_form():
    refs = [(r.kind, r.line, r.alt, r.target) for r in scan_images(NOTES)]
    assert refs == [
        ("inline", 3, "", "old/pics/container_evolution.svg"),
        ("inline", 4, "img", "../Image Folder\\k\\1618472-20190329134603647-370306872.png"),
        ("reference", 5, "", "D:\\wfbook\\Image\\k\\1618472-20190329135045351-342284420.png"),
        ("reference", 5, "present", "pics/a%20b.png"),
        ("html", 6, "img", "C:\\wfbook\\container_evolution.svg"),
        ("inline", 7, "ok", "pics/a%20b.png"),
        ("inline", 8, "logo", "https://example.org/logo.png"),
        ("inline", 9, "dot", "data:image/png;base64,iVBORw0KGgo="),
        ("inline", 10, "lost", "gone/nowhere.png"),
    ]
