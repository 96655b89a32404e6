"""Inter-coder agreement: Krippendorff's alpha, Cohen's, Fleiss' kappa, Gwet's AC1/AC2.

Pure computation over plain data; ``project.py`` builds the input from a project, the CLI prints the output.

Input of :func:`scheme_agreement`::

    ratings: dict[item uid, dict[coder, value]]   # a coder absent from an item did not label it
    value:   str for single-choice schemes, frozenset[str] for multi-choice schemes

Definitions (each figure follows the reference it is tested against):

* ``alpha``: Krippendorff's alpha over all *pairable* values (units with >= 2 values);
  nominal metric, Krippendorff's ordinal metric over the codebook's option order when
  ``ordered`` (the same metric as the ``krippendorff`` package), and for multi-choice
  schemes the MASI distance (Passonneau 2006, with M = 1, 2/3, 1/3, 0) between the sets.
* ``alpha_ci95``: percentile interval of a bootstrap over pairable units. A unit's
  contribution (its coincidences, or its observed disagreement and pairable counts)
  is computed once; a resample only reweights identical unit patterns. When
  ``resamples * distinct patterns`` is large (big data), the resampled sums are drawn
  from their normal limit (same mean and covariance as multinomial resampling), and when
  there are so many distinct categories (MASI over many sets) that a resample's K x K
  expected disagreement is dear (resamples x K x K or distinct units x K past a budget, which
  only a large sample reaches) it is linearised around the full data; both errors are O(1/n),
  far below the bootstrap's own Monte Carlo noise at that size.
* ``percent_agreement``: mean over pairable items of the share of coder pairs that agree
  (Fleiss' P-bar, irrCAC's ``pa``); multi-choice values agree when the sets are equal.
  ``unanimous``: share of pairable items on which every coder gave the same value.
* ``cohen_kappa``: per pair of coders, over the items both labelled.
* ``fleiss_kappa``: over pairable items, only when all have the same number of coders.
* ``gwet_ac1`` / ``gwet_ac2``: Gwet's formulas as irrCAC implements them: agreement over
  units with >= 2 ratings, classification probabilities over every unit with >= 1 rating,
  q = number of categories; AC2 (ordered schemes) with irrCAC's "ordinal" weights.
* Kappas, AC1 and percent agreement of multi-choice schemes treat each distinct set as one
  category (q = the number of distinct sets used); the per-option alphas and the MASI
  alpha give the finer picture.
* ``per_option[o]["alpha"]``: binary nominal alpha of "this option is present" (multi) or
  "the value is this option" (single) against everything else.

Degenerate figures are ``None``, never an exception or a string: no pairable items, a
single category used, zero expected disagreement (alpha), chance agreement of 1 (kappas).
"""

from annotator.core.agreement._coefficients import ordinal_weights
from annotator.core.agreement._common import Distance, Ratings
from annotator.core.agreement._metrics import masi_distance
from annotator.core.agreement._scheme import scheme_agreement
from annotator.core.agreement._units import (
    cohen_kappa,
    fleiss_kappa,
    gwet_ac1,
    gwet_ac2,
    krippendorff_alpha,
    percent_agreement,
)

__all__ = [
    "Distance",
    "Ratings",
    "cohen_kappa",
    "fleiss_kappa",
    "gwet_ac1",
    "gwet_ac2",
    "krippendorff_alpha",
    "masi_distance",
    "ordinal_weights",
    "percent_agreement",
    "scheme_agreement",
]
