"""Disjoint sets (union-find) for grouping shapes that touch or are joined: charts, diagrams."""

from __future__ import annotations


class DisjointSets:
    """Items 0..n-1, each in its own set until joined."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        """The representative of ``i``'s set (path halving keeps the trees flat)."""
        parent = self.parent
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(self, i: int, j: int) -> None:
        self.parent[self.find(i)] = self.find(j)
