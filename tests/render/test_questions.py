"""copier.yml: defaults derived from the answers, and validators that say what to type."""

import re
import sys

import copier
import pytest
import yaml

from tests.support.helpers import REPO, render


def answers_of(project):
    return yaml.safe_load((project / ".copier-answers.yml").read_text())


def test_defaults_derive_from_the_destination_and_project_name(template_snapshot, tmp_path):
    import copier

    dst = tmp_path / "client_acme"
    copier.run_copy(str(template_snapshot), str(dst), defaults=True, unsafe=False, quiet=True)
    answers = answers_of(dst)

    assert answers["project_name"] == "Client Acme"
    assert answers["project_slug"] == "client_acme"
    assert answers["domain"] == "client-acme.example.com"
    assert answers["author_email"] == "admin@client-acme.example.com"
    assert answers["theme"] == "starter"
    assert answers["frontend"] == "htmx"
    assert answers["use_docker"] is True
    assert answers["ci"] == "github"


def test_slug_default_drops_leading_digits_and_punctuation(template_snapshot, tmp_path):
    project = render(template_snapshot, tmp_path / "p", project_name="3D Print & Co.")
    assert answers_of(project)["project_slug"] == "d_print_co"


@pytest.mark.parametrize(
    ("question", "value", "message"),
    [
        ("project_name", "   ", "Type a project name"),
        ("project_name", "!!!", "needs at least one letter or digit"),
        ("project_slug", "Acme-Cloud", "use lowercase letters, digits and underscores"),
        ("project_slug", "1acme", "starting with a letter"),
        ("project_slug", "class", "is a Python keyword"),
        ("project_slug", "match", "is a Python keyword"),
        ("project_slug", "email", "would shadow the module"),
        ("project_slug", "django", "would shadow the module"),
        ("project_slug", "config", "would shadow the module"),
        ("project_slug", "tests", "would shadow the module"),
        ("project_slug", "quickscale_core", "would shadow the module"),
        ("project_slug", "templates", "would shadow the module"),
        ("author_email", "not-an-email", 'type one like "hello@example.com"'),
        ("author_email", "a@b", 'type one like "hello@example.com"'),
        ("author_email", 'x"@example.com', 'type one like "hello@example.com"'),
        ("author_email", "a(b)@example.com", 'type one like "hello@example.com"'),
        ("project_name", "Acme\nINJECTED = 1", "one line without control characters"),
        ("description", "Line one\nimport os", "one line without control characters"),
        ("author_name", "Acme\r\nAgency", "one line without control characters"),
        ("project_name", "Acme\u2028SECRET_KEY=x", "one line without control characters"),
        ("description", "Line\x85two", "one line without control characters"),
        ("author_name", "Acme\u2029Agency", "one line without control characters"),
        ("domain", "https://acme.com", "without scheme, port or path"),
        ("domain", "acme.com:8000", "without scheme, port or path"),
        ("domain", "Acme.COM", "type a lowercase domain"),
        ("domain", "localhost", "is not a hostname"),
        ("domain", "-acme.com", "is not a hostname"),
    ],
)
def test_invalid_answers_are_refused_with_what_to_type(
    template_snapshot, tmp_path, question, value, message
):
    dst = tmp_path / "refused"
    with pytest.raises(ValueError, match=f"question '{question}'") as error:
        render(template_snapshot, dst, **{question: value})

    assert message in str(error.value)
    assert not (dst / "config").exists(), "nothing is generated from refused answers"


@pytest.mark.parametrize("modules", [[], ["auth"], ["auth", "payments"]],
                         ids=["no_modules", "auth", "auth+payments"])  # fmt: skip
def test_react_without_the_api_module_is_refused_naming_it(template_snapshot, tmp_path,
                                                           modules):  # fmt: skip
    dst = tmp_path / "refused"
    with pytest.raises(ValueError, match="question 'modules'") as error:
        render(template_snapshot, dst, frontend="react", modules=modules)

    assert '"api"' in str(error.value), str(error.value)
    assert "htmx" in str(error.value), "the message names the other way out"
    assert not (dst / "config").exists(), "nothing is generated from refused answers"


