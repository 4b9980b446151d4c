"""Reading with a size cap and writing atomically (phindicators._files):
findings F7, F15, F18 and F20 of issue 15.

Each test names its finding and fails without the behaviour (the old
readers used open().read(), the old writer renamed over the path itself).
"""

from __future__ import annotations

import os
import pathlib
import subprocess
import sys
import threading
import time

import pytest

import phindicators as ph
from phindicators import _files
from phindicators._files import atomic_write, encoding_hint, open_text, read_bytes, read_text
from phindicators.errors import CatalogError

needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")

# ------------------------------------------------------------------ reading (F7)


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero")
def test_f7_an_endless_device_is_refused_before_reading() -> None:
    with pytest.raises(OSError, match="not a regular file \\(a character device\\)"):
        read_bytes("/dev/zero")


@needs_fifo
def test_f7_a_fifo_without_writer_is_refused_not_waited_on(tmp_path: pathlib.Path) -> None:
    fifo = tmp_path / "in.fifo"
    os.mkfifo(fifo)
    started = time.perf_counter()
    with pytest.raises(OSError, match="a FIFO"):
        read_text(fifo)
    assert time.perf_counter() - started < 2


def test_f7_a_directory_is_refused(tmp_path: pathlib.Path) -> None:
    with pytest.raises(OSError, match="a directory|Is a directory"):
        read_bytes(tmp_path)


