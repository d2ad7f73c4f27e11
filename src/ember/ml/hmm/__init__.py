"""Hidden Markov models in log space (TOPICS.md 1.23-1.24; claims C166-C168).

Discrete (``CategoricalHMM``), Gaussian (``GaussianHMM``) and Gaussian-mixture (``GMMHMM``)
emissions; forward, backward, Viterbi and Baum-Welch; hmmlearn's names and conventions.
"""

from ._algorithms import backward_log, forward_log, posteriors_log, viterbi_log, xi_sum_log
from ._base import BaseHMM
from ._models import GMMHMM, CategoricalHMM, GaussianHMM

__all__ = [
    "BaseHMM",
    "CategoricalHMM",
    "GaussianHMM",
    "GMMHMM",
    "forward_log",
    "backward_log",
    "viterbi_log",
    "posteriors_log",
    "xi_sum_log",
]
