"""Benchmarks (``make bench``): ratios against a bare Textual app, never timed tests."""
