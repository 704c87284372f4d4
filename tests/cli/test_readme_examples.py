"""README's shape-error example is a file of the repository and its output is what nncalc prints."""

from __future__ import annotations

import re
import shlex

from tests.cli.test_seed import ROOT, nncalc

README = (ROOT / "README.md").read_text()


def test_bad_cnn_example_is_real():
    block = re.search(r"```\n\$ (nncalc summary examples/bad_cnn\.py[^\n]*)\n(.*?)\$ echo \$\?\n(\d+)\n```", README,
                      re.S)
    assert block, "README shows `nncalc summary examples/bad_cnn.py` with its output and exit code"
    command, output, code = block.groups()
    assert (ROOT / "examples" / "bad_cnn.py").is_file()
    done = nncalc(*shlex.split(command)[1:])
    assert done.returncode == int(code)
    assert done.stdout + done.stderr == output
