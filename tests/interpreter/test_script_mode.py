"""Script mode: module-level statements that need what nncalc cannot know are skipped and recorded; what they
bind (or could have changed half-way) becomes unknown, naming the skipped line; ``--set`` gives values."""

from __future__ import annotations

import textwrap

import pytest

from nncalc.errors import InterpreterError, LimitExceeded, Refused, ShapeError
from nncalc.interpreter import Unknown, run_source
from nncalc.interpreter.script import Overrides, parse_value


def run(source: str, **options):
    return run_source(textwrap.dedent(source), "script.py", modules={}, tolerant=True, **options)


def test_statements_needing_unknowns_are_skipped_and_recorded():
    ns = run(
        """
        import os
        data_dir = "flowers"
        for name in os.listdir(data_dir):
            print(name)
        if os.path.exists(data_dir):
            found = True
        width = 64
        """
    )
    assert ns["width"] == 64 and "found" not in ns or isinstance(ns["found"], Unknown)
    assert [s.location.line for s in ns.skipped] == [4, 6]
    assert ns.skipped[0].statement == "for name in os.listdir(data_dir):"
    assert "iterating" in ns.skipped[0].reason and "`os.listdir(...)`" in ns.skipped[0].reason


def test_names_a_skipped_statement_binds_are_unknown_and_say_why():
    ns = run("import os\nwhile not os.path.exists('x'):\n    n = 3\nclasses = n\n")
    assert isinstance(ns["n"], Unknown) and isinstance(ns["classes"], Unknown)
    ns = run("import os\nwhile not os.path.exists('x'):\n    n = 3\nif n > 2:\n    pass\n")
    assert "needs the value of `(n > ...)`, where `n` is what line 2 would set, but it was skipped" in ns.skipped[1].reason


def test_a_list_a_failed_statement_appends_to_is_poisoned():
    ns = run("import cfg\nblocks = []\nfor i in range(cfg.depth):\n    blocks.append(i)\nsizes = [1, 2]\n")
    assert isinstance(ns["blocks"], Unknown) and ns["sizes"] == [1, 2]


def test_outside_values_propagate_through_builtins():
    ns = run("import os\nnames = sorted(os.listdir('d'))\nn = len(names)\nm = max(n, 3)\nk = int(m)\n")
    assert all(isinstance(ns[k], Unknown) for k in ("names", "n", "m", "k"))
    assert ns.skipped == []
    assert ns["n"]._describe().startswith("`n` (line 3) = `len(names)`, `names` (line 2) = `sorted(os.listdir(...))`")


def test_the_set_fix_names_the_nearest_variable():
    with pytest.raises(InterpreterError) as info:
        run_source("import os\nnum_classes = len(os.listdir('d'))\nif num_classes:\n    pass\n", "s.py", modules={})
    assert "--set num_classes=…" in str(info.value)


def test_set_overrides_a_module_level_value_from_its_assignment():
    ns = run("import os\nnum_classes = len(os.listdir('d'))\ndouble = num_classes * 2\n", overrides={"num_classes": 5})
    assert (ns["num_classes"], ns["double"]) == (5, 10)
    ns = run("width = 8\n", overrides={"height": 3})
    assert ns["height"] == 3 and ns["width"] == 8


def test_set_attribute_of_an_argparse_namespace():
    ns = run(
        """
        import argparse
        parser = argparse.ArgumentParser(description="train")
        parser.add_argument("--epochs", type=int, default=10)
        parser.add_argument("--lr", type=float, default="0.1")
        parser.add_argument("--no-cuda", action="store_true")
        parser.add_argument("--hidden", type=int, required=True)
        parser.add_argument("data")
        args = parser.parse_args()
        """,
        overrides={"args.epochs": 1},
    )
    args = ns["args"]
    assert (args.epochs, args.lr, args.no_cuda) == (1, 0.1, False)
    assert isinstance(args.hidden, Unknown) and "--set args.hidden=…" in args.hidden._fix_text()
    assert isinstance(args.data, Unknown) and "add_argument('data', …)` (line 8)" in args.data._describe()


def test_sys_argv_is_the_file_and_main_blocks_do_not_run():
    ns = run("import sys\nargv = sys.argv\nran = False\nif __name__ == '__main__':\n    ran = True\n")
    assert ns["argv"] == ["script.py"] and ns["ran"] is False


MAIN_OPTIONS = """
import argparse


def get_args():
    parser = argparse.ArgumentParser()
    parser.add_argument("--hidden", type=int, default=64)
    return parser.parse_args()


def width():
    return args.hidden * 2 if args.wide else args.hidden


def main():
    global ran
    ran = True


ran = False
if __name__ == "__main__":
    args = get_args()
    args.wide = True
    seen = args.hidden
    main()
"""


