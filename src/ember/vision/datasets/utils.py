"""Dataset files: default root, checksums, resumable verified downloads, safe archive extraction.

Every file lands atomically: bytes go to ``<name>.part`` (kept between attempts so a retry resumes
with an HTTP ``Range`` request), are verified (SHA256 and/or MD5), and only then renamed into place
with ``os.replace``. A failed download never leaves a file under the final name.
"""
from __future__ import annotations

import hashlib
import http.client
import os
import tarfile
import time
import urllib.error
import urllib.request
from typing import Sequence

__all__ = ["default_root", "calculate_sha256", "calculate_md5", "check_integrity", "download_url",
           "extract_archive", "missing_files_message"]

_CHUNK = 1 << 20


def default_root() -> str:
    """``$EMBER_DATA`` if set, else ``~/.cache/ember`` (the default ``root`` of every dataset)."""
    return os.environ.get("EMBER_DATA") or os.path.join(os.path.expanduser("~"), ".cache", "ember")


def _digest(path: str, algo: str) -> str:
    h = hashlib.new(algo)
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(_CHUNK), b""):
            h.update(chunk)
    return h.hexdigest()


def calculate_sha256(path: str) -> str:
    return _digest(path, "sha256")


def calculate_md5(path: str) -> str:
    return _digest(path, "md5")


def check_integrity(path: str, sha256: str | None = None, md5: str | None = None) -> bool:
    """True when ``path`` exists and matches every digest given (no digest: existence only)."""
    if not os.path.isfile(path):
        return False
    if sha256 is not None and calculate_sha256(path) != sha256.lower():
        return False
    return md5 is None or calculate_md5(path) == md5.lower()


def missing_files_message(name: str, folder: str, files: Sequence[str], urls: Sequence[str] = (),
                          reason: str = "not found") -> str:
    """The message shown when files are missing and cannot be downloaded (offline)."""
    lines = [f"{name}: dataset files {reason} in {folder!r}.",
             "Place these files there by hand (gzip-compressed or decompressed both work):"]
    lines += [f"  {os.path.join(folder, f)}" for f in files]
    if urls:
        lines.append("They can be fetched on a machine with network access from:")
        lines += [f"  {u}" for u in urls]
    lines.append("or pass download=True (needs network), or set root= / $EMBER_DATA to the folder "
                 "that already holds them.")
    return "\n".join(lines)


def _fetch_once(url: str, part: str, timeout: float) -> None:
    """Append the rest of ``url`` to ``part`` (HTTP Range resume when ``part`` is non-empty)."""
    have = os.path.getsize(part) if os.path.exists(part) else 0
    req = urllib.request.Request(url, headers={"User-Agent": "ember"})
    if have:
        req.add_header("Range", f"bytes={have}-")
    with urllib.request.urlopen(req, timeout=timeout) as resp:
        status = getattr(resp, "status", 200)
        mode = "ab" if have and status == 206 else "wb"  # server ignored Range: start over
        expected = resp.headers.get("Content-Length")
        got = 0
        with open(part, mode) as f:
            for chunk in iter(lambda: resp.read(_CHUNK), b""):
                f.write(chunk)
                got += len(chunk)
            f.flush()
            os.fsync(f.fileno())
    if expected is not None and got < int(expected):
        raise ConnectionError(f"connection dropped after {got} of {expected} bytes (will resume)")


def download_url(url: str, root: str, filename: str | None = None, md5: str | None = None,
                 sha256: str | None = None, max_retries: int = 3, timeout: float = 30.0,
                 backoff: float = 1.0) -> str:
    """Download ``url`` to ``root/filename`` unless a verified copy is already there.

    Args:
        url: http(s) or file URL.
        root: destination folder (created).
        filename: destination name (default: the URL's last path component).
        md5, sha256: expected digests; a mismatch discards the partial file and retries.
        max_retries: attempts before giving up; each retry resumes the ``.part`` file.
        timeout: socket timeout in seconds per attempt.
        backoff: seconds to wait before retry k (times k).

    Returns:
        The path of the verified file.

    Raises:
        RuntimeError: after ``max_retries`` failed attempts; the message says where to place the
            file by hand.
    """
    os.makedirs(root, exist_ok=True)
    filename = filename or os.path.basename(url.rstrip("/"))
    path = os.path.join(root, filename)
    if check_integrity(path, sha256, md5):
        return path
    part = path + ".part"
    last: Exception | None = None
    for attempt in range(1, max_retries + 1):
        try:
            _fetch_once(url, part, timeout)
            if check_integrity(part, sha256, md5):
                os.replace(part, path)
                return path
            last = ValueError(f"checksum mismatch for {url}")
            os.remove(part)  # corrupt content: resuming it would keep the corruption
        except (urllib.error.URLError, http.client.HTTPException, OSError, ValueError) as e:
            last = e
        if attempt < max_retries:
            time.sleep(backoff * attempt)
    raise RuntimeError(missing_files_message(
        filename, root, [filename], [url],
        reason=f"could not be downloaded after {max_retries} attempts ({last})"))


def extract_archive(from_path: str, to_path: str) -> None:
    """Extract a .tar / .tar.gz / .tgz archive safely (no absolute paths, no links out of
    ``to_path``) into ``to_path``."""
    os.makedirs(to_path, exist_ok=True)
    base = os.path.realpath(to_path)
    with tarfile.open(from_path, "r:*") as tar:
        for member in tar.getmembers():
            target = os.path.realpath(os.path.join(to_path, member.name))
            if not (target == base or target.startswith(base + os.sep)) or member.issym() \
                    or member.islnk():
                raise ValueError(f"{from_path}: unsafe archive member {member.name!r}")
        if hasattr(tarfile, "data_filter"):
            tar.extractall(to_path, filter="data")
        else:  # Python < 3.11.4: members were vetted above
            tar.extractall(to_path)
