"""The FAISS index file: written atomically, its damage detected before FAISS reads a byte.

File format (one file, written atomically): ``MAGIC`` | u32 header length | header JSON |
faiss payload | trailer (u64 payload length, u32 CRC-32 of the payload, ``END``). The CRC is
checked before FAISS parses a byte, so a truncated or damaged file is reported, not crashed on.
"""

from __future__ import annotations

import json
import os
import struct
import threading
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

MAGIC = b"FCVIDX1\n"
END = b"FCVEND1\n"
_TRAILER = struct.Struct("<QI8s")
FORMAT_VERSION = 1
_IO_CHUNK = 1 << 22


@dataclass(frozen=True)
class IndexSnapshot:
    """An index serialised in memory: what ``write_snapshot`` writes."""

    header: bytes
    payload: np.ndarray  # uint8, FAISS' own serialisation
    size: int


def write_snapshot(path: str | Path, snap: IndexSnapshot) -> None:
    """Write ``snap`` to ``path`` in the module's file format, atomically (temp, fsync, rename)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}-{threading.get_ident()}")
    data = np.ascontiguousarray(snap.payload, dtype=np.uint8).data.cast("B")
    try:
        with open(tmp, "wb") as fh:
            fh.write(MAGIC + struct.pack("<I", len(snap.header)) + snap.header)
            crc = 0
            for start in range(0, len(data), _IO_CHUNK):
                chunk = data[start : start + _IO_CHUNK]
                fh.write(chunk)
                crc = zlib.crc32(chunk, crc)
            fh.write(_TRAILER.pack(len(data), crc, END))
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def read_header(fh: Any) -> tuple[dict[str, Any], int]:
    magic = fh.read(len(MAGIC))
    if magic != MAGIC:
        raise ValueError("not a factcheck vector index (bad magic bytes)")
    (hlen,) = struct.unpack("<I", fh.read(4))
    if hlen > 1 << 20:
        raise ValueError("implausible header length")
    header = json.loads(fh.read(hlen).decode())
    if not isinstance(header, dict) or header.get("version") != FORMAT_VERSION:
        raise ValueError(f"unsupported index format version {header.get('version')!r}")
    return header, len(MAGIC) + 4 + hlen


def check_payload(fh: Any, start: int, size: int) -> int:
    """Verify the trailer and the payload CRC; return the payload length."""
    if size < start + _TRAILER.size:
        raise ValueError("file is truncated")
    fh.seek(size - _TRAILER.size)
    length, crc, end = _TRAILER.unpack(fh.read(_TRAILER.size))
    if end != END or start + length + _TRAILER.size != size:
        raise ValueError("file is truncated or has trailing garbage")
    fh.seek(start)
    actual, left = 0, length
    while left:
        buf = fh.read(min(_IO_CHUNK, left))
        if not buf:
            raise ValueError("file is truncated")
        actual = zlib.crc32(buf, actual)
        left -= len(buf)
    if actual != crc:
        raise ValueError("checksum mismatch")
    return int(length)
