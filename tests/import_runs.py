"""Running an import command on a file in tests, as an editor on the server would."""

import io

import pytest
from django.core.management import CommandError, call_command


def command_on_files(tmp_path, command, default_name):
    """run(data, *options, name=...) writes ``data`` to a file, runs ``command`` on it and
    returns what it printed (CommandError propagates)."""

    def run(data, *options, name=default_name):
        path = tmp_path / name
        path.write_bytes(data)
        out = io.StringIO()
        call_command(command, str(path), *options, stdout=out)
        return out.getvalue()

    return run


def refusal(run_import, data):
    """What the command said when it refused the file."""
    with pytest.raises(CommandError) as caught:
        run_import(data)
    return str(caught.value)
