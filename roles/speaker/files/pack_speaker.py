"""Pack the speaker project into a reproducible source archive (sdist layout).

Runs on the controller. The archive's bytes depend only on the project's files (sorted
names, fixed mtime/owner/mode, gzip without a timestamp), so copying it to a host is
idempotent and the host reinstalls the speaker only when its source really changed.
Build leftovers (__pycache__, *.egg-info, build/) are left out.

Usage: pack_speaker.py SOURCE_DIR DEST_DIR  -> prints the archive path, then "written"
or "unchanged".
"""

from __future__ import annotations

import gzip
import io
import re
import sys
import tarfile
from pathlib import Path

SKIP_PARTS = {"__pycache__", "build", "dist", ".pytest_cache", ".mypy_cache"}
SKIP_SUFFIXES = (".pyc", ".pyo", ".egg-info")


def project_version(source: Path) -> str:
    match = re.search(r'(?m)^version\s*=\s*"([^"]+)"', (source / "pyproject.toml").read_text())
    if match is None:
        raise SystemExit(f"{source}/pyproject.toml: no version")
    return match.group(1)


def wanted(rel: Path) -> bool:
    return not any(p in SKIP_PARTS or p.endswith(SKIP_SUFFIXES) for p in rel.parts)


def archive_bytes(source: Path, top: str) -> bytes:
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for path in sorted(source.rglob("*")):
            rel = path.relative_to(source)
            if not path.is_file() or not wanted(rel):
                continue
            info = tarfile.TarInfo(f"{top}/{rel.as_posix()}")
            data = path.read_bytes()
            info.size, info.mtime, info.mode = len(data), 0, 0o644
            tar.addfile(info, io.BytesIO(data))
    return gzip.compress(raw.getvalue(), mtime=0)


def main(argv: list[str]) -> int:
    source, dest = Path(argv[1]).resolve(), Path(argv[2])
    top = f"peerwise-{project_version(source)}"
    data = archive_bytes(source, top)
    target = dest / f"{top}.tar.gz"
    dest.mkdir(parents=True, exist_ok=True)
    unchanged = target.exists() and target.read_bytes() == data
    if not unchanged:
        tmp = target.with_suffix(".tmp")
        tmp.write_bytes(data)
        tmp.replace(target)
    print(target)
    print("unchanged" if unchanged else "written")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
