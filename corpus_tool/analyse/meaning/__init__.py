"""Meaning analyses on the stored tokens: embeddings, dictionary expansion, semantic projection, co-occurrence
networks, correspondence analysis and clustering, document similarity, readability (one module each)."""
