"""Project-file benchmark: save and load a project with a large establishment.

    python bench/bench_project_file.py [--posts 50000] [--repeat 3]

Builds ``--posts`` synthetic posts (``tests/ui/factories.many_posts``) with the
demo council's scenarios, then times :func:`planner.project_file.save_project`
and :func:`planner.project_file.load_project` (best of ``--repeat``), prints both
times and the file size, and checks the posts come back identical. Exit 0 when
it ran and the round trip was exact, 1 otherwise.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import pandas as pd  # noqa: E402

from planner.demo import demo_scenarios  # noqa: E402
from planner.project import Project  # noqa: E402
from planner.project_file import load_project, save_project  # noqa: E402
from tests.ui.factories import make_establishment, many_posts  # noqa: E402


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)

    project = Project(make_establishment(many_posts(args.posts)), demo_scenarios())
    for scenario in project.scenarios:
        project.log(f"Add scenario {scenario.name}")
    saves: list[float] = []
    loads: list[float] = []
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.fteplan"
        for _ in range(max(1, args.repeat)):
            start = time.perf_counter()
            save_project(project, path)
            saves.append(time.perf_counter() - start)
            start = time.perf_counter()
            loaded = load_project(path)
            loads.append(time.perf_counter() - start)
        size = path.stat().st_size
    assert loaded.establishment is not None and project.establishment is not None
    try:
        pd.testing.assert_frame_equal(loaded.establishment.posts, project.establishment.posts,
                                      check_exact=True)
        exact = loaded.scenarios == project.scenarios and loaded.audit == project.audit
    except AssertionError as error:
        print(f"round trip differs: {error}", file=sys.stderr)
        exact = False
    print(f"posts:       {args.posts:,}")
    print(f"save:        {min(saves) * 1000:7.1f} ms (best of {len(saves)})")
    print(f"load:        {min(loads) * 1000:7.1f} ms (best of {len(loads)})")
    print(f"file size:   {size / 1e6:7.2f} MB")
    print(f"round trip:  {'exact' if exact else 'DIFFERENT'}")
    return 0 if exact else 1


if __name__ == "__main__":
    sys.exit(main())
