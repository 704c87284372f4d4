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


def test_script_and_project_examples_are_real():
    section = README.split("## Scripts, notebooks, projects and libraries", 1)[1].split("\n## ", 1)[0]
    for block in re.findall(r"```\n(.*?)```", section, re.S):
        commands = re.split(r"^\$ ", block, flags=re.M)[1:]
        for chunk in commands:
            command, _, shown = chunk.partition("\n")
            done = nncalc(*shlex.split(command)[1:])
            printed = (done.stdout + done.stderr).splitlines()
            lines = [line for line in shown.splitlines() if line != "..."]
            assert lines, command
            for line in lines:  # what README shows is printed, in that order ("..." stands for lines left out)
                assert line in printed, f"{command}: README shows {line!r}, nncalc prints {printed}"
            positions = [printed.index(line) for line in lines]
            assert positions == sorted(positions), command
