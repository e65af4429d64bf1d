"""Loaded by every Python subprocess the tests start: the same network canary as the test process.

The module is imported under the name the test suite uses (``tests.netguard``), so a pytest worker process
(pytest-xdist) started this way shares it with its conftest and guards itself with one hook.
"""

import os
import sys

if os.environ.get("VIRTGRAPH_NETGUARD_PORTS"):
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
    try:
        from tests import netguard
    finally:
        del sys.path[0]
    netguard.add_hook()
