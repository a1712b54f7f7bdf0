"""The `anwen` console script: Django's management commands plus anwen's own."""

import os
import sys


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "demo":
        os.environ.setdefault("ANWEN_DEMO", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anwen.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
