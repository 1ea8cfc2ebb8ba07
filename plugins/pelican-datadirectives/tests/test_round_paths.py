"""figure.round_paths: lighter SVG (page weight) without moving anything a reader can see."""

import re

from pelican.plugins.datadirectives.figure import round_paths


def test_path_coordinates_are_rounded_to_a_tenth_of_a_pixel():
    svg = (
        '<svg><path d="M438.894,289.968L-0.04,2.5L441.25,.125A5,5,0,1,1,5,0Z" '
        'transform="translate(0.125,1)"/><text x="1.234">1.234 people</text></svg>'
    )
    out = round_paths(svg)
    assert 'd="M438.9,290L0,2.5L441.2,0.1A5,5,0,1,1,5,0Z"' in out
    # Only path data changes: transforms, positions and text keep every digit.
    assert 'transform="translate(0.125,1)"' in out
    assert '<text x="1.234">1.234 people</text>' in out


def test_no_coordinate_moves_more_than_half_a_tenth():
    d = " ".join(f"L{x / 997:.3f},{-x / 13:.3f}" for x in range(0, 5000, 7))
    out = re.search(r'd="([^"]*)"', round_paths(f'<path d="{d}"/>')).group(1)
    before = [float(n) for n in re.findall(r"-?\d*\.?\d+", d)]
    after = [float(n) for n in re.findall(r"-?\d*\.?\d+", out)]
    assert len(before) == len(after)
    assert max(abs(a - b) for a, b in zip(before, after, strict=True)) <= 0.05 + 1e-9
