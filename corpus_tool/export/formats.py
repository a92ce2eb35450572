"""The file formats exports are written in, by suffix (plain data, cheap to import)."""

FORMATS = (".csv", ".xlsx", ".parquet")
