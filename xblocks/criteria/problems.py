"""
Validation problems that can be shown to a person in their language.

The domain core does not import Django, so it cannot translate. Each problem keeps an English
template marked with ``N_`` (collected into the catalogues by ``makemessages --keyword=N_``)
and its parameters; the Django or XBlock layer translates the template, then fills it in.
"""
from dataclasses import dataclass, field, replace


def N_(message):  # pylint: disable=invalid-name
    """Mark a string for translation without translating it here."""
    return message


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input: what (a template and its values) and where (a path, a line)."""

    template: str
    params: dict = field(default_factory=dict)
    where: str = ""
    line: int | None = None

    def at_line(self, number):
        return replace(self, line=number)

    def render(self, translate=lambda text: text):
        """The message in the language ``translate`` gives (identity: English)."""
        text = translate(self.template).format(**self.params)
        if self.where:
            text = f"{self.where}: {text}"
        if self.line is not None:
            text = translate(N_("line {number}")).format(number=self.line) + f": {text}"
        return text

    def __str__(self):
        return self.render()


class InvalidInput(ValueError):
    """Raised with one or more problems; nothing has been changed when it is raised."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("; ".join(str(problem) for problem in self.problems))

    def render(self, translate=lambda text: text):
        return "; ".join(problem.render(translate) for problem in self.problems)
