"""Tests for the trace (操作留痕, R16)."""
