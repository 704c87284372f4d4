"""The disk cache of parsed library modules: used when it matches the file, ignored when stale, corrupt or
foreign, and never able to build anything but a syntax tree."""

from __future__ import annotations

import ast
import os
import pickle

import pytest

from nncalc.interpreter import parse_cache


@pytest.fixture()
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("NNCALC_CACHE", str(tmp_path / "cache"))
    source = tmp_path / "lib.py"
    source.write_text("import torch.nn as nn\nWIDTH = 64\n")
    return source


def entry(path) -> str:
    digest, _ = parse_cache._key(str(path))
    return os.path.join(parse_cache._folder(), digest[:2], digest)


def test_a_stored_tree_comes_back(cache):
    tree = ast.parse(cache.read_text())
    parse_cache.store(str(cache), tree)
    loaded = parse_cache.load(str(cache))
    assert ast.dump(loaded) == ast.dump(tree)


def test_a_changed_file_is_parsed_again(cache):
    parse_cache.store(str(cache), ast.parse(cache.read_text()))
    cache.write_text("WIDTH = 128\n# longer now\n")
    assert parse_cache.load(str(cache)) is None


def test_corrupt_and_foreign_entries_are_ignored(cache, tmp_path):
    parse_cache.store(str(cache), ast.parse(cache.read_text()))
    path = entry(cache)
    header = open(path, "rb").read().partition(b"\n")[0]
    marker = tmp_path / "ran"

    class Evil:
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))

    for body in (b"garbage", pickle.dumps(Evil()), pickle.dumps({"not": "a tree"})):
        with open(path, "wb") as handle:
            handle.write(header + b"\n" + body)
        assert parse_cache.load(str(cache)) is None
    assert not marker.exists()
