"""Domain core of the business-environment supervision column.

Loads editors' YAML and Markdown, validates it into typed records, derives facts as of
the data date and builds generated pages. Imports no mkdocs: the adapter in
hooks/column.py hands the results to MkDocs.
"""
