"""corpus-tool: clean, segmented, citable data from Chinese policy documents and articles."""

from __future__ import annotations

__version__ = "0.1.0"