def test_valid_unusual_answers_are_accepted(template_snapshot, tmp_path):
    project = render(
        template_snapshot,
        tmp_path / "ok",
        project_name='Ünïcode "Quoted" Name',
        project_slug="acme_2",
        author_email="first.last+tag@sub.example.co.uk",
        domain="app.acme-cloud.io",
    )
    answers = answers_of(project)
    assert answers["project_slug"] == "acme_2"
    assert answers["domain"] == "app.acme-cloud.io"
    assert (project / "acme_2" / "apps.py").exists()


def test_reserved_names_cover_this_pythons_standard_library():
    reserved = yaml.safe_load((REPO / "extensions" / "reserved_names.yml").read_text())
    public = {name for name in sys.stdlib_module_names if not name.startswith("_")}
    assert public <= set(reserved["stdlib"]), sorted(public - set(reserved["stdlib"]))


def test_template_stays_trust_free():
    config = yaml.safe_load((REPO / "copier.yml").read_text())
    unsafe = {"_tasks", "_jinja_extensions", "_migrations"} & set(config)
    assert not unsafe, f"copier.yml uses {unsafe}: users would need --trust"
    # External data is safe only inside the destination project (Copier asks for
    # --trust for any path outside it).
    for name, path in (config.get("_external_data") or {}).items():
        assert not path.startswith(("/", "~")) and ".." not in path, (name, path)


ANSWER_EXAMPLE = re.compile(r"`(modules|theme|frontend|use_docker|ci): ([^`]+)`")


def answer_examples() -> list[tuple[str, str]]:
    """Every `question: value` example in the docs, the READMEs and the answers file."""
    sources = [REPO / "README.md", REPO / "modules" / "README.md", *REPO.glob("docs/**/*.md"),
               *REPO.glob("template/*.jinja"), *REPO.glob("themes/*/*.md")]  # fmt: skip
    found = set()
    for path in sources:
        if path.name == "changelog.md":  # history, not instructions
            continue
        found.update(ANSWER_EXAMPLE.findall(path.read_text(encoding="utf-8")))
    return sorted(found)


def test_the_docs_show_answer_examples():
    assert ("modules", "[auth, payments, billing]") in answer_examples()


@pytest.mark.parametrize(("question", "value"), answer_examples())
def test_every_answer_example_in_the_docs_passes_the_validators(template_snapshot, tmp_path,
                                                                 question, value):  # fmt: skip
    """A user copying an example from the docs must never be refused."""
    data = {"project_name": "Docs Example", question: yaml.safe_load(value)}
    copier.run_copy(str(template_snapshot), str(tmp_path / "p"), data=data, defaults=True,
                    unsafe=False, quiet=True, pretend=True)  # fmt: skip


HOSTILE = {
    "project_name": 'Acme\\" + __import__("os").getcwd() #\\',
    "description": 'Says "hi" \\ to """everyone""" \'here\' # and {braces}',
    "author_name": 'O\'Brien "Bob" \\',
}


def test_free_text_answers_stay_data_in_python_and_toml(template_snapshot, tmp_path):
    """Quotes, backslashes and code in free-text answers are rendered as string
    literals that hold exactly the answer: never executed, never a syntax error."""
    import ast
    import tomllib

    project = render(template_snapshot, tmp_path / "hostile", project_slug="acme", **HOSTILE)

    def assigned(path, name):
        tree = ast.parse((project / path).read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", None) == name:
                return ast.literal_eval(node.value)
        raise AssertionError(f"{name} not assigned in {path}")

    assert assigned("config/settings/base.py", "PROJECT_NAME") == HOSTILE["project_name"]
    assert assigned("config/settings/base.py", "PROJECT_DESCRIPTION") == HOSTILE["description"]
    assert assigned("config/settings/base.py", "ADMINS") == [
        (HOSTILE["author_name"], "admin@acme.example.com")
    ]
    assert assigned("acme/apps.py", "verbose_name") == HOSTILE["project_name"]
    docstring = ast.get_docstring(ast.parse((project / "acme/__init__.py").read_text()))
    assert docstring.startswith(HOSTILE["project_name"] + ":")
    pyproject = tomllib.loads((project / "pyproject.toml").read_text())["project"]
    assert pyproject["description"] == HOSTILE["description"]
    assert pyproject["authors"] == [{"name": HOSTILE["author_name"],
                                     "email": "admin@acme.example.com"}]  # fmt: skip
