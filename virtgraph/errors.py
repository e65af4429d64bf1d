"""The one error family of virtgraph.

Every error a user can cause derives from :class:`VirtgraphError`. The exit code lives on the class
(``1`` = the operation failed, ``2`` = bad usage or bad input); the CLI prints ``Error: <message>`` on one
line and exits with that code. Library code raises these and never prints or exits.

>>> err = QueryRefused("SPARQL Update is not allowed")
>>> (err.exit_code, str(err))
(2, 'SPARQL Update is not allowed')
"""

from __future__ import annotations


class VirtgraphError(Exception):
    """Base of every user-facing error; ``str(error)`` is the one line shown to the user."""

    exit_code = 1


class UsageError(VirtgraphError):
    """Bad usage or bad input: unknown names, malformed files, refused queries."""

    exit_code = 2


class OntologyError(UsageError):
    """The ontology cannot be read (missing path, malformed Turtle)."""


class QuerySyntaxError(UsageError):
    """The SPARQL text does not parse."""


class QueryRefused(UsageError):
    """The query would write to the graph or reach the network without the user opting in."""


class UnknownName(UsageError):
    """A name (query, view, format, language) that virtgraph does not know."""


class QueryFailed(VirtgraphError):
    """A query ran but could not finish: past its deadline or size limit, interrupted, or failed in the engine."""


class ConceptNotFound(VirtgraphError):
    """A lookup term matches no concept, or more than one.

    Exit 1 wherever a term is looked up (``lookup``, ``render --concept``, a ``concept=`` marker of ``docs``):
    like grep finding no match, the search ran and failed; a view, format or option virtgraph does not know
    is bad usage (exit 2).
    """

    def __init__(self, message: str, suggestions: list[str] | None = None):
        super().__init__(message)
        self.suggestions = suggestions or []


class ValidationFailed(VirtgraphError):
    """The ontology breaks one or more SHACL rules."""


class ToolMissing(VirtgraphError):
    """An external program virtgraph needs (Graphviz ``dot``) is not installed."""


class RenderFailed(VirtgraphError):
    """An external renderer ran but failed."""


class WriteFailed(VirtgraphError):
    """A file could not be written (read-only, no space, no reader on a FIFO...); what was there is untouched."""


class EndpointError(VirtgraphError):
    """A remote SPARQL endpoint could not answer (unreachable, timeout, HTTP error, bad response)."""
