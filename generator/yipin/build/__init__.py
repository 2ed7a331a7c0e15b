"""The build: the pipeline in order (pipeline.py), what each cached output depends on
(keys.py), and the planned outputs and their atomic writing (outputs.py)."""
