"""
Runs inside Tutor's own virtualenv (tests/deploy/tutor_venv.py builds it), never in the test
environment: Tutor's click requirement refuses the platform's click pin. It imports only Tutor
and the plugin file, never the suite or Django.

    python -I tutor_probe.py PLUGIN_FILE

It loads the plugin the way `tutor plugins enable` does (``tutor.plugins.v1.discover_module``,
then ``tutor.plugins.load``) and then answers requests, one JSON object a line on stdin, one JSON
answer a line on stdout: {"result": ...} or {"error": traceback}. A request's "settings" are what
`tutor config save --set` would leave in the project's config.yml; the answer is rendered under
the project's full configuration (Tutor's defaults, the plugin's, then those settings).
"""
import importlib.metadata
import importlib.util
import json
import os
import pathlib
import sys
import tempfile
import traceback

from tutor import config as tutor_config
from tutor import env as tutor_env
from tutor import hooks, plugins
from tutor.plugins import v1
# `tutor local` imports this: it gives the compose templates their `iter_mounts`.
from tutor.commands import local as _local_commands  # noqa: F401  pylint: disable=unused-import

PLUGIN = "learning_citizen"


def load(plugin_file):
    with hooks.Contexts.app("learning-citizen-tests").enter():
        v1.discover_module(plugin_file)
    plugins.load(PLUGIN)


def plugin_patches():
    """{patch name: [unrendered content]} the plugin declares (and only it)."""
    found = {}
    for name, content in hooks.Filters.ENV_PATCHES.iterate_from_context(hooks.Contexts.app(PLUGIN).name):
        found.setdefault(name, []).append(content)
    return found


def full_config(settings):
    with tempfile.TemporaryDirectory() as root:
        pathlib.Path(root, "config.yml").write_text(json.dumps(settings), encoding="utf-8")  # JSON is YAML
        return tutor_config.load_full(root)


def info():
    templates = pathlib.Path(tutor_env.__file__).parent / "templates"
    return {
        "tutor_version": importlib.metadata.version("tutor"),
        "python": list(sys.version_info[:2]),
        # What this environment could import besides Tutor: it must hold neither.
        "importable": {name: importlib.util.find_spec(name) is not None for name in ("django", "xblocks")},
        "installed": plugins.is_installed(PLUGIN),
        "loaded": plugins.is_loaded(PLUGIN),
        "plugin_path": dict(plugins.iter_info()).get(PLUGIN),
        "patches": plugin_patches(),
        "templates": {str(path.relative_to(templates)): path.read_text(encoding="utf-8", errors="ignore")
                      for path in sorted(templates.rglob("*")) if path.is_file()},
    }


def answer(request):
    operation = request["op"]
    if operation == "info":
        return info()
    config = full_config(request.get("settings", {}))
    if operation == "config":
        return config
    if operation == "render_patch":
        return "\n".join(tutor_env.render_str(config, content) for content in plugin_patches()[request["name"]])
    if operation == "render_file":
        return tutor_env.render_file(config, *request["path"])
    if operation == "init_tasks":
        tasks = hooks.Filters.CLI_DO_INIT_TASKS.iterate_from_context(hooks.Contexts.app(PLUGIN).name)
        return [[service, tutor_env.render_str(config, script)] for service, script in tasks]
    raise ValueError(f"unknown operation {operation!r}")


def main(plugin_file):
    # Answers go to the real stdout only; anything Tutor prints goes to stderr.
    answers = os.fdopen(os.dup(sys.stdout.fileno()), "w", encoding="utf-8")
    sys.stdout = sys.stderr
    load(plugin_file)
    for line in sys.stdin:
        try:
            reply = {"result": answer(json.loads(line))}
        except Exception:  # pylint: disable=broad-except  # told to the test, which fails with it
            reply = {"error": traceback.format_exc()}
        answers.write(json.dumps(reply, default=str) + "\n")
        answers.flush()


if __name__ == "__main__":
    main(sys.argv[1])
