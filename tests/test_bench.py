"""`make bench` is not run by `make test` (it needs a quiet machine and minutes), so a rename
elsewhere could break it unseen: every bench module must at least import."""

import importlib
import pkgutil

import pytest

import bench

MODULES = [m.name for m in pkgutil.iter_modules(bench.__path__) if m.name != "locustfile"]


@pytest.mark.parametrize("module", MODULES)
def test_the_bench_module_imports(module):
    importlib.import_module(f"bench.{module}")