def test_f7_input_beyond_the_cap_is_refused_and_the_cap_can_be_raised(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "big.txt"
    path.write_bytes(b"x" * 1000)
    with pytest.raises(OSError, match="larger than the input limit of 999 bytes") as caught:
        read_bytes(path, limit=999)
    assert caught.value.errno is not None and caught.value.strerror
    assert read_bytes(path, limit=1000) == b"x" * 1000
    assert len(read_bytes(path, limit=None)) == 1000
    with pytest.raises(OSError, match="larger than"), open_text(path, limit=10):
        pass


def test_f7_a_file_that_grows_past_the_cap_while_read_is_refused(
    tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # /proc files report size 0 and may hold anything: the read itself is capped.
    path = tmp_path / "grows.txt"
    path.write_bytes(b"x" * 10)
    real_fstat = os.fstat

    class Small:
        def __init__(self, info: os.stat_result) -> None:
            self.st_mode, self.st_size = info.st_mode, 0

    monkeypatch.setattr(os, "fstat", lambda fd: Small(real_fstat(fd)))
    with pytest.raises(OSError, match="larger"):
        read_bytes(path, limit=5)


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero")
def test_f7_load_catalog_refuses_dev_zero_with_a_catalog_error() -> None:
    """F7: load_catalog('/dev/zero') grew until MemoryError / the OOM killer."""
    started = time.perf_counter()
    with pytest.raises(CatalogError, match="not a regular file"):
        ph.load_catalog("/dev/zero")
    assert time.perf_counter() - started < 2


@needs_fifo
def test_f7_load_catalog_refuses_a_fifo(tmp_path: pathlib.Path) -> None:
    fifo = tmp_path / "catalog.toml"
    os.mkfifo(fifo)
    with pytest.raises(CatalogError, match="a FIFO"):
        ph.load_catalog(fifo)


def test_f7_the_toml_cap_holds(tmp_path: pathlib.Path) -> None:
    from phindicators._toml import read_documents

    path = tmp_path / "huge.toml"
    path.write_text("# " + "x" * 2000 + "\n", encoding="utf-8")
    with pytest.raises(CatalogError, match="larger than the input limit"):
        read_documents([path], limit=1000)
    assert read_documents([path], limit=None)[0].data == {}


# ------------------------------------------------------------------ encodings (F18)


def test_f18_a_user_toml_with_a_bom_loads(tmp_path: pathlib.Path) -> None:
    """F18: 'not valid TOML: Invalid statement (at line 1, column 1)'."""
    path = tmp_path / "local.toml"
    text = """
[indicators.local_managed_rate]
name_en = "Local managed rate"
name_zh = "本地系统管理率"
domain = "maternal_health"
definition = { en = "Managed / births.", zh = "系统管理人数/活产数×100%" }
numerator = "systematically_managed_mothers"
denominator = "live_births"
kind = "proportion"
unit = "percent"
decimals = 2
polarity = "high_is_good"
source = "mch_survey_2015"
"""
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert ph.load_catalog(path).get("local_managed_rate").name_zh == "本地系统管理率"


def test_f18_a_bom_toml_parses_as_without(tmp_path: pathlib.Path) -> None:
    from phindicators._toml import read_documents

    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbfa = 1\n")
    assert read_documents([path])[0].data == {"a": 1}


@pytest.mark.parametrize(
    ("encoding", "named"), [("utf-16", "UTF-16"), ("utf-32", "UTF-32"), ("gb18030", "GB18030")]
)
def test_f18_a_file_in_another_encoding_is_named(tmp_path: pathlib.Path, encoding: str, named: str) -> None:
    """F18: a UTF-16 file was told 'iconv -f GB18030'."""
    data = 'name_zh = "孕产妇死亡率"\n'.encode(encoding)
    assert encoding_hint(data) == named
    path = tmp_path / "other.toml"
    path.write_bytes(data)
    with pytest.raises(CatalogError, match=f"looks like {named}"):
        ph.load_catalog(path)


# ------------------------------------------------------------------ writing (F15, F20)


def test_atomic_write_replaces_a_file_and_keeps_its_permissions(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "out.csv"
    path.write_text("old\n", encoding="utf-8")
    path.chmod(0o640)
    with atomic_write(path) as file:
        file.write("new\n")
    assert path.read_text(encoding="utf-8") == "new\n"
    assert path.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]


def test_an_interrupted_write_leaves_the_old_file_and_no_part(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "out.csv"
    path.write_text("old\n", encoding="utf-8")
    with pytest.raises(KeyboardInterrupt), atomic_write(path) as file:
        file.write("half")
        raise KeyboardInterrupt
    assert path.read_text(encoding="utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_f15_a_symlink_keeps_pointing_at_its_target(tmp_path: pathlib.Path) -> None:
    """F15: the link was replaced by a regular file; real.json kept "OLD"."""
    real, link = tmp_path / "real.json", tmp_path / "link.json"
    real.write_text("OLD\n", encoding="utf-8")
    link.symlink_to(real)
    with atomic_write(link) as file:
        file.write("NEW\n")
    assert link.is_symlink()
    assert real.read_text(encoding="utf-8") == "NEW\n"


def test_f15_a_dangling_symlink_creates_its_target(tmp_path: pathlib.Path) -> None:
    real, link = tmp_path / "real.json", tmp_path / "link.json"
    link.symlink_to(real)
    with atomic_write(link) as file:
        file.write("{}")
    assert link.is_symlink() and real.read_text(encoding="utf-8") == "{}"


@needs_fifo
def test_f15_a_fifo_is_written_into_not_replaced(tmp_path: pathlib.Path) -> None:
    """F15: the FIFO was replaced by a regular file."""
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    with atomic_write(fifo) as file:
        file.write("through the pipe\n")
    reader.join(5)
    assert received == [b"through the pipe\n"]
    assert fifo.is_fifo()


@pytest.mark.skipif(not os.path.exists("/dev/null"), reason="no /dev/null")
def test_f15_a_device_through_a_symlink_is_written_not_replaced(tmp_path: pathlib.Path) -> None:
    """F15: `ln -s /proc/self/fd/1 stdout; --output stdout` replaced the link."""
    link = tmp_path / "null"
    link.symlink_to("/dev/null")
    with atomic_write(link) as file:
        file.write("discarded")
    assert link.is_symlink() and os.path.realpath(link) == "/dev/null"
    assert pathlib.Path("/dev/null").is_char_device()


def test_f20_an_empty_name_is_named(tmp_path: pathlib.Path) -> None:
    """F20: '--output ""' said 'cannot write : Is a directory'."""
    with pytest.raises(OSError, match="no file name given"), atomic_write(""):
        pass


def test_a_directory_is_refused_as_output(tmp_path: pathlib.Path) -> None:
    with pytest.raises(OSError, match="a directory"), atomic_write(tmp_path):
        pass


def test_f15_stale_parts_of_dead_writers_are_removed(tmp_path: pathlib.Path) -> None:
    """F15: `kill -9` mid-write left `.out.csv.XXXXXXXX.part` for good."""
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead_pid = int(dead.stdout)
    stale = tmp_path / f".out.csv.{dead_pid}.abcd1234.part"
    stale.write_text("half", encoding="utf-8")
    old = tmp_path / ".out.csv.k2j3h4g5.part"  # the old naming, without a pid
    old.write_text("half", encoding="utf-8")
    os.utime(old, (time.time() - 2 * _files.STALE_PART_SECONDS,) * 2)
    live = tmp_path / f".out.csv.{os.getppid()}.zzzz9999.part"  # a running writer's
    live.write_text("writing", encoding="utf-8")
    other = tmp_path / ".other.csv.1.abcd.part"
    other.write_text("not ours", encoding="utf-8")
    with atomic_write(tmp_path / "out.csv") as file:
        file.write("done\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["out.csv", live.name, other.name])