def test_options_parsed_in_the_main_block_are_bound_and_nothing_else_runs(monkeypatch):
    """``args`` read by the file's functions, parsed only under ``__main__``: the parse and ``args.NAME = …``
    run (with the defaults, and --set), ``seen = …`` and ``main()`` do not; real Python gives the same width."""
    ns = run(MAIN_OPTIONS, overrides={"args.hidden": 10})
    assert (ns["args"].hidden, ns["args"].wide, ns["ran"], "seen" in ns) == (10, True, False, False)
    real: dict = {"__name__": "__main__"}
    monkeypatch.setattr("sys.argv", ["script.py"])
    exec(MAIN_OPTIONS.replace("    main()\n", ""), real)  # noqa: S102 - the test's own source
    assert run(MAIN_OPTIONS)["width"]() == real["width"]() == 128


def test_a_main_block_whose_options_nobody_reads_runs_nothing():
    ns = run(MAIN_OPTIONS.replace("args.hidden * 2 if args.wide else args.hidden", "64"))
    assert "args" not in ns and ns["ran"] is False


def test_sys_exit_ends_only_its_statement():
    ns = run("import sys\nsys.exit(1)\nafter = 1\n")
    assert ns["after"] == 1 and ns.skipped[0].location.line == 2


def test_open_reads_nothing():
    ns = run("with open('labels.txt') as f:\n    labels = f.read().splitlines()\nn = len(labels)\n")
    assert isinstance(ns["n"], Unknown) and "never reads" in ns["n"]._describe()


def test_harmless_dunders_read():
    ns = run(
        """
        import tensorflow as tf
        version = tf.__version__
        class Net:
            \"\"\"A net.\"\"\"
            size: int = 3
            def name(self):
                return self.__class__.__name__ + "/" + type(self).__qualname__
        Net.__doc__ = "changed"
        label = Net().name()
        doc = Net.__doc__
        here = __file__
        annotations = Net.__annotations__
        """
    )
    assert isinstance(ns["version"], Unknown)
    assert (ns["label"], ns["doc"], ns["here"]) == ("Net/Net", "changed", "script.py")
    assert ns["annotations"] == {"size": "int"}


@pytest.mark.parametrize("source", [
    "x = ().__class__.__bases__[0].__subclasses__()\n",
    "b = __builtins__\n",
    "c = compile('1', 'f', 'eval')\n",
])  # fmt: skip
def test_refused_constructs_stay_fatal(source):
    with pytest.raises(Refused):
        run(source + "width = 1\n")


def test_locals_is_a_snapshot_of_the_frame_variables():
    ns = run("""
        def check(width=8, depth=2):
            seen = {}
            for name in ["width", "depth"]:
                seen[name] = locals()[name]
            inner = locals()
            inner["width"] = 0  # a copy: the variable keeps its value
            return seen, width
        result = check()
        top = locals() is globals()
    """)
    assert ns["result"] == ({"width": 8, "depth": 2}, 8) and ns["top"] is True


def test_globals_lists_the_module_variables():
    ns = run("batch_size = 12\nlr = 6e-4\n_hidden = 1\nkeys = [k for k, v in globals().items() if not k.startswith('_')]\n")
    assert ns["keys"] == ["batch_size", "lr"]


def test_shape_errors_and_limits_stay_fatal():
    class Broken:
        def __call__(self):
            raise ShapeError("inconsistent")

    with pytest.raises(ShapeError):
        run_source("x = broken()\n", "s.py", modules={}, prelude={"broken": Broken()}, tolerant=True)
    with pytest.raises(LimitExceeded):
        run("while True:\n    pass\n")


def test_unknown_bases_still_define_the_class():
    ns = run(
        """
        from torch.utils.data import Dataset
        from mylib import WeightsEnum, Weights
        class Faces(Dataset):
            def __init__(self, root):
                super().__init__()
                self.root = root
            def __len__(self):
                return 10
        class Net_Weights(WeightsEnum):
            V1 = Weights(url="x")
            DEFAULT = V1
        data = Faces("photos")
        n = len(data)
        default = Net_Weights.DEFAULT
        other = data.transform
        """
    )
    assert ns["n"] == 10 and ns.skipped == []
    assert isinstance(ns["default"], Unknown) and isinstance(ns["other"], Unknown)
    assert "Dataset" in ns["other"]._describe()


def test_with_blocks_over_unknowns_run_statement_by_statement():
    ns = run("import tensorflow as tf\nstrategy = tf.distribute.MirroredStrategy()\nwith strategy.scope():\n"
             "    width = 4\n    bad = undefined_name\n    height = 5\n")
    assert (ns["width"], ns["height"]) == (4, 5) and [s.location.line for s in ns.skipped] == [5]


def test_cells_run_in_one_namespace_with_their_own_labels():
    seen = []
    ns = run_source([("nb.ipynb:cell 2", "a = 1\n"), ("nb.ipynb:cell 3", "b = a + 1\nc = missing\n")], "nb.ipynb",
                    modules={}, tolerant=True, on_cell=lambda namespace, label: seen.append((label, namespace["a"])))
    assert ns["b"] == 2 and seen == [("nb.ipynb:cell 2", 1), ("nb.ipynb:cell 3", 1)]
    assert str(ns.skipped[0].location) == "nb.ipynb:cell 3:2:1"


