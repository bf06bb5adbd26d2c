"""
Doubles of edx-platform modules, for testing what ``xblocks.compat`` does inside the LMS.

The platform is not installed here, and ``compat`` imports it lazily, inside functions. A test puts
a double module under the platform's own dotted path with :func:`platform_modules` (or the
``platform`` fixture in tests/conftest.py) for the duration of the test. Each double honours the
contract of the real module at the pinned releases (module path, names, signatures, what they
return) and says, in its docstring, where and at which commit that contract was read.
"""
import contextlib
import sys
import types


@contextlib.contextmanager
def platform_modules(modules):
    """
    ``modules``: ``{"lms.djangoapps.grades.api": {"CourseGradeFactory": ...}, ...}``. Each dotted
    path becomes an importable module (parents created as needed) holding those names; everything
    is removed again afterwards, so no test leaks a platform into another.
    """
    added = []
    try:
        for path, names in modules.items():
            parts = path.split(".")
            for depth in range(1, len(parts) + 1):
                name = ".".join(parts[:depth])
                if name not in sys.modules:
                    module = types.ModuleType(name)
                    module.__path__ = []  # a package, so deeper paths import too
                    sys.modules[name] = module
                    added.append(name)
                    if depth > 1:
                        setattr(sys.modules[".".join(parts[:depth - 1])], parts[depth - 1], module)
            for attribute, value in names.items():
                setattr(sys.modules[path], attribute, value)
        yield
    finally:
        for name in reversed(added):
            sys.modules.pop(name, None)


__all__ = ["platform_modules"]
