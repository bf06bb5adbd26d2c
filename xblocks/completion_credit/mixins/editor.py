"""Studio's editor (from xblock.utils.studio_editable) with the block's own checks."""
from xblock.validation import ValidationMessage

from ..config import block_names, config_problems, format_credit, parse_credit


class EditorMixin:
    """Refuse a configuration that could not award credit, with a message in the author's language."""

    def configuration_problems(self, data=None):
        data = self if data is None else data
        return config_problems(
            framework_id=data.framework,
            credit=data.credit,
            scope=data.scope,
            counted_blocks=data.counted_blocks,
            min_score=data.min_score,
            learning_hours=data.learning_hours,
        )

    def validate_field_data(self, validation, data):
        for problem in self.configuration_problems(data):
            validation.add(ValidationMessage(ValidationMessage.ERROR, self.translator.render(problem)))

    def clean_studio_edits(self, data):
        """Tidy what the editor sends: canonical credit text, trimmed block names."""
        if isinstance(data.get("credit"), str):
            items, problems = parse_credit(data["credit"])
            data["credit"] = format_credit(items) if items and not problems else data["credit"].strip()
        if isinstance(data.get("counted_blocks"), str):
            data["counted_blocks"] = ", ".join(block_names(data["counted_blocks"]))
        for name in ("display_name", "framework", "scope"):
            if isinstance(data.get(name), str):
                data[name] = data[name].strip()
