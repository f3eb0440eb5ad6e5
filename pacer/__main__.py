"""``python -m pacer``: the same as the ``pacer`` command."""

from .cli import main

main(prog_name="pacer")
