"""The standing adversarial suite: one test per defect found by trying virtgraph as a hostile user would."""
