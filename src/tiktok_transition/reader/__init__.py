"""A Seller Center export -> lines: the column layout, CSV, XLSX, normalizing, merging."""
