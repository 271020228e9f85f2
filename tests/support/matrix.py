"""The answer combinations every run renders (the `rendered` fixture in tests/conftest.py)."""

import itertools

from tests.support.helpers import shipped_modules, shipped_themes, with_requirements

COMBINATIONS = [
    {"theme": "starter", "frontend": "htmx", "use_docker": docker, "ci": ci, "modules": []}
    for docker, ci in itertools.product([True, False], ["github", "none"])
]
# Every module alone (with what it requires), and all of them together.
COMBINATIONS += [
    {**COMBINATIONS[0], "modules": with_requirements(name)} for name in shipped_modules()
]
if len(shipped_modules()) > 1:
    COMBINATIONS.append({**COMBINATIONS[0], "modules": shipped_modules()})
# The other themes, bare and with every module.
COMBINATIONS += [
    {**COMBINATIONS[0], "theme": theme, "modules": modules}
    for theme in shipped_themes()
    if theme != "starter"
    for modules in ([], shipped_modules())
]
# The React frontend (it needs the api module) with each theme: the starter with the modules
# it needs, the todo theme with every module.
COMBINATIONS += [
    {**COMBINATIONS[0], "theme": theme, "frontend": "react", "modules": modules}
    for theme, modules in [("starter", with_requirements("api")), ("todo", shipped_modules())]
    if theme in shipped_themes()
]


def combination_id(answers: dict) -> str:
    return (
        f"{answers['theme']}-{answers['frontend']}-docker{int(answers['use_docker'])}"
        f"-ci_{answers['ci']}-modules_{'+'.join(answers['modules']) or 'none'}"
    )
