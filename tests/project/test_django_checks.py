"""Project tier: Django's checks and migrations on every combination of the questions.

The projects are the render tier's (tests/render/test_render.py), from the `rendered` fixture.
"""

from tests.support.helpers import run


def test_django_checks_and_migrations_are_clean(rendered, project_python, project_env):
    project, _ = rendered
    run([project_python, "manage.py", "check", "--fail-level", "WARNING"], project, project_env)
    run(
        [project_python, "manage.py", "makemigrations", "--check", "--dry-run"],
        project,
        project_env,
    )
