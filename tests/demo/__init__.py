"""Tests of the demo layer (chitra.demo)."""
