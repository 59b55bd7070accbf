"""WCAG contrast of two colours, so text on an SDG colour is picked to be readable (AA: 4.5:1)."""

from __future__ import annotations

DARK = "#111111"
LIGHT = "#FFFFFF"


def luminance(hex_colour: str) -> float:
    """WCAG relative luminance of a #RRGGBB colour."""
    channels = []
    for i in (1, 3, 5):
        value = int(hex_colour[i : i + 2], 16) / 255
        channels.append(value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4)
    red, green, blue = channels
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(first: str, second: str) -> float:
    """The WCAG contrast ratio of two #RRGGBB colours (1 to 21)."""
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def ink_on(background: str) -> str:
    """The text colour, of the dark and the light one we use, that contrasts more with
    `background` (measured against the dark ink itself, not pure black)."""
    return DARK if contrast(background, DARK) >= contrast(background, LIGHT) else LIGHT
