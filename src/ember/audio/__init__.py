"""ember.audio: the speech front end and classical recogniser pieces (TOPICS.md 1.24).

Framing / pre-emphasis / windows (``framing``), spectra (``spectral``), mel filterbank (``mel``),
MFCC and deltas (``mfcc``), LPC (``lpc``), synthetic signals (``synth``), a GMM-HMM isolated-word
recogniser (``recognizer``) and toy WFST decoding (``wfst``). Plain NumPy arrays in and out.
"""

from .framing import deframesig, framesig, get_window, preemphasis
from .lpc import levinson_durbin, lpc
from .mel import fbank, get_filterbanks, hz2mel, logfbank, mel2hz
from .mfcc import delta, lifter, mfcc, mfcc_deltas
from .spectral import magspec, powspec, stft

__all__ = [
    "preemphasis",
    "framesig",
    "deframesig",
    "get_window",
    "magspec",
    "powspec",
    "stft",
    "hz2mel",
    "mel2hz",
    "get_filterbanks",
    "fbank",
    "logfbank",
    "mfcc",
    "delta",
    "lifter",
    "mfcc_deltas",
    "lpc",
    "levinson_durbin",
]
