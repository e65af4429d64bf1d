"""Loaded by every Python subprocess the tests start: the same network canary as the test process."""

import os
import sys

if os.environ.get("VIRTGRAPH_NETGUARD_PORTS"):
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    try:
        import netguard
    finally:
        del sys.path[0]
    sys.addaudithook(netguard._hook)
