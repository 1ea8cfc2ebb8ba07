"""Checkers behind the quality gates (issue 6): each takes a built site, a URL or a page and
returns the problems it finds as located, human-readable strings. The tests in
tests/test_gate_*.py run them on the real build; tests/test_gates_can_fail.py runs them on
deliberately broken pages to show that each one can fail."""
