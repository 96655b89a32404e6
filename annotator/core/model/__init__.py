"""Suggestions learnt from the project's own labels, offline (scikit-learn), kept without pickle.

``records`` (what a model learns from), ``features`` (what it sees of an item), ``heads``
(one calibrated linear classifier per scheme), ``training``, ``storage`` (plain arrays in
the project file, checked before use), ``evaluation`` (cross-validated by conference),
``settings`` (the lead's choices), ``model`` (suggestions for one item; the reliability
sample never gets any), ``ordering`` (which item "next" brings).
"""
