"""A large streamed upload through the real server, against a bare copy of the same bytes.

One uvicorn process on loopback, a temporary storage folder and SQLite database; a secretary
logs in over HTTP (password, then the second factor) and uploads one generated UTF-8 text file
of --mb megabytes (2^20 bytes, as MEETINGS_MAX_UPLOAD_MB counts them), streamed from disk in
1 MB chunks. The server streams it to a temporary file (hashing, fsync), checks it is UTF-8,
extracts its text, and stores it under its hash. The baseline copies the same file on the same
disk with fsync (the median of three copies). The server's memory is sampled every 50 ms
while the upload runs.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import httpx2 as httpx
import pyotp
from sqlmodel import Session, select

from meetings.cli import upgrade_database
from meetings.db import make_engine
from meetings.documents.models import DocumentVersion
from tests.factories import PASSWORD, Factory

MB = 1 << 20
CHUNK = MB
LABEL = 16
META_TOKEN = re.compile(r'<meta name="csrf-token" content="([0-9a-f]+)">')
PROSE = (
    "Chính phủ ban hành Nghị định quy định chi tiết thi hành Luật Đất đai về bồi thường "
    "hỗ trợ tái định cư khi Nhà nước thu hồi đất tờ trình báo cáo thẩm định dự thảo "
    "Bộ Tư pháp Bộ Tài chính Văn phòng Chính phủ phiên họp thường kỳ tháng năm 2026"
)
WORDS = PROSE.split()


# -- the file -------------------------------------------------------------------------------


def block(rng: random.Random) -> bytes:
    """1 MB of Vietnamese-looking UTF-8 text, cut at a character and padded to the byte."""
    words: list[str] = []
    while sum(map(len, words)) < MB // 2:  # Vietnamese letters are 1-3 bytes in UTF-8
        words.extend(rng.choices(WORDS, k=1000))
    room = MB - LABEL
    data = " ".join(words).encode()[:room].decode("utf-8", "ignore").encode()
    return b"\n" * (MB - len(data)) + data  # the first LABEL bytes are for the label


def generate(path: Path, mb: int) -> None:
    rng = random.Random(2026)
    blocks = [block(rng) for _ in range(8)]
    with path.open("wb") as handle:
        for n in range(mb):
            label = f"Khối {n:06d}".encode().ljust(LABEL - 1) + b"\n"  # each MB differs
            handle.write(label + blocks[n % len(blocks)][LABEL:])


def chunks(path: Path, sent: list[float]) -> Iterator[bytes]:
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            yield chunk
    sent.append(time.perf_counter())


# -- the baseline ----------------------------------------------------------------------------


def bare_copy(source: Path, target: Path) -> float:
    start = time.perf_counter()
    with source.open("rb") as reader, target.open("wb") as writer:
        shutil.copyfileobj(reader, writer, CHUNK)
        writer.flush()
        os.fsync(writer.fileno())
    elapsed = time.perf_counter() - start
    target.unlink()
    return elapsed


# -- the server ------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def prepare(database_url: str) -> tuple[int, str, str]:
    """(meeting id, secretary's email, TOTP secret) in a new database."""
    upgrade_database(database_url)
    engine = make_engine(database_url)
    with Session(engine, expire_on_commit=False) as db:
        factory = Factory(db)
        org = factory.organisation()
        secretary = factory.user("Chánh Văn Phòng", organisation=org, role="secretary")
        secret = factory.second_factor(secretary)
        meeting = factory.meeting(factory.body(org), items=1)
    engine.dispose()
    return meeting.id or 0, secretary.email, secret


def serve(env: dict[str, str], port: int, log: Path) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "meetings", "serve", "--port", str(port)]
    with log.open("wb") as output:
        return subprocess.Popen(command, env=env, stdout=output, stderr=subprocess.STDOUT)


def wait_until_up(client: httpx.Client, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("the server stopped while starting; see its log")
        try:
            if client.get("/login").status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.1)
    raise SystemExit("the server did not answer within 30 s")


def token(page: httpx.Response) -> str:
    match = META_TOKEN.search(page.text)
    assert match, f"{page.url} carries a CSRF token"
    return match.group(1)


