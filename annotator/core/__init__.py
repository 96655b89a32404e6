"""Plain-Python core: no Qt import anywhere below this package (a test checks it)."""
