"""The demo web: imitation utility news sites served on 127.0.0.1 for demos, tests and benchmarks."""
