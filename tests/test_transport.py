"""HTTP details of talking to an endpoint (transport.py): credentials from netrc, URLs shown without userinfo."""

from __future__ import annotations

import pytest

from virtgraph.transport import credentials, public_url


@pytest.mark.server  # kept from tests/test_endpoint.py, where every test carries it
def test_credentials_from_netrc(tmp_path, monkeypatch):
    monkeypatch.delenv("VIRTGRAPH_ENDPOINT_USER", raising=False)
    netrc = tmp_path / "netrc"
    netrc.write_text("machine kg.example.org login alice password wonder\n", encoding="utf-8")
    netrc.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc))
    assert credentials("https://kg.example.org/sparql") == ("alice", "wonder")
    assert credentials("https://other.example.org/sparql") is None


@pytest.mark.server
def test_public_url_hides_userinfo():
    assert public_url("http://u:p@host:8890/sparql") == "http://host:8890/sparql"
