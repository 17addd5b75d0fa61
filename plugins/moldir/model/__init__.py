"""The model: what every stage of the pipeline talks about, with no behaviour of its own.

The dataset and its resources and fields (``dataset``), the validation report and its
errors (``report``), the project's settings (``settings``), languages and translated text
(``language``), locale-aware numbers (``numbers``) and the safety rules every name, path
and URL from input passes through (``safety``). It imports nothing else of Moldir.
"""
