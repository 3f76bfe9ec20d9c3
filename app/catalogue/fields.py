"""The offer's fields as people type them, in the staff form and in an upload file
alike: which are free text, which are yes/no facts, and how the text becomes a value."""

TEXT_FIELDS = (
    "name",
    "provider_name",
    "street",
    "postcode",
    "city",
    "contact_phone",
    "contact_email",
    "website",
    "description",
    "target_group",
    "costs",
    "service_area",
    "notes",
)
FACT_FIELDS = (
    "barrier_free",
    "step_free_entrance",
    "accessible_toilet",
    "lift",
    "induction_loop",
    "easy_language",
)
DEFAULT_CITY = "Bochum"


def text_value(name: str, text: str) -> str | None:
    """A free-text field's value: the text stripped, None when empty (an empty city is
    Bochum's)."""
    value = text.strip() or None
    if name == "city":
        return value or DEFAULT_CITY
    return value


def fact_text(value: bool | None) -> str:
    """A yes/no fact as it is typed: "ja", "nein", or empty when not stated."""
    return "" if value is None else ("ja" if value else "nein")
