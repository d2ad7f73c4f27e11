"""download_url against a local HTTP server (loopback only): resume, checksum, atomicity."""
import hashlib
import http.server
import os
import threading

import pytest

from ember.vision.datasets.utils import (check_integrity, default_root, download_url,
                                         extract_archive)

PAYLOAD = bytes(range(256)) * 400  # 102,400 bytes


class _Handler(http.server.BaseHTTPRequestHandler):
    calls: list = []
    fail_first = False

    def log_message(self, *args):
        pass

    def do_GET(self):
        start = 0
        rng = self.headers.get("Range")
        if rng:
            start = int(rng.split("=")[1].split("-")[0])
        type(self).calls.append(start)
        body = PAYLOAD[start:]
        self.send_response(206 if rng else 200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if type(self).fail_first and len(type(self).calls) == 1:
            self.wfile.write(body[:1000])  # connection drops mid-transfer
            self.wfile.flush()
            self.connection.shutdown(2)
            return
        self.wfile.write(body)


@pytest.fixture
def server():
    _Handler.calls = []
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{srv.server_address[1]}/file.bin"
    srv.shutdown()
    srv.server_close()


def test_download_resumes_after_drop(tmp_path, server):
    _Handler.fail_first = True
    sha = hashlib.sha256(PAYLOAD).hexdigest()
    path = download_url(server, str(tmp_path), sha256=sha, backoff=0.0)
    _Handler.fail_first = False
    assert open(path, "rb").read() == PAYLOAD
    assert _Handler.calls[0] == 0 and _Handler.calls[1] == 1000  # second request resumed
    assert not os.path.exists(path + ".part")
    download_url(server, str(tmp_path), sha256=sha)  # verified copy present: no request
    assert len(_Handler.calls) == 2


def test_download_checksum_mismatch_leaves_nothing(tmp_path, server):
    _Handler.fail_first = False
    with pytest.raises(RuntimeError, match=r"could not be downloaded after 2 attempts"):
        download_url(server, str(tmp_path), md5="0" * 32, max_retries=2, backoff=0.0)
    assert os.listdir(tmp_path) == []


def test_offline_message(tmp_path):
    with pytest.raises(RuntimeError) as ei:
        download_url("http://127.0.0.1:9/x.gz", str(tmp_path), max_retries=1, timeout=1)
    assert str(tmp_path / "x.gz") in str(ei.value) and "by hand" in str(ei.value)


def test_check_integrity_and_default_root(tmp_path, monkeypatch):
    p = tmp_path / "f"
    p.write_bytes(b"abc")
    assert check_integrity(str(p), md5=hashlib.md5(b"abc").hexdigest())
    assert not check_integrity(str(p), sha256="0" * 64)
    monkeypatch.delenv("EMBER_DATA", raising=False)
    assert default_root().endswith(os.path.join(".cache", "ember"))


def test_extract_archive_rejects_escaping_members(tmp_path):
    import io
    import tarfile

    arc = tmp_path / "a.tar.gz"
    with tarfile.open(arc, "w:gz") as tar:
        info = tarfile.TarInfo("../evil.txt")
        info.size = 3
        tar.addfile(info, io.BytesIO(b"bad"))
    with pytest.raises(ValueError, match="unsafe archive member"):
        extract_archive(str(arc), str(tmp_path / "out"))
    assert not (tmp_path / "evil.txt").exists()
