"""Packaged data files: the demo council, mapping profiles, pay tables, icons.

Always read them through :func:`importlib.resources.files` (see
:mod:`planner.resources_access`) so that they are found when installed,
run from a checkout, or frozen by PyInstaller.
"""
