"""The project model: undoable edits, background results, cache on undo."""

from __future__ import annotations

from planner.scenario_edits import edit, remove_items


def test_edit_recomputes_and_undo_restores(demo_model, qtbot) -> None:
    model = demo_model
    before = model.results(0)
    end_fte = before.monthly()["fte_in_post"].iloc[-1]
    with qtbot.waitSignal(model.results_changed, timeout=10000):
        model.edit_scenario(remove_items(model.scenario(), "actions", [0]), "Remove a cut")
    after = model.results(0)
    assert after is not before
    # the first action removed 20 FTE from the Contact Centre: more FTE in post at the end
    assert after.monthly()["fte_in_post"].iloc[-1] > end_fte + 5
    assert model.is_dirty()
    assert model.project.audit[-1].action == "Remove a cut"
    model.undo_stack.undo()
    assert model.results(0) is before  # cached: no recomputation needed
    assert model.project.audit[-1].action == "Undo: Remove a cut"
    assert not model.is_dirty()
    model.undo_stack.redo()
    assert model.results(0) is after


def test_add_and_remove_scenarios(demo_model, qtbot) -> None:
    model = demo_model
    copy = edit(model.scenario(0), "description", "copy")
    with qtbot.waitSignal(model.scenarios_changed):
        model.add_scenario(copy)
    assert len(model.scenarios) == 4
    assert model.scenarios[3].name == "Cut first, as planned (2)"
    assert model.current_index() == 3
    model.remove_scenario(3)
    assert len(model.scenarios) == 3
    model.undo_stack.undo()
    assert model.scenarios[3].name == "Cut first, as planned (2)"


def test_bad_scenario_reports_error(demo_model, qtbot) -> None:
    from dataclasses import replace

    from planner.scenario import CreatePosts

    model = demo_model
    bad = replace(model.scenario(0), actions=(CreatePosts(month=model.scenario(0).horizon.start,
                                                          team="No Such Team"),))
    with qtbot.waitSignal(model.results_changed, timeout=10000):
        model.edit_scenario(bad, "Bad")
    assert model.results(0) is None
    assert "No Such Team" in (model.result_error(0) or "")


def test_the_workforce_is_compiled_in_the_background(qtbot, monkeypatch) -> None:
    """Loading an establishment must not compile its Workforce on the GUI thread (1–2 s
    for 200,000 posts): the first computation does it, and the model keeps it."""
    import threading

    import ui.project_model as project_model
    from planner.demo import demo_scenarios
    from planner.project import Project
    from tests.ui.conftest import demo_establishment

    threads: list[threading.Thread] = []
    real = project_model.as_workforce

    def spy(posts):
        threads.append(threading.current_thread())
        return real(posts)

    monkeypatch.setattr(project_model, "as_workforce", spy)
    model = project_model.ProjectModel()
    try:
        model.load(Project(demo_establishment(), demo_scenarios()))
        qtbot.waitUntil(lambda: all(model.results(i) is not None for i in range(3)),
                        timeout=30000)
        assert threads and threading.main_thread() not in threads
        assert len(threads) == 1  # compiled once, then reused for the other scenarios
        assert model.workforce() is not None and len(threads) == 1
    finally:
        model.shutdown()


def test_a_new_establishment_is_computed_after_the_views_have_drawn_it(qtbot) -> None:
    """Drawing the views calls into Python thousands of times; a computation started at
    once competes with every call for Python's lock (0.1 s → 0.4 s at 200,000 posts), so
    it starts from the event loop, after the views took the establishment."""
    from planner.demo import demo_scenarios
    from planner.project import Project
    from tests.ui.conftest import demo_establishment
    from ui.project_model import ProjectModel

    model = ProjectModel()
    events: list[str] = []
    model.establishment_changed.connect(lambda _e: events.append("shown"))
    model.compute.started.connect(lambda: events.append("computing"))
    try:
        model.load(Project(demo_establishment(), demo_scenarios()))
        assert events == ["shown"]
        qtbot.waitUntil(lambda: model.results(0) is not None, timeout=30000)
        assert events[:2] == ["shown", "computing"]
        events.clear()
        model.set_establishment(demo_establishment())  # an import over it: the same
        assert events == ["shown"]
        assert model.results(0) is None  # the old establishment's results are gone
        qtbot.waitUntil(lambda: model.results(0) is not None, timeout=30000)
        assert events[:2] == ["shown", "computing"]
    finally:
        model.shutdown()


def test_results_for_a_replaced_establishment_are_dropped(qtbot) -> None:
    """A computation that finished just before its cancel arrived must not show the old
    establishment's figures against the new one."""
    from dataclasses import replace

    from planner.demo import demo_scenarios
    from planner.project import Project
    from tests.ui.conftest import demo_establishment
    from ui.project_model import ProjectModel

    model = ProjectModel()
    try:
        model.load(Project(demo_establishment(), demo_scenarios()))
        qtbot.waitUntil(lambda: model.results(0) is not None, timeout=30000)
        old_posts, old_results = model.establishment.posts, model.results(0)
        model.set_establishment(replace(demo_establishment(), posts=old_posts.copy()))
        model._on_computed((model.scenario(0), old_results, old_posts, model.workforce()))
        assert model.results(0) is None
        qtbot.waitUntil(lambda: model.results(0) is not None, timeout=30000)
        assert model.results(0) is not old_results
    finally:
        model.shutdown()


def test_the_establishment_teams_are_worked_out_once_per_establishment(qtbot) -> None:
    from dataclasses import replace

    from planner.project import Project
    from tests.ui.conftest import demo_establishment
    from ui.project_model import ProjectModel

    est = demo_establishment()
    model = ProjectModel()
    try:
        model.load(Project(est, []))
        teams = model.establishment_teams()
        expected = {str(t).strip() for t in est.posts["team"].dropna()}
        assert set(teams) == expected and len(teams) == len(expected)
        teams.append("changed by the caller")
        assert model.establishment_teams() is not teams
        assert "changed by the caller" not in model.establishment_teams()
        posts = est.posts.copy()
        posts.loc[posts.index[0], "team"] = "A New Team"
        model.set_establishment(replace(est, posts=posts))
        assert "A New Team" in model.establishment_teams()
    finally:
        model.shutdown()
