"""Reading and validating content: the record models (models/), the strict YAML reader,
the rules across fields and records, the Markdown allowed in records, and the messages
staff see. validate.py runs them over a content folder."""