def log_in(client: httpx.Client, email: str, secret: str) -> None:
    form = {"email": email, "password": PASSWORD, "csrf_token": token(client.get("/login"))}
    response = client.post("/login", data=form)
    assert response.headers.get("location", "").startswith("/login/second-factor"), response
    code = pyotp.TOTP(secret).now()
    page = client.get("/login/second-factor")
    response = client.post("/login/second-factor", data={"code": code, "csrf_token": token(page)})
    assert response.status_code == 303, response.text


# -- memory -----------------------------------------------------------------------------------


def status_kb(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise KeyError(field)


class Sampler(threading.Thread):
    """The highest VmRSS of a process, sampled every 50 ms until stopped."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak = status_kb(pid, "VmRSS")
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.05):
            self.peak = max(self.peak, status_kb(self.pid, "VmRSS"))


# -- the run ------------------------------------------------------------------------------------


def upload(client: httpx.Client, meeting_id: int, path: Path) -> tuple[float, float, int]:
    """(seconds for the whole request, seconds after the last byte was sent, document id)."""
    page = client.get(f"/meetings/{meeting_id}/documents")
    headers = {
        "Content-Type": "application/octet-stream",
        "Content-Length": str(path.stat().st_size),
        "X-File-Name": quote(path.name),
        "X-CSRF-Token": token(page),
        "Accept": "application/json",
    }
    sent: list[float] = []
    start = time.perf_counter()
    response = client.post(
        f"/meetings/{meeting_id}/documents/upload",
        content=chunks(path, sent),
        headers=headers,
        timeout=600,
    )
    end = time.perf_counter()
    assert response.status_code == 201, response.text
    return end - start, end - sent[0], int(response.json()["document_id"])


def stored_text(database_url: str, document_id: int) -> int:
    engine = make_engine(database_url)
    with Session(engine) as db:
        version = db.exec(
            select(DocumentVersion).where(DocumentVersion.document_id == document_id)
        ).one()
        length = len(version.text)
    engine.dispose()
    return length


def report(label: str, mb: int, seconds: float, extra: str = "") -> None:
    print(f"{label:34} {mb / seconds:8.1f} MB/s  {seconds:7.2f} s{extra}")


def run(mb: int, storage: Path) -> None:
    database_url = f"sqlite:///{storage / 'bench.sqlite3'}"
    meeting_id, email, secret = prepare(database_url)
    env = {
        **os.environ,
        "MEETINGS_STORAGE_DIR": str(storage),
        "MEETINGS_DATABASE_URL": database_url,
        "MEETINGS_HTTPS": "off",
        "MEETINGS_MAX_UPLOAD_MB": str(mb),
    }
    source = storage / "Báo cáo tổng hợp.txt"
    generate(source, mb)
    port = free_port()
    server = serve(env, port, storage / "server.log")
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
            wait_until_up(client, server)
            log_in(client, email, secret)
            bare = statistics.median(bare_copy(source, storage / "bare") for _ in range(3))
            before, hwm_before = status_kb(server.pid, "VmRSS"), status_kb(server.pid, "VmHWM")
            sampler = Sampler(server.pid)
            sampler.start()
            try:
                seconds, after_body, document_id = upload(client, meeting_id, source)
            finally:
                sampler.done.set()
                sampler.join()
            hwm_after = status_kb(server.pid, "VmHWM")
    finally:
        server.terminate()
        server.wait(10)
    report("bare copy + fsync, same disk", mb, bare)
    report(f"POST upload ({mb} MB text)", mb, seconds, f"  x{bare / seconds:.2f} of bare")
    tail = "(server catching up, check, text, store)"
    print(f"{'  of which after the last byte sent':34} {after_body:18.2f} s  {tail}")
    # VmHWM moves only if the upload set a new high; the samples see peaks below an old one.
    peak = max(sampler.peak, hwm_after) if hwm_after > hwm_before else sampler.peak
    growth = (peak - before) / 1024
    print(
        f"{'server RSS':34} {before / 1024:8.1f} MB before, peak +{growth:.1f} MB"
        f"  (VmHWM {hwm_before / 1024:.1f} -> {hwm_after / 1024:.1f} MB)"
    )
    print(f"{'text stored on the version':34} {stored_text(database_url, document_id):8d} chars")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench.upload", description=__doc__)
    parser.add_argument("--mb", type=int, default=200, help="size of the uploaded file in MB")
    args = parser.parse_args(argv)
    storage = Path(tempfile.mkdtemp(prefix="bench-upload-"))
    try:
        run(args.mb, storage)
    finally:
        shutil.rmtree(storage, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
