"""Hostile SHACL shapes: validation stays offline, and bad shapes get one line, exit 2."""

from __future__ import annotations

import pytest

from ..support.trap import Trap

SH = "@prefix sh: <http://www.w3.org/ns/shacl#> .\n@prefix ex: <http://example.org/> .\n"
DATA = "<http://example.org/a> a <http://example.org/Thing> .\n"


@pytest.fixture(scope="module")
def trap():
    found = Trap()
    yield found
    found.socket.close()


def shapes_with(body: str, tmp_path, name: str = "hostile-shapes.ttl"):
    (tmp_path / "data.ttl").write_text(DATA, encoding="utf-8")
    path = tmp_path / name
    path.write_text(SH + body, encoding="utf-8")
    return path


def hostile(url: str) -> dict[str, str]:
    select = f"SELECT $this WHERE {{ SERVICE <{url}> {{ $this ?p ?o }} }}"
    return {
        "constraint": f'ex:S a sh:NodeShape ; sh:targetClass ex:Thing ; sh:sparql [ sh:select """{select}""" ] .',
        "escaped constraint": 'ex:S a sh:NodeShape ; sh:targetClass ex:Thing ; sh:sparql [ sh:select """'
        + f'SELECT $this WHERE {{ # x\r SERVICE <{url}> {{ $this ?p ?o }}\n}}""" ] .',
        "target": f'ex:S a sh:NodeShape ; sh:target [ a sh:SPARQLTarget ; sh:select """SELECT ?this WHERE {{ '
        f'SERVICE <{url}> {{ ?this ?p ?o }} }}""" ] ; sh:property [ sh:path ex:p ; sh:minCount 1 ] .',
        "rule": f'ex:S a sh:NodeShape ; sh:targetClass ex:Thing ; sh:rule [ a sh:SPARQLRule ; sh:construct """'
        f'CONSTRUCT {{ $this ex:q ?o }} WHERE {{ SERVICE <{url}> {{ $this ?p ?o }} }}""" ] .',
        "ask validator": f"ex:C a sh:ConstraintComponent ; sh:parameter [ sh:path ex:flag ] ; sh:validator [ "
        f'a sh:SPARQLAskValidator ; sh:ask """ASK {{ SERVICE <{url}> {{ $this ?p ?o }} }}""" ] .\n'
        "ex:S a sh:NodeShape ; sh:targetClass ex:Thing ; ex:flag true .",
        "update": 'ex:S a sh:NodeShape ; sh:targetClass ex:Thing ; sh:sparql [ sh:select """'
        'DELETE WHERE { ?s ?p ?o }""" ] .',
        "namespace injection": "ex:S a sh:NodeShape ; sh:targetClass ex:Thing ; sh:sparql [ sh:prefixes ex:P ; "
        'sh:select "SELECT $this WHERE { $this ?p ?o }" ] .\n'
        f'ex:P sh:declare [ sh:prefix "x" ; sh:namespace "http://e/> SELECT * WHERE {{ SERVICE <{url}> {{}} }} #" ] .',
    }


@pytest.mark.parametrize("name", list(hostile("http://127.0.0.1:1/")))
def test_shapes_never_reach_the_network(run, trap, tmp_path, name):
    shapes = shapes_with(hostile(trap.url)[name], tmp_path)
    results = []
    args = ("--ontology", str(tmp_path / "data.ttl"), "validate", "--shapes", str(shapes))
    assert trap.connections_after(lambda: results.append(run(*args))) == 0
    result = results[0]
    assert "Traceback" not in result.output
    assert result.exit_code in (0, 2), result.output
    if result.exit_code == 2:
        assert result.stderr.startswith(f"Error: {shapes}: ")
        assert len(result.stderr.splitlines()) == 1


@pytest.mark.parametrize(
    "body",
    [
        'ex:S a sh:NodeShape ; sh:targetClass ex:Thing ; sh:sparql [ sh:select "SELECT $this WHERE { " ] .',
        "ex:S a sh:NodeShape ; sh:targetClass ex:Thing ; sh:sparql [ sh:select "
        '"SELECT $this WHERE { $this ?p ?o FILTER(?o = ?missing) }" ; sh:message 3 ] .',
        "ex:S a sh:NodeShape ; sh:targetClass ex:Thing ; sh:sparql [ sh:select 42 ] .",
        "ex:S a sh:NodeShape ; sh:targetClass ex:Thing ; sh:property [ sh:path ( ) ; sh:minCount 1 ] .",
        "ex:S a sh:NodeShape ; sh:targetClass ex:Thing ; sh:sparql [ sh:select "
        '"SELECT $this WHERE { $this ?p ?o } GROUP BY $this HAVING(COUNT(?o) > 0)" ] .',
        "this is not turtle",
    ],
    ids=["bad sparql", "failing constraint", "number as select", "empty path", "constraint with having", "turtle"],
)
def test_bad_shapes_give_one_line(run, tmp_path, body):
    shapes = shapes_with(body, tmp_path)
    result = run("--ontology", str(tmp_path / "data.ttl"), "validate", "--shapes", str(shapes))
    assert "Traceback" not in result.output
    assert result.exit_code in (0, 1, 2)
    if result.exit_code == 2:
        assert len(result.stderr.splitlines()) == 1
        assert str(shapes) in result.stderr


@pytest.fixture
def shapes_paths(tmp_path):
    import os

    fifo = tmp_path / "fifo-shapes.ttl"
    os.mkfifo(fifo)
    return {
        "fifo": (fifo, f"{fifo}: not a regular file (a device, FIFO or socket cannot be a shapes file)"),
        "device": ("/dev/zero", "/dev/zero: not a regular file (a device, FIFO or socket cannot be a shapes file)"),
        "folder": (tmp_path, f"{tmp_path}: is a folder, not a shapes file"),
        "missing": (tmp_path / "none.ttl", f"{tmp_path / 'none.ttl'}: no such file"),
    }


@pytest.mark.parametrize("kind", ["fifo", "device", "folder", "missing"])
def test_shapes_that_are_no_regular_file_are_one_line(run, shapes_paths, kind):
    path, message = shapes_paths[kind]
    result = run("validate", "--shapes", str(path))  # a FIFO once hung, /dev/zero ran out of memory
    assert result.exit_code == 2
    assert result.stderr == f"Error: {message}\n"


def test_a_shapes_name_too_long_is_one_line(run, tmp_path):
    name = tmp_path / ("s" * 300 + ".ttl")
    result = run("validate", "--shapes", str(name))
    assert result.exit_code == 2
    assert result.stderr == f"Error: {name}: cannot read (File name too long)\n"
