"""Policy measures on the stored documents: policy strength, two-dimensional instrument coding, terms over time,
text reuse and diffusion between documents, and what changed between two versions (one module each)."""
