"""``python -m convert``: the ``convert`` command."""

# Guarded: worker processes started by forkserver/spawn import this module as __mp_main__.
if __name__ == "__main__":
    from .cli import main

    main(prog_name="convert")