def test_a_cell_that_does_not_parse_is_skipped_whole():
    ns = run_source([("nb.ipynb:cell 1", "a = (\n"), ("nb.ipynb:cell 2", "b = 2\n")], "nb.ipynb", modules={},
                    tolerant=True)
    assert ns["b"] == 2 and "cell 1" in str(ns.skipped[0])


@pytest.mark.parametrize("text, value", [("10", 10), ("(32, 32, 3)", (32, 32, 3)), ("relu", "relu"),
                                         ("'relu'", "relu"), ("True", True), ("0.5", 0.5)])
def test_set_values_are_python_literals_or_text(text, value):
    assert parse_value(text) == value


def test_overrides_split_attributes_from_names():
    overrides = Overrides({"n": 3, "args.epochs": 1, "args.lr": 0.1})
    assert overrides.initial() == {"n": 3}
    assert overrides.attributes == {"args": {"epochs": 1, "lr": 0.1}}


def test_logging_logs_nothing_and_keeps_what_the_file_sets():
    ns = run("""
        import logging
        logging.basicConfig(level=logging.INFO, format="%(message)s")
        logger = logging.getLogger(__name__)
        logger.addHandler(logging.StreamHandler())
        logger.setLevel("DEBUG")
        logger.info("built %s", 3)
        logger.warning_once("libraries add this one")
        same = logging.getLogger(__name__) is logger
        level, handlers, enabled = logger.level, len(logger.handlers), logger.isEnabledFor(logging.DEBUG)
        root_level = logging.getLogger().level
    """)
    assert ns.skipped == []
    assert (ns["same"], ns["level"], ns["handlers"], ns["enabled"], ns["root_level"]) == (True, 10, 1, False, 20)


def test_each_run_gets_fresh_loggers():
    first = run("import logging\nlogging.getLogger('a').setLevel(40)\n")
    second = run("import logging\nlevel = logging.getLogger('a').level\n")
    assert first.skipped == [] and second["level"] == 0


def test_comparing_an_unknown_never_picks_a_branch():
    ns = run(
        """
        import argparse
        parser = argparse.ArgumentParser()
        parser.add_argument('--dataset', required=True)
        opt = parser.parse_args()
        if opt.dataset in ['imagenet', 'folder']:
            nc = 3
        elif opt.dataset == 'mnist':
            nc = 1
        same = opt.dataset == opt.dataset
        other = opt.dataset != 'lsun'
        """
    )
    assert isinstance(ns["nc"], Unknown) and ns.skipped[0].location.line == 6
    assert "`(opt.dataset in ...)`" in ns.skipped[0].reason
    assert ns["same"] is True and isinstance(ns["other"], Unknown)


def test_a_value_computed_from_a_skipped_name_names_its_own_variable():
    ns = run(
        """
        import pandas as pd
        df = pd.read_csv("ratings.csv")
        user_ids = df["userId"].unique().tolist()
        user2index = {x: i for i, x in enumerate(user_ids)}
        num_users = len(user2index)
        if num_users + 1:
            pass
        """
    )
    total = ns["num_users"] + 1
    assert "`num_users` (line 6) = `len(user2index)`, where `user2index` is what line 5 would set" in ns.skipped[1].reason
    assert total._set_fix() == "--set num_users=…" and ns["num_users"]._set_fix() == "--set num_users=…"


def test_a_value_given_with_set_is_not_poisoned_by_a_skipped_loop_appending_to_it():
    ns = run(
        """
        import os
        class_names = []
        for dirname in sorted(os.listdir("news20")):
            class_names.append(dirname)
        num_classes = len(class_names)
        """,
        overrides={"class_names": ["atheism", "graphics", "space"]},
    )
    assert ns.skipped[0].location.line == 4
    assert ns["class_names"] == ["atheism", "graphics", "space"] and ns["num_classes"] == 3


def test_exec_and_eval_run_text_the_file_holds_through_the_interpreter():
    ns = run("""
        exec("width = 8\\nheads = width // 2")
        scaled = eval("width * 3")
        settings = {}
        exec("depth = 6", settings)
        exec("import os\\nshell = os.system('touch ESCAPE_MARKER')")
        """)
    assert (ns["width"], ns["heads"], ns["scaled"], settings_of(ns)) == (8, 4, 24, {"depth": 6})
    assert isinstance(ns["shell"], Unknown)  # the os stand-in: nothing runs
    assert not ns.skipped


def settings_of(ns) -> dict:
    return {k: v for k, v in ns["settings"].items() if not k.startswith("__")}


def test_exec_of_text_nncalc_cannot_read_is_skipped_and_the_settings_keep_their_values():
    """nanoGPT's train.py: settings as globals, then ``exec(open('configurator.py').read())`` applies the command
    line's overrides; read statically there are none."""
    ns = run("""
        n_layer = 12
        config_keys = [k for k, v in globals().items() if not k.startswith('_') and isinstance(v, int)]
        exec(open('configurator.py').read())
        config = {k: globals()[k] for k in config_keys}
        """)
    assert ns["n_layer"] == 12 and ns["config"] == {"n_layer": 12}
    assert [s.location.line for s in ns.skipped] == [4]
    assert "exec() of text nncalc cannot read" in ns.skipped[0].reason
